//! What the preview adds to each page it serves: the reload script and,
//! when the site is refused, the list of problems over the last good page.
//! The problems are written into the page by the server, so the overlay
//! shows even before the script runs.

use std::fmt::Write;

use crate::diagnostics::Diagnostic;

/// Where the preview's own files are served; no site output path starts so.
pub const PREFIX: &str = "/__pamphlet/";
pub const SCRIPT: &str = include_str!("live.js");
pub const STYLE: &str = include_str!("live.css");

/// The HTML put before `</body>` of every page served: the stylesheet and
/// script (files, as the theme's Content-Security-Policy allows no inline
/// code), and the problems when there are any.
pub fn additions(generation: u64, refused: bool, problems: &[Diagnostic]) -> String {
    let mut html = format!(
        "<link rel=\"stylesheet\" href=\"{PREFIX}live.css\">\
         <script src=\"{PREFIX}live.js\" data-generation=\"{generation}\" defer></script>"
    );
    let errors: Vec<&Diagnostic> = problems.iter().filter(|p| p.is_error()).collect();
    let warnings: Vec<&Diagnostic> = problems.iter().filter(|p| !p.is_error()).collect();
    if refused {
        let count = plural(errors.len(), "problem");
        let _ = write!(
            html,
            "<div class=\"pamphlet-overlay\" role=\"alert\" aria-labelledby=\"pamphlet-overlay-title\">\
             <h2 id=\"pamphlet-overlay-title\">This site cannot be published: {count}</h2>\
             <p>Below is the last version that passed every check. Fix each problem and save; \
             this page updates by itself.</p>{}</div>",
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
pub fn inject(page: &[u8], additions: &str) -> Vec<u8> {
    let at = find_last(page, b"</body>").unwrap_or(page.len());
    let mut served = Vec::with_capacity(page.len() + additions.len());
    served.extend_from_slice(&page[..at]);
    served.extend_from_slice(additions.as_bytes());
    served.extend_from_slice(&page[at..]);
    served
}

/// The page shown when no version of the site has passed its checks yet.
pub fn nothing_to_show(additions: &str) -> Vec<u8> {
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
            escape(&problem.message)
        );
        if let Some(hint) = &problem.hint {
            let _ = write!(
                html,
                "<p class=\"pamphlet-fix\">How to fix it: {}</p>",
                escape(hint)
            );
        }
        html.push_str("</li>");
    }
    html.push_str("</ol>");
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
        assert!(html.contains("links to `&lt;script&gt;`"), "{html}");
        assert!(html.contains("How to fix it: remove it"), "{html}");
        assert!(html.contains("data-generation=\"7\""), "{html}");
        assert!(html.contains("1 problem<"), "{html}");
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
