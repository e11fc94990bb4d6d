"""The real MLflow client (.venv-mlflow, pinned in requirements-mlflow.txt) reads the file store
that `alphaloom track log` writes: exact params and tags, metric histories with steps (NaN and
inf included), byte-equal artifact downloads, the registered version and its alias, and the model
folder through models:/NAME@ALIAS. Then `mlflow migrate-filestore` converts the store to SQLite
and the same assertions pass on the result."""
import json
import subprocess

import pytest

from mlflow_support import MLFLOW_CLI, check_with_mlflow, expectation, workflow_text, write_outputs


@pytest.fixture(scope="module")
def logged(tmp_path_factory, alphaloom):
    root = tmp_path_factory.mktemp("mlflow_file_store")
    train, backtest, report = write_outputs(root)
    store = root / "mlruns"
    tracking = {"uri": str(store), "experiment": "compat-file", "run_name": "file-run", "register_as": "compat-model",
                "alias": "staging"}
    config = root / "workflow.yaml"
    config.write_text(workflow_text(tracking))
    result = alphaloom("track", "log", "--config", config, "--train", train, "--backtest", backtest, "--report", report)
    run_id = result.stdout.strip()
    expect = expectation(f"file://{store}", "compat-file", "file-run", config, train, backtest, report, tracking,
                         model={"name": "compat-model", "version": 1, "alias": "staging"})
    return root, store, run_id, expect


def test_mlflow_reads_the_file_store(logged):
    root, store, run_id, expect = logged
    answer = check_with_mlflow(expect, root)
    assert answer["run_id"] == run_id
    assert answer["params"] == len(expect["params"])


def test_layout_details(logged):
    _, store, run_id, _ = logged
    run_dir = next(store.glob(f"*/{run_id}"))
    assert run_dir.parent.name.isdigit() and len(run_dir.parent.name) == 18
    for sub in ("metrics", "params", "artifacts", "tags"):
        assert (run_dir / sub).is_dir()
    assert (run_dir / "params" / "model.kind").read_bytes() == b"lightgbm"
    assert "status: 3\n" in (run_dir / "meta.yaml").read_text()
    assert (store / "models" / "compat-model" / "aliases" / "staging").read_text() == "1"


def test_migrate_filestore_keeps_everything(logged, tmp_path):
    root, store, run_id, expect = logged
    database = tmp_path / "migrated.db"
    result = subprocess.run([str(MLFLOW_CLI), "migrate-filestore", "--source", str(store), "--target",
                             f"sqlite:///{database}"], capture_output=True, text=True, timeout=600,
                            env={"MLFLOW_ALLOW_FILE_STORE": "true", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr[-3000:]
    migrated = dict(expect, tracking_uri=f"sqlite:///{database}")
    answer = check_with_mlflow(migrated, tmp_path)
    assert answer["run_id"] == run_id


def test_promotion_gates_and_resolver(logged, alphaloom):
    _, store, run_id, _ = logged
    # Default gates: sortino >= 1.2, profit factor >= 1.15, |max drawdown| <= 0.06: all pass here.
    result = alphaloom("models", "promote", "compat-model", "--version", "1", "--uri", store)
    assert "now 'production'" in result.stdout
    strict = store.parent / "gates.yaml"
    strict.write_text("gates: {sortino_min: 5.0}\n")
    refused = alphaloom("models", "promote", "compat-model", "--version", "1", "--alias", "champion", "--uri", store,
                        "--gates", strict, check=False)
    assert refused.returncode == 1
    assert "failed gates: sortino_min" in refused.stderr
    forced = alphaloom("models", "promote", "compat-model", "--version", "1", "--alias", "champion", "--uri", store,
                       "--gates", strict, "--force")
    assert "now 'champion'" in forced.stdout
    folder = alphaloom("models", "resolve", "models:/compat-model@production", "--uri", store).stdout.strip()
    assert folder.endswith(f"{run_id}/artifacts/model")
    listed = alphaloom("models", "list", "--uri", store).stdout
    assert "compat-model" in listed and "champion" in listed and "production" in listed
    missing = alphaloom("models", "resolve", "models:/compat-model@nope", "--uri", store, check=False)
    assert missing.returncode == 6 and "alias 'nope' is not set" in missing.stderr


def test_bad_names_rejected_with_one_clear_line(tmp_path, alphaloom):
    store = tmp_path / "mlruns"
    bad = alphaloom("track", "run", "--uri", store, "--experiment", "e", "--param", "a@b=1", check=False)
    assert bad.returncode == 4
    assert "invalid param key 'a@b'" in bad.stderr
    long_value = "v" * 7000
    ok = alphaloom("track", "run", "--uri", store, "--experiment", "e", "--param", f"long={long_value}",
                   "--status", "FINISHED")
    run_id = ok.stdout.strip().splitlines()[0]
    value = next(store.glob(f"*/{run_id}/params/long")).read_text()
    assert value == "v" * 6000
    workflow = tmp_path / "w.yaml"
    workflow.write_text("name: w\ntracking: {uri: x, register_as: 'a/b'}\n")
    train = tmp_path / "train"
    bad_config = alphaloom("track", "log", "--config", workflow, "--train", train, check=False)
    assert bad_config.returncode == 3 and "w.yaml:2" in bad_config.stderr
