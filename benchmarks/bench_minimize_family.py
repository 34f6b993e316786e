"""Parsimonious minimisation of planted random crisp data, k = 8 ... 30 conditions: time and peak memory.

    python benchmarks/bench_minimize_family.py [--quick] [--ks 8,10,...] [--ns 200,1000]
        [--noise 0,0.03] [--limit 60] [--budget-gb 4] [--setqca-python PYTHON | --no-setqca]
        [--kadstudy-src DIR]

Data (seeded): n cases × k crisp conditions drawn at random; the outcome is planted as
C0*C1 + C2*~C3, then a share ``noise`` of the cases have their outcome flipped. The
parsimonious solution is computed with incl_cut 1 and n_cut 1, one subprocess per run, with
``time_limit = --limit`` seconds and a memory budget of ``--budget-gb``; the subprocess is also
killed at ``limit + 30`` s and capped with ``RLIMIT_AS`` (budget + 2 GB), so nothing runs away.

setqca (PyPI ``setqca``, classical Quine-McCluskey with every remainder listed as a don't care)
runs beside it on the same truth table (``setqca.minimize.minimize``, parsimonious only), in
``--setqca-python`` (default: this interpreter) when it can import setqca, killed at ``--limit``
seconds; once it is killed for some k, larger k of that series are not tried. Where setqca is
not installed, its columns say so.

Prints, per run: k, n, noise, the numbers of positive and negative truth table rows; for
kadstudy the status (ok / the stage a bound stopped / killed), wall and CPU seconds of the
``minimize`` call, the peak resident memory of the subprocess and its growth during the call
(``ru_maxrss``), the numbers of prime implicants and models; for setqca the status, wall
seconds and peak resident memory. Timings depend on the machine and its load (printed at the
start and the end): compare runs made in the same conditions. ``--kadstudy-src DIR`` imports
kadstudy from another source tree (e.g. ``git archive`` of an older commit) to time it the
same way.
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
RSS_UNIT = 1024  # ru_maxrss is in kilobytes on Linux


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


def _rows(frame, k: int) -> tuple[set[int], set[int]]:
    """Positive and negative truth table rows (codes, C0 most significant) at incl.cut 1."""
    import numpy as np

    codes = frame[[f"C{j}" for j in range(k)]].to_numpy() @ (1 << (k - 1 - np.arange(k)))
    pos, neg = set(), set()
    for code, group in frame.groupby(codes)["Y"]:
        (pos if group.min() == 1 else neg).add(int(code))
    return pos, neg


def _use_src(src: str | None) -> None:
    """Import kadstudy from ``src`` instead of the installed (editable) package."""
    if src:
        sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in repr(f).lower()]
        sys.path.insert(0, src)


def one(k: int, n: int, noise: float, limit: float, budget: int, src: str | None = None) -> dict:
    """Run one kadstudy minimisation in this process and return its figures (the child side)."""
    import warnings

    _use_src(src)
    from kadstudy.sets import minimize

    frame = planted(k, n, noise)
    kwargs = {"solution": "parsimonious", "incl_cut": 1.0, "time_limit": limit}
    try:  # the memory budget is newer than the benchmark's first figures
        import inspect

        if "memory_budget" in inspect.signature(minimize).parameters:
            kwargs["memory_budget"] = budget
    except (TypeError, ValueError):  # pragma: no cover
        pass
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / RSS_UNIT
    start, cpu = time.perf_counter(), time.process_time()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sol = minimize(frame, "Y", [f"C{j}" for j in range(k)], **kwargs)
        status, npi, nmod = "ok", len(sol.primes), len(sol.models)
    except Exception as exc:  # a bound was hit: report which stage
        status = f"stopped: {getattr(exc, 'stage', type(exc).__name__)}"
        npi = nmod = -1
    return {"status": status, "seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu,
            "pis": npi, "models": nmod, "base_mb": base}


def one_setqca(k: int, n: int, noise: float) -> dict:
    """Run setqca's parsimonious minimisation of the same truth table (the child side)."""
    from setqca.minimize import minimize as sq_minimize

    frame = planted(k, n, noise)
    pos, neg = _rows(frame, k)
    remainders = set(range(2**k)) - pos - neg
    start = time.perf_counter()
    sols = sq_minimize(pos, dont_cares=remainders, width=k)
    return {"status": "ok", "seconds": time.perf_counter() - start, "models": len(sols)}


def _child(
    args: list[str], limit: float, cap: int, python: str = sys.executable
) -> tuple[dict | None, float, float, str]:
    """Run this script with ``args`` in a subprocess; (its JSON line, wall s, peak MB, note)."""

    def limit_as() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    cmd = [python, os.path.abspath(__file__), *args]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=limit_as)
    deadline = start + limit
    killed = False
    while True:  # os.wait4 reaps the child and returns its own resource usage
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if not killed and time.perf_counter() > deadline:
            proc.kill()
            killed = True
        time.sleep(0.05)
    wall = time.perf_counter() - start
    peak = usage.ru_maxrss / RSS_UNIT
    out = proc.stdout.read().decode() if proc.stdout else ""
    err = proc.stderr.read().decode() if proc.stderr else ""
    if killed:
        return None, wall, peak, f"killed at {wall:.0f} s"
    try:
        return json.loads(out.strip().splitlines()[-1]), wall, peak, ""
    except (ValueError, IndexError):
        last = err.strip().splitlines()[-1] if err.strip() else ""
        code = os.waitstatus_to_exitcode(status)
        return None, wall, peak, f"failed (exit {code}) {last[:60]}".strip()


def run(k: int, n: int, noise: float, limit: float, budget_gb: float, src: str | None = None) -> dict:
    """Run :func:`one` in a subprocess; its peak memory comes from ``os.wait4``."""
    budget = int(budget_gb * 2**30)
    args = ["--one", f"{k},{n},{noise},{limit},{budget}"] + (["--kadstudy-src", src] if src else [])
    res, wall, peak, note = _child(args, limit + 30, budget + 2 * 2**30)
    if res is None:
        res = {"status": note, "seconds": wall, "cpu": float("nan"), "pis": -1, "models": -1,
               "base_mb": float("nan")}
    res["peak_mb"] = peak
    return res


def setqca_available(python: str) -> str | None:
    """None when ``python`` imports setqca, else why not."""
    try:
        proc = subprocess.run([python, "-c", "import setqca.minimize; print(setqca.__version__)"],
                              capture_output=True, text=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"cannot run {python}: {exc}"
    if proc.returncode:
        return "not installed (pip install setqca, or --setqca-python)"
    return None


def run_setqca(k: int, n: int, noise: float, limit: float, budget_gb: float, python: str) -> dict:
    cap = int(budget_gb * 2**30) + 2 * 2**30
    res, wall, peak, note = _child(["--one-setqca", f"{k},{n},{noise}"], limit, cap, python)
    if res is None:
        res = {"status": note or "failed", "seconds": wall}
    res["peak_mb"] = peak
    return res


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"k = {QUICK_KS}, n = 200, limit 20 s")
    parser.add_argument("--ks", default=None, help="comma-separated numbers of conditions")
    parser.add_argument("--ns", default=None, help="comma-separated numbers of cases (200,1000)")
    parser.add_argument("--noise", default="0,0.03", help="comma-separated shares of flipped outcomes")
    parser.add_argument("--limit", type=float, default=None, help="time_limit per run in seconds (60)")
    parser.add_argument("--budget-gb", type=float, default=4.0, help="memory budget per run")
    parser.add_argument("--setqca-python", default=sys.executable,
                        help="a Python interpreter that can import setqca (default: this one)")
    parser.add_argument("--no-setqca", action="store_true", help="do not run setqca")
    parser.add_argument("--kadstudy-src", default=None,
                        help="import kadstudy from this source tree (to time an older version)")
    parser.add_argument("--one", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--one-setqca", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        k, n, noise, limit, budget = args.one.split(",")
        print(json.dumps(one(int(k), int(n), float(noise), float(limit), int(budget), args.kadstudy_src)))
        return 0
    if args.one_setqca:
        k, n, noise = args.one_setqca.split(",")
        print(json.dumps(one_setqca(int(k), int(n), float(noise))))
        return 0
    ks = [int(v) for v in args.ks.split(",")] if args.ks else (QUICK_KS if args.quick else FULL_KS)
    ns = [int(v) for v in args.ns.split(",")] if args.ns else ([200] if args.quick else [200, 1000])
    noises = [float(v) for v in args.noise.split(",")]
    limit = args.limit if args.limit is not None else (20.0 if args.quick else 60.0)
    sq_missing = "not run (--no-setqca)" if args.no_setqca else setqca_available(args.setqca_python)
    print(f"parsimonious, incl_cut 1; time_limit {limit:g} s, memory budget {args.budget_gb:g} GB; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}"
          + (f"; kadstudy from {args.kadstudy_src}" if args.kadstudy_src else ""))
    if sq_missing:
        print(f"setqca: {sq_missing}")
    print(f"{'':>24}| kadstudy{'':>52}| setqca")
    print(f"{'k':>3} {'n':>5} {'noise':>5} {'pos':>4} {'neg':>4} | {'wall s':>7} {'CPU s':>7} {'peak MB':>7} "
          f"{'+MB':>6} {'PIs':>7} {'models':>6}  {'status':<12}| {'wall s':>7} {'peak MB':>7}  status")
    for n in ns:
        for noise in noises:
            sq_dead = ""
            for k in ks:
                pos, neg = _rows(planted(k, n, noise), k)
                r = run(k, n, noise, limit, args.budget_gb, args.kadstudy_src)
                grown = r["peak_mb"] - r.get("base_mb", float("nan"))
                line = (f"{k:>3} {n:>5} {noise:>5.2f} {len(pos):>4} {len(neg):>4} | "
                        f"{r['seconds']:>7.2f} {r['cpu']:>7.2f} {r['peak_mb']:>7.0f} {grown:>6.0f} "
                        f"{r['pis']:>7} {r['models']:>6}  {r['status']:<12}| ")
                if sq_missing or sq_dead:
                    line += f"{'':>7} {'':>7}  {sq_missing or sq_dead}"
                else:
                    s = run_setqca(k, n, noise, limit, args.budget_gb, args.setqca_python)
                    line += f"{s['seconds']:>7.2f} {s['peak_mb']:>7.0f}  {s['status']}"
                    if s["status"] != "ok":
                        sq_dead = f"not run (stopped at k = {k})"
                print(line, flush=True)
    print(f"load average at the end {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
