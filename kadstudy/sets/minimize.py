"""Exact Boolean minimisation on numpy arrays.

Implicants are integer vectors, one entry per condition: 0 = condition absent, ``v + 1`` =
the condition at level ``v`` (R QCA's implicant matrix convention).

* :func:`primes_closed` - all prime implicants of a set of configurations ``T`` (no don't
  cares): Quine-McCluskey merging, vectorised level by level on mixed-radix codes.
* :func:`primes_open` - prime implicants that cover some ON configuration and no OFF
  configuration (every other configuration is a don't care): a consistency-cube search over
  column subsets by increasing complexity (R QCA's CCubes), with R's stopping rule.
* :func:`solve_chart` - every minimum-size cover of a PI chart, by exact branch and bound,
  with a cap on the number of covers returned.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from math import comb

import numpy as np

from kadstudy.sets.errors import QCAInputError

_CHUNK = 8_000_000


def plus_base(levels: Sequence[int]) -> np.ndarray:
    """Mixed-radix place values of implicant codes (each condition has ``levels + 1`` states)."""
    base = np.ones(len(levels), dtype=np.int64)
    for j in range(len(levels) - 2, -1, -1):
        base[j] = base[j + 1] * (int(levels[j + 1]) + 1)
    return base


def decode_implicants(codes: np.ndarray, levels: Sequence[int]) -> np.ndarray:
    """Implicant matrix of implicant ``codes``."""
    codes = np.asarray(codes, dtype=np.int64)
    out = np.empty((len(codes), len(levels)), dtype=np.int64)
    rest = codes.copy()
    for j in range(len(levels) - 1, -1, -1):
        out[:, j] = rest % (levels[j] + 1)
        rest //= levels[j] + 1
    return out


def covers(implicants: np.ndarray, configs: np.ndarray) -> np.ndarray:
    """Boolean matrix implicants × configurations: does the implicant cover the configuration?"""
    imp = np.asarray(implicants, dtype=np.int64)
    cfg = np.asarray(configs, dtype=np.int64)
    if len(imp) == 0 or len(cfg) == 0:
        return np.zeros((len(imp), len(cfg)), dtype=bool)
    out = np.ones((len(imp), len(cfg)), dtype=bool)
    for j in range(imp.shape[1]):
        col = imp[:, j][:, None]
        out &= (col == 0) | (col == cfg[:, j][None, :] + 1)
    return out


def sort_implicants(imps: np.ndarray) -> np.ndarray:
    """Order of implicants as R QCA lists them: fewer literals first, then by the implicant
    vector in decreasing order (earlier conditions first, presence before negation)."""
    imps = np.asarray(imps, dtype=np.int64)
    if len(imps) == 0:
        return np.arange(0)
    nlit = (imps > 0).sum(axis=1)
    keys = [-imps[:, j] for j in range(imps.shape[1] - 1, -1, -1)] + [nlit]
    return np.lexsort(keys)


def _all_space(levels: Sequence[int]) -> QCAInputError:
    return QCAInputError(
        "all truth table configurations are used and every condition is minimised away; "
        "check the truth table (is any configuration negative?)"
    )


def primes_closed(T: np.ndarray, levels: Sequence[int]) -> np.ndarray:
    """All prime implicants of the set of configurations ``T`` (rows × conditions)."""
    levels = [int(v) for v in levels]
    k = len(levels)
    base = plus_base(levels)
    cur = np.unique(np.asarray(T, dtype=np.int64) + 1, axis=0)
    primes: list[np.ndarray] = []
    lv = np.asarray(levels, dtype=np.int64)
    while len(cur):
        codes = cur @ base
        rows, cols = np.nonzero(cur > 0)
        parent = codes[rows] - cur[rows, cols] * base[cols]
        key = parent * k + cols
        ukey, inv, cnt = np.unique(key, return_inverse=True, return_counts=True)
        full = cnt == lv[ukey % k]
        child_nonprime = np.zeros(len(cur), dtype=bool)
        np.logical_or.at(child_nonprime, rows, full[inv])
        primes.append(cur[~child_nonprime])
        pcodes = np.unique(ukey[full] // k)
        if len(pcodes) and pcodes[0] == 0:
            raise _all_space(levels)
        cur = decode_implicants(pcodes, levels) if len(pcodes) else np.empty((0, k), np.int64)
    out = np.vstack(primes) if primes else np.empty((0, k), np.int64)
    return out[sort_implicants(out)]


@dataclass
class OpenSearch:
    """Result of :func:`primes_open`: the primes and the last complexity level searched."""

    primes: np.ndarray
    depth: int
    stopped_early: bool


def _subset_chunks(k: int, c: int, per_chunk: int):
    it = itertools.combinations(range(k), c)
    while True:
        block = list(itertools.islice(it, max(1, per_chunk)))
        if not block:
            return
        mask = np.zeros((len(block), k))
        for r, cols in enumerate(block):
            mask[r, list(cols)] = 1.0
        yield mask


def primes_open(
    on: np.ndarray,
    off: np.ndarray,
    levels: Sequence[int],
    complete: bool = False,
) -> OpenSearch:
    """Prime implicants covering at least one ``on`` configuration and no ``off`` one.

    Complexity levels (number of literals) are searched upwards. By default the search stops,
    like R QCA's CCubes, once the ON configurations are all covered and two consecutive levels
    bring no new prime implicant; ``complete=True`` searches every level.
    """
    levels = [int(v) for v in levels]
    k = len(levels)
    on = np.unique(np.asarray(on, dtype=np.int64), axis=0)
    off = np.unique(np.asarray(off, dtype=np.int64).reshape(-1, k), axis=0)
    if len(off) == 0:
        raise _all_space(levels)
    base = plus_base(levels)
    on_contrib = ((on + 1) * base).astype(float)  # exact: codes < 2^53
    off_contrib = ((off + 1) * base).astype(float)
    prev_impl = np.empty(0, dtype=np.int64)  # level 0: the empty term is not an implicant
    found: list[np.ndarray] = []
    covered = np.zeros(len(on), dtype=bool)
    counter = 0
    solved = False
    depth = 0
    stopped = False
    for c in range(1, k + 1):
        depth = c
        per = max(1, _CHUNK // max(1, len(on) + len(off)))
        impl_parts = []
        for mask in _subset_chunks(k, c, per):
            on_codes = np.unique((mask @ on_contrib.T).astype(np.int64))
            off_codes = np.unique((mask @ off_contrib.T).astype(np.int64))
            impl_parts.append(on_codes[~np.isin(on_codes, off_codes, assume_unique=True)])
        impl = np.unique(np.concatenate(impl_parts)) if impl_parts else np.empty(0, np.int64)
        new = np.empty((0, k), np.int64)
        if len(impl):
            mat = decode_implicants(impl, levels)
            prime = np.ones(len(impl), dtype=bool)
            for j in range(k):
                has = mat[:, j] > 0
                if not has.any():
                    continue
                parent = impl[has] - mat[has, j] * base[j]
                prime[np.flatnonzero(has)[np.isin(parent, prev_impl)]] = False
            new = mat[prime]
        prev_impl = impl
        if len(new):
            found.append(new)
            covered |= covers(new, on).any(axis=0)
        if not complete and found and covered.all():
            if not solved:
                solved = True
                counter = 0
            elif len(new):
                counter = 0
            else:
                counter += 1
            if counter > 1:
                stopped = c < k
                break
    primes = np.vstack(found) if found else np.empty((0, k), np.int64)
    return OpenSearch(primes[sort_implicants(primes)], depth, stopped)


@dataclass
class ChartSolution:
    """Minimum covers of a PI chart: each model is a sorted tuple of PI indices."""

    models: list[tuple[int, ...]]
    size: int
    capped: bool
    essential: list[int]


def solve_chart(
    chart: np.ndarray, max_models: int = 1000, max_nodes: int = 300_000
) -> ChartSolution:
    """Every cover of the columns of ``chart`` (PIs × minterms) with the fewest PIs.

    Models are listed in lexicographic order of PI indices (R QCA's order). At most
    ``max_models`` are returned; ``capped`` tells whether more may exist (also set when the
    search exceeds ``max_nodes`` branch-and-bound nodes, so that it never runs away).
    """
    chart = np.asarray(chart, dtype=bool)
    npi, nrow = chart.shape
    if nrow == 0:
        return ChartSolution([()], 0, False, [])
    if not chart.any(axis=0).all():
        raise QCAInputError("the prime implicant chart cannot be solved (a minterm is uncovered)")
    # essential PIs, then drop minterms whose PI set contains another minterm's PI set
    # (covering the smaller set covers the larger one: safe for every cover)
    row_sets = [frozenset(np.flatnonzero(chart[:, r]).tolist()) for r in range(nrow)]
    essential = sorted({next(iter(rs)) for rs in row_sets if len(rs) == 1})
    ess = set(essential)
    rest_rows = sorted({rs for rs in row_sets if not rs & ess}, key=len)
    kept: list[frozenset[int]] = []
    for rs in rest_rows:
        if not any(k <= rs for k in kept):
            kept.append(rs)
    row_pis = [sorted(rs) for rs in kept]
    nrow = len(row_pis)
    masks = [0] * npi
    for r, pis in enumerate(row_pis):
        for i in pis:
            masks[i] |= 1 << r
    pi_bits = [sum(1 << i for i in pis) for pis in row_pis]
    start_unc = (1 << nrow) - 1
    budget = [max_nodes]

    def lower_bound(uncovered: int) -> int:
        lb, used, rest = 0, 0, uncovered
        while rest:
            r = (rest & -rest).bit_length() - 1
            rest &= rest - 1
            if not pi_bits[r] & used:
                lb += 1
                used |= pi_bits[r]
        return lb

    def pick_row(uncovered: int, allowed: int) -> list[int]:
        best_r, best_len, rest = -1, npi + 1, uncovered
        while rest:
            r = (rest & -rest).bit_length() - 1
            rest &= rest - 1
            n = (pi_bits[r] & allowed).bit_count()
            if n < best_len:
                best_r, best_len = r, n
                if n <= 1:
                    break
        return [i for i in row_pis[best_r] if allowed >> i & 1]

    # greedy upper bound, then exact branch and bound for the minimum size
    unc, greedy = start_unc, 0
    while unc:
        i = max(range(npi), key=lambda j: (masks[j] & unc).bit_count())
        unc &= ~masks[i]
        greedy += 1
    best = [greedy + 1]
    truncated = [False]

    def minimum(uncovered: int, allowed: int, chosen: int) -> None:
        budget[0] -= 1
        if budget[0] < 0:
            truncated[0] = True
            return
        if not uncovered:
            best[0] = min(best[0], chosen)
            return
        if chosen + max(1, lower_bound(uncovered)) >= best[0]:
            return
        cands = pick_row(uncovered, allowed)
        cands.sort(key=lambda i: -(masks[i] & uncovered).bit_count())
        for i in cands:
            minimum(uncovered & ~masks[i], allowed, chosen + 1)
            allowed &= ~(1 << i)

    all_allowed = ((1 << npi) - 1) & ~sum(1 << i for i in essential)
    minimum(start_unc, all_allowed, 0)
    if truncated[0]:
        best[0] = min(best[0], greedy)
    size = best[0] + len(essential)
    found: list[tuple[int, ...]] = []
    capped = [truncated[0]]
    target = best[0]

    def enum(uncovered: int, allowed: int, chosen: list[int]) -> None:
        budget[0] -= 1
        if budget[0] < 0:
            capped[0] = True
            return
        if not uncovered:
            if len(found) >= max_models:
                capped[0] = True
                return
            found.append(tuple(sorted(chosen + essential)))
            return
        if len(chosen) + lower_bound(uncovered) > target:
            return
        for i in pick_row(uncovered, allowed):
            chosen.append(i)
            enum(uncovered & ~masks[i], allowed, chosen)
            chosen.pop()
            allowed &= ~(1 << i)
            if capped[0]:
                return

    budget[0] = max_nodes
    enum(start_unc, all_allowed, [])
    if not found and truncated[0]:  # too hard to prove minimality: report the greedy cover
        unc, cover = start_unc, []
        while unc:
            i = max(range(npi), key=lambda j: (masks[j] & unc).bit_count())
            unc &= ~masks[i]
            cover.append(i)
        found.append(tuple(sorted(cover + essential)))
    found.sort()
    ess_all = sorted(set.intersection(*(set(m) for m in found))) if found else []
    return ChartSolution(found, size, capped[0], ess_all)


def count_combinations(npi: int, size: int) -> int:
    """Number of PI combinations of a given size (used for reporting)."""
    return comb(npi, size)
