"""Reports are the same bytes on every run, wherever the checkout and the data live."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tests.reproduce.conftest import DATASET_SPECS


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_bytes_twice_and_nothing_else_left(project: Path, run) -> None:
    out = project / "reports" / "replications"
    assert run("reproduce")[0] == 0
    first = _snapshot(out)
    assert run("reproduce")[0] == 0
    assert _snapshot(out) == first
    # every file is a report or the status; no temporary files from the atomic writes remain
    assert set(first) == {f"{s}{x}" for s in DATASET_SPECS for x in (".md", ".html")} | {"status.json"}


def test_same_bytes_wherever_checkout_and_data_live(project: Path, qca_data: Path, run,
                                                    tmp_path: Path, monkeypatch) -> None:
    assert run("reproduce", "--data-dir", str(qca_data))[0] == 0
    first = _snapshot(project / "reports" / "replications")
    other = tmp_path / "elsewhere" / "clone"
    shutil.copytree(project, other, ignore=shutil.ignore_patterns("reports"))
    data = tmp_path / "mirror"
    shutil.copytree(qca_data / "data", data / "data")  # a scratch copy, outside the checkout
    monkeypatch.chdir(other)
    assert run("reproduce", "--data-dir", str(data))[0] == 0
    assert _snapshot(other / "reports" / "replications") == first
    for name, data_bytes in first.items():
        text = data_bytes.decode("utf-8")
        assert str(tmp_path) not in text and "/work/" not in text, name
        assert not re.search(r"\b20\d\d-\d\d-\d\d[T ]\d\d:\d\d", text), name  # no timestamps


def test_running_one_spec_keeps_the_others_status(project: Path, run) -> None:
    run("reproduce")
    status = project / "reports" / "replications" / "status.json"
    before = status.read_bytes()
    run("reproduce", "seed002-cooperation-models")
    assert status.read_bytes() == before
