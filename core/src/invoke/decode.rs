//! Verified decoding of the invoke envelopes.
//!
//! Unlike the reference (which only checks the identifier and trusts every offset), the buffer
//! first goes through the FlatBuffers verifier with explicit limits, and then every frame's
//! `offset + size` is checked against the payload arena.

use flatbuffers::{
    Follow, ForwardsUOffset, InvalidFlatbuffer, Table, Vector, Verifiable, Verifier,
    VerifierOptions,
};

use crate::invoke::encode::MAX_ENVELOPE_BYTES;
use crate::invoke::types::{Frame, InvokeRequest, InvokeResponse, TypeRef, WireFormat};
use crate::invoke::{REQUEST_IDENTIFIER, RESPONSE_IDENTIFIER};
use crate::{Error, ErrorCode, Result};

/// Caps applied while decoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeLimits {
    /// Largest accepted envelope in bytes (default: [`MAX_ENVELOPE_BYTES`], the FlatBuffers limit).
    pub max_bytes: usize,
    /// Largest accepted number of frames (default 65,536).
    pub max_frames: usize,
}

impl Default for DecodeLimits {
    fn default() -> Self {
        DecodeLimits {
            max_bytes: MAX_ENVELOPE_BYTES,
            max_frames: 65_536,
        }
    }
}

/// Decodes a `PluginInvokeRequest` with the default limits.
pub fn decode_request(bytes: &[u8]) -> Result<InvokeRequest> {
    decode_request_with(bytes, &DecodeLimits::default())
}

/// Decodes a `PluginInvokeResponse` with the default limits.
pub fn decode_response(bytes: &[u8]) -> Result<InvokeResponse> {
    decode_response_with(bytes, &DecodeLimits::default())
}

/// Decodes a `PluginInvokeRequest`.
///
/// Errors: `invoke-request-identifier-mismatch` (bytes 4..8 are not `PINQ`, or fewer than 8
/// bytes), `invoke-malformed` (verifier failure), `invoke-limit-exceeded`,
/// `invoke-frame-out-of-arena`.
pub fn decode_request_with(bytes: &[u8], limits: &DecodeLimits) -> Result<InvokeRequest> {
    if !has_identifier(bytes, REQUEST_IDENTIFIER) {
        return Err(Error::new(
            ErrorCode::InvokeRequestIdentifierMismatch,
            "Plugin invoke request buffer identifier mismatch.",
        ));
    }
    let root = verified_root::<RequestTable>(bytes, limits, "request")?;
    let method_id = root.method_id().to_owned();
    let payload_arena = root.payload_arena().to_vec();
    let input_frames = read_frames(root.frames(), payload_arena.len(), limits)?;
    Ok(InvokeRequest {
        method_id,
        input_frames,
        payload_arena,
    })
}

/// Decodes a `PluginInvokeResponse`; errors as [`decode_request_with`] with
/// `invoke-response-identifier-mismatch` for a wrong identifier.
pub fn decode_response_with(bytes: &[u8], limits: &DecodeLimits) -> Result<InvokeResponse> {
    if !has_identifier(bytes, RESPONSE_IDENTIFIER) {
        return Err(Error::new(
            ErrorCode::InvokeResponseIdentifierMismatch,
            "Plugin invoke response buffer identifier mismatch.",
        ));
    }
    let root = verified_root::<ResponseTable>(bytes, limits, "response")?;
    let payload_arena = root.payload_arena().to_vec();
    let output_frames = read_frames(root.frames(), payload_arena.len(), limits)?;
    Ok(InvokeResponse {
        status_code: root.status_code(),
        yielded: root.yielded(),
        backlog_remaining: root.backlog_remaining(),
        output_frames,
        payload_arena,
        error_code: root.error_code().map(str::to_owned),
        error_message: root.error_message().map(str::to_owned),
    })
}

fn has_identifier(bytes: &[u8], identifier: &str) -> bool {
    bytes.get(4..8) == Some(identifier.as_bytes())
}

fn verified_root<'buf, T>(bytes: &'buf [u8], limits: &DecodeLimits, what: &str) -> Result<T::Inner>
where
    T: Follow<'buf> + Verifiable + 'buf,
{
    if bytes.len() > limits.max_bytes {
        return Err(Error::new(
            ErrorCode::InvokeLimitExceeded,
            format!(
                "invoke {what} of {} bytes exceeds the {}-byte limit",
                bytes.len(),
                limits.max_bytes
            ),
        ));
    }
    let options = VerifierOptions {
        max_depth: 8,
        // root + per frame (frame table + type_ref table)
        max_tables: limits.max_frames.saturating_mul(2).saturating_add(1),
        max_apparent_size: MAX_ENVELOPE_BYTES,
        ignore_missing_null_terminator: false,
    };
    flatbuffers::root_with_opts::<T>(&options, bytes).map_err(|err| {
        Error::new(
            ErrorCode::InvokeMalformed,
            format!("invoke {what} FlatBuffer verification failed: {err}"),
        )
    })
}

fn read_frames(
    frames: Option<Vector<'_, ForwardsUOffset<FrameTable<'_>>>>,
    arena_len: usize,
    limits: &DecodeLimits,
) -> Result<Vec<Frame>> {
    let Some(frames) = frames else {
        return Ok(Vec::new());
    };
    if frames.len() > limits.max_frames {
        return Err(Error::new(
            ErrorCode::InvokeLimitExceeded,
            format!(
                "{} frames exceed the limit of {}",
                frames.len(),
                limits.max_frames
            ),
        ));
    }
    let mut out = Vec::with_capacity(frames.len());
    for (index, table) in frames.iter().enumerate() {
        let frame = table.frame();
        if frame.range(arena_len).is_none() {
            return Err(Error::new(
                ErrorCode::InvokeFrameOutOfArena,
                format!(
                    "frame {index} (offset {}, size {}) exceeds the {arena_len}-byte payload arena",
                    frame.offset, frame.size
                ),
            ));
        }
        out.push(frame);
    }
    Ok(out)
}

// ---- table readers ----------------------------------------------------------------------
//
// SAFETY (for every `Table::get` below): the readers are only reached through
// `flatbuffers::root_with_opts`, whose verifier checked each slot against the type read here
// (the `Verifiable` impls list the same slot/type pairs).

macro_rules! table_reader {
    ($name:ident) => {
        #[derive(Clone, Copy)]
        struct $name<'a>(Table<'a>);

        impl<'a> Follow<'a> for $name<'a> {
            type Inner = $name<'a>;
            unsafe fn follow(buf: &'a [u8], loc: usize) -> Self::Inner {
                // SAFETY: forwarded contract of `Follow::follow`.
                $name(unsafe { Table::new(buf, loc) })
            }
        }
    };
}

table_reader!(RequestTable);
table_reader!(ResponseTable);
table_reader!(FrameTable);
table_reader!(TypeRefTable);

type FrameVector<'a> = Vector<'a, ForwardsUOffset<FrameTable<'a>>>;

impl Verifiable for RequestTable<'_> {
    fn run_verifier(v: &mut Verifier, pos: usize) -> Result<(), InvalidFlatbuffer> {
        v.visit_table(pos)?
            .visit_field::<ForwardsUOffset<&str>>("method_id", 4, true)?
            .visit_field::<ForwardsUOffset<FrameVector<'_>>>("input_frames", 6, false)?
            .visit_field::<ForwardsUOffset<Vector<'_, u8>>>("payload_arena", 8, false)?
            .finish();
        Ok(())
    }
}

impl<'a> RequestTable<'a> {
    fn method_id(&self) -> &'a str {
        // SAFETY: see the section comment; the verifier also enforced presence (required).
        unsafe { self.0.get::<ForwardsUOffset<&str>>(4, None) }.unwrap_or_default()
    }
    fn frames(&self) -> Option<FrameVector<'a>> {
        // SAFETY: see the section comment.
        unsafe { self.0.get::<ForwardsUOffset<FrameVector<'a>>>(6, None) }
    }
    fn payload_arena(&self) -> &'a [u8] {
        // SAFETY: see the section comment.
        unsafe { self.0.get::<ForwardsUOffset<Vector<'a, u8>>>(8, None) }.map_or(&[], |v| v.bytes())
    }
}

impl Verifiable for ResponseTable<'_> {
    fn run_verifier(v: &mut Verifier, pos: usize) -> Result<(), InvalidFlatbuffer> {
        v.visit_table(pos)?
            .visit_field::<i32>("status_code", 4, false)?
            .visit_field::<bool>("yielded", 6, false)?
            .visit_field::<u32>("backlog_remaining", 8, false)?
            .visit_field::<ForwardsUOffset<FrameVector<'_>>>("output_frames", 10, false)?
            .visit_field::<ForwardsUOffset<Vector<'_, u8>>>("payload_arena", 12, false)?
            .visit_field::<ForwardsUOffset<&str>>("error_code", 14, false)?
            .visit_field::<ForwardsUOffset<&str>>("error_message", 16, false)?
            .finish();
        Ok(())
    }
}

impl<'a> ResponseTable<'a> {
    fn status_code(&self) -> i32 {
        // SAFETY: see the section comment.
        unsafe { self.0.get::<i32>(4, Some(0)) }.unwrap_or(0)
    }
    fn yielded(&self) -> bool {
        // SAFETY: see the section comment.
        unsafe { self.0.get::<bool>(6, Some(false)) }.unwrap_or(false)
    }
    fn backlog_remaining(&self) -> u32 {
        // SAFETY: see the section comment.
        unsafe { self.0.get::<u32>(8, Some(0)) }.unwrap_or(0)
    }
    fn frames(&self) -> Option<FrameVector<'a>> {
        // SAFETY: see the section comment.
        unsafe { self.0.get::<ForwardsUOffset<FrameVector<'a>>>(10, None) }
    }
    fn payload_arena(&self) -> &'a [u8] {
        // SAFETY: see the section comment.
        unsafe { self.0.get::<ForwardsUOffset<Vector<'a, u8>>>(12, None) }
            .map_or(&[], |v| v.bytes())
    }
    fn error_code(&self) -> Option<&'a str> {
        // SAFETY: see the section comment.
        unsafe { self.0.get::<ForwardsUOffset<&str>>(14, None) }
    }
    fn error_message(&self) -> Option<&'a str> {
        // SAFETY: see the section comment.
        unsafe { self.0.get::<ForwardsUOffset<&str>>(16, None) }
    }
}

impl Verifiable for FrameTable<'_> {
    fn run_verifier(v: &mut Verifier, pos: usize) -> Result<(), InvalidFlatbuffer> {
        v.visit_table(pos)?
            .visit_field::<ForwardsUOffset<TypeRefTable<'_>>>("type_ref", 4, false)?
            .visit_field::<ForwardsUOffset<&str>>("port_id", 6, false)?
            .visit_field::<u16>("alignment", 8, false)?
            .visit_field::<u32>("offset", 10, false)?
            .visit_field::<u32>("size", 12, false)?
            .visit_field::<u8>("ownership", 14, false)?
            .visit_field::<u32>("generation", 16, false)?
            .visit_field::<u8>("mutability", 18, false)?
            .visit_field::<u64>("trace_id", 20, false)?
            .visit_field::<u32>("stream_id", 22, false)?
            .visit_field::<u64>("sequence", 24, false)?
            .visit_field::<bool>("end_of_stream", 26, false)?
            .finish();
        Ok(())
    }
}

impl FrameTable<'_> {
    fn scalar<T>(&self, slot: u16, default: T) -> T
    where
        T: for<'b> Follow<'b, Inner = T> + Copy + 'static,
    {
        // SAFETY: see the section comment; callers pass the slot's schema type.
        unsafe { self.0.get::<T>(slot, Some(default)) }.unwrap_or(default)
    }

    fn frame(self) -> Frame {
        // SAFETY: see the section comment.
        let type_ref = unsafe { self.0.get::<ForwardsUOffset<TypeRefTable<'_>>>(4, None) };
        // SAFETY: see the section comment.
        let port_id = unsafe { self.0.get::<ForwardsUOffset<&str>>(6, None) };
        Frame {
            type_ref: type_ref.map(TypeRefTable::type_ref),
            port_id: port_id.map(str::to_owned),
            alignment: self.scalar::<u16>(8, 8),
            offset: self.scalar::<u32>(10, 0),
            size: self.scalar::<u32>(12, 0),
            ownership: self.scalar::<u8>(14, 0),
            generation: self.scalar::<u32>(16, 0),
            mutability: self.scalar::<u8>(18, 0),
            trace_id: self.scalar::<u64>(20, 0),
            stream_id: self.scalar::<u32>(22, 0),
            sequence: self.scalar::<u64>(24, 0),
            end_of_stream: self.scalar::<bool>(26, false),
        }
    }
}

impl Verifiable for TypeRefTable<'_> {
    fn run_verifier(v: &mut Verifier, pos: usize) -> Result<(), InvalidFlatbuffer> {
        v.visit_table(pos)?
            .visit_field::<ForwardsUOffset<&str>>("schema_name", 4, false)?
            .visit_field::<ForwardsUOffset<&str>>("file_identifier", 6, false)?
            .visit_field::<ForwardsUOffset<Vector<'_, u8>>>("schema_hash", 8, false)?
            .visit_field::<bool>("accepts_any_flatbuffer", 10, false)?
            .visit_field::<u8>("wire_format", 12, false)?
            .visit_field::<ForwardsUOffset<&str>>("root_type_name", 14, false)?
            .visit_field::<u16>("fixed_string_length", 16, false)?
            .visit_field::<u32>("byte_length", 18, false)?
            .visit_field::<u16>("required_alignment", 20, false)?
            .finish();
        Ok(())
    }
}

impl TypeRefTable<'_> {
    fn string(&self, slot: u16) -> Option<String> {
        // SAFETY: see the section comment; callers pass string slots.
        unsafe { self.0.get::<ForwardsUOffset<&str>>(slot, None) }.map(str::to_owned)
    }

    fn type_ref(self) -> TypeRef {
        // SAFETY (all `get` calls): see the section comment.
        unsafe {
            TypeRef {
                schema_name: self.string(4),
                file_identifier: self.string(6),
                schema_hash: self
                    .0
                    .get::<ForwardsUOffset<Vector<'_, u8>>>(8, None)
                    .map_or_else(Vec::new, |v| v.bytes().to_vec()),
                accepts_any_flatbuffer: self.0.get::<bool>(10, Some(false)).unwrap_or(false),
                wire_format: WireFormat::from_byte(self.0.get::<u8>(12, Some(0)).unwrap_or(0)),
                root_type_name: self.string(14),
                fixed_string_length: self.0.get::<u16>(16, Some(0)).unwrap_or(0),
                byte_length: self.0.get::<u32>(18, Some(0)).unwrap_or(0),
                required_alignment: self.0.get::<u16>(20, Some(0)).unwrap_or(0),
            }
        }
    }
}
