//! Untrusted content: raw HTML is held to an allow-list and refused (never
//! silently stripped) at its line; front matter values are escaped; and no
//! page carries a script the theme did not put there.

use crate::common;

use common::{TestSite, attributes, only, texts};
use proptest::prelude::*;
use scraper::{Html, Selector};

const ARTICLE: &str = "content/articles/effects.md";

fn with_body(site: &TestSite, body: &str) {
    site.edit(
        ARTICLE,
        "Most people feel sleepy [@shared2020].",
        &format!("Most people feel sleepy [@shared2020].\n\n{body}"),
    );
}

#[test]
fn scripts_frames_embeds_styles_handlers_and_code_urls_are_refused_at_their_line() {
    for (markup, expected) in [
        (
            "<script>alert(1)</script>",
            "the HTML tag `<script>` is not allowed",
        ),
        (
            "<iframe src=\"https://example.org\"></iframe>",
            "the HTML tag `<iframe>` is not allowed",
        ),
        (
            "<object data=\"x.swf\"></object>",
            "the HTML tag `<object>` is not allowed",
        ),
        (
            "<embed src=\"x.swf\">",
            "the HTML tag `<embed>` is not allowed",
        ),
        (
            "<style>body { display: none }</style>",
            "the HTML tag `<style>` is not allowed",
        ),
        (
            "<p onclick=\"steal()\">Tap here</p>",
            "the attribute `onclick` would run code",
        ),
        (
            "<img src=x onerror=alert(1)>",
            "the attribute `onerror` would run code",
        ),
        (
            "<span style=\"color:red\">red</span>",
            "inline styles are not allowed",
        ),
        (
            "<a href=\"javascript:alert(1)\">x</a>",
            "`href` uses `javascript:`",
        ),
        (
            "[click](javascript:alert(1))",
            "this link uses `javascript:`",
        ),
        ("[click](vbscript:msgbox)", "this link uses `vbscript:`"),
        (
            "![pic](data:image/svg+xml;base64,PHN2Zz4=)",
            "this image uses `data:`",
        ),
        (
            "<a href=\"java&#x09;script:alert(1)\">x</a>",
            "`href` uses `javascript:`",
        ),
        (
            "<a href=\"&#106;avascript:alert(1)\">x</a>",
            "`href` uses `javascript:`",
        ),
    ] {
        let site = TestSite::fixture("basic");
        with_body(&site, markup);
        let problems = site.refused();
        let problem = only(&problems, "P117");
        assert!(
            problem.message.contains(expected),
            "{markup}: {}",
            problem.message
        );
        let line = site
            .read(ARTICLE)
            .lines()
            .position(|l| l.contains(markup))
            .unwrap()
            + 1;
        assert_eq!(problem.line, line, "{markup}");
    }
}

#[test]
fn safe_html_and_ordinary_links_pass() {
    let site = TestSite::fixture("basic");
    with_body(
        &site,
        "<details><summary>More</summary>Extra <b>bold</b> text.</details>\n\nSee <a href=\"https://example.org/\">this</a> or [mail us](mailto:clinic@example.org).",
    );
    let outcome = site.built();
    assert!(outcome.warnings.is_empty(), "{:?}", outcome.warnings);
    let page = site.page("articles/effects/index.html");
    assert_eq!(texts(&page, "main details summary"), ["More"]);
}

#[test]
fn a_title_containing_markup_is_shown_as_text() {
    let site = TestSite::fixture("basic");
    site.edit(
        ARTICLE,
        "title: Effects",
        "title: \"<script>alert(1)</script> & <b>Effects</b>\"",
    );
    site.built();
    let page = site.page("articles/effects/index.html");
    assert_eq!(
        texts(&page, "h1"),
        ["<script>alert(1)</script> & <b>Effects</b>"]
    );
    assert!(texts(&page, "h1 script, h1 b").is_empty());
}

#[test]
fn no_published_page_carries_a_script_the_theme_did_not_put_there() {
    // The included site, with hostile values in every front matter field a
    // template prints.
    let site = TestSite::included();
    site.edit(
        "content/conditions/ptsd.md",
        "summary: Trials",
        "summary: <script>alert('summary')</script><img src=x onerror=alert(1)> Trials",
    );
    site.edit(
        "content/conditions/ptsd.md",
        "title: Ketamine for PTSD",
        "title: \"</title><script>alert('t')</script>\"",
    );
    site.edit(
        "content/references.yaml",
        "title: \"Efficacy of intravenous ketamine",
        "title: \"<script>alert('ref')</script>Efficacy of intravenous ketamine",
    );
    site.sign_off_edits().built();
    let theirs = ["search-index.js", "search.js"];
    let scripts = Selector::parse("script").unwrap();
    let everything = Selector::parse("*").unwrap();
    for entry in walkdir::WalkDir::new(site.public()) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|x| x != "html") {
            continue;
        }
        let page = Html::parse_document(&std::fs::read_to_string(entry.path()).unwrap());
        for script in page.select(&scripts) {
            let allowed = script.value().attr("type") == Some("application/ld+json")
                || script
                    .value()
                    .attr("src")
                    .is_some_and(|src| theirs.iter().any(|t| src.ends_with(t)));
            assert!(allowed, "{}: {}", entry.path().display(), script.html());
        }
        for element in page.select(&everything) {
            for (name, value) in element.value().attrs() {
                assert!(
                    !name.starts_with("on"),
                    "{}: {name}",
                    entry.path().display()
                );
                assert!(
                    !value.trim_start().to_lowercase().starts_with("javascript:"),
                    "{}",
                    entry.path().display()
                );
            }
        }
    }
    let ptsd = site.page("conditions/ptsd/index.html");
    assert_eq!(texts(&ptsd, "h1"), ["</title><script>alert('t')</script>"]);
    assert!(attributes(&ptsd, "img[onerror]", "src").is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Any bytes at all as an article give a clean result or diagnostics:
    /// never a panic, never an environment error.
    #[test]
    fn any_bytes_as_an_article_are_answered(bytes in proptest::collection::vec(any::<u8>(), 0..400), front in any::<bool>()) {
        let site = TestSite::fixture("basic");
        let mut content = if front { b"---\ntitle: T\n---\n".to_vec() } else { Vec::new() };
        content.extend_from_slice(&bytes);
        std::fs::write(site.root().join(ARTICLE), &content).unwrap();
        let result = pamphlet::check(&site.options());
        prop_assert!(!matches!(result, Err(pamphlet::BuildError::Environment(_))));
    }

    /// Markdown-shaped input, which reaches the renderer and the checks.
    #[test]
    fn any_markdown_as_an_article_is_answered(body in "([#>*`\\[\\]()@!<>a-z0-9 .:;/-]|\n){0,300}") {
        let site = TestSite::fixture("basic");
        site.write(ARTICLE, &format!("---\ntitle: T\nreferences:\n  - id: shared2020\n---\n{body}\n"));
        let result = pamphlet::build(&site.options());
        prop_assert!(!matches!(result, Err(pamphlet::BuildError::Environment(_))));
    }
}

/// The probes that got past the regular expressions of the first wave,
/// each now refused at its line through the real binary, nothing published.
#[test]
fn markup_judged_as_a_browser_reads_it_refuses_every_known_bypass() {
    for (markup, expected) in [
        (
            "<!-- x --><script src=\"https://evil.example/x.js\"></script>",
            "`<script>`",
        ),
        (
            "<!-- x --><meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
            "`<meta>`",
        ),
        (
            "<script\nsrc=\"https://evil.example/x.js\"></script>",
            "`<script>`",
        ),
        (
            "<iframe\nsrc=\"https://evil.example\"></iframe>",
            "`<iframe>`",
        ),
        (
            "<link\nrel=\"stylesheet\" href=\"https://evil.example/s.css\">",
            "`<link>`",
        ),
        ("<base\nhref=\"https://evil.example/\">", "`<base>`"),
        ("<p\nonclick=\"steal()\">Tap</p>", "`onclick`"),
        ("<a href=\"&#106avascript:alert(1)\">x</a>", "`javascript:`"),
        ("<a href=\"javascript&#58alert(1)\">x</a>", "`javascript:`"),
        (
            "## Heading {onclick=steal() style=color:red}",
            "only an id and classes",
        ),
        ("<div hidden><div>", "`hidden`"),
        ("<div><div>", "never closed"),
        ("<!-- swallow the rest", "unfinished comment"),
        (
            "![chart](https://evil.example/chart.png)",
            "from another site",
        ),
        ("![chart](//evil.example/chart.png)", "from another site"),
        (
            "<img src=\"/&#9;/evil.example/c.png\" alt=\"c\">",
            "from another site",
        ),
        (
            "<img src=\"\\/evil.example/c.png\" alt=\"c\">",
            "from another site",
        ),
        (
            "![chart](&#x2F;&#x2F;evil.example/chart.png)",
            "from another site",
        ),
        (
            "<img src=\"chart.png\" srcset=\"https://evil.example/c.png 2x\" alt=\"c\">",
            "`srcset`",
        ),
        (
            "<a href=\"x\" ping=\"https://evil.example\">x</a>",
            "`ping`",
        ),
    ] {
        let site = TestSite::fixture("basic");
        // At the very end, as an attacker would put it, so nothing after it
        // in the article closes what it opens.
        let text = site.read(ARTICLE);
        site.write(ARTICLE, &format!("{text}\n{markup}\n"));
        let output = site.run(&["build", "--as-of", common::TODAY]);
        let said = String::from_utf8_lossy(&output.stderr).into_owned();
        assert_eq!(output.status.code(), Some(1), "{markup}: {said}");
        assert!(
            said.contains("P117") && said.contains(expected),
            "{markup}: {said}"
        );
        let line = text.lines().count() + 2;
        assert!(
            said.contains(&format!("effects.md:{line}:")),
            "{markup}: not at line {line}: {said}"
        );
        assert!(!site.public().exists(), "{markup}: something was published");
    }
}

#[test]
fn disclaimer_texts_in_site_yaml_are_judged_too() {
    let site = TestSite::fixture("basic");
    let settings = site.read("site.yaml");
    let (before, after) = settings.split_once("text: ").expect("a disclaimer text");
    site.write(
        "site.yaml",
        &format!("{before}text: \"<img src=x onerror=alert(1)> \"\n    # was: {after}"),
    );
    let output = site.run(&["build", "--as-of", common::TODAY]);
    let said = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(1), "{said}");
    assert!(
        said.contains("P117") && said.contains("site.yaml") && said.contains("`onerror`"),
        "{said}"
    );
}

mod the_promise {
    //! For any body built from the pieces attackers and pasted pages use,
    //! the build is refused or the published page, read as a browser reads
    //! it, keeps the promise (see `pamphlet::fuzzing`, and the `promise`
    //! fuzz target that runs the same check on arbitrary bytes).

    use pamphlet::fuzzing::OneArticleSite;
    use proptest::prelude::*;

    const PIECES: [&str; 48] = [
        "<div>",
        "</div>",
        "<span>",
        "</span>",
        "<b>",
        "</b>",
        "<details>",
        "</details>",
        "<summary>",
        "<p>",
        "</p>",
        "<template>",
        "<noscript>",
        "<textarea>",
        "<style>",
        "<script>",
        "<svg>",
        "<math>",
        "<table>",
        "<td>",
        "<select>",
        "<iframe>",
        "<a href=x>",
        "</a>",
        "<img src=x alt=y>",
        "<!--",
        "-->",
        "<!",
        "</",
        "<",
        ">",
        "\"",
        "'",
        " hidden",
        " aria-hidden=true",
        " onclick=x",
        " src=//e.example/a.png",
        " href=javascript:x",
        " open",
        "&#106",
        "\n\n",
        "\n## ",
        "`",
        "[@one]",
        "*",
        "\n> ",
        "    ",
        "text",
    ];

    #[test]
    fn the_check_reads_published_pages_and_refused_builds_publish_nothing() {
        let site = OneArticleSite::new();
        assert_eq!(
            site.promise_broken("Plain <b>text</b>.\n"),
            Some(Vec::new())
        );
        assert_eq!(site.promise_broken("<div hidden><div>\n"), None);
        assert_eq!(
            site.promise_broken("![A dot](media/pixel.png) [it](/media/pixel.png)\n"),
            Some(Vec::new())
        );
        // The article is published at a/index.html: one folder deeper.
        assert_eq!(site.leads_nowhere("../media/pixel.png"), None);
        assert!(site.leads_nowhere("media/pixel.png").is_some());
        assert_eq!(site.promise_broken("![A dot](media/Pixel.png)\n"), None);
    }

    /// What editors write in paths: folders up and down, the site's root,
    /// capitals, escapes, queries and parts, around pictures and links.
    const PATH_PIECES: [&str; 22] = [
        "![a](",
        "[a](",
        "![](",
        "![decorative](",
        ")",
        "media/",
        "/media/",
        "../",
        "./",
        "pixel.png",
        "PIXEL.PNG",
        "%70ixel.png",
        "a.md",
        "_index.md",
        "/",
        "\\",
        "#x",
        "?q=1",
        " \"t\"",
        "<",
        ">",
        "\n\n",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]
        #[test]
        fn a_published_page_never_points_at_a_file_that_is_not_there(
            pieces in proptest::collection::vec(0..PATH_PIECES.len(), 1..16)
        ) {
            thread_local! {
                static SITE: OneArticleSite = OneArticleSite::new();
            }
            let body: String = pieces.iter().map(|&i| PATH_PIECES[i]).collect();
            let broken = SITE.with(|site| site.promise_broken(&body));
            if let Some(broken) = broken {
                prop_assert!(broken.is_empty(), "{body:?} was published with {broken:?}");
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]
        #[test]
        fn a_published_page_always_keeps_the_promise(
            pieces in proptest::collection::vec(0..PIECES.len(), 1..24)
        ) {
            thread_local! {
                static SITE: OneArticleSite = OneArticleSite::new();
            }
            let body: String = pieces.iter().map(|&i| PIECES[i]).collect();
            let broken = SITE.with(|site| site.promise_broken(&body));
            if let Some(broken) = broken {
                prop_assert!(broken.is_empty(), "{body:?} was published with {broken:?}");
            }
        }
    }
}
