//! Promotional and absolute health claims: "cures", "completely safe", "no
//! side effects", "not addictive", "the best treatment", "instant relief".
//! Regulators (the FTC's Health Products Compliance Guidance) treat such
//! claims as needing strong evidence, and patient-information standards ask
//! for balanced wording; honest pages say what may help some people, and how
//! sure anyone is. A citation does not clear these: no study shows a
//! treatment is safe for everyone.

use std::sync::LazyLock;

use regex::Regex;

/// Each kind of claim with the honest wording to suggest instead.
const KINDS: [(&str, &str); 7] = [
    (
        r"\b(?:cures?|cured|curing)\b|\b(?:treats|heals|fixes|solves|takes\s+care\s+of|can\s+(?:treat|heal|fix|solve|take\s+care\s+of))\s+(?:all|every|any)\s+(?:(?:your|of\s+your|the|kinds?\s+of|types?\s+of)\s+)?(?:health\s+)?(?:problems?|conditions?|illness(?:es)?|diseases?|ailments?)\b|\bhalts?\s+(?:the\s+)?progression\b|\brevers(?:e|es|ed|ing)\s+(?:the\s+)?(?:signs\s+of\s+)?(?:aging|ageing|damage|disease|arthritis|osteoarthritis|diabetes)\b",
        "say what it may do for some people (\"may ease symptoms for some people\"); if no treatment cures the condition, say so",
    ),
    (
        r"\b(?:miracle|miraculous(?:ly)?|breakthrough|groundbreaking|ground-breaking|cutting-edge|revolutionary|game[- ]changer|life-changing|life-saving|works?\s+wonders|working\s+wonders|changing\s+the\s+lives)\b",
        "describe what the treatment is and what the studies found, without praise",
    ),
    (
        r"\bguarantee(?:s|d)?\b|\b(?:works?|effective|suitable|safe|right|helps?)\s+for\s+everyone\b|\bcomplete\s+success\b|\bwithout\s+a\s+doubt\b|\bundoubtedly\b|\b(?:remarkable|amazing|incredible|astonishing|astounding|phenomenal|unparalleled|unmatched|unrivall?ed|outstanding|exceptional|extraordinary|spectacular)\s+(?:[a-z-]+\s+){0,2}?(?:transformations?|results?|effects|improvements?|recovery|recoveries|ability|abilities|power|benefits?|renaissance|turnaround|outcomes?|success|relief|treatments?|therap(?:y|ies)|procedures?|services?)\b|\bsecond\s+to\s+none\b|\b(?:number\s+one|no\.\s?1)\s+(?:choice|treatment|solution|clinic|provider|rated)\b|#1\s+(?:choice|treatment|solution|clinic|provider|rated)\b|\bsuitable\s+for\s+(?:all|everyone|anyone)\b|\b(?:men|women|patients|people|clients)\s+will\s+(?:have|feel|look|become|be)\s+(?:a\s+)?(?:better|younger|healthier|happier|more\s+energetic)\b|\bdramatic\s+(?:[a-z]+\s+)?(?:transformations?|results|improvements?|gains?)\b|\b(?:great|huge|tremendous)\s+success\b|\bimpressive\s+results\b",
        "say how many people it helped in the studies, with the source, and that it does not help everyone",
    ),
    (
        r"\b(?:100\s?%|completely|perfectly|totally|absolutely|entirely|very|extremely)\s+safe\b|\brisk[- ]free\b|\bside[- ]effect[- ]free\b|\bsafe(?:ly)?\s+and\s+natural(?:ly)?\b|\bno\s+(?:(?:reported|known|long[- ]term|lasting|permanent|significant|real)\s+){0,3}(?:side[- ]effects|risks?|downtime)\b|\bwithout\s+(?:\w+\s+){0,2}side[- ]effects?\b|\bnever\s+been\s+(?:any\s+)?reported\s+(?:serious\s+)?(?:side[- ]effects|allergic\s+reactions|complications|adverse)|\bsafe\s+and\s+effective\b|\b(?:is|are|it['’]s)\s+(?:(?:a|an|very)\s+)*safe(?:,|\s+and)?\s+(?:[a-z-]+\s+){0,2}?(?:treatments?|methods?|procedures?|options?|therap(?:y|ies)|alternatives?|when)\b|\b(?:minimal|little\s+to\s+no|zero)\s+(?:and\s+[a-z]+\s+)?(?:risks?|side[- ]effects)\b|\b(?:has|have|with|causes?|there\s+(?:is|are))\s+(?:only\s+)?very\s+(?:few|little|low)\s+(?:risks?|side[- ]effects)\b|\bwithout\s+(?:causing\s+|doing\s+)?(?:any\s+)?harm\b|\bwithout\s+(?:any\s+|requiring\s+(?:any\s+)?|needing\s+(?:any\s+)?)(?:downtime|recovery\s+time)\b|\b(?:is|are|completely|totally|virtually|entirely)\s+painless\b|100%\s+painless\b|\b(?:dependency|dependence|addiction|abuse)\s+(?:\w+\s+){0,4}(?:is|are)\s+lower\b|\ball\s+(?:the\s+)?side\s+effects\s+are\s+temporary\b",
        "name the common and the serious side effects and who should not have it (\"most side effects pass within a few hours\", with the source)",
    ),
    (
        r"\b(?:isn['’]?t|is\s+not|not|non-?)\s*(?:addictive|habit[- ]forming)\b",
        "say what is known about misuse and dependence, with the source (\"ketamine can be misused; the clinic watches for this\")",
    ),
    (
        r"\bthe\s+best\s+(?:way|treatment|option|choice|method|route)\b|\bproven\s+(?:[\w-]+\s+)?(?:solution|treatment|remedy|result|method|therapy|technique)s?\b|\bpermanent(?:ly)?\s+(?:results?|relief|solution|cure|fix)\b|\bthe\s+ultimate\s+(?:solution|cure|answer|treatment|way)\b|\b(?:the\s+)?most\s+(?:effective|efficient|successful)\s+(?:ways?|treatments?|options?|methods?|routes?|tools?|approach(?:es)?|solutions?|techniques?|therap(?:y|ies))\b|\bthe\s+(?:greatest|biggest|most\s+important)\s+(?:advances?|advancements?|breakthroughs?|innovations?)\s+in\b|\bhighly\s+effective\b|\bso\s+(?:effective|successful|helpful)\b|\bextremely\s+(?:effective|promising)\b",
        "compare it with other treatments only as the studies do, with the source (\"in one trial it worked faster than ...\")",
    ),
    (
        r"\b(?:instant|instantaneous|immediate)\s+(?:relief|results?|effect)\b|\balmost\s+(?:immediately|immediate|instant(?:ly)?)\b|\babsolute(?:ly)?\s+rapid\b",
        "say how soon some people felt better in the studies (\"within hours to days for some people\"), with the source",
    ),
];

/// Every kind in one pattern, one group per kind, so a page's prose is
/// searched once whatever its length (ASCII word boundaries keep the regex
/// crate on its fastest engine).
static PROMOTIONAL: LazyLock<Regex> = LazyLock::new(|| {
    let groups: Vec<String> = KINDS
        .iter()
        .enumerate()
        .map(|(index, (pattern, _))| format!("(?P<k{index}>{pattern})"))
        .collect();
    let pattern = format!("(?i){}", groups.join("|").replace(r"\b", r"(?-u:\b)"));
    Regex::new(&pattern).expect("valid pattern")
});

/// A stand-alone "Safe." or "Effective." (a slogan, not a sentence).
static SLOGAN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:safe|effective|fast|proven)[.!]?\s*$").expect("valid")
});

/// The promotional claims in `text` (a page's prose, or one sentence), as
/// byte ranges with the honest wording to suggest; "no cure" and "not a
/// cure" are honest and pass. `sentence_start` gives where the sentence
/// holding an offset starts, so a denial is looked for in that sentence only.
pub(super) fn find_all<'t>(
    text: &'t str,
    sentence_start: impl Fn(usize) -> usize + 't,
) -> impl Iterator<Item = (std::ops::Range<usize>, &'static str)> + 't {
    PROMOTIONAL.captures_iter(text).filter_map(move |captures| {
        let (index, claim) = (0..KINDS.len())
            .find_map(|index| captures.name(&format!("k{index}")).map(|m| (index, m)))?;
        let before = &text[sentence_start(claim.start()).min(claim.start())..claim.start()];
        // "The best treatment plan for you" plans; it does not rank. A
        // "breakthrough therapy designation" is the FDA's name for a status.
        let after = text[claim.end()..].trim_start();
        let claimed = claim.as_str().to_lowercase();
        // "Placed in a culture to cure for several days": curing as a
        // laboratory or a kitchen does it, for a stated time.
        let processed = claimed.starts_with("cure")
            && after.strip_prefix("for ").is_some_and(|rest| {
                let mut words = rest.split_whitespace();
                let (Some(count), Some(unit)) = (words.next(), words.next()) else {
                    return false;
                };
                let count = count.to_lowercase();
                (count.parse::<u32>().is_ok()
                    || ["a", "an", "one", "two", "three", "several", "a few", "some"]
                        .contains(&count.as_str()))
                    && [
                        "minutes", "hours", "days", "weeks", "hour", "day", "week", "few",
                    ]
                    .contains(&unit.trim_end_matches(['.', ',']).to_lowercase().as_str())
            });
        // "My friend's breakthrough came when ...", "the breakthrough for me
        // was ...": a moment in someone's story, not praise of a treatment.
        let a_moment = claimed == "breakthrough"
            && [
                "came", "happened", "moment", "for me", "for him", "for her", "for us", "for them",
            ]
            .iter()
            .any(|next| {
                after
                    .get(..next.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(next))
            });
        let named = after.starts_with("plan")
            || after.starts_with("therapy designation")
            || after.starts_with("designation");
        // "The best way to find out whether you are a candidate" advises
        // how to decide, and ranks no treatment.
        let advice = claimed.ends_with("best way")
            && after.strip_prefix("to ").is_some_and(|rest| {
                ADVICE.iter().any(|verb| {
                    // A bounded head: the rest of the page is not read.
                    let head: String = rest.chars().take(16).collect();
                    head.to_lowercase().starts_with(verb)
                })
            });
        (!denied(before) && !named && !advice && !processed && !a_moment)
            .then_some((claim.range(), KINDS[index].1))
    })
}

/// What "the best way to" may go on to without ranking a treatment.
const ADVICE: [&str; 9] = [
    "find out",
    "know",
    "learn",
    "decide",
    "tell",
    "determine",
    "get started",
    "book",
    "contact",
];

/// The first promotional claim in `sentence`, or its being a slogan.
pub(super) fn find(sentence: &str) -> Option<(std::ops::Range<usize>, &'static str)> {
    if SLOGAN.is_match(sentence) {
        return Some((
            0..sentence.trim_end().len(),
            "write a full sentence that says for whom and how sure anyone is, with the source",
        ));
    }
    find_all(sentence, |_| 0).next()
}

/// Whether the words just before a claim deny it ("there is no cure",
/// "it is not a cure", "no treatment is completely safe") or report it to
/// correct it ("some websites say it is not addictive").
fn denied(before: &str) -> bool {
    // Five words are read; a bounded tail keeps a sentence of a thousand
    // "cures" linear.
    let mut start = before.len().saturating_sub(160);
    while !before.is_char_boundary(start) {
        start += 1;
    }
    let before = before[start..].to_lowercase().replace('\u{2019}', "'");
    let words: Vec<&str> = before.split_whitespace().rev().take(5).collect();
    words.iter().any(|word| {
        matches!(
            word.trim_matches(|c: char| !c.is_alphanumeric() && c != '\''),
            "no" | "not"
                | "never"
                | "nothing"
                | "isn't"
                | "cannot"
                | "can't"
                | "doesn't"
                | "don't"
                | "didn't"
                | "won't"
                | "aren't"
                | "wasn't"
                | "say"
                | "says"
                | "claim"
                | "claims"
                | "claimed"
                | "claiming"
                | "advertise"
                | "advertises"
                | "promise"
                | "promises"
                | "promising"
                | "promised"
                | "advertised"
                | "marketed"
                | "touted"
                | "find"
                | "finding"
                | "seek"
                | "seeking"
                | "search"
                | "searching"
                | "hope"
                | "hoping"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(sentence: &str) -> Option<&str> {
        find(sentence).map(|(range, _)| &sentence[range])
    }

    #[test]
    fn absolute_and_promotional_claims_are_found() {
        for (sentence, found) in [
            ("Ketamine cures depression.", "cures"),
            (
                "This groundbreaking treatment could help.",
                "groundbreaking",
            ),
            ("There's no downtime afterwards.", "no downtime"),
            ("At these doses it isn't addictive.", "isn't addictive"),
            ("It is considered non-habit forming.", "non-habit forming"),
            ("IV is the best way to give it.", "the best way"),
            ("Patients get immediate relief.", "immediate relief"),
            ("Safe.", "Safe."),
            ("It is completely safe.", "completely safe"),
            (
                "There are no reported long term side effects.",
                "no reported long term side effects",
            ),
            (
                "It eases pain without leaving any side effect.",
                "without leaving any side effect",
            ),
            ("It is known for immediate results.", "immediate results"),
            ("A miraculously functioning product.", "miraculously"),
            ("It works for everyone.", "works for everyone"),
            ("A safe and side-effect free method.", "side-effect free"),
            (
                "It treats the root causes safely and naturally.",
                "safely and naturally",
            ),
            ("Without a doubt, it lifts your mood.", "Without a doubt"),
            (
                "Many report a remarkable renaissance in well-being.",
                "remarkable renaissance",
            ),
            (
                "Afterwards men will have a better sex life.",
                "men will have a better",
            ),
            (
                "It can provide almost immediate effects.",
                "almost immediate",
            ),
            (
                "Its remarkable ability to reset the brain.",
                "remarkable ability",
            ),
            (
                "Clients notice a remarkable transformation.",
                "remarkable transformation",
            ),
            (
                "It is a safe, nonsurgical treatment for knee pain.",
                "is a safe, nonsurgical treatment",
            ),
            (
                "IV therapy is the most efficient way to do it.",
                "the most efficient way",
            ),
            ("It can halt progression of arthritis.", "halt progression"),
            (
                "It reverses the signs of aging.",
                "reverses the signs of aging",
            ),
            (
                "There are very few risks associated with it.",
                "There are very few risks",
            ),
            (
                "It's a safe, non-invasive alternative to antibiotics.",
                "It's a safe, non-invasive alternative",
            ),
            (
                "It penetrates the skin without causing harm.",
                "without causing harm",
            ),
            (
                "LED light now serves as a proven anti-aging solution.",
                "proven anti-aging solution",
            ),
            (
                "Options that are effective without requiring downtime.",
                "without requiring downtime",
            ),
            ("It is suitable for all skin types.", "suitable for all"),
            (
                "We offer amazing med spa services.",
                "amazing med spa services",
            ),
            ("Our results are second to none.", "second to none"),
            ("Try our breakthrough treatment.", "breakthrough"),
            ("The #1 treatment for fatigue.", "#1 treatment"),
            ("It gives permanent results.", "permanent results"),
            ("The procedure is painless.", "is painless"),
            (
                "One of the most effective ways to lose weight is a program.",
                "the most effective ways",
            ),
            (
                "It is one of the most effective tools for healing.",
                "the most effective tools",
            ),
            (
                "It results in dramatic gains in hair growth.",
                "dramatic gains",
            ),
            (
                "Acupuncture takes care of all health problems.",
                "takes care of all health problems",
            ),
            (
                "It is one of the most successful approaches to tooth loss.",
                "the most successful approaches",
            ),
            (
                "Implants are one of the greatest advancements in dentistry.",
                "the greatest advancements in",
            ),
        ] {
            assert_eq!(claim(sentence), Some(found), "{sentence}");
        }
    }

    #[test]
    fn honest_wording_is_not_a_claim() {
        for sentence in [
            "There is no cure for depression, but treatment can help.",
            "Ketamine is not a cure.",
            "No treatment is completely safe.",
            "It may ease symptoms for some people.",
            "A safe place to rest after the infusion.",
            "Side effects usually pass within a few hours.",
            "Some clinic websites say ketamine is not addictive at clinic doses.",
            "A single treatment can\u{2019}t be counted on to cure depression.",
            "Many people struggle to find a cure for their condition.",
            "Clinics have opened promising nearly instant relief.",
            "We will agree the best treatment plan for your needs.",
            "Knee problems affect everyone from athletes to older people.",
            "No medicine is without side effects.",
            "No treatment can reverse the damage already done.",
            "It is safe to drive the next day only if you feel well.",
            "The clinic is a safe place to talk.",
            "There is no doubt that depression is an illness.",
            "The immediate effects wear off within two hours.",
            "In 2018 the FDA granted it a breakthrough therapy designation.",
            "Patients will feel drowsy for an hour or two.",
            "Ketamine can cause dramatic changes in how things look and sound.",
            "Very few side effects last beyond the day, but some do.",
            "Seeing a doctor is the best way to find out whether it suits you.",
            "Some clinics are claiming to cure hangovers.",
            "Lasting results are not proven.",
            "The injection is usually painless, though some feel a sting.",
            "The cells are placed in a culture to cure for several days.",
            "No single treatment takes care of all health problems.",
            "The nurse treats every patient with respect.",
            "Some doctors prefer medicines to treat every illness.",
            "My friend's breakthrough came when we asked one question.",
            "The breakthrough for me wasn't a magic food.",
            "The most successful patients keep their follow-up visits.",
        ] {
            assert_eq!(claim(sentence), None, "{sentence}");
        }
    }
}
