"""Shared pieces of the MLflow compatibility tests: a small train/backtest/report output set
written the way `alphaloom train`, `backtest` and `report` write them, the workflow that tracks
it, what the real MLflow client must read back, and the checker run in .venv-mlflow."""
import hashlib
import json
import os
import pathlib
import struct
import subprocess
import zlib

import pytest

from conftest import ROOT

MLFLOW_PYTHON = ROOT / ".venv-mlflow" / "bin" / "python"
MLFLOW_CLI = ROOT / ".venv-mlflow" / "bin" / "mlflow"
CHECKER = ROOT / "tests" / "python" / "mlflow_check.py"

VALID_LOSS = [[0.99, 0.985, 0.9801, 0.98], [0.97, 0.96, float("nan")]]
FOLDS = [{"name": "wf0", "ic": 0.0417, "rank_ic": 0.0178, "rows": 43467},
         {"name": "wf1", "ic": 0.0331, "rank_ic": 0.0221, "rows": 44503}]
OVERALL = {"ic": 0.0371, "rank_ic": 0.0219, "icir": 0.1768, "rows": 222519}
SUMMARY = {"start": "2020-01-29", "end": "2020-10-07", "conventions": {"preset": "qlib"},
           "sharpe": 1.3725, "sortino": 1.9, "max_drawdown": -0.041, "profit_factor": 1.3,
           "minimum_track_record_length": "Infinity", "deflated_sharpe_ratio": 0.97}


def png_bytes(width=4, height=3):
    """A real (tiny) RGB PNG image."""
    rows = b"".join(b"\x00" + b"".join(bytes([40 * x % 256, 80 * y % 256, 160]) for x in range(width))
                    for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def write_outputs(root: pathlib.Path):
    """train/, backtest/ and report/ folders; returns their paths."""
    train, backtest, report = root / "train", root / "backtest", root / "report"
    folds = []
    for index, fold in enumerate(FOLDS):
        folds.append(dict(fold, best_iteration=len(VALID_LOSS[index]) - 1))
        model = train / "model" / f"fold{index}"
        model.mkdir(parents=True)
        (model / "model.txt").write_text(f"tree\nversion=v4\nfold={index}\n")
        (model / "metadata.json").write_text(json.dumps(
            {"backend": "lightgbm", "data_hash": "d" * 64, "factor_set_hash": "f" * 64, "library": "lightgbm",
             "library_version": "4.6.0",
             "training": {"valid_loss": [None if v != v else v for v in VALID_LOSS[index]], "metric": "l2"}}))
    (train / "model" / "ensemble.json").write_text(json.dumps({"backend": "lightgbm", "folds": ["fold0", "fold1"]}))
    (train / "metrics.json").write_text(json.dumps({"features": 158, "folds": folds, "overall": OVERALL}, indent=2))
    (train / "importance.csv").write_text("feature,gain,split\nKMID,12.5,3\nROC5,7.25,2\n")
    (train / "oof_predictions.parquet").write_bytes(b"PAR1" + bytes(range(256)) * 4 + b"PAR1")
    backtest.mkdir()
    (backtest / "summary.json").write_text(json.dumps(SUMMARY, indent=2))
    (backtest / "daily.csv").write_text("date,return\n2020-01-29,0.01\n2020-01-30,-0.002\n")
    report.mkdir()
    (report / "equity.png").write_bytes(png_bytes())
    (report / "drawdown.png").write_bytes(png_bytes(5, 2))
    (report / "index.html").write_text("<html><body><h1>report</h1><img src='equity.png'></body></html>")
    return train, backtest, report


def workflow_text(tracking: dict) -> str:
    lines = ["name: mlflow-compat", "data:", "  store: demo/store", "model:", "  kind: lightgbm",
             "  num_rounds: 300", "  params: {learning_rate: 0.05, num_leaves: 7}", "factors:",
             "  sets: [alpha158, ta]", "tracking:"]
    lines += [f"  {key}: {value}" for key, value in tracking.items()]
    return "\n".join(lines) + "\n"


def sha(path: pathlib.Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def expectation(tracking_uri, experiment, run_name, config_path, train, backtest, report, tracking: dict,
                model=None, registry_uri=None, source_run_id=None, status="FINISHED"):
    """The dict mlflow_check.py compares against."""
    params = {"name": "mlflow-compat", "data.store": "demo/store", "model.kind": "lightgbm",
              "model.num_rounds": "300", "model.params.learning_rate": "0.05", "model.params.num_leaves": "7",
              "factors.sets": "alpha158, ta"}
    params.update({f"tracking.{key}": str(value) for key, value in tracking.items()})
    metrics = {f"valid_loss/{fold['name']}": [[step, value] for step, value in enumerate(VALID_LOSS[index])]
               for index, fold in enumerate(FOLDS)}
    for key in ("ic", "rank_ic", "rows", "best_iteration"):
        metrics[f"fold/{key}"] = [[index, float(fold[key] if key != "best_iteration" else len(VALID_LOSS[index]) - 1)]
                                  for index, fold in enumerate(FOLDS)]
    for key, value in OVERALL.items():
        metrics[key] = [[0, float(value)]]
    for key in ("sharpe", "sortino", "max_drawdown", "profit_factor", "deflated_sharpe_ratio"):
        metrics[key] = [[0, SUMMARY[key]]]
    metrics["minimum_track_record_length"] = [[0, float("inf")]]
    artifacts = {f"config/{config_path.name}": sha(config_path),
                 "train/metrics.json": sha(train / "metrics.json"),
                 "train/importance.csv": sha(train / "importance.csv"),
                 "train/oof_predictions.parquet": sha(train / "oof_predictions.parquet"),
                 "model/ensemble.json": sha(train / "model" / "ensemble.json"),
                 "model/fold1/model.txt": sha(train / "model" / "fold1" / "model.txt"),
                 "backtest/summary.json": sha(backtest / "summary.json"),
                 "report/equity.png": sha(report / "equity.png"),
                 "report/index.html": sha(report / "index.html")}
    tags = {"alphaloom.version": "0.1.0",
            "alphaloom.config_sha256": hashlib.sha256(config_path.read_bytes()).hexdigest(),
            "alphaloom.data_hash": "d" * 64, "alphaloom.library": "lightgbm 4.6.0",
            "mlflow.runName": run_name}
    out = {"tracking_uri": tracking_uri, "experiment": experiment, "run_name": run_name, "status": status,
           "params": params, "tags": tags, "metrics": metrics, "artifacts": artifacts}
    if registry_uri:
        out["registry_uri"] = registry_uri
    if model:
        # The registered version is tagged with the ensemble's content version (predict's model_version).
        out["model"] = dict(model, model_version=sha(train / "model" / "ensemble.json")[:12])
    if source_run_id:
        out["source_run_id"] = source_run_id
    return out


def check_with_mlflow(expect: dict, scratch: pathlib.Path) -> dict:
    """Runs mlflow_check.py in .venv-mlflow; returns its JSON line or fails with its message."""
    if not MLFLOW_PYTHON.exists():
        pytest.fail(f"{MLFLOW_PYTHON} missing; scripts/setup.sh creates it from requirements-mlflow.txt")
    path = scratch / "expected.json"
    path.write_text(json.dumps(expect, allow_nan=True))
    env = dict(os.environ, MLFLOW_ALLOW_FILE_STORE="true")
    result = subprocess.run([str(MLFLOW_PYTHON), str(CHECKER), str(path)], capture_output=True, text=True, env=env,
                            timeout=300)
    if result.returncode != 0:
        raise AssertionError(f"MLflow client check failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])
