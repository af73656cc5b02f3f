//! One module per CLI verb.

pub mod authorize;
pub mod conformance;
pub mod keygen;
pub mod keys;
pub mod open;
pub mod protect;
pub mod verify_authorization;
