"""Runs inside .venv-qlib: computes a factor set (Alpha158 by default) with Qlib's own expression
engine, `D.features`, on a store in Qlib's on-disk layout, and writes one row per
(datetime, instrument), sorted, then one float32 column per factor in the factor file's order.

usage: qlib_alpha158.py STORE OUT.parquet|OUT.csv [--instruments A,B|all] [--start D] [--end D]
                        [--set alpha158|alpha360] [--factors FILE] [--kernels N]

The factor names and expressions come from src/alphaloom/factors/<set>.txt (`NAME = expression`
lines), or from --factors FILE in the same format. The last stdout line is one JSON object with
the timings (init_seconds, features_seconds, total_seconds) and the sizes, for the benchmarks.

Qlib behaviour this script normalises (pyqlib 0.9.7):
* D.features names its columns by the requested expression strings and keeps the requested
  order (it computes in sorted, space-stripped order internally and re-selects); the columns are
  renamed to the factor names by position, after checking that order.
* D.features returns a (instrument, datetime) index; it is swapped to (datetime, instrument) and
  sorted, as Qlib's own DataHandler does.
* Every expression result is cast to float32 by Qlib; the frame is cast again to be explicit.
* A field without a .bin file (e.g. no vwap.day.bin) loads as an empty series: the column is
  all-NaN rather than an error. The script warns on stderr about all-NaN columns.
"""
import argparse
import json
import pathlib
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
FACTOR_DIR = ROOT / "src" / "alphaloom" / "factors"


def read_factor_file(path):
    """[(name, expression)] of a `NAME = expression` file ('#' comments and blank lines skipped)."""
    pairs = []
    for number, line in enumerate(pathlib.Path(path).read_text().splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, expression = line.partition("=")
        if not sep or not name.strip() or not expression.strip():
            raise SystemExit(f"{path}:{number}: expected `NAME = expression`, got {line!r}")
        pairs.append((name.strip(), expression.strip()))
    names = [name for name, _ in pairs]
    if len(set(names)) != len(names):
        raise SystemExit(f"{path}: duplicate factor names")
    return pairs


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store")
    parser.add_argument("out")
    parser.add_argument("--instruments", default="all", help="comma-separated codes, or 'all' (the store's market)")
    parser.add_argument("--start", default=None)
    parser.add_argument("--end", default=None)
    parser.add_argument("--set", default="alpha158", help="factor set name: src/alphaloom/factors/<set>.txt")
    parser.add_argument("--factors", default=None, help="explicit factor file (overrides --set)")
    parser.add_argument("--kernels", type=int, default=1, help="Qlib worker processes (one task per instrument)")
    return parser.parse_args(argv)


def compute(store, pairs, instruments="all", start=None, end=None, kernels=1):
    """Returns (frame, timings): frame has columns datetime, instrument, then one float32 column per pair."""
    import numpy as np
    import pandas as pd
    import qlib
    from qlib.constant import REG_US
    from qlib.data import D

    t0 = time.perf_counter()
    qlib.init(provider_uri=str(store), region=REG_US, expression_cache=None, dataset_cache=None, kernels=kernels)
    t1 = time.perf_counter()
    names = [name for name, _ in pairs]
    expressions = [expression for _, expression in pairs]
    universe = D.instruments("all") if instruments == "all" else [s for s in instruments.split(",") if s]
    raw = D.features(universe, expressions, start_time=start, end_time=end, freq="day")
    t2 = time.perf_counter()

    if list(raw.columns) != expressions:
        raise SystemExit("D.features returned columns in an unexpected order: " + repr(list(raw.columns)[:5]))
    if list(raw.index.names) != ["instrument", "datetime"]:
        raise SystemExit(f"D.features returned index {raw.index.names}, expected (instrument, datetime)")
    raw.columns = names
    frame = raw.swaplevel().sort_index().astype(np.float32)
    frame = frame.reset_index()
    frame["datetime"] = pd.to_datetime(frame["datetime"])
    frame["instrument"] = frame["instrument"].astype(str)
    t3 = time.perf_counter()
    return frame, {"init_seconds": t1 - t0, "features_seconds": t2 - t1, "total_seconds": t3 - t0}


def write(frame, out):
    out = pathlib.Path(out)
    tmp = out.with_name(out.name + ".tmp")
    if out.suffix == ".csv":
        frame.to_csv(tmp, index=False, float_format="%.9g", date_format="%Y-%m-%d")
    else:
        frame.to_parquet(tmp, index=False)
    tmp.replace(out)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    factor_file = args.factors or FACTOR_DIR / f"{args.set}.txt"
    pairs = read_factor_file(factor_file)
    frame, timings = compute(args.store, pairs, args.instruments, args.start, args.end, args.kernels)
    write(frame, args.out)
    empty = [name for name, _ in pairs if frame[name].isna().all()]
    if empty and len(frame):
        print(f"warning: {len(empty)} all-NaN columns (missing field?): {', '.join(empty[:10])}", file=sys.stderr)
    report = {"set": args.factors or args.set, "instruments": int(frame["instrument"].nunique()),
              "rows": len(frame), "columns": len(pairs), "kernels": args.kernels,
              **{k: round(v, 3) for k, v in timings.items()}}
    print(f"qlib {report['set']}: {report['instruments']} instruments, {report['rows']} rows x "
          f"{report['columns']} columns in {timings['features_seconds']:.2f} s (D.features, kernels={args.kernels}), "
          f"{timings['total_seconds']:.2f} s total")
    print(json.dumps(report))


if __name__ == "__main__":
    main()
