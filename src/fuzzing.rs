//! Entry points for the fuzz targets in `fuzz/` (and their regression
//! tests): the same stages a build runs, reachable from a byte string.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::config::SiteConfig;
use crate::load::{Bibliography, Page, PageKind, Site, body, front_matter};
use crate::model::{Date, FrontMatter};
use crate::source::SourceFile;

const SITE_YAML: &str = "title: Fuzz\nbase_url: https://fuzz.example/\nclinic:\n  name: Fuzz clinic\ntopics:\n  depression: Depression\ndisclaimers:\n  medical-advice:\n    title: Not advice\n    text: Talk to your clinician.\n";

/// Renders `text` as an article body, running the sentence extraction and
/// readability the checks use on the way. Returns the body HTML.
pub fn render_body(text: &str) -> String {
    let config_file = SourceFile::new("site.yaml", SITE_YAML);
    let config: SiteConfig = serde_yaml::from_str(SITE_YAML).expect("the fuzz site.yaml is valid");
    let file = SourceFile::new("content/a.md", text);
    let (front, yaml, body_start) = match front_matter::split(&file) {
        Ok(parts) => {
            let front = front_matter::parse_yaml::<FrontMatter>(
                &file,
                &text[parts.yaml.clone()],
                parts.yaml_first_line,
            )
            .unwrap_or_else(|_| untitled());
            (front, parts.yaml, parts.body_start)
        }
        Err(_) => (untitled(), 0..0, 0),
    };
    let page = Page {
        file: &file,
        content_path: "a.md".into(),
        output_path: "a/index.html".into(),
        kind: PageKind::Article,
        front,
        yaml,
        body_start,
        body: body::parse(&file.text, body_start, "a.md"),
    };
    let prose = crate::check::Prose::of(&page);
    let _ = crate::readability::of(&prose);
    let site = Site {
        root: PathBuf::from("."),
        config,
        config_file: &config_file,
        pages: Vec::new(),
        by_content_path: HashMap::new(),
        unparsed: HashSet::new(),
        bibliography: Bibliography::default(),
        assets: Vec::new(),
    };
    let numbering = crate::render::markdown::Numbering::of(&page);
    crate::render::markdown::body(&site, &page, &numbering, None)
}

fn untitled() -> FrontMatter {
    serde_yaml::from_str("title: Untitled").expect("valid")
}

/// A one-article site in a temporary folder, built again for each input.
pub struct OneArticleSite {
    root: PathBuf,
}

impl Default for OneArticleSite {
    fn default() -> Self {
        Self::new()
    }
}

impl OneArticleSite {
    pub fn new() -> Self {
        let root = std::env::temp_dir().join(format!("pamphlet-fuzz-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("content")).expect("a temporary folder");
        std::fs::write(root.join("site.yaml"), SITE_YAML).expect("writable");
        std::fs::write(
            root.join("content/_index.md"),
            "---\ntitle: Home\n---\nWelcome.\n",
        )
        .expect("writable");
        copy_folder(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("themes"),
            &root.join("themes"),
        );
        Self { root }
    }

    /// Builds the site with `article` as its one article. Panics only if the
    /// build reports an environment error, which content must never cause.
    pub fn build(&self, article: &[u8]) {
        std::fs::write(self.root.join("content/a.md"), article).expect("writable");
        let options =
            crate::BuildOptions::new(&self.root, Date::parse("2026-11-21").expect("a date"));
        if let Err(crate::BuildError::Environment(message)) = crate::build(&options) {
            panic!("content caused an environment error: {message}");
        }
    }
}

fn copy_folder(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().flatten() {
        let target = to.join(entry.path().strip_prefix(from).expect("inside"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("writable");
        } else {
            std::fs::copy(entry.path(), &target).expect("readable theme");
        }
    }
}
