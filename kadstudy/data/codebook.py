"""The codebook: variables, their types and allowed values, and the sources codings cite."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kadstudy.errors import DataError

TYPES = ("binary", "ordinal", "categorical", "fuzzy", "count", "year", "text")
MISSING_SEP = "; "
_SLUG = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class Variable:
    """One codebook variable."""

    id: str
    type: str
    label_en: str
    label_id: str
    definition: str
    required: bool = True
    multiple: bool = False
    values: dict[str, str] = field(default_factory=dict)
    grounding: tuple[dict[str, str], ...] = ()
    rule: str = ""   # the written coding rule applied to every case alike

    def allowed_text(self) -> str:
        """The allowed values as a short phrase for error messages."""
        if self.values:
            return "one of " + ", ".join(self.values)
        return {
            "fuzzy": "a number in [0, 1]",
            "count": "a whole number >= 0",
            "year": "a four-digit year between 1900 and 2100",
            "text": "any non-empty text",
        }.get(self.type, "a valid value")

    def check(self, raw: str) -> str | None:
        """Return why ``raw`` is not a valid value of this variable, or None if it is."""
        value = raw.strip()
        if value != raw:
            return "has leading or trailing spaces"
        if value == "":
            return "is empty"
        if self.type == "text":
            return None
        parts = value.split(MISSING_SEP) if self.multiple else [value]
        if self.multiple and len(set(parts)) != len(parts):
            return "lists a value twice"
        for part in parts:
            problem = self._check_one(part)
            if problem:
                return problem
        return None

    def _check_one(self, value: str) -> str | None:
        if self.type == "fuzzy":
            try:
                x = float(value)
            except ValueError:
                return f"'{value}' is not a number"
            if not (0.0 <= x <= 1.0) or math.isnan(x):
                return f"'{value}' is outside [0, 1]"
            if self.values and value not in self.values:
                return f"'{value}' is not on this variable's scale"
            return None
        if self.type in ("count", "year"):
            if not re.fullmatch(r"\d+", value):
                return f"'{value}' is not a whole number"
            if self.type == "year" and not 1900 <= int(value) <= 2100:
                return f"'{value}' is not a plausible year"
            return None
        if value not in self.values:
            return f"'{value}' is not an allowed value"
        return None

    def convert(self, raw: str) -> Any:
        """Convert a valid raw string to its Python value (number, code or text)."""
        if self.type == "fuzzy":
            return float(raw)
        if self.type in ("binary", "ordinal", "count", "year"):
            return int(raw)
        return raw


@dataclass(frozen=True)
class Codebook:
    """A dataset's codebook, read from ``codebook.yaml``."""

    dataset: str
    case_id: str
    variables: tuple[Variable, ...]
    sources: dict[str, dict[str, str]]
    missing_codes: dict[str, str]
    path: str = ""
    rules: tuple[dict[str, Any], ...] = ()   # the written coding rules (``rules:``), as written

    def rule(self, rule_id: str) -> dict[str, Any]:
        """The coding rule ``rule_id`` (e.g. "R1")."""
        for r in self.rules:
            if r["id"] == rule_id:
                return r
        raise KeyError(rule_id)

    @property
    def class_statements(self) -> dict[tuple[str, str], set[str]]:
        """(source, lines) of each class-level statement of the rules -> its forums."""
        return {(c["source"], str(c["lines"])): set(c["forums"])
                for r in self.rules for c in r.get("classes") or ()}

    def __getitem__(self, var_id: str) -> Variable:
        for var in self.variables:
            if var.id == var_id:
                return var
        raise KeyError(var_id)

    def __contains__(self, var_id: object) -> bool:
        return any(v.id == var_id for v in self.variables)

    @property
    def ids(self) -> list[str]:
        """Variable ids in codebook order."""
        return [v.id for v in self.variables]

    @property
    def required(self) -> list[str]:
        return [v.id for v in self.variables if v.required]


def _fail(path: str, where: str, msg: str) -> DataError:
    from kadstudy.schema.errors import printable

    return DataError(printable(f"{path}: {where}: {msg}"))


def _is_unit_text(text: str) -> bool:
    try:
        return 0.0 <= float(text) <= 1.0
    except ValueError:
        return False


def parse_codebook(doc: Any, path: str = "codebook.yaml") -> Codebook:
    """Build a :class:`Codebook` from a parsed YAML document, checking its structure."""
    if not isinstance(doc, dict):
        raise _fail(path, "top level", "expected a mapping with keys dataset, case_id, sources, variables")
    from kadstudy.schema import validate
    from kadstudy.schema.codebook import CodebookDoc

    _, problems = validate(CodebookDoc, doc, path)
    if problems:
        raise DataError("\n".join(problems))
    sources = doc["sources"]
    if not sources:
        raise _fail(path, "sources", "expected a mapping of source id -> {file_prefix, citation}")
    variables = []
    seen: set[str] = set()
    for i, spec in enumerate(doc["variables"]):
        where = f"variables[{i}]"
        if not isinstance(spec, dict) or "id" not in spec:
            raise _fail(path, where, "each variable needs an id")
        vid = str(spec["id"])
        where = f"variable '{vid}'"
        if not _SLUG.fullmatch(vid):
            raise _fail(path, where, "id must be a lower-case slug (letters, digits, _)")
        if vid in seen:
            raise _fail(path, where, "id used twice")
        seen.add(vid)
        vtype = spec.get("type")
        if vtype not in TYPES:
            raise _fail(path, where, f"type '{vtype}' unknown; use one of {', '.join(TYPES)}")
        values = {str(k): str(v) for k, v in (spec.get("values") or {}).items()}
        if vtype in ("binary", "ordinal", "categorical") and not values:
            raise _fail(path, where, f"a {vtype} variable needs its allowed values")
        if vtype == "binary" and set(values) != {"0", "1"}:
            raise _fail(path, where, f"a binary variable has values 0 and 1, got {', '.join(values)} "
                        "(quote meanings that contain commas)")
        if vtype == "fuzzy" and values and not all(_is_unit_text(k) for k in values):
            raise _fail(path, where, "fuzzy values must be numbers in [0, 1]")
        label = spec.get("label") or {}
        if not label.get("en") or not label.get("id"):
            raise _fail(path, where, "needs label.en and label.id")
        if not spec.get("definition"):
            raise _fail(path, where, "needs a definition")
        grounding = tuple(dict(g) for g in spec.get("grounding") or ())
        for g in grounding:
            if g.get("source") not in sources:
                raise _fail(path, where, f"grounding cites unknown source '{g.get('source')}'")
        variables.append(Variable(
            id=vid, type=vtype, label_en=label["en"], label_id=label["id"],
            definition=" ".join(str(spec["definition"]).split()),
            required=bool(spec.get("required", True)), multiple=bool(spec.get("multiple", False)),
            values=values, grounding=grounding, rule=" ".join(str(spec.get("rule") or "").split()),
        ))
    if doc["case_id"] in seen:
        raise _fail(path, "case_id", "must not also be a variable id")
    rules = _rules(doc.get("rules") or [], seen, sources, path)
    return Codebook(
        dataset=str(doc["dataset"]), case_id=str(doc["case_id"]), variables=tuple(variables),
        sources={str(k): dict(v) for k, v in sources.items()},
        missing_codes={str(k): str(v) for k, v in doc["missing_codes"].items()}, path=path,
        rules=rules,
    )


def _rules(specs: list[dict[str, Any]], variables: set[str], sources: dict[str, Any], path: str,
           ) -> tuple[dict[str, Any], ...]:
    """The ``rules:`` entries, checked: ids R<n> used once, known variables and sources, line
    ranges N or N-M, forum ids as slugs."""
    seen: set[str] = set()
    for i, rule in enumerate(specs):
        rid = str(rule["id"])
        where = f"rules[{i}] ('{rid}')"
        if not re.fullmatch(r"R\d+", rid) or rid in seen:
            raise _fail(path, where, "id must be R1, R2, ... and used once")
        seen.add(rid)
        for var in rule.get("variables") or ():
            if var not in variables:
                raise _fail(path, where, f"unknown variable '{var}'; name a variable of the codebook")
        for j, cls in enumerate(rule.get("classes") or ()):
            if cls["source"] not in sources:
                raise _fail(path, f"{where} classes[{j}]", f"unknown source '{cls['source']}'")
            if not re.fullmatch(r"\d+(-\d+)?", str(cls["lines"])):
                raise _fail(path, f"{where} classes[{j}]", f"lines '{cls['lines']}' is not N or N-M")
            bad = [f for f in cls["forums"] if not _SLUG.fullmatch(f)]
            if bad or not cls["forums"]:
                raise _fail(path, f"{where} classes[{j}]", "forums must be a list of forum ids "
                            f"(lower-case slugs){f', got {bad[0]!r}' if bad else ''}")
    return tuple(dict(r) for r in specs)


def read_codebook(path: str | Path) -> Codebook:
    """Read and check a ``codebook.yaml`` (the safe reader of :mod:`kadstudy.schema`).

    Parameters
    ----------
    path : str or pathlib.Path
        The codebook file.

    Returns
    -------
    Codebook
        The variables in codebook order (``cb["durable"]`` is one :class:`Variable`), the
        sources and the missing codes.

    Raises
    ------
    DataError
        An unreadable file, a key the schema does not know, or a variable that breaks the
        codebook's rules (every problem, one line each).

    Examples
    --------
    >>> from kadstudy.data import read_codebook
    >>> cb = read_codebook("datasets/kad_forums/codebook.yaml")
    >>> cb["obs_status"].type, sorted(cb["obs_status"].values)[:2]
    ('categorical', ['active', 'ended'])
    """
    from kadstudy.schema import read_yaml

    path = Path(path)
    if not path.exists():
        raise DataError(f"{path}: not found; every dataset folder needs a codebook.yaml")
    doc = read_yaml(path, str(path), error=DataError, what="codebook",
                    keys_hint="keys dataset, case_id, sources, missing_codes, variables")
    return parse_codebook(doc, str(path))
