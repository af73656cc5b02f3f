#!/usr/bin/env python3
"""The `make bench` table (issue 17): criterion medians next to the limits measured in the same
run, and the CLI's peak RSS on a 16 MiB module. Prints the table and writes it as Markdown.

Usage: bench_table.py [--criterion DIR] [--since FILE] [--cli PATH | --no-rss] [--out FILE]

Stdlib only: it runs wherever `make bench` does, with nothing to install.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MiB = 1 << 20

# The limits (core/benches/limits.rs). Each is scaled per byte to the operation's own input size:
# a 16 MiB module with its vector prefix is a few KB longer than the 16 MiB the limits hash.
SHA256 = "limits/16MiB/sha256"
AES_CTR = "limits/16MiB/aes256ctr"
MEMCPY = "limits/16MiB/memcpy"
LIMIT_NAMES = {SHA256: "SHA-256", AES_CTR: "AES-256-CTR", MEMCPY: "memcpy"}

RATIO_TARGET = 1.3


@dataclass
class Row:
    """One operation of issue 17's table: either a ratio to limits or an absolute time target."""

    op: str
    bench: str
    limit: dict = field(default_factory=dict)  # limit bench id -> passes
    target_ns: float | None = None


ROWS = [
    Row("bundle create 16 MiB", "bundle/16MiB/create", {SHA256: 1}),
    Row("bundle parse 16 MiB", "bundle/16MiB/parse", {SHA256: 1}),
    Row("protect 16 MiB signed+encrypted", "publication/16MiB/protect/encrypted", {SHA256: 2, AES_CTR: 1}),
    Row("open 16 MiB signed+encrypted", "publication/16MiB/open/encrypted", {SHA256: 1, AES_CTR: 1}),
    Row("open 16 MiB signed only", "publication/16MiB/open/signed", {SHA256: 1}),
    Row("open 81 KB signed (vector)", "publication/81KB/open/signed", target_ns=300e3),
    Row("manifest decode kitchen-sink (typed)", "manifest/kitchen-sink/decode (verify+read)", target_ns=1e3),
    Row("manifest decode kitchen-sink (borrowed view)", "manifest/kitchen-sink/decode_ref (verify+read, borrowed)", target_ns=1e3),
    Row("manifest encode from parsed value", "manifest/kitchen-sink/encode_json (normalize+encode)", target_ns=3.5e3),
    Row("direct invoke echo 64 B (session)", "direct_echo/runtime_session/64", target_ns=0.5e3),
    Row("direct invoke echo 64 KiB (session)", "direct_echo/runtime_session/65536", target_ns=8e3),
]
BASELINES = [SHA256, AES_CTR, MEMCPY]


@dataclass
class Result:
    median_ns: float
    bytes: int | None
    stale: bool = False


def load_results(criterion_dir, since=None):
    """Every criterion result under `criterion_dir`, by its full id ("group/function/value").

    The directory names are criterion's sanitized ids ('/' and ':' become '_'), so the id is read
    from each benchmark.json rather than rebuilt from the path. A result whose estimates are
    older than `since` (seconds since the epoch) was not measured in this run and is marked stale.
    """
    results = {}
    for bench_file in Path(criterion_dir).glob("**/new/benchmark.json"):
        estimates_file = bench_file.with_name("estimates.json")
        try:
            bench = json.loads(bench_file.read_text())
            estimates = json.loads(estimates_file.read_text())
            median = float(estimates["median"]["point_estimate"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
        throughput = bench.get("throughput") or {}
        nbytes = throughput.get("Bytes", throughput.get("BytesDecimal"))
        stale = since is not None and estimates_file.stat().st_mtime < since
        results[bench["full_id"]] = Result(median, nbytes, stale)
    return results


def digits(x):
    """Three significant digits, never in exponent form (1000-1023 of a binary unit keeps
    all four)."""
    return f"{x:.0f}" if x >= 100 else f"{x:.3g}"


def fmt_time(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("us", 1e3)):
        if ns >= scale:
            return f"{digits(ns / scale)} {unit}"
    return f"{digits(ns)} ns"


def fmt_bytes(n):
    for unit, scale in (("GiB", 1 << 30), ("MiB", MiB), ("KiB", 1 << 10)):
        if n >= scale:
            return f"{digits(n / scale)} {unit}"
    return f"{n} B"


def fmt_throughput(result):
    if not result.bytes or result.median_ns <= 0:
        return "-"
    return fmt_bytes(result.bytes / (result.median_ns / 1e9)) + "/s"


def status(value, ceiling):
    """'met' when value <= ceiling, else how many times over it."""
    return "met" if value <= ceiling else f"missed by {value / ceiling:.2g}x"


# A table row is a list of cells in this order.
COLUMNS = ["op", "median", "throughput", "limit (same run)", "ratio", "target", "status"]


def missing_row(op, bench, why):
    return [op, "-", "-", "-", "-", "-", f"{why}: {bench}"]


def operation_row(row, results, problems):
    result = results.get(row.bench)
    if result is None:
        problems.append(f"missing criterion result '{row.bench}' (row '{row.op}')")
        return missing_row(row.op, row.bench, "missing")
    if result.stale:
        problems.append(f"stale criterion result '{row.bench}': not measured in this run")
        return missing_row(row.op, row.bench, "stale")
    cells = [row.op, fmt_time(result.median_ns), fmt_throughput(result)]
    if row.target_ns is not None:
        return cells + ["-", "-", f"< {fmt_time(row.target_ns)}", status(result.median_ns, row.target_ns)]
    target = f"<= {RATIO_TARGET}x limit"
    if not result.bytes:
        # Without the operation's size the limit cannot be scaled to it.
        problems.append(f"criterion result '{row.bench}' has no Throughput::Bytes (row '{row.op}')")
        return cells + ["-", "-", target, f"no byte count: {row.bench}"]
    limit_ns = 0.0
    for limit_id, passes in row.limit.items():
        limit = results.get(limit_id)
        if limit is None or limit.stale or not limit.bytes:
            why = "missing" if limit is None else "stale" if limit.stale else "no byte count in"
            problems.append(f"{why} limit '{limit_id}' (row '{row.op}')")
            return cells + ["-", "-", target, f"{why} limit: {limit_id}"]
        limit_ns += passes * limit.median_ns / limit.bytes * result.bytes
    terms = " + ".join(f"{passes} {LIMIT_NAMES[i]}" for i, passes in row.limit.items())
    ratio = result.median_ns / limit_ns
    return cells + [
        f"{terms} = {fmt_time(limit_ns)}",
        f"{ratio:.2f}x",
        target,
        status(ratio, RATIO_TARGET),
    ]


def baseline_row(limit_id, results, problems):
    op = f"limit: {LIMIT_NAMES[limit_id]} 16 MiB"
    result = results.get(limit_id)
    if result is None or result.stale:
        why = "missing" if result is None else "stale"
        problems.append(f"{why} criterion result '{limit_id}' (a limit)" + (": not measured in this run" if result else ""))
        return missing_row(op, limit_id, why)
    return [op, fmt_time(result.median_ns), fmt_throughput(result), "-", "-", "-", "baseline"]


@dataclass
class RssMeasure:
    """Peak RSS of one CLI run, or why there is none."""

    op: str
    rss: int | None = None
    input_bytes: int = 0
    output_bytes: int = 0
    error: str | None = None
    # A fixed ceiling instead of input + output + 16 MiB (the 1 GiB open from a file: 64 MiB).
    ceiling: int | None = None
    size: str = "16 MiB"


def rss_row(m):
    op = f"CLI peak RSS {m.op} {m.size}"
    if m.error is not None:
        return [op, "-", "-", "-", "-", "-", m.error]
    if m.ceiling is not None:
        limit, how = m.ceiling, f"fixed {fmt_bytes(m.ceiling)}"
    else:
        limit = m.input_bytes + m.output_bytes + 16 * MiB
        how = f"in {fmt_bytes(m.input_bytes)} + out {fmt_bytes(m.output_bytes)} + 16 MiB = {fmt_bytes(limit)}"
    return [op, fmt_bytes(m.rss), "-", how, f"{m.rss / limit:.2f}x", "<= limit", status(m.rss, limit)]


def build_rows(results, rss, problems):
    rows = [operation_row(row, results, problems) for row in ROWS]
    rows += [rss_row(m) for m in rss]
    rows += [baseline_row(i, results, problems) for i in BASELINES]
    return rows


def render(rows):
    """A Markdown table whose columns line up, so the same text reads well in a terminal."""
    widths = [max(len(r[i]) for r in [COLUMNS] + rows) for i in range(len(COLUMNS))]

    def line(cells):
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"

    return "\n".join([line(COLUMNS), line(["-" * w for w in widths])] + [line(r) for r in rows])


# --- the CLI's peak RSS ------------------------------------------------------------------------


def leb128(n):
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def big_module(base, total=16 * MiB, name=b"bench.filler"):
    """`base` plus one custom section (not `sds.`, so bundling keeps it) making `total` bytes:
    the module core/benches/bundle.rs measures, so the RSS rows and the timed rows agree."""
    for size_len in range(1, 6):
        content = total - len(base) - 1 - size_len
        if content >= 0 and len(leb128(content)) == size_len:
            break
    else:
        raise ValueError(f"no custom section makes {len(base)} bytes into {total}")
    name_part = leb128(len(name)) + name
    filler_len = content - len(name_part)
    # The pattern of bundle.rs's filler (i * 31 % 251): not compressible into a shortcut.
    period = bytes(i * 31 % 251 for i in range(251))
    filler = (period * (filler_len // 251 + 1))[:filler_len]
    return base + b"\x00" + leb128(content) + name_part + filler


def parse_time_v(text):
    """Peak RSS in bytes from GNU time's -v report, or None."""
    for line in text.splitlines():
        if line.strip().startswith("Maximum resident set size (kbytes):"):
            return int(line.rsplit(":", 1)[1]) * 1024
    return None


GNU_TIME = "/usr/bin/time"


def run_measured(argv):
    """Runs argv; returns (exit code, peak RSS in bytes or None, stderr)."""
    if os.access(GNU_TIME, os.X_OK):
        with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
            proc = subprocess.run([GNU_TIME, "-v", "-o", report.name, *argv], capture_output=True, text=True)
            return proc.returncode, parse_time_v(report.read()), proc.stderr
    # Without GNU time (macOS): the kernel's account of the child, which is what time -v prints.
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    stderr = proc.stderr.read()
    _, wait_status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(wait_status)
    # ru_maxrss is in KiB on Linux and in bytes on macOS.
    scale = 1 if sys.platform == "darwin" else 1024
    return proc.returncode, usage.ru_maxrss * scale, stderr


def measure_cli(cli, work):
    """bundle, protect (signed+encrypted) and open of a 16 MiB module with the release CLI."""
    work = Path(work)
    vectors = ROOT / "vectors"
    big = work / "big.wasm"
    big.write_bytes(big_module((vectors / "single-file-bundle/base-module.wasm").read_bytes()))

    def keygen(kind, path):
        out = subprocess.run([cli, "keygen", "--kind", kind, "-o", str(path)], capture_output=True, text=True, check=True)
        return next(l.split("=", 1)[1] for l in out.stdout.splitlines() if l.startswith("publicKeyHex="))

    try:
        signer = keygen("mnemonic", work / "signer.mnemonic")
        recipient = keygen("recipient", work / "recipient.json")
    except (subprocess.CalledProcessError, StopIteration) as e:
        return [RssMeasure(op, error=f"not run: keygen failed ({e})") for op in ("bundle", "protect", "open")]
    bundle_manifest = vectors / "single-file-bundle/manifest.json"
    publication_manifest = vectors / "publication/inputs/manifest.json"
    runs = [
        ("bundle", [big, bundle_manifest], work / "bundled.wasm",
         ["bundle", "--wasm", big, "--manifest", bundle_manifest, "-o", work / "bundled.wasm"]),
        ("protect", [big, publication_manifest], work / "protected.wasm",
         ["protect", "--manifest", publication_manifest, "--wasm", big, "--encrypt-for", recipient,
          "--mnemonic-file", work / "signer.mnemonic", "-o", work / "protected.wasm"]),
        ("open", [work / "protected.wasm"], work / "opened.wasm",
         ["open", work / "protected.wasm", "--trust", signer, "--decrypt-with", work / "recipient.json",
          "-o", work / "opened.wasm"]),
    ]
    measures = []
    for op, inputs, output, args in runs:
        missing = [p.name for p in inputs if not p.exists()]
        if missing:
            measures.append(RssMeasure(op, error=f"not run: no {', '.join(missing)}"))
            continue
        code, rss, stderr = run_measured([str(cli), *map(str, args)])
        if code != 0 or rss is None:
            last = (stderr.strip().splitlines() or ["no RSS in the time report"])[-1]
            measures.append(RssMeasure(op, error=f"failed (exit {code}): {last}"))
            continue
        measures.append(RssMeasure(op, rss, sum(p.stat().st_size for p in inputs), output.stat().st_size))
    measures.append(measure_open_gib(cli, work))
    return measures


GIB_OPEN_CEILING = 64 * MiB


def measure_open_gib(cli, work):
    """`open` of a 1 GiB module from a file (unsigned allowed: the CLI protects at most 256 MiB).
    The module is built on disk section by section, never whole in memory; the open streams it."""
    op, size = "open from a file (unsigned allowed)", "1 GiB"
    base = (ROOT / "vectors/single-file-bundle/base-module.wasm").read_bytes()
    path, out = Path(work) / "gib.wasm", Path(work) / "gib-opened.wasm"
    block = bytes(i * 31 % 251 for i in range(251)) * (4 * MiB // 251)
    with open(path, "wb") as f:
        f.write(base)
        written = len(base)
        index = 0
        # Custom sections of at most 32 MiB each, until 1 GiB.
        while written < 1 << 30:
            name = b"bench.filler.%d" % index
            data_len = min(32 * MiB, (1 << 30) - written - 16 - len(name))
            if data_len <= 0:
                break
            payload_len = len(leb128(len(name))) + len(name) + data_len
            head = b"\x00" + leb128(payload_len) + leb128(len(name)) + name
            f.write(head)
            left = data_len
            while left:
                part = block[: min(left, len(block))]
                f.write(part)
                left -= len(part)
            written += len(head) + data_len
            index += 1
    try:
        code, rss, stderr = run_measured([str(cli), "open", str(path), "--allow-unsigned", "-o", str(out)])
        if code != 0 or rss is None:
            last = (stderr.strip().splitlines() or ["no RSS in the time report"])[-1]
            return RssMeasure(op, error=f"failed (exit {code}): {last}", size=size)
        return RssMeasure(op, rss, path.stat().st_size, out.stat().st_size, ceiling=GIB_OPEN_CEILING, size=size)
    finally:
        for p in (path, out):
            p.unlink(missing_ok=True)


# --- main ---------------------------------------------------------------------------------------


def header():
    cpu = next(
        (l.split(":", 1)[1].strip() for l in _read("/proc/cpuinfo").splitlines() if l.startswith("model name")),
        platform.processor() or "unknown CPU",
    )
    return (
        f"# space-data-module benchmarks ({time.strftime('%Y-%m-%d %H:%M %Z')})\n\n"
        f"{platform.system()} {platform.machine()}, {cpu}, {os.cpu_count()} logical cores. "
        f"Medians from criterion; every limit and ratio is from this same run.\n"
    )


def _read(path):
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def main(argv=None):
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # Where criterion itself writes: CRITERION_HOME, else the target dir's criterion/.
    criterion = Path(os.environ.get("CRITERION_HOME", target / "criterion"))
    parser.add_argument("--criterion", type=Path, default=criterion, help="criterion's output directory")
    parser.add_argument("--since", type=Path, help="results older than this file are stale (not from this run)")
    parser.add_argument("--cli", type=Path, default=target / "release/space-data-module", help="the release CLI")
    parser.add_argument("--no-rss", action="store_true", help="leave out the CLI's peak RSS rows")
    parser.add_argument("--out", type=Path, default=target / "bench-table.md", help="where the Markdown goes")
    args = parser.parse_args(argv)

    since = args.since.stat().st_mtime if args.since and args.since.exists() else None
    results = load_results(args.criterion, since)
    problems = []
    notes = []
    if not results:
        problems.append(f"no criterion results under {args.criterion}; run `make bench`")
    rss = []
    if not args.no_rss:
        if not args.cli.exists():
            rss = [RssMeasure(op, error=f"no CLI at {args.cli}") for op in ("bundle", "protect", "open")]
            rss.append(RssMeasure("open from a file (unsigned allowed)", error=f"no CLI at {args.cli}", size="1 GiB"))
        else:
            with tempfile.TemporaryDirectory(prefix="sdm-bench-") as work:
                rss = measure_cli(args.cli, work)
            how = f"{GNU_TIME} -v" if os.access(GNU_TIME, os.X_OK) else "wait4"
            notes.append(f"Peak RSS of `{args.cli}` by {how}.")
        problems += [f"CLI {m.op}: {m.error}" for m in rss if m.error]

    text = header() + "".join(n + "\n" for n in notes) + "\n" + render(build_rows(results, rss, problems)) + "\n"
    if problems:
        text += "\n" + "\n".join(f"- {p}" for p in problems) + "\n"
    print(text, end="")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(f"\n(written to {args.out})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
