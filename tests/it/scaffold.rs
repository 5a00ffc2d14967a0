//! `pamphlet init` and `pamphlet new`, run as the real binary: what they
//! write is built, and a new article's check names each field to fill in.

use crate::common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

use common::TODAY;

fn pamphlet(folder: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pamphlet"))
        .args(args)
        .current_dir(folder)
        .env("NO_COLOR", "1")
        .output()
        .expect("the pamphlet binary runs")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A new site made by `init` in a temporary folder, as it comes.
fn new_site_unfinished() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let made = pamphlet(dir.path(), &["init", "site"]);
    assert!(made.status.success(), "{}", text(&made));
    assert!(
        text(&made).contains("replace each FILL IN"),
        "{}",
        text(&made)
    );
    dir
}

/// A new site once the clinic has done what `init` asks: its own name,
/// address and crisis line in site.yaml, and the example signed off.
fn new_site() -> tempfile::TempDir {
    let dir = new_site_unfinished();
    let site = dir.path().join("site");
    let settings = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    let mut filled = settings.clone();
    for (placeholder, value) in [
        ("the site's address", "https://www.test-clinic.example/"),
        ("your clinic's name", "Test Clinic"),
        (
            "the crisis line and emergency number for your patients",
            "Call or text 988. In danger, call 911.",
        ),
    ] {
        let quoted = format!("\"FILL IN: {placeholder}");
        let start = filled
            .find(&quoted)
            .unwrap_or_else(|| panic!("no {quoted}"));
        let end = start + 1 + filled[start + 1..].find('"').unwrap() + 1;
        filled.replace_range(start..end, value);
    }
    std::fs::write(site.join("site.yaml"), filled).unwrap();
    let approved = pamphlet(
        &site,
        &[
            "approve",
            "content/articles/example.md",
            "--reviewer",
            "Test Reviewer, MD",
            "--as-of",
            TODAY,
        ],
    );
    assert!(approved.status.success(), "{}", text(&approved));
    dir
}

#[test]
fn a_new_site_cannot_publish_its_placeholders_or_an_unsigned_example() {
    let dir = new_site_unfinished();
    let site = dir.path().join("site");
    let found = problems(&site);
    let placeholders: Vec<(String, u64)> = found
        .iter()
        .filter(|p| p["code"] == "P118")
        .map(|p| {
            (
                p["file"].as_str().unwrap().to_owned(),
                p["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let settings = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    let line_of = |key: &str| {
        settings
            .lines()
            .position(|l| l.trim_start().starts_with(key))
            .unwrap() as u64
            + 1
    };
    for expected in [
        ("site.yaml".to_owned(), line_of("base_url:")),
        ("site.yaml".to_owned(), line_of("name:")),
        ("site.yaml".to_owned(), line_of("text: \"FILL IN")),
    ] {
        assert!(
            placeholders.contains(&expected),
            "{expected:?} not in {placeholders:?}"
        );
    }
    assert!(
        found
            .iter()
            .any(|p| p["code"] == "P120" && p["file"] == "content/articles/example.md"),
        "{found:?}"
    );
    let built = pamphlet(&site, &["build", "--as-of", TODAY]);
    assert_eq!(built.status.code(), Some(1), "{}", text(&built));
    assert!(!site.join("public").exists());
}

fn problems(site: &Path) -> Vec<serde_json::Value> {
    let checked = pamphlet(site, &["check", "--format", "json", "--as-of", TODAY]);
    String::from_utf8_lossy(&checked.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[test]
fn a_new_site_once_filled_in_and_signed_off_builds_and_passes_every_check() {
    let dir = new_site();
    let site = dir.path().join("site");
    let built = pamphlet(&site, &["build", "--deny-warnings", "--as-of", TODAY]);
    assert!(built.status.success(), "{}", text(&built));
    let page = std::fs::read_to_string(site.join("public/articles/example/index.html")).unwrap();
    assert!(page.contains("data-disclaimer=\"medical-advice\""));
    assert!(page.contains("data-disclaimer=\"crisis-line\""));
    assert!(page.contains("id=\"ref-2\""));
    assert!(
        site.join("public/style.css").is_file(),
        "the theme came along"
    );

    // It never writes over a folder that has something in it.
    let again = pamphlet(dir.path(), &["init", "site"]);
    assert_eq!(again.status.code(), Some(2), "{}", text(&again));
    assert!(text(&again).contains("is not empty"));
}

#[test]
fn a_new_article_is_a_draft_whose_check_names_each_field_to_fill_in() {
    let dir = new_site();
    let site = dir.path().join("site");
    let made = pamphlet(
        &site,
        &["new", "articles/sleep-and-mood", "--topics", "depression"],
    );
    assert!(made.status.success(), "{}", text(&made));
    let article = std::fs::read_to_string(site.join("content/articles/sleep-and-mood.md")).unwrap();
    assert!(article.contains("title: Sleep and mood"));
    // The policy's disclaimers for the topic, and as many sources as it asks.
    assert!(
        article.contains("disclaimers: [medical-advice, crisis-line]"),
        "{article}"
    );
    assert!(article.contains("- id: source-2") && !article.contains("source-3"));

    let found = problems(&site);
    assert!(
        found.iter().all(|p| p["severity"] == "warning"),
        "a draft only warns: {found:?}"
    );
    // Every placeholder line is named, at its own line.
    let placeholder_lines: BTreeSet<u64> = article
        .lines()
        .enumerate()
        // YAML comments explain the placeholders; they are not ones.
        .filter(|(_, line)| line.contains("FILL IN") && !line.trim_start().starts_with("# "))
        .map(|(index, _)| index as u64 + 1)
        .collect();
    let named: BTreeSet<u64> = found
        .iter()
        .filter(|p| p["code"] == "P118")
        .map(|p| p["line"].as_u64().unwrap())
        .collect();
    assert_eq!(named, placeholder_lines);
    let messages: Vec<&str> = found.iter().filter_map(|p| p["message"].as_str()).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("no reviewed_on, no next_review"))
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`source-1` has no year"))
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`source-2` has no doi, pmid or url"))
    );

    // The site still builds without it; --deny-warnings holds it back.
    let built = pamphlet(&site, &["build", "--as-of", TODAY]);
    assert!(built.status.success(), "{}", text(&built));
    assert!(!site.join("public/articles/sleep-and-mood").exists());
    let strict = pamphlet(&site, &["check", "--deny-warnings", "--as-of", TODAY]);
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn a_new_article_once_filled_in_and_signed_off_is_published() {
    let dir = new_site();
    let site = dir.path().join("site");
    let made = pamphlet(
        &site,
        &[
            "new",
            "articles/nasal-spray",
            "--title",
            "The nasal spray: what it is",
            "--topics",
            "treatment",
        ],
    );
    assert!(made.status.success(), "{}", text(&made));
    let path = site.join("content/articles/nasal-spray.md");
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(
        written.contains("title: 'The nasal spray: what it is'"),
        "{written}"
    );
    assert!(
        written.contains("disclaimers: [medical-advice]"),
        "{written}"
    );

    // The editor's work: the sources and text of the example article.
    let example = std::fs::read_to_string(site.join("content/articles/example.md")).unwrap();
    let example_references = example
        .split_once("references:\n")
        .unwrap()
        .1
        .split_once("---\n")
        .unwrap()
        .0;
    let front = written.split_once("references:\n").unwrap().0;
    let filled = format!(
        "{}references:\n{example_references}---\n## What the spray is\n\n\
         The FDA said yes to a nasal spray in 2019. It is for depression that\n\
         other drugs did not help [@fda2019].\n\n\
         In a small study, a low dose of ketamine through a drip helped people\n\
         with depression. Their mood lifted in three days [@berman2000].\n",
        front
            .replace(
                "\"FILL IN: one or two plain sentences on what this page answers\"",
                "What the esketamine nasal spray is."
            )
            .replace("draft: true\n", "")
            .replace(
                "\"FILL IN: the reviewing clinician's name and credentials\"",
                "Pending"
            )
    );
    std::fs::write(&path, filled).unwrap();
    let approved = pamphlet(
        &site,
        &[
            "approve",
            "content/articles/nasal-spray.md",
            "--reviewer",
            "Test Reviewer, MD",
            "--as-of",
            TODAY,
        ],
    );
    assert!(approved.status.success(), "{}", text(&approved));
    let built = pamphlet(&site, &["build", "--deny-warnings", "--as-of", TODAY]);
    assert!(built.status.success(), "{}", text(&built));
    assert!(
        site.join("public/articles/nasal-spray/index.html")
            .is_file()
    );
}

#[test]
fn new_refuses_unknown_topics_existing_files_and_paths_outside_content() {
    let dir = new_site();
    let site = dir.path().join("site");
    let typo = pamphlet(&site, &["new", "articles/a", "--topics", "depresion"]);
    assert_eq!(typo.status.code(), Some(2));
    assert!(
        text(&typo).contains("did you mean `depression`?"),
        "{}",
        text(&typo)
    );
    assert!(!site.join("content/articles/a.md").exists());

    // Topics decide the disclaimers a clinical article must show.
    let untagged = pamphlet(&site, &["new", "articles/a"]);
    assert_eq!(untagged.status.code(), Some(2));
    assert!(text(&untagged).contains("--topics"), "{}", text(&untagged));
    assert!(!site.join("content/articles/a.md").exists());

    let before = std::fs::read(site.join("content/articles/example.md")).unwrap();
    let existing = pamphlet(
        &site,
        &["new", "articles/example", "--topics", "depression"],
    );
    assert_eq!(existing.status.code(), Some(2));
    assert!(text(&existing).contains("already exists"));
    assert_eq!(
        std::fs::read(site.join("content/articles/example.md")).unwrap(),
        before
    );

    let outside = pamphlet(&site, &["new", "../escape"]);
    assert_eq!(outside.status.code(), Some(2));
    assert!(!dir.path().join("escape.md").exists());
}

#[test]
fn a_new_site_is_ready_for_git_and_pamphlet_works_from_any_folder_inside_it() {
    let dir = new_site();
    let site = dir.path().join("site");
    let git = |args: &[&str]| {
        let output = Command::new("git")
            .args(args)
            .current_dir(&site)
            .output()
            .expect("git runs");
        assert!(output.status.success(), "git {args:?}: {}", text(&output));
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    git(&["init", "-q"]);

    // From deep inside the site, as an editor in a terminal at the article.
    let inside = site.join("content/articles");
    let made = pamphlet(
        &inside,
        &["new", "articles/sleep", "--topics", "depression"],
    );
    assert!(made.status.success(), "{}", text(&made));
    let built = pamphlet(&inside, &["build", "--as-of", TODAY]);
    assert!(built.status.success(), "{}", text(&built));
    assert!(site.join("public/index.html").is_file());
    assert!(!inside.join("public").exists(), "published inside content/");
    assert!(
        text(&built).contains(
            "1 draft(s) left out (remove `draft: true` to publish): content/articles/sleep.md"
        ),
        "{}",
        text(&built)
    );
    let built_again = pamphlet(&inside, &["build", "--as-of", TODAY]);
    assert!(built_again.status.success(), "{}", text(&built_again));

    git(&["add", "-A"]);
    let staged = git(&["diff", "--cached", "--name-only"]);
    assert!(staged.contains("content/articles/example.md"), "{staged}");
    assert!(staged.contains("signoffs/"), "{staged}");
    for line in staged.lines() {
        assert!(
            !line.starts_with("public/") && !line.starts_with(".public"),
            "git would commit the output: {line}"
        );
    }

    // Outside any site, the error says so (exit 2).
    let outside = tempfile::tempdir().unwrap();
    let lost = pamphlet(outside.path(), &["check"]);
    assert_eq!(lost.status.code(), Some(2), "{}", text(&lost));
    assert!(text(&lost).contains("site.yaml"), "{}", text(&lost));
}

#[test]
fn commands_offer_only_the_options_they_use_and_shells_can_complete_them() {
    let dir = new_site();
    let site = dir.path().join("site");
    for args in [
        ["report", "--format", "json"],
        ["report", "--deny-warnings", "--as-of"],
    ] {
        let refused = pamphlet(&site, &args);
        assert_eq!(
            refused.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&refused)
        );
        assert!(
            text(&refused).contains("unexpected argument"),
            "{}",
            text(&refused)
        );
    }
    let completions = pamphlet(&site, &["completions", "bash"]);
    assert!(completions.status.success(), "{}", text(&completions));
    let script = String::from_utf8_lossy(&completions.stdout);
    for word in ["approve", "--reviewer", "--deny-warnings", "serve"] {
        assert!(script.contains(word), "{word} is not completed");
    }
}

#[test]
fn explain_says_what_a_code_means_and_which_setting_governs_it() {
    let dir = tempfile::tempdir().unwrap();
    let explained = pamphlet(dir.path(), &["explain", "p113"]);
    assert!(explained.status.success(), "{}", text(&explained));
    let said = String::from_utf8_lossy(&explained.stdout);
    assert!(
        said.starts_with("P113: a sentence states a statistic"),
        "{said}"
    );
    assert!(said.contains("`policy.uncited_claims: error`"), "{said}");
    let unknown = pamphlet(dir.path(), &["explain", "P999"]);
    assert_eq!(unknown.status.code(), Some(2), "{}", text(&unknown));
    assert!(
        text(&unknown).contains("no problem code `P999`"),
        "{}",
        text(&unknown)
    );
}
