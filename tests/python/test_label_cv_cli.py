"""`alphaloom label` and `alphaloom cv plan` end to end.

* Forward-return labels equal Qlib's own label expressions computed by pyqlib's D.features on the
  same store (the harness of test_alpha_parity.py with a factor file of label expressions);
  the only rows Qlib has and AlphaLoom does not are days the instrument itself has no bar.
* The per-day normalisations equal pandas' groupby z-score (ddof 1) and rank(pct=True) recipes.
* Fold plans obey the purge rule on the real rows, and bad input is one clear line.
"""
import json
import subprocess

import numpy as np
import pandas as pd
import pytest

from conftest import ROOT

HERE = ROOT / "tests" / "python"


@pytest.fixture(scope="module")
def store(alphaloom, tmp_path_factory):
    base = tmp_path_factory.mktemp("labels")
    alphaloom("synth", "--out", base / "raw", "--instruments", 12, "--start", "2019-01-01", "--end", "2020-12-31",
              "--seed", 5)
    alphaloom("ingest", "--input", base / "raw", "--out", base / "store", "--benchmark", "BENCH")
    return base / "store"


def read(path):
    frame = pd.read_parquet(path) if str(path).endswith(".parquet") else pd.read_csv(path)
    frame["datetime"] = pd.to_datetime(frame["datetime"])
    frame["t1"] = pd.to_datetime(frame["t1"])
    return frame.set_index(["datetime", "instrument"])


def test_forward_labels_equal_qlibs(alphaloom, qlib_python, store, tmp_path):
    factors = tmp_path / "labels.txt"
    factors.write_text("CLOSE = $close\n"
                       "QLIB1 = Ref($close, -2)/Ref($close, -1) - 1\n"
                       "QLIB5 = Ref($close, -6)/Ref($close, -1) - 1\n"
                       "C2C3 = Ref($close, -3)/$close - 1\n")
    result = subprocess.run([str(qlib_python), str(HERE / "qlib_alpha158.py"), str(store), str(tmp_path / "q.parquet"),
                             "--factors", str(factors)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    qlib = pd.read_parquet(tmp_path / "q.parquet")
    qlib["datetime"] = pd.to_datetime(qlib["datetime"])
    qlib = qlib.set_index(["datetime", "instrument"])
    for column, args in [("QLIB1", ["--horizon", 1]), ("QLIB5", ["--horizon", 5]),
                         ("C2C3", ["--horizon", 3, "--form", "close"])]:
        out = tmp_path / f"{column}.parquet"
        alphaloom("label", "--data", store, "--kind", "forward", *args, "--out", out)
        ours = read(out)
        theirs = qlib[column].dropna()
        missing = theirs.index.difference(ours.index)
        extra = ours.index.difference(theirs.index)
        assert len(extra) == 0, f"{column}: rows Qlib does not have: {list(extra[:5])}"
        # Qlib also labels days on which the instrument has no bar of its own; AlphaLoom does not.
        assert qlib.loc[missing, "CLOSE"].isna().all(), f"{column}: unexplained missing rows"
        assert len(ours) > 0.9 * len(theirs)
        joined = ours.join(theirs.rename("qlib"), how="inner")
        # Qlib computes in float32; AlphaLoom in double from the same float32 closes.
        np.testing.assert_allclose(joined["label"], joined["qlib"], rtol=2e-6, atol=1e-7, err_msg=column)
        # t1 is the last bar used: h+1 rows on for Qlib's form, h for close-to-close.
        dates = qlib.index.get_level_values("datetime").unique().sort_values()
        position = pd.Series(np.arange(len(dates)), index=dates)
        shift = int(args[1]) + (0 if "--form" in args else 1)
        assert (position[ours["t1"]].to_numpy() - position[ours.index.get_level_values("datetime")].to_numpy()
                == shift).all()


def test_several_horizons_write_one_file_each(alphaloom, store, tmp_path):
    alphaloom("label", "--data", store, "--kind", "forward", "--horizon", "1,3,5", "--out", tmp_path / "f.csv")
    assert not (tmp_path / "f.csv").exists()
    single = read(tmp_path / "f_h3.csv")
    alphaloom("label", "--data", store, "--kind", "forward", "--horizon", 3, "--out", tmp_path / "three.csv")
    assert single.equals(read(tmp_path / "three.csv"))
    assert len(read(tmp_path / "f_h1.csv")) > len(read(tmp_path / "f_h5.csv")) > 0


def test_cross_sectional_norms_equal_pandas(alphaloom, store, tmp_path):
    alphaloom("label", "--data", store, "--kind", "forward", "--out", tmp_path / "raw.csv")
    raw = read(tmp_path / "raw.csv")["label"]
    alphaloom("label", "--data", store, "--kind", "forward", "--normalize", "cs_zscore", "--out", tmp_path / "z.csv")
    alphaloom("label", "--data", store, "--kind", "forward", "--normalize", "cs_rank", "--out", tmp_path / "r.csv")
    by_day = raw.groupby(level="datetime")
    expected_z = ((raw - by_day.transform("mean")) / by_day.transform("std")).dropna()
    expected_r = (by_day.rank(pct=True) - 0.5) * 3.46
    z = read(tmp_path / "z.csv")["label"]
    r = read(tmp_path / "r.csv")["label"]
    assert z.index.equals(expected_z.index)
    np.testing.assert_allclose(z, expected_z, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(r, expected_r.loc[r.index], rtol=1e-12, atol=1e-12)


def test_triple_barrier_meta_states_and_weights(alphaloom, store, tmp_path):
    alphaloom("label", "--data", store, "--kind", "triple-barrier", "--span", 20, "--vertical-bars", 10,
              "--weights", "uniqueness", "--decay", 0.5, "--out", tmp_path / "tb.parquet")
    tb = read(tmp_path / "tb.parquet")
    assert set(tb["label"].unique()) <= {-1.0, 0.0, 1.0}
    assert (tb["t1"] > tb.index.get_level_values("datetime")).all()
    alphaloom("label", "--data", store, "--kind", "triple-barrier", "--span", 20, "--vertical-bars", 10,
              "--weights", "uniqueness", "--out", tmp_path / "plain.parquet")
    uniqueness = read(tmp_path / "plain.parquet")["weight"]
    assert (uniqueness > 0).all() and (uniqueness <= 1).all()
    # weight = uniqueness x decay; with c = 0.5 the decay rises from about 0.5 to 1 per instrument.
    decay = tb["weight"] / uniqueness
    for _, factor in decay.groupby(level="instrument"):
        assert factor.is_monotonic_increasing and factor.iloc[-1] == pytest.approx(1.0)
        assert 0.5 <= factor.iloc[0] < 0.52
    alphaloom("label", "--data", store, "--kind", "meta", "--side", "Sign(Mean($close,5)-Mean($close,20))",
              "--vertical-bars", 10, "--out", tmp_path / "meta.csv")
    assert set(read(tmp_path / "meta.csv")["label"].unique()) == {0.0, 1.0}
    alphaloom("label", "--data", store, "--kind", "states", "--horizon", 5, "--thresholds=-0.05,-0.01,0.01,0.05",
              "--out", tmp_path / "s.csv")
    assert set(read(tmp_path / "s.csv")["label"].unique()) <= {-2.0, -1.0, 0.0, 1.0, 2.0}
    alphaloom("label", "--data", store, "--kind", "forward", "--weights", "attribution", "--horizon", 3,
              "--out", tmp_path / "a.csv")
    attribution = read(tmp_path / "a.csv")["weight"]
    assert attribution.sum() == pytest.approx(len(attribution), rel=1e-9)


@pytest.mark.parametrize("args, code, needle", [
    (["--kind", "forward", "--horizon", "0"], 3, "--horizon: must be at least 1, got 0"),
    (["--kind", "forward", "--horizon", "-2"], 3, "--horizon: must be at least 1"),
    (["--kind", "forward", "--horizon", "x"], 3, "--horizon: expected a list of numbers, got 'x'"),
    (["--kind", "forward", "--horizon", "2.5"], 3, "--horizon: expected a whole number of bars, got 2.5"),
    (["--kind", "forward", "--span", "3"], 3, "--span: unknown key"),
    (["--kind", "sideways"], 3, "--kind: 'sideways' is not one of"),
    (["--kind", "meta"], 3, "--side: meta-labels need"),
    (["--kind", "meta", "--side", "Sign(Mean($close, ))"], 3, "^"),
    (["--kind", "triple-barrier", "--vertical-bars", "0"], 3, "--vertical-bars: must be at least 1"),
    (["--kind", "forward", "--instruments", "NOPE"], 6, "unknown instrument 'NOPE'"),
    (["--kind", "forward", "--decay", "1.5"], 3, "--decay: must be in (-1, 1]"),
])
def test_label_errors_are_one_line_and_write_nothing(alphaloom, store, tmp_path, args, code, needle):
    out = tmp_path / "out.csv"
    result = alphaloom("label", "--data", store, *args, "--out", out, check=False)
    assert result.returncode == code, result.stderr
    assert needle in result.stderr
    assert not out.exists()


def plan(alphaloom, tmp_path, text, *extra, check=True):
    config = tmp_path / "wf.yaml"
    config.write_text(text)
    return alphaloom("cv", "plan", "--config", config, *extra, check=check)


def test_cv_plan_kfold_and_cpcv(alphaloom, store, tmp_path):
    base = f"data: {{store: {store}}}\nlabel: {{kind: forward, horizon: 5}}\n"
    result = plan(alphaloom, tmp_path, base + "cv: {kind: purged_kfold, folds: 5, embargo_pct: 0.02}\n", "--json",
                  "--out", tmp_path / "plan.json")
    shown = json.loads(result.stdout)
    assert json.loads((tmp_path / "plan.json").read_text()) == shown
    folds = shown["folds"]
    assert len(folds) == 5 and sum(f["test"]["rows"] for f in folds) == shown["rows"]
    for fold in folds:
        assert fold["train"]["rows"] + fold["test"]["rows"] + fold["purged"] + fold["embargoed"] == shown["rows"]
    # h = 5 (Qlib form): 6 dates of training labels reach into each test block from the left.
    assert folds[1]["purged"] > 0 and folds[0]["embargoed"] > 0 and folds[-1]["embargoed"] == 0
    text = plan(alphaloom, tmp_path, base + "cv: {kind: cpcv, groups: 6, test_groups: 2}\n").stdout
    assert "cpcv: 15 folds" in text and "5 backtest paths over 6 groups" in text


def test_cv_plan_from_a_label_file(alphaloom, store, tmp_path):
    alphaloom("label", "--data", store, "--kind", "forward", "--horizon", 2, "--out", tmp_path / "l.parquet")
    text = plan(alphaloom, tmp_path, "cv: {kind: walk_forward, train_days: 200, test_days: 100}\n",
                "--labels", tmp_path / "l.parquet").stdout
    assert "walk_forward: 4 folds over 5564 rows, 520 dates" in text  # test blocks at 200, 300, 400, 500
    (tmp_path / "no_t1.csv").write_text("datetime,instrument,label\n2020-01-02,A,0.1\n")
    result = plan(alphaloom, tmp_path, "cv: {kind: purged_kfold}\n", "--labels", tmp_path / "no_t1.csv", check=False)
    assert result.returncode == 4 and "no_t1.csv: missing column 't1'" in result.stderr


@pytest.mark.parametrize("cv, code, needle", [
    ("cv: {kind: purged_kfold, fold: 3}", 3, "wf.yaml:3: cv.fold: unknown key"),
    ("cv: {kind: purged_kfold, folds: 1}", 3, "cv.folds: need at least 2"),
    ("cv: {kind: purged_kfold, folds: 100000}", 3, "cv.folds: 100000 folds but the samples cover only"),
    ("cv: {kind: purged_kfold, embargo_pct: 1.5}", 3, "cv.embargo_pct: must be in [0, 1)"),
    ("cv: {kind: purged_kfold, folds: 2, embargo_pct: 0.9}", 3, "no training rows"),
    ("cv: {kind: cpcv, groups: 4, test_groups: 4}", 3, "cv.test_groups: must be in [1, 4)"),
    ("cv: {kind: walk_forward, train_days: 5000}", 3, "no room for a test block"),
    ("cv: {kind: walk_forward, test_days: 0}", 3, "cv.test_days: must be at least 1"),
    ("cv: {kind: segments, train: {start: 2019-01-01, end: 2020-01-01}, test: {start: 2019-06-01, end: 2020-12-31}}",
     3, "in date order without overlap"),
    ("cv: {kind: segments, train: {start: 2019-01-01}, test: {start: 2020-06-01, end: 2020-12-31}}",
     3, "cv.train.end: missing"),
    ("cv: {kind: kfold}", 3, "cv.kind: 'kfold' is not one of"),
    ("cvv: {}", 3, "cvv: unknown key"),
])
def test_cv_plan_errors(alphaloom, store, tmp_path, cv, code, needle):
    result = plan(alphaloom, tmp_path, f"data: {{store: {store}}}\nlabel: {{kind: forward}}\n{cv}\n", check=False)
    assert result.returncode == code, result.stderr
    assert needle in result.stderr
    assert len([line for line in result.stderr.splitlines() if line.strip()]) == 1
