//! The live preview's site model, through the library: it reports what a
//! build reports, each problem once, and follows edits through the same
//! stages.

use std::collections::BTreeSet;

use pamphlet::preview::{Change, Preview};

use crate::common::TestSite;

fn codes(problems: &[pamphlet::diagnostics::Diagnostic]) -> Vec<&str> {
    problems.iter().map(|d| d.code.id()).collect()
}

#[test]
fn the_preview_reports_what_a_build_reports_each_problem_once() {
    let site = TestSite::fixture("basic");
    site.remove("content/_index.md");
    let built = site.refused();
    let (preview, first) = Preview::open(site.options()).unwrap();
    assert!(first.refused);
    assert_eq!(
        codes(&preview.problems()),
        codes(&built),
        "{:#?}",
        preview.problems()
    );
    assert_eq!(codes(&built).iter().filter(|c| **c == "P018").count(), 1);
}

#[test]
fn an_edit_is_checked_again_and_mending_it_clears_the_problem() {
    let site = TestSite::fixture("basic");
    let (mut preview, first) = Preview::open(site.options()).unwrap();
    assert!(!first.refused, "{:#?}", first.problems);
    site.edit("content/articles/effects.md", "[@", "[@nosuchkey");
    let edited = BTreeSet::from([Change::Article("articles/effects.md".into())]);
    let broken = preview.apply(&edited).unwrap();
    assert!(broken.refused);
    assert!(
        codes(&broken.problems).contains(&"P007"),
        "{:#?}",
        broken.problems
    );
    site.edit("content/articles/effects.md", "[@nosuchkey", "[@");
    let mended = preview.apply(&edited).unwrap();
    assert!(!mended.refused, "{:#?}", mended.problems);
    assert_eq!(mended.generation, first.generation + 2);
}

#[test]
fn a_file_that_stops_parsing_is_reported_once_and_cleared_when_mended() {
    let site = TestSite::fixture("basic");
    let (mut preview, first) = Preview::open(site.options()).unwrap();
    assert!(!first.refused, "{:#?}", first.problems);
    let home = BTreeSet::from([Change::Article("_index.md".into())]);
    let original = site.read("content/_index.md");

    // Front matter that no longer parses: the file's own problem, and not a
    // missing home page, since the file is there.
    site.write("content/_index.md", "---\ntitle: [unclosed\n---\nHello\n");
    let broken = preview.apply(&home).unwrap();
    assert!(broken.refused);
    let file_problems: Vec<_> = broken
        .problems
        .iter()
        .filter(|d| d.file.as_deref() == Some(std::path::Path::new("content/_index.md")))
        .collect();
    assert_eq!(file_problems.len(), 1, "{:#?}", broken.problems);
    assert!(!codes(&broken.problems).contains(&"P018"));

    // Gone: the home page is missing, once.
    site.remove("content/_index.md");
    let gone = preview.apply(&home).unwrap();
    assert_eq!(codes(&gone.problems), vec!["P018"], "{:#?}", gone.problems);

    site.write("content/_index.md", &original);
    let mended = preview.apply(&home).unwrap();
    assert!(mended.problems.is_empty(), "{:#?}", mended.problems);
}

#[test]
fn an_article_on_the_start_here_path_renamed_renames_its_step_on_the_home_page() {
    let site = TestSite::fixture("basic");
    site.edit(
        "content/_index.md",
        "summary:",
        "start_here:\n  - articles/effects.md\nsummary:",
    );
    let (mut preview, first) = Preview::open(site.options()).unwrap();
    assert!(!first.refused, "{:#?}", first.problems);
    let home = |preview: &Preview| {
        String::from_utf8(preview.output().files["index.html"].to_vec()).unwrap()
    };
    assert!(home(&preview).contains(">Effects</a></h3>"));

    site.edit(
        "content/articles/effects.md",
        "title: Effects",
        "title: What it feels like",
    );
    let edited = BTreeSet::from([Change::Article("articles/effects.md".into())]);
    let rebuilt = preview.apply(&edited).unwrap();
    assert!(!rebuilt.refused, "{:#?}", rebuilt.problems);
    assert!(
        home(&preview).contains(">What it feels like</a></h3>"),
        "the home page's step kept the old title"
    );
}

/// An edit's page is served first; the search index follows it, cut anew
/// by `refresh_search`, and is then file for file what a build writes.
#[test]
fn the_search_index_follows_an_edit_and_matches_a_builds() {
    let site = TestSite::fixture("basic");
    let (mut preview, first) = Preview::open(site.options()).unwrap();
    assert!(!first.refused, "{:#?}", first.problems);
    assert!(
        !preview.refresh_search(),
        "a new preview's index is current"
    );
    site.edit(
        "content/articles/effects.md",
        "Most people feel sleepy",
        "Most people feel drowsy",
    );
    let edited = BTreeSet::from([Change::Article("articles/effects.md".into())]);
    let rebuild = preview.apply(&edited).unwrap();
    assert!(!rebuild.refused, "{:#?}", rebuild.problems);
    let indexed_yet = |preview: &Preview| {
        preview
            .output()
            .files
            .get("search/w-dr.js")
            .is_some_and(|file| String::from_utf8_lossy(file).contains("drowsy"))
    };
    assert!(
        !indexed_yet(&preview),
        "the index waits until the edited page is served"
    );
    assert!(preview.refresh_search(), "the edit changed the index");
    assert!(indexed_yet(&preview));
    assert!(!preview.refresh_search(), "refreshed once is enough");

    site.built();
    let public = site.public();
    let served = &preview.output().files;
    let mut index_files = 0;
    for entry in std::fs::read_dir(public.join("search")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".js") {
            index_files += 1;
            assert_eq!(
                served.get(&format!("search/{name}")).map(|f| f.to_vec()),
                Some(std::fs::read(public.join("search").join(&name)).unwrap()),
                "{name} differs from the build's"
            );
        }
    }
    let served_index_files = served
        .keys()
        .filter(|path| path.starts_with("search/") && path.ends_with(".js"))
        .count();
    assert_eq!(
        served_index_files, index_files,
        "a stale index file is still served"
    );
    assert!(
        crate::common::search_finds(&public, "drowsy")
            .contains(&"articles/effects/index.html".to_owned())
    );
}
