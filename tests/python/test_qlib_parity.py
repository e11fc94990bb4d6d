"""Qlib itself (pyqlib, pinned in .venv-qlib) reads a store written by `alphaloom ingest` and
returns the $close and $factor the source files imply: close = adjusted close, factor =
adjusted close / raw close, as float32, NaN on suspended days."""
import subprocess

import numpy as np
import pandas as pd
import pytest

from conftest import ROOT

HERE = ROOT / "tests" / "python"


def read_with_qlib(qlib_python, store, instruments, tmp_path):
    out = tmp_path / "qlib_features.csv"
    result = subprocess.run([str(qlib_python), str(HERE / "qlib_read_features.py"), str(store), str(out), *instruments],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-4000:]
    frame = pd.read_csv(out, parse_dates=["datetime"])
    universe = result.stdout.strip().splitlines()[-1].split(",")
    return frame, universe


def expected_from_source(path, date_column, adj_column):
    source = pd.read_csv(path, parse_dates=[date_column]).sort_values(date_column)
    return pd.DataFrame({
        "datetime": source[date_column].values,
        "close": source[adj_column].astype(np.float32).values,
        "factor": (source[adj_column] / source["close" if "close" in source else "Close"]).astype(np.float32).values,
    })


def compare(qlib_frame, instrument, expected):
    got = qlib_frame[qlib_frame.instrument == instrument].dropna(subset=["close"]).reset_index(drop=True)
    assert len(got) == len(expected), f"{instrument}: {len(got)} rows from Qlib, {len(expected)} in the source"
    assert (got.datetime.values == expected.datetime.values).all()
    np.testing.assert_allclose(got.close.values, expected.close.values, rtol=2e-7, err_msg=instrument)
    np.testing.assert_allclose(got.factor.values, expected.factor.values, rtol=2e-7, err_msg=instrument)


def test_qlib_reads_a_synthetic_csv_store(alphaloom, qlib_python, tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    dates = pd.bdate_range("2020-01-01", periods=60)
    rng = np.random.default_rng(3)
    for symbol in ["AAA", "BBB", "CON"]:  # CON exercises Qlib's reserved-name prefix
        close = 50 * np.exp(np.cumsum(rng.normal(0, 0.02, len(dates))))
        adj = close * np.linspace(0.8, 1.0, len(dates))
        frame = pd.DataFrame({"Date": dates.strftime("%Y-%m-%d"), "Open": close, "High": close * 1.01,
                              "Low": close * 0.99, "Close": close, "Adj Close": adj, "Volume": 1000})
        if symbol == "BBB":
            frame = frame.drop(index=[10, 11])  # a two-day suspension inside the span
        frame.to_csv(raw / f"{symbol}.csv", index=False)
    store = tmp_path / "store"
    alphaloom("ingest", "--input", raw, "--out", store)

    qlib_frame, universe = read_with_qlib(qlib_python, store, ["AAA", "BBB", "CON"], tmp_path)
    assert universe == ["AAA", "BBB", "CON"]
    for symbol in ["AAA", "BBB", "CON"]:
        compare(qlib_frame, symbol, expected_from_source(raw / f"{symbol}.csv", "Date", "Adj Close"))
    bbb = qlib_frame[qlib_frame.instrument == "BBB"]
    assert bbb.close.isna().sum() == 2, "suspended days must read back as NaN"


def test_qlib_reads_real_pooksoft_store(alphaloom, qlib_python, real_data, tmp_path):
    folder = real_data / "PooksoftSP500EquityPriceDataSet" / "daily_adjusted"
    tickers = ["AAPL", "ABT", "MSFT", "BRK.B", "GE"]  # splits, a spin-off, a dotted symbol
    raw = tmp_path / "raw"
    raw.mkdir()
    for ticker in tickers:
        (raw / f"DA-{ticker}-T-2021-04-21.csv").symlink_to(folder / f"DA-{ticker}-T-2021-04-21.csv")
    store = tmp_path / "store"
    alphaloom("ingest", "--input", raw, "--out", store)
    qlib_frame, universe = read_with_qlib(qlib_python, store, tickers, tmp_path)
    assert sorted(universe) == sorted(tickers)
    for ticker in tickers:
        expected = expected_from_source(folder / f"DA-{ticker}-T-2021-04-21.csv", "timestamp", "adjusted_close")
        compare(qlib_frame, ticker, expected)
