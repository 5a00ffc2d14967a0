//! A final page read the way a browser reads it (html5ever, the parser of
//! Servo, builds the same tree as the HTML standard), then judged: every
//! required disclaimer and reference must be in that tree and visible, not
//! swallowed by a comment or an unclosed element, and not inside anything a
//! browser hides; and nothing on the page may run a script or ask another
//! host for anything.

use scraper::{ElementRef, Html, node::Element};

use crate::paths::{is_elsewhere, scheme_as_browsers_read_it};

/// What a page must show.
pub(crate) struct Required<'a> {
    /// Each disclaimer's id and its text as a reader sees it.
    pub disclaimers: Vec<(&'a str, &'a str)>,
    pub references: usize,
}

/// Problems with the page, each as the words that follow "the page ...".
pub(crate) fn problems(html: &str, required: &Required<'_>) -> Vec<String> {
    let document = Html::parse_document(html);
    let mut found = Vec::new();
    for (id, text) in &required.disclaimers {
        let wanted = folded(text);
        let shown = elements(&document)
            .filter(|element| element.value().attr("data-disclaimer") == Some(id))
            .any(|element| visible(element) && folded_text(element).contains(&wanted));
        if !shown {
            found.push(format!(
                "does not show the disclaimer `{id}` where a reader can see it (hidden, inside a comment or swallowed by an unclosed element)"
            ));
        }
    }
    for number in 1..=required.references {
        let id = format!("ref-{number}");
        let shown = elements(&document)
            .any(|element| element.value().id() == Some(id.as_str()) && visible(element));
        if !shown {
            found.push(format!(
                "does not show reference {number} of its reference list where a reader can see it"
            ));
        }
    }
    for element in elements(&document) {
        if let Some(problem) = unsafe_element(element) {
            found.push(problem);
        }
    }
    found
}

fn elements(document: &Html) -> impl Iterator<Item = ElementRef<'_>> {
    document
        .root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
}

/// Whitespace folded, so a line break in the template matches a space.
fn folded(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn folded_text(element: ElementRef<'_>) -> String {
    folded(&element.text().collect::<String>())
}

/// Whether a browser shows `element`: neither it nor anything around it is
/// hidden, out of the page (`head`, `template`, `noscript`), or a closed
/// `details` it is not the summary of.
fn visible(element: ElementRef<'_>) -> bool {
    if hides(element.value()) {
        return false;
    }
    // Whether the node just below on the way up is a `summary`: a closed
    // `details` shows only its summary.
    let mut from_summary = element.value().name() == "summary";
    for node in element.ancestors() {
        let Some(ancestor) = node.value().as_element() else {
            continue;
        };
        if hides(ancestor)
            || (ancestor.name() == "details" && ancestor.attr("open").is_none() && !from_summary)
        {
            return false;
        }
        from_summary = ancestor.name() == "summary";
    }
    true
}

fn hides(element: &Element) -> bool {
    matches!(
        element.name(),
        "head" | "template" | "noscript" | "script" | "style" | "title" | "textarea"
    ) || element.attr("hidden").is_some()
        || element.attr("inert").is_some()
        || element
            .attr("aria-hidden")
            .is_some_and(|value| value.trim().eq_ignore_ascii_case("true"))
        || (element.name() == "dialog" && element.attr("open").is_none())
}

/// Link relations that make the browser fetch what they name.
const FETCHING_RELATIONS: [&str; 9] = [
    "stylesheet",
    "icon",
    "preload",
    "prefetch",
    "modulepreload",
    "manifest",
    "apple-touch-icon",
    "dns-prefetch",
    "preconnect",
];

/// Attributes whose address the browser loads by itself.
const LOADED: [&str; 9] = [
    "src",
    "srcset",
    "poster",
    "data",
    "background",
    "action",
    "formaction",
    "ping",
    "xlink:href",
];

fn unsafe_element(element: ElementRef<'_>) -> Option<String> {
    let value = element.value();
    let name = value.name();
    if matches!(
        name,
        "iframe" | "frame" | "frameset" | "object" | "embed" | "applet" | "base" | "portal"
    ) {
        return Some(format!("has a `<{name}>` element"));
    }
    if name == "meta"
        && value
            .attr("http-equiv")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("refresh"))
    {
        return Some(
            "has a `<meta http-equiv=refresh>`, which sends the reader elsewhere".to_owned(),
        );
    }
    if name == "script" {
        let data_only = value
            .attr("type")
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"));
        let src = value.attr("src");
        if src.is_none() && !data_only {
            return Some("has an inline `<script>`".to_owned());
        }
    }
    if name == "style" && element.text().any(css_fetches_elsewhere) {
        return Some("has a stylesheet that loads from another host".to_owned());
    }
    for (attribute, address) in value.attrs() {
        let attribute = attribute.to_ascii_lowercase();
        if attribute.starts_with("on") {
            return Some(format!("has an event handler, `{attribute}` on `<{name}>`"));
        }
        if attribute == "style" && css_fetches_elsewhere(address) {
            return Some(format!(
                "has a style on `<{name}>` that loads from another host"
            ));
        }
        let urls: Vec<&str> = if attribute == "srcset" {
            address
                .split(',')
                .filter_map(|candidate| candidate.split_whitespace().next())
                .collect()
        } else {
            vec![address]
        };
        for url in urls {
            if runs_code(url) && (LOADED.contains(&attribute.as_str()) || attribute == "href") {
                return Some(format!(
                    "has a `{attribute}` on `<{name}>` that would run code"
                ));
            }
            let fetched = LOADED.contains(&attribute.as_str())
                || (attribute == "href"
                    && name == "link"
                    && value.attr("rel").is_some_and(|rel| {
                        rel.split_whitespace()
                            .any(|r| FETCHING_RELATIONS.contains(&r.to_ascii_lowercase().as_str()))
                    }))
                || (attribute == "href" && matches!(name, "image" | "use" | "feimage"));
            if fetched && is_elsewhere(url) {
                return Some(format!(
                    "asks another host for `{url}` (`{attribute}` on `<{name}>`)"
                ));
            }
        }
    }
    None
}

fn runs_code(url: &str) -> bool {
    scheme_as_browsers_read_it(url).is_some_and(|s| matches!(s.as_str(), "javascript" | "vbscript"))
}

fn css_fetches_elsewhere(css: &str) -> bool {
    let lower = css.to_ascii_lowercase();
    lower.match_indices("url(").any(|(at, _)| {
        let rest = lower[at + 4..].trim_start_matches([' ', '"', '\'']);
        is_elsewhere(rest)
    }) || lower.match_indices("@import").any(|(at, _)| {
        let rest = lower[at + 7..].trim_start_matches([' ', '"', '\'']);
        is_elsewhere(
            rest.trim_start_matches("url(")
                .trim_start_matches(['"', '\'']),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const THEME_AFTER_BODY: &str = r#"<aside data-disclaimer="crisis"><p>Call 988 now.</p></aside><ol><li id="ref-1">A</li></ol></main></body></html>"#;

    /// As the theme prints an article: the disclaimers and references in
    /// the same element as the text, after it.
    fn page(body: &str) -> String {
        format!(
            "<!doctype html><html><head><title>t</title></head><body><main>{body}{THEME_AFTER_BODY}"
        )
    }

    fn required() -> Required<'static> {
        Required {
            disclaimers: vec![("crisis", "Call 988 now.")],
            references: 1,
        }
    }

    #[test]
    fn a_plain_page_passes() {
        assert_eq!(
            problems(&page("<p>Hello</p>"), &required()),
            Vec::<String>::new()
        );
    }

    #[test]
    fn an_article_that_swallows_what_follows_it_fails() {
        for body in [
            "<div hidden><div>",
            "<!-- never closed",
            "<template>",
            "<noscript>",
            "<div aria-hidden=\"true\">",
            "<details><div>",
            "<textarea>",
            "<div inert>",
        ] {
            let found = problems(&page(body), &required());
            assert!(
                found.iter().any(|p| p.contains("`crisis`")),
                "{body}: {found:?}"
            );
            assert!(
                found.iter().any(|p| p.contains("reference 1")),
                "{body}: {found:?}"
            );
        }
    }

    #[test]
    fn an_open_details_or_its_summary_shows() {
        let html = format!("<!doctype html><html><body><main><details open>{THEME_AFTER_BODY}");
        assert!(problems(&html, &required()).is_empty());
    }

    #[test]
    fn scripts_frames_handlers_refreshes_and_other_hosts_fail() {
        for body in [
            "<!-- x --><script src=https://evil.example/x.js></script>",
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "<a href=\"&#106avascript:alert(1)\">x</a>",
            "<a href=\"javascript&#58alert(1)\">x</a>",
            "<meta http-equiv=refresh content=\"0;url=https://evil.example\">",
            "<iframe src=/x></iframe>",
            "<img src=//evil.example/p.png alt=x>",
            "<img srcset=\"a.png 1x, https://evil.example/b.png 2x\" alt=x>",
            "<a href=x ping=https://evil.example>x</a>",
            "<div style=\"background:url(https://evil.example/t.png)\">x</div>",
            "<style>@import 'https://evil.example/s.css';</style>",
            "<link rel=stylesheet href=https://evil.example/s.css>",
            "<form action=https://evil.example><button>Go</button></form>",
            "<base href=https://evil.example/>",
            "<svg><image href=https://evil.example/i.png /></svg>",
        ] {
            let found = problems(&page(body), &required());
            assert!(!found.is_empty(), "{body} passed");
        }
    }

    #[test]
    fn links_to_other_sites_and_the_sites_own_files_pass() {
        for body in [
            "<a href=\"https://www.nhs.uk/\">NHS</a>",
            "<img src=\"../leaflet.png\" alt=\"x\">",
            "<img src=\"data:image/png;base64,AAAA\" alt=\"x\">",
            "<script type=\"application/ld+json\">{}</script>",
            "<script src=\"../search.js\"></script>",
            "<link rel=\"canonical\" href=\"https://clinic.example/a/\">",
            "<a href=\"mailto:help@clinic.example\">mail</a>",
        ] {
            assert_eq!(
                problems(&page(body), &required()),
                Vec::<String>::new(),
                "{body}"
            );
        }
    }
}
