//! Module signatures in the WebAssembly tool-conventions format (`Signatures.md`), the format
//! `wasmsign2` reads and writes: a `signature` custom section first (or a detached copy of its
//! payload), the module split into parts by `signature_delimiter` custom sections, rolling
//! SHA-256 hashes at the end of every part, Ed25519 signatures over
//! `"wasmsig" ‖ 01 ‖ 01 ‖ 01 ‖ h1 ‖ … ‖ hn`, several signers.
//!
//! Independent of the `REC` trailer: sign the module first, then protect it (the trailer stays
//! outside the signed bytes and its PNM signature covers the signed module). An artifact that
//! already carries a trailer is refused by [`sign`].
//!
//! - [`data`]: the signature data (payload of the `signature` section) as bytes.
//! - [`parts`]: the module's sections, its parts and their rolling hashes.
//! - [`sign`] and [`verify`](mod@verify): the two operations.

pub mod data;
pub mod parts;
mod sign;
pub mod verify;

pub use crate::keys::ed25519::{WasmsigPublicKey, WasmsigSecretKey};
pub use data::{SignatureData, SignatureEntry, SignedHashes};
pub use sign::{SignOptions, Signed, sign};
pub use verify::{Verified, VerifyOptions, verify};

/// Name of the custom section holding the signature data; it must be the module's first section.
pub const SIGNATURE_SECTION: &str = "signature";
/// Name of the custom sections that end each part.
pub const DELIMITER_SECTION: &str = "signature_delimiter";
/// Domain separation prefix of the signed message.
pub const SIGNATURE_DOMAIN: &[u8] = b"wasmsig";
/// Specification version (`0x01`).
pub const SPEC_VERSION: u8 = 0x01;
/// Content type of a WebAssembly module (`0x01`).
pub const CONTENT_TYPE_MODULE: u8 = 0x01;
/// Hash function identifier of SHA-256 (`0x01`).
pub const HASH_SHA256: u8 = 0x01;
/// Signature algorithm identifier of Ed25519 (`0x01`).
pub const ALG_ED25519: u8 = 0x01;
/// Random bytes in a delimiter's payload.
pub const DELIMITER_BYTES: usize = 16;
/// At most this many hashes per signed set, and signed sets per module (as `wasmsign2`).
pub const MAX_HASHES: usize = 64;
/// At most this many signatures per signed set (as `wasmsign2`).
pub const MAX_SIGNATURES: usize = 256;

/// The message a signer signs for `hashes`.
pub fn signed_message(hashes: &[[u8; 32]]) -> Vec<u8> {
    let mut message = Vec::with_capacity(SIGNATURE_DOMAIN.len() + 3 + hashes.len() * 32);
    message.extend_from_slice(SIGNATURE_DOMAIN);
    message.extend_from_slice(&[SPEC_VERSION, CONTENT_TYPE_MODULE, HASH_SHA256]);
    for hash in hashes {
        message.extend_from_slice(hash);
    }
    message
}
