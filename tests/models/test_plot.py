"""The model figures (kadstudy.models.plot): values derived by hand in the docstrings."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from kadstudy.models.plot import RATIO_RANGE, forest, forest_plot, km_plot, silhouette_plot
from kadstudy.models.survival import kaplan_meier


def _table() -> pd.DataFrame:
    return pd.DataFrame(
        {"OR": [2.0, 5.0, float("nan"), 0.5],
         "OR_low": [0.5, 0.8, float("nan"), 1e-7],
         "OR_high": [8.0, math.inf, float("nan"), 0.9],
         "note": ["", "upper bound not estimable", "predictor 'c' is constant", ""]},
        index=pd.Index(["a", "b", "c", "d"], name="term"))


def test_forest_plot_lists_unfitted_terms_and_clips():
    fig = Figure()
    ax = fig.subplots()
    assert forest_plot(_table(), dropped=["e"], ax=ax) is ax
    assert [t.get_text() for t in ax.get_yticklabels()] == ["d", "b", "a"]
    below = next(t.get_text() for t in ax.texts if t.get_gid() == "forest-left-out")
    assert "c (predictor 'c' is constant)" in below
    assert "e (dropped before estimation)" in below
    lo, hi = ax.get_xlim()
    # the axis spans the finite values halved / doubled, within RATIO_RANGE: d's lower bound
    # 1e-7 / 2 is clipped to 1e-3; the largest finite value is a's upper bound 8, doubled = 16
    assert lo == pytest.approx(1e-3) and hi == pytest.approx(16.0)
    assert RATIO_RANGE[0] <= lo and hi <= RATIO_RANGE[1]
    edge_values = sorted(t.get_text() for t in ax.texts if t.get_text() in ("∞", "1e-07"))
    assert edge_values == ["1e-07", "∞"]


def test_forest_plot_never_wider_than_the_clip_range():
    table = pd.DataFrame({"OR": [1e-6, 1e9], "OR_low": [1e-9, 1e8], "OR_high": [1e-4, 1e12]},
                         index=["small", "huge"])
    ax = forest_plot(table)
    lo, hi = ax.get_xlim()
    assert lo == pytest.approx(1e-3) and hi == pytest.approx(1e3)
    # both estimates are beyond the axis: drawn as triangles at the edges
    markers = sorted(ln.get_marker() for ln in ax.lines if ln.get_marker() in ("<", ">"))
    assert markers == ["<", ">"]


def test_forest_figure_lists_unfitted_terms():
    fig = forest(_table())
    assert fig.axes and "not fitted" in " ".join(t.get_text() for t in fig.axes[0].texts)


def test_km_plot_number_at_risk():
    """Durations 1..5, events at 1, 3, 4 (2 and 5 censored). At risk at t: durations >= t (R's
    survfit): t = 0: 5; t = 2: 4 (2, 3, 4, 5); t = 4: 2 (4, 5)."""
    km = kaplan_meier([1, 2, 3, 4, 5], [1, 0, 1, 1, 0], label="all")
    fig = Figure(figsize=(6, 4.5))
    ax = fig.subplots()
    ax.set_xticks([0, 2, 4])
    assert km_plot([km], ax=ax) is ax
    counts = [t.get_text() for t in ax.texts if t.get_gid() == "km-at-risk-0"]
    assert counts == ["5", "4", "2"]
    assert any(t.get_text() == "Number at risk" for t in ax.texts)


def test_silhouette_plot_by_hand():
    """Four cases at 0, 1, 10, 11 on a line, clusters {0, 1} and {10, 11}. Case 0: a = 1, b =
    (10 + 11) / 2 = 10.5, s = 1 - 1 / 10.5; case 1: a = 1, b = (9 + 10) / 2 = 9.5, s = 1 - 1 /
    9.5; the other two mirror them. Mean = (2 - 1/10.5 - 1/9.5) / 2."""
    pos = np.array([0.0, 1.0, 10.0, 11.0])
    D = np.abs(pos[:, None] - pos[None, :])
    fig = Figure()
    ax = fig.subplots()
    assert silhouette_plot(D, [1, 1, 2, 2], ["p", "q", "r", "s"], k_max=4, ax=ax) is ax
    mean_line = next(ln for ln in ax.lines if ln.get_gid() == "silhouette-mean")
    assert mean_line.get_xdata()[0] == pytest.approx((2 - 1 / 10.5 - 1 / 9.5) / 2)
    widths = [p.get_width() for p in ax.patches]
    assert widths == pytest.approx([1 - 1 / 10.5, 1 - 1 / 9.5, 1 - 1 / 10.5, 1 - 1 / 9.5])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["p", "q", "s", "r"]
    assert not any(t.get_gid() == "silhouette-kmax" for t in ax.texts)
    flagged = silhouette_plot(D, [1, 1, 2, 2], ["p", "q", "r", "s"], k_max=2)
    assert any(t.get_gid() == "silhouette-kmax" for t in flagged.texts)
