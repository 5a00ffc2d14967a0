//! The sign-off record: one file per sign-off under `signoffs/`, written by
//! `pamphlet approve` and kept with the content (meant to be committed). Each
//! holds who signed, when, the fingerprint, and the signed title, summary,
//! references and body, so the history can be audited and the signed version
//! compared with today's. An article counts as signed off only when its
//! fingerprint is found here: typing review dates or a fingerprint by hand
//! does not make an article publishable.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::Page;
use super::front_matter;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{Date, Reference};
use crate::source::SourceFile;

/// The folder beside `content/` that holds the record.
pub const LEDGER_DIR: &str = "signoffs";

/// What the clinician's sign-off covers, as text: everything a patient reads
/// that the article's writer wrote.
pub struct SignedText<'t> {
    /// The title.
    pub title: &'t str,
    /// The one-line summary.
    pub summary: Option<&'t str>,
    /// The markdown body as written.
    pub body: &'t str,
    /// The references, resolved against the shared bibliography.
    pub references: &'t [Reference],
}

impl<'t> SignedText<'t> {
    /// What `page` shows patients now.
    pub fn of(page: &'t Page<'_>) -> Self {
        Self {
            title: &page.front.title,
            summary: page.front.summary.as_deref(),
            body: &page.file.text[page.body_start..],
            references: &page.front.references,
        }
    }

    /// A SHA-256 of the title, summary, body and references as resolved (so
    /// an edit to a shared bibliography entry counts too). Line endings and
    /// trailing blank lines are normalised: re-saving a file on Windows
    /// changes nothing a reader sees.
    pub fn fingerprint(&self) -> String {
        let references = serde_json::to_string(self.references).expect("references serialise");
        let mut hash = Sha256::new();
        hash.update(b"pamphlet-signoff-v2");
        for (part, text) in [
            ("title", self.title),
            ("summary", self.summary.unwrap_or("")),
            ("body", &normalised(self.body)),
            ("references", &references),
        ] {
            hash.update(format!("\n{part} {}\n", text.len()).as_bytes());
            hash.update(text.as_bytes());
        }
        hash.finalize()
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect()
    }
}

/// The fingerprint of a page as it is now.
pub fn fingerprint(page: &Page<'_>) -> String {
    SignedText::of(page).fingerprint()
}

fn normalised(body: &str) -> String {
    body.replace("\r\n", "\n").trim_end().to_owned()
}

/// The front matter of one sign-off file.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SignOffRecord {
    /// The article's path under `content/` when it was signed.
    pub article: String,
    /// The clinician who signed off.
    pub reviewed_by: String,
    /// The day they signed off.
    pub reviewed_on: Date,
    /// When the article must be reviewed again.
    pub next_review: Date,
    /// The fingerprint of what they signed.
    pub approved_sha256: String,
    /// The title they signed.
    pub title: String,
    /// The summary they signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// The references they signed, resolved.
    #[serde(default)]
    pub references: Vec<Reference>,
}

/// One sign-off as read back: the record and the body that was signed.
#[derive(Debug)]
pub struct SignedVersion<'a> {
    /// The record's file.
    pub file: &'a SourceFile,
    /// Its front matter.
    pub record: SignOffRecord,
    /// The body that was signed, as it was.
    pub body: &'a str,
}

impl SignedVersion<'_> {
    /// The text this sign-off covers.
    pub fn text(&self) -> SignedText<'_> {
        SignedText {
            title: &self.record.title,
            summary: self.record.summary.as_deref(),
            body: self.body,
            references: &self.record.references,
        }
    }
}

/// Every sign-off of the site, oldest first.
#[derive(Debug, Default)]
pub struct Ledger<'a> {
    /// Every sign-off, oldest first.
    pub versions: Vec<SignedVersion<'a>>,
    by_fingerprint: HashMap<String, Vec<usize>>,
    by_article: HashMap<String, Vec<usize>>,
}

impl<'a> Ledger<'a> {
    /// The sign-offs of exactly this text, oldest first.
    pub fn signing(&self, fingerprint: &str) -> impl Iterator<Item = &SignedVersion<'a>> {
        self.by_fingerprint
            .get(fingerprint)
            .into_iter()
            .flatten()
            .map(|&index| &self.versions[index])
    }

    /// The sign-offs of the article at `content_path`, oldest first.
    pub fn history(&self, content_path: &str) -> impl Iterator<Item = &SignedVersion<'a>> {
        self.by_article
            .get(content_path)
            .into_iter()
            .flatten()
            .map(|&index| &self.versions[index])
    }
}

/// Reads every `.md` file under `signoffs/` in `root`, if the folder exists.
pub fn read(root: &Path, problems: &mut Vec<Diagnostic>) -> Vec<SourceFile> {
    let folder = root.join(LEDGER_DIR);
    if !folder.is_dir() {
        return Vec::new();
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&folder)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !super::is_ignored(entry.file_name()))
    {
        let display = |path: &Path| path.strip_prefix(root).unwrap_or(path).to_path_buf();
        match entry {
            Ok(entry)
                if entry.file_type().is_file()
                    && entry.path().extension().is_some_and(|e| e == "md") =>
            {
                match super::read_text(entry.path(), &display(entry.path())) {
                    Ok(file) => files.push(file),
                    Err(problem) => problems.push(problem),
                }
            }
            Ok(_) => {}
            Err(error) => problems.push(
                Diagnostic::error(
                    Code::Unreadable,
                    format!("this part of the sign-off record cannot be read: {error}"),
                )
                .in_file(display(error.path().unwrap_or(&folder)))
                .hint("check that the file exists and that you may read it"),
            ),
        }
    }
    files
}

/// Parses the files [`read`] found.
pub fn parse<'a>(files: &'a [SourceFile], problems: &mut Vec<Diagnostic>) -> Ledger<'a> {
    let mut ledger = Ledger::default();
    for file in files {
        let parsed = front_matter::split(file).and_then(|split| {
            let record: SignOffRecord = front_matter::parse_yaml(
                file,
                &file.text[split.yaml.clone()],
                split.yaml_first_line,
            )?;
            Ok((record, split.body_start))
        });
        match parsed {
            Ok((record, body_start)) => {
                ledger.versions.push(SignedVersion {
                    file,
                    record,
                    body: &file.text[body_start..],
                });
            }
            Err(problem) => problems.push(problem.hint(
                "this file is Pamphlet's record of a sign-off and must not be edited: restore it from your version control",
            )),
        }
    }
    ledger
        .versions
        .sort_by_key(|version| version.record.reviewed_on);
    for (index, version) in ledger.versions.iter().enumerate() {
        ledger
            .by_fingerprint
            .entry(version.record.approved_sha256.clone())
            .or_default()
            .push(index);
        ledger
            .by_article
            .entry(version.record.article.clone())
            .or_default()
            .push(index);
    }
    ledger
}

/// The text of the sign-off file for `record` and the signed `body`.
pub fn record_text(record: &SignOffRecord, body: &str) -> String {
    let mut value = serde_yaml::to_value(record).expect("a sign-off record serialises");
    // Absent fields read back as absent; `doi: null` would only be noise.
    if let Some(references) = value
        .get_mut("references")
        .and_then(|r| r.as_sequence_mut())
    {
        for reference in references.iter_mut().filter_map(|r| r.as_mapping_mut()) {
            reference.retain(|_, field| {
                !field.is_null() && field.as_sequence().is_none_or(|list| !list.is_empty())
            });
        }
    }
    let yaml = serde_yaml::to_string(&value).expect("a sign-off record serialises");
    format!(
        "---\n# The record of a clinician's sign-off, written by `pamphlet approve`.\n# Keep it with the content and do not edit it: the build checks it.\n{yaml}---\n{}\n",
        normalised(body)
    )
}

/// Where the record of `record` goes, under `signoffs/`: the article's path,
/// then the date and the start of the fingerprint, so a folder listing reads
/// as the article's history.
pub fn record_path(record: &SignOffRecord) -> std::path::PathBuf {
    let article = record.article.trim_end_matches(".md");
    let short: String = record.approved_sha256.chars().take(12).collect();
    Path::new(LEDGER_DIR)
        .join(article)
        .join(format!("{}-{short}.md", record.reviewed_on.iso()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(references: Vec<Reference>) -> SignOffRecord {
        SignOffRecord {
            article: "a/b.md".into(),
            reviewed_by: "Dr \"Q\" Example: MD".into(),
            reviewed_on: Date::parse("2026-11-21").unwrap(),
            next_review: Date::parse("2029-11-21").unwrap(),
            approved_sha256: String::new(),
            title: "Title: with a colon".into(),
            summary: Some("- looks like a list".into()),
            references,
        }
    }

    #[test]
    fn a_written_record_reads_back_with_the_same_fingerprint() {
        let references: Vec<Reference> = serde_yaml::from_str(
            "- {id: a, authors: [X Y], title: 'T: x', source: S, year: 2020, pmid: 123, evidence: guideline, accessed: 2026-01-01}\n- {id: b, url: 'https://x.example/#a'}",
        )
        .unwrap();
        let body = "Text with `code`, ---\r\n\n---\n\tTabbed \u{a0}line  \n\n\n";
        let mut written = record(references);
        written.approved_sha256 = SignedText {
            title: &written.title,
            summary: written.summary.as_deref(),
            body,
            references: &written.references,
        }
        .fingerprint();
        let file = SourceFile::new("r.md", record_text(&written, body));
        let mut problems = Vec::new();
        let ledger = parse(std::slice::from_ref(&file), &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        let version = &ledger.versions[0];
        assert_eq!(version.record, written);
        assert_eq!(version.text().fingerprint(), written.approved_sha256);
        assert!(!file.text.contains("null"), "{}", file.text);
    }

    #[test]
    fn each_part_of_the_signed_text_changes_the_fingerprint() {
        let references: Vec<Reference> = serde_yaml::from_str("- {id: a, title: T}").unwrap();
        let other: Vec<Reference> = serde_yaml::from_str("- {id: a, title: U}").unwrap();
        let text = |title, summary, body, references| {
            SignedText {
                title,
                summary,
                body,
                references,
            }
            .fingerprint()
        };
        let base = text("T", Some("S"), "B", &references[..]);
        assert_eq!(base, text("T", Some("S"), "B\r\n\n", &references[..]));
        for changed in [
            text("T2", Some("S"), "B", &references[..]),
            text("T", None, "B", &references[..]),
            text("T", Some("S"), "B.", &references[..]),
            text("T", Some("S"), "B", &other[..]),
            // Moving text between parts is a change too.
            text("TS", Some(""), "B", &references[..]),
        ] {
            assert_ne!(base, changed);
        }
    }
}
