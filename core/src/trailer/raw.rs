//! Bounds-checked reading of a FlatBuffer by hand, with the structural checks of spec section 6.
//!
//! The reference validates its trailer buffers by hand before using generated accessors; this
//! module performs the same checks (same order, same wording) and is also the reader, so a
//! hostile buffer can only ever produce an `Err(String)` describing the first failed check.

/// Layout facts of one validated table.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TableMeta {
    pub table_start: usize,
    pub object_length: usize,
    pub vtable_start: usize,
    pub vtable_length: usize,
}

pub(crate) type RawResult<T> = std::result::Result<T, String>;

pub(crate) fn assert_bounds(
    buf: &[u8],
    offset: usize,
    length: usize,
    label: &str,
) -> RawResult<()> {
    match offset.checked_add(length) {
        Some(end) if end <= buf.len() => Ok(()),
        _ => Err(format!("{label} is out of bounds.")),
    }
}

pub(crate) fn read_u16(buf: &[u8], offset: usize, label: &str) -> RawResult<u16> {
    assert_bounds(buf, offset, 2, label)?;
    Ok(u16::from_le_bytes([buf[offset], buf[offset + 1]]))
}

pub(crate) fn read_u32(buf: &[u8], offset: usize, label: &str) -> RawResult<u32> {
    assert_bounds(buf, offset, 4, label)?;
    Ok(u32::from_le_bytes([
        buf[offset],
        buf[offset + 1],
        buf[offset + 2],
        buf[offset + 3],
    ]))
}

fn read_i32(buf: &[u8], offset: usize, label: &str) -> RawResult<i64> {
    Ok(i64::from(read_u32(buf, offset, label)? as i32))
}

/// Follows the relative offset stored at `offset`; the target must lie in `[0, len-4]`.
fn resolve_relative(buf: &[u8], offset: usize, label: &str) -> RawResult<usize> {
    let relative = read_i32(buf, offset, label)?;
    let target = offset as i64 + relative;
    let max = buf.len() as i64 - 4;
    if target < 0 || target > max {
        return Err(format!("{label} points outside the FlatBuffer."));
    }
    Ok(target as usize)
}

/// Checks bytes 4..8 against the 4-byte file identifier.
pub(crate) fn assert_identifier(buf: &[u8], identifier: &[u8; 4], label: &str) -> RawResult<()> {
    let text = String::from_utf8_lossy(identifier);
    assert_bounds(buf, 4, 4, &format!("{label} identifier"))?;
    if &buf[4..8] != identifier {
        return Err(format!("{label} is missing the {text} file identifier."));
    }
    Ok(())
}

/// Validates the table at `table_start` (section 6, check 3).
pub(crate) fn table(buf: &[u8], table_start: usize, label: &str) -> RawResult<TableMeta> {
    assert_bounds(buf, table_start, 4, &format!("{label} table header"))?;
    let distance = read_i32(buf, table_start, &format!("{label} vtable offset"))?;
    let vtable_start = table_start as i64 - distance;
    if vtable_start < 0 || vtable_start > buf.len() as i64 - 4 {
        return Err(format!("{label} vtable offset is invalid."));
    }
    let vtable_start = vtable_start as usize;
    let vtable_length = usize::from(read_u16(
        buf,
        vtable_start,
        &format!("{label} vtable length"),
    )?);
    let object_length = usize::from(read_u16(
        buf,
        vtable_start + 2,
        &format!("{label} object length"),
    )?);
    if vtable_length < 4 || vtable_length % 2 != 0 {
        return Err(format!("{label} vtable length is invalid."));
    }
    if object_length < 4 {
        return Err(format!("{label} object length is invalid."));
    }
    assert_bounds(buf, vtable_start, vtable_length, &format!("{label} vtable"))?;
    assert_bounds(buf, table_start, object_length, &format!("{label} object"))?;
    let mut entry = vtable_start + 4;
    while entry < vtable_start + vtable_length {
        let field = usize::from(read_u16(buf, entry, &format!("{label} field entry"))?);
        if field != 0 && (field < 4 || field >= object_length) {
            return Err(format!("{label} field offset is invalid."));
        }
        entry += 2;
    }
    Ok(TableMeta {
        table_start,
        object_length,
        vtable_start,
        vtable_length,
    })
}

/// Validates the identifier, the root offset and the root table.
pub(crate) fn root_table(buf: &[u8], identifier: &[u8; 4], label: &str) -> RawResult<TableMeta> {
    assert_identifier(buf, identifier, label)?;
    let root = read_u32(buf, 0, &format!("{label} root offset"))? as usize;
    if root < 8 || root as i64 > buf.len() as i64 - 4 {
        return Err(format!("{label} root offset is invalid."));
    }
    table(buf, root, label)
}

/// The in-object offset of the field at vtable byte offset `vt`, or 0 when absent.
fn field_offset(buf: &[u8], meta: &TableMeta, vt: usize, label: &str) -> RawResult<usize> {
    if vt + 2 > meta.vtable_length {
        return Ok(0);
    }
    Ok(usize::from(read_u16(
        buf,
        meta.vtable_start + vt,
        &format!("{label} field offset"),
    )?))
}

/// An optional string field (section 6, check 4). Invalid UTF-8 is an error.
pub(crate) fn string_field<'a>(
    buf: &'a [u8],
    meta: &TableMeta,
    vt: usize,
    label: &str,
) -> RawResult<Option<&'a str>> {
    let field = field_offset(buf, meta, vt, label)?;
    if field == 0 {
        return Ok(None);
    }
    let start = resolve_relative(buf, meta.table_start + field, label)?;
    let length = read_u32(buf, start, &format!("{label} length"))? as usize;
    assert_bounds(buf, start + 4, length, &format!("{label} data"))?;
    std::str::from_utf8(&buf[start + 4..start + 4 + length])
        .map(Some)
        .map_err(|_| format!("{label} is not valid UTF-8."))
}

/// An optional byte-vector field with length limits (section 6, check 5).
pub(crate) fn bytes_field<'a>(
    buf: &'a [u8],
    meta: &TableMeta,
    vt: usize,
    label: &str,
    min: usize,
    max: usize,
) -> RawResult<Option<&'a [u8]>> {
    let field = field_offset(buf, meta, vt, label)?;
    if field == 0 {
        return Ok(None);
    }
    let start = resolve_relative(buf, meta.table_start + field, label)?;
    let length = read_u32(buf, start, &format!("{label} length"))? as usize;
    if length < min || length > max {
        return Err(format!("{label} length is invalid."));
    }
    assert_bounds(buf, start + 4, length, &format!("{label} data"))?;
    Ok(Some(&buf[start + 4..start + 4 + length]))
}

/// A vector of tables (section 6, check 6); absent → empty.
pub(crate) fn table_vector(
    buf: &[u8],
    meta: &TableMeta,
    vt: usize,
    label: &str,
) -> RawResult<Vec<TableMeta>> {
    let field = field_offset(buf, meta, vt, label)?;
    if field == 0 {
        return Ok(Vec::new());
    }
    let start = resolve_relative(buf, meta.table_start + field, label)?;
    let length = read_u32(buf, start, &format!("{label} length"))? as usize;
    let data = start + 4;
    let bytes = length
        .checked_mul(4)
        .ok_or_else(|| format!("{label} offsets is out of bounds."))?;
    assert_bounds(buf, data, bytes, &format!("{label} offsets"))?;
    let mut tables = Vec::with_capacity(length);
    for index in 0..length {
        let element_label = format!("{label}[{index}]");
        let target = resolve_relative(buf, data + index * 4, &element_label)?;
        tables.push(table(buf, target, &element_label)?);
    }
    Ok(tables)
}

/// A table-valued (union value) field; `None` when absent.
pub(crate) fn table_field(
    buf: &[u8],
    meta: &TableMeta,
    vt: usize,
    label: &str,
) -> RawResult<Option<TableMeta>> {
    let field = field_offset(buf, meta, vt, label)?;
    if field == 0 {
        return Ok(None);
    }
    let target = resolve_relative(buf, meta.table_start + field, label)?;
    table(buf, target, label).map(Some)
}

/// A scalar field of `N` bytes, or `None` when absent (the caller applies the default).
pub(crate) fn scalar_field<const N: usize>(
    buf: &[u8],
    meta: &TableMeta,
    vt: usize,
    label: &str,
) -> RawResult<Option<[u8; N]>> {
    let field = field_offset(buf, meta, vt, label)?;
    if field == 0 {
        return Ok(None);
    }
    let at = meta.table_start + field;
    assert_bounds(buf, at, N, label)?;
    if field + N > meta.object_length {
        return Err(format!("{label} runs past its table."));
    }
    let mut out = [0u8; N];
    out.copy_from_slice(&buf[at..at + N]);
    Ok(Some(out))
}
