//! What the preview adds to each page it serves: the reload script and,
//! when the site is refused, the list of problems over the last good page.
//! The problems are written into the page by the server, so the overlay
//! shows even before the script runs.

use std::fmt::Write;

use crate::diagnostics::Diagnostic;

/// Where the preview's own files are served; no site output path starts so.
pub(super) const PREFIX: &str = "/__pamphlet/";
pub(super) const SCRIPT: &str = include_str!("live.js");
pub(super) const STYLE: &str = include_str!("live.css");

/// The HTML put before `</body>` of every page served: the stylesheet and
/// script (files, as the theme's Content-Security-Policy allows no inline
/// code), and the problems when there are any.
pub(super) fn additions(generation: u64, refused: bool, problems: &[Diagnostic]) -> String {
    let mut html = format!(
        "<link rel=\"stylesheet\" href=\"{PREFIX}live.css\">\
         <script src=\"{PREFIX}live.js\" data-generation=\"{generation}\" defer></script>"
    );
    let errors: Vec<&Diagnostic> = problems.iter().filter(|p| p.is_error()).collect();
    let warnings: Vec<&Diagnostic> = problems.iter().filter(|p| !p.is_error()).collect();
    if refused {
        let count = plural(errors.len(), "problem");
        let also = if warnings.is_empty() {
            String::new()
        } else {
            format!(
                "<h3>And {} to look at</h3>{}",
                plural(warnings.len(), "warning"),
                list(&warnings)
            )
        };
        // A details element folds to a bar and opens again without any
        // script, so the page under it can be read while fixing.
        let _ = write!(
            html,
            "<details class=\"pamphlet-overlay\" open role=\"alert\" aria-labelledby=\"pamphlet-overlay-title\">\
             <summary><h2 id=\"pamphlet-overlay-title\">This site cannot be published: {count}</h2></summary>\
             <p>Below is the last version that passed every check. Fix each problem and save; \
             this page updates by itself. Click the title to fold this list away.</p>{}{also}</details>",
            list(&errors)
        );
    } else if !warnings.is_empty() {
        let _ = write!(
            html,
            "<details class=\"pamphlet-warnings\"><summary>{} to look at before publishing</summary>{}</details>",
            plural(warnings.len(), "warning"),
            list(&warnings)
        );
    }
    html
}

/// Puts the additions into a page, before its `</body>`.
pub(super) fn inject(page: &[u8], additions: &str) -> Vec<u8> {
    let at = find_last(page, b"</body>").unwrap_or(page.len());
    let mut served = Vec::with_capacity(page.len() + additions.len());
    served.extend_from_slice(&page[..at]);
    served.extend_from_slice(additions.as_bytes());
    served.extend_from_slice(&page[at..]);
    served
}

/// The page shown when no version of the site has passed its checks yet.
pub(super) fn nothing_to_show(additions: &str) -> Vec<u8> {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Pamphlet preview: the site has problems</title></head>\
         <body><main><h1>The site has problems to fix before it can be shown</h1></main>{additions}</body></html>"
    )
    .into_bytes()
}

fn list(problems: &[&Diagnostic]) -> String {
    let mut html = String::from("<ol>");
    for problem in problems {
        let place = match &problem.file {
            Some(file) if problem.line > 0 => {
                format!("{}:{}:{}", file.display(), problem.line, problem.column)
            }
            Some(file) => file.display().to_string(),
            None => "site".to_owned(),
        };
        let _ = write!(
            html,
            "<li><p><code class=\"pamphlet-place\">{}</code> <span class=\"pamphlet-code\">{}</span></p><p>{}</p>",
            escape(&place),
            problem.code.id(),
            with_code(&problem.message)
        );
        if let Some((line, marked)) = problem.source_line() {
            html.push_str(&source(problem.line, line, marked));
        }
        if let Some(hint) = &problem.hint {
            let _ = write!(
                html,
                "<p class=\"pamphlet-fix\">How to fix it: {}</p>",
                with_code(hint)
            );
        }
        html.push_str("</li>");
    }
    html.push_str("</ol>");
    html
}

/// The source line with the part the problem is about marked; a long line
/// is cut to a window around the mark.
fn source(number: usize, line: &str, marked: std::ops::Range<usize>) -> String {
    const WINDOW: usize = 120;
    let floor = |at: usize| {
        (0..=at.min(line.len()))
            .rev()
            .find(|&i| line.is_char_boundary(i))
            .unwrap_or(0)
    };
    let from = floor(marked.start.saturating_sub(WINDOW));
    let to = floor((marked.end + WINDOW).min(line.len()));
    let (start, end) = (
        floor(marked.start).max(from),
        floor(marked.end).max(floor(marked.start)),
    );
    format!(
        "<pre class=\"pamphlet-source\"><span class=\"pamphlet-line\">{number}</span> {}{}<mark>{}</mark>{}{}</pre>",
        if from > 0 { "…" } else { "" },
        escape(&line[from..start]),
        escape(&line[start..end.min(to)]),
        escape(&line[end.min(to)..to]),
        if to < line.len() { "…" } else { "" },
    )
}

/// A message as HTML, with what it quotes between backticks shown as code
/// rather than as backticks.
fn with_code(text: &str) -> String {
    let mut parts: Vec<String> = text.split('`').map(str::to_owned).collect();
    // An odd backtick out is shown as it is.
    if parts.len().is_multiple_of(2)
        && let (Some(last), Some(before)) = (parts.pop(), parts.pop())
    {
        parts.push(format!("{before}`{last}"));
    }
    let mut html = String::with_capacity(text.len() + 16);
    for (index, part) in parts.iter().enumerate() {
        if index % 2 == 1 {
            html.push_str("<code>");
            html.push_str(&escape(part));
            html.push_str("</code>");
        } else {
            html.push_str(&escape(part));
        }
    }
    html
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut escaped, text).expect("writing to a String");
    escaped
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Code;
    use crate::source::SourceFile;

    #[test]
    fn problems_are_listed_with_their_place_and_fix_as_text() {
        let file = SourceFile::new("content/a.md", "---\ntitle: x\n---\n<b>\n");
        let problem = Diagnostic::error(Code::BrokenLink, "links to `<script>`")
            .at(&file, 17..20)
            .hint("remove it");
        let html = additions(7, true, &[problem]);
        assert!(html.contains("content/a.md:4:1"), "{html}");
        assert!(
            html.contains("links to <code>&lt;script&gt;</code>"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"pamphlet-line\">4</span> <mark>&lt;b&gt;</mark>"),
            "{html}"
        );
        assert!(html.contains("How to fix it: remove it"), "{html}");
        assert!(html.contains("data-generation=\"7\""), "{html}");
        assert!(html.contains("1 problem<"), "{html}");
    }

    #[test]
    fn warnings_are_listed_under_the_errors_and_the_list_folds_away() {
        let file = SourceFile::new("content/a.md", "x\n");
        let error = Diagnostic::error(Code::BrokenLink, "broken").at(&file, 0..1);
        let warning = Diagnostic::warning(Code::UncitedClaim, "uncited").at(&file, 0..1);
        let html = additions(1, true, &[error, warning]);
        assert!(
            html.contains("<details class=\"pamphlet-overlay\" open"),
            "{html}"
        );
        assert!(html.contains("And 1 warning to look at"), "{html}");
        assert!(html.find("broken") < html.find("uncited"), "{html}");
    }

    #[test]
    fn backticks_become_code_and_an_odd_one_is_kept() {
        assert_eq!(
            with_code("use `a` or `b`"),
            "use <code>a</code> or <code>b</code>"
        );
        assert_eq!(with_code("a `<b>`"), "a <code>&lt;b&gt;</code>");
        assert_eq!(with_code("one ` only"), "one ` only");
    }

    #[test]
    fn additions_go_before_the_last_body_end() {
        let page = b"<html><body><p>&lt;/body&gt;</p></body></html>";
        let served = inject(page, "<x>");
        assert_eq!(
            String::from_utf8(served).unwrap(),
            "<html><body><p>&lt;/body&gt;</p><x></body></html>"
        );
    }
}
