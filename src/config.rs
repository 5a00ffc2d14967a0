//! `site.yaml`: who the clinic is, which theme to use, and the clinic's
//! legal and clinical wording. Disclaimer texts live here once, so that no
//! article carries its own copy that could drift.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The whole of `site.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// The site's name, shown in every page's header and title.
    pub title: String,
    /// The public address, used for canonical links, the sitemap and the feed.
    pub base_url: String,
    /// The language of the pages, as a BCP 47 tag (`en`, `en-GB`).
    #[serde(default = "default_language")]
    pub language: String,
    /// One sentence about the site, for search engines and link previews.
    pub description: Option<String>,
    /// Who runs the site and how patients reach them.
    pub clinic: Clinic,
    /// The folder under `themes/` to render with.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Topic id to the name patients see, e.g. `ptsd: PTSD`.
    #[serde(default)]
    pub topics: BTreeMap<String, String>,
    /// Each disclaimer's id to its heading and wording: the clinic's legal and clinical text, once.
    #[serde(default)]
    pub disclaimers: BTreeMap<String, Disclaimer>,
    /// The content path of the glossary page, whose headings are terms
    /// explained wherever other pages use them.
    pub glossary: Option<String>,
    /// The clinic's colour, logo and favicon.
    #[serde(default)]
    pub brand: Brand,
    /// The safety rules every build enforces.
    #[serde(default)]
    pub policy: Policy,
}

/// The clinic's own look, without overriding a template: its colour for the
/// header band (under white text), its logo and its favicon.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Brand {
    /// `#rrggbb` or `#rgb`; checked for contrast with the white text on it.
    pub colour: Option<String>,
    /// A picture in `static/` or `content/`, shown before the site's name.
    pub logo: Option<String>,
    /// The browser tab's icon, from `static/` or `content/`.
    pub favicon: Option<String>,
}

/// NHS blue: white text on it has a contrast of 6.4:1.
pub const DEFAULT_BRAND_COLOUR: &str = "#005eb8";

impl Brand {
    /// The colour of the header band: the clinic's, or NHS blue.
    pub fn colour(&self) -> &str {
        self.colour.as_deref().unwrap_or(DEFAULT_BRAND_COLOUR)
    }
}

/// The clinic's safety rules, as data. The `check` stage is the only reader;
/// templates never decide what a page must show.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Which disclaimers which articles must carry.
    #[serde(default)]
    pub disclaimers: Vec<DisclaimerRule>,
    /// How many references a clinical article needs.
    #[serde(default)]
    pub references: ReferencePolicy,
    /// How long a review lasts and what counts as signed off.
    #[serde(default)]
    pub review: ReviewPolicy,
    /// Sentences that state a statistic or lean on research without a citation.
    #[serde(default)]
    pub uncited_claims: Level,
    /// Promotional and absolute claims ("cures", "completely safe", "not
    /// addictive"), which no citation makes honest.
    #[serde(default)]
    pub promotional_claims: Level,
    /// Wording about suicide that safe-messaging guidance advises against
    /// ("committed suicide"). An error unless the policy says otherwise: a
    /// clinic may relax it while it rewrites pages it brings in.
    #[serde(default = "error_level")]
    pub unsafe_wording: Level,
    /// The highest reading grade, and how strictly it is held.
    #[serde(default)]
    pub readability: ReadabilityPolicy,
    /// Pages that give no clinical information (contact, privacy): they need
    /// no references, no clinical review and no every-article disclaimer.
    /// Content paths; a trailing `*` matches everything below a folder.
    #[serde(default)]
    pub non_clinical: Vec<String>,
}

/// `require: crisis-line` with `topics: [depression]` requires the disclaimer
/// on articles with any of those topics; with `sections: [articles/conditions]`
/// on articles in those folders; with neither, on every clinical article.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DisclaimerRule {
    /// The id of the disclaimer required.
    pub require: String,
    /// Topics whose articles need it.
    #[serde(default)]
    pub topics: Vec<String>,
    /// Folders (content paths) whose articles need it.
    #[serde(default)]
    pub sections: Vec<String>,
    /// Words or stems that, mentioned anywhere in a page, require the
    /// disclaimer whatever the page's topics (`suicid`, `self-harm`).
    #[serde(default)]
    pub mentions: Vec<String>,
}

/// How many references a clinical article needs.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReferencePolicy {
    /// The fewest references a clinical article may list.
    #[serde(default = "one")]
    pub minimum: usize,
}

impl Default for ReferencePolicy {
    fn default() -> Self {
        Self { minimum: one() }
    }
}

/// How long a clinical review lasts and what counts as signed off.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewPolicy {
    /// The longest a clinical review stays valid. NHS and HSE pages use
    /// three years.
    #[serde(default = "thirty_six")]
    pub valid_for_months: u32,
    /// How long before `next_review` the build starts to warn.
    #[serde(default = "thirty")]
    pub warn_days_before: u32,
    /// What to do when an article's body or references changed after its
    /// sign-off (`approved_sha256` no longer matches).
    #[serde(default)]
    pub changed_since_signoff: Level,
    /// Whether a clinical article may be published only once a clinician has
    /// signed off its current text with `pamphlet approve`.
    #[serde(default)]
    pub sign_off: SignOffPolicy,
}

/// Whether a clinical article needs a sign-off in the record.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, Default, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SignOffPolicy {
    /// Review dates are enough; a fingerprint, where there is one, is
    /// checked against the text.
    #[default]
    Optional,
    /// Every clinical article needs a sign-off of its current text in the
    /// sign-off record (`signoffs/`); nothing typed by hand counts.
    Required,
}

impl Default for ReviewPolicy {
    fn default() -> Self {
        Self {
            valid_for_months: thirty_six(),
            warn_days_before: thirty(),
            changed_since_signoff: Level::default(),
            sign_off: SignOffPolicy::default(),
        }
    }
}

/// Whether a rule the policy can relax stops the build or is reported.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, Default, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Reported; the site is published.
    #[default]
    Warning,
    /// The build is refused.
    Error,
}

fn error_level() -> Level {
    Level::Error
}

/// How hard the clinical articles may be to read.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReadabilityPolicy {
    /// The highest Flesch-Kincaid grade a clinical article may have. NIH
    /// suggests patient material at or below US grade 8; the AMA grade 6.
    #[serde(default = "eight")]
    pub max_grade: f64,
    /// Whether a page over the grade stops the build.
    #[serde(default)]
    pub level: Level,
}

impl Default for ReadabilityPolicy {
    fn default() -> Self {
        Self {
            max_grade: eight(),
            level: Level::default(),
        }
    }
}

fn eight() -> f64 {
    8.0
}

fn one() -> usize {
    1
}

fn thirty_six() -> u32 {
    36
}

fn thirty() -> u32 {
    30
}

impl Policy {
    /// True for pages that `non_clinical` lists.
    pub fn is_non_clinical(&self, content_path: &str) -> bool {
        self.non_clinical
            .iter()
            .any(|pattern| match pattern.strip_suffix('*') {
                Some(prefix) => content_path.starts_with(prefix),
                None => content_path == pattern,
            })
    }
}

/// The clinic, as patients reach it.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Clinic {
    /// Its name.
    pub name: String,
    /// Its postal address.
    pub address: Option<String>,
    /// Its phone number, as patients should dial it.
    pub phone: Option<String>,
    /// Its email address; also where "report a problem with this page" writes to.
    pub email: Option<String>,
    /// Shown on every page when the clinic is not a real one.
    pub notice: Option<String>,
}

/// A disclaimer's wording.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Disclaimer {
    /// Its heading on the page.
    pub title: String,
    /// Markdown.
    pub text: String,
    /// Where a page shows it; a notice a patient must read before the
    /// article (such as off-label use) belongs at the top.
    #[serde(default)]
    pub place: Place,
}

/// Where on a page a disclaimer is shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Place {
    /// Under the title and summary, before the article.
    Top,
    /// After the article, under "Important information".
    #[default]
    Foot,
}

fn default_language() -> String {
    "en".to_owned()
}

fn default_theme() -> String {
    "clinic".to_owned()
}

impl SiteConfig {
    /// `base_url` with exactly one trailing slash, so paths can be appended.
    pub fn base_url(&self) -> String {
        format!("{}/", self.base_url.trim_end_matches('/'))
    }
}
