//! A small, safe FlatBuffers table reader.
//!
//! Buffers are verified before they are read (see [`super::verify_root`]), but this reader
//! still checks every offset and length itself: reading never indexes out of bounds and never
//! needs `unsafe`. Each reader carries the error code its module reports for malformed input.

use crate::{Error, ErrorCode, Result};

/// One table inside a buffer.
#[derive(Debug, Clone, Copy)]
pub struct TableReader<'a> {
    bytes: &'a [u8],
    position: usize,
    vtable: usize,
    vtable_len: usize,
    code: ErrorCode,
}

impl<'a> TableReader<'a> {
    /// The root table (the uoffset at byte 0).
    pub fn root(bytes: &'a [u8], code: ErrorCode) -> Result<Self> {
        let offset = read_u32(bytes, 0, code)? as usize;
        Self::at(bytes, offset, code)
    }

    /// The table whose first byte (its soffset to the vtable) is at `position`.
    pub fn at(bytes: &'a [u8], position: usize, code: ErrorCode) -> Result<Self> {
        let soffset = i64::from(read_u32(bytes, position, code)? as i32);
        let vtable = i64::try_from(position)
            .ok()
            .and_then(|p| p.checked_sub(soffset))
            .and_then(|v| usize::try_from(v).ok());
        let vtable = vtable.ok_or_else(|| malformed(code, "vtable offset out of range"))?;
        let vtable_len = usize::from(read_u16(bytes, vtable, code)?);
        if vtable_len < 4
            || vtable
                .checked_add(vtable_len)
                .is_none_or(|end| end > bytes.len())
        {
            return Err(malformed(code, "vtable out of range"));
        }
        Ok(TableReader {
            bytes,
            position,
            vtable,
            vtable_len,
            code,
        })
    }

    /// Absolute position of field `field` (a vtable byte offset, see [`super::slot`]), or
    /// `None` when the field is not stored.
    fn field_position(&self, field: u16) -> Result<Option<usize>> {
        let field = usize::from(field);
        if field + 2 > self.vtable_len {
            return Ok(None);
        }
        let entry = usize::from(read_u16(self.bytes, self.vtable + field, self.code)?);
        if entry == 0 {
            return Ok(None);
        }
        self.position
            .checked_add(entry)
            .map(Some)
            .ok_or_else(|| malformed(self.code, "field offset out of range"))
    }

    /// Position of the object a reference field points to.
    fn referenced(&self, field: u16) -> Result<Option<usize>> {
        let Some(at) = self.field_position(field)? else {
            return Ok(None);
        };
        let offset = read_u32(self.bytes, at, self.code)? as usize;
        at.checked_add(offset)
            .map(Some)
            .ok_or_else(|| malformed(self.code, "reference out of range"))
    }

    pub fn u8(&self, field: u16) -> Result<Option<u8>> {
        self.field_position(field)?
            .map(|at| read_array::<1>(self.bytes, at, self.code).map(|b| b[0]))
            .transpose()
    }

    pub fn u16(&self, field: u16) -> Result<Option<u16>> {
        self.field_position(field)?
            .map(|at| read_u16(self.bytes, at, self.code))
            .transpose()
    }

    pub fn u32(&self, field: u16) -> Result<Option<u32>> {
        self.field_position(field)?
            .map(|at| read_u32(self.bytes, at, self.code))
            .transpose()
    }

    pub fn u64(&self, field: u16) -> Result<Option<u64>> {
        self.field_position(field)?
            .map(|at| read_array::<8>(self.bytes, at, self.code).map(u64::from_le_bytes))
            .transpose()
    }

    /// A bool field (any non-zero byte is true, as in every FlatBuffers runtime).
    pub fn bool(&self, field: u16, default: bool) -> Result<bool> {
        Ok(self.u8(field)?.map_or(default, |b| b != 0))
    }

    /// A string field, `None` when absent.
    pub fn string(&self, field: u16) -> Result<Option<String>> {
        self.referenced(field)?
            .map(|at| self.string_at(at))
            .transpose()
    }

    fn string_at(&self, at: usize) -> Result<String> {
        let bytes = self.vector_bytes(at, 1)?;
        std::str::from_utf8(bytes)
            .map(str::to_owned)
            .map_err(|_| malformed(self.code, "string is not UTF-8"))
    }

    /// The element bytes of the vector at `at` whose elements are `width` bytes wide.
    fn vector_bytes(&self, at: usize, width: usize) -> Result<&'a [u8]> {
        let len = read_u32(self.bytes, at, self.code)? as usize;
        let start = at
            .checked_add(4)
            .ok_or_else(|| malformed(self.code, "vector out of range"))?;
        let end = len
            .checked_mul(width)
            .and_then(|size| start.checked_add(size));
        end.and_then(|end| self.bytes.get(start..end))
            .ok_or_else(|| malformed(self.code, "vector out of range"))
    }

    /// A `[ubyte]` field; absent reads as empty.
    pub fn byte_vector(&self, field: u16) -> Result<Vec<u8>> {
        Ok(match self.referenced(field)? {
            Some(at) => self.vector_bytes(at, 1)?.to_vec(),
            None => Vec::new(),
        })
    }

    /// Positions of the objects referenced by a vector of offsets; absent reads as empty.
    fn offset_vector(&self, field: u16) -> Result<Vec<usize>> {
        let Some(at) = self.referenced(field)? else {
            return Ok(Vec::new());
        };
        let start = at + 4;
        let words = self.vector_bytes(at, 4)?;
        words
            .chunks_exact(4)
            .enumerate()
            .map(|(index, word)| {
                let offset = u32::from_le_bytes([word[0], word[1], word[2], word[3]]) as usize;
                (start + 4 * index)
                    .checked_add(offset)
                    .ok_or_else(|| malformed(self.code, "vector element out of range"))
            })
            .collect()
    }

    /// A vector of tables; absent reads as empty.
    pub fn tables(&self, field: u16) -> Result<Vec<TableReader<'a>>> {
        self.offset_vector(field)?
            .into_iter()
            .map(|at| TableReader::at(self.bytes, at, self.code))
            .collect()
    }

    /// A sub-table, `None` when absent.
    pub fn table(&self, field: u16) -> Result<Option<TableReader<'a>>> {
        self.referenced(field)?
            .map(|at| TableReader::at(self.bytes, at, self.code))
            .transpose()
    }

    /// A vector of strings; absent reads as empty.
    pub fn strings(&self, field: u16) -> Result<Vec<String>> {
        self.offset_vector(field)?
            .into_iter()
            .map(|at| self.string_at(at))
            .collect()
    }
}

fn malformed(code: ErrorCode, what: &str) -> Error {
    Error::new(code, format!("malformed FlatBuffer: {what}"))
}

fn read_array<const N: usize>(bytes: &[u8], at: usize, code: ErrorCode) -> Result<[u8; N]> {
    at.checked_add(N)
        .and_then(|end| bytes.get(at..end))
        .and_then(|slice| <[u8; N]>::try_from(slice).ok())
        .ok_or_else(|| malformed(code, "read past the end of the buffer"))
}

fn read_u16(bytes: &[u8], at: usize, code: ErrorCode) -> Result<u16> {
    read_array::<2>(bytes, at, code).map(u16::from_le_bytes)
}

fn read_u32(bytes: &[u8], at: usize, code: ErrorCode) -> Result<u32> {
    read_array::<4>(bytes, at, code).map(u32::from_le_bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_offsets_are_errors_not_panics() {
        let code = ErrorCode::ManifestMalformed;
        assert!(TableReader::root(&[], code).is_err());
        assert!(TableReader::root(&[0xff, 0xff, 0xff, 0xff], code).is_err());
        // Root points at offset 4 whose soffset points before the buffer start.
        assert!(TableReader::root(&[4, 0, 0, 0, 0x10, 0, 0, 0], code).is_err());
        // Root at 4, soffset -4 -> vtable at 8 with length 0xffff.
        assert!(
            TableReader::root(&[4, 0, 0, 0, 0xfc, 0xff, 0xff, 0xff, 0xff, 0xff], code).is_err()
        );
    }
}
