//! Stage 5, `publish`: writes the rendered site into a staging folder beside
//! the output, then swaps it in with one rename. Until that rename the
//! previous site stays exactly as it was, whatever goes wrong.
//!
//! The site that was swapped out is kept beside the output as
//! `.NAME.previous` and becomes the next build's staging folder, which only
//! has to be brought up to date: on a large site, creating and removing a
//! folder per page and rewriting every file cost more than all the checks.

use std::collections::{BTreeSet, HashSet};
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::BuildError;
use crate::render::Rendered;

/// What was written, for the summary line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Published {
    pub files: usize,
}

/// Publishes `rendered` to `out`. `fail_after_writes` makes the write fail
/// after that many files, for the tests that prove a failure part-way
/// leaves the previous site untouched; it is `None` in normal use.
pub fn site(
    rendered: &Rendered,
    out: &Path,
    fail_after_writes: Option<usize>,
) -> Result<Published, BuildError> {
    let (parent, name) = split_output(out)?;
    std::fs::create_dir_all(&parent).map_err(|error| {
        BuildError::Environment(format!("cannot create `{}`: {error}", parent.display()))
    })?;
    let _lock = lock(&parent, &name, out)?;
    remove_leftovers(&parent, &name);
    let kept = parent.join(format!(".{name}.previous"));
    let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
    // A kept site that cannot be claimed is only a slower start.
    if kept.is_dir() && std::fs::rename(&kept, &staging).is_err() {
        let _ = std::fs::remove_dir_all(&kept);
    }
    let result = update_tree(rendered, &staging, fail_after_writes).and_then(|files| {
        swap_in(&staging, out, &kept)?;
        Ok(Published { files })
    });
    if result.is_err() && std::fs::rename(&staging, &kept).is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result.map_err(|error| {
        BuildError::Environment(format!(
            "could not write the site to `{}`: {error}; the previous site there is unchanged",
            out.display()
        ))
    })
}

fn split_output(out: &Path) -> Result<(PathBuf, String), BuildError> {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| {
            BuildError::Environment(format!(
                "`{}` cannot be the output folder; name a folder such as public",
                out.display()
            ))
        })?;
    let parent = match out.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if out.exists() && !out.is_dir() {
        return Err(BuildError::Environment(format!(
            "`{}` exists and is not a folder; remove it or choose another --out",
            out.display()
        )));
    }
    Ok((parent, name))
}

/// Holds `.NAME.lock` beside the output for as long as it lives, so two
/// builds never publish into one folder at once.
struct PublishLock {
    _file: std::fs::File,
}

fn lock(parent: &Path, name: &str, out: &Path) -> Result<PublishLock, BuildError> {
    use rustix::fs::{FlockOperation, flock};
    let path = parent.join(format!(".{name}.lock"));
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|error| {
            BuildError::Environment(format!(
                "cannot create the lock file `{}`: {error}",
                path.display()
            ))
        })?;
    match flock(&file, FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => Ok(PublishLock { _file: file }),
        Err(_) => Err(BuildError::Environment(format!(
            "another pamphlet build is publishing to `{}` right now; wait for it to finish, then run this again",
            out.display()
        ))),
    }
}

/// Staging folders of builds that were killed part-way. Only called while
/// holding the lock, so none of them belongs to a running build.
fn remove_leftovers(parent: &Path, name: &str) {
    let prefix = format!(".{name}.staging-");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Makes `staging` hold exactly the rendered site. It may be empty, or hold
/// an older site or a half-written one: each file is compared, and only
/// what differs is written or removed.
fn update_tree(
    rendered: &Rendered,
    staging: &Path,
    fail_after_writes: Option<usize>,
) -> io::Result<usize> {
    let mut outputs: Vec<(&str, &[u8])> = rendered
        .pages
        .iter()
        .map(|page| (page.path.as_str(), page.html.as_bytes()))
        .collect();
    outputs.extend(
        rendered
            .files
            .iter()
            .map(|(path, text)| (path.as_str(), text.as_bytes())),
    );
    let files: HashSet<&Path> = outputs
        .iter()
        .map(|(path, _)| Path::new(*path))
        .chain(rendered.copies.iter().map(|(_, path)| Path::new(path)))
        .collect();
    let folders: BTreeSet<&Path> = files
        .iter()
        .flat_map(|path| path.ancestors().skip(1))
        .filter(|folder| !folder.as_os_str().is_empty())
        .collect();

    std::fs::create_dir_all(staging)?;
    let kept_folders = remove_unwanted(staging, &files, &folders)?;
    // In order, so a parent is made before its children; folders the kept
    // site already has cost no system call.
    for folder in folders.iter().filter(|f| !kept_folders.contains(*f)) {
        std::fs::create_dir(staging.join(folder))?;
    }
    let written = std::sync::atomic::AtomicUsize::new(0);
    outputs.par_iter().try_for_each(|(path, bytes)| {
        let count = written.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        if fail_after_writes.is_some_and(|limit| count >= limit) {
            return Err(io::Error::other("injected failure (fault-injection test)"));
        }
        let target = staging.join(path);
        if holds(&target, bytes) {
            return Ok(());
        }
        std::fs::write(target, bytes)
    })?;
    rendered.copies.par_iter().try_for_each(|(from, to)| {
        let target = staging.join(to);
        if std::fs::read(from).is_ok_and(|bytes| holds(&target, &bytes)) {
            return Ok(());
        }
        std::fs::copy(from, target).map(|_| ())
    })?;
    Ok(outputs.len() + rendered.copies.len())
}

/// Whether the regular file at `path` holds exactly `bytes`.
fn holds(path: &Path, bytes: &[u8]) -> bool {
    std::fs::symlink_metadata(path)
        .is_ok_and(|meta| meta.is_file() && meta.len() == bytes.len() as u64)
        && std::fs::read(path).is_ok_and(|old| old == bytes)
}

/// Removes from `staging` whatever the new site does not have: pages since
/// deleted, and anything that is not the kind of entry it should be (a
/// folder where a file goes, a link anywhere). Returns the wanted folders
/// that are already there.
fn remove_unwanted<'f>(
    staging: &Path,
    files: &HashSet<&Path>,
    folders: &BTreeSet<&'f Path>,
) -> io::Result<HashSet<&'f Path>> {
    let mut kept = HashSet::new();
    let mut entries = walkdir::WalkDir::new(staging).min_depth(1).into_iter();
    while let Some(entry) = entries.next() {
        let entry = entry.map_err(io::Error::other)?;
        let relative = entry.path().strip_prefix(staging).unwrap_or(entry.path());
        let kind = entry.file_type();
        if kind.is_dir() {
            match folders.get(relative) {
                Some(folder) => {
                    kept.insert(*folder);
                }
                None => {
                    std::fs::remove_dir_all(entry.path())?;
                    entries.skip_current_dir();
                }
            }
        } else if !(kind.is_file() && files.contains(relative)) {
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok(kept)
}

/// Puts `staging` where `out` is, and keeps the site it replaces at `kept`
/// for the next build. On Linux an existing site is exchanged in one atomic
/// step, so a reader never finds the folder missing.
fn swap_in(staging: &Path, out: &Path, kept: &Path) -> io::Result<()> {
    if !out.exists() {
        return std::fs::rename(staging, out);
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        if renameat_with(CWD, staging, CWD, out, RenameFlags::EXCHANGE).is_ok() {
            // `staging` now holds the previous site.
            return std::fs::rename(staging, kept);
        }
    }
    std::fs::rename(out, kept)?;
    if let Err(error) = std::fs::rename(staging, out) {
        std::fs::rename(kept, out)?;
        return Err(error);
    }
    Ok(())
}
