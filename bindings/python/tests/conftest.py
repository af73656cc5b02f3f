"""Shared fixtures: the repository's vectors and the test guests `make run-test-python`
compiles with the CLI (paths in SDM_PY_* variables; tests that need a missing one skip and say
why)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Callable

import pytest

import space_data_module as sdm

REPO = Path(os.environ.get("SDM_REPO_ROOT", Path(__file__).resolve().parents[3]))
VECTORS = REPO / "vectors"


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _guest(variable: str, what: str) -> bytes:
    path = os.environ.get(variable)
    if not path:
        pytest.skip(f"{variable} not set: compile {what} with the CLI (`make run-test-python` does it)")
    if not Path(path).is_file():
        pytest.skip(f"{variable}={path} does not exist")
    return Path(path).read_bytes()


@pytest.fixture(scope="session")
def echo_direct_wasm() -> bytes:
    return _guest("SDM_PY_ECHO_DIRECT_WASM", "examples/invoke-echo (manifest.direct.json)")


@pytest.fixture(scope="session")
def echo_command_wasm() -> bytes:
    return _guest("SDM_PY_ECHO_COMMAND_WASM", "examples/invoke-echo (manifest.command.json)")


@pytest.fixture(scope="session")
def host_proxy_wasm() -> bytes:
    return _guest("SDM_PY_HOST_PROXY_WASM", "examples/host-proxy with --allow-undefined-imports")


@pytest.fixture(scope="session")
def aligned_echo_wasm() -> bytes:
    return _guest("SDM_PY_ALIGNED_ECHO_WASM", "examples/aligned-echo")


@pytest.fixture(scope="session")
def program_wasm() -> bytes:
    return _guest("SDM_PY_PROGRAM_WASM", "examples/wasi-program with clang --target=wasm32-wasi")


@pytest.fixture(scope="session")
def runtime() -> Any:
    with sdm.Runtime() as rt:
        yield rt


@pytest.fixture(scope="session")
def echo_module(runtime: Any, echo_direct_wasm: bytes) -> Any:
    opened = sdm.open(echo_direct_wasm, trust=[], allow_unsigned=True)
    with runtime.load(opened) as module:
        yield module


@pytest.fixture()
def raises_code() -> Callable[..., Any]:
    """`with raises_code(SecurityError, "cid-mismatch", 603): ...`"""

    def check(cls: type, code: str, number: int) -> Any:
        return _RaisesCode(cls, code, number)

    return check


class _RaisesCode:
    def __init__(self, cls: type, code: str, number: int) -> None:
        self.cls, self.code, self.number = cls, code, number
        self.error: Any = None

    def __enter__(self) -> "_RaisesCode":
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> bool:
        assert exc is not None, f"expected {self.cls.__name__} [{self.code}], nothing was raised"
        assert isinstance(exc, self.cls), f"expected {self.cls.__name__}, got {exc!r}"
        assert (exc.code, exc.number) == (self.code, self.number), repr(exc)
        self.error = exc
        return True
