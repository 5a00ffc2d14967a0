//! Stage 4, `verify`: proves that the rendered HTML still shows what the
//! policy required of each page. A theme edit that drops the disclaimers or
//! the reference list must fail the build, not publish a page without them.

use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic};
use crate::load::{PageKind, Site};
use crate::render::theme::Theme;
use crate::render::{Rendered, RenderedPage};

/// The attribute a theme must put on the element around each disclaimer.
pub fn disclaimer_marker(id: &str) -> String {
    format!("data-disclaimer=\"{id}\"")
}

/// The id a theme must give the list item of reference number `n`.
pub fn reference_marker(n: usize) -> String {
    format!("id=\"ref-{n}\"")
}

pub fn site(site: &Site<'_>, theme: &Theme, rendered: &Rendered) -> Vec<Diagnostic> {
    pages(site, theme, &rendered.pages)
}

/// Verifies the given rendered pages: all of a build, or what the preview
/// re-rendered after an edit.
pub fn pages(site: &Site<'_>, theme: &Theme, rendered: &[RenderedPage]) -> Vec<Diagnostic> {
    rendered
        .par_iter()
        .flat_map_iter(|output| {
            let page = &site.pages[output.page];
            let mut found = Vec::new();
            if page.kind != PageKind::Article {
                return found;
            }
            let template_file = theme.template_files.get(output.template);
            let problem = |what: String, hint: &str| {
                let mut diagnostic = Diagnostic::error(
                    Code::Verification,
                    format!(
                        "the page built from `{}` with the template `{}` does not show {what}",
                        page.file.path.display(),
                        output.template
                    ),
                )
                .hint(hint);
                if let Some(file) = template_file {
                    diagnostic = diagnostic.in_file(file);
                }
                diagnostic
            };
            for id in &page.front.disclaimers {
                let Some(text) = theme.disclaimers.get(id) else {
                    continue;
                };
                let shown = output
                    .html
                    .find(&disclaimer_marker(id))
                    .is_some_and(|at| output.html[at..].contains(text.trim()));
                if !shown {
                    found.push(problem(
                        format!("the disclaimer `{id}`"),
                        "the template must print each of `page.disclaimers` inside an element with data-disclaimer=\"{{ disclaimer.id }}\", followed by `{{ disclaimer.html | safe }}`",
                    ));
                }
            }
            for number in 1..=page.front.references.len() {
                if !output.html.contains(&reference_marker(number)) {
                    found.push(problem(
                        format!("reference {number} of its reference list"),
                        "the template must list each of `page.references` in an element with id=\"ref-{{ reference.number }}\"",
                    ));
                }
            }
            found
        })
        .collect()
}
