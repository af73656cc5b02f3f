//! One module per CLI verb.

pub mod compile;
pub mod conformance;
pub mod invoke;
pub mod manifest;
