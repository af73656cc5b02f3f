//! Publication and protection: the appended `REC` trailer with its `PNM` (publication notice)
//! and `ENC` (encrypted delivery) records, signatures, encryption, transport envelopes,
//! `protect`, and the fail-closed loader `open`.
//!
//! Contract: `shared/spec/publication-and-protection.md`. Module map (one concern each):
//!
//! - [`footer`]: the 8-byte footer, appending, strict splitting and lenient detection.
//! - [`records`]: ENC/PNM/collection values; [`encode`] and [`decode`]: their byte-identical
//!   FlatBuffer codecs with full structural validation.
//! - [`cid`]: CIDv1 raw content identifiers.
//! - [`signing`]: secp256k1 signatures and BIP-39/BIP-32 keys.
//! - [`encryption`]: X25519 + HKDF-SHA-256 + AES-256-CTR.
//! - [`transport`]: version-2 (create/open) and version-1 (open) transport envelopes.
//! - [`open`](mod@open) and [`report`]: the loader and its report.
//! - [`protect`](mod@protect): protect a module (bundle, encrypt, sign, append).
//! - [`random`]: random sources (OS or scripted for reproducible vectors).
//! - [`verified`]: [`VerifiedModule`], the only input the runtime and registry accept.

pub mod cid;
pub mod decode;
pub mod encode;
pub mod encoding;
pub mod encryption;
pub mod footer;
pub mod open;
mod open_bundle;
pub mod protect;
mod protect_bundle;
pub mod random;
mod raw;
pub mod records;
pub mod report;
pub mod signing;
pub mod timestamp;
pub mod transport;
pub mod verified;
mod verify;

pub use decode::{decode_collection, decode_enc_record, decode_pnm_record};
pub use encode::{encode_collection, encode_enc_record, encode_pnm_record};
pub use footer::{DetectedTrailer, append_collection, detect_trailer, strip_trailer};
pub use open::{OpenFailure, OpenPolicy, Opened, open};
pub use protect::{ProtectOptions, ProtectResult, Protected, protect};
pub use records::{EncRecord, PnmRecord, RecordCollection, RecordEntry};
pub use report::{OpenReport, OpenReportView};
pub use verified::{VerifiedModule, declared_capabilities, open_verified};
