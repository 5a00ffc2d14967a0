//! Syllables as the CMU Pronouncing Dictionary says them, for the words the
//! spelling rule miscounts ("area" has three, "created" three, "FDA" three):
//! Python textstat, the reference these grades are compared with, counts
//! syllables from that dictionary. `dictionary.txt` keeps only the words
//! where the two disagree (`examples/cmudict_syllables.rs` makes it), so a
//! word the rule already gets right costs one failed lookup.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

static TABLE: &str = include_str!("dictionary.txt");

static WORDS: LazyLock<FxHashMap<&'static [u8], u8>> = LazyLock::new(|| {
    TABLE
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| {
            let (word, syllables) = line.split_once(' ')?;
            Some((word.as_bytes(), syllables.parse().ok()?))
        })
        .collect()
});

/// No dictionary word is longer; a longer token is not looked up.
const LONGEST: usize = 34;

/// The dictionary's syllables for a token of running text, read as textstat
/// reads it: lower case, punctuation and hyphens dropped, apostrophes kept
/// inside a word only; `None` when the rule is right or the word unknown.
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
    if word.is_empty() {
        return None;
    }
    WORDS.get(word).map(|&syllables| usize::from(syllables))
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
    use super::syllables;

    #[test]
    fn words_the_rule_miscounts_are_read_from_the_dictionary() {
        for (token, expected) in [
            ("area", Some(3)),
            ("Idea,", Some(3)),
            ("PTSD.", Some(4)),
            ("(FDA)", Some(3)),
            ("'created'", Some(3)),
        ] {
            assert_eq!(syllables(token.as_bytes()), expected, "{token}");
        }
        assert_eq!(syllables(b"..."), None);
        assert_eq!(syllables(&[b'a'; 60]), None);
    }
}
