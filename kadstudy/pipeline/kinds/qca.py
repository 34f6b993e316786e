"""QCA analysis of a coded dataset: calibration, necessity, truth table, solutions, XY plots, and
optionally a skewness check, rows excluded from the simplifying assumptions (Enhanced Standard
Analysis), a theory evaluation, sensitivity ranges, a robustness test, cluster diagnostics and
case types."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from kadstudy import numbers
from kadstudy.errors import KadError
from kadstudy.pipeline.kinds import common_sections, load_cases
from kadstudy.pipeline.summary import case_summary, countries, country_text, n_groups
from kadstudy.report.render import Report
from kadstudy.schema.analysis import Calibrations, CaseAnalysis
from kadstudy.schema.fields import (
    Bool,
    Count,
    DirExp,
    InclCut,
    Of,
    Outcome,
    SetNames,
    Solutions,
    UnitNumber,
    is_count,
    is_incl_cut,
    is_select,
    is_text,
    is_unit_number,
)

if TYPE_CHECKING:
    import pandas as pd

    from kadstudy.pipeline.graph import Project
    from kadstudy.pipeline.spec import AnalysisSpec

SET_TYPES = ("fuzzy", "binary")
#: conditions (or negations) with at least this inclN get a necessity XY plot
NECESSITY_PLOT_INCL = 0.9
SENSITIVITY_KEYS = ("parameters", "steps", "max_steps")
ROBUSTNESS_KEYS = ("label", "calibrate", "incl_cut", "n_cut", "pri_cut", "select", "drop")


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def is_sensitivity(v: Any) -> str | None:
    """``true``/``false``, or ``{parameters: [...], steps: {parameter: step}, max_steps: n}``."""
    expected = ("true, false or a mapping with keys parameters (list of names), steps "
                "(parameter -> positive number), max_steps (whole number >= 1)")
    if isinstance(v, bool):
        return None
    if not isinstance(v, dict) or set(v) - set(SENSITIVITY_KEYS):
        return expected
    params = v.get("parameters", ["incl_cut"])
    steps = v.get("steps", {})
    ok = (isinstance(params, list) and params and all(isinstance(x, str) and x for x in params)
          and isinstance(steps, dict)
          and all(isinstance(k, str) and _is_number(x) and x > 0 for k, x in steps.items())
          and is_count(v.get("max_steps", 1)) is None)
    return None if ok else expected


def _alternative_problem(item: Any) -> str | None:
    if not isinstance(item, dict) or not item:
        return "a mapping"
    unknown = sorted(str(k) for k in set(item) - set(ROBUSTNESS_KEYS))
    if unknown:
        return f"unknown key '{unknown[0]}' (keys: {', '.join(ROBUSTNESS_KEYS)})"
    if not set(item) - {"label"}:
        return "at least one of " + ", ".join(ROBUSTNESS_KEYS[1:])
    checks = {
        "label": is_text,
        "incl_cut": is_incl_cut,
        "n_cut": is_count,
        "pri_cut": is_unit_number,
        "select": lambda x: None if x == {} else is_select(x),
        "drop": lambda x: None if isinstance(x, list) and x and all(isinstance(c, str) and c for c in x)
        else "a list of case ids",
        "calibrate": lambda x: None if isinstance(x, dict) and x and all(
            isinstance(k, str) and isinstance(t, list) and t and all(_is_number(n) for n in t)
            for k, t in x.items()) else "a mapping of calibrated set -> list of thresholds",
    }
    for key, value in item.items():
        expected = checks[key](value)
        if expected:
            return f"{key} {expected}"
    return None


def is_robustness(v: Any) -> str | None:
    """A list of alternative specifications, each overriding some of calibrate (thresholds),
    incl_cut, n_cut, pri_cut, select ({} for every case) and drop (case ids), with a label."""
    expected = ("a list of alternative specifications, each a mapping of " + ", ".join(ROBUSTNESS_KEYS))
    if not isinstance(v, list) or not v:
        return expected
    labels = []
    for i, item in enumerate(v, 1):
        problem = _alternative_problem(item)
        if problem:
            return f"{expected} (item {i}: {problem})"
        labels.append(item.get("label", f"alternative {i}"))
    dup = [x for x in labels if labels.count(x) > 1]
    if dup:
        return f"{expected} (label '{dup[0]}' is used twice)"
    return None


def is_exclude(v: Any) -> str | None:
    """Row numbers and/or expressions of remainders to keep out of the minimisation."""
    ok = isinstance(v, list) and v and all(
        (isinstance(x, int) and not isinstance(x, bool) and x >= 1) or (isinstance(x, str) and x.strip())
        for x in v)
    return None if ok else "a list of truth table row numbers and/or expressions, e.g. [3, 'a*~b']"


def is_theory(v: Any) -> str | None:
    """A theory's expression, e.g. ``'a*~b + c'``."""
    return None if isinstance(v, str) and v.strip() else "an expression, e.g. theory: 'a*~b + c'"


def is_skewness(v: Any) -> str | None:
    """``true``, or ``{extreme: x}`` with 0 <= x < 0.5 (default 0.2: flag outside 20-80 %)."""
    if v is True or v is False:
        return None
    if (isinstance(v, dict) and set(v) == {"extreme"} and _is_number(v["extreme"])
            and 0 <= v["extreme"] < 0.5):
        return None
    return "true, or a mapping {extreme: x} with 0 <= x < 0.5 (e.g. 0.2 flags shares outside 20-80 %)"


def is_clusters(v: Any) -> str | None:
    """A variable name, or ``{by: variable, unit: variable}``."""
    if isinstance(v, str) and v.strip():
        return None
    if (isinstance(v, dict) and isinstance(v.get("by"), str) and v["by"]
            and not set(v) - {"by", "unit"} and isinstance(v.get("unit", "x"), str) and v.get("unit", "x")):
        return None
    return "a variable name, or a mapping {by: variable, unit: variable}"


class SCHEMA(CaseAnalysis):
    """The keys of a ``kind: qca`` analysis file."""

    outcome: Outcome
    conditions: SetNames
    calibrate: Calibrations = None
    incl_cut: InclCut
    n_cut: Count = None
    pri_cut: UnitNumber = None
    solutions: Solutions = None
    dir_exp: DirExp = None
    drop_missing: Bool = None
    skewness: Of(is_skewness) = None
    exclude: Of(is_exclude) = None
    theory: Of(is_theory) = None
    sensitivity: Of(is_sensitivity) = None
    robustness: Of(is_robustness) = None
    clusters: Of(is_clusters) = None
    case_types: Bool = None
    strict: Bool = None


def set_data(df: pd.DataFrame, spec: AnalysisSpec, min_cases: int = 2,
             ) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Memberships of every condition and the outcome, the raw values behind calibrated sets,
    and the cases dropped for a missing value. Raises a one-line error for unusable variables
    (and when fewer than ``min_cases`` cases remain)."""
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
        if name in frame.columns and len(frame):
            frame[name] = calibrate(frame[name].to_numpy(), how["thresholds"], type=how["type"],
                                    name=name)
    if len(frame) < min_cases:
        raise KadError(f"{spec.path}: fewer than two cases have all of "
                       f"{', '.join(frame.columns)}; code more values or drop a condition")
    frame.index = frame.index.astype(str)
    frame.index.name = "case"
    return frame, raw_frame, dropped


def build(project: Project, spec: AnalysisSpec) -> Report:
    """The QCA report."""
    import pandas as pd

    from kadstudy.sets import minimize, necessity, truth_table
    from kadstudy.sets.errors import collect_warnings
    from kadstudy.sets.plot import calibration_curve, venn, xy_plot

    df = load_cases(project, spec)
    data, raw, dropped = set_data(df, spec, min_cases=0)
    outcome = spec.get("outcome")
    conditions = list(spec.get("conditions"))
    report = Report(spec.title)
    why = not_estimable(data, outcome)
    if why and spec.get("strict"):
        raise KadError(f"{spec.path}: not estimable: {why} (key 'strict' is true)")
    what = f"code the outcome {outcome} and all conditions ({', '.join(conditions)})"
    case_summary(report, spec, df, list(data.index), outcome, what, why)
    if spec.get("description"):
        report.text(spec.get("description"))
    report.heading("Cases")
    report.text(f"{len(data)} cases enter the analysis."
                + (f" Dropped for a missing value in the outcome or a condition: "
                   f"{', '.join(dropped)}." if dropped else ""))
    report.table("set_memberships", data, "Set memberships of the cases (after calibration)")
    durable = "durability" in df.attrs and outcome.lstrip("~") == "durable"
    if durable:
        from kadstudy.pipeline.durability import observations_section

        observations_section(report, df)
    if why:
        report.text(f"Not estimable: {why}. No truth table or solution is computed.")
        if durable:
            from kadstudy.pipeline.durability import sensitivity_section

            sensitivity_section(report, project, spec, df)
        common_sections(report, project, spec, len(df))
        return report

    calib = spec.get("calibrate") or {}
    if calib:
        report.heading("Calibration")
        for name, how in calib.items():
            table = pd.DataFrame({"raw": raw[name], name: data[name]}, index=data.index)
            report.table(f"calibration_{name}", table, f"Calibration of {name} from {how['from']}")
            ax = calibration_curve(raw[name], data[name], how["thresholds"], type=how["type"],
                                   name=name, raw_name=f"raw value ({how['from']})",
                                   cases=list(data.index), labels=True)
            report.figure(f"calibration_{name}", ax.figure,
                          f"Calibration of {name} from {how['from']}: raw values against "
                          f"memberships, anchors {how['thresholds']} marked")

    if spec.get("skewness"):
        _skewness_section(report, spec, data, conditions)

    report.heading("Necessity")
    nec = necessity(data, outcome, conditions)
    candidates = nec.to_frame()
    report.table("necessity", candidates, f"Necessity of each condition and its negation for "
                 f"{outcome} (inclN, RoN, covN)")
    for term in candidates.index[(candidates["inclN"] >= NECESSITY_PLOT_INCL).to_numpy()]:
        ax = xy_plot(str(term), outcome, data, relation="necessity",
                     title=f"{term} necessary for {outcome}?")
        report.figure(f"xy_necessity_{str(term).replace('~', 'not_')}", ax.figure,
                      f"XY plot of {term} against {outcome} (inclN >= {NECESSITY_PLOT_INCL}: a "
                      f"candidate necessary condition), with inclN, RoN and covN")

    report.heading("Truth table")
    params = {"incl_cut": spec.get("incl_cut"), "n_cut": spec.get("n_cut", 1),
              "pri_cut": spec.get("pri_cut", 0.0)}
    tt, messages = collect_warnings(lambda: truth_table(data, outcome, conditions, **params), Warning)
    for message in messages:
        report.note(message)
    report.table("truth_table", tt.to_frame().assign(cases=lambda f: f["cases"].map(",".join)),
                 f"Truth table for {outcome} "
                 f"(incl_cut {params['incl_cut']}, n_cut {params['n_cut']}, pri_cut {params['pri_cut']})")
    if spec.get("exclude"):
        tt = _exclude_section(report, spec, tt)

    report.heading("Solutions")
    solutions: dict[str, Any] = {}
    for kind in spec.get("solutions") or ["conservative", "parsimonious"]:
        try:
            sol = minimize(tt, solution=kind, dir_exp=spec.get("dir_exp") if kind == "intermediate"
                           else None)
        except KadError as exc:
            report.text(f"{kind.capitalize()} solution: none ({exc}).")
            continue
        solutions[kind] = sol
        cases = list(data.index)
        report.note(f"{kind.capitalize()} solution from N = {len(data)} cases ({n_groups(df, cases)} case "
                    f"groups); countries: {country_text(countries(df, cases))}.")
        report.code(f"{kind} solution\n{sol.summary()}")
        report.table(f"solution_{kind}", _solution_frame(sol), f"{kind.capitalize()} solution: terms "
                     f"with inclS, PRI, covS, covU and the cases they cover")
        _country_coverage(report, kind, sol, data, df, outcome)
        _counterfactual_tables(report, kind, sol)
        for model in sol.models:
            ax = xy_plot(model.expression, outcome, data,
                         title=f"{kind.capitalize()} solution {model.name}: "
                               f"{model.expression} -> {outcome}")
            report.figure(f"xy_{kind}_{model.name}", ax.figure,
                          f"XY plot of the {kind} solution {model.name} against {outcome}, "
                          f"with inclS, PRI and covS")
            if len(conditions) <= 7 and not tt.multivalue:
                report.figure(f"venn_{kind}_{model.name}", venn(sol, model).figure,
                              f"Venn diagram of the truth table of {outcome}: one set per "
                              f"condition, regions filled by the row's OUT, labelled with the "
                              f"number of cases; hatched: covered by the {kind} solution "
                              f"{model.name}")
    _solution_lines(report, spec, solutions, data, df)
    if solutions and spec.get("theory"):
        _theory_section(report, spec, data, solutions)
    if solutions and (spec.get("sensitivity") or spec.get("robustness")):
        frame, initial = _robustness_inputs(project, spec, data)
        if spec.get("sensitivity"):
            _sensitivity_section(report, spec, frame, initial, solutions)
        if spec.get("robustness"):
            _robustness_section(report, spec, frame, initial, solutions)
    if durable:
        from kadstudy.pipeline.durability import sensitivity_section

        sensitivity_section(report, project, spec, df)
    if solutions and spec.get("clusters"):
        _cluster_section(report, spec, df, data, solutions)
    if solutions and spec.get("case_types"):
        _case_types_section(report, spec, data, solutions)
    common_sections(report, project, spec, len(df))
    return report


def not_estimable(data: pd.DataFrame, outcome: str) -> str | None:
    """Why a QCA of ``data`` (the cases coding the outcome and every condition) cannot be run:
    fewer than two cases, or one outcome class (every case in, or every case out of, the outcome)."""
    from kadstudy.sets import evaluate

    if len(data) < 2:
        return (f"fewer than two cases code the outcome and all conditions ({len(data)}: "
                f"{', '.join(data.index) or 'none'})")
    y = evaluate(data, outcome)
    if (y > 0.5).all() or (y < 0.5).all():
        side = "in" if (y > 0.5).all() else "out of"
        return f"one outcome class: all {len(data)} cases are {side} {outcome}"
    return None


def country_coverage(data: pd.DataFrame, countries_of: pd.Series, model: Any, outcome: str,
                     ) -> pd.DataFrame:
    """Per term of ``model`` and for the model as a whole: per country, how many of that
    country's cases it covers (membership > 0.5 in the term and in the outcome), with their ids."""
    import pandas as pd

    from kadstudy.sets import evaluate

    y = evaluate(data, outcome)
    order = sorted(dict.fromkeys(countries_of.tolist()), key=lambda c: (c != "IDN", c))
    rows = []
    for label, expr in [*((t, t) for t in model.terms), (f"{model.name} (solution)", model.expression)]:
        x = evaluate(data, expr)
        covered = [c for c, xi, yi in zip(data.index, x, y, strict=True) if xi > 0.5 and yi > 0.5]
        row: dict[str, Any] = {"model": model.name, "term": label}
        for country in order:
            n_all = int((countries_of == country).sum())
            row[f"{country} (of {n_all})"] = sum(countries_of[c] == country for c in covered)
        row["cases covered"] = ", ".join(f"{c} ({countries_of[c]})" for c in covered) or "none"
        rows.append(row)
    return pd.DataFrame(rows)


def _solution_frame(sol: Any) -> pd.DataFrame:
    """The report's table of a solution: ``Solution.to_frame()`` with the model's name and the
    cases as text, grouped by truth table row (``a,b; c``)."""
    terms = [(m, t) for m in sol.models for t in m.term_measures]
    return sol.to_frame().assign(model=[m.name for m, _ in terms],
                                 cases=["; ".join(",".join(g) for g in t.cases) for _, t in terms])


def _country_coverage(report: Report, kind: str, sol: Any, data: pd.DataFrame, df: pd.DataFrame,
                      outcome: str) -> None:
    import pandas as pd

    if "country" in df.columns:
        col = df["country"].astype("string").fillna("?")
        col.index = col.index.astype(str)
        of = col.reindex(data.index).fillna("?").astype(str)
    else:
        of = pd.Series("?", index=data.index)
    tables = [country_coverage(data, of, m, outcome) for m in sol.models]
    table = pd.concat(tables, ignore_index=True).fillna(0)
    report.table(f"solution_{kind}_countries", table,
                 f"{kind.capitalize()} solution: the cases each term covers (membership > 0.5 in the "
                 f"term and in {outcome}), by country", default="count")
    n_idn = int((of == "IDN").sum())
    solution_rows = table[table["term"].str.endswith("(solution)")]
    idn_col = f"IDN (of {n_idn})"
    if n_idn == 0:
        report.text(f"The {kind} solution rests on no Indonesian forum: none is among the analysed cases.")
    elif (solution_rows[idn_col] == 0).all():
        report.text(f"The {kind} solution covers no Indonesian forum: none of the {n_idn} Indonesian "
                    f"cases analysed is in a solution term and in {outcome}.")


def _solution_lines(report: Report, spec: AnalysisSpec, solutions: dict[str, Any],
                    data: pd.DataFrame, df: pd.DataFrame) -> None:
    """Each solution (or its absence) in the summary box, with the countries it covers."""
    from kadstudy.sets import evaluate

    y = evaluate(data, spec.get("outcome"))
    of = countries(df, list(data.index))
    at = 1 + next((i for i, line in enumerate(report.summary_lines) if line.startswith("Countries")),
                  len(report.summary_lines) - 1)
    if not solutions:
        report.summary_lines.insert(at, (
            f"No solution: no configuration of {', '.join(spec.get('conditions'))} is consistently "
            f"sufficient for {spec.get('outcome')} (no truth table row reaches incl_cut "
            f"{spec.get('incl_cut')})."))
        report.summary_data["solutions"] = {}
        return
    found = {}
    for kind, sol in solutions.items():
        model = sol.models[0]
        x = evaluate(data, model.expression)
        covered = [c for c, xi, yi in zip(data.index, x, y, strict=True) if xi > 0.5 and yi > 0.5]
        by = countries(df, covered)
        idn = "" if by.get("IDN") else (f"; it covers no Indonesian forum (of {of.get('IDN', 0)} "
                                        "analysed)")
        found[kind] = model.expression
        report.summary_lines.insert(at + len(found) - 1, (
            f"{kind.capitalize()} solution {model.expression} -> {spec.get('outcome')}"
            + (f" ({len(sol.models)} models)" if len(sol.models) > 1 else "")
            + f": covers {country_text(by)}{idn}."))
    report.summary_data["solutions"] = found


def _counterfactual_tables(report: Report, kind: str, sol: Any) -> None:
    """The remainders a solution rests on, labelled as R QCA does: the simplifying assumptions
    (``$SA``) of each parsimonious model, and for an intermediate solution the easy and difficult
    counterfactuals of each conservative x parsimonious pair (``$i.sol$C1P1$EC``, ``$DC``). The
    parsimonious models' assumptions are not the intermediate solution's: it uses easy ones only."""
    if kind == "parsimonious":
        for model, table in sol.simplifying_assumptions.items():
            if len(table):
                report.table(f"parsimonious_simplifying_assumptions_{model}", table,
                             f"Parsimonious solution {model}: simplifying assumptions (the "
                             "remainders it covers)")
    if kind != "intermediate":
        return
    for key, easy in sol.easy_counterfactuals.items():
        pars = "P" + key.split("P", 1)[1]
        if len(easy):
            report.table(f"intermediate_easy_counterfactuals_{key}", easy,
                         f"Intermediate solution {key}: easy counterfactuals (the simplifying "
                         f"assumptions of parsimonious model {pars} that agree with the "
                         "directional expectations; the only remainders it may use)")
        else:
            report.text(f"Intermediate solution {key}: no easy counterfactual, so it rests on no "
                        "simplifying assumption and equals the conservative solution.")
        difficult = sol.difficult_counterfactuals.get(key)
        if difficult is not None and len(difficult):
            report.table(f"intermediate_difficult_counterfactuals_{key}", difficult,
                         f"Intermediate solution {key}: difficult counterfactuals (simplifying "
                         f"assumptions of parsimonious model {pars} that contradict the "
                         "directional expectations; not used)")


# ---------------------------------------------------------------------------- robustness and diagnostics


def _robustness_inputs(project: Project, spec: AnalysisSpec, data: pd.DataFrame) -> tuple[pd.DataFrame, Any]:
    """Every case of the dataset (before ``select``) with the columns the specifications use: the
    memberships of uncalibrated sets, the raw values of calibrated ones and the ``select``
    variables; and the initial specification (its solution type is set per section)."""
    import numpy as np
    import pandas as pd

    from kadstudy.sets import Calibration, Specification, set_memberships

    full = load_cases(project, replace(spec, params={k: v for k, v in spec.params.items()
                                                      if k != "select"}))
    calib: dict[str, dict[str, Any]] = spec.get("calibrate") or {}
    outcome_name = spec.get("outcome").lstrip("~")
    columns: dict[str, Any] = {}
    for name in [*spec.get("conditions"), outcome_name]:
        source = calib[name]["from"] if name in calib else name
        columns[source] = full[source].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    alternatives = spec.get("robustness") or []
    selects = [spec.get("select") or {}] + [a.get("select") or {} for a in alternatives]
    for i, sel in enumerate(selects):
        for var in sel:
            if var not in full.columns:
                where = "select" if i == 0 else f"robustness': item {i}: 'select"
                raise KadError(f"{spec.path}: key '{where}': unknown variable '{var}' in dataset "
                               f"'{spec.dataset}'")
            columns.setdefault(var, full[var].astype("string").to_numpy(dtype=object, na_value=None))
    frame = pd.DataFrame(columns, index=full.index.astype(str))
    initial = Specification(
        spec.get("outcome"), tuple(spec.get("conditions")), incl_cut=spec.get("incl_cut"),
        n_cut=spec.get("n_cut", 1), pri_cut=spec.get("pri_cut", 0.0),
        dir_exp=spec.get("dir_exp"),
        calibrate={n: Calibration(h["from"], tuple(h["thresholds"]), h["type"]) for n, h in calib.items()},
        select=spec.get("select") or {}, label="initial")
    check = set_memberships(frame, initial)
    if list(check.index) != list(data.index):  # pragma: no cover - the same rules as set_data
        raise KadError(f"{spec.path}: the robustness data do not reproduce the analysed cases")
    return frame, initial


def _sensitivity_section(report: Report, spec: AnalysisSpec, frame: pd.DataFrame, initial: Any,
                         solutions: dict[str, Any]) -> None:
    import pandas as pd

    from kadstudy.parallel import engine_for
    from kadstudy.sets import sensitivity

    opts = spec.get("sensitivity")
    opts = opts if isinstance(opts, dict) else {}
    report.heading("Sensitivity ranges")
    report.text(
        "For each parameter, the others held at their values, the range of values over which the "
        "solution (the set of models, each compared as a Boolean expression) stays the one above "
        "(SetMethods rob.inclrange, rob.ncutrange, rob.calibrange). incl_cut, n_cut, pri_cut and "
        "crisp thresholds have exact ranges: the solution can only change where a truth table row "
        "changes side, that is at the rows' incl values (incl_cut), sizes n (n_cut), PRI values "
        "(pri_cut) or at the cases' raw values (crisp thresholds); '(' excludes a bound, '[' "
        "includes it. Fuzzy calibration anchors are scanned on a grid and each change located by "
        "bisection (≈). The grid columns give the outermost grid values with the same solution "
        "(incl_cut and pri_cut in steps of 0.01, n_cut of 1, anchors of 1/50 of the raw range); "
        "'below' and 'above' give the solution just outside the range.")
    parts = []
    for kind in solutions:
        try:
            res = sensitivity(frame, replace(initial, solution=kind), parameters=opts.get("parameters"),
                              **engine_for(spec).kwargs(),
                              steps=opts.get("steps"), max_steps=opts.get("max_steps", 100))
        except KadError as exc:
            raise KadError(f"{spec.path}: key 'sensitivity': {exc}") from None
        table = res.to_frame(digits=3).reset_index()
        table.insert(0, "solution type", kind)
        table["initial"] = [numbers.parameter(v) for v in table["initial"]]
        parts.append(table.drop(columns=["low", "high"]))
    report.table("sensitivity", pd.concat(parts, ignore_index=True),
                 "Sensitivity ranges: the values of each parameter that keep the solution",
                 default="measure")


def _robustness_specs(spec: AnalysisSpec, initial: Any, frame: pd.DataFrame) -> list[Any]:
    tests = []
    calibrated = initial.calibrations
    for i, alt in enumerate(spec.get("robustness"), 1):
        unknown = [c for c in alt.get("drop", []) if c not in frame.index]
        if unknown:
            raise KadError(f"{spec.path}: key 'robustness': item {i}: unknown case '{unknown[0]}' in "
                           f"drop; case ids are the forum ids of dataset '{spec.dataset}'")
        test = replace(initial, label=alt.get("label", f"alternative {i}"))
        for name, thresholds in (alt.get("calibrate") or {}).items():
            if name not in calibrated:
                raise KadError(f"{spec.path}: key 'robustness': item {i}: '{name}' is not calibrated; "
                               f"calibrated sets: {', '.join(calibrated) or 'none'}")
            test = test.with_thresholds(name, thresholds)
        if "incl_cut" in alt:
            test = replace(test, incl_cut=alt["incl_cut"])
        if "n_cut" in alt:
            test = replace(test, n_cut=alt["n_cut"])
        if "pri_cut" in alt:
            test = replace(test, pri_cut=alt["pri_cut"])
        if "select" in alt:
            test = replace(test, select=alt["select"])
        if "drop" in alt:
            test = replace(test, drop=tuple(alt["drop"]))
        tests.append(test)
    return tests


def _robustness_section(report: Report, spec: AnalysisSpec, frame: pd.DataFrame, initial: Any,
                        solutions: dict[str, Any]) -> None:
    import pandas as pd

    from kadstudy.parallel import engine_for
    from kadstudy.sets import robustness_test
    from kadstudy.sets.plot import robustness_plot

    report.heading("Robustness test")
    report.text(
        "The initial solution (IS) against the solutions of the alternative specifications below "
        "(the test set, TS), as in Oana & Schneider's robustness test protocol (SetMethods rob.fit, "
        "rob.cases, rob.xyplot). TS_min is the intersection of all test solutions and TS_max their "
        "union; the robust core RC = IS*TS_min is what every specification agrees on, the maximal "
        "envelope ENV = IS + TS_max what any of them finds. RF_cov = covS(RC)/covS(IS), RF_cons = "
        "inclS(IS)/inclS(RC), RF_SC_minTS = Σmin(IS,TS_min)/Σmax(IS,TS_min), RF_SC_maxTS likewise "
        "with TS_max; 1 means the test set does not change the finding. Every solution is evaluated "
        "on the cases and memberships of the initial specification; a solution with several models "
        "is represented by its first.")
    spec_rows: pd.DataFrame | None = None
    fits, params, cases, figures, notes = [], [], [], [], []
    for kind, _ in solutions.items():
        init = replace(initial, solution=kind)
        tests = [replace(t, solution=kind) for t in _robustness_specs(spec, initial, frame)]
        try:
            res = robustness_test(frame, init, tests, **engine_for(spec).kwargs())
        except KadError as exc:
            raise KadError(f"{spec.path}: key 'robustness': {exc}") from None
        sf = res.specs_frame()
        if spec_rows is None:
            spec_rows = sf[["specification", "changes", "cases"]].copy()
        spec_rows[f"{kind} solution"] = sf["solution"]
        for part, rows in ((fits, res.fit_frame()), (params, res.parameters_frame()),
                           (cases, res.cases_frame())):
            rows.insert(0, "solution type", kind)
            part.append(rows)
        notes += [f"{kind.capitalize()} solution: {note}." for note in res.notes]
        figures.append((f"robustness_{kind}", robustness_plot(res, frame).figure,
                        f"Robustness of the {kind} solution: each case's membership in the "
                        f"solution of every specification (evaluated on the initial cases), in "
                        f"TS_min, TS_max, the robust core RC and the outcome"))
    assert spec_rows is not None
    for note in notes:
        report.note(note)
    report.table("robustness_specifications", spec_rows,
                 "The initial and the alternative specifications with their solutions")
    report.table("robustness_sets", pd.concat(fits, ignore_index=True),
                 "Initial solution, test-set intersection and union, robust core and maximal "
                 "envelope, with inclS, PRI and covS")
    report.table("robustness_fit", pd.concat(params, ignore_index=True),
                 "Robustness fit parameters and robust case ratios")
    report.table("robustness_cases", pd.concat(cases, ignore_index=True),
                 "Cases by robustness type (membership > 0.5 in the intersection named)")
    for name, fig, caption in figures:
        report.figure(name, fig, caption)


def _cluster_section(report: Report, spec: AnalysisSpec, df: pd.DataFrame, data: pd.DataFrame,
                     solutions: dict[str, Any]) -> None:
    import pandas as pd

    from kadstudy.sets import cluster

    opt = spec.get("clusters")
    by, unit = (opt, None) if isinstance(opt, str) else (opt["by"], opt.get("unit"))
    labels = {}
    for key, var in (("by", by), ("unit", unit)):
        if var is None:
            continue
        if var not in df.columns:
            raise KadError(f"{spec.path}: key 'clusters': unknown variable '{var}' in dataset "
                           f"'{spec.dataset}'")
        values = df[var].astype("string")
        values.index = values.index.astype(str)
        labels[key] = values.reindex(data.index)
    missing = [c for c in data.index if any(pd.isna(v[c]) for v in labels.values())]
    keep = [c for c in data.index if c not in missing]
    report.heading("Cluster diagnostics")
    report.text(
        f"The cases pooled across the values of '{by}'"
        + (f", units '{unit}'" if unit else ", each case its own unit")
        + " (Garcia-Castro & Ariño 2016; SetMethods cluster()). Pooled consistency and coverage are "
        "over all cases; between consistency and coverage over the cases of each cluster; within "
        "consistency and coverage over the observations of each unit. dBP and dWP are the Euclidean "
        "distances of the between (within) consistencies, as shares of their sum, from equal shares: "
        "0 when every cluster (unit) is equally consistent; dBP_cov and dWP_cov the same for "
        "coverage. A value is undefined (empty) where the expression (or the outcome, for coverage) "
        "has no membership.")
    if missing:
        report.note(f"Left out for a missing value of {by if not unit else f'{by} or {unit}'}: "
                    f"{', '.join(missing)}.")
    if not keep:
        report.text("No case has a cluster label.")
        return
    sub = data.loc[keep]
    tables, dists = [], []
    for kind, sol in solutions.items():
        res = cluster(sub, sol.models[0], spec.get("outcome"), labels["by"].loc[keep],
                      labels["unit"].loc[keep] if unit else None)
        long, dist = res.to_frame(), res.distances_frame()
        long.insert(0, "solution type", kind)
        dist.insert(0, "solution type", kind)
        tables.append(long)
        dists.append(dist)
    report.table("cluster_distances", pd.concat(dists, ignore_index=True),
                 f"Pooled consistency and coverage and the distances between and within clusters of '{by}'")
    report.table("cluster_diagnostics", pd.concat(tables, ignore_index=True),
                 "Consistency and coverage pooled, between clusters and within units, per term "
                 "(first model of each solution)")


def _case_types_section(report: Report, spec: AnalysisSpec, data: pd.DataFrame,
                        solutions: dict[str, Any]) -> None:
    import pandas as pd

    from kadstudy.sets import case_types

    report.heading("Case types")
    report.text(
        "Cases typed for set-theoretic multi-method research (Schneider & Rohlfing 2013; SetMethods "
        "smmr) by their membership X in a term or the solution (first model) and Y in the outcome: "
        "typical X > 0.5, Y > 0.5, X <= Y (uniquely covered: in no other term); deviant consistency "
        "in degree X > 0.5, Y > 0.5, X > Y; deviant consistency in kind X > 0.5, Y < 0.5; deviant "
        "coverage: in no term, Y > 0.5; individually irrelevant: in no term, Y < 0.5; 'in another "
        "term': outside this term but inside another. Cases with a membership of exactly 0.5 are not "
        "typed.")
    summaries = []
    for kind, sol in solutions.items():
        ct = case_types(data, sol.models[0], spec.get("outcome"))
        summary = ct.summary()
        summary.insert(0, "solution type", kind)
        summaries.append(summary)
        report.table(f"case_types_{kind}", ct.to_frame(),
                     f"{kind.capitalize()} solution ({sol.models[0].expression}): memberships and "
                     f"type of each case")
    report.table("case_types", pd.concat(summaries, ignore_index=True),
                 "Case types per term and for the solution, with the cases named")


def _skewness_section(report: Report, spec: AnalysisSpec, data: pd.DataFrame,
                      conditions: list[str]) -> None:
    from kadstudy.sets import skewness
    from kadstudy.sets.skew import DEFAULT_EXTREME

    opt = spec.get("skewness")
    extreme = opt.get("extreme", DEFAULT_EXTREME) if isinstance(opt, dict) else DEFAULT_EXTREME
    outcome = str(spec.get("outcome")).lstrip("~").strip()
    names = [c for c in conditions if c != outcome] + [outcome]
    try:
        res = skewness(data, names, extreme=extreme)
    except KadError as exc:
        raise KadError(f"{spec.path}: key 'skewness': {exc}") from None
    report.heading("Skewness")
    report.text(
        f"Share of cases with a membership above 0.5 in each set (SetMethods skew.check()). A set "
        f"is flagged when the share is below {100 * extreme:g} % or above {100 * (1 - extreme):g} %: "
        "a bound chosen by this package (key skewness: {extreme: x}); the literature warns against "
        "skewed sets without fixing a number (see kadstudy.sets.skew).")
    report.table("skewness", res.to_frame(), "Cases above 0.5 per set and whether the set is skewed")
    if res.flagged:
        report.note(f"Skewed sets: {', '.join(res.flagged)}.")


def _exclude_section(report: Report, spec: AnalysisSpec, tt: Any) -> Any:
    from kadstudy.sets import exclude_rows
    from kadstudy.sets.errors import collect_warnings
    from kadstudy.sets.esa import find_rows_frame

    try:
        new, messages = collect_warnings(lambda: exclude_rows(tt, list(spec.get("exclude"))))
    except KadError as exc:
        raise KadError(f"{spec.path}: key 'exclude': {exc}") from None
    report.heading("Excluded rows (Enhanced Standard Analysis)")
    for message in messages:
        report.note(message)
    if not new.excluded:
        report.text("No row matches the key 'exclude': every row it names is observed or absent, "
                    "so the simplifying assumptions are unchanged.")
        return new
    frame = find_rows_frame(tt, {1: sorted(new.excluded)}).drop(columns=["type"])
    frame["reason"] = [new.excluded[r] for r in frame.index]
    report.text("These rows are kept out of the simplifying assumptions (coded OUT = 0 for the "
                "minimisation, as R QCA's minimize(exclude = ...) and SetMethods' esa()).")
    report.table("excluded_rows", frame, "Truth table rows excluded from the minimisation, and why")
    return new


def _theory_section(report: Report, spec: AnalysisSpec, data: pd.DataFrame,
                    solutions: dict[str, Any]) -> None:
    import pandas as pd

    from kadstudy.sets import theory_evaluation
    from kadstudy.sets.theory import CASE_GROUPS, INTERSECTIONS

    theory = spec.get("theory")
    report.heading("Theory evaluation")
    report.text(
        f"The theory T = {theory} against each solution S (its first model): the four "
        "intersections T*S, ~T*S, T*~S and ~T*~S, their fit for the outcome and the cases in each "
        "(membership above 0.5), as SetMethods' theory.evaluation() (Schneider & Wagemann 2012, 11.3).")
    fits, groups = [], []
    for kind, sol in solutions.items():
        try:
            te = theory_evaluation(data, theory, sol)
        except KadError as exc:
            raise KadError(f"{spec.path}: key 'theory': {exc}") from None
        fit = te.fit.loc[list(INTERSECTIONS)].reset_index()
        fit.insert(0, "solution type", kind)
        fit.insert(2, "expression", [te.expressions[k] for k in INTERSECTIONS])
        fits.append(fit)
        for key, inter, side in CASE_GROUPS:
            groups.append({"solution type": kind, "group": key, "intersection": inter,
                           "outcome": side, "cases": ", ".join(te.cases[key])})
    report.table("theory_fit", pd.concat(fits, ignore_index=True),
                 f"Intersections of the theory {theory} with each solution: Boolean expression, "
                 "inclS, PRI and covS")
    report.table("theory_cases", pd.DataFrame(groups),
                 "Cases in each intersection, among those in the outcome (Y > 0.5) and out of it")
