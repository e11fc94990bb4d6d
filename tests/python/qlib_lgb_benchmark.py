"""Runs inside .venv-qlib: Qlib's LightGBM / Alpha158 benchmark model (reference/qlib.md section 5)
on a store in Qlib's layout, and writes the test segment's predictions and IC.

usage: qlib_lgb_benchmark.py STORE OUT.json TRAIN_START TRAIN_END VALID_START VALID_END TEST_START TEST_END
                             [--threads N]

What it runs is the benchmark yaml's model and dataset: the Alpha158 handler with its default
processors (learn: DropnaLabel, CSZScoreNorm on the label; infer: none), DatasetH segments, and
LGBModel(loss="mse", colsample_bytree=0.8879, learning_rate=0.2, subsample=0.8789,
lambda_l1=205.6999, lambda_l2=580.9768, max_depth=8, num_leaves=210) with the wrapper's
defaults (1000 rounds, early stopping 50 on the valid segment). The IC is Qlib's calc_ic of the
test predictions against the raw label (DK_R), as SigAnaRecord computes it. OUT.json holds
{"ic", "rank_ic", "best_iteration", "predictions": [[date, instrument, score], ...]}.
"""
import argparse
import json
import os
import pathlib
import sys
import tempfile
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("store")
    parser.add_argument("out")
    parser.add_argument("segments", nargs=6)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--prepare-only", action="store_true",
                        help="time the data preparation (handler + DatasetH.prepare of the three segments) and stop")
    args = parser.parse_args()
    train_start, train_end, valid_start, valid_end, test_start, test_end = args.segments

    import qlib
    from qlib.constant import REG_US
    from qlib.contrib.data.handler import Alpha158
    from qlib.contrib.eva.alpha import calc_ic
    from qlib.contrib.model.gbdt import LGBModel
    from qlib.data.dataset import DatasetH
    from qlib.data.dataset.handler import DataHandlerLP

    # LGBModel.fit logs its evaluation results to Qlib's recorder (an MLflow file store): keep it
    # in a temporary directory, and allow the file store MLflow 3.13+ refuses by default.
    # Qlib also puts a lock file relative to the working directory: work in the temporary one.
    os.environ.setdefault("MLFLOW_ALLOW_FILE_STORE", "true")
    store, out_path = os.path.abspath(args.store), os.path.abspath(args.out)
    runs = tempfile.mkdtemp(prefix="qlib-mlruns-")
    os.chdir(runs)
    qlib.init(provider_uri=store, region=REG_US, expression_cache=None, dataset_cache=None, kernels=1,
              exp_manager={"class": "MLflowExpManager", "module_path": "qlib.workflow.expm",
                           "kwargs": {"uri": pathlib.Path(runs).as_uri(), "default_exp_name": "Experiment"}})
    started = time.perf_counter()
    handler = Alpha158(instruments="all", start_time=train_start, end_time=test_end, fit_start_time=train_start,
                       fit_end_time=train_end)
    dataset = DatasetH(handler, segments={"train": (train_start, train_end), "valid": (valid_start, valid_end),
                                          "test": (test_start, test_end)})
    if args.prepare_only:
        sizes = {name: len(dataset.prepare(name, col_set=["feature", "label"], data_key=DataHandlerLP.DK_L))
                 for name in ("train", "valid")}
        sizes["test"] = len(dataset.prepare("test", col_set="feature", data_key=DataHandlerLP.DK_I))
        report = {"prepare_seconds": time.perf_counter() - started, "rows": sizes}
        with open(out_path, "w") as out:
            json.dump(report, out)
        print(json.dumps(report))
        return 0
    model = LGBModel(loss="mse", colsample_bytree=0.8879, learning_rate=0.2, subsample=0.8789, lambda_l1=205.6999,
                     lambda_l2=580.9768, max_depth=8, num_leaves=210, num_threads=args.threads)
    model.fit(dataset)
    prediction = model.predict(dataset, segment="test")
    label = dataset.prepare("test", col_set="label", data_key=DataHandlerLP.DK_R)
    ic, rank_ic = calc_ic(prediction, label.iloc[:, 0])
    rows = [[str(date.date()), str(instrument), float(score)] for (date, instrument), score in prediction.items()]
    with open(out_path, "w") as out:
        json.dump({"ic": float(ic.mean()), "rank_ic": float(rank_ic.mean()), "ic_days": int(ic.count()),
                   "best_iteration": int(model.model.best_iteration), "predictions": rows}, out)
    print(json.dumps({"ic": float(ic.mean()), "rank_ic": float(rank_ic.mean())}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
