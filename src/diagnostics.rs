//! Problems found in a build, collected from every stage and reported
//! together: each names the file, line and column, says what is wrong in
//! plain words and how to fix it.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use codespan_reporting::diagnostic::{Diagnostic as Rendered, Label, Severity as RenderedSeverity};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, WriteStyle};
use serde::Serialize;

pub use crate::codes::{Code, Severity};
use crate::source::{Position, SourceFile};

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

/// One problem. `line` and `column` are 1-based; both are 0 when the problem
/// belongs to no particular place (a whole folder, say).
#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    /// The file, relative to the site folder, when the problem is in one.
    pub file: Option<PathBuf>,
    /// 1-based line, or 0.
    pub line: usize,
    /// 1-based column in characters, or 0.
    pub column: usize,
    /// Which check found it; `pamphlet explain` says more.
    pub code: Code,
    /// Whether it stops the build.
    pub severity: Severity,
    /// What is wrong, in plain words.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
    /// The text to quote under the message; boxed because most problems are
    /// passed around far more than they are printed.
    #[serde(skip)]
    snippet: Option<Box<Snippet>>,
}

#[derive(Debug, Clone)]
struct Snippet {
    span: Range<usize>,
    source: Arc<str>,
}

impl Diagnostic {
    /// A problem that stops the build.
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Self {
            file: None,
            line: 0,
            column: 0,
            code,
            severity: Severity::Error,
            message: message.into(),
            hint: None,
            snippet: None,
        }
    }

    /// A problem that is reported and published anyway.
    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(code, message)
        }
    }

    /// Points the problem at a byte range of a file, so the report can show
    /// the line with a marker under it.
    pub fn at(mut self, file: &SourceFile, span: Range<usize>) -> Self {
        let Position { line, column } = file.position(span.start);
        self.file = Some(file.path.clone());
        self.line = line;
        self.column = column;
        self.snippet = Some(Box::new(Snippet {
            span,
            source: file.text.clone(),
        }));
        self
    }

    /// The text the problem points at, if it points at a part of a file.
    pub fn snippet_text(&self) -> Option<&str> {
        let snippet = self.snippet.as_ref()?;
        snippet.source.get(snippet.span.clone())
    }

    /// The line the problem points at, and the part of it to mark (byte
    /// offsets within the line), for showing it outside a terminal.
    pub fn source_line(&self) -> Option<(&str, Range<usize>)> {
        let snippet = self.snippet.as_ref()?;
        let text = &*snippet.source;
        let start = snippet.span.start.min(text.len());
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line = text[line_start..line_end].trim_end_matches('\r');
        let mark_end = snippet.span.end.clamp(start, line_start + line.len());
        Some((line, start - line_start..mark_end - line_start))
    }

    /// Points the problem at a 1-based line and column of a file.
    pub fn at_line(self, file: &SourceFile, line: usize, column: usize) -> Self {
        let start = file.offset_of(line, column);
        let end = file.line_span(start).end.max(start);
        self.at(file, start..end)
    }

    /// Names the file when no single place in it is at fault.
    pub fn in_file(mut self, path: impl AsRef<Path>) -> Self {
        self.file = Some(path.as_ref().to_path_buf());
        self
    }

    /// Says how to fix the problem.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// True when the problem stops the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Orders problems as an editor reads them: by file, then line, then column.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.code, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.code, &b.message))
    });
}

/// Writes every diagnostic in the style of rustc: code, message, the source
/// line with a marker under the spot, and a `help:` line.
pub fn emit(writer: &mut dyn WriteStyle, diagnostics: &[Diagnostic]) -> std::io::Result<()> {
    let config = term::Config::default();
    for diagnostic in diagnostics {
        let mut rendered = Rendered::new(match diagnostic.severity {
            Severity::Error => RenderedSeverity::Error,
            Severity::Warning => RenderedSeverity::Warning,
        })
        .with_code(diagnostic.code.id())
        .with_message(&diagnostic.message);
        let quoted = match (&diagnostic.file, &diagnostic.snippet) {
            (Some(path), Some(snippet)) => {
                let quoted = Quoted::of(path, snippet, diagnostic.line, diagnostic.column);
                rendered = rendered.with_labels(vec![Label::primary((), quoted.span.clone())]);
                quoted
            }
            (Some(path), None) => {
                rendered = rendered.with_notes(vec![format!("in {}", path.display())]);
                Quoted::default()
            }
            _ => Quoted::default(),
        };
        if let Some(hint) = &diagnostic.hint {
            rendered.notes.push(format!("help: {hint}"));
        }
        term::emit_to_write_style(writer, &config, &quoted, &rendered)
            .map_err(std::io::Error::other)?;
    }
    Ok(())
}

/// The part of a file a diagnostic quotes: the lines of its span, or, on a
/// long line, a window of it around the problem. Printing thousands of
/// problems on one long line then costs what the problems cost, not the
/// line's length each time; the line and column shown stay the real ones.
#[derive(Default)]
struct Quoted {
    name: String,
    text: String,
    /// The span within `text`.
    span: Range<usize>,
    first_line: usize,
    /// The real column of the span's start when `text` is a window.
    window_column: Option<usize>,
    line_starts: Vec<usize>,
}

/// Longer lines are quoted as a window around the problem.
const LONGEST_QUOTED_LINE: usize = 240;
/// Spans over more lines than this quote only their first line.
const MOST_QUOTED_LINES: usize = 12;

impl Quoted {
    fn of(path: &Path, snippet: &Snippet, line: usize, column: usize) -> Self {
        let source = &*snippet.source;
        let start = floor_boundary(source, snippet.span.start.min(source.len()));
        let end = floor_boundary(source, snippet.span.end.clamp(start, source.len()));
        // Every search below looks at most a line's quotable length away
        // from the problem, so quoting costs the same on any line.
        let near_before = floor_boundary(source, start.saturating_sub(LONGEST_QUOTED_LINE + 1));
        let line_start = match source[near_before..start].rfind('\n') {
            Some(i) => Some(near_before + i + 1),
            None if near_before == 0 => Some(0),
            None => None,
        };
        let whole_lines = line_start.and_then(|line_start| {
            let limit = floor_boundary(source, (end + LONGEST_QUOTED_LINE + 1).min(source.len()));
            let block_end = match source[end..limit].find('\n') {
                Some(i) => end + i,
                None if limit == source.len() => limit,
                None => return None,
            };
            let block = &source[line_start..block_end];
            let fits = block.len() <= MOST_QUOTED_LINES * (LONGEST_QUOTED_LINE + 1)
                && block.lines().count() <= MOST_QUOTED_LINES
                && block.lines().all(|l| l.len() <= LONGEST_QUOTED_LINE);
            fits.then_some((line_start, block))
        });
        let mut quoted = Quoted {
            name: path.display().to_string(),
            first_line: line,
            ..Quoted::default()
        };
        if let Some((line_start, block)) = whole_lines {
            quoted.text = block.to_owned();
            quoted.span = start - line_start..end - line_start;
        } else {
            let from = floor_boundary(
                source,
                start.saturating_sub(60).max(line_start.unwrap_or(0)),
            );
            let limit = floor_boundary(source, (start + 120).min(source.len()));
            let to = source[start..limit]
                .find(['\n', '\r'])
                .map_or(limit, |i| start + i);
            let bytes = source.as_bytes();
            let lead = if from > 0 && bytes[from - 1] != b'\n' {
                "…"
            } else {
                ""
            };
            let tail = if to < bytes.len() && !matches!(bytes[to], b'\n' | b'\r') {
                "…"
            } else {
                ""
            };
            quoted.text = format!("{lead}{}{tail}", &source[from..to]);
            let at = lead.len() + start - from;
            quoted.span = at..(lead.len() + end.min(to) - from).max(at);
            quoted.window_column = Some(column);
        }
        quoted.line_starts = std::iter::once(0)
            .chain(quoted.text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        quoted
    }
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

impl<'a> Files<'a> for Quoted {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), byte_index: usize) -> Result<usize, FilesError> {
        Ok(self
            .line_starts
            .partition_point(|&start| start <= byte_index)
            - 1)
    }

    fn line_number(&'a self, (): (), line_index: usize) -> Result<usize, FilesError> {
        Ok(self.first_line + line_index)
    }

    fn column_number(
        &'a self,
        (): (),
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, FilesError> {
        match self.window_column {
            Some(column) => Ok(column),
            None => {
                let range = self.line_range((), line_index)?;
                Ok(codespan_reporting::files::column_index(&self.text, range, byte_index) + 1)
            }
        }
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, FilesError> {
        let start = *self
            .line_starts
            .get(line_index)
            .ok_or(FilesError::LineTooLarge {
                given: line_index,
                max: self.line_starts.len(),
            })?;
        let end = self
            .line_starts
            .get(line_index + 1)
            .map_or(self.text.len(), |next| next - 1);
        Ok(start..end)
    }
}

/// The same as [`emit`], without colour, into a string (for tests and for
/// the live preview's error overlay).
pub fn to_plain_text(diagnostics: &[Diagnostic]) -> String {
    let mut buffer = codespan_reporting::term::termcolor::NoColor::new(Vec::new());
    emit(&mut buffer, diagnostics).expect("writing into memory cannot fail");
    String::from_utf8_lossy(&buffer.into_inner()).into_owned()
}

/// The closest of `known` to a misspelt `word`, if one is close enough to be
/// a plausible typo.
pub fn closest<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(word, candidate), candidate))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_suggests_the_likely_typo_fix_and_nothing_for_unrelated_words() {
        let known = ["reviewed_by", "reviewed_on", "next_review"];
        assert_eq!(closest("reviwed_by", known), Some("reviewed_by"));
        assert_eq!(closest("colour", known), None);
    }

    #[test]
    fn plain_text_shows_code_line_marker_and_help() {
        let file = SourceFile::new("content/a.md", "---\ntitle: x\n---\nbad [@nope] here\n");
        let span = 21..28;
        let diagnostic = Diagnostic::error(Code::UnknownCitation, "no reference `nope`")
            .at(&file, span)
            .hint("add it to `references:`");
        assert_eq!((diagnostic.line, diagnostic.column), (4, 5));
        let text = to_plain_text(&[diagnostic]);
        assert!(text.contains("error[P007]: no reference `nope`"), "{text}");
        assert!(text.contains("content/a.md:4:5"), "{text}");
        assert!(text.contains("bad [@nope] here"), "{text}");
        assert!(text.contains("^^^^^^^"), "{text}");
        assert!(text.contains("help: add it to `references:`"), "{text}");
    }
}
