//! Inputs of bundle creation, modelled the way the reference distinguishes them.

use serde_json::Value;

/// An entry payload. The reference treats bytes and JSON values differently (a JSON string
/// given to a standard entry is stored as raw text, given to a `json-utf8` additional entry
/// it is stored quoted), so the distinction is explicit.
#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    /// Stored verbatim.
    Bytes(Vec<u8>),
    /// A JSON value (as `JSON.parse` would produce it), resolved per entry kind.
    Json(Value),
}

impl From<Vec<u8>> for Payload {
    fn from(bytes: Vec<u8>) -> Self {
        Payload::Bytes(bytes)
    }
}

impl From<Value> for Payload {
    fn from(value: Value) -> Self {
        Payload::Json(value)
    }
}

/// One additional bundle entry (spec 7.3.3), with each field as the JSON value the caller
/// gave, wrong types included: the reference coerces them (`String()`, `Number()`, enum
/// text rules), and so does [`crate::bundle::create`].
///
/// `None` means the key is absent. `Some(Value::Null)` is an explicit `null`, which matters
/// only for `entry_id` (reference quirk: an explicit null id fails the required-field check
/// instead of getting the default `entry-<n>`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EntryInput {
    pub entry_id: Option<Value>,
    /// Role name (`manifest`, `authorization`, ...) or number.
    pub role: Option<Value>,
    pub section_name: Option<Value>,
    /// Type reference object with the camelCase keys of spec 3.2 (bundle-path rules, 7.3.4).
    pub type_ref: Option<Value>,
    /// Encoding name (`raw-bytes`, `flatbuffer`, `json-utf8`, `cbor`) or number.
    pub payload_encoding: Option<Value>,
    pub media_type: Option<Value>,
    pub flags: Option<Value>,
    pub payload: Option<Payload>,
    pub description: Option<Value>,
}

impl EntryInput {
    /// An entry with id, role, encoding and payload set (the usual case).
    pub fn new(entry_id: &str, role: &str, payload_encoding: &str, payload: Payload) -> Self {
        EntryInput {
            entry_id: Some(Value::from(entry_id)),
            role: Some(Value::from(role)),
            payload_encoding: Some(Value::from(payload_encoding)),
            payload: Some(payload),
            ..EntryInput::default()
        }
    }

    /// Reads an entry from a JSON object with the reference's camelCase keys; `payload` is
    /// given separately because JSON cannot tell bytes from values.
    pub fn from_json_fields(
        fields: &serde_json::Map<String, Value>,
        payload: Option<Payload>,
    ) -> Self {
        let get = |key: &str| fields.get(key).cloned();
        EntryInput {
            entry_id: get("entryId"),
            role: get("role"),
            section_name: get("sectionName"),
            type_ref: get("typeRef"),
            payload_encoding: get("payloadEncoding"),
            media_type: get("mediaType"),
            flags: get("flags"),
            payload,
            description: get("description"),
        }
    }
}

/// Options of [`crate::bundle::create`] (spec 7.2). Only `wasm` is required.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CreateOptions {
    /// The module. A publication trailer is split off first (section 9).
    pub wasm: Vec<u8>,
    /// The manifest: JSON to encode, or already-encoded `PMAN` bytes.
    pub manifest: ManifestInput,
    /// `authorization` option: `None` = absent; `Some(Payload::Json(Null))` = no entry.
    pub authorization: Option<Payload>,
    pub signature: Option<Payload>,
    pub transport_envelope: Option<Payload>,
    /// Deployment plan (any JSON; `null` is an error, as it crashes the reference).
    pub deployment_plan: Option<Value>,
    /// Additional entries, in order.
    pub entries: Vec<EntryInput>,
    /// Default `sds.`.
    pub custom_section_prefix: Option<String>,
    /// Default `sds.bundle`; trimmed when used as the wasm section name, stored untrimmed.
    pub bundle_section_name: Option<String>,
    /// Default 1 (a JavaScript number: stored wrapped to u16).
    pub bundle_version: Option<f64>,
    pub module_format: Option<String>,
    pub manifest_export_symbol: Option<String>,
    pub manifest_size_symbol: Option<String>,
}

/// Where the manifest entry comes from.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum ManifestInput {
    /// No manifest entry; the stored manifest hash is empty.
    #[default]
    None,
    /// Manifest JSON, encoded with [`crate::manifest`]. A falsy JSON value (`null`, `false`,
    /// `0`, `""`) counts as no manifest, as in the reference.
    Json(Value),
    /// Already-encoded manifest bytes, stored as given (not re-validated; may be empty).
    Bytes(Vec<u8>),
}
