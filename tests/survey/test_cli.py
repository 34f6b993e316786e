"""``kadstudy survey``: good input works; bad input gives one clear line, exit code 2, no file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kadstudy.survey import io as sio
from tests.conftest import run_cli as kad

ITEMS = ("trust_1,trust_2,trust_3,trust_4,trust_5,recip_1,recip_2,recip_3,recip_4,net_1,net_2,net_3,"
         "net_4,net_5,commit_1,commit_2,commit_3,commit_4,commit_5,benefit_1,benefit_2,benefit_3,benefit_4")
HEADER = "respondent_id,forum_id,member_government,role," + ITEMS
ANSWERS = ["4,4,4,2,4,3,4,4,2,4,4,4,2,3,5,4,4,2,4,4,4,4,2",
           "3,4,3,2,4,4,3,4,2,3,4,3,3,3,4,4,3,2,4,4,3,4,1",
           "5,4,4,1,5,4,4,5,2,4,5,4,2,4,4,5,4,1,4,5,4,4,2",
           "2,2,3,4,2,2,3,2,4,2,2,3,4,2,3,3,3,3,3,3,2,3,3"]


def rows() -> list[str]:
    """Four respondents of forum alpha, four of beta (rows 2-9 of the file)."""
    out = []
    for k, forum in enumerate(["alpha"] * 4 + ["beta"] * 4):
        out.append(f"r{k + 1},{forum},member_0{k % 2 + 1},bappeda,{ANSWERS[k % 4]}")
    return out


def write(path: Path, lines: list[str], header: str = HEADER) -> Path:
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path



def test_validate_ok(project, capsys):
    path = write(project / "resp.csv", rows())
    code, out, err = kad(["survey", "validate", str(path)], capsys)
    assert code == 0, err
    assert "ok: 8 respondents in 2 forums, 23 items" in out and "SYNTHETIC" not in out


def test_scales_formats(project, capsys):
    path = write(project / "resp.csv", rows())
    code, out, _ = kad(["survey", "scales", str(path), "--format", "json", "--items"], capsys)
    assert code == 0
    doc = json.loads(out)
    assert [r["scale"] for r in doc["reliability"]] == ["trust", "reciprocity", "network", "commitment",
                                                        "benefit", "soccap"]
    assert len(doc["items"]) == 23 and doc["synthetic"] is False
    code, out, _ = kad(["survey", "scales", str(path), "--format", "csv"], capsys)
    assert code == 0 and out.startswith("scale,set,label,k,n,alpha,alpha_ci_low,alpha_ci_high,omega,mean_r")


def test_aggregate_and_join(project, capsys):
    """Four respondents per forum, fewer than the default 10: thin, so no membership; with
    --min-respondents 3 both forums are calibrated and gamma (no respondents) stays empty."""
    path = write(project / "resp.csv", rows())
    code, out, _ = kad(["survey", "aggregate", str(path), "--format", "csv"], capsys)
    assert code == 0 and out.count("True") == 12     # 2 forums x 6 scores, all thin
    out_file = project / "conditions.csv"
    code, _, err = kad(["survey", "aggregate", str(path), "--calibrate", "--join", "--min-respondents", "3",
                        "--format", "csv", "-o", str(out_file)], capsys)
    assert code == 0, err
    lines = out_file.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "forum_id,name,TRUST,RECIP,NETWORK,COMMIT,BENEFIT,SOCCAP"
    assert lines[3].startswith("gamma,Forum Gamma,,,")
    values = [float(v) for v in lines[1].split(",")[2:]]
    assert all(0 < v < 1 for v in values)


BAD = {
    "likert 7": (lambda r: [r[0].replace(",bappeda,4,", ",bappeda,7,", 1), *r[1:]], 2, "trust_1",
                 "answer 7 is outside the 1-5 scale of item 'trust_1'", "use a whole number from 1 to 5"),
    "not a number": (lambda r: [r[0], r[1].replace(",bappeda,3,", ",bappeda,x,", 1), *r[2:]], 3, "trust_1",
                     "answer 'x' is not a whole number", "write a whole number from 1 to 5"),
    "missing respondent id": (lambda r: [*r[:2], r[2].replace("r3,", ",", 1), *r[3:]], 4, "respondent_id",
                              "missing respondent id", "give every respondent a unique id"),
    "unknown forum": (lambda r: [*r[:4], r[4].replace(",beta,", ",betta,", 1), *r[5:]], 6, "forum_id",
                      "unknown forum 'betta'", "did you mean 'beta'?"),
    "duplicate respondent": (lambda r: [*r[:5], r[5].replace("r6,", "r2,", 1), *r[6:]], 7, "respondent_id",
                             "duplicate respondent 'r2' (first on row 3)", "unique id"),
    "unknown role": (lambda r: [*r[:6], r[6].replace(",bappeda,", ",mayor,", 1), r[7]], 8, "role",
                     "unknown role 'mayor'", "use one of"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_rows_one_line_exit_2_nothing_written(project, capsys, case):
    edit, row, field, message, fix = BAD[case]
    path = write(project / "resp.csv", edit(rows()))
    before = sorted(p.name for p in project.iterdir())
    for argv in (["survey", "validate", str(path)],
                 ["survey", "scales", str(path), "-o", "out.txt"],
                 ["survey", "aggregate", str(path), "--calibrate", "-o", "out.csv"]):
        code, out, err = kad(argv, capsys)
        assert code == 2, (case, argv, out, err)
        lines = err.strip().splitlines()
        assert len(lines) == 1, lines
        assert lines[0].startswith(f"error: resp.csv row {row}, field '{field}': {message}"), lines[0]
        assert fix in lines[0]
        assert out == ""
    assert sorted(p.name for p in project.iterdir()) == before      # no out.txt, no out.csv


def test_unknown_item_column(project, capsys):
    path = write(project / "resp.csv", [r + ",3" for r in rows()], header=HEADER + ",trust_9")
    code, _, err = kad(["survey", "validate", str(path)], capsys)
    assert code == 2
    (line,) = err.strip().splitlines()
    assert line.startswith("error: resp.csv row 1, field 'trust_9': unknown item 'trust_9': not in "
                           "instrument 'kad_trust_soccap'; did you mean 'trust_")


def test_missing_item_column_and_note_lines(project, capsys):
    """Note lines above the header shift the rows: the header is row 3 here."""
    text = "# SYNTHETIC test\n# second note\n" + HEADER.replace(",benefit_4", "") + "\n"
    text += "\n".join(r.rsplit(",", 1)[0] for r in rows()) + "\n"
    path = project / "resp_SYNTHETIC.csv"
    path.write_text(text, encoding="utf-8")
    code, _, err = kad(["survey", "validate", str(path)], capsys)
    assert code == 2
    assert err.strip() == ("error: resp_SYNTHETIC.csv row 3, field 'benefit_4': missing item column "
                           "'benefit_4'; add it (leave an item's cells blank for no answer)")


def test_several_problems_one_line_each(project, capsys):
    r = rows()
    r[0] = r[0].replace(",bappeda,4,", ",bappeda,7,", 1)
    r[5] = r[5].replace(",beta,", ",nowhere,", 1)
    path = write(project / "resp.csv", r)
    code, _, err = kad(["survey", "validate", str(path)], capsys)
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 2
    assert lines[0].startswith("error: resp.csv row 2, field 'trust_1'")
    assert lines[1].startswith("error: resp.csv row 7, field 'forum_id': unknown forum 'nowhere'")


def test_bad_instrument(project, capsys):
    inst = project / "datasets" / "survey" / "instrument.yaml"
    inst.write_text(inst.read_text(encoding="utf-8").replace("response: likert5\n", "response: likert7\n", 1),
                    encoding="utf-8")
    path = write(project / "resp.csv", rows())
    code, _, err = kad(["survey", "validate", str(path)], capsys)
    assert code == 2
    (line,) = err.strip().splitlines()
    assert line == ("error: datasets/survey/instrument.yaml, field 'items.trust_1.response': unknown "
                    "response scale 'likert7'; did you mean 'likert5'?")


def test_blank_answers_are_no_answer(project, capsys):
    r = rows()
    r[1] = r[1].replace(",bappeda,3,4,", ",bappeda,,4,", 1)
    path = write(project / "resp.csv", r)
    assert kad(["survey", "validate", str(path)], capsys)[0] == 0
    inst = sio.read_instrument(project / "datasets" / "survey" / "instrument.yaml")
    resp = sio.read_responses(path, inst, ["alpha", "beta", "gamma"])
    assert resp.frame["trust_1"].isna().sum() == 1 and resp.rows.tolist() == list(range(2, 10))


def test_synthesize_deterministic_and_labelled(project, capsys):
    code, out, err = kad(["survey", "synthesize"], capsys)
    assert code == 0, err
    target = project / "datasets" / "survey" / "responses_SYNTHETIC.csv"
    first = target.read_bytes()
    assert first.startswith(b"# SYNTHETIC DATA - NOT REAL SURVEY RESPONSES")
    assert "datasets/kad_forums/forums.csv" in first.decode().splitlines()[2]
    code, _, _ = kad(["survey", "synthesize"], capsys)
    assert code == 0 and target.read_bytes() == first
    code, out, _ = kad(["survey", "validate", str(target)], capsys)
    assert code == 0 and "in 3 forums" in out and "(SYNTHETIC data)" in out
    code, out, _ = kad(["survey", "scales", str(target)], capsys)
    assert out.startswith("SYNTHETIC DATA - not real survey responses")
    other = project / "other_SYNTHETIC.csv"
    kad(["survey", "synthesize", "--seed", "3", "-o", str(other)], capsys)
    assert other.read_bytes() != first


def test_synthesize_refuses_unlabelled_name_and_bad_forums(project, capsys):
    code, _, err = kad(["survey", "synthesize", "-o", "responses.csv"], capsys)
    assert code == 2 and "must contain SYNTHETIC" in err and len(err.strip().splitlines()) == 1
    assert not (project / "responses.csv").exists()
    (project / "bad_forums.csv").write_text("id,name\nx,X\n", encoding="utf-8")
    code, _, err = kad(["survey", "synthesize", "--forums", "bad_forums.csv", "-o", "x_SYNTHETIC.csv"],
                       capsys)
    assert code == 2 and "no 'forum_id' column" in err and len(err.strip().splitlines()) == 1
    assert not (project / "x_SYNTHETIC.csv").exists()


def test_factors_command(project, capsys):
    """Three forums give about 45 respondents: too few to factor 23 items (one line, exit 2);
    twelve forums are enough."""
    target = project / "datasets" / "survey" / "responses_SYNTHETIC.csv"
    kad(["survey", "synthesize"], capsys)
    code, _, err = kad(["survey", "factors", str(target)], capsys)
    assert code == 2 and "factor analysis of 23 items needs more than 46" in err
    forums = project / "datasets" / "kad_forums" / "forums.csv"
    forums.write_text("forum_id,name\n" + "".join(f"f{k},F{k}\n" for k in range(12)), encoding="utf-8")
    kad(["survey", "synthesize"], capsys)
    code, out, err = kad(["survey", "factors", str(target), "--iterations", "50", "--format", "json"], capsys)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["synthetic"] is True and doc["suggested_factors"] >= 1
    assert set(doc["cfa"]["fit"]) >= {"chi2", "df", "CFI", "TLI", "RMSEA"}


def test_help_is_lazy():
    """`kadstudy --help` must not import the survey stack."""
    import subprocess
    import sys

    code = ("import sys; from kadstudy.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n"
            "    pass\nprint(sorted(m for m in ('pandas', 'semopy', 'statsmodels', 'kadstudy.survey') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "survey" in out and out.strip().splitlines()[-1] == "[]"


def test_wrong_number_of_fields_and_blank_lines(project, capsys):
    """A blank line and a row of empty cells are skipped but still counted: the short row below is
    line 6 of the file (header, two respondents, blank line, empty cells, short row)."""
    r = rows()
    path = write(project / "resp.csv", [r[0], r[1], "", "," * 26, "r9,alpha,member_01,bappeda,4,4"])
    code, _, err = kad(["survey", "validate", str(path)], capsys)
    assert code == 2
    assert err.strip() == ("error: resp.csv row 6: 6 fields, expected 27; check the commas and quotes of "
                           "this row")
    path = write(project / "resp.csv", [r[0], "", "," * 26, r[1].replace(",3,", ",6,", 1)])
    code, _, err = kad(["survey", "validate", str(path)], capsys)
    assert code == 2 and err.startswith("error: resp.csv row 5, field 'trust_1': answer 6 is outside")
