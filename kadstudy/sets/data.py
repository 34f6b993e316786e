"""Checking a dataset for set analysis: numeric, complete, in range, unique case names."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kadstudy.sets.errors import QCAInputError
from kadstudy.sets.names import check_set_names

_TOL = 1e-9


@dataclass(frozen=True)
class SetData:
    """Validated set memberships of the cases in some columns.

    ``values`` is cases × columns (floats); ``levels[c]`` is 2 for crisp and fuzzy sets,
    the number of levels for multi-value conditions; ``kinds[c]`` is ``crisp``, ``fuzzy``
    or ``multi``.
    """

    cases: Sequence[str]  # case names (a numpy object array from :func:`prepare`)
    columns: list[str]
    values: np.ndarray
    levels: dict[str, int]
    kinds: dict[str, str]

    def column(self, name: str) -> np.ndarray:
        """Values of one column."""
        return self.values[:, self.columns.index(name)]

    def as_mapping(self) -> dict[str, np.ndarray]:
        """Column name -> values."""
        return {c: self.values[:, i] for i, c in enumerate(self.columns)}


def _case(cases: Sequence[str], i: int) -> str:
    return repr(cases[i]) if i < len(cases) else str(i + 1)


def check_column(name: str, raw: pd.Series, cases: Sequence[str]) -> tuple[np.ndarray, int, str]:
    """Validate one column; return its float values, number of levels and kind."""
    numeric = pd.to_numeric(raw, errors="coerce")
    bad = numeric.isna() & raw.notna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise QCAInputError(
            f"column {name!r}, row {_case(cases, i)}: value {raw.iloc[i]!r} is not numeric; "
            "use numbers (set memberships or category codes)"
        )
    x = numeric.to_numpy(dtype=float)
    if np.isnan(x).any():
        i = int(np.flatnonzero(np.isnan(x))[0])
        raise QCAInputError(
            f"column {name!r}, row {_case(cases, i)}: missing value; "
            "fill it in or drop the case"
        )
    if np.isinf(x).any():
        i = int(np.flatnonzero(np.isinf(x))[0])
        raise QCAInputError(f"column {name!r}, row {_case(cases, i)}: infinite value")
    integral = np.abs(x - np.round(x)) < _TOL
    if np.all(integral):
        xi = np.round(x)
        if (xi < 0).any():
            i = int(np.flatnonzero(xi < 0)[0])
            raise QCAInputError(
                f"column {name!r}, row {_case(cases, i)}: negative value {x[i]:g}; "
                "multi-value conditions use levels 0, 1, 2, ..."
            )
        top = int(xi.max()) if len(xi) else 1
        if top <= 1:
            return xi, 2, "crisp"
        return xi, top + 1, "multi"
    outside = (x < -_TOL) | (x > 1 + _TOL)
    if outside.any():
        i = int(np.flatnonzero(outside)[0])
        raise QCAInputError(
            f"column {name!r}, row {_case(cases, i)}: value {x[i]:g} is neither a fuzzy "
            "membership in [0, 1] nor an integer level; calibrate the column first"
        )
    return np.clip(x, 0.0, 1.0), 2, "fuzzy"


def prepare(data: pd.DataFrame, columns: Sequence[str]) -> SetData:
    """Validate ``columns`` of ``data`` (index = case names) for set analysis."""
    if not isinstance(data, pd.DataFrame):
        raise QCAInputError("data must be a pandas DataFrame with case names as index")
    if len(data) == 0:
        raise QCAInputError("the dataset is empty; it needs at least one case")
    columns = list(columns)
    if not columns:
        raise QCAInputError("no conditions given; name at least one column")
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise QCAInputError(
            f"no column {missing[0]!r} in the data; columns are: "
            + ", ".join(str(c) for c in data.columns)
        )
    check_set_names(columns)
    index = data.index.astype(str)
    if index.has_duplicates:
        dup_name = str(index[index.duplicated()][0])
        raise QCAInputError(f"duplicate case name {dup_name!r}; case names must be unique")
    cases = index.to_numpy(dtype=object)
    values = np.empty((len(data), len(columns)), dtype=float)
    levels: dict[str, int] = {}
    kinds: dict[str, str] = {}
    for j, name in enumerate(columns):
        values[:, j], levels[name], kinds[name] = check_column(name, data[name], cases)
    return SetData(cases, columns, values, levels, kinds)
