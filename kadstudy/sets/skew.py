"""Skewness of calibrated sets: the share of cases with a membership above 0.5 in each set.

The share is SetMethods' ``skew.check()`` (Oana): cases with membership strictly above 0.5
over all cases. SetMethods reports it without a verdict; here a set is *flagged* when the
share is below ``extreme`` or above ``1 - extreme`` (default 0.2, i.e. outside 20-80 %).
That bound is this package's choice, not a published cut-off: SetMethods 4.1 gives none (its
``man/skew.check.Rd`` reports the number and percentage of cases above 0.5 only), and the
good-practice literature (Schneider & Wagemann 2012 on skewed membership scores and trivial
set relations; Oana, Schneider & Thomann 2021 on calibration diagnostics) warns against
heavily skewed sets without fixing a number; no canonical source for 20/80 % was found. Pass
``extreme`` to use another bound.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from kadstudy.results import ResultMixin
from kadstudy.sets._format import dumps, num, table
from kadstudy.sets.data import prepare
from kadstudy.sets.errors import QCAInputError

DEFAULT_EXTREME = 0.2


@dataclass(repr=False)
class SkewResult(ResultMixin):
    """Per set: cases above 0.5, all cases, their share and whether it is extreme.

    Made by :func:`skewness`.

    Attributes
    ----------
    rows : list of dict
        One per set, in the order asked: ``set``, ``above`` (cases with membership > 0.5), ``n``
        (all cases), ``share`` (``above / n``) and ``flagged``.
    extreme : float
        The bound: a share below it or above ``1 - extreme`` is flagged.
    """

    rows: list[dict[str, Any]]
    extreme: float

    @property
    def flagged(self) -> list[str]:
        """Sets whose share is outside ``[extreme, 1 - extreme]``.

        Returns
        -------
        list of str
            The flagged sets, in the order of :attr:`rows`.
        """
        return [r["set"] for r in self.rows if r["flagged"]]

    def to_frame(self) -> pd.DataFrame:
        """One row per set: ``above``, ``n``, ``share``, ``flagged``.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``set``.
        """
        return pd.DataFrame(self.rows, columns=["set", "above", "n", "share", "flagged"]).set_index("set")

    def to_dict(self) -> dict[str, Any]:
        """The result as plain data.

        Returns
        -------
        dict
            ``{"extreme", "sets": [{"set", "above", "n", "share", "flagged"}], "flagged"}``.
        """
        return {"extreme": self.extreme, "sets": [dict(r) for r in self.rows],
                "flagged": self.flagged}

    def to_json(self) -> str:
        """JSON text of :meth:`to_dict`.

        Returns
        -------
        str
            The JSON document.
        """
        return dumps(self.to_dict())

    def summary(self) -> str:
        """Plain-text table, with the flagged sets marked.

        Returns
        -------
        str
            Text ending with a newline.
        """
        body = [[r["set"], f"{r['above']}/{r['n']}", num(100 * r["share"], 1) + " %",
                 "SKEWED" if r["flagged"] else ""] for r in self.rows]
        lo, hi = 100 * self.extreme, 100 * (1 - self.extreme)
        return (f"Skewness: cases with membership > 0.5 (flagged below {lo:g} % or above "
                f"{hi:g} %)\n\n" + table(["set", "> 0.5", "share", ""], body, "lrrl") + "\n")

    def __str__(self) -> str:
        return self.summary()


def skewness(
    data: pd.DataFrame, sets: Sequence[str] | None = None, extreme: float = DEFAULT_EXTREME
) -> SkewResult:
    """Share of cases with membership above 0.5 in each of ``sets`` of ``data``, flagged when
    below ``extreme`` or above ``1 - extreme``. Crisp sets count their 1s; multi-value
    conditions are refused (a share above 0.5 has no meaning there).

    Parameters
    ----------
    data : pandas.DataFrame
        Set memberships, one row per case.
    sets : sequence of str, optional
        The sets to check (default: every column of ``data``).
    extreme : float
        The bound, in ``[0, 0.5)`` (default 0.2: flagged outside 20-80 %).

    Returns
    -------
    SkewResult
        One row per set.

    Raises
    ------
    QCAInputError
        When ``extreme`` is outside ``[0, 0.5)``, a set is not a column of ``data`` or holds
        values that are not memberships, or a set is multi-value.

    Examples
    --------
    Four of five cases are above 0.5 in A (80 %, not beyond 80 %), all five in B:

    >>> import pandas as pd
    >>> data = pd.DataFrame({"A": [0.9, 0.8, 0.7, 0.6, 0.2], "B": [1, 1, 1, 1, 1]})
    >>> res = skewness(data)
    >>> res.to_frame()["share"].tolist(), res.flagged
    ([0.8, 1.0], ['B'])
    """
    if not 0 <= extreme < 0.5:
        raise QCAInputError(f"extreme must be in [0, 0.5), got {extreme}; e.g. 0.2 for 20-80 %")
    columns = [str(c) for c in (data.columns if sets is None else sets)]
    sd = prepare(data, columns)
    rows = []
    for name in columns:
        if sd.kinds[name] == "multi":
            raise QCAInputError(
                f"column {name!r} is multi-value (levels 0..{sd.levels[name] - 1}); the skewness "
                "check is for crisp and fuzzy sets: leave it out"
            )
        x = sd.column(name)
        above = int((x > 0.5).sum())
        share = above / len(x)
        rows.append({"set": name, "above": above, "n": len(x), "share": share,
                     "flagged": bool(share < extreme or share > 1 - extreme)})
    return SkewResult(rows, float(extreme))
