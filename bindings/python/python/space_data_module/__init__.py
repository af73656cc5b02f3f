"""Space Data modules from Python.

One ``.wasm`` file that stays valid WebAssembly and carries its manifest, an optional
``sds.bundle`` section and an optional signed (and encrypted) publication trailer. This package
encodes and checks manifests, creates and parses bundles, signs and encrypts modules, opens them
with the fail-closed loader, and runs them on wasmtime, byte-compatible with the JavaScript
reference SDK. It calls the Rust core directly (extension ``space_data_module._native``).

Conventions:

* bytes in and out are ``bytes``; JSON documents (manifests, policies, metadata) are accepted
  as Python values or as JSON text (a ``str``); reports come back as dicts.
* every failure raises an :class:`SdmError` subclass with ``.code`` and ``.number``.
* every object may be shared between threads; long calls release the GIL. A :class:`Session`
  runs one call at a time (open one per thread for parallel calls).
* :class:`Runtime`, :class:`Module`, :class:`Session` and :class:`RuntimeHost` are context
  managers.
"""

from ._errors import (
    BundleError,
    ExecutionError,
    InternalError,
    InvalidInputError,
    IoError,
    SdmError,
    SecurityError,
    UsageError,
    WasmError,
)
from ._native import (
    Module,
    Opened,
    OutputFrame,
    Preopen,
    ProgramResult,
    RecipientKey,
    Response,
    Runtime,
    RuntimeHost,
    Session,
    Signer,
    TypeRef,
    WasmSigningKey,
    __version__,
    check,
    create_authorization,
    create_bundle,
    decode_manifest,
    encode_manifest,
    generate_mnemonic,
    generate_recipient,
    generate_signer,
    inspect,
    open,
    parse_bundle,
    protect,
    sign_wasm,
    verify_authorization,
    verify_bundle,
    verify_wasm,
)

__all__ = [
    "__version__",
    # manifests and compliance
    "encode_manifest",
    "decode_manifest",
    "check",
    # single-file bundles
    "create_bundle",
    "parse_bundle",
    "inspect",
    "verify_bundle",
    # keys
    "Signer",
    "RecipientKey",
    "generate_signer",
    "generate_mnemonic",
    "generate_recipient",
    # publication
    "protect",
    "open",
    "Opened",
    # module signatures (WebAssembly tool-conventions, wasmsign2)
    "WasmSigningKey",
    "sign_wasm",
    "verify_wasm",
    # deployment authorizations
    "create_authorization",
    "verify_authorization",
    # running modules
    "Runtime",
    "Module",
    "Session",
    "Response",
    "OutputFrame",
    "TypeRef",
    "Preopen",
    "ProgramResult",
    "RuntimeHost",
    # errors
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
