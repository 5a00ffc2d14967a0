//! Syllables counted the way Python textstat counts them, since its grades
//! are the reference ones: a word is read as textstat reads it (lower case,
//! punctuation and hyphens dropped, apostrophes kept inside a word), looked
//! up in the CMU Pronouncing Dictionary (the vowels of its first
//! pronunciation), and a word the dictionary lacks gets one syllable more
//! than its hyphenation points under the same patterns textstat's pyphen
//! uses (`hyph_en_US.dic`, LibreOffice's, BSD-style licence in
//! `README_hyph_en_US.txt`). The spelling rule of the `textstat` crate
//! guessed "every", "area" and "FDA" wrong and put FK 0.5 grades off.

use std::cell::RefCell;
use std::sync::LazyLock;

use rustc_hash::FxHashMap;

static CMUDICT: &str = include_str!("cmudict.txt");
static HYPHENATION_PATTERNS: &str = include_str!("hyph_en_US.dic");

/// pyphen's defaults, which textstat keeps: no break within two letters of
/// either end of a word.
const LEFT: usize = 2;
const RIGHT: usize = 2;

/// Words hyphenated and remembered per thread, at most.
const MOST_CACHED: usize = 1 << 16;

/// No dictionary word is longer; a longer token is left to the rule.
const LONGEST: usize = 40;

/// The dictionary's words by a 64-bit hash of their letters, not by the
/// letters: every word of every page is looked up here, and comparing keys,
/// read from all over a 1.3 MB text, was about 3% of `pamphlet check` on
/// 10,000 articles. No two of its words share a hash (a test proves it); a word it
/// lacks matches one of them by chance about once in 10^14 lookups.
static PRONOUNCED: LazyLock<FxHashMap<u64, u8>> = LazyLock::new(|| {
    dictionary_entries()
        .map(|(word, syllables)| (word_hash(word), syllables))
        .collect()
});

fn dictionary_entries() -> impl Iterator<Item = (&'static [u8], u8)> {
    CMUDICT
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| {
            let (word, syllables) = line.split_once(' ')?;
            Some((word.as_bytes(), syllables.parse().ok()?))
        })
}

fn word_hash(word: &[u8]) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = rustc_hash::FxBuildHasher.build_hasher();
    hasher.write(word);
    hasher.finish()
}

/// Liang's patterns: letters to the break weights between and around them
/// (from the first non-zero one, at the offset kept beside them).
struct Patterns {
    weights: FxHashMap<Box<[u8]>, (usize, Vec<u8>)>,
    longest: usize,
}

static PATTERNS: LazyLock<Patterns> = LazyLock::new(|| {
    let mut weights = FxHashMap::default();
    for line in HYPHENATION_PATTERNS.lines().skip(1) {
        let pattern = line.trim();
        // Settings, comments, and patterns of ligatures no ASCII word holds.
        if pattern.is_empty()
            || !pattern.is_ascii()
            || pattern.starts_with(['%', '#'])
            || pattern.starts_with(|c: char| c.is_ascii_uppercase())
        {
            continue;
        }
        let (letters, values) = letters_and_weights(pattern);
        let Some(first) = values.iter().position(|&v| v != 0) else {
            continue;
        };
        let last = values.iter().rposition(|&v| v != 0).unwrap_or(first);
        weights.insert(
            letters.into_boxed_slice(),
            (first, values[first..=last].to_vec()),
        );
    }
    let longest = weights.keys().map(|key| key.len()).max().unwrap_or(0);
    Patterns { weights, longest }
});

/// `a2ch4` gives the letters `ach` and the weights `0 2 0 4` (one more
/// weight than letters: before each letter and after the last).
fn letters_and_weights(pattern: &str) -> (Vec<u8>, Vec<u8>) {
    let mut letters = Vec::with_capacity(pattern.len());
    let mut weights = Vec::with_capacity(pattern.len() + 1);
    let mut pending = 0;
    for byte in pattern.bytes() {
        if byte.is_ascii_digit() {
            pending = byte - b'0';
        } else {
            weights.push(pending);
            letters.push(byte);
            pending = 0;
        }
    }
    weights.push(pending);
    (letters, weights)
}

thread_local! {
    /// Hyphenation is a few hundred lookups a word; the words a dictionary
    /// lacks (names of medicines, mostly) repeat page after page.
    static HYPHENATED: RefCell<FxHashMap<Box<[u8]>, u8>> = RefCell::new(FxHashMap::default());
}

/// The syllables of a token of running text as textstat counts them, or
/// `None` for a token with no ASCII letter or digit, or too long to be a
/// word, which the spelling rule counts instead.
pub(super) fn syllables(token: &[u8]) -> Option<usize> {
    let mut word = [0u8; LONGEST];
    let mut length = 0;
    for &byte in token {
        if byte.is_ascii_alphanumeric() || byte == b'\'' {
            *word.get_mut(length)? = byte.to_ascii_lowercase();
            length += 1;
        }
    }
    let word = trim_apostrophes(&word[..length]);
    if !word.iter().any(u8::is_ascii_alphanumeric) {
        return None;
    }
    if let Some(&syllables) = PRONOUNCED.get(&word_hash(word)) {
        return Some(usize::from(syllables));
    }
    let cached = HYPHENATED.with(|cache| cache.borrow().get(word).copied());
    let syllables = cached.unwrap_or_else(|| {
        let syllables = hyphenation_points(word) + 1;
        let syllables = u8::try_from(syllables).unwrap_or(u8::MAX);
        HYPHENATED.with(|cache| {
            let mut cache = cache.borrow_mut();
            // A page of made-up words, or a preview left open for weeks,
            // must not grow the cache without end.
            if cache.len() >= MOST_CACHED {
                cache.clear();
            }
            cache.insert(word.into(), syllables);
        });
        syllables
    });
    Some(usize::from(syllables))
}

/// Where pyphen would break `word` (ASCII lower case), counted.
fn hyphenation_points(word: &[u8]) -> usize {
    let patterns = &*PATTERNS;
    let mut pointed = Vec::with_capacity(word.len() + 2);
    pointed.push(b'.');
    pointed.extend_from_slice(word);
    pointed.push(b'.');
    let mut weights = vec![0u8; pointed.len() + 1];
    for start in 0..pointed.len() - 1 {
        let stop = (start + patterns.longest).min(pointed.len());
        for end in start + 1..=stop {
            if let Some((offset, values)) = patterns.weights.get(&pointed[start..end]) {
                for (at, &value) in values.iter().enumerate() {
                    let slot = &mut weights[start + offset + at];
                    *slot = (*slot).max(value);
                }
            }
        }
    }
    // An odd weight at index i of the dotted word is a break before letter
    // i - 1 of the word.
    let last_allowed = word.len().saturating_sub(RIGHT);
    weights
        .iter()
        .enumerate()
        .filter(|&(_, weight)| weight % 2 == 1)
        .map(|(index, _)| index.wrapping_sub(1))
        .filter(|&position| (LEFT..=last_allowed).contains(&position))
        .count()
}

fn trim_apostrophes(mut word: &[u8]) -> &[u8] {
    while let [b'\'', rest @ ..] = word {
        word = rest;
    }
    while let [rest @ .., b'\''] = word {
        word = rest;
    }
    word
}

#[cfg(test)]
mod tests {
    use super::{
        HYPHENATED, MOST_CACHED, PRONOUNCED, dictionary_entries, hyphenation_points, syllables,
    };

    /// Words are found by their hash alone, so no two may share one.
    #[test]
    fn every_dictionary_word_has_a_hash_of_its_own() {
        let words: std::collections::HashSet<&[u8]> =
            dictionary_entries().map(|(word, _)| word).collect();
        assert!(words.len() > 120_000, "{}", words.len());
        assert_eq!(PRONOUNCED.len(), words.len());
        // A word as written in text (not `bein'`, which text reads as `bein`).
        let as_written = |word: &[u8]| !word.starts_with(b"'") && !word.ends_with(b"'");
        for (word, expected) in dictionary_entries().filter(|(word, _)| as_written(word)) {
            let token = String::from_utf8_lossy(word);
            assert_eq!(syllables(word), Some(usize::from(expected)), "{token}");
        }
    }

    #[test]
    fn words_are_read_as_textstat_reads_them() {
        // In the dictionary, whatever the spelling suggests.
        for (token, expected) in [
            ("area", 3),
            ("Idea,", 3),
            ("PTSD.", 4),
            ("'created'", 3),
            ("every", 3),
        ] {
            assert_eq!(syllables(token.as_bytes()), Some(expected), "{token}");
        }
        assert_eq!(syllables(b"..."), None);
        assert_eq!(syllables(&[b'a'; 60]), None);
    }

    /// Hyphenation points of words the dictionary lacks, as pyphen 0.18.1
    /// with `hyph_en_US.dic` and textstat's settings gives them (checked
    /// with `pyphen.Pyphen(lang="en_US").positions(word)`).
    #[test]
    fn words_the_dictionary_lacks_are_hyphenated_as_pyphen_does() {
        for (word, points) in [
            ("ketamine", 1),
            ("esketamine", 2),
            ("nmda", 1),
            ("bioavailability", 3),
            ("fibromyalgia", 2),
            ("neuroplasticity", 5),
            ("spravato", 2),
            ("iv", 0),
        ] {
            assert_eq!(hyphenation_points(word.as_bytes()), points, "{word}");
        }
    }

    #[test]
    fn the_cache_of_hyphenated_words_stays_bounded() {
        // Made-up words the dictionary cannot know: "qz" and a number.
        for n in 0..MOST_CACHED + 100 {
            let word = format!("qz{n}");
            assert!(syllables(word.as_bytes()).is_some());
        }
        let cached = HYPHENATED.with(|cache| cache.borrow().len());
        assert!(cached <= MOST_CACHED, "{cached} words cached");
        assert!(cached > 0);
    }
}
