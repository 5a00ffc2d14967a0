//! Runs the browser suites in tests/browser: site.test.mjs on the included
//! site: Debian's Chromium, driven by Playwright, with axe-core. The suite
//! needs `chromium` and the npm packages in tests/browser; `scripts/test`
//! installs both. Missing either is a failure here, never a skip.

mod common;

use std::path::Path;
use std::process::Command;

use common::TestSite;

#[test]
fn the_included_site_passes_the_browser_suite() {
    let suite = browser_suite();
    let site = TestSite::included();
    site.built();
    let output = Command::new("node")
        .args(["--test", "site.test.mjs"])
        .current_dir(&suite)
        .env("PAMPHLET_SITE", site.public())
        .output()
        .expect("node runs");
    assert_passed(&output);
}

/// `pamphlet serve` on the fixture site, edited while Chromium watches.
#[test]
fn the_live_preview_reloads_and_shows_problems_in_the_browser() {
    let suite = browser_suite();
    let site = TestSite::fixture("basic");
    let output = Command::new("node")
        .args(["--test", "serve.test.mjs"])
        .current_dir(&suite)
        .env("PAMPHLET_BIN", env!("CARGO_BIN_EXE_pamphlet"))
        .env("PAMPHLET_PREVIEW_SITE", site.root())
        .output()
        .expect("node runs");
    assert_passed(&output);
}

/// The suite's folder, with chromium and the npm packages in place.
fn browser_suite() -> std::path::PathBuf {
    assert!(
        Path::new("/usr/bin/chromium").is_file(),
        "Debian's chromium is not installed: run scripts/test, which installs it (apt-get install chromium)"
    );
    let suite = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    if !suite.join("node_modules/playwright-core").is_dir() {
        let installed = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&suite)
            .status()
            .expect("npm runs (it comes with the machine's Node.js)");
        assert!(installed.success(), "npm ci failed in tests/browser");
    }
    suite
}

fn assert_passed(output: &std::process::Output) {
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the browser suite failed:\n{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(report.contains("# fail 0"), "{report}");
    assert!(
        !report.contains("# pass 0"),
        "the browser suite ran no test:\n{report}"
    );
}
