"""Bounds on a minimisation: one wall-clock limit and one memory budget over every stage.

A :class:`Budget` is created once per :func:`kadstudy.sets.minimize` call and handed to each
stage (prime implicant search, cover search, intermediate solution). Stages call
:meth:`Budget.check` often (every chunk of subsets, every few thousand search nodes) with the
number of bytes their growing structures hold (and are about to allocate); when the time is
up or the bytes exceed the budget, :class:`QCALimitError` is raised naming the stage, how far
it got and what to change. ``progress`` (optional) receives ``(stage, detail)`` at each check.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from kadstudy.sets.errors import QCALimitError

ProgressFn = Callable[[str, str], None]

ADVICE = {
    "prime implicant search": "use fewer conditions, raise n_cut, or compute the conservative solution",
    "cover search": "lower max_models or max_nodes, use fewer conditions or raise n_cut",
    "intermediate solution": "use fewer conditions, raise n_cut, or run a parsimonious-only solution",
    "conservative prime implicants": "use fewer conditions, raise n_cut, or run a parsimonious-only solution",
    "simplifying assumptions": "use fewer conditions or raise n_cut",
    "remainders used": "use fewer conditions or raise n_cut",
}


class Budget:
    """Wall-clock limit (``time_limit`` seconds from creation, None: none) and memory budget
    (``memory_budget`` bytes of the tracked structures, None: none)."""

    def __init__(
        self,
        time_limit: float | None = None,
        memory_budget: int | None = None,
        progress: ProgressFn | None = None,
    ) -> None:
        if time_limit is not None and time_limit <= 0:
            time_limit = None
        self.time_limit = time_limit
        self.memory_budget = memory_budget
        self.progress = progress
        self.start = time.monotonic()

    def remaining(self) -> float | None:
        """Seconds left (None: no limit); never below a hundredth of a second."""
        if self.time_limit is None:
            return None
        return max(0.01, self.time_limit - (time.monotonic() - self.start))

    def expired(self) -> bool:
        return self.time_limit is not None and time.monotonic() - self.start >= self.time_limit

    def check(self, stage: str, reached: str, nbytes: int = 0) -> None:
        """Raise :class:`QCALimitError` if the time is up or ``nbytes`` exceed the budget."""
        if self.progress is not None:
            self.progress(stage, reached)
        if self.memory_budget is not None and nbytes > self.memory_budget:
            self.fail(stage, reached, f"the memory budget of {_size(self.memory_budget)} "
                      f"(it needs {_size(nbytes)} or more)", "raise memory_budget (--memory-budget)")
        if self.expired():
            self.fail(stage, reached, f"the time limit of {self.time_limit:g} s",
                      "raise time_limit (--time-limit)")

    def fail(self, stage: str, reached: str, bound: str, raise_it: str) -> None:
        advice = f"{ADVICE.get(stage, 'use fewer conditions')}, or {raise_it}"
        raise QCALimitError(stage, reached, bound, advice)


def _size(nbytes: int) -> str:
    for unit, scale in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if nbytes >= scale:
            return f"{nbytes / scale:.1f} {unit}"
    return f"{nbytes} bytes"


def parse_size(text: str) -> int:
    """Bytes of a size such as ``"4G"``, ``"500MB"``, ``"0.5 GB"`` or ``"1048576"``."""
    units = {"": 1, "B": 1, "K": 2**10, "KB": 2**10, "M": 2**20, "MB": 2**20, "G": 2**30, "GB": 2**30,
             "T": 2**40, "TB": 2**40}
    s = text.strip().upper().replace(" ", "")
    num = s.rstrip("KMGTB")
    unit = s[len(num):]
    try:
        value = float(num)
    except ValueError:
        value = -1.0
    if unit not in units or value <= 0:
        raise ValueError(f"{text!r} is not a size; write e.g. 4G, 500M or 0.5GB")
    return int(value * units[unit])
