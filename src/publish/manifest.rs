//! How Pamphlet knows a folder is its own: every folder it publishes holds
//! `.pamphlet-output`, naming what the folder is (the site or the review
//! report) and every file Pamphlet wrote into it. A folder without one, or a
//! file the list does not name, belongs to someone else and is never moved,
//! overwritten or removed.
//!
//! The list is written before the files it names (see `tree`), so a build
//! killed at any point leaves nothing behind that its list does not cover.

use std::collections::HashSet;
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};

use crate::nofollow;

/// The name of the list inside each folder Pamphlet publishes.
pub const FILE: &str = ".pamphlet-output";

/// What a published folder is for; a build never replaces a report, and a
/// report never replaces the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The published site.
    Site,
    /// The review report.
    Report,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::Site => "site",
            Kind::Report => "report",
        }
    }

    /// How a person would name such a folder.
    pub fn described(self) -> &'static str {
        match self {
            Kind::Site => "the published site",
            Kind::Report => "a review report",
        }
    }
}

/// The files Pamphlet wrote into one folder, by path relative to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// What the folder holds.
    pub kind: Kind,
    /// Every file Pamphlet wrote there, relative to the folder.
    pub files: HashSet<String>,
}

const HEADER: &str = "pamphlet-output 1";

/// Operating systems drop these into any folder a person opens; they hold
/// nothing of the person's, so they never make a folder foreign.
pub fn is_system_litter(name: &str) -> bool {
    matches!(name, ".DS_Store" | "Thumbs.db" | "desktop.ini")
}

impl Manifest {
    /// The list for a folder of `kind` holding `files`.
    pub fn new(kind: Kind, files: impl IntoIterator<Item = String>) -> Self {
        Self {
            kind,
            files: files.into_iter().collect(),
        }
    }

    /// The folders that hold a listed file: Pamphlet made them.
    pub fn folders(&self) -> HashSet<&str> {
        self.files
            .iter()
            .flat_map(|file| {
                file.match_indices('/')
                    .map(move |(slash, _)| &file[..slash])
            })
            .collect()
    }

    /// Reads the list in `folder`. `Ok(None)`: there is none, so the folder
    /// is not Pamphlet's. A list that cannot be read or understood is an
    /// error: guessing would risk someone's files.
    pub fn read(folder: &Path) -> io::Result<Option<Self>> {
        let file = match nofollow::open(&folder.join(FILE)) {
            Ok(file) => file,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(error),
        };
        let mut lines = io::BufReader::new(file).lines();
        let header = lines.next().transpose()?.unwrap_or_default();
        let kind = match header.strip_prefix(HEADER).map(str::trim) {
            Some("site") => Kind::Site,
            Some("report") => Kind::Report,
            _ => return Err(io::Error::other(format!("`{FILE}` is not Pamphlet's list"))),
        };
        let mut files = HashSet::new();
        for line in lines {
            let path: String = serde_json::from_str(&line?)
                .map_err(|_| io::Error::other(format!("`{FILE}` is damaged")))?;
            files.insert(path);
        }
        Ok(Some(Self { kind, files }))
    }

    /// Writes the list into `folder`, replacing an older one (never through
    /// a link).
    pub fn write(&self, folder: &Path) -> io::Result<()> {
        let mut text = String::with_capacity(self.files.len() * 48);
        text.push_str(HEADER);
        text.push(' ');
        text.push_str(self.kind.word());
        text.push('\n');
        let mut sorted: Vec<&String> = self.files.iter().collect();
        sorted.sort_unstable();
        for path in sorted {
            // JSON strings: a file name may hold a line break.
            text.push_str(&serde_json::to_string(path).map_err(io::Error::other)?);
            text.push('\n');
        }
        let mut file = nofollow::create(&folder.join(FILE))?;
        file.write_all(text.as_bytes())
    }

    /// Entries under `folder` that this list does not account for, at most
    /// `limit` of them, as paths relative to `folder`.
    pub fn foreign_entries(&self, folder: &Path, limit: usize) -> io::Result<Vec<PathBuf>> {
        let folders = self.folders();
        let mut found = Vec::new();
        let mut walk = walkdir::WalkDir::new(folder).min_depth(1).into_iter();
        while let Some(entry) = walk.next() {
            let entry = entry.map_err(io::Error::other)?;
            let relative = entry.path().strip_prefix(folder).unwrap_or(entry.path());
            let ours = match relative.to_str() {
                Some(path) if entry.file_type().is_dir() => folders.contains(path),
                Some(path) => {
                    path == FILE
                        || self.files.contains(path)
                        || is_system_litter(&entry.file_name().to_string_lossy())
                }
                None => false,
            };
            if !ours {
                found.push(relative.to_path_buf());
                if entry.file_type().is_dir() {
                    walk.skip_current_dir();
                }
                if found.len() >= limit {
                    break;
                }
            }
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_reads_back_as_written_even_with_awkward_names() {
        let dir = tempfile::tempdir().unwrap();
        let manifest = Manifest::new(
            Kind::Report,
            ["index.html", "a/b/c.html", "odd\nname.txt", "ä ü.png"].map(String::from),
        );
        manifest.write(dir.path()).unwrap();
        assert_eq!(Manifest::read(dir.path()).unwrap(), Some(manifest));
    }

    #[test]
    fn a_folder_without_a_list_is_not_pamphlets_and_a_damaged_list_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Manifest::read(dir.path()).unwrap(), None);
        std::fs::write(dir.path().join(FILE), "someone else's file\n").unwrap();
        assert!(Manifest::read(dir.path()).is_err());
    }

    #[test]
    fn files_and_folders_the_list_does_not_name_are_foreign() {
        let dir = tempfile::tempdir().unwrap();
        let manifest = Manifest::new(Kind::Site, ["a/index.html".to_owned()]);
        std::fs::create_dir_all(dir.path().join("a")).unwrap();
        std::fs::create_dir_all(dir.path().join("mine/deep")).unwrap();
        std::fs::write(dir.path().join("a/index.html"), "").unwrap();
        std::fs::write(dir.path().join("a/notes.txt"), "").unwrap();
        std::fs::write(dir.path().join(".DS_Store"), "").unwrap();
        std::fs::write(dir.path().join("mine/deep/x"), "").unwrap();
        let mut foreign = manifest.foreign_entries(dir.path(), 10).unwrap();
        foreign.sort();
        assert_eq!(
            foreign,
            [PathBuf::from("a/notes.txt"), PathBuf::from("mine")]
        );
    }
}
