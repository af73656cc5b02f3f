"""Module.run: a module's `_start` as a WASI program (examples/wasi-program): arguments,
environment, a file through a preopened directory, stdin to stdout, stderr, exit codes, and
the errors (no `_start`, arguments WASI cannot carry, arguments of the wrong shape)."""

from __future__ import annotations

import threading

import pytest

import space_data_module as sdm


@pytest.fixture(scope="module")
def program(runtime, program_wasm):
    with runtime.load(sdm.open(program_wasm, trust=[], allow_unsigned=True)) as module:
        yield module


def test_defaults_run_with_nothing_granted(program) -> None:
    result = program.run()
    assert isinstance(result, sdm.ProgramResult)
    assert (result.exit_code, result.ok) == (0, True)
    # No arguments, no environment (nothing is inherited), empty stdin.
    assert result.stdout == b"stdin:"
    assert result.stderr == b"stderr: 0 args\n"
    assert isinstance(result.stdout, bytes) and isinstance(result.stderr, bytes)


def test_args_env_and_stdin(program) -> None:
    stdin = bytes(range(256)) * 64
    result = program.run(stdin, args=["one", "two words", ""], env={"B": "2", "A": "1=one"})
    lines = result.stdout.split(b"\n")
    assert lines[:3] == [b"arg[1]=one", b"arg[2]=two words", b"arg[3]="]
    # The environment arrives in key order, whatever order the mapping had.
    assert lines[3:5] == [b"env A=1=one", b"env B=2"]
    assert result.stdout.endswith(b"stdin:" + stdin)
    assert result.stderr == b"stderr: 3 args\n"
    # Tuples work as well as lists.
    assert program.run(args=("x",)).stdout.startswith(b"arg[1]=x\n")


def test_preopen_read(program, tmp_path) -> None:
    (tmp_path / "note.txt").write_text("orbit state")
    for preopen in (sdm.Preopen(tmp_path, "/data"), (str(tmp_path), "/data"), (tmp_path, "/data", True)):
        result = program.run(env={"PROGRAM_FILE": "/data/note.txt"}, preopens=[preopen])
        assert result.exit_code == 0, result.stderr
        assert b"file:orbit state\n" in result.stdout
    preopen = sdm.Preopen(tmp_path, "/data", read_only=False)
    assert (preopen.host_path, preopen.guest_path, preopen.read_only) == (str(tmp_path), "/data", False)
    assert preopen == sdm.Preopen(str(tmp_path), "/data", read_only=False)
    # Without the preopen the file cannot be reached: the program says so and exits 2.
    denied = program.run(env={"PROGRAM_FILE": "/data/note.txt"})
    assert denied.exit_code == 2 and b"cannot open /data/note.txt" in denied.stderr


def test_non_zero_exit_is_a_result(program) -> None:
    # WASI exit statuses are 0..125 (wasmtime refuses 126 and above as a trap).
    for code in (1, 3, 125):
        result = program.run(b"in", env={"PROGRAM_EXIT": str(code)})
        assert (result.exit_code, result.ok) == (code, False)
        assert result.stdout.endswith(b"stdin:in")
        assert result.stderr == b"stderr: 0 args\n"


def test_missing_start_is_runtime_missing_export(echo_module, raises_code) -> None:
    with raises_code(sdm.ExecutionError, "runtime-missing-export", 722):
        echo_module.run(b"x")


def test_invalid_arguments(program, raises_code) -> None:
    # What WASI cannot carry: refused by the core (class input).
    for kwargs in (
        {"args": ["a\0b"]},
        {"env": {"A=B": "v"}},
        {"env": {"": "v"}},
        {"env": {"K": "v\0"}},
        {"preopens": [("/tmp", "")]},
    ):
        with raises_code(sdm.InvalidInputError, "invalid-argument", 4):
            program.run(**kwargs)
    # Arguments of the wrong shape: UsageError, the same code.
    for kwargs in (
        {"args": "abc"},
        {"args": [1]},
        {"env": ["A"]},
        {"env": {"A": 1}},
        {"preopens": ["/tmp"]},
        {"preopens": [("/tmp",)]},
        {"preopens": "/tmp"},
    ):
        with raises_code(sdm.UsageError, "invalid-argument", 4):
            program.run(**kwargs)
    with raises_code(sdm.UsageError, "invalid-argument", 4):
        program.run("text")  # type: ignore[arg-type]
    # A preopen whose host directory does not exist is an error, not an empty directory.
    with pytest.raises(sdm.SdmError):
        program.run(preopens=[("/nonexistent/sdm-py-test", "/data")])


def test_limits_apply(program_wasm, raises_code) -> None:
    opened = sdm.open(program_wasm, trust=[], allow_unsigned=True)
    with sdm.Runtime(fuel=10) as tight, tight.load(opened) as module:
        with raises_code(sdm.ExecutionError, "runtime-fuel-exhausted", 723):
            module.run()


def test_host_policy_is_accepted_and_checked(program, raises_code) -> None:
    assert program.run(host_policy={"grant": ["clock"]}).exit_code == 0
    with raises_code(sdm.InvalidInputError, "invalid-argument", 4):
        program.run(host_policy={"grnat": ["clock"]})


def test_threads_share_one_program_module(program) -> None:
    errors: list = []

    def worker(index: int) -> None:
        for round_ in range(10):
            stdin = f"{index}:{round_}".encode()
            result = program.run(stdin, args=[str(index)])
            if result.stdout != f"arg[1]={index}\nstdin:".encode() + stdin:
                errors.append((index, round_, result.stdout))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
