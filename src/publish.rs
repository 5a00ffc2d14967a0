//! Stage 5, `publish`: writes the rendered site into a staging folder beside
//! the output, then swaps it in with one rename. Until that rename the
//! previous site stays exactly as it was, whatever goes wrong.

use std::collections::BTreeSet;
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
    let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
    let result = write_tree(rendered, &staging, fail_after_writes).and_then(|files| {
        swap_in(&staging, out)?;
        Ok(Published { files })
    });
    if result.is_err() {
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

fn write_tree(
    rendered: &Rendered,
    staging: &Path,
    fail_after_writes: Option<usize>,
) -> io::Result<usize> {
    if staging.exists() {
        std::fs::remove_dir_all(staging)?;
    }
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

    // Create every folder once, up front, rather than asking for each file.
    let folders: BTreeSet<PathBuf> = outputs
        .iter()
        .map(|(path, _)| *path)
        .chain(rendered.copies.iter().map(|(_, path)| path.as_str()))
        .filter_map(|path| Path::new(path).parent().map(|p| staging.join(p)))
        .collect();
    std::fs::create_dir_all(staging)?;
    for folder in &folders {
        std::fs::create_dir_all(folder)?;
    }
    let written = std::sync::atomic::AtomicUsize::new(0);
    outputs.par_iter().try_for_each(|(path, bytes)| {
        let count = written.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        if fail_after_writes.is_some_and(|limit| count >= limit) {
            return Err(io::Error::other("injected failure (fault-injection test)"));
        }
        std::fs::write(staging.join(path), bytes)
    })?;
    rendered
        .copies
        .par_iter()
        .try_for_each(|(from, to)| std::fs::copy(from, staging.join(to)).map(|_| ()))?;
    Ok(outputs.len() + rendered.copies.len())
}

/// Puts `staging` where `out` is. On Linux an existing site is exchanged in
/// one atomic step, so a reader never finds the folder missing.
fn swap_in(staging: &Path, out: &Path) -> io::Result<()> {
    if !out.exists() {
        return std::fs::rename(staging, out);
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        if renameat_with(CWD, staging, CWD, out, RenameFlags::EXCHANGE).is_ok() {
            // `staging` now holds the previous site.
            return std::fs::remove_dir_all(staging);
        }
    }
    let previous = staging.with_extension("previous");
    std::fs::rename(out, &previous)?;
    if let Err(error) = std::fs::rename(staging, out) {
        std::fs::rename(&previous, out)?;
        return Err(error);
    }
    std::fs::remove_dir_all(previous)
}
