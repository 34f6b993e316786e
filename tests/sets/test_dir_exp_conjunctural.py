"""Conjunctural directional expectations (R QCA's ``dir.exp = c("B*C")``), worked by hand.

Crisp A, B, C: one OUT = 1 row 110 (AB~C), one OUT = 0 row 000; row number = code + 1 (A
first). Conservative: A*B*~C. Parsimonious: A (remainders 100, 101, 111 = rows 5, 6, 8) or
B (010, 011, 111 = rows 3, 4, 8); ~C meets 000.

Expecting B and C *jointly* ("B*C"): under A the conservative term drops B and C; B agrees
with the conjunction but ~C does not, so both are removed together: A, which covers rows 5,
6, 8, all easy. With the simple expectations B=1, C=1 only ~C is removed: A*B covers row 8
only (easy); 5 and 6 are difficult. Under B the term drops A (no expectation) and ~C
(contradicts): A*B either way, easy row 8, difficult 3 and 4.
"""

import pandas as pd
import pytest

from kadstudy.sets import QCAInputError, minimize


@pytest.fixture
def frame():
    return pd.DataFrame({"A": [1, 0], "B": [1, 0], "C": [0, 0], "Y": [1, 0]}, index=["p", "n"])


def _rows(t) -> list[int]:
    return sorted(int(r) for r in t.index)


@pytest.mark.parametrize("dir_exp", ["B*C", ["B*C"], ("B*C",)])
def test_conjunctural(frame, dir_exp):
    sol = minimize(frame, "Y", solution="intermediate", dir_exp=dir_exp)
    assert _rows(sol.easy_counterfactuals["C1P1"]) == [5, 6, 8]
    assert _rows(sol.difficult_counterfactuals["C1P1"]) == []
    assert _rows(sol.easy_counterfactuals["C1P2"]) == [8]
    assert _rows(sol.difficult_counterfactuals["C1P2"]) == [3, 4]
    assert {m.key: m.terms for m in sol.models} == {"C1P1": ["A"], "C1P2": ["A*B"]}
    assert sol.to_dict()["dir_exp"] == ["B*C"]
    assert "Directional expectations: B*C" in sol.summary()


def test_simple_expectations_differ(frame):
    for dir_exp in ("B=1,C=1", ["B", "C"], "B, C"):
        sol = minimize(frame, "Y", solution="intermediate", dir_exp=dir_exp)
        assert _rows(sol.easy_counterfactuals["C1P1"]) == [8], dir_exp
        assert _rows(sol.difficult_counterfactuals["C1P1"]) == [5, 6]
        assert {m.key: m.terms for m in sol.models} == {"C1P1": ["A*B"], "C1P2": ["A*B"]}


def test_bad_conjunctural_expectations(frame):
    with pytest.raises(QCAInputError, match="disjunction"):
        minimize(frame, "Y", solution="intermediate", dir_exp=["B + C"])
    with pytest.raises(QCAInputError, match="both present and absent"):
        minimize(frame, "Y", solution="intermediate", dir_exp=["B*~B"])
    with pytest.raises(QCAInputError, match="unknown condition 'D'"):
        minimize(frame, "Y", solution="intermediate", dir_exp="D*B")
