"""Model parity: AlphaLoom's LightGBM and XGBoost backends (C API) against the lightgbm and
xgboost Python packages, and the ridge baseline against a least-squares solve in numpy, on the
same matrix and parameters. Predictions must agree to 1e-9.

The C++ side is tests/model/model_parity_tool (built beside the alphaloom binary's build tree).
"""
import json
import os
import pathlib
import subprocess

import lightgbm as lgb
import numpy as np
import pytest
import xgboost as xgb

from conftest import _binary

TOLERANCE = 1e-9
FEATURES = [f"f{i}" for i in range(8)]


def _tool() -> pathlib.Path:
    override = os.environ.get("ALPHALOOM_MODEL_PARITY_TOOL")
    if override:
        return pathlib.Path(override)
    return _binary().resolve().parents[1] / "tests" / "model_parity_tool"


@pytest.fixture(scope="session")
def parity_tool():
    tool = _tool()
    if not tool.exists():
        pytest.fail(f"{tool} not built (cmake --build <build dir> --target model_parity_tool)")
    return tool


def _make(objective, rows, seed, num_class=3):
    """float32 features (5% NaN in two columns), float64 labels, weights in [0.5, 1.5)."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((rows, len(FEATURES))).astype(np.float32)
    x[rng.random(rows) < 0.05, 3] = np.nan
    x[rng.random(rows) < 0.05, 6] = np.nan
    x0, x1, x2 = x[:, 0].astype(np.float64), x[:, 1].astype(np.float64), x[:, 2].astype(np.float64)
    noise = rng.standard_normal(rows)
    signal = 0.8 * x0 - 0.5 * x1 + 0.3 * x2 * np.abs(x0)
    if objective in ("regression", "huber"):
        y = signal + noise
        if objective == "huber":
            y[::40] += 15.0
    elif objective == "binary":
        y = (signal + noise > 0).astype(np.float64)
    else:
        y = np.digitize(signal + noise, np.linspace(-1, 1, num_class + 1)[1:-1]).astype(np.float64)
    w = 0.5 + rng.random(rows)
    return x, y, w


def _write_csv(path, x, y, w=None):
    columns = [y[:, None]] + ([w[:, None]] if w is not None else [])
    header = "label," + ("weight," if w is not None else "") + ",".join(FEATURES)
    with open(path, "w") as out:
        out.write(header + "\n")
        for row in range(x.shape[0]):
            head = [repr(float(c[row, 0])) for c in columns]
            # str of a numpy float32 is its shortest round-trip text: strtof reads back the same value.
            cells = ["nan" if np.isnan(v) else str(v) for v in x[row]]
            out.write(",".join(head + cells) + "\n")


def _run_tool(tool, tmp_path, backend, objective, params, x, y, w, xv, yv, wv, xt, rounds, early_stopping,
              seed, threads, num_class=0):
    _write_csv(tmp_path / "train.csv", x, y, w)
    _write_csv(tmp_path / "test.csv", xt, np.zeros(xt.shape[0]))
    args = [str(tool), "--backend", backend, "--objective", objective, "--rounds", rounds,
            "--early-stopping", early_stopping, "--seed", seed, "--threads", threads,
            "--train", tmp_path / "train.csv", "--test", tmp_path / "test.csv",
            "--out", tmp_path / "pred.csv", "--log", tmp_path / "log.json"]
    if num_class:
        args += ["--num-class", num_class]
    if xv is not None:
        _write_csv(tmp_path / "valid.csv", xv, yv, wv)
        args += ["--valid", tmp_path / "valid.csv"]
    for name, value in params.items():
        args += ["--param", f"{name}={value}"]
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    predictions = np.loadtxt(tmp_path / "pred.csv", delimiter=",", ndmin=2)
    log = json.loads((tmp_path / "log.json").read_text())
    return predictions, log


def _check(ours, theirs, label):
    theirs = np.asarray(theirs, dtype=np.float64).reshape(ours.shape)
    diff = float(np.max(np.abs(ours - theirs)))
    print(f"{label}: max |diff| = {diff:.3g} over {ours.size} predictions")
    assert diff <= TOLERANCE, f"{label}: max |diff| {diff}"
    return diff


LGB_OBJECTIVES = {"regression": ("regression", "l2"), "huber": ("huber", "huber"),
                  "binary": ("binary", "binary_logloss"), "multiclass": ("multiclass", "multi_logloss")}
XGB_OBJECTIVES = {"regression": ("reg:squarederror", "rmse"), "huber": ("reg:pseudohubererror", "mphe"),
                  "binary": ("binary:logistic", "logloss"), "multiclass": ("multi:softprob", "mlogloss")}


@pytest.mark.parametrize("objective", ["regression", "huber", "binary", "multiclass"])
@pytest.mark.parametrize("threads", [1, 2])
def test_lightgbm_parity(parity_tool, tmp_path, objective, threads):
    x, y, w = _make(objective, 2000, 1)
    xv, yv, wv = _make(objective, 600, 2)
    xt, _, _ = _make(objective, 600, 3)
    num_class = 3 if objective == "multiclass" else 0
    user = {"learning_rate": "0.1", "num_leaves": "15", "min_data_in_leaf": "20", "feature_fraction": "0.8",
            "bagging_fraction": "0.8", "bagging_freq": "1", "lambda_l2": "1.0"}
    ours, log = _run_tool(parity_tool, tmp_path, "lightgbm", objective, user, x, y, w, xv, yv, wv, xt,
                          rounds=300, early_stopping=20, seed=11, threads=threads, num_class=num_class)

    name, metric = LGB_OBJECTIVES[objective]
    params = {"objective": name, "metric": metric, "seed": 11, "num_threads": threads, "deterministic": True,
              "force_row_wise": True, "verbosity": -1, **user}
    if num_class:
        params["num_class"] = num_class
    train = lgb.Dataset(x, label=y, weight=w)
    valid = lgb.Dataset(xv, label=yv, weight=wv, reference=train)
    history = {}
    booster = lgb.train(params, train, num_boost_round=300, valid_sets=[valid], valid_names=["valid"],
                        callbacks=[lgb.early_stopping(20, first_metric_only=True, verbose=False),
                                   lgb.record_evaluation(history)])
    theirs = booster.predict(xt, num_iteration=booster.best_iteration)

    assert log["library_version"] == lgb.__version__
    assert log["best_iteration"] == booster.best_iteration
    assert log["rounds_trained"] < 300, "early stopping never triggered; the test would not test it"
    np.testing.assert_allclose(log["valid_loss"], history["valid"][metric], rtol=0, atol=TOLERANCE)
    _check(ours, theirs, f"lightgbm {objective} threads={threads}")


@pytest.mark.parametrize("objective", ["regression", "huber", "binary", "multiclass"])
@pytest.mark.parametrize("threads", [1, 2])
def test_xgboost_parity(parity_tool, tmp_path, objective, threads):
    x, y, w = _make(objective, 2000, 4)
    xv, yv, wv = _make(objective, 600, 5)
    xt, _, _ = _make(objective, 600, 6)
    num_class = 3 if objective == "multiclass" else 0
    user = {"eta": "0.1", "max_depth": "4", "min_child_weight": "2", "subsample": "0.8",
            "colsample_bytree": "0.8", "lambda": "1.0"}
    ours, log = _run_tool(parity_tool, tmp_path, "xgboost", objective, user, x, y, w, xv, yv, wv, xt,
                          rounds=300, early_stopping=20, seed=11, threads=threads, num_class=num_class)

    name, metric = XGB_OBJECTIVES[objective]
    params = {"objective": name, "eval_metric": metric, "seed": 11, "nthread": threads, "tree_method": "hist",
              "verbosity": 1, **user}
    if num_class:
        params["num_class"] = num_class
    train = xgb.DMatrix(x, label=y, weight=w, missing=np.nan, nthread=threads)
    valid = xgb.DMatrix(xv, label=yv, weight=wv, missing=np.nan, nthread=threads)
    history = {}
    booster = xgb.train(params, train, num_boost_round=300, evals=[(valid, "valid")], early_stopping_rounds=20,
                        evals_result=history, verbose_eval=False)
    theirs = booster.predict(xgb.DMatrix(xt, missing=np.nan), iteration_range=(0, booster.best_iteration + 1))

    assert log["library_version"] == xgb.__version__
    assert log["best_iteration"] == booster.best_iteration + 1  # ours counts rounds kept
    assert log["rounds_trained"] < 300, "early stopping never triggered; the test would not test it"
    np.testing.assert_allclose(log["valid_loss"], history["valid"][metric], rtol=0, atol=TOLERANCE)
    _check(ours, theirs, f"xgboost {objective} threads={threads}")


def test_boosters_without_validation_set(parity_tool, tmp_path):
    """No validation set: every round is kept, on both sides."""
    x, y, w = _make("regression", 2000, 7)
    xt, _, _ = _make("regression", 500, 8)
    ours, log = _run_tool(parity_tool, tmp_path, "lightgbm", "regression", {"num_leaves": "31"}, x, y, None,
                          None, None, None, xt, rounds=60, early_stopping=0, seed=5, threads=1)
    booster = lgb.train({"objective": "regression", "metric": "l2", "seed": 5, "num_threads": 1,
                         "deterministic": True, "force_row_wise": True, "verbosity": -1, "num_leaves": 31},
                        lgb.Dataset(x, label=y), num_boost_round=60)
    assert log["best_iteration"] == 60 and log["valid_loss"] == []
    _check(ours, booster.predict(xt), "lightgbm no-valid")

    ours, log = _run_tool(parity_tool, tmp_path, "xgboost", "regression", {"max_depth": "5"}, x, y, None,
                          None, None, None, xt, rounds=60, early_stopping=0, seed=5, threads=1)
    booster = xgb.train({"objective": "reg:squarederror", "eval_metric": "rmse", "seed": 5, "nthread": 1,
                         "tree_method": "hist", "max_depth": 5}, xgb.DMatrix(x, label=y, missing=np.nan),
                        num_boost_round=60)
    _check(ours, booster.predict(xgb.DMatrix(xt, missing=np.nan)), "xgboost no-valid")


def _ridge_reference(x, y, w, xt, alpha):
    """Weighted ridge with an unpenalised intercept, solved as one least-squares problem (numpy's
    SVD-based lstsq) on the augmented system, not by the normal equations the C++ side uses."""
    x = x.astype(np.float64)
    xt = xt.astype(np.float64)
    mask = ~np.isnan(x)
    weight_sum = (w[:, None] * mask).sum(axis=0)
    mean = np.nansum(w[:, None] * x, axis=0) / weight_sum
    scale = np.sqrt(np.nansum(w[:, None] * (x - mean) ** 2, axis=0) / weight_sum)
    z = np.where(mask, (x - mean) / scale, 0.0)
    rows, cols = z.shape
    design = np.hstack([np.ones((rows, 1)), z]) * np.sqrt(w)[:, None]
    penalty = np.hstack([np.zeros((cols, 1)), np.sqrt(alpha) * np.eye(cols)])
    a = np.vstack([design, penalty])
    b = np.concatenate([y * np.sqrt(w), np.zeros(cols)])
    solution, *_ = np.linalg.lstsq(a, b, rcond=None)
    zt = np.where(np.isnan(xt), 0.0, (xt - mean) / scale)
    return solution[0] + zt @ solution[1:]


@pytest.mark.parametrize("alpha", ["0", "3.5"])
def test_ridge_parity(parity_tool, tmp_path, alpha):
    x, y, w = _make("regression", 2000, 9)
    xt, _, _ = _make("regression", 500, 10)
    xt[::7, 0] = np.nan
    ours, _ = _run_tool(parity_tool, tmp_path, "ridge", "regression", {"alpha": alpha}, x, y, w, None, None, None,
                        xt, rounds=1, early_stopping=0, seed=0, threads=1)
    _check(ours, _ridge_reference(x, y, w, xt, float(alpha)), f"ridge alpha={alpha}")


def test_unknown_parameter_is_an_error(parity_tool, tmp_path):
    x, y, w = _make("regression", 200, 11)
    for backend, name in (("lightgbm", "num_leafs"), ("xgboost", "num_leaves")):
        with pytest.raises(AssertionError, match=f"unknown parameter '{name}'"):
            _run_tool(parity_tool, tmp_path, backend, "regression", {name: "7"}, x, y, w, None, None, None, x,
                      rounds=5, early_stopping=0, seed=0, threads=1)
