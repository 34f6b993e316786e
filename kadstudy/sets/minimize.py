"""Exact Boolean minimisation on numpy arrays.

Implicants are integer vectors, one entry per condition: 0 = condition absent, ``v + 1`` =
the condition at level ``v`` (R QCA's implicant matrix convention).

* :func:`primes_closed` - all prime implicants of a set of configurations ``T`` (no don't
  cares): Quine-McCluskey merging, vectorised level by level on mixed-radix codes.
* :func:`primes_open` - prime implicants that cover some ON configuration and no OFF
  configuration (every other configuration is a don't care): a search by increasing
  complexity over terms of the observed rows (as R QCA's CCubes), with R's stopping rule;
  rows are bitsets, and a term is extended only while every literal is necessary.
* :func:`solve_chart` - every minimum-size cover of a PI chart: the minimum size is proven
  (lower bound = greedy cover, else an integer program, :func:`minimum_cover`), then the
  covers of that size are enumerated by branch and bound, with caps on the number of covers
  and of search nodes (a capped list is incomplete, but every listed cover is minimal).
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from math import ceil, comb

import numpy as np

from kadstudy.sets.errors import QCAInputError, QCALimitError
from kadstudy.sets.limits import Budget


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


def covers(implicants: np.ndarray, configs: np.ndarray, budget: Budget | None = None) -> np.ndarray:
    """Boolean matrix implicants × configurations: does the implicant cover the configuration?

    ``budget`` (optional) is checked between blocks of implicants, as the cover search."""
    imp = np.asarray(implicants, dtype=np.int64)
    cfg = np.asarray(configs, dtype=np.int64)
    if len(imp) == 0 or len(cfg) == 0:
        return np.zeros((len(imp), len(cfg)), dtype=bool)
    out = np.ones((len(imp), len(cfg)), dtype=bool)
    step = max(1, 2_000_000 // len(cfg))
    for lo in range(0, len(imp), step):
        if budget is not None:
            budget.check("cover search", f"the chart of {len(imp)} PIs and {len(cfg)} configurations, "
                         f"{lo} PIs written")
        part = out[lo:lo + step]
        for j in range(imp.shape[1]):
            col = imp[lo:lo + step, j][:, None]
            part &= (col == 0) | (col == cfg[:, j][None, :] + 1)
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


def primes_closed(
    T: np.ndarray,
    levels: Sequence[int],
    budget: Budget | None = None,
    stage: str = "conservative prime implicants",
) -> np.ndarray:
    """All prime implicants of the set of configurations ``T`` (rows × conditions).

    ``budget`` bounds time and memory (checked at each merge level, as ``stage``)."""
    levels = [int(v) for v in levels]
    k = len(levels)
    base = plus_base(levels)
    cur = np.unique(np.asarray(T, dtype=np.int64) + 1, axis=0)
    primes: list[np.ndarray] = []
    lv = np.asarray(levels, dtype=np.int64)
    level = 0
    while len(cur):
        if budget is not None:
            kept = sum(p.nbytes for p in primes)
            budget.check(stage, f"merge level {level} of {k}, {len(cur)} implicants at this level, "
                         f"{sum(len(p) for p in primes)} PIs found", kept + 8 * cur.nbytes)
        level += 1
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


class CCubesStop:
    """R QCA's CCubes stopping rule: once every ON configuration is covered, stop after two
    consecutive complexity levels that bring no new prime implicant."""

    def __init__(self) -> None:
        self.solved = False
        self.empty = 0

    def stop(self, new: int, all_covered: bool) -> bool:
        """Feed one level (``new`` primes found; all ON covered so far?): stop here?"""
        if not all_covered:
            return False
        if not self.solved:
            self.solved, self.empty = True, 0
        else:
            self.empty = 0 if new else self.empty + 1
        return self.empty > 1


#: Candidate terms examined per vectorised step of :func:`primes_open`.
_CANDIDATES = 1 << 17


def _row_bits(rows: np.ndarray, levels: Sequence[int]) -> np.ndarray:
    """Bitsets of rows by literal: ``out[j, v]`` has bit ``i`` set when ``rows[i, j] == v``
    (``uint64`` words, shape conditions × max level × words)."""
    n, k = rows.shape
    words = max(1, -(-n // 64))
    out = np.zeros((k, max(levels), words), dtype=np.uint64)
    idx = np.arange(n)
    word, bit = idx // 64, np.left_shift(np.uint64(1), (idx % 64).astype(np.uint64))
    for j in range(k):
        for v in range(levels[j]):
            sel = rows[:, j] == v
            np.bitwise_or.at(out[j, v], word[sel], bit[sel])
    return out


def _all_bits(n: int) -> np.ndarray:
    """Bitset with the first ``n`` bits set."""
    out = np.zeros(max(1, -(-n // 64)), dtype=np.uint64)
    full, rest = divmod(n, 64)
    out[:full] = np.uint64(2**64 - 1)
    if rest:
        out[full] = np.uint64(2**rest - 1)
    return out


@dataclass
class _Frontier:
    """Terms of one complexity level still worth extending: each covers some ON row, matches
    some OFF row (not an implicant yet) and has no redundant literal.

    ``cols``/``vals``: the literals (condition, level) in increasing condition order;
    ``match``: OFF rows matching the term; ``one_off``: OFF rows mismatching exactly one
    literal; ``on``: ON rows matching the term (bitsets, one row per term)."""

    cols: np.ndarray
    vals: np.ndarray
    match: np.ndarray
    one_off: np.ndarray
    on: np.ndarray

    def __len__(self) -> int:
        return len(self.cols)

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in (self.cols, self.vals, self.match, self.one_off, self.on))

    @staticmethod
    def join(parts: list[_Frontier], like: _Frontier) -> _Frontier:
        if not parts:
            s = like.cols.shape[1] + 1
            return _Frontier(np.empty((0, s), like.cols.dtype), np.empty((0, s), like.vals.dtype),
                             like.match[:0], like.one_off[:0], like.on[:0])
        return _Frontier(*(np.concatenate([getattr(p, f) for p in parts])
                           for f in ("cols", "vals", "match", "one_off", "on")))


def _extend(
    front: _Frontier, lo: int, hi: int, levels: np.ndarray, on_bits: np.ndarray,
    off_bits: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, _Frontier]:
    """Every one-literal extension (on a later condition) of the terms ``lo:hi`` of
    ``front`` that covers an ON row and keeps every literal necessary.

    Returns the extensions that are prime implicants (their literals as ``cols``, ``vals``,
    and their ON bitsets) and the others as the next level's frontier. A literal is
    necessary when dropping it lets the term match an OFF row; adding literal ``(j, v)``
    keeps literal ``i`` necessary iff some OFF row mismatching the term only at ``i`` has
    level ``v`` at ``j``.
    """
    k = len(levels)
    s = front.cols.shape[1]
    last = front.cols[lo:hi, -1].astype(np.int64) if s else np.full(hi - lo, -1, np.int64)
    count = k - 1 - last
    node = np.repeat(np.arange(lo, hi), count)
    start = np.cumsum(count) - count
    col = np.arange(len(node)) - np.repeat(start, count) + np.repeat(last + 1, count)
    pi_parts, next_parts = [], []
    for v in range(int(levels.max())):
        ok = v < levels[col]
        nd, j = node[ok], col[ok]
        on = front.on[nd] & on_bits[j, v]
        ok = on.any(axis=1)
        nd, j, on = nd[ok], j[ok], on[ok]
        m0 = front.match[nd]
        lit = off_bits[j, v]
        match = m0 & lit
        ok = (match != m0).any(axis=1)  # the new literal rules out some OFF row
        nd, j, on, m0, lit, match = nd[ok], j[ok], on[ok], m0[ok], lit[ok], match[ok]
        single = front.one_off[nd] & lit
        ok = np.ones(len(nd), dtype=bool)
        for p in range(s):
            ok &= (single & ~off_bits[front.cols[nd, p], front.vals[nd, p]]).any(axis=1)
        nd, j, on, m0, lit, match, single = (a[ok] for a in (nd, j, on, m0, lit, match, single))
        cols = np.concatenate([front.cols[nd], j[:, None].astype(front.cols.dtype)], axis=1)
        vals = np.concatenate([front.vals[nd], np.full((len(nd), 1), v, front.vals.dtype)], axis=1)
        pi = ~match.any(axis=1)
        pi_parts.append((cols[pi], vals[pi], on[pi]))
        rest = ~pi
        next_parts.append(_Frontier(cols[rest], vals[rest], match[rest],
                                    single[rest] | (m0[rest] & ~lit[rest]), on[rest]))
    cols = np.concatenate([p[0] for p in pi_parts])
    vals = np.concatenate([p[1] for p in pi_parts])
    on = np.concatenate([p[2] for p in pi_parts])
    return cols, vals, on, _Frontier.join(next_parts, front)


def primes_open(
    on: np.ndarray,
    off: np.ndarray,
    levels: Sequence[int],
    complete: bool = False,
    budget: Budget | None = None,
) -> OpenSearch:
    """Prime implicants covering at least one ``on`` configuration and no ``off`` one.

    Complexity levels (number of literals) are searched upwards. By default the search stops,
    like R QCA's CCubes, once the ON configurations are all covered and two consecutive levels
    bring no new prime implicant; ``complete=True`` searches every level.

    The terms of a level are built from the previous level's, one literal on a later
    condition at a time, over the observed rows only (remainders are never listed): a term
    is kept while it covers an ON row, matches an OFF row and every literal is necessary
    (dropping it would match more OFF rows); it is a prime implicant when it matches no OFF
    row. Rows are held as bitsets, so each test is a few word operations per term. Every
    prime implicant is reached (its sub-terms all pass those tests) exactly once (from its
    literals in condition order), so no level needs sorting or deduplication.
    """
    levels = [int(v) for v in levels]
    k = len(levels)
    on = np.unique(np.asarray(on, dtype=np.int64), axis=0)
    off = np.unique(np.asarray(off, dtype=np.int64).reshape(-1, k), axis=0)
    if len(off) == 0:
        raise _all_space(levels)
    lv = np.asarray(levels, dtype=np.int64)
    on_bits, off_bits = _row_bits(on, levels), _row_bits(off, levels)
    small = np.int8 if max(k, *levels) < 127 else np.int32
    front = _Frontier(np.empty((1, 0), small), np.empty((1, 0), small), _all_bits(len(off))[None, :],
                      np.zeros((1, off_bits.shape[2]), np.uint64), _all_bits(len(on))[None, :])
    found: list[np.ndarray] = []
    covered = np.zeros(on_bits.shape[2], dtype=np.uint64)
    everyone = _all_bits(len(on))
    rule = CCubesStop()
    depth = 0
    stopped = False
    nfound = 0
    per_term = 8 * (4 * off_bits.shape[2] + 2 * on_bits.shape[2] + 2 * k + 4)  # a candidate's arrays
    cap = _CANDIDATES
    if budget is not None and budget.memory_budget is not None:
        cap = max(1024, min(cap, budget.memory_budget // 4 // per_term))

    def check(c: int, held: int) -> None:
        if budget is not None:
            done = int(sum(int(w).bit_count() for w in covered))
            budget.check("prime implicant search",
                         f"complexity level {c} of {k}, {nfound} PIs found, "
                         f"{done} of {len(on)} positive configurations covered", held)

    for c in range(1, k + 1):
        depth = c
        kept = sum(f.nbytes for f in found)
        check(c, kept + front.nbytes)
        new_parts: list[np.ndarray] = []
        next_parts: list[_Frontier] = []
        held = kept + front.nbytes
        if len(front):
            s = front.cols.shape[1]
            last = front.cols[:, -1].astype(np.int64) if s else np.full(len(front), -1, np.int64)
            width = np.cumsum(k - 1 - last)  # candidates (before levels) up to each term
            lo = 0
            while lo < len(front):
                hi = int(np.searchsorted(width, (width[lo - 1] if lo else 0) + cap, side="right"))
                hi = max(hi, lo + 1)
                check(c, held + per_term * int(lv.max()) * int(width[hi - 1] - (width[lo - 1] if lo else 0)))
                cols, vals, on_hit, nxt = _extend(front, lo, hi, lv, on_bits, off_bits)
                if len(cols):
                    imp = np.zeros((len(cols), k), dtype=small)  # int64 once the search ends
                    np.put_along_axis(imp, cols.astype(np.int64), (vals + 1).astype(small), axis=1)
                    new_parts.append(imp)
                    covered |= np.bitwise_or.reduce(on_hit, axis=0)
                    held += imp.nbytes
                    nfound += len(imp)
                if len(nxt):
                    next_parts.append(nxt)
                    held += nxt.nbytes
                lo = hi
            front = _Frontier.join(next_parts, front)
        else:
            front = _Frontier.join([], front)
        del next_parts
        new = np.concatenate(new_parts) if new_parts else np.empty((0, k), small)
        if len(new):
            found.append(new)
        if not complete and rule.stop(len(new), nfound > 0 and np.array_equal(covered, everyone)):
            stopped = c < k
            break
    check(depth, 8 * nfound * (3 * k + 2))  # the int64 matrix, its sort keys and sorted copy
    primes = np.vstack(found).astype(np.int64) if found else np.empty((0, k), np.int64)
    return OpenSearch(primes[sort_implicants(primes)], depth, stopped)


CAP_MODELS = "max_models"
CAP_NODES = "max_nodes"
#: Seconds one integer program may take to prove a minimum cover size (None: no limit).
MILP_TIME_LIMIT = 300.0


@dataclass
class ChartSolution:
    """Minimum covers of a PI chart: each model is a sorted tuple of PI indices.

    ``size`` is the *proven* minimum number of PIs (by a lower bound that meets a greedy
    cover, or by an integer program), and every listed model has exactly ``size`` PIs, so
    every listed model is minimal. ``capped`` tells that the list may be incomplete, and
    ``cap_reason`` why: ``"max_models"`` - there are more minimum covers than ``max_models``;
    ``"max_nodes"`` - the enumeration ran out of branch-and-bound nodes, so more minimum
    covers may exist. ``essential`` are the PIs in every listed model.
    """

    models: list[tuple[int, ...]]
    size: int
    capped: bool
    essential: list[int]
    cap_reason: str | None = None


def minimum_cover(
    chart: np.ndarray, time_limit: float | None = MILP_TIME_LIMIT, budget: Budget | None = None
) -> tuple[int, list[int]]:
    """The minimum number of PIs (rows of ``chart``, PIs × minterms) that cover every
    minterm, and one such cover, by an exact integer program (HiGHS through
    :func:`scipy.optimize.milp`: minimise Σx subject to chartᵀx ≥ 1, x binary, with no
    optimality gap). Set cover is NP-hard: prime implicant charts are solved in well under
    a second, but an unstructured random chart of hundreds of PIs can take minutes. If the
    minimum is not proven within ``time_limit`` seconds (or the time left in ``budget``),
    :class:`QCALimitError` is raised with the bounds reached (never an unproven cover)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    chart = np.asarray(chart, dtype=bool)
    npi, nrow = chart.shape
    if nrow == 0:
        return 0, []
    if not chart.any(axis=0).all():
        raise QCAInputError("the prime implicant chart cannot be solved (a minterm is uncovered)")
    if budget is not None:
        budget.check("cover search", f"a chart of {npi} PIs and {nrow} minterms", 24 * chart.size)
        left = budget.remaining()
        if left is not None:
            time_limit = left if time_limit is None else min(time_limit, left)
    res = milp(
        c=np.ones(npi),
        integrality=np.ones(npi),
        bounds=Bounds(0, 1),
        constraints=LinearConstraint(chart.T.astype(float), lb=1, ub=np.inf),
        options={"mip_rel_gap": 0.0, **({"time_limit": time_limit} if time_limit else {})},
    )
    if res.status != 0 or res.x is None:
        lower = getattr(res, "mip_dual_bound", None)
        bounds = ""
        if res.x is not None and lower is not None:
            bounds = f"; it lies between {ceil(lower - 1e-6)} and {round(res.fun)}"
        raise QCALimitError(
            "cover search",
            f"the minimum number of prime implicants of a chart of {npi} PIs and {nrow} minterms "
            f"could not be proven{bounds}",
            f"the time limit of {time_limit:.3g} s" if time_limit else f"a solver failure ({res.message})",
            "use fewer conditions or raise n_cut, or raise time_limit (--time-limit)",
        )
    pick = np.flatnonzero(res.x > 0.5)
    if not chart[pick].any(axis=0).all() or abs(res.fun - len(pick)) > 1e-6:  # pragma: no cover
        raise QCAInputError("the integer program returned an invalid cover of the PI chart")
    return len(pick), pick.tolist()


def _unique_rows(rows: np.ndarray) -> np.ndarray:
    """``np.unique(rows, axis=0)`` for a bool matrix, each row compared as one byte string
    (the same order; fast for rows of many thousands of PIs)."""
    rows = np.ascontiguousarray(rows, dtype=bool)
    if rows.shape[1] == 0 or len(rows) < 2:
        return rows[:1] if rows.shape[1] == 0 else rows
    keys = rows.view(np.uint8).view(np.dtype((np.void, rows.shape[1]))).ravel()
    uniq = np.unique(keys)
    return np.frombuffer(uniq.tobytes(), dtype=bool).reshape(len(uniq), rows.shape[1])


def _bit_ints(matrix: np.ndarray) -> list[int]:
    """Each row of a bool matrix as a Python int (bit ``j`` = column ``j``)."""
    matrix = np.asarray(matrix, dtype=bool)
    width = -(-matrix.shape[1] // 8)
    raw = np.packbits(matrix, axis=1, bitorder="little").tobytes()
    return [int.from_bytes(raw[i * width:(i + 1) * width], "little") for i in range(len(matrix))]


def _reduce(chart: np.ndarray, budget: Budget | None = None) -> tuple[list[int], np.ndarray]:
    """Essential PIs, and the rows (minterms) still to cover as a bool matrix rows × PIs
    without duplicates and without dominated rows (a row whose PI set contains another
    row's PI set is covered whenever that one is: safe for every cover)."""

    rows = chart.T
    single = rows.sum(axis=1) == 1
    essential = sorted(set(np.nonzero(rows[single])[1].tolist()))
    rest = rows[~rows[:, essential].any(axis=1)] if essential else rows
    if len(rest) == 0:
        return essential, rest
    rest = _unique_rows(rest)
    rest = rest[np.argsort(rest.sum(axis=1), kind="stable")]  # fewest PIs first
    _, superset = _containment(rest, budget, f"removing dominated rows of a chart of {rest.shape[1]} PIs")
    return essential, rest[~superset]


def _containment(sets: np.ndarray, budget: Budget | None, doing: str) -> tuple[np.ndarray, np.ndarray]:
    """For distinct sets (rows of a bool matrix): is each a strict subset of another set, and
    does each strictly contain another set? (sparse products of the sets sharing an element)"""
    from scipy.sparse import csr_array

    sizes = sets.sum(axis=1)
    mat = csr_array(sets.astype(np.int32))
    subset = np.zeros(len(sets), dtype=bool)
    superset = np.zeros(len(sets), dtype=bool)
    step = max(1, 4_000_000 // max(1, len(sets)))
    for lo in range(0, len(sets), step):
        if budget is not None:
            budget.check("cover search", f"{doing}, {lo} of {len(sets)}")
        inter = (mat[lo:lo + step] @ mat.T).tocoo()  # |a ∩ b| for sets sharing an element
        a, b = inter.row + lo, inter.col
        sub = (inter.data == sizes[a]) & (a != b)  # a ⊆ b and a ≠ b: a strict subset
        subset[a[sub]] = True
        superset[b[sub]] = True
    return subset, superset


def _components(rows: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Independent blocks of the reduced chart: (row indices, PI indices) sharing no PI."""
    from scipy.sparse import coo_array
    from scipy.sparse.csgraph import connected_components

    nrow, npi = rows.shape
    r, p = np.nonzero(rows)
    n = nrow + npi
    graph = coo_array((np.ones(len(r)), (r, nrow + p)), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    out = []
    for lab in np.unique(label[:nrow]):
        row_idx = np.flatnonzero(label[:nrow] == lab)
        pi_idx = np.flatnonzero(rows[row_idx].any(axis=0))
        out.append((row_idx, pi_idx))
    out.sort(key=lambda c: int(c[1][0]))
    return out


class _Block:
    """One independent block of a reduced PI chart, with rows and PIs as bit masks."""

    def __init__(self, sub: np.ndarray, budget: Budget | None = None) -> None:
        self.budget = budget
        self.sub = sub  # rows × PIs (local indices), rows with fewest PIs first
        self.nrow, self.npi = sub.shape
        rr, cc = np.nonzero(sub)
        cut = np.searchsorted(rr, np.arange(1, self.nrow))
        self.row_pis = [part.tolist() for part in np.split(cc, cut)]
        self.pi_bits = _bit_ints(sub)
        self.masks = _bit_ints(sub.T)
        self.all_rows = (1 << self.nrow) - 1
        from scipy.sparse import csr_array

        mat = csr_array(sub.astype(np.int32))
        self.near = _bit_ints((mat @ mat.T).toarray() > 0)  # rows sharing a PI (itself too)

    def lower_bound(self, uncovered: int) -> int:
        """Rows with pairwise disjoint PI sets each need a PI of their own (rows taken in
        order; a row is counted when it shares no PI with a row counted before)."""
        lb, rest = 0, uncovered
        while rest:  # the first row left is counted; the rows sharing a PI with it are not
            lb += 1
            rest &= ~self.near[(rest & -rest).bit_length() - 1]
        return lb

    def greedy(self) -> list[int]:
        unc, cover = self.all_rows, []
        while unc:
            if self.budget is not None:
                self.budget.check("cover search", f"a greedy cover of a block of {self.npi} PIs, "
                                  f"{len(cover)} PIs chosen")
            i = max(range(self.npi), key=lambda j: (self.masks[j] & unc).bit_count())
            unc &= ~self.masks[i]
            cover.append(i)
        return sorted(cover)

    def minimum(self, time_limit: float | None) -> tuple[int, list[int]]:
        """Proven minimum size and one minimum cover: the greedy cover when it meets the
        lower bound, otherwise the integer program."""
        cover = self.greedy()
        if len(cover) == self.lower_bound(self.all_rows):
            return len(cover), cover
        # the size only: PIs whose rows another PI covers too, and repeats, cannot lower it
        pis = self.sub.T
        keys = np.ascontiguousarray(np.packbits(pis, axis=1))
        _, first = np.unique(keys.view(np.dtype((np.void, keys.shape[1]))).ravel(), return_index=True)
        first = np.sort(first)
        if self.budget is not None:
            self.budget.check("cover search", f"{len(first)} distinct of {self.npi} PIs in a block")
        inside, _ = _containment(pis[first], self.budget, f"removing dominated PIs of a block of {self.npi}")
        cols = first[~inside]
        size, pick = minimum_cover(self.sub[:, cols].T, time_limit, self.budget)
        return size, sorted(int(cols[i]) for i in pick)

    def pick_row(self, uncovered: int, allowed: int) -> list[int]:
        best_r, best_len, rest = -1, self.npi + 1, uncovered
        while rest:
            r = (rest & -rest).bit_length() - 1
            rest &= rest - 1
            n = (self.pi_bits[r] & allowed).bit_count()
            if n < best_len:
                best_r, best_len = r, n
                if n <= 1:
                    break
        return [i for i in self.row_pis[best_r] if allowed >> i & 1]

    def enumerate(
        self, target: int, max_models: int, budget: list[int]
    ) -> tuple[list[tuple[int, ...]], str | None]:
        """Every cover with ``target`` PIs (the proven minimum), by branch and bound: branch
        on the PIs of the uncovered row with fewest choices (each PI in turn, excluding the
        ones tried before, so every cover is found once); prune when the chosen PIs plus a
        lower bound exceed ``target``. Stops after ``max_models`` covers (``"max_models"``:
        more exist) or when ``budget[0]`` nodes are spent (``"max_nodes"``: more may exist)."""
        found: list[tuple[int, ...]] = []
        stop: list[str | None] = [None]
        chosen: list[int] = []

        def walk(uncovered: int, allowed: int) -> None:
            budget[0] -= 1
            if budget[0] < 0:
                stop[0] = CAP_NODES
                return
            if self.budget is not None and budget[0] % 2048 == 0:
                self.budget.check("cover search", f"{len(found)} covers of the minimum size {target} "
                                  f"listed in a block of {self.npi} PIs")
            if not uncovered:
                if len(found) >= max_models:
                    stop[0] = CAP_MODELS
                    return
                found.append(tuple(sorted(chosen)))
                return
            if len(chosen) + self.lower_bound(uncovered) > target:
                return
            for i in self.pick_row(uncovered, allowed):
                chosen.append(i)
                walk(uncovered & ~self.masks[i], allowed)
                chosen.pop()
                allowed &= ~(1 << i)
                if stop[0]:
                    return

        limit = sys.getrecursionlimit()  # one level per chosen PI
        sys.setrecursionlimit(max(limit, target + 100))
        try:
            walk(self.all_rows, (1 << self.npi) - 1)
        finally:
            sys.setrecursionlimit(limit)
        return found, stop[0]


def solve_chart(
    chart: np.ndarray,
    max_models: int = 1000,
    max_nodes: int = 300_000,
    time_limit: float | None = MILP_TIME_LIMIT,
    budget: Budget | None = None,
) -> ChartSolution:
    """Every cover of the columns of ``chart`` (PIs × minterms) with the fewest PIs.

    1. Reductions that keep every minimum cover: essential PIs, duplicate and dominated
       minterms; the rest splits into independent blocks (no PI in common), whose minimum
       covers combine freely.
    2. The minimum size of each block is proven exactly: by a greedy cover that meets a
       lower bound, otherwise by an integer program (:func:`minimum_cover`).
    3. The covers of exactly that size are enumerated by branch and bound.

    Models are sorted in lexicographic order of PI indices (R QCA's order). Every model is
    minimal. At most ``max_models`` are returned (``cap_reason="max_models"``), and the
    enumeration spends at most ``max_nodes`` branch-and-bound nodes in all
    (``cap_reason="max_nodes"``, the list may then be incomplete; it always holds at least
    one minimum cover). ``time_limit`` bounds each integer program (see
    :func:`minimum_cover`, which raises rather than return an unproven size); ``budget``
    bounds the whole search in time and memory (:class:`QCALimitError`).
    """
    chart = np.asarray(chart, dtype=bool)
    nrow = chart.shape[1]
    if nrow == 0:
        return ChartSolution([()], 0, False, [])
    if not chart.any(axis=0).all():
        raise QCAInputError("the prime implicant chart cannot be solved (a minterm is uncovered)")
    if budget is not None:
        budget.check("cover search", f"a chart of {chart.shape[0]} PIs and {nrow} minterms", 8 * chart.size)
    essential, rows = _reduce(chart, budget)
    if len(rows) == 0:
        return ChartSolution([tuple(essential)], len(essential), False, list(essential))
    nodes = [max_nodes]
    size = len(essential)
    per_block: list[list[tuple[int, ...]]] = []
    reason: str | None = None
    for row_idx, pi_idx in _components(rows):
        if budget is not None:
            budget.check("cover search", f"a block of {len(pi_idx)} PIs and {len(row_idx)} rows")
        block = _Block(rows[np.ix_(row_idx, pi_idx)], budget)
        if budget is not None:
            budget.check("cover search", f"the minimum cover of a block of {len(pi_idx)} PIs")
        target, witness = block.minimum(time_limit)
        size += target
        found, stop = block.enumerate(target, max_models, nodes)
        if any(len(m) != target for m in found):  # pragma: no cover - cannot happen
            raise QCAInputError("internal error: a cover smaller than the proven minimum")
        if stop is not None and reason != CAP_MODELS:
            reason = stop
        if not found:  # out of nodes before the first cover: the proven one stands in
            found = [tuple(witness)]
        per_block.append([tuple(int(pi_idx[i]) for i in m) for m in found])
    total = 1
    for models in per_block:
        total *= len(models)
    if total > max_models:
        reason = CAP_MODELS
    combos = itertools.islice(itertools.product(*per_block), max_models)
    if budget is not None:  # each model a tuple of ``size`` PIs, listed then sorted
        budget.check("cover search", f"{min(total, max_models)} minimum covers of size {size} to list",
                     2 * min(total, max_models) * (64 + 8 * size))
    out = []
    for parts in combos:
        out.append(tuple(sorted(itertools.chain(essential, *parts))))
        if budget is not None and len(out) % 65536 == 0:
            budget.check("cover search", f"{len(out)} of {min(total, max_models)} minimum covers listed")
    out.sort()
    in_all = sorted(set.intersection(*(set(m) for m in out)))
    return ChartSolution(out, size, reason is not None, in_all, reason)


def count_combinations(npi: int, size: int) -> int:
    """Number of PI combinations of a given size (used for reporting)."""
    return comb(npi, size)
