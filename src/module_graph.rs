//! The modules' imports run one way: no two top-level modules import each
//! other, directly or around a loop, and neither do two sibling modules
//! inside one. Shared models (paths, prose, colours, errors) sit in leaf
//! modules that the stages import. Read from the source, so a new import
//! that closes a loop fails here, with the loop named.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use regex::Regex;

type Graph = BTreeMap<String, BTreeSet<String>>;

/// `src/check/links.rs` is `check::links`; `src/check/mod.rs` is `check`.
fn module_of(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative
        .with_extension("")
        .iter()
        .map(|part| part.to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|last| last == "mod") {
        parts.pop();
    }
    parts
}

/// Every import of non-test code between top-level modules, and between
/// sibling modules one level down (`check::links` -> `check::review`).
fn imports(src: &Path) -> Graph {
    let crate_path = Regex::new(r"crate::((?:\w+::)*\w+)").expect("valid");
    let grouped = Regex::new(r"use crate::\{([^}]*)\}").expect("valid");
    let sibling = Regex::new(r"super::(\w+)").expect("valid");
    let mut graph = Graph::new();
    for entry in walkdir::WalkDir::new(src) {
        let entry = entry.expect("src/ is readable");
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let me = module_of(path.strip_prefix(src).expect("under src"));
        if matches!(me[0].as_str(), "lib" | "main") {
            continue;
        }
        let text = std::fs::read_to_string(path).expect("a source file is text");
        // Test modules sit at the end of a file, and may reach anywhere.
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        let mut add = |from: String, to: String| {
            if from != to {
                graph.entry(from).or_default().insert(to);
            }
        };
        for found in crate_path.captures_iter(code) {
            let path: Vec<&str> = found[1].split("::").collect();
            if path[0] != me[0] {
                add(me[0].clone(), path[0].to_owned());
            } else if me.len() > 1 && path.len() > 1 {
                add(me[..2].join("::"), format!("{}::{}", me[0], path[1]));
            }
        }
        for found in grouped.captures_iter(code) {
            for name in found[1].split(',').filter_map(|n| n.split("::").next()) {
                add(me[0].clone(), name.trim().to_owned());
            }
        }
        if me.len() > 1 {
            for found in sibling.captures_iter(code) {
                let folder = src.join(&me[0]);
                let name = &found[1];
                if folder.join(format!("{name}.rs")).exists() || folder.join(name).is_dir() {
                    add(me[..2].join("::"), format!("{}::{name}", me[0]));
                }
            }
        }
    }
    graph
}

/// A loop of imports through `start`, if there is one.
fn loop_through(graph: &Graph, start: &str) -> Option<Vec<String>> {
    let mut stack = vec![vec![start.to_owned()]];
    let mut seen = BTreeSet::new();
    while let Some(route) = stack.pop() {
        let last = route.last().expect("a route is never empty");
        for next in graph.get(last).into_iter().flatten() {
            if next == start {
                let mut found = route.clone();
                found.push(start.to_owned());
                return Some(found);
            }
            if seen.insert(next.clone()) {
                let mut longer = route.clone();
                longer.push(next.clone());
                stack.push(longer);
            }
        }
    }
    None
}

#[test]
fn no_two_modules_import_each_other() {
    let graph = imports(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    // The reading itself must see the stages, or this test proves nothing.
    assert!(graph["check"].contains("load"), "{graph:?}");
    assert!(graph["render"].contains("load"), "{graph:?}");
    let loops: Vec<String> = graph
        .keys()
        .filter_map(|module| loop_through(&graph, module))
        .map(|route| route.join(" -> "))
        .collect();
    assert!(loops.is_empty(), "imports that loop:\n{}", loops.join("\n"));
}

#[test]
fn a_loop_is_found_when_there_is_one() {
    let mut graph = Graph::new();
    for (from, to) in [("a", "b"), ("b", "c"), ("c", "a"), ("d", "a")] {
        graph.entry(from.into()).or_default().insert(to.into());
    }
    assert_eq!(
        loop_through(&graph, "a").map(|r| r.join(" -> ")),
        Some("a -> b -> c -> a".to_owned())
    );
    assert_eq!(loop_through(&graph, "d"), None);
}
