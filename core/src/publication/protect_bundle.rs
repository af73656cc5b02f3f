//! `protect`'s single-file bundle step: the input wasm with its `sds.*` sections removed and a
//! fresh `sds.bundle` (manifest + signed authorization entries) appended.

use serde_json::Value;

use crate::{Error, ErrorCode, Result};

pub(crate) fn single_file_bundle(
    _wasm: &[u8],
    _manifest_bytes: &[u8],
    _authorization: &Value,
) -> Result<Vec<u8>> {
    Err(Error::new(
        ErrorCode::Internal,
        "single-file bundling needs the bundle module (not merged yet)",
    ))
}
