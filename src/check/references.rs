//! References and citations: every work an article relies on can be found
//! by a reader, is recorded the same way everywhere, and is cited; every
//! citation names a listed work.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::{is_clinical, missing_fields};
use crate::diagnostics::{Code, Diagnostic, closest};
use crate::load::front_matter::{locate, locate_nth};
use crate::load::{Page, Site};
use crate::model::{Reference, WorkId};
use crate::source::SourceFile;

static DOI: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^10\.\d{4,9}(\.\d+)*/\S+$").expect("valid pattern"));

pub(super) fn check(site: &Site<'_>, page: &Page<'_>, found: &mut Vec<Diagnostic>) {
    listed(site, page, found);
    citations(page, found);
    if is_clinical(&site.config.policy, page) {
        enough(site, page, found);
    }
}

fn listed(site: &Site<'_>, page: &Page<'_>, found: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let cited: HashSet<&str> = page
        .body
        .citations
        .iter()
        .flat_map(|c| c.keys.iter().map(String::as_str))
        .collect();
    for reference in &page.front.references {
        let id = &reference.id;
        let at_id = || locate(page.file, &page.yaml, "id", Some(id));
        let earlier = *seen.entry(id.as_str()).and_modify(|n| *n += 1).or_insert(0);
        if earlier > 0 {
            found.push(
                Diagnostic::error(
                    Code::DuplicateReference,
                    format!("the reference id `{id}` is listed twice"),
                )
                .at(
                    page.file,
                    locate_nth(page.file, &page.yaml, "id", Some(id), earlier),
                )
                .hint("remove the repeated entry, or give the second reference its own id"),
            );
            continue;
        }
        if reference.is_id_only() {
            unknown_shared(site, page, id, at_id(), found);
            continue;
        }
        if !reference.from_bibliography {
            found.extend(entry_problems(reference, page.file, &page.yaml));
        }
        if !cited.contains(id.as_str())
            && let Some(at) = bracketed_without_at(page, id)
        {
            // A reader would see "[cipriani2018]" on the page: an error, not
            // the warning an unused reference gets.
            found.push(
                Diagnostic::error(Code::UnknownCitation, format!("`[{id}]` looks like a citation without its `@`, and would be shown to readers as it is"))
                    .at(page.file, at)
                    .hint(format!("write `[@{id}]` to cite the reference `{id}`")),
            );
        } else if !cited.contains(id.as_str()) && !page.front.draft {
            found.push(
                Diagnostic::warning(Code::UncitedReference, format!("the reference `{id}` is listed but never cited"))
                    .at(page.file, at_id())
                    .hint(format!("cite it where the text relies on it, with `[@{id}]`, or remove it from `references:`")),
            );
        }
    }
}

fn unknown_shared(
    site: &Site<'_>,
    page: &Page<'_>,
    id: &str,
    at: Range<usize>,
    found: &mut Vec<Diagnostic>,
) {
    let suggestion = closest(id, site.bibliography.entries.keys().map(String::as_str));
    let hint = match suggestion {
        Some(guess) => format!(
            "did you mean `{guess}`? An entry with only `id:` must match an id in content/references.yaml"
        ),
        None => "add the full reference here (authors, title, source, year, doi or pmid), or add it to content/references.yaml".to_owned(),
    };
    found.push(
        Diagnostic::error(
            Code::UnknownReference,
            format!("the reference `{id}` is not in the shared bibliography"),
        )
        .at(page.file, at)
        .hint(hint),
    );
}

/// What is wrong with one reference as written, wherever it is written.
fn entry_problems(
    reference: &Reference,
    file: &SourceFile,
    yaml: &Range<usize>,
) -> Vec<Diagnostic> {
    let id = &reference.id;
    let mut found = Vec::new();
    // Many web pages carry no date; citing one with the day it was read is
    // honest, inventing a year is not.
    let undated_web_page = reference.url.is_some() && reference.accessed.is_some();
    let missing = missing_fields(&[
        ("title", reference.title.is_none()),
        ("source", reference.source.is_none()),
        ("year", reference.year.is_none() && !undated_web_page),
    ]);
    if let Some((absent, keys)) = missing {
        found.push(
            Diagnostic::error(Code::IncompleteReference, format!("the reference `{id}` has {absent}"))
                .at(file, locate(file, yaml, "id", Some(id)))
                .hint(format!(
                    "add {keys} so a reader can tell which work this is (source is the journal, or the organisation for a web page; an undated web page needs `url:` and `accessed:` instead of a year)"
                )),
        );
    }
    let findable = reference.doi.is_some()
        || reference.pmid.is_some()
        || reference.pmcid.is_some()
        || reference.url.is_some();
    if !findable {
        found.push(
            Diagnostic::error(
                Code::UnlinkedReference,
                format!("the reference `{id}` has no doi, pmid or url, so a reader cannot look it up"),
            )
            .at(file, locate(file, yaml, "id", Some(id)))
            .hint("add `doi:` or `pmid:` for a journal article, or `url:` for a web page; copy it from the publisher's page, never guess it"),
        );
    }
    let identifiers = [
        (
            "doi",
            reference.doi.as_deref(),
            is_doi as fn(&str) -> bool,
            "a DOI is `10.`, the publisher's number, `/`, then the rest, for example `10.1001/archpsyc.63.8.856` (without `https://doi.org/`)",
        ),
        (
            "pmid",
            reference.pmid.as_deref(),
            is_pmid,
            "a PMID is digits only, for example `16894061`",
        ),
        (
            "pmcid",
            reference.pmcid.as_deref(),
            is_pmcid,
            "a PMCID is `PMC` and digits, for example `PMC5950671`",
        ),
        (
            "url",
            reference.url.as_deref(),
            is_web_address,
            "a URL must start with `https://` or `http://` and contain no spaces",
        ),
    ];
    found.extend(regulator_unconfirmed(reference, file, yaml));
    for (field, value, is_valid, form) in identifiers {
        if let Some(value) = value
            && !is_valid(value)
        {
            found.push(
                Diagnostic::error(
                    Code::MalformedIdentifier,
                    format!("`{value}` is not a valid {field} (in the reference `{id}`)"),
                )
                .at(file, locate(file, yaml, field, Some(value)))
                .hint(form),
            );
        }
    }
    found
}

/// Sites where a regulator, or the labeling it approves, is published. A
/// reference graded `regulatory` is shown to patients as "Regulator's
/// statement"; a news report of a warning is not one (the review of #20
/// found a TV station's report cited sixteen times as the FDA's word).
const REGULATOR_SITES: [&str; 11] = [
    "fda.gov",
    "dailymed.nlm.nih.gov",
    "ema.europa.eu",
    "gov.uk",
    "nice.org.uk",
    "tga.gov.au",
    "canada.ca",
    "hpra.ie",
    "dea.gov",
    "samhsa.gov",
    "medsafe.govt.nz",
];

fn regulator_unconfirmed(
    reference: &Reference,
    file: &SourceFile,
    yaml: &Range<usize>,
) -> Option<Diagnostic> {
    if reference.evidence != Some(crate::model::Evidence::Regulatory) {
        return None;
    }
    let id = &reference.id;
    let host = reference.url.as_deref().and_then(host_of);
    let on_regulator_site = host.as_deref().is_some_and(|host| {
        REGULATOR_SITES
            .iter()
            .any(|site| host == *site || host.ends_with(&format!(".{site}")))
    });
    if on_regulator_site {
        return None;
    }
    let (message, at) = match (&reference.url, host) {
        (Some(url), Some(host)) => (
            format!(
                "the reference `{id}` is graded `regulatory`, but `{host}` is not a regulator's site"
            ),
            locate(file, yaml, "url", Some(url)),
        ),
        _ => (
            format!("the reference `{id}` is graded `regulatory` but gives no regulator's page"),
            locate(file, yaml, "id", Some(id)),
        ),
    };
    Some(
        Diagnostic::warning(Code::NotFromRegulator, message)
            .at(file, at)
            .hint("patients see it as the regulator's own statement: give the regulator's page (fda.gov, a label on DailyMed, ema.europa.eu, gov.uk...) as `url:`, or grade a news report `evidence: news`"),
    )
}

/// The host of an `http(s)://` address, lower case, without `www.`.
fn host_of(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?.split(':').next()?;
    let host = host.to_ascii_lowercase();
    Some(host.strip_prefix("www.").unwrap_or(&host).to_owned())
}

fn is_doi(value: &str) -> bool {
    DOI.is_match(value)
}

fn is_pmid(value: &str) -> bool {
    !value.is_empty() && value.len() <= 9 && value.bytes().all(|b| b.is_ascii_digit())
}

fn is_pmcid(value: &str) -> bool {
    value
        .strip_prefix("PMC")
        .is_some_and(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
}

fn is_web_address(value: &str) -> bool {
    let Some(rest) = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
    else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    !value.chars().any(char::is_whitespace) && (host.contains('.') || host.starts_with("localhost"))
}

fn citations(page: &Page<'_>, found: &mut Vec<Diagnostic>) {
    let ids: Vec<&str> = page
        .front
        .references
        .iter()
        .map(|r| r.id.as_str())
        .collect();
    for citation in &page.body.citations {
        for key in &citation.keys {
            if ids.contains(&key.as_str()) {
                continue;
            }
            let hint = match closest(key, ids.iter().copied()) {
                Some(guess) => format!("did you mean `[@{guess}]`?"),
                None if ids.is_empty() => format!(
                    "this article lists no references; add one with `id: {key}` under `references:`"
                ),
                None => format!(
                    "add a reference with `id: {key}` under `references:`, or cite one of: {}",
                    ids.join(", ")
                ),
            };
            found.push(
                Diagnostic::error(
                    Code::UnknownCitation,
                    format!("the citation `@{key}` matches no reference of this article"),
                )
                .at(page.file, citation.span.clone())
                .hint(hint),
            );
        }
    }
}

fn enough(site: &Site<'_>, page: &Page<'_>, found: &mut Vec<Diagnostic>) {
    let minimum = site.config.policy.references.minimum;
    let count = page.front.references.len();
    if count >= minimum {
        return;
    }
    let place = if count == 0 {
        super::front_matter_start(page)
    } else {
        locate(page.file, &page.yaml, "references", None)
    };
    found.push(super::or_non_clinical(
        Diagnostic::error(
            Code::TooFewReferences,
            format!(
                "this article lists {count} reference{}; the policy requires at least {minimum}",
                if count == 1 { "" } else { "s" }
            ),
        )
        .at(page.file, place)
        .hint("add the studies or guidelines that support what the article says under `references:`, and cite each with `[@id]` where it is used"),
        page,
    ));
}

/// Problems that only show across files: repeated ids in the bibliography,
/// its entries' own problems, and one work recorded two different ways.
pub(super) fn site_wide(site: &Site<'_>) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let bibliography = &site.bibliography;
    if let Some(file) = bibliography.file {
        let whole = 0..file.text.len();
        for (id, span) in &bibliography.repeated {
            found.push(
                Diagnostic::error(
                    Code::DuplicateReference,
                    format!("the reference id `{id}` is used twice in the shared bibliography"),
                )
                .at(file, span.clone())
                .hint("give each reference its own id, or remove the repeated entry"),
            );
        }
        for entry in bibliography.entries.values() {
            found.extend(entry_problems(entry, file, &whole));
        }
    }
    found.extend(conflicting_records(site));
    found
}

/// One place a work is written down, for comparing records of it.
struct Record<'s> {
    reference: &'s Reference,
    file: &'s SourceFile,
    yaml: Range<usize>,
}

fn conflicting_records(site: &Site<'_>) -> Vec<Diagnostic> {
    let mut records: Vec<Record<'_>> = Vec::new();
    if let Some(file) = site.bibliography.file {
        records.extend(site.bibliography.entries.values().map(|reference| Record {
            reference,
            file,
            yaml: 0..file.text.len(),
        }));
    }
    for page in &site.pages {
        records.extend(
            page.front
                .references
                .iter()
                .filter(|r| !r.from_bibliography && !r.is_id_only())
                .map(|reference| Record {
                    reference,
                    file: page.file,
                    yaml: page.yaml.clone(),
                }),
        );
    }
    let mut first_by_identifier: HashMap<WorkId, &Record<'_>> = HashMap::new();
    let mut found = Vec::new();
    for record in &records {
        let reference = record.reference;
        for id in reference.work_ids() {
            let (kind, value) = (id.field(), id.value().to_owned());
            let Some(first) = first_by_identifier.get(&id) else {
                first_by_identifier.insert(id, record);
                continue;
            };
            let same_title = first.reference.comparable_title() == reference.comparable_title();
            if same_title && first.reference.year == reference.year {
                continue;
            }
            let shown = reference
                .doi
                .as_deref()
                .filter(|_| kind == "doi")
                .or(reference.pmid.as_deref())
                .unwrap_or("");
            found.push(
                Diagnostic::error(
                    Code::ConflictingReference,
                    format!(
                        "the {kind} {value} is recorded here as \"{}\" ({}) but in {} as \"{}\" ({})",
                        reference.title.as_deref().unwrap_or("no title"),
                        reference.year.map_or("no year".to_owned(), |y| y.to_string()),
                        first.file.path.display(),
                        first.reference.title.as_deref().unwrap_or("no title"),
                        first.reference.year.map_or("no year".to_owned(), |y| y.to_string()),
                    ),
                )
                .at(record.file, locate(record.file, &record.yaml, kind, Some(shown)))
                .hint("one of the two records is wrong: check the work at its DOI or PMID and correct the title or year; a reference used by several articles belongs in content/references.yaml"),
            );
        }
    }
    found
}

/// Where the body writes `[id]` (or `[id; ...]`) for a reference of its
/// own: a citation whose `@` was forgotten.
fn bracketed_without_at(page: &Page<'_>, id: &str) -> Option<Range<usize>> {
    let body = &page.file.text[page.body_start..];
    let wanted = format!("[{id}");
    let mut from = 0;
    while let Some(found) = body[from..].find(&wanted).map(|i| from + i) {
        let after = &body[found + wanted.len()..];
        if after.starts_with(']') && !after[1..].starts_with(['(', '[', ':'])
            || after.starts_with(';')
        {
            let start = page.body_start + found;
            return Some(start..start + wanted.len() + 1);
        }
        from = found + wanted.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_checked_for_their_form() {
        assert!(is_doi("10.1016/S0006-3223(99)00230-9"));
        assert!(is_doi("10.1097/AAP.0000000000000808"));
        assert!(!is_doi("https://doi.org/10.1001/x"));
        assert!(!is_doi("10.1001"));
        assert!(is_pmid("16894061") && !is_pmid("PMID 1689") && !is_pmid(""));
        assert!(is_pmcid("PMC5950671") && !is_pmcid("5950671"));
        assert!(is_web_address(
            "https://www.example.org/a b".split(' ').next().unwrap()
        ));
        assert!(!is_web_address("javascript:alert(1)") && !is_web_address("ftp://x.org"));
        assert!(!is_web_address("https://exa mple.org"));
    }
}
