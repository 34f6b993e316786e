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
    """Per-variable agreement of coder A and coder B.

    Compares the (forum, variable) pairs both coders coded with a value. Columns: variable, type,
    n (pairs), agree (share of identical values), kappa (Cohen's, linear weights for ordered
    types, from scikit-learn), alpha (Krippendorff's, at the type's level of measurement, from the
    ``krippendorff`` package; it also uses the pairs one coder left missing), missing_a,
    missing_b. Text variables and multi-valued categories are compared for exact equality only.
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
        keys = sorted(k for k in set(va) | set(vb) if k[1] == var.id)
        if not keys:
            continue
        both = [k for k in keys if va.get(k) and vb.get(k)]
        row: dict[str, object] = {
            "variable": var.id, "type": var.type, "n": len(both),
            "agree": np.nan, "kappa": np.nan, "alpha": np.nan,
            "missing_a": sum(1 for k in keys if not va.get(k)),
            "missing_b": sum(1 for k in keys if not vb.get(k)),
        }
        if both:
            xa = [va[k] for k in both]
            xb = [vb[k] for k in both]
            row["agree"] = float(np.mean([x == y for x, y in zip(xa, xb, strict=True)]))
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
    return pd.DataFrame(rows)


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
