"""The outcome components of the KAD forums (issue 11): each observation kept and cited, ages and
states read by hand from the source lines; `durable` itself is calibrated by the analyses
(tests/data/test_durability.py)."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from kadstudy.data import Dataset
from kadstudy.data.codings import Coding
from kadstudy.data.validate import LOWER_BOUND, check_codings
from tests.conftest import REPO

FOLDER = REPO / "datasets" / "kad_forums"


@pytest.fixture(scope="module")
def rows() -> dict[tuple[str, str], Coding]:
    return {c.key: c for c in Dataset(FOLDER).codings()}


def _v(rows, forum, var):
    return rows[(forum, var)].value


@pytest.mark.parametrize(("forum", "obs_year", "state", "age"), [
    # seed001 L2783 interview 12 Oktober 2006; SKB 'nomor 16 tahun 2003' (L2668-2678): 3 years;
    # operating, 'telah berhasil melakukan beberapa upaya dasar' (L2734-2736).
    ("barlingmascakeb", "2006", "active", "3"),
    # seed001 L2443-2445 (11 Oktober 2006); joint decree of 2001 (L2572-2575): 5 years; a success (L2518).
    ("kartamantul", "2006", "active", "5"),
    # seed001 2006; declaration of 26 June 2002 (L2857-2859): 4 years.
    ("javapromo", "2006", "active", "4"),
    # seed001 L1622 'Sejak NATaT didirikan tahun 1976': 30 years at 2006.
    ("natat", "2006", "active", "30"),
    # seed001 L2321 'sejak akhir tahun 1980-an': at least 2006 - 1989 = 17 (a lower bound).
    ("pawonsari", "2006", "active", "17"),
])
def test_primary_observation_read_by_hand(rows, forum, obs_year, state, age):
    assert (_v(rows, forum, "obs_year"), _v(rows, forum, "obs_status"), _v(rows, forum, "obs_age")) == (
        obs_year, state, age)


def test_samota_is_stagnant_and_undated(rows):
    # seed004 L53: 'hanya masih sebatas sharing APBD, dan tiap daerah hanya menjalankan fungsinya
    # sendiri-sendiri'; relayed from Muhaidi (2015), so the year is not an observation year.
    assert _v(rows, "samota", "obs_status") == "stagnant"
    assert rows[("samota", "obs_year")].is_missing and rows[("samota", "obs_age")].is_missing


def test_second_observations_are_kept(rows):
    # Barlingmascakeb: seed004 L103-105 (relaying Harsanto 2012) - outputs 'sangat rendah', outcomes
    # 'belum dapat memberikan hasil', a new autonomous institution recommended: stagnant, undated.
    assert _v(rows, "barlingmascakeb", "obs2_status") == "stagnant"
    assert rows[("barlingmascakeb", "obs2_status")].source == "seed004"
    assert rows[("barlingmascakeb", "obs2_year")].missing == "ambiguous"
    # Kartamantul: seed003 L9 'lebih dari satu dekade' - still active, at least 10 years, undated.
    assert _v(rows, "kartamantul", "obs2_status") == "active"
    assert _v(rows, "kartamantul", "obs2_age") == "10"
    assert LOWER_BOUND.match(rows[("kartamantul", "obs2_age")].note)
    # No other source observes any forum a second time.
    second = {f for (f, v), c in rows.items() if v == "obs2_status" and c.missing != "not_applicable"}
    assert second == {"barlingmascakeb", "kartamantul"}


# Secretariat, office or staff named: seed001 L3054-3056 (Kartamantul), L2726-2730 (Barlingmascakeb),
# L3205-3209 (Javapromo), L3167-3171 (Komwil VI), L228 (Sekber Pawonsari), L1738-1740 (SALGA's CEO),
# L1880-1883 (the INTA Secretariat), L1779-1781 (AMF's 9 departments).
SECRETARIAT = {"kartamantul", "barlingmascakeb", "javapromo", "komwil_vi_apeksi_adeksi", "pawonsari",
               "salga", "inta", "amf"}


def test_institutionalisation(rows):
    forums = {f for f, _ in rows}
    assert {f for f in forums if _v(rows, f, "inst_secretariat") == "1"} == SECRETARIAT
    assert not any(_v(rows, f, "inst_secretariat") == "0" for f in forums)  # no source states none
    for f in forums:
        assert (_v(rows, f, "inst_legal") == "1") == (not rows[(f, "legal_basis")].is_missing), f
        assert _v(rows, f, "inst_budget") == _v(rows, f, "fund_members"), f


def test_durable_is_not_coded_by_hand(rows):
    # issue 11: the outcome is calibrated from the components by each analysis
    # (kadstudy.data.outcome, tests/data/test_durability.py), never a coded value.
    assert not any(v == "durable" for _, v in rows)


def test_validator_refuses_a_state_against_the_status(tmp_path: Path):
    copy = tmp_path / "kad_forums"
    shutil.copytree(FOLDER, copy)
    ds = Dataset(copy)
    cb, codings = ds.codebook(), ds.codings()
    wrong_state = [replace(c, value="stagnant") if c.key == ("kartamantul", "obs_status") else c
                   for c in codings]
    assert any("contradicts status 3" in p.message for p in check_codings(wrong_state, cb, "x.csv"))
    wrong_age = [replace(c, value="7") if c.key == ("javapromo", "obs_age") else c for c in codings]
    assert any("is not obs_year 2006 - founded 2002" in p.message
               for p in check_codings(wrong_age, cb, "x.csv"))
