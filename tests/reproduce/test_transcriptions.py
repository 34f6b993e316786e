"""The seed-based specs quote the seeds at the lines they cite (checked against the texts)."""

from __future__ import annotations

import re
from pathlib import Path

from kadstudy.reproduce.spec import read_spec
from tests.reproduce.conftest import SPECS


def _lines(seeds_dir: Path, prefix: str, span: str) -> str:
    text = next(seeds_dir.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8").splitlines()
    first, _, last = span.partition("-")
    chunk = text[int(first) - 1:int(last or first)]
    return " ".join(" ".join(chunk).split()).casefold()


def _fragments(statement: str) -> list[str]:
    """The verbatim parts of a transcribed statement: without '(... listed)' remarks, split at '...'."""
    statement = re.sub(r"\s*\([^)]*listed\)$", "", statement)
    return [" ".join(f.split()).casefold() for f in statement.split("...") if f.strip()]


def test_stated_counts_quote_their_lines(seeds_dir: Path) -> None:
    spec = read_spec(SPECS / "seed001-stated-counts.yaml")
    for row in spec.published.rows:
        where = _lines(seeds_dir, "001", row["lines"].text)
        for fragment in _fragments(row["statement"].text):
            assert fragment in where, (row["claim"].text, fragment)


def test_seed002_models_are_printed_at_their_lines(seeds_dir: Path) -> None:
    spec = read_spec(SPECS / "seed002-cooperation-models.yaml")
    for row in spec.published.rows:
        where = _lines(seeds_dir, "002", row["lines"].text)
        assert " ".join(row["model"].text.split()).casefold() in where, row["model"].text
    claim = _lines(seeds_dir, "002", spec.published.column("used_in_indonesia").lines)
    assert "model kerjasama di indonesia menggunakan model jointly-formed authorities" in claim


def test_four_forums_columns_cite_what_they_say(seeds_dir: Path) -> None:
    spec = read_spec(SPECS / "seed001-four-forums.yaml")
    said = {  # a phrase of each compared column's cited lines that carries the cells
        "institutional_form": "sekretariat bersama komisariat wilayah (komwil) vi",
        "managed_by": "dikelola oleh kalangan profesional",
        "local_government_funds": "dukungan dana sepenuhnya diberikan oleh pemerintah daerah",
        "international_funds": "sepenuhnya mengandalkan sumber dananya dari dukungan lembaga internasional",
        "central_support": "sistem pendukung yang relatif masih sangat lemah, terutama dari pemerintah pusat",
        "legal_basis": "dasar hukum yang menjamin eksistensi keberadaannya",
    }
    for col in spec.published.columns:
        if col.compare:
            assert said[col.name] in _lines(seeds_dir, "001", col.lines), col.name
