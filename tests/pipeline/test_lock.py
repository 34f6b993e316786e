"""The project lock: concurrent runs wait for each other instead of breaking each other's output."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

from kadstudy.pipeline.lock import project_lock
from tests.conftest import REPO, tree
from tests.conftest import run_cli as kad
from tests.pipeline.synthetic import make_pipeline_project


def test_four_concurrent_forced_runs_all_succeed(tmp_path, monkeypatch, capsys):
    """Four `kadstudy run --force one` at once (without the lock 1 in 4 failed). They are started
    while the test holds the lock, so each must wait and say who holds it; once it is released they
    race for it among themselves."""
    project = make_pipeline_project(tmp_path, monkeypatch, names=("one",))
    assert kad(["run", "one"], capsys)[0] == 0
    expected = tree(project / "reports")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    errs = [tmp_path / f"err{i}.txt" for i in range(4)]
    with project_lock(project / ".kadstudy", "pytest holder"):
        procs = [subprocess.Popen([sys.executable, "-m", "kadstudy", "run", "--force", "one"], cwd=project,
                                  env=env, stdout=subprocess.PIPE, stderr=err.open("w"), text=True)
                 for err in errs]
        deadline = time.monotonic() + 300
        while not all("waiting" in err.read_text() for err in errs) and time.monotonic() < deadline:
            assert all(p.poll() is None for p in procs), [e.read_text() for e in errs]
            time.sleep(0.2)
    outs = [p.communicate(timeout=600)[0] for p in procs]
    for proc, out, err in zip(procs, outs, errs, strict=True):
        assert proc.returncode == 0, err.read_text()
        assert out == "building one\nbuilt 1 targets, 0 up to date\n"
        assert re.fullmatch(rf"waiting for 'pytest holder' \(pid {os.getpid()}, since \d{{4}}-\d\d-\d\d "
                            r"\d\d:\d\d:\d\d UTC\), which holds the lock \S+/\.kadstudy/lock\n",
                            err.read_text()), err.read_text()
    assert tree(project / "reports") == expected
    assert not [p for p in (project / "reports").iterdir() if p.name.startswith(".")]


def test_lock_timeout_names_the_holder_and_changes_nothing(tmp_path, monkeypatch, capsys):
    project = make_pipeline_project(tmp_path, monkeypatch)
    with project_lock(project / ".kadstudy", "kadstudy clean"):
        code, out, err = kad(["run", "--lock-timeout", "0.2"], capsys)
        assert code == 1 and out == ""
        lines = err.splitlines()
        assert len(lines) == 2
        assert re.fullmatch(rf"waiting \(up to 0\.2 s\) for 'kadstudy clean' \(pid {os.getpid()}, "
                            r"since .*\), which holds the lock .*/\.kadstudy/lock", lines[0])
        assert lines[1].startswith("error: ") and "still held by 'kadstudy clean'" in lines[1]
        assert lines[1].endswith("wait for it to finish or give a longer --lock-timeout")
        assert kad(["clean", "--lock-timeout", "0"], capsys)[0] == 1
        assert not (project / "reports").exists()
        assert kad(["status"], capsys)[0] == 1  # status only reads: it does not wait
    assert kad(["run"], capsys)[0] == 0
    assert sorted(p.name for p in (project / ".kadstudy").iterdir()) == ["lock"]


def test_lock_is_released_when_its_holder_dies(tmp_path, monkeypatch, capsys):
    project = make_pipeline_project(tmp_path, monkeypatch)
    code = ("import os, sys; from pathlib import Path; from kadstudy.pipeline.lock import project_lock\n"
            "with project_lock(Path('.kadstudy'), 'kadstudy run'):\n    os._exit(3)\n")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    assert subprocess.run([sys.executable, "-c", code], cwd=project, env=env).returncode == 3
    code, _, err = kad(["run", "--lock-timeout", "0"], capsys)
    assert code == 0, err
