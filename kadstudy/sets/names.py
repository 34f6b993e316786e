"""Names of sets (conditions and outcomes): what the QCA notation can print unambiguously.

A set name starts with a letter or ``_`` and holds letters, digits, ``_`` and ``.``: the notation's
operators (``*`` AND, ``~`` NOT, ``+`` OR, ``[...]``/``{...}`` levels), spaces, commas and
parentheses would make a printed solution such as ``URB*STB + ~LIT`` ambiguous.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from kadstudy.sets.errors import QCAInputError

SET_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
_OPERATORS = {"*": "AND", "~": "NOT", "+": "OR", "[": "a level", "]": "a level", "{": "a level",
              "}": "a level", ",": "a list", "(": "a group", ")": "a group", " ": "a separator"}


def set_name_problem(name: object) -> str | None:
    """What is wrong with ``name`` as a set name, or ``None`` when it is fine."""
    if not isinstance(name, str) or not name:
        return "a set name must be non-empty text"
    if SET_NAME_RE.fullmatch(name):
        return None
    for ch in name:
        if ch in _OPERATORS:
            return (f"contains {ch!r} ({_OPERATORS[ch]} in QCA notation); rename it with letters, "
                    "digits, '_' or '.' only")
    if not (name[0].isascii() and (name[0].isalpha() or name[0] == "_")):
        return "must start with a letter or '_'; rename it"
    bad = next(ch for ch in name if not (ch.isascii() and (ch.isalnum() or ch in "_.")))
    return f"contains {bad!r}; rename it with letters, digits, '_' or '.' only"


def check_set_names(names: Iterable[object], what: str = "column") -> list[str]:
    """Raise :class:`QCAInputError` naming the first bad or repeated set name; return the names."""
    seen: set[str] = set()
    out = []
    for name in names:
        problem = set_name_problem(name)
        if problem:
            raise QCAInputError(f"{what} {name!r}: {problem}")
        if name in seen:
            raise QCAInputError(f"{what} {name!r} appears twice; give each set a distinct name")
        seen.add(name)  # type: ignore[arg-type]
        out.append(name)  # type: ignore[arg-type]
    return out
