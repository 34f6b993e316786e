"""Issue 11, step 1: recode every forum under the codebook's rules R1-R6 (add-case files).

Run: python datasets/kad_forums/recoding/step1_rules.py OUT && for f in OUT/*.yaml; do
kadstudy data add-case --replace "$f"; done
"""

from __future__ import annotations

import re

from common import Recode, forums, main

# R1: the eleven bodies seed001 places at the global (L1384-1396) or regional (L1410-1426) level,
# with the Europe-wide MCE (L1517-1525) and the international INTA (L1527-1535).
GLOBAL_REGIONAL = ["sister_cities_international", "oicc", "wla", "uclg", "energy_city",
                   "kitakyushu_initiative", "cemr", "arab_town_organisation", "union_baltic_cities",
                   "mce", "inta"]
JAPAN = ["nga_japan", "japan_prefectural_assembly_chairs", "japan_city_mayors",
         "japan_city_council_chairs", "japan_towns_villages", "japan_town_village_assembly_chairs"]
FN34 = ["jabotabek", "gerbang_kertosusila"]
STUDIED_CLASS = ["javapromo", "kartamantul", "komwil_vi_apeksi_adeksi"]  # barlingmascakeb: own statement

# R4 membership (seed001 lines, verbatim quotes).
LEGISLATURES = {
    "bks_dprd_provinsi": ("171", "Badan Kerjasama DPRD Provinsi Se-Indonesia"),
    "adkasi": ("173-175", "Asosiasi DPRD Kabupaten Seluruh Indonesia"),
    "adeksi": ("175-176", "Asosiasi DPRD Kota Seluruh Indonesia"),
    "japan_prefectural_assembly_chairs": ("1454", "Chairpersons of Prefectural Assemblies"),
    "japan_city_council_chairs": ("1456-1458", "Chairpersons of City Councils"),
    "japan_town_village_assembly_chairs": ("1460", "Chairmen of Town and Village Assemblies"),
}
MIXED = {
    "inta": ("1834", "national, corporate dan individual",
             "INTA has three membership classes, national, corporate and individual (Table 2 L1844-1890)"),
    "sister_cities_international": (
        "1404-1406", "termasuk lembaga pendidikan dan bisnis",
        "SCI cooperates with communities of every kind including educational and business bodies; "
        "L1985-1987 adds embassies and individuals as members"),
    "auc": ("1989-1993", "kelompok bisnis, organisasi, institusi dan individual",
            "AUC admits business groups, organisations, institutions and individuals as members "
            "without a vote (L1993-2001)"),
}

GARBLED = re.compile(r"^([a-z_]+?)4(:?) ")


def build(rec: Recode) -> None:
    cur = rec.cur
    for f in forums(cur):
        name_src, name_lines, name_quote = rec.cite(f, "name")
        # ---------------------------------------------------------------- R4 membership
        if f in LEGISLATURES:
            lines, quote = LEGISLATURES[f]
            rec.value(f, "membership", "legislatures", "seed001", lines, quote,
                      "R4: an association of legislatures or their chairs, by its name; seed001 "
                      "L1468-1478 separates such cooperation from cooperation between governments")
        elif f in MIXED:
            lines, quote, why = MIXED[f]
            rec.value(f, "membership", "mixed", "seed001", lines, quote, f"R4: {why}")
        elif f in FN34:
            rec.value(f, "membership", "governments", "seed001", "2311-2312",
                      "dikembangkan oleh beberapa pemerintah kabupaten atau kotamadya",
                      "R4: developed by kabupaten and city governments (seed001 fn 34)")
        elif cur[(f, "level")]["value"]:
            src, lines, quote = rec.cite(f, "level")
            note = "R4: members are governments, as the passage coding `level` describes them"
            if f in ("appsi", "mitra_praja_utama"):
                note += ("; seed001 L5463-5467 lists APPSI and Mitra Praja Utama after 'kerjasama di "
                         "antara legislatif provinsi', but names them as cooperation of provincial "
                         "governments (L169-171, L5467), which decides")
            rec.value(f, "membership", "governments", src, lines, quote, note)
        else:  # bkprs, visi_sumatera: level not stated, but named as forums between regions
            rec.value(f, "membership", "governments", "seed001", "176-178",
                      "forum kerjasama antar daerah yang berbasis regional dan sektoral",
                      "R4: listed among the regional forums of cooperation between regional "
                      "governments (antar daerah); no legislature or private member is named")
        # ---------------------------------------------------------------- R4 stage
        if f in FN34:
            rec.value(f, "stage", "initiative", "seed001", "2307",
                      "Beberapa rintisan kerjasama sudah sangat familiar dikenal masyarakat",
                      "R4: seed001 fn 34 (L2307-2314) presents it only as an early initiative "
                      "(rintisan, 'inisiatif ... yang sudah dirintis sejak lama'); no passage "
                      "describes a body")
        else:
            rec.value(f, "stage", "body", name_src, name_lines, name_quote,
                      "R4: named or described as an existing cooperation body")
        # ---------------------------------------------------------------- R6 case_group
        if f in JAPAN:
            rec.value(f, "case_group", "japan_associations", "seed001", "1450-1452",
                      "di Jepang terdapat enam organisasi yang mengurusi kerjasama antar daerah",
                      "R6: seed001 describes the six Japanese associations jointly (L1450-1466, "
                      "L1563-1567, L2047-2059, L2219-2233); their conditions and outcome rest on "
                      "those joint passages")
        elif f in GLOBAL_REGIONAL:
            rec.value(f, "case_group", "global_regional_orgs", "seed001", "2180-2184",
                      "Pada organisasi yang bekerja di tataran global dan regional",
                      "R6: its only condition value (legal_umbrella) rests on the class statement "
                      "of seed001 L2180-2184 about all eleven global and regional organisations")
        elif f in FN34:
            rec.value(f, "case_group", "seed001_fn34_initiatives", "seed001", "2307-2310",
                      "Beberapa rintisan kerjasama sudah sangat familiar dikenal masyarakat",
                      "R6: seed001 fn 34 describes Jabotabek and Gerbang Kertosusila in one sentence")
        else:
            rec.value(f, "case_group", f, name_src, name_lines, name_quote,
                      "R6: described on its own (its values do not rest on a joint description)")
        # ---------------------------------------------------------------- garbled notes
        for (ff, var), r in cur.items():
            if ff != f:
                continue
            m = GARBLED.match(r["note"])
            if m and m.group(1) == f:
                fixed = f"{name_src} L{name_lines} (named only){m.group(2)} " + r["note"][m.end():]
                rec.keep_with_note(f, var, fixed)

    # -------------------------------------------------------------------- R1 class statements
    mou = ("seed001", "2180-2184", "satu-satunya landasan hukum yang dipakai sebagai basis dalam "
           "melakukan kerjasama adalah kesepakatan bersama")
    for f in GLOBAL_REGIONAL:
        rec.value(f, "legal_umbrella", "0.67", *mou,
                  "[class seed001 L2180-2184] R1: the MoU is the only legal basis of organisations "
                  "working at the global and regional level - a formal agreement among members "
                  "(0.67); coded alike for all eleven bodies seed001 places at that level; no "
                  "statute is named for any of them")
        rec.value(f, "legal_basis", "Memorandum of Understanding (kesepakatan bersama)", *mou,
                  "[class seed001 L2180-2184] R1: class statement on organisations working at the "
                  "global and regional level, coded alike for all eleven")
    for f in STUDIED_CLASS:
        src, lines, quote = rec.cite(f, "central_support")
        rec.value(f, "central_support", "0.33", "seed001", "3761-3763",
                  "sistem pendukung yang relatif masih sangat lemah, terutama dari pemerintah pusat",
                  "[class seed001 L3761-3771] R1: the conclusion says of the four studied forums "
                  "('keempat lembaga', L3769) that support, above all from the central government, is "
                  "very weak; nothing central is stated for this forum itself. Barlingmascakeb, the "
                  "fourth, has its own statement (L5435-5437) with the same value")
    japan_tags = {"legal_umbrella": "1563-1567", "central_support": "2231-2233",
                  "fund_members": "2047-2051", "fund_central": "2051-2055", "status": "2227-2237",
                  "durable": "1578-1584", "legal_basis": "1563-1567"}
    for f in JAPAN:
        for var, lines in japan_tags.items():
            r = cur[(f, var)]
            note = r["note"]
            if not note.startswith("[class"):
                note = f"[class seed001 L{lines}] " + note
            rec.value(f, var, r["value"], r["source"], r["lines"], r["quote"], note)
        rec.value(f, "fund_donor", "0", "seed001", "2047-2051",
                  "Enam organisasi kerjasama daerah di Jepang memperoleh dana dari pemerintah daerah",
                  "[class seed001 L2047-2061] R2: the funding of the six is discussed (local "
                  "government budgets that are central transfers, other sources small) and no donor "
                  "is named")
        if f not in ("nga_japan", "japan_prefectural_assembly_chairs"):
            rec.missing(f, "fund_provincial", "ambiguous",
                        "[class seed001 L2047-2051] R2: the six draw on 'dana dari pemerintah daerah'; "
                        "in Japan prefectures are local governments too, and the text does not say "
                        "whether prefectural budgets fund this association of municipalities or their "
                        "assemblies", "seed001", "2047-2051")
    # seed004 L107 speaks of the weaknesses just described: SAMOTA (L97-99), Barlingmascakeb (L101-105)
    for f in ("barlingmascakeb", "samota"):
        for var in ("trust", "soccap"):
            r = cur[(f, var)]
            note = r["note"]
            if not note.startswith("[class"):
                note = "[class seed004 L105-111] R1: seed004's conclusion on the practices it has " \
                       "just described (SAMOTA L97-99, Barlingmascakeb L101-105), coded alike for " \
                       "both. " + note
            rec.value(f, var, r["value"], r["source"], r["lines"], r["quote"], note)

    # -------------------------------------------------------------------- R1 footnote citation
    rec.missing("auc", "legal_umbrella", "not_stated",
                "R1: the earlier 0.67 rested on footnote 32 (L2024, 'AUC Statute, article 3'), a "
                "citation of the source of a statement on membership; the text says nothing about "
                "AUC's legal basis (L2079-2089 is about its right to hold accounts and property)",
                "seed001", "1989-2001")
    rec.missing("auc", "legal_basis", "not_stated",
                "R1: only footnote 32 (L2024) cites an 'AUC Statute, article 3'; the text names no "
                "instrument founding or governing AUC", "seed001", "1989-2001")
    # -------------------------------------------------------------------- Kartamantul province
    rec.value("kartamantul", "prov_support", "0.33", "seed001", "2577-2581",
              "kesan kuat propinsi lepas tangan",
              "R1/R2 applied to the forum's own passages: the province is only a partner, gives the "
              "office venue and is 'lepas tangan' (fn 43, L2577-2583); its share of the wastewater "
              "project (L3338-3344) and the governor's 1997 predecessor body (L2410-2426) are "
              "isolated signs: more out than in (0.33). Reverts the adjudicated 0.67 of 2026-11-25")
    # -------------------------------------------------------------------- R2 funding completeness
    inta_dues = rec.cite("inta", "fund_members")
    for var in ("fund_central", "fund_donor"):
        rec.value("inta", var, "0", *inta_dues,
                  "R2: INTA's funding is discussed (member dues by category and GNP, Table 2); no "
                  f"{'central government funding beyond dues' if var == 'fund_central' else 'donor'} "
                  "is named")
    sponsor = ("seed001", "2063-2065", "MCE yang mengandalkan dana dari sejumlah perusahaan besar")
    for var, what in (("fund_members", "member contributions"), ("fund_central", "central funds")):
        rec.value("mce", var, "0", *sponsor,
                  f"R2: MCE's funding is discussed (corporate sponsors, L2063-2069); no {what} named")
    auc_fund = ("seed001", "2142-2146", "AUC Ukraina memberikan peluang bagi dukungan lembaga "
                "internasional")
    for var, what in (("fund_members", "member dues"), ("fund_provincial", "regional funds"),
                      ("fund_central", "central funds")):
        rec.value("auc", var, "0", *auc_fund,
                  f"R2: AUC's funding is discussed (support of international agencies, L2138-2146); "
                  f"no {what} named. The general statement that foreign bodies are mostly funded by "
                  "dues (L2033-2035, 'mayoritas') codes no forum (R1)")
    for f in forums(cur):
        level = cur[(f, "level")]["value"]
        if cur[(f, "prov_support")]["missing"] == "not_stated" and level in (
                "provincial", "national_association", "supranational"):
            rec.missing(f, "prov_support", "not_applicable",
                        f"R2 and the variable's rule: level {level} - the members are provinces, a "
                        "national association or span countries")
        if cur[(f, "fund_provincial")]["missing"] == "not_stated" and (
                level in ("provincial", "supranational") or f in ("appsi", "bks_dprd_provinsi")):
            rec.missing(f, "fund_provincial", "not_applicable",
                        f"R2: level {level} / members are provinces or span countries: no province "
                        "stands above the members")

    # -------------------------------------------------------------------- R3 observation years
    for f in forums(cur):
        r = cur[(f, "obs_year")]
        if r["value"] == "2006" and r["source"] == "seed001" and f != "kartamantul":
            src, lines, quote = rec.cite(f, "name")
            rec.value(f, "obs_year", "2006", src, lines, quote,
                      "R3: seed001 observed the forum in 2006, the year of its fieldwork and writing "
                      "(interviews dated 11 October 2006, L2443-2445, and 3 November 2006, "
                      "L2582-2583); this passage names the forum as existing")
    rec.value("pawonsari", "obs_year", "2006", "seed001", "2316-2317", "juga mengenal Pawonsari",
              "R3: seed001 (fieldwork 2006) describes Pawonsari as known and working; the JPIP "
              "best-practice rating it relays (Yunus 2005, L2376-2378) is a cited work's year, not an "
              "observation year")
    rec.value("pawonsari", "durable", "1", "seed001", "2319-2321",
              "berinisiatif mengembangkan kerjasama regional sejak akhir tahun 1980-an",
              "codebook rule: active and status 3 when seed001 observed it (2006), running since the "
              "late 1980s, i.e. at least 17 years")
    rec.missing("samota", "obs_year", "ambiguous",
                "R3: seed004 (written 2022 or later) relays Muhaidin (2015) (L53, L97-99, L217); the "
                "year in which the forum was in the described state is not stated, and 2015 is a "
                "cited work's publication year", "seed004", "53")
    # Barlingmascakeb: seed001 observed it in 2006 (the seed004 passage relays Harsanto 2012)
    rec.value("barlingmascakeb", "obs_year", "2006", "seed001", "2783",
              "Wawancara tim peneliti dengan Ade Paul Lukas (Manajer Barlingmascakeb), 12 Oktober 2006",
              "R3: seed001 observed the forum in October 2006 (interview with its manager; FGD with "
              "the members' BAPPEDA 12 October 2006, L3425-3427). The seed004 passage (L101-105) "
              "relays Harsanto's 2012 dissertation; 2012 is a cited work's year, not an observation "
              "year (before issue 11 obs_year was 2012)")
    rec.value("barlingmascakeb", "active", "1", "seed001", "2734-2736",
              "forum kerjasama Barlingmascakeb telah berhasil melakukan beberapa upaya dasar",
              "operating in 2006: manager and regional-management secretariat (L2726-2732), basic "
              "investment-promotion work done (L2734-2740)")
    rec.value("barlingmascakeb", "status", "2", "seed001", "2734-2736",
              "forum kerjasama Barlingmascakeb telah berhasil melakukan beberapa upaya dasar",
              "2006: operating with programmes, not described as a success; members' DPRD members "
              "say it 'perlu ditinjau keberadaannya' for lack of visible welfare gains (L3641-3655, "
              "from a 2005 newspaper, fn 57/63). The later seed004 passage (L103-105: outputs very "
              "low, outcomes not delivered, a new autonomous institution recommended) is its second "
              "observation (issue 11 step 3)")
    rec.value("barlingmascakeb", "durable", "0", "seed001", "2668-2678",
              "nomor 16 tahun 2003 pada tanggal 28 Juni 2003",
              "codebook rule at the 2006 observation: active, status 2, but 2006 - 2003 = 3 < 5 "
              "years (active but younger than five years = 0). Was 1 on the 2012 publication year "
              "of a cited dissertation (R3)")
    rec.keep_with_note("barlingmascakeb", "ended",
                       "active when last observed (seed001, 2006); seed004 (L101-105, relaying "
                       "Harsanto 2012) recommends a new institution but reports no end")

    # -------------------------------------------------------------------- R5 identity
    rec.keep_with_note("bks_dprd_provinsi", "name",
                       "cooperation body of the provincial legislatures (seed001 L171). R5: the ADEPSI "
                       "of L5465 is not identified with it (no source says they are one body); ADEPSI "
                       "is not coded from this row")
    rec.keep_with_note("subosukowonosraten", "name",
                       "acronym of Surakarta, Boyolali, Sukoharjo, Karanganyar, Wonogiri, Sragen, "
                       "Klaten (fn 3, L223-226). R5: the three-member SUBOSUKO of seed004 L95 is not "
                       "identified with this seven-member body (no source says so); nothing here is "
                       "coded from seed004")
    for (f, var), r in cur.items():
        if f == "bks_dprd_provinsi" and "L171 and L5465" in r["note"]:
            rec.keep_with_note(f, var, r["note"].replace("L171 and L5465", "L171"))
        if f == "subosukowonosraten" and "; seed004 L93-95" in r["note"]:
            rec.keep_with_note(f, var, r["note"].replace("; seed004 L93-95", ""))


if __name__ == "__main__":
    main(build)
