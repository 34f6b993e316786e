"""Reliability, agreement and ICC on tables small enough to work by hand. Every expected value is
worked out in the docstring (or by the textbook formula in the test), never taken from the code."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from kadstudy.survey import (
    calibrate_forums,
    cronbach_alpha,
    forum_table,
    icc_oneway,
    item_analysis,
    parse_instrument,
    reverse_score,
    rwg_j,
    scale_scores,
)

MINI = {
    "instrument": "mini",
    "title": {"en": "Mini", "id": "Mini"},
    "operationalisation": "test wording",
    "response_scales": {"l5": {"min": 1, "max": 5}},
    "roles": {"staff": "staff"},
    "sources": {"src": {"file_prefix": "999_", "citation": "none"}},
    "calibration": {"anchors": [2.0, 3.0, 4.0], "min_respondents": 3},
    "scales": [
        {"id": "s", "label": {"en": "S", "id": "S"}, "set": "SS",
         "grounding": [{"source": "src", "lines": "1"}],
         "items": [{"id": i, "text": {"id": i, "en": i}, "response": "l5", "reverse": i == "c",
                    "grounding": [{"source": "src", "lines": "1"}]} for i in ("a", "b", "c")]},
        {"id": "t", "label": {"en": "T", "id": "T"}, "set": "TT",
         "grounding": [{"source": "src", "lines": "2"}],
         "items": [{"id": i, "text": {"id": i, "en": i}, "response": "l5", "reverse": False,
                    "grounding": [{"source": "src", "lines": "2"}]} for i in ("d", "e")]},
    ],
}

# Five respondents, items a, b and c; c is reverse-keyed, so its raw answers 4,3,3,1,2 score as
# 6 - raw = 2,3,3,5,4.
TABLE = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 2, 4, 4, 3], "c": [4, 3, 3, 1, 2],
                      "d": [3] * 5, "e": [3] * 5}, dtype=float)


@pytest.fixture
def mini():
    return parse_instrument(MINI, "mini.yaml")


def test_reverse_scoring(mini):
    scored = reverse_score(TABLE, mini)
    assert scored["c"].tolist() == [2, 3, 3, 5, 4]
    assert scored["a"].tolist() == TABLE["a"].tolist()


def test_alpha_textbook(mini):
    """Item variances (n - 1): a = 10/4 = 2.5; b = 4/4 = 1.0; c (scored 2,3,3,5,4, mean 3.4) = 5.2/4 = 1.3.
    Row totals 5, 7, 10, 13, 12 (mean 9.4): squared deviations 19.36 + 5.76 + 0.36 + 12.96 + 6.76 = 45.2,
    variance 11.3. alpha = 3/2 (1 - 4.8/11.3) = 9.75/11.3."""
    scored = reverse_score(TABLE, mini)[["a", "b", "c"]]
    alpha, lo, hi, n = cronbach_alpha(scored)
    assert n == 5
    assert alpha == pytest.approx(9.75 / 11.3, abs=1e-12)
    # the textbook formula k/(k-1) (1 - sum var_i / var_total), computed here from the table
    k = 3
    var_i = scored.var(ddof=1).sum()
    var_total = scored.sum(axis=1).var(ddof=1)
    assert var_i == pytest.approx(4.8) and var_total == pytest.approx(11.3)
    assert alpha == pytest.approx(k / (k - 1) * (1 - var_i / var_total), abs=1e-12)
    # Feldt interval: 1 - (1 - alpha) F, F the upper/lower 2.5% points of F(n - 1, (n - 1)(k - 1))
    f_hi, f_lo = stats.f.isf(0.025, 4, 8), stats.f.isf(0.975, 4, 8)
    assert lo == pytest.approx(1 - (1 - 9.75 / 11.3) * f_hi, abs=1e-3)   # pingouin rounds to 3 places
    assert hi == pytest.approx(1 - (1 - 9.75 / 11.3) * f_lo, abs=1e-3)


def test_item_rest_and_alpha_if_deleted(mini):
    """Item a against b + c = 4, 5, 7, 9, 7 (mean 6.4): cross products of deviations
    (-2)(-2.4) + (-1)(-1.4) + 0 + (1)(2.6) + (2)(0.6) = 10; sums of squares 10 and 15.2;
    r = 10 / sqrt(152). Without c: variances 2.5 and 1.0, totals 3, 4, 7, 8, 8 (mean 6) with
    variance 22/4 = 5.5, alpha = 2 (1 - 3.5/5.5) = 4/5.5."""
    table = item_analysis(reverse_score(TABLE, mini), mini)
    assert table.loc["a", "item_rest_r"] == pytest.approx(10 / math.sqrt(152), abs=1e-12)
    assert table.loc["c", "alpha_if_deleted"] == pytest.approx(4 / 5.5, abs=1e-12)
    assert table.loc["c", "reverse"] == "yes"
    assert table.loc["c", "mean"] == pytest.approx(3.4)
    assert math.isnan(table.loc["d", "alpha_if_deleted"])   # one item left: no alpha


def test_scale_score_needs_half_the_items(mini):
    """Scale s has 3 items: a score needs ceil(0.5 * 3) = 2 answers."""
    frame = pd.DataFrame({"a": [4, 4, np.nan], "b": [2, np.nan, np.nan], "c": [5, np.nan, 1],
                          "d": [1, 2, 3], "e": [5, 4, np.nan]}, dtype=float)
    scores = scale_scores(reverse_score(frame, mini), mini)
    assert scores["s"].iloc[0] == pytest.approx((4 + 2 + 1) / 3)      # c: 6 - 5 = 1
    assert math.isnan(scores["s"].iloc[1]) and math.isnan(scores["s"].iloc[2])
    assert scores["t"].tolist()[:2] == [3.0, 3.0] and scores["t"].iloc[2] == 3.0   # 1 of 2 answered


def test_rwg_and_forum_table(mini):
    """Forum A: d = 3, 4, 5 (variance 1), e = 4, 4, 4 (variance 0); mean item variance 0.5, null
    variance (5^2 - 1)/12 = 2, ratio 0.25, rwg(2) = 2(0.75) / (2(0.75) + 0.25) = 6/7.
    Forum B: d = 1, 5, 1 (mean 7/3, variance (16 + 64 + 16)/9/2 = 48/9), e = 2, 4, 3 (variance 1);
    mean variance 3.17 > 2: more spread than random answers, rwg = 0.
    Scale t scores: A 3.5, 4, 4.5 (mean 4, median 4, sd 0.5); B 1.5, 4.5, 2 (mean 8/3, median 2)."""
    frame = pd.DataFrame({"a": [3.0] * 6, "b": [3.0] * 6, "c": [3.0] * 6,
                          "d": [3, 4, 5, 1, 5, 1], "e": [4, 4, 4, 2, 4, 3]}, dtype=float)
    forum = pd.Series(["A", "A", "A", "B", "B", "B"])
    scored = reverse_score(frame, mini)
    table = forum_table(scored, scale_scores(scored, mini), forum, mini).set_index(["forum_id", "score"])
    a, b = table.loc[("A", "t")], table.loc[("B", "t")]
    assert (a["n"], a["mean"], a["median"]) == (3, pytest.approx(4), pytest.approx(4))
    assert a["sd"] == pytest.approx(0.5)
    assert a["rwg_j"] == pytest.approx(6 / 7)
    assert (b["mean"], b["median"], b["rwg_j"]) == (pytest.approx(8 / 3), pytest.approx(2), 0.0)
    assert not a["thin"]                              # min_respondents 3 in the mini instrument
    thin = forum_table(scored, scale_scores(scored, mini), forum, mini, min_respondents=4)
    assert thin["thin"].all()
    assert rwg_j(np.array([0.0]), 5, 2.0)[0] == 1.0   # perfect agreement


def test_icc_balanced():
    """Groups 1,2,3 | 3,4,5 | 5,6,7 (means 2, 4, 6; grand mean 4). MSB = 3 (4 + 0 + 4) / 2 = 12;
    MSW = (2 + 2 + 2) / (9 - 3) = 1; ICC(1) = (12 - 1) / (12 + 2 * 1) = 11/14; ICC(2) = 11/12; F = 12."""
    values = np.array([1, 2, 3, 3, 4, 5, 5, 6, 7], dtype=float)
    codes = np.repeat([0, 1, 2], 3)
    out = icc_oneway(values, codes, 3)
    assert (out["msb"], out["msw"], out["F"]) == (pytest.approx(12), pytest.approx(1), pytest.approx(12))
    assert out["icc1"] == pytest.approx(11 / 14) and out["icc2"] == pytest.approx(11 / 12)
    assert out["k0"] == pytest.approx(3)
    assert out["p"] == pytest.approx(stats.f.sf(12, 2, 6))


def test_icc_unbalanced_uses_k0():
    """Groups 1,3 (mean 2) | 4,4,6,6 (mean 5); N = 6, grand mean 4. MSB = (2*4 + 4*1) / 1 = 12;
    MSW = (2 + 4) / (6 - 2) = 1.5; k0 = 6 - (4 + 16)/6 = 8/3; ICC(1) = 10.5 / (12 + (5/3) 1.5) = 10.5/14.5;
    ICC(2) = 10.5/12. A missing value is ignored."""
    values = np.array([1, 3, 4, 4, 6, 6, np.nan])
    codes = np.array([0, 0, 1, 1, 1, 1, 1])
    out = icc_oneway(values, codes, 2)
    assert out["k0"] == pytest.approx(8 / 3)
    assert out["icc1"] == pytest.approx(10.5 / 14.5) and out["icc2"] == pytest.approx(10.5 / 12)
    assert out["respondents"] == 6 and out["forums"] == 2


def test_calibration_of_forum_means(mini):
    """Anchors 2, 3, 4 (logistic direct method): mean 2 -> 0.05, 3 -> 0.5, 4 -> 0.95; a thin forum
    gets no membership unless kept."""
    table = pd.DataFrame({"forum_id": ["p", "q", "r", "z"], "score": "t", "mean": [2.0, 3.0, 4.0, 4.0],
                          "thin": [False, False, False, True]})
    member = calibrate_forums(table, mini)
    assert member["TT"].loc[["p", "q", "r"]].tolist() == pytest.approx([0.05, 0.5, 0.95])
    assert math.isnan(member.loc["z", "TT"])
    assert calibrate_forums(table, mini, keep_thin=True).loc["z", "TT"] == pytest.approx(0.95)
