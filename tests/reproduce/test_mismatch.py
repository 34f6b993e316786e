"""A spec with a deliberately altered cell fails, naming the cell, the difference and why."""

from __future__ import annotations

from pathlib import Path

from tests.reproduce.conftest import edit


def test_altered_count_fails_naming_the_cell(project: Path, run) -> None:
    spec = project / "analyses" / "replications" / "seed001-stated-counts.yaml"
    edit(spec, '"231", 13]', '"231", 12]')
    code, out, _ = run("reproduce", "seed001-stated-counts")
    assert code == 1
    assert out.startswith("seed001-stated-counts: MISMATCH (10/11 cells match)")
    assert "row javapromo_members, column value: published 12, rebuilt 13 (+1; coding difference)" in out
    md = (project / "reports" / "replications" / "seed001-stated-counts.md").read_text()
    published_row = next(li for li in md.splitlines() if li.startswith("| javapromo_members | kerjasama"))
    assert published_row.endswith("| 231 | **12** ≠ |")
    assert "| javapromo_members | value | 12 | 13 | +1 | coding difference |" in md
    assert "javapromo: n_members = 13 (seed001 L2774" in md  # where the rebuilt value comes from
    html = (project / "reports" / "replications" / "seed001-stated-counts.html").read_text()
    assert '<td class="diff num" title="differs">12</td>' in html


# The QCA cells' diagnosis (transcription error, different calibration) is tested on a tiny
# synthetic spec in test_publication.py: the shipped QCA specs transcribe no publication table.


def test_a_missing_published_row_is_a_difference(project: Path, run) -> None:
    spec = project / "analyses" / "replications" / "seed002-cooperation-models.yaml"
    edit(spec, "groups: [handshake, fee_for_service, joint_agreement, joint_secretariat, regional_body]",
         "groups: [handshake, fee_for_service, joint_agreement, regional_body]")
    code, out, _ = run("reproduce", "seed002-cooperation-models")
    assert code == 1
    assert "row joint_secretariat, Jointly" not in out  # the key is the form, not the label
    assert "row joint_secretariat: no such row" in out


def test_a_documented_difference_that_went_away_fails(project: Path, run) -> None:
    spec = project / "analyses" / "replications" / "seed001-four-forums.yaml"
    edit(spec, 'professionals, "no", "yes", weak, "yes"]', 'professionals, "yes", "yes", weak, "yes"]')
    code, out, _ = run("reproduce", "seed001-four-forums")
    assert code == 1
    assert ("documented difference at row komwil_vi_apeksi_adeksi, column local_government_funds no "
            "longer differs: remove it from known_differences") in out
