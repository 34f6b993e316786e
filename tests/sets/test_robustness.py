"""Sensitivity ranges and the robustness test, against values worked out by hand."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kadstudy.sets import (
    Calibration,
    QCAInputError,
    Specification,
    evaluate,
    robustness_test,
    sensitivity,
    set_memberships,
)
from kadstudy.sets.robustness import (
    absorb,
    canonical_term,
    expression_and,
    expression_or,
    expression_text,
    spec_result,
)

# ---------------------------------------------------------------------------- a small crisp table
#
# Four configurations of A and B, 14 cases (crisp, so PRI = incl: min(y, 1 - y) = 0):
#   row A=1,B=1: 4 cases, Y = 1,1,1,1   -> n 4, incl 4/4 = 1.0
#   row A=1,B=0: 5 cases, Y = 1,1,1,1,0 -> n 5, incl 4/5 = 0.8
#   row A=0,B=1: 2 cases, Y = 1,0       -> n 2, incl 1/2 = 0.5
#   row A=0,B=0: 3 cases, Y = 0,0,0     -> n 3, incl 0/3 = 0.0
ROWS = [((1, 1), [1, 1, 1, 1]), ((1, 0), [1, 1, 1, 1, 0]), ((0, 1), [1, 0]), ((0, 0), [0, 0, 0])]


def crisp_table() -> pd.DataFrame:
    records, names = [], []
    for (a, b), ys in ROWS:
        for k, y in enumerate(ys):
            records.append({"A": a, "B": b, "Y": y})
            names.append(f"r{a}{b}_{k}")
    return pd.DataFrame(records, index=names)


def spec(**kw) -> Specification:
    base = {"outcome": "Y", "conditions": ("A", "B"), "incl_cut": 0.75}
    base.update(kw)
    return Specification(**base)


def test_sensitivity_incl_cut_by_hand():
    """incl_cut 0.75: positive rows are those with incl >= 0.75, {11 (1.0), 10 (0.8)}; the
    conservative solution is A*B + A*~B = A. Breakpoints are the rows' incl values 0, 0.5, 0.8, 1:
      incl_cut in (0.8, 1]   -> positive {11}         -> A*B       (different: 'above')
      incl_cut in (0.5, 0.8] -> positive {11, 10}     -> A         (the initial solution)
      incl_cut in (0, 0.5]   -> positive {11, 10, 01} -> A + B     (different: 'below')
    so the exact range is (0.5, 0.8]: 0.5 excluded (row 01 becomes positive), 0.8 included.
    On the 0.01 grid from 0.75: 0.76 .. 0.80 keep A, 0.81 does not -> grid_high 0.80; 0.74 .. 0.51
    keep A, 0.50 admits row 01 -> grid_low 0.51."""
    res = sensitivity(crisp_table(), spec(), parameters=["incl_cut"])
    assert res.initial.text == "A"
    (r,) = res.ranges
    assert (r.low, r.high, r.low_open, r.high_open, r.exact) == (0.5, 0.8, True, False, True)
    assert r.format(3) == "(0.500, 0.800]"
    assert r.below == "A + B"
    assert r.above == "A*B"
    assert r.grid_low == pytest.approx(0.51)
    assert r.grid_high == pytest.approx(0.80)


def test_sensitivity_n_cut_by_hand():
    """Row sizes are 2, 3, 4, 5. Conservative (positives only): n_cut 1..4 keep rows 11 and 10
    (n 4 and 5) -> A; n_cut 5 drops row 11 (n 4) to a remainder -> A*~B. Range [1, 4].
    Parsimonious: n_cut 1, 2: negatives 01, 00 -> A. n_cut 3: row 01 (n 2) is a remainder, the
    only negative is 00 -> still A (B would cover 01 but is not needed). n_cut 4: row 00 (n 3) is
    a remainder too, no negative row is left -> the solution is 1. Range [1, 3]."""
    res = sensitivity(crisp_table(), spec(), parameters=["n_cut"])
    (r,) = res.ranges
    assert (r.low, r.high, r.exact) == (1, 4, True)
    assert r.above == "A*~B"
    assert r.below is None and r.limit_low == "admissible minimum"
    assert (r.grid_low, r.grid_high) == (1, 4)
    res = sensitivity(crisp_table(), spec(solution="parsimonious"), parameters=["n_cut"])
    (r,) = res.ranges
    assert (r.low, r.high) == (1, 3)
    assert r.above == "1 (no negative truth table row)"


def test_sensitivity_pri_cut_by_hand():
    """Rows passing n_cut and incl_cut: 11 (PRI 1.0) and 10 (PRI 0.8). pri_cut in [0, 0.8] keeps
    both -> A; in (0.8, 1] only 11 -> A*B. Range [0, 0.8], nothing below 0."""
    (r,) = sensitivity(crisp_table(), spec(), parameters=["pri_cut"]).ranges
    assert (r.low, r.high, r.low_open, r.high_open) == (0.0, 0.8, False, False)
    assert r.above == "A*B" and r.below is None


def test_sensitivity_crisp_threshold_by_hand():
    """A crisp condition C = (R >= t), t = 5, with A binary:
        case  A  R  Y    C at t=5
        c1    1  9  1    1
        c2    1  7  1    1
        c3    1  3  0    0
        c4    0  6  0    1
        c5    0  1  0    0
    incl_cut 1: row A=1,C=1 (c1, c2) has incl 1, every other row 0 -> A*C.
    t moves C only when it passes a raw value (1, 3, 6, 7, 9; calibrate admits t in [1, 9]):
      t in (3, 6]: C = c1, c2, c4 (the initial calibration) -> A*C
      t in (6, 7]: C = c1, c2 -> row 11 still c1, c2 -> A*C
      t in (7, 9]: C = c1 -> row 11 is c1 (incl 1), row 10 is c2, c3 (incl .5) -> A*C
      t in (1, 3]: C = c1..c4 -> row 11 is c1, c2, c3 (incl 2/3 < 1): no positive row
    so the exact range is (3, 9] and the solution below it is 'no solution'. The grid step is
    (9 - 1) / 50 = 0.16: 5 + 25 * 0.16 = 9 is the last value up; 5 - 12 * 0.16 = 3.08 the last
    down (3.08 - 0.16 = 2.92 <= 3)."""
    data = pd.DataFrame({"A": [1, 1, 1, 0, 0], "R": [9, 7, 3, 6, 1], "Y": [1, 1, 0, 0, 0]},
                        index=["c1", "c2", "c3", "c4", "c5"])
    s = Specification("Y", ("A", "C"), incl_cut=1.0,
                      calibrate={"C": Calibration("R", (5,), "crisp")})
    res = sensitivity(data, s, parameters=["calibrate.C.threshold1"])
    assert res.initial.text == "A*C"
    (r,) = res.ranges
    assert (r.low, r.high, r.low_open, r.high_open, r.exact) == (3.0, 9.0, True, False, True)
    assert r.below.startswith("no solution")
    assert r.above is None
    assert r.step == pytest.approx(0.16)
    assert r.grid_high == pytest.approx(9.0)
    assert r.grid_low == pytest.approx(3.08)


def fuzzy_data() -> tuple[pd.DataFrame, Specification]:
    """One fuzzy condition C from raw R = 2, 4, 6, 8 (anchors 0, 5, 10), Y = 0, 0, 1, 1."""
    data = pd.DataFrame({"R": [2.0, 4.0, 6.0, 8.0], "Y": [0, 0, 1, 1]}, index=["p", "q", "r", "s"])
    s = Specification("Y", ("C",), incl_cut=0.5,
                      calibrate={"C": Calibration("R", (0.0, 5.0, 10.0), "fuzzy")})
    return data, s


def test_sensitivity_fuzzy_anchors_by_hand():
    """C is increasing in R, so whatever the anchors, the cases with Y = 1 (R 6, 8) have the
    larger memberships and the row C=1 has incl = Σmin(C, Y)/ΣC = (C6 + C8)/(C2 + C4 + C6 + C8)
    > 0.5, the row C=0 incl (2 - C6 - C8)/Σ(1 - C) < 0.5: the solution is C while row C=1 holds a
    case. Moving the crossover c:
      * up: at c = 8 the last case (R 8) has membership exactly 0.5 and leaves every row, so no
        row is positive: the range ends just below 8 (bisection to step/1024);
      * down: every case ends up in row C=1, still positive and the only row: still C; the scan
        stops at the admissible minimum (c > exclusion 0). Step (8 - 2)/50 = 0.12, so the last
        grid value is 5 - 41 * 0.12 = 0.08.
    The exclusion and inclusion anchors never move a case across 0.5, so they never change the
    solution: inclusion scans down to 5 + 0.12 * 1 ... 5.08 (> crossover) and up 100 steps to 22;
    exclusion up to 4.92 (< crossover) and down 100 steps to -12."""
    data, s = fuzzy_data()
    res = sensitivity(data, s, parameters=["calibrate.C.exclusion", "calibrate.C.crossover",
                                           "calibrate.C.inclusion"])
    assert res.initial.text == "C"
    exc, cross, inc = res.ranges
    assert not cross.exact
    assert 8 - 0.12 / 1024 <= cross.high < 8
    assert cross.above.startswith("no solution")
    assert cross.low == pytest.approx(0.08) and cross.below is None
    assert cross.limit_low == "admissible minimum"
    assert (inc.low, inc.high) == (pytest.approx(5.08), pytest.approx(22.0))
    assert inc.limit_high == "100 steps scanned" and inc.limit_low == "admissible minimum"
    assert (exc.low, exc.high) == (pytest.approx(-12.0), pytest.approx(4.92))


def test_sensitivity_parameters_checked():
    with pytest.raises(QCAInputError, match=r"unknown sensitivity parameter 'calibrate\.X\.crossover'"):
        sensitivity(crisp_table(), spec(), parameters=["calibrate.X.crossover"])


# ---------------------------------------------------------------------------- Boolean expressions

LEVELS = {"A": 2, "B": 2, "C": 2, "DEV": 3}
CONDS = ["A", "B", "C", "DEV"]


def sop(text: str):
    return tuple(canonical_term(t, CONDS, LEVELS) for t in text.split(" + "))


def test_expression_algebra_by_hand():
    """(A + B)(~A + C) = A*~A + A*C + ~A*B + B*C = A*C + ~A*B + B*C (A*~A = 0; B*C is not absorbed).
    (A + B)*A = A + A*B = A. A*B + A = A. DEV[1,2]*DEV[2] = DEV[2]; DEV[0]*DEV[1] = 0."""
    text = lambda terms: expression_text(terms, LEVELS)  # noqa: E731
    assert text(expression_and(sop("A + B"), sop("~A + C"), CONDS)) == "A*C + ~A*B + B*C"
    assert text(expression_and(sop("A + B"), sop("A"), CONDS)) == "A"
    assert text(expression_or(sop("A*B"), sop("A"), CONDS)) == "A"
    assert text(expression_and(sop("DEV[1,2]"), sop("DEV[2]"), CONDS)) == "DEV[2]"
    assert text(expression_and(sop("DEV[0]"), sop("DEV[1]"), CONDS)) == "0"
    assert canonical_term("A*~A", CONDS, LEVELS) is None
    assert canonical_term("~DEV[0]", CONDS, LEVELS) == (("DEV", (1, 2)),)
    assert text(absorb(sop("B*A + A*B + ~C"), CONDS)) == "~C + A*B"
    assert expression_and(sop("A + B"), sop("C + ~C"), CONDS, max_terms=3) is None


# ---------------------------------------------------------------------------- robustness test


def test_robust_core_and_envelope_by_hand():
    """IS: incl_cut .75 -> A. Tests: incl_cut .9 -> A*B; incl_cut .4 -> A + B.
    TS_min = A*B * (A + B) = A*B; RC = A * A*B = A*B; TS_max = A*B + A + B = A + B;
    ENV = A + A + B = A + B.
    Memberships are crisp: IS = rows 11, 10 (9 cases, 8 with Y); RC = row 11 (4 cases, all Y);
    ΣY = 4 + 4 + 1 = 9. inclS(IS) = 8/9, covS(IS) = 8/9, inclS(RC) = 1, covS(RC) = 4/9.
    RF_cov = (4/9)/(8/9) = 1/2; RF_cons = (8/9)/1 = 8/9;
    RF_SC_minTS = Σmin(A, AB)/Σmax(A, AB) = 4/9; RF_SC_maxTS = Σmin(A, A+B)/Σmax(A, A+B) = 9/11.
    Case types: IS*TS_min = AB (row 11): robust typical 4, robust deviant 0;
    IS*~TS_min = A*~B (row 10): shaky typical 4, shaky deviant 1;
    ~IS*TS_max = ~A*B (row 01): possible typical 1, possible deviant 1;
    ~IS*~TS_max = ~A*~B (row 00): extreme deviant coverage 0, irrelevant 3.
    RCR_typ = 4/(4 + 4 + 1); RCR_dev = 0/(0 + 1 + 1) = 0; shaky and possible cases -> RCC_rank 4."""
    data = crisp_table()
    s = spec()
    res = robustness_test(data, s, [s.with_incl_cut(0.9), s.with_incl_cut(0.4)])
    assert res.expressions == {"IS": "A", "TS_min": "A*B", "TS_max": "A + B", "RC": "A*B",
                               "ENV": "A + B"}
    assert res.fit["RF_cov"] == pytest.approx(0.5)
    assert res.fit["RF_cons"] == pytest.approx(8 / 9)
    assert res.fit["RF_SC_minTS"] == pytest.approx(4 / 9)
    assert res.fit["RF_SC_maxTS"] == pytest.approx(9 / 11)
    counts = {k: len(v) for k, v in res.case_types.items()}
    assert counts == {"robust typical": 4, "robust deviant": 0, "shaky typical": 4,
                      "shaky deviant": 1, "possible typical": 1, "possible deviant": 1,
                      "extreme deviant coverage": 0, "irrelevant": 3}
    assert res.robust_typical == ["r11_0", "r11_1", "r11_2", "r11_3"]
    assert res.case_types["shaky deviant"] == ["r10_4"]
    assert res.case_types["possible deviant"] == ["r01_1"]
    assert res.case_ratios == {"RCR_typ": pytest.approx(4 / 9), "RCR_dev": 0.0, "RCC_rank": 4.0}
    fit = res.fit_frame().set_index("set")
    assert fit.loc["RC", "covS"] == pytest.approx(4 / 9)
    assert fit.loc["IS", "inclS"] == pytest.approx(8 / 9)
    specs = res.specs_frame()
    assert list(specs["solution"]) == ["A", "A*B", "A + B"]
    assert list(specs["changes"]) == ["-", "incl_cut 0.9", "incl_cut 0.4"]
    cases = res.cases_frame().set_index("type")
    assert cases.loc["shaky typical", "intersection"] == "IS*~TS_min and Y"
    fig = res.figure()
    assert fig.axes[0].get_xlabel().startswith("membership in the initial solution")


def test_case_selection_evaluated_on_the_initial_cases():
    """Dropping the one case of row 10 without Y makes row 10 fully consistent (incl 1), so at
    incl_cut .9 the test solution is A; it is evaluated on all 14 initial cases. Two test
    solutions A*B (incl_cut .9, all cases) and A: TS_min = A*B, TS_max = A, RC = A*B, ENV = A."""
    s = spec()
    res = robustness_test(crisp_table(), s, [s.with_incl_cut(0.9),
                                             replace(s.with_incl_cut(0.9), drop=("r10_4",))])
    assert [t.n_cases for t in res.tests] == [14, 13]
    assert res.tests[1].text == "A"
    assert len(res.memberships) == 14
    assert res.expressions["RC"] == "A*B" and res.expressions["TS_max"] == "A"


def test_no_solution_is_the_empty_set():
    """incl_cut 1 admits row 11 only: A*B. A test with n_cut 6 has no
    observed row of 6 cases: no positive row, the empty solution (0): TS_min = RC = 0."""
    s = spec(incl_cut=1.0)
    res = robustness_test(crisp_table(), s, [replace(s, n_cut=6)])
    assert res.tests[0].status == "none"
    assert res.expressions["RC"] == "0"
    assert res.memberships["RC"].sum() == 0
    assert res.fit["RF_cov"] == 0.0
    assert math.isnan(res.fit["RF_cons"])


def test_test_set_must_keep_outcome_and_conditions():
    s = spec()
    with pytest.raises(QCAInputError, match="changes the outcome or the conditions"):
        robustness_test(crisp_table(), s, [replace(s, conditions=("A",))])
    with pytest.raises(QCAInputError, match="test set is empty"):
        robustness_test(crisp_table(), s, [])


def test_results_do_not_depend_on_jobs():
    data = crisp_table()
    s = spec(solution="parsimonious")
    tests = [s.with_incl_cut(v) for v in (0.4, 0.6, 0.85, 0.95)] + [replace(s, n_cut=3)]
    one = robustness_test(data, s, tests, jobs=1)
    two = robustness_test(data, s, tests, jobs=2)
    assert one.expressions == two.expressions
    assert one.fit == two.fit
    assert one.case_types == two.case_types
    pd.testing.assert_frame_equal(one.memberships, two.memberships)
    assert sensitivity(data, s, jobs=2).to_frame().equals(sensitivity(data, s).to_frame())


def test_calibrations_in_specifications():
    """Set memberships follow the specification: C = (R >= 5) for the crisp case of the
    threshold test, and a fuzzy calibration at anchors 0, 5, 10 gives 0.5 at R = 5."""
    data = pd.DataFrame({"R": [9.0, 5.0, 1.0], "Y": [1, 0, 0]}, index=["x", "y", "z"])
    crisp = Specification("Y", ("C",), calibrate={"C": Calibration("R", (5,), "crisp")})
    assert list(set_memberships(data, crisp)["C"]) == [1.0, 1.0, 0.0]
    fuzzy = crisp.with_thresholds("C", (0, 5, 10))
    fuzzy = replace(fuzzy, calibrate={"C": Calibration("R", (0, 5, 10), "fuzzy")})
    assert set_memberships(data, fuzzy).loc["y", "C"] == pytest.approx(0.5)
    with pytest.raises(QCAInputError, match="not calibrated"):
        crisp.with_thresholds("Y", (1,))
    assert set_memberships(data, replace(fuzzy, select={"Y": [1]})).index.tolist() == ["x"]
    assert set_memberships(data, replace(fuzzy, drop=("x",))).index.tolist() == ["y", "z"]


# ---------------------------------------------------------------------------- properties

crisp_rows = st.lists(st.tuples(st.integers(0, 1), st.integers(0, 1), st.integers(0, 1),
                                st.integers(0, 1)), min_size=4, max_size=24)
cuts = st.sampled_from([0.3, 0.5, 0.6, 0.75, 0.8, 0.9, 1.0])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(crisp_rows, cuts, st.lists(cuts, min_size=1, max_size=4),
       st.sampled_from(["conservative", "parsimonious"]))
def test_core_is_envelope_property(rows, cut, test_cuts, kind):
    """RC ⊆ IS ⊆ ENV case by case; on crisp data the simplified Boolean expressions have the
    same memberships as the minimum/maximum of the solutions; RF_cov <= 1; the robust core and
    the envelope are what every / any specification finds."""
    data = pd.DataFrame(rows, columns=["A", "B", "C", "Y"], index=[f"c{i}" for i in range(len(rows))])
    s = Specification("Y", ("A", "B", "C"), incl_cut=cut, solution=kind)
    if spec_result(data, s).status != "ok":
        return
    res = robustness_test(data, s, [s.with_incl_cut(c) for c in test_cuts])
    m = res.memberships
    assert (m["RC"] <= m["IS"]).all() and (m["IS"] <= m["ENV"]).all()
    assert (m["TS_min"] <= m["TS_max"]).all()
    frame = data[["A", "B", "C"]]
    for name in ("TS_min", "TS_max", "RC", "ENV", "IS"):
        expr = res.expressions[name]
        expected = np.full(len(frame), float(expr)) if expr in ("0", "1") else evaluate(frame, expr)
        np.testing.assert_array_equal(expected, m[name].to_numpy(), err_msg=name)
    assert res.fit["RF_cov"] <= 1 + 1e-12 or math.isnan(res.fit["RF_cov"])
    assert 0 <= res.fit["RF_SC_minTS"] <= 1 or math.isnan(res.fit["RF_SC_minTS"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(crisp_rows, cuts, st.sampled_from(["conservative", "parsimonious"]))
def test_grid_range_inside_exact_range(rows, cut, kind):
    """The grid scan is a cross-check of the exact ranges: every grid value it keeps lies in
    the exact range, and the next grid step would leave it (or the scan hit the limit)."""
    data = pd.DataFrame(rows, columns=["A", "B", "C", "Y"], index=[f"c{i}" for i in range(len(rows))])
    s = Specification("Y", ("A", "B", "C"), incl_cut=cut, solution=kind)
    for r in sensitivity(data, s).ranges:
        lo_ok = r.grid_low > r.low - 1e-9 if r.low_open else r.grid_low >= r.low - 1e-9
        assert lo_ok, r
        assert r.grid_high <= r.high + 1e-9, r
        if r.above is not None:
            assert r.grid_high + r.step > r.high - 1e-9 or r.high_open, r
        if r.below is not None:
            assert r.grid_low - r.step <= r.low + 1e-9, r


# ---------------------------------------------------------------------------- the qca analysis kind

QCA_SPEC = """kind: qca
title: Synthetic QCA with robustness
dataset: synqca
outcome: y
conditions: [a, b]
incl_cut: 0.8
solutions: [conservative, parsimonious]
sensitivity: {parameters: [incl_cut, n_cut]}
robustness:
  - {label: lower cut, incl_cut: 0.7}
  - {label: domestic only, select: {scope: domestic}}
clusters: scope
case_types: true
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from tests.pipeline.synthetic import make_project

    return make_project(tmp_path, monkeypatch)


def test_qca_kind_sections(project, capsys):
    """The synthetic forums f1..f7 (f8 lacks a). a*b = 1, .67, .67, 0 (f1..f4, domestic, y 1 1 1 0)
    and 0, .33, 0 (f5..f7, foreign, y 0). Between consistency: domestic Σmin(ab, y) = 2.34 over
    Σab = 2.34 -> 1; foreign 0 / .33 -> 0. Pooled 2.34 / 2.67. dBP: shares 1 and 0 against 1/2
    each -> sqrt(.25 + .25) = .7071. Case types: f1, f2, f3 typical, f4 .. f7 irrelevant.
    The row a=1,b=1 has incl 2.34/2.67 = .876, the others .2 or 0: incl_cut .7 changes nothing,
    so RF_cov = RF_cons = 1; among the domestic cases only, the same solution (a*b)."""
    from tests.conftest import run_cli as kad

    (project / "analyses" / "q.yaml").write_text(QCA_SPEC, encoding="utf-8")
    code, _, err = kad(["run"], capsys)
    assert code == 0, err
    tables = project / "reports" / "q" / "tables"
    dist = pd.read_csv(tables / "cluster_distances.csv")
    assert dist["dBP"].tolist() == pytest.approx([0.5**0.5] * 2, abs=1e-6)
    assert dist["pooled consistency"].tolist() == pytest.approx([2.34 / 2.67] * 2, abs=1e-3)
    diag = pd.read_csv(tables / "cluster_diagnostics.csv")
    between = diag[(diag["level"] == "between") & (diag["solution type"] == "conservative")]
    assert dict(zip(between["group"], between["consistency"], strict=True)) == {
        "domestic": pytest.approx(1.0), "foreign": pytest.approx(0.0)}
    types = pd.read_csv(tables / "case_types.csv")
    sol = types[(types["solution type"] == "conservative") & (types["term"] == "solution")]
    assert dict(zip(sol["type"], sol["cases"], strict=True)) == {
        "typical": "f1, f2, f3", "individually irrelevant": "f4, f5, f6, f7"}
    fit = pd.read_csv(tables / "robustness_fit.csv")
    cons = fit[fit["solution type"] == "conservative"].set_index("parameter")["value"]
    assert cons["RF_cov"] == pytest.approx(1.0) and cons["RF_cons"] == pytest.approx(1.0)
    specs = pd.read_csv(tables / "robustness_specifications.csv")
    assert specs["conservative solution"].tolist() == ["a*b"] * 3
    assert specs["cases"].tolist() == [7, 7, 4]
    sens = pd.read_csv(tables / "sensitivity.csv")
    row = sens[(sens["solution type"] == "conservative") & (sens["parameter"] == "incl_cut")].iloc[0]
    assert row["range"] == "(0.199, 0.876]"  # .33/1.66 = .199: rows 10 and 01
    assert (project / "reports" / "q" / "figures" / "robustness_conservative.svg").exists()
    page = (project / "reports" / "q" / "report.html").read_text(encoding="utf-8")
    for heading in ("Sensitivity ranges", "Robustness test", "Cluster diagnostics", "Case types"):
        assert f"<h2>{heading}</h2>" in page


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("robustness: [{label: x}]", "key 'robustness': expected a list of alternative specifications"),
        ("robustness: [{incl_cut: 2}]", "(item 1: incl_cut a number in [0, 1]"),
        ("robustness: [{nope: 1}]", "(item 1: unknown key 'nope'"),
        ("sensitivity: maybe", "key 'sensitivity': expected true, false or a mapping"),
        ("clusters: [scope]", "key 'clusters': expected a variable name"),
        ("case_types: yes please", "key 'case_types': expected true or false"),
        ("clusters: nowhere", "key 'clusters': unknown variable 'nowhere'"),
        ("robustness: [{calibrate: {a: [1, 2, 3]}}]", "item 1: 'a' is not calibrated"),
        ("robustness: [{drop: [f1, f99]}]", "item 1: unknown case 'f99' in drop"),
        ("sensitivity: {parameters: [incl_cut, calibrate.a.crossover]}",
         "key 'sensitivity': unknown sensitivity parameter 'calibrate.a.crossover'"),
    ],
)
def test_qca_kind_option_errors(project, capsys, line, message):
    from tests.conftest import run_cli as kad

    text = QCA_SPEC.split("sensitivity:")[0] + line + "\n"
    (project / "analyses" / "q.yaml").write_text(text, encoding="utf-8")
    code, _, err = kad(["run"], capsys)
    assert code != 0  # 2 for a schema error, 1 for a build that stops on a one-line error
    assert message in err, err
    assert "q.yaml" in err
    assert len([ln for ln in err.splitlines() if ln.strip()]) == 1, err
    assert not (project / "reports" / "q").exists()


def test_figure_is_the_xy_plot_of_the_plot_module():
    """RobustnessResult.figure() draws with kadstudy.sets.plot.robustness_xy_plot (one
    implementation): the same SVG. As above, IS = A, TS_min = A*B, TS_max = A + B. Case r10_0
    (A = 1, B = 0, Y = 1) is in IS, so y = TS_min = 0: a filled point at (1, 0); r01_0 (A = 0,
    B = 1, Y = 1) is not, so y = TS_max = 1: a filled point at (0, 1)."""
    from matplotlib.figure import Figure

    from kadstudy.report.render import figure_bytes
    from kadstudy.sets.plot import robustness_xy_plot

    s = spec()
    res = robustness_test(crisp_table(), s, [s.with_incl_cut(0.9), s.with_incl_cut(0.4)])
    ax = Figure(figsize=(6, 6)).subplots()
    assert robustness_xy_plot(res, ax=ax, title="T") is ax
    assert figure_bytes(res.figure(title="T"))[1] == figure_bytes(ax.figure)[1]
    filled = {tuple(p) for p in res.figure().axes[0].collections[1].get_offsets().tolist()}
    assert (1.0, 0.0) in filled and (0.0, 1.0) in filled
