//! A page's body as sentences, the way a reader sees them: citations
//! removed, spaces collapsed, code left out. The prose checks, readability
//! and the citation report all read them. Sentences come from the blocks
//! `load` already read, so the markdown is not parsed again.
//!
//! Every sentence of a page is written into one text, so that each pattern
//! runs over a page once (per search, the regex engine's setup cost more
//! than the search itself on sentences this short), and so that a page's
//! sentences take a handful of allocations rather than three each.

use std::ops::Range;

use crate::load::Page;
use crate::load::blocks::{BlockTag, RunKind};

/// Where a sentence stands: readability counts running prose only, and a
/// heading is not a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum BlockKind {
    /// Paragraphs, list items, quotations: what readers read as text.
    #[default]
    Prose,
    /// A heading.
    Heading,
    /// A table's cell.
    TableCell,
    /// A paragraph or list item whose every word is a link's ("What to read
    /// next" lists): a way around the site, not running prose.
    LinkOnly,
}

/// Between sentences in [`Prose::text`]: not a space, letter or digit, so no
/// pattern's match can run from one sentence into the next.
const SENTENCE_BREAK: char = '\u{1}';

/// Every sentence of one page's body, in order.
#[derive(Debug, Default)]
pub struct Prose<'p> {
    /// Each sentence followed by [`SENTENCE_BREAK`].
    text: String,
    spans: Vec<Span>,
    keys: Vec<&'p str>,
    /// (offset in `text`, offset in the file) wherever the mapping from one
    /// to the other jumps, ascending; each sentence starts with one.
    anchors: Vec<(usize, usize)>,
}

#[derive(Debug, Clone)]
struct Span {
    text: Range<usize>,
    keys: Range<usize>,
    anchors: Range<usize>,
    kind: BlockKind,
}

/// One sentence of body text.
#[derive(Debug, Clone, Copy)]
pub struct Sentence<'s> {
    /// The sentence as plain text, spaces collapsed and citations left out.
    pub text: &'s str,
    /// Byte offset in the file where the sentence starts.
    pub start: usize,
    /// Citation keys inside the sentence, in order.
    pub keys: &'s [&'s str],
    /// Where it stands: prose, heading, table cell or a list of links.
    pub kind: BlockKind,
    /// Where `text` starts in [`Prose::text`].
    at: usize,
    anchors: &'s [(usize, usize)],
}

impl Sentence<'_> {
    /// The file offset of byte `at` of `text`.
    pub fn file_offset(&self, at: usize) -> usize {
        let in_prose = self.at + at;
        let index = self
            .anchors
            .partition_point(|(text_at, _)| *text_at <= in_prose);
        match index.checked_sub(1).map(|i| self.anchors[i]) {
            Some((text_at, file_at)) => file_at + (in_prose - text_at),
            None => self.start,
        }
    }
}

impl<'p> Prose<'p> {
    /// Splits the page's body into sentences.
    pub fn of(page: &'p Page<'_>) -> Self {
        let mut prose = Prose {
            text: String::with_capacity(page.file.text.len().saturating_sub(page.body_start)),
            ..Prose::default()
        };
        let body = &page.body;
        let mut block = Block::default();
        for leaf in body.blocks() {
            block.kind = match leaf.tag {
                BlockTag::CodeBlock | BlockTag::HtmlBlock => continue,
                BlockTag::Heading { .. } => BlockKind::Heading,
                BlockTag::TableCell => BlockKind::TableCell,
                _ => BlockKind::Prose,
            };
            for run in body.runs(&leaf) {
                match run.kind {
                    RunKind::Text => {
                        block.anchors.push((block.text.len(), run.span.start));
                        block.text.push_str(run.text);
                        if !run.in_link && run.text.chars().any(char::is_alphanumeric) {
                            block.words_outside_links = true;
                        }
                    }
                    RunKind::Code | RunKind::SoftBreak | RunKind::HardBreak => block.text.push(' '),
                    RunKind::Citation { index } => {
                        let at = block.text.len();
                        let keys = body.citations[index].keys.iter();
                        block.citations.extend(keys.map(|key| (at, key.as_str())));
                        block.text.push(CITATION_MARK);
                    }
                    RunKind::Html => {}
                }
            }
            block.split_into(&mut prose);
        }
        prose
    }

    /// Every sentence, each followed by a control character that no pattern matches across.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// How many sentences the page has.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// True for a page with no text.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// The sentence at `index`, from 0.
    pub fn sentence(&self, index: usize) -> Sentence<'_> {
        let span = &self.spans[index];
        let anchors = &self.anchors[span.anchors.clone()];
        Sentence {
            text: &self.text[span.text.clone()],
            start: anchors.first().map_or(0, |(_, file_at)| *file_at),
            keys: &self.keys[span.keys.clone()],
            kind: span.kind,
            at: span.text.start,
            anchors,
        }
    }

    /// Every sentence, in order.
    pub fn sentences(&self) -> impl ExactSizeIterator<Item = Sentence<'_>> + Clone {
        (0..self.spans.len()).map(|index| self.sentence(index))
    }

    /// Where sentence `index` starts in [`Prose::text`].
    pub fn sentence_text_start(&self, index: usize) -> usize {
        self.spans[index].text.start
    }

    /// The index of the sentence that byte `at` of [`Prose::text`] is in.
    pub fn sentence_at(&self, at: usize) -> usize {
        self.spans.partition_point(|span| span.text.start <= at) - 1
    }

    /// The file offset of byte `at` of [`Prose::text`].
    pub fn file_offset(&self, at: usize) -> usize {
        let index = self.sentence_at(at);
        self.sentence(index)
            .file_offset(at - self.spans[index].text.start)
    }
}

/// Stands for a citation inside block text while splitting sentences, so a
/// citation after the full stop still belongs to the sentence before it.
const CITATION_MARK: char = '\u{E000}';

/// Words that end with a full stop without ending a sentence.
const ABBREVIATIONS: [&str; 12] = [
    "e.g", "i.e", "dr", "mr", "mrs", "ms", "vs", "etc", "al", "st", "no", "approx",
];

/// A run of inline text: a paragraph, list item, table cell or heading. One
/// is reused for every block of a page, keeping its buffers.
#[derive(Default)]
struct Block<'p> {
    text: String,
    /// (offset in `text`, offset in the file) where each piece of source
    /// text starts.
    anchors: Vec<(usize, usize)>,
    /// Each citation key with the offset of its [`CITATION_MARK`].
    citations: Vec<(usize, &'p str)>,
    kind: BlockKind,
    /// Whether any word of the block is outside a link.
    words_outside_links: bool,
}

impl<'p> Block<'p> {
    /// Adds the block's sentences to `prose` and empties it for the next.
    fn split_into(&mut self, prose: &mut Prose<'p>) {
        if self.kind == BlockKind::Prose
            && !self.words_outside_links
            && self.text.chars().any(char::is_alphanumeric)
        {
            self.kind = BlockKind::LinkOnly;
        }
        let text = &self.text;
        let bytes = text.as_bytes();
        let mut start = 0;
        let mut from = 0;
        while let Some(found) = memchr::memchr3(b'.', b'!', b'?', &bytes[from..]) {
            let at = from + found;
            from = at + 1;
            if ends_abbreviation(&text[..at]) {
                continue;
            }
            // Closing quotes and brackets, then any citations, stay with the
            // sentence they close.
            let mut end = from;
            while let Some(next) = text[from..].chars().next() {
                if matches!(next, '"' | '\'' | '”' | '’' | ')' | ']' | CITATION_MARK) {
                    from += next.len_utf8();
                    end = from;
                } else if next == ' '
                    && text[from..]
                        .trim_start_matches(' ')
                        .starts_with(CITATION_MARK)
                {
                    from += 1;
                } else {
                    break;
                }
            }
            if text[from..].chars().next().is_none_or(char::is_whitespace) {
                self.push_sentence(start..end, prose);
                start = end;
            }
        }
        self.push_sentence(start..text.len(), prose);
        self.text.clear();
        self.anchors.clear();
        self.citations.clear();
        self.kind = BlockKind::Prose;
        self.words_outside_links = false;
    }

    fn push_sentence(&self, range: Range<usize>, prose: &mut Prose<'p>) {
        let raw = &self.text[range.clone()];
        let leading = raw.len() - raw.trim_start().len();
        let start_in_block = range.start + leading;
        let trimmed = raw.trim();
        if trimmed.trim_matches(CITATION_MARK).trim().is_empty() {
            return;
        }
        let keys_start = prose.keys.len();
        prose.keys.extend(
            self.citations
                .iter()
                .filter(|(at, _)| range.contains(at))
                .map(|(_, key)| *key),
        );
        // Write the reader's text (citations dropped, spaces collapsed, no
        // space left before a full stop that followed a citation) and, beside
        // it, anchors back to the file wherever the mapping jumps.
        let text_start = prose.text.len();
        let anchors_start = prose.anchors.len();
        let mut after_citation = false;
        // The block anchor in effect: the last one at or before the character.
        // Characters only move forward, so the search starts where it ended.
        let mut in_effect = self
            .anchors
            .partition_point(|(text_at, _)| *text_at <= start_in_block);
        let mut offset = 0;
        while let Some(c) = next_char(trimmed, offset) {
            let text = &mut prose.text;
            if c == CITATION_MARK || c.is_whitespace() {
                if c == CITATION_MARK {
                    after_citation = true;
                } else if !text.ends_with(' ') {
                    text.push(' ');
                }
                offset += c.len_utf8();
                continue;
            }
            if after_citation
                && matches!(c, '.' | ',' | ';' | ':' | '!' | '?')
                && text.ends_with(' ')
            {
                text.pop();
            }
            after_citation = false;
            // A run of characters copied as it is: it ends at a space, a
            // citation or where the next piece of source text starts, so the
            // mapping to the file can only jump at its first character.
            let at = start_in_block + offset;
            while self
                .anchors
                .get(in_effect)
                .is_some_and(|(text_at, _)| *text_at <= at)
            {
                in_effect += 1;
            }
            let next_piece = self
                .anchors
                .get(in_effect)
                .map_or(trimmed.len(), |(text_at, _)| {
                    (text_at - start_in_block).min(trimmed.len())
                });
            let run_end = offset + run_length(&trimmed[offset..next_piece]);
            if let Some((text_at, file_at)) = in_effect.checked_sub(1).map(|i| self.anchors[i]) {
                let file_at = file_at + (at - text_at);
                let expected = prose.anchors[anchors_start..]
                    .last()
                    .map(|(text_at, anchor_file)| anchor_file + (text.len() - text_at));
                if expected != Some(file_at) {
                    prose.anchors.push((text.len(), file_at));
                }
            }
            text.push_str(&trimmed[offset..run_end]);
            offset = run_end;
        }
        let end = text_start + prose.text[text_start..].trim_end().len();
        prose.text.truncate(end);
        prose.text.push(SENTENCE_BREAK);
        prose.spans.push(Span {
            text: text_start..end,
            keys: keys_start..prose.keys.len(),
            anchors: anchors_start..prose.anchors.len(),
            kind: self.kind,
        });
    }
}

fn next_char(text: &str, at: usize) -> Option<char> {
    match text.as_bytes().get(at) {
        Some(&byte) if byte.is_ascii() => Some(char::from(byte)),
        Some(_) => text[at..].chars().next(),
        None => None,
    }
}

/// The length of the run at the start of `text` that holds no whitespace
/// and no citation mark. Plain ASCII is read as bytes: this runs over every
/// character of every page.
fn run_length(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        if byte.is_ascii() {
            // The ASCII characters `char::is_whitespace` accepts.
            if matches!(byte, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r') {
                return at;
            }
            at += 1;
        } else {
            let c = text[at..].chars().next().expect("at a character boundary");
            if c == CITATION_MARK || c.is_whitespace() {
                return at;
            }
            at += c.len_utf8();
        }
    }
    at
}

fn ends_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("")
        .trim_end_matches(CITATION_MARK);
    // Single letters ("J. Smith") and initialisms ("U.S.") are not ends.
    let mut letters = word.chars();
    let initial = letters.next().is_some_and(char::is_alphabetic) && letters.next().is_none();
    ABBREVIATIONS
        .iter()
        .any(|abbreviation| abbreviation.eq_ignore_ascii_case(word))
        || initial
        || word.contains('.')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::body;

    fn sentences_of(markdown: &str) -> Vec<Sentence<'static>> {
        let text = format!("---\ntitle: T\n---\n{markdown}");
        let leaked: &'static str = Box::leak(text.into_boxed_str());
        let file: &'static crate::source::SourceFile =
            Box::leak(Box::new(crate::source::SourceFile::new("a.md", leaked)));
        let page = Page {
            file,
            content_path: "a.md".into(),
            output_path: "a/index.html".into(),
            kind: crate::load::PageKind::Article,
            front: serde_yaml::from_str("title: T").unwrap(),
            yaml: 4..13,
            body_start: 17,
            body: body::parse(leaked, 17, "a.md"),
        };
        let page: &'static Page<'static> = Box::leak(Box::new(page));
        let prose: &'static Prose<'static> = Box::leak(Box::new(Prose::of(page)));
        prose.sentences().collect()
    }

    proptest::proptest! {
        /// Every character a reader sees maps back to that same character
        /// in the file, however words, emphasis, citations and line breaks
        /// are mixed.
        #[test]
        fn every_sentence_character_points_at_itself_in_the_file(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "word", "Dr.", "é", " ", "  ", ". ", "! ", "\n", "\n\n", "*so*", "**big**",
                    "[@a]", " [@b; @c]", "`code`", "(70%)", "- ", "# ",
                ]),
                1..40,
            )
        ) {
            let markdown = pieces.concat();
            let file = format!("---\ntitle: T\n---\n{markdown}");
            for sentence in sentences_of(&markdown) {
                for (at, c) in sentence.text.char_indices().filter(|(_, c)| *c != ' ') {
                    let in_file = sentence.file_offset(at);
                    proptest::prop_assert!(
                        file[in_file..].starts_with(c),
                        "{:?} at {} of {:?} maps to {:?}",
                        c, at, sentence.text, &file[in_file..]
                    );
                }
            }
        }
    }

    #[test]
    fn sentences_keep_their_citations_even_after_the_full_stop() {
        let found = sentences_of("One claim [@a]. Another claim. [@b] A third, e.g. this one.\n");
        let texts: Vec<&str> = found.iter().map(|s| s.text).collect();
        assert_eq!(
            texts,
            ["One claim.", "Another claim.", "A third, e.g. this one."]
        );
        assert_eq!(found[0].keys, ["a"]);
        assert_eq!(found[1].keys, ["b"]);
        assert!(found[2].keys.is_empty());
    }

    #[test]
    fn sentence_offsets_point_into_the_file() {
        let found = sentences_of("First.\n\n- Second *item* here.\n");
        assert_eq!(found[1].text, "Second item here.");
        // "---\ntitle: T\n---\n" is 17 bytes; "First.\n\n- " is 10 more.
        assert_eq!(found[1].start, 27);
        assert_eq!(
            found[1].file_offset(found[1].text.find("here").unwrap()),
            27 + "Second *item* ".len()
        );
    }

    #[test]
    fn lists_of_links_are_not_running_prose() {
        let found = sentences_of(
            "## What to read next\n\n- [Who should not have it](a.md)\n- [Costs](b.md).\n\nSee [the costs](b.md) before you decide.\n\n[Only a link](c.md) [@x]\n",
        );
        let kinds: Vec<(&str, BlockKind)> = found.iter().map(|s| (s.text, s.kind)).collect();
        assert_eq!(
            kinds,
            [
                ("What to read next", BlockKind::Heading),
                ("Who should not have it", BlockKind::LinkOnly),
                ("Costs.", BlockKind::LinkOnly),
                ("See the costs before you decide.", BlockKind::Prose),
                ("Only a link", BlockKind::LinkOnly),
            ]
        );
    }

    #[test]
    fn sentences_know_headings_and_table_cells() {
        let found = sentences_of("## A heading\n\nProse here.\n\n| Head |\n|---|\n| Cell. |\n");
        let kinds: Vec<BlockKind> = found.iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            [
                BlockKind::Heading,
                BlockKind::Prose,
                BlockKind::TableCell,
                BlockKind::TableCell
            ]
        );
    }
}
