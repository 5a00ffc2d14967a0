//! The fixture site `basic`, built, read back as a patient's browser would
//! see it: parsed HTML, never string matching.

use crate::common;

use common::{TestSite, attributes, snapshot, texts};
use pamphlet::load;
use pamphlet::render::{self, Purpose};

#[test]
fn every_page_is_written_at_its_pretty_address() {
    let site = TestSite::fixture("basic");
    let outcome = site.built();
    for page in [
        "index.html",
        "articles/index.html",
        "about/index.html",
        "articles/citations/index.html",
        "articles/effects/index.html",
        "404.html",
        "sitemap.xml",
        "atom.xml",
        "robots.txt",
        "style.css",
        "syntax.css",
    ] {
        assert!(site.public().join(page).is_file(), "{page} was not written");
    }
    assert!(
        !site.public().join("articles/unfinished").exists(),
        "a draft was published"
    );
    assert_eq!(outcome.pages, 5);
}

#[test]
fn article_shows_title_summary_and_heading_anchors() {
    let site = TestSite::fixture("basic");
    site.built();
    let page = site.page("articles/effects/index.html");
    assert_eq!(texts(&page, "h1"), ["Effects"]);
    assert_eq!(texts(&page, "title"), ["Effects | Fixture Clinic"]);
    assert_eq!(texts(&page, ".lead"), ["A page with headings to link to."]);
    assert_eq!(
        attributes(&page, ".body h2", "id"),
        ["common", "rare-effects"]
    );
    assert_eq!(texts(&page, ".body table th"), ["Effect", "How often"]);
}

#[test]
fn citations_are_numbered_by_first_citation_and_link_to_their_reference() {
    let site = TestSite::fixture("basic");
    site.built();
    let page = site.page("articles/citations/index.html");
    // zeta is cited first, then alpha, then beta, then the shared entry,
    // whatever their order in the front matter.
    assert_eq!(texts(&page, "sup.citation"), ["1", "2,1", "3", "4"]);
    assert_eq!(
        attributes(&page, "sup.citation a", "href"),
        ["#ref-1", "#ref-2", "#ref-1", "#ref-3", "#ref-4"]
    );
    let list = texts(&page, ".references li");
    assert!(list[0].starts_with("Zeta Z. Zeta study."), "{list:?}");
    assert!(list[1].starts_with("Alpha A. Alpha study."), "{list:?}");
    assert!(list[2].starts_with("Beta B. Beta study."), "{list:?}");
    assert!(
        list[3].starts_with("Shared A. A shared reference."),
        "{list:?}"
    );
    assert_eq!(
        attributes(&page, ".references li", "id"),
        ["ref-1", "ref-2", "ref-3", "ref-4"]
    );
    // The shared entry was filled in from content/references.yaml.
    assert!(
        attributes(&page, "#ref-4 a", "href")
            .contains(&"https://pubmed.ncbi.nlm.nih.gov/12345678/".to_owned())
    );
    assert!(
        attributes(&page, "#ref-2 a", "href").contains(&"https://doi.org/10.1000/alpha".to_owned())
    );
    // The number sits against the word it follows, as in print.
    assert_eq!(texts(&page, ".body p")[0], "The first claim cites zeta1.");
    // A citation inside a code span stays text.
    assert!(texts(&page, ".body code").contains(&"[@alpha]".to_owned()));
}

#[test]
fn links_between_articles_point_at_the_built_pages() {
    let site = TestSite::fixture("basic");
    site.built();
    let page = site.page("articles/citations/index.html");
    let hrefs = attributes(&page, ".body p a", "href");
    assert!(
        hrefs.contains(&"../../articles/effects/index.html#common".to_owned()),
        "{hrefs:?}"
    );
    assert!(
        hrefs.contains(&"../../articles/effects/index.html".to_owned()),
        "{hrefs:?}"
    );
    assert!(hrefs.contains(&"#first-section".to_owned()), "{hrefs:?}");
    // The link resolves to a real file with that anchor.
    let target = site.page("articles/effects/index.html");
    assert_eq!(attributes(&target, "#common", "id"), ["common"]);
    // Links leaving the site do not leak which page linked them.
    assert_eq!(
        attributes(&page, ".body a[href='https://example.org/']", "rel"),
        ["noopener noreferrer"]
    );
}

#[test]
fn review_line_and_disclaimers_come_from_front_matter_and_site_yaml() {
    let site = TestSite::fixture("basic");
    site.built();
    let page = site.page("articles/citations/index.html");
    assert_eq!(
        texts(&page, ".review p"),
        [
            "Page last reviewed: 1 October 2026, by Reviewer (example), MD",
            "Next review due: 1 October 2027"
        ]
    );
    // The crisis line comes first, right under the title; the others are
    // set apart after the article.
    assert_eq!(
        attributes(&page, "[data-disclaimer]", "data-disclaimer"),
        ["crisis-line", "medical-advice"]
    );
    assert_eq!(
        attributes(&page, "h1 + aside.crisis", "data-disclaimer"),
        ["crisis-line"]
    );
    assert_eq!(
        attributes(&page, ".disclaimers [data-disclaimer]", "data-disclaimer"),
        ["medical-advice"]
    );
    assert_eq!(
        texts(&page, "[data-disclaimer='medical-advice'] p"),
        ["This page does not replace your clinician."]
    );
    assert_eq!(
        texts(&page, "[data-disclaimer='medical-advice'] strong"),
        ["your clinician"]
    );
}

#[test]
fn code_is_highlighted_with_classes_not_inline_styles() {
    let site = TestSite::fixture("basic");
    site.built();
    let page = site.page("articles/citations/index.html");
    assert_eq!(
        attributes(&page, "pre.code code", "class"),
        ["language-rust"]
    );
    let spans = attributes(&page, "pre.code span", "class");
    assert!(
        spans.iter().any(|class| class.contains("hl-rust")),
        "{spans:?}"
    );
    assert!(attributes(&page, "pre.code [style]", "style").is_empty());
    assert!(site.read("public/syntax.css").contains(".hl-"));
}

#[test]
fn sections_list_their_articles_by_weight_and_skip_drafts() {
    let site = TestSite::fixture("basic");
    site.built();
    let section = site.page("articles/index.html");
    assert_eq!(
        texts(&section, ".cards .card-title > a"),
        ["Citations in order", "Effects"]
    );
    let home = site.page("index.html");
    assert_eq!(texts(&home, "header nav.site-nav a"), ["Articles"]);
}

#[test]
fn sitemap_and_feed_use_absolute_pretty_addresses() {
    let site = TestSite::fixture("basic");
    site.built();
    let sitemap = site.read("public/sitemap.xml");
    assert!(
        sitemap.contains(
            "<loc>https://fixture.example/articles/effects/</loc><lastmod>2026-09-01</lastmod>"
        ),
        "{sitemap}"
    );
    let feed = site.read("public/atom.xml");
    let citations = feed
        .find("https://fixture.example/articles/citations/")
        .unwrap();
    let effects = feed
        .find("https://fixture.example/articles/effects/")
        .unwrap();
    assert!(
        citations < effects,
        "the feed lists the most recently reviewed article first:\n{feed}"
    );
    assert!(
        feed.contains("<updated>2026-10-01T00:00:00Z</updated>"),
        "{feed}"
    );
    assert!(
        site.read("public/robots.txt")
            .contains("Sitemap: https://fixture.example/sitemap.xml")
    );
}

#[test]
fn two_builds_of_the_same_content_are_byte_identical() {
    let site = TestSite::fixture("basic");
    site.built();
    let first = snapshot(&site.public());
    site.built();
    assert_eq!(first, snapshot(&site.public()));
}

#[test]
fn a_refused_build_leaves_the_published_site_byte_for_byte() {
    let site = TestSite::fixture("basic");
    site.built();
    let before = snapshot(&site.public());
    site.write(
        "content/articles/effects.md",
        "---\ntitle: [unclosed\n---\n",
    );
    site.refused();
    assert_eq!(before, snapshot(&site.public()));
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("staging"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folders left behind: {leftovers:?}"
    );
}

#[test]
fn a_site_template_overrides_the_theme_file_of_the_same_name() {
    let site = TestSite::fixture("basic");
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block title %}Lost{% endblock title %}{% block meta %}{% endblock meta %}{% block main %}<h1>Nothing here</h1>{% endblock main %}",
    );
    site.built();
    assert_eq!(texts(&site.page("404.html"), "h1"), ["Nothing here"]);
}

/// Citations and markup are the editor's notation, not words a reader
/// sees: they never reach an anchor, the table of contents, the search
/// index or an image's text description.
#[test]
fn citation_keys_and_markup_stay_out_of_anchors_contents_search_and_alt_text() {
    let site = TestSite::fixture("basic");
    site.write("content/articles/leaflet.png", "not really a png");
    site.edit(
        "content/articles/effects.md",
        "## Rare effects",
        "## Serious risks [@shared2020]\n\nSee the chart.\n\n\
         ![Chart of [risks](effects.md) by age [@shared2020] <b>bold</b> and `code`](leaflet.png)\n\n\
         ## Rare effects",
    );
    site.built();
    let page = site.page("articles/effects/index.html");
    let ids = common::attributes(&page, "h2", "id");
    assert!(ids.contains(&"serious-risks".to_owned()), "{ids:?}");
    let toc = common::texts(&page, "nav.toc a");
    assert!(toc.contains(&"Serious risks".to_owned()), "{toc:?}");
    assert!(toc.iter().all(|entry| !entry.contains('@')), "{toc:?}");
    let alt = common::attributes(&page, "img", "alt");
    assert_eq!(alt, ["Chart of risks by age bold and code"]);
    let public = site.public();
    assert!(
        common::search_finds(&public, "shared2020").is_empty(),
        "a citation key is in the search index"
    );
    assert!(
        common::search_finds(&public, "serious")
            .contains(&"articles/effects/index.html".to_owned()),
        "the heading's words are not indexed"
    );
}

/// Every `src` and `href` of every published page that stays on the site,
/// followed from the page's own folder as a browser opening `public/` from
/// the file system would: none may lead nowhere.
fn assert_every_local_reference_resolves(public: &std::path::Path) {
    let mut followed = 0;
    for entry in walkdir::WalkDir::new(public) {
        let entry = entry.unwrap();
        // The 404 page is served at whatever address was asked for, so its
        // links start from the base URL's path, on purpose.
        if entry.path().extension().is_none_or(|e| e != "html") || entry.file_name() == "404.html" {
            continue;
        }
        let html = scraper::Html::parse_document(&std::fs::read_to_string(entry.path()).unwrap());
        let folder = entry.path().parent().unwrap();
        for (selector, attribute) in [("[src]", "src"), ("[href]", "href")] {
            for address in attributes(&html, selector, attribute) {
                if address.starts_with('#') || address.contains(':') || address.starts_with("//") {
                    continue;
                }
                let path = address.split(['#', '?']).next().unwrap();
                let path = percent_encoding::percent_decode_str(path)
                    .decode_utf8()
                    .unwrap();
                let mut target = folder.join(&*path);
                if path.ends_with('/') || path.is_empty() {
                    target = target.join("index.html");
                }
                assert!(
                    target.is_file(),
                    "{}: `{address}` leads nowhere ({})",
                    entry.path().display(),
                    target.display()
                );
                followed += 1;
            }
        }
    }
    assert!(followed > 0, "no local reference was followed");
}

#[test]
fn images_files_and_root_absolute_links_work_where_the_page_is_published() {
    let site = TestSite::fixture("basic");
    site.with_pictures_and_files().built();
    let page = site.page("articles/effects/index.html");
    assert_eq!(
        attributes(&page, "main img", "src"),
        [
            "../../articles/arm.png",
            "../../images/Drip%20Stand.png",
            "../../logos/clinic.svg"
        ]
    );
    assert_eq!(
        attributes(&page, "main img", "alt"),
        ["Where the drip goes, see IV", "A drip stand", ""]
    );
    let hrefs = attributes(&page, "main a:not(.term)", "href");
    for expected in [
        "../../files/leaflet.pdf#page=2",
        "../../about/index.html",
        "../../index.html",
        "../../articles/citations/index.html#second-section",
        "mailto:help@clinic.example",
    ] {
        assert!(
            hrefs.iter().any(|h| h == expected),
            "{expected} not in {hrefs:?}"
        );
    }
    assert_eq!(
        attributes(&page, "main td", "class"),
        ["align-left", "align-center", "align-right"]
    );
    assert!(attributes(&page, "main [style]", "style").is_empty());
    assert_every_local_reference_resolves(&site.public());
}

#[test]
fn every_local_reference_of_the_included_site_resolves() {
    let site = TestSite::included();
    site.built();
    assert_every_local_reference_resolves(&site.public());
}

#[test]
fn care_cards_say_how_urgently_to_act_in_words() {
    let site = TestSite::fixture("basic");
    let article = site.read("content/articles/effects.md").replace(
        "Most people feel sleepy [@shared2020].",
        "Most people feel sleepy [@shared2020].\n\n\
         > [!CAUTION]\n> Call 911 if you cannot breathe.\n\n\
         > [!WARNING]\n> Call the clinic today if it hurts.\n\n\
         > [!NOTE]\n> Rest at home.\n\n\
         > A plain quotation stays a quotation.\n",
    );
    site.write("content/articles/effects.md", &article);
    site.built();
    let page = site.page("articles/effects/index.html");
    assert_eq!(
        attributes(&page, "main aside.care-card", "class"),
        [
            "care-card care-emergency",
            "care-card care-urgent",
            "care-card care-non-urgent"
        ]
    );
    assert_eq!(
        texts(&page, "main .care-card .care-heading"),
        [
            "Immediate action required",
            "Urgent advice",
            "Non-urgent advice"
        ]
    );
    assert_eq!(
        texts(&page, "main .care-card .care-body"),
        [
            "Call 911 if you cannot breathe.",
            "Call the clinic today if it hurts.",
            "Rest at home."
        ]
    );
    // Each card is named by its heading, for screen readers' landmarks.
    for (labelled_by, id) in attributes(&page, "main aside.care-card", "aria-labelledby")
        .iter()
        .zip(attributes(&page, "main .care-heading", "id"))
    {
        assert_eq!(labelled_by, &id);
    }
    assert_eq!(
        texts(&page, "main blockquote"),
        ["A plain quotation stays a quotation."]
    );
}

/// A reference reads as one clean sentence whatever the editor's fields
/// end with: no "et al..", no "2019 2019", no "safe?.".
#[test]
fn references_read_cleanly_whatever_their_fields_end_with() {
    let site = TestSite::fixture("basic");
    let article = site.read("content/articles/effects.md").replace(
        "  - id: shared2020\n",
        "  - id: shared2020\n  - id: glitches\n    authors: [McIntyre RS, et al.]\n    title: Is ketamine safe?\n    source: FDA news release, 5 March 2019.\n    year: 2019\n    url: https://www.fda.gov/news\n",
    );
    site.write(
        "content/articles/effects.md",
        &article.replace("sleepy [@shared2020]", "sleepy [@shared2020; @glitches]"),
    );
    site.built();
    let included = TestSite::included();
    included.built();
    let mut checked = 0;
    for (site, page) in [(&site, "articles/effects/index.html")].into_iter().chain(
        [
            "treatment/side-effects/index.html",
            "conditions/depression/index.html",
        ]
        .map(|p| (&included, p)),
    ) {
        for entry in texts(&site.page(page), "section.references li") {
            let without_ellipses = entry.replace("...", "");
            assert!(!without_ellipses.contains(".."), "{entry}");
            assert!(!entry.contains("?."), "{entry}");
            let words: Vec<&str> = entry.split_whitespace().collect();
            assert!(
                !words.windows(2).any(|pair| pair[0].len() == 4
                    && pair[0].chars().all(|c| c.is_ascii_digit())
                    && pair[1].trim_end_matches('.') == pair[0]),
                "{entry}"
            );
            checked += 1;
        }
    }
    let effects = texts(
        &site.page("articles/effects/index.html"),
        "section.references li",
    );
    assert!(
        effects.iter().any(|e| e
            .starts_with("McIntyre RS, et al. Is ketamine safe? FDA news release, 5 March 2019.")),
        "{effects:?}"
    );
    assert!(checked > 8, "only {checked} references read");
}

/// `check` renders and verifies every page exactly as a build does, so it
/// refuses what a build refuses; it skips only the search index, which no
/// check reads.
#[test]
fn check_renders_every_page_as_the_build_does_but_not_the_search_index() {
    let [built, checked] = render_included_site([Purpose::Publish, Purpose::Check]);

    let pages = |rendered: &render::Rendered| -> Vec<(String, String)> {
        rendered
            .pages
            .iter()
            .map(|page| (page.path.clone(), page.html.clone()))
            .collect()
    };
    assert!(built.pages.len() >= 20);
    assert_eq!(pages(&built), pages(&checked));
    let search_files = |rendered: &render::Rendered| {
        rendered
            .files
            .iter()
            .filter(|(path, _)| {
                path == "search-index.js" || (path.starts_with("search/") && path.ends_with(".js"))
            })
            .count()
    };
    assert!(search_files(&built) >= 3);
    assert_eq!(search_files(&checked), 0);
    // Every other file (sitemap, feed, 404, topic pages) is rendered for both.
    assert_eq!(
        built.files.len() - search_files(&built),
        checked.files.len()
    );
}

/// A build makes the search index straight from the pages, dropping each
/// page's words once counted; the preview keeps every article's entry so
/// an edit redoes only its own. Both must publish the same index.
#[test]
fn the_build_and_the_preview_publish_the_same_search_index() {
    let [built, previewed] = render_included_site([Purpose::Publish, Purpose::Preview]);

    let sorted = |rendered: &render::Rendered| {
        let mut files = rendered.files.clone();
        files.sort();
        files
    };
    assert_eq!(sorted(&built), sorted(&previewed));
    assert!(built.search_entries.is_empty());
    assert!(previewed.search_entries.len() >= 16);
    let docs: String = built
        .files
        .iter()
        .filter(|(path, _)| path.starts_with("search/d-"))
        .map(|(_, text)| text.as_str())
        .collect();
    for (content_path, _) in &previewed.search_entries {
        let address = pamphlet::paths::output_path(content_path);
        assert!(docs.contains(&address), "{address} not in the index");
    }
}

/// The included site, rendered in memory once for each purpose.
fn render_included_site<const N: usize>(purposes: [Purpose; N]) -> [render::Rendered; N] {
    let site = TestSite::included();
    let sources = load::read(site.root()).unwrap();
    let (parsed, problems) = load::parse(&sources);
    let parsed = parsed.unwrap_or_else(|()| panic!("{problems:?}"));
    let theme = render::theme::load(&parsed).unwrap();
    purposes.map(|purpose| render::site(&parsed, &theme, purpose).unwrap())
}
