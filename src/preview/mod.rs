//! The live preview behind `pamphlet serve`: the site held in memory and
//! brought up to date after each edit by running the build's own stages
//! (load, check, render, verify) on only what the edit can have changed.
//! Nothing here writes to disk; `publish` is the one stage it never runs.
//!
//! When an edit is refused, the output stays as it was (the last good site)
//! and the problems say why; once the content passes again, everything
//! changed since then is rendered.

mod backlinks;
mod output;
mod workspace;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use rayon::prelude::*;
use rustc_hash::FxHashSet;

use backlinks::Backlinks;
pub use output::{Files, Output, Served};
use output::{listed_as, rendered_from};
use workspace::{Edited, Workspace};

use crate::check::{self, CheckContext};
use crate::diagnostics::{self, Diagnostic};
use crate::load::{self, PageKind, Site};
use crate::render::{self, context, listing_pages, search, theme::Theme};
use crate::{BuildError, BuildOptions, Stopwatch, verify};

/// Something that changed on disk, as the watcher classifies it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// A markdown file under content/, by content path: edited, created,
    /// deleted or renamed.
    Article(String),
    /// A template or a theme's static file: render everything again.
    Theme,
    /// site.yaml, the shared bibliography, an image or a folder: load
    /// everything again.
    Everything,
}

/// Which served files a rebuild changed, so open tabs know whether to reload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Changed {
    /// Everything: reload every open tab.
    All,
    /// Only these output paths.
    Paths(Vec<String>),
}

/// What one rebuild did, for the terminal and the browser.
#[derive(Debug, Clone)]
pub struct Rebuild {
    /// Counts up with every rebuild, refused or not.
    pub generation: u64,
    /// Every problem the site has now, errors and warnings, sorted.
    pub problems: Vec<Diagnostic>,
    /// True when an error stops the site from being shown: the output is
    /// the last good one.
    pub refused: bool,
    /// Which served files changed.
    pub changed: Changed,
    /// Pages and site files rendered.
    pub rendered: usize,
    /// Wall time of the whole rebuild.
    pub elapsed: Duration,
    /// Wall time of each stage, in pipeline order.
    pub timings: Vec<(&'static str, Duration)>,
}

/// The site in memory, kept up to date with the files on disk.
pub struct Preview {
    options: BuildOptions,
    workspace: Option<Workspace>,
    backlinks: Backlinks,
    theme: Option<Theme>,
    /// Problems found while loading that belong to no one markdown file
    /// (site.yaml, the bibliography, folders that cannot be read).
    load_problems: Vec<Diagnostic>,
    /// Markdown files that could not be read or parsed, by content path.
    file_problems: BTreeMap<String, Vec<Diagnostic>>,
    /// What `check` found on each page, by content path.
    page_problems: HashMap<String, Vec<Diagnostic>>,
    site_problems: Vec<Diagnostic>,
    /// Why the theme's templates could not be loaded.
    theme_problems: Vec<Diagnostic>,
    /// Problems of the latest render: a template failed, or `verify`.
    render_problems: Vec<Diagnostic>,
    output: Output,
    /// Content paths edited since the output was last rendered, or `None`
    /// when everything must be rendered.
    pending: Option<BTreeSet<String>>,
    generation: u64,
}

impl Preview {
    /// Loads, checks and renders the whole site. Fails only for what the
    /// build also calls an environment error (no site folder, no site.yaml).
    pub fn open(options: BuildOptions) -> Result<(Self, Rebuild), BuildError> {
        let mut preview = Self {
            options,
            workspace: None,
            backlinks: Backlinks::default(),
            theme: None,
            load_problems: Vec::new(),
            file_problems: BTreeMap::new(),
            page_problems: HashMap::new(),
            site_problems: Vec::new(),
            theme_problems: Vec::new(),
            render_problems: Vec::new(),
            output: Output::default(),
            pending: None,
            generation: 0,
        };
        let mut stopwatch = Stopwatch::started();
        preview.load_everything(&mut stopwatch)?;
        let rebuild = preview.finish(stopwatch);
        Ok((preview, rebuild))
    }

    /// True when edits changed what the search index holds and its files
    /// have not been cut anew yet.
    pub fn search_is_stale(&self) -> bool {
        self.output.search_stale
    }

    /// Cuts the search index's files anew after edits changed what it
    /// holds; false when it was up to date. The server calls it once no
    /// edit is waiting, so an edit's own page is never held up by the index
    /// (a third of a second on 10,000 articles). It is not a rebuild of its
    /// own: no page changes, so no tab reloads.
    pub fn refresh_search(&mut self) -> bool {
        if !self.output.search_stale {
            return false;
        }
        let Some(site) = self.workspace.as_ref().and_then(Workspace::site) else {
            return false;
        };
        let index = search::files(
            listing_pages::published_articles(site)
                .filter_map(|page| self.output.search_entries.get(&page.content_path)),
        );
        let served = Arc::make_mut(&mut self.output.files);
        // A file of the last index that this one does not write must not
        // be served.
        let folder = format!("{}/", search::SEARCH_FOLDER);
        served.retain(|path, _| !(path.starts_with(&folder) && path.ends_with(".js")));
        for (path, text) in index {
            served.insert(path, text.into_bytes().into());
        }
        self.output.search_stale = false;
        true
    }

    /// The last site that passed every check.
    pub fn output(&self) -> &Output {
        &self.output
    }

    /// Brings the preview up to date with what changed on disk.
    pub fn apply(&mut self, changes: &BTreeSet<Change>) -> Result<Rebuild, BuildError> {
        let mut stopwatch = Stopwatch::started();
        let reload = changes.contains(&Change::Everything)
            || self
                .workspace
                .as_ref()
                .is_none_or(|w| w.site().is_none() || w.wants_reload());
        if reload {
            self.load_everything(&mut stopwatch)?;
            return Ok(self.finish(stopwatch));
        }
        let articles: Vec<String> = changes
            .iter()
            .filter_map(|change| match change {
                Change::Article(path) => Some(path.clone()),
                _ => None,
            })
            .collect();
        if !articles.is_empty() {
            self.reparse(&articles);
            stopwatch.lap("load");
            self.recheck(&articles);
            stopwatch.lap("check");
        }
        if changes.contains(&Change::Theme) {
            self.load_theme();
            self.pending = None;
        }
        Ok(self.finish(stopwatch))
    }

    fn load_everything(&mut self, stopwatch: &mut Stopwatch) -> Result<(), BuildError> {
        let (workspace, problems) = Workspace::load(&self.options.root)?;
        self.backlinks = workspace.site().map(Backlinks::of).unwrap_or_default();
        self.workspace = Some(workspace);
        self.load_problems = problems.site;
        self.file_problems = problems.files;
        stopwatch.lap("load");
        self.check_everything();
        stopwatch.lap("check");
        self.load_theme();
        self.pending = None;
        Ok(())
    }

    fn load_theme(&mut self) {
        self.theme = None;
        self.theme_problems.clear();
        if let Some(site) = self.site() {
            match render::theme::load(site) {
                Ok(theme) => self.theme = Some(theme),
                Err(problems) => self.theme_problems = problems,
            }
        }
    }

    fn site(&self) -> Option<&Site<'_>> {
        self.workspace.as_ref()?.site()
    }

    fn check_context(&self) -> CheckContext {
        CheckContext {
            today: self.options.today,
            preview: true,
        }
    }

    fn check_everything(&mut self) {
        let context = self.check_context();
        let Some(site) = self.site() else {
            self.page_problems.clear();
            self.site_problems.clear();
            return;
        };
        let page_problems = site
            .pages
            .par_iter()
            .map(|page| (page.content_path.clone(), check::page(site, page, &context)))
            .collect();
        let site_problems = check::site_wide(site);
        self.page_problems = page_problems;
        self.site_problems = site_problems;
    }

    /// Parses the edited files again.
    fn reparse(&mut self, articles: &[String]) {
        let Some(workspace) = self.workspace.as_mut() else {
            return;
        };
        for (path, edited) in workspace.apply_edits(articles) {
            self.backlinks.update(workspace.site(), &path);
            self.page_problems.remove(&path);
            match edited {
                Edited::Refused(problems) => {
                    self.file_problems.insert(path, problems);
                }
                Edited::Parsed | Edited::Removed => {
                    self.file_problems.remove(&path);
                }
            }
        }
        if let Some(pending) = &mut self.pending {
            pending.extend(articles.iter().cloned());
        }
    }

    /// Checks the edited pages again, and every page that links to one of
    /// them: a link's target may have gone, or lost the heading it named.
    fn recheck(&mut self, articles: &[String]) {
        let context = self.check_context();
        let Some(site) = self.site() else {
            return;
        };
        let edited: HashSet<&str> = articles.iter().map(String::as_str).collect();
        let mut recheck = self.backlinks.linking_to(&edited);
        recheck.extend(edited.iter().copied());
        // The site-wide checks read every page; they run beside the pages'.
        let (rechecked, site_problems) = rayon::join(
            || -> Vec<(String, Vec<Diagnostic>)> {
                recheck
                    .par_iter()
                    .filter_map(|path| site.page(path))
                    .map(|page| (page.content_path.clone(), check::page(site, page, &context)))
                    .collect()
            },
            || check::site_wide(site),
        );
        self.page_problems.extend(rechecked);
        self.site_problems = site_problems;
    }

    /// Renders what is pending when the site passes its checks, and says
    /// what the site looks like now.
    fn finish(&mut self, mut stopwatch: Stopwatch) -> Rebuild {
        self.generation += 1;
        self.render_problems.clear();
        let mut changed = Changed::Paths(Vec::new());
        let mut rendered = 0;
        if !self.problems().iter().any(Diagnostic::is_error) {
            match self.render_pending() {
                Ok((paths, count)) => {
                    changed = paths;
                    rendered = count;
                }
                Err(problems) => self.render_problems = problems,
            }
        }
        stopwatch.lap("render");
        let problems = self.problems();
        Rebuild {
            generation: self.generation,
            refused: problems.iter().any(Diagnostic::is_error),
            problems,
            changed,
            rendered,
            elapsed: stopwatch.laps.iter().map(|(_, time)| *time).sum(),
            timings: stopwatch.laps,
        }
    }

    /// Every problem the site has now, sorted.
    pub fn problems(&self) -> Vec<Diagnostic> {
        let mut all: Vec<Diagnostic> = self
            .load_problems
            .iter()
            .chain(self.file_problems.values().flatten())
            .chain(self.page_problems.values().flatten())
            .chain(&self.site_problems)
            .chain(&self.theme_problems)
            .chain(&self.render_problems)
            .cloned()
            .collect();
        diagnostics::sort(&mut all);
        all
    }

    fn render_pending(&mut self) -> Result<(Changed, usize), Vec<Diagnostic>> {
        // Fields, not `self.site()`: the output is updated while the site
        // is borrowed.
        let site = self.workspace.as_ref().and_then(Workspace::site);
        let (Some(site), Some(theme)) = (site, self.theme.as_ref()) else {
            return Ok((Changed::Paths(Vec::new()), 0));
        };
        let site_context = context::site_context(site);
        let context_json = serde_json::to_string(&site_context).unwrap_or_default();
        let pending = match &self.pending {
            Some(pending)
                if context_json == self.output.site_context
                    && !needs_everything(site, &self.output, pending) =>
            {
                pending.clone()
            }
            _ => {
                let rendered = render::site(site, theme, render::Purpose::Preview)?;
                let problems = verify::site(site, theme, &rendered);
                if !problems.is_empty() {
                    return Err(problems);
                }
                let count = rendered.pages.len() + rendered.files.len();
                self.output = Output::whole(site, rendered, context_json);
                self.pending = Some(BTreeSet::new());
                return Ok((Changed::All, count));
            }
        };
        let linking = self
            .backlinks
            .linking_to(&pending.iter().map(String::as_str).collect());
        let (changed, count) = update(
            site,
            theme,
            &site_context,
            &mut self.output,
            &pending,
            linking,
        )?;
        self.pending = Some(BTreeSet::new());
        Ok((Changed::Paths(changed), count))
    }
}

/// Renders what the pending edits touch: the edited pages, the pages that
/// link to them (`linking`), the section that lists them, their topics' pages, and the
/// site-wide lists (search, sitemap, feed). The output changes only when
/// all of it rendered and verified; returns the output paths that changed.
fn update(
    site: &Site<'_>,
    theme: &Theme,
    site_context: &context::SiteContext<'_>,
    output: &mut Output,
    pending: &BTreeSet<String>,
    linking: FxHashSet<&str>,
) -> Result<(Vec<String>, usize), Vec<Diagnostic>> {
    let mut targets: FxHashSet<String> = linking.into_iter().map(str::to_owned).collect();
    let mut topics: HashSet<String> = HashSet::new();
    let mut listings_changed = false;
    for path in pending {
        targets.insert(path.clone());
        let before = output.pages.get(path).map(|page| &page.listed);
        let now = site
            .page(path)
            .filter(|page| !page.front.draft)
            .map(listed_as);
        if before == now.as_ref() {
            continue;
        }
        listings_changed = true;
        targets.insert(section_listing(path));
        topics.extend(
            before
                .iter()
                .flat_map(|listed| listed.topics.iter().cloned()),
        );
        if let Some(page) = site.page(path) {
            topics.extend(page.front.topics.iter().cloned());
        }
    }
    let (pages, mut problems) = render::pages(site, theme, site_context, |page| {
        targets.contains(page.content_path.as_str())
    });
    let mut files = Vec::new();
    if listings_changed {
        let wanted_topic = |id: &str| topics.contains(id);
        let file_problems;
        (files, file_problems) = render::site_files(site, theme, site_context, Some(&wanted_topic));
        problems.extend(file_problems);
    }
    problems.extend(verify::pages(site, theme, &pages));
    if !problems.is_empty() {
        return Err(problems);
    }

    let served = Arc::make_mut(&mut output.files);
    let mut changed = Vec::new();
    for path in pending {
        if let Some(before) = output.pages.remove(path) {
            served.remove(&before.output_path);
            changed.push(before.output_path);
        }
        output.search_entries.remove(path);
        if let Some(page) = site.page(path)
            && page.kind == PageKind::Article
            && !page.front.draft
        {
            output
                .search_entries
                .insert(path.clone(), search::entry(page));
        }
    }
    for topic in &topics {
        let path = crate::paths::topic_path(topic);
        served.remove(&path);
        changed.push(path);
    }
    let count = pages.len() + files.len() + 1;
    for page in pages {
        let source = &site.pages[page.page];
        output
            .pages
            .insert(source.content_path.clone(), rendered_from(source));
        changed.push(page.path.clone());
        served.insert(page.path, page.html.into_bytes().into());
    }
    for (path, text) in files {
        changed.push(path.clone());
        served.insert(path, text.into_bytes().into());
    }
    // Cutting the index anew takes a third of a second on 10,000 articles:
    // it is done after the edited page is served (`refresh_search`).
    output.search_stale = true;
    changed.sort_unstable();
    changed.dedup();
    Ok((changed, count))
}

/// Home and section pages appear in every page's breadcrumbs and lists of
/// sections, and the glossary's terms in every page: an edit to one of
/// them renders everything.
fn needs_everything(site: &Site<'_>, previous: &Output, pending: &BTreeSet<String>) -> bool {
    let glossary = site.config.glossary.as_deref();
    pending.iter().any(|path| {
        let kind_before = previous.pages.get(path).map(|p| p.kind);
        let kind_now = site.page(path).map(|p| p.kind);
        Some(path.as_str()) == glossary
            || [kind_before, kind_now]
                .into_iter()
                .flatten()
                .any(|kind| kind != PageKind::Article)
    })
}

/// The section page that lists an article: `_index.md` of its folder.
fn section_listing(content_path: &str) -> String {
    match content_path.rsplit_once('/') {
        Some((folder, _)) => format!("{folder}/{}", load::HOME_PAGE),
        None => load::HOME_PAGE.to_owned(),
    }
}
