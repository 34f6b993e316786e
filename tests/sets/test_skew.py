"""Skewness check (SetMethods' skew.check share of cases > 0.5), counted by hand."""

import pandas as pd
import pytest

from kadstudy.sets import QCAInputError
from kadstudy.sets.skew import skewness


def test_shares_and_flags_by_hand():
    frame = pd.DataFrame(
        {
            "X": [0.6, 0.7, 0.8, 0.9, 0.95],  # 5/5 above 0.5 -> 100 %: flagged
            "Z": [0.2, 0.5, 0.51, 0.7, 0.1],  # 0.51, 0.7 -> 2/5 (0.5 itself is not above)
            "W": [1, 0, 0, 0, 0],  # crisp, 1/5 = 20 %: on the bound, not flagged
            "V": [0, 0, 0, 0, 0],  # 0 % -> flagged
        },
        index=list("abcde"),
    )
    res = skewness(frame)
    got = res.to_frame()
    assert got["above"].tolist() == [5, 2, 1, 0]
    assert got["share"].tolist() == [1.0, 0.4, 0.2, 0.0]
    assert res.flagged == ["X", "V"]
    assert skewness(frame, ["W"], extreme=0.25).flagged == ["W"]
    assert "SKEWED" in res.summary()
    assert res.to_dict()["flagged"] == ["X", "V"]


def test_skewness_errors():
    frame = pd.DataFrame({"M": [0, 1, 2], "X": [0.2, 0.4, 0.9]}, index=list("abc"))
    with pytest.raises(QCAInputError, match="'M' is multi-value"):
        skewness(frame)
    with pytest.raises(QCAInputError, match="extreme must be"):
        skewness(frame, ["X"], extreme=0.6)
