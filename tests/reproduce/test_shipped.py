"""The shipped replication specs: every one rebuilds its published table."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import REPO
from tests.reproduce.conftest import DATASET_SPECS, SPECS


def test_every_shipped_spec_matches(project: Path, qca_data: Path, run) -> None:
    code, out, err = run("reproduce", "--data-dir", str(qca_data))
    assert code == 0, out + err
    lines = out.splitlines()
    ids = sorted(p.stem for p in SPECS.glob("*.yaml"))
    assert [line.split(":")[0] for line in lines] == ids
    assert all(": match" in line or ": no published table found" in line for line in lines), out
    status = json.loads((project / "reports" / "replications" / "status.json").read_text())
    assert sorted(status) == ids
    assert {s["status"] for s in status.values()} <= {"match", "known-differences", "no-publication"}
    for sid in ids:
        for suffix in (".md", ".html"):
            assert (project / "reports" / "replications" / f"{sid}{suffix}").is_file()


def test_dataset_specs_need_no_shared_data(project: Path, run) -> None:
    """The specs built from the coded dataset run anywhere; QCA specs without data are skipped."""
    code, out, _ = run("reproduce", "--data-dir", str(project / "no-such-folder"))
    assert code == 0
    for line in out.splitlines():
        sid = line.split(":")[0]
        if sid in DATASET_SPECS:
            assert ": match" in line, line
        else:
            assert "skipped: data not available" in line, line
    # a skipped spec gets no report and no status
    status = json.loads((project / "reports" / "replications" / "status.json").read_text())
    assert sorted(status) == DATASET_SPECS
    assert not (project / "reports" / "replications" / "lf-surv-solutions.md").exists()


def test_the_documented_difference_is_reported_not_hidden(project: Path, run) -> None:
    """Seed 001's conclusion and its funding section disagree on the Komwil VI Sekber: the report
    shows the cell, and the console line names it."""
    code, out, _ = run("reproduce", "seed001-four-forums")
    assert code == 0
    assert "1 documented difference" in out
    assert "row komwil_vi_apeksi_adeksi, column local_government_funds: published no, rebuilt yes" in out
    md = (project / "reports" / "replications" / "seed001-four-forums.md").read_text()
    assert "**no** ≠ (documented)" in md and "**yes** ≠ (documented)" in md
    assert "seed001 L3398-3402" in md


def test_committed_reports_are_up_to_date(project: Path, qca_data: Path, run) -> None:
    """reports/replications/ in the checkout is what `kadstudy reproduce` writes now."""
    code, _, _ = run("reproduce", "--data-dir", str(qca_data))
    assert code == 0
    built = project / "reports" / "replications"
    committed = REPO / "reports" / "replications"
    names = sorted(p.name for p in built.iterdir())
    assert names == sorted(p.name for p in committed.iterdir()), "run `kadstudy reproduce`"
    for name in names:
        assert (built / name).read_bytes() == (committed / name).read_bytes(), (
            f"reports/replications/{name} is out of date; run `kadstudy reproduce`")


def test_list_shows_the_last_status(project: Path, run) -> None:
    code, out, _ = run("reproduce", "--list")
    assert code == 0 and "not run yet" in out
    run("reproduce", "seed001-stated-counts")
    code, out, _ = run("reproduce", "--list")
    line = next(li for li in out.splitlines() if li.startswith("seed001-stated-counts "))
    assert "match (11/11 cells)" in line
    line = next(li for li in out.splitlines() if li.startswith("seed001-four-forums "))
    assert "not run yet" in line


def test_reproduce_is_a_listed_subcommand(run) -> None:
    code, out, _ = run("--help")
    assert code == 0 and "reproduce" in out and "Rebuild published tables" in out


def test_data_root_in_the_spec(project: Path, qca_data: Path, run) -> None:
    """Without --data-dir a QCA spec reads its data under its data_root (relative to the
    project root)."""
    import shutil

    from tests.reproduce.conftest import edit

    shutil.copytree(qca_data / "data", project / "bench" / "data")  # scratch copy, not the checkout
    spec = project / "analyses" / "replications" / "cv-calibration.yaml"
    edit(spec, "data: data/CVR.csv\n", "data: data/CVR.csv\ndata_root: bench\n")
    code, out, _ = run("reproduce", "cv-calibration")
    assert code == 0 and out == "cv-calibration: match (174/174 cells match)\n"


def test_reports_of_removed_specs_are_pruned(project: Path, run) -> None:
    reports = project / "reports" / "replications"
    run("reproduce")
    (project / "analyses" / "replications" / "kad-forums-by-scope.yaml").unlink()
    run("reproduce", "seed002-cooperation-models")  # a selection prunes nothing
    assert (reports / "kad-forums-by-scope.md").exists()
    run("reproduce")
    assert not (reports / "kad-forums-by-scope.md").exists()
    assert "kad-forums-by-scope" not in (reports / "status.json").read_text()


def test_qca_specs_say_where_no_publication_table_was_found():
    """The QCA replication specs of the canonical studies whose publication table was not found
    say so (publication.status: not_found) with what was searched, and carry no R output."""
    from pathlib import Path

    from kadstudy.reproduce.spec import read_spec

    folder = Path(__file__).resolve().parents[2] / "analyses" / "replications"
    specs = sorted(folder.glob("l[cfm]-*.yaml"))
    assert len(specs) == 8
    for path in specs:
        spec = read_spec(path)
        assert not spec.found and spec.published is None, path.name
        assert spec.searched, path.name
        assert "R package" not in str(spec.citation["author"]), path.name
