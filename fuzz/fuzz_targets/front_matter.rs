//! Splitting and parsing front matter: any text gives a split and typed
//! front matter, or a diagnostic pointing inside the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pamphlet::load::front_matter::{parse_yaml, split};
use pamphlet::model::FrontMatter;
use pamphlet::source::SourceFile;

fuzz_target!(|text: &str| {
    let file = SourceFile::new("content/a.md", text);
    match split(&file) {
        Ok(parts) => {
            assert!(parts.yaml.end <= parts.body_start && parts.body_start <= text.len());
            if let Err(problem) = parse_yaml::<FrontMatter>(&file, &text[parts.yaml.clone()], parts.yaml_first_line) {
                assert!(problem.line >= 1, "a YAML problem must name a line");
            }
        }
        Err(problem) => assert!(problem.line >= 1),
    }
});
