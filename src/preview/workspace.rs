//! The preview's loaded site, kept alive between edits. A [`Site`] borrows
//! the text it was parsed from, so the text and the site live together in
//! one self-referential cell; an edited file's new text goes into an arena
//! beside the original sources, and only that page is parsed again.

use std::collections::BTreeMap;
use std::path::Path;

use typed_arena::Arena;

use crate::BuildError;
use crate::diagnostics::Diagnostic;
use crate::load::{self, ContentFile, LoadProblems, Site, Sources};

pub(super) struct Texts {
    sources: Sources,
    edits: Arena<ContentFile>,
}

type LoadedSite<'a> = Option<Site<'a>>;

self_cell::self_cell!(
    struct Cell {
        owner: Texts,
        #[covariant]
        dependent: LoadedSite,
    }
);

/// What happened to one markdown file after an edit.
pub(super) enum Edited {
    /// Parsed; the page is in the site.
    Parsed,
    /// It is gone: deleted, or renamed away.
    Removed,
    /// It could not be read or parsed; the problem says why.
    Refused(Vec<Diagnostic>),
}

pub(super) struct Workspace {
    cell: Cell,
    /// Bytes of edited text held in the arena. Old versions of an edited
    /// file stay there until the next full load, which this bounds.
    edited_bytes: usize,
    source_bytes: usize,
}

impl Workspace {
    /// Reads and parses the whole site. The problems are those of `load`:
    /// unreadable files, front matter that does not parse, site.yaml.
    pub(super) fn load(root: &Path) -> Result<(Self, LoadProblems), BuildError> {
        let sources = load::read(root)?;
        let source_bytes = sources
            .markdown
            .iter()
            .map(|file| file.source.text.len())
            .sum();
        let mut problems = LoadProblems::default();
        let cell = Cell::new(
            Texts {
                sources,
                edits: Arena::new(),
            },
            |texts| {
                let (site, found) = load::parse(&texts.sources);
                problems = found;
                site.ok()
            },
        );
        let workspace = Self {
            cell,
            edited_bytes: 0,
            source_bytes,
        };
        Ok((workspace, problems))
    }

    pub(super) fn site(&self) -> Option<&Site<'_>> {
        self.cell.borrow_dependent().as_ref()
    }

    /// True once old versions of edited files take more memory than the
    /// site itself; the caller then loads everything afresh.
    pub(super) fn wants_reload(&self) -> bool {
        self.edited_bytes > self.source_bytes.max(16 * 1024 * 1024)
    }

    /// Reads each changed markdown file again and puts its page in place.
    /// Returns, by content path, what became of each.
    pub(super) fn apply_edits(&mut self, changed: &[String]) -> BTreeMap<String, Edited> {
        let mut outcome = BTreeMap::new();
        let mut edited_bytes = 0;
        self.cell.with_dependent_mut(|texts, site| {
            let Some(site) = site.as_mut() else {
                return;
            };
            for content_path in changed {
                let on_disk = site.content_dir().join(content_path);
                let result = if !on_disk.is_file() {
                    site.replace_page(content_path, None);
                    site.unparsed.remove(content_path);
                    Edited::Removed
                } else {
                    let parsed = load::read_content_file(&site.root, content_path)
                        .map_err(|problem| vec![problem])
                        .and_then(|file| {
                            edited_bytes += file.source.text.len();
                            load::parse_page(texts.edits.alloc(file), &site.bibliography)
                        });
                    match parsed {
                        Ok(page) => {
                            site.unparsed.remove(content_path);
                            site.replace_page(content_path, Some(page));
                            Edited::Parsed
                        }
                        Err(problem) => {
                            site.unparsed.insert(content_path.clone());
                            site.replace_page(content_path, None);
                            Edited::Refused(problem)
                        }
                    }
                };
                outcome.insert(content_path.clone(), result);
            }
        });
        self.edited_bytes += edited_bytes;
        outcome
    }
}
