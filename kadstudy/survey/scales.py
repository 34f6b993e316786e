"""Scoring and reliability: reverse-keying, scale scores, Cronbach's alpha with its confidence
interval (pingouin), McDonald's omega from one-factor loadings (statsmodels ML factor analysis),
item-rest correlations and alpha-if-item-deleted.

Pure functions on pandas/numpy; answers are numbers with NaN for no answer.
"""

from __future__ import annotations

import math
import warnings
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from kadstudy.survey.instrument import Instrument


def column_corr(x: np.ndarray) -> np.ndarray:
    """Correlation matrix of the columns of a tall array. Transposed to contiguous rows first:
    OpenBLAS multiplies a tall C-ordered array by its transpose up to 100 times slower."""
    return np.corrcoef(np.ascontiguousarray(np.asarray(x, dtype=float).T))


def reverse_score(answers: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    """Item answers with reverse-keyed items recoded as ``min + max - answer``.

    Parameters
    ----------
    answers : pandas.DataFrame
        One row per respondent with a column per item (other columns are ignored).
    instrument : Instrument
        The instrument, which says which items are reverse-keyed and their response scale.

    Returns
    -------
    pandas.DataFrame
        A float frame of the instrument's items, in instrument order; unanswered items stay NaN.
    """
    out = {}
    for iid, item in instrument.items.items():
        col = answers[iid].to_numpy(dtype=float)
        out[iid] = (item.response.min + item.response.max) - col if item.reverse else col
    return pd.DataFrame(out, index=answers.index)


def scale_scores(scored: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    """Respondent x score: the scale scores and the composites.

    Parameters
    ----------
    scored : pandas.DataFrame
        Reverse-scored item answers (:func:`reverse_score`).
    instrument : Instrument
        The instrument: the items of each scale, the scales of each composite.

    Returns
    -------
    pandas.DataFrame
        Each scale's mean of its answered items when at least ``instrument.min_answered`` of them
        are answered, else NaN; each composite the mean of its scale scores (NaN when any is
        NaN).
    """
    out: dict[str, np.ndarray] = {}
    for sid, scale in instrument.scales.items():
        block = scored[list(scale.items)].to_numpy(dtype=float)
        answered = (~np.isnan(block)).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.nansum(block, axis=1) / answered
        enough = answered >= math.ceil(instrument.min_answered * len(scale.items) - 1e-9)
        out[sid] = np.where(enough & (answered > 0), mean, np.nan)
    for cid, comp in instrument.composites.items():
        out[cid] = np.mean(np.column_stack([out[s] for s in comp.scales]), axis=1)
    return pd.DataFrame(out, index=scored.index)


def cronbach_alpha(block: pd.DataFrame, ci: float = 0.95) -> tuple[float, float, float, int]:
    """Cronbach's alpha of the complete rows (listwise) with its Feldt confidence interval.

    Parameters
    ----------
    block : pandas.DataFrame
        The items of one scale, one column each.
    ci : float, default 0.95
        The confidence level of the interval (pingouin's Feldt interval).

    Returns
    -------
    alpha, low, high : float
        Alpha and the bounds of its interval (NaN when fewer than two complete rows).
    n : int
        The number of complete rows.

    Examples
    --------
    >>> import pandas as pd
    >>> from kadstudy.survey import cronbach_alpha
    >>> items = pd.DataFrame({"i1": [1, 2, 3, 4, 5, 4, 2, 3], "i2": [2, 2, 3, 5, 4, 4, 1, 3],
    ...                       "i3": [1, 3, 3, 4, 5, 5, 2, 2]})
    >>> alpha, low, high, n = cronbach_alpha(items)
    >>> round(alpha, 3), low, high, n
    (0.933, 0.774, 0.985, 8)
    """
    import pingouin as pg

    complete = block.dropna()
    n = len(complete)
    if n < 2 or block.shape[1] < 2:
        return math.nan, math.nan, math.nan, n
    alpha, (lo, hi) = pg.cronbach_alpha(data=complete, ci=ci)
    return float(alpha), float(lo), float(hi), n


def one_factor_loadings(block: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, bool]:
    """Standardised loadings and uniquenesses of a one-factor ML model of the items' correlation
    matrix (complete rows), signed so that the loadings sum to a positive number, and whether the
    ML fit converged."""
    from statsmodels.multivariate.factor import Factor
    from statsmodels.tools.sm_exceptions import ConvergenceWarning

    complete = block.dropna().to_numpy(dtype=float)
    corr = column_corr(complete)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        # seeded EM starting values: the same digits every run
        fit = Factor(corr=corr, n_factor=1, method="ml", nobs=len(complete)).fit(rng=0)
    converged = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
    loadings = np.asarray(fit.loadings, dtype=float)[:, 0]
    if loadings.sum() < 0:
        loadings = -loadings
    return loadings, np.asarray(fit.uniqueness, dtype=float), converged


def mcdonald_omega(block: pd.DataFrame) -> float:
    """McDonald's omega (total) of the unweighted sum of the items.

    One-factor loadings and uniquenesses rescaled to the items' own variances:
    ``omega = (sum lambda_i sd_i)^2 / ((sum lambda_i sd_i)^2 + sum psi_i sd_i^2)``.

    Parameters
    ----------
    block : pandas.DataFrame
        The items of one scale, one column each (complete rows are used).

    Returns
    -------
    float
        Omega, or NaN when the ML fit does not converge (typically a tiny sample).
    """
    complete = block.dropna()
    if len(complete) < 3 or block.shape[1] < 3:
        return math.nan   # one factor is not identified from fewer than three items
    loadings, uniq, converged = one_factor_loadings(complete)
    if not converged:
        return math.nan
    sd = complete.std(ddof=1).to_numpy(dtype=float)
    common = float((loadings * sd).sum()) ** 2
    return common / (common + float((uniq * sd ** 2).sum()))


def reliability(scored: pd.DataFrame, instrument: Instrument, ci: float = 0.95) -> pd.DataFrame:
    """Reliability of every scale and composite.

    Parameters
    ----------
    scored : pandas.DataFrame
        Reverse-scored item answers (:func:`reverse_score`).
    instrument : Instrument
        The instrument.
    ci : float, default 0.95
        The confidence level of alpha's interval.

    Returns
    -------
    pandas.DataFrame
        One row per scale and composite: its set name and label, items ``k``, complete
        respondents ``n``, ``alpha`` with ``alpha_ci_low`` and ``alpha_ci_high``, ``omega`` and the
        mean inter-item correlation ``mean_r``.
    """
    rows = []
    for score in instrument.score_names:
        items = instrument.scale_items(score)
        block = scored[items]
        alpha, lo, hi, n = cronbach_alpha(block, ci)
        with np.errstate(invalid="ignore", divide="ignore"):   # a constant item: r undefined
            corr = column_corr(block.dropna().to_numpy(dtype=float)) if n > 1 else None
        mean_r = float(corr[np.triu_indices(len(items), 1)].mean()) if corr is not None else math.nan
        rows.append({"scale": score, "set": instrument.set_name(score), "label": instrument.label(score),
                     "k": len(items), "n": n, "alpha": alpha, "alpha_ci_low": lo, "alpha_ci_high": hi,
                     "omega": mcdonald_omega(block), "mean_r": mean_r})
    return pd.DataFrame(rows).set_index("scale")


def item_analysis(scored: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    """Item statistics of every scale.

    Parameters
    ----------
    scored : pandas.DataFrame
        Reverse-scored item answers (:func:`reverse_score`).
    instrument : Instrument
        The instrument.

    Returns
    -------
    pandas.DataFrame
        One row per item: its scale, keying, n answered, mean and sd (after reverse-scoring), the
        item-rest correlation (with the sum of the scale's other items, complete rows) and the
        scale's alpha without it.
    """
    rows = []
    for sid, scale in instrument.scales.items():
        items = list(scale.items)
        complete = scored[items].dropna()
        for iid in items:
            col = scored[iid]
            rest_items = [i for i in items if i != iid]
            rest = complete[rest_items].sum(axis=1)
            with np.errstate(invalid="ignore", divide="ignore"):   # a constant column: r undefined
                r = float(np.corrcoef(complete[iid], rest)[0, 1]) if len(complete) > 2 else math.nan
            if_deleted = cronbach_alpha(complete[rest_items])[0] if len(rest_items) >= 2 else math.nan
            rows.append({"item": iid, "scale": sid,
                         "reverse": "yes" if instrument.items[iid].reverse else "no",
                         "n": int(col.notna().sum()), "mean": float(col.mean()), "sd": float(col.std(ddof=1)),
                         "item_rest_r": r, "alpha_if_deleted": if_deleted})
    return pd.DataFrame(rows).set_index("item")
