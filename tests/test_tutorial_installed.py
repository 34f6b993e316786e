"""The README tutorial, end to end, from an installed (non-editable) package outside the checkout.

A wheel is built from a copy of the sources (``pip wheel --no-deps``, the project's own build
hook included) and installed with ``pip install --no-deps`` into a fresh virtual environment in
``tmp_path``. Its dependencies are the pinned ones of the running environment (installed with
``-c constraints.txt``), made visible through a ``.pth`` line, so the test needs no network and
stays well under two minutes; ``KADSTUDY_TUTORIAL_FULL_INSTALL=1`` installs them from the package
index instead (``pip install -c constraints.txt``; slow, needs the index). Then, from a folder
outside the checkout, every Python example of the README runs as one notebook-style script (the
Lipset example, loading the KAD data, a regression summary, a cluster run), followed by checks
against the published Lipset results, and the installed ``kadstudy`` command exports a solution.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO, require_shared
from tests.test_readme_examples import readme_examples

#: suffixes of the data files setup.py ships (kept in step with DATA_SUFFIXES there)
DATA_SUFFIXES = (".yaml", ".yml", ".csv", ".md")
BUILD_INPUTS = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "kadstudy", "datasets")

CHECKS = textwrap.dedent('''
    # ---- checks appended to the README examples (expected: the published Lipset results)
    import sys
    from pathlib import Path
    import kadstudy
    from kadstudy.data.dataset import _readable_dataset
    site = Path(sys.prefix).resolve()
    assert Path(kadstudy.__file__).resolve().is_relative_to(site), kadstudy.__file__
    folder = _readable_dataset("kad_forums").folder.resolve()
    assert folder.is_relative_to(site) and folder.parent.name == "_datasets", folder
    # Ragin (2008), R QCA: intermediate solution when every condition contributes when present
    assert [m.expression for m in sol.models] == ["DEV*URB*LIT*STB + DEV*LIT*~IND*STB"]
    assert sol.to_frame()["cases"].tolist() == [["BE", "CZ", "NL", "UK"], ["FI", "IE"]]
    assert "| DEV\\\\*URB\\\\*LIT\\\\*STB | 0.901 | 0.879 | 0.468 | 0.378 |" in sol.to_markdown()
    assert df.index.name == "forum_id" and len(df) > 0
    assert fit.summary().startswith("Firth-penalised logit of durable on legal_umbrella")
    assert "legal_umbrella" in fit.to_frame().index
    assert choice.k == km_fit.to_frame()["cluster"].max()
    assert list(g.to_frame().index) == list(km_fit.to_frame().index)
    print("TUTORIAL OK")
''')


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from a copy of the sources (the checkout itself is not written to)."""
    base = tmp_path_factory.mktemp("wheel")
    src = base / "src"
    src.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in BUILD_INPUTS:
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=ignore)
        else:
            shutil.copy2(path, src / name)
    dist = base / "dist"
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist),
                           str(src)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    (found,) = dist.glob("kadstudy-*.whl")
    return found


def test_wheel_ships_the_datasets_as_the_master_has_them(wheel: Path):
    master = {p.relative_to(REPO / "datasets").as_posix(): p.read_bytes()
              for p in sorted((REPO / "datasets").rglob("*"))
              if p.is_file() and p.suffix in DATA_SUFFIXES and "__pycache__" not in p.parts}
    prefix = "kadstudy/_datasets/"
    with zipfile.ZipFile(wheel) as zf:
        shipped = {n[len(prefix):]: zf.read(n) for n in zf.namelist() if n.startswith(prefix)}
    assert "kad_forums/codebook.yaml" in master and "kad_forums/codings.csv" in master
    assert sorted(shipped) == sorted(master)
    assert all(shipped[k] == master[k] for k in master), "the packaged copy differs from datasets/"


def _venv(tmp_path: Path, wheel: Path) -> Path:
    """A fresh virtual environment with the wheel installed (non-editable); returns its bin/."""
    env_dir = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True,
                   timeout=120)
    python = env_dir / "bin" / "python"
    full = os.environ.get("KADSTUDY_TUTORIAL_FULL_INSTALL") == "1"
    cmd = [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", str(wheel)]
    cmd += ["-c", str(REPO / "constraints.txt")] if full else ["--no-deps", "--no-index"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1200 if full else 300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    if not full:   # the pinned dependencies of this environment, after the venv's own packages
        purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                                  "['purelib'])"], capture_output=True, text=True, check=True)
        Path(purelib.stdout.strip(), "_kadstudy_test_deps.pth").write_text(
            sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return env_dir / "bin"


def test_readme_tutorial_runs_from_the_installed_package(tmp_path: Path, wheel: Path):
    shared = require_shared("qca-benchmarks", "data")
    bindir = _venv(tmp_path, wheel)
    # a notebook folder outside the checkout, with ../shared/qca-benchmarks as the README has it
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "qca-benchmarks").symlink_to(shared.parent, target_is_directory=True)
    notebook = tmp_path / "notebook"
    notebook.mkdir()
    script = "\n".join(code for _, code in readme_examples()) + CHECKS
    (notebook / "tutorial.py").write_text(script, encoding="utf-8")
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "KADSTUDY_DATASETS", "VIRTUAL_ENV")}
    env["MPLBACKEND"] = "Agg"
    proc = subprocess.run([str(bindir / "python"), "-W", "ignore", "tutorial.py"], cwd=notebook,
                          env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert proc.stdout.rstrip().endswith("TUTORIAL OK")
    # the installed command: a solution as a Markdown table (the README's published numbers)
    proc = subprocess.run([str(bindir / "kadstudy"), "qca", "minimize",
                           "../shared/qca-benchmarks/data/LF.csv", "--outcome", "SURV",
                           "--incl-cut", "0.8", "--solution", "parsimonious", "--format", "md"],
                          cwd=notebook, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "| M1 | DEV\\*\\~IND | 0.815 | 0.721 | 0.284 | 0.194 | FI, IE |" in proc.stdout
    assert "| M1 | URB\\*STB | 0.874 | 0.845 | 0.520 | 0.430 | BE, CZ, NL, UK |" in proc.stdout
