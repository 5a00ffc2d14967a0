//! Runs the browser suites in tests/browser: site.test.mjs on the included
//! site: Debian's Chromium, driven by Playwright, with axe-core; Lighthouse
//! on its first pages. The suite needs `chromium` and the npm packages in
//! tests/browser; `scripts/test` installs both. Missing either is a
//! failure here, never a skip.

use crate::common;

use std::path::Path;
use std::process::Command;

use common::TestSite;

#[test]
fn the_included_site_passes_the_browser_suite() {
    let suite = browser_suite();
    let site = TestSite::included();
    site.built();
    let qr_shot = site.root().join("qr.png");
    let output = Command::new("node")
        .args(["--test", "site.test.mjs"])
        .current_dir(&suite)
        .env("PAMPHLET_SITE", site.public())
        .env("PAMPHLET_QR_SHOT", &qr_shot)
        .output()
        .expect("node runs");
    assert_passed(&output);
    // The printed handout's QR code, as Chromium drew it, leads back to the
    // page's own address.
    assert_eq!(
        scanned(&qr_shot).as_deref(),
        Some("https://riverbend-clinic.example/conditions/ptsd/")
    );
}

/// What a phone's camera reads from a PNG of a QR code.
fn scanned(png_file: &Path) -> Option<String> {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(png_file).expect("the screenshot was written"),
    ));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    let channels = frame.color_type.samples();
    let width = frame.width as usize;
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(width, frame.height as usize, |x, y| {
            pixels[(y * width + x) * channels]
        });
    let grids = image.detect_grids();
    let (_, text) = grids.first()?.decode().ok()?;
    Some(text)
}

/// Lighthouse (accessibility, best practices, SEO) on the home page, a
/// section and an article of the included site: 100 each.
#[test]
fn the_pages_patients_meet_first_score_100_in_lighthouse() {
    let suite = browser_suite();
    let site = TestSite::included();
    site.built();
    let output = Command::new("node")
        .args(["--test", "lighthouse.test.mjs"])
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

/// Markup the build accepts though it looks dangerous: quoted markup in an
/// attribute, scripts written as text or code, links out, self-closing
/// paragraphs and cells, entity-encoded addresses. Each becomes a page.
const NEAR_MISSES: [&str; 17] = [
    "<div title=\"</div><script>window.__ran=1</script>\">quoted markup in an attribute</div>",
    "<details><summary>More <b>about</b> it</summary><p>Folded away, which is allowed.</p></details>",
    "&lt;script&gt;window.__ran=1&lt;/script&gt; written as text",
    "```html\n<script src=\"https://evil.example/x.js\"></script>\n<img src=x onerror=\"window.__ran=1\">\n```",
    "Code: `<iframe src=\"https://evil.example\"></iframe>` and `<img src=x onerror=window.__ran=1>`",
    "<a href=\"#javascript%3Awindow.__ran=1\">a fragment that only looks like a script</a>",
    "<a href=\"https://evil.example/\">a link out</a> <q cite=\"https://evil.example/q\">a quotation</q>",
    "[entity-encoded](&#x2F;&#x2F;evil.example/page) is a link out, not a load",
    "<https://evil.example/autolink> and <help@clinic.example>",
    "<table><tr><td>cell<td>cell two</table>",
    "<p>unclosed paragraph<p>and another",
    "![a local image, *emphasised* and [linked](https://evil.example/)](probe.png)",
    "<abbr title=\"&quot; onmouseover=&quot;window.__ran=1\">attr</abbr> <span lang=\"en\">x</span>",
    "Text with a note.[^n]\n\n[^n]: <em>A note</em> with <a href=\"#top\">a link</a>.",
    "## A heading {#probe-heading .highlight}",
    "<!-- a closed comment --> then <ins>inserted</ins> and <del>deleted</del>",
    "<pre><code>&lt;object data=\"https://evil.example\"&gt;</code></pre>",
];

/// The near misses above and every input of the promise fuzz target's
/// corpus that holds markup and that the build accepts, each opened in
/// Chromium with the page's CSP switched off.
#[test]
fn accepted_markup_runs_no_script_and_asks_no_other_host_in_chromium() {
    let suite = browser_suite();
    let site = TestSite::fixture("basic");
    let effects = site.read("content/articles/effects.md");
    let front = effects.split("---\n").nth(1).expect("front matter");
    let article = |title: &str, body: &str| {
        let front = front.replace("title: Effects", &format!("title: {title}"));
        format!("---\n{front}---\nA sentence [@shared2020].\n\n{body}\n")
    };
    site.write("content/probes/probe.png", "not really a picture");
    for (number, body) in NEAR_MISSES.iter().enumerate() {
        site.write(
            &format!("content/probes/p{number}.md"),
            &article("Probe", body),
        );
    }
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/promise");
    let mut inputs: Vec<_> = std::fs::read_dir(&corpus)
        .expect("the promise corpus is kept")
        .map(|entry| entry.expect("readable").path())
        .collect();
    inputs.sort();
    let mut fuzzed = 0;
    // A few hundred pages keep the browser's share of the suite near a
    // minute; the corpus's names are hashes, so the first ones are a fair
    // sample.
    for path in inputs {
        let bytes = std::fs::read(&path).expect("readable");
        let opens_a_tag = bytes
            .windows(2)
            .any(|pair| pair[0] == b'<' && (pair[1].is_ascii_alphabetic() || pair[1] == b'!'));
        if opens_a_tag && fuzzed < 400 {
            let name = path.file_name().unwrap().to_string_lossy();
            let body = String::from_utf8_lossy(&bytes);
            site.write(
                &format!("content/fuzzed/{name}.md"),
                &article("Fuzzed", &body),
            );
            fuzzed += 1;
        }
    }
    assert!(fuzzed == 400, "only {fuzzed} corpus inputs hold markup");
    if let Err(pamphlet::BuildError::Refused(problems)) = site.build() {
        let refused: std::collections::BTreeSet<_> = problems
            .iter()
            .filter(|p| p.severity == pamphlet::diagnostics::Severity::Error)
            .filter_map(|p| p.file.clone())
            .collect();
        for file in refused {
            assert!(
                file.starts_with("content/fuzzed"),
                "a near miss was refused: {}",
                pamphlet::diagnostics::to_plain_text(&problems)
            );
            std::fs::remove_file(site.root().join(file)).expect("removable");
        }
    }
    site.built();
    let published = std::fs::read_dir(site.public().join("fuzzed"))
        .unwrap()
        .count();
    assert!(published > 150, "only {published} fuzzed pages published");
    let output = Command::new("node")
        .args(["--test", "probes.test.mjs"])
        .current_dir(&suite)
        .env("PAMPHLET_SITE", site.public())
        .env("PAMPHLET_PROBE_FOLDERS", "probes,fuzzed")
        .output()
        .expect("node runs");
    assert_passed(&output);
}

/// Pictures and files beside an article, in other folders and named from
/// the site's root, loaded from a sub-folder of a server and from the file
/// system.
#[test]
fn pictures_and_files_load_from_a_sub_folder_and_from_the_file_system_in_chromium() {
    let suite = browser_suite();
    let site = TestSite::fixture("basic");
    site.with_pictures_and_files().built();
    let output = Command::new("node")
        .args(["--test", "files.test.mjs"])
        .current_dir(&suite)
        .env("PAMPHLET_SITE", site.public())
        .output()
        .expect("node runs");
    assert_passed(&output);
}

/// The reviewers' report of the included site after one signed-off article
/// was edited: light on screen and as printed.
#[test]
fn the_report_shows_an_edit_since_sign_off_in_chromium_on_screen_and_in_print() {
    let suite = browser_suite();
    let site = TestSite::included();
    let changed = "content/conditions/depression.md";
    let text = site.read(changed);
    let (front, body) = text.split_at(text.find("\n---\n").expect("front matter") + 5);
    let edited_body = body.replacen(" can ", " may ", 1);
    assert_ne!(edited_body, body, "the body has no word to change");
    site.write(changed, &format!("{front}{edited_body}"));
    let written = site.run(&["report", "--as-of", common::INCLUDED_SITE_TODAY]);
    assert!(
        written.status.success(),
        "{}",
        String::from_utf8_lossy(&written.stderr)
    );
    let output = Command::new("node")
        .args(["--test", "report.test.mjs"])
        .current_dir(&suite)
        .env("PAMPHLET_REPORT", site.root().join("reports"))
        .env("PAMPHLET_CHANGED", changed)
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
    if !suite.join("node_modules/playwright-core").is_dir()
        || !suite.join("node_modules/lighthouse").is_dir()
    {
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
