//! Invoke envelopes as JSON, so C callers can build requests and read responses without
//! FlatBuffers: the reference's JS object form (core `invoke::json`).

use space_data_module::invoke;

use crate::boundary::{guard, sdm_status};
use crate::bytes::{input, json_bytes, require_out, sdm_bytes, utf8_input, write_out};

/// Encodes a `PluginInvokeRequest` from its JSON form, e.g.
/// `{"methodId":"echo","inputs":[{"portId":"echo","payload":[1,2,3]}]}` (payload bytes as a
/// JSON array of numbers).
///
/// # Safety
/// `json` valid for `json_len` bytes; `out_request` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_invoke_request_from_json(
    json: *const u8,
    json_len: usize,
    out_request: *mut sdm_bytes,
) -> sdm_status {
    guard(|| {
        require_out(out_request, "out_request")?;
        // SAFETY: caller contract.
        let text = unsafe { utf8_input(json, json_len, "json") }?;
        let request = invoke::json::request_from_json(&space_data_module::js::parse_json(text)?)?;
        let bytes = invoke::encode_request(&request)?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_request, sdm_bytes::from_vec(bytes)) };
        Ok(())
    })
}

/// Decodes (and verifies) an encoded `PluginInvokeResponse` to its JSON form
/// (`statusCode`, `yielded`, `backlogRemaining`, `outputs[]` with `payload` byte arrays,
/// `errorCode`, `errorMessage`).
///
/// # Safety
/// `response` valid for `response_len` bytes; `out_json` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_invoke_response_to_json(
    response: *const u8,
    response_len: usize,
    out_json: *mut sdm_bytes,
) -> sdm_status {
    guard(|| {
        require_out(out_json, "out_json")?;
        // SAFETY: caller contract.
        let bytes = unsafe { input(response, response_len, "response") }?;
        let decoded = invoke::decode_response(bytes)?;
        let json = json_bytes(&invoke::json::response_to_json(&decoded))?;
        // SAFETY: checked non-NULL above.
        unsafe { write_out(out_json, sdm_bytes::from_vec(json)) };
        Ok(())
    })
}
