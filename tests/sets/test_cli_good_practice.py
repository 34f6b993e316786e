"""``kadstudy qca`` esa, find-rows, theory, skew and minimize --exclude, on the example of
test_esa.py (worked by hand there): observed 000 (Y 0), 011 (Y 1), 101 (Y 1); the parsimonious
solution is C; row 2 (~A*~B*C) is the only contradictory simplifying assumption; excluding it
gives A + B; excluding it and A*B (rows 7, 8) gives A*~B + ~A*B."""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_cli

CSV = "case,A,B,C,Y\nn0,0,0,0,0\np1,0,1,1,1\np2,1,0,1,1\n"


@pytest.fixture
def data(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text(CSV)
    return str(path)


def _json(argv, capsys):
    code, out, err = run_cli(argv, capsys)
    assert code == 0, err
    return json.loads(out)


def test_minimize_exclude(data, capsys):
    base = ["qca", "minimize", data, "--outcome", "Y", "--solution", "parsimonious",
            "--format", "json"]
    assert _json(base, capsys)["models"][0]["terms"] == ["C"]
    for exclude in (["--exclude", "2"], ["--exclude", "~A*~B*C"]):
        out = _json(base + exclude, capsys)
        assert [m["terms"] for m in out["models"]] == [["A", "B"]]
        assert out["simplifying_assumptions"] == {"M1": [3, 5, 7, 8]}
    code, _, err = run_cli([*base, "--exclude", "12"], capsys)
    assert code == 2 and err.count("\n") == 1 and "row 12 does not exist" in err


def test_esa_and_find_rows(data, capsys):
    out = _json(["qca", "esa", data, "--outcome", "Y", "--csa", "--impossible", "A*B",
                 "--format", "json"], capsys)
    assert [e["row"] for e in out["excluded"]] == [2, 7, 8]
    assert [m["terms"] for m in out["solution"]["models"]] == [["A*~B", "~A*B"]]
    found = _json(["qca", "find-rows", data, "--outcome", "Y", "--type", "0", "--expression",
                   "A*~B", "--format", "json"], capsys)
    assert found["rows"] == [2, 5]
    assert found["by_type"] == {"subset": [5], "CSA": [2], "SSR": []}
    code, out, _ = run_cli(["qca", "find-rows", data, "--outcome", "Y", "--type", "2"], capsys)
    assert code == 0 and "CSA" in out
    code, _, err = run_cli(["qca", "find-rows", data, "--outcome", "Y"], capsys)
    assert code == 2 and "needs an expression" in err


def test_theory_and_skew(data, capsys):
    out = _json(["qca", "theory", data, "--outcome", "Y", "--theory", "A*B",
                 "--solution-expr", "C", "--format", "json"], capsys)
    # T = A*B holds for no case; S = C holds for p1, p2 (Y = 1): covered least likely
    assert out["cases"]["covered least likely"] == ["p1", "p2"]
    assert out["cases"]["consistent least likely"] == ["n0"]
    assert out["expressions"]["T*S"] == "A*B*C"
    skew = _json(["qca", "skew", data, "--sets", "A,B,C", "--format", "json"], capsys)
    # A, B: 1 of 3 cases above 0.5 (33 %); C: 2 of 3 (67 %): none outside 20-80 %
    assert [s["above"] for s in skew["sets"]] == [1, 1, 2] and skew["flagged"] == []


def test_truth_table_sort_and_hide_cases(data, capsys):
    # rows 1 (000, incl 0), 4 (011, incl 1), 6 (101, incl 1): incl decreasing, ties in row order
    out = _json(["qca", "truth-table", data, "--outcome", "Y", "--sort-by", "incl",
                 "--format", "json"], capsys)
    assert [r["config"] for r in out["rows"]] == [[0, 1, 1], [1, 0, 1], [0, 0, 0]]
    code, text, _ = run_cli(["qca", "truth-table", data, "--outcome", "Y", "--hide-cases"], capsys)
    assert code == 0 and "p1" not in text


def test_truth_table_r_compat(tmp_path, capsys):
    """The minimal example of docs/r-differences.md (see test_r_differences.py)."""
    path = tmp_path / "r.csv"
    path.write_text("case,A,B,Y\nc0,0,0,1\nc1,0,1,1\nc2,0,1,0\nc3,1,1,1\nc4,1,1,1\n")
    base = ["qca", "truth-table", str(path), "--outcome", "Y", "--incl-cut", "0.8,0.5",
            "--n-cut", "2", "--format", "json"]
    assert [r["OUT"] for r in _json(base, capsys)["rows"]] == ["?", "C", "1"]
    assert [r["OUT"] for r in _json([*base, "--r-compat"], capsys)["rows"]] == ["C", "0", "C"]
