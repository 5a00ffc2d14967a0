//! The default theme's promises, checked on the included site's HTML:
//! structured data that matches the front matter, a strict
//! Content-Security-Policy, and nothing loaded or linked from elsewhere
//! except the references' own links.

use crate::common;

use common::{TestSite, attributes, texts};
use scraper::{Html, Selector};
use serde_json::Value;

fn every_page(site: &TestSite) -> Vec<(String, Html)> {
    walkdir::WalkDir::new(site.public())
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let path = e
                .path()
                .strip_prefix(site.public())
                .unwrap()
                .display()
                .to_string();
            (
                path,
                Html::parse_document(&std::fs::read_to_string(e.path()).unwrap()),
            )
        })
        .collect()
}

fn json_ld(page: &Html) -> Value {
    let blocks = texts(page, "script[type='application/ld+json']");
    assert_eq!(blocks.len(), 1, "one JSON-LD block");
    serde_json::from_str(&blocks[0]).unwrap()
}

#[test]
fn article_json_ld_matches_its_front_matter() {
    let site = TestSite::included();
    site.built();
    let page = site.page("conditions/ptsd/index.html");
    let data = json_ld(&page);
    let source = site.read("content/conditions/ptsd.md");
    let front: Value = serde_yaml::from_str(source.split("---").nth(1).unwrap()).unwrap();
    assert_eq!(data["@type"], "MedicalWebPage");
    assert_eq!(data["name"], front["title"].as_str().unwrap());
    assert_eq!(data["description"], front["summary"].as_str().unwrap());
    assert_eq!(
        data["lastReviewed"],
        front["review"]["reviewed_on"].as_str().unwrap()
    );
    assert_eq!(
        data["reviewedBy"]["name"],
        front["review"]["reviewed_by"].as_str().unwrap()
    );
    assert_eq!(data["medicalAudience"]["audienceType"], "Patient");
    assert_eq!(data["inLanguage"], "en");
    assert_eq!(data["about"][0]["name"], "PTSD");
    let citations = data["citation"].as_array().unwrap();
    assert_eq!(
        citations.len(),
        front["references"].as_array().unwrap().len()
    );
    // In the order of the page's reference list, with the same titles.
    let listed = texts(&page, ".references li");
    for (citation, item) in citations.iter().zip(&listed) {
        assert!(
            item.contains(citation["name"].as_str().unwrap()),
            "{citation} vs {item}"
        );
    }
    assert_eq!(
        citations[0]["url"],
        "https://doi.org/10.1001/jamapsychiatry.2014.62"
    );
}

#[test]
fn the_home_page_describes_the_clinic() {
    let site = TestSite::included();
    site.built();
    let data = json_ld(&site.page("index.html"));
    assert_eq!(data["@type"], "MedicalClinic");
    assert!(
        data["name"]
            .as_str()
            .unwrap()
            .contains("fictional demonstration clinic")
    );
}

#[test]
fn json_ld_cannot_close_its_script_element() {
    let site = TestSite::included();
    site.edit(
        "content/conditions/ptsd.md",
        "title: Ketamine for PTSD",
        "title: \"Ketamine for PTSD </script><script>alert(1)</script>\"",
    );
    site.sign_off_edits().built();
    let html = site.read("public/conditions/ptsd/index.html");
    assert!(
        !html.contains("<script>alert(1)"),
        "the title escaped its element"
    );
    let data = json_ld(&Html::parse_document(&html));
    assert_eq!(
        data["name"],
        "Ketamine for PTSD </script><script>alert(1)</script>"
    );
}

#[test]
fn every_page_has_a_strict_content_security_policy_and_no_inline_code() {
    let site = TestSite::included();
    site.built();
    for (path, page) in every_page(&site) {
        let policy = attributes(
            &page,
            "meta[http-equiv='Content-Security-Policy']",
            "content",
        );
        assert_eq!(policy.len(), 1, "{path} has no CSP");
        assert!(
            policy[0].starts_with("default-src 'self';"),
            "{path}: {}",
            policy[0]
        );
        assert!(!policy[0].contains("unsafe"), "{path}: {}", policy[0]);
        assert!(
            texts(&page, "style").is_empty(),
            "{path} has an inline <style>"
        );
        assert!(
            attributes(&page, "[style]", "style").is_empty(),
            "{path} has a style attribute"
        );
        let scripts = Selector::parse("script").unwrap();
        for script in page.select(&scripts) {
            let kind = script.value().attr("type").unwrap_or("");
            let local = script
                .value()
                .attr("src")
                .is_some_and(|src| !src.contains("://"));
            assert!(
                local || kind == "application/ld+json",
                "{path} has an inline or outside script"
            );
        }
    }
}

#[test]
fn nothing_is_loaded_or_linked_from_elsewhere_except_the_references() {
    let site = TestSite::included();
    site.built();
    let base = "https://riverbend-clinic.example/";
    let everything = Selector::parse("[src], [href]").unwrap();
    let in_references = Selector::parse(".references a[href]").unwrap();
    let mut reference_links = 0;
    for (path, page) in every_page(&site) {
        let allowed: Vec<&str> = page
            .select(&in_references)
            .filter_map(|a| a.value().attr("href"))
            .collect();
        reference_links += allowed.len();
        for element in page.select(&everything) {
            for attribute in ["src", "href"] {
                let Some(value) = element.value().attr(attribute) else {
                    continue;
                };
                let external = value.contains("://") || value.starts_with("//");
                let own = value.starts_with(base);
                if external && !own {
                    assert_eq!(attribute, "href", "{path} loads {value}");
                    assert!(
                        allowed.contains(&value),
                        "{path} links outside the reference list: {value}"
                    );
                }
            }
        }
    }
    assert!(
        reference_links > 40,
        "only {reference_links} reference links were seen"
    );
}

#[test]
fn topic_pages_list_their_articles() {
    let site = TestSite::included();
    site.built();
    let ptsd = site.page("topics/ptsd/index.html");
    assert_eq!(texts(&ptsd, "h1"), ["PTSD"]);
    let listed = texts(&ptsd, ".cards .card-title > a");
    assert!(
        listed.contains(&"Ketamine for PTSD".to_owned()),
        "{listed:?}"
    );
    assert!(
        !listed.contains(&"Costs and insurance".to_owned()),
        "{listed:?}"
    );
    let article = site.page("conditions/ptsd/index.html");
    assert_eq!(
        attributes(&article, ".topics a", "href"),
        ["../../topics/ptsd/index.html"]
    );
}

#[test]
fn the_search_index_holds_every_article_and_the_search_page_lists_them_without_javascript() {
    let site = TestSite::included();
    site.built();
    let public = site.public();
    let search = site.page("search/index.html");
    let listed = texts(&search, "main .cards .card-title > a");
    let docs = common::search_file(&public, "d-0").unwrap();
    let indexed: Vec<&str> = docs
        .as_array()
        .unwrap()
        .iter()
        .map(|doc| doc[0].as_str().unwrap())
        .collect();
    assert_eq!(indexed.len(), listed.len());
    assert!(listed.iter().all(|title| indexed.contains(&title.as_str())));
    let dissociation = common::search_finds(&public, "dissociation");
    for page in [
        "treatment/side-effects/index.html",
        "questions/glossary/index.html",
    ] {
        assert!(dissociation.contains(&page.to_owned()), "{dissociation:?}");
    }
    // Words with one stem find the same articles, from the body, the
    // summary or the title.
    assert_eq!(
        common::search_finds(&public, "infusion"),
        common::search_finds(&public, "infusions")
    );
    assert!(common::search_finds(&public, "zzzz").is_empty());
    // What a one-word query downloads: the manifest, one vocabulary file,
    // one postings file and one file of titles.
    let largest = std::fs::read_dir(public.join("search"))
        .unwrap()
        .map(|f| f.unwrap())
        .filter(|f| f.file_name().to_string_lossy().ends_with(".js"))
        .map(|f| f.metadata().unwrap().len())
        .max()
        .unwrap();
    let manifest = std::fs::metadata(public.join("search-index.js"))
        .unwrap()
        .len();
    assert!(
        manifest + 3 * largest < 60_000,
        "a query may load {manifest} + 3 x {largest} bytes"
    );
}

/// A site too large to list every article on the search page, which a
/// phone would load in full before searching, lists its sections and
/// topics there instead; search still finds every article.
#[test]
fn a_large_sites_search_page_lists_its_sections_and_topics_not_every_article() {
    let site = TestSite::fixture("basic");
    let count = pamphlet::render::listing_pages::SEARCH_PAGE_LISTS_AT_MOST + 1;
    for n in 0..count {
        site.write(
            &format!("content/articles/many-{n:03}.md"),
            &format!(
                "---\ntitle: Visit note {n}\nsummary: Note {n}.\ntopics: [safety]\ndisclaimers: [medical-advice]\nreview:\n  reviewed_by: \"Reviewer (example), MD\"\n  reviewed_on: 2026-09-01\n  next_review: 2027-09-01\nreferences:\n  - id: shared2020\n---\nWhat to bring to visit number{n} [@shared2020].\n"
            ),
        );
    }
    site.built();
    let search = site.page("search/index.html");
    assert!(texts(&search, "main .cards .card-title > a").is_empty());
    let topics = texts(&search, "main #topics + ul a");
    assert!(!topics.is_empty(), "no topics to browse instead");
    let found = common::search_finds(&site.public(), &format!("number{}", count - 1));
    assert_eq!(
        found,
        [format!("articles/many-{:03}/index.html", count - 1)]
    );
    assert!(common::search_finds(&site.public(), "bring").len() >= count);
}

#[test]
fn glossary_terms_link_to_their_entry_once_with_the_definition_for_screen_readers() {
    let site = TestSite::included();
    site.built();
    let page = site.page("treatment/what-to-expect/index.html");
    let terms = attributes(&page, "a.term", "href");
    let dissociation: Vec<&String> = terms
        .iter()
        .filter(|h| h.ends_with("#dissociation"))
        .collect();
    assert_eq!(
        dissociation,
        ["../../questions/glossary/index.html#dissociation"],
        "linked once"
    );
    assert_eq!(
        attributes(&page, "a.term[href$='#dissociation']", "aria-describedby"),
        ["glossary-dissociation"]
    );
    let definition = texts(&page, "[hidden] #glossary-dissociation");
    assert_eq!(
        definition,
        ["Feeling detached from your body or your surroundings, or as if things are not real."]
    );
    // The glossary itself has an entry with that anchor, and links no terms.
    let glossary = site.page("questions/glossary/index.html");
    assert_eq!(
        attributes(&glossary, "h2#dissociation", "id"),
        ["dissociation"]
    );
    assert!(attributes(&glossary, "a.term", "href").is_empty());
    // Never inside a heading.
    assert!(attributes(&page, "h2 a.term, h3 a.term", "href").is_empty());
}

#[test]
fn a_glossary_setting_naming_a_missing_page_is_refused() {
    let site = TestSite::included();
    site.edit(
        "site.yaml",
        "glossary: questions/glossary.md",
        "glossary: questions/glosary.md",
    );
    let problems = site.refused();
    let problem = common::only(&problems, "P016");
    assert_eq!(problem.line, 10);
    assert!(
        problem
            .message
            .contains("`content/questions/glosary.md`, which does not exist")
    );
}

/// The clinic's colour, logo and favicon come from site.yaml; a colour
/// white text cannot be read on is refused with one that can.
#[test]
fn the_brand_comes_from_site_yaml_and_a_pale_colour_is_refused_with_a_readable_one() {
    let site = TestSite::fixture("basic");
    let settings = site.read("site.yaml");
    site.write(
        "site.yaml",
        &settings.replace(
            "theme: clinic\n",
            "theme: clinic\nbrand:\n  colour: \"#7fb2e5\"\n  logo: missing.svg\n",
        ),
    );
    let problems = site.refused();
    let pale = problems
        .iter()
        .find(|d| d.message.contains("contrast"))
        .unwrap_or_else(|| panic!("{problems:#?}"));
    assert_eq!(pale.code.id(), "P016");
    assert_eq!(pale.line, 6, "{pale:#?}");
    let suggested = pale.hint.as_deref().unwrap().split('"').nth(1).unwrap();
    let rgb = pamphlet::colour::parse_colour(suggested).unwrap();
    assert!(
        pamphlet::colour::contrast_with_white(rgb) >= 4.5,
        "{suggested}"
    );
    assert!(
        problems
            .iter()
            .any(|d| d.message.contains("no `missing.svg`")),
        "{problems:#?}"
    );

    site.write(
        "static/mark.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.write(
        "site.yaml",
        &settings.replace(
            "theme: clinic\n",
            &format!("theme: clinic\nbrand:\n  colour: \"{suggested}\"\n  logo: mark.svg\n  favicon: mark.svg\n"),
        ),
    );
    site.built();
    assert_eq!(
        site.read("public/brand.css").lines().last().unwrap(),
        format!(":root {{ --brand: {suggested}; }}")
    );
    let page = site.page("articles/effects/index.html");
    assert_eq!(
        attributes(&page, ".site-name img", "src"),
        ["../../mark.svg"]
    );
    assert_eq!(attributes(&page, ".site-name img", "alt"), [""]);
    assert_eq!(
        attributes(&page, "link[rel=icon]", "href"),
        ["../../mark.svg"]
    );
}

/// Patients can tell the clinic what is wrong with a page, from their own
/// mail program, with the page and its signed-off version named.
#[test]
fn every_article_has_a_report_a_problem_link_to_the_clinic() {
    let site = TestSite::included();
    site.built();
    let mut articles = 0;
    for (path, page) in every_page(&site) {
        let links = attributes(&page, ".report-problem a", "href");
        let is_article = !attributes(&page, "article h1", "class").is_empty()
            || Selector::parse("footer.review")
                .map(|s| page.select(&s).next().is_some())
                .unwrap();
        if !is_article {
            continue;
        }
        articles += 1;
        assert_eq!(links.len(), 1, "{path}");
        let link = &links[0];
        let title = texts(&page, "h1").remove(0);
        let decoded = percent_encoding::percent_decode_str(link)
            .decode_utf8()
            .unwrap();
        assert!(
            decoded.starts_with("mailto:care@riverbend-clinic.example?subject="),
            "{decoded}"
        );
        assert!(decoded.contains(&format!("\"{title}\"")), "{decoded}");
        let address = format!(
            "https://riverbend-clinic.example/{}",
            path.trim_end_matches("index.html")
        );
        assert!(decoded.contains(&format!("Page: {address}")), "{decoded}");
        assert!(decoded.contains("Version: "), "{decoded}");
    }
    assert!(articles >= 13, "only {articles} articles");
}

/// The home page's "start here" path: the articles its front matter lists,
/// in that order, numbered, each a link that leads to the article.
#[test]
fn the_home_page_shows_its_start_here_path_in_order() {
    let site = TestSite::included();
    site.built();
    let home = site.page("index.html");
    let listed: Vec<String> = site
        .read("content/_index.md")
        .lines()
        .skip_while(|line| *line != "start_here:")
        .skip(1)
        .map_while(|line| line.strip_prefix("  - "))
        .map(str::to_owned)
        .collect();
    assert!(listed.len() >= 5, "{listed:?}");
    let hrefs = attributes(&home, "ol.steps li.step .step-title a", "href");
    let expected: Vec<String> = listed
        .iter()
        .map(|path| format!("{}/index.html", path.trim_end_matches(".md")))
        .collect();
    assert_eq!(hrefs, expected);
    for (href, path) in hrefs.iter().zip(&listed) {
        assert!(site.public().join(href).is_file(), "{href}");
        let title = texts(&site.page(href), "h1");
        let step = texts(&home, &format!("ol.steps a[href=\"{href}\"]"));
        assert_eq!(step, title, "{path}");
    }
}

/// A "start here" entry that names nothing, a draft, or a section is
/// refused at its line; so is the list on an article.
#[test]
fn a_start_here_path_that_leads_nowhere_is_refused_at_its_line() {
    let site = TestSite::included();
    site.edit(
        "content/_index.md",
        "  - treatment/side-effects.md",
        "  - treatment/side-efects.md\n  - treatment/_index.md",
    );
    let problems = site.refused();
    let broken: Vec<_> = problems.iter().filter(|d| d.code.id() == "P008").collect();
    assert_eq!(broken.len(), 2, "{problems:#?}");
    let home = site.read("content/_index.md");
    let line_of = |text: &str| home.lines().position(|l| l.contains(text)).unwrap() + 1;
    assert_eq!(broken[0].line, line_of("side-efects.md"));
    assert!(
        broken[0].message.contains("does not exist"),
        "{}",
        broken[0].message
    );
    assert!(
        broken[0]
            .hint
            .as_deref()
            .unwrap()
            .contains("treatment/side-effects.md"),
        "{:?}",
        broken[0].hint
    );
    assert_eq!(broken[1].line, line_of("treatment/_index.md"));
    assert!(broken[1].message.contains("not an article"));

    let site = TestSite::included();
    site.edit(
        "content/about/contact.md",
        "title:",
        "start_here:\n  - treatment/costs.md\ntitle:",
    );
    let problems = site.refused();
    let misplaced = common::only(&problems, "P006");
    assert!(misplaced.message.contains("belongs on the home page"));
    assert_eq!(misplaced.line, 3, "the first entry, under `start_here:`");
}

/// Where each disclaimer sits in the page's HTML: `Some(true)` before the
/// article's text, `Some(false)` in the "Important information" section
/// after it, `None` when the page does not show it.
fn shown_before_the_article(html: &str, id: &str) -> Option<bool> {
    let at = html.find(&format!("data-disclaimer=\"{id}\""))?;
    let body = html.find("<div class=\"body\">").expect("an article body");
    let foot = html.find("class=\"disclaimers\"");
    if at < body {
        return Some(true);
    }
    assert!(
        foot.is_some_and(|foot| foot < at),
        "{id} is inside the article"
    );
    Some(false)
}

/// site.yaml's `place: top` puts the off-label notice under the title, before
/// the article a patient reads; without it the notice is at the foot again,
/// and a place that does not exist is refused at its line.
#[test]
fn a_disclaimer_placed_at_the_top_is_read_before_the_article() {
    let site = TestSite::included();
    site.built();
    let pages = [
        "conditions/depression",
        "conditions/anxiety",
        "conditions/ptsd",
        "conditions/chronic-pain",
    ];
    for page in pages {
        let html = site.read(&format!("public/{page}/index.html"));
        assert_eq!(
            shown_before_the_article(&html, "off-label"),
            Some(true),
            "{page}"
        );
        assert_eq!(
            shown_before_the_article(&html, "medical-advice"),
            Some(false),
            "{page}"
        );
        assert_eq!(html.matches("data-disclaimer=\"off-label\"").count(), 1);
    }

    site.edit("site.yaml", "    place: top\n", "");
    site.built();
    let html = site.read("public/conditions/depression/index.html");
    assert_eq!(shown_before_the_article(&html, "off-label"), Some(false));

    let yaml = site.read("site.yaml");
    site.edit(
        "site.yaml",
        "IV ketamine for this condition is \"off-label\"\n",
        "IV ketamine for this condition is \"off-label\"\n    place: middle\n",
    );
    let line = yaml
        .lines()
        .position(|l| l.contains("for this condition is \"off-label\""))
        .unwrap()
        + 2;
    let problems = site.refused();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].line, line, "{:?}", problems[0]);
    assert!(
        problems[0].message.contains("middle"),
        "{}",
        problems[0].message
    );
}
