//! Packing payloads into one shared arena (the reference's `packArenaFrames`).
//!
//! Frames are placed in the order given: each offset is the cursor rounded up to the frame's
//! alignment (the gap is zero-filled), and the cursor moves to the end of the payload. The
//! last payload is not padded after its end.

use crate::invoke::types::{Frame, TypeRef};
use crate::{Error, ErrorCode, Result};

/// What a producer says about one frame before it is placed. `alignment: None` selects the
/// reference default: the type's `required_alignment` when it is > 0, otherwise 8.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FrameSpec {
    pub type_ref: Option<TypeRef>,
    pub port_id: Option<String>,
    pub alignment: Option<u32>,
    pub ownership: u8,
    pub generation: u32,
    pub mutability: u8,
    pub trace_id: u64,
    pub stream_id: u32,
    pub sequence: u64,
    pub end_of_stream: bool,
}

impl FrameSpec {
    /// A frame on `port` with the given type metadata and the default alignment rule.
    pub fn new(port: impl Into<String>, type_ref: Option<TypeRef>) -> Self {
        FrameSpec {
            port_id: Some(port.into()),
            type_ref,
            ..FrameSpec::default()
        }
    }
}

/// How alignments are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AlignmentPolicy {
    /// Alignments must be powers of two in 1..=65535 (the spec's recommendation).
    #[default]
    Strict,
    /// The reference's coercions: 0 becomes 1, any value is applied to the offset, and the
    /// stored u16 is the value truncated modulo 2^16 (so 70000 places the frame at a multiple of
    /// 70000 but stores 4464). For byte identity with JSON fed to the reference encoder only.
    Reference,
}

/// Builds a frame list and its shared payload arena.
#[derive(Debug, Clone, Default)]
pub struct ArenaBuilder {
    policy: AlignmentPolicy,
    frames: Vec<Frame>,
    arena: Vec<u8>,
}

/// Largest arena the envelopes can address: offsets and sizes are u32.
pub const MAX_ARENA_BYTES: usize = u32::MAX as usize;

impl ArenaBuilder {
    pub fn new(policy: AlignmentPolicy) -> Self {
        ArenaBuilder {
            policy,
            frames: Vec::new(),
            arena: Vec::new(),
        }
    }

    /// Places `payload` and records its frame; returns the frame index.
    ///
    /// Errors: `invoke-invalid-alignment` for an alignment the policy rejects,
    /// `invoke-limit-exceeded` when the arena would exceed [`MAX_ARENA_BYTES`].
    pub fn push(&mut self, spec: FrameSpec, payload: &[u8]) -> Result<usize> {
        let requested = spec.alignment.unwrap_or_else(|| {
            match spec.type_ref.as_ref().map_or(0, |t| t.required_alignment) {
                0 => 8,
                required => u32::from(required),
            }
        });
        let alignment = match self.policy {
            AlignmentPolicy::Strict => {
                if requested == 0 || !requested.is_power_of_two() || requested > 0xffff {
                    return Err(Error::new(
                        ErrorCode::InvokeInvalidAlignment,
                        format!("frame alignment {requested} is not a power of two in 1..=65535"),
                    ));
                }
                requested
            }
            AlignmentPolicy::Reference => requested.max(1),
        };
        let cursor = self.arena.len();
        let offset = round_up(cursor, alignment as usize).ok_or_else(too_large)?;
        let end = offset.checked_add(payload.len()).ok_or_else(too_large)?;
        if end > MAX_ARENA_BYTES {
            return Err(too_large());
        }
        self.arena.resize(offset, 0);
        self.arena.extend_from_slice(payload);
        self.frames.push(Frame {
            type_ref: spec.type_ref,
            port_id: spec.port_id,
            // Reference policy stores the low 16 bits, exactly as the JS u16 field does.
            alignment: (alignment & 0xffff) as u16,
            offset: u32::try_from(offset).map_err(|_| too_large())?,
            size: u32::try_from(payload.len()).map_err(|_| too_large())?,
            ownership: spec.ownership,
            generation: spec.generation,
            mutability: spec.mutability,
            trace_id: spec.trace_id,
            stream_id: spec.stream_id,
            sequence: spec.sequence,
            end_of_stream: spec.end_of_stream,
        });
        Ok(self.frames.len() - 1)
    }

    /// The frames and the arena.
    pub fn finish(self) -> (Vec<Frame>, Vec<u8>) {
        (self.frames, self.arena)
    }
}

fn round_up(value: usize, alignment: usize) -> Option<usize> {
    if alignment <= 1 {
        return Some(value);
    }
    match value % alignment {
        0 => Some(value),
        rest => value.checked_add(alignment - rest),
    }
}

fn too_large() -> Error {
    Error::new(
        ErrorCode::InvokeLimitExceeded,
        "payload arena exceeds 4 GiB (u32 offsets)",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::invoke::types::WireFormat;

    #[test]
    fn default_alignment_is_eight_and_required_alignment_wins() {
        let mut builder = ArenaBuilder::new(AlignmentPolicy::Strict);
        builder.push(FrameSpec::new("a", None), &[1, 2, 3]).unwrap();
        let aligned = TypeRef {
            wire_format: WireFormat::AlignedBinary,
            required_alignment: 16,
            ..TypeRef::default()
        };
        builder
            .push(FrameSpec::new("b", Some(aligned)), &[9, 9])
            .unwrap();
        builder
            .push(
                FrameSpec {
                    alignment: Some(1),
                    ..FrameSpec::new("c", None)
                },
                &[7],
            )
            .unwrap();
        let (frames, arena) = builder.finish();
        assert_eq!(
            (frames[0].offset, frames[1].offset, frames[2].offset),
            (0, 16, 18)
        );
        assert_eq!(
            (
                frames[0].alignment,
                frames[1].alignment,
                frames[2].alignment
            ),
            (8, 16, 1)
        );
        assert_eq!(arena.len(), 19);
        assert!(arena[3..16].iter().all(|&b| b == 0));
    }

    #[test]
    fn strict_rejects_zero_non_power_of_two_and_oversized() {
        for bad in [0, 3, 70000] {
            let mut builder = ArenaBuilder::new(AlignmentPolicy::Strict);
            let err = builder
                .push(
                    FrameSpec {
                        alignment: Some(bad),
                        ..FrameSpec::default()
                    },
                    &[1],
                )
                .unwrap_err();
            assert_eq!(err.code(), ErrorCode::InvokeInvalidAlignment);
        }
    }

    #[test]
    fn reference_policy_reproduces_the_u16_truncation_quirk() {
        let mut builder = ArenaBuilder::new(AlignmentPolicy::Reference);
        builder.push(FrameSpec::default(), &[1]).unwrap();
        builder
            .push(
                FrameSpec {
                    alignment: Some(70000),
                    ..FrameSpec::default()
                },
                &[2],
            )
            .unwrap();
        builder
            .push(
                FrameSpec {
                    alignment: Some(0),
                    ..FrameSpec::default()
                },
                &[3],
            )
            .unwrap();
        let (frames, _) = builder.finish();
        assert_eq!((frames[1].offset, frames[1].alignment), (70000, 4464));
        assert_eq!((frames[2].offset, frames[2].alignment), (70001, 1));
    }
}
