"""Diagnostics of a sufficient solution: cluster diagnostics for pooled data and case types for
set-theoretic multi-method research.

**Cluster diagnostics** (Garcia-Castro & Ariño 2016, "A general approach to panel data
set-theoretic research", Journal of Advances in Management Sciences & Information Systems 2;
SetMethods ``cluster()``). Observations are pooled across clusters (e.g. domestic and foreign
forums, countries, years) and may belong to units observed in several clusters (a panel). For
an expression X and outcome Y:

* pooled consistency ``POCOS = Σmin(x, y) / Σx`` and coverage ``Σmin(x, y) / Σy`` over all
  observations;
* **between** consistency ``BECOS_j`` (and coverage) of each cluster j: the same sums over the
  observations in cluster j;
* **within** consistency ``WICONS_i`` (and coverage) of each unit i: the sums over the
  observations of unit i across clusters (with one observation per unit, as in cross-sectional
  data, it is ``min(x, y) / x`` of that case);
* the distances of between and within consistencies from the pooled one, Euclidean (p = 2)
  on the shares: ``dBP = sqrt(Σ_j (BECOS_j / Σ_k BECOS_k − 1/J)²)`` and
  ``dWP = sqrt(Σ_i (WICONS_i / Σ_k WICONS_k − 1/N)²)``; 0 when every cluster (unit) has the
  same consistency. The same distances are given for coverage (``dBP_cov``, ``dWP_cov``).

Differences from SetMethods 4.0: a consistency (coverage) whose denominator is 0 (no membership
in X, or in Y, in that cluster or unit) is undefined (NaN) and left out of the distances
(J, N count the defined ones); SetMethods adds 1e-10 to numerator and denominator, which makes
such a value 1 and shifts the others by about 1e-10. When every defined value is 0 the distance
is 0 here (all equal), where SetMethods' smoothing gives sqrt(1 - 1/J). Sums are taken per
observation; SetMethods first adds up the memberships of repeated (unit, cluster) pairs
(``xtabs``), which only differs when a unit has several observations in one cluster.

**Case types** (Schneider & Rohlfing 2013, "Combining QCA and process tracing in set-theoretic
multi-method research", Sociological Methods & Research 42(4); 2016, "Case studies nested in
fuzzy-set QCA on sufficiency", SMR 45(3); SetMethods ``smmr()``). For a term or the whole
solution with membership x, outcome y (and solution membership s):

* ``typical``: x > 0.5, y > 0.5 and x <= y (for a term: ``uniquely covered`` when no other term
  of the model has membership > 0.5);
* ``deviant consistency in degree``: x > 0.5, y > 0.5, x > y;
* ``deviant consistency in kind``: x > 0.5, y < 0.5;
* ``deviant coverage``: x < 0.5 and s < 0.5 (in no term), y > 0.5;
* ``individually irrelevant``: x < 0.5 and s < 0.5, y < 0.5;
* for a term only, ``in another term``: x < 0.5 but s > 0.5 (the case belongs to another term
  and is typed there); ``membership 0.5``: a membership needed for the typing is exactly 0.5.

Deviant coverage and individually irrelevant cases are defined by the whole solution (as in
SetMethods, which lists them for the solution only); under each term they are the same cases.
``x <= y`` is tested with a tolerance of 1e-9 so that ``1 - x`` rounding does not flip it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from kadstudy.results import ResultMixin
from kadstudy.sets.errors import QCAInputError
from kadstudy.sets.measures import evaluate
from kadstudy.sets.solutions import Model, Solution

DEGREE_TOL = 1e-9
TYPICAL = "typical"
DEV_DEGREE = "deviant consistency in degree"
DEV_KIND = "deviant consistency in kind"
DEV_COVERAGE = "deviant coverage"
IRRELEVANT = "individually irrelevant"
OTHER_TERM = "in another term"
HALF = "membership 0.5"
CASE_TYPE_ORDER = (TYPICAL, DEV_DEGREE, DEV_KIND, DEV_COVERAGE, IRRELEVANT, OTHER_TERM, HALF)


# ---------------------------------------------------------------------------- cluster diagnostics


@dataclass(repr=False)
class ClusterDiagnostics(ResultMixin):
    """Pooled, between-cluster and within-unit consistency and coverage of one expression.

    ``between`` is indexed by cluster, ``within`` by unit, each with columns ``n``,
    ``consistency``, ``coverage``; ``distances`` holds ``dBP``, ``dWP`` (consistency) and
    ``dBP_cov``, ``dWP_cov`` (coverage).
    """

    expression: str
    pooled: dict[str, float]
    between: pd.DataFrame
    within: pd.DataFrame
    distances: dict[str, float]

    def to_frame(self) -> pd.DataFrame:
        """Long form: level (pooled, between, within), group, n, consistency, coverage."""
        rows = [{"expression": self.expression, "level": "pooled", "group": "all",
                 "n": int(self.pooled["n"]), "consistency": self.pooled["consistency"],
                 "coverage": self.pooled["coverage"]}]
        for level, frame in (("between", self.between), ("within", self.within)):
            for group, r in frame.iterrows():
                rows.append({"expression": self.expression, "level": level, "group": str(group),
                             "n": int(r["n"]), "consistency": r["consistency"],
                             "coverage": r["coverage"]})
        return pd.DataFrame(rows, columns=["expression", "level", "group", "n", "consistency",
                                           "coverage"])

    def _title(self) -> str:
        return (f"Cluster diagnostics of {self.expression}: dBP = {self.distances['dBP']:.3f}, "
                f"dWP = {self.distances['dWP']:.3f}")


def _distance(values: np.ndarray) -> float:
    """Euclidean distance of the shares of the defined ``values`` from equal shares (0 when they
    are all 0: equal, though shares of a zero sum are undefined)."""
    v = values[~np.isnan(values)]
    if len(v) == 0:
        return float("nan")
    if v.sum() <= 0:
        return 0.0
    return float(np.sqrt(np.sum((v / v.sum() - 1.0 / len(v)) ** 2)))


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def _labels(values: Any, n: int, what: str) -> np.ndarray:
    arr = np.asarray(pd.Series(values).astype("string").to_numpy(dtype=object, na_value=None))
    if len(arr) != n:
        raise QCAInputError(f"{what}: {len(arr)} labels for {n} cases; give one per case")
    missing = [i for i, v in enumerate(arr) if v is None]
    if missing:
        raise QCAInputError(f"{what}: missing label for case number {missing[0] + 1}")
    return arr


def _grouped(x: np.ndarray, y: np.ndarray, labels: np.ndarray) -> pd.DataFrame:
    """n, consistency and coverage of x for y per group (groups sorted by label)."""
    groups, codes = np.unique(labels.astype(str), return_inverse=True)
    xy = np.minimum(x, y)
    size = len(groups)
    sx = np.bincount(codes, weights=x, minlength=size)
    sy = np.bincount(codes, weights=y, minlength=size)
    sxy = np.bincount(codes, weights=xy, minlength=size)
    n = np.bincount(codes, minlength=size)
    return pd.DataFrame({"n": n, "consistency": _ratio(sxy, sx), "coverage": _ratio(sxy, sy)},
                        index=pd.Index(groups, name="group"))


def cluster_diagnostics(
    x: Sequence[float] | np.ndarray | pd.Series,
    y: Sequence[float] | np.ndarray | pd.Series,
    clusters: Sequence[Any] | np.ndarray | pd.Series,
    units: Sequence[Any] | np.ndarray | pd.Series | None = None,
    *,
    expression: str = "X",
) -> ClusterDiagnostics:
    """Cluster diagnostics of membership ``x`` for outcome ``y`` (see the module docstring).

    Parameters
    ----------
    x, y : array_like or pandas.Series
        The memberships in the expression and in the outcome, one per observation.
    clusters : array_like or pandas.Series
        One cluster label per observation.
    units : array_like or pandas.Series, optional
        One unit label per observation; without it every observation is its own unit (named by
        the index of ``x`` when it is a Series).
    expression : str, default "X"
        The name the result gives the expression.

    Returns
    -------
    ClusterDiagnostics
        Pooled, between-cluster and within-unit consistency and coverage, dBP and dWP.
    """
    xs = np.asarray(x, dtype=float)
    ys = np.asarray(y, dtype=float)
    n = len(xs)
    if len(ys) != n:
        raise QCAInputError(f"x has {n} memberships but y has {len(ys)}; give one per case")
    if n == 0:
        raise QCAInputError("no case to diagnose")
    for name, v in (("x", xs), ("y", ys)):
        if np.isnan(v).any() or (v < 0).any() or (v > 1).any():
            raise QCAInputError(f"{name}: memberships must be numbers in [0, 1]")
    cl = _labels(clusters, n, "clusters")
    if units is None:
        units = x.index if isinstance(x, pd.Series) else [str(i + 1) for i in range(n)]
    un = _labels(units, n, "units")
    xy = np.minimum(xs, ys)
    pooled = {"n": float(n), "consistency": float(_ratio(np.array([xy.sum()]), np.array([xs.sum()]))[0]),
              "coverage": float(_ratio(np.array([xy.sum()]), np.array([ys.sum()]))[0])}
    between = _grouped(xs, ys, cl)
    between.index.name = "cluster"
    within = _grouped(xs, ys, un)
    within.index.name = "unit"
    distances = {
        "dBP": _distance(between["consistency"].to_numpy()),
        "dWP": _distance(within["consistency"].to_numpy()),
        "dBP_cov": _distance(between["coverage"].to_numpy()),
        "dWP_cov": _distance(within["coverage"].to_numpy()),
    }
    return ClusterDiagnostics(expression, pooled, between, within, distances)


def _model_terms(solution: Solution | Model | str, model: int) -> tuple[list[str], str]:
    if isinstance(solution, Solution):
        if not 0 <= model < len(solution.models):
            raise QCAInputError(f"model {model + 1} does not exist; the solution has "
                                f"{len(solution.models)}")
        solution = solution.models[model]
    if isinstance(solution, Model):
        return list(solution.terms), solution.expression
    if isinstance(solution, str):
        terms = [t.strip() for t in solution.split("+") if t.strip()]
        if not terms:
            raise QCAInputError("empty expression; write e.g. 'A*~B + C'")
        return terms, " + ".join(terms)
    raise QCAInputError("give a Solution, a Model or an expression such as 'A*~B + C'")


@dataclass(repr=False)
class ClusterResult(ResultMixin):
    """Cluster diagnostics of each term of a model and of the whole model (last)."""

    outcome: str
    items: list[ClusterDiagnostics]

    def _title(self) -> str:
        return f"Cluster diagnostics of each term and the model for {self.outcome}"

    def to_frame(self) -> pd.DataFrame:
        """All items in long form (see :meth:`ClusterDiagnostics.to_frame`)."""
        return pd.concat([d.to_frame() for d in self.items], ignore_index=True)

    def distances_frame(self) -> pd.DataFrame:
        """One row per expression: pooled consistency/coverage, dBP, dWP, dBP_cov, dWP_cov."""
        rows = [{"expression": d.expression, "pooled consistency": d.pooled["consistency"],
                 "pooled coverage": d.pooled["coverage"], **d.distances} for d in self.items]
        return pd.DataFrame(rows, columns=["expression", "pooled consistency", "pooled coverage",
                                           "dBP", "dWP", "dBP_cov", "dWP_cov"])


def cluster(
    data: pd.DataFrame,
    solution: Solution | Model | str,
    outcome: str,
    clusters: str | Sequence[Any] | pd.Series,
    units: str | Sequence[Any] | pd.Series | None = None,
    *,
    model: int = 0,
) -> ClusterResult:
    """Cluster diagnostics of every term of a solution's model and of the model.

    Pooled, between-cluster and within-unit consistency and coverage, and the distances dBP and
    dWP (Garcia-Castro & Ariño; module docstring), per term (:func:`cluster_diagnostics`).

    Parameters
    ----------
    data : pandas.DataFrame
        Set memberships, index = case names.
    solution : Solution, Model or str
        A solution (its model number ``model``), one model, or an expression.
    outcome : str
        The outcome.
    clusters : str, sequence or pandas.Series
        A column of ``data``, or one cluster label per case.
    units : str, sequence or pandas.Series, optional
        A column of ``data``, or one unit label per case; without it every case is its own unit.
    model : int, default 0
        Which model of a solution (0: the first).

    Returns
    -------
    ClusterResult
        One :class:`ClusterDiagnostics` per term (and one for the model when it has several
        terms).

    Raises
    ------
    QCAInputError
        ``clusters`` or ``units`` names no column of ``data``.
    """
    terms, whole = _model_terms(solution, model)

    def column(v: Any, what: str) -> Any:
        if isinstance(v, str):
            if v not in data.columns:
                raise QCAInputError(f"{what}: no column {v!r} in the data")
            return data[v]
        if isinstance(v, pd.Series) and set(v.index) == set(data.index):
            return v.reindex(data.index)
        return v

    cl = column(clusters, "clusters")
    un = column(units, "units") if units is not None else pd.Series(data.index.astype(str))
    y = evaluate(data, outcome)
    items = [cluster_diagnostics(evaluate(data, t), y, cl, un, expression=t) for t in terms]
    if len(terms) > 1:
        items.append(cluster_diagnostics(evaluate(data, whole), y, cl, un, expression=whole))
    return ClusterResult(outcome, items)


# ---------------------------------------------------------------------------- case types


def classify(x: np.ndarray, y: np.ndarray, s: np.ndarray | None = None) -> np.ndarray:
    """The case type (module docstring) of each case with term membership ``x``, outcome ``y``
    and solution membership ``s`` (``None``: ``x`` is the solution)."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    s = x if s is None else np.asarray(s, dtype=float)
    out = np.full(len(x), HALF, dtype=object)
    xin, xout = x > 0.5, x < 0.5
    yin, yout = y > 0.5, y < 0.5
    sin, sout = s > 0.5, s < 0.5
    out[xin & yin & (x <= y + DEGREE_TOL)] = TYPICAL
    out[xin & yin & (x > y + DEGREE_TOL)] = DEV_DEGREE
    out[xin & yout] = DEV_KIND
    out[xout & sin] = OTHER_TERM
    out[xout & sout & yin] = DEV_COVERAGE
    out[xout & sout & yout] = IRRELEVANT
    return out


@dataclass(repr=False)
class CaseTypes(ResultMixin):
    """Case types per term and for the solution.

    ``memberships``: case × (terms…, ``solution``, outcome); ``types``: case × (terms…,
    ``solution``) with the type names; ``unique``: case × terms, True for a typical case no
    other term covers (membership > 0.5).
    """

    outcome: str
    terms: list[str]
    memberships: pd.DataFrame
    types: pd.DataFrame
    unique: pd.DataFrame

    def _title(self) -> str:
        return f"Case types for {self.outcome} of {' + '.join(self.terms)} (one row per case)"

    def cases(self, term: str, kind: str) -> list[str]:
        """Names of the cases of type ``kind`` for ``term`` (or ``"solution"``)."""
        col = self.types[term]
        return [str(c) for c in col.index[col == kind]]

    def summary(self) -> pd.DataFrame:
        """One row per (term or solution, type) that occurs: n and the cases; typical cases of a
        term are followed by the uniquely covered ones."""
        rows = []
        for term in [*self.terms, "solution"]:
            for kind in CASE_TYPE_ORDER:
                cases = self.cases(term, kind)
                if not cases:
                    continue
                rows.append({"term": term, "type": kind, "n": len(cases), "cases": ", ".join(cases)})
                if kind == TYPICAL and term != "solution":
                    uniq = [c for c in cases if self.unique.loc[c, term]]
                    rows.append({"term": term, "type": "typical, uniquely covered", "n": len(uniq),
                                 "cases": ", ".join(uniq)})
        return pd.DataFrame(rows, columns=["term", "type", "n", "cases"])

    def to_frame(self) -> pd.DataFrame:
        """One row per case: memberships, then the type for each term and for the solution."""
        types = self.types.add_prefix("type: ")
        return pd.concat([self.memberships, types], axis=1)


def case_types(
    data: pd.DataFrame,
    solution: Solution | Model | str,
    outcome: str,
    *,
    model: int = 0,
) -> CaseTypes:
    """Type every case for each term of a solution's model and for the model as a whole.

    The types of Schneider & Rohlfing (module docstring): typical (and uniquely covered), deviant
    consistency in degree and in kind, deviant coverage, and individually irrelevant cases.

    Parameters
    ----------
    data : pandas.DataFrame
        Set memberships, index = case names.
    solution : Solution, Model or str
        A solution (its model number ``model``), one model, or an expression such as ``"A*B + C"``.
    outcome : str
        The outcome, e.g. ``"Y"`` or ``"~Y"``.
    model : int, default 0
        Which model of a solution (0: the first).

    Returns
    -------
    CaseTypes
        ``types`` (case x term, and ``solution``), ``memberships``, ``unique`` (typical cases
        covered by that term alone); ``summary()`` and ``to_frame()`` show them.

    Examples
    --------
    >>> import pandas as pd
    >>> from kadstudy.sets import case_types
    >>> d = pd.DataFrame({"A": [0.9, 0.8, 0.2, 0.7], "Y": [0.8, 0.3, 0.1, 0.9]},
    ...                  index=["c1", "c2", "c3", "c4"])
    >>> for case, kind in case_types(d, "A", "Y").types["solution"].items():
    ...     print(case, kind)
    c1 deviant consistency in degree
    c2 deviant consistency in kind
    c3 individually irrelevant
    c4 typical
    """
    terms, _ = _model_terms(solution, model)
    y = evaluate(data, outcome)
    mats = np.vstack([evaluate(data, t) for t in terms])
    sol = mats.max(axis=0)
    index = pd.Index(data.index.astype(str), name="case")
    memberships = pd.DataFrame(mats.T, columns=terms, index=index)
    memberships["solution"] = sol
    memberships[outcome] = y
    types = pd.DataFrame({t: classify(mats[i], y, sol) for i, t in enumerate(terms)}, index=index)
    types["solution"] = classify(sol, y)
    covered = mats > 0.5
    others = covered.sum(axis=0)[None, :] - covered
    unique = pd.DataFrame(((types[terms].to_numpy() == TYPICAL).T & (others == 0)).T, columns=terms,
                          index=index)
    return CaseTypes(outcome, terms, memberships, types, unique)


__all__ = [
    "CASE_TYPE_ORDER",
    "CaseTypes",
    "ClusterDiagnostics",
    "ClusterResult",
    "case_types",
    "classify",
    "cluster",
    "cluster_diagnostics",
]
