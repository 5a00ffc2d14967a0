//! Files beside the articles are the editors': only media a browser cannot
//! run code from are published. An HTML page, a script or a stylesheet
//! copied into `content/` would run or restyle with the site's own
//! authority (the CSP allows the site's own files), so those are refused,
//! and an SVG, which is a document that can carry scripts and load other
//! files, is read as markup first.

use std::io::Read;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use crate::diagnostics::{Code, Diagnostic};
use crate::load::Site;

/// Images, documents, sound, video and caption tracks: what a browser shows
/// or plays but never runs.
const MEDIA: [&str; 22] = [
    "png", "jpg", "jpeg", "gif", "webp", "avif", "bmp", "ico", "pdf", "mp3", "m4a", "aac", "ogg",
    "oga", "opus", "wav", "flac", "mp4", "m4v", "webm", "ogv", "vtt",
];

/// The largest SVG read as markup; a real illustration is far smaller.
const MAX_SVG_BYTES: u64 = 5 * 1024 * 1024;

pub(super) fn check(site: &Site<'_>) -> Vec<Diagnostic> {
    let content = site.content_dir();
    let mut found = Vec::new();
    for asset in &site.assets {
        let shown = std::path::Path::new(crate::load::CONTENT_DIR).join(asset);
        let extension = asset
            .rsplit_once('.')
            .map(|(_, extension)| extension.to_ascii_lowercase())
            .unwrap_or_default();
        if extension == "svg" {
            if let Some(problem) = svg_problem(&content.join(asset)) {
                found.push(
                    Diagnostic::error(Code::UnsafeFile, format!("this SVG image {problem}"))
                        .in_file(&shown)
                        .hint("save the drawing again as a plain SVG (most editors have an \"optimised\" or \"plain\" SVG export), or as a PNG"),
                );
            }
        } else if !MEDIA.contains(&extension.as_str()) {
            let kind = if extension.is_empty() {
                "a file with no type (no ending such as .png)".to_owned()
            } else {
                format!("a `.{extension}` file")
            };
            found.push(
                Diagnostic::error(
                    Code::UnsafeFile,
                    format!("{kind} cannot be published from content/: only images, PDFs, audio, video and captions can"),
                )
                .in_file(&shown)
                .hint("write pages as markdown articles; a theme designer's scripts, styles and pages belong in the site's static/ folder"),
            );
        }
    }
    found
}

/// What makes the SVG at `path` unsafe, if anything.
fn svg_problem(path: &std::path::Path) -> Option<String> {
    let mut text = String::new();
    let file = crate::nofollow::open(path).ok()?;
    if file
        .take(MAX_SVG_BYTES + 1)
        .read_to_string(&mut text)
        .is_err()
    {
        return Some("is not readable text".to_owned());
    }
    if text.len() as u64 > MAX_SVG_BYTES {
        return Some(format!("is over {} MB", MAX_SVG_BYTES / 1_048_576));
    }
    let tokenizer = Tokenizer::new(SvgSink::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(&text));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.problem.into_inner()
}

#[derive(Default)]
struct SvgSink {
    problem: std::cell::RefCell<Option<String>>,
}

impl TokenSink for SvgSink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let Token::TagToken(tag) = token else {
            return TokenSinkResult::Continue;
        };
        let name = tag.name.to_string().to_ascii_lowercase();
        let problem = if matches!(
            name.as_str(),
            "script" | "foreignobject" | "iframe" | "object" | "embed" | "handler" | "listener"
        ) {
            Some(format!("holds a `<{name}>` element"))
        } else if name == "style"
            || tag.attrs.iter().any(|a| {
                a.name.local.to_string().eq_ignore_ascii_case("style")
                    && a.value.to_ascii_lowercase().contains("url(")
            })
        {
            // Stylesheets can load other files and hide parts of a page.
            Some("holds a stylesheet".to_owned())
        } else {
            tag.attrs.iter().find_map(|attribute| {
                let attribute_name = attribute.name.local.to_string().to_ascii_lowercase();
                let value = attribute.value.trim();
                if attribute_name.starts_with("on") {
                    Some(format!(
                        "has an event handler, `{attribute_name}`, which runs code"
                    ))
                } else if (attribute_name == "href" || attribute_name.ends_with(":href"))
                    && !value.starts_with('#')
                {
                    Some(format!("refers to another file, `{value}`"))
                } else {
                    None
                }
            })
        };
        if problem.is_some() {
            self.problem
                .borrow_mut()
                .get_or_insert_with(|| problem.unwrap_or_default());
        }
        TokenSinkResult::Continue
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judged(svg: &str) -> Option<String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.svg");
        std::fs::write(&path, svg).unwrap();
        svg_problem(&path)
    }

    #[test]
    fn a_plain_drawing_passes_and_anything_that_runs_or_loads_does_not() {
        let plain = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><defs><linearGradient id="g"/></defs><rect width="10" height="10" fill="url(#g)"/><use href="#g"/></svg>"##;
        assert_eq!(judged(plain), None);
        for svg in [
            r#"<svg><script>alert(1)</script></svg>"#,
            r#"<svg><SCRIPT xlink:href="x.js"/></svg>"#,
            r#"<svg onload="alert(1)"></svg>"#,
            r#"<svg><foreignObject><iframe src="x"/></foreignObject></svg>"#,
            r#"<svg><image href="https://evil.example/p.png"/></svg>"#,
            r#"<svg><use xlink:href="other.svg#icon"/></svg>"#,
            r#"<svg><style>@import url(https://evil.example/s.css)</style></svg>"#,
            r#"<svg><a href="javascript:alert(1)"><text>x</text></a></svg>"#,
        ] {
            assert!(judged(svg).is_some(), "{svg} passed");
        }
    }
}
