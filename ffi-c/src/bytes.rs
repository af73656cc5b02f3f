//! Bytes across the boundary: borrowed inputs (pointer + length) and owned outputs
//! (`sdm_bytes`, released with `sdm_bytes_free`).

use space_data_module::{Error, ErrorCode, Result};

use crate::boundary::invalid_argument;

/// Largest input buffer accepted by any function: 1 GiB. Larger lengths are treated as a
/// caller bug (`invalid-argument`); the core applies its own, smaller caps after this.
pub(crate) const MAX_INPUT_BYTES: usize = 1 << 30;

/// An owned byte buffer returned by the library. Release it with `sdm_bytes_free`; an empty
/// result is `{NULL, 0}`.
#[repr(C)]
#[allow(non_camel_case_types)]
#[derive(Debug)]
pub struct sdm_bytes {
    pub ptr: *mut u8,
    pub len: usize,
}

impl sdm_bytes {
    pub(crate) fn from_vec(bytes: Vec<u8>) -> sdm_bytes {
        if bytes.is_empty() {
            return sdm_bytes {
                ptr: std::ptr::null_mut(),
                len: 0,
            };
        }
        let boxed = bytes.into_boxed_slice();
        let len = boxed.len();
        sdm_bytes {
            ptr: Box::into_raw(boxed).cast::<u8>(),
            len,
        }
    }
}

/// Releases a buffer returned by the library and resets it to `{NULL, 0}`. Accepts NULL and
/// an already-empty buffer; calling it twice on the same `sdm_bytes` is harmless.
///
/// # Safety
/// `bytes` is NULL or points to an `sdm_bytes` filled by this library and not modified since.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sdm_bytes_free(bytes: *mut sdm_bytes) {
    // SAFETY: the caller passes NULL or a valid pointer to an `sdm_bytes` (contract above).
    let Some(bytes) = (unsafe { bytes.as_mut() }) else {
        return;
    };
    if !bytes.ptr.is_null() && bytes.len != 0 {
        let slice = std::ptr::slice_from_raw_parts_mut(bytes.ptr, bytes.len);
        // SAFETY: ptr/len come from `Box::<[u8]>::into_raw` in `sdm_bytes::from_vec`.
        drop(unsafe { Box::from_raw(slice) });
    }
    bytes.ptr = std::ptr::null_mut();
    bytes.len = 0;
}

/// A required, non-empty input buffer.
///
/// # Safety
/// `ptr` is NULL or valid for reads of `len` bytes for the lifetime `'a`.
pub(crate) unsafe fn input<'a>(ptr: *const u8, len: usize, what: &str) -> Result<&'a [u8]> {
    if ptr.is_null() {
        return Err(invalid_argument(format!("{what} is NULL")));
    }
    if len == 0 {
        return Err(invalid_argument(format!("{what} is empty")));
    }
    if len > MAX_INPUT_BYTES {
        return Err(invalid_argument(format!(
            "{what} length {len} is above the {MAX_INPUT_BYTES}-byte cap"
        )));
    }
    // SAFETY: non-NULL, and the caller guarantees `len` readable bytes.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// An optional input buffer: NULL with length 0 is "absent"; NULL with a length is an error.
///
/// # Safety
/// As [`input`].
pub(crate) unsafe fn optional_input<'a>(
    ptr: *const u8,
    len: usize,
    what: &str,
) -> Result<Option<&'a [u8]>> {
    if ptr.is_null() && len == 0 {
        return Ok(None);
    }
    // SAFETY: forwarded contract.
    unsafe { input(ptr, len, what) }.map(Some)
}

/// A required input that must be UTF-8 text (JSON).
///
/// # Safety
/// As [`input`].
pub(crate) unsafe fn utf8_input<'a>(ptr: *const u8, len: usize, what: &str) -> Result<&'a str> {
    // SAFETY: forwarded contract.
    let bytes = unsafe { input(ptr, len, what) }?;
    std::str::from_utf8(bytes)
        .map_err(|err| invalid_argument(format!("{what} is not UTF-8: {err}")))
}

/// Required key material of exactly `N` bytes, borrowed (no copy of a secret is left behind).
/// A missing key (NULL, length 0, length above the input cap) is `invalid-argument`, like any
/// missing input; key bytes of another length are `key-invalid` (616), the code the core
/// gives any malformed key, so that every front end answers a short key the same way.
///
/// # Safety
/// `ptr` is NULL or valid for reads of `len` bytes for the lifetime `'a`.
pub(crate) unsafe fn key_input<'a, const N: usize>(
    ptr: *const u8,
    len: usize,
    what: &str,
) -> Result<&'a [u8; N]> {
    // SAFETY: forwarded contract.
    let bytes = unsafe { input(ptr, len, what) }?;
    bytes.try_into().map_err(|_| {
        Error::new(
            ErrorCode::KeyInvalid,
            format!("{what} must be {N} bytes, got {len}"),
        )
    })
}

/// Optional key material: NULL with length 0 is "absent"; otherwise as [`key_input`].
///
/// # Safety
/// As [`key_input`].
pub(crate) unsafe fn optional_key_input<'a, const N: usize>(
    ptr: *const u8,
    len: usize,
    what: &str,
) -> Result<Option<&'a [u8; N]>> {
    if ptr.is_null() && len == 0 {
        return Ok(None);
    }
    // SAFETY: forwarded contract.
    unsafe { key_input::<N>(ptr, len, what) }.map(Some)
}

/// A caller's fixed-size output buffer (pointer, capacity) that must hold `needed` bytes: NULL
/// or a smaller capacity is `invalid-argument`. Checked before any work is done.
pub(crate) fn require_out_buffer(
    ptr: *mut u8,
    capacity: usize,
    needed: usize,
    what: &str,
) -> Result<()> {
    require_out(ptr, what)?;
    if capacity < needed {
        return Err(invalid_argument(format!(
            "{what} has room for {capacity} bytes, {needed} are needed"
        )));
    }
    Ok(())
}

/// Copies `bytes` into an output buffer checked by [`require_out_buffer`].
///
/// # Safety
/// `out` was checked by [`require_out_buffer`] for at least `bytes.len()` bytes and is valid
/// for writes of its capacity.
pub(crate) unsafe fn write_out_buffer(out: *mut u8, bytes: &[u8]) {
    // SAFETY: contract above; a caller's buffer never overlaps a library-owned value.
    unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), out, bytes.len()) };
}

/// Checks that every out-param is non-NULL before any work is done.
pub(crate) fn require_out<T>(out: *mut T, what: &str) -> Result<()> {
    if out.is_null() {
        return Err(invalid_argument(format!("{what} is NULL")));
    }
    Ok(())
}

/// Writes a result to a checked (non-NULL) out-param.
///
/// # Safety
/// `out` is non-NULL (checked by [`require_out`]) and valid for writes.
pub(crate) unsafe fn write_out<T>(out: *mut T, value: T) {
    // SAFETY: contract above; `write` does not drop the (possibly uninitialized) old value.
    unsafe { out.write(value) };
}

/// Serializes a JSON result to UTF-8 bytes.
pub(crate) fn json_bytes(value: &serde_json::Value) -> Result<Vec<u8>> {
    serde_json::to_vec(value).map_err(|err| {
        Error::new(
            ErrorCode::Internal,
            format!("JSON serialization failed: {err}"),
        )
    })
}

/// Any serde value as compact JSON bytes.
pub(crate) fn to_json_bytes(value: &impl serde::Serialize) -> Result<Vec<u8>> {
    serde_json::to_vec(value).map_err(|err| {
        space_data_module::Error::new(
            space_data_module::ErrorCode::Internal,
            format!("cannot render JSON: {err}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The length is checked before a slice is made: at the cap (a 1 GiB buffer the allocator
    /// maps lazily, never read) the input is accepted; one byte more is `invalid-argument`.
    #[test]
    fn input_lengths_at_and_over_the_cap() {
        let buffer = vec![0u8; MAX_INPUT_BYTES];
        // SAFETY: `buffer` holds MAX_INPUT_BYTES readable bytes; the longer length is refused
        // before any slice is made.
        unsafe {
            assert_eq!(
                input(buffer.as_ptr(), MAX_INPUT_BYTES, "input")
                    .unwrap()
                    .len(),
                MAX_INPUT_BYTES
            );
            assert_eq!(
                input(buffer.as_ptr(), MAX_INPUT_BYTES + 1, "input")
                    .unwrap_err()
                    .code(),
                ErrorCode::InvalidArgument
            );
        }
    }
}
