"""Cluster diagnostics and case types, against values known by construction."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kadstudy.sets import QCAInputError, case_types, cluster, cluster_diagnostics, minimize, truth_table
from kadstudy.sets.diagnostics import classify

# ---------------------------------------------------------------------------- a two-cluster panel
#
# Four units u1..u4, each observed in cluster A and in cluster B (e.g. two periods), with the same
# memberships x in both clusters, x = .8 .6 .4 .2.
#   cluster A: y = .9 .7 .5 .3 -> every x <= y: Σmin = Σx = 2.0 -> consistency 1 (by design);
#              Σy = 2.4 -> coverage 2.0/2.4 = 5/6
#   cluster B: y = .4 .3 .2 .1 = x/2 -> Σmin = Σy = 1.0, Σx = 2.0 -> consistency 1/2 (by design);
#              coverage 1.0/1.0 = 1
#   pooled:    Σmin = 3.0, Σx = 4.0 -> 0.75; Σy = 3.4 -> coverage 3/3.4
#   within unit i: Σmin = x_i + x_i/2, Σx = 2 x_i -> 0.75 for every unit (by design), so dWP = 0;
#              coverage (1.5 x_i)/(y_A + y_B): u1 1.2/1.3, u2 .9/1.0, u3 .6/.7, u4 .3/.4
#   dBP: shares 1/1.5 = 2/3 and .5/1.5 = 1/3 against 1/2 each -> sqrt(2 (1/6)^2) = sqrt(2)/6
X = [0.8, 0.6, 0.4, 0.2]
PANEL = pd.DataFrame({
    "unit": ["u1", "u2", "u3", "u4"] * 2,
    "cluster": ["A"] * 4 + ["B"] * 4,
    "x": X * 2,
    "y": [0.9, 0.7, 0.5, 0.3, 0.4, 0.3, 0.2, 0.1],
}, index=[f"{u}_{c}" for c in "AB" for u in ("u1", "u2", "u3", "u4")])


def test_two_cluster_panel_by_design():
    d = cluster_diagnostics(PANEL["x"], PANEL["y"], PANEL["cluster"], PANEL["unit"])
    assert d.pooled["consistency"] == pytest.approx(0.75)
    assert d.pooled["coverage"] == pytest.approx(3.0 / 3.4)
    assert d.between.loc["A", "consistency"] == pytest.approx(1.0)
    assert d.between.loc["B", "consistency"] == pytest.approx(0.5)
    assert d.between.loc["A", "coverage"] == pytest.approx(5 / 6)
    assert d.between.loc["B", "coverage"] == pytest.approx(1.0)
    assert d.between["n"].tolist() == [4, 4]
    assert d.within["consistency"].tolist() == pytest.approx([0.75] * 4)
    cov_w = [1.2 / 1.3, 0.9 / 1.0, 0.6 / 0.7, 0.3 / 0.4]
    assert d.within["coverage"].tolist() == pytest.approx(cov_w)
    assert d.distances["dBP"] == pytest.approx(math.sqrt(2) / 6)
    assert d.distances["dWP"] == pytest.approx(0.0, abs=1e-12)
    shares = np.array(cov_w) / sum(cov_w)
    assert d.distances["dWP_cov"] == pytest.approx(math.sqrt(((shares - 0.25) ** 2).sum()))
    bc = np.array([5 / 6, 1.0])
    assert d.distances["dBP_cov"] == pytest.approx(math.sqrt(((bc / bc.sum() - 0.5) ** 2).sum()))
    long = d.to_frame()
    assert long["level"].tolist() == ["pooled"] + ["between"] * 2 + ["within"] * 4


def _setmethods_formulas(x, y, unit, cluster):
    """SetMethods' own algorithm, written out from its definitions: unit × cluster tables of
    summed memberships (xtabs), Ragin consistency with 1e-10 added to both sums, column-wise for
    between and row-wise for within, and the Euclidean distances of the shares."""
    frame = pd.DataFrame({"x": x, "y": y, "unit": unit, "cluster": cluster})
    xt = frame.pivot_table(index="unit", columns="cluster", values="x", aggfunc="sum", fill_value=0)
    yt = frame.pivot_table(index="unit", columns="cluster", values="y", aggfunc="sum", fill_value=0)
    cons = lambda a, b: (np.minimum(a, b).sum() + 1e-10) / (a.sum() + 1e-10)  # noqa: E731
    becos = np.array([cons(xt[c].to_numpy(), yt[c].to_numpy()) for c in xt.columns])
    wicons = np.array([cons(xt.loc[u].to_numpy(), yt.loc[u].to_numpy()) for u in xt.index])
    dist = lambda v: math.sqrt((((v + 1e-10) / (v.sum() + 1e-10) - 1 / len(v)) ** 2).sum())  # noqa: E731
    return becos, wicons, dist(becos), dist(wicons)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(0.05, 1), st.floats(0, 1), st.integers(0, 2), st.integers(0, 4)),
                min_size=2, max_size=30, unique_by=lambda t: (t[2], t[3])))
def test_agrees_with_setmethods_when_every_value_is_defined(obs):
    """With x > 0 everywhere (every consistency defined), one observation per (unit, cluster) and
    some y > 0 (SetMethods' smoothing makes all-zero consistencies unequal shares), the numbers
    agree with SetMethods' formulas up to its 1e-10 smoothing."""
    x = [o[0] for o in obs]
    y = [o[1] for o in obs]
    assume(min(sum(min(a, b) for a, b, c, _ in obs if c == k) for k in {o[2] for o in obs}) > 1e-6)
    assume(min(sum(min(a, b) for a, b, _, u in obs if u == k) for k in {o[3] for o in obs}) > 1e-6)
    cl = [f"c{o[2]}" for o in obs]
    un = [f"u{o[3]}" for o in obs]
    d = cluster_diagnostics(x, y, cl, un)
    becos, wicons, dbp, dwp = _setmethods_formulas(x, y, un, cl)
    np.testing.assert_allclose(d.between["consistency"].to_numpy(), becos, atol=1e-8)
    np.testing.assert_allclose(d.within["consistency"].to_numpy(), wicons, atol=1e-8)
    # the distances divide by sums of consistencies; SetMethods' 1e-10 smoothing of tiny sums moves
    # them by up to ~1e-6, so they agree to that, not to the consistencies' 1e-8
    assert d.distances["dBP"] == pytest.approx(dbp, abs=1e-5)
    assert d.distances["dWP"] == pytest.approx(dwp, abs=1e-5)


def test_undefined_consistency_is_left_out():
    """Cluster C has no membership in X: its consistency is undefined (NaN) and the distance uses
    the two defined clusters, 1 and 1/2 as above -> sqrt(2)/6 still."""
    x = [*PANEL["x"], 0.0, 0.0]
    y = [*PANEL["y"], 0.7, 0.1]
    cl = [*PANEL["cluster"], "C", "C"]
    d = cluster_diagnostics(x, y, cl, [*PANEL["unit"], "u5", "u6"])
    assert math.isnan(d.between.loc["C", "consistency"])
    assert d.between.loc["C", "coverage"] == 0.0
    assert d.distances["dBP"] == pytest.approx(math.sqrt(2) / 6)
    assert math.isnan(d.within.loc["u5", "consistency"])


def test_cross_section_units_default_to_cases():
    """Without units every case is its own unit: within consistency = min(x, y)/x of the case."""
    x = pd.Series([0.8, 0.4, 0.6], index=["p", "q", "r"])
    y = pd.Series([0.4, 0.9, 0.6], index=["p", "q", "r"])
    d = cluster_diagnostics(x, y, ["k", "k", "m"])
    assert d.within.index.tolist() == ["p", "q", "r"]
    assert d.within["consistency"].tolist() == pytest.approx([0.5, 1.0, 1.0])
    assert d.between.loc["k", "consistency"] == pytest.approx((0.4 + 0.4) / 1.2)


def test_cluster_of_a_solution():
    """The panel as set data: conditions A (= x) and B (= 1 everywhere), outcome Y (= y).
    The expression A + ~B has memberships max(x, 0) = x: the same diagnostics as x itself, for
    the term A, for the term ~B (membership 0: consistency undefined everywhere, coverage 0) and
    for the whole expression."""
    data = pd.DataFrame({"A": PANEL["x"], "B": 1.0, "Y": PANEL["y"], "period": PANEL["cluster"],
                         "unit": PANEL["unit"]}, index=PANEL.index)
    res = cluster(data, "A + ~B", "Y", clusters="period", units="unit")
    assert [d.expression for d in res.items] == ["A", "~B", "A + ~B"]
    dist = res.distances_frame().set_index("expression")
    assert dist.loc["A + ~B", "dBP"] == pytest.approx(math.sqrt(2) / 6)
    assert dist.loc["A", "pooled consistency"] == pytest.approx(0.75)
    assert math.isnan(dist.loc["~B", "pooled consistency"])
    assert dist.loc["~B", "pooled coverage"] == 0.0
    with pytest.raises(QCAInputError, match="no column 'region'"):
        cluster(data, "A", "Y", clusters="region")


def test_cluster_input_checked():
    with pytest.raises(QCAInputError, match="3 labels for 2 cases"):
        cluster_diagnostics([0.1, 0.2], [0.3, 0.4], ["a", "b", "c"])
    with pytest.raises(QCAInputError, match="in \\[0, 1\\]"):
        cluster_diagnostics([0.1, 1.2], [0.3, 0.4], ["a", "b"])


# ---------------------------------------------------------------------------- case types

# Model A + B, outcome Y. Case by case (term A, term B, solution = max, outcome):
#   k1  .9 .2 | .9 | .95  A: .9 > .5, Y > .5, .9 <= .95 typical, uniquely (B .2 < .5);
#                         B: outside, solution .9 > .5 -> in another term; solution typical
#   k2  .8 .7 | .8 | .6   A: .8 > .6 deviant in degree; B: .7 > .6 deviant in degree; solution
#                         .8 > .6 deviant in degree
#   k3  .7 .1 | .7 | .2   A: deviant in kind; B: in another term; solution deviant in kind
#   k4  .2 .3 | .3 | .8   in no term, Y > .5: deviant coverage (A, B and solution)
#   k5  .1 .2 | .2 | .1   in no term, Y < .5: individually irrelevant
#   k6  .3 .6 | .6 | .9   A: in another term; B: typical, uniquely; solution typical
#   k7  .6 .8 | .8 | .9   A typical, not unique (B .8); B typical, not unique; solution typical
#   k8  .5 .2 | .5 | .7   A exactly .5; B outside but the solution is .5: untyped; solution .5
CASES = pd.DataFrame({
    "A": [0.9, 0.8, 0.7, 0.2, 0.1, 0.3, 0.6, 0.5],
    "B": [0.2, 0.7, 0.1, 0.3, 0.2, 0.6, 0.8, 0.2],
    "Y": [0.95, 0.6, 0.2, 0.8, 0.1, 0.9, 0.9, 0.7],
}, index=[f"k{i}" for i in range(1, 9)])


def test_case_types_by_hand():
    ct = case_types(CASES, "A + B", "Y")
    assert ct.types["A"].tolist() == [
        "typical", "deviant consistency in degree", "deviant consistency in kind", "deviant coverage",
        "individually irrelevant", "in another term", "typical", "membership 0.5"]
    assert ct.types["B"].tolist() == [
        "in another term", "deviant consistency in degree", "in another term", "deviant coverage",
        "individually irrelevant", "typical", "typical", "membership 0.5"]
    assert ct.types["solution"].tolist() == [
        "typical", "deviant consistency in degree", "deviant consistency in kind", "deviant coverage",
        "individually irrelevant", "typical", "typical", "membership 0.5"]
    assert ct.cases("A", "typical") == ["k1", "k7"]
    assert ct.unique["A"].tolist() == [True] + [False] * 7
    assert ct.unique["B"].tolist() == [False] * 5 + [True, False, False]
    summary = ct.summary()
    rows = {(r.term, r.type): (r.n, r.cases) for r in summary.itertuples()}
    assert rows[("A", "typical")] == (2, "k1, k7")
    assert rows[("A", "typical, uniquely covered")] == (1, "k1")
    assert rows[("solution", "typical")] == (3, "k1, k6, k7")
    assert rows[("solution", "deviant coverage")] == (1, "k4")
    assert rows[("solution", "individually irrelevant")] == (1, "k5")
    assert rows[("B", "deviant consistency in degree")] == (1, "k2")
    frame = ct.to_frame()
    assert list(frame.columns) == ["A", "B", "solution", "Y", "type: A", "type: B", "type: solution"]
    assert frame.loc["k6", "solution"] == pytest.approx(0.6)


def test_case_types_of_a_minimised_solution():
    """Crisp: rows 11 (a) and 10 (b, c) are consistent, 00 (d with Y, e without: incl 1/2) and
    01 (f, no Y) are not, so the conservative solution is A. Cases in A are typical (Y = 1); d
    (A = 0, Y = 1) is deviant coverage; e and f (A = 0, Y = 0) are individually irrelevant."""
    data = pd.DataFrame({"A": [1, 1, 1, 0, 0, 0], "B": [1, 0, 0, 0, 0, 1], "Y": [1, 1, 1, 1, 0, 0]},
                        index=list("abcdef"))
    sol = minimize(truth_table(data, "Y", incl_cut=1), solution="conservative")
    ct = case_types(data, sol, "Y")
    assert ct.terms == ["A"]
    assert ct.types["solution"].tolist() == ["typical"] * 3 + ["deviant coverage"] + \
        ["individually irrelevant"] * 2
    with pytest.raises(QCAInputError, match="model 2 does not exist"):
        case_types(data, sol, "Y", model=1)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1), st.floats(0, 1)), min_size=1, max_size=20))
def test_case_type_zones_partition(rows):
    """Every case gets exactly one type, and the type agrees with its zone of the XY plot."""
    x = np.array([r[0] for r in rows])
    s = np.maximum(x, np.array([r[1] for r in rows]))
    y = np.array([r[2] for r in rows])
    types = classify(x, y, s)
    for xi, si, yi, t in zip(x, s, y, types, strict=True):
        if t == "typical":
            assert xi > 0.5 and yi > 0.5 and xi <= yi + 1e-9
        elif t == "deviant consistency in degree":
            assert xi > 0.5 and yi > 0.5 and xi > yi
        elif t == "deviant consistency in kind":
            assert xi > 0.5 and yi < 0.5
        elif t == "in another term":
            assert xi < 0.5 and si > 0.5
        elif t == "deviant coverage":
            assert si < 0.5 and yi > 0.5
        elif t == "individually irrelevant":
            assert si < 0.5 and yi < 0.5
        else:
            assert t == "membership 0.5" and 0.5 in (xi, yi, si)
