"""Report sections on the calibrated outcome ``durable`` (:mod:`kadstudy.data.outcome`): the rule
and thresholds, every forum's observations with the disagreements shown, and how N and the QCA
solutions change under the alternative thresholds of the spec's ``durability.alternatives``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kadstudy import numbers
from kadstudy.errors import KadError

if TYPE_CHECKING:
    import pandas as pd

    from kadstudy.data.outcome import DurabilityRule
    from kadstudy.pipeline.graph import Project
    from kadstudy.pipeline.spec import AnalysisSpec
    from kadstudy.report.render import Report

#: the thresholds shown when an analysis gives no ``durability.alternatives``
DEFAULT_ALTERNATIVES: tuple[dict[str, Any], ...] = (
    {"label": "age >= 3 years", "min_age": 3},
    {"label": "age >= 10 years", "min_age": 10},
    {"label": "young active forums not durable", "young": "out"},
    {"label": "one institution required", "institutions": 1},
    {"label": "all three institutions required", "institutions": 3},
    {"label": "primary observation only", "observations": "primary"},
)


def alternatives(spec: AnalysisSpec, initial: DurabilityRule) -> list[DurabilityRule]:
    """The alternative rules of ``spec`` (``durability.alternatives``, else
    :data:`DEFAULT_ALTERNATIVES`), each over the initial thresholds."""
    from dataclasses import replace

    from kadstudy.data.outcome import DurabilityRule

    given = (spec.get("durability") or {}).get("alternatives") or DEFAULT_ALTERNATIVES
    out = []
    for i, alt in enumerate(given, 1):
        rule = DurabilityRule.from_mapping(alt, replace(initial, label=f"alternative {i}"))
        if "label" not in alt:
            changed = [f"{k} {v}" for k, v in alt.items() if k != "label"]
            rule = replace(rule, label=", ".join(changed))
        out.append(rule)
    return out


def observations_section(report: Report, df: pd.DataFrame) -> None:
    """The rule, and every forum of the population with a coded observation state: each
    observation's state, age, membership and reason, and the combined membership."""
    rule, obs = df.attrs["durability"].rule, df.attrs["durability"].observations
    info = df.attrs.get("cases")
    forums = [f for members in info.members.values() for f in members] if info is not None \
        else [str(c) for c in df.index]
    shown = obs.loc[[f for f in obs.index if f in set(forums)]]
    shown = shown[(shown["primary state"] != "") | (shown["second state"] != "")]
    report.heading("Outcome calibration")
    report.text(
        "The outcome durable is not coded by hand: it is calibrated from the coded, cited outcome "
        "components (state and age at each observation, institutionalisation) by the rule of "
        f"kadstudy.data.outcome with these thresholds: {rule.describe()}. Per observation: "
        "stagnant, ended or replaced -> 0; active and old enough -> 1 (given the institutions "
        "required); active and younger -> undecided or 0 as set; otherwise undecided. An age "
        "marked + is a lower bound. A forum's membership is its lowest decided observation "
        "(observations: all) or its primary one (observations: primary); forums left undecided "
        "are dropped from the analysis like any missing value.")
    table = shown.drop(columns=["disagree"]).copy()
    table["observations disagree"] = ["yes" if d else "" for d in shown["disagree"]]
    report.table("outcome_observations", table,
                 "Observations of each forum of the population with a coded state: state, age, "
                 "membership in durable and why, the calibrated membership, and whether the "
                 "observations disagree", kinds={"primary membership": "count",
                                                 "second membership": "count", "durable": "count"})
    split = [str(f) for f in shown.index[shown["disagree"]]]
    if split:
        report.text(
            "Observations that disagree (both are kept; the membership follows the rule above): "
            + "; ".join(f"{f}: primary {shown.at[f, 'primary state']} "
                        f"({shown.at[f, 'primary reason']}), second {shown.at[f, 'second state']} "
                        f"({shown.at[f, 'second reason']})" for f in split) + ".")
    else:
        report.text("No forum of the population has observations that disagree.")


def _outcome_of(rule: DurabilityRule, project: Project, spec: AnalysisSpec,
                raw: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    from kadstudy.pipeline.kinds import load_cases
    from kadstudy.pipeline.kinds.qca import set_data

    df = load_cases(project, spec, rule=rule, raw=raw)
    data, _, dropped = set_data(df, spec, min_cases=0)
    return df, data, dropped


def sensitivity_row(rule: DurabilityRule, project: Project, spec: AnalysisSpec,
                    raw: pd.DataFrame | None = None) -> dict[str, Any]:
    """N, the outcome's spread and the first model of each solution type under ``rule`` (``raw``:
    the dataset already loaded, :func:`kadstudy.pipeline.kinds.load_raw`)."""
    from kadstudy.pipeline.kinds.qca import not_estimable
    from kadstudy.pipeline.summary import countries, country_text
    from kadstudy.sets import evaluate, minimize, truth_table
    from kadstudy.sets.errors import collect_warnings

    df, data, _ = _outcome_of(rule, project, spec, raw)
    outcome = spec.get("outcome")
    y = evaluate(data, outcome) if len(data) else None
    row: dict[str, Any] = {
        "thresholds": rule.label, "rule": rule.describe(),
        "outcome known": int(df["durable"].notna().sum()) if "durable" in df.columns else 0,
        "N": len(data), "in outcome": int((y > 0.5).sum()) if y is not None else 0,
        "countries": country_text(countries(df, list(data.index)))}
    why = not_estimable(data, outcome)
    if not why:
        params = {"incl_cut": spec.get("incl_cut"), "n_cut": spec.get("n_cut", 1),
                  "pri_cut": spec.get("pri_cut", 0.0)}
        tt, _ = collect_warnings(lambda: truth_table(data, outcome, list(spec.get("conditions")), **params),
                                 Warning)
    for kind in spec.get("solutions") or ["conservative", "parsimonious"]:
        if why:
            row[f"{kind} solution"] = "not estimable"
            continue
        try:
            sol = minimize(tt, solution=kind, dir_exp=spec.get("dir_exp") if kind == "intermediate"
                           else None)
        except KadError:
            row[f"{kind} solution"] = "none"
            continue
        model = sol.models[0]
        x = evaluate(data, model.expression)
        covered = list(data.index[(x > 0.5) & (y > 0.5)])
        row[f"{kind} solution"] = (f"{model.expression} (inclS {numbers.fmt(model.inclS, 'measure')}, "
                                   f"covS {numbers.fmt(model.covS, 'measure')})")
        row[f"{kind} covers"] = country_text(countries(df, covered))
    if why:
        row["note"] = f"not estimable: {why}"
    return row


def sensitivity_section(report: Report, project: Project, spec: AnalysisSpec, df: pd.DataFrame) -> None:
    """How N and the solutions change under the alternative thresholds of ``durable``."""
    import pandas as pd

    from kadstudy.pipeline.kinds import load_raw

    initial = df.attrs["durability"].rule
    rules = [initial, *alternatives(spec, initial)]
    raw = load_raw(project, spec)
    rows = [sensitivity_row(rule, project, spec, raw) for rule in rules]
    report.heading("Sensitivity to the outcome thresholds")
    report.text(
        "The analysis above repeated with the outcome durable calibrated under alternative "
        "thresholds (the first row is the analysis above): how many forums of the population code "
        "the outcome, N (cases with the outcome and every condition), how many are in the outcome, "
        "their countries, and the first model of each solution with the countries of the cases it "
        "covers (membership > 0.5 in the solution and the outcome).")
    frame = pd.DataFrame(rows).fillna("")
    report.table("outcome_sensitivity", frame,
                 "The solutions under alternative thresholds of the calibrated outcome durable",
                 kinds={"outcome known": "count", "N": "count", "in outcome": "count"})


__all__ = ["DEFAULT_ALTERNATIVES", "alternatives", "observations_section", "sensitivity_row",
           "sensitivity_section"]
