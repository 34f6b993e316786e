"""The open prime implicant search (remainders as don't cares) is exact.

Against three independent derivations: the brute-force oracle (every term of the space, kept
when its cube avoids the OFF configurations and meets an ON one, maximal under containment),
the oracle's reading of R QCA's CCubes stopping rule, and the previous level-by-level
implementation (``legacy_primes``). Crisp and multi-value conditions, dense and sparse
tables, rows excluded through ``minimize(exclude=...)``, small chunks, and the time and
memory bounds checked inside the search.
"""

from __future__ import annotations

import importlib

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kadstudy.sets import QCALimitError, minimize
from kadstudy.sets.expr import implicant_to_string
from kadstudy.sets.limits import Budget
from kadstudy.sets.minimize import primes_open
from kadstudy.sets.truthtable import truth_table

from . import oracle
from .legacy_primes import primes_open_levels

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
mm = importlib.import_module("kadstudy.sets.minimize")  # the module, not the function


@st.composite
def tables(draw, max_k: int = 6, max_space: int = 200):
    """Levels and a split of every configuration into ON, OFF and remainders (at least one
    ON and one OFF); the share of remainders is drawn too, from none to almost all."""
    k = draw(st.integers(1, max_k))
    levels = [2] * k
    if draw(st.booleans()):  # multi-value conditions while the space stays small
        for j in range(k):
            lv = draw(st.sampled_from([2, 2, 3, 4]))
            if np.prod(levels) // levels[j] * lv <= max_space:
                levels[j] = lv
    configs = oracle.space(levels)
    p_rem = draw(st.sampled_from([0.0, 0.3, 0.6, 0.9]))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    u = rng.random(len(configs))
    status = np.where(u < p_rem, "?", np.where(rng.random(len(configs)) < 0.5, "1", "0"))
    on_i, off_i = rng.choice(len(configs), size=2, replace=False) if len(configs) > 1 else (0, 0)
    status[on_i], status[off_i] = "1", "0"
    pos = [c for c, s in zip(configs, status, strict=True) if s == "1"]
    neg = [c for c, s in zip(configs, status, strict=True) if s == "0"]
    return levels, pos, neg


@st.composite
def sparse_tables(draw, max_k: int = 7, max_space: int = 400):
    """A few observed configurations of a larger space, the outcome a random sum of short
    terms: the shape of real QCA data, where the CCubes stopping rule often cuts the search."""
    k = draw(st.integers(3, max_k))
    levels = [2] * k
    for j in range(k):
        lv = draw(st.sampled_from([2, 2, 2, 3]))
        if np.prod(levels) // levels[j] * lv <= max_space:
            levels[j] = lv
    configs = oracle.space(levels)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    m = min(len(configs), draw(st.integers(2, 24)))
    seen = [configs[i] for i in rng.choice(len(configs), size=m, replace=False)]
    terms = []
    for _ in range(draw(st.integers(1, 3))):
        cols = rng.choice(k, size=rng.integers(1, 3), replace=False)
        terms.append({int(j): int(rng.integers(levels[j])) for j in cols})
    out = [any(all(c[j] == v for j, v in t.items()) for t in terms) for c in seen]
    if all(out) or not any(out):
        out[0] = not out[0]
    pos = [c for c, y in zip(seen, out, strict=True) if y]
    neg = [c for c, y in zip(seen, out, strict=True) if not y]
    return levels, pos, neg


def _as_set(arr: np.ndarray) -> set[tuple[int, ...]]:
    return {tuple(int(v) for v in r) for r in arr}


def _allowed(levels, neg):
    return set(oracle.space(levels)) - set(neg)


@SETTINGS
@given(st.one_of(tables(), sparse_tables()))
def test_complete_search_finds_exactly_the_oracle_primes(table):
    levels, pos, neg = table
    got = primes_open(np.array(pos), np.array(neg), levels, complete=True)
    assert _as_set(got.primes) == oracle.primes(levels, pos, _allowed(levels, neg))
    assert len(got.primes) == len(_as_set(got.primes))  # each prime listed once
    assert got.depth == len(levels) and not got.stopped_early


@SETTINGS
@given(st.one_of(tables(), sparse_tables()))
def test_default_search_follows_the_ccubes_stopping_rule(table):
    levels, pos, neg = table
    got = primes_open(np.array(pos), np.array(neg), levels)
    want, depth, stopped = oracle.ccubes_primes(levels, pos, _allowed(levels, neg))
    assert _as_set(got.primes) == want
    assert (got.depth, got.stopped_early) == (depth, stopped)


@SETTINGS
@given(st.one_of(tables(max_k=9, max_space=600), sparse_tables(max_k=9, max_space=1000)), st.booleans())
def test_same_primes_in_the_same_order_as_the_previous_implementation(table, complete):
    levels, pos, neg = table
    got = primes_open(np.array(pos), np.array(neg), levels, complete=complete)
    old = primes_open_levels(np.array(pos), np.array(neg), levels, complete=complete)
    np.testing.assert_array_equal(got.primes, old.primes)
    assert (got.depth, got.stopped_early) == (old.depth, old.stopped_early)


def _planted(k: int, n: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray, list[int]]:
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 2, size=(n, k))
    y = (x[:, 0] & x[:, 1]) | (x[:, 2] & (1 - x[:, 3]))
    y = np.where(rng.random(n) < noise, 1 - y, y)
    frame = pd.DataFrame(x, columns=[f"C{j}" for j in range(k)])
    frame["Y"] = y
    tt = truth_table(frame, "Y", list(frame.columns[:-1]), incl_cut=1.0)
    return tt.positive, tt.negative, tt.levels


@pytest.mark.parametrize(("k", "n", "noise"), [(10, 200, 0.0), (11, 200, 0.03), (9, 1000, 0.03)])
def test_planted_data_match_the_previous_implementation(k, n, noise):
    pos, neg, levels = _planted(k, n, noise, seed=k)
    got = primes_open(pos, neg, levels)
    old = primes_open_levels(pos, neg, levels)
    np.testing.assert_array_equal(got.primes, old.primes)
    assert (got.depth, got.stopped_early) == (old.depth, old.stopped_early)
    assert len(got.primes) > 50  # a real search, not a trivial one


def test_small_chunks_give_the_same_primes(monkeypatch):
    pos, neg, levels = _planted(9, 150, 0.03, seed=1)
    whole = primes_open(pos, neg, levels, complete=True)
    monkeypatch.setattr(mm, "_CANDIDATES", 5)
    chunked = primes_open(pos, neg, levels, complete=True)
    np.testing.assert_array_equal(whole.primes, chunked.primes)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(max_k=4, max_space=60), st.data())
def test_excluded_rows_are_never_covered(table, data):
    """``minimize(exclude=rows)`` codes remainder rows OUT = 0: the primes avoid them too."""
    levels, pos, neg = table
    names = [chr(ord("A") + j) for j in range(len(levels))]
    rows = [(*c, 1) for c in pos] + [(*c, 0) for c in neg]
    frame = pd.DataFrame(rows, columns=[*names, "Y"], index=[f"c{i}" for i in range(len(rows))])
    if any(frame[n].max() + 1 != v for n, v in zip(names, levels, strict=True)):
        return  # an unobserved top level would leave the condition with fewer levels
    remainders = sorted(set(oracle.space(levels)) - set(pos) - set(neg))
    drop = data.draw(st.lists(st.sampled_from(remainders), unique=True, max_size=4)) if remainders else []
    number = {c: i + 1 for i, c in enumerate(oracle.space(levels))}  # R's row numbers
    sol = minimize(frame, "Y", names, solution="parsimonious", complete_primes=True,
                   exclude=[number[c] for c in drop] or None)
    mv = any(v > 2 for v in levels)
    want = oracle.primes(levels, pos, _allowed(levels, neg) - set(drop))
    assert set(sol.primes) == {implicant_to_string(t, names, mv) for t in want}


def _big() -> tuple[np.ndarray, np.ndarray, list[int]]:
    return _planted(30, 200, 0.0, seed=5)


def test_the_time_limit_is_checked_inside_a_level(monkeypatch):
    """k = 30: a level takes many seconds, yet the search stops at the first check past the limit.

    The budget's clock is replaced by one that advances 0.25 s per reading, so the test does not
    depend on the machine's speed: the budget is read once when created and once per check, the
    limit of 5 s is passed at the 20th check, and the search must stop there. The checks of this
    search (23 in its first 3 s on a quiet machine) reach complexity level 5 after about 10, so
    the level where it stops has been checked within, not only as it started."""
    from kadstudy.sets import limits

    ticks = iter(range(10**6))
    monkeypatch.setattr(limits, "time", type("Clock", (), {
        "monotonic": staticmethod(lambda: 0.25 * next(ticks))}))
    pos, neg, levels = _big()
    calls: list[str] = []
    budget = Budget(time_limit=5.0, progress=lambda stage, detail: calls.append(detail))
    with pytest.raises(QCALimitError, match=r"prime implicant search stopped at the time limit") as err:
        primes_open(pos, neg, levels, budget=budget)
    assert len(calls) == 20 and err.value.reached == calls[-1]
    assert "complexity level" in err.value.reached and "positive configurations covered" in err.value.reached
    level = err.value.reached.split(",")[0]
    # a level is checked twice as it starts; more checks than that were made within it
    assert sum(d.startswith(level + ",") for d in calls) > 2


def test_the_memory_budget_stops_a_growing_search():
    pos, neg, levels = _big()
    with pytest.raises(QCALimitError, match=r"memory budget of 20\.0 MB \(it needs") as err:
        primes_open(pos, neg, levels, budget=Budget(memory_budget=20 * 2**20))
    assert "complexity level" in err.value.reached


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 12), st.integers(0, 70), st.integers(0, 2**32 - 1))
def test_unique_rows_equals_numpy_unique_by_rows(nrow, ncol, seed):
    """The cover search's row dedupe keeps numpy's order (it decides the search order)."""
    rows = np.random.default_rng(seed).random((nrow, ncol)) < 0.3
    rows = np.vstack([rows, rows[: nrow // 2]])
    got = mm._unique_rows(rows)
    want = np.unique(rows, axis=0) if ncol else rows[:1]
    np.testing.assert_array_equal(got, want)
