"""Theory evaluation (SetMethods' theory.evaluation), worked by hand.

Crisp A, B, C, Y. Theory T = A*B, solution S = A*C. Cases:
c1 (1,1,1; Y 1): T 1, S 1 -> T*S, covered most likely
c2 (1,0,1; Y 1): T 0, S 1 -> ~T*S, covered least likely
c3 (1,1,0; Y 1): T 1, S 0 -> T*~S, uncovered most likely
c4 (0,0,0; Y 1): ~T*~S, uncovered least likely
c5 (1,1,1; Y 0): T*S with Y = 0, inconsistent most likely
c6 (0,1,1; Y 0): ~T*~S with Y = 0, consistent least likely
Fit (crisp: inclS = |X and Y| / |X|, covS = |X and Y| / |Y| with |Y| = 4, PRI = inclS here):
T*S = {c1, c5}: 1/2, 1/4; S = {c1, c2, c5}: 2/3, 2/4; T = {c1, c3, c5}: 2/3, 2/4;
~T*S = {c2}: 1, 1/4; T*~S = {c3}: 1, 1/4; ~T*~S = {c4, c6}: 1/2, 1/4.
Expressions: T*S = A*B*C; ~T*S = A*~B*C; T*~S = A*B*~C;
~T*~S = (~A + ~B)(~A + ~C) = ~A + ~B*~C.
"""

import pandas as pd
import pytest

from kadstudy.sets import QCAInputError, minimize
from kadstudy.sets.theory import theory_evaluation


@pytest.fixture
def frame():
    rows = {"c1": (1, 1, 1, 1), "c2": (1, 0, 1, 1), "c3": (1, 1, 0, 1), "c4": (0, 0, 0, 1),
            "c5": (1, 1, 1, 0), "c6": (0, 1, 1, 0)}
    return pd.DataFrame.from_dict(rows, orient="index", columns=["A", "B", "C", "Y"])


def test_theory_evaluation_by_hand(frame):
    res = theory_evaluation(frame, "A*B", "A*C", outcome="Y")
    assert res.expressions == {"T*S": "A*B*C", "~T*S": "A*~B*C", "T*~S": "A*B*~C",
                               "~T*~S": "~A + ~B*~C"}
    want = {"T*S": (1 / 2, 1 / 4), "S": (2 / 3, 2 / 4), "T": (2 / 3, 2 / 4),
            "~T*S": (1, 1 / 4), "T*~S": (1, 1 / 4), "~T*~S": (1 / 2, 1 / 4)}
    for name, (incl, cov) in want.items():
        assert res.fit.loc[name, "inclS"] == pytest.approx(incl)
        assert res.fit.loc[name, "covS"] == pytest.approx(cov)
        assert res.fit.loc[name, "PRI"] == pytest.approx(incl)
    assert res.cases == {
        "covered most likely": ["c1"], "covered least likely": ["c2"],
        "uncovered most likely": ["c3"], "uncovered least likely": ["c4"],
        "inconsistent most likely": ["c5"], "inconsistent least likely": [],
        "consistent most likely": [], "consistent least likely": ["c6"],
    }
    text = res.summary()
    assert "Inconsistent most likely (T*S > 0.5, Y < 0.5): 1/2: c5" in text
    assert res.to_dict()["expressions"]["~T*~S"] == "~A + ~B*~C"


def test_theory_against_a_solution_model(frame):
    sol = minimize(frame, "Y", solution="conservative")
    res = theory_evaluation(frame, "A*B", sol)
    assert res.solution == sol.models[0].expression and res.outcome == "Y"
    with pytest.raises(QCAInputError, match="model 'M9' does not exist"):
        theory_evaluation(frame, "A*B", sol, model="M9")
    with pytest.raises(QCAInputError, match="unknown condition 'D'"):
        theory_evaluation(frame, "A*D", sol)
