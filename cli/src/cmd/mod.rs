//! One module per CLI verb.

pub mod bundle;
pub mod check;
pub mod conformance;
pub mod manifest;
pub mod inspect;
