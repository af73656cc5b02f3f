//! Invoke envelope codec against the reference vectors (`vectors/invoke/`), plus round trips.

use std::path::{Path, PathBuf};

use serde_json::Value;
use space_data_module::ErrorCode;
use space_data_module::conformance::{bytes_diff, json_diff, read_json};
use space_data_module::invoke::{
    self, AlignmentPolicy, ArenaBuilder, FrameSet, FrameSpec, InvokeRequest, InvokeResponse,
    TypeRef, WireFormat,
    json::{request_from_json, request_to_json, response_from_json, response_to_json},
};

fn vectors() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../vectors/invoke"))
}

/// Every `NAME.{request,response}` case in the vector directory.
fn cases(kind: &str) -> Vec<String> {
    let suffix = format!(".{kind}.fb");
    let mut names: Vec<String> = std::fs::read_dir(vectors())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|name| name.strip_suffix(&suffix).map(str::to_owned))
        .collect();
    names.sort();
    names
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

#[test]
fn request_vectors_encode_byte_exact_and_decode_semantically() {
    let names = cases("request");
    assert_eq!(names.len(), 4, "{names:?}");
    for name in names {
        let dir = vectors();
        let input = read_json(&dir.join(format!("{name}.request.json"))).unwrap();
        let expected = read(&dir.join(format!("{name}.request.fb")));
        let request = request_from_json(&input).unwrap();
        let encoded = invoke::encode_request(&request).unwrap();
        assert_eq!(
            bytes_diff(&expected, &encoded),
            None,
            "{name}: encode differs"
        );
        let decoded = invoke::decode_request(&expected).unwrap();
        let want: Value = read_json(&dir.join(format!("{name}.request.decoded.json"))).unwrap();
        assert_eq!(
            json_diff(&want, &request_to_json(&decoded)),
            None,
            "{name}: decode differs"
        );
        assert_eq!(
            decoded, request,
            "{name}: decoded value equals the encoded one"
        );
    }
}

#[test]
fn response_vectors_encode_byte_exact_and_decode_semantically() {
    let names = cases("response");
    assert_eq!(names.len(), 4, "{names:?}");
    for name in names {
        let dir = vectors();
        let input = read_json(&dir.join(format!("{name}.response.json"))).unwrap();
        let expected = read(&dir.join(format!("{name}.response.fb")));
        let response = response_from_json(&input).unwrap();
        let encoded = invoke::encode_response(&response).unwrap();
        assert_eq!(
            bytes_diff(&expected, &encoded),
            None,
            "{name}: encode differs"
        );
        let decoded = invoke::decode_response(&expected).unwrap();
        let want: Value = read_json(&dir.join(format!("{name}.response.decoded.json"))).unwrap();
        assert_eq!(
            json_diff(&want, &response_to_json(&decoded)),
            None,
            "{name}: decode differs"
        );
        assert_eq!(
            decoded, response,
            "{name}: decoded value equals the encoded one"
        );
    }
}

#[test]
fn worked_example_is_148_bytes() {
    let bytes = read(&vectors().join("one-frame.request.fb"));
    assert_eq!(bytes.len(), 148);
    let request = invoke::decode_request(&bytes).unwrap();
    assert_eq!(request.method_id, "echo");
    assert_eq!(request.payload(0), Some(&b"hi"[..]));
}

#[test]
fn wrong_identifiers_and_garbage_are_errors() {
    let request = read(&vectors().join("one-frame.request.fb"));
    let response = read(&vectors().join("empty.response.fb"));
    assert_eq!(
        invoke::decode_response(&request).unwrap_err().code(),
        ErrorCode::InvokeResponseIdentifierMismatch
    );
    let err = invoke::decode_request(&response).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvokeRequestIdentifierMismatch);
    assert_eq!(
        err.message(),
        "Plugin invoke request buffer identifier mismatch."
    );
    for garbage in [
        &b""[..],
        b"\x01\x02\x03\x04\x05\x06",
        b"\xff\xff\xff\xffPINQ",
        b"\x08\x00\x00\x00PINQ\x00\x00",
    ] {
        assert!(invoke::decode_request(garbage).is_err());
    }
    // Every truncation of a valid buffer is an error or a valid decode, never a panic.
    for len in 0..request.len() {
        let _ = invoke::decode_request(&request[..len]);
    }
    // Every single-byte corruption likewise.
    for at in 0..request.len() {
        let mut copy = request.clone();
        copy[at] ^= 0xa5;
        let _ = invoke::decode_request(&copy);
    }
}

#[test]
fn a_frame_outside_the_arena_is_rejected() {
    // Offset 10, size 5 over a 2-byte arena: the reference decodes an empty payload; we refuse.
    let mut request = InvokeRequest {
        method_id: "m".into(),
        ..InvokeRequest::default()
    };
    request.payload_arena = vec![1, 2];
    request.input_frames.push(invoke::Frame {
        offset: 10,
        size: 5,
        ..invoke::Frame::default()
    });
    assert_eq!(
        invoke::encode_request(&request).unwrap_err().code(),
        ErrorCode::InvokeFrameOutOfArena
    );
    // Encode a valid one, then patch its offset field in place to craft the bad buffer.
    request.input_frames[0] = invoke::Frame {
        offset: 1,
        size: 1,
        ..invoke::Frame::default()
    };
    let mut bytes = invoke::encode_request(&request).unwrap();
    let decoded = invoke::decode_request(&bytes).unwrap();
    assert_eq!(decoded.payload(0), Some(&[2u8][..]));
    // Find the u32 offset value 1 followed by size 1 and bump the offset.
    let pos = bytes
        .windows(8)
        .position(|w| w == [1, 0, 0, 0, 1, 0, 0, 0])
        .unwrap();
    bytes[pos] = 10;
    assert_eq!(
        invoke::decode_request(&bytes).unwrap_err().code(),
        ErrorCode::InvokeFrameOutOfArena
    );
}

#[test]
fn frame_count_limit_applies() {
    let payloads: Vec<[u8; 1]> = (0..10u8).map(|i| [i]).collect();
    let frames = payloads
        .iter()
        .enumerate()
        .map(|(i, p)| (FrameSpec::new(format!("p{i}"), None), &p[..]));
    let bytes = invoke::encode_request(&InvokeRequest::build("m", frames).unwrap()).unwrap();
    let limits = invoke::DecodeLimits {
        max_frames: 9,
        ..Default::default()
    };
    assert_eq!(
        invoke::decode_request_with(&bytes, &limits)
            .unwrap_err()
            .code(),
        ErrorCode::InvokeLimitExceeded
    );
    let limits = invoke::DecodeLimits {
        max_bytes: bytes.len() - 1,
        ..Default::default()
    };
    assert_eq!(
        invoke::decode_request_with(&bytes, &limits)
            .unwrap_err()
            .code(),
        ErrorCode::InvokeLimitExceeded
    );
}

fn aligned_type(required: u16, byte_length: u32) -> TypeRef {
    TypeRef {
        schema_name: Some("StateVector.fbs".into()),
        file_identifier: Some("STVC".into()),
        schema_hash: vec![0xde, 0xad],
        wire_format: WireFormat::AlignedBinary,
        root_type_name: Some("StateVector".into()),
        fixed_string_length: 32,
        byte_length,
        required_alignment: required,
        ..TypeRef::default()
    }
}

#[test]
fn many_ports_round_trip_with_routing_and_metadata() {
    let payloads: Vec<Vec<u8>> = (0..40u32)
        .map(|i| (0..(i * 7 % 33)).map(|b| (b ^ i) as u8).collect())
        .collect();
    let mut builder = ArenaBuilder::new(AlignmentPolicy::Strict);
    for (i, payload) in payloads.iter().enumerate() {
        let port = format!("port{}", i % 5);
        let type_ref = match i % 3 {
            0 => None,
            1 => Some(aligned_type(1 << (i % 6), payload.len() as u32)),
            _ => Some(TypeRef {
                schema_name: Some("OMM.fbs".into()),
                file_identifier: Some("$OMM".into()),
                ..TypeRef::default()
            }),
        };
        let spec = FrameSpec {
            trace_id: u64::MAX - i as u64,
            sequence: i as u64,
            stream_id: i as u32,
            end_of_stream: i % 2 == 0,
            generation: 3,
            ownership: (i % 4) as u8,
            mutability: (i % 3) as u8,
            ..FrameSpec::new(port, type_ref)
        };
        builder.push(spec, payload).unwrap();
    }
    let (frames, arena) = builder.finish();
    for frame in &frames {
        assert_eq!(frame.offset % u32::from(frame.alignment), 0);
    }
    let request = InvokeRequest {
        method_id: "fanout".into(),
        input_frames: frames.clone(),
        payload_arena: arena.clone(),
    };
    let decoded = invoke::decode_request(&invoke::encode_request(&request).unwrap()).unwrap();
    assert_eq!(decoded, request);
    for (i, payload) in payloads.iter().enumerate() {
        let port = format!("port{}", i % 5);
        let index = decoded.find_frame(&port, i / 5).unwrap();
        assert_eq!(index, i);
        assert_eq!(decoded.payload(index).unwrap(), &payload[..]);
    }
    assert_eq!(decoded.payloads_on_port("port0").len(), 8);
    assert_eq!(decoded.find_frame("port0", 8), None);

    let response = InvokeResponse {
        status_code: -7,
        yielded: true,
        backlog_remaining: 9,
        output_frames: frames,
        payload_arena: arena,
        error_code: Some("code".into()),
        error_message: Some("".into()),
    };
    let decoded = invoke::decode_response(&invoke::encode_response(&response).unwrap()).unwrap();
    assert_eq!(decoded, response);
}

#[test]
fn json_round_trip_of_decoded_form_keeps_aligned_metadata() {
    let request = InvokeRequest::build(
        "m",
        [(
            FrameSpec::new("in", Some(aligned_type(16, 48))),
            &[5u8; 48][..],
        )],
    )
    .unwrap();
    let json = request_to_json(&request);
    let type_ref = &json["inputs"][0]["typeRef"];
    assert_eq!(type_ref["wireFormat"], "aligned-binary");
    assert_eq!(type_ref["rootTypeName"], "StateVector");
    assert_eq!(type_ref["fixedStringLength"], 32);
    assert_eq!(type_ref["byteLength"], 48);
    assert_eq!(type_ref["requiredAlignment"], 16);
    assert_eq!(json["inputs"][0]["alignment"], 16);
    // The decoded form is itself acceptable encoder input and packs to the same bytes.
    let again = request_from_json(&json).unwrap();
    assert_eq!(
        invoke::encode_request(&again).unwrap(),
        invoke::encode_request(&request).unwrap()
    );
    let response = response_to_json(&InvokeResponse::default());
    assert_eq!(response["errorCode"], Value::Null);
}

#[test]
fn the_conformance_runner_passes_the_invoke_vectors() {
    let summary = space_data_module::conformance::run_dir(&vectors()).unwrap();
    assert_eq!(summary.outcomes.len(), 8);
    assert!(summary.outcomes.iter().all(|o| o.layout == "invoke"));
    assert_eq!(
        summary.failed(),
        0,
        "{:?}",
        summary.failures().collect::<Vec<_>>()
    );
}

mod properties {
    use proptest::prelude::*;
    use space_data_module::invoke::{
        self, FrameSet, FrameSpec, InvokeRequest, InvokeResponse, TypeRef, WireFormat,
    };

    fn type_ref() -> impl Strategy<Value = Option<TypeRef>> {
        proptest::option::of(
            (
                any::<bool>(),
                proptest::collection::vec(any::<u8>(), 0..8),
                0u16..4,
                any::<u32>(),
                any::<u16>(),
                proptest::option::of("[a-z]{0,6}"),
            )
                .prop_map(|(aligned, hash, shift, byte_length, fixed, root)| TypeRef {
                    schema_name: Some("S.fbs".into()),
                    file_identifier: None,
                    schema_hash: hash,
                    accepts_any_flatbuffer: !aligned,
                    wire_format: if aligned {
                        WireFormat::AlignedBinary
                    } else {
                        WireFormat::Flatbuffer
                    },
                    root_type_name: root,
                    fixed_string_length: fixed,
                    byte_length,
                    required_alignment: 1 << shift,
                }),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..256), tag in 0u8..3) {
            let mut bytes = bytes;
            if tag > 0 && bytes.len() >= 8 {
                bytes[4..8].copy_from_slice(if tag == 1 { b"PINQ" } else { b"PINS" });
            }
            let _ = invoke::decode_request(&bytes);
            let _ = invoke::decode_response(&bytes);
        }

        #[test]
        fn envelopes_round_trip(
            frames in proptest::collection::vec((0u8..4, type_ref(), proptest::collection::vec(any::<u8>(), 0..40), any::<u64>()), 0..12),
            status in any::<i32>(),
        ) {
            let specs: Vec<(FrameSpec, &[u8])> = frames
                .iter()
                .map(|(port, type_ref, payload, trace)| (FrameSpec { trace_id: *trace, ..FrameSpec::new(format!("p{port}"), type_ref.clone()) }, payload.as_slice()))
                .collect();
            let request = InvokeRequest::build("m", specs).unwrap();
            let decoded = invoke::decode_request(&invoke::encode_request(&request).unwrap()).unwrap();
            prop_assert_eq!(&decoded, &request);
            for (index, (_, _, payload, _)) in frames.iter().enumerate() {
                prop_assert_eq!(decoded.payload(index).unwrap(), payload.as_slice());
            }
            let response = InvokeResponse { status_code: status, output_frames: request.input_frames.clone(), payload_arena: request.payload_arena.clone(), ..InvokeResponse::default() };
            prop_assert_eq!(invoke::decode_response(&invoke::encode_response(&response).unwrap()).unwrap(), response);
        }
    }
}

#[test]
fn type_refs_convert_to_and_from_the_manifest_form() {
    let frame_type = aligned_type(16, 48);
    let manifest_type = space_data_module::fbs::TypeRef::from(&frame_type);
    assert_eq!(
        (manifest_type.required_alignment, manifest_type.byte_length),
        (Some(16), Some(48))
    );
    assert_eq!(TypeRef::from(&manifest_type), frame_type);
    let plain = space_data_module::fbs::TypeRef::from(&TypeRef::default());
    assert_eq!(
        (
            plain.fixed_string_length,
            plain.byte_length,
            plain.wire_format
        ),
        (None, None, 0)
    );
}
