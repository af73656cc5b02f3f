//! Format functions: manifest encode/decode, bundle create/inspect, compliance check.

use space_data_module::api::format::{self, BundleOptions, CheckRequest};

use crate::boundary::{guard, sdm_status};
use crate::bytes::{
    input, json_bytes, optional_input, require_out, sdm_bytes, to_json_bytes, utf8_input, write_out,
};

/// Encodes manifest JSON text (UTF-8) to its `PMAN` FlatBuffer, byte-identical to the
/// reference SDK. Normalization warnings are not returned (use the CLI to see them).
///
/// # Safety
/// `json` is valid for `json_len` bytes; `out_pman` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_manifest_encode_json(
    json: *const u8,
    json_len: usize,
    out_pman: *mut sdm_bytes,
) -> sdm_status {
    guard(|| {
        require_out(out_pman, "out_pman")?;
        // SAFETY: caller contract.
        let text = unsafe { utf8_input(json, json_len, "json") }?;
        let encoded = format::encode_manifest(text)?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_pman, sdm_bytes::from_vec(encoded.bytes)) };
        Ok(())
    })
}

/// Decodes a `PMAN` FlatBuffer to the reference's decoded-manifest JSON.
///
/// # Safety
/// `pman` is valid for `pman_len` bytes; `out_json` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_manifest_decode(
    pman: *const u8,
    pman_len: usize,
    out_json: *mut sdm_bytes,
) -> sdm_status {
    guard(|| {
        require_out(out_json, "out_json")?;
        // SAFETY: caller contract.
        let bytes = unsafe { input(pman, pman_len, "pman") }?;
        let json = json_bytes(&format::decode_manifest(bytes)?)?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_json, sdm_bytes::from_vec(json)) };
        Ok(())
    })
}

/// Parses a module (wasm, optionally with a publication trailer) and returns the parsed
/// bundle as JSON (docs/c-abi.md, "sdm_bundle_inspect").
///
/// # Safety
/// `module` is valid for `module_len` bytes; `out_json` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_bundle_inspect(
    module: *const u8,
    module_len: usize,
    out_json: *mut sdm_bytes,
) -> sdm_status {
    guard(|| {
        require_out(out_json, "out_json")?;
        // SAFETY: caller contract.
        let bytes = unsafe { input(module, module_len, "module") }?;
        let json = to_json_bytes(&format::parse_bundle(bytes)?)?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_json, sdm_bytes::from_vec(json)) };
        Ok(())
    })
}

/// Creates a single-file bundle: `wasm` with an `sds.bundle` section holding the manifest
/// (JSON text, encoded to `PMAN`). Returns the bundled wasm.
///
/// # Safety
/// Inputs valid for their lengths; `out_wasm` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_bundle_create(
    wasm: *const u8,
    wasm_len: usize,
    manifest_json: *const u8,
    manifest_json_len: usize,
    out_wasm: *mut sdm_bytes,
) -> sdm_status {
    guard(|| {
        require_out(out_wasm, "out_wasm")?;
        // SAFETY: caller contract.
        let wasm = unsafe { input(wasm, wasm_len, "wasm") }?;
        // SAFETY: caller contract.
        let text = unsafe { utf8_input(manifest_json, manifest_json_len, "manifest_json") }?;
        let created = format::create_bundle(wasm, text, &BundleOptions::default())?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_wasm, sdm_bytes::from_vec(created.wasm)) };
        Ok(())
    })
}

/// Checks a manifest (JSON text) for compliance, together with the exports of its module
/// when `wasm` is given (NULL with length 0: manifest only). A non-compliant manifest is
/// still status 0: read `ok` and `issues` in the report JSON. An invalid module is an error
/// status (`wasm-invalid`).
///
/// # Safety
/// Inputs valid for their lengths; `out_report_json` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_check(
    manifest_json: *const u8,
    manifest_json_len: usize,
    wasm: *const u8,
    wasm_len: usize,
    out_report_json: *mut sdm_bytes,
) -> sdm_status {
    guard(|| {
        require_out(out_report_json, "out_report_json")?;
        // SAFETY: caller contract.
        let text = unsafe { utf8_input(manifest_json, manifest_json_len, "manifest_json") }?;
        // SAFETY: caller contract.
        let wasm = unsafe { optional_input(wasm, wasm_len, "wasm") }?;
        let report = format::check(&CheckRequest {
            manifest_json: text,
            wasm,
            ..CheckRequest::default()
        })?;
        let json = to_json_bytes(&report)?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_report_json, sdm_bytes::from_vec(json)) };
        Ok(())
    })
}
