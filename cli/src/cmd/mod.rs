//! One module per CLI verb.

pub mod check;
pub mod conformance;
