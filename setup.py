"""Build hook (the rest of the configuration is in pyproject.toml).

The coded datasets are kept once, at the top of the checkout (``datasets/``, the master that
``kadstudy data`` edits). So that ``kadstudy.data.load("kad_forums")`` also works from an installed,
non-editable package, the wheel carries a copy of their data files as ``kadstudy/_datasets/``;
``tests/test_tutorial_installed.py`` checks that the copy in a built wheel equals the master.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
#: files of ``datasets/`` that are data (the recoding scripts and caches are not shipped)
DATA_SUFFIXES = (".yaml", ".yml", ".csv", ".md")


class BuildPyWithDatasets(build_py):
    """``build_py`` that also copies ``datasets/`` into ``kadstudy/_datasets/`` of the build."""

    def run(self) -> None:
        super().run()
        source = HERE / "datasets"
        if not source.is_dir() or getattr(self, "editable_mode", False):
            return  # an editable install reads datasets/ of the checkout itself
        target = Path(self.build_lib) / "kadstudy" / "_datasets"
        for path in sorted(source.rglob("*")):
            rel = path.relative_to(source)
            if path.is_file() and path.suffix in DATA_SUFFIXES and "__pycache__" not in rel.parts:
                dest = target / rel
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, dest)


setup(cmdclass={"build_py": BuildPyWithDatasets})
