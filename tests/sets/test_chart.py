"""The prime implicant chart solver: proven minimum size, all minimum covers, explicit caps.

Expected values come from the brute-force oracle (``oracle.chart_min_covers``) or are
derived by hand in the docstrings, never from the solver itself."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kadstudy.sets import minimize
from kadstudy.sets.errors import QCALimitError
from kadstudy.sets.measures import unique_coverage
from kadstudy.sets.minimize import minimum_cover, solve_chart

from . import oracle
from .test_oracle import _frame

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def charts(draw, max_pi: int = 11, max_row: int = 10):
    """A random solvable chart (PIs × minterms), sometimes two independent blocks."""

    def block(npi_max: int, nrow_max: int) -> np.ndarray:
        npi = draw(st.integers(1, npi_max))
        nrow = draw(st.integers(0, nrow_max))
        p = draw(st.sampled_from([0.15, 0.3, 0.5]))
        bits = draw(st.lists(st.floats(0, 1), min_size=npi * nrow, max_size=npi * nrow))
        ch = (np.array(bits).reshape(npi, nrow) < p) if nrow else np.zeros((npi, 0), bool)
        for c in np.flatnonzero(~ch.any(axis=0)):
            ch[draw(st.integers(0, npi - 1)), c] = True
        return ch

    if draw(st.booleans()):
        return block(max_pi, max_row)
    a, b = block(max_pi // 2, max_row // 2), block(max_pi - max_pi // 2, max_row - max_row // 2)
    out = np.zeros((a.shape[0] + b.shape[0], a.shape[1] + b.shape[1]), bool)
    out[: a.shape[0], : a.shape[1]] = a
    out[a.shape[0]:, a.shape[1]:] = b
    perm = draw(st.permutations(range(out.shape[0])))
    return out[list(perm)]


def _is_cover(chart: np.ndarray, model) -> bool:
    return bool(chart[list(model)].any(axis=0).all()) if chart.shape[1] else True


@SETTINGS
@given(charts())
def test_min_size_and_all_minimum_covers_match_brute_force(chart):
    want = oracle.chart_min_covers(chart.tolist())
    n_min = len(next(iter(want)))
    sol = solve_chart(chart)
    assert sol.size == n_min
    assert {frozenset(m) for m in sol.models} == want
    assert sol.models == sorted(sol.models) and len(set(sol.models)) == len(sol.models)
    assert not sol.capped and sol.cap_reason is None
    assert sol.essential == sorted(frozenset.intersection(*want))
    size, cover = minimum_cover(chart)  # the integer program alone, without reductions
    assert size == n_min and len(cover) == n_min and _is_cover(chart, cover)


@SETTINGS
@given(charts(), st.integers(1, 4), st.integers(1, 40))
def test_caps_list_only_minimum_covers_and_say_so(chart, max_models, max_nodes):
    want = oracle.chart_min_covers(chart.tolist())
    n_min = len(next(iter(want)))
    sol = solve_chart(chart, max_models=max_models, max_nodes=max_nodes)
    assert sol.size == n_min  # proven, whatever the caps
    got = {frozenset(m) for m in sol.models}
    assert got and got <= want  # never a non-minimal cover
    assert len(sol.models) <= max_models
    if not sol.capped:
        assert got == want and sol.cap_reason is None
    else:
        assert sol.cap_reason in {"max_models", "max_nodes"}
        if sol.cap_reason == "max_models":
            assert len(want) > max_models and len(sol.models) == max_models
    if len(want) > max_models:
        assert sol.capped


def _cycle(n: int, k: int) -> np.ndarray:
    """n minterms on a circle; PI i covers minterms i, i+1, ..., i+k-1 (mod n)."""
    chart = np.zeros((n, n), dtype=bool)
    for i in range(n):
        chart[i, [(i + d) % n for d in range(k)]] = True
    return chart


def _trap(t: int) -> np.ndarray:
    """A chart that fools the greedy cover. Minterms: two rows of W = 2^(t+1) - 2 cells.
    PI 0 covers row 0 and PI 1 row 1; PI 1 + j (j = 1..t) covers the cells of both rows in
    columns 2^j - 2 .. 2^(j+1) - 3, that is 2^(j+1) cells; each cell also has a PI of its
    own (so no minterm dominates another). No PI covers every cell, so the minimum is 2,
    and {0, 1} is the only 2-cover (any other pair has fewer than 2W cells: the largest
    column PI has 2^(t+1) = W + 2 cells and shares 2^t with a row PI). Greedy takes the
    column PIs instead, largest first: t of them."""
    width = 2 ** (t + 1) - 2
    cells = [(r, c) for r in range(2) for c in range(width)]
    chart = np.zeros((2 + t + len(cells), len(cells)), dtype=bool)
    for e, (r, c) in enumerate(cells):
        chart[r, e] = True
        chart[1 + (c + 2).bit_length() - 1, e] = True
        chart[2 + t + e, e] = True
    return chart


def _block_diag(*charts: np.ndarray) -> np.ndarray:
    out = np.zeros((sum(c.shape[0] for c in charts), sum(c.shape[1] for c in charts)), bool)
    r = c = 0
    for ch in charts:
        out[r:r + ch.shape[0], c:c + ch.shape[1]] = ch
        r, c = r + ch.shape[0], c + ch.shape[1]
    return out


def test_cycle_chart_small_matches_brute_force_and_hand_count():
    """n = 20, k = 3: at least ceil(20/3) = 7 PIs. A 7-cover is a set of 7 start points
    whose circular gaps g_1..g_7 (each 1..3) sum to 20: 21 - 20 = 1, so one gap is 2 and
    the others 3 - 7 gap sequences. Counting (cover, marked start) pairs: 7·N = 20·7, so
    N = 20 minimum covers."""
    chart = _cycle(20, 3)
    want = oracle.chart_min_covers(chart.tolist())
    assert len(want) == 20 and {len(c) for c in want} == {7}
    sol = solve_chart(chart)
    assert sol.size == 7 and {frozenset(m) for m in sol.models} == want


def test_cycle_chart_beyond_old_node_budget_is_solved_exactly():
    """n = 70, k = 3 (the old search ran out of its 300k nodes here and listed 588 covers
    as "capped"). Minimum ceil(70/3) = 24; gap sequences of 24 gaps in 1..3 summing to 70:
    total deficit 72 - 70 = 2, either one gap of 1 (24 ways) or two gaps of 2 (C(24, 2) =
    276 ways), 300 sequences; 24·N = 70·300 gives N = 875 minimum covers."""
    chart = _cycle(70, 3)
    sol = solve_chart(chart)
    assert sol.size == 24 and not sol.capped
    assert len(sol.models) == 875 == len(set(sol.models))
    assert all(len(m) == 24 and _is_cover(chart, m) for m in sol.models)


def test_greedy_trap_next_to_hard_cycle_gets_the_proven_minimum():
    """The old code ran out of nodes on this chart and returned one greedy cover of 28 PIs,
    not minimal. Blocks are independent: cycle (70, 3) needs 24 PIs (875 ways, see above),
    the trap (t = 4) needs exactly {0, 1}: minimum 26, 875 covers."""
    cyc, trap = _cycle(70, 3), _trap(4)
    chart = _block_diag(cyc, trap)
    sol = solve_chart(chart)
    assert sol.size == 26 and not sol.capped and len(sol.models) == 875
    trap_pis = {cyc.shape[0], cyc.shape[0] + 1}
    assert all(len(m) == 26 and _is_cover(chart, m) and trap_pis <= set(m) for m in sol.models)
    assert minimum_cover(_trap(4))[0] == 2


def test_many_minimum_covers_are_capped_explicitly():
    """Cycle (101, 4) + trap: minimum 26 + 2 = 28 (deficit 104 - 101 = 3 over 26 gaps:
    26 + 26·25 + C(26, 3) = 3276 sequences, N = 101·3276/26 = 12726 covers), so 1000 of
    them are listed, each minimal, and the cap is reported."""
    chart = _block_diag(_cycle(101, 4), _trap(4))
    sol = solve_chart(chart, max_models=1000)
    assert sol.size == 28 and sol.capped and sol.cap_reason == "max_models"
    assert len(sol.models) == 1000 == len(set(sol.models))
    assert all(len(m) == 28 and _is_cover(chart, m) for m in sol.models)
    assert 101 * (26 + 26 * 25 + math.comb(26, 3)) // 26 == 12726


def test_node_budget_keeps_minimal_models_and_says_so():
    chart = _block_diag(_cycle(70, 3), _trap(4))
    sol = solve_chart(chart, max_nodes=10)
    assert sol.size == 26 and sol.capped and sol.cap_reason == "max_nodes"
    assert sol.models and all(len(m) == 26 and _is_cover(chart, m) for m in sol.models)


CYCLIC_POS = [(0, 0, 0), (0, 0, 1), (0, 1, 0), (1, 0, 1), (1, 1, 0), (1, 1, 1)]
CYCLIC_NEG = [(0, 1, 1), (1, 0, 0)]
CYCLIC_MODELS = [{"~A*~B", "B*~C", "A*C"}, {"~A*~C", "~B*C", "A*B"}]  # by hand, 3 terms


def test_minimize_reports_node_cap_in_summary_and_json():
    frame, names = _frame([2, 2, 2], CYCLIC_POS, CYCLIC_NEG)
    with pytest.warns(UserWarning, match="more may exist"):
        sol = minimize(frame, "Y", names, max_nodes=1)
    assert sol.capped and sol.cap_reasons == ["max_nodes"]
    assert len(sol.models) == 1 and set(sol.models[0].terms) in CYCLIC_MODELS
    text = sol.summary()
    assert "max_nodes = 1" in text and "more may exist" in text and "is minimal" in text
    d = sol.to_dict()
    assert d["capped"] is True and d["cap_reasons"] == ["max_nodes"]
    assert d["n_models"] == 1 and d["models_minimal"] is True and len(d["notes"]) == 1


def test_minimize_reports_model_cap_in_summary_and_json():
    frame, names = _frame([2, 2, 2], CYCLIC_POS, CYCLIC_NEG)
    with pytest.warns(UserWarning, match="each of them minimal"):
        sol = minimize(frame, "Y", names, max_models=1)
    assert sol.cap_reasons == ["max_models"] and set(sol.models[0].terms) in CYCLIC_MODELS
    assert "max_models = 1" in sol.summary() and "is minimal" in sol.summary()
    d = sol.to_dict()
    assert d["cap_reasons"] == ["max_models"] and d["n_models"] == 1 and d["models_minimal"]


def test_complete_solution_has_no_cap_note():
    frame, names = _frame([2, 2, 2], CYCLIC_POS, CYCLIC_NEG)
    sol = minimize(frame, "Y", names)
    assert not sol.capped and sol.cap_reasons == [] and "NOTE" not in sol.summary()
    d = sol.to_dict()
    assert d["n_models"] == 2 and d["notes"] == [] and d["capped"] is False


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 6).flatmap(
        lambda t: st.integers(1, 8).flatmap(
            lambda n: st.tuples(
                st.lists(st.lists(st.sampled_from([0.0, 0.2, 0.5, 0.7, 1.0]),
                                  min_size=n, max_size=n), min_size=t, max_size=t),
                st.lists(st.sampled_from([0.0, 0.3, 0.6, 1.0]), min_size=n, max_size=n),
            )
        )
    )
)
def test_unique_coverage_matches_its_definition(case):
    """covU_k = (Σmin(∪ all, Y) − Σmin(∪ others, Y)) / ΣY, written out naively."""
    terms, y = case
    terms = [np.array(t) for t in terms]
    y = np.array(y)
    got = unique_coverage(terms, y)
    assert len(got) == len(terms)
    for k in range(len(terms)):
        everything = np.max(terms, axis=0)
        others = [t for j, t in enumerate(terms) if j != k]
        rest = np.max(others, axis=0) if others else np.zeros_like(y)
        gain = np.minimum(everything, y).sum() - np.minimum(rest, y).sum()
        want = gain / y.sum() if y.sum() else math.nan
        assert got[k] == pytest.approx(want, nan_ok=True, abs=1e-12)


def test_unprovable_minimum_raises_instead_of_guessing():
    """An unstructured random chart (300 PIs, 500 minterms, 3% density) is a hard set cover
    for the integer program: with a short time limit it must fail loudly, with bounds."""
    rng = np.random.default_rng(5)
    chart = rng.random((300, 500)) < 0.03
    for c in np.flatnonzero(~chart.any(axis=0)):
        chart[rng.integers(300), c] = True
    with pytest.raises(QCALimitError, match=r"stopped at the time limit of 0\.5 s .*could not be "
                       r"proven; it lies between \d+ and \d+\)") as info:
        solve_chart(chart, time_limit=0.5)
    assert info.value.stage == "cover search" and info.value.exit_code == 3


def _path(n: int) -> np.ndarray:
    """n minterms in a row; PI j (j = 0..n) covers minterms j - 1 and j."""
    chart = np.zeros((n + 1, n), dtype=bool)
    for i in range(n):
        chart[i, i] = chart[i + 1, i] = True
    return chart


@pytest.mark.parametrize("n", [5, 7, 9])
def test_path_chart_count_by_hand_and_brute_force(n):
    """n = 2m + 1 minterms need m + 1 PIs p_1 < ... < p_(m+1): p_1 <= 1, p_last >= n - 1,
    gaps <= 2, so the m gaps span n - 1 or n - 2: (0, n - 1) or (1, n) with every gap 2,
    or (1, n - 1) with one gap of 1 (m ways): m + 2 minimum covers."""
    m = (n - 1) // 2
    chart = _path(n)
    want = oracle.chart_min_covers(chart.tolist())
    assert len(want) == m + 2 and {len(c) for c in want} == {m + 1}
    assert {frozenset(c) for c in solve_chart(chart).models} == want


def test_deep_chart_beyond_the_recursion_limit():
    """Path of 2401 minterms: 1201 PIs (one branch-and-bound level each) and 1202 minimum
    covers (see above), so two of them are listed, capped by max_models."""
    chart = _path(2401)
    sol = solve_chart(chart, max_models=2)
    assert sol.size == 1201 and sol.cap_reason == "max_models" and len(sol.models) == 2
    assert all(len(m) == 1201 and _is_cover(chart, m) for m in sol.models)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(charts(max_pi=8, max_row=9), st.integers(0, 2**32 - 1))
def test_block_minimum_ignores_repeated_and_dominated_pis(chart, seed):
    """The integer program runs on the distinct maximal PIs only: with repeated PIs and PIs
    covering a part of another's minterms added, the proven size is still the brute-force one."""
    from kadstudy.sets.minimize import _Block

    rng = np.random.default_rng(seed)
    extra = [chart[i] & (rng.random(chart.shape[1]) < 0.5) for i in rng.integers(0, len(chart), 4)]
    big = np.vstack([chart, chart[rng.integers(0, len(chart), 3)], *extra])
    want = min(len(m) for m in oracle.chart_min_covers(big.tolist()))
    block = _Block(big.T)
    block.greedy = lambda: list(range(block.npi))  # force the integer program
    size, cover = block.minimum(None)
    assert size == want == len(cover)
    assert big[cover].any(axis=0).all()
