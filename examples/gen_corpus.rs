//! Writes a synthetic site for benchmarks: `--articles N` realistic articles
//! (600-1,500 words in 5-10 sections, lists, a table every few articles,
//! links between articles, 3-6 cited references, disclaimers and a valid
//! review) that passes every check, deterministically from `--seed`.
//! `--format hugo` writes the same text as a Hugo site with layouts doing
//! comparable work (title, table of contents, body, tags, one feed).
//!
//! Two profiles. `--profile small` (the first one) draws every word from 48
//! and tags articles with 6 topics. `--profile wide` (the default) is closer
//! to a real site and to the corpus an outside benchmark used: 41 topics,
//! 20,000 dictionary words drawn as real text uses words (Zipf's law), a table
//! every fifth article, a highlighted code block every tenth, footnotes every
//! third and 3-7 links between articles.
//!
//! cargo run --release --example gen_corpus -- --articles 10000 --out /tmp/corpus
//!
//! The text is filler, obviously not medical content; references use
//! Crossref's test DOI prefix 10.5555, which names no real work.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const WORDS: [&str; 48] = [
    "the", "care", "team", "will", "check", "your", "blood", "plan", "and", "talk", "with", "you",
    "about", "each", "step", "of", "the", "visit", "some", "people", "feel", "calm", "after",
    "rest", "a", "nurse", "stays", "near", "while", "drip", "runs", "slow", "ask", "them", "what",
    "to", "bring", "home", "sleep", "well", "then", "call", "if", "pain", "comes", "back", "later",
    "on",
];
const SMALL_TOPICS: [&str; 6] = [
    "depression",
    "anxiety",
    "ptsd",
    "chronic-pain",
    "safety",
    "treatment",
];
const WIDE_TOPIC_COUNT: usize = 41;
const WIDE_VOCABULARY: usize = 20_000;
const REFERENCES: usize = 60;
/// Real English words, with their syllable counts, for the wide profile.
const DICTIONARY: &str = include_str!("../src/readability/cmudict.txt");
/// Words that would turn a random sentence into a claim the checks refuse
/// ("most", "cure"): a benchmark corpus must pass every check.
const CLAIM_WORDS: [&str; 73] = [
    "half",
    "twice",
    "double",
    "triple",
    "threefold",
    "fourfold",
    "fivefold",
    "tenfold",
    "percent",
    "most",
    "cure",
    "cures",
    "cured",
    "best",
    "proven",
    "proved",
    "miracle",
    "breakthrough",
    "breakthroughs",
    "guaranteed",
    "compared",
    "millions",
    "thousands",
    "hundreds",
    "billions",
    "majority",
    "faster",
    "slower",
    "quicker",
    "safer",
    "fewer",
    "lower",
    "higher",
    "greater",
    "better",
    "worse",
    "cheaper",
    "largest",
    "leading",
    "shown",
    "studies",
    "study",
    "research",
    "trial",
    "trials",
    "clinically",
    "instant",
    "instantly",
    "painless",
    "guarantee",
    "guarantees",
    "risk",
    "curing",
    "results",
    "result",
    "suggests",
    "suggest",
    "shows",
    "show",
    "proves",
    "prove",
    "revealed",
    "found",
    "finds",
    "percentage",
    "times",
    "magic",
    "perfect",
    "permanent",
    "permanently",
    "completely",
    "totally",
    "free",
];
const CODE_LANGUAGES: [(&str, &str); 3] = [
    (
        "python",
        "def dose_for(weight_kg):\n    # {words}\n    return round(weight_kg * 0.5, 1)\n\nprint(dose_for(70))\n",
    ),
    (
        "yaml",
        "visit:\n  note: \"{words}\"\n  length_minutes: 40\n  checks: [pulse, blood_pressure]\n",
    ),
    (
        "json",
        "{\"visit\": {\"note\": \"{words}\", \"minutes\": 40, \"checks\": [\"pulse\", \"pressure\"]}}\n",
    ),
];

/// What the words and features of a corpus look like.
#[derive(Clone, Copy, PartialEq)]
enum Profile {
    Small,
    Wide,
}

/// The words text is drawn from: common short words, and for the wide
/// profile a long tail of dictionary words picked with Zipf's law, so the
/// search index and the syllable counter see a real vocabulary's spread.
struct Vocabulary {
    rare: Vec<String>,
    /// Cumulative Zipf weights of `rare`, to pick by binary search.
    cumulative: Vec<f64>,
}

impl Vocabulary {
    fn new(profile: Profile, random: &mut Random) -> Self {
        if profile == Profile::Small {
            return Self {
                rare: Vec::new(),
                cumulative: Vec::new(),
            };
        }
        // Words of one or two syllables keep reading grades in a patient's
        // range; which 20,000 of them, and in what order of frequency, the
        // seed decides.
        let mut rare: Vec<String> = DICTIONARY
            .lines()
            .filter_map(|line| line.split_once(' '))
            .filter(|(word, syllables)| {
                matches!(*syllables, "1" | "2")
                    && word.len() > 2
                    && word.bytes().all(|b| b.is_ascii_lowercase())
                    && !WORDS.contains(word)
                    && !CLAIM_WORDS.contains(word)
            })
            .map(|(word, _)| word.to_owned())
            .collect();
        for i in (1..rare.len()).rev() {
            rare.swap(i, random.below(i + 1));
        }
        rare.truncate(WIDE_VOCABULARY);
        let mut total = 0.0;
        let cumulative = (1..=rare.len())
            .map(|rank| {
                total += 1.0 / rank as f64;
                total
            })
            .collect();
        Self { rare, cumulative }
    }

    fn word(&self, random: &mut Random) -> &str {
        // Half the words of real text are its few hundred commonest.
        if self.rare.is_empty() || random.below(2) == 0 {
            return WORDS[random.below(WORDS.len())];
        }
        let total = *self.cumulative.last().expect("a wide vocabulary has words");
        let target = random.next() as f64 / u64::MAX as f64 * total;
        let rank = self.cumulative.partition_point(|&c| c < target);
        &self.rare[rank.min(self.rare.len() - 1)]
    }
}

fn topics(profile: Profile) -> Vec<String> {
    match profile {
        Profile::Small => SMALL_TOPICS.iter().map(|t| (*t).to_owned()).collect(),
        Profile::Wide => (0..WIDE_TOPIC_COUNT)
            .map(|n| format!("topic-{n:02}"))
            .collect(),
    }
}

/// splitmix64: tiny, and its sequence never changes between crate versions,
/// so a seed names one corpus forever.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }
}

struct Article {
    slug: String,
    title: String,
    topics: Vec<String>,
    references: Vec<usize>,
    sections: Vec<(String, String)>,
}

fn sentence(random: &mut Random, words: &Vocabulary) -> String {
    let length = random.between(7, 13);
    let picked: Vec<&str> = (0..length).map(|_| words.word(random)).collect();
    let text = picked.join(" ");
    text[..1].to_uppercase() + &text[1..]
}

fn generate(count: usize, seed: u64, profile: Profile) -> Vec<Article> {
    let mut random = Random(seed);
    let words = Vocabulary::new(profile, &mut random);
    let all_topics = topics(profile);
    let wide = profile == Profile::Wide;
    let mut articles: Vec<Article> = (0..count)
        .map(|n| {
            let mut topics = (0..random.between(1, 2))
                .map(|_| all_topics[random.below(all_topics.len())].clone())
                .collect::<Vec<_>>();
            if wide {
                // The small profile keeps its repeats, so its seeds name the
                // same corpora as before the wide profile existed.
                topics.dedup();
            }
            let mut references: Vec<usize> = Vec::new();
            while references.len() < random.between(3, 6).max(3) {
                let id = random.below(REFERENCES);
                if !references.contains(&id) {
                    references.push(id);
                }
            }
            Article {
                slug: format!("article-{n:05}"),
                title: format!(
                    "Article {n}: {}",
                    sentence(&mut random, &words).to_lowercase()
                ),
                topics,
                references,
                sections: Vec::new(),
            }
        })
        .collect();
    for n in 0..count {
        let mut sections = Vec::new();
        let target_words = random.between(600, 1_500);
        let section_count = random.between(5, 10);
        let links = if wide { random.between(3, 7) } else { 1 };
        let footnoted = wide && n % 3 == 0;
        let mut cited = 0;
        for s in 0..section_count {
            let mut body = String::new();
            let paragraphs = random.between(1, 3);
            for _ in 0..paragraphs {
                let sentences = (target_words / section_count / paragraphs / 10).max(2);
                for k in 0..sentences {
                    body.push_str(&sentence(&mut random, &words));
                    if k == 0 {
                        let reference =
                            articles[n].references[cited % articles[n].references.len()];
                        cited += 1;
                        write!(body, " [@ref{reference:03}]").unwrap();
                    }
                    body.push_str(". ");
                }
                body.push_str("\n\n");
            }
            if s % 3 == 1 {
                for _ in 0..random.between(3, 5) {
                    writeln!(body, "- {}", sentence(&mut random, &words)).unwrap();
                }
                body.push('\n');
            }
            if footnoted && s == 0 {
                body.push_str("A note on this plan.[^plan]\n\n");
            }
            let table_every = if wide { 5 } else { 4 };
            if s == 2 && n % table_every == 0 {
                body.push_str("| What | When |\n|------|------|\n");
                for _ in 0..3 {
                    writeln!(
                        body,
                        "| {} | {} |",
                        sentence(&mut random, &words),
                        WORDS[random.below(WORDS.len())]
                    )
                    .unwrap();
                }
                body.push('\n');
            }
            if wide && s == 3 && n % 10 == 0 {
                let (language, code) = CODE_LANGUAGES[random.below(CODE_LANGUAGES.len())];
                let note = sentence(&mut random, &words).to_lowercase();
                write!(
                    body,
                    "```{language}\n{}```\n\n",
                    code.replace("{words}", &note)
                )
                .unwrap();
            }
            // The small profile links once, from its second section; the
            // wide one spreads its links over the first sections.
            let links_here = if wide {
                (0..links).filter(|l| l % section_count == s).count()
            } else {
                usize::from(s == 1)
            };
            for _ in 0..links_here {
                if count > 1 {
                    let other = (n + 1 + random.below(count - 1)) % count;
                    writeln!(
                        body,
                        "Read [the next article]({}.md) too.\n",
                        articles[other].slug
                    )
                    .unwrap();
                }
            }
            sections.push((format!("Part {} of the plan", s + 1), body));
        }
        // Every listed reference is cited at least once.
        let references = articles[n].references.clone();
        if let Some((_, body)) = sections.last_mut() {
            for reference in references.iter().skip(cited.min(references.len())) {
                writeln!(
                    body,
                    "{} [@ref{reference:03}].\n",
                    sentence(&mut random, &words)
                )
                .unwrap();
            }
            if footnoted {
                writeln!(body, "[^plan]: {}.\n", sentence(&mut random, &words)).unwrap();
            }
        }
        articles[n].sections = sections;
    }
    articles
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn pamphlet_site(articles: &[Article], out: &Path, profile: Profile) {
    let all_topics = topics(profile);
    let mut site = String::from(
        "title: Benchmark clinic\nbase_url: https://bench.example/\nclinic:\n  name: Benchmark clinic\ntopics:\n",
    );
    for topic in &all_topics {
        writeln!(site, "  {topic}: {topic}").unwrap();
    }
    site.push_str("disclaimers:\n  medical-advice:\n    title: Not advice\n    text: Talk with your care team.\n  crisis-line:\n    title: In a crisis\n    text: Call or text 988. In danger, call 911.\n");
    writeln!(
        site,
        "policy:\n  disclaimers:\n    - require: medical-advice\n    - require: crisis-line\n      topics: [{}]\n  references:\n    minimum: 3\n  uncited_claims: error\n  readability:\n    level: error",
        all_topics[..3].join(", ")
    )
    .unwrap();
    write(&out.join("site.yaml"), &site);
    write(
        &out.join("content/_index.md"),
        "---\ntitle: Benchmark\n---\nGenerated articles.\n",
    );
    write(
        &out.join("content/articles/_index.md"),
        "---\ntitle: Articles\n---\nAll of them.\n",
    );
    let mut bibliography = String::new();
    for r in 0..REFERENCES {
        writeln!(
            bibliography,
            "- id: ref{r:03}\n  authors: [Author A, Author B]\n  title: Generated reference {r}\n  source: Journal of Benchmarks\n  year: {}\n  doi: 10.5555/bench.{r}\n  evidence: review",
            2000 + r % 25
        )
        .unwrap();
    }
    write(&out.join("content/references.yaml"), &bibliography);
    for article in articles {
        let mut text = format!(
            "---\ntitle: \"{}\"\nsummary: A generated article for benchmarks.\ntopics: [{}]\ndisclaimers: [medical-advice, crisis-line]\nreview:\n  reviewed_by: Reviewer (example)\n  reviewed_on: 2026-10-01\n  next_review: 2027-10-01\nreferences:\n",
            article.title,
            article.topics.join(", ")
        );
        for r in &article.references {
            writeln!(text, "  - id: ref{r:03}").unwrap();
        }
        text.push_str("---\n");
        for (heading, body) in &article.sections {
            write!(text, "## {heading}\n\n{body}").unwrap();
        }
        write(
            &out.join(format!("content/articles/{}.md", article.slug)),
            &text,
        );
    }
}

fn hugo_site(articles: &[Article], out: &Path) {
    write(
        &out.join("hugo.toml"),
        // One feed, of the whole site, as Pamphlet writes; Hugo would
        // otherwise also write one per section, tag and tag list.
        "baseURL = 'https://bench.example/'\ntitle = 'Benchmark clinic'\n[taxonomies]\n  tag = 'tags'\n[outputs]\n  home = ['html', 'rss']\n  section = ['html']\n  taxonomy = ['html']\n  term = ['html']\n[markup.tableOfContents]\n  startLevel = 2\n  endLevel = 3\n",
    );
    write(
        &out.join("layouts/_default/baseof.html"),
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{{ .Title }}</title></head><body><main>{{ block \"main\" . }}{{ end }}</main></body></html>\n",
    );
    write(
        &out.join("layouts/_default/single.html"),
        "{{ define \"main\" }}<article><h1>{{ .Title }}</h1><nav>{{ .TableOfContents }}</nav>{{ .Content }}<ul>{{ range .Params.tags }}<li>{{ . }}</li>{{ end }}</ul></article>{{ end }}\n",
    );
    write(
        &out.join("layouts/_default/list.html"),
        "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n",
    );
    for article in articles {
        let mut text = format!(
            "---\ntitle: \"{}\"\ntags: [{}]\n---\n",
            article.title,
            article.topics.join(", ")
        );
        for (heading, body) in &article.sections {
            // Citations and links are Pamphlet's syntax; Hugo gets the same
            // words with them removed.
            let plain: String = body
                .split(" [@")
                .enumerate()
                .map(|(i, part)| {
                    if i == 0 {
                        part.to_owned()
                    } else {
                        part.split_once(']')
                            .map_or(part.to_owned(), |(_, rest)| rest.to_owned())
                    }
                })
                .collect();
            write!(text, "## {heading}\n\n{}", plain.replace(".md)", "/)")).unwrap();
        }
        write(
            &out.join(format!("content/articles/{}.md", article.slug)),
            &text,
        );
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut count, mut out, mut seed, mut format, mut profile) = (
        1_000usize,
        PathBuf::from("corpus"),
        1u64,
        String::from("pamphlet"),
        Profile::Wide,
    );
    while let Some(flag) = args.next() {
        let value = args
            .next()
            .unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--articles" => count = value.parse().expect("--articles takes a number"),
            "--out" => out = PathBuf::from(value),
            "--seed" => seed = value.parse().expect("--seed takes a number"),
            "--format" => format = value,
            "--profile" => {
                profile = match value.as_str() {
                    "small" => Profile::Small,
                    "wide" => Profile::Wide,
                    other => panic!("unknown profile {other}; use small or wide"),
                }
            }
            other => panic!(
                "unknown option {other}; use --articles N --out DIR [--seed S] [--format pamphlet|hugo] [--profile wide|small]"
            ),
        }
    }
    let _ = std::fs::remove_dir_all(&out);
    let articles = generate(count, seed, profile);
    match format.as_str() {
        "pamphlet" => pamphlet_site(&articles, &out, profile),
        "hugo" => hugo_site(&articles, &out),
        other => panic!("unknown format {other}"),
    }
    eprintln!("wrote {count} {format} articles to {}", out.display());
}
