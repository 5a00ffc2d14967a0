//! The CommonMark spec's own examples (the `commonmark-spec` npm package,
//! installed by `scripts/test` with the browser suite's packages) and the
//! table and strikethrough examples of the GitHub Flavored Markdown spec
//! (from the `marko` package's source on PyPI, which `scripts/test` puts in
//! `tests/specs/`), each rendered by Pamphlet's article renderer and
//! compared with the HTML the spec expects. Pamphlet differs on purpose in a few ways, each undone by
//! one named normaliser below before comparing; any other difference must be
//! listed, with its reason, in `tests/it/commonmark-differences.txt`. The test
//! fails on a new difference and on a listed one that has gone.

use std::collections::BTreeMap;
use std::path::Path;

use regex::Regex;

struct Example {
    spec: &'static str,
    number: usize,
    section: String,
    markdown: String,
    html: String,
}

/// The examples of `spec` (read from `relative`) whose kind (the word
/// after `example` on the fence line; none for core CommonMark) is in
/// `kinds`, numbered as the spec numbers them.
fn examples(spec: &'static str, relative: &str, kinds: &[&str]) -> Vec<Example> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| {
        panic!(
            "cannot read {} ({error}): run scripts/test, which installs it",
            path.display()
        )
    });
    let fence = "`".repeat(32);
    let mut examples = Vec::new();
    let mut section = String::new();
    let mut number = 0;
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some(heading) = line
            .strip_prefix("## ")
            .or_else(|| line.strip_prefix("### "))
        {
            section = heading.to_owned();
        }
        let Some(kind) = line
            .strip_prefix(fence.as_str())
            .and_then(|rest| rest.strip_prefix(" example"))
        else {
            continue;
        };
        number += 1;
        let (mut markdown, mut html, mut in_html) = (String::new(), String::new(), false);
        for line in lines.by_ref() {
            if line == fence {
                break;
            }
            if line == "." && !in_html {
                in_html = true;
                continue;
            }
            let line = line.replace('\u{2192}', "\t");
            let into = if in_html { &mut html } else { &mut markdown };
            into.push_str(&line);
            into.push('\n');
        }
        if kinds.contains(&kind.trim()) {
            examples.push(Example {
                spec,
                number,
                section: section.clone(),
                markdown,
                html,
            });
        }
    }
    examples
}

/// An intended difference, and how to undo it in both texts.
type Normaliser = (&'static str, Box<dyn Fn(&str) -> String>);

fn normalisers() -> Vec<Normaliser> {
    let heading_id = Regex::new(r#"(<h[1-6]) id="[^"]*""#).unwrap();
    let highlighted =
        Regex::new(r#"<pre class="code"><code(?: class="language-[^"]*")?>"#).unwrap();
    let spans = Regex::new(r#"<span class="hl-[^"]*">|</span>"#).unwrap();
    let pre = Regex::new(r"(?s)<pre><code[^>]*>.*?</code></pre>").unwrap();
    vec![
        (
            "heading anchors: every heading gets an id for the table of contents",
            Box::new(move |html: &str| heading_id.replace_all(html, "$1").into_owned()),
        ),
        (
            "smart punctuation: quotes, dashes and ellipses are typographic",
            Box::new(|html: &str| {
                html.replace(['\u{2018}', '\u{2019}'], "'")
                    .replace(['\u{201c}', '\u{201d}'], "\"")
                    .replace('\u{2014}', "---")
                    .replace('\u{2013}', "--")
                    .replace('\u{2026}', "...")
            }),
        ),
        (
            "quote marks in text are written as they are, not as `&quot;` (the same to a browser)",
            Box::new(|html: &str| html.replace("&quot;", "\"")),
        ),
        (
            "links out carry rel=\"noopener noreferrer\"",
            Box::new(|html: &str| html.replace(" rel=\"noopener noreferrer\"", "")),
        ),
        (
            "images load lazily and are written without a closing slash",
            Box::new(|html: &str| html.replace(" loading=\"lazy\">", " />")),
        ),
        (
            "code blocks are highlighted with classes (the language class and spans)",
            Box::new(move |html: &str| {
                let html = highlighted.replace_all(html, "<pre><code>");
                pre.replace_all(&html, |block: &regex::Captures<'_>| {
                    let block = spans.replace_all(&block[0], "");
                    Regex::new(r#"^<pre><code class="language-[^"]*">"#)
                        .unwrap()
                        .replace(&block, "<pre><code>")
                        .into_owned()
                })
                .into_owned()
            }),
        ),
        (
            "table alignment is a class the theme styles, as the CSP blocks inline styles",
            Box::new(|html: &str| {
                html.replace(" class=\"align-left\"", " align=\"left\"")
                    .replace(" class=\"align-center\"", " align=\"center\"")
                    .replace(" class=\"align-right\"", " align=\"right\"")
            }),
        ),
        (
            "line breaks between tags",
            Box::new(|html: &str| {
                let between = Regex::new(r">\s+<").unwrap();
                // A table with no body rows gets an empty body (the same
                // table to a browser).
                between
                    .replace_all(html.trim(), "><")
                    .replace("<tbody></tbody>", "")
            }),
        ),
    ]
}

fn listed_differences() -> BTreeMap<(String, usize), String> {
    let list = include_str!("commonmark-differences.txt");
    list.lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| {
            let mut words = line.splitn(3, ' ');
            let spec = words.next().expect("`spec N reason` per line").to_owned();
            let number = words
                .next()
                .and_then(|n| n.parse().ok())
                .expect("an example number");
            let reason = words.next().unwrap_or("").trim().to_owned();
            ((spec, number), reason)
        })
        .collect()
}

#[test]
fn the_spec_examples_render_as_the_spec_says_or_differ_only_as_documented() {
    let core = examples(
        "commonmark",
        "tests/browser/node_modules/commonmark-spec/spec.txt",
        &[""],
    );
    assert!(core.len() > 600, "only {} CommonMark examples", core.len());
    let extensions = examples("gfm", "tests/specs/gfm.txt", &["table", "strikethrough"]);
    assert!(
        extensions.len() >= 10,
        "only {} GFM examples",
        extensions.len()
    );
    let examples: Vec<Example> = core.into_iter().chain(extensions).collect();
    let normalisers = normalisers();
    let normalise = |html: &str| {
        normalisers
            .iter()
            .fold(html.to_owned(), |html, (_, undo)| undo(&html))
    };
    let mut unexplained = BTreeMap::new();
    let mut exact = 0;
    for example in &examples {
        let rendered = pamphlet::fuzzing::render_body(&example.markdown);
        if rendered == example.html {
            exact += 1;
        } else if normalise(&rendered) != normalise(&example.html) {
            unexplained.insert(
                (example.spec.to_owned(), example.number),
                (example, rendered),
            );
        }
    }
    let listed = listed_differences();
    let new: Vec<String> = unexplained
        .iter()
        .filter(|(key, _)| !listed.contains_key(*key))
        .map(|((spec, number), (example, rendered))| {
            format!(
                "{spec} example {number} ({}):\n{}--- expected:\n{}--- Pamphlet:\n{rendered}",
                example.section, example.markdown, example.html
            )
        })
        .collect();
    let gone: Vec<&(String, usize)> = listed
        .keys()
        .filter(|key| !unexplained.contains_key(*key))
        .collect();
    assert!(
        new.is_empty(),
        "{} differences are not in tests/it/commonmark-differences.txt:\n\n{}",
        new.len(),
        new.join("\n\n")
    );
    assert!(
        gone.is_empty(),
        "listed in tests/it/commonmark-differences.txt but no longer different: {gone:?}"
    );
    eprintln!(
        "{} examples: {exact} exactly as the spec, {} only in the intended ways, {} listed",
        examples.len(),
        examples.len() - exact - listed.len(),
        listed.len()
    );
}
