//! One module per CLI verb.

pub mod bundle;
pub mod conformance;
pub mod inspect;
pub mod manifest;
