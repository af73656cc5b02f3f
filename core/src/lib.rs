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
//! - [`conformance`]: runs vector directories and reports the first difference per case.

pub mod compiler;
pub mod conformance;
pub mod error;
pub mod fbs;
pub mod invoke;
pub mod js;
pub mod manifest;
pub mod runtime;
pub mod wasm;

pub use error::{Error, ErrorClass, ErrorCode, Result};
