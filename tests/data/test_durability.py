"""The calibrated outcome ``durable`` (kadstudy.data.outcome, issue 11).

Expected memberships are worked by hand from the components in datasets/kad_forums/codings.csv
and the rule in the codebook comment above the outcome (and the module docstring):

=============== ========================== ======================= ======================
forum           primary (obs_status, age)  second (obs2_*)          inst sec/budget/legal
=============== ========================== ======================= ======================
barlingmascakeb active, 3 (seed001 L2668)  stagnant (seed004 L103)  1 / 1 / 1
kartamantul     active, 5 (seed001 L2572)  active, 10+ (seed003 L9) 1 / 1 / 1
javapromo       active, 4 (seed001 L2857)  none                     1 / 1 / 1
natat           active, 30 (seed001 L1622) none                     - / - / -
pawonsari       active, 17+ (L2321)        none                     1 / - / -
nga_japan       active, 17+ (L1578-1584)   none                     - / 1 / 1
samota          stagnant (seed004 L53)     none                     - / 1 / -
salga           active, age not stated     none                     1 / 1 / 1
=============== ========================== ======================= ======================
(+ marks a lower bound; - not coded)
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kadstudy.data import load
from kadstudy.data.dataset import Dataset
from kadstudy.data.outcome import DurabilityRule, calibrate_durable, lower_bounds, observations
from tests.conftest import REPO

FOLDER = REPO / "datasets" / "kad_forums"
NA = None


@pytest.fixture(scope="module")
def kad() -> tuple[pd.DataFrame, set[tuple[str, str]]]:
    return load(str(FOLDER)), lower_bounds(Dataset(FOLDER).codings())


def _member(kad, rule: DurabilityRule) -> dict[str, float | None]:
    df, lower = kad
    s = calibrate_durable(df, rule, lower)
    return {f: (None if pd.isna(v) else float(v)) for f, v in s.items()}


FORUMS = ["barlingmascakeb", "kartamantul", "javapromo", "natat", "pawonsari", "nga_japan", "samota",
          "salga"]


@pytest.mark.parametrize(("rule", "expected"), [
    # default: 3 and 4 years are too young to tell; barlingmascakeb's second observation is stagnant
    # -> 0; lower bounds 17+ and 10+ reach 5; salga's age is not stated -> undecided
    (DurabilityRule(), [0, 1, NA, 1, 1, 1, 0, NA]),
    # age >= 3: barlingmascakeb's primary observation becomes 1, its second stays 0 -> lowest 0;
    # javapromo (4) becomes 1
    (DurabilityRule(min_age=3), [0, 1, 1, 1, 1, 1, 0, NA]),
    # age >= 10: kartamantul's primary (5) is too young, its second (10+) decides -> 1
    (DurabilityRule(min_age=10), [0, 1, NA, 1, 1, 1, 0, NA]),
    # age >= 20: the lower bounds 17+ and 10+ no longer decide; natat (30) still 1
    (DurabilityRule(min_age=20), [0, NA, NA, 1, NA, NA, 0, NA]),
    # young active forums count as not durable (the earlier coding): javapromo 0
    (DurabilityRule(young="out"), [0, 1, 0, 1, 1, 1, 0, NA]),
    # primary observation only: barlingmascakeb's 3 years decide nothing
    (DurabilityRule(observations="primary"), [NA, 1, NA, 1, 1, 1, 0, NA]),
    (DurabilityRule(min_age=3, observations="primary"), [1, 1, 1, 1, 1, 1, 0, NA]),
    # one institution: natat codes none of the three (could still be) -> undecided
    (DurabilityRule(institutions=1), [0, 1, NA, NA, 1, 1, 0, NA]),
    # all three: only kartamantul codes all three; pawonsari (1 of 1 coded) and nga_japan (2 of 2
    # coded) are undecided; samota stays 0 because it is stagnant
    (DurabilityRule(institutions=3), [0, 1, NA, NA, NA, NA, 0, NA]),
])
def test_memberships_worked_by_hand(kad, rule, expected):
    got = _member(kad, rule)
    assert [got[f] for f in FORUMS] == expected


def test_the_two_observations_that_exist_are_kept_and_compared(kad):
    df, lower = kad
    obs = observations(df, DurabilityRule(), lower)
    # barlingmascakeb: active at 3 years in 2006 (seed001), stagnant in seed004: they disagree
    assert obs.loc["barlingmascakeb", "primary state"] == "active"
    assert obs.loc["barlingmascakeb", "second state"] == "stagnant"
    assert bool(obs.loc["barlingmascakeb", "disagree"])
    # kartamantul: active both times, 5 and 10+ years: no disagreement
    assert obs.loc["kartamantul", "second age"] == "10+"
    assert not bool(obs.loc["kartamantul", "disagree"])
    assert set(obs.index[obs["disagree"]]) == {"barlingmascakeb"}


def test_too_few_institutions_is_not_durable() -> None:
    # a hand-made forum: active, 12 years, secretariat and budget stated absent (0), legal missing
    df = pd.DataFrame({"obs_status": ["active"], "obs_age": [12], "obs2_status": [None],
                       "obs2_age": [None], "inst_secretariat": [0], "inst_budget": [0],
                       "inst_legal": [None]}, index=pd.Index(["f"], name="forum_id"))
    assert pd.isna(calibrate_durable(df, DurabilityRule(institutions=1))["f"])  # legal could be 1
    assert calibrate_durable(df, DurabilityRule(institutions=2))["f"] == 0    # at most 1 of 2
    assert calibrate_durable(df, DurabilityRule(institutions=0))["f"] == 1


def test_bad_thresholds_are_refused() -> None:
    with pytest.raises(ValueError, match="institutions must be 0, 1, 2 or 3"):
        DurabilityRule(institutions=4)
    with pytest.raises(ValueError, match="young must be one of missing, out"):
        DurabilityRule(young="maybe")


QCA = ("kind: qca\ntitle: t\ndataset: kad_forums\noutcome: durable\n"
       "conditions: [legal_umbrella, central_support]\nincl_cut: 0.8\n")


def _spec(tmp_path: Path, text: str):
    from kadstudy.pipeline.spec import read_spec

    path = tmp_path / "analyses" / "probe.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return read_spec(path, "analyses/probe.yaml", root=REPO)


def test_the_analysis_calibrates_with_its_thresholds(tmp_path: Path) -> None:
    from kadstudy.pipeline.graph import Project
    from kadstudy.pipeline.kinds import load_cases

    df = load_cases(Project(REPO), _spec(tmp_path, QCA + "case_groups: per_case\n"))
    assert pd.isna(df.loc["javapromo", "durable"])
    df = load_cases(Project(REPO), _spec(tmp_path, QCA + "case_groups: per_case\n"
                                         "durability: {min_age: 3}\n"))
    assert df.loc["javapromo", "durable"] == 1
    rule, obs = df.attrs["durability"].rule, df.attrs["durability"].observations
    assert rule.min_age == 3 and "barlingmascakeb" in obs.index


@pytest.mark.parametrize(("text", "message"), [
    ("durability: {min_age: -2}\n", "key 'durability.min_age': expected a number >= 0, got -2"),
    ("durability: {institutions: 5}\n",
     "key 'durability.institutions': expected a whole number from 0 to 3, got 5"),
    ("durability: {alternatives: [{label: a, min_age: 3}, {label: a, min_age: 10}]}\n",
     "label 'a' is used twice"),
    ("durability: {min_agee: 3}\n", "did you mean 'min_age'?"),
])
def test_spec_errors_are_one_line(tmp_path: Path, text: str, message: str) -> None:
    from kadstudy.pipeline.spec import SpecError

    with pytest.raises(SpecError) as err:
        _spec(tmp_path, QCA + text)
    assert message in str(err.value) and len(str(err.value).splitlines()) == 1
    assert str(err.value).startswith("analyses/probe.yaml: key 'durability")


def test_load_records_the_lower_bound_ages_the_calibration_needs():
    """A notebook outside a project calibrates from data.load's frame alone: the default ``lower``
    is what load recorded, so the result equals the explicit call with the codings' lower bounds."""
    from kadstudy import data
    from kadstudy.data.outcome import DurabilityRule, calibrate_durable, lower_bounds

    df = data.load("kad_forums")
    explicit = lower_bounds(data.Dataset.named("kad_forums").codings())
    assert explicit and df.attrs["lower_bounds"] == frozenset(explicit)
    rule = DurabilityRule(min_age=5)
    pd.testing.assert_series_equal(calibrate_durable(df, rule), calibrate_durable(df, rule, explicit))
