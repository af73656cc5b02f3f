//! `protect`'s single-file bundle step (spec 9.1 step 6): the input wasm with its `sds.*`
//! sections removed and a fresh `sds.bundle` (manifest + signed authorization) appended.

use serde_json::Value;

use crate::Result;
use crate::bundle::{self, CreateOptions, ManifestInput, Payload};

/// The bundled wasm. The manifest entry stores exactly `manifest_bytes` (the same bytes the
/// reference re-encodes from the manifest object); the authorization entry is the canonical
/// JSON of the signed envelope.
pub(crate) fn single_file_bundle(
    wasm: &[u8],
    manifest_bytes: &[u8],
    authorization: &Value,
) -> Result<Vec<u8>> {
    let options = CreateOptions {
        wasm: wasm.to_vec(),
        manifest: ManifestInput::Bytes(manifest_bytes.to_vec()),
        authorization: Some(Payload::Json(authorization.clone())),
        ..CreateOptions::default()
    };
    Ok(bundle::create(&options)?.wasm)
}
