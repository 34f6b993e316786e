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
