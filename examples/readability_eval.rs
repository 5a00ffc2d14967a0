//! Readability as a build measures it, beside the running prose it was
//! measured on, one JSON line a page, for `scripts/readability-vs-textstat`
//! to compare with Python's textstat on exactly the same text.
//!
//! ```sh
//! cargo run --release --example readability_eval -- content ../shared/seeds
//! ```

use std::path::Path;

fn main() {
    let roots: Vec<String> = std::env::args().skip(1).collect();
    if roots.is_empty() {
        eprintln!("usage: readability_eval FILE_OR_FOLDER...");
        std::process::exit(2);
    }
    for root in &roots {
        let mut files: Vec<_> = walkdir::WalkDir::new(root)
            .into_iter()
            .filter_map(Result::ok)
            .map(walkdir::DirEntry::into_path)
            .filter(|path| path.extension().is_some_and(|e| e == "md" || e == "txt"))
            .filter(|path| {
                !["_index.md", "README.md", "references.md"]
                    .iter()
                    .any(|name| path.ends_with(name))
            })
            .collect();
        files.sort();
        for file in files {
            report(&file);
        }
    }
}

fn report(file: &Path) {
    let Ok(text) = std::fs::read_to_string(file) else {
        return;
    };
    let (prose, readability) = pamphlet::fuzzing::running_prose_and_readability(&text);
    let Some(readability) = readability else {
        return;
    };
    let line = serde_json::json!({
        "file": file.display().to_string(),
        "text": prose,
        "words": readability.words,
        "sentences": readability.sentences,
        "syllables": readability.syllables,
        "flesch_kincaid": readability.flesch_kincaid_grade,
        "smog": readability.smog_grade,
    });
    println!("{line}");
}
