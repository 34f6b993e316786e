"""Timing and peak memory of the QCA engine on seeded random data.

    python benchmarks/bench_qca.py [--quick]

Prints four tables: truth-table time vs rows and vs conditions (crisp and fuzzy),
minimisation time vs conditions (conservative and parsimonious), and minimisation with up to
1000 tied models (proving the minimum, listing the models and scoring each of them).
"capped" names why a list of models is incomplete (max_models, max_nodes); every listed model
is minimal either way.
"""

from __future__ import annotations

import argparse
import importlib
import time
import tracemalloc
import warnings

import numpy as np
import pandas as pd

from kadstudy.sets import minimize, truth_table


def _data(rows: int, k: int, fuzzy: bool, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    names = [f"C{j}" for j in range(k)]
    if fuzzy:
        x = np.round(rng.uniform(0.01, 0.99, size=(rows, k)), 2)
        x[np.abs(x - 0.5) < 0.005] = 0.51
    else:
        x = rng.integers(0, 2, size=(rows, k)).astype(float)
    # an outcome driven by the first two conditions plus noise
    y = np.clip(np.minimum(x[:, 0], x[:, 1]) + rng.uniform(-0.1, 0.1, rows), 0, 1)
    y = np.maximum(y, np.minimum(x[:, 2], 1 - x[:, k - 1])) if k > 2 else y
    frame = pd.DataFrame(x, columns=names)
    frame["Y"] = y if fuzzy else np.round(y)
    frame.index = [f"c{i}" for i in range(rows)]
    return frame


def _measure(func) -> tuple[float, float]:
    tracemalloc.start()
    start = time.perf_counter()
    func()
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return elapsed, peak


def _print(title: str, header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    print(f"\n{title}")
    print("  ".join(h.rjust(w) for h, w in zip(header, widths, strict=True)))
    for r in rows:
        print("  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, runs in seconds")
    quick = parser.parse_args().quick
    warnings.simplefilter("ignore")
    # the integer program's module (about 0.3 s to import, once per process) is loaded up
    # front so that no timed row carries it
    importlib.import_module("scipy.optimize")

    rows_grid = [10**3, 10**4] if quick else [10**3, 10**4, 10**5, 10**6]
    out = []
    for n in rows_grid:
        for fuzzy in (False, True):
            if fuzzy and n > 10**5:
                continue  # fuzzy rows cost n x observed configurations (see README)
            frame = _data(n, 12 if not fuzzy else 8, fuzzy, seed=1)
            conds = [c for c in frame.columns if c != "Y"]
            t, mem = _measure(lambda f=frame, c=conds: truth_table(f, "Y", c, incl_cut=0.8))
            out.append([f"{n:,}", str(len(conds)), "fuzzy" if fuzzy else "crisp",
                        f"{t:.3f}", f"{mem:.1f}"])
    _print("Truth table vs rows", ["rows", "conds", "data", "seconds", "peak MiB"], out)

    out = []
    for k in [4, 8, 12] if quick else [4, 8, 12, 16]:
        frame = _data(10**4 if quick else 10**5, k, False, seed=2)
        conds = [c for c in frame.columns if c != "Y"]
        t, mem = _measure(lambda f=frame, c=conds: truth_table(f, "Y", c, incl_cut=0.8))
        out.append([f"{len(frame):,}", str(k), f"{t:.3f}", f"{mem:.1f}"])
    _print("Truth table vs conditions (crisp)", ["rows", "conds", "seconds", "peak MiB"], out)

    out = []
    grid = [4, 6, 8, 10] if quick else [4, 8, 12, 16, 18, 20]
    for k in grid:
        frame = _data(60 * k, k, False, seed=3)
        conds = [c for c in frame.columns if c != "Y"]
        tt = truth_table(frame, "Y", conds, incl_cut=0.8)
        observed = int((tt.rows["n"] > 0).sum())
        for kind in ("conservative", "parsimonious"):
            holder: dict[str, object] = {}

            def run(kind=kind, tt=tt, holder=holder):
                holder["sol"] = minimize(tt, solution=kind, max_models=50)

            t, mem = _measure(run)
            sol = holder["sol"]
            out.append([str(k), str(observed), kind, str(len(sol.models)),  # type: ignore[attr-defined]
                        _capped(sol), str(len(sol.primes)), f"{t:.3f}", f"{mem:.1f}"])  # type: ignore[attr-defined]
    _print("Minimisation vs conditions (random crisp data, 60·k cases, max_models=50)",
           ["conds", "rows", "solution", "models", "capped", "PIs", "seconds", "peak MiB"], out)

    out = []
    for k in [8, 10] if quick else [8, 10, 12]:
        for seed in (3, 4):
            frame = _data(60 * k, k, False, seed=seed)
            conds = [c for c in frame.columns if c != "Y"]
            tt = truth_table(frame, "Y", conds, incl_cut=0.8)
            start = time.perf_counter()
            sol = minimize(tt, solution="conservative", max_models=1000)
            t = time.perf_counter() - start
            terms = len(sol.models[0].terms)
            out.append([str(k), str(seed), str(len(sol.models)), _capped(sol), str(terms), f"{t:.3f}"])
    _print("Tied models: conservative solution, max_models=1000 (each model scored)",
           ["conds", "seed", "models", "capped", "terms/model", "seconds"], out)


def _capped(sol) -> str:
    return ",".join(sol.cap_reasons) if sol.capped else "-"


if __name__ == "__main__":
    main()
