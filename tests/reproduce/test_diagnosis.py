"""Comparison at the published precision and the diagnosis of differences, on hand examples whose
answers are worked out in the comments (not taken from the code's output)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from kadstudy.reproduce.compare import compare, diagnose_number, diagnose_text, norm_text, printed
from kadstudy.reproduce.rebuild import Rebuilt
from kadstudy.reproduce.spec import read_spec


def test_printed_rounds_as_r_prints() -> None:
    assert printed(0.81486, 3) == Decimal("0.815")
    assert printed(0.0499999999999999, 3) == Decimal("0.050")
    assert printed(13, 0) == Decimal("13")


def test_rounding_when_within_one_unit_of_the_last_digit() -> None:
    # printed 0.815; rebuilt 0.8156 rounds to 0.816, but |0.8156 - 0.815| = 0.0006 <= 0.001:
    # the publication truncated (or rounded an intermediate value), not a real difference
    reason, why = diagnose_number(Decimal("0.815"), 3, 0.8156, isolated=False, method="qca_solution")
    assert reason == "rounding"
    assert "0.8156" in why and "0.001" in why
    # printed 0.82 at two decimals, rebuilt 0.8139 rounds to 0.81; |0.8139 - 0.82| = 0.0061 <= 0.01
    assert diagnose_number(Decimal("0.82"), 2, 0.8139, isolated=True, method="count")[0] == "rounding"


def test_not_rounding_beyond_one_unit() -> None:
    # rebuilt 0.8175 prints 0.818 (0.8175 is stored as 0.81749999..., but |diff| = 0.0025 > 0.001)
    reason, _ = diagnose_number(Decimal("0.815"), 3, 0.8175, isolated=False, method="qca_truth_table")
    assert reason == "different calibration"


def test_exact_values_are_never_rounding() -> None:
    # a count of 13 printed as 12 cannot come from rounding: 13 is exact at 0 decimals
    reason, _ = diagnose_number(Decimal("12"), 0, 13, isolated=True, method="count")
    assert reason == "coding difference"


def test_transcription_error_needs_a_digit_slip_in_an_isolated_cell() -> None:
    # 0.851 printed, 0.815 rebuilt: the last two digits swapped
    reason, why = diagnose_number(Decimal("0.851"), 3, 0.815, isolated=True, method="qca_solution")
    assert reason == "transcription error" and "swapped" in why
    # 0.845 printed, 0.815 rebuilt: one digit of three changed
    reason, why = diagnose_number(Decimal("0.845"), 3, 0.815, isolated=True, method="qca_solution")
    assert reason == "transcription error" and "one digit" in why
    # the same slip when other cells of its row or column differ too: a different calibration
    reason, _ = diagnose_number(Decimal("0.851"), 3, 0.815, isolated=False, method="qca_solution")
    assert reason == "different calibration"
    # and in a dataset table: a coding difference
    assert diagnose_number(Decimal("0.851"), 3, 0.6, isolated=True, method="count")[0] == \
        "coding difference"


def test_text_normalisation_and_diagnosis() -> None:
    assert norm_text("Sekretariat  Bersama") == norm_text("sekretariat bersama")
    assert norm_text("GR, PT ,ES") == norm_text("GR,PT,ES")
    assert norm_text("fee\u2013for\u2013service") == norm_text("fee-for-service")
    reason, _ = diagnose_text("Sekretariat Bersma", "Sekretariat Bersama", isolated=True,
                              method="dataset_table")
    assert reason == "transcription error"
    assert diagnose_text("no", "yes", isolated=True, method="dataset_table")[0] == "coding difference"
    assert diagnose_text("DEV*STB", "DEV*~URB", isolated=False, method="qca_solution")[0] == \
        "different calibration"


SPEC = """title: hand example
citation: {author: a, year: n.d., title: t, table: "1", page: "2"}
method: qca_necessity
data: x.csv
parameters: {outcome: Y}
published:
  key: term
  columns: [term, {name: inclN, decimals: 3}, {name: RoN, decimals: 2}, label]
  rows:
    - [A, '0.815', '0.82', first]
    - [B, '-', null, second]
    - [C, '0.500', '0.50', third]
"""


@pytest.fixture
def hand_spec(tmp_path: Path):
    path = tmp_path / "hand.yaml"
    path.write_text(SPEC)
    return read_spec(path)


def _rebuilt(rows):
    return Rebuilt(columns=["term", "inclN", "RoN", "label"], key=["term"], rows=rows)


def test_compare_at_the_published_precision(hand_spec) -> None:
    comp = compare(hand_spec, _rebuilt([
        {"term": "A", "inclN": 0.81489, "RoN": 0.8249, "label": "other"},  # prints 0.815, 0.82
        {"term": "B", "inclN": None, "RoN": 0.3, "label": " Second "},     # '-' is empty; null skipped
        {"term": "C", "inclN": 0.5004, "RoN": 0.495, "label": "thrid"},    # prints 0.500, 0.49
    ]))
    # compared: inclN, RoN and label of 3 rows = 9 cells, less B/RoN (null, not stated) = 8;
    # they agree: A/inclN, A/RoN, B/inclN (both empty), B/label (normalised), C/inclN = 5
    assert comp.compared == 8 and comp.matched == 5
    by_cell = {(d.row_label, d.column): d for d in comp.differences}
    assert set(by_cell) == {("A", "label"), ("C", "label"), ("C", "RoN")}
    # 0.495 is stored as 0.49499999...; printf gives 0.49, one unit below the printed 0.50, and
    # |0.495 - 0.50| = 0.005 <= 0.01: rounding
    assert by_cell[("C", "RoN")].reason == "rounding"
    assert by_cell[("C", "RoN")].difference == "-0.01"
    # 'thrid' for 'third' is a slip, but C has two differing cells (not isolated): it is read as
    # a different result of the (QCA) method; 'other' for 'first' is not a slip at all
    assert by_cell[("C", "label")].reason == "different calibration"
    assert by_cell[("A", "label")].reason == "different calibration"
    assert comp.status == "mismatch"


def test_missing_and_extra_rows(hand_spec) -> None:
    comp = compare(hand_spec, _rebuilt([
        {"term": "A", "inclN": 0.815, "RoN": 0.82, "label": "first"},
        {"term": "B", "inclN": None, "RoN": None, "label": "second"},
        {"term": "D", "inclN": 0.1, "RoN": 0.1, "label": "fourth"},
    ]))
    rows = {(d.row_label, d.published, d.rebuilt) for d in comp.differences}
    assert rows == {("C", "row printed", "no such row"), ("D", "no such row", "row rebuilt")}
    assert all(d.reason == "different calibration" for d in comp.differences)
