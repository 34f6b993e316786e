"""Clustering: Gower distances worked by hand, planted groups recovered in a seeded simulation,
the number of clusters found by silhouette, profiles and cross-tabs, and clear errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kadstudy.models import cluster
from kadstudy.models.frame import ModelInputError


def test_gower_by_hand_with_missing_values():
    """num (range 10): 0, 5, 10; cat: a, b, a; bin: 1, missing, 0.
    d(1,2) = (5/10 + 1) / 2 (bin missing for case 2) = 0.75;
    d(1,3) = (10/10 + 0 + 1) / 3 = 2/3; d(2,3) = (5/10 + 1) / 2 = 0.75."""
    df = pd.DataFrame({"num": [0.0, 5.0, 10.0], "cat": ["a", "b", "a"], "bin": [1.0, np.nan, 0.0]},
                      index=["p", "q", "r"])
    g = cluster.gower_distance(df)
    expected = np.array([[0, 0.75, 2 / 3], [0.75, 0, 0.75], [2 / 3, 0.75, 0]])
    np.testing.assert_allclose(g.D, expected, atol=1e-12)
    assert g.variables.loc["cat", "type"] == "categorical"
    assert g.variables.loc["num", "range"] == 10.0
    # weights: num counted twice -> d(1,3) = (2 * 1 + 0 + 1) / 4
    gw = cluster.gower_distance(df, weights={"num": 2.0})
    assert gw.D[0, 2] == pytest.approx(3 / 4)


def test_constant_variable_is_left_out_with_a_note():
    df = pd.DataFrame({"x": [0.0, 1.0, 0.5], "k": [1.0, 1.0, np.nan]}, index=["a", "b", "c"])
    g = cluster.gower_distance(df)
    assert not g.variables.loc["k", "used"]
    assert any("'k' has one value" in n for n in g.notes)
    assert g.D[0, 1] == pytest.approx(1.0)


def test_complete_pairs_drops_cases_sharing_no_variable():
    df = pd.DataFrame({"x": [0.0, 1.0, 0.5, np.nan], "y": [0.0, np.nan, 1.0, np.nan],
                       "z": [np.nan, np.nan, np.nan, 1.0]}, index=["a", "b", "c", "d"])
    g = cluster.gower_distance(df, ["x", "y"])
    assert np.isnan(g.D[3]).sum() == 3
    g2, dropped = cluster.complete_pairs(g)
    assert dropped == ["d"] and g2.cases == ["a", "b", "c"]
    assert not np.isnan(g2.D).any()


def _planted(seed: int = 7, per_group: int = 12):
    """Three groups differing in two numeric variables, a categorical one (15% noise) and a 0/1
    one; rows shuffled, two values knocked out."""
    rng = np.random.default_rng(seed)
    truth = np.repeat([0, 1, 2], per_group)
    n = len(truth)
    centers = np.array([[0.1, 0.2], [0.5, 0.9], [0.9, 0.3]])
    num = centers[truth] + rng.normal(0, 0.06, (n, 2))
    cat = np.array(["north", "centre", "south"])[truth]
    noisy = rng.random(n) < 0.15
    cat[noisy] = rng.choice(["north", "centre", "south"], noisy.sum())
    df = pd.DataFrame({"x1": num[:, 0], "x2": num[:, 1],
                       "region": pd.Categorical(cat), "flag": (truth == 1).astype(float)},
                      index=[f"c{i:02d}" for i in range(n)])
    order = rng.permutation(n)
    df, truth = df.iloc[order].copy(), truth[order]
    df.iloc[3, 0] = np.nan
    df.iloc[8, 2] = np.nan
    return df, truth


def test_planted_groups_are_recovered():
    df, truth = _planted()
    g = cluster.gower_distance(df)
    sil = cluster.silhouette_table(g.D, 6)
    k, why = cluster.choose_k(sil)
    assert k == 3 and why.startswith("k = 3: the highest average silhouette width")
    km = cluster.kmedoids_pam(g.D, 3)
    hc = cluster.cut_tree(cluster.hierarchical(g.D, "average"), 3)
    assert cluster.adjusted_rand(km.labels, truth) >= 0.9
    assert cluster.adjusted_rand(hc, truth) >= 0.9
    assert sorted(set(km.labels.tolist())) == [1, 2, 3] and len(km.medoids) == 3
    assert km.labels[0] == 1  # numbered in order of first appearance
    # each medoid lies in its own cluster
    assert [int(km.labels[m]) for m in km.medoids] == [1, 2, 3]


def test_kmedoids_is_deterministic():
    df, _ = _planted(seed=3)
    g = cluster.gower_distance(df)
    a = cluster.kmedoids_pam(g.D, 3, seed=1)
    b = cluster.kmedoids_pam(g.D, 3, seed=99)
    assert a.labels.tolist() == b.labels.tolist() and a.medoids == b.medoids


def test_profiles_and_crosstab_by_hand():
    df = pd.DataFrame({"x": [0.0, 1.0, 0.5, 0.9], "f": ["a", "a", "b", np.nan],
                       "y": [1, 0, 1, np.nan]}, index=list("pqrs"))
    labels = np.array([1, 1, 2, 2])
    prof = cluster.profiles(df, labels, ["x", "f"])
    assert prof.loc["n cases", "cluster 1"] == 2
    assert prof.loc["x", "cluster 1"] == pytest.approx(0.5)
    assert prof.loc["x", "cluster 2"] == pytest.approx(0.7)
    assert prof.loc["x", "spread"] == pytest.approx(0.2)
    assert prof.loc["f", "cluster 1"] == "a (2/2)" and prof.loc["f", "cluster 2"] == "b (1/1)"
    tab = cluster.crosstab(labels, df["y"].tolist(), "y")
    assert tab.loc["cluster 1"].to_dict() == {"y=(missing)": 0, "y=0": 1, "y=1": 1}
    assert tab.loc["cluster 2"].to_dict() == {"y=(missing)": 1, "y=0": 0, "y=1": 1}


def test_bad_input_is_a_clear_error():
    df, _ = _planted()
    g = cluster.gower_distance(df)
    with pytest.raises(ModelInputError, match="linkage 'ward' is not offered"):
        cluster.hierarchical(g.D, "ward")
    with pytest.raises(ModelInputError, match="k = 40 clusters is impossible for 36 cases"):
        cluster.kmedoids_pam(g.D, 40)
    with pytest.raises(ModelInputError, match="only 2 case"):
        cluster.silhouette_table(g.D[:2, :2])
    with pytest.raises(ModelInputError, match="variable 'gone' has no value"):
        cluster.gower_distance(df.assign(gone=np.nan), ["x1", "gone"])
    with pytest.raises(ModelInputError, match="every variable is constant"):
        cluster.gower_distance(df.assign(k=1.0), ["k"])
    nan = g.D.copy()
    nan[0, 1] = np.nan
    with pytest.raises(ModelInputError, match="undefined entries"):
        cluster.kmedoids_pam(nan, 2)
