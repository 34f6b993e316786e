"""Boolean expressions in QCA notation: ``A*~B + C``, multi-value ``DEV[2]`` (or ``DEV{2}``).

AND is ``*``, NOT is ``~``, OR is `` + ``. Expressions are parsed by a small tokenizer,
never with ``eval``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from kadstudy.sets.errors import QCAInputError

_LITERAL = re.compile(
    r"^(?P<neg>~\s*)?(?P<name>[A-Za-z_][A-Za-z0-9_.]*)\s*"
    r"(?:\[(?P<sq>[0-9\s,]+)\]|\{(?P<cu>[0-9\s,]+)\})?$"
)


@dataclass(frozen=True, order=True)
class Literal:
    """One condition in a term: ``A``, ``~A``, ``DEV[2]`` or ``DEV[1,2]``.

    ``levels`` is ``None`` for a plain (binary) literal, else the admitted levels.
    """

    name: str
    levels: tuple[int, ...] | None = None
    negated: bool = False

    def __str__(self) -> str:
        text = self.name
        if self.levels is not None:
            text += "[" + ",".join(str(v) for v in self.levels) + "]"
        return ("~" if self.negated else "") + text


@dataclass(frozen=True)
class Expression:
    """A disjunction of conjunctions of literals (sum of products)."""

    terms: tuple[tuple[Literal, ...], ...]

    def __str__(self) -> str:
        return " + ".join("*".join(str(lit) for lit in term) for term in self.terms)

    @property
    def names(self) -> list[str]:
        """Condition names used, in order of first appearance."""
        seen: dict[str, None] = {}
        for term in self.terms:
            for lit in term:
                seen.setdefault(lit.name, None)
        return list(seen)

    def term_strings(self) -> list[str]:
        """Each term as text."""
        return ["*".join(str(lit) for lit in term) for term in self.terms]


def _parse_literal(text: str, known: Sequence[str] | None, source: str) -> Literal:
    match = _LITERAL.match(text.strip())
    if not match:
        raise QCAInputError(
            f"cannot parse {text.strip()!r} in expression {source!r}; write literals as "
            "A, ~A or DEV[2], joined with * (AND) and + (OR)"
        )
    name = match.group("name")
    if known is not None and name not in known:
        raise QCAInputError(
            f"unknown condition {name!r} in expression {source!r}; "
            f"known conditions: {', '.join(known)}"
        )
    raw = match.group("sq") or match.group("cu")
    levels = None
    if raw is not None:
        parts = [p.strip() for p in raw.split(",") if p.strip()]
        if not parts:
            raise QCAInputError(f"empty level list for {name!r} in expression {source!r}")
        levels = tuple(sorted({int(p) for p in parts}))
    return Literal(name, levels, match.group("neg") is not None)


def parse_expr(text: str, known: Sequence[str] | None = None) -> Expression:
    """Parse a QCA expression such as ``"A*~B + C"`` or ``"DEV[2]*~STB"``.

    Parameters
    ----------
    text : str
        The expression: AND ``*``, NOT ``~``, OR ``+``, a level of a multi-value set ``DEV[2]``.
    known : sequence of str, optional
        The admissible condition names.

    Returns
    -------
    Expression
        A disjunction of conjunctions of :class:`Literal`; ``str()`` writes it back.

    Raises
    ------
    QCAInputError
        A malformed expression, or a name not in ``known`` (the message lists them).

    Examples
    --------
    >>> from kadstudy.sets import parse_expr
    >>> e = parse_expr("A*~B + C")
    >>> str(e), e.names
    ('A*~B + C', ['A', 'B', 'C'])
    """
    if not isinstance(text, str) or not text.strip():
        raise QCAInputError("empty expression; write e.g. 'A*~B + C'")
    if "(" in text or ")" in text:
        raise QCAInputError(
            f"parentheses are not supported in {text!r}; write a sum of products like 'A*B + A*C'"
        )
    terms = []
    for term_text in text.split("+"):
        if not term_text.strip():
            raise QCAInputError(f"empty term in expression {text!r}")
        lits = tuple(_parse_literal(part, known, text) for part in term_text.split("*"))
        terms.append(lits)
    return Expression(tuple(terms))


def literal_membership(lit: Literal, x: np.ndarray, nlevels: int) -> np.ndarray:
    """Membership of cases with values ``x`` (one column) in one literal."""
    if lit.levels is None:
        if nlevels > 2:
            raise QCAInputError(
                f"condition {lit.name!r} is multi-value (levels 0..{nlevels - 1}); "
                f"name a level, e.g. {lit.name}[1]"
            )
        mem = x.astype(float)
    else:
        bad = [v for v in lit.levels if v >= nlevels]
        if bad:
            raise QCAInputError(
                f"level {bad[0]} of {lit.name!r} does not exist; levels are 0..{nlevels - 1}"
            )
        if nlevels == 2 and not np.all((x == 0) | (x == 1)):
            # fuzzy binary set: level 1 is the set, level 0 its negation
            if lit.levels == (1,):
                mem = x.astype(float)
            elif lit.levels == (0,):
                mem = 1.0 - x
            else:
                mem = np.ones_like(x, dtype=float)
        else:
            mem = np.isin(x, lit.levels).astype(float)
    return 1.0 - mem if lit.negated else mem


def membership(
    expr: Expression | str,
    columns: Mapping[str, np.ndarray],
    levels: Mapping[str, int],
) -> np.ndarray:
    """Fuzzy membership of every case in ``expr``: min within a term, max across terms."""
    if isinstance(expr, str):
        expr = parse_expr(expr, list(columns))
    out: np.ndarray | None = None
    for term in expr.terms:
        tmem: np.ndarray | None = None
        for lit in term:
            if lit.name not in columns:
                raise QCAInputError(
                    f"unknown condition {lit.name!r} in expression {str(expr)!r}; "
                    f"known conditions: {', '.join(columns)}"
                )
            m = literal_membership(lit, columns[lit.name], levels[lit.name])
            tmem = m if tmem is None else np.minimum(tmem, m)
        assert tmem is not None
        out = tmem if out is None else np.maximum(out, tmem)
    assert out is not None
    return out


def implicant_to_string(imp: Iterable[int], conditions: Sequence[str], multivalue: bool) -> str:
    """Write an implicant vector (0 = absent, v + 1 = level v) in QCA notation.

    Binary data: ``A`` / ``~A``; when any condition is multi-value every literal is
    written with its level, ``DEV[2]*URB[0]``, as R QCA does.
    """
    parts = []
    for name, code in zip(conditions, imp, strict=True):
        code = int(code)
        if code == 0:
            continue
        level = code - 1
        if multivalue:
            parts.append(f"{name}[{level}]")
        else:
            parts.append(name if level == 1 else f"~{name}")
    return "*".join(parts)
