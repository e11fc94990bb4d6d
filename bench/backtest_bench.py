"""TopK-dropout (topk 50, n_drop 5, Qlib's costs, limits and lots) over a synthetic market of
800 instruments x 3200 days: `alphaloom backtest` against Qlib's own backtest (pyqlib in
.venv-qlib, tests/python/qlib_backtest.py) and vectorbt's Portfolio.from_orders on the same orders
(.venv-bt, bench/backtest_bench_vbt.py), in the same run. Prints instrument-days per second and
the ratios (targets: >= 100x Qlib, faster than vectorbt).

    .venv/bin/python bench/backtest_bench.py [--instruments 800] [--days 3200] [--repeats 3]
        [--skip-qlib] [--work /tmp/alphaloom-bench-bt] [--binary build/cli/alphaloom]
"""
import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from bench_common import REPO, Row, add_market_arguments, print_table

COSTS = dict(open_cost=0.0005, close_cost=0.0015, min_cost=5.0)


def run(command, **kwargs):
    result = subprocess.run([str(part) for part in command], capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(map(str, command))}\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_market_arguments(parser)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-qlib", action="store_true")
    parser.add_argument("--work", default="/tmp/alphaloom-bench-bt")
    parser.add_argument("--binary", default=str(REPO / "build" / "cli" / "alphaloom"))
    args = parser.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    binary = args.binary
    tag = f"{args.instruments}x{args.days}-{args.seed}"
    store = work / f"store-{tag}"
    if not store.exists():
        end = args.end or str(pd.bdate_range(args.start, periods=args.days)[-1].date())
        run([binary, "-q", "synth", "--out", work / f"raw-{tag}", "--instruments", args.instruments, "--start",
             args.start, "--end", end, "--seed", args.seed, "--format", "parquet"])
        run([binary, "-q", "ingest", "--input", work / f"raw-{tag}", "--out", store, "--benchmark", "BENCH"])
    calendar = (store / "calendars" / "day.txt").read_text().split()
    instruments = [line.split("\t")[0] for line in (store / "instruments" / "all.txt").read_text().splitlines()]
    pred_path = work / f"pred-{tag}.parquet"
    if not pred_path.exists():
        rng = np.random.default_rng(args.seed)
        dates = pd.to_datetime(calendar[:-2])
        pred = pd.DataFrame({"datetime": np.repeat(dates, len(instruments)),
                             "instrument": np.tile(instruments, len(dates)),
                             "score": rng.standard_normal(len(dates) * len(instruments))})
        pred.to_parquet(pred_path, index=False)
    start, end = calendar[0], calendar[-2]
    days = len(calendar) - 1
    cells = days * len(instruments)
    common = ["--topk", 50, "--n-drop", 5, "--account", 1e8]

    out = work / "run"
    ours = []
    for _ in range(args.repeats):
        started = time.perf_counter()
        run([binary, "-q", "--threads", 1, "backtest", "--data", store, "--signal", pred_path, "--strategy", "topk",
             "--start", start, "--end", end, *common, "--no-ic", "--out", out])
        ours.append(time.perf_counter() - started)
    ours_best = min(ours)
    daily = pd.read_parquet(out / "daily.parquet")
    print(f"alphaloom backtest: {days} days x {len(instruments)} instruments in {ours_best:.3f} s "
          f"({cells / ours_best:,.0f} instrument-days/s), final account {daily['account'].iloc[-1]:,.0f}")

    rows = []
    if not args.skip_qlib:
        started = time.perf_counter()
        result = run([REPO / ".venv-qlib" / "bin" / "python", REPO / "tests" / "python" / "qlib_backtest.py", store,
                      pred_path, work / "qlib.csv", "--start", start, "--end", end, *common])
        qlib_seconds = time.perf_counter() - started
        report = json.loads(result.stdout.strip().splitlines()[-1])
        theirs = pd.read_csv(work / "qlib.csv")
        worst = float((theirs["return"].to_numpy() - daily["return"].to_numpy()).__abs__().max())
        print(f"qlib backtest: {qlib_seconds:.1f} s wall ({report['backtest_seconds']:.1f} s in backtest()), "
              f"{cells / qlib_seconds:,.0f} instrument-days/s; max |daily return difference| {worst:.2e}")
        rows.append(Row("TopK-dropout 50/5 vs Qlib backtest()", f"{ours_best:.3f} s", f"{qlib_seconds:.1f} s",
                        qlib_seconds / ours_best, None, ">= 100x", qlib_seconds / ours_best >= 100))

    prices = pd.read_parquet(out / "trades.parquet")
    panel = pd.DataFrame(index=pd.to_datetime(calendar[:days]), columns=instruments, dtype=float)
    closes = {}
    for name in instruments:
        path = store / "features" / name.lower() / "close.day.bin"
        raw = np.fromfile(path, dtype="<f4")
        first = int(raw[0])
        series = np.full(len(calendar), np.nan)
        series[first:first + len(raw) - 1] = raw[1:]
        closes[name] = series[:days]
    panel = pd.DataFrame(closes, index=pd.to_datetime(calendar[:days])).ffill().bfill()
    panel.to_csv(work / "close.csv")
    del prices
    result = run([REPO / ".venv-bt" / "bin" / "python", REPO / "bench" / "backtest_bench_vbt.py", out,
                  work / "close.csv", "--cash", 1e8, "--fees", 0.001, "--repeats", args.repeats])
    vbt = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"vectorbt {vbt['version']} from_orders on the same {vbt['orders']} orders: {vbt['seconds']:.3f} s "
          f"(after a warm-up call), {cells / vbt['seconds']:,.0f} instrument-days/s")
    rows.append(Row("TopK-dropout 50/5 vs vectorbt from_orders", f"{ours_best:.3f} s", f"{vbt['seconds']:.3f} s",
                    vbt["seconds"] / ours_best, None, "> 1x", vbt["seconds"] / ours_best > 1))
    print_table(rows)


if __name__ == "__main__":
    main()
