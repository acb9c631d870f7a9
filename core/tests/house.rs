//! The core's house: which top-level module of core/src may use which. The facade (`lib.rs`, the
//! `Zhuanshu` handle) is the top floor; below it the services, then what they share (the content in
//! force, the store, the clock), with `error` at the bottom. A module may use what is below it, never
//! what is above, so the module graph has no cycle. This test reads the sources and keeps it so.
//!
//! `cargo test -p zhuanshu-core --test house -- --nocapture` prints the graph.

use std::collections::BTreeMap;
use std::path::Path;

type Graph = BTreeMap<String, Vec<String>>;

/// The facade's node name.
const FACADE: &str = "lib";

/// What `crate::<name>` means when `<name>` is not a module: the module the facade re-exports it from
/// (`pub use clock::Clock;` in lib.rs), or the facade itself for what lib.rs defines.
fn item_module(lib_rs: &str, name: &str) -> Option<String> {
    for line in lib_rs.lines().map(str::trim) {
        let Some(path) = line.strip_prefix("pub use ").and_then(|p| p.strip_suffix(';')) else { continue };
        let module = path.split("::").next().unwrap_or("");
        let names: Vec<&str> = match path.find('{') {
            Some(open) => path[open + 1..].trim_end_matches('}').split(',').map(str::trim).collect(),
            None => vec![path.rsplit("::").next().unwrap_or("")],
        };
        if names.iter().any(|n| n.rsplit(" as ").next() == Some(name)) {
            return Some(module.to_owned());
        }
    }
    let defined = ["pub struct ", "pub enum ", "pub fn ", "pub trait ", "pub type ", "pub const "];
    defined.iter().any(|d| lib_rs.contains(&format!("{d}{name}"))).then(|| FACADE.to_owned())
}

/// Source text without comments, string literals' contents and `#[cfg(test)]` modules: what the module
/// uses in the code it ships. (Test modules may open a `Zhuanshu` to drive the code they test.)
fn shipped_code(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if text[i..].starts_with("//") {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
        } else if text[i..].starts_with("/*") {
            i = text[i..].find("*/").map_or(bytes.len(), |e| i + e + 2);
        } else if let Some(len) = raw_string(&text[i..]) {
            i += len;
            out.push_str("\"\"");
        } else if let Some(len) = char_literal(&text[i..]) {
            i += len;
            out.push_str("' '");
        } else if bytes[i] == b'"' {
            i += 1;
            while i < bytes.len() && bytes[i] != b'"' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if let Some(attribute) = test_only(&text[i..]) {
            // Skip the attribute and the item it guards: up to the end of its braces, or its `;`.
            i += attribute;
            let mut depth = 0usize;
            while i < bytes.len() {
                match bytes[i] {
                    b'{' => depth += 1,
                    b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            i += 1;
                            break;
                        }
                    }
                    b';' if depth == 0 => {
                        i += 1;
                        break;
                    }
                    _ => {}
                }
                i += 1;
            }
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// The length of a raw string literal (`r"…"`, `r#"…"#`, `br#"…"#`) at the start of `code`.
fn raw_string(code: &str) -> Option<usize> {
    let body = code.strip_prefix("br").or_else(|| code.strip_prefix('r'))?;
    let hashes = body.len() - body.trim_start_matches('#').len();
    let quoted = body[hashes..].strip_prefix('"')?;
    let close = format!("\"{}", "#".repeat(hashes));
    let end = quoted.find(&close)?;
    Some(code.len() - quoted.len() + end + close.len())
}

/// The length of a char literal (`'"'`, `'\''`, `'\u{2e80}'`) at the start of `code`; `None` for a
/// lifetime (`'a`), which is code.
fn char_literal(code: &str) -> Option<usize> {
    let rest = code.strip_prefix('\'')?;
    let mut chars = rest.char_indices();
    let (_, first) = chars.next()?;
    let after = if first == '\\' { rest[1..].find('\'').map(|e| e + 1)? } else { first.len_utf8() };
    rest[after..].starts_with('\'').then_some(1 + after + 1)
}

/// The length of a `#[cfg(test)]` or `#[cfg(all(test, …))]` attribute at the start of `code`.
fn test_only(code: &str) -> Option<usize> {
    let inner = code.strip_prefix("#[cfg(")?;
    let end = inner.find(")]")?;
    let condition = &inner[..end];
    (condition == "test" || condition.starts_with("all(test,")).then_some("#[cfg(".len() + end + ")]".len())
}

/// The top-level modules and the facade items a piece of code names through `crate::` (`use crate::a`,
/// `crate::a::b(…)`, `use crate::{a, b::c}`).
fn used(code: &str, modules: &[String], lib_rs: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        let names: Vec<&str> = if let Some(group) = after.strip_prefix('{') {
            top_level_names(group)
        } else {
            vec![after.split(|c: char| !(c.is_alphanumeric() || c == '_')).next().unwrap_or("")]
        };
        for name in names {
            let node =
                if modules.iter().any(|m| m == name) { Some(name.to_owned()) } else { item_module(lib_rs, name) };
            if let Some(node) = node.filter(|n| !found.contains(n)) {
                found.push(node);
            }
        }
        rest = after;
    }
    found
}

/// The first segment of each path in a `use crate::{…}` group (`a::{B, C}, d` gives `a`, `d`).
fn top_level_names(group: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                names.push(&group[start..i]);
                break;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                names.push(&group[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    names.into_iter().map(|p| p.trim().split("::").next().unwrap_or("").trim()).collect()
}

/// The graph of core/src: each top-level module (a file or directory) and the facade, with what it uses.
fn graph_of(files: &[(String, String)]) -> Graph {
    let top = |path: &str| -> String {
        let first = path.split('/').next().unwrap_or(path);
        first.strip_suffix(".rs").unwrap_or(first).to_owned()
    };
    let mut modules: Vec<String> = files.iter().map(|(p, _)| top(p)).filter(|m| m != FACADE).collect();
    modules.sort();
    modules.dedup();
    let lib_rs = files.iter().find(|(p, _)| p == "lib.rs").map(|(_, t)| shipped_code(t)).unwrap_or_default();
    let mut graph = Graph::new();
    for (path, text) in files {
        let from = top(path);
        // A module's own test files are test code.
        if path.ends_with("/tests.rs") {
            continue;
        }
        // `super::` as many times as the file is deep is the crate root: `crate::` under another name.
        let depth = path.matches('/').count() + usize::from(!path.ends_with("/mod.rs"));
        let code = shipped_code(text).replace(&"super::".repeat(depth), "crate::");
        let edges = graph.entry(from.clone()).or_default();
        for to in used(&code, &modules, &lib_rs) {
            if to != from && !edges.contains(&to) {
                edges.push(to);
            }
        }
    }
    for edges in graph.values_mut() {
        edges.sort();
    }
    graph
}

/// A cycle, as the path that closes it, if there is one.
fn cycle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(node: &str, graph: &Graph, path: &mut Vec<String>, done: &mut Vec<String>) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| n == node) {
            let mut cycle = path[start..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if done.iter().any(|n| n == node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.push(node.to_owned());
        None
    }
    let mut done = Vec::new();
    graph.keys().find_map(|n| visit(n, graph, &mut Vec::new(), &mut done))
}

fn read_tree(dir: &Path, prefix: &str, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).expect("core/src").flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if prefix.is_empty() { name.clone() } else { format!("{prefix}/{name}") };
        if entry.path().is_dir() {
            read_tree(&entry.path(), &rel, out);
        } else if name.ends_with(".rs") {
            out.push((rel, std::fs::read_to_string(entry.path()).expect("source")));
        }
    }
}

fn core_sources() -> Vec<(String, String)> {
    let mut files = Vec::new();
    read_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), "", &mut files);
    files
}

#[test]
fn the_core_modules_use_each_other_without_a_cycle() {
    let graph = graph_of(&core_sources());
    for (module, uses) in &graph {
        println!("{module:<10} -> {}", uses.join(" "));
    }
    assert!(graph.len() > 10, "the sources were read: {graph:?}");
    let users_of_facade: Vec<&String> =
        graph.iter().filter(|(m, uses)| *m != FACADE && uses.iter().any(|u| u == FACADE)).map(|(m, _)| m).collect();
    assert!(users_of_facade.is_empty(), "only the facade may name `Zhuanshu`; these do: {users_of_facade:?}");
    assert_eq!(graph.get("error").map(Vec::len), Some(0), "error.rs uses nothing above it: {:?}", graph.get("error"));
    if let Some(c) = cycle(&graph) {
        panic!("the core's modules use each other in a circle: {}", c.join(" -> "));
    }
}

#[test]
fn a_back_import_is_found() {
    let files = |extra: &str| {
        vec![
            ("lib.rs".to_owned(), "pub mod a;\npub mod b;\npub use b::B;\npub struct Zhuanshu;\n".to_owned()),
            ("a/mod.rs".to_owned(), "use crate::B; // crate::Zhuanshu is only mentioned here\n".to_owned()),
            ("b.rs".to_owned(), format!("pub struct B; const S: &str = \"crate::a\";\n{extra}")),
            ("a/tests.rs".to_owned(), "use crate::Zhuanshu;".to_owned()),
        ]
    };
    let clean = graph_of(&files(
        "#[cfg(test)]\nmod tests { use crate::a::A; }\n#[cfg(all(test, feature = \"x\"))]\nuse crate::a::A;",
    ));
    assert_eq!(clean["a"], ["b"]);
    assert!(clean["b"].is_empty(), "comments, strings and test modules do not count: {clean:?}");
    assert_eq!(cycle(&clean), None);
    let back = graph_of(&files("use crate::{a::A, Zhuanshu};"));
    assert_eq!(back["b"], ["a", "lib"]);
    assert_eq!(cycle(&back), Some(vec!["a".into(), "b".into(), "a".into()]));
    // Literals that look like quotes do not hide the code after them; nested groups are read whole.
    let hidden = graph_of(&files("const Q: char = '\"'; const R: &str = r#\"\"x\"#; fn f<'a>() { crate::a::f() }"));
    assert_eq!(hidden["b"], ["a"]);
    let nested = graph_of(&files("use crate::{error::{E, F}, a::A};"));
    assert_eq!(nested["b"], ["a"]);
    let mut deep = files("");
    deep.push(("b/inner.rs".to_owned(), "use super::super::Zhuanshu;".to_owned()));
    assert_eq!(graph_of(&deep)["b"], ["lib"], "super::super from b/inner.rs is the crate");
}
