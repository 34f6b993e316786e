"""``reports/index.html``: one page linking every analysis report, with each report's N, case
groups, outcome known and whether it is estimable (from the ``summary.json`` the report wrote)."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from kadstudy.pipeline.spec import AnalysisSpec
from kadstudy.report.render import CSS


def summary_cell(summary: Mapping[str, Any] | None) -> str:
    """One line of caveats for a report: N, forums, case groups, outcome known, countries, not
    estimable (empty when the report wrote no summary)."""
    if not summary:
        return ""
    parts = [f"N = {summary['n']} ({summary['forums']} forums, {summary['groups']} case groups)"]
    if summary.get("outcome") and summary.get("outcome_known") is not None:
        parts.append(f"{summary['outcome']} known for {summary['outcome_known']} of "
                     f"{summary['cases_in_population']}")
    if summary.get("countries"):
        parts.append(", ".join(f"{c} {n}" for c, n in summary["countries"].items()))
    if "solutions" in summary:
        sols = summary["solutions"]
        parts.append("; ".join(f"{k}: {v}" for k, v in sols.items()) if sols else "no solution")
    if summary.get("population"):
        parts.append(f"population {summary['population']}, {summary['case_groups']}")
    if not summary.get("estimable", True):
        parts.insert(0, f"NOT ESTIMABLE: {summary['not_estimable']}")
    if summary.get("synthetic"):
        parts.insert(0, "SYNTHETIC data")
    return "; ".join(parts)


def index_html(specs: list[AnalysisSpec], summaries: Mapping[str, Mapping[str, Any]] | None = None,
               ) -> str:
    """The index page: each analysis with its kind, dataset, caveats and a link to its report."""
    e = html.escape
    summaries = summaries or {}
    rows = "\n".join(
        f'<tr><td><a href="{e(s.name)}/report.html">{e(s.name)}</a></td><td>{e(s.title)}</td>'
        f"<td>{e(summary_cell(summaries.get(s.name)))}</td>"
        f"<td>{e(s.kind)}</td><td>{e(s.dataset)}</td></tr>" for s in specs)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>kadstudy reports</title><style>{CSS}</style></head><body>\n"
        "<h1>kadstudy reports</h1>\n<p>Every report is rebuilt from the shipped datasets by "
        "<code>kadstudy run</code>; see each page for its parameters and how to reproduce it. "
        "The cases column gives what each finding rests on: N (the cases that enter), the forums "
        "and case groups behind them (forums a source describes jointly form one group), how many "
        "cases code the outcome, their countries, and the population.</p>\n"
        "<table><thead><tr><th>analysis</th><th>title</th><th>cases</th><th>kind</th>"
        f"<th>dataset</th></tr></thead><tbody>\n{rows}\n</tbody></table>\n</body></html>\n"
    )
