//! Publishing reuses the site it swapped out the time before
//! (`.public.previous`) as its staging folder. Whatever that folder holds,
//! the published site must be exactly what a build from nothing writes.

use crate::common;

use std::path::{Path, PathBuf};

use pamphlet::BuildOptions;
use std::time::{Duration, SystemTime};

use common::{TestSite, snapshot};
use sha2::Digest;

fn kept(site: &TestSite) -> PathBuf {
    site.root().join(".public.previous")
}

/// Every entry under `dir`, folders included, so a stray empty folder
/// shows up too.
fn entries(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|entry| {
            entry
                .unwrap()
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_path_buf()
        })
        .collect();
    found.sort();
    found
}

/// The same site built into an empty folder.
fn built_from_nothing(site: &TestSite) -> (Vec<PathBuf>, Vec<(PathBuf, Vec<u8>)>) {
    let out = tempfile::tempdir().unwrap();
    let mut options = site.options();
    options.out = Some(out.path().join("site"));
    pamphlet::build(&options).unwrap();
    let folder = out.path().join("site");
    (entries(&folder), snapshot(&folder))
}

fn modified(path: &Path) -> SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

#[test]
fn a_rebuild_writes_only_the_files_whose_content_changed() {
    let site = TestSite::fixture("basic");
    site.built();
    site.built();
    assert!(kept(&site).is_dir(), "the swapped-out site was not kept");
    let long_ago = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    for entry in walkdir::WalkDir::new(kept(&site)) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let file = std::fs::File::options()
                .write(true)
                .open(entry.path())
                .unwrap();
            file.set_modified(long_ago).unwrap();
        }
    }
    site.edit(
        "content/articles/effects.md",
        "Most people feel sleepy",
        "Most people feel very sleepy",
    );
    site.built();

    let public = site.public();
    assert!(
        site.read("public/articles/effects/index.html")
            .contains("very sleepy")
    );
    assert!(modified(&public.join("articles/effects/index.html")) > long_ago);
    assert_eq!(
        modified(&public.join("articles/citations/index.html")),
        long_ago
    );
    assert_eq!(modified(&public.join("style.css")), long_ago);
    assert_eq!(
        (entries(&public), snapshot(&public)),
        built_from_nothing(&site)
    );
}

#[test]
fn whatever_the_kept_site_holds_of_pamphlets_the_published_site_is_exactly_the_new_one() {
    let site = TestSite::fixture("basic");
    let effects = site.read("content/articles/effects.md");
    site.write(
        "content/articles/extra.md",
        &effects.replace("title: Effects", "title: Extra"),
    );
    site.built();
    site.built();
    site.remove("content/articles/extra.md");
    // The kept site still has the removed article; damage what Pamphlet
    // wrote there further, as a crash or a curious hand might.
    let kept = kept(&site);
    assert!(kept.join("articles/extra/index.html").is_file());
    let citations = kept.join("articles/citations/index.html");
    let mut bytes = std::fs::read(&citations).unwrap();
    bytes[100] ^= 1; // same length, different content
    std::fs::write(&citations, bytes).unwrap();
    std::fs::remove_file(kept.join("style.css")).unwrap();
    std::fs::create_dir(kept.join("style.css")).unwrap();
    std::fs::remove_file(kept.join("robots.txt")).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", kept.join("robots.txt")).unwrap();
    std::fs::write(kept.join(".DS_Store"), "Finder was here").unwrap();

    site.built();

    let public = site.public();
    assert!(!public.join("articles/extra").exists());
    assert!(public.join("style.css").is_file());
    assert!(!public.join("robots.txt").is_symlink());
    assert_eq!(
        (entries(&public), snapshot(&public)),
        built_from_nothing(&site)
    );
}

/// Everything under `dir` as it is, links not followed: each entry's kind,
/// bytes or link target, and permissions.
fn state(dir: &Path) -> Vec<(PathBuf, String, String, u32)> {
    use std::os::unix::fs::PermissionsExt;
    let mut found: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|entry| {
            let entry = entry.unwrap();
            let meta = std::fs::symlink_metadata(entry.path()).unwrap();
            let (kind, bytes) = if meta.is_symlink() {
                let target = std::fs::read_link(entry.path()).unwrap();
                ("link", target.to_string_lossy().as_bytes().to_vec())
            } else if meta.is_dir() {
                ("folder", Vec::new())
            } else {
                ("file", std::fs::read(entry.path()).unwrap())
            };
            let relative = entry.path().strip_prefix(dir).unwrap().to_path_buf();
            let digest: String = sha2::Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            (relative, kind.to_owned(), digest, meta.permissions().mode())
        })
        .collect();
    found.sort();
    found
}

/// A folder of someone's own files, with a sub-folder and a link.
fn someones_files(dir: &Path) {
    std::fs::create_dir_all(dir.join("holiday")).unwrap();
    std::fs::write(dir.join("notes.txt"), "my notes").unwrap();
    std::fs::write(dir.join("index.html"), "<p>my own home page</p>").unwrap();
    std::fs::write(dir.join("holiday/photo.jpg"), [0xff, 0xd8, 0xff]).unwrap();
    std::os::unix::fs::symlink("notes.txt", dir.join("link-to-notes")).unwrap();
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs `pamphlet ARGS --as-of TODAY` and expects exit `code` with each
/// of `expected` in what it says.
fn refused_with(site: &TestSite, code: i32, args: &[&str], expected: &[&str]) -> String {
    let mut all = args.to_vec();
    all.extend(["--as-of", common::TODAY]);
    let output = site.run(&all);
    let said = stderr(&output);
    assert_eq!(output.status.code(), Some(code), "{args:?}: {said}");
    for words in expected {
        assert!(said.contains(words), "{args:?}: no `{words}` in {said}");
    }
    said
}

/// Exit 2: the command or the machine is at fault, not the content.
fn refused_with_2(site: &TestSite, args: &[&str], expected: &str) -> String {
    refused_with(site, 2, args, &[expected])
}

#[test]
fn a_folder_of_someone_elses_files_is_refused_and_left_as_it_was() {
    let site = TestSite::fixture("basic");
    someones_files(&site.root().join("docs"));
    let before = state(site.root());
    for _ in 0..2 {
        let said = refused_with_2(&site, &["build", "--out", "docs"], "did not write");
        assert!(said.contains("empty folder"), "{said}");
    }
    assert_eq!(
        before,
        state(site.root()),
        "the build changed the site folder"
    );

    // The same for a public/ made by hand, the default output.
    let site = TestSite::fixture("basic");
    someones_files(&site.public());
    let before = state(site.root());
    refused_with_2(&site, &["build"], "did not write");
    assert_eq!(before, state(site.root()));
}

#[test]
fn an_empty_folder_is_taken_and_then_rebuilt() {
    let site = TestSite::fixture("basic");
    std::fs::create_dir(site.root().join("out")).unwrap();
    for _ in 0..2 {
        let output = site.run(&["build", "--out", "out", "--as-of", common::TODAY]);
        assert!(output.status.success(), "{}", stderr(&output));
    }
    assert!(site.root().join("out/index.html").is_file());
}

#[test]
fn outputs_that_are_in_or_around_the_sites_own_files_are_refused() {
    let site = TestSite::fixture("basic");
    std::fs::create_dir_all(site.root().join("static")).unwrap();
    std::fs::write(site.root().join("static/extra.txt"), "theirs").unwrap();
    std::fs::create_dir_all(site.root().join("templates")).unwrap();
    let before = state(site.root());
    for out in [
        "content",
        "content/articles",
        "content/new-folder",
        "themes",
        "themes/clinic/static",
        "static",
        "templates",
        "site.yaml",
        ".",
        "..",
    ] {
        refused_with_2(&site, &["build", "--out", out], "refusing");
        refused_with_2(&site, &["report", "--out", out], "refusing");
    }
    assert_eq!(before, state(site.root()), "the sources changed");
}

#[test]
fn a_published_site_in_which_someone_put_a_file_is_not_replaced() {
    let site = TestSite::fixture("basic");
    site.built();
    std::fs::write(site.public().join("google-verification.html"), "mine").unwrap();
    std::fs::create_dir(site.public().join("downloads")).unwrap();
    std::fs::write(site.public().join("downloads/leaflet.pdf"), "%PDF").unwrap();
    site.edit("content/articles/effects.md", "Most people", "Many people");
    let before = state(&site.public());
    let said = refused_with_2(&site, &["build"], "google-verification.html");
    assert!(said.contains("static/"), "{said}");
    assert_eq!(before, state(&site.public()));
}

#[test]
fn a_file_someone_put_in_the_kept_previous_site_stays_and_the_message_says_what_to_move() {
    let site = TestSite::fixture("basic");
    site.built();
    site.built();
    std::fs::write(kept(&site).join("mine.txt"), "mine").unwrap();
    let published = state(&site.public());
    let said = refused_with_2(&site, &["build"], "mine.txt");
    assert!(said.contains("published site is unchanged"), "{said}");
    assert_eq!(published, state(&site.public()));
    assert_eq!(site.read(".public.previous/mine.txt"), "mine");
    std::fs::remove_file(kept(&site).join("mine.txt")).unwrap();
    site.built();
}

#[test]
fn anything_else_named_like_the_kept_site_is_reported_with_what_to_delete() {
    for make in [
        (|path: &Path| std::fs::write(path, "a file").unwrap()) as fn(&Path),
        |path| std::os::unix::fs::symlink("/tmp", path).unwrap(),
        |path| {
            std::fs::create_dir(path).unwrap();
            std::fs::write(path.join("theirs.txt"), "theirs").unwrap();
        },
    ] {
        let site = TestSite::fixture("basic");
        site.built();
        make(&kept(&site));
        let before = state(site.root());
        let said = refused_with_2(&site, &["build"], ".public.previous");
        assert!(said.contains("delete"), "{said}");
        assert!(
            !said.contains("unchanged") || !said.contains("published"),
            "{said}"
        );
        assert_eq!(before, state(site.root()));
    }
}

#[test]
fn a_read_only_kept_site_either_works_or_says_what_to_delete_and_publishes_nothing() {
    use std::os::unix::fs::PermissionsExt;
    let site = TestSite::fixture("basic");
    site.built();
    site.built();
    for entry in walkdir::WalkDir::new(kept(&site)) {
        let entry = entry.unwrap();
        let mode = if entry.file_type().is_dir() {
            0o555
        } else {
            0o444
        };
        std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(mode)).unwrap();
    }
    site.edit("content/articles/effects.md", "Most people", "Many people");
    let published = snapshot(&site.public());
    let output = site.run(&["build", "--as-of", common::TODAY]);
    let said = stderr(&output);
    // As root, permissions do not stop a write; as anyone else they do.
    match output.status.code() {
        Some(0) => assert!(
            site.read("public/articles/effects/index.html")
                .contains("Many people")
        ),
        Some(2) => {
            assert!(
                said.contains(".public.previous") && said.contains("delete"),
                "{said}"
            );
            assert_eq!(published, snapshot(&site.public()));
        }
        other => panic!("exit {other:?}: {said}"),
    }
}

#[test]
fn a_link_to_a_web_root_publishes_into_that_folder_and_stays_a_link() {
    let site = TestSite::fixture("basic");
    let www = tempfile::tempdir().unwrap();
    let web_root = www.path().join("html");
    std::fs::create_dir(&web_root).unwrap();
    someones_files(&www.path().join("other-site"));
    let neighbours = state(&www.path().join("other-site"));
    std::os::unix::fs::symlink(&web_root, site.public()).unwrap();

    site.built();
    site.edit("content/articles/effects.md", "Most people", "Many people");
    site.built();
    site.built();

    assert!(site.public().is_symlink(), "the link was replaced");
    assert_eq!(std::fs::read_link(site.public()).unwrap(), web_root);
    let page = std::fs::read_to_string(web_root.join("articles/effects/index.html")).unwrap();
    assert!(page.contains("Many people"));
    assert_eq!(neighbours, state(&www.path().join("other-site")));
    for source in [
        "site.yaml",
        "content/articles/effects.md",
        "themes/clinic/templates/base.html",
    ] {
        assert!(site.root().join(source).is_file(), "{source} is gone");
    }

    // A web root that holds someone's files is refused, through the link.
    std::fs::remove_file(site.public()).unwrap();
    let theirs = www.path().join("other-site");
    std::os::unix::fs::symlink(&theirs, site.public()).unwrap();
    refused_with_2(&site, &["build"], "did not write");
    assert_eq!(neighbours, state(&theirs));
}

#[test]
fn a_link_that_leads_back_into_the_site_is_refused() {
    let site = TestSite::fixture("basic");
    let before = state(&site.root().join("content"));
    std::os::unix::fs::symlink(site.root(), site.public()).unwrap();
    refused_with_2(&site, &["build"], "refusing");
    std::fs::remove_file(site.public()).unwrap();
    std::os::unix::fs::symlink(site.root().join("content"), site.public()).unwrap();
    refused_with_2(&site, &["build"], "refusing");
    std::fs::remove_file(site.public()).unwrap();
    std::os::unix::fs::symlink(site.root().join("nowhere"), site.public()).unwrap();
    refused_with_2(&site, &["build"], "does not exist");
    assert_eq!(before, state(&site.root().join("content")));
}

#[test]
fn the_report_never_replaces_the_published_site_nor_the_site_a_report() {
    let site = TestSite::fixture("basic");
    site.built();
    let published = state(&site.public());
    refused_with_2(&site, &["report", "--out", "public"], "the published site");
    assert_eq!(published, state(&site.public()));

    let output = site.run(&["report", "--as-of", common::TODAY]);
    assert!(output.status.success(), "{}", stderr(&output));
    let report = state(&site.root().join("reports"));
    refused_with_2(&site, &["build", "--out", "reports"], "a review report");
    assert_eq!(report, state(&site.root().join("reports")));
    // A second report replaces the first.
    let output = site.run(&["report", "--as-of", common::TODAY]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn an_output_inside_a_published_site_is_refused() {
    let site = TestSite::fixture("basic");
    site.built();
    let published = state(&site.public());
    refused_with_2(&site, &["build", "--out", "public/copy"], "replaced whole");
    refused_with_2(
        &site,
        &["report", "--out", "public/report"],
        "replaced whole",
    );
    assert_eq!(published, state(&site.public()));
}

#[test]
fn a_copied_file_that_would_replace_a_generated_one_is_refused_at_that_file() {
    // Pages, scripts and stylesheets may not be copied from content/ at all
    // (P119); media may, but never over a file the build or theme writes.
    for (path, bytes, code) in [
        ("content/index.html", "<p>no crisis box here</p>", "P119"),
        ("content/search-index.js", "alert(1)", "P119"),
        ("content/style.css", "body{display:none}", "P119"),
        (
            "content/articles/effects/index.html",
            "<p>a fake page</p>",
            "P119",
        ),
        ("content/sitemap.xml", "<urlset/>", "P119"),
        (
            "content/favicon.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
            "P012",
        ),
    ] {
        let site = TestSite::fixture("basic");
        site.write(path, bytes);
        refused_with(&site, 1, &["build"], &[code, path]);
        assert!(!site.public().exists(), "{path}: something was published");
    }
}

#[test]
fn only_media_are_published_from_content() {
    let site = TestSite::fixture("basic");
    for (name, bytes) in [
        ("chart.png", &b"\x89PNG"[..]),
        ("leaflet.pdf", b"%PDF-1.7"),
        ("talk.mp3", b"ID3"),
        ("clip.webm", b"webm"),
        ("clip.vtt", b"WEBVTT"),
        (
            "drawing.svg",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"1\" height=\"1\"/></svg>",
        ),
    ] {
        std::fs::write(site.root().join("content/articles").join(name), bytes).unwrap();
    }
    site.built();
    assert!(site.public().join("articles/drawing.svg").is_file());
    for (name, bytes, expected) in [
        ("page.html", "<script>alert(1)</script>", "`.html` file"),
        ("tool.js", "alert(1)", "`.js` file"),
        ("notes", "plain", "no type"),
        ("bad.svg", "<svg onload=\"alert(1)\"/>", "`onload`"),
        (
            "remote.svg",
            "<svg><image href=\"https://evil.example/p.png\"/></svg>",
            "another file",
        ),
    ] {
        let site = TestSite::fixture("basic");
        site.write(&format!("content/articles/{name}"), bytes);
        refused_with(&site, 1, &["build"], &["P119", name, expected]);
    }
}

#[test]
fn a_site_static_file_replaces_the_themes_own_of_that_name_once() {
    let site = TestSite::fixture("basic");
    site.write("static/style.css", "body { color: black }");
    site.built();
    assert_eq!(site.read("public/style.css"), "body { color: black }");
}

#[test]
fn a_file_too_large_to_publish_is_refused_without_reading_it() {
    let site = TestSite::fixture("basic");
    let video = site.root().join("content/articles/video.mp4");
    std::fs::File::create(&video)
        .unwrap()
        .set_len(pamphlet::load::MAX_COPIED_BYTES + 1)
        .unwrap();
    refused_with(&site, 1, &["build"], &["video.mp4", "up to 100 MB"]);
}

#[test]
fn links_under_content_static_and_the_theme_are_never_followed() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
    for place in [
        "content/articles/secret.txt",
        "static/secret.txt",
        "themes/clinic/static/secret.txt",
    ] {
        let site = TestSite::fixture("basic");
        let link = site.root().join(place);
        std::fs::create_dir_all(link.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.txt"), &link).unwrap();
        refused_with(&site, 1, &["build"], &["does not follow links", place]);
        assert!(!site.public().exists(), "{place}: something was published");
    }
}

#[test]
fn approve_never_writes_through_a_planted_link_and_leaves_nothing_to_publish() {
    let site = TestSite::fixture("basic");
    let victim = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(victim.path(), "do not touch").unwrap();
    for planted in ["effects.md.approving", ".effects.md.approving"] {
        std::os::unix::fs::symlink(
            victim.path(),
            site.root().join("content/articles").join(planted),
        )
        .unwrap();
    }
    std::fs::remove_file(site.root().join("content/articles/effects.md.approving")).unwrap();
    let output = site.run(&[
        "approve",
        "content/articles/effects.md",
        "--reviewer",
        "A. Reviewer, MD",
        "--as-of",
        common::TODAY,
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        std::fs::read_to_string(victim.path()).unwrap(),
        "do not touch"
    );
    assert!(
        site.read("content/articles/effects.md")
            .contains("A. Reviewer, MD")
    );
    let leftovers: Vec<String> = std::fs::read_dir(site.root().join("content/articles"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("approving") && name != ".effects.md.approving")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    site.built();
    assert!(
        snapshot(&site.public())
            .iter()
            .all(|(path, _)| !path.to_string_lossy().contains("approving"))
    );
}

mod across_random_sequences {
    //! Whatever builds, reports, edits and output paths follow one another,
    //! no file Pamphlet did not write is ever changed, moved or removed.

    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    #[derive(Debug, Clone)]
    enum Step {
        Build(usize),
        Report(usize),
        Edit(u8),
        /// Someone drops a file of their own into output `n`, if it exists.
        Drop(usize),
    }

    /// Outputs relative to the world folder; some are refused, some are
    /// links, some lie inside others or inside the sources.
    const OUTPUTS: [&str; 13] = [
        "site/public",
        "out",
        "foreign",
        "foreign/sub",
        "empty",
        "link-to-foreign",
        "link-to-web",
        "link-to-site",
        "site",
        "site/content",
        "site/public/inner",
        ".",
        "out/report",
    ];

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            3 => (0..OUTPUTS.len()).prop_map(Step::Build),
            1 => (0..OUTPUTS.len()).prop_map(Step::Report),
            1 => any::<u8>().prop_map(Step::Edit),
            1 => (0..OUTPUTS.len()).prop_map(Step::Drop),
        ]
    }

    /// What each file and link the test itself made must still be.
    fn theirs(world: &Path, expected: &BTreeMap<PathBuf, Vec<u8>>) {
        for (path, bytes) in expected {
            let full = world.join(path);
            let meta = std::fs::symlink_metadata(&full)
                .unwrap_or_else(|_| panic!("{} was removed or moved", path.display()));
            if meta.is_symlink() {
                assert_eq!(
                    std::fs::read_link(&full)
                        .unwrap()
                        .as_os_str()
                        .as_encoded_bytes(),
                    bytes.as_slice(),
                    "{} was changed",
                    path.display()
                );
            } else {
                assert!(
                    &std::fs::read(&full).unwrap() == bytes,
                    "{} was changed",
                    path.display()
                );
            }
        }
    }

    fn record(world: &Path, expected: &mut BTreeMap<PathBuf, Vec<u8>>, under: &str) {
        for entry in walkdir::WalkDir::new(world.join(under)).follow_root_links(false) {
            let entry = entry.unwrap();
            let relative = entry.path().strip_prefix(world).unwrap().to_path_buf();
            if entry.path_is_symlink() {
                let target = std::fs::read_link(entry.path()).unwrap();
                expected.insert(relative, target.as_os_str().as_encoded_bytes().to_vec());
            } else if entry.file_type().is_file() {
                expected.insert(relative, std::fs::read(entry.path()).unwrap());
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
        #[test]
        fn no_foreign_file_is_touched(steps in proptest::collection::vec(step(), 1..9)) {
            let site = TestSite::fixture("basic");
            let world_dir = tempfile::tempdir().unwrap();
            let world = world_dir.path();
            common::copy_dir(site.root(), &world.join("site"));
            someones_files(&world.join("foreign"));
            std::fs::create_dir(world.join("empty")).unwrap();
            std::fs::create_dir(world.join("web")).unwrap();
            std::os::unix::fs::symlink(world.join("foreign"), world.join("link-to-foreign")).unwrap();
            std::os::unix::fs::symlink(world.join("web"), world.join("link-to-web")).unwrap();
            std::os::unix::fs::symlink(world.join("site"), world.join("link-to-site")).unwrap();
            let mut expected = BTreeMap::new();
            for under in ["site", "foreign", "link-to-foreign", "link-to-web", "link-to-site"] {
                record(world, &mut expected, under);
            }
            let root = world.join("site");
            let mut options = BuildOptions::new(&root, pamphlet::model::Date::parse(common::TODAY).unwrap());
            for step in steps {
                match step {
                    Step::Build(n) => {
                        options.out = Some(world.join(OUTPUTS[n]));
                        let _ = pamphlet::build(&options);
                    }
                    Step::Report(n) => {
                        let _ = pamphlet::report::write(&options, &world.join(OUTPUTS[n]));
                    }
                    Step::Edit(byte) => {
                        let path = PathBuf::from("site/content/articles/effects.md");
                        let text = std::fs::read_to_string(world.join(&path)).unwrap()
                            .replacen("Most people", &format!("Most people ({byte})"), 1);
                        std::fs::write(world.join(&path), &text).unwrap();
                        expected.insert(path, text.into_bytes());
                    }
                    Step::Drop(n) => {
                        let folder = world.join(OUTPUTS[n]);
                        if folder.is_dir() {
                            let path = folder.join(format!("dropped-{n}.txt"));
                            if !path.exists() {
                                std::fs::write(&path, "a file of someone's").unwrap();
                                let relative = path.strip_prefix(world).unwrap().to_path_buf();
                                expected.insert(relative, b"a file of someone's".to_vec());
                            }
                        }
                    }
                }
                theirs(world, &expected);
            }
        }
    }
}

/// Pages are rendered, verified and written one by one, so a page that
/// fails verification is found after others are already in the staging
/// folder: the build must still be refused as a whole, the published site
/// must stay byte for byte as it was, and the next good build must publish
/// exactly what a build from nothing would.
#[test]
fn a_page_refused_while_pages_are_written_publishes_nothing() {
    let site = TestSite::fixture("basic");
    site.built();
    let before = snapshot(&site.public());
    let listed_before = entries(&site.public());

    let template = "themes/clinic/templates/article.html";
    let good = site.read(template);
    // Only the article whose title is "Effects" loses its disclaimer marker,
    // so the other pages pass and are written first.
    let dropped = good.replace(
        "data-disclaimer=\"{{ disclaimer.id }}\"",
        "{% if page.title != \"Effects\" %}data-disclaimer=\"{{ disclaimer.id }}\"{% endif %}",
    );
    assert_ne!(dropped, good);
    site.write(template, &dropped);
    let problems = site.refused();
    let on_effects: Vec<_> = problems
        .iter()
        .filter(|d| d.code.id() == "P017")
        .map(|d| d.message.as_str())
        .collect();
    assert!(
        !on_effects.is_empty() && on_effects.iter().all(|m| m.contains("effects.md")),
        "{on_effects:?}"
    );
    assert_eq!(snapshot(&site.public()), before);
    assert_eq!(entries(&site.public()), listed_before);

    site.write(template, &good);
    let effects = site.read("content/articles/effects.md");
    site.write(
        "content/articles/effects.md",
        &format!("{effects}\nOne more line.\n"),
    );
    site.built();
    let (listed, files) = built_from_nothing(&site);
    assert_eq!(entries(&site.public()), listed);
    assert_eq!(snapshot(&site.public()), files);
}
