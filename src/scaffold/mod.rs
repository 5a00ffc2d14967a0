//! `pamphlet new` and `pamphlet init`: starting points an editor fills in.
//! A new article has every field the policy asks of it, with `FILL IN` where
//! the editor's words go, so `check` names each one left; a new site builds
//! and passes its checks as soon as it is written.

use std::path::{Component, Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::check::{PLACEHOLDER, required_for};
use crate::config::SiteConfig;
use crate::diagnostics::{Code, closest};
use crate::errors::{BuildError, Trouble};
use crate::load::{CONFIG_FILE, CONTENT_DIR, front_matter};
use crate::source::SourceFile;

/// The default theme, carried in the binary so `init` works anywhere.
static THEME: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/themes/clinic");
const THEME_NAME: &str = "clinic";

/// What `pamphlet new` is asked for.
pub struct NewArticle<'a> {
    /// `articles/my-topic`, with or without `content/` and `.md`.
    pub path: &'a str,
    /// Its title; `FILL IN` when not given.
    pub title: Option<&'a str>,
    /// The site's topics it is filed under.
    pub topics: &'a [String],
}

/// Writes a new draft article and returns where.
pub fn new_article(root: &Path, request: &NewArticle<'_>) -> Result<PathBuf, BuildError> {
    let config = read_config(root)?;
    let content_path = content_path_of(request.path)?;
    let known: Vec<&str> = config.topics.keys().map(String::as_str).collect();
    // Topics decide which disclaimers a clinical article must show (the
    // crisis line among them), so a clinical article starts with them.
    if request.topics.is_empty()
        && !config.policy.is_non_clinical(&content_path)
        && !known.is_empty()
    {
        return Err(BuildError::environment(
            Trouble::Usage,
            format!(
                "say what the article is about with --topics, for example `--topics {}`; this site's topics are {}",
                known[0],
                known.join(", ")
            ),
        ));
    }
    for topic in request.topics {
        if !config.topics.contains_key(topic) {
            let guess = closest(topic, known.iter().copied())
                .map(|guess| format!("did you mean `{guess}`? "))
                .unwrap_or_default();
            return Err(BuildError::environment(
                Trouble::Usage,
                format!(
                    "site.yaml has no topic `{topic}`; {guess}its topics are {}",
                    known.join(", ")
                ),
            ));
        }
    }
    let title = match request.title {
        Some(title) => title.to_owned(),
        None => title_from(&content_path),
    };
    let disclaimers = required_for(&config.policy, &content_path, request.topics);
    let sources = config.policy.references.minimum.max(1);
    let text = article_text(&title, request.topics, &disclaimers, sources);

    let path = root.join(CONTENT_DIR).join(&content_path);
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder).map_err(|error| cannot_write(folder, &error))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|error| match error.kind() {
            std::io::ErrorKind::AlreadyExists => BuildError::environment(
                Trouble::Usage,
                format!(
                    "`{}` already exists; choose another name, or edit that file",
                    path.display()
                ),
            ),
            _ => cannot_write(&path, &error),
        })?;
    std::io::Write::write_all(&mut file, text.as_bytes())
        .map_err(|error| cannot_write(&path, &error))?;
    Ok(path)
}

/// Creates a new site in `folder`: settings with the standard disclaimers
/// and policy, a home page, one example article, and the default theme. The
/// clinic's name, address and crisis line, and the example's reviewer, are
/// `FILL IN` placeholders: a new site cannot publish until the clinic has
/// written its own and a clinician has signed the example off.
pub fn init(folder: &Path) -> Result<(), BuildError> {
    let is_empty = std::fs::read_dir(folder).map_or(true, |mut entries| entries.next().is_none());
    if !is_empty {
        return Err(BuildError::environment(
            Trouble::Usage,
            format!(
                "`{}` is not empty; give a new or empty folder",
                folder.display()
            ),
        ));
    }
    let example = include_str!("starter/example.md").to_owned();
    let files = [
        (
            PathBuf::from(CONFIG_FILE),
            include_str!("starter/site.yaml").to_owned(),
        ),
        (
            Path::new(CONTENT_DIR).join("_index.md"),
            include_str!("starter/home.md").to_owned(),
        ),
        (
            Path::new(CONTENT_DIR).join("articles/_index.md"),
            include_str!("starter/section.md").to_owned(),
        ),
        (Path::new(CONTENT_DIR).join("articles/example.md"), example),
        // So `git add -A` in a new site never commits the output.
        (
            PathBuf::from(".gitignore"),
            include_str!("starter/gitignore").to_owned(),
        ),
    ];
    for (relative, text) in files {
        write_new(&folder.join(relative), text.as_bytes())?;
    }
    write_theme(&THEME, &folder.join("themes").join(THEME_NAME))
}

fn write_theme(dir: &Dir<'_>, to: &Path) -> Result<(), BuildError> {
    for file in dir.files() {
        write_new(&to.join(file.path()), file.contents())?;
    }
    for sub in dir.dirs() {
        write_theme(sub, to)?;
    }
    Ok(())
}

fn write_new(path: &Path, bytes: &[u8]) -> Result<(), BuildError> {
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder).map_err(|error| cannot_write(folder, &error))?;
    }
    // Exclusive creation: `init` never replaces a file, even one that
    // appeared after the folder was found empty.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|error| cannot_write(path, &error))?;
    std::io::Write::write_all(&mut file, bytes).map_err(|error| cannot_write(path, &error))
}

fn cannot_write(path: &Path, error: &std::io::Error) -> BuildError {
    BuildError::environment(
        Trouble::FileSystem,
        format!("cannot write `{}`: {error}", path.display()),
    )
}

fn read_config(root: &Path) -> Result<SiteConfig, BuildError> {
    let path = root.join(CONFIG_FILE);
    let text = std::fs::read_to_string(&path).map_err(|error| {
        BuildError::environment(Trouble::NotASite, format!(
            "cannot read `{}` ({error}): run pamphlet in the site's folder, or pass it with --root",
            path.display()
        ))
    })?;
    let file = SourceFile::new(CONFIG_FILE, text);
    front_matter::parse_yaml(&file, &file.text, 1).map_err(|mut problem| {
        problem.code = Code::SiteConfig;
        BuildError::Refused(vec![problem])
    })
}

/// `content/articles/My-topic` -> `articles/My-topic.md`; refuses anything
/// that would land outside content/.
fn content_path_of(asked: &str) -> Result<String, BuildError> {
    let trimmed = asked.trim().replace('\\', "/");
    let trimmed = trimmed.strip_prefix("content/").unwrap_or(&trimmed);
    let mut path = trimmed.trim_matches('/').to_owned();
    let inside = !path.is_empty()
        && Path::new(&path)
            .components()
            .all(|component| matches!(component, Component::Normal(_)));
    if !inside {
        return Err(BuildError::environment(
            Trouble::Usage,
            format!("`{asked}` is not a path inside content/; write it like `articles/my-topic`"),
        ));
    }
    if !path.ends_with(".md") {
        path.push_str(".md");
    }
    if path.ends_with("_index.md") {
        return Err(BuildError::environment(Trouble::Usage,
            "`_index.md` is a section's own page; `pamphlet new` writes articles, so give the article its own name".to_owned(),
        ));
    }
    Ok(path)
}

/// `articles/side-effects.md` -> "Side effects".
fn title_from(content_path: &str) -> String {
    let stem = content_path
        .rsplit('/')
        .next()
        .unwrap_or(content_path)
        .trim_end_matches(".md");
    let words = stem.replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "New article".to_owned(),
    }
}

/// A YAML scalar for any text, quoted as YAML needs.
fn yaml_text(text: &str) -> String {
    serde_yaml::to_string(text)
        .map(|yaml| yaml.trim_end().to_owned())
        .unwrap_or_else(|_| format!("{text:?}"))
}

fn article_text(title: &str, topics: &[String], disclaimers: &[String], sources: usize) -> String {
    let fill = PLACEHOLDER;
    let mut text = format!(
        r#"---
# Written by `pamphlet new`. Replace every placeholder below with the real
# text; `pamphlet check` names each one that is left. Remove `draft: true`
# when the article is ready: drafts are checked but never published.
title: {title}
summary: "{fill}: one or two plain sentences on what this page answers"
topics: [{topics}]
# The disclaimers the clinic's policy requires of this article. Their wording
# lives in site.yaml.
disclaimers: [{disclaimers}]
draft: true
review:
  reviewed_by: "{fill}: the reviewing clinician's name and credentials"
  # Once a clinician has checked the article, `pamphlet approve` records the
  # review date and the next one (reviewed_on, next_review).
references:
  # The policy asks for at least {sources} source(s), as published. To use one
  # from the shared list in content/references.yaml, write only `- id: name`.
"#,
        title = yaml_text(title),
        topics = topics.join(", "),
        disclaimers = disclaimers.join(", "),
    );
    for number in 1..=sources {
        text.push_str(&format!(
            r#"  - id: source-{number}
    authors: ["{fill}: Surname AB, Surname CD"]
    title: "{fill}: the title of the study, review or guideline"
    source: "{fill}: the journal, or the organisation for a web page"
    # year: the year it was published, for example 2021
    # doi: copied from the publisher's page (or pmid:, or url: for a web page)
"#
        ));
    }
    text.push_str(&format!("---\n## {fill}: a question patients ask\n\n"));
    for number in 1..=sources {
        text.push_str(&format!(
            "{fill}: answer in short, plain sentences, and cite the source of each fact\nlike this [@source-{number}].\n\n"
        ));
    }
    text.truncate(text.trim_end().len());
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_kept_inside_content() {
        assert_eq!(
            content_path_of("articles/my-topic").unwrap(),
            "articles/my-topic.md"
        );
        assert_eq!(
            content_path_of("content/articles/a.md").unwrap(),
            "articles/a.md"
        );
        for outside in ["../a", "articles/../../a", "", "articles/_index"] {
            assert!(content_path_of(outside).is_err(), "{outside}");
        }
    }

    #[test]
    fn titles_come_from_the_file_name() {
        assert_eq!(title_from("articles/side-effects.md"), "Side effects");
        assert_eq!(
            yaml_text("Costs: what to expect"),
            "'Costs: what to expect'"
        );
    }
}
