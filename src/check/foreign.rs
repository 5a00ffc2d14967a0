//! Syntax written for another site generator or editor (Hugo shortcodes,
//! Jekyll and Jinja tags, abbreviation lists, attribute lines, wiki links),
//! which Pamphlet would publish as literal text. Pages pasted from an old
//! site carry it; a patient would see `{{< youtube x >}}` on the page.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::diagnostics::{Code, Diagnostic};
use crate::load::Page;
use crate::load::blocks::{BlockTag, RunKind};

struct Foreign {
    pattern: Regex,
    what: &'static str,
    hint: &'static str,
}

static FOREIGN: LazyLock<Vec<Foreign>> = LazyLock::new(|| {
    let foreign = |pattern: &str, what, hint| Foreign {
        pattern: Regex::new(pattern).expect("the patterns are valid"),
        what,
        hint,
    };
    vec![
        foreign(
            r"\{\{.{0,200}?\}\}",
            "a template tag or shortcode from another site generator (Hugo, Jekyll, Jinja)",
            "remove it and write what it stood for: a picture as `![what it shows](file.jpg)`, a link as `[text](page.md)`; to show the braces on purpose, put them in backticks",
        ),
        foreign(
            r"\{%.{0,200}?%\}",
            "a template tag from another site generator (Jekyll, Liquid, Jinja)",
            "remove it and write what it stood for; to show it on purpose, put it in backticks",
        ),
        foreign(
            r"(?m)^\*\[[^\]\n]+\]:",
            "an abbreviation definition, which Pamphlet does not read",
            "remove the line and spell the term out the first time it is used, with the short form in brackets; terms for patients belong in the glossary page",
        ),
        foreign(
            r"(?m)^\{:?\s*[.#][^}\n]*\}[ \t]*$",
            "an attribute line (`{.class}`), which Pamphlet does not read",
            "remove the line; to name a heading, write `{#name}` at the end of the heading's own line",
        ),
        foreign(
            r"(?m)^:::",
            "a fenced block (`:::`) from another site generator",
            "remove the `:::` lines; for a warning or a tip, write a block quote starting with `> **Warning:**`",
        ),
        foreign(
            r"\[\[[^\]\n]{1,200}\]\]",
            "a wiki-style link (`[[page]]`), which Pamphlet does not read",
            "write a markdown link to the article's file: `[text](page.md)`",
        ),
    ]
});

/// Warns at each piece of foreign syntax in the text of `page`, never in
/// code, where an editor shows such syntax on purpose.
pub(super) fn check(page: &Page<'_>, found: &mut Vec<Diagnostic>) {
    let text = &*page.file.text;
    if !may_hold_foreign_syntax(&text[page.body_start.min(text.len())..]) {
        return;
    }
    let body = &page.body;
    for block in body.blocks() {
        if block.tag == BlockTag::CodeBlock {
            continue;
        }
        // Pieces of text that touch in the file are read as one, so
        // `{{< x >}}` split by the parser is still seen whole.
        let mut run: Option<Range<usize>> = None;
        for piece in body.runs(&block) {
            if matches!(piece.kind, RunKind::Text | RunKind::SoftBreak) {
                match &mut run {
                    Some(open) if open.end == piece.span.start => open.end = piece.span.end,
                    _ => {
                        if let Some(done) = run.replace(piece.span.clone()) {
                            judge(page, text, done, found);
                        }
                    }
                }
            } else if let Some(done) = run.take() {
                judge(page, text, done, found);
            }
        }
        if let Some(done) = run {
            judge(page, text, done, found);
        }
    }
}

/// Every pattern needs one of these; most pages have none, and the check
/// would otherwise walk every page's text.
fn may_hold_foreign_syntax(text: &str) -> bool {
    text.contains('{') || text.contains("*[") || text.contains(":::") || text.contains("[[")
}

fn judge(page: &Page<'_>, text: &str, run: Range<usize>, found: &mut Vec<Diagnostic>) {
    let Some(piece) = text.get(run.clone()) else {
        return;
    };
    if !may_hold_foreign_syntax(piece) {
        return;
    }
    for foreign in FOREIGN.iter() {
        for at in foreign.pattern.find_iter(piece) {
            // `\{{` is the editor saying "show this brace".
            if text[..run.start + at.start()].ends_with('\\') {
                continue;
            }
            let span = run.start + at.start()..run.start + at.end();
            found.push(
                Diagnostic::warning(
                    Code::ForeignSyntax,
                    format!(
                        "`{}` is {}, and would be shown on the page as it is",
                        at.as_str(),
                        foreign.what
                    ),
                )
                .at(page.file, span)
                .hint(foreign.hint),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn warned(body: &str) -> Vec<String> {
        let file = SourceFile::new("content/a.md", body);
        let page = crate::load::lone::article(&file);
        let mut found = Vec::new();
        check(&page, &mut found);
        found
            .iter()
            .map(|d| d.snippet_text().expect("placed").to_owned())
            .collect()
    }

    #[test]
    fn syntax_of_other_generators_is_found_where_written() {
        assert_eq!(
            warned("Watch {{< youtube w7Ft2ymGmfc >}} now.\n\n{% include note.html %}\n"),
            ["{{< youtube w7Ft2ymGmfc >}}", "{% include note.html %}"]
        );
        assert_eq!(
            warned("IV is used.\n\n*[IV]: Intravenous\n\n{.lead}\n\n::: warning\nHot\n:::\n"),
            ["*[IV]:", "{.lead}", ":::", ":::"]
        );
        assert_eq!(
            warned("See [[side effects]] and {{ page.title }}.\n"),
            ["{{ page.title }}", "[[side effects]]"]
        );
    }

    #[test]
    fn code_escapes_and_ordinary_braces_pass() {
        let passed: Vec<String> = Vec::new();
        assert_eq!(
            warned(
                "Type `{{ x }}` here.\n\n```\n{% raw %}\n*[A]: b\n```\n\nA set {1, 2} and \\{{ x }} and [a](b.md) [[x]\n\n## Title {#title}\n"
            ),
            passed
        );
    }
}
