//! How hard a page is to read, from the sentences `check` already extracts:
//! running prose only, never code, tables, headings or the reference list.
//! Words and syllables are counted by the `textstat` crate (a vowel-group
//! heuristic with a silent-e rule); sentences by Pamphlet's own splitter,
//! which knows "e.g." and "Dr." do not end a sentence.

use serde::Serialize;

use crate::check::{BlockKind, Sentence};

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Readability {
    pub words: usize,
    pub sentences: usize,
    pub syllables: usize,
    /// Words of three or more syllables, which SMOG counts.
    pub polysyllables: usize,
    /// `0.39 × words/sentences + 11.8 × syllables/words − 15.59`
    pub flesch_kincaid_grade: f64,
    /// `1.0430 × √(polysyllables × 30 / sentences) + 3.1291`
    pub smog_grade: f64,
}

/// The readability of the prose among `sentences`; `None` when there is no
/// prose to measure.
pub fn of<'s>(sentences: impl IntoIterator<Item = &'s Sentence>) -> Option<Readability> {
    let (mut words, mut count, mut syllables, mut polysyllables) = (0, 0, 0, 0);
    for sentence in sentences.into_iter().filter(|s| s.kind == BlockKind::Prose) {
        count += 1;
        // The same counts as textstat's lexicon_count, syllable_count and
        // polysyllabic_count, from one pass and one syllable count a word:
        // this runs over every sentence of every page.
        for token in sentence.text.split_whitespace() {
            let in_word = textstat::syllables(token);
            syllables += in_word;
            polysyllables += usize::from(in_word >= 3);
            words += usize::from(token.chars().any(char::is_alphanumeric));
        }
    }
    if words == 0 {
        return None;
    }
    let (w, s) = (words as f64, count as f64);
    Some(Readability {
        words,
        sentences: count,
        syllables,
        polysyllables,
        flesch_kincaid_grade: round(0.39 * (w / s) + 11.8 * (syllables as f64 / w) - 15.59),
        smog_grade: round(1.0430 * (polysyllables as f64 * 30.0 / s).sqrt() + 3.1291),
    })
}

/// One decimal place: what a report shows, and stable across platforms.
fn round(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}
