//! What changed since the clinician signed: the signed version kept in the
//! sign-off record against today's text, word by word, and the references
//! added, removed or changed. Long stretches that did not change are cut
//! short, so the reviewer reads the edits, not the article again.

use std::time::Duration;

use serde::Serialize;
use similar::{Algorithm, ChangeTag, TextDiff};

use crate::load::ledger::{SignedText, SignedVersion};
use crate::model::{Date, Reference};

/// Unchanged text longer than this many words is shortened to its ends.
const CONTEXT_WORDS: usize = 12;

/// What changed in an article since its last sign-off.
#[derive(Debug, Serialize)]
pub struct Changes {
    /// The sign-off compared with, and where its record is.
    pub signed_by: String,
    /// The day it was signed off.
    pub signed_on: Date,
    /// The record's file, relative to the site folder.
    pub record: String,
    /// The title, summary and text, those that changed, in that order.
    pub texts: Vec<ChangedText>,
    /// References added, removed or changed, by id.
    pub references: Vec<ReferenceChange>,
}

/// The changes in one part of the article.
#[derive(Debug, Serialize)]
pub struct ChangedText {
    /// `title`, `summary` or `text`.
    pub name: &'static str,
    /// The part, in runs of words kept, added or removed.
    pub parts: Vec<Part>,
}

/// A run of words, kept, added or removed.
#[derive(Debug, Serialize, PartialEq)]
pub struct Part {
    /// Whether it was kept, added or removed.
    pub change: Change,
    /// The words, with their spacing.
    pub text: String,
}

/// How a run of words or a reference changed.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// Unchanged.
    Same,
    /// New since the sign-off.
    Added,
    /// Gone since the sign-off.
    Removed,
    /// A reference kept under its id whose details changed.
    Changed,
}

/// A reference that changed since the sign-off.
#[derive(Debug, Serialize)]
pub struct ReferenceChange {
    /// The key the text cites it by.
    pub id: String,
    /// Added, removed or changed.
    pub change: Change,
    /// The reference as signed and as now, in one line each.
    pub signed: Option<String>,
    /// The reference as it is now, in one line.
    pub now: Option<String>,
}

/// The changes from `signed` to `now`.
pub fn between(signed: &SignedVersion<'_>, now: &SignedText<'_>) -> Changes {
    let then = signed.text();
    Changes {
        signed_by: signed.record.reviewed_by.clone(),
        signed_on: signed.record.reviewed_on,
        record: signed.file.path.display().to_string(),
        texts: [
            ("Title", words(then.title, now.title)),
            (
                "Summary",
                words(then.summary.unwrap_or(""), now.summary.unwrap_or("")),
            ),
            (
                "Text",
                words(
                    &then.body.replace("\r\n", "\n"),
                    &now.body.replace("\r\n", "\n"),
                ),
            ),
        ]
        .into_iter()
        .filter(|(_, parts)| parts.iter().any(|p| p.change != Change::Same))
        .map(|(name, parts)| ChangedText { name, parts })
        .collect(),
        references: references(then.references, now.references),
    }
}

/// A word-level diff; identical texts give one `Same` part (or none).
pub fn words(old: &str, new: &str) -> Vec<Part> {
    let old = old.trim_end();
    let new = new.trim_end();
    // A hostile or huge edit must not stall the report: past the deadline
    // the diff is coarser, never wrong.
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Patience)
        .timeout(Duration::from_secs(2))
        .diff_words(old, new);
    let mut parts: Vec<Part> = Vec::new();
    for change in diff.iter_all_changes() {
        let kind = match change.tag() {
            ChangeTag::Equal => Change::Same,
            ChangeTag::Insert => Change::Added,
            ChangeTag::Delete => Change::Removed,
        };
        match parts.last_mut() {
            Some(last) if last.change == kind => last.text.push_str(change.value()),
            _ => parts.push(Part {
                change: kind,
                text: change.value().to_owned(),
            }),
        }
    }
    let only_part = parts.len() == 1;
    for part in &mut parts {
        if part.change == Change::Same && !only_part {
            part.text = shortened(&part.text);
        }
    }
    parts
}

/// `text` with all but its first and last few words replaced by " … ".
fn shortened(text: &str) -> String {
    let words: Vec<&str> = text.split_inclusive(char::is_whitespace).collect();
    let kept = CONTEXT_WORDS * 2;
    let count = words.iter().filter(|w| !w.trim().is_empty()).count();
    if count <= kept + 4 {
        return text.to_owned();
    }
    let head: String = words[..CONTEXT_WORDS].concat();
    let tail: String = words[words.len() - CONTEXT_WORDS..].concat();
    format!("{head}… {tail}")
}

fn references(signed: &[Reference], now: &[Reference]) -> Vec<ReferenceChange> {
    let line = |reference: &Reference| {
        let mut parts = vec![reference.id.clone()];
        parts.extend(reference.authors.first().cloned());
        parts.extend(reference.title.clone());
        parts.extend(reference.source.clone());
        parts.extend(reference.year.map(|y| y.to_string()));
        parts.extend(reference.doi.as_ref().map(|d| format!("doi:{d}")));
        parts.extend(reference.pmid.as_ref().map(|p| format!("PMID {p}")));
        parts.extend(reference.url.clone());
        parts.join(" · ")
    };
    let find = |list: &[Reference], id: &str| list.iter().find(|r| r.id == id).cloned();
    let mut found = Vec::new();
    for old in signed {
        match find(now, &old.id) {
            None => found.push(ReferenceChange {
                id: old.id.clone(),
                change: Change::Removed,
                signed: Some(line(old)),
                now: None,
            }),
            // Compared as recorded: where an entry came from is not a change.
            Some(new) if serde_json::to_value(&new).ok() != serde_json::to_value(old).ok() => found
                .push(ReferenceChange {
                    id: old.id.clone(),
                    change: Change::Changed,
                    signed: Some(line(old)),
                    now: Some(line(&new)),
                }),
            Some(_) => {}
        }
    }
    for new in now {
        if find(signed, &new.id).is_none() {
            found.push(ReferenceChange {
                id: new.id.clone(),
                change: Change::Added,
                signed: None,
                now: Some(line(new)),
            });
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(parts: &[Part]) -> String {
        parts
            .iter()
            .map(|p| match p.change {
                Change::Same | Change::Changed => p.text.clone(),
                Change::Added => format!("[+{}]", p.text),
                Change::Removed => format!("[-{}]", p.text),
            })
            .collect()
    }

    #[test]
    fn a_changed_word_is_shown_removed_and_added() {
        let parts = words("Most people feel sleepy.", "Many people feel sleepy.");
        assert_eq!(shown(&parts), "[-Most][+Many] people feel sleepy.");
    }

    #[test]
    fn long_unchanged_text_is_cut_to_its_ends() {
        let long = (1..=100)
            .map(|n| format!("w{n}"))
            .collect::<Vec<_>>()
            .join(" ");
        let parts = words(&format!("{long} old"), &format!("{long} new"));
        let text = shown(&parts);
        assert!(text.starts_with("w1 w2 ") && text.contains("… ") && text.contains("w100 "));
        assert!(!text.contains("w50 "), "{text}");
        assert!(text.ends_with("[-old][+new]"), "{text}");
    }

    #[test]
    fn identical_texts_are_one_unchanged_part() {
        let parts = words("Same text.", "Same text.\n");
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].change, Change::Same);
    }
}
