//! # space-data-module
//!
//! The Rust core of the Space Data module format: one `.wasm` file that stays valid
//! WebAssembly and carries an embedded PluginManifest, invoke exports, an optional
//! `sds.bundle` custom section and an optional appended `REC` publication trailer.
//!
//! Byte-compatible with the JavaScript reference SDK `space-data-module-sdk` 0.5.10
//! (commit d7030ae).
//!
//! ## Layers (Cargo features)
//!
//! Each layer builds alone and implies the ones below it; `default` is all of them
//! (docs/layers.md):
//!
//! - `format`: everything about the bytes, no engine: no wasmtime, SQLite, TLS or protocol
//!   crates.
//! - `runtime` (implies `format`): [`runtime`], the wasmtime engine.
//! - `host` (implies `runtime`): [`host`] and [`runtime_host`].
//! - `compiler` (implies `runtime`) and `conformance` (implies `format`): tools built on the
//!   layers, outside the `format` surface.
//!
//! ## Module map (one concern each, lower modules first)
//!
//! A module only uses modules listed above it (no cycles between top-level modules).
//!
//! - [`error`]: the one error type and its stable codes. (Every layer.)
//! - [`js`]: the JavaScript coercions (`Number()`, `String()`, truthiness) the reference
//!   applies to JSON input; byte identity depends on them.
//! - [`encoding`]: strict hex and base64.
//! - `parallel`: two independent pieces of work on two cores (hashing beside encryption,
//!   function bodies validated in two halves).
//! - [`fbs`]: FlatBuffers helpers shared by every codec (safe table reader, `FlatBufferTypeRef`).
//! - [`manifest`]: the PluginManifest (`PMAN`) codec: normalize, encode, decode.
//! - [`wasm`]: section walker, custom-section encode/strip/append, export lookup.
//! - [`canonical_json`]: the reference's canonical JSON bytes (ICU key collation, JS numbers).
//! - [`keys`]: secp256k1 signing keys (BIP-39/BIP-32), X25519 and Ed25519 keys, random sources.
//! - [`trailer`]: the appended `REC` trailer as bytes: PNM/ENC records, their codecs, the
//!   `$REC` footer and trailer detection.
//! - [`wasmsig`]: module signatures in the WebAssembly tool-conventions format (`wasmsign2`
//!   interoperable): `signature` section, delimited parts, rolling hashes, Ed25519 signers.
//! - [`deployment`]: deployment-plan normalization and the identifiers of its bundle entry.
//! - [`bundle`]: the `sds.bundle` single-file bundle: create, parse, verify.
//! - [`compliance`]: manifest and artifact validation with the reference's 76 issue codes.
//! - [`auth`]: deployment authorizations: create, sign, verify against trusted keys.
//! - [`publication`]: signatures, encryption and transport envelopes over the trailer;
//!   `protect` and the fail-closed loader `open`.
//! - [`invoke`]: PluginInvokeRequest/Response envelopes and the shared payload arena.
//! - [`runtime`]: wasmtime engine, module cache, direct and command modes, guest limits, and
//!   the host-imports extension point ([`runtime::HostBinding`]). It never names the host.
//! - [`host`]: host operations behind capabilities and policy, and the `sdn_host` bridge that
//!   plugs into the runtime's linker.
//! - [`runtime_host`]: durable rows, record regions and the wasm module registry (spec 6).
//! - [`compiler`]: C source + manifest to a compliant module with Debian clang (wasm32-wasi).
//! - [`conformance`]: runs vector directories and reports the first difference per case.
//! - [`api`]: the front-end API every front end calls (typed requests and reports, one clock,
//!   one set of input caps, key files, fail-closed loading); its parts follow the layers built
//!   (hosted invoke and the runtime host's types need `host`).
//! - `fuzzing` (hidden, `host`): the fuzz target bodies shared by `fuzz/` and the tests.

pub mod error;

#[cfg(feature = "format")]
pub mod api;
#[cfg(feature = "format")]
pub mod auth;
#[cfg(feature = "format")]
pub mod bundle;
#[cfg(feature = "format")]
pub mod canonical_json;
#[cfg(feature = "format")]
pub mod compliance;
#[cfg(feature = "format")]
pub mod deployment;
#[cfg(feature = "format")]
pub mod encoding;
#[cfg(feature = "format")]
pub mod fbs;
/// The fuzz target bodies (`fuzz/`, `tests/fuzz_props.rs`); not an API.
#[cfg(feature = "host")]
#[doc(hidden)]
pub mod fuzzing;
#[cfg(feature = "format")]
pub mod invoke;
#[cfg(feature = "format")]
pub mod js;
#[cfg(feature = "format")]
pub mod keys;
#[cfg(feature = "format")]
pub mod manifest;
#[cfg(feature = "format")]
mod parallel;
#[cfg(feature = "format")]
pub mod publication;
#[cfg(feature = "format")]
pub mod trailer;
#[cfg(feature = "format")]
pub mod wasm;
#[cfg(feature = "format")]
pub mod wasmsig;

#[cfg(feature = "runtime")]
pub mod runtime;
#[cfg(feature = "runtime")]
mod wiring;

#[cfg(feature = "host")]
pub mod host;
#[cfg(feature = "host")]
pub mod runtime_host;

#[cfg(feature = "compiler")]
pub mod compiler;
#[cfg(feature = "conformance")]
pub mod conformance;

pub use error::{Error, ErrorClass, ErrorCode, Result};
