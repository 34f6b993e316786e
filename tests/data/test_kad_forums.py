"""The shipped KAD forums dataset: which forums it holds, that it validates against the seed texts,
and that the wide table is exactly what `kadstudy data build` makes from the codings."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from kadstudy.data import Dataset, load
from kadstudy.data.dataset import wide_csv
from tests.conftest import REPO, run_cli

FOLDER = REPO / "datasets" / "kad_forums"

# Every cooperation forum of governments that the five seeds describe or name, counted by hand from
# the texts (line numbers as `cat -n` counts them).
#
# Domestic (Indonesia), 21:
#   seed001 L169-176 national associations: APPSI, Badan Kerjasama DPRD Provinsi Se-Indonesia,
#     BKKSI, Asosiasi DPRD Kabupaten (ADKASI), APEKSI, Asosiasi DPRD Kota (ADEKSI) ........... 6
#   seed001 L5465-5467 Mitra Praja Utama (provinces of Java-Bali) and ADEPSI (named in the same
#     list; not identified with the DPRD Provinsi body of L171 - rule R5, no source says they
#     are one) ................................................................................ 2
#   seed001 L178-184 regional forums: Subosuko Wonosraten (seven members, L223-226), BKPRS,
#     VISI SUMATERA, Sekber Pawonsari, Javapromo, Barlingmascakeb, Kartamantul ............... 7
#   seed001 L1272-1274 the fourth case studied: Sekber APEKSI-ADEKSI Komwil VI Makassar ....... 1
#   seed001 L2307-2314 (fn 34) Jabotabek, Gerbang Kertosusila ................................ 2
#   seed004 L53 SAMOTA, L95 KEDUNG SEPUR and SUBOSUKO (Surakarta, Boyolali, Sukoharjo: three
#     members, not identified with the seven-member Subosukowonosraten - R5) ................. 3
# Foreign, 24:
#   seed001 L121-127 SALGA, LCP, CoR .......................................................... 3
#   seed001 L1394-1396 global: Sister Cities International, OICC, WLA, UCLG ................... 4
#   seed001 L1416-1426 regional: Energy City, Kitakyushu Initiative Network, CEMR, Arab Town
#     Organisation, Union of Baltic Cities .................................................. 5
#   seed001 L1450-1460 the six Japanese associations (governors, prefectural assembly chairs,
#     city mayors, city council chairs, towns and villages, town and village assembly chairs) . 6
#   seed001 L1517-1537 MCE, INTA, AMF; L1614 NATaT (USA); L1989 AUC (Ukraine); L2122 SACN ..... 6
# Not counted: donors and programmes (GTZ, SDC, JICA, UNDP, USAID, LOGIC), AMF's associated
# bodies (Fonpel, Maire 2000, Service Public 2000, L2148-2160), the 1990s Yogyakarta Urban
# Development Project and the 1997 provincial secretariat (Kartamantul's forerunners, L2390-2420),
# seed002's generic models and area programmes (Sekretariat Bersama in general, KAPET, Kawasan
# Andalan, Kawasan Sentra Produksi, L255-281, L345-347), and PPP (seed004 L127-131).
# EUROCITIES, which the issue lists, is named in no seed (see the test below), so it is not coded.
DOMESTIC = {
    "appsi", "bks_dprd_provinsi", "bkksi", "adkasi", "apeksi", "adeksi", "mitra_praja_utama", "adepsi",
    "subosukowonosraten", "bkprs", "visi_sumatera", "pawonsari", "javapromo", "barlingmascakeb",
    "kartamantul", "komwil_vi_apeksi_adeksi", "jabotabek", "gerbang_kertosusila", "samota",
    "kedungsepur", "subosuko",
}
FOREIGN = {
    "salga", "lcp", "committee_of_regions", "sister_cities_international", "oicc", "wla", "uclg",
    "energy_city", "kitakyushu_initiative", "cemr", "arab_town_organisation", "union_baltic_cities",
    "nga_japan", "japan_prefectural_assembly_chairs", "japan_city_mayors",
    "japan_city_council_chairs", "japan_towns_villages", "japan_town_village_assembly_chairs",
    "mce", "inta", "amf", "natat", "auc", "sacn",
}


@pytest.fixture(scope="module")
def frame():
    return load("kad_forums")


def test_forum_count_matches_the_sources(frame):
    assert len(DOMESTIC) == 21 and len(FOREIGN) == 24
    assert set(frame.index) == DOMESTIC | FOREIGN
    assert set(frame.index[frame["scope"] == "domestic"]) == DOMESTIC
    assert set(frame.index[frame["scope"] == "foreign"]) == FOREIGN


def test_eurocities_is_named_in_no_seed(seeds_dir: Path):
    for text in seeds_dir.glob("*.txt"):
        assert not re.search(r"euro\s*cit", text.read_text(encoding="utf-8"), re.IGNORECASE), text


def test_dataset_validates_and_every_quote_is_in_its_lines(seeds_dir: Path):
    problems = Dataset(FOLDER).validate(seeds_dir)
    assert problems == [], "\n".join(map(str, problems[:20]))


def test_forums_csv_is_the_build_of_codings_and_builds_identically(tmp_path: Path, capsys):
    ds = Dataset(FOLDER)
    cb, rows = ds.codebook(), ds.codings()
    first, second = wide_csv(rows, cb), wide_csv(list(reversed(rows)), cb)
    assert first == second
    assert (FOLDER / "forums.csv").read_text(encoding="utf-8") == first
    copy = tmp_path / "kad_forums"
    shutil.copytree(FOLDER, copy)
    (copy / "forums.csv").unlink()
    for _ in range(2):
        assert run_cli(["data", "build", "-d", str(copy)], capsys)[0] == 0
        assert (copy / "forums.csv").read_bytes() == (FOLDER / "forums.csv").read_bytes()


# Spot checks against the texts, read by hand (not from the code's output).
@pytest.mark.parametrize(
    ("forum", "variable", "expected"),
    [
        ("pawonsari", "n_members", 3),          # seed001 L2376-2377 "tiga derah ... tiga propinsi"
        ("subosukowonosraten", "n_members", 7),  # seed001 L223-226, seven places listed
        ("subosuko", "n_members", 3),           # seed004 L95 "Surakarta, Boyolali, Sukorharjo (SUBOSUKO)"
        ("subosuko", "membership", "governments"),
        ("adepsi", "membership", "legislatures"),  # seed001 L5465 "legislatif provinsi misalnya ... ADEPSI"
        ("adepsi", "level", "provincial"),       # seed001 L5459-5465 "forum-forum kerjasama antar provinsi"
        ("gerbang_kertosusila", "n_members", 6),  # seed001 L2309-2310, six places listed
        ("natat", "founded", 1976),             # seed001 L1622 "Sejak NATaT didirikan tahun 1976"
        ("salga", "country", "ZAF"),
        ("samota", "obs_status", "stagnant"),   # seed004 L53: only budget sharing, each on its own
        ("pawonsari", "obs_status", "active"),  # seed001 L2321, L2376: since the late 1980s, best practice
        ("kartamantul", "obs2_status", "active"),  # seed003 L9 "lebih dari satu dekade"
    ],
)
def test_spot_checks(frame, forum, variable, expected):
    assert frame.loc[forum, variable] == expected


def test_kartamantul_members(frame):
    members = frame.loc["kartamantul", "members"]
    for place in ("Yogyakarta", "Sleman", "Bantul"):  # seed001 L238, L2380-2382
        assert place in members


def test_loaded_frame_carries_the_codebook(frame):
    cb = frame.attrs["codebook"]
    assert "obs_status" in cb.ids and "legal_umbrella" in cb.ids
    # durable is calibrated by each analysis (kadstudy.data.outcome), never coded by hand
    assert "durable" not in cb.ids and "durable" not in frame.columns
