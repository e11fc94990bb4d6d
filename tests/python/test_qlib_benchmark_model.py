"""Qlib's LightGBM / Alpha158 benchmark model (reference/qlib.md section 5) reproduced by
`alphaloom train` on a store both tools read: the test segment's IC equals Qlib's LGBModel IC
within 0.002 (pyqlib 0.9.7 in .venv-qlib, harness tests/python/qlib_lgb_benchmark.py).

The AlphaLoom side spells the same run as a workflow: Alpha158, Qlib's label with the per-day
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
WORKFLOW = """data: {{store: {store}}}
factors: {{sets: [alpha158]}}
label: {{kind: forward, horizon: 1, form: qlib, normalize: cs_zscore, require_bar: false}}
cv:
  kind: segments
  train: {{start: {0}, end: {1}}}
  valid: {{start: {2}, end: {3}}}
  test: {{start: {4}, end: {5}}}
  purge: false
model:
  kind: lightgbm
  num_rounds: 1000
  early_stopping: 50
  threads: 2
  params: {{learning_rate: 0.2, feature_fraction: 0.8879, bagging_fraction: 0.8789, lambda_l1: 205.6999,
           lambda_l2: 580.9768, max_depth: 8, num_leaves: 210, data_random_seed: 1, bagging_seed: 3,
           feature_fraction_seed: 2, drop_seed: 4, objective_seed: 5, extra_seed: 6}}
"""


def test_lgbmodel_test_ic_matches_qlib(alphaloom, qlib_python, tmp_path):
    alphaloom("synth", "--out", tmp_path / "raw", "--instruments", 60, "--start", "2014-01-01", "--end", "2020-12-31",
              "--seed", 21)
    alphaloom("ingest", "--input", tmp_path / "raw", "--out", tmp_path / "store", "--benchmark", "BENCH")
    result = subprocess.run([str(qlib_python), str(ROOT / "tests" / "python" / "qlib_lgb_benchmark.py"),
                             str(tmp_path / "store"), str(tmp_path / "qlib.json"), *SEGMENTS],
                            capture_output=True, text=True, timeout=900, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    qlib = json.loads((tmp_path / "qlib.json").read_text())
    (tmp_path / "wf.yaml").write_text(WORKFLOW.format(*SEGMENTS, store=tmp_path / "store"))
    alphaloom("train", "--config", tmp_path / "wf.yaml", "--out", tmp_path / "run")
    ours = json.loads((tmp_path / "run" / "metrics.json").read_text())
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
    oof = pd.read_parquet(tmp_path / "run" / "oof_predictions.parquet")
    oof["datetime"] = pd.to_datetime(oof["datetime"])
    joined = oof.merge(theirs, on=["datetime", "instrument"])
    assert len(joined) == len(oof)
    assert joined["yhat"].corr(joined["qlib"]) > 0.999
