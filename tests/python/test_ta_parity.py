"""`alphaloom features --set ta` against the TA-Lib Python package (pinned in requirements.txt; its
wheel bundles the TA-Lib C library).

Every column of the ta set is rebuilt here from the store's own float32 bars with TA-Lib's
function for it (SMA, EMA, STDDEV, RSI, ATR, MACD, BBANDS, STOCHF, BETA, ROCR, MOM) and compared
cell by cell: identical NaN masks, and values within the tolerance below.

How the reference mirrors AlphaLoom's documented semantics (docs/expressions.md, "The ta set"):
* Ta* operators skip missing bars: TA-Lib runs on the instrument's series with the missing rows
  removed and the result is put back in place (`skip_missing`). On gap-free data this is plain
  TA-Lib. Ref-based parts (returns, MOM) count rows: TA-Lib's ROCR / MOM on the full series with
  its NaN rows, which propagate NaN exactly like Ref.
* Element-wise arithmetic on float32 fields stays float32 (Qlib's type flow, reference/qlib.md):
  the reference rounds those intermediate results to float32 too (`f32`).

Tolerance: |ours - talib| <= RTOL |talib|, RTOL = 2^-22 (two float32 ulps). AlphaLoom writes
float32 and its TA recurrences keep TA-Lib's arithmetic order, so the measured difference to
TA-Lib rounded to float32 is 0 ulps in every cell but one (1 ulp, BB_WIDTH20) on both markets.
The Bollinger columns may differ by more where TA-Lib's own sigma is inaccurate: it computes the
variance as E[x^2] - E[x]^2 from running sums, which loses about eps * (M / sigma)^2 of relative
precision (prices in the thousands moving by cents), while AlphaLoom computes it from
deviations. Those columns get an extra relative BOLLINGER_CANCELLATION * (M / sigma)^2, with
M / sigma = 4 / BB_WIDTH20 (a few hundred eps, TA-Lib's running-sum error).
"""
import math
import pathlib

import numpy as np
import pandas as pd
import pytest
import talib

from conftest import ROOT

FACTORS = ROOT / "src" / "alphaloom" / "factors"
RTOL = 2.0 ** -22
BOLLINGER_CANCELLATION = 1e-13
BOLLINGER_COLUMNS = ("BB_WIDTH20", "BB_PCTB20")
SYNTH = dict(instruments=12, start="2012-01-01", end="2020-12-31", seed=17)
REAL_TICKERS = ["AAPL", "MSFT", "GE", "BRK.B", "TSLA", "XOM"]
LN2 = math.log(2.0)


# ---------------------------------------------------------------------------------------------
# the reference: the store's bars and TA-Lib

def f32(values):
    return np.asarray(values, dtype=np.float64).astype(np.float32).astype(np.float64)


def read_bin(store, instrument, field, calendar_size):
    """A field of one instrument over the whole calendar (NaN outside its stored span)."""
    raw = np.fromfile(store / "features" / instrument.lower() / f"{field}.day.bin", dtype="<f4")
    out = np.full(calendar_size, np.nan)
    start = int(raw[0])
    out[start:start + len(raw) - 1] = raw[1:]
    return out


def skip_missing(function, *arrays, **params):
    """TA-Lib over the rows where every input is finite, results put back in place (NaN elsewhere)."""
    valid = np.logical_and.reduce([np.isfinite(a) for a in arrays])
    result = function(*[np.ascontiguousarray(a[valid]) for a in arrays], **params)

    def expand(packed):
        out = np.full(len(arrays[0]), np.nan)
        out[valid] = packed
        return out

    return tuple(expand(r) for r in result) if isinstance(result, tuple) else expand(result)


def kdj_smooth(x, m):
    """KDJ smoothing seeded at 50 over the valid rows (no TA-Lib counterpart: a plain loop)."""
    out = np.full(len(x), np.nan)
    state = 50.0
    for row in np.flatnonzero(np.isfinite(x)):
        state = (state * (m - 1) + x[row]) / m
        out[row] = state
    return out


def reference_columns(bars):
    """Every ta column from TA-Lib, as float64 arrays over one instrument's rows."""
    o, h, l, c, v, bench = (bars[k] for k in ("open", "high", "low", "close", "volume", "bench_close"))
    sma = lambda x, n: skip_missing(talib.SMA, x, timeperiod=n)
    stddev = lambda x, n: skip_missing(talib.STDDEV, x, timeperiod=n, nbdev=1)
    ratio = lambda x, n: f32(talib.ROCR(x, timeperiod=n))  # x_t / x_{t-n}: a float32 Div in AlphaLoom
    log_return = f32(np.log(ratio(c, 1)))
    columns = {}
    for n in (10, 20, 50, 200):
        columns[f"SMA{n}"] = sma(c, n)
    for n in (10, 20, 50, 200):
        columns[f"CLOSE_SMA{n}"] = c / sma(c, n) - 1
    columns["EMA12"] = skip_missing(talib.EMA, c, timeperiod=12)
    columns["EMA26"] = skip_missing(talib.EMA, c, timeperiod=26)
    for n in (1, 5, 20, 60):
        columns[f"RET{n}"] = f32(ratio(c, n) - 1)
    columns["MOM10"] = f32(talib.MOM(c, timeperiod=10))
    for n in (10, 20, 60):
        columns[f"RVOL{n}"] = stddev(log_return, n)
    columns["ATR14"] = skip_missing(talib.ATR, h, l, c, timeperiod=14)
    columns["RANGE"] = f32(f32(h - l) / c)
    hl2 = f32(f32(np.log(f32(h / l))) ** 2)
    co2 = f32(f32(np.log(f32(c / o))) ** 2)
    columns["PARKINSON20"] = np.sqrt(1 / (4 * LN2) * sma(hl2, 20))
    with np.errstate(invalid="ignore"):
        columns["GARMAN_KLASS20"] = np.sqrt(sma(f32(f32(0.5 * hl2) - f32((2 * LN2 - 1) * co2)), 20))
    columns["RSI14"] = skip_missing(talib.RSI, c, timeperiod=14)
    line, signal, histogram = skip_missing(talib.MACD, c, fastperiod=12, slowperiod=26, signalperiod=9)
    columns["MACD"], columns["MACD_SIGNAL"], columns["MACD_HIST"] = line, signal, histogram
    upper, middle, lower = skip_missing(talib.BBANDS, c, timeperiod=20, nbdevup=2, nbdevdn=2, matype=0)
    columns["BB_WIDTH20"] = (upper - lower) / middle
    with np.errstate(invalid="ignore", divide="ignore"):
        columns["BB_PCTB20"] = (c - lower) / (upper - lower)
    rsv = skip_missing(talib.STOCHF, h, l, c, fastk_period=9, fastd_period=1, fastd_matype=0)[0]
    k = kdj_smooth(rsv, 3)
    d = kdj_smooth(k, 3)
    columns["KDJ_K"], columns["KDJ_D"], columns["KDJ_J"] = k, d, 3 * k - 2 * d
    with np.errstate(invalid="ignore", divide="ignore"):
        columns["VOLUME_Z20"] = (v - sma(v, 20)) / stddev(v, 20)
    columns["VOLUME_MA20"] = v / sma(v, 20)
    dollar = f32(c * v)
    columns["DOLLAR_VOLUME"] = dollar
    columns["DOLLAR_VOLUME20"] = sma(dollar, 20)
    columns["EXCESS_RET1"] = f32(ratio(c, 1) - ratio(bench, 1))
    columns["EXCESS_RET20"] = f32(ratio(c, 20) - ratio(bench, 20))
    columns["BENCH_BETA60"] = skip_missing(talib.BETA, bench, c, timeperiod=60)
    return columns


def reference_frame(store):
    """The ta set from TA-Lib for every instrument of the store's market, rows as `features` writes them."""
    calendar = pd.to_datetime(pd.read_csv(store / "calendars" / "day.txt", header=None)[0]).to_numpy()
    benchmark = pd.read_json(store / "alphaloom.json", typ="series")["benchmark"]
    spans = pd.read_csv(store / "instruments" / "all.txt", sep="\t", header=None, names=["code", "start", "end"])
    bench_close = read_bin(store, benchmark, "close", len(calendar))
    frames = []
    for code in spans["code"]:
        bars = {f: read_bin(store, code, f, len(calendar)) for f in ("open", "high", "low", "close", "volume")}
        stored = np.flatnonzero(np.isfinite(np.column_stack(list(bars.values()))).any(axis=1))
        rows = slice(stored[0], stored[-1] + 1)  # AlphaLoom evaluates each instrument over its stored span
        bars = {f: values[rows] for f, values in bars.items()}
        bars["bench_close"] = bench_close[rows]
        frame = pd.DataFrame(reference_columns(bars))
        frame.insert(0, "instrument", code)
        frame.insert(0, "datetime", calendar[rows])
        frames.append(frame)
    return pd.concat(frames).sort_values(["datetime", "instrument"], kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# comparison

def ta_names():
    names = []
    for line in (FACTORS / "ta.txt").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            names.append(line.split("=", 1)[0].strip())
    return names


def allowed_error(column, reference):
    """The tolerance of each cell of `column` (see the module doc)."""
    expected = reference[column].to_numpy(np.float64)
    relative = np.full(len(expected), RTOL)
    if column in BOLLINGER_COLUMNS:
        with np.errstate(divide="ignore"):
            level_over_sigma = 4.0 / reference["BB_WIDTH20"].to_numpy(np.float64)
        relative += BOLLINGER_CANCELLATION * np.nan_to_num(level_over_sigma, posinf=0.0) ** 2
    return relative * np.abs(expected)


def compare(ours, reference, what):
    """Asserts identical rows, columns, NaN masks and values within the tolerance; prints the worst error."""
    names = ta_names()
    assert list(ours.columns) == ["datetime", "instrument", *names]
    ours = ours.reset_index(drop=True)
    assert len(ours) == len(reference), f"{what}: {len(ours)} rows vs {len(reference)} from the store"
    assert (ours["datetime"].to_numpy() == reference["datetime"].to_numpy()).all()
    assert (ours["instrument"].to_numpy() == reference["instrument"].to_numpy()).all()
    problems, report = [], []
    for column in names:
        got = ours[column].to_numpy(np.float64)
        expected = reference[column].to_numpy(np.float64)
        nan_mismatch = np.isnan(got) != np.isnan(expected)
        if nan_mismatch.any():
            where = np.flatnonzero(nan_mismatch)[:3]
            problems.append(f"{column}: NaN masks differ on {nan_mismatch.sum()} rows, e.g. " + ", ".join(
                f"{ours['instrument'][i]} {ours['datetime'][i].date()} ours={got[i]} talib={expected[i]}"
                for i in where))
            continue
        both = np.isfinite(expected)
        assert (np.isinf(got) == np.isinf(expected)).all(), column
        error = np.abs(got[both] - expected[both])
        bad = np.flatnonzero(error > allowed_error(column, reference)[both])
        rounded = expected[both].astype(np.float32)
        ulps = np.abs(got[both].astype(np.float32).view(np.int32).astype(np.int64) -
                      rounded.view(np.int32).astype(np.int64))
        report.append(f"{column:16s} {both.sum():7d} cells, max {ulps.max(initial=0)} float32 ulps from "
                      f"TA-Lib rounded to float32 ({np.count_nonzero(ulps)} cells not identical)")
        if bad.size:
            rows = np.flatnonzero(both)[bad[:3]]
            problems.append(f"{column}: {bad.size} cells beyond tolerance, e.g. " + ", ".join(
                f"{ours['instrument'][i]} {ours['datetime'][i].date()} ours={got[i]!r} talib={expected[i]!r}"
                for i in rows))
    print(f"\n{what}:\n  " + "\n  ".join(report))
    assert not problems, f"{what}:\n" + "\n".join(problems)


def run_features(alphaloom, store, out, feature_set="ta", *extra):
    alphaloom("features", "--data", store, "--set", feature_set, *extra, "--out", out)
    frame = pd.read_parquet(out)
    frame["datetime"] = pd.to_datetime(frame["datetime"]).astype("datetime64[ns]")
    frame["instrument"] = frame["instrument"].astype(str)
    return frame


def test_reference_reproduces_the_worked_numbers():
    """The harness itself: TA-Lib on reference/finml.md §10's test series gives its table."""
    t = np.arange(60, dtype=np.float64)
    close = 100 + ((37 * t) % 23) * 0.5 - 5 + 0.25 * t
    high = close + 1 + (t % 3) * 0.5
    low = close - 1 - (t % 4) * 0.25
    assert talib.RSI(close, 14)[59] == pytest.approx(55.7815030262, abs=1e-9)
    assert skip_missing(talib.EMA, np.insert(close, 5, np.nan), timeperiod=10)[60] == pytest.approx(114.6640316909,
                                                                                                      abs=1e-9)
    assert talib.ATR(high, low, close, 14)[14] == pytest.approx(6.9464285714, abs=1e-9)
    assert talib.MACD(close, 12, 26, 9)[1][33] == pytest.approx(1.7971737145, abs=1e-9)


# ---------------------------------------------------------------------------------------------
# synthetic market (suspensions, listings, splits) and real data

@pytest.fixture(scope="module")
def synthetic_store(alphaloom, tmp_path_factory):
    root = tmp_path_factory.mktemp("ta_synth")
    alphaloom("synth", "--out", root / "raw", "--instruments", SYNTH["instruments"], "--start", SYNTH["start"],
              "--end", SYNTH["end"], "--seed", SYNTH["seed"])
    alphaloom("ingest", "--input", root / "raw", "--out", root / "store", "--benchmark", "BENCH")
    return root / "store"


def test_ta_parity_synthetic(alphaloom, synthetic_store, tmp_path):
    reference = reference_frame(synthetic_store)
    closes = reference.groupby("instrument")["RET1"].apply(lambda r: r.isna().sum())
    assert (closes > 1).any(), "the synthetic market should have suspensions to exercise the missing-bar policy"
    ours = run_features(alphaloom, synthetic_store, tmp_path / "ta.parquet")
    compare(ours, reference, "ta on the synthetic market")


def test_ta_parity_real(alphaloom, real_data, tmp_path):
    """Pooksoft tickers (TSLA lists in 2010) against SPY from pandas-ta's data as the benchmark (it ends in
    2020-08, so the benchmark columns are NaN afterwards)."""
    raw = tmp_path / "raw"
    raw.mkdir()
    folder = real_data / "PooksoftSP500EquityPriceDataSet" / "daily_adjusted"
    for ticker in REAL_TICKERS:
        (raw / f"DA-{ticker}-T-2021-04-21.csv").symlink_to(folder / f"DA-{ticker}-T-2021-04-21.csv")
    (raw / "SPY.csv").symlink_to(real_data / "pandas-ta" / "data" / "SPY_D.csv")
    store = tmp_path / "store"
    alphaloom("ingest", "--input", raw, "--out", store, "--benchmark", "SPY")
    ours = run_features(alphaloom, store, tmp_path / "ta.parquet")
    compare(ours, reference_frame(store), f"ta on Pooksoft {','.join(REAL_TICKERS)} vs SPY")


def test_alpha158_and_ta_together(alphaloom, synthetic_store, tmp_path):
    both = run_features(alphaloom, synthetic_store, tmp_path / "both.parquet", "alpha158,ta")
    ta = run_features(alphaloom, synthetic_store, tmp_path / "ta.parquet")
    names = ta_names()
    assert list(both.columns[-len(names):]) == names and len(both.columns) == 2 + 158 + len(names)
    pd.testing.assert_frame_equal(both[["datetime", "instrument", *names]], ta)


def test_missing_benchmark_is_one_clear_error(alphaloom, tmp_path):
    raw = tmp_path / "raw"
    alphaloom("synth", "--out", raw, "--instruments", 2, "--start", "2020-01-01", "--end", "2020-03-31")
    store = tmp_path / "store"
    alphaloom("ingest", "--input", raw, "--out", store)
    result = alphaloom("features", "--data", store, "--set", "ta", "--out", tmp_path / "ta.parquet", check=False)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode != 0 and len(lines) == 1, result.stderr
    assert "$bench_close" in lines[0] and str(store) in lines[0] and "--benchmark" in lines[0], lines[0]
    assert not (tmp_path / "ta.parquet").exists()
