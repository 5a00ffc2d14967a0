//! Raw HTML judged the way a browser reads it: html5ever's tokenizer (the
//! HTML standard's, as Servo uses it) splits each block's HTML into tags,
//! comments and text, decoding attribute values as browsers do, so neither
//! a comment in front of a tag, a tag spread over lines, nor an entity
//! without its semicolon (`&#106avascript:`) hides anything. Each tag and
//! attribute must be on ammonia's allow-list, addresses must be safe and
//! the site's own, and a block must close every element and comment it
//! opens, so nothing an editor writes can swallow what the theme prints
//! after the article.

use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::LazyLock;

use html5ever::tendril::StrTendril;

pub(super) use crate::paths::is_elsewhere;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// One problem, at a byte offset into the fragment judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Problem {
    pub at: usize,
    pub message: String,
    pub hint: &'static str,
}

struct AllowList {
    tags: HashSet<&'static str>,
    generic_attributes: HashSet<&'static str>,
    tag_attributes: std::collections::HashMap<&'static str, HashSet<&'static str>>,
    schemes: HashSet<&'static str>,
}

/// ammonia's defaults: the tags, attributes and URL schemes its maintainers
/// consider safe in user content.
static ALLOWED: LazyLock<AllowList> = LazyLock::new(|| {
    let builder = ammonia::Builder::default();
    AllowList {
        tags: builder.clone_tags(),
        generic_attributes: builder.clone_generic_attributes(),
        tag_attributes: builder.clone_tag_attributes(),
        schemes: builder.clone_url_schemes(),
    }
});

/// Elements a browser closes by itself (or that hold nothing): leaving one
/// open cannot swallow anything that follows.
const CLOSED_BY_THEMSELVES: [&str; 24] = [
    "area", "br", "col", "hr", "img", "wbr", "source", "track", "input", "meta", "link", "embed",
    "p", "li", "dt", "dd", "rt", "rp", "tr", "td", "th", "thead", "tbody", "tfoot",
];

/// Attributes whose value is an address a browser may load or follow.
const URL_ATTRIBUTES: [&str; 9] = [
    "href",
    "src",
    "srcset",
    "action",
    "formaction",
    "poster",
    "data",
    "xlink:href",
    "cite",
];

/// Judges `fragment`, one block of raw HTML as written.
pub(super) fn judge(fragment: &str) -> Vec<Problem> {
    let sink = Sink {
        fragment,
        found: RefCell::new(Vec::new()),
        open: RefCell::new(Vec::new()),
        searched_from: RefCell::new(0),
    };
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(fragment));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let sink = tokenizer.sink;
    let mut found = sink.found.into_inner();
    for (name, at) in sink.open.into_inner() {
        found.push(Problem {
            at,
            message: format!("`<{name}>` is opened here and never closed in this block of HTML"),
            hint: "close it with its end tag (such as `</div>`) before the blank line that ends the block: an element left open would swallow the rest of the page, disclaimers included",
        });
    }
    found.sort_by_key(|problem| problem.at);
    found
}

struct Sink<'f> {
    fragment: &'f str,
    found: RefCell<Vec<Problem>>,
    /// Elements opened and not yet closed, with where.
    open: RefCell<Vec<(String, usize)>>,
    /// Where the last tag was found, so the next is looked for after it.
    searched_from: RefCell<usize>,
}

impl Sink<'_> {
    /// Where the tag `<name` (or `</name`) just reported stands in the
    /// fragment. The tokenizer gives only the line where a tag ends, so the
    /// tag is looked for after the one before it (tokens come in order).
    fn locate(&self, name: &str, closing: bool) -> usize {
        let from = *self.searched_from.borrow();
        let wanted = if closing {
            format!("</{name}")
        } else {
            format!("<{name}")
        };
        // Compared without copying the rest of the fragment: a block of
        // thousands of tags must cost thousands of steps, not millions.
        let rest = &self.fragment.as_bytes()[from..];
        let at = memchr::memchr_iter(b'<', rest)
            .find(|&i| {
                rest.get(i..i + wanted.len())
                    .is_some_and(|candidate| candidate.eq_ignore_ascii_case(wanted.as_bytes()))
            })
            .map_or(from, |i| from + i);
        *self.searched_from.borrow_mut() = (at + 1).min(self.fragment.len());
        at
    }

    /// Moves the search past a comment, so a tag written inside it is not
    /// taken for the next real one.
    fn skip_comment(&self) {
        let from = *self.searched_from.borrow();
        let end = self.fragment[from..]
            .find("-->")
            .map_or(self.fragment.len(), |i| from + i + 3);
        *self.searched_from.borrow_mut() = end;
    }

    fn refuse(&self, at: usize, message: String, hint: &'static str) {
        self.found.borrow_mut().push(Problem { at, message, hint });
    }
}

impl TokenSink for Sink<'_> {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) => {
                let name = tag.name.to_string();
                let closing = tag.kind == TagKind::EndTag;
                let at = self.locate(&name, closing);
                if closing {
                    let mut open = self.open.borrow_mut();
                    if let Some(index) = open.iter().rposition(|(open, _)| *open == name) {
                        open.truncate(index);
                    }
                    return TokenSinkResult::Continue;
                }
                if !ALLOWED.tags.contains(name.as_str()) {
                    self.refuse(
                        at,
                        format!("the HTML tag `<{name}>` is not allowed in an article"),
                        "write the content in markdown instead; scripts, frames, embeds, forms and styles cannot be added to a page",
                    );
                    return TokenSinkResult::Continue;
                }
                if !tag.self_closing && !CLOSED_BY_THEMSELVES.contains(&name.as_str()) {
                    self.open.borrow_mut().push((name.clone(), at));
                }
                let before = self.found.borrow().len();
                let mut paths = Vec::new();
                for attribute in &tag.attrs {
                    paths.extend(self.attribute(
                        &name,
                        &attribute.name.local,
                        &attribute.value,
                        at,
                    ));
                }
                // A tag refused for what it runs or loads is refused once;
                // that its path is hand-written matters only after that.
                if self.found.borrow().len() == before {
                    for message in paths {
                        self.refuse(at, message, "write it in markdown, `![what it shows](arm.png)` for an image or `[text](leaflet.pdf)` for a link: Pamphlet checks those and points them at the right place");
                    }
                }
            }
            Token::CommentToken(_) => self.skip_comment(),
            Token::ParseError(error) if error.starts_with("Saw EOF in state") => {
                self.refuse(
                    self.fragment.rfind("<!--").unwrap_or(0),
                    "this HTML ends inside an unfinished comment or tag".to_owned(),
                    "close the comment with `-->` (or the tag with `>`) in the same block: anything left open would swallow the rest of the page, disclaimers included",
                );
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

impl Sink<'_> {
    /// Refuses what `name="value"` would run or load; returns what to say
    /// if it is a hand-written path to a file or page of the site.
    fn attribute(&self, tag: &str, name: &str, value: &str, at: usize) -> Option<String> {
        let name = name.to_ascii_lowercase();
        if name.starts_with("on") {
            self.refuse(
                at,
                format!("the attribute `{name}` would run code when a reader uses the page"),
                "remove it: pages cannot carry scripts",
            );
            return None;
        }
        if name == "style" {
            self.refuse(
                at,
                "inline styles are not allowed".to_owned(),
                "remove `style=\"...\"`: the theme decides how pages look, and the site's security policy blocks inline styles",
            );
            return None;
        }
        let allowed = ALLOWED.generic_attributes.contains(name.as_str())
            || ALLOWED
                .tag_attributes
                .get(tag)
                .is_some_and(|names| names.contains(name.as_str()));
        if !allowed {
            self.refuse(
                at,
                format!("the attribute `{name}` is not allowed on `<{tag}>`"),
                "remove it: articles may use plain HTML only (a `hidden` part, say, could hide what patients must see)",
            );
            return None;
        }
        if !URL_ATTRIBUTES.contains(&name.as_str()) {
            return None;
        }
        // The tokenizer has decoded entities as a browser does.
        if let Some(scheme) = unsafe_scheme(value) {
            self.refuse(
                at,
                format!("`{name}` uses `{scheme}:`, which can run code or hide content"),
                "use a web address (https://...) or a path within the site",
            );
        } else if name != "href" && name != "cite" && is_elsewhere(value) {
            self.refuse(
                at,
                format!("`{name}` loads `{value}` from another site"),
                "download the file into content/ beside the article and use its name: pages never ask another site for anything",
            );
        } else if name != "cite" && is_site_path(value) {
            return Some(format!(
                "`{name}` points at `{value}` in HTML written by hand, which cannot be checked or kept working where the page is published"
            ));
        }
        None
    }
}

/// Whether `value` is a path to a file or page of the site (not a web or
/// mail address, not a `#part` of the same page).
fn is_site_path(value: &str) -> bool {
    let value = value.trim();
    !value.is_empty()
        && !value.starts_with('#')
        && !is_elsewhere(value)
        && crate::paths::scheme_as_browsers_read_it(value).is_none()
}

/// The scheme of `url` when it is neither relative nor one ammonia allows.
/// Browsers ignore spaces and control characters inside a scheme, which is
/// how `java\tscript:` slips past naive filters.
pub(super) fn unsafe_scheme(url: &str) -> Option<String> {
    let scheme = crate::paths::scheme_as_browsers_read_it(url)?;
    (!ALLOWED.schemes.contains(scheme.as_str())).then_some(scheme)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(fragment: &str) -> Vec<String> {
        judge(fragment).into_iter().map(|p| p.message).collect()
    }

    #[test]
    fn plain_html_passes() {
        for fragment in [
            "<abbr title=\"Food and Drug Administration\">FDA</abbr>",
            "<details>\n<summary>More</summary>\n<p>Text</p>\n</details>",
            "<!-- a note for editors -->",
            "<a href=\"https://www.nhs.uk/\">NHS</a>",
            "<ul><li>one<li>two</ul>",
            "<a href=\"#risks\">risks</a> <a href=\"mailto:help@clinic.example\">mail</a>",
            "<br>",
        ] {
            assert_eq!(messages(fragment), Vec::<String>::new(), "{fragment}");
        }
    }

    #[test]
    fn paths_in_hand_written_html_are_refused_for_markdown_which_is_checked() {
        for fragment in [
            "<img src=\"chart.png\" alt=\"A chart\">",
            "<a href=\"/conditions/warts/\">warts</a>",
            "<a href=\"side-effects.md\">effects</a>",
            "<a href=\"../leaflet.pdf\">leaflet</a>",
        ] {
            let found = messages(fragment);
            assert!(
                found.len() == 1 && found[0].contains("in HTML written by hand"),
                "{fragment}: {found:?}"
            );
        }
    }

    #[test]
    fn what_browsers_would_run_or_load_is_refused_however_it_is_written() {
        for (fragment, expected) in [
            (
                "<!-- x --><script src=https://evil.example/x.js></script>",
                "`<script>`",
            ),
            (
                "<!-- x --><meta http-equiv=refresh content=0;url=https://evil.example>",
                "`<meta>`",
            ),
            (
                "<script\nsrc=https://evil.example/x.js></script>",
                "`<script>`",
            ),
            ("<iframe\n  src=x></iframe>", "`<iframe>`"),
            ("<link rel=stylesheet href=x>", "`<link>`"),
            ("<base href=https://evil.example/>", "`<base>`"),
            ("<style>p{}</style>", "`<style>`"),
            ("<p\nonclick=steal()>x</p>", "`onclick`"),
            ("<a href=\"&#106avascript:alert(1)\">x</a>", "`javascript:`"),
            ("<a href=\"javascript&#58alert(1)\">x</a>", "`javascript:`"),
            (
                "<a href=\"java&#x09;script:alert(1)\">x</a>",
                "`javascript:`",
            ),
            (
                "<img src=\"https://evil.example/p.png\" alt=x>",
                "from another site",
            ),
            (
                "<img src=\"//evil.example/p.png\" alt=x>",
                "from another site",
            ),
            ("<img srcset=\"a.png 1x\" alt=x>", "`srcset`"),
            ("<a href=x ping=https://evil.example>x</a>", "`ping`"),
            ("<div hidden><div>", "`hidden`"),
            ("<span style=\"color:red\">x</span>", "inline styles"),
        ] {
            let found = messages(fragment);
            assert!(
                found.iter().any(|m| m.contains(expected)),
                "{fragment}: {found:?}"
            );
        }
    }

    #[test]
    fn an_element_or_comment_left_open_is_refused_where_it_opens() {
        let fragment = "<p>fine</p>\n<div>\n<span>x";
        let found = judge(fragment);
        let opened: Vec<usize> = found.iter().map(|p| p.at).collect();
        assert_eq!(opened, [12, 18], "{found:?}");
        assert!(
            messages("<!-- never closed")
                .iter()
                .any(|m| m.contains("unfinished comment"))
        );
        let tricky = judge("<!-- <div> --><script>x</script>");
        assert_eq!(tricky.len(), 1, "{tricky:?}");
        assert_eq!(tricky[0].at, 14);
        assert!(
            messages("<a href=\"x")
                .iter()
                .any(|m| m.contains("unfinished"))
        );
    }

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
        assert_eq!(unsafe_scheme("https://example.org"), None);
        assert_eq!(unsafe_scheme("mailto:a@example.org"), None);
        assert_eq!(unsafe_scheme("side-effects.md#common"), None);
    }
}
