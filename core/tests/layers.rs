//! The module graph of the core (issue 12, "layers you can build alone"): which top-level module
//! uses which, read from the sources. Lower layers never reach up, there is no cycle, and the
//! module map in `lib.rs` lists every module after the ones it uses. (Which crates each Cargo
//! feature pulls in is checked by `make check-layers`.)

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap() {
            rust_files(&entry.unwrap().path(), out);
        }
    } else if path.extension().is_some_and(|ext| ext == "rs") {
        out.push(path.to_owned());
    }
}

/// Top-level modules (files and directories under `src/`, without `lib.rs`).
fn modules() -> BTreeSet<String> {
    std::fs::read_dir(src())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != "lib.rs")
        .map(|name| name.trim_end_matches(".rs").to_owned())
        .collect()
}

/// The `crate::<module>` paths each file's code (not its comments) names.
fn crate_paths(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or_default();
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let path: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            found.push(path);
        }
    }
    found
}

/// Module -> the full `crate::` paths it names.
fn uses() -> BTreeMap<String, Vec<String>> {
    let mut uses = BTreeMap::new();
    for module in modules() {
        let mut files = Vec::new();
        let dir = src().join(&module);
        if dir.is_dir() {
            rust_files(&dir, &mut files);
        } else {
            files.push(src().join(format!("{module}.rs")));
        }
        let paths = files
            .iter()
            .flat_map(|file| crate_paths(&std::fs::read_to_string(file).unwrap()))
            .collect();
        uses.insert(module, paths);
    }
    uses
}

/// Module -> the other top-level modules it uses.
fn edges() -> BTreeMap<String, BTreeSet<String>> {
    let modules = modules();
    uses()
        .into_iter()
        .map(|(module, paths)| {
            let targets = paths
                .iter()
                .filter_map(|path| path.split("::").next())
                .filter(|target| *target != module && modules.contains(*target))
                .map(str::to_owned)
                .collect();
            (module, targets)
        })
        .collect()
}

#[test]
fn lower_layers_do_not_reach_up() {
    let edges = edges();
    let forbidden = [
        ("runtime", "host"),
        ("runtime", "runtime_host"),
        ("bundle", "publication"),
        ("trailer", "publication"),
        ("trailer", "bundle"),
        ("deployment", "bundle"),
        ("auth", "publication"),
        ("keys", "publication"),
        ("keys", "auth"),
    ];
    for (from, to) in forbidden {
        assert!(
            !edges[from].contains(to),
            "`{from}` uses `{to}`: {:?}",
            edges[from]
        );
    }
    // Nothing below the runtime names wasmtime's layers.
    for module in [
        "auth",
        "bundle",
        "canonical_json",
        "compliance",
        "deployment",
        "encoding",
        "fbs",
        "invoke",
        "js",
        "keys",
        "manifest",
        "publication",
        "trailer",
        "wasm",
    ] {
        for upper in ["runtime", "host", "runtime_host", "compiler", "conformance"] {
            assert!(
                !edges[module].contains(upper),
                "format-layer module `{module}` uses `{upper}`"
            );
        }
    }
}

#[test]
fn key_types_come_from_keys_only() {
    for (module, paths) in uses() {
        for path in paths {
            for old in [
                "publication::signing",
                "publication::random",
                "publication::encoding",
            ] {
                assert!(!path.starts_with(old), "`{module}` names `crate::{path}`");
            }
        }
    }
}

#[test]
fn there_is_no_cycle_and_the_module_map_is_in_layer_order() {
    let edges = edges();
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    // The bullets of the "Module map" section (a hidden module is named without a link).
    let map: Vec<String> = lib
        .lines()
        .skip_while(|line| !line.starts_with("//! ## Module map"))
        .filter_map(|line| {
            line.strip_prefix("//! - [`")
                .or_else(|| line.strip_prefix("//! - `"))
        })
        .filter_map(|rest| rest.split('`').next())
        .map(str::to_owned)
        .collect();
    let listed: BTreeSet<&String> = map.iter().collect();
    for module in edges.keys().filter(|module| *module != "wiring") {
        assert!(
            listed.contains(module),
            "lib.rs module map lacks `{module}`"
        );
    }
    // Listing order is a topological order: every module uses only modules listed before it,
    // which also proves the graph has no cycle.
    for (index, module) in map.iter().enumerate() {
        for target in &edges[module] {
            let position = map.iter().position(|listed| listed == target);
            assert!(
                position.is_some_and(|position| position < index),
                "`{module}` uses `{target}`, which the lib.rs module map lists after it (or not at all)"
            );
        }
    }
}
