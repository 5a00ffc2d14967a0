//! The prose checks: a sentence that states a statistic or leans on
//! research must cite something, wording about suicide follows
//! safe-messaging guidance, and clinical articles stay easy to read.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::at_level;
use crate::diagnostics::{Code, Diagnostic};
use crate::load::front_matter::locate;
use crate::load::{Page, Site};
use crate::prose::{BlockKind, Prose};
use crate::readability;

/// Compiles `pattern` with `\b` meaning an ASCII word boundary. Unicode
/// boundaries keep the regex crate off its fastest engine on long texts:
/// searching a page's prose whole was six times slower with them
/// (`cargo bench --bench stages -- check`).
fn word_pattern(pattern: &str) -> Regex {
    Regex::new(&pattern.replace(r"\b", r"(?-u:\b)")).expect("valid pattern")
}
/// A claim that needs a citation: a statistic (a percentage, "N out of M",
/// "N in M", "N times more", "twice as", "half of") or an appeal to research
/// that needs the research named. One pattern, so a page is searched once;
/// the group that matched says which.
static CLAIM: LazyLock<Regex> = LazyLock::new(|| {
    let number = r"(?:\d+(?:[.,]\d+)?|one|two|three|four|five|six|seven|eight|nine|ten)";
    let statistic = format!(
        r"\b\d+(?:[.,]\d+)?\s?(?:%|percent\b|per cent\b)|\b{number}\s+(?:out\s+of|in(?:\s+every)?)\s+(?:\d+|two|three|four|five|six|seven|eight|nine|ten|a\s+hundred|a\s+thousand)\b|\b{number}\s*(?:times|-fold|fold)\s+(?:more|less|higher|lower|greater|as|likely)\b|\btwice\s+as\b|\b(?:half|a\s+third|a\s+quarter|two\s+thirds|three\s+quarters)\s+of\b"
    );
    // Outcomes said of most people, and comparisons of outcomes or risks,
    // are statistics without the number.
    let outcome = r"\b(?:the\s+)?(?:vast\s+)?majority\s+of\b|\bmore\s+than\s+half\b|\b(?:almost|nearly|virtually)\s+(?:all|everyone|every\s+patient)\b|\bmost\s+(?:(?:people|patients|users|clients|adults|of\s+(?:them|those|these))\s+(?:will\s+|can\s+|do\s+)?|will\s+)(?:feel|felt|see|saw|get|got|improve|improved|respond|responded|recover|recovered|notice|noticed|benefit|benefited|find|found)\b|\bmost\s+(?:antidepressants|doctors|medical\s+professionals|experts)\b|\bvery\s+few\s+(?:people|patients|reported|report)\b|\b(?:usually|typically)\s+(?:works|helps|includes|exerts|has\s+a|ineffective)\b|\b(?:helpful|effective|works)\s+for\s+most\b|\bwith\s+impressive\s+results\b";
    let comparison = r"\b(?:much\s+|far\s+|significantly\s+)?(?:quicker|faster|slower|safer|better|more\s+effective|less\s+effective|more\s+addictive|less\s+addictive|more\s+noticeable|less\s+noticeable)\s+(?:effect\s+|results?\s+)?than\b|\bcompared\s+(?:to|with)\b|\b(?:isn['’]?t|is\s+not|not)\s+as\s+(?:effective|safe|fast|good)\s+as\b|\bunlike\s+(?:traditional|other|standard|most)\b";
    let statistic = format!("{statistic}|{outcome}|{comparison}");
    let research = r"\b(?:studies|a\s+study|the\s+study|one\s+study|recent\s+studies|research(?:\s+studies)?|researchers|trials|clinical\s+(?:trials|studies)|evidence|scientists|experts|data)\s+(?:(?:have|has|had)\s+)?(?:also\s+)?(?:show|shows|showed|shown|suggest|suggests|suggested|prove|proves|proved|proven|found|find|finds|confirm|confirms|confirmed|reveal|reveals|revealed|demonstrate|demonstrates|demonstrated|indicate|indicates|indicated|observed)\b|\b(?:has|have|had)\s+been\s+(?:shown|found|proven|proved|demonstrated|observed)\s+to\b|\b(?:clinically|scientifically|medically)\s+proven\b|\bproven\s+to\b|\bproved\s+to\b|\baccording\s+to\s+(?:the\s+|a\s+|one\s+|recent\s+|new\s+)?(?:study|studies|research|trials?|researchers|data)\b|\bin\s+(?:the|a|one)\s+(?:recent\s+)?(?:study|trial)\b|\bin\s+animal\s+(?:models|studies)\b|\bresearchers\s+at\b|\bshown\s+to\s+(?:have|be|work|help|reduce|improve|provide|relieve)\b|\b(?:have|has)\s+shown\s+(?:promising|great|good|significant|impressive)\b|\b(?:been|being)\s+reported\s+in\b";
    word_pattern(&format!(
        r"(?i)(?P<statistic>{statistic})|(?P<research>{research})"
    ))
});

/// What a sentence's claim is, in the order a sentence is reported for:
/// its first statistic, else its first appeal to research.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum ClaimKind {
    Statistic,
    Research,
}

/// The claims in `text`, in order. A percentage that names what something
/// is made of ("50% DEET", "0.9% saline") is a strength, not a claim.
fn claims_of(text: &str) -> impl Iterator<Item = (ClaimKind, regex::Match<'_>)> {
    CLAIM
        .captures_iter(text)
        .map(|captures| claim_of(&captures))
        .filter(|(_, claim)| {
            let next_word: String = text[claim.end()..]
                .trim_start()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '/')
                .collect::<String>()
                .to_lowercase();
            !(claim.as_str().ends_with('%') && STRENGTHS.contains(&next_word.as_str()))
        })
}

/// Words that follow a percentage giving a strength or concentration.
const STRENGTHS: [&str; 16] = [
    "deet",
    "saline",
    "dextrose",
    "glucose",
    "lidocaine",
    "alcohol",
    "solution",
    "concentration",
    "strength",
    "cream",
    "gel",
    "ointment",
    "oxygen",
    "zinc",
    "w/v",
    "w/w",
];

/// The claim in `text` that `captures` found.
fn claim_of<'t>(captures: &regex::Captures<'t>) -> (ClaimKind, regex::Match<'t>) {
    match captures.name("statistic") {
        Some(statistic) => (ClaimKind::Statistic, statistic),
        None => (
            ClaimKind::Research,
            captures.name("research").expect("one group matches"),
        ),
    }
}

/// Phrases safe-messaging guidance (reportingonsuicide.org) asks writers to
/// avoid, with what to write instead.
static BARE_ATTEMPT: LazyLock<Regex> =
    LazyLock::new(|| word_pattern(r"(?i)\b(?:failed|unsuccessful|successful)\s+attempts?\b"));

static UNSAFE_WORDING: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    [
        (
            r"(?i)\bcommit(?:s|ted|ting)?\s+suicide\b",
            "\"died by suicide\" (or \"took their own life\")",
        ),
        (
            r"(?i)\b(?:successful|completed)\s+suicide\b",
            "\"died by suicide\"",
        ),
        // Only about a life: "a failed attempt to place the IV" is fine.
        (
            r"(?i)\bsuccessful(?:ly)?\s+(?:suicide\s+attempt|attempt\s+(?:on|at)\s+(?:his|her|their|my|your|one's)\s+(?:own\s+)?life)\b",
            "\"died by suicide\"",
        ),
        (
            r"(?i)\b(?:failed|unsuccessful)\s+(?:suicide\s+attempt|attempt\s+(?:on|at)\s+(?:his|her|their|my|your|one's)\s+(?:own\s+)?life)\b",
            "\"suicide attempt\" (or \"survived a suicide attempt\")",
        ),
        (
            r"(?i)\bsuicide\s+(?:epidemic|crisis\s+sweeping)\b",
            "\"rising suicide rates\", with the figures and their source",
        ),
        (
            r"(?i)\bsuicide\s+victims?\b",
            "\"person who died by suicide\"",
        ),
        (
            r"(?i)\bsuicide\s+(?:bid|bids)\b",
            "\"suicide attempt\"",
        ),
        (
            r"(?i)\bsuicide\s+(?:rates?|numbers?)\s+(?:are\s+|have\s+been\s+)?(?:skyrocket(?:s|ed|ing)?|soar(?:s|ed|ing)?)\b|\b(?:skyrocketing|soaring)\s+suicide\b",
            "\"rising\" or \"higher\", with the figures and their source",
        ),
    ]
    .into_iter()
    .map(|(pattern, better)| (word_pattern(pattern), better))
    .collect()
});

/// Whether `sentence` states a claim that needs a citation, and whether it
/// makes a promotional claim: the prose checks' judgement of one sentence.
pub fn claims_in(sentence: &str) -> (bool, bool) {
    (
        claims_of(sentence).next().is_some(),
        super::promotional::find(sentence).is_some(),
    )
}

pub(super) fn check(site: &Site<'_>, page: &Page<'_>, found: &mut Vec<Diagnostic>) {
    let level = site.config.policy.uncited_claims;
    let prose = Prose::of(page);
    if super::is_clinical(&site.config.policy, page) {
        reading_grade(site, page, &prose, found);
    }
    wording(page, prose.text(), |at| prose.file_offset(at), found);
    // A sentence is reported once: for a statistic if it states one, else
    // for leaning on research.
    let mut claims: Vec<Option<(ClaimKind, Range<usize>)>> = vec![None; prose.len()];
    for (kind, claim) in claims_of(prose.text()) {
        let index = prose.sentence_at(claim.start());
        let sentence = prose.sentence(index);
        if sentence.kind == BlockKind::Heading || !sentence.keys.is_empty() {
            continue;
        }
        if claims[index]
            .as_ref()
            .is_none_or(|(first, _)| kind < *first)
        {
            claims[index] = Some((kind, claim.range()));
        }
    }
    // One promotional claim per sentence is enough to send the editor back
    // to it; slogans ("Safe.") are one-word sentences.
    let mut promoted = vec![false; prose.len()];
    let text = prose.text();
    let claims_found =
        super::promotional::find_all(text, |at| prose.sentence_text_start(prose.sentence_at(at)));
    let slogans = prose
        .sentences()
        .enumerate()
        .filter(|(_, sentence)| sentence.text.len() < 16)
        .filter_map(|(index, sentence)| {
            let start = prose.sentence_text_start(index);
            super::promotional::find(sentence.text)
                .map(|(range, better)| (start + range.start..start + range.end, better))
        });
    for (claim, better) in claims_found.chain(slogans) {
        let index = prose.sentence_at(claim.start);
        if std::mem::replace(&mut promoted[index], true) {
            continue;
        }
        found.push(
            at_level(
                site.config.policy.promotional_claims,
                Code::PromotionalClaim,
                format!(
                    "\"{}\" is a promotional or absolute claim, which no study can support for every reader",
                    &text[claim.clone()]
                ),
            )
            .at(page.file, prose.file_offset(claim.start)..prose.file_offset(claim.end))
            .hint(better),
        );
    }
    for (kind, claim) in claims.into_iter().flatten() {
        let what = match kind {
            ClaimKind::Statistic => "states a statistic",
            ClaimKind::Research => "leans on research",
        };
        let span = prose.file_offset(claim.start)..prose.file_offset(claim.end);
        found.push(
            at_level(
                level,
                Code::UncitedClaim,
                format!(
                    "this sentence {what} (\"{}\") but cites nothing",
                    &prose.text()[claim]
                ),
            )
            .at(page.file, span)
            .hint("add the study that supports it, as `[@id]` before the full stop; if no study supports it, remove the claim or say plainly that it is uncertain"),
        );
    }
    for field in ["title", "summary"] {
        let key = locate(page.file, &page.yaml, field, None);
        if key.is_empty() || &page.file.text[key.clone()] != field {
            continue;
        }
        let line = page.file.line_span(key.start);
        wording(
            page,
            &page.file.text[line.clone()],
            |at| line.start + at,
            found,
        );
    }
}

fn reading_grade(site: &Site<'_>, page: &Page<'_>, prose: &Prose<'_>, found: &mut Vec<Diagnostic>) {
    let policy = &site.config.policy.readability;
    let Some(measured) = readability::of(prose) else {
        return;
    };
    if measured.flesch_kincaid_grade <= policy.max_grade {
        return;
    }
    found.push(
        at_level(
            policy.level,
            Code::ReadingGrade,
            format!(
                "this article reads at US grade {} (Flesch-Kincaid); the policy's highest is {}",
                measured.flesch_kincaid_grade, policy.max_grade
            ),
        )
        .at(page.file, locate(page.file, &page.yaml, "title", None))
        .hint(format!(
            "use shorter sentences (now {:.0} words on average) and everyday words; explain each medical term once, in plain words",
            measured.words as f64 / measured.sentences as f64
        )),
    );
}

fn wording(
    page: &Page<'_>,
    text: &str,
    file_offset: impl Fn(usize) -> usize,
    found: &mut Vec<Diagnostic>,
) {
    // "A failed attempt" is safe-messaging's concern only on a page about
    // suicide, and never when it is an attempt *to* do something else. The
    // page is read for "suicide" only when the phrase is there at all.
    let mut about_suicide: Option<bool> = None;
    let bare_attempts = BARE_ATTEMPT.find_iter(text).filter(move |m| {
        let next: String = text[m.end()..]
            .trim_start()
            .chars()
            .take(3)
            .collect::<String>()
            .to_lowercase();
        !["to ", "at ", "of ", "to\n", "at\n"].contains(&next.as_str())
            && *about_suicide.get_or_insert_with(|| {
                super::mentions::Folded::of(&page.file.text)
                    .find("suicid")
                    .is_some()
            })
    });
    let bare_better = "\"suicide attempt\" (or \"survived a suicide attempt\")";
    let matches = UNSAFE_WORDING
        .iter()
        .flat_map(|(pattern, better)| pattern.find_iter(text).map(move |m| (m, *better)))
        .chain(bare_attempts.map(|m| {
            let better = if m.as_str().to_lowercase().starts_with("success") {
                "\"died by suicide\""
            } else {
                bare_better
            };
            (m, better)
        }));
    for (m, better) in matches {
        {
            found.push(
                Diagnostic::error(
                    Code::UnsafeWording,
                    format!(
                        "\"{}\" goes against safe-messaging guidance on suicide",
                        m.as_str()
                    ),
                )
                .at(page.file, file_offset(m.start())..file_offset(m.end()))
                .hint(format!("write {better} instead; never describe methods")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics_and_research_claims_are_recognised() {
        let kind = |text: &str| claims_of(text).next().map(|(kind, _)| kind);
        for statistic in [
            "About 70% of people",
            "7 out of 10 people",
            "one in three adults",
            "three times more likely",
            "half of them",
            "The majority of people see relief",
            "most patients improved",
            "It works much faster than antidepressants",
            "the risk is lower compared to opioids",
            "a spray just isn\u{2019}t as effective as an IV",
        ] {
            assert!(kind(statistic) == Some(ClaimKind::Statistic), "{statistic}");
        }
        for research in [
            "Studies show it works",
            "clinically proven",
            "Research has revealed that it acts on nerve cells",
            "It has been shown to help",
            "Clinical trials have demonstrated the efficacy",
            "According to the study the results were significant",
        ] {
            assert!(kind(research) == Some(ClaimKind::Research), "{research}");
        }
        for plain in [
            "three infusions a week",
            "0.5 mg per kg",
            "in 2000, a trial",
            "a session lasts 40 minutes",
            "use a 50% DEET spray",
            "most people can read it",
            "a failed attempt to place the IV",
        ] {
            assert!(kind(plain).is_none(), "{plain}");
        }
    }
}
