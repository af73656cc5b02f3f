//! The values carried by the invoke envelopes, independent of their FlatBuffers encoding.

/// `orbpro.stream.PayloadWireFormat`: how a payload is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum WireFormat {
    /// A FlatBuffer (stored value 0).
    #[default]
    Flatbuffer,
    /// A fixed-layout "aligned binary" record (stored value 1).
    AlignedBinary,
}

impl WireFormat {
    /// The stored byte.
    pub const fn to_byte(self) -> u8 {
        match self {
            WireFormat::Flatbuffer => 0,
            WireFormat::AlignedBinary => 1,
        }
    }

    /// Reads a stored byte the way the reference does: 1 is aligned-binary, anything else flatbuffer.
    pub const fn from_byte(byte: u8) -> Self {
        if byte == 1 {
            WireFormat::AlignedBinary
        } else {
            WireFormat::Flatbuffer
        }
    }

    /// The text name used in JSON (`flatbuffer` / `aligned-binary`).
    pub const fn as_str(self) -> &'static str {
        match self {
            WireFormat::Flatbuffer => "flatbuffer",
            WireFormat::AlignedBinary => "aligned-binary",
        }
    }
}

/// `orbpro.stream.FlatBufferTypeRef`: the schema identity of a payload plus, for aligned-binary
/// payloads, its layout metadata (`root_type_name`, `fixed_string_length`, `byte_length`,
/// `required_alignment`). Invoke layers carry every field through unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TypeRef {
    pub schema_name: Option<String>,
    pub file_identifier: Option<String>,
    /// Always written, possibly empty.
    pub schema_hash: Vec<u8>,
    pub accepts_any_flatbuffer: bool,
    pub wire_format: WireFormat,
    pub root_type_name: Option<String>,
    pub fixed_string_length: u16,
    pub byte_length: u32,
    pub required_alignment: u16,
}

impl From<&crate::fbs::TypeRef> for TypeRef {
    /// A manifest/bundle type reference (whose scalars record "stored or not") as frame metadata.
    fn from(t: &crate::fbs::TypeRef) -> Self {
        TypeRef {
            schema_name: t.schema_name.clone(),
            file_identifier: t.file_identifier.clone(),
            schema_hash: t.schema_hash.clone(),
            accepts_any_flatbuffer: t.accepts_any_flatbuffer,
            wire_format: WireFormat::from_byte(t.wire_format),
            root_type_name: t.root_type_name.clone(),
            fixed_string_length: t.fixed_string_length_or_default(),
            byte_length: t.byte_length_or_default(),
            required_alignment: t.required_alignment_or_default(),
        }
    }
}

impl From<&TypeRef> for crate::fbs::TypeRef {
    /// Frame metadata as a manifest/bundle type reference; scalars equal to their default are
    /// "not stored", as the reference writes them.
    fn from(t: &TypeRef) -> Self {
        crate::fbs::TypeRef {
            schema_name: t.schema_name.clone(),
            file_identifier: t.file_identifier.clone(),
            schema_hash: t.schema_hash.clone(),
            accepts_any_flatbuffer: t.accepts_any_flatbuffer,
            wire_format: t.wire_format.to_byte(),
            root_type_name: t.root_type_name.clone(),
            fixed_string_length: (t.fixed_string_length != 0).then_some(t.fixed_string_length),
            byte_length: (t.byte_length != 0).then_some(t.byte_length),
            required_alignment: (t.required_alignment != 0).then_some(t.required_alignment),
        }
    }
}

/// One `orbpro.stream.TypedArenaBuffer`: a frame describing one payload inside the envelope's
/// shared payload arena (`arena[offset .. offset + size]`). `port_id` routes it: the method's
/// input port in a request, the output port in a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// `None` only for frames written without type metadata (e.g. the guest's raw shortcut).
    pub type_ref: Option<TypeRef>,
    pub port_id: Option<String>,
    /// The alignment the producer applied to `offset`, relative to the arena start.
    pub alignment: u16,
    pub offset: u32,
    pub size: u32,
    /// `BufferOwnership` (0 BORROWED, 1 PRODUCER_OWNED, 2 HOST_OWNED, 3 SHARED); passed through.
    pub ownership: u8,
    pub generation: u32,
    /// `BufferMutability` (0 IMMUTABLE, 1 APPEND_ONLY, 2 MUTABLE); passed through.
    pub mutability: u8,
    pub trace_id: u64,
    pub stream_id: u32,
    pub sequence: u64,
    pub end_of_stream: bool,
}

impl Default for Frame {
    /// The schema defaults (alignment 8, everything else zero/absent).
    fn default() -> Self {
        Frame {
            type_ref: None,
            port_id: None,
            alignment: 8,
            offset: 0,
            size: 0,
            ownership: 0,
            generation: 0,
            mutability: 0,
            trace_id: 0,
            stream_id: 0,
            sequence: 0,
            end_of_stream: false,
        }
    }
}

impl Frame {
    /// The frame's byte range inside its arena, or `None` when it does not fit in `arena_len`.
    pub fn range(&self, arena_len: usize) -> Option<std::ops::Range<usize>> {
        let start = usize::try_from(self.offset).ok()?;
        let end = start.checked_add(usize::try_from(self.size).ok()?)?;
        (end <= arena_len).then_some(start..end)
    }
}

/// A decoded or to-be-encoded `PluginInvokeRequest` (`PINQ`). Every frame's range lies inside
/// `payload_arena` (the decoder checks it; [`crate::invoke::ArenaBuilder`] guarantees it).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InvokeRequest {
    pub method_id: String,
    pub input_frames: Vec<Frame>,
    pub payload_arena: Vec<u8>,
}

/// A decoded or to-be-encoded `PluginInvokeResponse` (`PINS`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InvokeResponse {
    pub status_code: i32,
    pub yielded: bool,
    pub backlog_remaining: u32,
    pub output_frames: Vec<Frame>,
    pub payload_arena: Vec<u8>,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
}

/// Payload access shared by requests and responses: both hold frames over one arena.
pub trait FrameSet {
    /// The frames, in envelope order.
    fn frames(&self) -> &[Frame];
    /// The shared payload arena.
    fn arena(&self) -> &[u8];

    /// The payload of frame `index`; `None` when there is no such frame or its range lies
    /// outside the arena (impossible for decoded envelopes, which were range-checked).
    fn payload(&self, index: usize) -> Option<&[u8]> {
        let frame = self.frames().get(index)?;
        self.arena().get(frame.range(self.arena().len())?)
    }

    /// Index of the `ordinal`-th frame (0-based) routed to `port`, like the guest helper
    /// `plugin_find_input_index`.
    fn find_frame(&self, port: &str, ordinal: usize) -> Option<usize> {
        self.frames()
            .iter()
            .enumerate()
            .filter(|(_, frame)| frame.port_id.as_deref() == Some(port))
            .nth(ordinal)
            .map(|(index, _)| index)
    }

    /// The payloads of every frame routed to `port`, in order.
    fn payloads_on_port<'a>(&'a self, port: &'a str) -> Vec<&'a [u8]> {
        (0..self.frames().len())
            .filter(|&i| self.frames().get(i).and_then(|f| f.port_id.as_deref()) == Some(port))
            .filter_map(|i| self.payload(i))
            .collect()
    }
}

impl FrameSet for InvokeRequest {
    fn frames(&self) -> &[Frame] {
        &self.input_frames
    }
    fn arena(&self) -> &[u8] {
        &self.payload_arena
    }
}

impl FrameSet for InvokeResponse {
    fn frames(&self) -> &[Frame] {
        &self.output_frames
    }
    fn arena(&self) -> &[u8] {
        &self.payload_arena
    }
}
