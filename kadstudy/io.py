"""File helpers shared by the CLI and the pipeline: atomic writes, so a failed or
interrupted command never leaves a half-written file behind, and reading a case table."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from kadstudy.errors import KadError

if TYPE_CHECKING:
    import pandas as pd


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder, then rename."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write UTF-8 text with ``\\n`` line endings atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


def read_case_csv(path: str | os.PathLike[str], case_col: str | None = None,
                  shown: str | None = None) -> pd.DataFrame:
    """A CSV of cases as text cells indexed by case name (``case_col``, default the first column);
    blank cells become missing. Problems raise one-line :class:`KadError`s that start with
    ``shown`` (default: the path)."""
    import pandas as pd

    where = shown or str(path)
    try:
        raw = pd.read_csv(Path(path), dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise KadError(f"{where}: no such file; check the path") from None
    except (pd.errors.EmptyDataError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise KadError(f"{where}: cannot read as CSV ({str(exc).splitlines()[0]})") from None
    if raw.shape[1] < 2:
        raise KadError(f"{where}: needs a case-name column and at least one data column")
    if len(raw) == 0:
        raise KadError(f"{where}: the dataset is empty; add at least one case")
    col = case_col or raw.columns[0]
    if col not in raw.columns:
        raise KadError(f"{where}: no case column {col!r}; columns are: {', '.join(raw.columns)}")
    cases = raw[col].astype(str)
    dup = cases[cases.duplicated()]
    if len(dup):
        raise KadError(f"{where}: duplicate case name {dup.iloc[0]!r} in column {col!r}; "
                       "make case names unique")
    data = raw.drop(columns=[col])
    data.index = pd.Index(cases, name=col)
    return data.replace({"": None})
