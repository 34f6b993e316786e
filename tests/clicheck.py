"""Helpers of the bad-input and output-path tests: run the CLI in-process, and take the state of
a folder (content hash and mode of every entry) to prove that a refused command changed nothing."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import stat
from pathlib import Path

from tests.conftest import REPO

INSTRUMENT = REPO / "datasets" / "survey" / "instrument.yaml"
MAX_LINE = 600  # an error line longer than this echoes too much


def kad(*argv: str | os.PathLike[str]) -> tuple[int, str, str]:
    """Run ``kadstudy ARGV`` in-process: (exit code, stdout, stderr). Any exception but
    SystemExit propagates (a traceback is a failure)."""
    from kadstudy.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main([str(a) for a in argv])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return code, out.getvalue(), err.getvalue()


def state(folder: Path) -> dict[str, tuple[str, int]]:
    """Relative path -> (sha256 of the content, or 'dir'; mode bits) of every entry under
    ``folder``, the folder itself included."""
    out = {".": ("dir", stat.S_IMODE(folder.stat().st_mode))}
    for p in sorted(folder.rglob("*")):
        st = p.lstat()
        digest = hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
        out[p.relative_to(folder).as_posix()] = (digest, stat.S_IMODE(st.st_mode))
    return out


def assert_one_error(code: int, out: str, err: str, *expect: str) -> str:
    """Exit code 2, nothing on stdout, one ``error:`` line holding every ``expect``, no traceback."""
    lines = err.splitlines()
    assert code == 2, (code, out, err)
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "Traceback" not in err and out == "", (out, err)
    for text in expect:
        assert text in lines[0], (text, lines[0])
    return lines[0]


def assert_clean_refusal(code: int, err: str) -> None:
    """Exit code 2; every stderr line an ``error:`` line, printable and short; no traceback."""
    assert code == 2, (code, err)
    lines = err.splitlines()
    assert lines, "no error line"
    for line in lines:
        assert line.startswith("error: "), line[:200]
        assert line.isprintable() and len(line) <= MAX_LINE, line[:200]


def survey_files(folder: Path, respondents: int = 8) -> dict[str, Path]:
    """A copy of the shipped instrument, a three-forum case table and a small valid responses
    file (every answer 3 or 4) in ``folder``."""
    from kadstudy.survey import io as sio

    inst_path = folder / "instrument.yaml"
    inst_path.write_bytes(INSTRUMENT.read_bytes())
    inst = sio.read_instrument(inst_path)
    forums = folder / "forums.csv"
    forums.write_text("forum_id,name\nalpha,Forum Alpha\nbeta,Forum Beta\ngamma,Forum Gamma\n",
                      encoding="utf-8")
    role = sorted(inst.roles)[0]
    lines = [",".join(inst.columns)]
    for k in range(respondents):
        answers = [str(3 + (k + j) % 2) for j in range(len(inst.items))]
        lines.append(",".join([f"r{k + 1}", "alpha" if k % 2 else "beta", f"member_{k % 3}", role,
                               *answers]))
    resp = folder / "resp.csv"
    resp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"instrument": inst_path, "forums": forums, "responses": resp}
