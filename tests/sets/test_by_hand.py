"""Measures, calibration, expressions and truth tables checked against hand computations."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from kadstudy.errors import KadError
from kadstudy.sets import (
    QCAInputError,
    calibrate,
    inclusion,
    minimize,
    necessity_measures,
    parse_expr,
    sufficiency_measures,
    truth_table,
    unique_coverage,
)

X = np.array([0.2, 0.6, 0.9, 0.4])
Y = np.array([0.3, 0.8, 0.7, 0.1])


def test_sufficiency_by_hand():
    """min(X,Y) = .2 .6 .7 .1 -> Σ = 1.6; ΣX = 2.1; ΣY = 1.9.
    min(X,Y,1-Y) = min(.2,.7) min(.6,.2) min(.7,.3) min(.1,.9) = .2 .2 .3 .1 -> Σ = .8.
    inclS = 1.6/2.1; PRI = (1.6-.8)/(2.1-.8) = .8/1.3; covS = 1.6/1.9."""
    got = sufficiency_measures(X, Y)
    assert got["inclS"] == pytest.approx(1.6 / 2.1)
    assert got["PRI"] == pytest.approx(0.8 / 1.3)
    assert got["covS"] == pytest.approx(1.6 / 1.9)


def test_necessity_by_hand():
    """inclN = Σmin/ΣY = 1.6/1.9; covN = 1.6/2.1;
    RoN = Σ(1-X)/Σ(1-min) = (.8+.4+.1+.6)/(.8+.4+.3+.9) = 1.9/2.4."""
    got = necessity_measures(X, Y)
    assert got["inclN"] == pytest.approx(1.6 / 1.9)
    assert got["covN"] == pytest.approx(1.6 / 2.1)
    assert got["RoN"] == pytest.approx(1.9 / 2.4)


def test_unique_coverage_by_hand():
    """T1 = (1,0,1,0), T2 = (0,0,1,1), Y = (1,1,1,0): union covers cases 1,3 -> Σmin = 2.
    covU(T1) = (2 - Σmin(T2,Y) = 1)/ΣY=3 = 1/3; covU(T2) = (2 - 2)/3 = 0."""
    t1, t2, y = np.array([1, 0, 1, 0.0]), np.array([0, 0, 1, 1.0]), np.array([1, 1, 1, 0.0])
    assert unique_coverage([t1, t2], y) == pytest.approx([1 / 3, 0.0])


def test_inclusion_of_expression_on_data():
    """A*~B + C on three cases: A=(1,.8,0) B=(0,.3,1) C=(0,.1,.6) ->
    A*~B = (1,.7,0), max with C = (1,.7,.6); Y=(1,.5,1): Σmin = 1+.5+.6 = 2.1, ΣX = 2.3."""
    frame = pd.DataFrame(
        {"A": [1, 0.8, 0], "B": [0, 0.3, 1], "C": [0, 0.1, 0.6], "Y": [1, 0.5, 1]},
        index=["p", "q", "r"],
    )
    got = inclusion(frame, "A*~B + C", "Y")
    assert got["inclS"] == pytest.approx(2.1 / 2.3)
    assert got["covS"] == pytest.approx(2.1 / 2.5)
    neg = inclusion(frame, "A*~B + C", "~Y", relation="necessity")
    # ~Y = (0, .5, 0): Σmin(X, ~Y) = .5; inclN = .5/.5
    assert neg["inclN"] == pytest.approx(1.0)


def test_calibration_logistic_by_hand():
    """e=2, c=5, i=8: x=6.5 -> (6.5-5)/(8-5)·ln(.95/.05) = .5·ln 19 -> 1/(1+19^-.5);
    x=3.5 -> -.5·ln 19 -> 1/(1+19^.5); x=c -> .5; x=i -> .95 exactly."""
    out = calibrate([6.5, 3.5, 5, 8, 2], [2, 5, 8])
    assert out[0] == pytest.approx(1 / (1 + 19**-0.5), abs=1e-12)
    assert out[1] == pytest.approx(1 / (1 + 19**0.5), abs=1e-12)
    assert out[2] == pytest.approx(0.5)
    assert out[3] == pytest.approx(0.95)
    assert out[4] == pytest.approx(0.05)
    dec = calibrate([6.5, 8], [8, 5, 2])  # decreasing: mirror image
    assert dec[0] == pytest.approx(1 - 1 / (1 + 19**-0.5))
    assert dec[1] == pytest.approx(0.05)


def test_calibration_crisp_and_errors():
    assert list(calibrate([1, 5, 6, 9], [5], "crisp")) == [0, 1, 1, 1]
    assert list(calibrate([1, 5, 6, 9], [8, 5], "crisp")) == [0, 1, 1, 2]
    with pytest.raises(QCAInputError, match="crossover"):
        calibrate([1, 2, 3], [1, 5, 3])
    with pytest.raises(QCAInputError, match="outside the range"):
        calibrate([1, 2, 3], [7], "crisp")
    with pytest.raises(ValueError, match="not numeric"):
        calibrate(["1", "x"], [1, 2, 3])


def test_expressions_parse_and_print():
    e = parse_expr("A*~B + C", ["A", "B", "C"])
    assert str(e) == "A*~B + C"
    assert str(parse_expr("DEV{2}*~URB")) == "DEV[2]*~URB"
    with pytest.raises(QCAInputError, match="known conditions: A, B"):
        parse_expr("A*Z", ["A", "B"])
    with pytest.raises(KadError):
        parse_expr("A**B")
    assert issubclass(QCAInputError, ValueError)


def test_multi_value_membership_and_minimisation():
    """DEV in {0,1,2}: DEV[2] holds for the cases at level 2 only; Y = DEV[2] + URB."""
    frame = pd.DataFrame(
        {"DEV": [0, 1, 2, 2, 0, 1], "URB": [0, 0, 0, 1, 1, 1], "Y": [0, 0, 1, 1, 1, 1]},
        index=list("abcdef"),
    )
    assert inclusion(frame, "DEV[2]", "Y")["inclS"] == 1.0
    assert inclusion(frame, "DEV[0,1]", "Y")["inclS"] == pytest.approx(2 / 4)
    sol = minimize(frame, "Y", ["DEV", "URB"], solution="parsimonious")
    assert {frozenset(m.terms) for m in sol.models} == {frozenset({"DEV[2]", "URB[1]"})}


def test_truth_table_half_membership_and_contradictions():
    """Case 'h' sits at 0.5 on A: it is in no row and is reported.
    Rows: A=1 (cases p, q): incl = Σmin(A,Y)/ΣA over all cases."""
    frame = pd.DataFrame(
        {"A": [0.9, 0.8, 0.2, 0.5], "Y": [0.9, 0.4, 0.1, 0.7]}, index=["p", "q", "r", "h"]
    )
    with pytest.warns(UserWarning, match="exactly 0.5"):
        tt = truth_table(frame, "Y", ["A"], incl_cut=[0.9, 0.7])
    assert tt.zero_five_cases == ["h"]
    row1 = tt.rows.loc[2]  # A = 1
    # Σmin(A,Y) = .9+.4+.1+.5 = 1.9; ΣA = .9+.8+.2+.5 = 2.4 -> .7917: contradiction band
    assert row1["incl"] == pytest.approx(1.9 / 2.4)
    assert row1["OUT"] == "C" and row1["n"] == 2 and row1["cases"] == ["p", "q"]
    row0 = tt.rows.loc[1]  # ~A = (.1,.2,.8,.5); Σmin(~A,Y) = .1+.2+.1+.5 = .9; Σ~A = 1.6
    assert row0["incl"] == pytest.approx(0.9 / 1.6) and row0["OUT"] == "0"


def test_negated_outcome_and_bad_inputs():
    frame = pd.DataFrame({"A": [1, 0, 1], "Y": [0, 1, 0]}, index=["a", "b", "c"])
    tt = truth_table(frame, "~Y", ["A"])
    assert tt.outcome == "~Y" and list(tt.rows["OUT"]) == ["0", "1"]
    bad = frame.assign(A=[1, 1.5, 0])
    with pytest.raises(QCAInputError, match=r"column 'A', row 'b'.*calibrate"):
        truth_table(bad, "Y", ["A"])
    with pytest.raises(QCAInputError, match="missing value"):
        truth_table(frame.assign(A=[1, np.nan, 0]), "Y", ["A"])
    with pytest.raises(QCAInputError, match="duplicate case"):
        truth_table(frame.set_axis(["a", "a", "c"]), "Y", ["A"])
    with pytest.raises(QCAInputError, match="empty"):
        truth_table(frame.iloc[:0], "Y", ["A"])
    with pytest.raises(QCAInputError, match="no column 'Z'"):
        truth_table(frame, "Y", ["Z"])


def test_results_objects():
    frame = pd.DataFrame(
        {"A": [1, 1, 0, 0], "B": [1, 0, 1, 0], "Y": [1, 1, 0, 0]}, index=list("wxyz")
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sol = minimize(frame, "Y", ["A", "B"], solution="parsimonious")
    assert sol.terms == ["A"] and sol.cases == {"A": ["x", "w"]}  # truth table row order
    text = sol.summary()
    assert "M1: A -> Y" in text and "1.000" in text
    d = sol.to_dict()
    assert set(d) >= {"outcome", "conditions", "solution_type", "models"}
    assert set(d["models"][0]) >= {"terms", "inclS", "PRI", "covS", "term_measures"}
    assert list(sol.to_frame().columns)[:2] == ["model", "term"]
    assert math.isclose(d["models"][0]["covS"], 1.0)
    with pytest.raises(QCAInputError, match="directional expectations"):
        minimize(frame, "Y", ["A", "B"], solution="intermediate")
    with pytest.raises(QCAInputError, match="malformed"):
        minimize(frame, "Y", ["A", "B"], solution="intermediate", dir_exp="A1")
