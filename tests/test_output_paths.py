"""Output files of every command that writes a user-named file (``-o`` of ``qca``, ``survey``,
``data agreement``; ``survey synthesize``; the reports of ``reproduce``; the dataset files
``data add-case`` rewrites): never an input of the command, the folder must exist and is not
created, a folder or device is refused, the write is atomic, and the file mode follows the umask.

A refusal is one ``error:`` line, exit code 2, and no file changed: the content hash and mode of
every file (and no new file) are compared before and after.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kadstudy.errors import KadError
from kadstudy.io import atomic_write_bytes, atomic_write_files
from tests.clicheck import assert_one_error, kad, state, survey_files
from tests.conftest import REPO
from tests.data.mini import CODEBOOK, HEADER, NEW_CASE, ROWS, SOURCE_TEXT

CASES = "case,A,B,C,Y\na,1,0,1,1\nb,1,1,0,1\nc,0,1,1,0\nd,0,0,0,0\ne,1,0,0,1\n"
QCA_COMMANDS = [
    ["qca", "truth-table", "{data}", "--outcome", "Y"],
    ["qca", "minimize", "{data}", "--outcome", "Y", "--solution", "parsimonious"],
    ["qca", "necessity", "{data}", "--outcome", "Y"],
    ["qca", "super-subset", "{data}", "--outcome", "Y"],
    ["qca", "calibrate", "{data}", "--column", "A", "--type", "crisp", "--thresholds", "0.5"],
]


@contextmanager
def umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "data.csv"
    path.write_text(CASES, encoding="utf-8")
    return path


def _argv(template: list[str], data: Path) -> list[str]:
    return [a.format(data=data) for a in template]


# --- the output is an input -----------------------------------------------------------------------


@pytest.mark.parametrize("command", QCA_COMMANDS, ids=lambda c: c[1])
def test_qca_output_naming_its_input_is_refused(command, data, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "link.csv").symlink_to(data)
    os.link(data, tmp_path / "hard.csv")
    (tmp_path / "sub").mkdir()
    for output in (str(data), "data.csv", "./sub/../data.csv", "link.csv", "hard.csv"):
        before = state(tmp_path)
        line = assert_one_error(*kad(*_argv(command, data), "-o", output), "is the input file")
        assert line.startswith(f"error: -o {output}: "), line
        assert state(tmp_path) == before


def test_survey_output_naming_an_input_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    f = survey_files(tmp_path)
    before = state(tmp_path)
    for name in ("responses", "instrument", "forums"):
        for command in ("scales", "aggregate", "factors"):
            result = kad("survey", command, f["responses"], "--instrument", f["instrument"],
                         "--forums", f["forums"], "-o", f[name])
            assert_one_error(*result, f"-o {f[name]}: is the input file")
            assert state(tmp_path) == before


def test_survey_output_naming_a_default_input_is_refused(tmp_path, monkeypatch):
    """Without --instrument/--forums the project's files are inputs too."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    f = survey_files(tmp_path)
    (tmp_path / "datasets" / "survey").mkdir(parents=True)
    (tmp_path / "datasets" / "kad_forums").mkdir(parents=True)
    shutil.copy(f["instrument"], tmp_path / "datasets" / "survey" / "instrument.yaml")
    shutil.copy(f["forums"], tmp_path / "datasets" / "kad_forums" / "forums.csv")
    before = state(tmp_path)
    assert_one_error(*kad("survey", "scales", "resp.csv", "-o", "datasets/survey/instrument.yaml"),
                     "is the input file")
    assert state(tmp_path) == before


def test_data_agreement_output_naming_an_input_is_refused(tmp_path):
    mini = _mini_dataset(tmp_path)
    codings = mini / "codings.csv"
    other = tmp_path / "coder_b.csv"
    other.write_bytes(codings.read_bytes())
    before = state(tmp_path)
    for target in (codings, other, mini / "codebook.yaml"):
        assert_one_error(*kad("data", "agreement", codings, other, "-d", mini, "-o", target),
                         f"-o {target}: is the input file")
        assert state(tmp_path) == before


def test_data_agreement_output_file(tmp_path):
    mini = _mini_dataset(tmp_path)
    codings = mini / "codings.csv"
    code, shown, err = kad("data", "agreement", codings, codings, "-d", mini, "--format", "csv")
    assert code == 0, err
    code, out, err = kad("data", "agreement", codings, codings, "-d", mini, "--format", "csv", "-o",
                         tmp_path / "agree.csv")
    assert code == 0 and out == "", err
    assert (tmp_path / "agree.csv").read_text(encoding="utf-8") == shown


# --- where the output goes ------------------------------------------------------------------------


def _bad_targets(tmp_path: Path) -> list[tuple[str, str]]:
    (tmp_path / "folder").mkdir()
    (tmp_path / "plain.txt").write_text("x", encoding="utf-8")
    return [
        (str(tmp_path / "folder"), "is a folder"),
        (str(tmp_path / "missing" / "out.txt"), f"the folder {tmp_path / 'missing'} does not exist"),
        (str(tmp_path / "plain.txt" / "out.txt"), f"the folder {tmp_path / 'plain.txt'} is not a folder"),
        ("/dev/null", "not a regular file"),
        ("/proc/x", "/proc"),
        ("", "an empty file name"),
    ]


@pytest.mark.parametrize("command", QCA_COMMANDS, ids=lambda c: c[1])
def test_qca_output_where_it_cannot_go(command, data, tmp_path):
    for target, expect in _bad_targets(tmp_path):
        before = state(tmp_path)
        line = assert_one_error(*kad(*_argv(command, data), "-o", target), expect)
        assert line.startswith(f"error: -o {target}: " if target else "error: -o: "), line
        assert state(tmp_path) == before   # in particular, no folder 'missing' created


def test_survey_output_where_it_cannot_go(tmp_path):
    f = survey_files(tmp_path)
    for target, expect in _bad_targets(tmp_path):
        before = state(tmp_path)
        for command in ("scales", "aggregate"):
            assert_one_error(*kad("survey", command, f["responses"], "--instrument", f["instrument"],
                                  "--forums", f["forums"], "-o", target), f"-o {target}".strip(), expect)
            assert state(tmp_path) == before


def test_survey_synthesize_output_where_it_cannot_go(tmp_path):
    f = survey_files(tmp_path)
    before = state(tmp_path)
    target = tmp_path / "missing" / "r_SYNTHETIC.csv"
    assert_one_error(*kad("survey", "synthesize", "--instrument", f["instrument"], "--forums",
                          f["forums"], "-o", target), "does not exist; create it first")
    (tmp_path / "d_SYNTHETIC.csv").mkdir()
    before = state(tmp_path)
    assert_one_error(*kad("survey", "synthesize", "--instrument", f["instrument"], "--forums",
                          f["forums"], "-o", tmp_path / "d_SYNTHETIC.csv"), "is a folder")
    assert state(tmp_path) == before


def test_data_agreement_output_where_it_cannot_go(tmp_path):
    mini = _mini_dataset(tmp_path)
    codings = mini / "codings.csv"
    for target, expect in _bad_targets(tmp_path):
        before = state(tmp_path)
        assert_one_error(*kad("data", "agreement", codings, codings, "-d", mini, "-o", target),
                         f"-o {target}".strip(), expect)
        assert state(tmp_path) == before


# --- file modes follow the umask ------------------------------------------------------------------


@pytest.mark.parametrize("mask", [0o022, 0o027, 0o077])
def test_atomic_write_mode_follows_umask(tmp_path, mask):
    new, old = tmp_path / "new.txt", tmp_path / "old.txt"
    old.write_text("before", encoding="utf-8")
    old.chmod(0o600)
    with umask(mask):
        atomic_write_bytes(new, b"x")
        atomic_write_bytes(old, b"after")
    # What any new file gets: 0o666 without the umask's bits (not mkstemp's 0o600).
    assert mode(new) == mode(old) == 0o666 & ~mask
    assert old.read_bytes() == b"after"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.txt", "old.txt"]  # no temporary left


@pytest.mark.parametrize("mask", [0o022, 0o027])
def test_cli_outputs_follow_umask(tmp_path, data, mask):
    expected = 0o666 & ~mask
    f = survey_files(tmp_path)
    mini = _mini_dataset(tmp_path)
    with umask(mask):
        outputs = []
        for command in QCA_COMMANDS:
            target = tmp_path / f"{command[1]}.out"
            assert kad(*_argv(command, data), "-o", target)[0] == 0
            outputs.append(target)
        assert kad("survey", "scales", f["responses"], "--instrument", f["instrument"], "--forums",
                   f["forums"], "-o", tmp_path / "scales.txt")[0] == 0
        assert kad("survey", "synthesize", "--instrument", f["instrument"], "--forums", f["forums"],
                   "-o", tmp_path / "r_SYNTHETIC.csv")[0] == 0
        code, _, err = kad("data", "agreement", mini / "codings.csv", mini / "codings.csv", "-d", mini,
                           "-o", tmp_path / "agree.txt")
        assert code == 0, err
        outputs += [tmp_path / "scales.txt", tmp_path / "r_SYNTHETIC.csv", tmp_path / "agree.txt"]
    assert {p.name: oct(mode(p)) for p in outputs} == {p.name: oct(expected) for p in outputs}


@pytest.mark.parametrize("mask", [0o022, 0o027])
def test_add_case_and_build_keep_dataset_files_readable(tmp_path, mask):
    """``data add-case`` and ``data build`` rewrite the dataset files atomically: they get the mode
    of a new file under the umask (group/world-readable under 022), not 0600."""
    mini = _mini_dataset(tmp_path)
    (mini / "codings.csv").chmod(0o644)
    case = tmp_path / "case.yaml"
    case.write_text(NEW_CASE, encoding="utf-8")
    with umask(mask):
        code, _, err = kad("data", "build", "-d", mini)
        assert code == 0, err
        assert mode(mini / "forums.csv") == 0o666 & ~mask
        code, _, err = kad("data", "add-case", case, "-d", mini, "--sources", tmp_path / "sources")
        assert code == 0, err
    for name in ("codings.csv", "forums.csv"):
        assert mode(mini / name) == 0o666 & ~mask, name
    assert sorted(p.name for p in mini.iterdir()) == ["codebook.yaml", "codings.csv", "forums.csv"]


# --- atomic, all or nothing -----------------------------------------------------------------------


def test_several_files_all_or_nothing(tmp_path):
    """When one file of a set cannot be written, none is, and no temporary file is left."""
    (tmp_path / "a.txt").write_text("old", encoding="utf-8")
    (tmp_path / "b").mkdir()
    before = state(tmp_path)
    with pytest.raises(KadError, match=r"b: cannot write \(.*\); nothing was written"):
        atomic_write_files({tmp_path / "a.txt": b"new", tmp_path / "b": b"x"})
    assert state(tmp_path) == before
    with pytest.raises(KadError, match="cannot write"):
        atomic_write_files({tmp_path / "a.txt": b"new", tmp_path / "no" / "c.txt": b"x"},
                           make_parents=False)
    assert state(tmp_path) == before


# --- reproduce into a read-only folder ------------------------------------------------------------


@pytest.fixture
def open_project() -> Iterator[Path]:
    """A copy of the project's specs and datasets in a folder every user can read (the test may
    run the command as an unprivileged user); removed afterwards."""
    base = Path(tempfile.mkdtemp(prefix="kadstudy-ro-"))
    base.chmod(0o755)
    root = base / "checkout"
    root.mkdir()
    shutil.copy(REPO / "pyproject.toml", root)
    shutil.copytree(REPO / "datasets", root / "datasets")
    shutil.copytree(REPO / "analyses" / "replications", root / "analyses" / "replications")
    try:
        yield root
    finally:
        for p in [base, *base.rglob("*")]:
            if p.is_dir() and not p.is_symlink():
                p.chmod(0o755)
        shutil.rmtree(base)


def _reproduce_unprivileged(root: Path) -> tuple[int, str, str]:
    """``kadstudy reproduce`` in ``root``: in-process, or, when running as root (whom file
    permissions do not stop), in a child process as the unprivileged user 'nobody' (util-linux
    ``setpriv``)."""
    if os.geteuid() != 0:
        cwd = Path.cwd()
        os.chdir(root)
        try:
            return kad("reproduce", "seed001-stated-counts")
        finally:
            os.chdir(cwd)
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: cannot make a folder read-only for the command")
    env = {**os.environ, "HOME": str(root), "MPLCONFIGDIR": str(root)}
    env.pop("KADSTUDY_DATASETS", None)
    proc = subprocess.run([setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable,
                           "-m", "kadstudy", "reproduce", "seed001-stated-counts"],
                          cwd=root, env=env, capture_output=True, text=True, timeout=300, check=False)
    return proc.returncode, proc.stdout, proc.stderr


@pytest.mark.parametrize("readonly", ["reports/replications", "reports", "."])
def test_reproduce_into_read_only_folder(open_project, readonly):
    root = open_project
    (root / "reports" / "replications").mkdir(parents=True)
    (root / "reports" / "replications" / "status.json").write_text("{}\n", encoding="utf-8")
    if readonly == "reports":
        shutil.rmtree(root / "reports" / "replications")
    elif readonly == ".":
        shutil.rmtree(root / "reports")
    folder = root / readonly
    folder.chmod(0o555)
    before = state(root)
    code, out, err = _reproduce_unprivileged(root)
    assert_one_error(code, out, err, f"error: {readonly}: the folder is not writable")
    assert state(root) == before


def test_reproduce_reports_folder_is_a_file(tmp_path, monkeypatch):
    root = tmp_path / "checkout"
    shutil.copytree(REPO / "analyses" / "replications", root / "analyses" / "replications")
    shutil.copytree(REPO / "datasets", root / "datasets")
    shutil.copy(REPO / "pyproject.toml", root)
    (root / "reports").write_text("not a folder", encoding="utf-8")
    monkeypatch.chdir(root)
    monkeypatch.delenv("KADSTUDY_DATASETS", raising=False)
    before = state(root)
    assert_one_error(*kad("reproduce", "seed001-stated-counts"), "error: reports: is not a folder")
    assert state(root) == before


# --- a tiny dataset -------------------------------------------------------------------------------



def _mini_dataset(tmp_path: Path) -> Path:
    """The SYNTHETIC mini dataset of tests/data (codebook, codings) and its source text."""
    folder = tmp_path / "datasets" / "mini"
    folder.mkdir(parents=True)
    (folder / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    (folder / "codings.csv").write_text(HEADER + "\n".join(ROWS) + "\n", encoding="utf-8")
    sources = tmp_path / "sources"
    sources.mkdir(exist_ok=True)
    (sources / "900_synthetic.txt").write_text(SOURCE_TEXT, encoding="utf-8")
    return folder
