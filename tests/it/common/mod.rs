//! A fixture site copied into a temporary folder, so each test can break it
//! in its own way and build it without touching the repository.

#![allow(dead_code)] // each test file uses a different part of this helper

use std::path::{Path, PathBuf};
use std::process::Output;

use pamphlet::diagnostics::Diagnostic;
use pamphlet::model::Date;
use pamphlet::{BuildError, BuildOptions, Outcome};
use scraper::{Html, Selector};
use tempfile::TempDir;

pub const TODAY: &str = "2026-11-21";
/// "Today" for the included site: the day its articles were signed off
/// with `pamphlet approve`, so none is reviewed in the future.
pub const INCLUDED_SITE_TODAY: &str = "2026-11-23";

pub struct TestSite {
    dir: TempDir,
    today: &'static str,
}

impl TestSite {
    /// `tests/fixtures/<name>` with the repository's themes beside it.
    pub fn fixture(name: &str) -> Self {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().expect("a temporary folder");
        copy_dir(&manifest.join("tests/fixtures").join(name), dir.path());
        copy_dir(&manifest.join("themes"), &dir.path().join("themes"));
        Self { dir, today: TODAY }
    }

    /// The site the repository ships (site.yaml, content/, signoffs/, themes/), copied
    /// so a test can break it without touching the repository.
    pub fn included() -> Self {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().expect("a temporary folder");
        std::fs::copy(manifest.join("site.yaml"), dir.path().join("site.yaml")).unwrap();
        copy_dir(&manifest.join("content"), &dir.path().join("content"));
        copy_dir(&manifest.join("signoffs"), &dir.path().join("signoffs"));
        copy_dir(&manifest.join("themes"), &dir.path().join("themes"));
        copy_dir(&manifest.join("static"), &dir.path().join("static"));
        Self {
            dir,
            today: INCLUDED_SITE_TODAY,
        }
    }

    /// Replaces the first `from` in a file with `to`, failing if it is absent.
    pub fn edit(&self, relative: &str, from: &str, to: &str) -> &Self {
        let text = self.read(relative);
        assert!(text.contains(from), "{relative} has no `{from}`");
        self.write(relative, &text.replacen(from, to, 1))
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn write(&self, relative: &str, text: &str) -> &Self {
        let path = self.root().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.root().join(relative)).unwrap()
    }

    pub fn remove(&self, relative: &str) -> &Self {
        std::fs::remove_file(self.root().join(relative)).unwrap();
        self
    }

    pub fn options(&self) -> BuildOptions {
        BuildOptions::new(self.root(), Date::parse(self.today).unwrap())
    }

    pub fn build(&self) -> Result<Outcome, BuildError> {
        pamphlet::build(&self.options())
    }

    /// Signs off again, as a reviewer would with `pamphlet approve`, every
    /// article whose sign-off an edit has undone, for tests that edit the
    /// included site to try something else.
    pub fn sign_off_edits(&self) -> &Self {
        let Err(BuildError::Refused(problems)) = self.build() else {
            return self;
        };
        let edited: std::collections::BTreeSet<PathBuf> = problems
            .iter()
            .filter(|d| matches!(d.code.id(), "P115" | "P120"))
            .filter_map(|d| d.file.clone())
            .collect();
        for file in edited {
            pamphlet::signoff::approve(
                &self.options(),
                &self.root().join(file),
                "Clinical reviewer (example), MD",
                None,
            )
            .unwrap_or_else(|error| panic!("the sign-off was refused: {error}"));
        }
        self
    }

    /// Gives the fixture's `effects.md` pictures and files beside it, in
    /// other folders, in `static/` and named from the site's root, a mail
    /// link and an aligned table: what a real clinic article links to.
    pub fn with_pictures_and_files(&self) -> &Self {
        // The smallest valid PNG: one transparent pixel.
        const PIXEL: [u8; 68] = [
            137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1,
            8, 4, 0, 0, 0, 181, 28, 12, 2, 0, 0, 0, 11, 73, 68, 65, 84, 120, 218, 99, 100, 96, 0,
            0, 0, 6, 0, 2, 48, 129, 208, 47, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
        ];
        let write_bytes = |relative: &str, bytes: &[u8]| {
            let path = self.root().join(relative);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        };
        write_bytes("content/articles/arm.png", &PIXEL);
        write_bytes("content/images/Drip Stand.png", &PIXEL);
        write_bytes("content/files/leaflet.pdf", b"%PDF-1.4\n%%EOF\n");
        self.write(
            "static/logos/clinic.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>",
        );
        let article = self.read("content/articles/effects.md").replace(
            "Most people feel sleepy [@shared2020].",
            "Most people feel sleepy [@shared2020].\n\n\
             ![Where the *drip* goes, [see](citations.md) `IV`](arm.png \"The arm\")\n\n\
             ![A drip stand](<../images/Drip Stand.png>) ![decorative](/logos/clinic.svg)\n\n\
             [Our leaflet](../files/leaflet.pdf#page=2), [about us](/about/), [home](../), \
             [citations](/articles/citations/#second-section) and <help@clinic.example>.\n\n\
             | Left | Centre | Right |\n|:--|:-:|--:|\n| a | b | c |\n",
        );
        self.write("content/articles/effects.md", &article)
    }

    /// Builds, expecting the build to succeed.
    pub fn built(&self) -> Outcome {
        match self.build() {
            Ok(outcome) => outcome,
            Err(BuildError::Refused(problems)) => panic!(
                "the build was refused:\n{}",
                pamphlet::diagnostics::to_plain_text(&problems)
            ),
            Err(BuildError::Environment(message)) => panic!("environment error: {message}"),
        }
    }

    /// Builds, expecting the content to be refused; returns every problem.
    pub fn refused(&self) -> Vec<Diagnostic> {
        match self.build() {
            Err(BuildError::Refused(problems)) => problems,
            Ok(_) => panic!("the build succeeded but should have been refused"),
            Err(BuildError::Environment(message)) => panic!("environment error: {message}"),
        }
    }

    /// A published page, parsed.
    pub fn page(&self, relative: &str) -> Html {
        let path = self.public().join(relative);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
        Html::parse_document(&text)
    }

    /// Runs the real `pamphlet` binary with `args` in the site folder.
    pub fn run(&self, args: &[&str]) -> Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_pamphlet"))
            .args(args)
            .current_dir(self.root())
            .env("NO_COLOR", "1")
            .output()
            .expect("the pamphlet binary runs")
    }
}

/// The texts of every element matching `selector`, whitespace folded.
pub fn texts(html: &Html, selector: &str) -> Vec<String> {
    let selector = Selector::parse(selector).unwrap();
    html.select(&selector)
        .map(|element| {
            element
                .text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// The values of `attribute` on every element matching `selector`.
pub fn attributes(html: &Html, selector: &str, attribute: &str) -> Vec<String> {
    let selector = Selector::parse(selector).unwrap();
    html.select(&selector)
        .filter_map(|element| element.value().attr(attribute).map(str::to_owned))
        .collect()
}

/// The one problem with `code`, failing with the full list otherwise.
pub fn only<'a>(problems: &'a [Diagnostic], code: &str) -> &'a Diagnostic {
    let matching: Vec<&Diagnostic> = problems.iter().filter(|d| d.code.id() == code).collect();
    assert_eq!(
        matching.len(),
        1,
        "expected one {code}, got:\n{}",
        pamphlet::diagnostics::to_plain_text(problems)
    );
    matching[0]
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir`, with its bytes, in a stable order.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            (
                entry.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(entry.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// The data of one of the search index's script files, as JSON: the files
/// are `PAMPHLET_SEARCH_LOADED("name", data);` (see src/render/search.rs).
pub fn search_file(public: &Path, name: &str) -> Option<serde_json::Value> {
    let text = std::fs::read_to_string(public.join(format!("search/{name}.js"))).ok()?;
    let data = text
        .strip_prefix(&format!("PAMPHLET_SEARCH_LOADED(\"{name}\","))?
        .trim_end()
        .strip_suffix(");")?;
    Some(serde_json::from_str(data).expect("an index file holds JSON"))
}

/// The addresses of the articles that search finds for `word`, typed
/// exactly, read from the published index the way the page's script reads
/// it: a second reading of the format, to test the build's writing of it.
pub fn search_finds(public: &Path, word: &str) -> Vec<String> {
    let manifest = std::fs::read_to_string(public.join("search-index.js")).unwrap();
    let manifest: serde_json::Value = serde_json::from_str(
        manifest
            .strip_prefix("window.PAMPHLET_SEARCH = ")
            .and_then(|m| m.trim_end().strip_suffix(';'))
            .expect("the manifest sets PAMPHLET_SEARCH"),
    )
    .unwrap();
    let key: String = word
        .chars()
        .take(2)
        .map(|c| {
            if c.is_ascii_lowercase() || c.is_ascii_digit() {
                c.to_string()
            } else {
                format!("_{}_", radix_36(u32::from(c)))
            }
        })
        .collect();
    if !manifest["keys"]
        .as_array()
        .unwrap()
        .iter()
        .any(|k| k == &key)
    {
        return Vec::new();
    }
    let vocabulary = search_file(public, &format!("w-{key}")).expect("a listed key has its file");
    let Some(entry) = vocabulary.get(word) else {
        return Vec::new();
    };
    let (stem, shard) = match entry {
        serde_json::Value::Array(pair) => (pair[0].as_str().unwrap().to_owned(), pair[1].clone()),
        shard => (word.to_owned(), shard.clone()),
    };
    let postings = search_file(public, &format!("p-{shard}")).expect("the postings file exists");
    let postings = postings[&stem].as_str().expect("the stem has postings");
    let per_file = manifest["perDocs"].as_u64().unwrap();
    let (mut article, mut digits, mut found) = (0u64, String::new(), Vec::new());
    for c in postings.chars() {
        if c.is_ascii_uppercase() {
            article += u64::from_str_radix(&digits, 36).unwrap();
            digits.clear();
            let docs = search_file(public, &format!("d-{}", article / per_file)).unwrap();
            found.push(
                docs[(article % per_file) as usize][1]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            );
        } else {
            digits.push(c);
        }
    }
    found
}

fn radix_36(mut n: u32) -> String {
    let mut digits = Vec::new();
    loop {
        digits.push(std::char::from_digit(n % 36, 36).unwrap());
        n /= 36;
        if n == 0 {
            break;
        }
    }
    digits.iter().rev().collect()
}
