//! Full WebAssembly validation of a module that arrives as a stream, in bounded memory.
//!
//! `wasmparser`'s incremental [`Parser`] yields function bodies one at a time, but every other
//! section only once it is whole. So the validator sees the stream with its two kinds of
//! section that can be arbitrarily large replaced by what validation actually reads:
//! - a custom section above [`INLINE_SECTION_BYTES`] by one with the same name and no data
//!   (the validator never reads custom section data);
//! - a data section above it by a skeleton: every segment's header (flags, memory, offset
//!   expression) with an empty payload (the validator checks headers, never payload bytes).
//!
//! Any other section above the limit is refused with `input-too-large`. Error offsets after a
//! replaced section are those of the shortened stream.

use wasmparser::{
    BinaryReader, Chunk, ConstExpr, FuncValidatorAllocations, Parser, ValidPayload, Validator,
};

use super::sections::{encode_section, write_uleb128};
use super::stream::{Piece, leb_u32};
use crate::{Error, ErrorCode, Result};

/// Sections up to this size are handed to the validator whole.
pub const INLINE_SECTION_BYTES: u64 = 8 << 20;
/// Longest data segment header (flags, memory index, offset expression) a stream accepts.
pub const MAX_SEGMENT_HEAD_BYTES: usize = 64 << 10;

const CUSTOM_SECTION: u8 = 0;
const CODE_SECTION: u8 = 10;
const DATA_SECTION: u8 = 11;

enum Mode {
    /// Section bytes go to the parser as they are.
    Pass,
    /// A large custom section: its data is not read.
    Dropped,
    /// A large data section, reduced to its segment headers.
    Skeleton(DataSkeleton),
}

/// Validates the [`Piece`]s of one module; [`StreamValidator::finish`] gives the verdict.
/// The first error is kept and the rest of the stream ignored.
pub struct StreamValidator {
    parser: Parser,
    validator: Validator,
    /// Bytes handed to the parser that it has not consumed yet.
    feed: Vec<u8>,
    mode: Mode,
    allocations: Option<FuncValidatorAllocations>,
    error: Option<Error>,
    /// [`INLINE_SECTION_BYTES`], lowered by tests.
    inline_limit: u64,
}

impl Default for StreamValidator {
    fn default() -> Self {
        Self::new()
    }
}

fn invalid(err: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::WasmInvalid, err.to_string())
}

impl StreamValidator {
    pub fn new() -> Self {
        let validator = Validator::new();
        let mut parser = Parser::new(0);
        parser.set_features(*validator.features());
        StreamValidator {
            parser,
            validator,
            feed: Vec::new(),
            mode: Mode::Pass,
            allocations: Some(FuncValidatorAllocations::default()),
            error: None,
            inline_limit: INLINE_SECTION_BYTES,
        }
    }

    /// Takes the next piece of the stream.
    pub fn piece(&mut self, piece: &Piece<'_>) {
        if self.error.is_some() {
            return;
        }
        if let Err(err) = self.take(piece) {
            self.error = Some(err);
            self.feed = Vec::new();
        }
    }

    fn take(&mut self, piece: &Piece<'_>) -> Result<()> {
        match piece {
            Piece::Header(bytes) => self.give(bytes),
            Piece::Start(start) => {
                let large = u64::from(start.size) > self.inline_limit;
                match start.id {
                    CUSTOM_SECTION if large => {
                        let name = start.name.unwrap_or_default();
                        let mut name_part = Vec::with_capacity(name.len() + 5);
                        write_uleb128(&mut name_part, name.len() as u64);
                        name_part.extend_from_slice(name);
                        self.mode = Mode::Dropped;
                        self.give(&encode_section(CUSTOM_SECTION, &name_part))
                    }
                    DATA_SECTION if large => {
                        self.mode = Mode::Skeleton(DataSkeleton::default());
                        Ok(())
                    }
                    CODE_SECTION => self.give(start.raw_head),
                    _ if large => Err(Error::new(
                        ErrorCode::InputTooLarge,
                        format!(
                            "section {} at offset {} has {} bytes, above the {} a stream can \
                             validate",
                            start.id, start.offset, start.size, self.inline_limit
                        ),
                    )),
                    _ => self.give(start.raw_head),
                }
            }
            Piece::Body(bytes) => match &mut self.mode {
                Mode::Pass => self.give(bytes),
                Mode::Dropped => Ok(()),
                Mode::Skeleton(skeleton) => skeleton.push(bytes),
            },
            Piece::End => match std::mem::replace(&mut self.mode, Mode::Pass) {
                Mode::Skeleton(skeleton) => {
                    let body = skeleton.finish()?;
                    self.give(&encode_section(DATA_SECTION, &body))
                }
                _ => Ok(()),
            },
        }
    }

    /// After the walk found a malformed section head: the stream from that head on, given to
    /// the parser as it is, so that its error is the one validation in memory reports. Memory
    /// stays bounded: past the inline limit, `fallback` is the verdict instead.
    pub fn raw(&mut self, bytes: &[u8], fallback: &Error) {
        if self.error.is_some() {
            return;
        }
        self.mode = Mode::Pass;
        if self.feed.len() as u64 + bytes.len() as u64 > self.inline_limit {
            self.error = Some(fallback.clone());
            self.feed = Vec::new();
            return;
        }
        if let Err(err) = self.give(bytes) {
            self.error = Some(err);
            self.feed = Vec::new();
        }
    }

    /// Hands bytes to the parser and validates every payload that is now complete.
    fn give(&mut self, bytes: &[u8]) -> Result<()> {
        self.feed.extend_from_slice(bytes);
        self.drive(false)
    }

    fn drive(&mut self, eof: bool) -> Result<()> {
        let mut consumed_total = 0;
        let result = loop {
            let data = &self.feed[consumed_total..];
            let (consumed, payload) = match self.parser.parse(data, eof) {
                Ok(Chunk::NeedMoreData(_)) => break Ok(()),
                Ok(Chunk::Parsed { consumed, payload }) => (consumed, payload),
                Err(err) => break Err(invalid(err)),
            };
            consumed_total += consumed;
            match self.validator.payload(&payload) {
                Ok(ValidPayload::Func(func, body)) => {
                    let allocations = self.allocations.take().unwrap_or_default();
                    let mut validator = func.into_validator(allocations);
                    let verdict = validator.validate(&body);
                    self.allocations = Some(validator.into_allocations());
                    if let Err(err) = verdict {
                        break Err(invalid(err));
                    }
                }
                Ok(ValidPayload::End(_)) => break Ok(()),
                Ok(_) => {}
                Err(err) => break Err(invalid(err)),
            }
        };
        self.feed.drain(..consumed_total);
        result
    }

    /// Records a refusal found outside the validator (the walk's), unless one came first.
    pub fn fail(&mut self, err: Error) {
        if self.error.is_none() {
            self.error = Some(err);
            self.feed = Vec::new();
        }
    }

    /// The verdict, once the whole stream was given (the splitter's `finish` passed).
    pub fn finish(mut self) -> Result<()> {
        if let Some(err) = self.error.take() {
            return Err(err);
        }
        self.drive(true)?;
        if !self.feed.is_empty() {
            return Err(invalid("unexpected bytes after the module"));
        }
        Ok(())
    }
}

/// Reduces a data section to its segment headers as its bytes arrive.
#[derive(Default)]
struct DataSkeleton {
    /// Bytes of the count or of a segment header not complete yet.
    pending: Vec<u8>,
    /// The skeleton section body built so far.
    out: Vec<u8>,
    /// Segments still to come, once the count was read.
    segments_left: Option<u32>,
    /// Payload bytes of the current segment still to skip.
    skipping: u64,
}

impl DataSkeleton {
    fn push(&mut self, mut input: &[u8]) -> Result<()> {
        loop {
            if self.skipping > 0 {
                if !self.pending.is_empty() {
                    let take = self.skipping.min(self.pending.len() as u64) as usize;
                    self.pending.drain(..take);
                    self.skipping -= take as u64;
                    continue;
                }
                let take = self.skipping.min(input.len() as u64) as usize;
                input = &input[take..];
                self.skipping -= take as u64;
                if self.skipping > 0 {
                    return Ok(());
                }
                continue;
            }
            if self.segments_left == Some(0) {
                if !self.pending.is_empty() || !input.is_empty() {
                    return Err(invalid(
                        "unexpected content in the data section after its last segment",
                    ));
                }
                return Ok(());
            }
            match self.try_item(false)? {
                true => continue,
                false if input.is_empty() => return Ok(()),
                false => {
                    let room = (MAX_SEGMENT_HEAD_BYTES + 1).saturating_sub(self.pending.len());
                    let take = room.min(input.len());
                    self.pending.extend_from_slice(&input[..take]);
                    input = &input[take..];
                }
            }
        }
    }

    /// Reads the count or the next segment header from `pending`: false when more bytes are
    /// needed. `last`: no more bytes will come, so an incomplete item is an error.
    fn try_item(&mut self, last: bool) -> Result<bool> {
        if self.segments_left == Some(0) {
            return Ok(false);
        }
        if self.pending.is_empty() {
            return if last {
                Err(invalid("unexpected end-of-file in the data section"))
            } else {
                Ok(false)
            };
        }
        let Some(left) = self.segments_left else {
            let Some((count, used)) = leb_u32(&self.pending)? else {
                return incomplete(last, "count");
            };
            self.out.extend_from_slice(&self.pending[..used]);
            self.pending.drain(..used);
            self.segments_left = Some(count);
            return Ok(true);
        };
        let mut reader = BinaryReader::new(&self.pending, 0);
        match segment_head(&mut reader) {
            Ok((payload_len, head_len)) => {
                self.out.extend_from_slice(&self.pending[..head_len]);
                self.out.push(0);
                let used = reader.current_position();
                self.pending.drain(..used);
                self.skipping = u64::from(payload_len);
                self.segments_left = Some(left - 1);
                Ok(true)
            }
            // A header cut off by the end of what arrived so far reads as an error too; it
            // is one only when no more bytes can complete it.
            Err(err) if last => Err(invalid(err)),
            Err(_) if self.pending.len() > MAX_SEGMENT_HEAD_BYTES => Err(Error::new(
                ErrorCode::InputTooLarge,
                format!(
                    "a data segment header is above the {MAX_SEGMENT_HEAD_BYTES} bytes a stream \
                     can validate"
                ),
            )),
            Err(_) => Ok(false),
        }
    }

    fn finish(mut self) -> Result<Vec<u8>> {
        while self.skipping == 0 && self.try_item(true)? {}
        if self.skipping > 0 {
            return Err(invalid(
                "a data segment extends past the end of its section",
            ));
        }
        if self.segments_left != Some(0) || !self.pending.is_empty() {
            return Err(invalid("unexpected end-of-file in the data section"));
        }
        Ok(self.out)
    }
}

fn incomplete(last: bool, what: &str) -> Result<bool> {
    if last {
        Err(invalid(format!(
            "unexpected end-of-file in the data {what}"
        )))
    } else {
        Ok(false)
    }
}

/// A data segment's header as wasmparser reads it: (payload length, bytes before the length).
fn segment_head(reader: &mut BinaryReader<'_>) -> std::result::Result<(u32, usize), String> {
    let text = |err: wasmparser::BinaryReaderError| err.to_string();
    let flags = reader.read_var_u32().map_err(text)?;
    match flags {
        1 => {}
        0 | 2 => {
            if flags == 2 {
                reader.read_var_u32().map_err(text)?;
            }
            reader.read::<ConstExpr<'_>>().map_err(text)?;
        }
        _ => return Err("invalid flags byte in data segment".to_owned()),
    }
    let head_len = reader.current_position();
    let payload_len = reader.read_var_u32().map_err(text)?;
    Ok((payload_len, head_len))
}

#[cfg(test)]
mod tests {
    use super::super::stream::SectionSplitter;
    use super::*;

    /// The stream verdict over `bytes` given in chunks of `chunk` bytes, with sections above
    /// `inline_limit` replaced as in a large module.
    fn stream_verdict(bytes: &[u8], chunk: usize, inline_limit: u64) -> Result<()> {
        let mut splitter = SectionSplitter::new();
        let mut validator = StreamValidator::new();
        validator.inline_limit = inline_limit;
        for part in bytes.chunks(chunk) {
            splitter.push(part, &mut |piece| {
                validator.piece(&piece);
                Ok(())
            })?;
        }
        splitter.finish()?;
        validator.finish()
    }

    fn modules() -> Vec<Vec<u8>> {
        let texts = [
            r#"(module (func))"#,
            r#"(module
                 (memory 1)
                 (data (i32.const 0) "0123456789abcdefghijklmnopqrstuvwxyz")
                 (data "passive segment bytes, more than sixteen of them")
                 (data (memory 0) (i32.const 64) "")
                 (@custom "big-custom" "custom section data longer than the limit")
                 (func (export "f") (param i32) (result i32)
                   local.get 0 i32.const 1 i32.add)
                 (func (export "g") (result i32) i32.const 7))"#,
            r#"(module
                 (global $g i32 (i32.const 8))
                 (memory 1)
                 (data (global.get $g) "offset from a global, long enough to be replaced")
                 (@custom "a" "x"))"#,
        ];
        texts
            .iter()
            .map(|text| wat::parse_str(text).unwrap())
            .collect()
    }

    #[test]
    fn valid_modules_validate_in_any_chunking_with_their_sections_replaced() {
        for (index, module) in modules().iter().enumerate() {
            assert!(crate::wasm::validate::validate(module).is_ok());
            for chunk in [1, 2, 3, 7, 64, module.len()] {
                for limit in [16, INLINE_SECTION_BYTES] {
                    let verdict = stream_verdict(module, chunk, limit);
                    assert!(
                        verdict.is_ok(),
                        "module {index}, chunk {chunk}, limit {limit}: {verdict:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_data_segment_header_above_the_cap_is_refused_as_too_large() {
        // An extended-const offset of 20,000 `i32.const 1; i32.add` pairs (3 bytes each,
        // 60,000 bytes) fits; 22,000 pairs (66,000 bytes) do not.
        for (pairs, fits) in [(20_000, true), (22_000, false)] {
            let offset = format!("(i32.const 0){}", " (i32.const 1) i32.add".repeat(pairs));
            let text = format!(
                r#"(module (memory 1) (data (offset {offset}) "payload longer than the limit"))"#
            );
            let module = wat::parse_str(&text).unwrap();
            assert!(crate::wasm::validate::validate(&module).is_ok());
            let verdict = stream_verdict(&module, 4096, 16);
            if fits {
                assert!(verdict.is_ok(), "{pairs}: {verdict:?}");
            } else {
                assert_eq!(verdict.unwrap_err().code(), ErrorCode::InputTooLarge);
            }
        }
    }

    #[test]
    fn truncated_and_flipped_modules_get_the_in_memory_verdict() {
        for (index, module) in modules().iter().enumerate() {
            let mut variants = Vec::new();
            for cut in 0..module.len() {
                variants.push(module[..cut].to_vec());
            }
            for at in 0..module.len() {
                for bit in [0x01, 0x80] {
                    let mut flipped = module.clone();
                    flipped[at] ^= bit;
                    variants.push(flipped);
                }
            }
            for variant in &variants {
                let memory = crate::wasm::validate::validate(variant).is_ok()
                    && variant.get(..8) == Some(&super::super::stream::WASM_HEADER[..]);
                for (chunk, limit) in [(1, 16), (5, 16), (variant.len().max(1), 16)] {
                    let stream = stream_verdict(variant, chunk, limit);
                    let refused_as_too_large = stream
                        .as_ref()
                        .is_err_and(|err| err.code() == ErrorCode::InputTooLarge);
                    assert!(
                        stream.is_ok() == memory || refused_as_too_large,
                        "module {index}, variant {variant:02x?}, chunk {chunk}: memory {memory}, \
                         stream {stream:?}"
                    );
                }
            }
        }
    }
}
