"""Issue 11, step 3: the outcome components, coded separately and cited (add-case files).

obs_status, obs_age (primary observation), obs2_year, obs2_status, obs2_age (a second observation),
inst_secretariat, inst_budget, inst_legal (institutionalisation at the primary observation).
Values restating another coded row cite that row's passage; class tags are carried over (R1).
"""

from __future__ import annotations

from common import Recode, forums, main

STATUS = {"3": "active", "2": "active", "1": "stagnant", "0": "ended"}


def _tag(note: str) -> str:
    """The class tag of a note, with a trailing space, or ''."""
    return note[:note.index("] ") + 2] if note.startswith("[class ") else ""


def build(rec: Recode) -> None:
    cur = rec.cur
    for f in forums(cur):
        status, active = cur[(f, "status")], cur[(f, "active")]
        # ------------------------------------------------------------ obs_status
        if status["value"]:
            rec.value(f, "obs_status", STATUS[status["value"]], status["source"], status["lines"],
                      status["quote"], _tag(status["note"]) +
                      f"from the passage coding status {status['value']}: "
                      f"{status['note'][len(_tag(status['note'])):]}"[:600])
        elif active["value"] == "1":
            rec.missing(f, "obs_status", "ambiguous",
                        "the source names the forum as existing when observed (active = 1) but "
                        "nothing tells active from stagnant", active["source"], active["lines"])
        else:
            rec.missing(f, "obs_status", active["missing"] or "not_stated",
                        "as for active: " + active["note"], active["source"], active["lines"])
        # ------------------------------------------------------------ obs_age
        founded, obs = cur[(f, "founded")], cur[(f, "obs_year")]
        if founded["value"] and obs["value"]:
            age = int(obs["value"]) - int(founded["value"])
            rec.value(f, "obs_age", age, founded["source"], founded["lines"], founded["quote"],
                      f"obs_year {obs['value']} - founded {founded['value']} = {age}")
        elif f not in ("pawonsari", *JAPAN):
            why = "no founding year" if not founded["value"] else "no observation year"
            rec.missing(f, "obs_age", "not_stated",
                        f"{why} is stated, and no dated earlier time of operation is given")
        # ------------------------------------------------------------ second observation
        if f not in ("barlingmascakeb", "kartamantul"):
            for var in ("obs2_year", "obs2_status", "obs2_age"):
                rec.missing(f, var, "not_applicable",
                            "the sources give one observation of this forum (see obs_year)")
        # ------------------------------------------------------------ institutionalisation
        fm = cur[(f, "fund_members")]
        if fm["value"]:
            rec.value(f, "inst_budget", fm["value"], fm["source"], fm["lines"], fm["quote"],
                      _tag(fm["note"]) + "as fund_members (R2), from its passage: " + fm["note"][:400])
        else:
            rec.missing(f, "inst_budget", fm["missing"], "as fund_members: " + fm["note"][:400],
                        fm["source"], fm["lines"])
        lb = cur[(f, "legal_basis")]
        if lb["value"]:
            rec.value(f, "inst_legal", "1", lb["source"], lb["lines"], lb["quote"],
                      _tag(lb["note"]) + f"a formal instrument is named: {lb['value']}")
        else:
            rec.missing(f, "inst_legal", "not_stated",
                        "no instrument founding or governing the forum is named (legal_basis "
                        f"{lb['missing']}); R2: no source states it has none")
        if f in SECRETARIAT:
            lines, quote, why = SECRETARIAT[f]
            rec.value(f, "inst_secretariat", "1", "seed001", lines, quote, why)
        else:
            rec.missing(f, "inst_secretariat", "not_stated",
                        "no passage names a secretariat, office or staff of the forum, and none says "
                        "it has none (R2)")

    # Lower-bound ages (the founding year is not stated, an earlier time of operation is dated).
    rec.value("pawonsari", "obs_age", 17, "seed001", "2321",
              "sejak akhir tahun 1980-an",
              "[lower bound] running since the late 1980s (at the latest 1989) when seed001 observed "
              "it in 2006: at least 2006 - 1989 = 17 years")
    for f in JAPAN:
        rec.value(f, "obs_age", 17, "seed001", "1578-1584",
                  "pada tahun 1980an, keenam lembaga ini membentuk komite khusus",
                  "[class seed001 L1578-1584] [lower bound] the six already acted jointly in the "
                  "1980s (at the latest 1989); observed 2006: at least 17 years")
    # Barlingmascakeb: the seed004 passage (relaying Harsanto 2012) is its second observation.
    rec.missing("barlingmascakeb", "obs2_year", "ambiguous",
                "R3: seed004 (written 2022 or later) relays Harsanto's dissertation (2012, L101); "
                "the year in which the body was in the described state is not stated, and 2012 is "
                "a cited work's publication year", "seed004", "101-105")
    rec.value("barlingmascakeb", "obs2_status", "stagnant", "seed004", "103-105",
              "belum dapat memberikan hasil sebagaimana yang diharapkan",
              "output performance by cost efficiency 'sangat rendah' (L103) and outcomes not as "
              "expected (L103-105); a new autonomous institution is recommended (L105) - said to "
              "need reviving (stagnant), not replaced (the replacement is only recommended)")
    rec.missing("barlingmascakeb", "obs2_age", "ambiguous",
                "the year of the second observation is not known (obs2_year ambiguous); founded "
                "2003", "seed004", "101-105")
    # Kartamantul: seed003 (undated) describes it as running for more than a decade.
    rec.missing("kartamantul", "obs2_year", "ambiguous",
                "R3: seed003 does not date itself (it says decentralisation has run 'hampir 2 "
                "dekade', L5, i.e. about 2016-2019, not a stated year)", "seed003", "5-9")
    rec.value("kartamantul", "obs2_status", "active", "seed003", "9",
              "Sekber Kartamantul dalam perjalanannya lebih dari satu dekade",
              "still working after more than a decade and asked to adapt to keep existing "
              "(L5, L9); no stagnation or end is reported")
    rec.value("kartamantul", "obs2_age", 10, "seed003", "9",
              "Sekber Kartamantul dalam perjalanannya lebih dari satu dekade",
              "[lower bound] 'lebih dari satu dekade': more than 10 years")


JAPAN = ["nga_japan", "japan_prefectural_assembly_chairs", "japan_city_mayors",
         "japan_city_council_chairs", "japan_towns_villages", "japan_town_village_assembly_chairs"]
# Secretariat, office or staff named (seed001 lines, verbatim).
SECRETARIAT = {
    "kartamantul": ("3054-3056", "Sekretariat Bersama Kartamantul berisi kalangan profesional",
                    "a joint secretariat staffed by professionals (L3054-3058)"),
    "barlingmascakeb": ("2726-2730", "Tim pelaksana hariain lebih merupakan sekretariat bersama",
                        "a daily executive team that is a joint secretariat, the regional management "
                        "(L2726-2732), with a manager (L2783)"),
    "javapromo": ("3205-3209", "Javapromo kemudian membuat sekretariat bersama",
                  "a joint secretariat as daily executive, run by members' officials (L3205-3215)"),
    "komwil_vi_apeksi_adeksi": ("3167-3171", "Forum ini berisi kalangan profesional",
                                "a joint secretariat (Sekber) with professional staff (L3165-3171)"),
    "pawonsari": ("228", "Sekber Pawonsari (Sekretariat Bersama Pacitan Wonogiri dan Wonosari)",
                  "named a joint secretariat (Sekretariat Bersama); nothing more on it is said"),
    "salga": ("1738-1740", "SALGA dipimpin oleh seorang CEO dari kalangan profesional",
              "led by a professional CEO (L1738-1744)"),
    "inta": ("1880-1883", "consultation with the INTA Secretariat", "Table 2 names the INTA Secretariat"),
    "amf": ("1779-1781", "organisasi AMF yang memiliki 9 departments",
            "an organisation with 9 departments and 7 committees under an elected board (L1775-1781)"),
}


if __name__ == "__main__":
    main(build)
