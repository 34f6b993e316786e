"""Errors raised by the set-theoretic engine."""

from __future__ import annotations

from kadstudy.errors import KadError


class QCAInputError(KadError, ValueError):
    """Bad input to a QCA function: a one-line message naming the column/row and the fix.

    It is a :class:`ValueError` for library users and a :class:`~kadstudy.errors.KadError`
    for the command line (which prints it on one line and exits with code 2).
    """


class QCAWarning(UserWarning):
    """A warning about data that the engine can handle but the user should know of."""
