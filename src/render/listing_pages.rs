//! Pages that no content file writes: one per topic, listing its articles,
//! and the search page with the index its script reads.

use std::borrow::Cow;

use rustc_hash::FxHashSet;
use serde::Serialize;

use crate::load::blocks::{BlockTag, RunKind};
use crate::load::{Page, PageKind, Site};
use crate::paths::{SEARCH_PAGE, topic_path};
use crate::render::context::{LinkContext, link, permalink, sort_listing};

/// The `page` a topic or search template sees: enough for the base template
/// (title, summary, permalink) and the list it shows.
#[derive(Serialize)]
pub struct ListingPage {
    /// The page's title.
    pub title: String,
    /// One sentence saying what it lists.
    pub summary: String,
    /// `topic` or `search`.
    pub kind: &'static str,
    /// Where it is published, relative to the site root.
    pub href: String,
    /// Its full address on the published site.
    pub permalink: String,
    /// The articles it lists.
    pub pages: Vec<LinkContext>,
}

/// Every article that is published: drafts left out.
pub fn published_articles<'s>(site: &'s Site<'_>) -> impl Iterator<Item = &'s Page<'s>> {
    site.pages
        .iter()
        .filter(|page| page.kind == PageKind::Article && !page.front.draft)
}

/// One listing page per topic that has at least one published article;
/// only those `wanted` picks, when given.
pub fn topics(site: &Site<'_>, wanted: Option<&dyn Fn(&str) -> bool>) -> Vec<ListingPage> {
    site.config
        .topics
        .iter()
        .filter(|(id, _)| wanted.is_none_or(|wanted| wanted(id)))
        .filter_map(|(id, name)| {
            let mut links: Vec<(&Page<'_>, LinkContext)> = published_articles(site)
                .filter(|page| page.front.topics.contains(id))
                .map(|page| (page, link(page)))
                .collect();
            if links.is_empty() {
                return None;
            }
            sort_listing(&mut links);
            let href = topic_path(id);
            Some(ListingPage {
                title: name.clone(),
                summary: format!("Every article on this site about {}.", name.to_lowercase()),
                kind: "topic",
                permalink: permalink(site, &href),
                href,
                pages: links.into_iter().map(|(_, l)| l).collect(),
            })
        })
        .collect()
}

/// The search page lists every article, so that without JavaScript it is
/// still a complete index of the site.
pub fn search_page(site: &Site<'_>) -> ListingPage {
    let mut links: Vec<LinkContext> = published_articles(site).map(link).collect();
    links.sort_by_key(|link| link.title.to_lowercase());
    ListingPage {
        title: "Search".to_owned(),
        summary: format!("Search every article on {}.", site.config.title),
        kind: "search",
        href: SEARCH_PAGE.to_owned(),
        permalink: permalink(site, SEARCH_PAGE),
        pages: links,
    }
}

#[derive(Serialize)]
struct Entry<'p> {
    title: &'p str,
    href: &'p str,
    summary: &'p str,
    /// Every distinct word of the headings and body, lower case, space
    /// separated: small to download, and enough for prefix matching.
    words: String,
}

/// One article's entry in the search index, as JSON. Entries are made one
/// page at a time so the preview can keep them and redo only an edited one.
pub fn search_entry(page: &Page<'_>) -> String {
    let entry = Entry {
        title: &page.front.title,
        href: &page.output_path,
        summary: page.front.summary.as_deref().unwrap_or(""),
        words: words(page),
    };
    serde_json::to_string(&entry).expect("the entry serialises")
}

/// The search index as a script that sets a global, so it loads from the
/// site's own files even from the file system (where `fetch` is refused).
pub fn search_index<'e>(entries: impl Iterator<Item = &'e str>) -> String {
    let mut script = String::from("window.PAMPHLET_SEARCH_INDEX = [");
    for (index, entry) in entries.enumerate() {
        if index > 0 {
            script.push(',');
        }
        script.push_str(entry);
    }
    script.push_str("];\n");
    script
}

fn words(page: &Page<'_>) -> String {
    // In order of first use: any fixed order keeps builds reproducible, and
    // this one needs no sorting, which was most of the cost of an entry.
    let mut words = Words::default();
    words.add(&page.front.title);
    let body = &page.body;
    for block in body.blocks().filter(|b| b.tag != BlockTag::CodeBlock) {
        for run in body.runs(&block).filter(|run| run.kind == RunKind::Text) {
            words.add(run.text);
        }
    }
    words.listed
}

/// Distinct words of two letters or more, lower case, space separated.
#[derive(Default)]
struct Words<'t> {
    seen: FxHashSet<Cow<'t, str>>,
    listed: String,
}

impl<'t> Words<'t> {
    fn add(&mut self, text: &'t str) {
        if !text.is_ascii() {
            for word in text.split(|c: char| !c.is_alphanumeric()) {
                if word.chars().nth(1).is_some() {
                    self.insert(word, word.chars().any(char::is_uppercase));
                }
            }
            return;
        }
        // Plain ASCII, nearly every text, is split as bytes: this runs over
        // every word of every page.
        let bytes = text.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            let start = at;
            let mut has_upper = false;
            while let Some(byte) = bytes.get(at).filter(|b| b.is_ascii_alphanumeric()) {
                has_upper |= byte.is_ascii_uppercase();
                at += 1;
            }
            if at - start >= 2 {
                self.insert(&text[start..at], has_upper);
            }
            at += 1;
        }
    }

    fn insert(&mut self, word: &'t str, has_upper: bool) {
        // A word already in lower case is borrowed, not copied.
        let word = if has_upper {
            Cow::Owned(word.to_lowercase())
        } else {
            Cow::Borrowed(word)
        };
        if !self.seen.contains(word.as_ref()) {
            if !self.listed.is_empty() {
                self.listed.push(' ');
            }
            self.listed.push_str(&word);
            self.seen.insert(word);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Words;

    proptest::proptest! {
        /// The byte-wise split of ASCII text lists what splitting by
        /// characters lists.
        #[test]
        fn words_are_listed_as_splitting_by_characters_lists_them(
            texts in proptest::collection::vec("[a-zA-Z0-9 .,'é\u{c9}-]{0,30}", 0..6)
        ) {
            let mut words = Words::default();
            let mut expected: Vec<String> = Vec::new();
            for text in &texts {
                words.add(text);
                for word in text.split(|c: char| !c.is_alphanumeric()) {
                    let word = word.to_lowercase();
                    if word.chars().count() >= 2 && !expected.contains(&word) {
                        expected.push(word);
                    }
                }
            }
            proptest::prop_assert_eq!(words.listed, expected.join(" "));
        }
    }
}
