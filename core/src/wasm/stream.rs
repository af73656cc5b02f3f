//! Splitting a wasm byte stream into its header and sections as it arrives, in chunks of any
//! size, without holding more than one section head (id, size and a custom section's name).
//!
//! Consumers ([`super::stream_validate`], the loader's canonical hash and bundle capture) see
//! the same [`Piece`]s, so a stream is walked once whatever reads it.

use crate::{Error, ErrorCode, Result};

/// The 8-byte header of a version-1 wasm module.
pub const WASM_HEADER: [u8; 8] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
/// Longest custom-section name a stream accepts (names are a few bytes in practice).
pub const MAX_STREAM_NAME_BYTES: usize = 64 << 10;

/// One event of the walk, in stream order.
#[derive(Debug)]
pub enum Piece<'a> {
    /// The 8 header bytes (checked to be the version-1 module header).
    Header(&'a [u8]),
    /// A section starts.
    Start(SectionStart<'a>),
    /// Bytes of the current section after its head.
    Body(&'a [u8]),
    /// The current section ended.
    End,
}

/// What is known when a section starts.
#[derive(Debug)]
pub struct SectionStart<'a> {
    pub id: u8,
    /// Offset of the id byte in the stream.
    pub offset: u64,
    /// The payload size the section declares (for a custom section, name included).
    pub size: u32,
    /// The head as it was in the stream: id, size, and for a custom section the name's
    /// length and bytes.
    pub raw_head: &'a [u8],
    /// A custom section's name bytes.
    pub name: Option<&'a [u8]>,
    /// Bytes that follow the head: `size` less the name part.
    pub body_len: u64,
}

enum State {
    Header,
    Head,
    Body { remaining: u64 },
}

/// The walker; feed it with [`SectionSplitter::push`], end it with [`SectionSplitter::finish`].
pub struct SectionSplitter {
    state: State,
    /// Header or section head bytes gathered so far.
    head: Vec<u8>,
    /// Stream offset of the first byte of `head` (or of the next byte, in a body).
    offset: u64,
    /// After a malformed section head: the bytes from that head on that were given.
    unread: Vec<u8>,
}

impl Default for SectionSplitter {
    fn default() -> Self {
        Self::new()
    }
}

fn invalid(detail: impl Into<String>) -> Error {
    Error::new(ErrorCode::WasmInvalid, detail)
}

/// A LEB128 `u32` at the start of `bytes`: `Ok(None)` when more bytes are needed.
pub(crate) fn leb_u32(bytes: &[u8]) -> Result<Option<(u32, usize)>> {
    let mut value: u32 = 0;
    for (index, &byte) in bytes.iter().enumerate().take(5) {
        let bits = u32::from(byte & 0x7f);
        if index == 4 && bits > 0x0f {
            return Err(invalid("invalid var_u32: integer too large"));
        }
        value |= bits << (7 * index);
        if byte & 0x80 == 0 {
            return Ok(Some((value, index + 1)));
        }
    }
    if bytes.len() >= 5 {
        return Err(invalid("invalid var_u32: integer representation too long"));
    }
    Ok(None)
}

/// A complete section head at the start of `head`.
struct Head {
    size: u32,
    len: usize,
    name: Option<(usize, usize)>,
    body_len: u64,
}

fn parse_head(head: &[u8]) -> Result<Option<Head>> {
    let Some(&id) = head.first() else {
        return Ok(None);
    };
    if id & 0x80 != 0 {
        return Err(invalid("malformed section id"));
    }
    let Some((size, size_len)) = leb_u32(&head[1..])? else {
        return Ok(None);
    };
    let after_size = 1 + size_len;
    if id != 0 {
        return Ok(Some(Head {
            size,
            len: after_size,
            name: None,
            body_len: u64::from(size),
        }));
    }
    let name_part = &head[after_size..];
    let Some((name_len, name_len_len)) = leb_u32(name_part)? else {
        return if name_part.len() >= size as usize {
            Err(invalid("unexpected end-of-file in a custom section name"))
        } else {
            Ok(None)
        };
    };
    let name_len = name_len as usize;
    if name_len > MAX_STREAM_NAME_BYTES {
        return Err(Error::new(
            ErrorCode::InputTooLarge,
            format!("custom section name of {name_len} bytes is above {MAX_STREAM_NAME_BYTES}"),
        ));
    }
    if name_len_len + name_len > size as usize {
        return Err(invalid("custom section name extends past the section"));
    }
    let name_start = after_size + name_len_len;
    if head.len() < name_start + name_len {
        return Ok(None);
    }
    Ok(Some(Head {
        size,
        len: name_start + name_len,
        name: Some((name_start, name_start + name_len)),
        body_len: u64::from(size) - (name_len_len + name_len) as u64,
    }))
}

impl SectionSplitter {
    pub fn new() -> Self {
        SectionSplitter {
            state: State::Header,
            head: Vec::with_capacity(16),
            offset: 0,
            unread: Vec::new(),
        }
    }

    /// Walks `data`, the next bytes of the stream, calling `sink` for every piece.
    pub fn push(
        &mut self,
        mut data: &[u8],
        sink: &mut impl FnMut(Piece<'_>) -> Result<()>,
    ) -> Result<()> {
        while !data.is_empty() {
            match self.state {
                State::Header => {
                    let take = (8 - self.head.len()).min(data.len());
                    self.head.extend_from_slice(&data[..take]);
                    data = &data[take..];
                    if self.head.len() == 8 {
                        if self.head[..] != WASM_HEADER {
                            return Err(invalid("missing the wasm version-1 header"));
                        }
                        sink(Piece::Header(&self.head))?;
                        self.offset = 8;
                        self.head.clear();
                        self.state = State::Head;
                    }
                }
                State::Head => {
                    // A head is at most 1 + 5 + 5 + the name: take bytes one run at a time
                    // and keep only what the head needs.
                    let before = self.head.len();
                    let take = data.len().min(16 + MAX_STREAM_NAME_BYTES - before);
                    self.head.extend_from_slice(&data[..take]);
                    let parsed = parse_head(&self.head).inspect_err(|_| {
                        // Everything from the failing head on, for a consumer that wants to
                        // give it to a parser of its own (see `take_unread`).
                        self.unread = std::mem::take(&mut self.head);
                        self.unread.extend_from_slice(&data[take..]);
                    })?;
                    match parsed {
                        None => {
                            data = &data[take..];
                        }
                        Some(Head {
                            size,
                            len: head_len,
                            name,
                            body_len,
                        }) => {
                            data = &data[head_len - before..];
                            self.head.truncate(head_len);
                            sink(Piece::Start(SectionStart {
                                id: self.head[0],
                                offset: self.offset,
                                size,
                                raw_head: &self.head,
                                name: name.map(|(start, end)| &self.head[start..end]),
                                body_len,
                            }))?;
                            self.offset += head_len as u64;
                            self.head.clear();
                            if body_len == 0 {
                                sink(Piece::End)?;
                            } else {
                                self.state = State::Body {
                                    remaining: body_len,
                                };
                            }
                        }
                    }
                }
                State::Body { remaining } => {
                    let take = remaining.min(data.len() as u64) as usize;
                    sink(Piece::Body(&data[..take]))?;
                    data = &data[take..];
                    self.offset += take as u64;
                    let remaining = remaining - take as u64;
                    if remaining == 0 {
                        sink(Piece::End)?;
                        self.state = State::Head;
                    } else {
                        self.state = State::Body { remaining };
                    }
                }
            }
        }
        Ok(())
    }

    /// Ends the stream: an error when it stopped inside the header or a section.
    pub fn finish(&self) -> Result<()> {
        match self.state {
            State::Head if self.head.is_empty() => Ok(()),
            State::Header => Err(invalid("missing the wasm version-1 header")),
            _ => Err(invalid(format!(
                "unexpected end-of-file in the section at offset {}",
                self.offset
            ))),
        }
    }

    /// After [`SectionSplitter::push`] failed on a malformed section head: the bytes given from
    /// that head on (the walk stops there; later bytes are the caller's).
    pub fn take_unread(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.unread)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn custom_section(name: &[u8], data: &[u8]) -> Vec<u8> {
        let mut payload = crate::wasm::sections::encode_uleb128(name.len() as u64).unwrap();
        payload.extend_from_slice(name);
        payload.extend_from_slice(data);
        crate::wasm::sections::encode_section(0, &payload)
    }

    /// The pieces of `bytes` given in chunks of `chunk`, as text.
    fn walk(bytes: &[u8], chunk: usize) -> Result<Vec<String>> {
        let mut splitter = SectionSplitter::new();
        let mut seen = Vec::new();
        for part in bytes.chunks(chunk) {
            splitter.push(part, &mut |piece| {
                seen.push(match piece {
                    Piece::Header(_) => "header".to_owned(),
                    Piece::Start(start) => format!(
                        "start {} at {} body {} name {:?}",
                        start.id,
                        start.offset,
                        start.body_len,
                        start.name.map(<[u8]>::len)
                    ),
                    Piece::Body(bytes) => format!("body {}", bytes.len()),
                    Piece::End => "end".to_owned(),
                });
                Ok(())
            })?;
        }
        splitter.finish()?;
        // Body runs are merged: how the stream was cut is not part of what it says.
        let mut merged: Vec<String> = Vec::new();
        let mut body = 0;
        for item in seen {
            if let Some(len) = item.strip_prefix("body ") {
                body += len.parse::<usize>().unwrap();
                continue;
            }
            if body > 0 {
                merged.push(format!("body {body}"));
                body = 0;
            }
            merged.push(item);
        }
        Ok(merged)
    }

    #[test]
    fn pieces_are_the_same_however_the_stream_is_cut() {
        let mut module = WASM_HEADER.to_vec();
        module.extend(custom_section(b"name", &[1, 2, 3]));
        module.extend([1, 4, 1, 0x60, 0, 0]); // type section: one () -> ()
        module.extend(custom_section(b"", &[]));
        module.extend(custom_section(&[b'x'; 300], &[9; 1000]));
        let whole = walk(&module, module.len()).unwrap();
        assert_eq!(
            whole,
            [
                "header",
                "start 0 at 8 body 3 name Some(4)",
                "body 3",
                "end",
                "start 1 at 18 body 4 name None",
                "body 4",
                "end",
                "start 0 at 24 body 0 name Some(0)",
                "end",
                "start 0 at 27 body 1000 name Some(300)",
                "body 1000",
                "end",
            ]
        );
        for chunk in [1, 2, 3, 5, 64] {
            assert_eq!(walk(&module, chunk).unwrap(), whole, "chunk {chunk}");
        }
    }

    #[test]
    fn custom_section_names_are_capped() {
        for (len, ok) in [
            (MAX_STREAM_NAME_BYTES, true),
            (MAX_STREAM_NAME_BYTES + 1, false),
        ] {
            let mut module = WASM_HEADER.to_vec();
            module.extend(custom_section(&vec![b'n'; len], b"data"));
            let walked = walk(&module, 4096);
            if ok {
                assert!(walked.is_ok(), "{len}");
            } else {
                assert_eq!(walked.unwrap_err().code(), ErrorCode::InputTooLarge);
            }
        }
    }

    #[test]
    fn malformed_framing_is_an_error_not_a_hang() {
        let header = WASM_HEADER.to_vec();
        let cases: [(&str, Vec<u8>); 5] = [
            ("bad header", b"\0asm\x02\0\0\0".to_vec()),
            (
                "size too long",
                [&header[..], &[1, 0x80, 0x80, 0x80, 0x80, 0x80]].concat(),
            ),
            ("section cut", [&header[..], &[1, 10, 0]].concat()),
            (
                "name past the section",
                [&header[..], &[0, 2, 5, b'a']].concat(),
            ),
            ("empty custom section", [&header[..], &[0, 0]].concat()),
        ];
        for (case, bytes) in cases {
            for chunk in [1, 3, bytes.len()] {
                assert!(walk(&bytes, chunk).is_err(), "{case} in chunks of {chunk}");
            }
        }
    }
}
