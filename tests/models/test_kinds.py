"""The regression, survival and cluster analysis kinds, run through ``kadstudy run`` on a SYNTHETIC
dataset: reports built, thin data stated in the report (or, with strict, one error line), spec
errors refused, outputs byte-identical on a rebuild."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.conftest import run_cli as kad
from tests.conftest import tree
from tests.models.synthetic import cases, write
from tests.pipeline.synthetic import make_project

REGRESSION = """kind: regression
title: Synthetic regression
dataset: synmod
outcome: y
predictors: [a, b, c, k, kind]
model: [a, b, c]
ordinal: grade
permutations: 49
seed: 3
"""
SURVIVAL = """kind: survival
title: Synthetic survival
dataset: synmod
start: started
end: stopped
observed: seen
active: running
group: kind
covariates: [a, b]
"""
CLUSTER = """kind: cluster
title: Synthetic clusters
dataset: synmod
variables: [kind, a, b, c, started]
outcome: y
conditions: [a, b]
incl_cut: 0.75
k_max: 5
seed: 2
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return make_project(tmp_path, monkeypatch, write)


def _add(project: Path, name: str, text: str) -> None:
    (project / "analyses" / f"{name}.yaml").write_text(text, encoding="utf-8")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _page(project: Path, name: str) -> str:
    import html

    return html.unescape((project / "reports" / name / "report.html").read_text(encoding="utf-8"))


def test_regression_report(project, capsys):
    _add(project, "r", REGRESSION)
    code, _, err = kad(["run", "r"], capsys)
    assert code == 0, err
    tables = project / "reports" / "r" / "tables"
    (summary,) = _rows(tables / "model_summary.csv")
    # f03 lacks a, f07 lacks b: 28 of 30 cases; events counted from the generated data
    ys = [int(rec["y"]) for f, rec in cases().items() if f not in ("f03", "f07")]
    assert summary["N"] == "28" and summary["dropped"] == "2"
    assert int(summary["events"]) == sum(ys) and int(summary["non_events"]) == 28 - sum(ys)
    assert float(summary["EPV"]) == pytest.approx(min(sum(ys), 28 - sum(ys)) / 3, abs=1e-3)
    coefs = {r["term"]: r for r in _rows(tables / "firth_coefficients.csv")}
    assert list(coefs) == ["(Intercept)", "a", "b", "c"]
    assert all(0 < float(coefs[t]["p_perm"]) <= 1 for t in ("a", "b", "c"))
    biv = {r["term"]: r for r in _rows(tables / "bivariate.csv")}
    assert set(biv) == {"a", "b", "c", "k", "kind[association]", "kind[forum]"}
    assert "predictor 'k' is constant" in biv["k"]["note"]
    assert biv["c"]["exact_test"] == "Fisher exact"
    assert biv["a"]["N"] == "29"
    assert (tables / "vif.csv").exists() and (tables / "ordinal_coefficients.csv").exists()
    comp = {r["condition"]: r for r in _rows(tables / "comparison.csv")}
    assert list(comp) == ["a", "b", "c", "k", "kind"]
    assert comp["a"]["regression"] == "multivariable Firth" and comp["a"]["OR"]
    assert comp["kind"]["regression"] == "bivariate Firth"  # not in the multivariable model
    assert comp["kind"]["OR 95% CI"].startswith("association: ")
    page = _page(project, "r")
    assert "2 of 30 dropped for a missing value: f03, f07" in page
    assert "Ordinary logit of y" in page or "Ordinary maximum-likelihood logit not" in page
    for fig in ("forest_firth", "forest_bivariate"):
        assert (project / "reports" / "r" / "figures" / f"{fig}.png").exists()


def test_regression_matches_the_library(project, capsys):
    """The report's table is the library's fit on the same complete cases."""
    from kadstudy import data
    from kadstudy.models import frame, regression

    _add(project, "r", REGRESSION)
    assert kad(["run", "r"], capsys)[0] == 0
    df = data.load(str(project / "datasets" / "synmod"))
    fit = regression.firth_logit(frame.prepare(df, "y", ["a", "b", "c"]))
    rows = {r["term"]: r for r in _rows(project / "reports" / "r" / "tables" /
                                        "firth_coefficients.csv")}
    for term in ("a", "b", "c"):
        assert float(rows[term]["coef"]) == pytest.approx(fit.table.loc[term, "coef"], rel=1e-5)


def test_thin_data_is_stated_in_the_report(project, capsys):
    _add(project, "r", REGRESSION.replace("model: [a, b, c]", "model: [a, k]"))
    code, _, err = kad(["run", "r"], capsys)
    assert code == 0, err
    page = _page(project, "r")
    assert ("multivariable model not fitted: predictor 'k' is constant: 0.67 in all 29 complete "
            "cases") in page
    assert "The data are too thin for this model" in page


def test_strict_stops_with_one_line(project, capsys):
    _add(project, "r", REGRESSION.replace("model: [a, b, c]", "model: [a, k]") + "strict: true\n")
    code, out, err = kad(["run", "r"], capsys)
    assert code == 1
    lines = [x for x in err.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: target 'r' failed:")
    assert "predictor 'k' is constant" in lines[0] and "Traceback" not in err + out


@pytest.mark.parametrize(("change", "message"), [
    (("outcome: y", "outcome: grade"), "key 'outcome': 'grade' is ordinal; use a binary variable"),
    (("predictors: [a, b, c, k, kind]", "predictors: [a, nope]"),
     "key 'predictors': unknown variable 'nope'"),
    (("predictors: [a, b, c, k, kind]", "predictors: [a, name]"),
     "key 'predictors': 'name' is text"),
    (("seed: 3", "seed: -1"), "key 'seed': expected a whole number >= 0"),
    (("seed: 3", "sed: 3"), "key 'sed': unknown key; did you mean 'seed'?"),
])
def test_spec_errors(project, capsys, change, message):
    _add(project, "r", REGRESSION.replace(*change))
    code, out, err = kad(["run", "r"], capsys)
    assert code != 0 and message in err and "Traceback" not in err + out


def test_survival_report(project, capsys):
    _add(project, "s", SURVIVAL)
    code, _, err = kad(["run", "s"], capsys)
    assert code == 0, err
    tables = project / "reports" / "s" / "tables"
    durations = {r["case"]: r for r in _rows(tables / "durations.csv")}
    expected = {}
    for f, rec in cases().items():
        if not rec["started"]:
            continue
        stop = rec["stopped"] if rec["running"] == "0" else rec["seen"]
        expected[f] = (int(stop) - int(rec["started"]), 1 - int(rec["running"]))
    assert {f: (int(r["duration"]), int(r["event"])) for f, r in durations.items()} == expected
    assert {r["case"]: r["reason"] for r in _rows(tables / "dropped.csv")} == {"f11": "no started"}
    km = _rows(tables / "km_all.csv")
    assert int(km[0]["at_risk"]) == len(expected)
    assert sum(int(r["events"]) for r in km) == sum(e for _, e in expected.values())
    assert {r["term"] for r in _rows(tables / "cox.csv")} == {"a", "b"}
    assert (tables / "ph_test.csv").exists() and (tables / "logrank_kind.csv").exists()
    for fig in ("km_all", "km_by_kind", "forest_cox"):
        assert (project / "reports" / "s" / "figures" / f"{fig}.png").exists()


def test_survival_without_events_says_so(project, capsys):
    _add(project, "s", SURVIVAL + "select: {running: 1}\n")
    code, _, err = kad(["run", "s"], capsys)
    assert code == 0, err
    page = _page(project, "s")
    # every selected forum is running (censored): nothing to estimate; said in the summary box at
    # the top, and the empty Kaplan-Meier and Cox sections are left out (exit code still 0)
    box = page.split('<div class="summary" id="summary">', 1)[1].split("</div>", 1)[0]
    assert "NOT ESTIMABLE: no events" in box
    assert "<h2>Kaplan-Meier curves</h2>" not in page and "<h2>Cox proportional" not in page


def test_cluster_report(project, capsys):
    _add(project, "c", CLUSTER)
    code, _, err = kad(["run", "c"], capsys)
    assert code == 0, err
    tables = project / "reports" / "c" / "tables"
    clusters = _rows(tables / "clusters.csv")
    assert len(clusters) == 30
    sil = _rows(tables / "silhouette.csv")
    assert [r["k"] for r in sil] == ["2", "3", "4", "5"]
    k = len({r["kmedoids"] for r in clusters})
    best = max(sil, key=lambda r: (float(r["silhouette_kmedoids"]), -int(r["k"])))
    assert k == int(best["k"])
    assert sum(1 for r in clusters if r["medoid"] == "yes") == k
    assert (tables / "profiles.csv").exists() and (tables / "clusters_by_y.csv").exists()
    assert (project / "reports" / "c" / "figures" / "dendrogram.png").exists()
    page = _page(project, "c")
    assert "Clusters and the QCA solution" in page


def test_reports_are_byte_identical_on_rebuild(project, capsys):
    _add(project, "r", REGRESSION)
    _add(project, "s", SURVIVAL)
    _add(project, "c", CLUSTER)

    def digest() -> dict[str, str]:
        return tree(project / "reports")

    assert kad(["run"], capsys)[0] == 0
    first = digest()
    assert kad(["run", "--force"], capsys)[0] == 0
    assert digest() == first
