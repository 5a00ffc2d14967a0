//! Watching the site's files. Editors save in many ways (in place, through a
//! temporary file renamed over the original, delete then create, swap
//! files); after a short quiet time the watcher reports which paths were
//! touched, and the preview reads each one's current state from disk, so
//! every way of saving ends up the same.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::errors::{BuildError, Trouble};
use crate::load::ledger::LEDGER_DIR;
use crate::load::{BIBLIOGRAPHY_FILE, CONFIG_FILE, CONTENT_DIR, is_ignored};
use crate::preview::Change;

/// How long the files must be quiet before a rebuild: long enough to see a
/// rename-style save as one change, short enough not to be noticed.
const QUIET: Duration = Duration::from_millis(25);
/// How often the debouncer looks for quiet paths.
const TICK: Duration = Duration::from_millis(5);

/// The folders a site's output is made from, besides content/.
const THEME_FOLDERS: [&str; 3] = ["themes", "static", "templates"];

/// The watch on a site's files: its root, and each folder the site is made
/// from, including those created after the preview started.
pub(super) struct Watching {
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    root: PathBuf,
    watched: BTreeSet<&'static str>,
}

/// Starts watching; each batch of changes is sent to `changes`. Watching
/// stops when the returned value is dropped.
pub(super) fn start(
    root: &Path,
    changes: Sender<BTreeSet<Change>>,
) -> Result<Watching, BuildError> {
    let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
    let classify_root = root.clone();
    let debouncer = new_debouncer(QUIET, Some(TICK), move |result: DebounceEventResult| {
        // An error here is the watcher's own (too many watches, say); the
        // next save still arrives, so there is nothing better to do.
        if let Ok(events) = result {
            let batch: BTreeSet<Change> = events
                .iter()
                // Reading a file is not changing it: the preview's own reads
                // would otherwise start the next rebuild.
                .filter(|event| !matches!(event.kind, EventKind::Access(_)))
                .flat_map(|event| event.paths.iter())
                .filter_map(|path| classify(&classify_root, path))
                .collect();
            if !batch.is_empty() {
                let _ = changes.send(batch);
            }
        }
    })
    .map_err(|error| {
        BuildError::environment(
            Trouble::Server,
            format!("cannot watch the site's files: {error}"),
        )
    })?;
    let mut watching = Watching {
        debouncer,
        root,
        watched: BTreeSet::new(),
    };
    let root = watching.root.clone();
    watching.watch(&root, RecursiveMode::NonRecursive)?;
    watching.watch_new_folders()?;
    Ok(watching)
}

impl Watching {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> Result<(), BuildError> {
        self.debouncer.watch(path, mode).map_err(|error| {
            BuildError::environment(
                Trouble::Server,
                format!("cannot watch `{}`: {error}", path.display()),
            )
        })
    }

    /// Watches each folder the site is made from that exists now and was
    /// not watched yet: a `static/` made while the preview runs is seen
    /// from its next save on. The root's own watch reports its creation.
    pub(super) fn watch_new_folders(&mut self) -> Result<(), BuildError> {
        for folder in [CONTENT_DIR, LEDGER_DIR].into_iter().chain(THEME_FOLDERS) {
            let path = self.root.join(folder);
            if !self.watched.contains(folder) && path.is_dir() {
                self.watch(&path, RecursiveMode::Recursive)?;
                self.watched.insert(folder);
            }
        }
        Ok(())
    }
}

/// What a touched path means for the preview; `None` for files that do not
/// make the site (public/, editors' backup and swap files).
pub(super) fn classify(root: &Path, path: &Path) -> Option<Change> {
    let relative = path.strip_prefix(root).ok()?;
    let parts: Vec<&str> = relative
        .components()
        .map(|component| match component {
            Component::Normal(part) => part.to_str(),
            _ => None,
        })
        .collect::<Option<_>>()?;
    if parts.iter().any(|part| is_ignored(part.as_ref())) {
        return None;
    }
    match parts.as_slice() {
        [CONFIG_FILE] => Some(Change::Everything),
        [CONTENT_DIR] => None,
        [CONTENT_DIR, rest @ ..] => {
            let content_path = rest.join("/");
            if content_path == BIBLIOGRAPHY_FILE {
                Some(Change::Everything)
            } else if content_path.ends_with(".md") && !path.is_dir() {
                Some(Change::Article(content_path))
            } else {
                // An image, a PDF, or a folder created, renamed or deleted.
                Some(Change::Everything)
            }
        }
        // A sign-off changes what may publish; `approve` also writes the
        // article, and the record must be read again before it is judged.
        [LEDGER_DIR, ..] => Some(Change::Everything),
        // A theme folder made, renamed or deleted, or a file in one.
        [folder, ..] if THEME_FOLDERS.contains(folder) => Some(Change::Theme),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(path: &str) -> Option<Change> {
        classify(Path::new("/site"), &Path::new("/site").join(path))
    }

    #[test]
    fn articles_are_named_by_content_path() {
        assert_eq!(
            change("content/conditions/depression.md"),
            Some(Change::Article("conditions/depression.md".into()))
        );
        assert_eq!(
            change("content/_index.md"),
            Some(Change::Article("_index.md".into()))
        );
    }

    #[test]
    fn settings_bibliography_and_assets_reload_everything() {
        assert_eq!(change("site.yaml"), Some(Change::Everything));
        assert_eq!(change("content/references.yaml"), Some(Change::Everything));
        assert_eq!(change("content/photo.png"), Some(Change::Everything));
        assert_eq!(
            change("signoffs/conditions/depression/2026-11-22-0123456789ab.md"),
            Some(Change::Everything)
        );
    }

    #[test]
    fn theme_files_render_everything_again() {
        assert_eq!(
            change("themes/clinic/templates/base.html"),
            Some(Change::Theme)
        );
        assert_eq!(change("static/logo.svg"), Some(Change::Theme));
        // The folder itself, made after the preview started.
        assert_eq!(change("static"), Some(Change::Theme));
        assert_eq!(change("templates/article.html"), Some(Change::Theme));
    }

    #[test]
    fn output_and_editor_scratch_files_are_ignored() {
        for path in [
            "public/index.html",
            "reports/index.html",
            ".git/index",
            "content/.depression.md.swp",
            "content/depression.md~",
            "content/depression.md.tmp",
            "content/4913",
            "content/#depression.md#",
            "content/depression.md___jb_tmp___",
            "README.md",
        ] {
            assert_eq!(change(path), None, "{path}");
        }
    }
}
