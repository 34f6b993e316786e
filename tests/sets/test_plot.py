"""The set-analysis figures (kadstudy.sets.plot) on Lipset's fuzzy-set data and small tables.

Expected values are the published ones (Ragin 2008, Dusa's QCA book and R package: the
parsimonious solution of LF for SURV at incl.cut 0.8 is DEV*~IND + URB*STB with inclS 0.850,
PRI 0.819, covS 0.714; the intermediate DEV*URB*LIT*STB + DEV*LIT*~IND*STB has 0.866, 0.839,
0.660) or derived by hand in the docstrings; the Venn regions are checked with shapely and with
matplotlib's point-in-polygon test, independently of how the figure is drawn."""

from __future__ import annotations

import itertools
import re

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.path import Path as MplPath

from kadstudy.report.render import figure_bytes
from kadstudy.sets import Specification, minimize, robustness_test, truth_table
from kadstudy.sets.plot import calibration_curve, robustness_plot, venn, venn_shapes, xy_plot

from .test_robustness import crisp_table

CONDITIONS = ["DEV", "URB", "LIT", "IND", "STB"]


@pytest.fixture
def lf(load_dataset) -> pd.DataFrame:
    return load_dataset("LF")


def _measures(ax) -> dict[str, float]:
    text = next(t.get_text() for t in ax.texts if t.get_gid() == "xy-measures")
    return {k: float(v) for k, v in re.findall(r"(\w+) = ([0-9.]+)", text)}


def test_xy_plot_shows_the_published_parsimonious_fit(lf):
    sol = minimize(truth_table(lf, "SURV", CONDITIONS, incl_cut=0.8), solution="parsimonious")
    model = sol.models[0]
    assert model.expression == "DEV*~IND + URB*STB"
    ax = xy_plot(model.expression, "SURV", lf)
    assert _measures(ax) == {"inclS": 0.850, "PRI": 0.819, "covS": 0.714}
    assert ax.get_title() == "DEV*~IND + URB*STB -> SURV (sufficiency)"
    # the 0.5 lines and the diagonal are drawn
    lines = [ln.get_xydata().tolist() for ln in ax.lines]
    assert [[0.0, 0.0], [1.0, 1.0]] in lines
    assert [[0.5, 0.0], [0.5, 1.0]] in lines and [[0.0, 0.5], [1.0, 0.5]] in lines


def test_xy_plot_published_term_and_intermediate(lf):
    """The term URB*STB alone: 0.874 / 0.845 / 0.520; the intermediate model: 0.866 / 0.839 /
    0.660 (README, as R QCA prints them)."""
    assert _measures(xy_plot("URB*STB", "SURV", lf)) == {"inclS": 0.874, "PRI": 0.845, "covS": 0.520}
    inter = xy_plot("DEV*URB*LIT*STB + DEV*LIT*~IND*STB", "SURV", lf)
    assert _measures(inter) == {"inclS": 0.866, "PRI": 0.839, "covS": 0.660}


def test_xy_plot_necessity_by_hand():
    """x = (0.2, 0.8, 1.0), y = (0.1, 0.6, 0.9): min = (0.1, 0.6, 0.9), Σ = 1.6 = ΣY, so
    inclN = 1; covN = 1.6 / ΣX = 1.6 / 2.0 = 0.8; RoN = Σ(1 - x) / Σ(1 - min) = 1.0 / 1.4
    = 0.714."""
    x = pd.Series([0.2, 0.8, 1.0], index=["a", "b", "c"], name="X")
    y = pd.Series([0.1, 0.6, 0.9], index=["a", "b", "c"], name="Y")
    ax = xy_plot(x, y, relation="necessity")
    assert _measures(ax) == {"inclN": 1.0, "RoN": 0.714, "covN": 0.8}
    with pytest.raises(ValueError, match="relation"):
        xy_plot(x, y, relation="both")


def test_xy_plot_labels_do_not_overlap_and_stay_inside(lf):
    fig = Figure(figsize=(5.5, 5.5))
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    assert xy_plot("DEV*~IND + URB*STB", "SURV", lf, ax=ax) is ax
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    labels = [t for t in ax.texts if t.get_gid() != "xy-measures"]
    shown = " ".join(t.get_text() for t in labels)
    assert all(case in shown for case in lf.index)
    boxes = [t.get_window_extent(renderer) for t in labels]
    frame = ax.bbox
    for b in boxes:
        assert frame.x0 <= b.x0 and b.x1 <= frame.x1 and frame.y0 <= b.y0 and b.y1 <= frame.y1
        assert b.height >= 8 * fig.dpi / 72 * 0.9  # 8 pt text: readable
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)


def test_figures_are_byte_identical(lf):
    one = figure_bytes(xy_plot("DEV*~IND + URB*STB", "SURV", lf).figure)
    two = figure_bytes(xy_plot("DEV*~IND + URB*STB", "SURV", lf).figure)
    assert one == two


@pytest.mark.parametrize("k", range(2, 8))
def test_venn_shapes_have_every_region_once(k):
    """Every one of the 2**k membership patterns is a non-empty, connected region (shapely), and
    a point inside it lies inside exactly the sets of its pattern (matplotlib's own test)."""
    from shapely.geometry import Polygon, box

    shapes = venn_shapes(k)
    assert len(shapes) == k
    polys = [Polygon(s) for s in shapes]
    assert all(p.is_valid and p.area > 0 for p in polys)
    paths = [MplPath(s) for s in shapes]
    for bits in itertools.product((0, 1), repeat=k):
        region = box(-1, -1, 2, 2)
        for b, p in zip(bits, polys, strict=True):
            region = region.intersection(p) if b else region.difference(p)
        parts = [g for g in getattr(region, "geoms", [region])
                 if g.geom_type == "Polygon" and g.area > 1e-7]
        assert len(parts) == 1, f"region {bits}: {len(parts)} parts"
        pt = parts[0].representative_point()
        inside = tuple(int(p.contains_point((pt.x, pt.y))) for p in paths)
        assert inside == bits


def test_venn_rejects_eight_sets():
    with pytest.raises(ValueError, match="1 to 7"):
        venn_shapes(8)


def test_venn_of_the_lf_solution(lf):
    """LF truth table at incl.cut 0.8 (Ragin 2008, Dusa): row 11111 (BE, CZ, NL, UK) and row
    10101 (FI, IE) have OUT = 1, row 00000 (GR, PT, ES) OUT = 0, 10100 has no case (a
    remainder). The parsimonious model DEV*~IND + URB*STB covers 10101 and 11111 but not
    00000."""
    sol = minimize(truth_table(lf, "SURV", CONDITIONS, incl_cut=0.8), solution="parsimonious")
    fig = Figure()
    ax = fig.subplots()
    assert venn(sol, ax=ax) is ax
    regions = {p.get_gid(): p for p in ax.patches if (p.get_gid() or "").startswith("venn-region")}
    counts = {t.get_gid(): t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("venn-count")}
    assert len(regions) == 32 and len(counts) == 32
    assert counts["venn-count-11111"] == "4"
    assert counts["venn-count-10101"] == "2"
    assert counts["venn-count-00000"] == "3"
    assert counts["venn-count-10100"] == ""
    assert sum(int(c) for c in counts.values() if c) == len(lf)
    green = matplotlib.colors.to_rgba("#55a868")
    assert regions["venn-region-11111"].get_facecolor() == green
    assert regions["venn-region-10101"].get_facecolor() == green
    assert regions["venn-region-00000"].get_facecolor() != green
    assert regions["venn-region-10101"].get_hatch() and regions["venn-region-11111"].get_hatch()
    assert not regions["venn-region-00000"].get_hatch()
    assert "DEV*~IND + URB*STB" in ax.get_title()


def test_calibration_curve_marks_anchors():
    raw = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0], index=list("abcde"))
    from kadstudy.sets import calibrate

    member = calibrate(raw.to_numpy(), [1.5, 3.0, 4.5])
    fig = Figure()
    ax = fig.subplots()
    assert calibration_curve(raw, member, [1.5, 3.0, 4.5], name="S", ax=ax, labels=True) is ax
    texts = [t.get_text() for t in ax.texts]
    assert "exclusion\n1.5" in texts and "crossover\n3" in texts and "inclusion\n4.5" in texts
    assert {"a", "b", "c", "d", "e"} <= set(texts)
    # the anchors at memberships 0.05, 0.5 and 0.95 (the logistic calibration's definition)
    marks = [ln.get_xydata()[0].tolist() for ln in ax.lines if ln.get_marker() == "D"]
    assert marks == [[1.5, 0.05], [3.0, 0.5], [4.5, 0.95]]


def test_calibration_curve_takes_plain_lists():
    """Lists carry no case names: the curve is drawn and no case label is written."""
    fig = Figure()
    ax = fig.subplots()
    assert calibration_curve([1.0, 3.0, 5.0], [0.02, 0.5, 0.98], [1.5, 3.0, 4.5], labels=True,
                             ax=ax) is ax
    marks = [ln.get_xydata()[0].tolist() for ln in ax.lines if ln.get_marker() == "D"]
    assert marks == [[1.5, 0.05], [3.0, 0.5], [4.5, 0.95]]
    assert not {"0", "1", "2"} & {t.get_text() for t in ax.texts}


def test_robustness_plot_shows_each_specification():
    """As tests/sets/test_robustness.py: IS = A (incl_cut .75), tests incl_cut .9 -> A*B and
    .4 -> A + B. Case r10_0 (A = 1, B = 0, Y = 1): IS 1, A*B 0, A + B 1, TS_min 0, TS_max 1,
    RC 0, Y 1. Case r01_0 (A = 0, B = 1, Y = 1): 0, 0, 1, 0, 1, 0, 1."""
    data = crisp_table()
    s = Specification(outcome="Y", conditions=("A", "B"), incl_cut=0.75)
    res = robustness_test(data, s, [s.with_incl_cut(0.9), s.with_incl_cut(0.4)])
    fig = Figure()
    ax = fig.subplots()
    assert robustness_plot(res, data, ax=ax) is ax
    heads = [t.get_text() for t in ax.get_xticklabels()]
    assert len(heads) == 3 + 4
    assert heads[1].endswith("A*B") and heads[2].endswith("A + B")
    rows = [t.get_text() for t in ax.get_yticklabels()]
    cells = [t.get_text() for t in ax.texts]
    ncol = len(heads)

    def row(case: str) -> list[str]:
        i = rows.index(case)
        return cells[i * ncol:(i + 1) * ncol]

    assert row("r10_0") == ["1.00", "0.00", "1.00", "0.00", "1.00", "0.00", "1.00"]
    assert row("r01_0") == ["0.00", "0.00", "1.00", "0.00", "1.00", "0.00", "1.00"]
    # the solution type is named: plots of different solutions cannot look the same
    other = robustness_test(data, Specification(outcome="Y", conditions=("A", "B"), incl_cut=0.75,
                                                solution="parsimonious"),
                            [s.with_incl_cut(0.9)])
    assert robustness_plot(other, data).get_title() != ax.get_title()
    assert np.isclose(res.fit["RF_cov"], 0.5)


def test_plot_modules_stay_lazy():
    """`kadstudy --help`, and importing kadstudy.sets and kadstudy.models, load no plotting
    library and neither plot module."""
    import subprocess
    import sys

    code = ("import sys\nimport kadstudy.sets, kadstudy.models\nfrom kadstudy.cli import main\ntry:\n"
            "    main(['--help'])\nexcept SystemExit:\n    pass\nprint(sorted(m for m in ('matplotlib', "
            "'seaborn', 'shapely', 'kadstudy.sets.plot', 'kadstudy.models.plot') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
