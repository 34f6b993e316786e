"""Every Python example in README.md and in the Markdown guides under docs/ (the README's reference
material, moved there) runs as written, from the root of the checkout (where relative paths such as
``../shared/qca-benchmarks`` point)."""

from __future__ import annotations

import re
import warnings

import pytest

from tests.conftest import REPO, require_shared

FENCE = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


#: the README, then the guides in the order a reader meets them (the tutorial script runs them so)
PAGES = ("README.md", "docs/dataset.md", "docs/qca.md", "docs/models.md", "docs/survey.md",
         "docs/pipeline.md", "docs/reproduce.md")


def readme_examples() -> list[tuple[str, str]]:
    """(``page:line``, code) of every ```python block of the README and the guides."""
    out = []
    for page in PAGES:
        path = REPO / page
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        out += [(f"{page}:{text.count(chr(10), 0, m.start()) + 1}", m.group(1))
                for m in FENCE.finditer(text)]
    return out


def test_the_readme_has_python_examples():
    assert len(readme_examples()) >= 4


@pytest.mark.parametrize(("line", "code"), readme_examples(),
                         ids=[where for where, _ in readme_examples()])
def test_readme_example_runs(line, code, monkeypatch):
    if "../shared/" in code:
        require_shared("qca-benchmarks", "data")
    monkeypatch.chdir(REPO)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(compile(code, line, "exec"), {"__name__": "__readme__"})
