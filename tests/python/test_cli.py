"""The alphaloom binary end to end: exit codes, one-line errors, nothing half-written."""
import json
import signal
import subprocess
import time

import pytest

from conftest import _binary

GOOD = "date,open,high,low,close,volume\n2020-01-02,10,11,9,10.5,100\n2020-01-03,10.5,12,10,11,200\n"


@pytest.fixture
def raw(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "AAA.csv").write_text(GOOD)
    (folder / "BBB.csv").write_text(GOOD)
    return folder


def error_lines(result):
    return [line for line in result.stderr.splitlines() if line.strip()]


def test_ingest_then_info(alphaloom, raw, tmp_path):
    alphaloom("ingest", "--input", raw, "--out", tmp_path / "store")
    info = json.loads(alphaloom("data", "info", tmp_path / "store", "--json").stdout)
    assert info["instruments"] == 2 and info["dates"] == 2 and info["bars"] == 4
    assert info["first_date"] == "2020-01-02" and info["missing"] == 0
    text = alphaloom("data", "info", tmp_path / "store").stdout
    assert "2020-01-02 .. 2020-01-03" in text


@pytest.mark.parametrize("args, code, needle", [
    (["ingest", "--input", "/nonexistent/dir", "--out", "{tmp}/s"], 5, "/nonexistent/dir"),
    (["ingest", "--out", "{tmp}/s"], 2, "--input"),
    (["ingest", "--input", "{raw}", "--out", "{tmp}/s", "--policy", "bogus=warn"], 2, "bogus"),
    (["ingest", "--input", "{raw}", "--out", "{tmp}/s", "--benchmark", "SPY"], 6, "SPY"),
    (["ingest", "--input", "{raw}", "--out", "{tmp}/s", "--columns", "price=x"], 2, "price"),
    (["data", "info", "{raw}"], 4, "calendars/day.txt"),
    (["synth", "--out", "{tmp}/m", "--start", "2020-02-30"], 2, "--start"),
])
def test_errors_are_one_line_with_the_right_exit_code(alphaloom, raw, tmp_path, args, code, needle):
    args = [a.format(tmp=tmp_path, raw=raw) for a in args]
    result = alphaloom(*args, check=False)
    assert result.returncode == code, result.stderr
    lines = error_lines(result)
    assert len(lines) >= 1 and needle in result.stderr, result.stderr
    if code != 2:  # usage errors print CLI11's help hint as well
        assert len(lines) == 1, result.stderr
    assert not (tmp_path / "s").exists()


def test_bad_file_fails_naming_it_and_skip_reports_it(alphaloom, raw, tmp_path):
    (raw / "DA-BF.B-T-2021-04-21.csv").write_text("{\nError Message\n}\n")
    result = alphaloom("ingest", "--input", raw, "--out", tmp_path / "store", check=False)
    assert result.returncode == 4
    assert "DA-BF.B-T-2021-04-21.csv" in result.stderr and "not_data" in result.stderr
    assert not (tmp_path / "store").exists()
    result = alphaloom("ingest", "--input", raw, "--out", tmp_path / "store", "--on-error", "skip")
    assert "DA-BF.B-T-2021-04-21.csv" in result.stderr
    assert json.loads(alphaloom("data", "info", tmp_path / "store", "--json").stdout)["instruments"] == 2


def test_malformed_row_names_file_line_instrument_and_date(alphaloom, raw, tmp_path):
    (raw / "CCC.csv").write_text(GOOD + "2020-01-06,11,12,10,oops,300\n")
    result = alphaloom("ingest", "--input", raw, "--out", tmp_path / "store", check=False)
    assert result.returncode == 4
    assert "CCC.csv:4: CCC 2020-01-06: malformed_row (error): close 'oops' is not a number" in result.stderr


def test_json_logging(alphaloom, raw, tmp_path):
    result = alphaloom("--log-json", "ingest", "--input", raw, "--out", tmp_path / "store")
    records = [json.loads(line) for line in result.stderr.splitlines() if line.strip()]
    assert records and all({"level", "msg"} <= set(r) for r in records)
    result = alphaloom("--quiet", "ingest", "--input", raw, "--out", tmp_path / "store2")
    assert result.stderr == ""


def test_kill_during_ingest_leaves_old_store_whole(alphaloom, tmp_path):
    """kill -9 at random moments of a large ingest: the store is always the old one or the new one."""
    big = tmp_path / "big"
    alphaloom("synth", "--out", big, "--instruments", "300", "--start", "2010-01-04", "--end", "2020-12-31")
    store = tmp_path / "store"
    alphaloom("ingest", "--input", big, "--out", store, "--benchmark", "BENCH")
    before = json.loads(alphaloom("data", "info", store, "--json").stdout)
    for delay in (0.05, 0.2, 0.4):
        process = subprocess.Popen([str(_binary()), "--threads", "1", "ingest", "--input", str(big), "--out", str(store),
                                    "--benchmark", "BENCH"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        after = json.loads(alphaloom("data", "info", store, "--json").stdout)
        assert after == before
    # A killed process cannot clean up its staging directory; the next run removes it.
    alphaloom("ingest", "--input", big, "--out", store, "--benchmark", "BENCH")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("store.tmp-")] == []


def test_features_with_a_long_instrument_list(alphaloom, tmp_path):
    """A comma list longer than a file name may be must still work (it was once taken for a path)."""
    raw = tmp_path / "raw"
    raw.mkdir()
    names = [f"INSTRUMENT{i:03d}" for i in range(60)]
    for name in names:
        (raw / f"{name}.csv").write_text(GOOD)
    alphaloom("ingest", "--input", raw, "--out", tmp_path / "store")
    alphaloom("features", "--data", tmp_path / "store", "--expr", "R=$close/$open", "--instruments", ",".join(names),
              "--out", tmp_path / "f.csv")
    lines = (tmp_path / "f.csv").read_text().splitlines()
    assert lines[0] == "datetime,instrument,R" and len(lines) == 1 + 2 * len(names)
    result = alphaloom("features", "--data", tmp_path / "store", "--expr", "R=$close", "--instruments", "NOPE,XX",
                       "--out", tmp_path / "g.csv", check=False)
    assert result.returncode == 6 and "unknown instrument 'NOPE'" in result.stderr
    result = alphaloom("features", "--data", tmp_path / "store", "--expr", "R=$clsoe/$open", "--out", tmp_path / "h.csv",
                       check=False)
    assert result.returncode == 6 and "unknown field '$clsoe'" in result.stderr
    result = alphaloom("features", "--data", tmp_path / "store", "--expr", "R=Mean($close, )", "--out",
                       tmp_path / "h.csv", check=False)
    assert result.returncode == 3 and "factor R: expression error at column 14" in result.stderr
    assert result.stderr.rstrip().endswith("^")
    assert not (tmp_path / "h.csv").exists()
    for command in (["features", "--out", tmp_path / "h.csv"], ["inspect", "--instrument", names[0]]):
        result = alphaloom(command[0], "--data", tmp_path / "store", "--expr", "=$close", *command[1:], check=False)
        assert result.returncode == 2 and "--expr '=$close': expected NAME=EXPRESSION" in result.stderr, command
    assert not (tmp_path / "h.csv").exists()
