"""Built reports follow the umask like any file the user writes (mkdtemp made them 0700/0600)."""

from __future__ import annotations

import os
import stat

import pytest

from tests.conftest import run_cli as kad
from tests.pipeline.synthetic import make_pipeline_project


@pytest.mark.parametrize(("umask", "dir_mode", "file_mode"), [(0o022, 0o755, 0o644), (0o027, 0o750, 0o640)])
def test_report_modes_follow_the_umask(tmp_path, monkeypatch, capsys, umask, dir_mode, file_mode):
    project = make_pipeline_project(tmp_path, monkeypatch, names=("one",))
    old = os.umask(umask)
    try:
        code, _, err = kad(["run", "one"], capsys)
        assert code == 0, err
        code, _, err = kad(["run", "--force", "one"], capsys)  # replacing an existing report too
        assert code == 0, err
    finally:
        os.umask(old)
    folder = project / "reports" / "one"
    paths = [folder, *sorted(folder.rglob("*"))]
    assert {p.relative_to(folder).as_posix() for p in paths} >= {".", "report.html", "tables", "figures"}
    modes = {p.relative_to(folder).as_posix(): stat.S_IMODE(p.stat().st_mode) for p in paths}
    assert modes == {rel: dir_mode if (folder / rel).is_dir() else file_mode for rel in modes}
    assert stat.S_IMODE((project / "reports").stat().st_mode) == dir_mode
