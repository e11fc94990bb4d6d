"""Shared fixtures for the Python-side tests: the alphaloom binary, the reference venvs, real data."""
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


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
