"""Run every benchmark in this folder, one after another, and print their figures.

    python benchmarks/run_all.py            # full sizes (several minutes)
    python benchmarks/run_all.py --quick    # small sizes, for a smoke check

Each benchmark also runs on its own: python benchmarks/bench_<name>.py --help.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
QUICK = {"bench_pipeline.py": ["--repeat", "1"]}   # the others take --quick


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, runs in a few minutes")
    args = parser.parse_args()
    failed = []
    for script in sorted(HERE.glob("bench_*.py")):
        extra = (QUICK.get(script.name, ["--quick"]) if args.quick else [])
        print(f"\n=== {script.name} {' '.join(extra)}".rstrip(), flush=True)
        if subprocess.run([sys.executable, str(script), *extra], check=False).returncode:
            failed.append(script.name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
