"""Single-file bundles: the reference's bundle vectors parse to its JSON; create reproduces its
vector byte for byte; inspect/verify catch a changed hash."""

from __future__ import annotations

import pytest

import space_data_module as sdm
from conftest import VECTORS, read_json

BUNDLE_DIR = VECTORS / "differential" / "bundle"
CASES = sorted(
    (int(p.name.split(".")[0]) for p in BUNDLE_DIR.glob("*.parsed.json")),
)
SINGLE_FILE = VECTORS / "single-file-bundle"


def test_there_are_fifteen_bundle_cases() -> None:
    assert CASES == list(range(1, 16))


@pytest.mark.parametrize("case", CASES)
def test_bundle_vectors_parse_to_the_expected_json(case: int) -> None:
    module = (BUNDLE_DIR / f"{case}.bundled.wasm").read_bytes()
    expected = read_json(BUNDLE_DIR / f"{case}.parsed.json")
    section = read_json(BUNDLE_DIR / f"{case}.bundle-input.json").get("parseOptions", {}).get(
        "bundleSectionName"
    )
    if section is None:
        assert sdm.parse_bundle(module) == expected
    report = sdm.inspect(module, bundle_section_name=section)
    assert "verified" not in report
    assert report == expected


def test_create_bundle_reproduces_the_reference_bytes() -> None:
    # Case 13: a manifest and nothing else, over a module with stale custom sections.
    base = (BUNDLE_DIR / "tiny-custom.wasm").read_bytes()
    manifest = (BUNDLE_DIR / "13.manifest.json").read_text(encoding="utf-8")
    bundled = sdm.create_bundle(base, manifest)
    assert bundled == (BUNDLE_DIR / "13.bundled.wasm").read_bytes()
    assert sdm.parse_bundle(bundled) == read_json(BUNDLE_DIR / "13.parsed.json")


def test_create_bundle_options() -> None:
    base = (SINGLE_FILE / "base-module.wasm").read_bytes()
    manifest = read_json(SINGLE_FILE / "manifest.json")
    authorization = read_json(SINGLE_FILE / "authorization.json")
    bundled = sdm.create_bundle(
        base, manifest, authorization=authorization, deployment_plan={"version": 1},
        module_format="custom-format",
    )
    parsed = sdm.verify_bundle(bundled)
    assert parsed["pluginId"] == manifest["pluginId"]
    assert parsed["moduleFormat"] == "custom-format"
    assert parsed["canonicalModuleHashHex"] == sdm.parse_bundle(
        (SINGLE_FILE / "single-file-module.wasm").read_bytes()
    )["canonicalModuleHashHex"]
    entry = next(e for e in parsed["entries"] if e.get("decodedJson") == authorization)
    assert entry["payloadEncoding"] == "json-utf8"
    named = sdm.create_bundle(base, manifest, bundle_section_name="acme.bundle")
    assert sdm.inspect(named, bundle_section_name="acme.bundle")["pluginId"] == manifest["pluginId"]


def test_inspect_verify_reports_a_changed_hash_and_verify_bundle_raises(raises_code) -> None:
    vector = (SINGLE_FILE / "single-file-module.wasm").read_bytes()
    assert sdm.inspect(vector, verify=True)["verified"] is True
    # Flip one byte of the code (outside the bundle section): the canonical hash changes.
    tampered = bytearray(vector)
    tampered[100] ^= 0xFF
    report = sdm.inspect(bytes(tampered), verify=True)
    assert report["verified"] is False
    assert report["mismatches"][0]["field"]
    with raises_code(sdm.BundleError, "bundle-hash-mismatch", 305):
        sdm.verify_bundle(bytes(tampered))


def test_bundle_errors_have_their_classes(raises_code) -> None:
    tiny = (BUNDLE_DIR / "tiny.wasm").read_bytes()
    with raises_code(sdm.BundleError, "bundle-missing", 300):
        sdm.parse_bundle(tiny)
    with raises_code(sdm.WasmError, "wasm-magic-mismatch", 201):
        sdm.parse_bundle(b"not wasm at all")
