"""AlphaLoom's Gaussian HMM against hmmlearn (pinned in requirements-ref.txt): the same data and
starting parameters give the same fitted parameters and log-likelihood to 1e-6, and AlphaLoom's
filtered probabilities equal hmmlearn's forward pass under its fitted model.

The C++ side is tests/regime/hmm_parity_tool (built beside the alphaloom binary's build tree);
the reference side runs tests/python/hmm_reference.py with the .venv-ref interpreter.
"""
import json
import pathlib
import subprocess

import numpy as np
import pytest

from conftest import ROOT, _binary

TOLERANCE = 1e-6


@pytest.fixture(scope="module")
def hmm_tool():
    tool = _binary().resolve().parents[1] / "tests" / "hmm_parity_tool"
    if not tool.exists():
        pytest.fail(f"{tool} not built (cmake --build <build dir> --target hmm_parity_tool)")
    return tool


@pytest.fixture(scope="module")
def ref_python():
    python = ROOT / ".venv-ref" / "bin" / "python"
    if not python.exists():
        pytest.fail(f"{python} missing; scripts/setup.sh creates it")
    return python


def _returns(rows, features, seed):
    """Percent daily returns switching between a calm, a bear and a crash regime."""
    rng = np.random.default_rng(seed)
    regimes = [(0.06, 0.7), (-0.08, 1.4), (-0.6, 3.5)]
    state, out = 0, []
    for _ in range(rows):
        if rng.random() < 0.03:
            state = int(rng.integers(0, 3))
        mean, std = regimes[state]
        row = [rng.normal(mean, std)]
        for extra in range(1, features):  # a second feature: the absolute return, noisy
            row.append(abs(row[0]) + rng.normal(0, 0.3 * extra))
        out.append(row)
    return np.asarray(out)


def _start(x, states):
    """Starting parameters like AlphaLoom's InitialHmmParams, but written out explicitly."""
    order = np.argsort(x[:, 0], kind="stable")
    groups = np.array_split(order, states)
    means = np.asarray([x[group].mean(axis=0) for group in groups])
    covars = np.tile(x.var(axis=0, ddof=1) + 1e-3, (states, 1))
    transmat = np.full((states, states), 0.1 / (states - 1))
    np.fill_diagonal(transmat, 0.9)
    return {"startprob": [1.0 / states] * states, "transmat": transmat.tolist(), "means": means.tolist(),
            "covars": covars.tolist()}


def _run(cmd):
    result = subprocess.run([str(c) for c in cmd], capture_output=True, text=True)
    assert result.returncode == 0, f"{cmd} failed:\n{result.stdout}\n{result.stderr}"


@pytest.mark.parametrize("states,features,rows,n_iter,tol,seed", [
    (2, 1, 400, 100, 1e-4, 1),
    (3, 1, 1500, 100, 1e-4, 2),
    (3, 2, 800, 30, 1e-3, 3),
    (4, 1, 1000, 12, 0.0, 4),
])
def test_hmm_matches_hmmlearn(hmm_tool, ref_python, tmp_path, states, features, rows, n_iter, tol, seed):
    x = _returns(rows, features, seed)
    spec = {"x": x.tolist(), "n_iter": n_iter, "tol": tol, "covars_prior": 1e-2, **_start(x, states)}
    source = tmp_path / "in.json"
    source.write_text(json.dumps(spec))
    _run([hmm_tool, source, tmp_path / "ours.json"])
    _run([ref_python, pathlib.Path(__file__).with_name("hmm_reference.py"), source, tmp_path / "theirs.json"])
    ours = json.loads((tmp_path / "ours.json").read_text())
    theirs = json.loads((tmp_path / "theirs.json").read_text())
    assert ours["iterations"] == theirs["iterations"]
    for key in ("startprob", "transmat", "means", "covars"):
        np.testing.assert_allclose(ours[key], theirs[key], rtol=0, atol=TOLERANCE, err_msg=key)
    assert abs(ours["log_likelihood"] - theirs["log_likelihood"]) < TOLERANCE
    np.testing.assert_allclose(ours["filtered"], theirs["filtered"], rtol=0, atol=TOLERANCE, err_msg="filtered")
    # What AlphaLoom uses is the filter, not hmmlearn's smoother: they agree only at the last step.
    smoothed = np.asarray(theirs["smoothed"])
    filtered = np.asarray(ours["filtered"])
    np.testing.assert_allclose(filtered[-1], smoothed[-1], rtol=0, atol=TOLERANCE)
    assert np.abs(filtered[:-1] - smoothed[:-1]).max() > 0.05
