"""What set analysis, regression and clustering each say about every condition, side by side.

:func:`qca_view` runs the set analysis (``kadstudy.sets``) on the same cases: necessity of each
condition and its negation (on the cases that code the condition and the outcome) and the
parsimonious solution (on the cases that code them all). :func:`comparison_table` puts one row per
condition: QCA necessity and the solution terms it appears in, the regression odds ratio with its
interval, and how far the cluster profiles differ on it.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kadstudy.errors import KadError
from kadstudy.numbers import fixed, fmt

if TYPE_CHECKING:
    import pandas as pd

SOLUTIONS = ("conservative", "parsimonious")


def is_set(s: pd.Series) -> bool:
    """Whether a column can be read as set memberships: numeric, every coded value in [0, 1]."""
    import pandas as pd

    from kadstudy.models.frame import is_categorical

    if is_categorical(s):
        return False
    x = pd.to_numeric(s, errors="coerce").dropna()
    return bool(len(x)) and bool(((x >= 0) & (x <= 1)).all())


@dataclass
class QCAView:
    """Necessity per condition, the first minimal model of the solution, and each case's
    membership in its terms (complete cases only)."""

    outcome: str
    conditions: list[str]
    necessity: pd.DataFrame
    terms: list[str] = field(default_factory=list)
    solution_conditions: list[str] = field(default_factory=list)
    expression: str = ""
    cases: list[str] = field(default_factory=list)
    memberships: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)

    def terms_with(self, condition: str) -> list[str]:
        """Solution terms in which ``condition`` appears, each marked present or absent."""
        out = []
        for term in self.terms:
            for lit in term.split("*"):
                name = re.sub(r"\[.*\]$", "", lit.lstrip("~"))
                if name == condition:
                    out.append(f"{term} ({'absent' if lit.startswith('~') else 'present'})")
        return out


def qca_view(df: pd.DataFrame, outcome: str, conditions: Sequence[str], *, incl_cut: float | list[float]
             = 0.8, solution: str = "parsimonious",
             solution_conditions: Sequence[str] | None = None) -> QCAView:
    """Necessity of each of ``conditions`` and the ``solution`` (conservative or parsimonious) of
    ``outcome`` on ``solution_conditions`` (default: the same conditions); conditions that are not
    sets (values outside [0, 1]) are left out with a note."""
    import pandas as pd

    from kadstudy.sets import evaluate, minimize, necessity, truth_table

    if solution not in SOLUTIONS:
        raise KadError(f"solution '{solution}' is not offered here; use one of {', '.join(SOLUTIONS)}")
    notes: list[str] = []
    frame = df.copy()
    frame.index = frame.index.astype(str)
    sets = []
    for c in conditions:
        if c not in frame.columns or not is_set(frame[c]):
            notes.append(f"'{c}' is not a set (membership in [0, 1]); it is left out of the set "
                         f"analysis.")
        else:
            sets.append(c)
    rows = []
    y_ok = frame[outcome].notna()
    for c in sets:
        sub = frame.loc[y_ok & frame[c].notna(), [c, outcome]].astype(float)
        row = {"condition": c, "N": len(sub)}
        if len(sub) and sub[outcome].sum() > 0:
            nec = necessity(sub, outcome, [c]).to_frame()
            row.update(inclN=float(nec.loc[c, "inclN"]), covN=float(nec.loc[c, "covN"]),
                       inclN_negated=float(nec.loc[f"~{c}", "inclN"]))
        rows.append(row)
    nec_table = pd.DataFrame(rows, columns=["condition", "N", "inclN", "covN", "inclN_negated"])
    nec_table = nec_table.set_index("condition")
    view = QCAView(outcome=outcome, conditions=sets, necessity=nec_table, notes=notes)
    if not sets:
        notes.append("No condition is a set: no QCA solution.")
        return view
    if solution_conditions is not None:
        sol_sets = [c for c in solution_conditions if c in frame.columns and is_set(frame[c])]
        notes.extend(f"'{c}' is not a set (membership in [0, 1]); it is left out of the solution."
                     for c in solution_conditions if c not in sol_sets)
        sets = sol_sets
        if not sets:
            notes.append("No solution condition is a set: no QCA solution.")
            return view
    view.solution_conditions = list(sets)
    data = frame.loc[:, [*sets, outcome]].dropna().astype(float)
    dropped = len(frame) - len(data)
    if len(data) < 2:
        notes.append(f"Only {len(data)} case(s) code the outcome and all of {', '.join(sets)}: no "
                     f"QCA solution.")
        return view
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            tt = truth_table(data, outcome, sets, incl_cut=incl_cut)
            sol = minimize(tt, solution=solution)
    except KadError as exc:
        notes.append(f"No {solution} solution on the {len(data)} complete cases: {exc}.")
        return view
    for w in caught:
        notes.append(str(w.message).splitlines()[0])
    model = sol.models[0]
    if len(sol.models) > 1:
        notes.append(f"The {solution} solution has {len(sol.models)} equally minimal models; "
                     f"M1 is used.")
    view.terms = list(model.terms)
    view.expression = model.expression
    view.cases = [str(c) for c in data.index]
    view.memberships = pd.DataFrame({t: evaluate(data, t) for t in model.terms}, index=data.index)
    view.memberships.index.name = "case"
    notes.append(f"{solution.capitalize()} solution on the {len(data)} cases that code the outcome "
                 f"and {', '.join(sets)} ({dropped} left out): {model.expression} -> {outcome} "
                 f"(inclS {fixed(model.inclS)}, covS {fixed(model.covS)}, incl_cut {incl_cut}).")
    return view


def _num(v: object) -> str:
    """An odds ratio or bound with 3 significant digits, ``∞`` when unbounded, empty when missing
    (:mod:`kadstudy.numbers`)."""
    try:
        f = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""
    return fmt(f, "estimate")


def _cell(v: object) -> str:
    """A profile cell: a cluster mean with two decimals (``-`` when missing), or the text as is."""
    if isinstance(v, str):
        return v
    try:
        return fixed(float(v), 2, missing="-")  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "-"


def comparison_table(
    conditions: Sequence[str],
    *,
    qca: QCAView | None = None,
    regression: pd.DataFrame | None = None,
    regression_label: str = "",
    profiles: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per condition: QCA necessity (inclN of the condition and of its negation) and the
    solution terms it appears in; the regression OR with its interval and p (``regression``: a
    table indexed by term with OR, OR_low, OR_high, p, e.g. ``FitResult.table``, and optionally a
    ``model`` column naming the model of each row); and the cluster
    means of the condition with their spread (``profiles`` from :func:`cluster.profiles`)."""
    import pandas as pd

    rows = []
    for c in conditions:
        row: dict[str, object] = {"condition": c}
        if qca is not None:
            nec = qca.necessity
            has = c in nec.index and pd.notna(nec.loc[c].get("inclN"))
            row["QCA inclN"] = float(nec.loc[c, "inclN"]) if has else float("nan")
            row["QCA inclN of ~"] = float(nec.loc[c, "inclN_negated"]) if has else float("nan")
            if not qca.terms:
                row["QCA solution terms"] = ""
            elif c not in qca.solution_conditions:
                row["QCA solution terms"] = "(not a condition of the solution)"
            else:
                row["QCA solution terms"] = "; ".join(qca.terms_with(c)) or "(not in the solution)"
        if regression is not None:
            levels = [t for t in regression.index if str(t).startswith(f"{c}[")]
            row.update({"OR": float("nan"), "OR 95% CI": "", "p": float("nan")})
            if c in regression.index:
                r = regression.loc[c]
                row["OR"] = float(r["OR"])
                if _num(r["OR_low"]) or _num(r["OR_high"]):
                    row["OR 95% CI"] = f"{_num(r['OR_low'])} to {_num(r['OR_high'])}"
                row["p"] = float(r["p"])
            elif levels:  # a categorical condition: one odds ratio per level against the first
                row["OR 95% CI"] = "; ".join(
                    f"{str(t)[len(c) + 1:-1]}: {_num(regression.loc[t, 'OR'])} "
                    f"({_num(regression.loc[t, 'OR_low'])} to {_num(regression.loc[t, 'OR_high'])})"
                    for t in levels)
            if regression_label or "model" in regression.columns:
                first = c if c in regression.index else (levels[0] if levels else None)
                label = (str(regression.loc[first, "model"]) if "model" in regression.columns
                         else regression_label) if first is not None else ""
                row["regression"] = label
        if profiles is not None:
            cols = [k for k in profiles.columns if str(k).startswith("cluster ")]
            row.update({"cluster means": "", "cluster spread": float("nan")})
            if c in profiles.index:
                row["cluster means"] = "; ".join(f"{str(k).removeprefix('cluster ')}: "
                                                 f"{_cell(profiles.loc[c, k])}" for k in cols)
                row["cluster spread"] = float(profiles.loc[c, "spread"])
        rows.append(row)
    table = pd.DataFrame(rows).set_index("condition")
    return table
