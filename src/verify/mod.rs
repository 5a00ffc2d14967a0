//! Stage 4, `verify`: proves that the rendered HTML still shows what the
//! policy required of each page. A theme edit that drops the disclaimers or
//! the reference list must fail the build, not publish a page without them.
//!
//! Pages whose text came only through Pamphlet's own renderer (every
//! character of the editor's escaped) are checked by their markers, which
//! costs nothing. A page with raw HTML from its editor, and the first page
//! of each template, are parsed as a browser parses them and judged whole
//! (`verify::browser`): a comment, an unclosed element or a hidden wrapper can
//! swallow what the theme prints after the article.

pub(crate) mod browser;

use std::collections::{BTreeMap, HashSet};

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

/// Verifies every rendered page of a build.
pub fn site(site: &Site<'_>, theme: &Theme, rendered: &Rendered) -> Vec<Diagnostic> {
    pages(site, theme, &rendered.pages)
}

/// Verifies the given rendered pages: all of a build, or what the preview
/// re-rendered after an edit.
pub fn pages(site: &Site<'_>, theme: &Theme, rendered: &[RenderedPage]) -> Vec<Diagnostic> {
    let verifier = Verifier::new(site, theme);
    let mut templates_seen = HashSet::new();
    let first_of_template: Vec<bool> = rendered
        .iter()
        .map(|output| templates_seen.insert(output.template))
        .collect();
    rendered
        .par_iter()
        .zip(first_of_template)
        .flat_map_iter(|(output, first_of_its_template)| {
            verifier.page(output, first_of_its_template)
        })
        .collect()
}

/// What verifying any page needs, worked out once for the whole site.
pub struct Verifier<'s, 'a> {
    site: &'s Site<'a>,
    theme: &'s Theme,
    /// Each disclaimer's text as a browser shows it.
    disclaimer_texts: BTreeMap<&'s str, String>,
    /// Whether a disclaimer's own markdown holds raw HTML, so that every
    /// article must be read whole.
    disclaimers_have_markup: bool,
}

impl<'s, 'a> Verifier<'s, 'a> {
    /// Prepares to verify the pages of `site` rendered with `theme`.
    pub fn new(site: &'s Site<'a>, theme: &'s Theme) -> Self {
        let disclaimer_texts: BTreeMap<&str, String> = theme
            .disclaimers
            .iter()
            .map(|(id, html)| {
                let text: String = scraper::Html::parse_fragment(html)
                    .root_element()
                    .text()
                    .collect();
                (id.as_str(), text)
            })
            .collect();
        let disclaimers_have_markup = site
            .config
            .disclaimers
            .values()
            .any(|disclaimer| has_raw_html(&disclaimer.text));
        Verifier {
            site,
            theme,
            disclaimer_texts,
            disclaimers_have_markup,
        }
    }

    /// The problems of one rendered page. The first page of each template
    /// is read whole, as a browser reads it, since it proves the template.
    pub fn page(&self, output: &RenderedPage, first_of_its_template: bool) -> Vec<Diagnostic> {
        let (site, theme) = (self.site, self.theme);
        let disclaimer_texts = &self.disclaimer_texts;
        let disclaimers_have_markup = self.disclaimers_have_markup;
        let page = &site.pages[output.page];
        let mut found = Vec::new();
        let template_file = theme.template_files.get(output.template);
        let problem = |what: String, hint: &str| {
            let mut diagnostic = Diagnostic::error(
                Code::Verification,
                format!(
                    "the page built from `{}` with the template `{}` {what}",
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
        let is_article = page.kind == PageKind::Article;
        let first_editor_markup = page.body.first_raw_html();
        let editor_markup = first_editor_markup.is_some();
        if editor_markup || first_of_its_template || (is_article && disclaimers_have_markup) {
            let required = browser::Required {
                disclaimers: if is_article {
                    page.front
                        .disclaimers
                        .iter()
                        .filter_map(|id| {
                            Some((id.as_str(), disclaimer_texts.get(id.as_str())?.as_str()))
                        })
                        .collect()
                } else {
                    Vec::new()
                },
                references: if is_article {
                    page.front.references.len()
                } else {
                    0
                },
            };
            for what in browser::problems(&output.html, &required) {
                // With markup of the editor's own on the page, the
                // article is where to look first, not the template.
                found.push(match &first_editor_markup {
                    Some(span) => problem(what, "look at the raw HTML in this article: close every element it opens and every `<!--` comment, and use only plain markup (no scripts, frames, handlers, hidden parts or files from other sites)")
                        .at(page.file, span.clone()),
                    None => problem(what, "the template must not load anything from another site, run inline scripts, or hide what the policy requires"),
                });
            }
        }
        if !is_article {
            return found;
        }
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
                    format!("does not show the disclaimer `{id}`"),
                    "the template must print each of `page.disclaimers` inside an element with data-disclaimer=\"{{ disclaimer.id }}\", followed by `{{ disclaimer.html | safe }}`",
                ));
            }
        }
        for number in 1..=page.front.references.len() {
            if !output.html.contains(&reference_marker(number)) {
                found.push(problem(
                    format!("does not show reference {number} of its reference list"),
                    "the template must list each of `page.references` in an element with id=\"ref-{{ reference.number }}\"",
                ));
            }
        }
        found
    }
}

/// Whether markdown `text` holds raw HTML of its writer's own.
fn has_raw_html(text: &str) -> bool {
    use pulldown_cmark::Event;
    pulldown_cmark::Parser::new(text)
        .any(|event| matches!(event, Event::Html(_) | Event::InlineHtml(_)))
}
