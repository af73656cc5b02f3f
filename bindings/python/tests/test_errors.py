"""The exception classes: one per error class, stable codes and numbers, panics contained."""

from __future__ import annotations

import pickle

import space_data_module as sdm
from space_data_module import _native


def test_the_hierarchy() -> None:
    classes = {
        sdm.IoError: "io",
        sdm.InvalidInputError: "input",
        sdm.UsageError: "usage",
        sdm.WasmError: "wasm",
        sdm.BundleError: "bundle",
        sdm.SecurityError: "security",
        sdm.ExecutionError: "runtime",
        sdm.InternalError: "internal",
    }
    for cls, name in classes.items():
        assert issubclass(cls, sdm.SdmError) and cls.error_class == name
    assert issubclass(sdm.UsageError, sdm.InvalidInputError)
    assert issubclass(sdm.SdmError, Exception)


def test_io_errors(tmp_path, raises_code) -> None:
    with raises_code(sdm.IoError, "io", 1) as caught:
        sdm.Signer.from_file(tmp_path / "missing.json")
    assert "missing.json" in caught.error.message
    assert str(caught.error).startswith("[io] ")


def test_a_panic_inside_the_core_is_an_internal_error(raises_code) -> None:
    with raises_code(sdm.InternalError, "panic", 6) as caught:
        _native._debug_force_panic()
    assert "panic" in caught.error.message
    # The interpreter and the library keep working.
    assert sdm.check({"pluginId": "x"})["ok"] in (True, False)


def test_errors_pickle_with_their_code() -> None:
    try:
        sdm.decode_manifest(b"")
    except sdm.SdmError as err:
        back = pickle.loads(pickle.dumps(err))
        assert type(back) is type(err)
        assert (back.code, back.number, back.message) == (err.code, err.number, err.message)
    else:
        raise AssertionError("decode_manifest(b'') did not raise")


def test_wrong_argument_types_are_type_errors() -> None:
    import pytest

    with pytest.raises(TypeError):
        sdm.decode_manifest("not bytes")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        sdm.open(b"", trust="not a list")  # type: ignore[arg-type]
