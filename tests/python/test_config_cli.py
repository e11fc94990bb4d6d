"""`alphaloom config`: --describe prints the workflow key table (text, markdown, JSON; one
section), --update-doc regenerates docs/workflow.md's table, and `config check` reads workflow
files as `alphaloom run` does without running anything: exit 0 for every example, exit 3 with one
line naming file, line and key for a bad one."""
import json
import shutil

import pytest

from conftest import ROOT


def test_describe_text_json_and_markdown(alphaloom):
    text = alphaloom("config", "--describe").stdout
    assert "label.horizon (forward, states)" in text and "backtest.open_cost" in text
    keys = json.loads(alphaloom("config", "--describe", "--format", "json").stdout)
    by_key = {row["key"]: row for row in keys}
    assert by_key["backtest.open_cost"]["default"] == "0.0005" and by_key["backtest.open_cost"]["min"] == 0
    assert by_key["cv.kind"]["choices"] == ["walk_forward", "purged_kfold", "cpcv", "segments"]
    assert by_key["data.store"]["required"] is True
    label = json.loads(alphaloom("config", "--describe", "label", "--format", "json").stdout)
    assert label and all(row["key"].startswith("label") for row in label)
    markdown = alphaloom("config", "--describe", "cv", "--format", "markdown").stdout
    assert markdown.startswith("### `cv`") and "| `cv.embargo_pct` | purged_kfold, cpcv | number | 0.01 | in [0, 1) |" in markdown


def test_describe_unknown_section_is_a_usage_error(alphaloom):
    result = alphaloom("config", "--describe", "lable", check=False)
    assert result.returncode == 2 and "unknown section 'lable'" in result.stderr
    result = alphaloom("config", check=False)
    assert result.returncode == 2 and "--describe" in result.stderr


def test_update_doc_reproduces_the_committed_table(alphaloom, tmp_path):
    doc = tmp_path / "workflow.md"
    shutil.copy(ROOT / "docs" / "workflow.md", doc)
    alphaloom("config", "--describe", "--format", "markdown", "--update-doc", doc)
    assert doc.read_text() == (ROOT / "docs" / "workflow.md").read_text(), (
        "docs/workflow.md is out of date: alphaloom config --describe --format markdown --update-doc docs/workflow.md")
    stale = doc.read_text().replace("| `model.seed` |", "| `model.sead` |")
    doc.write_text(stale)
    alphaloom("config", "--describe", "--format", "markdown", "--update-doc", doc)
    assert doc.read_text() == (ROOT / "docs" / "workflow.md").read_text()
    doc.write_text("no markers here\n")
    result = alphaloom("config", "--describe", "--format", "markdown", "--update-doc", doc, check=False)
    assert result.returncode == 4 and "no generated block" in result.stderr


def test_check_every_example(alphaloom):
    examples = sorted((ROOT / "examples").glob("*.yaml"))
    assert len(examples) >= 4
    result = alphaloom("config", "check", *examples)
    assert result.stdout.splitlines() == [f"{path}: ok" for path in examples]


BASE = """name: wf
data:
  store: {store}
label:
  kind: forward
  horizon: 1
"""


@pytest.mark.parametrize("extra, needle", [
    ("model:\n  threads: 0\n", "wf.yaml:8: model.threads: must be at least 1, got 0"),
    ("cv:\n  kind: cpcv\n  folds: 3\n", "wf.yaml:9: cv.folds: unknown key (known here: embargo_pct, end, groups, kind, "
                                        "start, test_groups)"),
    ("backtest:\n  deal_price: mid\n", "wf.yaml:8: backtest.deal_price: 'mid' is not one of open, close, vwap"),
    ("strategy:\n  kind: hybrid\n  sizing: {max_weight: -1}\n",
     "wf.yaml:9: strategy.sizing.max_weight: must be a positive number, got -1"),
    ("metrics:\n  trials: 3\n", "metrics.trial_sharpe_variance: needed (>= 0) when trials > 1"),
    ("factors:\n  sets: [alpha159]\n", "wf.yaml:8: factors.sets: unknown factor set 'alpha159'"),
    ("modle: {}\n", "wf.yaml:7: modle: unknown key"),
])
def test_check_rejects_a_bad_key_with_file_line_and_key(alphaloom, tmp_path, extra, needle):
    (tmp_path / "store").mkdir()
    workflow = tmp_path / "wf.yaml"
    workflow.write_text(BASE.format(store=tmp_path / "store") + extra)
    result = alphaloom("config", "check", workflow, check=False)
    assert result.returncode == 3, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("alphaloom: error")]
    assert len(lines) == 1 and needle in lines[0], result.stderr
    assert str(workflow) in lines[0]


def test_check_warns_about_the_machine_not_the_file(alphaloom, tmp_path):
    """A store that is not there yet, or an unset token variable, belong to the machine that runs
    the workflow: check warns; run would fail."""
    workflow = tmp_path / "wf.yaml"
    workflow.write_text(BASE.format(store=tmp_path / "absent") +
                        "tracking: {uri: 'http://127.0.0.1:1', token_env: ALPHALOOM_NO_SUCH_VARIABLE}\n")
    result = alphaloom("config", "check", workflow)
    assert result.stdout.strip() == f"{workflow}: ok"
    assert "no such store directory" in result.stderr and "ALPHALOOM_NO_SUCH_VARIABLE is not set" in result.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text(BASE.format(store=tmp_path) + "report: {html: maybe}\n")
    result = alphaloom("config", "check", workflow, bad, check=False)
    assert result.returncode == 3
    assert f"{workflow}: ok" in result.stdout and "bad.yaml:7: report.html: expected true or false" in result.stderr
    result = alphaloom("config", "check", "--set", "report.html=false", bad)
    assert result.returncode == 0
