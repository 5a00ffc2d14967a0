//! Finding what an article speaks of, whatever its topics say: a policy
//! rule can require the crisis line of any article that mentions suicide,
//! self-harm or overdose. A term matches at the start of a word, in any
//! case, and its words may be joined by spaces, hyphens (of any kind),
//! line breaks or nothing, so `self-harm` finds "Self harm", "self‑harming"
//! and "selfharm", and the stem `suicid` finds "suicide" and "suicidal".

use memchr::memmem;

/// The text as bytes with every ASCII letter and digit in lower case and
/// every other byte (punctuation, spaces, each byte of a non-ASCII
/// character) a space. Offsets stay those of the original text.
pub(super) struct Folded(Vec<u8>);

impl Folded {
    pub(super) fn of(text: &str) -> Self {
        Self(
            text.bytes()
                .map(|byte| {
                    if byte.is_ascii_alphanumeric() {
                        byte.to_ascii_lowercase()
                    } else {
                        b' '
                    }
                })
                .collect(),
        )
    }

    /// Where `term` is first mentioned, as a byte range of the text.
    pub(super) fn find(&self, term: &str) -> Option<std::ops::Range<usize>> {
        let words: Vec<Vec<u8>> = Folded::of(term)
            .0
            .split(|byte| *byte == b' ')
            .filter(|word| !word.is_empty())
            .map(<[u8]>::to_vec)
            .collect();
        let (first, rest) = words.split_first()?;
        let text = &self.0;
        for start in memmem::find_iter(text, first) {
            if start > 0 && text[start - 1] != b' ' {
                continue;
            }
            let mut at = start + first.len();
            let mut matched = true;
            for word in rest {
                while text.get(at) == Some(&b' ') && at - start < 64 + term.len() {
                    at += 1;
                }
                if text[at..].starts_with(word) {
                    at += word.len();
                } else {
                    matched = false;
                    break;
                }
            }
            if matched {
                // The whole word, not only the stem: "suicidal", "overdoses".
                while text.get(at).is_some_and(|byte| *byte != b' ') {
                    at += 1;
                }
                return Some(start..at);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finds(text: &str, term: &str) -> Option<String> {
        Folded::of(text)
            .find(term)
            .map(|range| text[range].to_owned())
    }

    #[test]
    fn a_term_is_found_in_any_case_and_form_at_the_start_of_a_word() {
        assert_eq!(
            finds("Thoughts of Suicide.", "suicid").as_deref(),
            Some("Suicide")
        );
        assert_eq!(
            finds("feeling suicidal", "suicid").as_deref(),
            Some("suicidal")
        );
        assert_eq!(
            finds("Self harm is", "self-harm").as_deref(),
            Some("Self harm")
        );
        assert_eq!(
            finds("self\u{2011}harming", "self-harm").as_deref(),
            Some("self\u{2011}harming")
        );
        assert_eq!(finds("selfharm", "self harm").as_deref(), Some("selfharm"));
        assert_eq!(
            finds("an overdose.", "overdos").as_deref(),
            Some("overdose")
        );
        assert_eq!(
            finds("take their\nown life", "take their own life").as_deref(),
            Some("take their\nown life")
        );
    }

    #[test]
    fn words_that_only_contain_a_term_are_not_mentions_of_it() {
        assert_eq!(finds("a charming herb", "harm"), None);
        assert_eq!(finds("antisuicide", "suicid"), None);
        assert_eq!(finds("", "suicid"), None);
        assert_eq!(finds("suicide", ""), None);
    }
}
