"""Population, case groups, country coverage, the summary box, the index line and the not-estimable
path. Expected values are read by hand off datasets/kad_forums/forums.csv (columns membership,
stage, case_group, country, durable, legal_umbrella, central_support), not from the code's output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from kadstudy.models.groups import collapse_groups
from kadstudy.pipeline.graph import Project
from kadstudy.pipeline.kinds import load_cases
from kadstudy.pipeline.kinds.qca import country_coverage, not_estimable, set_data
from kadstudy.pipeline.spec import read_spec
from tests.pipeline.synthetic import make_project

REPO = Path(__file__).resolve().parents[2]

# forums.csv by hand: membership = legislatures for these seven ...
LEGISLATURES = {"adeksi", "adepsi", "adkasi", "bks_dprd_provinsi", "japan_city_council_chairs",
                "japan_prefectural_assembly_chairs", "japan_town_village_assembly_chairs"}
# ... membership = mixed for these three, and stage = initiative for these two.
MIXED = {"auc", "inta", "sister_cities_international"}
INITIATIVES = {"gerbang_kertosusila", "jabotabek"}
# 45 - 7 - 3 - 2 = 33 government bodies. Of them, case_group japan_associations holds three
# (japan_city_mayors, japan_towns_villages, nga_japan) and global_regional_orgs nine
# (arab_town_organisation, cemr, energy_city, kitakyushu_initiative, mce, oicc, uclg,
# union_baltic_cities, wla); the other 21 are groups of their own: 2 + 21 = 23 cases.
JAPAN = ["japan_city_mayors", "japan_towns_villages", "nga_japan"]


def _spec(tmp_path: Path, text: str, name: str = "probe"):
    path = tmp_path / "analyses" / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return read_spec(path, root=REPO)


QCA = ("kind: qca\ntitle: t\ndataset: kad_forums\noutcome: durable\n"
       "conditions: [legal_umbrella, central_support]\nincl_cut: 0.8\n")


def test_default_population_and_one_case_per_group(tmp_path: Path) -> None:
    df = load_cases(Project(REPO), _spec(tmp_path, QCA))
    info = df.attrs["cases"]
    assert (info.population, info.case_groups) == ("governments", "one_per_group")
    assert info.n_coded == 45 and info.n_forums == 33 and len(df) == 23
    dropped = {reason.split(" ")[1]: set(ids) for reason, ids in info.dropped.items()}
    assert dropped == {"legislatures": LEGISLATURES, "mixed": MIXED, "(stage": INITIATIVES}
    assert info.members["japan_associations"] == JAPAN
    assert len(info.members["global_regional_orgs"]) == 9
    # the Japanese group: all three members code durable 1, legal_umbrella 1, central_support 1
    japan = df.loc["japan_associations"]
    assert (japan["durable"], japan["legal_umbrella"], japan["central_support"]) == (1, 1.0, 1.0)
    assert japan["country"] == "JPN"
    # the nine organisations: legal_umbrella 0.67 each (mean 0.67); country INT for five of the nine
    # (arab_town_organisation, kitakyushu_initiative, oicc, uclg, wla), EUR for four: the mode is INT
    orgs = df.loc["global_regional_orgs"]
    assert orgs["legal_umbrella"] == pytest.approx(0.67) and orgs["country"] == "INT"
    assert pd.isna(orgs["durable"])


def test_qca_cases_after_population_and_groups(tmp_path: Path) -> None:
    # Government bodies with durable (calibrated by the default rule, tests/data/test_durability.py),
    # legal_umbrella and central_support: barlingmascakeb (0, .67, .33), kartamantul (1, .67, .33)
    # and the Japanese group (1, 1, 1); javapromo's durable is undecided (4 years), natat lacks
    # legal_umbrella, salga lacks durable (age not stated).
    df = load_cases(Project(REPO), _spec(tmp_path, QCA))
    data, _, _ = set_data(df, _spec(tmp_path, QCA))
    assert sorted(data.index) == ["barlingmascakeb", "japan_associations", "kartamantul"]
    assert data.loc["kartamantul"].tolist() == [0.67, 0.33, 1.0]
    per_case = load_cases(Project(REPO), _spec(tmp_path, QCA + "case_groups: per_case\n"))
    data, _, _ = set_data(per_case, _spec(tmp_path, QCA + "case_groups: per_case\n"))
    assert sorted(data.index) == sorted(["barlingmascakeb", "kartamantul", *JAPAN])


def test_population_all_and_bodies(tmp_path: Path) -> None:
    spec = _spec(tmp_path, QCA + "population: all\ncase_groups: per_case\n")
    assert len(load_cases(Project(REPO), spec)) == 45
    spec = _spec(tmp_path, QCA + "population: bodies\ncase_groups: per_case\n")
    assert len(load_cases(Project(REPO), spec)) == 43           # 45 minus the two initiatives


def test_collapse_groups_mean_mode_and_tie() -> None:
    df = pd.DataFrame({"x": [1.0, 0.5, None, 0.2], "y": pd.array([1, 1, 0, pd.NA], dtype="Int64"),
                       "c": pd.array(["A", "B", "A", "B"], dtype="string")},
                      index=pd.Index(["p", "q", "r", "s"], name="forum_id"))
    out = collapse_groups(df, pd.Series({"p": "g", "q": "g", "r": "g", "s": None}))
    assert list(out.index) == ["g", "s"]
    assert out.loc["g", "x"] == pytest.approx(0.75)             # mean of the coded 1.0 and 0.5
    assert out.loc["g", "y"] == 1                               # 1, 1, 0: mode 1
    assert out.loc["g", "c"] == "A"                             # A, B, A: mode A
    assert out.loc["s", "x"] == pytest.approx(0.2) and pd.isna(out.loc["s", "y"])
    tie = collapse_groups(df.loc[["p", "q"]][["c"]], pd.Series({"p": "g", "q": "g"}))
    assert pd.isna(tie.loc["g", "c"])                          # A against B: no modal value
    assert out["y"].dtype == df["y"].dtype


def test_country_coverage_by_hand() -> None:
    data = pd.DataFrame({"A": [1.0, 0.8, 1.0, 0.0], "Y": [1.0, 1.0, 0.0, 1.0]},
                        index=["i1", "i2", "j1", "j2"])
    of = pd.Series({"i1": "IDN", "i2": "IDN", "j1": "JPN", "j2": "JPN"})
    model = SimpleNamespace(name="M1", terms=["A"], expression="A")
    table = country_coverage(data, of, model, "Y")
    # A > 0.5 and Y > 0.5: i1, i2 (IDN); j1 is in A but not in Y; j2 is not in A
    assert table.loc[0, "IDN (of 2)"] == 2 and table.loc[0, "JPN (of 2)"] == 0
    assert table.loc[0, "cases covered"] == "i1 (IDN), i2 (IDN)"
    assert table.loc[1, "term"] == "M1 (solution)"


def test_not_estimable_reasons() -> None:
    one = pd.DataFrame({"A": [1.0], "Y": [1.0]}, index=["a"])
    assert "fewer than two cases" in not_estimable(one, "Y")
    same = pd.DataFrame({"A": [1.0, 0.0], "Y": [1.0, 0.67]}, index=["a", "b"])
    assert "one outcome class" in not_estimable(same, "Y")
    assert not_estimable(pd.DataFrame({"A": [1.0, 0.0], "Y": [1.0, 0.0]}, index=["a", "b"]), "Y") is None


# ---------------------------------------------------------------------------- synthetic project

ALL_Y1 = ("kind: qca\ntitle: Synthetic one class\ndataset: synqca\noutcome: y\nconditions: [a, b]\n"
          "incl_cut: 0.8\nselect: {country: IDN}\n{extra}")


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kadstudy", *args], capture_output=True, text=True)


def test_not_estimable_report_summary_and_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path, monkeypatch)
    # select y = 1: in synthetic.CASES f1, f2, f3 and f8 have y = 1; f8 lacks a, so three cases
    # enter, all in y: one outcome class, not estimable.
    (root / "analyses" / "one-class.yaml").write_text(
        ALL_Y1.replace("select: {country: IDN}", "select: {y: 1}").replace("{extra}", ""),
        encoding="utf-8")
    res = _run("run")
    assert res.returncode == 0, res.stderr
    html = (root / "reports" / "one-class" / "report.html").read_text(encoding="utf-8")
    box = html.split('<div class="summary" id="summary">', 1)[1].split("</div>", 1)[0]
    # y = 1 with a and b coded: f1, f2, f3 (f8 lacks a) -> N = 3, all in y
    assert "NOT ESTIMABLE: one outcome class: all 3 cases are in y" in box
    assert "N = 3 cases" in box and "IDN 3" in box
    assert "Truth table" not in html and "solution_conservative" not in html
    summary = json.loads((root / "reports" / "one-class" / "summary.json").read_text(encoding="utf-8"))
    assert summary["estimable"] is False and summary["n"] == 3
    assert summary["population"] == "all"          # synqca codes no membership/stage: every forum
    index = (root / "reports" / "index.html").read_text(encoding="utf-8")
    assert "NOT ESTIMABLE: one outcome class" in index and "N = 3 (3 forums, 3 case groups)" in index


def test_strict_not_estimable_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path, monkeypatch)
    (root / "analyses" / "one-class.yaml").write_text(
        ALL_Y1.replace("select: {country: IDN}", "select: {y: 1}").replace("{extra}", "strict: true\n"),
        encoding="utf-8")
    res = _run("run")
    assert res.returncode != 0 and "not estimable: one outcome class" in res.stdout + res.stderr


def test_population_needs_coded_membership(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path, monkeypatch)
    (root / "analyses" / "pop.yaml").write_text(
        ALL_Y1.replace("{extra}", "population: governments\n"), encoding="utf-8")
    res = _run("run")
    assert res.returncode == 2
    assert ("analyses/pop.yaml: key 'population': governments needs variable 'membership'"
            in res.stderr)
    (root / "analyses" / "pop.yaml").write_text(
        ALL_Y1.replace("{extra}", "population: everyone\n"), encoding="utf-8")
    res = _run("run")
    assert res.returncode == 2 and "key 'population'" in res.stderr and "governments" in res.stderr
