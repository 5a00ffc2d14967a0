//! What templates see. Everything a template prints comes from these plain
//! structs, built from the checked site; templates decide how things look,
//! never what is required.

use serde::Serialize;

use crate::config::Clinic;
use crate::load::{Page, PageKind, Site};
use crate::model::Reference;
use crate::render::markdown::Numbering;
use crate::render::theme::Theme;

/// What every template sees as `site`.
#[derive(Serialize)]
pub struct SiteContext<'a> {
    /// The site's title, from site.yaml.
    pub title: &'a str,
    /// The site's address, ending in `/`, for permalinks and feeds.
    pub base_url: String,
    /// The language of every page (`lang` of `<html>`).
    pub language: &'a str,
    /// One sentence about the site, for search engines and link previews.
    pub description: Option<&'a str>,
    /// The clinic's name and contact details.
    pub clinic: &'a Clinic,
    /// Top-level sections, for the navigation bar.
    pub sections: Vec<LinkContext>,
    /// Pages at the top of content/ (about, contact, privacy), for the footer.
    pub pages: Vec<LinkContext>,
    /// Topics that have articles, with their listing pages.
    pub topics: Vec<TopicContext<'a>>,
    /// The search page, relative to the site root.
    pub search_href: &'static str,
    /// The clinic's logo and favicon, relative to the site root.
    pub logo: Option<&'a str>,
    /// The clinic's favicon, relative to the site root.
    pub favicon: Option<&'a str>,
}

/// A link to another page, with what a listing shows of it. `href` is
/// relative to the site root; templates prefix it with `root`.
#[derive(Serialize, Clone)]
pub struct LinkContext {
    /// The page's title.
    pub title: String,
    /// The page's published path, relative to the site root.
    pub href: String,
    /// The page's one-line summary, if it has one.
    pub summary: Option<String>,
    /// The date its clinical review was done, written out ("1 October 2026").
    pub reviewed_on: Option<String>,
}

/// What a template sees as `page`.
#[derive(Serialize)]
pub struct PageContext<'a> {
    /// The page's title.
    pub title: &'a str,
    /// The page's one-line summary, if it has one.
    pub summary: Option<&'a str>,
    /// `home`, `section` or `article`.
    pub kind: &'static str,
    /// The page's published path, relative to the site root.
    pub href: &'a str,
    /// The page's full address on the published site.
    pub permalink: String,
    /// A `mailto:` link for telling the clinic what is wrong with this page,
    /// with its title, address and signed-off version filled in; no form
    /// service, so nothing leaves the reader's own mail program.
    pub report_problem: Option<String>,
    /// For an article: an `<svg>` QR code of its permalink, for the printed
    /// handout to lead back to the page online.
    pub handout_qr: Option<String>,
    /// The body as HTML, citations numbered and glossary terms marked.
    pub content: String,
    /// Its level 2 and 3 headings, for the table of contents.
    pub toc: Vec<TocEntry<'a>>,
    /// The site's topics this page is filed under.
    pub topics: Vec<TopicContext<'a>>,
    /// The disclaimers the page must show, each already rendered.
    pub disclaimers: Vec<DisclaimerContext<'a>>,
    /// Who reviewed it and when, as dates written out and in ISO form.
    pub review: Option<ReviewContext<'a>>,
    /// Its references, numbered in order of first citation.
    pub references: Vec<ReferenceContext<'a>>,
    /// Home, then each enclosing section, ending before the page.
    pub breadcrumbs: Vec<LinkContext>,
    /// For the home page and sections: the articles they list.
    pub pages: Vec<LinkContext>,
    /// For the home page and sections: the sections inside them.
    pub subsections: Vec<LinkContext>,
    /// For the home page and sections: the articles to read first, in order.
    pub start_here: Vec<LinkContext>,
    /// Schema.org data for a `<script type="application/ld+json">`, escaped
    /// so it cannot close the element.
    pub json_ld: Option<String>,
}

/// One heading in the table of contents.
#[derive(Serialize)]
pub struct TocEntry<'a> {
    /// 2 or 3.
    pub level: u8,
    /// The heading's anchor, without `#`.
    pub id: &'a str,
    /// The heading as plain text (citation markers left out).
    pub title: &'a str,
}

/// A topic from site.yaml's `topics:`.
#[derive(Serialize)]
pub struct TopicContext<'a> {
    /// The topic's id, as front matter writes it.
    pub id: &'a str,
    /// The topic's name, as patients read it.
    pub name: &'a str,
    /// The topic's listing page, relative to the site root.
    pub href: String,
}

/// A disclaimer from site.yaml, ready to print.
#[derive(Serialize)]
pub struct DisclaimerContext<'a> {
    /// Its id, as the policy and front matter name it.
    pub id: &'a str,
    /// Its heading.
    pub title: &'a str,
    /// Its text as HTML, rendered once from site.yaml's markdown.
    pub html: &'a str,
    /// `top` or `foot`, as site.yaml places it.
    pub place: crate::config::Place,
}

/// When the page was reviewed and is due again, ready to print.
#[derive(Serialize)]
pub struct ReviewContext<'a> {
    /// The reviewer's name.
    pub reviewed_by: Option<&'a str>,
    /// The review date written out ("1 October 2026").
    pub reviewed_on: Option<String>,
    /// The review date as `YYYY-MM-DD`, for `<time datetime>`.
    pub reviewed_on_iso: Option<String>,
    /// The next review date written out.
    pub next_review: Option<String>,
    /// The next review date as `YYYY-MM-DD`.
    pub next_review_iso: Option<String>,
}

/// One reference in the page's list, ready to print.
#[derive(Serialize)]
pub struct ReferenceContext<'a> {
    /// Its number on the page, from 1, in order of first citation.
    pub number: usize,
    /// Its key, as the article cites it, for the `id` of its list item.
    pub id: &'a str,
    /// Without a closing full stop: the template writes one after each part,
    /// and "et al.." or "Is it safe?." is what a patient would see otherwise.
    pub authors: String,
    /// The work's title, without a closing full stop.
    pub title: Option<&'a str>,
    /// "." after the title, or "" when it ends in its own `?` or `!`.
    pub title_end: &'static str,
    /// Where it was published (journal, regulator, website), without a closing full stop.
    pub source: Option<&'a str>,
    /// The year of publication.
    pub year: Option<i32>,
    /// The source already names the year ("news release, 5 March 2019"),
    /// so it is not written twice.
    pub year_in_source: bool,
    /// Its DOI.
    pub doi: Option<&'a str>,
    /// Its DOI as a doi.org link.
    pub doi_url: Option<String>,
    /// Its PubMed id.
    pub pmid: Option<&'a str>,
    /// Its PubMed page.
    pub pmid_url: Option<String>,
    /// Its PubMed Central id.
    pub pmcid: Option<&'a str>,
    /// Its PubMed Central page.
    pub pmcid_url: Option<String>,
    /// A web address for it, when it has one.
    pub url: Option<&'a str>,
    /// The kind of evidence, in words patients read ("Clinical guideline").
    pub evidence: Option<&'static str>,
    /// When a web page was read, written out.
    pub accessed: Option<String>,
}

/// The `site` every template sees, built once per build.
pub fn site_context<'a>(site: &'a Site<'_>) -> SiteContext<'a> {
    let top_level = |kind: PageKind| {
        let mut links: Vec<(&Page<'_>, LinkContext)> = site
            .pages
            .iter()
            .filter(|page| page.kind == kind && !page.front.draft)
            .filter(|page| match kind {
                PageKind::Section => !page.folder().contains('/'),
                _ => page.folder().is_empty(),
            })
            .map(|page| (page, link(page)))
            .collect();
        sort_listing(&mut links);
        links.into_iter().map(|(_, link)| link).collect()
    };
    SiteContext {
        title: &site.config.title,
        base_url: site.config.base_url(),
        language: &site.config.language,
        description: site.config.description.as_deref(),
        clinic: &site.config.clinic,
        sections: top_level(PageKind::Section),
        pages: top_level(PageKind::Article),
        topics: site
            .config
            .topics
            .iter()
            .filter(|(id, _)| {
                site.pages.iter().any(|p| {
                    p.kind == PageKind::Article && !p.front.draft && p.front.topics.contains(id)
                })
            })
            .map(|(id, name)| TopicContext {
                id,
                name,
                href: crate::paths::topic_path(id),
            })
            .collect(),
        search_href: crate::paths::SEARCH_PAGE,
        logo: site
            .config
            .brand
            .logo
            .as_deref()
            .map(|p| p.trim_start_matches('/')),
        favicon: site
            .config
            .brand
            .favicon
            .as_deref()
            .map(|p| p.trim_start_matches('/')),
    }
}

/// A link to `page`, with what listings show of it.
pub fn link(page: &Page<'_>) -> LinkContext {
    LinkContext {
        title: page.front.title.clone(),
        href: page.output_path.clone(),
        summary: page.front.summary.clone(),
        reviewed_on: page
            .front
            .review
            .as_ref()
            .and_then(|r| r.reviewed_on)
            .map(|d| d.long()),
    }
}

/// Listings follow `weight` (lowest first; pages without one last), then title.
pub fn sort_listing(links: &mut [(&Page<'_>, LinkContext)]) {
    links.sort_by(|(a, _), (b, _)| {
        (a.front.weight.unwrap_or(i64::MAX), &a.front.title)
            .cmp(&(b.front.weight.unwrap_or(i64::MAX), &b.front.title))
    });
}

/// The page's full address on the published site: the base URL and its path, without `index.html`.
pub fn permalink(site: &Site<'_>, output_path: &str) -> String {
    format!(
        "{}{}",
        site.config.base_url(),
        output_path
            .strip_suffix("index.html")
            .unwrap_or(output_path)
    )
}

fn report_problem(site: &Site<'_>, page: &Page<'_>) -> Option<String> {
    let email = site.config.clinic.email.as_deref()?.trim();
    let plain_address = email
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "@.+_-".contains(c));
    if page.kind != PageKind::Article || !plain_address {
        return None;
    }
    let encode = |text: &str| {
        percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    let fingerprint = crate::load::ledger::fingerprint(page);
    let subject = format!("A problem with the page \"{}\"", page.front.title);
    let body = format!(
        "Page: {}\nVersion: {}\n\nWhat is wrong or unclear:\n",
        permalink(site, &page.output_path),
        &fingerprint[..fingerprint.len().min(12)]
    );
    Some(format!(
        "mailto:{email}?subject={}&body={}",
        encode(&subject),
        encode(&body)
    ))
}

/// What a template sees as `page`: the page's own facts, its rendered body and its listings.
pub fn page_context<'a>(
    site: &'a Site<'_>,
    page: &'a Page<'_>,
    theme: &'a Theme,
    content: String,
    numbering: &Numbering<'a>,
    listing: (Vec<LinkContext>, Vec<LinkContext>),
) -> PageContext<'a> {
    let front = &page.front;
    let permalink = permalink(site, &page.output_path);
    PageContext {
        title: &front.title,
        summary: front.summary.as_deref(),
        kind: match page.kind {
            PageKind::Home => "home",
            PageKind::Section => "section",
            PageKind::Article => "article",
        },
        href: &page.output_path,
        handout_qr: match page.kind {
            PageKind::Article => super::qr::svg(&permalink),
            _ => None,
        },
        permalink,
        report_problem: report_problem(site, page),
        content,
        toc: page
            .body
            .headings
            .iter()
            .filter(|h| h.level >= 2 && h.level <= 3)
            .map(|h| TocEntry {
                level: h.level,
                id: &h.id,
                title: &h.text,
            })
            .collect(),
        topics: front
            .topics
            .iter()
            .filter_map(|id| {
                let (id, name) = site.config.topics.get_key_value(id)?;
                Some(TopicContext {
                    id,
                    name,
                    href: crate::paths::topic_path(id),
                })
            })
            .collect(),
        disclaimers: front
            .disclaimers
            .iter()
            .filter_map(|id| {
                let (id, definition) = site.config.disclaimers.get_key_value(id)?;
                Some(DisclaimerContext {
                    id,
                    title: &definition.title,
                    html: theme.disclaimers.get(id)?,
                    place: definition.place,
                })
            })
            .collect(),
        review: front.review.as_ref().map(|review| ReviewContext {
            reviewed_by: review.reviewed_by.as_deref(),
            reviewed_on: review.reviewed_on.map(|d| d.long()),
            reviewed_on_iso: review.reviewed_on.map(|d| d.iso()),
            next_review: review.next_review.map(|d| d.long()),
            next_review_iso: review.next_review.map(|d| d.iso()),
        }),
        references: numbering
            .ordered
            .iter()
            .enumerate()
            .map(|(index, reference)| reference_context(index + 1, reference))
            .collect(),
        breadcrumbs: breadcrumbs(site, page),
        pages: listing.0,
        subsections: listing.1,
        start_here: front
            .start_here
            .iter()
            .filter_map(|path| site.page(path))
            .filter(|target| target.kind == PageKind::Article && !target.front.draft)
            .map(link)
            .collect(),
        json_ld: None,
    }
}

fn reference_context(number: usize, reference: &Reference) -> ReferenceContext<'_> {
    ReferenceContext {
        number,
        id: &reference.id,
        authors: reference
            .authors
            .join(", ")
            .trim_end_matches('.')
            .to_owned(),
        title: reference.title.as_deref().map(|t| t.trim_end_matches('.')),
        title_end: match reference.title.as_deref().map(str::trim_end) {
            Some(t) if t.ends_with(['?', '!']) => "",
            _ => ".",
        },
        source: reference.source.as_deref().map(|s| s.trim_end_matches('.')),
        year: reference.year,
        year_in_source: match (reference.year, reference.source.as_deref()) {
            (Some(year), Some(source)) => source.contains(&year.to_string()),
            _ => false,
        },
        doi: reference.doi.as_deref(),
        doi_url: reference
            .doi
            .as_ref()
            .map(|doi| format!("https://doi.org/{doi}")),
        pmid: reference.pmid.as_deref(),
        pmid_url: reference
            .pmid
            .as_ref()
            .map(|pmid| format!("https://pubmed.ncbi.nlm.nih.gov/{pmid}/")),
        pmcid: reference.pmcid.as_deref(),
        pmcid_url: reference
            .pmcid
            .as_ref()
            .map(|pmcid| format!("https://pmc.ncbi.nlm.nih.gov/articles/{pmcid}/")),
        url: reference.url.as_deref(),
        evidence: reference.evidence.map(|e| e.label()),
        accessed: reference.accessed.map(|d| d.long()),
    }
}

/// Home, then each enclosing section that exists, ending before the page.
fn breadcrumbs(site: &Site<'_>, page: &Page<'_>) -> Vec<LinkContext> {
    if page.kind == PageKind::Home {
        return Vec::new();
    }
    let mut crumbs = Vec::new();
    let folder = match page.kind {
        PageKind::Section => page
            .folder()
            .rsplit_once('/')
            .map_or("", |(parent, _)| parent),
        _ => page.folder(),
    };
    let mut prefix = String::new();
    // "Home", as every site names it; the home page's own title is a
    // sentence, too long for a trail or a phone's back link.
    if let Some(home) = site.page("_index.md") {
        crumbs.push(LinkContext {
            title: "Home".to_owned(),
            ..link(home)
        });
    }
    for part in folder.split('/').filter(|p| !p.is_empty()) {
        prefix.push_str(part);
        prefix.push('/');
        if let Some(section) = site.page(&format!("{prefix}_index.md")) {
            crumbs.push(link(section));
        }
    }
    crumbs
}
