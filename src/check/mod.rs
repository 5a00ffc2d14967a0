//! Stage 2, `check`: decides whether the loaded site may be published. Every
//! rule about what a page must contain lives in this module and reads the
//! clinic's `policy:` from site.yaml; the templates only show what they are
//! given, and `verify` later proves they did.

mod brand;
mod disclaimers;
mod files;
mod foreign;
mod html;
mod links;
mod markup;
mod mentions;
mod placeholders;
mod promotional;
mod prose;
mod references;
mod review;

use std::collections::HashMap;
use std::ops::Range;

use rayon::prelude::*;

use crate::config::{Level, Policy};
use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::load::{Page, PageKind, Site};
use crate::model::Date;

pub use disclaimers::required_for;
pub use placeholders::MARKER as PLACEHOLDER;
pub use prose::{claims_in, unsafe_wording_in};

/// What the checks need to know besides the site itself.
#[derive(Debug, Clone, Copy)]
pub struct CheckContext {
    /// "Today" for review dates: the build date, or `--as-of`.
    pub today: Date,
    /// The live preview of `pamphlet serve`, which never publishes.
    pub preview: bool,
}

/// Runs every check on every page and returns all problems found.
pub fn site(site: &Site<'_>, context: &CheckContext) -> Vec<Diagnostic> {
    let mut diagnostics: Vec<Diagnostic> = site
        .pages
        .par_iter()
        .flat_map_iter(|each| page(site, each, context))
        .collect();
    diagnostics.extend(site_wide(site));
    diagnostics
}

/// Every check of one page. What it finds depends on the page, site.yaml,
/// the bibliography and the pages it links to, nothing else: the preview
/// relies on that to re-check only what an edit can have changed.
pub fn page(site: &Site<'_>, page: &Page<'_>, context: &CheckContext) -> Vec<Diagnostic> {
    let mut found = page_problems(site, page, context);
    // Drafts are checked so the editor sees what is left to do, but they are
    // never published, so they must not stop a build.
    if page.front.draft {
        for problem in &mut found {
            problem.severity = Severity::Warning;
        }
    }
    found
}

/// The checks that look across pages rather than at one.
pub fn site_wide(site: &Site<'_>) -> Vec<Diagnostic> {
    let mut diagnostics = duplicate_addresses(site);
    diagnostics.extend(home_page_exists(site));
    diagnostics.extend(references::site_wide(site));
    diagnostics.extend(disclaimers::policy_names_known_ids(site));
    diagnostics.extend(markup::disclaimers(site));
    diagnostics.extend(files::check(site));
    diagnostics.extend(glossary_exists(site));
    diagnostics.extend(brand::check(site));
    diagnostics.extend(review::records_intact(site));
    placeholders::in_settings(site.config_file, &mut diagnostics);
    diagnostics
}

/// Every other page's breadcrumbs start at the home page. One that exists
/// but does not parse has its own problem already.
fn home_page_exists(site: &Site<'_>) -> Option<Diagnostic> {
    let home = crate::load::HOME_PAGE;
    if site.page(home).is_some() || site.unparsed.contains(home) {
        return None;
    }
    Some(
        Diagnostic::error(Code::MissingHomePage, "the site has no home page")
            .in_file(std::path::Path::new(crate::load::CONTENT_DIR).join(home))
            .hint("create content/_index.md with a `title:` in its front matter and a short welcome text"),
    )
}

/// `glossary:` in site.yaml must name a page that exists.
fn glossary_exists(site: &Site<'_>) -> Option<Diagnostic> {
    let path = site.config.glossary.as_deref()?;
    if site.page(path).is_some() || site.unparsed.contains(path) {
        return None;
    }
    let file = site.config_file;
    Some(
        Diagnostic::error(
            Code::SiteConfig,
            format!("`glossary:` names `content/{path}`, which does not exist"),
        )
        .at(file, crate::load::front_matter::locate(file, &(0..file.text.len()), "glossary", Some(path)))
        .hint("give the content path of the glossary page, for example `glossary: questions/glossary.md`, or remove the line"),
    )
}

fn page_problems(site: &Site<'_>, page: &Page<'_>, context: &CheckContext) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    disclaimers::check(site, page, &mut found);
    references::check(site, page, &mut found);
    links::check(site, page, &mut found);
    markup::check(page, &mut found);
    markup::second_title(page, &mut found);
    foreign::check(page, &mut found);
    placeholders::check(page, &mut found);
    review::check(site, page, context, &mut found);
    prose::check(site, page, &mut found);
    found
}

/// Articles give clinical information unless the policy lists them as
/// non-clinical (contact, privacy). Home and section pages only introduce
/// and list, so the clinical rules do not apply to them.
fn is_clinical(policy: &Policy, page: &Page<'_>) -> bool {
    page.kind == PageKind::Article && !policy.is_non_clinical(&page.content_path)
}

/// For a clinical rule broken on a page that cites nothing and lists no
/// reference (a contact or about page, most likely), the hint also says
/// how to mark the page non-clinical, so an editor does not invent
/// references to get past it.
fn or_non_clinical(diagnostic: Diagnostic, page: &Page<'_>) -> Diagnostic {
    if !page.front.references.is_empty() || !page.body.citations.is_empty() {
        return diagnostic;
    }
    let hint = diagnostic.hint.clone().unwrap_or_default();
    diagnostic.hint(format!(
        "{hint}. If this page gives no medical information (contact details, opening hours, privacy), list it in site.yaml instead, under `policy:` as `non_clinical: [{}]`, and none of this applies",
        page.content_path
    ))
}

/// The opening `---` line: where to point when a whole field is missing.
fn front_matter_start(page: &Page<'_>) -> Range<usize> {
    page.file.line_span(page.yaml.start.saturating_sub(1))
}

/// The fields marked absent, and how to name them in a message ("no a, no
/// b") and in a fix ("`a:`, `b:`"); `None` when nothing is missing.
fn missing_fields(fields: &[(&'static str, bool)]) -> Option<(String, String)> {
    let missing: Vec<&str> = fields
        .iter()
        .filter_map(|(field, absent)| absent.then_some(*field))
        .collect();
    (!missing.is_empty()).then(|| {
        (
            format!("no {}", missing.join(", no ")),
            missing
                .iter()
                .map(|f| format!("`{f}:`"))
                .collect::<Vec<_>>()
                .join(", "),
        )
    })
}

/// A problem whose weight the policy sets.
fn at_level(level: Level, code: Code, message: String) -> Diagnostic {
    match level {
        Level::Warning => Diagnostic::warning(code, message),
        Level::Error => Diagnostic::error(code, message),
    }
}

/// Two files that would be written to one address: `a.md` beside
/// `a/_index.md`, or names that differ only in case or punctuation.
fn duplicate_addresses(site: &Site<'_>) -> Vec<Diagnostic> {
    let mut first_by_address: HashMap<&str, &Page<'_>> = HashMap::new();
    let mut found = Vec::new();
    for page in &site.pages {
        if let Some(first) = first_by_address.insert(&page.output_path, page) {
            found.push(
                Diagnostic::error(
                    Code::DuplicateUrl,
                    format!(
                        "this page and `{}` would both be published as `{}`",
                        first.file.path.display(),
                        page.output_path
                    ),
                )
                .at(page.file, page.file.line_span(0))
                .hint("rename one of the two files"),
            );
        }
    }
    found
}

/// "did you mean `x`? the topics in site.yaml are `a`, `b`".
fn suggest_from<'a>(
    suggestion: Option<&str>,
    what: &str,
    known: impl Iterator<Item = &'a String>,
) -> String {
    let known: Vec<String> = known.map(|id| format!("`{id}`")).collect();
    let list = if known.is_empty() {
        format!("site.yaml defines no {what} yet; add this one under `{what}:` there")
    } else {
        format!("the {what} in site.yaml are {}", known.join(", "))
    };
    match suggestion {
        Some(guess) => format!("did you mean `{guess}`? {list}"),
        None => list,
    }
}
