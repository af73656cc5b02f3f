//! The `ModuleBundle` value (schema `ModuleBundle.fbs`, spec 7.1) and its enum texts.
//!
//! Scalar fields are `Option`: `Some(v)` = stored in the buffer with value `v`, `None` = not
//! stored (the schema default applies). The reference decides whether to store a scalar by
//! comparing the JavaScript number with the default *before* wrapping it to the field width
//! (role `256` is stored as 0), so this distinction is part of byte identity. Use the
//! `*_or_default` accessors for effective values.

use crate::fbs::TypeRef;

/// `ModuleBundleEntryRole` values.
pub mod role {
    pub const MANIFEST: u8 = 0;
    pub const AUTHORIZATION: u8 = 1;
    pub const SIGNATURE: u8 = 2;
    pub const TRANSPORT: u8 = 3;
    pub const ATTESTATION: u8 = 4;
    /// The schema default.
    pub const AUXILIARY: u8 = 5;
}

/// `ModulePayloadEncoding` values.
pub mod encoding {
    /// The schema default.
    pub const RAW_BYTES: u8 = 0;
    pub const FLATBUFFER: u8 = 1;
    pub const JSON_UTF8: u8 = 2;
    pub const CBOR: u8 = 3;
}

const ROLE_NAMES: [&str; 6] = [
    "manifest",
    "authorization",
    "signature",
    "transport",
    "attestation",
    "auxiliary",
];
const ENCODING_NAMES: [&str; 4] = ["raw-bytes", "flatbuffer", "json-utf8", "cbor"];

/// The text of a stored role; unknown values read as `auxiliary` (reference rule).
pub fn role_name(value: u8) -> &'static str {
    ROLE_NAMES
        .get(usize::from(value))
        .copied()
        .unwrap_or("auxiliary")
}

/// The text of a stored encoding; unknown values read as `raw-bytes` (reference rule).
pub fn encoding_name(value: u8) -> &'static str {
    ENCODING_NAMES
        .get(usize::from(value))
        .copied()
        .unwrap_or("raw-bytes")
}

/// The role value of a (normalized) role text, if it is one of the six names.
pub fn role_from_name(name: &str) -> Option<u8> {
    ROLE_NAMES
        .iter()
        .position(|n| *n == name)
        .and_then(|i| u8::try_from(i).ok())
}

/// The encoding value of a (normalized) encoding text, if it is one of the four names.
pub fn encoding_from_name(name: &str) -> Option<u8> {
    ENCODING_NAMES
        .iter()
        .position(|n| *n == name)
        .and_then(|i| u8::try_from(i).ok())
}

/// The reference's enum-text normalization: trim, lowercase, `_` → `-`.
pub fn normalize_enum_text(text: &str) -> String {
    crate::js::js_trim(text).to_lowercase().replace('_', "-")
}

/// Table `CanonicalizationRule`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CanonicalizationRule {
    /// Default 1.
    pub version: Option<u16>,
    pub stripped_custom_section_prefix: Option<String>,
    pub bundle_section_name: Option<String>,
    pub hash_algorithm: Option<String>,
}

impl CanonicalizationRule {
    pub fn version_or_default(&self) -> u16 {
        self.version.unwrap_or(1)
    }
}

/// Table `ModuleBundleEntry`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BundleEntry {
    /// Required by the schema.
    pub entry_id: String,
    /// Default [`role::AUXILIARY`].
    pub role: Option<u8>,
    /// A logical name such as `sds.manifest`, not a wasm section.
    pub section_name: Option<String>,
    pub type_ref: Option<TypeRef>,
    /// Default [`encoding::RAW_BYTES`].
    pub payload_encoding: Option<u8>,
    pub media_type: Option<String>,
    /// Default 0. Implementation-defined bits; the SDK never sets any.
    pub flags: Option<u32>,
    /// SHA-256 of `payload` as stored (create always computes it; parse does not check it).
    pub sha256: Vec<u8>,
    pub payload: Vec<u8>,
    pub description: Option<String>,
}

impl BundleEntry {
    pub fn role_or_default(&self) -> u8 {
        self.role.unwrap_or(role::AUXILIARY)
    }

    pub fn payload_encoding_or_default(&self) -> u8 {
        self.payload_encoding.unwrap_or(encoding::RAW_BYTES)
    }

    pub fn flags_or_default(&self) -> u32 {
        self.flags.unwrap_or(0)
    }

    pub fn role_name(&self) -> &'static str {
        role_name(self.role_or_default())
    }

    pub fn encoding_name(&self) -> &'static str {
        encoding_name(self.payload_encoding_or_default())
    }
}

/// Root table `ModuleBundle` (file identifier `SMDB`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModuleBundle {
    /// Default 1.
    pub bundle_version: Option<u16>,
    pub module_format: Option<String>,
    pub canonicalization: Option<CanonicalizationRule>,
    pub canonical_module_hash: Vec<u8>,
    /// Empty when the bundle has no manifest.
    pub manifest_hash: Vec<u8>,
    pub manifest_export_symbol: Option<String>,
    pub manifest_size_symbol: Option<String>,
    pub entries: Vec<BundleEntry>,
}

impl ModuleBundle {
    pub fn bundle_version_or_default(&self) -> u16 {
        self.bundle_version.unwrap_or(1)
    }

    /// `findModuleBundleEntry(bundle, text)`: the first entry whose id equals `id` exactly,
    /// else the first whose role name equals the normalized text.
    pub fn find_entry(&self, id: &str) -> Option<&BundleEntry> {
        self.find_entry_index(id)
            .and_then(|index| self.entries.get(index))
    }

    /// The index of the entry [`ModuleBundle::find_entry`] finds. Ids compare as the
    /// reference decoded them (one leading BOM dropped).
    pub fn find_entry_index(&self, id: &str) -> Option<usize> {
        let normalized = normalize_enum_text(id);
        self.entries
            .iter()
            .position(|e| crate::fbs::reference_text(&e.entry_id) == id)
            .or_else(|| {
                self.entries
                    .iter()
                    .position(|e| e.role_name() == normalized)
            })
    }

    /// `findModuleBundleEntry(bundle, number)`: the first entry with that stored role value.
    pub fn find_entry_by_role(&self, role: u8) -> Option<&BundleEntry> {
        self.entries.iter().find(|e| e.role_or_default() == role)
    }
}
