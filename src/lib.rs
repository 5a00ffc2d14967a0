//! Pamphlet turns a clinic's markdown articles into a static patient
//! education site, and refuses to publish an article that lacks its safety
//! wording, its evidence or a current clinical review.
//!
//! A build is five stages, each a module with one job, data flowing one way:
//!
//! 1. [`load`]: walk `content/`, split and parse front matter, parse bodies;
//! 2. [`check`]: the safety policy, all of it;
//! 3. [`render`]: markdown, citations and templates to HTML, in memory;
//! 4. [`verify`]: the HTML still shows what the policy requires;
//! 5. [`publish`]: write a staging folder and swap it in atomically.
//!
//! Problems from every stage are collected and reported together; a build
//! with any error publishes nothing.

pub mod check;
pub mod config;
pub mod diagnostics;
#[doc(hidden)]
pub mod fuzzing;
pub mod load;
pub mod model;
pub mod paths;
pub mod preview;
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
use model::Date;

/// Why a build did not publish.
#[derive(Debug)]
pub enum BuildError {
    /// Content was refused; every problem found. Exit code 1.
    Refused(Vec<Diagnostic>),
    /// The machine or the command line is at fault (no site.yaml, an
    /// unwritable output folder). Exit code 2.
    Environment(String),
}

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
    /// Fault injection for tests: fail publishing after this many files.
    /// Always `None` outside the tests that prove a failed build leaves the
    /// previous site as it was.
    #[doc(hidden)]
    pub fail_after_writes: Option<usize>,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>, today: Date) -> Self {
        Self {
            root: root.into(),
            out: None,
            today,
            deny_warnings: false,
            fail_after_writes: None,
        }
    }

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
    pub warnings: Vec<Diagnostic>,
    /// Wall time of each stage, in pipeline order.
    pub timings: Vec<(&'static str, Duration)>,
}

/// Runs the whole pipeline and publishes the site.
pub fn build(options: &BuildOptions) -> Result<Outcome, BuildError> {
    run(options, Some(&options.output_dir()))
}

/// Runs every stage but `publish`: all the checks, nothing written.
pub fn check(options: &BuildOptions) -> Result<Outcome, BuildError> {
    run(options, None)
}

fn run(options: &BuildOptions, out: Option<&Path>) -> Result<Outcome, BuildError> {
    if let Some(out) = out {
        publish::check_place(&options.root, out, publish::Kind::Site)?;
    }
    let mut stopwatch = Stopwatch::default();
    loaded_and_checked(
        options,
        &mut stopwatch,
        |site, mut diagnostics, stopwatch| {
            let stop = |diagnostics: &[Diagnostic]| {
                diagnostics.iter().any(|d| {
                    d.is_error() || (options.deny_warnings && d.severity == Severity::Warning)
                })
            };
            let theme = match render::theme::load(site) {
                Ok(theme) if !stop(&diagnostics) => theme,
                Ok(_) => return Err(refused(diagnostics)),
                Err(problems) => {
                    diagnostics.extend(problems);
                    return Err(refused(diagnostics));
                }
            };
            let rendered = render::site(site, &theme).map_err(|problems| {
                diagnostics.extend(problems);
                refused(diagnostics.clone())
            })?;
            stopwatch.lap("render");

            diagnostics.extend(verify::site(site, &theme, &rendered));
            stopwatch.lap("verify");
            if stop(&diagnostics) {
                return Err(refused(diagnostics));
            }

            let files = match out {
                Some(out) => {
                    publish::site(&rendered, &options.root, out, options.fail_after_writes)?.files
                }
                None => 0,
            };
            stopwatch.lap("publish");
            Ok(Outcome {
                pages: rendered.pages.len(),
                files,
                warnings: diagnostics,
                timings: std::mem::take(&mut stopwatch.laps),
            })
        },
    )?
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
/// `inspect` with every problem found. The build, the report and `approve`
/// all read the site through this, so they see exactly the same thing.
pub fn with_checked_site<T>(
    options: &BuildOptions,
    inspect: impl FnOnce(&load::Site<'_>, Vec<Diagnostic>) -> T,
) -> Result<T, BuildError> {
    loaded_and_checked(
        options,
        &mut Stopwatch::default(),
        |site, diagnostics, _| inspect(site, diagnostics),
    )
}

fn loaded_and_checked<T>(
    options: &BuildOptions,
    stopwatch: &mut Stopwatch,
    inspect: impl FnOnce(&load::Site<'_>, Vec<Diagnostic>, &mut Stopwatch) -> T,
) -> Result<T, BuildError> {
    stopwatch.since = Some(Instant::now());
    let sources = load::read(&options.root)?;
    let (site, mut diagnostics) = load::parse(&sources);
    stopwatch.lap("load");
    let Ok(site) = site else {
        return Err(refused(diagnostics));
    };
    let context = check::CheckContext {
        today: options.today,
        preview: false,
    };
    diagnostics.extend(check::site(&site, &context));
    stopwatch.lap("check");
    diagnostics::sort(&mut diagnostics);
    let result = inspect(&site, diagnostics, stopwatch);
    // Freeing every page's parsed events was a one-core tail at the end of
    // each large build.
    site.pages.into_par_iter().for_each(drop);
    Ok(result)
}

fn refused(mut diagnostics: Vec<Diagnostic>) -> BuildError {
    diagnostics::sort(&mut diagnostics);
    BuildError::Refused(diagnostics)
}
