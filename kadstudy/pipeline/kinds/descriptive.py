"""Descriptive analysis of a coded dataset: counts by variable, outcome cross-tabs, missing-data map."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kadstudy.errors import KadError
from kadstudy.pipeline.kinds import common_sections, load_cases
from kadstudy.pipeline.summary import case_summary
from kadstudy.report.render import Report
from kadstudy.schema.analysis import CaseAnalysis
from kadstudy.schema.fields import VarName, VarNames

if TYPE_CHECKING:
    import pandas as pd

    from kadstudy.pipeline.graph import Project
    from kadstudy.pipeline.spec import AnalysisSpec

MISSING_LABELS = ("coded", "not_stated", "not_applicable", "ambiguous")

class SCHEMA(CaseAnalysis):
    """The keys of a ``kind: descriptive`` analysis file."""

    by: VarNames
    outcome: VarName = None


def counts(df: pd.DataFrame, var: str, sep: str = "; ") -> pd.DataFrame:
    """Number of cases per value of ``var``; a multi-valued variable counts each listed value."""
    import pandas as pd

    col = df[var].astype("string")
    values = col.dropna().str.split(sep).explode()
    table = values.value_counts().rename("n").rename_axis(var).reset_index()
    table = table.sort_values(["n", var], ascending=[False, True]).set_index(var)
    missing = int(col.isna().sum())
    if missing:
        table = pd.concat([table, pd.DataFrame({"n": [missing]}, index=pd.Index(["(missing)"],
                                                                                name=var))])
    return table


def missing_map(df: pd.DataFrame) -> pd.DataFrame:
    """Forum x variable: 'coded' or the missing code of each value."""
    import pandas as pd

    codes = df.attrs.get("missing", {})
    data = {var: [("coded" if not pd.isna(df.at[f, var]) else codes.get((f, var), "not_stated"))
                  for f in df.index] for var in df.columns}
    return pd.DataFrame(data, index=df.index)


def build(project: Project, spec: AnalysisSpec) -> Report:
    """The descriptive report."""
    import pandas as pd
    from matplotlib.figure import Figure

    df = load_cases(project, spec)
    report = Report(spec.title)
    outcome = spec.get("outcome")
    case_summary(report, spec, df, [str(c) for c in df.index], outcome, "are described")
    if spec.get("description"):
        report.text(spec.get("description"))
    for var in [*spec.get("by"), *([outcome] if outcome else [])]:
        if var not in df.columns:
            raise KadError(f"{spec.path}: key 'by': unknown variable '{var}' in dataset '{spec.dataset}'")
    cb = df.attrs["codebook"]
    report.heading("Counts")
    for var in spec.get("by"):
        table = counts(df, var)
        label = cb[var].label_en
        report.table(f"counts_{var}", table, f"Forums by {label.lower()} (n = {len(df)})")
        fig = Figure(figsize=(6, 0.35 * len(table) + 1))
        ax = fig.subplots()
        ax.barh([str(i) for i in table.index][::-1], table["n"].to_numpy()[::-1], color="#4c72b0")
        ax.set_xlabel("forums")
        ax.set_title(label)
        report.figure(f"counts_{var}", fig, f"Forums by {label.lower()}")
        if outcome and var != outcome:
            sub = df[[var, outcome]].astype("string").fillna("(missing)")
            sub[var] = sub[var].str.split("; ")
            long = sub.explode(var).reset_index(drop=True)
            tab = pd.crosstab(long[var], long[outcome])
            tab.index.name = var
            tab.columns = [f"{outcome}={c}" for c in tab.columns]
            report.table(f"crosstab_{var}_{outcome}", tab, f"{label} by outcome {outcome}")
    report.heading("Missing data")
    mmap = missing_map(df)
    summary = pd.DataFrame({lab: (mmap == lab).sum() for lab in MISSING_LABELS})
    summary.index.name = "variable"
    report.table("missing_summary", summary, "Coded and missing values per variable, with the reason")
    import seaborn as sns

    codes = mmap.replace({lab: i for i, lab in enumerate(MISSING_LABELS)}).astype(int)
    fig = Figure(figsize=(0.32 * len(mmap.columns) + 2, 0.25 * len(mmap) + 1.5))
    ax = fig.subplots()
    palette = ["#4c72b0", "#dddddd", "#f2f2f2", "#dd8452"]
    sns.heatmap(codes, ax=ax, cmap=palette, vmin=-0.5, vmax=3.5, cbar=False, linewidths=0.5,
                linecolor="white", xticklabels=True, yticklabels=True)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.tick_params(labelsize=7)
    ax.set_title("Missing-data map (blue coded, grey not stated / not applicable, orange ambiguous)",
                 fontsize=9)
    report.figure("missing_map", fig, "Missing-data map: forum x variable")
    common_sections(report, project, spec, len(df))
    return report
