//! What a path written in an article names once the site is published:
//! a page (by its published folder), a file beside the articles, or a file
//! of the site's or the theme's `static/` folder. Check asks it to refuse
//! what names nothing; render asks it to write a path that works where the
//! page is published.

use std::collections::HashMap;
use std::path::Path;

use super::Site;
use crate::diagnostics::closest;

/// A folder with more entries than this gets no "did you mean": comparing
/// a broken name with every entry of a huge folder, for every broken link,
/// would make a hostile site cost the square of its size.
const MOST_COMPARED: usize = 500;

/// What a local path of the site names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Published {
    /// The page at this index of `Site::pages`.
    Page(usize),
    /// A file copied as it is, published at the path asked for.
    File,
}

/// Why a local path names nothing the site publishes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unresolved {
    /// Nothing of that name; perhaps the closest name in the same folder.
    Missing {
        /// The nearest name in the folder, to suggest.
        closest: Option<String>,
    },
    /// It exists with other capitals: fine on a Mac, broken on the Linux
    /// server most sites are hosted on.
    WrongCase {
        /// The path as the site spells it.
        actual: String,
    },
}

/// Every path a local link may name, built once per site on first use.
#[derive(Debug, Default)]
pub struct LocalIndex {
    exact: HashMap<String, Published>,
    /// The lower-case form of each path, to recognise wrong capitals.
    folded: HashMap<String, String>,
    by_folder: HashMap<String, Vec<String>>,
}

impl LocalIndex {
    /// Indexes every page and file the site publishes.
    pub fn of(site: &Site<'_>) -> Self {
        let mut index = LocalIndex::default();
        for (position, page) in site.pages.iter().enumerate() {
            if page.front.draft {
                continue;
            }
            let folder = page
                .output_path
                .strip_suffix("index.html")
                .unwrap_or(&page.output_path)
                .trim_end_matches('/');
            index.add(folder.to_owned(), Published::Page(position));
            index.add(page.output_path.clone(), Published::Page(position));
        }
        for asset in &site.assets {
            index.add(asset.clone(), Published::File);
        }
        for dir in site.static_dirs() {
            for entry in walkdir::WalkDir::new(&dir).into_iter().flatten() {
                if entry.file_type().is_file()
                    && let Ok(relative) = entry.path().strip_prefix(&dir)
                {
                    index.add(
                        relative.to_string_lossy().replace('\\', "/"),
                        Published::File,
                    );
                }
            }
        }
        index
    }

    fn add(&mut self, path: String, published: Published) {
        self.folded.insert(path.to_lowercase(), path.clone());
        let folder = parent(&path).to_owned();
        self.by_folder.entry(folder).or_default().push(path.clone());
        self.exact.entry(path).or_insert(published);
    }

    /// What `site_path` (from `LinkTarget::Local`) names.
    pub fn find(&self, site_path: &str) -> Result<Published, Unresolved> {
        if let Some(published) = self.exact.get(site_path) {
            return Ok(*published);
        }
        if let Some(actual) = self.folded.get(&site_path.to_lowercase()) {
            return Err(Unresolved::WrongCase {
                actual: actual.clone(),
            });
        }
        let siblings = self
            .by_folder
            .get(parent(site_path))
            .filter(|names| names.len() <= MOST_COMPARED);
        let closest = siblings
            .and_then(|names| closest(site_path, names.iter().map(String::as_str)))
            .map(str::to_owned);
        Err(Unresolved::Missing { closest })
    }
}

fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(folder, _)| folder)
}

/// Whether a browser shows the file at `path` as an image.
pub fn is_image(path: &str) -> bool {
    let extension = Path::new(path)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    matches!(
        extension.as_str(),
        "png" | "jpg" | "jpeg" | "gif" | "webp" | "avif" | "svg" | "bmp" | "ico"
    )
}
