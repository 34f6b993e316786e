"""Theory evaluation (Ragin 1987; Schneider & Wagemann 2012, 11.3; SetMethods'
``theory.evaluation()``): a theory T and an empirical solution S compared through their four
intersections T*S, ~T*S, T*~S and ~T*~S.

For every case: its membership in the solution's terms, S (their maximum), T, and the four
intersections (minimum of the memberships, negation 1 - x); the parameters of fit inclS, PRI,
covS of each for the outcome; the cases in each intersection (membership > 0.5) among those
with Y > 0.5 (covered / uncovered, most / least likely) and Y < 0.5 (inconsistent /
consistent); and each intersection written as a minimal sum of products over the conditions
(found by exact minimisation of its configurations; Boolean algebra on crisp sets).

Differences from SetMethods 4.1: its "Inconsistent Most Likely" cases are read from a column
``T*E`` that does not exist, so it always reports no case there; here they are the cases with
T*S > 0.5 and Y < 0.5. Its Boolean expressions come from admisc's ``intersection``/``negate``
(not necessarily minimal); here one minimal one is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from kadstudy.results import ResultMixin
from kadstudy.sets._format import dumps, num, table
from kadstudy.sets.data import prepare
from kadstudy.sets.errors import QCAInputError
from kadstudy.sets.expr import implicant_to_string, membership, parse_expr

INTERSECTIONS = ("T*S", "~T*S", "T*~S", "~T*~S")
#: (key, intersection, outcome side) as SetMethods names the case groups.
CASE_GROUPS = (
    ("covered most likely", "T*S", "Y > 0.5"),
    ("covered least likely", "~T*S", "Y > 0.5"),
    ("uncovered most likely", "T*~S", "Y > 0.5"),
    ("uncovered least likely", "~T*~S", "Y > 0.5"),
    ("inconsistent most likely", "T*S", "Y < 0.5"),
    ("inconsistent least likely", "~T*S", "Y < 0.5"),
    ("consistent most likely", "T*~S", "Y < 0.5"),
    ("consistent least likely", "~T*~S", "Y < 0.5"),
)


@dataclass(repr=False)
class TheoryEvaluation(ResultMixin):
    """Result of :func:`theory_evaluation`.

    Attributes
    ----------
    theory, solution, outcome : str
        The theory T, the solution S and the outcome, as expressions.
    expressions : dict of str to str
        Each intersection (``T*S``, ``~T*S``, ``T*~S``, ``~T*~S``) as one minimal sum of products
        over the conditions; ``(empty)`` or ``(every case)`` at the extremes.
    memberships : pandas.DataFrame
        Per case (index ``case``): the solution's terms, ``S``, ``T``, the four intersections
        and the outcome.
    fit : pandas.DataFrame
        inclS, PRI and covS for the outcome of each column of ``memberships`` but the outcome.
    cases : dict of str to list of str
        The cases of each group of :data:`CASE_GROUPS` (``covered most likely``, ...).
    """

    theory: str
    solution: str
    outcome: str
    expressions: dict[str, str]
    memberships: pd.DataFrame
    fit: pd.DataFrame
    cases: dict[str, list[str]]

    def to_frame(self) -> pd.DataFrame:
        """The parameters of fit: one row per set (terms, S, T, the intersections).

        Returns
        -------
        pandas.DataFrame
            :attr:`fit` (inclS, PRI, covS), indexed by ``set``.
        """
        return self.fit

    def to_dict(self) -> dict[str, Any]:
        """The result as plain data.

        Returns
        -------
        dict
            ``{"theory", "solution", "outcome", "expressions", "fit": [{"set", "inclS", "PRI",
            "covS"}], "cases": {group: [case, ...]}, "memberships": {set: {case: value}}}``.
        """
        return {
            "theory": self.theory,
            "solution": self.solution,
            "outcome": self.outcome,
            "expressions": dict(self.expressions),
            "fit": [{"set": k, **{m: float(v) for m, v in row.items()}}
                    for k, row in self.fit.iterrows()],
            "cases": {k: list(v) for k, v in self.cases.items()},
            "memberships": {c: {str(i): float(v) for i, v in self.memberships[c].items()}
                            for c in self.memberships.columns},
        }

    def to_json(self) -> str:
        """JSON text of :meth:`to_dict`.

        Returns
        -------
        str
            The JSON document.
        """
        return dumps(self.to_dict())

    def summary(self) -> str:
        """Intersections with their Boolean expressions, fit and cases.

        Returns
        -------
        str
            Text ending with a newline.
        """
        n_pos = int((self.memberships[self.outcome] > 0.5).sum())
        n_neg = int((self.memberships[self.outcome] < 0.5).sum())
        lines = [f"Theory evaluation for {self.outcome}", f"  T (theory):   {self.theory}",
                 f"  S (solution): {self.solution}", ""]
        body = [[k, self.expressions[k]] for k in INTERSECTIONS]
        lines += [table(["", "Boolean expression"], body, "ll"), ""]
        fit = [[k, num(r["inclS"]), num(r["PRI"]), num(r["covS"])] for k, r in self.fit.iterrows()]
        lines += [table(["", "inclS", "PRI", "covS"], fit, "lrrr"), ""]
        for key, inter, side in CASE_GROUPS:
            total = n_pos if side.startswith("Y >") else n_neg
            names = self.cases[key]
            lines.append(f"{key.capitalize()} ({inter} > 0.5, {side}): {len(names)}/{total}"
                         + (f": {', '.join(names)}" if names else ""))
        return "\n".join(lines) + "\n"

    def __str__(self) -> str:
        return self.summary()


def _minimal_sop(configs: set[tuple[int, ...]], conditions: list[str], levels: list[int]) -> str:
    """One minimal sum of products covering exactly ``configs``."""
    from kadstudy.sets.minimize import covers, primes_closed, solve_chart

    total = int(np.prod(levels))
    if not configs:
        return "(empty)"
    if len(configs) == total:
        return "(every case)"
    pos = np.array(sorted(configs), dtype=np.int64)
    primes = primes_closed(pos, levels)
    sol = solve_chart(covers(primes, pos), max_models=1)
    mv = any(v > 2 for v in levels)
    return " + ".join(implicant_to_string(primes[i], conditions, mv) for i in sol.models[0])


def _configs(expr_text: str, conditions: list[str], levels: list[int]) -> set[tuple[int, ...]]:
    from kadstudy.sets.exclude import expression_rows
    from kadstudy.sets.truthtable import decode

    rows = expression_rows(expr_text, conditions, levels)
    return {tuple(int(v) for v in c) for c in decode(np.asarray(rows, np.int64) - 1, levels)}


def _pick_model(solution: Any, model: str | int) -> tuple[str, list[str]]:
    models = solution.models
    if isinstance(model, int):
        if not 1 <= model <= len(models):
            raise QCAInputError(f"model {model} does not exist; the solution has models 1..{len(models)}")
        m = models[model - 1]
    else:
        found = [m for m in models if model in (m.label, m.name)]
        if not found:
            labels = ", ".join(m.label for m in models)
            raise QCAInputError(f"model {model!r} does not exist; models are: {labels}")
        m = found[0]
    return m.expression, list(m.terms)


def theory_evaluation(
    data: pd.DataFrame,
    theory: str,
    solution: Any,
    outcome: str | None = None,
    model: str | int = 1,
) -> TheoryEvaluation:
    """Evaluate ``theory`` against ``solution`` through their four intersections (see the module
    docstring).

    Parameters
    ----------
    data : pandas.DataFrame
        The cases (index) with the conditions and the outcome.
    theory : str
        The theory T, an expression over columns of ``data`` (e.g. ``"A*B + ~C"``).
    solution : Solution or str
        The solution S: a :class:`~kadstudy.sets.solutions.Solution` (its ``model``) or an
        expression.
    outcome : str, optional
        The outcome (an expression, e.g. ``"Y"`` or ``"~Y"``); default: the solution's. Needed
        when ``solution`` is an expression.
    model : int or str
        Which model of a Solution: its number (1 = the first) or label (``"M2"``,
        ``"C1P1 M1"``).

    Returns
    -------
    TheoryEvaluation
        Memberships, fit, cases and Boolean expressions of the intersections.

    Raises
    ------
    QCAInputError
        When ``solution`` is an expression and no ``outcome`` is given, the model does not
        exist, or an expression names a column ``data`` lacks.

    Examples
    --------
    Theory A against the solution A*B: T*S = A*B, ~T*S is empty, T*~S = A*~B, ~T*~S = ~A.
    Case a (A*B, Y) is covered, c (~A*B, Y) is an uncovered case the theory did not expect:

    >>> import pandas as pd
    >>> data = pd.DataFrame({"A": [1, 1, 0, 0], "B": [1, 0, 1, 0], "Y": [1, 0, 1, 0]},
    ...                     index=["a", "b", "c", "d"])
    >>> te = theory_evaluation(data, "A", "A*B", outcome="Y")
    >>> te.expressions
    {'T*S': 'A*B', '~T*S': '(empty)', 'T*~S': 'A*~B', '~T*~S': '~A'}
    >>> te.cases["covered most likely"], te.cases["uncovered least likely"]
    (['a'], ['c'])
    >>> te.fit.loc["T", ["inclS", "covS"]].tolist()
    [0.5, 0.5]
    """
    if isinstance(solution, str):
        if outcome is None:
            raise QCAInputError("name the outcome, e.g. outcome='Y', to evaluate a theory "
                                "against a solution given as an expression")
        sol_text, terms = solution.strip(), parse_expr(solution).term_strings()
    else:
        outcome = outcome or solution.outcome
        sol_text, terms = _pick_model(solution, model)
    known = [str(c) for c in data.columns]
    t_expr = parse_expr(theory, known)
    s_expr = parse_expr(sol_text, known)
    y_expr = parse_expr(str(outcome), known)
    names = [c for c in known if c in set(t_expr.names) | set(s_expr.names)]
    sd = prepare(data, list(dict.fromkeys(names + y_expr.names)))
    cols, levs = sd.as_mapping(), sd.levels
    t = membership(t_expr, cols, levs)
    s = membership(s_expr, cols, levs)
    y = membership(y_expr, cols, levs)
    frame = pd.DataFrame(index=pd.Index([str(c) for c in sd.cases], name="case"))
    for term in terms:
        frame[term] = membership(parse_expr(term, known), cols, levs)
    frame["S"], frame["T"] = s, t
    frame["T*S"] = np.minimum(t, s)
    frame["~T*S"] = np.minimum(1 - t, s)
    frame["T*~S"] = np.minimum(t, 1 - s)
    frame["~T*~S"] = np.minimum(1 - t, 1 - s)
    from kadstudy.sets.measures import sufficiency_measures

    fit = pd.DataFrame(
        [sufficiency_measures(frame[c].to_numpy(), y) for c in frame.columns],
        index=pd.Index(list(frame.columns), name="set"),
    )[["inclS", "PRI", "covS"]]
    out_name = str(y_expr)
    frame[out_name] = y
    cases = {
        key: [c for c, v, o in zip(frame.index, frame[inter], y, strict=True)
              if v > 0.5 and (o > 0.5 if side.startswith("Y >") else o < 0.5)]
        for key, inter, side in CASE_GROUPS
    }
    levels = [int(levs[c]) for c in names]
    t_set, s_set = _configs(str(t_expr), names, levels), _configs(str(s_expr), names, levels)
    every = {tuple(int(v) for v in c) for c in np.ndindex(*levels)}
    parts = {"T*S": t_set & s_set, "~T*S": s_set - t_set, "T*~S": t_set - s_set,
             "~T*~S": every - t_set - s_set}
    expressions = {k: _minimal_sop(v, names, levels) for k, v in parts.items()}
    return TheoryEvaluation(str(t_expr), str(s_expr), out_name, expressions, frame, fit, cases)
