//! Untrusted markup. Editors paste from Word and web pages; a site about a
//! controlled drug is a target. Raw HTML is judged by [`super::html`] one
//! block at a time, as a browser reads it; links and images must be safe
//! and images the site's own; heading attributes are limited to an id and
//! classes. Anything else is refused at its line, never silently
//! stripped, so the editor knows what happened.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::html::{self, is_elsewhere, unsafe_scheme};
use crate::diagnostics::{Code, Diagnostic};
use crate::load::Page;
use crate::load::body::citation_keys;
use crate::source::SourceFile;

/// Real writing nests lists or quotes a few levels; hundreds of levels is an
/// accident or an attack on the browser, and no reader could follow it.
pub const MAX_NESTING: usize = 32;

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
    // Raw HTML of one block (an HTML block, or the inline tags of one
    // paragraph, heading or cell), with where each piece stands in the file.
    let mut block: Vec<(&str, usize)> = Vec::new();
    for (event, range) in &page.body.events {
        match event {
            Event::Html(raw) | Event::InlineHtml(raw) => block.push((raw, range.start)),
            Event::End(
                TagEnd::HtmlBlock
                | TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::TableCell
                | TagEnd::Item
                | TagEnd::FootnoteDefinition
                | TagEnd::BlockQuote(_),
            ) => judge_block(page.file, &mut block, found),
            Event::Start(Tag::Heading { attrs, .. }) => {
                for (name, _) in attrs {
                    found.push(
                        Diagnostic::error(
                            Code::UnsafeMarkup,
                            format!("a heading may carry only an id and classes, not `{name}`"),
                        )
                        .at(page.file, page.file.line_span(range.start))
                        .hint("remove it from the `{...}` after the heading: write `{#id}` to name the heading"),
                    );
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) if citation_keys(dest_url).is_none() => {
                refuse_unsafe_scheme(page.file, dest_url, range, "this link", found);
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                refuse_unsafe_scheme(page.file, dest_url, range, "this image", found);
                if is_elsewhere(dest_url) && unsafe_scheme(dest_url).is_none() {
                    found.push(
                        Diagnostic::error(
                            Code::UnsafeMarkup,
                            format!("this image is loaded from another site (`{dest_url}`)"),
                        )
                        .at(page.file, range.clone())
                        .hint("download the image into content/ beside the article and use its file name: pages never ask another site for anything, so patients' visits stay private"),
                    );
                }
            }
            _ => {}
        }
    }
    judge_block(page.file, &mut block, found);
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

/// Judges the raw HTML gathered for one block as one fragment, then
/// empties it. Pieces that do not touch in the file are joined by a line
/// break; each problem is reported where its piece stands.
fn judge_block(file: &SourceFile, block: &mut Vec<(&str, usize)>, found: &mut Vec<Diagnostic>) {
    if block.is_empty() {
        return;
    }
    let mut fragment = String::new();
    // (offset in the fragment, offset in the file) where each piece starts.
    let mut starts = Vec::with_capacity(block.len());
    let mut file_end = None;
    for (piece, start) in block.drain(..) {
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
pub fn disclaimers(site: &crate::load::Site<'_>) -> Vec<Diagnostic> {
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
