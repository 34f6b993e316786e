"""The generator's planted structure is recovered from its SYNTHETIC data.

Expected values are derived here from the planted parameters (loadings, thresholds, intercepts,
forum share) with normal-theory formulas, independently of the analysis code."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from kadstudy.survey import correlation as corr_of
from kadstudy.survey import (
    cronbach_alpha,
    efa,
    icc_oneway,
    mcdonald_omega,
    parallel_analysis,
    reverse_score,
)
from kadstudy.survey import synthetic as syn

FORUMS = [f"f{k:02d}" for k in range(80)]


@pytest.fixture(scope="module")
def data(instrument):
    """About 4,000 SYNTHETIC respondents (40-60 per forum, no thin forums, no nonresponse)."""
    frame, latent = syn.generate(instrument, FORUMS, seed=7, n_range=(40, 60), thin_share=0.0,
                                 missing_rate=0.0, latent=True)
    return frame, latent, reverse_score(frame, instrument)


def likert_moments(mu: float, lam: np.ndarray, thresholds) -> tuple[np.ndarray, np.ndarray]:
    """Model-implied covariance matrix of answers D_i = 1 + #{a: Y_i > t_a} with Y_i = mu + lam_i eta
    + e_i (unit variance, corr(Y_i, Y_j) = lam_i lam_j), and each D_i's covariance with eta.

    Cov(D_i, D_j) = sum_a sum_b [P(Y_i > t_a, Y_j > t_b) - P(Y_i > t_a) P(Y_j > t_b)] (bivariate
    normal); Var(D_i) = sum_a sum_b [P(Y_i > max(t_a, t_b)) - P(Y_i > t_a) P(Y_i > t_b)];
    Cov(D_i, eta) = lam_i sum_a phi(t_a - mu)."""
    t = np.asarray(thresholds) - mu
    k = len(lam)
    p = stats.norm.sf(t)
    cov = np.zeros((k, k))
    for i in range(k):
        for j in range(k):
            if i == j:
                joint = stats.norm.sf(np.maximum.outer(t, t))
            else:
                rho = lam[i] * lam[j]
                bvn = stats.multivariate_normal(mean=[0, 0], cov=[[1, rho], [rho, 1]])
                # P(Y_i > a, Y_j > b) = P(-Y_i < -a, -Y_j < -b)
                joint = np.array([[bvn.cdf([-a, -b]) for b in t] for a in t])
            cov[i, j] = (joint - np.outer(p, p)).sum()
    with_eta = lam * stats.norm.pdf(t).sum()
    return cov, with_eta


def test_parallel_analysis_finds_the_planted_factors(data, instrument):
    _, latent, scored = data
    for frame in (scored, latent):
        corr, n = corr_of(frame)
        _, retain = parallel_analysis(corr, n, n_iter=100, seed=3)
        assert retain == len(syn.SCALES) == 5


def test_efa_recovers_planted_loadings_on_latent_responses(data, instrument):
    """On the continuous responses y* the loadings are the planted ones (signs follow the keying)."""
    _, latent, _ = data
    keyed = latent.copy()          # y* is generated keyed, before reverse-keying the answers
    item_scale = {i: it.scale for i, it in instrument.items.items()}
    res = efa(keyed, 5, item_scale=item_scale)
    planted = np.array([syn.LOADINGS[i] for i in keyed.columns])
    factor_of = {name.split(" (")[1].rstrip(")"): name for name in res.loadings.columns}
    assert sorted(factor_of) == sorted(syn.SCALES)            # one factor per planted scale
    main = res.loadings.to_numpy()[np.arange(len(planted)),
                                   [list(res.loadings.columns).index(factor_of[item_scale[i]])
                                    for i in keyed.columns]]
    assert np.abs(main - planted).max() < 0.05
    cross = res.loadings.abs().to_numpy().copy()
    cross[np.arange(len(planted)), [list(res.loadings.columns).index(factor_of[item_scale[i]])
                                    for i in keyed.columns]] = 0
    assert cross.max() < 0.1
    phi = res.factor_corr.loc[[factor_of[s] for s in syn.SCALES], [factor_of[s] for s in syn.SCALES]]
    assert np.abs(phi.to_numpy() - syn.FACTOR_CORR).max() < 0.12


def test_efa_recovers_loadings_of_likert_answers(data, instrument):
    """Cutting y* into five categories attenuates a loading to Cov(D_i, eta) / sd(D_i), derived in
    likert_moments; the EFA of the (reverse-scored) answers finds those values."""
    _, _, scored = data
    item_scale = {i: it.scale for i, it in instrument.items.items()}
    res = efa(scored, 5, item_scale=item_scale)
    for name in res.loadings.columns:
        scale = name.split(" (")[1].rstrip(")")
        items = list(instrument.scales[scale].items)
        lam = np.array([syn.LOADINGS[i] for i in items])
        cov, with_eta = likert_moments(syn.INTERCEPTS[scale], lam, syn.THRESHOLDS)
        expected = with_eta / np.sqrt(np.diag(cov))
        got = res.loadings.loc[items, name].to_numpy()
        assert np.abs(got - expected).max() < 0.07, (scale, got, expected)
        others = res.loadings.loc[items].drop(columns=name).abs().to_numpy()
        assert others.max() < 0.12


def test_alpha_matches_the_model_implied_value(data, instrument):
    """Implied alpha of a scale's Likert answers: k/(k-1) (1 - trace C / sum C) with C the implied
    covariance matrix from likert_moments; and of the continuous y* (unit variances, covariances
    lam_i lam_j): k/(k-1) (1 - k / ((sum lam)^2 - sum lam^2 + k)). Omega of y*:
    (sum lam)^2 / ((sum lam)^2 + sum (1 - lam^2))."""
    _, latent, scored = data
    for scale, sc in instrument.scales.items():
        items = list(sc.items)
        k = len(items)
        lam = np.array([syn.LOADINGS[i] for i in items])
        cov, _ = likert_moments(syn.INTERCEPTS[scale], lam, syn.THRESHOLDS)
        implied = k / (k - 1) * (1 - np.trace(cov) / cov.sum())
        alpha = cronbach_alpha(scored[items])[0]
        assert alpha == pytest.approx(implied, abs=0.02), scale
        implied_latent = k / (k - 1) * (1 - k / (lam.sum() ** 2 - (lam ** 2).sum() + k))
        assert cronbach_alpha(latent[items])[0] == pytest.approx(implied_latent, abs=0.02), scale
        omega = lam.sum() ** 2 / (lam.sum() ** 2 + (1 - lam ** 2).sum())
        assert mcdonald_omega(latent[items]) == pytest.approx(omega, abs=0.02), scale


def test_forum_share_shows_in_icc1(data, instrument):
    """A share s of every factor's variance lies between forums; the mean of a scale's y* has
    true-score variance V = (sum lam)^2 / k^2 and error variance sum(1 - lam^2) / k^2, so its ICC(1)
    is s V / (V + error) = s * omega."""
    frame, latent, _ = data
    codes = pd.Categorical(frame["forum_id"]).codes.astype(np.int64)
    for scale, sc in instrument.scales.items():
        lam = np.array([syn.LOADINGS[i] for i in sc.items])
        omega = lam.sum() ** 2 / (lam.sum() ** 2 + (1 - lam ** 2).sum())
        out = icc_oneway(latent[list(sc.items)].mean(axis=1).to_numpy(), codes, len(FORUMS))
        assert out["icc1"] == pytest.approx(syn.FORUM_SHARE * omega, abs=0.08), scale


def test_random_eigenvalues_match_simulated_data():
    """The Wishart shortcut gives the same eigenvalue distribution as correlation matrices of
    actually simulated normal data (means of the first and last eigenvalue)."""
    from kadstudy.survey.factors import random_eigenvalues

    p, n, reps = 6, 60, 400
    fast = random_eigenvalues(p, n, reps, seed=11)
    rng = np.random.default_rng(12)
    slow = np.array([np.linalg.eigvalsh(np.corrcoef(rng.standard_normal((n, p)), rowvar=False))[::-1]
                     for _ in range(reps)])
    assert fast.mean(axis=0)[0] == pytest.approx(slow.mean(axis=0)[0], abs=0.03)
    assert fast.mean(axis=0)[-1] == pytest.approx(slow.mean(axis=0)[-1], abs=0.03)
    assert np.allclose(fast.sum(axis=1), p)           # trace of a correlation matrix


def test_generator_is_deterministic_and_reads_the_forums(instrument):
    a = syn.generate(instrument, ["x", "y", "z"], seed=5)
    b = syn.generate(instrument, ["z", "y", "x"], seed=5)
    pd.testing.assert_frame_equal(a, b)
    assert set(a["forum_id"]) == {"x", "y", "z"}
    assert a["respondent_id"].is_unique
    answers = a[instrument.item_ids].to_numpy()
    ok = answers[~np.isnan(answers)]
    assert set(np.unique(ok)) <= {1.0, 2.0, 3.0, 4.0, 5.0}
