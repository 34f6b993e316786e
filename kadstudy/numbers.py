"""Numbers as text: one set of rules for every report, table, Markdown/HTML page and CSV export.

A number is printed only to the digits it carries, so the same inputs give the same bytes on any
CPU or BLAS build (an iterative fit or a float sum differs between them in the last bits):

- **estimate** (odds and hazard ratios, coefficients, standard errors, interval bounds, test
  statistics, other output of a fit): ``SIGNIFICANT`` = 3 significant digits, trailing zeros
  kept (``2880``, ``0.0300``, ``1.00``); positional from 0.001 to below 10^6, else scientific
  (``1.17e11``, ``4.90e-5``);
- **measure** (QCA inclS, PRI, covS, covU, inclN, RoN, covN, memberships, other closed-form
  proportions and descriptive means): ``DECIMALS`` = 3 decimals, as R QCA prints them (``0.815``);
- **p** (p-values): 3 decimals without the leading zero, ``< .001`` below 0.001 (``.042``,
  ``1.000``);
- **count**: an integer (``12``), also when it is held as a float (``12.0``);
- **text**: as is.

Missing (None, NaN, pd.NA) is an empty cell. An unbounded value (an interval bound that does not
exist) is ``∞`` / ``-∞``; the reason belongs in a note beside it, never a 12-digit number.

In a CSV every non-integer number has ``CSV_SIGNIFICANT`` = 6 significant digits, integers
(counts, and integral values) are written as integers, infinities as ``inf`` / ``-inf``, missing
as an empty field. Six digits are far more than the models determine and far fewer than the
15-17 of a float's repr, whose last ones differ between machines.

Each table declares the kind of its columns where it is produced (``Report.table(...,
kinds={"OR": "estimate", ...})``, and ``default=`` for the rest); a column it does not declare
gets :func:`column_kind`: its name (QCA measures, p-values, counts, model estimates), else the
table's default, else values within [-1, 1] are measures, other integral values counts, and other
numbers estimates. ``"measure:2"`` or ``"estimate:4"`` change the digits.

Pure Python (the standard library only), so the set engine and the command line can use it cheaply.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping
from typing import Any

SIGNIFICANT = 3
DECIMALS = 3
P_DECIMALS = 3
CSV_SIGNIFICANT = 6
INF = "∞"
KINDS = ("estimate", "measure", "p", "count", "text")
#: columns that are QCA measures by name (printed with R's 3 decimals)
MEASURE_NAMES = frozenset({"inclS", "PRI", "covS", "covU", "inclN", "RoN", "covN", "incl", "cov"})
#: columns that are p-values by name
P_NAMES = frozenset({"p", "pval", "p_value", "p-value", "Pr(>|z|)", "Pr(>|t|)", "Pr(>Chisq)"})
#: columns that are estimates by name (3 significant digits)
ESTIMATE_NAMES = frozenset({"coef", "se", "OR", "OR_low", "OR_high", "HR", "HR_low", "HR_high",
                            "z", "statistic", "chi2", "EPV", "VIF", "log_likelihood", "loglik"})
#: columns that are counts by name
COUNT_NAMES = frozenset({"N", "n", "events", "non_events", "cases", "count", "permutations",
                         "failed", "parameters", "dropped", "at_risk", "censored", "df"})

Spec = str  # a kind, optionally with digits: "estimate", "estimate:4", "measure:2", "p", ...


def is_missing(x: Any) -> bool:
    """None, NaN, pd.NA or NaT."""
    if x is None:
        return True
    if isinstance(x, float | numbers.Real) and not isinstance(x, bool | numbers.Integral):
        return math.isnan(float(x))
    try:
        return bool(x != x)  # pd.NA != pd.NA raises; NaT != NaT is True
    except TypeError:
        return True


def is_number(x: Any) -> bool:
    """A real number (not a bool)."""
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def _is_int(x: Any) -> bool:
    return isinstance(x, numbers.Integral) and not isinstance(x, bool)


def _unsigned_zero(text: str) -> str:
    """'-0.000' -> '0.000': a value that rounds to zero has no sign."""
    if text.startswith("-") and not text.strip("-0.e"):
        return text[1:]
    return text


def _infinite(x: float, csv: bool = False) -> str:
    if csv:
        return "inf" if x > 0 else "-inf"
    return INF if x > 0 else f"-{INF}"


def significant(x: float, digits: int = SIGNIFICANT) -> str:
    """``x`` with ``digits`` significant digits (round half to even on the exact binary value,
    as Python's formatting): positional for ``0.001 <= |x| < 10^6``, else ``m.mme±k``."""
    if digits < 1:
        raise ValueError("digits must be at least 1")
    x = float(x)
    if math.isnan(x):
        return ""
    if math.isinf(x):
        return _infinite(x)
    if x == 0:
        return "0"
    mantissa, exp_text = f"{abs(x):.{digits - 1}e}".split("e")
    exp = int(exp_text)
    sign = "-" if x < 0 else ""
    ds = mantissa.replace(".", "")
    if exp < -3 or exp >= 6:
        m = ds[0] + ("." + ds[1:] if len(ds) > 1 else "")
        return f"{sign}{m}e{exp}"
    if exp >= digits - 1:
        return sign + ds + "0" * (exp - digits + 1)
    if exp >= 0:
        return f"{sign}{ds[:exp + 1]}.{ds[exp + 1:]}"
    return f"{sign}0.{'0' * (-exp - 1)}{ds}"


def fixed(x: float, decimals: int = DECIMALS, missing: str = "") -> str:
    """``x`` with ``decimals`` decimals (R's printing of QCA measures); ``missing`` when undefined."""
    if is_missing(x):
        return missing
    x = float(x)
    if math.isinf(x):
        return _infinite(x)
    return _unsigned_zero(f"{x:.{decimals}f}")


def pvalue(p: float) -> str:
    """A p-value: ``< .001`` below 0.001, else 3 decimals without the leading zero (``.042``)."""
    if is_missing(p):
        return ""
    p = float(p)
    floor = 10.0 ** -P_DECIMALS
    if p < floor:
        return f"< {f'{floor:.{P_DECIMALS}f}'.removeprefix('0')}"
    text = f"{min(p, 1.0):.{P_DECIMALS}f}"
    return text.removeprefix("0")


def count(x: float) -> str:
    """An integer; a non-integral value (a count that is not one) keeps its significant digits."""
    if is_missing(x):
        return ""
    if _is_int(x):
        return str(int(x))
    xf = float(x)
    if math.isinf(xf):
        return _infinite(xf)
    if xf.is_integer():
        return str(int(xf))
    return significant(xf)


def parameter(x: float) -> str:
    """A value given or observed, not estimated (a cut-off, a threshold, a seed, a coded year): an
    integer when integral, else up to ``CSV_SIGNIFICANT`` significant digits without trailing
    zeros (``10``, ``0.8``)."""
    if is_missing(x):
        return ""
    if _is_int(x) or float(x).is_integer():
        return count(x)
    xf = float(x)
    return _infinite(xf) if math.isinf(xf) else f"{xf:.{CSV_SIGNIFICANT}g}"


def p_text(p: float) -> str:
    """A p-value in prose: ``p = .042`` or ``p < .001``."""
    text = pvalue(p)
    return f"p {text}" if text.startswith("<") else f"p = {text}"


def parse_spec(spec: Spec) -> tuple[str, int | None]:
    """``"measure:2"`` -> ("measure", 2); ``"p"`` -> ("p", None)."""
    kind, _, digits = spec.partition(":")
    if kind not in KINDS:
        raise ValueError(f"unknown number kind {kind!r}; use one of {', '.join(KINDS)}")
    return kind, (int(digits) if digits else None)


def fmt(x: Any, kind: Spec = "estimate") -> str:
    """One value as text for people (Markdown, HTML, prose), by its kind."""
    if is_missing(x):
        return ""
    if isinstance(x, bool) or not is_number(x):
        return str(x)
    k, digits = parse_spec(kind)
    if k == "text":
        return str(x)
    if _is_int(x) and k != "p":
        return str(int(x))
    if k == "measure":
        return fixed(x, DECIMALS if digits is None else digits)
    if k == "p":
        return pvalue(x)
    if k == "count":
        return count(x)
    return significant(x, SIGNIFICANT if digits is None else digits)


def csv_value(x: Any, kind: Spec = "estimate") -> str:
    """One value as a CSV field: integers as integers, other numbers with ``CSV_SIGNIFICANT``
    significant digits (Python ``g`` format), ``inf``/``-inf``, missing empty."""
    if is_missing(x):
        return ""
    if isinstance(x, bool) or not is_number(x):
        return str(x)
    if _is_int(x):
        return str(int(x))
    xf = float(x)
    if math.isinf(xf):
        return _infinite(xf, csv=True)
    if parse_spec(kind)[0] == "count" and xf.is_integer():
        return str(int(xf))
    text = f"{xf:.{CSV_SIGNIFICANT}g}"
    return "0" if float(text) == 0 else text


def column_kind(name: Any, values: Iterable[Any], default: Spec | None = None) -> Spec:
    """The kind of a column nobody declared: by its name, else ``default``, else by its
    (non-integer-typed) values."""
    n = str(name)
    if n in MEASURE_NAMES:
        return "measure"
    if n in P_NAMES or n.startswith("p_") or n.endswith("_p") or n.startswith("p-"):
        return "p"
    if n in COUNT_NAMES:
        return "count"
    if n in ESTIMATE_NAMES:
        return "estimate"
    if default is not None:
        return default
    nums = [float(v) for v in values if is_number(v) and not is_missing(v)]
    if not nums:
        return "text"
    finite = [v for v in nums if math.isfinite(v)]
    if finite and all(-1.0 <= v <= 1.0 for v in finite):
        return "measure"
    if all(v.is_integer() for v in nums):
        return "count"
    return "estimate"


def column_kinds(columns: Iterable[Any], rows: list[list[Any]],
                 declared: Mapping[str, Spec] | None = None, default: Spec | None = None,
                 ) -> list[Spec]:
    """The kind of each column: declared, else by its name, else ``default``, else inferred from
    its non-integer values."""
    declared = declared or {}
    if default is not None:
        parse_spec(default)
    cols = list(columns)
    for c, spec in declared.items():
        parse_spec(spec)
        if c not in {str(x) for x in cols}:
            raise ValueError(f"number kind declared for unknown column {c!r}")
    out = []
    for j, c in enumerate(cols):
        if str(c) in declared:
            out.append(declared[str(c)])
            continue
        floats = [r[j] for r in rows if not _is_int(r[j])]
        out.append(column_kind(c, floats, default))
    return out


__all__ = ["CSV_SIGNIFICANT", "DECIMALS", "INF", "KINDS", "SIGNIFICANT", "column_kind",
           "column_kinds", "count", "csv_value", "fixed", "fmt", "is_missing", "is_number", "p_text",
           "parameter", "parse_spec",
           "pvalue", "significant"]
