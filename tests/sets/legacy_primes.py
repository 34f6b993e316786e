"""The previous open prime implicant search, kept as a reference for the tests.

It lists, level by level, every implicant of ``c`` literals (each ON configuration projected
on each set of ``c`` conditions, minus the projections of OFF configurations, as sorted
mixed-radix codes) and keeps those whose one-literal-shorter parents are not implicants.
It is slow (a sort of every implicant of a level) but simple, and independent of the bitset
search in :func:`kadstudy.sets.minimize.primes_open`.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

from kadstudy.sets.minimize import CCubesStop, OpenSearch, decode_implicants, plus_base, sort_implicants


def _in_sorted(x: np.ndarray, ref: np.ndarray) -> np.ndarray:
    if len(ref) == 0:
        return np.zeros(len(x), dtype=bool)
    idx = np.minimum(np.searchsorted(ref, x), len(ref) - 1)
    return ref[idx] == x


def primes_open_levels(
    on: np.ndarray, off: np.ndarray, levels: Sequence[int], complete: bool = False
) -> OpenSearch:
    """Prime implicants covering some ``on`` and no ``off`` configuration (R's stopping rule
    unless ``complete``), by listing every implicant of each complexity level."""
    levels = [int(v) for v in levels]
    k = len(levels)
    on = np.unique(np.asarray(on, dtype=np.int64), axis=0)
    off = np.unique(np.asarray(off, dtype=np.int64).reshape(-1, k), axis=0)
    base = plus_base(levels)
    on_codes_all = (on + 1) * base
    off_codes_all = (off + 1) * base
    prev = np.empty(0, dtype=np.int64)
    found: list[np.ndarray] = []
    covered = np.zeros(len(on), dtype=bool)
    rule, depth, stopped = CCubesStop(), 0, False
    for c in range(1, k + 1):
        depth = c
        parts = []
        for cols in itertools.combinations(range(k), c):
            on_codes = np.unique(on_codes_all[:, list(cols)].sum(axis=1))
            off_codes = np.unique(off_codes_all[:, list(cols)].sum(axis=1))
            parts.append(on_codes[~_in_sorted(on_codes, off_codes)])
        impl = np.unique(np.concatenate(parts))
        mat = decode_implicants(impl, levels)
        prime = np.ones(len(impl), dtype=bool)
        for j in range(k):
            has = mat[:, j] > 0
            parent = impl[has] - mat[has, j] * base[j]
            prime[np.flatnonzero(has)[_in_sorted(parent, prev)]] = False
        new = mat[prime]
        prev = impl
        if len(new):
            found.append(new)
            for term in new:
                lit = term > 0
                covered |= (on[:, lit] + 1 == term[lit]).all(axis=1)
        if not complete and rule.stop(len(new), bool(found) and bool(covered.all())):
            stopped = c < k
            break
    primes = np.vstack(found) if found else np.empty((0, k), np.int64)
    return OpenSearch(primes[sort_implicants(primes)], depth, stopped)
