"""The engine against a brute-force oracle on small random truth tables, plus properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kadstudy.sets import minimize
from kadstudy.sets.minimize import covers, primes_closed, primes_open, solve_chart

from . import oracle

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def tables(draw, max_k: int = 5):
    """Random truth table: levels, positive, negative configurations (rest remainders)."""
    k = draw(st.integers(2, max_k))
    choices = [2, 2, 2, 3] if k <= 4 else [2]
    levels = [draw(st.sampled_from(choices)) for _ in range(k)]
    configs = oracle.space(levels)
    status = draw(st.lists(st.sampled_from("10??"), min_size=len(configs), max_size=len(configs)))
    pos = [c for c, s in zip(configs, status, strict=True) if s == "1"]
    neg = [c for c, s in zip(configs, status, strict=True) if s == "0"]
    if not pos:
        pos = [configs[0]]
        neg = [c for c in neg if c != configs[0]]
    if not neg:
        neg = [configs[-1]] if configs[-1] not in pos else []
        if not neg:
            pos = pos[:-1] or pos
            neg = [configs[-1]]
            pos = [c for c in pos if c != configs[-1]]
    if not pos:
        pos = [configs[0]]
    return levels, pos, neg


def _as_set(arr: np.ndarray) -> set[tuple[int, ...]]:
    return {tuple(int(v) for v in r) for r in arr}


@SETTINGS
@given(tables())
def test_conservative_primes_and_models_match_oracle(table):
    levels, pos, _ = table
    got = primes_closed(np.array(pos), levels)
    want = oracle.primes(levels, pos, pos)
    assert _as_set(got) == want
    sol = solve_chart(covers(got, np.array(pos)))
    models = {frozenset(tuple(int(v) for v in got[i]) for i in m) for m in sol.models}
    assert models == oracle.minimal_covers(want, pos, levels)


@SETTINGS
@given(tables(max_k=5))
def test_parsimonious_primes_and_models_match_oracle(table):
    levels, pos, neg = table
    search = primes_open(np.array(pos), np.array(neg), levels, complete=True)
    allowed = set(oracle.space(levels)) - set(neg)
    want = oracle.primes(levels, pos, allowed)
    assert _as_set(search.primes) == want
    assume(len(want) <= 18)  # keep the brute-force cover search small
    sol = solve_chart(covers(search.primes, np.array(pos)))
    models = {frozenset(tuple(int(v) for v in search.primes[i]) for i in m) for m in sol.models}
    assert models == oracle.minimal_covers(want, pos, levels)


@SETTINGS
@given(tables(max_k=6))
def test_default_prime_search_is_a_subset_of_all_primes(table):
    """R's early stop may skip complex primes, never invent one."""
    levels, pos, neg = table
    fast = _as_set(primes_open(np.array(pos), np.array(neg), levels).primes)
    full = _as_set(primes_open(np.array(pos), np.array(neg), levels, complete=True).primes)
    assert fast <= full


def _frame(levels, pos, neg):
    names = [chr(ord("A") + j) for j in range(len(levels))]
    rows = [(*c, 1) for c in pos] + [(*c, 0) for c in neg]
    frame = pd.DataFrame(rows, columns=[*names, "Y"])
    frame.index = [f"c{i}" for i in range(len(frame))]
    return frame, names


def _implied(model, levels) -> set[tuple[int, ...]]:
    out: set[tuple[int, ...]] = set()
    for imp in model.implicants:
        out |= oracle.cube(tuple(int(v) for v in imp), levels)
    return out


@SETTINGS
@given(tables(max_k=5), st.data())
def test_solution_properties(table, data):
    levels, pos, neg = table
    frame, names = _frame(levels, pos, neg)
    # a multi-value column whose top level is unobserved would have fewer levels: skip
    if any(frame[n].max() + 1 != v for n, v in zip(names, levels, strict=True)):
        return
    dir_exp = {n: data.draw(st.sampled_from(["1", "0", "-"])) if v == 2 else "-"
               for n, v in zip(names, levels, strict=True)}
    sols = {
        kind: minimize(frame, "Y", names, solution=kind, dir_exp=dir_exp)
        for kind in ("conservative", "parsimonious", "intermediate")
    }
    posset, negset = set(pos), set(neg)
    for kind, sol in sols.items():
        for model in sol.models:
            implied = _implied(model, levels)
            assert posset <= implied, kind  # covers every positive row
            assert not implied & negset, kind  # and no negative one
            assert all(t.inclS == pytest.approx(1.0) for t in model.term_measures)
    cons = sols["conservative"].models[0]
    assert _implied(cons, levels) == posset
    pars_primes = oracle.primes(levels, pos, set(oracle.space(levels)) - negset)
    if len(pars_primes) <= 18:
        n_min = len(next(iter(oracle.minimal_covers(pars_primes, pos, levels))))
        assert all(len(m.terms) == n_min for m in sols["parsimonious"].models)
    pars_implied = [_implied(m, levels) for m in sols["parsimonious"].models]
    for model in sols["intermediate"].models:
        p_index = int(model.key.split("P")[1]) - 1
        implied = _implied(model, levels)
        assert posset <= implied <= pars_implied[p_index]
        # each term is a prime implicant of positives + easy counterfactuals
        easy = sols["intermediate"].easy_counterfactuals[model.key].to_numpy()
        allowed = posset | _as_set(easy)
        want = oracle.primes(levels, pos, allowed)
        assert {tuple(int(v) for v in imp) for imp in model.implicants} <= want


def test_model_ambiguity_all_minimal_models():
    """Cyclic chart: ON = {A~B, ~AB, ... } style example with two minimal covers.

    Conservative PIs of f = Σm(0, 1, 2, 5, 6, 7) on A,B,C (classic cyclic core) are
    ~A~B, ~A~C, ~B C, B~C, A C, A B; two minimal covers of three terms each."""
    pos = [(0, 0, 0), (0, 0, 1), (0, 1, 0), (1, 0, 1), (1, 1, 0), (1, 1, 1)]
    neg = [(0, 1, 1), (1, 0, 0)]
    frame, names = _frame([2, 2, 2], pos, neg)
    sol = minimize(frame, "Y", names)
    got = {frozenset(m.terms) for m in sol.models}
    assert got == {
        frozenset({"~A*~B", "B*~C", "A*C"}),
        frozenset({"~A*~C", "~B*C", "A*B"}),
    }
    assert sol.essential == []


def test_model_cap_is_reported():
    pos = [(0, 0, 0), (0, 0, 1), (0, 1, 0), (1, 0, 1), (1, 1, 0), (1, 1, 1)]
    neg = [(0, 1, 1), (1, 0, 0)]
    frame, names = _frame([2, 2, 2], pos, neg)
    with pytest.warns(UserWarning, match="equally minimal models"):
        sol = minimize(frame, "Y", names, max_models=1)
    assert sol.capped and len(sol.models) == 1
    assert "cap" in sol.summary()
