"""Theory evaluation against SetMethods' own output (the oracle), stored as data in
``tests/data/theory_setmethods_LF.json`` with the versions that produced it: the fuzzy Lipset
data (LF), the parsimonious solution DEV*~IND + URB*STB at incl.cut 0.8, theory DEV*STB."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kadstudy.sets import minimize, truth_table
from kadstudy.sets.exclude import expression_rows
from kadstudy.sets.theory import CASE_GROUPS, theory_evaluation

ORACLE = json.loads((Path(__file__).resolve().parents[1] / "data" / "theory_setmethods_LF.json")
                    .read_text(encoding="utf-8"))
SETMETHODS_ROWS = {"Sol.Formula": "S", "Theory": "T"}


@pytest.fixture(scope="module")
def evaluation(qca_benchmarks: Path):
    lf = pd.read_csv(qca_benchmarks / "data" / "LF.csv", index_col="case", keep_default_na=False)
    sol = minimize(truth_table(lf, "SURV", incl_cut=0.8), solution="parsimonious")
    assert sol.models[0].expression == ORACLE["solution"]
    return lf, theory_evaluation(lf, ORACLE["theory"], sol)


def test_fit_matches_setmethods(evaluation):
    _, te = evaluation
    for name, want in ORACLE["fit"].items():
        got = te.fit.loc[SETMETHODS_ROWS.get(name, name)]
        for key in ("inclS", "PRI", "covS"):
            assert got[key] == pytest.approx(want[key], abs=6e-4), (name, key)


def test_memberships_match_setmethods(evaluation):
    _, te = evaluation
    cols = SETMETHODS_ROWS
    for case, row in ORACLE["memberships"].items():
        for col, want in row.items():
            assert te.memberships.at[case, cols.get(col, col)] == pytest.approx(want, abs=0.0051), (case, col)


def test_cases_match_setmethods(evaluation):
    _, te = evaluation
    assert {k for k, _, _ in CASE_GROUPS} == set(ORACLE["groups"])
    for key, want in ORACLE["groups"].items():
        assert sorted(te.cases[key]) == sorted(want["cases"]), key


def test_expressions_equivalent_to_setmethods(evaluation):
    """SetMethods' expressions need not be minimal; they must be the same Boolean functions."""
    _, te = evaluation
    conds = ["DEV", "URB", "LIT", "IND", "STB"]
    by_inter = {inter: ORACLE["groups"][key]["expression"] for key, inter, _ in CASE_GROUPS}
    for inter, theirs in by_inter.items():
        ours = te.expressions[inter]
        assert expression_rows(ours, conds, [2] * 5) == expression_rows(theirs, conds, [2] * 5), inter
    assert np.all(te.memberships["T*S"] <= te.memberships["T"] + 1e-12)
