//! The module graph, derived from the `use crate::…` paths of the library's source: dependencies
//! point inward. No two top-level modules import each other, directly or round a longer loop,
//! and the bottom layer (`model`, `diag`, `error`) imports nothing but itself.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The bottom layer: plain data and the error and diagnostic values every stage shares.
const BOTTOM: &[&str] = &["model", "diag", "error"];

/// Top-level module → the top-level modules its non-test code names through `crate::`.
fn module_graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in rust_files(src) {
        let relative = file.strip_prefix(src).unwrap();
        let first = relative.components().next().unwrap().as_os_str();
        let module = first.to_str().unwrap().trim_end_matches(".rs").to_string();
        // The binary's own modules are not part of the library's layers.
        if ["main", "cli", "lib"].contains(&module.as_str()) {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        // Tests may reach anywhere: only the code before a file's test module counts.
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        let imports = graph.entry(module.clone()).or_default();
        for name in crate_paths(code) {
            if name != module {
                imports.insert(name);
            }
        }
    }
    graph
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// The first segment of every `crate::…` path in `code`, including each path of a
/// `crate::{a, b::c}` group.
fn crate_paths(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    for (at, _) in code.match_indices("crate::") {
        // `$crate::` in macros and `newswire_crate::` are other things.
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let mut start_of_path = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    ',' if depth == 1 => start_of_path = true,
                    c if c.is_whitespace() => {}
                    _ if start_of_path && depth == 1 => {
                        found.insert(ident(&group[i..]));
                        start_of_path = false;
                    }
                    _ => {}
                }
            }
        } else {
            found.insert(ident(rest));
        }
    }
    found.retain(|name| !name.is_empty() && name != "self");
    found
}

/// A loop among the modules, if there is one: the modules on it, in order.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

fn source() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn show(graph: &BTreeMap<String, BTreeSet<String>>) -> String {
    graph
        .iter()
        .map(|(module, imports)| {
            let list: Vec<&str> = imports.iter().map(String::as_str).collect();
            format!("  {module} → {}\n", list.join(", "))
        })
        .collect()
}

#[test]
fn no_two_top_level_modules_import_each_other() {
    let graph = module_graph(&source());
    assert!(
        graph.len() > 5,
        "the source was not found:\n{}",
        show(&graph)
    );
    if let Some(cycle) = find_cycle(&graph) {
        panic!(
            "modules import each other: {}\nthe graph:\n{}",
            cycle.join(" → "),
            show(&graph)
        );
    }
}

#[test]
fn the_bottom_layer_imports_no_stage() {
    let graph = module_graph(&source());
    for module in BOTTOM {
        let imports = graph
            .get(*module)
            .unwrap_or_else(|| panic!("no module {module}"));
        let outside: Vec<&String> = imports
            .iter()
            .filter(|m| !BOTTOM.contains(&m.as_str()))
            .collect();
        assert!(
            outside.is_empty(),
            "{module} imports {outside:?}; the bottom layer imports only {BOTTOM:?}"
        );
    }
}

#[test]
fn the_checks_see_what_they_claim_to() {
    let paths = crate_paths(
        "use crate::{a::{B, c}, d, self};\nuse crate::e::F;\nfn f() { crate::g::h(); $crate::i; }",
    );
    assert_eq!(paths, ["a", "d", "e", "g"].map(String::from).into());
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    graph.insert("a".into(), ["b".into()].into());
    graph.insert("b".into(), ["c".into()].into());
    graph.insert("c".into(), BTreeSet::new());
    assert_eq!(find_cycle(&graph), None);
    graph.get_mut("c").unwrap().insert("a".into());
    assert_eq!(
        find_cycle(&graph),
        Some(["a", "b", "c", "a"].map(String::from).to_vec())
    );
}
