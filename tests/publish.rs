//! Publishing reuses the site it swapped out the time before
//! (`.public.previous`) as its staging folder. Whatever that folder holds,
//! the published site must be exactly what a build from nothing writes.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use common::{TestSite, snapshot};

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
fn whatever_the_kept_site_holds_the_published_site_is_exactly_the_new_one() {
    let site = TestSite::fixture("basic");
    let effects = site.read("content/articles/effects.md");
    site.write(
        "content/articles/extra.md",
        &effects.replace("title: Effects", "title: Extra"),
    );
    site.built();
    site.built();
    site.remove("content/articles/extra.md");
    // The kept site still has the removed article; damage it further, as a
    // crash or a curious hand might.
    let kept = kept(&site);
    assert!(kept.join("articles/extra/index.html").is_file());
    let citations = kept.join("articles/citations/index.html");
    let mut bytes = std::fs::read(&citations).unwrap();
    bytes[100] ^= 1; // same length, different content
    std::fs::write(&citations, bytes).unwrap();
    std::fs::write(kept.join("stray.html"), "left over").unwrap();
    std::fs::create_dir_all(kept.join("old-folder/deeper")).unwrap();
    std::fs::write(kept.join("old-folder/deeper/page.html"), "old").unwrap();
    std::fs::remove_file(kept.join("style.css")).unwrap();
    std::fs::create_dir(kept.join("style.css")).unwrap();
    std::fs::remove_file(kept.join("robots.txt")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc/hostname", kept.join("robots.txt")).unwrap();

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
