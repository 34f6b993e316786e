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
    from matplotlib.figure import Figure

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


def value_label(code: str, values: dict[str, str] | None) -> str:
    """A category for an axis: a numeric code with the short meaning the codebook gives it
    (``"2 = active"``), other values as they are.

    Parameters
    ----------
    code : str
        The value as coded.
    values : dict of str to str, optional
        The codebook's allowed values and their meanings.

    Returns
    -------
    str
        The label.
    """
    meaning = (values or {}).get(code)
    if not meaning or not code.lstrip("-").isdigit():
        return code
    short = meaning.split(" - ")[0].split(";")[0].strip()
    return f"{code} = {short[:40]}"


def _counts_figure(table: pd.DataFrame, label: str, values: dict[str, str] | None) -> Figure:
    """Horizontal bars of the counts, whole-number ticks, codes labelled with their meaning."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    names = [value_label(str(i), values) for i in table.index]
    fig = Figure(figsize=(6.5, 0.35 * len(table) + 1.2))
    ax = fig.subplots()
    ax.barh(names[::-1], table["n"].to_numpy()[::-1], color="#4c72b0")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("forums", fontsize=9)
    ax.tick_params(labelsize=9)
    ax.set_title(label, fontsize=10)
    return fig


#: colours of the missing-data map, in the order of MISSING_LABELS (distinct in lightness too,
#: so they read apart in greyscale)
MISSING_COLORS = ("#4c72b0", "#8c8c8c", "#e6e6e6", "#dd8452")


def _missing_figure(mmap: pd.DataFrame) -> Figure:
    """The forum x variable map of coded and missing values, with a legend."""
    import seaborn as sns
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    codes = mmap.replace({lab: i for i, lab in enumerate(MISSING_LABELS)}).astype(int)
    fig = Figure(figsize=(0.3 * len(mmap.columns) + 2.5, 0.3 * len(mmap) + 2.2))
    ax = fig.subplots()
    sns.heatmap(codes, ax=ax, cmap=list(MISSING_COLORS), vmin=-0.5, vmax=3.5, cbar=False,
                linewidths=0.5, linecolor="white", xticklabels=True, yticklabels=True)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.tick_params(labelsize=8)
    counts = {lab: int((mmap == lab).to_numpy().sum()) for lab in MISSING_LABELS}
    handles = [Patch(facecolor=c, edgecolor="#555555", label=f"{lab.replace('_', ' ')} ({counts[lab]})")
               for lab, c in zip(MISSING_LABELS, MISSING_COLORS, strict=True)]
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=4, fontsize=9,
              frameon=False)
    ax.set_title("Missing-data map (number of values)", fontsize=10, pad=24)
    return fig


def build(project: Project, spec: AnalysisSpec) -> Report:
    """The descriptive report."""
    import pandas as pd

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
        report.figure(f"counts_{var}", _counts_figure(table, label, cb[var].values),
                      f"Forums by {label.lower()}")
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
    report.figure("missing_map", _missing_figure(mmap),
                  "Missing-data map: forum x variable, coloured by coded or the missing code")
    common_sections(report, project, spec, len(df))
    return report
