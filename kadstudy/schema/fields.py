"""Shared field types of the files users write, declared once.

Each type is ``Annotated[Any, <check>]``: the YAML value is kept as written (no coercion: ``"1"``
stays text, ``yes`` is a boolean) and the check raises ``expected <what>, got <value>`` or a
message of its own. Types that name variables or sets carry a :class:`Refers` marker, which
the pre-flight check of ``kadstudy run`` reads to compare them with the dataset's variables.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationInfo

from kadstudy.schema.errors import expected, problem
from kadstudy.schema.paths import allowed_roots, path_problem

Check = Callable[[Any], str | None]   # returns what was expected when the value is bad
SOLUTIONS = ("conservative", "parsimonious", "intermediate")
NAME_RE = re.compile(r"[a-z0-9][a-z0-9_-]*")


class Strict(BaseModel):
    """A mapping with a fixed set of keys: unknown keys refused, nothing coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)


@dataclass(frozen=True)
class Refers:
    """Marks a field whose value names dataset variables (``variable``), sets (``set``: a
    variable, a calibrated set or a survey set) or conditions of the spec (``condition``)."""

    what: str


# ---------------------------------------------------------------------------- checks


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


def is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def is_numbers(v: Any) -> str | None:
    ok = isinstance(v, list) and v and all(is_number(x) for x in v)
    return None if ok else "a list of numbers, e.g. [2, 5, 8]"


def is_positive(v: Any) -> str | None:
    return None if is_number(v) and v > 0 else "a number > 0"


def is_nonnegative(v: Any) -> str | None:
    return None if is_number(v) and v >= 0 else "a number >= 0"


def is_seed(v: Any) -> str | None:
    ok = isinstance(v, int) and not isinstance(v, bool) and v >= 0
    return None if ok else "a whole number >= 0"


def one_of(*options: str) -> Check:
    """A check that the value is one of ``options``."""
    def check(v: Any) -> str | None:
        return None if isinstance(v, str) and v in options else f"one of {', '.join(options)}"
    return check


def whole_range(lo: int, hi: int | None = None, what: str = "") -> Check:
    """A check for a whole number in ``[lo, hi]``."""
    text = what or (f"a whole number >= {lo}" if hi is None else f"a whole number from {lo} to {hi}")

    def check(v: Any) -> str | None:
        ok = isinstance(v, int) and not isinstance(v, bool) and v >= lo and (hi is None or v <= hi)
        return None if ok else text
    return check


# ---------------------------------------------------------------------------- set names


def _set_name(name: Any, negatable: bool = False) -> None:
    if not isinstance(name, str) or not name.strip():
        raise expected("a set name")
    from kadstudy.sets.names import set_name_problem  # lazy: kadstudy.sets imports pandas

    bare = name[1:] if negatable and name.startswith("~") else name
    why = set_name_problem(bare)
    if why:
        raise problem(f"set name '{bare}' {why}" if not why.startswith("a set name") else why)


def check_set_name(v: Any) -> Any:
    _set_name(v)
    return v


def check_outcome(v: Any) -> Any:
    """A set name, or ``~name`` for the negated outcome."""
    _set_name(v, negatable=True)
    return v


def check_set_names(v: Any) -> Any:
    if is_names(v):
        raise expected("a list of distinct set names")
    for name in v:
        _set_name(name)
    return v


def check_set_keys(v: Any) -> Any:
    """The keys of a mapping (``dir_exp``, ``calibrate``) are set names."""
    if isinstance(v, dict):
        for name in v:
            _set_name(name)
    return v


# ---------------------------------------------------------------------------- paths


def check_project_path(v: Any, info: ValidationInfo) -> Any:
    """A file path relative to the project root that stays inside the project (or a named data
    root) after symlinks are resolved. The root comes from the validation context."""
    root = Path((info.context or {}).get("root", "."))
    why = path_problem(v, root, allowed_roots(root))
    if why:
        raise problem(why)
    return v


def check_dataset_name(v: Any) -> Any:
    """A dataset is named, not pointed at: ``kad_forums`` is ``datasets/kad_forums/``."""
    if is_text(v):
        raise expected("a dataset name")
    if not NAME_RE.fullmatch(v):
        raise problem(f"'{v}' is not a dataset name; write the name of a folder under datasets/ "
                      "(lower-case letters, digits, - or _), e.g. kad_forums")
    return v


# ---------------------------------------------------------------------------- the types


def checked(fn: Check) -> AfterValidator:
    """Turn a check (``None`` or what was expected) into a pydantic validator."""
    def validate(value: Any) -> Any:
        what = fn(value)
        if what:
            raise expected(what)
        return value
    return AfterValidator(validate)


def Of(fn: Check, *markers: object) -> Any:
    """``Annotated[Any, checked(fn), *markers]``."""
    return Annotated[(Any, checked(fn), *markers)]


Text = Of(is_text)
Bool = Of(is_bool)
Count = Of(is_count)
UnitNumber = Of(is_unit_number)
InclCut = Of(is_incl_cut)
Solutions = Of(is_solutions)
Numbers = Of(is_numbers)
Positive = Of(is_positive)
NonNegative = Of(is_nonnegative)
Seed = Of(is_seed)
Select = Annotated[Any, checked(is_select), Refers("variable")]
VarName = Annotated[Any, checked(is_text), Refers("variable")]
VarNames = Annotated[Any, checked(is_names), Refers("variable")]
SetName = Annotated[Any, AfterValidator(check_set_name), Refers("set")]
Outcome = Annotated[Any, AfterValidator(check_outcome), Refers("set")]
SetNames = Annotated[Any, AfterValidator(check_set_names), Refers("set")]
DirExp = Annotated[Any, checked(is_dir_exp), AfterValidator(check_set_keys), Refers("condition")]
ProjectPath = Annotated[Any, AfterValidator(check_project_path)]
DatasetName = Annotated[Any, AfterValidator(check_dataset_name)]

__all__ = [
    "SOLUTIONS", "Bool", "Check", "Count", "DatasetName", "DirExp", "InclCut", "NonNegative", "Numbers",
    "Of", "Outcome", "Positive", "ProjectPath", "Refers", "Seed", "Select",
    "SetName", "SetNames", "Solutions", "Strict", "Text", "UnitNumber", "VarName", "VarNames",
    "check_set_keys", "checked", "is_bool", "is_count", "is_dir_exp", "is_incl_cut", "is_names",
    "is_select", "is_solutions", "is_text", "is_unit_number", "one_of", "whole_range",
]
