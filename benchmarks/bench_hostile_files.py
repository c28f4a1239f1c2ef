"""Hostile files: how long reading each takes and how much memory it needs, now and (with
--before SRC, a checkout of the code before the file limits) before; against a floor measured
in the same run, reading a legitimate file of 100,000 observation rows.

Each file is read by `rba.workbook.read.read_bytes` (the path of `rba import` and the upload
page) in a fresh Python process, so its peak memory is its own: the figure is the larger of
the process's and its children's (the parse runs in a child) maximum resident set. A run
that would take longer than --timeout seconds is stopped and shown as "> timeout"; the
"before" runs are also held to --memory-gb of address space, so a hostile file cannot take
the shared machine's memory.

    python benchmarks/bench_hostile_files.py
    git archive <commit> rba | tar -x -C /tmp/before
    python benchmarks/bench_hostile_files.py --before /tmp/before
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

READER = r"""
import json, resource, sys, time
limit = int(sys.argv[3])
if limit:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from rba.problems import InputRejected
from rba.workbook.read import read_bytes
data = open(sys.argv[1], "rb").read()
start = time.perf_counter()
try:
    sheets = read_bytes(data, sys.argv[2])
    outcome = "read %d rows" % sum(len(s.cells) for s in sheets)
except InputRejected as exc:
    outcome = "refused: " + str(exc.problems[0].detail)[:70]
except MemoryError:
    outcome = "MemoryError"
seconds = time.perf_counter() - start
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
           resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, "outcome": outcome}))
"""


def workbook(rows: list[list[object]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "observations"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rezip(data: bytes, change: Callable[[str, bytes], bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(
            out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, change(info.filename, source.read(info)))
    return out.getvalue()


SMALL = [["indicator", "period", "value"], ["grad_rate", "2024-25", 83.5]]


def comment_token(size: int) -> bytes:
    """A small workbook whose sheet holds one XML comment of ``size`` bytes."""
    return rezip(workbook(SMALL), lambda name, body: body.replace(
        b"<sheetData>", b"<!--" + b"x" * size + b"--><sheetData>")
        if name.startswith("xl/worksheets/") else body)


def wide_csv(columns: int) -> bytes:
    """A CSV whose header has ``columns`` cells (4 bytes each)."""
    return b"indicator,period,value," + b"abc," * (columns - 3) + b"\n"


def rows_bomb(rows: int) -> bytes:
    """A workbook whose one sheet unpacks to ``rows`` rows of inline text (a zip bomb that
    passes a whole-workbook size check of 300 MB)."""
    row = (b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>grad_rate</t></is></c>'
           b'<c r="B%d" t="inlineStr"><is><t>2024-25</t></is></c><c r="C%d"><v>83.5</v></c>'
           b"</row>")
    body = b"".join(row % (i, i, i, i) for i in range(2, rows + 2))
    return rezip(workbook(SMALL), lambda name, part: part.replace(
        b"</sheetData>", body + b"</sheetData>") if name.startswith("xl/worksheets/") else part)


def legit_csv(rows: int) -> bytes:
    lines = ["indicator,period,value"] + [f"ind{i % 500},{2000 + i % 25},{i % 97}.5"
                                          for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


CASES: list[tuple[str, str, Callable[[], bytes]]] = [
    ("floor: 100,000-row observations CSV", "observations.csv", lambda: legit_csv(100_000)),
    ("xlsx, one 36 KB comment", "book.xlsx", lambda: comment_token(36_000)),
    ("xlsx, one 67 KB comment", "book.xlsx", lambda: comment_token(67_000)),
    ("xlsx, one 250 KB comment", "book.xlsx", lambda: comment_token(250_000)),
    ("CSV, 100,000 columns (400 KB)", "observations.csv", lambda: wide_csv(100_000)),
    ("CSV, 1,000,000 columns (4 MB)", "observations.csv", lambda: wide_csv(1_000_000)),
    ("xlsx, a sheet unpacking to 1,400,000 rows", "book.xlsx", lambda: rows_bomb(1_400_000)),
]


def measure(src: Path, path: Path, name: str, timeout: float, memory: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(src)}
    try:
        done = subprocess.run([sys.executable, "-c", READER, str(path), name, str(memory)],
                              capture_output=True, text=True, timeout=timeout, env=env,
                              cwd=src, check=False)  # -c puts the working folder first
    except subprocess.TimeoutExpired:
        return {"seconds": None, "peak_mb": None, "outcome": f"stopped after {timeout:g} s"}
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return {"seconds": None, "peak_mb": None,
                "outcome": f"crashed: {done.stderr.strip().splitlines()[-1:]}"}
    return json.loads(lines[-1])  # type: ignore[no-any-return]


def shown(result: dict) -> str:
    if result["seconds"] is None:
        return f"{'-':>9} {'-':>8}  {result['outcome']}"
    return f"{result['seconds']:9.2f} {result['peak_mb']:8.0f}  {result['outcome']}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, help="a checkout of the code before the limits")
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--memory-gb", type=float, default=3.0)
    parser.add_argument("--make", nargs=2, metavar=("CASE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make:  # in a process of its own, so building a file never swells the readers'
        Path(args.make[1]).write_bytes(CASES[int(args.make[0])][2]())  # peak (fork copies)
        return
    memory = int(args.memory_gb * 1024**3)
    with tempfile.TemporaryDirectory() as folder:
        print(f"{'file':<44}{'code':>7} {'seconds':>9} {'peak MB':>8}  outcome")
        for case, (label, name, _make) in enumerate(CASES):
            path = Path(folder) / name
            subprocess.run([sys.executable, __file__, "--make", str(case), str(path)],
                           check=True)
            runs = [("now", ROOT, 0)] + ([("before", args.before, memory)] if args.before
                                         else [])
            for code, src, limit in runs:
                result = measure(src, path, name, args.timeout, limit)
                print(f"{label:<44}{code:>7} {shown(result)}", flush=True)


if __name__ == "__main__":
    main()
