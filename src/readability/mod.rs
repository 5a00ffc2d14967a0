//! How hard a page is to read, from the sentences `check` already extracts:
//! running prose only, never code, tables, headings or the reference list.
//! Words, syllables and sentences are counted as Python textstat, the
//! reference for these grades, counts them: syllables from the CMU
//! Pronouncing Dictionary, or hyphenation for a word it lacks
//! (`readability::dictionary`); sentences from Pamphlet's own splitter (which knows
//! "e.g." and "Dr." do not end a sentence), with a list item that has no
//! full stop counted as part of the sentence that introduced the list. The
//! spelling rule of the `textstat` crate counts only tokens with no ASCII
//! letter or digit.

mod dictionary;

use serde::Serialize;

use crate::prose::{BlockKind, Prose};

/// Counts and grades of a page's running prose.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Readability {
    /// Words counted.
    pub words: usize,
    /// Sentences counted.
    pub sentences: usize,
    /// Syllables counted.
    pub syllables: usize,
    /// Words of three or more syllables, which SMOG counts.
    pub polysyllables: usize,
    /// `0.39 × words/sentences + 11.8 × syllables/words − 15.59`
    pub flesch_kincaid_grade: f64,
    /// `1.0430 × √(polysyllables × 30 / sentences) + 3.1291`
    pub smog_grade: f64,
}

/// The readability of a page's running prose; `None` when there is none to
/// measure.
pub fn of(prose: &Prose<'_>) -> Option<Readability> {
    let (mut words, mut count, mut syllables, mut polysyllables) = (0, 0, 0, 0);
    // Words since the last full stop, question or exclamation mark.
    let mut open = 0;
    for sentence in prose.sentences().filter(|s| s.kind == BlockKind::Prose) {
        // The same counts as textstat's lexicon_count, syllable_count and
        // polysyllabic_count, from one pass and one syllable count a word:
        // this runs over every sentence of every page.
        tally(sentence.text, |in_word, is_word| {
            syllables += in_word;
            polysyllables += usize::from(in_word >= 3);
            words += usize::from(is_word);
            open += usize::from(is_word);
        });
        // As textstat counts, the reference the grades are defined by: a
        // list item without a stop ("- uses plain words,") goes on the
        // sentence that introduced the list, and a "Yes." or "No." of two
        // words or fewer is not a sentence of its own.
        if ends_a_sentence(sentence.text) {
            count += usize::from(open > 2);
            open = 0;
        }
    }
    count += usize::from(open > 2);
    if words == 0 {
        return None;
    }
    let count = count.max(1);
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

/// Whether a sentence ends with `.`, `?` or `!`, closing quotes and
/// brackets aside.
fn ends_a_sentence(text: &str) -> bool {
    text.trim_end_matches(|c: char| c.is_whitespace() || "\"')]}\u{201d}\u{2019}*_".contains(c))
        .ends_with(['.', '?', '!'])
}

/// `textstat::syllables`, without its allocation for the common case of a
/// plain ASCII word: it runs once for every word of every page, and the
/// vector it collects per word was an eighth of a 10,000-article build.
/// Any other word goes to textstat itself.
fn syllables_in(word: &str) -> usize {
    if word.is_ascii() {
        ascii_syllables(word.as_bytes())
    } else {
        textstat::syllables(word)
    }
}

/// Calls `each` with the syllables of every whitespace-separated token of
/// `text` and whether it is a word (has a letter or digit). Plain ASCII text
/// is read once, byte by byte, without decoding characters.
fn tally(text: &str, mut each: impl FnMut(usize, bool)) {
    if !text.is_ascii() {
        for token in text.split_whitespace() {
            each(
                dictionary::syllables(token.as_bytes()).unwrap_or_else(|| syllables_in(token)),
                token.chars().any(char::is_alphanumeric),
            );
        }
        return;
    }
    let bytes = text.as_bytes();
    let mut word = AsciiWord::default();
    let mut word_start = None;
    for (at, &byte) in bytes.iter().enumerate() {
        if CLASSES[usize::from(byte)] & SPACE != 0 {
            if let Some(start) = word_start.take() {
                let token = &bytes[start..at];
                let syllables =
                    dictionary::syllables(token).unwrap_or_else(|| word.syllables(token));
                each(syllables, word.has_letter_or_digit());
                word = AsciiWord::default();
            }
        } else {
            word_start.get_or_insert(at);
            word.push(byte);
        }
    }
    if let Some(start) = word_start {
        let token = &bytes[start..];
        let syllables = dictionary::syllables(token).unwrap_or_else(|| word.syllables(token));
        each(syllables, word.has_letter_or_digit());
    }
}

fn ascii_syllables(word: &[u8]) -> usize {
    let mut counted = AsciiWord::default();
    for &byte in word {
        counted.push(byte);
    }
    counted.syllables(word)
}

const SPACE: u8 = 1;
const LETTER: u8 = 2;
const VOWEL: u8 = 4;
const DIGIT: u8 = 8;

/// What each byte is, looked up rather than tested: whether a letter is a
/// vowel is a coin toss to the branch predictor, and a branch it guesses
/// wrong every other letter costs more than the lookup.
static CLASSES: [u8; 256] = {
    let mut classes = [0; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        let lower = b.to_ascii_lowercase();
        classes[byte] = if b.is_ascii_alphabetic() {
            if matches!(lower, b'a' | b'e' | b'i' | b'o' | b'u' | b'y') {
                LETTER | VOWEL
            } else {
                LETTER
            }
        } else if b.is_ascii_digit() {
            DIGIT
        } else if matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r') {
            // The ASCII characters `char::is_whitespace` accepts.
            SPACE
        } else {
            0
        };
        byte += 1;
    }
    classes
};

/// textstat's syllable rule, fed one byte at a time so that a sentence is
/// read in a single pass: one more syllable for each group of vowels, one
/// fewer for a silent final "e" (but not in "-le" after a consonant), at
/// least one for a word. Characters other than letters are skipped.
#[derive(Default)]
struct AsciiWord {
    vowel_groups: usize,
    previous_vowel: bool,
    letters: usize,
    has_digit: bool,
}

impl AsciiWord {
    /// Written without branches on the byte, for the reason [`CLASSES`]
    /// gives, and with as little work as can be: it runs for every byte.
    fn push(&mut self, byte: u8) {
        let class = CLASSES[usize::from(byte)];
        let letter = class & LETTER != 0;
        let vowel = class & VOWEL != 0;
        self.vowel_groups += usize::from(vowel & !self.previous_vowel);
        self.previous_vowel = vowel | (self.previous_vowel & !letter);
        self.letters += usize::from(letter);
        self.has_digit |= class & DIGIT != 0;
    }

    fn has_letter_or_digit(&self) -> bool {
        self.letters > 0 || self.has_digit
    }

    /// The syllables of `word`, the bytes that were pushed.
    fn syllables(&self, word: &[u8]) -> usize {
        if self.letters == 0 {
            return usize::from(self.has_digit);
        }
        let mut count = self.vowel_groups;
        let mut last_letters = word
            .iter()
            .rev()
            .filter(|b| b.is_ascii_alphabetic())
            .map(u8::to_ascii_lowercase);
        if last_letters.next() == Some(b'e') && count > 1 {
            let le_after_consonant = self.letters >= 3
                && last_letters.next() == Some(b'l')
                && last_letters
                    .next()
                    .is_some_and(|letter| CLASSES[usize::from(letter)] & VOWEL == 0);
            if !le_after_consonant {
                count -= 1;
            }
        }
        count.max(1)
    }
}

/// One decimal place: what a report shows, and stable across platforms.
fn round(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    fn grade_of(markdown: &str) -> super::Readability {
        let file = crate::source::SourceFile::new("content/a.md", markdown);
        let page = crate::load::lone::article(&file);
        super::of(&crate::prose::Prose::of(&page)).expect("there is prose")
    }

    /// Sentences as textstat counts them: a list of fragments is one
    /// sentence with the line that introduces it, and "Yes." is no sentence.
    #[test]
    fn a_list_without_stops_is_one_sentence_and_a_two_word_answer_none() {
        let listed = grade_of(
            "Each article we write:\n\n- uses plain words,\n- names the studies it relies on,\n- shows when it was last checked.\n",
        );
        assert_eq!(listed.sentences, 1);
        let short = grade_of("Is it safe for me? Yes. Most people feel fine after a session.\n");
        assert_eq!(short.sentences, 2);
        assert_eq!(short.words, 13);
    }

    #[test]
    fn a_list_of_links_to_read_next_leaves_the_grade_alone() {
        let text = "Ketamine is a medicine used in hospitals for many years. Doctors now study how it may help with low mood that other treatments did not lift.\n";
        let alone = grade_of(text);
        let with_links = grade_of(&format!(
            "{text}\n## What to read next\n\n- [Who should not have ketamine](a.md)\n- [What to expect at a session](b.md)\n- [Costs](c.md)\n"
        ));
        assert_eq!(with_links, alone);
        assert_eq!(alone.sentences, 2);
    }

    #[test]
    fn syllables_agree_with_textstat_on_words_of_the_site() {
        let words = [
            "",
            "100",
            "3.14",
            "a",
            "e",
            "the",
            "table",
            "able",
            "ketamine",
            "Ketamine",
            "anaesthetic",
            "be",
            "free",
            "queue",
            "rhythm",
            "IV",
            "U.S.",
            "don't",
            "(ketamine)",
            "side-effects",
            "little",
            "Dissociation.",
            "---",
            "x2",
            "café",
            "naïve",
            "le",
            "ale",
        ];
        for word in words {
            assert_eq!(
                super::syllables_in(word),
                textstat::syllables(word),
                "{word:?}"
            );
        }
    }

    proptest! {
        #[test]
        fn a_sentence_tallies_as_the_rule_and_dictionary_count_it(text in "[a-zA-Z0-9 .,'é\t\n\u{b}\u{a0}-]{0,60}") {
            let (mut syllables, mut polysyllables, mut words) = (0, 0, 0);
            super::tally(&text, |in_word, is_word| {
                syllables += in_word;
                polysyllables += usize::from(in_word >= 3);
                words += usize::from(is_word);
            });
            // The textstat crate's rule, but the dictionary's count for the
            // words it lists.
            let per_word: Vec<usize> = text
                .split_whitespace()
                .map(|token| {
                    super::dictionary::syllables(token.as_bytes())
                        .unwrap_or_else(|| textstat::syllables(token))
                })
                .collect();
            prop_assert_eq!(syllables, per_word.iter().sum::<usize>());
            prop_assert_eq!(polysyllables, per_word.iter().filter(|&&n| n >= 3).count());
            prop_assert_eq!(words, textstat::lexicon_count(&text));
        }

        #[test]
        fn syllables_agree_with_textstat_on_any_word(word in "[a-zA-Z0-9'.,()é-]{0,14}") {
            prop_assert_eq!(super::syllables_in(&word), textstat::syllables(&word));
        }
    }
}
