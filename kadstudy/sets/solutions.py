"""Conservative, parsimonious and intermediate solutions of a truth table (as R QCA's
``minimize()``), with their parameters of fit and the counterfactuals they rest on."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from kadstudy.results import ResultMixin
from kadstudy.sets._format import dumps, num
from kadstudy.sets.errors import QCAInputError, QCALimitError, QCAWarning
from kadstudy.sets.exclude import ExcludeSpec, exclude_rows
from kadstudy.sets.expr import implicant_to_string
from kadstudy.sets.limits import Budget, ProgressFn
from kadstudy.sets.measures import sufficiency_measures, unique_coverage
from kadstudy.sets.minimize import (
    CAP_MODELS,
    CAP_NODES,
    MILP_TIME_LIMIT,
    covers,
    primes_closed,
    primes_open,
    solve_chart,
    sort_implicants,
)
from kadstudy.sets.truthtable import TruthTable, decode, mixed_radix, truth_table

SOLUTION_TYPES = ("conservative", "parsimonious", "intermediate")
MAX_EXPANSION = 2_000_000


@dataclass
class TermFit:
    """One term of a model with its inclS, PRI, covS, covU and the cases it covers."""

    term: str
    inclS: float
    PRI: float
    covS: float
    covU: float
    cases: list[list[str]]

    def to_dict(self) -> dict[str, Any]:
        """Measures and cases (flattened)."""
        return {
            "term": self.term,
            "inclS": self.inclS,
            "PRI": self.PRI,
            "covS": self.covS,
            "covU": self.covU,
            "cases": [c for group in self.cases for c in group],
        }


@dataclass
class Model:
    """One model (a disjunction of prime implicants) with overall inclS, PRI, covS."""

    name: str
    terms: list[str]
    implicants: np.ndarray = field(repr=False)
    inclS: float
    PRI: float
    covS: float
    term_measures: list[TermFit]
    key: str = ""

    @property
    def expression(self) -> str:
        """The model as text, ``A*~B + C``."""
        return " + ".join(self.terms)

    @property
    def label(self) -> str:
        """Unique name within its solution: ``M1``, or ``C1P2 M1`` for an intermediate model
        (its conservative x parsimonious pair, as R QCA's ``$i.sol$C1P2``)."""
        return f"{self.key} {self.name}" if self.key else self.name

    def to_dict(self) -> dict[str, Any]:
        """``{"terms", "inclS", "PRI", "covS", "term_measures"}`` (plus ``key`` if any)."""
        out: dict[str, Any] = {
            "terms": list(self.terms),
            "inclS": self.inclS,
            "PRI": self.PRI,
            "covS": self.covS,
            "term_measures": [t.to_dict() for t in self.term_measures],
        }
        if self.key:
            out["key"] = self.key
        return out


@dataclass(repr=False)
class Solution(ResultMixin):
    """The result of :func:`minimize`: one or more equally minimal models.

    Every listed model is minimal: its number of prime implicants is the proven minimum for
    its prime implicant chart (see :func:`kadstudy.sets.minimize.solve_chart`). ``capped``
    tells that the list may be incomplete, ``cap_reasons`` why: ``"max_models"`` (more
    equally minimal models exist than ``max_models``) and/or ``"max_nodes"`` (the search for
    them stopped after ``max_nodes`` branch-and-bound steps; more may exist).

    Counterfactuals (tables of truth table rows, indexed by row number), as R QCA:

    * ``simplifying_assumptions``: R's ``$SA``, the remainders each *parsimonious* model
      covers, keyed ``M1``, ``M2``... (also for an intermediate solution, where they are the
      simplifying assumptions of the parsimonious models P1, P2..., not of the intermediate);
    * ``easy_counterfactuals`` / ``difficult_counterfactuals``: R's ``$i.sol$C1P1$EC`` and
      ``$DC``, per conservative x parsimonious pair ``C1P1``...: the simplifying assumptions
      of parsimonious model P1 that agree with the directional expectations (the intermediate
      solution may use them) and the others;
    * ``remainders_used``: per model (``Model.label``), the remainders its terms actually cover,
      i.e. the simplifying assumptions that model rests on: none for a conservative model, the
      ``simplifying_assumptions`` for a parsimonious one, a subset of the easy counterfactuals
      of its pair for an intermediate one (none when the pair has no easy counterfactual: the
      intermediate model is then a conservative one).
    """

    outcome: str
    conditions: list[str]
    solution_type: str
    models: list[Model]
    capped: bool
    primes: list[str]
    essential: list[str]
    truth_table: TruthTable = field(repr=False)
    simplifying_assumptions: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    easy_counterfactuals: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    difficult_counterfactuals: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    remainders_used: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    dir_exp: dict[str, Any] | list[str] | None = None
    cap_reasons: list[str] = field(default_factory=list)
    max_models: int = 1000
    max_nodes: int = 300_000

    @property
    def cap_notes(self) -> list[str]:
        """One sentence per reason the list of models is capped (empty when complete)."""
        minimal = (
            "Every listed model is minimal (its number of prime implicants is the proven "
            "minimum)."
        )
        n = len(self.models)
        listed = f"{n} model is listed" if n == 1 else f"{n} models are listed"
        notes = []
        if CAP_MODELS in self.cap_reasons:
            notes.append(
                f"NOTE: the list of models is capped: there are more equally minimal models "
                f"than max_models = {self.max_models}; {listed}. {minimal}"
            )
        if CAP_NODES in self.cap_reasons:
            notes.append(
                f"NOTE: the list of models is capped: the search for equally minimal models "
                f"stopped after max_nodes = {self.max_nodes} branch-and-bound steps; {listed} "
                f"and more may exist. {minimal}"
            )
        return notes

    @property
    def terms(self) -> list[str]:
        """Every term used by any model, in order of first use."""
        seen: dict[str, None] = {}
        for m in self.models:
            for t in m.terms:
                seen.setdefault(t, None)
        return list(seen)

    @property
    def cases(self) -> dict[str, list[str]]:
        """Term -> cases (of positive truth table rows) it covers."""
        out: dict[str, list[str]] = {}
        for m in self.models:
            for t in m.term_measures:
                out.setdefault(t.term, [c for g in t.cases for c in g])
        return out

    def to_frame(self) -> pd.DataFrame:
        """One row per (model, term) with inclS, PRI, covS, covU and cases.

        Returns
        -------
        pandas.DataFrame
            Columns ``model`` (its label, ``M1`` or ``C1P1 M1``), ``term``, ``inclS``, ``PRI``,
            ``covS``, ``covU`` and ``cases`` (the list of cases of the positive truth table rows
            the term covers).
        """
        rows = []
        for m in self.models:
            for t in m.term_measures:
                rows.append(
                    {
                        "model": m.label,
                        "term": t.term,
                        "inclS": t.inclS,
                        "PRI": t.PRI,
                        "covS": t.covS,
                        "covU": t.covU,
                        "cases": [c for g in t.cases for c in g],
                    }
                )
        return pd.DataFrame(rows, columns=["model", "term", "inclS", "PRI", "covS", "covU", "cases"])

    def to_dict(self) -> dict[str, Any]:
        """``{"outcome", "conditions", "solution_type", "models": [...]}`` plus ``capped``,
        ``cap_reasons``, ``n_models``, ``models_minimal`` (always true: every listed model has
        the proven minimum number of prime implicants) and ``notes`` (why the list is capped);
        ``simplifying_assumptions``, ``easy_counterfactuals``, ``difficult_counterfactuals`` and
        ``remainders_used`` (see the class) as lists of truth table row numbers, when any."""
        out: dict[str, Any] = {
            "outcome": self.outcome,
            "conditions": list(self.conditions),
            "solution_type": self.solution_type,
            "models": [m.to_dict() for m in self.models],
            "capped": self.capped,
            "cap_reasons": list(self.cap_reasons),
            "n_models": len(self.models),
            "models_minimal": True,
            "notes": self.cap_notes,
        }
        if self.dir_exp is not None:
            out["dir_exp"] = (dict(self.dir_exp) if isinstance(self.dir_exp, Mapping)
                              else list(self.dir_exp))
        for name in ("simplifying_assumptions", "easy_counterfactuals",
                     "difficult_counterfactuals", "remainders_used"):
            tables: dict[str, pd.DataFrame] = getattr(self, name)
            if tables:
                out[name] = {k: [int(r) for r in t.index] for k, t in tables.items()}
        return out

    def to_json(self) -> str:
        """JSON text of :meth:`to_dict`."""
        return dumps(self.to_dict())

    def summary(self) -> str:
        """Plain text as R QCA prints a minimisation: ``M1: A*~B + C -> Y``, the table of
        terms (inclS PRI covS covU cases) and the model line ``M1  inclS PRI covS``."""
        tt = self.truth_table
        cut = f"{tt.incl_cut[0]:g}"
        lines = [
            f"{self.solution_type.capitalize()} solution for {self.outcome} "
            f"(incl.cut = {cut}, n.cut = {tt.n_cut}, pri.cut = {tt.pri_cut:g})",
        ]
        if self.dir_exp is not None:
            lines.append(
                "Directional expectations: "
                + (", ".join(f"{k}={v}" for k, v in self.dir_exp.items())
                   if isinstance(self.dir_exp, Mapping) else ", ".join(self.dir_exp))
            )
        lines += self.cap_notes
        for m in self.models:
            prefix = f"{m.key} " if m.key else ""
            lines += ["", f"{prefix}{m.name}: {m.expression} -> {self.outcome}", ""]
            width = max([len(t) for t in m.terms] + [len(m.name)])
            head = " " * (4 + width) + "  inclS    PRI   covS   covU   cases"
            rule = "-" * max(len(head) + 2, 50)
            lines += [head, rule]
            for i, t in enumerate(m.term_measures, 1):
                cases = "; ".join(",".join(g) for g in t.cases)
                lines.append(
                    f"{i:<2}  {t.term:<{width}}  {num(t.inclS):>5}  {num(t.PRI):>5}  "
                    f"{num(t.covS):>5}  {num(t.covU):>5}   {cases}".rstrip()
                )
            lines += [
                rule,
                f"    {m.name:<{width}}  {num(m.inclS):>5}  {num(m.PRI):>5}  {num(m.covS):>5}",
            ]
        return "\n".join(lines) + "\n"

    def __str__(self) -> str:
        return self.summary()


# ---------------------------------------------------------------------------- helpers


def _implicant_membership(imp: np.ndarray, tt: TruthTable) -> np.ndarray:
    assert tt.data is not None
    x = tt.data.values
    mem = np.ones(x.shape[0])
    for j, code in enumerate(imp):
        if code == 0:
            continue
        level = int(code) - 1
        col = x[:, j]
        if tt.levels[j] == 2:
            lit = col if level == 1 else 1.0 - col
        else:
            lit = (np.round(col) == level).astype(float)
        mem = np.minimum(mem, lit)
    return mem


def _positive_rows(tt: TruthTable) -> tuple[np.ndarray, list[list[str]]]:
    mask = (tt.rows["OUT"] == "1").to_numpy()
    return tt.rows.loc[mask, tt.conditions].to_numpy(np.int64), list(tt.rows.loc[mask, "cases"])


@dataclass
class _TermCache:
    """Everything about one implicant that does not depend on the model it is in."""

    term: str
    membership: np.ndarray
    fit: dict[str, float]
    groups: list[list[str]]


def _term_cache(
    imp: np.ndarray, tt: TruthTable, pos: np.ndarray, pos_cases: list[list[str]]
) -> _TermCache:
    assert tt.y is not None
    mem = _implicant_membership(imp, tt)
    cov = covers(imp[None, :], pos)[0]
    return _TermCache(
        implicant_to_string(imp, tt.conditions, tt.multivalue),
        mem,
        sufficiency_measures(mem, tt.y),
        [pos_cases[r] for r in np.flatnonzero(cov) if pos_cases[r]],
    )


def _fit_model(name: str, imps: np.ndarray, terms: list[_TermCache], tt: TruthTable) -> Model:
    """A model from its implicants and their cached per-term measures: only the union
    (inclS, PRI, covS of the model) and covU depend on the model."""
    assert tt.y is not None
    mems = np.vstack([t.membership for t in terms])
    whole = sufficiency_measures(mems.max(axis=0), tt.y)
    cov_u = unique_coverage(mems, tt.y)
    fits = [
        TermFit(t.term, t.fit["inclS"], t.fit["PRI"], t.fit["covS"], u, list(t.groups))
        for t, u in zip(terms, cov_u, strict=True)
    ]
    return Model(
        name, [t.term for t in terms], imps, whole["inclS"], whole["PRI"], whole["covS"], fits
    )


def _expand(imps: np.ndarray, levels: Sequence[int], budget: Budget | None = None,
            stage: str = "simplifying assumptions") -> np.ndarray:
    """All configurations covered by any of the implicants (unique, sorted)."""
    k = len(levels)
    base = mixed_radix(levels)
    parts = []
    total = 0
    for imp in imps:
        axes = [range(levels[j]) if imp[j] == 0 else [int(imp[j]) - 1] for j in range(k)]
        size = int(np.prod([len(a) for a in axes]))
        total += size
        if budget is not None:
            budget.check(stage, f"{total} configurations implied", 3 * 8 * k * total)
        if total > MAX_EXPANSION:
            raise QCALimitError(
                stage, f"the models imply more than {MAX_EXPANSION:,} configurations",
                f"the listing limit of {MAX_EXPANSION:,} configurations",
                "too many to list counterfactuals; use fewer conditions",
            )
        codes = np.zeros(1, dtype=np.int64)  # mixed-radix codes: one int64 per configuration
        for j, a in enumerate(axes):
            codes = (codes[:, None] + np.asarray(list(a), dtype=np.int64) * base[j]).ravel()
        parts.append(codes)
    if not parts:
        return np.empty((0, k), np.int64)
    return decode(np.unique(np.concatenate(parts)), levels)


def _minus(a: np.ndarray, b: np.ndarray, levels: Sequence[int]) -> np.ndarray:
    """Rows of ``a`` that are not rows of ``b`` (configurations, compared by code)."""
    if len(a) == 0 or len(b) == 0:
        return a
    base = mixed_radix(levels)
    return a[~np.isin(a @ base, b @ base)]


def _frame(configs: np.ndarray, tt: TruthTable) -> pd.DataFrame:
    frame = pd.DataFrame(configs, columns=tt.conditions)
    from kadstudy.sets.truthtable import mixed_radix

    frame.index = pd.Index(configs @ mixed_radix(tt.levels) + 1 if len(configs) else [], name="row")
    return frame


def parse_dir_exp(
    dir_exp: Mapping[str, Any] | Sequence[Any] | str, conditions: Sequence[str], levels: Sequence[int]
) -> dict[str, Any]:
    """Normalise directional expectations to ``{condition: level | [levels] | "-"}``.

    Parameters
    ----------
    dir_exp : mapping, sequence or str
        ``{"A": 1, "B": 0, "C": "-"}``, a sequence aligned with the conditions, or the text
        ``"A=1,B=0,C=-"``.
    conditions : sequence of str
        The truth table's conditions.
    levels : sequence of int
        The number of levels of each condition (2 for crisp and fuzzy sets).

    Returns
    -------
    dict
        Condition -> expected level, list of levels, or ``"-"``; a condition not named gets
        ``"-"`` (no expectation).

    Raises
    ------
    QCAInputError
        An unknown condition or a level the condition does not have.

    Examples
    --------
    >>> from kadstudy.sets import parse_dir_exp
    >>> parse_dir_exp("A=1,B=0", ["A", "B", "C"], [2, 2, 2])
    {'A': 1, 'B': 0, 'C': '-'}
    """
    if isinstance(dir_exp, str):
        items: dict[str, Any] = {}
        for part in dir_exp.split(","):
            if not part.strip():
                continue
            if "=" not in part:
                raise QCAInputError(
                    f"malformed directional expectation {part.strip()!r}; write e.g. A=1,B=0,C=-"
                )
            k, v = (s.strip() for s in part.split("=", 1))
            items[k] = v
        dir_exp = items
    elif not isinstance(dir_exp, Mapping):
        seq = list(dir_exp)
        if len(seq) != len(conditions):
            raise QCAInputError(
                f"{len(seq)} directional expectations for {len(conditions)} conditions; "
                "give one per condition"
            )
        dir_exp = dict(zip(conditions, seq, strict=True))
    out: dict[str, Any] = {}
    for name in dir_exp:
        if name not in conditions:
            raise QCAInputError(
                f"directional expectation for unknown condition {name!r}; "
                f"conditions are: {', '.join(conditions)}"
            )
    for name, nlev in zip(conditions, levels, strict=True):
        raw = dir_exp.get(name, "-")
        values = raw if isinstance(raw, list | tuple) else str(raw).split(";")
        values = [str(v).strip() for v in values]
        if values == ["-"] or values == [""]:
            out[name] = "-"
            continue
        try:
            lv = sorted({int(float(v)) for v in values})
        except ValueError:
            raise QCAInputError(
                f"directional expectation {name}={raw!r} is not 1, 0 or '-'; write e.g. {name}=1"
            ) from None
        if any(v < 0 or v >= nlev for v in lv):
            raise QCAInputError(
                f"directional expectation {name}={raw!r} is not a level of {name} "
                f"(0..{nlev - 1}); use 1, 0 or '-'"
            )
        out[name] = lv[0] if len(lv) == 1 else lv
    return out


Expectation = dict[int, set[int]]  # condition index -> expected implicant codes (level + 1)


def _is_expression_form(dir_exp: Any, conditions: Sequence[str]) -> bool:
    """R's form ``c("A", "~B", "C*D")`` (or the text ``"A, ~B, C*D"``), as opposed to
    ``{"A": 1}`` / ``"A=1,B=0"`` / values aligned with the conditions."""
    if isinstance(dir_exp, str):
        return "=" not in dir_exp
    if isinstance(dir_exp, Mapping):
        return False
    items = list(dir_exp)
    return bool(items) and all(
        isinstance(v, str) and v.strip() not in ("-", "") and not v.strip().lstrip("-").replace(
            ".", "", 1).replace(";", "").isdigit() for v in items
    )


def _expectations(
    dir_exp: Mapping[str, Any] | Sequence[Any] | str, conditions: Sequence[str],
    levels: Sequence[int],
) -> tuple[dict[str, Any] | list[str], list[Expectation]]:
    """Directional expectations as printed (a mapping, or R-style conjunctions) and as a list
    of expectations, each condition index -> expected implicant codes. A one-condition
    expectation is R's simple one; ``"A*~B"`` is conjunctural (A and ~B expected jointly)."""
    if not _is_expression_form(dir_exp, conditions):
        de = parse_dir_exp(dir_exp, conditions, levels)
        out: list[Expectation] = []
        for j, name in enumerate(conditions):
            v = de[name]
            if v != "-":
                out.append({j: {x + 1 for x in (v if isinstance(v, list) else [v])}})
        return de, out
    from kadstudy.sets.exclude import _literal_levels
    from kadstudy.sets.expr import parse_expr

    texts = dir_exp.split(",") if isinstance(dir_exp, str) else [str(v) for v in dir_exp]
    texts = [t.strip() for t in texts if t.strip()]
    out = []
    for text in texts:
        try:
            expr = parse_expr(text, list(conditions))
        except QCAInputError as exc:
            raise QCAInputError(
                f"malformed directional expectation {text!r} ({exc}); write A=1,B=0,C=- or "
                "R's conjunctions, e.g. 'A, ~B, C*D'"
            ) from None
        if len(expr.terms) != 1:
            raise QCAInputError(
                f"directional expectation {text!r} is a disjunction; give conjunctions only, "
                "e.g. dir_exp=['A', '~B', 'C*D']"
            )
        exp: Expectation = {}
        for lit in expr.terms[0]:
            j = list(conditions).index(lit.name)
            codes = {v + 1 for v in _literal_levels(lit, int(levels[j]))}
            if j in exp and not exp[j] & codes:
                raise QCAInputError(
                    f"directional expectation {text!r} expects {lit.name} both present and "
                    "absent; write one literal per condition"
                )
            exp[j] = exp[j] & codes if j in exp else codes
        out.append(exp)
    return texts, out


def _easy_term(comp: np.ndarray, lit: np.ndarray, expectations: list[Expectation]) -> np.ndarray:
    """R QCA's intermediate term of a conservative term ``comp`` under a parsimonious term
    whose literals are ``lit`` (C_getEC): a literal of ``comp`` that the parsimonious term
    drops is removed when it contradicts the expectations. Simple expectations: removed when
    the condition has one and ``comp``'s level is not expected. Conjunctural ones (``A*~B``):
    the dropped literals of the conjunction are removed together unless all of them agree.

    Differences from R's C code (QCA 3.23 and 3.25.1; docs/r-differences.md): there, a conjunctural
    expectation restarts from ``comp``, so the simple expectations' removals and those of all
    but the last conjunctural expectation are lost; here all removals are made."""
    res = comp.copy()
    dropped = set(np.flatnonzero((comp > 0) & ~lit).tolist())
    simple = [e for e in expectations if len(e) == 1]
    for j in sorted(dropped):
        hits = [e[j] for e in simple if j in e]
        if hits and not any(int(comp[j]) in h for h in hits):
            res[j] = 0
    for exp in expectations:
        if len(exp) < 2:
            continue
        cols = [j for j in exp if j in dropped]
        if not all(int(comp[j]) in exp[j] for j in cols):
            for j in cols:
                res[j] = 0
    return res


def _models(
    primes: np.ndarray, pos: np.ndarray, limits: dict[str, Any], reasons: set[str]
) -> tuple[np.ndarray, list[tuple[int, ...]]]:
    budget = limits.get("budget")
    if budget is not None:
        budget.check("cover search", f"a chart of {len(primes)} PIs and {len(pos)} configurations",
                     3 * len(primes) * len(pos) + primes.nbytes)
    chart = covers(primes, pos, budget)
    keep = chart.any(axis=1)
    primes, chart = primes[keep], chart[keep]
    sol = solve_chart(chart, **limits)
    if sol.cap_reason:
        reasons.add(sol.cap_reason)
    return primes, sol.models


def minimize(
    data: TruthTable | pd.DataFrame,
    outcome: str | None = None,
    conditions: Sequence[str] | None = None,
    *,
    solution: str = "conservative",
    dir_exp: Mapping[str, Any] | Sequence[Any] | str | None = None,
    incl_cut: float | Sequence[float] = 1.0,
    n_cut: int = 1,
    pri_cut: float = 0.0,
    max_models: int = 1000,
    complete_primes: bool = False,
    max_nodes: int = 300_000,
    time_limit: float | None = MILP_TIME_LIMIT,
    exclude: ExcludeSpec | Mapping[int, str] | None = None,
    memory_budget: int | None = None,
    progress: ProgressFn | None = None,
) -> Solution:
    """Minimise a truth table (or build one from ``data`` first), as R QCA's ``minimize()``.

    Every model with the fewest prime implicants is returned, at most ``max_models``. The fewest
    number is proven exactly (an integer program when needed); the search for all models of that
    size spends at most ``max_nodes`` branch-and-bound steps per chart. When either cap is
    reached, ``Solution.capped`` is true, ``Solution.cap_reasons`` says which and a warning is
    issued; the listed models are then all minimal, but not all of them.

    Parameters
    ----------
    data : TruthTable or pandas.DataFrame
        A truth table, or data to build one from with ``outcome``, ``conditions``, ``incl_cut``,
        ``n_cut`` and ``pri_cut`` (as :func:`truth_table`).
    outcome, conditions, incl_cut, n_cut, pri_cut
        Only with a data frame: the arguments of :func:`truth_table`.
    solution : {"conservative", "parsimonious", "intermediate"}, default "conservative"
        No remainders; any remainder that helps; or the easy counterfactuals under ``dir_exp``
        (R QCA's algorithm).
    dir_exp : mapping, sequence or str, optional
        Directional expectations of the intermediate solution: ``"A=1,B=0,C=-"``, a mapping
        ``{"A": 1, "B": 0, "C": "-"}``, or R's form ``["A", "~B", "C*D"]`` (or ``"A, ~B, C*D"``),
        where a conjunction is a conjunctural expectation (see :func:`_easy_term`).
    max_models : int, default 1000
        The most models listed.
    complete_primes : bool, default False
        True disables R QCA's early stop of the parsimonious prime implicant search (every
        complexity level is searched).
    max_nodes : int, default 300000
        The branch-and-bound steps per chart of the search for all minimal models.
    time_limit : float or None, default 300.0
        Seconds for the whole minimisation (prime implicant search, cover search, intermediate
        solution); None for no limit.
    exclude : row numbers, expressions or mapping, optional
        R QCA's ``exclude`` (the Enhanced Standard Analysis): rows kept out of the minimisation
        by coding them ``OUT = 0``: row numbers, expressions (their unobserved subset rows, e.g.
        ``"A*~B"``), or a mapping row -> reason; see :func:`kadstudy.sets.exclude.exclude_rows`,
        :func:`kadstudy.sets.esa.esa` and :func:`kadstudy.sets.esa.find_rows`.
    memory_budget : int or None, optional
        Bytes the growing structures may take; None for no budget.
    progress : callable, optional
        ``progress(stage, detail)`` is called as the stages advance (e.g. for a progress display).

    Returns
    -------
    Solution
        The models with their terms and fit (inclS, PRI, covS, covU, cases), the remainders used
        (``simplifying_assumptions``, ``easy_counterfactuals``, ``difficult_counterfactuals``,
        ``remainders_used``); ``summary()`` prints it as R does, ``to_dict()`` exports it.

    Raises
    ------
    QCAInputError
        Nothing to explain (no row with OUT = 1), an unknown solution type, or a bad
        ``dir_exp`` or ``exclude``.
    QCALimitError
        ``time_limit`` or ``memory_budget`` was reached; it names the stage, how far it got and
        what to change (there is never a partial result).

    Examples
    --------
    >>> import pandas as pd
    >>> from kadstudy.sets import minimize, truth_table
    >>> d = pd.DataFrame({"A": [1, 1, 0, 0, 1], "B": [1, 0, 1, 0, 1], "Y": [1, 1, 0, 0, 1]},
    ...                  index=["c1", "c2", "c3", "c4", "c5"])
    >>> sol = minimize(truth_table(d, "Y"), solution="parsimonious")
    >>> [model.terms for model in sol.models]
    [['A']]
    >>> sol.models[0].inclS, sol.models[0].covS
    (1.0, 1.0)
    """
    if solution not in SOLUTION_TYPES:
        raise QCAInputError(
            f"solution type {solution!r} is unknown; use one of {', '.join(SOLUTION_TYPES)}"
        )
    if max_models < 1:
        raise QCAInputError("max_models must be at least 1")
    if max_nodes < 1:
        raise QCAInputError("max_nodes must be at least 1")
    if isinstance(data, TruthTable):
        tt = data
    else:
        if outcome is None:
            raise QCAInputError("name the outcome, e.g. outcome='Y'")
        tt = truth_table(data, outcome, conditions, incl_cut=incl_cut, n_cut=n_cut, pri_cut=pri_cut)
    if exclude is not None:
        tt = exclude_rows(tt, exclude)
    pos, pos_cases = _positive_rows(tt)
    if len(pos) == 0:
        raise QCAInputError(
            "no truth table row has OUT = 1, nothing to explain; lower incl_cut or check the outcome"
        )
    neg = tt.negative
    levels = tt.levels
    mv = tt.multivalue

    def write(imps: np.ndarray) -> list[str]:
        return [implicant_to_string(p, tt.conditions, mv) for p in imps.tolist()]

    cache: dict[tuple[int, ...], _TermCache] = {}

    def build(primes: np.ndarray, models: list[tuple[int, ...]], key: str = "") -> list[Model]:
        keys = {j: tuple(primes[j].tolist()) for m in models for j in m}
        out = []
        for i, m in enumerate(models, 1):
            for j in m:
                if keys[j] not in cache:
                    cache[keys[j]] = _term_cache(primes[j], tt, pos, pos_cases)
            terms = [cache[keys[j]] for j in m]
            model = _fit_model(f"M{i}", primes[list(m)], terms, tt)
            model.key = key
            out.append(model)
        return out

    reasons: set[str] = set()
    budget = Budget(time_limit, memory_budget, progress)
    limits = {"max_models": max_models, "max_nodes": max_nodes, "time_limit": time_limit, "budget": budget}
    if solution != "parsimonious":
        cons_primes = primes_closed(pos, levels, budget)
        cons_primes, cons_models = _models(cons_primes, pos, limits, reasons)
    if solution == "conservative":
        models = build(cons_primes, cons_models)
        primes_used = cons_primes
        extra: dict[str, Any] = {}
    else:
        search = primes_open(pos, neg, levels, complete=complete_primes, budget=budget)
        par_reasons: set[str] = set()
        par_primes, par_models = _models(search.primes, pos, limits, par_reasons)
        sa = {}
        for i, m in enumerate(par_models, 1):
            sa[f"M{i}"] = _frame(_minus(_expand(par_primes[list(m)], levels, budget), pos, levels), tt)
        if solution == "parsimonious":
            models = build(par_primes, par_models)
            primes_used, reasons = par_primes, par_reasons
            extra = {"simplifying_assumptions": sa}
        else:
            reasons |= par_reasons  # intermediate models combine conservative x parsimonious
            if dir_exp is None:
                raise QCAInputError(
                    "the intermediate solution needs directional expectations, e.g. "
                    "dir_exp='A=1,B=0,C=-'"
                )
            de, expectations = _expectations(dir_exp, tt.conditions, levels)
            models, ec, dc = [], {}, {}
            all_primes = []
            pairs = ((ci, cm, pi, pm) for ci, cm in enumerate(cons_models, 1)
                     for pi, pm in enumerate(par_models, 1))
            for ci, cm, pi, pm in pairs:
                if len(models) >= max_models:   # the cap counts models over all C x P pairs
                    reasons.add(CAP_MODELS)
                    break
                key = f"C{ci}P{pi}"
                budget.check("intermediate solution", f"{len(models)} intermediate models from "
                             f"conservative model {ci} x parsimonious model {pi}")
                sa_rows = sa[f"M{pi}"].to_numpy(np.int64)
                res_terms = []
                for comp in cons_primes[list(cm)]:
                    for pars in par_primes[list(pm)]:
                        lit = pars > 0
                        if not np.all(comp[lit] == pars[lit]):
                            continue
                        res_terms.append(_easy_term(comp, lit, expectations))
                if res_terms and len(sa_rows):
                    easy = sa_rows[covers(np.array(res_terms), sa_rows).any(axis=0)]
                else:
                    easy = np.empty((0, len(levels)), np.int64)
                ec[key] = _frame(easy, tt)
                dc[key] = _frame(_minus(sa_rows, easy, levels), tt)
                int_primes = primes_closed(np.vstack([pos, easy]), levels, budget, "intermediate solution")
                left = {**limits, "max_models": max_models - len(models)}
                int_primes, int_models = _models(int_primes, pos, left, reasons)
                models += build(int_primes, int_models, key)
                all_primes.append(int_primes)
            primes_used = np.unique(np.vstack(all_primes), axis=0)
            primes_used = primes_used[sort_implicants(primes_used)]
            extra = {
                "simplifying_assumptions": sa,
                "easy_counterfactuals": ec,
                "difficult_counterfactuals": dc,
                "dir_exp": de,
            }
    if CAP_MODELS in reasons:
        warnings.warn(
            f"more than {max_models} equally minimal models; only the first {max_models} "
            "are listed, each of them minimal (raise max_models to see more)",
            QCAWarning,
            stacklevel=2,
        )
    if CAP_NODES in reasons:
        warnings.warn(
            f"the search for equally minimal models stopped after {max_nodes} "
            "branch-and-bound steps; the listed models are minimal but more may exist "
            "(raise max_nodes to search further)",
            QCAWarning,
            stacklevel=2,
        )
    used = {}
    for m in models:
        implied = _expand(m.implicants, levels, budget, "remainders used")
        used[m.label] = _frame(_minus(implied, pos, levels), tt)
    term_sets = [set(m.terms) for m in models]
    all_primes_text = write(primes_used)
    essential = [t for t in all_primes_text if all(t in s for s in term_sets)]
    return Solution(
        outcome=tt.outcome,
        conditions=list(tt.conditions),
        solution_type=solution,
        models=models,
        capped=bool(reasons),
        cap_reasons=sorted(reasons),
        max_models=max_models,
        max_nodes=max_nodes,
        primes=all_primes_text,
        essential=essential,
        truth_table=tt,
        remainders_used=used,
        **extra,
    )
