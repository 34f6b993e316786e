"""Pipeline timings: a full `kadstudy run --force` and a no-op `kadstudy run` on the shipped data.

Run from the checkout: `python benchmarks/bench_pipeline.py [--repeat N]`. Prints a table of wall
times (median of N runs, each a fresh `kadstudy` process, as a user would type it). The reports it
rebuilds are byte-identical to the committed ones, so running it leaves the tree unchanged.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def kadstudy() -> list[str]:
    exe = shutil.which("kadstudy", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "kadstudy"]


def timed(args: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(kadstudy() + args, cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    rows = [
        ("kadstudy --help", timed(["--help"], repeat)),
        ("kadstudy run --force (all analyses)", timed(["run", "--force"], repeat)),
        ("kadstudy run --force -j 2", timed(["run", "--force", "-j", "2"], repeat)),
        ("kadstudy run (no-op, all up to date)", timed(["run"], repeat)),
        ("kadstudy status", timed(["status"], repeat)),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"{'command':{width}}  median wall time (s), {repeat} runs")
    for name, secs in rows:
        print(f"{name:{width}}  {secs:8.3f}")


if __name__ == "__main__":
    main()
