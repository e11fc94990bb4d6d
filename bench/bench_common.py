"""Helpers shared by the benchmark scripts in bench/: provenance and labels for their reports."""
from __future__ import annotations

import argparse
import platform
import subprocess
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def git_commit() -> str:
    """Short commit of the repository, with "+dirty" when the work tree has changes."""
    try:
        commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain"], capture_output=True, text=True,
                               check=True).stdout.strip()
        return commit + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def thread_label(threads: int) -> str:
    return f"{threads} thread" if threads == 1 else f"{threads} threads"


def add_market_arguments(parser: argparse.ArgumentParser) -> None:
    """The synthetic market both benchmarks generate (and cache) before measuring."""
    parser.add_argument("--instruments", type=int, default=800, help="stocks in the market (default 800)")
    parser.add_argument("--start", default="2012-01-02", help="first date (default 2012-01-02)")
    parser.add_argument("--days", type=int, default=3200,
                        help="weekdays in the market when --end is not given (default 3200)")
    parser.add_argument("--end", help="last date (overrides --days)")
    parser.add_argument("--seed", type=int, default=7, help="synth seed (default 7)")


@dataclass
class Row:
    """One line of the summary table."""

    task: str
    alphaloom: str
    peer: str
    ratio: float  # peer time / alphaloom time (wall clock)
    ratio_cpu: float | None  # the same on CPU time, steadier when the machine is shared
    target: str
    met: bool | None  # None: informational, no target


def print_table(rows: list[Row]) -> None:
    headers = ["task", "alphaloom", "peer", "ratio", "ratio cpu", "target", "met"]
    cells = [[row.task, row.alphaloom, row.peer, f"{row.ratio:.2f}x",
              f"{row.ratio_cpu:.2f}x" if row.ratio_cpu is not None else "-", row.target,
              "-" if row.met is None else ("yes" if row.met else "NO")] for row in rows]
    widths = [max(len(headers[column]), *(len(line[column]) for line in cells)) for column in range(len(headers))]
    print("  ".join(header.ljust(width) for header, width in zip(headers, widths)))
    print("  ".join("-" * width for width in widths))
    for line in cells:
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths)))
