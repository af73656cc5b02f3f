//! PNM and authorization signatures: ECDSA secp256k1 over SHA-256(SHA-256(m)), RFC 6979, low-S,
//! compact 64 bytes `r ‖ s` (spec 7.3); signing keys from BIP-39 mnemonics (spec 7.4).
//!
//! Crate choice: `k256` (RustCrypto) signs with RFC 6979 and zeroizes its `SigningKey` on drop.
//! BIP-32 derivation uses the RustCrypto `bip32` crate because it is built directly on `k256`
//! (no second secp256k1 implementation, no C code), zeroizes derived keys, and its
//! `derive_from_path` covers exactly the hardened/normal path `m/44'/0'/0'/0/0`; `bip39`
//! (rust-bitcoin) validates the word list and checksum and produces the PBKDF2 seed.
//! `coins-bip32` would work too but pulls in a larger dependency tree for the same result.

use k256::ecdsa::signature::hazmat::{PrehashSigner, PrehashVerifier};
use k256::ecdsa::{Signature, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::random::RandomSource;
use crate::{Error, ErrorCode, Result};

/// The signature type label written into PNM records and authorization headers.
pub const SIGNATURE_TYPE: &str = "secp256k1-sha256";
/// The curve label of authorization headers.
pub const CURVE: &str = "secp256k1";
/// The BIP-32 path of the signing key used by `protect`.
pub const SIGNING_PATH: &str = "m/44'/0'/0'/0/0";

/// `SHA-256(SHA-256(message))`: what the ECDSA operation actually signs.
fn message_hash(message: &[u8]) -> [u8; 32] {
    let first = Sha256::digest(message);
    Sha256::digest(first).into()
}

/// A secp256k1 signing key. Zeroized on drop (by `k256`); `Debug` shows only the public key.
#[derive(Clone)]
pub struct Signer {
    key: SigningKey,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Signer {{ public_key: {} }}", self.public_key_hex())
    }
}

impl Signer {
    /// Derives the key at [`SIGNING_PATH`] from a BIP-39 English mnemonic (empty passphrase).
    /// An invalid mnemonic is a `key-invalid` error; it is never replaced by a fresh one.
    pub fn from_mnemonic(phrase: &str) -> Result<Signer> {
        let normalized = Zeroizing::new(phrase.split_whitespace().collect::<Vec<_>>().join(" "));
        let mnemonic = bip39::Mnemonic::parse_in_normalized(bip39::Language::English, &normalized)
            .map_err(|err| {
                Error::new(
                    ErrorCode::KeyInvalid,
                    format!("invalid BIP-39 mnemonic: {}", mnemonic_error(&err)),
                )
            })?;
        let seed = Zeroizing::new(mnemonic.to_seed_normalized(""));
        let path: bip32::DerivationPath = SIGNING_PATH
            .parse()
            .map_err(|_| Error::new(ErrorCode::Internal, "signing path does not parse"))?;
        let xprv = bip32::XPrv::derive_from_path(seed.as_slice(), &path).map_err(|_| {
            Error::new(
                ErrorCode::KeyInvalid,
                "BIP-32 derivation failed for this seed",
            )
        })?;
        Ok(Signer {
            key: xprv.private_key().clone(),
        })
    }

    /// A signer from a raw 32-byte private scalar.
    pub fn from_private_key(bytes: &[u8]) -> Result<Signer> {
        SigningKey::from_slice(bytes)
            .map(|key| Signer { key })
            .map_err(|_| {
                Error::new(
                    ErrorCode::KeyInvalid,
                    "secp256k1 private key must be 32 bytes in [1, n-1]",
                )
            })
    }

    /// The 32-byte private scalar (for writing key files).
    pub fn private_key_bytes(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.key.to_bytes().into())
    }

    /// The 33-byte compressed public key.
    pub fn public_key(&self) -> [u8; 33] {
        let point = self.key.verifying_key().to_encoded_point(true);
        let mut out = [0u8; 33];
        out.copy_from_slice(point.as_bytes());
        out
    }

    pub fn public_key_hex(&self) -> String {
        hex::encode(self.public_key())
    }

    /// Signs `message` (spec 7.3): deterministic, low-S, `r ‖ s`.
    pub fn sign(&self, message: &[u8]) -> Result<[u8; 64]> {
        let hash = message_hash(message);
        let signature: Signature = self
            .key
            .sign_prehash(&hash)
            .map_err(|_| Error::new(ErrorCode::Internal, "ECDSA signing failed"))?;
        let signature = signature.normalize_s().unwrap_or(signature);
        Ok(signature.to_bytes().into())
    }

    /// [`Signer::sign`] as 128 lowercase hex digits.
    pub fn sign_hex(&self, message: &[u8]) -> Result<String> {
        self.sign(message).map(hex::encode)
    }
}

fn mnemonic_error(err: &bip39::Error) -> &'static str {
    // Never echo the words themselves: the phrase is a secret.
    match err {
        bip39::Error::BadWordCount(_) => "wrong number of words",
        bip39::Error::UnknownWord(_) => "a word is not in the English list",
        bip39::Error::InvalidChecksum => "checksum mismatch",
        _ => "not a valid mnemonic",
    }
}

/// A fresh 12-word English mnemonic (128 bits of entropy from `rng`).
pub fn generate_mnemonic(rng: &mut dyn RandomSource) -> Result<Zeroizing<String>> {
    let mut entropy = Zeroizing::new([0u8; 16]);
    rng.fill(&mut entropy[..])?;
    let mnemonic = bip39::Mnemonic::from_entropy(&entropy[..])
        .map_err(|_| Error::new(ErrorCode::Internal, "mnemonic from entropy failed"))?;
    Ok(Zeroizing::new(mnemonic.to_string()))
}

/// A trusted or claimed secp256k1 public key.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    key: VerifyingKey,
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PublicKey({})", self.to_hex())
    }
}

impl PublicKey {
    /// Parses a 33-byte compressed or 65-byte uncompressed SEC1 point.
    pub fn from_sec1(bytes: &[u8]) -> Result<PublicKey> {
        if bytes.len() != 33 && bytes.len() != 65 {
            return Err(Error::new(
                ErrorCode::KeyInvalid,
                "secp256k1 public key must be 33 or 65 bytes",
            ));
        }
        VerifyingKey::from_sec1_bytes(bytes)
            .map(|key| PublicKey { key })
            .map_err(|_| {
                Error::new(
                    ErrorCode::KeyInvalid,
                    "secp256k1 public key is not a point on the curve",
                )
            })
    }

    /// Parses the hex form (66 or 130 hex digits).
    pub fn from_hex(text: &str) -> Result<PublicKey> {
        let bytes = crate::encoding::hex_decode(text.trim())
            .map_err(|_| Error::new(ErrorCode::KeyInvalid, "secp256k1 public key is not hex"))?;
        PublicKey::from_sec1(&bytes)
    }

    /// The compressed form.
    pub fn compressed(&self) -> [u8; 33] {
        let point = self.key.to_encoded_point(true);
        let mut out = [0u8; 33];
        out.copy_from_slice(point.as_bytes());
        out
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.compressed())
    }

    /// Same point, compared in constant time on the compressed encoding.
    pub fn same_point(&self, other: &PublicKey) -> bool {
        bool::from(self.compressed().ct_eq(&other.compressed()))
    }

    /// Verifies a compact 64-byte signature over `message` (spec 7.3). High-S signatures are
    /// rejected (no legitimate producer emits them; spec 13.12 allows this).
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        let Ok(signature) = Signature::from_slice(signature) else {
            return false;
        };
        if signature.normalize_s().is_some() {
            return false;
        }
        self.key
            .verify_prehash(&message_hash(message), &signature)
            .is_ok()
    }

    /// [`PublicKey::verify`] for a 128-hex-digit signature; anything else does not verify.
    pub fn verify_hex(&self, message: &[u8], signature_hex: &str) -> bool {
        if signature_hex.len() != 128 {
            return false;
        }
        match crate::encoding::hex_decode(signature_hex) {
            Ok(bytes) => self.verify(message, &bytes),
            Err(_) => false,
        }
    }
}

impl From<&Signer> for PublicKey {
    fn from(signer: &Signer) -> Self {
        PublicKey {
            key: *signer.key.verifying_key(),
        }
    }
}
