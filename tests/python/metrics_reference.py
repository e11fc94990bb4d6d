"""Reference metrics from empyrical-reloaded and quantstats (run by .venv-ref/bin/python).

    metrics_reference.py RETURNS_CSV OUT_JSON [PERIODS]

RETURNS_CSV has columns datetime, return and optionally benchmark. OUT_JSON receives
{"versions": {...}, "empyrical": {...}, "quantstats": {...}, "scipy": {...}} with one value per metric
(NaN and infinities as the JSON tokens NaN / Infinity, which Python's json reads back; a library that
raises gives the string "error: <exception>"). Every call passes its conventions explicitly (rf 0,
periods) so a library default change cannot slip in.
"""
import json
import sys
import warnings

import empyrical as ep
import numpy as np
import pandas as pd
import quantstats as qs
import scipy
import scipy.stats


def main():
    source, out = sys.argv[1], sys.argv[2]
    periods = int(sys.argv[3]) if len(sys.argv) > 3 else 252
    frame = pd.read_csv(source, parse_dates=["datetime"]).set_index("datetime")
    r = frame["return"].astype("float64")
    b = frame["benchmark"].astype("float64") if "benchmark" in frame else None
    warnings.simplefilter("ignore")

    empyrical = {
        "cumulative_return": lambda: ep.cum_returns_final(r),
        "annual_return": lambda: ep.annual_return(r, annualization=periods),
        "annual_volatility": lambda: ep.annual_volatility(r, annualization=periods),
        "sharpe": lambda: ep.sharpe_ratio(r, risk_free=0.0, annualization=periods),
        "sortino": lambda: ep.sortino_ratio(r, required_return=0.0, annualization=periods),
        "downside_deviation": lambda: ep.downside_risk(r, required_return=0.0, annualization=periods),
        "calmar": lambda: ep.calmar_ratio(r, annualization=periods),
        "max_drawdown": lambda: ep.max_drawdown(r),
        "omega": lambda: ep.omega_ratio(r, risk_free=0.0, required_return=0.0, annualization=periods),
        "tail_ratio": lambda: ep.tail_ratio(r),
        "value_at_risk": lambda: ep.value_at_risk(r, cutoff=0.05),
        "conditional_value_at_risk": lambda: ep.conditional_value_at_risk(r, cutoff=0.05),
    }
    quantstats = {
        "cumulative_return": lambda: qs.stats.comp(r),
        "annual_return": lambda: qs.stats.cagr(r, rf=0.0, compounded=True, periods=periods),
        "annual_volatility": lambda: qs.stats.volatility(r, periods=periods, annualize=True),
        "sharpe": lambda: qs.stats.sharpe(r, rf=0.0, periods=periods, annualize=True),
        "sortino": lambda: qs.stats.sortino(r, rf=0.0, periods=periods, annualize=True),
        "calmar": lambda: qs.stats.calmar(r, periods=periods),
        "max_drawdown": lambda: qs.stats.max_drawdown(r),
        "omega": lambda: qs.stats.omega(r, rf=0.0, required_return=0.0, periods=periods),
        "tail_ratio": lambda: qs.stats.tail_ratio(r, cutoff=0.95),
        "value_at_risk": lambda: qs.stats.value_at_risk(r, sigma=1, confidence=0.95),
        "conditional_value_at_risk": lambda: qs.stats.cvar(r, sigma=1, confidence=0.95),
        "win_rate": lambda: qs.stats.win_rate(r),
        "profit_factor": lambda: qs.stats.profit_factor(r),
        "skew": lambda: qs.stats.skew(r),
        "kurtosis": lambda: qs.stats.kurtosis(r),
    }
    clean = r.dropna().to_numpy()
    scipy_values = {
        "skew": lambda: scipy.stats.skew(clean, bias=True) if len(clean) else float("nan"),
        "kurtosis": lambda: scipy.stats.kurtosis(clean, fisher=True, bias=True) if len(clean) else float("nan"),
    }
    if b is not None:
        # Both libraries report the per-period ratio; the harness annualizes it by sqrt(periods).
        empyrical["information_ratio"] = lambda: float(ep.excess_sharpe(r, b)) * np.sqrt(periods)
        quantstats["information_ratio"] = lambda: float(qs.stats.information_ratio(r, b)) * np.sqrt(periods)

    def plain(values):
        result = {}
        for key, compute in values.items():
            try:
                result[key] = float(compute())
            except Exception as error:  # a reference failing on a degenerate series is a finding, not a crash
                result[key] = f"error: {type(error).__name__}: {error}"
        return result

    result = {
        "versions": {"empyrical": ep.__version__, "quantstats": qs.__version__, "numpy": np.__version__,
                     "pandas": pd.__version__, "scipy": scipy.__version__},
        "empyrical": plain(empyrical),
        "quantstats": plain(quantstats),
        "scipy": plain(scipy_values),
    }
    with open(out, "w") as handle:
        json.dump(result, handle, allow_nan=True)


if __name__ == "__main__":
    main()
