"""Side-by-side benchmark: AlphaLoom Alpha158 against Qlib's own expression engine (D.features).

What is measured, on one synthetic market (``alphaloom synth``, default 800 instruments plus the
BENCH index over 3200 weekdays) ingested once into a store, in one run so every number shares the
machine state:

alphaloom
    ``alphaloom -v --threads T features --data STORE --set alpha158 --out FILE.parquet`` for
    T = 1 and T = the number of cores: wall clock of the whole process seen from Python (start-up,
    compile, load the panel, evaluate, write the Parquet file), best of ``--repeats`` runs; CPU
    time (user + sys) and peak RSS of that run come from ``os.wait4`` on the child (the same
    numbers ``/usr/bin/time -f %M`` prints). The ``debug: evaluate X s, write Y s`` line of ``-v``
    splits the wall time: evaluate, write, and the rest (start-up, compile, loading the panel).
qlib
    ``tests/python/qlib_alpha158.py STORE OUT.parquet --instruments ... --kernels K`` in
    ``.venv-qlib`` (pyqlib): ``D.features`` of the same 158 expressions, kernels=1 (one process,
    the issue's peer) and optionally more kernels. Run once (it is slow). The harness reports
    ``features_seconds``, the ``D.features`` call alone (no Python start-up, no ``qlib.init``, no
    reshaping or writing); that is the Qlib time used in the ratios, which favours Qlib. The
    harness's ``main()`` runs unchanged inside a small wrapper that also records the CPU time of
    the process inside ``D.features`` (with kernels > 1 the workers' CPU is not counted).
    Because Qlib needs about 0.2 s per instrument-history of 3200 days, it runs by default on
    the first ``--qlib-instruments`` (100) instruments of the same store, and AlphaLoom runs on
    that subset too, which gives a measured ratio. Qlib's full-size time is then extrapolated
    linearly in output rows from the subset (rows / rows-per-second of the subset run); such
    numbers are labelled "extrapolated" everywhere. ``--qlib-instruments all`` runs Qlib on the
    full market instead.
shape check
    Before any timing is printed, the script checks that AlphaLoom's and Qlib's outputs on the
    same instruments have the same shape (rows, datetime + instrument + 158 columns), the same
    column names and the same (datetime, instrument) keys, and that the full-size AlphaLoom output
    has one row per calendar day inside each instrument's span (instruments/all.txt), as Qlib
    would produce. A mismatch stops the script.

Ratios are Qlib time / AlphaLoom time, so above 1 means AlphaLoom is faster. ``ratio`` compares
Qlib's D.features seconds with AlphaLoom's whole-process wall clock; ``ratio cpu`` compares Qlib's
CPU seconds inside D.features with the CPU time of the whole AlphaLoom process (kernels=1 only);
it is steadier than wall time when other work shares the machine. Targets (from the issue): Alpha158 at
least 100x faster than Qlib single-process, and AlphaLoom's peak memory at most 1.5x the output
matrix (rows x 158 x 4 bytes). Benchmarks are not tests: the script never fails on a missed target.

Results are printed as a table and written to WORK/features_results.json. Usage:
    .venv/bin/python bench/features_bench.py [--instruments 800] [--days 3200] [--qlib-instruments 100]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from bench_common import REPO, Row, add_market_arguments, cpu_model, git_commit, print_table, thread_label
BENCHMARK_SYMBOL = "BENCH"  # the index `alphaloom synth` writes beside the stocks
FACTOR_SET = "alpha158"
FACTOR_FILE = REPO / "src" / "alphaloom" / "factors" / f"{FACTOR_SET}.txt"
SPEED_TARGET = 100.0  # Alpha158 at least 100x faster than Qlib's D.features in one process
MEMORY_TARGET = 1.5  # peak RSS at most 1.5x the output matrix (rows x columns x float32)
KEY_COLUMNS = ["datetime", "instrument"]
SPLIT_PATTERN = re.compile(r"evaluate ([0-9.]+) s, write ([0-9.]+) s")

# Runs the Qlib harness's own main() unchanged, and adds the CPU time (this process) spent inside
# D.features (BaseProvider.features), which the harness does not report: argv = HARNESS_DIR ARGS...
QLIB_WRAPPER = r"""
import importlib, json, sys, time
sys.path.insert(0, sys.argv[1])
harness = importlib.import_module(sys.argv[2])
from qlib.data.data import BaseProvider
features = BaseProvider.features
spent = []
def timed(self, *args, **kwargs):
    start = time.process_time()
    try:
        return features(self, *args, **kwargs)
    finally:
        spent.append(time.process_time() - start)
BaseProvider.features = timed
harness.main(sys.argv[3:])
print(json.dumps({"features_cpu_seconds": sum(spent)}))
"""


@dataclass
class ChildRun:
    """One child process: wall clock from Python, CPU and peak RSS from os.wait4."""

    wall: float
    user: float
    sys: float
    max_rss_bytes: int
    stdout: str = ""
    stderr: str = ""

    @property
    def cpu(self) -> float:
        return self.user + self.sys


@dataclass
class AlphaloomRun:
    """Best of K runs of `alphaloom features`, with the -v split of the best run."""

    label: str
    instruments: int
    threads: int
    rows: int
    columns: int
    wall: float
    cpu: float
    max_rss_bytes: int
    evaluate: float | None
    write: float | None
    walls: list[float] = field(default_factory=list)

    @property
    def other(self) -> float | None:
        """Start-up, compile, loading the panel and exit: the wall time outside evaluate and write."""
        if self.evaluate is None or self.write is None:
            return None
        return self.wall - self.evaluate - self.write


@dataclass
class QlibRun:
    """One run of the Qlib harness."""

    instruments: int
    kernels: int
    rows: int
    columns: int
    features_seconds: float
    features_cpu: float  # CPU time of this process inside D.features (kernels > 1: workers not counted)
    init_seconds: float
    total_seconds: float  # qlib.init + D.features + reshaping, inside the harness
    process_wall: float  # the whole python process, imports and Parquet write included
    process_cpu: float  # kernels > 1: worker processes may be missing from this
    max_rss_bytes: int


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_market_arguments(parser)
    parser.add_argument("--repeats", type=int, default=1,
                        help="runs of each alphaloom measurement; the best counts (default 1). Qlib runs once")
    parser.add_argument("--threads", default=None,
                        help="comma-separated alphaloom thread counts (default: 1 and the number of cores)")
    parser.add_argument("--qlib-instruments", default="100",
                        help="instruments Qlib computes: a number (the first N of the store, sorted by code; "
                             "full-size Qlib times are then extrapolated), 'all', or 0 to skip Qlib (default 100)")
    parser.add_argument("--qlib-kernels", default="1",
                        help="comma-separated Qlib kernels (worker processes); 1 is the issue's peer (default 1)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/alphaloom-bench"),
                        help="work directory: cached markets and stores, results (default /tmp/alphaloom-bench)")
    parser.add_argument("--binary", type=Path, default=REPO / "build" / "cli" / "alphaloom",
                        help="alphaloom binary (default build/cli/alphaloom)")
    parser.add_argument("--qlib-python", type=Path, default=REPO / ".venv-qlib" / "bin" / "python",
                        help="python with pyqlib (default .venv-qlib/bin/python)")
    parser.add_argument("--harness", type=Path, default=REPO / "tests" / "python" / "qlib_alpha158.py",
                        help="Qlib harness (default tests/python/qlib_alpha158.py)")
    args = parser.parse_args()
    if args.threads is None:
        args.threads = sorted({1, os.cpu_count() or 1})
    else:
        args.threads = sorted({int(count) for count in args.threads.split(",")})
    args.qlib_kernels = sorted({int(count) for count in args.qlib_kernels.split(",")})
    if args.end is None:
        args.end = str(np.busday_offset(np.datetime64(args.start), args.days - 1, roll="forward"))
    if args.repeats < 1 or args.instruments < 1 or min(args.threads) < 1 or min(args.qlib_kernels) < 1:
        parser.error("--repeats, --instruments, --threads and --qlib-kernels must be positive")
    if args.qlib_instruments == "all":
        args.qlib_instruments = args.instruments
    else:
        try:
            args.qlib_instruments = min(int(args.qlib_instruments), args.instruments)
        except ValueError:
            parser.error("--qlib-instruments: a number or 'all'")
        if args.qlib_instruments < 0:
            parser.error("--qlib-instruments must not be negative")
    if not args.binary.is_file():
        parser.error(f"{args.binary} not found; build first (make build)")
    if args.qlib_instruments and not args.qlib_python.is_file():
        parser.error(f"{args.qlib_python} not found (make setup creates .venv-qlib), or pass --qlib-instruments 0")
    return args


# --- child processes -----------------------------------------------------------------------------


def run_child(command: list[str], log_dir: Path, name: str) -> ChildRun:
    """Runs command with stdout/stderr to files; CPU and peak RSS of this child alone (os.wait4).
    Exits with the stderr tail if the command fails."""
    out_path, err_path = log_dir / f"{name}.out", log_dir / f"{name}.err"
    with open(out_path, "w") as out, open(err_path, "w") as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, so Popen must not wait
    stdout, stderr = out_path.read_text(), err_path.read_text()
    if process.returncode != 0:
        sys.exit(f"command failed ({process.returncode}): {' '.join(command)}\n{stderr[-4000:]}")
    return ChildRun(wall=wall, user=usage.ru_utime, sys=usage.ru_stime, max_rss_bytes=usage.ru_maxrss * 1024,
                    stdout=stdout, stderr=stderr)


# --- the market and the store ----------------------------------------------------------------------


def ensure_store(args: argparse.Namespace) -> Path:
    """Generates the CSV market and ingests it once (same cache layout as ingest_bench.py's
    markets: WORK/data/n{N}_{start}_{end}_seed{S}/csv, plus .../store); later runs reuse both."""
    base = args.work / "data" / f"n{args.instruments}_{args.start}_{args.end}_seed{args.seed}"
    csv = base / "csv"
    if not (csv / "truth.json").is_file():  # synth writes its output directory atomically
        command = [str(args.binary), "-q", "synth", "--out", str(csv), "--instruments", str(args.instruments),
                   "--start", args.start, "--end", args.end, "--seed", str(args.seed), "--format", "csv"]
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            sys.exit(f"synth failed ({result.returncode}): {' '.join(command)}\n{result.stderr}")
        print(f"generated the csv market in {time.perf_counter() - start:.1f} s: {csv}")
    store = base / "store"
    if not (store / "instruments" / "all.txt").is_file():
        partial = base / f"store.tmp-{os.getpid()}"
        command = [str(args.binary), "-q", "ingest", "--input", str(csv), "--out", str(partial),
                   "--benchmark", BENCHMARK_SYMBOL]
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            shutil.rmtree(partial, ignore_errors=True)
            sys.exit(f"ingest failed ({result.returncode}): {' '.join(command)}\n{result.stderr}")
        shutil.rmtree(store, ignore_errors=True)
        partial.rename(store)
        print(f"ingested the store in {time.perf_counter() - start:.1f} s: {store}")
    return store


def warm_store(store: Path) -> int:
    """Reads every file of the store once, so both tools start with it in the page cache."""
    total = 0
    for path in store.rglob("*"):
        if path.is_file():
            total += len(path.read_bytes())
    return total


def market_spans(store: Path) -> list[tuple[str, np.datetime64, np.datetime64]]:
    """(code, first day, last day) of instruments/all.txt, sorted by code."""
    spans = []
    for line in (store / "instruments" / "all.txt").read_text().splitlines():
        parts = line.split("\t")
        if len(parts) >= 3:
            spans.append((parts[0], np.datetime64(parts[1]), np.datetime64(parts[2])))
    return sorted(spans)


def expected_rows(store: Path, spans: list[tuple[str, np.datetime64, np.datetime64]]) -> int:
    """Calendar days inside each instrument's span, summed: the rows Qlib's D.features returns."""
    calendar = np.array((store / "calendars" / "day.txt").read_text().split(), dtype="datetime64[D]")
    return int(sum(np.searchsorted(calendar, last, side="right") - np.searchsorted(calendar, first, side="left")
                   for _, first, last in spans))


def factor_names() -> list[str]:
    names = []
    for line in FACTOR_FILE.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            names.append(line.partition("=")[0].strip())
    return names


# --- the two tools ---------------------------------------------------------------------------------


def run_alphaloom(args: argparse.Namespace, store: Path, threads: int, instruments: str, count: int,
                  label: str, runs_dir: Path) -> tuple[AlphaloomRun, Path]:
    """Best of args.repeats runs of `alphaloom features`; returns it and the kept output file."""
    best: ChildRun | None = None
    best_out: Path | None = None
    walls = []
    for run in range(args.repeats):
        out = runs_dir / f"alphaloom-{label}-t{threads}-r{run}.parquet"
        command = [str(args.binary), "-v", "--threads", str(threads), "features", "--data", str(store),
                   "--set", FACTOR_SET, "--instruments", instruments, "--out", str(out)]
        child = run_child(command, runs_dir, out.stem)
        walls.append(child.wall)
        if best is None or child.wall < best.wall:
            if best_out is not None:
                best_out.unlink(missing_ok=True)
            best, best_out = child, out
        else:
            out.unlink(missing_ok=True)
    match = SPLIT_PATTERN.search(best.stderr)
    if match is None:
        print(f"note: no 'evaluate X s, write Y s' line in alphaloom's -v output ({label}, {threads} threads)")
    metadata = pq.ParquetFile(best_out).metadata
    result = AlphaloomRun(label=label, instruments=count, threads=threads, rows=metadata.num_rows,
                          columns=metadata.num_columns - len(KEY_COLUMNS), wall=best.wall, cpu=best.cpu,
                          max_rss_bytes=best.max_rss_bytes,
                          evaluate=float(match.group(1)) if match else None,
                          write=float(match.group(2)) if match else None, walls=walls)
    return result, best_out


def run_qlib(args: argparse.Namespace, store: Path, kernels: int, instruments: str,
             runs_dir: Path) -> tuple[QlibRun, Path]:
    out = runs_dir / f"qlib-k{kernels}.parquet"
    command = [str(args.qlib_python), "-c", QLIB_WRAPPER, str(args.harness.resolve().parent), args.harness.stem,
               str(store), str(out), "--set", FACTOR_SET, "--instruments", instruments, "--kernels", str(kernels)]
    child = run_child(command, runs_dir, out.stem)
    report: dict = {}
    for line in child.stdout.splitlines():
        if line.startswith("{"):
            report.update(json.loads(line))
    if "rows" not in report or "features_cpu_seconds" not in report:
        sys.exit(f"the Qlib harness printed no JSON report:\n{child.stdout[-2000:]}\n{child.stderr[-2000:]}")
    return QlibRun(instruments=report["instruments"], kernels=kernels, rows=report["rows"], columns=report["columns"],
                   features_seconds=report["features_seconds"], features_cpu=report["features_cpu_seconds"],
                   init_seconds=report["init_seconds"],
                   total_seconds=report["total_seconds"], process_wall=child.wall, process_cpu=child.cpu,
                   max_rss_bytes=child.max_rss_bytes), out


# --- shape check -----------------------------------------------------------------------------------


def read_keys(path: Path) -> pa.Table:
    """The (datetime, instrument) columns, datetime as a day (AlphaLoom writes date32, Qlib timestamps)."""
    table = pq.read_table(path, columns=KEY_COLUMNS)
    return pa.table({"datetime": table["datetime"].cast(pa.timestamp("s")).cast(pa.date32()),
                     "instrument": table["instrument"].cast(pa.string())})


def check_shapes(ours: Path, theirs: Path, names: list[str], what: str) -> str:
    """Same rows, same columns (datetime, instrument, the factor names in order), same keys."""
    ours_schema, theirs_schema = pq.read_schema(ours), pq.read_schema(theirs)
    ours_rows, theirs_rows = pq.ParquetFile(ours).metadata.num_rows, pq.ParquetFile(theirs).metadata.num_rows
    expected = KEY_COLUMNS + names
    problems = []
    if ours_schema.names != expected:
        problems.append(f"alphaloom columns differ from datetime, instrument + the {len(names)} factor names")
    if theirs_schema.names != expected:
        problems.append(f"qlib columns differ from datetime, instrument + the {len(names)} factor names")
    if ours_rows != theirs_rows:
        problems.append(f"rows: alphaloom {ours_rows}, qlib {theirs_rows}")
    elif not read_keys(ours).equals(read_keys(theirs)):
        problems.append("same row count but different (datetime, instrument) keys")
    if problems:
        sys.exit(f"shape check failed ({what}): " + "; ".join(problems) + f"\n  {ours}\n  {theirs}")
    return f"{what}: alphaloom and qlib both {ours_rows} rows x {len(names)} factors, same columns and keys"


# --- report ----------------------------------------------------------------------------------------


def seconds(value: float) -> str:
    return f"{value * 1e3:.0f} ms" if value < 1.0 else f"{value:.2f} s"


def gigabytes(value: float) -> str:
    return f"{value / 1e9:.2f} GB" if value >= 1e8 else f"{value / 1e6:.0f} MB"


def matrix_bytes(run: AlphaloomRun) -> int:
    return run.rows * run.columns * 4


def print_alphaloom(run: AlphaloomRun) -> None:
    split = ""
    if run.evaluate is not None:
        split = (f"  [evaluate {seconds(run.evaluate)}, write {seconds(run.write)}, "
                 f"start-up + load {seconds(run.other)}]")
    print(f"  alphaloom {run.label:<8} threads={run.threads}  {seconds(run.wall):>8}  cpu {seconds(run.cpu):>8}  "
          f"{run.rows / run.wall / 1e3:8.1f} k rows/s  peak RSS {gigabytes(run.max_rss_bytes)} "
          f"({run.max_rss_bytes / matrix_bytes(run):.2f}x the matrix){split}")


def speed_row(run: AlphaloomRun, qlib: QlibRun, scale: float) -> Row:
    """Qlib's D.features time (times `scale` when extrapolated from a subset) against run."""
    extrapolated = scale != 1.0
    qlib_seconds = qlib.features_seconds * scale
    peer = f"qlib k={qlib.kernels} {seconds(qlib_seconds)}" + (" (extrapolated)" if extrapolated else "")
    ratio_cpu = None if qlib.kernels > 1 else qlib.features_cpu * scale / run.cpu
    is_target = qlib.kernels == 1
    return Row(task=f"alpha158 {run.instruments} instr, {thread_label(run.threads)}",
               alphaloom=seconds(run.wall), peer=peer, ratio=qlib_seconds / run.wall, ratio_cpu=ratio_cpu,
               target=f">= {SPEED_TARGET:g}x" if is_target else "info",
               met=(qlib_seconds / run.wall >= SPEED_TARGET) if is_target else None)


def main() -> None:
    args = parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    load_start = os.getloadavg()
    print(f"alphaloom features benchmark ({FACTOR_SET}), {dt.datetime.now().isoformat(timespec='seconds')}, "
          f"{os.cpu_count()} cores, load average {load_start[0]:.2f}")
    if load_start[0] > 0.5 * (os.cpu_count() or 1):
        print("note: the machine is busy; wall-clock numbers are noisy, the CPU-time ratios are steadier")

    store = ensure_store(args)
    runs_dir = args.work / f"features-runs-{os.getpid()}"
    runs_dir.mkdir()
    try:
        results = run_benchmarks(args, store, runs_dir)
    finally:
        shutil.rmtree(runs_dir, ignore_errors=True)
    results["load_average"] = {"start": load_start, "end": os.getloadavg()}
    out = args.work / "features_results.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nload average at the end {results['load_average']['end'][0]:.2f}; results: {out}")


def run_benchmarks(args: argparse.Namespace, store: Path, runs_dir: Path) -> dict:
    names = factor_names()
    spans = market_spans(store)
    full_rows = expected_rows(store, spans)
    warm_bytes = warm_store(store)
    calendar_days = len((store / "calendars" / "day.txt").read_text().split())
    print(f"market: {len(spans)} instruments, {args.start} .. {args.end}, {calendar_days} trading days, "
          f"seed {args.seed}; store {warm_bytes / 1e6:.0f} MB (read once, page cache warm)")
    print(f"output: {full_rows} rows x {len(names)} factors = {gigabytes(full_rows * len(names) * 4)} as float32")

    subset = 0 < args.qlib_instruments < len(spans)
    subset_codes = ",".join(code for code, _, _ in spans[:args.qlib_instruments])
    qlib_universe = subset_codes if subset else "all"

    # Measurements first; nothing is printed until the shapes are checked.
    full: dict[int, AlphaloomRun] = {}
    small: dict[int, AlphaloomRun] = {}
    outputs: dict[str, Path] = {}
    for threads in args.threads:
        print(f"running alphaloom, {len(spans)} instruments, {thread_label(threads)} ...", flush=True)
        full[threads], path = run_alphaloom(args, store, threads, "all", len(spans), "all", runs_dir)
        if threads == args.threads[0]:
            outputs["full"] = path
        else:
            path.unlink(missing_ok=True)  # 1.5 GB at full size; one is enough for the checks
    if subset:
        # A file of symbols, not the comma list: `features --instruments` first probes
        # instruments/<spec>.txt, and 100 codes make a file name too long (ENAMETOOLONG).
        subset_file = runs_dir / "subset-instruments.txt"
        subset_file.write_text(subset_codes.replace(",", "\n") + "\n")
        for threads in args.threads:
            print(f"running alphaloom, first {args.qlib_instruments} instruments, {thread_label(threads)} ...",
                  flush=True)
            small[threads], path = run_alphaloom(args, store, threads, str(subset_file), args.qlib_instruments,
                                                 "subset", runs_dir)
            if threads == args.threads[0]:
                outputs["subset"] = path
    qlib: dict[int, QlibRun] = {}
    if args.qlib_instruments:
        for kernels in args.qlib_kernels:
            what = f"first {args.qlib_instruments} instruments" if subset else f"{len(spans)} instruments"
            print(f"running qlib D.features, {what}, kernels={kernels} (once) ...", flush=True)
            qlib[kernels], path = run_qlib(args, store, kernels, qlib_universe, runs_dir)
            outputs[f"qlib-k{kernels}"] = path

    print("\nshape check:")
    first = full[args.threads[0]]
    if first.rows != full_rows or first.columns != len(names):
        sys.exit(f"shape check failed: alphaloom wrote {first.rows} rows x {first.columns} factors, expected "
                 f"{full_rows} x {len(names)} (one row per calendar day in each instrument's span)")
    if any(run.rows != first.rows or run.columns != first.columns for run in full.values()):
        sys.exit("shape check failed: alphaloom outputs differ in shape between thread counts")
    print(f"  alphaloom full size: {first.rows} rows x {first.columns} factors, one row per calendar day "
          "in each instrument's span")
    for kernels in qlib:
        ours = outputs["subset"] if subset else outputs["full"]
        what = f"first {args.qlib_instruments} instruments" if subset else "full size"
        print("  " + check_shapes(ours, outputs[f"qlib-k{kernels}"], names, f"{what}, qlib kernels={kernels}"))

    print(f"\nalphaloom features --set {FACTOR_SET} (best of {args.repeats}; wall clock of the process, "
          "cpu = user + sys, peak RSS of the child; the split is from -v):")
    for run in list(full.values()) + list(small.values()):
        print_alphaloom(run)
    matrix = matrix_bytes(first)
    if qlib:
        print("qlib D.features (one run each; features = the D.features call, process = whole python process):")
    for run in qlib.values():
        print(f"  qlib {run.instruments} instruments kernels={run.kernels}  features {seconds(run.features_seconds)}  "
              f"cpu {seconds(run.features_cpu)}{' (workers not counted)' if run.kernels > 1 else ''}  "
              f"{run.rows / run.features_seconds / 1e3:.1f} k rows/s  (init {seconds(run.init_seconds)}; whole "
              f"process {seconds(run.process_wall)}, cpu {seconds(run.process_cpu)}, "
              f"peak RSS {gigabytes(run.max_rss_bytes)})")

    rows: list[Row] = []
    extrapolated: dict[int, float] = {}
    for kernels, run in qlib.items():
        if subset:
            extrapolated[kernels] = run.features_seconds * full_rows / run.rows
            for threads in args.threads:
                rows.append(speed_row(full[threads], run, full_rows / run.rows))
            for threads in args.threads:
                rows.append(speed_row(small[threads], run, 1.0))
        else:
            for threads in args.threads:
                rows.append(speed_row(full[threads], run, 1.0))
    if extrapolated:
        print(f"  extrapolated to {full_rows} rows (linear in rows, from the {args.qlib_instruments}-instrument run): "
              + ", ".join(f"kernels={k} {seconds(s)}" for k, s in extrapolated.items()))
    for threads, run in full.items():
        ratio = run.max_rss_bytes / matrix
        rows.append(Row(task=f"peak RSS / matrix, {thread_label(threads)}", alphaloom=gigabytes(run.max_rss_bytes),
                        peer=f"matrix {gigabytes(matrix)}", ratio=ratio, ratio_cpu=None,
                        target=f"<= {MEMORY_TARGET:g}x", met=ratio <= MEMORY_TARGET))

    print("\nratio = qlib D.features seconds / alphaloom process wall clock (above 1: alphaloom is faster); "
          "ratio cpu = qlib cpu inside D.features / alphaloom process cpu;\nfor the memory rows, "
          "alphaloom's peak RSS / the output matrix (rows x 158 x 4 bytes), lower is better\n")
    print_table(rows)

    return {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "commit": git_commit(),
        "machine": {"cores": os.cpu_count(), "platform": platform.platform(), "processor": cpu_model(),
                    "python": platform.python_version(), "qlib": qlib_version(args) if qlib else None},
        "market": {"instruments": len(spans), "start": args.start, "end": args.end, "trading_days": calendar_days,
                   "seed": args.seed, "rows": full_rows, "factors": len(names), "matrix_bytes": matrix},
        "repeats": args.repeats,
        "alphaloom": {"full": {str(t): asdict(r) | {"other": r.other} for t, r in full.items()},
                      "subset": {str(t): asdict(r) | {"other": r.other} for t, r in small.items()}},
        "qlib": {"instruments": args.qlib_instruments, "subset": subset,
                 "runs": {str(k): asdict(r) for k, r in qlib.items()},
                 "extrapolated_features_seconds": {str(k): s for k, s in extrapolated.items()}},
        "summary": [asdict(row) for row in rows],
    }


def qlib_version(args: argparse.Namespace) -> str:
    result = subprocess.run([str(args.qlib_python), "-c", "import qlib; print(qlib.__version__)"],
                            capture_output=True, text=True)
    return result.stdout.strip() or "unknown"


if __name__ == "__main__":
    main()
