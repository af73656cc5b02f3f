"""The Python lane of the runtime matrix (runtime-matrix/README.md, issue 16): every case of
CASES_DIR through the Python binding's public API (`space_data_module`, the installed wheel),
one result JSON per case in OUT_DIR.

usage: runner.py CASES_DIR OUT_DIR   (cwd: the artifacts directory)

A case that fails (refused, trapped, timed out) is a result with an `error` member; a case
file this runner cannot read (bad JSON, unknown member) is a runner error: reported on stderr,
the other cases still run, and the exit status is 1.
"""

from __future__ import annotations

import base64
import json
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional

import space_data_module as sdm

CASE_MEMBERS = {"description", "artifact", "open", "limits", "hostPolicy", "invoke", "program"}
OPEN_MEMBERS = {"allowUnsigned", "trust", "decryptWith", "wasmSigners"}
LIMIT_MEMBERS = {"timeoutMs", "fuel", "maxMemoryMb"}
INVOKE_MEMBERS = {"mode", "method", "inputs"}
INPUT_MEMBERS = {"port", "base64"}
PROGRAM_MEMBERS = {"stdinBase64", "args", "env", "preopens"}
PREOPEN_MEMBERS = {"hostPath", "guestPath", "readOnly"}


class CaseError(Exception):
    """The case file itself is wrong: a runner error, not a result."""


def members(value: Any, allowed: set, where: str, required: tuple = ()) -> Dict[str, Any]:
    if not isinstance(value, dict):
        raise CaseError(f"{where} must be an object")
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise CaseError(f"{where}: unknown member(s) {', '.join(unknown)}")
    for name in required:
        if name not in value:
            raise CaseError(f"{where}: missing member {name}")
    return value


def check_case(case: Any) -> Dict[str, Any]:
    """Every member the contract allows, nothing else; exactly one of invoke / program."""
    members(case, CASE_MEMBERS, "case", ("artifact",))
    members(case.get("open", {}), OPEN_MEMBERS, "open")
    members(case.get("limits", {}), LIMIT_MEMBERS, "limits")
    if ("invoke" in case) == ("program" in case):
        raise CaseError("case must have exactly one of invoke / program")
    if "invoke" in case:
        invoke = members(case["invoke"], INVOKE_MEMBERS, "invoke", ("mode", "method"))
        for index, frame in enumerate(invoke.get("inputs", [])):
            members(frame, INPUT_MEMBERS, f"invoke.inputs[{index}]", ("port", "base64"))
    else:
        program = members(case["program"], PROGRAM_MEMBERS, "program")
        for index, preopen in enumerate(program.get("preopens", [])):
            members(preopen, PREOPEN_MEMBERS, f"program.preopens[{index}]", ("hostPath", "guestPath"))
    return case


def runtime_for(limits: Dict[str, Any]) -> Any:
    """A runtime with the case's limits; absent members keep the binding's defaults, 0 is
    unlimited (as in the CLI)."""
    kwargs: Dict[str, Any] = {}
    if "fuel" in limits:
        kwargs["fuel"] = limits["fuel"] or None
    if "timeoutMs" in limits:
        kwargs["timeout_ms"] = limits["timeoutMs"] or None
    if "maxMemoryMb" in limits:
        kwargs["max_memory_mb"] = limits["maxMemoryMb"]
    return sdm.Runtime(**kwargs)


def type_ref_json(type_ref: Optional[sdm.TypeRef]) -> Optional[Dict[str, Any]]:
    if type_ref is None:
        return None
    return {
        "schemaName": type_ref.schema_name,
        "fileIdentifier": type_ref.file_identifier,
        "schemaHash": list(type_ref.schema_hash),
        "acceptsAnyFlatbuffer": type_ref.accepts_any_flatbuffer,
        "wireFormat": type_ref.wire_format,
        "rootTypeName": type_ref.root_type_name,
        "fixedStringLength": type_ref.fixed_string_length,
        "byteLength": type_ref.byte_length,
        "requiredAlignment": type_ref.required_alignment,
    }


def frame_json(frame: sdm.OutputFrame) -> Dict[str, Any]:
    return {
        "portId": frame.port_id,
        "typeRef": type_ref_json(frame.type_ref),
        "alignment": frame.alignment,
        "offset": frame.offset,
        "size": frame.size,
        "ownership": frame.ownership,
        "generation": frame.generation,
        "mutability": frame.mutability,
        "traceId": str(frame.trace_id),
        "streamId": frame.stream_id,
        "sequence": str(frame.sequence),
        "endOfStream": frame.end_of_stream,
        "payloadBase64": base64.b64encode(frame.payload).decode("ascii"),
    }


def invoke_json(response: sdm.Response) -> Dict[str, Any]:
    return {
        "mode": response.mode,
        "statusCode": response.status_code,
        "yielded": response.yielded,
        "backlogRemaining": response.backlog_remaining,
        "errorCode": response.error_code,
        "errorMessage": response.error_message,
        "outputs": [frame_json(frame) for frame in response.output_frames],
    }


def run_case(stem: str, case: Dict[str, Any]) -> Dict[str, Any]:
    result: Dict[str, Any] = {"case": stem, "error": None, "invoke": None, "program": None}
    options = case.get("open", {})
    stage = "open"
    try:
        artifact = Path(case["artifact"]).read_bytes()
        decrypt_with = None
        if options.get("decryptWith") is not None:
            decrypt_with = sdm.RecipientKey.from_file(options["decryptWith"])
        opened = sdm.open(
            artifact,
            trust=list(options.get("trust", [])),
            decrypt_with=decrypt_with,
            allow_unsigned=bool(options.get("allowUnsigned", False)),
            wasm_signers=list(options.get("wasmSigners", [])),
        )
        stage = "load"
        with runtime_for(case.get("limits", {})) as runtime, runtime.load(opened) as module:
            policy = case.get("hostPolicy")
            if "invoke" in case:
                stage = "invoke"
                call = case["invoke"]
                inputs: List[tuple] = [
                    (frame["port"], base64.b64decode(frame["base64"], validate=True))
                    for frame in call.get("inputs", [])
                ]
                response = module.invoke(call["method"], inputs, mode=call["mode"], host_policy=policy)
                result["invoke"] = invoke_json(response)
            else:
                stage = "program"
                program = case["program"]
                ran = module.run(
                    base64.b64decode(program.get("stdinBase64", ""), validate=True),
                    args=program.get("args", []),
                    env=program.get("env", {}),
                    preopens=[
                        (p["hostPath"], p["guestPath"], p.get("readOnly", True))
                        for p in program.get("preopens", [])
                    ],
                    host_policy=policy,
                )
                result["program"] = {
                    "exitCode": ran.exit_code,
                    "stdoutBase64": base64.b64encode(ran.stdout).decode("ascii"),
                    "stderrBase64": base64.b64encode(ran.stderr).decode("ascii"),
                }
    except sdm.SdmError as error:
        result["error"] = {"stage": stage, "code": error.code, "number": error.number}
    return result


def main(argv: List[str]) -> int:
    if len(argv) != 3:
        print("usage: runner.py CASES_DIR OUT_DIR", file=sys.stderr)
        return 2
    cases_dir, out_dir = Path(argv[1]), Path(argv[2])
    out_dir.mkdir(parents=True, exist_ok=True)
    broken = 0
    for path in sorted(cases_dir.glob("*.json"), key=lambda p: p.name):
        try:
            case = check_case(json.loads(path.read_text(encoding="utf-8")))
            result = run_case(path.stem, case)
        except (CaseError, OSError, ValueError, TypeError, KeyError) as error:
            # A case this runner cannot follow: say which and why, keep going.
            print(f"python runner: {path.name}: {type(error).__name__}: {error}", file=sys.stderr)
            broken += 1
            continue
        text = json.dumps(result, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
        (out_dir / f"{path.stem}.json").write_text(text, encoding="utf-8")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
