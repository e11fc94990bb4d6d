"""`alphaloom regime` and `alphaloom strategy` end to end on a small synthetic store: the example
workflow's hybrid strategy writes weights the backtest's target-weights strategy trades, with
predictions feeding the ML component; bad configuration ends with one line naming file, line and
key, exit code 3, and no output file."""
import numpy as np
import pandas as pd
import pytest

from conftest import ROOT

EXAMPLE = ROOT / "examples" / "hybrid_alpha.yaml"


@pytest.fixture(scope="module")
def store(alphaloom, tmp_path_factory):
    base = tmp_path_factory.mktemp("strategy_cli")
    alphaloom("-q", "synth", "--out", base / "store", "--instruments", 30, "--start", "2016-01-01", "--end",
              "2019-12-31", "--seed", 5, "--format", "qlib")
    return base / "store"


@pytest.mark.parametrize("method", ["rules", "hmm"])
def test_regime_writes_one_row_per_date(alphaloom, store, tmp_path, method):
    out = tmp_path / "regimes.parquet"
    alphaloom("-q", "regime", "--data", store, "--method", method, "--config", EXAMPLE, "--out", out)
    table = pd.read_parquet(out)
    calendar = (store / "calendars" / "day.txt").read_text().split()
    assert len(table) == len(calendar)
    labelled = table[table["regime"] != ""]
    assert len(labelled) > len(table) // 2
    probabilities = labelled[["p_bull", "p_bear", "p_choppy", "p_crash"]].to_numpy()
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    best = np.array(["bull", "bear", "choppy", "crash"])[probabilities.argmax(axis=1)]
    assert (best == labelled["regime"].to_numpy()).all()
    assert set(labelled["regime_id"].astype(int)) <= {0, 1, 2, 3}


def test_strategy_weights_feed_the_backtest(alphaloom, store, tmp_path):
    calendar = (store / "calendars" / "day.txt").read_text().split()
    names = [line.split("\t")[0] for line in (store / "instruments" / "all.txt").read_text().splitlines()]
    rng = np.random.default_rng(1)
    rows = [(d, n, 1, rng.normal(), 0.3, rng.uniform(0.2, 0.8)) for d in calendar[300:] for n in names]
    pd.DataFrame(rows, columns=["datetime", "instrument", "horizon", "yhat", "yhat_std", "prob_up"]).assign(
        model_version="v1").to_parquet(tmp_path / "pred.parquet", index=False)
    out = tmp_path / "weights.csv"
    alphaloom("-q", "strategy", "--config", EXAMPLE, "--data", store, "--predictions", tmp_path / "pred.parquet",
              "--start", "2017-01-01", "--out", out)
    weights = pd.read_csv(out, keep_default_na=False, na_values=[""])
    parts = [c for c in weights.columns if c.startswith("c_")]
    assert parts == ["c_trend", "c_mean_reversion", "c_volatility", "c_relative_strength", "c_ml"]
    assert np.allclose(weights[parts].sum(axis=1), weights["alpha_score"], atol=1e-12)
    assert (weights["alpha_score"].abs() <= 1).all()
    assert (weights["weight"] >= 0).all() and (weights["weight"] <= 0.05 + 1e-15).all()
    assert (weights.groupby("datetime")["weight"].sum() <= 1 + 1e-12).all()
    late = weights[weights["datetime"] >= calendar[300]]
    assert (late["c_ml"] != 0).mean() > 0.9  # the ML component scores where predictions exist
    assert (weights["datetime"] >= "2017-01-01").all()
    alphaloom("-q", "backtest", "--data", store, "--strategy", "weights", "--weights", out, "--out", tmp_path / "bt")
    daily = pd.read_parquet(tmp_path / "bt" / "daily.parquet")
    assert daily["turnover"].sum() > 0.5


@pytest.mark.parametrize("yaml,message", [
    ("strategy:\n  kind: hybrid\n  meta:\n    weights:\n      bull: {trend: 0.6, ml: 0.2}\n",
     "bad.yaml:5: strategy.meta.weights.bull: absolute weights sum to 0.8"),
    ("strategy:\n  kind: hybrid\n  meta:\n    weights:\n      melt_up: {trend: 1}\n",
     "bad.yaml:5: strategy.meta.weights.melt_up: unknown regime label 'melt_up'"),
    ("strategy:\n  kind: hybrid\n  sizing:\n    target_vol: -0.1\n",
     "bad.yaml:4: strategy.sizing.target_vol: must be a positive number, got -0.1"),
    ("strategy:\n  kind: hybrid\n  regime: {method: hmm, hmm: {states: 1}}\n",
     "bad.yaml:3: strategy.regime.hmm.states: 1 is outside 2..8"),
])
def test_bad_config_is_one_line_and_writes_nothing(alphaloom, store, tmp_path, yaml, message):
    config = tmp_path / "bad.yaml"
    config.write_text(yaml)
    out = tmp_path / "weights.csv"
    result = alphaloom("strategy", "--config", config, "--data", store, "--out", out, check=False)
    assert result.returncode == 3
    lines = [line for line in result.stderr.splitlines() if line]
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert not out.exists()


def test_regimes_of_real_spy(alphaloom, real_data, tmp_path):
    """SPY (pandas-ta's data) as the benchmark of a few Pooksoft stocks: the rules call the autumn
    of 2008 and March 2020 crashes and mid-2017 a bull market; the HMM sees neither crash as bull."""
    raw = tmp_path / "raw"
    raw.mkdir()
    folder = real_data / "PooksoftSP500EquityPriceDataSet" / "daily_adjusted"
    for ticker in ("AAPL", "MSFT", "JPM"):
        (raw / f"DA-{ticker}-T-2021-04-21.csv").symlink_to(folder / f"DA-{ticker}-T-2021-04-21.csv")
    (raw / "SPY.csv").symlink_to(real_data / "pandas-ta" / "data" / "SPY_D.csv")
    alphaloom("-q", "ingest", "--input", raw, "--out", tmp_path / "store", "--benchmark", "SPY")
    labels = {}
    for method in ("rules", "hmm"):
        out = tmp_path / f"{method}.csv"
        alphaloom("-q", "regime", "--data", tmp_path / "store", "--method", method, "--end", "2020-08-28", "--out", out)
        table = pd.read_csv(out, keep_default_na=False)
        labels[method] = dict(zip(table["datetime"], table["regime"]))
    assert labels["rules"]["2008-10-15"] == "crash"
    assert labels["rules"]["2020-03-16"] == "crash"
    assert labels["rules"]["2017-06-01"] == "bull"
    for day in ("2008-10-15", "2009-03-09", "2020-03-16", "2020-03-23"):
        assert labels["hmm"][day] in ("bear", "crash"), day
    assert labels["hmm"]["2017-06-01"] == "bull"


def test_duplicate_predictions_are_one_data_error(alphaloom, store, tmp_path):
    calendar = (store / "calendars" / "day.txt").read_text().split()
    rows = [(calendar[400], "S0001", 0.1, 0.6), (calendar[400], "S0001", 0.2, 0.7)]
    pd.DataFrame(rows, columns=["datetime", "instrument", "yhat", "prob_up"]).to_csv(tmp_path / "pred.csv", index=False)
    out = tmp_path / "weights.csv"
    result = alphaloom("strategy", "--config", EXAMPLE, "--data", store, "--predictions", tmp_path / "pred.csv",
                       "--out", out, check=False)
    assert result.returncode == 4
    assert f"predictions: two rows for S0001 on {calendar[400]} (horizon 1)" in result.stderr
    assert len([line for line in result.stderr.splitlines() if line]) == 1
    assert not out.exists()
