"""From respondents to forums: per-forum score summaries, within-forum agreement (rwg(J)),
ICC(1)/ICC(2) of each score, the thin-forum flag, and calibration into fuzzy sets.

Everything is vectorised with ``np.bincount`` over integer forum codes, so a million respondents
aggregate in seconds. Pure functions; no file access.
"""

from __future__ import annotations

import math
import warnings
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from kadstudy.survey.instrument import Instrument


def _codes(forum: pd.Series) -> tuple[np.ndarray, list[str]]:
    cat = pd.Categorical(forum.astype(str))
    return cat.codes.astype(np.int64), [str(c) for c in cat.categories]


def _group_moments(values: np.ndarray, codes: np.ndarray, n_groups: int
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Count, mean and sample variance (ddof 1) of the non-missing values of each group."""
    ok = ~np.isnan(values)
    c, v = codes[ok], values[ok]
    n = np.bincount(c, minlength=n_groups).astype(float)
    s = np.bincount(c, weights=v, minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = s / n
        dev = v - mean[c]
        var = np.bincount(c, weights=dev * dev, minlength=n_groups) / (n - 1)
    var[n < 2] = np.nan
    return n, mean, var


def rwg_j(item_variances: np.ndarray, n_items: int, null_variance: float) -> np.ndarray:
    """rwg(J) of James, Demaree & Wolf (1984) from the mean within-group item variance s2:
    J (1 - s2/se2) / (J (1 - s2/se2) + s2/se2), with se2 the variance of the uniform null
    ((A^2 - 1) / 12 for A options). Set to 0 when s2 > se2 (more spread than random answers)."""
    ratio = np.asarray(item_variances, dtype=float) / null_variance
    agree = n_items * (1 - ratio)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = agree / (agree + ratio)
    return np.where(ratio > 1, 0.0, out)


def icc_oneway(values: np.ndarray, codes: np.ndarray, n_groups: int) -> dict[str, float]:
    """ICC(1) and ICC(2) from a one-way ANOVA of ``values`` by group (Bliese 2000), missing
    values dropped, groups without values ignored.

    MSB = sum n_j (m_j - m)^2 / (J - 1), MSW = sum (y - m_j)^2 / (N - J),
    ICC(1) = (MSB - MSW) / (MSB + (k0 - 1) MSW), ICC(2) = (MSB - MSW) / MSB, where
    k0 = (N - sum n_j^2 / N) / (J - 1) is the usual group size for unequal groups (= n when equal).
    """
    from scipy import stats

    n, mean, _ = _group_moments(values, codes, n_groups)
    ok = ~np.isnan(values)
    used = n > 0
    groups, total = int(used.sum()), float(n.sum())
    if groups < 2 or total - groups < 1:
        return {"forums": groups, "respondents": int(total), "k0": math.nan, "msb": math.nan, "msw": math.nan,
                "F": math.nan, "p": math.nan, "icc1": math.nan, "icc2": math.nan}
    grand = float(values[ok].mean())
    msb = float((n[used] * (mean[used] - grand) ** 2).sum() / (groups - 1))
    dev = values[ok] - mean[codes[ok]]
    msw = float((dev * dev).sum() / (total - groups))
    k0 = (total - float((n[used] ** 2).sum()) / total) / (groups - 1)
    f = msb / msw if msw > 0 else math.inf
    return {"forums": groups, "respondents": int(total), "k0": k0, "msb": msb, "msw": msw, "F": f,
            "p": float(stats.f.sf(f, groups - 1, total - groups)),
            "icc1": (msb - msw) / (msb + (k0 - 1) * msw), "icc2": (msb - msw) / msb if msb > 0 else math.nan}


def forum_table(scored: pd.DataFrame, scores: pd.DataFrame, forum: pd.Series, instrument: Instrument,
                min_respondents: int | None = None) -> pd.DataFrame:
    """Long table, one row per (forum, score): respondents n (with a score), mean, median, sd,
    rwg(J) over the score's items, and ``thin`` = n < min_respondents."""
    min_n = instrument.min_respondents if min_respondents is None else min_respondents
    codes, forums = _codes(forum)
    g = len(forums)
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(g + 1))
    frames = []
    for score in instrument.score_names:
        values = scores[score].to_numpy(dtype=float)
        n, mean, var = _group_moments(values, codes, g)
        median = np.full(g, np.nan)
        sorted_vals = values[order]
        for j in range(g):     # one slice per forum; forums are few even when respondents are many
            chunk = sorted_vals[bounds[j]:bounds[j + 1]]
            chunk = chunk[~np.isnan(chunk)]
            if len(chunk):
                median[j] = float(np.median(chunk))
        items = instrument.scale_items(score)
        item_var = np.column_stack([_group_moments(scored[i].to_numpy(dtype=float), codes, g)[2]
                                    for i in items])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)   # a forum of one: all-NaN variances
            mean_var = np.nanmean(item_var, axis=1)
        rwg = rwg_j(mean_var, len(items), instrument.response_of(score).uniform_variance)
        frames.append(pd.DataFrame({"forum_id": forums, "score": score, "set": instrument.set_name(score),
                                    "n": n.astype(int), "mean": mean, "median": median,
                                    "sd": np.sqrt(var), "rwg_j": rwg, "thin": n < min_n}))
    out = pd.concat(frames, ignore_index=True)   # score-major; make it forum-major, scores in order
    rank = np.repeat(np.arange(len(frames)), g)
    return out.iloc[np.lexsort((rank, out["forum_id"].to_numpy()))].reset_index(drop=True)


def icc_table(scores: pd.DataFrame, forum: pd.Series, instrument: Instrument) -> pd.DataFrame:
    """ICC(1)/ICC(2) of every score across forums."""
    codes, forums = _codes(forum)
    rows = [{"score": s, "set": instrument.set_name(s),
             **icc_oneway(scores[s].to_numpy(dtype=float), codes, len(forums))}
            for s in instrument.score_names]
    return pd.DataFrame(rows).set_index("score")


def forum_means(table: pd.DataFrame) -> pd.DataFrame:
    """Forum x score matrix of means from :func:`forum_table`."""
    wide = table.pivot(index="forum_id", columns="score", values="mean")
    wide.columns.name = None
    return wide[list(dict.fromkeys(table["score"]))]


def calibrate_forums(table: pd.DataFrame, instrument: Instrument, keep_thin: bool = False) -> pd.DataFrame:
    """Forum x set fuzzy memberships: each score's forum mean calibrated by the direct method
    (kadstudy.sets.calibrate, logistic) through the instrument's anchors. Forums flagged thin
    (unless ``keep_thin``) and forums without a score get no membership (NaN)."""
    from kadstudy.sets import calibrate

    out = {}
    for score in dict.fromkeys(table["score"]):
        rows = table[table["score"] == score].set_index("forum_id")
        usable = rows["mean"].notna() & (keep_thin | ~rows["thin"].astype(bool))
        member = pd.Series(np.nan, index=rows.index)
        if usable.any():
            member[usable] = calibrate(rows.loc[usable, "mean"].to_numpy(), instrument.anchors_of(score),
                                       type="fuzzy", name=instrument.set_name(score))
        out[instrument.set_name(score)] = member
    frame = pd.DataFrame(out)
    frame.index.name = "forum_id"
    return frame


def join_conditions(cases: pd.DataFrame, memberships: pd.DataFrame) -> pd.DataFrame:
    """The case table (index = forum id) with the survey sets added as columns; forums without
    survey data get missing values. Raises ValueError when a set name is already a column."""
    clash = [c for c in memberships.columns if c in cases.columns]
    if clash:
        raise ValueError(f"survey set(s) {', '.join(clash)} already are columns of the case table")
    joined = cases.join(memberships, how="left")
    joined.index.name = cases.index.name
    return joined
