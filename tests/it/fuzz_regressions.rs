//! Every input in fuzz/regressions/ (crashes the fuzzers found, once fixed,
//! and hand-picked nasty cases) is replayed through the three fuzz entry
//! points, so a fixed crash stays fixed.

use std::path::Path;

use pamphlet::fuzzing::{OneArticleSite, render_body};

#[test]
fn every_regression_input_is_handled() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let site = OneArticleSite::new();
    let mut replayed = 0;
    for entry in std::fs::read_dir(folder).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let file = pamphlet::source::SourceFile::new("a.md", text.as_ref());
        if let Ok(parts) = pamphlet::load::front_matter::split(&file) {
            let _ = pamphlet::load::front_matter::parse_yaml::<pamphlet::model::FrontMatter>(
                &file,
                &text[parts.yaml.clone()],
                parts.yaml_first_line,
            );
        }
        assert!(!render_body(&text).contains("href=\"pamphlet-cite:"));
        site.build(&bytes);
        replayed += 1;
    }
    assert!(replayed >= 4, "only {replayed} regression inputs");
}
