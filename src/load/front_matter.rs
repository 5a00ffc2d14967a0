//! Splitting a markdown file into its YAML front matter and body, and turning
//! serde_yaml's errors into messages a clinic editor can act on.

use std::ops::Range;

use serde::de::DeserializeOwned;

use super::yaml_places::Places;
use crate::diagnostics::{Code, Diagnostic, closest};
use crate::source::SourceFile;

/// Where the parts of a file are, as byte ranges of the whole file.
#[derive(Debug, Clone)]
pub struct Split {
    /// The YAML between the `---` lines.
    pub yaml: Range<usize>,
    /// 1-based line of the first YAML line, to map YAML errors back to the file.
    pub yaml_first_line: usize,
    /// Where the markdown body starts, after the closing `---`.
    pub body_start: usize,
}

/// Finds the `---` fences. A byte-order mark before the first fence and
/// Windows line endings are accepted, as editors on Windows write them.
pub fn split(file: &SourceFile) -> Result<Split, Diagnostic> {
    let text = &*file.text;
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut lines = lines_with_offsets(text, start);
    let opening_is_fence = lines
        .next()
        .is_some_and(|(_, line)| line.trim_end() == "---");
    if !opening_is_fence {
        return Err(Diagnostic::error(
            Code::NoFrontMatter,
            "this file does not start with front matter",
        )
        .at(file, file.line_span(start))
        .hint(
            "start the file with a line `---`, then `title: ...` and the other fields, then another `---` line",
        ));
    }
    let yaml_start = text[start..]
        .find('\n')
        .map_or(text.len(), |i| start + i + 1);
    for (offset, line) in lines {
        if matches!(line.trim_end(), "---" | "...") {
            let body_start = text[offset..]
                .find('\n')
                .map_or(text.len(), |i| offset + i + 1);
            return Ok(Split {
                yaml: yaml_start..offset,
                yaml_first_line: 2,
                body_start,
            });
        }
    }
    Err(Diagnostic::error(
        Code::UnclosedFrontMatter,
        "the front matter is never closed",
    )
    .at(file, file.line_span(start))
    .hint("add a line `---` after the last front matter field, before the article text begins"))
}

fn lines_with_offsets(text: &str, start: usize) -> impl Iterator<Item = (usize, &str)> {
    text[start..]
        .split_inclusive('\n')
        .scan(start, |offset, line| {
            let at = *offset;
            *offset += line.len();
            Some((at, line))
        })
}

/// Parses YAML into `T`, explaining the first problem at its place in
/// `file`; see [`parse_yaml_reporting_all`].
pub fn parse_yaml<T: DeserializeOwned>(
    file: &SourceFile,
    yaml: &str,
    first_line: usize,
) -> Result<T, Diagnostic> {
    parse_yaml_reporting_all(file, yaml, first_line).map_err(|mut all| all.swap_remove(0))
}

/// Parses YAML into `T`, or returns every problem found, each at the key
/// or value it is about: text pasted from Word, then the YAML's syntax, then
/// every unknown field, wrong value and missing field (the value is read
/// again without each problem found, so one run shows them all).
/// `first_line` is the file line on which the YAML text begins.
pub fn parse_yaml_reporting_all<T: DeserializeOwned>(
    file: &SourceFile,
    yaml: &str,
    first_line: usize,
) -> Result<T, Vec<Diagnostic>> {
    let yaml_start = file.offset_of(first_line, 1);
    if yaml.trim().is_empty() {
        return Err(vec![
            Diagnostic::error(Code::BadValue, "the front matter is empty")
                .at(file, file.line_span(yaml_start.saturating_sub(1)))
                .hint("add at least `title: ...` between the `---` lines"),
        ]);
    }
    let mut problems = super::pasted::problems(file, yaml, yaml_start);
    // Almost every file is fine: read it once, directly. Reading it again
    // as a tree, with positions, is for explaining what is wrong.
    if problems.is_empty()
        && let Ok(parsed) = serde_yaml::from_str(yaml)
    {
        return Ok(parsed);
    }
    let mut value: serde_yaml::Value = match serde_yaml::from_str(yaml) {
        Ok(value) => value,
        // What was pasted is almost always what broke the syntax; its own
        // message says what to fix, where libyaml's would puzzle.
        Err(_) if !problems.is_empty() => return Err(problems),
        Err(error) => return Err(vec![explain(file, &error, first_line, yaml)]),
    };
    let places = Places::of(yaml);
    let place = |path: &str, key: bool| {
        let found = places.get(path)?;
        let range = if key { found.key.clone() } else { None }.unwrap_or(found.value.clone());
        Some(yaml_start + range.start..yaml_start + range.end)
    };
    // Fields put in so that reading can go on past a missing one.
    let mut filled: Vec<String> = Vec::new();
    for _ in 0..MOST_PROBLEMS_PER_FILE {
        let error = match serde_path_to_error::deserialize::<_, T>(value.clone()) {
            Ok(parsed) if problems.is_empty() => return Ok(parsed),
            Ok(_) => return Err(problems),
            Err(error) => error,
        };
        let path = match error.path().to_string() {
            root if root == "." => String::new(),
            path => path,
        };
        let message = error.into_inner().to_string();
        if filled.iter().any(|f| path.starts_with(f.as_str())) {
            break;
        }
        let problem = describe(&path, &message);
        let missing = missing_field(&message);
        let (at, next) = match (&problem.fix, missing) {
            // serde_path_to_error names the unknown field in the path.
            (Fix::RemoveKey, _) => (place(&path, true), Repair::Remove(path.clone())),
            (_, Some(field)) => (place(&path, true), Repair::Fill(path.clone(), field)),
            _ => (place(&path, false), Repair::Remove(path.clone())),
        };
        let at = at.unwrap_or_else(|| file.line_span(yaml_start.saturating_sub(1)));
        problems.push(problem.diagnostic.at(file, at));
        let repaired = match next {
            Repair::Remove(path) => remove(&mut value, &path),
            Repair::Fill(path, field) => {
                filled.push(join(&path, &field));
                fill(&mut value, &path, &field)
            }
        };
        if !repaired {
            break;
        }
    }
    Err(problems)
}

/// Past this many, an editor fixes what is shown and runs again; a hostile
/// file of thousands of bad fields costs a bounded number of readings.
const MOST_PROBLEMS_PER_FILE: usize = 50;

enum Repair {
    Remove(String),
    /// The mapping at the path, and the missing field to give it.
    Fill(String, String),
}

enum Fix {
    /// An unknown field, at the error's path.
    RemoveKey,
    Other,
}

struct Described {
    diagnostic: Diagnostic,
    fix: Fix,
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn missing_field(message: &str) -> Option<String> {
    message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
        .map(str::to_owned)
}

/// The steps of a path: `references[2].accessed` is `references`, 2,
/// `accessed`.
enum Step<'p> {
    Key(&'p str),
    Index(usize),
}

fn steps(path: &str) -> Vec<Step<'_>> {
    let mut steps = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (key, mut indices) = match part.find('[') {
            Some(at) => (&part[..at], &part[at..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            steps.push(Step::Key(key));
        }
        while let Some(rest) = indices.strip_prefix('[') {
            let Some((number, after)) = rest.split_once(']') else {
                break;
            };
            if let Ok(number) = number.parse() {
                steps.push(Step::Index(number));
            }
            indices = after;
        }
    }
    steps
}

fn node_at<'v>(
    value: &'v mut serde_yaml::Value,
    steps: &[Step<'_>],
) -> Option<&'v mut serde_yaml::Value> {
    steps.iter().try_fold(value, |node, step| match step {
        Step::Key(key) => node.get_mut(*key),
        Step::Index(index) => node.get_mut(*index),
    })
}

/// Removes the field at `path`; a list item is never removed, as that
/// would renumber the items after it.
fn remove(value: &mut serde_yaml::Value, path: &str) -> bool {
    let steps = steps(path);
    let Some((Step::Key(key), parent)) = steps.split_last() else {
        return false;
    };
    node_at(value, parent)
        .and_then(serde_yaml::Value::as_mapping_mut)
        .is_some_and(|mapping| mapping.remove(*key).is_some())
}

/// Gives the mapping at `path` an empty `field`, standing in for the
/// missing one so the rest can be read.
fn fill(value: &mut serde_yaml::Value, path: &str, field: &str) -> bool {
    node_at(value, &steps(path))
        .and_then(serde_yaml::Value::as_mapping_mut)
        .is_some_and(|mapping| {
            mapping.insert(field.into(), serde_yaml::Value::String(String::new()));
            true
        })
}

/// Where a path is, in an editor's words: `references[2].accessed` is "in
/// the 3rd reference".
fn in_words(path: &str) -> String {
    let steps = steps(path);
    let mut words = Vec::new();
    let mut steps_iter = steps.iter().peekable();
    while let Some(step) = steps_iter.next() {
        match (step, steps_iter.peek()) {
            (Step::Key(key), Some(Step::Index(index))) => {
                let singular = key.strip_suffix('s').unwrap_or(key);
                words.push(format!("the {} {singular}", ordinal(index + 1)));
                steps_iter.next();
            }
            (Step::Key(key), _) => words.push(format!("`{key}`")),
            (Step::Index(index), _) => words.push(format!("item {}", index + 1)),
        }
    }
    words.join(", ")
}

fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// A problem with a value or field (not with the YAML's syntax), in plain
/// words. `path` is where serde found it.
fn describe(path: &str, message: &str) -> Described {
    let field = path.rsplit('.').next().unwrap_or(path);
    let field = field.split('[').next().unwrap_or(field);
    let parent = path.rsplit_once('.').map_or("", |(parent, _)| parent);
    let within = |path: &str| {
        if path.is_empty() {
            String::new()
        } else {
            format!(" (in {})", in_words(path))
        }
    };
    if let Some((unknown, expected)) = unknown_item(message, "unknown field `") {
        let mut hint = match closest(&unknown, expected.iter().map(String::as_str)) {
            Some(guess) => format!("did you mean `{guess}`? "),
            None => String::new(),
        };
        hint.push_str(&format!(
            "The fields allowed here are: {}.",
            expected.join(", ")
        ));
        return Described {
            diagnostic: Diagnostic::error(
                Code::UnknownField,
                format!(
                    "`{unknown}` is not a field Pamphlet knows{}",
                    within(parent)
                ),
            )
            .hint(hint),
            fix: Fix::RemoveKey,
        };
    }
    let diagnostic = if let Some((value, expected)) = unknown_item(message, "unknown variant `") {
        let mut hint = match closest(&value, expected.iter().map(String::as_str)) {
            Some(guess) => format!("did you mean `{guess}`? "),
            None => String::new(),
        };
        hint.push_str(&format!("Use one of: {}.", expected.join(", ")));
        Diagnostic::error(
            Code::BadValue,
            format!(
                "`{value}` is not one of the allowed values{}",
                within(parent)
            ),
        )
        .hint(hint)
    } else if let Some(missing) = missing_field(message) {
        Diagnostic::error(
            Code::BadValue,
            format!("the required field `{missing}` is missing{}", within(path)),
        )
        .hint(format!("add a line `{missing}: ...`"))
    } else if message.contains("expected struct FrontMatter") {
        Diagnostic::error(
            Code::BadValue,
            "the front matter must be a set of fields, one per line, such as `title: ...`",
        )
        .hint("write `title: Your title` and the other fields between the `---` lines, each as `name: value`")
    } else if message.contains("is not a date") || message.contains("is not a day") {
        Diagnostic::error(Code::BadValue, format!("{message}{}", within(parent))).hint(format!(
            "write the date as year-month-day with hyphens, for example `{field}: 2026-10-01`"
        ))
    } else if message.starts_with("invalid type") || message.starts_with("invalid value") {
        Diagnostic::error(
            Code::BadValue,
            format!("`{field}` {}{}", plain_type_words(message), within(parent)),
        )
        .hint(type_hint(field, message))
    } else {
        Diagnostic::error(Code::BadValue, format!("{message}{}", within(path)))
            .hint(format!("check the value of `{field}`"))
    };
    Described {
        diagnostic,
        fix: Fix::Other,
    }
}

/// What to type, for the kind of value a field expects.
fn type_hint(field: &str, message: &str) -> String {
    let expected = message.rsplit("expected ").next().unwrap_or("");
    if expected.contains("a boolean") {
        format!("write `{field}: true` or `{field}: false`")
    } else if expected.contains("sequence") {
        format!(
            "write a list: `{field}: [first, second]`, or each item on its own line below `{field}:`, starting `  - `"
        )
    } else if expected.contains("i64") || expected.contains("i32") || expected.contains("integer") {
        format!("write a whole number, for example `{field}: 2021`")
    } else if expected.contains("struct") || expected.contains("map") {
        format!("write the fields of `{field}` on the lines below it, each indented by two spaces")
    } else if expected.contains("string") {
        format!(
            "write the text on the same line as `{field}:`, in straight quotes if it holds a colon: `{field}: \"Ketamine: what to know\"`"
        )
    } else {
        format!("check the value of `{field}`")
    }
}

/// Turns a serde_yaml syntax error into a diagnostic in plain words,
/// pointing at the file line and column where libyaml noticed the problem.
fn explain(
    file: &SourceFile,
    error: &serde_yaml::Error,
    first_line: usize,
    yaml: &str,
) -> Diagnostic {
    let full = error.to_string();
    let syntax = SyntaxError::read(&full);
    let (what, fix) = syntax.in_plain_words();
    let diagnostic = Diagnostic::error(
        Code::YamlSyntax,
        format!("the front matter is not valid YAML: {what}"),
    )
    .hint(fix);
    // libyaml notices an unclosed quote or bracket only at the end of
    // the text; where the quote was opened is where the editor must look.
    let unclosed = syntax
        .context
        .is_some_and(|c| c.contains("quoted scalar") || c.contains("flow"));
    if let Some((line, column)) = syntax.started_at.filter(|_| unclosed) {
        return diagnostic.at_line(file, first_line + line - 1, column);
    }
    if let Some(at) = Places::syntax_error_at(yaml) {
        let offset = file.offset_of(first_line, 1) + at;
        let position = file.position(offset);
        return diagnostic.at_line(file, position.line, position.column);
    }
    match error.location() {
        Some(location) => {
            diagnostic.at_line(file, first_line + location.line() - 1, location.column())
        }
        None => diagnostic.at_line(file, first_line, 1),
    }
}

/// libyaml's "PROBLEM at line L column C, while CONTEXT at line L column C".
struct SyntaxError<'m> {
    problem: &'m str,
    context: Option<&'m str>,
    started_at: Option<(usize, usize)>,
}

impl<'m> SyntaxError<'m> {
    fn read(message: &'m str) -> Self {
        let (problem_part, context_part) = match message.split_once(", while ") {
            Some((problem, context)) => (problem, Some(context)),
            None => (message, None),
        };
        let strip_place = |text: &'m str| text.find(" at line ").map_or(text, |i| &text[..i]);
        let started_at = context_part.and_then(|context| {
            let place = &context[context.find(" at line ")? + " at line ".len()..];
            let (line, column) = place.split_once(" column ")?;
            Some((line.trim().parse().ok()?, column.trim().parse().ok()?))
        });
        SyntaxError {
            problem: strip_place(problem_part),
            context: context_part.map(strip_place),
            started_at,
        }
    }

    /// What went wrong and how to fix it, for someone who has never heard
    /// of a "scalar".
    fn in_plain_words(&self) -> (String, String) {
        let context = self.context.unwrap_or("");
        let (what, fix) = if context.contains("quoted scalar") {
            (
                "a text in quotes is never closed",
                "add the closing quote mark at the end of the text",
            )
        } else if context.contains("flow sequence") || self.problem.contains("',' or ']'") {
            (
                "a list in [square brackets] is not closed",
                "close the list with `]`, and separate its items with commas",
            )
        } else if context.contains("flow mapping") || self.problem.contains("',' or '}'") {
            (
                "a group in {curly brackets} is not closed",
                "close it with `}`, or put the text in quotes",
            )
        } else if self.problem.contains("mapping values are not allowed") {
            (
                "a `:` appears where YAML does not expect one",
                "put the whole value in quotes, for example `title: \"Ketamine: what to know\"`",
            )
        } else if self.problem.contains("did not find expected key")
            || self.problem.contains("did not find expected '-'")
        {
            (
                "this line is indented differently from the lines around it",
                "line it up with the other fields at the same level, using spaces, not tabs",
            )
        } else if self.problem.contains("repetition limit") {
            (
                "it repeats values through aliases (`&name` and `*name`) far more than any article needs",
                "write each value out once; front matter does not need YAML anchors or aliases",
            )
        } else if self.problem.contains("recursion limit") {
            (
                "it is nested far too deeply",
                "front matter needs only a few levels of indentation; check what was pasted here",
            )
        } else if self.problem.contains("cannot start any token") {
            (
                "this line starts with a character YAML does not allow there (often a tab, `@` or a backtick)",
                "use spaces instead of tabs, and put text that starts with `@` or a backtick in quotes",
            )
        } else {
            return (
                self.context.map_or_else(
                    || self.problem.to_owned(),
                    |c| format!("{}, while {c}", self.problem),
                ),
                "check the indentation, and put text that contains `:` or `#` in quotes".to_owned(),
            );
        };
        (what.to_owned(), fix.to_owned())
    }
}

/// Reads serde's "unknown field `x`, expected one of `a`, `b`" (or "expected
/// `a`"), returning `x` and the list.
fn unknown_item(message: &str, prefix: &str) -> Option<(String, Vec<String>)> {
    let rest = message.strip_prefix(prefix)?;
    let (item, rest) = rest.split_once('`')?;
    let expected = rest
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect();
    Some((item.to_owned(), expected))
}

/// serde's "invalid type: string \"no\", expected a boolean" as "should
/// be true or false, not the text \"no\"".
fn plain_type_words(message: &str) -> String {
    let rest = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))
        .unwrap_or(message);
    let (found, expected) = rest.rsplit_once(", expected ").unwrap_or((rest, ""));
    let found = match found {
        "map" => "a group of fields".to_owned(),
        "sequence" => "a list".to_owned(),
        "unit value" => "nothing".to_owned(),
        other => other
            .replacen("string ", "the text ", 1)
            .replacen("integer ", "the number ", 1)
            .replacen("floating point ", "the number ", 1)
            .replacen("boolean ", "", 1),
    };
    let expected = if expected.contains("boolean") {
        "true or false"
    } else if expected.contains("sequence") {
        "a list"
    } else if expected.contains("i64") || expected.contains("i32") || expected.contains("integer") {
        "a whole number"
    } else if expected.contains("struct") || expected.contains("map") {
        "a group of fields"
    } else if expected.contains("string") {
        "a text"
    } else {
        expected
    };
    format!("should be {expected}, not {found}")
}

/// The byte range where `key:` is written in the front matter, or where
/// `value` is written under it (on the key's line or in its block list).
/// Used to point policy problems at the right line; YAML parsers keep no
/// positions for values, and editors need one.
pub fn locate(
    file: &SourceFile,
    yaml: &Range<usize>,
    key: &str,
    value: Option<&str>,
) -> Range<usize> {
    locate_nth(file, yaml, key, value, 0)
}

/// Like [`locate`], but the `nth` (0-based) place where it is written: the
/// second `id: x` of a repeated reference, say.
pub fn locate_nth(
    file: &SourceFile,
    yaml: &Range<usize>,
    key: &str,
    value: Option<&str>,
    mut nth: usize,
) -> Range<usize> {
    let text = &file.text[yaml.clone()];
    let lines: Vec<(usize, &str)> = lines_with_offsets(text, 0).collect();
    let mut first_key = None;
    for (index, (offset, line)) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let item = trimmed.strip_prefix("- ").unwrap_or(trimmed);
        let key_at = indent + (trimmed.len() - item.len());
        if !item.starts_with(key) || !item[key.len()..].starts_with(':') {
            continue;
        }
        let key_span = yaml.start + offset + key_at..yaml.start + offset + key_at + key.len();
        let Some(value) = value else {
            return key_span;
        };
        first_key.get_or_insert(key_span);
        let after_colon = key_at + key.len() + 1;
        let block = std::iter::once((*offset, &line[..], after_colon)).chain(
            lines[index + 1..]
                .iter()
                .take_while(|(_, next)| {
                    let next_indent = next.len() - next.trim_start().len();
                    next.trim().is_empty()
                        || next_indent > indent
                        || (next_indent == indent && next.trim_start().starts_with("- "))
                })
                .map(|(o, l)| (*o, *l, 0)),
        );
        for (line_offset, line_text, from) in block {
            if let Some(found) = find_word(&line_text[from..], value) {
                let start = yaml.start + line_offset + from + found;
                if nth == 0 {
                    return start..start + value.len();
                }
                nth -= 1;
                break;
            }
        }
    }
    first_key.unwrap_or_else(|| file.line_span(yaml.start.saturating_sub(1)))
}

fn find_word(haystack: &str, word: &str) -> Option<usize> {
    let is_word = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    haystack.match_indices(word).map(|(i, _)| i).find(|&i| {
        !haystack[..i].chars().next_back().is_some_and(is_word)
            && !haystack[i + word.len()..]
                .chars()
                .next()
                .is_some_and(is_word)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FrontMatter;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("content/a.md", text)
    }

    #[test]
    fn split_finds_the_fences_with_bom_and_crlf() {
        let source = file("\u{feff}---\r\ntitle: A\r\n---\r\nBody\r\n");
        let split = split(&source).unwrap();
        assert_eq!(&source.text[split.yaml.clone()], "title: A\r\n");
        assert_eq!(&source.text[split.body_start..], "Body\r\n");
    }

    #[test]
    fn missing_and_unclosed_front_matter_are_told_apart() {
        let none = split(&file("# Hello\n")).unwrap_err();
        assert_eq!(none.code, Code::NoFrontMatter);
        let open = split(&file("---\ntitle: A\n\nBody\n")).unwrap_err();
        assert_eq!(open.code, Code::UnclosedFrontMatter);
        assert_eq!(open.line, 1);
    }

    #[test]
    fn unknown_nested_field_is_named_placed_and_a_fix_suggested() {
        let text = "---\ntitle: A\nreview:\n  reviwed_by: Someone\n---\n";
        let source = file(text);
        let split = split(&source).unwrap();
        let error = parse_yaml::<FrontMatter>(&source, &text[split.yaml], 2).unwrap_err();
        assert_eq!(error.code, Code::UnknownField);
        assert!(error.message.contains("`reviwed_by`"), "{}", error.message);
        assert_eq!(error.line, 4);
        assert_eq!(error.column, 3);
        assert!(
            error
                .hint
                .as_deref()
                .unwrap()
                .contains("did you mean `reviewed_by`?"),
            "{:?}",
            error.hint
        );
    }

    #[test]
    fn locate_finds_values_inline_and_in_block_lists() {
        let text = "---\ntitle: A\ndisclaimers: [medical-advice, off-label]\nreferences:\n  - id: one\n  - id: two\n---\n";
        let source = file(text);
        let yaml = split(&source).unwrap().yaml;
        let at = locate(&source, &yaml, "disclaimers", Some("off-label"));
        assert_eq!(&text[at.clone()], "off-label");
        assert_eq!(source.position(at.start).line, 3);
        let two = locate(&source, &yaml, "id", Some("two"));
        assert_eq!(source.position(two.start).line, 6);
    }
}
