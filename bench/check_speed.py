"""How long ``python -m tcsite check`` takes on the real content, as an editor runs it.

Prints figures; asserts nothing (timings depend on the machine: a test asserting one would fail
on a busy runner and pass a regression on a fast one). Runs the command ``--runs`` times in a
fresh process each, and prints the best and the median beside the floor they compare with: a
Python process that only imports tcsite.check.

    .venv/bin/python bench/check_speed.py
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timings(command: list[str], runs: int) -> list[float]:
    found = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, capture_output=True, check=False,
                       env={**os.environ, "GITHUB_ACTIONS": "", "PYTHONPATH": str(ROOT)})
        found.append(time.perf_counter() - started)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    files = sum(1 for folder in ("docs", "news") for _ in (ROOT / folder).rglob("*.md"))
    check = timings([sys.executable, "-m", "tcsite", "check"], args.runs)
    floor = timings([sys.executable, "-c", "import tcsite.check"], args.runs)
    print(f"machine: {os.cpu_count()} cores; corpus: {files} Markdown files in docs/ and news/")
    print(f"python -m tcsite check   best {min(check):.2f} s   median {statistics.median(check):.2f} s")
    print(f"import tcsite.check      best {min(floor):.2f} s   median {statistics.median(floor):.2f} s")


if __name__ == "__main__":
    main()
