//! Untrusted markup. Editors paste from Word and web pages; a site about a
//! controlled drug is a target. Raw HTML is judged by [`super::html`] one
//! block at a time, as a browser reads it; links and images must be safe
//! and images the site's own; heading attributes are limited to an id and
//! classes. Anything else is refused at its line, never silently
//! stripped, so the editor knows what happened.

use std::ops::Range;

use pulldown_cmark::Event;

use super::html::{self, is_elsewhere, unsafe_scheme};
use crate::diagnostics::{Code, Diagnostic};
use crate::load::Page;
use crate::load::blocks::Run;
use crate::load::body::Destination;
use crate::source::SourceFile;

/// Real writing nests lists or quotes a few levels; hundreds of levels is an
/// accident or an attack on the browser, and no reader could follow it.
pub(super) const MAX_NESTING: usize = 32;

pub(super) fn check(page: &Page<'_>, found: &mut Vec<Diagnostic>) {
    let (depth, place) = &page.body.deepest;
    if *depth > MAX_NESTING {
        found.push(
            Diagnostic::error(
                Code::UnsafeMarkup,
                format!("lists or quotes here are nested {depth} levels deep; the most allowed is {MAX_NESTING}"),
            )
            .at(page.file, place.start..page.file.line_span(place.start).end)
            .hint("flatten the list: use headings and separate lists instead of nesting"),
        );
        // Checking markup inside such a structure would only repeat this.
        return;
    }
    for fragment in page.body.raw_html() {
        judge_block(page.file, &fragment, found);
    }
    for heading in &page.body.headings {
        for name in &heading.other_attributes {
            found.push(
                Diagnostic::error(
                    Code::UnsafeMarkup,
                    format!("a heading may carry only an id and classes, not `{name}`"),
                )
                .at(page.file, page.file.line_span(heading.span.start))
                .hint("remove it from the `{...}` after the heading: write `{#id}` to name the heading"),
            );
        }
    }
    for Destination {
        url,
        span,
        is_image,
    } in page.body.destinations()
    {
        let what = if is_image { "this image" } else { "this link" };
        refuse_unsafe_scheme(page.file, url, &span, what, found);
        if is_image && is_elsewhere(url) && unsafe_scheme(url).is_none() {
            found.push(
                Diagnostic::error(
                    Code::UnsafeMarkup,
                    format!("this image is loaded from another site (`{url}`)"),
                )
                .at(page.file, span.clone())
                .hint("download the image into content/ beside the article and use its file name: pages never ask another site for anything, so patients' visits stay private"),
            );
        }
    }
}

/// The theme prints `title:` as the page's one top-level heading; a `#`
/// heading in the body is a second title, which confuses screen-reader
/// users who jump from heading to heading, and the outline of the page.
pub(super) fn second_title(page: &Page<'_>, found: &mut Vec<Diagnostic>) {
    for heading in page.body.headings.iter().filter(|h| h.level == 1) {
        found.push(
            Diagnostic::warning(
                Code::SecondTitle,
                format!("`# {}` is a second title: the page's title comes from `title:`", heading.text),
            )
            .at(page.file, page.file.line_span(heading.span.start))
            .hint("start the heading with `##` (a section of the page); if it is the title, delete it here and set `title:` in the front matter"),
        );
    }
}

fn refuse_unsafe_scheme(
    file: &SourceFile,
    url: &str,
    range: &Range<usize>,
    what: &str,
    found: &mut Vec<Diagnostic>,
) {
    if let Some(scheme) = unsafe_scheme(url) {
        found.push(
            Diagnostic::error(
                Code::UnsafeMarkup,
                format!("{what} uses `{scheme}:`, which can run code or hide content"),
            )
            .at(file, range.clone())
            .hint("link to a web page (https://...) or to another article (its .md file); put images in the site's folders"),
        );
    }
}

/// Judges the raw HTML of one block as one fragment. Pieces that do not
/// touch in the file are joined by a line break; each problem is reported
/// where its piece stands.
fn judge_block(file: &SourceFile, block: &[Run<'_>], found: &mut Vec<Diagnostic>) {
    if block.is_empty() {
        return;
    }
    let mut fragment = String::new();
    // (offset in the fragment, offset in the file) where each piece starts.
    let mut starts = Vec::with_capacity(block.len());
    let mut file_end = None;
    for Run {
        text: piece, span, ..
    } in block
    {
        let start = span.start;
        if file_end.is_some_and(|end| end != start) {
            fragment.push('\n');
        }
        starts.push((fragment.len(), start));
        fragment.push_str(piece);
        file_end = Some(start + piece.len());
    }
    for problem in html::judge(&fragment) {
        let (piece_at, file_at) = starts
            .iter()
            .rev()
            .find(|(at, _)| *at <= problem.at)
            .copied()
            .unwrap_or((0, starts[0].1));
        let at = (file_at + problem.at - piece_at).min(file.text.len());
        // The tag itself, up to its `>` if that is near on the same line.
        let line_end = file.line_span(at).end.max(at);
        let near = (at + 200).min(line_end);
        let near = (at..=near)
            .rev()
            .find(|&i| file.text.is_char_boundary(i))
            .unwrap_or(at);
        let end = file.text[at..near]
            .find('>')
            .map_or(line_end, |i| at + i + 1);
        found.push(
            Diagnostic::error(Code::UnsafeMarkup, problem.message)
                .at(file, at..end)
                .hint(problem.hint),
        );
    }
}

/// Judges the disclaimer texts of `site.yaml`: they are rendered as
/// markdown onto every page that needs them, raw HTML included.
pub(super) fn disclaimers(site: &crate::load::Site<'_>) -> Vec<Diagnostic> {
    let file = site.config_file;
    let mut found = Vec::new();
    for (id, disclaimer) in &site.config.disclaimers {
        let mut raw = String::new();
        for event in pulldown_cmark::Parser::new(&disclaimer.text) {
            if let Event::Html(piece) | Event::InlineHtml(piece) = event {
                raw.push_str(&piece);
            }
        }
        for problem in html::judge(&raw) {
            // site.yaml holds the text as YAML wrote it; point at the
            // offending tag where it can be found, else at the disclaimer.
            let tag_text = raw[problem.at..].split('>').next().unwrap_or("");
            let at = file
                .text
                .find(tag_text)
                .filter(|_| !tag_text.is_empty())
                .or_else(|| file.text.find(&format!("{id}:")))
                .unwrap_or(0);
            found.push(
                Diagnostic::error(
                    Code::UnsafeMarkup,
                    format!("the disclaimer `{id}`: {}", problem.message),
                )
                .at(file, at..file.line_span(at).end)
                .hint(problem.hint),
            );
        }
    }
    found
}
