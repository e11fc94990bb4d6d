"""`alphaloom backtest` and `alphaloom report` end to end on a small synthetic store: every
strategy writes a complete run folder, bad input ends with one clear line and the exit code of
its kind, and the report holds real PNG charts embedded in one HTML file."""
import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest


@pytest.fixture(scope="module")
def setup(alphaloom, tmp_path_factory):
    base = tmp_path_factory.mktemp("bt_cli")
    alphaloom("-q", "synth", "--out", base / "raw", "--instruments", 12, "--start", "2020-01-01", "--end",
              "2020-12-31", "--seed", 2)
    alphaloom("-q", "ingest", "--input", base / "raw", "--out", base / "store", "--benchmark", "BENCH")
    store = base / "store"
    calendar = (store / "calendars" / "day.txt").read_text().split()
    names = [line.split("\t")[0] for line in (store / "instruments" / "all.txt").read_text().splitlines()]
    rng = np.random.default_rng(3)
    rows = [(d, n, rng.normal()) for d in calendar[20:200] for n in names]
    pd.DataFrame(rows, columns=["datetime", "instrument", "yhat"]).assign(model_version="v1").to_parquet(
        base / "pred.parquet", index=False)
    weights = [(d, n, 1.0 / len(names)) for d in calendar[20:200:20] for n in names]
    pd.DataFrame(weights, columns=["datetime", "instrument", "weight"]).to_csv(base / "weights.csv", index=False)
    return base, store, names


@pytest.mark.parametrize("strategy", ["topk", "weights", "quantile"])
def test_each_strategy_writes_a_run_folder(alphaloom, setup, tmp_path, strategy):
    base, store, _ = setup
    source = ["--weights", base / "weights.csv"] if strategy == "weights" else ["--signal", base / "pred.parquet"]
    alphaloom("-q", "backtest", "--data", store, *source, "--strategy", strategy, "--topk", 4, "--n-drop", 1,
              "--trade-unit", 1, "--no-limit", "--out", tmp_path / "run")
    daily = pd.read_parquet(tmp_path / "run" / "daily.parquet")
    assert np.allclose(daily["cash"] + daily["holdings_value"], daily["account"], rtol=1e-12)
    assert daily["turnover"].sum() > 0.5
    csv = pd.read_csv(tmp_path / "run" / "daily.csv")
    assert np.allclose(csv["return"], daily["return"], rtol=1e-12, atol=1e-15)
    trades = pd.read_parquet(tmp_path / "run" / "trades.parquet")
    assert set(trades["status"]) <= {"filled", "partial", "empty", "suspended", "limit", "cash"}
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["conventions"]["preset"] == "qlib" and "risk_analysis" in summary
    if strategy == "quantile":
        assert (pd.read_parquet(tmp_path / "run" / "positions.parquet")["amount"] < 0).any()
    if strategy != "weights":
        assert "signal" in summary and (tmp_path / "run" / "ic.parquet").exists()


def test_signal_file_layout_changes_nothing(alphaloom, setup, tmp_path):
    """Instruments are read as dictionary codes: Parquet with or without dictionary pages, in
    several row groups, rows shuffled (names first seen in another order), or CSV, trade alike."""
    base, store, _ = setup
    pred = pd.read_parquet(base / "pred.parquet")
    shuffled = pred.sample(frac=1.0, random_state=4)
    table = pa.Table.from_pandas(shuffled, preserve_index=False)
    layouts = {
        "dictionary.parquet": lambda path: pred.to_parquet(path, index=False),
        "plain.parquet": lambda path: pq.write_table(table, path, use_dictionary=False, row_group_size=500),
        "groups.parquet": lambda path: pq.write_table(table, path, row_group_size=700),
        "shuffled.csv": lambda path: shuffled.to_csv(path, index=False),
    }
    outputs = {}
    for name, write in layouts.items():
        write(tmp_path / name)
        alphaloom("-q", "backtest", "--data", store, "--signal", tmp_path / name, "--topk", 4, "--n-drop", 1,
                  "--out", tmp_path / f"run-{name}")
        files = ("daily.csv", "trades.csv", "positions.csv", "ic.csv")
        outputs[name] = [(tmp_path / f"run-{name}" / file).read_text() for file in files]
    assert len(outputs["dictionary.parquet"][1].splitlines()) > 50
    for name, texts in outputs.items():
        assert texts == outputs["dictionary.parquet"], name


def test_bad_input_is_one_clear_error(alphaloom, setup, tmp_path):
    base, store, names = setup
    calendar = (store / "calendars" / "day.txt").read_text().split()
    cases = {
        "unknown": (pd.DataFrame({"datetime": [calendar[30]], "instrument": ["NOPE"], "score": [1.0]}), [], 6, "NOPE"),
        "date": (pd.DataFrame({"datetime": ["1999-01-04"], "instrument": [names[0]], "score": [1.0]}), [], 4,
                 "1999-01-04"),
        "negative": (pd.DataFrame({"datetime": [calendar[30]] * 2, "instrument": names[:2], "weight": [0.5, -0.1]}),
                     ["--strategy", "weights"], 4, "negative weight"),
        "cash": (pd.DataFrame({"datetime": [calendar[30]], "instrument": [names[0]], "score": [1.0]}),
                 ["--account", 0], 3, "initial cash"),
    }
    for name, (frame, extra, code, text) in cases.items():
        path = tmp_path / f"{name}.csv"
        frame.to_csv(path, index=False)
        source = ["--weights", path] if "weights" in extra else ["--signal", path]
        result = alphaloom("backtest", "--data", store, *source, *extra, "--out", tmp_path / name, check=False)
        assert result.returncode == code, (name, result.stderr)
        assert text in result.stderr and result.stderr.count("\n") == 1, (name, result.stderr)
        assert not (tmp_path / name).exists()


def test_report_embeds_real_png_charts(alphaloom, setup, tmp_path):
    base, store, _ = setup
    alphaloom("-q", "backtest", "--data", store, "--signal", base / "pred.parquet", "--topk", 4, "--n-drop", 1,
              "--out", tmp_path / "run")
    (tmp_path / "importance.csv").write_text("feature,gain,split\nKMID,10,3\nROC5,4,2\n")
    alphaloom("-q", "report", "--run", tmp_path / "run", "--importance", tmp_path / "importance.csv", "--out",
              tmp_path / "report")
    charts = json.loads((tmp_path / "report" / "charts.json").read_text())
    names = [chart["name"] for chart in charts]
    assert names == ["equity", "drawdown", "rolling_sharpe", "monthly_returns", "ic", "turnover", "importance"]
    html = (tmp_path / "report" / "index.html").read_text()
    for chart in charts:
        png = (tmp_path / "report" / chart["file"]).read_bytes()
        assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000
    assert html.count("data:image/png;base64,") == len(charts)
    bad = alphaloom("report", "--run", tmp_path, "--out", tmp_path / "r2", check=False)
    assert bad.returncode == 5 and "not a backtest run folder" in bad.stderr
