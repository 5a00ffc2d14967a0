//! The reviewers' report and sign-off, on the `basic` fixture: the JSON is
//! the specification, and the HTML and CSV must say the same thing.

use crate::common;

use common::{TestSite, attributes, texts};
use pamphlet::model::Date;
use serde_json::Value;

fn report(site: &TestSite) -> Value {
    report_as_of(site, common::TODAY)
}

fn report_as_of(site: &TestSite, day: &str) -> Value {
    let mut options = site.options();
    options.today = Date::parse(day).unwrap();
    pamphlet::report::write(&options, &site.root().join("reports"))
        .unwrap_or_else(|e| panic!("{e:?}"));
    serde_json::from_str(&site.read("reports/report.json")).unwrap()
}

fn article<'r>(report: &'r Value, file: &str) -> &'r Value {
    report["articles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["file"] == file)
        .unwrap_or_else(|| panic!("no {file} in the report"))
}

const CITATIONS: &str = "content/articles/citations.md";
const EFFECTS: &str = "content/articles/effects.md";

#[test]
fn each_reference_lists_the_sentences_that_cite_it_with_their_lines() {
    let site = TestSite::fixture("basic");
    let report = report(&site);
    let references = article(&report, CITATIONS)["references"]
        .as_array()
        .unwrap();
    let zeta = &references[0];
    assert_eq!(zeta["id"], "zeta");
    assert_eq!(zeta["number"], 1);
    let citing: Vec<(u64, &str)> = zeta["citations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["line"].as_u64().unwrap(), c["sentence"].as_str().unwrap()))
        .collect();
    assert_eq!(
        citing,
        [
            (34, "The first claim cites zeta."),
            (36, "The second claim cites two.")
        ]
    );
    let shared = &references[3];
    assert_eq!(shared["id"], "shared2020");
    assert_eq!(shared["citations"][0]["line"], 40);
}

#[test]
fn numbering_in_the_report_is_the_numbering_on_the_page() {
    let site = TestSite::fixture("basic");
    site.built();
    let report = report(&site);
    let page = site.page("articles/citations/index.html");
    let on_page = texts(&page, ".references li");
    for reference in article(&report, CITATIONS)["references"]
        .as_array()
        .unwrap()
    {
        let number = reference["number"].as_u64().unwrap() as usize;
        let title = reference["title"].as_str().unwrap();
        assert!(
            on_page[number - 1].contains(title),
            "reference {number} on the page is {:?}",
            on_page[number - 1]
        );
    }
}

#[test]
fn the_bibliography_counts_a_work_once_by_doi_or_pmid_and_flags_conflicting_records() {
    let site = TestSite::fixture("basic");
    // The same alpha study by DOI (in another case), and the shared study by
    // PMID under another id with another year.
    site.edit(
        EFFECTS,
        "  - id: shared2020\n---",
        "  - id: shared2020\n  - id: alpha-again\n    title: Alpha study\n    source: Journal A\n    year: 2001\n    doi: 10.1000/ALPHA\n  - id: shared-copy\n    title: A shared reference\n    source: Journal of Shared Things\n    year: 2019\n    pmid: 12345678\n---",
    );
    site.edit(
        EFFECTS,
        "Most people feel sleepy [@shared2020].",
        "Most people feel sleepy [@shared2020; @alpha-again; @shared-copy].",
    );
    let report = report(&site);
    let works = report["bibliography"].as_array().unwrap();
    let alpha: Vec<&Value> = works
        .iter()
        .filter(|w| w["title"] == "Alpha study")
        .collect();
    assert_eq!(alpha.len(), 1, "{works:#?}");
    assert_eq!(
        alpha[0]["cited_by"],
        serde_json::json!([CITATIONS, EFFECTS])
    );
    assert_eq!(alpha[0]["conflict"], false);
    let shared: Vec<&Value> = works.iter().filter(|w| w["pmid"] == "12345678").collect();
    assert_eq!(shared.len(), 1);
    assert_eq!(shared[0]["conflict"], true);
    assert_eq!(shared[0]["records"].as_array().unwrap().len(), 2);
    // zeta, alpha, beta, shared: four distinct works.
    assert_eq!(report["summary"]["references"], 4);
    // The check stage reports the conflict too.
    assert_eq!(report["summary"]["problems"]["P106"]["errors"], 1);
}

#[test]
fn articles_are_ranked_expired_then_changed_then_due_soon() {
    let site = TestSite::fixture("basic");
    site.write(
        "content/articles/stale.md",
        "---\ntitle: Stale\ndisclaimers: [medical-advice]\nreview:\n  reviewed_by: R\n  reviewed_on: 2024-01-01\n  next_review: 2026-11-01\nreferences:\n  - id: shared2020\n---\nText [@shared2020].\n",
    );
    site.edit(
        EFFECTS,
        "next_review: 2027-09-01",
        "next_review: 2026-12-01",
    );
    let approve = site.run(&[
        "approve",
        CITATIONS,
        "--reviewer",
        "A. Reviewer, MD",
        "--as-of",
        common::TODAY,
    ]);
    assert_eq!(
        approve.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&approve.stderr)
    );
    site.edit(
        CITATIONS,
        "The first claim cites zeta",
        "The first claim, now edited, cites zeta",
    );
    let report = report(&site);
    let ranked: Vec<(&str, &str)> = report["attention"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["file"].as_str().unwrap(),
                a["reasons"][0].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        ranked,
        [
            ("content/articles/stale.md", "review expired on 2026-11-01"),
            (CITATIONS, "text or references changed since sign-off"),
            (EFFECTS, "review due on 2026-12-01"),
        ]
    );
    let statuses = &report["summary"]["review_status"];
    assert_eq!(
        (
            statuses["expired"].as_u64(),
            statuses["changed-since-review"].as_u64()
        ),
        (Some(1), Some(1))
    );
}

#[test]
fn the_html_report_shows_the_same_numbers_without_scripts_or_outside_files() {
    let site = TestSite::fixture("basic");
    let report = report(&site);
    let html = scraper::Html::parse_document(&site.read("reports/index.html"));
    for (id, key) in [
        ("count-articles", "articles"),
        ("count-references", "references"),
        ("count-citations", "citations"),
    ] {
        assert_eq!(
            texts(&html, &format!("#{id}")),
            [report["summary"][key].to_string()]
        );
    }
    let rows = texts(
        &html,
        "#content-articles-citations-md table.references td.number",
    );
    assert_eq!(rows, ["1", "2", "3", "4"]);
    let zeta_row = texts(&html, "#content-articles-citations-md-ref-1 .cites li");
    assert_eq!(
        zeta_row,
        [
            "line 34: The first claim cites zeta.",
            "line 36: The second claim cites two."
        ]
    );
    assert!(attributes(&html, "script", "src").is_empty() && texts(&html, "script").is_empty());
    assert!(
        attributes(&html, "link", "href").is_empty(),
        "the report must open from the file system alone"
    );
}

#[test]
fn a_reference_whose_authors_end_in_et_al_reads_as_one_sentence() {
    let site = TestSite::fixture("basic");
    let bibliography = site.read("content/references.yaml");
    site.write(
        "content/references.yaml",
        &bibliography.replace("[Shared A]", "[Shared A, et al.]"),
    );
    report(&site);
    let html = scraper::Html::parse_document(&site.read("reports/index.html"));
    let shared = texts(
        &html,
        "#content-articles-citations-md table.references td:nth-child(2)",
    )
    .into_iter()
    .find(|text| text.contains("Shared A"))
    .expect("the shared reference is listed");
    assert!(
        shared.starts_with("Shared A, et al. A shared reference."),
        "{shared}"
    );
}

#[test]
fn the_csv_has_one_row_per_citation_and_reads_back() {
    let site = TestSite::fixture("basic");
    let report = report(&site);
    let mut reader = csv::Reader::from_path(site.root().join("reports/citations.csv")).unwrap();
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        headers,
        [
            "article",
            "reference_id",
            "number",
            "line",
            "sentence",
            "doi",
            "pmid",
            "url",
            "evidence"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let expected: usize = report["articles"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["references"].as_array().unwrap())
        .map(|r| r["citations"].as_array().unwrap().len())
        .sum();
    assert_eq!(rows.len(), expected);
    let alpha = rows
        .iter()
        .find(|r| &r[0] == CITATIONS && &r[1] == "alpha")
        .unwrap();
    assert_eq!(
        (&alpha[2], &alpha[3], &alpha[5]),
        ("2", "36", "10.1000/alpha")
    );
    assert_eq!(&alpha[4], "The second claim cites two.");
}

#[test]
fn reading_grades_match_hand_computed_values() {
    let site = TestSite::fixture("basic");
    // 10 words, 2 sentences, 10 syllables, no word of 3+ syllables:
    // FK = 0.39*5 + 11.8*1 - 15.59 = -1.84; SMOG = 3.1291.
    site.edit(
        EFFECTS,
        "Most people feel sleepy [@shared2020].",
        "The cat sat on the mat [@shared2020]. The dog ran fast.",
    );
    // As Python textstat 0.7.13 counts them (CMUdict, and pyphen for
    // words it lacks): Ketamine(2, hyphenated "keta-mine") is an
    // anesthetic(4) medicine(3); Doctors(2) use it with care: 10 words,
    // 2 sentences, 17 syllables, 2 polysyllables:
    // FK = 0.39*5 + 11.8*1.7 - 15.59 = 6.42; SMOG = 1.043*sqrt(30) + 3.1291 = 8.84,
    // which is what textstat.flesch_kincaid_grade and smog_index give.
    site.write(
        "content/articles/readable.md",
        "---\ntitle: Readable\ndisclaimers: [medical-advice]\nreview:\n  reviewed_by: R\n  reviewed_on: 2026-09-01\n  next_review: 2027-09-01\nreferences:\n  - id: shared2020\n---\n## Plain words\n\nKetamine is an anesthetic medicine [@shared2020]. Doctors use it with care.\n\n| Not counted | in tables |\n|---|---|\n| Extraordinarily complicated vocabulary. | Unbelievably. |\n\n```\nNor counted in code.\n```\n",
    );
    let report = report(&site);
    let simple = &article(&report, EFFECTS)["reading"];
    assert_eq!(
        (
            simple["words"].as_u64(),
            simple["sentences"].as_u64(),
            simple["syllables"].as_u64()
        ),
        (Some(10), Some(2), Some(10))
    );
    assert_eq!(simple["flesch_kincaid_grade"], -1.8);
    assert_eq!(simple["smog_grade"], 3.1);
    let harder = &article(&report, "content/articles/readable.md")["reading"];
    let counted = (
        harder["syllables"].as_u64(),
        harder["polysyllables"].as_u64(),
    );
    assert_eq!(counted, (Some(17), Some(2)), "{harder}");
    assert_eq!(harder["flesch_kincaid_grade"], 6.4);
    assert_eq!(harder["smog_grade"], 8.8);
}

#[test]
fn approve_changes_only_the_review_values_and_an_edit_flips_the_status() {
    let site = TestSite::fixture("basic");
    let before = site.read(EFFECTS).replace(
        "review:\n",
        "# Signed off by the clinical lead.\nreview:   # the sign-off\n",
    );
    site.write(EFFECTS, &before);
    let output = site.run(&[
        "approve",
        EFFECTS,
        "--reviewer",
        "B. Clinician, MD (Psychiatry)",
        "--as-of",
        common::TODAY,
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let after = site.read(EFFECTS);
    let hash_line = after
        .lines()
        .find(|l| l.starts_with("  approved_sha256: "))
        .unwrap();
    assert_eq!(hash_line.len(), "  approved_sha256: ".len() + 64);
    // Apart from the one added line, the files match line for line.
    let after_without_hash: Vec<&str> = after.lines().filter(|l| *l != hash_line).collect();
    assert_eq!(after_without_hash.len(), before.lines().count());
    assert!(
        after.ends_with('\n') && after.matches('\n').count() == before.matches('\n').count() + 1
    );
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after_without_hash.iter().copied())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(
        changed,
        [
            (
                "  reviewed_by: \"Reviewer (example), MD\"",
                "  reviewed_by: \"B. Clinician, MD (Psychiatry)\""
            ),
            ("  reviewed_on: 2026-09-01", "  reviewed_on: 2026-11-21"),
            ("  next_review: 2027-09-01", "  next_review: 2029-11-21"),
        ]
    );
    assert_eq!(article(&report(&site), EFFECTS)["status"], "current");
    assert!(site.built().warnings.is_empty());

    site.edit(
        EFFECTS,
        "Most people feel sleepy",
        "Most people feel very sleepy",
    );
    assert_eq!(
        article(&report(&site), EFFECTS)["status"],
        "changed-since-review"
    );
    let warning = common::only(&site.built().warnings, "P115").clone();
    assert_eq!(warning.file.as_deref(), Some(std::path::Path::new(EFFECTS)));
    assert!(
        warning
            .hint
            .as_deref()
            .unwrap()
            .contains("pamphlet approve content/articles/effects.md")
    );
}

#[test]
fn approve_refuses_a_next_review_beyond_the_policy_and_writes_nothing() {
    let site = TestSite::fixture("basic");
    let before = site.read(EFFECTS);
    let output = site.run(&[
        "approve",
        EFFECTS,
        "--reviewer",
        "R",
        "--next-review",
        "2031-01-01",
        "--as-of",
        common::TODAY,
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no later than 2029-11-21"));
    assert_eq!(site.read(EFFECTS), before);
}

/// The `basic` fixture with `sign_off: required`, as the included site and
/// `pamphlet init` have it.
fn requiring_sign_off() -> TestSite {
    let site = TestSite::fixture("basic");
    site.edit(
        "site.yaml",
        "    warn_days_before: 30\n",
        "    warn_days_before: 30\n    sign_off: required\n",
    );
    // Only effects.md is left to sign off in these tests.
    site.edit(
        "site.yaml",
        "non_clinical: [about.md]",
        "non_clinical: [about.md, articles/citations.md]",
    );
    site
}

fn approve(site: &TestSite, file: &str) -> std::process::Output {
    site.run(&[
        "approve",
        file,
        "--reviewer",
        "B. Clinician, MD",
        "--as-of",
        common::TODAY,
    ])
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn under_a_required_sign_off_nothing_typed_by_hand_makes_an_article_publishable() {
    let site = requiring_sign_off();
    // Review dates typed by hand, as the fixture has them, are not a sign-off.
    let build = site.run(&["build", "--as-of", common::TODAY]);
    assert_eq!(build.status.code(), Some(1), "{}", stderr(&build));
    assert!(stderr(&build).contains("P120") && stderr(&build).contains("effects.md"));
    assert!(stderr(&build).contains("pamphlet approve content/articles/effects.md"));

    let approved = approve(&site, EFFECTS);
    assert_eq!(approved.status.code(), Some(0), "{}", stderr(&approved));
    assert!(stderr(&approved).contains("recorded in signoffs/articles/effects/2026-11-21-"));
    let signed = site.read(EFFECTS);
    let build = site.run(&["build", "--as-of", common::TODAY]);
    assert_eq!(build.status.code(), Some(0), "{}", stderr(&build));

    let hash_line = signed
        .lines()
        .find(|l| l.contains("approved_sha256:"))
        .unwrap();
    let forgeries = [
        (
            "the fingerprint deleted",
            signed.replace(&format!("{hash_line}\n"), ""),
            "P120",
        ),
        (
            "the text edited",
            signed.replace("Most people", "Everyone"),
            "P115",
        ),
        (
            "a reference edited",
            signed.replace("  - id: shared2020", "  - id: shared2020\n  - id: own2019"),
            "P115",
        ),
        (
            "the fingerprint altered",
            signed.replace(&hash_line[hash_line.len() - 4..], "0000"),
            "P115",
        ),
        (
            "the date typed over",
            signed.replace("reviewed_on: 2026-11-21", "reviewed_on: 2026-11-20"),
            "P121",
        ),
        (
            "the reviewer typed over",
            signed.replace("B. Clinician, MD", "Someone Else, MD"),
            "P121",
        ),
    ];
    for (what, text, code) in forgeries {
        site.write(EFFECTS, &text);
        let build = site.run(&["build", "--as-of", common::TODAY]);
        assert_eq!(build.status.code(), Some(1), "{what}: {}", stderr(&build));
        assert!(stderr(&build).contains(code), "{what}: {}", stderr(&build));
    }

    // The fingerprint of a signed text copied into an article whose record
    // was deleted: the record is what counts.
    site.write(EFFECTS, &signed);
    std::fs::remove_dir_all(site.root().join("signoffs")).unwrap();
    let build = site.run(&["build", "--as-of", common::TODAY]);
    assert_eq!(build.status.code(), Some(1));
    assert!(
        stderr(&build).contains("not in the sign-off record"),
        "{}",
        stderr(&build)
    );
}

#[test]
fn an_edited_sign_off_record_refuses_the_build() {
    let site = requiring_sign_off();
    assert_eq!(approve(&site, EFFECTS).status.code(), Some(0));
    let record = std::fs::read_dir(site.root().join("signoffs/articles/effects"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let text = std::fs::read_to_string(&record).unwrap();
    assert!(
        text.contains("Most people feel sleepy [@shared2020]."),
        "{text}"
    );
    assert!(
        text.contains("reviewed_by: B. Clinician, MD")
            && text.contains("title: A shared reference")
    );
    std::fs::write(&record, text.replace("Most people", "Few people")).unwrap();
    let build = site.run(&["build", "--as-of", common::TODAY]);
    assert_eq!(build.status.code(), Some(1));
    assert!(
        stderr(&build).contains("P121") && stderr(&build).contains("signoffs/articles/effects/"),
        "{}",
        stderr(&build)
    );
}

#[test]
fn approve_refuses_an_article_with_errors_or_placeholders_and_writes_nothing() {
    for (what, from, to) in [
        ("a broken citation", "[@shared2020]", "[@nobody2020]"),
        (
            "a placeholder",
            "Most people feel sleepy",
            "FILL IN: what people feel",
        ),
    ] {
        let site = requiring_sign_off();
        site.edit(EFFECTS, from, to);
        let before = site.read(EFFECTS);
        let output = approve(&site, EFFECTS);
        assert_eq!(output.status.code(), Some(1), "{what}: {}", stderr(&output));
        assert!(
            stderr(&output).contains("effects.md:"),
            "{what}: {}",
            stderr(&output)
        );
        assert_eq!(site.read(EFFECTS), before, "{what}");
        assert!(
            !site.root().join("signoffs").exists(),
            "{what}: a record was written"
        );
    }
    // A draft's placeholders stop its sign-off too, though not the build.
    let site = requiring_sign_off();
    site.edit(EFFECTS, "title: Effects", "title: Effects\ndraft: true");
    site.edit(EFFECTS, "Most people feel sleepy", "FILL IN");
    assert_eq!(approve(&site, EFFECTS).status.code(), Some(1));
}

#[test]
fn each_sign_off_adds_a_record_and_none_is_ever_replaced() {
    let site = requiring_sign_off();
    assert_eq!(approve(&site, EFFECTS).status.code(), Some(0));
    assert_eq!(approve(&site, EFFECTS).status.code(), Some(0));
    site.edit(
        EFFECTS,
        "Most people feel sleepy",
        "Many people feel sleepy",
    );
    assert_eq!(approve(&site, EFFECTS).status.code(), Some(0));
    let mut records: Vec<String> = std::fs::read_dir(site.root().join("signoffs/articles/effects"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    records.sort();
    assert_eq!(records.len(), 3, "{records:?}");
    assert!(records.iter().any(|r| r.ends_with("-2.md")), "{records:?}");
    assert_eq!(
        site.run(&["build", "--as-of", common::TODAY]).status.code(),
        Some(0)
    );
}

#[test]
fn the_report_shows_what_changed_since_sign_off_word_by_word_and_the_history() {
    let site = requiring_sign_off();
    assert_eq!(approve(&site, EFFECTS).status.code(), Some(0));
    let signed = article(&report(&site), EFFECTS).clone();
    assert_eq!(signed["status"], "current");
    assert!(signed["changes"].is_null());
    assert_eq!(signed["history"].as_array().unwrap().len(), 1);
    assert_eq!(signed["history"][0]["of_current_text"], true);

    site.edit(
        EFFECTS,
        "Most people feel sleepy",
        "Many people feel sleepy",
    );
    site.edit(EFFECTS, "  - id: shared2020", "  - id: shared2020\n  - id: own2019\n    title: Own work\n    source: A journal\n    year: 2019\n    doi: 10.1000/own");
    let whole = report(&site);
    let changed = article(&whole, EFFECTS);
    assert_eq!(changed["status"], "changed-since-review");
    let text = &changed["changes"]["texts"][0];
    assert_eq!(text["name"], "Text");
    let parts: Vec<(String, String)> = text["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["change"].as_str().unwrap().to_owned(),
                p["text"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        parts.contains(&("removed".into(), "Most".into())),
        "{parts:?}"
    );
    assert!(
        parts.contains(&("added".into(), "Many".into())),
        "{parts:?}"
    );
    let references = &changed["changes"]["references"];
    assert_eq!(references[0]["id"], "own2019");
    assert_eq!(references[0]["change"], "added");
    assert_eq!(changed["history"][0]["of_current_text"], false);
    // The overview lists articles that need a reviewer before the rest.
    let overview = whole["overview"].as_array().unwrap();
    let place = |file: &str| overview.iter().position(|row| row["file"] == file).unwrap();
    assert_eq!(overview[0]["status"], "not-signed-off", "{overview:?}");
    assert!(place(EFFECTS) < place("content/about.md"), "{overview:?}");

    let html = scraper::Html::parse_document(&site.read("reports/index.html"));
    assert_eq!(texts(&html, ".diff del"), ["removed: Most"]);
    assert_eq!(texts(&html, ".diff ins"), ["added: Many"]);
    assert_eq!(
        texts(&html, "table.history td:nth-child(2)"),
        ["B. Clinician, MD"]
    );
    assert!(texts(&html, "table.overview tbody th").len() >= 2);
}
