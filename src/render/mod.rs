//! Stage 3, `render`: markdown, citations and templates to HTML, plus the
//! site-wide files (sitemap, feed, robots.txt, 404 page). Pages render in
//! parallel; nothing is written to disk here.

pub mod context;
pub mod glossary;
pub mod highlight;
pub mod json_ld;
pub mod listing_pages;
pub mod markdown;
mod qr;
pub mod search;
pub mod theme;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::iter::Either;
use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::diagnostics::{Code, Diagnostic};
use crate::load::{Page, PageKind, Site};
use crate::paths::root_prefix;
use context::{LinkContext, PageContext, SiteContext};
use markdown::Numbering;
use theme::Theme;

/// Everything the build will publish, in memory.
pub struct Rendered {
    /// Every page, rendered.
    pub pages: Vec<RenderedPage>,
    /// Site-wide generated files, by output path.
    pub files: Vec<(String, String)>,
    /// Files copied as they are: source on disk, output path.
    pub copies: Vec<(PathBuf, String)>,
    /// Each published article's search index entry, by content path, kept
    /// so the preview can update the index one article at a time.
    pub search_entries: Vec<(String, search::SearchEntry)>,
}

/// One page as HTML, before it is written.
pub struct RenderedPage {
    /// Index into `Site::pages`.
    pub page: usize,
    /// Where it is published, relative to the output folder.
    pub path: String,
    /// The template it was rendered with.
    pub template: &'static str,
    /// The whole page.
    pub html: String,
}

/// What a rendering is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Everything the site publishes.
    Publish,
    /// Everything the site publishes, each article's search entry kept
    /// ([`Rendered::search_entries`]) so that the preview redoes only an
    /// edited article's.
    Preview,
    /// `pamphlet check`: every page and every template, which is all that
    /// can be refused, but not the search index, which only patients use
    /// and which no check reads.
    Check,
}

/// Renders every published page and the site's own files (search, sitemap, feed) in memory; nothing is written.
pub fn site(site: &Site<'_>, theme: &Theme, purpose: Purpose) -> Result<Rendered, Vec<Diagnostic>> {
    let site_context = context::site_context(site);
    let (pages, mut problems) = pages(site, theme, &site_context, |_| true);
    match all_but_pages(site, theme, &site_context, purpose) {
        Ok(rest) if problems.is_empty() => Ok(Rendered { pages, ..rest }),
        Ok(_) => Err(problems),
        Err(more) => {
            problems.extend(more);
            Err(problems)
        }
    }
}

/// Everything a build publishes except its pages (search index, sitemap,
/// feed, stylesheets, copied files), with `pages` left empty: a build
/// renders each page only as it writes it, so no more than a few pages'
/// HTML is ever held at once.
pub fn all_but_pages(
    site: &Site<'_>,
    theme: &Theme,
    site_context: &SiteContext<'_>,
    purpose: Purpose,
) -> Result<Rendered, Vec<Diagnostic>> {
    let (mut files, mut problems) = site_files(site, theme, site_context, None);
    let mut search_entries = Vec::new();
    match purpose {
        Purpose::Publish => {
            let articles: Vec<&Page<'_>> = listing_pages::published_articles(site).collect();
            files.extend(search::files_of_pages(&articles));
        }
        Purpose::Preview => {
            search_entries = listing_pages::published_articles(site)
                .collect::<Vec<_>>()
                .par_iter()
                .map(|page| (page.content_path.clone(), search::entry(page)))
                .collect();
            files.extend(search::files(search_entries.iter().map(|(_, entry)| entry)));
        }
        Purpose::Check => {}
    }
    files.push(("syntax.css".to_owned(), highlight::stylesheet()));
    // The clinic's colour as a file, not an inline style: the CSP allows
    // only the site's own stylesheets.
    files.push((
        "brand.css".to_owned(),
        format!(
            "/* The clinic's colour, from site.yaml (brand.colour). */\n:root {{ --brand: {}; }}\n",
            brand_colour(&site.config.brand)
        ),
    ));
    let generated: HashSet<&str> = published_pages(site)
        .map(|index| site.pages[index].output_path.as_str())
        .chain(files.iter().map(|(path, _)| path.as_str()))
        .collect();
    let (copies, copy_problems) = copies(site, theme, &generated);
    problems.extend(copy_problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Rendered {
        pages: Vec::new(),
        files,
        copies,
        search_entries,
    })
}

/// Renders, in parallel, the published pages that `select` picks: all of
/// them for a build, the ones an edit touched for the preview.
pub fn pages(
    site: &Site<'_>,
    theme: &Theme,
    site_context: &SiteContext<'_>,
    select: impl Fn(&Page<'_>) -> bool + Sync,
) -> (Vec<RenderedPage>, Vec<Diagnostic>) {
    let selected: Vec<usize> = published_pages(site)
        .filter(|&index| select(&site.pages[index]))
        .collect();
    let renderer = PageRenderer::new(site, theme, site_context, &selected);
    selected
        .par_iter()
        .map(|&index| renderer.render(index))
        .partition_map(either)
}

/// The pages a build publishes (every one but drafts), by index, in order.
pub fn published_pages<'s>(site: &'s Site<'_>) -> impl Iterator<Item = usize> + 's {
    (0..site.pages.len()).filter(|&index| !site.pages[index].front.draft)
}

/// What rendering any one page needs, worked out once for the whole site.
pub struct PageRenderer<'s, 'a> {
    site: &'s Site<'a>,
    theme: &'s Theme,
    base: Context,
    glossary: Option<glossary::Glossary>,
    listings: HashMap<&'s str, (Vec<LinkContext>, Vec<LinkContext>)>,
}

impl<'s, 'a> PageRenderer<'s, 'a> {
    /// Prepares to render the pages `selected` (indexes into `site.pages`).
    pub fn new(
        site: &'s Site<'a>,
        theme: &'s Theme,
        site_context: &SiteContext<'_>,
        selected: &[usize],
    ) -> Self {
        let listings = if selected
            .iter()
            .any(|&index| site.pages[index].kind != PageKind::Article)
        {
            listings(site)
        } else {
            HashMap::new()
        };
        PageRenderer {
            site,
            theme,
            base: base_context(site_context),
            glossary: glossary::of(site),
            listings,
        }
    }

    /// Page `index` of the site, as HTML.
    pub fn render(&self, index: usize) -> Result<RenderedPage, Diagnostic> {
        let page = &self.site.pages[index];
        let listing = match page.kind {
            PageKind::Article => None,
            _ => self.listings.get(page.folder()).cloned(),
        };
        render_page(
            self.site,
            self.theme,
            &self.base,
            self.glossary.as_ref(),
            index,
            page,
            listing.unwrap_or_default(),
        )
    }
}

/// The template a page of this kind is rendered with.
pub fn template_for(kind: PageKind) -> &'static str {
    match kind {
        PageKind::Home => "index.html",
        PageKind::Section => "section.html",
        PageKind::Article => "article.html",
    }
}

/// Renders the pages and files no content file writes (topic pages, search
/// page, sitemap, feed, robots.txt, 404). `topics` limits which topic pages
/// are rendered; `None` renders them all.
pub fn site_files(
    site: &Site<'_>,
    theme: &Theme,
    site_context: &SiteContext<'_>,
    topics: Option<&dyn Fn(&str) -> bool>,
) -> (Vec<(String, String)>, Vec<Diagnostic>) {
    site_file_contexts(site, site_context, topics)
        .into_par_iter()
        .map(
            |(template, output, context)| match theme.tera.render(template, &context) {
                Ok(text) => Ok((output, text)),
                Err(error) => Err(render_problem(theme, template, &output, &error)),
            },
        )
        .partition_map(either)
}

/// Successes to the left, problems to the right, for `partition_map`.
fn either<T>(result: Result<T, Diagnostic>) -> Either<T, Diagnostic> {
    match result {
        Ok(value) => Either::Left(value),
        Err(problem) => Either::Right(problem),
    }
}

fn render_page(
    site: &Site<'_>,
    theme: &Theme,
    base: &Context,
    glossary: Option<&glossary::Glossary>,
    index: usize,
    page: &Page<'_>,
    listing: (Vec<LinkContext>, Vec<LinkContext>),
) -> Result<RenderedPage, Diagnostic> {
    let page_context = full_page_context(site, theme, glossary, page, listing);
    let (template, html) = apply_template(theme, base, page, &page_context)?;
    Ok(RenderedPage {
        page: index,
        path: page.output_path.clone(),
        template,
        html,
    })
}

/// Everything a page's template sees of it: the body as HTML, with its
/// citations and glossary links, and the page's structured data.
pub fn full_page_context<'a>(
    site: &'a Site<'_>,
    theme: &'a Theme,
    glossary: Option<&glossary::Glossary>,
    page: &'a Page<'_>,
    listing: (Vec<LinkContext>, Vec<LinkContext>),
) -> PageContext<'a> {
    let numbering = Numbering::of(page);
    let content = markdown::body(site, page, &numbering, glossary);
    let mut page_context = context::page_context(site, page, theme, content, &numbering, listing);
    page_context.json_ld = match page.kind {
        PageKind::Article => Some(json_ld::article(site, page, &numbering)),
        PageKind::Home => Some(json_ld::home(site)),
        PageKind::Section => None,
    };
    page_context
}

/// What every page's template sees alike, turned into template values once
/// a build rather than once a page.
pub fn base_context(site_context: &SiteContext<'_>) -> Context {
    let mut context = Context::new();
    context.insert("site", site_context);
    context
}

/// The page's HTML from its template, and which template that was. `base`
/// comes from [`base_context`].
pub fn apply_template(
    theme: &Theme,
    base: &Context,
    page: &Page<'_>,
    page_context: &PageContext<'_>,
) -> Result<(&'static str, String), Diagnostic> {
    let template = template_for(page.kind);
    let mut context = base.clone();
    context.insert("page", page_context);
    context.insert("root", &root_prefix(&page.output_path));
    let html = theme.tera.render(template, &context).map_err(|error| {
        render_problem(
            theme,
            template,
            &page.file.path.display().to_string(),
            &error,
        )
    })?;
    Ok((template, html))
}

fn render_problem(
    theme: &Theme,
    template: &str,
    rendering: &str,
    error: &tera::Error,
) -> Diagnostic {
    let chain = theme::error_chain(error);
    let mut diagnostic = Diagnostic::error(
        Code::Template,
        format!("the template `{template}` failed while rendering `{rendering}`: {}", chain.join(": ")),
    )
    .hint("a template may only use the variables listed in README.md; fix the template or restore it from themes/clinic");
    if let Some(file) = theme.template_files.get(template) {
        diagnostic = diagnostic.in_file(file);
    }
    diagnostic
}

/// For every folder with a section page: the published articles directly in
/// it and the sections directly below it, in listing order.
fn listings<'s>(site: &'s Site<'_>) -> HashMap<&'s str, (Vec<LinkContext>, Vec<LinkContext>)> {
    let mut articles: HashMap<&'s str, Vec<(&Page<'_>, LinkContext)>> = HashMap::new();
    let mut sections: HashMap<&'s str, Vec<(&Page<'_>, LinkContext)>> = HashMap::new();
    for page in site.pages.iter().filter(|p| !p.front.draft) {
        match page.kind {
            PageKind::Article => articles
                .entry(page.folder())
                .or_default()
                .push((page, context::link(page))),
            PageKind::Section => {
                let parent = page
                    .folder()
                    .rsplit_once('/')
                    .map_or("", |(parent, _)| parent);
                sections
                    .entry(parent)
                    .or_default()
                    .push((page, context::link(page)));
            }
            PageKind::Home => {}
        }
    }
    let mut folders: HashMap<&'s str, (Vec<LinkContext>, Vec<LinkContext>)> = HashMap::new();
    for (folder, mut links) in articles {
        context::sort_listing(&mut links);
        folders.entry(folder).or_default().0 = links.into_iter().map(|(_, l)| l).collect();
    }
    for (folder, mut links) in sections {
        context::sort_listing(&mut links);
        folders.entry(folder).or_default().1 = links.into_iter().map(|(_, l)| l).collect();
    }
    folders
}

#[derive(Serialize)]
struct FeedEntry {
    title: String,
    summary: Option<String>,
    permalink: String,
    updated: String,
}

#[derive(Serialize)]
struct SitemapEntry {
    permalink: String,
    lastmod: Option<String>,
}

/// Topic and search pages, the sitemap, Atom feed, robots.txt and 404
/// page: template, output path and context of each.
fn site_file_contexts(
    site: &Site<'_>,
    site_context: &SiteContext<'_>,
    topics: Option<&dyn Fn(&str) -> bool>,
) -> Vec<(&'static str, String, Context)> {
    let published: Vec<&Page<'_>> = site.pages.iter().filter(|p| !p.front.draft).collect();
    let reviewed_on = |page: &Page<'_>| page.front.review.as_ref().and_then(|r| r.reviewed_on);

    let mut reviewed: Vec<&Page<'_>> = published
        .iter()
        .copied()
        .filter(|p| p.kind == PageKind::Article && reviewed_on(p).is_some())
        .collect();
    // Newest review first; the content path settles ties so output is stable.
    reviewed.sort_by(|a, b| {
        reviewed_on(b)
            .cmp(&reviewed_on(a))
            .then(a.content_path.cmp(&b.content_path))
    });
    let feed: Vec<FeedEntry> = reviewed
        .iter()
        .map(|page| FeedEntry {
            title: page.front.title.clone(),
            summary: page.front.summary.clone(),
            permalink: context::permalink(site, &page.output_path),
            updated: format!(
                "{}T00:00:00Z",
                reviewed_on(page).expect("filtered above").iso()
            ),
        })
        .collect();
    let feed_updated = feed
        .first()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_owned(), |e| e.updated.clone());

    let sitemap: Vec<SitemapEntry> = published
        .iter()
        .map(|page| SitemapEntry {
            permalink: context::permalink(site, &page.output_path),
            lastmod: reviewed_on(page).map(|d| d.iso()),
        })
        .collect();

    let base = |root: String| {
        let mut context = Context::new();
        context.insert("site", site_context);
        context.insert("root", &root);
        context
    };
    let mut feed_context = base(String::new());
    feed_context.insert("entries", &feed);
    feed_context.insert("updated", &feed_updated);
    let mut sitemap_context = base(String::new());
    sitemap_context.insert("entries", &sitemap);
    // The 404 page is served at whatever address was missing, so its links
    // must start from the site's own path, not be relative.
    let not_found = base(site_path(&site.config.base_url()));
    let listing = |listing: listing_pages::ListingPage| {
        let mut context = base(root_prefix(&listing.href));
        context.insert("page", &listing);
        (listing.href, context)
    };
    let mut pages: Vec<(&'static str, String, Context)> = listing_pages::topics(site, topics)
        .into_iter()
        .map(|topic| {
            let (href, context) = listing(topic);
            ("topic.html", href, context)
        })
        .collect();
    let (search_href, search_context) = listing(listing_pages::search_page(site));
    pages.push(("search.html", search_href, search_context));
    pages.extend([
        ("sitemap.xml", "sitemap.xml".to_owned(), sitemap_context),
        ("atom.xml", "atom.xml".to_owned(), feed_context),
        ("robots.txt", "robots.txt".to_owned(), base(String::new())),
        ("404.html", "404.html".to_owned(), not_found),
    ]);
    pages
}

/// The brand colour as CSS: only what the check stage could read is
/// written, so nothing from site.yaml can break out of the declaration.
fn brand_colour(brand: &crate::config::Brand) -> String {
    let colour = crate::colour::parse_colour(brand.colour())
        .or_else(|| crate::colour::parse_colour(crate::config::DEFAULT_BRAND_COLOUR))
        .unwrap_or([0, 94, 184]);
    format!("#{:02x}{:02x}{:02x}", colour[0], colour[1], colour[2])
}

/// The path part of the base URL: `https://example.org/clinic/` -> `/clinic/`.
fn site_path(base_url: &str) -> String {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    after_scheme
        .find('/')
        .map_or_else(|| "/".to_owned(), |i| after_scheme[i..].to_owned())
}

/// The files copied as they are: the theme's static files (a site's own
/// `static/` file replaces the theme's of the same name), then the files
/// beside the articles. A copied file may never take the place of a page or
/// file the build generates, nor an editor's file that of the theme's: one
/// stray `index.html` or `style.css` would replace the crisis box or the
/// whole look without a word.
fn copies(
    site: &Site<'_>,
    theme: &Theme,
    generated: &HashSet<&str>,
) -> (Vec<(PathBuf, String)>, Vec<Diagnostic>) {
    let mut by_output: std::collections::BTreeMap<String, PathBuf> = Default::default();
    let mut problems = Vec::new();
    for dir in &theme.static_dirs {
        for entry in walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            if entry.file_type().is_symlink() {
                problems.push(
                    Diagnostic::error(
                        Code::Unreadable,
                        "this is a link (symlink), and Pamphlet does not follow links",
                    )
                    .in_file(entry.path().strip_prefix(&site.root).unwrap_or(entry.path()))
                    .hint("copy the file itself here instead: following links could publish files from outside the site"),
                );
                continue;
            }
            if entry.file_type().is_file()
                && let Ok(relative) = entry.path().strip_prefix(dir)
            {
                let output = relative.to_string_lossy().replace('\\', "/");
                if generated.contains(output.as_str()) {
                    problems.push(collision(
                        &site.root,
                        entry.path(),
                        &output,
                        "a page the build generates",
                    ));
                    continue;
                }
                by_output.insert(output, entry.path().to_path_buf());
            }
        }
    }
    let content = site.content_dir();
    for asset in &site.assets {
        let from = content.join(asset);
        let clash = if generated.contains(asset.as_str()) {
            Some("a page the build generates")
        } else if by_output.contains_key(asset) {
            Some("one of the theme's files")
        } else {
            None
        };
        match clash {
            Some(what) => problems.push(collision(&site.root, &from, asset, what)),
            None => {
                by_output.insert(asset.clone(), from);
            }
        }
    }
    let copies = by_output
        .into_iter()
        .map(|(output, from)| (from, output))
        .collect();
    (copies, problems)
}

fn collision(root: &Path, file: &Path, output: &str, what: &str) -> Diagnostic {
    Diagnostic::error(
        Code::DuplicateUrl,
        format!("this file would be published as `{output}`, in place of {what}"),
    )
    .in_file(file.strip_prefix(root).unwrap_or(file))
    .hint("rename or move this file; the build writes that path itself")
}

#[cfg(test)]
mod tests {
    use super::site_path;

    #[test]
    fn site_path_is_the_path_of_the_base_url() {
        assert_eq!(site_path("https://example.org/"), "/");
        assert_eq!(site_path("https://example.org/clinic/"), "/clinic/");
        assert_eq!(site_path("https://example.org"), "/");
    }
}
