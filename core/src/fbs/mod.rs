//! Shared FlatBuffers plumbing for the `PMAN` manifest and the `SMDB` bundle.
//!
//! Writing follows `bundle-and-manifest.md` section 2 exactly (low-level builder API, fields
//! in declaration order, present references with `push_slot_always`, every vector written),
//! because byte identity with the reference depends on it. Reading always runs the
//! `flatbuffers` verifier first ([`verify_root`]) and then walks the buffer with the safe,
//! bounds-checked [`read::TableReader`], so hostile bytes give an error, never a panic.

pub mod checked;
pub mod read;
pub mod type_ref;

use flatbuffers::{
    FlatBufferBuilder, ForwardsUOffset, VOffsetT, Verifiable, Verifier, VerifierOptions, WIPOffset,
};

pub use flatbuffers::TableFinishedWIPOffset;
pub use read::TableReader;
pub use type_ref::{
    TypeRef, TypeRefOf, TypeRefRef, TypeRefTable, check_type_ref, read_type_ref, type_ref_to_json,
    write_type_ref,
};

use crate::{Error, ErrorCode, Result};

/// The offset of a finished table, as returned by `end_table`.
pub type TableOffset = WIPOffset<TableFinishedWIPOffset>;

/// The vtable byte offset of field number `slot` (`4 + 2 * slot`). The reference's
/// required-field message names this number (`FlatBuffers: field 4 must be set`).
pub const fn slot(index: u16) -> VOffsetT {
    4 + 2 * index
}

/// Writes `text` as a (never shared) string when present.
pub fn create_opt_string<'a>(
    fbb: &mut FlatBufferBuilder<'a>,
    text: Option<&str>,
) -> Option<WIPOffset<&'a str>> {
    text.map(|text| fbb.create_string(text))
}

/// An optional text of any storage as `Option<&str>`.
pub fn opt_str<S: AsRef<str>>(text: &Option<S>) -> Option<&str> {
    text.as_ref().map(AsRef::as_ref)
}

/// Adds a reference field only when the child was written (absent children are not stored).
pub fn push_opt<T>(fbb: &mut FlatBufferBuilder<'_>, field: VOffsetT, child: Option<WIPOffset<T>>) {
    if let Some(child) = child {
        fbb.push_slot_always(field, child);
    }
}

/// Adds a scalar that the normalizer decided to store (`Some`), even when it equals the schema
/// default: the reference compares against the default *before* wrapping the value to the field
/// width, so e.g. `maxBatch: 1.5` is stored as 1. `None` means "not stored".
pub fn push_stored<T: flatbuffers::Push>(
    fbb: &mut FlatBufferBuilder<'_>,
    field: VOffsetT,
    value: Option<T>,
) {
    if let Some(value) = value {
        fbb.push_slot_always(field, value);
    }
}

/// A vector of table references, as `push_slot_always` takes it.
pub type TableVectorOffset<'a> =
    WIPOffset<flatbuffers::Vector<'a, ForwardsUOffset<TableFinishedWIPOffset>>>;

/// Writes a vector of tables the reference's way: every element first, in list order
/// (element 0 first), then the vector of their offsets.
pub fn write_table_vector<'a, T>(
    fbb: &mut FlatBufferBuilder<'a>,
    items: &[T],
    write: impl Fn(&mut FlatBufferBuilder<'a>, &T) -> TableOffset,
) -> TableVectorOffset<'a> {
    let offsets: Vec<TableOffset> = items.iter().map(|item| write(fbb, item)).collect();
    fbb.create_vector(&offsets)
}

/// True when `bytes` is at least 8 bytes long and bytes 4..8 equal `identifier`.
pub fn has_identifier(bytes: &[u8], identifier: &[u8; 4]) -> bool {
    bytes.get(4..8) == Some(identifier.as_slice())
}

/// Verifier limits: generous for real manifests and bundles, small enough that a hostile buffer
/// cannot make verification run away (depth 64, at most one million tables).
fn verifier_options() -> VerifierOptions {
    VerifierOptions {
        max_depth: 64,
        max_tables: 1_000_000,
        ..VerifierOptions::default()
    }
}

/// Runs the `flatbuffers` verifier over a buffer whose root table is `T`; a failure is reported
/// with `code`.
pub fn verify_root<T: Verifiable>(bytes: &[u8], code: ErrorCode, what: &str) -> Result<()> {
    let options = verifier_options();
    let mut verifier = Verifier::new(&options, bytes);
    <ForwardsUOffset<T>>::run_verifier(&mut verifier, 0).map_err(|err| {
        Error::new(
            code,
            format!("{what} failed FlatBuffers verification: {err}"),
        )
    })
}

/// A stored string as the reference's readers return it: the JavaScript FlatBuffers runtime
/// decodes strings with a default `TextDecoder`, which drops one leading U+FEFF (byte order
/// mark). Apply this when rendering the reference's decoded JSON; the typed models keep the
/// stored text so that re-encoding reproduces the bytes.
pub fn reference_text(stored: &str) -> &str {
    stored.strip_prefix('\u{feff}').unwrap_or(stored)
}

/// [`reference_text`] for an optional string.
pub fn reference_opt_text<S: AsRef<str>>(stored: &Option<S>) -> Option<&str> {
    stored.as_ref().map(|text| reference_text(text.as_ref()))
}

/// Builds a JSON object with keys in the given order. (Cheaper than `serde_json::json!`, which
/// re-serializes, i.e. deep-copies, every nested `Value` it is given.)
pub fn json_object<const N: usize>(entries: [(&str, serde_json::Value); N]) -> serde_json::Value {
    let mut map = serde_json::Map::with_capacity(N);
    for (key, value) in entries {
        map.insert(key.to_owned(), value);
    }
    serde_json::Value::Object(map)
}
