"""Parameters of fit for set relations: inclS, PRI, covS, covU (sufficiency) and
inclN, RoN, covN (necessity), on numpy membership vectors or expressions over a dataset.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from kadstudy.sets.data import prepare
from kadstudy.sets.errors import QCAInputError
from kadstudy.sets.expr import Expression, membership, parse_expr


def _div(a: float, b: float) -> float:
    return float(a / b) if b > 0 else float("nan")


def sufficiency_measures(x: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """inclS = Σmin(X,Y)/ΣX, PRI = (Σmin(X,Y) − Σmin(X,Y,~Y)) / (ΣX − Σmin(X,Y,~Y)),
    covS = Σmin(X,Y)/ΣY."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    xy = np.minimum(x, y)
    sxy = xy.sum()
    both = np.minimum(xy, 1 - y).sum()
    return {
        "inclS": _div(sxy, x.sum()),
        "PRI": _div(sxy - both, x.sum() - both),
        "covS": _div(sxy, y.sum()),
    }


def necessity_measures(x: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """inclN = Σmin(X,Y)/ΣY, RoN = Σ(1−X) / Σ(1−min(X,Y)), covN = Σmin(X,Y)/ΣX."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    xy = np.minimum(x, y)
    return {
        "inclN": _div(xy.sum(), y.sum()),
        "RoN": _div((1 - x).sum(), (1 - xy).sum()),
        "covN": _div(xy.sum(), x.sum()),
    }


def unique_coverage(terms: Sequence[np.ndarray] | np.ndarray, y: np.ndarray) -> list[float]:
    """covU of each term: covS of the union of all terms minus covS of the union of the others.

    Vectorised in O(terms × cases): the union of the others differs from the union of all
    only in the cases where a term holds the largest membership alone; there it drops to
    the second largest. So covU_k = Σ over the cases where term k is the (first) largest of
    (min(largest, Y) - min(second largest, Y)), over ΣY."""
    y = np.asarray(y, dtype=float)
    if len(terms) == 0:
        return []
    mat = np.asarray(terms, dtype=float) if isinstance(terms, np.ndarray) else np.vstack(terms)
    mat = mat.reshape(len(mat), -1)
    cols = np.arange(mat.shape[1])
    top = mat.argmax(axis=0)
    first = mat[top, cols]
    others = mat.copy()
    others[top, cols] = 0.0  # memberships are >= 0: with one term, the others' union is 0
    second = others.max(axis=0)
    gain = np.minimum(first, y) - np.minimum(second, y)
    total = y.sum()
    return [_div(g, total) for g in np.bincount(top, weights=gain, minlength=len(mat))]


def _columns_for(data: pd.DataFrame, exprs: Sequence[Expression]) -> list[str]:
    names: dict[str, None] = {}
    for e in exprs:
        for n in e.names:
            names.setdefault(n, None)
    return list(names)


def evaluate(data: pd.DataFrame, expression: str | Expression) -> np.ndarray:
    """Membership of every case of ``data`` in ``expression``.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per case, one column per set (the columns are checked).
    expression : str or Expression
        E.g. ``"A*~B"``: AND is the minimum, NOT is ``1 - x``, OR the maximum.

    Returns
    -------
    numpy.ndarray
        One membership per case, in row order.

    Examples
    --------
    >>> import pandas as pd
    >>> from kadstudy.sets import evaluate
    >>> d = pd.DataFrame({"A": [0.9, 0.8, 0.2, 0.1], "B": [0.7, 0.3, 0.6, 0.2]})
    >>> evaluate(d, "A*~B").round(3).tolist()
    [0.3, 0.7, 0.2, 0.1]
    """
    expr = expression if isinstance(expression, Expression) else parse_expr(
        expression, [str(c) for c in data.columns]
    )
    sd = prepare(data, _columns_for(data, [expr]))
    return membership(expr, sd.as_mapping(), sd.levels)


def inclusion(
    data: pd.DataFrame,
    expression: str | Expression,
    outcome: str | Expression,
    relation: str = "sufficiency",
) -> dict[str, float]:
    """Parameters of fit of ``expression`` for ``outcome``, as R QCA's ``pof()``.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per case, one column per set.
    expression : str or Expression
        E.g. ``"A*~B + C"``.
    outcome : str or Expression
        E.g. ``"Y"`` or ``"~Y"``.
    relation : {"sufficiency", "necessity"}, default "sufficiency"
        Which measures.

    Returns
    -------
    dict
        ``inclS``, ``PRI``, ``covS`` (sufficiency) or ``inclN``, ``RoN``, ``covN`` (necessity).

    Raises
    ------
    QCAInputError
        A malformed expression or an unknown column.

    Examples
    --------
    >>> import pandas as pd
    >>> from kadstudy.sets import inclusion
    >>> d = pd.DataFrame({"A": [0.9, 0.8, 0.2, 0.1], "B": [0.7, 0.3, 0.6, 0.2],
    ...                   "Y": [0.8, 0.9, 0.3, 0.2]})
    >>> {k: round(v, 3) for k, v in inclusion(d, "A*B", "Y").items()}
    {'inclS': 1.0, 'PRI': 1.0, 'covS': 0.591}
    >>> {k: round(v, 3) for k, v in inclusion(d, "A", "Y", relation="necessity").items()}
    {'inclN': 0.864, 'RoN': 0.952, 'covN': 0.95}
    """
    x = evaluate(data, expression)
    y = evaluate(data, outcome)
    if relation.startswith("suf"):
        return sufficiency_measures(x, y)
    if relation.startswith("nec"):
        return necessity_measures(x, y)
    raise QCAInputError(f"relation {relation!r} is unknown; use 'sufficiency' or 'necessity'")
