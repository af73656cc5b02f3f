//! Ed25519 keys for module signatures ([`crate::wasmsig`]) in the tool-conventions
//! serialization, the files `wasmsign2` reads and writes:
//! a public key is `01 ‖ pk` (33 bytes), a key pair `81 ‖ seed ‖ pk` (65 bytes).
//!
//! Crate choice: `ed25519-dalek` (already the host's Ed25519); its `SigningKey` zeroizes on drop.

use ed25519_dalek::{Signer as _, Verifier as _};
use hkdf::hmac::{Hmac, Mac as _};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::{Error, ErrorCode, Result};

/// Identifier byte of a serialized Ed25519 public key.
pub const PUBLIC_KEY_ID: u8 = 0x01;
/// Identifier byte of a serialized Ed25519 key pair.
pub const KEY_PAIR_ID: u8 = 0x81;

fn key_invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::KeyInvalid, message)
}

/// An Ed25519 signing key. Zeroized on drop; `Debug` shows only the public key.
#[derive(Clone)]
pub struct WasmsigSecretKey {
    key: ed25519_dalek::SigningKey,
}

impl std::fmt::Debug for WasmsigSecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WasmsigSecretKey")
            .field("public", &self.public_key())
            .finish_non_exhaustive()
    }
}

impl WasmsigSecretKey {
    /// A fresh key from the operating system's random source.
    pub fn generate() -> Result<WasmsigSecretKey> {
        let mut seed = Zeroizing::new([0u8; 32]);
        use crate::keys::random::RandomSource as _;
        crate::keys::random::OsRandom.fill(seed.as_mut())?;
        Ok(Self::from_seed(&seed))
    }

    /// The key of a 32-byte seed (RFC 8032 private key).
    pub fn from_seed(seed: &[u8; 32]) -> WasmsigSecretKey {
        WasmsigSecretKey {
            key: ed25519_dalek::SigningKey::from_bytes(seed),
        }
    }

    /// Parses `81 ‖ seed ‖ pk` (65 bytes); the public half must be the seed's.
    pub fn from_bytes(bytes: &[u8]) -> Result<WasmsigSecretKey> {
        if bytes.len() != 65 || bytes[0] != KEY_PAIR_ID {
            return Err(key_invalid(format!(
                "an Ed25519 key pair is 65 bytes starting with 0x81 ({} bytes given)",
                bytes.len()
            )));
        }
        let seed: Zeroizing<[u8; 32]> = Zeroizing::new(bytes[1..33].try_into().expect("32 bytes"));
        let key = Self::from_seed(&seed);
        if key.public_key().raw() != bytes[33..65] {
            return Err(key_invalid(
                "the key pair's public key does not belong to its secret key",
            ));
        }
        Ok(key)
    }

    /// `81 ‖ seed ‖ pk`, zeroized when dropped.
    pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        let mut out = Zeroizing::new(Vec::with_capacity(65));
        out.push(KEY_PAIR_ID);
        out.extend_from_slice(self.key.as_bytes());
        out.extend_from_slice(self.key.verifying_key().as_bytes());
        out
    }

    pub fn public_key(&self) -> WasmsigPublicKey {
        WasmsigPublicKey {
            key: self.key.verifying_key(),
        }
    }

    pub(crate) fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.key.sign(message).to_bytes()
    }
}

/// An Ed25519 public key.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct WasmsigPublicKey {
    key: ed25519_dalek::VerifyingKey,
}

impl std::fmt::Debug for WasmsigPublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "WasmsigPublicKey({})", self.to_hex())
    }
}

impl WasmsigPublicKey {
    /// Parses `01 ‖ pk` (33 bytes) or a raw 32-byte key. A point that is not on the curve is
    /// `key-invalid`.
    pub fn from_bytes(bytes: &[u8]) -> Result<WasmsigPublicKey> {
        let raw = match bytes {
            [PUBLIC_KEY_ID, rest @ ..] if rest.len() == 32 => rest,
            raw if raw.len() == 32 => raw,
            _ => {
                return Err(key_invalid(format!(
                    "an Ed25519 public key is 33 bytes starting with 0x01, or 32 raw bytes ({} given)",
                    bytes.len()
                )));
            }
        };
        let raw: [u8; 32] = raw.try_into().expect("32 bytes");
        let key = ed25519_dalek::VerifyingKey::from_bytes(&raw)
            .map_err(|_| key_invalid("not an Ed25519 public key"))?;
        Ok(WasmsigPublicKey { key })
    }

    /// Parses 64 or 66 hex digits (raw or `01`-prefixed).
    pub fn from_hex(text: &str) -> Result<WasmsigPublicKey> {
        let bytes = crate::encoding::hex_decode(text.trim())
            .map_err(|_| key_invalid("an Ed25519 public key in hex has 64 or 66 hex digits"))?;
        Self::from_bytes(&bytes)
    }

    /// The 32 raw bytes.
    pub fn raw(&self) -> [u8; 32] {
        self.key.to_bytes()
    }

    /// `01 ‖ pk`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(33);
        out.push(PUBLIC_KEY_ID);
        out.extend_from_slice(self.key.as_bytes());
        out
    }

    /// The 32 raw bytes in lowercase hex.
    pub fn to_hex(&self) -> String {
        hex::encode(self.key.as_bytes())
    }

    /// The key identifier `wasmsign2` derives for a key without one:
    /// HMAC-SHA-256 keyed with the public key over `"key_id"`, first 12 bytes.
    pub fn default_key_id(&self) -> Vec<u8> {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(self.key.as_bytes()).expect("HMAC takes any key");
        mac.update(b"key_id");
        mac.finalize().into_bytes()[..12].to_vec()
    }

    /// Strict RFC 8032 verification (no malleable signatures, no small-order keys).
    pub(crate) fn verifies(&self, message: &[u8], signature: &[u8]) -> bool {
        let Ok(signature) = ed25519_dalek::Signature::from_slice(signature) else {
            return false;
        };
        self.key.verify_strict(message, &signature).is_ok() && {
            // `verify` as well, so nothing `verify_strict` accepts differs from the plain check.
            self.key.verify(message, &signature).is_ok()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_pair_round_trips_and_checks_its_public_half() {
        let key = WasmsigSecretKey::from_seed(&[5; 32]);
        let bytes = key.to_bytes();
        assert_eq!((bytes.len(), bytes[0]), (65, 0x81));
        let back = WasmsigSecretKey::from_bytes(&bytes).unwrap();
        assert_eq!(back.public_key(), key.public_key());
        let mut wrong = bytes.to_vec();
        wrong[64] ^= 1;
        assert_eq!(
            WasmsigSecretKey::from_bytes(&wrong).unwrap_err().code(),
            ErrorCode::KeyInvalid
        );
        assert_eq!(
            WasmsigSecretKey::from_bytes(&bytes[..64])
                .unwrap_err()
                .code(),
            ErrorCode::KeyInvalid
        );
    }

    #[test]
    fn public_keys_parse_prefixed_raw_and_hex() {
        let public = WasmsigSecretKey::from_seed(&[5; 32]).public_key();
        assert_eq!(
            WasmsigPublicKey::from_bytes(&public.to_bytes()).unwrap(),
            public
        );
        assert_eq!(WasmsigPublicKey::from_bytes(&public.raw()).unwrap(), public);
        assert_eq!(
            WasmsigPublicKey::from_hex(&public.to_hex()).unwrap(),
            public
        );
        for bad in [&[][..], &[1u8; 31][..], &[2u8; 33][..]] {
            assert_eq!(
                WasmsigPublicKey::from_bytes(bad).unwrap_err().code(),
                ErrorCode::KeyInvalid
            );
        }
    }

    #[test]
    fn signatures_verify_only_for_their_message_and_key() {
        let key = WasmsigSecretKey::from_seed(&[5; 32]);
        let signature = key.sign(b"message");
        assert!(key.public_key().verifies(b"message", &signature));
        assert!(!key.public_key().verifies(b"messagE", &signature));
        let other = WasmsigSecretKey::from_seed(&[6; 32]).public_key();
        assert!(!other.verifies(b"message", &signature));
        assert!(!key.public_key().verifies(b"message", &signature[..63]));
    }
}
