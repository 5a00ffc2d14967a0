//! The command line: parses arguments, runs the library, prints diagnostics,
//! and exits 0 (published), 1 (content refused) or 2 (usage or environment).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use codespan_reporting::term::termcolor::{BufferedStandardStream, ColorChoice};
use pamphlet::diagnostics::{self, Diagnostic};
use pamphlet::model::Date;
use pamphlet::preview::{Change, Rebuild};
use pamphlet::serve::Event as ServeEvent;
use pamphlet::{BuildError, BuildOptions, Outcome};
use std::collections::BTreeSet;

// A build makes millions of small allocations from both cores at once;
// mimalloc took the 10,000-article build from 2.44 s to 1.99 s (glibc
// malloc and free showed up under every stage of the profile).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "pamphlet",
    version,
    about = "Builds a clinic's patient education site, refusing unsafe articles"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args)]
struct SiteArgs {
    /// The site folder (the one holding site.yaml); default: the nearest
    /// folder holding site.yaml, from the current folder up.
    #[arg(long)]
    root: Option<PathBuf>,
    /// Take this date as today for review dates (YYYY-MM-DD).
    #[arg(long, value_parser = parse_date)]
    as_of: Option<Date>,
}

/// How `build` and `check` report what they find.
#[derive(clap::Args)]
struct ProblemArgs {
    /// Refuse the build on warnings too.
    #[arg(long)]
    deny_warnings: bool,
    /// How to print problems: `human` (with the source line), or `json`
    /// (one object per line on standard output, for editors and CI).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Human,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into public/ (or --out).
    Build {
        #[command(flatten)]
        site: SiteArgs,
        #[command(flatten)]
        problems: ProblemArgs,
        /// Where to publish; default: public/ in the site folder.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Run every check without writing anything.
    Check {
        #[command(flatten)]
        site: SiteArgs,
        #[command(flatten)]
        problems: ProblemArgs,
    },
    /// Write the reviewers' citation report (HTML, JSON and CSV).
    Report {
        #[command(flatten)]
        site: SiteArgs,
        /// Where to write it; default: reports/ in the site folder.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Record a clinician's sign-off of an article as it is now.
    Approve {
        /// The article, for example content/conditions/depression.md.
        file: PathBuf,
        /// The reviewer's name and credentials, for example "A. Smith, MD".
        #[arg(long)]
        reviewer: String,
        /// When the next review is due (YYYY-MM-DD); default: today plus the
        /// policy's review period.
        #[arg(long, value_parser = parse_date)]
        next_review: Option<Date>,
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Preview the site while you edit: serves it on this machine and
    /// reloads the browser after every save, showing any problem over the page.
    Serve {
        #[command(flatten)]
        serve: ServeArgs,
    },
    /// Start a new article, with every field the policy asks for marked
    /// FILL IN. It is a draft until you remove `draft: true`.
    New {
        /// Where it goes under content/, for example articles/my-topic.
        path: String,
        /// The article's title; default: made from the file name.
        #[arg(long)]
        title: Option<String>,
        /// Its topics, as named in site.yaml, separated by commas.
        #[arg(long, value_delimiter = ',')]
        topics: Vec<String>,
        /// The site folder (the one holding site.yaml); default: the nearest
        /// folder holding site.yaml, from the current folder up.
        #[arg(long)]
        root: Option<PathBuf>,
    },
    /// Create a new site in an empty folder: settings, the default theme and
    /// an example article, ready to build.
    Init {
        /// The new site's folder.
        folder: PathBuf,
    },
    /// Print the shell's completion script, for example
    /// `pamphlet completions bash > ~/.local/share/bash-completion/completions/pamphlet`.
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
    /// Say what a problem code means, its level, and the site.yaml setting
    /// that governs it.
    Explain {
        /// A code from a build's output, such as P113.
        code: String,
    },
}

#[derive(clap::Args)]
struct ServeArgs {
    /// The site folder (the one holding site.yaml); default: the nearest
    /// folder holding site.yaml, from the current folder up.
    #[arg(long)]
    root: Option<PathBuf>,
    /// Take this date as today for review dates (YYYY-MM-DD).
    #[arg(long, value_parser = parse_date)]
    as_of: Option<Date>,
    /// The port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// The address to listen on. The preview shows unpublished drafts, so
    /// only this machine can see it unless you say otherwise.
    #[arg(long, default_value = "127.0.0.1")]
    bind: std::net::IpAddr,
    /// Open the site in the default browser once it is built.
    #[arg(long)]
    open: bool,
}

fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text).ok_or_else(|| format!("`{text}` is not a date; write YYYY-MM-DD"))
}

fn main() -> ExitCode {
    pamphlet::allocator::use_small_pages_and_keep_memory();
    let cli = Cli::parse();
    let (site, problem_args, out, publish) = match cli.command {
        Command::Build {
            site,
            problems,
            out,
        } => (site, problems, out, true),
        Command::Check { site, problems } => (site, problems, None, false),
        Command::Report { site, out } => return report(&options_for(site, None, false), out),
        Command::Approve {
            file,
            reviewer,
            next_review,
            site,
        } => {
            return approve(
                &options_for(site, None, false),
                &file,
                &reviewer,
                next_review,
            );
        }
        Command::Serve { serve: args } => return serve(args),
        Command::New {
            path,
            title,
            topics,
            root,
        } => {
            let request = pamphlet::scaffold::NewArticle {
                path: &path,
                title: title.as_deref(),
                topics: &topics,
            };
            return match pamphlet::scaffold::new_article(&site_root(root), &request) {
                Ok(written) => {
                    eprintln!(
                        "wrote {}: replace each FILL IN, then run `pamphlet check` to see what is left",
                        written.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(error) => exit_with(error, Format::Human),
            };
        }
        Command::Init { folder } => {
            return match pamphlet::scaffold::init(&folder) {
                Ok(()) => {
                    eprintln!(
                        "created a new site in {0}. Before it can be published: replace each FILL IN in {0}/site.yaml (the clinic's name, the site's address, the crisis line), and have a clinician read the example article and sign it off with `pamphlet approve {0}/content/articles/example.md --reviewer \"Name, credentials\" --root {0}` (or delete it). `pamphlet check --root {0}` lists what is left; `pamphlet serve --root {0}` previews it.",
                        folder.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(error) => exit_with(error, Format::Human),
            };
        }
        Command::Explain { code } => return explain(&code),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut command, "pamphlet", &mut std::io::stdout());
            return ExitCode::SUCCESS;
        }
    };
    let format = problem_args.format;
    let options = options_for(site, out, problem_args.deny_warnings);
    let result = if publish {
        pamphlet::build(&options)
    } else {
        pamphlet::check(&options)
    };
    match result {
        Ok(outcome) => {
            print_diagnostics(&outcome.warnings, format);
            eprintln!("{}", summary(&outcome, publish, &options));
            ExitCode::SUCCESS
        }
        Err(error) => {
            if let BuildError::Refused(problems) = &error {
                print_diagnostics(problems, format);
                let errors = problems.iter().filter(|d| d.is_error()).count();
                eprintln!(
                    "refused: {errors} error(s), {} warning(s); nothing was published{}",
                    problems.len() - errors,
                    if options.deny_warnings && errors == 0 {
                        " (--deny-warnings)"
                    } else {
                        ""
                    }
                );
            } else {
                eprintln!("error: {error}");
            }
            ExitCode::from(error.exit_code())
        }
    }
}

fn today() -> Date {
    Date(chrono::Local::now().date_naive())
}

fn options_for(site: SiteArgs, out: Option<PathBuf>, deny_warnings: bool) -> BuildOptions {
    let today = site.as_of.unwrap_or_else(today);
    BuildOptions {
        out,
        deny_warnings,
        ..BuildOptions::new(site_root(site.root), today)
    }
}

/// The `--root` given, or the site holding the current folder; `.` when
/// there is none, so the error names the folder the editor is in.
fn site_root(given: Option<PathBuf>) -> PathBuf {
    given.unwrap_or_else(|| {
        std::env::current_dir()
            .ok()
            .and_then(|here| pamphlet::load::find_site_root(&here))
            .unwrap_or_else(|| PathBuf::from("."))
    })
}

fn report(options: &BuildOptions, out: Option<PathBuf>) -> ExitCode {
    let folder = out.unwrap_or_else(|| options.root.join("reports"));
    match pamphlet::report::write(options, &folder) {
        Ok(written) => {
            let summary = &written.report.summary;
            eprintln!(
                "wrote the citation report for {} articles, {} references and {} citations to {} (open index.html); {} article(s) need attention",
                summary.articles,
                summary.references,
                summary.citations,
                written.folder.display(),
                written.report.attention.len()
            );
            ExitCode::SUCCESS
        }
        Err(error) => exit_with(error, Format::Human),
    }
}

fn approve(
    options: &BuildOptions,
    file: &std::path::Path,
    reviewer: &str,
    next_review: Option<Date>,
) -> ExitCode {
    match pamphlet::signoff::approve(options, file, reviewer, next_review) {
        Ok(approved) => {
            let sign_off = &approved.sign_off;
            eprintln!(
                "signed off {} (\"{}\", {} reference{}) by {} on {}; next review due {}\nfingerprint {}\nrecorded in {}: commit it with the article",
                file.display(),
                approved.title,
                approved.references,
                if approved.references == 1 { "" } else { "s" },
                sign_off.reviewed_by,
                sign_off.reviewed_on.iso(),
                sign_off.next_review.iso(),
                sign_off.approved_sha256,
                approved.record.display()
            );
            ExitCode::SUCCESS
        }
        Err(error) => exit_with(error, Format::Human),
    }
}

fn serve(args: ServeArgs) -> ExitCode {
    let today = args.as_of.unwrap_or_else(today);
    let open = args.open;
    let options = pamphlet::serve::ServeOptions {
        build: BuildOptions::new(site_root(args.root), today),
        bind: args.bind,
        port: args.port,
    };
    if !args.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}: other machines on the network can see this preview, drafts included",
            args.bind
        );
    }
    let result = pamphlet::serve::run(options, move |event| match event {
        ServeEvent::Listening(url) => {
            // On standard output, one line, so scripts and tests can find it.
            println!("serving the preview at {url} (Ctrl-C stops it)");
            let _ = std::io::stdout().flush();
            if open && let Err(error) = opener::open(url) {
                eprintln!("warning: could not open a browser ({error}); open {url} yourself");
            }
        }
        ServeEvent::Built(rebuild, changes) => print_rebuild(rebuild, changes),
        ServeEvent::Trouble(message) => {
            eprintln!("error: {message}; still showing the last good version")
        }
        ServeEvent::Stopping => eprintln!("stopped"),
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => exit_with(error, Format::Human),
    }
}

fn print_rebuild(rebuild: &Rebuild, changes: &BTreeSet<Change>) {
    print_diagnostics(&rebuild.problems, Format::Human);
    let what: Vec<String> = changes
        .iter()
        .map(|change| match change {
            Change::Article(path) => format!("content/{path}"),
            Change::Theme => "the theme".to_owned(),
            Change::Everything => "site settings or files".to_owned(),
        })
        .collect();
    let cause = if what.is_empty() {
        "built".to_owned()
    } else {
        format!("{} changed; rebuilt", what.join(", "))
    };
    let stages: Vec<String> = rebuild
        .timings
        .iter()
        .map(|(name, time)| format!("{name} {:.1} ms", time.as_secs_f64() * 1000.0))
        .collect();
    let ms = format!(
        "{:.1} ms ({})",
        rebuild.elapsed.as_secs_f64() * 1000.0,
        stages.join(", ")
    );
    let errors = rebuild.problems.iter().filter(|p| p.is_error()).count();
    let warnings = rebuild.problems.len() - errors;
    if rebuild.refused {
        eprintln!(
            "{cause} in {ms}: refused, {errors} error(s); the browser shows them over the last good version"
        );
    } else {
        eprintln!(
            "{cause} in {ms}: {} file(s) rendered, {warnings} warning(s)",
            rebuild.rendered
        );
    }
}

fn exit_with(error: BuildError, format: Format) -> ExitCode {
    match &error {
        BuildError::Refused(problems) => {
            print_diagnostics(problems, format);
            eprintln!("refused: nothing was written");
        }
        BuildError::Environment(_) => eprintln!("error: {error}"),
    }
    ExitCode::from(error.exit_code())
}

fn print_diagnostics(diagnostics: &[Diagnostic], format: Format) {
    if format == Format::Json {
        let mut stdout = std::io::stdout().lock();
        for diagnostic in diagnostics {
            let line = serde_json::to_string(diagnostic).expect("a diagnostic serialises");
            if writeln!(stdout, "{line}").is_err() {
                return;
            }
        }
        return;
    }
    if diagnostics.is_empty() {
        return;
    }
    // termcolor's `Auto` looks only at TERM and NO_COLOR; colour codes in a
    // log file or CI output are noise, so ask whether a person is watching.
    let colour = if std::io::stderr().is_terminal() {
        ColorChoice::Auto
    } else {
        ColorChoice::Never
    };
    // Buffered: thousands of problems are thousands of small writes.
    let mut stderr = BufferedStandardStream::stderr(colour);
    if let Err(error) = diagnostics::emit(&mut stderr, diagnostics)
        .and_then(|()| std::io::Write::flush(&mut stderr))
    {
        eprintln!("error: could not print the problems found: {error}");
    }
}

fn summary(outcome: &Outcome, published: bool, options: &BuildOptions) -> String {
    let stages: Vec<String> = outcome
        .timings
        .iter()
        .map(|(name, time)| format!("{name} {:.1} ms", time.as_secs_f64() * 1000.0))
        .collect();
    let total: f64 = outcome.timings.iter().map(|(_, t)| t.as_secs_f64()).sum();
    let what = if published {
        format!(
            "published {} pages ({} files) to {}",
            outcome.pages,
            outcome.files,
            options.output_dir().display()
        )
    } else {
        format!("checked {} pages; nothing written", outcome.pages)
    };
    let drafts = match outcome.drafts.as_slice() {
        [] => String::new(),
        drafts => {
            let named: Vec<String> = drafts
                .iter()
                .take(5)
                .map(|d| d.display().to_string())
                .collect();
            let more = drafts.len().saturating_sub(named.len());
            format!(
                "; {} draft(s) left out (remove `draft: true` to publish): {}{}",
                drafts.len(),
                named.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            )
        }
    };
    format!(
        "{what} in {:.1} ms ({}); {} warning(s){drafts}",
        total * 1000.0,
        stages.join(", "),
        outcome.warnings.len()
    )
}

fn explain(code: &str) -> ExitCode {
    let Some(code) = pamphlet::codes::Code::from_id(code) else {
        eprintln!(
            "error: there is no problem code `{code}`; codes run from P001 to P018 and P101 to {}",
            pamphlet::codes::CHECKS.last().map_or("", |c| c.id)
        );
        return ExitCode::from(2);
    };
    let check = code.check();
    let level = match (check.level, check.policy) {
        (pamphlet::codes::Severity::Warning, Some(key)) => {
            format!("a warning; `{key}: error` in site.yaml makes it an error")
        }
        (pamphlet::codes::Severity::Warning, None) => "a warning".to_owned(),
        (pamphlet::codes::Severity::Error, Some(key)) => {
            format!("an error (it depends on `{key}` in site.yaml)")
        }
        (pamphlet::codes::Severity::Error, None) => "an error".to_owned(),
    };
    println!("{}: {}\n\nLevel: {level}.", check.id, check.summary);
    println!("Problems in drafts are warnings; `--deny-warnings` refuses on any warning.");
    ExitCode::SUCCESS
}
