//! The 8-byte footer (`u32le(N) ‖ "$REC"`) and locating the collection from the end (spec 3).

use super::decode::decode_collection;
use super::records::RecordCollection;
use crate::{Error, ErrorCode, Result};

/// Footer length in bytes.
pub const FOOTER_LENGTH: usize = 8;
/// The footer magic, the last four bytes of a protected file.
pub const FOOTER_MAGIC: &[u8; 4] = b"$REC";

/// `payload ‖ collection ‖ u32le(len(collection)) ‖ "$REC"` (spec 5.4). Never checks whether the
/// payload already carries a trailer.
pub fn append_collection(payload: &[u8], collection: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(payload.len() + collection.len() + FOOTER_LENGTH);
    out.extend_from_slice(payload);
    append_collection_to(out, collection)
}

/// [`append_collection`] onto a payload the caller owns: the trailer is added in place, so a
/// large payload is not copied.
pub fn append_collection_to(mut payload: Vec<u8>, collection: &[u8]) -> Result<Vec<u8>> {
    let length = u32::try_from(collection.len()).map_err(|_| {
        Error::new(
            ErrorCode::InputTooLarge,
            "REC trailer length must fit in uint32.",
        )
    })?;
    payload.reserve_exact(collection.len() + FOOTER_LENGTH);
    payload.extend_from_slice(collection);
    payload.extend_from_slice(&length.to_le_bytes());
    payload.extend_from_slice(FOOTER_MAGIC);
    Ok(payload)
}

/// Where the parts of a trailed file lie (no decoding done).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FooterSplit {
    /// Length of the payload, which is also the collection's offset.
    pub payload_length: usize,
    /// `N`, the collection length from the footer.
    pub collection_length: usize,
}

/// Reads the footer strictly (loader step 1): `Ok(None)` when the file does not end in a
/// `$REC` footer; `trailer-invalid` when it does but `N` is 0 or larger than `len-8`.
pub fn split_footer(bytes: &[u8]) -> Result<Option<FooterSplit>> {
    let Some(footer_at) = bytes.len().checked_sub(FOOTER_LENGTH) else {
        return Ok(None);
    };
    let mut footer = [0u8; FOOTER_LENGTH];
    footer.copy_from_slice(&bytes[footer_at..]);
    split_footer_tail(bytes.len() as u64, &footer)
}

/// [`split_footer`] of a file of `file_length` bytes whose last 8 bytes are `footer` (what a
/// loader reading from a file has before it reads anything else).
pub fn split_footer_tail(
    file_length: u64,
    footer: &[u8; FOOTER_LENGTH],
) -> Result<Option<FooterSplit>> {
    let Some(footer_at) = file_length.checked_sub(FOOTER_LENGTH as u64) else {
        return Ok(None);
    };
    if &footer[4..] != FOOTER_MAGIC {
        return Ok(None);
    }
    let collection_length = u32::from_le_bytes([footer[0], footer[1], footer[2], footer[3]]);
    let out_of_range = || {
        Error::new(
            ErrorCode::TrailerInvalid,
            format!(
                "REC footer length {collection_length} is out of range for a {file_length}-byte file."
            ),
        )
    };
    if collection_length == 0 || u64::from(collection_length) > footer_at {
        return Err(out_of_range());
    }
    let payload_length =
        usize::try_from(footer_at - u64::from(collection_length)).map_err(|_| out_of_range())?;
    Ok(Some(FooterSplit {
        payload_length,
        collection_length: collection_length as usize,
    }))
}

/// A trailer found by lenient detection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetectedTrailer {
    /// Length of the bytes before the collection (the wasm, or the ciphertext when encrypted).
    pub wasm_length: usize,
    /// `N`, the collection length.
    pub record_collection_length: usize,
    /// The decoded and validated collection.
    pub collection: RecordCollection,
}

/// Lenient detection as the reference's `extractPublicationRecordCollection` (spec 3.2, bundle
/// spec section 9): `None` unless the file ends in a footer whose collection decodes and
/// validates. For the bundle module's pre-step; the loader uses the strict path instead.
pub fn detect_trailer(bytes: &[u8]) -> Option<DetectedTrailer> {
    let footer_at = bytes.len().checked_sub(FOOTER_LENGTH)?;
    if &bytes[footer_at + 4..] != FOOTER_MAGIC {
        return None;
    }
    let mut length = [0u8; 4];
    length.copy_from_slice(&bytes[footer_at..footer_at + 4]);
    let collection_length = u32::from_le_bytes(length) as usize;
    let start = footer_at.checked_sub(collection_length)?;
    let collection = decode_collection(&bytes[start..footer_at]).ok()?;
    Some(DetectedTrailer {
        wasm_length: start,
        record_collection_length: collection_length,
        collection,
    })
}

/// The reference's `stripPublicationRecordCollection`: the bytes before a valid trailer, else
/// the input unchanged.
pub fn strip_trailer(bytes: &[u8]) -> &[u8] {
    match detect_trailer(bytes) {
        Some(found) => &bytes[..found.wasm_length],
        None => bytes,
    }
}
