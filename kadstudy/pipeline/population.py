"""Which coded forums an analysis counts as cases, and how forums a source describes jointly count.

``population:`` chooses the forums (default ``governments``: R4 of the codebook,
:func:`kadstudy.data.rules.is_case`); ``case_groups:`` whether each case group (R6) enters once
(``one_per_group``, the default) or every forum enters (``per_case``, the sensitivity check). What
was chosen, what was dropped and why travels with the frame as ``df.attrs["cases"]`` so every
report can state it in its summary box.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kadstudy.data.rules import is_case

if TYPE_CHECKING:
    import pandas as pd

    from kadstudy.pipeline.spec import AnalysisSpec

POPULATION_TEXT = {
    "governments": "government bodies (membership = governments and stage = body; codebook R4)",
    "bodies": "existing bodies of any membership (stage = body)",
    "all": "every coded forum",
}
GROUP_TEXT = {
    "one_per_group": "one case per case group (forums a source describes jointly, codebook R6): "
                     "a group enters as the mean membership of its members in each fuzzy set and "
                     "the modal value of every other variable (missing on a tie), over the members "
                     "in the population that code it. Why an aggregate and not one named member: one "
                     "passage codes the whole group, so it is one observation; the aggregate keeps "
                     "what each member's coding adds without choosing among them",
    "per_case": "every forum one case (forums of one case group are not independent observations)",
}
R4_VARIABLES = ("membership", "stage")


@dataclass
class CaseInfo:
    """How the analysed frame was made from the dataset."""

    population: str
    case_groups: str
    n_coded: int                                   # forums in the dataset
    dropped: dict[str, list[str]] = field(default_factory=dict)   # reason -> forum ids
    members: dict[str, list[str]] = field(default_factory=dict)   # case -> forum ids behind it
    groups: dict[str, list[str]] = field(default_factory=dict)    # case group -> forum ids

    @property
    def n_forums(self) -> int:
        return sum(len(m) for m in self.members.values())

    def forums_of(self, cases: list[str]) -> int:
        """How many forums stand behind ``cases``."""
        return sum(len(self.members.get(c, [c])) for c in cases)

    def lines(self) -> list[str]:
        """The population and grouping, in words."""
        n_drop = sum(len(v) for v in self.dropped.values())
        why = "; ".join(f"{len(ids)} {reason} ({', '.join(ids)})" for reason, ids in self.dropped.items())
        out = [f"Population: {self.population} = {POPULATION_TEXT[self.population]}: {self.n_forums} "
               f"of {self.n_coded} coded forums" + (f"; {n_drop} dropped: {why}." if n_drop else ".")]
        groups = {g: m for g, m in self.groups.items() if len(m) > 1}
        text = f"Case groups: {self.case_groups} = {GROUP_TEXT[self.case_groups]}."
        if self.case_groups == "one_per_group":
            text += (f" {len(self.members)} cases (groups) from {self.n_forums} forums"
                     + (": " + "; ".join(f"{g} = {len(m)} forums ({', '.join(m)})"
                                         for g, m in groups.items()) if groups else "") + ".")
        elif groups:
            text += (" Groups among the cases: " + "; ".join(f"{g} ({len(m)} forums)"
                                                             for g, m in groups.items()) + ".")
        return [*out, text]


def _reason(membership: object, stage: object, population: str) -> str | None:
    """Why a forum is outside ``population`` (None when it is inside)."""
    m = "" if membership is None or str(membership) in ("<NA>", "nan") else str(membership)
    s = "" if stage is None or str(stage) in ("<NA>", "nan") else str(stage)
    if population == "all":
        return None
    if population == "bodies":
        if not s:
            return "with stage not coded"
        return None if s == "body" else f"{s}s (stage = {s})"
    ok = is_case({"membership": m, "stage": s})
    if ok is None:
        return "with membership or stage not coded"
    if ok:
        return None
    if m != "governments":
        return f"with {m} as members (membership = {m})"
    return f"{s}s (stage = {s})"


def defaults(spec: AnalysisSpec, df: pd.DataFrame) -> tuple[str, str]:
    """The spec's population and case grouping; unset, ``governments`` and ``one_per_group`` when
    the dataset codes R4 and R6 (``membership``, ``stage``, ``case_group``), else ``all`` and
    ``per_case``."""
    pop = spec.get("population") or ("governments" if set(R4_VARIABLES) <= set(df.columns) else "all")
    groups = spec.get("case_groups") or ("one_per_group" if "case_group" in df.columns else "per_case")
    return pop, groups


def apply_population(df: pd.DataFrame, population: str) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """The forums of ``df`` in ``population`` and the others by the reason they are out."""
    dropped: dict[str, list[str]] = {}
    keep = []
    plain = df.copy(deep=False)
    plain.attrs = {}  # rows of a frame carry deep copies of its attrs: iterate without them
    for case, row in plain.iterrows():
        why = _reason(row.get("membership"), row.get("stage"), population)
        keep.append(why is None)
        if why is not None:
            dropped.setdefault(why, []).append(str(case))
    return df[keep], dropped


def group_cases(df: pd.DataFrame, case_groups: str,
                ) -> tuple[pd.DataFrame, dict[str, list[str]], dict[str, list[str]]]:
    """``df`` with one row per case group (``one_per_group``) or unchanged (``per_case``), case ->
    the forum ids behind it, and case group -> its forum ids."""
    from kadstudy.models.groups import collapse_groups, group_members

    single = {str(c): [str(c)] for c in df.index}
    if "case_group" not in df.columns:
        return df, single, single
    groups = group_members(df, df["case_group"])
    if case_groups == "per_case":
        return df, single, groups
    return collapse_groups(df, df["case_group"]), groups, groups


__all__ = ["GROUP_TEXT", "POPULATION_TEXT", "CaseInfo", "apply_population", "defaults", "group_cases"]
