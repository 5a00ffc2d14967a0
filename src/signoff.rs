//! Binding a clinician's sign-off to the text they reviewed. `approve`
//! records a fingerprint of the body and the references; when either changes
//! afterwards, `check` and the report say the page changed since review.

use std::ops::Range;

use crate::load::front_matter::Split;
use crate::load::ledger::{self, fingerprint};
use crate::model::{Date, FrontMatter};

/// What `approve` writes under `review:`.
#[derive(Debug, Clone, PartialEq)]
pub struct SignOff {
    /// The clinician signing off.
    pub reviewed_by: String,
    /// The day of the sign-off.
    pub reviewed_on: Date,
    /// When the article must be reviewed again.
    pub next_review: Date,
    /// The fingerprint of the text signed.
    pub approved_sha256: String,
}

impl SignOff {
    fn fields(&self) -> [(&'static str, String); 4] {
        [
            ("reviewed_by", quoted(&self.reviewed_by)),
            ("reviewed_on", self.reviewed_on.iso()),
            ("next_review", self.next_review.iso()),
            ("approved_sha256", self.approved_sha256.clone()),
        ]
    }
}

fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// `text` with the sign-off written into its front matter. Only the values
/// of the four review fields change (or lines are added for them); every
/// other byte, comments and key order included, stays as it was.
pub fn write(text: &str, split: &Split, sign_off: &SignOff) -> Result<String, String> {
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let lines: Vec<(usize, &str)> = line_spans(text, split.yaml.clone());
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();

    let review_line = lines
        .iter()
        .position(|(_, line)| line.starts_with("review:") && !line.starts_with(' '));
    match review_line {
        None => {
            let mut block = format!("review:{newline}");
            for (field, value) in sign_off.fields() {
                block.push_str(&format!("  {field}: {value}{newline}"));
            }
            edits.push((split.yaml.end..split.yaml.end, block));
        }
        Some(index) => {
            let (_, line) = lines[index];
            let after_key = line["review:".len()..].trim();
            if !(after_key.is_empty() || after_key.starts_with('#')) {
                return Err(
                    "`review:` is written on one line; write each review field on its own line below `review:`, indented by two spaces".to_owned(),
                );
            }
            let children: Vec<&(usize, &str)> = lines[index + 1..]
                .iter()
                .take_while(|(_, l)| {
                    l.trim().is_empty() || l.starts_with(' ') || l.starts_with('\t')
                })
                .collect();
            let indent = children
                .iter()
                .map(|(_, l)| *l)
                .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
                .map_or("  ", |l| &l[..l.len() - l.trim_start().len()]);
            let last_child_end = children
                .iter()
                .rev()
                .find(|(_, l)| !l.trim().is_empty())
                .map_or(lines[index].0 + line.len(), |(start, l)| start + l.len());
            let insert_at = text[last_child_end..]
                .find('\n')
                .map_or(text.len(), |i| last_child_end + i + 1);
            for (field, value) in sign_off.fields() {
                let existing = children.iter().find(|(_, l)| {
                    l.strip_prefix(indent)
                        .is_some_and(|rest| rest.starts_with(&format!("{field}:")))
                });
                match existing {
                    Some((start, l)) => {
                        let value_start = start + indent.len() + field.len() + 1;
                        let rest = &l[indent.len() + field.len() + 1..];
                        // The value ends where its text ends: the spaces and
                        // comment after it stay.
                        let before_comment = rest.find(" #").map_or(rest, |i| &rest[..i]);
                        let value_end = value_start + before_comment.trim_end().len();
                        edits.push((value_start..value_end, format!(" {value}")));
                    }
                    None => edits.push((
                        insert_at..insert_at,
                        format!("{indent}{field}: {value}{newline}"),
                    )),
                }
            }
        }
    }

    let mut written = text.to_owned();
    edits.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    for (range, replacement) in edits {
        written.replace_range(range, &replacement);
    }
    Ok(written)
}

/// The lines of `range` in `text` with their offsets, without line endings.
fn line_spans(text: &str, range: Range<usize>) -> Vec<(usize, &str)> {
    let mut offset = range.start;
    text[range]
        .split_inclusive('\n')
        .map(|line| {
            let at = offset;
            offset += line.len();
            (at, line.trim_end_matches(['\n', '\r']))
        })
        .collect()
}

/// Re-reads what [`write()`] produced, so a sign-off is never saved into a file
/// it has broken.
pub fn confirm(front: &FrontMatter, sign_off: &SignOff) -> bool {
    front.review.as_ref().is_some_and(|review| {
        review.reviewed_by.as_deref() == Some(sign_off.reviewed_by.as_str())
            && review.reviewed_on == Some(sign_off.reviewed_on)
            && review.next_review == Some(sign_off.next_review)
            && review.approved_sha256.as_deref() == Some(sign_off.approved_sha256.as_str())
    })
}

/// What `approve` did, for it to say so.
#[derive(Debug, Clone)]
pub struct Approved {
    /// What was written under `review:`.
    pub sign_off: SignOff,
    /// The article's title.
    pub title: String,
    /// How many references it lists.
    pub references: usize,
    /// The new file of the sign-off record, relative to the site folder.
    pub record: std::path::PathBuf,
}

/// Problems a reviewer signs off over at the clinic's peril: anything that
/// stops the article from publishing, except the review itself (which the
/// sign-off is about to write), and every placeholder, even in a draft.
/// The placeholders `approve` itself replaces (`reviewed_by: "FILL IN..."`
/// from `pamphlet new` and `init`) do not stop it.
fn blocks_sign_off(problem: &crate::diagnostics::Diagnostic, page: &crate::load::Page<'_>) -> bool {
    if problem.code == crate::diagnostics::Code::Placeholder {
        let line = page
            .file
            .text
            .lines()
            .nth(problem.line.saturating_sub(1))
            .unwrap_or("");
        let field = line.trim_start();
        return ![
            "reviewed_by:",
            "reviewed_on:",
            "next_review:",
            "approved_sha256:",
        ]
        .iter()
        .any(|written_by_approve| field.starts_with(written_by_approve));
    }
    blocks_unless_about_the_review(problem)
}

fn blocks_unless_about_the_review(problem: &crate::diagnostics::Diagnostic) -> bool {
    use crate::diagnostics::{Code, Severity};
    let about_the_review = matches!(
        problem.code,
        Code::MissingReview
            | Code::ReviewInFuture
            | Code::ReviewPeriod
            | Code::ReviewExpired
            | Code::ReviewDueSoon
            | Code::ChangedSinceReview
            | Code::NotSignedOff
            | Code::SignOffRecord
    );
    problem.severity == Severity::Error && !about_the_review
}

/// Signs off the article at `file`: records the reviewer, today, the next
/// review date (by default today plus the policy's review period) and the
/// fingerprint of what they reviewed, first in a new file of the sign-off
/// record (`signoffs/`), then in the article. Refuses, and writes nothing,
/// if the article has errors or placeholders, cannot be read, or the new
/// front matter would not read back.
pub fn approve(
    options: &crate::BuildOptions,
    file: &std::path::Path,
    reviewer: &str,
    next_review: Option<Date>,
) -> Result<Approved, crate::BuildError> {
    use crate::diagnostics::{Code, Diagnostic};
    use crate::errors::{BuildError, Trouble};
    use crate::load::front_matter;

    let absolute =
        |path: &std::path::Path| std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let content_dir = absolute(&options.root.join(crate::load::CONTENT_DIR));
    let content_path = absolute(file)
        .strip_prefix(&content_dir)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .map_err(|_| {
            BuildError::environment(
                Trouble::Usage,
                format!(
                    "`{}` is not an article under {}",
                    file.display(),
                    content_dir.display()
                ),
            )
        })?;
    if reviewer.trim().is_empty() {
        return Err(BuildError::environment(
            Trouble::Usage,
            "give the reviewer's name and credentials with --reviewer \"Name, MD\"".to_owned(),
        ));
    }
    let today = options.today;
    crate::with_checked_site(options, |site, diagnostics| {
        let Some(page) = site.page(&content_path) else {
            let own: Vec<Diagnostic> = diagnostics
                .into_iter()
                .filter(|d| {
                    d.file
                        .as_deref()
                        .is_some_and(|f| f.ends_with(&content_path))
                })
                .collect();
            return Err(if own.is_empty() {
                BuildError::environment(
                    Trouble::Usage,
                    format!("there is no article `content/{content_path}`"),
                )
            } else {
                BuildError::Refused(own)
            });
        };
        let blocking: Vec<Diagnostic> = diagnostics
            .into_iter()
            .filter(|d| {
                d.file.as_deref() == Some(page.file.path.as_path()) && blocks_sign_off(d, page)
            })
            .map(|mut d| {
                // Even a draft's problems stop its sign-off.
                d.severity = crate::diagnostics::Severity::Error;
                d
            })
            .collect();
        if !blocking.is_empty() {
            return Err(BuildError::Refused(blocking));
        }
        let latest = today.plus_months(site.config.policy.review.valid_for_months);
        let next_review = next_review.unwrap_or(latest);
        if next_review <= today || next_review > latest {
            return Err(BuildError::environment(
                Trouble::Usage,
                format!(
                    "--next-review must be after today and no later than {} (the policy's review period)",
                    latest.iso()
                ),
            ));
        }
        let sign_off = SignOff {
            reviewed_by: reviewer.trim().to_owned(),
            reviewed_on: today,
            next_review,
            approved_sha256: fingerprint(page),
        };
        let split = front_matter::split(page.file).map_err(|d| BuildError::Refused(vec![d]))?;
        let refuse = |message: String| {
            BuildError::Refused(vec![
                Diagnostic::error(Code::BadValue, message)
                    .at(page.file, front_matter::locate(page.file, &page.yaml, "review", None))
                    .hint("write `review:` on its own line with each field indented below it, then approve again"),
            ])
        };
        let written = write(&page.file.text, &split, &sign_off).map_err(refuse)?;
        let reread = crate::source::SourceFile::new(page.file.path.clone(), written.clone());
        let reads_back = front_matter::split(&reread)
            .ok()
            .and_then(|s| {
                front_matter::parse_yaml::<FrontMatter>(
                    &reread,
                    &written[s.yaml],
                    s.yaml_first_line,
                )
                .ok()
            })
            .is_some_and(|front| confirm(&front, &sign_off));
        if !reads_back {
            return Err(refuse("the sign-off could not be written without changing the meaning of the front matter".to_owned()));
        }
        let record = ledger::SignOffRecord {
            article: content_path.clone(),
            reviewed_by: sign_off.reviewed_by.clone(),
            reviewed_on: sign_off.reviewed_on,
            next_review: sign_off.next_review,
            approved_sha256: sign_off.approved_sha256.clone(),
            title: page.front.title.clone(),
            summary: page.front.summary.clone(),
            references: page.front.references.clone(),
        };
        let body = &page.file.text[page.body_start..];
        let record_file = write_record(&options.root, &record, body)?;
        let path = options.root.join(&page.file.path);
        replace_file(&path, written.as_bytes()).map_err(|error| {
            BuildError::environment(
                Trouble::FileSystem,
                format!("could not save `{}`: {error}", path.display()),
            )
        })?;
        Ok(Approved {
            sign_off,
            title: page.front.title.clone(),
            references: page.front.references.len(),
            record: record_file,
        })
    })?
}

/// Adds the record of one sign-off under `signoffs/`, never replacing a
/// file: a second sign-off of the same text on the same day gets a numbered
/// name. What is written is read back first, so a record that would not
/// prove its own fingerprint is never saved.
fn write_record(
    root: &std::path::Path,
    record: &ledger::SignOffRecord,
    body: &str,
) -> Result<std::path::PathBuf, crate::BuildError> {
    use crate::errors::{BuildError, Trouble};
    let text = ledger::record_text(record, body);
    let reread = crate::source::SourceFile::new("record", text.as_str());
    let mut problems = Vec::new();
    let proves_itself = ledger::parse(std::slice::from_ref(&reread), &mut problems)
        .versions
        .first()
        .is_some_and(|version| version.text().fingerprint() == record.approved_sha256);
    if !proves_itself {
        return Err(BuildError::environment(
            Trouble::FileSystem,
            format!(
                "the sign-off record for `{}` would not read back as written; nothing was changed (please report this)",
                record.article
            ),
        ));
    }
    let first = ledger::record_path(record);
    let folder = root.join(first.parent().unwrap_or(std::path::Path::new(".")));
    std::fs::create_dir_all(&folder).map_err(|error| {
        BuildError::environment(
            Trouble::FileSystem,
            format!("could not create `{}`: {error}", folder.display()),
        )
    })?;
    for attempt in 1..100 {
        let relative = if attempt == 1 {
            first.clone()
        } else {
            first.with_file_name(format!(
                "{}-{attempt}.md",
                first.file_stem().unwrap_or_default().to_string_lossy()
            ))
        };
        // create_new never follows a planted link and never replaces a file.
        let created = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(root.join(&relative));
        match created {
            Ok(mut file) => {
                use std::io::Write;
                file.write_all(text.as_bytes())
                    .and_then(|()| file.sync_all())
                    .map_err(|error| {
                        BuildError::environment(
                            Trouble::FileSystem,
                            format!("could not write `{}`: {error}", relative.display()),
                        )
                    })?;
                return Ok(relative);
            }
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(error) => {
                return Err(BuildError::environment(
                    Trouble::FileSystem,
                    format!("could not write `{}`: {error}", relative.display()),
                ));
            }
        }
    }
    Err(BuildError::environment(
        Trouble::FileSystem,
        format!("too many sign-offs of `{}` today", record.article),
    ))
}

/// Replaces the article at `path` in one rename, so it is never seen half
/// written. The new text goes first into a file created exclusively under a
/// random hidden name beside it (hidden files are never published, and no
/// planted file or link of a known name can redirect the write); the
/// article keeps its permissions.
fn replace_file(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let meta = std::fs::symlink_metadata(path)?;
    if !meta.is_file() {
        return Err(std::io::Error::other("it is not a plain file (a link?)"));
    }
    let folder = path.parent().unwrap_or(std::path::Path::new("."));
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let mut temporary = tempfile::Builder::new()
        .prefix(&format!(".{name}.approving-"))
        .tempfile_in(folder)?;
    temporary.write_all(bytes)?;
    temporary.as_file().sync_all()?;
    temporary.as_file().set_permissions(meta.permissions())?;
    temporary.persist(path).map_err(|error| error.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::front_matter::split;
    use crate::source::SourceFile;

    fn sign_off() -> SignOff {
        SignOff {
            reviewed_by: "Dr \"A\" Example, MD".into(),
            reviewed_on: Date::parse("2026-11-21").unwrap(),
            next_review: Date::parse("2029-11-21").unwrap(),
            approved_sha256: "ab12".into(),
        }
    }

    fn signed(text: &str) -> String {
        let file = SourceFile::new("a.md", text);
        write(text, &split(&file).unwrap(), &sign_off()).unwrap()
    }

    #[test]
    fn only_the_review_values_change() {
        let text = "---\ntitle: A # the title\nreview:\n  # who checked it\n  reviewed_by: Old Name   # keep me\n  reviewed_on: 2020-01-01\n  next_review: 2021-01-01\nreferences: []\n---\nBody\n";
        let expected = "---\ntitle: A # the title\nreview:\n  # who checked it\n  reviewed_by: \"Dr \\\"A\\\" Example, MD\"   # keep me\n  reviewed_on: 2026-11-21\n  next_review: 2029-11-21\n  approved_sha256: ab12\nreferences: []\n---\nBody\n";
        assert_eq!(signed(text), expected);
    }

    #[test]
    fn a_missing_review_block_is_added_before_the_closing_fence_with_the_files_line_endings() {
        let text = "---\r\ntitle: A\r\n---\r\nBody\r\n";
        assert_eq!(
            signed(text),
            "---\r\ntitle: A\r\nreview:\r\n  reviewed_by: \"Dr \\\"A\\\" Example, MD\"\r\n  reviewed_on: 2026-11-21\r\n  next_review: 2029-11-21\r\n  approved_sha256: ab12\r\n---\r\nBody\r\n"
        );
    }

    #[test]
    fn a_one_line_review_is_refused_rather_than_rewritten() {
        let text = "---\ntitle: A\nreview: {reviewed_by: X}\n---\n";
        let file = SourceFile::new("a.md", text);
        assert!(write(text, &split(&file).unwrap(), &sign_off()).is_err());
    }
}
