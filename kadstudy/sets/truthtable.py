"""Truth tables: one row per observed configuration with n, incl, PRI, OUT and its cases.

Configurations are numbered by mixed-radix encoding (first condition most significant, as in
R QCA); counts and sums are taken with ``np.bincount`` for crisp and multi-value data and by
chunked vectorised minima for fuzzy data.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from kadstudy.results import ResultMixin
from kadstudy.sets._format import dumps, num, table
from kadstudy.sets.data import SetData, prepare
from kadstudy.sets.errors import QCAInputError, QCAWarning
from kadstudy.sets.expr import membership, parse_expr

TOL = np.sqrt(np.finfo(float).eps)  # R's all.equal tolerance, used by admisc::agteb
MAX_COMPLETE = 2**20
_CHUNK_CELLS = 4_000_000


def mixed_radix(levels: Sequence[int]) -> np.ndarray:
    """Place values of each condition, first condition most significant."""
    base = np.ones(len(levels), dtype=np.int64)
    for j in range(len(levels) - 2, -1, -1):
        base[j] = base[j + 1] * int(levels[j + 1])
    return base


def decode(codes: np.ndarray, levels: Sequence[int]) -> np.ndarray:
    """Configurations (rows × conditions) of mixed-radix ``codes``."""
    codes = np.asarray(codes, dtype=np.int64)
    out = np.empty((len(codes), len(levels)), dtype=np.int64)
    rest = codes.copy()
    for j in range(len(levels) - 1, -1, -1):
        out[:, j] = rest % levels[j]
        rest //= levels[j]
    return out


def _ge(a: np.ndarray, b: float) -> np.ndarray:
    return (a > b) | (np.abs(a - b) <= TOL)


@dataclass(repr=False)
class TruthTable(ResultMixin):
    """A truth table; ``rows`` is a DataFrame indexed by row number (code + 1), with one column
    per condition and ``OUT``, ``n``, ``incl``, ``PRI``, ``cases``.

    ``excluded`` maps the rows kept out of the minimisation (coded ``OUT = 0``, as R QCA's
    ``exclude``; see :mod:`kadstudy.sets.exclude`) to the reason why."""

    outcome: str
    conditions: list[str]
    levels: list[int]
    rows: pd.DataFrame
    incl_cut: tuple[float, float]
    n_cut: int
    pri_cut: float
    zero_five_cases: list[str] = field(default_factory=list)
    data: SetData | None = field(default=None, repr=False)
    y: np.ndarray | None = field(default=None, repr=False)
    excluded: dict[int, str] = field(default_factory=dict)
    show_cases: bool = True

    @property
    def multivalue(self) -> bool:
        """True when any condition has more than two levels."""
        return any(v > 2 for v in self.levels)

    def _configs(self, mask: np.ndarray) -> np.ndarray:
        return self.rows.loc[mask, self.conditions].to_numpy(dtype=np.int64)

    @property
    def positive(self) -> np.ndarray:
        """Configurations with OUT = 1."""
        return self._configs((self.rows["OUT"] == "1").to_numpy())

    @property
    def negative(self) -> np.ndarray:
        """Configurations with OUT = 0 or C (contradictions)."""
        return self._configs(self.rows["OUT"].isin(["0", "C"]).to_numpy())

    @property
    def cases(self) -> dict[int, list[str]]:
        """Row number -> case names."""
        return {int(i): list(c) for i, c in self.rows["cases"].items() if c}

    def to_frame(self) -> pd.DataFrame:
        """The rows as a tidy DataFrame.

        Returns
        -------
        pandas.DataFrame
            Indexed by row number (``row``), one column per condition, then ``OUT``, ``n``,
            ``incl``, ``PRI`` and ``cases`` (a list of case names per row).

        Examples
        --------
        >>> import pandas as pd
        >>> d = pd.DataFrame({"A": [1, 1, 0], "Y": [1, 1, 0]}, index=["a", "b", "c"])
        >>> truth_table(d, "Y", ["A"]).to_frame()["cases"].tolist()
        [['c'], ['a', 'b']]
        """
        frame = self.rows.copy()
        frame["cases"] = frame["cases"].map(list)
        return frame

    def to_dict(self) -> dict[str, Any]:
        """``{"outcome", "conditions", "rows": [{"config", "n", "incl", "PRI", "OUT", "cases"}]}``
        and, when rows are excluded, ``"excluded": [{"row", "reason"}]``."""
        rows = []
        for _, r in self.rows.iterrows():
            rows.append(
                {
                    "config": [int(r[c]) for c in self.conditions],
                    "n": int(r["n"]),
                    "incl": None if pd.isna(r["incl"]) else float(r["incl"]),
                    "PRI": None if pd.isna(r["PRI"]) else float(r["PRI"]),
                    "OUT": str(r["OUT"]),
                    "cases": list(r["cases"]),
                }
            )
        out: dict[str, Any] = {
            "outcome": self.outcome, "conditions": list(self.conditions), "rows": rows,
        }
        if self.excluded:
            out["excluded"] = [{"row": int(r), "reason": why} for r, why in self.excluded.items()]
        return out

    def to_json(self) -> str:
        """JSON text of :meth:`to_dict`."""
        return dumps(self.to_dict())

    def summary(self) -> str:
        """Plain-text truth table in R QCA's layout."""
        header = ["", *self.conditions, "OUT", "n", "incl", "PRI"]
        header += ["cases"] if self.show_cases else []
        body = []
        for idx, r in self.rows.iterrows():
            line = [
                str(idx),
                *(str(int(r[c])) for c in self.conditions),
                str(r["OUT"]),
                str(int(r["n"])),
                num(r["incl"]),
                num(r["PRI"]),
            ]
            body.append(line + ([",".join(r["cases"])] if self.show_cases else []))
        align = "r" + "r" * len(self.conditions) + "rrrr" + ("l" if self.show_cases else "")
        cuts = f"{self.incl_cut[0]:g}" + (
            f",{self.incl_cut[1]:g}" if self.incl_cut[1] < self.incl_cut[0] else ""
        )
        lines = [
            f"Truth table for {self.outcome} (incl.cut = {cuts}, n.cut = {self.n_cut}, "
            f"pri.cut = {self.pri_cut:g})",
            "",
            "  OUT: output value (1, 0, C contradiction, ? remainder)",
            "    n: number of cases in configuration",
            " incl: sufficiency inclusion score",
            "  PRI: proportional reduction in inconsistency",
            "",
            table(header, body, align),
        ]
        if self.zero_five_cases:
            lines += [
                "",
                "Cases with a membership of exactly 0.5 (in no row): "
                + ", ".join(self.zero_five_cases),
            ]
        if self.excluded:
            lines += ["", "Rows excluded from the minimisation (coded OUT = 0):"]
            lines += [f"  {r}: {why}" for r, why in self.excluded.items()]
        return "\n".join(lines) + "\n"

    def __str__(self) -> str:
        return self.summary()


def _row_sums(
    sd: SetData, y: np.ndarray, codes: np.ndarray, row_codes: np.ndarray, levels: list[int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Σm, Σmin(m, y) and Σmin(m, y, 1 − y) of every row, m = case membership in the row."""
    fuzzy = [j for j, c in enumerate(sd.columns) if sd.kinds[c] == "fuzzy"]
    ylow = np.minimum(y, 1 - y)
    if not fuzzy:
        pos = np.searchsorted(row_codes, codes)
        size = len(row_codes)
        return (
            np.bincount(pos, minlength=size).astype(float),
            np.bincount(pos, weights=y, minlength=size),
            np.bincount(pos, weights=ylow, minlength=size),
        )
    crisp = [j for j in range(len(sd.columns)) if j not in fuzzy]
    configs = decode(row_codes, levels)
    x = sd.values
    if crisp:
        cbase = mixed_radix([levels[j] for j in crisp])
        case_crisp = np.round(x[:, crisp]).astype(np.int64) @ cbase
        row_crisp = configs[:, crisp] @ cbase
    n = len(y)
    sums = np.zeros((3, len(row_codes)))
    chunk = max(1, _CHUNK_CELLS // max(n, 1))
    for start in range(0, len(row_codes), chunk):
        block = configs[start : start + chunk]
        mem = np.ones((len(block), n))
        for j in fuzzy:
            xj = x[:, j]
            mem = np.minimum(mem, np.where(block[:, [j]] == 1, xj[None, :], 1 - xj[None, :]))
        if crisp:
            mem *= case_crisp[None, :] == row_crisp[start : start + chunk, None]
        sums[0, start : start + len(block)] = mem.sum(axis=1)
        sums[1, start : start + len(block)] = np.minimum(mem, y[None, :]).sum(axis=1)
        sums[2, start : start + len(block)] = np.minimum(mem, ylow[None, :]).sum(axis=1)
    return sums[0], sums[1], sums[2]


def truth_table(
    data: pd.DataFrame,
    outcome: str,
    conditions: Sequence[str] | None = None,
    incl_cut: float | Sequence[float] = 1.0,
    n_cut: int = 1,
    pri_cut: float = 0.0,
    complete: bool = False,
    *,
    sort_by: str | Sequence[str] | None = None,
    decreasing: bool | Sequence[bool] = True,
    show_cases: bool = True,
    r_compat: bool = False,
) -> TruthTable:
    """Truth table of ``data`` for ``outcome``, as R QCA's ``truthTable()``.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per case (the index holds the case names), one column per set: crisp (0/1),
        multi-value (0, 1, 2, ...) or fuzzy memberships in [0, 1].
    outcome : str
        The outcome column; ``"~Y"`` negates it, ``"Y[2]"`` is a level of a multi-value outcome.
    conditions : sequence of str, optional
        The condition columns (default: every column but the outcome).
    incl_cut : float or (float, float), default 1.0
        The consistency cut-off of OUT = 1, or two ``(ic1, ic0)``: rows with
        ``ic0 <= incl < ic1`` are contradictions ``C``.
    n_cut : int, default 1
        Rows with fewer cases are remainders ``?``.
    pri_cut : float, default 0.0
        Rows with a lower PRI are not coded OUT = 1.
    complete : bool, default False
        Add the unobserved configurations as remainders.
    sort_by : str or sequence of str, optional
        Order the rows as R's ``sort.by`` (``"incl"``, ``"n"``, ``"PRI"``, ``"OUT"``; see
        :func:`sort_rows`).
    decreasing : bool or sequence of bool, default True
        The direction of each ``sort_by`` key.
    show_cases : bool, default True
        False leaves the cases out of :meth:`TruthTable.summary` (R's default).
    r_compat : bool, default False
        Reproduce R 3.25's misplaced contradiction marks with two cut-offs and ``n_cut > 1``
        (see the known differences from R); by default each row is marked by its own incl.

    Returns
    -------
    TruthTable
        The observed rows (and remainders with ``complete``): the configuration, OUT, n, incl,
        PRI and the cases; ``summary()``, ``to_frame()`` and ``to_json()`` print or export it.
        Cases with a membership of exactly 0.5 in a condition belong to no row; they are listed
        in ``zero_five_cases`` and named in a warning.

    Raises
    ------
    QCAInputError
        An unknown or non-numeric column, memberships outside [0, 1], or a bad cut-off.

    See Also
    --------
    minimize : the Boolean minimisation of the table.

    Examples
    --------
    >>> import pandas as pd
    >>> from kadstudy.sets import truth_table
    >>> d = pd.DataFrame({"A": [1, 1, 0, 0, 1], "B": [1, 0, 1, 0, 1], "Y": [1, 1, 0, 0, 1]},
    ...                  index=["c1", "c2", "c3", "c4", "c5"])
    >>> truth_table(d, "Y", incl_cut=0.8).to_frame()[["A", "B", "OUT", "n", "cases"]]
         A  B OUT  n     cases
    row
    1    0  0   0  1      [c4]
    2    0  1   0  1      [c3]
    3    1  0   1  1      [c2]
    4    1  1   1  2  [c1, c5]
    """
    known = [str(c) for c in data.columns]
    out_expr = parse_expr(outcome, known)
    if conditions is None:
        conditions = [c for c in known if c not in out_expr.names]
    conditions = [str(c) for c in conditions]
    clash = [c for c in conditions if c in out_expr.names]
    if clash:
        raise QCAInputError(f"{clash[0]!r} is both the outcome and a condition; drop it from one")
    cuts = [float(incl_cut)] if np.isscalar(incl_cut) else [float(v) for v in incl_cut]  # type: ignore[arg-type]
    if not 1 <= len(cuts) <= 2 or any(not 0 <= v <= 1 for v in cuts):
        raise QCAInputError(f"incl_cut must be one or two numbers in [0, 1], got {incl_cut!r}")
    ic1 = cuts[0]
    ic0 = cuts[1] if len(cuts) == 2 else 1.0
    if len(cuts) == 2 and ic0 > ic1:
        raise QCAInputError(f"incl_cut {ic1:g},{ic0:g}: the second value must not exceed the first")
    if n_cut < 1:
        raise QCAInputError(f"n_cut must be at least 1, got {n_cut}")
    sd = prepare(data, conditions)
    ysd = prepare(data, out_expr.names)
    y = membership(out_expr, ysd.as_mapping(), ysd.levels)
    if np.any(y > 1) or np.any(y < 0):
        raise QCAInputError(f"outcome {outcome!r} has memberships outside [0, 1]")
    levels = [sd.levels[c] for c in conditions]
    if float(np.prod([float(v) for v in levels])) >= 2**62:
        raise QCAInputError("too many conditions/levels for a truth table (more than 2^62 rows)")
    fuzzy_cols = [j for j, c in enumerate(conditions) if sd.kinds[c] == "fuzzy"]
    crisp_vals = sd.values.copy()
    zero_five = np.zeros(len(sd.cases), dtype=bool)
    if fuzzy_cols:
        fz = sd.values[:, fuzzy_cols]
        zero_five = np.any(np.abs(fz - 0.5) <= TOL, axis=1)
        crisp_vals[:, fuzzy_cols] = (fz > 0.5).astype(float)
    codes = crisp_vals.astype(np.int64) @ mixed_radix(levels)
    zf_cases = [sd.cases[i] for i in np.flatnonzero(zero_five)]
    if zf_cases:
        warnings.warn(
            f"{len(zf_cases)} case(s) have a fuzzy membership of exactly 0.5 in a condition and "
            f"belong to no truth table row: {', '.join(zf_cases)}; recalibrate to avoid 0.5",
            QCAWarning,
            stacklevel=2,
        )
    row_codes = np.unique(codes[~zero_five])
    sumx, sxy, slow = _row_sums(sd, y, codes, row_codes, levels)
    n = np.bincount(np.searchsorted(row_codes, codes[~zero_five]), minlength=len(row_codes))
    with np.errstate(invalid="ignore", divide="ignore"):
        incl = np.where(sumx > 0, sxy / np.where(sumx > 0, sumx, 1), np.nan)
        denom = sumx - slow
        pri = np.where(denom > 0, (sxy - slow) / np.where(denom > 0, denom, 1), np.nan)
    out = np.full(len(row_codes), "?", dtype=object)
    kept = n >= n_cut
    one = kept & _ge(incl, ic1) & _ge(np.nan_to_num(pri, nan=0.0), pri_cut)
    out[kept] = "0"
    out[one] = "1"
    contradiction = (incl < ic1) & _ge(incl, ic0)
    if r_compat and len(cuts) == 2:
        # R 3.25 indexes all observed rows with a logical vector over the rows kept by
        # n.cut, recycled (docs/r-differences.md): the C marks shift when rows are dropped
        out[np.resize(contradiction[kept], len(out)) if kept.any() else kept] = "C"
    else:
        out[kept & contradiction] = "C"
    order = np.argsort(codes[~zero_five], kind="stable")
    sorted_codes = codes[~zero_five][order]
    names = np.asarray(sd.cases, dtype=object)[~zero_five][order]
    bounds = np.searchsorted(sorted_codes, row_codes, side="left")
    ends = np.searchsorted(sorted_codes, row_codes, side="right")
    cases = [list(names[a:b]) for a, b in zip(bounds, ends, strict=True)]
    all_codes = row_codes
    if complete:
        total = int(np.prod(levels))
        if total > MAX_COMPLETE:
            raise QCAInputError(
                f"a complete truth table would have {total} rows (limit {MAX_COMPLETE}); "
                "drop complete or use fewer conditions"
            )
        all_codes = np.arange(total, dtype=np.int64)
    idx = np.searchsorted(row_codes, all_codes)
    idx = np.clip(idx, 0, max(len(row_codes) - 1, 0))
    hit = (len(row_codes) > 0) & (row_codes[idx] == all_codes) if len(row_codes) else np.zeros(
        len(all_codes), dtype=bool
    )
    frame = pd.DataFrame(decode(all_codes, levels), columns=conditions)
    frame["OUT"] = np.where(hit, out[idx], "?")
    frame["n"] = np.where(hit, n[idx], 0)
    frame["incl"] = np.where(hit, incl[idx], np.nan)
    frame["PRI"] = np.where(hit, pri[idx], np.nan)
    frame["cases"] = [cases[i] if h else [] for i, h in zip(idx, hit, strict=True)]
    frame.index = pd.Index(all_codes + 1, name="row")
    if sort_by is not None:
        frame = sort_rows(frame, sort_by, decreasing)
    return TruthTable(
        outcome=str(out_expr),
        conditions=conditions,
        levels=levels,
        rows=frame,
        incl_cut=(ic1, ic0 if len(cuts) == 2 else ic1),
        n_cut=int(n_cut),
        pri_cut=float(pri_cut),
        zero_five_cases=zf_cases,
        data=sd,
        y=y,
        show_cases=bool(show_cases),
    )


SORT_KEYS = ("OUT", "n", "incl", "PRI")


def sort_rows(
    frame: pd.DataFrame, sort_by: str | Sequence[str], decreasing: bool | Sequence[bool] = True
) -> pd.DataFrame:
    """Rows ordered as R QCA's ``truthTable(sort.by = ..., decreasing = ...)``: by the first
    key, ties by the next, remaining ties in row-number order (a stable sort); ``decreasing``
    is one flag or one per key (missing ones TRUE, as R); missing values (remainders' incl)
    last; then every remainder (OUT = ?) moved after the other rows. Keys: ``OUT`` (``out``),
    ``n``, ``incl``, ``PRI``, or a condition; OUT is ordered as text (``C`` > ``1`` > ``0``)."""
    keys = [sort_by] if isinstance(sort_by, str) else list(sort_by)
    keys = ["OUT" if k == "out" else str(k) for k in keys]
    allowed = [*SORT_KEYS, *[c for c in frame.columns if c not in (*SORT_KEYS, "cases")]]
    bad = [k for k in keys if k not in allowed]
    if bad or not keys:
        raise QCAInputError(
            f"sort_by {bad[0] if bad else keys!r} is not a truth table column; "
            f"use any of {', '.join(allowed)}"
        )
    flags = [bool(decreasing)] * len(keys) if isinstance(decreasing, bool) else [
        bool(d) for d in decreasing
    ]
    flags = (flags + [True] * len(keys))[: len(keys)]
    order = np.arange(len(frame))
    for key, dec in reversed(list(zip(keys, flags, strict=True))):
        col = frame[key].to_numpy()[order]
        if key == "OUT":
            values = np.unique(col.astype(str), return_inverse=True)[1].astype(float)
        else:
            values = pd.to_numeric(pd.Series(col), errors="coerce").to_numpy(dtype=float)
        values = -values if dec else values
        values = np.where(np.isnan(values), np.inf, values)  # R: NA last either way
        order = order[np.argsort(values, kind="stable")]
    remainder = (frame["OUT"].to_numpy()[order] == "?").astype(int)
    order = order[np.argsort(remainder, kind="stable")]
    return frame.iloc[order]
