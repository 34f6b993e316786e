"""Plain-text tables and JSON helpers shared by the result objects."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

from kadstudy.numbers import fixed


def num(x: float | None, digits: int = 3) -> str:
    """A QCA measure with ``digits`` decimals as R prints it, ``-`` when undefined
    (:func:`kadstudy.numbers.fixed`)."""
    return fixed(x, digits, missing="-")


def table(header: Sequence[str], rows: Sequence[Sequence[str]], align: str | None = None) -> str:
    """Fixed-width table; ``align`` is one char per column, ``l`` or ``r`` (default r)."""
    widths = [len(h) for h in header]
    for row in rows:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    align = align or "r" * len(header)

    def fmt(cells: Sequence[str]) -> str:
        out = [
            c.ljust(w) if a == "l" else c.rjust(w)
            for c, w, a in zip(cells, widths, align, strict=True)
        ]
        return "  ".join(out).rstrip()

    return "\n".join([fmt(header), *(fmt(r) for r in rows)])


def clean(value: Any) -> Any:
    """Make a value JSON-friendly: NaN -> None, numpy scalars -> Python."""
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def dumps(obj: Any) -> str:
    """Deterministic JSON text."""
    return json.dumps(clean(obj), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
