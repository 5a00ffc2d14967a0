//! What a reviewer needs to see, as plain data: built from the loaded site
//! and the check stage's problems, then written as JSON, CSV and HTML.

use std::collections::BTreeMap;

use serde::Serialize;

use super::changes::{self, Changes};
use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::load::ledger::{SignedText, fingerprint};
use crate::load::{Page, PageKind, Site};
use crate::model::{Date, Reference, ReviewTiming, WorkId};
use crate::prose::Prose;
use crate::readability::{self, Readability};
use crate::render::markdown::Numbering;

/// The citation and review report of a whole site, as `report.json` holds it.
#[derive(Debug, Serialize)]
pub struct Report {
    /// The date the review statuses were judged against.
    pub as_of: String,
    /// The site's title, from site.yaml.
    pub site_title: String,
    /// Counts over the whole site.
    pub summary: Summary,
    /// Articles that need a reviewer first, most urgent first.
    pub attention: Vec<Attention>,
    /// One row per article, most urgent status first.
    pub overview: Vec<OverviewRow>,
    /// Every article, in content order.
    pub articles: Vec<ArticleReport>,
    /// Every distinct work, the same DOI or PMID counted once.
    pub bibliography: Vec<Work>,
}

/// Counts over the whole site.
#[derive(Debug, Serialize)]
pub struct Summary {
    /// Articles (home and section pages excluded).
    pub articles: usize,
    /// Distinct works cited on the site, the same DOI or PMID counted once.
    pub references: usize,
    /// Citation keys written in the text of every page.
    pub citations: usize,
    /// How many articles are in each review status.
    pub review_status: BTreeMap<Status, usize>,
    /// By problem code: how many errors and warnings.
    pub problems: BTreeMap<String, ProblemCount>,
}

/// How many problems of one code the site has.
#[derive(Debug, Serialize, Default)]
pub struct ProblemCount {
    /// Problems that stop a build.
    pub errors: usize,
    /// Problems that are reported and published anyway.
    pub warnings: usize,
}

/// Where an article stands with its clinical review, most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// No review, or one without its dates.
    NotReviewed,
    /// The policy requires a recorded sign-off, and this text has none.
    NotSignedOff,
    /// `next_review` has passed.
    Expired,
    /// The body or references changed after sign-off.
    ChangedSinceReview,
    /// `next_review` is within the policy's warning window.
    DueSoon,
    /// Reviewed, signed off, and not yet due.
    Current,
    /// The policy lists the page as non-clinical (contact, privacy): it
    /// needs no clinical review.
    NonClinical,
}

/// One line of the overview table a reviewer reads first.
#[derive(Debug, Serialize)]
pub struct OverviewRow {
    /// The article's source file, relative to the site folder.
    pub file: String,
    /// The article's title.
    pub title: String,
    /// Where it stands with its review.
    pub status: Status,
    /// Who last reviewed it, as its front matter says.
    pub reviewed_by: Option<String>,
    /// When it must be reviewed again.
    pub next_review: Option<Date>,
    /// Flesch-Kincaid grade of its running prose.
    pub reading_grade: Option<f64>,
    /// How many references it lists.
    pub references: usize,
    /// Sentences making a claim with no citation beside them.
    pub uncited_claims: usize,
    /// Errors `check` found in it.
    pub errors: usize,
    /// Warnings `check` found in it.
    pub warnings: usize,
}

fn overview(articles: &[ArticleReport]) -> Vec<OverviewRow> {
    let mut rows: Vec<OverviewRow> = articles
        .iter()
        .map(|article| OverviewRow {
            file: article.file.clone(),
            title: article.title.clone(),
            status: article.status,
            reviewed_by: article.reviewed_by.clone(),
            next_review: article.next_review,
            reading_grade: article.reading.map(|r| r.flesch_kincaid_grade),
            references: article.references.len(),
            uncited_claims: article.uncited_claims.len(),
            errors: article
                .problems
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count(),
            warnings: article
                .problems
                .iter()
                .filter(|d| d.severity == Severity::Warning)
                .count(),
        })
        .collect();
    rows.sort_by_key(|row| (row.status, row.next_review));
    rows
}

/// An article a reviewer should look at first, and why.
#[derive(Debug, Serialize)]
pub struct Attention {
    /// The article's source file, relative to the site folder.
    pub file: String,
    /// The article's title.
    pub title: String,
    /// Each reason in plain words ("review expired on 2026-01-01").
    pub reasons: Vec<String>,
}

/// Everything the report shows about one article.
#[derive(Debug, Serialize)]
pub struct ArticleReport {
    /// The article's source file, relative to the site folder.
    pub file: String,
    /// The article's title.
    pub title: String,
    /// Where the page is published, relative to the site root.
    pub page: String,
    /// Who last reviewed it, as its front matter says.
    pub reviewed_by: Option<String>,
    /// When it was last reviewed.
    pub reviewed_on: Option<Date>,
    /// When it must be reviewed again.
    pub next_review: Option<Date>,
    /// Where it stands with its review.
    pub status: Status,
    /// Words of running prose.
    pub word_count: usize,
    /// Reading grades of its running prose; none for an empty page.
    pub reading: Option<Readability>,
    /// The ids of the disclaimers the page shows.
    pub disclaimers: Vec<String>,
    /// Numbered as on the published page.
    pub references: Vec<CitedReference>,
    /// Sentences making a claim with no citation beside them.
    pub uncited_claims: Vec<Finding>,
    /// References listed and never cited.
    pub unused_references: Vec<Finding>,
    /// Every problem `check` found in this file.
    pub problems: Vec<Diagnostic>,
    /// Its sign-offs in the record, newest first.
    pub history: Vec<SignOffEntry>,
    /// What changed since the last sign-off, when the text differs from it.
    pub changes: Option<Changes>,
}

/// One sign-off of an article, as the record keeps it.
#[derive(Debug, Serialize)]
pub struct SignOffEntry {
    /// The clinician who signed off.
    pub reviewed_by: String,
    /// The day they signed off.
    pub reviewed_on: Date,
    /// When the article must be reviewed again.
    pub next_review: Date,
    /// The fingerprint of the text they signed.
    pub approved_sha256: String,
    /// The record's file, relative to the site folder.
    pub record: String,
    /// Whether this sign-off is of the text as it is now.
    pub of_current_text: bool,
}

/// A reference as the published page numbers it, with the sentences that cite it.
#[derive(Debug, Serialize)]
pub struct CitedReference {
    /// Its number on the page, from 1, in order of first citation.
    pub number: usize,
    /// The reference as the article or the shared bibliography records it.
    #[serde(flatten)]
    pub reference: Reference,
    /// Every sentence that cites it.
    pub citations: Vec<Citing>,
}

/// A sentence that cites a reference, and its line in the source file.
#[derive(Debug, Serialize)]
pub struct Citing {
    /// The line of the sentence in the source file.
    pub line: usize,
    /// The sentence as plain text.
    pub sentence: String,
}

/// A problem found in one article, for the report's lists.
#[derive(Debug, Serialize)]
pub struct Finding {
    /// Its line in the source file.
    pub line: usize,
    /// What is wrong, in plain words.
    pub message: String,
}

/// One work cited somewhere on the site, whatever the key it is cited by.
#[derive(Debug, Serialize)]
pub struct Work {
    /// Its DOI, if any record of it has one.
    pub doi: Option<String>,
    /// Its PubMed id, if any record of it has one.
    pub pmid: Option<String>,
    /// Its title, as the first record gives it.
    pub title: Option<String>,
    /// Its year, as the first record gives it.
    pub year: Option<i32>,
    /// Articles that cite it, by source file.
    pub cited_by: Vec<String>,
    /// True when two records of this work disagree on its title or year.
    pub conflict: bool,
    /// Each distinct way the work is recorded, and where.
    pub records: Vec<Record>,
}

/// One way a work is recorded, and the articles recording it so.
#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct Record {
    /// Compared case-insensitively, so not shown.
    #[serde(skip)]
    comparable_title: String,
    /// The title this record gives.
    pub title: Option<String>,
    /// The year this record gives.
    pub year: Option<i32>,
    /// The articles (source files) recording it this way.
    pub files: Vec<String>,
}

/// Builds the report from the loaded site, the problems `check` found, and today's date.
pub fn build(site: &Site<'_>, diagnostics: &[Diagnostic], today: Date) -> Report {
    let articles: Vec<ArticleReport> = site
        .pages
        .iter()
        .filter(|page| page.kind == PageKind::Article)
        .map(|page| article(site, page, diagnostics, today))
        .collect();
    let bibliography = bibliography(site);
    let mut review_status = BTreeMap::new();
    for article in &articles {
        *review_status.entry(article.status).or_insert(0) += 1;
    }
    let mut problems: BTreeMap<String, ProblemCount> = BTreeMap::new();
    for diagnostic in diagnostics {
        let count = problems.entry(diagnostic.code.id().to_owned()).or_default();
        match diagnostic.severity {
            Severity::Error => count.errors += 1,
            Severity::Warning => count.warnings += 1,
        }
    }
    Report {
        as_of: today.iso(),
        site_title: site.config.title.clone(),
        summary: Summary {
            articles: articles.len(),
            references: bibliography.len(),
            citations: site
                .pages
                .iter()
                .flat_map(|p| &p.body.citations)
                .map(|c| c.keys.len())
                .sum(),
            review_status,
            problems,
        },
        attention: attention(&articles),
        overview: overview(&articles),
        articles,
        bibliography,
    }
}

fn article(
    site: &Site<'_>,
    page: &Page<'_>,
    diagnostics: &[Diagnostic],
    today: Date,
) -> ArticleReport {
    let file = page.file.path.display().to_string();
    let line_of = |offset: usize| page.file.position(offset).line;
    let prose = Prose::of(page);
    let reading = readability::of(&prose);
    let numbering = Numbering::of(page);
    let references = numbering
        .ordered
        .iter()
        .enumerate()
        .map(|(index, reference)| CitedReference {
            number: index + 1,
            reference: (*reference).clone(),
            citations: prose
                .sentences()
                .filter(|s| s.keys.contains(&reference.id.as_str()))
                .map(|s| Citing {
                    line: line_of(s.start),
                    sentence: s.text.to_owned(),
                })
                .collect(),
        })
        .collect();
    let problems: Vec<Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.file.as_deref() == Some(page.file.path.as_path()))
        .cloned()
        .collect();
    let findings = |code: Code| {
        problems
            .iter()
            .filter(|d| d.code == code)
            .map(|d| Finding {
                line: d.line,
                message: d.message.clone(),
            })
            .collect()
    };
    let review = page.front.review.as_ref();
    let now = SignedText::of(page);
    let current = now.fingerprint();
    let mut signed: Vec<_> = site.ledger.history(&page.content_path).collect();
    signed.reverse();
    let history = signed
        .iter()
        .map(|version| SignOffEntry {
            reviewed_by: version.record.reviewed_by.clone(),
            reviewed_on: version.record.reviewed_on,
            next_review: version.record.next_review,
            approved_sha256: version.record.approved_sha256.clone(),
            record: version.file.path.display().to_string(),
            of_current_text: version.record.approved_sha256 == current,
        })
        .collect();
    // Compared with the sign-off the article names, else its latest.
    let named = review.and_then(|r| r.approved_sha256.as_deref());
    let compared = signed
        .iter()
        .find(|version| Some(version.record.approved_sha256.as_str()) == named)
        .or(signed.first());
    let changes = compared
        .filter(|version| version.record.approved_sha256 != current)
        .map(|version| changes::between(version, &now));
    let not_signed_off = problems
        .iter()
        .any(|d| matches!(d.code, Code::NotSignedOff | Code::SignOffRecord));
    ArticleReport {
        title: page.front.title.clone(),
        page: page.output_path.clone(),
        reviewed_by: review.and_then(|r| r.reviewed_by.clone()),
        reviewed_on: review.and_then(|r| r.reviewed_on),
        next_review: review.and_then(|r| r.next_review),
        status: match status(site, page, today) {
            Status::Current | Status::DueSoon if not_signed_off => Status::NotSignedOff,
            judged => judged,
        },
        word_count: reading.map_or(0, |r| r.words),
        reading,
        disclaimers: page.front.disclaimers.clone(),
        references,
        uncited_claims: findings(Code::UncitedClaim),
        unused_references: findings(Code::UncitedReference),
        problems,
        history,
        changes,
        file,
    }
}

fn status(site: &Site<'_>, page: &Page<'_>, today: Date) -> Status {
    if site.config.policy.is_non_clinical(&page.content_path) {
        return Status::NonClinical;
    }
    let Some(review) = &page.front.review else {
        return Status::NotReviewed;
    };
    let timing = review.timing(site.config.policy.review.warn_days_before, today);
    match timing {
        ReviewTiming::Incomplete => return Status::NotReviewed,
        ReviewTiming::Expired => return Status::Expired,
        ReviewTiming::DueSoon { .. } | ReviewTiming::Current => {}
    }
    if review
        .approved_sha256
        .as_deref()
        .is_some_and(|approved| approved != fingerprint(page))
    {
        return Status::ChangedSinceReview;
    }
    match timing {
        ReviewTiming::DueSoon { .. } => Status::DueSoon,
        _ => Status::Current,
    }
}

/// Expired and unreviewed pages first, then changed since sign-off, then due
/// soon, then pages with uncited claims; the rest need nothing.
fn attention(articles: &[ArticleReport]) -> Vec<Attention> {
    let mut ranked: Vec<(u8, &ArticleReport, Vec<String>)> = articles
        .iter()
        .filter_map(|article| {
            let mut reasons = Vec::new();
            let mut rank = u8::MAX;
            let mut note = |r: u8, reason: String| {
                rank = rank.min(r);
                reasons.push(reason);
            };
            match article.status {
                Status::Expired => note(
                    0,
                    format!(
                        "review expired on {}",
                        article.next_review.map(|d| d.iso()).unwrap_or_default()
                    ),
                ),
                Status::NotReviewed => note(0, "no clinical review recorded".to_owned()),
                Status::NotSignedOff => {
                    note(0, "not signed off with `pamphlet approve`".to_owned())
                }
                Status::ChangedSinceReview => {
                    note(1, "text or references changed since sign-off".to_owned())
                }
                Status::DueSoon => note(
                    2,
                    format!(
                        "review due on {}",
                        article.next_review.map(|d| d.iso()).unwrap_or_default()
                    ),
                ),
                Status::Current | Status::NonClinical => {}
            }
            if !article.uncited_claims.is_empty() {
                note(
                    3,
                    format!("{} uncited claim(s)", article.uncited_claims.len()),
                );
            }
            (rank < u8::MAX).then_some((rank, article, reasons))
        })
        .collect();
    ranked.sort_by(|a, b| (a.0, &a.1.file).cmp(&(b.0, &b.1.file)));
    ranked
        .into_iter()
        .map(|(_, article, reasons)| Attention {
            file: article.file.clone(),
            title: article.title.clone(),
            reasons,
        })
        .collect()
}

/// Groups every reference of every article into works: records sharing a
/// DOI (case-insensitive) or a PMID are one work, whatever their ids.
fn bibliography(site: &Site<'_>) -> Vec<Work> {
    let mut works: Vec<Work> = Vec::new();
    let mut by_id: BTreeMap<WorkId, usize> = BTreeMap::new();
    let mut by_other: BTreeMap<String, usize> = BTreeMap::new();
    for page in site.pages.iter().filter(|p| p.kind == PageKind::Article) {
        let file = page.file.path.display().to_string();
        for reference in &page.front.references {
            let found = reference
                .work_ids()
                .find_map(|id| by_id.get(&id))
                .or_else(|| by_other.get(&other_key(reference)))
                .copied();
            let index = found.unwrap_or_else(|| {
                works.push(Work {
                    doi: reference.doi.clone(),
                    pmid: reference.pmid.clone(),
                    title: reference.title.clone(),
                    year: reference.year,
                    cited_by: Vec::new(),
                    conflict: false,
                    records: Vec::new(),
                });
                works.len() - 1
            });
            for id in reference.work_ids() {
                by_id.entry(id).or_insert(index);
            }
            if reference.doi.is_none() && reference.pmid.is_none() {
                by_other.entry(other_key(reference)).or_insert(index);
            }
            let work = &mut works[index];
            work.doi = work.doi.take().or_else(|| reference.doi.clone());
            work.pmid = work.pmid.take().or_else(|| reference.pmid.clone());
            if !work.cited_by.contains(&file) {
                work.cited_by.push(file.clone());
            }
            let same = |record: &&mut Record| {
                record.comparable_title == reference.comparable_title()
                    && record.year == reference.year
            };
            match work.records.iter_mut().find(same) {
                Some(record) if !record.files.contains(&file) => record.files.push(file.clone()),
                Some(_) => {}
                None => work.records.push(Record {
                    comparable_title: reference.comparable_title(),
                    title: reference.title.clone(),
                    year: reference.year,
                    files: vec![file.clone()],
                }),
            }
            work.conflict = work.records.len() > 1;
        }
    }
    works
}

/// A work without DOI or PMID is known by its URL, or failing that its id.
fn other_key(reference: &Reference) -> String {
    reference
        .url
        .clone()
        .unwrap_or_else(|| format!("id:{}", reference.id))
}
