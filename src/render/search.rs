//! The search index, in small files a phone fetches only when a query needs
//! them, in the manner of Pagefind: a query loads the manifest, one
//! vocabulary file per word typed (keyed by the word's first two letters),
//! the postings of the stems those words lead to, and the titles of the
//! results it shows. Nothing else is downloaded, however large the site.
//!
//! Words are grouped by their Snowball (Porter 2) stem at build time, so the
//! page's script needs no stemmer: it finds the typed word, or the closest
//! words to a misspelling, in the vocabulary file, which names each word's
//! stem and where its postings are.
//!
//! Files (all scripts, so they load from the file system too, where `fetch`
//! is refused; each calls `PAMPHLET_SEARCH_LOADED(name, data)`):
//! - `search-index.js`: `window.PAMPHLET_SEARCH = {docs, perDocs, keys}`;
//! - `search/w-KEY.js`: `{word: shard}` (the word is its own stem) or
//!   `{word: [stem, shard]}`;
//! - `search/p-N.js`: `{stem: postings}`, postings being, for each article
//!   in order, the gap from the previous article's number in base 36 and a
//!   capital letter for where the stem appears (`A` + 1 body, + 2 summary,
//!   + 4 title);
//! - `search/d-N.js`: `[[title, href, summary], ...]` for [`DOCS_PER_FILE`]
//!   articles.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::load::Page;
use crate::load::blocks::{BlockTag, RunKind};

/// Titles, addresses and summaries of this many articles per file: a page of
/// ten results loads at most ten such files.
pub const DOCS_PER_FILE: usize = 50;
/// A postings file is closed once it passes this many bytes (a stem whose
/// postings alone are longer has a file of its own).
const POSTINGS_FILE_BYTES: usize = 16 * 1024;

/// The folder of the index's files, beside the manifest.
pub const SEARCH_FOLDER: &str = "search";
const IN_BODY: u8 = 1;
const IN_SUMMARY: u8 = 2;
const IN_TITLE: u8 = 4;

/// One article as search sees it. Made one page at a time, in parallel, and
/// kept by the preview so an edit redoes only the edited article's entry.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchEntry {
    title: String,
    href: String,
    summary: String,
    /// Each distinct word, lower case, in order of first use, space
    /// separated: one allocation a page, not one a word.
    words: String,
    /// Where each word of `words` appears (`IN_*` bits), in the same order.
    places: Vec<u8>,
}

impl SearchEntry {
    fn words(&self) -> impl Iterator<Item = (&str, u8)> {
        self.words.split(' ').zip(self.places.iter().copied())
    }
}

/// The search entry of a published article: its title, summary and the
/// running text of its body (code blocks and citation keys left out).
pub fn entry(page: &Page<'_>) -> SearchEntry {
    let summary = page.front.summary.as_deref().unwrap_or("");
    let mut words = Words::default();
    words.add(&page.front.title, IN_TITLE);
    words.add(summary, IN_SUMMARY);
    let body = &page.body;
    for block in body.blocks().filter(|b| b.tag != BlockTag::CodeBlock) {
        for run in body.runs(&block).filter(|run| run.kind == RunKind::Text) {
            words.add(run.text, IN_BODY);
        }
    }
    SearchEntry {
        title: page.front.title.clone(),
        href: page.output_path.clone(),
        summary: summary.to_owned(),
        words: words.listed,
        places: words.places,
    }
}

/// The manifest and every file of the index, as (path, text), for the
/// articles in the order the site lists them, from entries already made:
/// the preview keeps them, so an edit redoes one article's.
pub fn files<'e>(entries: impl IntoIterator<Item = &'e SearchEntry>) -> Vec<(String, String)> {
    let entries: Vec<&SearchEntry> = entries.into_iter().collect();
    index_files(&entries, |entry| Cow::Borrowed(*entry))
}

/// [`files`], made straight from the articles: each article's entry is
/// dropped as soon as its words are counted, so a build never holds every
/// page's words at once (1.3 GB of the 100k build's peak did).
pub fn files_of_pages(pages: &[&Page<'_>]) -> Vec<(String, String)> {
    index_files(pages, |page| Cow::Owned(entry(page)))
}

/// One article's number and where a word appears in it, in one `u32`: the
/// index holds one per distinct word of every article.
fn posting(article: usize, places: u8) -> u32 {
    let article = u32::try_from(article)
        .ok()
        .filter(|article| *article < 1 << 29)
        .expect("fewer than 500 million articles");
    article << 3 | u32::from(places)
}

/// Each word of a slice of articles, with its postings in article order.
type Postings = FxHashMap<Box<str>, Vec<u32>>;

fn index_files<A: Sync>(
    articles: &[A],
    entry_of: impl Fn(&A) -> Cow<'_, SearchEntry> + Sync,
) -> Vec<(String, String)> {
    // Postings by word, each slice of articles on its own thread, then
    // joined in article order.
    let slice = articles
        .len()
        .div_ceil(rayon::current_num_threads() * 4)
        .max(1);
    let slices: Vec<(Postings, Vec<String>)> = articles
        .par_chunks(slice)
        .enumerate()
        .map(|(number, chunk)| {
            let mut postings = Postings::default();
            let mut docs = Vec::with_capacity(chunk.len());
            for (offset, article) in chunk.iter().enumerate() {
                let entry = entry_of(article);
                let article = number * slice + offset;
                for (word, places) in entry.words() {
                    match postings.get_mut(word) {
                        Some(list) => list.push(posting(article, places)),
                        None => {
                            postings.insert(word.into(), vec![posting(article, places)]);
                        }
                    }
                }
                docs.push(format!(
                    "[{},{},{}]",
                    json(&entry.title),
                    json(&entry.href),
                    json(&entry.summary)
                ));
            }
            (postings, docs)
        })
        .collect();
    // Each word's postings stay in their slices, which are in article order.
    let mut by_word: FxHashMap<&str, Vec<&[u32]>> = FxHashMap::default();
    for (postings, _) in &slices {
        for (word, list) in postings {
            by_word.entry(word).or_default().push(list);
        }
    }
    // Words with one stem ("infusion", "infusions") share their postings.
    let stemmer = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
    let stemmed: Vec<(&str, String)> = by_word
        .par_iter()
        .map(|(word, _)| (*word, stemmer.stem(word).into_owned()))
        .collect();
    let mut stem_number: FxHashMap<&str, u32> = FxHashMap::default();
    let mut stem_names: Vec<&str> = Vec::new();
    let mut stem_of: Vec<(&str, u32)> = Vec::with_capacity(stemmed.len());
    let mut words_of: Vec<Vec<&str>> = Vec::new();
    for (word, stem) in &stemmed {
        let number = *stem_number.entry(stem).or_insert_with(|| {
            stem_names.push(stem);
            words_of.push(Vec::new());
            u32::try_from(stem_names.len() - 1).expect("fewer than 4 billion stems")
        });
        words_of[number as usize].push(word);
        stem_of.push((word, number));
    }

    let mut files = Vec::new();
    let mut by_name: Vec<u32> = (0..stem_names.len() as u32).collect();
    by_name.sort_unstable_by_key(|stem| stem_names[*stem as usize]);
    // Each stem's postings are merged and written out in one step, so no
    // second copy of every posting is ever held.
    let encoded: Vec<String> = by_name
        .par_iter()
        .map(|stem| {
            let words = &words_of[*stem as usize];
            let postings = merged(
                words.iter().flat_map(|word| by_word[word].iter().copied()),
                words.len(),
            );
            let mut text = json(stem_names[*stem as usize]);
            text.push_str(":\"");
            let mut previous = 0;
            for posting in postings {
                let article = posting >> 3;
                push_base36(&mut text, article - previous);
                text.push(char::from(b'A' + (posting & 7) as u8));
                previous = article;
            }
            text.push('"');
            text
        })
        .collect();
    let mut shard_of = vec![0u32; stem_names.len()];
    let mut shard = 0u32;
    let mut text = String::new();
    for (stem, stem_postings) in by_name.iter().zip(&encoded) {
        if text.len() > POSTINGS_FILE_BYTES {
            files.push(close_file(&format!("p-{shard}"), &mut text, '{', '}'));
            shard += 1;
        }
        if !text.is_empty() {
            text.push(',');
        }
        text.push_str(stem_postings);
        shard_of[*stem as usize] = shard;
    }
    files.push(close_file(&format!("p-{shard}"), &mut text, '{', '}'));

    let mut vocabulary: BTreeMap<String, Vec<(&str, u32)>> = BTreeMap::new();
    for (word, stem) in stem_of {
        vocabulary
            .entry(vocabulary_key(word))
            .or_default()
            .push((word, stem));
    }
    let keys: Vec<&String> = vocabulary.keys().collect();
    let manifest = format!(
        "window.PAMPHLET_SEARCH = {{\"docs\":{},\"perDocs\":{DOCS_PER_FILE},\"keys\":{}}};\n",
        articles.len(),
        serde_json::to_string(&keys).expect("keys serialise")
    );
    for (key, mut words) in vocabulary {
        words.sort_unstable();
        for (word, stem) in words {
            if !text.is_empty() {
                text.push(',');
            }
            let name = stem_names[stem as usize];
            let shard = shard_of[stem as usize];
            if name == word {
                write!(text, "{}:{shard}", json(word))
            } else {
                write!(text, "{}:[{},{shard}]", json(word), json(name))
            }
            .expect("a String takes writes");
        }
        files.push(close_file(&format!("w-{key}"), &mut text, '{', '}'));
    }

    let docs = slices.iter().flat_map(|(_, docs)| docs);
    for (number, doc) in docs.enumerate() {
        if number > 0 && number % DOCS_PER_FILE == 0 {
            files.push(close_file(
                &format!("d-{}", number / DOCS_PER_FILE - 1),
                &mut text,
                '[',
                ']',
            ));
        }
        if !text.is_empty() {
            text.push(',');
        }
        text.push_str(doc);
    }
    if !articles.is_empty() {
        let last = (articles.len() - 1) / DOCS_PER_FILE;
        files.push(close_file(&format!("d-{last}"), &mut text, '[', ']'));
    }
    files.push((crate::paths::SEARCH_INDEX.to_owned(), manifest));
    files
}

/// One list of postings in article order from the lists of one or more
/// words, each word's lists in article order: an article in more than one
/// word's appears once, where any of them puts it.
fn merged<'l>(lists: impl Iterator<Item = &'l [u32]>, words: usize) -> Vec<u32> {
    let mut all: Vec<u32> = Vec::new();
    for list in lists {
        all.extend_from_slice(list);
    }
    if words > 1 {
        all.sort_unstable();
        all.dedup_by(|later, kept| {
            let same = *later >> 3 == *kept >> 3;
            if same {
                *kept |= *later;
            }
            same
        });
    }
    all
}

/// One index file: a script handing its data to the page's search script.
fn close_file(name: &str, data: &mut String, open: char, close: char) -> (String, String) {
    let script = format!("PAMPHLET_SEARCH_LOADED(\"{name}\",{open}{data}{close});\n");
    data.clear();
    (format!("{SEARCH_FOLDER}/{name}.js"), script)
}

fn json(text: &str) -> String {
    serde_json::to_string(text).expect("a string serialises")
}

/// The key of the vocabulary file holding `word`: its first two letters,
/// each ASCII letter or digit as itself and anything else as `_`, its code
/// point in base 36, and `_`. The page's script computes the same.
pub fn vocabulary_key(word: &str) -> String {
    let mut key = String::new();
    for c in word.chars().take(2) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            key.push(c);
        } else {
            key.push('_');
            key.push_str(&base36(u32::from(c)));
            key.push('_');
        }
    }
    key
}

fn base36(n: u32) -> String {
    let mut text = String::new();
    push_base36(&mut text, n);
    text
}

fn push_base36(text: &mut String, n: u32) {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut digits = [0u8; 7];
    let mut at = digits.len();
    let mut n = n;
    loop {
        at -= 1;
        digits[at] = DIGITS[(n % 36) as usize];
        n /= 36;
        if n == 0 {
            break;
        }
    }
    text.push_str(std::str::from_utf8(&digits[at..]).expect("base 36 digits are ASCII"));
}

/// Distinct words of two letters or more, lower case, with where they appear.
#[derive(Default)]
struct Words<'t> {
    seen: FxHashMap<Cow<'t, str>, usize>,
    listed: String,
    places: Vec<u8>,
}

impl<'t> Words<'t> {
    fn add(&mut self, text: &'t str, place: u8) {
        if !text.is_ascii() {
            for word in text.split(|c: char| !c.is_alphanumeric()) {
                if word.chars().nth(1).is_some() {
                    self.insert(word, word.chars().any(char::is_uppercase), place);
                }
            }
            return;
        }
        // Plain ASCII, nearly every text, is split as bytes: this runs over
        // every word of every page.
        let bytes = text.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            let start = at;
            let mut has_upper = false;
            while let Some(byte) = bytes.get(at).filter(|b| b.is_ascii_alphanumeric()) {
                has_upper |= byte.is_ascii_uppercase();
                at += 1;
            }
            if at - start >= 2 {
                self.insert(&text[start..at], has_upper, place);
            }
            at += 1;
        }
    }

    fn insert(&mut self, word: &'t str, has_upper: bool, place: u8) {
        // A word already in lower case is borrowed, not copied.
        let word = if has_upper {
            Cow::Owned(word.to_lowercase())
        } else {
            Cow::Borrowed(word)
        };
        if let Some(&index) = self.seen.get(word.as_ref()) {
            self.places[index] |= place;
            return;
        }
        if !self.listed.is_empty() {
            self.listed.push(' ');
        }
        self.listed.push_str(&word);
        self.seen.insert(word, self.places.len());
        self.places.push(place);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn entry_of(number: usize, body: &str) -> SearchEntry {
        let mut words = Words::default();
        words.add(body, IN_BODY);
        SearchEntry {
            title: format!("Article {number}"),
            href: format!("a/{number}/index.html"),
            summary: String::new(),
            words: words.listed,
            places: words.places,
        }
    }

    /// The data of each index file, by name, read back from its script.
    fn read_back(files: &[(String, String)]) -> BTreeMap<String, serde_json::Value> {
        files
            .iter()
            .filter_map(|(path, text)| {
                let name = path.strip_prefix("search/")?.strip_suffix(".js")?;
                let data = text
                    .strip_prefix(&format!("PAMPHLET_SEARCH_LOADED(\"{name}\","))?
                    .trim_end()
                    .strip_suffix(");")?;
                Some((name.to_owned(), serde_json::from_str(data).unwrap()))
            })
            .collect()
    }

    /// The article numbers the index lists for a word typed exactly.
    fn found(files: &BTreeMap<String, serde_json::Value>, word: &str) -> BTreeSet<u32> {
        let Some(value) = files
            .get(&format!("w-{}", vocabulary_key(word)))
            .and_then(|vocabulary| vocabulary.get(word))
        else {
            return BTreeSet::new();
        };
        let (stem, shard) = match value {
            serde_json::Value::Array(pair) => (pair[0].as_str().unwrap().to_owned(), &pair[1]),
            shard => (word.to_owned(), shard),
        };
        let postings = files[&format!("p-{shard}")][&stem]
            .as_str()
            .unwrap()
            .to_owned();
        let mut article = 0;
        let mut digits = String::new();
        let mut found = BTreeSet::new();
        for c in postings.chars() {
            if c.is_ascii_uppercase() {
                article += u32::from_str_radix(&digits, 36).unwrap();
                digits.clear();
                found.insert(article);
            } else {
                digits.push(c);
            }
        }
        found
    }

    proptest::proptest! {
        /// The byte-wise split of ASCII text lists what splitting by
        /// characters lists.
        #[test]
        fn words_are_listed_as_splitting_by_characters_lists_them(
            texts in proptest::collection::vec("[a-zA-Z0-9 .,'é\u{c9}-]{0,30}", 0..6)
        ) {
            let mut words = Words::default();
            let mut expected: Vec<String> = Vec::new();
            for text in &texts {
                words.add(text, IN_BODY);
                for word in text.split(|c: char| !c.is_alphanumeric()) {
                    let word = word.to_lowercase();
                    if word.chars().count() >= 2 && !expected.contains(&word) {
                        expected.push(word);
                    }
                }
            }
            proptest::prop_assert_eq!(words.listed, expected.join(" "));
        }
    }

    proptest::proptest! {
        // Each case builds a whole index: fewer cases, each of a site.
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

        /// Whatever the articles say, a word typed exactly finds every
        /// article with a word of its stem, and no other; every file is a
        /// script the page can load, and no file of postings runs far past
        /// its size unless one stem fills it.
        #[test]
        fn every_word_finds_the_articles_that_use_its_stem(
            bodies in proptest::collection::vec(
                proptest::collection::vec(
                    "(care|cares|caring|cared|infusion|infusions|dose|doses|naïve|Éclair|side|sides|effect|effects|[a-z]{2,6}|[0-9]{2})",
                    0..30,
                ),
                1..120,
            )
        ) {
            let entries: Vec<SearchEntry> = bodies
                .iter()
                .enumerate()
                .map(|(number, words)| entry_of(number, &words.join(" ")))
                .collect();
            let files = files(&entries);
            let data = read_back(&files);
            proptest::prop_assert_eq!(data.len() + 1, files.len());
            let stemmer = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
            let mut by_stem: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
            for (number, entry) in entries.iter().enumerate() {
                for (word, _) in entry.words() {
                    by_stem.entry(stemmer.stem(word).into_owned()).or_default().insert(number as u32);
                }
            }
            for entry in &entries {
                for (word, _) in entry.words() {
                    let expected = &by_stem[stemmer.stem(word).as_ref()];
                    proptest::prop_assert_eq!(&found(&data, word), expected, "{}", word);
                }
            }
            for (name, value) in &data {
                if name.starts_with("p-") {
                    let stems = value.as_object().unwrap();
                    let longest = stems.values().map(|p| p.as_str().unwrap().len()).max().unwrap_or(0);
                    let size: usize = stems.iter().map(|(s, p)| s.len() + p.as_str().unwrap().len() + 4).sum();
                    proptest::prop_assert!(size <= POSTINGS_FILE_BYTES + longest + 64, "{} is {} bytes", name, size);
                }
                if name.starts_with("d-") {
                    proptest::prop_assert!(value.as_array().unwrap().len() <= DOCS_PER_FILE);
                }
            }
            // Article n of the postings is the nth of the listed titles.
            let docs: Vec<serde_json::Value> = (0..)
                .map_while(|n| data.get(&format!("d-{n}")))
                .flat_map(|file| file.as_array().unwrap().clone())
                .collect();
            let listed: Vec<serde_json::Value> = entries
                .iter()
                .map(|e| serde_json::json!([e.title, e.href, e.summary]))
                .collect();
            proptest::prop_assert_eq!(docs, listed);
        }
    }

    #[test]
    fn a_key_is_the_first_two_letters_with_anything_but_ascii_spelled_out() {
        assert_eq!(vocabulary_key("ketamine"), "ke");
        assert_eq!(vocabulary_key("9am"), "9a");
        assert_eq!(vocabulary_key("éclair"), "_6h_c");
        assert_eq!(base36(233), "6h");
    }
}
