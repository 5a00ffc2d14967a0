//! The clinical review: who signed the page off, when, and until when it
//! may be served. An expired review stops the build: a clinic must not keep
//! publishing medical advice nobody has checked for too long.

use super::{CheckContext, at_level, front_matter_start, is_clinical, missing_fields};
use crate::config::{Level, SignOffPolicy};
use crate::diagnostics::{Code, Diagnostic};
use crate::load::front_matter::locate;
use crate::load::ledger::fingerprint;
use crate::load::{Page, Site};
use crate::model::{Review, ReviewTiming};

pub(super) fn check(
    site: &Site<'_>,
    page: &Page<'_>,
    context: &CheckContext,
    found: &mut Vec<Diagnostic>,
) {
    let policy = &site.config.policy.review;
    let clinical = is_clinical(&site.config.policy, page);
    let at = |field: &str| locate(page.file, &page.yaml, field, None);
    let Some(review) = &page.front.review else {
        if clinical {
            found.push(super::or_non_clinical(
                Diagnostic::error(Code::MissingReview, "this article has no clinical review")
                    .at(page.file, front_matter_start(page))
                    .hint(format!("a clinician must review it before it is published: once they have read it, they sign it off with `pamphlet approve {} --reviewer \"Name, credentials\"`, which writes the review for you", page.file.path.display())),
                page,
            ));
        }
        return;
    };
    if clinical {
        let blank_reviewer = review
            .reviewed_by
            .as_deref()
            .is_none_or(|by| by.trim().is_empty());
        let missing = missing_fields(&[
            ("reviewed_by", blank_reviewer),
            ("reviewed_on", review.reviewed_on.is_none()),
            ("next_review", review.next_review.is_none()),
        ]);
        if let Some((absent, keys)) = missing {
            found.push(
                Diagnostic::error(Code::MissingReview, format!("the review has {absent}"))
                    .at(page.file, at("review"))
                    .hint(if site.config.policy.review.sign_off == SignOffPolicy::Required {
                        format!(
                            "these are written by the reviewing clinician's sign-off: `pamphlet approve {} --reviewer \"Name, credentials\"`",
                            page.file.path.display()
                        )
                    } else {
                        format!(
                            "add {keys} under `review:` (the reviewing clinician's name and credentials, and dates as YYYY-MM-DD), or have the clinician run `pamphlet approve {}`, which writes them",
                            page.file.path.display()
                        )
                    }),
            );
        }
    }

    sign_off(site, page, review, context, clinical, found);

    let today = context.today;
    if let Some(reviewed_on) = review.reviewed_on
        && reviewed_on > today
    {
        found.push(
            Diagnostic::error(
                Code::ReviewInFuture,
                format!("`reviewed_on` is {}, which is after today ({})", reviewed_on.iso(), today.iso()),
            )
            .at(page.file, at("reviewed_on"))
            .hint("a review can only be recorded once it has happened: use the date the clinician signed it off"),
        );
    }
    let Some(next_review) = review.next_review else {
        return;
    };
    if let Some(reviewed_on) = review.reviewed_on {
        let longest = reviewed_on.plus_months(policy.valid_for_months);
        if next_review < reviewed_on {
            found.push(
                Diagnostic::error(
                    Code::ReviewPeriod,
                    format!(
                        "`next_review` ({}) is before `reviewed_on` ({})",
                        next_review.iso(),
                        reviewed_on.iso()
                    ),
                )
                .at(page.file, at("next_review"))
                .hint("the next review comes after the last one; check the two dates"),
            );
        } else if next_review > longest {
            found.push(
                Diagnostic::error(
                    Code::ReviewPeriod,
                    format!(
                        "`next_review` ({}) is more than {} months after `reviewed_on`; the policy allows at most that",
                        next_review.iso(),
                        policy.valid_for_months
                    ),
                )
                .at(page.file, at("next_review"))
                .hint(format!("set `next_review:` to {} or earlier", longest.iso())),
            );
        }
    }
    let timing = review.timing(policy.warn_days_before, today);
    if timing == ReviewTiming::Expired {
        found.push(
            Diagnostic::error(
                Code::ReviewExpired,
                format!("the review expired on {}: this page is overdue for clinical review", next_review.iso()),
            )
            .at(page.file, at("next_review"))
            .hint(format!("ask a clinician to review the page again; they sign it off with `pamphlet approve {} --reviewer \"Name, credentials\"`, which sets the new dates", page.file.path.display())),
        );
    } else if let ReviewTiming::DueSoon { days_left } = timing {
        found.push(
            Diagnostic::warning(
                Code::ReviewDueSoon,
                format!(
                    "the next review is due on {} ({days_left} day{} from today)",
                    next_review.iso(),
                    if days_left == 1 { "" } else { "s" }
                ),
            )
            .at(page.file, at("next_review"))
            .hint("book the clinical review now; after that date the build will refuse this page"),
        );
    }
}

/// The sign-off: the fingerprint must match the text, and where the policy
/// requires a sign-off, the record in `signoffs/` must hold it with the
/// same reviewer and dates. Nothing typed into the front matter can stand
/// in for `pamphlet approve`.
fn sign_off(
    site: &Site<'_>,
    page: &Page<'_>,
    review: &Review,
    context: &CheckContext,
    clinical: bool,
    found: &mut Vec<Diagnostic>,
) {
    let required = clinical && site.config.policy.review.sign_off == SignOffPolicy::Required;
    let at = |field: &str| locate(page.file, &page.yaml, field, None);
    let approve = format!(
        "`pamphlet approve {} --reviewer \"Name, credentials\"`",
        page.file.path.display()
    );
    let Some(approved) = &review.approved_sha256 else {
        if required {
            found.push(
                Diagnostic::error(Code::NotSignedOff, "no clinician has signed off this article with `pamphlet approve`")
                    .at(page.file, at("review"))
                    .hint(format!("this site's policy needs a recorded sign-off (review dates typed by hand do not count): once the reviewer has read the article, they run {approve}")),
            );
        }
        return;
    };
    if *approved != fingerprint(page) {
        // Editing a signed-off article is how every revision starts; without
        // a required sign-off the preview shows the new text with a warning
        // and only publishing holds it to the policy.
        let level = if required {
            Level::Error
        } else if context.preview {
            Level::Warning
        } else {
            site.config.policy.review.changed_since_signoff
        };
        found.push(
            at_level(
                level,
                Code::ChangedSinceReview,
                "the text or references changed after the clinician signed this page off".to_owned(),
            )
            .at(page.file, at("approved_sha256"))
            .hint(format!(
                "ask the reviewer to check the changes (`pamphlet report` shows them, word by word), then to sign it off again with {approve}"
            )),
        );
        return;
    }
    if !required {
        return;
    }
    let signings: Vec<_> = site.ledger.signing(approved).collect();
    let Some(latest) = signings.last() else {
        found.push(
            Diagnostic::error(Code::NotSignedOff, format!("this sign-off is not in the sign-off record (`{}/`)", crate::load::ledger::LEDGER_DIR))
                .at(page.file, at("approved_sha256"))
                .hint(format!("a fingerprint typed or copied by hand does not count: ask the reviewer to run {approve}; if the record's file was deleted, restore it from your version control")),
        );
        return;
    };
    let same_review = |record: &crate::load::ledger::SignOffRecord| {
        review.reviewed_by.as_deref().map(str::trim) == Some(record.reviewed_by.as_str())
            && review.reviewed_on == Some(record.reviewed_on)
            && review.next_review == Some(record.next_review)
    };
    if !signings.iter().any(|version| same_review(&version.record)) {
        let record = &latest.record;
        found.push(
            Diagnostic::error(
                Code::SignOffRecord,
                format!(
                    "the review here does not match the sign-off record `{}`, which says {} signed it off on {}, next review {}",
                    latest.file.path.display(),
                    record.reviewed_by,
                    record.reviewed_on.iso(),
                    record.next_review.iso()
                ),
            )
            .at(page.file, at("review"))
            .hint(format!("the review fields are written by `pamphlet approve`: put back what it wrote, or ask the reviewer to run {approve}")),
        );
    }
}

/// Every file of the sign-off record must still hold what was signed: its
/// fingerprint is computed again from the text it keeps.
pub(super) fn records_intact(site: &Site<'_>) -> Vec<Diagnostic> {
    site.ledger
        .versions
        .iter()
        .filter(|version| version.text().fingerprint() != version.record.approved_sha256)
        .map(|version| {
            let file = version.file;
            Diagnostic::error(Code::SignOffRecord, "this sign-off record was changed after `pamphlet approve` wrote it: what it keeps no longer matches its fingerprint")
                .at(file, locate(file, &(0..file.text.len()), "approved_sha256", None))
                .hint("records of sign-offs must not be edited: restore this file from your version control, or delete it and ask the reviewer to sign the article off again")
        })
        .collect()
}
