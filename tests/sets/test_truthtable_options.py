"""Truth table options as R QCA's truthTable(): sort.by / decreasing, show.cases; worked by hand.

Crisp A, B. Row 1 (00): cases a, b with Y = 1, 0 -> n 2, incl 1/2. Row 2 (01): c, Y = 1 -> n 1,
incl 1. Row 3 (10): d, e, f with Y = 1, 1, 0 -> n 3, incl 2/3. Row 4 (11): g, h, Y = 1, 1 ->
n 2, incl 1.
"""

import pandas as pd
import pytest

from kadstudy.sets import QCAInputError, truth_table
from kadstudy.sets.truthtable import sort_rows


@pytest.fixture
def frame():
    return pd.DataFrame(
        {"A": [0, 0, 0, 1, 1, 1, 1, 1], "B": [0, 0, 1, 0, 0, 0, 1, 1],
         "Y": [1, 0, 1, 1, 1, 0, 1, 1]},
        index=list("abcdefgh"),
    )


def _order(tt) -> list[int]:
    return [int(i) for i in tt.rows.index]


def test_sort_by_incl_then_n(frame):
    # incl decreasing: rows 2 and 4 (1), 3 (2/3), 1 (1/2); the tie by n decreasing: 4 (2), 2 (1)
    assert _order(truth_table(frame, "Y", sort_by=["incl", "n"])) == [4, 2, 3, 1]
    assert _order(truth_table(frame, "Y", sort_by=["incl", "n"], decreasing=[True, False])) == [
        2, 4, 3, 1]
    # one key: ties stay in row-number order (rows 1 and 4 have n = 2)
    assert _order(truth_table(frame, "Y", sort_by="n")) == [3, 1, 4, 2]
    assert _order(truth_table(frame, "Y", sort_by="n", decreasing=False)) == [2, 1, 4, 3]


def test_remainders_go_last_and_out_sorts(frame):
    # n_cut 2 makes row 2 (n = 1) a remainder: last although its incl is highest
    assert _order(truth_table(frame, "Y", n_cut=2, sort_by="incl")) == [4, 3, 1, 2]
    # incl_cut 0.6: OUT = 0 for row 1 only; decreasing OUT puts the 1s first
    assert _order(truth_table(frame, "Y", incl_cut=0.6, sort_by="out")) == [2, 3, 4, 1]


def test_show_cases(frame):
    assert "d,e,f" in truth_table(frame, "Y").summary()
    text = truth_table(frame, "Y", show_cases=False).summary()
    assert "d,e,f" not in text
    header = next(line for line in text.splitlines() if "incl" in line and "PRI" in line
                  and ":" not in line)
    assert header.split()[-1] == "PRI"


def test_bad_sort_key(frame):
    with pytest.raises(QCAInputError, match="sort_by 'inclS' is not a truth table column"):
        truth_table(frame, "Y", sort_by=["inclS"])
    tt = truth_table(frame, "Y")
    assert [int(i) for i in sort_rows(tt.rows, ["A", "B"], [False, True]).index] == [2, 1, 4, 3]
