"""Runs inside .venv-qlib: Qlib's own TopK-dropout backtest (pyqlib 0.9.7) on a store in Qlib's
layout and a prediction file, and writes Qlib's daily portfolio report.

usage: qlib_backtest.py STORE PRED OUT.csv --start D --end D [--topk 50] [--n-drop 5]
           [--account 1e8] [--deal-price close] [--open-cost 0.0005] [--close-cost 0.0015]
           [--min-cost 5] [--limit-threshold 0.095 | --no-limit] [--trade-unit 100 | 0 = none]
           [--benchmark BENCH] [--risk-degree 0.95] [--hold-thresh 1] [--only-tradable]
           [--no-forbid-all-trade-at-limit]

PRED is CSV/Parquet with datetime, instrument, score. OUT.csv receives Qlib's report_normal_1day
frame (datetime, account, return, total_turnover, turnover, total_cost, cost, value, cash, bench).
The last stdout line is one JSON object: Qlib's
risk_analysis (mode "sum", freq day) of return - cost and of the excess returns with and without
cost, and the timings (init_seconds, backtest_seconds).
"""
import argparse
import json
import time
import warnings

import pandas as pd


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("store")
    parser.add_argument("pred")
    parser.add_argument("out")
    parser.add_argument("--start", required=True)
    parser.add_argument("--end", required=True)
    parser.add_argument("--topk", type=int, default=50)
    parser.add_argument("--n-drop", type=int, default=5)
    parser.add_argument("--account", type=float, default=1e8)
    parser.add_argument("--deal-price", default="close")
    parser.add_argument("--open-cost", type=float, default=0.0005)
    parser.add_argument("--close-cost", type=float, default=0.0015)
    parser.add_argument("--min-cost", type=float, default=5.0)
    parser.add_argument("--limit-threshold", type=float, default=0.095)
    parser.add_argument("--no-limit", action="store_true")
    parser.add_argument("--trade-unit", type=float, default=100)
    parser.add_argument("--benchmark", default="BENCH")
    parser.add_argument("--risk-degree", type=float, default=0.95)
    parser.add_argument("--hold-thresh", type=int, default=1)
    parser.add_argument("--only-tradable", action="store_true")
    parser.add_argument("--no-forbid-all-trade-at-limit", action="store_true")
    return parser.parse_args()


def main():
    args = parse_args()
    warnings.simplefilter("ignore")
    started = time.perf_counter()
    import qlib
    from qlib.backtest import backtest
    from qlib.backtest.executor import SimulatorExecutor
    from qlib.constant import REG_CN
    from qlib.contrib.evaluate import risk_analysis
    from qlib.contrib.strategy import TopkDropoutStrategy

    qlib.init(provider_uri=args.store, region=REG_CN, expression_cache=None, dataset_cache=None, kernels=1,
              logging_level="WARNING")
    pred = pd.read_parquet(args.pred) if args.pred.endswith(".parquet") else pd.read_csv(args.pred)
    pred["datetime"] = pd.to_datetime(pred["datetime"])
    signal = pred.set_index(["datetime", "instrument"])["score"].sort_index()
    strategy = TopkDropoutStrategy(signal=signal, topk=args.topk, n_drop=args.n_drop, risk_degree=args.risk_degree,
                                   hold_thresh=args.hold_thresh, only_tradable=args.only_tradable,
                                   forbid_all_trade_at_limit=not args.no_forbid_all_trade_at_limit)
    executor = SimulatorExecutor(time_per_step="day", generate_portfolio_metrics=True, verbose=False)
    exchange_kwargs = dict(freq="day", codes="all", deal_price=args.deal_price, open_cost=args.open_cost,
                           close_cost=args.close_cost, min_cost=args.min_cost,
                           limit_threshold=None if args.no_limit else args.limit_threshold,
                           trade_unit=None if args.trade_unit == 0 else args.trade_unit)
    init_seconds = time.perf_counter() - started
    started = time.perf_counter()
    portfolio, indicators = backtest(start_time=args.start, end_time=args.end, strategy=strategy, executor=executor,
                                     benchmark=args.benchmark, account=args.account, exchange_kwargs=exchange_kwargs)
    backtest_seconds = time.perf_counter() - started
    report, _ = portfolio["1day"]
    report.index.name = "datetime"
    report.to_csv(args.out)
    net = report["return"] - report["cost"]
    analysis = {}
    for name, series in {"return": net, "excess_return_without_cost": report["return"] - report["bench"],
                         "excess_return_with_cost": report["return"] - report["bench"] - report["cost"]}.items():
        analysis[name] = {k: float(v) for k, v in risk_analysis(series, freq="day")["risk"].items()}
    print(json.dumps({"version": qlib.__version__, "risk_analysis": analysis, "init_seconds": init_seconds,
                      "backtest_seconds": backtest_seconds, "days": len(report)}))


if __name__ == "__main__":
    main()
