//! Glossary terms explained where they appear. The page that `glossary:` in
//! site.yaml names defines the terms: each heading is a term, the first
//! sentence under it its definition. In every other page the first use of a
//! term links to its entry, and `aria-describedby` gives screen readers the
//! definition in place; nothing depends on hovering.

use crate::load::Site;
use crate::load::blocks::BlockTag;
use crate::load::body::Heading;

/// The site's glossary: the terms its glossary page defines.
pub struct Glossary {
    /// The glossary page's own content path: it does not link to itself.
    pub content_path: String,
    /// Where the glossary page is published.
    pub output_path: String,
    /// Each term, in the order the page defines them.
    pub terms: Vec<Term>,
}

/// One term and what it means.
pub struct Term {
    /// Lower case, as matched.
    pub words: String,
    /// The anchor of its heading on the glossary page.
    pub id: String,
    /// The first sentence under its heading, as plain text.
    pub definition: String,
}

/// The glossary of the site, when site.yaml names a glossary page that parsed.
pub fn of(site: &Site<'_>) -> Option<Glossary> {
    let page = site.page(site.config.glossary.as_deref()?)?;
    let mut terms = Vec::new();
    let mut term: Option<&Heading> = None;
    for block in page.body.blocks() {
        match block.tag {
            BlockTag::Heading { index } => term = page.body.headings.get(index),
            BlockTag::Paragraph => {
                if let Some(heading) = term.take() {
                    terms.push(Term {
                        words: heading.text.to_ascii_lowercase(),
                        id: heading.id.clone(),
                        definition: first_sentence(&page.body.plain_text(&block)),
                    });
                }
            }
            _ => {}
        }
    }
    // Longer terms first, so "treatment-resistant depression" wins over a
    // shorter term inside it.
    terms.sort_by_key(|t| std::cmp::Reverse(t.words.len()));
    Some(Glossary {
        content_path: page.content_path.clone(),
        output_path: page.output_path.clone(),
        terms,
    })
}

fn first_sentence(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = text.replace(" .", ".");
    match text.find(". ") {
        Some(end) => text[..=end].to_owned(),
        None => text,
    }
}

impl Glossary {
    /// The first not-yet-used term in `text`: its byte range and index.
    pub fn find(&self, text: &str, used: &[bool]) -> Option<(std::ops::Range<usize>, usize)> {
        let lower = text.to_ascii_lowercase();
        let is_word = |c: char| c.is_alphanumeric() || c == '-';
        self.terms
            .iter()
            .enumerate()
            .filter(|(index, _)| !used[*index])
            .filter_map(|(index, term)| {
                lower.match_indices(&term.words).find_map(|(at, _)| {
                    let before_ok = !lower[..at].chars().next_back().is_some_and(is_word);
                    let mut end = at + term.words.len();
                    if lower[end..].starts_with('s') {
                        end += 1;
                    }
                    let after_ok = !lower[end..].chars().next().is_some_and(is_word);
                    (before_ok && after_ok).then_some((at..end, index))
                })
            })
            .min_by_key(|(range, _)| range.start)
    }
}
