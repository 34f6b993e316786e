"""The data layer on a tiny synthetic dataset: validation, build, load, add-case safety."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kadstudy.data import Dataset, load
from tests.conftest import run_cli as run
from tests.data.mini import HEADER, NEW_CASE, ROWS, snapshot


def test_validate_ok_and_quotes_checked(mini, capsys):
    code, out, err = run(["data", "validate", "-d", str(mini["folder"]),
                          "--sources", str(mini["sources"])], capsys)
    assert code == 0, err
    assert "2 forums, 18 codings" in out
    assert "quotes found" in out


def test_validate_names_row_field_and_fix(mini, capsys):
    path = mini["folder"] / "codings.csv"
    rows = list(ROWS)
    rows[7] = rows[7].replace("alpha,commit,1,", "alpha,commit,0.5,")   # off the 4-value scale
    rows[3] = rows[3].replace("founded in 1990", "founded in 1991")     # quote not in the text
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    code, _, err = run(["data", "validate", "-d", str(mini["folder"]),
                        "--sources", str(mini["sources"])], capsys)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 2
    assert "row 9, field 'value'" in lines[0] and "0.5" in lines[0] and "use one of" in lines[0]
    assert "row 5, field 'quote'" in lines[1] and "syn lines 2" in lines[1]


@pytest.mark.parametrize(
    ("edit", "expect"),
    [
        (lambda r: [*r, "alpha,name,Forum Alpha,,syn,2,Forum Alpha,t1,,"], "codes 'name' again"),
        (lambda r: [x for x in r if not x.startswith("beta,ended")], "no row for ended"),
        (lambda r: [x.replace("beta,durable,0", "beta,durable,1") for x in r], "durable = 1"),
        (lambda r: [x.replace("alpha,commit", "alpha,comit") for x in r], "did you mean 'commit'"),
        (lambda r: [x.replace("beta,country,IDN,,syn", "beta,country,IDN,,") for x in r],
         "has no source"),
        (lambda r: [x.replace("beta,founded,2004", "beta,founded,2006") for x in r],
         "before founded"),
    ],
)
def test_validate_catches(mini, capsys, edit, expect):
    path = mini["folder"] / "codings.csv"
    path.write_text(HEADER + "\n".join(edit(list(ROWS))) + "\n", encoding="utf-8")
    code, _, err = run(["data", "validate", "-d", str(mini["folder"]), "--no-quotes"], capsys)
    assert code == 2
    assert expect in err


def test_malformed_csv_is_one_line(mini, capsys):
    path = mini["folder"] / "codings.csv"
    path.write_text(HEADER + "alpha,name,\"unclosed\n", encoding="utf-8")
    code, _, err = run(["data", "validate", "-d", str(mini["folder"]), "--no-quotes"], capsys)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "codings.csv row" in err


def test_build_is_deterministic_and_load_is_typed(mini, capsys):
    folder = mini["folder"]
    assert run(["data", "build", "-d", str(folder)], capsys)[0] == 0
    first = (folder / "forums.csv").read_bytes()
    (folder / "forums.csv").unlink()
    assert run(["data", "build", "-d", str(folder)], capsys)[0] == 0
    assert (folder / "forums.csv").read_bytes() == first
    # The wide table by hand: header = case id + codebook order; rows sorted; missing empty.
    assert first.decode().splitlines() == [
        "forum_id,name,country,scope,founded,obs_year,active,ended,commit,durable",
        "alpha,Forum Alpha,IDN,domestic,1990,,1,,1,",
        "beta,Forum Beta,IDN,domestic,2004,2005,0,2005,,0",
    ]
    df = load(str(folder))
    assert str(df["founded"].dtype) == "Int64" and df["commit"].dtype == float
    assert list(df["country"].cat.categories) == ["IDN", "ZAF"]
    assert df.attrs["missing"][("alpha", "obs_year")] == "not_stated"
    assert df.attrs["codebook"].case_id == "forum_id"


def test_validate_reports_stale_wide_table(mini, capsys):
    folder = mini["folder"]
    run(["data", "build", "-d", str(folder)], capsys)
    (folder / "forums.csv").write_text("edited by hand\n", encoding="utf-8")
    code, _, err = run(["data", "validate", "-d", str(folder), "--no-quotes"], capsys)
    assert code == 2 and "out of date" in err




def _add(mini, capsys, text: str, *extra: str) -> tuple[int, str, str]:
    case = mini["tmp"] / "case.yaml"
    case.write_text(text, encoding="utf-8")
    return run(["data", "add-case", str(case), "-d", str(mini["folder"]),
                "--sources", str(mini["sources"]), *extra], capsys)


def test_add_case_new_forum(mini, capsys):
    folder = mini["folder"]
    code, out, err = _add(mini, capsys, NEW_CASE)
    assert code == 0, err
    assert "new forum 'gamma': 9 added" in out
    assert {c.forum_id for c in Dataset(folder).codings()} == {"alpha", "beta", "gamma"}
    assert Dataset(folder).validate(mini["sources"]) == []


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        (NEW_CASE.replace("value: IDN", "value: XXX"), "'XXX' is not an allowed value"),
        (NEW_CASE.replace("forum_id: gamma", "forum_id: alpha"), "already has 'Forum Alpha'"),
        (NEW_CASE.replace("Forum Gamma", "Forum Beta"), "has the name of existing forum 'beta'"),
        (NEW_CASE.replace("  commit:", "  comitment:"), "unknown variable 'comitment'"),
        (NEW_CASE.replace('lines: "1", quote: "SYNTHETIC source text"}\n  country',
                          'lines: "1", quote: "Forum Gamma was founded"}\n  country'),
         "quote not found in syn lines 1"),
        (NEW_CASE.replace("source: syn\n", ""), "a coded value has no source"),
        (NEW_CASE.replace("source: syn\n", "source: nowhere\n"), "unknown source 'nowhere'"),
        (NEW_CASE.replace("  durable: {missing: not_stated, note: not given}\n", ""),
         "has no row for durable"),
        (NEW_CASE + "  name: {value: again}\n", "appears twice"),
        (NEW_CASE.replace("codings:", "codngs:"), "unknown key"),
    ],
)
def test_add_case_refuses_and_changes_nothing(mini, capsys, text, expect):
    before = snapshot(mini["folder"])
    code, _, err = _add(mini, capsys, text)
    assert code == 2
    assert expect in err, err
    assert all(line.startswith("error: ") for line in err.strip().splitlines())
    assert snapshot(mini["folder"]) == before


def test_add_case_replace_keeps_history(mini, capsys):
    amend = """forum_id: beta
coder: t2
source: syn
codings:
  commit: {value: 0.33, lines: "5", quote: "stopped meeting", note: "stopped meeting soon"}
"""
    before = snapshot(mini["folder"])
    code, _, err = _add(mini, capsys, amend)          # an existing (missing) value: needs --replace
    assert code == 2 and "--replace" in err
    assert snapshot(mini["folder"]) == before
    code, out, err = _add(mini, capsys, amend, "--replace")
    assert code == 0, err
    assert "1 replaced" in out
    row = next(c for c in Dataset(mini["folder"]).codings() if c.key == ("beta", "commit"))
    assert row.value == "0.33" and row.coder == "t2"
    history = json.loads(row.history)
    assert history == [{"forum_id": "beta", "variable": "commit", "value": "", "missing":
                        "not_stated", "source": "", "lines": "", "quote": "", "coder": "t1",
                        "note": "not said"}]
    assert "beta,,Forum Beta" not in (mini["folder"] / "forums.csv").read_text()
    assert (mini["folder"] / "forums.csv").read_text().splitlines()[2].endswith(",0.33,0")


def test_show_forum_and_unknown(mini, capsys):
    code, out, _ = run(["data", "show", "alpha", "-d", str(mini["folder"])], capsys)
    assert code == 0 and "founded in 1990" in out and "missing (not_stated)" in out
    code, _, err = run(["data", "show", "alpah", "-d", str(mini["folder"])], capsys)
    assert code == 2 and "did you mean 'alpha'" in err


def test_unknown_dataset(capsys, tmp_path: Path):
    code, _, err = run(["data", "validate", "-d", str(tmp_path / "nope")], capsys)
    assert code == 2 and "no codebook.yaml" in err
