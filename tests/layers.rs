//! The crate's layers point one way. Every `crate::<module>` path in `src/` (in `use` lines,
//! groups such as `use crate::{a, b::c}`, and inline paths) is read as text, and each
//! top-level module may name only modules of the layers below its own. This rules out import
//! cycles between top-level modules, and keeps a lower layer from reaching up.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Top to bottom; modules of one layer may not use each other. `main.rs` and `lib.rs` sit
/// above all of them. See `lib.rs` for what each layer does.
const LAYERS: &[&[&str]] = &[
    &["commands"],
    &["lint"],
    &["scan"],
    &["config"],
    &["report"],
    &["exposure", "fix"],
    &["filter"],
    &["matcher", "source"],
    &["finding"],
    &["rules"],
    &["cli", "decode", "entropy", "error", "exit", "text"],
];

/// Each top-level module (`src/<m>.rs` or `src/<m>/`) with its files.
fn top_modules(src: &Path) -> BTreeMap<String, Vec<PathBuf>> {
    let mut modules: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(src).unwrap();
            let first = rel
                .components()
                .next()
                .unwrap()
                .as_os_str()
                .to_string_lossy();
            let name = first.strip_suffix(".rs").unwrap_or(&first).to_string();
            if name != "main" && name != "lib" {
                modules.entry(name).or_default().push(path);
            }
        }
    }
    modules
}

/// The top-level modules `text` names through `crate::`.
fn refs(text: &str) -> BTreeSet<String> {
    let code: String = text
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let ident = |s: &str| -> Option<String> {
        let s = s.trim_start_matches(|c: char| c.is_whitespace() || c == '{');
        let end = s
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(s.len());
        let name = &s[..end];
        (!name.is_empty() && name != "self").then(|| name.to_string())
    };
    let mut out = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        // `super::crate::` does not exist; skip `$crate::` in macros and `scan_secrets::crate`.
        if code[..at].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // The names at the group's top level: `{a, b::{c, d}, e}` names a, b and e.
            let (mut depth, mut item) = (0usize, String::new());
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        out.extend(ident(&item));
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                item.push(c);
            }
            out.extend(ident(&item));
        } else {
            out.extend(ident(rest));
        }
    }
    out
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

#[test]
fn imports_point_down_the_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let modules = top_modules(&src);
    let mut problems = Vec::new();
    for name in modules.keys() {
        if layer_of(name).is_none() {
            problems.push(format!(
                "src/{name}: not in tests/layers.rs LAYERS; add it to the layer it belongs to"
            ));
        }
    }
    for (name, files) in &modules {
        let Some(own) = layer_of(name) else { continue };
        for file in files {
            let text = std::fs::read_to_string(file).unwrap();
            for used in refs(&text) {
                if &used == name || !modules.contains_key(&used) {
                    continue;
                }
                match layer_of(&used) {
                    Some(layer) if layer > own => {}
                    _ => problems.push(format!(
                        "{} uses crate::{used}, which is not in a layer below `{name}`",
                        file.strip_prefix(&src).unwrap().display()
                    )),
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "layers broken:\n  {}",
        problems.join("\n  ")
    );
}

#[test]
fn every_form_of_crate_path_is_read() {
    let text = "use crate::{a, b::{c, d}, self};\nuse crate::e::F;\n\
                fn f() { crate::g::h(); x_crate::no(); } // crate::comment\n\
                use crate::{\n    i::J,\n    k,\n};";
    let found: Vec<String> = refs(text).into_iter().collect();
    assert_eq!(found, ["a", "b", "e", "g", "i", "k"]);
}
