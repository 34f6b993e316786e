"""An interval bound the data do not limit is reported as unbounded, with the reason.

The data are built by hand so that the separation is certain: every case with x = 1 is an event,
so the ordinary MLE of x is +inf (quasi-complete separation), while x = 0 has both classes.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import optimize

from kadstudy.models import frame, plot, regression
from kadstudy.report.render import csv_table, figure_bytes, markdown_table

X = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0]
Y = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]


def _data() -> frame.ModelData:
    df = pd.DataFrame({"y": Y, "x": X}, index=[f"case{i}" for i in range(len(X))])
    return frame.prepare(df, "y", ["x"])


def _ordinary_profile(b: float) -> float:
    """The ordinary log-likelihood at x-coefficient b, maximised over the intercept (written out:
    the x = 1 cases are all events, the x = 0 cases 1 event in 6)."""
    x, y = np.array(X, float), np.array(Y, float)

    def negll(a: float) -> float:
        eta = a + b * x
        return -float(np.sum(y * eta - np.logaddexp(0.0, eta)))

    return -optimize.minimize_scalar(negll, bounds=(-50, 50), method="bounded",
                                     options={"xatol": 1e-10}).fun


def test_the_rule_holds_here_the_likelihood_never_falls_on_the_upper_side():
    """The premise of the rule, checked independently: beyond the Firth estimate the ordinary
    profile log-likelihood keeps rising, so it never reaches the 95% cut-off on that side."""
    profile = [_ordinary_profile(b) for b in (2.0, 4.0, 8.0, 16.0, 30.0)]
    assert profile == sorted(profile)
    cutoff = profile[-1] - 3.841458820694124 / 2  # chi2(0.95, 1) / 2 below the supremum
    assert all(p > cutoff for p in profile[1:])


def test_separated_predictor_interval_is_unbounded_above():
    fit = regression.firth_logit(_data())
    assert fit.separation.directions == {"x": 1, "(Intercept)": 0}
    # Firth's estimate is finite: the Haldane-corrected log odds ratio (Firth 1993)
    assert fit.table.loc["x", "coef"] == pytest.approx(math.log(4.5 * 5.5 / (0.5 * 1.5)), abs=1e-5)
    assert fit.table.loc["x", "OR_high"] == math.inf
    low = fit.table.loc["x", "OR_low"]
    assert 0 < low < fit.table.loc["x", "OR"]
    # the intercept (MLE finite) keeps both bounds
    assert np.isfinite(fit.table.loc["(Intercept)", ["OR_low", "OR_high"]].astype(float)).all()
    note = fit.bound_notes["x"]
    assert note.startswith("upper bound not estimable: separation")
    assert "ordinary MLE +inf" in note
    # the bound the penalised profile search converged to is kept, finite, beyond the estimate
    high = fit.extra["penalised_ci"].loc["x", "high"]
    assert math.isfinite(high) and high > fit.table.loc["x", "coef"]
    assert list(fit.bound_notes) == ["x"]


def test_wald_interval_of_the_firth_fit_follows_the_same_rule():
    fit = regression.firth_logit(_data(), profile_ci=False)
    assert fit.table.loc["x", "OR_high"] == math.inf
    assert "penalised Wald bound" in fit.bound_notes["x"]


def test_no_separation_no_infinite_bound():
    x = [1, 1, 1, 0, 1, 0, 0, 0, 1, 0]
    df = pd.DataFrame({"y": Y, "x": x}, index=[f"case{i}" for i in range(len(x))])
    fit = regression.firth_logit(frame.prepare(df, "y", ["x"]))
    assert not fit.separation.separated and fit.bound_notes == {}
    assert np.isfinite(fit.table[["OR_low", "OR_high"]].to_numpy(dtype=float)).all()


def test_report_table_and_forest_plot_show_the_unbounded_side():
    fit = regression.firth_logit(_data())
    table = fit.table.copy()
    table["note"] = [fit.bound_notes.get(t, "") for t in table.index]
    md = markdown_table(table, {"coef": "estimate", "se": "estimate", "OR": "estimate",
                                "OR_low": "estimate", "OR_high": "estimate", "p": "p"})
    row = next(line for line in md.splitlines() if line.startswith("| x |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[6] == "∞" and cells[7].startswith("upper bound not estimable")
    assert cells[4] == "33.0"  # OR = 4.5 * 5.5 / (0.5 * 1.5) = 33, 3 significant digits
    assert ",inf," in csv_table(table).splitlines()[2]
    fig = plot.forest(fit.odds_ratios())
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert any("unbounded" in t for t in texts)
    png, svg = figure_bytes(fig)
    assert png.startswith(b"\x89PNG") and b"<svg" in svg


def _ordinal(g: list[int], x: list[float], z: list[float] | None = None) -> frame.ModelData:
    cols = {"g": g, "x": x} | ({"z": z} if z is not None else {})
    df = pd.DataFrame(cols, index=[f"case{i}" for i in range(len(g))])
    return frame.prepare(df, "g", [c for c in cols if c != "g"], outcome_type="ordinal")


def test_ordinal_separation_by_hand():
    """g rises with x without overlap (x = 0: g = 0; x = 1: g = 1; x = 2: g = 2): every split of
    g is separated by x in the same direction, and the cut-points can stay ordered, so the
    proportional-odds estimate of x runs to +inf. Reversed x: -inf. With overlap: none."""
    g = [0, 0, 0, 1, 1, 1, 2, 2, 2]
    x = [0.0, 0, 0, 1, 1, 1, 2, 2, 2]
    assert regression.ordinal_separation(_ordinal(g, x)) == {"x": 1}
    assert regression.ordinal_separation(_ordinal(g, [-v for v in x])) == {"x": -1}
    overlap = [0.0, 1, 0, 1, 2, 0, 2, 1, 2]
    assert regression.ordinal_separation(_ordinal(g, overlap)) == {}
    # z separates nothing, x does: only x diverges
    z = [0.3, -1.0, 0.8, 0.1, -0.4, 0.9, -0.2, 0.5, -0.7]
    assert regression.ordinal_separation(_ordinal(g, x, z)) == {"x": 1}


def test_ordinal_fit_reports_the_diverging_estimate_as_unbounded():
    g = [0, 0, 0, 1, 1, 1, 2, 2, 2]
    x = [0.0, 0, 0, 1, 1, 1, 2, 2, 2]
    fit = regression.ordinal_logit(_ordinal(g, x))
    row = fit.table.loc["x"]
    assert row["coef"] == math.inf and row["OR"] == math.inf and row["OR_high"] == math.inf
    assert math.isnan(row["OR_low"]) and math.isnan(row["se"]) and math.isnan(row["p"])
    assert fit.bound_notes["x"].startswith("not estimable: separation of the ordinal outcome")
    assert any(w.startswith("Separation of the ordinal outcome") for w in fit.warnings)
    md = markdown_table(fit.table, {"coef": "estimate", "OR": "estimate", "OR_high": "estimate"})
    assert "| x | ∞ |" in md
