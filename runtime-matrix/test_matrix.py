#!/usr/bin/env python3
"""Self-test of the runtime matrix harness (matrix.py) with fake lanes in a temporary lanes
root: agreeing lanes pass; a lane that is wrong on one case fails the run and the report
names that case and lane (and the JSON path); a skipped lane shows its reason and fails
nothing; a missing result and a broken lane fail; a lane past its deadline is stopped.
Python 3 standard library only: `python3 runtime-matrix/test_matrix.py`."""

import json
import os
import subprocess
import sys
import tempfile
import textwrap
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
MATRIX = HERE / "matrix.py"

# A fake lane: writes one result per case, its program stdout the case's description. The
# behaviour is chosen by the lane directory's name, so one script serves every fake lane.
FAKE_LANE = textwrap.dedent("""\
    import base64, json, os, sys, time
    from pathlib import Path
    lane = Path(sys.argv[1]).parent.name
    cases, out = Path(sys.argv[2]), Path(sys.argv[3])
    if lane == "skipper":
        print("skipped: fakec not found")
        sys.exit(77)
    if lane == "sleeper":
        time.sleep(60)
    assert Path.cwd() == Path(os.environ["EXPECT_CWD"]), Path.cwd()
    for var in ("SDM_REPO_ROOT", "CARGO_TARGET_DIR", "SDM_CLI", "SDM_FFI_LIB_DIR", "SDM_LANE_BUILD"):
        assert os.path.isabs(os.environ[var]), var
    assert Path(os.environ["SDM_LANE_BUILD"]).is_dir()
    for path in sorted(cases.glob("*.json")):
        case = json.loads(path.read_text())
        if lane == "forgetful" and path.stem == "b-second":
            continue
        exit_code = 0
        if lane == "wrong" and path.stem == "b-second":
            exit_code = 1
        result = {"case": path.stem, "error": None, "invoke": None, "program": {
            "exitCode": exit_code, "stdoutBase64": base64.b64encode(case["description"].encode()).decode(),
            "stderrBase64": ""}}
        # Key order and number formatting must not matter.
        text = json.dumps(result, indent=None if lane == "compact" else 2)
        if lane == "compact":
            text = text.replace('"exitCode": 0', '"exitCode": 0.0')
        (out / (path.stem + ".json")).write_text(text)
    if lane == "crasher":
        sys.exit(3)
""")


class MatrixTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        root = Path(self.tmp.name)
        self.cases = root / "cases"
        self.artifacts = root / "artifacts"
        self.lanes = root / "lanes"
        self.target = root / "target"
        for d in (self.cases, self.artifacts, self.lanes, self.target):
            d.mkdir()
        for name in ("a-first", "b-second", "c-third"):
            (self.cases / f"{name}.json").write_text(json.dumps({"description": f"case {name}"}))
        (root / "fake_lane.py").write_text(FAKE_LANE)
        self.fake = root / "fake_lane.py"

    def tearDown(self):
        self.tmp.cleanup()

    def lane(self, name):
        d = self.lanes / name
        d.mkdir()
        (d / "run.sh").write_text(f'#!/usr/bin/env bash\nexec python3 "{self.fake}" "$0" "$@"\n')

    def run_matrix(self, *extra):
        env = dict(os.environ, EXPECT_CWD=str(self.artifacts.resolve()))
        done = subprocess.run(
            [sys.executable, str(MATRIX), "--cases", str(self.cases), "--artifacts", str(self.artifacts),
             "--lanes-root", str(self.lanes), "--target-dir", str(self.target), *extra],
            capture_output=True, text=True, env=env, timeout=120)
        return done.returncode, done.stdout + done.stderr

    def test_agreeing_lanes_pass(self):
        for name in ("rust", "alpha", "compact"):
            self.lane(name)
        status, out = self.run_matrix()
        self.assertEqual(status, 0, out)
        self.assertEqual(out.rstrip().splitlines()[-1], "runtime-matrix: 9 passed, 0 failed", out)

    def test_a_wrong_lane_fails_naming_the_case_and_the_lane(self):
        for name in ("rust", "alpha", "wrong"):
            self.lane(name)
        status, out = self.run_matrix()
        self.assertNotEqual(status, 0, out)
        self.assertIn("FAIL b-second [wrong]: $.program.exitCode: rust 0, wrong 1", out)
        self.assertEqual(out.rstrip().splitlines()[-1], "runtime-matrix: 8 passed, 1 failed", out)
        row = next(line for line in out.splitlines() if line.startswith("b-second"))
        self.assertEqual(row.split(), ["b-second", "pass", "pass", "FAIL"], out)

    def test_a_skipped_lane_shows_its_reason_and_fails_nothing(self):
        for name in ("rust", "skipper"):
            self.lane(name)
        status, out = self.run_matrix()
        self.assertEqual(status, 0, out)
        self.assertIn("skipper: skipped: fakec not found", out)
        self.assertIn("skipped lanes: 1 (skipper: fakec not found)", out)
        self.assertEqual(out.rstrip().splitlines()[-1], "runtime-matrix: 3 passed, 0 failed", out)

    def test_a_missing_result_fails(self):
        for name in ("rust", "forgetful"):
            self.lane(name)
        status, out = self.run_matrix()
        self.assertNotEqual(status, 0, out)
        self.assertIn("missing b-second [forgetful]: no result written", out)
        self.assertEqual(out.rstrip().splitlines()[-1], "runtime-matrix: 5 passed, 1 failed", out)

    def test_a_broken_lane_fails_even_with_every_result(self):
        for name in ("rust", "crasher"):
            self.lane(name)
        status, out = self.run_matrix()
        self.assertNotEqual(status, 0, out)
        self.assertIn("crasher: broken: runner exited with status 3", out)
        self.assertEqual(out.rstrip().splitlines()[-1], "runtime-matrix: 6 passed, 1 failed", out)

    def test_a_lane_past_its_deadline_is_stopped(self):
        for name in ("rust", "sleeper"):
            self.lane(name)
        status, out = self.run_matrix("--lane-timeout", "2")
        self.assertNotEqual(status, 0, out)
        self.assertIn("sleeper: broken: timed out after 2 s", out)
        self.assertEqual(out.rstrip().splitlines()[-1], "runtime-matrix: 3 passed, 3 failed", out)

    def test_lanes_restricts_but_the_reference_always_runs(self):
        for name in ("rust", "alpha", "wrong"):
            self.lane(name)
        status, out = self.run_matrix("--lanes", "alpha")
        self.assertEqual(status, 0, out)
        self.assertNotIn("wrong", out)
        self.assertEqual(out.rstrip().splitlines()[-1], "runtime-matrix: 6 passed, 0 failed", out)

    def test_the_reference_is_checked_against_expected_results(self):
        self.lane("rust")
        expected = Path(self.tmp.name) / "expected"
        status, out = self.run_matrix("--expected", str(expected), "--write-expected")
        self.assertEqual(status, 0, out)
        document = json.loads((expected / "c-third.json").read_text())
        document["program"]["stderrBase64"] = "eA=="
        (expected / "c-third.json").write_text(json.dumps(document))
        status, out = self.run_matrix("--expected", str(expected))
        self.assertNotEqual(status, 0, out)
        self.assertIn("FAIL c-third [rust]: differs from the expected result $.program.stderrBase64", out)

    def test_a_user_directory_is_artifacts_and_cases(self):
        self.lane("rust")
        self.lane("alpha")
        (self.artifacts / "cases").mkdir()
        for path in self.cases.glob("*.json"):
            path.rename(self.artifacts / "cases" / path.name)
        # A key file beside the artifacts is not a case: the cases are in DIR/cases.
        (self.artifacts / "recipient.json").write_text("{}")
        env = dict(os.environ, EXPECT_CWD=str(self.artifacts.resolve()))
        done = subprocess.run(
            [sys.executable, str(MATRIX), "--dir", str(self.artifacts), "--lanes-root", str(self.lanes),
             "--target-dir", str(self.target)], capture_output=True, text=True, env=env, timeout=120)
        out = done.stdout + done.stderr
        self.assertEqual(done.returncode, 0, out)
        self.assertNotIn("recipient", out)
        self.assertEqual(out.rstrip().splitlines()[-1], "runtime-matrix: 6 passed, 0 failed", out)


if __name__ == "__main__":
    unittest.main(verbosity=2)
