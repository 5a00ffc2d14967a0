//! Which pages link to which, kept up to date edit by edit. An edit must
//! check and render again every page that links to the edited one; reading
//! every link of the site to find them cost milliseconds on 10,000 articles,
//! twice an edit, most of it waiting on memory.

use std::collections::HashSet;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::load::{Page, Site};
use crate::paths::{self, LinkTarget};

/// What a link or a "start here" step names.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Named {
    /// A page by its content path (`articles/effects.md`).
    Page(String),
    /// A page by its published address (`/articles/effects/`).
    Address(String),
}

/// For every page named by a link, the pages whose links name it.
#[derive(Default)]
pub(super) struct Backlinks {
    /// What is named, and by which pages (content paths).
    naming: FxHashMap<Named, FxHashSet<String>>,
    /// What each page names, to take it back when the page changes.
    names: FxHashMap<String, Vec<Named>>,
}

impl Backlinks {
    pub(super) fn of(site: &Site<'_>) -> Self {
        let mut backlinks = Self::default();
        for page in &site.pages {
            backlinks.add(page);
        }
        backlinks
    }

    /// Takes in the page at `content_path` as `site` has it now, or takes it
    /// out when it is gone or no longer parses.
    pub(super) fn update(&mut self, site: Option<&Site<'_>>, content_path: &str) {
        for named in self.names.remove(content_path).unwrap_or_default() {
            if let Some(pages) = self.naming.get_mut(&named) {
                pages.remove(content_path);
                if pages.is_empty() {
                    self.naming.remove(&named);
                }
            }
        }
        if let Some(page) = site.and_then(|site| site.page(content_path)) {
            self.add(page);
        }
    }

    fn add(&mut self, page: &Page<'_>) {
        let mut names: Vec<Named> = names_of(page).collect();
        names.sort_unstable();
        names.dedup();
        for named in &names {
            self.naming
                .entry(named.clone())
                .or_default()
                .insert(page.content_path.clone());
        }
        self.names.insert(page.content_path.clone(), names);
    }

    /// Content paths of the pages that link to any of `targets`, or list
    /// one on their "start here" path.
    pub(super) fn linking_to(&self, targets: &HashSet<&str>) -> FxHashSet<&str> {
        targets
            .iter()
            .flat_map(|target| ways_to_name(target))
            .filter_map(|named| self.naming.get(&named))
            .flatten()
            .map(String::as_str)
            .collect()
    }
}

fn names_of<'p>(page: &'p Page<'_>) -> impl Iterator<Item = Named> + 'p {
    let steps = page.front.start_here.iter().cloned().map(Named::Page);
    let links = page
        .body
        .links
        .iter()
        .filter_map(|link| match &link.target {
            LinkTarget::Page { content_path, .. } => Some(Named::Page(content_path.clone())),
            LinkTarget::Local { site_path, .. } => Some(Named::Address(site_path.clone())),
            LinkTarget::SamePage { .. } => None,
        });
    steps.chain(links)
}

/// Every way a link can name the page at `content_path`: the path itself,
/// its published file, and the folder that file is the index of.
fn ways_to_name(content_path: &str) -> impl Iterator<Item = Named> {
    let published = paths::output_path(content_path);
    let folder = published
        .strip_suffix("index.html")
        .map(|folder| Named::Address(folder.trim_end_matches('/').to_owned()));
    [Named::Page(content_path.to_owned())]
        .into_iter()
        .chain(folder)
        .chain([Named::Address(published)])
}
