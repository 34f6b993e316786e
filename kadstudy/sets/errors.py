"""Errors raised by the set-theoretic engine."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import TypeVar

from kadstudy.errors import KadError

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
