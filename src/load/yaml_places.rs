//! Where each key and value of a YAML text is written, by its path
//! (`review.reviewed_on`, `references[2].accessed`, as serde_path_to_error
//! names them). serde_yaml keeps no positions for values, so a problem with
//! a value would otherwise be placed wherever libyaml happened to be; this
//! reads the same text with saphyr-parser, whose events carry their spans.

use std::collections::HashMap;
use std::ops::Range;

use saphyr_parser::{Event, Parser, Span};

/// Byte ranges within the YAML text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The key, for a value in a mapping.
    pub key: Option<Range<usize>>,
    /// Where the value starts (the whole of a plain value on one line).
    pub value: Range<usize>,
}

/// Where each key and value of a YAML text is, by its path (`references.0.doi`).
#[derive(Debug, Default)]
pub struct Places {
    by_path: HashMap<String, Place>,
}

enum Frame {
    Map {
        path: String,
        /// The key just read, waiting for its value.
        key: Option<(String, Range<usize>)>,
    },
    Seq {
        path: String,
        next: usize,
    },
}

impl Places {
    /// Reads `yaml`; a syntax error stops the reading, keeping what came
    /// before it (serde_yaml reports the error itself).
    pub fn of(yaml: &str) -> Self {
        // saphyr counts characters; the rest of Pamphlet counts bytes.
        let mut byte_of: Vec<usize> = yaml.char_indices().map(|(at, _)| at).collect();
        byte_of.push(yaml.len());
        let bytes = |span: &Span| {
            let at = |index: usize| byte_of.get(index).copied().unwrap_or(yaml.len());
            at(span.start.index())..at(span.end.index())
        };
        let mut places = Places::default();
        let mut stack: Vec<Frame> = Vec::new();
        for next in Parser::new_from_str(yaml) {
            let Ok((event, span)) = next else { break };
            let range = bytes(&span);
            match event {
                Event::Scalar(text, ..) => {
                    if let Some(Frame::Map { key, .. }) = stack.last_mut()
                        && key.is_none()
                    {
                        *key = Some((text.into_owned(), range));
                        continue;
                    }
                    places.value(&mut stack, range);
                }
                Event::MappingStart(..) | Event::SequenceStart(..) => {
                    let path = places.value(&mut stack, range);
                    stack.push(if matches!(event, Event::MappingStart(..)) {
                        Frame::Map { path, key: None }
                    } else {
                        Frame::Seq { path, next: 0 }
                    });
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    stack.pop();
                }
                Event::Alias(_) => {
                    places.value(&mut stack, range);
                }
                _ => {}
            }
        }
        places
    }

    /// Notes a value at `range` in the container on top of `stack`;
    /// returns its path.
    fn value(&mut self, stack: &mut [Frame], range: Range<usize>) -> String {
        let (path, key) = match stack.last_mut() {
            None => (String::new(), None),
            Some(Frame::Map { path, key }) => match key.take() {
                Some((name, key_range)) if path.is_empty() => (name, Some(key_range)),
                Some((name, key_range)) => (format!("{path}.{name}"), Some(key_range)),
                // A complex key (a mapping used as a key): not a path.
                None => (format!("{path}.?"), None),
            },
            Some(Frame::Seq { path, next }) => {
                *next += 1;
                (format!("{path}[{}]", *next - 1), None)
            }
        };
        self.by_path
            .insert(path.clone(), Place { key, value: range });
        path
    }

    /// Where a second YAML reader finds the first syntax error: libyaml
    /// often names the line of the block it was reading (one line too
    /// high); saphyr names the line that breaks it.
    pub fn syntax_error_at(yaml: &str) -> Option<usize> {
        let mut byte_of = yaml.char_indices().map(|(at, _)| at);
        for next in Parser::new_from_str(yaml) {
            if let Err(error) = next {
                let index = error.marker().index();
                return Some(byte_of.nth(index).unwrap_or(yaml.len()));
            }
        }
        None
    }

    /// Where the value at `path` is, if the YAML has it.
    pub fn get(&self, path: &str) -> Option<&Place> {
        self.by_path.get(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_values_are_found_by_their_path() {
        let yaml = "title: “Über” ok\nreview:\n  reviewed_by: Dr A\n  reviewed_on: 11/02/2026\nreferences:\n  - id: a\n  - id: b\n    accessed: yesterday\ntopics: [x, y]\n";
        let places = Places::of(yaml);
        let text = |path: &str| &yaml[places.get(path).unwrap().value.clone()];
        assert_eq!(text("title"), "“Über” ok");
        assert_eq!(text("review.reviewed_on"), "11/02/2026");
        assert_eq!(text("references[1].accessed"), "yesterday");
        assert_eq!(text("topics[1]"), "y");
        let key = places
            .get("review.reviewed_on")
            .unwrap()
            .key
            .clone()
            .unwrap();
        assert_eq!(&yaml[key], "reviewed_on");
    }

    #[test]
    fn a_syntax_error_is_found_on_the_line_that_breaks_the_block() {
        let yaml = "title: A\nreferences:\n  - id: one\n   title: x\n";
        let at = Places::syntax_error_at(yaml).unwrap();
        let line = yaml[..at].matches('\n').count() + 1;
        assert_eq!(line, 4, "{at}");
        assert_eq!(Places::syntax_error_at("title: A\n"), None);
    }

    #[test]
    fn broken_yaml_keeps_what_came_before_the_break() {
        let places = Places::of("title: A\nsummary: \"never closed\n");
        assert!(places.get("title").is_some());
    }
}
