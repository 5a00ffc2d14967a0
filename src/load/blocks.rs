//! The text of a page as its reader meets it: leaf blocks (a paragraph, a
//! heading, a table cell, a list item's own text, a code block, an HTML
//! block), each a sequence of inline runs with their places in the file.
//!
//! The checks, the search index, the glossary and verify read a page through
//! this model; only the renderer reads the parser's events, to write them
//! out as HTML. So every stage agrees on what the text of a page is: a
//! citation is one run, never its key as words; code is marked as code.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

/// What kind of leaf a block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockTag {
    Paragraph,
    /// A heading; `index` is its place in [`super::Body::headings`].
    Heading {
        index: usize,
    },
    TableCell,
    /// The text of a tight list item (a loose one holds paragraphs).
    ListItem,
    CodeBlock,
    HtmlBlock,
    /// Text directly inside any other container (a footnote, a quote).
    Other,
}

/// One leaf block of a page.
#[derive(Debug, Clone)]
pub struct Block {
    pub tag: BlockTag,
    runs: Range<usize>,
}

/// What a run of a block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunKind {
    /// Words (of a code block too: see the block's tag).
    Text,
    /// An inline code span.
    Code,
    SoftBreak,
    HardBreak,
    /// A `[@key]` citation; `index` is its place in [`super::Body::citations`].
    Citation {
        index: usize,
    },
    /// Raw HTML the editor wrote, inline or as (part of) an HTML block.
    Html,
}

#[derive(Debug, Clone)]
pub(super) struct RunAt {
    kind: RunKind,
    /// Whether the run is inside a link (not a citation).
    in_link: bool,
    /// The parser event it was read from, in [`super::Body::events`].
    event: usize,
}

/// One run of a block, as a stage reads it.
#[derive(Debug, Clone, Copy)]
pub struct Run<'b> {
    pub kind: RunKind,
    /// The run's text: words, code or markup; empty for breaks and citations.
    pub text: &'b str,
    /// Where it is in the file.
    pub span: &'b Range<usize>,
    pub in_link: bool,
}

/// Builds the blocks while `Body::parse` reads the events, so the markdown
/// is parsed once.
#[derive(Debug, Default)]
pub(super) struct Blocks {
    pub(super) blocks: Vec<Block>,
    pub(super) runs: Vec<RunAt>,
    /// The containers open, innermost last: a run belongs to the innermost.
    open: Vec<BlockTag>,
    block_start: usize,
    link_depth: usize,
    in_citation: bool,
}

impl Blocks {
    /// Notes event number `event` (already placed, or about to be placed,
    /// at that index of the body's events). `citation` is the index of the
    /// citation the event starts, if it starts one.
    pub(super) fn see(
        &mut self,
        event: &Event<'_>,
        index: usize,
        heading: usize,
        citation: Option<usize>,
    ) {
        let kind = match event {
            Event::Start(Tag::Link { .. }) => {
                match citation {
                    Some(citation) => {
                        self.in_citation = true;
                        self.push(RunKind::Citation { index: citation }, index);
                    }
                    None => self.link_depth += 1,
                }
                return;
            }
            Event::End(TagEnd::Link) => {
                // A citation was one run, at its start.
                if !std::mem::take(&mut self.in_citation) {
                    self.link_depth = self.link_depth.saturating_sub(1);
                }
                return;
            }
            Event::Start(tag) if !is_inline(tag) => {
                self.close();
                self.open.push(match tag {
                    Tag::Paragraph => BlockTag::Paragraph,
                    Tag::Heading { .. } => BlockTag::Heading { index: heading },
                    Tag::TableCell => BlockTag::TableCell,
                    Tag::Item => BlockTag::ListItem,
                    Tag::CodeBlock(_) => BlockTag::CodeBlock,
                    Tag::HtmlBlock => BlockTag::HtmlBlock,
                    _ => BlockTag::Other,
                });
                return;
            }
            Event::End(tag) if !is_inline_end(tag) => {
                self.close();
                self.open.pop();
                return;
            }
            Event::Text(_) => RunKind::Text,
            Event::Code(_) => RunKind::Code,
            Event::SoftBreak => RunKind::SoftBreak,
            Event::HardBreak => RunKind::HardBreak,
            Event::Html(_) | Event::InlineHtml(_) => RunKind::Html,
            _ => return,
        };
        self.push(kind, index);
    }

    fn push(&mut self, kind: RunKind, event: usize) {
        self.runs.push(RunAt {
            kind,
            in_link: self.link_depth > 0,
            event,
        });
    }

    /// Ends the block being read, if it has anything in it (a heading is
    /// kept even when empty, so each heading has its block).
    pub(super) fn close(&mut self) {
        let tag = self.open.last().copied().unwrap_or(BlockTag::Other);
        if self.runs.len() > self.block_start || matches!(tag, BlockTag::Heading { .. }) {
            self.blocks.push(Block {
                tag,
                runs: self.block_start..self.runs.len(),
            });
        }
        self.block_start = self.runs.len();
    }
}

impl super::Body<'_> {
    /// Every leaf block of the page, in order.
    pub fn blocks(&self) -> &[Block] {
        &self.blocks.blocks
    }

    /// The runs of `block`, in order.
    pub fn runs<'b>(&'b self, block: &'b Block) -> impl Iterator<Item = Run<'b>> + 'b {
        self.blocks.runs[block.runs.clone()].iter().map(|run| {
            let (event, span) = &self.events[run.event];
            let text = match event {
                Event::Text(text)
                | Event::Code(text)
                | Event::Html(text)
                | Event::InlineHtml(text) => &**text,
                _ => "",
            };
            Run {
                kind: run.kind,
                text,
                span,
                in_link: run.in_link,
            }
        })
    }

    /// The editor's raw HTML of the page, one fragment per block: a whole
    /// HTML block, or the inline tags of one paragraph, heading or cell.
    pub fn raw_html(&self) -> impl Iterator<Item = Vec<Run<'_>>> + '_ {
        self.blocks()
            .iter()
            .map(|block| {
                self.runs(block)
                    .filter(|run| run.kind == RunKind::Html)
                    .collect::<Vec<_>>()
            })
            .filter(|fragment| !fragment.is_empty())
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

pub(super) fn is_inline(tag: &Tag<'_>) -> bool {
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

pub(super) fn is_inline_end(tag: &TagEnd) -> bool {
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
            .iter()
            .map(|block| {
                let runs = body.runs(block);
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
        let paragraph = &body.blocks()[0];
        assert_eq!(body.plain_text(paragraph), "A b c d");
    }
}
