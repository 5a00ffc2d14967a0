//! Links between pages: the target exists, will be published, and has the
//! heading the link points at.

use crate::diagnostics::{Code, Diagnostic, closest};
use crate::load::{Page, Site};
use crate::paths::LinkTarget;

pub(super) fn check(site: &Site<'_>, page: &Page<'_>, found: &mut Vec<Diagnostic>) {
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
