"""Properties on random tables (hypothesis), against independent oracles: pandas groupby for the
forum summaries, pingouin's ANOVA for the ICC mean squares, textbook invariances of alpha."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kadstudy.survey import cronbach_alpha, forum_table, icc_oneway, reverse_score, rwg_j, scale_scores
from tests.survey.test_by_hand import MINI

ITEMS = ["a", "b", "c", "d", "e"]


@st.composite
def surveys(draw):
    n = draw(st.integers(4, 40))
    answers = draw(st.lists(st.lists(st.integers(1, 5), min_size=5, max_size=5), min_size=n, max_size=n))
    forums = draw(st.lists(st.sampled_from(["p", "q", "r", "s"]), min_size=n, max_size=n))
    frame = pd.DataFrame(answers, columns=ITEMS, dtype=float)
    return frame, pd.Series(forums)


@pytest.fixture(scope="module")
def mini():
    from kadstudy.survey import parse_instrument

    return parse_instrument(MINI, "mini.yaml")


@settings(max_examples=60, deadline=None)
@given(surveys())
def test_forum_table_matches_groupby(mini, data):
    frame, forum = data
    scored = reverse_score(frame, mini)
    scores = scale_scores(scored, mini)
    table = forum_table(scored, scores, forum, mini).set_index(["forum_id", "score"])
    grouped = scores.groupby(forum)
    for score in ("s", "t"):
        for f, g in grouped[score]:
            row = table.loc[(f, score)]
            assert row["n"] == len(g)
            assert row["mean"] == pytest.approx(g.mean())
            assert row["median"] == pytest.approx(g.median())
            if len(g) > 1:
                assert row["sd"] == pytest.approx(g.std(ddof=1))
                assert 0 <= row["rwg_j"] <= 1
            else:
                assert np.isnan(row["sd"]) and np.isnan(row["rwg_j"])


@pytest.mark.filterwarnings("ignore:The inplace keyword")   # pingouin's own pandas 3 deprecation
@settings(max_examples=40, deadline=None)
@given(surveys())
def test_icc_mean_squares_match_pingouin_anova(data):
    import pingouin as pg

    frame, forum = data
    y = frame["a"] + frame["b"] * 0.5
    if forum.nunique() < 2 or len(y) - forum.nunique() < 1 or y.groupby(forum).var().fillna(0).sum() == 0:
        return
    codes = pd.Categorical(forum).codes.astype(np.int64)
    out = icc_oneway(y.to_numpy(dtype=float), codes, int(codes.max()) + 1)
    aov = pg.anova(data=pd.DataFrame({"y": y, "g": forum}), dv="y", between="g", detailed=True)
    assert out["msb"] == pytest.approx(float(aov["MS"].iloc[0]))
    assert out["msw"] == pytest.approx(float(aov["MS"].iloc[1]))
    if out["msb"] > 0:      # ICC(2) = 1 - 1/F; with no between-forum variance F = 0 and ICC(2) is undefined
        assert out["icc2"] == pytest.approx(1 - 1 / out["F"])
    else:
        assert math.isnan(out["icc2"])


@settings(max_examples=60, deadline=None)
@given(surveys(), st.lists(st.floats(-3, 3), min_size=3, max_size=3), st.permutations([0, 1, 2]))
def test_alpha_invariances(data, shifts, order):
    frame, _ = data
    block = frame[["a", "b", "c"]]
    if (block.var(ddof=1) == 0).any():
        return
    alpha = cronbach_alpha(block)[0]
    shifted = block + np.asarray(shifts)
    assert cronbach_alpha(shifted)[0] == pytest.approx(alpha, abs=1e-9)
    assert cronbach_alpha(block.iloc[:, list(order)])[0] == pytest.approx(alpha, abs=1e-9)


@given(st.floats(0, 10), st.integers(1, 30))
def test_rwg_bounds(variance, j):
    value = rwg_j(np.array([variance]), j, 2.0)[0]
    assert 0 <= value <= 1
