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

/// One edit an editor might make that changes which pages link where.
#[derive(Debug, Clone, Copy)]
enum LinkEdit {
    /// The heading another page links to changes its anchor, or back.
    RenameLinkedHeading,
    /// The linked page's title changes, or back.
    RetitleLinkedPage,
    /// Another page links to the heading by its content path, or stops.
    LinkByPath,
    /// Another page links to it by its published address, or stops.
    LinkByAddress,
    /// The linked page is deleted, or written back.
    DeleteLinkedPage,
}

/// Which of the edits are in effect; each edit toggles one.
#[derive(Default)]
struct LinkState {
    renamed: bool,
    retitled: bool,
    by_path: bool,
    by_address: bool,
    deleted: bool,
}

impl LinkState {
    /// Applies `edit` to the files; returns the articles it touched.
    fn apply(&mut self, edit: LinkEdit, site: &TestSite, originals: &(String, String)) -> String {
        let (effects, about) = originals;
        match edit {
            LinkEdit::RenameLinkedHeading => self.renamed = !self.renamed,
            LinkEdit::RetitleLinkedPage => self.retitled = !self.retitled,
            LinkEdit::LinkByPath => self.by_path = !self.by_path,
            LinkEdit::LinkByAddress => self.by_address = !self.by_address,
            LinkEdit::DeleteLinkedPage => self.deleted = !self.deleted,
        }
        match edit {
            LinkEdit::LinkByPath | LinkEdit::LinkByAddress => {
                let mut text = about.clone();
                if self.by_path {
                    text.push_str("\nRead about [usual effects](articles/effects.md#common).\n");
                }
                if self.by_address {
                    text.push_str("\nSee [the effects page](/articles/effects/#common).\n");
                }
                site.write("content/about.md", &text);
                "about.md".to_owned()
            }
            _ => {
                let path = "content/articles/effects.md";
                if self.deleted {
                    if site.root().join(path).exists() {
                        site.remove(path);
                    }
                } else {
                    let mut text = effects.clone();
                    if self.renamed {
                        text = text.replacen("{#common}", "{#usual}", 1);
                    }
                    if self.retitled {
                        text = text.replacen("title: Effects", "title: What you may feel", 1);
                    }
                    site.write(path, &text);
                }
                "articles/effects.md".to_owned()
            }
        }
    }
}

fn link_edit() -> impl proptest::strategy::Strategy<Value = LinkEdit> {
    proptest::sample::select(vec![
        LinkEdit::RenameLinkedHeading,
        LinkEdit::RetitleLinkedPage,
        LinkEdit::LinkByPath,
        LinkEdit::LinkByAddress,
        LinkEdit::DeleteLinkedPage,
    ])
}

/// Where each problem is, to compare the preview's with a build's.
fn places(problems: &[pamphlet::diagnostics::Diagnostic]) -> Vec<String> {
    let mut places: Vec<String> = problems
        .iter()
        .map(|d| {
            format!(
                "{} {:?} {}:{} {}",
                d.code.id(),
                d.file,
                d.line,
                d.column,
                d.message
            )
        })
        .collect();
    places.sort();
    places
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config { cases: 12, ..Default::default() })]
    /// An edit checks and renders again only the pages it can affect, found
    /// through the preview's record of who links to whom. Whatever edits
    /// come in whatever order, the preview must then report what a full
    /// build reports, and serve every page as the build writes it: a page
    /// that links to the edited one, by path or by address, is never left
    /// stale.
    #[test]
    fn after_any_edits_to_links_the_preview_matches_a_full_build(
        edits in proptest::collection::vec(link_edit(), 1..7)
    ) {
        let site = TestSite::fixture("basic");
        let originals = (
            site.read("content/articles/effects.md"),
            site.read("content/about.md"),
        );
        let (mut preview, first) = Preview::open(site.options()).unwrap();
        proptest::prop_assert!(!first.refused, "{:#?}", first.problems);
        let mut state = LinkState::default();
        for edit in edits {
            let touched = state.apply(edit, &site, &originals);
            let rebuild = preview
                .apply(&BTreeSet::from([Change::Article(touched)]))
                .unwrap();
            match site.build() {
                Ok(outcome) => {
                    proptest::prop_assert!(!rebuild.refused, "{edit:?}: {:#?}", rebuild.problems);
                    proptest::prop_assert_eq!(places(&rebuild.problems), places(&outcome.warnings));
                    let public = site.public();
                    let served = &preview.output().files;
                    for (path, built) in crate::common::snapshot(&public) {
                        let relative = path.to_string_lossy().replace('\\', "/");
                        if !relative.ends_with(".html") {
                            continue;
                        }
                        proptest::prop_assert!(
                            served.get(&relative).map(|file| file.to_vec()) == Some(built),
                            "after {edit:?}, the preview serves {relative} unlike the build"
                        );
                    }
                }
                Err(pamphlet::BuildError::Refused(problems)) => {
                    proptest::prop_assert!(rebuild.refused, "{edit:?}: the preview let pass {:#?}", problems);
                    proptest::prop_assert_eq!(places(&rebuild.problems), places(&problems));
                }
                Err(error) => panic!("{error}"),
            }
        }
    }
}
