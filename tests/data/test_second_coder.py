"""The second coder's blind codings of ten forums: every quote is in its seed lines, and
`kadstudy data agreement` reports what a direct comparison of the two files gives."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kadstudy.data import Dataset
from kadstudy.data.agreement import agreement
from kadstudy.data.codings import read_codings
from kadstudy.data.validate import check_codings, check_quotes, read_sources
from tests.conftest import REPO

FOLDER = REPO / "datasets" / "kad_forums"
CODER_B = FOLDER / "second_coder" / "codings_coder_b.csv"


def _values(path: Path) -> dict[tuple[str, str], str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {(r["forum_id"], r["variable"]): r["value"] for r in csv.DictReader(fh)}


def test_coder_b_rows_are_valid_and_quotes_found(seeds_dir: Path):
    cb = Dataset(FOLDER).codebook()
    rows = read_codings(CODER_B)
    assert {c.coder for c in rows} == {"coder_b"}
    assert len({c.forum_id for c in rows}) == 10
    row_problems = [p for p in check_codings(rows, cb, CODER_B.name) if "has no row for" not in p.message]
    assert row_problems == []            # a partial coding: only the required-variables rule is waived
    assert check_quotes(rows, read_sources(cb, seeds_dir), CODER_B.name) == []


def test_agreement_equals_a_direct_count():
    a, b = _values(FOLDER / "codings.csv"), _values(CODER_B)
    table = agreement(read_codings(FOLDER / "codings.csv"), read_codings(CODER_B),
                      Dataset(FOLDER).codebook()).set_index("variable")
    for var in sorted({v for _, v in b}):
        pairs = [(a[k], b[k]) for k in b if k[1] == var and a.get(k) and b.get(k)]
        assert table.loc[var, "n"] == len(pairs)
        if pairs:
            assert table.loc[var, "agree"] == pytest.approx(sum(x == y for x, y in pairs) / len(pairs))
