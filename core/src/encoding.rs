//! Strict hex and base64 (spec 10.5: the reference is lenient; this core is not).

use base64::Engine;

use crate::{Error, ErrorCode, Result};

/// Decodes hex (either case, even length, no prefix, no whitespace).
pub fn hex_decode(text: &str) -> Result<Vec<u8>> {
    hex::decode(text).map_err(|_| {
        Error::new(
            ErrorCode::InvalidArgument,
            "expected an even number of hex digits",
        )
    })
}

/// Standard base64 with padding.
pub fn base64_encode(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Decodes standard base64 with padding; any other character is an error.
pub fn base64_decode(text: &str) -> Result<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|_| {
            Error::new(
                ErrorCode::InvalidArgument,
                "expected standard padded base64",
            )
        })
}
