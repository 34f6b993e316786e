"""Errors that the CLI turns into one clear line and exit code 2."""

from __future__ import annotations


class KadError(Exception):
    """A user-facing error: bad input, named with where it is and how to fix it.

    The message is one line, e.g. ``codings.csv row 12, field 'value': '7' is not
    one of 0, 1 for binary variable 'prof_staff'; use 0 or 1``.
    """

    exit_code = 2


class DataError(KadError):
    """Bad coded data, codebook or case file."""
