"""The ``survey`` analysis kind on a tiny SYNTHETIC project: report contents, SYNTHETIC labels,
byte-identical rebuilds, and one-line errors."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from kadstudy.survey import io as sio
from kadstudy.survey import synthetic as syn
from tests.conftest import run_cli as kad
from tests.conftest import tree
from tests.pipeline.synthetic import CASES, make_project
from tests.survey.conftest import INSTRUMENT

SPEC = """kind: survey
title: Survey demo
dataset: synqca
instrument: datasets/survey/instrument.yaml
responses: datasets/survey/{name}
parallel_iterations: 50
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    make_project(tmp_path, monkeypatch)                 # dataset synqca: forums f1..f8
    survey = tmp_path / "datasets" / "survey"
    survey.mkdir(parents=True)
    shutil.copy(INSTRUMENT, survey / "instrument.yaml")
    inst = sio.read_instrument(survey / "instrument.yaml")
    frame = syn.generate(inst, list(CASES), seed=4, n_range=(15, 25), thin_share=0.0)
    frame.loc[frame.index[:10], "forum_id"] = "f1"      # keep f1 big
    frame = frame[frame["forum_id"] != "f8"]             # f8: no respondents
    frame = frame[~((frame["forum_id"] == "f7") & (frame.index % 4 != 0))]   # f7 thin
    sio.write_text(survey / "resp_SYNTHETIC.csv", sio.responses_csv(frame.reset_index(drop=True), inst,
                                                                      ["SYNTHETIC test data"]))
    sio.write_text(survey / "resp.csv", sio.responses_csv(frame.reset_index(drop=True), inst))
    return tmp_path


def rows(path: Path) -> list[dict[str, str]]:
    """The records of a report table (a first ``# SYNTHETIC`` line skipped)."""
    with path.open(encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    return list(csv.DictReader(lines[1:] if lines[0].startswith("# SYNTHETIC") else lines))


def test_report_synthetic_and_deterministic(project, capsys):
    (project / "analyses" / "s.yaml").write_text(SPEC.format(name="resp_SYNTHETIC.csv")
                                                 + "allow_synthetic: true\n", encoding="utf-8")
    code, _, err = kad(["run"], capsys)
    assert code == 0, err
    out = project / "reports" / "s"
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "<title>Survey demo — SYNTHETIC DATA</title>" in page
    assert "<h2>SYNTHETIC DATA</h2>" in page and "File header: SYNTHETIC test data" in page
    assert "[SYNTHETIC] Reliability of the scales" in page
    assert "kadstudy survey synthesize --seed" in page
    for name in ("reliability", "items", "parallel_analysis", "efa_loadings", "cfa_fit", "icc",
                 "forum_scores", "memberships", "conditions", "calibration_anchors"):
        assert (out / "tables" / f"{name}_SYNTHETIC.csv").exists(), name
    cond = {r["forum_id"]: r for r in rows(out / "tables" / "conditions_SYNTHETIC.csv")}
    assert sorted(cond) == [f"f{k}" for k in range(1, 9)]
    assert cond["f8"]["TRUST_SYNTHETIC"] == "" and cond["f7"]["TRUST_SYNTHETIC"] == ""   # none / thin
    assert 0 < float(cond["f1"]["SOCCAP_SYNTHETIC"]) < 1 and cond["f1"]["name"] == "Forum f1"
    thin = {r["forum_id"] for r in rows(out / "tables" / "forum_scores_SYNTHETIC.csv") if r["thin"] == "True"}
    assert thin == {"f7"}
    assert "Forums of the dataset without respondents: f8" in page
    # summary.json as the other kinds write it (the fixture: f1-f7 answer, f8 does not, f7 is thin)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert (summary["n"], summary["forums"], summary["thin"]) == (7, 7, 1)
    assert summary["cases_in_population"] == 8 and summary["synthetic"].endswith("resp_SYNTHETIC.csv")
    roles = rows(out / "tables" / "respondents_roles_SYNTHETIC.csv")     # every respondent has a role
    assert summary["respondents"] == sum(int(r["n"]) for r in roles) > 0
    assert '<div class="summary" id="summary"><p>SYNTHETIC: derived from synthetic' in page
    index = (project / "reports" / "index.html").read_text(encoding="utf-8")
    assert "N = 7 (7 forums, 7 case groups)" in index
    before = tree(out)
    code, _, err = kad(["run", "--force"], capsys)
    assert code == 0, err
    assert tree(out) == before


def test_real_looking_file_has_no_banner(project, capsys):
    (project / "analyses" / "s.yaml").write_text(SPEC.format(name="resp.csv"), encoding="utf-8")
    code, _, err = kad(["run"], capsys)
    assert code == 0, err
    page = (project / "reports" / "s" / "report.html").read_text(encoding="utf-8")
    assert "<title>Survey demo</title>" in page
    assert "[SYNTHETIC]" not in page and "<h2>SYNTHETIC DATA</h2>" not in page


@pytest.mark.parametrize(("extra", "message"), [
    ("rotation: sideways\n",
     "s.yaml: key 'rotation': expected one of oblimin, promax, varimax, none, got 'sideways'"),
    ("min_respondents: 1\n", "s.yaml: key 'min_respondents': expected a whole number >= 2, got 1"),
    ("n_factor: 3\n", "s.yaml: key 'n_factor': unknown key; did you mean 'n_factors'?"),
])
def test_spec_errors(project, capsys, extra, message):
    (project / "analyses" / "s.yaml").write_text(SPEC.format(name="resp.csv") + extra, encoding="utf-8")
    code, _, err = kad(["run"], capsys)
    assert code == 2
    (line,) = err.strip().splitlines()
    assert message in line


def test_bad_responses_fail_the_target(project, capsys):
    path = project / "datasets" / "survey" / "resp.csv"
    text = path.read_text(encoding="utf-8").replace(",f2,", ",f22,", 1)
    path.write_text(text, encoding="utf-8")
    (project / "analyses" / "s.yaml").write_text(SPEC.format(name="resp.csv"), encoding="utf-8")
    code, _, err = kad(["run"], capsys)
    assert code == 1
    assert "error: target 's' failed:" in err and "field 'forum_id': unknown forum 'f22'" in err
    assert not (project / "reports" / "s").exists()


def test_missing_responses_file(project, capsys):
    (project / "analyses" / "s.yaml").write_text(SPEC.format(name="nope.csv"), encoding="utf-8")
    code, _, err = kad(["run"], capsys)
    assert code == 2        # found while the build graph is made: an input of the target is missing
    assert "key 'responses': no file datasets/survey/nope.csv" in err


# Every table the survey report writes (the reviewer counted 32 files: 16 tables, CSV and Markdown).
SURVEY_TABLES = ("calibration_anchors", "cfa_factor_correlations", "cfa_fit", "cfa_loadings", "conditions",
                 "efa_factor_correlations", "efa_loadings", "forum_scores", "icc", "instrument_items",
                 "instrument_scales", "items", "memberships", "parallel_analysis", "reliability",
                 "respondents_roles")


def test_every_output_of_a_synthetic_report_is_marked(project, capsys):
    (project / "analyses" / "s.yaml").write_text(SPEC.format(name="resp_SYNTHETIC.csv")
                                                 + "allow_synthetic: true\n", encoding="utf-8")
    code, _, err = kad(["run"], capsys)
    assert code == 0, err
    out = project / "reports" / "s"
    tables = sorted(p.name for p in (out / "tables").iterdir())
    assert tables == sorted(f"{t}_SYNTHETIC.{ext}" for t in SURVEY_TABLES for ext in ("csv", "md"))
    mark = ("# SYNTHETIC: derived from synthetic survey responses (datasets/survey/resp_SYNTHETIC.csv, "
            "generated by kadstudy/survey/synthetic.py); not data about real forums")
    for name in tables:
        first = (out / "tables" / name).read_text(encoding="utf-8").splitlines()[0]
        assert first == (mark if name.endswith(".csv") else mark.removeprefix("# ")), name
    figures = sorted(p.name for p in (out / "figures").iterdir())
    assert figures == sorted(f"{f}_SYNTHETIC.{ext}" for f in ("forum_means", "parallel_analysis",
                                                              "calibration_curves")
                             for ext in ("png", "svg"))
    for name in figures:
        if name.endswith(".svg"):
            svg = (out / "figures" / name).read_text(encoding="utf-8")
            assert 'id="synthetic-watermark"' in svg and "<!-- SYNTHETIC -->" in svg, name
    page = (out / "report.html").read_text(encoding="utf-8")
    assert 'href="tables/memberships_SYNTHETIC.csv"' in page
    assert 'href="figures/forum_means_SYNTHETIC.svg"' in page
    # the calibration curves: embedded as SVG, linked as PNG and SVG, SYNTHETIC in the caption
    # (the alt text) and in the figure's own title
    start = page.index('<figure id="figure-calibration_curves_SYNTHETIC">')
    block = page[start:page.index("</figure>", start)]
    assert 'src="data:image/svg+xml;base64,' in block and 'alt="[SYNTHETIC] Calibration curves' in block
    assert 'href="figures/calibration_curves_SYNTHETIC.png"' in block
    svg = (out / "figures" / "calibration_curves_SYNTHETIC.svg").read_text(encoding="utf-8")
    assert "SYNTHETIC DATA (not real forums): calibration" in svg
    png = (out / "figures" / "calibration_curves_SYNTHETIC.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert "tables/memberships.csv" not in page


def test_synthetic_survey_report_needs_the_opt_in(project, capsys):
    (project / "analyses" / "s.yaml").write_text(SPEC.format(name="resp_SYNTHETIC.csv"), encoding="utf-8")
    code, _, err = kad(["run"], capsys)
    assert code == 2
    (line,) = err.strip().splitlines()
    assert "key 'responses': datasets/survey/resp_SYNTHETIC.csv: SYNTHETIC data" in line
    assert "allow_synthetic: true" in line
    assert not (project / "reports" / "s").exists()
