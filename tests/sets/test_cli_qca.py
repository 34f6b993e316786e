"""``kadstudy qca`` on tiny synthetic CSV files."""

from __future__ import annotations

import json

import pytest

from kadstudy.cli import main

CSV = "case,A,B,C,Y\nNA,1,0,1,1\nb,1,1,0,1\nc,0,1,1,0\nd,0,0,0,0\ne,1,0,0,1\n"


@pytest.fixture
def data(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text(CSV)
    return path


def run(args, capsys):
    with pytest.raises(SystemExit) as exc:
        main(args)
    out = capsys.readouterr()
    return exc.value.code, out.out, out.err


def ok(args, capsys):
    main(args)
    return capsys.readouterr().out


def test_truth_table_json_shape_keeps_case_na(data, capsys):
    out = json.loads(ok(["qca", "truth-table", str(data), "--outcome", "Y", "--format", "json"],
                        capsys))
    assert out["outcome"] == "Y" and out["conditions"] == ["A", "B", "C"]
    assert set(out["rows"][0]) == {"config", "n", "incl", "PRI", "OUT", "cases"}
    assert any(r["cases"] == ["NA"] for r in out["rows"])


def test_minimize_json_shape(data, capsys):
    out = json.loads(ok(["qca", "minimize", str(data), "--outcome", "Y", "--conditions", "A,B,C",
                         "--solution", "parsimonious", "--format", "json"], capsys))
    assert out["solution_type"] == "parsimonious"
    model = out["models"][0]
    assert model["terms"] == ["A"]
    assert set(model["term_measures"][0]) == {"term", "inclS", "PRI", "covS", "covU", "cases"}


def test_minimize_intermediate_text_and_output_file(data, tmp_path, capsys):
    target = tmp_path / "out.txt"
    ok(["qca", "minimize", str(data), "--outcome", "Y", "--solution", "intermediate",
        "--dir-exp", "A=1,B=0,C=-", "-o", str(target)], capsys)
    assert "-> Y" in target.read_text()


def test_necessity_and_negated_outcome(data, capsys):
    out = json.loads(ok(["qca", "necessity", str(data), "--outcome", "~Y", "--format", "json"],
                        capsys))
    assert out["outcome"] == "~Y"
    assert [r["term"] for r in out["rows"]] == ["A", "B", "C", "~A", "~B", "~C"]
    assert set(out["rows"][0]) == {"term", "inclN", "RoN", "covN"}


def test_calibrate_json(tmp_path, capsys):
    path = tmp_path / "raw.csv"
    path.write_text("case,X\na,2\nb,5\nc,8\n")
    out = json.loads(ok(["qca", "calibrate", str(path), "--column", "X", "--thresholds", "2,5,8",
                         "--format", "json"], capsys))
    assert out["column"] == "X" and out["thresholds"] == [2, 5, 8]
    assert out["values"] == pytest.approx([0.05, 0.5, 0.95])


BAD = [
    ("case,A,Y\na,1,1\nb,0,0\n", ["--outcome", "Z"], "Z"),
    ("case,A,Y\na,1,1\nb,0,0\n", ["--outcome", "Y", "--conditions", "A,Q"], "'Q'"),
    ("case,A,Y\na,x,1\nb,0,0\n", ["--outcome", "Y"], "not numeric"),
    ("case,A,Y\na,,1\nb,0,0\n", ["--outcome", "Y"], "missing"),
    ("case,A,Y\na,1.4,1\nb,0,0\n", ["--outcome", "Y"], "[0, 1]"),
    ("case,A,Y\na,2.5,1\nb,0,0\n", ["--outcome", "Y"], "integer"),
    ("case,A,Y\na,1,1\na,0,0\n", ["--outcome", "Y"], "duplicate"),
    ("case,A,Y\n", ["--outcome", "Y"], "empty"),
]


@pytest.mark.parametrize(("text", "args", "needle"), BAD)
def test_bad_input_one_line_exit_2_no_output(text, args, needle, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    target = tmp_path / "out.json"
    code, _out, err = run(["qca", "minimize", str(path), *args, "-o", str(target)], capsys)
    assert code == 2
    assert err.startswith("error: ") and err.count("\n") == 1 and needle in err
    assert str(path) in err
    assert not target.exists()


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["calibrate", "--column", "X", "--thresholds", "8,9,5"], "crossover"),
        (["minimize", "--outcome", "Y", "--solution", "intermediate", "--dir-exp", "A:1"],
         "malformed"),
        (["minimize", "--outcome", "Y", "--solution", "intermediate", "--dir-exp", "Q=1"],
         "unknown condition"),
    ],
)
def test_bad_options(args, needle, tmp_path, capsys):
    path = tmp_path / "d.csv"
    path.write_text("case,X,A,Y\na,1,1,1\nb,6,0,0\nc,9,1,1\n")
    code, _, err = run(["qca", args[0], str(path), *args[1:]], capsys)
    assert code == 2 and needle in err and err.count("\n") == 1
