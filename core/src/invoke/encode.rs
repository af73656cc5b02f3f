//! FlatBuffers encoding of the invoke envelopes, byte-identical to the reference's JS object
//! API (spec invoke-runtime-and-host.md 2.5/2.6, builder rules of bundle-and-manifest.md 2):
//! children before parents in the reference's creation order, fields added in slot order,
//! scalars equal to their default omitted, frame and arena vectors always written.

use flatbuffers::{FlatBufferBuilder, WIPOffset};

use crate::fbs::type_ref::write_type_ref;
use crate::invoke::types::{Frame, InvokeRequest, InvokeResponse};
use crate::invoke::{REQUEST_IDENTIFIER, RESPONSE_IDENTIFIER};
use crate::{Error, ErrorCode, Result};

/// FlatBuffers cannot address more than 2 GiB; envelopes are refused (not panicked on) above a
/// conservative estimate of that size.
pub const MAX_ENVELOPE_BYTES: usize = (1 << 31) - 1;

/// Encodes a `PluginInvokeRequest` (`PINQ`).
///
/// Frames must lie inside `payload_arena` (`invoke-frame-out-of-arena` otherwise); the
/// encoded size is capped by [`MAX_ENVELOPE_BYTES`] (`invoke-limit-exceeded`).
pub fn encode_request(request: &InvokeRequest) -> Result<Vec<u8>> {
    check_frames(&request.input_frames, request.payload_arena.len())?;
    check_size(
        &request.input_frames,
        request.payload_arena.len(),
        request.method_id.len(),
    )?;
    let mut fbb = FlatBufferBuilder::with_capacity(1024);
    let method_id = fbb.create_string(&request.method_id);
    let frames = write_frames(&mut fbb, &request.input_frames);
    let arena = fbb.create_vector::<u8>(&request.payload_arena);
    let start = fbb.start_table();
    fbb.push_slot_always(4, method_id);
    fbb.push_slot_always(6, frames);
    fbb.push_slot_always(8, arena);
    let root = fbb.end_table(start);
    fbb.finish(root, Some(REQUEST_IDENTIFIER));
    Ok(fbb.finished_data().to_vec())
}

/// Encodes a `PluginInvokeResponse` (`PINS`). Same checks as [`encode_request`].
pub fn encode_response(response: &InvokeResponse) -> Result<Vec<u8>> {
    check_frames(&response.output_frames, response.payload_arena.len())?;
    let strings = response.error_code.as_ref().map_or(0, String::len)
        + response.error_message.as_ref().map_or(0, String::len);
    check_size(
        &response.output_frames,
        response.payload_arena.len(),
        strings,
    )?;
    let mut fbb = FlatBufferBuilder::with_capacity(1024);
    let frames = write_frames(&mut fbb, &response.output_frames);
    let arena = fbb.create_vector::<u8>(&response.payload_arena);
    let error_code = response.error_code.as_deref().map(|s| fbb.create_string(s));
    let error_message = response
        .error_message
        .as_deref()
        .map(|s| fbb.create_string(s));
    let start = fbb.start_table();
    fbb.push_slot::<i32>(4, response.status_code, 0);
    fbb.push_slot::<bool>(6, response.yielded, false);
    fbb.push_slot::<u32>(8, response.backlog_remaining, 0);
    fbb.push_slot_always(10, frames);
    fbb.push_slot_always(12, arena);
    if let Some(code) = error_code {
        fbb.push_slot_always(14, code);
    }
    if let Some(message) = error_message {
        fbb.push_slot_always(16, message);
    }
    let root = fbb.end_table(start);
    fbb.finish(root, Some(RESPONSE_IDENTIFIER));
    Ok(fbb.finished_data().to_vec())
}

fn check_frames(frames: &[Frame], arena_len: usize) -> Result<()> {
    for (index, frame) in frames.iter().enumerate() {
        if frame.range(arena_len).is_none() {
            return Err(Error::new(
                ErrorCode::InvokeFrameOutOfArena,
                format!(
                    "frame {index} (offset {}, size {}) exceeds the {arena_len}-byte payload arena",
                    frame.offset, frame.size
                ),
            ));
        }
    }
    Ok(())
}

/// Rejects envelopes whose encoding could exceed [`MAX_ENVELOPE_BYTES`] (the builder would
/// panic). The estimate over-counts: 128 bytes of table/vtable overhead per frame.
fn check_size(frames: &[Frame], arena_len: usize, strings: usize) -> Result<()> {
    let per_frame = |frame: &Frame| {
        let type_ref = frame.type_ref.as_ref().map_or(0, |t| {
            [&t.schema_name, &t.file_identifier, &t.root_type_name]
                .iter()
                .map(|s| s.as_ref().map_or(0, |s| s.len() + 8))
                .sum::<usize>()
                + t.schema_hash.len()
                + 64
        });
        128 + type_ref + frame.port_id.as_ref().map_or(0, |s| s.len() + 8)
    };
    let total = frames.iter().map(per_frame).try_fold(
        arena_len.saturating_add(strings).saturating_add(1024),
        usize::checked_add,
    );
    match total {
        Some(total) if total <= MAX_ENVELOPE_BYTES => Ok(()),
        _ => Err(Error::new(
            ErrorCode::InvokeLimitExceeded,
            "invoke envelope would exceed the 2 GiB FlatBuffers limit",
        )),
    }
}

fn write_frames<'fbb>(
    fbb: &mut FlatBufferBuilder<'fbb>,
    frames: &[Frame],
) -> WIPOffset<flatbuffers::Vector<'fbb, flatbuffers::ForwardsUOffset<flatbuffers::Table<'fbb>>>> {
    let offsets: Vec<WIPOffset<flatbuffers::Table<'fbb>>> =
        frames.iter().map(|frame| write_frame(fbb, frame)).collect();
    fbb.create_vector(&offsets)
}

fn write_frame<'fbb>(
    fbb: &mut FlatBufferBuilder<'fbb>,
    frame: &Frame,
) -> WIPOffset<flatbuffers::Table<'fbb>> {
    let type_ref = frame
        .type_ref
        .as_ref()
        // The shared FlatBufferTypeRef writer: scalars equal to their default are not stored,
        // exactly as the reference's frame encoder leaves them out.
        .map(|type_ref| write_type_ref(fbb, &crate::fbs::TypeRef::from(type_ref)));
    let port_id = frame.port_id.as_deref().map(|port| fbb.create_string(port));
    let start = fbb.start_table();
    if let Some(type_ref) = type_ref {
        fbb.push_slot_always(4, type_ref);
    }
    if let Some(port_id) = port_id {
        fbb.push_slot_always(6, port_id);
    }
    fbb.push_slot::<u16>(8, frame.alignment, 8);
    fbb.push_slot::<u32>(10, frame.offset, 0);
    fbb.push_slot::<u32>(12, frame.size, 0);
    fbb.push_slot::<u8>(14, frame.ownership, 0);
    fbb.push_slot::<u32>(16, frame.generation, 0);
    fbb.push_slot::<u8>(18, frame.mutability, 0);
    fbb.push_slot::<u64>(20, frame.trace_id, 0);
    fbb.push_slot::<u32>(22, frame.stream_id, 0);
    fbb.push_slot::<u64>(24, frame.sequence, 0);
    fbb.push_slot::<bool>(26, frame.end_of_stream, false);
    WIPOffset::new(fbb.end_table(start).value())
}
