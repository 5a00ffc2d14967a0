//! Untrusted markup. Editors paste from Word and web pages; a site about a
//! controlled drug is a target. Raw HTML is limited to ammonia's allow-list
//! of tags and URL schemes, and anything else (scripts, frames, event
//! handlers, inline styles, `javascript:` links) is refused at its line,
//! never silently stripped, so the editor knows what happened.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{Event, Tag};
use regex::Regex;

use crate::diagnostics::{Code, Diagnostic};
use crate::load::Page;
use crate::load::body::citation_keys;

struct AllowList {
    tags: HashSet<&'static str>,
    schemes: HashSet<&'static str>,
}

/// ammonia's defaults: the tags and URL schemes its maintainers consider
/// safe in user content.
static ALLOWED: LazyLock<AllowList> = LazyLock::new(|| {
    let builder = ammonia::Builder::default();
    AllowList {
        tags: builder.clone_tags(),
        schemes: builder.clone_url_schemes(),
    }
});

static TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9-]*)((?:[^>\x22']|\x22[^\x22]*\x22|'[^']*')*)>")
        .expect("valid pattern")
});
static ATTRIBUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"([^\s=/"'>]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?"#).expect("valid pattern")
});

/// Attributes whose value is an address a browser may load or follow.
const URL_ATTRIBUTES: [&str; 8] = [
    "href",
    "src",
    "srcset",
    "action",
    "formaction",
    "poster",
    "data",
    "xlink:href",
];

/// Real writing nests lists or quotes a few levels; hundreds of levels is an
/// accident or an attack on the browser, and no reader could follow it.
pub const MAX_NESTING: usize = 32;

pub(super) fn check(page: &Page<'_>, found: &mut Vec<Diagnostic>) {
    let (depth, place) = &page.body.deepest;
    if *depth > MAX_NESTING {
        found.push(
            Diagnostic::error(
                Code::UnsafeMarkup,
                format!("lists or quotes here are nested {depth} levels deep; the most allowed is {MAX_NESTING}"),
            )
            .at(page.file, place.start..page.file.line_span(place.start).end)
            .hint("flatten the list: use headings and separate lists instead of nesting"),
        );
        // Checking markup inside such a structure would only repeat this.
        return;
    }
    for (event, range) in &page.body.events {
        match event {
            Event::Html(html) | Event::InlineHtml(html) => raw_html(page, html, range.start, found),
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => {
                if citation_keys(dest_url).is_some() {
                    continue;
                }
                if let Some(scheme) = unsafe_scheme(dest_url) {
                    found.push(
                        Diagnostic::error(
                            Code::UnsafeMarkup,
                            format!("this link uses `{scheme}:`, which can run code or hide content"),
                        )
                        .at(page.file, range.clone())
                        .hint("link to a web page (https://...) or to another article (its .md file); put images in the site's folders"),
                    );
                }
            }
            _ => {}
        }
    }
}

fn raw_html(page: &Page<'_>, html: &str, start: usize, found: &mut Vec<Diagnostic>) {
    let mut refuse = |span: Range<usize>, message: String, hint: &str| {
        found.push(
            Diagnostic::error(Code::UnsafeMarkup, message)
                .at(page.file, start + span.start..start + span.end)
                .hint(hint),
        );
    };
    if html.trim_start().starts_with("<!--") {
        return;
    }
    for tag in TAG.captures_iter(html) {
        let whole = tag.get(0).expect("group 0 always matches");
        if !tag[1].is_empty() {
            // A closing tag: its opening tag was already judged.
            continue;
        }
        let name = tag[2].to_ascii_lowercase();
        if !ALLOWED.tags.contains(name.as_str()) {
            refuse(
                whole.range(),
                format!("the HTML tag `<{name}>` is not allowed in an article"),
                "write the content in markdown instead; scripts, frames, embeds and styles cannot be added to a page",
            );
            continue;
        }
        let attributes = tag.get(3).expect("group 3 always matches");
        for attribute in ATTRIBUTE.captures_iter(attributes.as_str()) {
            let span = attributes.start() + attribute.get(0).expect("matches").start()
                ..attributes.start() + attribute.get(0).expect("matches").end();
            let attribute_name = attribute[1].to_ascii_lowercase();
            let value = attribute
                .get(2)
                .map_or("", |v| v.as_str().trim_matches(|c| c == '"' || c == '\''));
            if attribute_name.starts_with("on") {
                refuse(
                    span,
                    format!(
                        "the attribute `{attribute_name}` would run code when a reader uses the page"
                    ),
                    "remove it: pages cannot carry scripts",
                );
            } else if attribute_name == "style" {
                refuse(
                    span,
                    "inline styles are not allowed".to_owned(),
                    "remove `style=\"...\"`: the theme decides how pages look, and the site's security policy blocks inline styles",
                );
            } else if URL_ATTRIBUTES.contains(&attribute_name.as_str())
                // Browsers decode entities before reading the scheme, so
                // `java&#x09;script:` must be judged as `java\tscript:`.
                && let Some(scheme) = unsafe_scheme(&html_escape::decode_html_entities(value))
            {
                refuse(
                    span,
                    format!(
                        "`{attribute_name}` uses `{scheme}:`, which can run code or hide content"
                    ),
                    "use a web address (https://...) or a path within the site",
                );
            }
        }
    }
}

/// The scheme of `url` when it is neither relative nor one ammonia allows.
fn unsafe_scheme(url: &str) -> Option<String> {
    // Browsers ignore spaces and control characters inside a scheme, which
    // is how `java\tscript:` slips past naive filters.
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    let scheme = crate::paths::scheme(&cleaned)?.to_ascii_lowercase();
    (!ALLOWED.schemes.contains(scheme.as_str())).then_some(scheme)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dangerous_schemes_are_caught_even_when_disguised() {
        assert_eq!(
            unsafe_scheme("javascript:alert(1)").as_deref(),
            Some("javascript")
        );
        assert_eq!(
            unsafe_scheme("JaVa\tScript:alert(1)").as_deref(),
            Some("javascript")
        );
        assert_eq!(unsafe_scheme("data:text/html,<b>").as_deref(), Some("data"));
        assert_eq!(unsafe_scheme("vbscript:x").as_deref(), Some("vbscript"));
        assert_eq!(unsafe_scheme("https://example.org"), None);
        assert_eq!(unsafe_scheme("mailto:a@example.org"), None);
        assert_eq!(unsafe_scheme("side-effects.md#common"), None);
    }
}
