//! Per-page cost of each build stage, on one article of the included site,
//! so a regression shows up in the stage that caused it:
//! `cargo bench --bench stages`. Whole-site figures against Hugo come from
//! `scripts/bench`.

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use pamphlet::check::{self, CheckContext};
use pamphlet::load::{self, front_matter};
use pamphlet::model::{Date, FrontMatter};
use pamphlet::render::{self, context, glossary, markdown::Numbering, theme};

// The allocator the `pamphlet` binary uses, so figures match a build's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The longest article of the included site: prose, a list, citations.
const ARTICLE: &str = "treatment/what-to-expect.md";

fn stages(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sources = load::read(root).expect("the included site loads");
    let (site, problems) = load::parse(&sources);
    let site = site.unwrap_or_else(|()| panic!("the included site parses: {problems:?}"));
    let index = site.by_content_path[ARTICLE];
    let page = &site.pages[index];
    let file = &sources.markdown[sources
        .markdown
        .iter()
        .position(|f| f.content_path == ARTICLE)
        .expect("the article is in the sources")];
    let theme = theme::load(&site).expect("the theme loads");
    let site_context = context::site_context(&site);
    let glossary = glossary::of(&site);
    let today = Date::parse("2026-11-21").expect("a date");
    let check_context = CheckContext {
        today,
        preview: false,
    };

    let mut group = c.benchmark_group("per page");
    group.bench_function("load: split and parse front matter", |b| {
        b.iter(|| {
            let split = front_matter::split(&file.source).expect("front matter");
            front_matter::parse_yaml::<FrontMatter>(
                &file.source,
                &file.source.text[split.yaml.clone()],
                split.yaml_first_line,
            )
            .expect("valid front matter")
        })
    });
    group.bench_function("load: whole page (front matter and markdown events)", |b| {
        b.iter(|| load::parse_page(file, &site.bibliography).expect("the page parses"))
    });
    group.bench_function("check: every policy check of the page", |b| {
        b.iter(|| check::page(&site, page, &check_context))
    });
    group.bench_function("render: markdown with citations and glossary", |b| {
        b.iter(|| render::markdown::body(&site, page, &Numbering::of(page), glossary.as_ref()))
    });
    let base = render::base_context(&site_context);
    let page_context =
        render::full_page_context(&site, &theme, glossary.as_ref(), page, Default::default());
    group.bench_function("render: template", |b| {
        b.iter(|| render::apply_template(&theme, &base, page, &page_context))
    });
    group.bench_function("render: search index entry", |b| {
        b.iter(|| render::search::entry(page))
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
