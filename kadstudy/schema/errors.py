"""Pydantic's validation errors as the project's one-line messages.

``analyses/x.yaml: key 'incl_cut': expected a number in [0, 1], got 1.5``;
``...: key 'bye': unknown key; did you mean 'by'?`` (a misspelt key is one problem, not also a
missing one); ``...: key 'title': missing; it is required``. Field types raise
:func:`expected` (what a good value looks like) or :func:`problem` (a message of their own).
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticCustomError

EXPECTED, PROBLEM = "kad_expected", "kad_problem"
MAX_SHOWN = 80

# pydantic's own error types, as what was expected
NATIVE = {
    "model_type": "a mapping", "model_attributes_type": "a mapping", "dict_type": "a mapping",
    "list_type": "a list", "string_type": "text", "bool_type": "true or false",
    "int_type": "a whole number", "float_type": "a number", "bool_parsing": "true or false",
    "int_parsing": "a whole number", "float_parsing": "a number", "mapping_type": "a mapping",
}


def expected(what: str) -> PydanticCustomError:
    """The error a field type raises: ``expected <what>, got <value>``."""
    return PydanticCustomError(EXPECTED, "expected {what}", {"what": what})


def problem(message: str) -> PydanticCustomError:
    """The error a field type raises with a message of its own (after ``key '...': ``)."""
    return PydanticCustomError(PROBLEM, "{message}", {"message": message})


def printable(text: str) -> str:
    """``text`` with every control or line-separator character escaped (``\\x1e``), so that a
    message stays on its line and shows no raw bytes."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def shown_value(value: Any) -> str:
    """A value as quoted in a message: its repr on one line, cut at 80 characters."""
    text = repr(value)
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN - 3] + "..."


def suggestion(word: str, known: list[str]) -> str:
    close = difflib.get_close_matches(word, known, n=1)
    return f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(known)}"


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside an annotation (``X``, ``X | None``, ``dict[str, X]``...)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType, typing.Annotated, dict, list):
        for arg in reversed(args) if typing.get_origin(annotation) is dict else args:
            found = _model_of(arg)
            if found is not None:
                return found
    return None


def fields(model: type[BaseModel]) -> dict[str, Any]:
    """A model's keys as written in a file (aliases, e.g. ``from``) -> their field info."""
    return {info.alias or name: info for name, info in model.model_fields.items()}


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model whose keys are checked at ``loc`` (list indexes and mapping keys are passed
    over); ``None`` when unknown."""
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None:
            return None
        known = fields(current)
        if isinstance(part, str) and part in known:
            current = _model_of(known[part].annotation)
    return current


def _key(loc: tuple[Any, ...], prefix: str) -> str:
    """``('variables', 2, 'type')`` as ``variables[3].type`` (items count from 1); a mapping key
    that is itself wrong (pydantic's ``[key]``) as the key."""
    parts = [prefix] if prefix else []
    for i, part in enumerate(loc):
        if part == "[key]":
            continue
        if isinstance(part, int) and loc[i + 1:i + 2] != ("[key]",):
            parts[-1:] = [f"{parts[-1]}[{part + 1}]"] if parts else [f"[{part + 1}]"]
        else:
            parts.append(str(part))
    return ".".join(parts)


def messages(exc: ValidationError, model: type[BaseModel], shown: str, *, prefix: str = "",
             missing: str = "it is required", unknown_note: str = "") -> list[str]:
    """One line per error of ``exc`` (raised by ``model``), each starting ``<shown>: key '...'``.

    ``prefix`` is the key path of ``model`` inside the file (``parameters``); ``missing`` the fix
    of a missing key whose field gives no ``description``; ``unknown_note`` is added to unknown
    keys (e.g. `` (for method count)``)."""
    errors = exc.errors(include_url=False)
    suggested: set[tuple[Any, ...]] = set()
    for err in errors:
        if err["type"] == "extra_forbidden":
            parent = _model_at(model, err["loc"][:-1])
            if parent is not None:
                for close in difflib.get_close_matches(str(err["loc"][-1]), list(fields(parent)), n=1):
                    suggested.add((*err["loc"][:-1], close))
    out = []
    for err in errors:
        loc, kind = tuple(err["loc"]), err["type"]
        key = _key(loc, prefix)
        where = f"{shown}: key '{key}'" if key else f"{shown}"
        if kind == "extra_forbidden":
            parent = _model_at(model, loc[:-1])
            known = list(fields(parent)) if parent is not None else []
            out.append(f"{where}: unknown key; {suggestion(str(loc[-1]), known)}{unknown_note}")
        elif kind == "missing":
            if loc in suggested:
                continue
            parent = _model_at(model, loc[:-1])
            field = fields(parent).get(str(loc[-1])) if parent is not None else None
            fix = field.description if field is not None and field.description else missing
            out.append(f"{where}: missing; {fix}")
        elif kind == EXPECTED:
            out.append(f"{where}: {err['msg']}, got {shown_value(err['input'])}")
        elif kind == PROBLEM:
            out.append(f"{where}: {err['msg']}")
        elif kind in NATIVE:
            what = NATIVE[kind]
            sub = _model_at(model, loc)
            if what == "a mapping" and sub is not None:
                what = f"a mapping with keys {', '.join(fields(sub))}"
            out.append(f"{where}: expected {what}, got {shown_value(err['input'])}")
        else:
            out.append(f"{where}: {' '.join(str(err['msg']).split())}, got {shown_value(err['input'])}")
    return list(dict.fromkeys(printable(line) for line in out))


def validate(model: type[BaseModel], doc: Any, shown: str, *, context: dict[str, Any] | None = None,
             **kwargs: Any) -> tuple[BaseModel | None, list[str]]:
    """``model`` validated from ``doc``, or ``None`` and one line per problem."""
    try:
        return model.model_validate(doc, context=context), []
    except ValidationError as exc:
        return None, messages(exc, model, shown, **kwargs)
