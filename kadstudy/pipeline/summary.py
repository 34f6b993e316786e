"""The summary box at the top of every case-based report (N, case groups, outcome known, countries,
"not estimable") and the ``summary.json`` the index page reads."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from kadstudy.pipeline.spec import AnalysisSpec
    from kadstudy.report.render import Report


def countries(df: pd.DataFrame, cases: list[str]) -> dict[str, int]:
    """Country -> number of ``cases`` (by the ``country`` column; "?" where it is missing), in
    the order IDN first, then by name."""
    if "country" not in df.columns:
        return {}
    values = df["country"].astype("string")
    values.index = values.index.astype(str)
    out: dict[str, int] = {}
    for case in cases:
        v = values.get(case)
        key = "?" if v is None or str(v) == "<NA>" else str(v)
        out[key] = out.get(key, 0) + 1
    return dict(sorted(out.items(), key=lambda kv: (kv[0] != "IDN", kv[0])))


def country_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{c} {n}" for c, n in counts.items()) or "none"


def n_groups(df: pd.DataFrame, cases: list[str]) -> int:
    """How many case groups the ``cases`` belong to."""
    info = df.attrs.get("cases")
    if info is None or info.case_groups == "one_per_group":
        return len(set(cases))
    group_of = {f: g for g, members in info.groups.items() for f in members}
    return len({group_of.get(c, c) for c in cases})


def case_summary(report: Report, spec: AnalysisSpec, df: pd.DataFrame, analysed: list[str],
                 outcome: str | None, what: str, not_estimable: str | None = None,
                 extra: list[str] | None = None) -> dict[str, Any]:
    """Put the summary box on ``report``: the population and grouping (``df.attrs["cases"]``), N
    (``analysed``: the cases that enter, described by ``what``), the case groups behind them, how
    many cases code ``outcome``, their countries, and "not estimable" with its reason."""
    info = df.attrs.get("cases")
    cases = [str(c) for c in df.index]
    forums = info.forums_of(analysed) if info is not None else len(analysed)
    groups = n_groups(df, analysed)
    known = int(df[outcome.lstrip("~")].notna().sum()) if outcome and outcome.lstrip("~") in df.columns \
        else None
    by_country = countries(df, analysed)
    lines = []
    if not_estimable:
        lines.append(f"NOT ESTIMABLE: {not_estimable}. The sections below that need a model are "
                     "left out; this is a finding about the data, not an error.")
    lines.append(f"N = {len(analysed)} cases ({forums} forums in {groups} case groups) {what}.")
    if known is not None:
        lines.append(f"Outcome {outcome.lstrip('~')} known for {known} of the {len(cases)} cases in the "
                     "population.")
    lines.append(f"Countries of the analysed cases: {country_text(by_country)}"
                 + ("; no Indonesian (IDN) forum among them." if analysed and "IDN" not in by_country
                    else "."))
    if info is not None:
        lines += info.lines()
    lines += extra or []
    data: dict[str, Any] = {
        "analysis": spec.name, "n": len(analysed), "forums": forums, "groups": groups,
        "countries": by_country, "estimable": not_estimable is None,
        "not_estimable": not_estimable or "",
        "outcome": outcome.lstrip("~") if outcome else "", "outcome_known": known,
        "cases_in_population": len(cases),
        "population": info.population if info is not None else "",
        "case_groups": info.case_groups if info is not None else "",
    }
    report.summary(lines, data)
    return data


__all__ = ["case_summary", "countries", "country_text", "n_groups"]
