//! The signature data: the payload of the `signature` custom section, or a detached signature.
//!
//! ```text
//! spec_version u8 | content_type u8 | hash_fn u8 | varuint32 count | count × slice(signed_hashes)
//! signed_hashes = varuint32 n | n × 32-byte hash | varuint32 m | m × slice(signature)
//! signature     = slice(key_id) | alg_id u8 | slice(signature bytes)
//! slice(x)      = varuint32 len | len bytes
//! ```
//!
//! Parsing is strict where the format is exact (every length checked before it is used, no
//! trailing bytes anywhere, counts capped as `wasmsign2` caps them) and lenient only where the
//! format asks for it: a signature of an unknown algorithm is skipped, as `wasmsign2` does, so a
//! module signed with a newer algorithm as well still verifies with Ed25519.

use super::{
    ALG_ED25519, CONTENT_TYPE_MODULE, HASH_SHA256, MAX_HASHES, MAX_SIGNATURES, SPEC_VERSION,
};
use crate::{Error, ErrorCode, Result};

/// Parsed signature data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureData {
    pub signed_hashes: Vec<SignedHashes>,
}

/// One set of part hashes and the signatures over it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedHashes {
    pub hashes: Vec<[u8; 32]>,
    pub signatures: Vec<SignatureEntry>,
}

/// One signature over a set of hashes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureEntry {
    /// The signer's key identifier, if it stored one.
    pub key_id: Option<Vec<u8>>,
    /// Always [`ALG_ED25519`] after parsing (others are skipped).
    pub alg_id: u8,
    pub signature: Vec<u8>,
}

fn malformed(what: impl Into<String>) -> Error {
    Error::new(
        ErrorCode::WasmSignatureMalformed,
        format!("signature data: {}", what.into()),
    )
}

/// A bounds-checked reader over signature bytes.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, at: 0 }
    }

    fn byte(&mut self, what: &str) -> Result<u8> {
        let byte = *self
            .bytes
            .get(self.at)
            .ok_or_else(|| malformed(format!("truncated before {what}")))?;
        self.at += 1;
        Ok(byte)
    }

    /// A varuint32: at most 5 bytes, the value fitting 32 bits.
    fn varuint32(&mut self, what: &str) -> Result<u32> {
        let mut value: u64 = 0;
        for index in 0..5 {
            let byte = self.byte(what)?;
            value |= u64::from(byte & 0x7f) << (7 * index);
            if byte & 0x80 == 0 {
                return u32::try_from(value)
                    .map_err(|_| malformed(format!("{what} exceeds 32 bits")));
            }
        }
        Err(malformed(format!("{what} is longer than 5 bytes")))
    }

    fn take(&mut self, len: usize, what: &str) -> Result<&'a [u8]> {
        let end = self
            .at
            .checked_add(len)
            .filter(|&end| end <= self.bytes.len())
            .ok_or_else(|| malformed(format!("{what} runs past the end")))?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn slice(&mut self, what: &str) -> Result<&'a [u8]> {
        let len = self.varuint32(what)? as usize;
        self.take(len, what)
    }

    fn finish(&self, what: &str) -> Result<()> {
        if self.at == self.bytes.len() {
            Ok(())
        } else {
            Err(malformed(format!(
                "{} trailing bytes after {what}",
                self.bytes.len() - self.at
            )))
        }
    }
}

fn put_varuint32(out: &mut Vec<u8>, value: u32) {
    crate::wasm::sections::write_uleb128(out, u64::from(value));
}

fn put_slice(out: &mut Vec<u8>, bytes: &[u8]) -> Result<()> {
    let len = u32::try_from(bytes.len()).map_err(|_| malformed("a field exceeds 4 GiB"))?;
    put_varuint32(out, len);
    out.extend_from_slice(bytes);
    Ok(())
}

impl SignatureData {
    /// Parses signature data (see the module docs for what is refused).
    pub fn parse(bytes: &[u8]) -> Result<SignatureData> {
        let mut reader = Reader::new(bytes);
        let version = reader.varuint32("the specification version")?;
        if version != u32::from(SPEC_VERSION) {
            return Err(malformed(format!(
                "unsupported specification version {version}"
            )));
        }
        let content_type = reader.varuint32("the content type")?;
        if content_type != u32::from(CONTENT_TYPE_MODULE) {
            return Err(malformed(format!(
                "unsupported content type {content_type}"
            )));
        }
        let hash_fn = reader.varuint32("the hash function")?;
        if hash_fn != u32::from(HASH_SHA256) {
            return Err(malformed(format!("unsupported hash function {hash_fn}")));
        }
        let count = reader.varuint32("the signed hash set count")? as usize;
        if count > MAX_HASHES {
            return Err(malformed(format!(
                "{count} signed hash sets (at most {MAX_HASHES})"
            )));
        }
        let mut signed_hashes = Vec::with_capacity(count);
        for _ in 0..count {
            signed_hashes.push(SignedHashes::parse(reader.slice("a signed hash set")?)?);
        }
        reader.finish("the signed hash sets")?;
        Ok(SignatureData { signed_hashes })
    }

    /// The bytes of this signature data.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        if self.signed_hashes.len() > MAX_HASHES {
            return Err(malformed(format!(
                "more than {MAX_HASHES} signed hash sets"
            )));
        }
        let mut out = vec![SPEC_VERSION, CONTENT_TYPE_MODULE, HASH_SHA256];
        put_varuint32(&mut out, self.signed_hashes.len() as u32);
        for set in &self.signed_hashes {
            put_slice(&mut out, &set.to_bytes()?)?;
        }
        Ok(out)
    }
}

impl SignedHashes {
    fn parse(bytes: &[u8]) -> Result<SignedHashes> {
        let mut reader = Reader::new(bytes);
        let count = reader.varuint32("the hash count")? as usize;
        if count > MAX_HASHES {
            return Err(malformed(format!(
                "{count} hashes in a set (at most {MAX_HASHES})"
            )));
        }
        if count == 0 {
            return Err(malformed("a signed hash set without hashes"));
        }
        let mut hashes = Vec::with_capacity(count);
        for _ in 0..count {
            let hash = reader.take(32, "a hash")?;
            hashes.push(hash.try_into().expect("32 bytes taken"));
        }
        let count = reader.varuint32("the signature count")? as usize;
        if count > MAX_SIGNATURES {
            return Err(malformed(format!(
                "{count} signatures in a set (at most {MAX_SIGNATURES})"
            )));
        }
        let mut signatures = Vec::with_capacity(count);
        for _ in 0..count {
            if let Some(entry) = SignatureEntry::parse(reader.slice("a signature")?)? {
                signatures.push(entry);
            }
        }
        reader.finish("the signatures")?;
        Ok(SignedHashes { hashes, signatures })
    }

    fn to_bytes(&self) -> Result<Vec<u8>> {
        if self.hashes.is_empty() || self.hashes.len() > MAX_HASHES {
            return Err(malformed(format!(
                "a set must have 1 to {MAX_HASHES} hashes"
            )));
        }
        if self.signatures.len() > MAX_SIGNATURES {
            return Err(malformed(format!(
                "more than {MAX_SIGNATURES} signatures in a set"
            )));
        }
        let mut out = Vec::new();
        put_varuint32(&mut out, self.hashes.len() as u32);
        for hash in &self.hashes {
            out.extend_from_slice(hash);
        }
        put_varuint32(&mut out, self.signatures.len() as u32);
        for signature in &self.signatures {
            put_slice(&mut out, &signature.to_bytes()?)?;
        }
        Ok(out)
    }
}

impl SignatureEntry {
    /// `None` for a well-framed signature of an algorithm other than Ed25519.
    fn parse(bytes: &[u8]) -> Result<Option<SignatureEntry>> {
        let mut reader = Reader::new(bytes);
        let key_id = reader.slice("a key id")?;
        let alg_id = reader.byte("the algorithm id")?;
        let signature = reader.slice("the signature bytes")?;
        reader.finish("a signature")?;
        if alg_id != ALG_ED25519 {
            return Ok(None);
        }
        Ok(Some(SignatureEntry {
            key_id: (!key_id.is_empty()).then(|| key_id.to_vec()),
            alg_id,
            signature: signature.to_vec(),
        }))
    }

    fn to_bytes(&self) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        put_slice(&mut out, self.key_id.as_deref().unwrap_or_default())?;
        out.push(self.alg_id);
        put_slice(&mut out, &self.signature)?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> SignatureData {
        SignatureData {
            signed_hashes: vec![SignedHashes {
                hashes: vec![[7; 32], [9; 32]],
                signatures: vec![
                    SignatureEntry {
                        key_id: None,
                        alg_id: ALG_ED25519,
                        signature: vec![1; 64],
                    },
                    SignatureEntry {
                        key_id: Some(b"second".to_vec()),
                        alg_id: ALG_ED25519,
                        signature: vec![2; 64],
                    },
                ],
            }],
        }
    }

    #[test]
    fn round_trips() {
        let bytes = sample().to_bytes().unwrap();
        assert_eq!(&bytes[..4], &[1, 1, 1, 1]);
        assert_eq!(SignatureData::parse(&bytes).unwrap(), sample());
    }

    #[test]
    fn every_truncation_and_any_trailing_byte_is_malformed() {
        let bytes = sample().to_bytes().unwrap();
        for len in 0..bytes.len() {
            let error = SignatureData::parse(&bytes[..len]).unwrap_err();
            assert_eq!(error.code(), ErrorCode::WasmSignatureMalformed, "{len}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(
            SignatureData::parse(&longer).unwrap_err().code(),
            ErrorCode::WasmSignatureMalformed
        );
    }

    #[test]
    fn unknown_versions_and_huge_counts_are_refused_before_allocating() {
        for header in [[2u8, 1, 1], [1, 2, 1], [1, 1, 2]] {
            let mut bytes = header.to_vec();
            bytes.push(0);
            assert_eq!(
                SignatureData::parse(&bytes).unwrap_err().code(),
                ErrorCode::WasmSignatureMalformed
            );
        }
        // 2^32 - 1 signed sets claimed in 8 bytes.
        let bytes = [1, 1, 1, 0xff, 0xff, 0xff, 0xff, 0x0f];
        assert_eq!(
            SignatureData::parse(&bytes).unwrap_err().code(),
            ErrorCode::WasmSignatureMalformed
        );
    }

    #[test]
    fn a_signature_of_another_algorithm_is_skipped() {
        let mut data = sample();
        data.signed_hashes[0].signatures[0].alg_id = 0x42;
        let parsed = SignatureData::parse(&data.to_bytes().unwrap()).unwrap();
        assert_eq!(parsed.signed_hashes[0].signatures.len(), 1);
        assert_eq!(
            parsed.signed_hashes[0].signatures[0].key_id.as_deref(),
            Some(&b"second"[..])
        );
    }
}
