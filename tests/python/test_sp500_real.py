"""examples/sp500_real.yaml on the real Pooksoft S&P 500 bars (../shared/data/real): the whole
workflow from the upstream CSV folder to the report, and `alphaloom config check` accepts the file.

The run is the example as written except for where it writes (a temporary store, run folder and
cache) and two overrides that keep it to about a minute on 2 busy cores: the walk-forward starts
in 2012 instead of 2000 (three yearly test folds, 2018-2021, instead of fourteen) and LightGBM
stops at 100 rounds instead of 300. Every other key (ingest with on_error: skip, Alpha158, the
label, the rolling 5-year window, TopK-dropout 20/3, US costs, the HTML report) is the file's.

Asserted: the ingest keeps the 109 CSV files and skips BF.B (an API error body) with a warning
naming it; every traded score is out of sample (the first test day is after the first fold's
training and validation years) and the backtest covers the out-of-fold dates; the metrics and the
report are written. Skips when ../shared/data/real is absent.
"""
import json
import math

import pandas as pd

from conftest import ROOT

EXAMPLE = ROOT / "examples" / "sp500_real.yaml"


def test_config_check_accepts_the_example(alphaloom):
    result = alphaloom("config", "check", EXAMPLE)
    assert result.returncode == 0


def test_sp500_real_example_runs(alphaloom, real_data, tmp_path):
    bars = real_data / "PooksoftSP500EquityPriceDataSet" / "daily_adjusted"
    result = alphaloom("run", EXAMPLE, "--set", f"data.store={tmp_path / 'store'}",
                       "--set", f"data.ingest.input={bars}", "--set", "cv.start=2012-01-01",
                       "--set", "model.num_rounds=100", "--set", f"output.dir={tmp_path / 'runs'}",
                       "--set", f"output.cache={tmp_path / 'cache'}", "--out", tmp_path / "run")
    assert "BF.B" in result.stderr + result.stdout

    instruments = (tmp_path / "store" / "instruments" / "all.txt").read_text().split("\n")
    names = {line.split("\t")[0] for line in instruments if line.strip()}
    assert len(names) == 109 and "BF.B" not in names and {"AAPL", "MSFT", "TSLA"} <= names

    run = tmp_path / "run"
    training = json.loads((run / "train" / "metrics.json").read_text())
    folds = training["folds"]
    assert len(folds) >= 3
    oof = pd.read_parquet(run / "train" / "oof_predictions.parquet")
    oof_dates = pd.to_datetime(oof["datetime"])
    # The first fold trains on 1260 days and validates on 250 after 2012-01-01: no score before 2018.
    assert oof_dates.min() >= pd.Timestamp("2018-01-01")
    assert oof_dates.max() <= pd.Timestamp("2021-04-21")
    assert math.isfinite(training["overall"]["ic"]) and training["overall"]["ic_days"] == oof_dates.nunique()

    daily = pd.read_parquet(run / "backtest" / "daily.parquet")
    traded = pd.to_datetime(daily["datetime"])
    assert traded.min() >= oof_dates.min() and traded.max() <= oof_dates.max() + pd.Timedelta(days=5)
    assert len(traded) >= oof_dates.nunique() - 1
    summary = json.loads((run / "summary.json").read_text())
    print(f"sp500_real (2018-2021 folds, 100 rounds): out-of-fold IC {training['overall']['ic']:.4f}, "
          f"rank IC {training['overall']['rank_ic']:.4f}, {len(daily)} trading days")
    assert summary["backtest"]
    assert (run / "report" / "index.html").stat().st_size > 0
