"""The ``publication`` block: a spec whose publication table was not found still rebuilds and
shows its analysis, says what was searched, and is never counted as a reproduced publication; the
``qca_calibration`` method compares a calibration with published memberships read from a data
file. Everything here runs on tiny synthetic data written into the scratch project (no ../shared)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from kadstudy.reproduce.spec import read_spec

SEARCHED = ["search tool, pages corpus: 'tiny study table' -> abstract only",
            "find_string 'Tiny (2020,' -> no hit"]

NOT_FOUND = f"""\
title: "Tiny study: necessity of X for Y"
citation: {{author: "Tiny, T.", year: 2020, title: "A tiny study", journal: "J. Tiny", volume: "1(1)",
           pages: "1-2"}}
publication:
  status: not_found
  searched:
    - "{SEARCHED[0]}"
    - "{SEARCHED[1]}"
method: qca_necessity
data: data/tiny.csv
data_root: bench
parameters: {{outcome: Y, conditions: [X]}}
"""

# fuzzy X and Y of three cases; by hand: inclN(X) = (0.2 + 0.4 + 0.8) / 1.5 = 0.933,
# inclN(~X) = (0.3 + 0.4 + 0.1) / 1.5 = 0.533
TINY = "case,X,Y\na,0.2,0.3\nb,0.6,0.4\nc,0.9,0.8\n"

TRANSCRIBED = """\
title: "Tiny study: necessity of X for Y (Table 1)"
citation: {author: "Tiny, T.", year: 2020, title: "A tiny study", table: "Table 1", page: "2"}
method: qca_necessity
data: data/tiny.csv
data_root: bench
parameters: {outcome: Y, conditions: [X]}
published:
  key: term
  columns: [term, {name: inclN, decimals: 3}]
  rows:
    - [X, 'INCL_X']
    - ['~X', 'INCL_NX']
"""


def _bench(project: Path, name: str, text: str) -> None:
    folder = project / "bench" / "data"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def _spec(project: Path, sid: str, text: str) -> Path:
    path = project / "analyses" / "replications" / f"{sid}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------- not found


def test_not_found_spec_loads_and_renders_its_line(project: Path, run) -> None:
    _bench(project, "tiny.csv", TINY)
    path = _spec(project, "tiny-nf", NOT_FOUND)
    spec = read_spec(path)
    assert not spec.found and spec.published is None and spec.searched == SEARCHED
    code, out, _ = run("reproduce", "tiny-nf")
    assert code == 0
    assert out == "tiny-nf: no published table found (analysis rebuilt, nothing compared)\n"
    line = "No published table found; searched: " + "; ".join(SEARCHED)
    reports = project / "reports" / "replications"
    md = (reports / "tiny-nf.md").read_text()
    assert line in md
    assert "| X | 0.933" in md  # the analysis is shown (inclN of X, worked by hand above)
    assert "## Differences" not in md and "publication table: not found" in md
    html = (reports / "tiny-nf.html").read_text()
    import html as _html

    assert _html.escape(line).replace("&#x27;", "&#39;") in html
    status = json.loads((reports / "status.json").read_text())["tiny-nf"]
    assert status["status"] == "no-publication" and status["matched"] == 0


def test_not_found_is_not_counted_as_reproduced(project: Path, run) -> None:
    from kadstudy.report.index import Replication, index_html

    _bench(project, "tiny.csv", TINY)
    _spec(project, "tiny-nf", NOT_FOUND)
    run("reproduce", "tiny-nf", "seed001-stated-counts")
    status = json.loads((project / "reports" / "replications" / "status.json").read_text())
    reps = [Replication(sid, sid, s["status"], s["compared"], s["matched"]) for sid, s in status.items()]
    page = index_html([], replications=reps)
    assert ("Reproduced: 1 of 2 specs (the rebuilt table matches its source's); "
            "no published table found for 1") in page
    assert "no published table found (analysis only, not a reproduction)" in page


@pytest.mark.parametrize(("old", "new", "message"), [
    ("status: not_found", "status: missing",
     "key 'publication.status': expected one of transcribed, not_found"),
    ("  searched:\n    - \"" + SEARCHED[0] + "\"\n    - \"" + SEARCHED[1] + "\"\n", "",
     "key 'publication': status not_found needs searched"),
])
def test_bad_publication_is_one_line_naming_file_and_key(project: Path, run, old: str, new: str,
                                                         message: str) -> None:
    _spec(project, "tiny-nf", NOT_FOUND.replace(old, new))
    code, out, err = run("reproduce", "tiny-nf")
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: analyses/replications/tiny-nf.yaml: " + message), lines[0]
    assert not (project / "reports").exists()


def test_not_found_with_a_published_table_is_refused(project: Path, run) -> None:
    body = TRANSCRIBED.split("published:\n", 1)[1]
    _spec(project, "tiny-nf", NOT_FOUND + "published:\n" + body)
    code, _, err = run("reproduce", "tiny-nf")
    assert code == 2
    assert err.splitlines() == [
        "error: analyses/replications/tiny-nf.yaml: key 'published': publication.status is not_found, "
        "so there is nothing to compare; remove published (or set publication.status: transcribed)"]


def test_transcribed_needs_table_and_page(project: Path, run) -> None:
    _spec(project, "tiny-t", TRANSCRIBED.replace(', table: "Table 1", page: "2"', "")
          .replace("INCL_X", "0.933").replace("INCL_NX", "0.533"))
    code, _, err = run("reproduce", "tiny-t")
    assert code == 2
    assert err.splitlines() == [
        "error: analyses/replications/tiny-t.yaml: key 'citation.table': missing; name the table "
        "transcribed (or publication: {status: not_found, searched: [...]})",
        "error: analyses/replications/tiny-t.yaml: key 'citation.page': missing; give page or lines, "
        "where the table is printed"]


# ---------------------------------------------------------------------------- diagnosis of QCA cells


def test_a_swapped_qca_cell_reads_as_a_transcription_error(project: Path, run) -> None:
    _bench(project, "tiny.csv", TINY)
    _spec(project, "tiny-t", TRANSCRIBED.replace("INCL_X", "0.393").replace("INCL_NX", "0.533"))
    code, out, _ = run("reproduce", "tiny-t")
    assert code == 1
    assert "row X, column inclN: published 0.393, rebuilt 0.933 (+0.540; transcription error)" in out


def test_several_qca_cells_off_read_as_a_different_calibration(project: Path, run) -> None:
    _bench(project, "tiny.csv", TINY)
    _spec(project, "tiny-t", TRANSCRIBED.replace("INCL_X", "0.900").replace("INCL_NX", "0.600"))
    code, out, _ = run("reproduce", "tiny-t")
    assert code == 1
    assert "row X, column inclN: published 0.900, rebuilt 0.933 (+0.033; different calibration)" in out
    assert "row ~X, column inclN: published 0.600, rebuilt 0.533 (-0.067; different calibration)" in out


# ---------------------------------------------------------------------------- qca_calibration

CALIB = """\
title: "Tiny calibration"
citation: {author: "Tiny, T.", year: 2020, title: "A tiny study", table: "replication file",
           page: "none: a data file"}
method: qca_calibration
data: data/raw.csv
data_root: bench
parameters:
  calibrations:
    X: {thresholds: [0, 4, 10]}
published: {from_data: data/fuzzy.csv}
"""
RAW = "case,X\na,0\nb,2\nc,4\nd,7\ne,10\n"


def _logistic(x: float, e: float, c: float, i: float, idm: float = 0.95) -> float:
    """The direct method worked independently of the code: log odds of full membership
    ln(idm / (1 - idm)) at the inclusion anchor, linear in x on each side of the crossover."""
    k = math.log(idm / (1 - idm))
    odds = k * (x - c) / (i - c) if x >= c else k * (x - c) / (c - e)
    return 1 / (1 + math.exp(-odds))


def test_hand_computed_memberships() -> None:
    """The expected memberships of RAW, by hand: x = 7 is half-way from the crossover 4 to the
    inclusion anchor 10, so its log odds are ln(19) / 2 = 1.4722 and its membership
    1 / (1 + e^-1.4722) = 0.8134; x = 2 mirrors it (0.1866)."""
    got = [round(_logistic(x, 0, 4, 10), 4) for x in (0, 2, 4, 7, 10)]
    assert got == [0.05, 0.1866, 0.5, 0.8134, 0.95]
    # at log odds 3 (idm = 1 / (1 + e^-3)): 7 -> 1 / (1 + e^-1.5) = 0.8176
    assert round(_logistic(7, 0, 4, 10, 1 / (1 + math.exp(-3))), 4) == 0.8176


def test_calibration_matches_hand_computed_memberships(project: Path, run) -> None:
    _bench(project, "raw.csv", RAW)
    _bench(project, "fuzzy.csv", "case,X\na,0.05\nb,0.19\nc,0.5\nd,0.81\ne,0.95\n")
    _spec(project, "tiny-cal", CALIB)
    code, out, _ = run("reproduce", "tiny-cal")
    assert code == 0, out
    assert out == "tiny-cal: match (5/5 cells match)\n"  # 0.5 compared as 0.50 (the column's 2 decimals)
    reports = project / "reports" / "replications"
    html = (reports / "tiny-cal.html").read_text()
    assert html.count("data:image/svg+xml;base64,") == 1  # one calibration curve per set
    assert (reports / "tiny-cal.X.svg").read_bytes().lstrip().startswith(b"<?xml")
    md = (reports / "tiny-cal.md").read_text()
    assert "![Calibration of X](tiny-cal.X.svg)" in md
    assert "0.81" not in md.split("## Published table")[1].split("## Calibration curves")[0]


def test_calibration_difference_is_classified(project: Path, run) -> None:
    _bench(project, "raw.csv", RAW)
    _bench(project, "fuzzy.csv", "case,X\na,0.05\nb,0.19\nc,0.50\nd,0.82\ne,0.95\n")
    _spec(project, "tiny-cal", CALIB)
    code, out, _ = run("reproduce", "tiny-cal")
    assert code == 1
    assert "row d, X, column membership: published 0.82, rebuilt 0.81 (-0.01; rounding)" in out


def test_calibration_idm_moves_the_anchors(project: Path, run) -> None:
    """With idm = 1 / (1 + e^-3) (log odds 3), x = 7 gives 0.8176, i.e. 0.82."""
    _bench(project, "raw.csv", RAW)
    _bench(project, "fuzzy.csv", "case,X\na,0.05\nb,0.18\nc,0.50\nd,0.82\ne,0.95\n")
    _spec(project, "tiny-cal", CALIB.replace("published:", "  idm: 0.952574126822\npublished:"))
    code, out, _ = run("reproduce", "tiny-cal")
    assert code == 0, out


@pytest.mark.parametrize("bad", ["nan", "1e-04", "Infinity"])
def test_a_published_value_that_is_not_a_plain_decimal_is_one_line(project: Path, run, bad: str) -> None:
    """Decimal() would take these; a transcribed cell would not, and neither does the data file."""
    _bench(project, "raw.csv", RAW)
    _bench(project, "fuzzy.csv", f"case,X\na,0.05\nb,{bad}\nc,0.50\nd,0.81\ne,0.95\n")
    _spec(project, "tiny-cal", CALIB)
    code, _, err = run("reproduce", "tiny-cal")
    assert code != 0 and "Traceback" not in err
    line = err.strip()
    assert "\n" not in line and "tiny-cal" in line and "data/fuzzy.csv" in line
    assert f"column 'X': '{bad}' is not a number" in line


def test_calibration_without_its_published_file_is_skipped(project: Path, run) -> None:
    _bench(project, "raw.csv", RAW)
    _spec(project, "tiny-cal", CALIB)
    code, out, _ = run("reproduce", "tiny-cal")
    assert code == 0
    assert out.startswith("tiny-cal: skipped: published data not available (no data/fuzzy.csv")


def test_from_data_is_only_for_qca_calibration(project: Path, run) -> None:
    _spec(project, "tiny-t", TRANSCRIBED.split("published:\n")[0] + "published: {from_data: data/x.csv}\n")
    code, _, err = run("reproduce", "tiny-t")
    assert code == 2
    assert "key 'published.from_data': only method qca_calibration" in err


# ---------------------------------------------------------------------------- shipped specs


def test_shipped_specs_all_load_and_none_presents_r_output_as_a_publication() -> None:
    from kadstudy.reproduce import load_specs
    from tests.conftest import REPO

    specs = load_specs(REPO)
    assert len(specs) >= 20
    for spec in specs:
        assert "expected/" not in json.dumps(spec.citation), spec.id  # no R reference output
        if spec.found:
            assert spec.published is not None or spec.published_from is not None, spec.id
        else:
            assert spec.published is None and spec.searched, spec.id
        if spec.reads == "data":  # the QCA specs: a publication's table was not found, or the
            assert not spec.found or spec.published_from is not None, spec.id  # data file
