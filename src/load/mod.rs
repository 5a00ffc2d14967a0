//! Stage 1, `load`: walk `content/`, read every file, split and parse the
//! front matter, and parse each body once. Nothing here decides what is
//! allowed; it only reports what could not be read or understood.

pub mod blocks;
pub mod body;
pub mod front_matter;
pub mod ledger;
pub mod local;
pub mod lone;
mod pasted;
pub mod stored;
pub mod yaml_places;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::SiteConfig;
use crate::diagnostics::{Code, Diagnostic};
use crate::errors::{BuildError, Trouble};
use crate::model::{FrontMatter, Reference};
use crate::paths::output_path;
use crate::source::SourceFile;

pub use body::Body;

/// The site's settings and policy, in the site folder.
pub const CONFIG_FILE: &str = "site.yaml";
/// The folder of articles and the files published with them.
pub const CONTENT_DIR: &str = "content";
/// The shared bibliography, in `content/`.
pub const BIBLIOGRAPHY_FILE: &str = "references.yaml";

/// No patient article comes near this; a file that does is a pasted image,
/// a misnamed export or an accident, and reading it whole would only cost
/// memory before refusing it anyway.
pub const MAX_ARTICLE_BYTES: u64 = 4 * 1024 * 1024;
/// The largest file copied from `content/` (an image, a PDF, a video).
pub const MAX_COPIED_BYTES: u64 = 100 * 1024 * 1024;

/// Every file of the site as read from disk, before any parsing. It owns
/// the text; the parsed [`Site`] borrows from it so bodies are never copied.
#[derive(Debug)]
pub struct Sources {
    /// The site folder, holding site.yaml.
    pub root: PathBuf,
    /// site.yaml as read.
    pub config: SourceFile,
    /// Markdown files, sorted by content path so builds are deterministic.
    pub markdown: Vec<ContentFile>,
    /// `content/references.yaml`, when the site has one.
    pub bibliography: Option<SourceFile>,
    /// Other files under content/ (images, PDFs), copied as they are.
    pub assets: Vec<String>,
    /// The sign-off record, `signoffs/*.md` (see [`ledger`]).
    pub ledger: Vec<SourceFile>,
    /// Folders and files other than articles that could not be read.
    pub problems: Vec<Diagnostic>,
    /// Markdown files that could not be read, by content path, and why:
    /// links to them are not reported again as broken.
    pub unreadable: BTreeMap<String, Diagnostic>,
}

/// What kept `load` from reading or parsing part of the site, kept by what
/// it is about, so the preview can replace one file's problems after an
/// edit without reading file names back out of diagnostics.
#[derive(Debug, Default)]
pub struct LoadProblems {
    /// About the site as a whole: site.yaml, the bibliography, the sign-off
    /// records, folders and files that are not articles.
    pub site: Vec<Diagnostic>,
    /// Markdown files that could not be read or parsed, by content path.
    pub files: BTreeMap<String, Vec<Diagnostic>>,
}

impl LoadProblems {
    /// Every problem, in no particular order.
    pub fn into_all(self) -> Vec<Diagnostic> {
        let mut all = self.site;
        all.extend(self.files.into_values().flatten());
        all
    }
}

/// A markdown file of `content/`, as read.
#[derive(Debug)]
pub struct ContentFile {
    /// Path within content/, with `/` separators: `articles/side-effects.md`.
    pub content_path: String,
    /// Its text, and its path for diagnostics.
    pub source: SourceFile,
}

/// What a page is, by its place in `content/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// `content/_index.md`.
    Home,
    /// A folder's `_index.md`: it lists the articles in the folder.
    Section,
    /// Any other markdown file.
    Article,
}

/// One markdown file, parsed: its front matter and its body.
#[derive(Debug)]
pub struct Page<'a> {
    /// The file it was parsed from.
    pub file: &'a SourceFile,
    /// Its path in `content/`, with `/` separators.
    pub content_path: String,
    /// Where it is published, relative to the output folder (`articles/x/index.html`).
    pub output_path: String,
    /// Home, section or article.
    pub kind: PageKind,
    /// Its front matter.
    pub front: FrontMatter,
    /// Where the YAML is in the file, to point policy problems at a line.
    pub yaml: Range<usize>,
    /// Where the markdown body starts, after the closing `---`.
    pub body_start: usize,
    /// Its markdown body, parsed once for every stage.
    pub body: Body<'a>,
}

impl Page<'_> {
    /// The folder this page lists (for sections) or lives in (for articles).
    pub fn folder(&self) -> &str {
        self.content_path
            .rsplit_once('/')
            .map_or("", |(folder, _)| folder)
    }
}

/// The whole site as loaded: settings, pages, bibliography and sign-off record.
#[derive(Debug)]
pub struct Site<'a> {
    /// The site folder.
    pub root: PathBuf,
    /// site.yaml, parsed.
    pub config: SiteConfig,
    /// site.yaml as read, to point problems at its lines.
    pub config_file: &'a SourceFile,
    /// Sorted by content path.
    pub pages: Vec<Page<'a>>,
    /// Each page's index in `pages`, by content path.
    pub by_content_path: HashMap<String, usize>,
    /// Files whose front matter could not be parsed. Links to them are not
    /// reported again as broken; the file's own error says what to fix.
    pub unparsed: HashSet<String>,
    /// The shared reference list.
    pub bibliography: Bibliography<'a>,
    /// Other files of `content/` (images, PDFs), by content path, copied as they are.
    pub assets: Vec<String>,
    /// The sign-off record, `signoffs/`.
    pub ledger: ledger::Ledger<'a>,
    /// Built on first use; an edit in the preview clears it.
    pub local_index: std::sync::OnceLock<local::LocalIndex>,
}

impl<'a> Site<'a> {
    /// What a local path written in an article names once published.
    pub fn local(&self, site_path: &str) -> Result<local::Published, local::Unresolved> {
        self.local_index
            .get_or_init(|| local::LocalIndex::of(self))
            .find(site_path)
    }

    /// The folders whose files are published as they are: the theme's
    /// `static/`, then the site's own (which wins on a clash).
    pub fn static_dirs(&self) -> Vec<PathBuf> {
        [
            self.root
                .join("themes")
                .join(&self.config.theme)
                .join("static"),
            self.root.join("static"),
        ]
        .into_iter()
        .filter(|dir| dir.is_dir())
        .collect()
    }

    /// The page at a content path, if it parsed.
    pub fn page(&self, content_path: &str) -> Option<&Page<'a>> {
        self.by_content_path
            .get(content_path)
            .map(|&index| &self.pages[index])
    }

    /// The `content/` folder.
    pub fn content_dir(&self) -> PathBuf {
        self.root.join(CONTENT_DIR)
    }

    /// Puts an edited page in place of the one at its content path, adds a
    /// new one, or (with `None`) removes it; pages stay sorted.
    pub fn replace_page(&mut self, content_path: &str, page: Option<Page<'a>>) {
        self.local_index = Default::default();
        let at = self
            .pages
            .binary_search_by(|p| p.content_path.as_str().cmp(content_path));
        match (at, page) {
            (Ok(index), Some(page)) => {
                self.pages[index] = page;
                return;
            }
            (Err(index), Some(page)) => self.pages.insert(index, page),
            (Ok(index), None) => {
                self.pages.remove(index);
            }
            (Err(_), None) => return,
        }
        self.by_content_path = self
            .pages
            .iter()
            .enumerate()
            .map(|(index, page)| (page.content_path.clone(), index))
            .collect();
    }
}

/// The shared reference list, `content/references.yaml`.
#[derive(Debug, Default)]
pub struct Bibliography<'a> {
    /// The file it was read from, when the site has one.
    pub file: Option<&'a SourceFile>,
    /// Each reference, by id.
    pub entries: BTreeMap<String, Reference>,
    /// Ids that appear more than once, with the byte range of each repeat.
    pub repeated: Vec<(String, Range<usize>)>,
}

/// Reads `site.yaml` and everything under `content/`.
pub fn read(root: &Path) -> Result<Sources, BuildError> {
    if !root.is_dir() {
        return Err(BuildError::environment(
            Trouble::NotASite,
            format!(
                "the site folder `{}` does not exist; pass the folder that holds site.yaml with --root",
                root.display()
            ),
        ));
    }
    let config_path = root.join(CONFIG_FILE);
    let config_text = std::fs::read_to_string(&config_path).map_err(|error| {
        BuildError::environment(Trouble::NotASite, match error.kind() {
            std::io::ErrorKind::NotFound => format!(
                "no {CONFIG_FILE} in `{}`: run pamphlet in the site's folder, or pass it with --root",
                root.display()
            ),
            _ => format!("cannot read `{}`: {error}", config_path.display()),
        })
    })?;
    let content_dir = root.join(CONTENT_DIR);
    if !content_dir.is_dir() {
        return Err(BuildError::environment(
            Trouble::NotASite,
            format!(
                "no `{CONTENT_DIR}` folder in `{}`: the articles live there",
                root.display()
            ),
        ));
    }

    let mut problems = Vec::new();
    let mut markdown_paths = Vec::new();
    let mut assets = Vec::new();
    let walker = WalkDir::new(&content_dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_ignored(entry.file_name()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = error.path().map(|p| relative_to(root, p));
                let mut diagnostic = Diagnostic::error(
                    Code::Unreadable,
                    format!("this file or folder cannot be read: {error}"),
                )
                .hint("check that the file exists and that you may read it");
                if let Some(path) = path {
                    diagnostic = diagnostic.in_file(path);
                }
                problems.push(diagnostic);
                continue;
            }
        };
        if entry.file_type().is_symlink() {
            let target = std::fs::read_link(entry.path())
                .map(|t| t.display().to_string())
                .unwrap_or_default();
            problems.push(
                Diagnostic::error(
                    Code::Unreadable,
                    format!("this is a link (symlink) to `{target}`, and Pamphlet does not follow links"),
                )
                .in_file(relative_to(root, entry.path()))
                .hint("copy the file or folder into content/ instead: following links could publish files from outside the site, or loop forever"),
            );
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let content_path = relative_to(&content_dir, entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        if content_path.ends_with(".md") {
            markdown_paths.push(content_path);
        } else if content_path != BIBLIOGRAPHY_FILE {
            let size = entry.metadata().map_or(0, |meta| meta.len());
            if size > MAX_COPIED_BYTES {
                problems.push(
                    Diagnostic::error(
                        Code::Unreadable,
                        format!(
                            "this file is {:.0} MB; Pamphlet publishes files of up to {} MB",
                            size as f64 / 1_048_576.0,
                            MAX_COPIED_BYTES / 1_048_576
                        ),
                    )
                    .in_file(relative_to(root, entry.path()))
                    .hint("patients read the site on phones: make it smaller (a compressed video, a smaller image), or leave it out"),
                );
                continue;
            }
            assets.push(content_path);
        }
    }

    // A folder's files and the folder's own sub-folders interleave in walk
    // order; sorting by the path string is what lets an edited page be found
    // again by binary search.
    markdown_paths.sort_unstable();
    let read_results: Vec<Result<ContentFile, (String, Box<Diagnostic>)>> = markdown_paths
        .into_par_iter()
        .map(|content_path| {
            let display = Path::new(CONTENT_DIR).join(&content_path);
            match read_text(&content_dir.join(&content_path), &display) {
                Ok(source) => Ok(ContentFile {
                    content_path,
                    source,
                }),
                Err(problem) => Err((content_path, Box::new(problem))),
            }
        })
        .collect();
    let mut markdown = Vec::with_capacity(read_results.len());
    let mut unreadable = BTreeMap::new();
    for result in read_results {
        match result {
            Ok(file) => markdown.push(file),
            Err((content_path, problem)) => {
                unreadable.insert(content_path, *problem);
            }
        }
    }

    let bibliography_path = content_dir.join(BIBLIOGRAPHY_FILE);
    let bibliography = if bibliography_path.is_file() {
        let display = Path::new(CONTENT_DIR).join(BIBLIOGRAPHY_FILE);
        match read_text(&bibliography_path, &display) {
            Ok(file) => Some(file),
            Err(problem) => {
                problems.push(problem);
                None
            }
        }
    } else {
        None
    };

    let ledger = ledger::read(root, &mut problems);
    Ok(Sources {
        root: root.to_path_buf(),
        config: SourceFile::new(CONFIG_FILE, config_text),
        markdown,
        bibliography,
        assets,
        ledger,
        problems,
        unreadable,
    })
}

/// Hidden files, backups, and the scratch files editors write while saving:
/// Vim's swap files and its `4913` write test, Emacs's `#autosave#`,
/// JetBrains' `___jb_tmp___`, VS Code's `.crswap`. Neither the build nor
/// the preview's watcher treats them as part of the site.
pub fn is_ignored(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name == "4913"
        || [
            ".swp",
            ".swo",
            ".swx",
            ".tmp",
            ".crswap",
            "___jb_tmp___",
            "___jb_old___",
        ]
        .iter()
        .any(|suffix| name.ends_with(suffix))
}

fn relative_to(base: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(base).unwrap_or(path).to_path_buf()
}

fn read_text(path: &Path, display: &Path) -> Result<SourceFile, Diagnostic> {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > MAX_ARTICLE_BYTES {
        return Err(Diagnostic::error(
            Code::Unreadable,
            format!(
                "this file is {:.1} MB; Pamphlet refuses files over {} MB",
                size as f64 / 1_048_576.0,
                MAX_ARTICLE_BYTES / 1_048_576
            ),
        )
        .in_file(display)
        .hint("an article this large is usually a pasted image or the wrong file; split it, or put images in their own files"));
    }
    let bytes = std::fs::read(path).map_err(|error| {
        Diagnostic::error(
            Code::Unreadable,
            format!("this file cannot be read: {error}"),
        )
        .in_file(display)
        .hint("check that the file exists and that you may read it")
    })?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(display, text)),
        Err(error) => Err(Diagnostic::error(
            Code::Unreadable,
            format!(
                "this file is not UTF-8 text (the first bad byte is at byte {})",
                error.utf8_error().valid_up_to()
            ),
        )
        .in_file(display)
        .hint("open it in your editor and save it again with the encoding set to UTF-8")),
    }
}

/// The site folder that holds `start`: the nearest folder, `start` or
/// above it, with a `site.yaml`, so `pamphlet` works from any folder of a
/// site, as git does. `None` outside any site.
pub fn find_site_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|folder| folder.join(CONFIG_FILE).is_file())
        .map(Path::to_path_buf)
}

/// Parses what [`read`] found. Returns the site, or every problem found if
/// `site.yaml` itself cannot be understood.
pub fn parse(sources: &Sources) -> (Result<Site<'_>, ()>, LoadProblems) {
    let mut diagnostics = sources.problems.clone();
    let mut files: BTreeMap<String, Vec<Diagnostic>> = sources
        .unreadable
        .iter()
        .map(|(path, problem)| (path.clone(), vec![problem.clone()]))
        .collect();
    let config = front_matter::parse_yaml_reporting_all::<SiteConfig>(
        &sources.config,
        &sources.config.text,
        1,
    )
    .map_err(|problems| {
        diagnostics.extend(problems.into_iter().map(|mut problem| {
            problem.code = Code::SiteConfig;
            problem
        }));
    });

    let bibliography = parse_bibliography(sources.bibliography.as_ref(), &mut diagnostics);
    let ledger = ledger::parse(&sources.ledger, &mut diagnostics);

    let parsed: Vec<Result<Page<'_>, Vec<Diagnostic>>> = sources
        .markdown
        .par_iter()
        .map(|file| parse_page(file, &bibliography))
        .collect();
    let mut pages = Vec::with_capacity(parsed.len());
    let mut unparsed: HashSet<String> = sources.unreadable.keys().cloned().collect();
    for (file, result) in sources.markdown.iter().zip(parsed) {
        match result {
            Ok(page) => pages.push(page),
            Err(problems) => {
                unparsed.insert(file.content_path.clone());
                files.insert(file.content_path.clone(), problems);
            }
        }
    }
    let problems = LoadProblems {
        site: diagnostics,
        files,
    };
    let Ok(config) = config else {
        return (Err(()), problems);
    };
    let by_content_path = pages
        .iter()
        .enumerate()
        .map(|(index, page)| (page.content_path.clone(), index))
        .collect();
    let site = Site {
        root: sources.root.clone(),
        config,
        config_file: &sources.config,
        pages,
        by_content_path,
        unparsed,
        bibliography,
        assets: sources.assets.clone(),
        ledger,
        local_index: Default::default(),
    };
    (Ok(site), problems)
}

/// The home page's content path.
pub const HOME_PAGE: &str = "_index.md";

/// Reads one markdown file of `content/` again, after an edit.
pub fn read_content_file(root: &Path, content_path: &str) -> Result<ContentFile, Diagnostic> {
    let display = Path::new(CONTENT_DIR).join(content_path);
    read_text(&root.join(&display), &display).map(|source| ContentFile {
        content_path: content_path.to_owned(),
        source,
    })
}

/// Parses one markdown file into a page, resolving its references against
/// the shared bibliography.
pub fn parse_page<'a>(
    file: &'a ContentFile,
    bibliography: &Bibliography<'_>,
) -> Result<Page<'a>, Vec<Diagnostic>> {
    let split = front_matter::split(&file.source).map_err(|problem| vec![problem])?;
    let yaml = &file.source.text[split.yaml.clone()];
    let mut front: FrontMatter =
        front_matter::parse_yaml_reporting_all(&file.source, yaml, split.yaml_first_line)?;
    for reference in &mut front.references {
        if reference.is_id_only()
            && let Some(entry) = bibliography.entries.get(&reference.id)
        {
            *reference = Reference {
                from_bibliography: true,
                ..entry.clone()
            };
        }
    }
    let kind = match file.content_path.as_str() {
        HOME_PAGE => PageKind::Home,
        path if path.ends_with("/_index.md") => PageKind::Section,
        _ => PageKind::Article,
    };
    Ok(Page {
        file: &file.source,
        output_path: output_path(&file.content_path),
        content_path: file.content_path.clone(),
        kind,
        front,
        yaml: split.yaml,
        body_start: split.body_start,
        body: body::parse(&file.source.text, split.body_start, &file.content_path),
    })
}

fn parse_bibliography<'a>(
    file: Option<&'a SourceFile>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Bibliography<'a> {
    let Some(file) = file else {
        return Bibliography::default();
    };
    let references: Vec<Reference> = match front_matter::parse_yaml(file, &file.text, 1) {
        Ok(references) => references,
        Err(problem) => {
            diagnostics.push(problem);
            return Bibliography {
                file: Some(file),
                ..Bibliography::default()
            };
        }
    };
    let whole = 0..file.text.len();
    let mut bibliography = Bibliography {
        file: Some(file),
        ..Bibliography::default()
    };
    let mut times_seen: HashMap<String, usize> = HashMap::new();
    for reference in references {
        let seen = times_seen.entry(reference.id.clone()).or_default();
        *seen += 1;
        if *seen > 1 {
            let span = front_matter::locate_nth(file, &whole, "id", Some(&reference.id), *seen - 1);
            bibliography.repeated.push((reference.id.clone(), span));
        } else {
            bibliography.entries.insert(reference.id.clone(), reference);
        }
    }
    bibliography
}
