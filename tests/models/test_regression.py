"""Regression against independent results: Greene's textbook logit (Spector data), R logistf on the
separated sex2 data, hand-derived Firth estimates, an independent penalised-likelihood maximisation,
exact permutation p-values counted by hand, and an independent cumulative-logit fit."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from scipy import optimize
from scipy.special import expit

from kadstudy.models import frame, regression
from kadstudy.models.frame import ModelInputError
from tests.models import sex2


def _cases(n: int) -> list[str]:
    return [f"c{i:02d}" for i in range(n)]


@pytest.fixture
def spector() -> pd.DataFrame:
    import statsmodels.api as sm

    df = sm.datasets.spector.load_pandas().data
    df.index = _cases(len(df))
    return df


def test_logit_reproduces_greene(spector):
    """Spector & Mazzeo (1980) data, logit column of Greene, Econometric Analysis (5th ed.),
    Table 21.1: constant -13.021 (4.931), GPA 2.826 (1.263), TUCE 0.095 (0.142), PSI 2.379
    (1.065); log-likelihood -12.890."""
    data = frame.prepare(spector, "GRADE", ["GPA", "TUCE", "PSI"])
    fit = regression.logit(data)
    published = {"(Intercept)": (-13.021, 4.931), "GPA": (2.826, 1.263), "TUCE": (0.095, 0.142),
                 "PSI": (2.379, 1.065)}
    for term, (coef, se) in published.items():
        assert fit.table.loc[term, "coef"] == pytest.approx(coef, abs=6e-4)
        assert fit.table.loc[term, "se"] == pytest.approx(se, abs=6e-4)
        assert fit.table.loc[term, "OR"] == pytest.approx(math.exp(fit.table.loc[term, "coef"]))
    assert fit.loglik == pytest.approx(-12.890, abs=6e-4)
    assert not fit.separation.separated
    # N, events and EPV: 11 of 32 students improved, 3 predictors -> EPV 11 / 3 < 10
    assert (data.n, data.events, data.non_events) == (32, 11, 21)
    assert data.epv == pytest.approx(11 / 3)
    assert any("EPV" in w and "3.67" in w for w in fit.warnings)


SEX2_COEF = {"(Intercept)": 0.12025405, "age": -1.10598131, "oc": -0.06881673, "vic": 2.26887464,
             "vicl": -2.11140817, "vis": -0.78831694, "dia": 3.09601166}
SEX2_PROFILE_CI = {"(Intercept)": (-0.8185591, 1.07315122), "age": (-1.9737884, -0.30742514),
                   "oc": (-0.9414363, 0.78920202), "vic": (1.2730216, 3.43543273),
                   "vicl": (-3.2608611, -1.11773495), "vis": (-1.6080879, 0.01518468),
                   "dia": (0.7745682, 8.03029352)}
# penalised likelihood-ratio p-values as R logistf reports them (3 decimals)
SEX2_P = {"(Intercept)": 0.802, "age": 0.006, "oc": 0.875, "vis": 0.054, "dia": 0.005}


def test_firth_reproduces_logistf_on_separated_sex2():
    """logistf(case ~ age + oc + vic + vicl + vis + dia, data = sex2): diabetes occurs only among
    cases, so the ordinary MLE of dia is infinite; the Firth estimates and profile penalised-
    likelihood intervals are logistf's."""
    data = frame.prepare(sex2.frame(), "case", ["age", "oc", "vic", "vicl", "vis", "dia"])
    sep = regression.detect_separation(data)
    assert sep.separated and sep.infinite == ["dia"] and sep.directions["dia"] == 1
    with pytest.raises(regression.SeparationError, match="dia are infinite"):
        regression.logit(data)
    fit = regression.firth_logit(data)
    penalised = fit.extra["penalised_ci"]
    for term, coef in SEX2_COEF.items():
        assert fit.table.loc[term, "coef"] == pytest.approx(coef, rel=1e-5)
        low, high = SEX2_PROFILE_CI[term]
        assert penalised.loc[term, "low"] == pytest.approx(low, rel=1e-4)
        assert penalised.loc[term, "high"] == pytest.approx(high, rel=1e-4)
        assert math.log(fit.table.loc[term, "OR_low"]) == pytest.approx(low, rel=1e-4)
        if term != "dia":
            assert math.log(fit.table.loc[term, "OR_high"]) == pytest.approx(high, rel=1e-4)
    # dia's ordinary MLE runs to +inf: the data put no upper limit on it, logistf's 8.03 is the
    # penalty's; the table reports the bound as unbounded, and says why
    assert fit.table.loc["dia", "OR_high"] == math.inf
    assert list(fit.bound_notes) == ["dia"]
    assert fit.bound_notes["dia"].startswith("upper bound not estimable: separation")
    assert "3070 as an odds ratio" in fit.bound_notes["dia"]  # exp(8.0303) = 3072.7, 3 digits
    for term, p in SEX2_P.items():
        assert fit.table.loc[term, "p"] == pytest.approx(p, abs=5e-4)
    assert fit.table.loc["vic", "p"] < 1e-3 and fit.table.loc["vicl", "p"] < 1e-3
    assert any(w.startswith("Separation") and "dia (+inf)" in w for w in fit.warnings)


def _penalised_loglik(beta: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
    """Firth's penalised log-likelihood l(beta) + 1/2 log det I(beta), written out."""
    eta = X @ beta
    ll = float(np.sum(y * eta - np.logaddexp(0.0, eta)))
    p = expit(eta)
    info = X.T @ (X * (p * (1 - p))[:, None])
    return ll + 0.5 * float(np.linalg.slogdet(info)[1])


def test_firth_on_complete_separation_matches_independent_maximisation():
    """x separates y completely: the log-likelihood keeps rising along the separating direction
    (no finite MLE), while the penalised likelihood has a finite maximum that an independent
    optimiser finds."""
    x = np.array([0.1, 0.3, 0.35, 0.5, 0.6, 0.9, 1.2, 1.5])
    y = np.array([0, 0, 0, 0, 1, 1, 1, 1], dtype=float)
    X = np.column_stack([np.ones_like(x), x])
    direction = np.array([-0.55, 1.0])  # 0.55 lies between the classes
    ll = [float(np.sum(y * (X @ (t * direction)) - np.logaddexp(0, X @ (t * direction))))
          for t in (10, 50, 200, 1000)]
    assert ll == sorted(ll) and ll[-1] > -1e-6  # climbs to 0: the MLE runs to infinity

    df = pd.DataFrame({"y": y, "x": x}, index=_cases(len(x)))
    data = frame.prepare(df, "y", ["x"])
    assert regression.detect_separation(data).separated
    fit = regression.firth_logit(data)
    res = optimize.minimize(lambda b: -_penalised_loglik(b, X, y), np.zeros(2), method="BFGS",
                            options={"gtol": 1e-7})
    assert res.success
    assert fit.table.loc["(Intercept)", "coef"] == pytest.approx(res.x[0], abs=1e-4)
    assert fit.table.loc["x", "coef"] == pytest.approx(res.x[1], abs=1e-4)
    # the estimates are finite; the interval is unbounded on the side where the MLE diverges
    # (x to +inf, the intercept to -inf along the separating direction), finite on the other
    assert np.isfinite(fit.table["OR"].to_numpy()).all()
    assert fit.table.loc["x", "OR_high"] == math.inf and np.isfinite(fit.table.loc["x", "OR_low"])
    assert fit.table.loc["(Intercept)", "OR_low"] == 0.0
    assert np.isfinite(fit.table.loc["(Intercept)", "OR_high"])
    assert set(fit.bound_notes) == {"x", "(Intercept)"}


def test_firth_binary_predictor_is_haldane_corrected_log_odds_ratio():
    """With one 0/1 predictor, Firth's estimate equals the log odds ratio of the 2x2 table with
    0.5 added to each cell (Firth 1993). Table (x=1: 4 events, 0 non-events; x=0: 1, 5):
    log((4.5 * 5.5) / (0.5 * 1.5))."""
    x = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0]
    y = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]
    df = pd.DataFrame({"y": y, "x": x}, index=_cases(10))
    fit = regression.firth_logit(frame.prepare(df, "y", ["x"]))
    assert fit.table.loc["x", "coef"] == pytest.approx(math.log(4.5 * 5.5 / (0.5 * 1.5)), abs=1e-5)
    assert fit.separation.separated  # quasi-complete: x = 1 has no non-event


def test_exact_permutation_p_counted_by_hand():
    """x = y = (0,0,0,1,1,1): of the C(6, 3) = 20 arrangements of the outcome only the observed one
    and its mirror image are as extreme, so p = 2 / 20 (Fisher's exact test gives the same)."""
    df = pd.DataFrame({"y": [0, 0, 0, 1, 1, 1], "x": [0, 0, 0, 1, 1, 1],
                       "z": [1, 2, 3, 4, 5, 6], "w": [1, 2, 4, 3, 5, 6]}, index=_cases(6))
    perm = regression.permutation_pvalues(frame.prepare(df, "y", ["x"]), n_permutations=999)
    assert perm.loc["x", "p_perm"] == pytest.approx(0.1)
    assert perm.loc["x", "permutations"] == 20 and perm.loc["x", "method"].startswith("exact")
    fisher = regression.exact_test(df, "y", "x")
    assert fisher["test"] == "Fisher exact" and fisher["p"] == pytest.approx(0.1)
    # difference in means of z: sums of the outcome-1 triple S give |2S - 21| / 3; observed S = 15
    # (the maximum); only S = 15 and S = 6 are as extreme
    assert regression.exact_test(df, "y", "z")["p"] == pytest.approx(2 / 20)
    # w puts y = 1 on values {3, 5, 6} (S = 14): as extreme are S >= 14 ({4,5,6}, {3,5,6}) and
    # S <= 7 ({1,2,3}, {1,2,4}): p = 4 / 20
    res = regression.exact_test(df, "y", "w")
    assert res["p"] == pytest.approx(4 / 20) and res["exact"]


def test_permutation_pvalues_several_predictors_monte_carlo():
    rng = np.random.default_rng(5)
    n = 40
    x1 = rng.normal(size=n)
    x2 = rng.normal(size=n)
    y = (rng.random(n) < expit(2.5 * x1)).astype(float)
    df = pd.DataFrame({"y": y, "x1": x1, "x2": x2}, index=_cases(n))
    perm = regression.permutation_pvalues(frame.prepare(df, "y", ["x1", "x2"]), n_permutations=199,
                                          seed=3)
    assert perm.loc["x1", "p_perm"] <= 0.01  # a strong effect: no permuted |z| reaches it
    assert perm.loc["x2", "p_perm"] > 0.05
    assert set(perm["permutations"]) == {199}
    again = regression.permutation_pvalues(frame.prepare(df, "y", ["x1", "x2"]), n_permutations=199,
                                           seed=3)
    pd.testing.assert_frame_equal(perm, again)  # seeded: reproducible


def test_ordinal_logit_matches_independent_likelihood_maximisation():
    """Proportional odds: P(y <= j) = expit(cut_j - b x); maximised independently with scipy."""
    rng = np.random.default_rng(11)
    n = 60
    x = rng.normal(size=n)
    latent = 1.2 * x + rng.logistic(size=n)
    y = np.digitize(latent, [-0.8, 0.9])  # categories 0, 1, 2
    df = pd.DataFrame({"g": y, "x": x}, index=_cases(n))
    fit = regression.ordinal_logit(frame.prepare(df, "g", ["x"], outcome_type="ordinal"))

    def nll(theta: np.ndarray) -> float:
        b, c1, c2 = theta
        if c2 <= c1:
            return 1e10
        cdf = np.column_stack([np.zeros(n), expit(c1 - b * x), expit(c2 - b * x), np.ones(n)])
        prob = cdf[np.arange(n), y + 1] - cdf[np.arange(n), y]
        return -float(np.sum(np.log(prob)))

    res = optimize.minimize(nll, np.array([0.0, -1.0, 1.0]), method="Nelder-Mead",
                            options={"xatol": 1e-9, "fatol": 1e-12, "maxiter": 20000})
    assert fit.table.loc["x", "coef"] == pytest.approx(res.x[0], abs=1e-4)
    assert fit.table.loc["cut 0|1", "coef"] == pytest.approx(res.x[1], abs=1e-4)
    assert fit.table.loc["cut 1|2", "coef"] == pytest.approx(res.x[2], abs=1e-4)
    assert fit.data.epv == pytest.approx(min(np.bincount(y)) / 1)


def test_ordinal_logit_reports_separation():
    df = pd.DataFrame({"g": [0, 0, 1, 1, 2, 2], "x": [0.0, 0.1, 0.4, 0.5, 0.9, 1.0]},
                      index=_cases(6))
    fit = regression.ordinal_logit(frame.prepare(df, "g", ["x"], outcome_type="ordinal"))
    assert any("Separation at the split" in w for w in fit.warnings)


def test_vif_is_one_over_one_minus_r_squared():
    rng = np.random.default_rng(2)
    n = 50
    a = rng.normal(size=n)
    b = a + 0.5 * rng.normal(size=n)
    c = rng.normal(size=n)
    y = (rng.random(n) < 0.5).astype(float)
    df = pd.DataFrame({"y": y, "a": a, "b": b, "c": c}, index=_cases(n))
    table = regression.vif(frame.prepare(df, "y", ["a", "b", "c"]))
    X = np.column_stack([a, b, c])
    for j, term in enumerate(["a", "b", "c"]):
        others = np.column_stack([np.ones(n), np.delete(X, j, axis=1)])
        fitted = others @ np.linalg.lstsq(others, X[:, j], rcond=None)[0]
        r2 = 1 - np.sum((X[:, j] - fitted) ** 2) / np.sum((X[:, j] - X[:, j].mean()) ** 2)
        assert table.loc[term, "VIF"] == pytest.approx(1 / (1 - r2))


def test_listwise_deletion_is_reported():
    df = pd.DataFrame({"y": [1, 0, 1, 0, 1, np.nan, 1, 0], "x": [1.0, 0, 1, 1, np.nan, 0, 0, 0]},
                      index=_cases(8))
    data = frame.prepare(df, "y", ["x"])
    assert data.dropped == ["c04", "c05"] and data.n == 6 and data.n_total == 8
    text = data.describe()
    assert "2 of 8 dropped for a missing value: c04, c05" in text
    assert "3 events" in text and "EPV = 3.00" in text


def test_categorical_predictor_is_dummy_coded():
    df = pd.DataFrame({"y": [1, 0, 1, 0, 1, 0, 1, 1],
                       "f": pd.Categorical(["a", "a", "b", "b", "c", "c", "a", "b"],
                                           categories=["a", "b", "c"])}, index=_cases(8))
    data = frame.prepare(df, "y", ["f"])
    assert data.terms == ["f[b]", "f[c]"]
    assert data.X["f[b]"].tolist() == [0, 0, 1, 1, 0, 0, 0, 1]


def test_exact_test_categorical_enumerates():
    df = pd.DataFrame({"y": [1, 1, 0, 0, 1, 0], "f": ["a", "a", "b", "b", "c", "c"]},
                      index=_cases(6))
    res = regression.exact_test(df, "y", "f")
    # chi-square of each of the 20 arrangements of three 1s, counted directly
    groups = np.array([0, 0, 1, 1, 2, 2])

    def chi2(yy):
        tab = np.array([[np.sum((groups == g) & (yy == v)) for v in (1, 0)] for g in range(3)])
        exp = tab.sum(1, keepdims=True) * tab.sum(0, keepdims=True) / tab.sum()
        return ((tab - exp) ** 2 / exp).sum()

    obs = chi2(np.array([1, 1, 0, 0, 1, 0]))
    arrangements = [np.isin(np.arange(6), pos).astype(int)
                    for pos in itertools.combinations(range(6), 3)]
    expected = np.mean([chi2(a) >= obs - 1e-12 for a in arrangements])
    assert res["p"] == pytest.approx(expected) and res["exact"]


def test_errors_are_one_line_model_input_errors():
    df = pd.DataFrame({"y": [1, 0, 1, 0, 1], "k": [0.5] * 5, "x": [0.1, 0.2, 0.3, 0.9, 1.0],
                       "gone": [np.nan] * 5, "one": [1, 1, 1, 1, 1]}, index=_cases(5))
    cases = [
        (lambda: frame.prepare(df, "y", ["k"]), "predictor 'k' is constant: 0.5 in all 5"),
        (lambda: frame.prepare(df, "y", ["gone"]), "predictor 'gone' has no value in any of the 5"),
        (lambda: frame.prepare(df, "one", ["x"]), "outcome 'one' has one class only: all 5"),
        (lambda: frame.prepare(df, "y", ["nope"]), "no column 'nope' in the data"),
        (lambda: frame.prepare(df, "x", ["k"]), "outcome 'x' must be 0 or 1"),
        (lambda: frame.prepare(df.iloc[:2], "y", ["x", "k"]), "only 2 complete cases for 3"),
        (lambda: frame.prepare(df.assign(x2=2 * df["x"]), "y", ["x", "x2"]),
         "predictor 'x2' is a linear combination"),
        (lambda: frame.prepare(df, "y", ["y"]), "both the outcome and a predictor"),
    ]
    for call, text in cases:
        with pytest.raises(ModelInputError) as info:
            call()
        assert text in str(info.value)
        assert "\n" not in str(info.value)
        assert info.value.exit_code == 2  # a KadError: the CLI prints one line, exit 2
