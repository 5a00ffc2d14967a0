//! Every bad input an editor (or an attacker) can hand Pamphlet is answered
//! with a diagnostic naming the file, and exit code 1; never a panic. Each
//! test runs the real binary with `check --format json`.

use crate::common;

use std::path::Path;

use common::TestSite;
use serde_json::Value;

const ARTICLE: &str = "content/articles/effects.md";

/// Runs `pamphlet check --format json` and returns the exit code and the
/// problems in `file`.
fn check(site: &TestSite, file: &str) -> (Option<i32>, Vec<Value>) {
    let output = site.run(&["check", "--format", "json", "--as-of", common::TODAY]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "pamphlet panicked:\n{stderr}");
    let problems = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .filter(|problem| problem["file"] == file)
        .collect();
    (output.status.code(), problems)
}

/// The one error of `code` in `file`, with exit code 1.
fn refused_with(site: &TestSite, file: &str, code: &str) -> Value {
    let (exit, problems) = check(site, file);
    assert_eq!(exit, Some(1), "{problems:#?}");
    let matching: Vec<&Value> = problems.iter().filter(|p| p["code"] == code).collect();
    assert_eq!(
        matching.len(),
        1,
        "expected one {code} in {file}: {problems:#?}"
    );
    assert_eq!(matching[0]["severity"], "error");
    matching[0].clone()
}

fn message(problem: &Value) -> &str {
    problem["message"].as_str().unwrap()
}

#[test]
fn malformed_yaml() {
    let site = TestSite::fixture("basic");
    site.write(
        ARTICLE,
        "---\ntitle: Effects\nsummary: Effects: what to know\n---\n",
    );
    let problem = refused_with(&site, ARTICLE, "P004");
    assert!(message(&problem).starts_with("the front matter is not valid YAML"));
    assert_eq!(problem["line"], 3);
}

#[test]
fn front_matter_never_closed() {
    let site = TestSite::fixture("basic");
    site.write(
        ARTICLE,
        "---\ntitle: Effects\n\nThe body, but no closing fence.\n",
    );
    assert_eq!(
        message(&refused_with(&site, ARTICLE, "P003")),
        "the front matter is never closed"
    );
}

#[test]
fn front_matter_that_is_not_a_set_of_fields() {
    let site = TestSite::fixture("basic");
    site.write(ARTICLE, "---\n- title\n- summary\n---\nText.\n");
    let problem = refused_with(&site, ARTICLE, "P006");
    assert_eq!(
        message(&problem),
        "the front matter must be a set of fields, one per line, such as `title: ...`"
    );
}

#[test]
fn a_byte_order_mark_and_windows_line_endings_are_accepted_with_right_line_numbers() {
    let site = TestSite::fixture("basic");
    let article = site
        .read(ARTICLE)
        .replace('\n', "\r\n")
        .replace("[@shared2020]", "[@nobody]");
    site.write(ARTICLE, &format!("\u{feff}{article}"));
    let problem = refused_with(&site, ARTICLE, "P007");
    let line = article
        .lines()
        .position(|l| l.contains("[@nobody]"))
        .unwrap()
        + 1;
    assert_eq!(problem["line"], line);
    site.write(
        ARTICLE,
        &format!(
            "\u{feff}{}",
            site.read(ARTICLE)
                .trim_start_matches('\u{feff}')
                .replace("[@nobody]", "[@shared2020]")
        ),
    );
    let (exit, problems) = check(&site, ARTICLE);
    assert_eq!(exit, Some(0), "{problems:#?}");
}

#[test]
fn bytes_that_are_not_utf8_name_the_byte_offset() {
    let site = TestSite::fixture("basic");
    let mut bytes = b"---\ntitle: Caf".to_vec();
    bytes.push(0xE9); // Latin-1 e-acute, as Word's "Save as text" writes it
    bytes.extend_from_slice(b"\n---\n");
    std::fs::write(site.root().join(ARTICLE), bytes).unwrap();
    let problem = refused_with(&site, ARTICLE, "P001");
    assert_eq!(
        message(&problem),
        "this file is not UTF-8 text (the first bad byte is at byte 14)"
    );
    assert!(problem["hint"].as_str().unwrap().contains("UTF-8"));
}

#[test]
fn an_empty_file() {
    let site = TestSite::fixture("basic");
    site.write(ARTICLE, "");
    assert_eq!(
        message(&refused_with(&site, ARTICLE, "P002")),
        "this file does not start with front matter"
    );
}

#[test]
fn a_binary_file_with_a_markdown_name() {
    let site = TestSite::fixture("basic");
    let png = [
        0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, b'I', b'H', b'D', b'R',
        0xFF, 0xFE,
    ];
    std::fs::write(site.root().join(ARTICLE), png).unwrap();
    assert!(message(&refused_with(&site, ARTICLE, "P001")).contains("is not UTF-8 text"));
}

#[test]
fn a_20_mb_article_is_refused_without_being_read_and_links_to_it_are_not_reported_twice() {
    let site = TestSite::fixture("basic");
    let big = format!(
        "---\ntitle: Big\n---\n{}",
        "All work and no play. ".repeat(1_000_000)
    );
    site.write(ARTICLE, &big);
    let problem = refused_with(&site, ARTICLE, "P001");
    assert!(
        message(&problem).starts_with("this file is 21.0 MB; Pamphlet refuses files over 4 MB"),
        "{problem}"
    );
    let (_, others) = check(&site, "content/articles/citations.md");
    assert!(others.iter().all(|p| p["code"] != "P008"), "{others:#?}");
}

#[test]
fn ten_thousand_levels_of_nesting() {
    for (kind, body) in [
        ("quotes", format!("{}deep", "> ".repeat(10_000))),
        (
            "lists",
            (0..10_000)
                .map(|i| format!("{}- item\n", " ".repeat(2 * (i % 100))))
                .collect::<String>()
                + &"- ".repeat(10_000),
        ),
    ] {
        let site = TestSite::fixture("basic");
        site.write(ARTICLE, &format!("---\ntitle: Deep\n---\n{body}\n"));
        let problem = refused_with(&site, ARTICLE, "P117");
        assert!(
            message(&problem).starts_with("lists or quotes here are nested"),
            "{kind}: {problem}"
        );
        assert!(
            message(&problem).ends_with("levels deep; the most allowed is 32"),
            "{kind}: {problem}"
        );
    }
}

#[test]
fn a_yaml_alias_bomb() {
    let site = TestSite::fixture("basic");
    let mut yaml = String::from(
        "---\ntitle: Bomb\ntopics: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n",
    );
    let mut previous = "a".to_owned();
    for level in ["b", "c", "d", "e", "f", "g", "h", "i"] {
        yaml.push_str(&format!(
            "x{level}: &{level} [{}]\n",
            vec![format!("*{previous}"); 9].join(",")
        ));
        previous = level.to_owned();
    }
    yaml.push_str("---\n");
    site.write(ARTICLE, &yaml);
    let (exit, problems) = check(&site, ARTICLE);
    assert_eq!(exit, Some(1));
    assert!(!problems.is_empty());
    // Under a field that takes a list of lists, the bomb itself is met.
    site.write(
        ARTICLE,
        &yaml.replace("title: Bomb\n", "title: Bomb\nreferences: *i\n"),
    );
    let (exit, problems) = check(&site, ARTICLE);
    assert_eq!(exit, Some(1), "{problems:#?}");
}

#[test]
fn deeply_nested_yaml() {
    let site = TestSite::fixture("basic");
    site.write(
        ARTICLE,
        &format!(
            "---\ntitle: Deep\nreview: {}{}\n---\n",
            "[".repeat(5_000),
            "]".repeat(5_000)
        ),
    );
    let (exit, problems) = check(&site, ARTICLE);
    assert_eq!(exit, Some(1));
    assert!(
        problems
            .iter()
            .any(|p| p["code"] == "P004" || p["code"] == "P006"),
        "{problems:#?}"
    );
}

#[test]
fn two_files_that_map_to_one_address() {
    let site = TestSite::fixture("basic");
    site.write("content/articles/Effects.md", &site.read(ARTICLE));
    let problem = refused_with(&site, ARTICLE, "P012");
    assert!(
        message(&problem).contains("would both be published as `articles/effects/index.html`"),
        "{problem}"
    );
}

#[test]
fn a_slug_field_is_not_accepted_so_it_cannot_escape_the_site() {
    let site = TestSite::fixture("basic");
    for slug in ["../../etc", "a/b", "C:\\\\x"] {
        site.write(
            ARTICLE,
            &format!("---\ntitle: Effects\nslug: \"{slug}\"\n---\n"),
        );
        assert_eq!(
            message(&refused_with(&site, ARTICLE, "P005")),
            "`slug` is not a field Pamphlet knows"
        );
    }
}

#[cfg(unix)]
#[test]
fn symlinks_are_reported_and_never_followed() {
    let site = TestSite::fixture("basic");
    let articles = site.root().join("content/articles");
    std::os::unix::fs::symlink(&articles, articles.join("loop")).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", articles.join("outside.md")).unwrap();
    let (exit, problems) = check(&site, "content/articles/outside.md");
    assert_eq!(exit, Some(1));
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(message(&problems[0]).starts_with("this is a link (symlink) to `/etc/hostname`"));
    let (_, looped) = check(&site, "content/articles/loop");
    assert_eq!(looped.len(), 1, "{looped:#?}");
}

#[cfg(unix)]
#[test]
fn a_file_that_cannot_be_read() {
    use std::os::unix::fs::PermissionsExt;
    let site = TestSite::fixture("basic");
    let path = site.root().join(ARTICLE);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    // root reads anything, so run the check as an ordinary user when root.
    let output = if rustix::process::getuid().is_root() {
        let mut folders = vec![site.root().to_path_buf()];
        while let Some(folder) = folders.pop() {
            std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
            for entry in std::fs::read_dir(&folder).unwrap() {
                let entry = entry.unwrap();
                if entry.file_type().unwrap().is_dir() {
                    folders.push(entry.path());
                } else if entry.path() != path {
                    std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(0o644))
                        .unwrap();
                }
            }
        }
        std::process::Command::new("setpriv")
            .args([
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                env!("CARGO_BIN_EXE_pamphlet"),
                "check",
                "--format",
                "json",
                "--as-of",
                common::TODAY,
            ])
            .current_dir(site.root())
            .output()
            .expect("setpriv runs (util-linux)")
    } else {
        site.run(&["check", "--format", "json", "--as-of", common::TODAY])
    };
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let problem: Value = stdout
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|p| p["file"] == ARTICLE)
        .unwrap();
    assert_eq!(problem["code"], "P001");
    assert!(message(&problem).contains("Permission denied"), "{problem}");
}

#[test]
fn a_template_that_reads_a_missing_variable() {
    let site = TestSite::fixture("basic");
    site.write(
        "templates/topic.html",
        "{% extends \"base.html\" %}{% block main %}{{ page.no_such_thing }}{% endblock main %}",
    );
    let output = site.run(&["build", "--as-of", common::TODAY]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("error[P015]: the template `topic.html` failed while rendering"),
        "{stderr}"
    );
    assert!(stderr.contains("no_such_thing"), "{stderr}");
    assert!(stderr.contains("templates/topic.html"), "{stderr}");
}

#[test]
fn an_output_folder_that_cannot_be_written_exits_2_and_says_so() {
    let site = TestSite::fixture("basic");
    let output = site.run(&[
        "build",
        "--as-of",
        common::TODAY,
        "--out",
        "site.yaml/public",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("site.yaml"), "{stderr}");
    assert!(Path::new(&site.root().join("site.yaml")).is_file());
}
