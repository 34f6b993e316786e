"""Robustness of a QCA solution: sensitivity ranges and the robustness test of Oana & Schneider.

Two questions a reader asks before believing a solution:

* **Sensitivity ranges** (SetMethods ``rob.calibrange``, ``rob.inclrange``, ``rob.ncutrange``):
  over which values of one parameter, the others held fixed, does the solution stay the same?
  The parameters are ``incl_cut``, ``n_cut``, ``pri_cut`` and every calibration anchor. "The
  same" means the same set of models, each compared as a Boolean expression (a set of terms,
  each a set of literals: term and literal order do not matter).

  ``incl_cut``, ``pri_cut``, ``n_cut`` and crisp thresholds have **exact** ranges. A solution
  depends on ``incl_cut`` only through the set of rows with ``incl >= incl_cut`` (rows with
  ``n >= n_cut`` and ``PRI >= pri_cut``), which changes exactly at the rows' incl values; for
  ``pri_cut`` at the rows' PRI values; for ``n_cut`` at the sizes n of all observed rows (a
  row below ``n_cut`` becomes a remainder, which matters to the parsimonious and intermediate
  solutions even when the row was negative); for a crisp threshold at the raw values of the
  cases. Walking these breakpoints outwards from the initial
  value, one solution per interval, gives the exact range, e.g. ``(0.667, 0.953]``: the lower
  bound is excluded (at 0.667 a further row becomes positive) and the upper one included.

  Fuzzy anchors move memberships continuously, so they are **scanned on a grid**: step
  ``(max - min) / 50`` of the raw values (or as given), at most ``max_steps`` steps each way,
  keeping exclusion < crossover < inclusion (reversed when decreasing); the first change on each
  side is then located by bisection to ``step / 1024``. Such bounds are approximate.
  The cut-offs are also scanned on a grid (``incl_cut``/``pri_cut`` step 0.01, ``n_cut`` step
  1) as a cross-check of the exact ranges: the grid range always lies inside the exact range.

* **Robustness test** (Oana & Schneider 2024, "A robustness test protocol for applied QCA: theory
  and R software application", Sociological Methods & Research 53(1); SetMethods ``rob.fit``,
  ``rob.corefit``, ``rob.cases``, ``rob.xyplot``): the initial solution IS against a test set
  TS of solutions from alternative specifications (calibrations, cut-offs, case selections).

  - ``TS_min`` = intersection (fuzzy AND, the minimum) of all test solutions,
    ``TS_max`` = their union (OR, the maximum);
  - **robust core** ``RC = IS * TS_min`` (what every specification, the initial included,
    agrees is sufficient) and **maximal envelope** ``ENV = IS + TS_max``; so RC ⊆ IS ⊆ ENV;
  - ``RF_cov = covS(RC) / covS(IS)``, ``RF_cons = inclS(IS) / inclS(RC)``,
    ``RF_SC_minTS = Σmin(IS, TS_min) / Σmax(IS, TS_min)``,
    ``RF_SC_maxTS = Σmin(IS, TS_max) / Σmax(IS, TS_max)`` (all 1 when the test set agrees
    with the IS);
  - case types, membership > 0.5 or < 0.5 (cases at exactly 0.5 are in none): robust typical
    ``IS*TS_min`` and Y, robust deviant ``IS*TS_min`` and ~Y, shaky typical/deviant
    ``IS*~TS_min``, possible typical/deviant ``~IS*TS_max``, extreme deviant coverage
    ``~IS*~TS_max`` and Y, irrelevant ``~IS*~TS_max`` and ~Y; ``RCR_typ`` = robust typical /
    (robust + shaky + possible typical), ``RCR_dev`` likewise for deviant cases, and
    ``RCC_rank`` 1 (no shaky, no possible cases) .. 4 (both).

  Differences from SetMethods 4.0, on purpose: every test solution enters ``TS_min`` and
  ``TS_max`` (SetMethods' loop ``for (i in length(test_sol))`` reads only the first and the
  last); every solution, whatever specification produced it, is evaluated on the cases and
  memberships of the **initial** specification, so test sets may change the case selection
  (SetMethods takes each test solution's memberships from its own data, which needs the same
  cases); a specification with no positive truth-table row has the empty solution (membership
  0: nothing is sufficient), one whose positive rows leave no negative row the solution 1.
  As in SetMethods, a solution with several models is represented by its first model (for an
  intermediate solution: C1P1 M1).

  The expressions of ``TS_min``, ``RC``, ``TS_max`` and ``ENV`` are expanded to sums of products
  and simplified by the Boolean rules X*X = X, X*~X = 0 and absorption (A + A*B = A); the fit
  parameters use the minimum/maximum of the solutions' memberships, as SetMethods does. On crisp
  data both agree; on fuzzy data a dropped X*~X term can matter only where memberships are at
  most 0.5.

Specifications can be solved in parallel (:mod:`kadstudy.parallel`): on ``jobs`` local processes,
or on a Dask cluster (``scheduler="tcp://host:port"``); the results are those of the serial run,
whatever the engine and the number of workers.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from kadstudy.parallel import Pool
from kadstudy.results import ResultMixin
from kadstudy.sets.calibrate import calibrate
from kadstudy.sets.data import prepare
from kadstudy.sets.errors import QCAInputError, QCAWarning
from kadstudy.sets.expr import parse_expr
from kadstudy.sets.measures import evaluate, sufficiency_measures
from kadstudy.sets.solutions import SOLUTION_TYPES, Solution, minimize
from kadstudy.sets.truthtable import TOL, truth_table

if TYPE_CHECKING:
    from matplotlib.figure import Figure

MAX_TERMS = 500  # expanded intersections with more terms are not written out
EXPANSION_FACTOR = 20  # ... nor those whose expansion has more than 20 * MAX_TERMS products
GRID_DEFAULT = {"incl_cut": 0.01, "pri_cut": 0.01, "n_cut": 1.0}
ANCHOR_DIVISIONS = 50  # default anchor step: (max - min) / 50 of the raw values
BISECTION_DIVISIONS = 1024  # fuzzy anchor breakpoints located to step / 1024
FUZZY_ANCHORS = ("exclusion", "crossover", "inclusion")

# A term: ((condition, admitted levels), ...) in condition order; a model: a tuple of terms.
Term = tuple[tuple[str, tuple[int, ...]], ...]
Model = tuple[Term, ...]


# ---------------------------------------------------------------------------- specifications


@dataclass(frozen=True)
class Calibration:
    """How a set is made from a raw column: ``calibrate(data[source], thresholds, type)``.

    Parameters
    ----------
    source : str
        The raw column.
    thresholds : tuple of float
        Fuzzy: the exclusion, crossover and inclusion anchors; crisp: the thresholds.
    type : {"fuzzy", "crisp"}
        The calibration (:func:`kadstudy.sets.calibrate`).

    Raises
    ------
    QCAInputError
        When ``type`` is unknown.
    """

    source: str
    thresholds: tuple[float, ...]
    type: str = "fuzzy"

    def __post_init__(self) -> None:
        object.__setattr__(self, "thresholds", tuple(float(t) for t in self.thresholds))
        if self.type not in ("fuzzy", "crisp"):
            raise QCAInputError(f"calibration type {self.type!r} is unknown; use 'fuzzy' or 'crisp'")


def _frozen_mapping(value: Mapping[str, Any] | Iterable[tuple[str, Any]] | None) -> tuple:
    items = value.items() if isinstance(value, Mapping) else (value or ())
    return tuple(sorted((str(k), v) for k, v in items))


@dataclass(frozen=True)
class Specification:
    """One analysis: which cases, how sets are calibrated, the cut-offs and the solution type.

    ``data`` given to the functions of this module holds one row per case (index = case names)
    and the columns named by the specification: set memberships (conditions and outcome that are
    not calibrated), raw columns (``Calibration.source``) and the variables of ``select``.

    ``select`` maps a variable to the admitted values (compared as text); ``drop`` names cases to
    leave out; cases with a missing value in a set or raw column used are left out. Mappings
    are stored as sorted tuples so that a specification is hashable; pass plain dicts.

    Parameters
    ----------
    outcome : str
        The outcome (an expression such as ``Y`` or ``~Y``).
    conditions : tuple of str
        The conditions.
    incl_cut : float or tuple of float
        Inclusion cut-off(s), as :func:`kadstudy.sets.truth_table`.
    n_cut : int
        Cases a row needs to be more than a remainder.
    pri_cut : float
        PRI cut-off.
    solution : str
        ``conservative``, ``parsimonious`` or ``intermediate``.
    dir_exp : mapping, optional
        Directional expectations of an intermediate solution.
    calibrate : mapping of str to Calibration
        Sets made from raw columns.
    select : mapping of str to value or list of values
        Variable -> admitted values.
    drop : tuple of str
        Cases left out.
    label : str
        A name for reports.

    Raises
    ------
    QCAInputError
        When the solution type is unknown or a calibration is not a :class:`Calibration`.

    Examples
    --------
    >>> spec = Specification(outcome="Y", conditions=("A", "B"), incl_cut=0.8)
    >>> spec.with_incl_cut(0.9).describe(spec)
    'incl_cut 0.9'
    """

    outcome: str
    conditions: tuple[str, ...]
    incl_cut: float | tuple[float, float] = 1.0
    n_cut: int = 1
    pri_cut: float = 0.0
    solution: str = "conservative"
    dir_exp: tuple[tuple[str, Any], ...] | Mapping[str, Any] | None = None
    calibrate: tuple[tuple[str, Calibration], ...] | Mapping[str, Calibration] = ()
    select: tuple[tuple[str, tuple[str, ...]], ...] | Mapping[str, Any] = ()
    drop: tuple[str, ...] = ()
    label: str = ""

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "conditions", tuple(str(c) for c in self.conditions))
        if isinstance(self.incl_cut, list | tuple):
            cuts = tuple(float(v) for v in self.incl_cut)
            set_(self, "incl_cut", cuts[0] if len(cuts) == 1 else cuts)
        else:
            set_(self, "incl_cut", float(self.incl_cut))
        set_(self, "n_cut", int(self.n_cut))
        set_(self, "pri_cut", float(self.pri_cut))
        if self.solution not in SOLUTION_TYPES:
            raise QCAInputError(
                f"solution type {self.solution!r} is unknown; use one of {', '.join(SOLUTION_TYPES)}"
            )
        if self.dir_exp is not None:
            set_(self, "dir_exp", tuple((k, tuple(v) if isinstance(v, list | tuple) else v)
                                        for k, v in _frozen_mapping(self.dir_exp)))
        cal = _frozen_mapping(self.calibrate)
        for name, how in cal:
            if not isinstance(how, Calibration):
                raise QCAInputError(f"calibration of {name!r} must be a Calibration")
        set_(self, "calibrate", cal)
        sel = []
        for var, wanted in _frozen_mapping(self.select):
            values = wanted if isinstance(wanted, list | tuple) else [wanted]
            sel.append((var, tuple(str(v) for v in values)))
        set_(self, "select", tuple(sel))
        set_(self, "drop", tuple(sorted(str(c) for c in self.drop)))

    @property
    def calibrations(self) -> dict[str, Calibration]:
        """Set name -> its calibration."""
        return dict(self.calibrate)  # type: ignore[arg-type]

    @property
    def upper_cut(self) -> float:
        """The inclusion cut-off that decides OUT = 1 (the first of two)."""
        return self.incl_cut[0] if isinstance(self.incl_cut, tuple) else float(self.incl_cut)

    def with_incl_cut(self, value: float) -> Specification:
        """A copy with the (upper) inclusion cut-off ``value`` (a lower contradiction cut-off
        is kept, lowered to ``value`` when needed).

        Parameters
        ----------
        value : float
            The new cut-off.

        Returns
        -------
        Specification
            The copy.
        """
        if isinstance(self.incl_cut, tuple):
            return replace(self, incl_cut=(value, min(self.incl_cut[1], value)))
        return replace(self, incl_cut=value)

    def with_thresholds(self, name: str, thresholds: Sequence[float]) -> Specification:
        """A copy with other calibration thresholds for set ``name``.

        Parameters
        ----------
        name : str
            A calibrated set.
        thresholds : sequence of float
            Its new thresholds.

        Returns
        -------
        Specification
            The copy.

        Raises
        ------
        QCAInputError
            When ``name`` is not calibrated.
        """
        cal = self.calibrations
        if name not in cal:
            raise QCAInputError(
                f"set {name!r} is not calibrated; calibrated sets: {', '.join(cal) or 'none'}"
            )
        cal[name] = replace(cal[name], thresholds=tuple(thresholds))
        return replace(self, calibrate=cal)

    def describe(self, base: Specification | None = None) -> str:
        """What this specification sets, or (given ``base``) what it changes, in one line.

        Parameters
        ----------
        base : Specification, optional
            The specification to compare with.

        Returns
        -------
        str
            E.g. ``incl_cut 0.9; drop c3``; ``same as the initial specification`` when nothing
            differs.
        """
        parts = []

        def differs(attr: str) -> bool:
            return base is None or getattr(self, attr) != getattr(base, attr)

        if differs("incl_cut"):
            cut = self.incl_cut
            parts.append("incl_cut " + (f"{cut[0]:g},{cut[1]:g}" if isinstance(cut, tuple) else f"{cut:g}"))
        if differs("n_cut"):
            parts.append(f"n_cut {self.n_cut}")
        if differs("pri_cut"):
            parts.append(f"pri_cut {self.pri_cut:g}")
        base_cal = base.calibrations if base is not None else {}
        for name, how in self.calibrate:  # type: ignore[misc]
            if base is None or base_cal.get(name) != how:
                parts.append(f"{name} thresholds " + ",".join(f"{t:g}" for t in how.thresholds))
        if differs("select"):
            sel = "; ".join(f"{v} in {','.join(vals)}" for v, vals in self.select)  # type: ignore[misc]
            parts.append(f"select {sel or 'all cases'}")
        if differs("drop") and self.drop:
            parts.append("drop " + ",".join(self.drop))
        elif differs("drop"):
            parts.append("drop none")
        if differs("solution"):
            parts.append(f"{self.solution} solution")
        return "; ".join(parts) if parts else "same as the initial specification"


def _needed_sets(spec: Specification) -> list[str]:
    names = list(spec.conditions)
    for n in parse_expr(spec.outcome).names:
        if n not in names:
            names.append(n)
    return names


def set_memberships(data: pd.DataFrame, spec: Specification) -> pd.DataFrame:
    """The set memberships of the cases that ``spec`` selects: conditions and outcome columns,
    calibrated where ``spec`` says so, index = case names (text).

    Parameters
    ----------
    data : pandas.DataFrame
        The cases (see :class:`Specification`).
    spec : Specification
        The specification.

    Returns
    -------
    pandas.DataFrame
        One row per selected case with every value coded (index ``case``).

    Raises
    ------
    QCAInputError
        When a column is missing or not numeric, ``drop`` names an unknown case, or no case is
        left.
    """
    if not isinstance(data, pd.DataFrame):
        raise QCAInputError("data must be a pandas DataFrame with case names as index")
    frame = data
    mask = np.ones(len(frame), dtype=bool)
    for var, values in spec.select:  # type: ignore[misc]
        if var not in frame.columns:
            raise QCAInputError(f"select: no column {var!r} in the data")
        mask &= frame[var].astype("string").isin(values).fillna(False).to_numpy(dtype=bool)
    if spec.drop:
        names = frame.index.astype(str)
        unknown = sorted(set(spec.drop) - set(names))
        if unknown:
            raise QCAInputError(f"drop: unknown case {unknown[0]!r}")
        mask &= ~names.isin(spec.drop)
    cal = spec.calibrations
    columns: dict[str, np.ndarray] = {}
    for name in _needed_sets(spec):
        source = cal[name].source if name in cal else name
        if source not in frame.columns:
            what = f"raw column {source!r} of set {name!r}" if name in cal else f"column {name!r}"
            raise QCAInputError(f"no {what} in the data")
        raw = frame[source]
        values = pd.to_numeric(raw, errors="coerce").astype("Float64")
        bad = (values.isna() & raw.notna()).to_numpy(dtype=bool)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise QCAInputError(f"column {source!r}, row {str(frame.index[i])!r}: value "
                                f"{raw.iloc[i]!r} is not numeric")
        columns[name] = values.to_numpy(dtype=float, na_value=np.nan)
    out = pd.DataFrame(columns, index=frame.index)
    mask &= ~out.isna().any(axis=1).to_numpy()
    out = out.loc[mask].copy()
    if len(out) == 0:
        raise QCAInputError(f"no case left for the specification ({spec.describe()})")
    for name, how in cal.items():
        if name in out.columns:
            out[name] = calibrate(out[name].to_numpy(), how.thresholds, type=how.type, name=name)
    out.index = out.index.astype(str)
    out.index.name = "case"
    return out


def solve(data: pd.DataFrame, spec: Specification) -> Solution:
    """The solution of ``spec`` on ``data``.

    Parameters
    ----------
    data : pandas.DataFrame
        The cases.
    spec : Specification
        The specification.

    Returns
    -------
    Solution
        As :func:`kadstudy.sets.minimize` returns it.

    Raises
    ------
    QCAInputError
        When the data do not fit the specification or there is no solution.
    """
    frame = set_memberships(data, spec)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", QCAWarning)
        tt = truth_table(frame, spec.outcome, list(spec.conditions), incl_cut=spec.incl_cut,
                         n_cut=spec.n_cut, pri_cut=spec.pri_cut)
        return minimize(tt, solution=spec.solution, dir_exp=dict(spec.dir_exp or ()) or None)


# ---------------------------------------------------------------------------- Boolean algebra


def canonical_term(text: str, conditions: Sequence[str], levels: Mapping[str, int]) -> Term | None:
    """A term such as ``A*~B`` or ``DEV[2]`` as ``((condition, admitted levels), ...)`` in
    condition order; ``None`` when it is contradictory (``A*~A``). ``""`` or ``"1"`` is the
    empty term (always true).

    Parameters
    ----------
    text : str
        The term.
    conditions : sequence of str
        The conditions, in order.
    levels : mapping of str to int
        Levels of multi-value conditions (default 2).

    Returns
    -------
    tuple or None
        The canonical term.

    Raises
    ------
    QCAInputError
        When ``text`` is not a single term.

    Examples
    --------
    >>> canonical_term("~B*A", ["A", "B"], {}), canonical_term("A*~A", ["A", "B"], {})
    ((('A', (1,)), ('B', (0,))), None)
    """
    if text.strip() in ("", "1"):
        return ()
    expr = parse_expr(text, list(conditions))
    if len(expr.terms) != 1:
        raise QCAInputError(f"{text!r} is not a single term")
    admitted: dict[str, set[int]] = {}
    for lit in expr.terms[0]:
        nlev = max(int(levels.get(lit.name, 2)), 2)
        lv = {1} if lit.levels is None else set(lit.levels)
        if lit.negated:
            lv = set(range(nlev)) - lv
        admitted[lit.name] = admitted.get(lit.name, lv) & lv
    if any(not v for v in admitted.values()):
        return None
    admitted = {c: v for c, v in admitted.items() if len(v) < max(int(levels.get(c, 2)), 2)}
    order = {c: i for i, c in enumerate(conditions)}
    return tuple(sorted(((c, tuple(sorted(v))) for c, v in admitted.items()), key=lambda p: order[p[0]]))


def _term_key(term: Term, order: Mapping[str, int]) -> tuple:
    """Shorter terms first, then by condition order, a condition before its negation."""
    return (len(term), [(order[c], tuple(-v for v in lv)) for c, lv in term])


def _generalizations(term: Term, levels: Mapping[str, int]) -> Iterable[Term]:
    """Every other term that contains ``term`` (drops literals or admits more levels)."""
    choices = []
    for c, lv in term:
        nlev = max(int(levels.get(c, 2)), 2, max(lv) + 1)
        rest = [v for v in range(nlev) if v not in lv]
        sups = []
        for r in range(len(rest)):  # proper supersets short of all levels (= no literal)
            for extra in itertools.combinations(rest, r):
                sups.append((c, tuple(sorted((*lv, *extra)))))
        choices.append([None, *sups])
    for combo in itertools.product(*choices):
        general = tuple(lit for lit in combo if lit is not None)
        if general != term:
            yield general


def absorb(terms: Iterable[Term], conditions: Sequence[str],
           levels: Mapping[str, int] | None = None) -> tuple[Term, ...]:
    """Distinct terms without those absorbed by another (A + A*B = A), in a fixed order: shorter
    terms first, then by condition order, a condition before its negation. ``levels`` gives the
    number of levels of multi-value conditions (default 2).

    A term is dropped when any of its generalisations is among the terms (a hash look-up per
    generalisation: at most 2^k for k binary literals), so absorbing n terms is O(n 2^k), not
    O(n^2).

    Parameters
    ----------
    terms : iterable of tuple
        Canonical terms (:func:`canonical_term`).
    conditions : sequence of str
        The conditions, in order.
    levels : mapping of str to int, optional
        Levels of multi-value conditions.

    Returns
    -------
    tuple
        The kept terms, in that order.

    Examples
    --------
    >>> terms = [canonical_term(t, ["A", "B"], {}) for t in ("A*B", "A")]
    >>> expression_text(absorb(terms, ["A", "B"]), {})
    'A'
    """
    order = {c: i for i, c in enumerate(conditions)}
    unique = set(terms)
    lv = levels or {}
    kept = [t for t in unique if not any(g in unique for g in _generalizations(t, lv))]
    return tuple(sorted(kept, key=lambda t: _term_key(t, order)))


def _and_terms(a: Term, b: Term, order: Mapping[str, int]) -> Term | None:
    merged = dict(a)
    for c, lv in b:
        both = set(merged.get(c, lv)) & set(lv)
        if not both:
            return None
        merged[c] = tuple(sorted(both))
    return tuple(sorted(merged.items(), key=lambda p: order[p[0]]))


def expression_and(
    left: Sequence[Term], right: Sequence[Term], conditions: Sequence[str], max_terms: int = MAX_TERMS,
    levels: Mapping[str, int] | None = None,
) -> tuple[Term, ...] | None:
    """The product of two sums of products, expanded and simplified (X*X = X, X*~X = 0,
    absorption).

    Parameters
    ----------
    left, right : sequence of tuple
        Sums of canonical terms.
    conditions : sequence of str
        The conditions, in order.
    max_terms : int
        The most terms the result may have.
    levels : mapping of str to int, optional
        Levels of multi-value conditions.

    Returns
    -------
    tuple or None
        The terms; ``None`` when there would be more than ``max_terms`` (or the expansion more
        than ``EXPANSION_FACTOR * max_terms``).

    Examples
    --------
    A * (B + ~A) = A*B + A*~A = A*B:

    >>> t = {s: canonical_term(s, ["A", "B"], {}) for s in ("A", "B", "~A")}
    >>> expression_text(expression_and([t["A"]], [t["B"], t["~A"]], ["A", "B"]), {})
    'A*B'
    """
    if len(left) * len(right) > EXPANSION_FACTOR * max_terms:
        return None
    order = {c: i for i, c in enumerate(conditions)}
    out = []
    for a in left:
        for b in right:
            t = _and_terms(a, b, order)
            if t is not None:
                out.append(t)
    out_terms = absorb(out, conditions, levels)
    return None if len(out_terms) > max_terms else out_terms


def expression_or(left: Sequence[Term], right: Sequence[Term], conditions: Sequence[str],
                  levels: Mapping[str, int] | None = None) -> tuple[Term, ...]:
    """The sum of two sums of products, simplified by absorption.

    Parameters
    ----------
    left, right : sequence of tuple
        Sums of canonical terms.
    conditions : sequence of str
        The conditions, in order.
    levels : mapping of str to int, optional
        Levels of multi-value conditions.

    Returns
    -------
    tuple
        The terms (see :func:`absorb`).
    """
    return absorb([*left, *right], conditions, levels)


def expression_text(terms: Sequence[Term] | None, levels: Mapping[str, int]) -> str:
    """A sum of canonical terms as text: ``A*~B + C`` (``0`` for no term: the empty set; ``1``
    for the empty term).

    Parameters
    ----------
    terms : sequence of tuple or None
        The terms; ``None`` for a sum too large to expand.
    levels : mapping of str to int
        Levels of multi-value conditions (written ``C[1,2]``).

    Returns
    -------
    str
        The expression.
    """
    if terms is None:
        return f"(more than {MAX_TERMS} terms)"
    if not terms:
        return "0"
    parts = []
    for term in terms:
        if not term:
            parts.append("1")
            continue
        lits = []
        for c, lv in term:
            if int(levels.get(c, 2)) <= 2 and len(lv) == 1:
                lits.append(c if lv[0] == 1 else f"~{c}")
            else:
                lits.append(f"{c}[{','.join(str(v) for v in lv)}]")
        parts.append("*".join(lits))
    return " + ".join(parts)


def term_memberships(terms: Sequence[Term], frame: pd.DataFrame) -> np.ndarray:
    """Memberships (terms × cases) of the cases of ``frame`` (set memberships) in each term:
    the minimum over its literals (a level set of a binary fuzzy condition {1}: x, {0}: 1 - x).

    Parameters
    ----------
    terms : sequence of tuple
        Canonical terms.
    frame : pandas.DataFrame
        Set memberships (:func:`set_memberships`).

    Returns
    -------
    numpy.ndarray
        Shape (terms, cases); 1 for the empty term.
    """
    names = sorted({c for t in terms for c, _ in t}, key=list(frame.columns).index)
    sd = prepare(frame, names) if names else None
    out = np.ones((len(terms), len(frame)))
    for i, term in enumerate(terms):
        for c, lv in term:
            assert sd is not None
            x = sd.column(c)
            if sd.levels[c] == 2:
                mem = x if lv == (1,) else (1.0 - x if lv == (0,) else np.ones_like(x))
            else:
                mem = np.isin(np.round(x), lv).astype(float)
            out[i] = np.minimum(out[i], mem)
    return out


def sop_membership(terms: Sequence[Term], frame: pd.DataFrame) -> np.ndarray:
    """Membership of the cases of ``frame`` in a sum of products (0 for no term).

    Parameters
    ----------
    terms : sequence of tuple
        Canonical terms.
    frame : pandas.DataFrame
        Set memberships (:func:`set_memberships`).

    Returns
    -------
    numpy.ndarray
        The maximum over the terms, one value per case.
    """
    if not terms:
        return np.zeros(len(frame))
    return term_memberships(terms, frame).max(axis=0)


# ---------------------------------------------------------------------------- solving many specs


@dataclass(frozen=True)
class SpecResult:
    """What one specification gives, small enough to send between processes.

    ``models`` is the canonical form of each model (a tuple of terms); ``texts`` the models as
    the minimisation writes them; ``status`` is ``"ok"``, ``"none"`` (no positive row: the empty
    solution), ``"all"`` (no negative row: the solution 1) or ``"error"`` (``message`` says why).
    Made by :func:`spec_result`.
    """

    spec: Specification
    status: str
    models: tuple[Model, ...] = ()
    texts: tuple[str, ...] = ()
    n_cases: int = 0
    levels: tuple[tuple[str, int], ...] = ()
    capped: bool = False
    message: str = ""

    @property
    def key(self) -> Any:
        """Equal for equal solutions: the set of models, each a set of terms."""
        if self.status == "ok":
            return frozenset(frozenset(m) for m in self.models)
        return self.status

    @property
    def first_model(self) -> Model:
        """The model that stands for the solution (the empty model for no solution, the empty
        term for the solution 1)."""
        if self.status == "ok":
            return self.models[0]
        return ((),) if self.status == "all" else ()

    @property
    def text(self) -> str:
        """The solution in one line: ``M1: ... | M2: ...``."""
        if self.status == "none":
            return "no solution (no positive truth table row)"
        if self.status == "all":
            return "1 (no negative truth table row)"
        if self.status == "error":
            return f"error: {self.message}"
        if len(self.texts) == 1:
            return self.texts[0]
        return " | ".join(f"M{i}: {t}" for i, t in enumerate(self.texts, 1))


def spec_result(data: pd.DataFrame, spec: Specification) -> SpecResult:
    """Solve ``spec`` and keep only what comparisons need.

    Parameters
    ----------
    data : pandas.DataFrame
        The cases.
    spec : Specification
        The specification.

    Returns
    -------
    SpecResult
        Its status, models and case count; an error is returned (``status="error"``), not
        raised.
    """
    try:
        frame = set_memberships(data, spec)
    except QCAInputError as exc:
        return SpecResult(spec, "error", message=str(exc))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", QCAWarning)
        try:
            tt = truth_table(frame, spec.outcome, list(spec.conditions), incl_cut=spec.incl_cut,
                             n_cut=spec.n_cut, pri_cut=spec.pri_cut)
        except QCAInputError as exc:
            return SpecResult(spec, "error", n_cases=len(frame), message=str(exc))
        levels = tuple(zip(tt.conditions, (int(v) for v in tt.levels), strict=True))
        base = {"n_cases": len(frame), "levels": levels}
        if len(tt.positive) == 0:
            return SpecResult(spec, "none", **base)
        try:
            sol = minimize(tt, solution=spec.solution, dir_exp=dict(spec.dir_exp or ()) or None)
        except QCAInputError as exc:
            if len(tt.negative) == 0:
                return SpecResult(spec, "all", **base)
            return SpecResult(spec, "error", message=str(exc), **base)
    lv = dict(levels)
    models = []
    for m in sol.models:
        terms = [canonical_term(t, spec.conditions, lv) for t in m.terms]
        models.append(tuple(t for t in terms if t is not None))
    return SpecResult(spec, "ok", tuple(models), tuple(m.expression for m in sol.models),
                      capped=sol.capped, **base)


class _Solver:
    """Solves specifications, remembering results; on ``jobs`` local processes or the Dask
    cluster at ``scheduler`` (:mod:`kadstudy.parallel`). ``used`` holds the specifications
    whose result was asked for (not those solved ahead by :meth:`prefetch`), so that counts do
    not depend on the number of workers."""

    def __init__(self, data: pd.DataFrame, jobs: int = 1, scheduler: str | None = None) -> None:
        if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
            raise QCAInputError(f"jobs must be a whole number >= 1, got {jobs!r}")
        self.data = data
        self.pool = Pool(jobs, scheduler, data, option="scheduler")
        self.memo: dict[Specification, SpecResult] = {}
        self.used: set[Specification] = set()

    @property
    def workers(self) -> int:
        return self.pool.workers

    def __enter__(self) -> _Solver:
        self.pool.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.pool.__exit__(*exc)

    def prefetch(self, specs: Sequence[Specification]) -> None:
        """Solve the specifications not solved yet (in parallel), without marking them used."""
        todo = list(dict.fromkeys(s for s in specs if s not in self.memo))
        if todo:
            self.memo.update(zip(todo, self.pool.map(spec_result, todo), strict=True))

    def many(self, specs: Sequence[Specification]) -> list[SpecResult]:
        self.prefetch(specs)
        self.used.update(specs)
        return [self.memo[s] for s in specs]

    def one(self, spec: Specification) -> SpecResult:
        return self.many([spec])[0]


def solve_many(data: pd.DataFrame, specs: Sequence[Specification], jobs: int = 1,
               scheduler: str | None = None) -> list[SpecResult]:
    """:func:`spec_result` of every specification, in order, on ``jobs`` local processes or
    the Dask cluster at ``scheduler`` (``tcp://host:port``); the same results either way.

    Parameters
    ----------
    data : pandas.DataFrame
        The cases.
    specs : sequence of Specification
        The specifications.
    jobs : int
        Local processes.
    scheduler : str, optional
        A Dask scheduler address.

    Returns
    -------
    list of SpecResult
        One per specification, in order.

    Raises
    ------
    QCAInputError
        When ``jobs`` is not a whole number >= 1.
    """
    with _Solver(data, jobs, scheduler) as solver:
        return solver.many(list(specs))


# ---------------------------------------------------------------------------- sensitivity ranges


@dataclass(frozen=True)
class SensitivityRange:
    """The values of one parameter over which the solution stays the initial one.

    ``low``/``high`` bound the range (``low_open``/``high_open``: the bound itself gives another
    solution); ``exact`` tells whether they are exact breakpoints or bisection estimates.
    ``grid_low``/``grid_high`` are the outermost grid values (``initial`` ± k·``step``) that
    still give the initial solution. ``below``/``above`` are the solutions just outside the range
    (``None`` when the range reaches the end of the admissible or scanned values, ``limit_low``
    /``limit_high`` say which).
    """

    parameter: str
    initial: float
    low: float
    high: float
    low_open: bool
    high_open: bool
    exact: bool
    grid_low: float
    grid_high: float
    step: float
    breakpoints: str
    below: str | None
    above: str | None
    limit_low: str = ""
    limit_high: str = ""

    def format(self, digits: int | None = None) -> str:
        """The range as text, ``(0.667, 0.953]`` with ``digits`` decimals (default: 6
        significant digits); ``≈`` marks bisection estimates, whole numbers for ``n_cut``.

        Parameters
        ----------
        digits : int, optional
            Decimals.

        Returns
        -------
        str
            The interval.
        """
        approx = "" if self.exact else "≈"

        def fmt(v: float) -> str:
            if self.parameter == "n_cut" or math.isinf(v):
                return f"{v:g}"
            return f"{v:.{digits}f}" if digits is not None else f"{v:.6g}"

        return (("(" if self.low_open else "[") + f"{approx}{fmt(self.low)}, {approx}{fmt(self.high)}"
                + (")" if self.high_open else "]"))

    @property
    def interval(self) -> str:
        """The range as text (see :meth:`format`)."""
        return self.format()


@dataclass(repr=False)
class SensitivityResult(ResultMixin):
    """Sensitivity ranges of one specification's solution, made by :func:`sensitivity`.

    Attributes
    ----------
    spec : Specification
        The specification.
    initial : SpecResult
        Its solution.
    ranges : list of SensitivityRange
        One per parameter.
    evaluations : int
        Specifications solved for the ranges.
    """

    spec: Specification
    initial: SpecResult
    ranges: list[SensitivityRange]
    evaluations: int

    def to_frame(self, digits: int | None = None) -> pd.DataFrame:
        """One row per parameter: initial value, range (written with ``digits`` decimals, see
        :meth:`SensitivityRange.format`), grid range, step, what lies beyond each end.

        Parameters
        ----------
        digits : int, optional
            Decimals of the ``range`` text.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``parameter``.
        """
        rows = []
        for r in self.ranges:
            rows.append({
                "parameter": r.parameter,
                "initial": r.initial,
                "range": r.format(digits),
                "low": r.low,
                "high": r.high,
                "exact": r.exact,
                "grid_low": r.grid_low,
                "grid_high": r.grid_high,
                "step": r.step,
                "breakpoints": r.breakpoints,
                "below": r.below if r.below is not None else f"({r.limit_low})",
                "above": r.above if r.above is not None else f"({r.limit_high})",
            })
        frame = pd.DataFrame(rows, columns=["parameter", "initial", "range", "low", "high", "exact",
                                            "grid_low", "grid_high", "step", "breakpoints", "below",
                                            "above"])
        return frame.set_index("parameter")

    def _title(self) -> str:
        return (f"Sensitivity ranges of the solution for {self.spec.outcome} "
                f"({self.evaluations} specifications solved)")


@dataclass(frozen=True)
class _Param:
    """One parameter: how to set it, its admissible values, its breakpoints (if exact)."""

    name: str
    initial: float
    step: float
    setter: Callable[[float], Specification]
    lo: float  # admissible domain [lo, hi]; lo_open/hi_open when the end itself is excluded
    hi: float
    lo_open: bool = False
    hi_open: bool = False
    breakpoints: tuple[float, ...] | None = None  # values where a new interval ends (inclusive)
    bp_text: str = ""
    integer: bool = False


def _grid_values(p: _Param, direction: int, max_steps: int) -> list[float]:
    out = []
    for k in range(1, max_steps + 1):
        v = p.initial + direction * k * p.step
        v = float(round(v)) if p.integer else float(np.round(v, 12))
        if v < p.lo or v > p.hi or (p.lo_open and v <= p.lo) or (p.hi_open and v >= p.hi):
            break
        out.append(v)
    return out


def _scan(solver: _Solver, p: _Param, values: list[float], key: Any) -> tuple[int, SpecResult | None]:
    """Index of the first value whose solution differs from ``key`` (len(values) if none), and
    that solution. Solved ahead in batches of one value per worker; only the values up to the
    first change count as used."""
    batch = max(1, solver.workers)
    for start in range(0, len(values), batch):
        chunk = [p.setter(v) for v in values[start : start + batch]]
        solver.prefetch(chunk)
        for i, s in enumerate(chunk):
            res = solver.one(s)
            if res.key != key:
                return start + i, res
    return len(values), None


def _intervals(p: _Param) -> list[tuple[float, float, bool, float]]:
    """The intervals on which the solution cannot change: ``(left, right, right_open, value)``;
    each is ``(left, right]`` (the first ``[lo, right]``) and ``value`` is the one solved."""
    assert p.breakpoints is not None
    bps = sorted({float(b) for b in p.breakpoints
                  if p.lo <= b <= p.hi and not (p.lo_open and b <= p.lo) and not (p.hi_open and b >= p.hi)})
    out: list[tuple[float, float, bool, float]] = []
    left = p.lo
    for b in bps:
        out.append((left, b, False, b))
        left = b
    if not bps or bps[-1] < p.hi:
        if p.hi_open:
            mid = (left + p.hi) / 2
            out.append((left, p.hi, True, float(math.floor(mid)) if p.integer else mid))
        else:
            out.append((left, p.hi, False, p.hi))
    return out


def _exact_range(solver: _Solver, p: _Param, key: Any) -> tuple[float, bool, str | None, float, bool,
                                                                    str | None]:
    """Walk the intervals between breakpoints outwards from the initial value: the bounds of the
    stable range (with openness) and the solutions just outside."""
    iv = _intervals(p)
    k0 = next((k for k, (_, right, r_open, _) in enumerate(iv)
               if p.initial < right or (not r_open and p.initial <= right + (0 if p.integer else TOL))),
              len(iv) - 1)
    up, above = k0, None
    while up + 1 < len(iv):
        res = solver.one(p.setter(iv[up + 1][3]))
        if res.key != key:
            above = res.text
            break
        up += 1
    down, below = k0, None
    while down > 0:
        res = solver.one(p.setter(iv[down - 1][3]))
        if res.key != key:
            below = res.text
            break
        down -= 1
    if down == 0:
        low, low_open = p.lo, p.lo_open
    elif p.integer:
        low, low_open = iv[down][0] + 1, False
    else:
        low, low_open = iv[down][0], True
    high, high_open = iv[up][1], iv[up][2]
    if p.integer and high_open:
        high, high_open = math.ceil(high) - 1, False
    return low, low_open, below, high, high_open, above


def _bisect(solver: _Solver, p: _Param, same: float, other: float, key: Any) -> tuple[float, SpecResult]:
    tol = p.step / BISECTION_DIVISIONS
    res = solver.one(p.setter(other))
    while abs(other - same) > tol:
        mid = (same + other) / 2
        r = solver.one(p.setter(mid))
        if r.key == key:
            same = mid
        else:
            other, res = mid, r
    return same, res


def _cut_params(data: pd.DataFrame, spec: Specification, steps: Mapping[str, float]) -> list[_Param]:
    """incl_cut, pri_cut and n_cut, with the breakpoints read from the initial truth table."""
    frame = set_memberships(data, spec)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", QCAWarning)
        tt = truth_table(frame, spec.outcome, list(spec.conditions), incl_cut=spec.incl_cut,
                         n_cut=spec.n_cut, pri_cut=spec.pri_cut)
    rows = tt.rows
    n = rows["n"].to_numpy()
    incl = rows["incl"].to_numpy(dtype=float)
    pri = np.nan_to_num(rows["PRI"].to_numpy(dtype=float), nan=0.0)
    observed = n > 0
    ge = lambda a, b: (a > b) | (np.abs(a - b) <= TOL)  # noqa: E731 - as truth_table compares
    kept = observed & (n >= spec.n_cut)
    incl_bps = incl[kept & ge(pri, spec.pri_cut) & ~np.isnan(incl)]
    pri_bps = pri[kept & ge(np.nan_to_num(incl, nan=-1.0), spec.upper_cut)]
    n_bps = n[observed]  # a row below n_cut is a remainder, not a negative: every size counts
    top_n = int(n.max()) if len(n) else 1
    return [
        _Param("incl_cut", spec.upper_cut, steps.get("incl_cut", GRID_DEFAULT["incl_cut"]),
               spec.with_incl_cut, 0.0, 1.0, breakpoints=tuple(incl_bps),
               bp_text="incl of the rows with n >= n_cut and PRI >= pri_cut"),
        _Param("n_cut", float(spec.n_cut), steps.get("n_cut", GRID_DEFAULT["n_cut"]),
               lambda v: replace(spec, n_cut=round(v)), 1.0, float(top_n + 1),
               breakpoints=tuple(float(b) for b in n_bps),
               bp_text="n of the observed rows", integer=True),
        _Param("pri_cut", spec.pri_cut, steps.get("pri_cut", GRID_DEFAULT["pri_cut"]),
               lambda v: replace(spec, pri_cut=v), 0.0, 1.0, breakpoints=tuple(pri_bps),
               bp_text="PRI of the rows with n >= n_cut and incl >= incl_cut"),
    ]


def _calibration_params(data: pd.DataFrame, spec: Specification,
                        steps: Mapping[str, float]) -> list[_Param]:
    """One parameter per calibration threshold: fuzzy anchors (grid), crisp thresholds (exact)."""
    params = []
    cases = set_memberships(data, spec).index
    for name, how in spec.calibrate:  # type: ignore[misc]
        raw = pd.to_numeric(data[how.source], errors="coerce").to_numpy(dtype=float)
        raw = raw[np.isin(data.index.astype(str), cases)]
        lo_raw, hi_raw = float(np.nanmin(raw)), float(np.nanmax(raw))
        default_step = (hi_raw - lo_raw) / ANCHOR_DIVISIONS or 1.0
        th = list(how.thresholds)

        def setter(v: float, j: int, name: str = name, th: list[float] = th) -> Specification:
            new = list(th)
            new[j] = v
            return spec.with_thresholds(name, new)

        if how.type == "fuzzy":
            e, c, i = th
            sign = 1.0 if e < i else -1.0  # increasing: e < c < i; decreasing: e > c > i
            inf = math.inf
            # the admissible interval of each anchor given the two others (strict order)
            bounds = [(-inf, c) if sign > 0 else (c, inf), (min(e, i), max(e, i)),
                      (c, inf) if sign > 0 else (-inf, c)]
            for j, anchor in enumerate(FUZZY_ANCHORS):
                pname = f"calibrate.{name}.{anchor}"
                lo, hi = bounds[j]
                params.append(_Param(pname, th[j], float(steps.get(pname, default_step)),
                                     lambda v, j=j, s=setter: s(v, j), lo, hi, lo_open=True,
                                     hi_open=True, bp_text="grid scan, then bisection"))
        else:
            ordered = sorted(th)
            for j, t in enumerate(th):
                pname = f"calibrate.{name}.threshold{j + 1}"
                pos = ordered.index(t)
                lo = ordered[pos - 1] if pos > 0 else lo_raw
                hi = ordered[pos + 1] if pos + 1 < len(ordered) else hi_raw
                values = np.unique(raw[(raw >= lo) & (raw <= hi)])
                params.append(_Param(pname, t, float(steps.get(pname, default_step)),
                                     lambda v, j=j, s=setter: s(v, j), lo, hi,
                                     lo_open=pos > 0, hi_open=pos + 1 < len(ordered),
                                     breakpoints=tuple(float(v) for v in values),
                                     bp_text=f"raw values of {how.source}"))
    return params


def sensitivity(
    data: pd.DataFrame,
    spec: Specification,
    *,
    parameters: Sequence[str] | None = None,
    steps: Mapping[str, float] | None = None,
    max_steps: int = 100,
    jobs: int = 1,
    scheduler: str | None = None,
) -> SensitivityResult:
    """Sensitivity ranges of the solution of ``spec`` (see the module docstring).

    ``parameters``: names among ``incl_cut``, ``n_cut``, ``pri_cut`` and
    ``calibrate.<set>.<exclusion|crossover|inclusion>`` (fuzzy) or
    ``calibrate.<set>.threshold<k>`` (crisp); default all. ``steps``: grid step per parameter
    (defaults: 0.01 for incl_cut and pri_cut, 1 for n_cut, (max − min)/50 of the raw values
    for calibration anchors). ``max_steps``: grid steps scanned on each side. ``jobs`` local
    processes, or the Dask cluster at ``scheduler`` (``tcp://host:port``), solve the scans
    ahead in batches; the result is the same.

    Parameters
    ----------
    data : pandas.DataFrame
        The cases (see :class:`Specification`).
    spec : Specification
        The initial specification.
    parameters : sequence of str, optional
        The parameters to vary (default: all of this specification).
    steps : mapping of str to float, optional
        Grid step per parameter.
    max_steps : int
        Grid steps scanned on each side.
    jobs : int
        Local processes.
    scheduler : str, optional
        A Dask scheduler address.

    Returns
    -------
    SensitivityResult
        One range per parameter.

    Raises
    ------
    QCAInputError
        When ``max_steps`` is below 1, a step is not positive, a parameter is unknown, or the
        data do not fit the specification.

    Examples
    --------
    Row A*B (3 cases, all Y) has incl 1, row A*~B (c4, c5 Y; c6 not) incl 2/3, the ~A rows incl
    0. At incl_cut 0.6 the solution is A; above 2/3 only A*B is positive; at 0 every row is:

    >>> import pandas as pd
    >>> data = pd.DataFrame({"A": [1, 1, 1, 1, 1, 1, 0, 0, 0], "B": [1, 1, 1, 0, 0, 0, 1, 0, 0],
    ...                      "Y": [1, 1, 1, 1, 1, 0, 0, 0, 0]},
    ...                     index=[f"c{i}" for i in range(1, 10)])
    >>> spec = Specification(outcome="Y", conditions=("A", "B"), incl_cut=0.6)
    >>> res = sensitivity(data, spec, parameters=["incl_cut"])
    >>> res.initial.text, res.ranges[0].interval, res.ranges[0].above
    ('A', '(0, 0.666667]', 'A*B')
    """
    if max_steps < 1:
        raise QCAInputError("max_steps must be at least 1")
    steps = dict(steps or {})
    for k, v in steps.items():
        if not isinstance(v, int | float) or v <= 0:
            raise QCAInputError(f"step for {k!r} must be a positive number, got {v!r}")
    params = _cut_params(data, spec, steps) + _calibration_params(data, spec, steps)
    known = [p.name for p in params]
    if parameters is not None:
        unknown = [p for p in parameters if p not in known]
        if unknown:
            raise QCAInputError(f"unknown sensitivity parameter {unknown[0]!r}; "
                                f"parameters of this specification: {', '.join(known)}")
        params = [p for p in params if p.name in parameters]
    ranges = []
    with _Solver(data, jobs, scheduler) as solver:
        initial = solver.one(spec)
        key = initial.key
        for p in params:
            ups = _grid_values(p, +1, max_steps)
            downs = _grid_values(p, -1, max_steps)
            i_up, res_up = _scan(solver, p, ups, key)
            i_down, res_down = _scan(solver, p, downs, key)
            grid_high = ups[i_up - 1] if i_up > 0 else p.initial
            grid_low = downs[i_down - 1] if i_down > 0 else p.initial
            limit_hi = "admissible maximum" if len(ups) < max_steps else f"{max_steps} steps scanned"
            limit_lo = "admissible minimum" if len(downs) < max_steps else f"{max_steps} steps scanned"
            if p.breakpoints is not None:
                low, low_open, below, high, high_open, above = _exact_range(solver, p, key)
                exact = True
                if p.integer:
                    high = float(high)
            else:
                exact = False
                if res_up is not None:
                    high, r = _bisect(solver, p, grid_high, ups[i_up], key)
                    above, high_open = r.text, False
                else:
                    high, above, high_open = grid_high, None, False
                if res_down is not None:
                    low, r = _bisect(solver, p, grid_low, downs[i_down], key)
                    below, low_open = r.text, False
                else:
                    low, below, low_open = grid_low, None, False
            ranges.append(SensitivityRange(
                p.name, p.initial, low, high, low_open, high_open, exact, grid_low, grid_high,
                p.step, p.bp_text, below, above,
                limit_low="" if below is not None else (limit_lo if not exact else "admissible minimum"),
                limit_high="" if above is not None else (limit_hi if not exact else "admissible maximum"),
            ))
        evaluations = len(solver.used)
    return SensitivityResult(spec, initial, ranges, evaluations)


# ---------------------------------------------------------------------------- robustness test

CASE_TYPES = (
    ("robust typical", "IS*TS_min", True),
    ("robust deviant", "IS*TS_min", False),
    ("shaky typical", "IS*~TS_min", True),
    ("shaky deviant", "IS*~TS_min", False),
    ("possible typical", "~IS*TS_max", True),
    ("possible deviant", "~IS*TS_max", False),
    ("extreme deviant coverage", "~IS*~TS_max", True),
    ("irrelevant", "~IS*~TS_max", False),
)


@dataclass(repr=False)
class RobustnessResult(ResultMixin):
    """The robustness test of an initial solution against a test set (see the module docstring).

    ``memberships`` has one row per case of the initial specification with columns ``IS``,
    ``TS_min``, ``TS_max``, ``RC``, ``ENV`` and ``Y``; ``expressions`` the same sets as Boolean
    expressions (``TS_min``, ``RC`` … ``None`` when larger than ``MAX_TERMS`` terms); ``fit``
    the parameters RF_cov, RF_cons, RF_SC_minTS, RF_SC_maxTS with inclS/covS of IS, RC, TS_min
    and TS_max; ``case_types`` type -> case names; ``case_ratios`` RCR_typ, RCR_dev, RCC_rank.
    Made by :func:`robustness_test`.
    """

    outcome: str
    initial: SpecResult
    tests: list[SpecResult]
    memberships: pd.DataFrame
    expressions: dict[str, str]
    fit: dict[str, float]
    case_types: dict[str, list[str]]
    case_ratios: dict[str, float]
    notes: list[str] = field(default_factory=list)

    @property
    def robust_typical(self) -> list[str]:
        """Cases in the robust core and the outcome."""
        return self.case_types["robust typical"]

    @property
    def robust_deviant(self) -> list[str]:
        """Cases in the robust core but not in the outcome."""
        return self.case_types["robust deviant"]

    def specs_frame(self) -> pd.DataFrame:
        """One row per specification (the initial one first): what it changes, cases, solution,
        and whether it is the initial solution.

        Returns
        -------
        pandas.DataFrame
            Columns ``specification``, ``changes``, ``cases``, ``solution``, ``same``.
        """
        rows = [{"specification": self.initial.spec.label or "initial", "changes": "-",
                 "cases": self.initial.n_cases, "solution": self.initial.text, "same": True}]
        for i, t in enumerate(self.tests, 1):
            rows.append({"specification": t.spec.label or f"test {i}",
                         "changes": t.spec.describe(self.initial.spec), "cases": t.n_cases,
                         "solution": t.text, "same": t.key == self.initial.key})
        return pd.DataFrame(rows, columns=["specification", "changes", "cases", "solution", "same"])

    def fit_frame(self) -> pd.DataFrame:
        """The sets (IS, TS_min, TS_max, RC, ENV) with expression, inclS, PRI and covS.

        Returns
        -------
        pandas.DataFrame
            One row per set.
        """
        y = self.memberships["Y"].to_numpy()
        rows = []
        for name in ("IS", "TS_min", "TS_max", "RC", "ENV"):
            m = sufficiency_measures(self.memberships[name].to_numpy(), y)
            rows.append({"set": name, "expression": self.expressions[name], **m})
        return pd.DataFrame(rows, columns=["set", "expression", "inclS", "PRI", "covS"])

    def to_frame(self) -> pd.DataFrame:
        """The fit of the sets IS, TS_min, TS_max, RC and ENV.

        Returns
        -------
        pandas.DataFrame
            :meth:`fit_frame`.
        """
        return self.fit_frame()

    def summary(self) -> str:
        """Readable text: the specifications, the fit of each set, the robustness parameters
        and the case types.

        Returns
        -------
        str
            Text ending with a newline.
        """
        from kadstudy.results import text_frame

        parts = [f"Robustness test of the solution for {self.outcome} ({len(self.tests)} "
                 f"alternative specifications)"]
        for title, frame in (("Specifications", self.specs_frame()), ("Fit", self.fit_frame()),
                             ("Robustness parameters", self.parameters_frame()),
                             ("Case types", self.cases_frame())):
            parts += ["", f"{title}:", text_frame(frame).to_string(index=False)]
        parts += ["", *self.notes] if self.notes else []
        return "\n".join(parts) + "\n"

    def parameters_frame(self) -> pd.DataFrame:
        """RF_cov, RF_cons, RF_SC_minTS, RF_SC_maxTS, RCR_typ, RCR_dev, RCC_rank as rows.

        Returns
        -------
        pandas.DataFrame
            Columns ``parameter`` and ``value``.
        """
        rows = [{"parameter": k, "value": v} for k, v in {**self.fit, **self.case_ratios}.items()]
        return pd.DataFrame(rows, columns=["parameter", "value"])

    def cases_frame(self) -> pd.DataFrame:
        """One row per case type: the intersection it is, count and case names.

        Returns
        -------
        pandas.DataFrame
            Columns ``type``, ``intersection``, ``n``, ``cases`` (comma separated).
        """
        rows = []
        for name, where, in_y in CASE_TYPES:
            cases = self.case_types[name]
            rows.append({"type": name, "intersection": f"{where} and {'Y' if in_y else '~Y'}",
                         "n": len(cases), "cases": ", ".join(cases)})
        return pd.DataFrame(rows, columns=["type", "intersection", "n", "cases"])

    def figure(self, title: str | None = None) -> Figure:
        """XY plot (SetMethods ``rob.xyplot``) in a new 6 x 6 inch figure; drawn by
        :func:`kadstudy.sets.plot.robustness_xy_plot`, which see.

        Parameters
        ----------
        title : str, optional
            The title (default: the four robustness fit parameters).

        Returns
        -------
        matplotlib.figure.Figure
            The figure.
        """
        from kadstudy.sets.plot import robustness_xy_plot

        return robustness_xy_plot(self, title=title).figure


def _ratio(a: float, b: float) -> float:
    return float(a / b) if b > 0 else float("nan")


def robustness_test(
    data: pd.DataFrame,
    initial: Specification,
    tests: Sequence[Specification],
    *,
    jobs: int = 1,
    scheduler: str | None = None,
    max_terms: int = MAX_TERMS,
) -> RobustnessResult:
    """Test the solution of ``initial`` against the solutions of ``tests`` (alternative
    specifications; make them with :func:`dataclasses.replace` or
    :meth:`Specification.with_thresholds`). See the module docstring for the definitions.

    The specifications are solved on ``jobs`` local processes, or on the Dask cluster at
    ``scheduler`` (``tcp://host:port``, see :mod:`kadstudy.parallel`); the result is the same.

    Parameters
    ----------
    data : pandas.DataFrame
        The cases (see :class:`Specification`).
    initial : Specification
        The initial specification (IS).
    tests : sequence of Specification
        The alternative specifications (the test set); same outcome and conditions.
    jobs : int
        Local processes.
    scheduler : str, optional
        A Dask scheduler address.
    max_terms : int
        The most terms an expression of TS_min, RC, TS_max or ENV is expanded to.

    Returns
    -------
    RobustnessResult
        Memberships, expressions, fit parameters and case types.

    Raises
    ------
    QCAInputError
        When the test set is empty, a test changes the outcome or the conditions, or the
        initial specification has no solution.

    Examples
    --------
    IS = A (at incl_cut 0.6 rows A*B and A*~B are positive); at incl_cut 0.9 only A*B is, so
    TS_min = RC = A*B. RF_cov = covS(RC) / covS(IS) = (3/5) / (5/5) = 0.6 and RF_cons =
    inclS(IS) / inclS(RC) = (5/6) / 1; the A*~B cases are shaky:

    >>> import pandas as pd
    >>> data = pd.DataFrame({"A": [1, 1, 1, 1, 1, 1, 0, 0, 0], "B": [1, 1, 1, 0, 0, 0, 1, 0, 0],
    ...                      "Y": [1, 1, 1, 1, 1, 0, 0, 0, 0]},
    ...                     index=[f"c{i}" for i in range(1, 10)])
    >>> spec = Specification(outcome="Y", conditions=("A", "B"), incl_cut=0.6)
    >>> res = robustness_test(data, spec, [spec.with_incl_cut(0.9)])
    >>> res.expressions["RC"], res.fit["RF_cov"], round(res.fit["RF_cons"], 3)
    ('A*B', 0.6, 0.833)
    >>> res.case_types["shaky typical"], res.case_types["shaky deviant"]
    (['c4', 'c5'], ['c6'])
    """
    if not tests:
        raise QCAInputError("the test set is empty; give at least one alternative specification")
    for t in tests:
        if tuple(t.conditions) != tuple(initial.conditions) or t.outcome != initial.outcome:
            raise QCAInputError(
                f"test specification {t.label or t.describe(initial)!r} changes the outcome or the "
                "conditions; a robustness test keeps them"
            )
    results = solve_many(data, [initial, *tests], jobs=jobs, scheduler=scheduler)
    is_res, test_res = results[0], results[1:]
    if is_res.status == "error":
        raise QCAInputError(f"the initial specification has no solution: {is_res.message}")
    frame = set_memberships(data, initial)
    y = evaluate(frame, initial.outcome)
    conditions = list(initial.conditions)
    levels: dict[str, int] = {}
    for r in results:
        for c, v in r.levels:
            levels[c] = max(levels.get(c, 2), v)
    notes = []
    if is_res.status == "ok" and len(is_res.models) > 1:
        notes.append(f"the initial solution has {len(is_res.models)} models; the first stands for it")
    # distinct test models, each evaluated once on the initial cases
    distinct: dict[Model, np.ndarray] = {}
    for r in test_res:
        model = r.first_model
        if model not in distinct:
            distinct[model] = sop_membership(model, frame)
    several = [r for r in test_res if r.status == "ok" and len(r.models) > 1]
    if several:
        notes.append(f"{len(several)} of the {len(test_res)} test solutions have several models; the "
                     "first of each stands for it")
    errors = [r for r in test_res if r.status == "error"]
    for r in errors[:10]:
        notes.append(f"{r.spec.label or r.spec.describe(initial)}: {r.message}; counted as the empty "
                     "solution")
    if len(errors) > 10:
        notes.append(f"... and {len(errors) - 10} more test specifications without a solution")
    mats = np.vstack(list(distinct.values()))
    ts_min, ts_max = mats.min(axis=0), mats.max(axis=0)
    is_model = is_res.first_model
    is_mem = sop_membership(is_model, frame)
    rc, env = np.minimum(is_mem, ts_min), np.maximum(is_mem, ts_max)

    models = list(distinct)
    ts_min_expr: tuple[Term, ...] | None = absorb(models[0], conditions, levels)
    for m in models[1:]:
        if ts_min_expr is None:
            break
        ts_min_expr = expression_and(ts_min_expr, m, conditions, max_terms, levels)
    ts_max_expr: tuple[Term, ...] = absorb([t for m in models for t in m], conditions, levels)
    rc_expr = (None if ts_min_expr is None
               else expression_and(is_model, ts_min_expr, conditions, max_terms, levels))
    env_expr = expression_or(is_model, ts_max_expr, conditions, levels)
    expressions = {
        "IS": expression_text(absorb(is_model, conditions, levels), levels),
        "TS_min": expression_text(ts_min_expr, levels),
        "TS_max": expression_text(ts_max_expr, levels),
        "RC": expression_text(rc_expr, levels),
        "ENV": expression_text(env_expr, levels),
    }
    sy = np.minimum  # fuzzy AND
    fit_is = sufficiency_measures(is_mem, y)
    fit_rc = sufficiency_measures(rc, y)
    fit = {
        "RF_cov": _ratio(fit_rc["covS"], fit_is["covS"]),
        "RF_cons": _ratio(fit_is["inclS"], fit_rc["inclS"]),
        "RF_SC_minTS": _ratio(sy(is_mem, ts_min).sum(), np.maximum(is_mem, ts_min).sum()),
        "RF_SC_maxTS": _ratio(sy(is_mem, ts_max).sum(), np.maximum(is_mem, ts_max).sum()),
    }
    inter = {
        "IS*TS_min": sy(is_mem, ts_min),
        "IS*~TS_min": sy(is_mem, 1 - ts_min),
        "~IS*TS_max": sy(1 - is_mem, ts_max),
        "~IS*~TS_max": sy(1 - is_mem, 1 - ts_max),
    }
    names = np.asarray(frame.index, dtype=object)
    case_types = {}
    counts = {}
    for name, where, in_y in CASE_TYPES:
        mask = (inter[where] > 0.5) & ((y > 0.5) if in_y else (y < 0.5))
        case_types[name] = [str(c) for c in names[mask]]
        counts[name] = int(mask.sum())
    shaky = int((inter["IS*~TS_min"] > 0.5).sum())
    possible = int((inter["~IS*TS_max"] > 0.5).sum())
    rank = 1 if not shaky and not possible else 2 if not shaky else 3 if not possible else 4
    ratios = {
        "RCR_typ": _ratio(counts["robust typical"], counts["robust typical"] + counts["shaky typical"]
                          + counts["possible typical"]),
        "RCR_dev": _ratio(counts["robust deviant"], counts["robust deviant"] + counts["shaky deviant"]
                          + counts["possible deviant"]),
        "RCC_rank": float(rank),
    }
    memberships = pd.DataFrame({"IS": is_mem, "TS_min": ts_min, "TS_max": ts_max, "RC": rc, "ENV": env,
                                "Y": y}, index=frame.index)
    return RobustnessResult(initial.outcome, is_res, test_res, memberships, expressions, fit, case_types,
                            ratios, notes)


__all__ = [
    "CASE_TYPES",
    "Calibration",
    "RobustnessResult",
    "SensitivityRange",
    "SensitivityResult",
    "SpecResult",
    "Specification",
    "absorb",
    "canonical_term",
    "expression_and",
    "expression_or",
    "expression_text",
    "robustness_test",
    "sensitivity",
    "set_memberships",
    "solve",
    "solve_many",
    "sop_membership",
    "spec_result",
    "term_memberships",
]
