"""Factor structure: sampling adequacy, Horn's parallel analysis, exploratory factor analysis
(statsmodels ML with oblique rotation) and a confirmatory check of the intended structure
(semopy; fit indices chi2, CFI, TLI, RMSEA).

Why not factor_analyzer: version 0.5.1 (the newest) fails with scikit-learn >= 1.6
(``check_array(force_all_finite=...)``) and with pandas 3 read-only arrays, so its ``fit`` cannot
run in this environment; statsmodels' ``Factor`` (already a dependency) fits the same ML model.
"""

from __future__ import annotations

import math
import warnings
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from kadstudy.results import ResultMixin

if TYPE_CHECKING:
    from kadstudy.survey.instrument import Instrument

# statsmodels' "oblimin" is quartimin (oblimin with gamma = 0, GPArotation's default oblimin).
ROTATIONS = ("oblimin", "promax", "varimax", "none")


def correlation(scored: pd.DataFrame) -> tuple[np.ndarray, int]:
    """Pearson correlation matrix of the complete rows (listwise).

    Parameters
    ----------
    scored : pandas.DataFrame
        Reverse-scored item answers, one column per item.

    Returns
    -------
    corr : numpy.ndarray
        The items' correlation matrix.
    n : int
        The number of complete rows.
    """
    from kadstudy.survey.scales import column_corr

    x = scored.dropna().to_numpy(dtype=float)
    return column_corr(x), len(x)


def adequacy(corr: np.ndarray, n: int) -> dict[str, float]:
    """Kaiser-Meyer-Olkin measure (overall) and Bartlett's test of sphericity.

    ``KMO = sum r_ij^2 / (sum r_ij^2 + sum q_ij^2)`` over ``i != j``, q the partial correlations
    from the inverse correlation matrix. Bartlett: ``chi2 = -(n - 1 - (2p + 5) / 6) ln|R|``,
    ``df = p(p - 1) / 2``.

    Parameters
    ----------
    corr : numpy.ndarray
        The items' correlation matrix (p x p).
    n : int
        The number of respondents it was computed from.

    Returns
    -------
    dict
        ``kmo``, ``bartlett_chi2``, ``bartlett_df`` and ``bartlett_p``.
    """
    from scipy import stats

    p = corr.shape[0]
    inv = np.linalg.inv(corr)
    d = np.sqrt(np.outer(np.diag(inv), np.diag(inv)))
    partial = -inv / d
    off = ~np.eye(p, dtype=bool)
    r2, q2 = (corr[off] ** 2).sum(), (partial[off] ** 2).sum()
    _, logdet = np.linalg.slogdet(corr)
    chi2 = -(n - 1 - (2 * p + 5) / 6) * logdet
    df = p * (p - 1) / 2
    return {"kmo": float(r2 / (r2 + q2)), "bartlett_chi2": float(chi2), "bartlett_df": float(df),
            "bartlett_p": float(stats.chi2.sf(chi2, df))}


def random_eigenvalues(p: int, n: int, n_iter: int, seed: int) -> np.ndarray:
    """Eigenvalues (descending, one row per draw) of correlation matrices of n independent
    standard-normal observations of p variables.

    The sample scatter matrix of such data is Wishart(I_p, n - 1); it is drawn directly by the
    Bartlett decomposition W = A A' (A lower-triangular, A_ii^2 ~ chi2(n - 1 - i + 1), A_ij ~ N(0, 1)
    below the diagonal), so a draw costs O(p^3) whatever n is, and then scaled to a correlation
    matrix. Exactly the distribution of simulating n x p normal data, without the n x p array.
    """
    rng = np.random.default_rng(seed)
    out = np.empty((n_iter, p))
    dfs = (n - 1) - np.arange(p)
    rows, cols = np.tril_indices(p, -1)
    for t in range(n_iter):
        a = np.zeros((p, p))
        a[np.arange(p), np.arange(p)] = np.sqrt(rng.chisquare(dfs))
        a[rows, cols] = rng.standard_normal(len(rows))
        w = a @ a.T
        s = 1 / np.sqrt(np.diag(w))
        out[t] = np.linalg.eigvalsh(w * np.outer(s, s))[::-1]
    return out


def parallel_analysis(corr: np.ndarray, n: int, n_iter: int = 200, percentile: float = 95,
                      seed: int = 1) -> tuple[pd.DataFrame, int]:
    """Horn's parallel analysis on the eigenvalues of the correlation matrix.

    Keeps the leading components whose observed eigenvalue exceeds the given percentile of the
    eigenvalues of random data of the same size (Glorfeld's 95th-percentile rule).

    Parameters
    ----------
    corr : numpy.ndarray
        The items' correlation matrix.
    n : int
        The number of respondents.
    n_iter : int, default 200
        The random data sets drawn.
    percentile : float, default 95
        The percentile of the random eigenvalues an observed one must exceed.
    seed : int, default 1
        The seed of the random data (the result is reproducible).

    Returns
    -------
    table : pandas.DataFrame
        Per component: the observed eigenvalue, the random mean and percentile, and ``retain``.
    retain : int
        The number of components to retain (the leading run only).
    """
    observed = np.linalg.eigvalsh(corr)[::-1]
    rand = random_eigenvalues(corr.shape[0], n, n_iter, seed)
    pctl = np.percentile(rand, percentile, axis=0)
    exceeds = observed > pctl
    retain = int(np.argmin(exceeds)) if not exceeds.all() else len(exceeds)
    table = pd.DataFrame({"component": np.arange(1, len(observed) + 1), "observed": observed,
                          "random_mean": rand.mean(axis=0), f"random_p{percentile:g}": pctl,
                          "retain": ["yes" if k < retain else "no" for k in range(len(observed))]})
    return table.set_index("component"), retain


@dataclass(frozen=True, repr=False)
class EFAResult(ResultMixin):
    """Pattern loadings (items x factors), factor correlations, communalities."""

    loadings: pd.DataFrame
    factor_corr: pd.DataFrame
    communality: pd.Series
    n: int
    rotation: str
    converged: bool

    def to_frame(self) -> pd.DataFrame:
        """Loadings per item (one column per factor) and the communality."""
        return self.loadings.assign(communality=self.communality.to_numpy())

    def _title(self) -> str:
        return (f"Exploratory factor analysis (ML, {self.rotation} rotation): "
                f"{self.loadings.shape[1]} factors, N = {self.n}"
                + ("" if self.converged else "; did NOT converge"))


def efa(scored: pd.DataFrame, n_factors: int, rotation: str = "oblimin",
        item_scale: dict[str, str] | None = None, seed: int = 0) -> EFAResult:
    """ML exploratory factor analysis of the items' correlation matrix (complete rows).

    Factors are signed so that their loadings sum to a positive number and ordered by the first
    item (in column order) on which they load most.

    Parameters
    ----------
    scored : pandas.DataFrame
        Reverse-scored item answers, one column per item.
    n_factors : int
        The number of factors (e.g. from :func:`parallel_analysis`).
    rotation : {"oblimin", "promax", "varimax", "none"}, default "oblimin"
        The rotation (statsmodels).
    item_scale : dict, optional
        Item -> scale; each factor is then named after the scale most of its main items belong to.
    seed : int, default 0
        statsmodels draws the EM starting values at random; the seed fixes them, so the result is
        reproducible to the last digit.

    Returns
    -------
    EFAResult
        ``loadings``, ``factor_corr``, ``communality``, ``n``, ``rotation`` and ``converged``.
    """
    from statsmodels.multivariate.factor import Factor
    from statsmodels.tools.sm_exceptions import ConvergenceWarning

    if rotation not in ROTATIONS:
        raise ValueError(f"rotation {rotation!r}: use one of {', '.join(ROTATIONS)}")
    corr, n = correlation(scored)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        fit = Factor(corr=corr, n_factor=n_factors, method="ml", nobs=n).fit(rng=seed)
    converged = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
    if rotation != "none" and n_factors > 1:
        fit.rotate(rotation)
    lam = np.asarray(fit.loadings, dtype=float)
    if n_factors > 1 and rotation in ("oblimin", "promax"):
        # oblimin: L = A (T')^-1, so Phi = T'T; statsmodels' promax: L = A T, so Phi = (T'T)^-1
        t = np.asarray(fit.rotation_matrix, dtype=float)
        phi = t.T @ t if rotation == "oblimin" else np.linalg.inv(t.T @ t)
    else:
        phi = np.eye(n_factors)
    sign = np.where(lam.sum(axis=0) < 0, -1.0, 1.0)
    lam, phi = lam * sign, phi * np.outer(sign, sign)
    main = np.abs(lam).argmax(axis=1)
    first = [int(np.flatnonzero(main == f)[0]) if (main == f).any() else len(lam) for f in range(n_factors)]
    order = np.argsort(first, kind="stable")
    lam, phi = lam[:, order], phi[np.ix_(order, order)]
    main = np.abs(lam).argmax(axis=1)
    names = []
    for f in range(n_factors):
        name = f"F{f + 1}"
        if item_scale:
            members = Counter(item_scale[c] for c, m in zip(scored.columns, main, strict=True) if m == f)
            if members:
                name += f" ({members.most_common(1)[0][0]})"
        names.append(name)
    loadings = pd.DataFrame(lam, index=pd.Index(scored.columns, name="item"), columns=names)
    comm = pd.Series(np.asarray(fit.communality, dtype=float), index=scored.columns, name="communality")
    return EFAResult(loadings, pd.DataFrame(phi, index=names, columns=names), comm, n, rotation,
                     converged)


@dataclass(frozen=True, repr=False)
class CFAResult(ResultMixin):
    """Fit of the intended structure: indices, standardised loadings, factor correlations."""

    fit: dict[str, float]
    loadings: pd.DataFrame
    factor_corr: pd.DataFrame
    n: int

    def to_frame(self) -> pd.DataFrame:
        """Standardised loading and scale of each item."""
        return self.loadings.copy()

    def _title(self) -> str:
        f = self.fit
        return (f"Confirmatory factor analysis (ML), N = {self.n}: chi2 = {f['chi2']:.2f} "
                f"(df {f['df']:g}, p = {f['p']:.3f}), CFI = {f['CFI']:.3f}, TLI = {f['TLI']:.3f}, "
                f"RMSEA = {f['RMSEA']:.3f}")


def cfa_model(instrument: Instrument) -> str:
    """The intended structure in lavaan syntax: each scale a factor measured by its items."""
    return "\n".join(f"{sid} =~ " + " + ".join(scale.items) for sid, scale in instrument.scales.items())


def cfa(scored: pd.DataFrame, instrument: Instrument) -> CFAResult:
    """Confirmatory factor analysis of the instrument's scales (ML, semopy).

    Parameters
    ----------
    scored : pandas.DataFrame
        Reverse-scored item answers; complete rows are used.
    instrument : Instrument
        The instrument: each scale is a factor of its items.

    Returns
    -------
    CFAResult
        ``fit`` (chi2 with df and p, CFI capped at 1 as in its definition, which semopy does not
        do, TLI, RMSEA), standardised ``loadings``, ``factor_corr`` and ``n``.

    Raises
    ------
    ImportError
        semopy is not installed.
    """
    import semopy

    data = scored[instrument.item_ids].dropna()
    x = data.to_numpy(dtype=float)
    # fitted from the sample covariance matrix (same ML estimates as from the rows; 40x faster)
    cov = pd.DataFrame(np.cov(np.ascontiguousarray(x.T)), index=data.columns, columns=data.columns)
    model = semopy.Model(cfa_model(instrument))
    model.fit(cov=cov, n_samples=len(data))
    stats = semopy.calc_stats(model).T.iloc[:, 0]
    fit = {"n": float(len(data)), "chi2": float(stats["chi2"]), "df": float(stats["DoF"]),
           "p": float(stats["chi2 p-value"]), "CFI": min(1.0, float(stats["CFI"])),
           "TLI": float(stats["TLI"]),
           "RMSEA": float(stats["RMSEA"])}
    est = model.inspect(std_est=True)
    load = est[(est["op"] == "~") & est["rval"].isin(list(instrument.scales))]
    loadings = pd.DataFrame({"scale": load["rval"].to_numpy(), "std_loading": load["Est. Std"].astype(float)
                             .to_numpy()}, index=pd.Index(load["lval"].to_numpy(), name="item"))
    loadings = loadings.reindex(instrument.item_ids)
    names = list(instrument.scales)
    phi = pd.DataFrame(np.eye(len(names)), index=names, columns=names)
    cov = est[(est["op"] == "~~") & est["lval"].isin(names) & est["rval"].isin(names)]
    for lval, rval, value in zip(cov["lval"], cov["rval"], cov["Est. Std"].astype(float), strict=True):
        if lval != rval:
            phi.loc[lval, rval] = phi.loc[rval, lval] = value
    if not all(math.isfinite(v) for v in fit.values()):
        fit = {k: (v if math.isfinite(v) else math.nan) for k, v in fit.items()}
    return CFAResult(fit, loadings, phi, len(data))
