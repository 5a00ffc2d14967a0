//! Reading the body as sentences: a sentence that states a statistic or
//! leans on research must cite something, and wording about suicide follows
//! safe-messaging guidance. Sentences come from the events `load` already
//! parsed, so the markdown is not parsed again, and code never counts.

use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{Event, Tag, TagEnd};
use regex::Regex;

use super::at_level;
use crate::diagnostics::{Code, Diagnostic};
use crate::load::body::citation_keys;
use crate::load::front_matter::locate;
use crate::load::{Page, Site};
use crate::readability;

/// One sentence of body text, as a reader sees it (citations removed).
#[derive(Debug, Clone, PartialEq)]
pub struct Sentence {
    pub text: String,
    /// Byte offset in the file where the sentence starts.
    pub start: usize,
    /// Citation keys inside the sentence, in order.
    pub keys: Vec<String>,
    pub kind: BlockKind,
    /// Where each character of `text` came from: (offset in `text`, offset
    /// in the file), ascending. Lets a match be pointed at exactly.
    anchors: Vec<(usize, usize)>,
}

impl Sentence {
    /// The file offset of byte `at` of `text`.
    pub fn file_offset(&self, at: usize) -> usize {
        let index = self.anchors.partition_point(|(text_at, _)| *text_at <= at);
        match index.checked_sub(1).map(|i| self.anchors[i]) {
            Some((text_at, file_at)) => file_at + (at - text_at),
            None => self.start,
        }
    }
}

/// Where a sentence stands: readability counts running prose only, and a
/// heading is not a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BlockKind {
    #[default]
    Prose,
    Heading,
    TableCell,
}

/// A run of inline text: a paragraph, list item, table cell or heading.
#[derive(Default)]
struct Block {
    text: String,
    anchors: Vec<(usize, usize)>,
    citations: Vec<(usize, Vec<String>)>,
    kind: BlockKind,
}

/// Stands for a citation inside block text while splitting sentences, so a
/// citation after the full stop still belongs to the sentence before it.
const CITATION_MARK: char = '\u{E000}';

/// Every sentence of the body, in order.
pub fn sentences(page: &Page<'_>) -> Vec<Sentence> {
    let mut found = Vec::new();
    let mut block = Block::default();
    let mut skip_until_link_end = false;
    let mut in_code_block = false;
    let mut in_table = false;
    for (event, range) in &page.body.events {
        if skip_until_link_end {
            skip_until_link_end = !matches!(event, Event::End(TagEnd::Link));
            continue;
        }
        match event {
            Event::Text(text) if !in_code_block => {
                block.anchors.push((block.text.len(), range.start));
                block.text.push_str(text);
            }
            Event::Code(_) | Event::SoftBreak | Event::HardBreak => block.text.push(' '),
            Event::Start(Tag::Link { dest_url, .. }) => {
                if let Some(keys) = citation_keys(dest_url) {
                    block
                        .citations
                        .push((block.text.len(), keys.map(str::to_owned).collect()));
                    block.text.push(CITATION_MARK);
                    skip_until_link_end = true;
                }
            }
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Start(Tag::Heading { .. }) => {
                split_block(std::mem::take(&mut block), &mut found);
                block.kind = BlockKind::Heading;
            }
            Event::Start(Tag::Table(_)) => {
                split_block(std::mem::take(&mut block), &mut found);
                in_table = true;
            }
            Event::End(TagEnd::Table) => {
                split_block(std::mem::take(&mut block), &mut found);
                in_table = false;
            }
            Event::Start(tag) if !is_inline(tag) => {
                split_block(std::mem::take(&mut block), &mut found);
                if in_table {
                    block.kind = BlockKind::TableCell;
                }
            }
            Event::End(tag) if !is_inline_end(tag) => {
                split_block(std::mem::take(&mut block), &mut found)
            }
            _ => {}
        }
    }
    split_block(block, &mut found);
    found
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

/// Words that end with a full stop without ending a sentence.
const ABBREVIATIONS: [&str; 12] = [
    "e.g", "i.e", "dr", "mr", "mrs", "ms", "vs", "etc", "al", "st", "no", "approx",
];

fn split_block(block: Block, found: &mut Vec<Sentence>) {
    let text = &block.text;
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if !matches!(c, '.' | '!' | '?') || ends_abbreviation(&text[..at]) {
            continue;
        }
        // Closing quotes and brackets, then any citations, stay with the
        // sentence they close.
        let mut end = at + c.len_utf8();
        while let Some(&(next_at, next)) = chars.peek() {
            let after_spaces = text[next_at..].trim_start_matches(' ');
            if matches!(next, '"' | '\'' | '”' | '’' | ')' | ']' | CITATION_MARK) {
                end = next_at + next.len_utf8();
                chars.next();
            } else if next == ' ' && after_spaces.starts_with(CITATION_MARK) {
                chars.next();
            } else {
                break;
            }
        }
        let at_boundary = chars.peek().is_none_or(|&(_, next)| next.is_whitespace());
        if at_boundary {
            push_sentence(&block, start..end, found);
            start = end;
        }
    }
    push_sentence(&block, start..text.len(), found);
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

fn push_sentence(block: &Block, range: Range<usize>, found: &mut Vec<Sentence>) {
    let raw = &block.text[range.clone()];
    let leading = raw.len() - raw.trim_start().len();
    let start_in_block = range.start + leading;
    let trimmed = raw.trim();
    if trimmed.trim_matches(CITATION_MARK).trim().is_empty() {
        return;
    }
    let keys = block
        .citations
        .iter()
        .filter(|(at, _)| range.contains(at))
        .flat_map(|(_, keys)| keys.iter().cloned())
        .collect();
    // Build the reader's text (citations dropped, spaces collapsed, no
    // space left before a full stop that followed a citation) and, beside
    // it, anchors back to the file wherever the mapping jumps.
    let mut text = String::with_capacity(trimmed.len());
    let mut anchors: Vec<(usize, usize)> = Vec::new();
    let mut after_citation = false;
    // The block anchor in effect: the last one at or before the character.
    // Characters only move forward, so the search starts where it ended.
    let mut in_effect = block
        .anchors
        .partition_point(|(text_at, _)| *text_at <= start_in_block);
    let mut offset = 0;
    while let Some(c) = trimmed[offset..].chars().next() {
        if c == CITATION_MARK || c.is_whitespace() {
            if c == CITATION_MARK {
                after_citation = true;
            } else if !text.ends_with(' ') {
                text.push(' ');
            }
            offset += c.len_utf8();
            continue;
        }
        if after_citation && matches!(c, '.' | ',' | ';' | ':' | '!' | '?') && text.ends_with(' ') {
            text.pop();
        }
        after_citation = false;
        // A run of characters copied as it is: it ends at a space, a
        // citation or where the next piece of source text starts, so the
        // mapping to the file can only jump at its first character.
        let at = start_in_block + offset;
        while block
            .anchors
            .get(in_effect)
            .is_some_and(|(text_at, _)| *text_at <= at)
        {
            in_effect += 1;
        }
        let next_piece = block
            .anchors
            .get(in_effect)
            .map_or(trimmed.len(), |(text_at, _)| {
                (text_at - start_in_block).min(trimmed.len())
            });
        let run_end = trimmed[offset..next_piece]
            .find(|c: char| c == CITATION_MARK || c.is_whitespace())
            .map_or(next_piece, |end| offset + end);
        if let Some((text_at, file_at)) = in_effect.checked_sub(1).map(|i| block.anchors[i]) {
            let file_at = file_at + (at - text_at);
            let expected = anchors
                .last()
                .map(|(text_at, anchor_file)| anchor_file + (text.len() - text_at));
            if expected != Some(file_at) {
                anchors.push((text.len(), file_at));
            }
        }
        text.push_str(&trimmed[offset..run_end]);
        offset = run_end;
    }
    text.truncate(text.trim_end().len());
    found.push(Sentence {
        start: anchors.first().map_or(0, |(_, file_at)| *file_at),
        text,
        keys,
        kind: block.kind,
        anchors,
    });
}

/// Compiles `pattern` with `\b` meaning an ASCII word boundary. Unicode
/// boundaries keep the regex crate off its fastest engine on long texts:
/// searching a page's prose whole was six times slower with them
/// (`cargo bench --bench stages -- check`).
fn word_pattern(pattern: &str) -> Regex {
    Regex::new(&pattern.replace(r"\b", r"(?-u:\b)")).expect("valid pattern")
}

/// A percentage, "N out of M", "N in M", "N times more", "twice as", "half of".
static STATISTIC: LazyLock<Regex> = LazyLock::new(|| {
    let number = r"(?:\d+(?:[.,]\d+)?|one|two|three|four|five|six|seven|eight|nine|ten)";
    word_pattern(&format!(
        r"(?i)\b\d+(?:[.,]\d+)?\s?(?:%|percent\b|per cent\b)|\b{number}\s+(?:out\s+of|in(?:\s+every)?)\s+(?:\d+|two|three|four|five|six|seven|eight|nine|ten|a\s+hundred|a\s+thousand)\b|\b{number}\s*(?:times|-fold|fold)\s+(?:more|less|higher|lower|greater|as|likely)\b|\btwice\s+as\b|\b(?:half|a\s+third|a\s+quarter|two\s+thirds|three\s+quarters)\s+of\b"
    ))
});

/// Appeals to research that need the research named.
static RESEARCH: LazyLock<Regex> = LazyLock::new(|| {
    word_pattern(
        r"(?i)\b(?:studies|a\s+study|research|trials|evidence|scientists|experts)\s+(?:show|shows|showed|have\s+shown|has\s+shown|suggest|suggests|prove|proves|proved|have\s+found|has\s+found|found|confirm|confirms)\b|\b(?:clinically|scientifically|medically)\s+proven\b|\bproven\s+to\b|\bproved\s+to\b",
    )
});

/// Phrases safe-messaging guidance (reportingonsuicide.org) asks writers to
/// avoid, with what to write instead.
static UNSAFE_WORDING: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    [
        (
            r"(?i)\bcommit(?:s|ted|ting)?\s+suicide\b",
            "\"died by suicide\" (or \"took their own life\")",
        ),
        (
            r"(?i)\b(?:successful|completed)\s+suicide\b",
            "\"died by suicide\"",
        ),
        (
            r"(?i)\bsuccessful(?:ly)?\s+(?:suicide\s+)?attempt\b",
            "\"died by suicide\"",
        ),
        (
            r"(?i)\b(?:failed|unsuccessful)\s+(?:suicide\s+)?attempt\b",
            "\"suicide attempt\" (or \"survived a suicide attempt\")",
        ),
        (
            r"(?i)\bsuicide\s+epidemic\b",
            "\"rising suicide rates\", with the figures and their source",
        ),
    ]
    .into_iter()
    .map(|(pattern, better)| (word_pattern(pattern), better))
    .collect()
});

pub(super) fn check(site: &Site<'_>, page: &Page<'_>, found: &mut Vec<Diagnostic>) {
    let level = site.config.policy.uncited_claims;
    let sentences = sentences(page);
    if super::is_clinical(&site.config.policy, page) {
        reading_grade(site, page, &sentences, found);
    }
    let prose = Joined::of(&sentences);
    wording(
        page,
        &prose.text,
        |at| prose.file_offset(&sentences, at),
        found,
    );
    // A sentence is reported once: for a statistic if it states one, else
    // for leaning on research.
    let mut reported = vec![false; sentences.len()];
    for (pattern, what) in [
        (&*STATISTIC, "states a statistic"),
        (&*RESEARCH, "leans on research"),
    ] {
        for claim in pattern.find_iter(&prose.text) {
            let index = prose.sentence_at(claim.start());
            let sentence = &sentences[index];
            if reported[index] || sentence.kind == BlockKind::Heading || !sentence.keys.is_empty() {
                continue;
            }
            reported[index] = true;
            let span = prose.file_offset(&sentences, claim.start())
                ..prose.file_offset(&sentences, claim.end());
            found.push(
                at_level(
                    level,
                    Code::UncitedClaim,
                    format!("this sentence {what} (\"{}\") but cites nothing", claim.as_str()),
                )
                .at(page.file, span)
                .hint("add the study that supports it, as `[@id]` before the full stop; if no study supports it, remove the claim or say plainly that it is uncertain"),
            );
        }
    }
    for field in ["title", "summary"] {
        let key = locate(page.file, &page.yaml, field, None);
        if key.is_empty() || &page.file.text[key.clone()] != field {
            continue;
        }
        let line = page.file.line_span(key.start);
        wording(
            page,
            &page.file.text[line.clone()],
            |at| line.start + at,
            found,
        );
    }
}

/// Between sentences in [`Joined`]: not a space, letter or digit, so no
/// pattern's match can run from one sentence into the next.
const SENTENCE_BREAK: char = '\u{1}';

/// Every sentence of a page in one text, so each pattern runs once a page
/// rather than once a sentence: per search, the regex engine's setup cost
/// more than the search itself on sentences this short.
struct Joined {
    text: String,
    /// Where each sentence starts in `text`.
    starts: Vec<usize>,
}

impl Joined {
    fn of(sentences: &[Sentence]) -> Self {
        let mut text = String::with_capacity(sentences.iter().map(|s| s.text.len() + 1).sum());
        let mut starts = Vec::with_capacity(sentences.len());
        for sentence in sentences {
            starts.push(text.len());
            text.push_str(&sentence.text);
            text.push(SENTENCE_BREAK);
        }
        Self { text, starts }
    }

    fn sentence_at(&self, at: usize) -> usize {
        self.starts.partition_point(|start| *start <= at) - 1
    }

    fn file_offset(&self, sentences: &[Sentence], at: usize) -> usize {
        let index = self.sentence_at(at);
        sentences[index].file_offset(at - self.starts[index])
    }
}

fn reading_grade(
    site: &Site<'_>,
    page: &Page<'_>,
    sentences: &[Sentence],
    found: &mut Vec<Diagnostic>,
) {
    let policy = &site.config.policy.readability;
    let Some(measured) = readability::of(sentences) else {
        return;
    };
    if measured.flesch_kincaid_grade <= policy.max_grade {
        return;
    }
    found.push(
        at_level(
            policy.level,
            Code::ReadingGrade,
            format!(
                "this article reads at US grade {} (Flesch-Kincaid); the policy's highest is {}",
                measured.flesch_kincaid_grade, policy.max_grade
            ),
        )
        .at(page.file, locate(page.file, &page.yaml, "title", None))
        .hint(format!(
            "use shorter sentences (now {:.0} words on average) and everyday words; explain each medical term once, in plain words",
            measured.words as f64 / measured.sentences as f64
        )),
    );
}

fn wording(
    page: &Page<'_>,
    text: &str,
    file_offset: impl Fn(usize) -> usize,
    found: &mut Vec<Diagnostic>,
) {
    for (pattern, better) in UNSAFE_WORDING.iter() {
        for m in pattern.find_iter(text) {
            found.push(
                Diagnostic::error(
                    Code::UnsafeWording,
                    format!(
                        "\"{}\" goes against safe-messaging guidance on suicide",
                        m.as_str()
                    ),
                )
                .at(page.file, file_offset(m.start())..file_offset(m.end()))
                .hint(format!("write {better} instead; never describe methods")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::body;

    fn sentences_of(markdown: &str) -> Vec<Sentence> {
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
        sentences(&page)
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
        let texts: Vec<&str> = found.iter().map(|s| s.text.as_str()).collect();
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

    #[test]
    fn statistics_and_research_claims_are_recognised() {
        for claim in [
            "About 70% of people",
            "7 out of 10 people",
            "one in three adults",
            "three times more likely",
            "half of them",
            "Studies show it works",
            "clinically proven",
        ] {
            assert!(
                STATISTIC.is_match(claim) || RESEARCH.is_match(claim),
                "{claim}"
            );
        }
        for plain in [
            "three infusions a week",
            "0.5 mg per kg",
            "in 2000, a trial",
            "a session lasts 40 minutes",
        ] {
            assert!(
                !STATISTIC.is_match(plain) && !RESEARCH.is_match(plain),
                "{plain}"
            );
        }
    }
}
