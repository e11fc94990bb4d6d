"""`alphaloom backtest --strategy topk` against Qlib's own backtest (pyqlib 0.9.7 in .venv-qlib,
driven by tests/python/qlib_backtest.py) on the same store and the same prediction file.

The store is a synthetic market (`alphaloom synth` + `alphaloom ingest`, which Qlib reads
directly) with suspensions, listings, delistings, splits and dividends ($factor != 1, so lot
rounding in raw shares matters), and a small account so that lots, min_cost and cash clipping
bind. Daily return, cost, turnover and benchmark must agree to 1e-6 (absolute, per day), the
account value to 1e-6 relative, and the risk_analysis numbers of summary.json to 1e-6.
"""
import json
import subprocess

import numpy as np
import pandas as pd
import pytest

from conftest import ROOT

HERE = ROOT / "tests" / "python"
TOL = 1e-6


@pytest.fixture(scope="module")
def market(alphaloom, tmp_path_factory):
    base = tmp_path_factory.mktemp("bt_parity")
    alphaloom("-q", "synth", "--out", base / "raw", "--instruments", 40, "--start", "2019-01-01", "--end",
              "2020-12-31", "--seed", 5)
    alphaloom("-q", "ingest", "--input", base / "raw", "--out", base / "store", "--benchmark", "BENCH")
    store = base / "store"
    calendar = (store / "calendars" / "day.txt").read_text().split()
    instruments = [line.split("\t")[0] for line in (store / "instruments" / "all.txt").read_text().splitlines()]
    rng = np.random.default_rng(17)
    dates = calendar[60:400]
    pred = pd.DataFrame([(d, i, rng.normal()) for d in dates for i in instruments],
                        columns=["datetime", "instrument", "score"])
    pred.to_csv(base / "pred_full.csv", index=False)
    # Qlib's signal holds only the names with a score: drop some rows to leave holdings unscored.
    pred = pred[rng.random(len(pred)) > 0.1]
    pred.to_csv(base / "pred.csv", index=False)
    return base, store, dates[0], calendar[400]


# case -> (options given to both sides, prediction file). With hold_thresh > 1 the book can exceed
# topk + n_drop, Qlib's `today` list is then empty and pandas' Index.union with an empty index
# returns `last` unsorted: unscored holdings keep the order of Qlib's position key set instead of
# the name order (docs/backtest.md, "Parity with Qlib"). That case uses a file scoring every name.
CASES = {
    "close_limits_lots": ([], "pred.csv"),
    "open_no_forbid_only_tradable": (["--deal-price", "open", "--no-forbid-all-trade-at-limit", "--only-tradable"],
                                     "pred.csv"),
    "vwap_no_unit_hold3": (["--deal-price", "vwap", "--trade-unit", "0", "--hold-thresh", "3", "--min-cost", "0"],
                           "pred_full.csv"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_topk_dropout_matches_qlib(alphaloom, qlib_python, market, tmp_path, case):
    base, store, start, end = market
    options, pred = CASES[case]
    common = ["--topk", "6", "--n-drop", "2", "--account", "3e5"]
    alphaloom("-q", "backtest", "--data", store, "--signal", base / pred, "--strategy", "topk", "--start", start,
              "--end", end, *common, *options, "--out", tmp_path / "run")
    result = subprocess.run([str(qlib_python), str(HERE / "qlib_backtest.py"), str(store), str(base / pred),
                             str(tmp_path / "qlib.csv"), "--start", start, "--end", end, *common, *options],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    qlib_report = json.loads(result.stdout.strip().splitlines()[-1])
    theirs = pd.read_csv(tmp_path / "qlib.csv", parse_dates=["datetime"]).set_index("datetime")
    ours = pd.read_parquet(tmp_path / "run" / "daily.parquet")
    ours["datetime"] = pd.to_datetime(ours["datetime"])
    ours = ours.set_index("datetime")
    assert list(ours.index) == list(theirs.index)
    assert ours["turnover"].sum() > 1.0, "the case must trade"
    for ours_col, theirs_col in [("return", "return"), ("cost", "cost"), ("turnover", "turnover"), ("bench", "bench")]:
        diff = (ours[ours_col] - theirs[theirs_col]).abs().max()
        assert diff <= TOL, f"{case}: {ours_col} differs by {diff}"
    assert ((ours["account"] / theirs["account"] - 1).abs().max()) <= TOL

    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    for series, numbers in qlib_report["risk_analysis"].items():
        for key, value in numbers.items():
            assert summary["risk_analysis"][series][key] == pytest.approx(value, rel=TOL, abs=TOL), (series, key)
