"""Survey sets (TRUST, SOCCAP, ...) joined onto the cases of a QCA analysis by ``survey_sets``.

The responses are hand-made and SYNTHETIC: every respondent of a forum gives the same keyed score
on every item, so the forum means, and their memberships at the instrument's anchors
[2, 3, 4] -> 0.05, 0.5, 0.95 (the direct method's defining points), are known without the code."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO
from tests.conftest import run_cli as kad
from tests.pipeline.synthetic import make_project

INSTRUMENT = REPO / "datasets" / "survey" / "instrument.yaml"
KEYED = {"f1": 4, "f2": 3, "f3": 2}          # keyed answer of every item, per forum
EXPECTED_TRUST = {"f1": 0.95, "f2": 0.5, "f3": 0.05}
SPEC = """kind: qca
title: Synthetic QCA with survey sets
dataset: synqca
outcome: y
conditions: [TRUST, a]
incl_cut: 0.8
drop_missing: true
survey_sets: {instrument: instrument.yaml, responses: responses_SYNTHETIC.csv, min_respondents: 2}
"""


def _responses(path: Path) -> None:
    doc = yaml.safe_load(INSTRUMENT.read_text(encoding="utf-8"))
    items = [(i["id"], bool(i.get("reverse"))) for s in doc["scales"] for i in s["items"]]
    rows = []
    for forum, keyed in KEYED.items():
        for r in range(3):
            answers = [str(6 - keyed if rev else keyed) for _, rev in items]   # 1-5 scale: reverse = 6 - x
            rows.append([f"{forum}_r{r}", forum, f"gov_{r}", "bappeda", *answers])
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("# SYNTHETIC test responses, hand-made\n")
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["respondent_id", "forum_id", "member_government", "role", *[i for i, _ in items]])
        w.writerows(rows)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    make_project(tmp_path, monkeypatch)
    (tmp_path / "instrument.yaml").write_bytes(INSTRUMENT.read_bytes())
    _responses(tmp_path / "responses_SYNTHETIC.csv")
    (tmp_path / "analyses" / "q.yaml").write_text(SPEC, encoding="utf-8")
    return tmp_path


def test_survey_sets_are_joined_calibrated_and_labelled(project, capsys):
    code, _, err = kad(["run"], capsys)
    assert code == 0, err
    with (project / "reports" / "q" / "tables" / "set_memberships.csv").open(encoding="utf-8") as fh:
        rows = {r["case"]: r for r in csv.DictReader(fh)}
    assert set(rows) == set(KEYED)          # f4..f8 have no respondents: no TRUST, dropped
    for forum, expected in EXPECTED_TRUST.items():
        assert float(rows[forum]["TRUST"]) == pytest.approx(expected, abs=1e-3)
    html = (project / "reports" / "q" / "report.html").read_text(encoding="utf-8")
    assert "SYNTHETIC DATA" in html.split("</h1>")[0]
    assert "responses_SYNTHETIC.csv" in html           # listed under the data used, with its hash


def test_changing_the_responses_rebuilds(project, capsys):
    assert kad(["run"], capsys)[0] == 0
    path = project / "responses_SYNTHETIC.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("f3_r0,f3", "f3_rX,f3"), encoding="utf-8")
    _, out, _ = kad(["status"], capsys)
    assert "q" in out and "responses_SYNTHETIC.csv" in out


def test_bad_survey_sets_key_is_one_line(project, capsys):
    (project / "analyses" / "q.yaml").write_text(
        SPEC.replace("min_respondents: 2", "min_respondent: 2"), encoding="utf-8")
    code, _, err = kad(["run"], capsys)
    assert code == 2
    assert err.strip().splitlines() == [
        "error: analyses/q.yaml: key 'survey_sets.min_respondent': unknown key; did you mean "
        "'min_respondents'?"]
