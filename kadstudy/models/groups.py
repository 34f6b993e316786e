"""Cases that are not independent observations (a case group: forums a source describes jointly)
collapsed to one row per group. Pure: a DataFrame in, a DataFrame out.

The representative of a group is its aggregate over the members that code a value: the mean for
float columns (fuzzy set memberships: the group's mean membership), the modal value for every other
column (binary, ordinal, counts, categories); a tie between values leaves the cell missing, since
no one value stands for the group.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def _is_mean_column(col: pd.Series) -> bool:
    """Float columns (not categorical) are averaged; every other column takes its modal value."""
    return pd.api.types.is_float_dtype(col) and not isinstance(col.dtype, pd.CategoricalDtype)


def _modes(col: pd.Series, keys: pd.Series) -> pd.Series:
    """Per group (``keys``), the modal coded value of ``col``: values are compared as text, the value
    returned is the group's first coded member with the modal text; a tie, or no coded member,
    gives missing (absent from the result)."""
    coded = col.notna().to_numpy()
    if not coded.any():
        return pd.Series([], dtype=object)
    values = pd.Series(col.to_numpy(dtype=object)[coded])
    work = pd.DataFrame({"key": keys.to_numpy(dtype=object)[coded], "text": values.astype(str).to_numpy(),
                         "pos": range(int(coded.sum()))})
    counts = work.groupby(["key", "text"], sort=False).agg(n=("pos", "size"), first=("pos", "min"))
    counts = counts.reset_index()
    top = counts.groupby("key", sort=False)["n"].transform("max")
    best = counts[counts["n"] == top]
    unique = best.groupby("key", sort=False)["n"].transform("size") == 1
    best = best[unique.to_numpy()]
    return pd.Series(values.to_numpy()[best["first"].to_numpy()], index=best["key"].to_numpy(), dtype=object)


def _means(col: pd.Series, codes: np.ndarray, n_groups: int) -> np.ndarray:
    """Per group (``codes``: 0 .. n_groups - 1 in row order), the mean of the coded values of a
    float column, NaN where none is coded. Summed as :meth:`pandas.Series.mean` sums one group (the
    members in row order, a missing value as 0, numpy's sum) so the means are the same to the bit:
    the groups of each size are summed together, row by row of a 2-d array."""
    values = col.to_numpy(dtype=float, na_value=np.nan)
    coded = ~np.isnan(values)
    filled = np.where(coded, values, 0.0)
    order = np.argsort(codes, kind="stable")
    sizes = np.bincount(codes, minlength=n_groups)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    sums = np.zeros(n_groups)
    counts = np.bincount(codes, weights=coded, minlength=n_groups)
    for size in np.unique(sizes[sizes > 0]):
        groups = np.flatnonzero(sizes == size)
        rows = order[starts[groups][:, None] + np.arange(size)[None, :]]
        sums[groups] = np.ascontiguousarray(filled[rows]).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / np.where(counts > 0, counts, 1), np.nan)


def _missing(index: pd.Index, dtype: object) -> pd.Series:
    """An all-missing column of ``dtype`` (NaN where the dtype has no ``pd.NA``, e.g. float64)."""
    try:
        return pd.Series(pd.NA, index=index).astype(dtype)
    except (TypeError, ValueError):
        return pd.Series(np.nan, index=index).astype(dtype)


def collapse_groups(df: pd.DataFrame, groups: pd.Series) -> pd.DataFrame:
    """One row per case group.

    Float columns are averaged over the members that code them, others take the modal value
    (compared as text; missing on a tie); a column no member codes stays missing.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per case.
    groups : pandas.Series
        The group of each case, aligned with ``df``'s index; a case without a group is its own
        group.

    Returns
    -------
    pandas.DataFrame
        Indexed by the group id (as text) in order of first appearance, with the columns, column
        dtypes, index name and ``attrs`` of ``df``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"x": [1.0, 0.5, 0.2], "c": ["A", "A", "B"]}, index=["p", "q", "r"])
    >>> collapse_groups(df, pd.Series({"p": "g", "q": "g"}))
          x  c
    g  0.75  A
    r  0.20  B
    """
    attrs = dict(df.attrs)
    df = df.copy(deep=False)
    df.attrs = {}  # pandas deep-copies attrs on every operation: keep the metadata out of the way
    keys = groups.reindex(df.index).astype("string")
    keys.attrs = {}
    keys = keys.fillna(pd.Series(df.index.astype(str), index=df.index, dtype="string"))
    order = pd.Index(list(dict.fromkeys(keys.tolist())), dtype=object)
    out = pd.DataFrame(index=order)
    codes = order.get_indexer(keys.to_numpy(dtype=object))
    for col in df.columns:       # a loop over the columns; each is aggregated over all groups at once
        series = df[col]
        if _is_mean_column(series):
            means = _means(series, codes, len(order))
            agg = pd.Series(means, index=order, dtype=object)
            if isinstance(series.dtype, pd.api.extensions.ExtensionDtype):   # nullable floats: NA
                agg[np.isnan(means)] = pd.NA
        else:
            agg = _modes(series, keys)
        # a list in, so pandas infers the column as the former row-by-row construction let it
        agg = pd.Series(agg.reindex(order, fill_value=pd.NA).tolist(), index=order)
        out[col] = agg.astype(series.dtype) if not agg.isna().all() else _missing(order, series.dtype)
    out.index = pd.Index(list(order), name=df.index.name)
    out.attrs = attrs
    return out


def group_members(df: pd.DataFrame, groups: pd.Series) -> dict[str, list[str]]:
    """Group id -> the ids of its members in ``df`` (a case without a group is its own group)."""
    out: dict[str, list[str]] = {}
    for case in df.index:
        g = groups.get(case)
        out.setdefault(str(case) if pd.isna(g) else str(g), []).append(str(case))
    return out


__all__ = ["collapse_groups", "group_members"]
