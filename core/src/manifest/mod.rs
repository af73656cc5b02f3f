//! The PluginManifest codec (`PMAN`, spec `bundle-and-manifest.md` section 4), byte-identical
//! to the reference's `encodePluginManifest` / `decodePluginManifest`.
//!
//! - [`encode_json`] / [`encode_json_str`]: JSON manifest → normalized model (4.3, warnings
//!   4.4, errors 4.5) → FlatBuffer bytes (sections 2 and 4.6).
//! - [`decode`]: bytes → typed [`PluginManifest`] (identifier check, then one pass that
//!   verifies and reads together).
//! - [`decode_ref`]: the same, borrowing every string from the buffer ([`PluginManifestRef`]).
//! - [`decode_to_json`]: bytes → the reference's decoded JSON (4.7).
//! - [`encode`]: typed model → bytes, for code that builds a manifest itself.
//!
//! Caps: manifest JSON text and `PMAN` buffers above [`MAX_MANIFEST_BYTES`] (16 MiB) are
//! rejected with `input-too-large`, and so is a manifest whose encoding could exceed it.

mod decode;
mod encode;
pub mod enums;
mod json;
pub mod model;
pub mod normalize;
pub mod warnings;

use serde_json::Value;

pub use decode::{ManifestTable, decode, decode_ref, decode_two_pass};
pub use encode::encode;
pub use json::to_decoded_json;
pub use model::{
    AcceptedTypeSet, AcceptedTypeSetOf, AcceptedTypeSetRef, BuildArtifact, BuildArtifactOf,
    BuildArtifactRef, HostCapability, HostCapabilityOf, HostCapabilityRef, MethodManifest,
    MethodManifestOf, MethodManifestRef, PluginManifest, PluginManifestOf, PluginManifestRef,
    PortManifest, PortManifestOf, PortManifestRef, ProtocolSpec, ProtocolSpecOf, ProtocolSpecRef,
    TimerSpec, TimerSpecOf, TimerSpecRef, TypeRef, TypeRefOf, TypeRefRef,
};
pub use normalize::{Normalized, normalize};

use crate::{Error, ErrorCode, Result};

/// The FlatBuffer file identifier of a plugin manifest.
pub const FILE_IDENTIFIER: &[u8; 4] = b"PMAN";

/// Largest manifest JSON text, `PMAN` buffer, or estimated encoding accepted: 16 MiB. Real
/// manifests are a few kilobytes; the cap keeps hostile input from exhausting memory.
pub const MAX_MANIFEST_BYTES: usize = 16 * 1024 * 1024;

/// The result of encoding a JSON manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedManifest {
    /// The `PMAN` FlatBuffer.
    pub bytes: Vec<u8>,
    /// What normalization dropped (spec 4.4), in the reference's order and wording.
    pub warnings: Vec<String>,
}

/// Encodes a JSON manifest (numbers read as JavaScript doubles; see [`crate::js::parse_json`]).
///
/// Errors: `manifest-required-field` (reference message `FlatBuffers: field N must be set`),
/// `manifest-invalid-value` (a non-object where an object is needed, a `defaultIntervalMs`
/// that `BigInt()` rejects), `input-too-large`.
pub fn encode_json(manifest: &Value) -> Result<EncodedManifest> {
    // Encoded straight from the normalized view, whose text still borrows from `manifest`.
    let (manifest, warnings) = normalize::normalize_borrowed(manifest)?;
    Ok(EncodedManifest {
        bytes: encode(&manifest)?,
        warnings,
    })
}

/// [`encode_json`] for JSON text; also `invalid-json`, and `input-too-large` above
/// [`MAX_MANIFEST_BYTES`].
pub fn encode_json_str(text: &str) -> Result<EncodedManifest> {
    check_size(text.len(), "manifest JSON")?;
    encode_json(&crate::js::parse_json(text)?)
}

/// Decodes a `PMAN` buffer to the reference's decoded JSON (spec 4.7).
pub fn decode_to_json(bytes: &[u8]) -> Result<Value> {
    decode_ref(bytes).map(|manifest| to_decoded_json(&manifest))
}

fn check_size(len: usize, what: &str) -> Result<()> {
    if len > MAX_MANIFEST_BYTES {
        return Err(Error::new(
            ErrorCode::InputTooLarge,
            format!("{what} of {len} bytes is above the {MAX_MANIFEST_BYTES}-byte cap"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Spec 2.8: the smallest manifest, byte for byte.
    #[test]
    fn worked_example_minimal_manifest() {
        let expected: [u8; 120] = [
            0x28, 0, 0, 0, b'P', b'M', b'A', b'N', 0, 0, 0x1e, 0, 0x28, 0, 0x24, 0, 0, 0, 0, 0, 0,
            0, 0x20, 0, 0x1c, 0, 0x18, 0, 0x14, 0, 0x10, 0, 0x0c, 0, 0, 0, 0x08, 0, 0x04, 0, 0x1e,
            0, 0, 0, 0x24, 0, 0, 0, 0x24, 0, 0, 0, 0x24, 0, 0, 0, 0x24, 0, 0, 0, 0x24, 0, 0, 0,
            0x24, 0, 0, 0, 0x24, 0, 0, 0, 0x24, 0, 0, 0, 0x24, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, b'm',
            b'i', b'n', 0,
        ];
        let encoded = encode_json_str(r#"{"pluginId":"min"}"#).unwrap();
        assert_eq!(encoded.bytes, expected);
        assert!(encoded.warnings.is_empty());
    }

    #[test]
    fn identifier_mismatch_including_short_buffers() {
        for bytes in [
            &b""[..],
            b"PMAN",
            b"\x08\0\0\0PMA",
            b"\x08\0\0\0SMDB\0\0\0\0",
        ] {
            let err = decode(bytes).unwrap_err();
            assert_eq!(err.code(), ErrorCode::ManifestIdentifierMismatch);
            assert_eq!(err.message(), "Plugin manifest buffer identifier mismatch.");
        }
    }

    #[test]
    fn corrupted_buffers_fail_verification_without_panicking() {
        let good = encode_json_str(r#"{"pluginId":"min","methods":[{"methodId":"m"}]}"#)
            .unwrap()
            .bytes;
        assert!(decode(&good).is_ok());
        let mut root_out_of_range = good.clone();
        root_out_of_range[0] = 0xff;
        assert_eq!(
            decode(&root_out_of_range).unwrap_err().code(),
            ErrorCode::ManifestMalformed
        );
        assert_eq!(
            decode(&good[..12]).unwrap_err().code(),
            ErrorCode::ManifestMalformed
        );
        // Every single-byte corruption and every truncation must give Ok or a coded error.
        for i in 0..good.len() {
            for delta in [1u8, 0x80, 0xff] {
                let mut bytes = good.clone();
                bytes[i] = bytes[i].wrapping_add(delta);
                if let Err(err) = decode(&bytes) {
                    assert!(
                        matches!(
                            err.code(),
                            ErrorCode::ManifestMalformed | ErrorCode::ManifestIdentifierMismatch
                        ),
                        "{err}"
                    );
                }
            }
            let _ = decode(&good[..i]);
        }
    }

    #[test]
    fn decode_then_encode_reproduces_the_bytes() {
        let text = r#"{"pluginId":"p","methods":[{"methodId":"m","maxBatch":1.5,"inputPorts":[{"portId":"in","minStreams":65537}]}],"timers":[{"timerId":"t","methodId":"m","defaultIntervalMs":-1}]}"#;
        let bytes = encode_json_str(text).unwrap().bytes;
        assert_eq!(encode(&decode(&bytes).unwrap()).unwrap(), bytes);
    }

    #[test]
    fn oversized_inputs_are_rejected() {
        let big = vec![b' '; MAX_MANIFEST_BYTES + 1];
        assert_eq!(decode(&big).unwrap_err().code(), ErrorCode::InputTooLarge);
        let text = String::from_utf8(big).unwrap();
        assert_eq!(
            encode_json_str(&text).unwrap_err().code(),
            ErrorCode::InputTooLarge
        );
    }
}
