"""The coding rules of a codebook that can be read off the codings: the basis of a value (a
statement about the forum itself, or about a class of bodies it belongs to), its certainty, and
whether a forum is a case of cooperation between governments.

The rules themselves are written in the codebook (``rule:`` of each variable, R1-R6 in the comment
above the fuzzy scale of ``datasets/kad_forums/codebook.yaml``). A value coded from a class-level
statement starts its ``note`` with the tag ``[class SOURCE Lx-y]`` naming that statement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kadstudy.data.codings import Coding

CLASS_TAG = re.compile(r"^\[class (?P<source>seed\d{3}) L(?P<lines>\d+(?:-\d+)?)\] ")
# R1: certainty of a value by its basis.
CERTAINTY = {"forum": 1.0, "class": 0.5}


@dataclass(frozen=True)
class Basis:
    """What a coded value rests on: ``kind`` is "forum" or "class"; for a class statement, the
    statement's source and lines."""

    kind: str
    source: str = ""
    lines: str = ""


def basis(coding: Coding) -> Basis | None:
    """The basis of a coded value (None for a missing value)."""
    if coding.is_missing:
        return None
    m = CLASS_TAG.match(coding.note)
    if m:
        return Basis("class", m["source"], m["lines"])
    return Basis("forum")


def certainty(coding: Coding) -> float | None:
    """R1 certainty of a coded value: 1.0 when it rests on a statement about the forum itself,
    0.5 when it rests on a statement about a class of bodies (None for a missing value)."""
    b = basis(coding)
    return None if b is None else CERTAINTY[b.kind]


def is_case(values: dict[str, str]) -> bool | None:
    """R4: is a forum (its variable -> raw value map) a case of cooperation between governments?
    True when membership = governments and stage = body; None when either is not coded."""
    membership, stage = values.get("membership", ""), values.get("stage", "")
    if not membership or not stage:
        return None
    return membership == "governments" and stage == "body"


__all__ = ["CERTAINTY", "CLASS_TAG", "Basis", "basis", "certainty", "is_case"]
