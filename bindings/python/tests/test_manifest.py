"""Manifest codec: every vector encodes byte-identically to the reference and decodes to its
decoded JSON."""

from __future__ import annotations

import json

import pytest

import space_data_module as sdm
from conftest import VECTORS, read_json

# Every `X.fb` has its input `X.json` (and `X.decoded.json`, or `N.decoded.json` in the
# differential set).
MANIFEST_VECTORS = [p.with_suffix(".json") for p in sorted((VECTORS / "manifests").glob("*.fb"))]
DIFFERENTIAL = [
    p.with_suffix(".json")
    for p in sorted((VECTORS / "differential" / "manifest").glob("*.manifest.fb"), key=lambda p: int(p.name.split(".")[0]))
]


def test_the_vector_sets_are_there() -> None:
    assert len(MANIFEST_VECTORS) == 7
    assert len(DIFFERENTIAL) == 40


@pytest.mark.parametrize("path", MANIFEST_VECTORS + DIFFERENTIAL, ids=lambda p: p.name)
def test_manifest_vectors_encode_byte_identically(path) -> None:
    text = path.read_text(encoding="utf-8")
    expected = path.with_suffix(".fb").read_bytes()
    encoded = sdm.encode_manifest(text)
    assert isinstance(encoded, bytes)
    assert encoded == expected


@pytest.mark.parametrize("path", MANIFEST_VECTORS + DIFFERENTIAL, ids=lambda p: p.name)
def test_manifest_vectors_decode_to_the_reference_json(path) -> None:
    fb = path.with_suffix(".fb").read_bytes()
    decoded_path = path.with_suffix(".decoded.json")
    if not decoded_path.exists():
        decoded_path = path.with_name(path.name.split(".")[0] + ".decoded.json")
    assert sdm.decode_manifest(fb) == read_json(decoded_path)


@pytest.mark.parametrize("path", MANIFEST_VECTORS, ids=lambda p: p.name)
def test_a_dict_encodes_like_its_text(path) -> None:
    text = path.read_text(encoding="utf-8")
    assert sdm.encode_manifest(json.loads(text)) == sdm.encode_manifest(text)


def test_decode_refuses_what_is_not_a_manifest(raises_code) -> None:
    with raises_code(sdm.InvalidInputError, "manifest-identifier-mismatch", 100):
        sdm.decode_manifest(b"\x00\x00\x00\x00NOPE")
    fb = (VECTORS / "manifests" / "minimal.manifest.fb").read_bytes()
    with raises_code(sdm.InvalidInputError, "manifest-malformed", 101):
        sdm.decode_manifest(fb[:12])


def test_manifest_input_errors(raises_code) -> None:
    with raises_code(sdm.InvalidInputError, "invalid-json", 2):
        sdm.encode_manifest("{not json")
    # NaN is not JSON: refused before the core sees it, with the same code.
    with raises_code(sdm.InvalidInputError, "invalid-json", 2):
        sdm.encode_manifest({"pluginId": float("nan")})
    with raises_code(sdm.InvalidInputError, "invalid-json", 2):
        sdm.encode_manifest({"pluginId": object()})
