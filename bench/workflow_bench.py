"""Whole-workflow benchmark: `alphaloom run examples/qlib_benchmark.yaml` against Qlib's own
workflow with the same settings (tests/python/qlib_workflow.py in .venv-qlib, which runs
`qlib.cli.run.workflow`, the function behind `qrun`), on one store, in one run.

usage: .venv/bin/python bench/workflow_bench.py [--instruments N] [--days N] [--small] [--threads T]
                                                [--skip-real] [--skip-synthetic] [--work DIR] [--binary PATH]

Both sides run Qlib's LightGBM / Alpha158 benchmark end to end: Alpha158 from the store, Qlib's
label z-scored per day, train / valid / test segments (the first 60% of the days, the next 10%,
the rest), the benchmark's LightGBM parameters with 1000 rounds and early stopping 50, the test
predictions, TopK-dropout 50/5 backtest over the test segment with Qlib's exchange settings, the
IC analysis and risk_analysis. Cold cache: AlphaLoom gets a fresh stage cache and run folder,
Qlib runs with a fresh MLflow store and no expression or dataset cache (the server-less default
of `qrun`). The store files may sit in the OS page cache for both: Qlib runs first and reads them
first, so it is the side that pays for a cold disk, if any.

Measured for each side: wall time of the whole process (start-up and imports included), CPU time
(user + sys of the process and its children), and peak memory: the largest sum of the resident
set sizes of the process and all its descendants, sampled from /proc every 50 ms (Qlib computes
features in worker processes), with the largest single process's maxrss (wait4) as a floor.

Markets: synthetic (`alphaloom synth`, --instruments x --days weekdays, default 800 x 3200;
--small = 100 x 800 for a quick look), and the real Pooksoft S&P 500 set in ../shared/data/real
(109 names, 1999-11-01 .. 2021-04-21; it has no index, so AAPL is stored as the benchmark and
kept out of the market on both sides). Targets (issue 9): AlphaLoom >= 20x faster and < 1/2 the
peak memory of Qlib's workflow.
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

import pandas as pd

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from bench_common import Row, add_market_arguments, git_commit, print_table  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[1]
QLIB_PYTHON = ROOT / ".venv-qlib" / "bin" / "python"
POOKSOFT = ROOT.parent / "shared" / "data" / "real" / "PooksoftSP500EquityPriceDataSet" / "daily_adjusted"
PAGE = os.sysconf("SC_PAGE_SIZE")


def tree_rss(root_pid):
    """Resident bytes of root_pid and all its descendants (one pass over /proc)."""
    children, rss = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/statm") as statm:
                rss[int(entry)] = int(statm.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def measure(args, log):
    """Runs args; returns wall s, cpu s (self + children), peak tree RSS bytes, largest maxrss bytes."""
    started = time.perf_counter()
    with open(log, "w") as out:
        process = subprocess.Popen([str(a) for a in args], stdout=out, stderr=subprocess.STDOUT)
        peak = 0
        while True:
            waited, status, usage = os.wait4(process.pid, os.WNOHANG)
            if waited:
                break
            peak = max(peak, tree_rss(process.pid))
            time.sleep(0.05)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, args))} failed ({process.returncode}); see {log}:\n"
                         + pathlib.Path(log).read_text()[-3000:])
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_tree": max(peak, usage.ru_maxrss * 1024),
            "maxrss": usage.ru_maxrss * 1024}


def run(*args):
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, args))} failed:\n{result.stderr[-3000:]}")
    return result


def segments_of(store):
    days = pd.to_datetime(pathlib.Path(store, "calendars", "day.txt").read_text().split())
    # Qlib's last backtest step needs the next calendar day: the test segment stops one day short.
    days = days[:-1]
    cut_train, cut_valid = int(len(days) * 0.6), int(len(days) * 0.7)
    bounds = [days[0], days[cut_train - 1], days[cut_train], days[cut_valid - 1], days[cut_valid], days[-1]]
    return [str(day.date()) for day in bounds]


def compare(label, store, benchmark, work, args):
    segments = segments_of(store)
    print(f"\n{label}: store {store}, segments train {segments[0]}..{segments[1]}, valid {segments[2]}..{segments[3]}, "
          f"test {segments[4]}..{segments[5]}", flush=True)
    case = pathlib.Path(tempfile.mkdtemp(prefix="case-", dir=work))
    results = {}
    if not args.skip_qlib:
        results["qlib"] = measure([QLIB_PYTHON, ROOT / "tests" / "python" / "qlib_workflow.py", store, case / "qlib",
                                   *segments, "--benchmark", benchmark, "--threads", args.threads], case / "qlib.log")
        results["qlib"]["result"] = json.loads((case / "qlib" / "result.json").read_text())
        print(f"  qlib      wall {results['qlib']['wall']:8.1f} s  cpu {results['qlib']['cpu']:8.1f} s  "
              f"peak {results['qlib']['peak_tree'] / 2**20:8.0f} MiB", flush=True)
    results["alphaloom"] = measure(
        [args.binary, "--threads", args.threads, "run", ROOT / "examples" / "qlib_benchmark.yaml",
         "--set", f"data.store={store}", "--set", f"universe.benchmark={benchmark}",
         "--set", f"cv.train={{start: {segments[0]}, end: {segments[1]}}}",
         "--set", f"cv.valid={{start: {segments[2]}, end: {segments[3]}}}",
         "--set", f"cv.test={{start: {segments[4]}, end: {segments[5]}}}",
         "--set", f"backtest.start={segments[4]}", "--set", f"backtest.end={segments[5]}",
         "--set", f"model.threads={args.threads}", "--set", "report.html=false",
         "--set", f"output.dir={case / 'runs'}", "--set", f"output.cache={case / 'cache'}", "--out", case / "run"],
        case / "alphaloom.log")
    summary = json.loads((case / "run" / "summary.json").read_text())
    results["alphaloom"]["stages"] = {stage: info.get("seconds") for stage, info in summary.get("stages", {}).items()}
    metrics = json.loads((case / "run" / "train" / "metrics.json").read_text())
    results["alphaloom"]["ic"] = metrics["overall"]["ic"]
    results["alphaloom"]["train_seconds"] = metrics.get("seconds", {})
    results["alphaloom"]["best_iteration"] = metrics["folds"][0].get("best_iteration")
    print(f"  alphaloom wall {results['alphaloom']['wall']:8.1f} s  cpu {results['alphaloom']['cpu']:8.1f} s  "
          f"peak {results['alphaloom']['peak_tree'] / 2**20:8.0f} MiB  stages "
          + ", ".join(f"{stage} {seconds:.1f}" for stage, seconds in results["alphaloom"]["stages"].items()
                      if isinstance(seconds, (int, float))), flush=True)
    rows = []
    if "qlib" in results:
        ours, theirs = results["alphaloom"], results["qlib"]
        print(f"  test IC: alphaloom {ours['ic']:.5f}, qlib {theirs['result']['ic']:.5f}; best iteration "
              f"{ours['best_iteration']} vs {theirs['result']['best_iteration']}; alphaloom train seconds "
              + ", ".join(f"{k} {v:.1f}" for k, v in ours["train_seconds"].items() if isinstance(v, (int, float))))
        # Qlib's own timers (qlib.timer lines of its log): data init, fit, records.
        for line in pathlib.Path(case / "qlib.log").read_text().splitlines():
            if "Time cost" in line:
                print("  qlib " + line.split("] - ", 1)[-1])
        speed = theirs["wall"] / ours["wall"]
        memory = ours["peak_tree"] / theirs["peak_tree"]
        rows.append(Row(f"{label} wall", f"{ours['wall']:.1f} s", f"{theirs['wall']:.1f} s", speed,
                        theirs["cpu"] / ours["cpu"], ">= 20x", speed >= 20))
        rows.append(Row(f"{label} peak memory", f"{ours['peak_tree'] / 2**20:.0f} MiB",
                        f"{theirs['peak_tree'] / 2**20:.0f} MiB", theirs["peak_tree"] / ours["peak_tree"], None,
                        "< 1/2 (>= 2x)", memory < 0.5))
    return results, rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_market_arguments(parser)
    parser.add_argument("--small", action="store_true", help="100 instruments x 800 days (a quick look)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--skip-real", action="store_true")
    parser.add_argument("--skip-synthetic", action="store_true")
    parser.add_argument("--skip-qlib", action="store_true")
    parser.add_argument("--work", default="/tmp/alphaloom-workflow-bench")
    parser.add_argument("--binary", default=str(ROOT / "build" / "cli" / "alphaloom"))
    args = parser.parse_args()
    if args.small:
        args.instruments, args.days = 100, 800
    work = pathlib.Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()
    print(f"commit {git_commit()}, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, threads {args.threads}")
    report, rows = {"commit": git_commit(), "load": load, "cases": {}}, []

    if not args.skip_synthetic:
        calendar = pd.bdate_range(args.start, periods=args.days) if not args.end else pd.bdate_range(args.start, args.end)
        store = work / f"synth-{args.instruments}x{len(calendar)}-s{args.seed}" / "store"
        if not (store / "alphaloom.json").exists():
            run(args.binary, "-q", "synth", "--out", store.parent / "raw", "--instruments", args.instruments,
                "--start", calendar[0].date(), "--end", calendar[-1].date(), "--seed", args.seed)
            run(args.binary, "-q", "ingest", "--input", store.parent / "raw", "--out", store, "--benchmark", "BENCH")
        label = f"synthetic {args.instruments}x{len(calendar)}"
        report["cases"][label], case_rows = compare(label, store, "BENCH", work, args)
        rows += case_rows

    if not args.skip_real:
        if not POOKSOFT.is_dir():
            print(f"\n{POOKSOFT} absent: the real-data case is skipped")
        else:
            store = work / "pooksoft" / "store"
            if not (store / "alphaloom.json").exists():
                run(args.binary, "-q", "ingest", "--input", POOKSOFT, "--out", store, "--benchmark", "AAPL",
                    "--on-error", "skip")
            report["cases"]["pooksoft 109"], case_rows = compare("pooksoft 109", store, "AAPL", work, args)
            rows += case_rows

    if rows:
        print()
        print_table(rows)
    (work / "results.json").write_text(json.dumps(report, indent=1, default=str))
    print(f"\nresults: {work / 'results.json'}")


if __name__ == "__main__":
    main()
