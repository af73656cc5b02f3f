//! Hand-written WebAssembly section framing, byte-exact with the reference's
//! `src/bundle/wasm.js` (spec `bundle-and-manifest.md` section 6).
//!
//! This walker deliberately does *not* validate the module: it accepts any section id, in any
//! order, and never looks inside non-custom payloads, because the reference accepts such
//! inputs and reports its own errors in its own order. Use `wasmparser` when validation is
//! wanted.

use std::ops::Range;

use crate::{Error, ErrorCode, Result};

/// The 4 magic bytes `\0asm`.
pub const WASM_MAGIC: [u8; 4] = [0x00, 0x61, 0x73, 0x6d];
/// Version 1, little-endian.
pub const WASM_VERSION_1: [u8; 4] = [0x01, 0x00, 0x00, 0x00];
/// Length of the module header (magic + version).
pub const WASM_HEADER_LEN: usize = 8;
/// Prefix of every custom section the SDK owns (`sds.`); stripped before hashing.
pub const SDS_CUSTOM_SECTION_PREFIX: &str = "sds.";

/// Largest value [`encode_uleb128`] accepts: JavaScript's `Number.MAX_SAFE_INTEGER`.
pub const ULEB128_MAX_SAFE: u64 = (1 << 53) - 1;

/// Encodes `value` as minimal unsigned LEB128.
///
/// The reference rejects values above `Number.MAX_SAFE_INTEGER` with
/// `ULEB128 value must be a non-negative safe integer.`; so does this function.
pub fn encode_uleb128(value: u64) -> Result<Vec<u8>> {
    if value > ULEB128_MAX_SAFE {
        return Err(Error::new(
            ErrorCode::InvalidArgument,
            "ULEB128 value must be a non-negative safe integer.",
        ));
    }
    let mut out = Vec::with_capacity(8);
    write_uleb128(&mut out, value);
    Ok(out)
}

/// Appends the minimal LEB128 encoding of `value` (no range check; internal sizes are small).
pub(crate) fn write_uleb128(out: &mut Vec<u8>, mut value: u64) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Decodes an unsigned LEB128 at `offset`; returns `(value, next_offset)`.
///
/// Reference semantics: at most 8 bytes are read (after the 8th continuation byte the shift
/// exceeds 49 and decoding fails with `ULEB128 value exceeds supported integer range.`);
/// running off the end fails with `Unexpected end of data while decoding ULEB128.`;
/// non-minimal encodings are accepted. The value is therefore below 2^56.
pub fn decode_uleb128(bytes: &[u8], offset: usize) -> Result<(u64, usize)> {
    let mut result: u64 = 0;
    let mut shift: u32 = 0;
    let mut cursor = offset;
    while let Some(&byte) = bytes.get(cursor) {
        cursor += 1;
        result += u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok((result, cursor));
        }
        shift += 7;
        if shift > 49 {
            return Err(Error::new(
                ErrorCode::WasmUlebOverflow,
                "ULEB128 value exceeds supported integer range.",
            ));
        }
    }
    Err(Error::new(
        ErrorCode::WasmUlebEndOfData,
        "Unexpected end of data while decoding ULEB128.",
    ))
}

/// One section of a module, as byte ranges into the walked input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Section id byte (any value 0..=255 is accepted).
    pub id: u8,
    /// Offset of the id byte.
    pub start: usize,
    /// End of the payload (exclusive); `start..end` are the section's raw bytes.
    pub end: usize,
    /// The payload (after the size ULEB).
    pub payload: Range<usize>,
    /// For custom sections (id 0): the decoded name and the data range after the name.
    pub custom: Option<CustomSection>,
}

/// The name and data range of a custom section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomSection {
    /// The name decoded as the reference's `TextDecoder` does: a leading UTF-8 byte-order mark
    /// is dropped and invalid sequences become U+FFFD.
    pub name: String,
    /// The data after the name, up to the payload end.
    pub data: Range<usize>,
}

impl Section {
    /// The section's raw bytes (id, size and payload) within `module`.
    pub fn raw<'a>(&self, module: &'a [u8]) -> &'a [u8] {
        module.get(self.start..self.end).unwrap_or_default()
    }

    /// The custom-section name, if this is a custom section.
    pub fn custom_name(&self) -> Option<&str> {
        self.custom.as_ref().map(|c| c.name.as_str())
    }
}

/// Walks the sections of `module` with the reference's rules (spec 6.3).
///
/// The header checks are interleaved per index (magic byte i, then version byte i), so
/// `00 62 73 6d 02 00 00 00` reports the version error, as the reference does.
pub fn parse_sections(module: &[u8]) -> Result<Vec<Section>> {
    if module.len() < WASM_HEADER_LEN {
        return Err(Error::new(
            ErrorCode::WasmTruncated,
            "WASM module is truncated.",
        ));
    }
    for index in 0..4 {
        if module[index] != WASM_MAGIC[index] {
            return Err(Error::new(
                ErrorCode::WasmMagicMismatch,
                "WASM magic header mismatch.",
            ));
        }
        if module[index + 4] != WASM_VERSION_1[index] {
            return Err(Error::new(
                ErrorCode::WasmUnsupportedVersion,
                "Unsupported WASM version header.",
            ));
        }
    }
    let mut sections = Vec::new();
    let mut offset = WASM_HEADER_LEN;
    while let Some(&id) = module.get(offset) {
        let start = offset;
        let (size, payload_start) = decode_uleb128(module, offset + 1)?;
        let payload_end = usize::try_from(size)
            .ok()
            .and_then(|size| payload_start.checked_add(size))
            .filter(|&end| end <= module.len())
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::WasmSectionPastEnd,
                    "WASM section extends past end of file.",
                )
            })?;
        let custom = if id == 0 {
            // The reference reads the name length from the whole input, not just the payload.
            let (name_len, name_start) = decode_uleb128(module, payload_start)?;
            let name_end = usize::try_from(name_len)
                .ok()
                .and_then(|len| name_start.checked_add(len))
                .filter(|&end| end <= payload_end)
                .ok_or_else(|| {
                    Error::new(
                        ErrorCode::WasmCustomNamePastPayload,
                        "WASM custom section name extends past payload.",
                    )
                })?;
            let name = decode_text(module.get(name_start..name_end).unwrap_or_default());
            Some(CustomSection {
                name,
                data: name_end..payload_end,
            })
        } else {
            None
        };
        sections.push(Section {
            id,
            start,
            end: payload_end,
            payload: payload_start..payload_end,
            custom,
        });
        offset = payload_end;
    }
    Ok(sections)
}

/// UTF-8 decoding as WHATWG `TextDecoder("utf-8")` does it by default: one leading BOM is
/// removed and invalid sequences become U+FFFD (Rust's lossy decoding follows the same
/// "maximal subpart" rule).
pub fn decode_text(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8_lossy(bytes).into_owned()
}

/// One custom section of a module: name, data and the byte range of the whole section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomSectionView<'a> {
    pub name: String,
    pub data: &'a [u8],
    pub start: usize,
    pub end: usize,
}

/// Every custom section of `module`, in file order.
pub fn custom_sections(module: &[u8]) -> Result<Vec<CustomSectionView<'_>>> {
    Ok(parse_sections(module)?
        .into_iter()
        .filter_map(|section| {
            let custom = section.custom?;
            Some(CustomSectionView {
                data: module.get(custom.data).unwrap_or_default(),
                name: custom.name,
                start: section.start,
                end: section.end,
            })
        })
        .collect())
}

/// A section: its id, the LEB128 size of `payload`, and `payload`.
pub fn encode_section(id: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len() + 6);
    out.push(id);
    write_uleb128(&mut out, payload.len() as u64);
    out.extend_from_slice(payload);
    out
}

/// Encodes a custom section (spec 6.4): the name is trimmed (JavaScript `trim`); an empty
/// result fails with `Custom section name is required.`
pub fn encode_custom_section(name: &str, data: &[u8]) -> Result<Vec<u8>> {
    let name = crate::js::js_trim(name);
    if name.is_empty() {
        return Err(Error::new(
            ErrorCode::WasmCustomNameRequired,
            "Custom section name is required.",
        ));
    }
    let name_len = encode_uleb128(name.len() as u64)?;
    let size = (name_len.len() + name.len()) as u64 + data.len() as u64;
    let size = encode_uleb128(size)?;
    let mut out = Vec::with_capacity(1 + size.len() + name_len.len() + name.len() + data.len());
    out.push(0);
    out.extend_from_slice(&size);
    out.extend_from_slice(&name_len);
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(data);
    Ok(out)
}

/// The header followed by the exact original bytes of every section except the custom
/// sections for which `remove` returns true (spec 6.5). Nothing is re-encoded.
pub fn strip_custom_sections(module: &[u8], remove: impl Fn(&str) -> bool) -> Result<Vec<u8>> {
    Ok(KeptParts::of(module, remove)?.concat(0))
}

/// Removes every custom section whose decoded name starts with `prefix` (case-sensitive; an
/// empty prefix removes all custom sections).
pub fn strip_prefixed_custom_sections(module: &[u8], prefix: &str) -> Result<Vec<u8>> {
    strip_custom_sections(module, |name| name.starts_with(prefix))
}

/// What stripping custom sections keeps of a module (its header and every other section, in
/// order), as slices of it: a stripped module can be hashed, or built with room for what
/// follows it, without an intermediate copy of a possibly large module.
pub struct KeptParts<'a> {
    parts: Vec<&'a [u8]>,
}

impl<'a> KeptParts<'a> {
    /// Errors as [`parse_sections`].
    pub fn of(module: &'a [u8], remove: impl Fn(&str) -> bool) -> Result<Self> {
        let sections = parse_sections(module)?;
        let mut parts = Vec::with_capacity(sections.len() + 1);
        parts.push(&module[..WASM_HEADER_LEN]);
        parts.extend(
            sections
                .iter()
                .filter(|section| !section.custom_name().is_some_and(&remove))
                .map(|section| section.raw(module)),
        );
        Ok(KeptParts { parts })
    }

    /// Without the custom sections whose names start with `prefix`.
    pub fn without_prefix(module: &'a [u8], prefix: &str) -> Result<Self> {
        Self::of(module, |name| name.starts_with(prefix))
    }

    /// Length of the stripped module.
    pub fn len(&self) -> usize {
        self.parts.iter().map(|part| part.len()).sum()
    }

    /// Never true: the header is always kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// SHA-256 of the stripped module.
    pub fn sha256(&self) -> [u8; 32] {
        use sha2::{Digest, Sha256};
        let mut hasher = Sha256::new();
        for part in &self.parts {
            hasher.update(part);
        }
        hasher.finalize().into()
    }

    /// The stripped module, with capacity for `room` more bytes.
    pub fn concat(&self, room: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.len().saturating_add(room));
        for part in &self.parts {
            out.extend_from_slice(part);
        }
        out
    }
}

/// Removes every `sds.*` custom section.
pub fn strip_sds_sections(module: &[u8]) -> Result<Vec<u8>> {
    strip_prefixed_custom_sections(module, SDS_CUSTOM_SECTION_PREFIX)
}

/// `module` unchanged followed by `encode_custom_section(name, data)`. The module is not
/// parsed or validated (reference behaviour).
pub fn append_custom_section(module: &[u8], name: &str, data: &[u8]) -> Result<Vec<u8>> {
    let section = encode_custom_section(name, data)?;
    let mut out = Vec::with_capacity(module.len() + section.len());
    out.extend_from_slice(module);
    out.extend_from_slice(&section);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: [u8; 8] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

    fn with_header(rest: &[u8]) -> Vec<u8> {
        let mut v = HEADER.to_vec();
        v.extend_from_slice(rest);
        v
    }

    fn vector(name: &str) -> Vec<u8> {
        let path = format!(
            "{}/../vectors/single-file-bundle/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read(path).unwrap()
    }

    #[test]
    fn uleb_encoding_examples() {
        for (value, bytes) in [
            (0u64, &[0x00][..]),
            (127, &[0x7f]),
            (128, &[0x80, 0x01]),
            (3003, &[0xbb, 0x17]),
            (16384, &[0x80, 0x80, 0x01]),
            (1 << 32, &[0x80, 0x80, 0x80, 0x80, 0x10]),
        ] {
            assert_eq!(encode_uleb128(value).unwrap(), bytes, "{value}");
            assert_eq!(decode_uleb128(bytes, 0).unwrap(), (value, bytes.len()));
        }
        assert_eq!(
            encode_uleb128(ULEB128_MAX_SAFE + 1).unwrap_err().message(),
            "ULEB128 value must be a non-negative safe integer."
        );
    }

    #[test]
    fn uleb_decoding_limits() {
        assert_eq!(decode_uleb128(&[0x80, 0x00], 0).unwrap(), (0, 2));
        assert_eq!(
            decode_uleb128(&[0x80], 0).unwrap_err().code(),
            ErrorCode::WasmUlebEndOfData
        );
        let err = decode_uleb128(&[0x80; 8], 0).unwrap_err();
        assert_eq!(err.code(), ErrorCode::WasmUlebOverflow);
        assert_eq!(
            err.message(),
            "ULEB128 value exceeds supported integer range."
        );
        // Seven continuation bytes and a terminator: the largest accepted form.
        let mut max = vec![0xff; 7];
        max.push(0x7f);
        assert_eq!(decode_uleb128(&max, 0).unwrap(), ((1 << 56) - 1, 8));
    }

    #[test]
    fn walker_errors_match_the_reference() {
        let cases: &[(&[u8], ErrorCode, &str)] = &[
            (&[], ErrorCode::WasmTruncated, "WASM module is truncated."),
            (
                &[0, 0x61, 0x73],
                ErrorCode::WasmTruncated,
                "WASM module is truncated.",
            ),
            (
                &[0, 0x61, 0x73, 0x6e, 1, 0, 0, 0],
                ErrorCode::WasmMagicMismatch,
                "WASM magic header mismatch.",
            ),
            (
                &[0, 0x61, 0x73, 0x6d, 2, 0, 0, 0],
                ErrorCode::WasmUnsupportedVersion,
                "Unsupported WASM version header.",
            ),
            (
                &[0, 0x62, 0x73, 0x6d, 2, 0, 0, 0],
                ErrorCode::WasmUnsupportedVersion,
                "Unsupported WASM version header.",
            ),
        ];
        for (input, code, message) in cases {
            let err = parse_sections(input).unwrap_err();
            assert_eq!(
                (err.code(), err.message()),
                (*code, *message),
                "{input:02x?}"
            );
        }
        let framed: &[(&[u8], ErrorCode, &str)] = &[
            (
                &[0x01, 0x05, 0x00],
                ErrorCode::WasmSectionPastEnd,
                "WASM section extends past end of file.",
            ),
            (
                &[0x01, 0x80],
                ErrorCode::WasmUlebEndOfData,
                "Unexpected end of data while decoding ULEB128.",
            ),
            (
                &[0x00, 0x02, 0x05, 0x61],
                ErrorCode::WasmCustomNamePastPayload,
                "WASM custom section name extends past payload.",
            ),
            (
                &[0x00, 0x01, 0x80],
                ErrorCode::WasmUlebEndOfData,
                "Unexpected end of data while decoding ULEB128.",
            ),
        ];
        for (rest, code, message) in framed {
            let err = parse_sections(&with_header(rest)).unwrap_err();
            assert_eq!(
                (err.code(), err.message()),
                (*code, *message),
                "{rest:02x?}"
            );
        }
    }

    #[test]
    fn name_length_is_read_beyond_the_payload() {
        // Payload size 0, but the name-length ULEB is read from the following byte (`01`),
        // giving a one-byte name that ends past the (empty) payload.
        let err = parse_sections(&with_header(&[0x00, 0x00, 0x01])).unwrap_err();
        assert_eq!(err.code(), ErrorCode::WasmCustomNamePastPayload);
    }

    #[test]
    fn custom_section_encoding() {
        assert_eq!(
            encode_custom_section(" sds.x ", &[1]).unwrap(),
            [0x00, 0x07, 0x05, 0x73, 0x64, 0x73, 0x2e, 0x78, 0x01]
        );
        for name in ["", "   ", "\u{feff}\t"] {
            let err = encode_custom_section(name, &[]).unwrap_err();
            assert_eq!(
                (err.code(), err.message()),
                (
                    ErrorCode::WasmCustomNameRequired,
                    "Custom section name is required."
                )
            );
        }
    }

    #[test]
    fn strip_and_append() {
        let bundled = vector("single-file-module.wasm");
        let base = vector("base-module.wasm");
        assert_eq!(strip_sds_sections(&bundled).unwrap(), base);
        let bundle = vector("bundle.fb");
        assert_eq!(
            append_custom_section(&base, "sds.bundle", &bundle).unwrap(),
            bundled
        );

        let mut module = HEADER.to_vec();
        for name in [
            "sdsx",
            "SDS.x",
            "sds.",
            "sds.bundle",
            "sds.anything",
            "name",
        ] {
            module.extend(encode_custom_section(name, b"d").unwrap());
        }
        let kept: Vec<String> = custom_sections(&strip_sds_sections(&module).unwrap())
            .unwrap()
            .into_iter()
            .map(|c| c.name)
            .collect();
        assert_eq!(kept, ["sdsx", "SDS.x", "name"]);
        assert!(
            custom_sections(&strip_prefixed_custom_sections(&module, "").unwrap())
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn kept_parts_hash_and_build_the_stripped_module() {
        use sha2::{Digest, Sha256};
        let bundled = vector("single-file-module.wasm");
        let base = vector("base-module.wasm");
        let kept = KeptParts::without_prefix(&bundled, SDS_CUSTOM_SECTION_PREFIX).unwrap();
        assert_eq!(kept.len(), base.len());
        assert_eq!(kept.sha256(), <[u8; 32]>::from(Sha256::digest(&base)));
        let built = kept.concat(100);
        assert_eq!(built, base);
        assert!(built.capacity() >= base.len() + 100);
        // Every kept section, not only the first and last, is in the hash.
        let mut module = HEADER.to_vec();
        for (name, data) in [("a", &b"1"[..]), ("sds.x", b"2"), ("b", b"3"), ("c", b"4")] {
            module.extend(encode_custom_section(name, data).unwrap());
        }
        let stripped = strip_sds_sections(&module).unwrap();
        let kept = KeptParts::without_prefix(&module, "sds.").unwrap();
        assert_eq!(kept.concat(0), stripped);
        assert_eq!(kept.sha256(), <[u8; 32]>::from(Sha256::digest(&stripped)));
        assert!(KeptParts::without_prefix(&module[..4], "sds.").is_err());
    }

    #[test]
    fn sections_of_the_vector_module() {
        let bundled = vector("single-file-module.wasm");
        let sections = parse_sections(&bundled).unwrap();
        let ids: Vec<u8> = sections.iter().map(|s| s.id).collect();
        assert_eq!(ids, [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 0]);
        let last = sections.last().unwrap();
        assert_eq!((last.start, last.end), (81783, 84789));
        let custom = last.custom.as_ref().unwrap();
        assert_eq!(custom.name, "sds.bundle");
        assert_eq!(custom.data.start, 81797);
        assert_eq!(
            &bundled[custom.data.clone()],
            vector("bundle.fb").as_slice()
        );
    }

    #[test]
    fn names_decode_like_text_decoder() {
        assert_eq!(decode_text(b"\xEF\xBB\xBFsds.bundle"), "sds.bundle");
        assert_eq!(decode_text(b"a\xffb"), "a\u{fffd}b");
    }
}
