//! Hostile inputs at n, 2n and 4n: the time and peak memory of a whole
//! build through the real binary (problems printed as an editor sees them)
//! must about double with each doubling, never quadruple.
//!
//!     cargo bench --bench hostile
//!
//! Each case once cost quadratic time: repeated headings (anchor
//! numbering), thousands of problems on one line (each quoted the whole
//! line), spaces before a citation; and one that must not: a sentence of
//! thousands of claims (each claim once read the whole sentence before it),
//! and claims judged by the words after them (a version read the rest of
//! the page for each).

#[path = "../tests/it/common/mod.rs"]
mod common;

use std::process::Command;
use std::time::Instant;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/basic");

fn body(case: &str, n: usize) -> String {
    match case {
        "repeated headings" => "\n## Same\n".repeat(n),
        "problems on one line" => format!("\n\n{}\n", "<b onclick=x>".repeat(n)),
        "spaces before a citation" => format!("\n\nText{}[@shared2020].\n", " ".repeat(n * 50)),
        "unclosed elements" => format!("\n\n{}\n", "<div>".repeat(n)),
        "claims in one sentence" => format!(
            "\n\n{}.\n",
            "most people improve, 70% respond, it cures and [1] ".repeat(n)
        ),
        // Claims whose meaning hangs on the words after them: each must
        // read a few words, never the rest of the page.
        "claims read in context" => format!(
            "\n\n{}.\n",
            "faster than they can, the majority of your visit, the best way to find, \
             cure for two days, three times higher than pressure, "
                .repeat(n)
        ),
        _ => unreachable!(),
    }
}

/// Wall seconds and peak memory (MB) of one build of the fixture with
/// `extra` appended to one article.
fn measure(extra: &str) -> (f64, f64) {
    let site = tempfile::tempdir().unwrap();
    common::copy_dir(FIXTURE.as_ref(), site.path());
    common::copy_dir(
        concat!(env!("CARGO_MANIFEST_DIR"), "/themes").as_ref(),
        &site.path().join("themes"),
    );
    let article = site.path().join("content/articles/effects.md");
    let text = std::fs::read_to_string(&article).unwrap() + extra;
    std::fs::write(&article, text).unwrap();
    let report = site.path().join("time.txt");
    let started = Instant::now();
    Command::new("/usr/bin/time")
        .args(["-f", "%M", "-o"])
        .arg(&report)
        .arg(env!("CARGO_BIN_EXE_pamphlet"))
        .args(["build", "--as-of", "2026-11-21", "--root"])
        .arg(site.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("/usr/bin/time runs (apt-get install time)");
    let seconds = started.elapsed().as_secs_f64();
    let kilobytes: f64 = std::fs::read_to_string(&report)
        .unwrap()
        .trim()
        .lines()
        .last()
        .unwrap()
        .parse()
        .unwrap();
    (seconds, kilobytes / 1024.0)
}

fn main() {
    println!("| input | n | time | peak | time / previous | peak / previous |");
    println!("|---|---:|---:|---:|---:|---:|");
    for case in [
        "repeated headings",
        "problems on one line",
        "spaces before a citation",
        "unclosed elements",
        "claims in one sentence",
        "claims read in context",
    ] {
        let mut previous: Option<(f64, f64)> = None;
        for n in [5_000, 10_000, 20_000] {
            // The best of three, as a stand-in for the cost of the input.
            let (time, peak) = (0..3)
                .map(|_| measure(&body(case, n)))
                .fold((f64::MAX, 0.0f64), |(t, m), (t2, m2)| {
                    (t.min(t2), m.max(m2))
                });
            let ratios = previous.map_or(("".to_owned(), "".to_owned()), |(t, m)| {
                (format!("{:.2}x", time / t), format!("{:.2}x", peak / m))
            });
            println!(
                "| {case} | {n} | {:.3} s | {:.0} MB | {} | {} |",
                time, peak, ratios.0, ratios.1
            );
            previous = Some((time, peak));
        }
    }
}
