//! Every problem code in one place: its id, the level it has unless the
//! policy says otherwise, the `site.yaml` setting that governs it, and what
//! it means in an editor's words. The README's table of codes and
//! `pamphlet explain` are written from this registry, and a test keeps the
//! README in step with it.

use serde::Serialize;

/// How serious a problem is: an error refuses the build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Reported; the site is published.
    Warning,
    /// Stops the build.
    Error,
}

/// Stable codes, so that editors, CI scripts and the README can refer to a
/// kind of problem by name. P0xx are about a file's shape; P1xx are the
/// clinic's safety policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Code {
    /// A file could not be read, or is not UTF-8 text.
    Unreadable,
    /// An article has no front matter block.
    NoFrontMatter,
    /// The front matter's closing `---` is missing.
    UnclosedFrontMatter,
    /// The front matter is not valid YAML.
    YamlSyntax,
    /// A field name that Pamphlet does not know (usually a typo).
    UnknownField,
    /// A field holds the wrong kind of value, or a required one is missing.
    BadValue,
    /// A `[@key]` citation names no reference of the article.
    UnknownCitation,
    /// A link points at an article that does not exist or is a draft.
    BrokenLink,
    /// A link points at a heading anchor that the target page lacks.
    BrokenAnchor,
    /// A `references:` entry gives only an id that the shared bibliography lacks.
    UnknownReference,
    /// Two references of one article, or of the bibliography, share an id.
    DuplicateReference,
    /// Two files would be written to the same address.
    DuplicateUrl,
    /// A topic id that `site.yaml` does not declare.
    UnknownTopic,
    /// A disclaimer id that `site.yaml` does not define.
    UnknownDisclaimer,
    /// A template failed to parse or to render.
    Template,
    /// `site.yaml` is missing or invalid.
    SiteConfig,
    /// The rendered HTML lost something the policy requires it to show.
    Verification,
    /// `content/_index.md`, the home page, does not exist.
    MissingHomePage,
    /// A disclaimer the policy requires is not in the article's `disclaimers:`.
    MissingDisclaimer,
    /// Fewer references than the policy requires.
    TooFewReferences,
    /// A reference lacks its title, source or year.
    IncompleteReference,
    /// A reference gives none of doi, pmid or url, so a reader cannot find it.
    UnlinkedReference,
    /// A DOI, PMID, PMCID or URL that is not written the way it must be.
    MalformedIdentifier,
    /// The same DOI or PMID recorded with a different title or year.
    ConflictingReference,
    /// A listed reference that the text never cites.
    UncitedReference,
    /// The clinical review, or one of its fields, is missing.
    MissingReview,
    /// `reviewed_on` is after today.
    ReviewInFuture,
    /// `next_review` is before `reviewed_on`, or further away than allowed.
    ReviewPeriod,
    /// `next_review` has passed: the page must not keep serving.
    ReviewExpired,
    /// `next_review` falls within the policy's warning window.
    ReviewDueSoon,
    /// A sentence states a statistic or leans on research without a citation.
    UncitedClaim,
    /// Wording about suicide that safe-messaging guidance asks us to avoid.
    UnsafeWording,
    /// The body or references changed after the clinician signed it off.
    ChangedSinceReview,
    /// The reading grade is above the policy's maximum.
    ReadingGrade,
    /// Raw HTML or a link that could run code, embed content or restyle the page.
    UnsafeMarkup,
    /// A `FILL IN` placeholder from `pamphlet new` is still there.
    Placeholder,
    /// A file under `content/` that is not media a browser cannot run code
    /// from (a page, a script, an SVG with scripts or outside references).
    UnsafeFile,
    /// A clinical article has no sign-off of its current text in the
    /// sign-off record, under a policy that requires one.
    NotSignedOff,
    /// A file of the sign-off record (`signoffs/`) no longer matches what
    /// was signed, or disagrees with the article's review.
    SignOffRecord,
    /// A clinical article names no topic, so no rule keyed on topics (the
    /// crisis line, say) can apply to it.
    NoTopics,
    /// A promotional or absolute health claim ("cures", "no side effects").
    PromotionalClaim,
    /// An image has no text description for people who cannot see it.
    ImageDescription,
    /// Syntax from another site generator that would show as literal text.
    ForeignSyntax,
    /// A `# heading` in the body: a second title beside the page's own.
    SecondTitle,
    /// A reference graded `regulatory` that is not on a regulator's site.
    NotFromRegulator,
}

/// One kind of problem, as the registry describes it.
#[derive(Debug)]
pub struct Check {
    /// The code this row describes.
    pub code: Code,
    /// The stable id editors and scripts use: `P113`.
    pub id: &'static str,
    /// The level it is reported at unless [`Check::policy`] changes it.
    pub level: Severity,
    /// The `site.yaml` setting that governs the check, if one does.
    pub policy: Option<&'static str>,
    /// What the problem means, in an editor's words (markdown).
    pub summary: &'static str,
}

/// Every code, in the order of [`Code`]'s variants.
pub const CHECKS: &[Check] = &[
    Check {
        code: Code::Unreadable,
        id: "P001",
        level: Severity::Error,
        policy: None,
        summary: "a file cannot be read, or is not UTF-8 text",
    },
    Check {
        code: Code::NoFrontMatter,
        id: "P002",
        level: Severity::Error,
        policy: None,
        summary: "an article has no front matter",
    },
    Check {
        code: Code::UnclosedFrontMatter,
        id: "P003",
        level: Severity::Error,
        policy: None,
        summary: "the front matter's closing `---` is missing",
    },
    Check {
        code: Code::YamlSyntax,
        id: "P004",
        level: Severity::Error,
        policy: None,
        summary: "the front matter is not valid YAML",
    },
    Check {
        code: Code::UnknownField,
        id: "P005",
        level: Severity::Error,
        policy: None,
        summary: "a field Pamphlet does not know (usually a typo; the closest field is suggested)",
    },
    Check {
        code: Code::BadValue,
        id: "P006",
        level: Severity::Error,
        policy: None,
        summary: "a field has the wrong kind of value, or a required field is missing",
    },
    Check {
        code: Code::UnknownCitation,
        id: "P007",
        level: Severity::Error,
        policy: None,
        summary: "a `[@key]` citation matches no reference of the article, or a numbered note such as `[1]` stands where a citation should",
    },
    Check {
        code: Code::BrokenLink,
        id: "P008",
        level: Severity::Error,
        policy: None,
        summary: "a link or image points at an article, file or page that does not exist (or exists with other capitals), at a draft, outside `content/`, or (an image) at something that is not a picture",
    },
    Check {
        code: Code::BrokenAnchor,
        id: "P009",
        level: Severity::Error,
        policy: None,
        summary: "a link points at a heading anchor the target page lacks",
    },
    Check {
        code: Code::UnknownReference,
        id: "P010",
        level: Severity::Error,
        policy: None,
        summary: "a `references:` entry with only an `id` that `content/references.yaml` lacks",
    },
    Check {
        code: Code::DuplicateReference,
        id: "P011",
        level: Severity::Error,
        policy: None,
        summary: "two references share an id",
    },
    Check {
        code: Code::DuplicateUrl,
        id: "P012",
        level: Severity::Error,
        policy: None,
        summary: "two files would be published at the same address",
    },
    Check {
        code: Code::UnknownTopic,
        id: "P013",
        level: Severity::Error,
        policy: None,
        summary: "a topic id that `site.yaml` does not declare",
    },
    Check {
        code: Code::UnknownDisclaimer,
        id: "P014",
        level: Severity::Error,
        policy: None,
        summary: "a disclaimer id that `site.yaml` does not define",
    },
    Check {
        code: Code::Template,
        id: "P015",
        level: Severity::Error,
        policy: None,
        summary: "a template failed to parse or render",
    },
    Check {
        code: Code::SiteConfig,
        id: "P016",
        level: Severity::Error,
        policy: None,
        summary: "`site.yaml` is invalid, names a missing theme or glossary, or sets a `brand.colour` white text cannot be read on (below 4.5:1) or a `brand.logo`/`favicon` that is not a picture of the site",
    },
    Check {
        code: Code::Verification,
        id: "P017",
        level: Severity::Error,
        policy: None,
        summary: "the rendered page lost a disclaimer or reference the article requires (a theme problem)",
    },
    Check {
        code: Code::MissingHomePage,
        id: "P018",
        level: Severity::Error,
        policy: None,
        summary: "`content/_index.md`, the home page, is missing",
    },
    Check {
        code: Code::MissingDisclaimer,
        id: "P101",
        level: Severity::Error,
        policy: Some("policy.disclaimers"),
        summary: "a disclaimer the policy requires is missing: \"topic `depression` requires the disclaimer `crisis-line`\"",
    },
    Check {
        code: Code::TooFewReferences,
        id: "P102",
        level: Severity::Error,
        policy: Some("policy.references.minimum"),
        summary: "fewer references than the policy's `minimum`",
    },
    Check {
        code: Code::IncompleteReference,
        id: "P103",
        level: Severity::Error,
        policy: None,
        summary: "a reference has no title, source or year",
    },
    Check {
        code: Code::UnlinkedReference,
        id: "P104",
        level: Severity::Error,
        policy: None,
        summary: "a reference has none of doi, pmid, pmcid or url, so a reader cannot look it up",
    },
    Check {
        code: Code::MalformedIdentifier,
        id: "P105",
        level: Severity::Error,
        policy: None,
        summary: "a malformed DOI (`10.` + registrant + `/` + suffix), PMID (digits), PMCID (`PMC` + digits) or URL (http or https)",
    },
    Check {
        code: Code::ConflictingReference,
        id: "P106",
        level: Severity::Error,
        policy: None,
        summary: "the same DOI or PMID recorded with a different title or year in two places",
    },
    Check {
        code: Code::UncitedReference,
        id: "P107",
        level: Severity::Warning,
        policy: None,
        summary: "a listed reference is never cited",
    },
    Check {
        code: Code::MissingReview,
        id: "P108",
        level: Severity::Error,
        policy: None,
        summary: "the clinical review, or its `reviewed_by`, `reviewed_on` or `next_review`, is missing",
    },
    Check {
        code: Code::ReviewInFuture,
        id: "P109",
        level: Severity::Error,
        policy: None,
        summary: "`reviewed_on` is after today",
    },
    Check {
        code: Code::ReviewPeriod,
        id: "P110",
        level: Severity::Error,
        policy: Some("policy.review.valid_for_months"),
        summary: "`next_review` is before `reviewed_on`, or further away than the policy allows",
    },
    Check {
        code: Code::ReviewExpired,
        id: "P111",
        level: Severity::Error,
        policy: None,
        summary: "the review has expired: `next_review` has passed",
    },
    Check {
        code: Code::ReviewDueSoon,
        id: "P112",
        level: Severity::Warning,
        policy: Some("policy.review.warn_days_before"),
        summary: "`next_review` is within the policy's warning window",
    },
    Check {
        code: Code::UncitedClaim,
        id: "P113",
        level: Severity::Warning,
        policy: Some("policy.uncited_claims"),
        summary: "a sentence states a statistic (a percentage, \"N in M\", \"N times more\", \"half of\", \"millions of people\", \"the leading cause of\"), an outcome of most people (\"most patients feel\", \"the majority of\"), a comparison of outcomes or risks (\"faster than\", \"as effective as\") or leans on research (\"studies show\", \"a 2014 study of\", \"clinically proven\") without a citation in the same sentence; a source named in words (\"according to the World Health Organization\") or a yes-or-no question needs none",
    },
    Check {
        code: Code::UnsafeWording,
        id: "P114",
        level: Severity::Error,
        policy: Some("policy.unsafe_wording"),
        summary: "wording about suicide that safe-messaging guidance asks us to avoid (\"committed suicide\", \"suicide victim\", \"failed attempt\" on a page about suicide), with the preferred words as the fix (an error; `policy.unsafe_wording: warning` makes it a warning)",
    },
    Check {
        code: Code::ChangedSinceReview,
        id: "P115",
        level: Severity::Warning,
        policy: Some("policy.review.changed_since_signoff"),
        summary: "the body or references changed after the clinician signed the page off (`approved_sha256` no longer matches)",
    },
    Check {
        code: Code::ReadingGrade,
        id: "P116",
        level: Severity::Warning,
        policy: Some("policy.readability.level"),
        summary: "the article reads above the policy's highest Flesch-Kincaid grade (default 8)",
    },
    Check {
        code: Code::UnsafeMarkup,
        id: "P117",
        level: Severity::Error,
        policy: None,
        summary: "unsafe markup, judged as a browser reads it (html5ever's tokenizer, one block at a time): a tag or attribute outside ammonia's allow-list, an event handler or inline style, a `javascript:`/`vbscript:`/`data:` link (entities decoded as browsers do), an image or other file loaded from another site, an element or comment left open at the end of its block, a heading attribute other than an id or class, raw HTML in a disclaimer text of `site.yaml`, or nesting over 32 levels",
    },
    Check {
        code: Code::Placeholder,
        id: "P118",
        level: Severity::Error,
        policy: None,
        summary: "a `FILL IN` placeholder from `pamphlet new` is still there",
    },
    Check {
        code: Code::UnsafeFile,
        id: "P119",
        level: Severity::Error,
        policy: None,
        summary: "a file under `content/` that is not media: only images, PDFs, audio, video and caption files are published from there, and an SVG only without scripts, event handlers, `foreignObject` or references to other files; pages, scripts and stylesheets belong to the theme designer's `static/` folder",
    },
    Check {
        code: Code::NotSignedOff,
        id: "P120",
        level: Severity::Error,
        policy: Some("policy.review.sign_off"),
        summary: "the policy requires a sign-off (`sign_off: required`) and this clinical article has none of its current text in the sign-off record: the reviewer runs `pamphlet approve`",
    },
    Check {
        code: Code::SignOffRecord,
        id: "P121",
        level: Severity::Error,
        policy: None,
        summary: "the review in the article disagrees with the sign-off record, or a record file under `signoffs/` was edited after `approve` wrote it",
    },
    Check {
        code: Code::NoTopics,
        id: "P122",
        level: Severity::Warning,
        policy: None,
        summary: "a clinical article names no topic, so no disclaimer rule keyed on topics (the crisis line, say) can apply",
    },
    Check {
        code: Code::PromotionalClaim,
        id: "P123",
        level: Severity::Warning,
        policy: Some("policy.promotional_claims"),
        summary: "a promotional or absolute claim (\"cures\", \"miracle\", \"completely safe\", \"no side effects\", \"not addictive\", \"the best treatment\", \"instant relief\"); denied or reported claims (\"there is no cure\", \"some websites say it is not addictive\") pass. See [docs/prose-checks.md](docs/prose-checks.md)",
    },
    Check {
        code: Code::ImageDescription,
        id: "P124",
        level: Severity::Error,
        policy: None,
        summary: "an image has no text description: write what it shows in `![...]`, or `![decorative](...)` for decoration only",
    },
    Check {
        code: Code::ForeignSyntax,
        id: "P125",
        level: Severity::Warning,
        policy: None,
        summary: "syntax from another site generator or editor (`{{ ... }}`, `{% ... %}`, `*[abbr]:`, `{.class}` lines, `:::`, `[[wiki links]]`) that would show on the page as text",
    },
    Check {
        code: Code::SecondTitle,
        id: "P126",
        level: Severity::Warning,
        policy: None,
        summary: "a `# heading` in the text: the page's title comes from `title:`, so use `##` for its sections",
    },
    Check {
        code: Code::NotFromRegulator,
        id: "P127",
        level: Severity::Warning,
        policy: None,
        summary: "a reference graded `evidence: regulatory` whose `url:` is not on a regulator's site (fda.gov, DailyMed, EMA, MHRA, NICE...): readers are told it is the regulator's word",
    },
];

impl Code {
    /// What the registry says of this code.
    pub fn check(self) -> &'static Check {
        &CHECKS[self as usize]
    }

    /// `P001`, `P113`...: how diagnostics, the README and `pamphlet explain` name it.
    pub fn id(self) -> &'static str {
        self.check().id
    }

    /// The code whose id is `id` (`P113`, or `p113`).
    pub fn from_id(id: &str) -> Option<Code> {
        CHECKS
            .iter()
            .find(|check| check.id.eq_ignore_ascii_case(id.trim()))
            .map(|check| check.code)
    }
}

impl Check {
    /// The code's line of the README's table: id, then what it means with
    /// its level.
    pub fn table_row(&self) -> String {
        let summary = match (self.level, self.policy) {
            (Severity::Warning, Some(key)) => format!(
                "{} (a warning; `{key}: error` makes it an error)",
                self.summary
            ),
            (Severity::Warning, None) => format!("*warning*: {}", self.summary),
            (Severity::Error, _) => self.summary.to_owned(),
        };
        format!("| {} | {summary} |", self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_code_has_its_own_entry_in_order() {
        for (index, check) in CHECKS.iter().enumerate() {
            assert_eq!(check.code as usize, index, "{} is out of order", check.id);
            assert_eq!(Code::from_id(check.id), Some(check.code));
        }
        let mut ids: Vec<&str> = CHECKS.iter().map(|c| c.id).collect();
        ids.dedup();
        assert_eq!(ids.len(), CHECKS.len(), "two codes share an id");
    }

    #[test]
    fn the_readme_lists_every_code_as_the_registry_describes_it() {
        let readme = include_str!("../README.md");
        let listed: Vec<&str> = readme
            .lines()
            .skip_while(|line| *line != "## Problem codes")
            .filter(|line| line.starts_with("| P"))
            .collect();
        let expected: Vec<String> = CHECKS.iter().map(Check::table_row).collect();
        assert!(
            listed == expected,
            "the README's table of codes differs from src/codes.rs; it should read:\n{}",
            expected.join("\n")
        );
    }

    #[test]
    fn every_policy_key_is_a_setting_of_site_yaml() {
        for check in CHECKS {
            let Some(key) = check.policy else { continue };
            // The key's last part set to a value of each kind it may hold.
            let path: Vec<&str> = key.split('.').collect();
            let accepted = ["error", "required", "12", "[]"].iter().any(|value| {
                let mut yaml = format!("{}: {value}", path[path.len() - 1]);
                for part in path[1..path.len() - 1].iter().rev() {
                    let indented: Vec<String> = yaml.lines().map(|l| format!("  {l}")).collect();
                    yaml = format!("{part}:\n{}", indented.join("\n"));
                }
                path[0] == "policy" && serde_yaml::from_str::<crate::config::Policy>(&yaml).is_ok()
            });
            assert!(
                accepted,
                "{}: `{key}` is not a setting of site.yaml",
                check.id
            );
        }
    }
}
