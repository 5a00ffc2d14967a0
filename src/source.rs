//! The text of one file under the site root, shared between stages so that a
//! diagnostic can show the offending line without reading the file again.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

/// A file that the build read, with its path relative to the site root (the
/// form an editor recognises in an error message).
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path shown to editors, relative to the site folder.
    pub path: PathBuf,
    /// The whole text.
    pub text: Arc<str>,
    /// Where each line starts, made when the first problem is placed: a
    /// file with thousands of problems must not be scanned from its start
    /// for each one.
    line_starts: Arc<OnceLock<Vec<usize>>>,
    /// The last place a column was counted to (offset, column), so that
    /// problems along one long line are counted onwards, not from its start.
    last_column: Arc<Mutex<(usize, usize)>>,
}

/// A 1-based line and column, columns counted in characters as editors do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl SourceFile {
    /// A file's path and its text.
    pub fn new(path: impl Into<PathBuf>, text: impl Into<Arc<str>>) -> Self {
        Self {
            path: path.into(),
            text: text.into(),
            line_starts: Arc::default(),
            last_column: Arc::new(Mutex::new((0, 1))),
        }
    }

    /// Where a byte offset falls. Lines are found by binary search in an
    /// index made once; columns are counted from the last one counted when
    /// it is earlier on the same line.
    pub fn position(&self, offset: usize) -> Position {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let starts = self.line_starts();
        let line = starts.partition_point(|&start| start <= offset);
        let line_start = starts[line - 1];
        let mut last = self.last_column.lock().unwrap_or_else(|e| e.into_inner());
        let (from, column) = if last.0 >= line_start && last.0 <= offset {
            *last
        } else {
            (line_start, 1)
        };
        let column = column + self.text[from..offset].chars().count();
        *last = (offset, column);
        Position { line, column }
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
        let starts = self.line_starts();
        let line = starts.partition_point(|&start| start <= offset);
        let start = starts[line - 1];
        let end = starts.get(line).map_or(self.text.len(), |next| next - 1);
        let end = if self.text[..end].ends_with('\r') {
            end - 1
        } else {
            end
        };
        start..end
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i + 1))
                .collect()
        })
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
        // Out of order, and back again: the remembered column never misleads.
        assert_eq!(file.position(7), Position { line: 2, column: 4 });
        assert_eq!(file.position(1), Position { line: 1, column: 2 });
        assert_eq!(file.position(6), Position { line: 2, column: 3 });
        assert_eq!(file.position(9), Position { line: 3, column: 1 });
    }

    #[test]
    fn line_span_leaves_out_windows_line_endings() {
        let file = SourceFile::new("a.md", "one\r\ntwo\r\n");
        assert_eq!(&file.text[file.line_span(6)], "two");
    }
}
