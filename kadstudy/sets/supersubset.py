"""Search for necessary (superset) or sufficient (subset) expressions, as R QCA's
``superSubset()``.

Every conjunction of up to ``depth`` literals (a condition, its negation, or a level
``X[v]`` of a multi-value condition; one literal per condition) is tested; for necessity,
the disjunction of the same literals is tested whenever the conjunction fails. The rules
are those of R QCA (``superSubset()``, documented in ``?superSubset``; checked against the
package source, ``src/QCA.c``, function ``C_superSubset``):

* Expressions are visited by level ``k = 1, 2, ...`` (number of literals), within a level by
  combination of conditions (lexicographic), and within a combination by levels (the last
  condition varying fastest; for a binary condition ``~X`` before ``X``).
* A conjunction is kept when its inclusion is at least ``incl_cut`` and its coverage at least
  ``cov_cut`` (``inclN``/``covN`` for necessity, ``inclS``/``covS`` for sufficiency). Both
  cut-offs are lowered by ``sqrt(machine epsilon)`` as R does (``cov_cut`` only when > 0).
* Sufficiency: a conjunction is redundant, and dropped, when its literals include all the
  literals of a conjunction kept at a lower level (it is a subset of a kept subset).
* Necessity: every conjunction that passes is kept (``A``, ``B`` and ``A*B`` may all be
  listed). When the conjunction fails, the disjunction (SUIN condition) of the same literals
  is tested with the same cut-offs, and dropped when its literals include all the literals
  of a conjunction or a disjunction kept at a lower level (it is a superset of a kept
  superset).
* The search stops after level ``depth`` (default: the number of conditions), and, as in
  R, early: at any level ``k > 3``, when something was found before and nothing new is found
  at level ``k``.
* ``ron_cut`` (necessity) and ``pri_cut`` (sufficiency) filter the list after the search
  (they do not take part in the redundancy rules).
* A ratio 0/0 counts as 0, as in R.

Results list the conjunctions first, then the disjunctions, each in the order found. The
membership scores of the cases in every expression are kept (R's ``coms``).

Differences from R: when nothing passes the cut-offs an empty result is returned (R stops
with an error); the relations ``"necsuf"``/``"sufnec"``, ``use.letters`` and ``add`` are not
offered.
"""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from kadstudy.results import ResultMixin
from kadstudy.sets._format import dumps, num, table
from kadstudy.sets.data import prepare
from kadstudy.sets.errors import QCAInputError
from kadstudy.sets.expr import membership, parse_expr

#: R lowers incl.cut (and a positive cov.cut) by this much before comparing.
CUT_TOLERANCE = float(np.finfo(float).eps) ** 0.5

#: Cases x candidate expressions evaluated at once (bounds memory, keeps numpy busy).
_CHUNK_CELLS = 1_000_000

NECESSITY_MEASURES = ("inclN", "RoN", "covN")
SUFFICIENCY_MEASURES = ("inclS", "PRI", "covS")


@dataclass(repr=False)
class SuperSubsetResult(ResultMixin):
    """Expressions that pass the cut-offs, with their parameters of fit.

    ``rows`` hold ``expression`` (QCA notation: ``A*~B``, ``A + ~C``, ``DEV[2]``), ``type``
    (``"conjunction"`` or ``"disjunction"``) and the three measures (``inclN, RoN, covN``
    for necessity; ``inclS, PRI, covS`` for sufficiency).
    """

    outcome: str
    relation: str
    conditions: list[str]
    cuts: dict[str, float]
    depth: int
    rows: list[dict[str, Any]]
    cases: list[str] = field(default_factory=list)
    # membership of the cases in each literal (literals x cases), and each row's literals
    literal_scores: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)), repr=False)
    row_literals: list[tuple[int, ...]] = field(default_factory=list, repr=False)

    @property
    def measures(self) -> tuple[str, str, str]:
        """Names of the three parameters of fit, in order."""
        return NECESSITY_MEASURES if self.relation == "necessity" else SUFFICIENCY_MEASURES

    @property
    def expressions(self) -> list[str]:
        """The expressions kept, in order."""
        return [r["expression"] for r in self.rows]

    def __len__(self) -> int:
        return len(self.rows)

    def to_frame(self) -> pd.DataFrame:
        """One row per expression (index ``expression``): the three measures."""
        frame = pd.DataFrame(self.rows, columns=["expression", *self.measures])
        return frame.set_index("expression")

    def memberships(self) -> pd.DataFrame:
        """Membership of every case (rows) in every expression (columns); R's ``coms``."""
        cols = []
        for row, ids in zip(self.rows, self.row_literals, strict=True):
            op = np.min if row["type"] == "conjunction" else np.max
            cols.append(op(self.literal_scores[list(ids)], axis=0))
        data = np.column_stack(cols) if cols else np.zeros((len(self.cases), 0))
        return pd.DataFrame(data, index=pd.Index(self.cases, name="case"), columns=self.expressions)

    def to_dict(self) -> dict[str, Any]:
        """Outcome, relation, conditions, cut-offs, depth and the rows."""
        return {
            "outcome": self.outcome,
            "relation": self.relation,
            "conditions": list(self.conditions),
            "cuts": dict(self.cuts),
            "depth": self.depth,
            "rows": [dict(r) for r in self.rows],
        }

    def to_json(self) -> str:
        """JSON text of :meth:`to_dict`."""
        return dumps(self.to_dict())

    def _cut_text(self) -> str:
        return ", ".join(f"{k.replace('_', '.')} = {v:g}" for k, v in self.cuts.items())

    def summary(self) -> str:
        """Plain-text table as R QCA prints a ``superSubset()`` result."""
        kind = "Necessary (superset)" if self.relation == "necessity" else "Sufficient (subset)"
        head = f"{kind} expressions for {self.outcome} ({self._cut_text()}, depth = {self.depth})"
        if not self.rows:
            return f"{head}\n\nNo expression meets these cut-offs.\n"
        body = [
            [str(i + 1), r["expression"], *(num(r[m]) for m in self.measures)]
            for i, r in enumerate(self.rows)
        ]
        text = table(["", "", *self.measures], body, "rlrrr")
        return f"{head}\n\n{text}\n"

    def __str__(self) -> str:
        return self.summary()


def _relation(relation: object) -> str:
    text = relation.strip().lower() if isinstance(relation, str) else ""
    for full in ("necessity", "sufficiency"):
        if text and full.startswith(text):
            return full
    raise QCAInputError(
        f"relation {relation!r} is unknown; use 'necessity' (or 'nec') or 'sufficiency' (or 'suf')"
    )


def _cut(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise QCAInputError(f"{name} must be a number between 0 and 1, got {value!r}")
    v = float(value)
    if not (math.isfinite(v) and 0.0 <= v <= 1.0):
        raise QCAInputError(f"{name} must be between 0 and 1, got {value!r}")
    return v


def _depth(depth: object, nconds: int) -> int:
    if depth is None:
        return nconds
    if isinstance(depth, bool) or not isinstance(depth, numbers.Integral):
        raise QCAInputError(f"depth must be a whole number of literals (1 or more), got {depth!r}")
    if int(depth) < 1:
        raise QCAInputError(f"depth must be at least 1 (literals per expression), got {depth}")
    return min(int(depth), nconds)


def _ratio(a: np.ndarray, b: np.ndarray | float) -> np.ndarray:
    """a / b elementwise, with 0/0 = 0 (R's convention in superSubset)."""
    a = np.asarray(a, dtype=float)
    b = np.broadcast_to(np.asarray(b, dtype=float), a.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = a / b
    out[(a == 0) & (b == 0)] = 0.0
    return out


def _candidates(
    k: int, offsets: Sequence[int], nlevels: Sequence[int], chunk_rows: int
) -> Iterator[np.ndarray]:
    """Literal-id rows (m x k) of every k-literal expression, in R's order, in chunks."""
    pending: list[np.ndarray] = []
    size = 0
    for combo in itertools.combinations(range(len(offsets)), k):
        axes = [np.arange(nlevels[c]) + offsets[c] for c in combo]
        grid = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, k)
        pending.append(grid)
        size += len(grid)
        if size >= chunk_rows:
            yield np.concatenate(pending)
            pending, size = [], 0
    if pending:
        yield np.concatenate(pending)


def _contains_kept(ids: np.ndarray, kept: np.ndarray, nlit: int) -> np.ndarray:
    """For each candidate (row of literal ids), does it include every literal of some kept
    expression (rows of the boolean matrix ``kept``)?"""
    out = np.zeros(len(ids), dtype=bool)
    if len(ids) == 0 or len(kept) == 0:
        return out
    cand = np.zeros((len(ids), nlit), dtype=np.float32)
    np.put_along_axis(cand, ids, 1.0, axis=1)
    kmat = kept.astype(np.float32)
    need = kmat.sum(axis=1)
    step = max(1, 4_000_000 // max(len(kept), 1))
    for start in range(0, len(ids), step):
        hits = kmat @ cand[start : start + step].T  # kept x candidates: shared literals
        out[start : start + step] = (hits == need[:, None]).any(axis=0)
    return out


def super_subset(
    data: pd.DataFrame,
    outcome: str,
    conditions: Sequence[str] | None = None,
    *,
    relation: str = "necessity",
    incl_cut: float = 1.0,
    cov_cut: float = 0.0,
    ron_cut: float = 0.0,
    pri_cut: float = 0.0,
    depth: int | None = None,
) -> SuperSubsetResult:
    """Necessary or sufficient expressions for ``outcome``, as R QCA's ``superSubset()``.

    Necessity: conjunctions with ``inclN >= incl_cut`` and ``covN >= cov_cut``; where the
    conjunction fails, the disjunction of its literals; finally ``RoN >= ron_cut``.
    Sufficiency: minimal conjunctions with ``inclS >= incl_cut`` and ``covS >= cov_cut``;
    finally ``PRI >= pri_cut``. The module docstring gives the exact rules (R's search order,
    redundancy rules and early stop).

    Parameters
    ----------
    data : pandas.DataFrame
        One row per case, one column per set.
    outcome : str
        ``"Y"``, ``"~Y"`` (negated) or ``"Y[2]"`` (a level of a multi-value set).
    conditions : sequence of str, optional
        The conditions searched (default: every other column).
    relation : {"necessity", "sufficiency"}, default "necessity"
        Superset (necessary) or subset (sufficient) expressions.
    incl_cut : float, default 1.0
        The least inclN (necessity) or inclS (sufficiency).
    cov_cut : float, default 0.0
        The least covN or covS.
    ron_cut : float, default 0.0
        The least RoN (necessity only).
    pri_cut : float, default 0.0
        The least PRI (sufficiency only).
    depth : int, optional
        The most literals in an expression (default: all conditions).

    Returns
    -------
    SuperSubsetResult
        The expressions kept; ``to_frame()`` gives inclN, RoN, covN (inclS, PRI, covS for
        sufficiency), ``memberships()`` the cases' scores, ``summary()`` prints it.

    Raises
    ------
    QCAInputError
        An unknown column, a bad relation or cut-off.

    Examples
    --------
    >>> import pandas as pd
    >>> from kadstudy.sets import super_subset
    >>> d = pd.DataFrame({"A": [1, 1, 0, 0, 1], "B": [1, 0, 1, 0, 1], "Y": [1, 1, 0, 0, 1]},
    ...                  index=["c1", "c2", "c3", "c4", "c5"])
    >>> super_subset(d, "Y", incl_cut=0.9).to_frame()
                inclN  RoN  covN
    expression
    A             1.0  1.0   1.0
    """
    rel = _relation(relation)
    cuts = {
        "incl_cut": _cut(incl_cut, "incl_cut"),
        "cov_cut": _cut(cov_cut, "cov_cut"),
    }
    if rel == "necessity":
        cuts["ron_cut"] = _cut(ron_cut, "ron_cut")
    else:
        cuts["pri_cut"] = _cut(pri_cut, "pri_cut")
    if not isinstance(data, pd.DataFrame):
        raise QCAInputError("data must be a pandas DataFrame with case names as index")
    known = [str(c) for c in data.columns]
    out_expr = parse_expr(outcome, known)
    if conditions is None:
        conds = [c for c in known if c not in out_expr.names]
    else:
        if isinstance(conditions, str):
            conditions = [c.strip() for c in conditions.split(",") if c.strip()]
        conds = [str(c) for c in conditions]
        for c in conds:
            if c not in known:
                raise QCAInputError(
                    f"no column {c!r} in the data; columns are: {', '.join(known)}"
                )
            if c in out_expr.names:
                raise QCAInputError(
                    f"{c!r} is the outcome; it cannot also be a condition"
                )
    if not conds:
        raise QCAInputError("no conditions to search; name at least one column besides the outcome")
    maxdepth = _depth(depth, len(conds))
    sd = prepare(data, [*conds, *[n for n in out_expr.names if n not in conds]])
    y = membership(out_expr, sd.as_mapping(), sd.levels)
    mv = any(sd.levels[c] > 2 for c in conds) or any(
        lit.levels is not None for term in out_expr.terms for lit in term
    )

    # one row per literal: condition c at level v (binary/fuzzy: v = 0 is ~c, v = 1 is c)
    labels: list[str] = []
    rows: list[np.ndarray] = []
    offsets: list[int] = []
    nlevels: list[int] = []
    for c in conds:
        x = sd.column(c)
        offsets.append(len(labels))
        nlevels.append(sd.levels[c])
        for v in range(sd.levels[c]):
            if sd.kinds[c] == "fuzzy":
                rows.append(x if v == 1 else 1.0 - x)
            else:
                rows.append((x == v).astype(float))
            labels.append(f"{c}[{v}]" if mv else (c if v == 1 else f"~{c}"))
    lit = np.vstack(rows)
    nlit, ncases = lit.shape
    so = float(y.sum())
    y_or_not = np.minimum(y, 1.0 - y)
    nec = rel == "necessity"
    incl_t = cuts["incl_cut"] - CUT_TOLERANCE
    cov_t = cuts["cov_cut"] - CUT_TOLERANCE if cuts["cov_cut"] > 0 else 0.0

    def fit(mem: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(inclusion, RoN or PRI, coverage) of each row of ``mem``."""
        sx = mem.sum(axis=1)
        sxy = np.minimum(mem, y).sum(axis=1)
        if nec:
            return _ratio(sxy, so), _ratio(ncases - sx, ncases - sxy), _ratio(sxy, sx)
        both = np.minimum(mem, y_or_not).sum(axis=1)
        return _ratio(sxy, sx), _ratio(sxy - both, sx - both), _ratio(sxy, so)

    def reduce(ids: np.ndarray, op: np.ufunc) -> np.ndarray:
        mem = lit[ids[:, 0]].copy()
        for j in range(1, ids.shape[1]):
            op(mem, lit[ids[:, j]], out=mem)
        return mem

    found: dict[str, list[tuple[tuple[int, ...], tuple[float, float, float]]]] = {
        "conjunction": [],
        "disjunction": [],
    }
    kept_sets: dict[str, list[np.ndarray]] = {"conjunction": [], "disjunction": []}
    empty = np.zeros((0, nlit), dtype=bool)
    chunk_rows = max(1, _CHUNK_CELLS // max(ncases, 1))
    total = 0
    for k in range(1, maxdepth + 1):
        early = total > 0 and k > 3
        prev = {t: (np.vstack(v) if v else empty) for t, v in kept_sets.items()}
        new = 0
        for ids in _candidates(k, offsets, nlevels, chunk_rows):
            mem = reduce(ids, np.minimum)
            incl, mid, cov = fit(mem)
            passed = (incl >= incl_t) & (cov >= cov_t)
            keep = passed.copy()
            if not nec:
                keep[passed] = ~_contains_kept(ids[passed], prev["conjunction"], nlit)
            batches = [("conjunction", ids[keep], incl[keep], mid[keep], cov[keep])]
            if nec and (~passed).any():
                rest = ids[~passed]
                dmem = reduce(rest, np.maximum)
                dincl, dron, dcov = fit(dmem)
                dkeep = (dincl >= incl_t) & (dcov >= cov_t)
                both = np.vstack([prev["conjunction"], prev["disjunction"]])
                dkeep[dkeep] = ~_contains_kept(rest[dkeep], both, nlit)
                batches.append(("disjunction", rest[dkeep], dincl[dkeep], dron[dkeep], dcov[dkeep]))
            for kind, kids, a, b, c in batches:
                found[kind].extend(
                    zip(map(tuple, kids.tolist()), zip(a.tolist(), b.tolist(), c.tolist(), strict=True),
                        strict=True)
                )
                mask = np.zeros((len(kids), nlit), dtype=bool)
                if len(kids):
                    np.put_along_axis(mask, kids, True, axis=1)
                    kept_sets[kind].append(mask)
                new += len(kids)
        total += new
        if early and new == 0:
            break

    names = NECESSITY_MEASURES if nec else SUFFICIENCY_MEASURES
    second_cut = cuts["ron_cut"] if nec else cuts["pri_cut"]
    out_rows: list[dict[str, Any]] = []
    out_ids: list[tuple[int, ...]] = []
    for kind in ("conjunction", "disjunction"):
        joiner = "*" if kind == "conjunction" else " + "
        for ids, values in found[kind]:
            if values[1] >= second_cut:
                text = joiner.join(labels[j] for j in ids)
                out_rows.append({"expression": text, "type": kind, **dict(zip(names, values, strict=True))})
                out_ids.append(ids)
    return SuperSubsetResult(
        outcome=str(out_expr),
        relation=rel,
        conditions=conds,
        cuts=cuts,
        depth=maxdepth,
        rows=out_rows,
        cases=[str(c) for c in sd.cases],
        literal_scores=lit,
        row_literals=out_ids,
    )
