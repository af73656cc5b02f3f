//! The two manifest-codec calls the bundle makes, in one place.

use serde_json::Value;

use crate::Result;

/// `encodePluginManifest(manifest)`: the exact `PMAN` bytes of a manifest JSON value.
pub fn encode_manifest(manifest: &Value) -> Result<Vec<u8>> {
    Ok(crate::manifest::encode_json(manifest)?.bytes)
}

/// `decodePluginManifest(bytes)` as JSON (spec 4.7).
pub fn decode_manifest(bytes: &[u8]) -> Result<Value> {
    crate::manifest::decode_to_json(bytes)
}
