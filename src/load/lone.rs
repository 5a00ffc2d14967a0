//! One article read on its own, outside any site: what the fuzz targets,
//! the prose evaluation and unit tests read, through the same front-matter
//! split and body parse as a build.

use super::{Page, PageKind, body, front_matter};
use crate::model::FrontMatter;
use crate::source::SourceFile;

/// `file` read as an article at `a.md`, with an untitled front matter when
/// it has none or a broken one.
pub fn article(file: &SourceFile) -> Page<'_> {
    let text = &*file.text;
    let (front, yaml, body_start) = match front_matter::split(file) {
        Ok(parts) => {
            let front = front_matter::parse_yaml::<FrontMatter>(
                file,
                &text[parts.yaml.clone()],
                parts.yaml_first_line,
            )
            .unwrap_or_else(|_| untitled());
            (front, parts.yaml, parts.body_start)
        }
        Err(_) => (untitled(), 0..0, 0),
    };
    Page {
        file,
        content_path: "a.md".into(),
        output_path: "a/index.html".into(),
        kind: PageKind::Article,
        front,
        yaml,
        body_start,
        body: body::parse(&file.text, body_start, "a.md"),
    }
}

fn untitled() -> FrontMatter {
    serde_yaml::from_str("title: Untitled").expect("a title is a whole front matter")
}
