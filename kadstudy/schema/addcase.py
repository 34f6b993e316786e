"""Add-case files (``kadstudy data add-case FILE``): a forum's new or amended codings.

Whether the values are allowed, the quotes are in their lines and the forum is complete is
checked against the dataset by :func:`kadstudy.data.addcase.add_case`.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, field_validator

from kadstudy.schema.errors import problem, shown_value
from kadstudy.schema.fields import Strict, Text


class Entry(Strict):
    """One variable's coding: a value with its source, lines and quote, or a missing code."""

    value: Any = None
    missing: Any = None
    source: Any = None
    lines: Any = None
    quote: Any = None
    coder: Any = None
    note: Any = None


def _shorthand(v: Any) -> Any:
    """``active: 1`` is short for ``active: {value: 1}``."""
    if isinstance(v, dict):
        return {k: x if isinstance(x, dict) else {"value": x} for k, x in v.items()}
    return v


SLUG = re.compile(r"[a-z][a-z0-9_]*")


def check_slug(v: Any) -> Any:
    if not isinstance(v, str) or not SLUG.fullmatch(v):
        raise problem(f"{shown_value(v)} is not an id; use a lower-case slug of letters, digits and _ "
                      "starting with a letter")
    return v


class CaseFile(Strict):
    """The keys of an add-case file."""

    forum_id: Annotated[Any, AfterValidator(check_slug)] = Field(description="give the forum's id")
    coder: Text = None
    source: Text = None
    codings: Annotated[dict[str, Entry], BeforeValidator(_shorthand)] = Field(
        description="map each variable id to {value, source, lines, quote, note}")

    @field_validator("codings")
    @classmethod
    def _not_empty(cls, v: dict[str, Entry]) -> dict[str, Entry]:
        if not v:
            raise problem("is empty; map each variable id to {value, source, lines, quote, note}")
        for var in v:
            check_slug(var)
        return v
