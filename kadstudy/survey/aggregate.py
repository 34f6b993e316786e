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
    """Within-group agreement rwg(J) of James, Demaree & Wolf (1984).

    ``J (1 - s2/se2) / (J (1 - s2/se2) + s2/se2)``, with ``s2`` the mean within-group item
    variance and ``se2`` the variance of the uniform null (``(A^2 - 1) / 12`` for A options).

    Parameters
    ----------
    item_variances : numpy.ndarray
        The mean within-group item variance ``s2`` of each group.
    n_items : int
        The number of items ``J``.
    null_variance : float
        The variance of the uniform null ``se2``.

    Returns
    -------
    numpy.ndarray
        rwg(J) per group; 0 when ``s2 > se2`` (more spread than random answers).

    Examples
    --------
    >>> import numpy as np
    >>> from kadstudy.survey import rwg_j
    >>> rwg_j(np.array([0.5, 2.0, 3.0]), 4, 2.0).round(3)
    array([0.923, 0.   , 0.   ])
    """
    ratio = np.asarray(item_variances, dtype=float) / null_variance
    agree = n_items * (1 - ratio)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = agree / (agree + ratio)
    return np.where(ratio > 1, 0.0, out)


def icc_oneway(values: np.ndarray, codes: np.ndarray, n_groups: int) -> dict[str, float]:
    """ICC(1) and ICC(2) from a one-way ANOVA of ``values`` by group (Bliese 2000).

    ``MSB = sum n_j (m_j - m)^2 / (J - 1)``, ``MSW = sum (y - m_j)^2 / (N - J)``,
    ``ICC(1) = (MSB - MSW) / (MSB + (k0 - 1) MSW)``, ``ICC(2) = (MSB - MSW) / MSB``, where
    ``k0 = (N - sum n_j^2 / N) / (J - 1)`` is the usual group size for unequal groups (= n when
    equal).

    Parameters
    ----------
    values : numpy.ndarray
        One value per respondent; missing values are dropped.
    codes : numpy.ndarray
        The group (forum) of each respondent, as integer codes 0 .. ``n_groups - 1``.
    n_groups : int
        The number of groups; groups without values are ignored.

    Returns
    -------
    dict
        ``forums``, ``respondents``, ``k0``, ``msb``, ``msw``, the ANOVA's ``F`` and ``p``, and
        ``icc1``, ``icc2``.

    Examples
    --------
    >>> import numpy as np
    >>> from kadstudy.survey import icc_oneway
    >>> r = icc_oneway(np.array([1.0, 2, 2, 4, 5, 5]), np.array([0, 0, 0, 1, 1, 1]), 2)
    >>> round(r["icc1"], 3), round(r["icc2"], 3)
    (0.929, 0.975)
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
    """Forum-level summaries of every score.

    Parameters
    ----------
    scored : pandas.DataFrame
        Reverse-scored item answers (for rwg(J) over a score's items).
    scores : pandas.DataFrame
        Respondent x score (:func:`scale_scores`).
    forum : pandas.Series
        The forum of each respondent.
    instrument : Instrument
        The instrument.
    min_respondents : int, optional
        Forums with fewer respondents are ``thin`` (default: the instrument's).

    Returns
    -------
    pandas.DataFrame
        Long table, one row per (forum, score): respondents ``n`` (with a score), mean, median,
        sd, rwg(J) over the score's items, and ``thin`` = n < min_respondents.
    """
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
    """ICC(1)/ICC(2) of every score across forums (:func:`icc_oneway`).

    Parameters
    ----------
    scores : pandas.DataFrame
        Respondent x score.
    forum : pandas.Series
        The forum of each respondent.
    instrument : Instrument
        The instrument (the order and labels of the scores).

    Returns
    -------
    pandas.DataFrame
        One row per score with the ANOVA and both ICCs.
    """
    codes, forums = _codes(forum)
    rows = [{"score": s, "set": instrument.set_name(s),
             **icc_oneway(scores[s].to_numpy(dtype=float), codes, len(forums))}
            for s in instrument.score_names]
    return pd.DataFrame(rows).set_index("score")


def forum_means(table: pd.DataFrame) -> pd.DataFrame:
    """Forum x score matrix of means.

    Parameters
    ----------
    table : pandas.DataFrame
        The long table of :func:`forum_table`.

    Returns
    -------
    pandas.DataFrame
        One row per forum, one column per score.
    """
    wide = table.pivot(index="forum_id", columns="score", values="mean")
    wide.columns.name = None
    return wide[list(dict.fromkeys(table["score"]))]


def calibrate_forums(table: pd.DataFrame, instrument: Instrument, keep_thin: bool = False) -> pd.DataFrame:
    """Forum x set fuzzy memberships of the survey's sets.

    Each score's forum mean is calibrated by the direct method (:func:`kadstudy.sets.calibrate`,
    logistic) through the instrument's anchors.

    Parameters
    ----------
    table : pandas.DataFrame
        The long table of :func:`forum_table`.
    instrument : Instrument
        The instrument: the set name and anchors of each score.
    keep_thin : bool, default False
        Give forums flagged thin a membership too.

    Returns
    -------
    pandas.DataFrame
        One row per forum, one column per set (``TRUST``, ``SOCCAP``, ...); thin forums (unless
        ``keep_thin``) and forums without a score get NaN.
    """
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
    """The case table with the survey sets added as columns.

    Parameters
    ----------
    cases : pandas.DataFrame
        The case table (index = forum id).
    memberships : pandas.DataFrame
        Forum x set memberships (:func:`calibrate_forums`).

    Returns
    -------
    pandas.DataFrame
        ``cases`` with one more column per set; forums without survey data get missing values.

    Raises
    ------
    ValueError
        A set name is already a column of ``cases``.
    """
    clash = [c for c in memberships.columns if c in cases.columns]
    if clash:
        raise ValueError(f"survey set(s) {', '.join(clash)} already are columns of the case table")
    joined = cases.join(memberships, how="left")
    joined.index.name = cases.index.name
    return joined
