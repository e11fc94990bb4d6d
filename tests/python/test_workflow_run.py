"""`alphaloom run` end to end: the stage cache, the run folder, crash safety, bad input, and the
planted alpha recovered (and pure noise rejected) by the whole workflow.

* Cache: a rerun of an unchanged workflow recomputes nothing; a changed model retrains without
  recomputing features or labels; --force recomputes a stage and every later one.
* Crash safety: kill -9 during training leaves no run folder and no half-written cache entry; the
  rerun resumes from the cached features and labels. The MLflow run ends KILLED (SIGINT/SIGTERM:
  at once; kill -9: by the next run) or FAILED (an error in a stage).
* Proof: on a market with a planted signal the out-of-sample IC is within 0.01 of the planted IC
  and the TopK-dropout book beats its benchmark net of costs; on a pure-noise market the deflated
  Sharpe ratio of the excess return is not significant.
"""
import json
import os
import signal
import subprocess
import time

import pandas as pd
import pytest

FACTORS = """ROC5 = Ref($close, 5)/$close
ROC10 = Ref($close, 10)/$close
ROC20 = Ref($close, 20)/$close
STD20 = Std($close, 20)/$close
MA5 = Mean($close, 5)/$close
MA20 = Mean($close, 20)/$close
RSV10 = ($close-Min($low, 10))/(Max($high, 10)-Min($low, 10)+1e-12)
KLEN = ($high-$low)/$open
"""

MODEL = ("{kind: lightgbm, num_rounds: 200, seed: 7, threads: 2, "
         "params: {learning_rate: 0.05, num_leaves: 3, min_data_in_leaf: 1000}}")


def write_workflow(base, name="wf", model=MODEL, extra="", ingest=True, report="false"):
    data = f"{{store: {base / 'store'}, ingest: {{input: {base / 'raw'}}}}}" if ingest else f"{{store: {base / 'store'}}}"
    path = base / f"{name}.yaml"
    path.write_text(f"""name: {name}
data: {data}
universe: {{market: all, benchmark: BENCH}}
factors: {{sets: [{base / 'factors.txt'}]}}
label: {{kind: forward, horizon: 1, form: close, normalize: cs_zscore}}
processors: {{steps: [process_inf, cs_zscore, {{fillna: {{value: 0}}}}]}}
cv: {{kind: walk_forward, train: expanding, train_days: 500, test_days: 250, embargo_days: 1}}
model: {model}
strategy: {{kind: topk_dropout, topk: 15, n_drop: 3}}
backtest: {{open_cost: 0.0005, close_cost: 0.0015, min_cost: 5}}
metrics: {{preset: default}}
report: {{html: {report}}}
output: {{dir: {base / 'runs'}, cache: {base / 'cache'}}}
{extra}""")
    return path


def market(alphaloom, base, ic, seed=11):
    alphaloom("synth", "--out", base / "raw", "--instruments", 80, "--start", "2015-01-01", "--end", "2024-12-31",
              "--seed", seed, "--ic", ic)
    (base / "factors.txt").write_text(FACTORS)
    return base


@pytest.fixture(scope="module")
def planted(alphaloom, tmp_path_factory):
    return market(alphaloom, tmp_path_factory.mktemp("planted"), 0.05)


def summary(base, name="wf"):
    return json.loads((base / "runs" / name / "summary.json").read_text())


def statuses(result):
    """Stage -> computed | cached, leaving out the stages this workflow does not have."""
    return {stage: info["status"] for stage, info in result["stages"].items() if info["status"] != "skipped"}


def test_planted_alpha_is_recovered_net_of_costs_and_cached(alphaloom, planted):
    workflow = write_workflow(planted, report="true")
    alphaloom("run", workflow)
    first = summary(planted)
    assert statuses(first) == {"ingest": "computed", "features": "computed", "labels": "computed", "train": "computed",
                               "backtest": "computed", "report": "computed"}
    assert set(first["stages"]) == {"ingest", "features", "labels", "train", "strategy", "backtest", "report",
                                    "tracking", "store"}
    truth = json.loads((planted / "raw" / "truth.json").read_text())["signal"]
    ic = first["training"]["ic"]
    excess = first["backtest"]["excess_return_with_cost"]
    print(f"run: out-of-fold IC {ic:.4f} vs planted {truth['realized_ic']:.4f}; annual excess return net of costs "
          f"{excess:.4f}; DSR {first['significance']['deflated_sharpe_ratio']:.3f}")
    assert abs(ic - truth["realized_ic"]) < 0.01
    assert excess > 0
    run = planted / "runs" / "wf"
    for name in ("workflow.yaml", "signal.parquet", "train/metrics.json", "train/oof_predictions.parquet",
                 "model/ensemble.json", "backtest/daily.parquet", "backtest/summary.json", "report/index.html"):
        assert (run / name).is_file(), name
    # Every traded score is out of sample: the signal is the out-of-fold predictions, those of the
    # rows without a label on the tested dates included (each predicted by the fold that tests it).
    signal_table = pd.read_parquet(run / "signal.parquet")
    oof = pd.read_parquet(run / "train" / "oof_predictions.parquet")
    unlabelled = pd.read_parquet(run / "train" / "unlabelled_predictions.parquet")
    assert len(unlabelled) > 0 and unlabelled["datetime"].isin(oof["datetime"]).all()
    predicted = pd.concat([oof[["datetime", "instrument", "yhat"]], unlabelled[["datetime", "instrument", "yhat"]]])
    merged = signal_table.merge(predicted, on=["datetime", "instrument"], suffixes=("", "_fold"), validate="1:1")
    assert len(merged) == len(signal_table) == len(predicted)
    assert (merged["yhat"] == merged["yhat_fold"]).all()

    # Unchanged: nothing recomputed, the same numbers.
    alphaloom("run", workflow)
    second = summary(planted)
    assert set(statuses(second).values()) == {"cached"} and len(statuses(second)) == 6
    assert second["backtest"] == first["backtest"] and second["training"] == first["training"]

    # A model change retrains without recomputing features or labels.
    alphaloom("run", workflow, "--set", "model.num_rounds=50")
    third = summary(planted)
    assert statuses(third) == {"ingest": "cached", "features": "cached", "labels": "cached", "train": "computed",
                               "backtest": "computed", "report": "computed"}
    assert third["training"] != first["training"]

    # --force recomputes the stage and everything after it.
    alphaloom("run", workflow, "--force", "labels")
    assert statuses(summary(planted)) == {"ingest": "cached", "features": "cached", "labels": "computed",
                                          "train": "computed", "backtest": "computed", "report": "computed"}
    info = alphaloom("cache", "info", "--cache", planted / "cache").stdout
    assert "features" in info and "train" in info


def test_pure_noise_is_not_significant(alphaloom, tmp_path):
    base = market(alphaloom, tmp_path, 0.0)
    alphaloom("run", write_workflow(base))
    result = summary(base)
    print(f"noise: out-of-fold IC {result['training']['ic']:.4f}, excess Sharpe {result['significance']['sharpe']:.2f}, "
          f"DSR {result['significance']['deflated_sharpe_ratio']:.3f}")
    assert result["significance"]["significant_at_95"] is False


SLOW_MODEL = ("{kind: lightgbm, num_rounds: 3000, seed: 7, threads: 1, "
              "params: {learning_rate: 0.01, num_leaves: 63, min_data_in_leaf: 20}}")


def mlflow_runs(root):
    """run id -> (status name, tags) of every run in an MLflow file store."""
    names = {1: "RUNNING", 2: "SCHEDULED", 3: "FINISHED", 4: "FAILED", 5: "KILLED"}
    runs = {}
    for meta in root.glob("*/*/meta.yaml"):
        status = next(int(line.split(":")[1]) for line in meta.read_text().splitlines() if line.startswith("status:"))
        tags = {tag.name: tag.read_text() for tag in (meta.parent / "tags").iterdir()}
        runs[meta.parent.name] = (names[status], tags)
    return runs


def start_and_wait_for_training(workflow):
    process = subprocess.Popen([os.environ.get("ALPHALOOM_BINARY", "build/cli/alphaloom"), "run", str(workflow)],
                               stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 300
    for line in process.stderr:
        if "train: computing" in line or time.time() > deadline:
            break
    time.sleep(2)
    return process


def test_kill_during_training_leaves_nothing_half_written(alphaloom, planted, tmp_path):
    """kill -9: no run folder, no cache entry; the MLflow run it had opened stays RUNNING until the
    next run of the workflow finds its process gone and ends it KILLED."""
    base = tmp_path
    (base / "factors.txt").write_text(FACTORS)
    os.symlink(planted / "raw", base / "raw")
    workflow = write_workflow(base, model=SLOW_MODEL, extra=f"tracking: {{uri: {base / 'mlruns'}, experiment: crash}}")
    process = start_and_wait_for_training(workflow)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert not (base / "runs" / "wf").exists()
    train_entries = list((base / "cache" / "train").iterdir()) if (base / "cache" / "train").exists() else []
    assert all(".tmp-" in entry.name for entry in train_entries)  # only the staging directory, never an entry
    [(killed_id, (status, tags))] = mlflow_runs(base / "mlruns").items()
    assert status == "RUNNING" and tags["alphaloom.process"].split(":")[1] == str(process.pid)
    # The rerun resumes from the cached stages (a quicker model: --set changes only the train key).
    rerun = alphaloom("run", workflow, "--set", "model.num_rounds=20")
    result = summary(base)
    assert statuses(result)["features"] == "cached" and statuses(result)["labels"] == "cached"
    assert statuses(result)["train"] == "computed"
    runs = mlflow_runs(base / "mlruns")
    assert runs[killed_id][0] == "KILLED" and "ended without closing the run" in runs[killed_id][1]["alphaloom.end_reason"]
    assert f"MLflow run {killed_id} ended KILLED" in rerun.stderr
    [finished] = [run_id for run_id in runs if run_id != killed_id]
    assert runs[finished][0] == "FINISHED" and result["mlflow"]["run_id"] == finished


@pytest.mark.parametrize("sent, code, reason", [(signal.SIGTERM, 143, "terminated (SIGTERM)"),
                                                (signal.SIGINT, 130, "interrupted (SIGINT)")])
def test_interrupted_run_ends_killed(alphaloom, planted, tmp_path, sent, code, reason):
    base = tmp_path
    (base / "factors.txt").write_text(FACTORS)
    os.symlink(planted / "raw", base / "raw")
    workflow = write_workflow(base, model=SLOW_MODEL, extra=f"tracking: {{uri: {base / 'mlruns'}, experiment: stop}}")
    process = start_and_wait_for_training(workflow)
    process.send_signal(sent)
    assert process.wait(timeout=60) == code
    [(status, tags)] = mlflow_runs(base / "mlruns").values()
    assert status == "KILLED" and tags["alphaloom.end_reason"] == reason
    assert not (base / "runs" / "wf").exists()


def test_failing_stage_ends_the_run_failed(alphaloom, planted, tmp_path):
    """An error after the run opened (here LightGBM refusing a parameter at training time) ends it
    FAILED with the error as its reason; the command fails with the same one-line error."""
    base = tmp_path
    (base / "factors.txt").write_text(FACTORS)
    os.symlink(planted / "raw", base / "raw")
    model = "{kind: lightgbm, num_rounds: 20, params: {num_leaves: -5}}"
    workflow = write_workflow(base, model=model, extra=f"tracking: {{uri: {base / 'mlruns'}, experiment: broken}}")
    result = alphaloom("run", workflow, check=False)
    assert result.returncode != 0
    error = [line for line in result.stderr.splitlines() if line.startswith("alphaloom: error")]
    assert len(error) == 1
    [(status, tags)] = mlflow_runs(base / "mlruns").values()
    assert status == "FAILED" and "num_leaves" in tags["alphaloom.end_reason"]
    assert not (base / "runs" / "wf").exists()


@pytest.mark.parametrize("edit, code, needle", [
    ("modle: {kind: ridge}", 3, "wf.yaml:14: modle: unknown key"),
    ("label_typo", 3, "label.horizn: unknown key"),
    ("missing_store", 6, "data.store: "),
    ("unknown_set", 3, "factors.sets: unknown factor set 'nosuchset' (built in: alpha158, alpha360, cross, ta)"),
    ("store: {uri: 'postgresql://alpha@127.0.0.1:1/none'}", 7, "cannot reach the PostgreSQL server"),
])
def test_bad_workflows_fail_with_one_line_and_write_nothing(alphaloom, planted, tmp_path, edit, code, needle):
    base = tmp_path
    (base / "factors.txt").write_text(FACTORS)
    os.symlink(planted / "raw", base / "raw")
    # The store case ingests, so only the unreachable database can stop it (before ingest runs).
    workflow = write_workflow(base, extra=edit if edit.startswith(("modle", "store")) else "",
                              ingest=edit.startswith("store"))
    text = workflow.read_text()
    if edit == "label_typo":
        text = text.replace("horizon: 1", "horizn: 1")
    elif edit == "missing_store":
        pass
    elif edit == "unknown_set":
        text = text.replace(str(base / "factors.txt"), "nosuchset")
    workflow.write_text(text)
    result = alphaloom("run", workflow, check=False)
    print(result.stderr)
    assert result.returncode == code
    lines = [line for line in result.stderr.splitlines() if line.startswith("alphaloom: error")]
    assert len(lines) == 1 and needle in lines[0], result.stderr
    assert not (base / "runs").exists()
    assert not (base / "cache" / "train").exists() and not (base / "cache" / "ingest").exists()


def test_bad_overrides_and_force(alphaloom, planted, tmp_path):
    workflow = write_workflow(planted, name="other")
    result = alphaloom("run", workflow, "--set", "model.num_rounds", check=False)
    assert result.returncode == 2 and "--set model.num_rounds: expected key.path=value" in result.stderr
    result = alphaloom("run", workflow, "--force", "featurez", check=False)
    assert result.returncode == 2 and "unknown stage 'featurez'" in result.stderr
    result = alphaloom("run", workflow, "--set", "model.kind=perceptron", check=False)
    assert result.returncode == 3 and "model.kind" in result.stderr


def test_hybrid_strategy_tracking_and_store(alphaloom, planted, tmp_path):
    """strategy.kind: hybrid trades the strategy layer's target weights; the run is logged to an
    MLflow file store and its predictions and weights land in SQLite, once per distinct result."""
    db = tmp_path / "preds.db"
    extra = f"""tracking: {{uri: {tmp_path / 'mlruns'}, experiment: hybrid, register_as: hybrid_model, alias: production}}
store: {{uri: 'sqlite:///{db}'}}"""
    workflow = write_workflow(planted, name="hybrid", model="{kind: ridge, params: {alpha: 10}}", extra=extra)
    workflow.write_text(workflow.read_text().replace(
        "strategy: {kind: topk_dropout, topk: 15, n_drop: 3}",
        "strategy: {kind: hybrid, sizing: {target_vol: 0.10, max_weight: 0.05}}"))
    alphaloom("run", workflow)
    result = summary(planted, "hybrid")
    assert statuses(result)["strategy"] == "computed" and statuses(result)["tracking"] == "computed"
    run = planted / "runs" / "hybrid"
    weights = pd.read_parquet(run / "weights.parquet")
    assert {"weight", "alpha_score", "c_ml"} <= set(weights.columns)
    assert weights["weight"].between(0, 0.05 + 1e-12).all() and weights.groupby("datetime")["weight"].sum().max() <= 1 + 1e-9
    assert json.loads((run / "backtest" / "config.json").read_text())["strategy"] == "weights"
    assert result["mlflow"]["version"] == 1 and len(result["mlflow"]["run_id"]) == 32
    # The alias is a promotion: with failed gates the version is registered but not aliased.
    shown = alphaloom("models", "show", "hybrid_model", "--uri", tmp_path / "mlruns", "--version", 1)
    assert result["gates_passed"] is False and "production" not in shown.stdout
    passing = alphaloom("run", workflow, "--out", tmp_path / "passing", "--set",
                        "metrics.gates={sortino_min: null, profit_factor_min: null, max_drawdown_max: null}")
    assert passing.returncode == 0
    shown = alphaloom("models", "show", "hybrid_model", "--uri", tmp_path / "mlruns", "--version", 2)
    assert "production" in shown.stdout
    info = alphaloom("store", "info", "--uri", f"sqlite:///{db}").stdout
    oof_rows = len(pd.read_parquet(run / "signal.parquet"))
    assert f"preds: {oof_rows} rows" in info and f"target_weights: {len(weights)} rows" in info
    # Unchanged rerun: no further MLflow run, no new model version.
    alphaloom("run", workflow)
    again = summary(planted, "hybrid")
    assert statuses(again)["tracking"] == "cached" and again["mlflow"] == result["mlflow"]
    experiment_dirs = [p for p in (tmp_path / "mlruns").iterdir() if p.name.isdigit() and p.name != "0"]
    assert len(experiment_dirs) == 1
    runs = [p for p in experiment_dirs[0].iterdir() if p.is_dir() and len(p.name) == 32]
    assert len(runs) == 2  # the failing-gates run and the passing one


def test_triple_barrier_meta_example_runs(alphaloom, planted, tmp_path):
    """examples/triple_barrier_meta.yaml as it is, on this market: a binary meta-label classifier
    under purged k-fold, its out-of-fold P(bet pays) traded, the DSR with the example's 10 trials."""
    from conftest import ROOT
    alphaloom("ingest", "--input", planted / "raw", "--out", tmp_path / "store", "--benchmark", "BENCH")
    alphaloom("run", ROOT / "examples" / "triple_barrier_meta.yaml", "--set", f"data.store={tmp_path / 'store'}",
              "--set", "factors.sets=[" + str(planted / "factors.txt") + "]", "--set", "model.num_rounds=50",
              "--set", "report.html=false", "--set", f"output.dir={tmp_path / 'runs'}",
              "--set", f"output.cache={tmp_path / 'cache'}")
    result = summary(tmp_path, "triple_barrier_meta")
    metrics = json.loads((tmp_path / "runs" / "triple_barrier_meta" / "train" / "metrics.json").read_text())
    assert len(metrics["folds"]) == 5
    assert 0.4 < result["training"]["classification"]["auc"] < 1.0
    assert result["significance"]["trials"] == 10 and result["significance"]["expected_max_sharpe"] > 0
    assert len(result["gates"]) == 3
    oof = pd.read_parquet(tmp_path / "runs" / "triple_barrier_meta" / "train" / "oof_predictions.parquet")
    assert set(oof["target"].unique()) <= {0.0, 1.0}


def test_daily_update_predicts_with_the_production_model(alphaloom, planted, tmp_path):
    """`alphaloom update`: the production model (models:/NAME@production) predicts one date; the
    predictions equal the batch `predict` of the same dates bit for bit; the TopK-dropout book of
    the next date keeps all but at most n_drop names; rerunning a date changes nothing."""
    db = tmp_path / "daily.db"
    extra = f"""tracking: {{uri: {tmp_path / 'mlruns'}, experiment: daily, register_as: daily_model}}
store: {{uri: 'sqlite:///{db}', tables: [preds, target_weights]}}"""
    workflow = write_workflow(planted, name="daily", model="{kind: ridge, params: {alpha: 10}}", extra=extra)
    alphaloom("run", workflow)
    # Without a production alias there is nothing to predict with.
    result = alphaloom("update", workflow, check=False)
    assert result.returncode == 6 and "production" in result.stderr
    alphaloom("models", "promote", "daily_model", "--uri", tmp_path / "mlruns", "--version", 1, "--force")
    calendar = (planted / "store" / "calendars" / "day.txt").read_text().split()
    days = calendar[-3:]
    # A first book two months earlier: the next update finds it although it is weeks back.
    for day in [calendar[-40]] + days:
        alphaloom("update", workflow, "--date", day)
    alphaloom("store", "get", "--uri", f"sqlite:///{db}", "--table", "preds", "--out", tmp_path / "preds.csv")
    alphaloom("store", "get", "--uri", f"sqlite:///{db}", "--table", "target_weights", "--start", calendar[-40],
              "--out", tmp_path / "weights.csv")
    preds = pd.read_csv(tmp_path / "preds.csv")
    daily = preds[preds["datetime"].isin(days)].sort_values(["datetime", "instrument"]).reset_index(drop=True)
    assert set(daily["datetime"]) == set(days) and (daily["model_name"] == "daily_model").all()
    # The same numbers as the batch prediction over those dates, from the registered model.
    alphaloom("predict", "--model", planted / "runs" / "daily" / "model", "--data", planted / "store",
              "--start", days[0], "--end", days[-1], "--out", tmp_path / "batch.csv")
    batch = pd.read_csv(tmp_path / "batch.csv").sort_values(["datetime", "instrument"]).reset_index(drop=True)
    assert list(daily["instrument"]) == list(batch["instrument"])
    assert (daily["yhat"].to_numpy() == batch["yhat"].to_numpy()).all()
    # TopK-dropout: 15 names a day, at most n_drop = 3 replaced from one day to the next.
    weights = pd.read_csv(tmp_path / "weights.csv")
    books = [set(weights[(weights["datetime"] == day) & (weights["weight"] > 0)]["instrument"])
             for day in [calendar[-40]] + days]
    assert all(len(book) == 15 for book in books)
    assert all(len(books[i] - books[i + 1]) <= 3 for i in range(len(books) - 1))
    # Rerunning a date changes nothing.
    before = (tmp_path / "preds.csv").read_text()
    alphaloom("update", workflow, "--date", days[-1])
    alphaloom("store", "get", "--uri", f"sqlite:///{db}", "--table", "preds", "--out", tmp_path / "again.csv")
    assert (tmp_path / "again.csv").read_text() == before


def test_features_for_one_date_equal_the_batch(alphaloom, planted, tmp_path):
    """What `update` computes for a date (the features of that date alone, from the history up to
    it) equals the batch computation bit for bit, over many dates and every instrument, including
    instruments listed late in the sample."""
    store = tmp_path / "store"
    alphaloom("ingest", "--input", planted / "raw", "--out", store, "--benchmark", "BENCH")
    alphaloom("features", "--data", store, "--set", "alpha158", "--start", "2023-01-02", "--out", tmp_path / "batch.parquet")
    batch = pd.read_parquet(tmp_path / "batch.parquet")
    batch["datetime"] = pd.to_datetime(batch["datetime"])
    calendar = (store / "calendars" / "day.txt").read_text().split()
    dates = [day for day in calendar if day >= "2023-01-02"][::37]
    listings = pd.read_csv(store / "instruments" / "all.txt", sep="\t", header=None, names=["instrument", "start", "end"])
    late = set(listings[listings["start"] >= "2021-01-01"]["instrument"])
    seen_late = set()
    for day in dates:
        alphaloom("features", "--data", store, "--set", "alpha158", "--start", day, "--end", day,
                  "--out", tmp_path / "one.parquet")
        one = pd.read_parquet(tmp_path / "one.parquet").reset_index(drop=True)
        one["datetime"] = pd.to_datetime(one["datetime"])
        same = batch[batch["datetime"] == pd.Timestamp(day)].reset_index(drop=True)
        assert len(one) == len(same) > 0
        pd.testing.assert_frame_equal(one, same, check_exact=True)
        seen_late |= late & set(one["instrument"])
    assert seen_late, "the sample should include an instrument listed after 2021"


def test_the_signal_does_not_know_which_names_lose_their_next_bars(alphaloom, tmp_path):
    """A name delisted in the middle of the last test window still has a score on its last bars
    (their label needs bars that never come): the signal up to the delisting is the same, row for
    row, as on the market where it keeps trading. Leaving those rows out would tell the strategy
    in advance which names disappear (it sells a held name without a score first)."""
    scores = {}
    for case in ("kept", "delisted"):
        base = tmp_path / case
        alphaloom("-q", "synth", "--out", base / "raw", "--instruments", 30, "--start", "2016-01-01", "--end",
                  "2020-12-31", "--seed", 5)
        (base / "factors.txt").write_text(FACTORS)
        victim = base / "raw" / "S0003.csv"
        bars = pd.read_csv(victim)
        cut = bars["date"].iloc[-60]
        if case == "delisted":
            bars[bars["date"] < cut].to_csv(victim, index=False)
        alphaloom("-q", "run", write_workflow(base))
        signal = pd.read_parquet(base / "runs" / "wf" / "signal.parquet")
        signal["datetime"] = pd.to_datetime(signal["datetime"])
        scores[case] = signal[signal["datetime"] < pd.Timestamp(cut)].reset_index(drop=True)
    last_bars = scores["delisted"][scores["delisted"]["instrument"] == "S0003"]["datetime"].tail(2)
    assert len(last_bars) == 2 and last_bars.iloc[-1] == scores["kept"]["datetime"].max()
    # prob_up too: its RMSE counts only the out-of-fold errors known at each date.
    pd.testing.assert_frame_equal(scores["kept"], scores["delisted"])
    assert scores["kept"]["prob_up"].notna().mean() > 0.99
