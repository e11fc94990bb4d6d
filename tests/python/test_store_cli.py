"""`alphaloom store`: put/get/info/migrate on a SQLite file, checked against Python's own sqlite3
module and pandas, plus the one-line errors for bad URIs and an unreachable server."""
import math
import sqlite3

import pandas as pd
import pytest

EVIL = "x'); DROP TABLE preds;--"


def _predictions(path):
    frame = pd.DataFrame({
        "datetime": ["2024-01-02", "2024-01-02", "2024-01-03", "2024-01-03"],
        "instrument": ["AAPL", EVIL, "AAPL", "トヨタ"],
        "horizon": [1, 1, 1, 5],
        "yhat": [0.125, -0.5, float("nan"), 1e-300],
        "yhat_std": [0.01, 0.02, 0.03, 0.04],
        "prob_up": [0.6, 0.3, 0.5, 0.55],
        "model_version": ["0123456789ab"] * 4,
    })
    frame.to_parquet(path, index=False)
    return frame


def test_put_get_round_trip_matches_sqlite3(alphaloom, tmp_path):
    db = tmp_path / "alpha.db"
    uri = f"sqlite:///{db}"
    frame = _predictions(tmp_path / "pred.parquet")
    alphaloom("store", "put", "--uri", uri, "--table", "preds", "--file", tmp_path / "pred.parquet",
              "--model-name", "lgb")
    alphaloom("store", "put", "--uri", uri, "--table", "preds", "--file", tmp_path / "pred.parquet",
              "--model-name", "lgb")  # idempotent

    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT instrument, date, horizon, yhat, yhat_std, prob_up, model_name, model_version FROM preds "
            "ORDER BY date, instrument").fetchall()
        tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"preds", "features", "labels", "target_weights", "schema_version"} <= tables
    assert len(rows) == 4
    by_key = {(r[0], r[1], r[2]): r for r in rows}
    assert by_key[(EVIL, "2024-01-02", 1)][3] == -0.5
    assert by_key[("AAPL", "2024-01-03", 1)][3] is None  # NaN stored as NULL
    assert by_key[("トヨタ", "2024-01-03", 5)][3] == 1e-300
    assert all(r[6] == "lgb" and r[7] == "0123456789ab" for r in rows)

    out = tmp_path / "back.csv"
    alphaloom("store", "get", "--uri", uri, "--table", "preds", "--start", "2024-01-03", "--out", out)
    back = pd.read_csv(out)
    assert list(back.columns) == ["instrument", "datetime", "horizon", "yhat", "yhat_std", "prob_up", "model_name",
                                  "model_version"]
    assert list(back["instrument"]) == ["AAPL", "トヨタ"]
    assert math.isnan(back["yhat"][0]) and back["yhat"][1] == 1e-300

    printed = alphaloom("store", "get", "--uri", uri, "--table", "preds", "--instrument", EVIL).stdout
    lines = printed.strip().splitlines()
    assert len(lines) == 2 and EVIL in lines[1] and "-0.5" in lines[1]

    info = alphaloom("store", "info", "--uri", uri).stdout
    assert "schema version: 2 (this build: 2)" in info
    assert "preds: 4 rows" in info
    assert "migration" in alphaloom("store", "migrate", "--uri", uri).stdout


def test_target_weights_features_and_labels(alphaloom, tmp_path):
    uri = str(tmp_path / "w.db")  # a bare path is a SQLite file
    pd.DataFrame({"datetime": ["2024-01-02"] * 2, "instrument": ["A", "B"], "weight": [0.7, 0.3],
                  "alpha_score": [1.5, -0.2]}).to_csv(tmp_path / "w.csv", index=False)
    alphaloom("store", "put", "--uri", uri, "--table", "target_weights", "--file", tmp_path / "w.csv",
              "--strategy", "hybrid")
    pd.DataFrame({"datetime": ["2024-01-02"] * 2, "instrument": ["A", "B"], "KMID": [0.1, 0.2],
                  "MA5": [1.0, float("nan")]}).to_parquet(tmp_path / "f.parquet", index=False)
    alphaloom("store", "put", "--uri", uri, "--table", "features", "--file", tmp_path / "f.parquet")
    pd.DataFrame({"datetime": ["2024-01-02"], "instrument": ["A"], "label": [0.03],
                  "t1": ["2024-01-09"]}).to_csv(tmp_path / "l.csv", index=False)
    alphaloom("store", "put", "--uri", uri, "--table", "labels", "--file", tmp_path / "l.csv", "--label-name", "fwd_5")
    with sqlite3.connect(uri) as connection:
        assert connection.execute("SELECT strategy, weight FROM target_weights ORDER BY instrument").fetchall() == [
            ("hybrid", 0.7), ("hybrid", 0.3)]
        assert connection.execute("SELECT instrument, feature, value FROM features ORDER BY 1, 2").fetchall() == [
            ("A", "KMID", 0.1), ("A", "MA5", 1.0), ("B", "KMID", 0.2), ("B", "MA5", None)]
        assert connection.execute("SELECT name, value, t1 FROM labels").fetchall() == [("fwd_5", 0.03, "2024-01-09")]


@pytest.mark.parametrize("uri, expected", [
    ("mysql://u@h/db", "unsupported scheme 'mysql'"),
    ("sqlite://host/x.db", "a sqlite URI has no host"),
    ("postgresql://ann:hunter2@h:notaport/db", "port 'notaport'"),
    ("postgresql://ann:hunter2@127.0.0.1:1/research", "cannot reach the PostgreSQL server"),
])
def test_bad_uri_is_one_line_without_password(alphaloom, uri, expected):
    result = alphaloom("store", "info", "--uri", uri, check=False)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert expected in lines[0]
    assert "hunter2" not in result.stderr


def test_bad_rows_write_nothing(alphaloom, tmp_path):
    uri = f"sqlite:///{tmp_path / 'x.db'}"
    pd.DataFrame({"datetime": ["2024-01-02", "2024-01-02"], "instrument": ["A", "B"], "horizon": [1, 1],
                  "yhat": [0.5, float("inf")]}).to_csv(tmp_path / "p.csv", index=False)
    result = alphaloom("store", "put", "--uri", uri, "--table", "preds", "--file", tmp_path / "p.csv",
                       "--model-name", "m", check=False)
    assert result.returncode == 4, result.stderr
    assert "preds row 2 (instrument 'B', 2024-01-02): yhat is infinite" in result.stderr
    missing = alphaloom("store", "put", "--uri", uri, "--table", "preds", "--file", tmp_path / "p.csv", check=False)
    assert missing.returncode == 4 and "needs a model_name" in missing.stderr
    with sqlite3.connect(tmp_path / "x.db") as connection:
        assert connection.execute("SELECT COUNT(*) FROM preds").fetchone() == (0,)
