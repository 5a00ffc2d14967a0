//! Stage 5, `publish`: writes the rendered site into a staging folder beside
//! the output, then swaps it in with one rename. Until that rename the
//! previous site stays exactly as it was, whatever goes wrong.
//!
//! Pamphlet only ever removes or replaces what it wrote itself. Each folder
//! it publishes holds a list of its files ([`manifest`]); an output folder
//! is replaced only when it is new, empty, or Pamphlet's with nothing added
//! since ([`place`]). The site that was swapped out is kept beside the
//! output as `.NAME.previous` and becomes the next build's staging folder,
//! which only has to be brought up to date: on a large site, creating and
//! removing a folder per page and rewriting every file cost more than all
//! the checks. When the output is a link (to a web server's folder, say),
//! the folder it names is the one swapped, beside itself; the link is left
//! as it is and nothing is ever deleted through it.

pub mod manifest;
pub mod place;
mod tree;

use std::path::{Path, PathBuf};

pub use manifest::Kind;
pub use place::Place;
pub use tree::{Entry, Source};

use crate::errors::{BuildError, Trouble};
use crate::render::Rendered;
use place::Found;
use tree::WriteFailure;

/// What was written, for the summary line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Published {
    /// Files the published folder holds.
    pub files: usize,
}

/// What publishing does before writing each file: nothing in a real build;
/// the fault-injection tests make it fail part-way, to prove a failure
/// leaves the previous site untouched.
pub trait Faults: Sync {
    /// Called before file number `count` (from 0) is written.
    fn before_writing(&self, count: usize) -> std::io::Result<()>;
}

/// A real build: no fault.
pub struct NoFaults;

impl Faults for NoFaults {
    fn before_writing(&self, _count: usize) -> std::io::Result<()> {
        Ok(())
    }
}

/// Fails every write after the first this many files.
#[doc(hidden)]
pub struct FailAfterWrites(pub usize);

impl Faults for FailAfterWrites {
    fn before_writing(&self, count: usize) -> std::io::Result<()> {
        if count >= self.0 {
            return Err(std::io::Error::other(
                "injected failure (fault-injection test)",
            ));
        }
        Ok(())
    }
}

/// Makes the files that are produced only as they are written (a build's
/// pages), and says, once all are written and before the new folder is put
/// in place, whether it may be.
pub trait Producer: Sync {
    /// The bytes of produced file `index`.
    fn bytes(&self, index: usize) -> Vec<u8>;
    /// Whether what was produced may be published; an error leaves the
    /// previous folder as it was.
    fn verdict(&self) -> Result<(), BuildError>;
}

/// Publishing with every file already in memory or on disk.
pub struct NothingProduced;

impl Producer for NothingProduced {
    fn bytes(&self, _index: usize) -> Vec<u8> {
        Vec::new()
    }
    fn verdict(&self) -> Result<(), BuildError> {
        Ok(())
    }
}

/// Publishes `rendered` to `out`, with the pages named in `produced`
/// (output path, index for the producer) made by `producer` as they are
/// written.
pub fn site(
    rendered: &Rendered,
    produced: &[(&str, usize)],
    producer: &dyn Producer,
    root: &Path,
    out: &Path,
    faults: &dyn Faults,
) -> Result<Published, BuildError> {
    let mut entries: Vec<Entry<'_>> = rendered
        .pages
        .iter()
        .map(|page| (page.path.as_str(), page.html.as_bytes()))
        .chain(
            rendered
                .files
                .iter()
                .map(|(path, text)| (path.as_str(), text.as_bytes())),
        )
        .map(|(path, bytes)| Entry {
            path,
            source: Source::Memory(bytes),
        })
        .collect();
    entries.extend(rendered.copies.iter().map(|(from, path)| Entry {
        path,
        source: Source::Disk(from),
    }));
    entries.extend(produced.iter().map(|&(path, index)| Entry {
        path,
        source: Source::Produced(index),
    }));
    folder(&entries, root, out, Kind::Site, faults, producer)
}

/// Checks, before anything is built, that `out` is a place this build may
/// replace, so a mistyped `--out` costs no waiting.
pub fn check_place(root: &Path, out: &Path, kind: Kind) -> Result<(), BuildError> {
    let place = place::resolve(root, out, kind)?;
    place::inspect(&place, kind).map(drop)
}

/// Publishes `entries` as the folder `out`, atomically.
pub fn folder(
    entries: &[Entry<'_>],
    root: &Path,
    out: &Path,
    kind: Kind,
    faults: &dyn Faults,
    producer: &dyn Producer,
) -> Result<Published, BuildError> {
    let place = place::resolve(root, out, kind)?;
    std::fs::create_dir_all(&place.parent).map_err(|error| {
        BuildError::environment(
            Trouble::FileSystem,
            format!("cannot create `{}`: {error}", place.parent.display()),
        )
    })?;
    let _lock = lock(&place)?;
    // Under the lock, so no other build changes what is seen.
    let found = place::inspect(&place, kind)?;
    let kept = reusable_kept_folder(&place, kind)?;
    remove_leftovers(&place, kind);

    let staging = place
        .parent
        .join(format!("{}{}", place.staging_prefix(), std::process::id()));
    let (old, reused) = match kept {
        Some(old) if std::fs::rename(place.kept(), &staging).is_ok() => (old, true),
        _ => {
            std::fs::create_dir(&staging).map_err(|error| {
                BuildError::environment(
                    Trouble::FileSystem,
                    format!(
                        "cannot create the staging folder `{}`: {error}",
                        staging.display()
                    ),
                )
            })?;
            (None, false)
        }
    };
    let (foreign, updated) = rayon::join(
        || match &found {
            Found::Ours(manifest) => place::refuse_foreign(&place, manifest),
            _ => Ok(()),
        },
        || tree::update(entries, &staging, kind, old.as_ref(), faults, producer),
    );
    let result = match (foreign, updated) {
        (Err(refusal), _) => Err(refusal),
        (Ok(()), Err(trouble)) => Err(explain(trouble, &place, reused)),
        (Ok(()), Ok(())) => producer.verdict().and_then(|()| swap_in(&staging, &place).map_err(|error| {
            BuildError::environment(Trouble::FileSystem, format!(
                "could not put the new {} in place at `{}`: {error}; the previous one there is unchanged",
                kind_word(kind),
                place.shown.display()
            ))
        })),
    };
    if result.is_err() && std::fs::rename(&staging, place.kept()).is_err() {
        remove_ours(&staging, kind);
    }
    result.map(|()| Published {
        files: entries.len(),
    })
}

fn kind_word(kind: Kind) -> &'static str {
    match kind {
        Kind::Site => "site",
        Kind::Report => "report",
    }
}

fn explain(trouble: WriteFailure, place: &Place, reused: bool) -> BuildError {
    let kept = place.kept();
    match trouble {
        WriteFailure::Foreign(path) => BuildError::environment(
            Trouble::UnsafeOutput,
            format!(
                "`{}` is in Pamphlet's copy of the previous site, but Pamphlet did not write it; move it elsewhere (or delete the folder `{}`), then build again; the published site is unchanged",
                kept.join(&path).display(),
                kept.display()
            ),
        ),
        WriteFailure::Io(error) if reused => BuildError::environment(
            Trouble::FileSystem,
            format!(
                "could not update Pamphlet's copy of the previous site, `{}`: {error}; delete that folder, then build again; the published site at `{}` is unchanged",
                kept.display(),
                place.shown.display()
            ),
        ),
        WriteFailure::Io(error) => BuildError::environment(
            Trouble::FileSystem,
            format!(
                "could not write the site to `{}`: {error}; the previous site there is unchanged",
                place.shown.display()
            ),
        ),
    }
}

/// The previous site kept beside the output, if it may become the staging
/// folder: it must be a real folder holding Pamphlet's list (or nothing).
/// Anything else by that name is someone's, and is left alone.
fn reusable_kept_folder(
    place: &Place,
    kind: Kind,
) -> Result<Option<Option<manifest::Manifest>>, BuildError> {
    let kept = place.kept();
    let in_the_way = |what: &str| {
        BuildError::environment(
            Trouble::UnsafeOutput,
            format!(
                "`{}` is {what}; Pamphlet keeps the previous site under that name and will not touch what it did not write: move or delete it, then build again",
                kept.display()
            ),
        )
    };
    let meta = match std::fs::symlink_metadata(&kept) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(in_the_way(&format!("unreadable ({error})"))),
        Ok(meta) => meta,
    };
    if meta.is_symlink() {
        return Err(in_the_way("a link"));
    }
    if !meta.is_dir() {
        return Err(in_the_way("a file, not a folder"));
    }
    match manifest::Manifest::read(&kept) {
        Ok(Some(manifest)) if manifest.kind == kind => Ok(Some(Some(manifest))),
        Ok(Some(_)) => Err(in_the_way("a folder of another kind")),
        Ok(None) if is_empty(&kept) => Ok(Some(None)),
        Ok(None) => Err(in_the_way("a folder of files Pamphlet did not write")),
        Err(error) => Err(in_the_way(&format!(
            "a folder whose list cannot be read ({error})"
        ))),
    }
}

fn is_empty(folder: &Path) -> bool {
    std::fs::read_dir(folder).is_ok_and(|mut entries| entries.next().is_none())
}

/// Holds `.NAME.lock` beside the output for as long as it lives, so two
/// builds never publish into one folder at once.
struct PublishLock {
    _file: std::fs::File,
}

fn lock(place: &Place) -> Result<PublishLock, BuildError> {
    use rustix::fs::{FlockOperation, flock};
    use std::os::unix::fs::OpenOptionsExt;
    let path = place.lock_file();
    // Never truncated and never through a link: a file of that name that is
    // not ours is only read-locked, not changed.
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32)
        .open(&path)
        .map_err(|error| {
            BuildError::environment(Trouble::FileSystem, format!(
                "cannot use the lock file `{}` ({error}); if it is a link or a folder, delete it, then build again",
                path.display()
            ))
        })?;
    match flock(&file, FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => Ok(PublishLock { _file: file }),
        Err(_) => Err(BuildError::environment(
            Trouble::Busy,
            format!(
                "another pamphlet build is publishing to `{}` right now; wait for it to finish, then run this again",
                place.shown.display()
            ),
        )),
    }
}

/// Staging folders of builds that were killed part-way. Only called while
/// holding the lock, so none of them belongs to a running build; only
/// what their lists name is removed.
fn remove_leftovers(place: &Place, kind: Kind) {
    let prefix = place.staging_prefix();
    let Ok(entries) = std::fs::read_dir(&place.parent) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            remove_ours(&entry.path(), kind);
        }
    }
}

/// Removes a staging folder of Pamphlet's: the files its list names, then
/// the folders left empty. Anything else in it stays.
fn remove_ours(folder: &Path, kind: Kind) {
    let is_real_folder = std::fs::symlink_metadata(folder).is_ok_and(|meta| meta.is_dir());
    if !is_real_folder {
        return;
    }
    if let Ok(Some(list)) = manifest::Manifest::read(folder)
        && list.kind == kind
    {
        for file in &list.files {
            let _ = std::fs::remove_file(folder.join(file));
        }
        let mut folders: Vec<&str> = list.folders().into_iter().collect();
        // Deepest first.
        folders.sort_unstable_by_key(|f| std::cmp::Reverse(f.len()));
        for sub in folders {
            let _ = std::fs::remove_dir(folder.join(sub));
        }
        let _ = std::fs::remove_file(folder.join(manifest::FILE));
    }
    let _ = std::fs::remove_dir(folder);
}

/// Puts `staging` where the output is, and keeps the folder it replaces
/// beside it for the next build. On Linux an existing folder is exchanged
/// in one atomic step, so a reader never finds it missing.
fn swap_in(staging: &Path, place: &Place) -> std::io::Result<()> {
    let out = &place.folder;
    let Ok(meta) = std::fs::symlink_metadata(out) else {
        return std::fs::rename(staging, out);
    };
    // A web server's folder keeps the permissions its owner gave it.
    let _ = std::fs::set_permissions(staging, meta.permissions());
    let kept: PathBuf = place.kept();
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        if renameat_with(CWD, staging, CWD, out, RenameFlags::EXCHANGE).is_ok() {
            // The new site is published. `staging` now holds the one it
            // replaced; if it cannot be kept, the next build removes it.
            let _ = std::fs::rename(staging, kept);
            return Ok(());
        }
    }
    std::fs::rename(out, &kept)?;
    if let Err(error) = std::fs::rename(staging, out) {
        std::fs::rename(&kept, out)?;
        return Err(error);
    }
    Ok(())
}
