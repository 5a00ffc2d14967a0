//! The text of a page as its reader meets it: leaf blocks (a paragraph, a
//! heading, a table cell, a list item's own text, a code block, an HTML
//! block), each a sequence of inline runs with their places in the file.
//!
//! The checks, the search index, the glossary and verify read a page through
//! this model; only the renderer reads the parser's events, to write them
//! out as HTML. So every stage agrees on what the text of a page is: a
//! citation is one run, never its key as words; code is marked as code.
//!
//! The model is a view over the events `load` keeps for the renderer, not a
//! copy: holding a run per piece of text of every page until the site is
//! written cost 30 MB and a tenth of the build on 10,000 articles, while
//! walking the events again costs a few microseconds a page.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::body::{Body, citation_keys};
use super::stored::{Span, StoredEvent};

/// What kind of leaf a block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BlockTag {
    /// A paragraph.
    Paragraph,
    /// A heading; `index` is its place in [`Body::headings`].
    Heading {
        /// Its place in [`Body::headings`].
        index: usize,
    },
    /// A table's header or body cell.
    TableCell,
    /// The text of a tight list item (a loose one holds paragraphs).
    ListItem,
    /// A fenced or indented code block.
    CodeBlock,
    /// Raw HTML written as a block of its own.
    HtmlBlock,
    /// Text directly inside any other container (a footnote, a quote).
    Other,
}

/// One leaf block of a page.
#[derive(Debug, Clone)]
pub struct Block {
    /// What kind of block it is.
    pub tag: BlockTag,
    /// Its events in [`Body::events`], boundaries excluded.
    events: Range<usize>,
    /// The index in [`Body::citations`] of its first citation, if it has one.
    first_citation: usize,
}

/// What a run of a block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RunKind {
    /// Words (of a code block too: see the block's tag).
    Text,
    /// An inline code span.
    Code,
    /// A line break in the source, read as a space.
    SoftBreak,
    /// A forced line break (two spaces or `\` at a line's end).
    HardBreak,
    /// A `[@key]` citation; `index` is its place in [`Body::citations`].
    Citation {
        /// Its place in [`Body::citations`].
        index: usize,
    },
    /// Raw HTML the editor wrote, inline or as (part of) an HTML block.
    Html,
}

/// One run of a block, as a stage reads it.
#[derive(Debug, Clone)]
pub struct Run<'b> {
    /// What the run is.
    pub kind: RunKind,
    /// The run's text: words, code or markup; empty for breaks and citations.
    pub text: &'b str,
    /// Where it is in the file.
    pub span: Range<usize>,
    /// Whether the run is inside a link (not a citation).
    pub in_link: bool,
}

/// The leaf blocks of a page, found by walking its events.
pub struct Blocks<'b, 'a> {
    events: &'b [(StoredEvent<'a>, Span)],
    at: usize,
    /// The containers open, innermost last: a run belongs to the innermost.
    open: Vec<BlockTag>,
    block_start: usize,
    has_runs: bool,
    headings: usize,
    citations: usize,
    first_citation: usize,
}

impl Iterator for Blocks<'_, '_> {
    type Item = Block;

    fn next(&mut self) -> Option<Block> {
        while let Some((event, _)) = self.events.get(self.at) {
            let at = self.at;
            self.at += 1;
            match &*event.event() {
                Event::Start(tag) if !is_inline(tag) => {
                    let closed = self.close(at);
                    self.open.push(match tag {
                        Tag::Paragraph => BlockTag::Paragraph,
                        Tag::Heading { .. } => {
                            self.headings += 1;
                            BlockTag::Heading {
                                index: self.headings - 1,
                            }
                        }
                        Tag::TableCell => BlockTag::TableCell,
                        Tag::Item => BlockTag::ListItem,
                        Tag::CodeBlock(_) => BlockTag::CodeBlock,
                        Tag::HtmlBlock => BlockTag::HtmlBlock,
                        _ => BlockTag::Other,
                    });
                    if closed.is_some() {
                        return closed;
                    }
                }
                Event::End(tag) if !is_inline_end(tag) => {
                    let closed = self.close(at);
                    self.open.pop();
                    if closed.is_some() {
                        return closed;
                    }
                }
                Event::Start(Tag::Link { dest_url, .. }) if citation_keys(dest_url).is_some() => {
                    self.citations += 1;
                    self.has_runs = true;
                }
                Event::Text(_)
                | Event::Code(_)
                | Event::SoftBreak
                | Event::HardBreak
                | Event::Html(_)
                | Event::InlineHtml(_) => self.has_runs = true,
                _ => {}
            }
        }
        let end = self.events.len();
        let last = self.close(end);
        self.block_start = end;
        last
    }
}

impl Blocks<'_, '_> {
    /// Ends the block being read at event `end`, if it has anything in it
    /// (a heading is kept even when empty, so each heading has its block).
    fn close(&mut self, end: usize) -> Option<Block> {
        let tag = self.open.last().copied().unwrap_or(BlockTag::Other);
        let kept = self.has_runs || matches!(tag, BlockTag::Heading { .. });
        let block = kept.then_some(Block {
            tag,
            events: self.block_start..end,
            first_citation: self.first_citation,
        });
        self.block_start = end + 1;
        self.has_runs = false;
        self.first_citation = self.citations;
        block
    }
}

impl<'a> Body<'a> {
    /// Every leaf block of the page, in order.
    pub fn blocks(&self) -> Blocks<'_, 'a> {
        Blocks {
            events: &self.events,
            at: 0,
            open: Vec::new(),
            block_start: 0,
            has_runs: false,
            headings: 0,
            citations: 0,
            first_citation: 0,
        }
    }

    /// The runs of `block`, in order.
    pub fn runs<'b>(&'b self, block: &Block) -> impl Iterator<Item = Run<'b>> + 'b {
        let mut link_depth = 0usize;
        let mut in_citation = false;
        let mut citation = block.first_citation;
        self.events[block.events.clone()]
            .iter()
            .filter_map(move |(event, span)| {
                let (kind, text) = match event {
                    StoredEvent::Other(event) => {
                        let Event::Start(Tag::Link { dest_url, .. }) = &**event else {
                            return None;
                        };
                        if citation_keys(dest_url).is_none() {
                            link_depth += 1;
                            return None;
                        }
                        in_citation = true;
                        citation += 1;
                        (
                            RunKind::Citation {
                                index: citation - 1,
                            },
                            "",
                        )
                    }
                    StoredEvent::End(TagEnd::Link) => {
                        // A citation was one run, at its start.
                        if !std::mem::take(&mut in_citation) {
                            link_depth = link_depth.saturating_sub(1);
                        }
                        return None;
                    }
                    StoredEvent::Text(text) => (RunKind::Text, &**text),
                    StoredEvent::Code(text) => (RunKind::Code, &**text),
                    StoredEvent::Html(text) | StoredEvent::InlineHtml(text) => {
                        (RunKind::Html, &**text)
                    }
                    StoredEvent::SoftBreak => (RunKind::SoftBreak, ""),
                    StoredEvent::HardBreak => (RunKind::HardBreak, ""),
                    _ => return None,
                };
                Some(Run {
                    kind,
                    text,
                    span: span.range(),
                    in_link: link_depth > 0,
                })
            })
    }

    /// The editor's raw HTML of the page, one fragment per block: a whole
    /// HTML block, or the inline tags of one paragraph, heading or cell.
    pub fn raw_html(&self) -> impl Iterator<Item = Vec<Run<'_>>> + '_ {
        self.blocks()
            .map(|block| {
                self.runs(&block)
                    .filter(|run| run.kind == RunKind::Html)
                    .collect::<Vec<_>>()
            })
            .filter(|fragment| !fragment.is_empty())
    }

    /// Where the page's first raw HTML is, if it has any: verify looks
    /// hardest at such pages, and most have none.
    pub fn first_raw_html(&self) -> Option<Range<usize>> {
        self.events
            .iter()
            .find(|(event, _)| matches!(event, StoredEvent::Html(_) | StoredEvent::InlineHtml(_)))
            .map(|(_, span)| span.range())
    }

    /// The plain text of `block`: words and code, a space for each break,
    /// nothing for citations or markup.
    pub fn plain_text(&self, block: &Block) -> String {
        let mut text = String::new();
        for run in self.runs(block) {
            match run.kind {
                RunKind::Text | RunKind::Code => text.push_str(run.text),
                RunKind::SoftBreak | RunKind::HardBreak => text.push(' '),
                RunKind::Citation { .. } | RunKind::Html => {}
            }
        }
        text
    }
}

fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Link { .. }
            | Tag::Image { .. }
            | Tag::Superscript
            | Tag::Subscript
    )
}

fn is_inline_end(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Link
            | TagEnd::Image
            | TagEnd::Superscript
            | TagEnd::Subscript
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::body::parse;

    /// Each run as (kind, its source text, whether it is in a link).
    type Described = Vec<(RunKind, String, bool)>;

    fn described(text: &str) -> Vec<(BlockTag, Described)> {
        let body = parse(text, 0, "a.md");
        body.blocks()
            .map(|block| {
                let runs = body.runs(&block);
                let runs = runs.map(|r| (r.kind, text[r.span.clone()].to_owned(), r.in_link));
                (block.tag, runs.collect())
            })
            .collect()
    }

    #[test]
    fn each_leaf_block_holds_its_runs_with_their_places_in_the_file() {
        let text = "## Risks [@a]\n\nSee [the *list*](b.md) `code`  \nnext [@b; @c].\n\n- one <b>x</b>\n  - two\n\n| h |\n|---|\n| cell |\n\n```\n[@not]\n```\n\n<div>\nblock\n</div>\n";
        let blocks = described(text);
        use RunKind::*;
        let run = |kind, text: &str, in_link| (kind, text.to_owned(), in_link);
        assert_eq!(
            blocks,
            [
                (
                    BlockTag::Heading { index: 0 },
                    vec![
                        run(Text, "Risks ", false),
                        run(Citation { index: 0 }, "[@a]", false)
                    ]
                ),
                (
                    BlockTag::Paragraph,
                    vec![
                        run(Text, "See ", false),
                        run(Text, "the ", true),
                        run(Text, "list", true),
                        run(Text, " ", false),
                        run(Code, "`code`", false),
                        run(HardBreak, "  \n", false),
                        run(Text, "next ", false),
                        run(Citation { index: 1 }, "[@b; @c]", false),
                        run(Text, ".", false),
                    ]
                ),
                (
                    BlockTag::ListItem,
                    vec![
                        run(Text, "one ", false),
                        run(Html, "<b>", false),
                        run(Text, "x", false),
                        run(Html, "</b>", false)
                    ]
                ),
                (BlockTag::ListItem, vec![run(Text, "two", false)]),
                (BlockTag::TableCell, vec![run(Text, "h", false)]),
                (BlockTag::TableCell, vec![run(Text, "cell", false)]),
                (BlockTag::CodeBlock, vec![run(Text, "[@not]\n", false)]),
                (
                    BlockTag::HtmlBlock,
                    vec![
                        run(Html, "<div>\n", false),
                        run(Html, "block\n", false),
                        run(Html, "</div>\n", false)
                    ]
                ),
            ]
        );
    }

    #[test]
    fn raw_html_comes_a_block_at_a_time_and_links_with_their_destinations() {
        let text = "A <span>b</span> [c](javascript:x) ![d](e.png)\n\n<div>\n\nmiddle\n\n</div>\n\n[@cite]\n";
        let body = parse(text, 0, "a.md");
        let fragments: Vec<Vec<&str>> = body
            .raw_html()
            .map(|f| f.iter().map(|r| &text[r.span.clone()]).collect())
            .collect();
        assert_eq!(
            fragments,
            [vec!["<span>", "</span>"], vec!["<div>\n"], vec!["</div>\n"]]
        );
        let destinations: Vec<(&str, bool)> =
            body.destinations().map(|d| (d.url, d.is_image)).collect();
        assert_eq!(destinations, [("javascript:x", false), ("e.png", true)]);
        let paragraph = &body.blocks().next().unwrap();
        assert_eq!(body.plain_text(paragraph), "A b c d");
    }
}
