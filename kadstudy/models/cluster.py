"""Typology of cases: Gower distance over mixed variables, hierarchical clustering, k-medoids,
the number of clusters chosen by silhouette width, cluster profiles and cross-tabs.

Gower (1971): the distance of two cases is the average over the variables both have coded of
``|x_i - x_j| / range`` for a numeric variable and 0 / 1 (same / different) for a categorical one.
A variable missing in either case does not count for that pair (as in R ``cluster::daisy``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kadstudy.models.frame import ModelInputError, check_columns, is_categorical
from kadstudy.results import ResultMixin

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

LINKAGES = ("average", "complete", "single", "weighted")


@dataclass(repr=False)
class Gower(ResultMixin):
    """A Gower distance matrix, made by :func:`gower_distance`; it can be passed wherever a
    distance matrix is expected (it reads as a square array).

    Attributes
    ----------
    D : numpy.ndarray
        Cases x cases distances in [0, 1], NaN where two cases share no coded variable.
    cases : list of str
        The case names, in the order of ``D``.
    variables : pandas.DataFrame
        Per variable (index): ``type``, ``range``, ``coded`` (cases coding it), ``weight`` and
        ``used``.
    notes : list of str
        Variables left out and why.
    """

    D: np.ndarray
    cases: list[str]
    variables: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    @property
    def ndim(self) -> int:
        """2: a Gower result is a square matrix (so array code may inspect it)."""
        return 2

    @property
    def shape(self) -> tuple[int, int]:
        """(cases, cases)."""
        return (len(self.cases), len(self.cases))

    def __array__(self, dtype: object = None, copy: bool | None = None) -> np.ndarray:
        import numpy as np

        return np.asarray(self.D, dtype=dtype)

    def to_frame(self) -> pd.DataFrame:
        """The distances labelled by case.

        Returns
        -------
        pandas.DataFrame
            Cases x cases, index and columns the case names (index name ``case``); NaN where
            two cases share no coded variable.

        Examples
        --------
        >>> import pandas as pd
        >>> g = gower_distance(pd.DataFrame({"x": [0.0, 1.0, 4.0]}, index=["a", "b", "c"]))
        >>> g.to_frame().loc["a", "b"]   # |0 - 1| / range 4
        np.float64(0.25)
        """
        import pandas as pd

        return pd.DataFrame(self.D, index=pd.Index(self.cases, name="case"), columns=self.cases)

    def _title(self) -> str:
        used = [str(v) for v, u in self.variables["used"].items() if u]
        return (f"Gower distances between {len(self.cases)} cases over {len(used)} variables "
                f"({', '.join(used)})")

    def summary(self) -> str:
        """The title, the variables (type, range, cases coding them, weight, used), notes and
        the distance matrix.

        Returns
        -------
        str
            Text ending with a newline.
        """
        from kadstudy.results import text_frame

        lines = [self._title(), "", text_frame(self.variables).to_string(index=False)]
        lines += ["", *self.notes] if self.notes else []
        lines += ["", self.to_frame().round(3).to_string()]
        return "\n".join(lines) + "\n"


def gower_distance(df: pd.DataFrame, variables: Sequence[str] | None = None, *,
                   weights: dict[str, float] | None = None) -> Gower:
    """Gower distances between the rows of ``df`` over ``variables`` (default: all columns).

    Categorical (category, string, object dtype) variables count a mismatch as 1; numeric ones
    (binary, fuzzy, ordinal codes, counts, years) ``|difference| / range``. A constant variable has no
    range and is left out with a note. Each variable has weight 1 unless ``weights`` says else.
    The distance of two cases is the weighted mean over the variables both code.

    Parameters
    ----------
    df : pandas.DataFrame
        The cases (index: their names).
    variables : sequence of str, optional
        The variables (default: every column).
    weights : dict of str to float, optional
        Variable -> weight (>= 0).

    Returns
    -------
    Gower
        The distances and what each variable contributed.

    Raises
    ------
    ModelInputError
        When no variable is given, a variable is missing, a weight is negative, a numeric
        variable holds text, or every variable is constant.

    Examples
    --------
    p and q differ by 5 of x's range 10 and agree on c: (0.5 + 0) / 2 = 0.25; p and r differ by
    the whole range and on c: (1 + 1) / 2 = 1; q and r: (0.5 + 1) / 2 = 0.75.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"x": [0.0, 5.0, 10.0], "c": ["a", "a", "b"]}, index=["p", "q", "r"])
    >>> gower_distance(df).D.round(2).tolist()
    [[0.0, 0.25, 1.0], [0.25, 0.0, 0.75], [1.0, 0.75, 0.0]]
    """
    import numpy as np
    import pandas as pd

    variables = list(variables) if variables is not None else [str(c) for c in df.columns]
    if not variables:
        raise ModelInputError("no variable given for the distance; name at least one")
    check_columns(df, variables, {v: "variable" for v in variables})
    n = len(df)
    num = np.zeros((n, n))
    den = np.zeros((n, n))
    rows, notes = [], []
    for v in variables:
        s = df[v]
        w = float((weights or {}).get(v, 1.0))
        if w < 0:
            raise ModelInputError(f"weight of '{v}' is negative ({w:g}); use a weight >= 0")
        mask = s.notna().to_numpy()
        if is_categorical(s):
            codes = pd.factorize(s.astype("string"), sort=True)[0]
            d = (codes[:, None] != codes[None, :]).astype(float)
            kind, rng = "categorical", float("nan")
            used = len(set(codes[mask].tolist())) > 1
        else:
            x = pd.to_numeric(s, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
            if np.isnan(x[mask]).any():
                case = str(df.index[mask & np.isnan(x)][0])
                raise ModelInputError(f"variable '{v}', case '{case}': value {s[case]!r} is not a "
                                      f"number")
            rng = float(np.nanmax(x) - np.nanmin(x))
            kind = "numeric"
            used = rng > 0
            d = np.abs(x[:, None] - x[None, :]) / (rng if used else 1.0)
        if not used:
            notes.append(f"'{v}' has one value in all {int(mask.sum())} cases that code it; it "
                         f"cannot tell cases apart and is left out of the distance.")
        else:
            valid = mask[:, None] & mask[None, :]
            num += w * np.where(valid, np.nan_to_num(d), 0.0)
            den += w * valid
        rows.append({"variable": v, "type": kind, "range": rng, "coded": int(mask.sum()),
                     "weight": w, "used": bool(used)})
    info = pd.DataFrame(rows).set_index("variable")
    if not info["used"].any():
        raise ModelInputError("every variable is constant among the cases; the distance needs a "
                              "variable that differs between cases")
    with np.errstate(invalid="ignore", divide="ignore"):
        D = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
    np.fill_diagonal(D, 0.0)
    return Gower(D=D, cases=[str(c) for c in df.index], variables=info, notes=notes)


def complete_pairs(g: Gower) -> tuple[Gower, list[str]]:
    """Drop cases, the one with most undefined distances first (the first in case order on a
    tie), until every pair of the rest shares at least one coded variable.

    Parameters
    ----------
    g : Gower
        The distances.

    Returns
    -------
    tuple of Gower and list of str
        The reduced distances and the dropped cases, in the order dropped.

    Examples
    --------
    a codes only x and b only y: their distance is undefined, and a (first of the two) goes.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"x": [0.0, None, 1.0], "y": [None, 1.0, 0.0]}, index=["a", "b", "c"])
    >>> g, dropped = complete_pairs(gower_distance(df))
    >>> g.cases, dropped
    (['b', 'c'], ['a'])
    """
    import numpy as np

    keep = np.arange(len(g.cases))
    dropped: list[str] = []
    while len(keep):
        sub = g.D[np.ix_(keep, keep)]
        bad = np.isnan(sub).sum(axis=1)
        if not bad.any():
            break
        worst = int(np.argmax(bad))  # first of the worst, in case order: deterministic
        dropped.append(g.cases[keep[worst]])
        keep = np.delete(keep, worst)
    D = g.D[np.ix_(keep, keep)]
    return Gower(D=D, cases=[g.cases[i] for i in keep], variables=g.variables,
                 notes=list(g.notes)), dropped


def _matrix(D: np.ndarray | pd.DataFrame | Gower) -> tuple[np.ndarray, list[str] | None]:
    """The distances as a float array and the case names, if ``D`` carries them (a
    :class:`Gower` result or a DataFrame labelled by case)."""
    import numpy as np
    import pandas as pd

    if isinstance(D, Gower):
        return np.asarray(D.D, dtype=float), list(D.cases)
    if isinstance(D, pd.DataFrame):
        if [str(c) for c in D.index] != [str(c) for c in D.columns]:
            raise ModelInputError("the distance DataFrame must have the same cases, in the same "
                                  "order, as index and columns")
        return D.to_numpy(dtype=float), [str(c) for c in D.index]
    return np.asarray(D, dtype=float), None


def _check_D(D: np.ndarray, k: int | None = None) -> None:
    import numpy as np

    if D.ndim != 2 or D.shape[0] != D.shape[1]:
        raise ModelInputError("the distance matrix must be square")
    if np.isnan(D).any():
        raise ModelInputError("the distance matrix has undefined entries (cases that share no "
                              "coded variable); drop such cases first (complete_pairs)")
    n = D.shape[0]
    if n < 3:
        raise ModelInputError(f"only {n} case(s) to cluster; clustering needs at least 3")
    if k is not None and not 2 <= k <= n - 1:
        raise ModelInputError(f"k = {k} clusters is impossible for {n} cases; use 2 to {n - 1}")


def relabel(labels: Sequence[int]) -> np.ndarray:
    """Cluster numbers 1, 2, ... in the order clusters first appear along the cases.

    Parameters
    ----------
    labels : sequence of int
        Any cluster numbers, one per case.

    Returns
    -------
    numpy.ndarray
        The same partition, renumbered.

    Examples
    --------
    >>> relabel([3, 3, 1, 2]).tolist()
    [1, 1, 2, 3]
    """
    import numpy as np

    order: dict[int, int] = {}
    for lab in labels:
        order.setdefault(int(lab), len(order) + 1)
    return np.array([order[int(lab)] for lab in labels], dtype=int)


def hierarchical(D: np.ndarray | pd.DataFrame | Gower, method: str = "average") -> np.ndarray:
    """Agglomerative clustering of a distance matrix (scipy); returns the linkage matrix.
    Only linkages valid for any dissimilarity are offered (not Ward or centroid).

    Parameters
    ----------
    D : Gower, pandas.DataFrame or numpy.ndarray
        Distances: what :func:`gower_distance` returns, a DataFrame labelled by case, or a
        square array.
    method : {"average", "complete", "single", "weighted"}
        Linkage.

    Returns
    -------
    numpy.ndarray
        The linkage matrix (scipy's ``Z``).

    Raises
    ------
    ModelInputError
        When the linkage is not offered, the matrix is not square, has undefined entries, or
        has fewer than 3 cases.

    Examples
    --------
    Points 0, 1, 10 and 11 on a line fall into two pairs:

    >>> import numpy as np
    >>> x = np.array([0.0, 1.0, 10.0, 11.0])
    >>> cut_tree(hierarchical(np.abs(x[:, None] - x[None, :])), 2).tolist()
    [1, 1, 2, 2]
    """
    import numpy as np
    from scipy.cluster.hierarchy import linkage
    from scipy.spatial.distance import squareform

    D = _matrix(D)[0]
    if method not in LINKAGES:
        raise ModelInputError(f"linkage '{method}' is not offered for Gower distances; use one of "
                              f"{', '.join(LINKAGES)}")
    _check_D(D)
    sym = (D + D.T) / 2
    np.fill_diagonal(sym, 0.0)
    return linkage(squareform(sym, checks=False), method=method)


def cut_tree(Z: np.ndarray, k: int) -> np.ndarray:
    """The partition of a linkage into ``k`` clusters, numbered by :func:`relabel`.

    Parameters
    ----------
    Z : numpy.ndarray
        A linkage matrix (:func:`hierarchical`).
    k : int
        The number of clusters.

    Returns
    -------
    numpy.ndarray
        Cluster numbers 1..k, one per case (see :func:`hierarchical` for an example).
    """
    from scipy.cluster.hierarchy import fcluster

    return relabel(fcluster(Z, t=k, criterion="maxclust"))


@dataclass(repr=False)
class Medoids(ResultMixin):
    """A k-medoids partition, made by :func:`kmedoids_pam`.

    Attributes
    ----------
    labels : numpy.ndarray
        Cluster numbers 1..k (by :func:`relabel`), one per case.
    medoids : list of int
        The medoid of each cluster (position among the cases), cluster 1 first.
    loss : float
        The total distance of the cases to their medoids.
    cases : list of str or None
        The case names, when the distances carried them.
    """

    labels: np.ndarray
    medoids: list[int]
    loss: float
    cases: list[str] | None = None

    def to_frame(self) -> pd.DataFrame:
        """One row per case: its ``cluster`` and whether it is its cluster's ``medoid``.

        Returns
        -------
        pandas.DataFrame
            Index ``case``: the case names when the distances carried them, else 0, 1, ...
        """
        import pandas as pd

        names = self.cases if self.cases is not None else list(range(len(self.labels)))
        return pd.DataFrame({"cluster": [int(x) for x in self.labels],
                             "medoid": [i in self.medoids for i in range(len(self.labels))]},
                            index=pd.Index(names, name="case"))

    def _title(self) -> str:
        names = [str(self.cases[m]) if self.cases is not None else str(m) for m in self.medoids]
        return (f"k-medoids (PAM), k = {len(self.medoids)}: medoids {', '.join(names)}; "
                f"total distance {self.loss:.3f}")


def kmedoids_pam(D: np.ndarray | pd.DataFrame | Gower, k: int, *, seed: int = 1) -> Medoids:
    """k-medoids by PAM (Kaufman & Rousseeuw: BUILD, then SWAP; the ``kmedoids`` package).
    BUILD is deterministic, so the result does not depend on ``seed``.

    Parameters
    ----------
    D : Gower, pandas.DataFrame or numpy.ndarray
        Distances (see :func:`hierarchical`).
    k : int
        Number of clusters, 2 to N - 1.
    seed : int
        Passed to the ``kmedoids`` package.

    Returns
    -------
    Medoids
        Labels 1..k, medoids (positions) and, when ``D`` names the cases, ``cases``.

    Raises
    ------
    ModelInputError
        When the matrix is not square, has undefined entries, has fewer than 3 cases, or k is
        outside 2..N - 1.

    Examples
    --------
    Points 0, 1, 10 and 11: two pairs, each case 1 from its medoid, total distance 2.

    >>> import numpy as np
    >>> x = np.array([0.0, 1.0, 10.0, 11.0])
    >>> res = kmedoids_pam(np.abs(x[:, None] - x[None, :]), 2)
    >>> res.labels.tolist(), res.loss
    ([1, 1, 2, 2], 2.0)
    """
    import kmedoids
    import numpy as np

    D, cases = _matrix(D)
    _check_D(D, k)
    res = kmedoids.pam(np.ascontiguousarray(D, dtype=float), k, init="build", random_state=seed)
    raw = np.asarray(res.labels, dtype=int)
    labels = relabel(raw)
    medoid_of = {int(raw[m]): int(m) for m in res.medoids}
    medoids = [medoid_of[old] for old in dict.fromkeys(int(x) for x in raw)]
    return Medoids(labels=labels, medoids=medoids, loss=float(res.loss), cases=cases)


def silhouette(D: np.ndarray | pd.DataFrame | Gower, labels: Sequence[int]) -> float:
    """Average silhouette width of a partition on a precomputed distance (scikit-learn).

    Parameters
    ----------
    D : Gower, pandas.DataFrame or numpy.ndarray
        Distances (see :func:`hierarchical`).
    labels : sequence of int
        The partition, at least 2 clusters.

    Returns
    -------
    float
        The mean over the cases of (b - a) / max(a, b), a the mean distance to the own cluster,
        b to the nearest other one.

    Examples
    --------
    Points 0, 1, 10, 11 in two pairs: each case has a = 1; b is 10.5 for 0 and 11 and 9.5 for 1
    and 10, so the width is (2 (1 - 1/10.5) + 2 (1 - 1/9.5)) / 4 = 0.899749...

    >>> import numpy as np
    >>> x = np.array([0.0, 1.0, 10.0, 11.0])
    >>> round(silhouette(np.abs(x[:, None] - x[None, :]), [1, 1, 2, 2]), 6)
    0.899749
    """
    import numpy as np
    from sklearn.metrics import silhouette_score

    return float(silhouette_score(_matrix(D)[0], np.asarray(labels), metric="precomputed"))


def silhouette_table(D: np.ndarray | pd.DataFrame | Gower, k_max: int = 6, *,
                     method: str = "average", seed: int = 1) -> pd.DataFrame:
    """Average silhouette width of the k-medoids and the hierarchical partition for k = 2 to
    ``min(k_max, N - 1)``.

    Parameters
    ----------
    D : Gower, pandas.DataFrame or numpy.ndarray
        Distances (see :func:`hierarchical`).
    k_max : int
        The largest k tried.
    method : str
        Linkage of the hierarchical clustering.
    seed : int
        Passed to :func:`kmedoids_pam`.

    Returns
    -------
    pandas.DataFrame
        Index ``k``; ``silhouette_kmedoids`` and ``silhouette_hierarchical`` (NaN when the cut
        gives one cluster).

    Raises
    ------
    ModelInputError
        As :func:`hierarchical`.
    """
    import pandas as pd

    D = _matrix(D)[0]
    _check_D(D)
    Z = hierarchical(D, method)
    rows = []
    for k in range(2, min(k_max, D.shape[0] - 1) + 1):
        km = kmedoids_pam(D, k, seed=seed)
        hc = cut_tree(Z, k)
        rows.append({"k": k,
                     "silhouette_kmedoids": silhouette(D, km.labels),
                     "silhouette_hierarchical": (silhouette(D, hc) if len(set(hc.tolist())) > 1
                                                 else float("nan"))})
    return pd.DataFrame(rows).set_index("k")


@dataclass(repr=False)
class ChooseK(ResultMixin):
    """The number of clusters chosen by silhouette width (:func:`choose_k`).

    ``k`` the chosen number, ``scores`` the silhouette table it was chosen from (index ``k``),
    ``reason`` why (one sentence), ``at_k_max`` True when ``k`` is the largest k tried (then a
    larger k might be better: the search was cut off, widen ``k_max``), ``k_max`` that largest
    k. Unpacks as ``k, reason = choose_k(table)`` (the former return value).
    """

    k: int
    scores: pd.DataFrame
    reason: str
    at_k_max: bool
    k_max: int

    def __iter__(self) -> Iterator[object]:
        return iter((self.k, self.reason))

    def to_frame(self) -> pd.DataFrame:
        """The scores per k with a ``chosen`` column (True for the chosen k).

        Returns
        -------
        pandas.DataFrame
            :attr:`scores` and ``chosen``.
        """
        frame = self.scores.copy()
        frame["chosen"] = [int(k) == self.k for k in frame.index]
        return frame

    def _title(self) -> str:
        return self.reason


def choose_k(table: pd.DataFrame) -> ChooseK:
    """The k with the highest k-medoids silhouette (the smaller k on a tie) and why, with
    Kaufman & Rousseeuw's reading of the width.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`silhouette_table`: index ``k``, column ``silhouette_kmedoids``.

    Returns
    -------
    ChooseK
        ``k``, ``scores``, ``reason``, ``at_k_max`` and ``k_max``; ``k, reason = choose_k(t)``
        still works.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"silhouette_kmedoids": [0.30, 0.62, 0.41]},
    ...                  index=pd.Index([2, 3, 4], name="k"))
    >>> res = choose_k(t)
    >>> res.k, res.at_k_max
    (3, False)
    """
    col = table["silhouette_kmedoids"]
    best = float(col.max())
    k = int(col[col >= best - 1e-12].index.min())
    strength = ("strong structure" if best > 0.70 else "reasonable structure" if best > 0.50
                else "weak structure, possibly artificial" if best > 0.25
                else "no substantial structure")
    ks = f"{int(table.index.min())} to {int(table.index.max())}"
    why = (f"k = {k}: the highest average silhouette width of the k-medoids partition among k = "
           f"{ks} ({best:.3f}); Kaufman & Rousseeuw read a width of {best:.2f} as {strength}.")
    k_max = int(table.index.max())
    at_max = k == k_max
    if at_max:
        why += (f" NOTE: k = {k} is the largest k tried (k_max); a larger k may separate the cases "
                "better: widen k_max to see.")
    return ChooseK(k=k, scores=table.copy(), reason=why, at_k_max=at_max, k_max=k_max)


def profiles(df: pd.DataFrame, labels: Sequence[int], variables: Sequence[str]) -> pd.DataFrame:
    """Per variable and cluster: the mean (numeric) or the commonest value with its count
    (categorical) over the cases that code it, and overall; plus the number of cases.
    Numeric variables also get ``spread``: the largest minus the smallest cluster mean.

    Parameters
    ----------
    df : pandas.DataFrame
        The cases, in the order of ``labels``.
    labels : sequence of int
        The cluster of each case.
    variables : sequence of str
        The columns to profile.

    Returns
    -------
    pandas.DataFrame
        Index ``variable`` (``n cases`` first); columns ``cluster 1``, ..., ``all``, ``spread``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"x": [1.0, 3.0, 10.0], "c": ["a", "a", "b"]})
    >>> profiles(df, [1, 1, 2], ["x", "c"]).loc[["x", "c"], ["cluster 1", "cluster 2", "spread"]]
             cluster 1 cluster 2 spread
    variable
    x              2.0      10.0    8.0
    c          a (2/2)   b (1/1)    NaN
    """
    import numpy as np
    import pandas as pd

    labels = np.asarray(labels)
    ks = sorted(set(labels.tolist()))
    names = [f"cluster {k}" for k in ks]
    out: dict[str, dict[str, object]] = {"n cases": {**{nm: int((labels == k).sum())
                                                        for nm, k in zip(names, ks, strict=True)},
                                                     "all": len(labels), "spread": np.nan}}
    for v in variables:
        s = df[v].reset_index(drop=True)
        row: dict[str, object] = {}
        if is_categorical(s):
            for nm, part in [*((nm, s[labels == k]) for nm, k in zip(names, ks, strict=True)),
                             ("all", s)]:
                vals = part.dropna().astype(str)
                if vals.empty:
                    row[nm] = ""
                    continue
                counts = vals.value_counts()
                top = sorted(counts[counts == counts.max()].index)[0]
                row[nm] = f"{top} ({int(counts[top])}/{len(vals)})"
            row["spread"] = np.nan
        else:
            x = pd.Series(pd.to_numeric(s, errors="coerce").to_numpy(dtype=float, na_value=np.nan))
            means = [float(x[labels == k].mean()) for k in ks]
            row.update(dict(zip(names, means, strict=True)))
            row["all"] = float(x.mean())
            finite = [m for m in means if m == m]
            row["spread"] = (max(finite) - min(finite)) if len(finite) > 1 else np.nan
        out[v] = row
    table = pd.DataFrame.from_dict(out, orient="index")[[*names, "all", "spread"]]
    table.index.name = "variable"
    return table


def crosstab(labels: Sequence[int], values: Sequence[object], name: str) -> pd.DataFrame:
    """Cases by cluster (rows) and ``name`` (columns, '(missing)' for a missing value).

    Parameters
    ----------
    labels : sequence of int
        The cluster of each case.
    values : sequence
        The variable's value for each case.
    name : str
        The variable (the columns are ``name=value``).

    Returns
    -------
    pandas.DataFrame
        Counts; index ``cluster`` (``cluster 1``, ...).

    Examples
    --------
    >>> crosstab([1, 1, 2], ["x", None, "x"], "v")
               v=(missing)  v=x
    cluster
    cluster 1            1    1
    cluster 2            0    1
    """
    import numpy as np
    import pandas as pd

    vals = pd.Series(list(values), dtype="object")
    text = vals.map(lambda v: "(missing)" if v is None or (isinstance(v, float) and np.isnan(v))
                    or v is pd.NA else (f"{v:g}" if isinstance(v, float) else str(v)))
    tab = pd.crosstab(pd.Series([f"cluster {k}" for k in labels], name="cluster"), text)
    tab.columns = [f"{name}={c}" for c in tab.columns]
    tab.index.name = "cluster"
    return tab


def adjusted_rand(a: Sequence[int], b: Sequence[int]) -> float:
    """Adjusted Rand index of two partitions (scikit-learn): 1 identical, about 0 chance.

    Parameters
    ----------
    a, b : sequence of int
        Two partitions of the same cases.

    Returns
    -------
    float
        The index; the cluster numbers themselves do not matter.

    Examples
    --------
    >>> adjusted_rand([1, 1, 2, 2], [2, 2, 1, 1])
    1.0
    """
    from sklearn.metrics import adjusted_rand_score

    return float(adjusted_rand_score(list(a), list(b)))
