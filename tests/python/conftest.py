"""Shared fixtures for the Python-side tests: the alphaloom binary, the reference venvs, real data."""
import os
import pathlib
import subprocess

import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def scale_bars_from(store, first_index, seed=3):
    """A changed future for leakage tests: multiplies every price and volume bar of every instrument
    of `store` (Qlib layout) at calendar index >= first_index by a random factor in [0.5, 1.5)."""
    rng = np.random.default_rng(seed)
    for folder in sorted((pathlib.Path(store) / "features").iterdir()):
        for field in ("open", "high", "low", "close", "vwap", "volume"):
            path = folder / f"{field}.day.bin"
            if not path.exists():
                continue
            values = np.fromfile(path, dtype="<f4")
            at = 1 + max(0, first_index - int(values[0]))
            if at < len(values):
                values[at:] *= rng.uniform(0.5, 1.5, len(values) - at).astype("<f4")
                values.tofile(path)


def _binary() -> pathlib.Path:
    return pathlib.Path(os.environ.get("ALPHALOOM_BINARY", ROOT / "build" / "cli" / "alphaloom"))


@pytest.fixture(scope="session")
def alphaloom():
    """Runs the alphaloom CLI; returns the CompletedProcess (text, stdout and stderr captured)."""
    binary = _binary()
    if not binary.exists():
        pytest.fail(f"{binary} not built; run scripts/setup.sh")

    def run(*args, check=True):
        result = subprocess.run([str(binary), *map(str, args)], capture_output=True, text=True)
        if check and result.returncode != 0:
            raise AssertionError(f"alphaloom {' '.join(map(str, args))} failed ({result.returncode}):\n"
                                 f"{result.stdout}\n{result.stderr}")
        return result

    return run


@pytest.fixture(scope="session")
def qlib_python():
    """The interpreter of the pinned pyqlib reference environment (.venv-qlib)."""
    python = ROOT / ".venv-qlib" / "bin" / "python"
    if not python.exists():
        pytest.fail(f"{python} missing; scripts/setup.sh creates it")
    return python


@pytest.fixture(scope="session")
def real_data():
    """../shared/data/real, or a skip with a clear message when it is absent."""
    path = pathlib.Path(os.environ.get("ALPHALOOM_REAL_DATA", ROOT.parent / "shared" / "data" / "real"))
    if not path.is_dir():
        pytest.skip("../shared/data/real not present (set ALPHALOOM_REAL_DATA); skipping real-data test")
    return path
