"""Cases that are not independent observations (a case group: forums a source describes jointly)
collapsed to one row per group. Pure: a DataFrame in, a DataFrame out.

The representative of a group is its aggregate over the members that code a value: the mean for
float columns (fuzzy set memberships: the group's mean membership), the modal value for every other
column (binary, ordinal, counts, categories); a tie between values leaves the cell missing, since
no one value stands for the group.
"""

from __future__ import annotations

import pandas as pd


def _mode(values: pd.Series) -> object:
    coded = values.dropna()
    if coded.empty:
        return pd.NA
    counts = coded.astype(str).value_counts()
    top = counts[counts == counts.max()]
    if len(top) > 1:
        return pd.NA
    return coded[coded.astype(str) == top.index[0]].iloc[0]


def collapse_groups(df: pd.DataFrame, groups: pd.Series) -> pd.DataFrame:
    """One row per value of ``groups`` (aligned with ``df``'s index; a case without a group is its
    own group), indexed by the group id in order of first appearance, with the column dtypes of
    ``df``. Float columns are averaged over the members that code them, others take the modal
    value (missing on a tie); a column no member codes stays missing."""
    attrs = dict(df.attrs)
    df = df.copy(deep=False)
    df.attrs = {}  # pandas deep-copies attrs on every operation: keep the metadata out of the loop
    keys = groups.reindex(df.index).astype("string")
    keys.attrs = {}
    keys = keys.fillna(pd.Series(df.index.astype(str), index=df.index, dtype="string"))
    order = list(dict.fromkeys(keys.tolist()))
    rows: dict[str, dict[str, object]] = {}
    for key in order:
        part = df[(keys == key).to_numpy()]
        rows[key] = {col: (part[col].mean() if pd.api.types.is_float_dtype(part[col])
                           and not isinstance(part[col].dtype, pd.CategoricalDtype)
                           else _mode(part[col])) for col in df.columns}
    out = pd.DataFrame.from_dict(rows, orient="index", columns=list(df.columns))
    for col in df.columns:
        out[col] = out[col].astype(df[col].dtype) if not out[col].isna().all() \
            else pd.Series(pd.NA, index=out.index).astype(df[col].dtype)
    out.index = pd.Index(order, name=df.index.name)
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
