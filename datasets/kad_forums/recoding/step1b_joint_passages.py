"""Issue 11, step 1b: R1 tags for values that rest on a passage describing several forums jointly,
found by listing every (source, lines, variable) cited for more than one forum after step 1.

Lists that name each forum (seed001 L167-169, L176-178, L1392, L1422-1424 for `active`) are
statements about each forum named and stay untagged (R1).
"""

from __future__ import annotations

from common import Recode, main

JAPAN = ["nga_japan", "japan_prefectural_assembly_chairs", "japan_city_mayors",
         "japan_city_council_chairs", "japan_towns_villages", "japan_town_village_assembly_chairs"]
TAGS = {
    # L121-133: SALGA, LCP and CoR 'cukup menonjol'; 'Pada ketiga kasus tersebut' they contribute
    # significantly to welfare and public services.
    "seed001 L121-133": {f: ["status", "obs_status", "active"] for f in ("lcp", "committee_of_regions")}
    | {"salga": ["status", "obs_status"]},
    # L1450-1466, L1559-1567: the six Japanese associations, their advocacy and form, jointly.
    "seed001 L1462-1466": {f: ["active", "orientation", "sectors"] for f in JAPAN},
    "seed001 L1559-1567": {f: ["form"] for f in JAPAN},
    # fn 34, L2307-2314: Jabotabek and Gerbang Kertosusila in one sentence.
    "seed001 L2307-2314": {f: ["level", "orientation", "sectors"] for f in
                           ("jabotabek", "gerbang_kertosusila")},
    # The global (L1384-1396) and regional (L1410-1426) classes give `level` to the bodies named
    # only as their examples.
    "seed001 L1384-1396": {f: ["level"] for f in ("oicc", "uclg", "wla")},
    "seed001 L1410-1426": {f: ["level"] for f in ("energy_city", "kitakyushu_initiative",
                                                   "arab_town_organisation", "union_baltic_cities")},
}


def build(rec: Recode) -> None:
    for tag, forum_vars in TAGS.items():
        for forum, variables in forum_vars.items():
            for var in variables:
                r = rec.cur[(forum, var)]
                assert r["value"] and not r["note"].startswith("[class"), (forum, var)
                rec.value(forum, var, r["value"], r["source"], r["lines"], r["quote"],
                          f"[class {tag}] " + (r["note"] or "R1: coded from a passage describing "
                                               "these forums jointly"))


if __name__ == "__main__":
    main(build)
