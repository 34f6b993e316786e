"""collapse_groups (pandas groupby) gives what the former loop over the groups gave, kept here as the
oracle: on the shipped KAD dataset and on seeded random frames with every column kind it meets
(float memberships, nullable integers, text, categories, objects, missing values, ties, groups of
one, cases without a group)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kadstudy.data.dataset import load
from kadstudy.models.groups import collapse_groups


def _mode_oracle(values: pd.Series) -> object:
    coded = values.dropna()
    if coded.empty:
        return pd.NA
    counts = coded.astype(str).value_counts()
    top = counts[counts == counts.max()]
    if len(top) > 1:
        return pd.NA
    return coded[coded.astype(str) == top.index[0]].iloc[0]


def collapse_oracle(df: pd.DataFrame, groups: pd.Series) -> pd.DataFrame:
    """The implementation before the rewrite: one pass over the rows of each group."""
    attrs = dict(df.attrs)
    df = df.copy(deep=False)
    df.attrs = {}
    keys = groups.reindex(df.index).astype("string")
    keys.attrs = {}
    keys = keys.fillna(pd.Series(df.index.astype(str), index=df.index, dtype="string"))
    order = list(dict.fromkeys(keys.tolist()))
    rows: dict[str, dict[str, object]] = {}
    for key in order:
        part = df[(keys == key).to_numpy()]
        rows[key] = {col: (part[col].mean() if pd.api.types.is_float_dtype(part[col])
                           and not isinstance(part[col].dtype, pd.CategoricalDtype)
                           else _mode_oracle(part[col])) for col in df.columns}
    out = pd.DataFrame.from_dict(rows, orient="index", columns=list(df.columns))
    for col in df.columns:
        out[col] = out[col].astype(df[col].dtype) if not out[col].isna().all() \
            else pd.Series(pd.NA, index=out.index).astype(df[col].dtype)
    out.index = pd.Index(order, name=df.index.name)
    out.attrs = attrs
    return out


def same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert got.attrs.keys() == want.attrs.keys()


def test_shipped_dataset_collapses_as_before():
    df = load("kad_forums")
    got, want = collapse_groups(df, df["case_group"]), collapse_oracle(df, df["case_group"])
    same(got, want)
    # an independent count: the distinct case_group values of forums.csv
    assert len(got) == df["case_group"].nunique() and len(got) < len(df)


def random_frame(rng: np.random.Generator) -> tuple[pd.DataFrame, pd.Series]:
    n = int(rng.integers(1, 25))
    idx = pd.Index([f"c{i}" for i in range(n)], name=rng.choice(["forum_id", None]))
    miss = lambda p: rng.random(n) < p                            # noqa: E731
    memb = rng.choice([0.0, 0.33, 0.67, 1.0, 0.1, 0.2, 0.7], n)
    memb[miss(0.3)] = np.nan
    free = rng.random(n) * rng.choice([1.0, 1e6, 1e-3])
    free[miss(0.2)] = np.nan
    memb[0], free[0] = 0.33, 0.5   # a float64 column nobody codes made the former loop raise (below)
    ints = pd.array(rng.integers(0, 3, n), dtype="Int64")
    ints[miss(0.3)] = pd.NA
    text = pd.array(rng.choice(["a", "b", "c"], n), dtype="string")
    text[miss(0.2)] = pd.NA
    cat = pd.Categorical(rng.choice(["low", "high"], n), categories=["low", "high"])
    obj = pd.Series(rng.choice([1, 1.0, "1", None, "x"], n), dtype=object).to_numpy()
    flo = pd.array(rng.choice([0.1, 0.33, 0.67, 0.7, 1.0], n), dtype="Float64")
    flo[miss(0.3)] = pd.NA
    df = pd.DataFrame({"memb": memb, "free": free, "ints": ints, "text": text, "cat": cat,
                       "obj": obj, "flo": flo, "none": pd.array([pd.NA] * n, dtype="Float64")},
                      index=idx)
    n_groups = int(rng.integers(1, n + 1))
    groups = pd.Series(rng.choice([f"g{k}" for k in range(n_groups)], n), index=idx, dtype=object)
    groups[miss(0.3)] = None
    df.attrs = {"note": "kept"}
    return df, groups


@pytest.mark.parametrize("seed", range(60))
def test_random_frames_collapse_as_before(seed):
    df, groups = random_frame(np.random.default_rng(seed))
    same(collapse_groups(df, groups), collapse_oracle(df, groups))


def test_oracle_can_tell_a_difference():
    """The comparison fails on a changed cell (the check is not vacuous)."""
    df, groups = random_frame(np.random.default_rng(3))
    want = collapse_oracle(df, groups)
    bad = want.copy()
    bad.iloc[0, 0] = 0.5 if bad.iloc[0, 0] != 0.5 else 0.25
    with pytest.raises(AssertionError):
        same(bad, want)


def test_a_float_column_no_member_codes_stays_missing():
    """The former loop raised here (pandas cannot cast pd.NA to float64); now the cell is NaN."""
    df = pd.DataFrame({"x": [np.nan, np.nan, 0.5], "y": [np.nan, np.nan, np.nan]}, index=["a", "b", "c"])
    with pytest.raises(TypeError):
        collapse_oracle(df, pd.Series({"a": "g", "b": "g"}))
    out = collapse_groups(df, pd.Series({"a": "g", "b": "g"}))
    assert list(out.index) == ["g", "c"] and out["y"].dtype == np.float64 and out["y"].isna().all()
    assert np.isnan(out.loc["g", "x"]) and out.loc["c", "x"] == 0.5
