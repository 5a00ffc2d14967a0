//! Brings a staging folder up to date with what a build publishes. The
//! folder may be new, the site the last build replaced, or one a killed
//! build left half-written: whatever its list names and the new site does
//! not have is removed, each file is compared, and only what differs is
//! written. Nothing its list does not name is ever removed.

use std::collections::{BTreeSet, HashSet};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::manifest::{self, Kind, Manifest};
use crate::nofollow;

/// Where a published file's bytes come from.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    /// Rendered in memory.
    Memory(&'a [u8]),
    /// A file copied as it is (an image beside an article, a theme's
    /// stylesheet), read as a stream and never through a link.
    Disk(&'a Path),
    /// Made only as it is written, by the [`super::Producer`]: a page,
    /// rendered and verified, whose HTML is dropped once it is on disk.
    Produced(usize),
}

/// One file of the output, by its path relative to the output folder.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    /// Where it goes, relative to the output folder.
    pub path: &'a str,
    /// Where its bytes come from.
    pub source: Source<'a>,
}

/// Why a staging folder could not be brought up to date.
#[derive(Debug)]
pub(super) enum WriteFailure {
    Io(io::Error),
    /// Something in the folder that Pamphlet did not write, relative to it.
    Foreign(PathBuf),
}

impl From<io::Error> for WriteFailure {
    fn from(error: io::Error) -> Self {
        WriteFailure::Io(error)
    }
}

/// Makes `staging` hold exactly `entries` and a list naming them. `old` is
/// the list the folder holds now (`None` for a new or empty folder).
pub(super) fn update(
    entries: &[Entry<'_>],
    staging: &Path,
    kind: Kind,
    old: Option<&Manifest>,
    faults: &dyn super::Faults,
    producer: &dyn super::Producer,
) -> Result<(), WriteFailure> {
    let wanted: HashSet<&str> = entries.iter().map(|entry| entry.path).collect();
    let folders: BTreeSet<&str> = wanted
        .iter()
        .flat_map(|file| {
            file.match_indices('/')
                .map(move |(slash, _)| &file[..slash])
        })
        .collect();

    // Listed before written: a build killed from here on leaves only files
    // its list names, which the next build may then remove.
    let mut listed = old.map(|old| old.files.clone()).unwrap_or_default();
    listed.extend(wanted.iter().map(|path| (*path).to_owned()));
    Manifest::new(kind, listed).write(staging)?;

    let kept_folders = remove_unwanted(staging, old, &wanted, &folders)?;
    // In order, so a parent is made before its children; folders the kept
    // site already has cost no system call.
    for folder in folders.iter().filter(|f| !kept_folders.contains(*f)) {
        std::fs::create_dir(staging.join(folder))?;
    }
    let written = AtomicUsize::new(0);
    entries.par_iter().try_for_each(|entry| {
        let count = written.fetch_add(1, Ordering::SeqCst);
        faults.before_writing(count)?;
        let target = staging.join(entry.path);
        match entry.source {
            Source::Memory(bytes) => write_if_different(&target, bytes),
            Source::Disk(from) => copy_if_different(from, &target),
            Source::Produced(index) => write_if_different(&target, &producer.bytes(index)),
        }
    })?;
    Manifest::new(kind, wanted.iter().map(|path| (*path).to_owned())).write(staging)?;
    Ok(())
}

/// Removes from `staging` what the new output does not have, and anything
/// at a wanted path that is not a plain file (a link, a folder), as long as
/// `old` names it. Returns the wanted folders already there.
fn remove_unwanted<'f>(
    staging: &Path,
    old: Option<&Manifest>,
    wanted: &HashSet<&str>,
    folders: &BTreeSet<&'f str>,
) -> Result<HashSet<&'f str>, WriteFailure> {
    let owned_folders = old.map(Manifest::folders).unwrap_or_default();
    let owned = |path: &str| old.is_some_and(|old| old.files.contains(path));
    let mut kept = HashSet::new();
    // Contents first, so a folder is empty by the time it is reached.
    for entry in walkdir::WalkDir::new(staging)
        .min_depth(1)
        .contents_first(true)
    {
        let entry = entry.map_err(io::Error::other)?;
        let relative = entry.path().strip_prefix(staging).unwrap_or(entry.path());
        let Some(path) = relative.to_str() else {
            return Err(WriteFailure::Foreign(relative.to_path_buf()));
        };
        if path == manifest::FILE {
            continue;
        }
        let kind = entry.file_type();
        if kind.is_dir() {
            if let Some(folder) = folders.get(path) {
                kept.insert(*folder);
            } else if owned_folders.contains(path) || owned(path) {
                // Empty by now: anything foreign inside stopped the walk.
                std::fs::remove_dir(entry.path())?;
            } else {
                return Err(WriteFailure::Foreign(relative.to_path_buf()));
            }
        } else if owned(path) || manifest::is_system_litter(&entry.file_name().to_string_lossy()) {
            if !(kind.is_file() && wanted.contains(path)) {
                std::fs::remove_file(entry.path())?;
            }
        } else {
            return Err(WriteFailure::Foreign(relative.to_path_buf()));
        }
    }
    Ok(kept)
}

fn write_if_different(target: &Path, bytes: &[u8]) -> io::Result<()> {
    if holds(target, bytes.len() as u64, &mut &*bytes)? {
        return Ok(());
    }
    nofollow::create(target)?.write_all(bytes)
}

/// Copies by streaming: a large video costs a buffer, not its size.
fn copy_if_different(from: &Path, target: &Path) -> io::Result<()> {
    let mut source = nofollow::open(from).map_err(|error| named(from, error))?;
    let size = source.metadata()?.len();
    if holds(target, size, &mut source)? {
        return Ok(());
    }
    let mut source = nofollow::open(from).map_err(|error| named(from, error))?;
    io::copy(&mut source, &mut nofollow::create(target)?)?;
    Ok(())
}

fn named(path: &Path, error: io::Error) -> io::Error {
    io::Error::new(error.kind(), format!("`{}`: {error}", path.display()))
}

/// Whether the plain file at `path` holds exactly what `expected` yields
/// (`size` bytes), compared piece by piece.
fn holds(path: &Path, size: u64, expected: &mut impl Read) -> io::Result<bool> {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return Ok(false);
    };
    if !meta.is_file() || meta.len() != size {
        return Ok(false);
    }
    let Ok(mut existing) = nofollow::open(path) else {
        return Ok(false);
    };
    let (mut left, mut right) = ([0u8; 16 * 1024], [0u8; 16 * 1024]);
    loop {
        let read = expected.read(&mut left)?;
        if read == 0 {
            return Ok(existing.read(&mut right[..1])? == 0);
        }
        if existing.read_exact(&mut right[..read]).is_err() || left[..read] != right[..read] {
            return Ok(false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Publishes a one-page site into `dir`, which holds what `old` lists.
    fn publish_index(dir: &Path, old: &Manifest) -> Result<(), WriteFailure> {
        let entry = Entry {
            path: "index.html",
            source: Source::Memory(b"new"),
        };
        update(
            &[entry],
            dir,
            Kind::Site,
            Some(old),
            &crate::publish::NoFaults,
            &crate::publish::NothingProduced,
        )
    }

    #[test]
    fn a_file_not_on_the_list_stops_the_update_and_survives() {
        let dir = tempfile::tempdir().unwrap();
        let old = Manifest::new(Kind::Site, ["old.html".to_owned()]);
        old.write(dir.path()).unwrap();
        std::fs::write(dir.path().join("old.html"), "old").unwrap();
        std::fs::write(dir.path().join("mine.txt"), "precious").unwrap();
        let result = publish_index(dir.path(), &old);
        assert!(
            matches!(result, Err(WriteFailure::Foreign(path)) if path == Path::new("mine.txt"))
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("mine.txt")).unwrap(),
            "precious"
        );
    }

    #[test]
    fn a_link_at_an_output_path_is_replaced_not_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(outside.path(), "outside").unwrap();
        let old = Manifest::new(Kind::Site, ["index.html".to_owned()]);
        std::os::unix::fs::symlink(outside.path(), dir.path().join("index.html")).unwrap();
        publish_index(dir.path(), &old).unwrap();
        assert_eq!(std::fs::read_to_string(outside.path()).unwrap(), "outside");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("index.html")).unwrap(),
            "new"
        );
    }

    #[test]
    fn comparing_streams_finds_a_difference_anywhere() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        let bytes: Vec<u8> = (0..100_000u32).map(|n| (n % 251) as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        assert!(holds(&path, bytes.len() as u64, &mut bytes.as_slice()).unwrap());
        let mut changed = bytes.clone();
        changed[70_000] ^= 1;
        assert!(!holds(&path, bytes.len() as u64, &mut changed.as_slice()).unwrap());
    }
}
