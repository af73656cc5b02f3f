"""protect -> open, keys, and the loader's refusals as exceptions with the right class and code."""

from __future__ import annotations

import pytest

import space_data_module as sdm
from conftest import VECTORS, read_json

PUB = VECTORS / "publication"
INPUTS = PUB / "inputs"


@pytest.fixture(scope="module")
def base_wasm() -> bytes:
    return (INPUTS / "base-module.wasm").read_bytes()


@pytest.fixture(scope="module")
def manifest() -> str:
    return (INPUTS / "manifest.json").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def signer() -> sdm.Signer:
    return sdm.generate_signer()


def test_protect_open_round_trip(base_wasm: bytes, manifest: str, signer: sdm.Signer) -> None:
    artifact = sdm.protect(base_wasm, manifest, signer=signer)
    assert artifact.startswith(b"\x00asm") and len(artifact) > len(base_wasm)
    opened = sdm.open(artifact, trust=[signer.public_key_hex])
    assert opened.wasm == base_wasm
    assert opened.report["outcome"] == "ok" and opened.report["status"] == 0
    assert opened.report["authentication"]["signed"] is True
    assert opened.report["report"]["signature"]["signerPublicKeyHex"] == signer.public_key_hex


def test_protect_encrypted_single_file_bundle_round_trip(base_wasm: bytes, manifest: str, signer: sdm.Signer) -> None:
    recipient = sdm.generate_recipient()
    for encrypt_for in (recipient.public_key_hex, recipient.public_key):
        artifact = sdm.protect(base_wasm, manifest, signer=signer, encrypt_for=encrypt_for, single_file_bundle=True)
        opened = sdm.open(artifact, trust=[signer.public_key_hex], decrypt_with=recipient)
        # The bundled module: the same code with the manifest (and authorization) embedded.
        parsed = sdm.parse_bundle(opened.wasm)
        assert parsed["pluginId"] == sdm.decode_manifest(sdm.encode_manifest(manifest))["pluginId"]
        assert opened.manifest is not None and opened.manifest["pluginId"] == parsed["pluginId"]
        assert isinstance(opened.declared_capabilities, list)


def test_wrong_key_raises_security_error(base_wasm: bytes, manifest: str, signer: sdm.Signer, raises_code) -> None:
    recipient = sdm.generate_recipient()
    artifact = sdm.protect(base_wasm, manifest, signer=signer, encrypt_for=recipient.public_key_hex)
    with raises_code(sdm.SecurityError, "decrypted-payload-invalid", 609) as caught:
        sdm.open(artifact, trust=[signer.public_key_hex], decrypt_with=sdm.generate_recipient())
    assert caught.error.report["outcome"] == "error"
    assert caught.error.report["code"] == "decrypted-payload-invalid"
    with raises_code(sdm.SecurityError, "decryption-key-required", 607):
        sdm.open(artifact, trust=[signer.public_key_hex])


def test_a_recipient_of_the_wrong_type_is_a_usage_error(base_wasm: bytes, manifest: str, signer: sdm.Signer, raises_code) -> None:
    with raises_code(sdm.UsageError, "invalid-argument", 4) as caught:
        sdm.protect(base_wasm, manifest, signer=signer, encrypt_for=123)  # type: ignore[arg-type]
    assert isinstance(caught.error, sdm.InvalidInputError)
    with raises_code(sdm.SecurityError, "key-invalid", 616):
        sdm.protect(base_wasm, manifest, signer=signer, encrypt_for="00" * 31)


def test_tampered_byte_raises_cid_mismatch(base_wasm: bytes, manifest: str, signer: sdm.Signer, raises_code) -> None:
    artifact = bytearray(sdm.protect(base_wasm, manifest, signer=signer))
    artifact[200] ^= 0x01
    with raises_code(sdm.SecurityError, "cid-mismatch", 603) as caught:
        sdm.open(bytes(artifact), trust=[signer.public_key_hex])
    # The partial report says what the loader established before refusing.
    assert caught.error.report["report"]["cid"]["matches"] is False


def test_untrusted_signer_raises_signature_invalid(base_wasm: bytes, manifest: str, signer: sdm.Signer, raises_code) -> None:
    artifact = sdm.protect(base_wasm, manifest, signer=signer)
    stranger = sdm.generate_signer()
    with raises_code(sdm.SecurityError, "signature-invalid", 605):
        sdm.open(artifact, trust=[stranger.public_key_hex])
    with raises_code(sdm.SecurityError, "trailer-missing", 601):
        sdm.open(base_wasm, trust=[signer.public_key_hex])
    assert sdm.open(base_wasm, trust=[], allow_unsigned=True).wasm == base_wasm


CASES = read_json(PUB / "index.json")["cases"]


@pytest.mark.parametrize("case", [c for c in CASES if c["kind"] == "artifact"], ids=lambda c: c["id"])
def test_publication_vectors(case: dict, raises_code) -> None:
    directory = PUB / case["dir"]
    expected = read_json(directory / "expected.json")
    inputs = expected["loaderInputs"]
    key_hex = inputs.get("recipientPrivateKeyHex")
    recipient = sdm.RecipientKey.from_private_key(bytes.fromhex(key_hex)) if key_hex else None
    artifact = (directory / expected.get("artifact", "artifact.wasm")).read_bytes()

    def run() -> sdm.Opened:
        return sdm.open(
            artifact,
            trust=inputs.get("trustedSignerPublicKeysHex", []),
            decrypt_with=recipient,
            allow_unsigned=not inputs.get("requireSignature", True),
        )

    if case["outcome"] == "ok":
        opened = run()
        assert opened.report["outcome"] == "ok"
        decrypted = directory / "decrypted.wasm"
        if decrypted.exists():
            assert opened.wasm == decrypted.read_bytes()
    else:
        with pytest.raises(sdm.SdmError) as caught:
            run()
        assert caught.value.code == case["errorClass"]
        assert isinstance(caught.value, sdm.SecurityError) or caught.value.code == "wasm-invalid"


def test_key_files_round_trip(tmp_path, signer: sdm.Signer) -> None:
    path = tmp_path / "signer.json"
    signer.to_file(path)
    assert (path.stat().st_mode & 0o777) == 0o600
    assert sdm.Signer.from_file(str(path)).public_key_hex == signer.public_key_hex
    recipient = sdm.generate_recipient()
    recipient.to_file(tmp_path / "recipient.json")
    back = sdm.RecipientKey.from_file(tmp_path / "recipient.json")
    assert back.public_key == recipient.public_key and len(back.public_key) == 32
    # Secrets never show: repr and the file API only ever expose public keys.
    assert "public_key_hex" in repr(back) and "private" not in repr(back)


def test_mnemonic_keys_are_deterministic(raises_code) -> None:
    phrase = sdm.generate_mnemonic()
    assert len(phrase.split()) == 12
    a, b = sdm.Signer.from_mnemonic(phrase), sdm.Signer.from_mnemonic(f"  {phrase}\n")
    assert a.public_key_hex == b.public_key_hex and len(a.public_key_hex) == 66
    assert a.derivation_path == "m/44'/0'/0'/0/0"
    keys = read_json(INPUTS / "keys.json")["signer"]
    assert sdm.Signer.from_mnemonic(keys["mnemonic"]).public_key_hex == keys["publicKeyHex"]
    raw = sdm.Signer.from_private_key(bytes.fromhex(keys["privateKeyHex"]))
    assert raw.public_key_hex == keys["publicKeyHex"] and raw.derivation_path is None
    with raises_code(sdm.SecurityError, "key-invalid", 616):
        sdm.Signer.from_mnemonic("not a mnemonic")
    with raises_code(sdm.SecurityError, "key-invalid", 616):
        sdm.RecipientKey.from_private_key(b"short")
