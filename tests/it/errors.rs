//! Every way content is refused: each test breaks the `basic` fixture in one
//! way and asserts what a clinic editor would be told (file, line, column,
//! message, fix) and what the command line returns.

use crate::common;

use std::path::Path;

use common::{TestSite, only};

const ARTICLE: &str = "content/articles/effects.md";

fn effects_with(front_extra: &str, body: &str) -> String {
    format!(
        "---\ntitle: Effects\n{front_extra}references:\n  - id: shared2020\n---\n## Common effects {{#common}}\n\n{body}\n"
    )
}

#[test]
fn yaml_syntax_error_names_file_line_and_says_how_to_fix() {
    let site = TestSite::fixture("basic");
    site.write(
        ARTICLE,
        "---\ntitle: Effects\nsummary: \"never closed\n---\nText.\n",
    );
    let problems = site.refused();
    let problem = only(&problems, "P004");
    assert_eq!(problem.file.as_deref(), Some(Path::new(ARTICLE)));
    // Where the quote was opened, not where libyaml gave up looking for its end.
    assert_eq!((problem.line, problem.column), (3, 10));
    assert_eq!(
        problem.message,
        "the front matter is not valid YAML: a text in quotes is never closed"
    );
    assert_eq!(
        problem.hint.as_deref(),
        Some("add the closing quote mark at the end of the text")
    );
}

#[test]
fn a_colon_in_an_unquoted_title_is_explained_with_an_example_fix() {
    let site = TestSite::fixture("basic");
    site.write(ARTICLE, "---\ntitle: Ketamine: what to know\n---\nText.\n");
    let problems = site.refused();
    let problem = only(&problems, "P004");
    assert_eq!((problem.line, problem.column), (2, 16));
    assert!(
        problem
            .message
            .ends_with("a `:` appears where YAML does not expect one")
    );
    assert!(problem.hint.as_deref().unwrap().contains("in quotes"));
}

#[test]
fn unknown_field_is_refused_with_the_closest_known_field() {
    let site = TestSite::fixture("basic");
    site.write(
        ARTICLE,
        "---\ntitle: Effects\nsumary: Typo here.\n---\nText.\n",
    );
    let problems = site.refused();
    let problem = only(&problems, "P005");
    assert_eq!(problem.file.as_deref(), Some(Path::new(ARTICLE)));
    assert_eq!((problem.line, problem.column), (3, 1));
    assert_eq!(problem.message, "`sumary` is not a field Pamphlet knows");
    assert!(
        problem
            .hint
            .as_deref()
            .unwrap()
            .starts_with("did you mean `summary`?"),
        "{:?}",
        problem.hint
    );
}

#[test]
fn missing_title_and_bad_date_are_explained() {
    let site = TestSite::fixture("basic");
    site.write(ARTICLE, "---\nsummary: No title.\n---\nText.\n");
    site.write(
        "content/articles/citations.md",
        "---\ntitle: Dates\nreview:\n  reviewed_on: 2026-31-01\n---\nText.\n",
    );
    let problems = site.refused();
    let titles: Vec<_> = problems
        .iter()
        .filter(|d| d.message.contains("`title` is missing"))
        .collect();
    assert_eq!(titles.len(), 1, "{problems:#?}");
    assert_eq!(titles[0].file.as_deref(), Some(Path::new(ARTICLE)));
    let date = problems
        .iter()
        .find(|d| d.message.contains("2026-31-01"))
        .expect("a date problem");
    assert!(
        date.message.contains("there is no month 31"),
        "{}",
        date.message
    );
    assert!(date.hint.as_deref().unwrap().contains("year-month-day"));
    assert_eq!((date.line, date.column), (4, 16));
}

#[test]
fn missing_and_unclosed_front_matter_are_reported() {
    let site = TestSite::fixture("basic");
    site.write(ARTICLE, "## Just text\n");
    site.write(
        "content/articles/citations.md",
        "---\ntitle: Never closed\n\nText.\n",
    );
    let problems = site.refused();
    assert_eq!(
        only(&problems, "P002").file.as_deref(),
        Some(Path::new(ARTICLE))
    );
    let unclosed = only(&problems, "P003");
    assert_eq!(unclosed.line, 1);
    assert!(
        unclosed
            .hint
            .as_deref()
            .unwrap()
            .contains("add a line `---`")
    );
}

#[test]
fn unknown_citation_key_points_at_the_citation_and_suggests_the_key() {
    let site = TestSite::fixture("basic");
    site.write(
        ARTICLE,
        &effects_with("", "Most people feel sleepy [@shared202]."),
    );
    let problems = site.refused();
    let problem = only(&problems, "P007");
    assert_eq!(problem.file.as_deref(), Some(Path::new(ARTICLE)));
    assert_eq!((problem.line, problem.column), (8, 25));
    assert_eq!(
        problem.message,
        "the citation `@shared202` matches no reference of this article"
    );
    assert_eq!(
        problem.hint.as_deref(),
        Some("did you mean `[@shared2020]`?")
    );
}

#[test]
fn links_to_missing_articles_and_anchors_are_refused_with_their_line() {
    let site = TestSite::fixture("basic");
    site.write(
        ARTICLE,
        &effects_with(
            "",
            "See [citations](citation.md) [@shared2020].\n\nAnd [a part](citations.md#no-such-part).\n\nAnd [here](#commn).",
        ),
    );
    let problems = site.refused();
    let link = only(&problems, "P008");
    assert_eq!((link.line, link.column), (8, 5));
    assert_eq!(
        link.message,
        "this links to `content/articles/citation.md`, which does not exist"
    );
    assert!(
        link.hint
            .as_deref()
            .unwrap()
            .contains("did you mean `citations.md`?"),
        "{:?}",
        link.hint
    );
    let anchors: Vec<_> = problems.iter().filter(|d| d.code.id() == "P009").collect();
    assert_eq!(anchors.len(), 2, "{problems:#?}");
    assert_eq!(anchors[0].line, 10);
    assert!(
        anchors[0]
            .message
            .contains("has no heading with the anchor `#no-such-part`")
    );
    assert_eq!(anchors[1].line, 12);
    assert_eq!(anchors[1].hint.as_deref(), Some("did you mean `#common`?"));
}

#[test]
fn a_link_to_a_draft_is_refused_because_the_draft_is_not_published() {
    let site = TestSite::fixture("basic");
    site.write(
        ARTICLE,
        &effects_with("", "See [the draft](unfinished.md) [@shared2020]."),
    );
    let problems = site.refused();
    assert!(only(&problems, "P008").message.contains("is a draft"));
}

#[test]
fn drafts_are_checked_but_only_warn() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/articles/unfinished.md",
        "---\ntitle: Unfinished\ndraft: true\n---\nA claim [@nothing].\n",
    );
    let outcome = site.built();
    let warning = only(&outcome.warnings, "P007");
    assert_eq!(
        warning.file.as_deref(),
        Some(Path::new("content/articles/unfinished.md"))
    );
    assert!(!warning.is_error());
}

#[test]
fn id_only_reference_missing_from_the_bibliography_is_refused() {
    let site = TestSite::fixture("basic");
    site.write(
        ARTICLE,
        "---\ntitle: Effects\nreferences:\n  - id: shared2021\n---\nText [@shared2021].\n",
    );
    let problems = site.refused();
    let problem = only(&problems, "P010");
    assert_eq!(problem.line, 4);
    assert!(
        problem
            .hint
            .as_deref()
            .unwrap()
            .contains("did you mean `shared2020`?")
    );
}

#[test]
fn unknown_topic_and_disclaimer_ids_are_refused_with_suggestions() {
    let site = TestSite::fixture("basic");
    site.write(
        ARTICLE,
        &effects_with(
            "topics: [depresion]\ndisclaimers: [medical-advise]\n",
            "Text [@shared2020].",
        ),
    );
    let problems = site.refused();
    let topic = only(&problems, "P013");
    assert_eq!((topic.line, topic.column), (3, 10));
    assert!(
        topic
            .hint
            .as_deref()
            .unwrap()
            .starts_with("did you mean `depression`?")
    );
    let disclaimer = only(&problems, "P014");
    assert_eq!(disclaimer.line, 4);
    assert!(
        disclaimer
            .hint
            .as_deref()
            .unwrap()
            .starts_with("did you mean `medical-advice`?")
    );
}

#[test]
fn two_files_for_one_address_are_refused() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/articles/effects/_index.md",
        "---\ntitle: Clash\n---\n",
    );
    let problems = site.refused();
    assert!(
        only(&problems, "P012")
            .message
            .contains("articles/effects/index.html")
    );
}

#[test]
fn every_problem_of_a_build_is_reported_together() {
    let site = TestSite::fixture("basic");
    site.write(ARTICLE, "---\ntitle: Effects\nsumary: typo\n---\n");
    site.write(
        "content/articles/citations.md",
        "---\ntitle: Citations\n---\nA claim [@nobody] and [a link](nowhere.md).\n",
    );
    let problems = site.refused();
    let codes: Vec<&str> = problems.iter().map(|d| d.code.id()).collect();
    assert!(
        codes.contains(&"P005") && codes.contains(&"P007") && codes.contains(&"P008"),
        "{codes:?}"
    );
}

#[test]
fn a_theme_that_drops_the_disclaimer_marker_is_refused_at_verification() {
    let site = TestSite::fixture("basic");
    let article = site.read("themes/clinic/templates/article.html");
    site.write(
        "themes/clinic/templates/article.html",
        &article.replace("data-disclaimer=\"{{ disclaimer.id }}\"", ""),
    );
    let problems = site.refused();
    let problem = problems
        .iter()
        .find(|d| d.code.id() == "P017" && d.message.contains("effects.md"))
        .expect("a verification problem for effects.md");
    assert!(
        problem
            .message
            .contains("does not show the disclaimer `medical-advice`"),
        "{}",
        problem.message
    );
    assert_eq!(
        problem.file.as_deref(),
        Some(Path::new("themes/clinic/templates/article.html"))
    );
}

#[test]
fn a_template_syntax_error_names_the_template() {
    let site = TestSite::fixture("basic");
    site.write("templates/section.html", "{% if %}\n");
    let problems = site.refused();
    let problem = only(&problems, "P015");
    assert_eq!(
        problem.file.as_deref(),
        Some(Path::new("templates/section.html"))
    );
    assert_eq!(problem.line, 1);
}

/// A build writes its pages one at a time after its other files; a
/// template failing in both kinds must still be reported together, for
/// `build` as for `check`.
#[test]
fn template_failures_in_pages_and_in_site_files_are_reported_together() {
    let site = TestSite::fixture("basic");
    site.write("templates/404.html", "{{ no_such_value }}\n");
    site.write("templates/article.html", "{{ no_such_value }}\n");
    for problems in [site.refused(), {
        let mut options = site.options();
        options.out = None;
        match pamphlet::check(&options) {
            Err(pamphlet::BuildError::Refused(problems)) => problems,
            other => panic!("check was not refused: {other:?}"),
        }
    }] {
        let failing: std::collections::BTreeSet<String> = problems
            .iter()
            .filter_map(|d| d.file.as_deref().map(|f| f.display().to_string()))
            .collect();
        assert!(failing.contains("templates/404.html"), "{failing:?}");
        assert!(failing.contains("templates/article.html"), "{failing:?}");
    }
    assert!(!site.public().exists());
}

#[test]
fn the_command_line_exits_1_and_prints_file_line_marker_and_help() {
    let site = TestSite::fixture("basic");
    site.write(
        ARTICLE,
        &effects_with("", "Most people feel sleepy [@shared202]."),
    );
    let output = site.run(&["build", "--as-of", common::TODAY]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("error[P007]"), "{stderr}");
    assert!(
        stderr.contains("content/articles/effects.md:8:25"),
        "{stderr}"
    );
    assert!(
        stderr.contains("Most people feel sleepy [@shared202]."),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: did you mean `[@shared2020]`?"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was published"), "{stderr}");
    assert!(!site.public().exists());
}

#[test]
fn missing_site_yaml_is_an_environment_error_with_exit_2() {
    let site = TestSite::fixture("basic");
    site.remove("site.yaml");
    let output = site.run(&["build"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no site.yaml in"), "{stderr}");
    let error = pamphlet::build(&site.options()).unwrap_err();
    assert_eq!(
        error.trouble(),
        Some(pamphlet::Trouble::NotASite),
        "{error}"
    );
    assert_eq!(error.exit_code(), 2);
}

#[test]
fn bad_usage_exits_2() {
    let site = TestSite::fixture("basic");
    assert_eq!(
        site.run(&["build", "--as-of", "yesterday"]).status.code(),
        Some(2)
    );
    assert_eq!(site.run(&["publish-everything"]).status.code(), Some(2));
}

#[test]
fn publishing_over_the_site_folder_itself_is_refused() {
    let site = TestSite::fixture("basic");
    let output = site.run(&["build", "--out", "."]);
    assert_eq!(output.status.code(), Some(2));
    assert!(site.root().join("site.yaml").is_file());
    let mut options = site.options();
    options.out = Some(site.root().to_path_buf());
    let error = pamphlet::build(&options).unwrap_err();
    assert_eq!(
        error.trouble(),
        Some(pamphlet::Trouble::UnsafeOutput),
        "{error}"
    );
}

#[test]
fn the_command_line_builds_and_check_writes_nothing() {
    let site = TestSite::fixture("basic");
    let check = site.run(&["check", "--as-of", common::TODAY]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(!site.public().exists());
    let build = site.run(&["build", "--as-of", common::TODAY]);
    assert_eq!(build.status.code(), Some(0));
    assert!(site.public().join("articles/effects/index.html").is_file());
}

#[test]
fn a_citation_without_its_at_sign_is_refused_where_it_is_written() {
    let site = TestSite::fixture("basic");
    site.edit(
        "content/articles/effects.md",
        "[@shared2020]",
        "[shared2020]",
    );
    let problems = site.refused();
    let problem = problems
        .iter()
        .find(|d| d.message.contains("without its `@`"))
        .unwrap_or_else(|| panic!("{problems:#?}"));
    assert_eq!(problem.code.id(), "P007");
    let text = site.read("content/articles/effects.md");
    let line = text
        .lines()
        .position(|l| l.contains("[shared2020]"))
        .unwrap()
        + 1;
    let column = text
        .lines()
        .nth(line - 1)
        .unwrap()
        .find("[shared2020]")
        .unwrap()
        + 1;
    assert_eq!((problem.line, problem.column), (line, column));
    assert_eq!(
        problem.hint.as_deref(),
        Some("write `[@shared2020]` to cite the reference `shared2020`")
    );
    // A link whose text happens to be an id is not a citation.
    site.edit(
        "content/articles/effects.md",
        "[shared2020]",
        "[@shared2020] [shared2020](https://example.org/)",
    );
    site.built();
}

#[test]
fn images_and_files_that_are_missing_miscapitalised_or_undescribed_are_refused_where_written() {
    let site = TestSite::fixture("basic");
    site.write("content/articles/arm.png", "png");
    site.write("content/files/Leaflet.pdf", "pdf");
    site.write(
        ARTICLE,
        &effects_with(
            "",
            "Text [@shared2020].\n\n![The arm](arm.PNG)\n\n![](arm.png)\n\n[Leaflet](../files/leaflet.pdf)\n\n![A scan](scan.png)\n\n[Home](/articles/efects/)\n\n![A page](citations.md)\n\n[Up](../../../x.pdf)\n",
        ),
    );
    let problems = site.refused();
    let at = |line: usize| {
        problems
            .iter()
            .find(|d| d.line == line)
            .unwrap_or_else(|| panic!("nothing at line {line}: {problems:#?}"))
    };
    let case = at(10);
    assert_eq!((case.code.id(), case.column), ("P008", 1), "{case:#?}");
    assert!(case.message.contains("the capitals differ"), "{case:#?}");
    assert!(
        case.hint.as_deref().unwrap().starts_with("write `arm.png`"),
        "{case:#?}"
    );
    let undescribed = at(12);
    assert_eq!(undescribed.code.id(), "P124");
    assert!(
        undescribed
            .hint
            .as_deref()
            .unwrap()
            .contains("![decorative]")
    );
    let leaflet = at(14);
    assert!(
        leaflet
            .message
            .contains("`files/leaflet.pdf`, but the file is called `files/Leaflet.pdf`"),
        "{leaflet:#?}"
    );
    assert!(
        leaflet
            .hint
            .as_deref()
            .unwrap()
            .contains("`../files/Leaflet.pdf`"),
        "{leaflet:#?}"
    );
    let missing = at(16);
    assert_eq!(
        missing.message,
        "this image points at `articles/scan.png`, which is not in the site"
    );
    let root_absolute = at(18);
    assert!(
        root_absolute.message.contains("`articles/efects`"),
        "{root_absolute:#?}"
    );
    assert!(
        root_absolute
            .hint
            .as_deref()
            .unwrap()
            .contains("did you mean `effects`?"),
        "{root_absolute:#?}"
    );
    assert!(at(20).message.contains("not at a picture"), "{:#?}", at(20));
    assert!(
        at(22).message.contains("climbs out of the site"),
        "{:#?}",
        at(22)
    );
    let about_files = problems.iter().filter(|d| d.line > 1).count();
    assert_eq!(about_files, 7, "{problems:#?}");

    // The same, as an editor running the command sees it.
    let output = site.run(&["build", "--as-of", common::TODAY]);
    assert_eq!(output.status.code(), Some(1));
    let printed = String::from_utf8_lossy(&output.stderr);
    for expected in [
        "error[P008]: this image points at `articles/arm.PNG`, but the file is called `articles/arm.png`: the capitals differ",
        "content/articles/effects.md:10:1",
        "= help: write `arm.png`",
        "error[P124]: this image has no text description",
        "content/articles/effects.md:12:1",
    ] {
        assert!(
            printed.contains(expected),
            "{expected:?} not in:\n{printed}"
        );
    }
    assert!(!site.public().exists(), "a refused build published");
}

/// A news report graded as the regulator's own statement is named at its
/// address; graded as news, patients see "News report" beside it.
#[test]
fn a_reference_graded_regulatory_must_be_on_a_regulators_site() {
    let site = TestSite::included();
    let original = site.read("content/references.yaml");
    let fda_page = "  url: https://www.fda.gov/drugs/human-drug-compounding/fda-warns-patients-and-health-care-providers-about-potential-risks-associated-compounded-ketamine\n  evidence: regulatory";
    assert!(original.contains(fda_page));
    let news_report = "  url: https://scrippsnews.com/stories/fda-warns-of-risks-involved-with-compounded-ketamine-products\n  evidence: regulatory";
    site.edit("content/references.yaml", fda_page, news_report);
    site.sign_off_edits();
    let outcome = site.build().expect("a warning does not stop the build");
    let problems = &outcome.warnings;
    let warning = only(problems, "P127");
    assert!(
        warning
            .message
            .contains("`scrippsnews.com` is not a regulator's site"),
        "{}",
        warning.message
    );
    assert_eq!(
        warning.file.as_deref(),
        Some(Path::new("content/references.yaml"))
    );
    let url_line = original
        .lines()
        .position(|l| l.contains("compounded-ketamine"))
        .unwrap()
        + 1;
    assert_eq!(warning.line, url_line);
    // The FDA's own pages and the labels on DailyMed pass.
    assert_eq!(problems.iter().filter(|d| d.code.id() == "P127").count(), 1);

    site.edit(
        "content/references.yaml",
        news_report,
        &news_report.replace("evidence: regulatory", "evidence: news"),
    );
    site.sign_off_edits();
    site.built();
    let ptsd = site.read("public/conditions/ptsd/index.html");
    assert!(
        ptsd.contains("News report"),
        "the news report is not labelled as news"
    );
}
