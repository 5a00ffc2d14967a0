//! Turns an article's parsed events into HTML in one pass, rewriting what
//! Pamphlet owns: citations become numbered superscripts, links to markdown
//! files become links to the built pages, code blocks are highlighted.

use std::collections::HashMap;

use pulldown_cmark::{
    Alignment, BlockQuoteKind, CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag,
    TagEnd, html,
};
use pulldown_cmark_escape::{escape_href, escape_html};

use crate::load::body::citation_keys;
use crate::load::local::Published;
use crate::load::{Page, Site};
use crate::model::Reference;
use crate::paths::{LinkTarget, resolve_link, root_prefix};
use crate::render::glossary::Glossary;
use crate::render::highlight;

/// An article's references in the order its reader meets them: cited ones
/// numbered by first citation (Vancouver style), then any never cited.
pub struct Numbering<'p> {
    /// Cited references in the order first cited, then those never cited.
    pub ordered: Vec<&'p Reference>,
    number_of: HashMap<&'p str, usize>,
}

impl<'p> Numbering<'p> {
    /// Numbers the references of `page`.
    pub fn of(page: &'p Page<'_>) -> Self {
        let by_id: HashMap<&str, &Reference> = page
            .front
            .references
            .iter()
            .map(|r| (r.id.as_str(), r))
            .collect();
        let mut numbering = Numbering {
            ordered: Vec::with_capacity(by_id.len()),
            number_of: HashMap::with_capacity(by_id.len()),
        };
        let cited_keys = page.body.citations.iter().flat_map(|c| c.keys.iter());
        let listed_ids = page.front.references.iter().map(|r| &r.id);
        for key in cited_keys.chain(listed_ids) {
            if let Some((id, reference)) = by_id.get_key_value(key.as_str())
                && !numbering.number_of.contains_key(id)
            {
                numbering.ordered.push(reference);
                numbering.number_of.insert(id, numbering.ordered.len());
            }
        }
        numbering
    }

    /// The number of the reference with key `id`, as the page shows it.
    pub fn number(&self, id: &str) -> Option<usize> {
        self.number_of.get(id).copied()
    }
}

/// The body of `page` as HTML.
pub fn body(
    site: &Site<'_>,
    page: &Page<'_>,
    numbering: &Numbering<'_>,
    glossary: Option<&Glossary>,
) -> String {
    let root = root_prefix(&page.output_path);
    let mut events = Vec::with_capacity(page.body.events.len());
    let mut inside_citation = false;
    let mut code: Option<(String, String)> = None;
    let glossary = glossary.filter(|g| g.content_path != page.content_path);
    let mut terms_used = vec![false; glossary.map_or(0, |g| g.terms.len())];
    // Terms are not linked inside headings or inside other links.
    let mut no_terms_depth = 0usize;

    // An image is written here, not by pulldown-cmark, so its `alt` is the
    // plain text the load stage read (links, citations and code in it
    // included as text) and its `src` points where the file is published.
    let mut images = page.body.images.iter();
    let mut inside_image = 0usize;
    let mut table = TableCells::default();
    let mut care_cards = 0usize;

    for (stored, _) in &page.body.events {
        let event = &*stored.event();
        if inside_image > 0 {
            match event {
                Event::Start(Tag::Image { .. }) => {
                    images.next();
                    inside_image += 1;
                }
                Event::End(TagEnd::Image) => inside_image -= 1,
                _ => {}
            }
            continue;
        }
        if let Event::Start(Tag::Image {
            dest_url, title, ..
        }) = event
        {
            let alt = images
                .next()
                .map(|image| page.body.alt_text(image))
                .unwrap_or_default();
            let src = link_href(site, page, &root, dest_url);
            events.push(Event::InlineHtml(image_tag(&src, &alt, title).into()));
            inside_image = 1;
            continue;
        }
        match event {
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                care_cards += 1;
                events.push(Event::Html(care_card_start(*kind, care_cards).into()));
                continue;
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                events.push(Event::Html("</div></aside>\n".into()));
                continue;
            }
            _ => {}
        }
        if let Some(cell) = table.follow(event) {
            events.push(Event::InlineHtml(cell.into()));
            continue;
        }
        if inside_citation {
            inside_citation = !matches!(event, Event::End(TagEnd::Link));
            continue;
        }
        if let Some((language, text)) = &mut code {
            match event {
                Event::Text(chunk) => text.push_str(chunk),
                Event::End(TagEnd::CodeBlock) => {
                    let highlighted = highlight::code_block(text, language);
                    events.push(Event::Html(highlighted.into()));
                    code = None;
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::Link { dest_url, .. }) if citation_keys(dest_url).is_some() => {}
            Event::Start(Tag::Heading { .. }) | Event::Start(Tag::Link { .. }) => {
                no_terms_depth += 1
            }
            Event::End(TagEnd::Heading(_)) | Event::End(TagEnd::Link) => {
                no_terms_depth = no_terms_depth.saturating_sub(1)
            }
            _ => {}
        }
        match event {
            Event::Text(text) if no_terms_depth == 0 && glossary.is_some() => {
                let glossary = glossary.expect("checked above");
                link_terms(text, glossary, &root, &mut terms_used, &mut events);
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let language = match kind {
                    CodeBlockKind::Fenced(language) => language.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((language, String::new()));
            }
            Event::Start(Tag::Link {
                dest_url,
                title,
                link_type,
                ..
            }) => {
                if let Some(keys) = citation_keys(dest_url) {
                    // Editors write `claim [@key]`; a superscript number sits
                    // against the word it follows, as in print.
                    trim_trailing_space(&mut events);
                    events.push(Event::InlineHtml(citation(keys, numbering).into()));
                    inside_citation = true;
                } else if *link_type == LinkType::Email {
                    let href = format!("mailto:{dest_url}");
                    events.push(Event::InlineHtml(anchor_tag(&href, title).into()));
                } else {
                    let href = link_href(site, page, &root, dest_url);
                    events.push(Event::InlineHtml(anchor_tag(&href, title).into()));
                }
            }
            other => events.push(other.clone()),
        }
    }
    let mut html_out = String::with_capacity(page.body.events.len() * 16);
    html::push_html(&mut html_out, events.into_iter());
    if let Some(glossary) = glossary
        && terms_used.contains(&true)
    {
        // The definitions that `aria-describedby` points at: read by
        // screen readers with the term, never shown on their own.
        html_out.push_str("<div hidden>");
        for (term, _) in glossary
            .terms
            .iter()
            .zip(&terms_used)
            .filter(|(_, used)| **used)
        {
            html_out.push_str(&format!("<span id=\"glossary-{}\">", term.id));
            escape_html(&mut html_out, &term.definition)
                .expect("writing into a String cannot fail");
            html_out.push_str("</span>");
        }
        html_out.push_str("</div>\n");
    }
    html_out
}

fn trim_trailing_space(events: &mut [Event<'_>]) {
    if let Some(Event::Text(text)) = events.last_mut()
        && text.ends_with(char::is_whitespace)
    {
        *text = CowStr::from(text.trim_end().to_owned());
    }
}

/// Splits `text` around the first use of each glossary term not yet used on
/// this page, linking it to its entry.
fn link_terms<'a>(
    text: &CowStr<'a>,
    glossary: &Glossary,
    root: &str,
    used: &mut [bool],
    events: &mut Vec<Event<'a>>,
) {
    let mut rest: &str = text;
    let mut linked_any = false;
    while let Some((range, index)) = glossary.find(rest, used) {
        used[index] = true;
        linked_any = true;
        let term = &glossary.terms[index];
        events.push(Event::Text(CowStr::from(rest[..range.start].to_owned())));
        let mut link = format!(
            "<a class=\"term\" href=\"{root}{}#{}\" aria-describedby=\"glossary-{}\">",
            glossary.output_path, term.id, term.id
        );
        escape_html(&mut link, &rest[range.clone()]).expect("writing into a String cannot fail");
        link.push_str("</a>");
        events.push(Event::InlineHtml(CowStr::from(link)));
        rest = &rest[range.end..];
    }
    if linked_any {
        events.push(Event::Text(CowStr::from(rest.to_owned())));
    } else {
        events.push(Event::Text(text.clone()));
    }
}

/// `[@a; @b]` as `<sup>` links into the reference list. Keys that match no
/// reference were refused by the check stage; they are skipped here.
fn citation<'k>(keys: impl Iterator<Item = &'k str>, numbering: &Numbering<'_>) -> String {
    let links: Vec<String> = keys
        .filter_map(|key| numbering.number(key))
        .map(|n| format!("<a href=\"#ref-{n}\" aria-label=\"Reference {n}\">{n}</a>"))
        .collect();
    format!("<sup class=\"citation\">{}</sup>", links.join(","))
}

/// Where a link or image written as `destination` points from the page
/// as published: pages and files of the site by a relative path from the
/// page (so the site works from any folder and from the file system),
/// anything else as written. What resolves to nothing was refused by the
/// check stage and is left as written.
fn link_href(site: &Site<'_>, page: &Page<'_>, root: &str, destination: &str) -> String {
    match resolve_link(&page.content_path, destination) {
        Some(LinkTarget::Page {
            content_path,
            anchor,
        }) => match site.page(&content_path) {
            Some(target) => {
                let fragment = anchor.map(|a| format!("#{a}")).unwrap_or_default();
                format!("{root}{}{fragment}", target.output_path)
            }
            None => destination.to_owned(),
        },
        Some(LinkTarget::Local { site_path, rest }) => match site.local(&site_path) {
            Ok(Published::Page(index)) => format!("{root}{}{rest}", site.pages[index].output_path),
            Ok(Published::File) => format!("{root}{site_path}{rest}"),
            Err(_) => destination.to_owned(),
        },
        _ => destination.to_owned(),
    }
}

/// A care card, as NHS.UK pages have them: what to do and how urgently,
/// written `> [!CAUTION]` (call 911 or 988 now), `> [!WARNING]` (urgent:
/// contact the clinic today) or `> [!NOTE]`, `[!TIP]`, `[!IMPORTANT]`
/// (non-urgent advice). The label is part of the text, so screen readers
/// and print say it too, not only the colour.
fn care_card_start(kind: BlockQuoteKind, number: usize) -> String {
    let (class, label) = match kind {
        BlockQuoteKind::Caution => ("emergency", "Immediate action required"),
        BlockQuoteKind::Warning => ("urgent", "Urgent advice"),
        BlockQuoteKind::Note | BlockQuoteKind::Tip | BlockQuoteKind::Important => {
            ("non-urgent", "Non-urgent advice")
        }
    };
    format!(
        "<aside class=\"care-card care-{class}\" aria-labelledby=\"care-card-{number}\">\
         <p class=\"care-heading\" id=\"care-card-{number}\">{label}</p><div class=\"care-body\">\n"
    )
}

fn image_tag(src: &str, alt: &str, title: &str) -> String {
    let mut tag = String::from("<img src=\"");
    escape_href(&mut tag, src).expect("writing into a String cannot fail");
    tag.push_str("\" alt=\"");
    escape_html(&mut tag, alt).expect("writing into a String cannot fail");
    if !title.is_empty() {
        tag.push_str("\" title=\"");
        escape_html(&mut tag, title).expect("writing into a String cannot fail");
    }
    tag.push_str("\" loading=\"lazy\">");
    tag
}

/// Writes table cells with a class for their column's alignment, where
/// pulldown-cmark writes an inline `style`, which the site's Content
/// Security Policy blocks.
#[derive(Default)]
struct TableCells {
    alignments: Vec<Alignment>,
    in_head: bool,
    column: usize,
}

impl TableCells {
    /// The HTML that replaces `event`, if it opens a cell.
    fn follow(&mut self, event: &Event<'_>) -> Option<String> {
        match event {
            Event::Start(Tag::Table(alignments)) => self.alignments = alignments.clone(),
            Event::Start(Tag::TableHead) => (self.in_head, self.column) = (true, 0),
            Event::End(TagEnd::TableHead) => self.in_head = false,
            Event::Start(Tag::TableRow) => self.column = 0,
            Event::End(TagEnd::TableCell) => self.column += 1,
            Event::Start(Tag::TableCell) => {
                let element = if self.in_head { "th" } else { "td" };
                let class = match self.alignments.get(self.column) {
                    Some(Alignment::Left) => " class=\"align-left\"",
                    Some(Alignment::Center) => " class=\"align-center\"",
                    Some(Alignment::Right) => " class=\"align-right\"",
                    _ => "",
                };
                return Some(format!("<{element}{class}>"));
            }
            _ => {}
        }
        None
    }
}

/// Links that leave the site get `rel="noopener noreferrer"`, so the page
/// they open can neither script this one nor learn which article linked it.
fn anchor_tag(href: &str, title: &CowStr<'_>) -> String {
    let mut tag = String::from("<a href=\"");
    escape_href(&mut tag, href).expect("writing into a String cannot fail");
    tag.push('"');
    if !title.is_empty() {
        tag.push_str(" title=\"");
        escape_html(&mut tag, title).expect("writing into a String cannot fail");
        tag.push('"');
    }
    if href.starts_with("http://") || href.starts_with("https://") || href.starts_with("//") {
        tag.push_str(" rel=\"noopener noreferrer\"");
    }
    tag.push('>');
    tag
}

/// Markdown from `site.yaml` (disclaimer texts), which has no citations or
/// internal links to rewrite.
pub fn plain(markdown: &str) -> String {
    let mut html_out = String::new();
    html::push_html(
        &mut html_out,
        Parser::new_ext(markdown, Options::ENABLE_SMART_PUNCTUATION),
    );
    html_out
}
