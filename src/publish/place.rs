//! Where an output folder may be. Publishing replaces the folder whole, so
//! before anything is written the folder is resolved (through a link, if it
//! is one) and refused when it is, holds or lies inside the site's sources,
//! lies inside another folder Pamphlet replaces, or already holds someone
//! else's files.

use std::io;
use std::path::{Component, Path, PathBuf};

use super::manifest::{self, Kind, Manifest};
use crate::errors::{BuildError, Trouble};

/// An output folder, resolved.
#[derive(Debug, Clone)]
pub struct Place {
    /// What the person typed, for messages.
    pub shown: PathBuf,
    /// The real folder: links followed, no `.` or `..`.
    pub folder: PathBuf,
    /// The folder holding it: the lock, the staging folder and the
    /// previous site are kept here.
    pub parent: PathBuf,
    /// The output folder's own name.
    pub name: String,
}

/// What is at the output path now.
#[derive(Debug)]
pub enum Found {
    /// Nothing: the folder will be created.
    Nothing,
    /// An empty folder: there is nothing in it to lose.
    Empty,
    /// A folder Pamphlet wrote, with the list of what it wrote.
    Ours(Manifest),
}

impl Place {
    /// `.NAME.previous`: the site the last build replaced, kept to become
    /// the next build's staging folder.
    pub fn kept(&self) -> PathBuf {
        self.parent.join(format!(".{}.previous", self.name))
    }

    /// The lock that keeps two builds from publishing to one place at once.
    pub fn lock_file(&self) -> PathBuf {
        self.parent.join(format!(".{}.lock", self.name))
    }

    /// The start of the name of the folder a build is written into before the swap.
    pub fn staging_prefix(&self) -> String {
        format!(".{}.staging-", self.name)
    }
}

fn environment(message: String) -> BuildError {
    BuildError::environment(Trouble::UnsafeOutput, message)
}

/// Resolves `out` and refuses a place that would replace the site's own
/// files. Touches nothing.
pub fn resolve(root: &Path, out: &Path, kind: Kind) -> Result<Place, BuildError> {
    let folder = real_path(out).map_err(|error| {
        environment(format!(
            "cannot use `{}` as the output folder: {error}",
            out.display()
        ))
    })?;
    let name = folder
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .ok_or_else(|| {
            environment(format!(
                "`{}` cannot be the output folder; name a folder of its own, such as public",
                out.display()
            ))
        })?;
    let parent = folder.parent().unwrap_or(Path::new("/")).to_path_buf();
    let place = Place {
        shown: out.to_path_buf(),
        folder,
        parent,
        name,
    };
    refuse_sources(root, &place, kind)?;
    refuse_inside_another_output(&place)?;
    Ok(place)
}

/// The folder `path` names, with every link in it followed and `.` and
/// `..` worked out; the part that does not exist yet is taken as written.
fn real_path(path: &Path) -> io::Result<PathBuf> {
    let absolute = std::path::absolute(path)?;
    let mut existing = absolute.as_path();
    let mut missing = Vec::new();
    loop {
        match std::fs::symlink_metadata(existing) {
            Ok(_) => break,
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                missing.push(existing.file_name().ok_or(error)?.to_owned());
                existing = existing.parent().unwrap_or(Path::new("/"));
            }
            Err(error) => return Err(error),
        }
    }
    let mut real = std::fs::canonicalize(existing).map_err(|error| {
        if std::fs::symlink_metadata(existing).is_ok_and(|m| m.is_symlink()) {
            io::Error::other(format!(
                "`{}` is a link to a place that does not exist ({error})",
                existing.display()
            ))
        } else {
            error
        }
    })?;
    for part in missing.iter().rev() {
        match Path::new(part).components().next() {
            Some(Component::Normal(_)) => real.push(part),
            _ => {
                return Err(io::Error::other(
                    "write the path without `.` or `..` after a folder that does not exist yet",
                ));
            }
        }
    }
    Ok(real)
}

/// The site's sources as real paths, with what to call each.
fn sources(root: &Path) -> Vec<(PathBuf, &'static str)> {
    let root = real_path(root).unwrap_or_else(|_| root.to_path_buf());
    let mut found = vec![(root.clone(), "the site folder")];
    for (name, what) in [
        (crate::load::CONTENT_DIR, "the articles (content/)"),
        ("themes", "the themes (themes/)"),
        ("static", "the site's static files (static/)"),
        ("templates", "the site's templates (templates/)"),
        (
            crate::load::ledger::LEDGER_DIR,
            "the record of sign-offs (signoffs/)",
        ),
        (crate::load::CONFIG_FILE, "the site settings (site.yaml)"),
    ] {
        // A source may itself be a link to a folder elsewhere.
        let path = real_path(&root.join(name)).unwrap_or_else(|_| root.join(name));
        found.push((path, what));
    }
    found
}

fn refuse_sources(root: &Path, place: &Place, kind: Kind) -> Result<(), BuildError> {
    let what_out = match kind {
        Kind::Site => "publish the site",
        Kind::Report => "write the report",
    };
    for (source, what) in sources(root) {
        let problem = if place.folder == source {
            Some("is")
        } else if source.starts_with(&place.folder) {
            Some("holds")
        } else if place.folder.starts_with(&source) && what != "the site folder" {
            Some("is inside")
        } else {
            None
        };
        if let Some(relation) = problem {
            return Err(environment(format!(
                "refusing to {what_out} into `{}`: it {relation} {what}, which would be replaced; choose another --out, such as a new folder named public",
                place.shown.display()
            )));
        }
    }
    Ok(())
}

/// A folder inside one Pamphlet replaces would be lost with it.
fn refuse_inside_another_output(place: &Place) -> Result<(), BuildError> {
    for ancestor in place.folder.ancestors().skip(1) {
        if let Ok(Some(manifest)) = Manifest::read(ancestor) {
            return Err(environment(format!(
                "refusing to write into `{}`: it is inside `{}`, which is {} and is replaced whole by each build; choose a folder outside it",
                place.shown.display(),
                ancestor.display(),
                manifest.kind.described()
            )));
        }
    }
    Ok(())
}

/// What is at the output folder now; refuses anything Pamphlet may not
/// replace: a file, a folder of another kind, or someone else's folder.
pub fn inspect(place: &Place, kind: Kind) -> Result<Found, BuildError> {
    let shown = place.shown.display();
    match std::fs::metadata(&place.folder) {
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Found::Nothing),
        Err(error) => return Err(environment(format!("cannot use `{shown}`: {error}"))),
        Ok(meta) if !meta.is_dir() => {
            return Err(environment(format!(
                "`{shown}` exists and is a file, not a folder; choose another --out"
            )));
        }
        Ok(_) => {}
    }
    match Manifest::read(&place.folder) {
        Ok(Some(manifest)) if manifest.kind == kind => Ok(Found::Ours(manifest)),
        Ok(Some(manifest)) => Err(environment(format!(
            "refusing to replace `{shown}`: it holds {}, not {}; choose another --out",
            manifest.kind.described(),
            kind.described()
        ))),
        Err(error) => Err(environment(format!(
            "refusing to replace `{shown}`: its list of Pamphlet's files (`{}`) cannot be read ({error}); move the folder away or choose another --out",
            manifest::FILE
        ))),
        Ok(None) => {
            let mut entries = std::fs::read_dir(&place.folder)
                .map_err(|error| environment(format!("cannot read `{shown}`: {error}")))?;
            match entries.next() {
                None => Ok(Found::Empty),
                Some(entry) => {
                    let example = entry
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .unwrap_or_default();
                    Err(environment(format!(
                        "refusing to publish into `{shown}`: it already holds files Pamphlet did not write (such as `{example}`), and publishing replaces the whole folder; choose a new or empty folder with --out, or move those files elsewhere first"
                    )))
                }
            }
        }
    }
}

/// Refuses an output folder of Pamphlet's in which someone has since put
/// files of their own: replacing the folder would lose them.
pub fn refuse_foreign(place: &Place, manifest: &Manifest) -> Result<(), BuildError> {
    let foreign = manifest
        .foreign_entries(&place.folder, 5)
        .map_err(|error| {
            environment(format!("cannot read `{}`: {error}", place.shown.display()))
        })?;
    if foreign.is_empty() {
        return Ok(());
    }
    let named: Vec<String> = foreign
        .iter()
        .map(|path| format!("`{}`", place.shown.join(path).display()))
        .collect();
    Err(environment(format!(
        "refusing to replace `{}`: Pamphlet did not write {}, and publishing replaces the whole folder; move {} elsewhere (files meant for the site belong in static/), then build again",
        place.shown.display(),
        named.join(", "),
        if foreign.len() == 1 { "it" } else { "them" }
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_in_or_around_the_sources_are_refused_and_a_sibling_is_not() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        std::fs::create_dir_all(root.join("content/articles")).unwrap();
        std::fs::write(root.join("site.yaml"), "").unwrap();
        for refused in [
            root.to_path_buf(),
            root.join(".."),
            root.join("content"),
            root.join("content/articles/new"),
            root.join("themes"),
            root.join("static/x"),
            root.join("site.yaml"),
            PathBuf::from("/"),
        ] {
            assert!(
                resolve(root, &refused, Kind::Site).is_err(),
                "{} was allowed",
                refused.display()
            );
        }
        let allowed = resolve(root, &root.join("public"), Kind::Site).unwrap();
        assert_eq!(allowed.name, "public");
        assert!(resolve(root, &root.join("../elsewhere/out"), Kind::Report).is_ok());
    }

    #[test]
    fn a_link_is_resolved_to_the_folder_it_names() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::create_dir_all(root.join("www/html")).unwrap();
        std::os::unix::fs::symlink(root.join("www/html"), root.join("public")).unwrap();
        std::os::unix::fs::symlink(root.join("content"), root.join("sneaky")).unwrap();
        let place = resolve(root, &root.join("public"), Kind::Site).unwrap();
        assert_eq!(place.folder, root.join("www/html").canonicalize().unwrap());
        assert!(resolve(root, &root.join("sneaky"), Kind::Site).is_err());
        std::os::unix::fs::symlink(root.join("gone"), root.join("dangling")).unwrap();
        assert!(resolve(root, &root.join("dangling"), Kind::Site).is_err());
    }
}
