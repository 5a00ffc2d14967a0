//! Links and images: what they point at exists in the site with exactly
//! the name written, will be published, is a picture where an image is
//! wanted, and has the heading a link points at. Every image has a text
//! description.

use crate::diagnostics::{Code, Diagnostic, closest};
use crate::load::body::DECORATIVE;
use crate::load::front_matter::locate;
use crate::load::local::{Published, Unresolved, is_image};
use crate::load::{Page, PageKind, Site};
use crate::paths::{LinkTarget, relative_from};

pub(super) fn check(site: &Site<'_>, page: &Page<'_>, found: &mut Vec<Diagnostic>) {
    start_here(site, page, found);
    for image in &page.body.images {
        if !page.body.is_described(image) {
            found.push(
                Diagnostic::error(
                    Code::ImageDescription,
                    "this image has no text description, so people who cannot see it learn nothing from it",
                )
                .at(page.file, image.span.clone())
                .hint(format!("say what the image shows between the square brackets, for example `![A nurse placing a drip in the arm](drip.jpg)`; if it is only decoration, write `![{DECORATIVE}](...)`")),
            );
        }
    }
    for link in &page.body.links {
        let (target, anchor) = match &link.target {
            LinkTarget::SamePage { anchor } => (page, anchor.as_str()),
            LinkTarget::Local { site_path, rest } => {
                match local_target(site, page, link, site_path, found) {
                    Some(target) => match rest.split_once('#') {
                        Some((_, anchor)) if !anchor.is_empty() => (target, anchor),
                        _ => continue,
                    },
                    None => continue,
                }
            }
            LinkTarget::Page { content_path, .. } if link.is_image => {
                found.push(
                    Diagnostic::error(
                        Code::BrokenLink,
                        format!("this image points at the article `{content_path}`, not at a picture"),
                    )
                    .at(page.file, link.span.clone())
                    .hint("give the picture's file name, for example `arm.jpg`; to link to the article, remove the `!` in front"),
                );
                continue;
            }
            LinkTarget::Page {
                content_path,
                anchor,
            } => {
                if site.unparsed.contains(content_path) {
                    continue;
                }
                match site.page(content_path) {
                    Some(target) if target.front.draft && !page.front.draft => {
                        found.push(
                            Diagnostic::error(
                                Code::BrokenLink,
                                format!("this links to `{content_path}`, which is a draft and will not be published"),
                            )
                            .at(page.file, link.span.clone())
                            .hint("publish that article first (remove `draft: true`), or remove the link"),
                        );
                        continue;
                    }
                    Some(target) => match anchor {
                        Some(anchor) => (target, anchor.as_str()),
                        None => continue,
                    },
                    None => {
                        let known = site.by_content_path.keys().map(String::as_str);
                        let hint = match closest(content_path, known) {
                            Some(guess) => format!("did you mean `{}`? Links are written relative to this file", relative_from(&page.content_path, guess)),
                            None => "check the file name; links are written relative to this file, for example `side-effects.md` for an article in the same folder".to_owned(),
                        };
                        found.push(
                            Diagnostic::error(
                                Code::BrokenLink,
                                format!(
                                    "this links to `content/{content_path}`, which does not exist"
                                ),
                            )
                            .at(page.file, link.span.clone())
                            .hint(hint),
                        );
                        continue;
                    }
                }
            }
        };
        if target.body.headings.iter().any(|h| h.id == anchor) {
            continue;
        }
        let ids = target.body.headings.iter().map(|h| h.id.as_str());
        let hint = match closest(anchor, ids) {
            Some(guess) => format!("did you mean `#{guess}`?"),
            None => {
                let all: Vec<String> = target
                    .body
                    .headings
                    .iter()
                    .map(|h| format!("`#{}`", h.id))
                    .collect();
                if all.is_empty() {
                    "that page has no headings; link to the page without `#...`".to_owned()
                } else {
                    format!("its headings are {}", all.join(", "))
                }
            }
        };
        found.push(
            Diagnostic::error(
                Code::BrokenAnchor,
                format!(
                    "`{}` has no heading with the anchor `#{anchor}`",
                    target.file.path.display()
                ),
            )
            .at(page.file, link.span.clone())
            .hint(hint),
        );
    }
}

/// Checks a link or image to a file or published page of the site; returns
/// the page it names, if it names one.
fn local_target<'s>(
    site: &'s Site<'_>,
    page: &Page<'_>,
    link: &crate::load::body::InternalLink,
    site_path: &str,
    found: &mut Vec<Diagnostic>,
) -> Option<&'s Page<'s>> {
    let what = if link.is_image {
        "this image"
    } else {
        "this link"
    };
    let problem = match site.local(site_path) {
        Ok(Published::Page(index)) if link.is_image => Diagnostic::error(
            Code::BrokenLink,
            format!(
                "{what} points at the page `{}`, not at a picture",
                site.pages[index].content_path
            ),
        )
        .hint("give the picture's file name, for example `arm.jpg`; to link to the page, remove the `!` in front"),
        Ok(Published::Page(index)) => return Some(&site.pages[index]),
        Ok(Published::File) if link.is_image && !is_image(site_path) => Diagnostic::error(
            Code::BrokenLink,
            format!("{what} points at `{site_path}`, which is not a picture a browser can show"),
        )
        .hint("use a PNG, JPEG, GIF, WebP, AVIF or SVG picture; to offer a document, link to it: `[Our leaflet (PDF)](leaflet.pdf)`"),
        Ok(Published::File) => return None,
        Err(Unresolved::WrongCase { actual }) => Diagnostic::error(
            Code::BrokenLink,
            format!(
                "{what} points at `{site_path}`, but the file is called `{actual}`: the capitals differ"
            ),
        )
        .hint(format!(
            "write `{}`: web servers treat capitals as different letters, even where your computer does not",
            relative_from(&page.content_path, &actual)
        )),
        Err(Unresolved::Missing { .. }) if site_path.starts_with("..") => Diagnostic::error(
            Code::BrokenLink,
            format!("{what} climbs out of the site's content/ folder"),
        )
        .hint("use fewer `../`: a path is written relative to this file, and `../` goes up one folder"),
        Err(Unresolved::Missing { closest }) => {
            let shown = if site_path.is_empty() { "the home page" } else { site_path };
            let hint = match closest {
                Some(guess) => format!(
                    "did you mean `{}`? Paths are written relative to this file",
                    relative_from(&page.content_path, &guess)
                ),
                None => "put the file in content/ (beside the article is simplest) and write its name relative to this file, for example `leaflet.pdf`; a path that starts with `/` starts from content/".to_owned(),
            };
            Diagnostic::error(
                Code::BrokenLink,
                format!("{what} points at `{shown}`, which is not in the site"),
            )
            .hint(hint)
        }
    };
    found.push(problem.at(page.file, link.span.clone()));
    None
}

/// A "start here" path lists published articles, on a page that lists.
fn start_here(site: &Site<'_>, page: &Page<'_>, found: &mut Vec<Diagnostic>) {
    let at = |path: &str| locate(page.file, &page.yaml, "start_here", Some(path));
    if page.kind == PageKind::Article {
        if let Some(first) = page.front.start_here.first() {
            found.push(
                Diagnostic::error(Code::BadValue, "`start_here:` belongs on the home page or a section page, which list articles; this is an article")
                    .at(page.file, at(first))
                    .hint("move the list to `content/_index.md` (the home page) or to the `_index.md` of a section"),
            );
        }
        return;
    }
    for path in &page.front.start_here {
        if site.unparsed.contains(path) {
            continue;
        }
        let problem = match site.page(path) {
            Some(target) if target.kind != PageKind::Article => {
                format!(
                    "`start_here:` lists `{path}`, which is a section or home page, not an article"
                )
            }
            Some(target) if target.front.draft && !page.front.draft => {
                format!("`start_here:` lists `{path}`, which is a draft and will not be published")
            }
            Some(_) => continue,
            None => format!("`start_here:` lists `{path}`, which does not exist"),
        };
        let articles = site
            .pages
            .iter()
            .filter(|p| p.kind == PageKind::Article)
            .map(|p| p.content_path.as_str());
        let hint = match closest(path, articles) {
            Some(guess) => format!("did you mean `{guess}`? Give each article's path inside content/, as a link to it would"),
            None => "give each article's path inside content/, as a link to it would, for example `treatment/side-effects.md`".to_owned(),
        };
        found.push(
            Diagnostic::error(Code::BrokenLink, problem)
                .at(page.file, at(path))
                .hint(hint),
        );
    }
}
