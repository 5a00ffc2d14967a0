//! Scores the prose checks against labelled sentences: recall per kind on
//! the labelled problem sentences, and how many other sentences of the same
//! pages are flagged (false alarms). Usage:
//!
//!     cargo run --release --example prose_eval -- LABELS.json SEEDS_DIR
//!
//! LABELS.json is a list of {seed, sentence, kinds, confidence} as in
//! `../shared/claims/seeds-labels.json`; kinds are `stat-uncited` and
//! `promotional`. Each seed page is split into sentences as the checks split
//! an article; a sentence is labelled when it holds a labelled sentence (or
//! is held by one, when the splits differ).

use std::collections::BTreeMap;

#[derive(serde::Deserialize)]
struct Label {
    seed: String,
    sentence: String,
    kinds: Vec<String>,
    confidence: String,
}

#[derive(Default)]
struct Score {
    labelled: usize,
    caught: usize,
    flagged: usize,
    flagged_right: usize,
}

fn squeeze(text: &str) -> String {
    text.replace(['\u{2019}', '\u{2018}'], "'")
        .replace(['\u{201c}', '\u{201d}'], "\"")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [labels, seeds] = args.as_slice() else {
        eprintln!("usage: prose_eval LABELS.json SEEDS_DIR");
        std::process::exit(2);
    };
    let labels: Vec<Label> =
        serde_json::from_str(&std::fs::read_to_string(labels).expect("readable labels"))
            .expect("a list of labels");
    let mut by_seed: BTreeMap<&str, Vec<&Label>> = BTreeMap::new();
    for label in &labels {
        by_seed.entry(&label.seed).or_default().push(label);
    }
    let mut scores: BTreeMap<(&str, &str), Score> = BTreeMap::new();
    let mut clean = (0usize, 0usize);
    for (seed, labels) in &by_seed {
        let text = std::fs::read_to_string(std::path::Path::new(seeds).join(seed))
            .expect("readable seed page");
        for (sentence, claim, promotional) in pamphlet::fuzzing::prose_verdicts(&text) {
            let sentence = squeeze(&sentence);
            let matching: Vec<&&Label> = labels
                .iter()
                .filter(|label| {
                    let label = squeeze(&label.sentence);
                    sentence.contains(&label) || (sentence.len() > 20 && label.contains(&sentence))
                })
                .collect();
            if matching.is_empty() {
                clean.0 += 1;
                if claim || promotional {
                    clean.1 += 1;
                    println!("false alarm: {sentence}");
                }
            }
            for (kind, flagged) in [("stat-uncited", claim), ("promotional", promotional)] {
                for confidence in ["clear", "borderline"] {
                    let labelled = matching
                        .iter()
                        .any(|l| l.confidence == confidence && l.kinds.iter().any(|k| k == kind));
                    let score = scores.entry((kind, confidence)).or_default();
                    if labelled {
                        score.labelled += 1;
                        score.caught += usize::from(flagged);
                        if !flagged && confidence == "clear" {
                            println!("missed {kind}: {sentence}");
                        }
                    }
                    if flagged && confidence == "clear" {
                        score.flagged += 1;
                        score.flagged_right += usize::from(!matching.is_empty());
                    }
                }
            }
        }
    }
    println!(
        "\n| kind | labels | caught | recall | flagged sentences that are labelled (any kind) |"
    );
    println!("|---|---:|---:|---:|---:|");
    for ((kind, confidence), score) in &scores {
        let recall = 100.0 * score.caught as f64 / score.labelled.max(1) as f64;
        let precision = if confidence == &"clear" {
            format!(
                "{:.0}% ({}/{})",
                100.0 * score.flagged_right as f64 / score.flagged.max(1) as f64,
                score.flagged_right,
                score.flagged
            )
        } else {
            String::new()
        };
        println!(
            "| {kind} ({confidence}) | {} | {} | {recall:.0}% | {precision} |",
            score.labelled, score.caught
        );
    }
    println!(
        "\nunlabelled sentences flagged: {} of {} ({:.1}%)",
        clean.1,
        clean.0,
        100.0 * clean.1 as f64 / clean.0.max(1) as f64
    );
}
