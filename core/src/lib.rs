//! # space-data-module
//!
//! The Rust core of the Space Data module format: one `.wasm` file that stays valid
//! WebAssembly and carries an embedded PluginManifest, invoke exports, an optional
//! `sds.bundle` custom section and an optional appended `REC` publication trailer.
//!
//! Byte-compatible with the JavaScript reference SDK `space-data-module-sdk` 0.5.10
//! (commit d7030ae). Module map (one concern each):
//!
//! - [`error`]: the one error type and its stable codes.
//! - [`js`]: the JavaScript coercions (`Number()`, `String()`, truthiness) the reference
//!   applies to JSON input; byte identity depends on them.
//! - [`bundle`]: the `sds.bundle` single-file bundle: create, parse, verify.
//! - [`canonical_json`]: the reference's canonical JSON bytes (ICU key collation, JS numbers).
//! - [`deployment`]: deployment-plan normalization and its bundle entry.
//! - [`conformance`]: runs vector directories and reports the first difference per case.

pub mod bundle;
pub mod canonical_json;
pub mod conformance;
pub mod deployment;
pub mod error;
pub mod fbs;
pub mod js;
pub mod manifest;
pub mod wasm;

pub use error::{Error, ErrorClass, ErrorCode, Result};
