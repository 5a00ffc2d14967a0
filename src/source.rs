//! The text of one file under the site root, shared between stages so that a
//! diagnostic can show the offending line without reading the file again.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

/// A file that the build read, with its path relative to the site root (the
/// form an editor recognises in an error message).
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: Arc<str>,
}

/// A 1-based line and column, columns counted in characters as editors do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<Arc<str>>) -> Self {
        Self {
            path: path.into(),
            text: text.into(),
        }
    }

    /// Where a byte offset falls. Scans from the start: only called while
    /// reporting a problem, never on the per-page hot path.
    pub fn position(&self, offset: usize) -> Position {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let before = &self.text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Position {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    }

    /// The byte offset of a 1-based line and character column, clamped to the
    /// end of that line.
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let line_start = self
            .text
            .split_inclusive('\n')
            .take(line.saturating_sub(1))
            .map(str::len)
            .sum::<usize>();
        let rest = &self.text[line_start.min(self.text.len())..];
        let line_text = rest.split('\n').next().unwrap_or("");
        let within = line_text
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(line_text.trim_end_matches('\r').len(), |(i, _)| i);
        line_start + within
    }

    /// The span of the whole line holding `offset`, without its line ending.
    pub fn line_span(&self, offset: usize) -> Range<usize> {
        let offset = offset.min(self.text.len());
        let start = self.text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |i| start + i);
        let end = if self.text[..end].ends_with('\r') {
            end - 1
        } else {
            end
        };
        start..end
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters() {
        let file = SourceFile::new("a.md", "ab\nçd e\n");
        assert_eq!(file.position(0), Position { line: 1, column: 1 });
        assert_eq!(file.position(3), Position { line: 2, column: 1 });
        // 'ç' is two bytes but one column.
        assert_eq!(file.position(6), Position { line: 2, column: 3 });
        assert_eq!(file.offset_of(2, 3), 6);
    }

    #[test]
    fn line_span_leaves_out_windows_line_endings() {
        let file = SourceFile::new("a.md", "one\r\ntwo\r\n");
        assert_eq!(&file.text[file.line_span(6)], "two");
    }
}
