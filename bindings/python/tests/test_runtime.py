"""Loading and invoking: echo in direct and command mode, limits, hostcalls denied and granted,
one module shared by 8 threads, the GIL released during calls, context managers."""

from __future__ import annotations

import json
import os
import threading
import time

import pytest

import space_data_module as sdm


def test_echo_direct(echo_module) -> None:
    payload = bytes(range(64))
    response = echo_module.invoke("echo", {"echo": payload})
    assert response.status_code == 0 and not response.failed
    assert response.outputs == {"echo": payload}
    assert isinstance(response.outputs["echo"], bytes)
    assert response.frames == [("echo", payload)]
    assert response.mode == "direct"
    assert response.error_code is None
    assert echo_module.modes == ["direct"]
    assert len(echo_module.hash_hex) == 64


def test_echo_command(runtime, echo_command_wasm) -> None:
    opened = sdm.open(echo_command_wasm, trust=[], allow_unsigned=True)
    with runtime.load(opened) as module:
        assert "command" in module.modes
        for payload in (b"", b"x", os.urandom(64 * 1024)):
            response = module.invoke("echo", {"echo": payload}, mode="command")
            assert response.mode == "command"
            assert response.outputs["echo"] == payload
        # "auto": the module's own default (direct when exported).
        assert module.invoke("echo", {"echo": b"a"}, mode="auto").mode == module.modes[0]


def test_invoke_errors(echo_module, raises_code) -> None:
    with raises_code(sdm.ExecutionError, "runtime-missing-export", 722):
        echo_module.invoke("echo", {"echo": b"x"}, mode="command")
    with raises_code(sdm.UsageError, "invalid-argument", 4):
        echo_module.invoke("echo", {"echo": b"x"}, mode="sideways")
    with raises_code(sdm.UsageError, "invalid-argument", 4):
        echo_module.invoke("echo", {"echo": "not bytes"})  # type: ignore[dict-item]
    # An unknown method is the guest's answer, not an exception.
    response = echo_module.invoke("nope", {"echo": b"x"})
    assert response.failed


def test_limits(echo_direct_wasm, raises_code) -> None:
    opened = sdm.open(echo_direct_wasm, trust=[], allow_unsigned=True)
    with sdm.Runtime(fuel=10) as tight:
        with tight.load(opened) as module:
            with raises_code(sdm.ExecutionError, "runtime-fuel-exhausted", 723):
                module.invoke("echo", {"echo": b"x"})
    # No fuel limit and no timeout: unlimited, not an overflow.
    with sdm.Runtime(fuel=None, timeout_ms=None) as unlimited:
        assert unlimited.load(opened).invoke("echo", {"echo": b"x"}).outputs["echo"] == b"x"
    with sdm.Runtime(max_memory_mb=1) as small:
        module = small.load(opened)
        assert module.invoke("echo", {"echo": b"small"}).outputs["echo"] == b"small"
        # The request must be copied into guest memory, which cannot grow past 1 MiB.
        with pytest.raises(sdm.ExecutionError) as caught:
            module.invoke("echo", {"echo": bytes(2 << 20)})
        assert caught.value.code in {"runtime-memory-limit", "runtime-alloc-failed"}, caught.value


def test_context_managers_close_handles(echo_direct_wasm, raises_code) -> None:
    opened = sdm.open(echo_direct_wasm, trust=[], allow_unsigned=True)
    with sdm.Runtime() as rt:
        with rt.load(opened) as module:
            assert module.invoke("echo", {"echo": b"1"}).outputs["echo"] == b"1"
        assert module.closed
        with raises_code(sdm.UsageError, "invalid-argument", 4):
            module.invoke("echo", {"echo": b"1"})
        # A module outlives the runtime's handle: it holds what it needs.
        kept = rt.load(opened)
    assert rt.closed
    with raises_code(sdm.UsageError, "invalid-argument", 4):
        rt.load(opened)
    assert kept.invoke("echo", {"echo": b"2"}).outputs["echo"] == b"2"
    kept.close()
    kept.close()  # idempotent


def test_eight_threads_share_one_module(echo_module) -> None:
    errors: list = []

    def worker(index: int) -> None:
        try:
            for round_ in range(25):
                payload = f"{index}:{round_}".encode() * 8
                response = echo_module.invoke("echo", {"echo": payload})
                if response.outputs["echo"] != payload:
                    errors.append((index, round_, response.outputs))
        except Exception as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_the_gil_is_released_during_calls(echo_module) -> None:
    # While another thread is inside one long native call, this thread keeps running Python.
    iterations = 400
    done = threading.Event()
    ticks = 0

    def long_call() -> None:
        echo_module._bench_invoke("echo", {"echo": b"x" * 64}, iterations)
        done.set()

    thread = threading.Thread(target=long_call)
    thread.start()
    start = time.perf_counter()
    while not done.is_set():
        ticks += 1
    elapsed = time.perf_counter() - start
    thread.join()
    # Holding the GIL for the whole call would leave this loop a handful of iterations.
    assert elapsed > 0.005 and ticks > 1000, (elapsed, ticks)


def _proxy(module, operation: str, params: str, policy) -> tuple:
    response = module.invoke("call", {"request": f"{operation}\n{params}".encode()}, host_policy=policy)
    return response.status_code, json.loads(response.outputs["envelope"])


def test_hostcalls_denied_and_granted(runtime, host_proxy_wasm, tmp_path) -> None:
    opened = sdm.open(host_proxy_wasm, trust=[], allow_unsigned=True)
    assert "filesystem" in opened.declared_capabilities
    policy = {"grant": ["clock", "filesystem"], "filesystemRoot": str(tmp_path)}
    with runtime.load(opened) as module:
        status, envelope = _proxy(module, "clock.now", "", policy)
        assert status == 0 and envelope["ok"] is True
        # Granted by the policy and declared by the manifest: the file lands in the root.
        status, envelope = _proxy(module, "filesystem.writeFile", '{"path":"py/hello.txt","value":"hi from Python"}', policy)
        assert status == 0 and envelope["ok"] is True, envelope
        assert (tmp_path / "py" / "hello.txt").read_text() == "hi from Python"
        # Declared by the manifest, not granted by the policy: denied, nothing happens.
        status, envelope = _proxy(module, "random.bytes", '{"length":4}', policy)
        assert status == 1 and envelope["ok"] is False
        assert envelope["error"]["code"] == "host-capability-denied"
        # No policy at all: the empty policy, every capability denied.
        status, envelope = _proxy(module, "filesystem.writeFile", '{"path":"denied.txt","value":"no"}', None)
        assert status == 1 and envelope["error"]["code"] == "host-capability-denied"
        assert not (tmp_path / "denied.txt").exists()
        # A policy as JSON text works the same; a typo in it is refused, never ignored.
        status, _ = _proxy(module, "clock.now", "", json.dumps({"grant": ["clock"]}))
        assert status == 0
        with pytest.raises(sdm.InvalidInputError) as caught:
            _proxy(module, "clock.now", "", {"grnat": ["clock"]})
        assert caught.value.code == "invalid-argument"


def test_inputs_as_pairs_keep_order_and_repeated_ports(echo_module, raises_code) -> None:
    # The echo guest answers with its first frame; pairs keep the order given.
    response = echo_module.invoke("echo", [("echo", b"first"), ("echo", b"second")])
    assert response.outputs == {"echo": b"first"}
    assert echo_module.invoke("echo", (("echo", b"x"),)).outputs == {"echo": b"x"}
    assert echo_module.invoke("echo", []).failed
    for bad in ([("echo",)], [("echo", "text")], ["echo"], "echo", [(1, b"x")]):
        with raises_code(sdm.UsageError, "invalid-argument", 4):
            echo_module.invoke("echo", bad)  # type: ignore[arg-type]
