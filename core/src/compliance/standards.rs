//! The standards catalog (shipped with the crate, offline) and the
//! `unresolved-standards-type` check.
//!
//! A type reference resolves when the last dot-separated stem of its `schemaName` (path and
//! a `.fbs`/`.bfbs`/`.json` extension removed, upper-cased) equals an entry's `schemaCode`,
//! or when its `fileIdentifier` (one leading `$` removed, upper-cased) equals an entry's
//! `fileIdentifier`. Types with `acceptsAnyFlatbuffer: true` are not looked up.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::Value;

use super::codes::Code;
use super::report::{Issue, Report};
use super::values::{as_array, is_true, prop, template_or};
use super::{ArtifactExports, ArtifactOptions, ManifestOptions};
use crate::{Error, ErrorCode, Result, js};

/// The catalog the reference's standards validators used: the `spacedatastandards.org`
/// 1.0.188 standards followed by the SDK's shared-module catalog.
const BUILTIN_CATALOG_JSON: &str = include_str!("../../data/standards-catalog.json");

/// Upper bound on the entries of a catalog read with [`StandardsCatalog::from_json`].
pub const MAX_CATALOG_ENTRIES: usize = 100_000;

/// One known schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogEntry {
    /// Upper-case schema code (`OMM`, `TIMERTICK`).
    pub schema_code: String,
    /// File name of the schema (`OMM.fbs`); informational.
    pub schema_name: Option<String>,
    /// The 4-character FlatBuffers file identifier without `$`, when the schema has one.
    pub file_identifier: Option<String>,
}

/// A list of known schemas, searched in order (indexed, so lookups stay cheap for big catalogs).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StandardsCatalog {
    entries: Vec<CatalogEntry>,
    /// First entry index per schema code and per file identifier.
    by_code: HashMap<String, usize>,
    by_file_identifier: HashMap<String, usize>,
}

impl StandardsCatalog {
    /// A catalog of these entries, searched in this order.
    pub fn new(entries: Vec<CatalogEntry>) -> Self {
        let mut by_code = HashMap::new();
        let mut by_file_identifier = HashMap::new();
        for (index, entry) in entries.iter().enumerate() {
            by_code.entry(entry.schema_code.clone()).or_insert(index);
            if let Some(id) = &entry.file_identifier {
                by_file_identifier.entry(id.clone()).or_insert(index);
            }
        }
        StandardsCatalog {
            entries,
            by_code,
            by_file_identifier,
        }
    }

    /// The entries, in search order.
    pub fn entries(&self) -> &[CatalogEntry] {
        &self.entries
    }

    /// The catalog shipped with the crate (61 entries).
    pub fn builtin() -> &'static StandardsCatalog {
        static CATALOG: OnceLock<StandardsCatalog> = OnceLock::new();
        // The embedded text is covered by a unit test; it cannot fail at run time.
        CATALOG.get_or_init(|| {
            js::parse_json(BUILTIN_CATALOG_JSON)
                .and_then(|v| StandardsCatalog::from_json(&v))
                .unwrap_or_default()
        })
    }

    /// Reads a catalog in the shape of `standards-catalog.json`: an array of
    /// `{"schemaCode": string, "schemaName"?: string, "fileIdentifier"?: string|null}`.
    /// Codes are compared as given (the reference does not re-normalize a caller's catalog).
    pub fn from_json(value: &Value) -> Result<StandardsCatalog> {
        let invalid = |why: String| Error::new(ErrorCode::ComplianceInvalidCatalog, why);
        let entries = value
            .as_array()
            .ok_or_else(|| invalid("a standards catalog must be a JSON array".to_owned()))?;
        if entries.len() > MAX_CATALOG_ENTRIES {
            return Err(Error::new(
                ErrorCode::InputTooLarge,
                format!("a standards catalog may hold at most {MAX_CATALOG_ENTRIES} entries"),
            ));
        }
        let optional_text = |entry: &Value, key: &str, index: usize| match prop(Some(entry), key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(invalid(format!(
                "catalog entry {index}: {key} must be a string or null"
            ))),
        };
        let entries = entries
            .iter()
            .enumerate()
            .map(|(index, entry)| {
                let schema_code = match prop(Some(entry), "schemaCode") {
                    Some(Value::String(code)) => code.clone(),
                    _ => {
                        return Err(invalid(format!(
                            "catalog entry {index}: schemaCode must be a string"
                        )));
                    }
                };
                Ok(CatalogEntry {
                    schema_code,
                    schema_name: optional_text(entry, "schemaName", index)?,
                    file_identifier: optional_text(entry, "fileIdentifier", index)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(StandardsCatalog::new(entries))
    }

    /// The first entry a type reference resolves to, if any.
    pub fn resolve(&self, type_ref: &Value) -> Option<&CatalogEntry> {
        let stem = schema_stem(prop(Some(type_ref), "schemaName"));
        let file_identifier = file_identifier(prop(Some(type_ref), "fileIdentifier"));
        if stem.is_empty() && file_identifier.is_empty() {
            return None;
        }
        // The first entry matching either way, as a linear search in order would find it.
        let by_code = (!stem.is_empty())
            .then(|| self.by_code.get(&stem))
            .flatten();
        let by_id = (!file_identifier.is_empty())
            .then(|| self.by_file_identifier.get(&file_identifier))
            .flatten();
        let index = match (by_code, by_id) {
            (Some(a), Some(b)) => (*a).min(*b),
            (Some(a), None) | (None, Some(a)) => *a,
            (None, None) => return None,
        };
        self.entries.get(index)
    }
}

/// `String(value ?? "")`.
fn text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(other) => js::to_js_string(other),
    }
}

/// `OMM.fbs` → `OMM`; `schemas/org.sds.Omm.bfbs` → `OMM`; `a\b\x.json` → `X`.
fn schema_stem(value: Option<&Value>) -> String {
    let text = text(value);
    let trimmed = js::js_trim(&text).replace('\\', "/");
    let last = trimmed.rsplit('/').next().unwrap_or_default();
    if last.is_empty() {
        return String::new();
    }
    let lower = last.to_ascii_lowercase();
    let without_extension = if [".bfbs", ".fbs", ".json"]
        .iter()
        .any(|ext| lower.ends_with(ext))
    {
        last.rsplit_once('.').map_or(last, |(head, _)| head)
    } else {
        last
    };
    without_extension
        .rsplit('.')
        .next()
        .unwrap_or_default()
        .to_uppercase()
}

/// `$OMM` → `OMM`, upper-cased, trimmed.
fn file_identifier(value: Option<&Value>) -> String {
    let text = text(value);
    let trimmed = js::js_trim(&text);
    trimmed.strip_prefix('$').unwrap_or(trimmed).to_uppercase()
}

/// One `unresolved-standards-type` warning per type reference (port allowed types, then
/// `schemasUsed`) that the catalog does not resolve, located at
/// `<source>.<methodId>.<portId>` or `<source>.schemasUsed`.
pub fn standards_issues(manifest: &Value, catalog: &StandardsCatalog, source: &str) -> Vec<Issue> {
    let mut refs: Vec<(String, &Value)> = Vec::new();
    for method in as_array(prop(Some(manifest), "methods"))
        .into_iter()
        .flatten()
    {
        for ports_key in ["inputPorts", "outputPorts"] {
            for port in as_array(prop(Some(method), ports_key))
                .into_iter()
                .flatten()
            {
                let origin = format!(
                    "{}.{}",
                    template_or(prop(Some(method), "methodId"), "method"),
                    template_or(prop(Some(port), "portId"), "port")
                );
                for set in as_array(prop(Some(port), "acceptedTypeSets"))
                    .into_iter()
                    .flatten()
                {
                    for ty in as_array(prop(Some(set), "allowedTypes"))
                        .into_iter()
                        .flatten()
                    {
                        refs.push((origin.clone(), ty));
                    }
                }
            }
        }
    }
    for ty in as_array(prop(Some(manifest), "schemasUsed"))
        .into_iter()
        .flatten()
    {
        refs.push(("schemasUsed".to_owned(), ty));
    }
    refs.into_iter()
        .filter(|(_, ty)| !is_true(prop(Some(ty), "acceptsAnyFlatbuffer")) && catalog.resolve(ty).is_none())
        .map(|(origin, _)| {
            Issue::new(
                Code::UnresolvedStandardsType,
                format!("{source}.{origin}"),
                format!(
                    "Type reference from {origin} does not resolve to a known shared-module or `spacedatastandards.org` schema by schemaName or fileIdentifier."
                ),
            )
        })
        .collect()
}

/// [`super::validate_manifest`] plus the standards warnings, appended at the end.
pub fn validate_manifest_with_standards(
    manifest: &Value,
    options: &ManifestOptions,
    catalog: &StandardsCatalog,
) -> Report {
    let mut report = super::validate_manifest(manifest, options);
    let extra = standards_issues(manifest, catalog, &report.source_name);
    report.issues.extend(extra);
    report
}

/// [`super::validate_artifact`] plus the standards warnings, appended at the end.
pub fn validate_artifact_with_standards(
    manifest: &Value,
    exports: ArtifactExports<'_>,
    options: &ArtifactOptions,
    catalog: &StandardsCatalog,
) -> Result<Report> {
    let mut report = super::validate_artifact(manifest, exports, options)?;
    let extra = standards_issues(manifest, catalog, &report.source_name);
    report.issues.extend(extra);
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn builtin_catalog_is_the_vector_catalog() {
        let vector = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../vectors/differential/compliance/standards-catalog.json"
        ))
        .unwrap();
        assert_eq!(
            vector, BUILTIN_CATALOG_JSON,
            "core/data/standards-catalog.json drifted from the vectors"
        );
        let catalog = StandardsCatalog::builtin();
        assert_eq!(catalog.entries().len(), 61);
        assert_eq!(catalog.entries()[0].schema_code, "BOV");
    }

    #[test]
    fn resolution_rules() {
        let catalog = StandardsCatalog::builtin();
        let code = |ty: Value| catalog.resolve(&ty).map(|e| e.schema_code.clone());
        assert_eq!(
            code(json!({"schemaName": "OMM.fbs"})).as_deref(),
            Some("OMM")
        );
        assert_eq!(
            code(json!({"schemaName": " schemas\\org.sds.omm.BFBS "})).as_deref(),
            Some("OMM")
        );
        assert_eq!(
            code(json!({"schemaName": "TimerTick.json"})).as_deref(),
            Some("TIMERTICK")
        );
        assert_eq!(
            code(json!({"fileIdentifier": "$tick"})).as_deref(),
            Some("TIMERTICK")
        );
        assert_eq!(
            code(json!({"schemaName": "Nope.fbs", "fileIdentifier": "$OMM"})).as_deref(),
            Some("OMM")
        );
        assert_eq!(code(json!({"schemaName": "OMM.txt"})), None);
        assert_eq!(code(json!({"schemaName": "a/"})), None);
        assert_eq!(code(json!("OMM")), None);
        assert_eq!(schema_stem(Some(&json!("x.y.Omm.fbs"))), "OMM");
        assert_eq!(schema_stem(Some(&json!(12))), "12");
    }

    #[test]
    fn custom_catalogs() {
        // Either criterion may match; the earlier entry wins.
        let two = StandardsCatalog::from_json(&json!([
            {"schemaCode": "A", "fileIdentifier": "BBBB"},
            {"schemaCode": "B", "fileIdentifier": "AAAA"}
        ]))
        .unwrap();
        let first = |ty: Value| two.resolve(&ty).map(|e| e.schema_code.clone());
        assert_eq!(
            first(json!({"schemaName": "B.fbs", "fileIdentifier": "BBBB"})).as_deref(),
            Some("A")
        );
        assert_eq!(
            first(json!({"schemaName": "A.fbs", "fileIdentifier": "AAAA"})).as_deref(),
            Some("A")
        );
        assert_eq!(
            first(json!({"schemaName": "B.fbs", "fileIdentifier": "CCCC"})).as_deref(),
            Some("B")
        );
        assert_eq!(
            first(json!({"fileIdentifier": "$aaaa"})).as_deref(),
            Some("B")
        );
        let catalog =
            StandardsCatalog::from_json(&json!([{"schemaCode": "ZZZ", "fileIdentifier": null}]))
                .unwrap();
        assert!(catalog.resolve(&json!({"schemaName": "zzz.fbs"})).is_some());
        for bad in [
            json!({}),
            json!([1]),
            json!([{"schemaCode": 1}]),
            json!([{"schemaCode": "A", "fileIdentifier": 3}]),
        ] {
            assert_eq!(
                StandardsCatalog::from_json(&bad).unwrap_err().code(),
                ErrorCode::ComplianceInvalidCatalog
            );
        }
    }
}
