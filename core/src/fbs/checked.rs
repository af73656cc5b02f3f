//! Verify and read in one pass: a FlatBuffers reader that makes every check the `flatbuffers`
//! verifier makes (with the options of [`super::verify_root`]) at the moment it reads a value,
//! so a buffer is walked once instead of once to verify and once to read.
//!
//! What is checked, exactly as `flatbuffers::Verifier` checks it:
//! - every scalar, offset and vtable entry is aligned to its type (relative to the buffer
//!   start) and lies inside the buffer;
//! - a table's soffset points inside the buffer, its vtable length is even and the vtable lies
//!   inside the buffer (and, as [`super::TableReader`] requires, is at least 4 bytes long);
//! - a vector's elements lie inside the buffer; a string is UTF-8 and followed by a 0 byte;
//! - at most one million tables are visited, nesting is at most 64 deep, and the bytes visited
//!   (counted again each time a shared object is reached) stay under 2 GiB, so hostile
//!   aliasing cannot make a reader allocate without bound.
//!
//! Reading never indexes out of bounds and uses no `unsafe`: each value is read through
//! `slice::get` after its checks. Callers must read every field their schema declares, in any
//! order, for the walk to verify what the verifier would.

use std::mem::align_of;

use crate::{Error, ErrorCode};

const MAX_DEPTH: usize = 64;
const MAX_TABLES: usize = 1_000_000;
const MAX_APPARENT_SIZE: usize = 1 << 31;
/// Largest capacity reserved up front for a vector read into a `Vec`: a hostile length cannot
/// make the reader allocate before the elements are checked; longer vectors grow as they go.
const MAX_PREALLOCATED: usize = 256;

/// Why a buffer was rejected, and where. Small, so that results stay cheap to return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Malformed {
    pub what: &'static str,
    pub at: usize,
}

impl Malformed {
    fn new(what: &'static str, at: usize) -> Self {
        Malformed { what, at }
    }

    /// The crate error, phrased like [`super::verify_root`]'s.
    #[cold]
    pub fn into_error(self, code: ErrorCode, buffer: &str) -> Error {
        Error::new(
            code,
            format!(
                "{buffer} failed FlatBuffers verification: {} at position {}",
                self.what, self.at
            ),
        )
    }
}

pub type Checked<T> = std::result::Result<T, Malformed>;

/// A table whose soffset and vtable have been checked.
#[derive(Debug, Clone, Copy)]
pub struct Table {
    pos: usize,
    vtable: usize,
    vtable_len: usize,
}

/// A vector whose element range has been checked: `len` elements of `width` bytes from `start`.
#[derive(Debug, Clone, Copy)]
struct VectorRange {
    start: usize,
    len: usize,
}

/// The walk's state: the buffer and the verifier's running totals.
#[derive(Debug)]
pub struct Walker<'a> {
    bytes: &'a [u8],
    depth: usize,
    tables: usize,
    apparent_size: usize,
}

impl<'a> Walker<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Walker {
            bytes,
            depth: 0,
            tables: 0,
            apparent_size: 0,
        }
    }

    /// Reads the root table (the uoffset at byte 0) with `read`.
    pub fn root<T>(&mut self, read: impl FnOnce(&mut Self, Table) -> Checked<T>) -> Checked<T> {
        let at = self.follow(0)?;
        self.table(at, read)
    }

    /// The verifier's `range_in_buffer`: `size` bytes from `pos` lie inside the buffer, and
    /// count toward the apparent size.
    #[inline(always)]
    fn range(&mut self, pos: usize, size: usize) -> Checked<()> {
        if pos.saturating_add(size) > self.bytes.len() {
            return Err(Malformed::new("range out of bounds", pos));
        }
        self.count(size, pos)
    }

    /// `N` bytes at `pos`, aligned to `align` and inside the buffer (the verifier's `in_buffer`).
    #[inline(always)]
    fn array<const N: usize>(&mut self, pos: usize, align: usize) -> Checked<[u8; N]> {
        if !pos.is_multiple_of(align) {
            return Err(Malformed::new("unaligned value", pos));
        }
        let Some(bytes) = self.bytes.get(pos..).and_then(<[u8]>::first_chunk::<N>) else {
            return Err(Malformed::new("range out of bounds", pos));
        };
        self.count(N, pos)?;
        Ok(*bytes)
    }

    /// Adds `size` bytes to the apparent size.
    #[inline(always)]
    fn count(&mut self, size: usize, pos: usize) -> Checked<()> {
        self.apparent_size = self.apparent_size.saturating_add(size);
        if self.apparent_size > MAX_APPARENT_SIZE {
            return Err(Malformed::new("apparent size too large", pos));
        }
        Ok(())
    }

    #[inline(always)]
    fn read_u16(&mut self, pos: usize) -> Checked<u16> {
        self.array::<2>(pos, align_of::<u16>())
            .map(u16::from_le_bytes)
    }

    #[inline(always)]
    fn read_u32(&mut self, pos: usize) -> Checked<u32> {
        self.array::<4>(pos, align_of::<u32>())
            .map(u32::from_le_bytes)
    }

    /// The position a uoffset at `at` points to.
    #[inline(always)]
    fn follow(&mut self, at: usize) -> Checked<usize> {
        let offset = self.read_u32(at)? as usize;
        Ok(at.saturating_add(offset))
    }

    /// Checks the table at `pos` and reads it with `read` (the verifier's `visit_table` and
    /// `finish` around the field visits).
    pub fn table<T>(
        &mut self,
        pos: usize,
        read: impl FnOnce(&mut Self, Table) -> Checked<T>,
    ) -> Checked<T> {
        let soffset = i32::from_le_bytes(self.array::<4>(pos, align_of::<i32>())?);
        let distance = soffset.unsigned_abs() as usize;
        let vtable = if soffset > 0 {
            pos.checked_sub(distance)
        } else {
            pos.checked_add(distance)
        }
        .filter(|&vtable| vtable < self.bytes.len())
        .ok_or(Malformed::new("soffset points out of bounds", pos))?;
        let vtable_len = usize::from(self.read_u16(vtable)?);
        if !vtable
            .saturating_add(vtable_len)
            .is_multiple_of(align_of::<u16>())
        {
            return Err(Malformed::new("unaligned vtable end", vtable));
        }
        self.range(vtable, vtable_len)?;
        self.tables += 1;
        if self.tables > MAX_TABLES {
            return Err(Malformed::new("too many tables", pos));
        }
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Malformed::new("nested table depth limit reached", pos));
        }
        if vtable_len < 4 {
            return Err(Malformed::new("vtable shorter than 4 bytes", vtable));
        }
        let value = read(
            self,
            Table {
                pos,
                vtable,
                vtable_len,
            },
        )?;
        self.depth -= 1;
        Ok(value)
    }

    /// Absolute position of field `field` (a vtable byte offset, see [`super::slot`]), `None`
    /// when it is not stored.
    #[inline(always)]
    fn field(&mut self, table: Table, field: u16) -> Checked<Option<usize>> {
        let field = usize::from(field);
        if field >= table.vtable_len {
            return Ok(None);
        }
        // Aligned and inside the buffer: `table` checked that the vtable starts at an even
        // position and lies inside the buffer, and field offsets are even and below its length.
        let entry = self.read_u16(table.vtable + field)?;
        Ok((entry != 0).then(|| table.pos.saturating_add(usize::from(entry))))
    }

    /// Where a reference field points, `None` when it is not stored.
    #[inline(always)]
    fn referenced(&mut self, table: Table, field: u16) -> Checked<Option<usize>> {
        match self.field(table, field)? {
            Some(at) => self.follow(at).map(Some),
            None => Ok(None),
        }
    }

    pub fn u8(&mut self, table: Table, field: u16) -> Checked<Option<u8>> {
        match self.field(table, field)? {
            Some(at) => self.array::<1>(at, 1).map(|b| Some(b[0])),
            None => Ok(None),
        }
    }

    pub fn u16(&mut self, table: Table, field: u16) -> Checked<Option<u16>> {
        match self.field(table, field)? {
            Some(at) => self.read_u16(at).map(Some),
            None => Ok(None),
        }
    }

    pub fn u32(&mut self, table: Table, field: u16) -> Checked<Option<u32>> {
        match self.field(table, field)? {
            Some(at) => self.read_u32(at).map(Some),
            None => Ok(None),
        }
    }

    pub fn u64(&mut self, table: Table, field: u16) -> Checked<Option<u64>> {
        match self.field(table, field)? {
            Some(at) => self
                .array::<8>(at, align_of::<u64>())
                .map(|b| Some(u64::from_le_bytes(b))),
            None => Ok(None),
        }
    }

    /// A bool field (any non-zero byte is true, as in every FlatBuffers runtime).
    pub fn bool(&mut self, table: Table, field: u16, default: bool) -> Checked<bool> {
        Ok(self.u8(table, field)?.map_or(default, |b| b != 0))
    }

    /// The checked element range of the vector at `at` (the verifier's `verify_vector_range`).
    #[inline]
    fn vector(&mut self, at: usize, width: usize, align: usize) -> Checked<VectorRange> {
        let len = self.read_u32(at)? as usize;
        let start = at.saturating_add(4);
        if !start.is_multiple_of(align) {
            return Err(Malformed::new("unaligned vector", start));
        }
        self.range(start, len.saturating_mul(width))?;
        Ok(VectorRange { start, len })
    }

    /// The bytes of the `[ubyte]` vector at `at`.
    #[inline]
    fn byte_vector_at(&mut self, at: usize) -> Checked<&'a [u8]> {
        let range = self.vector(at, 1, 1)?;
        range
            .start
            .checked_add(range.len)
            .and_then(|end| self.bytes.get(range.start..end))
            .ok_or(Malformed::new("range out of bounds", range.start))
    }

    /// The string at `at`: UTF-8, followed by a 0 byte inside the buffer.
    #[inline]
    fn str_at(&mut self, at: usize) -> Checked<&'a str> {
        let body = self.byte_vector_at(at)?;
        let end = at + 4 + body.len();
        let text =
            std::str::from_utf8(body).map_err(|_| Malformed::new("string is not UTF-8", at))?;
        if self.bytes.get(end) != Some(&0) {
            return Err(Malformed::new("string is missing its null terminator", at));
        }
        Ok(text)
    }

    /// A string field, `None` when absent.
    #[inline]
    pub fn str(&mut self, table: Table, field: u16) -> Checked<Option<&'a str>> {
        match self.referenced(table, field)? {
            Some(at) => self.str_at(at).map(Some),
            None => Ok(None),
        }
    }

    /// A string field the schema marks required.
    pub fn required_str(&mut self, table: Table, field: u16) -> Checked<&'a str> {
        self.str(table, field)?
            .ok_or(Malformed::new("required field is missing", table.pos))
    }

    /// A `[ubyte]` field; absent reads as empty.
    pub fn bytes(&mut self, table: Table, field: u16) -> Checked<&'a [u8]> {
        match self.referenced(table, field)? {
            Some(at) => self.byte_vector_at(at),
            None => Ok(&[]),
        }
    }

    /// A vector of offsets: calls `each` with the position every element points to, in order.
    fn offsets<T>(
        &mut self,
        table: Table,
        field: u16,
        mut each: impl FnMut(&mut Self, usize) -> Checked<T>,
    ) -> Checked<Vec<T>> {
        let Some(at) = self.referenced(table, field)? else {
            return Ok(Vec::new());
        };
        let range = self.vector(at, 4, align_of::<u32>())?;
        let mut out = Vec::with_capacity(range.len.min(MAX_PREALLOCATED));
        for index in 0..range.len {
            // In range: `vector` checked `start + 4 * len` against the buffer length.
            let element = self.follow(range.start + 4 * index)?;
            out.push(each(self, element)?);
        }
        Ok(out)
    }

    /// A vector of tables, each read with `read`; absent reads as empty.
    pub fn tables<T>(
        &mut self,
        table: Table,
        field: u16,
        mut read: impl FnMut(&mut Self, Table) -> Checked<T>,
    ) -> Checked<Vec<T>> {
        self.offsets(table, field, |walker, at| walker.table(at, &mut read))
    }

    /// A vector of strings; absent reads as empty.
    pub fn strings<S: From<&'a str>>(&mut self, table: Table, field: u16) -> Checked<Vec<S>> {
        self.offsets(table, field, |walker, at| walker.str_at(at).map(S::from))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root_u8(bytes: &[u8]) -> Checked<Option<u8>> {
        Walker::new(bytes).root(|w, t| w.u8(t, 4))
    }

    #[test]
    fn hostile_offsets_are_errors_not_panics() {
        assert!(root_u8(&[]).is_err());
        assert!(root_u8(&[0xff, 0xff, 0xff, 0xff]).is_err());
        // Root at 4 whose soffset points past the end.
        assert!(root_u8(&[4, 0, 0, 0, 0x10, 0, 0, 0]).is_err());
        // Root at 4, soffset -4 -> vtable at 8 with length 0xffff.
        assert!(root_u8(&[4, 0, 0, 0, 0xfc, 0xff, 0xff, 0xff, 0xff, 0xff]).is_err());
        // Root at 2: unaligned.
        assert!(root_u8(&[2, 0, 0, 0, 0, 0, 0, 0, 0, 0]).is_err());
    }

    #[test]
    fn reads_a_small_table_and_rejects_short_vtables() {
        // vtable at 4: len 6, table size 8, field 0 at +4; table at 12: soffset 8, u8 7.
        let good = [12, 0, 0, 0, 6, 0, 8, 0, 4, 0, 0, 0, 8, 0, 0, 0, 7, 0, 0, 0];
        assert_eq!(root_u8(&good), Ok(Some(7)));
        let mut short = good;
        short[4] = 2;
        assert_eq!(
            root_u8(&short).unwrap_err().what,
            "vtable shorter than 4 bytes"
        );
        let mut odd = good;
        odd[4] = 5;
        assert!(root_u8(&odd).is_err());
    }
}
