"""Qlib's own risk_analysis on a return file (run by .venv-qlib/bin/python).

    qlib_risk_analysis.py RETURNS_CSV OUT_JSON

RETURNS_CSV has datetime, return and optionally benchmark and cost. OUT_JSON receives, for each series
("return"; with a benchmark also "excess_return_without_cost" = return - benchmark and
"excess_return_with_cost" = return - benchmark - cost, as PortAnaRecord builds them), the five rows
of `qlib.contrib.evaluate.risk_analysis` in mode "sum" with freq "day" (N = 238) and in mode
"product" with N = 252.
"""
import json
import sys
import warnings

import pandas as pd
import qlib
from qlib.contrib.evaluate import risk_analysis


def main():
    source, out = sys.argv[1], sys.argv[2]
    warnings.simplefilter("ignore")
    frame = pd.read_csv(source, parse_dates=["datetime"]).set_index("datetime")
    r = frame["return"].astype("float64")
    series = {"return": r - frame["cost"] if "cost" in frame else r}
    if "benchmark" in frame:
        series["excess_return_without_cost"] = r - frame["benchmark"]
        cost = frame["cost"] if "cost" in frame else 0.0
        series["excess_return_with_cost"] = r - frame["benchmark"] - cost
    result = {"version": qlib.__version__, "sum": {}, "product": {}}
    for name, values in series.items():
        result["sum"][name] = {k: float(v) for k, v in risk_analysis(values, freq="day")["risk"].items()}
        result["product"][name] = {k: float(v) for k, v in
                                   risk_analysis(values, N=252, freq=None, mode="product")["risk"].items()}
    with open(out, "w") as handle:
        json.dump(result, handle, allow_nan=True)


if __name__ == "__main__":
    main()
