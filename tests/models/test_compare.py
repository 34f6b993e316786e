"""The comparison of QCA, regression and clustering on a crisp example worked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kadstudy.models import compare


@pytest.fixture
def crisp() -> pd.DataFrame:
    """y = a AND b on all four configurations (two cases each); c is noise; g is not a set."""
    a = [1, 1, 1, 1, 0, 0, 0, 0]
    b = [1, 1, 0, 0, 1, 1, 0, 0]
    return pd.DataFrame({"a": a, "b": b, "c": [1, 0, 1, 0, 1, 0, 1, 0],
                         "y": [int(x and z) for x, z in zip(a, b, strict=True)],
                         "g": [1, 2, 3, 4, 5, 6, 7, 8]},
                        index=[f"k{i}" for i in range(8)])


def test_qca_view_by_hand(crisp):
    """Every configuration is observed; a*b is the only row with y = 1 (c varies within it, so
    c drops out of the parsimonious solution): a*b -> y. Necessity: y is inside a and b (inclN 1);
    inside c for one of its two cases (inclN 0.5)."""
    view = compare.qca_view(crisp, "y", ["a", "b", "c", "g"], incl_cut=1.0)
    assert view.terms == ["a*b"] and view.expression == "a*b"
    assert view.necessity.loc["a", "inclN"] == 1.0 and view.necessity.loc["b", "inclN"] == 1.0
    assert view.necessity.loc["c", "inclN"] == 0.5
    assert view.necessity.loc["a", "inclN_negated"] == 0.0
    assert view.terms_with("a") == ["a*b (present)"] and view.terms_with("c") == []
    assert any("'g' is not a set" in n for n in view.notes)
    assert view.memberships["a*b"].tolist() == [1, 1, 0, 0, 0, 0, 0, 0]


def test_qca_view_says_why_there_is_no_solution(crisp):
    thin = crisp.copy()
    thin.loc[thin.index[1:], "a"] = np.nan
    view = compare.qca_view(thin, "y", ["a", "b"])
    assert view.terms == [] and any("Only 1 case(s)" in n for n in view.notes)


def test_comparison_table(crisp):
    view = compare.qca_view(crisp, "y", ["a", "b", "c"], incl_cut=1.0)
    reg = pd.DataFrame({"OR": [4.0, 0.5], "OR_low": [1.5, 0.1], "OR_high": [12.0, 2.0],
                        "p": [0.01, 0.4]}, index=pd.Index(["a", "c"], name="term"))
    prof = pd.DataFrame({"cluster 1": [0.9, 0.2], "cluster 2": [0.1, 0.3], "all": [0.5, 0.25],
                         "spread": [0.8, 0.1]}, index=["a", "b"])
    table = compare.comparison_table(["a", "b", "c"], qca=view, regression=reg,
                                     regression_label="multivariable Firth", profiles=prof)
    assert list(table.index) == ["a", "b", "c"]
    assert table.loc["a", "QCA solution terms"] == "a*b (present)"
    assert table.loc["c", "QCA solution terms"] == "(not in the solution)"
    # interval bounds with 3 significant digits (kadstudy.numbers)
    assert table.loc["a", "OR"] == 4.0 and table.loc["a", "OR 95% CI"] == "1.50 to 12.0"
    assert np.isnan(table.loc["b", "OR"]) and table.loc["b", "regression"] == ""
    assert table.loc["a", "cluster means"] == "1: 0.90; 2: 0.10"
    assert table.loc["b", "cluster spread"] == pytest.approx(0.1)
    assert table.loc["c", "cluster means"] == ""
