"""Simplifying assumptions and easy/difficult counterfactuals for every model of an ambiguous
solution (R QCA's ``$SA`` and ``$i.sol$C1P1$EC`` / ``$DC``), worked by hand.

Crisp A, B, C; OUT = 1 rows A~B~C (100) and ~ABC (011), OUT = 0 rows 000 and 111; the
remainders are 001 (row 2), 010 (row 3), 101 (row 6) and 110 (row 7) (row = code + 1, A first).

Prime implicants that cover an OUT = 1 row and no OUT = 0 row: for 100, A~B (100, 101) and
A~C (100, 110) (A, ~B, ~C, ~B~C each meet 000 or 111); for 011, ~AB (010, 011) and ~AC (001,
011). Each minimal model takes one of each: four parsimonious models, each with its own
simplifying assumptions: A~B -> row 6, A~C -> row 7, ~AB -> row 3, ~AC -> row 2.

Intermediate with every condition expected present (A=1, B=1, C=1), R's rule: a literal of a
conservative term that the parsimonious term drops is removed when it contradicts the
expectation. A~B~C with A~B: ~C contradicts C=1 -> A~B, so row 6 is easy; with A~C: ~B is
dropped -> A~C, row 7 easy. ~ABC with ~AB: C agrees with C=1, kept -> ~ABC covers no remainder,
so row 3 is difficult; likewise row 2 with ~AC. Each pair's intermediate model minimises
{100, 011} plus its easy counterfactual: A~B + ~A*B*C (rows 5, 6 -> A~B) or A~C + ~A*B*C.
"""

import pandas as pd
import pytest

from kadstudy.sets import minimize

POS = [(1, 0, 0), (0, 1, 1)]
NEG = [(0, 0, 0), (1, 1, 1)]
SA_OF = {"A*~B": 6, "A*~C": 7, "~A*B": 3, "~A*C": 2}


@pytest.fixture
def frame():
    rows = [(*c, 1) for c in POS] + [(*c, 0) for c in NEG]
    out = pd.DataFrame(rows, columns=["A", "B", "C", "Y"])
    out.index = [f"c{i}" for i in range(len(out))]
    return out


def _rows(table) -> set[int]:
    return {int(r) for r in table.index}


def test_parsimonious_assumptions_per_model(frame):
    sol = minimize(frame, "Y", solution="parsimonious")
    assert {frozenset(m.terms) for m in sol.models} == {
        frozenset(p) for p in [("A*~B", "~A*B"), ("A*~B", "~A*C"), ("A*~C", "~A*B"),
                               ("A*~C", "~A*C")]
    }
    assert set(sol.simplifying_assumptions) == {m.name for m in sol.models}
    for m in sol.models:
        want = {SA_OF[t] for t in m.terms}
        assert _rows(sol.simplifying_assumptions[m.name]) == want, m.expression
        assert _rows(sol.remainders_used[m.label]) == want
    js = sol.to_dict()
    assert js["simplifying_assumptions"] == {m.name: sorted(SA_OF[t] for t in m.terms)
                                            for m in sol.models}


def test_intermediate_easy_and_difficult_per_pair(frame):
    sol = minimize(frame, "Y", solution="intermediate", dir_exp="A=1,B=1,C=1")
    pars = minimize(frame, "Y", solution="parsimonious")
    assert set(sol.easy_counterfactuals) == {f"C1P{i}" for i in range(1, 5)}
    for i, pm in enumerate(pars.models, 1):
        key = f"C1P{i}"
        a_term = next(t for t in pm.terms if t.startswith("A"))
        na_term = next(t for t in pm.terms if t.startswith("~A"))
        assert _rows(sol.easy_counterfactuals[key]) == {SA_OF[a_term]}
        assert _rows(sol.difficult_counterfactuals[key]) == {SA_OF[na_term]}
        models = [m for m in sol.models if m.key == key]
        assert [set(m.terms) for m in models] == [{a_term, "~A*B*C"}]
        assert _rows(sol.remainders_used[models[0].label]) == {SA_OF[a_term]}
        assert models[0].label == f"{key} M1"


def test_no_expectation_means_no_easy_counterfactual(frame):
    """With no directional expectation every simplifying assumption is difficult: the
    intermediate solution is the conservative one and rests on no remainder."""
    sol = minimize(frame, "Y", solution="intermediate", dir_exp="A=-,B=-,C=-")
    cons = minimize(frame, "Y")
    assert [m.terms for m in cons.models] == [["A*~B*~C", "~A*B*C"]]
    for key, easy in sol.easy_counterfactuals.items():
        assert len(easy) == 0
        assert len(sol.difficult_counterfactuals[key]) == 2
    assert all(m.terms == cons.models[0].terms for m in sol.models)
    assert all(len(t) == 0 for t in sol.remainders_used.values())
    assert all(len(t) == 0 for t in cons.remainders_used.values())
