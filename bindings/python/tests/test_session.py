"""Sessions: repeated direct-mode calls into one instance. Echo over many calls, closing,
a command-only module refused, host policy applied to every call, one session per thread in
parallel, one session shared by threads (calls run one at a time, every answer right)."""

from __future__ import annotations

import json
import threading

import space_data_module as sdm


def test_session_echoes_over_many_calls(echo_module) -> None:
    with echo_module.session() as session:
        assert not session.closed
        for size in (0, 1, 64, 64 * 1024, 0):
            payload = bytes(i % 251 for i in range(size))
            response = session.invoke("echo", {"echo": payload})
            assert response.mode == "direct" and not response.failed
            assert response.outputs == {"echo": payload}
        # A guest's answer of failure is a response, and the session goes on.
        assert session.invoke("echo").failed
        assert session.invoke("echo", {"echo": b"again"}).outputs["echo"] == b"again"
        assert session._bench_invoke("echo", {"echo": b"x"}, 3) > 0


def test_closed_sessions_refuse_calls(echo_module, raises_code) -> None:
    session = echo_module.session()
    session.close()
    assert session.closed
    with raises_code(sdm.UsageError, "invalid-argument", 4):
        session.invoke("echo", {"echo": b"x"})
    session.close()  # idempotent
    with echo_module.session() as session:
        pass
    assert session.closed
    with raises_code(sdm.UsageError, "invalid-argument", 4):
        session._bench_invoke("echo", {"echo": b"x"}, 0)


def test_a_command_only_module_has_no_session(runtime, echo_command_wasm, raises_code) -> None:
    opened = sdm.open(echo_command_wasm, trust=[], allow_unsigned=True)
    with runtime.load(opened) as module:
        if "direct" in module.modes:
            return  # a hybrid build: nothing to refuse
        with raises_code(sdm.ExecutionError, "runtime-missing-export", 722):
            module.session()


def test_a_sessions_host_policy_applies_to_every_call(runtime, host_proxy_wasm, tmp_path) -> None:
    opened = sdm.open(host_proxy_wasm, trust=[], allow_unsigned=True)
    policy = {"grant": ["filesystem"], "filesystemRoot": str(tmp_path)}
    with runtime.load(opened) as module:
        with module.session(host_policy=policy) as granted, module.session() as denied:
            for name in ("a.txt", "b.txt"):
                request = f'filesystem.writeFile\n{{"path":"{name}","value":"{name}"}}'.encode()
                response = granted.invoke("call", {"request": request})
                assert response.status_code == 0, response.outputs
                assert (tmp_path / name).read_text() == name
                response = denied.invoke("call", {"request": request.replace(b".txt", b".no")})
                envelope = json.loads(response.outputs["envelope"])
                assert response.status_code == 1 and envelope["error"]["code"] == "host-capability-denied"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]


def _hammer(target, index: int, rounds: int, errors: list) -> None:
    try:
        for round_ in range(rounds):
            payload = f"{index}:{round_}".encode() * 8
            response = target.invoke("echo", {"echo": payload})
            if response.outputs.get("echo") != payload:
                errors.append((index, round_, response.outputs))
    except Exception as err:  # noqa: BLE001 - reported below
        errors.append(err)


def _run(threads: list) -> None:
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_one_session_per_thread(echo_module) -> None:
    errors: list = []
    sessions = [echo_module.session() for _ in range(8)]
    _run([threading.Thread(target=_hammer, args=(s, i, 50, errors)) for i, s in enumerate(sessions)])
    for session in sessions:
        session.close()
    assert errors == []


def test_one_session_shared_by_threads(echo_module) -> None:
    errors: list = []
    with echo_module.session() as shared:
        _run([threading.Thread(target=_hammer, args=(shared, i, 50, errors)) for i in range(4)])
    assert errors == []
