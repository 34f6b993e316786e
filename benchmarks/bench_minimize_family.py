"""Parsimonious minimisation of planted random crisp data, k = 8 ... 30 conditions: time and peak memory.

    python benchmarks/bench_minimize_family.py [--quick] [--ks 8,10,...] [--ns 200,1000]
                                               [--noise 0,0.03] [--limit 60] [--budget-gb 4]

Data (seeded): n cases × k crisp conditions drawn at random; the outcome is planted as
C0*C1 + C2*~C3, then a share ``noise`` of the cases have their outcome flipped. The
parsimonious solution is computed with incl_cut 1 and n_cut 1, one subprocess per run, with
``time_limit = --limit`` seconds and a memory budget of ``--budget-gb``; the subprocess is also
killed at ``limit + 30`` s and capped with ``RLIMIT_AS`` (budget + 2 GB), so nothing runs away.

Prints, per run: k, n, noise, status (ok / the stage a bound stopped / killed), wall time,
peak resident memory of that subprocess (``os.wait4`` rusage), and the number of prime
implicants and models.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

FULL_KS = list(range(8, 31, 2))
QUICK_KS = [8, 12, 16]


def planted(k: int, n: int, noise: float, seed: int = 7):
    """A data frame of ``n`` cases, crisp conditions C0..C{k-1} and the planted outcome Y."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed + 1000 * k + n)
    x = rng.integers(0, 2, size=(n, k))
    y = (x[:, 0] & x[:, 1]) | (x[:, 2] & (1 - x[:, 3]))
    flip = rng.random(n) < noise
    y = np.where(flip, 1 - y, y)
    frame = pd.DataFrame(x, columns=[f"C{j}" for j in range(k)])
    frame["Y"] = y
    return frame


def one(k: int, n: int, noise: float, limit: float, budget: int) -> dict:
    """Run one minimisation in this process and return its figures (the child side)."""
    import warnings

    from kadstudy.sets import minimize

    frame = planted(k, n, noise)
    kwargs = {"solution": "parsimonious", "incl_cut": 1.0, "time_limit": limit}
    try:  # the memory budget is newer than the benchmark's first figures
        import inspect

        if "memory_budget" in inspect.signature(minimize).parameters:
            kwargs["memory_budget"] = budget
    except (TypeError, ValueError):  # pragma: no cover
        pass
    start = time.perf_counter()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sol = minimize(frame, "Y", [f"C{j}" for j in range(k)], **kwargs)
        status, npi, nmod = "ok", len(sol.primes), len(sol.models)
    except Exception as exc:  # a bound was hit: report which stage
        status = f"stopped: {getattr(exc, 'stage', type(exc).__name__)}"
        npi = nmod = -1
    return {"status": status, "seconds": time.perf_counter() - start, "pis": npi, "models": nmod}


def run(k: int, n: int, noise: float, limit: float, budget_gb: float) -> dict:
    """Run :func:`one` in a subprocess; its peak memory comes from ``os.wait4``."""
    budget = int(budget_gb * 2**30)
    cap = budget + 2 * 2**30

    def limit_as() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    cmd = [sys.executable, __file__, "--one", f"{k},{n},{noise},{limit},{budget}"]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, preexec_fn=limit_as)
    deadline = start + limit + 30
    killed = False
    while True:  # os.wait4 reaps the child and returns its own resource usage
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if not killed and time.perf_counter() > deadline:
            proc.kill()
            killed = True
        time.sleep(0.05)
    proc.returncode = os.waitstatus_to_exitcode(status)
    out = proc.stdout.read().decode() if proc.stdout else ""
    wall = time.perf_counter() - start
    peak_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
    if killed:
        return {"status": f"killed at {wall:.0f} s", "seconds": wall, "pis": -1, "models": -1,
                "peak_mb": peak_mb}
    try:
        res = json.loads(out.strip().splitlines()[-1])
    except (ValueError, IndexError):
        res = {"status": f"failed (exit {proc.returncode})", "seconds": wall, "pis": -1, "models": -1}
    res["peak_mb"] = peak_mb
    return res


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"k = {QUICK_KS}, n = 200, limit 20 s")
    parser.add_argument("--ks", default=None, help="comma-separated numbers of conditions")
    parser.add_argument("--ns", default=None, help="comma-separated numbers of cases (200,1000)")
    parser.add_argument("--noise", default="0,0.03", help="comma-separated shares of flipped outcomes")
    parser.add_argument("--limit", type=float, default=None, help="time_limit per run in seconds (60)")
    parser.add_argument("--budget-gb", type=float, default=4.0, help="memory budget per run")
    parser.add_argument("--one", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        k, n, noise, limit, budget = args.one.split(",")
        print(json.dumps(one(int(k), int(n), float(noise), float(limit), int(budget))))
        return 0
    ks = [int(v) for v in args.ks.split(",")] if args.ks else (QUICK_KS if args.quick else FULL_KS)
    ns = [int(v) for v in args.ns.split(",")] if args.ns else ([200] if args.quick else [200, 1000])
    noises = [float(v) for v in args.noise.split(",")]
    limit = args.limit if args.limit is not None else (20.0 if args.quick else 60.0)
    print(f"parsimonious, incl_cut 1; time_limit {limit:g} s, memory budget {args.budget_gb:g} GB; "
          f"load average {os.getloadavg()[0]:.2f}")
    print(f"{'k':>3} {'n':>5} {'noise':>5}  {'seconds':>8} {'peak MB':>8} {'PIs':>6} {'models':>6}  status")
    for n in ns:
        for noise in noises:
            for k in ks:
                r = run(k, n, noise, limit, args.budget_gb)
                print(f"{k:>3} {n:>5} {noise:>5.2f}  {r['seconds']:>8.2f} {r['peak_mb']:>8.0f} "
                      f"{r['pis']:>6} {r['models']:>6}  {r['status']}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
