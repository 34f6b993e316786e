"""Enhanced Standard Analysis: find_rows (R QCA's findRows types 1-3), minimize(exclude=...)
and esa() (SetMethods), on an example worked by hand.

Crisp A, B, C. Observed: 000 (case n0, Y = 0), 011 (p1, Y = 1), 101 (p2, Y = 1). Row number =
code + 1 with A first: 000 = 1, 001 = 2, 010 = 3, 011 = 4, 100 = 5, 101 = 6, 110 = 7, 111 = 8.
Remainders: 2, 3, 5, 7, 8.

Y (ON 011, 101; OFF 000): every one-literal term A, B, C avoids 000; only C covers both ON
rows, so the parsimonious solution is C alone; it covers 001 and 111: SA = rows 2, 8.
~Y (ON 000; OFF 011, 101): the terms covering 000 and neither OFF row are ~C (000 010 100 110)
and ~A*~B (000 001) (~A meets 011, ~B meets 101); each alone is a minimal model: ~C with
SA rows 3, 5, 7 and ~A*~B with SA row 2. Contradictory simplifying assumption: {2, 8} ∩
{2, 3, 5, 7} = row 2 (~A*~B*C), used for Y by C and for ~Y by ~A*~B.

Excluding row 2: OFF for Y becomes 000, 001, so C is out; A and B still avoid both; no single
term covers 011 and 101, so Y = A + B (SA rows 3, 5, 7, 8).

Declaring A*B impossible (rows 7, 8 are remainders): C, A and B all meet 110 or 111; 011 is
covered by ~A*B (010 011) or ~A*C (001 011), 101 by A*~B (100 101) or ~B*C (001 101): four
models of two terms.
"""

import pandas as pd
import pytest

from kadstudy.sets import QCAInputError, minimize, truth_table
from kadstudy.sets.esa import esa, find_rows, find_rows_by_type, find_rows_frame


@pytest.fixture
def tt():
    frame = pd.DataFrame(
        {"A": [0, 0, 1], "B": [0, 1, 0], "C": [0, 1, 1], "Y": [0, 1, 1]}, index=["n0", "p1", "p2"]
    )
    return truth_table(frame, "Y")


def test_find_rows_types(tt):
    assert find_rows(tt, "A*~B") == [5]  # 100 and 101; 101 is observed
    assert find_rows(tt, "A*~B", observed=True) == [5, 6]
    assert find_rows(tt, type=2) == [2]
    assert find_rows(tt, type=3) == []
    assert find_rows_by_type(tt, "A*~B", type=0) == {1: [5], 2: [2], 3: []}
    frame = find_rows_frame(tt, {1: [5], 2: [2]})
    assert frame.index.tolist() == [2, 5]
    assert frame.loc[2, ["A", "B", "C"]].tolist() == [0, 0, 1]
    assert frame["type"].tolist() == ["CSA", "subset"]


def test_ssr_by_hand():
    """Row 000 holds one case with Y and one without: incl = 0.5 for Y and for ~Y, so at
    incl_cut 0.5 the row has OUT = 1 for both: a simultaneous subset relation (row 1)."""
    frame = pd.DataFrame({"A": [0, 0, 1], "B": [0, 0, 1], "Y": [1, 0, 1]}, index=["a", "b", "c"])
    t = truth_table(frame, "Y", incl_cut=0.5)
    assert find_rows(t, type=3) == [1]


def test_minimize_exclude_csa(tt):
    assert [m.terms for m in minimize(tt, solution="parsimonious").models] == [["C"]]
    for exclude in ([2], 2, "~A*~B*C", {2: "CSA"}):
        sol = minimize(tt, solution="parsimonious", exclude=exclude)
        assert [sorted(m.terms) for m in sol.models] == [["A", "B"]]
        assert {int(r) for r in sol.simplifying_assumptions["M1"].index} == {3, 5, 7, 8}
        assert 2 in sol.truth_table.excluded
        assert sol.truth_table.rows.at[2, "OUT"] == "0"
    assert "Rows excluded" in sol.truth_table.summary()
    assert sol.truth_table.to_dict()["excluded"] == [{"row": 2, "reason": "CSA"}]


def test_esa_impossible_and_untenable(tt):
    esa_tt = esa(tt, untenable_lr="A*B")
    assert sorted(esa_tt.excluded) == [7, 8]
    sol = minimize(esa_tt, solution="parsimonious")
    assert {frozenset(m.terms) for m in sol.models} == {
        frozenset(p) for p in [("~A*B", "A*~B"), ("~A*B", "~B*C"), ("~A*C", "A*~B"),
                               ("~A*C", "~B*C")]
    }
    # C is necessary here (every Y case has C): the remainders without C are 3, 5, 7
    nec = esa(tt, nec_cond="C")
    assert sorted(nec.excluded) == [3, 5, 7]
    assert all(why.startswith("untenable") for why in nec.excluded.values())
    both = esa(tt, nec_cond=["C"], untenable_lr=["A*B"], contrad_rows=find_rows(tt, type=2))
    assert sorted(both.excluded) == [2, 3, 5, 7, 8]
    assert esa(tt, contrad_rows={2: "CSA"}).excluded == {2: "CSA"}


def test_exclude_errors(tt):
    with pytest.raises(QCAInputError, match="row 9 does not exist"):
        minimize(tt, exclude=[9])
    with pytest.raises(QCAInputError, match="unknown condition 'D'"):
        minimize(tt, exclude="D")
    with pytest.raises(QCAInputError, match="needs an expression"):
        find_rows(tt)
    with pytest.raises(QCAInputError, match="type 5 is unknown"):
        find_rows(tt, "A", type=5)


def test_excluding_a_positive_row_warns(tt):
    with pytest.warns(UserWarning, match="OUT = 1"):
        sol = minimize(tt, exclude=[4])
    assert [m.terms for m in sol.models] == [["A*~B*C"]]
