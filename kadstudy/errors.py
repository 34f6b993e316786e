"""Errors that the CLI turns into one clear line and an exit code (2: bad input, 3: a bound hit)."""

from __future__ import annotations


class KadError(Exception):
    """A user-facing error: bad input, named with where it is and how to fix it.

    The message is one line, e.g. ``codings.csv row 12, field 'value': '7' is not
    one of 0, 1 for binary variable 'prof_staff'; use 0 or 1``.
    """

    exit_code = 2


class DataError(KadError):
    """Bad coded data, codebook or case file."""


class LimitError(KadError):
    """A computation stopped at a bound (time limit or memory budget): exit code 3.

    The message names the stage that stopped, how far it got and what to change, e.g.
    ``prime implicant search stopped at the time limit of 5 s (complexity level 4 of 30,
    1,204 PIs found); use fewer conditions, raise n_cut or raise --time-limit``.
    """

    exit_code = 3
