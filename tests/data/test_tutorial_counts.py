"""Every count docs/tutorial-kad.rst states, counted again from datasets/kad_forums/forums.csv with
plain pandas (the raw text of the file, none of kadstudy's loading, population or grouping code),
so a change to the data or the code that moves a number the tutorial prints fails here as well as
in the tutorial's doctest. The tutorial's sentences are quoted beside each check."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from tests.conftest import REPO

TUTORIAL = (REPO / "docs" / "tutorial-kad.rst").read_text(encoding="utf-8")
PROSE = " ".join(TUTORIAL.split())          # the text with its line breaks as spaces


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    return pd.read_csv(REPO / "datasets" / "kad_forums" / "forums.csv", dtype=str,
                       keep_default_na=False).set_index("forum_id")


def number(value: str) -> float | None:
    return float(value) if value != "" else None


def observation(status: str, age: str) -> float | None:
    """The default rule (min_age 5, young undecided): active and at least 5 years old -> 1; stagnant,
    ended or replaced -> 0; anything else (active but younger or undated, not coded) undecided."""
    if status in ("stagnant", "ended", "replaced"):
        return 0.0
    if status == "active" and age != "" and float(age) >= 5:
        return 1.0
    return None


def durable(row: pd.Series) -> float | None:
    """A forum takes its lowest decided observation."""
    decided = [m for m in (observation(row["obs_status"], row["obs_age"]),
                           observation(row["obs2_status"], row["obs2_age"])) if m is not None]
    return min(decided) if decided else None


@pytest.fixture(scope="module")
def with_durable(raw) -> pd.DataFrame:
    return raw.assign(durable=[durable(r) for _, r in raw.iterrows()])


def governments(raw: pd.DataFrame) -> pd.DataFrame:
    return raw[(raw["membership"] == "governments") & (raw["stage"] == "body")]


def test_forums_and_scope(raw):
    """'The 45 forums' ... (45, {'foreign': 24, 'domestic': 21})"""
    assert "The 45 forums" in PROSE and "(45, {'foreign': 24, 'domestic': 21})" in TUTORIAL
    assert len(raw) == 45 and raw.index.is_unique
    assert (raw["scope"] == "foreign").sum() == 24 and (raw["scope"] == "domestic").sum() == 21
    assert (raw["country"] == "IDN").sum() == 21          # the domestic forums are the Indonesian ones
    assert set(raw.index[raw["scope"] == "domestic"]) == set(raw.index[raw["country"] == "IDN"])


def test_durable_decided_and_in(with_durable):
    """(11, 9): forums with a decided membership in durable, and in it."""
    assert "(11, 9)" in TUTORIAL
    d = with_durable["durable"]
    assert (d.notna().sum(), (d == 1).sum()) == (11, 9)


def test_government_bodies_and_case_groups(raw):
    """33 government bodies (R4: membership = governments and stage = body); 23 cases when the
    forums of one case group count once."""
    assert re.search(r">>> len\(cases\)\n33\n", TUTORIAL) and re.search(r">>> len\(grouped\)\n23\n", TUTORIAL)
    gov = governments(raw)
    assert len(gov) == 33
    assert gov["case_group"].replace("", pd.NA).fillna(pd.Series(gov.index, index=gov.index)).nunique() == 23


def test_three_cases_code_all_three_sets(with_durable):
    """'Only three cases code all three sets, and one of them is the Japanese associations, counted
    once (three of the six are government bodies ...)'; its inclusion (0 + 1 + 0.33) /
    (0.33 + 1 + 0.33) = 0.801 and coverage (0 + 1 + 0.33) / 2 = 0.665. A group codes a set when a
    member in the population codes it, with the members' mean."""
    assert "Only three cases code all three sets" in PROSE
    gov = governments(with_durable)
    sets = pd.DataFrame({"legal_umbrella": gov["legal_umbrella"].map(number),
                         "central_support": gov["central_support"].map(number),
                         "durable": gov["durable"]}, index=gov.index).astype(float)
    grouped = sets.groupby(gov["case_group"]).mean().dropna()
    assert sorted(grouped.index) == ["barlingmascakeb", "japan_associations", "kartamantul"]
    assert "three of the six are government bodies" in PROSE
    assert (with_durable["case_group"] == "japan_associations").sum() == 6       # six associations
    assert (gov["case_group"] == "japan_associations").sum() == 3                # three of governments
    x = grouped[["legal_umbrella", "central_support"]].min(axis=1)
    y = grouped["durable"]
    incl, cov = x.clip(upper=y).sum() / x.sum(), x.clip(upper=y).sum() / y.sum()
    assert (round(incl, 3), round(cov, 3)) == (0.801, 0.665)
    assert "[[0.801, 0.665, ['japan_associations']]]" in TUTORIAL


def test_regression_n_and_smaller_class(with_durable):
    """'With nine forums and two in the smaller outcome class' (d.n = 9): every coded forum with
    legal_umbrella coded and durable decided (listwise deletion)."""
    assert re.search(r">>> d\.n\n9\n", TUTORIAL) and "nine forums and two in the smaller" in PROSE
    both = with_durable[(with_durable["legal_umbrella"] != "") & with_durable["durable"].notna()]
    assert len(both) == 9
    assert min((both["durable"] == 1).sum(), (both["durable"] == 0).sum()) == 2
    assert "(2 in the smaller outcome class / 1 parameter)" in TUTORIAL
