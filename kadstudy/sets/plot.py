"""Figures of set analysis: XY plots, calibration curves, Venn diagrams and robustness plots.

Every function draws on a matplotlib ``Axes`` (a new figure when ``ax`` is None, made without
pyplot) and returns it; nothing is written to disk. matplotlib is imported inside the
functions, so importing :mod:`kadstudy.sets` stays fast.

Examples
--------
>>> import pandas as pd
>>> from kadstudy.sets.plot import xy_plot
>>> data = pd.DataFrame({"X": [0.2, 0.8, 0.9], "Y": [0.3, 0.9, 0.7]}, index=["a", "b", "c"])
>>> ax = xy_plot("X", "Y", data)
>>> ax.get_title()
'X -> Y (sufficiency)'
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from kadstudy.sets.robustness import RobustnessResult
    from kadstudy.sets.solutions import Model, Solution
    from kadstudy.sets.truthtable import TruthTable

__all__ = ["calibration_curve", "robustness_plot", "robustness_xy_plot", "venn", "venn_shapes", "xy_plot"]

BLUE = "#4c72b0"
ORANGE = "#dd8452"
RED = "#c44e52"
GREY = "#999999"
#: fill of a Venn region by the truth table row's OUT (R venn's default colours, softened)
OUT_COLORS = {"1": "#55a868", "0": "#d5d5d5", "C": "#ccb974", "?": "#ffffff"}
OUT_NAMES = {"1": "OUT = 1 (sufficient)", "0": "OUT = 0", "C": "contradiction (C)",
             "?": "remainder (no case)"}


def _new_axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    """``ax`` itself, or the Axes of a new pyplot-free figure of ``size`` inches."""
    if ax is not None:
        return ax
    from matplotlib.figure import Figure

    return Figure(figsize=size).subplots()


# ---------------------------------------------------------------------------- repelled labels


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    """Area shared by two boxes (x0, y0, x1, y1)."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def repel_labels(ax: Axes, x: Sequence[float], y: Sequence[float], labels: Sequence[str], *,
                 fontsize: float = 8, color: str = "#333333", marker_pt: float = 4.0) -> list[Any]:
    """Place one text label per point so that labels overlap neither each other nor the points,
    and stay inside the axes (so they are never cut); a label moved away from its point gets a
    thin leader line.

    Deterministic greedy placement: points are taken from the top left, and each label takes the
    first of 8 directions x 4 distances around its point with the least overlap (with placed
    labels, the markers and the axes' edge). Call after the limits and aspect are set.

    Parameters
    ----------
    ax : Axes
        Where the points are drawn (data coordinates).
    x, y : sequence of float
        The points.
    labels : sequence of str
        One label per point (may hold line breaks).
    fontsize : float
        Label size in points.
    color : str
        Label colour.
    marker_pt : float
        Half the size of the markers to keep clear of, in points.

    Returns
    -------
    list of matplotlib.text.Annotation
        The labels, in the order of ``labels``.
    """
    ax.apply_aspect()
    fig = ax.figure
    px = fig.dpi / 72.0
    to_disp = ax.transData.transform
    pts = to_disp(np.column_stack([np.asarray(x, float), np.asarray(y, float)]))
    frame = ax.bbox.extents
    pad = marker_pt * px
    markers = [(p[0] - pad, p[1] - pad, p[0] + pad, p[1] + pad) for p in pts]
    placed: list[tuple[float, float, float, float]] = []
    order = sorted(range(len(labels)), key=lambda i: (-pts[i][1], pts[i][0], str(labels[i])))
    out: dict[int, Any] = {}
    directions = [(1, 1), (-1, 1), (1, -1), (-1, -1), (1, 0), (-1, 0), (0, 1), (0, -1)]
    for i in order:
        probe = ax.text(0, 0, labels[i], fontsize=fontsize, transform=None)
        ext = probe.get_window_extent()
        probe.remove()
        w, h = ext.width, ext.height
        best = None
        for dist in (4.0, 10.0, 18.0, 30.0):
            for dx, dy in directions:
                ox, oy = dx * dist * px, dy * dist * px
                cx, cy = pts[i][0] + ox, pts[i][1] + oy
                x0 = cx if dx > 0 else (cx - w if dx < 0 else cx - w / 2)
                y0 = cy if dy > 0 else (cy - h if dy < 0 else cy - h / 2)
                box = (x0, y0, x0 + w, y0 + h)
                cost = sum(_overlap(box, b) for b in placed)
                cost += sum(_overlap(box, m) for m in markers) * 0.5
                inside = (box[0] >= frame[0] + 1 and box[1] >= frame[1] + 1
                          and box[2] <= frame[2] - 1 and box[3] <= frame[3] - 1)
                cost += 0.0 if inside else 1e9
                cost += dist * 0.01
                if best is None or cost < best[0]:
                    best = (cost, dx, dy, dist, box)
        assert best is not None
        _, dx, dy, dist, box = best
        placed.append(box)
        ha = "left" if dx > 0 else ("right" if dx < 0 else "center")
        va = "bottom" if dy > 0 else ("top" if dy < 0 else "center")
        arrow = {"arrowstyle": "-", "color": GREY, "lw": 0.6} if dist > 10 else None
        out[i] = ax.annotate(labels[i], (float(x[i]), float(y[i])), xytext=(dx * dist, dy * dist),
                             textcoords="offset points", ha=ha, va=va, fontsize=fontsize,
                             color=color, arrowprops=arrow, zorder=5)
    return [out[i] for i in range(len(labels))]


def _group_labels(x: np.ndarray, y: np.ndarray, cases: Sequence[str], per_line: int = 3,
                  ) -> tuple[list[float], list[float], list[str]]:
    """Cases on one point share one label (comma-separated, a few per line)."""
    at: dict[tuple[float, float], list[str]] = {}
    for xi, yi, case in zip(x, y, cases, strict=True):
        at.setdefault((round(float(xi), 3), round(float(yi), 3)), []).append(str(case))
    xs, ys, texts = [], [], []
    for (xi, yi), names in at.items():
        lines = [", ".join(names[j:j + per_line]) for j in range(0, len(names), per_line)]
        xs.append(xi)
        ys.append(yi)
        texts.append("\n".join(lines))
    return xs, ys, texts


# ---------------------------------------------------------------------------- XY plot


def _vector(v: Any, data: pd.DataFrame | None) -> tuple[np.ndarray, str, list[str] | None]:
    """Memberships of ``v`` (an expression evaluated on ``data``, or values), its name and the
    case names when they can be known."""
    import pandas as pd

    from kadstudy.sets.measures import evaluate

    if isinstance(v, str):
        if data is None:
            raise ValueError(f"'{v}' is an expression: pass the data to evaluate it on")
        return evaluate(data, v), v, [str(c) for c in data.index]
    if isinstance(v, pd.Series):
        return v.to_numpy(dtype=float), str(v.name or ""), [str(c) for c in v.index]
    return np.asarray(v, dtype=float), "", None


def xy_plot(x: Any, y: Any, data: pd.DataFrame | None = None, *, relation: str = "sufficiency",
            cases: Sequence[str] | None = None, xlabel: str | None = None,
            ylabel: str | None = None, title: str | None = None, labels: bool = True,
            fontsize: float = 8, ax: Axes | None = None) -> Axes:
    """XY plot of a set relation, as R QCA's ``XYplot``: x = membership in the condition or
    solution, y = membership in the outcome, one point per case.

    It draws the diagonal (cases on or above it are consistent with sufficiency, on or below it
    with necessity), the 0.5 lines, the case labels (repelled, so they neither overlap nor leave
    the plot) and the parameters of fit in a box: inclS, PRI and covS for sufficiency,
    inclN, RoN and covN for necessity (computed by :func:`kadstudy.sets.sufficiency_measures`
    and :func:`kadstudy.sets.necessity_measures`).

    Parameters
    ----------
    x, y : str, pandas.Series or array-like
        An expression evaluated on ``data`` (e.g. ``"DEV*~IND + URB*STB"``, ``"~SURV"``), or the
        memberships themselves (a Series names the cases by its index).
    data : pandas.DataFrame, optional
        Set memberships, one row per case, needed when ``x`` or ``y`` is an expression.
    relation : {"sufficiency", "necessity"}
        Which parameters of fit to show.
    cases : sequence of str, optional
        Case names (default: the index of ``data`` or of a Series).
    xlabel, ylabel, title : str, optional
        Axis labels and title (default: the expressions and ``"X -> Y (relation)"``).
    labels : bool
        Label the cases.
    fontsize : float
        Size of the case labels in points.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new 5.5 x 5.5 inch figure when None.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``; the parameters of fit are its text with gid ``"xy-measures"``.
    """
    from kadstudy.sets.measures import necessity_measures, sufficiency_measures

    if relation not in ("sufficiency", "necessity"):
        raise ValueError(f"relation {relation!r} is unknown; use 'sufficiency' or 'necessity'")
    xv, xname, xcases = _vector(x, data)
    yv, yname, ycases = _vector(y, data)
    if xv.shape != yv.shape:
        raise ValueError(f"x has {xv.size} memberships and y {yv.size}; they must be the same cases")
    names = list(cases) if cases is not None else (xcases or ycases or [str(i + 1) for i in
                                                                           range(xv.size)])
    ax = _new_axes(ax, (5.5, 5.5))
    ax.plot([0, 1], [0, 1], color=GREY, lw=1, ls="--", zorder=1)
    ax.axvline(0.5, color="#cccccc", lw=1, zorder=1)
    ax.axhline(0.5, color="#cccccc", lw=1, zorder=1)
    ax.scatter(xv, yv, color=BLUE, s=22, zorder=3, edgecolors="white", linewidths=0.5)
    ax.set_xlim(-0.05, 1.05)
    ax.set_ylim(-0.05, 1.05)
    ax.set_aspect("equal")
    xname = xlabel or xname or "X"
    yname = ylabel or yname or "Y"
    ax.set_xlabel(xname, fontsize=9)
    ax.set_ylabel(yname, fontsize=9)
    ax.tick_params(labelsize=8)
    ax.set_title(title if title is not None else f"{xname} -> {yname} ({relation})", fontsize=10,
                 pad=22)
    if relation == "sufficiency":
        m = sufficiency_measures(xv, yv)
        keys = ("inclS", "PRI", "covS")
    else:
        m = necessity_measures(xv, yv)
        keys = ("inclN", "RoN", "covN")
    text = "   ".join(f"{k} = {m[k]:.3f}" if math.isfinite(m[k]) else f"{k} = -" for k in keys)
    # above the plot area, so it never hides a case
    ax.text(0.5, 1.012, text, transform=ax.transAxes, ha="center", va="bottom", fontsize=9,
            family="monospace", gid="xy-measures", zorder=6)
    if labels and xv.size:
        lx, ly, lt = _group_labels(xv, yv, names)
        repel_labels(ax, lx, ly, lt, fontsize=fontsize)
    return ax


# ---------------------------------------------------------------------------- calibration curve


def calibration_curve(raw: Any, calibrated: Any, thresholds: Sequence[float], *,
                      type: str = "fuzzy", name: str = "set", raw_name: str = "raw value",
                      cases: Sequence[str] | None = None, labels: bool = False,
                      ax: Axes | None = None) -> Axes:
    """Raw values against calibrated memberships, with the anchors marked.

    For a fuzzy set the logistic function through the anchors (full exclusion, crossover, full
    inclusion; :func:`kadstudy.sets.calibrate`) is drawn as a curve across the raw range (evaluated
    at the anchors themselves too, so it passes exactly through their memberships) and the
    anchors as dotted lines at memberships 0.05, 0.5 and 0.95; for a crisp set the thresholds as
    dotted lines and the steps between them.

    Parameters
    ----------
    raw, calibrated : array-like or pandas.Series
        The raw values and the memberships of the same cases (missing values are left out).
    thresholds : sequence of float
        The calibration anchors (fuzzy: e, c, i) or thresholds (crisp).
    type : {"fuzzy", "crisp"}
        The calibration type.
    name : str
        The calibrated set (y axis label).
    raw_name : str
        The raw variable (x axis label).
    cases : sequence of str, optional
        Case names, for ``labels``.
    labels : bool
        Label the points with the case names (repelled).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new 5.5 x 3.8 inch figure when None.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``.
    """
    import pandas as pd

    from kadstudy.sets.calibrate import calibrate

    r = np.asarray(raw, dtype=float)
    m = np.asarray(calibrated, dtype=float)
    ok = np.isfinite(r) & np.isfinite(m)
    names = list(cases) if cases is not None else (
        [str(c) for c in raw.index] if isinstance(raw, (pd.Series, pd.DataFrame)) else None)
    r, m = r[ok], m[ok]
    ax = _new_axes(ax, (5.5, 3.8))
    t = [float(v) for v in thresholds]
    lo = min([*r.tolist(), *t]) if r.size else min(t)
    hi = max([*r.tolist(), *t]) if r.size else max(t)
    span = (hi - lo) or 1.0
    grid = np.union1d(np.linspace(lo - 0.05 * span, hi + 0.05 * span, 400), t)   # through the anchors
    if type == "fuzzy":
        ax.plot(grid, calibrate(grid, t, type="fuzzy"), color=GREY, lw=1.2, zorder=2,
                label="calibration function")
        for v, level, what in zip(t, (0.05, 0.5, 0.95), ("exclusion", "crossover", "inclusion"),
                                  strict=False):
            ax.axvline(v, color=ORANGE, ls=":", lw=1, zorder=1)
            ax.plot([v], [level], "D", color=ORANGE, ms=5, zorder=4)
            ax.annotate(f"{what}\n{v:g}", (v, 1.02), xycoords=("data", "axes fraction"),
                        ha="center", va="bottom", fontsize=8, color=ORANGE)
        ax.axhline(0.5, color="#cccccc", lw=1, zorder=1)
    else:
        levels = calibrate(grid, t, type="crisp")
        ax.step(grid, levels, where="post", color=GREY, lw=1.2, zorder=2, label="thresholds")
        for v in t:
            ax.axvline(v, color=ORANGE, ls=":", lw=1, zorder=1)
            ax.annotate(f"threshold\n{v:g}", (v, 1.02), xycoords=("data", "axes fraction"),
                        ha="center", va="bottom", fontsize=8, color=ORANGE)
    ax.scatter(r, m, color=BLUE, s=22, zorder=3, label="cases")
    top = max(1.0, float(m.max()) if m.size else 1.0)
    ax.set_ylim(-0.05, top + 0.05)
    ax.set_xlim(grid[0], grid[-1])
    ax.set_xlabel(raw_name, fontsize=9)
    ax.set_ylabel(f"membership in {name}", fontsize=9)
    ax.tick_params(labelsize=8)
    ax.set_title(f"Calibration of {name} ({type})", fontsize=10, pad=28)
    ax.legend(fontsize=8, frameon=False, loc="lower right")
    if labels and names is not None and r.size:
        kept = [n for n, k in zip(names, ok, strict=True) if k]
        lx, ly, lt = _group_labels(r, m, kept)
        repel_labels(ax, lx, ly, lt, fontsize=7)
    return ax


# ---------------------------------------------------------------------------- Venn diagrams

#: ellipses (centre x, centre y, width, height, angle in degrees) of the 2- to 5-set diagrams on
#: the unit square: circles for 2 and 3, Venn's four ellipses, Grünbaum's five congruent ellipses
_ELLIPSES: dict[int, list[tuple[float, float, float, float, float]]] = {
    1: [(0.5, 0.5, 0.6, 0.6, 0.0)],
    2: [(0.375, 0.5, 0.5, 0.5, 0.0), (0.625, 0.5, 0.5, 0.5, 0.0)],
    3: [(0.333, 0.633, 0.5, 0.5, 0.0), (0.666, 0.633, 0.5, 0.5, 0.0), (0.5, 0.31, 0.5, 0.5, 0.0)],
    4: [(0.35, 0.4, 0.72, 0.45, 140.0), (0.45, 0.5, 0.72, 0.45, 140.0),
        (0.544, 0.5, 0.72, 0.45, 40.0), (0.644, 0.4, 0.72, 0.45, 40.0)],
    5: [(0.428, 0.449, 0.87, 0.5, 155.0), (0.469, 0.543, 0.87, 0.5, 82.0),
        (0.558, 0.523, 0.87, 0.5, 10.0), (0.578, 0.432, 0.87, 0.5, 118.0),
        (0.489, 0.383, 0.87, 0.5, 46.0)],
}

#: Edwards-style 6- and 7-set diagrams: sets 1 and 2 are the left and the upper half of the
#: frame, the others closed curves around a circle, drawn as bands whose radial order changes by
#: one swap of neighbouring curves at a time. The swap sequence (positions, outermost = 0) runs
#: through every subset of those curves as the curves outside a point exactly once, so every
#: region exists and is connected (a monotone Venn diagram); it was found by a depth-first
#: search and is checked region by region in tests/sets/test_plot.py.
_SWAPS: dict[int, list[int]] = {
    4: [0, 1, 0, 1, 2, 1, 0, 1, 2, 1, 2],
    5: [0, 1, 0, 1, 2, 1, 0, 1, 2, 1, 2, 3, 2, 1, 0, 1, 2, 1, 2, 3, 2, 1, 2, 3, 2, 3],
}


def _ellipse_outline(cx: float, cy: float, w: float, h: float, angle: float, n: int = 360,
                     ) -> np.ndarray:
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    a = math.radians(angle)
    ex, ey = w / 2 * np.cos(t), h / 2 * np.sin(t)
    return np.column_stack([cx + ex * math.cos(a) - ey * math.sin(a),
                            cy + ex * math.sin(a) + ey * math.cos(a)])


def _edwards(k: int, n: int = 1440) -> list[np.ndarray]:
    """Outlines of the Edwards-style k-set diagram (k = 6 or 7) on the unit square."""
    m = k - 2
    swaps = _SWAPS[m]
    quarter = n // 4
    levels = np.zeros((m, n))  # radial position of each curve, 0 = outermost
    perm = list(range(m))
    forward = [list(perm)]
    for s in swaps:
        perm[s], perm[s + 1] = perm[s + 1], perm[s]
        forward.append(list(perm))
    steps = len(swaps)
    for q in range(4):
        seq = forward if q % 2 == 0 else forward[::-1]
        for j in range(quarter):
            u = (j + 0.5) / quarter * (steps + 1) - 0.5   # position in swap units
            i = min(max(math.floor(u), 0), steps)
            frac = u - i
            a = seq[i]
            b = seq[min(i + 1, steps)]
            w = 0.5 - 0.5 * math.cos(math.pi * min(max((frac - 0.2) / 0.6, 0.0), 1.0))
            for c in range(m):
                levels[c, q * quarter + j] = (1 - w) * a.index(c) + w * b.index(c)
    theta = (np.arange(n) + 0.5) / n * 2 * np.pi
    r_out, r_in = 0.46, 0.2
    out = [np.array([[0.02, 0.02], [0.5, 0.02], [0.5, 0.98], [0.02, 0.98]]),
           np.array([[0.02, 0.5], [0.98, 0.5], [0.98, 0.98], [0.02, 0.98]])]
    for c in range(m):
        r = r_out - (r_out - r_in) * levels[c] / max(m - 1, 1)
        out.append(np.column_stack([0.5 + r * np.cos(theta), 0.5 + r * np.sin(theta)]))
    return out


def venn_shapes(k: int) -> list[np.ndarray]:
    """The outlines of the k sets of a Venn diagram (k = 1 to 7) on the unit square, as R's
    venn package draws them: circles (2, 3), ellipses (4, 5), Edwards-style curves (6, 7).

    Parameters
    ----------
    k : int
        Number of sets, 1 to 7.

    Returns
    -------
    list of numpy.ndarray
        One (n, 2) array of the vertices of each set's closed outline (last vertex not
        repeated); together they cut the plane into all 2**k regions, each connected.
    """
    if not 1 <= k <= 7:
        raise ValueError(f"a Venn diagram of {k} sets is not drawn; use 1 to 7 sets")
    if k <= 5:
        return [_ellipse_outline(*e) for e in _ELLIPSES[k]]
    return _edwards(k)


def _regions(shapes: list[np.ndarray]) -> dict[tuple[int, ...], Any]:
    """Every region as a shapely geometry, keyed by its membership pattern (1 = inside)."""
    import itertools

    from shapely.geometry import Polygon, box

    polys = [Polygon(s).buffer(0) for s in shapes]
    frame = box(-0.02, -0.02, 1.02, 1.02)
    out = {}
    for bits in itertools.product((0, 1), repeat=len(polys)):
        g = frame
        for b, p in zip(bits, polys, strict=True):
            g = g.intersection(p) if b else g.difference(p)
        out[bits] = g
    return out


def _patch_path(geom: Any) -> Any:
    """A matplotlib Path of a shapely (multi)polygon, holes included."""
    from matplotlib.path import Path

    verts: list[tuple[float, float]] = []
    codes: list[int] = []
    polys = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type == "Polygon"]
    for p in polys:
        for ring in [p.exterior, *p.interiors]:
            xy = list(ring.coords)
            verts += xy
            codes += [Path.MOVETO] + [Path.LINETO] * (len(xy) - 2) + [Path.CLOSEPOLY]
    return Path(verts, codes) if verts else None


def _covered(tt: TruthTable, model: Model | None) -> set[tuple[int, ...]]:
    """Configurations (condition values) inside the model."""
    if model is None:
        return set()
    import itertools

    from kadstudy.sets.minimize import covers

    cfg = np.array(list(itertools.product((0, 1), repeat=len(tt.conditions))))
    hit = covers(np.asarray(model.implicants, dtype=int), cfg).any(axis=0)
    return {tuple(c) for c in cfg[hit].tolist()}


def venn(tt: TruthTable | Solution, model: Model | str | None = None, *, counts: bool = True,
         title: str | None = None, ax: Axes | None = None) -> Axes:
    """Venn diagram of a truth table or solution, as R's ``venn`` draws a QCA truth table: one
    set per condition (up to 7), every one of the 2**k regions a truth table row, filled by
    its outcome value (OUT = 1, 0, C, or a remainder) and labelled with its number of cases.
    With a model, the regions the model covers (its configurations, remainders it rests on
    included) are hatched and the model is named in the title.

    Parameters
    ----------
    tt : TruthTable or Solution
        The truth table (a Solution's own truth table is used, and its first model unless
        ``model`` is given). Conditions must be binary (crisp or fuzzy sets).
    model : Model or str, optional
        A model of the solution (or its name, e.g. ``"M2"``) whose regions are hatched; with a
        truth table, no model is hatched unless given.
    counts : bool
        Write the number of cases of each region (blank for remainders).
    title : str, optional
        The title (default: the outcome and the model).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new 6 x 6 inch figure when None.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``; each region's patch has gid ``"venn-region-<bits>"`` (bits: 1 = in the set,
        in the order of the conditions), and the count labels gid ``"venn-count-<bits>"``.
    """
    from matplotlib.patches import Patch, PathPatch, Polygon
    from shapely.ops import polylabel

    sol = None
    if hasattr(tt, "truth_table") and hasattr(tt, "models"):
        sol = tt
        tt = sol.truth_table
    if isinstance(model, str):
        if sol is None:
            raise ValueError("a model name needs a Solution; pass the Model itself")
        found = [m for m in sol.models if model in (m.name, m.label)]
        if not found:
            raise ValueError(f"no model {model!r} in the solution; models: "
                             f"{', '.join(m.label for m in sol.models)}")
        model = found[0]
    elif model is None and sol is not None and sol.models:
        model = sol.models[0]
    conds = list(tt.conditions)
    if tt.multivalue:
        raise ValueError("a Venn diagram needs binary conditions; this truth table is multi-value")
    k = len(conds)
    shapes = venn_shapes(k)
    regions = _regions(shapes)
    rows = {tuple(int(v) for v in r[conds]): (str(r["OUT"]), int(r["n"]))
            for _, r in tt.rows.iterrows()}
    covered = _covered(tt, model)
    ax = _new_axes(ax, (6.0, 6.0))
    fs = {1: 11, 2: 11, 3: 10, 4: 9, 5: 8, 6: 6.5, 7: 5.5}[k]
    for bits, geom in regions.items():
        out, n = rows.get(bits, ("?", 0))
        tag = "".join(map(str, bits))
        path = _patch_path(geom)
        if path is None:
            continue
        ax.add_patch(PathPatch(path, facecolor=OUT_COLORS.get(out, "#ffffff"), edgecolor="none",
                               hatch="///" if bits in covered else None, lw=0, zorder=1,
                               gid=f"venn-region-{tag}"))
        if counts:
            parts = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type == "Polygon"]
            big = max(parts, key=lambda g: g.area)
            pt = polylabel(big, tolerance=1e-3)
            ax.text(pt.x, pt.y, str(n) if n else "", ha="center", va="center", fontsize=fs,
                    zorder=4, gid=f"venn-count-{tag}",
                    bbox={"fc": "white", "ec": "none", "alpha": 0.8, "pad": 0.6} if n else None)
    palette = ["#1f4e79", "#b03a2e", "#1e8449", "#7d3c98", "#b9770e", "#00838f", "#c2185b"]
    for i, s in enumerate(shapes):
        ax.add_patch(Polygon(s, closed=True, fill=False, edgecolor=palette[i % 7], lw=1.3,
                             zorder=3))
    # set names: outside each ellipse; for 6 and 7 sets the two halves are named at their
    # edges and the curves in the legend (their colours)
    band_handles = []
    for i, (name, s) in enumerate(zip(conds, shapes, strict=True)):
        if k >= 6 and i >= 2:
            from matplotlib.lines import Line2D

            band_handles.append(Line2D([], [], color=palette[i % 7], lw=2, label=name))
            continue
        if k >= 6:
            pos = (-0.01, 0.26, "right", "center", 90) if i == 0 else (0.26, 1.0, "center",
                                                                      "bottom", 0)
        else:
            far = s[np.argmax(((s - 0.5) ** 2).sum(axis=1))]
            d = far - 0.5
            pos = (far[0] + 0.03 * np.sign(d[0]), far[1] + 0.03 * np.sign(d[1]),
                   "left" if d[0] > 0 else "right", "bottom" if d[1] > 0 else "top", 0)
        ax.text(pos[0], pos[1], name, ha=pos[2], va=pos[3], rotation=pos[4], fontsize=9,
                color=palette[i % 7], weight="bold", zorder=5)
    allxy = np.vstack(shapes)
    margin = 0.12 if k < 6 else 0.06
    ax.set_xlim(float(allxy[:, 0].min()) - margin, float(allxy[:, 0].max()) + margin)
    ax.set_ylim(float(allxy[:, 1].min()) - margin, float(allxy[:, 1].max()) + margin)
    ax.set_aspect("equal")
    ax.set_axis_off()
    present = sorted({rows.get(b, ("?", 0))[0] for b in regions if b in rows} | {"?"},
                     key=lambda o: "10C?".index(o) if o in "10C?" else 9)
    handles = [Patch(facecolor=OUT_COLORS.get(o, "#ffffff"), edgecolor=GREY,
                     label=OUT_NAMES.get(o, o)) for o in present]
    if model is not None:
        handles.append(Patch(facecolor="white", edgecolor="#555555", hatch="///",
                             label="covered by the model"))
    handles += band_handles
    ax.legend(handles=handles, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, 0.0),
              ncol=3, frameon=False)
    ax.set_title(title if title is not None else (
        f"Truth table of {tt.outcome}" + (f"; model {model.expression}" if model is not None
                                          else "")), fontsize=10)
    return ax


# ---------------------------------------------------------------------------- robustness


def _wrap(text: str, width: int = 18) -> str:
    """``text`` in lines of about ``width`` characters, broken after spaces and after ``*`` (so
    an expression breaks between its factors, not inside a set name)."""
    import re

    lines, line = [], ""
    for token in re.split(r"(?<=[* ])", text):
        if line and len(line) + len(token) > width:
            lines.append(line.rstrip())
            line = ""
        line += token
    lines.append(line.rstrip())
    return "\n".join(x for x in lines if x) or text


def robustness_plot(result: RobustnessResult, data: pd.DataFrame, *, ax: Axes | None = None,
                    title: str | None = None) -> Axes:
    """What varies across the specifications of a robustness test: one column per
    specification (the initial one first) with each case's membership in that specification's
    solution (its first model, evaluated on the initial cases), then TS_min, TS_max, the robust
    core RC and the outcome Y; the column heads give each solution, marked ``=`` where it is the
    initial one and ``no solution`` where a specification has none.

    Parameters
    ----------
    result : RobustnessResult
        The result of :func:`kadstudy.sets.robustness_test`.
    data : pandas.DataFrame
        The data the test was run on (to evaluate each test solution on the initial cases).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure sized to the table when None.
    title : str, optional
        The title (default: the solution type, the initial solution and the fit parameters).

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``.
    """
    import pandas as pd
    import seaborn as sns

    from kadstudy.sets.robustness import set_memberships, sop_membership

    frame = set_memberships(data, result.initial.spec)
    mem = result.memberships
    cols: dict[str, np.ndarray] = {}
    heads = []
    for i, r in enumerate([result.initial, *result.tests]):
        label = (r.spec.label or "initial") if i == 0 else (r.spec.label or f"test {i}")
        sol = r.text if r.status == "ok" else ("no solution" if r.status == "none" else r.text)
        same = i > 0 and r.key == result.initial.key
        values = sop_membership(r.first_model, frame.loc[mem.index]) if i else mem["IS"].to_numpy()
        key = f"{i}"
        cols[key] = values
        heads.append(f"{_wrap(label, 14)}\n" + ("= initial" if same else _wrap(sol, 16)))
    for name in ("TS_min", "TS_max", "RC", "Y"):
        cols[name] = mem[name].to_numpy()
        heads.append({"Y": f"outcome\n{result.outcome}"}.get(name, name))
    table = pd.DataFrame(cols, index=[str(c) for c in mem.index])
    table = table.sort_values(["0", "Y"], ascending=False, kind="stable")
    ax = _new_axes(ax, (1.4 * len(cols) + 2.2, 0.32 * len(table) + 2.6))
    sns.heatmap(table.to_numpy(dtype=float), ax=ax, vmin=0, vmax=1, cmap="Blues", annot=True,
                fmt=".2f", annot_kws={"fontsize": 8}, linewidths=0.5, linecolor="white",
                cbar_kws={"label": "membership", "shrink": 0.6},
                xticklabels=heads, yticklabels=list(table.index))
    n_spec = len(result.tests) + 1
    ax.axvline(n_spec, color="#333333", lw=1.5)
    ax.axvline(len(cols) - 1, color="#333333", lw=1.5)
    ax.tick_params(axis="x", labelsize=8, rotation=0)
    ax.tick_params(axis="y", labelsize=8, rotation=0)
    ax.xaxis.tick_top()
    ax.set_xlabel("")
    f = result.fit
    kind = result.initial.spec.solution
    fit = "  ".join(f"{k} {f[k]:.3f}" if math.isfinite(f[k]) else f"{k} -" for k in
                    ("RF_cov", "RF_cons", "RF_SC_minTS", "RF_SC_maxTS"))
    ax.set_title(title if title is not None else
                 f"{kind.capitalize()} solution: membership per specification\n{fit}",
                 fontsize=10, pad=12)
    return ax


def robustness_xy_plot(result: RobustnessResult, *, ax: Axes | None = None,
                       title: str | None = None) -> Axes:
    """XY plot of a robustness test (SetMethods ``rob.xyplot``): x = membership in the initial
    solution IS, y = membership in TS_min when the case is in IS (> 0.5), else in TS_max; filled
    points are cases in the outcome (> 0.5), open ones are not; the quadrants are named (robust,
    shaky, possible) and the cases labelled. :meth:`RobustnessResult.figure
    <kadstudy.sets.robustness.RobustnessResult.figure>` draws it in a figure of its own.

    Parameters
    ----------
    result : RobustnessResult
        The result of :func:`kadstudy.sets.robustness_test`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new 6 x 6 inch figure when None.
    title : str, optional
        The title (default: RF_cov, RF_cons, RF_SC_minTS and RF_SC_maxTS).

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``.
    """
    m = result.memberships
    x = m["IS"].to_numpy()
    ts = np.where(x > 0.5, m["TS_min"].to_numpy(), m["TS_max"].to_numpy())
    y_in = m["Y"].to_numpy() > 0.5
    ax = _new_axes(ax, (6, 6))
    ax.axvline(0.5, color=GREY, lw=1)
    ax.axhline(0.5, color=GREY, lw=1)
    ax.plot([0, 1], [0, 1], color="#cccccc", lw=1, ls="--")
    # open (not in Y) markers are larger and drawn first, so a filled one on the same spot shows
    ax.scatter(x[~y_in], ts[~y_in], facecolors="white", edgecolors=RED, s=70, zorder=3,
               label="not in the outcome (Y < 0.5)")
    ax.scatter(x[y_in], ts[y_in], color=BLUE, s=24, zorder=4, label="in the outcome (Y > 0.5)")
    groups: dict[tuple[float, float, bool], list[str]] = {}
    for xi, ti, yi, case in zip(x, ts, y_in, m.index, strict=True):
        groups.setdefault((round(float(xi), 3), round(float(ti), 3), bool(yi)), []).append(str(case))
    for (xi, ti, yi), cases in sorted(groups.items()):
        label = cases[0] if len(cases) == 1 else f"{cases[0]} +{len(cases) - 1}"
        right = xi > 0.6
        ax.annotate(label, (xi, ti), fontsize=6, xytext=(-5 if right else 5, 4 if yi else -9),
                    textcoords="offset points", ha="right" if right else "left",
                    color=BLUE if yi else RED)
    for text, (tx, ty) in (("robust: IS*TS_min", (0.99, 0.51)), ("shaky: IS*~TS_min", (0.99, 0.49)),
                           ("possible: ~IS*TS_max", (0.01, 0.51)), ("~IS*~TS_max", (0.01, 0.49))):
        ax.text(tx, ty, text, fontsize=7, color="#555555", transform=ax.transAxes,
                ha="right" if tx > 0.5 else "left", va="bottom" if ty > 0.5 else "top")
    ax.set_xlim(-0.05, 1.05)
    ax.set_ylim(-0.05, 1.05)
    ax.set_aspect("equal")
    ax.set_xlabel("membership in the initial solution (IS)", fontsize=8)
    ax.set_ylabel("membership in TS_min (cases in IS) or TS_max (others)", fontsize=8)
    f = result.fit
    ax.set_title(title or (f"RF_cov {f['RF_cov']:.3f}  RF_cons {f['RF_cons']:.3f}  "
                           f"RF_SC_minTS {f['RF_SC_minTS']:.3f}  RF_SC_maxTS {f['RF_SC_maxTS']:.3f}"),
                 fontsize=8)
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2, frameon=False)
    return ax
