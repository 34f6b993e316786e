"""Errors raised by the set-theoretic engine."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import TypeVar

from kadstudy.errors import KadError, LimitError

T = TypeVar("T")


class QCAInputError(KadError, ValueError):
    """Bad input to a QCA function: a one-line message naming the column/row and the fix.

    It is a :class:`ValueError` for library users and a :class:`~kadstudy.errors.KadError`
    for the command line (which prints it on one line and exits with code 2).
    """


class QCAWarning(UserWarning):
    """A warning about data that the engine can handle but the user should know of."""


def collect_warnings(func: Callable[[], T], category: type[Warning] = QCAWarning) -> tuple[T, list[str]]:
    """Call ``func`` and return its result with the messages of the ``category`` warnings it
    raised (each reported, not filtered as repeats); errors propagate."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", category)
        result = func()
    return result, [str(w.message) for w in caught if issubclass(w.category, category)]


class QCALimitError(LimitError, RuntimeError):
    """A minimisation stopped at its time limit or memory budget (CLI exit code 3).

    Attributes: ``stage`` (``"prime implicant search"``, ``"cover search"``,
    ``"conservative prime implicants"`` or ``"intermediate solution"``), ``reached`` (how far
    it got, e.g. the complexity level and PIs found), ``bound`` (which bound stopped it) and
    ``advice`` (what to change). No partial result is returned as if it were complete.
    """

    def __init__(self, stage: str, reached: str, bound: str, advice: str) -> None:
        self.stage, self.reached, self.bound, self.advice = stage, reached, bound, advice
        super().__init__(f"{stage} stopped at {bound} ({reached}); {advice}")
