"""Calibration of raw values into crisp, multi-value or fuzzy sets (direct method).

Matches R QCA's ``calibrate()``: fuzzy sets by the logistic function through three anchors
(``idm = 0.95`` is the membership at the inclusion anchor), crisp and multi-value sets by
thresholds (``x >= t`` moves up one level, like R's ``findInterval``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from kadstudy.sets.errors import QCAInputError

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


def calibrate(
    x: ArrayLike,
    thresholds: Sequence[float],
    type: str = "fuzzy",
    *,
    logistic: bool = True,
    idm: float = 0.95,
    below: float = 1.0,
    above: float = 1.0,
    name: str = "x",
) -> np.ndarray:
    """Calibrate raw values ``x``.

    ``type="fuzzy"``: ``thresholds = (e, c, i)`` (full exclusion, crossover, full inclusion);
    decreasing when ``e > i``. Logistic (default) or linear s-shape (``logistic=False``,
    with exponents ``below``/``above``).
    ``type="crisp"``: ``thresholds = (t1[, t2, ...])`` give levels 0, 1, 2, ...
    """
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
        return 1.0 - fs if decreasing else fs
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
    return fs
