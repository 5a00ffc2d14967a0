//! Pamphlet turns a clinic's markdown articles into a static patient
//! education site, and refuses to publish an article that lacks its safety
//! wording, its evidence or a current clinical review.
//!
//! A build is five stages, each a module with one job, data flowing one way:
//!
//! 1. [`load`]: walk `content/`, split and parse front matter, parse bodies;
//! 2. [`check`](mod@check): the safety policy, all of it;
//! 3. [`render`]: markdown, citations and templates to HTML, in memory;
//! 4. [`verify`]: the HTML still shows what the policy requires;
//! 5. [`publish`]: write a staging folder and swap it in atomically.
//!
//! Problems from every stage are collected and reported together; a build
//! with any error publishes nothing.

// What a module keeps to the crate says `pub(crate)`, so `pub` always means
// the library's interface, and that interface says what each item is for.
#![warn(unreachable_pub, missing_docs)]

pub mod allocator;
pub mod check;
pub mod codes;
pub mod colour;
pub mod config;
pub mod diagnostics;
pub mod errors;
#[doc(hidden)]
pub mod fuzzing;
pub mod load;
pub mod model;
#[cfg(test)]
mod module_graph;
pub mod nofollow;
pub mod paths;
pub mod preview;
pub mod prose;
pub mod publish;
pub mod readability;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod serve;
pub mod signoff;
pub mod source;
pub mod verify;

use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use diagnostics::{Diagnostic, Severity};
pub use errors::{BuildError, Trouble};
use model::Date;

/// What to build, from where, to where, as of when.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The folder holding `site.yaml`, `content/` and `themes/`.
    pub root: PathBuf,
    /// Where the site is published; `root/public` when not given.
    pub out: Option<PathBuf>,
    /// "Today", for review dates.
    pub today: Date,
    /// Treat warnings as errors.
    pub deny_warnings: bool,
}

impl BuildOptions {
    /// Options to build the site in `root` as of `today`, into `root/public`.
    pub fn new(root: impl Into<PathBuf>, today: Date) -> Self {
        Self {
            root: root.into(),
            out: None,
            today,
            deny_warnings: false,
        }
    }

    /// Where the site is published.
    pub fn output_dir(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| self.root.join("public"))
    }
}

/// What a successful run did.
#[derive(Debug)]
pub struct Outcome {
    /// Pages rendered (drafts are not).
    pub pages: usize,
    /// Files written, or 0 when nothing was published.
    pub files: usize,
    /// Every warning; errors refuse the build instead.
    pub warnings: Vec<Diagnostic>,
    /// The drafts left out, so an editor is never left wondering where a
    /// page went.
    pub drafts: Vec<PathBuf>,
    /// Wall time of each stage, in pipeline order.
    pub timings: Vec<(&'static str, Duration)>,
}

/// Runs the whole pipeline and publishes the site.
pub fn build(options: &BuildOptions) -> Result<Outcome, BuildError> {
    run(options, Some(&options.output_dir()), &publish::NoFaults)
}

/// [`build`], with `faults` injected into publishing: for the tests that
/// prove a failure part-way leaves the previous site as it was.
#[doc(hidden)]
pub fn build_with_faults(
    options: &BuildOptions,
    faults: &dyn publish::Faults,
) -> Result<Outcome, BuildError> {
    run(options, Some(&options.output_dir()), faults)
}

/// Runs every stage but `publish`: all the checks, nothing written.
pub fn check(options: &BuildOptions) -> Result<Outcome, BuildError> {
    run(options, None, &publish::NoFaults)
}

fn run(
    options: &BuildOptions,
    out: Option<&Path>,
    faults: &dyn publish::Faults,
) -> Result<Outcome, BuildError> {
    if let Some(out) = out {
        // Before any work: a mistyped --out costs no waiting.
        publish::check_place(&options.root, out, publish::Kind::Site)?;
    }
    let mut stopwatch = Stopwatch::started();
    let sources = load::read(&options.root)?;
    let (site, mut problems) = loaded(&sources)?;
    stopwatch.lap("load");

    problems.extend(check::site(&site, &check_context(options)));
    stopwatch.lap("check");
    let theme = render::theme::load(&site).map_err(|theme_problems| {
        problems.extend(theme_problems);
        refused(problems.clone())
    })?;
    refuse_if_stopped(&problems, options)?;

    let (pages, files) = match out {
        None => {
            // `check`: every page rendered and verified, nothing written.
            let rendered =
                render::site(&site, &theme, render::Purpose::Check).map_err(|render_problems| {
                    problems.extend(render_problems);
                    refused(problems.clone())
                })?;
            stopwatch.lap("render");
            problems.extend(verify::site(&site, &theme, &rendered));
            stopwatch.lap("verify");
            refuse_if_stopped(&problems, options)?;
            (rendered.pages.len(), 0)
        }
        Some(out) => {
            let site_context = render::context::site_context(&site);
            let rest =
                match render::all_but_pages(&site, &theme, &site_context, render::Purpose::Publish)
                {
                    Ok(rest) => rest,
                    // Refused, with the pages' own problems too: all of a
                    // build's problems are reported together.
                    Err(file_problems) => {
                        problems.extend(file_problems);
                        let (pages, page_problems) =
                            render::pages(&site, &theme, &site_context, |_| true);
                        problems.extend(page_problems);
                        problems.extend(verify::pages(&site, &theme, &pages));
                        return Err(refused(problems));
                    }
                };
            stopwatch.lap("render");
            let stream = PageStream::new(&site, &theme, &site_context, problems, options);
            let produced: Vec<(&str, usize)> = stream
                .published
                .iter()
                .enumerate()
                .map(|(n, &index)| (site.pages[index].output_path.as_str(), n))
                .collect();
            let published = publish::site(&rest, &produced, &stream, &options.root, out, faults)?;
            stopwatch.lap("pages rendered, verified and written");
            let pages = produced.len();
            problems = stream
                .problems
                .into_inner()
                .unwrap_or_else(|e| e.into_inner());
            (pages, published.files)
        }
    };

    // Freeing every page's parsed events was a one-core tail at the end of
    // each large build.
    let drafts = site
        .pages
        .iter()
        .filter(|page| page.front.draft)
        .map(|page| page.file.path.clone())
        .collect();
    site.pages.into_par_iter().for_each(drop);
    diagnostics::sort(&mut problems);
    Ok(Outcome {
        pages,
        files,
        warnings: problems,
        drafts,
        timings: stopwatch.laps,
    })
}

/// A build's pages, each rendered, verified and handed to `publish` as it
/// is written, then dropped: memory holds a few pages' HTML, not the
/// site's. The data still flows one way (render, then verify, then
/// publish), a page at a time; nothing is put in place until every page is
/// written and the verdict on all of them allows it.
struct PageStream<'s, 'a> {
    renderer: render::PageRenderer<'s, 'a>,
    verifier: verify::Verifier<'s, 'a>,
    /// The published pages, as indexes into `site.pages`, in order.
    published: Vec<usize>,
    /// Whether each is the first of its template, which verify reads whole.
    first_of_template: Vec<bool>,
    /// Every problem of the build so far, these pages' included.
    problems: std::sync::Mutex<Vec<Diagnostic>>,
    options: &'s BuildOptions,
}

impl<'s, 'a> PageStream<'s, 'a> {
    fn new(
        site: &'s load::Site<'a>,
        theme: &'s render::theme::Theme,
        site_context: &render::context::SiteContext<'_>,
        problems: Vec<Diagnostic>,
        options: &'s BuildOptions,
    ) -> Self {
        let published: Vec<usize> = render::published_pages(site).collect();
        let mut templates_seen = std::collections::HashSet::new();
        let first_of_template = published
            .iter()
            .map(|&index| templates_seen.insert(render::template_for(site.pages[index].kind)))
            .collect();
        PageStream {
            renderer: render::PageRenderer::new(site, theme, site_context, &published),
            verifier: verify::Verifier::new(site, theme),
            published,
            first_of_template,
            problems: std::sync::Mutex::new(problems),
            options,
        }
    }

    fn report(&self, found: impl IntoIterator<Item = Diagnostic>) {
        let mut problems = self.problems.lock().unwrap_or_else(|e| e.into_inner());
        problems.extend(found);
    }
}

impl publish::Producer for PageStream<'_, '_> {
    fn bytes(&self, n: usize) -> Vec<u8> {
        match self.renderer.render(self.published[n]) {
            Ok(page) => {
                let found = self.verifier.page(&page, self.first_of_template[n]);
                if !found.is_empty() {
                    self.report(found);
                }
                page.html.into_bytes()
            }
            // Written as nothing; the verdict refuses the build.
            Err(problem) => {
                self.report([problem]);
                Vec::new()
            }
        }
    }

    fn verdict(&self) -> Result<(), BuildError> {
        let problems = self.problems.lock().unwrap_or_else(|e| e.into_inner());
        refuse_if_stopped(&problems, self.options)
    }
}

/// The parsed site, or every problem that kept it from being parsed.
fn loaded(sources: &load::Sources) -> Result<(load::Site<'_>, Vec<Diagnostic>), BuildError> {
    match load::parse(sources) {
        (Ok(site), problems) => Ok((site, problems.into_all())),
        (Err(()), problems) => Err(refused(problems.into_all())),
    }
}

fn check_context(options: &BuildOptions) -> check::CheckContext {
    check::CheckContext {
        today: options.today,
        preview: false,
    }
}

/// A build stops before rendering and before publishing if anything so far
/// is an error (or a warning, with --deny-warnings).
fn refuse_if_stopped(problems: &[Diagnostic], options: &BuildOptions) -> Result<(), BuildError> {
    let stops =
        |d: &Diagnostic| d.is_error() || (options.deny_warnings && d.severity == Severity::Warning);
    if problems.iter().any(stops) {
        return Err(refused(problems.to_vec()));
    }
    Ok(())
}

/// Wall time of each stage, in pipeline order.
#[derive(Default)]
pub(crate) struct Stopwatch {
    pub(crate) laps: Vec<(&'static str, Duration)>,
    since: Option<Instant>,
}

impl Stopwatch {
    pub(crate) fn started() -> Self {
        Self {
            laps: Vec::new(),
            since: Some(Instant::now()),
        }
    }

    pub(crate) fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.laps.push((stage, now - self.since.unwrap_or(now)));
        self.since = Some(now);
    }
}

/// Loads and checks the site without rendering it, and hands the result to
/// `inspect` with every problem found. The report and `approve` read the
/// site through this, so they see exactly what the build sees.
pub fn with_checked_site<T>(
    options: &BuildOptions,
    inspect: impl FnOnce(&load::Site<'_>, Vec<Diagnostic>) -> T,
) -> Result<T, BuildError> {
    let sources = load::read(&options.root)?;
    let (site, mut problems) = loaded(&sources)?;
    problems.extend(check::site(&site, &check_context(options)));
    diagnostics::sort(&mut problems);
    Ok(inspect(&site, problems))
}

fn refused(mut diagnostics: Vec<Diagnostic>) -> BuildError {
    diagnostics::sort(&mut diagnostics);
    BuildError::Refused(diagnostics)
}
