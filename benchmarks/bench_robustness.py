"""Robustness test over many specifications of a 10-condition analysis, on 1 and more local
processes and on a Dask cluster.

    python benchmarks/bench_robustness.py [--specs 1000] [--cases 200] [--jobs 1,2] [--dask 2]
                                          [--scheduler tcp://HOST:PORT] [--quick]

Synthetic seeded data: ten conditions C0..C9 calibrated (fuzzy, anchors 10, 50, 90) from raw
values drawn near the ends of [0, 100]; the outcome follows C0*C1 + C2*~C3 with 2% of the cases
flipped. The test set varies incl_cut, pri_cut, n_cut and the crossovers of C0 and C2 (a full
grid of 5 x 5 x 2 x 5 x 4 = 1,000 specifications, cut to --specs); the parsimonious solution
of each is compared with the initial one (incl_cut 0.8, pri_cut 0.6, n_cut 1).

Prints the wall time of ``robustness_test`` for each engine: each number of local processes
(``--jobs``), a Dask ``LocalCluster`` of ``--dask`` worker processes (one thread each; 0: none;
its start-up is timed separately) and an existing cluster (``--scheduler``); then the speed-up,
the time per specification, and whether the result, serialised to JSON with every float written
exactly, is byte for byte the one of the first engine. The speed-up is bounded by the free CPUs:
the load average is printed first.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import time
import warnings
from dataclasses import replace

import numpy as np
import pandas as pd

from kadstudy.sets import Calibration, RobustnessResult, Specification, robustness_test

K = 10
ANCHORS = (10.0, 50.0, 90.0)


def synthetic(cases: int, seed: int = 11, noise: float = 0.02) -> pd.DataFrame:
    """Raw values of C0..C9 and the outcome Y (already a fuzzy set), one row per case."""
    rng = np.random.default_rng(seed)
    side = rng.integers(0, 2, size=(cases, K))
    raw = np.where(side == 1, rng.uniform(85, 100, size=(cases, K)), rng.uniform(0, 15, size=(cases, K)))
    rule = (side[:, 0] & side[:, 1]) | (side[:, 2] & (1 - side[:, 3]))
    flip = rng.random(cases) < noise
    y = np.where(rule.astype(bool) ^ flip, rng.uniform(0.8, 1.0, cases), rng.uniform(0.0, 0.2, cases))
    frame = pd.DataFrame(np.round(raw, 1), columns=[f"raw{j}" for j in range(K)],
                         index=[f"case{i:04d}" for i in range(cases)])
    frame["Y"] = np.round(y, 2)
    return frame


def specifications(n: int) -> tuple[Specification, list[Specification]]:
    initial = Specification(
        "Y", tuple(f"C{j}" for j in range(K)), incl_cut=0.8, pri_cut=0.6, solution="parsimonious",
        calibrate={f"C{j}": Calibration(f"raw{j}", ANCHORS) for j in range(K)}, label="initial")
    grid = itertools.product((0.75, 0.78, 0.8, 0.82, 0.85), (0.5, 0.55, 0.6, 0.65, 0.7), (1, 2),
                             (40.0, 45.0, 50.0, 55.0, 60.0), (45.0, 50.0, 55.0, 60.0))
    tests = []
    for incl, pri, ncut, c0, c2 in itertools.islice(grid, n):
        s = replace(initial, incl_cut=incl, pri_cut=pri, n_cut=ncut,
                    label=f"incl {incl} pri {pri} n {ncut} C0@{c0:g} C2@{c2:g}")
        s = s.with_thresholds("C0", (10.0, c0, 90.0)).with_thresholds("C2", (10.0, c2, 90.0))
        tests.append(s)
    return initial, tests


def serialised(res: RobustnessResult) -> bytes:
    """The result as JSON, every float written exactly (repr), to compare engines byte for byte."""
    return json.dumps({
        "tests": [[t.spec.label, t.status, t.texts, repr(t.models), t.n_cases] for t in res.tests],
        "expressions": res.expressions,
        "fit": {k: repr(v) for k, v in {**res.fit, **res.case_ratios}.items()},
        "case_types": res.case_types,
        "memberships": {c: [repr(v) for v in res.memberships[c]] for c in res.memberships.columns},
        "notes": res.notes,
    }, sort_keys=True).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--specs", type=int, default=1000, help="number of test specifications")
    parser.add_argument("--cases", type=int, default=200, help="number of cases")
    parser.add_argument("--jobs", default="1,2", help="numbers of local processes to time, e.g. 1,2,4")
    parser.add_argument("--dask", type=int, default=2,
                        help="workers of a Dask LocalCluster to time (0: none; needs kadstudy[dask])")
    parser.add_argument("--scheduler", default=None, help="also time the Dask cluster at this address")
    parser.add_argument("--quick", action="store_true", help="100 specifications")
    args = parser.parse_args()
    if args.quick:
        args.specs = 100
    warnings.simplefilter("ignore")
    data = synthetic(args.cases)
    initial, tests = specifications(args.specs)
    load = os.getloadavg()[0]
    print(f"{len(tests)} specifications, {args.cases} cases, {K} conditions, parsimonious solutions; "
          f"{os.cpu_count()} CPUs, load average {load:.2f}")
    if load > 0.5:
        print("NOTE: the machine is busy; the speed-up is limited by the free CPUs")
    engines: list[tuple[str, dict]] = [
        ("1 process (serial)" if j == 1 else f"{j} local processes", {"jobs": j})
        for j in (int(j) for j in args.jobs.split(","))]
    cluster = None
    if args.dask:
        from distributed import LocalCluster

        start = time.perf_counter()
        cluster = LocalCluster(n_workers=args.dask, threads_per_worker=1, processes=True,
                               dashboard_address=":0")
        print(f"Dask LocalCluster of {args.dask} worker processes started in "
              f"{time.perf_counter() - start:.1f} s (not counted below)")
        engines.append((f"Dask LocalCluster, {args.dask} workers", {"scheduler": cluster.scheduler_address}))
    if args.scheduler:
        engines.append((f"Dask at {args.scheduler}", {"scheduler": args.scheduler}))
    rows, first = [], None
    try:
        for name, kw in engines:
            start = time.perf_counter()
            res = robustness_test(data, initial, tests, **kw)
            elapsed = time.perf_counter() - start
            blob = serialised(res)
            if first is None:
                first, base = blob, elapsed
            rows.append([name, f"{elapsed:.1f}", f"{base / elapsed:.2f}",
                         f"{1000 * elapsed / len(tests):.0f}", "yes" if blob == first else "NO"])
            print(f"  {name}: {elapsed:.1f} s", flush=True)
    finally:
        if cluster is not None:
            cluster.close()
    widths = [32, 9, 8, 12, 20]
    head = ["engine", "seconds", "speedup", "ms per spec", "byte-identical JSON"]
    print(head[0].ljust(widths[0]) + "  ".join(h.rjust(w) for h, w in zip(head[1:], widths[1:], strict=True)))
    for r in rows:
        print(r[0].ljust(widths[0]) + "  ".join(c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True)))
    distinct = len({t.key for t in res.tests})
    same = sum(t.key == res.initial.key for t in res.tests)
    print(f"\ninitial solution: {res.initial.text[:120]}")
    print(f"{distinct} distinct test solutions; {same} of {len(res.tests)} equal the initial one")
    for name in ("TS_min", "RC", "TS_max", "ENV"):
        print(f"{name:>6}: {res.expressions[name][:120]}")
    print("  ".join(f"{k} {v:.3f}" for k, v in {**res.fit, **res.case_ratios}.items()))
    print("  ".join(f"{k}: {len(v)}" for k, v in res.case_types.items()))


if __name__ == "__main__":
    main()
