"""The codebook's coding rules R1-R6 (issue 11), checked against the coded KAD forums.

Expected sets and values are read by hand from the seed texts (line numbers as `cat -n` counts
them), never from the codings: the tests fail if a rule is applied to some forums of a class and
not to others, if an observation year cites a passage about another forum, or if 0 and not_stated
are mixed up.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from kadstudy.data import Dataset
from kadstudy.data.codings import Coding
from kadstudy.data.rules import basis, certainty, is_case
from kadstudy.data.validate import normalize, read_sources
from tests.conftest import REPO

FOLDER = REPO / "datasets" / "kad_forums"

# R1 classes, read from seed001:
#   L1384-1396 global cooperation: SCI, OICC, WLA, UCLG;
#   L1410-1426 regional cooperation: Energy City, KIN, CEMR, ATO, UBC;
#   L1517-1525 MCE covers all of Europe; L1527-1535 INTA (international, L1827-1834).
#   L2180-2184: for these organisations at the global and regional level the MoU is the only basis.
GLOBAL_REGIONAL = {
    "sister_cities_international": "Sister Cities International", "oicc": "OICC", "wla": "WLA",
    "uclg": "UCLG", "energy_city": "Energy City", "kitakyushu_initiative": "Kitakyushu",
    "cemr": "CEMR", "arab_town_organisation": "Arab Town Organisation",
    "union_baltic_cities": "Union of Baltic Cities", "mce": "MCE", "inta": "INTA",
}
# L1450-1460: the six Japanese associations, described jointly (L1563-1567, L2047-2059, L2219-2233).
JAPAN = {
    "nga_japan": "National Governors' Association",
    "japan_prefectural_assembly_chairs": "Chairpersons of Prefectural Assemblies",
    "japan_city_mayors": "Japan Association of City Mayors",
    "japan_city_council_chairs": "Chairpersons of City Councils",
    "japan_towns_villages": "National Association of Towns and Villages",
    "japan_town_village_assembly_chairs": "Chairmen of Town and Village Assemblies",
}
# L1272-1274 the four forums seed001 studied; L3761-3771 speaks of all four ('keempat lembaga').
STUDIED = {"kartamantul", "barlingmascakeb", "javapromo", "komwil_vi_apeksi_adeksi"}
# Class statements -> the forums they speak of (tag lines as in the notes).
CLASSES = {
    ("seed001", "2180-2184"): set(GLOBAL_REGIONAL),
    ("seed001", "3761-3771"): STUDIED,
    # seed004 L107-111 concludes on the weaknesses described at L97-99 (SAMOTA) and L101-105
    # (Barlingmascakeb).
    ("seed004", "105-111"): {"samota", "barlingmascakeb"},
    **{("seed001", lines): set(JAPAN) for lines in (
        "1563-1567", "2231-2233", "2047-2051", "2051-2055", "2227-2237", "1578-1584", "2047-2061",
        "1462-1466", "1559-1567")},
    # L121-133: 'Pada ketiga kasus tersebut' - SALGA, LCP, CoR.
    ("seed001", "121-133"): {"salga", "lcp", "committee_of_regions"},
    # fn 34, L2307-2314: Jabotabek and Gerbang Kertosusila in one sentence.
    ("seed001", "2307-2314"): {"jabotabek", "gerbang_kertosusila"},
    # The global (L1384-1396) and regional (L1410-1426) classes with their named examples.
    ("seed001", "1384-1396"): {"sister_cities_international", "oicc", "wla", "uclg"},
    ("seed001", "1410-1426"): {"energy_city", "kitakyushu_initiative", "cemr", "arab_town_organisation",
                               "union_baltic_cities"},
}

# A name of each forum as the sources spell it (for "this passage is about that forum").
ALIASES = {
    "adeksi": "DPRD Kota", "adepsi": "ADEPSI", "adkasi": "DPRD Kabupaten", "amf": "AMF", "apeksi": "APEKSI",
    "appsi": "APPSI", "arab_town_organisation": "Arab Town", "auc": "AUC",
    "barlingmascakeb": "Barlingmascakeb", "bkksi": "BKKSI", "bkprs": "BKPRS",
    "bks_dprd_provinsi": "DPRD Provinsi", "cemr": "CEMR", "committee_of_regions": "Committee of the Regions",
    "energy_city": "Energy City", "gerbang_kertosusila": "Kertosusila", "inta": "INTA",
    "jabotabek": "Jabotabek", "japan_city_council_chairs": "City Councils",
    "japan_city_mayors": "City Mayors", "japan_prefectural_assembly_chairs": "Prefectural Assemblies",
    "japan_town_village_assembly_chairs": "Town and Village Assemblies",
    "japan_towns_villages": "Towns and Villages", "javapromo": "Java", "kartamantul": "Kartamantul",
    "kedungsepur": "KEDUNG SEPUR", "kitakyushu_initiative": "Kitakyushu", "komwil_vi_apeksi_adeksi": "Komwil",
    "lcp": "League of Cities", "mce": "MCE", "mitra_praja_utama": "Mitra Praja", "natat": "NATaT",
    "nga_japan": "Governors", "oicc": "OICC", "pawonsari": "Pawonsari", "sacn": "SACN", "salga": "SALGA",
    "samota": "SAMOTA", "sister_cities_international": "Sister Cities", "subosuko": "SUBOSUKO",
    "subosukowonosraten": "Subosuko",
    "uclg": "UCLG", "union_baltic_cities": "Baltic", "visi_sumatera": "VISI SUMATERA", "wla": "WLA",
}
FUNDING = ("fund_members", "fund_provincial", "fund_central", "fund_donor")
FUZZY = ("commit", "prov_support", "central_support", "legal_umbrella", "trust", "soccap")


@pytest.fixture(scope="module")
def rows() -> dict[tuple[str, str], Coding]:
    return {c.key: c for c in Dataset(FOLDER).codings()}


@pytest.fixture
def texts(seeds_dir: Path) -> dict[str, list[str]]:
    return read_sources(Dataset(FOLDER).codebook(), seeds_dir)


def _span(texts: dict[str, list[str]], source: str, lines: str) -> str:
    first, _, last = lines.partition("-")
    return normalize(" ".join(texts[source][int(first) - 1:int(last or first)]))


def test_aliases_cover_every_forum(rows):
    assert {f for f, _ in rows} == set(ALIASES)


# ------------------------------------------------------------------------------------- R1
def test_class_lists_are_in_the_text(texts):
    assert "tataran global dan regional" in _span(texts, "seed001", "2180-2184")
    assert "memorandum of understanding" in _span(texts, "seed001", "2180-2184")
    where = _span(texts, "seed001", "1384-1426") + _span(texts, "seed001", "1517-1535")
    for name in GLOBAL_REGIONAL.values():
        assert normalize(name) in where, name
    for name in JAPAN.values():
        assert normalize(name) in _span(texts, "seed001", "1450-1460"), name
    assert "keempat lembaga" in _span(texts, "seed001", "3761-3771")


def test_mou_statement_codes_all_eleven_global_and_regional_bodies_alike(rows):
    """seed001 L2180-2184: the MoU is the only legal basis -> a formal agreement, 0.67, for all."""
    for f in GLOBAL_REGIONAL:
        c = rows[(f, "legal_umbrella")]
        assert c.value == "0.67", f
        assert basis(c).kind == "class" and (basis(c).source, basis(c).lines) == ("seed001", "2180-2184")
        assert certainty(c) == 0.5


def test_committee_of_regions_is_not_in_the_mou_class(rows):
    # L127: an EU body, named beside SALGA and LCP, not among the global/regional organisations.
    assert "[class seed001 L2180" not in rows[("committee_of_regions", "legal_umbrella")].note


def test_studied_four_share_the_weak_central_support(rows):
    """L3761-3763: support 'relatif masih sangat lemah, terutama dari pemerintah pusat' -> 0.33."""
    assert {rows[(f, "central_support")].value for f in STUDIED} == {"0.33"}


@pytest.mark.parametrize("variable", ["legal_umbrella", "central_support", "fund_members", "fund_central",
                                      "fund_donor", "status", "obs_status", "obs_age"])
def test_japanese_associations_share_their_jointly_coded_values(rows, variable):
    values = {rows[(f, variable)].value for f in JAPAN}
    assert len(values) == 1 and values != {""}, values
    assert all(basis(rows[(f, variable)]).kind == "class" for f in JAPAN)


def test_class_tags_code_all_members_alike_or_none(rows):
    """R1: for every class statement and variable, each member of the class carries the tag or has
    its own (untagged) statement, no forum outside the class carries it, and tagged values agree."""
    tagged: dict[tuple[str, str, str], dict[str, str]] = defaultdict(dict)
    for c in rows.values():
        b = basis(c)
        if b and b.kind == "class":
            tagged[(b.source, b.lines, c.variable)][c.forum_id] = c.value
    assert tagged
    for (source, lines, variable), coded in tagged.items():
        members = CLASSES.get((source, lines))
        assert members is not None, f"unknown class statement {source} L{lines} ({variable})"
        assert set(coded) <= members, (source, lines, variable)
        if variable in ("fund_provincial",):  # not_applicable by level for provinces (R2)
            continue
        for f in members - set(coded):
            own = rows[(f, variable)]
            assert not own.is_missing and basis(own).kind == "forum", (f, variable)
        if variable != "legal_basis":
            assert len(set(coded.values())) == 1, (source, lines, variable, coded)


def test_a_footnote_citation_codes_nothing(rows, texts):
    # L2024 '32 AUC Statute, article 3' is footnote 32; the text says nothing on AUC's legal basis.
    assert texts["seed001"][2023].strip().startswith("32 AUC Statute")
    assert rows[("auc", "legal_umbrella")].missing == "not_stated"
    assert rows[("auc", "legal_basis")].missing == "not_stated"


def test_kartamantul_province_only_gives_a_venue(rows, texts):
    # fn 43, L2577-2581: the province is only a partner, 'lepas tangan', gives only the office.
    assert "lepas tangan" in _span(texts, "seed001", "2577-2581")
    assert float(rows[("kartamantul", "prov_support")].value) <= 0.33


# ------------------------------------------------------------------------------------- R2
def test_funding_is_coded_all_four_or_none(rows):
    for f in {f for f, _ in rows}:
        codes = {v: rows[(f, v)] for v in FUNDING}
        if any(not c.is_missing for c in codes.values()):
            assert not any(c.missing == "not_stated" for c in codes.values()), f
        else:
            assert all(c.value != "0" for c in codes.values()), f


def test_no_fuzzy_zero_from_silence_or_a_class(rows):
    for c in rows.values():
        if c.variable in FUZZY and c.value == "0":
            assert basis(c).kind == "forum" and c.quote, c.key


@pytest.mark.parametrize("variable", ["prov_support"])
def test_not_applicable_by_level_and_only_there(rows, variable):
    for f in {f for f, _ in rows}:
        level, code = rows[(f, "level")].value, rows[(f, variable)].missing
        if level in ("provincial", "national_association", "supranational"):
            assert rows[(f, variable)].is_missing and code == "not_applicable", f
        elif level:
            assert code != "not_applicable", f


# ------------------------------------------------------------------------------------- R3
@pytest.mark.parametrize("variable", ["obs_year", "obs2_year"])
def test_every_observation_year_cites_a_passage_about_that_forum(rows, texts, variable):
    checked = 0
    for (f, var), c in rows.items():
        if var != variable or c.is_missing:
            continue
        assert normalize(ALIASES[f]) in _span(texts, c.source, c.lines), (f, c.source, c.lines)
        assert not re.search(r"\(\d{4}\)", c.quote), f"{f}: a cited work's year ({c.quote})"
        checked += 1
    if variable == "obs_year":
        assert checked >= 38


def test_observation_years_read_by_hand(rows, texts):
    # Barlingmascakeb: seed001 L2783 interview with its manager '12 Oktober 2006'; seed004 L101
    # 'Bambang Triharsanto (2012)' is a cited dissertation, not an observation year.
    assert "12 oktober 2006" in _span(texts, "seed001", "2783")
    assert rows[("barlingmascakeb", "obs_year")].value == "2006"
    # Pawonsari: seed001 L2316-2317 (fieldwork 2006); 'Yunus 2005' is a cited rating.
    assert rows[("pawonsari", "obs_year")].value == "2006"
    # SAMOTA: seed004 L53 'Muhaidi (2015) dalam kajiannya' - relayed, the year is not an observation.
    assert "(2015)" in _span(texts, "seed004", "53")
    assert rows[("samota", "obs_year")].is_missing
    # Kartamantul: seed001 L2443-2445, interview 11 Oktober 2006.
    assert rows[("kartamantul", "obs_year")].value == "2006"


# ------------------------------------------------------------------------------------- R4, R6
# L171-176: the provincial, regency and city council bodies; L1454, L1456-1458, L1460: the three
# Japanese associations of assembly or council chairs; L5465 ADEPSI, named only as an example of
# 'kerjasama di antara legislatif provinsi'.
LEGISLATURES = {"bks_dprd_provinsi", "adkasi", "adeksi", "adepsi", "japan_prefectural_assembly_chairs",
                "japan_city_council_chairs", "japan_town_village_assembly_chairs"}
# L1834 INTA 'national, corporate dan individual'; L1404-1406 SCI 'lembaga pendidikan dan bisnis';
# L1989-1993 AUC 'kelompok bisnis, organisasi, institusi dan individual'.
MIXED = {"inta", "sister_cities_international", "auc"}
# L2307 fn 34 'Beberapa rintisan kerjasama': Jabotabek, Gerbang Kertosusila.
INITIATIVES = {"jabotabek", "gerbang_kertosusila"}


def test_membership_stage_and_case_group_for_all_45(rows):
    forums = {f for f, _ in rows}
    assert len(forums) == 45
    for f in forums:
        for var in ("membership", "stage", "case_group"):
            assert not rows[(f, var)].is_missing, (f, var)
    assert {f for f in forums if rows[(f, "membership")].value == "legislatures"} == LEGISLATURES
    assert {f for f in forums if rows[(f, "membership")].value == "mixed"} == MIXED
    assert {f for f in forums if rows[(f, "stage")].value == "initiative"} == INITIATIVES
    cases = {f for f in forums if is_case({v: rows[(f, v)].value for v in ("membership", "stage")})}
    assert cases == forums - LEGISLATURES - MIXED - INITIATIVES
    assert len(cases) == 45 - 7 - 3 - 2


def test_case_groups_join_the_jointly_described(rows):
    groups: dict[str, set[str]] = defaultdict(set)
    for (f, var), c in rows.items():
        if var == "case_group":
            groups[c.value].add(f)
    assert groups["japan_associations"] == set(JAPAN)
    assert groups["global_regional_orgs"] == set(GLOBAL_REGIONAL)
    assert groups["seed001_fn34_initiatives"] == INITIATIVES
    for name, members in groups.items():
        if len(members) == 1:
            assert members == {name}


def test_every_rule_is_written_in_the_codebook():
    doc = yaml.safe_load((FOLDER / "codebook.yaml").read_text(encoding="utf-8"))
    rules = {v["id"]: v.get("rule", "") for v in doc["variables"]}
    for var, rule in (("legal_umbrella", "R1"), ("fund_donor", "R2"), ("obs_year", "R3"),
                      ("membership", "R4"), ("stage", "R4"), ("case_group", "R6")):
        assert rule in rules[var], var


def test_no_garbled_locations_in_notes(rows):
    for c in rows.values():
        assert not re.match(r"^[a-z_]+\d:? ", c.note), c.key


# ------------------------------------------------------------------------------------- helpers
def test_certainty_and_is_case_by_hand():
    forum = Coding("x", "legal_umbrella", "0.67", note="a statement about x")
    joint = Coding("x", "legal_umbrella", "0.67", note="[class seed001 L2180-2184] the MoU statement")
    assert certainty(forum) == 1.0 and certainty(joint) == 0.5
    assert certainty(Coding("x", "trust", "", "not_stated", note="silent")) is None
    assert is_case({"membership": "governments", "stage": "body"}) is True
    assert is_case({"membership": "legislatures", "stage": "body"}) is False
    assert is_case({"membership": "governments", "stage": "initiative"}) is False
    assert is_case({"membership": "governments"}) is None


# Lists that name each forum are statements about each named forum (R1), so `active` may cite them
# untagged: seed001 L167-169 (the national associations), L176-178 (regional forums), L1392 (global
# examples), L1422-1424 (regional examples).
# ... and seed001 L5459-5467 ('forum-forum kerjasama antar provinsi yang ada di Indonesia ...
# misalnya APPSI, ADEPSI, Mitra Praja Utama') and seed004 L95 (four KAD, each with its members).
NAMING_LISTS = {("seed001", "167-169"), ("seed001", "176-178"), ("seed001", "1392"), ("seed001", "1422-1424"),
                ("seed001", "5459-5461"), ("seed004", "95")}
DESCRIPTIVE = {"membership", "stage", "case_group", "obs_year", "name", "country", "scope", "level", "form"}


def test_no_untagged_value_rests_on_a_joint_passage(rows):
    """R1: a passage that codes one variable for several forums is a class statement and tagged,
    unless it is a list naming each forum (or only names the forum: name-derived descriptive codes)."""
    shared: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for c in rows.values():
        if not c.is_missing and basis(c).kind == "forum" and c.variable not in DESCRIPTIVE:
            shared[(c.source, c.lines, c.variable)].add(c.forum_id)
    joint = {k: v for k, v in shared.items() if len(v) > 1 and k[:2] not in NAMING_LISTS}
    assert joint == {}


# ------------------------------------------------------------------------------ rules: section
def test_codebook_rules_are_structured_and_complete():
    cb = Dataset(FOLDER).codebook()
    assert [r["id"] for r in cb.rules] == ["R1", "R2", "R3", "R4", "R5", "R6"]
    assert set(cb.rule("R4")["variables"]) == {"membership", "stage"}
    # the codebook's class statements are the ones read off the texts above (CLASSES)
    assert cb.class_statements == CLASSES


def test_codebook_class_statements_code_their_members_alike(rows):
    """R1 from the codebook: for every class statement and variable that carries its tag, every
    member of the class carries it too or has its own statement, and no forum outside does."""
    classes = Dataset(FOLDER).codebook().class_statements
    for c in rows.values():
        b = basis(c)
        if b and b.kind == "class":
            assert c.forum_id in classes[(b.source, b.lines)], (c.forum_id, c.variable)
    # the MoU passage (seed001 L2180-2184) codes legal_umbrella 0.67 for all eleven organisations
    mou = classes[("seed001", "2180-2184")]
    assert len(mou) == 11
    assert {rows[(f, "legal_umbrella")].value for f in mou} == {"0.67"}


@pytest.mark.parametrize(("rules", "message"), [
    ([{"id": "R1", "title": "t", "text": "x"}, {"id": "R1", "title": "t", "text": "y"}],
     "rules[1] ('R1'): id must be R1, R2, ... and used once"),
    ([{"id": "R2", "title": "t", "text": "x", "variables": ["nope"]}], "unknown variable 'nope'"),
    ([{"id": "R1", "title": "t", "text": "x", "classes": [{"source": "seed009", "lines": "1",
                                                          "forums": ["a"]}]}],
     "classes[0]: unknown source 'seed009'"),
    ([{"id": "R1", "title": "t", "text": "x", "classes": [{"source": "seed001", "lines": "1-",
                                                          "forums": ["a"]}]}],
     "lines '1-' is not N or N-M"),
])
def test_bad_rules_are_refused_in_one_line(tmp_path: Path, rules, message):
    from kadstudy.data.codebook import parse_codebook
    from kadstudy.errors import DataError

    doc = yaml.safe_load((FOLDER / "codebook.yaml").read_text(encoding="utf-8"))
    doc["rules"] = rules
    with pytest.raises(DataError) as err:
        parse_codebook(doc, "codebook.yaml")
    assert message in str(err.value) and len(str(err.value).splitlines()) == 1
