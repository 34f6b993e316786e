"""Inter-coder agreement against values worked out by hand."""

from __future__ import annotations

import math

import pytest

from kadstudy.data.codebook import parse_codebook
from kadstudy.data.codings import Coding
from tests.data.mini import CODEBOOK

yaml = pytest.importorskip("yaml")


def _codings(values: list[str], var: str = "active") -> list[Coding]:
    return [Coding(f"f{i}", var, v, "" if v else "not_stated") for i, v in enumerate(values)]


def test_binary_kappa_and_alpha_by_hand():
    """A = 1,1,0,0 and B = 1,0,0,0.

    Cohen: p_o = 3/4; p_e = .5*.25 + .5*.75 = .5; kappa = (.75 - .5) / (1 - .5) = 0.5.
    Krippendorff (nominal): coincidences o11 = 2, o10 = o01 = 1, o00 = 4; n = 8, n1 = 3, n0 = 5;
    D_o = 2/8; D_e = 2*3*5 / (8*7) = 30/56; alpha = 1 - (1/4)/(30/56) = 8/15.
    """
    from kadstudy.data.agreement import agreement

    cb = parse_codebook(yaml.safe_load(CODEBOOK))
    table = agreement(_codings(["1", "1", "0", "0"]), _codings(["1", "0", "0", "0"]), cb)
    row = table.set_index("variable").loc["active"]
    assert row["n"] == 4
    assert row["agree"] == pytest.approx(0.75)
    assert row["kappa"] == pytest.approx(0.5)
    assert row["alpha"] == pytest.approx(8 / 15)


def test_missing_values_are_left_out_of_kappa():
    """Pairs where one coder has no value do not count in n or kappa."""
    from kadstudy.data.agreement import agreement

    cb = parse_codebook(yaml.safe_load(CODEBOOK))
    table = agreement(_codings(["1", "1", "0", "0", "1"]), _codings(["1", "0", "0", "0", ""]), cb)
    row = table.set_index("variable").loc["active"]
    assert row["n"] == 4 and row["missing_b"] == 1
    assert row["kappa"] == pytest.approx(0.5)


def test_perfect_agreement_on_one_category_has_no_kappa():
    from kadstudy.data.agreement import agreement

    cb = parse_codebook(yaml.safe_load(CODEBOOK))
    table = agreement(_codings(["1", "1"]), _codings(["1", "1"]), cb)
    row = table.set_index("variable").loc["active"]
    assert row["agree"] == 1.0 and math.isnan(row["kappa"])


def test_coded_vs_missing_cells_count_as_disagreements():
    """A = 1,1,0,0,1,-,- and B = 1,0,0,0,-,1,- (- = missing code).

    Units 7; both coded 4 (agree 3); one coded 2 (f4: A only, f5: B only); both missing 1 (f6).
    agree_all = (3 identical + 1 both missing) / 7 = 4/7; missing_a 2, missing_b 2.
    """
    from kadstudy.data.agreement import agreement

    cb = parse_codebook(yaml.safe_load(CODEBOOK))
    table = agreement(_codings(["1", "1", "0", "0", "1", "", ""]),
                      _codings(["1", "0", "0", "0", "", "1", ""]), cb).set_index("variable")
    row = table.loc["active"]
    assert (row["units"], row["n"], row["one_coded"], row["both_missing"]) == (7, 4, 2, 1)
    assert row["agree"] == pytest.approx(3 / 4)
    assert row["agree_all"] == pytest.approx(4 / 7)
    assert (row["missing_a"], row["missing_b"]) == (2, 2)
    pooled = table.loc["(all)"]
    assert (pooled["units"], pooled["one_coded"]) == (7, 2)
    assert pooled["agree_all"] == pytest.approx(4 / 7)


def test_cells_only_one_file_has_are_not_units():
    """B coded f0 and f1 only; A's f2 is outside the comparison (not a missing value of B)."""
    from kadstudy.data.agreement import agreement

    cb = parse_codebook(yaml.safe_load(CODEBOOK))
    table = agreement(_codings(["1", "0", "1"]), _codings(["1", "0"]), cb).set_index("variable")
    assert table.loc["active", "units"] == 2 and table.loc["active", "missing_b"] == 0


def test_adjudication_outcomes_from_history():
    """Five cells, the master's history written by hand:
    f0 A 1 (no history), B 1 -> agreed; f1 A 0 -> 1 (adjudicated), B 1 -> adopted;
    f2 A 0, B 1 -> rejected; f3 A 0 -> 1 (adjudicated) -> 0 (rules), B 1 -> adopted, later changed;
    f4 A not_stated, B not_stated -> left out (neither gave a value)."""
    import json

    from kadstudy.data.agreement import adjudication, as_first_coded

    def hist(*records):
        return json.dumps([{"value": v, "missing": m, "coder": who} for v, m, who in records])

    a = [Coding("f0", "active", "1", coder="a"),
         Coding("f1", "active", "1", coder="adjudicated", history=hist(("0", "", "a"))),
         Coding("f2", "active", "0", coder="a"),
         Coding("f3", "active", "0", coder="rules", history=hist(("0", "", "a"), ("1", "", "adjudicated"))),
         Coding("f4", "active", "", "not_stated", coder="a")]
    b = [Coding(f"f{i}", "active", v, "" if v else "not_stated") for i, v in enumerate("1111")] + [
        Coding("f4", "active", "", "not_stated")]
    table = adjudication(a, b).set_index("forum")
    assert list(table.index) == ["f0", "f1", "f2", "f3"]
    assert table["outcome"].to_dict() == {"f0": "agreed", "f1": "adopted", "f2": "rejected",
                                          "f3": "adopted, later changed"}
    assert table.loc["f3", "changed_by"] == "adjudicated, rules"
    assert [c.value for c in as_first_coded(a)] == ["1", "0", "0", "0", ""]
