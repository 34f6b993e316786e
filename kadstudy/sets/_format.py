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
    """A fixed-width text table (tabulate's ``plain`` format): columns two spaces apart, each
    cell as given (no number parsing, whitespace kept), no trailing spaces.

    Parameters
    ----------
    header : sequence of str
        The column names, aligned like their column.
    rows : sequence of sequences of str
        The cells, already formatted (:func:`num`); as many in each row as in ``header``.
    align : str, optional
        One character per column, ``l`` (left) or ``r`` (right); default all right.

    Returns
    -------
    str
        The lines of the table, without a final newline.
    """
    from tabulate import tabulate

    if any(len(r) != len(header) for r in rows):
        raise ValueError(f"every row needs {len(header)} cells")
    align = align or "r" * len(header)
    text = tabulate([list(header), *(list(r) for r in rows)], tablefmt="plain", disable_numparse=True,
                    preserve_whitespace=True, colalign=["left" if a == "l" else "right" for a in align])
    return "\n".join(line.rstrip() for line in text.split("\n"))


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
