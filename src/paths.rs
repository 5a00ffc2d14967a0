//! Where a content file is published, and what a relative link in markdown
//! points at. Load, check and render all ask these questions; answering them
//! in one place keeps a link that checks fine from rendering wrong.

/// The page a content file becomes, relative to the output folder, with
/// pretty URLs: `articles/side-effects.md` -> `articles/side-effects/index.html`,
/// `articles/_index.md` -> `articles/index.html`.
///
/// ```
/// use pamphlet::paths::output_path;
/// assert_eq!(output_path("articles/side-effects.md"), "articles/side-effects/index.html");
/// assert_eq!(output_path("_index.md"), "index.html");
/// ```
pub fn output_path(content_path: &str) -> String {
    let (folder, file) = match content_path.rsplit_once('/') {
        Some((folder, file)) => (Some(folder), file),
        None => (None, content_path),
    };
    let mut parts: Vec<String> = folder
        .into_iter()
        .flat_map(|folder| folder.split('/'))
        .map(slugify)
        .collect();
    if file != "_index.md" {
        parts.push(slugify(file.strip_suffix(".md").unwrap_or(file)));
    }
    parts.push("index.html".to_owned());
    parts.join("/")
}

/// The prefix that leads from a page back to the site root (`../../` for
/// `articles/side-effects/index.html`). Links are relative so the site works
/// from any folder of any host, and straight from the file system.
/// Where the page listing the articles of topic `id` is published.
pub fn topic_path(id: &str) -> String {
    format!("topics/{}/index.html", slugify(id))
}

/// Where the search page, and the index its script reads, are published.
pub const SEARCH_PAGE: &str = "search/index.html";
/// See [`SEARCH_PAGE`].
pub const SEARCH_INDEX: &str = "search-index.js";

/// The `../` steps from a published file back to the site root, so links work from any folder and from disk.
pub fn root_prefix(output_path: &str) -> String {
    "../".repeat(output_path.matches('/').count())
}

/// Lower-case letters and digits joined by single hyphens: how file names
/// become URL segments and heading text becomes anchors.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-' || c == '_' || c == '.') && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_matches('-').to_owned()
}

/// What a markdown link or image written by an editor points at, when it
/// points inside the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// `side-effects.md#common`: another content file, by its content path.
    Page {
        /// The file it names, by its path in `content/`.
        content_path: String,
        /// The heading it names, without `#`.
        anchor: Option<String>,
    },
    /// `#common`: a heading of the same page.
    SamePage {
        /// The heading's anchor, without `#`.
        anchor: String,
    },
    /// `leaflet.pdf`, `../images/arm.png`, `/conditions/warts/`: anything
    /// else of the site's own, by its path from the site's root (which is
    /// both content/ and the output folder), percent-decoded, without a
    /// trailing `/`. `rest` is the `?query#fragment` as written.
    Local {
        /// The path from the site's root.
        site_path: String,
        /// `?query#fragment`, as written.
        rest: String,
    },
}

/// Reads a link or image destination written in `from` (a content path).
/// Returns `None` for what leaves the site (web addresses, mail and phone
/// links) and for destinations with no path (`?x`).
pub fn resolve_link(from: &str, destination: &str) -> Option<LinkTarget> {
    if let Some(anchor) = destination.strip_prefix('#') {
        return Some(LinkTarget::SamePage {
            anchor: anchor.to_owned(),
        });
    }
    if has_scheme(destination) || is_elsewhere(destination) {
        return None;
    }
    let path_end = destination.find(['?', '#']).unwrap_or(destination.len());
    let (path, rest) = destination.split_at(path_end);
    if path.is_empty() {
        return None;
    }
    // Browsers read `\` as `/`; an editor on Windows may write it.
    let path = path.replace('\\', "/");
    let path = percent_encoding::percent_decode_str(&path)
        .decode_utf8_lossy()
        .into_owned();
    let mut parts: Vec<&str> = Vec::new();
    if !path.starts_with('/') {
        parts.extend(from.split('/'));
        parts.pop();
    }
    for part in path.split('/') {
        match part {
            "" | "." => {}
            // Climbing above the site's root keeps a `..`, which matches
            // nothing and so is reported as broken.
            ".." if parts.last().is_some_and(|last| *last != "..") => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    if path.ends_with(".md") {
        let anchor = rest.split_once('#').map(|(_, anchor)| anchor.to_owned());
        return Some(LinkTarget::Page {
            content_path: joined,
            anchor,
        });
    }
    Some(LinkTarget::Local {
        site_path: joined,
        rest: rest.to_owned(),
    })
}

/// `to` (a path from the site's root) as a link written in the content
/// file `from`: what an editor types to reach it.
///
/// ```
/// use pamphlet::paths::relative_from;
/// assert_eq!(relative_from("articles/a.md", "articles/b.md"), "b.md");
/// assert_eq!(relative_from("articles/a.md", "images/arm.png"), "../images/arm.png");
/// assert_eq!(relative_from("a.md", "articles/b.md"), "articles/b.md");
/// ```
pub fn relative_from(from: &str, to: &str) -> String {
    let from_folder: Vec<&str> = from.split('/').collect();
    let from_folder = &from_folder[..from_folder.len() - 1];
    let to_parts: Vec<&str> = to.split('/').collect();
    let shared = from_folder
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count()
        .min(to_parts.len() - 1);
    let mut written = "../".repeat(from_folder.len() - shared);
    written.push_str(&to_parts[shared..].join("/"));
    written
}

fn has_scheme(destination: &str) -> bool {
    scheme(destination).is_some()
}

/// The scheme of an address (`https` in `https://...`), or `None` for a
/// relative path. Link resolution and the unsafe-markup check both ask
/// this, so they can never disagree about which links leave the site.
pub fn scheme(address: &str) -> Option<&str> {
    let (scheme, _) = address.split_once(':')?;
    let valid = !scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some(scheme)
}

/// The scheme of an address as a browser reads it, lower case: spaces and
/// control characters inside it are ignored (`java\tscript:` is
/// `javascript:`).
pub fn scheme_as_browsers_read_it(address: &str) -> Option<String> {
    let cleaned: String = address
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    scheme(&cleaned).map(|s| s.to_ascii_lowercase())
}

/// Whether loading `address` would ask a host other than the site's own:
/// one with a scheme (other than `data:`, `mailto:`, `tel:`) or one that
/// starts `//` (browsers read `\\` and `/\` the same way, and drop tabs and
/// line breaks anywhere in an address first, so `/&#9;/host` is `//host`).
pub fn is_elsewhere(address: &str) -> bool {
    let mut start = address
        .trim_start_matches(|c: char| c.is_whitespace() || c.is_control())
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'));
    let slash = |c: Option<char>| matches!(c, Some('/' | '\\'));
    (slash(start.next()) && slash(start.next()))
        || scheme_as_browsers_read_it(address)
            .is_some_and(|s| !matches!(s.as_str(), "data" | "mailto" | "tel"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_of_other_hosts_are_told_from_the_sites_own() {
        for elsewhere in [
            "https://a.example/x",
            "//a.example/x",
            " HTTP://a",
            "\\\\a\\x",
            "\\/a",
            "/\t/a.example/x.png",
            "\n/\r\n/a.example",
            "ftp://a",
        ] {
            assert!(is_elsewhere(elsewhere), "{elsewhere}");
        }
        for own in [
            "x.png",
            "../x.png",
            "/x.png",
            "data:image/png;base64,AA",
            "#top",
            "mailto:a@b",
        ] {
            assert!(!is_elsewhere(own), "{own}");
        }
    }

    #[test]
    fn content_files_get_pretty_output_paths() {
        assert_eq!(output_path("_index.md"), "index.html");
        assert_eq!(output_path("articles/_index.md"), "articles/index.html");
        assert_eq!(
            output_path("articles/Side Effects.md"),
            "articles/side-effects/index.html"
        );
        assert_eq!(root_prefix("articles/side-effects/index.html"), "../../");
        assert_eq!(root_prefix("index.html"), "");
    }

    #[test]
    fn relative_markdown_links_resolve_against_the_linking_file() {
        let page = |path: &str, anchor: Option<&str>| LinkTarget::Page {
            content_path: path.to_owned(),
            anchor: anchor.map(str::to_owned),
        };
        assert_eq!(
            resolve_link("articles/a.md", "side-effects.md#common"),
            Some(page("articles/side-effects.md", Some("common")))
        );
        assert_eq!(
            resolve_link("articles/a.md", "../about.md"),
            Some(page("about.md", None))
        );
        assert_eq!(
            resolve_link("a.md", "../../x.md"),
            Some(page("../../x.md", None))
        );
        assert_eq!(
            resolve_link("a.md", "#top"),
            Some(LinkTarget::SamePage {
                anchor: "top".into()
            })
        );
        assert_eq!(resolve_link("a.md", "https://example.org/x.md"), None);
        assert_eq!(resolve_link("a.md", "//example.org/x.png"), None);
        assert_eq!(resolve_link("a.md", "mailto:someone@example.org"), None);
        assert_eq!(resolve_link("a.md", "?print"), None);
        assert_eq!(
            resolve_link("/abs.md", "/articles/b.md#x"),
            Some(page("articles/b.md", Some("x")))
        );
    }

    #[test]
    fn other_local_paths_resolve_from_the_sites_root() {
        let local = |path: &str, rest: &str| {
            Some(LinkTarget::Local {
                site_path: path.to_owned(),
                rest: rest.to_owned(),
            })
        };
        assert_eq!(
            resolve_link("articles/a.md", "arm.png"),
            local("articles/arm.png", "")
        );
        assert_eq!(
            resolve_link("articles/a.md", "../files/My%20leaflet.pdf#page=2"),
            local("files/My leaflet.pdf", "#page=2")
        );
        assert_eq!(
            resolve_link("articles/a.md", "/conditions/warts/?x=1"),
            local("conditions/warts", "?x=1")
        );
        assert_eq!(resolve_link("articles/a.md", "../"), local("", ""));
        assert_eq!(resolve_link("a.md", "../x.png"), local("../x.png", ""));
    }

    #[test]
    fn slugs_keep_letters_and_digits_only() {
        assert_eq!(slugify("What is ketamine?"), "what-is-ketamine");
        assert_eq!(slugify("  Side effects & risks "), "side-effects-risks");
        assert_eq!(slugify("Über 18"), "über-18");
    }
}
