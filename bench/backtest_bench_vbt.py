"""Runs inside .venv-bt: vectorbt's Portfolio.from_orders on the orders an AlphaLoom backtest
dealt (trades.parquet of its run folder), over the same dates and instruments, at the same deal
prices. Prints one JSON line: seconds of the timed call (after one untimed warm-up call that
compiles vectorbt's numba kernels), final value, orders.

usage: backtest_bench_vbt.py RUN_DIR CLOSE.csv --cash C --fees F [--repeats K]
CLOSE.csv: datetime x instrument matrix of deal prices (wide), written by backtest_bench.py (CSV:
.venv-bt has no Parquet engine).
"""
import argparse
import json
import time

import numpy as np
import pandas as pd
import vectorbt as vbt


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("run")
    parser.add_argument("prices")
    parser.add_argument("--cash", type=float, required=True)
    parser.add_argument("--fees", type=float, required=True)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    prices = pd.read_csv(args.prices, index_col=0, parse_dates=True)
    trades = pd.read_csv(f"{args.run}/trades.csv")
    trades = trades[trades["amount"] > 0]
    signed = np.where(trades["side"] == "buy", trades["amount"], -trades["amount"])
    matrix = np.full(prices.shape, np.nan)
    rows = prices.index.get_indexer(pd.to_datetime(trades["datetime"]))
    cols = prices.columns.get_indexer(trades["instrument"])
    matrix[rows, cols] = signed
    size = pd.DataFrame(matrix, index=prices.index, columns=prices.columns)

    def run():
        return vbt.Portfolio.from_orders(prices, size=size, size_type="amount", fees=args.fees, init_cash=args.cash,
                                         cash_sharing=True, group_by=True, call_seq="auto", freq="1D")

    run()  # numba compilation
    best = float("inf")
    for _ in range(args.repeats):
        started = time.perf_counter()
        portfolio = run()
        final = float(portfolio.final_value())
        best = min(best, time.perf_counter() - started)
    print(json.dumps({"seconds": best, "final_value": final, "orders": int(len(trades)),
                      "version": vbt.__version__}))


if __name__ == "__main__":
    main()
