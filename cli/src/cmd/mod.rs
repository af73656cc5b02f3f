//! One module per CLI verb.

pub mod authorize;
pub mod bundle;
pub mod check;
pub mod compile;
pub mod conformance;
pub mod inspect;
pub mod invoke;
pub mod keygen;
pub mod keys;
pub mod loader;
pub mod manifest;
pub mod open;
pub mod protect;
pub mod sign_wasm;
pub mod verify_authorization;
pub mod verify_wasm;
