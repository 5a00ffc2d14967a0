//! Scores the prose checks against labelled sentences: recall per kind on
//! the labelled problem sentences, precision per kind over the sentences
//! each check flags, and how many unlabelled sentences are flagged (false
//! alarms). Usage:
//!
//!     cargo run --release --example prose_eval -- LABELS.json PAGES_DIR
//!
//! LABELS.json is a list of {seed, sentence, kinds, confidence} as in
//! `../shared/claims/seeds-labels.json`, `seed` a page's path under
//! PAGES_DIR; kinds are `stat-uncited`, `promotional` and `suicide-wording`.
//! Every `.txt` page under PAGES_DIR is read, labelled or not, and split into
//! sentences as the checks split an article; a sentence is labelled when it
//! holds a labelled sentence (or is held by one, when the splits differ). A
//! flag on a sentence labelled borderline for that kind counts neither for
//! nor against precision.

use std::collections::BTreeMap;
use std::path::Path;

#[derive(serde::Deserialize)]
struct Label {
    seed: String,
    sentence: String,
    kinds: Vec<String>,
    confidence: String,
}

#[derive(Default)]
struct Score {
    clear: usize,
    clear_caught: usize,
    borderline: usize,
    borderline_caught: usize,
    flagged: usize,
    flagged_clear: usize,
    flagged_borderline: usize,
}

const KINDS: [&str; 3] = ["stat-uncited", "promotional", "suicide-wording"];

fn squeeze(text: &str) -> String {
    text.replace(['\u{2019}', '\u{2018}'], "'")
        .replace(['\u{201c}', '\u{201d}'], "\"")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn pages(dir: &Path, under: &Path, found: &mut Vec<String>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("readable pages folder")
        .flatten()
        .map(|entry| entry.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            pages(&path, under, found);
        } else if path.extension().is_some_and(|ext| ext == "txt") {
            let relative = path.strip_prefix(under).expect("under the folder");
            found.push(relative.to_string_lossy().replace('\\', "/"));
        }
    }
}

fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        "-".into()
    } else {
        format!("{:.0}%", 100.0 * part as f64 / whole as f64)
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [labels, dir] = args.as_slice() else {
        eprintln!("usage: prose_eval LABELS.json PAGES_DIR");
        std::process::exit(2);
    };
    let labels: Vec<Label> =
        serde_json::from_str(&std::fs::read_to_string(labels).expect("readable labels"))
            .expect("a list of labels");
    let mut by_page: BTreeMap<&str, Vec<&Label>> = BTreeMap::new();
    for label in &labels {
        by_page.entry(&label.seed).or_default().push(label);
    }
    let dir = Path::new(dir);
    let mut names = Vec::new();
    pages(dir, dir, &mut names);
    let mut scores: BTreeMap<&str, Score> = BTreeMap::new();
    let (mut clean, mut clean_flagged, mut sentences) = (0usize, 0usize, 0usize);
    for name in &names {
        let text = std::fs::read_to_string(dir.join(name)).expect("readable page");
        let page_labels = by_page.get(name.as_str()).cloned().unwrap_or_default();
        for verdict in pamphlet::fuzzing::prose_verdicts(&text) {
            sentences += 1;
            let sentence = squeeze(&verdict.sentence);
            let matching: Vec<&&Label> = page_labels
                .iter()
                .filter(|label| {
                    let label = squeeze(&label.sentence);
                    sentence.contains(&label) || (sentence.len() > 20 && label.contains(&sentence))
                })
                .collect();
            let flags = [
                verdict.uncited_claim,
                verdict.promotional,
                verdict.unsafe_wording,
            ];
            if matching.is_empty() {
                clean += 1;
                if flags.iter().any(|&flag| flag) {
                    clean_flagged += 1;
                    println!("false alarm ({name}): {sentence}");
                }
            }
            for (kind, flagged) in KINDS.into_iter().zip(flags) {
                let labelled = |confidence: &str| {
                    matching
                        .iter()
                        .any(|l| l.confidence == confidence && l.kinds.iter().any(|k| k == kind))
                };
                let (clear, borderline) = (labelled("clear"), labelled("borderline"));
                let score = scores.entry(kind).or_default();
                if clear {
                    score.clear += 1;
                    score.clear_caught += usize::from(flagged);
                    if !flagged {
                        println!("missed {kind} ({name}): {sentence}");
                    }
                } else if borderline {
                    score.borderline += 1;
                    score.borderline_caught += usize::from(flagged);
                }
                if flagged {
                    score.flagged += 1;
                    score.flagged_clear += usize::from(clear);
                    score.flagged_borderline += usize::from(!clear && borderline);
                    if !clear && !borderline && !matching.is_empty() {
                        println!("flagged {kind}, labelled otherwise ({name}): {sentence}");
                    }
                }
            }
        }
    }
    println!(
        "\n{} pages, {sentences} sentences, {clean} with no label\n",
        names.len()
    );
    println!("| kind | clear labels | caught | recall | borderline caught | flagged | precision |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for (kind, score) in &scores {
        let judged = score.flagged - score.flagged_borderline;
        println!(
            "| {kind} | {} | {} | {} | {} of {} | {} | {} ({}/{judged}) |",
            score.clear,
            score.clear_caught,
            percent(score.clear_caught, score.clear),
            score.borderline_caught,
            score.borderline,
            score.flagged,
            percent(score.flagged_clear, judged),
            score.flagged_clear,
        );
    }
    println!(
        "\nunlabelled sentences flagged: {clean_flagged} of {clean} ({})",
        percent(clean_flagged, clean)
    );
}
