//! Parses an article body once with pulldown-cmark. The events are kept for
//! the render stage, and what the checks need (headings, citations, internal
//! links) is noted on the way, so no later stage parses the markdown again.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{BrokenLink, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

use super::stored::{Span, StoredEvent};
use crate::paths::{LinkTarget, resolve_link, slugify};

/// Links written as `[@key]` or `[@a; @b]` reach the event stream with this
/// scheme in front of their keys, so render can tell them from real links.
pub const CITATION_SCHEME: &str = "pamphlet-cite:";

/// An article's body, parsed once: the events render writes, and what the checks read.
#[derive(Debug)]
pub struct Body<'a> {
    /// Every event with its byte range in the whole file.
    pub events: Vec<(StoredEvent<'a>, Span)>,
    /// Every heading, with its anchor.
    pub headings: Vec<Heading>,
    /// Every citation, `[@key]` or `[@a; @b]`, in the order written.
    pub citations: Vec<Citation>,
    /// Links and images that point inside the site, in the order written.
    pub links: Vec<InternalLink>,
    /// Every image, in the order written (nested ones too).
    pub images: Vec<Image>,
    /// The text of all images, one after another; each image knows its part.
    alt_texts: String,
    /// How deeply lists and block quotes nest at most, and where that is.
    pub deepest: (usize, Range<usize>),
    /// Every link and image that is not a citation, by its start event.
    destinations: Vec<u32>,
}

/// Where a link or image leads, as the editor wrote it.
#[derive(Debug, Clone)]
pub struct Destination<'b> {
    /// The address as written.
    pub url: &'b str,
    /// Where the link or image is in the file.
    pub span: Range<usize>,
    /// An image, rather than a link.
    pub is_image: bool,
}

/// A heading and its anchor.
#[derive(Debug, Clone)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// Its anchor: given in `{#id}`, or made from its text and unique on the page.
    pub id: String,
    /// Its text as plain text, without citation markers.
    pub text: String,
    /// Where it is in the file.
    pub span: Range<usize>,
    /// Attributes written in `{...}` other than the id and classes.
    pub other_attributes: Vec<String>,
}

/// A citation marker in the text.
#[derive(Debug, Clone)]
pub struct Citation {
    /// In the order written: `[@a; @b]` gives `a`, `b`.
    pub keys: Vec<String>,
    /// Where it is in the file.
    pub span: Range<usize>,
}

/// A link or image that points at a page or file of the site.
#[derive(Debug, Clone)]
pub struct InternalLink {
    /// What it points at.
    pub target: LinkTarget,
    /// Where it is in the file.
    pub span: Range<usize>,
    /// An image shows the file; a link only points at it.
    pub is_image: bool,
}

/// An image in the body.
#[derive(Debug, Clone)]
pub struct Image {
    /// Where it is in the file.
    pub span: Range<usize>,
    /// Where its text is in the body's `alt_texts`: an image inside another
    /// image's text shares its text, so nesting never copies text.
    alt: Range<usize>,
}

/// The text an editor gives an image to say it is decorative only, so it
/// is published with an empty `alt` and screen readers pass over it.
pub const DECORATIVE: &str = "decorative";

impl Body<'_> {
    /// What a screen reader says for `image`: its text as plain text,
    /// whatever markup the editor wrote in it, or `""` for a decorative one.
    pub fn alt_text(&self, image: &Image) -> String {
        let text = self.alt_texts[image.alt.clone()].split_whitespace();
        let text = text.collect::<Vec<_>>().join(" ");
        if text.eq_ignore_ascii_case(DECORATIVE) {
            String::new()
        } else {
            text
        }
    }

    /// Whether `image` has text, or is marked decorative.
    pub fn is_described(&self, image: &Image) -> bool {
        !self.alt_texts[image.alt.clone()].trim().is_empty()
    }

    /// Every link and image but citations, in the order written, wherever
    /// they lead.
    pub fn destinations(&self) -> impl Iterator<Item = Destination<'_>> + '_ {
        self.destinations.iter().filter_map(|&index| {
            let (StoredEvent::Other(event), span) = &self.events[index as usize] else {
                return None;
            };
            let (url, is_image) = match &**event {
                Event::Start(Tag::Link { dest_url, .. }) => (dest_url, false),
                Event::Start(Tag::Image { dest_url, .. }) => (dest_url, true),
                _ => return None,
            };
            Some(Destination {
                url,
                span: span.range(),
                is_image,
            })
        })
    }
}

/// The markdown extensions every stage parses with: tables, footnotes, strikethrough, smart punctuation, heading attributes and GFM's alerts.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        // `> [!CAUTION]` and its kin: the care cards.
        | Options::ENABLE_GFM
}

/// The keys of a citation link's destination, as [`parse`] wrote it.
pub fn citation_keys(destination: &str) -> Option<impl Iterator<Item = &str>> {
    let keys = destination.strip_prefix(CITATION_SCHEME)?;
    Some(
        keys.split(';')
            .map(|key| key.trim().trim_start_matches('@').trim()),
    )
}

/// Parses the body of `text` starting at `body_start`; `content_path` is the
/// file's path within content/, against which relative links resolve.
pub fn parse<'a>(text: &'a str, body_start: usize, content_path: &str) -> Body<'a> {
    // Pandoc-style `[@key]` is, to CommonMark, a reference link with no
    // definition. Claiming exactly those in the broken-link callback means
    // code spans and code blocks can never be read as citations.
    let mut claim_citation = |link: BrokenLink<'a>| {
        let label = link.reference.trim();
        label.starts_with('@').then(|| {
            (
                CowStr::from(format!("{CITATION_SCHEME}{label}")),
                CowStr::Borrowed(""),
            )
        })
    };
    let markdown = &text[body_start..];
    let parser =
        Parser::new_with_broken_link_callback(markdown, options(), Some(&mut claim_citation));

    let mut body = Body {
        events: Vec::new(),
        headings: Vec::new(),
        citations: Vec::new(),
        links: Vec::new(),
        images: Vec::new(),
        alt_texts: String::new(),
        deepest: (0, 0..0),
        destinations: Vec::new(),
    };
    // Indices into `body.images` of the images whose text is being read.
    let mut open_images: Vec<usize> = Vec::new();
    let mut depth = 0usize;
    let mut used_ids = UsedIds::default();
    let mut open_heading: Option<(usize, String)> = None;
    let mut in_citation = false;

    for (event, range) in parser.into_offset_iter() {
        let span = range.start + body_start..range.end + body_start;
        // A citation's own text is its keys (`@berman2000`): no reader sees
        // it, so no stage may (it leaked into anchors, the table of
        // contents and the search index). Only its start and end are kept.
        if in_citation {
            if matches!(event, Event::End(TagEnd::Link)) {
                in_citation = false;
                body.events.push((event.into(), Span::of(span)));
            }
            continue;
        }
        let mut starts_citation = false;
        match &event {
            Event::Start(Tag::List(_) | Tag::BlockQuote(_)) => {
                depth += 1;
                if depth > body.deepest.0 {
                    body.deepest = (depth, span.clone());
                }
            }
            Event::End(TagEnd::List(_) | TagEnd::BlockQuote(_)) => depth = depth.saturating_sub(1),
            Event::Start(Tag::Heading { .. }) => {
                open_heading = Some((body.events.len(), String::new()));
            }
            Event::Text(text) | Event::Code(text) => {
                if !open_images.is_empty() {
                    body.alt_texts.push_str(text);
                }
                if let Some((_, heading_text)) = &mut open_heading {
                    heading_text.push_str(text);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((start, heading_text)) = open_heading.take() {
                    let heading_text = heading_text.trim().to_owned();
                    let heading =
                        name_heading(&mut body.events[start], heading_text, &mut used_ids);
                    body.headings.push(heading);
                }
            }
            Event::Start(Tag::Link {
                dest_url,
                link_type,
                ..
            }) => {
                if let Some(keys) = citation_keys(dest_url) {
                    in_citation = true;
                    starts_citation = true;
                    body.citations.push(Citation {
                        keys: keys.map(str::to_owned).collect(),
                        span: span.clone(),
                    });
                } else {
                    body.destinations.push(body.events.len() as u32);
                }
                if starts_citation || *link_type == LinkType::Email {
                    // A citation, or `<help@clinic.example>`: not a path.
                } else if let Some(target) = resolve_link(content_path, dest_url) {
                    body.links.push(InternalLink {
                        target,
                        span: span.clone(),
                        is_image: false,
                    });
                }
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                body.destinations.push(body.events.len() as u32);
                if let Some(target) = resolve_link(content_path, dest_url) {
                    body.links.push(InternalLink {
                        target,
                        span: span.clone(),
                        is_image: true,
                    });
                }
                let at = body.alt_texts.len();
                open_images.push(body.images.len());
                body.images.push(Image {
                    span: span.clone(),
                    alt: at..at,
                });
            }
            Event::End(TagEnd::Image) => {
                if let Some(index) = open_images.pop() {
                    body.images[index].alt.end = body.alt_texts.len();
                }
            }
            Event::SoftBreak | Event::HardBreak if !open_images.is_empty() => {
                body.alt_texts.push(' ');
            }
            _ => {}
        }
        body.events.push((event.into(), Span::of(span)));
    }
    // Held until the page is rendered: the slack of a vector grown by
    // doubling was a tenth of a large build's memory (290 MB at 100k).
    body.events.shrink_to_fit();
    body
}

/// The anchors a page has given out, and for each wanted anchor the next
/// number to try, so that 20,000 headings of one name cost 20,000 steps,
/// not 200 million.
#[derive(Default)]
struct UsedIds {
    taken: HashSet<String>,
    next_number: HashMap<String, usize>,
}

impl UsedIds {
    fn unique(&mut self, wanted: String) -> String {
        if self.taken.insert(wanted.clone()) {
            return wanted;
        }
        let mut number = self.next_number.get(&wanted).copied().unwrap_or(2);
        loop {
            let candidate = format!("{wanted}-{number}");
            number += 1;
            if self.taken.insert(candidate.clone()) {
                self.next_number.insert(wanted, number);
                return candidate;
            }
        }
    }
}

/// Gives a heading its anchor: the `{#id}` the editor wrote, or one made from
/// its text, made unique within the page.
fn name_heading(
    (start_event, span): &mut (StoredEvent<'_>, Span),
    text: String,
    used_ids: &mut UsedIds,
) -> Heading {
    let Some(Event::Start(Tag::Heading {
        level, id, attrs, ..
    })) = start_event.boxed_mut()
    else {
        unreachable!("name_heading is called with the heading's own start event");
    };
    let wanted = match id {
        Some(explicit) => explicit.to_string(),
        None => match slugify(&text) {
            slug if slug.is_empty() => "section".to_owned(),
            slug => slug,
        },
    };
    let unique = used_ids.unique(wanted);
    *id = Some(CowStr::from(unique.clone()));
    Heading {
        level: *level as u8,
        id: unique,
        text,
        span: span.range(),
        other_attributes: attrs.iter().map(|(name, _)| name.to_string()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citations_are_found_in_text_but_never_in_code() {
        let text = "Mood lifted [@berman2000; @zarate2006].\n\n`[@not_a_citation]`\n\n```\n[@nor_this]\n```\n";
        let body = parse(text, 0, "a.md");
        assert_eq!(body.citations.len(), 1);
        assert_eq!(body.citations[0].keys, ["berman2000", "zarate2006"]);
        assert_eq!(
            &text[body.citations[0].span.clone()],
            "[@berman2000; @zarate2006]"
        );
    }

    #[test]
    fn headings_get_unique_ids_and_explicit_ids_are_kept() {
        let body = parse(
            "# Side effects\n\n## Common {#common}\n\n## Side effects\n",
            0,
            "a.md",
        );
        let ids: Vec<_> = body.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["side-effects", "common", "side-effects-2"]);
        // A number already taken by an editor's own anchor is skipped.
        let body = parse("## A\n\n## A {#a-2}\n\n## A\n\n## A\n", 0, "a.md");
        let ids: Vec<_> = body.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["a", "a-2", "a-3", "a-4"]);
    }

    #[test]
    fn a_citation_in_a_heading_reaches_neither_its_anchor_nor_its_text() {
        let body = parse("## Serious risks [@fda2023]\n\nText [@a; @b].\n", 0, "a.md");
        assert_eq!(body.headings[0].id, "serious-risks");
        assert_eq!(body.headings[0].text, "Serious risks");
        let texts: Vec<&str> = body
            .events
            .iter()
            .filter_map(|(event, _)| match event {
                StoredEvent::Text(text) => Some(&**text),
                _ => None,
            })
            .collect();
        assert!(texts.iter().all(|t| !t.contains('@')), "{texts:?}");
        assert_eq!(body.citations.len(), 2);
    }

    #[test]
    fn image_text_is_plain_text_and_nested_images_share_it() {
        let body = parse(
            "![A *big* [arm](x.md) `scan`](arm.png)\n\n![](a.png) ![outer ![inner](i.png) end](o.png) ![Decorative](line.png)\n",
            0,
            "articles/a.md",
        );
        let alts: Vec<String> = body.images.iter().map(|i| body.alt_text(i)).collect();
        assert_eq!(alts, ["A big arm scan", "", "outer inner end", "inner", ""]);
        let described: Vec<bool> = body.images.iter().map(|i| body.is_described(i)).collect();
        assert_eq!(described, [true, false, true, true, true]);
        let images: Vec<&LinkTarget> = body
            .links
            .iter()
            .filter(|l| l.is_image)
            .map(|l| &l.target)
            .collect();
        assert_eq!(images.len(), 5);
        assert_eq!(
            images[0],
            &LinkTarget::Local {
                site_path: "articles/arm.png".into(),
                rest: String::new()
            }
        );
    }

    #[test]
    fn internal_links_are_recorded_with_file_offsets() {
        let text =
            "---\n---\nSee [risks](side-effects.md#serious) and [web](https://example.org).\n";
        let body = parse(text, 8, "articles/a.md");
        assert_eq!(body.links.len(), 1);
        assert!(!body.links[0].is_image);
        assert_eq!(
            &text[body.links[0].span.clone()],
            "[risks](side-effects.md#serious)"
        );
    }
}
