//! One module per CLI verb.

pub mod conformance;
pub mod invoke;
