"""`make bench-python`: what the Python binding adds to a call, and how calls scale over threads.

For manifest encode and a 64-byte echo invoke, the same call is timed twice in this process:
from Python (`sdm.encode_manifest`, `module.invoke`) and as a loop inside the extension in
Rust (`_bench_*`, the GIL released), so both use the same build of the core. The difference is
the binding's overhead: argument conversion, the GIL hand-off, building the result objects.
Then 8 threads invoke one module and their throughput is compared with 1 thread's.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path

import space_data_module as sdm
from space_data_module import _native

REPO = Path(os.environ.get("SDM_REPO_ROOT", Path(__file__).resolve().parents[3]))
ROUNDS = int(os.environ.get("SDM_BENCH_ROUNDS", "7"))


def best_ns_per_call(fn, iterations: int) -> float:
    """The best of ROUNDS timings (least disturbed by other load), ns per call."""
    best = float("inf")
    for _ in range(ROUNDS):
        start = time.perf_counter_ns()
        fn(iterations)
        best = min(best, (time.perf_counter_ns() - start) / iterations)
    return best


def best_rust(fn, iterations: int) -> float:
    return min(fn(iterations) for _ in range(ROUNDS))


def report(name: str, python_ns: float, rust_ns: float) -> dict:
    overhead = python_ns - rust_ns
    print(f"{name:<34} python {python_ns / 1000:9.2f} us   rust {rust_ns / 1000:9.2f} us   overhead {overhead / 1000:7.2f} us/call")
    return {"python_ns": round(python_ns), "rust_ns": round(rust_ns), "overhead_ns": round(overhead)}


def main() -> int:
    results: dict = {"python": sys.version.split()[0], "cpus": os.cpu_count()}
    print(f"space_data_module {sdm.__version__}, Python {results['python']}, {results['cpus']} CPUs, best of {ROUNDS}")

    text = (REPO / "vectors" / "manifests" / "invoke-echo.manifest.direct.json").read_text(encoding="utf-8")
    as_dict = json.loads(text)
    encode = sdm.encode_manifest

    def encode_text(n: int) -> None:
        for _ in range(n):
            encode(text)

    def encode_dict(n: int) -> None:
        for _ in range(n):
            encode(as_dict)

    rust_encode = best_rust(lambda n: _native._bench_encode_manifest(text, n), 2000)
    results["manifest_encode"] = report("manifest encode (JSON text)", best_ns_per_call(encode_text, 2000), rust_encode)
    results["manifest_encode_dict"] = report("manifest encode (dict, json.dumps)", best_ns_per_call(encode_dict, 2000), rust_encode)

    wasm_path = os.environ.get("SDM_PY_ECHO_DIRECT_WASM")
    if not wasm_path or not Path(wasm_path).is_file():
        print("echo invoke: skipped: SDM_PY_ECHO_DIRECT_WASM is not set (make run-test-python compiles it)")
        return 0
    opened = sdm.open(Path(wasm_path).read_bytes(), trust=[], allow_unsigned=True)
    payload = bytes(range(64))
    inputs = {"echo": payload}
    with sdm.Runtime() as runtime, runtime.load(opened) as module:
        invoke = module.invoke
        assert invoke("echo", inputs).outputs["echo"] == payload

        def echo(n: int) -> None:
            for _ in range(n):
                invoke("echo", inputs)

        calls = 300
        rust_echo = best_rust(lambda n: module._bench_invoke("echo", inputs, n), calls)
        results["echo_invoke_64b"] = report("echo invoke, 64 B (direct)", best_ns_per_call(echo, calls), rust_echo)

        # Throughput: the same number of calls from 1 thread, then spread over 8 threads.
        total = 1600

        def throughput(threads: int) -> float:
            each = total // threads
            workers = [threading.Thread(target=echo, args=(each,)) for _ in range(threads)]
            start = time.perf_counter()
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
            return each * threads / (time.perf_counter() - start)

        one = max(throughput(1) for _ in range(3))
        eight = max(throughput(8) for _ in range(3))
        ratio = eight / one
        print(f"{'echo throughput':<34} 1 thread {one:9.0f}/s   8 threads {eight:9.0f}/s   ratio {ratio:5.2f}x")
        results["threads"] = {"one_per_s": round(one), "eight_per_s": round(eight), "ratio": round(ratio, 2)}

    overhead_us = results["echo_invoke_64b"]["overhead_ns"] / 1000
    print(f"targets: echo overhead < 3 us: {'met' if overhead_us < 3 else 'NOT met'} ({overhead_us:.2f} us); "
          f"8 threads > 1.6x: {'met' if ratio > 1.6 else 'NOT met'} ({ratio:.2f}x on {results['cpus']} CPUs, shared machine)")
    print("json:", json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
