"""R 3.25's truthTable() with two inclusion cut-offs misplaces the contradiction (C) marks when
n.cut drops observed rows (docs/r-differences.md). R's line

    tt$OUT[ipc[2, !obremove] < ic1 & agteb(ipc[2, !obremove], ic0)] <- "C"

indexes all observed rows with a logical vector computed over the rows kept by n.cut only;
R recycles the shorter logical index, so the marks shift. ``truth_table(r_compat=True)``
reproduces it; the default marks each row by its own incl.

Minimal example (crisp A, B; incl_cut 0.8, 0.5; n_cut 2), rows in row-number order:
row 1 (00): one case, Y 1 -> n 1 < 2: remainder ?
row 2 (01): two cases, Y 1 and 0 -> incl 0.5: C (0.5 <= incl < 0.8)
row 4 (11): two cases, Y 1 and 1 -> incl 1: OUT 1
R: kept rows 2, 4 give the logical index (TRUE, FALSE), recycled over the three observed
rows as (TRUE, FALSE, TRUE): rows 1 and 4 get C, row 2 keeps its 0.
"""

import itertools

import pandas as pd
import pytest

from kadstudy.sets import truth_table

CUTS = (0.8, 0.5)


def _frame(cases: list[tuple[int, int, int]]) -> pd.DataFrame:
    return pd.DataFrame(cases, columns=["A", "B", "Y"], index=[f"c{i}" for i in range(len(cases))])


def _out(tt) -> dict[int, str]:
    return {int(r): str(v) for r, v in tt.rows["OUT"].items()}


def test_minimal_example():
    frame = _frame([(0, 0, 1), (0, 1, 1), (0, 1, 0), (1, 1, 1), (1, 1, 1)])
    assert _out(truth_table(frame, "Y", incl_cut=CUTS, n_cut=2)) == {1: "?", 2: "C", 4: "1"}
    assert _out(truth_table(frame, "Y", incl_cut=CUTS, n_cut=2, r_compat=True)) == {
        1: "C", 2: "0", 4: "C"}


def _by_definition(cases, n_cut):
    """Each observed row from its own cases: ? below n_cut, 1 at incl >= 0.8, C at
    0.5 <= incl < 0.8, else 0."""
    out = {}
    for a, b in sorted({(a, b) for a, b, _ in cases}):
        ys = [y for x1, x2, y in cases if (x1, x2) == (a, b)]
        incl = sum(ys) / len(ys)
        row = 2 * a + b + 1
        if len(ys) < n_cut:
            out[row] = "?"
        else:
            out[row] = "1" if incl >= CUTS[0] else "C" if incl >= CUTS[1] else "0"
    return out


def _as_r_does(cases, n_cut):
    """The R statement transliterated: 1/0 for kept rows, then C at every position i of the
    observed rows whose recycled flag (position i mod k among the kept rows) is set."""
    rows = sorted({(a, b) for a, b, _ in cases})
    stats = []
    for a, b in rows:
        ys = [y for x1, x2, y in cases if (x1, x2) == (a, b)]
        stats.append((2 * a + b + 1, len(ys), sum(ys) / len(ys)))
    out = {r: ("?" if n < n_cut else "1" if incl >= CUTS[0] else "0") for r, n, incl in stats}
    flags = [CUTS[1] <= incl < CUTS[0] for _, n, incl in stats if n >= n_cut]
    for i, (r, _, _) in enumerate(stats):
        if flags and flags[i % len(flags)]:
            out[r] = "C"
    return out


@pytest.mark.parametrize("n_cut", [1, 2])
def test_brute_force_every_small_crisp_dataset(n_cut):
    """Every multiset of 1 to 4 cases over (A, B, Y) in {0, 1}^3: the default table is the
    definition; r_compat is R's statement; they differ only when n_cut drops a row."""
    kinds = list(itertools.product([0, 1], repeat=3))
    differ = 0
    for size in range(1, 5):
        for cases in itertools.combinations_with_replacement(kinds, size):
            cases = list(cases)
            frame = _frame(cases)
            if not (n_cut <= max(sum(1 for c in cases if c[:2] == k[:2]) for k in cases)):
                continue  # no row reaches n_cut (R stops: "no configurations")
            default = _out(truth_table(frame, "Y", incl_cut=CUTS, n_cut=n_cut))
            compat = _out(truth_table(frame, "Y", incl_cut=CUTS, n_cut=n_cut, r_compat=True))
            assert default == _by_definition(cases, n_cut), cases
            assert compat == _as_r_does(cases, n_cut), cases
            if compat != default:
                differ += 1
                assert any(v == "?" for v in default.values()), cases  # a row was dropped
    if n_cut == 1:
        assert differ == 0
    else:
        assert differ > 0
