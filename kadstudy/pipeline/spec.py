"""Analysis files ``analyses/<name>.yaml``: read safely, checked against the schema of their kind.

Every problem is one line: ``analyses/x.yaml: key 'incl_cut': expected a number in [0, 1], got 1.5``.
Unknown keys are rejected (with the nearest known key suggested). The schema is declared in
:mod:`kadstudy.schema` (keys every kind shares) and by each kind (its ``SCHEMA`` model).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kadstudy.errors import KadError
from kadstudy.schema import read_yaml, validate
from kadstudy.schema.analysis import AnalysisBase, model_from_checks
from kadstudy.schema.fields import (  # noqa: F401 - re-exported for kinds written before kadstudy.schema
    NAME_RE,
    SOLUTIONS,
    Check,
    is_bool,
    is_count,
    is_dir_exp,
    is_incl_cut,
    is_names,
    is_select,
    is_solutions,
    is_text,
    is_unit_number,
)

COMMON_KEYS = ("kind", "title", "dataset")


class SpecError(KadError):
    """A problem in an analysis file."""


@functools.cache
def kind_schemas() -> dict[str, type[AnalysisBase]]:
    """Kind name -> model of its keys. A kind is a module in ``kadstudy.pipeline.kinds`` with a
    ``SCHEMA`` (a subclass of :class:`~kadstudy.schema.analysis.AnalysisBase`; an older
    ``{key: (check, required)}`` mapping also works) and a ``build(project, spec)`` function;
    adding a kind means adding a module."""
    import importlib
    import pkgutil

    import kadstudy.pipeline.kinds as pkg

    out: dict[str, type[AnalysisBase]] = {}
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{pkg.__name__}.{info.name}")
        if hasattr(module, "SCHEMA") and hasattr(module, "build"):
            schema = module.SCHEMA
            out[info.name] = schema if isinstance(schema, type) and issubclass(schema, AnalysisBase) \
                else model_from_checks(info.name, schema)
    return out


@dataclass(frozen=True)
class AnalysisSpec:
    """A validated analysis file. ``params`` holds every key but kind, title and dataset, as
    written; ``shown`` is the file as named in messages."""

    name: str
    path: Path
    kind: str
    title: str
    dataset: str
    params: dict[str, Any] = field(default_factory=dict)
    shown: str = ""

    def get(self, key: str, default: Any = None) -> Any:
        return self.params.get(key, default)

    @property
    def model(self) -> type[AnalysisBase]:
        """The schema of this spec's kind."""
        return kind_schemas()[self.kind]


def read_spec(path: str | Path, shown: str | None = None, root: str | Path | None = None) -> AnalysisSpec:
    """Read and validate one analysis file; raise :class:`SpecError` with one line per problem.
    Paths it names must stay inside ``root`` (default: the folder above ``analyses/``)."""
    path = Path(path)
    shown = shown or str(path)
    root = Path(root) if root is not None else path.resolve().parent.parent
    name = path.stem
    if not NAME_RE.fullmatch(name):
        raise SpecError(f"{shown}: file name: '{name}' must be lower-case letters, digits, - or _")
    doc = read_yaml(path, shown, error=SpecError, keys_hint="keys (kind, title, dataset, ...)",
                    what="analysis file")
    kinds = kind_schemas()
    kind = doc.get("kind")
    if not isinstance(kind, str) or kind not in kinds:
        problem = (f"{shown}: key 'kind': missing; write one of {', '.join(kinds)}" if "kind" not in doc
                   else f"{shown}: key 'kind': expected one of {', '.join(kinds)}, got {kind!r}")
        raise SpecError(problem)
    _, problems = validate(kinds[kind], doc, shown, context={"root": root},
                           missing=f"it is required for kind '{kind}'")
    if problems:
        raise SpecError("\n".join(problems))
    params = {k: v for k, v in doc.items() if k not in COMMON_KEYS}
    return AnalysisSpec(name=name, path=path, kind=kind, title=doc["title"], dataset=doc["dataset"],
                        params=params, shown=shown)


def read_specs(folder: str | Path) -> list[AnalysisSpec]:
    """All analysis files in ``folder`` (sorted by name), each validated."""
    folder = Path(folder)
    return [read_spec(p, f"{folder.name}/{p.name}", folder.resolve().parent)
            for p in sorted(folder.glob("*.yaml"))]
