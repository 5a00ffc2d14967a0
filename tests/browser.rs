//! Runs the browser suite (tests/browser/site.test.mjs) on the included
//! site: Debian's Chromium, driven by Playwright, with axe-core. The suite
//! needs `chromium` and the npm packages in tests/browser; `scripts/test`
//! installs both. Missing either is a failure here, never a skip.

mod common;

use std::path::Path;
use std::process::Command;

use common::TestSite;

#[test]
fn the_included_site_passes_the_browser_suite() {
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
    let site = TestSite::included();
    site.built();
    let output = Command::new("node")
        .arg("--test")
        .current_dir(&suite)
        .env("PAMPHLET_SITE", site.public())
        .output()
        .expect("node runs");
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
