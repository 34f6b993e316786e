"""Inter-coder agreement between two coders' codings of the same forums, per variable."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kadstudy.data.codebook import Codebook
from kadstudy.data.codings import Coding
from kadstudy.errors import DataError

if TYPE_CHECKING:
    import pandas as pd

# Krippendorff level of measurement, and Cohen kappa weights, by codebook type.
_LEVEL = {"binary": "nominal", "categorical": "nominal", "ordinal": "ordinal", "fuzzy": "interval",
          "count": "ratio", "year": "interval"}
_WEIGHTS = {"ordinal": "linear", "fuzzy": "linear", "count": "linear", "year": "linear"}


def agreement(a: list[Coding], b: list[Coding], cb: Codebook) -> pd.DataFrame:
    """Per-variable agreement of coder A and coder B, counting every cell both coders had.

    The units are the (forum, variable) cells present in both files (a coder's missing code
    counts: the coder was asked and gave no value). Columns: variable, type; n (cells both coded
    with a value), agree (share of those with identical values), kappa (Cohen's, linear weights
    for ordered types, from scikit-learn) and alpha (Krippendorff's, at the type's level of
    measurement, from the ``krippendorff`` package; it treats a cell one coder left missing as
    missing data) - all three on the cells both coded; units (all shared cells), one_coded (cells
    one coder coded and the other left missing: coded-vs-missing disagreements), both_missing,
    agree_all (share of all units on which the coders agree: the same value, or both no value; a
    coded-vs-missing cell counts as a disagreement), missing_a, missing_b. A last row, variable
    ``(all)``, pools every variable (n, agree, units, one_coded, both_missing, agree_all and the
    missing counts; no kappa or alpha). Text variables and multi-valued categories are compared for
    exact equality only.
    """
    import krippendorff
    import numpy as np
    import pandas as pd
    from sklearn.metrics import cohen_kappa_score

    va = {c.key: c.value for c in a}
    vb = {c.key: c.value for c in b}
    if not set(va) & set(vb):
        raise DataError("the two codings share no (forum, variable) pair; are they of the same forums?")
    rows = []
    for var in cb.variables:
        keys = sorted(k for k in set(va) & set(vb) if k[1] == var.id)
        if not keys:
            continue
        both = [k for k in keys if va[k] and vb[k]]
        one = sum(1 for k in keys if bool(va[k]) != bool(vb[k]))
        neither = sum(1 for k in keys if not va[k] and not vb[k])
        same = sum(1 for k in both if va[k] == vb[k])
        row: dict[str, object] = {
            "variable": var.id, "type": var.type, "n": len(both),
            "agree": np.nan, "kappa": np.nan, "alpha": np.nan,
            "units": len(keys), "one_coded": one, "both_missing": neither,
            "agree_all": (same + neither) / len(keys),
            "missing_a": sum(1 for k in keys if not va[k]),
            "missing_b": sum(1 for k in keys if not vb[k]),
        }
        if both:
            xa = [va[k] for k in both]
            xb = [vb[k] for k in both]
            row["agree"] = same / len(both)
            ordered = var.type in _WEIGHTS
            if var.type != "text" and not var.multiple:
                ya = [float(x) for x in xa] if ordered else xa
                yb = [float(x) for x in xb] if ordered else xb
                if len(set(ya) | set(yb)) > 1:
                    if ordered:
                        levels = sorted(set(ya) | set(yb))
                        ya = [levels.index(x) for x in ya]
                        yb = [levels.index(x) for x in yb]
                    row["kappa"] = float(cohen_kappa_score(ya, yb, weights=_WEIGHTS.get(var.type)))
                    row["alpha"] = _alpha(krippendorff, va, vb, keys, var.type)
        rows.append(row)
    table = pd.DataFrame(rows)
    if rows:
        total = {c: int(table[c].sum()) for c in ("n", "units", "one_coded", "both_missing",
                                                  "missing_a", "missing_b")}
        agreed_values = float((table["agree"].fillna(0) * table["n"]).sum())
        agreed_all = float((table["agree_all"] * table["units"]).sum())
        pooled = {"variable": "(all)", "type": "", "kappa": np.nan, "alpha": np.nan, **total,
                  "agree": agreed_values / total["n"] if total["n"] else np.nan,
                  "agree_all": agreed_all / total["units"]}
        table = pd.concat([table, pd.DataFrame([pooled])], ignore_index=True)[list(rows[0])]
    return table


def as_first_coded(codings: list[Coding]) -> list[Coding]:
    """The codings as first coded: each row replaced by the oldest record in its ``history`` (the
    value before adjudication or any later recoding); rows without history are unchanged."""
    import json
    from dataclasses import replace

    out = []
    for c in codings:
        if c.history:
            first = json.loads(c.history)[0]
            c = replace(c, **{k: str(first.get(k, "")) for k in ("value", "missing", "source", "lines",
                                                                  "quote", "coder", "note")},
                        history="")
        out.append(c)
    return out


def _shown(c: Coding | dict[str, str] | None) -> str:
    if c is None:
        return "(no row)"
    value, missing = (c.value, c.missing) if isinstance(c, Coding) else (c["value"], c["missing"])
    return value if value else f"({missing or 'missing'})"


def adjudication(a: list[Coding], b: list[Coding]) -> pd.DataFrame:
    """What became of coder B's values in the master record A, cell by cell.

    For every cell both files have where at least one coder gave a value, compares B's value with
    A's value as it was before any change (the oldest record in the row's ``history``, else the
    row itself) and as it is now. ``outcome``: ``agreed`` (A had B's value all along), ``adopted``
    (A had another value and now has B's), ``rejected`` (A differs from B and never took B's
    value), ``adopted, later changed`` (A took B's value and later left it), ``agreed, later
    changed`` (A had B's value and later left it). ``changed_by`` names the coders of the later
    records (e.g. ``adjudicated``, ``rules_issue11``); ``note`` is A's current note.
    """
    import json

    import pandas as pd

    vb = {c.key: c for c in b}
    out = []
    for c in sorted((c for c in a if c.key in vb), key=lambda c: c.key):
        other = vb[c.key]
        past = json.loads(c.history) if c.history else []
        states = [_shown(r) for r in past] + [_shown(c)]
        first, now, theirs = states[0], states[-1], _shown(other)
        if not other.value and first.startswith("(") and now.startswith("("):
            continue  # neither coder gave a value at any time
        if first == theirs:
            outcome = "agreed" if now == theirs else "agreed, later changed"
        elif now == theirs:
            outcome = "adopted"
        elif theirs in states[1:]:
            outcome = "adopted, later changed"
        else:
            outcome = "rejected"
        changers = [r.get("coder", "") for r in past[1:]] + ([c.coder] if past else [])
        out.append({"forum": c.forum_id, "variable": c.variable, "coder_b": theirs,
                    "master_before": first, "master_now": now, "outcome": outcome,
                    "changed_by": ", ".join(dict.fromkeys(x for x in changers if x)),
                    "note": c.note})
    return pd.DataFrame(out, columns=["forum", "variable", "coder_b", "master_before", "master_now",
                                      "outcome", "changed_by", "note"])


def _alpha(krippendorff, va: dict, vb: dict, keys: list, vtype: str) -> float:
    """Krippendorff's alpha over all units, missing where a coder gave no value."""
    import numpy as np

    values = sorted({v for d in (va, vb) for k in keys if (v := d.get(k))},
                    key=(float if vtype in _WEIGHTS else str))
    code = {v: float(v) if vtype in _WEIGHTS else float(i) for i, v in enumerate(values)}
    data = np.array([[code[d[k]] if d.get(k) else np.nan for k in keys] for d in (va, vb)])
    level = _LEVEL[vtype]
    ordered_levels = level in ("nominal", "ordinal")
    kwargs = {"value_domain": sorted(set(code.values()))} if ordered_levels else {}
    try:
        return float(krippendorff.alpha(reliability_data=data, level_of_measurement=level, **kwargs))
    except ValueError:
        return float("nan")
