//! Entry points for the fuzz targets in `fuzz/` (and their regression
//! tests): the same stages a build runs, reachable from a byte string.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::config::SiteConfig;
use crate::load::{Bibliography, Site};
use crate::model::Date;
use crate::source::SourceFile;

const SITE_YAML: &str = "title: Fuzz\nbase_url: https://fuzz.example/\nclinic:\n  name: Fuzz clinic\ntopics:\n  depression: Depression\ndisclaimers:\n  medical-advice:\n    title: Not advice\n    text: Talk to your clinician.\n";

/// Renders `text` as an article body, running the sentence extraction and
/// readability the checks use on the way. Returns the body HTML.
pub fn render_body(text: &str) -> String {
    let config_file = SourceFile::new("site.yaml", SITE_YAML);
    let config: SiteConfig = serde_yaml::from_str(SITE_YAML).expect("the fuzz site.yaml is valid");
    let file = SourceFile::new("content/a.md", text);
    let page = crate::load::lone::article(&file);
    let prose = crate::prose::Prose::of(&page);
    let _ = crate::readability::of(&prose);
    let site = Site {
        root: PathBuf::from("."),
        config,
        config_file: &config_file,
        pages: Vec::new(),
        by_content_path: HashMap::new(),
        unparsed: HashSet::new(),
        bibliography: Bibliography::default(),
        ledger: Default::default(),
        assets: Vec::new(),
        local_index: Default::default(),
    };
    let numbering = crate::render::markdown::Numbering::of(&page);
    crate::render::markdown::body(&site, &page, &numbering, None)
}

/// How the prose checks judge one sentence.
#[derive(Debug, Clone)]
pub struct ProseVerdict {
    /// The sentence as the checks split it.
    pub sentence: String,
    /// It states a statistic or leans on research (P113, citations ignored).
    pub uncited_claim: bool,
    /// It makes a promotional or absolute claim (P123).
    pub promotional: bool,
    /// Its wording goes against safe-messaging guidance on suicide (P114).
    pub unsafe_wording: bool,
}

/// Each sentence of the markdown `text` as the prose checks see it, with
/// their verdicts: what `examples/prose_eval.rs` scores against labelled
/// sentences.
pub fn prose_verdicts(text: &str) -> Vec<ProseVerdict> {
    let file = SourceFile::new("content/a.md", text);
    let page = crate::load::lone::article(&file);
    let prose = crate::prose::Prose::of(&page);
    let about_suicide = text.to_lowercase().contains("suicid");
    prose
        .sentences()
        .map(|sentence| {
            let (uncited_claim, promotional) = crate::check::claims_in(sentence.text);
            ProseVerdict {
                sentence: sentence.text.to_owned(),
                uncited_claim,
                promotional,
                unsafe_wording: crate::check::unsafe_wording_in(sentence.text, about_suicide),
            }
        })
        .collect()
}

/// The running prose of a markdown page (front matter optional), the
/// sentences joined by spaces, and its readability as a build measures it:
/// for comparing with other readability tools on the same text.
pub fn running_prose_and_readability(
    text: &str,
) -> (String, Option<crate::readability::Readability>) {
    let file = SourceFile::new("content/a.md", text);
    let page = crate::load::lone::article(&file);
    let prose = crate::prose::Prose::of(&page);
    let running: Vec<&str> = prose
        .sentences()
        .filter(|sentence| sentence.kind == crate::prose::BlockKind::Prose)
        .map(|sentence| sentence.text)
        .collect();
    (running.join(" "), crate::readability::of(&prose))
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
        // One folder per site: tests build several at once in one process.
        static COUNT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let number = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let root =
            std::env::temp_dir().join(format!("pamphlet-fuzz-{}-{number}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("content")).expect("a temporary folder");
        std::fs::write(root.join("site.yaml"), SITE_YAML).expect("writable");
        std::fs::write(
            root.join("content/_index.md"),
            "---\ntitle: Home\n---\nWelcome.\n",
        )
        .expect("writable");
        // Something for a fuzzed article to show or link to.
        std::fs::create_dir_all(root.join("content/media")).expect("writable");
        std::fs::write(root.join("content/media/pixel.png"), b"\x89PNG").expect("writable");
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

impl Drop for OneArticleSite {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// The front matter of the article the promise is checked on: a required
/// disclaimer and a reference, so the page must show both.
const PROMISE_FRONT: &str = "---\ntitle: Promise\ndisclaimers: [medical-advice]\nreview:\n  reviewed_by: \"Reviewer (example), MD\"\n  reviewed_on: 2026-10-01\n  next_review: 2027-10-01\nreferences:\n  - id: one\n    title: A study\n    source: A journal\n    year: 2020\n    doi: 10.1000/one\n---\nA sentence [@one].\n\n";

impl OneArticleSite {
    /// Builds the site with `body` as the body of an article that needs a
    /// disclaimer and shows a reference. If the build published, returns
    /// what is wrong with the published page as a browser reads it (empty
    /// when the promise holds); `None` when the build refused.
    pub fn promise_broken(&self, body: &str) -> Option<Vec<String>> {
        std::fs::write(
            self.root.join("content/a.md"),
            format!("{PROMISE_FRONT}{body}"),
        )
        .expect("writable");
        let options =
            crate::BuildOptions::new(&self.root, Date::parse("2026-11-21").expect("a date"));
        match crate::build(&options) {
            Ok(_) => {}
            Err(crate::BuildError::Refused(_)) => return None,
            Err(crate::BuildError::Environment(message)) => {
                panic!("content caused an environment error: {message}")
            }
        }
        let html = std::fs::read_to_string(self.root.join("public/a/index.html"))
            .expect("the article was published");
        // Every published page is read whole here, including those verify
        // trusts to Pamphlet's own renderer without parsing them.
        let required = crate::verify::browser::Required {
            disclaimers: vec![("medical-advice", "Talk to your clinician.")],
            references: 1,
        };
        let mut broken = crate::verify::browser::problems(&html, &required);
        let document = scraper::Html::parse_document(&html);
        for element in document
            .root_element()
            .descendants()
            .filter_map(scraper::ElementRef::wrap)
        {
            let value = element.value();
            if value.name() == "script"
                && value.attr("type") != Some("application/ld+json")
                && !value.attr("src").is_some_and(|src| {
                    src.ends_with("search-index.js") || src.ends_with("search.js")
                })
            {
                broken.push("a script the theme did not put there".to_owned());
            }
            for address in ["src", "href"].iter().filter_map(|name| value.attr(name)) {
                if let Some(nowhere) = self.leads_nowhere(address) {
                    broken.push(format!("`{address}` leads nowhere ({nowhere})"));
                }
            }
        }
        Some(broken)
    }

    /// Where a local address of the published article leads, when no file
    /// is there: followed from the page's folder, as a browser opening the
    /// site from the file system would.
    pub fn leads_nowhere(&self, address: &str) -> Option<String> {
        if address.starts_with('#')
            || crate::paths::is_elsewhere(address)
            || crate::paths::scheme_as_browsers_read_it(address).is_some()
        {
            return None;
        }
        let path = address.split(['#', '?']).next().unwrap_or_default();
        let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        let mut target = self.root.join("public/a").join(&*path);
        if path.is_empty() || path.ends_with('/') || target.is_dir() {
            target = target.join("index.html");
        }
        (!target.is_file()).then(|| target.display().to_string())
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
