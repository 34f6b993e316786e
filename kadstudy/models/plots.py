"""Figures of the models as matplotlib ``Figure`` objects (no pyplot state, nothing written):
forest plots of odds or hazard ratios, Kaplan-Meier curves, dendrograms, silhouette by k."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    from matplotlib.figure import Figure

    from kadstudy.models.survival import KMResult

COLORS = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c",
          "#ccb974", "#64b5cd"]


def forest(table: pd.DataFrame, *, est: str = "OR", low: str = "OR_low", high: str = "OR_high",
           title: str = "", xlabel: str = "odds ratio (log scale)") -> Figure:
    """Point estimates with their intervals on a log axis, a line at 1; one row per term (top to
    bottom in table order). A bound that is infinite or 0 (not estimable) or missing is drawn as an
    arrow to the edge of the axis, and a line under the plot says so; terms without a finite
    estimate are named there too."""
    import math

    from matplotlib.figure import Figure

    rows = [(str(t), float(r[est]), float(r[low]), float(r[high])) for t, r in table.iterrows()
            if math.isfinite(float(r[est])) and float(r[est]) > 0]
    left_out = [str(t) for t, r in table.iterrows()
                if not (math.isfinite(float(r[est])) and float(r[est]) > 0)]
    fig = Figure(figsize=(6.5, 0.45 * max(len(rows), 1) + 1.4))
    ax = fig.subplots()
    if not rows:
        ax.text(0.5, 0.5, "no estimate to show", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    finite = [v for _, e, lo, hi in rows for v in (e, lo, hi) if math.isfinite(v) and v > 0]
    lo_lim = min([*finite, 1.0]) / 2
    hi_lim = max([*finite, 1.0]) * 2
    ax.set_xscale("log")
    ax.set_xlim(lo_lim, hi_lim)
    for i, (_, e, lo, hi) in enumerate(rows):
        y = len(rows) - 1 - i
        a = lo if math.isfinite(lo) and lo > 0 else lo_lim
        b = hi if math.isfinite(hi) else hi_lim
        ax.plot([a, b], [y, y], color="#4c72b0", lw=1.5)
        if a == lo_lim:
            ax.annotate("", xy=(lo_lim, y), xytext=(lo_lim * 1.6, y),
                        arrowprops={"arrowstyle": "->", "color": "#4c72b0"})
        if b == hi_lim:
            ax.annotate("", xy=(hi_lim, y), xytext=(hi_lim / 1.6, y),
                        arrowprops={"arrowstyle": "->", "color": "#4c72b0"})
        ax.plot([e], [y], "s", color="#4c72b0", ms=6)
    ax.axvline(1.0, color="#999999", ls="--", lw=1)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([t for t, *_ in rows][::-1], fontsize=8)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.set_xlabel(xlabel, fontsize=8)
    if title:
        ax.set_title(title, fontsize=9)
    said = []
    if any(not (math.isfinite(lo) and lo > 0) or not math.isfinite(hi) for _, _, lo, hi in rows):
        said.append("arrow: the interval is unbounded (not estimable) on that side; see the table")
    if left_out:
        said.append(f"not shown (no finite estimate): {', '.join(left_out)}")
    if said:
        ax.annotate("\n".join(said), xy=(0, 0), xycoords="axes fraction", xytext=(0, -30),
                    textcoords="offset points", fontsize=7, color="#555555", ha="left", va="top")
    return fig


def km_curves(curves: Sequence[KMResult], *, title: str = "", xlabel: str = "years since founding",
              ci: bool = True) -> Figure:
    """Kaplan-Meier step curves (one per result) with censoring ticks and pointwise intervals."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.5, 4.2))
    ax = fig.subplots()
    for i, km in enumerate(curves):
        color = COLORS[i % len(COLORS)]
        t = km.table["time"].to_numpy(dtype=float)
        s = km.table["survival"].to_numpy(dtype=float)
        label = f"{km.label} (n = {km.n}, events = {km.events})"
        ax.step(t, s, where="post", color=color, lw=1.6, label=label)
        if ci:
            ax.fill_between(t, km.table["ci_low"].to_numpy(dtype=float),
                            km.table["ci_high"].to_numpy(dtype=float), step="post", color=color,
                            alpha=0.15, lw=0)
        cens = km.table["censored"].to_numpy() > 0
        ax.plot(t[cens], s[cens], "|", color=color, ms=9, mew=1.5)
    ax.set_ylim(-0.02, 1.05)
    ax.set_xlim(left=0)
    ax.set_xlabel(xlabel, fontsize=8)
    ax.set_ylabel("share still running", fontsize=8)
    ax.legend(fontsize=7, loc="lower left", frameon=False)
    if title:
        ax.set_title(title, fontsize=9)
    return fig


def dendrogram(Z: np.ndarray, labels: Sequence[str], *, k: int | None = None, title: str = "",
               ylabel: str = "Gower distance") -> Figure:
    """The dendrogram of a linkage (scipy), leaves labelled by case; with ``k``, the cut that
    gives k clusters as a dashed line."""
    from matplotlib.figure import Figure
    from scipy.cluster.hierarchy import dendrogram as _dendrogram

    n = len(labels)
    fig = Figure(figsize=(max(6.0, 0.28 * n + 2), 4.5))
    ax = fig.subplots()
    _dendrogram(Z, labels=list(labels), ax=ax, leaf_rotation=90, leaf_font_size=7,
                color_threshold=(Z[-(k - 1), 2] if k and 1 < k <= n else None),
                above_threshold_color="#999999")
    if k and 1 < k <= n - 1:
        cut = (Z[-k, 2] + Z[-(k - 1), 2]) / 2
        ax.axhline(cut, color="#c44e52", ls="--", lw=1)
    ax.set_ylabel(ylabel, fontsize=8)
    if title:
        ax.set_title(title, fontsize=9)
    return fig


def silhouette_by_k(table: pd.DataFrame, chosen: int | None = None, *, title: str = "") -> Figure:
    """Average silhouette width by number of clusters, one line per method."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(5.5, 3.5))
    ax = fig.subplots()
    ks = [int(k) for k in table.index]
    for i, col in enumerate(table.columns):
        ax.plot(ks, table[col].to_numpy(dtype=float), "o-", color=COLORS[i % len(COLORS)], ms=4,
                lw=1.2, label=str(col).replace("silhouette_", ""))
    if chosen is not None:
        ax.axvline(chosen, color="#999999", ls=":", lw=1)
    ax.set_xticks(ks)
    ax.set_xlabel("number of clusters k", fontsize=8)
    ax.set_ylabel("average silhouette width", fontsize=8)
    ax.legend(fontsize=7, frameon=False)
    if title:
        ax.set_title(title, fontsize=9)
    return fig
