//! Content identifiers: CIDv1, codec raw, multihash sha2-256, base32 lower (spec 7.1).

use sha2::{Digest, Sha256};

const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";

/// RFC 4648 base32, lowercase alphabet, no padding.
pub fn base32_lower(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let mut buffer: u32 = 0;
    let mut bits = 0u32;
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            out.push(char::from(ALPHABET[((buffer >> (bits - 5)) & 31) as usize]));
            bits -= 5;
        }
        buffer &= (1 << bits) - 1;
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// `"b" + base32lower(01 55 12 20 ‖ SHA-256(payload))`.
pub fn cid_v1_raw(payload: &[u8]) -> String {
    cid_v1_raw_of_digest(&Sha256::digest(payload).into())
}

/// [`cid_v1_raw`] of a payload whose SHA-256 is `digest` (for callers that need the digest too).
pub fn cid_v1_raw_of_digest(digest: &[u8; 32]) -> String {
    let mut bytes = Vec::with_capacity(36);
    bytes.extend_from_slice(&[0x01, 0x55, 0x12, 0x20]);
    bytes.extend_from_slice(digest);
    format!("b{}", base32_lower(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_matches_rfc4648_examples() {
        assert_eq!(base32_lower(b""), "");
        assert_eq!(base32_lower(b"f"), "my");
        assert_eq!(base32_lower(b"fo"), "mzxq");
        assert_eq!(base32_lower(b"foo"), "mzxw6");
        assert_eq!(base32_lower(b"foob"), "mzxw6yq");
        assert_eq!(base32_lower(b"fooba"), "mzxw6ytb");
        assert_eq!(base32_lower(b"foobar"), "mzxw6ytboi");
    }

    #[test]
    fn cid_shape() {
        let cid = cid_v1_raw(b"hello");
        assert!(cid.starts_with("bafkrei"));
        assert_eq!(cid.len(), 59);
    }
}
