"""The installed package: wheel metadata, stubs (mypy.stubtest), the README example."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

import space_data_module as sdm
from conftest import REPO

PACKAGE_DIR = Path(sdm.__file__).parent


def test_the_installed_package_is_the_wheel_not_the_source_tree() -> None:
    assert (PACKAGE_DIR / "py.typed").is_file()
    assert (PACKAGE_DIR / "_native.pyi").is_file()
    assert list(PACKAGE_DIR.glob("_native*.so")), "the extension is next to the package"
    assert sdm.__version__ == metadata.version("space-data-module")


def test_wheel_metadata_names_license_python_and_platform() -> None:
    meta = metadata.metadata("space-data-module")
    assert meta["License-Expression"] == "MIT OR Apache-2.0"
    assert meta["Requires-Python"] == ">=3.9"
    assert not meta.get_all("Requires-Dist"), "the wheel needs nothing else"
    wheel = metadata.distribution("space-data-module").read_text("WHEEL") or ""
    tags = re.findall(r"^Tag: (\S+)$", wheel, re.M)
    assert tags and all(re.fullmatch(r"cp39-abi3-manylinux_\d+_\d+_x86_64|cp39-abi3-linux_x86_64", t) for t in tags), tags
    built = os.environ.get("SDM_PY_WHEEL")
    if built:
        assert Path(built).name.startswith("space_data_module-") and "-cp39-abi3-" in Path(built).name


def test_all_names_exist() -> None:
    for name in sdm.__all__:
        assert hasattr(sdm, name), name


def test_stubs_match_the_module() -> None:
    pytest.importorskip("mypy.stubtest", reason="mypy is not installed in this environment")
    allowlist = Path(__file__).with_name("stubtest-allowlist.txt")
    result = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "space_data_module", "--allowlist", str(allowlist)],
        capture_output=True,
        text=True,
        cwd=os.environ.get("TMPDIR", "/tmp"),
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_readme_example_runs(tmp_path, echo_direct_wasm) -> None:
    readme = (REPO / "bindings" / "python" / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, re.S)
    assert len(blocks) == 1
    (tmp_path / "echo-direct.wasm").write_bytes(echo_direct_wasm)
    result = subprocess.run([sys.executable, "-c", blocks[0]], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "refused: signature-invalid 605" in result.stdout
    assert "b'hello'" in result.stdout
    assert '"norad": 25544' in result.stdout
    shutil.rmtree(tmp_path, ignore_errors=True)
