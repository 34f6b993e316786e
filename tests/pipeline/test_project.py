"""Project detection and exit codes of the pipeline commands."""

from __future__ import annotations

from pathlib import Path

import pytest

from kadstudy.errors import KadError
from tests.conftest import run_cli as kad
from tests.pipeline.synthetic import make_pipeline_project


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


@pytest.mark.parametrize("argv", [["run"], ["run", "--dry-run"], ["run", "--force"], ["status"], ["list"],
                                  ["clean"], ["reproduce"], ["data", "build"]])
def test_outside_a_project_exit_2_and_nothing_written(tmp_path, monkeypatch, capsys, argv):
    """No analyses/ here or above (a pip-installed package must not fall back to its install folder)."""
    outside = tmp_path / "somewhere" / "else"
    outside.mkdir(parents=True)
    (tmp_path / "datasets").mkdir()  # a datasets/ folder alone (no pyproject.toml) is no project
    monkeypatch.chdir(outside)
    monkeypatch.delenv("KADSTUDY_DATASETS", raising=False)
    code, out, err = kad(argv, capsys)
    assert code == 2
    assert err == (f"error: not a kadstudy project: {outside.resolve()} (no analyses/ folder here or above); "
                   "run it from a project's root\n")
    assert out == ""
    assert _files(tmp_path) == ["datasets", "somewhere", "somewhere/else"]


def test_found_from_a_subfolder(tmp_path, monkeypatch, capsys):
    project = make_pipeline_project(tmp_path, monkeypatch)
    sub = project / "datasets" / "synqca"
    monkeypatch.chdir(sub)
    code, out, _ = kad(["list"], capsys)
    assert code == 0
    assert [line.split()[:2] for line in out.splitlines()] == [["one", "descriptive"], ["two", "descriptive"]]
    code, _, _ = kad(["run", "one"], capsys)
    assert code == 0 and (project / "reports" / "one" / "report.html").is_file()
    assert not (sub / "reports").exists() and not (sub / ".kadstudy").exists()


def test_status_writes_nothing(tmp_path, monkeypatch, capsys):
    project = make_pipeline_project(tmp_path, monkeypatch)
    before = _files(project)
    code, out, _ = kad(["status"], capsys)
    assert code == 1  # never built: stale
    assert out.splitlines() == [f"{n:28} stale  (its report is missing)" for n in ("index", "one", "two")]
    code, out, _ = kad(["run", "--dry-run"], capsys)
    assert code == 0 and "would build one: its report is missing" in out
    assert _files(project) == before  # in particular no .kadstudy/


def test_exit_codes(tmp_path, monkeypatch, capsys):
    """0 ok; 1 a target failed or status finds something stale; 2 bad input or usage."""
    project = make_pipeline_project(tmp_path, monkeypatch)
    assert kad(["run"], capsys)[0] == 0
    assert kad(["status"], capsys)[0] == 0
    assert kad(["run", "--jobs", "0"], capsys)[0] == 2             # usage
    assert kad(["run", "--lock-timeout", "-1"], capsys)[0] == 2    # usage
    assert kad(["status", "nine"], capsys)[0] == 2                 # unknown target
    (project / "analyses" / "one.yaml").write_text("kind: descriptive\ntitle: x\ndataset: synqca\n"
                                                   "by: [no_such_variable]\n", encoding="utf-8")
    assert kad(["status"], capsys)[0] == 1                         # stale (changed)
    code, _, err = kad(["run"], capsys)                            # refused before building
    assert code == 2 and "unknown variable 'no_such_variable'" in err
    (project / "analyses" / "one.yaml").write_text("kind: descriptive\ntitle: y\ndataset: synqca\n"
                                                   "by: [country]\n", encoding="utf-8")
    import kadstudy.pipeline.kinds.descriptive as descriptive

    def fails(project, spec):
        raise KadError("the data cannot support this analysis")

    monkeypatch.setattr(descriptive, "build", fails)
    code, _, err = kad(["run"], capsys)
    assert code == 1 and "error: target 'one' failed" in err, err   # the analysis fails
    monkeypatch.undo()
    monkeypatch.chdir(project)
    (project / "analyses" / "one.yaml").write_text("kind: descriptive\n", encoding="utf-8")
    code, _, err = kad(["run"], capsys)
    assert code == 2 and err.startswith("error: analyses/one.yaml")  # bad analysis file


def test_data_commands_use_kadstudy_datasets_outside_a_project(tmp_path, monkeypatch, capsys):
    from tests.pipeline.synthetic import write

    data_home = tmp_path / "data_home"
    write(data_home)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    monkeypatch.chdir(outside)
    monkeypatch.setenv("KADSTUDY_DATASETS", str(data_home / "datasets"))
    code, _, err = kad(["data", "build", "--dataset", "synqca"], capsys)
    assert code == 0, err
    assert (data_home / "datasets" / "synqca" / "forums.csv").is_file()
    assert _files(outside) == []


def test_missing_dataset_is_bad_input_before_anything_is_written(tmp_path, monkeypatch, capsys):
    project = make_pipeline_project(tmp_path, monkeypatch, names=())
    spec = "kind: descriptive\ntitle: X\ndataset: nope\nby: [country]\n"
    (project / "analyses" / "x.yaml").write_text(spec, encoding="utf-8")
    before = _files(project)
    for argv in (["run"], ["status"], ["run", "--dry-run"]):
        code, out, err = kad(argv, capsys)
        assert code == 2 and out == ""
        assert err.startswith("error: dataset 'nope': no codebook.yaml found") and err.count("\n") == 1
    assert _files(project) == before
