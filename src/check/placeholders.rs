//! `pamphlet new` writes every field an article needs with `FILL IN` where
//! the editor's words go. Until each is replaced the article is not ready,
//! and the check names every one left, at its line.

use std::ops::Range;

use crate::diagnostics::{Code, Diagnostic};
use crate::load::Page;
use crate::source::SourceFile;

/// What `pamphlet new` and `init` write where the editor's words go.
pub const MARKER: &str = "FILL IN";

pub(super) fn check(page: &Page<'_>, found: &mut Vec<Diagnostic>) {
    in_file(page.file, &page.yaml, found);
}

/// `site.yaml`: a new site's clinic name, address and crisis-line text are
/// placeholders until the clinic writes its own.
pub(super) fn in_settings(file: &SourceFile, found: &mut Vec<Diagnostic>) {
    in_file(file, &(0..file.text.len()), found);
}

/// Every placeholder in `file`, except in comments of its YAML part.
fn in_file(file: &SourceFile, yaml: &Range<usize>, found: &mut Vec<Diagnostic>) {
    let text = &file.text;
    let mut from = 0;
    while let Some(at) = text[from..].find(MARKER).map(|i| from + i) {
        let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        // Comments in the front matter explain the placeholders; only the
        // values are placeholders themselves.
        if yaml.contains(&at) && text[line_start..at].trim_start().starts_with('#') {
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
        let hint = if text[line_start..at]
            .trim_start()
            .starts_with("reviewed_by:")
        {
            format!(
                "the reviewing clinician fills this in by signing the article off: `pamphlet approve {} --reviewer \"Name, credentials\"` writes their name and the review dates",
                file.path.display()
            )
        } else {
            "replace the whole placeholder, quotes included if you like, with the real text"
                .to_owned()
        };
        found.push(
            Diagnostic::error(
                Code::Placeholder,
                format!("this still holds the placeholder `{MARKER}`{what}"),
            )
            .at(file, at..line_end)
            .hint(hint),
        );
        from = line_end;
    }
}
