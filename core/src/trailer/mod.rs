//! The appended `REC` publication trailer as bytes: the record collection with its `PNM`
//! (publication notice) and `ENC` (encrypted delivery) records, their byte-identical FlatBuffer
//! codecs with full structural validation, and the 8-byte footer that locates the collection
//! from the end of a file.
//!
//! Contract: `shared/spec/publication-and-protection.md` sections 3-6. This module sits below
//! both [`crate::bundle`] (whose create and parse strip a valid trailer first) and
//! [`crate::publication`] (signatures, encryption, `protect`, `open`), so neither reaches into
//! the other for it. It knows no keys and verifies no signatures.
//!
//! - [`footer`]: the 8-byte footer, appending, strict splitting and lenient detection.
//! - [`records`]: ENC/PNM/collection values; [`encode`] and [`decode`]: their codecs.

pub mod decode;
pub mod encode;
pub mod footer;
mod raw;
pub mod records;
mod verify;

pub use decode::{decode_collection, decode_enc_record, decode_pnm_record};
pub use encode::{encode_collection, encode_enc_record, encode_pnm_record};
pub use footer::{DetectedTrailer, append_collection, detect_trailer, strip_trailer};
pub use records::{EncRecord, PnmRecord, RecordCollection, RecordEntry};
