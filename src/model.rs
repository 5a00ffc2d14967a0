//! The front matter contract: what an article may say about itself. Parsing
//! refuses unknown fields so a typo is caught, not silently ignored; what is
//! *required* is the safety policy's business (the `check` stage), so most
//! fields are optional here.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};

/// An article's front matter, the YAML between its `---` lines.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// The page's title, as patients read it.
    pub title: String,
    /// One sentence about the page, for listings, search and link previews.
    pub summary: Option<String>,
    /// Ids of the site's topics the page is filed under (see `topics:` in site.yaml).
    #[serde(default)]
    pub topics: Vec<String>,
    /// Orders listings: lowest first, pages without one last.
    pub weight: Option<i64>,
    /// A draft is checked but not published.
    #[serde(default)]
    pub draft: bool,
    /// Ids of the disclaimers the page shows, beyond those the policy adds.
    #[serde(default)]
    pub disclaimers: Vec<String>,
    /// The clinical review, for clinical articles.
    pub review: Option<Review>,
    /// The works the page relies on, cited in its text as `[@id]`.
    #[serde(default)]
    pub references: Vec<Reference>,
    /// For the home page or a section: the articles to read first, in
    /// order, by content path (`ketamine/what-is-ketamine.md`), shown as a
    /// numbered "start here" path above everything else the page lists.
    #[serde(default)]
    pub start_here: Vec<String>,
}

/// Who reviewed a clinical article, when, and what they signed off.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    /// The clinician's name and title.
    pub reviewed_by: Option<String>,
    /// The day they reviewed it.
    pub reviewed_on: Option<Date>,
    /// When it must be reviewed again.
    pub next_review: Option<Date>,
    /// The fingerprint `pamphlet approve` wrote of the text they signed.
    pub approved_sha256: Option<String>,
}

/// One work an article relies on. An entry that gives only `id` refers to the
/// shared bibliography (`content/references.yaml`) and is filled from it.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    /// The key the text cites it by (`[@id]`).
    pub id: String,
    /// Its authors, as the source lists them.
    #[serde(default)]
    pub authors: Vec<String>,
    /// The work's title.
    pub title: Option<String>,
    /// Where it was published: a journal, a regulator, a website.
    pub source: Option<String>,
    /// The year of publication.
    pub year: Option<i32>,
    /// Its DOI (`10.xxxx/...`), without the `https://doi.org/` part.
    #[serde(default, deserialize_with = "text_or_number")]
    pub doi: Option<String>,
    /// Its PubMed id.
    #[serde(default, deserialize_with = "text_or_number")]
    pub pmid: Option<String>,
    /// Its PubMed Central id (`PMC...`).
    #[serde(default, deserialize_with = "text_or_number")]
    pub pmcid: Option<String>,
    /// A web address, for a work without a DOI or for its free full text.
    pub url: Option<String>,
    /// What kind of evidence it is.
    pub evidence: Option<Evidence>,
    /// When a web page was read, for works that may change.
    pub accessed: Option<Date>,
    /// Filled in from `content/references.yaml` rather than written in the
    /// article, so its problems belong to that file.
    #[serde(skip)]
    pub from_bibliography: bool,
}

/// What identifies the work a reference records, however it was typed:
/// two records sharing one are the same work. DOIs ignore case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WorkId {
    /// A DOI, in lower case.
    Doi(String),
    /// A PubMed id.
    Pmid(String),
}

impl WorkId {
    /// `doi` or `pmid`: the field it comes from.
    pub fn field(&self) -> &'static str {
        match self {
            WorkId::Doi(_) => "doi",
            WorkId::Pmid(_) => "pmid",
        }
    }

    /// The identifier itself.
    pub fn value(&self) -> &str {
        match self {
            WorkId::Doi(value) | WorkId::Pmid(value) => value,
        }
    }
}

impl Reference {
    /// The DOI and PMID of the work, those it gives.
    pub fn work_ids(&self) -> impl Iterator<Item = WorkId> + '_ {
        let doi = self
            .doi
            .as_deref()
            .map(|doi| WorkId::Doi(doi.to_lowercase()));
        let pmid = self.pmid.clone().map(WorkId::Pmid);
        doi.into_iter().chain(pmid)
    }

    /// The title as compared between records: case, spacing and a final
    /// full stop do not make two records of one work disagree.
    pub fn comparable_title(&self) -> String {
        self.title
            .as_deref()
            .unwrap_or("")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .trim_end_matches('.')
            .to_lowercase()
    }

    /// True for `- id: key` with nothing else: a pointer into the shared
    /// bibliography rather than a reference of its own.
    pub fn is_id_only(&self) -> bool {
        self.authors.is_empty()
            && self.title.is_none()
            && self.source.is_none()
            && self.year.is_none()
            && self.doi.is_none()
            && self.pmid.is_none()
            && self.pmcid.is_none()
            && self.url.is_none()
            && self.evidence.is_none()
            && self.accessed.is_none()
    }
}

/// What kind of evidence a reference is; patients see it beside the reference.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Evidence {
    /// A randomised controlled trial.
    Rct,
    /// A meta-analysis of trials.
    MetaAnalysis,
    /// A review of studies.
    Review,
    /// Agreed by a panel of experts.
    Consensus,
    /// A clinical guideline.
    Guideline,
    /// A regulator's statement or a medicine's label.
    Regulatory,
    /// An observational study: cohorts, case series, registries.
    Observational,
    /// Information written for patients.
    PatientInfo,
    /// A news report (of a study, a warning, an approval): not the source
    /// itself.
    News,
}

impl Evidence {
    /// How the reference list names the kind of evidence to a patient.
    pub fn label(self) -> &'static str {
        match self {
            Evidence::Rct => "Randomised controlled trial",
            Evidence::MetaAnalysis => "Meta-analysis",
            Evidence::Review => "Review",
            Evidence::Consensus => "Expert consensus",
            Evidence::Guideline => "Clinical guideline",
            Evidence::Regulatory => "Regulator's statement",
            Evidence::Observational => "Observational study",
            Evidence::PatientInfo => "Patient information",
            Evidence::News => "News report",
        }
    }
}

/// A calendar date written `YYYY-MM-DD`, with an error message an editor can
/// act on when it is not one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

impl Date {
    /// Reads `YYYY-MM-DD`; `None` for anything else.
    pub fn parse(text: &str) -> Option<Date> {
        NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .ok()
            .map(Date)
    }

    /// "1 October 2026": unambiguous for patients in every country.
    ///
    /// ```
    /// use pamphlet::model::Date;
    /// assert_eq!(Date::parse("2026-10-01").unwrap().long(), "1 October 2026");
    /// ```
    pub fn long(self) -> String {
        self.0.format("%-d %B %Y").to_string()
    }

    /// `YYYY-MM-DD`.
    pub fn iso(self) -> String {
        self.0.format("%Y-%m-%d").to_string()
    }

    /// The same day `months` later (the month's last day where it is
    /// shorter: 31 January plus one month is 28 or 29 February).
    pub fn plus_months(self, months: u32) -> Date {
        Date(
            self.0
                .checked_add_months(chrono::Months::new(months))
                .unwrap_or(self.0),
        )
    }

    /// Days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        (later.0 - self.0).num_days()
    }
}

/// Where a review stands on a given day, under the site's review policy:
/// the checks, the report and `approve` all ask this one question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewTiming {
    /// `reviewed_on` or `next_review` is missing.
    Incomplete,
    /// `next_review` has passed.
    Expired,
    /// Within the policy's warning window: this many days are left.
    DueSoon {
        /// Days until `next_review`.
        days_left: i64,
    },
    /// Neither incomplete, nor expired, nor due soon.
    Current,
}

impl Review {
    /// Where the review stands on `today`, when a warning is due `warn_days_before` the next review.
    pub fn timing(&self, warn_days_before: u32, today: Date) -> ReviewTiming {
        let (Some(_), Some(next_review)) = (self.reviewed_on, self.next_review) else {
            return ReviewTiming::Incomplete;
        };
        let days_left = today.days_until(next_review);
        if days_left < 0 {
            ReviewTiming::Expired
        } else if days_left <= i64::from(warn_days_before) {
            ReviewTiming::DueSoon { days_left }
        } else {
            ReviewTiming::Current
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Date::parse(&text).ok_or_else(|| serde::de::Error::custom(Date::why_not(&text)))
    }
}

impl Date {
    /// Why `text` is not a date, in words that lead to the fix: a day the
    /// calendar lacks is not a format problem, and `11/02/2026` is
    /// ambiguous between countries, so it is never guessed.
    pub fn why_not(text: &str) -> String {
        let numbers: Vec<&str> = text.trim().split('-').collect();
        if let [year, month, day] = numbers[..]
            && year.len() == 4
            && let (Ok(year), Ok(month), Ok(day)) = (
                year.parse::<i32>(),
                month.parse::<u32>(),
                day.parse::<u32>(),
            )
        {
            if !(1..=12).contains(&month) {
                return format!(
                    "`{text}` is not a day: there is no month {month} (dates are year-month-day)"
                );
            }
            let days = (28..=31)
                .rev()
                .find(|&d| NaiveDate::from_ymd_opt(year, month, d).is_some())
                .unwrap_or(28);
            let name = NaiveDate::from_ymd_opt(year, month, 1)
                .map(|d| d.format("%B %Y").to_string())
                .unwrap_or_default();
            return format!("`{text}` is not a day: {name} has {days} days, not {day}");
        }
        if text.contains('/') || text.contains('.') {
            return format!(
                "`{text}` is not a date Pamphlet can read: written with `/` or `.`, it could mean two different days depending on the country"
            );
        }
        format!("`{text}` is not a date: dates are written as year-month-day, YYYY-MM-DD")
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.iso())
    }
}

/// PMIDs are digits, and editors write them unquoted; YAML then reads a
/// number. Accept both so the editor does not have to know about quoting.
fn text_or_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum TextOrNumber {
        Text(String),
        Integer(u64),
        Float(f64),
    }
    Ok(match Option::<TextOrNumber>::deserialize(deserializer)? {
        None => None,
        Some(TextOrNumber::Text(text)) => Some(text),
        Some(TextOrNumber::Integer(number)) => Some(number.to_string()),
        Some(TextOrNumber::Float(number)) => Some(number.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_added_as_a_calendar_does_and_review_timing_follows() {
        let day = |text: &str| Date::parse(text).unwrap();
        assert_eq!(day("2026-01-31").plus_months(1), day("2026-02-28"));
        assert_eq!(day("2028-01-31").plus_months(1), day("2028-02-29"));
        assert_eq!(day("2026-11-22").plus_months(36), day("2029-11-22"));
        assert_eq!(day("2026-11-22").days_until(day("2026-12-22")), 30);
        let review = |next: &str| Review {
            reviewed_by: None,
            reviewed_on: Some(day("2026-01-01")),
            next_review: Some(day(next)),
            approved_sha256: None,
        };
        let today = day("2026-11-22");
        assert_eq!(
            review("2026-11-21").timing(30, today),
            ReviewTiming::Expired
        );
        assert_eq!(
            review("2026-11-22").timing(30, today),
            ReviewTiming::DueSoon { days_left: 0 }
        );
        assert_eq!(
            review("2026-12-22").timing(30, today),
            ReviewTiming::DueSoon { days_left: 30 }
        );
        assert_eq!(
            review("2026-12-23").timing(30, today),
            ReviewTiming::Current
        );
        let mut incomplete = review("2027-01-01");
        incomplete.reviewed_on = None;
        assert_eq!(incomplete.timing(30, today), ReviewTiming::Incomplete);
    }

    #[test]
    fn a_work_is_known_by_its_doi_in_any_case_and_by_its_pmid() {
        let reference: Reference = serde_yaml::from_str(
            "id: a\ntitle: T\nsource: S\nyear: 2020\ndoi: 10.1001/ArchPsyc.63.8.856\npmid: \"16894061\"",
        )
        .unwrap();
        let ids: Vec<WorkId> = reference.work_ids().collect();
        assert_eq!(
            ids,
            [
                WorkId::Doi("10.1001/archpsyc.63.8.856".into()),
                WorkId::Pmid("16894061".into())
            ]
        );
        assert_eq!((ids[0].field(), ids[1].value()), ("doi", "16894061"));
    }

    #[test]
    fn dates_read_iso_and_print_long_form() {
        let date = Date::parse("2026-10-01").unwrap();
        assert_eq!(date.long(), "1 October 2026");
        assert_eq!(Date::parse("2026-13-01"), None);
    }

    #[test]
    fn unquoted_pmid_is_read_as_text() {
        let reference: Reference = serde_yaml::from_str("id: a\npmid: 10686270\n").unwrap();
        assert_eq!(reference.pmid.as_deref(), Some("10686270"));
        assert!(!reference.is_id_only());
    }
}
