//! Compliance: checks a PluginManifest (as raw JSON) and optionally its wasm artifact against
//! the rules of the reference SDK, and reports each finding with a stable code.
//!
//! The rules work on the manifest exactly as `JSON.parse` gives it, before the encoder's
//! normalization: a manifest can encode fine and still fail compliance (for example an
//! upper-case `drainPolicy`). Issues come in the reference's order; each has a
//! [`Severity`], a stable [`Code`] (76 of them, documented in `docs/compliance.md`), a
//! location (a dotted path rooted at the source name, or the wasm path for export issues)
//! and a message.
//!
//! Four entry points mirror the reference's validators:
//! [`validate_manifest`], [`validate_artifact`], [`validate_manifest_with_standards`] and
//! [`validate_artifact_with_standards`] (the last two append `unresolved-standards-type`
//! warnings using a [`StandardsCatalog`], e.g. [`StandardsCatalog::builtin`]).
//!
//! Differences from the reference, on purpose: where it throws a `TypeError` (a timer or
//! protocol naming a port on a method whose `inputPorts`/`outputPorts` is not an array), this
//! module reports `unknown-timer-input-port` / `unknown-protocol-input-port` /
//! `unknown-protocol-output-port` instead. And where it throws converting an object with its
//! own `toString` key to a string, such an object reads as `[object Object]` here and gets the
//! ordinary issue for a bad value (e.g. `invalid-wire-format`).

mod artifact;
mod capabilities;
mod codes;
mod fields;
mod interfaces;
mod manifest;
mod methods;
mod protocols;
mod report;
mod standards;
mod targets;
mod timers;
mod types;
mod values;
pub mod vocabulary;

pub use artifact::{validate_artifact, wasm_export_names};
pub use codes::{Code, Severity};
pub use manifest::validate_manifest;
pub use report::{CheckReport, Issue, IssueView, Report};
pub use standards::{
    CatalogEntry, MAX_CATALOG_ENTRIES, StandardsCatalog, standards_issues,
    validate_artifact_with_standards, validate_manifest_with_standards,
};

/// The source name locations are rooted at when the caller gives none.
pub const DEFAULT_SOURCE_NAME: &str = "manifest";

/// The largest manifest text [`parse_manifest_text`] accepts: 4 MiB, counted in UTF-16 code
/// units as the reference counts it.
pub const MAX_MANIFEST_TEXT_UNITS: usize = 4 * 1024 * 1024;

/// The largest manifest file that can hold at most [`MAX_MANIFEST_TEXT_UNITS`] UTF-16 code
/// units (3 UTF-8 bytes per unit at most): callers can refuse bigger files before reading them.
pub const MAX_MANIFEST_FILE_BYTES: u64 = 3 * MAX_MANIFEST_TEXT_UNITS as u64;

/// Options of [`validate_manifest`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ManifestOptions {
    /// Root of every location (default `"manifest"`); typically the manifest's file path.
    pub source_name: Option<String>,
}

impl ManifestOptions {
    pub fn named(source_name: impl Into<String>) -> Self {
        ManifestOptions {
            source_name: Some(source_name.into()),
        }
    }

    /// The effective source name.
    pub fn source_name(&self) -> &str {
        self.source_name.as_deref().unwrap_or(DEFAULT_SOURCE_NAME)
    }
}

/// Options of [`validate_artifact`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArtifactOptions {
    /// Root of every manifest location; defaults to `manifest_path`, then `"manifest"`.
    pub source_name: Option<String>,
    /// Where the manifest came from (used as the default source name).
    pub manifest_path: Option<String>,
    /// Where the wasm came from: the location of export issues when set.
    pub wasm_path: Option<String>,
}

impl ArtifactOptions {
    /// The effective source name.
    pub fn source_name(&self) -> &str {
        self.source_name
            .as_deref()
            .or(self.manifest_path.as_deref())
            .unwrap_or(DEFAULT_SOURCE_NAME)
    }
}

/// What [`validate_artifact`] checks the exports of.
#[derive(Debug, Clone, Copy)]
pub enum ArtifactExports<'a> {
    /// Nothing: the export checks are skipped with an `artifact-abi-not-checked` warning.
    NotChecked,
    /// A module's bytes: validated as WebAssembly, then its export names are read.
    Wasm(&'a [u8]),
    /// Export names the caller already has.
    Names(&'a [String]),
}

/// Parses manifest JSON text as the reference's `loadManifestFromFile` does, refusing text
/// longer than [`MAX_MANIFEST_TEXT_UNITS`] with [`crate::ErrorCode::InputTooLarge`].
pub fn parse_manifest_text(text: &str) -> crate::Result<serde_json::Value> {
    // The UTF-16 length never exceeds the byte length: only long text needs counting.
    if text.len() > MAX_MANIFEST_TEXT_UNITS && text.encode_utf16().count() > MAX_MANIFEST_TEXT_UNITS
    {
        return Err(crate::Error::new(
            crate::ErrorCode::InputTooLarge,
            format!("manifest text exceeds {MAX_MANIFEST_TEXT_UNITS} UTF-16 code units"),
        ));
    }
    crate::js::parse_json(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_text_cap_counts_utf16_units() {
        let at_cap = format!("\"{}\"", "a".repeat(MAX_MANIFEST_TEXT_UNITS - 2));
        assert!(parse_manifest_text(&at_cap).is_ok());
        let over = format!("\"{}\"", "a".repeat(MAX_MANIFEST_TEXT_UNITS - 1));
        assert_eq!(
            parse_manifest_text(&over).unwrap_err().code(),
            crate::ErrorCode::InputTooLarge
        );
        // Three UTF-8 bytes but one UTF-16 unit each: more bytes than the cap, still accepted.
        let wide = format!("\"{}\"", "€".repeat(MAX_MANIFEST_TEXT_UNITS / 2));
        assert!(wide.len() > MAX_MANIFEST_TEXT_UNITS);
        assert!(parse_manifest_text(&wide).is_ok());
    }

    #[test]
    fn source_name_defaults() {
        assert_eq!(ManifestOptions::default().source_name(), "manifest");
        assert_eq!(ManifestOptions::named("m.json").source_name(), "m.json");
        let artifact = ArtifactOptions {
            manifest_path: Some("p.json".into()),
            ..Default::default()
        };
        assert_eq!(artifact.source_name(), "p.json");
        let named = ArtifactOptions {
            source_name: Some("s".into()),
            ..artifact
        };
        assert_eq!(named.source_name(), "s");
    }
}
