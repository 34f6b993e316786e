"""Sphinx configuration of the kadstudy documentation.

Build: ``sphinx-build -W --keep-going -b html docs docs/_build/html``. ``tests/test_docs.py`` runs
that build and the examples of the pages and docstrings (with Python's doctest).
"""

from __future__ import annotations

import importlib
import pkgutil
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))

import kadstudy  # noqa: E402

project = "kadstudy"
author = "kadstudy developers"
copyright = "kadstudy developers"  # no year: the build must not depend on the date
version = release = kadstudy.__version__

extensions = [
    "myst_parser",
    "numpydoc",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx_click",
    "schema_fields",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]
templates_path = ["_templates"]
html_theme = "furo"
html_title = f"kadstudy {release}"
html_last_updated_fmt = None
smartquotes = False  # quotes in commands and QCA expressions must stay copyable
suppress_warnings = ["myst.header"]  # r-differences.md numbers its own sections

# ---------------------------------------------------------------------------- API reference
# The public packages. Each package page lists the names in its ``__all__``; each submodule page
# lists the public functions and classes defined there that the package does not already export,
# so every object is documented once and new functions appear without editing these pages.
API_PACKAGES = ["kadstudy.sets", "kadstudy.models", "kadstudy.survey", "kadstudy.data",
                "kadstudy.reproduce", "kadstudy.numbers"]


def _exports() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    exported: dict[str, list[str]] = {}
    shown_elsewhere: dict[str, list[str]] = {}
    for name in API_PACKAGES:
        mod = importlib.import_module(name)
        names = sorted(getattr(mod, "__all__", []))
        exported[name] = names
        for attr in names:
            home = getattr(getattr(mod, attr), "__module__", None)
            if home and home != name:
                shown_elsewhere.setdefault(home, []).append(attr)
        if hasattr(mod, "__path__"):  # a package: import its public submodules for autosummary
            for info in pkgutil.iter_modules(mod.__path__, prefix=name + "."):
                if not info.name.rsplit(".", 1)[-1].startswith("_"):
                    importlib.import_module(info.name)
    return exported, shown_elsewhere


_exported, _shown_elsewhere = _exports()
# Stubs are regenerated on every build, so a function that was removed leaves no stale page behind.
shutil.rmtree(HERE / "generated", ignore_errors=True)
autosummary_generate = True
autosummary_imported_members = False
autosummary_context = {"exported": _exported, "shown_elsewhere": _shown_elsewhere}
autodoc_default_options = {"member-order": "bysource"}
autodoc_typehints = "none"          # numpydoc's Parameters sections carry the types
numpydoc_show_class_members = False  # the class template lists them
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

# ---------------------------------------------------------------------------- CLI reference
# Click help texts are plain text: QCA notation (A*~B), globs (analyses/*.yaml) and names ending
# in _ would be read as reStructuredText markup. Escape them before sphinx-click parses the lines.
_RST_SPECIAL = str.maketrans({c: "\\" + c for c in "\\*`|_"})
_REQUIRED = "**Required**"


def _escape_help(line: str) -> str:
    body = line.lstrip()
    indent = line[: len(line) - len(body)]
    if body.startswith((".. ", ":")):   # directives and field lines that sphinx-click writes
        return line
    prefix = ""
    if body.startswith(_REQUIRED):
        prefix, body = _REQUIRED, body[len(_REQUIRED):]
    if body.startswith("| "):
        prefix, body = prefix + "| ", body[2:]
    return indent + prefix + body.translate(_RST_SPECIAL)


def _escape_lines(app, ctx, lines: list[str]) -> None:
    lines[:] = [_escape_help(line) for line in lines]


def setup(app):
    for event in ("description", "options", "arguments", "epilog"):
        app.connect(f"sphinx-click-process-{event}", _escape_lines)
