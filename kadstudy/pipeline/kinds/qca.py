"""QCA analysis of a coded dataset: calibration, necessity, truth table, solutions, XY plots."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

from kadstudy.errors import KadError
from kadstudy.pipeline.kinds import common_sections, load_cases
from kadstudy.pipeline.spec import (
    Check,
    is_bool,
    is_calibration,
    is_count,
    is_dir_exp,
    is_incl_cut,
    is_names,
    is_solutions,
    is_text,
    is_unit_number,
)
from kadstudy.report.render import Report

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    from matplotlib.figure import Figure

    from kadstudy.pipeline.graph import Project
    from kadstudy.pipeline.spec import AnalysisSpec

SET_TYPES = ("fuzzy", "binary")

SCHEMA: dict[str, tuple[Check, bool]] = {
    "outcome": (is_text, True),
    "conditions": (is_names, True),
    "calibrate": (is_calibration, False),
    "incl_cut": (is_incl_cut, True),
    "n_cut": (is_count, False),
    "pri_cut": (is_unit_number, False),
    "solutions": (is_solutions, False),
    "dir_exp": (is_dir_exp, False),
    "drop_missing": (is_bool, False),
}


def set_data(df: pd.DataFrame, spec: AnalysisSpec) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Memberships of every condition and the outcome, the raw values behind calibrated sets,
    and the cases dropped for a missing value. Raises a one-line error for unusable variables."""
    import numpy as np
    import pandas as pd

    from kadstudy.sets import calibrate

    cb = df.attrs["codebook"]
    calib: dict[str, dict[str, Any]] = spec.get("calibrate") or {}
    outcome = spec.get("outcome").lstrip("~")
    columns: dict[str, Any] = {}
    raw: dict[str, Any] = {}
    for name in [*spec.get("conditions"), outcome]:
        if name in calib:
            source = calib[name]["from"]
            if source not in df.columns:
                raise KadError(f"{spec.path}: key 'calibrate.{name}.from': unknown variable "
                               f"'{source}' in dataset '{spec.dataset}'")
            if cb[source].type not in ("count", "year", "fuzzy", "ordinal", "binary"):
                raise KadError(f"{spec.path}: key 'calibrate.{name}.from': '{source}' is "
                               f"{cb[source].type}, not numeric; choose a numeric variable")
            values = df[source].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
            raw[name] = values
            columns[name] = values  # calibrated below, after dropping missing cases
        elif name in df.columns:
            var = cb[name]
            if var.type not in SET_TYPES:
                raise KadError(f"{spec.path}: key 'conditions': '{name}' is {var.type}; use a "
                               f"binary or fuzzy variable, or define it under 'calibrate'")
            columns[name] = df[name].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        else:
            key = "outcome" if name == outcome else "conditions"
            raise KadError(f"{spec.path}: key '{key}': unknown set '{name}': not a variable of "
                           f"dataset '{spec.dataset}' nor defined under 'calibrate'")
    frame = pd.DataFrame(columns, index=df.index)
    missing = frame.isna().any(axis=1)
    dropped = [str(c) for c in frame.index[missing]]
    if dropped and spec.get("drop_missing") is False:
        raise KadError(f"{spec.path}: key 'drop_missing': cases with missing values: "
                       f"{', '.join(dropped)}; allow dropping them or code the values")
    frame = frame.loc[~missing].copy()
    raw_frame = pd.DataFrame(raw, index=df.index).loc[~missing]
    for name, how in calib.items():
        if name in frame.columns:
            frame[name] = calibrate(frame[name].to_numpy(), how["thresholds"], type=how["type"],
                                    name=name)
    if len(frame) < 2:
        raise KadError(f"{spec.path}: fewer than two cases have all of "
                       f"{', '.join(frame.columns)}; code more values or drop a condition")
    frame.index = frame.index.astype(str)
    frame.index.name = "case"
    return frame, raw_frame, dropped


def _calibration_figure(name: str, raw: pd.Series, member: pd.Series, how: dict[str, Any]) -> Figure:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(5, 3.5))
    ax = fig.subplots()
    order = raw.argsort(kind="stable")
    ax.plot(raw.to_numpy()[order], member.to_numpy()[order], "o-", color="#4c72b0", ms=4, lw=1)
    for t in how["thresholds"]:
        ax.axvline(t, color="#999999", ls=":", lw=1)
    ax.set_ylim(-0.05, 1.05)
    ax.set_xlabel(f"raw value ({how['from']})")
    ax.set_ylabel(f"membership in {name}")
    ax.set_title(f"Calibration of {name} ({how['type']}, thresholds {how['thresholds']})", fontsize=9)
    return fig


def _xy_figure(x: np.ndarray, y: np.ndarray, cases: list[str], xlabel: str, ylabel: str) -> Figure:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(5.5, 5.5))
    ax = fig.subplots()
    ax.plot([0, 1], [0, 1], color="#999999", lw=1, ls="--")
    ax.scatter(x, y, color="#4c72b0", s=18, zorder=3)
    for xi, yi, case in zip(x, y, cases, strict=True):
        ax.annotate(case, (xi, yi), fontsize=6, xytext=(3, 3), textcoords="offset points")
    ax.set_xlim(-0.05, 1.05)
    ax.set_ylim(-0.05, 1.05)
    ax.set_xlabel(xlabel, fontsize=8)
    ax.set_ylabel(ylabel, fontsize=8)
    ax.set_aspect("equal")
    return fig


def build(project: Project, spec: AnalysisSpec) -> Report:
    """The QCA report."""
    import pandas as pd

    from kadstudy.sets import evaluate, minimize, necessity, truth_table

    df = load_cases(project, spec)
    data, raw, dropped = set_data(df, spec)
    outcome = spec.get("outcome")
    conditions = list(spec.get("conditions"))
    report = Report(spec.title)
    if spec.get("description"):
        report.text(spec.get("description"))
    report.heading("Cases")
    report.text(f"{len(data)} cases enter the analysis."
                + (f" Dropped for a missing value in the outcome or a condition: "
                   f"{', '.join(dropped)}." if dropped else ""))
    report.table("set_memberships", data, "Set memberships of the cases (after calibration)")

    calib = spec.get("calibrate") or {}
    if calib:
        report.heading("Calibration")
        for name, how in calib.items():
            table = pd.DataFrame({"raw": raw[name], name: data[name]}, index=data.index)
            report.table(f"calibration_{name}", table, f"Calibration of {name} from {how['from']}")
            report.figure(f"calibration_{name}", _calibration_figure(name, raw[name], data[name],
                                                                     how),
                          f"Calibration of {name}")

    report.heading("Necessity")
    nec = necessity(data, outcome, conditions)
    report.table("necessity", nec.to_frame(), f"Necessity of each condition and its negation for "
                 f"{outcome} (inclN, RoN, covN)")

    report.heading("Truth table")
    params = {"incl_cut": spec.get("incl_cut"), "n_cut": spec.get("n_cut", 1),
              "pri_cut": spec.get("pri_cut", 0.0)}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tt = truth_table(data, outcome, conditions, **params)
    for w in caught:
        report.note(str(w.message))
    report.table("truth_table", tt.to_frame(), f"Truth table for {outcome} "
                 f"(incl_cut {params['incl_cut']}, n_cut {params['n_cut']}, pri_cut {params['pri_cut']})")

    report.heading("Solutions")
    y = evaluate(data, outcome)
    for kind in spec.get("solutions") or ["conservative", "parsimonious"]:
        try:
            sol = minimize(tt, solution=kind, dir_exp=spec.get("dir_exp") if kind == "intermediate"
                           else None)
        except KadError as exc:
            report.text(f"{kind.capitalize()} solution: none ({exc}).")
            continue
        report.code(f"{kind} solution\n{sol.summary()}")
        report.table(f"solution_{kind}", sol.to_frame(), f"{kind.capitalize()} solution: terms "
                     f"with inclS, PRI, covS, covU and the cases they cover")
        for label, tables in (("simplifying assumptions", sol.simplifying_assumptions),
                              ("easy counterfactuals", sol.easy_counterfactuals)):
            for model, table in tables.items():
                if len(table):
                    report.table(f"{kind}_{label.replace(' ', '_')}_{model}", table,
                                 f"{kind.capitalize()} solution {model}: {label}")
        for model in sol.models:
            x = evaluate(data, model.expression)
            fig = _xy_figure(x, y, list(data.index), f"{model.expression}", outcome)
            report.figure(f"xy_{kind}_{model.name}", fig,
                          f"XY plot of the {kind} solution {model.name} against {outcome}")
    common_sections(report, project, spec, len(df))
    return report
