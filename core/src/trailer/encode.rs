//! Byte-identical encoders for `REC`, `$ENC` and `$PNM` buffers (spec section 5).
//!
//! Driven through the low-level `flatbuffers` builder in the reference's creation order:
//! children first, fields in slot order, defaults omitted, vectors always written, strings never
//! shared (bundle-and-manifest spec section 2).

use flatbuffers::{FlatBufferBuilder, TableFinishedWIPOffset, WIPOffset};

use super::records::{
    DEFAULT_COLLECTION_VERSION, EncRecord, PnmRecord, RECORD_TYPE_ENC, RECORD_TYPE_PNM,
    normalize_text,
};
use crate::{Error, ErrorCode, Result};

type Table = WIPOffset<TableFinishedWIPOffset>;

/// Writes the ENC table: vectors and strings first, then slots 0..10 (spec 5.2).
fn write_enc(fbb: &mut FlatBufferBuilder<'_>, enc: &EncRecord) -> Table {
    let ephemeral = fbb.create_vector::<u8>(&enc.ephemeral_public_key);
    let nonce = fbb.create_vector::<u8>(&enc.nonce_start);
    let recipient = fbb.create_vector::<u8>(non_empty(enc.recipient_key_id.as_deref()));
    let context = normalize_text(enc.context.as_deref()).map(|s| fbb.create_string(&s));
    let schema_hash = fbb.create_vector::<u8>(non_empty(enc.schema_hash.as_deref()));
    let root_type = normalize_text(enc.root_type.as_deref()).map(|s| fbb.create_string(&s));
    let start = fbb.start_table();
    fbb.push_slot::<u8>(4, enc.version, 1);
    fbb.push_slot::<i8>(6, enc.key_exchange, 0);
    fbb.push_slot::<i8>(8, enc.symmetric, 0);
    fbb.push_slot::<i8>(10, enc.key_derivation, 0);
    fbb.push_slot_always(12, ephemeral);
    fbb.push_slot_always(14, nonce);
    fbb.push_slot_always(16, recipient);
    if let Some(context) = context {
        fbb.push_slot_always(18, context);
    }
    fbb.push_slot_always(20, schema_hash);
    if let Some(root_type) = root_type {
        fbb.push_slot_always(22, root_type);
    }
    fbb.push_slot::<u64>(24, enc.timestamp, 0);
    let end = fbb.end_table(start);
    WIPOffset::new(end.value())
}

fn non_empty(bytes: Option<&[u8]>) -> &[u8] {
    bytes.unwrap_or(&[])
}

/// Writes the PNM table: the present strings in slot order, then slots 0..8.
fn write_pnm(fbb: &mut FlatBufferBuilder<'_>, pnm: &PnmRecord) -> Table {
    let strings: Vec<_> = pnm
        .fields()
        .iter()
        .map(|field| normalize_text(field.as_deref()).map(|s| fbb.create_string(&s)))
        .collect();
    let start = fbb.start_table();
    for (slot, string) in strings.into_iter().enumerate() {
        if let Some(string) = string {
            fbb.push_slot_always(4 + 2 * slot as u16, string);
        }
    }
    let end = fbb.end_table(start);
    WIPOffset::new(end.value())
}

/// Writes a `Record` wrapping an already written value table.
fn write_record(
    fbb: &mut FlatBufferBuilder<'_>,
    record_type: u8,
    value: Table,
    standard: &str,
) -> Table {
    let standard = fbb.create_string(standard);
    let start = fbb.start_table();
    fbb.push_slot::<u8>(4, record_type, 0);
    fbb.push_slot_always(6, value);
    fbb.push_slot_always(8, standard);
    let end = fbb.end_table(start);
    WIPOffset::new(end.value())
}

/// Encodes a `$REC` record collection (ENC record first). `version` defaults to `1.0.0`.
///
/// Errors: neither record given (`At least one ENC or PNM record is required.`).
pub fn encode_collection(
    enc: Option<&EncRecord>,
    pnm: Option<&PnmRecord>,
    version: Option<&str>,
) -> Result<Vec<u8>> {
    if enc.is_none() && pnm.is_none() {
        return Err(Error::new(
            ErrorCode::InvalidArgument,
            "At least one ENC or PNM record is required.",
        ));
    }
    let mut fbb = FlatBufferBuilder::with_capacity(1024);
    let version = normalize_text(version).unwrap_or_else(|| DEFAULT_COLLECTION_VERSION.to_owned());
    let version = fbb.create_string(&version);
    let mut records = Vec::with_capacity(2);
    if let Some(enc) = enc {
        let value = write_enc(&mut fbb, enc);
        records.push(write_record(&mut fbb, RECORD_TYPE_ENC, value, "ENC"));
    }
    if let Some(pnm) = pnm {
        let value = write_pnm(&mut fbb, pnm);
        records.push(write_record(&mut fbb, RECORD_TYPE_PNM, value, "PNM"));
    }
    let records = fbb.create_vector(&records);
    let start = fbb.start_table();
    fbb.push_slot_always(4, version);
    fbb.push_slot_always(6, records);
    let root = fbb.end_table(start);
    fbb.finish(root, Some("$REC"));
    Ok(fbb.finished_data().to_vec())
}

/// Encodes a standalone `$ENC` buffer (spec 5.3).
pub fn encode_enc_record(enc: &EncRecord) -> Vec<u8> {
    let mut fbb = FlatBufferBuilder::with_capacity(256);
    let root = write_enc(&mut fbb, enc);
    fbb.finish(root, Some("$ENC"));
    fbb.finished_data().to_vec()
}

/// Encodes a standalone `$PNM` buffer (spec 5.3).
pub fn encode_pnm_record(pnm: &PnmRecord) -> Vec<u8> {
    let mut fbb = FlatBufferBuilder::with_capacity(256);
    let root = write_pnm(&mut fbb, pnm);
    fbb.finish(root, Some("$PNM"));
    fbb.finished_data().to_vec()
}
