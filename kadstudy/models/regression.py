"""Regression of an outcome on coded conditions, built for small samples.

- :func:`firth_logit`: Firth-penalised logistic regression (firthmodels; the estimates and profile
  penalised-likelihood intervals of R logistf), finite under separation;
- :func:`logit`: the ordinary maximum-likelihood logit (statsmodels), refused with a clear message
  when the data are separated and its estimates do not exist;
- :func:`detect_separation`: the linear program of Konis (2007) that finds (quasi-)complete
  separation before anything is fitted;
- :func:`permutation_pvalues`: permutation p-values of each coefficient (Potter 2005), exact by
  enumeration when there is one predictor and few enough arrangements;
- :func:`exact_test`: a bivariate exact test (Fisher's for a binary predictor, an exact permutation
  test of the difference in means otherwise);
- :func:`ordinal_logit`: the proportional-odds model for a graded outcome (statsmodels OrderedModel);
- :func:`vif`: variance inflation factors (statsmodels).

Every fit carries its :class:`~kadstudy.models.frame.ModelData` (N, dropped cases, events, EPV) and
its warnings as text, for a report.

**Unbounded intervals.** When the Konis linear program finds that the ordinary MLE of a coefficient
runs to +inf (or -inf), the interval bound on that side is reported as +inf (-inf; an odds ratio
bound of inf or 0) with the reason in ``FitResult.bound_notes``. The rule follows from how the
profile search works: firthmodels (like R logistf) finds a bound with the Venzon-Moolgavkar
iteration, solving penalised log-likelihood = maximum - chi2(1 - alpha, 1) / 2 along the profile.
Along the separating direction the ordinary log-likelihood never decreases (the LP direction moves
every case's linear predictor towards its own class), so on that side the profile of the data's
likelihood never falls to the cut-off: the data put no limit there. The penalised profile does
cross the cut-off, but only because Jeffreys' penalty (1/2 log det of the information) falls as the
fitted probabilities approach 0 and 1, about half the separation margin per unit of the
coefficient; the bound it gives (often 10^9 or more as an odds ratio) measures the penalty, not the
data. That penalised bound is kept in ``extra["penalised_ci"]`` (log scale, as logistf prints it)
and named in the note. A bound the search does not find within its iterations is left missing
(NaN) with a note; without separation such a bound exists (the likelihood falls in every
direction), it was just not found. The ordinal logit applies the same idea with Wald intervals:
:func:`ordinal_separation` finds the terms whose proportional-odds estimate does not exist; they are
shown as +-inf with the reason (``FitResult.bound_notes``), never as the size at which the
optimiser stopped.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kadstudy.models.frame import EPV_MIN, ModelData, ModelInputError, epv_warning
from kadstudy.results import ResultMixin

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

INTERCEPT = "(Intercept)"
TABLE_COLUMNS = ["coef", "se", "p", "OR", "OR_low", "OR_high"]


class SeparationError(ModelInputError):
    """The ordinary maximum-likelihood estimates do not exist because the data are separated."""


@dataclass(repr=False)
class Separation(ResultMixin):
    """Result of the separation check: which ordinary-MLE coefficients diverge, and where.

    Attributes
    ----------
    separated : bool
        Whether the outcome classes are (quasi-)completely separated.
    directions : dict of str to int
        Term (the intercept included) -> +1 (its ordinary MLE runs to +inf), -1 (to -inf) or 0
        (finite).
    """

    separated: bool
    directions: dict[str, int]  # term -> +1 (estimate runs to +inf), -1 (to -inf) or 0 (finite)

    @property
    def infinite(self) -> list[str]:
        """The terms whose ordinary MLE is infinite, in the order of :attr:`directions`."""
        return [t for t, d in self.directions.items() if d]

    def describe(self) -> str:
        """The check's finding in one paragraph, for reports.

        Returns
        -------
        str
            Whether there is separation, and which estimates do not exist.
        """
        if not self.separated:
            return ("No separation: the linear program of Konis (2007) finds no hyperplane that "
                    "separates the outcome classes, so the ordinary maximum-likelihood estimates "
                    "are finite.")
        terms = ", ".join(f"{t} ({'+' if d > 0 else '-'}inf)" for t, d in self.directions.items() if d)
        return ("Separation: the outcome classes are (quasi-)completely separated by the predictors "
                "(linear program of Konis 2007). The ordinary maximum-likelihood estimates of "
                f"{terms} do not exist (they run to infinity); the Firth-penalised estimates stay "
                "finite and are the ones to read.")

    def to_frame(self) -> pd.DataFrame:
        """One row per term: ``ordinary_MLE`` is ``+inf``, ``-inf`` or ``finite``.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``term``.
        """
        import pandas as pd

        rows = [{"term": t, "ordinary_MLE": {1: "+inf", -1: "-inf", 0: "finite"}[d]}
                for t, d in self.directions.items()]
        return pd.DataFrame(rows).set_index("term")

    def _title(self) -> str:
        return self.describe()


@dataclass(repr=False)
class FitResult(ResultMixin):
    """A fitted model: the coefficient table (index ``term``), its data and what to warn about.

    ``table`` columns: ``coef``, ``se``, ``p``, ``OR`` (exp(coef)), ``OR_low``, ``OR_high`` and,
    when computed, ``p_perm``. ``p_label`` and ``ci_label`` say how p and the interval were got.
    ``bound_notes``: term -> why a bound is infinite or missing (see the module docstring).
    """

    method: str
    table: pd.DataFrame
    data: ModelData
    loglik: float
    converged: bool
    p_label: str
    ci_label: str
    alpha: float = 0.05
    warnings: list[str] = field(default_factory=list)
    separation: Separation | None = None
    extra: dict[str, object] = field(default_factory=dict)
    bound_notes: dict[str, str] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """The coefficient table with a ``note`` column (why a bound is infinite or missing).

        Returns
        -------
        pandas.DataFrame
            Index ``term``; columns of :attr:`table` and ``note``.
        """
        frame = self.table.copy()
        frame.index.name = "term"
        frame["note"] = [self.bound_notes.get(str(t), "") for t in frame.index]
        return frame

    def summary(self) -> str:
        """Readable text as statsmodels prints a fit: the model, its data, the coefficient table
        (numbers by :mod:`kadstudy.numbers`), how p and the interval were got, notes and warnings.

        Returns
        -------
        str
            Text ending with a newline.
        """
        from kadstudy.results import text_frame

        names = {"firth": "Firth-penalised logit", "logit": "Logit (maximum likelihood)",
                 "ordinal": "Ordinal (proportional-odds) logit"}
        d = self.data
        terms = ", ".join(d.variables)
        lines = [f"{names.get(self.method, self.method)} of {d.outcome} on {terms}", "",
                 d.describe(),
                 f"Log-likelihood {self.loglik:.3f}; converged: {'yes' if self.converged else 'NO'}",
                 "", text_frame(self.to_frame().drop(columns="note")).to_string(index=False), "",
                 f"p: {self.p_label}; {round((1 - self.alpha) * 100)}% interval: "
                 f"{self.ci_label}."]
        lines += [f"{t}: {why}" for t, why in self.bound_notes.items()]
        if self.warnings:
            lines += ["", "Warnings:", *(f"- {w}" for w in self.warnings)]
        return "\n".join(lines) + "\n"

    def odds_ratios(self, intercept: bool = False) -> pd.DataFrame:
        """OR with its interval (and p), one row per term.

        Parameters
        ----------
        intercept : bool
            Keep the intercept's row.

        Returns
        -------
        pandas.DataFrame
            Columns ``OR``, ``OR_low``, ``OR_high``, ``p`` and, when computed, ``p_perm``.
        """
        cols = [c for c in ("OR", "OR_low", "OR_high", "p", "p_perm") if c in self.table.columns]
        t = self.table[cols]
        return t if intercept else t.drop(index=INTERCEPT, errors="ignore")


def _with_or(table: pd.DataFrame, low: np.ndarray, high: np.ndarray) -> pd.DataFrame:
    import numpy as np

    with np.errstate(over="ignore"):
        table["OR"] = np.exp(table["coef"].to_numpy())
        table["OR_low"] = np.exp(low)
        table["OR_high"] = np.exp(high)
    table.index.name = "term"
    return table


def _side(which: int) -> str:
    return "upper" if which > 0 else "lower"


def unbounded_by_separation(ci: np.ndarray, names: list[str], sep: Separation,
                            method: str) -> tuple[np.ndarray, dict[str, str]]:
    """Set each interval bound on the side where the ordinary MLE diverges (``sep.directions``)
    to +-inf.

    Parameters
    ----------
    ci : numpy.ndarray
        The (k, 2) interval on the coefficient scale, rows in the order of ``names``.
    names : list of str
        The terms.
    sep : Separation
        The separation check of the same data.
    method : str
        How ``ci`` was found, for the notes (e.g. ``"penalised profile"``).

    Returns
    -------
    tuple of numpy.ndarray and dict of str to str
        The new interval (a copy) and term -> why a bound is infinite.
    """
    import numpy as np

    from kadstudy.numbers import significant

    out = np.array(ci, dtype=float, copy=True)
    notes: dict[str, str] = {}
    for i, name in enumerate(names):
        d = sep.directions.get(name, 0)
        if not d:
            continue
        col = 1 if d > 0 else 0
        found = out[i, col]
        out[i, col] = math.inf if d > 0 else -math.inf
        was = ""
        if np.isfinite(found):
            with np.errstate(over="ignore"):
                bound = significant(float(np.exp(found))) if name != INTERCEPT else significant(found)
            was = (f"; the {method} bound, {bound}{' as an odds ratio' if name != INTERCEPT else ''}"
                   f", is set by Firth's penalty alone")
        notes[name] = (f"{_side(d)} bound not estimable: separation, the likelihood does not fall "
                       f"on this side (ordinary MLE {'+' if d > 0 else '-'}inf){was}")
    return out, notes


def _collect(caught: list[warnings.WarningMessage], out: list[str], prefix: str) -> None:
    for w in caught:
        msg = str(w.message).strip().splitlines()[0] if str(w.message).strip() else ""
        text = f"{prefix}: {msg}" if msg else prefix
        if text not in out:
            out.append(text)


def _base_warnings(data: ModelData, epv_min: float) -> list[str]:
    out = []
    w = epv_warning(data, epv_min)
    if w:
        out.append(w)
    return out


def detect_separation(data: ModelData) -> Separation:
    """Whether the binary outcome is (quasi-)completely separated by the design (with intercept).

    Solves the linear program of Konis (2007) as R detectseparation does (firthmodels'
    implementation); a coefficient whose LP solution is non-zero has an infinite ordinary MLE.

    Parameters
    ----------
    data : ModelData
        A binary outcome and its design (:func:`kadstudy.models.frame.prepare`).

    Returns
    -------
    Separation
        Whether the data are separated and the direction of each coefficient.

    Raises
    ------
    ModelInputError
        When the outcome is not binary.

    Examples
    --------
    x = 1 exactly when y = 1: complete separation, the coefficient of x runs to +inf.

    >>> import pandas as pd
    >>> from kadstudy.models.frame import prepare
    >>> df = pd.DataFrame({"y": [0, 0, 0, 1, 1, 1], "x": [0, 0, 0, 1, 1, 1]})
    >>> sep = detect_separation(prepare(df, "y", ["x"]))
    >>> sep.separated, sep.infinite
    (True, ['x'])
    """
    from firthmodels import detect_separation as _detect

    if data.outcome_type != "binary" or data.y is None:
        raise ModelInputError("separation is checked for a binary outcome")
    res = _detect(data.X.to_numpy(dtype=float), data.y.to_numpy(dtype=float), fit_intercept=True)
    names = [*data.terms, INTERCEPT]
    directions = {n: int(d) for n, d in zip(names, res.directions, strict=True)}
    return Separation(bool(res.separation), directions)


def firth_logit(
    data: ModelData,
    *,
    alpha: float = 0.05,
    epv_min: float = EPV_MIN,
    profile_ci: bool = True,
    tol: float = 1e-6,
    max_iter: int = 200,
) -> FitResult:
    """Firth-penalised logistic regression (Firth 1993; Heinze & Schemper 2002).

    The estimates maximise the log-likelihood plus half the log-determinant of the Fisher
    information; they stay finite under separation. p-values are penalised likelihood-ratio tests
    and the intervals profile penalised-likelihood intervals, as R logistf reports them (Wald
    intervals with ``profile_ci=False``). Under separation the bound on the side where the
    ordinary MLE diverges is set to infinity (:func:`unbounded_by_separation`).

    Parameters
    ----------
    data : ModelData
        A binary outcome and its design (:func:`kadstudy.models.frame.prepare`).
    alpha : float
        1 - the confidence level of the intervals.
    epv_min : float
        Warn when the events per variable fall below this.
    profile_ci : bool
        Profile penalised-likelihood intervals (default) or Wald intervals.
    tol : float
        Convergence tolerance (refitted at 1e-4, logistf's default, when the fit stalls).
    max_iter : int
        Newton-Raphson iterations.

    Returns
    -------
    FitResult
        ``method="firth"``; ``extra["penalised_ci"]`` holds the intervals before the
        separation bounds were set.

    Raises
    ------
    ModelInputError
        When the outcome is not binary or the model cannot be fitted.
    """
    import numpy as np
    import pandas as pd
    from firthmodels import FirthLogisticRegression

    if data.outcome_type != "binary" or data.y is None:
        raise ModelInputError("the Firth logit needs a binary outcome")
    X = data.X.to_numpy(dtype=float)
    y = data.y.to_numpy(dtype=float)
    notes = _base_warnings(data, epv_min)
    sep = detect_separation(data)
    if sep.separated:
        notes.append(sep.describe())
    # Newton-Raphson with step-halving can stall just short of a very tight tolerance; then the
    # fit is repeated at logistf's own default tolerance (1e-4) and the looser fit is reported.
    for attempt, t in enumerate((tol, max(tol, 1e-4))):
        model = FirthLogisticRegression(backend="numpy", max_iter=max_iter, gtol=t, xtol=t)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                model.fit(X, y)
                if not model.converged_ and attempt == 0 and t < 1e-4:
                    continue
                model.lrt()
                if profile_ci:
                    ci = model.conf_int(alpha=alpha, method="pl", max_iter=100)
                else:
                    ci = model.conf_int(alpha=alpha, method="wald")
            except (ValueError, np.linalg.LinAlgError) as exc:
                raise ModelInputError(f"the Firth logit could not be fitted on the {data.n} "
                                      f"complete cases: {str(exc).splitlines()[0]}") from None
        if attempt == 1:
            notes.append(f"The Firth fit stalled at tolerance {tol:g}; it was refitted at {t:g}.")
        break
    _collect(caught, notes, "Firth fit")
    if not model.converged_:
        notes.append(f"The Firth fit did not converge in {max_iter} iterations; do not interpret it.")
    ci = np.asarray(ci, dtype=float)
    names = [*data.terms, INTERCEPT]
    penalised = ci.copy()
    ci, bound_notes = unbounded_by_separation(
        ci, names, sep, "penalised profile" if profile_ci else "penalised Wald")
    if profile_ci and np.isnan(ci).any():
        bad = [n for n, row in zip(names, ci, strict=True) if np.isnan(row).any()]
        notes.append(f"The profile interval of {', '.join(bad)} could not be found (shown empty).")
        for n, row in zip(names, ci, strict=True):
            for col in np.flatnonzero(np.isnan(row)):
                text = (f"{_side(1 if col else -1)} bound not found: the profile search "
                        f"(Venzon-Moolgavkar) did not converge")
                bound_notes[n] = f"{bound_notes[n]}; {text}" if n in bound_notes else text
    # firthmodels orders parameters as features, then the intercept; show the intercept first
    order = [len(data.terms), *range(len(data.terms))]
    coef = np.append(model.coef_, model.intercept_)[order]
    table = pd.DataFrame({"coef": coef, "se": np.asarray(model.bse_)[order],
                          "p": np.asarray(model.lrt_pvalues_)[order]},
                         index=pd.Index([INTERCEPT, *data.terms]))
    table = _with_or(table, ci[order, 0], ci[order, 1])
    index = [INTERCEPT, *data.terms]
    return FitResult(
        method="firth", table=table, data=data, loglik=float(model.loglik_),
        converged=bool(model.converged_), alpha=alpha, warnings=notes, separation=sep,
        p_label="penalised likelihood-ratio test",
        ci_label="profile penalised likelihood" if profile_ci else "Wald",
        extra={"penalised_ci": pd.DataFrame(penalised[order], columns=["low", "high"],
                                            index=pd.Index(index, name="term"))},
        bound_notes={n: bound_notes[n] for n in index if n in bound_notes},
    )


def logit(data: ModelData, *, alpha: float = 0.05, epv_min: float = EPV_MIN) -> FitResult:
    """Ordinary maximum-likelihood logistic regression (statsmodels ``Logit``), Wald p and CI.

    Parameters
    ----------
    data : ModelData
        A binary outcome and its design (:func:`kadstudy.models.frame.prepare`).
    alpha : float
        1 - the confidence level of the Wald intervals.
    epv_min : float
        Warn when the events per variable fall below this.

    Returns
    -------
    FitResult
        ``method="logit"``; ``extra`` holds ``llnull`` and McFadden's ``prsquared``.

    Raises
    ------
    SeparationError
        When the data are separated: the estimates would not exist (the optimiser would return
        arbitrary huge numbers), so they are refused, not shown.
    ModelInputError
        When the outcome is not binary or the information matrix is singular.
    """
    import numpy as np
    import pandas as pd
    import statsmodels.api as sm

    if data.outcome_type != "binary" or data.y is None:
        raise ModelInputError("the logit needs a binary outcome")
    sep = detect_separation(data)
    if sep.separated:
        terms = ", ".join(sep.infinite)
        raise SeparationError(f"the data are separated: the maximum-likelihood estimates of {terms} "
                              f"are infinite; read the Firth-penalised model instead")
    notes = _base_warnings(data, epv_min)
    exog = sm.add_constant(data.X.astype(float), has_constant="add")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            res = sm.Logit(data.y.astype(float), exog).fit(method="newton", maxiter=100, disp=0)
        except np.linalg.LinAlgError as exc:
            raise ModelInputError(f"the logit could not be fitted on the {data.n} complete cases: "
                                  f"{exc}") from None
    _collect(caught, notes, "Logit fit")
    converged = bool(res.mle_retvals.get("converged", True))
    if not converged:
        notes.append("The maximum-likelihood fit did not converge; do not interpret it.")
    ci = np.asarray(res.conf_int(alpha=alpha), dtype=float)
    table = pd.DataFrame({"coef": res.params.to_numpy(), "se": res.bse.to_numpy(),
                          "p": res.pvalues.to_numpy()}, index=pd.Index([INTERCEPT, *data.terms]))
    table = _with_or(table, ci[:, 0], ci[:, 1])
    bound_notes = {t: "interval not estimable: the standard error is undefined (singular information)"
                   for t, row in zip(table.index, ci, strict=True) if not np.isfinite(row).all()}
    return FitResult(method="logit", bound_notes=bound_notes, table=table, data=data, loglik=float(res.llf),
                     converged=converged, alpha=alpha, warnings=notes, separation=sep,
                     p_label="Wald test", ci_label="Wald",
                     extra={"llnull": float(res.llnull), "prsquared": float(res.prsquared)})


def _firth_abs_z(X: np.ndarray, y: np.ndarray, j: int, tol: float = 1e-6) -> float:
    import numpy as np
    from firthmodels import FirthLogisticRegression

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            m = FirthLogisticRegression(backend="numpy", max_iter=100, gtol=tol, xtol=tol).fit(X, y)
        except (ValueError, np.linalg.LinAlgError):  # a degenerate permuted design
            return float("nan")
    return float(abs(m.coef_[j] / m.bse_[j]))


def _perm_stat(context: tuple[np.ndarray, np.ndarray, int, str, np.ndarray | None],
               item: np.ndarray) -> float:
    """|z| of term j on one permuted data set: ``item`` is the outcome (``mode`` "y") or the
    permuted residuals of predictor j (``mode`` "x", added to the fitted values ``fitted``)."""
    X, y, j, mode, fitted = context
    if mode == "y":
        return _firth_abs_z(X, item, j)
    Xp = X.copy()
    Xp[:, j] = fitted + item
    return _firth_abs_z(Xp, y, j)


def permutation_pvalues(data: ModelData, *, n_permutations: int = 999, seed: int = 1, jobs: int = 1,
                        scheduler: str | None = None) -> pd.DataFrame:
    """Permutation p-value of each coefficient of the Firth logit; statistic ``|coef / se|``.

    With one predictor, the outcome is permuted (all C(N, events) arrangements are enumerated
    when there are at most ``n_permutations`` of them: an exact test). With several, predictor j
    is replaced by its fitted value from the other predictors plus permuted residuals (Potter
    2005), which keeps its relation to the other predictors. p = (1 + #{stat* >= stat}) / (B + 1)
    for B random permutations, #{stat* >= stat} / M for all M arrangements. A permuted data set
    the Firth fit cannot handle (a rank-deficient design) is left out of B or M and counted in
    ``failed``.

    The permutations are drawn here, in order, from one generator seeded with ``seed``; the
    fits run on ``jobs`` local processes or on the Dask cluster at ``scheduler``
    (``tcp://host:port``, see :mod:`kadstudy.parallel`), and the p-values are the same.

    Parameters
    ----------
    data : ModelData
        A binary outcome and its design.
    n_permutations : int
        Random permutations B (or the most arrangements to enumerate).
    seed : int
        Seed of the generator.
    jobs : int
        Local processes for the fits.
    scheduler : str, optional
        A Dask scheduler address instead of local processes.

    Returns
    -------
    pandas.DataFrame
        One row per term: ``p_perm``, ``permutations``, ``failed``, ``method``.

    Raises
    ------
    ModelInputError
        When the outcome is not binary or ``n_permutations`` is below 1.
    """
    import numpy as np
    import pandas as pd

    from kadstudy.parallel import Pool

    if data.outcome_type != "binary" or data.y is None:
        raise ModelInputError("permutation p-values need a binary outcome")
    if n_permutations < 1:
        raise ModelInputError("n_permutations must be at least 1")
    X = data.X.to_numpy(dtype=float)
    y = data.y.to_numpy(dtype=float)
    n, k = X.shape
    rng = np.random.default_rng(seed)
    rows = []
    with Pool(jobs, scheduler, option="scheduler") as pool:
        for j, term in enumerate(data.terms):
            observed = _firth_abs_z(X, y, j)
            if not np.isfinite(observed):
                raise ModelInputError(f"the Firth logit of the {n} complete cases could not be fitted "
                                      f"for the permutation test of '{term}'")
            tol = 1e-7 * max(1.0, observed)
            exact = False
            if k == 1:
                events = int(y.sum())
                exact = math.comb(n, events) <= n_permutations
                if exact:
                    draws = []
                    for pos in itertools.combinations(range(n), events):
                        yy = np.zeros(n)
                        yy[list(pos)] = 1.0
                        draws.append(yy)
                    method = "exact (all arrangements of the outcome)"
                else:
                    draws = [rng.permutation(y) for _ in range(n_permutations)]
                    method = "Monte Carlo (outcome permuted)"
                context = (X, y, j, "y", None)
            else:
                others = np.column_stack([np.ones(n), np.delete(X, j, axis=1)])
                beta, *_ = np.linalg.lstsq(others, X[:, j], rcond=None)
                fitted = others @ beta
                resid = X[:, j] - fitted
                draws = [rng.permutation(resid) for _ in range(n_permutations)]
                context = (X, y, j, "x", fitted)
                method = "Monte Carlo (residuals of the predictor permuted, Potter 2005)"
            arr = np.asarray(pool.map(_perm_stat, draws, context=context), dtype=float)
            valid = np.isfinite(arr)
            hits = int(np.sum(arr[valid] >= observed - tol))
            m = int(valid.sum())
            rows.append({"term": term, "p_perm": hits / m if exact else (1 + hits) / (m + 1),
                         "permutations": m, "failed": int((~valid).sum()), "method": method})
    return pd.DataFrame(rows).set_index("term")


def _permutation_p(y: np.ndarray, stat: Callable[[np.ndarray], float], n_resamples: int,
                   rng: np.random.Generator) -> tuple[float, float, bool]:
    """Two-sided permutation p of ``stat`` (larger = more extreme) over arrangements of the 0/1
    outcome ``y``: all C(N, events) of them when at most ``n_resamples``, else random ones."""
    import numpy as np

    n, events = len(y), int(y.sum())
    observed = stat(y)
    tol = 1e-9 * max(1.0, abs(observed))
    total = math.comb(n, events)
    if total <= n_resamples:
        hits = 0
        for pos in itertools.combinations(range(n), events):
            yy = np.zeros(n)
            yy[list(pos)] = 1.0
            hits += stat(yy) >= observed - tol
        return observed, hits / total, True
    hits = sum(stat(rng.permutation(y)) >= observed - tol for _ in range(n_resamples))
    return observed, (1 + hits) / (n_resamples + 1), False


class ExactTest(ResultMixin, dict):  # type: ignore[type-arg]
    """The result of :func:`exact_test`: a dict (``N``, ``events``, ``test``, ``statistic``,
    ``p``, ``exact``, plus ``predictor``) that also reads as text and exports as a one-row table.
    """

    def to_frame(self) -> pd.DataFrame:
        """One row with the dict's keys as columns.

        Returns
        -------
        pandas.DataFrame
            A one-row table.
        """
        import pandas as pd

        return pd.DataFrame([dict(self)])

    def _title(self) -> str:
        from kadstudy.numbers import fmt

        kind = "exact" if self["exact"] else "Monte Carlo"
        return (f"{self['test']} of {self.get('predictor', 'the predictor')}: N = {self['N']}, "
                f"{self['events']} events, statistic {fmt(self['statistic'])}, "
                f"p = {fmt(self['p'], 'p')} ({kind})")


def exact_test(
    df: pd.DataFrame, outcome: str, predictor: str, *, n_resamples: int = 9999, seed: int = 1,
) -> ExactTest:
    """Bivariate test of ``predictor`` against the binary ``outcome`` on their complete cases.

    A 0/1 predictor: Fisher's exact test (two-sided). A numeric one: permutation test of the
    absolute difference in means between the outcome classes; a categorical one: permutation test
    of the chi-square statistic. Permutation tests enumerate all C(N, events) arrangements of the
    outcome when there are at most ``n_resamples`` (an exact test), else draw ``n_resamples`` at
    random.

    Parameters
    ----------
    df : pandas.DataFrame
        The cases.
    outcome : str
        The binary outcome column.
    predictor : str
        The predictor column.
    n_resamples : int
        Permutations drawn when there are more arrangements than this.
    seed : int
        Seed of the permutations.

    Returns
    -------
    ExactTest
        N, events, test, statistic, p and whether p is exact.

    Raises
    ------
    ModelInputError
        When :func:`kadstudy.models.frame.prepare` refuses the data.

    Examples
    --------
    x = 1 exactly in the three cases with y = 1: Fisher's exact test, two-sided p = 2 / C(6, 3)
    = 2 / 20 (the two most extreme tables of the 20 equally likely ones).

    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [0, 0, 0, 1, 1, 1], "x": [0, 0, 0, 1, 1, 1]})
    >>> res = exact_test(df, "y", "x")
    >>> res["test"], round(res["p"], 12), res["exact"]
    ('Fisher exact', 0.1, True)
    """
    import numpy as np
    from scipy import stats

    from kadstudy.models.frame import is_categorical, prepare

    data = prepare(df, outcome, [predictor])
    y = data.y.to_numpy(dtype=float)
    n, events = data.n, int(y.sum())
    rng = np.random.default_rng(seed)
    if is_categorical(df[predictor]):
        dummies = data.X.to_numpy(dtype=float)
        groups = np.column_stack([1.0 - dummies.sum(axis=1), dummies])  # reference level first
        size = groups.sum(axis=0)

        def chi2(yy: np.ndarray) -> float:
            ones = groups.T @ yy
            tab = np.column_stack([ones, size - ones])
            expected = np.outer(size, [yy.sum(), n - yy.sum()]) / n
            return float(((tab - expected) ** 2 / expected).sum())

        statistic, p, exact = _permutation_p(y, chi2, n_resamples, rng)
        return ExactTest(N=n, events=events, test="permutation chi-square", statistic=statistic,
                         p=p, exact=exact, predictor=predictor)
    x = data.X.iloc[:, 0].to_numpy(dtype=float)
    if set(np.unique(x).tolist()) <= {0.0, 1.0}:
        table = np.array([[np.sum((x == 1) & (y == 1)), np.sum((x == 1) & (y == 0))],
                          [np.sum((x == 0) & (y == 1)), np.sum((x == 0) & (y == 0))]])
        odds, p = stats.fisher_exact(table)
        return ExactTest(N=n, events=events, test="Fisher exact", statistic=float(odds),
                         p=float(p), exact=True, predictor=predictor)

    def diff(yy: np.ndarray) -> float:
        return float(abs(x[yy == 1].mean() - x[yy == 0].mean()))

    statistic, p, exact = _permutation_p(y, diff, n_resamples, rng)
    return ExactTest(N=n, events=events, test="permutation, difference in means",
                     statistic=statistic, p=p, exact=exact, predictor=predictor)


def ordinal_separation(data: ModelData, tol: float = 1e-4) -> dict[str, int]:
    """Terms whose proportional-odds MLE does not exist: term -> +1 (runs to +inf) or -1.

    The cumulative logit P(Y >= level k+1) = logistic(x'b - cut_k) is stacked into one row per case
    and cut (the cut as its own intercept), and Konis's linear program (as in
    :func:`detect_separation`) looks for a direction (b, -cut) that moves every row towards its own
    side, with the cut-points kept in order. Along such a direction every case's probability of
    its own category rises (its upper cumulative probability rises, its lower one falls), so the
    likelihood never decreases; when some row moves strictly, the MLE does not exist and the
    coefficients that move run to infinity.

    Parameters
    ----------
    data : ModelData
        An ordinal outcome and its design.
    tol : float
        Smallest movement counted as strict.

    Returns
    -------
    dict of str to int
        Term -> +1 or -1; empty when there is no such direction.

    Raises
    ------
    ModelInputError
        When the outcome is not ordinal.
    """
    import numpy as np
    from scipy.optimize import linprog

    if data.outcome_type != "ordinal" or data.y is None:
        raise ModelInputError("ordinal separation needs an ordinal outcome")
    X = data.X.to_numpy(dtype=float)
    y = data.y.to_numpy(dtype=float)
    levels = sorted(set(y.tolist()))
    n, p = X.shape
    k = len(levels) - 1
    if k < 1:
        return {}
    blocks = []
    for j, level in enumerate(levels[1:]):
        cut = np.zeros((n, k))
        cut[:, j] = 1.0
        side = np.where(y >= level, 1.0, -1.0)
        blocks.append(np.column_stack([X, cut]) * side[:, None])
    rows = np.vstack(blocks)
    order = np.zeros((max(k - 1, 0), p + k))  # intercept of cut j >= that of cut j + 1
    for j in range(k - 1):
        order[j, p + j], order[j, p + j + 1] = -1.0, 1.0
    res = linprog(-rows.sum(axis=0), A_ub=np.vstack([-rows, order]),
                  b_ub=np.zeros(len(rows) + len(order)), bounds=[(-1.0, 1.0)] * (p + k),
                  method="highs")
    if not res.success or -res.fun <= tol:
        return {}
    return {t: int(np.sign(v)) for t, v in zip(data.terms, res.x[:p], strict=True) if abs(v) > tol}


def ordinal_logit(data: ModelData, *, alpha: float = 0.05, epv_min: float = EPV_MIN) -> FitResult:
    """Proportional-odds (cumulative logit) model of an ordinal outcome (statsmodels OrderedModel).

    Coefficients are log cumulative odds ratios of a higher category; the cut-points follow as
    rows ``cut a|b``. Each split of the outcome (>= level) is checked for separation, which would
    make the estimates run away; it is reported, not hidden.

    Parameters
    ----------
    data : ModelData
        An ordinal outcome (``outcome_type="ordinal"``) and its design.
    alpha : float
        1 - the confidence level of the Wald intervals.
    epv_min : float
        Warn when the events per variable fall below this.

    Returns
    -------
    FitResult
        ``method="ordinal"``.

    Raises
    ------
    ModelInputError
        When the outcome is not ordinal or the model cannot be fitted.
    """
    import numpy as np
    import pandas as pd
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    if data.outcome_type != "ordinal" or data.y is None:
        raise ModelInputError("the ordinal logit needs an ordinal outcome (outcome_type='ordinal')")
    notes = _base_warnings(data, epv_min)
    levels = sorted(int(v) for v in data.y.unique())
    split_sep = []
    for cut in levels[1:]:
        yy = (data.y >= cut).astype(float)
        split = ModelData(X=data.X, y=yy, outcome=f"{data.outcome}>={cut}", outcome_type="binary",
                          variables=data.variables)
        try:
            sep = detect_separation(split)
        except Exception:  # pragma: no cover - LP failure on a degenerate split
            continue
        if sep.separated:
            split_sep.append(f"{data.outcome} >= {cut} ({', '.join(sep.infinite)})")
    if split_sep:
        notes.append("Separation at the split(s) " + "; ".join(split_sep) + ": the proportional-odds "
                     "estimates may run to infinity; do not interpret their size.")
    y = pd.Series(pd.Categorical(data.y.to_numpy(), categories=levels, ordered=True),
                  index=data.y.index)
    model = OrderedModel(y, data.X.astype(float), distr="logit")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            res = model.fit(method="bfgs", maxiter=2000, disp=False)
        except (ValueError, np.linalg.LinAlgError) as exc:
            raise ModelInputError(f"the ordinal logit could not be fitted on the {data.n} complete "
                                  f"cases: {str(exc).splitlines()[0]}") from None
    _collect(caught, notes, "Ordinal fit")
    converged = bool(res.mle_retvals.get("converged", True))
    if not converged:
        notes.append("The ordinal fit did not converge; do not interpret it.")
    k = data.n_params
    params = res.params.to_numpy()
    bse = np.asarray(res.bse, dtype=float)
    if not np.all(np.isfinite(bse[:k])):
        notes.append("The information matrix is singular (standard errors undefined): the data "
                     "cannot identify the effects; do not interpret them.")
    z = _norm_ppf(1 - alpha / 2)
    coef = params[:k].copy()
    table = pd.DataFrame({"coef": coef, "se": bse[:k], "p": np.asarray(res.pvalues)[:k]},
                         index=pd.Index(data.terms))
    low, high = coef - z * bse[:k], coef + z * bse[:k]
    bound_notes = {}
    for j, term in enumerate(data.terms):
        if not (np.isfinite(low[j]) and np.isfinite(high[j])):
            bound_notes[term] = ("interval not estimable: the standard error is undefined "
                                 "(singular information)")
    diverging = ordinal_separation(data)
    if diverging:
        notes.append("Separation of the ordinal outcome: the proportional-odds estimates of "
                     + ", ".join(f"{t} ({'+' if d > 0 else '-'}inf)" for t, d in diverging.items())
                     + " do not exist (they run to infinity); they are shown as unbounded.")
    for j, term in enumerate(data.terms):
        d = diverging.get(term, 0)
        if d:
            table.loc[term, ["se", "p"]] = np.nan
            table.loc[term, "coef"] = coef[j] = d * math.inf
            low[j], high[j] = (np.nan, math.inf) if d > 0 else (-math.inf, np.nan)
            bound_notes[term] = (f"not estimable: separation of the ordinal outcome, the maximum-"
                                 f"likelihood estimate runs to {'+' if d > 0 else '-'}inf; the "
                                 f"Wald interval does not exist")
    table = _with_or(table, low, high)
    cuts = model.transform_threshold_params(params)[1:-1]
    cut_rows = pd.DataFrame({"coef": cuts, "se": np.nan, "p": np.nan, "OR": np.nan, "OR_low": np.nan,
                             "OR_high": np.nan},
                            index=pd.Index([f"cut {a}|{b}" for a, b in itertools.pairwise(levels)]))
    table = pd.concat([table, cut_rows])
    table.index.name = "term"
    return FitResult(method="ordinal", table=table, data=data, loglik=float(res.llf),
                     converged=converged, alpha=alpha, warnings=notes,
                     p_label="Wald test", ci_label="Wald",
                     extra={"levels": levels}, bound_notes=bound_notes)


def _norm_ppf(q: float) -> float:
    """Standard normal quantile."""
    from scipy.stats import norm

    return float(norm.ppf(q))


def vif(data: ModelData) -> pd.DataFrame:
    """Variance inflation factor of each design column (statsmodels), with the intercept in the
    auxiliary regressions; ``flag`` marks VIF >= 5 (moderate) and >= 10 (high collinearity).

    Parameters
    ----------
    data : ModelData
        The design.

    Returns
    -------
    pandas.DataFrame
        ``VIF`` and ``flag``, indexed by ``term``; 1 with a single column.

    Examples
    --------
    Two predictors with correlation r have VIF 1 / (1 - r^2). By hand: x is 0, 0, 0, 1, 1, 1 and
    z is 1, 2, 3, 1.5, 2.5, 0.5; their centred cross-product is -0.75, their sums of squares 1.5
    and 4.375, so r^2 = 0.5625 / 6.5625 = 3/35 and VIF = 35/32 = 1.09375:

    >>> import pandas as pd
    >>> from kadstudy.models.frame import prepare
    >>> df = pd.DataFrame({"y": [0, 1, 0, 1, 0, 1], "x": [0, 0, 0, 1, 1, 1],
    ...                    "z": [1.0, 2.0, 3.0, 1.5, 2.5, 0.5]})
    >>> vif(prepare(df, "y", ["x", "z"]))["VIF"].round(4).tolist()
    [1.0938, 1.0938]
    """
    import numpy as np
    import pandas as pd
    from statsmodels.stats.outliers_influence import variance_inflation_factor

    exog = np.column_stack([np.ones(data.n), data.X.to_numpy(dtype=float)])
    rows = []
    for j, term in enumerate(data.terms, start=1):
        if data.n_params == 1:
            value = 1.0
        else:
            with np.errstate(divide="ignore"):
                value = float(variance_inflation_factor(exog, j))
        flag = "high" if value >= 10 else "moderate" if value >= 5 else ""
        rows.append({"term": term, "VIF": value, "flag": flag})
    return pd.DataFrame(rows).set_index("term")
