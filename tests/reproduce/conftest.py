"""A scratch copy of the project (pyproject.toml, datasets/, analyses/replications/) to run
``kadstudy reproduce`` in, so tests never write into the checkout."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import REPO, require_shared

SPECS = REPO / "analyses" / "replications"
DATASET_SPECS = ["kad-forums-by-scope", "seed001-four-forums", "seed001-stated-counts",
                 "seed002-cooperation-models"]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the project's specs and datasets; the working directory is set to it."""
    root = tmp_path / "checkout"
    root.mkdir()
    shutil.copy(REPO / "pyproject.toml", root)
    shutil.copytree(REPO / "datasets", root / "datasets")
    shutil.copytree(SPECS, root / "analyses" / "replications")
    monkeypatch.chdir(root)
    monkeypatch.delenv("KADSTUDY_DATASETS", raising=False)
    return root


@pytest.fixture
def qca_data() -> Path:
    """The QCA benchmark folder (data/*.csv) the QCA specs read."""
    return require_shared("qca-benchmarks")


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run the kadstudy command line in-process; return (exit code, stdout, stderr)."""
    from tests.conftest import run_cli

    def _run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        return run_cli(list(args), capsys)

    return _run


def edit(path: Path, old: str, new: str) -> None:
    """Replace one exact occurrence of ``old`` in a spec file."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")
