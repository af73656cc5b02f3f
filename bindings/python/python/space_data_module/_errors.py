"""The exceptions of space_data_module.

Every failure raises an :class:`SdmError`: ``.code`` is the stable kebab-case name of
docs/errors.md (e.g. ``"cid-mismatch"``), ``.number`` its stable number (603), ``.message``
the library's text (not stable). Each error class of docs/errors.md has its own subclass, so a
caller can catch a whole class::

    try:
        opened = sdm.open(artifact, trust=[signer_hex])
    except sdm.SecurityError as err:
        print(err.code, err.number, err.report)

The classes are defined here, in Python, so they carry attributes under the stable ABI (abi3);
the extension raises them through :func:`_from_native`.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Type

__all__ = [
    "SdmError",
    "IoError",
    "InvalidInputError",
    "UsageError",
    "WasmError",
    "BundleError",
    "SecurityError",
    "ExecutionError",
    "InternalError",
]


class SdmError(Exception):
    """Any failure of the library: a stable ``code`` (name) and ``number``."""

    #: The error class of docs/errors.md this exception stands for.
    error_class: str = "internal"

    code: str
    number: int
    message: str
    report: Optional[Dict[str, Any]]

    def __init__(
        self,
        message: str,
        code: str = "internal",
        number: int = 5,
        report: Optional[Dict[str, Any]] = None,
    ) -> None:
        super().__init__(message, code, number)
        self.message = message
        self.code = code
        self.number = number
        #: For a refusal of ``open``: the loader's partial report (what it established before
        #: the failing step); None otherwise.
        self.report = report

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, number={self.number}, message={self.message!r})"

    def __reduce__(self) -> Any:
        # Pickles (e.g. across multiprocessing) keep the code and the report.
        return (type(self), (self.message, self.code, self.number, self.report))


class IoError(SdmError):
    """Class ``io`` (CLI exit 3): a file could not be read or written."""

    error_class = "io"


class InvalidInputError(SdmError):
    """Class ``input`` (CLI exit 4): invalid JSON, manifest, canonical JSON, deployment plan,
    compliance input, argument, or an input above its size cap."""

    error_class = "input"


class UsageError(InvalidInputError):
    """Class ``usage`` (CLI exit 2): the binding was called wrongly (a closed handle, an
    unknown mode, an argument of the wrong shape). Code ``invalid-argument``, which the core
    classes as input, hence also an :class:`InvalidInputError`."""

    error_class = "usage"


class WasmError(SdmError):
    """Class ``wasm`` (CLI exit 5): WebAssembly framing or validation."""

    error_class = "wasm"


class BundleError(SdmError):
    """Class ``bundle`` (CLI exit 6): the ``sds.bundle`` section."""

    error_class = "bundle"


class SecurityError(SdmError):
    """Class ``security`` (CLI exit 7): publication trailer, signatures, encryption,
    authorization, host policy denials."""

    error_class = "security"


class ExecutionError(SdmError):
    """Class ``runtime`` (CLI exit 8): invoke envelopes, the wasm runtime and its limits, the
    host, the runtime host, the compiler. (Not named RuntimeError: that is a builtin.)"""

    error_class = "runtime"


class InternalError(SdmError):
    """Class ``internal`` (CLI exit 9): a bug in the library, or a caught panic."""

    error_class = "internal"


_BY_CLASS: Dict[str, Type[SdmError]] = {
    cls.error_class: cls
    for cls in (IoError, InvalidInputError, UsageError, WasmError, BundleError,
                SecurityError, ExecutionError, InternalError)
}


def _from_native(
    error_class: str,
    code: str,
    number: int,
    message: str,
    report: Optional[Dict[str, Any]] = None,
) -> SdmError:
    """The exception the extension raises for a failure of ``error_class``."""
    return _BY_CLASS.get(error_class, SdmError)(message, code, number, report)
