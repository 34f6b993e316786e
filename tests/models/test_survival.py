"""Survival against independent results: the product-limit estimate and Greenwood intervals worked
by hand, statsmodels' own Kaplan-Meier and log-rank implementations, and Fox's published Cox model
of the Rossi recidivism data."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from kadstudy.models import survival
from kadstudy.models.frame import ModelInputError

# durations 2, 3, 3+, 5, 6, 6+, 8+ (+ = censored)
T = [2, 3, 3, 5, 6, 6, 8]
E = [1, 1, 0, 1, 0, 1, 0]


def test_kaplan_meier_by_hand():
    """Product limit: t=2: 7 at risk, 1 event -> 6/7; t=3: 6 at risk, 1 event (the case censored
    at 3 still counts as at risk) -> 6/7 * 5/6 = 5/7; t=5: 4 at risk -> 5/7 * 3/4 = 15/28;
    t=6: 3 at risk -> 15/28 * 2/3 = 5/14; t=8: censored only. Median: first t with S <= 1/2 = 6."""
    km = survival.kaplan_meier(T, E)
    t = km.table.set_index("time")
    assert t["at_risk"].to_dict() == {0.0: 7, 2.0: 7, 3.0: 6, 5.0: 4, 6.0: 3, 8.0: 1}
    assert t["events"].to_dict() == {0.0: 0, 2.0: 1, 3.0: 1, 5.0: 1, 6.0: 1, 8.0: 0}
    assert t["censored"].to_dict() == {0.0: 0, 2.0: 0, 3.0: 1, 5.0: 0, 6.0: 1, 8.0: 1}
    expected = {0.0: 1.0, 2.0: 6 / 7, 3.0: 5 / 7, 5.0: 15 / 28, 6.0: 5 / 14, 8.0: 5 / 14}
    for time, s in expected.items():
        assert t.loc[time, "survival"] == pytest.approx(s, abs=1e-12)
    assert km.median == 6.0 and km.n == 7 and km.events == 4
    # Greenwood: V = sum d / (n (n - d)) over event times <= 5; exponential (log(-log)) interval
    # S^exp(+-z sqrt(V) / |log S|)
    s5 = 15 / 28
    v = 1 / (7 * 6) + 1 / (6 * 5) + 1 / (4 * 3)
    z = 1.959963984540054
    se = math.sqrt(v) / abs(math.log(s5))
    assert t.loc[5.0, "ci_low"] == pytest.approx(s5 ** math.exp(z * se), abs=1e-9)
    assert t.loc[5.0, "ci_high"] == pytest.approx(s5 ** math.exp(-z * se), abs=1e-9)


def test_kaplan_meier_matches_statsmodels():
    from statsmodels.duration.survfunc import SurvfuncRight

    rng = np.random.default_rng(4)
    t = rng.integers(1, 20, size=40).astype(float)
    e = (rng.random(40) < 0.6).astype(int)
    km = survival.kaplan_meier(t, e)
    sf = SurvfuncRight(t, e)
    ours = km.table.set_index("time")["survival"]
    for time, s in zip(sf.surv_times, sf.surv_prob, strict=True):
        assert ours.loc[time] == pytest.approx(s, abs=1e-12)


def _frame() -> pd.DataFrame:
    return pd.DataFrame({
        "founded": [2000, 2001, 2002, 2003, 2004, np.nan, 2000, 2001, 2005],
        "ended": [2006, np.nan, 2010, np.nan, np.nan, np.nan, np.nan, 2004, np.nan],
        "seen": [2012, 2012, 2012, 2012, np.nan, 2012, 2012, 2012, 2012],
        "active": [0, 1, np.nan, 1, 1, 1, 0, 1, np.nan],
        "form": ["a", "a", "b", "b", "a", "b", "a", "b", "a"],
    }, index=[f"f{i}" for i in range(9)])


def test_survival_data_rules():
    sd = survival.survival_data(_frame(), start="founded", end="ended", observed="seen",
                                active="active", keep=["form"])
    f = sd.frame
    assert f.loc["f0", ["duration", "event"]].tolist() == [6, 1]       # ended 2006
    assert f.loc["f1", ["duration", "event"]].tolist() == [11, 0]      # running, seen 2012
    assert f.loc["f2", ["duration", "event"]].tolist() == [8, 1]       # active unknown, ended 2010
    assert f.loc["f3", ["duration", "event"]].tolist() == [9, 0]
    assert sd.n == 4 and sd.events == 2 and sd.censored == 2
    assert set(sd.dropped) == {"f4", "f5", "f6", "f7", "f8"}
    assert sd.dropped["f4"] == "running but seen not coded"
    assert sd.dropped["f5"] == "no founded"
    assert sd.dropped["f6"] == "ended (active = 0) but ended not coded"
    assert "contradict" in sd.dropped["f7"]
    assert "whether it ended is unknown" in sd.dropped["f8"]
    assert "N = 4 cases with a known duration: 2 ended (events), 2 still running" in sd.describe()


def test_end_before_start_is_an_error():
    df = _frame()
    df.loc["f0", "ended"] = 1999
    with pytest.raises(ModelInputError, match="case 'f0': ended 1999 is before founded 2000"):
        survival.survival_data(df, start="founded", end="ended", observed="seen", active="active")


def test_logrank_matches_statsmodels():
    from statsmodels.duration.survfunc import survdiff

    rng = np.random.default_rng(8)
    n = 30
    group = np.array(["a", "b"] * (n // 2))
    t = np.where(group == "a", rng.exponential(5, n), rng.exponential(10, n)).round(1) + 0.1
    e = (rng.random(n) < 0.8).astype(int)
    frame = pd.DataFrame({"duration": t, "event": e, "g": group},
                         index=[f"c{i}" for i in range(n)])
    sd = survival.SurvivalData(frame=frame, n_total=n)
    curves, test, notes = survival.kaplan_meier_by_group(sd, "g")
    assert [c.label for c in curves] == ["a", "b"] and not notes
    stat, p = survdiff(t, e, group)
    assert test["statistic"] == pytest.approx(stat, rel=1e-8)
    assert test["p"] == pytest.approx(p, rel=1e-8)


def test_cox_reproduces_fox_rossi():
    """Rossi et al. recidivism data; Fox, 'Cox proportional-hazards regression for survival data'
    (appendix to An R Companion to Applied Regression), coxph(Surv(week, arrest) ~ fin + age +
    race + wexp + mar + paro + prio): coefficients and standard errors as published."""
    from lifelines.datasets import load_rossi

    r = load_rossi()
    r.index = [f"r{i}" for i in range(len(r))]
    r["start"] = 0
    r["end"] = np.where(r["arrest"] == 1, r["week"], np.nan)
    covs = ["fin", "age", "race", "wexp", "mar", "paro", "prio"]
    sd = survival.survival_data(r, start="start", end="end", observed="week", keep=covs)
    fit = survival.cox(sd, covs)
    published = {"fin": (-0.37942, 0.19138), "age": (-0.05744, 0.02200), "race": (0.31390, 0.30799),
                 "wexp": (-0.14980, 0.21222), "mar": (-0.43370, 0.38187),
                 "paro": (-0.08487, 0.19576), "prio": (0.09150, 0.02865)}
    for term, (coef, se) in published.items():
        assert fit.table.loc[term, "coef"] == pytest.approx(coef, abs=6e-5)
        assert fit.table.loc[term, "se"] == pytest.approx(se, abs=6e-5)
    assert fit.table.loc["fin", "HR"] == pytest.approx(0.68426, abs=6e-5)
    assert fit.events == 114 and fit.data.n == 432
    assert fit.epv == pytest.approx(114 / 7)
    assert fit.ph_test is not None and list(fit.ph_test.index) == covs
    assert not any(w.startswith("Events per variable") for w in fit.warnings)


def _monotone() -> survival.SurvivalData:
    frame = pd.DataFrame({"duration": [2, 4, 5, 6, 11, 10, 12, 9, 7, 11],
                          "event": [1, 1, 1, 1, 0, 0, 0, 0, 0, 0],
                          "x": [1.0, 1, 1, 1, 1, 0, 0, 0, 0, 0]},
                         index=[f"c{i}" for i in range(10)])
    return survival.SurvivalData(frame=frame, n_total=10)


def test_monotone_likelihood_is_reported_and_firth_stays_finite():
    """Every event has x = 1: the partial likelihood rises without end in the coefficient."""
    plain = survival.cox(_monotone(), ["x"])
    assert any(w.startswith("Monotone likelihood") and "firth: true" in w for w in plain.warnings)
    firth = survival.cox(_monotone(), ["x"], firth=True)
    assert firth.method == "firth"
    assert np.isfinite(firth.table[["coef", "se", "p", "HR_low", "HR_high"]].to_numpy()).all()
    assert 0 < firth.table.loc["x", "coef"] < plain.table.loc["x", "coef"]
    assert any("EPV) = 4.00 (4 events / 1 parameter)" in w for w in firth.warnings)


def test_cox_without_events_is_a_clear_error():
    frame = pd.DataFrame({"duration": [3, 4, 5], "event": [0, 0, 0], "x": [0.0, 1, 0.5]},
                         index=["a", "b", "c"])
    with pytest.raises(ModelInputError, match="no event among the 3 cases"):
        survival.cox(survival.SurvivalData(frame=frame, n_total=3), ["x"])


def test_cox_constant_covariate_is_a_clear_error():
    frame = pd.DataFrame({"duration": [3, 4, 5], "event": [1, 0, 1], "x": [0.5, 0.5, 0.5]},
                         index=["a", "b", "c"])
    with pytest.raises(ModelInputError, match="predictor 'x' is constant"):
        survival.cox(survival.SurvivalData(frame=frame, n_total=3), ["x"])
