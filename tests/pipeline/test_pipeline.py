"""The make-like pipeline on a tiny SYNTHETIC project in tmp: up-to-date checks, errors, atomicity."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli as kad
from tests.conftest import tree
from tests.data.mini import CODEBOOK, HEADER, ROWS

DESC = "kind: descriptive\ntitle: Mini {n}\ndataset: mini\nby: [country, active]\noutcome: durable\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    data = tmp_path / "datasets" / "mini"
    data.mkdir(parents=True)
    (data / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    (data / "codings.csv").write_text(HEADER + "\n".join(ROWS) + "\n", encoding="utf-8")
    (tmp_path / "analyses").mkdir()
    for n in ("one", "two"):
        (tmp_path / "analyses" / f"{n}.yaml").write_text(DESC.format(n=n), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path



def test_second_run_does_nothing(project, capsys):
    code, out, _ = kad(["run"], capsys)
    assert code == 0 and "building one" in out and "building two" in out
    assert (project / "reports" / "one" / "report.html").exists()
    assert (project / "reports" / "index.html").exists()
    code, out, _ = kad(["run"], capsys)
    assert code == 0 and "nothing to do" in out and "building" not in out


def test_touch_without_change_does_not_rebuild(project, capsys):
    kad(["run"], capsys)
    path = project / "analyses" / "one.yaml"
    path.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")  # new mtime, same bytes
    code, out, _ = kad(["run"], capsys)
    assert code == 0 and "nothing to do" in out


def test_changing_one_analysis_rebuilds_only_it(project, capsys):
    kad(["run"], capsys)
    before = tree(project / "reports" / "two")
    (project / "analyses" / "one.yaml").write_text(DESC.format(n="ONE"), encoding="utf-8")
    code, out, _ = kad(["status"], capsys)
    assert code == 1
    assert out.splitlines() == [
        "index                        stale  (changed: analyses/one.yaml)",
        "one                          stale  (changed: analyses/one.yaml)",
        "two                          up to date",
    ]
    code, out, _ = kad(["run"], capsys)
    assert "building one" in out and "building two" not in out
    assert tree(project / "reports" / "two") == before
    assert "Mini ONE" in (project / "reports" / "one" / "report.html").read_text()


def test_dataset_change_rebuilds_its_analyses(project, capsys):
    kad(["run"], capsys)
    codings = project / "datasets" / "mini" / "codings.csv"
    codings.write_text(codings.read_text().replace("meet every month,t1,,", "meet every month,t9,,"))
    code, out, _ = kad(["run", "--dry-run"], capsys)
    assert code == 0 and "would build one" in out and "would build two" in out
    assert "building" not in out


def test_force_rebuilds_same_bytes(project, capsys):
    kad(["run"], capsys)
    before = tree(project / "reports")
    code, out, _ = kad(["run", "--force", "-j", "2"], capsys)
    assert code == 0 and "building one" in out
    assert tree(project / "reports") == before


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        (DESC.format(n="x") + "incl_cut: 0.8\n", "key 'incl_cut': unknown key"),
        (DESC.format(n="x").replace("by:", "bye:"), "key 'bye': unknown key; did you mean 'by'?"),
        (DESC.format(n="x").replace("kind: descriptive", "kind: regresion"), "key 'kind': expected"),
        ("kind: [unclosed\n", "not valid YAML"),
    ],
)
def test_broken_analysis_file_fails_and_keeps_reports(project, capsys, text, expect):
    kad(["run"], capsys)
    before = tree(project / "reports")
    (project / "analyses" / "two.yaml").write_text(text, encoding="utf-8")
    code, _, err = kad(["run"], capsys)
    assert code == 2
    lines = err.strip().splitlines()
    assert all(line.startswith("error: ") and "two.yaml" in line for line in lines)
    assert any(expect in line for line in lines), err
    assert tree(project / "reports") == before


def test_interrupted_build_leaves_no_partial_output(project, capsys, monkeypatch):
    kad(["run"], capsys)
    before = tree(project / "reports")
    (project / "analyses" / "one.yaml").write_text(DESC.format(n="changed"), encoding="utf-8")

    from kadstudy.report import render

    real_write = render.Report.write

    def half_write(self, folder):
        (folder / "report.html").write_text("half", encoding="utf-8")
        raise RuntimeError("simulated crash while writing")

    monkeypatch.setattr(render.Report, "write", half_write)
    code, _, err = kad(["run"], capsys)
    assert code == 1 and "target 'one' failed" in err
    assert tree(project / "reports") == before
    assert not [p for p in (project / "reports").iterdir() if p.name.startswith(".")]
    monkeypatch.setattr(render.Report, "write", real_write)
    code, out, _ = kad(["run"], capsys)
    assert code == 0 and "building one" in out


def test_unknown_target_and_list_and_clean(project, capsys):
    code, _, err = kad(["run", "onne"], capsys)
    assert code == 2 and "did you mean 'one'" in err
    code, out, _ = kad(["list"], capsys)
    assert "one" in out and "descriptive" in out
    kad(["run"], capsys)
    code, out, _ = kad(["clean"], capsys)
    assert out.splitlines() == ["removed reports/index.html", "removed reports/manifest.json",
                                "removed reports/one/", "removed reports/two/", "removed 4 outputs"]
    assert not (project / "reports" / "one").exists()


def test_report_escapes_text_from_data(project, capsys):
    (project / "analyses" / "one.yaml").write_text(DESC.format(n="<script>x</script>"))
    kad(["run"], capsys)
    page = (project / "reports" / "one" / "report.html").read_text()
    assert "<script>" not in page and "&lt;script&gt;" in page
