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
//! - [`fbs`]: FlatBuffers helpers shared by every codec (safe table reader, `FlatBufferTypeRef`).
//! - [`manifest`]: the PluginManifest (`PMAN`) codec: normalize, encode, decode.
//! - [`wasm`]: section walker, custom-section encode/strip/append, export lookup.
//! - [`canonical_json`]: the reference's canonical JSON bytes (ICU key collation, JS numbers).
//! - [`deployment`]: deployment-plan normalization and its bundle entry.
//! - [`bundle`]: the `sds.bundle` single-file bundle: create, parse, verify.
//! - [`compliance`]: manifest and artifact validation with the reference's 76 issue codes.
//! - [`publication`]: the `REC`/`PNM`/`ENC` trailer, signatures, encryption, `protect`, `open`.
//! - [`auth`]: deployment authorizations: create, sign, verify against trusted keys.
//! - [`invoke`]: PluginInvokeRequest/Response envelopes and the shared payload arena.
//! - [`runtime`]: wasmtime engine, module cache, direct and command modes, guest limits.
//! - [`host`]: host operations behind capabilities and policy, and the `sdn_host` bridge.
//! - [`runtime_host`]: durable rows, record regions and the wasm module registry (spec 6).
//! - [`compiler`]: C source + manifest to a compliant module with Debian clang (wasm32-wasi).
//! - [`conformance`]: runs vector directories and reports the first difference per case.

pub mod auth;
pub mod bundle;
pub mod canonical_json;
pub mod compiler;
pub mod compliance;
pub mod conformance;
pub mod deployment;
pub mod error;
pub mod fbs;
/// The fuzz target bodies (`fuzz/`, `tests/fuzz_props.rs`); not an API.
#[doc(hidden)]
pub mod fuzzing;
pub mod host;
pub mod invoke;
pub mod js;
pub mod manifest;
pub mod publication;
pub mod runtime;
pub mod runtime_host;
pub mod wasm;

pub use error::{Error, ErrorClass, ErrorCode, Result};
