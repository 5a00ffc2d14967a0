//! Front matter pasted from Word or a web page: curly quotes where YAML
//! needs straight ones, non-breaking and other invisible spaces where it
//! needs an ordinary one, tabs for indentation, Word's dashes and bullets
//! for list markers. Each looks right on screen and breaks the YAML in a
//! way its parser describes in jargon, at the wrong line; here each is
//! named where it is, with what to type instead.

use crate::diagnostics::{Code, Diagnostic};
use crate::source::SourceFile;

/// Spaces that look like a space and are not one to YAML.
fn is_unusual_space(c: char) -> bool {
    matches!(
        c,
        '\u{a0}' | '\u{2000}'..='\u{200b}' | '\u{202f}' | '\u{205f}' | '\u{3000}' | '\u{feff}'
    )
}

const OPENING_QUOTES: [char; 4] = ['“', '‘', '„', '«'];
const WORD_DASHES: [char; 4] = ['–', '—', '•', '·'];

/// Every pasted character of `yaml` (which starts at byte `yaml_start` of
/// `file`) that breaks it or changes what it means.
pub(super) fn problems(file: &SourceFile, yaml: &str, yaml_start: usize) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut offset = yaml_start;
    for line in yaml.split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        let trimmed = line.trim_start_matches([' ', '\t']);
        if trimmed.starts_with('#') {
            continue;
        }
        let at = |column_bytes: usize, length: usize| {
            line_start + column_bytes..line_start + column_bytes + length
        };
        let indent = &line[..line.len() - trimmed.len()];
        if let Some(tab) = indent.find('\t') {
            found.push(
                Diagnostic::error(Code::YamlSyntax, "this line is indented with a tab, and YAML reads only spaces as indentation")
                    .at(file, at(tab, 1))
                    .hint("delete the tab and indent with spaces: two spaces for each level, lined up with the lines around it"),
            );
        }
        if let Some(dash) = trimmed.chars().next().filter(|c| WORD_DASHES.contains(c))
            && trimmed[dash.len_utf8()..].starts_with([' ', '\u{a0}'])
        {
            found.push(
                Diagnostic::error(Code::YamlSyntax, format!("this list item starts with `{dash}` (a dash or bullet from Word), which YAML does not read as a list"))
                    .at(file, at(indent.len(), dash.len_utf8()))
                    .hint("start each list item with an ordinary hyphen and a space: `- item`"),
            );
        }
        // The structure of the line: indentation, a list marker, the key
        // and its colon; the value follows.
        let item = trimmed.strip_prefix("- ").unwrap_or(trimmed);
        let item_at = line.len() - item.len();
        let key_end = item.char_indices().find_map(|(i, c)| {
            (c == ':' && item[i + 1..].chars().next().is_none_or(char::is_whitespace)).then_some(i)
        });
        let structure_end = match key_end {
            Some(end) => item_at + end + 1,
            None => item_at,
        };
        if let Some((position, space)) = line[..structure_end.min(line.len())]
            .char_indices()
            .chain(
                line[structure_end.min(line.len())..]
                    .char_indices()
                    .take_while(|(_, c)| c.is_whitespace())
                    .map(|(i, c)| (i + structure_end, c)),
            )
            .find(|(_, c)| is_unusual_space(*c))
        {
            found.push(
                Diagnostic::error(Code::YamlSyntax, format!("there is an invisible special space here ({}), often pasted from Word or a web page, where YAML needs an ordinary space", space_name(space)))
                    .at(file, at(position, space.len_utf8()))
                    .hint("delete the space around this spot and type an ordinary one with the space bar"),
            );
        }
        if let Some(end) = key_end {
            let key = &item[..end];
            if let Some(dash) = key.chars().find(|c| WORD_DASHES.contains(c)) {
                let fixed: String = key
                    .chars()
                    .map(|c| if WORD_DASHES.contains(&c) { '_' } else { c })
                    .collect();
                found.push(
                    Diagnostic::error(
                        Code::UnknownField,
                        format!("the field name `{key}` has `{dash}`, a dash from Word"),
                    )
                    .at(file, at(item_at, key.len()))
                    .hint(format!("field names use an underscore: write `{fixed}`")),
                );
            }
        }
        if let Some(quoted) = curly_quoted_value(line, structure_end) {
            let value = &line[quoted.clone()];
            let straight: String = value
                .chars()
                .map(|c| match c {
                    '“' | '”' | '„' | '«' | '»' => '"',
                    '‘' | '’' => '\'',
                    other => other,
                })
                .collect();
            found.push(
                Diagnostic::error(Code::YamlSyntax, "this value is in curly quotes (“ ”), often put in by Word, which YAML reads as part of the text, not as quote marks")
                    .at(file, at(quoted.start, quoted.len()))
                    .hint(format!("type straight quotes instead: `{}{}`", line[..quoted.start].trim_start(), straight.trim_end())),
            );
        }
    }
    found
}

/// Where a value starting with a curly quote is, on a line whose key or
/// list marker ends at `structure_end`: `title: “A: B”`, `- “x”`,
/// `topics: [“x”, “y”]`. Curly quotes inside a value are the author's
/// punctuation and are kept.
fn curly_quoted_value(line: &str, structure_end: usize) -> Option<std::ops::Range<usize>> {
    let rest = line.get(structure_end..)?;
    let value_at = structure_end + (rest.len() - rest.trim_start().len());
    let value = line[value_at..].trim_end();
    let starts_curly = |text: &str| text.starts_with(OPENING_QUOTES);
    let in_list = value.starts_with('[')
        && value
            .split(',')
            .any(|item| starts_curly(item.trim_start_matches('[').trim_start()));
    let whole_line_item = line.trim_start().starts_with("- ")
        && structure_end == line.len() - line.trim_start().len() + 2;
    let wrapped = starts_curly(value) && (key_or_item(line, structure_end) || whole_line_item);
    (in_list || wrapped).then(|| value_at..value_at + value.len())
}

fn key_or_item(line: &str, structure_end: usize) -> bool {
    line[..structure_end].trim_end().ends_with(':') || line.trim_start().starts_with("- ")
}

fn space_name(space: char) -> &'static str {
    match space {
        '\u{a0}' => "a non-breaking space",
        '\u{200b}' => "a zero-width space",
        '\u{feff}' => "a zero-width no-break space",
        '\u{202f}' => "a narrow non-breaking space",
        _ => "a typographic space",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pasted(yaml: &str) -> Vec<(usize, usize, String)> {
        let file = SourceFile::new("a.md", yaml);
        problems(&file, yaml, 0)
            .into_iter()
            .map(|d| (d.line, d.column, d.hint.unwrap_or_default()))
            .collect()
    }

    #[test]
    fn what_word_puts_in_is_named_where_it_is_with_what_to_type() {
        let found = pasted(
            "title: “Ketamine: what to know”\ntopics:\u{a0}[depression]\n\treview: x\nreviewed–by: A\ntopics: [“depression”, “safety”]\n– item\n",
        );
        let places: Vec<(usize, usize)> = found.iter().map(|(l, c, _)| (*l, *c)).collect();
        assert_eq!(places, [(1, 8), (2, 8), (3, 1), (4, 1), (5, 9), (6, 1)]);
        assert_eq!(
            found[0].2,
            "type straight quotes instead: `title: \"Ketamine: what to know\"`"
        );
        assert_eq!(
            found[3].2,
            "field names use an underscore: write `reviewed_by`"
        );
    }

    #[test]
    fn typographic_punctuation_inside_a_value_is_the_authors() {
        assert!(
            pasted("title: The “K-hole” – and why it happens\nsummary: 10\u{a0}mg doses\n")
                .is_empty()
        );
    }
}
