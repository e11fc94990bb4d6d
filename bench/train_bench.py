"""Training benchmark: AlphaLoom's train stage against the `lightgbm` Python package and Qlib's
DatasetH, on one synthetic market in one run.

usage: .venv/bin/python bench/train_bench.py [--instruments N] [--days N] [--rounds R] [--threads T]
                                             [--repeats K] [--work DIR] [--binary PATH] [--skip-qlib]

The run is Qlib's LightGBM / Alpha158 benchmark shape (reference/qlib.md section 5): Alpha158,
Qlib's label z-scored per day, segments train (first 60% of the days), valid (next 10%), test (the
rest), the benchmark's LightGBM parameters, R rounds without early stopping, T threads.

alphaloom   `alphaloom --threads T train`: metrics.json's seconds: prepare (store -> Alpha158,
            labels, learning set), fit, predict.
lightgbm    the same training matrix (AlphaLoom's Alpha158 and label files, joined and z-scored
            in pandas) given to `lgb.Dataset` + `lgb.train` with the same parameters and threads;
            fit = Dataset construction + train, predict = `Booster.predict` on the test rows.
With --repeats K the two trainings alternate K times (AlphaLoom, package, AlphaLoom, ...) and the
fastest of each counts, so a burst of load on a shared machine hits both sides alike.
qlib        tests/python/qlib_lgb_benchmark.py --prepare-only in .venv-qlib: the Alpha158 handler
            and DatasetH.prepare of the three segments (kernels=1).
"""
import argparse
import json
import os
import pathlib
import subprocess
import time

import lightgbm as lgb
import numpy as np
import pandas as pd

ROOT = pathlib.Path(__file__).resolve().parents[1]
PARAMS = {"objective": "mse", "learning_rate": 0.2, "feature_fraction": 0.8879, "bagging_fraction": 0.8789,
          "lambda_l1": 205.6999, "lambda_l2": 580.9768, "max_depth": 8, "num_leaves": 210, "verbosity": -1,
          "deterministic": True, "force_row_wise": True, "seed": 0}


def run(*args, **kwargs):
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, args))} failed:\n{result.stderr[-3000:]}")
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--instruments", type=int, default=200)
    parser.add_argument("--days", type=int, default=1500)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--work", default="/tmp/alphaloom-train-bench")
    parser.add_argument("--binary", default=str(ROOT / "build" / "cli" / "alphaloom"))
    parser.add_argument("--skip-qlib", action="store_true")
    args = parser.parse_args()
    work = pathlib.Path(args.work) / f"m{args.instruments}x{args.days}"
    binary = args.binary
    store = work / "store"
    if not (store / "alphaloom.json").exists():
        calendar = pd.bdate_range("2012-01-02", periods=args.days)
        run(binary, "-q", "synth", "--out", work / "raw", "--instruments", args.instruments, "--start",
            calendar[0].date(), "--end", calendar[-1].date(), "--seed", 5)
        run(binary, "-q", "ingest", "--input", work / "raw", "--out", store, "--benchmark", "BENCH")
    days = pd.to_datetime((store / "calendars" / "day.txt").read_text().split())
    cut1, cut2 = days[int(len(days) * 0.6)], days[int(len(days) * 0.7)]
    segments = [days[0], cut1 - pd.Timedelta(days=1), cut1, cut2 - pd.Timedelta(days=1), cut2, days[-1]]
    segments = [str(d.date()) for d in segments]
    # Every parameter the package gets, except those the model spec owns (objective, seed, threads,
    # deterministic, verbosity), which AlphaLoom sets itself to the same values.
    lgb_params = {k: v for k, v in PARAMS.items() if k not in ("objective", "verbosity", "deterministic", "seed")}
    config = work / "wf.yaml"
    config.write_text(f"""data: {{store: {store}}}
factors: {{sets: [alpha158]}}
label: {{kind: forward, horizon: 1, form: qlib, normalize: cs_zscore, require_bar: false}}
cv: {{kind: segments, train: {{start: {segments[0]}, end: {segments[1]}}}, valid: {{start: {segments[2]}, end: {segments[3]}}},
     test: {{start: {segments[4]}, end: {segments[5]}}}, purge: false}}
model: {{kind: lightgbm, num_rounds: {args.rounds}, threads: {args.threads}, params: {json.dumps(lgb_params)}}}
""")
    # The same training matrix for the Python package.
    run(binary, "-q", "features", "--data", store, "--set", "alpha158", "--out", work / "alpha158.parquet")
    run(binary, "-q", "label", "--data", store, "--kind", "forward", "--require-bar", "false", "--out",
        work / "label.parquet")
    features = pd.read_parquet(work / "alpha158.parquet")
    labels = pd.read_parquet(work / "label.parquet")[["datetime", "instrument", "label"]]
    learn = features.merge(labels, on=["datetime", "instrument"])
    learn["datetime"] = pd.to_datetime(learn["datetime"])
    train = learn[learn["datetime"] <= segments[1]].copy()
    by_day = train.groupby("datetime")["label"]
    train["target"] = (train["label"] - by_day.transform("mean")) / by_day.transform("std")
    train = train.dropna(subset=["target"])
    test = learn[learn["datetime"] >= segments[4]]
    columns = [c for c in features.columns if c not in ("datetime", "instrument")]
    x_train = train[columns].to_numpy(np.float32)
    x_test = test[columns].to_numpy(np.float32)
    params = dict(PARAMS, num_threads=args.threads)
    runs = {"alphaloom": [], "lightgbm_fit": [], "lightgbm_predict": []}
    for _ in range(max(args.repeats, 1)):
        run(binary, "-q", "--threads", args.threads, "train", "--config", config, "--out", work / "run")
        ours = json.loads((work / "run" / "metrics.json").read_text())
        runs["alphaloom"].append(ours["seconds"])
        started = time.perf_counter()
        booster = lgb.train(params, lgb.Dataset(x_train, label=train["target"].to_numpy()), num_boost_round=args.rounds)
        runs["lightgbm_fit"].append(time.perf_counter() - started)
        started = time.perf_counter()
        booster.predict(x_test, num_threads=args.threads)
        runs["lightgbm_predict"].append(time.perf_counter() - started)
    seconds = {key: min(r[key] for r in runs["alphaloom"]) for key in ("prepare", "fit", "predict")}
    python_fit, python_predict = min(runs["lightgbm_fit"]), min(runs["lightgbm_predict"])
    assert len(train) == ours["folds"][0]["train_rows"], (len(train), ours["folds"][0]["train_rows"])

    qlib_prepare = None
    if not args.skip_qlib:
        result = run(ROOT / ".venv-qlib" / "bin" / "python", ROOT / "tests" / "python" / "qlib_lgb_benchmark.py",
                     store, work / "qlib_prepare.json", *segments, "--prepare-only", timeout=7200)
        qlib_prepare = json.loads((work / "qlib_prepare.json").read_text())["prepare_seconds"]

    print(f"market {args.instruments} instruments x {len(days)} days; Alpha158; {len(train)} training rows; "
          f"{args.rounds} rounds, {args.threads} threads, best of {max(args.repeats, 1)}; load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"{'step':<34}{'alphaloom s':>12}{'peer s':>10}{'ratio':>9}  peer")
    print(f"{'fit (Dataset + train)':<34}{seconds['fit']:>12.2f}{python_fit:>10.2f}{seconds['fit'] / python_fit:>9.3f}"
          f"  lightgbm {lgb.__version__} (Python)")
    print(f"{'predict (test rows)':<34}{seconds['predict']:>12.3f}{python_predict:>10.3f}"
          f"{seconds['predict'] / python_predict:>9.3f}  lightgbm {lgb.__version__} (Python)")
    if qlib_prepare is not None:
        print(f"{'prepare (store -> matrix)':<34}{seconds['prepare']:>12.2f}{qlib_prepare:>10.2f}"
              f"{qlib_prepare / seconds['prepare']:>8.1f}x  Qlib Alpha158 + DatasetH.prepare (kernels=1)")
    (work / "results.json").write_text(json.dumps({"alphaloom": seconds, "lightgbm_fit": python_fit,
                                                   "lightgbm_predict": python_predict, "qlib_prepare": qlib_prepare,
                                                   "runs": runs}))


if __name__ == "__main__":
    main()
