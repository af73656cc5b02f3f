//! The invoke envelopes: `PluginInvokeRequest` (`PINQ`) and `PluginInvokeResponse` (`PINS`),
//! each a list of `TypedArenaBuffer` frames over one shared payload arena
//! (spec invoke-runtime-and-host.md section 2).
//!
//! - [`types`]: the envelope values ([`InvokeRequest`], [`InvokeResponse`], [`Frame`], [`TypeRef`]).
//! - [`arena`]: packing payloads into the shared arena ([`ArenaBuilder`]).
//! - [`encode`]: FlatBuffers encoding, byte-identical to the reference encoder.
//! - [`decode`]: verified decoding with limits and per-frame range checks.
//! - [`json`]: the reference's JavaScript object form (vectors, CLI `--json`).
//!
//! Type metadata (including the aligned-binary layout fields of [`TypeRef`]) is carried through
//! every layer unchanged.

pub mod arena;
pub mod decode;
pub mod encode;
pub mod json;
pub mod types;

pub use arena::{AlignmentPolicy, ArenaBuilder, FrameSpec};
pub use decode::{
    DecodeLimits, decode_request, decode_request_with, decode_response, decode_response_with,
};
pub use encode::{encode_request, encode_response};
pub use types::{Frame, FrameSet, InvokeRequest, InvokeResponse, TypeRef, WireFormat};

/// File identifier of a `PluginInvokeRequest` (bytes 4..8).
pub const REQUEST_IDENTIFIER: &str = "PINQ";
/// File identifier of a `PluginInvokeResponse` (bytes 4..8).
pub const RESPONSE_IDENTIFIER: &str = "PINS";

impl InvokeRequest {
    /// A request for `method_id` whose frames are packed by [`ArenaBuilder`] (strict alignments).
    pub fn build<'p>(
        method_id: impl Into<String>,
        frames: impl IntoIterator<Item = (FrameSpec, &'p [u8])>,
    ) -> crate::Result<Self> {
        let mut builder = ArenaBuilder::new(AlignmentPolicy::Strict);
        for (spec, payload) in frames {
            builder.push(spec, payload)?;
        }
        let (input_frames, payload_arena) = builder.finish();
        Ok(InvokeRequest {
            method_id: method_id.into(),
            input_frames,
            payload_arena,
        })
    }
}
