"""super_subset (R QCA's superSubset()): against a brute-force oracle, by hand, against the
examples printed in R QCA's documentation, and through the command line."""

from __future__ import annotations

import itertools
import json
import math
import time

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kadstudy.sets import (
    QCAInputError,
    SuperSubsetResult,
    evaluate,
    inclusion,
    necessity,
    super_subset,
)
from tests.conftest import require_shared, run_cli

EPS = 2.0**-52
TOL = math.sqrt(EPS)  # R lowers incl.cut (and a positive cov.cut) by sqrt(.Machine$double.eps)


# ---------------------------------------------------------------------------------------------
# brute-force oracle: plain Python lists, textbook formulas, the minimality rules spelled out
# ---------------------------------------------------------------------------------------------


def _div(a: float, b: float) -> float:
    return 0.0 if a == 0 and b == 0 else a / b


def oracle(data: pd.DataFrame, outcome: str, conds: list[str], relation: str, incl_cut: float,
           cov_cut: float, second_cut: float, depth: int) -> list[tuple[str, tuple[float, ...]]]:
    """Every expression up to ``depth`` literals, R's rules:

    - visit levels k = 1..depth; conjunction passes if incl >= incl_cut - tol and
      cov >= cov_cut (- tol when cov_cut > 0);
    - sufficiency: drop a passing conjunction whose literal set includes the literal set of a
      conjunction kept at a lower level;
    - necessity: keep every passing conjunction; when the conjunction fails, try the
      disjunction of the same literals; drop it when its literal set includes the literal set
      of any expression kept at a lower level;
    - from level 4 on, once anything was found, stop after a level that adds nothing;
    - finally keep RoN >= ron_cut (necessity) or PRI >= pri_cut (sufficiency);
    - list conjunctions, then disjunctions, in the order visited."""
    n = len(data)
    y = [float(v) for v in data[outcome]]
    fuzzy = {c: any(float(v) % 1 for v in data[c]) for c in conds}
    nlev = {c: 2 if fuzzy[c] else max(2, int(max(data[c])) + 1) for c in conds}
    mv = any(v > 2 for v in nlev.values())

    def lit_mem(c: str, v: int) -> list[float]:
        col = [float(x) for x in data[c]]
        if fuzzy[c]:
            return col if v == 1 else [1 - x for x in col]
        return [1.0 if x == v else 0.0 for x in col]

    def name(c: str, v: int) -> str:
        return f"{c}[{v}]" if mv else (c if v == 1 else f"~{c}")

    def measures(x: list[float]) -> tuple[float, float, float]:
        sxy = sum(min(a, b) for a, b in zip(x, y, strict=True))
        sx, sy = sum(x), sum(y)
        if relation == "necessity":
            ron = _div(sum(1 - a for a in x), sum(1 - min(a, b) for a, b in zip(x, y, strict=True)))
            return _div(sxy, sy), ron, _div(sxy, sx)  # inclN, RoN, covN
        both = sum(min(a, b, 1 - b) for a, b in zip(x, y, strict=True))
        return _div(sxy, sx), _div(sxy - both, sx - both), _div(sxy, sy)  # inclS, PRI, covS

    def passes(m: tuple[float, float, float]) -> bool:
        return m[0] >= incl_cut - TOL and m[2] >= (cov_cut - TOL if cov_cut > 0 else 0)

    conj: list[tuple[str, tuple[float, ...], frozenset]] = []
    disj: list[tuple[str, tuple[float, ...], frozenset]] = []
    for k in range(1, depth + 1):
        earlier = [s for _, _, s in conj] + [s for _, _, s in disj]
        earlier_conj = [s for _, _, s in conj]
        found_before = len(earlier)
        for combo in itertools.combinations(conds, k):
            for levels in itertools.product(*(range(nlev[c]) for c in combo)):
                lits = frozenset(zip(combo, levels, strict=True))
                mems = [lit_mem(c, v) for c, v in zip(combo, levels, strict=True)]
                cm = measures([min(col[i] for col in mems) for i in range(n)])
                if passes(cm):
                    if relation == "sufficiency" and any(s <= lits for s in earlier_conj):
                        continue
                    conj.append(("*".join(name(c, v) for c, v in zip(combo, levels, strict=True)),
                                 cm, lits))
                elif relation == "necessity":
                    dm = measures([max(col[i] for col in mems) for i in range(n)])
                    if passes(dm) and not any(s <= lits for s in earlier):
                        disj.append((" + ".join(name(c, v) for c, v in zip(combo, levels, strict=True)),
                                     dm, lits))
        if k > 3 and found_before > 0 and len(conj) + len(disj) == found_before:
            break
    return [(t, m) for t, m, _ in conj + disj if m[1] >= second_cut]


# ---------------------------------------------------------------------------------------------
# property: the engine equals the oracle on small random data
# ---------------------------------------------------------------------------------------------

GRID = [i / 20 for i in range(21)]  # multiples of 0.05: exact ties with the cut-offs do occur


@st.composite
def datasets(draw):
    n = draw(st.integers(2, 8))
    k = draw(st.integers(1, 5))
    data = {}
    for j in range(k):
        kind = draw(st.sampled_from(["fuzzy", "fuzzy", "crisp", "multi"] if k <= 3 else ["fuzzy", "crisp"]))
        if kind == "fuzzy":
            col = draw(st.lists(st.sampled_from(GRID), min_size=n, max_size=n))
            if all(v in (0.0, 1.0) for v in col):
                col[0] = 0.35  # keep it fuzzy, as drawn
        elif kind == "crisp":
            col = draw(st.lists(st.sampled_from([0, 1]), min_size=n, max_size=n))
        else:
            col = draw(st.lists(st.sampled_from([0, 1, 2]), min_size=n, max_size=n))
            col[0] = 2  # three levels
        data[f"C{j}"] = col
    data["Y"] = draw(st.lists(st.sampled_from(GRID), min_size=n, max_size=n))
    frame = pd.DataFrame(data, index=[f"case{i}" for i in range(n)])
    return frame, [f"C{j}" for j in range(k)]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    datasets(),
    st.sampled_from(["necessity", "sufficiency"]),
    st.sampled_from([0.0, 0.5, 0.6, 0.75, 0.8, 0.9, 1.0]),
    st.sampled_from([0.0, 0.3, 0.5, 0.7]),
    # RoN / PRI are compared without tolerance, as in R: values that no ratio of these
    # small grids can equal, so float rounding cannot decide a tie
    st.sampled_from([0.0, 0.3141, 0.5772, 0.7071]),
    st.integers(1, 5),
    st.booleans(),
)
def test_matches_brute_force_oracle(frame_conds, relation, incl_cut, cov_cut, second_cut, depth,
                                    negate):
    frame, conds = frame_conds
    outcome = "~Y" if negate else "Y"
    data = frame.copy()
    if negate:
        data["Y"] = 1 - data["Y"]  # the oracle reads the negated column directly
    expected = oracle(data, "Y", conds, relation, incl_cut, cov_cut, second_cut,
                      min(depth, len(conds)))
    kwargs = {"ron_cut": second_cut} if relation == "necessity" else {"pri_cut": second_cut}
    res = super_subset(frame, outcome, conds, relation=relation, incl_cut=incl_cut,
                       cov_cut=cov_cut, depth=depth, **kwargs)
    assert res.expressions == [t for t, _ in expected]
    for row, (_, values) in zip(res.rows, expected, strict=True):
        assert [row[m] for m in res.measures] == pytest.approx(list(values), abs=1e-12)


# ---------------------------------------------------------------------------------------------
# by hand
# ---------------------------------------------------------------------------------------------

# Y = {c1, c2, c3}; A = {c1, c2, c3, c6}; B = {c1, c3, c4}; C = {c2, c3, c5}
HAND = pd.DataFrame(
    {
        "A": [1, 1, 1, 0, 0, 1],
        "B": [1, 0, 1, 1, 0, 0],
        "C": [0, 1, 1, 0, 1, 0],
        "Y": [1, 1, 1, 0, 0, 0],
    },
    index=["c1", "c2", "c3", "c4", "c5", "c6"],
)


def test_necessity_by_hand():
    """Level 1: only A contains Y: inclN 1, covN 3/4, RoN = Σ(1-A)/Σ(1-min(A,Y)) = 2/3.
    Level 2: no conjunction contains Y (A*B misses c2, A*C misses c1, ...); disjunctions
    with A are supersets of A (dropped); of the rest only B + C = {c1..c5} contains Y:
    covN 3/5, RoN 1/3. Level 3: every disjunction holds A or B + C, or misses a Y case
    (~A + B + ~C misses c2, ~A + ~B + C misses c1, ~A + ~B + ~C misses c3)."""
    res = super_subset(HAND, "Y")
    assert res.expressions == ["A", "B + C"]
    assert [r["type"] for r in res.rows] == ["conjunction", "disjunction"]
    frame = res.to_frame()
    assert list(frame.columns) == ["inclN", "RoN", "covN"]
    assert frame.loc["A"].tolist() == pytest.approx([1, 2 / 3, 3 / 4])
    assert frame.loc["B + C"].tolist() == pytest.approx([1, 1 / 3, 3 / 5])
    mem = res.memberships()
    assert mem["B + C"].tolist() == [1, 1, 1, 1, 1, 0]


def test_cut_offs_by_hand():
    """cov.cut 0.7 drops B + C (covN 0.6) during the search, so ~A + B + C (all but c6:
    covN 3/5) is no longer a superset of a kept expression, but fails the cut as well.
    ron.cut 0.5 filters afterwards: B + C has RoN 1/3."""
    assert super_subset(HAND, "Y", cov_cut=0.7).expressions == ["A"]
    assert super_subset(HAND, "Y", ron_cut=0.5).expressions == ["A"]
    assert super_subset(HAND, "Y", depth=1).expressions == ["A"]


def test_sufficiency_by_hand():
    """Level 1: no literal lies within Y (A has c6, B has c4, C has c5). Level 2: A*B = {c1, c3},
    A*C = {c2, c3}, B*C = {c3} lie within Y: inclS 1, PRI 1, covS 2/3, 2/3, 1/3. Level 3:
    A*B*C, A*B*~C, A*~B*C are subsets of those (dropped); the others are empty (0/0 = 0) or
    hold a case outside Y."""
    res = super_subset(HAND, "Y", relation="suf")
    assert res.relation == "sufficiency"
    assert res.expressions == ["A*B", "A*C", "B*C"]
    frame = res.to_frame()
    assert list(frame.columns) == ["inclS", "PRI", "covS"]
    assert frame["inclS"].tolist() == pytest.approx([1, 1, 1])
    assert frame["PRI"].tolist() == pytest.approx([1, 1, 1])
    assert frame["covS"].tolist() == pytest.approx([2 / 3, 2 / 3, 1 / 3])


def test_negated_outcome_and_multivalue_notation():
    """~Y = {c4, c5, c6}. Level 1: ~A = {c4, c5} misses c6, ~B = {c2, c5, c6} misses c4,
    ~C = {c1, c4, c6} misses c5: none. Level 2 disjunctions holding c4, c5 and c6:
    ~A + ~B, ~A + ~C, ~B + ~C. With a multi-value condition M every literal is written
    with its level (R's notation)."""
    res = super_subset(HAND, "~Y", depth=2)
    assert res.outcome == "~Y"
    assert res.expressions == ["~A + ~B", "~A + ~C", "~B + ~C"]
    mv = HAND.assign(M=[0, 1, 2, 2, 0, 1])
    res = super_subset(mv, "Y", ["A", "M"], depth=1, incl_cut=0)
    assert res.expressions == ["A[0]", "A[1]", "M[0]", "M[1]", "M[2]"]


def test_inclusion_cut_tolerance_as_r():
    """inclN(A) = 0.3 / 0.4 = 3/4, which floating point gives as 0.7499999999999999; R
    compares with incl.cut - sqrt(eps), so A meets incl.cut = 0.75 (~A: 0.4/0.4 = 1)."""
    frame = pd.DataFrame({"A": [0.0, 0.0, 0.3], "Y": [0.0, 0.0, 0.4]}, index=["a", "b", "c"])
    assert 0.3 / 0.4 < 0.75
    assert super_subset(frame, "Y", incl_cut=0.75).expressions == ["~A", "A"]
    assert super_subset(frame, "Y", incl_cut=0.76).expressions == ["~A"]


EARLY_STOP = pd.DataFrame(
    {
        "A": [0.45, 0.6, 0.5, 0.45, 0.75, 0.95, 0.95, 0.0, 0.8],
        "B": [0.3, 0.15, 0.85, 0.6, 0.65, 0.45, 0.25, 0.9, 0.9],
        "C": [0.5, 0.4, 0.35, 0.4, 0.85, 0.1, 0.85, 0.1, 0.45],
        "D": [0.0, 0.9, 0.0, 0.95, 0.95, 0.7, 0.55, 0.1, 0.5],
        "E": [0.45, 0.35, 0.5, 0.5, 0.15, 0.3, 0.4, 0.95, 0.4],
        "F": [0.1, 0.65, 0.8, 0.7, 0.75, 0.1, 0.15, 0.05, 0.2],
        "Y": [0.25, 0.8, 0.85, 0.7, 0.8, 0.2, 0.35, 1.0, 0.3],
    },
    index=[f"c{i}" for i in range(9)],
)


def test_early_stop_after_an_empty_level_beyond_three():
    """R's search stops at a level k > 3 that adds nothing once something was found: here
    ~A + B + D is found at level 3, level 4 adds nothing, so the five-literal disjunction
    ~A + ~B + C + ~D + F is never visited although it meets both cut-offs and is not a
    superset of ~A + B + D."""
    res = super_subset(EARLY_STOP, "Y", incl_cut=1, cov_cut=0.7)
    assert res.expressions == ["~A + B + D"]
    skipped = inclusion(EARLY_STOP, "~A + ~B + C + ~D + F", "Y", relation="necessity")
    assert skipped["inclN"] >= 1 - 1e-12 and skipped["covN"] >= 0.7
    assert super_subset(EARLY_STOP, "Y", incl_cut=1, cov_cut=0.7, depth=4).expressions == [
        "~A + B + D"
    ]


def test_expressions_parse_back_to_their_scores_and_measures():
    rng = np.random.default_rng(7)
    frame = pd.DataFrame(rng.random((30, 5)).round(2), columns=["A", "B", "C", "D", "Y"],
                         index=[f"k{i}" for i in range(30)])
    for relation in ("necessity", "sufficiency"):
        res = super_subset(frame, "Y", relation=relation, incl_cut=0.6, depth=3)
        assert len(res) > 0
        mem = res.memberships()
        for row in res.rows:
            expr = row["expression"]
            assert evaluate(frame, expr) == pytest.approx(mem[expr].to_numpy())
            fit = inclusion(frame, expr, "Y", relation=relation)
            assert [row[m] for m in res.measures] == pytest.approx([fit[m] for m in res.measures])


def test_vectorised_speed():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.random((1000, 11)), columns=[*"ABCDEFGHIJ", "Y"],
                         index=[f"c{i}" for i in range(1000)])
    for relation in ("necessity", "sufficiency"):
        start = time.perf_counter()
        super_subset(frame, "Y", relation=relation, incl_cut=0.0, depth=3)
        assert time.perf_counter() - start < 1.0


# ---------------------------------------------------------------------------------------------
# reference results
# ---------------------------------------------------------------------------------------------


def _load(name: str) -> pd.DataFrame:
    path = require_shared("qca-benchmarks", "data", f"{name}.csv")
    return pd.read_csv(path, dtype={"case": str}, keep_default_na=False).set_index("case")


def test_single_conditions_equal_reference_necessity_lipset_fuzzy():
    """incl.cut = 0, depth = 1: every condition and its negation, as R's pof() reference."""
    ref = json.loads(require_shared("qca-benchmarks", "expected", "nec_LF_SURV.json").read_text())
    res = super_subset(_load("LF"), "SURV", incl_cut=0, depth=1)
    got = res.to_frame()
    assert sorted(got.index) == sorted(r["term"] for r in ref["rows"])
    for r in ref["rows"]:
        assert got.loc[r["term"]].tolist() == pytest.approx([r["inclN"], r["RoN"], r["covN"]],
                                                            rel=1e-12)
    # the same numbers as the package's necessity()
    nec = necessity(_load("LF"), "SURV").to_frame()
    assert got.loc[nec.index].to_numpy() == pytest.approx(nec.to_numpy())


# Printed in R QCA's documentation (?superSubset examples, inst/staticdocs/subsetsAndSupersets.html
# of the QCA package); R writes multi-value levels as LIT{1}, this package as LIT[1].
R_DOC_LM = [
    ("LIT[1]", 1.000, 0.500, 0.615),
    ("STB[1]", 1.000, 0.700, 0.727),
    ("LIT[1]*STB[1]", 1.000, 0.900, 0.889),
    ("DEV[1] + IND[1]", 1.000, 0.800, 0.800),
    ("URB[0] + IND[1]", 1.000, 0.000, 0.444),
    ("DEV[2] + URB[1] + IND[0]", 1.000, 0.100, 0.471),
]
R_DOC_CVF = [
    ("GEOCON", 0.904, 0.492, 0.624),
    ("DEMOC + ETHFRACT + ~GEOCON", 0.930, 0.470, 0.626),
    ("DEMOC + ~ETHFRACT + POLDIS", 0.918, 0.506, 0.637),
    ("DEMOC + ETHFRACT + POLDIS", 0.906, 0.502, 0.630),
    ("DEMOC + ~ETHFRACT + ~NATPRIDE", 0.905, 0.527, 0.641),
    ("DEMOC + ETHFRACT + ~NATPRIDE", 0.935, 0.530, 0.656),
    ("DEMOC + ~GEOCON + POLDIS", 0.920, 0.539, 0.654),
    ("DEMOC + ~GEOCON + ~NATPRIDE", 0.908, 0.584, 0.671),
    ("DEMOC + POLDIS + ~NATPRIDE", 0.916, 0.596, 0.682),
    ("~ETHFRACT + POLDIS + ~NATPRIDE", 0.911, 0.554, 0.657),
    ("~DEMOC + ETHFRACT + POLDIS + ~NATPRIDE", 0.913, 0.532, 0.647),
    ("ETHFRACT + ~GEOCON + POLDIS + ~NATPRIDE", 0.911, 0.613, 0.688),
]
R_DOC_CVF_NOT = [
    ("NATPRIDE", 0.932, 0.622, 0.693),
    ("~DEMOC + ~ETHFRACT", 0.951, 0.548, 0.663),
    ("~ETHFRACT + ~POLDIS", 0.927, 0.443, 0.603),
]


@pytest.mark.parametrize(
    ("name", "outcome", "cuts", "expected"),
    [
        ("LM", "SURV", {}, R_DOC_LM),
        ("CVF", "PROTEST", {"incl_cut": 0.9, "cov_cut": 0.6}, R_DOC_CVF),
        ("CVF", "~PROTEST", {"incl_cut": 0.9, "cov_cut": 0.6}, R_DOC_CVF_NOT),
    ],
)
def test_r_documentation_examples(name, outcome, cuts, expected):
    res = super_subset(_load(name), outcome, **cuts)
    assert res.expressions == [e[0] for e in expected]
    got = res.to_frame().to_numpy()
    assert got == pytest.approx(np.array([e[1:] for e in expected]), abs=5e-4 + 1e-12)


# ---------------------------------------------------------------------------------------------
# bad input: QCAInputError, one line
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"conditions": ["A", "Z"]}, "no column 'Z'"),
        ({"conditions": ["A", "Y"]}, "outcome"),
        ({"outcome": "Q"}, "unknown condition 'Q'"),
        ({"depth": 0}, "depth"),
        ({"depth": -2}, "depth"),
        ({"depth": 1.5}, "depth"),
        ({"incl_cut": 1.2}, "incl_cut"),
        ({"incl_cut": -0.1}, "incl_cut"),
        ({"incl_cut": float("nan")}, "incl_cut"),
        ({"cov_cut": 2}, "cov_cut"),
        ({"ron_cut": -1}, "ron_cut"),
        ({"relation": "sufficiency", "pri_cut": 1.5}, "pri_cut"),
        ({"relation": "both"}, "relation"),
    ],
)
def test_bad_input(kwargs, words):
    args = {"outcome": "Y", **kwargs}
    with pytest.raises(QCAInputError) as exc:
        super_subset(HAND, **args)
    assert words in str(exc.value)
    assert "\n" not in str(exc.value)


def test_nothing_passes_gives_empty_result():
    res = super_subset(HAND, "Y", incl_cut=1, cov_cut=1, depth=1)
    assert isinstance(res, SuperSubsetResult) and len(res) == 0
    assert res.to_frame().empty
    assert "No expression" in res.summary()
    assert json.loads(res.to_json())["rows"] == []


# ---------------------------------------------------------------------------------------------
# command line
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def hand_csv(tmp_path):
    path = tmp_path / "hand.csv"
    HAND.rename_axis("case").to_csv(path)
    return path


def test_cli_super_subset_formats(hand_csv, capsys):
    code, out, _ = run_cli(["qca", "super-subset", str(hand_csv), "--outcome", "Y",
                         "--conditions", "A,B,C", "--format", "json"], capsys)
    assert code == 0
    doc = json.loads(out)
    assert [r["expression"] for r in doc["rows"]] == ["A", "B + C"]
    assert doc["relation"] == "necessity" and doc["cuts"]["incl_cut"] == 1
    code, out, _ = run_cli(["qca", "super-subset", str(hand_csv), "--outcome", "Y",
                         "--relation", "sufficiency", "--format", "csv"], capsys)
    assert code == 0
    assert out.splitlines()[0] == "expression,inclS,PRI,covS"
    assert [line.split(",")[0] for line in out.splitlines()[1:]] == ["A*B", "A*C", "B*C"]
    code, out, _ = run_cli(["qca", "super-subset", str(hand_csv), "--outcome", "Y", "--depth", "2",
                         "--ron-cut", "0.5"], capsys)
    assert code == 0 and "inclN" in out and "B + C" not in out


@pytest.mark.parametrize(
    "extra",
    [
        ["--incl-cut", "1.5"],
        ["--cov-cut", "-0.2"],
        ["--depth", "0"],
        ["--conditions", "A,Z"],
        ["--incl-cut", "high"],
        ["--relation", "both"],
    ],
)
def test_cli_super_subset_bad_input_exits_2(hand_csv, capsys, extra):
    code, out, err = run_cli(["qca", "super-subset", str(hand_csv), "--outcome", "Y", *extra], capsys)
    assert code == 2
    assert out == ""
    assert err.strip()


def test_cli_minimize_limits(hand_csv, capsys):
    from kadstudy.cli.qca import MILP_TIME_LIMIT as CLI_DEFAULT
    from kadstudy.sets.minimize import MILP_TIME_LIMIT

    assert CLI_DEFAULT == MILP_TIME_LIMIT  # the CLI's shown default is the library's
    code, out, _ = run_cli(["qca", "minimize", str(hand_csv), "--outcome", "Y", "--max-models", "5",
                         "--max-nodes", "1000", "--time-limit", "10", "--solution", "parsimonious"],
                        capsys)
    assert code == 0 and "-> Y" in out
    code, _, _ = run_cli(["qca", "minimize", str(hand_csv), "--outcome", "Y", "--time-limit", "0"],
                      capsys)
    assert code == 0
    for bad in (["--time-limit", "-1"], ["--max-nodes", "0"], ["--max-models", "0"]):
        code, _, err = run_cli(["qca", "minimize", str(hand_csv), "--outcome", "Y", *bad], capsys)
        assert code == 2 and err.strip()
