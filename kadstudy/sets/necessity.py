"""Analysis of necessity: inclN, RoN and covN of conditions, their negations, or expressions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from kadstudy.results import ResultMixin
from kadstudy.sets._format import dumps, num, table
from kadstudy.sets.data import prepare
from kadstudy.sets.errors import QCAInputError
from kadstudy.sets.expr import Expression, membership, parse_expr
from kadstudy.sets.measures import necessity_measures


@dataclass(repr=False)
class NecessityResult(ResultMixin):
    """inclN, RoN and covN of each term for one outcome."""

    outcome: str
    rows: list[dict[str, Any]]

    @property
    def terms(self) -> list[str]:
        """Terms tested, in order."""
        return [r["term"] for r in self.rows]

    def to_frame(self) -> pd.DataFrame:
        """One row per term: inclN, RoN, covN."""
        return pd.DataFrame(self.rows, columns=["term", "inclN", "RoN", "covN"]).set_index("term")

    def to_dict(self) -> dict[str, Any]:
        """``{"outcome", "rows": [{"term", "inclN", "RoN", "covN"}]}``."""
        return {"outcome": self.outcome, "rows": [dict(r) for r in self.rows]}

    def to_json(self) -> str:
        """JSON text of :meth:`to_dict`."""
        return dumps(self.to_dict())

    def summary(self) -> str:
        """Plain-text table as R QCA's ``pof(..., relation = "necessity")`` prints it."""
        body = [
            [str(i + 1), r["term"], num(r["inclN"]), num(r["RoN"]), num(r["covN"])]
            for i, r in enumerate(self.rows)
        ]
        text = table(["", "", "inclN", "RoN", "covN"], body, "rlrrr")
        return f"Necessity for {self.outcome}\n\n{text}\n"

    def __str__(self) -> str:
        return self.summary()


def necessity(
    data: pd.DataFrame,
    outcome: str,
    conditions: Sequence[str] | None = None,
    expressions: Sequence[str] | None = None,
) -> NecessityResult:
    """Necessity of each condition and its negation, as R QCA's ``pof(..., relation = "necessity")``.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per case, one column per set (crisp, multi-value or fuzzy).
    outcome : str
        The outcome: ``"Y"``, ``"~Y"`` (negated) or ``"Y[2]"`` (a level of a multi-value set).
    conditions : sequence of str, optional
        The conditions tested, each present and absent (each level of a multi-value condition);
        default: every column but the outcome.
    expressions : sequence of str, optional
        Expressions tested instead (``"A*B"``, ``"A + ~C"``), or as well as ``conditions``.

    Returns
    -------
    NecessityResult
        inclN (consistency of necessity), RoN (relevance of necessity) and covN (coverage) per
        condition or expression; ``summary()`` prints it as R does, ``to_frame()`` gives a table.

    Raises
    ------
    QCAInputError
        An unknown column, a malformed expression, or memberships outside [0, 1].

    Examples
    --------
    >>> import pandas as pd
    >>> from kadstudy.sets import necessity
    >>> d = pd.DataFrame({"A": [1, 1, 0, 0, 1], "B": [1, 0, 1, 0, 1], "Y": [1, 1, 0, 0, 1]},
    ...                  index=["c1", "c2", "c3", "c4", "c5"])
    >>> necessity(d, "Y").to_frame().round(3)
          inclN    RoN   covN
    term
    A     1.000  1.000  1.000
    B     0.667  0.667  0.667
    ~A    0.000  0.600  0.000
    ~B    0.333  0.750  0.500
    """
    known = [str(c) for c in data.columns]
    out_expr = parse_expr(outcome, known)
    if conditions is None and expressions is None:
        conditions = [c for c in known if c not in out_expr.names]
    exprs: list[Expression] = []
    if expressions is not None:
        exprs = [parse_expr(e, known) for e in expressions]
    cols: dict[str, None] = {}
    for e in [out_expr, *exprs]:
        for n in e.names:
            cols.setdefault(n, None)
    for c in conditions or []:
        if c not in known:
            raise QCAInputError(
                f"no column {c!r} in the data; columns are: {', '.join(known)}"
            )
        cols.setdefault(c, None)
    sd = prepare(data, list(cols))
    mapping = sd.as_mapping()
    y = membership(out_expr, mapping, sd.levels)
    if conditions:
        positives, negatives = [], []
        for c in conditions:
            if sd.levels[c] > 2:
                positives.extend(f"{c}[{v}]" for v in range(sd.levels[c]))
            else:
                positives.append(c)
                negatives.append(f"~{c}")
        exprs = [parse_expr(t, known) for t in positives + negatives] + exprs
    rows = []
    for e in exprs:
        x = membership(e, mapping, sd.levels)
        rows.append({"term": str(e), **necessity_measures(x, y)})
    return NecessityResult(str(out_expr), rows)
