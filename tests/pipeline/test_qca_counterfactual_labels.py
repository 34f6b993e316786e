"""The qca report labels counterfactuals as R QCA does: the parsimonious models' simplifying
assumptions are not presented as the intermediate solution's; an intermediate solution with no
easy counterfactual is said to rest on none (it equals the conservative solution)."""

from __future__ import annotations

import pandas as pd

from kadstudy.pipeline.kinds.qca import _counterfactual_tables
from kadstudy.sets import minimize


class _Recorder:
    def __init__(self) -> None:
        self.tables: dict[str, str] = {}
        self.texts: list[str] = []

    def table(self, name: str, df: pd.DataFrame, caption: str, digits: int = 3) -> None:
        self.tables[name] = caption

    def text(self, text: str) -> None:
        self.texts.append(text)


def _durability_like() -> pd.DataFrame:
    """Two conditions, rows 11 (OUT 1) and 00 (OUT 0) observed, 10 and 01 remainders: the
    parsimonious solution A covers remainder 10 (row 3); expecting A and B present, the
    conservative A*B keeps B (expected), so 10 is a difficult counterfactual, none is easy."""
    return pd.DataFrame({"A": [1, 1, 0], "B": [1, 1, 0], "Y": [1, 1, 0]}, index=["p", "q", "r"])


def test_intermediate_with_no_easy_counterfactual_is_labelled_as_such():
    sol = minimize(_durability_like(), "Y", solution="intermediate", dir_exp="A=1,B=1")
    # a parsimonious solution is ambiguous here (A or B); both pairs have no easy counterfactual
    assert [m.terms for m in sol.models] == [["A*B"]] * len(sol.models)
    rec = _Recorder()
    _counterfactual_tables(rec, "intermediate", sol)
    assert not any("simplifying_assumptions" in name for name in rec.tables)
    assert all(name.startswith("intermediate_difficult_counterfactuals_") for name in rec.tables)
    assert rec.tables and all("not used" in cap for cap in rec.tables.values())
    assert rec.texts and all("no easy counterfactual" in t and "equals the conservative" in t
                             for t in rec.texts)


def test_parsimonious_assumptions_keep_their_label():
    sol = minimize(_durability_like(), "Y", solution="parsimonious")
    rec = _Recorder()
    _counterfactual_tables(rec, "parsimonious", sol)
    assert set(rec.tables) == {f"parsimonious_simplifying_assumptions_{m.name}"
                               for m in sol.models}
    rec = _Recorder()
    _counterfactual_tables(rec, "conservative", minimize(_durability_like(), "Y"))
    assert rec.tables == {} and rec.texts == []
