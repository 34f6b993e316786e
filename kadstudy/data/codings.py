"""The long-form master record ``codings.csv``: one coded value per row, with its source."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, fields, replace
from pathlib import Path

from kadstudy.errors import DataError, KadError
from kadstudy.io import check_header, excerpt, read_text

COLUMNS = ("forum_id", "variable", "value", "missing", "source", "lines", "quote", "coder", "note",
           "history")
LINES_RE = re.compile(r"(\d+)(?:-(\d+))?")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # C0 controls but tab/newlines, DEL


@dataclass(frozen=True)
class Coding:
    """One row of ``codings.csv``. ``row`` is its spreadsheet row number (header = 1)."""

    forum_id: str
    variable: str
    value: str = ""
    missing: str = ""
    source: str = ""
    lines: str = ""
    quote: str = ""
    coder: str = ""
    note: str = ""
    history: str = ""
    row: int = 0

    @property
    def key(self) -> tuple[str, str]:
        return (self.forum_id, self.variable)

    @property
    def is_missing(self) -> bool:
        return self.value == ""

    def line_range(self) -> tuple[int, int] | None:
        """The cited ``lines`` as (first, last), or None when malformed."""
        m = LINES_RE.fullmatch(self.lines)
        if not m:
            return None
        first, last = int(m[1]), int(m[2] or m[1])
        return (first, last) if 1 <= first <= last else None

    def record(self) -> dict[str, str]:
        """The row's fields without its position (what history keeps)."""
        return {c: getattr(self, c) for c in COLUMNS if c != "history"}

    def with_history_of(self, old: Coding) -> Coding:
        """This coding, carrying ``old``'s history plus ``old`` itself as the latest entry."""
        past = json.loads(old.history) if old.history else []
        past.append(old.record())
        return replace(self, history=json.dumps(past, ensure_ascii=False, sort_keys=True))


def read_codings(path: str | Path) -> list[Coding]:
    """Read ``codings.csv`` strictly.

    Parameters
    ----------
    path : str or pathlib.Path
        The codings file: UTF-8 (a byte order mark is dropped), the exact header of
        :data:`COLUMNS`, every row with all fields, no control characters.

    Returns
    -------
    list of Coding
        One coding per row, in file order.

    Raises
    ------
    DataError
        The file breaks one of these rules; the message names the row and the fix.

    Examples
    --------
    >>> from kadstudy.data import read_codings
    >>> codings = read_codings("datasets/kad_forums/codings.csv")
    >>> [(c.value, c.source) for c in codings if (c.forum_id, c.variable) == ("kartamantul", "founded")]
    [('2001', 'seed001')]
    """
    try:
        text = read_text(path, "codings")
    except KadError as exc:
        raise DataError(str(exc)) from None
    return parse_codings(text, str(path))


def _check_header(header: list[str], name: str) -> None:
    if tuple(header) == COLUMNS:
        return
    expected = f"the header must be {','.join(COLUMNS)}"
    try:
        check_header(header, name)  # a column without a name, or named twice
    except KadError as exc:
        raise DataError(str(exc)) from None
    for pos, (got, want) in enumerate(zip(header, COLUMNS, strict=False), start=1):
        if got != want:
            raise DataError(f"{name} row 1: column {pos} is {excerpt(got)}, not '{want}'; {expected}")
    raise DataError(f"{name} row 1: {len(header)} columns, expected {len(COLUMNS)}; {expected}")


def parse_codings(text: str, name: str = "codings.csv") -> list[Coding]:
    """Parse codings CSV text; errors name the file and row."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise DataError(f"{name}: empty file; the first row must be {','.join(COLUMNS)}") from None
    except csv.Error as exc:
        raise DataError(f"{name} row 1: malformed CSV ({exc})") from None
    _check_header(header, name)
    rows: list[Coding] = []
    row_no = 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise DataError(f"{name} row {row_no + 1}: malformed CSV ({exc}); check its quotes") from None
        row_no += 1
        if not record:
            continue
        if len(record) != len(COLUMNS):
            raise DataError(f"{name} row {row_no}: {len(record)} fields, expected {len(COLUMNS)} "
                            f"({','.join(COLUMNS)}); quote fields that contain commas")
        for col, cell in zip(COLUMNS, record, strict=True):
            bad = CONTROL_RE.search(cell)
            if bad:
                raise DataError(f"{name} row {row_no}, field '{col}': control character "
                                f"{bad.group()!r} at position {bad.start() + 1} of {excerpt(cell)}; "
                                "remove it (is this a text file?)")
        rows.append(Coding(*record, row=row_no))
    return rows


def format_codings(codings: list[Coding], order: list[str]) -> str:
    """Serialise codings sorted by forum id and codebook variable order (deterministic bytes)."""
    rank = {v: i for i, v in enumerate(order)}
    ordered = sorted(codings, key=lambda c: (c.forum_id, rank.get(c.variable, len(rank)), c.variable))
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    for c in ordered:
        writer.writerow([getattr(c, f.name) for f in fields(Coding) if f.name != "row"])
    return buf.getvalue()


def coding_from_mapping(forum_id: str, variable: str, spec: dict[str, object]) -> Coding:
    """A :class:`Coding` from an add-case YAML entry (keys: value/missing/source/lines/quote/...)."""
    kwargs = {k: "" if spec.get(k) is None else str(spec[k]) for k in COLUMNS if k in spec}
    return Coding(forum_id=forum_id, variable=variable, **{k: v for k, v in kwargs.items()
                                                            if k not in ("forum_id", "variable")})


__all__ = ["COLUMNS", "Coding", "coding_from_mapping", "format_codings", "parse_codings",
           "read_codings"]
