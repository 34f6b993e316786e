"""Helpers for the issue-11 recoding scripts: read the master record, write add-case YAML files.

The scripts only write add-case files; `kadstudy data add-case --replace` applies them (validated,
old values kept in each row's `history`). They were run once, in order, on the record as it then was
(see README.md in this folder); they are kept as the reviewable record of what was changed and why.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
CODINGS = HERE.parent / "codings.csv"
CODER = "rules_issue11"


def current() -> dict[tuple[str, str], dict[str, str]]:
    with CODINGS.open(encoding="utf-8", newline="") as fh:
        return {(r["forum_id"], r["variable"]): r for r in csv.DictReader(fh)}


def forums(cur: dict) -> list[str]:
    return sorted({f for f, _ in cur})


class Recode:
    """Collects per-forum entries and writes one add-case file per forum."""

    def __init__(self, cur: dict) -> None:
        self.cur = cur
        self.out: dict[str, dict[str, dict[str, str]]] = {}

    def value(self, forum: str, var: str, value: object, source: str, lines: str, quote: str,
              note: str) -> None:
        self.out.setdefault(forum, {})[var] = {
            "value": str(value), "source": source, "lines": str(lines), "quote": quote, "note": note}

    def missing(self, forum: str, var: str, code: str, note: str, source: str = "",
                lines: str = "") -> None:
        entry = {"missing": code, "note": note}
        if source:
            entry |= {"source": source, "lines": str(lines)}
        self.out.setdefault(forum, {})[var] = entry

    def cite(self, forum: str, var: str) -> tuple[str, str, str]:
        """(source, lines, quote) of an existing coded row."""
        r = self.cur[(forum, var)]
        return r["source"], r["lines"], r["quote"]

    def keep_with_note(self, forum: str, var: str, note: str) -> None:
        """The existing row unchanged except its note."""
        r = self.cur[(forum, var)]
        if r["value"]:
            self.value(forum, var, r["value"], r["source"], r["lines"], r["quote"], note)
        else:
            self.missing(forum, var, r["missing"], note, r["source"], r["lines"])

    def write(self, folder: str | Path) -> list[Path]:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for forum, entries in sorted(self.out.items()):
            doc = {"forum_id": forum, "coder": CODER, "codings": entries}
            path = folder / f"{forum}.yaml"
            path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100),
                            encoding="utf-8")
            paths.append(path)
        return paths


def main(build) -> None:
    if len(sys.argv) != 2:
        sys.exit(f"usage: python {sys.argv[0]} OUTPUT_FOLDER")
    rec = Recode(current())
    build(rec)
    paths = rec.write(sys.argv[1])
    n = sum(len(e) for e in rec.out.values())
    print(f"{len(paths)} files, {n} entries")



