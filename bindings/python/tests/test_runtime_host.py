"""The runtime host: rows (in memory and durable across a reopen), regions, module registry."""

from __future__ import annotations

import threading

import pytest

import space_data_module as sdm


def test_rows_in_memory(raises_code) -> None:
    with sdm.RuntimeHost() as host:
        assert host.append_row("OMM", {"n": 1}) == 1
        assert host.append_row(" OMM ", [2]) == 2  # the schema id is trimmed
        assert host.append_row("CAT", "x") == 1
        assert host.resolve_row("OMM", 2) == {"handle": {"schemaFileId": "OMM", "rowId": 2}, "payload": [2]}
        assert host.resolve_row("OMM", 99) is None
        with raises_code(sdm.ExecutionError, "runtime-host-invalid-row-id", 851):
            host.resolve_row("OMM", 0)
        assert [r["handle"]["rowId"] for r in host.list_rows()] == [1, 2, 1]
        assert len(host.list_rows("OMM")) == 2
        with raises_code(sdm.ExecutionError, "runtime-host-invalid-schema-id", 850):
            host.append_row("   ", 1)
        with raises_code(sdm.InvalidInputError, "invalid-json", 2):
            host.append_row("OMM", float("nan"))  # not JSON
        assert host.resolve_row("CAT", 1)["payload"] == "x"  # a str payload is a JSON string
        # A failed append consumes no id.
        assert host.append_row("OMM", 3) == 3
    with raises_code(sdm.UsageError, "invalid-argument", 4):
        host.list_rows()


def test_durable_rows_survive_a_reopen(tmp_path) -> None:
    path = tmp_path / "rows.sqlite"
    with sdm.RuntimeHost(path) as host:
        for i in range(1, 4):
            assert host.append_row("OMM", {"i": i}) == i
    with sdm.RuntimeHost(str(path)) as reopened:
        assert reopened.resolve_row("OMM", 2)["payload"] == {"i": 2}
        assert reopened.append_row("OMM", {"i": 4}) == 4  # ids are never reused
        assert [r["payload"]["i"] for r in reopened.list_rows("OMM")] == [1, 2, 3, 4]


def test_concurrent_appends_get_unique_ids(tmp_path) -> None:
    with sdm.RuntimeHost(tmp_path / "rows.sqlite") as host:
        ids: list = []
        lock = threading.Lock()

        def worker(g: int) -> None:
            for i in range(10):
                row = host.append_row("OMM", {"g": g, "i": i})
                with lock:
                    ids.append(row)

        threads = [threading.Thread(target=worker, args=(g,)) for g in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(ids) == list(range(1, 81))


def test_regions(raises_code) -> None:
    with sdm.RuntimeHost() as host:
        region = host.allocate_region("OMM", 4, alignment=4, initial_records=b"abcdefg")
        described = host.describe_region(region)
        assert described["recordCount"] == 2 and described["recordByteLength"] == 4
        assert host.resolve_record(region, 0) == b"abcd"
        assert host.resolve_record(region, 1) == b"efg\x00"  # zero-padded
        host.set_region_record_count(region, 3)
        assert host.resolve_record(region, 2) == b"\x00" * 4
        assert host.describe_region(999) is None
        with raises_code(sdm.ExecutionError, "runtime-host-not-found", 858):
            host.resolve_record(region, 3)
        with raises_code(sdm.ExecutionError, "runtime-host-invalid-alignment", 854):
            host.allocate_region("OMM", 4, alignment=3)


def test_module_registry(echo_direct_wasm, raises_code) -> None:
    opened = sdm.open(echo_direct_wasm, trust=[], allow_unsigned=True)
    with sdm.RuntimeHost() as host:
        installed = host.install_module("echo", opened, {"owner": "py"})
        assert installed["previous"] is None
        record = installed["module"]
        assert record["moduleId"] == "echo" and record["loaded"] is False and record["metadata"] == {"owner": "py"}
        with raises_code(sdm.ExecutionError, "runtime-host-module-not-loaded", 864):
            host.invoke("echo", "echo", {"echo": b"x"})
        host.load_module("echo")
        response = host.invoke("echo", "echo", {"echo": b"hello"})
        assert response.outputs == {"echo": b"hello"} and response.mode is None
        with raises_code(sdm.ExecutionError, "runtime-host-module-exists", 865):
            host.install_module("echo", opened)
        replaced = host.install_module("echo", opened, replace=True)
        assert replaced["module"]["version"] == 2 and replaced["previous"]["version"] == 1
        host.load_module("echo")
        assert host.unload_module("echo") is True
        assert [m["moduleId"] for m in host.list_modules()] == ["echo"]
        assert host.uninstall_module("echo")["moduleId"] == "echo"
        with raises_code(sdm.ExecutionError, "runtime-host-module-unknown", 863):
            host.load_module("echo")


def test_registry_modules_get_the_host_policy(host_proxy_wasm, tmp_path) -> None:
    import json

    opened = sdm.open(host_proxy_wasm, trust=[], allow_unsigned=True)
    policy = {"grant": ["filesystem"], "filesystemRoot": str(tmp_path)}
    with sdm.RuntimeHost(host_policy=policy) as host:
        host.install_module("proxy", opened)
        host.load_module("proxy")
        request = b'filesystem.writeFile\n{"path":"registry.txt","value":"ok"}'
        response = host.invoke("proxy", "call", {"request": request})
        assert json.loads(response.outputs["envelope"])["ok"] is True
        assert (tmp_path / "registry.txt").read_text() == "ok"
        denied = host.invoke("proxy", "call", {"request": b'random.bytes\n{"length":4}'})
        assert json.loads(denied.outputs["envelope"])["error"]["code"] == "host-capability-denied"
    with pytest.raises(sdm.InvalidInputError):
        sdm.RuntimeHost(host_policy={"grant": "everything"})
