"""Figures of the models: forest plots of odds or hazard ratios, Kaplan-Meier curves with the
number at risk, silhouette plots per case, dendrograms and silhouette width by k.

The public plot functions draw on a matplotlib ``Axes`` (a new pyplot-free figure when ``ax`` is
None) and return it; nothing is written to disk. :func:`forest`, :func:`km_curves`,
:func:`dendrogram` and :func:`silhouette_by_k` return a whole ``Figure`` (the older interface).
matplotlib is imported inside the functions, so importing :mod:`kadstudy.models` stays fast.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from kadstudy.sets.plot import _new_axes  # one helper for both plot modules

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from kadstudy.models.survival import KMResult

COLORS = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c",
          "#ccb974", "#64b5cd"]


#: the default range of a ratio axis (forest plots): intervals beyond it are clipped to its edge
#: and marked with an arrow, with the value written beside it
RATIO_RANGE = (1e-3, 1e3)


def _ratio_text(v: float) -> str:
    import math

    if math.isnan(v):
        return "?"
    if math.isinf(v):
        return "∞"
    if v == 0:
        return "0"
    return f"{v:.3g}"


def forest_plot(table: pd.DataFrame, *, est: str = "OR", low: str = "OR_low", high: str = "OR_high",
                clip: tuple[float, float] = RATIO_RANGE, reference: float = 1.0,
                title: str = "", xlabel: str = "odds ratio (log scale)",
                dropped: Sequence[str] | None = None, ax: Axes | None = None) -> Axes:
    """Point estimates with their intervals on a log axis and a line at ``reference``, one row
    per term (top to bottom in table order).

    The axis spans the finite estimates and bounds, padded, but never beyond ``clip`` (by
    default 1/1000 to 1000, :data:`RATIO_RANGE`): a bound beyond it, infinite or 0 (not
    estimable) is drawn as an arrow to the edge with its value written there, and an estimate
    beyond it as a triangle at the edge. Terms without a finite positive estimate (not fitted,
    e.g. a constant predictor or separation) and the ``dropped`` terms are listed under the
    plot, with the ``note`` column's reason when the table has one, instead of being left out
    silently.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per term (the index names it) with the columns ``est``, ``low`` and ``high``;
        an optional ``note`` column says why a term was not fitted.
    est, low, high : str
        The columns of the estimate and the interval bounds.
    clip : (float, float)
        The widest axis range (both positive).
    reference : float
        Where the line of no effect is drawn.
    title, xlabel : str
        Title and x-axis label.
    dropped : sequence of str, optional
        Terms the model left out before estimation (listed under the plot).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure sized to the rows when None.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``; the list under the plot is its text with gid ``"forest-left-out"``.
    """
    import math

    def num(v: object) -> float:
        try:
            return float(v)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return float("nan")

    rows, left_out = [], []
    for t, r in table.iterrows():
        e = num(r[est])
        if math.isfinite(e) and e > 0:
            rows.append((str(t), e, num(r[low]), num(r[high])))
        else:
            note = str(r["note"]).strip() if "note" in table.columns and isinstance(
                r["note"], str) and r["note"].strip() else "no finite estimate"
            left_out.append(f"{t} ({note})")
    left_out += [f"{t} (dropped before estimation)" for t in dropped or []]
    ax = _new_axes(ax, (6.5, 0.45 * max(len(rows), 1) + 1.6 + 0.18 * len(left_out)))
    lo_clip, hi_clip = clip
    said = []
    if rows:
        finite = [v for _, e, lo, hi in rows for v in (e, lo, hi) if math.isfinite(v) and v > 0]
        lo_lim = max(min([*finite, reference]) / 2, lo_clip)
        hi_lim = min(max([*finite, reference]) * 2, hi_clip)
        ax.set_xscale("log")
        ax.set_xlim(lo_lim, hi_lim)
        clipped = False
        for i, (_, e, lo, hi) in enumerate(rows):
            y = len(rows) - 1 - i
            a = lo if math.isfinite(lo) and lo >= lo_lim else lo_lim
            b = hi if math.isfinite(hi) and hi <= hi_lim else hi_lim
            ax.plot([a, b], [y, y], color=COLORS[0], lw=1.5)
            if a == lo_lim and not (math.isfinite(lo) and lo == lo_lim):
                clipped = True
                ax.annotate("", xy=(lo_lim, y), xytext=(lo_lim * 1.8, y),
                            arrowprops={"arrowstyle": "->", "color": COLORS[0], "lw": 1.5})
                ax.annotate(_ratio_text(lo), (lo_lim, y), xytext=(2, 4), textcoords="offset points",
                            fontsize=7, color="#555555", ha="left", va="bottom")
            if b == hi_lim and not (math.isfinite(hi) and hi == hi_lim):
                clipped = True
                ax.annotate("", xy=(hi_lim, y), xytext=(hi_lim / 1.8, y),
                            arrowprops={"arrowstyle": "->", "color": COLORS[0], "lw": 1.5})
                ax.annotate(_ratio_text(hi), (hi_lim, y), xytext=(-2, 4), textcoords="offset points",
                            fontsize=7, color="#555555", ha="right", va="bottom")
            if e < lo_lim or e > hi_lim:
                clipped = True
                ax.plot([lo_lim if e < lo_lim else hi_lim], [y], "<" if e < lo_lim else ">",
                        color=COLORS[3], ms=7)
            else:
                ax.plot([e], [y], "s", color=COLORS[0], ms=6)
        ax.axvline(reference, color="#999999", ls="--", lw=1)
        ax.set_yticks(range(len(rows)))
        ax.set_yticklabels([t for t, *_ in rows][::-1], fontsize=9)
        ax.set_ylim(-0.7, len(rows) - 0.3)
        if clipped:
            said.append(f"arrow: the interval runs beyond the axis (shown from "
                        f"{lo_clip:g} to {hi_clip:g} at most) or is unbounded "
                        f"(not estimable) on that side; its bound is written at the edge")
    else:
        ax.text(0.5, 0.5, "no estimate to show", ha="center", va="center", transform=ax.transAxes)
        ax.set_yticks([])
    ax.set_xlabel(xlabel, fontsize=9)
    ax.tick_params(axis="x", labelsize=8)
    if title:
        ax.set_title(title, fontsize=10)
    if left_out:
        said.append("not shown, not fitted: " + "; ".join(left_out))
    if said:
        import textwrap

        text = "\n".join(textwrap.fill(x, 95) for x in said)
        ax.annotate(text, xy=(0, 0), xycoords="axes fraction", xytext=(0, -32),
                    textcoords="offset points", fontsize=8, color="#555555", ha="left", va="top",
                    gid="forest-left-out" if left_out else "forest-note")
    return ax


def forest(table: pd.DataFrame, *, est: str = "OR", low: str = "OR_low", high: str = "OR_high",
           title: str = "", xlabel: str = "odds ratio (log scale)") -> Figure:
    """:func:`forest_plot` on a new figure, returned whole.

    Parameters
    ----------
    table : pandas.DataFrame
        As :func:`forest_plot`.
    est, low, high, title, xlabel : str
        As :func:`forest_plot`.

    Returns
    -------
    matplotlib.figure.Figure
        The figure.
    """
    return forest_plot(table, est=est, low=low, high=high, title=title, xlabel=xlabel).figure


def number_at_risk(km: KMResult, times: Sequence[float]) -> list[int]:
    """Number at risk at each of ``times``: the cases whose duration is at least that time
    (still running and observed just before it), as R's ``survfit`` summary counts them.

    Parameters
    ----------
    km : KMResult
        A Kaplan-Meier curve (its event table).
    times : sequence of float
        The times.

    Returns
    -------
    list of int
        One count per time.
    """
    t = km.table["time"].to_numpy(dtype=float)
    leave = (km.table["events"] + km.table["censored"]).to_numpy(dtype=int)
    return [int(leave[t >= x].sum()) for x in times]


def km_plot(curves: Sequence[KMResult], *, title: str = "", xlabel: str = "years since founding",
            ci: bool = True, at_risk: bool = True, ax: Axes | None = None) -> Axes:
    """Kaplan-Meier step curves (one per result) with censoring ticks, pointwise intervals and,
    under the plot, the number at risk at each tick of the time axis (one row per curve,
    :func:`number_at_risk`).

    Parameters
    ----------
    curves : sequence of KMResult
        The curves (:func:`kadstudy.models.survival.kaplan_meier`).
    title, xlabel : str
        Title and time-axis label.
    ci : bool
        Shade the 95% intervals.
    at_risk : bool
        Add the number-at-risk table.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``; the at-risk counts of curve i are its texts with gid ``"km-at-risk-<i>"``.
    """
    ax = _new_axes(ax, (6.5, 4.6 + 0.25 * len(curves)))
    t_max = 0.0
    for i, km in enumerate(curves):
        color = COLORS[i % len(COLORS)]
        t = km.table["time"].to_numpy(dtype=float)
        s = km.table["survival"].to_numpy(dtype=float)
        t_max = max([t_max, *t.tolist()])
        label = f"{km.label} (n = {km.n}, events = {km.events})"
        ax.step(t, s, where="post", color=color, lw=1.6, label=label)
        if ci:
            ax.fill_between(t, km.table["ci_low"].to_numpy(dtype=float),
                            km.table["ci_high"].to_numpy(dtype=float), step="post", color=color,
                            alpha=0.15, lw=0)
        cens = km.table["censored"].to_numpy() > 0
        ax.plot(t[cens], s[cens], "|", color=color, ms=9, mew=1.5)
    ax.set_ylim(-0.02, 1.05)
    ax.set_xlim(0, max(t_max, 1.0) * 1.03)
    ax.set_xlabel(xlabel, fontsize=9)
    ax.set_ylabel("share still running", fontsize=9)
    ax.tick_params(labelsize=8)
    ax.legend(fontsize=8, loc="lower left", frameon=False)
    if title:
        ax.set_title(title, fontsize=10)
    if at_risk and curves:
        from matplotlib.transforms import blended_transform_factory

        lo, hi = ax.get_xlim()
        ticks = [float(x) for x in ax.get_xticks() if lo <= x <= hi]
        ax.set_xticks(ticks)
        tr = blended_transform_factory(ax.transData, ax.transAxes)
        ax.annotate("Number at risk", (0, 0), xycoords="axes fraction", xytext=(0, -44),
                    textcoords="offset points", fontsize=8, weight="bold", ha="left", va="top")
        for i, km in enumerate(curves):
            color = COLORS[i % len(COLORS)]
            dy = -58 - 13 * i
            ax.annotate(km.label, (0, 0), xycoords="axes fraction", xytext=(-16, dy),
                        textcoords="offset points", fontsize=8, color=color, ha="right", va="top")
            for x, n in zip(ticks, number_at_risk(km, ticks), strict=True):
                ax.annotate(str(n), (x, 0), xycoords=tr, xytext=(0, dy), textcoords="offset points",
                            fontsize=8, color=color, ha="center", va="top", gid=f"km-at-risk-{i}")
    return ax


def km_curves(curves: Sequence[KMResult], *, title: str = "", xlabel: str = "years since founding",
              ci: bool = True) -> Figure:
    """:func:`km_plot` on a new figure, returned whole.

    Parameters
    ----------
    curves : sequence of KMResult
        As :func:`km_plot`.
    title, xlabel : str
        As :func:`km_plot`.
    ci : bool
        As :func:`km_plot`.

    Returns
    -------
    matplotlib.figure.Figure
        The figure.
    """
    return km_plot(curves, title=title, xlabel=xlabel, ci=ci).figure


def silhouette_plot(D: np.ndarray, labels: Sequence[int], cases: Sequence[str], *,
                    k_max: int | None = None, title: str = "", ax: Axes | None = None) -> Axes:
    """Silhouette plot per case: one horizontal bar per case (its silhouette width on the
    precomputed distances), grouped by cluster and sorted within it, labelled with the case
    name, and a dashed line at the average width. When the number of clusters equals ``k_max``
    (the largest k tried), a red note says so: a larger k might fit better.

    Parameters
    ----------
    D : numpy.ndarray
        Square distance matrix (e.g. Gower distances).
    labels : sequence of int
        Cluster of each case.
    cases : sequence of str
        Case names, in the order of ``D``.
    k_max : int, optional
        The largest number of clusters that was tried.
    title : str
        The title.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure sized to the cases when None.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``; the average width is the line with gid ``"silhouette-mean"``.
    """
    import numpy as np
    from sklearn.metrics import silhouette_samples

    lab = np.asarray(labels)
    ks = sorted(set(lab.tolist()))
    width = silhouette_samples(np.asarray(D, dtype=float), lab, metric="precomputed")
    ax = _new_axes(ax, (6.0, 0.24 * len(cases) + 1.8))
    y, ticks, names = 0.0, [], []
    for i, k in enumerate(ks):
        idx = [j for j in range(len(lab)) if lab[j] == k]
        idx.sort(key=lambda j: (-width[j], str(cases[j])))
        color = COLORS[i % len(COLORS)]
        for j in idx:
            ax.barh(y, width[j], height=0.8, color=color)
            ticks.append(y)
            names.append(str(cases[j]))
            y += 1
        ax.text(1.0, y - len(idx) / 2 - 0.5, f"cluster {k}", fontsize=8, color=color,
                ha="right", va="center", transform=ax.get_yaxis_transform())
        y += 0.8
    mean = float(np.mean(width))
    ax.axvline(mean, color=COLORS[3], ls="--", lw=1.2, gid="silhouette-mean")
    ax.axvline(0, color="#333333", lw=0.8)
    ax.set_yticks(ticks)
    ax.set_yticklabels(names, fontsize=8)
    ax.set_ylim(y - 0.5, -0.7)
    ax.set_xlim(min(-0.1, float(width.min()) - 0.05), 1.0)
    ax.set_xlabel(f"silhouette width (dashed: average {mean:.2f})", fontsize=9)
    ax.tick_params(axis="x", labelsize=8)
    k = len(ks)
    head = title or f"Silhouette per case, k = {k}"
    if k_max is not None and k >= k_max:
        ax.set_title(head + "\n", fontsize=10)
        ax.text(0.5, 1.01, f"k = {k} is the largest k tried (k_max): a larger k may fit better",
                transform=ax.transAxes, ha="center", va="bottom", fontsize=8, color=COLORS[3],
                gid="silhouette-kmax")
    else:
        ax.set_title(head, fontsize=10)
    return ax


def dendrogram(Z: np.ndarray, labels: Sequence[str], *, k: int | None = None, title: str = "",
               ylabel: str = "Gower distance") -> Figure:
    """The dendrogram of a linkage (scipy), leaves labelled by case; with ``k``, the cut that
    gives k clusters as a dashed line."""
    from matplotlib.figure import Figure
    from scipy.cluster.hierarchy import dendrogram as _dendrogram

    n = len(labels)
    fig = Figure(figsize=(max(6.0, 0.28 * n + 2), 4.5))
    ax = fig.subplots()
    _dendrogram(Z, labels=list(labels), ax=ax, leaf_rotation=90, leaf_font_size=8,
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
    low = float(min(0.0, float(table.min().min()))) if len(table) else 0.0
    ax.set_ylim(low - 0.05, 1.0)
    if chosen is not None and ks and chosen == max(ks):
        ax.text(0.5, 0.02, f"k = {chosen} is the largest k tried (k_max): a larger k may fit better",
                transform=ax.transAxes, ha="center", va="bottom", fontsize=8, color=COLORS[3])
    ax.set_xlabel("number of clusters k", fontsize=8)
    ax.set_ylabel("average silhouette width", fontsize=8)
    ax.legend(fontsize=7, frameon=False)
    if title:
        ax.set_title(title, fontsize=9)
    return fig
