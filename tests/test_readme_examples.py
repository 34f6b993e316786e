"""Every Python example in README.md runs as written, from the root of the checkout (where its
relative paths such as ``../shared/qca-benchmarks`` point)."""

from __future__ import annotations

import re
import warnings

import pytest

from tests.conftest import REPO, require_shared

FENCE = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def readme_examples() -> list[tuple[int, str]]:
    """(line number, code) of every ```python block of the README."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start()) + 1, m.group(1)) for m in FENCE.finditer(text)]


def test_the_readme_has_python_examples():
    assert len(readme_examples()) >= 4


@pytest.mark.parametrize(("line", "code"), readme_examples(),
                         ids=[f"README.md:{line}" for line, _ in readme_examples()])
def test_readme_example_runs(line, code, monkeypatch):
    if "../shared/" in code:
        require_shared("qca-benchmarks", "data")
    monkeypatch.chdir(REPO)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(compile(code, f"README.md:{line}", "exec"), {"__name__": "__readme__"})
