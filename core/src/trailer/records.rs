//! The values carried by `ENC` and `PNM` records and by a decoded `REC` collection.

/// `RecordType` discriminant of `ENC` at standards commit 09af351a1 (spec 4.1).
pub const RECORD_TYPE_ENC: u8 = 34;
/// `RecordType` discriminant of `PNM` at standards commit 09af351a1 (spec 4.1).
pub const RECORD_TYPE_PNM: u8 = 89;
/// Version string written into a collection when none is given.
pub const DEFAULT_COLLECTION_VERSION: &str = "1.0.0";

/// `KeyExchange::X25519`.
pub const KEY_EXCHANGE_X25519: i8 = 0;
/// `SymmetricAlgo::AES_256_CTR`.
pub const SYMMETRIC_AES_256_CTR: i8 = 0;
/// `KDF::HKDF_SHA256`.
pub const KDF_HKDF_SHA256: i8 = 0;

/// The name of a `KeyExchange` value, or its decimal text when unknown (as the reference reports it).
pub fn key_exchange_name(value: i8) -> String {
    match value {
        0 => "X25519".to_owned(),
        1 => "SECP256K1".to_owned(),
        2 => "P256".to_owned(),
        other => other.to_string(),
    }
}

/// The name of a `SymmetricAlgo` value, or its decimal text.
pub fn symmetric_name(value: i8) -> String {
    match value {
        0 => "AES_256_CTR".to_owned(),
        other => other.to_string(),
    }
}

/// The name of a `KDF` value, or its decimal text.
pub fn kdf_name(value: i8) -> String {
    match value {
        0 => "HKDF_SHA256".to_owned(),
        other => other.to_string(),
    }
}

/// Parses an enum name as the reference's encoder does: trim, runs of non-alphanumerics → `_`,
/// upper-case. Unknown names give `None` (the reference silently uses 0; callers decide).
pub fn key_exchange_from_name(name: &str) -> Option<i8> {
    match normalize_enum_name(name).as_str() {
        "X25519" => Some(0),
        "SECP256K1" => Some(1),
        "P256" => Some(2),
        _ => None,
    }
}

fn normalize_enum_name(name: &str) -> String {
    let mut out = String::new();
    let mut in_run = false;
    for c in crate::js::js_trim(name).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_uppercase());
            in_run = false;
        } else if !in_run {
            out.push('_');
            in_run = true;
        }
    }
    out
}

/// An `ENC` record (spec 4.2): how to derive the key that decrypts the payload.
///
/// Decoded records have empty byte vectors and empty strings mapped to `None`. For encoding,
/// `ephemeral_public_key` and `nonce_start` are written as given; `recipient_key_id` and
/// `schema_hash` are written as empty vectors when `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncRecord {
    pub version: u8,
    pub key_exchange: i8,
    pub symmetric: i8,
    pub key_derivation: i8,
    pub ephemeral_public_key: Vec<u8>,
    pub nonce_start: Vec<u8>,
    pub recipient_key_id: Option<Vec<u8>>,
    pub context: Option<String>,
    pub schema_hash: Option<Vec<u8>>,
    pub root_type: Option<String>,
    /// Milliseconds since the Unix epoch; 0 means unset.
    pub timestamp: u64,
}

impl EncRecord {
    /// A version-1 X25519 / HKDF-SHA-256 / AES-256-CTR record.
    pub fn x25519_ctr(ephemeral_public_key: [u8; 32], nonce_start: [u8; 12]) -> Self {
        EncRecord {
            version: 1,
            key_exchange: KEY_EXCHANGE_X25519,
            symmetric: SYMMETRIC_AES_256_CTR,
            key_derivation: KDF_HKDF_SHA256,
            ephemeral_public_key: ephemeral_public_key.to_vec(),
            nonce_start: nonce_start.to_vec(),
            recipient_key_id: None,
            context: None,
            schema_hash: None,
            root_type: None,
            timestamp: 0,
        }
    }
}

/// A `PNM` publication notice (spec 4.3): nine optional strings, in slot order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PnmRecord {
    pub multiformat_address: Option<String>,
    pub publish_timestamp: Option<String>,
    pub cid: Option<String>,
    pub file_name: Option<String>,
    pub file_id: Option<String>,
    pub signature: Option<String>,
    pub timestamp_signature: Option<String>,
    pub signature_type: Option<String>,
    pub timestamp_signature_type: Option<String>,
}

impl PnmRecord {
    /// The fields in slot order.
    pub fn fields(&self) -> [&Option<String>; 9] {
        [
            &self.multiformat_address,
            &self.publish_timestamp,
            &self.cid,
            &self.file_name,
            &self.file_id,
            &self.signature,
            &self.timestamp_signature,
            &self.signature_type,
            &self.timestamp_signature_type,
        ]
    }
}

/// One record of a collection as found: its standard (string, else named discriminant) and
/// discriminant. Records of other standards are kept here but not decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordEntry {
    pub standard: Option<String>,
    pub record_type: u8,
}

/// A decoded and validated `REC` record collection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordCollection {
    /// The collection version (`1.0.0` when absent).
    pub version: String,
    pub records: Vec<RecordEntry>,
    pub enc: Option<EncRecord>,
    pub pnm: Option<PnmRecord>,
}

/// Trims with JavaScript semantics; empty → `None` (spec 5.1 and 6).
pub(crate) fn normalize_text(value: Option<&str>) -> Option<String> {
    let trimmed = crate::js::js_trim(value?);
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}
