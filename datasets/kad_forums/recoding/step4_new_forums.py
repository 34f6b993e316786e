"""Step 4 (issue 11): ADEPSI (seed001 L5465) and seed004's three-member SUBOSUKO (L95) coded as
forums of their own. Before, neither was coded: ADEPSI was tacitly taken for the Badan Kerjasama
DPRD Provinsi Se-Indonesia (L171) and SUBOSUKO for the seven-member Subosukowonosraten (seed001
L178, L223-226), though no source says they are one body (R5). Writes step4/<forum>.yaml, applied
with ``kadstudy data add-case datasets/kad_forums/recoding/step4/<forum>.yaml``.

Run: python datasets/kad_forums/recoding/step4_new_forums.py OUT_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
CODEBOOK = yaml.safe_load((HERE.parent / "codebook.yaml").read_text(encoding="utf-8"))
LABEL = {v["id"]: v["label"]["en"][0].lower() + v["label"]["en"][1:] for v in CODEBOOK["variables"]}
OBS_YEAR_NOTE = ("R3: seed001 observed the forum in 2006, the year of its fieldwork and writing "
                 "(interviews dated 11 October 2006, L2443-2445, and 3 November 2006, L2582-2583); "
                 "this passage names the forum as existing")


def silent(where: str, *variables: str) -> dict[str, dict[str, str]]:
    return {v: {"missing": "not_stated",
                "note": f"{where} (named only) names or describes the forum but says nothing that "
                        f"decides {LABEL[v]}"} for v in variables}


ONE_OBSERVATION = {v: {"missing": "not_applicable",
                       "note": "the sources give one observation of this forum (see obs_year)"}
                   for v in ("obs2_year", "obs2_status", "obs2_age")}
NO_INSTITUTIONS = {
    "inst_secretariat": {"missing": "not_stated", "note": "no passage names a secretariat, office or "
                         "staff of the forum, and none says it has none (R2)"},
    "inst_legal": {"missing": "not_stated", "note": "no instrument founding or governing the forum "
                   "is named (legal_basis not_stated); R2: no source states it has none"},
    "obs_age": {"missing": "not_stated", "note": "no founding year is stated, and no dated earlier "
                "time of operation is given"},
}
COMMON_SILENT = ("founded", "legal_basis", "form", "orientation", "sectors", "fund_members",
                 "fund_central", "fund_donor", "prof_staff", "commit", "central_support",
                 "legal_umbrella", "trust", "soccap", "status")

ADEPSI_WHERE = "seed001 L5459-5467"
LIST = "APPSI, ADEPSI, Mitra Praja"
EXISTING = "forum-forum kerjasama antar provinsi yang ada di Indonesia"
ADEPSI = {
    "forum_id": "adepsi", "coder": "rules_issue11", "source": "seed001",
    "codings": {
        "name": {"value": "ADEPSI", "lines": "5465", "quote": LIST,
                 "note": "named only by its acronym, in the list of L5465; no source expands it or says "
                         "it is the Badan Kerjasama DPRD Provinsi Se-Indonesia of L171 (R5), so it is a "
                         "forum of its own"},
        "country": {"value": "IDN", "lines": "5459-5461", "quote": EXISTING},
        "scope": {"value": "domestic", "lines": "5459-5461", "quote": EXISTING},
        "level": {"value": "provincial", "lines": "5459-5465",
                  "quote": "forum-forum kerjasama antar provinsi",
                  "note": "named among the forums of cooperation between provinces (L5459-5465)"},
        "membership": {"value": "legislatures", "lines": "5465",
                       "quote": "kerjasama di antara legislatif provinsi misalnya APPSI, ADEPSI",
                       "note": "R4: the only passage about ADEPSI names it as an example of "
                               "'kerjasama di antara legislatif provinsi'; APPSI and Mitra Praja Utama "
                               "in the same list are coded governments from their own passages "
                               "(L169-171, L5467), which ADEPSI lacks"},
        "case_group": {"value": "adepsi", "lines": "5465", "quote": LIST,
                       "note": "R6: described on its own (a list decides nothing about its members)"},
        "stage": {"value": "body", "lines": "5459-5465", "quote": EXISTING,
                  "note": "R4: named as an existing forum (yang ada di Indonesia)"},
        "members": {"missing": "not_stated", "note": f"{ADEPSI_WHERE} names the forum but not its members"},
        "n_members": {"missing": "not_stated", "note": f"{ADEPSI_WHERE} names the forum but not its members"},
        "obs_year": {"value": 2006, "lines": "5465", "quote": LIST, "note": OBS_YEAR_NOTE},
        "active": {"value": 1, "lines": "5459-5461", "quote": EXISTING,
                   "note": "named among the inter-provincial forums that exist (yang ada) when the "
                           "report was written"},
        "ended": {"missing": "not_applicable", "note": "active when observed"},
        "fund_provincial": {"missing": "not_applicable",
                            "note": "R2: level provincial / members are provinces or span countries: "
                                    "no province stands above the members"},
        "prov_support": {"missing": "not_applicable",
                         "note": "the members are themselves (the legislatures of) provinces "
                                 "(codebook definition)"},
        "obs_status": {"missing": "ambiguous", "lines": "5459-5461",
                       "note": "the source names the forum as existing when observed (active = 1) but "
                               "nothing tells active from stagnant"},
        "inst_budget": {"missing": "not_stated",
                        "note": f"as fund_members: {ADEPSI_WHERE} (named only) names or describes the "
                                "forum but says nothing that decides funded by member contributions"},
        **silent(ADEPSI_WHERE, *COMMON_SILENT),
        **ONE_OBSERVATION, **NO_INSTITUTIONS,
    },
}

SUB_WHERE = "seed004 L93-95"
SUB_NAME = "Surakarta, Boyolali, Sukorharjo (SUBOSUKO)"
SUBOSUKO = {
    "forum_id": "subosuko", "coder": "rules_issue11", "source": "seed004",
    "codings": {
        "name": {"value": "SUBOSUKO", "lines": "95", "quote": SUB_NAME,
                 "note": "seed004 L95, three members; not identified with the seven-member "
                         "Subosukowonosraten of seed001 (L178, L223-226): no source says they are one "
                         "body (R5), so it is a forum of its own"},
        "country": {"value": "IDN", "lines": "93", "quote": "Kerjasama Antar Daerah"},
        "scope": {"value": "domestic", "lines": "93", "quote": "Kerjasama Antar Daerah"},
        "level": {"value": "local", "lines": "93-95",
                  "quote": "beberapa daerah secara geografis bertetangga",
                  "note": "neighbouring regions (daerah) named without a tier; none is a province, and "
                          "the sentence's other examples are regencies and cities"},
        "membership": {"value": "governments", "lines": "95", "quote": SUB_NAME,
                       "note": "R4: members are the regions (their governments), as the passage coding "
                               "`level` describes them"},
        "case_group": {"value": "subosuko", "lines": "95", "quote": SUB_NAME,
                       "note": "R6: described on its own (a list decides nothing about its members)"},
        "stage": {"value": "body", "lines": "95",
                  "quote": "Empat kerja sama di atas dilakukan atas dasar melihat permasalahan bersama",
                  "note": "R4: named as one of four cooperations carried out (dilakukan)"},
        "members": {"value": "Surakarta; Boyolali; Sukorharjo", "lines": "95", "quote": SUB_NAME,
                    "note": "as written (Sukoharjo spelled 'Sukorharjo')"},
        "n_members": {"value": 3, "lines": "95", "quote": SUB_NAME,
                      "note": "the count of the members the source lists"},
        "obs_year": {"missing": "not_stated", "note": "not observed at any dated point"},
        "active": {"missing": "not_stated",
                   "note": "seed004 L95 names it as an example of KAD without describing its state"},
        "ended": {"missing": "not_stated", "note": "no end reported"},
        "fund_provincial": silent(SUB_WHERE, "fund_provincial")["fund_provincial"],
        "prov_support": silent(SUB_WHERE, "prov_support")["prov_support"],
        "obs_status": {"missing": "not_stated", "note": "as for active: seed004 L95 names it as an "
                       "example of KAD without describing its state"},
        "inst_budget": {"missing": "not_stated",
                        "note": f"as fund_members: {SUB_WHERE} (named only) names or describes the "
                                "forum but says nothing that decides funded by member contributions"},
        **silent(SUB_WHERE, *COMMON_SILENT),
        **ONE_OBSERVATION, **NO_INSTITUTIONS,
    },
}


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: step4_new_forums.py OUT_DIR")
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for case in (ADEPSI, SUBOSUKO):
        (out / f"{case['forum_id']}.yaml").write_text(
            yaml.safe_dump(case, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")


if __name__ == "__main__":
    main()
