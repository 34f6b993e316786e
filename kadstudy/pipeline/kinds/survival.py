"""Survival of forums: how long they run from founding until they end (or until last observed).

Kaplan-Meier curves overall and by a grouping variable (e.g. institutional form) with a log-rank
test, and a Cox proportional-hazards model of the conditions with the proportional-hazards
assumption checked. A forum still running when last observed is censored at that year.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kadstudy import numbers
from kadstudy.errors import KadError
from kadstudy.pipeline.kinds import common_sections, load_cases
from kadstudy.pipeline.kinds.regression import (
    NUMERIC_TYPES,
    check_variables,
    guarded,
    notes_to,
)
from kadstudy.pipeline.summary import case_summary
from kadstudy.report.render import Report
from kadstudy.schema.analysis import CaseAnalysis
from kadstudy.schema.fields import Bool, NonNegative, Positive, VarName, VarNames

if TYPE_CHECKING:
    import pandas as pd

    from kadstudy.models.survival import KMResult, SurvivalData
    from kadstudy.pipeline.graph import Project
    from kadstudy.pipeline.spec import AnalysisSpec

class SCHEMA(CaseAnalysis):
    """The keys of a ``kind: survival`` analysis file."""

    start: VarName
    end: VarName
    observed: VarName
    active: VarName = None
    group: VarName = None
    covariates: VarNames = None
    firth: Bool = None
    penalizer: NonNegative = None
    epv_min: Positive = None
    strict: Bool = None


def _km_table(curves: list[KMResult], group: str | None = None) -> pd.DataFrame:
    import pandas as pd

    parts = []
    for km in curves:
        t = km.table.copy()
        if group:
            t.insert(0, group, km.label)
        parts.append(t)
    table = pd.concat(parts, ignore_index=True)
    for c in ("at_risk", "events", "censored"):
        table[c] = table[c].astype(int)
    return table


def _medians(curves: list[KMResult], label: str) -> pd.DataFrame:
    import math

    import pandas as pd

    rows = [{label: km.label, "n": km.n, "events": km.events, "censored": km.n - km.events,
             "median_years": km.median if math.isfinite(km.median) else float("nan"),
             "median": (numbers.parameter(km.median) if math.isfinite(km.median)
                        else "not reached")}
            for km in curves]
    return pd.DataFrame(rows).set_index(label)


def _durations(report: Report, sd: SurvivalData, spec: AnalysisSpec) -> None:
    import pandas as pd

    report.heading("Durations")
    start, end, observed = spec.get("start"), spec.get("end"), spec.get("observed")
    active = spec.get("active")
    rule = (f"A forum with {active} = 0 ended: an event at {end}. One with {active} = 1 is censored "
            f"at {observed}." if active else
            f"A forum with {end} coded ended then (an event); otherwise it is censored at {observed}.")
    report.text(f"Duration = years from {start} to {end} or, for a forum still running, to "
                f"{observed}. {rule} {sd.describe()}")
    if sd.n:
        report.table("durations", sd.frame, "Duration (years) and event (1 ended, 0 censored) of "
                     "each forum that can be placed")
    if sd.dropped:
        table = pd.DataFrame({"reason": list(sd.dropped.values())},
                             index=pd.Index(list(sd.dropped), name="case"))
        report.table("dropped", table, "Forums left out of the survival analysis, and why")


def _kaplan_meier(report: Report, sd: SurvivalData, group: str | None) -> None:
    from kadstudy.models import plot as plots
    from kadstudy.models.survival import DURATION, EVENT, kaplan_meier, kaplan_meier_by_group

    report.heading("Kaplan-Meier curves")
    if sd.n == 0:
        report.text("No forum has a known duration yet: no survival curve.")
        return
    overall = kaplan_meier(sd.frame[DURATION], sd.frame[EVENT], label="all forums")
    if sd.events == 0:
        report.note(f"No event among the {sd.n} forums (none has ended as coded): the curves stay "
                    f"at 1; they show how long the forums have been observed, not how long they "
                    f"last.")
    report.table("km_all", _km_table([overall]), "Kaplan-Meier estimate, all forums: at risk, "
                 "events, censored, survival and 95% log(-log) interval at each time")
    report.table("km_median_all", _medians([overall], "curve"), "Median duration (years)")
    report.figure("km_all", plots.km_plot([overall], title="Kaplan-Meier: all forums").figure,
                  "Kaplan-Meier curve of all forums (ticks: censored), with the number at risk")
    if not group:
        return
    curves, test, notes = kaplan_meier_by_group(sd, group)
    notes_to(report, notes)
    report.table(f"km_by_{group}", _km_table(curves, group), f"Kaplan-Meier estimate by {group}")
    report.table(f"km_median_by_{group}", _medians(curves, group), f"Median duration by {group}")
    report.figure(f"km_by_{group}", plots.km_plot(curves, title=f"Kaplan-Meier by {group}").figure,
                  f"Kaplan-Meier curves by {group} (ticks: censored), with the number at risk")
    if test:
        import pandas as pd

        report.table(f"logrank_{group}", pd.DataFrame([test]).set_index("test"),
                     f"Log-rank test of equal survival across {group}")


def _cox(report: Report, sd: SurvivalData, spec: AnalysisSpec, covariates: list[str]) -> None:
    from kadstudy.models import plot as plots
    from kadstudy.models.frame import EPV_MIN
    from kadstudy.models.survival import cox

    report.heading("Cox proportional-hazards model")
    firth = bool(spec.get("firth", False))
    report.text(f"Hazard of a forum ending, on {', '.join(covariates)}"
                + (" (Firth-penalised partial likelihood, finite under monotone likelihood)"
                   if firth else "") + ". A hazard ratio below 1 means forums with more of the "
                "condition last longer.")
    fit, why = guarded(spec, "Cox model", lambda: cox(
        sd, covariates, firth=firth, penalizer=float(spec.get("penalizer", 0.0)),
        epv_min=float(spec.get("epv_min", EPV_MIN))))
    if fit is None:
        report.text(why)
        return
    report.text(f"{fit.data.describe().removesuffix('.')}; {fit.events} events; EPV = "
                f"{numbers.significant(fit.epv)}; concordance {numbers.fixed(fit.concordance)}.")
    notes_to(report, fit.warnings)
    report.table("cox", fit.table, f"Cox model: coefficients (log hazard), hazard ratios with 95% "
                 f"{fit.ci_label} intervals, p from the {fit.p_label}")
    if fit.ph_test is not None:
        report.table("ph_test", fit.ph_test, "Proportional-hazards test on scaled Schoenfeld "
                     "residuals against the rank of time (small p: the hazard ratio changes over "
                     "time)")
    report.figure("forest_cox", plots.forest_plot(fit.table, est="HR", low="HR_low",
                                                  high="HR_high", xlabel="hazard ratio (log scale)",
                                                  title="Cox model: hazard ratios").figure,
                  "Forest plot of the hazard ratios of the Cox model")


def build(project: Project, spec: AnalysisSpec) -> Report:
    """The survival report."""
    from kadstudy.models.survival import survival_data

    df = load_cases(project, spec)
    start, end, observed = spec.get("start"), spec.get("end"), spec.get("observed")
    active, group = spec.get("active"), spec.get("group")
    covariates = list(spec.get("covariates") or [])
    check_variables(df, spec, "start", [start], ("year",))
    check_variables(df, spec, "end", [end], ("year",))
    check_variables(df, spec, "observed", [observed], ("year",))
    if active:
        check_variables(df, spec, "active", [active], ("binary",))
    if group:
        check_variables(df, spec, "group", [group], ("categorical", "binary", "ordinal"))
    check_variables(df, spec, "covariates", covariates, (*NUMERIC_TYPES, "categorical"))

    report = Report(spec.title)
    keep = list(dict.fromkeys([*([group] if group else []), *covariates]))
    sd, why = guarded(spec, "survival data", lambda: survival_data(
        df, start=start, end=end, observed=observed, active=active, keep=keep))
    reason = why.removesuffix(".") if sd is None else (
        f"no events: none of the {sd.n} cases with a duration ended (all censored), so no survival "
        "curve falls and no hazard can be estimated" if sd.events == 0 else None)
    if reason and spec.get("strict"):
        raise KadError(f"{spec.path}: not estimable: {reason} (key 'strict' is true)")
    analysed = [] if sd is None else [str(c) for c in sd.frame.index]
    case_summary(report, spec, df, analysed, None,
                 f"have a duration from {start} to {end} or {observed}"
                 + ("" if sd is None else f" ({sd.events} events, {sd.n - sd.events} censored)"),
                 reason)
    if spec.get("description"):
        report.text(spec.get("description"))
    if sd is None:
        report.heading("Durations")
        report.text(why)
    elif reason:
        _durations(report, sd, spec)
        report.text(f"Not estimable: {reason}.")
    else:
        _durations(report, sd, spec)
        _kaplan_meier(report, sd, group)
        if covariates:
            _cox(report, sd, spec, covariates)
    common_sections(report, project, spec, len(df))
    return report
