//! X25519 keys (RFC 7748): the recipient keys of `ENC` encrypted delivery and of the host's
//! crypto operations. The cipher suite built on them is `publication::encryption`.

use x25519_dalek::{PublicKey as XPublicKey, StaticSecret};
use zeroize::Zeroizing;

use super::random::RandomSource;
use crate::{Error, ErrorCode, Result};

/// An X25519 private key: 32 bytes as given (clamped at use, RFC 7748). Zeroized on drop;
/// `Debug` shows only the public key.
#[derive(Clone)]
pub struct X25519PrivateKey {
    secret: StaticSecret,
}

impl std::fmt::Debug for X25519PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "X25519PrivateKey {{ public_key: {} }}",
            hex::encode(self.public_key())
        )
    }
}

impl X25519PrivateKey {
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        X25519PrivateKey {
            secret: StaticSecret::from(bytes),
        }
    }

    /// From exactly 32 bytes.
    pub fn from_slice(bytes: &[u8]) -> Result<Self> {
        let array: [u8; 32] = bytes.try_into().map_err(|_| {
            Error::new(ErrorCode::KeyInvalid, "X25519 private key must be 32 bytes")
        })?;
        let array = Zeroizing::new(array);
        Ok(Self::from_bytes(*array))
    }

    /// From exactly 64 hex digits.
    pub fn from_hex(text: &str) -> Result<Self> {
        let bytes = Zeroizing::new(crate::encoding::hex_decode(text.trim()).map_err(|_| {
            Error::new(
                ErrorCode::KeyInvalid,
                "X25519 private key must be 64 hex digits",
            )
        })?);
        Self::from_slice(&bytes)
    }

    /// 32 random bytes from `rng` (the reference's `generateX25519Keypair`).
    pub fn generate(rng: &mut dyn RandomSource) -> Result<Self> {
        let mut bytes = Zeroizing::new([0u8; 32]);
        rng.fill(&mut bytes[..])?;
        Ok(Self::from_bytes(*bytes))
    }

    pub fn public_key(&self) -> [u8; 32] {
        XPublicKey::from(&self.secret).to_bytes()
    }

    pub fn to_bytes(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.secret.to_bytes())
    }

    /// The X25519 shared secret with `public`; an all-zero result (low-order point) is
    /// `decryption-failed`.
    pub(crate) fn shared_secret(&self, public: &[u8; 32]) -> Result<Zeroizing<[u8; 32]>> {
        let shared = self.secret.diffie_hellman(&XPublicKey::from(*public));
        if !shared.was_contributory() {
            return Err(Error::new(
                ErrorCode::DecryptionFailed,
                "X25519 shared secret is all zero (low-order public key)",
            ));
        }
        Ok(Zeroizing::new(shared.to_bytes()))
    }
}

/// Parses a recipient public key: exactly 64 hex digits (spec 9.3: stricter than the reference).
pub fn x25519_public_from_hex(text: &str) -> Result<[u8; 32]> {
    let bytes = crate::encoding::hex_decode(text.trim()).map_err(|_| {
        Error::new(
            ErrorCode::KeyInvalid,
            "X25519 public key must be 64 hex digits",
        )
    })?;
    bytes.try_into().map_err(|_| {
        Error::new(
            ErrorCode::KeyInvalid,
            "X25519 public key must be 64 hex digits",
        )
    })
}
