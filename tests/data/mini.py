"""A tiny SYNTHETIC dataset for testing the data layer: two made-up forums coded from a made-up
source text. Nothing here is real data."""

from __future__ import annotations

from pathlib import Path

SOURCE_TEXT = """SYNTHETIC source text for tests, not a real document.
Forum Alpha was founded in 1990 by the regencies of Aa and Bb.
The heads of region of Aa and Bb meet every month and
sign every joint plan themselves.
Forum Beta was founded in 2004 and stopped meeting in 2005.
"""

CODEBOOK = """dataset: mini
case_id: forum_id
missing_codes:
  not_stated: the source does not say
  not_applicable: does not apply
sources:
  syn:
    file_prefix: "900_"
    citation: SYNTHETIC test source
variables:
  - {id: name, label: {en: Name, id: Nama}, type: text, definition: Name.}
  - id: country
    label: {en: Country, id: Negara}
    type: categorical
    values: {IDN: Indonesia, ZAF: South Africa}
    definition: Country.
  - id: scope
    label: {en: Scope, id: Lingkup}
    type: categorical
    values: {domestic: Indonesian, foreign: not Indonesian}
    definition: Scope.
  - {id: founded, label: {en: Founded, id: Dibentuk}, type: year, definition: Year founded.}
  - {id: obs_year, label: {en: Observed, id: Diamati}, type: year, definition: Year observed.}
  - id: active
    label: {en: Active, id: Aktif}
    type: binary
    values: {"0": ended, "1": active}
    definition: Active when observed.
  - {id: ended, label: {en: Ended, id: Berakhir}, type: year, definition: Year ended.}
  - id: commit
    label: {en: Commitment, id: Komitmen}
    type: fuzzy
    values: {"0": out, "0.33": more out, "0.67": more in, "1": in}
    definition: Commitment of heads.
  - id: durable
    label: {en: Durable, id: Berkelanjutan}
    type: binary
    values: {"0": no, "1": yes}
    definition: Active and at least five years old when observed.
"""

HEADER = "forum_id,variable,value,missing,source,lines,quote,coder,note,history\n"
ROWS = [
    "alpha,name,Forum Alpha,,syn,2,Forum Alpha was founded,t1,,",
    "alpha,country,IDN,,syn,2,regencies of Aa and Bb,t1,,",
    "alpha,scope,domestic,,syn,2,regencies of Aa and Bb,t1,,",
    "alpha,founded,1990,,syn,2,founded in 1990,t1,,",
    "alpha,obs_year,,not_stated,,,,t1,the text gives no date,",
    "alpha,active,1,,syn,3,meet every month,t1,,",
    "alpha,ended,,not_applicable,,,,t1,active,",
    'alpha,commit,1,,syn,3-4,"meet every month and sign every joint plan",t1,heads sign plans,',
    "alpha,durable,,not_stated,,,,t1,no observation year,",
    "beta,name,Forum Beta,,syn,5,Forum Beta was founded,t1,,",
    "beta,country,IDN,,syn,5,Forum Beta,t1,,",
    "beta,scope,domestic,,syn,5,Forum Beta,t1,,",
    "beta,founded,2004,,syn,5,founded in 2004,t1,,",
    "beta,obs_year,2005,,syn,5,stopped meeting in 2005,t1,,",
    "beta,active,0,,syn,5,stopped meeting,t1,,",
    "beta,ended,2005,,syn,5,stopped meeting in 2005,t1,,",
    "beta,commit,,not_stated,,,,t1,not said,",
    "beta,durable,0,,syn,5,stopped meeting in 2005,t1,ended after a year,",
]



def snapshot(folder: Path) -> dict[str, bytes]:
    """Bytes of every file in a folder, to prove a failed command changed nothing."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# An add-case file for a new forum of the mini dataset (every required variable given).
NEW_CASE = """forum_id: gamma
coder: t2
source: syn
codings:
  name: {value: Forum Gamma, lines: "1", quote: "SYNTHETIC source text"}
  country: {value: IDN, lines: "1", quote: "SYNTHETIC source text"}
  scope: {value: domestic, lines: "1", quote: "SYNTHETIC source text"}
  founded: {missing: not_stated, note: not given}
  obs_year: {missing: not_stated, note: not given}
  active: {missing: not_stated, note: not given}
  ended: {missing: not_stated, note: not given}
  commit: {missing: not_stated, note: not given}
  durable: {missing: not_stated, note: not given}
"""
