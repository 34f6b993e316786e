"""The qca analysis kind on a SYNTHETIC dataset, against values worked out by hand."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.conftest import run_cli as kad
from tests.pipeline.synthetic import make_project

QCA = """kind: qca
title: Synthetic QCA
dataset: synqca
outcome: y
conditions: [a, b]
incl_cut: 0.8
solutions: [conservative, parsimonious]
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return make_project(tmp_path, monkeypatch)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_qca_report_by_hand(project, capsys):
    """Cases f1..f7 (f8 lacks a, so it is dropped). Memberships (a, b, y):
    f1 (1, 1, 1), f2 (1, .67, 1), f3 (.67, 1, 1), f4 (1, 0, 0), f5 (0, 1, 0), f6 (.33, .33, 0),
    f7 (0, 0, 0). a*b = min(a, b) = 1, .67, .67, 0, 0, .33, 0.
    Row a=1,b=1 (f1, f2, f3): incl = (1 + .67 + .67) / (1 + .67 + .67 + .33) = 2.34 / 2.67;
    the other three rows have incl .33/1.66, .33/1.66 and 0: OUT = 0 at incl_cut .8.
    Every configuration is observed, so conservative = parsimonious = a*b, with
    inclS = 2.34/2.67 and covS = 2.34 / 3 (three cases in y)."""
    (project / "analyses" / "q.yaml").write_text(QCA, encoding="utf-8")
    code, _, err = kad(["run"], capsys)
    assert code == 0, err
    tables = project / "reports" / "q" / "tables"
    tt = _rows(tables / "truth_table.csv")
    assert len(tt) == 4
    out_rows = {(r["a"], r["b"]): r for r in tt}
    assert out_rows[("1", "1")]["OUT"] == "1"
    assert float(out_rows[("1", "1")]["incl"]) == pytest.approx(2.34 / 2.67, abs=1e-3)
    assert {k: r["OUT"] for k, r in out_rows.items() if k != ("1", "1")} == {
        ("1", "0"): "0", ("0", "1"): "0", ("0", "0"): "0"}
    for kind in ("conservative", "parsimonious"):
        (term,) = _rows(tables / f"solution_{kind}.csv")
        assert term["term"] == "a*b"
        assert float(term["inclS"]) == pytest.approx(2.34 / 2.67, abs=1e-3)
        assert float(term["covS"]) == pytest.approx(2.34 / 3, abs=1e-3)
    page = (project / "reports" / "q" / "report.html").read_text(encoding="utf-8")
    assert "Dropped for a missing value in the outcome or a condition: f8" in page
    assert (project / "reports" / "q" / "figures" / "xy_conservative_M1.png").exists()


def test_calibrated_condition(project, capsys):
    """members_n calibrated with anchors 2, 4.5, 8: 2 members -> 0.05 (full exclusion is 0.05 in
    the logistic direct method), 8 -> 0.95, 4.5 -> 0.5."""
    spec = QCA.replace("conditions: [a, b]", "conditions: [a, big]") + (
        "calibrate:\n  big: {from: members_n, type: fuzzy, thresholds: [2, 4.5, 8]}\n")
    (project / "analyses" / "q.yaml").write_text(spec, encoding="utf-8")
    code, _, err = kad(["run"], capsys)
    assert code == 0, err
    rows = {r["case"]: r for r in _rows(project / "reports" / "q" / "tables" / "calibration_big.csv")}
    assert float(rows["f3"]["big"]) == pytest.approx(0.05, abs=1e-3)    # 2 members
    assert float(rows["f7"]["big"]) == pytest.approx(0.05, abs=1e-3)
    assert (project / "reports" / "q" / "figures" / "calibration_big.svg").exists()


@pytest.mark.parametrize(
    ("edit", "expect"),
    [
        (lambda s: s.replace("[a, b]", "[a, country]"), "key 'conditions': 'country' is categorical"),
        (lambda s: s.replace("[a, b]", "[a, bb]"), "unknown set 'bb'"),
        (lambda s: s.replace("incl_cut: 0.8", "incl_cut: 1.8"), "key 'incl_cut': expected"),
        (lambda s: s.replace("outcome: y", "outcome: yy"), "key 'outcome': unknown set 'yy'"),
    ],
)
def test_qca_spec_errors(project, capsys, edit, expect):
    (project / "analyses" / "q.yaml").write_text(edit(QCA), encoding="utf-8")
    code, _, err = kad(["run"], capsys)
    assert code != 0
    assert expect in err, err
    assert len([ln for ln in err.splitlines() if ln.strip()]) == 1
    assert not (project / "reports" / "q").exists()


def test_exclude_key(project, capsys):
    """With n_cut 2 the rows a=1,b=0 (f4 alone) and a=0,b=1 (f5 alone) are remainders; the
    positive row a*b and the negative row ~a*~b (f6, f7) leave two parsimonious models, a and b.
    Excluding row 3 (= 1 + 2*a + b: a*~b) keeps only b: the remainder ~a*b makes a*b + ~a*b = b.
    The expression a*~b excludes nothing: as R's findRows(), it names unobserved rows only, and
    f4 is in that row (below n_cut, but observed)."""
    spec = QCA.replace("incl_cut: 0.8", "incl_cut: 0.8\nn_cut: 2")
    (project / "analyses" / "q.yaml").write_text(spec, encoding="utf-8")
    assert kad(["run"], capsys)[0] == 0
    terms = {r["term"] for r in _rows(project / "reports" / "q" / "tables" / "solution_parsimonious.csv")}
    assert terms == {"a", "b"}
    tables = project / "reports" / "q" / "tables"
    (project / "analyses" / "q.yaml").write_text(spec + "exclude: ['a*~b']\n", encoding="utf-8")
    assert kad(["run", "--force"], capsys)[0] == 0
    assert {r["term"] for r in _rows(tables / "solution_parsimonious.csv")} == {"a", "b"}
    page = (project / "reports" / "q" / "report.html").read_text(encoding="utf-8")
    assert "No row matches the key" in page
    (project / "analyses" / "q.yaml").write_text(spec + "exclude: [3]\n", encoding="utf-8")
    code, _, err = kad(["run", "--force"], capsys)
    assert code == 0, err
    assert [r["term"] for r in _rows(tables / "solution_parsimonious.csv")] == ["b"]
    (row,) = _rows(tables / "excluded_rows.csv")
    assert (row["row"], row["a"], row["b"], row["OUT"]) == ("3", "1", "0", "?")
    assert "row number" in row["reason"]
    page = (project / "reports" / "q" / "report.html").read_text(encoding="utf-8")
    assert "Excluded rows (Enhanced Standard Analysis)" in page


def test_skewness_key(project, capsys):
    """Cases above 0.5: a 4/7 (f1 f2 f3 f4), b 4/7 (f1 f2 f3 f5), y 3/7. With extreme 0.45 the
    bounds are 45-55 %: all three are flagged; with the default 0.2 none is."""
    (project / "analyses" / "q.yaml").write_text(QCA + "skewness: true\n", encoding="utf-8")
    assert kad(["run"], capsys)[0] == 0
    rows = {r["set"]: r for r in _rows(project / "reports" / "q" / "tables" / "skewness.csv")}
    assert {k: (r["above"], r["n"]) for k, r in rows.items()} == {
        "a": ("4", "7"), "b": ("4", "7"), "y": ("3", "7")}
    assert {r["flagged"] for r in rows.values()} == {"False"}
    (project / "analyses" / "q.yaml").write_text(QCA + "skewness: {extreme: 0.45}\n", encoding="utf-8")
    assert kad(["run", "--force"], capsys)[0] == 0
    rows = {r["set"]: r for r in _rows(project / "reports" / "q" / "tables" / "skewness.csv")}
    assert {r["flagged"] for r in rows.values()} == {"True"}


def test_theory_key(project, capsys):
    """Theory a against the solution a*b: T*S = a*b, ~T*S empty, T*~S = a*~b, ~T*~S = ~a.
    T*S > 0.5: f1 (1), f2 (.67), f3 (.67), all with y = 1; T*~S = min(a, 1 - a*b) > 0.5 for f4
    (min(1, 1)) only, y = 0: consistent most likely. inclS of T*S = inclS of a*b = 2.34/2.67."""
    (project / "analyses" / "q.yaml").write_text(QCA + "theory: a\n", encoding="utf-8")
    code, _, err = kad(["run"], capsys)
    assert code == 0, err
    tables = project / "reports" / "q" / "tables"
    fit = {(r["solution type"], r["set"]): r for r in _rows(tables / "theory_fit.csv")}
    ts = fit[("parsimonious", "T*S")]
    assert ts["expression"] == "a*b"
    assert float(ts["inclS"]) == pytest.approx(2.34 / 2.67, abs=1e-3)
    assert fit[("parsimonious", "T*~S")]["expression"] == "a*~b"
    assert fit[("parsimonious", "~T*~S")]["expression"] == "~a"
    cases = {(r["solution type"], r["group"]): r["cases"] for r in _rows(tables / "theory_cases.csv")}
    assert cases[("conservative", "covered most likely")] == "f1, f2, f3"
    assert cases[("conservative", "consistent most likely")] == "f4"
    assert cases[("conservative", "inconsistent most likely")] == ""


@pytest.mark.parametrize(
    ("extra", "expect"),
    [
        ("exclude: [0]\n", "key 'exclude'"),
        ("exclude: ['zz*a']\n", "key 'exclude'"),
        ("theory: 'a*zz'\n", "key 'theory'"),
        ("skewness: {extreme: 0.7}\n", "key 'skewness'"),
    ],
)
def test_good_practice_key_errors(project, capsys, extra, expect):
    (project / "analyses" / "q.yaml").write_text(QCA + extra, encoding="utf-8")
    code, _, err = kad(["run"], capsys)
    assert code != 0
    assert expect in err, err
    assert len([ln for ln in err.splitlines() if ln.strip()]) == 1
    assert not (project / "reports" / "q").exists()
