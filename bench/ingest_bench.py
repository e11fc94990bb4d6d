"""Side-by-side benchmark: AlphaLoom ingest and store reads against pandas and numpy.

What is measured, on one synthetic market (``alphaloom synth``, default 800 instruments plus the
BENCH index over 3200 weekdays), in one run so every number shares the machine state:

ingest
    ``alphaloom --threads T ingest`` of the CSV files and of the Parquet files into a store, for
    T = 1 and T = the number of cores. Wall clock of the whole process from Python (start-up,
    read, validate, adjust, write the store), best of ``--repeats`` runs; the CPU time
    (user + sys) of the best run is reported beside it. Every run writes a fresh store
    directory, so no run pays for deleting the previous one.
floors (context, not compared)
    From Python: reading the input files' bytes, and creating the store's .bin files (same
    names and sizes, zeros) in a fresh directory. The second is what the file system alone
    charges for writing a store; it varies a lot between file systems and machine states.
pandas read (the issue's peer)
    ``pd.read_csv(path, parse_dates=["date"])`` of every CSV file and ``pd.read_parquet(path)``
    of every Parquet file, one after the other in this process. Only reading: a lower bound of
    any pandas-based ingest.
pandas ingest (a fairer peer, informational)
    What Qlib's ``scripts/dump_bin.py`` does, single process: read_csv, sort, drop duplicate
    dates, drop bars failing basic checks (positive prices, low <= open/close <= high,
    volume >= 0), factor = adj_close / close, adjusted prices and volume, change, reindex onto
    the union calendar, and write one float32 ``.day.bin`` per field with ``numpy.tofile``
    (start index first, as Qlib stores it), plus calendar and instrument files.
store read
    The ``close`` field of every market instrument: ``bench_store_read`` (Google Benchmark,
    AlphaLoom's memory-mapped ``QlibStore::ReadField``; and ``LoadPanel`` into a dense panel)
    against ``numpy.fromfile`` of the same ``.bin`` files, which is how Qlib reads them (and the
    same files placed into a dense float64 panel). Files are in the page cache for both.
memory speed
    ``numpy.copyto`` of a 512 MiB array (larger than the last-level cache), best of 5, as the
    machine's memory copy bandwidth; the store read's bytes per second are compared with it.
    A copy of exactly the store-read payload size is reported as well.

Ratios are peer time / AlphaLoom time, so a ratio above 1 means AlphaLoom is faster. Targets
(from the issue): ingest at least 20x faster than pandas read_csv / read_parquet; store reads at
memory speed, taken here as at least half the measured copy bandwidth. Benchmarks are not tests:
the script prints the numbers and never fails on a missed target.

Results are printed as a table and written to WORK/results.json. Usage:
    .venv/bin/python bench/ingest_bench.py [--instruments 800] [--days 3200] [--repeats 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from bench_common import REPO, Row, add_market_arguments, cpu_model, git_commit, print_table, thread_label
BENCHMARK_SYMBOL = "BENCH"  # the index `alphaloom synth` writes beside the stocks
READ_FIELD = "close"
INGEST_TARGET = 20.0  # ingest at least 20x faster than pandas reading the same files
MEMORY_TARGET = 0.5  # store read bytes/s at least half the measured memory copy bandwidth
COPY_BYTES = 512 << 20  # larger than the last-level cache, so the copy runs from DRAM


@dataclass
class Timing:
    """Best-of-N timing: wall clock of the fastest run and the CPU seconds of that run."""

    wall: float
    cpu: float
    walls: list[float] = field(default_factory=list)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_market_arguments(parser)
    parser.add_argument("--repeats", type=int, default=3, help="runs per measurement; the best counts (default 3)")
    parser.add_argument("--threads", default=None,
                        help="comma-separated ingest thread counts (default: 1 and the number of cores)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/alphaloom-bench"),
                        help="work directory: cached markets, stores, results.json (default /tmp/alphaloom-bench)")
    parser.add_argument("--binary", type=Path, default=REPO / "build" / "cli" / "alphaloom",
                        help="alphaloom binary (default build/cli/alphaloom)")
    parser.add_argument("--read-bench", type=Path, default=None,
                        help="bench_store_read binary (default: bench/bench_store_read beside the CLI's build dir)")
    parser.add_argument("--skip-pandas-ingest", action="store_true",
                        help="skip the dump_bin-like pandas ingest (the read-only peers still run)")
    args = parser.parse_args()
    if args.read_bench is None:
        args.read_bench = args.binary.resolve().parents[1] / "bench" / "bench_store_read"
    if args.threads is None:
        args.threads = sorted({1, os.cpu_count() or 1})
    else:
        args.threads = sorted({int(count) for count in args.threads.split(",")})
    if args.end is None:
        args.end = str(np.busday_offset(np.datetime64(args.start), args.days - 1, roll="forward"))
    if args.repeats < 1 or args.instruments < 1:
        parser.error("--repeats and --instruments must be positive")
    for binary in (args.binary, args.read_bench):
        if not binary.is_file():
            parser.error(f"{binary} not found; build first (make build)")
    return args


# --- timing helpers ----------------------------------------------------------------------------


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_command(make_command: Callable[[int], list[str]], repeats: int) -> Timing:
    """Runs make_command(run_index) `repeats` times; exits with its stderr if a run fails."""
    best: Timing | None = None
    walls = []
    for run in range(repeats):
        command = make_command(run)
        cpu_before = children_cpu()
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True)
        wall = time.perf_counter() - start
        cpu = children_cpu() - cpu_before
        if result.returncode != 0:
            sys.exit(f"command failed ({result.returncode}): {' '.join(command)}\n{result.stderr}")
        walls.append(wall)
        if best is None or wall < best.wall:
            best = Timing(wall, cpu)
    best.walls = walls
    return best


def time_call(function: Callable[[int], object], repeats: int) -> tuple[Timing, object]:
    """Calls function(run_index) `repeats` times in this process; returns the best timing and
    the last result. CPU time counts every thread of this process (pyarrow reads use threads)."""
    best: Timing | None = None
    walls = []
    result = None
    for run in range(repeats):
        cpu_before = time.process_time()
        start = time.perf_counter()
        result = function(run)
        wall = time.perf_counter() - start
        cpu = time.process_time() - cpu_before
        walls.append(wall)
        if best is None or wall < best.wall:
            best = Timing(wall, cpu)
    best.walls = walls
    return best, result


# --- the market ----------------------------------------------------------------------------------


def bar_files(directory: Path, extension: str) -> list[Path]:
    return sorted(path for path in directory.iterdir() if path.suffix == extension)


def ensure_market(args: argparse.Namespace) -> dict[str, Path]:
    """Generates the CSV and Parquet markets once; later runs reuse them (synth is deterministic)."""
    base = args.work / "data" / f"n{args.instruments}_{args.start}_{args.end}_seed{args.seed}"
    markets = {}
    for fmt in ("csv", "parquet"):
        out = base / fmt
        if not (out / "truth.json").is_file():  # synth writes its output directory atomically
            command = [str(args.binary), "-q", "synth", "--out", str(out), "--instruments", str(args.instruments),
                       "--start", args.start, "--end", args.end, "--seed", str(args.seed), "--format", fmt]
            start = time.perf_counter()
            result = subprocess.run(command, capture_output=True, text=True)
            if result.returncode != 0:
                sys.exit(f"synth failed ({result.returncode}): {' '.join(command)}\n{result.stderr}")
            print(f"generated {fmt} market in {time.perf_counter() - start:.1f} s: {out}")
        markets[fmt] = out
    return markets


# --- AlphaLoom ingest ----------------------------------------------------------------------------


def run_alphaloom_ingest(args: argparse.Namespace, source: Path, fmt: str, threads: int, runs_dir: Path) -> Timing:
    def command(run: int) -> list[str]:
        out = runs_dir / f"alphaloom-{fmt}-t{threads}-r{run}"
        return [str(args.binary), "-q", "--threads", str(threads), "ingest", "--input", str(source),
                "--out", str(out), "--format", fmt, "--benchmark", BENCHMARK_SYMBOL]

    return time_command(command, args.repeats)


# --- pandas peers --------------------------------------------------------------------------------


def pandas_read_csv(files: list[Path]) -> int:
    rows = 0
    for path in files:
        rows += len(pd.read_csv(path, parse_dates=["date"]))
    return rows


def pandas_read_parquet(files: list[Path]) -> int:
    rows = 0
    for path in files:
        rows += len(pd.read_parquet(path))
    return rows


def pandas_ingest(files: list[Path], out: Path) -> None:
    """A single-process, dump_bin-like ingest of CSV bar files into Qlib's layout."""
    adjusted: dict[str, pd.DataFrame] = {}
    for path in files:
        bars = pd.read_csv(path, parse_dates=["date"])
        bars = bars.sort_values("date").drop_duplicates("date", keep="first")
        prices = bars[["open", "close"]]
        valid = ((bars[["open", "high", "low", "close"]] > 0).all(axis=1)
                 & (bars["high"] >= prices.max(axis=1)) & (bars["low"] <= prices.min(axis=1))
                 & (bars["volume"] >= 0))
        bars = bars[valid]
        factor = bars["adj_close"] / bars["close"] if "adj_close" in bars else pd.Series(1.0, index=bars.index)
        frame = pd.DataFrame({name: bars[name] * factor for name in ("open", "high", "low", "close", "vwap")
                              if name in bars})
        frame["volume"] = bars["volume"] / factor
        frame["factor"] = factor
        frame["change"] = frame["close"] / frame["close"].shift(1) - 1.0
        frame.index = pd.DatetimeIndex(bars["date"])
        adjusted[path.stem] = frame

    calendar = pd.DatetimeIndex(sorted(set().union(*(frame.index for frame in adjusted.values()))))
    (out / "calendars").mkdir(parents=True)
    (out / "instruments").mkdir()
    (out / "calendars" / "day.txt").write_text("\n".join(calendar.strftime("%Y-%m-%d")) + "\n")
    lines = [f"{symbol}\t{frame.index[0]:%Y-%m-%d}\t{frame.index[-1]:%Y-%m-%d}"
             for symbol, frame in adjusted.items() if symbol != BENCHMARK_SYMBOL]
    (out / "instruments" / "all.txt").write_text("\n".join(lines) + "\n")
    for symbol, frame in adjusted.items():
        first = calendar.get_loc(frame.index[0])
        span = calendar[first:calendar.get_loc(frame.index[-1]) + 1]
        frame = frame.reindex(span)
        directory = out / "features" / symbol.lower()
        directory.mkdir(parents=True)
        for name in frame.columns:
            np.hstack([[first], frame[name].to_numpy()]).astype("<f4").tofile(directory / f"{name}.day.bin")


def input_read_floor(files: list[Path]) -> int:
    """Reads every input file's bytes and nothing else: what any ingest must at least pay."""
    total = 0
    for path in files:
        total += len(path.read_bytes())
    return total


def store_write_floor(store: Path, out: Path) -> None:
    """Creates the files of `store` (same directories, names and sizes) under `out` with zeros:
    what writing a store costs on this file system before any parsing or arithmetic."""
    for directory in sorted((store / "features").iterdir()):
        target = out / "features" / directory.name
        target.mkdir(parents=True)
        for path in directory.iterdir():
            np.zeros(path.stat().st_size // 4, dtype="<f4").tofile(target / path.name)


# --- store reads -----------------------------------------------------------------------------------


def market_bin_files(store: Path) -> list[tuple[Path, int]]:
    """(close .bin path, payload bytes) of every market instrument, as bench_store_read reads them."""
    files = []
    for line in (store / "instruments" / "all.txt").read_text().splitlines():
        if not line.strip():
            continue
        path = store / "features" / line.split("\t")[0].lower() / f"{READ_FIELD}.day.bin"
        files.append((path, path.stat().st_size - 4))
    return files


def run_read_bench(args: argparse.Namespace, store: Path) -> dict[str, dict[str, float]]:
    """Runs bench_store_read; returns, per benchmark, the fastest repetition's real and CPU ms."""
    command = [str(args.read_bench), "--store", str(store), "--benchmark_format=json",
               f"--benchmark_repetitions={max(args.repeats, 3)}"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"bench_store_read failed ({result.returncode}):\n{result.stderr}")
    report = json.loads(result.stdout)
    scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}
    best: dict[str, dict[str, float]] = {}
    for entry in report["benchmarks"]:
        if entry.get("run_type") != "iteration":
            continue
        real = entry["real_time"] * scale[entry["time_unit"]]
        cpu = entry["cpu_time"] * scale[entry["time_unit"]]
        name = entry["run_name"]
        if name not in best or real < best[name]["real_ms"]:
            best[name] = {"real_ms": real, "cpu_ms": cpu}
    return best


def numpy_read(files: list[tuple[Path, int]]) -> int:
    total = 0
    for path, _ in files:
        total += np.fromfile(path, dtype="<f4").size
    return total


def numpy_panel(files: list[tuple[Path, int]], calendar_size: int) -> np.ndarray:
    panel = np.full((len(files), calendar_size), np.nan)
    for row, (path, _) in enumerate(files):
        values = np.fromfile(path, dtype="<f4")
        start = int(values[0])
        panel[row, start:start + values.size - 1] = values[1:]
    return panel


def copy_bandwidth(size_bytes: int, repeats: int = 5) -> float:
    """Bytes per second of numpy.copyto between two float64 arrays of size_bytes, best of repeats."""
    source = np.ones(max(size_bytes // 8, 1))
    target = np.zeros_like(source)  # touched, so the copy pays no page faults
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        np.copyto(target, source)
        best = min(best, time.perf_counter() - start)
    return source.nbytes / best


# --- report ----------------------------------------------------------------------------------------


def seconds(value: float) -> str:
    return f"{value * 1e3:.1f} ms" if value < 1.0 else f"{value:.2f} s"


def ingest_row(task: str, ours: Timing, peer_name: str, peer: Timing, target: float | None) -> Row:
    ratio = peer.wall / ours.wall
    return Row(task=task, alphaloom=seconds(ours.wall), peer=f"{peer_name} {seconds(peer.wall)}", ratio=ratio,
               ratio_cpu=peer.cpu / ours.cpu if ours.cpu > 0 else None,
               target=f">= {target:g}x" if target else "info", met=ratio >= target if target else None)


def main() -> None:
    args = parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    load_start = os.getloadavg()
    print(f"alphaloom ingest benchmark, {dt.datetime.now().isoformat(timespec='seconds')}, "
          f"{os.cpu_count()} cores, load average {load_start[0]:.2f}")
    if load_start[0] > 0.5 * (os.cpu_count() or 1):
        print("note: the machine is busy; wall-clock numbers are noisy, the CPU-time ratios are steadier")

    markets = ensure_market(args)
    csv_files = bar_files(markets["csv"], ".csv")
    parquet_files = bar_files(markets["parquet"], ".parquet")
    inputs = {
        "csv": {"files": len(csv_files), "bytes": sum(path.stat().st_size for path in csv_files)},
        "parquet": {"files": len(parquet_files), "bytes": sum(path.stat().st_size for path in parquet_files)},
    }
    weekdays = int(np.busday_count(np.datetime64(args.start), np.datetime64(args.end) + 1))
    print(f"market: {args.instruments} instruments + {BENCHMARK_SYMBOL}, {args.start} .. {args.end} "
          f"({weekdays} weekdays), seed {args.seed}")
    for fmt, info in inputs.items():
        print(f"  {fmt:<8} {info['files']} files, {info['bytes'] / 1e6:.1f} MB")

    # Every store goes to a fresh directory and all are deleted at the end: deleting thousands of
    # files right before a timed run slows the next file creations on some file systems (ext4
    # without a journal skips recently freed inodes for minutes), which would skew the timings.
    runs_dir = args.work / f"runs-{os.getpid()}"
    runs_dir.mkdir()
    try:
        results = run_benchmarks(args, markets, csv_files, parquet_files, inputs, weekdays, runs_dir)
    finally:
        shutil.rmtree(runs_dir, ignore_errors=True)
    results["load_average"] = {"start": load_start, "end": os.getloadavg()}
    out = args.work / "results.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nresults: {out}")


def run_benchmarks(args: argparse.Namespace, markets: dict[str, Path], csv_files: list[Path],
                   parquet_files: list[Path], inputs: dict, weekdays: int, runs_dir: Path) -> dict:
    """Runs every measurement, prints them and the summary table; returns the results.json content."""
    rows: list[Row] = []
    ingest: dict[str, dict[int, Timing]] = {"csv": {}, "parquet": {}}

    print(f"\ningest (best of {args.repeats}, wall clock of the process; cpu = user + sys):")
    for fmt in ("csv", "parquet"):
        for threads in args.threads:
            timing = run_alphaloom_ingest(args, markets[fmt], fmt, threads, runs_dir)
            ingest[fmt][threads] = timing
            print(f"  alphaloom {fmt:<8} threads={threads}  {seconds(timing.wall):>9}  cpu {seconds(timing.cpu):>9}  "
                  f"{inputs[fmt]['bytes'] / 1e6 / timing.wall:6.1f} MB/s")
    store = runs_dir / f"alphaloom-csv-t{args.threads[0]}-r0"
    calendar_size = len((store / "calendars" / "day.txt").read_text().split())
    print(f"  store calendar: {calendar_size} trading days")
    floors = {}
    for fmt, files in (("csv", csv_files), ("parquet", parquet_files)):
        floors[f"read {fmt} bytes"], _ = time_call(lambda run: input_read_floor(files), args.repeats)
    floors["write store files"], _ = time_call(lambda run: store_write_floor(store, runs_dir / f"floor-r{run}"),
                                               args.repeats)
    store_files = sum(1 for _ in (store / "features").glob("*/*.bin"))
    print(f"  floors, from Python: read the csv bytes {seconds(floors['read csv bytes'].wall)}, "
          f"the parquet bytes {seconds(floors['read parquet bytes'].wall)}; "
          f"create the store's {store_files} .bin files {seconds(floors['write store files'].wall)}")

    print("\npandas, single process, same files:")
    read_csv, rows_read = time_call(lambda run: pandas_read_csv(csv_files), args.repeats)
    print(f"  pd.read_csv     {seconds(read_csv.wall):>9}  cpu {seconds(read_csv.cpu):>9}  ({rows_read} rows)")
    read_parquet, _ = time_call(lambda run: pandas_read_parquet(parquet_files), args.repeats)
    print(f"  pd.read_parquet {seconds(read_parquet.wall):>9}  cpu {seconds(read_parquet.cpu):>9}")
    pandas_full = None
    if not args.skip_pandas_ingest:
        pandas_full, _ = time_call(lambda run: pandas_ingest(csv_files, runs_dir / f"pandas-csv-r{run}"),
                                   args.repeats)
        print(f"  pandas ingest   {seconds(pandas_full.wall):>9}  cpu {seconds(pandas_full.cpu):>9}  "
              "(read_csv + validate + adjust + float32 .bin, dump_bin-like)")

    for threads in args.threads:
        rows.append(ingest_row(f"ingest csv, {thread_label(threads)}", ingest["csv"][threads], "pd.read_csv", read_csv,
                               INGEST_TARGET))
    for threads in args.threads:
        rows.append(ingest_row(f"ingest parquet, {thread_label(threads)}", ingest["parquet"][threads],
                               "pd.read_parquet", read_parquet, INGEST_TARGET))
    if pandas_full is not None:
        for threads in args.threads:
            rows.append(ingest_row(f"ingest csv, {thread_label(threads)}", ingest["csv"][threads], "pandas ingest",
                                   pandas_full, None))

    print(f"\nstore read: '{READ_FIELD}' of every market instrument, page cache warm:")
    files = market_bin_files(store)
    payload = sum(size for _, size in files)
    bench = run_read_bench(args, store)
    read_ours = bench["BM_ReadCloseAllInstruments"]
    panel_ours = bench["BM_LoadPanelClose"]
    numpy_repeats = max(args.repeats, 5)
    numpy_read(files)  # warm-up: same page-cache state as Google Benchmark's first iterations
    read_numpy, _ = time_call(lambda run: numpy_read(files), numpy_repeats)
    panel_numpy, _ = time_call(lambda run: numpy_panel(files, calendar_size), numpy_repeats)
    memory_bw = copy_bandwidth(COPY_BYTES)
    same_size_bw = copy_bandwidth(payload)
    ours_bw = payload / (read_ours["real_ms"] / 1e3)
    print(f"  {len(files)} files, {payload / 1e6:.2f} MB of float32 values")
    print(f"  alphaloom ReadField    {read_ours['real_ms']:8.2f} ms  {ours_bw / 1e9:6.2f} GB/s")
    print(f"  numpy fromfile         {read_numpy.wall * 1e3:8.2f} ms  {payload / read_numpy.wall / 1e9:6.2f} GB/s")
    print(f"  alphaloom LoadPanel    {panel_ours['real_ms']:8.2f} ms  (dense float64 panel)")
    print(f"  numpy fromfile + panel {panel_numpy.wall * 1e3:8.2f} ms")
    print(f"  memory copy            {memory_bw / 1e9:6.2f} GB/s ({COPY_BYTES >> 20} MiB), "
          f"{same_size_bw / 1e9:6.2f} GB/s ({payload / 1e6:.1f} MB, same size as the read)")

    def read_row(task: str, ours: dict[str, float], peer_name: str, peer: Timing) -> Row:
        return Row(task=task, alphaloom=f"{ours['real_ms']:.1f} ms", peer=f"{peer_name} {peer.wall * 1e3:.1f} ms",
                   ratio=peer.wall * 1e3 / ours["real_ms"], ratio_cpu=peer.cpu * 1e3 / ours["cpu_ms"],
                   target="info", met=None)

    rows.append(read_row(f"read {READ_FIELD}, {len(files)} instruments", read_ours, "np.fromfile", read_numpy))
    rows.append(read_row(f"load {READ_FIELD} panel", panel_ours, "np.fromfile+panel", panel_numpy))
    for name, bandwidth, target in (("memory copy", memory_bw, MEMORY_TARGET),
                                    ("same-size copy", same_size_bw, None)):
        ratio = ours_bw / bandwidth  # = (payload / bandwidth) / our time: a copy's time over ours
        rows.append(Row(task=f"read {READ_FIELD} vs {name}", alphaloom=f"{ours_bw / 1e9:.2f} GB/s",
                        peer=f"{bandwidth / 1e9:.2f} GB/s", ratio=ratio, ratio_cpu=None,
                        target=f">= {target:g}x" if target else "info", met=ratio >= target if target else None))

    print("\nratio = peer time / alphaloom time (above 1: alphaloom is faster); for the copy rows, "
          "alphaloom's read bandwidth / copy bandwidth\n")
    print_table(rows)

    return {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "commit": git_commit(),
        "machine": {"cores": os.cpu_count(), "platform": platform.platform(), "processor": cpu_model(),
                    "python": platform.python_version(), "pandas": pd.__version__, "numpy": np.__version__},
        "market": {"instruments": args.instruments, "start": args.start, "end": args.end, "weekdays": weekdays,
                   "trading_days": calendar_size, "seed": args.seed, "rows": rows_read, "inputs": inputs},
        "repeats": args.repeats,
        "ingest": {fmt: {str(threads): asdict(timing) for threads, timing in by_threads.items()}
                   for fmt, by_threads in ingest.items()},
        "floors": {name: asdict(timing) for name, timing in floors.items()},
        "pandas": {"read_csv": asdict(read_csv), "read_parquet": asdict(read_parquet),
                   "ingest": asdict(pandas_full) if pandas_full else None},
        "store_read": {"files": len(files), "payload_bytes": payload, "alphaloom_read_field": read_ours,
                       "alphaloom_load_panel": panel_ours, "numpy_fromfile": asdict(read_numpy),
                       "numpy_panel": asdict(panel_numpy), "alphaloom_bytes_per_second": ours_bw,
                       "copy_bytes_per_second": memory_bw, "same_size_copy_bytes_per_second": same_size_bw},
        "summary": [asdict(row) for row in rows],
    }


if __name__ == "__main__":
    main()
