"""Calibration of raw values into crisp, multi-value or fuzzy sets.

Matches R QCA's ``calibrate()``: fuzzy sets by the logistic function through three anchors
(``idm = 0.95`` is the membership at the inclusion anchor) or an s-shape, with R's snapping of
memberships below 0.0001 to 0 and above 0.9999 to 1 (:func:`snap`), crisp and multi-value sets by
thresholds (``x >= t`` moves up one level, like R's ``findInterval``), and the indirect
method (Ragin 2008), :func:`calibrate_indirect`: qualitative anchors assigned to ranges of
the raw values, smoothed by a fractional logit.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from kadstudy.sets.errors import QCAInputError, QCAWarning

ArrayLike = Sequence[float] | np.ndarray | pd.Series


def _as_float(x: ArrayLike, name: str) -> np.ndarray:
    arr = pd.to_numeric(pd.Series(x), errors="coerce").to_numpy(dtype=float)
    raw = pd.Series(x)
    if np.isnan(arr).any():
        i = int(np.flatnonzero(np.isnan(arr))[0])
        label = raw.index[i]
        raise QCAInputError(
            f"column {name!r}, row {label!r}: value {raw.iloc[i]!r} is missing or not "
            "numeric; calibration needs a number for every case"
        )
    return arr


#: R QCA's ``calibrate()`` sets fuzzy memberships below ``SNAP`` to 0 and above ``1 - SNAP`` to 1.
SNAP = 0.0001


def snap(fs: np.ndarray) -> np.ndarray:
    """R QCA's last step of fuzzy calibration (``R/calibrate.R``: ``fs[fs < 0.0001] <- 0``,
    ``fs[fs > 0.9999] <- 1``): strictly below 0.0001 becomes 0, strictly above 0.9999 becomes 1;
    0.0001 and 0.9999 themselves are kept."""
    out = np.array(fs, dtype=float, copy=True)
    out[out < SNAP] = 0.0
    out[out > 1 - SNAP] = 1.0
    return out


def calibrate(
    x: ArrayLike,
    thresholds: Sequence[float],
    type: str = "fuzzy",
    *,
    logistic: bool = True,
    idm: float = 0.95,
    below: float = 1.0,
    above: float = 1.0,
    name: str | None = None,
    method: str = "direct",
) -> np.ndarray | pd.Series:
    """Calibrate raw values ``x`` into set memberships, as R QCA's ``calibrate()``.

    Missing raw values (NaN, None, ``pd.NA``) give a missing membership (NaN), as R passes
    ``NA`` through; the other values are calibrated as if the missing ones were absent (the
    range checks of crisp thresholds and the indirect method's fit use the observed values
    only). A value that is present but not a number is refused.

    Parameters
    ----------
    x : pandas.Series or array_like
        The raw values. A Series gives a Series back, with the same index and name; anything
        else gives a NumPy array.
    thresholds : sequence of float
        Fuzzy: ``(e, c, i)``, the anchors of full exclusion, crossover and full inclusion
        (decreasing when ``e > i``). Crisp: ``(t1[, t2, ...])``, the thresholds of levels 1, 2, ...
        Indirect: the cut points of the ranges (see :func:`calibrate_indirect`).
    type : {"fuzzy", "crisp"}, default "fuzzy"
        Fuzzy memberships in [0, 1], or crisp levels 0, 1, 2, ...
    logistic : bool, default True
        Fuzzy direct method: the logistic function, or (False) the linear s-shape with the
        exponents ``below`` and ``above``.
    idm : float, default 0.95
        The inclusion degree of membership the logistic function gives at ``e`` and ``i``.
    below, above : float, default 1.0
        The exponents of the linear s-shape below and above the crossover.
    name : str, optional
        The set's name in error messages (default: the Series' name, else ``"x"``).
    method : {"direct", "indirect"}, default "direct"
        ``"indirect"`` (fuzzy only) is R QCA's indirect method with its defaults, that is
        ``calibrate_indirect(x, thresholds)``; ``logistic``, ``idm``, ``below`` and ``above`` do
        not apply.

    Returns
    -------
    pandas.Series or numpy.ndarray
        The memberships (fuzzy) or levels (crisp), NaN where ``x`` is missing. Fuzzy memberships
        below 0.0001 are set to 0 and above 0.9999 to 1, as R does (:func:`snap`).

    Raises
    ------
    QCAInputError
        Non-numeric values, thresholds of the wrong number or order, or an unknown ``type`` or
        ``method``.

    Examples
    --------
    >>> import pandas as pd
    >>> from kadstudy.sets import calibrate
    >>> gdp = pd.Series([1000.0, None, 5000.0, 10000.0], index=["AT", "BE", "CZ", "DK"], name="GDP")
    >>> calibrate(gdp, [1000, 5000, 10000]).round(3).to_dict()
    {'AT': 0.05, 'BE': nan, 'CZ': 0.5, 'DK': 0.95}
    >>> [round(float(m), 3) for m in calibrate([1, 4.5, 8, 10], (2, 4.5, 8))]
    [0.016, 0.5, 0.95, 0.99]
    >>> [int(m) for m in calibrate([1, 3, 6], (2, 5), type="crisp")]
    [0, 1, 2]
    """
    series = x if isinstance(x, pd.Series) else None
    label = name if name is not None else (
        str(series.name) if series is not None and series.name is not None else "x")
    raw = series if series is not None else pd.Series(x)
    missing = raw.isna().to_numpy(dtype=bool)
    out = np.full(len(raw), np.nan)
    if not missing.all():
        out[~missing] = _calibrate_present(
            raw[~missing],  # a boolean mask selects by position, so duplicate labels are safe
            thresholds, type, logistic=logistic, idm=idm, below=below, above=above, name=label,
            method=method)
    if series is not None:
        return pd.Series(out, index=series.index, name=series.name)
    return out


def _calibrate_present(
    x: ArrayLike,
    thresholds: Sequence[float],
    type: str,
    *,
    logistic: bool,
    idm: float,
    below: float,
    above: float,
    name: str,
    method: str,
) -> np.ndarray:
    """:func:`calibrate` of values none of which is missing."""
    if method == "indirect":
        if type != "fuzzy":
            raise QCAInputError(
                f"the indirect method calibrates to fuzzy sets; use type='fuzzy' for {name!r}"
            )
        return calibrate_indirect(x, thresholds, name=name)
    if method != "direct":
        raise QCAInputError(
            f"calibration method {method!r} is unknown; use 'direct' or 'indirect'"
        )
    values = _as_float(x, name)
    th = [float(t) for t in thresholds]
    if any(np.isnan(t) for t in th):
        raise QCAInputError(f"thresholds for {name!r} must be numbers, got {thresholds!r}")
    if type == "crisp":
        if not th:
            raise QCAInputError(f"no thresholds for {name!r}; give t1[,t2,...]")
        lo, hi = float(values.min()), float(values.max())
        outside = [t for t in th if t < lo or t > hi]
        if outside:
            raise QCAInputError(
                f"threshold {outside[0]:g} is outside the range of {name!r} "
                f"[{lo:g}, {hi:g}]; choose thresholds within the data"
            )
        ths = np.sort(np.asarray(th))
        return np.searchsorted(ths, values, side="right").astype(float)
    if type != "fuzzy":
        raise QCAInputError(f"calibration type {type!r} is unknown; use 'fuzzy' or 'crisp'")
    if len(th) != 3:
        raise QCAInputError(
            f"fuzzy calibration of {name!r} needs three thresholds e,c,i "
            f"(exclusion, crossover, inclusion); got {len(th)}"
        )
    e, c, i = th
    if not (e < c < i or e > c > i):
        raise QCAInputError(
            f"thresholds {e:g},{c:g},{i:g} for {name!r} are not ordered: the crossover must "
            "lie strictly between exclusion and inclusion (e < c < i, or e > c > i)"
        )
    if not 0.5 < idm < 1:
        raise QCAInputError(f"idm must be between 0.5 and 1, got {idm}")
    decreasing = e > i
    lo_anchor, hi_anchor = (i, e) if decreasing else (e, i)
    if logistic:
        scale = np.log(idm / (1 - idm))
        span = np.where(values < c, c - lo_anchor, hi_anchor - c)
        fs = 1.0 / (1.0 + np.exp(-(values - c) * scale / span))
        return snap(1.0 - fs if decreasing else fs)
    if below <= 0 or above <= 0:
        raise QCAInputError("exponents 'below' and 'above' must be positive")
    fs = np.empty_like(values)
    for k, v in enumerate(values):
        if not decreasing:
            if v <= e:
                fs[k] = 0.0
            elif v <= c:
                fs[k] = ((e - v) / (e - c)) ** below / 2
            elif v <= i:
                fs[k] = 1 - ((i - v) / (i - c)) ** above / 2
            else:
                fs[k] = 1.0
        else:
            if v <= i:
                fs[k] = 1.0
            elif v <= c:
                fs[k] = 1 - ((i - v) / (i - c)) ** above / 2
            elif v <= e:
                fs[k] = ((e - v) / (e - c)) ** below / 2
            else:
                fs[k] = 0.0
    return snap(fs)


#: Regressors of the indirect method's fractional logit, besides the intercept.
INDIRECT_BASES = ("fracpoly", "linear")


def _indirect_thresholds(thresholds: Sequence[float], name: str) -> np.ndarray:
    try:
        th = np.sort(np.asarray([float(t) for t in thresholds], dtype=float))
    except (TypeError, ValueError):
        raise QCAInputError(f"thresholds for {name!r} must be numbers, got {thresholds!r}") from None
    if len(th) == 0:
        raise QCAInputError(f"no thresholds for {name!r}; give t1[,t2,...] to cut the raw values")
    if not np.all(np.isfinite(th)):
        raise QCAInputError(f"thresholds for {name!r} must be finite numbers, got {thresholds!r}")
    if np.any(np.diff(th) == 0):
        dup = th[:-1][np.diff(th) == 0][0]
        raise QCAInputError(f"threshold {dup:g} for {name!r} is given twice; thresholds must differ")
    return th


def indirect_anchors(
    x: ArrayLike,
    thresholds: Sequence[float],
    memberships: Sequence[float] | None = None,
    *,
    name: str = "x",
) -> np.ndarray:
    """The qualitative membership each case is assigned before the indirect method's fit.

    The sorted thresholds ``t1 < ... < tk`` cut the raw values into ``k + 1`` ranges,
    ``x <= t1``, ``t1 < x <= t2``, ..., ``x > tk`` (a value equal to a threshold belongs to
    the range below it, as in R QCA). Range ``j`` gets ``memberships[j]``; by default R's
    equally spaced values ``round(j / k, 3)``: 0, 1/k, ..., 1.
    """
    values = _as_float(x, name)
    th = _indirect_thresholds(thresholds, name)
    if memberships is None:
        anchors = np.round(np.arange(len(th) + 1) / len(th), 3)
    else:
        try:
            anchors = np.asarray([float(m) for m in memberships], dtype=float)
        except (TypeError, ValueError):
            raise QCAInputError(
                f"memberships for {name!r} must be numbers in [0, 1], got {memberships!r}"
            ) from None
        if len(anchors) != len(th) + 1:
            raise QCAInputError(
                f"{len(th)} threshold(s) for {name!r} make {len(th) + 1} ranges, so give "
                f"{len(th) + 1} memberships (lowest range first), not {len(anchors)}"
            )
        if not np.all((anchors >= 0) & (anchors <= 1)):
            raise QCAInputError(
                f"memberships for {name!r} must lie in [0, 1], got {memberships!r}"
            )
    # number of thresholds strictly below each value: R's y[x > t_i] <- value_{i+1}
    return anchors[np.searchsorted(th, values, side="left")]


def calibrate_indirect(
    x: ArrayLike,
    thresholds: Sequence[float],
    memberships: Sequence[float] | None = None,
    *,
    basis: str = "fracpoly",
    name: str = "x",
) -> np.ndarray:
    """Fuzzy calibration by the indirect method (Ragin 2008, ch. 5; R QCA's
    ``calibrate(x, method = "indirect", thresholds = ...)``).

    What is fitted, exactly:

    1. Anchors. Each case gets the qualitative membership of its range of raw values,
       :func:`indirect_anchors` (default: R's equally spaced 0, 1/k, ..., 1 for ``k``
       thresholds; give ``memberships`` to assign your own, e.g. ``0, .2, .4, .6, .8, 1``, or
       a decreasing list for a set of low values).
    2. Fractional logit. A quasi-binomial GLM with logit link (Papke-Wooldridge fractional
       logit; statsmodels ``GLM`` with the ``Binomial`` family, whose estimates are the
       quasi-binomial ones: the dispersion does not change them) of the anchors on the raw values:
       ``logit E[anchor] = b0 + b1 log x + b2 x^0.5 + b3 x + b4 x^2`` for ``basis="fracpoly"``
       (R QCA's fixed fractional polynomial; raw values of 0 are replaced by 0.00001 as R
       does, negative values are refused), or ``logit E[anchor] = b0 + b1 x`` for
       ``basis="linear"`` (a plain fractional logit, monotone in ``x``). The regressors are
       standardised before the fit, which does not change the fitted values.
    3. Memberships. The fitted values, rounded to 6 decimals; below 0.0001 set to 0 and
       above 0.9999 set to 1 (as R).

    With the defaults this is the specification of R QCA's code (``R/calibrate.R``, read in
    the 3.23 source; its help page only says "a (quasi)binomial logistic regression with a
    fractional polynomial equation" on thresholds cutting the data into intervals); it was
    not run against R here, so agreement holds up to the GLM's convergence tolerance.
    Differences from R: ``memberships`` and ``basis="linear"`` are additions; R's fractional
    polynomial is a fixed set of powers chosen by R QCA, so neither basis is guaranteed to
    reproduce the numbers Ragin published with his own software; R's thresholds are not
    checked, here duplicated thresholds, negative raw values (fractional polynomial) and
    anchors that are all equal raise :class:`QCAInputError`; when the fitted values reach 0
    or 1 numerically (anchors that separate the cases) or the fit does not converge, a
    :class:`QCAWarning` says so (R's ``glm`` warns likewise). The fractional polynomial need
    not be monotone in ``x``; the linear basis is.
    """
    if basis not in INDIRECT_BASES:
        raise QCAInputError(
            f"basis {basis!r} is unknown; use 'fracpoly' (R QCA) or 'linear'"
        )
    values = _as_float(x, name)
    target = indirect_anchors(values, thresholds, memberships, name=name)
    if np.ptp(target) == 0:
        raise QCAInputError(
            f"every case of {name!r} gets the same anchor membership {target[0]:g}; choose "
            f"thresholds within the data [{values.min():g}, {values.max():g}]"
        )
    if basis == "fracpoly":
        if (values < 0).any():
            raise QCAInputError(
                f"column {name!r} has negative values (min {values.min():g}); the fractional "
                "polynomial uses log(x) and x^0.5: shift the variable or use basis='linear'"
            )
        xv = np.where(values == 0, 0.00001, values)
        cols = [np.log(xv), np.sqrt(xv), xv, xv**2]
    else:
        cols = [values]
    regressors = []
    for col in cols:
        sd = col.std()
        if sd > 0 and np.isfinite(sd):
            regressors.append((col - col.mean()) / sd)
    design = np.column_stack([np.ones_like(values), *regressors])

    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import PerfectSeparationWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        # the quasi-binomial fit is the binomial one: its dispersion does not change the
        # estimates, and statsmodels' scale="X2" derails IRLS when the fit is exact
        fit = sm.GLM(target, design, family=sm.families.Binomial()).fit(maxiter=100)
    fitted = np.asarray(fit.predict(design), dtype=float)
    # statsmodels flags any fit with fitted == anchors, which is harmless for fractional
    # anchors; R's glm warns when fitted values are numerically 0 or 1, or no convergence
    trouble = [
        str(w.message).splitlines()[0]
        for w in caught
        if not issubclass(w.category, PerfectSeparationWarning)
    ]
    edge = 10 * np.finfo(float).eps
    if not fit.converged:
        trouble.insert(0, "no convergence")
    if np.any(fitted < edge) or np.any(fitted > 1 - edge):
        trouble.insert(0, "fitted values numerically 0 or 1")
    if trouble or not np.all(np.isfinite(fitted)):
        reason = trouble[0] if trouble else "non-finite fitted values"
        warnings.warn(
            f"indirect calibration of {name!r}: the fractional logit did not fit cleanly "
            f"({reason}); the anchors may separate the cases perfectly, so memberships near 0 "
            "or 1 are approximate",
            QCAWarning,
            stacklevel=2,
        )
        fitted = np.nan_to_num(fitted, nan=0.5)
    return snap(np.round(fitted, 6))
