//! The site Pamphlet ships with is its hardest test: it must pass every
//! check with no warnings, and each way an editor could break one of its
//! articles must be refused with a message they can act on.

use crate::common;

use std::path::Path;

use common::{TestSite, attributes, only};
use pamphlet::diagnostics::Diagnostic;
use pamphlet::model::Date;

const DEPRESSION: &str = "content/conditions/depression.md";

fn errors(problems: &[Diagnostic]) -> Vec<&Diagnostic> {
    problems.iter().filter(|d| d.is_error()).collect()
}

#[test]
fn the_included_site_passes_every_check_with_no_warnings() {
    let site = TestSite::included();
    let mut options = site.options();
    options.deny_warnings = true;
    let outcome = pamphlet::check(&options).unwrap_or_else(|error| panic!("{error:?}"));
    assert!(outcome.warnings.is_empty(), "{:?}", outcome.warnings);
}

#[test]
fn every_content_file_becomes_a_page_with_the_home_and_section_pages() {
    let site = TestSite::included();
    site.built();
    let content = site.root().join("content");
    let mut expected = 0;
    for entry in walkdir::WalkDir::new(&content) {
        let entry = entry.unwrap();
        let path = entry
            .path()
            .strip_prefix(&content)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if !path.ends_with(".md") {
            continue;
        }
        expected += 1;
        let output = pamphlet::paths::output_path(&path);
        assert!(
            site.public().join(&output).is_file(),
            "{path} was not published as {output}"
        );
    }
    assert!(expected >= 20, "only {expected} content files");
    for section in ["ketamine", "conditions", "treatment", "questions", "about"] {
        assert!(
            site.public().join(section).join("index.html").is_file(),
            "no section page for {section}"
        );
    }
}

#[test]
fn every_reference_on_every_article_links_to_where_it_can_be_read() {
    let site = TestSite::included();
    site.built();
    for entry in walkdir::WalkDir::new(site.public()) {
        let entry = entry.unwrap();
        if entry.file_name() != "index.html" {
            continue;
        }
        let html = scraper::Html::parse_document(&std::fs::read_to_string(entry.path()).unwrap());
        let items = attributes(&html, ".references li", "id");
        for id in items {
            let links = attributes(&html, &format!("#{id} a"), "href");
            assert!(
                links
                    .iter()
                    .any(|href| href.starts_with("https://") || href.starts_with("http://")),
                "{} reference {id} has no link",
                entry.path().display()
            );
        }
    }
}

#[test]
fn removing_a_required_disclaimer_from_an_included_article_is_refused() {
    let site = TestSite::included();
    site.edit(
        DEPRESSION,
        "disclaimers: [crisis-line, medical-advice, off-label]",
        "disclaimers: [medical-advice, off-label]",
    );
    let problems = site.refused();
    let problem = only(&problems, "P101");
    assert_eq!(problem.file.as_deref(), Some(Path::new(DEPRESSION)));
    assert_eq!(problem.line, 6);
    assert!(
        problem
            .message
            .starts_with("topic `depression` requires the disclaimer `crisis-line`"),
        "{}",
        problem.message
    );
    assert!(
        problem
            .hint
            .as_deref()
            .unwrap()
            .contains("add `crisis-line` to `disclaimers:`")
    );
}

#[test]
fn removing_a_cited_reference_from_an_included_article_is_refused_at_each_citation() {
    let site = TestSite::included();
    site.edit(DEPRESSION, "  - id: zarate2006\n", "");
    let problems = site.refused();
    let unknown: Vec<&Diagnostic> = errors(&problems)
        .into_iter()
        .filter(|d| d.code.id() == "P007")
        .collect();
    assert!(unknown.len() >= 3, "{problems:#?}");
    for problem in unknown {
        assert_eq!(problem.file.as_deref(), Some(Path::new(DEPRESSION)));
        assert_eq!(
            problem.message,
            "the citation `@zarate2006` matches no reference of this article"
        );
        assert!(
            problem
                .hint
                .as_deref()
                .unwrap()
                .contains("add a reference with `id: zarate2006`"),
            "{:?}",
            problem.hint
        );
    }
}

#[test]
fn an_expired_review_refuses_every_reviewed_article() {
    let site = TestSite::included();
    let mut later = site.options();
    // After the last of the included site's reviews has expired.
    later.today = Date::parse("2029-12-31").unwrap();
    let Err(pamphlet::BuildError::Refused(problems)) = pamphlet::build(&later) else {
        panic!("a build after every review expired must be refused");
    };
    let expired: Vec<&Diagnostic> = problems.iter().filter(|d| d.code.id() == "P111").collect();
    let reviewed = walkdir::WalkDir::new(site.root().join("content"))
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter_map(|e| {
            let text = std::fs::read_to_string(e.path()).unwrap();
            let due = text
                .split("\n  next_review: ")
                .nth(1)?
                .get(..10)?
                .to_owned();
            Some(due)
        })
        .inspect(|due| assert!(due.as_str() < "2029-12-31", "next review {due}"))
        .count();
    assert!(reviewed >= 13, "only {reviewed} reviewed articles");
    assert_eq!(expired.len(), reviewed);
    let depression = expired
        .iter()
        .find(|d| d.file.as_deref() == Some(Path::new(DEPRESSION)))
        .unwrap();
    assert_eq!(depression.line, 10);
    let text = site.read(DEPRESSION);
    let due = &text.split("\n  next_review: ").nth(1).unwrap()[..10];
    assert_eq!(
        depression.message,
        format!("the review expired on {due}: this page is overdue for clinical review")
    );
    assert!(!site.public().exists());
}

#[test]
fn a_misspelt_citation_key_in_an_included_article_suggests_the_right_one() {
    let site = TestSite::included();
    site.edit(DEPRESSION, "[@berman2000]", "[@bermann2000]");
    let problems = site.refused();
    let problem = only(&problems, "P007");
    assert_eq!(problem.file.as_deref(), Some(Path::new(DEPRESSION)));
    assert_eq!(
        problem.hint.as_deref(),
        Some("did you mean `[@berman2000]`?")
    );
    let line = site
        .read(DEPRESSION)
        .lines()
        .nth(problem.line - 1)
        .unwrap()
        .to_owned();
    assert!(
        line.contains("[@bermann2000]"),
        "line {} is `{line}`",
        problem.line
    );
}

#[test]
fn the_report_on_the_included_site_has_every_article_at_or_under_grade_8() {
    let site = TestSite::included();
    let folder = site.root().join("reports");
    let written =
        pamphlet::report::write(&site.options(), &folder).unwrap_or_else(|e| panic!("{e:?}"));
    for form in ["index.html", "report.json", "citations.csv"] {
        assert!(folder.join(form).is_file(), "no {form}");
    }
    let report: serde_json::Value =
        serde_json::from_str(&site.read("reports/report.json")).unwrap();
    let articles = report["articles"].as_array().unwrap();
    assert_eq!(articles.len(), written.report.summary.articles);
    for article in articles {
        let grade = article["reading"]["flesch_kincaid_grade"].as_f64().unwrap();
        assert!(grade <= 8.0, "{} reads at grade {grade}", article["file"]);
        if article["status"] != "non-clinical" {
            assert!(
                article["references"].as_array().unwrap().len() >= 2,
                "{}",
                article["file"]
            );
            assert_eq!(article["status"], "current", "{}", article["file"]);
        }
    }
    assert!(report["attention"].as_array().unwrap().is_empty());
}
