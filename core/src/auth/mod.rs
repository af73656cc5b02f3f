//! Deployment authorization (spec publication-and-protection.md section 11): a signed JSON
//! envelope granting the deployment of one artifact to one target with a set of capabilities.
//!
//! - [`create`]: the payload of 11.2 and the signed envelope of 11.4 (byte-identical signing:
//!   ECDSA secp256k1 over SHA-256(SHA-256(canonical payload))).
//! - [`verify`]: the required verification of 11.7 against a trusted key list, with expiry and a
//!   clock-skew window, plus the expectation checks of 11.6.

pub mod create;
pub mod verify;

pub use create::{SignerHeader, create_authorization, sign_authorization};
pub use verify::{Expectations, VerifiedAuthorization, VerifyOptions, verify_authorization};

/// The only authorization action.
pub const ACTION: &str = "deploy-flow";
/// Default lifetime of an authorization: five minutes.
pub const DEFAULT_TTL_MS: f64 = 300_000.0;
