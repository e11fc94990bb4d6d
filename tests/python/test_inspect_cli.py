"""`alphaloom inspect`: one instrument of a store, checked against a synthetic market's truth.json
(listing spans, suspensions, splits, dividends), against numbers recomputed here from the store's
own .bin files, against hand-made quality problems, on real AlphaVantage data, and on bad input."""
import csv
import json
import math
import pathlib
import shutil
import struct
import subprocess

import numpy as np
import pytest

from conftest import ROOT, scale_bars_from

PERIODS = 252


def read_bin(store, symbol, field):
    """A field as stored: (calendar index of the first value, float64 values)."""
    raw = np.fromfile(pathlib.Path(store) / "features" / symbol.lower() / f"{field}.day.bin", dtype="<f4")
    return int(raw[0]), raw[1:].astype(np.float64)


def calendar(store):
    return (pathlib.Path(store) / "calendars" / "day.txt").read_text().split()


def inspect_json(alphaloom, store, instrument, *extra):
    return json.loads(alphaloom("inspect", "--data", store, "--instrument", instrument, "--json", *extra).stdout)


def error_lines(result):
    return [line for line in result.stderr.splitlines() if line.strip()]


def expected_returns(close):
    """Return statistics recomputed from a close series (NaN = no bar), as docs/data.md defines them."""
    bars = close[~np.isnan(close)]
    r = bars[1:] / bars[:-1] - 1
    wealth = np.cumprod(1 + r)
    peak = np.maximum.accumulate(np.maximum(wealth, 1.0))
    return {
        "count": len(r),
        "total_return": bars[-1] / bars[0] - 1,
        "annual_return": np.prod(1 + r) ** (PERIODS / len(r)) - 1,
        "annual_volatility": np.std(r, ddof=1) * math.sqrt(PERIODS),
        "sharpe": np.mean(r) / np.std(r, ddof=1) * math.sqrt(PERIODS),
        "max_drawdown": min(0.0, float(np.min(wealth / peak - 1))),
    }


# ---------------------------------------------------------------- synthetic market with known truth

@pytest.fixture(scope="module")
def synth(alphaloom, tmp_path_factory):
    store = tmp_path_factory.mktemp("inspect") / "store"
    alphaloom("synth", "--out", store, "--instruments", "30", "--start", "2016-01-01", "--end", "2020-12-31",
              "--seed", "11", "--format", "qlib")
    truth = json.loads((store / "truth.json").read_text())
    return store, truth


def test_synth_truth_is_interesting_enough(synth):
    _, truth = synth
    stocks = truth["instruments"]
    assert any(stock["splits"] for stock in stocks)
    assert any(stock["suspensions"] for stock in stocks)
    assert any(stock["dividends"] for stock in stocks)
    assert truth["listings"] and truth["delistings"]


def test_every_instrument_matches_the_truth(alphaloom, synth):
    store, truth = synth
    days = calendar(store)
    for stock in truth["instruments"]:
        symbol = stock["symbol"]
        report = inspect_json(alphaloom, store, symbol)
        assert report["instrument"] == symbol and not report["is_benchmark"]
        assert report["listed"] == {"first": stock["first_date"], "last": stock["last_date"]}, symbol
        assert report["range"]["days"] == days.index(stock["last_date"]) - days.index(stock["first_date"]) + 1
        assert report["bars"] == stock["bars"], symbol
        assert report["missing"] == report["range"]["days"] - stock["bars"], symbol
        assert report["missing_runs"] == stock["suspensions"], symbol

        events = report["factor_changes"]["events"]
        splits = [event for event in events if event["kind"] in ("split", "reverse_split")]
        assert [event["date"] for event in splits] == [split["date"] for split in stock["splits"]], symbol
        for event, split in zip(splits, stock["splits"]):
            ratio = split["ratio"]
            assert event["ratio"] == pytest.approx(ratio, rel=1e-6)
            if ratio > 1:
                assert event["kind"] == "split" and event["split"] == f"{round(ratio)}:1"
            else:
                assert event["kind"] == "reverse_split" and event["split"] == f"1:{round(1 / ratio)}"
        dividends = [event for event in events if event["kind"] == "dividend"]
        assert [event["date"] for event in dividends] == [d["date"] for d in stock["dividends"]], symbol
        for event, dividend in zip(dividends, stock["dividends"]):
            assert event["payout_amount"] == pytest.approx(dividend["amount"], rel=1e-3, abs=1e-4), (symbol, event)
        assert len(events) == len(splits) + len(dividends), (symbol, events)
        assert report["factor_changes"]["splits"] + report["factor_changes"]["reverse_splits"] == len(stock["splits"])
        assert report["factor_changes"]["dividends"] == len(stock["dividends"])

        start, close = read_bin(store, symbol, "close")
        _, factor = read_bin(store, symbol, "factor")
        last = np.flatnonzero(~np.isnan(close))[-1]
        assert report["last_bar"] == days[start + last] == stock["last_date"]
        assert report["last_close"] == pytest.approx(close[last], rel=1e-12)
        assert report["last_factor"] == pytest.approx(factor[last], rel=1e-12)
        assert report["last_traded_close"] == pytest.approx(close[last] / factor[last], rel=1e-12)
        expected = expected_returns(close)
        for key, value in expected.items():
            assert report["returns"][key] == pytest.approx(value, rel=1e-9, abs=1e-12), (symbol, key)
        # A stock's realized volatility is near its planted one (GARCH and fat tails move it).
        assert report["returns"]["annual_volatility"] == pytest.approx(stock["annual_vol"], rel=0.5)


def test_the_synthetic_market_has_no_quality_problems_but_flags_rare_jumps(alphaloom, synth):
    store, truth = synth
    flagged_at_4 = 0
    for stock in truth["instruments"][:10]:
        start, close = read_bin(store, stock["symbol"], "close")
        bars = close[~np.isnan(close)]
        r = bars[1:] / bars[:-1] - 1
        median = np.median(r)
        sigma = 1.4826 * np.median(np.abs(r - median))
        for threshold in (None, 4):
            extra = ("--jump-sigma", str(threshold)) if threshold else ()
            report = inspect_json(alphaloom, store, stock["symbol"], *extra)
            quality = report["quality"]
            assert quality["jump_sigma"] == (threshold or 8)
            assert quality["zero_volume"] == [] and quality["stale_runs"] == [] and quality["ingest_findings"] == {}
            assert quality["robust_sigma"] == pytest.approx(sigma, rel=1e-9)
            assert quality["median_change"] == pytest.approx(median, rel=1e-9)
            bar_dates = [d for d, c in zip(calendar(store)[start:], close) if not np.isnan(c)]
            expected = [date for date, x in zip(bar_dates[1:], r) if abs(x - median) > quality["jump_sigma"] * sigma]
            assert [jump["date"] for jump in quality["jumps"]] == expected, stock["symbol"]
            # Fat tails give a few such days, never a large share of them; none looks like a split.
            assert len(expected) < 0.02 * report["bars"]
            assert all(jump["unadjusted_split"] == 0 for jump in quality["jumps"])
            flagged_at_4 += len(expected) if threshold == 4 else 0
    assert flagged_at_4 > 0


def test_a_sub_range_clips_the_span_and_the_suspensions(alphaloom, synth):
    store, truth = synth
    stock = max(truth["instruments"], key=lambda s: len(s["suspensions"]))
    run = stock["suspensions"][0]
    days = calendar(store)
    # Start in the middle of the first suspension: the run is cut at the range start.
    middle = days[days.index(run["first"]) + run["days"] // 2]
    end = stock["suspensions"][-1]["last"]
    report = inspect_json(alphaloom, store, stock["symbol"], "--start", middle, "--end", end)
    assert report["range"]["first"] == middle and report["range"]["last"] == end
    first_run = report["missing_runs"][0]
    assert first_run["first"] == middle and first_run["last"] == run["last"]
    assert first_run["days"] == run["days"] - run["days"] // 2
    assert report["missing_runs"][1:] == stock["suspensions"][1:]
    assert report["bars"] + report["missing"] == report["range"]["days"]
    start, close = read_bin(store, stock["symbol"], "close")
    window = close[days.index(middle) - start:days.index(end) - start + 1]
    assert report["returns"]["total_return"] == pytest.approx(expected_returns(window)["total_return"], rel=1e-9)


def test_the_benchmark_and_case_insensitive_names(alphaloom, synth):
    store, truth = synth
    bench = inspect_json(alphaloom, store, "bench")
    assert bench["instrument"] == "BENCH" and bench["is_benchmark"]
    assert bench["missing"] == 0 and bench["range"]["days"] == truth["calendar"]["days"]
    assert bench["factor_changes"]["events"] == []
    lower = inspect_json(alphaloom, store, truth["instruments"][0]["symbol"].lower())
    assert lower["instrument"] == truth["instruments"][0]["symbol"]


def test_text_report(alphaloom, synth):
    store, truth = synth
    stock = next(s for s in truth["instruments"] if s["splits"] and s["suspensions"])
    text = alphaloom("inspect", "--data", store, "--instrument", stock["symbol"]).stdout
    assert f"instrument    {stock['symbol']}" in text
    assert f"listed        {stock['first_date']} .. {stock['last_date']}" in text
    assert f"bars          {stock['bars']}," in text
    assert f"{stock['splits'][0]['date']}  x2." in text and "split 2:1" in text
    run = stock["suspensions"][-1]
    assert f"{run['first']} .. {run['last']}  {run['days']} days" in text
    assert "max drawdown" in text and "price jumps" in text


def test_features_are_the_last_bars_values(alphaloom, synth, tmp_path):
    store, truth = synth
    days = calendar(store)

    def bars_before(stock, run):
        """Whether the 6 trading days before a suspension are bars of the stock."""
        start, close = read_bin(store, stock["symbol"], "close")
        at = days.index(run["first"]) - start
        return at >= 6 and not np.isnan(close[at - 6:at]).any()

    # The range ends on a suspended day, so the last bar is the day before it.
    stock, run = next((s, run) for s in truth["instruments"] for run in s["suspensions"] if bars_before(s, run))
    symbol, end = stock["symbol"], run["first"]
    factors = tmp_path / "mine.txt"
    factors.write_text("MOM5 = Ref($close,5)/$close-1\nVOLSUM = Sum($volume, 3)\n")
    report = inspect_json(alphaloom, store, symbol, "--end", end, "--features", factors)
    last_bar = days[days.index(end) - 1]
    assert report["last_bar"] == last_bar
    assert report["features"]["date"] == last_bar and report["features"]["set"] == str(factors)
    start, close = read_bin(store, symbol, "close")
    _, volume = read_bin(store, symbol, "volume")
    history = close[:days.index(last_bar) - start + 1]
    volumes = volume[:days.index(last_bar) - start + 1]
    values = report["features"]["values"]
    assert values["MOM5"] == pytest.approx(history[-6] / history[-1] - 1, rel=1e-5)
    assert values["VOLSUM"] == pytest.approx(volumes[-3:].sum(), rel=1e-5)

    # A built-in set, and one with a cross-sectional operator, against `alphaloom features`.
    for feature_set in ("alpha158", "cross"):
        report = inspect_json(alphaloom, store, symbol, "--features", feature_set)
        out = tmp_path / f"{feature_set}.csv"
        alphaloom("features", "--data", store, "--set", feature_set, "--start", report["last_bar"], "--end",
                  report["last_bar"], "--out", out)
        with out.open() as handle:
            row = next(r for r in csv.DictReader(handle) if r["instrument"] == symbol)
        values = report["features"]["values"]
        assert list(values) == [name for name in row if name not in ("datetime", "instrument")]
        for name, value in values.items():
            if row[name] in ("", "nan", "NaN"):
                assert value is None, name
            else:
                assert value == pytest.approx(float(row[name]), rel=1e-6, abs=1e-9), name


def png_size(path):
    data = pathlib.Path(path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_plot_writes_a_png_and_nothing_else(alphaloom, synth, tmp_path):
    store, truth = synth
    stock = next(s for s in truth["instruments"] if s["splits"] and s["suspensions"] and s["dividends"])
    out = tmp_path / "charts"
    out.mkdir()
    result = alphaloom("inspect", "--data", store, "--instrument", stock["symbol"], "--plot", out / "chart.png")
    assert "instrument" in result.stdout
    assert png_size(out / "chart.png") == (1210, 825)
    assert (out / "chart.png").stat().st_size > 30_000
    assert sorted(p.name for p in out.iterdir()) == ["chart.png"]


def test_plot_draws_the_marks(alphaloom, synth, tmp_path):
    """Split lines (red) and suspension shading (grey) run down the image's panels, and only when
    there are some: the tallest column of red and of grey pixels."""
    store, truth = synth
    python = ROOT / ".venv-bt" / "bin" / "python"
    script = ("import sys, matplotlib.image as m; a = m.imread(sys.argv[1])[..., :3];"
              "red = (a[..., 0] > 0.75) & (a[..., 1] < 0.3) & (a[..., 2] < 0.3);"
              "grey = (abs(a - 0.867) < 0.02).all(axis=2);"
              "print(red.sum(axis=0).max(), grey.sum(axis=0).max())")

    def marks(symbol):
        png = tmp_path / f"{symbol}.png"
        alphaloom("inspect", "--data", store, "--instrument", symbol, "--plot", png)
        output = subprocess.run([str(python), "-c", script, str(png)], capture_output=True, text=True, check=True)
        return tuple(map(int, output.stdout.split()))

    red, grey = marks(next(s["symbol"] for s in truth["instruments"] if s["splits"] and s["suspensions"]))
    assert red > 150 and grey > 400
    red, grey = marks("BENCH")  # every stock has suspensions; the benchmark has neither
    assert red < 20 and grey < 100


# ---------------------------------------------------------------- hand-made quality problems

@pytest.fixture(scope="module")
def flawed(alphaloom, tmp_path_factory):
    """GOOD: a clean random walk. BAD: the same walk with two zero-volume days, a stale week and an
    unadjusted 10:1 split (the price divides by 10, no split column)."""
    folder = tmp_path_factory.mktemp("flawed")
    raw = folder / "raw"
    raw.mkdir()
    rng = np.random.default_rng(5)
    dates = [d.strftime("%Y-%m-%d") for d in np.arange(np.datetime64("2021-01-04"), np.datetime64("2021-12-31"))
             .astype("datetime64[D]").tolist() if d.weekday() < 5]
    close = 50 * np.exp(np.cumsum(rng.normal(0, 0.012, len(dates))))
    volume = rng.integers(1000, 5000, len(dates)).astype(float)
    bad_close, bad_volume = close.copy(), volume.copy()
    bad_close[100:107] = bad_close[99]          # 8 bars at one price (99..106)
    bad_close[180:] /= 10                        # an unadjusted 10:1 split on bar 180
    bad_volume[[40, 41]] = 0
    for name, c, v in (("GOOD", close, volume), ("BAD", bad_close, bad_volume)):
        lines = ["date,open,high,low,close,volume"]
        for d, x, q in zip(dates, c, v):
            lines.append(f"{d},{x:.4f},{x * 1.01:.4f},{x * 0.99:.4f},{x:.4f},{q:.0f}")
        (raw / f"{name}.csv").write_text("\n".join(lines) + "\n")
    store = folder / "store"
    alphaloom("ingest", "--input", raw, "--out", store)
    return store, dates, bad_close


def test_quality_flags_find_the_planted_problems(alphaloom, flawed):
    store, dates, bad_close = flawed
    bad = inspect_json(alphaloom, store, "BAD")
    quality = bad["quality"]
    assert quality["zero_volume"] == [dates[40], dates[41]]
    assert quality["stale_runs"] == [{"first": dates[99], "last": dates[106], "bars": 8,
                                      "close": pytest.approx(round(bad_close[99], 4), rel=1e-6)}]
    split = [jump for jump in quality["jumps"] if jump["date"] == dates[180]]
    assert len(split) == 1 and split[0]["unadjusted_split"] == -10 and not split[0]["factor_changed"]
    assert split[0]["change"] == pytest.approx(-0.9, abs=0.05)
    assert quality["ingest_findings"] == {"zero_volume (warn)": 2}
    assert bad["factor_changes"]["events"] == []
    good = inspect_json(alphaloom, store, "GOOD")["quality"]
    assert good["zero_volume"] == [] and good["stale_runs"] == [] and good["ingest_findings"] == {}
    assert all(jump["unadjusted_split"] == 0 for jump in good["jumps"])
    # A longer minimum hides the 8-bar run; a higher threshold hides the split jump too.
    stricter = inspect_json(alphaloom, store, "BAD", "--stale-bars", "9", "--jump-sigma", "1000")["quality"]
    assert stricter["stale_runs"] == [] and stricter["jumps"] == []
    text = alphaloom("inspect", "--data", store, "--instrument", "BAD").stdout
    assert "an unadjusted split?" in text and "zero_volume (warn)" in text


# ---------------------------------------------------------------- bad input

@pytest.mark.parametrize("args, code, needles", [
    (["--instrument", "S00O4"], 6, ["'S00O4'", "did you mean", "S0004"]),
    (["--instrument", "NOPE"], 6, ["'NOPE'"]),
    (["--instrument", "S0004", "--start", "2020-06-01", "--end", "2020-01-01"], 2, ["2020-06-01", "2020-01-01"]),
    (["--instrument", "S0004", "--start", "2021-02-01"], 6, ["S0004", "no trading days", "listed"]),
    (["--instrument", "S0004", "--start", "2020-13-01"], 2, ["--start"]),
    (["--instrument", "S0004", "--features", "alpha999"], 3, ["alpha999"]),
    (["--instrument", "S0004", "--jump-sigma", "0"], 2, ["jump sigma"]),
    (["--instrument", "S0004", "--plot", "{tmp}/chart.jpg"], 2, ["chart.jpg", ".png"]),
    (["--instrument", "S0004", "--plot", "{tmp}/missing/chart.png"], 5, ["missing"]),
    (["--instrument", "S0004", "--plot", "{tmp}/chart.png", "--python", "/nonexistent/python"], 7,
     ["/nonexistent/python"]),
])
def test_bad_input_is_one_line_and_writes_nothing(alphaloom, synth, tmp_path, args, code, needles):
    store, _ = synth
    args = [a.format(tmp=tmp_path) for a in args]
    result = alphaloom("inspect", "--data", store, *args, check=False)
    assert result.returncode == code, result.stderr
    assert len(error_lines(result)) == 1, result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr
    assert result.stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_unknown_store_is_one_line(alphaloom, tmp_path):
    result = alphaloom("inspect", "--data", tmp_path / "nowhere", "--instrument", "X", check=False)
    assert result.returncode == 5 and len(error_lines(result)) == 1
    assert str(tmp_path / "nowhere") in result.stderr


# ---------------------------------------------------------------- real data

REAL_TICKERS = ("AAPL", "GILD", "ABT", "MSI", "TSLA")


@pytest.fixture(scope="module")
def real_store(alphaloom, real_data, tmp_path_factory):
    folder = tmp_path_factory.mktemp("real")
    raw = folder / "raw"
    raw.mkdir()
    source = real_data / "PooksoftSP500EquityPriceDataSet" / "daily_adjusted"
    for ticker in REAL_TICKERS:
        (raw / f"DA-{ticker}-T-2021-04-21.csv").write_bytes((source / f"DA-{ticker}-T-2021-04-21.csv").read_bytes())
    (raw / "SPY_D.csv").write_bytes((real_data / "pandas-ta" / "data" / "SPY_D.csv").read_bytes())
    store = folder / "store"
    alphaloom("ingest", "--input", raw, "--out", store, "--benchmark", "SPY")
    return store, source


def read_source(source, ticker):
    with (source / f"DA-{ticker}-T-2021-04-21.csv").open() as handle:
        return list(csv.DictReader(handle))


def test_real_splits_and_dividends_match_the_source_columns(alphaloom, real_store):
    store, source = real_store
    for ticker in ("AAPL", "GILD", "TSLA"):
        rows = read_source(source, ticker)
        report = inspect_json(alphaloom, store, ticker)
        assert report["listed"]["first"] == rows[0]["timestamp"] and report["bars"] == len(rows)
        events = report["factor_changes"]["events"]
        splits = [(e["date"], e["ratio"]) for e in events if e["kind"] == "split"]
        source_splits = [(r["timestamp"], float(r["split_coefficient"])) for r in rows
                         if float(r["split_coefficient"]) != 1.0]
        assert [d for d, _ in splits] == [d for d, _ in source_splits], ticker
        for (_, ratio), (_, coefficient) in zip(splits, source_splits):
            assert ratio == pytest.approx(coefficient, rel=0.02)
        dividends = [e["date"] for e in events if e["kind"] == "dividend"]
        source_dividends = [r["timestamp"] for r in rows if float(r["dividend_amount"]) > 0]
        assert dividends == source_dividends, ticker
        assert report["last_close"] == pytest.approx(float(rows[-1]["adjusted_close"]), rel=1e-6)
        assert report["last_traded_close"] == pytest.approx(float(rows[-1]["close"]), rel=1e-6)
    tsla = inspect_json(alphaloom, store, "TSLA")
    assert tsla["listed"]["first"] == "2010-06-29"
    assert [e["split"] for e in tsla["factor_changes"]["events"] if e["kind"] == "split"] == ["5:1"]


def test_real_quirks_are_reported(alphaloom, real_store):
    store, _ = real_store
    gild = inspect_json(alphaloom, store, "GILD")
    assert gild["quality"]["zero_volume"] == ["1999-11-01", "2001-10-02", "2001-10-03"]
    aapl = inspect_json(alphaloom, store, "AAPL")
    crash = [j for j in aapl["quality"]["jumps"] if j["date"] == "2000-09-29"]
    assert len(crash) == 1 and crash[0]["change"] == pytest.approx(-0.52, abs=0.01)
    assert crash[0]["unadjusted_split"] == 0
    abt = {e["date"]: e for e in inspect_json(alphaloom, store, "ABT")["factor_changes"]["events"]}
    assert abt["2013-01-02"]["kind"] == "distribution"  # the AbbVie spin-off, not a split
    msi = {e["date"]: e for e in inspect_json(alphaloom, store, "MSI")["factor_changes"]["events"]}
    assert msi["2011-01-04"]["kind"] == "reverse_split" and msi["2011-01-04"]["split"] == "1:7"
    spy = inspect_json(alphaloom, store, "SPY")
    assert spy["is_benchmark"] and spy["factor_changes"]["events"] == []
    assert spy["range"]["first"] == "1999-11-01"


def test_real_plot_and_close_matches(alphaloom, real_store, tmp_path):
    store, _ = real_store
    alphaloom("inspect", "--data", store, "--instrument", "AAPL", "--start", "2010-01-01", "--plot",
              tmp_path / "aapl.png")
    assert png_size(tmp_path / "aapl.png") == (1210, 825)
    result = alphaloom("inspect", "--data", store, "--instrument", "APPL", check=False)
    assert result.returncode == 6 and "did you mean AAPL" in result.stderr


def test_a_one_day_range_has_no_return_statistics(alphaloom, synth):
    store, truth = synth
    stock = truth["instruments"][0]
    report = inspect_json(alphaloom, store, stock["symbol"], "--start", stock["last_date"], "--end", stock["last_date"])
    assert report["bars"] == 1 and report["range"]["days"] == 1
    assert report["first_bar"] == report["last_bar"] == stock["last_date"]
    returns = report["returns"]
    assert returns["count"] == 0 and returns["total_return"] == 0
    assert returns["annual_volatility"] is None and returns["sharpe"] is None and returns["max_drawdown"] == 0
    assert report["factor_changes"]["events"] == [] and report["quality"]["jumps"] == []


# ---------------------------------------------------------------- the hybrid strategy (--workflow)

COMPONENTS = ("trend", "mean_reversion", "volatility", "relative_strength", "ml")
STRATEGY_YAML = """strategy:
  kind: hybrid
  regime: {method: rules}
  meta:
    weights:
      default: {trend: 0.30, mean_reversion: 0.15, volatility: 0.15, relative_strength: 0.20, ml: 0.20}
      bull:    {trend: 0.35, mean_reversion: 0.05, volatility: 0.10, relative_strength: 0.30, ml: 0.20}
      bear:    {trend: 0.30, mean_reversion: 0.10, volatility: 0.20, relative_strength: 0.20, ml: 0.20}
      choppy:  {trend: 0.10, mean_reversion: 0.40, volatility: 0.10, relative_strength: 0.20, ml: 0.20}
      crash:   {trend: 0.20, mean_reversion: 0.05, volatility: 0.45, relative_strength: 0.10, ml: 0.20}
"""


def read_csv_rows(path, symbol):
    """`alphaloom strategy` output rows of one instrument, by date."""
    with pathlib.Path(path).open() as handle:
        return {row["datetime"]: row for row in csv.DictReader(handle) if row["instrument"] == symbol}


def traded_stock(truth):
    """A stock listed over most of the span (so the 200-bar windows fill) with a suspension."""
    return next(s for s in truth["instruments"] if s["first_date"] <= "2016-03-01" and s["last_date"] >= "2020-12-01"
                and s["suspensions"])


def check_rows_match(rows, expected, hmm=False):
    assert rows
    for row in rows:
        want = expected[row["date"]]
        assert row["weight"] == pytest.approx(float(want["weight"]), rel=1e-12, abs=1e-15), row["date"]
        assert row["alpha_score"] == pytest.approx(float(want["alpha_score"]), rel=1e-12, abs=1e-15), row["date"]
        assert (row["regime"] or "") == want["regime"], row["date"]
        total = 0.0
        for name in COMPONENTS:
            c = row["contributions"][f"c_{name}"]
            assert c == pytest.approx(float(want[f"c_{name}"]), rel=1e-12, abs=1e-15), (row["date"], name)
            total += c
        assert total == pytest.approx(row["alpha_score"], abs=1e-12)
        for name in COMPONENTS[:4]:
            assert -1.0 <= row["signals"][name] <= 1.0
        if hmm:
            assert sum(row["regime_probabilities"].values()) == pytest.approx(1.0, abs=1e-9)


@pytest.fixture(scope="module")
def strategy_files(synth, tmp_path_factory):
    folder = tmp_path_factory.mktemp("strategy")
    config = folder / "hybrid.yaml"
    config.write_text(STRATEGY_YAML)
    return folder, config


def test_strategy_table_is_what_alphaloom_strategy_computes(alphaloom, synth, strategy_files):
    store, truth = synth
    folder, config = strategy_files
    stock = traded_stock(truth)["symbol"]
    out = folder / "weights.csv"
    alphaloom("strategy", "--config", config, "--data", store, "--start", "2017-01-01", "--out", out)
    expected = read_csv_rows(out, stock)
    report = inspect_json(alphaloom, store, stock, "--workflow", config, "--start", "2019-06-01", "--end",
                          "2019-09-30")
    strategy = report["strategy"]
    assert strategy["config"] == str(config) and strategy["regime_method"] == "rules" and strategy["ml"] is None
    assert strategy["meta_weights"]["bull"]["trend"] == 0.35
    rows = strategy["rows"]
    assert [r["date"] for r in rows] == [d for d in sorted(expected) if "2019-06-01" <= d <= "2019-09-30"]
    check_rows_match(rows, expected)
    # c_k = w_k(regime) x signal_k: the rules regime picks one weight set per date.
    for row in rows:
        weights = strategy["meta_weights"][row["regime"] or "default"]
        for name in COMPONENTS[:4]:
            assert row["contributions"][f"c_{name}"] == pytest.approx(weights[name] * row["signals"][name],
                                                                       rel=1e-6, abs=1e-9)
    # Regimes are set (the windows have filled) and some weights are non-zero.
    assert any(r["weight"] > 0 for r in rows) and all(r["regime"] for r in rows)

    # Default: the last 20 bars; the text table shows them too.
    last = inspect_json(alphaloom, store, stock, "--workflow", config)["strategy"]["rows"]
    assert len(last) == 20 and last[-1]["date"] == max(expected)
    check_rows_match(last, expected)
    text = alphaloom("inspect", "--data", store, "--instrument", stock, "--workflow", config, "--rows", "5").stdout
    assert "c_trend" in text and "alpha" in text and "weight" in text
    assert max(expected) in text and f"{float(expected[max(expected)]['alpha_score']):+.4f}" in text


def test_strategy_is_leak_free(alphaloom, synth, strategy_files, tmp_path):
    """Changing every bar after the last shown date (stocks and benchmark) changes nothing shown,
    and the rows equal those of the full-range table."""
    store, truth = synth
    _, config = strategy_files
    stock = traded_stock(truth)["symbol"]
    end = "2019-03-29"
    days = calendar(store)
    cut = days.index(end) + 1
    changed = tmp_path / "store"
    shutil.copytree(store, changed)
    scale_bars_from(changed, cut)
    args = ["--workflow", config, "--start", "2018-12-01", "--end", end, "--features", "alpha158"]
    original = inspect_json(alphaloom, store, stock, *args)["strategy"]
    perturbed = inspect_json(alphaloom, changed, stock, *args)["strategy"]
    assert original["rows"] and original["rows"][-1]["date"] <= end
    assert original == perturbed
    # The perturbation is real: later rows differ.
    later = ["--workflow", config, "--start", "2019-06-01", "--end", "2019-06-28"]
    assert inspect_json(alphaloom, store, stock, *later)["strategy"] != \
        inspect_json(alphaloom, changed, stock, *later)["strategy"]
    # The same dates of the table over the whole span.
    full = inspect_json(alphaloom, store, stock, *args[:4], "--features", "alpha158")["strategy"]["rows"]
    assert full[:len(original["rows"])] == original["rows"]


def test_workflow_with_set_overrides_the_strategy(alphaloom, synth, strategy_files, tmp_path):
    store, truth = synth
    folder, _ = strategy_files
    stock = traded_stock(truth)["symbol"]
    workflow = ROOT / "examples" / "hybrid_alpha.yaml"
    sets = ["--set", f"data.store={store}", "--set", f"output.dir={tmp_path}", "--set", "strategy.regime.method=hmm",
            "--set", "strategy.sizing.max_weight=0.03"]
    report = inspect_json(alphaloom, store, stock, "--workflow", workflow, *sets, "--start", "2020-01-02")
    strategy = report["strategy"]
    assert strategy["regime_method"] == "hmm" and strategy["ml"] is None
    # The same strategy section, edited as the overrides say, run by `alphaloom strategy`.
    out = tmp_path / "weights.csv"
    shipped = tmp_path / "shipped.yaml"
    text = (ROOT / "examples" / "hybrid_alpha.yaml").read_text()
    shipped.write_text(text[text.index("strategy:"):].replace("method: rules", "method: hmm")
                       .replace("max_weight: 0.05", "max_weight: 0.03"))
    alphaloom("strategy", "--config", shipped, "--data", store, "--start", "2020-01-01", "--out", out)
    expected = read_csv_rows(out, stock)
    check_rows_match(strategy["rows"], expected, hmm=True)
    assert max(r["weight"] for r in strategy["rows"]) <= 0.03 + 1e-12
    # --set without --workflow is refused.
    result = alphaloom("inspect", "--data", store, "--instrument", stock, "--set", "strategy.regime.method=hmm",
                       check=False)
    assert result.returncode == 2 and len(error_lines(result)) == 1 and "--workflow" in result.stderr


def test_predictions_give_the_ml_component(alphaloom, synth, strategy_files, tmp_path):
    store, truth = synth
    _, config = strategy_files
    stock = traded_stock(truth)["symbol"]
    days = [d for d in calendar(store) if d >= "2020-06-01"]
    rng = np.random.default_rng(5)
    predictions = tmp_path / "pred.csv"
    with predictions.open("w") as handle:
        handle.write("datetime,instrument,yhat,prob_up\n")
        for day in days:
            for s in truth["instruments"]:
                if day == days[3] and s["symbol"] == stock:
                    continue  # one missing prediction
                p = rng.uniform(0.2, 0.8)
                handle.write(f"{day},{s['symbol']},{(p - 0.5) / 10:.6f},{p:.6f}\n")
    out = tmp_path / "weights.csv"
    alphaloom("strategy", "--config", config, "--data", store, "--predictions", predictions, "--start", "2020-06-01",
              "--out", out)
    expected = read_csv_rows(out, stock)
    report = inspect_json(alphaloom, store, stock, "--workflow", config, "--predictions", predictions, "--start",
                          "2020-06-01", "--end", "2020-07-31")
    strategy = report["strategy"]
    assert strategy["ml"]["source"] == f"predictions {predictions}" and strategy["ml"]["signal"] == "prob_up"
    rows = strategy["rows"]
    check_rows_match(rows, expected)
    assert any(float(expected[r["date"]]["c_ml"]) != 0 for r in rows)
    for row in rows:
        if row["date"] == days[3]:
            assert row["prediction"]["prob_up"] is None and row["signals"]["ml"] is None
            assert row["contributions"]["c_ml"] == 0
        else:
            # prob_up's score: 2 P(up) - 1.
            assert row["signals"]["ml"] == pytest.approx(2 * row["prediction"]["prob_up"] - 1, abs=1e-9)
    text = alphaloom("inspect", "--data", store, "--instrument", stock, "--workflow", config, "--predictions",
                     predictions).stdout
    assert "prob_up" in text and "c_ml" in text


def test_strategy_plot(alphaloom, synth, strategy_files, tmp_path):
    store, truth = synth
    _, config = strategy_files
    stock = traded_stock(truth)["symbol"]
    plain, with_strategy = tmp_path / "plain.png", tmp_path / "strategy.png"
    alphaloom("inspect", "--data", store, "--instrument", stock, "--plot", plain)
    alphaloom("inspect", "--data", store, "--instrument", stock, "--workflow", config, "--plot", with_strategy)
    width, height = png_size(with_strategy)
    assert width == png_size(plain)[0] and height > png_size(plain)[1]


@pytest.mark.parametrize("args, code, needles", [
    (["--instrument", "BENCH", "--strategy"], 2, ["BENCH", "benchmark"]),
    (["--instrument", "NOPE", "--strategy"], 6, ["'NOPE'"]),
    (["--instrument", "S0004", "--set", "strategy.regime.method=hmm"], 2, ["--set", "--workflow"]),
    (["--instrument", "S0004", "--workflow", "{tmp}/missing.yaml"], 5, ["missing.yaml"]),
    (["--instrument", "S0004", "--strategy", "--predictions", "{tmp}/none.csv"], 5, ["none.csv"]),
    (["--instrument", "S0004", "--strategy", "--rows", "0"], 2, ["--rows"]),
])
def test_bad_strategy_input_is_one_line(alphaloom, synth, tmp_path, args, code, needles):
    store, _ = synth
    args = [a.format(tmp=tmp_path) for a in args]
    result = alphaloom("inspect", "--data", store, *args, check=False)
    assert len(error_lines(result)) == 1, result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr
    assert result.returncode == code, result.stderr
    assert result.stdout == ""


TINY_WORKFLOW = """name: tiny
data: {{store: {store}}}
universe: {{market: all, benchmark: BENCH}}
factors: {{sets: [], extra: {{MOM5: "Ref($close,5)/$close-1", MOM20: "Ref($close,20)/$close-1"}}}}
label: {{kind: forward, horizon: 1, form: close}}
processors: {{steps: [dropna_label]}}
cv: {{kind: walk_forward, train: expanding, train_days: 500, valid_days: 60, test_days: 300, embargo_days: 2}}
model: {{kind: lightgbm, num_rounds: 20, seed: 7, threads: 1,
         params: {{learning_rate: 0.1, num_leaves: 7, min_data_in_leaf: 50}}}}
output: {{dir: {out}}}
strategy: {{kind: hybrid}}
"""


def test_model_gives_the_ml_component(alphaloom, synth, tmp_path):
    """--model (and the workflow's run folder model) predict over the range; the rows equal
    `alphaloom strategy` fed with `alphaloom predict`'s predictions of the same model."""
    store, truth = synth
    stock = traded_stock(truth)["symbol"]
    workflow = tmp_path / "tiny.yaml"
    workflow.write_text(TINY_WORKFLOW.format(store=store, out=tmp_path / "runs"))
    alphaloom("train", "--config", workflow, "--out", tmp_path / "runs" / "tiny")
    model = tmp_path / "runs" / "tiny" / "model"
    predictions = tmp_path / "pred.parquet"
    alphaloom("predict", "--model", model, "--data", store, "--start", "2020-09-01", "--end", "2020-11-30", "--out",
              predictions)
    out = tmp_path / "weights.csv"
    alphaloom("strategy", "--config", workflow, "--data", store, "--predictions", predictions, "--start", "2020-09-01",
              "--end", "2020-11-30", "--out", out)
    expected = read_csv_rows(out, stock)
    args = ["--workflow", workflow, "--start", "2020-10-01", "--end", "2020-11-30"]
    explicit = inspect_json(alphaloom, store, stock, *args, "--model", model)["strategy"]
    assert explicit["ml"]["source"] == f"model {model}" and explicit["ml"]["version"]
    assert explicit["ml"]["trained_through"] is not None
    check_rows_match(explicit["rows"], expected)
    assert all(r["prediction"]["prob_up"] is not None for r in explicit["rows"])
    assert any(r["contributions"]["c_ml"] != 0 for r in explicit["rows"])
    # Without --model the workflow's run folder model (output.dir/name/model) is used.
    implicit = inspect_json(alphaloom, store, stock, *args)["strategy"]
    assert implicit["ml"]["source"] == f"model {model}"
    assert implicit["rows"] == explicit["rows"]
