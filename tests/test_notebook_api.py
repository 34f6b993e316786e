"""The notebook API (issue 13): readable results, tidy frames with case lists, exports,
calibrate on Series, cluster functions that take what gower_distance returns, choose_k's result.

Expected values are derived by hand from the definitions (stated beside each) or are the
published Lipset results (Ragin 2008; R QCA's output printed in the README)."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from kadstudy.models import cluster
from kadstudy.sets import calibrate, minimize, necessity, truth_table
from tests.conftest import require_shared, run_cli

# Crisp data: rows (A, B) = (1,1): a, b with Y = 1; (1,0): c with Y = 0; (0,0): d with Y = 0.
# Truth table rows are numbered code + 1 with A most significant: 00 -> 1, 10 -> 3, 11 -> 4.
# The conservative solution is A*B (row 4 only), covering a and b with inclS = covS = 1.
HAND = pd.DataFrame({"A": [1, 1, 1, 0], "B": [1, 1, 0, 0], "Y": [1, 1, 0, 0]},
                    index=pd.Index(["a", "b", "c", "d"], name="case"))


def test_truth_table_frame_has_case_lists_and_readable_repr():
    tt = truth_table(HAND, "Y", ["A", "B"], incl_cut=1)
    frame = tt.to_frame()
    assert frame.loc[4, "cases"] == ["a", "b"] and frame.loc[1, "cases"] == ["d"]
    assert all(isinstance(c, list) for c in frame["cases"])
    text = repr(tt)
    assert text.startswith("Truth table for Y") and "TruthTable(" not in text
    html = tt._repr_html_()
    assert html.count("<table") == 1 and "Truth table for Y" in html and "a, b" in html


def test_solution_exports():
    sol = minimize(truth_table(HAND, "Y", ["A", "B"], incl_cut=1), solution="conservative")
    frame = sol.to_frame()
    assert frame["term"].tolist() == ["A*B"] and frame.loc[0, "cases"] == ["a", "b"]
    assert "Solution(" not in repr(sol) and repr(sol).startswith("Conservative solution for Y")
    md = sol.to_markdown()
    assert md.splitlines()[0] == "| model | term | inclS | PRI | covS | covU | cases |"
    assert md.splitlines()[2] == "| M1 | A\\*B | 1.000 | 1.000 | 1.000 | 1.000 | a, b |"
    tex = sol.to_latex(caption="Solution", label="tab:sol")
    assert "\\begin{tabular}{llrrrrl}" in tex and "\\caption{Solution}" in tex
    assert "M1 & A*B & 1.000 & 1.000 & 1.000 & 1.000 & a, b \\\\" in tex


def test_negation_is_escaped_in_markdown_and_latex():
    # ~A: necessity of the negation; A is absent in d only, Y absent there: inclN(~A) = 0/2.
    nec = necessity(HAND, "Y", ["A"])
    md, tex = nec.to_markdown(), nec.to_latex()
    assert "| \\~A | 0.000 |" in md
    assert "\\textasciitilde A & 0.000" in tex


def test_lipset_solution_frame_matches_published():
    path = require_shared("qca-benchmarks", "data", "LF.csv")
    lf = pd.read_csv(path, index_col="case", keep_default_na=False)
    sol = minimize(truth_table(lf, "SURV", incl_cut=0.8), solution="parsimonious")
    frame = sol.to_frame().set_index("term")
    # the published parsimonious solution DEV*~IND + URB*STB (README, R QCA)
    assert frame.loc["DEV*~IND", "cases"] == ["FI", "IE"]
    assert frame.loc["URB*STB", "cases"] == ["BE", "CZ", "NL", "UK"]
    md = sol.to_markdown()
    assert "| M1 | DEV\\*\\~IND | 0.815 | 0.721 | 0.284 | 0.194 | FI, IE |" in md
    assert "URB*STB & 0.874 & 0.845 & 0.520 & 0.430 & BE, CZ, NL, UK" in sol.to_latex()


@pytest.mark.parametrize("fmt", ["md", "latex", "csv", "json"])
def test_qca_commands_formats(tmp_path, capsys, fmt):
    path = tmp_path / "hand.csv"
    HAND.to_csv(path)
    code, out, err = run_cli(["qca", "truth-table", str(path), "--outcome", "Y", "--conditions",
                              "A,B", "--format", fmt], capsys)
    assert code == 0, err
    if fmt == "json":
        rows = json.loads(out)["rows"]
        assert [r["cases"] for r in rows] == [["d"], ["c"], ["a", "b"]]
    elif fmt == "csv":
        assert out.splitlines()[0] == "row,A,B,OUT,n,incl,PRI,cases"
        assert out.splitlines()[3] == '4,1,1,1,2,1,1,"a,b"'
    elif fmt == "md":
        assert out.splitlines()[4] == "| 4 | 1 | 1 | 1 | 2 | 1.000 | 1.000 | a, b |"
    else:
        assert out.startswith("\\begin{tabular}") and "4 & 1 & 1 & 1 & 2 & 1.000 & 1.000 & a, b" in out
    for command in (["minimize"], ["necessity"]):
        code, out, err = run_cli(["qca", *command, str(path), "--outcome", "Y", "--conditions",
                                  "A,B", "--format", fmt], capsys)
        assert code == 0, err
        assert out.strip()


# ---------------------------------------------------------------------------- calibrate


def test_calibrate_series_keeps_index_name_and_missing():
    # direct fuzzy calibration puts 0.05 at the exclusion anchor, 0.5 at the crossover and
    # 0.95 at the inclusion anchor (idm = 0.95; R QCA's calibrate()); NA stays NA, as in R.
    x = pd.Series([10.0, np.nan, 20.0, 30.0, None], index=list("vwxyz"), name="gdp")
    out = calibrate(x, [10, 20, 30])
    assert isinstance(out, pd.Series)
    assert out.name == "gdp" and list(out.index) == list("vwxyz")
    assert out[["v", "x", "y"]].round(6).tolist() == [0.05, 0.5, 0.95]
    assert math.isnan(out["w"]) and math.isnan(out["z"])
    crisp = calibrate(pd.Series([1, None, 7], index=[3, 1, 2], dtype="Int64"), [5], "crisp")
    assert crisp.index.tolist() == [3, 1, 2] and crisp[3] == 0 and crisp[2] == 1
    assert math.isnan(crisp[1])
    arr = calibrate(np.array([10.0, np.nan, 30.0]), [10, 20, 30])
    assert isinstance(arr, np.ndarray) and math.isnan(arr[1])


def test_calibrate_refuses_text_naming_the_series():
    with pytest.raises(ValueError, match=r"'gdp'.*not numeric"):
        calibrate(pd.Series(["1", "x"], name="gdp"), [1, 2, 3])


# ---------------------------------------------------------------------------- cluster


def _hand_gower():
    # x has range 4; a mismatch in the category counts 1. d(p,q) = (|0-1|/4 + 0) / 2 = 0.125,
    # d(p,r) = (4/4 + 1) / 2 = 1, d(q,r) = (3/4 + 1) / 2 = 0.875.
    df = pd.DataFrame({"x": [0.0, 1.0, 4.0, 3.5], "kind": pd.Categorical(["u", "u", "v", "v"])},
                      index=pd.Index(["p", "q", "r", "s"], name="forum_id"))
    return cluster.gower_distance(df)


def test_gower_is_labelled_and_accepted_by_cluster_functions():
    g = _hand_gower()
    frame = g.to_frame()
    assert list(frame.index) == ["p", "q", "r", "s"] and list(frame.columns) == ["p", "q", "r", "s"]
    assert frame.loc["p", "q"] == pytest.approx(0.125)
    assert frame.loc["p", "r"] == pytest.approx(1.0)
    assert frame.loc["q", "r"] == pytest.approx(0.875)
    Z = cluster.hierarchical(g)            # was: AttributeError 'Gower' has no attribute 'ndim'
    assert cluster.cut_tree(Z, 2).tolist() == [1, 1, 2, 2]
    km = cluster.kmedoids_pam(g, 2)
    assert km.to_frame()["cluster"].to_dict() == {"p": 1, "q": 1, "r": 2, "s": 2}
    assert cluster.kmedoids_pam(frame, 2).labels.tolist() == km.labels.tolist()
    assert "Gower(" not in repr(g) and "Medoids(" not in repr(km)


def test_choose_k_result_flags_k_max():
    t = pd.DataFrame({"silhouette_kmedoids": [0.30, 0.45, 0.62]}, index=pd.Index([2, 3, 4], name="k"))
    res = cluster.choose_k(t)
    assert res.k == 4 and res.at_k_max and res.k_max == 4
    assert "largest k tried" in res.reason
    assert res.to_frame()["chosen"].tolist() == [False, False, True]
    k, why = res                            # the former (int, prose) still unpacks
    assert k == 4 and why == res.reason
    inner = cluster.choose_k(t.assign(silhouette_kmedoids=[0.30, 0.62, 0.41]))
    assert inner.k == 3 and not inner.at_k_max


# ---------------------------------------------------------------------------- other results


def test_model_results_read_like_statsmodels():
    from kadstudy import data
    from kadstudy.data.outcome import DurabilityRule, calibrate_durable, lower_bounds
    from kadstudy.models import frame, regression

    df = data.load("kad_forums")
    df["durable"] = calibrate_durable(df, DurabilityRule(min_age=5),
                                      lower_bounds(data.Dataset.named("kad_forums").codings()))
    d = frame.prepare(df, "durable", ["legal_umbrella"])
    fit = regression.firth_logit(d)
    text = repr(fit)
    assert text.startswith("Firth-penalised logit of durable on legal_umbrella")
    assert "FitResult(" not in text and f"N = {d.n} complete cases" in text
    table = fit.to_frame()
    assert list(table.columns)[-1] == "note" and table.index.name == "term"
    assert table["coef"].tolist() == fit.table["coef"].tolist()
    assert "\\begin{tabular}{lrrrrrrl}" in fit.to_latex()


def test_robustness_and_factor_results_have_summaries():
    from dataclasses import replace

    from kadstudy.sets import Specification, robustness_test
    from kadstudy.survey.factors import efa

    path = require_shared("qca-benchmarks", "data", "LF.csv")
    lf = pd.read_csv(path, index_col="case", keep_default_na=False)
    s = Specification("SURV", ("DEV", "URB", "LIT", "IND", "STB"), incl_cut=0.8,
                      solution="parsimonious")
    res = robustness_test(lf, s, [replace(s, n_cut=2)])
    assert repr(res).startswith("Robustness test of the solution for SURV (1 alternative")
    assert res.to_frame()["set"].tolist() == ["IS", "TS_min", "TS_max", "RC", "ENV"]
    rng = np.random.default_rng(0)
    f = rng.normal(size=(300, 2))
    items = pd.DataFrame(np.column_stack([f[:, [0]] * 0.8 + rng.normal(scale=0.6, size=(300, 3)),
                                          f[:, [1]] * 0.8 + rng.normal(scale=0.6, size=(300, 3))]),
                         columns=[f"i{j}" for j in range(6)])
    fa = efa(items, 2)
    assert repr(fa).startswith("Exploratory factor analysis (ML, oblimin rotation): 2 factors, N = 300")
    assert fa.to_frame().index.tolist() == [f"i{j}" for j in range(6)]


def test_calibrate_find_rows_and_esa_commands_export(tmp_path, capsys):
    raw = tmp_path / "raw.csv"
    raw.write_text("case,x\na,1\nb,5\nc,9\n", encoding="utf-8")
    # the anchors themselves: 0.05, 0.5, 0.95 (idm = 0.95)
    code, out, err = run_cli(["qca", "calibrate", str(raw), "--column", "x", "--thresholds", "1,5,9",
                              "--format", "md"], capsys)
    assert code == 0, err
    assert out.splitlines() == ["| case | x |", "|:---|---:|", "| a | 0.050 |", "| b | 0.500 |",
                                "| c | 0.950 |"]
    path = tmp_path / "hand.csv"
    HAND.to_csv(path)
    # remainder row 2 (A=0, B=1) is a subset of ~A
    code, out, err = run_cli(["qca", "find-rows", str(path), "--outcome", "Y", "--conditions", "A,B",
                              "--expression", "~A", "--format", "csv"], capsys)
    assert code == 0, err
    assert out.splitlines()[0].startswith("row,A,B,OUT,n") and out.splitlines()[1].startswith("2,0,1,")
    code, out, err = run_cli(["qca", "esa", str(path), "--outcome", "Y", "--conditions", "A,B",
                              "--solution", "conservative", "--contrad-rows", "2", "--format", "latex"],
                             capsys)
    assert code == 0, err
    assert out.startswith("% Rows excluded from the minimisation (coded OUT = 0): 2 (contradictory row)")
    assert "M1 & A*B & 1.000 & 1.000 & 1.000 & 1.000 & a, b" in out


def test_exact_test_is_still_a_dict_and_reads_as_text():
    from kadstudy.models import regression

    # 2x2 table x by y: [[2, 0], [0, 2]]; Fisher's two-sided p = 2 / C(4, 2) = 1/3
    df = pd.DataFrame({"y": [1, 1, 0, 0], "x": [1, 1, 0, 0]}, index=list("abcd"))
    res = regression.exact_test(df, "y", "x")
    assert res["p"] == pytest.approx(1 / 3) and res["test"] == "Fisher exact"
    assert repr(res).startswith("Fisher exact of x: N = 4, 2 events")
    assert res.to_frame().loc[0, "p"] == pytest.approx(1 / 3)


def test_load_outside_a_project_uses_the_package_copy_or_says_how(tmp_path, monkeypatch):
    from kadstudy import data
    from kadstudy.errors import DataError

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KADSTUDY_DATASETS", raising=False)
    df = data.load("kad_forums")
    assert df.index.name == "forum_id" and "obs_status" in df.columns
    with pytest.raises(DataError) as exc:
        data.load("no_such_dataset")
    message = str(exc.value)
    assert "\n" not in message and "no kadstudy project at or above" in message
    assert "ships kad_forums" in message and "KADSTUDY_DATASETS" in message


def test_synthetic_mark_is_a_latex_comment(tmp_path, capsys):
    path = tmp_path / "hand_SYNTHETIC.csv"
    path.write_text("# SYNTHETIC: demo\ncase,A,Y\na,1,1\nb,0,0\n", encoding="utf-8")
    code, out, err = run_cli(["qca", "truth-table", str(path), "--outcome", "Y", "--allow-synthetic",
                              "--format", "latex"], capsys)
    assert code == 0, err
    first, second = out.splitlines()[:2]
    assert first.startswith("% SYNTHETIC") and second.startswith("\\begin{tabular}")
