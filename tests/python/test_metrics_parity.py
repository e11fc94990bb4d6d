"""`alphaloom metrics` against empyrical-reloaded, quantstats and scipy (pinned in .venv-ref) and
against Qlib's own risk_analysis (pyqlib 0.9.7 in .venv-qlib).

Each case writes one return CSV, runs `alphaloom metrics` on it and the reference harnesses
(tests/python/metrics_reference.py, tests/python/qlib_risk_analysis.py) in their own venvs, and
compares metric by metric within a relative tolerance of 1e-9:

* where empyrical and quantstats compute the same quantity and agree with each other, AlphaLoom must
  agree with both;
* where a library defines the quantity differently (DEFINITION_DIFFERENCES) or a degenerate case
  splits them (the case's `differs`), AlphaLoom follows reference/finml.md (empyrical's definition
  where finml.md does not choose) and the pair is reported, not compared; each such pair is
  documented in docs/metrics.md, "Differences from empyrical and quantstats";
* Qlib's risk_analysis must be reproduced for the net return and both excess series, mode "sum"
  (the qlib preset) and mode "product" (the default preset, N 252).

Real series come from ../shared/data/real (skipped with a message when absent); synthetic ones are
seeded.
"""
import json
import math
import pathlib
import subprocess

import numpy as np
import pandas as pd
import pytest

from conftest import ROOT

HERE = ROOT / "tests" / "python"
REF_PYTHON = ROOT / ".venv-ref" / "bin" / "python"
RTOL = 1e-9
ATOL = 1e-15

# ours -> the libraries that compute the same quantity under the same name.
LIBRARIES = {
    "cumulative_return": ("empyrical", "quantstats"),
    "annual_return": ("empyrical", "quantstats"),
    "annual_volatility": ("empyrical", "quantstats"),
    "sharpe": ("empyrical", "quantstats"),
    "sortino": ("empyrical", "quantstats"),
    "downside_deviation": ("empyrical",),
    "calmar": ("empyrical", "quantstats"),
    "max_drawdown": ("empyrical", "quantstats"),
    "omega": ("empyrical", "quantstats"),
    "tail_ratio": ("empyrical", "quantstats"),
    "value_at_risk": ("empyrical", "quantstats"),
    "conditional_value_at_risk": ("empyrical", "quantstats"),
    "win_rate": ("quantstats",),
    "profit_factor": ("quantstats",),
    "skew": ("scipy", "quantstats"),
    "kurtosis": ("scipy", "quantstats"),
    "information_ratio": ("empyrical", "quantstats"),
}
# Pairs that differ by definition on every series (docs/metrics.md explains each).
DEFINITION_DIFFERENCES = {
    ("value_at_risk", "quantstats"): "parametric (normal) VaR; ours is historical like empyrical",
    ("conditional_value_at_risk", "quantstats"): "closed-form normal expected shortfall; ours is historical",
    ("skew", "quantstats"): "pandas' bias-corrected skew; ours is the biased sample skew (scipy, PSR input)",
    ("kurtosis", "quantstats"): "pandas' bias-corrected excess kurtosis; ours is biased (scipy)",
}


def encode_csv(path, returns, benchmark=None, cost=None, start="2015-01-02"):
    frame = pd.DataFrame({"datetime": pd.bdate_range(start, periods=len(returns)).strftime("%Y-%m-%d"),
                          "return": returns})
    if benchmark is not None:
        frame["benchmark"] = benchmark
    if cost is not None:
        frame["cost"] = cost
    frame.to_csv(path, index=False, float_format="%.17g")
    return path


def same(a, b):
    if not isinstance(a, float) or not isinstance(b, float):
        return False  # a missing value or a library's "error: ..." string
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if math.isinf(a) or math.isinf(b):
        return a == b
    return math.isclose(a, b, rel_tol=RTOL, abs_tol=ATOL)


def ours_value(summary, key):
    value = summary.get(key)
    if value is None:
        return math.nan
    if isinstance(value, str):
        return float(value.replace("Infinity", "inf"))
    return float(value)


def run_reference(path, out):
    if not REF_PYTHON.exists():
        pytest.fail(f"{REF_PYTHON} missing; scripts/setup.sh creates it from requirements-ref.txt")
    result = subprocess.run([str(REF_PYTHON), str(HERE / "metrics_reference.py"), str(path), str(out)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"metrics_reference.py failed:\n{result.stdout}\n{result.stderr[-3000:]}"
    return json.loads(pathlib.Path(out).read_text())


def compare(alphaloom, tmp_path, name, returns, benchmark=None, differs=()):
    """Runs both sides on one series; returns the report lines. `differs` lists (metric, library)
    pairs that this degenerate case is expected to split."""
    csv = encode_csv(tmp_path / f"{name}.csv", returns, benchmark)
    alphaloom("-q", "metrics", "--returns", csv, "--out", tmp_path / f"{name}.json")
    summary = json.loads((tmp_path / f"{name}.json").read_text())
    reference = run_reference(csv, tmp_path / f"{name}.ref.json")
    failures, notes = [], []
    worst = 0.0
    for key, libraries in LIBRARIES.items():
        if key == "information_ratio" and benchmark is None:
            continue
        ours = ours_value(summary, key)
        values = {lib: reference[lib].get(key) for lib in libraries}
        values = {lib: float(v) if isinstance(v, (int, float)) else v for lib, v in values.items()}
        for lib, value in values.items():
            documented = DEFINITION_DIFFERENCES.get((key, lib)) or ((key, lib) in differs and "degenerate case")
            if documented:
                notes.append(f"{key}: ours {ours!r} vs {lib} {value!r} ({documented})")
                continue
            if not same(ours, value):
                failures.append(f"{key}: ours {ours!r} vs {lib} {value!r} (rel diff "
                                f"{abs(ours - value) / max(abs(value), 1e-300):.3g})")
            elif isinstance(value, float) and math.isfinite(value) and value != 0:
                worst = max(worst, abs(ours - value) / abs(value))
        # Where both libraries compute it and agree, they agree with us too (checked above); say so.
        if len(values) == 2 and all(v is not None for v in values.values()):
            a, b = values.values()
            if not same(a, b) and not any(DEFINITION_DIFFERENCES.get((key, lib)) for lib in libraries) \
                    and not any((key, lib) in differs for lib in libraries):
                failures.append(f"{key}: empyrical and quantstats disagree ({a!r} vs {b!r}) on a case not "
                                f"marked as degenerate")
    for key, lib in differs:
        value = reference[lib][key]
        assert not same(float(value) if isinstance(value, (int, float)) else value, ours_value(summary, key)), \
            f"{name}: {key} vs {lib} is marked as a difference but agrees; update the case and docs/metrics.md"
    print(f"{name}: {len(returns)} returns, largest relative difference {worst:.2g}, versions {reference['versions']}")
    for line in notes:
        print("  documented:", line)
    assert not failures, f"{name}: AlphaLoom differs from the references:\n  " + "\n  ".join(failures)
    return summary


# ---------------------------------------------------------------------------------------------
# synthetic series

def synthetic_cases():
    rng = np.random.default_rng(20240611)
    normal = rng.normal(0.0005, 0.01, 2500)
    fat = 0.01 * rng.standard_t(3, 2000) + 0.0003
    flat_days = np.where(rng.random(1500) < 0.3, 0.0, rng.normal(0.0002, 0.012, 1500))
    losing = rng.normal(-0.0008, 0.015, 800)
    bench = rng.normal(0.0003, 0.009, 2500)
    active = 0.6 * bench + rng.normal(0.0002, 0.004, 2500)
    return {
        "normal": (normal, None),
        "fat_tailed": (fat, None),
        "flat_days": (flat_days, None),
        "losing": (losing, None),
        "with_benchmark": (active, bench),
        "finml_five": (np.array([0.01, -0.02, 0.015, 0.003, -0.007]), None),
    }


@pytest.mark.parametrize("name", list(synthetic_cases()))
def test_synthetic_series_match_references(alphaloom, tmp_path, name):
    returns, benchmark = synthetic_cases()[name]
    compare(alphaloom, tmp_path, name, returns, benchmark)


# Degenerate series where the two libraries part ways; AlphaLoom's choice is in docs/metrics.md.
EDGE_CASES = {
    # No losing period: Sortino +inf (empyrical) vs NaN (quantstats); no drawdown: Calmar NaN
    # (empyrical) vs ZeroDivisionError (quantstats 0.0.86).
    "no_loss": ([0.01, 0.02, 0.0, 0.005, 0.01], {("sortino", "quantstats"), ("calmar", "quantstats")}),
    "constant": ([0.001] * 6, {("sortino", "quantstats"), ("calmar", "quantstats")}),
    # Nothing but flat periods: win rate and profit factor are undefined (NaN); quantstats says 0.0.
    "all_zero": ([0.0] * 5, {("win_rate", "quantstats"), ("profit_factor", "quantstats"),
                             ("calmar", "quantstats")}),
    # The 5th percentile is exactly 0: empyrical divides (+inf), quantstats and AlphaLoom give NaN.
    "p5_zero": ([0.0, 0.0, 0.0, 0.01, 0.02, -0.01, 0.03] + [0.0] * 18, {("tail_ratio", "empyrical")}),
    # A NaN return: AlphaLoom skips it everywhere; empyrical's annual_return counts it in n (and so
    # does its Calmar), and its VaR becomes NaN.
    "with_nan": ([0.01, math.nan, -0.02, 0.015, 0.004], {("annual_return", "empyrical"), ("calmar", "empyrical"),
                                                          ("value_at_risk", "empyrical")}),
    "two_returns": ([0.01, -0.02], set()),
    "total_loss": ([0.1, -1.0, 0.05], set()),
}


@pytest.mark.parametrize("name", list(EDGE_CASES))
def test_degenerate_series(alphaloom, tmp_path, name):
    returns, differs = EDGE_CASES[name]
    compare(alphaloom, tmp_path, name, np.array(returns, dtype=float), differs=differs)


# ---------------------------------------------------------------------------------------------
# real series: adjusted daily returns of S&P 500 names, SPY as the benchmark

REAL_TICKERS = ["AAPL", "MSFT", "GE", "XOM", "JPM"]


def real_returns(real_data, ticker):
    path = real_data / "PooksoftSP500EquityPriceDataSet" / "daily_adjusted" / f"DA-{ticker}-T-2021-04-21.csv"
    frame = pd.read_csv(path, parse_dates=["timestamp"]).set_index("timestamp")
    return frame["adjusted_close"].pct_change().iloc[1:]


def spy_returns(real_data):
    frame = pd.read_csv(real_data / "pandas-ta" / "data" / "SPY_D.csv", parse_dates=["date"]).set_index("date")
    return frame["close"].pct_change().iloc[1:]


def real_case(real_data, ticker, last=None):
    r = real_returns(real_data, ticker)
    b = spy_returns(real_data)
    common = r.index.intersection(b.index)
    r, b = r.loc[common], b.loc[common]
    if last:
        r, b = r.iloc[-last:], b.iloc[-last:]
    return r, b


@pytest.mark.parametrize("ticker", REAL_TICKERS)
def test_real_series_match_references(alphaloom, tmp_path, real_data, ticker):
    r, b = real_case(real_data, ticker)
    summary = compare(alphaloom, tmp_path, ticker, r.to_numpy(), b.to_numpy())
    assert summary["observations"] == len(r) > 5000


def test_real_last_year(alphaloom, tmp_path, real_data):
    r, b = real_case(real_data, "AAPL", last=250)
    compare(alphaloom, tmp_path, "AAPL_250", r.to_numpy(), b.to_numpy())


# ---------------------------------------------------------------------------------------------
# Qlib's risk_analysis

def run_qlib(qlib_python, path, out):
    result = subprocess.run([str(qlib_python), str(HERE / "qlib_risk_analysis.py"), str(path), str(out)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"qlib_risk_analysis.py failed:\n{result.stdout}\n{result.stderr[-3000:]}"
    return json.loads(pathlib.Path(out).read_text())


def check_risk_analysis(alphaloom, qlib_python, tmp_path, name, returns, benchmark, cost):
    csv = encode_csv(tmp_path / f"{name}.csv", returns, benchmark, cost)
    reference = run_qlib(qlib_python, csv, tmp_path / f"{name}.qlib.json")
    failures = []
    compared = 0
    worst = 0.0
    for preset, mode in (("qlib", "sum"), ("default", "product")):
        out = tmp_path / f"{name}.{preset}.json"
        alphaloom("-q", "metrics", "--returns", csv, "--preset", preset, "--out", out)
        summary = json.loads(out.read_text())
        for series, rows in reference[mode].items():
            for row, expected in rows.items():
                ours = ours_value(summary["risk_analysis"][series], row)
                compared += 1
                if not same(ours, float(expected)):
                    failures.append(f"{preset}/{mode} {series}.{row}: ours {ours!r} vs qlib {expected!r}")
                elif math.isfinite(expected) and expected != 0:
                    worst = max(worst, abs(ours - expected) / abs(expected))
        if preset == "qlib":
            # The headline numbers of the qlib preset are Qlib's own for the net return series.
            rows = reference["sum"]["return"]
            for ours_key, row in (("annual_return", "annualized_return"), ("sharpe", "information_ratio"),
                                  ("max_drawdown", "max_drawdown")):
                compared += 1
                if not same(ours_value(summary, ours_key), float(rows[row])):
                    failures.append(f"qlib preset {ours_key}: {summary[ours_key]!r} vs qlib {row} {rows[row]!r}")
    print(f"{name}: {compared} numbers compared with pyqlib {reference['version']}, largest relative difference "
          f"{worst:.2g}")
    assert not failures, f"{name}: AlphaLoom differs from Qlib's risk_analysis:\n  " + "\n  ".join(failures)


def test_qlib_risk_analysis_synthetic(alphaloom, qlib_python, tmp_path):
    rng = np.random.default_rng(7)
    bench = rng.normal(0.0003, 0.01, 1200)
    returns = 0.8 * bench + rng.normal(0.0004, 0.006, 1200)
    cost = np.abs(rng.normal(0.0002, 0.0001, 1200))
    check_risk_analysis(alphaloom, qlib_python, tmp_path, "synthetic", returns, bench, cost)


@pytest.mark.parametrize("ticker", ["AAPL", "XOM"])
def test_qlib_risk_analysis_real(alphaloom, qlib_python, tmp_path, real_data, ticker):
    r, b = real_case(real_data, ticker)
    cost = np.full(len(r), 0.0001)
    check_risk_analysis(alphaloom, qlib_python, tmp_path, ticker, r.to_numpy(), b.to_numpy(), cost)
