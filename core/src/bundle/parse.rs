//! `parseSingleFileBundle` (spec 7.8): lenient, verifies nothing (see [`super::verify`]).

use serde_json::Value;

use super::codec;
use super::constants::{SDS_BUNDLE_SECTION_NAME, SDS_CUSTOM_SECTION_PREFIX};
use super::manifest_link::decode_manifest;
use super::model::{BundleEntry, ModuleBundle, encoding, role};
use super::trailer::split_publication_trailer;
use crate::deployment::{DEPLOYMENT_ENTRY_ID, DEPLOYMENT_SECTION_NAME};
use crate::fbs::{reference_opt_text, reference_text};
use crate::wasm::sections::{KeptParts, custom_sections, decode_text};
use crate::{Error, ErrorCode, Result};

/// Options of [`parse`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParseOptions {
    /// The custom section to read the bundle from (default `sds.bundle`).
    pub bundle_section_name: Option<String>,
}

/// A custom section of the parsed module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomSectionInfo {
    pub name: String,
    /// Byte range of the whole section (id byte to payload end) in the module.
    pub start: usize,
    pub end: usize,
    pub data_len: usize,
}

/// An entry's payload as parse decodes it.
#[derive(Debug, Clone, PartialEq)]
pub enum DecodedPayload {
    /// A `json-utf8` entry whose payload parsed as JSON.
    Json(Value),
    /// Every other entry, and `json-utf8` entries whose payload is not valid JSON: the raw
    /// payload (see [`BundleEntry::payload`]).
    Bytes,
}

/// One entry with what parse decoded from it.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedEntry {
    pub entry: BundleEntry,
    pub decoded: DecodedPayload,
    /// For role `manifest` with encoding `flatbuffer`: `Some(Some(json))` when the payload
    /// decodes as a manifest, `Some(None)` when it does not; `None` for other entries.
    pub decoded_manifest: Option<Option<Value>>,
}

/// Everything parse returns.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// The module bytes (publication trailer removed).
    pub wasm: Vec<u8>,
    /// The publication trailer split off the input, if any (see [`super::trailer`]).
    pub trailer: Option<Vec<u8>>,
    /// Data of the bundle section.
    pub bundle_bytes: Vec<u8>,
    pub bundle: ModuleBundle,
    pub entries: Vec<ParsedEntry>,
    /// The manifest decoded from the entry `findModuleBundleEntry(bundle, "manifest")`
    /// finds, whatever its encoding; `None` when absent or undecodable.
    pub manifest: Option<Value>,
    /// The deployment plan: the first entry whose id is `deployment-plan` or whose section
    /// name is `sds.deployment`, when it is `json-utf8` and parses to an object or array.
    pub deployment_plan: Option<Value>,
    /// Every custom section, in file order.
    pub custom_sections: Vec<CustomSectionInfo>,
    /// SHA-256 of the module with the bundle's stripped prefix removed (computed, not the
    /// stored value).
    pub canonical_module_hash: Vec<u8>,
}

impl Parsed {
    pub fn canonical_module_hash_hex(&self) -> String {
        hex::encode(&self.canonical_module_hash)
    }

    /// The first entry that locates the deployment plan (id or section name, one pass; both
    /// as the reference decoded them).
    pub fn deployment_entry(&self) -> Option<&ParsedEntry> {
        self.entries.iter().find(|e| {
            reference_text(&e.entry.entry_id) == DEPLOYMENT_ENTRY_ID
                || reference_opt_text(&e.entry.section_name) == Some(DEPLOYMENT_SECTION_NAME)
        })
    }

    /// The entry with this id (or, failing that, the first with this role name).
    pub fn find_entry(&self, id: &str) -> Option<&BundleEntry> {
        self.bundle.find_entry(id)
    }
}

/// Parses a single-file module. Errors (reference wording): the wasm framing errors,
/// `Missing required custom section "<name>".` (`bundle-missing`),
/// `Expected one "<name>" section, found <n>.` (`bundle-duplicate`),
/// `Module bundle buffer identifier mismatch.`, and `bundle-malformed` for an `SMDB` buffer
/// that fails verification. Manifest and JSON payload decoding failures are not errors.
pub fn parse(bytes: &[u8], options: &ParseOptions) -> Result<Parsed> {
    super::constants::check_module_size(bytes.len())?;
    let (module, trailer) = split_publication_trailer(bytes);
    // The reference's section walker repeats the trailer split.
    let walked = split_publication_trailer(module).0;
    let sections = custom_sections(walked)?;
    let section_name = options
        .bundle_section_name
        .as_deref()
        .unwrap_or(SDS_BUNDLE_SECTION_NAME);
    let matching: Vec<_> = sections.iter().filter(|s| s.name == section_name).collect();
    check_one_section(section_name, matching.len())?;
    let custom_sections = sections
        .iter()
        .map(|s| CustomSectionInfo {
            name: s.name.clone(),
            start: s.start,
            end: s.end,
            data_len: s.data.len(),
        })
        .collect();
    let mut parsed = parse_section_data(matching[0].data.to_vec(), custom_sections, |prefix| {
        // computeCanonicalModuleHash splits once more, and its strip walks (and splits) again.
        Ok(KeptParts::without_prefix(
            split_publication_trailer(split_publication_trailer(module).0).0,
            prefix,
        )?
        .sha256()
        .to_vec())
    })?;
    parsed.wasm = module.to_vec();
    parsed.trailer = trailer.map(<[u8]>::to_vec);
    Ok(parsed)
}

/// `bundle-missing` or `bundle-duplicate` unless exactly one section has the bundle's name.
pub fn check_one_section(section_name: &str, found: usize) -> Result<()> {
    match found {
        1 => Ok(()),
        0 => Err(Error::new(
            ErrorCode::BundleMissing,
            format!("Missing required custom section \"{section_name}\"."),
        )),
        many => Err(Error::new(
            ErrorCode::BundleDuplicate,
            format!("Expected one \"{section_name}\" section, found {many}."),
        )),
    }
}

/// [`parse`] once the module was walked: the bundle section's data, the module's custom
/// sections, and `canonical_module_hash`, which hashes the module without the custom sections
/// whose names start with the prefix it is given (the bundle's rule, read here). `wasm` and
/// `trailer` are left empty for the caller.
pub fn parse_section_data(
    bundle_bytes: Vec<u8>,
    custom_sections: Vec<CustomSectionInfo>,
    canonical_module_hash: impl FnOnce(&str) -> Result<Vec<u8>>,
) -> Result<Parsed> {
    let bundle = codec::decode(&bundle_bytes)?;
    let prefix = bundle
        .canonicalization
        .as_ref()
        .and_then(|rule| rule.stripped_custom_section_prefix.clone())
        .unwrap_or_else(|| SDS_CUSTOM_SECTION_PREFIX.to_owned());
    let canonical_module_hash = canonical_module_hash(&prefix)?;
    let entries: Vec<ParsedEntry> = bundle.entries.iter().map(parse_entry).collect();
    // Reuse the per-entry decode when the located entry already has one (same payload).
    let manifest = bundle.find_entry_index("manifest").and_then(|index| {
        match entries.get(index).and_then(|p| p.decoded_manifest.clone()) {
            Some(decoded) => decoded,
            None => bundle
                .entries
                .get(index)
                .and_then(|e| decode_manifest(&e.payload).ok()),
        }
    });
    let mut parsed = Parsed {
        wasm: Vec::new(),
        trailer: None,
        bundle_bytes,
        bundle,
        entries,
        manifest,
        deployment_plan: None,
        custom_sections,
        canonical_module_hash,
    };
    parsed.deployment_plan = parsed
        .deployment_entry()
        .and_then(|entry| match &entry.decoded {
            DecodedPayload::Json(plan)
                if entry.entry.payload_encoding_or_default() == encoding::JSON_UTF8
                    && (plan.is_object() || plan.is_array()) =>
            {
                Some(plan.clone())
            }
            _ => None,
        });
    Ok(parsed)
}

fn parse_entry(entry: &BundleEntry) -> ParsedEntry {
    let decoded = if entry.payload_encoding_or_default() == encoding::JSON_UTF8 {
        decode_json_payload(&entry.payload).map_or(DecodedPayload::Bytes, DecodedPayload::Json)
    } else {
        DecodedPayload::Bytes
    };
    let is_manifest = entry.role_or_default() == role::MANIFEST
        && entry.payload_encoding_or_default() == encoding::FLATBUFFER;
    ParsedEntry {
        entry: entry.clone(),
        decoded,
        decoded_manifest: is_manifest.then(|| decode_manifest(&entry.payload).ok()),
    }
}

/// `JSON.parse(new TextDecoder().decode(bytes))`; `None` when it throws.
pub fn decode_json_payload(bytes: &[u8]) -> Option<Value> {
    crate::js::parse_json(&decode_text(bytes)).ok()
}
