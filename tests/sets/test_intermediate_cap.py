"""The max_models cap of an intermediate solution counts models over every pair of a
conservative and a parsimonious model (each pair yields at least one model), so noisy data with
many tied models cannot make the model list, or memory, grow without bound."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from kadstudy.sets import minimize, truth_table


def test_intermediate_models_never_exceed_the_cap():
    rng = np.random.default_rng(1)
    n, k = 200, 10
    x = rng.random((n, k))
    y = np.clip(x[:, :3].min(axis=1) + rng.normal(0, 0.25, n), 0, 1)
    df = pd.DataFrame(x, columns=[f"C{i}" for i in range(k)], index=[f"c{i}" for i in range(n)])
    df["Y"] = y
    tt = truth_table(df, "Y", incl_cut=0.75)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sol = minimize(tt, solution="intermediate", dir_exp={f"C{i}": 1 for i in range(k)}, max_models=20)
        cons = minimize(tt, solution="conservative", max_models=20)
        pars = minimize(tt, solution="parsimonious", max_models=20)
    assert len(sol.models) <= 20
    if len(cons.models) * len(pars.models) > 20 or cons.capped or pars.capped:
        assert sol.capped and "max_models" in sol.cap_reasons
