//! The reviewers' citation report: every reference, where each is cited and
//! in which words, what cites nothing, and whether the text changed since
//! sign-off. Written to `reports/` (outside `public/`, so patients never see
//! it) as `index.html`, `report.json` and `citations.csv`. It reuses the
//! load and check stages; it parses nothing itself.

pub mod changes;
pub mod model;

use std::path::{Path, PathBuf};

use serde::Serialize;
use tera::{Context, Tera};

use crate::{BuildError, BuildOptions, publish};
pub use model::Report;

const TEMPLATE: &str = include_str!("report.html");

/// Where the report went and what it found.
#[derive(Debug)]
pub struct Written {
    /// The folder the report was written to.
    pub folder: PathBuf,
    /// What it found.
    pub report: Report,
}

/// Loads and checks the site and writes the three forms of the report.
/// Problems in the content do not stop it: they are what it reports.
pub fn write(options: &BuildOptions, folder: &Path) -> Result<Written, BuildError> {
    publish::check_place(&options.root, folder, publish::Kind::Report)?;
    let report = crate::with_checked_site(options, |site, diagnostics| {
        model::build(site, &diagnostics, options.today)
    })?;
    let json = serde_json::to_string_pretty(&report).expect("the report serialises");
    let csv = citations_csv(&report);
    let page = html(&report);
    let files = [
        ("report.json", json.as_bytes()),
        ("citations.csv", csv.as_bytes()),
        ("index.html", page.as_bytes()),
    ]
    .map(|(path, bytes)| publish::Entry {
        path,
        source: publish::Source::Memory(bytes),
    });
    // The same stage as the site: the report replaces only a report.
    publish::folder(
        &files,
        &options.root,
        folder,
        publish::Kind::Report,
        &publish::NoFaults,
        &publish::NothingProduced,
    )?;
    Ok(Written {
        folder: folder.to_path_buf(),
        report,
    })
}

/// One row per citation of a reference in a sentence.
#[derive(Serialize)]
struct CitationRow<'r> {
    article: &'r str,
    reference_id: &'r str,
    number: usize,
    line: usize,
    sentence: &'r str,
    doi: &'r str,
    pmid: &'r str,
    url: &'r str,
    evidence: &'r str,
}

/// One row per citation: article, reference, sentence, identifiers; for a spreadsheet.
pub fn citations_csv(report: &Report) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for article in &report.articles {
        for cited in &article.references {
            let reference = &cited.reference;
            for citing in &cited.citations {
                writer
                    .serialize(CitationRow {
                        article: &article.file,
                        reference_id: &reference.id,
                        number: cited.number,
                        line: citing.line,
                        sentence: &citing.sentence,
                        doi: reference.doi.as_deref().unwrap_or(""),
                        pmid: reference.pmid.as_deref().unwrap_or(""),
                        url: reference.url.as_deref().unwrap_or(""),
                        evidence: reference.evidence.map_or("", |e| e.label()),
                    })
                    .expect("writing CSV into memory cannot fail");
            }
        }
    }
    String::from_utf8(writer.into_inner().expect("flushing memory cannot fail"))
        .expect("CSV of UTF-8 text is UTF-8")
}

/// The report as one HTML page for reviewers, readable on screen and in print.
pub fn html(report: &Report) -> String {
    let mut tera = Tera::default();
    // Articles are anchored by their source path, which is unique.
    tera.register_filter(
        "slugify_path",
        |value: &tera::Value, _: &std::collections::HashMap<String, tera::Value>| {
            Ok(tera::Value::String(crate::paths::slugify(
                &value.as_str().unwrap_or("").replace('/', "-"),
            )))
        },
    );
    tera.add_raw_template("report.html", TEMPLATE)
        .expect("the report template is valid");
    let context = Context::from_serialize(report).expect("the report serialises");
    tera.render("report.html", &context)
        .expect("the report template renders every report")
}
