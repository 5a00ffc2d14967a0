//! From a request's path to a file of the preview. Only files the preview
//! rendered or was told to copy can be named; anything that tries to climb
//! out of the site (`..`, encoded or not, backslashes, NUL) is not found,
//! whatever is on disk.

use percent_encoding::percent_decode_str;

#[derive(Debug, PartialEq, Eq)]
pub(super) enum Resolved {
    /// Serve this output path.
    File(String),
    /// A folder asked for without its trailing slash: send the browser to
    /// `/folder/` so the page's relative links resolve.
    Redirect(String),
    NotFound,
}

/// Maps `/articles/side-effects/` to `articles/side-effects/index.html`;
/// `exists` says whether the preview has an output path.
pub(super) fn resolve(request_path: &str, exists: impl Fn(&str) -> bool) -> Resolved {
    let Some(path) = request_path.strip_prefix('/') else {
        return Resolved::NotFound;
    };
    let Ok(decoded) = percent_decode_str(path).decode_utf8() else {
        return Resolved::NotFound;
    };
    if decoded.contains(['\\', '\0']) {
        return Resolved::NotFound;
    }
    let mut segments = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" => {}
            "." | ".." => return Resolved::NotFound,
            // A drive letter or a scheme has no place in a site's address.
            segment if segment.contains(':') => return Resolved::NotFound,
            segment => segments.push(segment),
        }
    }
    let joined = segments.join("/");
    let wants_folder = decoded.is_empty() || decoded.ends_with('/');
    if wants_folder {
        let index = if joined.is_empty() {
            "index.html".to_owned()
        } else {
            format!("{joined}/index.html")
        };
        return if exists(&index) {
            Resolved::File(index)
        } else {
            Resolved::NotFound
        };
    }
    if exists(&joined) {
        return Resolved::File(joined);
    }
    if exists(&format!("{joined}/index.html")) {
        return Resolved::Redirect(format!("/{joined}/"));
    }
    Resolved::NotFound
}

/// The `Content-Type` of an output path, from its extension.
pub(super) fn content_type(output_path: &str) -> String {
    let guess = mime_guess::from_path(output_path).first_or_octet_stream();
    match guess.type_() {
        mime_guess::mime::TEXT | mime_guess::mime::APPLICATION
            if matches!(
                guess.subtype().as_str(),
                "html" | "css" | "javascript" | "xml" | "plain" | "json"
            ) =>
        {
            format!("{guess}; charset=utf-8")
        }
        _ => guess.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(path: &str) -> bool {
        matches!(
            path,
            "index.html" | "style.css" | "articles/index.html" | "articles/a/index.html"
        )
    }

    #[test]
    fn pretty_urls_name_folder_indexes() {
        assert_eq!(resolve("/", site), Resolved::File("index.html".into()));
        assert_eq!(
            resolve("/articles/a/", site),
            Resolved::File("articles/a/index.html".into())
        );
        assert_eq!(
            resolve("/style.css", site),
            Resolved::File("style.css".into())
        );
        assert_eq!(
            resolve("/articles/a/index.html", site),
            Resolved::File("articles/a/index.html".into())
        );
        assert_eq!(
            resolve("/articles/a", site),
            Resolved::Redirect("/articles/a/".into())
        );
        assert_eq!(resolve("/articles/b/", site), Resolved::NotFound);
    }

    #[test]
    fn nothing_outside_the_site_can_be_named() {
        let anything = |_: &str| true;
        for path in [
            "/../etc/passwd",
            "/articles/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/..%5c..%5cetc%5cpasswd",
            "/a/%00.html",
            "/C:/Windows/win.ini",
            "//etc/passwd/..",
            "etc/passwd",
            "/%ff%fe",
        ] {
            assert_eq!(resolve(path, anything), Resolved::NotFound, "{path}");
        }
    }

    #[test]
    fn content_types_follow_the_extension() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("search.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("favicon.svg"), "image/svg+xml");
        assert_eq!(content_type("photo.png"), "image/png");
        assert_eq!(content_type("sitemap.xml"), "text/xml; charset=utf-8");
    }
}
