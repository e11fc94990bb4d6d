"""Qlib's LightGBM / Alpha158 benchmark model (reference/qlib.md section 5) reproduced by
`alphaloom run examples/qlib_benchmark.yaml` on a store both tools read: the test segment's IC
equals Qlib's LGBModel IC within 0.002 (pyqlib 0.9.7 in .venv-qlib, harness
tests/python/qlib_lgb_benchmark.py).

The example spells the same run as a workflow: Alpha158, Qlib's label with the per-day
z-score as training target and rows on suspended days kept (require_bar: false, as Qlib's rows
span every calendar day), fixed segments without purging (Qlib does not purge), the benchmark's
LightGBM parameters with LightGBM's default seeds (Qlib passes no seed), 1000 rounds and early
stopping after 50 on the valid segment.
"""
import json
import subprocess

import pandas as pd
import pytest

from conftest import ROOT

SEGMENTS = ["2014-01-01", "2017-12-31", "2018-01-01", "2018-12-31", "2019-01-01", "2020-12-31"]


def test_lgbmodel_test_ic_matches_qlib(alphaloom, qlib_python, tmp_path):
    alphaloom("synth", "--out", tmp_path / "raw", "--instruments", 60, "--start", "2014-01-01", "--end", "2020-12-31",
              "--seed", 21)
    alphaloom("ingest", "--input", tmp_path / "raw", "--out", tmp_path / "store", "--benchmark", "BENCH")
    result = subprocess.run([str(qlib_python), str(ROOT / "tests" / "python" / "qlib_lgb_benchmark.py"),
                             str(tmp_path / "store"), str(tmp_path / "qlib.json"), *SEGMENTS],
                            capture_output=True, text=True, timeout=900, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    qlib = json.loads((tmp_path / "qlib.json").read_text())
    # examples/qlib_benchmark.yaml as it is, pointed at this store and these segments.
    alphaloom("run", ROOT / "examples" / "qlib_benchmark.yaml", "--set", f"data.store={tmp_path / 'store'}",
              "--set", f"cv.train={{start: {SEGMENTS[0]}, end: {SEGMENTS[1]}}}",
              "--set", f"cv.valid={{start: {SEGMENTS[2]}, end: {SEGMENTS[3]}}}",
              "--set", f"cv.test={{start: {SEGMENTS[4]}, end: {SEGMENTS[5]}}}",
              "--set", "report.html=false", "--set", f"output.dir={tmp_path / 'runs'}",
              "--set", f"output.cache={tmp_path / 'cache'}", "--out", tmp_path / "run")
    ours = json.loads((tmp_path / "run" / "train" / "metrics.json").read_text())
    print(f"test IC: AlphaLoom {ours['overall']['ic']:.5f}, Qlib {qlib['ic']:.5f}; rank IC "
          f"{ours['overall']['rank_ic']:.5f} vs {qlib['rank_ic']:.5f}; best iteration "
          f"{ours['folds'][0]['best_iteration']} vs {qlib['best_iteration']}")
    assert ours["overall"]["ic_days"] == qlib["ic_days"]
    assert ours["overall"]["ic"] == pytest.approx(qlib["ic"], abs=0.002)
    assert ours["overall"]["rank_ic"] == pytest.approx(qlib["rank_ic"], abs=0.002)
    assert ours["folds"][0]["best_iteration"] == qlib["best_iteration"]
    # The same model, up to LightGBM's histogram construction (row-wise here, Python's choice there).
    theirs = pd.DataFrame(qlib["predictions"], columns=["datetime", "instrument", "qlib"])
    theirs["datetime"] = pd.to_datetime(theirs["datetime"])
    oof = pd.read_parquet(tmp_path / "run" / "train" / "oof_predictions.parquet")
    oof["datetime"] = pd.to_datetime(oof["datetime"])
    joined = oof.merge(theirs, on=["datetime", "instrument"])
    assert len(joined) == len(oof)
    assert joined["yhat"].corr(joined["qlib"]) > 0.999
