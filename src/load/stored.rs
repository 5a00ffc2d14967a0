//! A parsed event as a page keeps it from `load` until it is rendered.
//!
//! Every page's events are held from load to render, so their size is the
//! build's memory: pulldown-cmark's `Event` is 80 bytes, sized for a link's
//! three strings, while nine events in ten are text, a break or a plain
//! start or end. Those are kept inline here in 32 bytes, with their place
//! in 8; the rest (links, images, headings, code blocks, tables, footnotes)
//! are boxed. On the wide 10k corpus the events went from 255 MB (96 bytes
//! each, and the slack of vectors grown by doubling) to 104 MB.

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, Tag, TagEnd};

/// Where an event is in its file, in 8 bytes rather than a `Range`'s 16:
/// an article is at most [`MAX_ARTICLE_BYTES`](super::MAX_ARTICLE_BYTES),
/// so its offsets fit in 32 bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    start: u32,
    end: u32,
}

impl Span {
    /// Where it is, as a range of bytes of the file.
    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    pub(crate) fn of(range: Range<usize>) -> Self {
        let offset = |at: usize| u32::try_from(at).unwrap_or(u32::MAX);
        Span {
            start: offset(range.start),
            end: offset(range.end),
        }
    }
}

/// One event of a page's body, as kept between stages.
#[derive(Debug, Clone, PartialEq)]
pub enum StoredEvent<'a> {
    /// [`Event::Text`].
    Text(CowStr<'a>),
    /// [`Event::Code`].
    Code(CowStr<'a>),
    /// [`Event::Html`].
    Html(CowStr<'a>),
    /// [`Event::InlineHtml`].
    InlineHtml(CowStr<'a>),
    /// [`Event::SoftBreak`].
    SoftBreak,
    /// [`Event::HardBreak`].
    HardBreak,
    /// [`Event::End`].
    End(TagEnd),
    /// [`Event::Start`] of a tag that carries no text.
    Start(PlainTag),
    /// Any other event, as the parser gave it.
    Other(Box<Event<'a>>),
}

/// The tags that carry no text of their own, the common ones.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PlainTag {
    /// [`Tag::Paragraph`].
    Paragraph,
    /// [`Tag::Item`].
    Item,
    /// [`Tag::List`].
    List(Option<u64>),
    /// [`Tag::BlockQuote`].
    BlockQuote(Option<BlockQuoteKind>),
    /// [`Tag::HtmlBlock`].
    HtmlBlock,
    /// [`Tag::TableHead`].
    TableHead,
    /// [`Tag::TableRow`].
    TableRow,
    /// [`Tag::TableCell`].
    TableCell,
    /// [`Tag::Emphasis`].
    Emphasis,
    /// [`Tag::Strong`].
    Strong,
    /// [`Tag::Strikethrough`].
    Strikethrough,
}

impl PlainTag {
    fn of(tag: &Tag<'_>) -> Option<PlainTag> {
        Some(match tag {
            Tag::Paragraph => PlainTag::Paragraph,
            Tag::Item => PlainTag::Item,
            Tag::List(first) => PlainTag::List(*first),
            Tag::BlockQuote(kind) => PlainTag::BlockQuote(*kind),
            Tag::HtmlBlock => PlainTag::HtmlBlock,
            Tag::TableHead => PlainTag::TableHead,
            Tag::TableRow => PlainTag::TableRow,
            Tag::TableCell => PlainTag::TableCell,
            Tag::Emphasis => PlainTag::Emphasis,
            Tag::Strong => PlainTag::Strong,
            Tag::Strikethrough => PlainTag::Strikethrough,
            _ => return None,
        })
    }

    fn tag<'a>(self) -> Tag<'a> {
        match self {
            PlainTag::Paragraph => Tag::Paragraph,
            PlainTag::Item => Tag::Item,
            PlainTag::List(first) => Tag::List(first),
            PlainTag::BlockQuote(kind) => Tag::BlockQuote(kind),
            PlainTag::HtmlBlock => Tag::HtmlBlock,
            PlainTag::TableHead => Tag::TableHead,
            PlainTag::TableRow => Tag::TableRow,
            PlainTag::TableCell => Tag::TableCell,
            PlainTag::Emphasis => Tag::Emphasis,
            PlainTag::Strong => Tag::Strong,
            PlainTag::Strikethrough => Tag::Strikethrough,
        }
    }
}

impl<'a> From<Event<'a>> for StoredEvent<'a> {
    fn from(event: Event<'a>) -> Self {
        match event {
            Event::Text(text) => StoredEvent::Text(text),
            Event::Code(text) => StoredEvent::Code(text),
            Event::Html(text) => StoredEvent::Html(text),
            Event::InlineHtml(text) => StoredEvent::InlineHtml(text),
            Event::SoftBreak => StoredEvent::SoftBreak,
            Event::HardBreak => StoredEvent::HardBreak,
            Event::End(tag) => StoredEvent::End(tag),
            Event::Start(tag) => match PlainTag::of(&tag) {
                Some(plain) => StoredEvent::Start(plain),
                None => StoredEvent::Other(Box::new(Event::Start(tag))),
            },
            other => StoredEvent::Other(Box::new(other)),
        }
    }
}

impl<'a> StoredEvent<'a> {
    /// The event as the parser gave it: borrowed when boxed, else rebuilt,
    /// which copies no text (a `CowStr` of the source is a pointer).
    pub fn event(&self) -> Cow<'_, Event<'a>> {
        Cow::Owned(match self {
            StoredEvent::Text(text) => Event::Text(text.clone()),
            StoredEvent::Code(text) => Event::Code(text.clone()),
            StoredEvent::Html(text) => Event::Html(text.clone()),
            StoredEvent::InlineHtml(text) => Event::InlineHtml(text.clone()),
            StoredEvent::SoftBreak => Event::SoftBreak,
            StoredEvent::HardBreak => Event::HardBreak,
            StoredEvent::End(tag) => Event::End(*tag),
            StoredEvent::Start(plain) => Event::Start(plain.tag()),
            StoredEvent::Other(event) => return Cow::Borrowed(event),
        })
    }

    /// The event itself, for changing a boxed one in place (a heading's
    /// anchor is set once the heading has been read).
    pub(crate) fn boxed_mut(&mut self) -> Option<&mut Event<'a>> {
        match self {
            StoredEvent::Other(event) => Some(event),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::Parser;

    #[test]
    fn a_kept_event_is_less_than_half_the_size_of_the_parsers() {
        assert!(std::mem::size_of::<(StoredEvent<'_>, Span)>() <= 40);
        assert!(std::mem::size_of::<Event<'_>>() >= 72);
    }

    /// Every event of every markdown file the project holds (the included
    /// site, the fuzz corpus and its regressions) comes back as parsed.
    #[test]
    fn every_event_of_real_and_hostile_markdown_comes_back_as_parsed() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut events_seen = 0;
        for folder in [
            "content",
            "fuzz/corpus",
            "fuzz/regressions",
            "tests/fixtures",
        ] {
            for entry in walkdir::WalkDir::new(root.join(folder))
                .into_iter()
                .flatten()
            {
                let Ok(text) = std::fs::read_to_string(entry.path()) else {
                    continue;
                };
                for event in Parser::new_ext(&text, crate::load::body::options()) {
                    let stored = StoredEvent::from(event.clone());
                    assert_eq!(*stored.event(), event, "in {}", entry.path().display());
                    events_seen += 1;
                }
            }
        }
        assert!(events_seen > 100_000, "only {events_seen} events read");
    }
}
