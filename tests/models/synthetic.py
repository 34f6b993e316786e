"""A SYNTHETIC dataset for the regression, survival and cluster analysis kinds: made-up forums,
values drawn from a seeded generator, and a made-up source text. Nothing here is real data."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tests.pipeline.synthetic import write_dataset

FUZZY = '{"0": out, "0.33": more out, "0.67": more in, "1": in}'
CODEBOOK = f"""dataset: synmod
case_id: forum_id
missing_codes: {{not_stated: the source does not say, not_applicable: does not apply}}
sources:
  syn: {{file_prefix: "902_", citation: SYNTHETIC test source}}
variables:
  - {{id: name, label: {{en: Name, id: Nama}}, type: text, definition: Name.}}
  - id: country
    label: {{en: Country, id: Negara}}
    type: categorical
    values: {{IDN: Indonesia, ZAF: South Africa}}
    definition: Country.
  - id: scope
    label: {{en: Scope, id: Lingkup}}
    type: categorical
    values: {{domestic: Indonesian, foreign: not Indonesian}}
    definition: Scope.
  - id: kind
    label: {{en: Kind, id: Jenis}}
    type: categorical
    values: {{secretariat: joint secretariat, association: association, forum: forum}}
    definition: Institutional form.
  - {{id: started, label: {{en: Started, id: Mulai}}, type: year, definition: Year founded.}}
  - {{id: seen, label: {{en: Seen, id: Diamati}}, type: year, definition: Year last observed.}}
  - {{id: stopped, label: {{en: Stopped, id: Berhenti}}, type: year, definition: Year it ended.}}
  - id: running
    label: {{en: Running, id: Berjalan}}
    type: binary
    values: {{"0": ended, "1": running}}
    definition: Running when observed.
  - {{id: a, label: {{en: A, id: A}}, type: fuzzy, values: {FUZZY}, definition: Condition A.}}
  - {{id: b, label: {{en: B, id: B}}, type: fuzzy, values: {FUZZY}, definition: Condition B.}}
  - {{id: k, label: {{en: K, id: K}}, type: fuzzy, values: {FUZZY}, definition: Constant condition.}}
  - id: c
    label: {{en: C, id: C}}
    type: binary
    values: {{"0": no, "1": yes}}
    definition: Condition C.
  - id: y
    label: {{en: Y, id: Y}}
    type: binary
    values: {{"0": no, "1": yes}}
    definition: Outcome.
  - id: grade
    label: {{en: Grade, id: Tingkat}}
    type: ordinal
    values: {{"0": ended, "1": stagnant, "2": active, "3": thriving}}
    definition: Graded outcome.
"""

LEVELS = [0.0, 0.33, 0.67, 1.0]


def cases(n: int = 30, seed: int = 12) -> dict[str, dict[str, str]]:
    """forum -> variable -> coded value ('' = missing). y depends on a and b, without separation;
    grade follows y; some forums ended (running = 0, with a stop year)."""
    rng = np.random.default_rng(seed)
    out: dict[str, dict[str, str]] = {}
    for i in range(n):
        a = LEVELS[int(rng.integers(0, 4))]
        b = LEVELS[int(rng.integers(0, 4))]
        c = int(rng.random() < 0.5)
        p = 1 / (1 + np.exp(-(-1.5 + 2.0 * a + 1.2 * b)))
        y = int(rng.random() < p)
        started = int(rng.integers(1990, 2005))
        seen = 2012
        running = int(rng.random() < 0.35 + 0.5 * a)
        stopped = int(min(seen, started + rng.integers(1, 15))) if not running else None
        grade = (2 + int(rng.random() < 0.5)) if y else int(rng.integers(0, 2))
        rec = {"name": f"Forum {i}", "country": "IDN" if i % 3 else "ZAF",
               "scope": "domestic" if i % 3 else "foreign",
               "kind": ["secretariat", "association", "forum"][i % 3],
               "started": str(started), "seen": str(seen), "stopped": str(stopped or ""),
               "running": str(running), "a": f"{a:g}", "b": f"{b:g}", "k": "0.67", "c": str(c),
               "y": str(y), "grade": str(grade)}
        out[f"f{i:02d}"] = rec
    # knock out a few values: listwise deletion must report them
    out["f03"]["a"] = ""
    out["f07"]["b"] = ""
    out["f11"]["started"] = ""
    return out


def write(root: Path, n: int = 30) -> None:
    """The dataset under ``root/datasets/synmod`` and its source text under ``root/sources``."""
    lines = ["SYNTHETIC source text for tests, not a real document."]
    rows = []
    for forum, rec in cases(n).items():
        lines.append(" ".join(f"{forum} {var}={value or 'unknown'};" for var, value in rec.items()))
        ln = str(len(lines))
        for var, value in rec.items():
            if value:
                rows.append([forum, var, value, "", "syn", ln, f"{forum} {var}={value};", "synthetic",
                             "", ""])
            else:
                code = "not_applicable" if var == "stopped" else "not_stated"
                rows.append([forum, var, "", code, "", "", "", "synthetic", "not coded", ""])
    write_dataset(root, "synmod", CODEBOOK, "902_synthetic.txt", lines, rows)
