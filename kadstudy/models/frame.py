"""Model data: the outcome and predictors of the complete cases, checked, with what was dropped.

Every problem that would make a model meaningless (an unknown or all-missing column, a constant
predictor, an outcome with one class, too few complete cases, collinear predictors) raises
:class:`ModelInputError` with one line naming the column and the fix.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kadstudy.errors import KadError

if TYPE_CHECKING:
    import pandas as pd

EPV_MIN = 10.0  # events per variable below which estimates are flagged (Peduzzi et al. 1996)
OUTCOME_TYPES = ("binary", "ordinal", "none")


class ModelInputError(KadError, ValueError):
    """Data a model cannot use: one line naming the column or case and the fix.

    A :class:`ValueError` for library users and a :class:`~kadstudy.errors.KadError` for the
    command line (one ``error:`` line, no traceback).
    """


class ModelWarning(UserWarning):
    """Something the model can handle but the reader must know (low EPV, separation, ...)."""


def _fmt(v: float) -> str:
    return f"{v:g}" if v == v else "NaN"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


@dataclass
class ModelData:
    """The complete cases of one model, made by :func:`prepare`.

    Attributes
    ----------
    X : pandas.DataFrame
        Design columns (floats, no intercept; a categorical predictor becomes one 0/1 column per
        level other than the first, named ``var[level]``).
    y : pandas.Series or None
        The outcome (None for ``outcome_type="none"``).
    outcome : str or None
        The outcome's column.
    outcome_type : str
        ``binary``, ``ordinal`` or ``none``.
    variables : list of str
        The predictors as given.
    dropped : list of str
        Cases left out for a missing value (listwise deletion).
    n_total : int
        Cases before the deletion.
    extra : pandas.DataFrame or None
        The ``extra`` columns of the complete cases.
    """

    X: pd.DataFrame
    y: pd.Series | None
    outcome: str | None
    outcome_type: str
    variables: list[str]
    dropped: list[str] = field(default_factory=list)
    n_total: int = 0
    extra: pd.DataFrame | None = None

    @property
    def n(self) -> int:
        return len(self.X)

    @property
    def terms(self) -> list[str]:
        """Names of the design columns (the model's coefficients other than the intercept)."""
        return [str(c) for c in self.X.columns]

    @property
    def n_params(self) -> int:
        return self.X.shape[1]

    @property
    def events(self) -> int | None:
        """Cases with outcome 1 (binary), or in the smallest outcome category (ordinal)."""
        if self.y is None:
            return None
        if self.outcome_type == "binary":
            return int((self.y == 1).sum())
        return int(self.y.value_counts().min())

    @property
    def non_events(self) -> int | None:
        if self.y is None or self.outcome_type != "binary":
            return None
        return int((self.y == 0).sum())

    @property
    def limiting(self) -> int | None:
        """Size of the smaller outcome class (binary) or of the smallest category (ordinal)."""
        if self.y is None:
            return None
        if self.outcome_type == "binary":
            return min(self.events or 0, self.non_events or 0)
        return self.events

    @property
    def epv(self) -> float:
        """Events per variable: the limiting outcome class size over the number of parameters."""
        lim = self.limiting
        if lim is None or self.n_params == 0:
            return float("nan")
        return lim / self.n_params

    def summary(self) -> dict[str, object]:
        """N, dropped, events, non-events, parameters and EPV, for a report table."""
        out: dict[str, object] = {"N": self.n, "dropped": len(self.dropped)}
        if self.outcome_type == "binary":
            out.update(events=self.events, non_events=self.non_events)
        elif self.outcome_type == "ordinal":
            out.update(smallest_category=self.events)
        out.update(parameters=self.n_params, EPV=round(self.epv, 3))
        return out

    def describe(self) -> str:
        """One sentence: N, what listwise deletion dropped, events and EPV."""
        text = f"N = {self.n} complete cases"
        if self.dropped:
            text += (f" ({len(self.dropped)} of {self.n_total} dropped for a missing value: "
                     f"{', '.join(self.dropped)})")
        if self.outcome_type == "binary":
            text += (f"; {_plural(self.events or 0, 'event')} ({self.outcome} = 1) and "
                     f"{_plural(self.non_events or 0, 'non-event')}")
        elif self.outcome_type == "ordinal" and self.y is not None:
            counts = self.y.value_counts().sort_index()
            text += "; outcome categories " + ", ".join(f"{k}: {v}" for k, v in counts.items())
        if self.outcome_type != "none":
            text += f"; {_plural(self.n_params, 'parameter')} besides the intercept"
            text += f"; EPV = {self.epv:.2f}"
        return text + "."


def epv_warning(data: ModelData, threshold: float = EPV_MIN) -> str | None:
    """A warning when the events per variable are below ``threshold``, else None.

    Parameters
    ----------
    data : ModelData
        The complete cases of a model (:func:`prepare`).
    threshold : float, default 10
        The least events per variable (cases in the smaller outcome class per parameter).

    Returns
    -------
    str or None
        The warning, naming the EPV and what follows from it.
    """
    if data.outcome_type == "none" or not data.epv < threshold:
        return None
    what = ("the smaller outcome class" if data.outcome_type == "binary"
            else "the smallest outcome category")
    return (f"Events per variable (EPV) = {data.epv:.2f} ({data.limiting} in {what} / "
            f"{_plural(data.n_params, 'parameter')}) is below {threshold:g}: estimates are unstable "
            f"and biased away from zero, and intervals are wide; read them as descriptive.")


def is_categorical(s: pd.Series) -> bool:
    """Whether a column is treated as categorical (dummy-coded) rather than numeric."""
    import pandas as pd

    return isinstance(s.dtype, pd.CategoricalDtype) or not (
        pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype))


def _levels(s: pd.Series) -> list[str]:
    import pandas as pd

    present = {str(v) for v in s.dropna()}
    if isinstance(s.dtype, pd.CategoricalDtype):
        return [str(c) for c in s.cat.categories if str(c) in present]
    return sorted(present)


def check_columns(df: pd.DataFrame, columns: Sequence[str], role: dict[str, str] | None = None) -> None:
    """Every column exists and has at least one value; raise :class:`ModelInputError` if not."""
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise ModelInputError("data must be a pandas DataFrame with case names as index")
    if len(df) == 0:
        raise ModelInputError("the data have no case; a model needs cases")
    seen: set[str] = set()
    for c in columns:
        what = (role or {}).get(c, "column")
        if c in seen:
            raise ModelInputError(f"{what} '{c}' is named twice; name each variable once")
        seen.add(c)
        if c not in df.columns:
            raise ModelInputError(f"no column '{c}' in the data; columns are: "
                                  + ", ".join(str(x) for x in df.columns))
        if df[c].isna().all():
            raise ModelInputError(f"{what} '{c}' has no value in any of the {len(df)} cases; "
                                  f"code it or leave it out")


def _numeric(s: pd.Series, name: str, role: str) -> pd.Series:
    import pandas as pd

    if pd.api.types.is_bool_dtype(s.dtype):
        return s.astype(float)
    out = pd.to_numeric(s, errors="coerce").astype(float)
    bad = out.isna() & s.notna()
    if bad.any():
        case = str(s.index[bad.to_numpy()][0])
        raise ModelInputError(f"{role} '{name}', case '{case}': value {s[bad].iloc[0]!r} is not a "
                              f"number; code it as a number")
    return out


def prepare(
    df: pd.DataFrame,
    outcome: str | None,
    predictors: Sequence[str],
    *,
    outcome_type: str = "binary",
    extra: Sequence[str] = (),
) -> ModelData:
    """Complete cases of ``outcome`` and ``predictors`` (listwise deletion), checked for a model.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per case, e.g. :func:`kadstudy.data.load`.
    outcome : str or None
        The outcome column; None with ``outcome_type="none"``.
    predictors : sequence of str
        The predictor columns. Categorical predictors (category, string or object dtype) become
        0/1 columns ``var[level]`` with the first present level as reference.
    outcome_type : {"binary", "ordinal", "none"}, default "binary"
        0/1; ordered integer codes; or no outcome (e.g. Cox covariates whose times are in
        ``extra``).
    extra : sequence of str, default ()
        Columns that take part in the listwise deletion and are kept in ``ModelData.extra``, but
        are not predictors.

    Returns
    -------
    ModelData
        The design ``X``, the outcome ``y``, ``n`` and the cases ``dropped`` for a missing value.

    Raises
    ------
    ModelInputError
        An unknown or all-missing column, a constant predictor or one that is a linear
        combination of the others, an outcome with one class, or too few complete cases; one
        line naming the column and the fix.

    Examples
    --------
    >>> import pandas as pd
    >>> from kadstudy.models import epv_warning, prepare
    >>> df = pd.DataFrame({"y": [0, 1, 1, 0, 1, 0, None], "a": [0.1, 0.9, 0.8, 0.2, 0.7, 0.6, 0.5]},
    ...                   index=["p", "q", "r", "s", "t", "u", "v"])
    >>> d = prepare(df, "y", ["a"])
    >>> d.n, d.dropped
    (6, ['v'])
    >>> epv_warning(d)
    'Events per variable (EPV) = 3.00 (3 in the smaller outcome class / 1 parameter) is below 10: ...'
    """
    import numpy as np
    import pandas as pd

    if outcome_type not in OUTCOME_TYPES:
        raise ModelInputError(f"outcome_type '{outcome_type}' is unknown; use one of "
                              f"{', '.join(OUTCOME_TYPES)}")
    predictors = list(predictors)
    if not predictors:
        raise ModelInputError("no predictor given; name at least one")
    if outcome is not None and outcome in predictors:
        raise ModelInputError(f"'{outcome}' is both the outcome and a predictor; leave it out of "
                              f"the predictors")
    role = {p: "predictor" for p in predictors}
    cols = list(predictors) + [c for c in extra if c not in predictors]
    if outcome_type != "none":
        if outcome is None:
            raise ModelInputError("name the outcome")
        role[outcome] = "outcome"
        cols = [outcome, *cols]
    check_columns(df, cols, role)
    frame = df[cols].copy()
    frame.index = frame.index.astype(str)
    complete = frame.notna().all(axis=1).to_numpy()
    dropped = [str(c) for c in frame.index[~complete]]
    frame = frame.loc[complete]
    n = len(frame)
    if n == 0:
        raise ModelInputError(f"no case has a value in all of {', '.join(cols)} (each of the "
                              f"{len(df)} cases misses at least one); code more values or use "
                              f"fewer predictors")

    y = None
    if outcome_type != "none":
        y = _numeric(frame[outcome], outcome, "outcome")
        values = sorted(set(y.tolist()))
        if outcome_type == "binary" and not set(values) <= {0.0, 1.0}:
            raise ModelInputError(f"outcome '{outcome}' must be 0 or 1; found {_fmt(values[-1])}; "
                                  f"use a binary variable (or an ordinal model)")
        if outcome_type == "ordinal" and any(v != round(v) for v in values):
            raise ModelInputError(f"ordinal outcome '{outcome}' must hold integer codes; found "
                                  f"{_fmt(next(v for v in values if v != round(v)))}")
        if len(values) < 2:
            raise ModelInputError(f"outcome '{outcome}' has one class only: all {n} complete cases "
                                  f"are {_fmt(values[0])}; a model needs cases in at least two "
                                  f"classes")
        y = y.astype(int) if outcome_type == "ordinal" else y

    if outcome_type != "none" and n <= len(predictors):
        raise ModelInputError(f"only {_plural(n, 'complete case')} for {len(predictors) + 1} "
                              f"parameters (intercept and {_plural(len(predictors), 'predictor')}); "
                              f"code more cases or use fewer predictors")
    design: dict[str, pd.Series] = {}
    for p in predictors:
        s = frame[p]
        if is_categorical(s):
            levels = _levels(s)
            if len(levels) < 2:
                raise ModelInputError(f"predictor '{p}' is constant: '{levels[0]}' in all {n} "
                                      f"complete cases; it cannot be estimated, leave it out")
            text = s.astype(str)
            for lev in levels[1:]:
                design[f"{p}[{lev}]"] = (text == lev).astype(float)
        else:
            x = _numeric(s, p, "predictor")
            if x.nunique() < 2:
                raise ModelInputError(f"predictor '{p}' is constant: {_fmt(float(x.iloc[0]))} in all "
                                      f"{n} complete cases; it cannot be estimated, leave it out")
            design[p] = x
    X = pd.DataFrame(design, index=frame.index)
    k = X.shape[1]
    if outcome_type != "none" and n <= k:
        raise ModelInputError(f"only {_plural(n, 'complete case')} for {k + 1} parameters "
                              f"(intercept and {_plural(k, 'predictor term')}); code more cases "
                              f"or use fewer predictors")
    # collinearity: with an intercept (logit), or among centred covariates (Cox has none)
    values = X.to_numpy()
    full = (np.column_stack([np.ones(n), values]) if outcome_type != "none"
            else values - values.mean(axis=0))
    offset = 1 if outcome_type != "none" else 0
    for j, name in enumerate(X.columns):
        if int(np.linalg.matrix_rank(full[:, : j + 1 + offset])) < j + 1 + offset:
            earlier = ", ".join(str(c) for c in X.columns[:j]) or "none"
            raise ModelInputError(
                f"predictor '{name}' is a linear combination of the intercept and earlier "
                f"predictors ({earlier}) in the {n} complete cases; leave it out or code more "
                f"cases")
    return ModelData(X=X, y=y, outcome=outcome, outcome_type=outcome_type, variables=predictors,
                     dropped=dropped, n_total=len(df), extra=frame[list(extra)].copy())


def coverage(df: pd.DataFrame, outcome: str | None, variables: Sequence[str]) -> pd.DataFrame:
    """How many cases have each variable coded, overall and among cases with the outcome coded."""
    import pandas as pd

    rows = []
    have_y = df[outcome].notna() if outcome else None
    for v in variables:
        coded = df[v].notna()
        row = {"variable": v, "coded": int(coded.sum()), "missing": int((~coded).sum())}
        if have_y is not None:
            row["coded_with_outcome"] = int((coded & have_y).sum())
        rows.append(row)
    return pd.DataFrame(rows).set_index("variable")
