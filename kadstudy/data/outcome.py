"""The outcome set ``durable``, calibrated from the coded outcome components (issue 11).

The dataset codes the components, each cited: the state at each observation (``obs_status``,
``obs2_status``: active, stagnant, ended, replaced), the age at it (``obs_age``, ``obs2_age``; a
note starting "[lower bound]" marks a lower bound) and institutionalisation (``inst_secretariat``,
``inst_budget``, ``inst_legal``). Nobody codes ``durable`` by hand: an analysis calibrates it with
the thresholds of a :class:`DurabilityRule` (its ``durability:`` key; the default below).

The rule, per observation (crisp membership 1, 0, or undecided):

1. stagnant, ended or replaced -> 0 (the forum did not last as a working body);
2. active and at least ``min_age`` years old (an exact age, or a lower bound >= ``min_age``)
   -> 1, provided at least ``institutions`` of the three institutionalisation components are 1;
   when too few are 1 and the missing ones could not make up the number -> 0, else undecided;
3. active and younger than ``min_age`` (an exact age) -> undecided (``young: missing``: it has not
   failed, it is too young to tell) or 0 (``young: out``);
4. anything else (state or age not coded, a lower bound below ``min_age``) -> undecided.

The forum's membership combines its decided observations: ``observations: all`` (default) takes
the lowest (durable only when no observation finds it not durable), ``primary`` the primary one.
Where the observations disagree, :func:`observations` says so (both are kept).

This module reads no files: the frame and the lower bounds are given by the caller.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from kadstudy.data.codings import Coding

OUTCOME = "durable"
STATES = ("active", "stagnant", "ended", "replaced")
INSTITUTIONS = ("inst_secretariat", "inst_budget", "inst_legal")
OBSERVATIONS = {"primary": ("obs_status", "obs_age"), "second": ("obs2_status", "obs2_age")}
#: the variables a dataset must code for ``durable`` to be calibrated from it
COMPONENTS = ("obs_status", "obs_age", *INSTITUTIONS)
LOWER_BOUND = re.compile(r"^(\[class [^\]]*\] )?\[lower bound\]")
YOUNG = ("missing", "out")
COMBINE = ("all", "primary")


@dataclass(frozen=True)
class DurabilityRule:
    """The thresholds of the calibration of ``durable`` (see the module docstring).

    Parameters
    ----------
    min_age : float
        Years since founding an active forum must have reached (default 5: the minimum term
        PP 28/2018 sets for a cooperation secretariat, seed004 L89).
    institutions : int
        How many of secretariat, budget line and legal basis must be coded 1 (0-3; default 0).
    young : str
        An active forum younger than ``min_age``: ``missing`` (undecided, default) or ``out`` (0).
    observations : str
        ``all`` (default: the lowest decided observation) or ``primary``.
    label : str
        A name for the rule in reports.
    """

    min_age: float = 5
    institutions: int = 0
    young: str = "missing"
    observations: str = "all"
    label: str = "default"

    def __post_init__(self) -> None:
        if not (isinstance(self.min_age, int | float) and self.min_age >= 0):
            raise ValueError(f"min_age must be a number >= 0, got {self.min_age!r}")
        if self.institutions not in (0, 1, 2, 3):
            raise ValueError(f"institutions must be 0, 1, 2 or 3, got {self.institutions!r}")
        if self.young not in YOUNG:
            raise ValueError(f"young must be one of {', '.join(YOUNG)}, got {self.young!r}")
        if self.observations not in COMBINE:
            raise ValueError(f"observations must be one of {', '.join(COMBINE)}, got "
                             f"{self.observations!r}")

    @classmethod
    def from_mapping(cls, spec: dict[str, Any] | None, base: DurabilityRule | None = None,
                     ) -> DurabilityRule:
        """A rule from a ``durability:`` mapping (keys as the fields), over ``base``."""
        names = {f.name for f in fields(cls)}
        return replace(base or cls(), **{k: v for k, v in (spec or {}).items() if k in names})

    def describe(self) -> str:
        """The rule in one line."""
        inst = ("no institutionalisation required" if self.institutions == 0 else
                f"at least {self.institutions} of secretariat, budget line, legal basis")
        combine = ("lowest decided observation" if self.observations == "all"
                   else "primary observation only")
        return (f"active and >= {self.min_age:g} years old; {inst}; younger active forums "
                f"{'undecided' if self.young == 'missing' else 'not durable'}; {combine}")


@dataclass(frozen=True, eq=False)
class Calibrated:
    """How ``durable`` was calibrated for a frame (kept in ``df.attrs["durability"]``): the rule
    and the per-observation table of :func:`observations`. Compared by identity, so pandas can
    compare frames' attrs."""

    rule: DurabilityRule
    observations: pd.DataFrame

    def __deepcopy__(self, memo: dict[int, Any]) -> Calibrated:
        return self     # a record, never changed: pandas deep-copies attrs on every operation


def lower_bounds(codings: Iterable[Coding]) -> set[tuple[str, str]]:
    """The (forum, variable) cells whose age is a lower bound (note starts "[lower bound]")."""
    return {c.key for c in codings if c.variable in ("obs_age", "obs2_age") and not c.is_missing
            and LOWER_BOUND.match(c.note)}


def _value(row: Any, var: str) -> Any:
    v = row.get(var) if hasattr(row, "get") else None
    if v is None:
        return None
    try:
        if v != v or str(v) == "<NA>":   # NaN / pd.NA
            return None
    except (TypeError, ValueError):
        return None
    return v


def _institutions(row: Any) -> tuple[int, int]:
    """(components coded 1, components not coded)."""
    values = [_value(row, v) for v in INSTITUTIONS]
    return sum(1 for v in values if v is not None and int(v) == 1), sum(v is None for v in values)


def observation_membership(state: Any, age: Any, lower: bool, inst: tuple[int, int],
                           rule: DurabilityRule) -> tuple[float | None, str]:
    """Membership of one observation in ``durable`` (1.0, 0.0 or None) and why, in words."""
    if state is None or str(state) not in STATES:
        return None, "state not coded"
    state = str(state)
    if state != "active":
        return 0.0, f"{state}"
    if age is None:
        return None, "active, age not coded"
    age = float(age)
    shown = f"{age:g}{'+' if lower else ''} years"
    if age < rule.min_age:
        if lower:
            return None, f"active, {shown} (a lower bound below {rule.min_age:g})"
        if rule.young == "out":
            return 0.0, f"active, {shown} (< {rule.min_age:g}: young counts as not durable)"
        return None, f"active, {shown} (< {rule.min_age:g}: too young to tell)"
    ones, unknown = inst
    if ones >= rule.institutions:
        return 1.0, f"active, {shown}" + (f", {ones} of 3 institutions" if rule.institutions else "")
    if ones + unknown < rule.institutions:
        return 0.0, f"active, {shown}, {ones} of 3 institutions (< {rule.institutions})"
    return None, f"active, {shown}, institutions not coded ({ones} of 3 coded 1)"


def observations(df: pd.DataFrame, rule: DurabilityRule | None = None,
                 lower: set[tuple[str, str]] | frozenset[tuple[str, str]] = frozenset(),
                 ) -> pd.DataFrame:
    """Per forum of ``df`` (indexed by forum id): each observation's state, age, membership and
    reason, the combined membership ``durable`` and whether the observations disagree.

    Parameters
    ----------
    df : pandas.DataFrame
        The wide forum table (``kadstudy.data.load``) with the outcome components.
    rule : DurabilityRule, optional
        The thresholds (default :class:`DurabilityRule()`).
    lower : set of (forum, variable)
        The ages that are lower bounds (:func:`lower_bounds`).
    """
    import pandas as pd

    rule = rule or DurabilityRule()
    rows = []
    plain = df.copy(deep=False)
    plain.attrs = {}  # rows of a frame carry deep copies of its attrs: iterate without them
    for forum, row in plain.iterrows():
        inst = _institutions(row)
        out: dict[str, Any] = {"forum": str(forum)}
        decided = []
        for obs, (svar, avar) in OBSERVATIONS.items():
            state, age = _value(row, svar), _value(row, avar)
            is_lower = (str(forum), avar) in lower
            m, why = observation_membership(state, age, is_lower, inst, rule)
            out[f"{obs} state"] = "" if state is None else str(state)
            out[f"{obs} age"] = "" if age is None else f"{int(age)}{'+' if is_lower else ''}"
            out[f"{obs} membership"] = m
            out[f"{obs} reason"] = why
            if m is not None and (obs == "primary" or rule.observations == "all"):
                decided.append(m)
        out[OUTCOME] = min(decided) if decided else None
        states = {out["primary state"], out["second state"]} - {""}
        members = {out["primary membership"], out["second membership"]} - {None}
        out["disagree"] = len(states) > 1 or len(members) > 1
        rows.append(out)
    frame = pd.DataFrame(rows).set_index("forum")
    for col in ("primary membership", "second membership", OUTCOME):
        frame[col] = frame[col].astype("Float64")
    return frame


def calibrate_durable(df: pd.DataFrame, rule: DurabilityRule | None = None,
                      lower: set[tuple[str, str]] | frozenset[tuple[str, str]] = frozenset(),
                      ) -> pd.Series:
    """Membership of each forum in ``durable`` (1, 0 or missing) by ``rule``; ``lower`` defaults
    to the lower-bound ages :func:`kadstudy.data.load` records in ``df.attrs["lower_bounds"]``."""
    return observations(df, rule, lower or df.attrs.get("lower_bounds", frozenset()))[OUTCOME].rename(OUTCOME)


def can_calibrate(variables: Iterable[str]) -> bool:
    """Whether a dataset with these variables codes the components ``durable`` is made from."""
    return set(COMPONENTS) <= set(variables)


__all__ = [
    "COMPONENTS",
    "INSTITUTIONS",
    "OUTCOME",
    "Calibrated",
    "DurabilityRule",
    "calibrate_durable",
    "can_calibrate",
    "lower_bounds",
    "observation_membership",
    "observations",
]
