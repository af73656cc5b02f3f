#!/usr/bin/env python3
"""The runtime matrix harness (runtime-matrix/README.md).

Runs every language lane (`<lanes root>/*/run.sh CASES_DIR OUT_DIR`, cwd = the artifacts
directory) over one directory of cases, then compares each lane's result JSON with the Rust
lane's, case by case, and prints a table (case x lane). Rust's results are also compared with
the expected results when an expected directory is given. Ends with exactly
`runtime-matrix: N passed, N failed`; the exit status is non-zero on any difference, missing
result or broken lane.

Python 3 standard library only.
"""

import argparse
import base64
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

REFERENCE = "rust"
SKIP_STATUS = 77
HERE = Path(__file__).resolve().parent
DEFAULT_LANE_TIMEOUT = 15 * 60


class Lane:
    """One lane's run: its status and its parsed results."""

    def __init__(self, name, script):
        self.name = name
        self.script = script
        self.skipped = None  # the reason, when the lane skipped itself
        self.broken = None  # why the runner itself failed (exit status, timeout)
        self.results = {}  # case name -> parsed JSON
        self.invalid = {}  # case name -> why the result file is unusable
        self.log = None
        self.seconds = 0.0


def discover_lanes(root, only):
    """`root/*/run.sh`, sorted with the reference first; `only` restricts (the reference is
    always run: every comparison needs it)."""
    lanes = {}
    for script in sorted(Path(root).resolve().glob("*/run.sh")):
        lanes[script.parent.name] = script
    if only:
        unknown = sorted(set(only) - set(lanes))
        if unknown:
            raise SystemExit(f"matrix.py: no lane {', '.join(unknown)} under {root} "
                             f"(lanes: {', '.join(sorted(lanes)) or 'none'})")
        lanes = {name: path for name, path in lanes.items() if name in only or name == REFERENCE}
    names = sorted(lanes, key=lambda name: (name != REFERENCE, name))
    return [Lane(name, lanes[name]) for name in names]


def case_names(cases_dir):
    names = sorted(p.stem for p in Path(cases_dir).glob("*.json") if p.is_file())
    if not names:
        raise SystemExit(f"matrix.py: no *.json case in {cases_dir}")
    return names


def lane_env(args, lane, build_dir):
    target = Path(args.target_dir).resolve()
    env = dict(os.environ)
    env.update({
        "SDM_REPO_ROOT": str(Path(args.repo_root).resolve()),
        "CARGO_TARGET_DIR": str(target),
        "SDM_CLI": str(Path(args.cli).resolve()) if args.cli else str(target / "debug" / "space-data-module"),
        "SDM_FFI_LIB_DIR": str(target / "debug" / "deps"),
        "SDM_LANE_BUILD": str(build_dir),
    })
    return env


def run_lane(lane, args, cases_dir, artifacts, out_root):
    """Runs one lane with a deadline; fills lane.skipped / lane.broken / lane.results."""
    out = out_root / lane.name
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    build_dir = Path(args.build_dir).resolve() / lane.name
    build_dir.mkdir(parents=True, exist_ok=True)
    lane.log = out_root / f"{lane.name}.log"
    started = time.monotonic()
    with open(lane.log, "wb") as log:
        # Its own process group, so a deadline stops everything the lane started.
        process = subprocess.Popen(
            ["bash", str(lane.script), str(cases_dir), str(out)],
            cwd=artifacts, env=lane_env(args, lane, build_dir),
            stdout=subprocess.PIPE, stderr=log, start_new_session=True)
        try:
            stdout, _ = process.communicate(timeout=args.lane_timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            stdout, _ = process.communicate()
            lane.broken = f"timed out after {args.lane_timeout:g} s"
        log.write(b"--- stdout ---\n" + stdout)
    lane.seconds = time.monotonic() - started
    text = stdout.decode("utf-8", "replace")
    if lane.broken is None and process.returncode == SKIP_STATUS:
        reasons = [line[len("skipped:"):].strip() for line in text.splitlines()
                   if line.startswith("skipped:")]
        lane.skipped = reasons[0] if reasons else "(no reason given)"
        return
    if lane.broken is None and process.returncode != 0:
        lane.broken = f"runner exited with status {process.returncode}"
    for path in sorted(out.glob("*.json")):
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
            lane.invalid[path.stem] = f"unreadable result: {err}"
            continue
        if not isinstance(value, dict) or value.get("case") != path.stem:
            lane.invalid[path.stem] = f'result is not an object with "case": "{path.stem}"'
            continue
        lane.results[path.stem] = value


def first_difference(expected, actual, path="$"):
    """The JSON path of the first difference (objects compared key-insensitively to order,
    numbers by value, booleans never equal to numbers), or None."""
    def kind(value):
        if isinstance(value, bool):
            return "bool"
        if isinstance(value, (int, float)):
            return "number"
        return type(value).__name__
    if kind(expected) != kind(actual):
        return path
    if isinstance(expected, dict):
        for key in sorted(set(expected) | set(actual)):
            if key not in actual or key not in expected:
                return f"{path}.{key}"
            found = first_difference(expected[key], actual[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(expected, list):
        for index, (a, b) in enumerate(zip(expected, actual)):
            found = first_difference(a, b, f"{path}[{index}]")
            if found:
                return found
        return f"{path}[{min(len(expected), len(actual))}]" if len(expected) != len(actual) else None
    return None if expected == actual else path


def value_at(document, path):
    """The value at a path of first_difference (for the report), or a marker when absent."""
    value = document
    for part in path[1:].replace("[", ".[").split("."):
        if not part:
            continue
        try:
            value = value[int(part[1:-1])] if part.startswith("[") else value[part]
        except (KeyError, IndexError, TypeError, ValueError):
            return "<absent>"
    return value


def describe(path, reference, actual, reference_name, lane_name):
    def show(value):
        text = json.dumps(value, sort_keys=True) if value != "<absent>" else value
        if isinstance(value, str) and path.endswith("Base64") and value != "<absent>":
            try:
                text += f" ({base64.b64decode(value)[:80]!r})"
            except ValueError:
                pass
        return text if len(text) <= 160 else text[:157] + "..."
    return (f"{path}: {reference_name} {show(value_at(reference, path))}, "
            f"{lane_name} {show(value_at(actual, path))}")


def compare(cases, lanes, expected_dir):
    """cells[case][lane] = (status, detail); status in pass, FAIL, missing, skipped."""
    reference = next((lane for lane in lanes if lane.name == REFERENCE), None)
    cells = {case: {} for case in cases}
    for case in cases:
        ref = reference.results.get(case) if reference and not reference.skipped else None
        for lane in lanes:
            if lane.skipped:
                cells[case][lane.name] = ("skipped", lane.skipped)
                continue
            result = lane.results.get(case)
            if result is None:
                why = lane.invalid.get(case) or "no result written"
                if lane.broken:
                    why += f" ({lane.broken})"
                cells[case][lane.name] = ("missing", why)
                continue
            if lane is reference:
                expected_path = Path(expected_dir) / f"{case}.json" if expected_dir else None
                if expected_path and expected_path.is_file():
                    expected = json.loads(expected_path.read_text(encoding="utf-8"))
                    path = first_difference(expected, result)
                    if path:
                        cells[case][lane.name] = ("FAIL", "differs from the expected result " + describe(
                            path, expected, result, "expected", lane.name))
                        continue
                cells[case][lane.name] = ("pass", "")
                continue
            if ref is None:
                cells[case][lane.name] = ("FAIL", f"no {REFERENCE} result to compare with")
                continue
            path = first_difference(ref, result)
            if path:
                cells[case][lane.name] = ("FAIL", describe(path, ref, result, REFERENCE, lane.name))
            else:
                cells[case][lane.name] = ("pass", "")
    return cells


def print_report(cases, lanes, cells, out):
    names = [lane.name for lane in lanes]
    width = max(len("case"), *(len(case) for case in cases))
    cols = [max(len(name), 7) for name in names]
    out.write("runtime-matrix: case x lane\n")
    out.write("  ".join(["case".ljust(width)] + [n.ljust(w) for n, w in zip(names, cols)]).rstrip() + "\n")
    for case in cases:
        row = [case.ljust(width)]
        for name, w in zip(names, cols):
            row.append(cells[case][name][0].ljust(w))
        out.write("  ".join(row).rstrip() + "\n")
    problems = [(case, name, *cells[case][name]) for case in cases for name in names
                if cells[case][name][0] in ("FAIL", "missing")]
    if problems:
        out.write("\ndifferences:\n")
        for case, name, status, detail in problems:
            out.write(f"  {status} {case} [{name}]: {detail}\n")
    for lane in lanes:
        if lane.broken:
            out.write(f"\nlane {lane.name} broke: {lane.broken}; last lines of {lane.log}:\n")
            for line in tail(lane.log, 25):
                out.write(f"    {line}\n")
    out.write("\nlanes:\n")
    for lane in lanes:
        if lane.skipped:
            state = f"skipped: {lane.skipped}"
        elif lane.broken:
            state = f"broken: {lane.broken}"
        else:
            state = f"ran ({len(lane.results)} results)"
        out.write(f"  {lane.name}: {state} [{lane.seconds:.1f} s]\n")
    skipped = [lane for lane in lanes if lane.skipped]
    if skipped:
        out.write(f"skipped lanes: {len(skipped)} ("
                  + ", ".join(f"{lane.name}: {lane.skipped}" for lane in skipped) + ")\n")
    passed = sum(1 for case in cases for name in names if cells[case][name][0] == "pass")
    failed = len(problems)
    # A broken lane fails the run even when all its results came out.
    failed += sum(1 for lane in lanes if lane.broken and not any(
        cells[case][lane.name][0] == "missing" for case in cases))
    out.write(f"runtime-matrix: {passed} passed, {failed} failed\n")
    return failed


def tail(path, count):
    try:
        lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    return lines[-count:]


def parse_args(argv):
    target = os.environ.get("CARGO_TARGET_DIR") or str(HERE.parent / "target")
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", default=None,
                        help="your own cases (make runtime-matrix CASES=DIR): DIR is the artifacts "
                             "directory; the cases are DIR/cases/*.json when DIR/cases exists, else "
                             "DIR/*.json; DIR/expected, when it exists, holds expected results")
    parser.add_argument("--cases", default=str(HERE / "cases"), help="directory of *.json cases")
    parser.add_argument("--artifacts", default=None,
                        help="the directory the lanes run in (built fixtures or your own)")
    parser.add_argument("--expected", default=None,
                        help="expected results the reference lane must match (per case, when present)")
    parser.add_argument("--lanes", default="", help="comma-separated lanes to run (rust always runs)")
    parser.add_argument("--lanes-root", default=str(HERE), help="where */run.sh are found")
    parser.add_argument("--out", default=None, help="results directory (default: TARGET/runtime-matrix/results)")
    parser.add_argument("--build-dir", default=None, help="lanes' scratch (default: TARGET/runtime-matrix/build)")
    parser.add_argument("--target-dir", default=target)
    parser.add_argument("--repo-root", default=str(HERE.parent))
    parser.add_argument("--cli", default=os.environ.get("SDM_CLI"))
    parser.add_argument("--lane-timeout", type=float, default=DEFAULT_LANE_TIMEOUT,
                        help="seconds each lane may take (default 900)")
    parser.add_argument("--write-expected", action="store_true",
                        help="copy the reference lane's results into --expected (after review!)")
    args = parser.parse_args(argv)
    if args.dir:
        user = Path(args.dir)
        args.artifacts = str(user)
        args.cases = str(user / "cases") if (user / "cases").is_dir() else str(user)
        if args.expected is None and (user / "expected").is_dir():
            args.expected = str(user / "expected")
    if not args.artifacts:
        parser.error("give --artifacts DIR (and --cases DIR), or --dir DIR")
    args.out = args.out or str(Path(args.target_dir) / "runtime-matrix" / "results")
    args.build_dir = args.build_dir or str(Path(args.target_dir) / "runtime-matrix" / "build")
    return args


def main(argv=None):
    args = parse_args(argv)
    cases_dir = Path(args.cases).resolve()
    artifacts = Path(args.artifacts).resolve()
    if not artifacts.is_dir():
        raise SystemExit(f"matrix.py: artifacts directory {artifacts} does not exist")
    cases = case_names(cases_dir)
    only = [name for name in args.lanes.split(",") if name]
    lanes = discover_lanes(args.lanes_root, only)
    if not lanes or lanes[0].name != REFERENCE:
        raise SystemExit(f"matrix.py: no {REFERENCE} lane (the reference) under {args.lanes_root}")
    out_root = Path(args.out).resolve()
    out_root.mkdir(parents=True, exist_ok=True)
    for lane in lanes:
        print(f"== lane {lane.name}", flush=True)
        run_lane(lane, args, cases_dir, artifacts, out_root)
        state = (f"skipped: {lane.skipped}" if lane.skipped else
                 f"broken: {lane.broken}" if lane.broken else f"{len(lane.results)} results")
        print(f"   {state} ({lane.seconds:.1f} s; log {lane.log})", flush=True)
    if args.write_expected:
        if not args.expected:
            raise SystemExit("matrix.py: --write-expected needs --expected DIR")
        Path(args.expected).mkdir(parents=True, exist_ok=True)
        for case in cases:
            source = out_root / REFERENCE / f"{case}.json"
            if source.is_file():
                shutil.copyfile(source, Path(args.expected) / f"{case}.json")
        print(f"expected results written to {args.expected}")
    cells = compare(cases, lanes, args.expected)
    failed = print_report(cases, lanes, cells, sys.stdout)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
