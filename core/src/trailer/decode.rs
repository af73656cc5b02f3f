//! Decoding and full validation of `REC`, `$ENC` and `$PNM` buffers (spec section 6).
//!
//! Every failure is `trailer-invalid` with the reference's wording, prefixed like the reference
//! loader's report (`REC validation failed: ...`) by the caller where appropriate.

use super::raw::{self, RawResult, TableMeta};
use super::records::{
    DEFAULT_COLLECTION_VERSION, EncRecord, KEY_EXCHANGE_X25519, PnmRecord, RECORD_TYPE_ENC,
    RECORD_TYPE_PNM, RecordCollection, RecordEntry, normalize_text,
};
use super::verify::{self, Kind};
use crate::{Error, ErrorCode, Result};

fn invalid(message: String) -> Error {
    Error::new(ErrorCode::TrailerInvalid, message)
}

/// Decodes and validates a `$REC` record collection.
pub fn decode_collection(buf: &[u8]) -> Result<RecordCollection> {
    decode_collection_raw(buf).map_err(invalid)
}

/// Decodes and validates a standalone `$ENC` buffer.
pub fn decode_enc_record(buf: &[u8]) -> Result<EncRecord> {
    let label = "ENC record";
    let meta = raw::root_table(buf, b"$ENC", label).map_err(invalid)?;
    let enc = read_enc(buf, &meta, label).map_err(invalid)?;
    verify::run(buf, Kind::Enc, &[]).map_err(invalid)?;
    Ok(enc)
}

/// Decodes and validates a standalone `$PNM` buffer.
pub fn decode_pnm_record(buf: &[u8]) -> Result<PnmRecord> {
    let label = "PNM record";
    let meta = raw::root_table(buf, b"$PNM", label).map_err(invalid)?;
    let pnm = read_pnm(buf, &meta, label).map_err(invalid)?;
    verify::run(buf, Kind::Pnm, &[]).map_err(invalid)?;
    Ok(pnm)
}

fn standard_of_type(record_type: u8) -> Option<&'static str> {
    match record_type {
        RECORD_TYPE_ENC => Some("ENC"),
        RECORD_TYPE_PNM => Some("PNM"),
        _ => None,
    }
}

fn decode_collection_raw(buf: &[u8]) -> RawResult<RecordCollection> {
    let label = "REC trailer";
    let meta = raw::root_table(buf, b"$REC", label)?;
    let version = raw::string_field(buf, &meta, 4, "REC trailer version")?;
    let tables = raw::table_vector(buf, &meta, 6, "REC trailer records")?;
    if tables.is_empty() {
        return Err("REC trailer does not contain any records.".to_owned());
    }
    if tables.len() > verify::MAX_TABLES / 2 {
        return Err(format!(
            "REC trailer holds more than {} records.",
            verify::MAX_TABLES / 2
        ));
    }
    let mut records = Vec::with_capacity(tables.len());
    let mut enc = None;
    let mut pnm = None;
    let mut positions = Vec::new();
    for (index, record) in tables.iter().enumerate() {
        let record_label = format!("REC trailer record {index}");
        let standard_text = raw::string_field(buf, record, 8, &format!("{record_label} standard"))?;
        let record_type =
            raw::scalar_field::<1>(buf, record, 4, &format!("{record_label} value type"))?
                .map_or(0, |b| b[0]);
        let expected = standard_of_type(record_type);
        let standard = normalize_text(standard_text).or_else(|| expected.map(str::to_owned));
        if let (Some(standard), Some(expected)) = (&standard, expected)
            && standard != expected
        {
            return Err(format!(
                "{record_label} standard/type mismatch ({standard} vs {expected})."
            ));
        }
        let Some(value) = raw::table_field(buf, record, 6, &format!("{record_label} value"))?
        else {
            return Err(format!("{record_label} is missing a value."));
        };
        match standard.as_deref() {
            Some("ENC") => {
                if enc.is_some() {
                    return Err("REC trailer contains multiple ENC records.".to_owned());
                }
                enc = Some(read_enc(
                    buf,
                    &value,
                    &format!("{record_label} ENC payload"),
                )?);
                positions.push((Kind::Enc, value.table_start));
            }
            Some("PNM") => {
                if pnm.is_some() {
                    return Err("REC trailer contains multiple PNM records.".to_owned());
                }
                pnm = Some(read_pnm(
                    buf,
                    &value,
                    &format!("{record_label} PNM payload"),
                )?);
                positions.push((Kind::Pnm, value.table_start));
            }
            _ => {}
        }
        records.push(RecordEntry {
            standard,
            record_type,
        });
    }
    verify::run(buf, Kind::Rec, &positions)?;
    Ok(RecordCollection {
        version: normalize_text(version).unwrap_or_else(|| DEFAULT_COLLECTION_VERSION.to_owned()),
        records,
        enc,
        pnm,
    })
}

fn non_empty(bytes: Option<&[u8]>) -> Option<Vec<u8>> {
    bytes.filter(|b| !b.is_empty()).map(<[u8]>::to_vec)
}

fn read_enc(buf: &[u8], meta: &TableMeta, label: &str) -> RawResult<EncRecord> {
    let ephemeral = raw::bytes_field(
        buf,
        meta,
        12,
        &format!("{label} ephemeral public key"),
        1,
        65,
    )?;
    let nonce = raw::bytes_field(buf, meta, 14, &format!("{label} nonce start"), 12, 12)?;
    let recipient = raw::bytes_field(buf, meta, 16, &format!("{label} recipient key id"), 0, 32)?;
    let context = raw::string_field(buf, meta, 18, &format!("{label} context"))?;
    let schema_hash = raw::bytes_field(buf, meta, 20, &format!("{label} schema hash"), 0, 32)?;
    let root_type = raw::string_field(buf, meta, 22, &format!("{label} root type"))?;
    let version =
        raw::scalar_field::<1>(buf, meta, 4, &format!("{label} version"))?.map_or(1, |b| b[0]);
    let key_exchange = raw::scalar_field::<1>(buf, meta, 6, &format!("{label} key exchange"))?
        .map_or(0, |b| b[0] as i8);
    let symmetric = raw::scalar_field::<1>(buf, meta, 8, &format!("{label} symmetric"))?
        .map_or(0, |b| b[0] as i8);
    let key_derivation = raw::scalar_field::<1>(buf, meta, 10, &format!("{label} key derivation"))?
        .map_or(0, |b| b[0] as i8);
    let timestamp = raw::scalar_field::<8>(buf, meta, 24, &format!("{label} timestamp"))?
        .map_or(0, u64::from_le_bytes);
    let Some(ephemeral) = non_empty(ephemeral) else {
        return Err(format!("{label} is missing the ephemeral public key."));
    };
    let Some(nonce) = non_empty(nonce).filter(|n| n.len() == 12) else {
        return Err(format!("{label} nonce start must be 12 bytes."));
    };
    if key_exchange == KEY_EXCHANGE_X25519 && ephemeral.len() != 32 {
        return Err(format!(
            "{label} X25519 ephemeral public key must be 32 bytes."
        ));
    }
    if key_exchange != KEY_EXCHANGE_X25519 && !(32..=65).contains(&ephemeral.len()) {
        return Err(format!("{label} ephemeral public key length is invalid."));
    }
    let schema_hash = non_empty(schema_hash);
    if schema_hash.as_ref().is_some_and(|h| h.len() != 32) {
        return Err(format!(
            "{label} schema hash must be 32 bytes when present."
        ));
    }
    Ok(EncRecord {
        version,
        key_exchange,
        symmetric,
        key_derivation,
        ephemeral_public_key: ephemeral,
        nonce_start: nonce,
        recipient_key_id: non_empty(recipient),
        context: normalize_text(context),
        schema_hash,
        root_type: normalize_text(root_type),
        timestamp,
    })
}

const PNM_LABELS: [&str; 9] = [
    "multiformat address",
    "publish timestamp",
    "cid",
    "file name",
    "file id",
    "signature",
    "timestamp signature",
    "signature type",
    "timestamp signature type",
];

fn read_pnm(buf: &[u8], meta: &TableMeta, label: &str) -> RawResult<PnmRecord> {
    let mut values: Vec<Option<String>> = Vec::with_capacity(9);
    for (slot, name) in PNM_LABELS.iter().enumerate() {
        let text = raw::string_field(buf, meta, 4 + 2 * slot, &format!("{label} {name}"))?;
        values.push(normalize_text(text));
    }
    if values.iter().all(Option::is_none) {
        return Err(format!(
            "{label} must contain at least one populated field."
        ));
    }
    let mut values = values.into_iter();
    let mut next = || values.next().flatten();
    Ok(PnmRecord {
        multiformat_address: next(),
        publish_timestamp: next(),
        cid: next(),
        file_name: next(),
        file_id: next(),
        signature: next(),
        timestamp_signature: next(),
        signature_type: next(),
        timestamp_signature_type: next(),
    })
}
