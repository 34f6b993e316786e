"""Notebook and export methods shared by every result object (``ResultMixin``).

A result class defines ``summary()`` (readable text, as statsmodels prints a fit) and
``to_frame()`` (a tidy DataFrame; case lists as Python lists). The mixin adds, from those two:

- ``__repr__``: the summary text (not a dataclass dump), so a result typed at the prompt reads
  as it prints;
- ``_repr_html_``: the summary's first line and the table, for Jupyter;
- ``to_markdown()``, ``to_latex()`` and ``to_csv()``: the table for papers, numbers printed by the
  rules of :mod:`kadstudy.numbers` (QCA measures with 3 decimals, estimates with 3 significant
  digits, p-values as ``.042``); lists of cases joined by commas.

Dataclass results must be declared with ``@dataclass(repr=False)`` so the dataclass does not
replace the mixin's ``__repr__``.

Examples
--------
>>> from dataclasses import dataclass
>>> import pandas as pd
>>> @dataclass(repr=False)
... class Demo(ResultMixin):
...     incl: float
...     def summary(self) -> str:
...         return f"Demo result\\n\\nincl = {self.incl:.3f}\\n"
...     def to_frame(self) -> pd.DataFrame:
...         return pd.DataFrame({"term": ["A*~B"], "inclS": [self.incl], "cases": [["x", "y"]]})
>>> Demo(0.8149)
Demo result
<BLANKLINE>
incl = 0.815
>>> print(Demo(0.8149).to_markdown(), end="")
| term | inclS | cases |
|:---|---:|:---|
| A\\*\\~B | 0.815 | x, y |
"""

from __future__ import annotations

import html
import io
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

_MD_SPECIAL = str.maketrans({"\\": "\\\\", "|": "\\|", "*": "\\*", "~": "\\~", "`": "\\`"})


def _is_list(value: Any) -> bool:
    return isinstance(value, list | tuple)


def _cell_text(value: Any) -> str:
    if _is_list(value):
        return ", ".join(_cell_text(v) for v in value)
    return str(value)


def _show_index(frame: pd.DataFrame) -> bool:
    """Whether a frame's index carries information (named, or not 0, 1, 2, ...)."""
    import pandas as pd

    idx = frame.index
    if any(n is not None for n in idx.names):
        return True
    return not (isinstance(idx, pd.RangeIndex) and idx.start == 0 and idx.step == 1)


def text_frame(frame: pd.DataFrame, *, index: bool | None = None) -> pd.DataFrame:
    """``frame`` as text cells, for people: numbers by :func:`kadstudy.numbers.fmt` with each
    column's kind (:func:`kadstudy.numbers.column_kinds`), lists joined by ``", "``, missing
    values empty. A meaningful index becomes the first column(s).

    Parameters
    ----------
    frame : pandas.DataFrame
        The table to format.
    index : bool, optional
        Keep the index as column(s); default: when it is named or not ``0, 1, 2, ...``.

    Returns
    -------
    pandas.DataFrame
        Every cell a ``str``, with a default ``RangeIndex``.

    Examples
    --------
    >>> import pandas as pd
    >>> text_frame(pd.DataFrame({"inclS": [0.81449], "p": [0.0421], "cases": [["BE", "CZ"]]}))
       inclS     p   cases
    0  0.814  .042  BE, CZ
    """
    from kadstudy.numbers import column_kinds, fmt

    keep = _show_index(frame) if index is None else index
    df = frame.reset_index() if keep else frame.reset_index(drop=True)
    df.columns = [str(c) for c in df.columns]
    rows = [[None if _is_list(v) else v for v in r] for r in df.itertuples(index=False, name=None)]
    kinds = column_kinds(df.columns, rows)
    out = {}
    for col, kind in zip(df.columns, kinds, strict=True):
        out[col] = [_cell_text(v) if _is_list(v) else fmt(v, kind) for v in df[col].tolist()]
    import pandas as pd

    return pd.DataFrame(out, columns=list(df.columns))


def _numeric_columns(frame: pd.DataFrame, index: bool | None) -> list[bool]:
    """Per output column (index first when kept): True when every value is a number or missing."""
    from kadstudy.numbers import is_missing, is_number

    raw = frame.reset_index() if (_show_index(frame) if index is None else index) else frame
    out = []
    for j in range(raw.shape[1]):
        values = raw.iloc[:, j].tolist()
        out.append(bool(values) and all(not _is_list(v) and not isinstance(v, bool)
                                        and (is_number(v) or is_missing(v)) for v in values))
    return out


def markdown_table(frame: pd.DataFrame, *, index: bool | None = None) -> str:
    """A GitHub-flavoured Markdown pipe table of ``frame`` (see :func:`text_frame`); the QCA
    operators ``*`` and ``~`` and the ``|`` are escaped so they print as written.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table.
    index : bool, optional
        As in :func:`text_frame`.

    Returns
    -------
    str
        The table, one line per row, ending with a newline.

    Examples
    --------
    >>> import pandas as pd
    >>> print(markdown_table(pd.DataFrame({"term": ["~A"], "n": [3]})), end="")
    | term | n |
    |:---|---:|
    | \\~A | 3 |
    """
    text = text_frame(frame, index=index)
    right = _numeric_columns(frame, index)

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.translate(_MD_SPECIAL).replace("\n", " ") for c in cells) + " |"

    lines = [line(list(text.columns)),
             "|" + "|".join("---:" if r else ":---" for r in right) + "|"]
    lines += [line(list(r)) for r in text.itertuples(index=False, name=None)]
    return "\n".join(lines) + "\n"


def latex_table(frame: pd.DataFrame, *, index: bool | None = None, caption: str | None = None,
                label: str | None = None) -> str:
    """A LaTeX ``tabular`` of ``frame`` (see :func:`text_frame`), special characters escaped
    (``~`` prints as a tilde), via :meth:`pandas.DataFrame.to_latex` (needs ``jinja2``).

    Parameters
    ----------
    frame : pandas.DataFrame
        The table to typeset.
    index : bool, optional
        Keep the index as column(s) (see :func:`text_frame`).
    caption, label : str, optional
        Wrap the tabular in a ``table`` environment with this caption and ``\\label``.

    Returns
    -------
    str
        LaTeX source.

    Examples
    --------
    >>> import pandas as pd
    >>> print(latex_table(pd.DataFrame({"term": ["A*~B"], "inclS": [0.8149]})), end="")
    \\begin{tabular}{lr}
    \\toprule
    term & inclS \\\\
    \\midrule
    A*\\textasciitilde B & 0.815 \\\\
    \\bottomrule
    \\end{tabular}
    """
    text = text_frame(frame, index=index)
    align = "".join("r" if r else "l" for r in _numeric_columns(frame, index))
    return text.to_latex(index=False, escape=True, caption=caption, label=label,
                         column_format=align)


class ResultMixin:
    """Notebook display and exports from a result's ``summary()`` and ``to_frame()``.

    See the module docstring. A subclass must define ``to_frame()``; it may define
    ``summary()`` (text; by default :meth:`_title` over the table) or only ``_title()``. A
    subclass whose ``summary()`` returns a table (kept for its callers) prints as the default.
    """

    def _title(self) -> str:
        """The first line of the default :meth:`summary`; subclasses may override it."""
        return type(self).__name__

    def summary(self) -> Any:
        """Readable text: :meth:`_title` and the table of :meth:`to_frame` (subclasses with
        more to say override it).

        Returns
        -------
        str
            Text ending with a newline.
        """
        body = text_frame(self.to_frame()).to_string(index=False)
        return f"{self._title()}\n\n{body}\n"

    def to_frame(self) -> pd.DataFrame:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def _summary_text(self) -> str:
        text = self.summary()
        if not isinstance(text, str):
            text = f"{self._title()}\n\n{text_frame(self.to_frame()).to_string(index=False)}\n"
        return text

    def __repr__(self) -> str:
        return self._summary_text().rstrip("\n")

    def __str__(self) -> str:
        return self._summary_text()

    def _repr_html_(self) -> str:
        """HTML for Jupyter: the summary's first line as a caption above the table, and the
        full summary text in a collapsed block."""
        text = self._summary_text()
        title = next((ln.strip() for ln in text.splitlines() if ln.strip()), type(self).__name__)
        table = text_frame(self.to_frame()).to_html(index=False, escape=True, border=0)
        return (f'<div class="kadstudy-result"><p><strong>{html.escape(title)}</strong></p>'
                f"{table}<details><summary>summary</summary><pre>{html.escape(text)}</pre>"
                "</details></div>")

    def to_markdown(self, *, index: bool | None = None) -> str:
        """The result's table (``to_frame()``) as a Markdown pipe table.

        Parameters
        ----------
        index : bool, optional
            Keep the index as column(s); default: when it is named or not ``0, 1, 2, ...``.

        Returns
        -------
        str
            See :func:`markdown_table`.
        """
        return markdown_table(self.to_frame(), index=index)

    def to_latex(self, *, index: bool | None = None, caption: str | None = None,
                 label: str | None = None) -> str:
        """The result's table (``to_frame()``) as a LaTeX tabular (booktabs rules).

        Parameters
        ----------
        index : bool, optional
            Keep the index as column(s); default: when it is named or not ``0, 1, 2, ...``.
        caption, label : str, optional
            Wrap it in a ``table`` environment with this caption and label.

        Returns
        -------
        str
            See :func:`latex_table`.
        """
        return latex_table(self.to_frame(), index=index, caption=caption, label=label)

    def to_csv(self, *, index: bool | None = None, sep: str = ",") -> str:
        """The result's table as CSV text: lists of cases joined by ``sep`` inside one field,
        numbers as :func:`kadstudy.numbers.csv_value` writes them.

        Parameters
        ----------
        index : bool, optional
            Keep the index as column(s); default: when it is named or not ``0, 1, 2, ...``.
        sep : str
            Separator of the names in a list of cases.

        Returns
        -------
        str
            CSV text with a header line.
        """
        import csv

        from kadstudy.numbers import column_kinds, csv_value

        frame = self.to_frame()
        keep = _show_index(frame) if index is None else index
        df = frame.reset_index() if keep else frame.reset_index(drop=True)
        rows = [list(r) for r in df.itertuples(index=False, name=None)]
        kinds = column_kinds([str(c) for c in df.columns],
                             [[None if _is_list(v) else v for v in r] for r in rows])
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow([str(c) for c in df.columns])
        for r in rows:
            writer.writerow([sep.join(str(x) for x in v) if _is_list(v) else csv_value(v, k)
                             for v, k in zip(r, kinds, strict=True)])
        return buf.getvalue()


__all__ = ["ResultMixin", "latex_table", "markdown_table", "text_frame"]
