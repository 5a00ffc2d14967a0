//! What the preview serves: the last site that passed every check, held in
//! memory, and what it needs to remember about each page to update it after
//! an edit.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::load::{Page, PageKind, Site};
use crate::model::Date;
use crate::render::Rendered;
use crate::render::search::SearchEntry;

/// Files by output path (`articles/side-effects/index.html`). A persistent
/// map: the server holds the last output while an edit changes a few files
/// of the next, and copying a plain map of every file for that took time
/// that grew with the site (3 ms an edit on 10,000 articles).
pub type Files = imbl::HashMap<String, Arc<[u8]>>;

/// The site the preview serves: the last version that passed every check.
#[derive(Default, Clone)]
pub struct Output {
    /// Everything rendered, by output path.
    pub files: Arc<Files>,
    /// Files served straight from disk (theme static files, images beside
    /// articles): output path to the file. Only these are ever read.
    pub copies: Arc<HashMap<String, PathBuf>>,
    /// Each published page as it was last rendered, by content path.
    pub pages: HashMap<String, RenderedFrom>,
    /// The site-wide template context the pages were rendered with; when it
    /// changes (a new section, a topic's first article) every page must be
    /// rendered again.
    pub site_context: String,
    /// Search index entries of published articles, by content path.
    pub search_entries: HashMap<String, SearchEntry>,
    /// True when an edit changed an entry and the index's files have not
    /// been cut anew yet (`Preview::refresh_search`).
    pub search_stale: bool,
}

/// What the HTTP side needs of an output: the files, shared rather than
/// copied, so handing a rebuild to the server costs two reference counts
/// however large the site (copying the pages' records and search entries
/// was a third of an edit's time on 10,000 articles).
#[derive(Default, Clone)]
pub struct Served {
    /// As [`Output::files`].
    pub files: Arc<Files>,
    /// As [`Output::copies`].
    pub copies: Arc<HashMap<String, PathBuf>>,
}

/// What an edit must know about the page as it was published before.
#[derive(Clone)]
pub struct RenderedFrom {
    pub output_path: String,
    pub kind: PageKind,
    pub listed: ListedAs,
}

/// What lists of pages (section, topics, search, sitemap, feed) show of a
/// page. An edit that leaves it alone need not render any list again.
#[derive(Clone, PartialEq, Eq)]
pub struct ListedAs {
    pub title: String,
    pub summary: Option<String>,
    pub weight: Option<i64>,
    pub reviewed_on: Option<Date>,
    pub topics: Vec<String>,
}

pub(super) fn listed_as(page: &Page<'_>) -> ListedAs {
    let front = &page.front;
    ListedAs {
        title: front.title.clone(),
        summary: front.summary.clone(),
        weight: front.weight,
        reviewed_on: front.review.as_ref().and_then(|review| review.reviewed_on),
        topics: front.topics.clone(),
    }
}

impl Output {
    /// The files to serve, shared with this output.
    pub fn served(&self) -> Served {
        Served {
            files: Arc::clone(&self.files),
            copies: Arc::clone(&self.copies),
        }
    }

    /// The output of a whole render.
    pub fn whole(site: &Site<'_>, rendered: Rendered, site_context: String) -> Self {
        let mut files = Files::new();
        let mut pages = HashMap::with_capacity(rendered.pages.len());
        for page in rendered.pages {
            let source = &site.pages[page.page];
            pages.insert(source.content_path.clone(), rendered_from(source));
            files.insert(page.path, page.html.into_bytes().into());
        }
        for (path, text) in rendered.files {
            files.insert(path, text.into_bytes().into());
        }
        let copies = rendered
            .copies
            .into_iter()
            .map(|(disk, path)| (path, disk))
            .collect();
        Self {
            files: Arc::new(files),
            copies: Arc::new(copies),
            pages,
            site_context,
            search_entries: rendered.search_entries.into_iter().collect(),
            search_stale: false,
        }
    }
}

pub(super) fn rendered_from(page: &Page<'_>) -> RenderedFrom {
    RenderedFrom {
        output_path: page.output_path.clone(),
        kind: page.kind,
        listed: listed_as(page),
    }
}
