//! Which topics and disclaimers an article names, and which disclaimers the
//! clinic's policy requires of it.

use super::mentions::Folded;
use super::{front_matter_start, is_clinical, suggest_from};
use crate::config::{DisclaimerRule, Policy};
use crate::diagnostics::{Code, Diagnostic, closest};
use crate::load::front_matter::locate;
use crate::load::{Page, Site};
use crate::source::SourceFile;

pub(super) fn check(site: &Site<'_>, page: &Page<'_>, found: &mut Vec<Diagnostic>) {
    known_ids(site, page, found);
    required(site, page, found);
    has_topics(site, page, found);
}

/// A clinical article with no topic escapes every rule keyed on topics.
fn has_topics(site: &Site<'_>, page: &Page<'_>, found: &mut Vec<Diagnostic>) {
    let config = &site.config;
    if !page.front.topics.is_empty()
        || config.topics.is_empty()
        || !is_clinical(&config.policy, page)
    {
        return;
    }
    let known: Vec<&str> = config.topics.keys().map(String::as_str).collect();
    found.push(
        Diagnostic::warning(Code::NoTopics, "this article names no topic, so the disclaimers the policy requires for a topic (such as the crisis line) cannot apply to it")
            .at(page.file, front_matter_start(page))
            .hint(format!("add the topics it is about, for example `topics: [{}]`; this site's topics are {}", known[0], known.join(", "))),
    );
}

fn known_ids(site: &Site<'_>, page: &Page<'_>, found: &mut Vec<Diagnostic>) {
    let config = &site.config;
    let topics = config.topics.keys();
    let disclaimers = config.disclaimers.keys();
    for (field, used, known, code, noun) in [
        (
            "topics",
            &page.front.topics,
            topics.collect::<Vec<_>>(),
            Code::UnknownTopic,
            "a topic of this site",
        ),
        (
            "disclaimers",
            &page.front.disclaimers,
            disclaimers.collect(),
            Code::UnknownDisclaimer,
            "a disclaimer defined in site.yaml",
        ),
    ] {
        for id in used.iter().filter(|id| !known.contains(id)) {
            let suggestion = closest(id, known.iter().map(|k| k.as_str()));
            found.push(
                Diagnostic::error(code, format!("`{id}` is not {noun}"))
                    .at(page.file, locate(page.file, &page.yaml, field, Some(id)))
                    .hint(suggest_from(suggestion, field, known.iter().copied())),
            );
        }
    }
}

/// Why a rule applies to an article in `folder` with `topics` and `text`,
/// in words for the message; `None` when it does not apply.
fn reason(
    rule: &DisclaimerRule,
    folder: &str,
    topics: &[String],
    text: Option<(&Folded, &SourceFile)>,
) -> Option<String> {
    if let Some(topic) = rule.topics.iter().find(|topic| topics.contains(topic)) {
        return Some(format!("topic `{topic}` requires"));
    }
    if let Some((folded, file)) = text {
        for term in &rule.mentions {
            if let Some(found) = folded.find(term) {
                let line = file.position(found.start).line;
                return Some(format!(
                    "this page mentions \"{}\" (line {line}), which requires",
                    &file.text[found]
                ));
            }
        }
    }
    if !rule.topics.is_empty() || !rule.mentions.is_empty() {
        return None;
    }
    if !rule.sections.is_empty() {
        return rule
            .sections
            .iter()
            .find(|section| {
                folder == section.trim_end_matches('/')
                    || folder.starts_with(&format!("{}/", section.trim_end_matches('/')))
            })
            .map(|section| format!("articles in `{section}` require"));
    }
    Some("the policy requires, on every article,".to_owned())
}

/// The rules that apply to an article, with why each does. Topic and
/// mention rules apply to any page: a page that talks about depression or
/// suicide shows the crisis line whatever else it is.
fn applying<'p, 't>(
    policy: &'p Policy,
    content_path: &str,
    clinical: bool,
    topics: &'t [String],
    text: Option<(&'t Folded, &'t SourceFile)>,
) -> impl Iterator<Item = (&'p DisclaimerRule, String)> + 't
where
    'p: 't,
{
    let folder = content_path
        .rsplit_once('/')
        .map_or("", |(folder, _)| folder)
        .to_owned();
    policy.disclaimers.iter().filter_map(move |rule| {
        if rule.topics.is_empty() && rule.mentions.is_empty() && !clinical {
            return None;
        }
        reason(rule, &folder, topics, text).map(|why| (rule, why))
    })
}

/// The disclaimers the policy requires of a new article at `content_path`
/// with `topics`, for `pamphlet new`.
pub fn required_for(policy: &Policy, content_path: &str, topics: &[String]) -> Vec<String> {
    let clinical = !policy.is_non_clinical(content_path);
    applying(policy, content_path, clinical, topics, None)
        .map(|(rule, _)| rule.require.clone())
        .collect()
}

fn required(site: &Site<'_>, page: &Page<'_>, found: &mut Vec<Diagnostic>) {
    let policy = &site.config.policy;
    let clinical = is_clinical(policy, page);
    let folded = policy
        .disclaimers
        .iter()
        .any(|rule| !rule.mentions.is_empty())
        .then(|| Folded::of(&page.file.text));
    let text = folded.as_ref().map(|folded| (folded, page.file));
    for (rule, reason) in applying(
        policy,
        &page.content_path,
        clinical,
        &page.front.topics,
        text,
    ) {
        if page.front.disclaimers.contains(&rule.require) {
            continue;
        }
        let place = if page.front.disclaimers.is_empty() {
            front_matter_start(page)
        } else {
            locate(page.file, &page.yaml, "disclaimers", None)
        };
        let title = site
            .config
            .disclaimers
            .get(&rule.require)
            .map(|d| format!(" (\"{}\")", d.title))
            .unwrap_or_default();
        found.push(super::or_non_clinical(
            Diagnostic::error(
                Code::MissingDisclaimer,
                format!(
                    "{reason} the disclaimer `{}`{title}, and this article does not list it",
                    rule.require
                ),
            )
            .at(page.file, place)
            .hint(format!(
                "add `{}` to `disclaimers:` in the front matter, for example `disclaimers: [{}]`",
                rule.require,
                page.front
                    .disclaimers
                    .iter()
                    .chain(std::iter::once(&rule.require))
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            page,
        ));
    }
}

/// The policy itself must name disclaimers and topics that exist, or a rule
/// could never be satisfied.
pub(super) fn policy_names_known_ids(site: &Site<'_>) -> Vec<Diagnostic> {
    let config = &site.config;
    let file = site.config_file;
    let whole = 0..file.text.len();
    let mut found = Vec::new();
    for rule in &config.policy.disclaimers {
        if !config.disclaimers.contains_key(&rule.require) {
            found.push(
                Diagnostic::error(
                    Code::SiteConfig,
                    format!("the policy requires the disclaimer `{}`, which site.yaml does not define", rule.require),
                )
                .at(file, locate(file, &whole, "require", Some(&rule.require)))
                .hint("define it under `disclaimers:` in site.yaml with a `title:` and `text:`, or correct the id"),
            );
        }
        for topic in rule
            .topics
            .iter()
            .filter(|t| !config.topics.contains_key(*t))
        {
            found.push(
                Diagnostic::error(
                    Code::SiteConfig,
                    format!(
                        "the policy names the topic `{topic}`, which site.yaml does not declare"
                    ),
                )
                .at(file, locate(file, &whole, "topics", Some(topic)))
                .hint("declare it under `topics:` in site.yaml, or correct the id"),
            );
        }
    }
    found
}
