//! Keys and the primitives under them, used by [`crate::auth`], [`crate::publication`] and the
//! host's crypto operations alike (none of them reaches into another for a key type).
//!
//! - [`signing`]: secp256k1 signing and verifying keys (PNM and authorization signatures) and
//!   BIP-39/BIP-32 derivation.
//! - [`x25519`]: X25519 private keys and recipient public keys.
//! - [`ed25519`]: Ed25519 keys in the WebAssembly tool-conventions serialization (module
//!   signatures, [`crate::wasmsig`]).
//! - [`random`]: random sources (OS or scripted for reproducible vectors).

pub mod ed25519;
pub mod random;
pub mod signing;
pub mod x25519;
