"""A SYNTHETIC QCA-sized dataset for pipeline tests: made-up forums, values and source text."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest

CODEBOOK = """dataset: synqca
case_id: forum_id
missing_codes: {not_stated: the source does not say}
sources:
  syn: {file_prefix: "901_", citation: SYNTHETIC test source}
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
  - {id: members_n, label: {en: Members, id: Anggota}, type: count, definition: Members.}
  - id: a
    label: {en: A, id: A}
    type: fuzzy
    values: {"0": out, "0.33": more out, "0.67": more in, "1": in}
    definition: Condition A.
  - id: b
    label: {en: B, id: B}
    type: fuzzy
    values: {"0": out, "0.33": more out, "0.67": more in, "1": in}
    definition: Condition B.
  - id: y
    label: {en: Y, id: Y}
    type: binary
    values: {"0": no, "1": yes}
    definition: Outcome.
"""

# forum: (country, members, a, b, y) -- y = a AND b by construction, except f8 ("deviant")
CASES = {
    "f1": ("IDN", 3, "1", "1", "1"),
    "f2": ("IDN", 5, "1", "0.67", "1"),
    "f3": ("IDN", 2, "0.67", "1", "1"),
    "f4": ("IDN", 4, "1", "0", "0"),
    "f5": ("ZAF", 6, "0", "1", "0"),
    "f6": ("ZAF", 7, "0.33", "0.33", "0"),
    "f7": ("ZAF", 2, "0", "0", "0"),
    "f8": ("IDN", 9, "", "1", "1"),
}


def write(root: Path) -> None:
    """Write the dataset under ``root/datasets/synqca`` and its source text under ``root/sources``."""
    lines = ["SYNTHETIC source text for tests, not a real document."]
    rows = []
    for forum, (country, n, a, b, y) in CASES.items():
        lines.append(f"Forum {forum} in {country} has {n} members; a={a or 'unknown'} b={b} y={y}.")
        ln = str(len(lines))
        for var, value, quote in (("name", f"Forum {forum}", f"Forum {forum}"),
                                  ("country", country, f"in {country}"),
                                  ("scope", "domestic" if country == "IDN" else "foreign",
                                   f"in {country}"),
                                  ("members_n", str(n), f"{n} members"),
                                  ("a", a, f"a={a}"), ("b", b, f"b={b}"), ("y", y, f"y={y}")):
            if value:
                rows.append([forum, var, value, "", "syn", ln, quote, "synthetic", "", ""])
            else:
                rows.append([forum, var, "", "not_stated", "", "", "", "synthetic", "unknown", ""])
    write_dataset(root, "synqca", CODEBOOK, "901_synthetic.txt", lines, rows)


def write_dataset(root: Path, name: str, codebook: str, source_file: str, lines: list[str],
                  rows: list[list[str]]) -> None:
    """Codebook and codings of dataset ``name`` under ``root/datasets``, and the source text (one
    string per line) as ``root/sources/<source_file>``."""
    folder = root / "datasets" / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "codebook.yaml").write_text(codebook, encoding="utf-8")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["forum_id", "variable", "value", "missing", "source", "lines", "quote", "coder",
                "note", "history"])
    w.writerows(rows)
    (folder / "codings.csv").write_text(buf.getvalue(), encoding="utf-8")
    (root / "sources").mkdir(exist_ok=True)
    (root / "sources" / source_file).write_text("\n".join(lines) + "\n", encoding="utf-8")


def make_project(root: Path, monkeypatch: pytest.MonkeyPatch, write_data: Callable[[Path], None] = write
                 ) -> Path:
    """A project root (pyproject.toml, an empty analyses/) holding a synthetic dataset, as the
    working directory."""
    (root / "pyproject.toml").write_text("", encoding="utf-8")
    write_data(root)
    (root / "analyses").mkdir(exist_ok=True)
    monkeypatch.chdir(root)
    return root


DESCRIPTIVE = "kind: descriptive\ntitle: Synthetic {name}\ndataset: synqca\nby: [country]\noutcome: y\n"

# Necessity of A for Y in QDATA, by hand (crisp): inclN = |A and Y| / |Y| = 2/2; covN = |A and Y| / |A|
# = 2/3; RoN = sum(1 - A) / sum(1 - min(A, Y)) = 1/2. For ~A: inclN = 0/2, covN = 0/1,
# RoN = sum(A) / sum(1 - min(1 - A, Y)) = 3/4.
QDATA = "case,A,Y\nc1,1,1\nc2,1,1\nc3,1,0\nc4,0,0\n"
NECESSITY = """title: "SYNTHETIC: necessity of A for Y"
citation: {author: Nobody, year: n.d., title: SYNTHETIC test table, table: "1", lines: "1-5"}
method: qca_necessity
data: data/syn.csv
parameters: {outcome: Y, conditions: [A]}
published:
  key: term
  columns: [term, {name: inclN, decimals: 3}, {name: RoN, decimals: 3}, {name: covN, decimals: 3}]
  rows:
    - ['A', '1.000', '0.500', '0.667']
    - ['~A', '0.000', '0.750', '0.000']
"""


def make_pipeline_project(root: Path, monkeypatch: pytest.MonkeyPatch,
                          names: tuple[str, ...] = ("one", "two"), replication: bool = False) -> Path:
    """A synthetic project with descriptive analyses ``names`` and, with ``replication``, one
    replication spec whose data live in the named data root beside the project
    (``../shared/qca-benchmarks/data/syn.csv``)."""
    project = root / "project"
    project.mkdir()
    make_project(project, monkeypatch)
    for name in names:
        (project / "analyses" / f"{name}.yaml").write_text(DESCRIPTIVE.format(name=name), encoding="utf-8")
    if replication:
        (project / "analyses" / "replications").mkdir()
        (project / "analyses" / "replications" / "syn-necessity.yaml").write_text(NECESSITY, encoding="utf-8")
        (root / "shared" / "qca-benchmarks" / "data").mkdir(parents=True)
        (root / "shared" / "qca-benchmarks" / "data" / "syn.csv").write_text(QDATA, encoding="utf-8")
    return project
