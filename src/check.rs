//! Stage 2, `check`: decides whether the loaded site may be published. Every
//! rule about what an article must contain lives here and nowhere else; the
//! templates only show what they are given.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic, Severity, closest};
use crate::load::front_matter::locate;
use crate::load::{Page, Site};
use crate::model::Date;
use crate::paths::LinkTarget;

/// What the checks need to know besides the site itself.
#[derive(Debug, Clone, Copy)]
pub struct CheckContext {
    /// "Today" for review dates: the build date, or `--as-of`.
    pub today: Date,
}

/// Runs every check on every page and returns all problems found.
pub fn site(site: &Site<'_>, _context: &CheckContext) -> Vec<Diagnostic> {
    let mut diagnostics: Vec<Diagnostic> = site
        .pages
        .par_iter()
        .flat_map_iter(|page| {
            let mut found = page_problems(site, page);
            // Drafts are checked so the editor sees what is left to do, but
            // they are never published, so they must not stop a build.
            if page.front.draft {
                for problem in &mut found {
                    problem.severity = Severity::Warning;
                }
            }
            found
        })
        .collect();
    diagnostics.extend(duplicate_addresses(site));
    if let Some(file) = site.bibliography.file {
        for (id, span) in &site.bibliography.repeated {
            diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateReference,
                    format!("the reference id `{id}` is used twice in the shared bibliography"),
                )
                .at(file, span.clone())
                .hint("give each reference its own id, or remove the repeated entry"),
            );
        }
    }
    diagnostics
}

fn page_problems(site: &Site<'_>, page: &Page<'_>) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    known_ids(site, page, &mut found);
    references(site, page, &mut found);
    citations(page, &mut found);
    links(site, page, &mut found);
    found
}

fn known_ids(site: &Site<'_>, page: &Page<'_>, found: &mut Vec<Diagnostic>) {
    let config = &site.config;
    let topics = config.topics.keys();
    let disclaimers = config.disclaimers.keys();
    for (field, used, known, code, noun) in [
        (
            "topics",
            &page.front.topics,
            topics.collect::<Vec<_>>(),
            Code::UnknownTopic,
            "a topic of this site",
        ),
        (
            "disclaimers",
            &page.front.disclaimers,
            disclaimers.collect(),
            Code::UnknownDisclaimer,
            "a disclaimer defined in site.yaml",
        ),
    ] {
        for id in used.iter().filter(|id| !known.contains(id)) {
            let suggestion = closest(id, known.iter().map(|k| k.as_str()));
            found.push(
                Diagnostic::error(code, format!("`{id}` is not {noun}"))
                    .at(page.file, locate(page.file, &page.yaml, field, Some(id)))
                    .hint(suggest_from(suggestion, field, known.iter().copied())),
            );
        }
    }
}

fn suggest_from<'a>(
    suggestion: Option<&str>,
    what: &str,
    known: impl Iterator<Item = &'a String>,
) -> String {
    let known: Vec<String> = known.map(|id| format!("`{id}`")).collect();
    let list = if known.is_empty() {
        format!("site.yaml defines no {what} yet; add this one under `{what}:` there")
    } else {
        format!("the {what} in site.yaml are {}", known.join(", "))
    };
    match suggestion {
        Some(guess) => format!("did you mean `{guess}`? {list}"),
        None => list,
    }
}

fn references(site: &Site<'_>, page: &Page<'_>, found: &mut Vec<Diagnostic>) {
    let mut seen = HashSet::new();
    for reference in &page.front.references {
        let id = &reference.id;
        if !seen.insert(id.as_str()) {
            found.push(
                Diagnostic::error(
                    Code::DuplicateReference,
                    format!("the reference id `{id}` is listed twice"),
                )
                .at(page.file, locate(page.file, &page.yaml, "id", Some(id)))
                .hint("remove the repeated entry, or give the second reference its own id"),
            );
        }
        if reference.is_id_only() && !site.bibliography.entries.contains_key(id) {
            let suggestion = closest(id, site.bibliography.entries.keys().map(String::as_str));
            let hint = match suggestion {
                Some(guess) => format!(
                    "did you mean `{guess}`? An entry with only `id:` must match an id in content/references.yaml"
                ),
                None => "add the full reference here (authors, title, source, year, doi or pmid), or add it to content/references.yaml".to_owned(),
            };
            found.push(
                Diagnostic::error(
                    Code::UnknownReference,
                    format!("the reference `{id}` is not in the shared bibliography"),
                )
                .at(page.file, locate(page.file, &page.yaml, "id", Some(id)))
                .hint(hint),
            );
        }
    }
}

fn citations(page: &Page<'_>, found: &mut Vec<Diagnostic>) {
    let ids: Vec<&str> = page
        .front
        .references
        .iter()
        .map(|r| r.id.as_str())
        .collect();
    for citation in &page.body.citations {
        for key in &citation.keys {
            if ids.contains(&key.as_str()) {
                continue;
            }
            let hint = match closest(key, ids.iter().copied()) {
                Some(guess) => format!("did you mean `[@{guess}]`?"),
                None if ids.is_empty() => format!(
                    "this article lists no references; add one with `id: {key}` under `references:`"
                ),
                None => format!(
                    "add a reference with `id: {key}` under `references:`, or cite one of: {}",
                    ids.join(", ")
                ),
            };
            found.push(
                Diagnostic::error(
                    Code::UnknownCitation,
                    format!("the citation `@{key}` matches no reference of this article"),
                )
                .at(page.file, citation.span.clone())
                .hint(hint),
            );
        }
    }
}

fn links(site: &Site<'_>, page: &Page<'_>, found: &mut Vec<Diagnostic>) {
    for link in &page.body.links {
        let (target, anchor) = match &link.target {
            LinkTarget::SamePage { anchor } => (page, anchor.as_str()),
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
                            Some(guess) => format!("did you mean `{guess}`? Links are written relative to this file"),
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

/// Two files that would be written to one address: `a.md` beside
/// `a/_index.md`, or names that differ only in case or punctuation.
fn duplicate_addresses(site: &Site<'_>) -> Vec<Diagnostic> {
    let mut first_by_address: HashMap<&str, &Page<'_>> = HashMap::new();
    let mut found = Vec::new();
    for page in &site.pages {
        if let Some(first) = first_by_address.insert(&page.output_path, page) {
            found.push(
                Diagnostic::error(
                    Code::DuplicateUrl,
                    format!(
                        "this page and `{}` would both be published as `{}`",
                        first.file.path.display(),
                        page.output_path
                    ),
                )
                .at(page.file, page.file.line_span(0))
                .hint("rename one of the two files"),
            );
        }
    }
    found
}
