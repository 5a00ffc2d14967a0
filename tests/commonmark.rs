//! The CommonMark spec's own examples (the `commonmark-spec` npm package,
//! installed by `scripts/test` with the browser suite's packages), each
//! rendered by Pamphlet's article renderer and compared with the HTML the
//! spec expects. Pamphlet differs on purpose in a few ways, each undone by
//! one named normaliser below before comparing; any other difference must be
//! listed, with its reason, in `tests/commonmark-differences.txt`. The test
//! fails on a new difference and on a listed one that has gone.

use std::collections::BTreeMap;
use std::path::Path;

use regex::Regex;

struct Example {
    number: usize,
    section: String,
    markdown: String,
    html: String,
}

fn examples() -> Vec<Example> {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/browser/node_modules/commonmark-spec/spec.txt");
    let text = std::fs::read_to_string(&spec).unwrap_or_else(|error| {
        panic!(
            "cannot read {} ({error}): run scripts/test, which installs it",
            spec.display()
        )
    });
    let fence = "`".repeat(32);
    let mut examples = Vec::new();
    let mut section = String::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some(heading) = line
            .strip_prefix("## ")
            .or_else(|| line.strip_prefix("### "))
        {
            section = heading.to_owned();
        }
        if line != format!("{fence} example") {
            continue;
        }
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
        examples.push(Example {
            number: examples.len() + 1,
            section: section.clone(),
            markdown,
            html,
        });
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
            "line breaks between tags",
            Box::new(|html: &str| {
                let between = Regex::new(r">\s+<").unwrap();
                between.replace_all(html.trim(), "><").into_owned()
            }),
        ),
    ]
}

fn listed_differences() -> BTreeMap<usize, String> {
    let list = include_str!("commonmark-differences.txt");
    list.lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| {
            let (number, reason) = line.split_once(' ').expect("`N reason` per line");
            (
                number.parse().expect("an example number"),
                reason.trim().to_owned(),
            )
        })
        .collect()
}

#[test]
fn the_spec_examples_render_as_the_spec_says_or_differ_only_as_documented() {
    let examples = examples();
    assert!(
        examples.len() > 600,
        "only {} examples read",
        examples.len()
    );
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
            unexplained.insert(example.number, (example, rendered));
        }
    }
    let listed = listed_differences();
    let new: Vec<String> = unexplained
        .iter()
        .filter(|(number, _)| !listed.contains_key(number))
        .map(|(number, (example, rendered))| {
            format!(
                "example {number} ({}):\n{}--- expected:\n{}--- Pamphlet:\n{rendered}",
                example.section, example.markdown, example.html
            )
        })
        .collect();
    let gone: Vec<&usize> = listed
        .keys()
        .filter(|number| !unexplained.contains_key(number))
        .collect();
    assert!(
        new.is_empty(),
        "{} differences are not in tests/commonmark-differences.txt:\n\n{}",
        new.len(),
        new.join("\n\n")
    );
    assert!(
        gone.is_empty(),
        "listed in tests/commonmark-differences.txt but no longer different: {gone:?}"
    );
    eprintln!(
        "{} examples: {exact} exactly as the spec, {} only in the intended ways, {} listed",
        examples.len(),
        examples.len() - exact - listed.len(),
        listed.len()
    );
}
