//! `pamphlet new` writes every field an article needs with `FILL IN` where
//! the editor's words go. Until each is replaced the article is not ready,
//! and the check names every one left, at its line.

use crate::diagnostics::{Code, Diagnostic};
use crate::load::Page;

pub const MARKER: &str = "FILL IN";

pub(super) fn check(page: &Page<'_>, found: &mut Vec<Diagnostic>) {
    let text = &page.file.text;
    let mut from = 0;
    while let Some(at) = text[from..].find(MARKER).map(|i| from + i) {
        let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        // Comments in the front matter explain the placeholders; only the
        // values are placeholders themselves.
        if page.yaml.contains(&at) && text[line_start..at].trim_start().starts_with('#') {
            from = line_end;
            continue;
        }
        let asked = text[at + MARKER.len()..line_end]
            .trim_start_matches(':')
            .trim()
            .trim_end_matches(['"', '\'', ']', '\r'])
            .trim();
        let what = if asked.is_empty() {
            String::new()
        } else {
            format!(": {asked}")
        };
        found.push(
            Diagnostic::error(
                Code::Placeholder,
                format!("this still holds the placeholder `{MARKER}`{what}"),
            )
            .at(page.file, at..line_end)
            .hint("replace the whole placeholder, quotes included if you like, with the real text"),
        );
        from = line_end;
    }
}
