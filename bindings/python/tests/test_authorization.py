"""Deployment authorizations: create + sign, verify, and the refusals' codes."""

from __future__ import annotations

import time

import space_data_module as sdm


def test_create_and_verify() -> None:
    signer = sdm.generate_signer()
    envelope = sdm.create_authorization(
        signer=signer,
        artifact_id="module-1",
        program_id="com.example.module",
        target={"id": "relay-1", "audience": "urn:sdn:test"},
        capabilities=["clock", "random"],
        ttl_ms=60_000,
        key_id="ops-key",
    )
    assert set(envelope) == {"protected", "payload", "signatureHex"}
    assert envelope["protected"]["keyId"] == "ops-key"
    payload = envelope["payload"]
    assert payload["artifactId"] == "module-1" and payload["capabilities"] == ["clock", "random"]
    assert abs(payload["issuedAt"] - time.time() * 1000) < 60_000

    verified = sdm.verify_authorization(
        envelope,
        trust=[signer.public_key_hex],
        artifact={"artifactId": "module-1"},
        target="relay-1",
        required_capabilities=["clock"],
    )
    assert verified == {"signerPublicKeyHex": signer.public_key_hex, "payload": payload}


def test_refusals_have_their_codes(raises_code) -> None:
    signer = sdm.generate_signer()
    envelope = sdm.create_authorization(signer=signer, artifact_id="a", capabilities=["clock"], issued_at=1_700_000_000_000, ttl_ms=1000)
    trust = [signer.public_key_hex]
    with raises_code(sdm.SecurityError, "signer-untrusted", 612):
        sdm.verify_authorization(envelope, trust=[sdm.generate_signer().public_key_hex], now=1_700_000_000_500)
    with raises_code(sdm.SecurityError, "authorization-expired", 613):
        sdm.verify_authorization(envelope, trust=trust)
    with raises_code(sdm.SecurityError, "authorization-mismatch", 615):
        sdm.verify_authorization(envelope, trust=trust, now=1_700_000_000_500, required_capabilities=["filesystem"])
    tampered = dict(envelope, payload=dict(envelope["payload"], artifactId="b"))
    with raises_code(sdm.SecurityError, "authorization-signature-invalid", 614):
        sdm.verify_authorization(tampered, trust=trust, now=1_700_000_000_500)
    with raises_code(sdm.SecurityError, "authorization-malformed", 611):
        sdm.verify_authorization({"payload": {}}, trust=trust)
    # Options of the wrong shape are refused by the core, never coerced.
    with raises_code(sdm.InvalidInputError, "invalid-argument", 4):
        sdm.create_authorization(signer=signer, capabilities=[1])  # type: ignore[list-item]
    with raises_code(sdm.InvalidInputError, "invalid-json", 2):
        sdm.create_authorization(signer=signer, ttl_ms=float("inf"))


def test_envelope_as_text() -> None:
    import json

    signer = sdm.generate_signer()
    envelope = sdm.create_authorization(signer=signer, artifact_id="x")
    verified = sdm.verify_authorization(json.dumps(envelope), trust=[signer.public_key_hex])
    assert verified["payload"]["artifactId"] == "x"
