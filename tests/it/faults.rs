//! The published site is never lost: a build either swaps in a complete new
//! site or leaves the previous one byte for byte, whatever interrupts it.

use crate::common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{TestSite, snapshot};

/// The fixture with `count` more articles, so a build takes long enough to
/// be interrupted while it publishes.
fn large_site(count: usize) -> TestSite {
    let site = TestSite::fixture("basic");
    let article = site.read("content/articles/effects.md");
    for n in 0..count {
        site.write(
            &format!("content/articles/generated-{n:04}.md"),
            &article
                .replace("title: Effects", &format!("title: Generated {n}"))
                .replace("{#common}", ""),
        );
    }
    site
}

/// A published site of `count` extra articles, its files as published,
/// and then an edit that the next build must publish.
fn published_then_edited(count: usize) -> (TestSite, Vec<(std::path::PathBuf, Vec<u8>)>) {
    let site = large_site(count);
    site.built();
    let before = snapshot(&site.public());
    site.edit(
        "content/articles/effects.md",
        "Most people feel sleepy",
        "Most people feel very sleepy",
    );
    (site, before)
}

fn staging_leftovers(site: &TestSite) -> Vec<String> {
    std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("staging"))
        .collect()
}

#[test]
fn a_failure_after_some_pages_are_written_leaves_the_previous_site() {
    let (site, before) = published_then_edited(40);
    let result =
        pamphlet::build_with_faults(&site.options(), &pamphlet::publish::FailAfterWrites(20));
    let Err(pamphlet::BuildError::Environment(error)) = result else {
        panic!("the injected failure was not reported: {result:?}");
    };
    assert_eq!(error.trouble, pamphlet::Trouble::FileSystem);
    let message = error.message();
    assert!(
        message.contains("injected failure")
            && message.contains("previous site there is unchanged"),
        "{message}"
    );
    assert_eq!(before, snapshot(&site.public()));
    assert!(
        staging_leftovers(&site).is_empty(),
        "{:?}",
        staging_leftovers(&site)
    );
}

#[cfg(unix)]
#[test]
fn a_build_killed_while_publishing_leaves_the_previous_site_and_the_next_build_cleans_up() {
    let (site, before) = published_then_edited(1500);

    let mut child = Command::new(env!("CARGO_BIN_EXE_pamphlet"))
        .args(["build", "--as-of", common::TODAY])
        .current_dir(site.root())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let staging = site.root().join(format!(".public.staging-{}", child.id()));
    let started = Instant::now();
    while !staging.exists() {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the build never started publishing"
        );
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the build finished ({status}) before it could be killed; make the site larger");
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    child.kill().unwrap(); // SIGKILL: no chance to clean up
    child.wait().unwrap();

    assert_eq!(
        before,
        snapshot(&site.public()),
        "the published site changed"
    );
    assert!(
        staging.exists(),
        "the kill should have left the staging folder behind"
    );
    site.built();
    assert!(
        staging_leftovers(&site).is_empty(),
        "{:?}",
        staging_leftovers(&site)
    );
    let page = site.read("public/articles/effects/index.html");
    assert!(page.contains("very sleepy"));
}

#[cfg(unix)]
#[test]
fn a_second_build_refuses_while_another_is_publishing_and_works_after() {
    use rustix::fs::{FlockOperation, flock};
    let site = TestSite::fixture("basic");
    site.built();
    let before = snapshot(&site.public());
    let lock = std::fs::File::open(site.root().join(".public.lock")).unwrap();
    flock(&lock, FlockOperation::NonBlockingLockExclusive).unwrap();

    let output = site.run(&["build", "--as-of", common::TODAY]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("another pamphlet build is publishing to"),
        "{stderr}"
    );
    let error = pamphlet::build(&site.options()).unwrap_err();
    assert_eq!(error.trouble(), Some(pamphlet::Trouble::Busy), "{error}");
    assert_eq!(before, snapshot(&site.public()));

    drop(lock);
    let output = site.run(&["build", "--as-of", common::TODAY]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[cfg(unix)]
#[test]
fn builds_started_together_never_interleave() {
    let site = large_site(300);
    site.built();
    site.edit(
        "content/articles/effects.md",
        "Most people feel sleepy",
        "Most people feel very sleepy",
    );
    let children: Vec<_> = (0..3)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_pamphlet"))
                .args(["build", "--as-of", common::TODAY])
                .current_dir(site.root())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let codes: Vec<Option<i32>> = children
        .into_iter()
        .map(|child| child.wait_with_output().unwrap().status.code())
        .collect();
    assert!(
        codes.iter().all(|c| *c == Some(0) || *c == Some(2)),
        "{codes:?}"
    );
    assert!(codes.contains(&Some(0)), "{codes:?}");
    // Whatever won, the published site is one whole build: the same as a
    // build run alone.
    let together = snapshot(&site.public());
    site.built();
    assert_eq!(together, snapshot(&site.public()));
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_output_disk_exits_2_and_leaves_the_previous_site() {
    let site = large_site(20);
    site.built();
    let size_kb: u64 = walkdir::WalkDir::new(site.public())
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.metadata().unwrap().len().div_ceil(4096) * 4)
        .sum();
    std::fs::remove_dir_all(site.public()).unwrap();
    let disk = site.root().join("disk");
    std::fs::create_dir(&disk).unwrap();
    // Room for one copy of the site but not two: the second build fills the
    // disk while writing its staging folder beside the published one.
    let script = format!(
        r#"set -u
mount -t tmpfs -o size={room}k tmpfs "{disk}" || exit 90
pamphlet() {{ "{bin}" build --as-of {today} --out "{disk}/public"; }}
pamphlet 2>/dev/null || exit 91
(cd "{disk}/public" && find . -type f -exec sha256sum {{}} + | sort) > before
sed -i 's/Most people feel sleepy/Most people feel very sleepy indeed/' content/articles/effects.md
pamphlet 2> second.err; echo $? > second.status
(cd "{disk}/public" && find . -type f -exec sha256sum {{}} + | sort) > after
ls -A "{disk}" > leftovers
"#,
        room = size_kb * 3 / 2 + 64,
        disk = disk.display(),
        bin = env!("CARGO_BIN_EXE_pamphlet"),
        today = common::TODAY,
    );
    let status = Command::new("unshare")
        .args(["--mount", "--map-root-user", "sh", "-c", &script])
        .current_dir(site.root())
        .status()
        .expect("unshare runs (util-linux)");
    assert_eq!(
        status.code(),
        Some(0),
        "the script could not set up the small disk"
    );
    assert_eq!(
        site.read("second.status").trim(),
        "2",
        "{}",
        site.read("second.err")
    );
    assert!(
        site.read("second.err").contains("No space left on device"),
        "{}",
        site.read("second.err")
    );
    assert!(
        site.read("second.err")
            .contains("the previous site there is unchanged")
    );
    assert_eq!(site.read("before"), site.read("after"));
    assert!(!site.read("before").is_empty());
    assert_eq!(
        site.read("leftovers")
            .split_whitespace()
            .filter(|n| n.contains("staging"))
            .count(),
        0
    );
}
