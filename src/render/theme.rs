//! The theme: Tera templates and static files, read once per build. A site's
//! own `templates/` and `static/` folders override single theme files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::Tera;
use walkdir::WalkDir;

use crate::diagnostics::{Code, Diagnostic};
use crate::load::Site;
use crate::load::front_matter::locate;
use crate::render::markdown;
use crate::source::SourceFile;

/// Templates every theme must provide, one per kind of output.
pub const REQUIRED_TEMPLATES: [&str; 9] = [
    "index.html",
    "section.html",
    "article.html",
    "topic.html",
    "search.html",
    "404.html",
    "sitemap.xml",
    "atom.xml",
    "robots.txt",
];

/// A theme's templates, loaded and ready, with the site's disclaimers rendered once.
pub struct Theme {
    /// The templates.
    pub tera: Tera,
    /// Where each template came from, to name it in errors.
    pub template_files: BTreeMap<String, PathBuf>,
    /// Folders copied to the output as they are; later ones win.
    pub static_dirs: Vec<PathBuf>,
    /// Disclaimer texts from site.yaml, rendered once.
    pub disclaimers: BTreeMap<String, String>,
}

/// Loads the site's theme: its templates, or every problem with them.
pub fn load(site: &Site<'_>) -> Result<Theme, Vec<Diagnostic>> {
    let theme_dir = site.root.join("themes").join(&site.config.theme);
    if !theme_dir.join("templates").is_dir() {
        let file = site.config_file;
        return Err(vec![
            Diagnostic::error(
                Code::SiteConfig,
                format!("there is no theme `{}` in themes/", site.config.theme),
            )
            .at(file, locate(file, &(0..file.text.len()), "theme", Some(&site.config.theme)))
            .hint("set `theme:` to the name of a folder in themes/ that has a templates/ folder (the default theme is `clinic`)"),
        ]);
    }

    let mut sources: BTreeMap<String, SourceFile> = BTreeMap::new();
    let mut problems = Vec::new();
    for folder in [theme_dir.join("templates"), site.root.join("templates")] {
        collect_templates(&site.root, &folder, &mut sources, &mut problems);
    }
    for required in REQUIRED_TEMPLATES {
        if !sources.contains_key(required) {
            problems.push(
                Diagnostic::error(
                    Code::Template,
                    format!("the theme has no template `{required}`"),
                )
                .in_file(theme_dir.join("templates").strip_prefix(&site.root).unwrap_or(&theme_dir))
                .hint(format!("add `{required}` to the theme's templates/ folder, or copy it from themes/clinic")),
            );
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    let mut tera = Tera::default();
    // Tera's own escaper also rewrites `/` as `&#x2F;`, which garbles every
    // URL in the sitemap and feed. Templates quote attributes with `"`, so
    // escaping `& < > "` is what safety needs.
    tera.set_escape_fn(escape_for_templates);
    let raw: Vec<(&str, &str)> = sources
        .iter()
        .map(|(name, file)| (name.as_str(), &*file.text))
        .collect();
    if let Err(error) = tera.add_raw_templates(raw) {
        return Err(vec![template_problem(&error, &sources)]);
    }

    let static_dirs = site.static_dirs();
    let disclaimers = site
        .config
        .disclaimers
        .iter()
        .map(|(id, disclaimer)| (id.clone(), markdown::plain(&disclaimer.text)))
        .collect();
    Ok(Theme {
        tera,
        template_files: sources
            .into_iter()
            .map(|(name, file)| (name, file.path))
            .collect(),
        static_dirs,
        disclaimers,
    })
}

fn escape_for_templates(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut escaped, text)
        .expect("writing into a String cannot fail");
    escaped
}

fn collect_templates(
    root: &Path,
    folder: &Path,
    sources: &mut BTreeMap<String, SourceFile>,
    problems: &mut Vec<Diagnostic>,
) {
    if !folder.is_dir() {
        return;
    }
    for entry in WalkDir::new(folder)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if !entry.file_type().is_file() || entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let name = entry
            .path()
            .strip_prefix(folder)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        let display = entry.path().strip_prefix(root).unwrap_or(entry.path());
        match std::fs::read_to_string(entry.path()) {
            Ok(text) => {
                sources.insert(name, SourceFile::new(display, text));
            }
            Err(error) => problems.push(
                Diagnostic::error(
                    Code::Unreadable,
                    format!("this template cannot be read: {error}"),
                )
                .in_file(display),
            ),
        }
    }
}

/// Tera's errors come as a chain ("Failed to parse 'x'" caused by the
/// parser's message with a `--> line:column` marker); this keeps the whole
/// chain and points at the line when Tera names one.
pub fn template_problem(error: &tera::Error, sources: &BTreeMap<String, SourceFile>) -> Diagnostic {
    let chain = error_chain(error);
    let message = chain.join(": ");
    let diagnostic = Diagnostic::error(Code::Template, format!("a template has an error: {message}"))
        .hint("fix the template named above; `pamphlet build` shows the theme's templates in themes/<name>/templates/");
    let named = sources
        .iter()
        .find(|(name, _)| chain[0].contains(&format!("'{name}'")));
    match (named, line_and_column(&message)) {
        (Some((_, file)), Some((line, column))) => diagnostic.at_line(file, line, column),
        (Some((_, file)), None) => diagnostic.in_file(&file.path),
        (None, _) => diagnostic,
    }
}

/// Tera's error and each error it was caused by, outermost first.
pub fn error_chain(error: &tera::Error) -> Vec<String> {
    let mut chain = Vec::new();
    let mut cause: Option<&dyn std::error::Error> = Some(error);
    while let Some(inner) = cause {
        chain.push(inner.to_string());
        cause = inner.source();
    }
    chain
}

fn line_and_column(message: &str) -> Option<(usize, usize)> {
    let after = &message[message.find("--> ")? + 4..];
    let mut numbers = after
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty());
    Some((numbers.next()?.parse().ok()?, numbers.next()?.parse().ok()?))
}
