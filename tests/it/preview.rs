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
