#!/usr/bin/env python3
"""The pure logic of bench_table.py over fake criterion directories: no benchmark runs here.

Run: python3 scripts/test_bench_table.py  (or `make test-bench-table`)
"""

import contextlib
import io
import json
import os
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_table as bt  # noqa: E402

SIXTEEN = 16 * bt.MiB


def write_result(root, full_id, median_ns, nbytes=None, directory=None):
    """A criterion result as criterion 0.5 lays it out; `directory` defaults to a sanitized id."""
    new = Path(root) / (directory or full_id.replace(" ", "_").replace(":", "_")) / "new"
    new.mkdir(parents=True, exist_ok=True)
    group, _, function = full_id.rpartition("/")
    bench = {"group_id": group, "function_id": function, "value_str": None, "full_id": full_id,
             "throughput": {"Bytes": nbytes} if nbytes else None}
    (new / "benchmark.json").write_text(json.dumps(bench))
    estimate = {"point_estimate": median_ns, "standard_error": 1.0,
                "confidence_interval": {"confidence_level": 0.95, "lower_bound": 0, "upper_bound": 0}}
    (new / "estimates.json").write_text(json.dumps({"mean": estimate, "median": estimate}))
    return new / "estimates.json"


def row_for(rows, op):
    return next(r for r in rows if r[0] == op)


class LoadResults(unittest.TestCase):
    def test_reads_id_median_and_bytes_from_sanitized_directories(self):
        with tempfile.TemporaryDirectory() as d:
            write_result(d, "manifest/kitchen-sink/decode (verify+read)", 812.5, directory="manifest_kitchen-sink/decode (verify+read)")
            write_result(d, "bundle/16MiB/create", 2e7, SIXTEEN, directory="bundle_16MiB/create")
            # criterion's "base" copy of an earlier run must not shadow "new".
            base = Path(d) / "bundle_16MiB/create/base"
            base.mkdir()
            (base / "benchmark.json").write_text(json.dumps({"full_id": "bundle/16MiB/create"}))
            results = bt.load_results(d)
        self.assertEqual(set(results), {"manifest/kitchen-sink/decode (verify+read)", "bundle/16MiB/create"})
        self.assertEqual(results["manifest/kitchen-sink/decode (verify+read)"].median_ns, 812.5)
        self.assertIsNone(results["manifest/kitchen-sink/decode (verify+read)"].bytes)
        self.assertEqual(results["bundle/16MiB/create"].bytes, SIXTEEN)

    def test_a_result_older_than_since_is_stale(self):
        with tempfile.TemporaryDirectory() as d:
            old = write_result(d, "limits/16MiB/sha256", 1e7, SIXTEEN)
            write_result(d, "limits/16MiB/memcpy", 1e6, SIXTEEN)
            os.utime(old, (1000, 1000))
            results = bt.load_results(d, since=2000)
        self.assertTrue(results["limits/16MiB/sha256"].stale)
        self.assertFalse(results["limits/16MiB/memcpy"].stale)

    def test_unreadable_results_are_skipped(self):
        with tempfile.TemporaryDirectory() as d:
            estimates = write_result(d, "bundle/16MiB/parse", 1e7, SIXTEEN)
            estimates.write_text("{ not json")
            self.assertEqual(bt.load_results(d), {})


class Rows(unittest.TestCase):
    def results(self, **overrides):
        r = {
            bt.SHA256: bt.Result(10e6, SIXTEEN),
            bt.AES_CTR: bt.Result(20e6, SIXTEEN),
            bt.MEMCPY: bt.Result(2e6, SIXTEEN),
        }
        r.update(overrides)
        return r

    def test_ratio_scales_each_limit_per_byte_to_the_operation_size(self):
        # Protect of 32 MiB: limit = (2 * 10 ms + 20 ms) * 2 = 80 ms; 100 ms is 1.25x: met.
        results = self.results(**{"publication/16MiB/protect/encrypted": bt.Result(100e6, 2 * SIXTEEN)})
        problems = []
        row = row_for(bt.build_rows(results, [], problems), "protect 16 MiB signed+encrypted")
        self.assertEqual(row[3], "2 SHA-256 + 1 AES-256-CTR = 80 ms")
        self.assertEqual(row[4], "1.25x")
        self.assertEqual(row[6], "met")
        self.assertEqual(row[2], "320 MiB/s")

    def test_over_the_target_ratio_says_by_how_much(self):
        results = self.results(**{"bundle/16MiB/parse": bt.Result(26e6, SIXTEEN)})
        row = row_for(bt.build_rows(results, [], []), "bundle parse 16 MiB")
        self.assertEqual(row[4], "2.60x")
        self.assertEqual(row[6], "missed by 2x")

    def test_absolute_targets(self):
        results = self.results(**{
            "direct_echo/runtime_session/64": bt.Result(450, 64),
            "manifest/kitchen-sink/encode_json (normalize+encode)": bt.Result(7e3, None),
        })
        rows = bt.build_rows(results, [], [])
        echo = row_for(rows, "direct invoke echo 64 B (session)")
        self.assertEqual((echo[1], echo[5], echo[6]), ("450 ns", "< 500 ns", "met"))
        encode = row_for(rows, "manifest encode from parsed value")
        self.assertEqual((encode[1], encode[2], encode[6]), ("7 us", "-", "missed by 2x"))

    def test_the_borrowed_manifest_decode_has_its_own_row(self):
        results = self.results(**{"manifest/kitchen-sink/decode_ref (verify+read, borrowed)": bt.Result(640, None)})
        row = row_for(bt.build_rows(results, [], []), "manifest decode kitchen-sink (borrowed view)")
        self.assertEqual((row[1], row[5], row[6]), ("640 ns", "< 1 us", "met"))

    def test_missing_and_stale_results_name_the_benchmark(self):
        results = self.results(**{"bundle/16MiB/create": bt.Result(1e7, SIXTEEN, stale=True)})
        problems = []
        rows = bt.build_rows(results, [], problems)
        self.assertEqual(row_for(rows, "bundle parse 16 MiB")[6], "missing: bundle/16MiB/parse")
        self.assertEqual(row_for(rows, "bundle create 16 MiB")[6], "stale: bundle/16MiB/create")
        self.assertIn("missing criterion result 'bundle/16MiB/parse' (row 'bundle parse 16 MiB')", problems)
        self.assertIn("stale criterion result 'bundle/16MiB/create': not measured in this run", problems)

    def test_a_missing_limit_leaves_the_ratio_out(self):
        results = self.results(**{"bundle/16MiB/create": bt.Result(1e7, SIXTEEN)})
        del results[bt.SHA256]
        problems = []
        rows = bt.build_rows(results, [], problems)
        create = row_for(rows, "bundle create 16 MiB")
        self.assertEqual((create[1], create[4], create[6]), ("10 ms", "-", "missing limit: limits/16MiB/sha256"))
        self.assertEqual(row_for(rows, "limit: SHA-256 16 MiB")[6], "missing: limits/16MiB/sha256")
        self.assertIn("missing limit 'limits/16MiB/sha256' (row 'bundle create 16 MiB')", problems)

    def test_a_ratio_row_without_a_byte_count_says_so(self):
        results = self.results(**{"bundle/16MiB/create": bt.Result(1e7, None)})
        problems = []
        create = row_for(bt.build_rows(results, [], problems), "bundle create 16 MiB")
        self.assertEqual((create[4], create[6]), ("-", "no byte count: bundle/16MiB/create"))
        self.assertIn("criterion result 'bundle/16MiB/create' has no Throughput::Bytes (row 'bundle create 16 MiB')", problems)

    def test_every_issue_row_is_in_the_table_even_with_no_results(self):
        rows = bt.build_rows({}, [], [])
        self.assertEqual([r[0] for r in rows[: len(bt.ROWS)]], [r.op for r in bt.ROWS])
        self.assertTrue(all(r[6].startswith("missing") for r in rows))

    def test_rss_limit_is_input_plus_output_plus_16_mib(self):
        met = bt.rss_row(bt.RssMeasure("open", rss=40 * bt.MiB, input_bytes=12 * bt.MiB, output_bytes=12 * bt.MiB))
        self.assertEqual(met[3], "in 12 MiB + out 12 MiB + 16 MiB = 40 MiB")
        self.assertEqual((met[4], met[6]), ("1.00x", "met"))
        missed = bt.rss_row(bt.RssMeasure("bundle", rss=80 * bt.MiB, input_bytes=16 * bt.MiB, output_bytes=8 * bt.MiB))
        self.assertEqual(missed[6], "missed by 2x")
        failed = bt.rss_row(bt.RssMeasure("protect", error="failed (exit 3): bad key"))
        self.assertEqual(failed[6], "failed (exit 3): bad key")

    def test_the_gib_open_row_has_a_fixed_ceiling(self):
        row = bt.rss_row(bt.RssMeasure("open from a file", rss=20 * bt.MiB, input_bytes=1 << 30,
                                       output_bytes=1 << 30, ceiling=bt.GIB_OPEN_CEILING, size="1 GiB"))
        self.assertEqual(row[0], "CLI peak RSS open from a file 1 GiB")
        self.assertEqual((row[3], row[6]), ("fixed 64 MiB", "met"))
        over = bt.rss_row(bt.RssMeasure("open from a file", rss=128 * bt.MiB, ceiling=bt.GIB_OPEN_CEILING, size="1 GiB"))
        self.assertEqual(over[6], "missed by 2x")


class Formatting(unittest.TestCase):
    def test_units(self):
        self.assertEqual(bt.fmt_time(999), "999 ns")
        self.assertEqual(bt.fmt_time(1500), "1.5 us")
        self.assertEqual(bt.fmt_time(2.5e9), "2.5 s")
        self.assertEqual(bt.fmt_bytes(512), "512 B")
        self.assertEqual(bt.fmt_bytes(3 << 29), "1.5 GiB")
        # Between 1000 and 1023 of a unit: digits, not 1.02e+03.
        self.assertEqual(bt.fmt_bytes(1016 * (1 << 20)), "1016 MiB")
        self.assertEqual(bt.fmt_bytes(250 * (1 << 20)), "250 MiB")
        self.assertEqual(bt.fmt_time(999.6), "1000 ns")

    def test_render_aligns_columns(self):
        lines = bt.render([["a", "1", "2", "3", "4", "5", "met"], ["longer op", "-", "-", "-", "-", "-", "x"]]).splitlines()
        self.assertEqual(len({len(line) for line in lines}), 1)
        self.assertTrue(lines[1].startswith("| ---"))


class CliMeasure(unittest.TestCase):
    def test_parse_time_v(self):
        report = "\tCommand being timed: \"x\"\n\tMaximum resident set size (kbytes): 51234\n\tExit status: 0\n"
        self.assertEqual(bt.parse_time_v(report), 51234 * 1024)
        self.assertIsNone(bt.parse_time_v("Command exited with non-zero status 1\n"))

    def test_big_module_is_exactly_16_mib_with_one_well_framed_custom_section(self):
        base = b"\x00asm\x01\x00\x00\x00" + bytes(1000)
        module = bt.big_module(base)
        self.assertEqual(len(module), SIXTEEN)
        self.assertEqual(module[: len(base)], base)
        section = module[len(base):]
        self.assertEqual(section[0], 0)
        size, pos = 0, 1
        for shift in range(0, 35, 7):
            byte = section[pos]
            size |= (byte & 0x7F) << shift
            pos += 1
            if not byte & 0x80:
                break
        self.assertEqual(size, len(section) - pos)
        self.assertEqual(section[pos], len(b"bench.filler"))
        self.assertEqual(section[pos + 1: pos + 13], b"bench.filler")

    def test_leb128(self):
        self.assertEqual(bt.leb128(0), b"\x00")
        self.assertEqual(bt.leb128(127), b"\x7f")
        self.assertEqual(bt.leb128(128), b"\x80\x01")
        self.assertEqual(bt.leb128(624485), b"\xe5\x8e\x26")


class Main(unittest.TestCase):
    def test_no_results_prints_what_is_missing_and_still_writes_the_table(self):
        with tempfile.TemporaryDirectory() as d:
            out = Path(d) / "table.md"
            with contextlib.redirect_stdout(io.StringIO()) as stdout:
                code = bt.main(["--criterion", str(Path(d) / "none"), "--no-rss", "--out", str(out)])
            self.assertEqual(code, 0)
            text = out.read_text()
        self.assertIn("no criterion results under", stdout.getvalue())
        self.assertIn("missing criterion result 'bundle/16MiB/create'", text)
        self.assertNotIn("CLI peak RSS", text)

    def test_a_missing_cli_is_reported_in_its_rows(self):
        with tempfile.TemporaryDirectory() as d:
            out = Path(d) / "table.md"
            with contextlib.redirect_stdout(io.StringIO()):
                bt.main(["--criterion", d, "--cli", str(Path(d) / "no-cli"), "--out", str(out)])
            text = out.read_text()
        self.assertIn("CLI bundle: no CLI at", text)


if __name__ == "__main__":
    unittest.main()
