"""Survival of forums: durations from founding to end (event) or to the last observation (censored).

- :func:`survival_data`: durations and event indicators from year variables, with every case that
  cannot be placed dropped and the reason kept;
- :func:`kaplan_meier`: the product-limit estimate (lifelines) with Greenwood log(-log) intervals;
  :func:`kaplan_meier_by_group` one curve per group and a log-rank test;
- :func:`cox`: Cox proportional hazards (lifelines; or Firth-penalised, firthmodels, for monotone
  likelihood), with the proportional-hazards assumption checked on scaled Schoenfeld residuals.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kadstudy.models.frame import EPV_MIN, ModelData, ModelInputError, prepare
from kadstudy.results import ResultMixin

if TYPE_CHECKING:
    import pandas as pd

DURATION, EVENT = "duration", "event"


@dataclass(repr=False)
class SurvivalData(ResultMixin):
    """Cases with a duration (years) and an event indicator (1 ended, 0 censored), plus any kept
    columns; made by :func:`survival_data`.

    Attributes
    ----------
    frame : pandas.DataFrame
        One row per case (index ``case``): the start year, ``stop``, ``duration``, ``event`` and
        the kept columns.
    dropped : dict of str to str
        Each case left out -> the reason.
    n_total : int
        The cases given.
    """

    frame: pd.DataFrame
    dropped: dict[str, str] = field(default_factory=dict)
    n_total: int = 0

    @property
    def n(self) -> int:
        """The cases with a duration."""
        return len(self.frame)

    @property
    def events(self) -> int:
        """The cases that ended (event = 1)."""
        return int(self.frame[EVENT].sum())

    @property
    def censored(self) -> int:
        """The cases still running when last observed (event = 0)."""
        return self.n - self.events

    def to_frame(self) -> pd.DataFrame:
        """The cases: ``duration``, ``event`` and the kept columns (index: case).

        Returns
        -------
        pandas.DataFrame
            A copy of :attr:`frame`.
        """
        return self.frame.copy()

    def _title(self) -> str:
        return "Survival data: " + self.describe()

    def describe(self) -> str:
        """N, events, censored cases and the dropped ones, in one sentence.

        Returns
        -------
        str
            The sentence.
        """
        text = (f"N = {self.n} cases with a known duration: {self.events} ended (events), "
                f"{self.censored} still running when last observed (censored)")
        if self.dropped:
            text += f"; {len(self.dropped)} of {self.n_total} dropped (see the table of dropped cases)"
        return text + "."


def _year(value: object) -> float | None:
    try:
        f = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def survival_data(
    df: pd.DataFrame,
    *,
    start: str,
    end: str,
    observed: str,
    active: str | None = None,
    keep: tuple[str, ...] | list[str] = (),
) -> SurvivalData:
    """Durations in years from ``start`` to ``end`` (an event) or to ``observed`` (censored).

    With ``active`` (1 = running when observed, 0 = ended): active = 0 is an event at ``end``,
    active = 1 is censored at ``observed``. Without it, a coded ``end`` is an event and otherwise
    the case is censored. A case that cannot be placed is dropped with the reason (no start year,
    ended without an end year, active but with an end year, ...).

    Parameters
    ----------
    df : pandas.DataFrame
        The cases.
    start, end, observed : str
        Columns of the start year, the end year and the year of the last observation.
    active : str, optional
        Column of the 1/0 indicator of a case running when observed.
    keep : sequence of str
        Further columns to carry (e.g. covariates).

    Returns
    -------
    SurvivalData
        The cases placed and the reasons for the others.

    Raises
    ------
    ModelInputError
        When a column is missing, or an end or observation year is before the start year.

    Examples
    --------
    a ended 6 years after it began (an event); b runs 6 years at the observation (censored); c
    has no start year:

    >>> import pandas as pd
    >>> df = pd.DataFrame({"founded": [2000, 2004, None], "ended": [2006, None, None],
    ...                    "obs": [2010, 2010, 2010]}, index=["a", "b", "c"])
    >>> sd = survival_data(df, start="founded", end="ended", observed="obs")
    >>> sd.to_frame()[["duration", "event"]].values.tolist(), sd.dropped
    ([[6, 1], [6, 0]], {'c': 'no founded'})
    """
    import pandas as pd

    from kadstudy.models.frame import check_columns

    cols = [start, end, observed, *([active] if active else []), *keep]
    check_columns(df, [start, observed, *([active] if active else [])],
                  {start: "start year", observed: "observation year"})
    for c in [end, *keep]:
        if c not in df.columns:
            raise ModelInputError(f"no column '{c}' in the data; columns are: "
                                  + ", ".join(str(x) for x in df.columns))
    rows, dropped = [], {}
    for case, rec in df[list(dict.fromkeys(cols))].iterrows():
        case = str(case)
        s, e, o = _year(rec[start]), _year(rec[end]), _year(rec[observed])
        a = _year(rec[active]) if active else None
        if s is None:
            dropped[case] = f"no {start}"
            continue
        if active and a is None:
            if e is None:
                dropped[case] = f"{active} not coded, no {end}: whether it ended is unknown"
                continue
            a = 0.0
        if active and a == 1 and e is not None:
            dropped[case] = f"{active} = 1 but {end} = {e:g}: the codings contradict each other"
            continue
        if (active and a == 0) or (not active and e is not None):
            if e is None:
                dropped[case] = f"ended ({active} = 0) but {end} not coded"
                continue
            stop, event, which = e, 1, end
        else:
            if o is None:
                dropped[case] = f"running but {observed} not coded"
                continue
            stop, event, which = o, 0, observed
        if stop < s:
            raise ModelInputError(f"case '{case}': {which} {stop:g} is before {start} {s:g}; fix "
                                  f"the coding")
        row = {start: s, "stop": stop, DURATION: stop - s, EVENT: event}
        row.update({k: rec[k] for k in keep})
        rows.append((case, row))
    frame = pd.DataFrame([r for _, r in rows], index=pd.Index([c for c, _ in rows], name="case"),
                         columns=[start, "stop", DURATION, EVENT, *keep])
    frame[EVENT] = frame[EVENT].astype(int)
    for c in (start, "stop", DURATION):  # whole years stay whole numbers
        values = frame[c].astype(float)
        if len(values) and (values == values.round()).all():
            frame[c] = values.round().astype("Int64")
    return SurvivalData(frame=frame, dropped=dropped, n_total=len(df))


@dataclass(repr=False)
class KMResult(ResultMixin):
    """A Kaplan-Meier curve, made by :func:`kaplan_meier`.

    Attributes
    ----------
    label : str
        The group.
    table : pandas.DataFrame
        One row per distinct time (time, at_risk, events, censored, survival, ci_low, ci_high).
    median : float
        The median survival time; inf when survival stays above 0.5.
    n, events : int
        Cases and events.
    """

    label: str
    table: pd.DataFrame
    median: float
    n: int
    events: int

    def to_frame(self) -> pd.DataFrame:
        """The life table: time, at_risk, events, censored, survival, ci_low, ci_high.

        Returns
        -------
        pandas.DataFrame
            A copy of :attr:`table`.
        """
        return self.table.copy()

    def _title(self) -> str:
        med = "not reached" if self.median == float("inf") else f"{self.median:g}"
        return (f"Kaplan-Meier curve '{self.label}': N = {self.n}, {self.events} events, "
                f"median survival {med}")


def kaplan_meier(durations: object, events: object, *, label: str = "all",
                 alpha: float = 0.05) -> KMResult:
    """Product-limit estimate S(t) = prod over event times t_i <= t of (1 - d_i / n_i), with
    exponential Greenwood (log(-log)) intervals, as lifelines computes them.

    Parameters
    ----------
    durations : array-like of float
        Durations (>= 0).
    events : array-like of 0/1
        1 for an event, 0 for a censored duration.
    label : str
        The group, for tables and plots.
    alpha : float
        1 - the confidence level of the intervals.

    Returns
    -------
    KMResult
        The life table and the median.

    Raises
    ------
    ModelInputError
        When there is no case, a value is missing or a duration is negative.

    Examples
    --------
    Events at 1, 3 and 4, censored at 2 and 5: S(1) = 4/5, S(3) = 4/5 * 2/3 (three at risk),
    S(4) = 8/15 * 1/2 (two at risk), so the median is 4:

    >>> km = kaplan_meier([1, 2, 3, 4, 5], [1, 0, 1, 1, 0])
    >>> km.table.set_index("time")["survival"].round(4).tolist(), km.median
    ([1.0, 0.8, 0.8, 0.5333, 0.2667, 0.2667], 4.0)
    """
    import numpy as np
    import pandas as pd
    from lifelines import KaplanMeierFitter

    t = np.asarray(durations, dtype=float)
    d = np.asarray(events, dtype=float)
    if t.size == 0:
        raise ModelInputError(f"group '{label}' has no case; a survival curve needs cases")
    if np.isnan(t).any() or np.isnan(d).any():
        raise ModelInputError(f"group '{label}': a duration or event indicator is missing")
    if (t < 0).any():
        raise ModelInputError(f"group '{label}': a duration is negative ({t.min():g})")
    kmf = KaplanMeierFitter(alpha=alpha).fit(t, d.astype(bool), label=label)
    et = kmf.event_table
    ci = kmf.confidence_interval_survival_function_
    table = pd.DataFrame({
        "time": et.index.to_numpy(dtype=float),
        "at_risk": et["at_risk"].to_numpy(dtype=int),
        "events": et["observed"].to_numpy(dtype=int),
        "censored": et["censored"].to_numpy(dtype=int),
        "survival": kmf.survival_function_.loc[et.index].iloc[:, 0].to_numpy(dtype=float),
        "ci_low": ci.loc[et.index].iloc[:, 0].to_numpy(dtype=float),
        "ci_high": ci.loc[et.index].iloc[:, 1].to_numpy(dtype=float),
    })
    return KMResult(label=label, table=table, median=float(kmf.median_survival_time_), n=int(t.size),
                    events=int(d.sum()))


def kaplan_meier_by_group(sd: SurvivalData, group: str, *, alpha: float = 0.05
                          ) -> tuple[list[KMResult], dict[str, object] | None, list[str]]:
    """One Kaplan-Meier curve per value of ``group`` (cases missing it are left out) and the
    log-rank test of equal survival across groups (None, with a note, when it cannot be run).

    Parameters
    ----------
    sd : SurvivalData
        The cases, with ``group`` kept.
    group : str
        The grouping column.
    alpha : float
        1 - the confidence level of the intervals.

    Returns
    -------
    tuple
        The curves (one :class:`KMResult` per group, sorted by group), the log-rank test
        (``test``, ``groups``, ``statistic``, ``df``, ``p``) or None, and notes.

    Raises
    ------
    ModelInputError
        When ``group`` is not a column of the survival data.
    """
    import pandas as pd
    from lifelines.statistics import multivariate_logrank_test

    if group not in sd.frame.columns:
        raise ModelInputError(f"no column '{group}' among the survival data; keep it in survival_data")
    notes = []
    sub = sd.frame[sd.frame[group].notna()]
    if len(sub) < len(sd.frame):
        notes.append(f"{len(sd.frame) - len(sub)} case(s) without a {group} are left out of the "
                     f"curves by {group}.")
    labels = sub[group].astype(str)
    curves = [kaplan_meier(sub.loc[labels == g, DURATION], sub.loc[labels == g, EVENT],
                           label=g, alpha=alpha) for g in sorted(labels.unique())]
    test = None
    if len(curves) < 2:
        notes.append(f"Only one {group} among the cases: no log-rank test.")
    elif int(sub[EVENT].sum()) == 0:
        notes.append("No event (no case ended): the log-rank test needs events.")
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = multivariate_logrank_test(sub[DURATION], pd.Series(labels.to_numpy()),
                                            sub[EVENT])
        test = {"test": "log-rank", "groups": len(curves), "statistic": float(res.test_statistic),
                "df": int(res.degrees_of_freedom), "p": float(res.p_value)}
    return curves, test, notes


@dataclass(repr=False)
class CoxResult(ResultMixin):
    """A Cox model, made by :func:`cox`: ``table`` (index term: coef, se, p, HR, HR_low,
    HR_high), its data, the proportional-hazards test (or None) and warnings.
    """

    method: str
    table: pd.DataFrame
    data: ModelData
    events: int
    ph_test: pd.DataFrame | None
    concordance: float
    p_label: str
    ci_label: str
    warnings: list[str] = field(default_factory=list)

    @property
    def epv(self) -> float:
        """Events per estimated parameter (NaN without parameters)."""
        return self.events / self.data.n_params if self.data.n_params else float("nan")

    def to_frame(self) -> pd.DataFrame:
        """The coefficient table (index ``term``: coef, se, p, HR, HR_low, HR_high).

        Returns
        -------
        pandas.DataFrame
            A copy of :attr:`table`.
        """
        frame = self.table.copy()
        frame.index.name = "term"
        return frame

    def summary(self) -> str:
        """Readable text: the model, N and events, the table, concordance, the
        proportional-hazards test and warnings.

        Returns
        -------
        str
            Text ending with a newline.
        """
        from kadstudy.results import text_frame

        lines = [f"Cox model ({self.method}) of survival on {', '.join(self.data.variables)}", "",
                 f"N = {self.data.n}, {self.events} events; EPV = {self.epv:.2f}; "
                 f"concordance {self.concordance:.3f}", "",
                 text_frame(self.to_frame()).to_string(index=False), "",
                 f"p: {self.p_label}; interval: {self.ci_label}."]
        if self.ph_test is not None:
            lines += ["", "Proportional-hazards test:", text_frame(self.ph_test).to_string(index=False)]
        if self.warnings:
            lines += ["", "Warnings:", *(f"- {w}" for w in self.warnings)]
        return "\n".join(lines) + "\n"


def cox(
    sd: SurvivalData,
    covariates: list[str],
    *,
    firth: bool = False,
    penalizer: float = 0.0,
    alpha: float = 0.05,
    epv_min: float = EPV_MIN,
) -> CoxResult:
    """Cox proportional-hazards model of the durations on ``covariates`` (complete cases).

    ``firth=False``: lifelines ``CoxPHFitter`` (Efron ties; an optional ridge ``penalizer``), Wald
    p and intervals. ``firth=True``: Firth-penalised partial likelihood (Heinze & Schemper 2001,
    firthmodels), which stays finite under monotone likelihood; penalised LR p and profile
    intervals. The proportional-hazards assumption is tested on scaled Schoenfeld residuals
    against the rank of time (lifelines ``proportional_hazard_test``).

    Parameters
    ----------
    sd : SurvivalData
        The cases, with the covariates kept.
    covariates : list of str
        The covariates.
    firth : bool
        Firth-penalised partial likelihood instead of lifelines' Cox model.
    penalizer : float
        Ridge penalty of lifelines' model (``firth=False``).
    alpha : float
        1 - the confidence level of the intervals.
    epv_min : float
        Warn when the events per parameter fall below this.

    Returns
    -------
    CoxResult
        The coefficient table, concordance, proportional-hazards test and warnings.

    Raises
    ------
    ModelInputError
        When no case ended (among the complete cases), :func:`kadstudy.models.frame.prepare`
        refuses the covariates, or the model cannot be fitted.
    """
    import numpy as np
    import pandas as pd
    from lifelines import CoxPHFitter
    from lifelines.statistics import proportional_hazard_test

    if sd.events == 0:
        raise ModelInputError(f"no event among the {sd.n} cases with a known duration (none "
                              f"ended): a Cox model needs events; code end years or wait for them")
    data = prepare(sd.frame, None, covariates, outcome_type="none", extra=[DURATION, EVENT])
    t = data.extra[DURATION].astype(float)
    e = data.extra[EVENT].astype(int)
    events = int(e.sum())
    if events == 0:
        raise ModelInputError(f"no event among the {data.n} complete cases (none ended): a Cox "
                              f"model needs events; code end years or wait for them")
    notes: list[str] = []
    k = data.n_params
    if events / k < epv_min:
        params = f"{k} parameter" + ("" if k == 1 else "s")
        notes.append(f"Events per variable (EPV) = {events / k:.2f} ({events} events / {params}) is "
                     f"below {epv_min:g}: hazard ratios are unstable and biased away from one, and "
                     f"intervals are wide; read them as descriptive.")
    frame = data.X.copy()
    frame[DURATION] = t
    frame[EVENT] = e
    cph = CoxPHFitter(penalizer=penalizer, alpha=alpha)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            cph.fit(frame, DURATION, EVENT)
            fitted = True
        except Exception as exc:  # lifelines raises ConvergenceError and linear-algebra errors
            if not firth:
                raise ModelInputError(f"the Cox model could not be fitted on the {data.n} complete "
                                      f"cases ({str(exc).splitlines()[0]}); try firth: true or "
                                      f"fewer covariates") from None
            fitted = False
    monotone = [str(w.message) for w in caught
                if "separation" in str(w.message) or "onvergence" in type(w.message).__name__
                or "converge" in str(w.message)]
    if monotone:
        if firth:
            notes.append("Monotone likelihood (a form of separation; lifelines warns that a "
                         "covariate hardly varies within the events): the ordinary Cox estimates "
                         "would run to infinity. The Firth-penalised estimates below stay finite.")
        else:
            notes.append("Monotone likelihood (a form of separation; lifelines warns that a "
                         "covariate hardly varies within the events): the Cox estimates run to "
                         "infinity, so their size, p and intervals are meaningless. Set firth: true "
                         "for the Firth-penalised Cox model.")
    if firth:
        from firthmodels import FirthCoxPH

        fm = FirthCoxPH(backend="numpy", max_iter=200)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                fm.fit(data.X.to_numpy(dtype=float), (e.to_numpy(dtype=bool), t.to_numpy()))
                fm.lrt()
                ci = np.asarray(fm.conf_int(alpha=alpha, method="pl"), dtype=float)
            except (ValueError, np.linalg.LinAlgError) as exc:
                raise ModelInputError(f"the Firth Cox model could not be fitted on the {data.n} "
                                      f"complete cases ({events} events): "
                                      f"{str(exc).splitlines()[0]}") from None
        if not fm.converged_:
            notes.append("The Firth Cox fit did not converge; do not interpret it.")
        table = pd.DataFrame({"coef": fm.coef_, "se": fm.bse_, "p": fm.lrt_pvalues_},
                             index=pd.Index(data.terms, name="term"))
        low, high = ci[:, 0], ci[:, 1]
        method, p_label, ci_label = "firth", "penalised likelihood-ratio test", "profile penalised likelihood"
    else:
        s = cph.summary
        table = pd.DataFrame({"coef": s["coef"].to_numpy(), "se": s["se(coef)"].to_numpy(),
                              "p": s["p"].to_numpy()}, index=pd.Index(data.terms, name="term"))
        low = s.filter(like="coef lower").iloc[:, 0].to_numpy()
        high = s.filter(like="coef upper").iloc[:, 0].to_numpy()
        method, p_label, ci_label = "cox", "Wald test", "Wald"
    with np.errstate(over="ignore"):
        table["HR"] = np.exp(table["coef"].to_numpy())
        table["HR_low"] = np.exp(low)
        table["HR_high"] = np.exp(high)
    ph = None
    if fitted and events >= 2:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                res = proportional_hazard_test(cph, frame, time_transform="rank")
            ph = pd.DataFrame({"statistic": res.summary["test_statistic"].to_numpy(),
                               "p": res.summary["p"].to_numpy()},
                              index=pd.Index([str(i) for i in res.summary.index], name="term"))
            ph = ph.reindex(data.terms)
            bad = [str(i) for i, p in ph["p"].items() if p < 0.05]
            if bad:
                notes.append(f"Proportional hazards rejected at 5% for {', '.join(bad)}: its hazard "
                             f"ratio changes over time; read it as an average effect.")
        except Exception as exc:  # a degenerate residual matrix on tiny data
            notes.append(f"The proportional-hazards test could not be computed: "
                         f"{str(exc).splitlines()[0]}")
    else:
        notes.append("The proportional-hazards test needs at least two events and a converged "
                     "fit; not computed.")
    concordance = float(cph.concordance_index_) if fitted else float("nan")
    return CoxResult(method=method, table=table, data=data, events=events, ph_test=ph,
                     concordance=concordance, p_label=p_label, ci_label=ci_label, warnings=notes)
