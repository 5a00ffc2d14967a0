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
        r"\b\d+(?:[.,]\d+)?\s?(?:%|percent\b|per cent\b)|\b(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?|ten|eleven|twelve|fifteen|a\s+hundred|one\s+hundred)\s+(?:percent|per\s+cent)\b|\b{number}\s+(?:out\s+of|in(?:\s+every)?)\s+(?:\d+|two|three|four|five|six|seven|eight|nine|ten|a\s+hundred|a\s+thousand)\b|\b{number}\s*(?:times|-fold|fold)\s+(?:more|less|higher|lower|greater|as|likely|faster|quicker|slower|better|stronger)\b|\btwice\s+as\b|\b(?:half|(?:a|one|two)[\s-]+(?:third|quarter|fifth|tenth)s?|three[\s-]+quarters)\s+of\b|\b(?:hundreds|thousands|millions|billions)\s+of\s+(?:(?:thousands|millions)\s+of\s+)?(?:\w+\s+){{0,2}}?(?:people|patients|adults|children|women|men|users|americans|procedures|treatments|infusions|replacements|operations|surgeries|prescriptions|cases|deaths)\b|\b\d+(?:[.,]\d+)?\s+(?:million|billion)\s+(?:people|patients|adults|children|women|men|users|americans?|liters|litres|prescriptions|procedures|doses)\b|\b\d{{1,3}}(?:,\d{{3}})+\s+(?:people|patients|adults|children|women|men|americans|britons|canadians|australians|europeans|deaths|cases)\b|\b(?:dropped|drops?|fallen|falls?|fell|declined|declines?|decreased|decreases?|reduced|cut|risen|rises?|rose|increased|increases?|grown|grew)\s+by\s+(?:roughly\s+|about\s+|around\s+|nearly\s+|almost\s+|more\s+than\s+|over\s+|up\s+to\s+)?(?:half|a\s+third|a\s+quarter|two[\s-]thirds|three[\s-]quarters)\b|\b(?:the\s+)?(?:first|second|third|fourth|fifth|\d+(?:st|nd|rd|th))?\s*(?:leading|largest|biggest|main)\s+(?:cause|causes|contributor)\s+(?:of|to)\b|\b(?:second|third)\s+largest\b|\bthe\s+(?:second|third|fourth|fifth|single)\s+most\s+common\s+(?:reasons?|causes?)\s+(?:for|of)\b|\$\s?\d+(?:[.,]\d+)?\s+(?:million|billion|trillion)\b|\b\d+(?:\s*[-\x{{2013}}]\s*\d+)?\s+years\s+younger\b|\bmost\s+(?:[\w-]+\s+){{0,2}}cases\s+(?:actually\s+)?(?:relate|are\s+(?:caused|due)|result|come|stem|respond|resolve|improve|get\s+better)\b"
    );
    // Outcomes said of most people, and comparisons of outcomes or risks,
    // are statistics without the number.
    let outcome = r"\b(?:the\s+)?(?:vast\s+)?majority\s+of\b|\bthe\s+(?:vast\s+)?majority\s+(?:attain|achieve|see|report|feel|get|respond|improve|recover)\b|\bmore\s+than\s+half\b|\b(?:almost|nearly|virtually)\s+(?:all\s+(?:(?:[a-z-]+\s+){0,2}?(?:people|patients|users|clients|adults|individuals|women|men|children|cases)|of\s+(?:them|those|these|our|the|us|you)|respond|report|improve|recover|benefit|see|feel|get)|everyone|every\s+patient)\b|\bmost\s+(?:(?:[\w-]+\s+)?(?:people|patients|users|clients|adults|individuals|women|men|children|of\s+(?:them|those|these|our\s+\w+))\s+(?:who\s+(?:[\w-]+\s+){1,8}?)?(?:(?:usually|often|typically|generally)\s+)?(?:(?:begin|begins|began|start|starts|started)\s+to\s+|will\s+(?:be\s+able\s+to\s+)?|can\s+|do\s+|are\s+able\s+to\s+)?|will\s+)(?:feel|felt|see|saw|get|got|improve|improved|respond|responded|recover|recovered|notice|noticed|benefit|benefited|find|found|describe|described|report|reported|experience|experienced|tolerate|tolerated|expect|maintain|keep|need|needed|require|required|achieve|achieved|return|returned|say|said|rate|rated|prefer|preferred|lose|lost|gain|gained|stop|stopped|go|went|are\s+(?:still|happy|satisfied|pleased|better))\b|\bin\s+(?:the\s+)?(?:vast\s+)?(?:most|majority\s+of)\s+cases\b|\bmost\s+(?:antidepressants|doctors|medical\s+professionals|experts)\b|\bvery\s+few\s+(?:people|patients|reported|report)\b|\b(?:usually|typically)\s+(?:works|helps|includes|exerts|has\s+a|ineffective)\b|\b(?:helpful|effective|works)\s+for\s+most\b|\bwith\s+impressive\s+results\b";
    let comparison = r"\b(?:much\s+|far\s+|significantly\s+)?(?:quicker|faster|slower|safer|better|more\s+effective|less\s+effective|more\s+addictive|less\s+addictive|more\s+noticeable|less\s+noticeable)\s+(?:effect\s+|results?\s+)?than\b|\bcompared\s+(?:to|with)\b|\b(?:isn['’]?t|is\s+not|not)\s+as\s+(?:effective|safe|fast|good)\s+as\b|\bunlike\s+(?:traditional|other|standard|most)\b|\b(?:fewer|less|lower|more|greater|higher)\s+(?:side[- ]effects|risks?|complications|dangerous|harmful|addictive|likely|effective|efficient(?:ly)?|successful)\s+(?:\w+\s+){0,3}?than\b|\b(?:better|worse|easier|harder|safer|quicker|faster|stronger)\s+(?:[\w'’-]+\s+){0,4}?than\b|\b(?:just\s+|equally\s+)?as\s+(?:effective|safe|good|fast)\s+as\b|\bmore\s+than\s+(?:any|all)\s+other\b|\bthe\s+most\s+effective\b|\bequally\s+(?:good|effective|safe|helpful)\b|\bhelps?\s+(?:you\s+)?more\s+than\b|\bas\s+quickly\s+as\s+(?:a|an|one|\d)\b|\bworks?\s+(?:very\s+|so\s+)?(?:quickly|fast|rapidly)\b|\b(?:less|more)\s+(?:painful|invasive|risky)\s+than\b|\b(?:takes?|taking)\s+effect\s+within\b|\b(?:more|fewer|less|higher|lower)\s+(?:[\w-]+\s+){1,3}?than\s+(?:non-users\b|(?:other\s+)?(?:women|men|people|patients|adults|children)\s+(?:of|who|with|without|in|at|on|taking|using|not)\b)|\bmore\s+(?:quickly|rapidly|efficiently|effectively|easily|safely)(?:\s+and\s+(?:quickly|rapidly|efficiently|effectively|easily|safely))?\s+than\b|\bin\s+a\s+fraction\s+of\s+the\s+time\b|\b(?:lower|fewer|reduced)\s+risks?\s+and\s+(?:better|faster|greater)\s+results\b|\b(?:greater|larger|bigger|faster)\s+(?:reduction|improvement|relief|decrease)\s+(?:of|in)\b|\bcompares?\s+(?:very\s+|most\s+)?(?:favou?rably|well)\s+(?:to|with|against)\b|\bin\s+less\s+time\s+than\b|\b(?:rates?|chances?|odds|risks?|likelihood)\s+(?:will\s+be\s+|is\s+|are\s+|may\s+be\s+)?(?:much\s+|far\s+|slightly\s+)?(?:less|lower|higher|greater|better|worse)\s+than\b|\b(?:has|have|had)\s+(?:more\s+than\s+|nearly\s+|almost\s+)?(?:doubled|tripled|quadrupled|halved)\b|\b(?:shorter|quicker|faster|easier|longer)\s+(?:recovery|healing)(?:\s+(?:time|period))?\s+than\b|\b(?:superior|inferior)\s+(?:results?|outcomes?|efficacy|effectiveness)\b|\b(?:far|much|vastly)\s+(?:superior|inferior)\b|\b(?:take|takes|taking)\s+(?:up\s+to\s+|about\s+|around\s+|at\s+least\s+|as\s+long\s+as\s+)?(?:\d+|two|three|four|five|six|eight|ten|twelve|several)(?:\s*(?:-|to|\x{2013})\s*(?:\d+|three|four|five|six|eight|ten|twelve))?\s+(?:weeks|months)\s+(?:for\s+(?:[a-z-]+\s+){1,4}?)?to\s+(?:work|produce|show|take\s+effect|start\s+working|have\s+an\s+effect|see\s+(?:results|improvements?|benefits?|a\s+difference|the\s+effects?)|notice\s+(?:results|improvements?|a\s+difference|the\s+effects?))\b";
    let statistic = format!("{statistic}|{outcome}|{comparison}");
    let research = r"\b(?:studies|(?:a|an|the|one|another|this|that)\s+(?:\w+\s+)?(?:study|trial)|recent\s+(?:studies|research(?:es)?)|research(?:es)?(?:\s+studies)?|researchers|(?:the\s+)?results|trials|clinical\s+(?:trials|studies)|evidence|scientists|experts|data)\s+(?:(?:have|has|had)\s+)?(?:\w+ly\s+|also\s+)?(?:show|shows|showed|shown|showing|suggest|suggests|suggested|suggesting|prove|proves|proved|proven|proving|found|find|finds|finding|confirm|confirms|confirmed|confirming|reveal|reveals|revealed|demonstrate|demonstrates|demonstrated|demonstrating|establish|established|indicate|indicates|indicated|observed\s+(?:that|a|an|significant|improvements?|reductions?|benefits?)|conclude|concludes|concluded|discovered|report|reports|reported)\b|\b(?:studies|trials|research)\s+(?:\w+ly\s+)?(?:support|supports|supported|supporting)\b|\b(?:studies|trials)\s+(?:that|which)\s+(?:have\s+)?(?:reported|shown|found|demonstrated|confirmed)\b|\bthere\s+is\s+(?:a\s+)?(?:strong|good|growing|solid|clear|compelling|overwhelming|robust|substantial|considerable|extensive|ample)\s+(?:[\w-]+\s+)?(?:body\s+of\s+)?evidence\s+(?:that|to|for)\b|\b(?:studies|research|trials)\s+(?:have\s+been\s+|has\s+been\s+)?(?:done|conducted|carried\s+out)\s+(?:that\s+)?(?:proving|showing|demonstrating|confirming)\b|\b(?:supported|backed|proven)\s+by\s+(?:[a-z-]+\s+){0,3}?(?:studies|research|trials|clinical\s+evidence|science)\b|\b(?:studies|trials)\b,?\s+(?:such\s+as|including|like)\s+[^.?!\n]{0,150}?\b(?:found|showed|shows|reported|concluded)\b|\b(?:has|have|had)\s+(?:also\s+)?been\s+(?:shown|found|proven|proved|demonstrated|observed)\b|\b(?:has|have)\s+(?:also\s+)?been\s+known\s+to\b|\bit\s+(?:is|has\s+been)\s+(?:shown|proven|proved|demonstrated)\b|\b(?:clinically|scientifically|medically)\s+(?:proven|tested|studied|shown)\b|\bproven\s+to\b|\bproved\s+to\b|\b(?:has|have)\s+shown\s+promise\b|\b(?:a|an|one|another)\s+(?:\d{4}\s+)?(?:\w+\s+)?(?:study|trial|review|meta-analysis|analysis)\s+(?:of|in|by|from|published|involving|among|with)\b[^.?!\n]{0,120}?\b(?:found|showed|shows|reported|suggested|concluded|increased|improved|reduced|lowered|raised|doubled|halved|helped|worked)\b|\baccording\s+to\s+(?:the\s+|a\s+|an\s+|one\s+|recent\s+|new\s+)?(?:\d{4}\s+)?(?:\w+\s+)?(?:study|studies|research|trials?|researchers|data|survey|review)\b|\bin\s+(?:the|a|one)\s+(?:recent\s+)?(?:study|trial)\b|\bin\s+animal\s+(?:models|studies)\b|\bresearchers\s+at\b|\bshown\s+to\s+(?:have|be|work|help|reduce|improve|provide|relieve)\b|\b(?:have|has)\s+shown\s+(?:promising|great|good|significant|impressive)\b|\b(?:been|being)\s+reported\s+in\b";
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
/// is made of ("50% DEET", "0.9% saline", "100 percent oxygen") is a
/// strength, not a claim.
fn claims_of(text: &str) -> impl Iterator<Item = (ClaimKind, regex::Match<'_>)> {
    CLAIM
        .captures_iter(text)
        .map(|captures| claim_of(&captures))
        .filter(|(_, claim)| !excused(text, claim))
}

/// Whether what the pattern found is no claim in its context: a strength,
/// a price, a visit's routine, a pace, the air's pressure, the body during a
/// visit. The few words either side are read once, lower-cased.
fn excused(text: &str, claim: &regex::Match<'_>) -> bool {
    let next_word: String = text[claim.end()..]
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '/')
        .collect::<String>()
        .to_lowercase();
    let claimed = claim.as_str().to_lowercase();
    let before = words_before(text, claim.start()).to_lowercase();
    let before = before.trim_end();
    let after = words_after(text, claim.end()).to_lowercase();
    let after = after.trim_start();
    let percentage = ["%", "percent", "per cent"]
        .iter()
        .any(|sign| claimed.ends_with(sign));
    // "Save up to 75%", "20% off": a price, not a claim.
    let price = percentage
        && (["off", "discount"].contains(&next_word.as_str())
            || before
                .trim_end_matches("up to")
                .trim_end()
                .trim_end_matches("you")
                .trim_end()
                .ends_with("save"));
    // "It takes 45 minutes for most people to finish" times a visit.
    let for_most_to = claimed.starts_with("most") && claimed.ends_with(" to");
    let strength = percentage && STRENGTHS.contains(&next_word.as_str());
    // "The majority of your lab tests are done here" tells how a visit
    // goes, not how a treatment turns out.
    let of_a_visit =
        claimed.ends_with("majority of") && VISIT.iter().any(|part| after.starts_with(part));
    // "The research comes from preclinical studies, primarily in animal
    // models" says where the evidence is, not what it found.
    let where_evidence_is = claimed.starts_with("in animal")
        && ["primarily", "mostly", "only", "largely", "mainly", "from"]
            .iter()
            .any(|word| before.trim_end_matches(',').ends_with(word));
    // "Losing fluids faster than they can replace them" paces an action; it
    // compares no outcomes.
    let paces_an_action = claimed.ends_with("than") && {
        let mut words = after.split_whitespace();
        matches!(
            words.next(),
            Some("they" | "you" | "we" | "it" | "he" | "she" | "i")
        ) && matches!(words.next(), Some("can" | "could" | "can't" | "cannot"))
    };
    // "Two to three times higher than the atmosphere" is a chamber's
    // pressure, not a result ("lowers blood pressure three times more" is
    // one, so only the air's pressure is excused).
    let a_pressure = claimed.contains("times")
        && ["atmospher", "air pressure", "pressure of", "chamber"]
            .iter()
            .any(|air| before.contains(air) || after.contains(air));
    // "Your heart rate may be higher than usual" describes the body during a
    // visit, not how a treatment turns out.
    let a_body_rate = claimed.starts_with("rate")
        && [
            "heart",
            "pulse",
            "breathing",
            "respiratory",
            "infusion",
            "drip",
            "flow",
        ]
        .iter()
        .any(|body| before.ends_with(body));
    // "The data reported" names data; it reports nothing.
    let data_named = claimed.ends_with("reported")
        && (claimed.starts_with("data") || claimed.starts_with("results"))
        && text[claim.end()..]
            .chars()
            .next()
            .is_none_or(|c| matches!(c, '.' | ',' | ';' | ')' | '!' | '?'));
    // "100% bioavailability" is what intravenous means, not a result.
    let by_definition = percentage && next_word.starts_with("bioavailab");
    strength
        || for_most_to
        || price
        || of_a_visit
        || where_evidence_is
        || paces_an_action
        || by_definition
        || a_pressure
        || data_named
        || a_body_rate
}

/// The few words of `text` just before `at`: enough to read "save up to",
/// and bounded, so a page of a thousand percentages costs its length once.
fn words_before(text: &str, at: usize) -> &str {
    let mut start = at.saturating_sub(24);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    &text[start..at]
}

/// The few words of `text` just after `at`, bounded as [`words_before`]
/// is: read once per claim, the rest of a page would make a page of claims
/// cost its length squared.
fn words_after(text: &str, at: usize) -> &str {
    let mut end = (at + 48).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    &text[at..end]
}

/// What "the majority of" may count without claiming an outcome: the parts
/// of a visit.
const VISIT: [&str; 6] = [
    "your lab",
    "your test",
    "your appointment",
    "your visit",
    "your time",
    "the paperwork",
];

/// Words that follow a percentage giving a strength or concentration.
const STRENGTHS: [&str; 17] = [
    "deet",
    "pure",
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

/// "According to the World Health Organization, ..." or "(Araujo et al.,
/// 2007)" names where a figure comes from, so a reader or reviewer can
/// check it; "according to a study" does not.
static NAMED_SOURCE: LazyLock<Regex> = LazyLock::new(|| {
    word_pattern(concat!(
        r"(?i:\baccording\s+to)\s+(?:(?i:the)\s+)?[A-Z][A-Za-z]*[A-Z]?[A-Za-z]*(?:\s+(?:of|for|and|on|&)?\s*[A-Z][A-Za-z]+)*\b",
        // An author and year in brackets: "(Araujo et al., 2007)".
        r"|\([A-Z][A-Za-z'-]+(?:\s+et\s+al\.?|\s+(?:and|&)\s+[A-Z][A-Za-z'-]+)?,?\s+(?:19|20)\d\d[a-z]?\)",
    ))
});

/// Words that, opening a sentence ending in "?", ask rather than claim
/// ("Is it a cure?", "Are the newer ones better than the older ones?").
/// "What" and "which" ask for what the answer holds ("What do the studies
/// show?" is a heading over the findings, not a finding).
const ASKING: [&str; 15] = [
    "is", "are", "can", "could", "does", "do", "will", "would", "should", "was", "were", "has",
    "have", "what", "which",
];

/// Whether `sentence` asks a yes-or-no question rather than claiming
/// anything. "Did you know that a third of ...?" is a claim and stays one.
pub(super) fn asks(sentence: &str) -> bool {
    let sentence = sentence.trim();
    if !sentence.ends_with('?') {
        return false;
    }
    // "..., but are they all equally good?" asks in its last clause.
    // "Hangover cure: can IV fluids help?" asks after its colon.
    let last_clause = sentence
        .rsplit([',', ':'])
        .next()
        .unwrap_or(sentence)
        .trim_start();
    let mut words = last_clause.split_whitespace().map(|word| {
        word.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    });
    let first = match words.next() {
        Some(word) if ["but", "so", "and", "or"].contains(&word.as_str()) => words.next(),
        word => word,
    };
    first.is_some_and(|word| ASKING.contains(&word.as_str()))
}

/// A numbered note pasted from another site or from Word: "[1]", "[2, 5]",
/// "[3-4]". The writer meant a citation, so the sentence is not "uncited";
/// but nothing links it to a reference, so it is refused on its own.
static NUMBERED_NOTE: LazyLock<Regex> =
    LazyLock::new(|| word_pattern(r"\[\d{1,3}(?:\s*[,\x{2013}-]\s*\d{1,3})*\]"));

/// Whether `sentence` needs no citation for its claims: it names its source
/// in words, carries a numbered note (refused on its own), or asks a
/// question.
fn needs_no_citation(sentence: &str) -> bool {
    asks(sentence)
        || NAMED_SOURCE.is_match(sentence)
        || NUMBERED_NOTE.is_match(sentence)
        || CLOSING_NOTE.is_match(sentence)
}

/// A note number closing a sentence pasted from a blog or a paper, "... heal
/// (1)." or "... modulation.¹": the writer cited a source, as with "[1]",
/// and it is refused the same way. Only at the very end, so a list numbered
/// "(1) rest, (2) ice" is not one. The `note` group is the number itself.
static CLOSING_NOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:(?P<note>\(\d{1,3}(?:\s*[,\x{2013}-]\s*\d{1,3})*\))\s*[.!?]?|[.!?]?(?P<mark>[\x{00b9}\x{00b2}\x{00b3}\x{2070}-\x{2079}]+))\s*$")
        .expect("valid pattern")
});

/// The refusal of a numbered note: Pamphlet cannot link it to a reference.
fn numbered_note(page: &Page<'_>, note: &str, span: Range<usize>) -> Diagnostic {
    Diagnostic::error(
        Code::UnknownCitation,
        format!(
            "`{note}` is a numbered note, which Pamphlet cannot link to a reference; readers would see it as it is"
        ),
    )
    .at(page.file, span)
    .hint("list the source under `references:` with an id, and cite it as `[@id]` here")
}

/// Whether `sentence` states a claim that needs a citation, and whether it
/// makes a promotional claim: the prose checks' judgement of one sentence.
pub fn claims_in(sentence: &str) -> (bool, bool) {
    (
        !needs_no_citation(sentence) && claims_of(sentence).next().is_some(),
        !asks(sentence) && super::promotional::find(sentence).is_some(),
    )
}

pub(super) fn check(site: &Site<'_>, page: &Page<'_>, found: &mut Vec<Diagnostic>) {
    let level = site.config.policy.uncited_claims;
    let prose = Prose::of(page);
    if super::is_clinical(&site.config.policy, page) {
        reading_grade(site, page, &prose, found);
    }
    let wording_level = site.config.policy.unsafe_wording;
    wording(
        page,
        wording_level,
        prose.text(),
        |at| prose.file_offset(at),
        found,
    );
    for note in NUMBERED_NOTE.find_iter(prose.text()) {
        let span = prose.file_offset(note.start())..prose.file_offset(note.end());
        found.push(numbered_note(page, note.as_str(), span));
    }
    // A closing "(1)" or "¹" spares its sentence the uncited-claim check, so
    // it must be refused as "[1]" is, or the claim would publish unsourced.
    for sentence in prose.sentences() {
        let Some(captures) = CLOSING_NOTE.captures(sentence.text) else {
            continue;
        };
        let Some(note) = captures.name("note").or_else(|| captures.name("mark")) else {
            continue;
        };
        let span = sentence.file_offset(note.start())..sentence.file_offset(note.end());
        found.push(numbered_note(page, note.as_str(), span));
    }
    // A sentence is reported once: for a statistic if it states one, else
    // for leaning on research.
    let mut claims: Vec<Option<(ClaimKind, Range<usize>)>> = vec![None; prose.len()];
    // Asked once a sentence, however many claims it holds, so a hostile
    // sentence of a thousand percentages still costs its length once.
    let mut exempt: Vec<Option<bool>> = vec![None; prose.len()];
    for (kind, claim) in claims_of(prose.text()) {
        let index = prose.sentence_at(claim.start());
        let sentence = prose.sentence(index);
        if sentence.kind == BlockKind::Heading
            || !sentence.keys.is_empty()
            || *exempt[index].get_or_insert_with(|| needs_no_citation(sentence.text))
        {
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
        if std::mem::replace(&mut promoted[index], true) || asks(prose.sentence(index).text) {
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
            wording_level,
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

/// Wording in `text` that safe-messaging guidance advises against, with
/// what to write instead. `about_suicide` says whether the page speaks of
/// suicide at all; it is asked only when a bare "failed attempt" is found.
fn unsafe_wording<'t>(
    text: &'t str,
    about_suicide: impl FnOnce() -> bool + 't,
) -> impl Iterator<Item = (regex::Match<'t>, &'static str)> + 't {
    // "A failed attempt" is safe-messaging's concern only on a page about
    // suicide, and never when it is an attempt *to* do something else.
    let mut about_suicide = Some(about_suicide);
    let mut answer: Option<bool> = None;
    let bare_attempts = BARE_ATTEMPT.find_iter(text).filter(move |m| {
        let next: String = text[m.end()..]
            .trim_start()
            .chars()
            .take(3)
            .collect::<String>()
            .to_lowercase();
        !["to ", "at ", "of ", "to\n", "at\n"].contains(&next.as_str())
            && *answer.get_or_insert_with(|| about_suicide.take().is_some_and(|ask| ask()))
    });
    UNSAFE_WORDING
        .iter()
        .flat_map(move |(pattern, better)| pattern.find_iter(text).map(move |m| (m, *better)))
        .chain(bare_attempts.map(|m| {
            let better = if m.as_str().to_lowercase().starts_with("success") {
                "\"died by suicide\""
            } else {
                "\"suicide attempt\" (or \"survived a suicide attempt\")"
            };
            (m, better)
        }))
}

/// Whether `sentence`, on a page that speaks of suicide or not, holds
/// wording safe-messaging guidance advises against.
pub fn unsafe_wording_in(sentence: &str, page_about_suicide: bool) -> bool {
    unsafe_wording(sentence, move || page_about_suicide)
        .next()
        .is_some()
}

fn wording(
    page: &Page<'_>,
    level: crate::config::Level,
    text: &str,
    file_offset: impl Fn(usize) -> usize,
    found: &mut Vec<Diagnostic>,
) {
    // The page is read for "suicide" only when a bare attempt is there.
    let about_suicide = || {
        super::mentions::Folded::of(&page.file.text)
            .find("suicid")
            .is_some()
    };
    for (m, better) in unsafe_wording(text, about_suicide) {
        found.push(
            at_level(
                level,
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
            "Did you know that one-third of patients do not respond?",
            "hundreds of thousands of knee replacements each year",
            "the second leading cause of death in young people",
            "your body finds it easier to absorb than synthetic hormones",
            "the older tablets are just as effective as the newer ones",
            "Most people describe the experience as pleasant",
            "In most cases the experts fail",
            "It takes effect within two hours",
            "More than 600,000 Americans get a knee replacement each year",
            "by the time you reach 40, your levels have dropped by roughly half",
            "Most patients who buy the injections see results after two weeks",
            "This compares very favorably to other weight loss drugs",
            "Women who are overweight may have more hot flushes than women of a healthy weight",
            "most women begin to experience hormone imbalances in their forties",
            "These options allow for personalized treatments with lower risks and better results",
            "helping you feel better in a fraction of the time",
            "the body can absorb them more quickly and efficiently than through oral intake",
            "Ketamine infusion therapy works fast",
            "The majority attain at least 20/40 vision",
            "Most LASIK patients usually see quite well the day after",
            "most patients can expect perfect vision the day after surgery",
            "it is generally less painful than other types of eye surgery",
            "Ninety-six percent of patients say they have the vision they desire",
            "the second most common reason for visits to the doctor",
            "Most back pain cases actually relate to spinal alignment",
            "Americans spend over $50 billion every year on back pain remedies",
            "Greater reduction of depressive symptoms at four weeks",
            "Many men report feeling 10-15 years younger",
            "Most men maintain these levels through their thirties",
            "IV treatments deliver more fluid in less time than drinking",
            "it can take up to six weeks for antidepressants to produce results",
            "They take 4-6 weeks to work",
            "Nearly all patients tolerate it well",
            "almost all of them improved",
            "it may yield far superior results to surgery",
            "People may heal up to three to five times faster",
            "It lowers blood pressure three times more than tablets do",
            "The demand for the treatment has doubled over the past 10 years",
            "the pregnancy rate will be less than for stimulated cycles",
            "The risk is higher than with tablets",
            "it has a shorter recovery time than hair transplant surgery",
            "It can take several months to see results from the treatment",
            "With an estimated 20 million American affected",
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
            "research has consistently demonstrated that it works",
            "studies actually show there are no ill effects",
            "thanks to scientific studies confirming that it can treat anxiety",
            "Another study found that it was effective",
            "A 2014 study of 11 men found more hair",
            "it has shown promise in treating PTSD",
            "According to a 2012 study, ear infections clear",
            "they have been clinically studied",
            "Treatment has been shown time and again to fail",
            "the results show that it can be an effective treatment",
            "it is shown that acupuncture can increase blood flow",
            "Researchers concluded that the cold recalibrates inflammation",
            "several randomized studies supporting its efficacy",
            "Some research supports their effectiveness",
            "other studies, such as a trial in Queensland, found no difference",
            "There are many studies that have reported dramatic responses",
            "There is a strong empirical evidence that psilocybin can change behaviour",
            "There is robust evidence for its efficacy in a range of ailments",
            "many studies have been done proving that it helps alleviate stress",
            "the data reported that most patients improved",
            "A review published in a journal concluded that it may be safe",
            "a proven track record supported by thousands of comprehensive studies",
            "an approach backed by science",
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
            "an intermittent treatment of 100 percent oxygen",
            "it takes about 45 minutes for most people to finish",
            "save up to 75% on your prescriptions",
            "20% off your first visit",
            "A small study in 2000 gave people a low dose",
            "the clinic reported 1,200 visits in May",
            "the pain dropped by the end of the day",
            "These devices expose 100% pure oxygen to electricity",
            "the scientific evidence supporting its effectiveness is limited",
            "The majority of your lab tests are done on site",
            "It takes more time than a blood test",
            "a quiet room, more comfortable than a waiting room",
            "Some people want to know more about their medicines than others",
            "the majority will be seen by a nurse",
            "most patients who have questions ask the nurse",
            "ten percent saline",
            "The most common side effects are feeling sick and dizzy",
            "a first visit costs $250",
            "There is evidence that exercise can help",
            "No single mechanism explains everything researchers have observed",
            "The research comes from preclinical studies, primarily in animal models",
            "3. A larger trial in veterans (2022).",
            "a current review by a clinician",
            "losing fluids faster than they can replace them",
            "the infusion delivers 100% bioavailability of each vitamin",
            "the visit takes two weeks to arrange",
            "The knee is used in almost all lower extremity motion",
            "patients breathe oxygen at two to three times higher than the external atmosphere",
            "the air pressure is up to three times higher than normal air pressure",
            "the adrenal glands sit superior to the kidneys",
            "it can take several weeks to see the nurse",
            "A review of your medicines by the pharmacist",
            "a plan supported by your care team",
            "their data cannot reflect the variables that impact the data reported.",
            "Your heart rate may be higher than usual during the infusion",
        ] {
            assert!(kind(plain).is_none(), "{plain}");
        }
    }

    #[test]
    fn a_named_source_or_a_question_needs_no_citation() {
        for exempt in [
            "According to the World Health Organization, 280 million people have depression.",
            "According to the CDC, 1 in 5 adults live with a mental illness.",
            "Are the newer ones better than the older ones?",
            "But is it really faster than the usual treatment?",
            "Like many medicines, it can be given many ways, but are they all equally good?",
            "Nearly one in five adults have an anxiety disorder each year.[1]",
            "It affects 20% of men over 60 (Araujo et al., 2007).",
        ] {
            assert!(!claims_in(exempt).0, "{exempt}");
        }
        for claim in [
            "According to a 2012 study, 80% of ear infections clear.",
            "According to researchers, 70% respond.",
            "Did you know that one-third of patients do not respond?",
            "Most people get better. Is that true?",
            "Save lives: 70% of people respond.",
        ] {
            assert!(claims_in(claim).0, "{claim}");
        }
        assert!(!claims_in("Is it a cure?").1);
        assert!(!claims_in("In one study, it was shown to help cells survive (2).").0);
        assert!(!claims_in("Studies show it may influence repair.\u{b9}").0);
        assert!(claims_in("Studies show (1) rest and (2) ice both help.").0);
        assert_eq!(
            claims_in("Hangover cure: can IV fluids really help?"),
            (false, false)
        );
        assert!(claims_in("Studies: 70% of people respond.").0);
    }
}
