//! The mistakes clinic editors make in front matter, most of them from
//! pasting out of Word, each run through the real `pamphlet check` as an
//! editor runs it. Each asserts the place and the code of every problem,
//! and snapshots (insta) what the editor reads, so any change to the
//! wording or the place is reviewed.

use crate::common;

use common::TestSite;

const ARTICLE: &str = "content/articles/effects.md";

/// The fixture's article with its front matter's `from` replaced by `to`.
fn effects_with(site: &TestSite, from: &str, to: &str) -> String {
    let text = site.read(ARTICLE);
    assert!(text.contains(from), "{from:?} is not in the article");
    text.replacen(from, to, 1)
}

/// Runs `pamphlet check` on the fixture with `ARTICLE` as `text`; returns
/// (line, column, code) of each problem in the article, and what the
/// editor reads.
fn checked(text: &str) -> (Vec<(u64, u64, String)>, String) {
    let site = TestSite::fixture("basic");
    site.write(ARTICLE, text);
    let json = site.run(&["check", "--as-of", common::TODAY, "--format", "json"]);
    assert_eq!(json.status.code(), Some(1), "the article was not refused");
    let places = String::from_utf8_lossy(&json.stdout)
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
        .filter(|problem| problem["file"] == ARTICLE)
        .map(|problem| {
            (
                problem["line"].as_u64().unwrap(),
                problem["column"].as_u64().unwrap(),
                problem["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let human = site.run(&["check", "--as-of", common::TODAY]);
    (places, String::from_utf8_lossy(&human.stderr).into_owned())
}

fn place(line: u64, column: u64, code: &str) -> (u64, u64, String) {
    (line, column, code.to_owned())
}

#[test]
fn a_date_written_the_british_way_is_placed_at_the_value() {
    let site = TestSite::fixture("basic");
    let (places, shown) = checked(&effects_with(
        &site,
        "reviewed_on: 2026-09-01",
        "reviewed_on: 11/02/2026",
    ));
    assert_eq!(places, [place(9, 16, "P006")]);
    insta::assert_snapshot!(shown);
}

#[test]
fn a_day_the_calendar_lacks_is_named_as_such() {
    let site = TestSite::fixture("basic");
    let (places, shown) = checked(&effects_with(
        &site,
        "next_review: 2027-09-01",
        "next_review: 2027-02-30",
    ));
    assert_eq!(places, [place(10, 16, "P006")]);
    assert!(
        shown.contains("February 2027 has 28 days, not 30"),
        "{shown}"
    );
    insta::assert_snapshot!(shown);
}

#[test]
fn every_misspelt_field_is_reported_in_one_run_at_the_field() {
    let site = TestSite::fixture("basic");
    let text = effects_with(&site, "summary:", "sumary:");
    let text = text.replacen("reviewed_by:", "reviwed_by:", 1);
    let text = text.replacen(
        "  - id: shared2020",
        "  - id: shared2020\n    acessed: 2026-01-01",
        1,
    );
    let (places, shown) = checked(&text);
    assert_eq!(
        places,
        [
            place(3, 1, "P005"),
            place(8, 3, "P005"),
            place(13, 5, "P005")
        ]
    );
    assert!(shown.contains("(in the 1st reference)"), "{shown}");
    insta::assert_snapshot!(shown);
}

#[test]
fn a_yes_or_no_written_as_words_is_told_what_to_type() {
    let site = TestSite::fixture("basic");
    let (places, shown) = checked(&effects_with(&site, "weight: 2", "weight: 2\ndraft: no"));
    assert_eq!(places, [place(5, 8, "P006")]);
    assert!(
        shown.contains("write `draft: true` or `draft: false`"),
        "{shown}"
    );
    insta::assert_snapshot!(shown);
}

#[test]
fn a_tab_for_indentation_is_named_on_its_own_line() {
    let site = TestSite::fixture("basic");
    let (places, shown) = checked(&effects_with(
        &site,
        "  reviewed_on: 2026-09-01",
        "\treviewed_on: 2026-09-01",
    ));
    assert_eq!(places, [place(9, 1, "P004")]);
    insta::assert_snapshot!(shown);
}

#[test]
fn curly_quotes_from_word_around_a_value_with_a_colon() {
    let site = TestSite::fixture("basic");
    let (places, shown) = checked(&effects_with(
        &site,
        "title: Effects",
        "title: “Effects: what to expect”",
    ));
    assert_eq!(places, [place(2, 8, "P004")]);
    assert!(
        shown.contains("type straight quotes instead: `title: \"Effects: what to expect\"`"),
        "{shown}"
    );
    insta::assert_snapshot!(shown);
}

#[test]
fn curly_quotes_from_word_around_a_plain_title_are_not_published() {
    let site = TestSite::fixture("basic");
    let (places, shown) = checked(&effects_with(&site, "title: Effects", "title: “Effects”"));
    assert_eq!(places, [place(2, 8, "P004")]);
    insta::assert_snapshot!(shown);
}

#[test]
fn curly_quotes_from_word_in_a_list_are_one_problem() {
    let site = TestSite::fixture("basic");
    let (places, shown) = checked(&effects_with(
        &site,
        "topics: [safety]",
        "topics: [“safety”, “depression”]",
    ));
    assert_eq!(places, [place(5, 9, "P004")]);
    insta::assert_snapshot!(shown);
}

#[test]
fn a_non_breaking_space_after_a_field_is_pointed_at() {
    let site = TestSite::fixture("basic");
    let (places, shown) = checked(&effects_with(
        &site,
        "topics: [safety]",
        "topics:\u{a0}[safety]",
    ));
    assert_eq!(places, [place(5, 8, "P004")]);
    insta::assert_snapshot!(shown);
}

#[test]
fn a_title_repeated_as_a_heading_in_the_text_is_a_warning_at_it() {
    let site = TestSite::fixture("basic");
    let text = effects_with(
        &site,
        "## Common effects {#common}",
        "# Effects\n\n## Common effects {#common}",
    );
    let site_for_check = TestSite::fixture("basic");
    site_for_check.write(ARTICLE, &text);
    let output = site_for_check.run(&["check", "--as-of", common::TODAY, "--deny-warnings"]);
    let shown = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(1), "{shown}");
    assert!(shown.contains("warning[P126]"), "{shown}");
    assert!(
        shown.contains("content/articles/effects.md:14:1"),
        "{shown}"
    );
    insta::assert_snapshot!(shown);
}

#[test]
fn a_contact_page_refused_as_clinical_is_told_about_non_clinical() {
    let (places, shown) = checked(
        "---\ntitle: Contact us\nsummary: How to reach the clinic.\n---\nCall us on 555 0100, Monday to Friday.\n",
    );
    assert_eq!(
        places,
        [
            place(1, 1, "P101"),
            place(1, 1, "P102"),
            place(1, 1, "P108"),
            place(1, 1, "P122")
        ]
    );
    assert_eq!(
        shown
            .matches("under `policy:` as `non_clinical: [articles/effects.md]`")
            .count(),
        3,
        "{shown}"
    );
    insta::assert_snapshot!(shown);
}

#[test]
fn a_line_indented_wrongly_under_a_list_item_is_named_itself() {
    let site = TestSite::fixture("basic");
    let (places, shown) = checked(&effects_with(
        &site,
        "  - id: shared2020",
        "  - id: shared2020\n   title: Sleep",
    ));
    assert_eq!(places, [place(13, 4, "P004")]);
    insta::assert_snapshot!(shown);
}
