"""Truth table rows kept out of the minimisation (R QCA's ``exclude``, SetMethods' ``esa()``).

An excluded row is coded ``OUT = 0``: it can then be neither explained nor used as a
simplifying assumption, exactly as R QCA's ``truthTable(exclude = ...)`` / ``minimize(exclude =
...)`` does (R: "coding those configurations with a value of 0 in the OUTput column"). Rows are
named by number (configuration code + 1, first condition most significant, as R) or by a
sum-of-products expression, whose subset rows are taken among the unobserved rows only (R's
``findRows(expression, type = 1)`` with ``observed = FALSE``).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from kadstudy.sets.errors import QCAInputError, QCAWarning
from kadstudy.sets.expr import Expression, Literal, parse_expr
from kadstudy.sets.truthtable import MAX_COMPLETE, TruthTable, decode, mixed_radix

#: What ``minimize(exclude=...)`` accepts: row numbers, expressions, or a mix of them.
ExcludeSpec = int | str | Sequence[int | str]


def _literal_levels(lit: Literal, nlevels: int) -> set[int]:
    if lit.levels is None:
        if nlevels > 2:
            raise QCAInputError(
                f"condition {lit.name!r} is multi-value (levels 0..{nlevels - 1}); "
                f"name a level, e.g. {lit.name}[1]"
            )
        chosen = {1}
    else:
        bad = [v for v in lit.levels if v >= nlevels]
        if bad:
            raise QCAInputError(
                f"level {bad[0]} of {lit.name!r} does not exist; levels are 0..{nlevels - 1}"
            )
        chosen = set(lit.levels)
    return set(range(nlevels)) - chosen if lit.negated else chosen


def expression_rows(
    expression: str | Expression, conditions: Sequence[str], levels: Sequence[int]
) -> list[int]:
    """Row numbers of every configuration that is a subset of ``expression`` (observed or
    not), sorted: R QCA's ``findRows(expression, observed = TRUE)`` on a complete table.

    Parameters
    ----------
    expression : str or Expression
        A sum of products over ``conditions`` (``"A*~B + C"``; ``A[2]`` for a level of a
        multi-value condition).
    conditions : sequence of str
        The conditions, the first the most significant in the row number.
    levels : sequence of int
        The number of levels of each condition (2 for crisp and fuzzy sets).

    Returns
    -------
    list of int
        Row numbers (configuration code + 1, as R), ascending.

    Raises
    ------
    QCAInputError
        When the expression names an unknown condition or level, leaves out the level of a
        multi-value condition, or the table has more than ``MAX_COMPLETE`` rows.

    Examples
    --------
    With A and B, row 3 is A = 1, B = 0 and row 4 is A = 1, B = 1:

    >>> expression_rows("A*~B", ["A", "B"], [2, 2])
    [3]
    >>> expression_rows("A", ["A", "B"], [2, 2])
    [3, 4]
    """
    conditions = list(conditions)
    expr = expression if isinstance(expression, Expression) else parse_expr(expression, conditions)
    unknown = [n for n in expr.names if n not in conditions]
    if unknown:
        raise QCAInputError(
            f"unknown condition {unknown[0]!r} in expression {str(expr)!r}; "
            f"conditions are: {', '.join(conditions)}"
        )
    total = int(np.prod([int(v) for v in levels]))
    if total > MAX_COMPLETE:
        raise QCAInputError(
            f"the truth table has {total} rows (limit {MAX_COMPLETE}) to search for subsets of "
            f"{str(expr)!r}; give row numbers instead or use fewer conditions"
        )
    configs = decode(np.arange(total, dtype=np.int64), levels)
    hit = np.zeros(total, dtype=bool)
    for term in expr.terms:
        inside = np.ones(total, dtype=bool)
        for lit in term:
            j = conditions.index(lit.name)
            inside &= np.isin(configs[:, j], sorted(_literal_levels(lit, int(levels[j]))))
        hit |= inside
    return (np.flatnonzero(hit) + 1).tolist()


def unobserved_rows(tt: TruthTable, rows: Sequence[int]) -> list[int]:
    """The rows among ``rows`` that no case has (n = 0). As R's ``findRows(observed =
    FALSE)``, which drops the truth table's observed rows (``obj$indexes``), a row with cases
    but fewer than ``n_cut`` is not returned.

    Parameters
    ----------
    tt : TruthTable
        The truth table.
    rows : sequence of int
        Row numbers.

    Returns
    -------
    list of int
        The rows of ``rows`` without cases, in the order given.
    """
    observed = set(tt.rows.index[tt.rows["n"] > 0].tolist())
    return [int(r) for r in rows if int(r) not in observed]


def resolve_exclude(tt: TruthTable, exclude: ExcludeSpec | Mapping[int, str]) -> dict[int, str]:
    """Row number -> reason for an ``exclude`` argument: row numbers (any row), expressions
    (their remainder subset rows), a mix of both, or a ready mapping row -> reason.

    Parameters
    ----------
    tt : TruthTable
        The truth table the rows belong to.
    exclude : int, str, sequence of int or str, or mapping of int to str
        What to exclude.

    Returns
    -------
    dict of int to str
        Row number -> why, ascending by row; the first reason given for a row wins.

    Raises
    ------
    QCAInputError
        When an item is neither a row number nor an expression, a row does not exist, or an
        expression is invalid (see :func:`expression_rows`).
    """
    total = int(np.prod(tt.levels))
    if isinstance(exclude, Mapping):
        items = [(int(r), str(why)) for r, why in exclude.items()]
    else:
        specs = [exclude] if isinstance(exclude, str | int | np.integer) else list(exclude)
        items = []
        for spec in specs:
            if isinstance(spec, str) and not spec.strip().lstrip("-").isdigit():
                rows = unobserved_rows(tt, expression_rows(spec, tt.conditions, tt.levels))
                items += [(r, f"remainder subset of {spec.strip()}") for r in rows]
            else:
                try:
                    row = int(spec)
                except (TypeError, ValueError):
                    raise QCAInputError(
                        f"exclude: {spec!r} is neither a row number nor an expression; "
                        "write e.g. exclude=[3, 7] or exclude='A*~B'"
                    ) from None
                items.append((row, "excluded by row number"))
    out: dict[int, str] = {}
    for row, why in items:
        if not 1 <= row <= total:
            raise QCAInputError(
                f"exclude: row {row} does not exist; truth table rows are numbered 1..{total}"
            )
        out.setdefault(row, why)
    return dict(sorted(out.items()))


def exclude_rows(tt: TruthTable, exclude: ExcludeSpec | Mapping[int, str]) -> TruthTable:
    """A copy of ``tt`` with the ``exclude`` rows coded ``OUT = 0`` (added as rows with n = 0
    when not listed), and ``TruthTable.excluded`` telling why. Excluding an observed row with
    OUT = 1 (R allows it) takes it out of what is explained: a :class:`QCAWarning` names it.

    Parameters
    ----------
    tt : TruthTable
        The truth table (not changed).
    exclude : int, str, sequence of int or str, or mapping of int to str
        The rows: see :func:`resolve_exclude`.

    Returns
    -------
    TruthTable
        ``tt`` itself when nothing is excluded, else the copy.

    Raises
    ------
    QCAInputError
        As :func:`resolve_exclude`.

    Warns
    -----
    QCAWarning
        When an excluded row has OUT = 1.

    Examples
    --------
    Cases a and b are A*B with Y, c is ~A*~B without: rows 4 and 1; rows 2 and 3 are
    remainders. Excluding the remainders under ~A leaves row 3 the only one minimisation may
    use:

    >>> import pandas as pd
    >>> from kadstudy.sets import truth_table
    >>> data = pd.DataFrame({"A": [1, 1, 0], "B": [1, 1, 0], "Y": [1, 1, 0]}, index=["a", "b", "c"])
    >>> tt = exclude_rows(truth_table(data, "Y", ["A", "B"], incl_cut=1), "~A")
    >>> tt.excluded
    {2: 'remainder subset of ~A'}
    >>> tt.rows["OUT"].to_dict()
    {1: '0', 2: '0', 4: '1'}
    """
    reasons = {**tt.excluded, **resolve_exclude(tt, exclude)}
    if not reasons:
        return tt
    rows = tt.rows.copy()
    missing = [r for r in reasons if r not in rows.index]
    if missing:
        configs = decode(np.asarray(missing, dtype=np.int64) - 1, tt.levels)
        extra = pd.DataFrame(configs, columns=tt.conditions)
        extra["OUT"] = "?"
        extra["n"] = 0
        extra["incl"] = np.nan
        extra["PRI"] = np.nan
        extra["cases"] = [[] for _ in missing]
        extra.index = pd.Index(configs @ mixed_radix(tt.levels) + 1, name="row")
        rows = pd.concat([rows, extra]).sort_index()
    chosen = list(reasons)
    positive = [r for r in chosen if rows.at[r, "OUT"] == "1"]
    if positive:
        warnings.warn(
            f"excluded row(s) {', '.join(map(str, positive))} have OUT = 1: their cases are no "
            "longer explained by the solution",
            QCAWarning,
            stacklevel=3,
        )
    rows.loc[chosen, "OUT"] = "0"
    return replace(tt, rows=rows, excluded=reasons)
