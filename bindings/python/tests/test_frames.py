"""Typed output-frame metadata (Response.output_frames): every field of the core's
InvokeResult output frame, checked against what the CLI's `invoke --json` prints for the same
call, for a plain flatbuffer (examples/invoke-echo) and an aligned-binary record
(examples/aligned-echo)."""

from __future__ import annotations

import base64
import json
import os
import subprocess
from pathlib import Path

import pytest

import space_data_module as sdm

FIELDS = ("alignment", "offset", "size", "ownership", "generation", "mutability", "streamId", "endOfStream")
TYPE_FIELDS = {
    "schemaName": "schema_name",
    "fileIdentifier": "file_identifier",
    "acceptsAnyFlatbuffer": "accepts_any_flatbuffer",
    "wireFormat": "wire_format",
    "rootTypeName": "root_type_name",
    "fixedStringLength": "fixed_string_length",
    "byteLength": "byte_length",
    "requiredAlignment": "required_alignment",
}


def snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name)


def frame_json(frame: sdm.OutputFrame) -> dict:
    """The core's InvokeResult form of a typed frame (what the runtime matrix writes)."""
    type_ref = frame.type_ref
    out = {name: getattr(frame, snake(name)) for name in FIELDS}
    out.update(
        portId=frame.port_id,
        traceId=str(frame.trace_id),
        sequence=str(frame.sequence),
        payloadBase64=base64.b64encode(frame.payload).decode(),
        typeRef=None
        if type_ref is None
        else {**{key: getattr(type_ref, attr) for key, attr in TYPE_FIELDS.items()}, "schemaHash": list(type_ref.schema_hash)},
    )
    return out


def cli_invoke(tmp_path: Path, wasm: bytes, port: str, payload: bytes) -> dict:
    cli = os.environ.get("SDM_CLI")
    if not cli or not Path(cli).is_file():
        pytest.skip("SDM_CLI not set: the CLI's invoke --json is the reference here (`make run-test-python` sets it)")
    (tmp_path / "m.wasm").write_bytes(wasm)
    (tmp_path / "in.bin").write_bytes(payload)
    out = subprocess.run(
        [cli, "invoke", str(tmp_path / "m.wasm"), "--allow-unsigned", "--method", "echo", "--input-port", port,
         "--input", str(tmp_path / "in.bin"), "--json"],
        capture_output=True, text=True, check=True,
    )
    return json.loads(out.stdout)


def test_aligned_binary_metadata(runtime, aligned_echo_wasm, tmp_path) -> None:
    payload = bytes(range(24))
    with runtime.load(sdm.open(aligned_echo_wasm, trust=[], allow_unsigned=True)) as module:
        response = module.invoke("echo", {"in": payload})
    assert response.status_code == 0, response
    (frame,) = response.output_frames
    assert isinstance(frame, sdm.OutputFrame)
    assert (frame.port_id, frame.payload, frame.size) == ("record", payload, 24)
    assert frame.alignment == 16 and frame.offset % 16 == 0
    type_ref = frame.type_ref
    assert isinstance(type_ref, sdm.TypeRef)
    assert (type_ref.schema_name, type_ref.file_identifier, type_ref.root_type_name) == ("Vec3.fbs", "VEC3", "Vec3")
    assert (type_ref.wire_format, type_ref.byte_length, type_ref.required_alignment) == ("aligned-binary", 24, 16)
    assert type_ref.schema_hash == b"" and type_ref.accepts_any_flatbuffer is False
    assert type_ref == response.output_frames[0].type_ref
    expected = cli_invoke(tmp_path, aligned_echo_wasm, "in", payload)
    assert [frame_json(f) for f in response.output_frames] == expected["outputs"]


def test_flatbuffer_metadata_matches_the_core(echo_module, echo_direct_wasm, tmp_path) -> None:
    payload = b"\x08\x00\x00\x00$OMM" + bytes(8)
    response = echo_module.invoke("echo", {"echo": payload})
    (frame,) = response.output_frames
    assert frame.type_ref is not None and frame.type_ref.wire_format == "flatbuffer"
    assert (frame.trace_id, frame.sequence, frame.end_of_stream) == (0, 0, False)
    # output_frames agrees with frames and outputs.
    assert [(f.port_id, f.payload) for f in response.output_frames] == response.frames
    expected = cli_invoke(tmp_path, echo_direct_wasm, "echo", payload)
    assert [frame_json(f) for f in response.output_frames] == expected["outputs"]
    # A failed call has no frames.
    assert echo_module.invoke("echo").output_frames == []
