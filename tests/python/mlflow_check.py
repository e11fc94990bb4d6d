"""Reads a tracking store with the real MLflow client (.venv-mlflow) and compares it with what
AlphaLoom logged. Run as: python mlflow_check.py EXPECTED.json; prints one JSON line
{"ok": true} or exits non-zero with the first mismatch.

EXPECTED.json: {"tracking_uri", "registry_uri"?, "experiment", "run_name", "source_run_id"?,
"status", "params": {k: v}, "tags": {k: v} (a subset), "metrics": {key: [[step, value], ...]},
"artifacts": {relative path: sha256}, "model": {"name", "version", "alias"}?}
"""
import hashlib
import json
import math
import os
import sys
import tempfile

os.environ.setdefault("MLFLOW_ALLOW_FILE_STORE", "true")

import mlflow  # noqa: E402
from mlflow.tracking import MlflowClient  # noqa: E402


def same(a, b):
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) and math.isnan(b):
            return True
        return a == b
    return a == b


def main():
    expected = json.load(open(sys.argv[1]))
    client = MlflowClient(tracking_uri=expected["tracking_uri"],
                          registry_uri=expected.get("registry_uri", expected["tracking_uri"]))
    experiment = client.get_experiment_by_name(expected["experiment"])
    assert experiment is not None, f"experiment {expected['experiment']!r} not found"
    runs = client.search_runs([experiment.experiment_id], max_results=1000)
    if "source_run_id" in expected:
        runs = [r for r in runs if r.data.tags.get("alphaloom.source_run_id") == expected["source_run_id"]]
    else:
        runs = [r for r in runs if r.info.run_name == expected["run_name"]]
    assert len(runs) == 1, f"expected one run, found {len(runs)}"
    run = client.get_run(runs[0].info.run_id)
    assert run.info.status == expected["status"], f"status {run.info.status} != {expected['status']}"
    assert run.info.end_time is not None and run.info.end_time >= run.info.start_time
    assert run.data.params == expected["params"], (
        f"params differ: missing {sorted(set(expected['params']) - set(run.data.params))}, "
        f"extra {sorted(set(run.data.params) - set(expected['params']))}, "
        f"changed {[k for k in expected['params'] if k in run.data.params and run.data.params[k] != expected['params'][k]]}")
    for key, value in expected["tags"].items():
        assert run.data.tags.get(key) == value, f"tag {key}: {run.data.tags.get(key)!r} != {value!r}"
    for key, points in expected["metrics"].items():
        history = sorted((m.step, m.value) for m in client.get_metric_history(run.info.run_id, key))
        want = sorted((int(s), float(v)) for s, v in points)
        # +-inf is kept as +-DBL_MAX, by MLflow's SQL stores and by AlphaLoom's file store alike.
        want = [(s, math.copysign(sys.float_info.max, v) if math.isinf(v) else v) for s, v in want]
        assert len(history) == len(want) and all(h[0] == w[0] and same(h[1], w[1]) for h, w in zip(history, want)), (
            f"metric {key}: {history[:5]}... != {want[:5]}...")
    with tempfile.TemporaryDirectory() as scratch:
        for path, digest in expected["artifacts"].items():
            local = client.download_artifacts(run.info.run_id, path, scratch)
            got = hashlib.sha256(open(local, "rb").read()).hexdigest()
            assert got == digest, f"artifact {path}: sha256 {got} != {digest}"
        model = expected.get("model")
        if model:
            version = client.get_model_version(model["name"], str(model["version"]))
            assert version.run_id == run.info.run_id, f"version run {version.run_id} != {run.info.run_id}"
            assert version.status == "READY"
            assert version.tags.get("alphaloom.model_version") == model["model_version"], f"tags {version.tags}"
            by_alias = client.get_model_version_by_alias(model["name"], model["alias"])
            assert int(by_alias.version) == int(model["version"]), f"alias -> {by_alias.version}"
            mlflow.set_tracking_uri(expected["tracking_uri"])
            mlflow.set_registry_uri(expected.get("registry_uri", expected["tracking_uri"]))
            folder = mlflow.artifacts.download_artifacts(f"models:/{model['name']}@{model['alias']}",
                                                         dst_path=os.path.join(scratch, "model"))
            files = sorted(os.path.relpath(os.path.join(d, f), folder) for d, _, fs in os.walk(folder) for f in fs)
            assert "MLmodel" in files and "ensemble.json" in files, f"model folder holds {files}"
            flavors = mlflow.models.Model.load(os.path.join(folder, "MLmodel")).flavors
            assert "alphaloom" in flavors, f"flavors {flavors}"
    print(json.dumps({"ok": True, "run_id": run.info.run_id, "metrics": len(run.data.metrics),
                      "params": len(run.data.params)}))


if __name__ == "__main__":
    main()
