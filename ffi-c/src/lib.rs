//! The stable C ABI of space-data-module (prefix `sdm_`); `include/space_data_module.h` is
//! generated from this crate by cbindgen.
//!
//! Conventions (docs/c-abi.md):
//! - every function returns an `sdm_status`: `SDM_OK` (0) on success, otherwise the core's
//!   stable `ErrorCode` number, an `SDM_ERR_*` constant (`codes.rs`, generated from
//!   `ErrorCode::ALL`); 6 = `SDM_ERR_PANIC`: a panic was caught at the boundary;
//! - the failing call's message (without the code) is readable per thread with
//!   `sdm_last_error_message`, the code's name with `sdm_error_code_name`;
//! - key material is (pointer, length): a missing key is `invalid-argument`, a key of the wrong
//!   length or an invalid key is `key-invalid`; fixed-size outputs are (pointer, capacity);
//! - out-params are written only on success;
//! - bytes handed to the caller are `sdm_bytes`, released with `sdm_bytes_free`;
//! - structured results are UTF-8 JSON with the shapes documented in docs/c-abi.md.
//!
//! Thread safety: `sdm_runtime`, `sdm_module`, `sdm_host` and `sdm_runtime_host` may be used from several threads at once
//! (the core `Runtime` and `LoadedModule` are `Send + Sync`); every other function only
//! touches its arguments. A handle must not be freed while another thread still uses it.
//!
//! This crate is thin: it converts types and calls the core; it holds no format logic.

mod auth;
mod boundary;
mod bytes;
mod codes;
#[cfg(feature = "test-hooks")]
mod debug;
mod envelope;
mod format;
mod host;
mod program;
mod publication;
mod runtime;
mod runtime_host;
mod verified;
mod wasmsig;

pub use auth::{sdm_authorization_create, sdm_authorization_verify};
pub use boundary::{
    SDM_ABI_VERSION, sdm_abi_version, sdm_error_code_name, sdm_last_error_code,
    sdm_last_error_message, sdm_status,
};
pub use bytes::{sdm_bytes, sdm_bytes_free};
pub use codes::*;
#[cfg(feature = "test-hooks")]
pub use debug::sdm_debug_force_panic;
pub use envelope::{sdm_invoke_request_from_json, sdm_invoke_response_to_json};
pub use format::{
    sdm_bundle_create, sdm_bundle_inspect, sdm_check, sdm_manifest_decode, sdm_manifest_encode_json,
};
pub use host::{
    SDM_INVOKE_COMMAND, SDM_INVOKE_DIRECT, sdm_host, sdm_host_free, sdm_host_invoke, sdm_host_new,
    sdm_module_invoke_hosted,
};
pub use program::sdm_module_run;
pub use publication::{
    SDM_KEY_LEN, SDM_SIGNING_PUBLIC_KEY_LEN, sdm_open, sdm_open_report, sdm_protect,
    sdm_signing_public_key, sdm_x25519_public_key,
};
pub use runtime::{
    sdm_limits, sdm_limits_default, sdm_module, sdm_module_free, sdm_module_invoke_command,
    sdm_module_invoke_direct, sdm_module_load, sdm_module_manifest_json, sdm_runtime,
    sdm_runtime_free, sdm_runtime_new,
};
pub use runtime_host::*;
pub use verified::{
    SDM_VERIFY_ALLOW_UNSIGNED, sdm_verified, sdm_verified_free, sdm_verified_wasm, sdm_verify,
};
pub use wasmsig::{
    SDM_WASM_VERIFY_ALLOW_PARTIAL, sdm_verify_wasm_signed, sdm_wasm_sign, sdm_wasm_verify,
};
