//! The safety gate. Each test breaks one rule of the fixture's policy in one
//! article and asserts what the clinic editor is told; the untouched fixture
//! is the passing case beside every one of them.

use crate::common;

use std::path::Path;

use common::{TestSite, only};
use pamphlet::BuildError;
use pamphlet::diagnostics::Diagnostic;
use pamphlet::model::Date;

const ARTICLE: &str = "content/articles/effects.md";

/// The effects article as it passes every check. Lines: 1 `---`, 3 topics,
/// 4 disclaimers, 5 review, 6-8 its fields, 9 references, 10 shared2020,
/// 11 own2019 (12-16 its fields), 17 `---`, 18 heading, 20 body.
const PASSING: &str = "---
title: Effects
topics: [safety]
disclaimers: [medical-advice]
review:
  reviewed_by: \"Reviewer (example), MD\"
  reviewed_on: 2026-09-01
  next_review: 2027-09-01
references:
  - id: shared2020
  - id: own2019
    authors: [Own O]
    title: Own study
    source: Journal O
    year: 2019
    doi: 10.1000/own
---
## Common effects {#common}

Most people feel sleepy [@shared2020]. Some feel sick [@own2019].
";

fn with(from: &str, to: &str) -> String {
    assert!(
        PASSING.contains(from),
        "the passing article has no `{from}`"
    );
    PASSING.replacen(from, to, 1)
}

fn site_with(article: &str) -> TestSite {
    let site = TestSite::fixture("basic");
    site.write(ARTICLE, article);
    site
}

fn assert_at(problem: &Diagnostic, line: usize, message: &str) {
    assert_eq!(
        problem.file.as_deref(),
        Some(Path::new(ARTICLE)),
        "{problem:?}"
    );
    assert_eq!(problem.line, line, "{problem:?}");
    assert!(
        problem.message.contains(message),
        "`{}` does not contain `{message}`",
        problem.message
    );
}

#[test]
fn the_fixture_passes_with_no_errors_and_no_warnings() {
    let site = site_with(PASSING);
    let outcome = site.built();
    assert!(
        outcome.warnings.is_empty(),
        "{}",
        pamphlet::diagnostics::to_plain_text(&outcome.warnings)
    );
}

#[test]
fn a_disclaimer_required_by_topic_names_the_rule() {
    let site = site_with(&with("topics: [safety]", "topics: [depression]"));
    let problems = site.refused();
    let problem = only(&problems, "P101");
    assert_at(
        problem,
        4,
        "topic `depression` requires the disclaimer `crisis-line`",
    );
    assert_eq!(
        problem.hint.as_deref(),
        Some(
            "add `crisis-line` to `disclaimers:` in the front matter, for example `disclaimers: [medical-advice, crisis-line]`"
        )
    );
}

#[test]
fn a_disclaimer_required_on_every_article_is_enforced_but_not_on_non_clinical_pages() {
    let site = site_with(&with("disclaimers: [medical-advice]\n", ""));
    let problems = site.refused();
    assert_at(
        only(&problems, "P101"),
        1,
        "the policy requires, on every article, the disclaimer `medical-advice`",
    );
    // about.md has no disclaimers, references or review, and is listed as
    // non-clinical: it produced nothing.
    assert!(
        problems
            .iter()
            .all(|d| d.file.as_deref() != Some(Path::new("content/about.md")))
    );
}

#[test]
fn too_few_references_is_refused() {
    let front_without_references = &PASSING[..PASSING.find("references:").unwrap()];
    let site = site_with(&format!(
        "{front_without_references}---\n## Common effects {{#common}}\n\nMost people feel sleepy.\n"
    ));
    let problems = site.refused();
    assert_at(
        only(&problems, "P102"),
        1,
        "this article lists 0 references; the policy requires at least 1",
    );
}

#[test]
fn a_reference_without_source_or_year_is_refused() {
    let site = site_with(&with("    source: Journal O\n    year: 2019\n", ""));
    let problems = site.refused();
    assert_at(
        only(&problems, "P103"),
        11,
        "the reference `own2019` has no source, no year",
    );
}

#[test]
fn an_undated_web_page_needs_its_accessed_date_instead_of_a_year() {
    let undated = "    source: Journal O\n    url: https://own.example/page\n";
    let site = site_with(&with("    source: Journal O\n    year: 2019\n", undated));
    assert_at(
        only(&site.refused(), "P103"),
        11,
        "the reference `own2019` has no year",
    );
    let site = site_with(&with(
        "    source: Journal O\n    year: 2019\n",
        &format!("{undated}    accessed: 2026-11-02\n"),
    ));
    site.built();
    let page = site.page("articles/effects/index.html");
    let entry = common::texts(&page, "#ref-2");
    assert!(entry[0].contains("Journal O, n.d."), "{entry:?}");
    assert!(entry[0].contains("(accessed 2 November 2026)"), "{entry:?}");
}

#[test]
fn a_reference_a_reader_cannot_look_up_is_refused() {
    let site = site_with(&with("    doi: 10.1000/own\n", ""));
    let problems = site.refused();
    assert_at(
        only(&problems, "P104"),
        11,
        "the reference `own2019` has no doi, pmid or url",
    );
}

#[test]
fn malformed_identifiers_are_refused_with_their_correct_form() {
    let site = site_with(&with(
        "    doi: 10.1000/own\n",
        "    doi: https://doi.org/10.1000/own\n    pmid: PMID123\n    pmcid: 5950671\n    url: ftp://files.example/own\n",
    ));
    let problems = site.refused();
    let malformed: Vec<&Diagnostic> = problems.iter().filter(|d| d.code.id() == "P105").collect();
    assert_eq!(malformed.len(), 4, "{problems:#?}");
    assert_at(
        malformed[0],
        16,
        "`https://doi.org/10.1000/own` is not a valid doi",
    );
    assert!(
        malformed[0]
            .hint
            .as_deref()
            .unwrap()
            .contains("without `https://doi.org/`")
    );
    assert_at(malformed[1], 17, "`PMID123` is not a valid pmid");
    assert_at(malformed[2], 18, "`5950671` is not a valid pmcid");
    assert_at(
        malformed[3],
        19,
        "`ftp://files.example/own` is not a valid url",
    );
}

#[test]
fn a_repeated_reference_id_points_at_the_repeat() {
    let site = site_with(&with(
        "  - id: shared2020\n",
        "  - id: shared2020\n  - id: shared2020\n",
    ));
    let problems = site.refused();
    assert_at(
        only(&problems, "P011"),
        11,
        "the reference id `shared2020` is listed twice",
    );
}

#[test]
fn one_work_recorded_with_two_titles_is_refused() {
    // citations.md records 10.1000/alpha as "Alpha study", 2001.
    let site = site_with(&with("doi: 10.1000/own", "doi: 10.1000/ALPHA"));
    let problems = site.refused();
    let problem = only(&problems, "P106");
    assert_at(
        problem,
        16,
        "the doi 10.1000/alpha is recorded here as \"Own study\" (2019)",
    );
    assert!(
        problem.message.contains("as \"Alpha study\" (2001)"),
        "{}",
        problem.message
    );
}

#[test]
fn a_reference_never_cited_warns() {
    let site = site_with(&with(" Some feel sick [@own2019].", ""));
    let outcome = site.built();
    let warning = only(&outcome.warnings, "P107");
    assert_at(
        warning,
        11,
        "the reference `own2019` is listed but never cited",
    );
    assert!(!warning.is_error());
}

#[test]
fn a_missing_review_or_reviewer_is_refused() {
    let no_review = site_with(&with(
        "review:\n  reviewed_by: \"Reviewer (example), MD\"\n  reviewed_on: 2026-09-01\n  next_review: 2027-09-01\n",
        "",
    ));
    assert_at(
        only(&no_review.refused(), "P108"),
        1,
        "this article has no clinical review",
    );
    let no_reviewer = site_with(&with("  reviewed_by: \"Reviewer (example), MD\"\n", ""));
    assert_at(
        only(&no_reviewer.refused(), "P108"),
        5,
        "the review has no reviewed_by",
    );
}

#[test]
fn a_review_dated_in_the_future_is_refused() {
    let site = site_with(&with("reviewed_on: 2026-09-01", "reviewed_on: 2026-12-01"));
    assert_at(
        only(&site.refused(), "P109"),
        7,
        "`reviewed_on` is 2026-12-01, which is after today (2026-11-21)",
    );
}

#[test]
fn a_next_review_before_the_review_or_beyond_the_policy_is_refused() {
    let backwards = site_with(&with("next_review: 2027-09-01", "next_review: 2026-08-01"));
    let problems = backwards.refused();
    assert_at(
        only(&problems, "P110"),
        8,
        "`next_review` (2026-08-01) is before `reviewed_on` (2026-09-01)",
    );
    let too_far = site_with(&with("next_review: 2027-09-01", "next_review: 2029-09-02"));
    let problem = only(&too_far.refused(), "P110").clone();
    assert_at(&problem, 8, "is more than 36 months after `reviewed_on`");
    assert_eq!(
        problem.hint.as_deref(),
        Some("set `next_review:` to 2029-09-01 or earlier")
    );
}

#[test]
fn an_expired_review_is_refused_and_as_of_moves_the_verdict() {
    let site = site_with(&with("next_review: 2027-09-01", "next_review: 2026-11-20"));
    let problems = site.refused();
    assert_at(
        only(&problems, "P111"),
        8,
        "the review expired on 2026-11-20",
    );
    let mut earlier = site.options();
    earlier.today = Date::parse("2026-11-01").unwrap();
    let outcome = pamphlet::build(&earlier).expect("on 2026-11-01 the review is still valid");
    // Still valid, but within 30 days of its end.
    assert_at(
        only(&outcome.warnings, "P112"),
        8,
        "the next review is due on 2026-11-20 (19 days from today)",
    );
}

#[test]
fn a_review_due_soon_warns_and_deny_warnings_refuses_it() {
    let site = site_with(&with("next_review: 2027-09-01", "next_review: 2026-12-01"));
    let warning = only(&site.built().warnings, "P112").clone();
    assert_at(&warning, 8, "(10 days from today)");
    let mut strict = site.options();
    strict.deny_warnings = true;
    assert!(matches!(
        pamphlet::build(&strict),
        Err(BuildError::Refused(_))
    ));
}

#[test]
fn an_uncited_statistic_or_appeal_to_research_is_flagged_at_its_place() {
    let site = site_with(&with(
        "Some feel sick [@own2019].",
        "Some feel sick [@own2019].\n\nAbout 70% of people feel better. Studies show it lasts. Research shows 40% improve.",
    ));
    let warnings = site.built().warnings;
    let claims: Vec<&Diagnostic> = warnings.iter().filter(|d| d.code.id() == "P113").collect();
    assert_eq!(claims.len(), 3, "{warnings:#?}");
    assert_at(
        claims[0],
        22,
        "this sentence states a statistic (\"70%\") but cites nothing",
    );
    assert_eq!(claims[0].column, 7);
    assert_at(
        claims[1],
        22,
        "this sentence leans on research (\"Studies show\") but cites nothing",
    );
    // One report a sentence, and a statistic before an appeal to research.
    assert_at(
        claims[2],
        22,
        "this sentence states a statistic (\"40%\") but cites nothing",
    );
}

#[test]
fn a_numbered_note_pasted_from_elsewhere_is_refused_at_the_note_not_called_uncited() {
    let site = site_with(&with(
        "Some feel sick [@own2019].",
        "Some feel sick [@own2019].\n\nAbout 20% of adults have it.[1] According to the World Health Organization, 5% of adults do.",
    ));
    let problems = site.refused();
    let note = only(&problems, "P007");
    assert_at(note, 22, "`[1]` is a numbered note");
    assert_eq!(note.column, 29);
    assert!(note.hint.as_deref().unwrap().contains("`[@id]`"));
    // The sentence with the note meant a citation, and the next names its
    // source in words: neither is called uncited.
    assert!(
        problems.iter().all(|d| d.code.id() != "P113"),
        "{problems:#?}"
    );
}

/// A note number in brackets or superscript at a sentence's end, as clinic
/// blogs cite, is a numbered note too: refused at the number, never a way
/// for a claim to publish unsourced.
#[test]
fn a_closing_note_number_is_refused_like_a_bracketed_one() {
    let site = site_with(&with(
        "Some feel sick [@own2019].",
        "Some feel sick [@own2019].\n\nAbout 20% of adults have it (1). Studies show it helps.\u{b9}",
    ));
    let problems = site.refused();
    let notes: Vec<_> = problems.iter().filter(|d| d.code.id() == "P007").collect();
    assert_eq!(notes.len(), 2, "{problems:#?}");
    assert_at(notes[0], 22, "`(1)` is a numbered note");
    assert_eq!(notes[0].column, 29);
    assert_at(notes[1], 22, "`\u{b9}` is a numbered note");
    assert!(
        problems.iter().all(|d| d.code.id() != "P113"),
        "{problems:#?}"
    );
}

#[test]
fn uncited_claims_are_errors_where_the_policy_says_so() {
    let site = site_with(&with(
        "Most people feel sleepy [@shared2020].",
        "Most people (about 70%) feel sleepy.",
    ));
    let config = site
        .read("site.yaml")
        .replace("uncited_claims: warning", "uncited_claims: error");
    site.write("site.yaml", &config);
    let problems = site.refused();
    assert!(only(&problems, "P113").is_error());
}

#[test]
fn claims_with_citations_code_and_reference_titles_are_not_flagged() {
    let site = site_with(
        &with("    title: Own study\n", "    title: \"Own study: 75% of people responded\"\n").replace(
            "Most people feel sleepy [@shared2020].",
            "About 70% feel sleepy [@shared2020]. Half of them nap. [@own2019] Use `75% [@nokey]` only in code.\n\n```\nstudies show 80% [@nokey]\n```",
        ),
    );
    let outcome = site.built();
    assert!(
        outcome.warnings.is_empty(),
        "{}",
        pamphlet::diagnostics::to_plain_text(&outcome.warnings)
    );
}

#[test]
fn unsafe_wording_is_a_warning_where_the_policy_says_so() {
    let site = site_with(&with(
        "Some feel sick [@own2019].",
        "Some feel sick [@own2019]. Nobody here committed suicide.",
    ));
    let policy = site.read("site.yaml");
    assert!(!policy.contains("unsafe_wording"));
    site.write(
        "site.yaml",
        &policy.replace("policy:\n", "policy:\n  unsafe_wording: warning\n"),
    );
    let outcome = site.built();
    let warning = only(&outcome.warnings, "P114");
    assert!(!warning.is_error());
    assert_at(warning, 20, "\"committed suicide\"");
}

#[test]
fn unsafe_suicide_wording_is_refused_with_the_preferred_words() {
    let site = site_with(
        &with("title: Effects", "title: When someone committed suicide").replace(
            "Some feel sick [@own2019].",
            "Some feel sick [@own2019]. After a failed attempt, get help.",
        ),
    );
    let problems = site.refused();
    let unsafe_words: Vec<&Diagnostic> =
        problems.iter().filter(|d| d.code.id() == "P114").collect();
    assert_eq!(unsafe_words.len(), 2, "{problems:#?}");
    assert_at(
        unsafe_words[0],
        2,
        "\"committed suicide\" goes against safe-messaging guidance",
    );
    assert_eq!((unsafe_words[0].column), 21);
    assert!(
        unsafe_words[0]
            .hint
            .as_deref()
            .unwrap()
            .contains("\"died by suicide\"")
    );
    assert_at(unsafe_words[1], 20, "\"failed attempt\"");
    assert!(
        unsafe_words[1]
            .hint
            .as_deref()
            .unwrap()
            .contains("\"suicide attempt\"")
    );
}

#[test]
fn a_theme_that_drops_the_reference_list_is_refused() {
    let site = site_with(PASSING);
    let article = site.read("themes/clinic/templates/article.html");
    site.write(
        "themes/clinic/templates/article.html",
        &article.replace("id=\"ref-{{ reference.number }}\"", ""),
    );
    let problems = site.refused();
    assert!(
        problems.iter().any(|d| d.code.id() == "P017"
            && d.message.contains("effects.md")
            && d.message.contains("reference 1 of its reference list")),
        "{problems:#?}"
    );
}

#[test]
fn check_prints_one_json_object_per_problem() {
    let site = site_with(
        &with("topics: [safety]", "topics: [depression]").replace("[@own2019]", "[@own2091]"),
    );
    let output = site.run(&["check", "--format", "json", "--as-of", common::TODAY]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let objects: Vec<serde_json::Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let codes: Vec<&str> = objects
        .iter()
        .map(|o| o["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"P101") && codes.contains(&"P007"),
        "{stdout}"
    );
    let citation = objects.iter().find(|o| o["code"] == "P007").unwrap();
    assert_eq!(citation["file"], ARTICLE);
    assert_eq!(citation["line"], 20);
    assert_eq!(citation["severity"], "error");
    assert_eq!(citation["hint"], "did you mean `[@own2019]`?");
    for field in [
        "file", "line", "column", "code", "severity", "message", "hint",
    ] {
        assert!(citation.get(field).is_some(), "no `{field}` in {citation}");
    }
    assert!(!site.public().exists(), "check must write nothing");
}

/// The fixture with the crisis line required by what a page says, as the
/// included site and `pamphlet init` have it.
fn requiring_the_crisis_line_by_mention(article: &str) -> TestSite {
    let site = site_with(article);
    site.edit(
        "site.yaml",
        "      topics: [depression]\n",
        "      topics: [depression]\n      mentions: [suicid, self-harm, overdos, take their own life]\n",
    );
    site
}

#[test]
fn a_page_that_speaks_of_suicide_needs_the_crisis_line_whatever_its_topics() {
    for (what, sentence, word) in [
        (
            "a stem",
            "Some people have suicidal thoughts [@own2019].",
            "suicidal",
        ),
        ("another case", "SUICIDE is rare [@own2019].", "SUICIDE"),
        (
            "words split over a line",
            "Some try to take their\nown life [@own2019].",
            "take their\nown life",
        ),
        (
            "a non-breaking hyphen",
            "Self\u{2011}harm is a sign [@own2019].",
            "Self\u{2011}harm",
        ),
    ] {
        let article = with("Some feel sick [@own2019].", sentence);
        let site = requiring_the_crisis_line_by_mention(&article);
        let problems = site.refused();
        let missing = only(&problems, "P101");
        assert!(
            missing.message.contains(&format!("mentions \"{word}\""))
                && missing.message.contains("`crisis-line`"),
            "{what}: {}",
            missing.message
        );
        // Listing it is the fix.
        site.write(
            ARTICLE,
            &article.replace(
                "disclaimers: [medical-advice]",
                "disclaimers: [medical-advice, crisis-line]",
            ),
        );
        site.built();
    }
    // With no topics at all, the same; and a warning that topics are missing.
    let untagged = with("topics: [safety]\n", "").replace("Some feel sick", "Some feel suicidal");
    let site = requiring_the_crisis_line_by_mention(&untagged);
    let problems = site.refused();
    only(&problems, "P101");
    assert!(
        problems.iter().any(|d| d.code.id() == "P122"),
        "{problems:?}"
    );
    // A page that does not speak of it does not need it.
    requiring_the_crisis_line_by_mention(PASSING).built();
}

#[test]
fn safe_messaging_wording_is_judged_in_context() {
    let refused = |sentence: &str| -> Vec<String> {
        let site = site_with(&with("Some feel sick [@own2019].", sentence));
        match site.build() {
            Ok(_) => Vec::new(),
            Err(BuildError::Refused(problems)) => problems
                .iter()
                .filter(|d| d.code.id() == "P114")
                .map(|d| d.message.clone())
                .collect(),
            Err(error) => panic!("{error}"),
        }
    };
    for unsafe_words in [
        "The suicide victim was young [@own2019].",
        "After a suicide bid, people need care [@own2019].",
        "Suicide rates are skyrocketing [@own2019].",
        "After a failed attempt, suicide risk stays high [@own2019].",
        "A failed suicide attempt is a warning sign [@own2019].",
    ] {
        assert_eq!(refused(unsafe_words).len(), 1, "{unsafe_words}");
    }
    for fine in [
        // An attempt at something else, on a page that speaks of suicide.
        "After a failed attempt to place the IV, suicide risk is not the topic [@own2019].",
        // And with no mention of suicide at all.
        "The nurse made a failed attempt at the vein [@own2019].",
        "It took two attempts, and the second was successful [@own2019].",
    ] {
        assert_eq!(refused(fine), Vec::<String>::new(), "{fine}");
    }
}

#[test]
fn promotional_claims_are_named_even_when_cited_and_refused_where_the_policy_says_so() {
    let claim = with(
        "Some feel sick [@own2019].",
        "Some feel sick [@own2019]. It cures depression and has no side effects [@own2019].",
    );
    // The fixture's policy leaves the level at its default: a warning.
    let site = site_with(&claim);
    let warning = common::only(&site.built().warnings, "P123").clone();
    assert_at(&warning, 20, "\"cures\" is a promotional or absolute claim");
    assert!(
        warning
            .hint
            .as_deref()
            .unwrap()
            .contains("may ease symptoms for some people")
    );
    site.edit(
        "site.yaml",
        "  uncited_claims: warning\n",
        "  uncited_claims: warning\n  promotional_claims: error\n",
    );
    let problems = site.refused();
    only(&problems, "P123");
    // Honest wording passes.
    site.write(
        ARTICLE,
        &with(
            "Some feel sick [@own2019].",
            "Some feel sick [@own2019]. There is no cure, but it may help some people [@own2019].",
        ),
    );
    site.built();
}
