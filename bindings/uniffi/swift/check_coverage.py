#!/usr/bin/env python3
"""Checks that the generated Swift bindings cover everything the library exports.

The source of truth is the library itself: every export of a UniFFI proc-macro crate leaves a
metadata symbol `UNIFFI_META_<CRATE>_<KIND>_<NAME>` in the cdylib (what `uniffi-bindgen
--library` reads). For each one this finds the matching declaration in the `.swift` file:
functions, constructors and methods inside their type's declaration, records, enums, the
error enum and objects (class and protocol). It also checks that the FFI header declares every
`uniffi_*` function the library exports, that the modulemap names the header, and that the
Swift `ErrorCode` enum carries every code of docs/errors.md with its number.

Usage: check_coverage.py LIBRARY SWIFT_DIR ERRORS_MD
"""

import re
import subprocess
import sys
from pathlib import Path

CRATE = "SPACE_DATA_MODULE_UNIFFI"
MODULE = "SpaceDataModule"


def camel(snake: str) -> str:
    head, *rest = snake.lower().split("_")
    return head + "".join(word.capitalize() for word in rest)


def symbols(library: Path, dynamic: bool) -> list:
    args = ["nm", "-D" if dynamic else "-a", "--defined-only", str(library)]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return [line.split()[-1] for line in out.splitlines() if line.strip()]


def main() -> int:
    library, swift_dir, errors_md = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    swift = (swift_dir / f"{MODULE}.swift").read_text()
    header = (swift_dir / f"{MODULE}FFI.h").read_text()
    modulemap = (swift_dir / f"{MODULE}FFI.modulemap").read_text()
    failures = []
    checked = 0

    prefix = f"UNIFFI_META_{CRATE}_"
    meta = sorted({s[len(prefix):] for s in symbols(library, False) if s.startswith(prefix)})
    if not meta:
        print(f"swift coverage: no {prefix}* symbols in {library}", file=sys.stderr)
        return 1

    # Type declarations: uppercase name -> (Swift name, declaration block).
    decls = {}
    for match in re.finditer(r"^(?:open class|public struct|public enum|public\s*\nenum) (\w+)", swift, re.M):
        name = match.group(1)
        if name.startswith("FfiConverter"):
            continue
        end = swift.find(f"public struct FfiConverterType{name}", match.end())
        decls[name.upper()] = (name, swift[match.start(): end if end > 0 else len(swift)])
    types = sorted(decls, key=len, reverse=True)

    def member(kind: str, rest: str):
        for upper in types:
            if rest.startswith(upper + "_"):
                return decls[upper], rest[len(upper) + 1:]
        failures.append(f"{kind}_{rest}: no Swift type declaration found")
        return None, None

    for item in meta:
        kind, _, rest = item.partition("_")
        checked += 1
        if kind == "FUNC":
            if not re.search(rf"^public func `?{camel(rest)}`?\(", swift, re.M):
                failures.append(f"function {rest}: no `public func {camel(rest)}(`")
        elif kind in ("RECORD", "ENUM", "ERROR", "INTERFACE"):
            if rest not in decls:
                failures.append(f"{kind.lower()} {rest}: no Swift declaration")
            elif kind == "INTERFACE" and f"public protocol {decls[rest][0]}Protocol" not in swift:
                failures.append(f"object {rest}: no protocol {decls[rest][0]}Protocol")
        elif kind == "CONSTRUCTOR":
            found, ctor = member(kind, rest)
            if found is None:
                continue
            name, block = found
            pattern = r"public convenience init\(" if ctor == "NEW" else rf"public static func `?{camel(ctor)}`?\("
            if not re.search(pattern, block):
                failures.append(f"constructor {name}.{camel(ctor)}: not in the Swift class")
        elif kind == "METHOD":
            found, method = member(kind, rest)
            if found is None:
                continue
            name, block = found
            if not re.search(rf"func `?{camel(method)}`?\(", block):
                failures.append(f"method {name}.{camel(method)}: not in the Swift declaration")
        elif kind in ("NAMESPACE", "CONST", "UDL"):
            checked -= 1
        else:
            failures.append(f"{item}: unknown metadata kind {kind}")

    # The header declares every FFI function the library exports (the `checksum_*` symbols are
    # only compared at load time, and UniFFI 0.32 does not compare those of enum methods).
    ffi = sorted(
        s
        for s in symbols(library, True)
        if s.startswith("uniffi_space_data_module_uniffi_fn_") or s.startswith("ffi_space_data_module_uniffi_")
    )
    missing = [s for s in ffi if not re.search(rf"\b{re.escape(s)}\s*\(", header)]
    failures += [f"header: {s} not declared" for s in missing]
    if f'header "{MODULE}FFI.h"' not in modulemap:
        failures.append("modulemap does not name the header")

    # ErrorCode: every documented code, with its number.
    codes = re.findall(r"^\| (\d+) \| `([a-z0-9-]+)` \| \w[\w ]* \|", errors_md.read_text(), re.M)
    for number, name in codes:
        if not re.search(rf"case `?{camel(name.replace('-', '_'))}`? = {number}\b", swift):
            failures.append(f"ErrorCode: no `case {camel(name.replace('-', '_'))} = {number}`")

    for failure in failures:
        print(f"swift coverage: {failure}", file=sys.stderr)
    print(
        f"swift coverage: {checked} exported items, {len(ffi)} FFI functions, {len(codes)} error codes "
        f"checked; {len(failures)} missing"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
