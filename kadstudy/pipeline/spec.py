"""Analysis files ``analyses/<name>.yaml``: read safely, checked against a schema per kind.

Every problem is one line: ``analyses/x.yaml: key 'incl_cut': expected a number in [0, 1], got 1.5``.
Unknown keys are rejected (with the nearest known key suggested).
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kadstudy.errors import KadError

NAME_RE = re.compile(r"[a-z0-9][a-z0-9_-]*")
SOLUTIONS = ("conservative", "parsimonious", "intermediate")


class SpecError(KadError):
    """A problem in an analysis file."""


Check = Callable[[Any], str | None]   # returns what was expected when the value is bad


def is_text(v: Any) -> str | None:
    return None if isinstance(v, str) and v.strip() else "a non-empty string"


def is_names(v: Any) -> str | None:
    ok = isinstance(v, list) and v and all(isinstance(x, str) and x for x in v)
    return None if ok and len(set(v)) == len(v) else "a list of distinct variable names"


def is_unit(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v <= 1


def is_incl_cut(v: Any) -> str | None:
    if is_unit(v):
        return None
    if isinstance(v, list) and len(v) == 2 and all(is_unit(x) for x in v) and v[0] >= v[1]:
        return None
    return "a number in [0, 1], or two [upper, lower] with upper >= lower"


def is_unit_number(v: Any) -> str | None:
    return None if is_unit(v) else "a number in [0, 1]"


def is_count(v: Any) -> str | None:
    ok = isinstance(v, int) and not isinstance(v, bool) and v >= 1
    return None if ok else "a whole number >= 1"


def is_solutions(v: Any) -> str | None:
    ok = isinstance(v, list) and v and all(x in SOLUTIONS for x in v) and len(set(v)) == len(v)
    return None if ok else f"a list drawn from {', '.join(SOLUTIONS)}"


def is_dir_exp(v: Any) -> str | None:
    ok = isinstance(v, dict) and all(isinstance(k, str) and (x in (0, 1, "-")) for k, x in v.items())
    return None if ok else "a mapping of condition -> 1, 0 or '-'"


def is_select(v: Any) -> str | None:
    ok = isinstance(v, dict) and v and all(
        isinstance(k, str) and (isinstance(x, str | int) or (isinstance(x, list) and x))
        for k, x in v.items())
    return None if ok else "a mapping of variable -> value or list of values"


def is_bool(v: Any) -> str | None:
    return None if isinstance(v, bool) else "true or false"


def is_calibration(v: Any) -> str | None:
    if not isinstance(v, dict):
        return "a mapping of set name -> {from, type, thresholds}"
    for name, spec in v.items():
        if not isinstance(spec, dict) or set(spec) - {"from", "type", "thresholds"}:
            return f"for '{name}' a mapping with keys from, type (fuzzy|crisp), thresholds"
        if spec.get("type") not in ("fuzzy", "crisp") or not isinstance(spec.get("from"), str):
            return f"for '{name}' from: <variable> and type: fuzzy or crisp"
        th = spec.get("thresholds")
        if not (isinstance(th, list) and th and all(isinstance(x, int | float) for x in th)):
            return f"for '{name}' thresholds: a list of numbers"
        if spec["type"] == "fuzzy" and len(th) != 3:
            return f"for '{name}' three fuzzy anchors [exclusion, crossover, inclusion]"
    return None


def is_survey_sets(v: Any) -> str | None:
    if not isinstance(v, dict) or not {"instrument", "responses"} <= set(v):
        return "a mapping with instrument and responses (paths from the project root)"
    unknown = set(v) - {"instrument", "responses", "min_respondents", "keep_thin"}
    if unknown:
        return f"only instrument, responses, min_respondents, keep_thin (not {', '.join(sorted(unknown))})"
    if not all(isinstance(v[k], str) and v[k] for k in ("instrument", "responses")):
        return "instrument and responses as file paths"
    if "min_respondents" in v and (isinstance(v["min_respondents"], bool)
                                   or not isinstance(v["min_respondents"], int) or v["min_respondents"] < 2):
        return "min_respondents: a whole number >= 2"
    return None


COMMON: dict[str, tuple[Check, bool]] = {
    "kind": (lambda v: None if v in kind_schemas() else f"one of {', '.join(kind_schemas())}", True),
    "title": (is_text, True),
    "description": (is_text, False),
    "dataset": (is_text, True),
    "select": (is_select, False),
    "survey_sets": (is_survey_sets, False),
}
@functools.cache
def kind_schemas() -> dict[str, dict[str, tuple[Check, bool]]]:
    """Kind name -> schema of its own keys. A kind is a module in ``kadstudy.pipeline.kinds`` with a
    ``SCHEMA`` mapping and a ``build(project, spec)`` function; adding a kind means adding a module."""
    import importlib
    import pkgutil

    import kadstudy.pipeline.kinds as pkg

    out = {}
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{pkg.__name__}.{info.name}")
        if hasattr(module, "SCHEMA") and hasattr(module, "build"):
            out[info.name] = module.SCHEMA
    return out


@dataclass(frozen=True)
class AnalysisSpec:
    """A validated analysis file."""

    name: str
    path: Path
    kind: str
    title: str
    dataset: str
    params: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.params.get(key, default)


def _load_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SpecError(f"{path}: not found") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "YAML"
        raise SpecError(f"{path}: {where}: not valid YAML ({getattr(exc, 'problem', exc)})") from None


def read_spec(path: str | Path, shown: str | None = None) -> AnalysisSpec:
    """Read and validate one analysis file; raise :class:`SpecError` with one line per problem."""
    path = Path(path)
    shown = shown or str(path)
    name = path.stem
    if not NAME_RE.fullmatch(name):
        raise SpecError(f"{shown}: file name: '{name}' must be lower-case letters, digits, - or _")
    doc = _load_yaml(path)
    if not isinstance(doc, dict):
        raise SpecError(f"{shown}: expected a mapping of keys (kind, title, dataset, ...)")
    kind = doc.get("kind")
    schema = dict(COMMON)
    schema.update(kind_schemas().get(kind, {}) if isinstance(kind, str) else {})
    problems = []
    for key, value in doc.items():
        if key not in schema:
            close = difflib.get_close_matches(str(key), list(schema), n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(schema)}"
            problems.append(f"{shown}: key '{key}': unknown key; {hint}")
            continue
        expected = schema[key][0](value)
        if expected:
            problems.append(f"{shown}: key '{key}': expected {expected}, got {value!r}")
    for key, (_, required) in schema.items():
        if required and key not in doc:
            problems.append(f"{shown}: key '{key}': missing; it is required for kind '{kind}'")
    if problems:
        raise SpecError("\n".join(problems))
    params = {k: v for k, v in doc.items() if k not in ("kind", "title", "dataset")}
    return AnalysisSpec(name=name, path=path, kind=kind, title=doc["title"], dataset=doc["dataset"],
                        params=params)


def read_specs(folder: str | Path) -> list[AnalysisSpec]:
    """All analysis files in ``folder`` (sorted by name), each validated."""
    folder = Path(folder)
    return [read_spec(p, f"{folder.name}/{p.name}") for p in sorted(folder.glob("*.yaml"))]
