//! The clinical review: who signed the page off, when, and until when it
//! may be served. An expired review stops the build: a clinic must not keep
//! publishing medical advice nobody has checked for too long.

use chrono::Months;

use super::{CheckContext, at_level, front_matter_start, is_clinical, missing_fields};
use crate::config::Level;
use crate::diagnostics::{Code, Diagnostic};
use crate::load::front_matter::locate;
use crate::load::{Page, Site};
use crate::signoff::fingerprint;

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
            found.push(
                Diagnostic::error(Code::MissingReview, "this article has no clinical review")
                    .at(page.file, front_matter_start(page))
                    .hint("a clinician must review it before it is published: add `review:` with `reviewed_by:`, `reviewed_on:` and `next_review:`"),
            );
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
                    .hint(format!(
                        "add {keys} under `review:` (the reviewing clinician's name and credentials, and dates as YYYY-MM-DD)"
                    )),
            );
        }
    }

    if let Some(approved) = &review.approved_sha256
        && *approved != fingerprint(page)
    {
        found.push(
            at_level(
                // Editing a signed-off article is how every revision starts;
                // the preview shows the new text with this as a warning, and
                // only publishing holds it to the policy.
                if context.preview {
                    Level::Warning
                } else {
                    policy.changed_since_signoff
                },
                Code::ChangedSinceReview,
                "the text or references changed after the clinician signed this page off".to_owned(),
            )
            .at(page.file, at("approved_sha256"))
            .hint(format!(
                "ask the reviewer to check the changes (`pamphlet report` lists this page), then sign it off again with `pamphlet approve {} --reviewer \"Name, credentials\"`",
                page.file.path.display()
            )),
        );
    }

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
        let longest = reviewed_on
            .0
            .checked_add_months(Months::new(policy.valid_for_months))
            .unwrap_or(reviewed_on.0);
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
        } else if next_review.0 > longest {
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
                .hint(format!("set `next_review:` to {} or earlier", longest.format("%Y-%m-%d"))),
            );
        }
    }
    if next_review < today {
        found.push(
            Diagnostic::error(
                Code::ReviewExpired,
                format!("the review expired on {}: this page is overdue for clinical review", next_review.iso()),
            )
            .at(page.file, at("next_review"))
            .hint("ask a clinician to review the page again, then update `reviewed_by:`, `reviewed_on:` and `next_review:`"),
        );
    } else {
        let days_left = (next_review.0 - today.0).num_days();
        if days_left <= i64::from(policy.warn_days_before) {
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
                .hint(
                    "book the clinical review now; after that date the build will refuse this page",
                ),
            );
        }
    }
}
