//! Pages that no content file writes: one per topic, listing its articles,
//! and the search page (its index is `render::search`).

use serde::Serialize;

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

/// Up to this many articles, the search page lists them all, so that
/// without JavaScript it is still a complete index of the site. A larger
/// site's list would outweigh the search itself on a phone (10,000 articles
/// make 2.7 MB), so there the page points to the sections and topics.
pub const SEARCH_PAGE_LISTS_AT_MOST: usize = 300;

/// The search page, listing every article of a site of up to
/// [`SEARCH_PAGE_LISTS_AT_MOST`] and none of a larger one.
pub fn search_page(site: &Site<'_>) -> ListingPage {
    let mut links: Vec<LinkContext> = published_articles(site).map(link).collect();
    if links.len() > SEARCH_PAGE_LISTS_AT_MOST {
        links.clear();
    }
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
