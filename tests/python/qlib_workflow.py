"""Runs inside .venv-qlib: Qlib's WHOLE LightGBM / Alpha158 benchmark workflow (what `qrun
examples/benchmarks/LightGBM/workflow_config_lightgbm_Alpha158.yaml` does; reference/qlib.md
sections 5-7) on a store in Qlib's layout, and writes what it recorded.

usage: qlib_workflow.py STORE OUT_DIR TRAIN_START TRAIN_END VALID_START VALID_END TEST_START TEST_END
                        [--benchmark BENCH] [--market all] [--threads 2] [--region cn]

The workflow file is the benchmark's yaml with only the data-dependent values replaced: the
provider_uri (STORE), the market (all) and benchmark (BENCH), the handler's time range and fit
window, the three segments, the backtest window (the test segment, as in the yaml) and
LightGBM's num_threads. Everything else is the yaml as published: Alpha158 with its default
processors, LGBModel with the benchmark's parameters (1000 rounds, early stopping 50 are the
wrapper's defaults), SignalRecord -> SigAnaRecord(ana_long_short=False, ann_scaler=252) ->
PortAnaRecord with TopkDropoutStrategy(topk=50, n_drop=5) on the model's test predictions, account
1e8, exchange limit 0.095 / close / 0.0005 / 0.0015 / 5 and region cn (lots of 100). It is run by
`qlib.cli.run.workflow`, the function behind the `qrun` command, in a temporary working directory
(Qlib's MLflow file store goes there).

OUT_DIR receives workflow.yaml (the file given to qrun), pred.parquet (datetime, instrument,
score: the recorded test predictions), report.csv (Qlib's report_normal_1day: account, return,
cost, bench, turnover, ...) and result.json: {"version", "ic", "icir", "rank_ic", "rank_icir",
"ic_days", "best_iteration", "risk_analysis": {"excess_return_without_cost": {...},
"excess_return_with_cost": {...}} (port_analysis_1day.pkl: mean, std, annualized_return,
information_ratio, max_drawdown), "days", "workflow_seconds"}.
"""
import argparse
import json
import os
import pathlib
import sys
import tempfile
import time
import warnings

WORKFLOW = """\
qlib_init:
    provider_uri: "{store}"
    region: {region}
market: &market {market}
benchmark: &benchmark {benchmark}
data_handler_config: &data_handler_config
    start_time: {train_start}
    end_time: {test_end}
    fit_start_time: {train_start}
    fit_end_time: {train_end}
    instruments: *market
port_analysis_config: &port_analysis_config
    strategy:
        class: TopkDropoutStrategy
        module_path: qlib.contrib.strategy
        kwargs:
            signal:
                - <MODEL>
                - <DATASET>
            topk: 50
            n_drop: 5
    backtest:
        start_time: {test_start}
        end_time: {test_end}
        account: 100000000
        benchmark: *benchmark
        exchange_kwargs:
            limit_threshold: 0.095
            deal_price: close
            open_cost: 0.0005
            close_cost: 0.0015
            min_cost: 5
task:
    model:
        class: LGBModel
        module_path: qlib.contrib.model.gbdt
        kwargs:
            loss: mse
            colsample_bytree: 0.8879
            learning_rate: 0.2
            subsample: 0.8789
            lambda_l1: 205.6999
            lambda_l2: 580.9768
            max_depth: 8
            num_leaves: 210
            num_threads: {threads}
    dataset:
        class: DatasetH
        module_path: qlib.data.dataset
        kwargs:
            handler:
                class: Alpha158
                module_path: qlib.contrib.data.handler
                kwargs: *data_handler_config
            segments:
                train: [{train_start}, {train_end}]
                valid: [{valid_start}, {valid_end}]
                test: [{test_start}, {test_end}]
    record:
        - class: SignalRecord
          module_path: qlib.workflow.record_temp
          kwargs:
            model: <MODEL>
            dataset: <DATASET>
        - class: SigAnaRecord
          module_path: qlib.workflow.record_temp
          kwargs:
            ana_long_short: False
            ann_scaler: 252
        - class: PortAnaRecord
          module_path: qlib.workflow.record_temp
          kwargs:
            config: *port_analysis_config
"""

EXPERIMENT = "alphaloom_parity"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("store")
    parser.add_argument("out_dir")
    parser.add_argument("segments", nargs=6)
    parser.add_argument("--benchmark", default="BENCH")
    parser.add_argument("--market", default="all")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--region", default="cn")
    args = parser.parse_args()
    train_start, train_end, valid_start, valid_end, test_start, test_end = args.segments
    store, out_dir = os.path.abspath(args.store), pathlib.Path(args.out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    workflow_file = out_dir / "workflow.yaml"
    workflow_file.write_text(WORKFLOW.format(
        store=store, region=args.region, market=args.market, benchmark=args.benchmark, threads=args.threads,
        train_start=train_start, train_end=train_end, valid_start=valid_start, valid_end=valid_end,
        test_start=test_start, test_end=test_end))

    # Qlib's recorder is an MLflow file store (MLflow 3.13+ refuses it unless allowed) under the
    # working directory, where Qlib also puts a lock file: work in a temporary directory.
    os.environ.setdefault("MLFLOW_ALLOW_FILE_STORE", "true")
    warnings.simplefilter("ignore")
    os.chdir(tempfile.mkdtemp(prefix="qlib-workflow-"))
    started = time.perf_counter()
    import qlib
    from qlib.cli.run import workflow
    from qlib.workflow import R

    workflow(str(workflow_file), experiment_name=EXPERIMENT, uri_folder="mlruns")
    workflow_seconds = time.perf_counter() - started

    recorder = R.get_recorder(experiment_name=EXPERIMENT)
    pred = recorder.load_object("pred.pkl")
    ic = recorder.load_object("sig_analysis/ic.pkl")
    rank_ic = recorder.load_object("sig_analysis/ric.pkl")
    report = recorder.load_object("portfolio_analysis/report_normal_1day.pkl")
    analysis = recorder.load_object("portfolio_analysis/port_analysis_1day.pkl")
    model = recorder.load_object("params.pkl")

    frame = pred.reset_index()
    frame.columns = ["datetime", "instrument", "score"]
    frame.to_parquet(out_dir / "pred.parquet", index=False)
    report.index.name = "datetime"
    report.to_csv(out_dir / "report.csv")
    risk = {series: {name: float(analysis.loc[(series, name), "risk"]) for name in analysis.loc[series].index}
            for series in ("excess_return_without_cost", "excess_return_with_cost")}
    result = {"version": qlib.__version__, "ic": float(ic.mean()), "icir": float(ic.mean() / ic.std()),
              "rank_ic": float(rank_ic.mean()), "rank_icir": float(rank_ic.mean() / rank_ic.std()),
              "ic_days": int(ic.count()), "best_iteration": int(model.model.best_iteration),
              "risk_analysis": risk, "days": len(report), "first_day": str(report.index[0].date()),
              "last_day": str(report.index[-1].date()), "workflow_seconds": workflow_seconds}
    (out_dir / "result.json").write_text(json.dumps(result, indent=1))
    print(json.dumps({k: v for k, v in result.items() if k != "risk_analysis"}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
