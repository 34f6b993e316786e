"""The calibration curves of the survey report: one panel per set, the logistic curve through the
anchors' memberships, the forums where their memberships are. Expected values by hand: the direct
method gives log-odds ln(19) * (x - c) / (i - c) above the crossover c and ln(19) * (x - c) / (c - e)
below it, so membership 1 / (1 + 19) = 0.05 at the exclusion anchor e, 1 / 2 at c and
1 / (1 + 1/19) = 0.95 at the inclusion anchor i."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from kadstudy.pipeline.kinds.survey import calibration_figure

# asymmetric anchors for one set, so a curve drawn with the wrong slope on one side fails
ANCHORS = {"TRUST": (2.0, 3.0, 4.0), "SOCCAP": (1.5, 3.2, 4.5)}
MEANS = pd.DataFrame({"TRUST": [2.5, 3.0, 3.8, 4.4], "SOCCAP": [1.5, 2.9, 3.9, 4.5]},
                     index=pd.Index(["f1", "f2", "f3", "f4"], name="forum_id"))


def by_hand(x: float, e: float, c: float, i: float) -> float:
    odds = math.log(19) * (x - c) / ((i - c) if x >= c else (c - e))
    return 1 / (1 + math.exp(-odds))


def memberships(thin: str | None = None) -> pd.DataFrame:
    out = pd.DataFrame({s: [by_hand(x, *ANCHORS[s]) for x in MEANS[s]] for s in ANCHORS}, index=MEANS.index)
    if thin:
        out.loc[thin] = np.nan
    return out


def panels(fig):
    return [ax for ax in fig.axes if ax.get_visible()]


def curve(ax):
    (line,) = [ln for ln in ax.get_lines() if ln.get_label() == "calibration function"]
    return np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)


def test_hand_values_of_the_anchors():
    for e, c, i in ANCHORS.values():
        assert [by_hand(v, e, c, i) for v in (e, c, i)] == pytest.approx([1 / 20, 1 / 2, 19 / 20], abs=1e-15)


def test_one_panel_per_set_with_its_name():
    fig = calibration_figure(MEANS, memberships(), ANCHORS)
    axes = panels(fig)
    assert len(axes) == 2
    assert [ax.get_ylabel() for ax in axes] == ["membership in TRUST", "membership in SOCCAP"]
    assert all(ax.get_xlabel() == "forum mean (1-5)" for ax in axes)


def test_curve_passes_through_the_anchor_memberships():
    fig = calibration_figure(MEANS, memberships(), ANCHORS)
    for ax, (name, (e, c, i)) in zip(panels(fig), ANCHORS.items(), strict=True):
        x, y = curve(ax)
        for anchor, level in ((e, 0.05), (c, 0.5), (i, 0.95)):
            hit = np.flatnonzero(x == anchor)
            assert hit.size == 1, (name, anchor)            # the curve is evaluated at the anchor
            assert y[hit[0]] == pytest.approx(level, abs=1e-12), (name, anchor)
        # and everywhere else on the logistic through the anchors
        assert y == pytest.approx([by_hand(v, e, c, i) for v in x], abs=1e-12)
        # the anchor diamonds sit at the same memberships
        marks = sorted((float(ln.get_xdata()[0]), float(ln.get_ydata()[0])) for ln in ax.get_lines()
                       if ln.get_marker() == "D")
        assert np.ravel(marks).tolist() == pytest.approx([e, 0.05, c, 0.5, i, 0.95])


def test_forums_are_drawn_at_their_memberships_and_thin_ones_left_out():
    fig = calibration_figure(MEANS, memberships(thin="f3"), ANCHORS)
    for ax, name in zip(panels(fig), ANCHORS, strict=True):
        (dots,) = ax.collections
        want = [(x, by_hand(x, *ANCHORS[name])) for f, x in MEANS[name].items() if f != "f3"]
        assert np.ravel(dots.get_offsets()).tolist() == pytest.approx(np.ravel(want).tolist())


def test_title_says_synthetic_only_when_synthetic():
    assert calibration_figure(MEANS, memberships(), ANCHORS, synthetic=True).get_suptitle().startswith(
        "SYNTHETIC DATA")
    assert "SYNTHETIC" not in calibration_figure(MEANS, memberships(), ANCHORS).get_suptitle()


def test_grid_of_six_sets_hides_no_panel_and_seven_hide_two():
    names = [f"S{k}" for k in range(7)]
    means = pd.DataFrame({n: [2.5, 3.5] for n in names}, index=["a", "b"])
    member = pd.DataFrame({n: [by_hand(2.5, 2, 3, 4), by_hand(3.5, 2, 3, 4)] for n in names},
                          index=["a", "b"])
    six = calibration_figure(means[names[:6]], member[names[:6]], {n: (2.0, 3.0, 4.0) for n in names[:6]})
    assert len(six.axes) == 6 and len(panels(six)) == 6
    seven = calibration_figure(means, member, {n: (2.0, 3.0, 4.0) for n in names})
    assert len(seven.axes) == 9 and len(panels(seven)) == 7
