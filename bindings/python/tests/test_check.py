"""Compliance check: the reference's report codes, severities and locations, in its order."""

from __future__ import annotations

import pytest

import space_data_module as sdm
from conftest import VECTORS, read_json

DIR = VECTORS / "differential" / "compliance"


def _cases():
    for path in sorted(DIR.glob("*.input.json"), key=lambda p: int(p.name.split(".")[0])):
        case = read_json(path)
        # exportNames (no module, only a list of names) is a reference-only entry point, and
        # validatePluginArtifact without a module reports differently from `check`.
        if "exportNames" in case:
            continue
        if case["validator"] == "validatePluginArtifact" and "wasmPath" not in case:
            continue
        yield pytest.param(int(path.name.split(".")[0]), case, id=f"{path.name.split('.')[0]}-{case['validator']}")


CASES = list(_cases())


def test_most_compliance_cases_apply() -> None:
    assert len(CASES) >= 80


@pytest.mark.parametrize("number,case", CASES)
def test_check_returns_the_reference_codes(number: int, case: dict) -> None:
    manifest = (DIR / case["manifest"]).read_text(encoding="utf-8")
    wasm = (DIR / case["wasmPath"]).read_bytes() if "wasmPath" in case else None
    report = sdm.check(
        manifest,
        wasm,
        standards="Standards" in case["validator"],
        manifest_name=case.get("sourceName", case.get("manifestPath")),
        wasm_name=case.get("wasmPath"),
    )
    expected = read_json(DIR / f"{number}.report.json")
    assert report["ok"] == expected["ok"]
    got = [(i["severity"], i["code"], i["location"]) for i in report["issues"]]
    want = [(i["severity"], i["code"], i["location"]) for i in expected["issues"]]
    assert got == want
    for issue in report["issues"]:
        assert isinstance(issue["message"], str) and issue["message"]


def test_a_failing_manifest_is_a_report_not_an_exception() -> None:
    report = sdm.check({"pluginId": ""})
    assert report["ok"] is False
    assert any(issue["severity"] == "error" for issue in report["issues"])
    assert {"code", "severity", "location", "message"} <= set(report["issues"][0])


def test_check_with_an_invalid_module_raises(raises_code) -> None:
    with raises_code(sdm.WasmError, "wasm-invalid", 208):
        sdm.check({"pluginId": "x"}, b"\x00asm\x01\x00\x00\x00\x01\xff")
