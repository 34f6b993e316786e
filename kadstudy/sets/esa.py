"""Enhanced Standard Analysis: untenable and contradictory assumptions found and kept out of
the minimisation (R QCA's ``findRows()``, SetMethods' ``esa()``).

* :func:`find_rows` - R QCA's ``findRows()``: type 1, subset rows of an expression (unobserved
  rows unless ``observed=True``); type 2, contradictory simplifying assumptions (CSAs):
  remainders used as simplifying assumptions by a parsimonious model for the outcome *and* by
  one for its negation; type 3, simultaneous subset relations (SSRs): observed rows with
  OUT = 1 for both the outcome and its negation; type 0, all three.
* :func:`esa` - SetMethods' ``esa()``: a truth table whose untenable remainders (contradicting
  a necessary condition), impossible remainders (user-declared combinations) and named rows
  (e.g. CSAs) are coded OUT = 0, ready for :func:`~kadstudy.sets.solutions.minimize`.

The truth table for the negated outcome uses the same conditions, cases, ``n_cut`` and
``pri_cut``, and ``incl_cut`` as R: the same value, or the second of two (``ic0``); each can be
given explicitly, as R's ``findRows(..., incl.cut =, n.cut =, pri.cut =)``.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from kadstudy.sets.errors import QCAInputError
from kadstudy.sets.exclude import exclude_rows, expression_rows, unobserved_rows
from kadstudy.sets.truthtable import TruthTable, truth_table

FIND_TYPES = {1: "subset", 2: "CSA", 3: "SSR"}
_NEG = "NEGATED_OUTCOME_"


def _types(type: int | Sequence[int]) -> list[int]:
    wanted = [type] if isinstance(type, int | np.integer) else list(type)
    bad = [t for t in wanted if t not in (0, 1, 2, 3)]
    if bad or not wanted:
        raise QCAInputError(
            f"find_rows type {bad[0] if bad else wanted!r} is unknown; use 1 (subsets of an "
            "expression), 2 (contradictory simplifying assumptions), 3 (simultaneous subset "
            "relations) or 0 (all)"
        )
    return [1, 2, 3] if 0 in wanted else sorted(set(int(t) for t in wanted))


def negated_outcome(text: str) -> str:
    """The negation of an outcome written as a set name.

    Parameters
    ----------
    text : str
        ``Y`` or ``~Y``.

    Returns
    -------
    str
        ``~Y`` for ``Y``, ``Y`` for ``~Y``.

    Examples
    --------
    >>> negated_outcome("SURV"), negated_outcome("~SURV")
    ('~SURV', 'SURV')
    """
    return text[1:].strip() if text.startswith("~") else f"~{text}"


def negated_truth_table(
    tt: TruthTable,
    incl_cut: float | Sequence[float] | None = None,
    n_cut: int | None = None,
    pri_cut: float | None = None,
) -> TruthTable:
    """The truth table of the same cases and conditions for the negation of the outcome.

    Parameters
    ----------
    tt : TruthTable
        A truth table made by :func:`~kadstudy.sets.truth_table` (with its data).
    incl_cut : float or sequence of float, optional
        Default: the second value of ``tt``'s (R's ``rev(incl.cut)``), or its only one.
    n_cut : int, optional
        Default: ``tt``'s.
    pri_cut : float, optional
        Default: ``tt``'s.

    Returns
    -------
    TruthTable
        For the outcome :func:`negated_outcome` of ``tt``'s.

    Raises
    ------
    QCAInputError
        When ``tt`` has no data attached.
    """
    if tt.data is None or tt.y is None:
        raise QCAInputError("this truth table has no data attached; build it with truth_table()")
    frame = pd.DataFrame(tt.data.values, columns=tt.data.columns,
                         index=pd.Index([str(c) for c in tt.data.cases]))
    frame = frame[tt.conditions]
    frame[_NEG] = 1.0 - tt.y
    if incl_cut is None:
        incl_cut = tt.incl_cut[1]  # R: rev(incl.cut), so the second value (or the only one)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the 0.5 warning was given for the outcome's table
        neg = truth_table(frame, _NEG, tt.conditions, incl_cut,
                          tt.n_cut if n_cut is None else n_cut,
                          tt.pri_cut if pri_cut is None else pri_cut)
    return replace(neg, outcome=negated_outcome(tt.outcome))


def _sa_rows(tt: TruthTable) -> set[int]:
    from kadstudy.sets.solutions import minimize

    if not (tt.rows["OUT"] == "1").any():
        return set()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sol = minimize(tt, solution="parsimonious")
    return {int(r) for table in sol.simplifying_assumptions.values() for r in table.index}


def find_rows_by_type(
    tt: TruthTable,
    expression: str | None = None,
    type: int | Sequence[int] = 1,
    observed: bool = False,
    *,
    incl_cut: float | Sequence[float] | None = None,
    n_cut: int | None = None,
    pri_cut: float | None = None,
) -> dict[int, list[int]]:
    """:func:`find_rows`, by type.

    Parameters
    ----------
    tt, expression, type, observed, incl_cut, n_cut, pri_cut
        As :func:`find_rows`.

    Returns
    -------
    dict of int to list of int
        ``{1: [...], 2: [...], 3: [...]}`` for the types asked (0: all three), rows ascending.

    Raises
    ------
    QCAInputError
        As :func:`find_rows`.
    """
    types = _types(type)
    out: dict[int, list[int]] = {}
    if 1 in types:
        if expression is None or not str(expression).strip():
            raise QCAInputError("find_rows type 1 needs an expression, e.g. expression='A*~B'")
        rows = expression_rows(expression, tt.conditions, tt.levels)
        out[1] = rows if observed else unobserved_rows(tt, rows)
    if 2 in types or 3 in types:
        neg = negated_truth_table(tt, incl_cut, n_cut, pri_cut)
        if 2 in types:
            out[2] = sorted(_sa_rows(tt) & _sa_rows(neg))
        if 3 in types:
            ones = set(tt.rows.index[tt.rows["OUT"] == "1"].tolist())
            neg_ones = set(neg.rows.index[neg.rows["OUT"] == "1"].tolist())
            out[3] = sorted(int(r) for r in ones & neg_ones)
    return out


def find_rows(
    tt: TruthTable,
    expression: str | None = None,
    type: int | Sequence[int] = 1,
    observed: bool = False,
    *,
    incl_cut: float | Sequence[float] | None = None,
    n_cut: int | None = None,
    pri_cut: float | None = None,
) -> list[int]:
    """Row numbers of untenable configurations, sorted (R QCA's ``findRows()``).

    Parameters
    ----------
    tt : TruthTable
        The truth table of the outcome.
    expression : str, optional
        For type 1: a sum of products over the conditions.
    type : int or sequence of int
        1: rows that are subsets of ``expression`` (unobserved ones only, unless
        ``observed``); 2: contradictory simplifying assumptions, remainders that a
        parsimonious model uses for the outcome and one for its negation (every model of
        each); 3: simultaneous subset relations, rows with OUT = 1 for both; 0: all.
    observed : bool
        Type 1: return observed subset rows too.
    incl_cut, n_cut, pri_cut : optional
        The negated outcome's truth table (types 2 and 3; default: as R, from ``tt``; see
        :func:`negated_truth_table`).

    Returns
    -------
    list of int
        The row numbers found by any of the types, ascending.

    Raises
    ------
    QCAInputError
        When a type is unknown, type 1 has no expression or an invalid one, or ``tt`` has no
        data (types 2 and 3).

    Examples
    --------
    Cases a and b are A*B with Y, c is ~A*~B without; rows 2 (~A*B) and 3 (A*~B) are
    remainders. Subsets of ~A: rows 1 and 2, of which 2 is unobserved:

    >>> import pandas as pd
    >>> from kadstudy.sets import truth_table
    >>> data = pd.DataFrame({"A": [1, 1, 0], "B": [1, 1, 0], "Y": [1, 1, 0]}, index=["a", "b", "c"])
    >>> tt = truth_table(data, "Y", ["A", "B"], incl_cut=1)
    >>> find_rows(tt, "~A"), find_rows(tt, "~A", observed=True)
    ([2], [1, 2])
    """
    found = find_rows_by_type(tt, expression, type, observed, incl_cut=incl_cut, n_cut=n_cut,
                              pri_cut=pri_cut)
    return sorted({r for rows in found.values() for r in rows})


def find_rows_frame(tt: TruthTable, found: dict[int, list[int]]) -> pd.DataFrame:
    """One line per row found: its configuration, OUT and n in ``tt`` and the types that found
    it (``subset``, ``CSA``, ``SSR``), indexed by row number.

    Parameters
    ----------
    tt : TruthTable
        The truth table searched.
    found : dict of int to list of int
        What :func:`find_rows_by_type` returned.

    Returns
    -------
    pandas.DataFrame
        The conditions, ``OUT`` (``?`` for an unlisted row), ``n`` and ``type`` (comma
        separated), indexed by ``row``.
    """
    rows = sorted({r for v in found.values() for r in v})
    from kadstudy.sets.truthtable import decode

    configs = decode(np.asarray(rows, dtype=np.int64) - 1, tt.levels)
    frame = pd.DataFrame(configs, columns=tt.conditions, index=pd.Index(rows, name="row"))
    frame["OUT"] = [tt.rows.at[r, "OUT"] if r in tt.rows.index else "?" for r in rows]
    frame["n"] = [int(tt.rows.at[r, "n"]) if r in tt.rows.index else 0 for r in rows]
    frame["type"] = [",".join(FIND_TYPES[t] for t in sorted(found) if r in found[t]) for r in rows]
    return frame


def _as_list(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def _remainders(tt: TruthTable) -> set[int]:
    """Rows with OUT = ?, listed or not (call after expression_rows, which bounds the size)."""
    listed = set(tt.rows.index.tolist())
    every = set(range(1, int(np.prod(tt.levels)) + 1))
    return set(tt.rows.index[tt.rows["OUT"] == "?"].tolist()) | (every - listed)


def esa(
    tt: TruthTable,
    nec_cond: str | Sequence[str] | None = None,
    untenable_lr: str | Sequence[str] | None = None,
    contrad_rows: Sequence[int] | Mapping[int, str] | None = None,
) -> TruthTable:
    """SetMethods' ``esa()``: ``tt`` with rows kept out of the minimisation (OUT = 0).

    * ``nec_cond``: expressions necessary for the outcome (``"A"``, ``"A + ~B"``); each
      excludes the remainders (OUT = ?) outside it, which would contradict the necessity
      claim (untenable assumptions);
    * ``untenable_lr``: expressions of logically impossible combinations; the remainders
      (OUT = ?) that are subsets of them (impossible remainders);
    * ``contrad_rows``: row numbers, observed or not, e.g. the CSAs of
      ``find_rows(tt, type=2)`` (or a mapping row -> reason).

    ``TruthTable.excluded`` says why each row is excluded. Pass the result to ``minimize``.

    Parameters
    ----------
    tt : TruthTable
        The truth table (not changed).
    nec_cond : str or sequence of str, optional
        Necessary conditions.
    untenable_lr : str or sequence of str, optional
        Impossible combinations.
    contrad_rows : sequence of int or mapping of int to str, optional
        Rows to exclude, with the reason when a mapping.

    Returns
    -------
    TruthTable
        A copy with the rows coded OUT = 0 (``tt`` itself when nothing is excluded).

    Raises
    ------
    QCAInputError
        When an expression is invalid or a row number is not one.

    Warns
    -----
    QCAWarning
        When an excluded row has OUT = 1 (see :func:`~kadstudy.sets.exclude.exclude_rows`).

    Examples
    --------
    With A necessary for Y, the remainder ~A*B (row 2) is untenable; the remainder A*~B (row 3)
    stays available to minimisation:

    >>> import pandas as pd
    >>> from kadstudy.sets import truth_table
    >>> data = pd.DataFrame({"A": [1, 1, 0], "B": [1, 1, 0], "Y": [1, 1, 0]}, index=["a", "b", "c"])
    >>> esa(truth_table(data, "Y", ["A", "B"], incl_cut=1), nec_cond="A").excluded
    {2: 'untenable: contradicts the necessary condition A'}
    """
    reasons: dict[int, str] = {}
    for expr in _as_list(nec_cond):
        inside = set(expression_rows(expr, tt.conditions, tt.levels))
        for r in sorted(_remainders(tt) - inside):
            reasons.setdefault(r, f"untenable: contradicts the necessary condition {expr.strip()}")
    for expr in _as_list(untenable_lr):
        inside = set(expression_rows(expr, tt.conditions, tt.levels))
        for r in sorted(_remainders(tt) & inside):
            reasons.setdefault(r, f"impossible: subset of {expr.strip()}")
    given = contrad_rows.items() if isinstance(contrad_rows, Mapping) else [
        (r, "contradictory row") for r in contrad_rows or []]
    for r, why in given:
        try:
            row = int(r)
        except (TypeError, ValueError):
            raise QCAInputError(f"contrad_rows: {r!r} is not a row number; write e.g. [3, 7]") from None
        reasons.setdefault(row, str(why))
    return exclude_rows(tt, reasons)
