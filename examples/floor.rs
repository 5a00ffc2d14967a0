//! The floor a build cannot go below: read every markdown file under a
//! folder and parse it with pulldown-cmark, in parallel, doing nothing else.
//! `scripts/bench` times it beside `pamphlet build`.
//!
//! ```sh
//! cargo run --release --example floor -- /tmp/corpus/content
//! ```

use rayon::prelude::*;

fn main() {
    let Some(folder) = std::env::args().nth(1) else {
        eprintln!("usage: floor CONTENT_FOLDER");
        std::process::exit(2);
    };
    let files: Vec<std::path::PathBuf> = walkdir::WalkDir::new(&folder)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.path().extension().is_some_and(|e| e == "md"))
        .map(walkdir::DirEntry::into_path)
        .collect();
    let events: usize = files
        .par_iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            pulldown_cmark::Parser::new_ext(&text, pulldown_cmark::Options::all()).count()
        })
        .sum();
    println!("{} files, {events} markdown events", files.len());
}
