"""Module signatures in the WebAssembly tool-conventions format: keys, sign_wasm, verify_wasm,
and open requiring such a signature beside the PNM signature."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import space_data_module as sdm
from conftest import VECTORS

INPUTS = VECTORS / "publication" / "inputs"


@pytest.fixture(scope="module")
def base_wasm() -> bytes:
    return (INPUTS / "base-module.wasm").read_bytes()


def test_keys_round_trip_through_files(tmp_path: Path) -> None:
    key = sdm.WasmSigningKey.generate()
    assert len(key.public_key) == 32 and key.public_key.hex() == key.public_key_hex
    path = tmp_path / "signer.key"
    key.to_file(path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "signer.key.pub").read_bytes() == b"\x01" + key.public_key
    assert sdm.WasmSigningKey.from_file(path).public_key_hex == key.public_key_hex
    assert sdm.WasmSigningKey.from_bytes(path.read_bytes()).public_key_hex == key.public_key_hex


def test_sign_and_verify(base_wasm: bytes, tmp_path: Path, raises_code: Any) -> None:
    key, other = sdm.WasmSigningKey.generate(), sdm.WasmSigningKey.generate()
    signed = sdm.sign_wasm(base_wasm, [key], split_parts=True)
    report = sdm.verify_wasm(signed, trust=[other.public_key_hex, key.public_key_hex])
    assert report["complete"] is True and report["signers"] == [key.public_key_hex]

    other.to_file(tmp_path / "other.key")
    signature = sdm.sign_wasm(base_wasm, [key, other], detached=True, key_id="ci")
    both = sdm.verify_wasm(base_wasm, trust=[str(tmp_path / "other.key.pub")], signature=signature)
    assert both["signers"] == [other.public_key_hex]

    with raises_code(sdm.SecurityError, "wasm-signature-untrusted", 619):
        sdm.verify_wasm(signed, trust=[other.public_key_hex])
    with raises_code(sdm.SecurityError, "wasm-signature-missing", 617):
        sdm.verify_wasm(base_wasm, trust=[key.public_key_hex])
    tampered = bytearray(signed)
    tampered[-1] ^= 1
    with raises_code(sdm.SecurityError, "wasm-signature-mismatch", 620):
        sdm.verify_wasm(bytes(tampered), trust=[key.public_key_hex])
    extended = signed + b"\x00\x04\x03xyz"
    with raises_code(sdm.SecurityError, "wasm-signature-partial", 621):
        sdm.verify_wasm(extended, trust=[key.public_key_hex])
    assert sdm.verify_wasm(extended, trust=[key.public_key_hex], allow_partial=True)["complete"] is False
    with raises_code(sdm.SecurityError, "key-invalid", 616):
        sdm.WasmSigningKey.from_bytes(b"\x81" + bytes(63))


def test_open_requires_a_wasm_signature(base_wasm: bytes, raises_code: Any) -> None:
    manifest = (INPUTS / "manifest.json").read_text(encoding="utf-8")
    key, other = sdm.WasmSigningKey.generate(), sdm.WasmSigningKey.generate()
    signer = sdm.generate_signer()
    signed = sdm.sign_wasm(base_wasm, [key])
    artifact = sdm.protect(signed, manifest, signer=signer)
    opened = sdm.open(artifact, trust=[signer.public_key_hex], wasm_signers=[key.public_key_hex])
    assert opened.wasm == signed
    assert opened.report["wasmSignature"]["signers"] == [key.public_key_hex]
    with raises_code(sdm.SecurityError, "wasm-signature-untrusted", 619) as caught:
        sdm.open(artifact, trust=[signer.public_key_hex], wasm_signers=[other.public_key_hex])
    assert caught.error.report["report"]["signature"]["cidSignatureValid"] is True
    unsigned = sdm.protect(base_wasm, manifest, signer=signer)
    with raises_code(sdm.SecurityError, "wasm-signature-missing", 617):
        sdm.open(unsigned, trust=[signer.public_key_hex], wasm_signers=[key.public_key_hex])
    assert "wasmSignature" not in sdm.open(unsigned, trust=[signer.public_key_hex]).report
