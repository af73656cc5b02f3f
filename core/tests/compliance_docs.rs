//! `docs/compliance.md` documents every code, and each documented example triggers its code.

use serde_json::Value;
use space_data_module::compliance::{
    ArtifactExports, ArtifactOptions, Code, ManifestOptions, StandardsCatalog, validate_artifact,
    validate_manifest, validate_manifest_with_standards,
};

const DOC: &str = include_str!("../../docs/compliance.md");

/// The first ```json block of the document (the base manifest) and every code's example.
fn examples() -> (Value, Vec<(String, Value)>) {
    let mut base = None;
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    let mut lines = DOC.lines();
    while let Some(line) = lines.next() {
        if let Some(rest) = line.strip_prefix("#### `") {
            current = Some(rest.trim_end_matches('`').to_owned());
        } else if line == "```json" {
            let block: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
            let value: Value = serde_json::from_str(&block.join("\n")).unwrap();
            match current.take() {
                Some(code) => out.push((code, value)),
                None if base.is_none() => base = Some(value),
                None => {}
            }
        }
    }
    (base.expect("base manifest block"), out)
}

fn apply(manifest: &mut Value, pointer: &str, value: &Value) {
    if pointer.is_empty() {
        *manifest = value.clone();
        return;
    }
    let (parent, last) = pointer.rsplit_once('/').unwrap();
    let target = manifest
        .pointer_mut(parent)
        .unwrap_or_else(|| panic!("no {parent}"));
    let remove = value.as_str() == Some("<remove>");
    match target {
        Value::Object(map) if remove => {
            map.remove(last);
        }
        Value::Object(map) => {
            map.insert(last.to_owned(), value.clone());
        }
        Value::Array(items) if last == "-" => items.push(value.clone()),
        Value::Array(items) => {
            let index: usize = last.parse().unwrap();
            if index == items.len() {
                items.push(value.clone())
            } else {
                items[index] = value.clone()
            }
        }
        other => panic!("cannot patch into {other}"),
    }
}

#[test]
fn every_code_is_documented_once_with_an_example_that_triggers_it() {
    let (base, examples) = examples();
    assert_eq!(examples.len(), Code::ALL.len());
    for code in Code::ALL {
        assert_eq!(
            examples
                .iter()
                .filter(|(name, _)| name == code.as_str())
                .count(),
            1,
            "{code} documented once"
        );
    }
    let clean = validate_manifest(&base, &ManifestOptions::default());
    assert!(
        clean.issues.is_empty(),
        "base manifest has issues: {:?}",
        clean.issues
    );

    for (name, patch) in examples {
        let code = Code::from_name(&name).unwrap_or_else(|| panic!("unknown code {name} in docs"));
        let mut manifest = base.clone();
        let patch = patch.as_object().unwrap();
        for (key, value) in patch {
            if key.is_empty() || key.starts_with('/') {
                apply(&mut manifest, key, value);
            }
        }
        let report = if let Some(exports) = patch.get("exports") {
            let names: Option<Vec<String>> = exports.as_array().map(|list| {
                list.iter()
                    .map(|v| v.as_str().unwrap().to_owned())
                    .collect()
            });
            let exports = names
                .as_deref()
                .map_or(ArtifactExports::NotChecked, ArtifactExports::Names);
            validate_artifact(&manifest, exports, &ArtifactOptions::default()).unwrap()
        } else if patch.get("standards") == Some(&Value::Bool(true)) {
            validate_manifest_with_standards(
                &manifest,
                &ManifestOptions::default(),
                StandardsCatalog::builtin(),
            )
        } else {
            validate_manifest(&manifest, &ManifestOptions::default())
        };
        assert!(
            report.issues.iter().any(|i| i.code == code),
            "example for {name} gives {:?}",
            report.issues
        );
        let severity = DOC
            .split(&format!("#### `{name}`"))
            .nth(1)
            .unwrap()
            .trim_start()
            .split("**")
            .nth(1)
            .unwrap();
        assert_eq!(
            severity,
            code.severity().as_str(),
            "severity of {name} in docs"
        );
    }
}
