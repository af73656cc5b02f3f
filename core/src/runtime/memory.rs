//! Bounds-checked access to a guest's linear memory: every guest-supplied pointer and length
//! is checked against the memory's current size before any byte is touched.

use wasmtime::{AsContext, AsContextMut, Memory};

use crate::{Error, ErrorCode, Result};

/// `[ptr, ptr + len)` as a range, if it lies inside `size` bytes.
fn range(ptr: u32, len: usize, size: usize) -> Option<std::ops::Range<usize>> {
    let start = usize::try_from(ptr).ok()?;
    let end = start.checked_add(len)?;
    (end <= size).then_some(start..end)
}

fn out_of_bounds(what: &str, ptr: u32, len: usize, size: usize) -> Error {
    Error::new(
        ErrorCode::RuntimeOutOfBounds,
        format!("{what}: range {ptr:#x}+{len} lies outside guest memory of {size} bytes"),
    )
}

/// The `len` bytes at `ptr` in guest memory, borrowed (valid until the guest runs again).
pub(crate) fn view<'a, T: 'static>(
    store: impl Into<wasmtime::StoreContext<'a, T>>,
    memory: &Memory,
    ptr: u32,
    len: usize,
    what: &str,
) -> Result<&'a [u8]> {
    let data = memory.data(store);
    range(ptr, len, data.len())
        .and_then(|r| data.get(r))
        .ok_or_else(|| out_of_bounds(what, ptr, len, data.len()))
}

/// Copies `len` bytes at `ptr` out of guest memory.
pub(crate) fn read(
    store: impl AsContext,
    memory: &Memory,
    ptr: u32,
    len: usize,
    what: &str,
) -> Result<Vec<u8>> {
    view(store.as_context(), memory, ptr, len, what).map(<[u8]>::to_vec)
}

/// Reads a little-endian u32 at `ptr`.
pub(crate) fn read_u32(
    store: impl AsContext,
    memory: &Memory,
    ptr: u32,
    what: &str,
) -> Result<u32> {
    let bytes = view(store.as_context(), memory, ptr, 4, what)?;
    let array: [u8; 4] = bytes
        .try_into()
        .map_err(|_| Error::new(ErrorCode::Internal, "4-byte read"))?;
    Ok(u32::from_le_bytes(array))
}

/// Copies `bytes` into guest memory at `ptr`.
pub(crate) fn write(
    mut store: impl AsContextMut,
    memory: &Memory,
    ptr: u32,
    bytes: &[u8],
    what: &str,
) -> Result<()> {
    let data = memory.data_mut(&mut store);
    let size = data.len();
    let target = range(ptr, bytes.len(), size)
        .and_then(|r| data.get_mut(r))
        .ok_or_else(|| out_of_bounds(what, ptr, bytes.len(), size))?;
    target.copy_from_slice(bytes);
    Ok(())
}
