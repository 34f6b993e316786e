"""File helpers shared by the CLI, the pipeline and ``reproduce``.

Reading: :func:`read_text` (UTF-8, a UTF-8 byte order mark is dropped, any other encoding refused
with the byte offset), :func:`csv_records` and :func:`read_case_csv` (strict CSV: named, distinct
columns, every row as wide as the header). Writing: :func:`check_output` refuses an output path
that is an input of the command, a folder, a device, or in a missing folder; :func:`atomic_write_bytes`
writes through a temporary file in the same folder and renames it, so a failed or interrupted command
never leaves a half-written file, and the file gets the mode of any new file (``0o666 & ~umask``).
Every problem is a one-line :class:`KadError`.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from kadstudy.errors import KadError

if TYPE_CHECKING:
    import pandas as pd

PathLike = str | os.PathLike[str]
EXCERPT = 40  # characters of file content shown in a message, at most


def excerpt(text: object, limit: int = EXCERPT) -> str:
    """``text`` quoted and escaped (``repr``), cut to about ``limit`` characters with its length
    when longer: file content (possibly binary junk) is never echoed whole into a message."""
    s = str(text)
    used, n = 0, 0
    for n, ch in enumerate(s):  # noqa: B007 - n is the cut point
        used += len(repr(ch)) - 2
        if used > limit:
            break
    else:
        return repr(s)
    return f"{s[:n]!r}... ({len(s)} characters)"


def printable(text: str, limit: int = 400) -> str:
    """``text`` on one line: every non-printable character escaped (``\\n``, ``\\x07``), cut to
    ``limit`` characters with the full length when longer."""
    out = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
    return out if len(out) <= limit else f"{out[:limit]}... ({len(text)} characters)"


# --------------------------------------------------------------------------------------------------
# Reading


def decode_text(data: bytes, where: str) -> str:
    """UTF-8 text of ``data`` (a leading UTF-8 byte order mark dropped); other encodings and binary
    content raise a :class:`KadError` naming ``where`` and the byte offset."""
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    if not start and data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise KadError(f"{where}: byte 0: a UTF-16 byte order mark; not UTF-8 text; save the file "
                       "as UTF-8")
    try:
        text = data[start:].decode("utf-8")
    except UnicodeDecodeError as exc:
        at = start + exc.start
        raise KadError(f"{where}: byte {at}: 0x{data[at]:02x} is not UTF-8 ({exc.reason}); save the "
                       "file as UTF-8") from None
    nul = text.find("\0")
    if nul >= 0:
        at = start + len(text[:nul].encode("utf-8"))
        raise KadError(f"{where}: byte {at}: a NUL byte; this is a binary file, not text; give the "
                       "UTF-8 text file")
    return text


def read_text(path: PathLike, what: str = "input", shown: str | None = None) -> str:
    """The UTF-8 text of the file ``path`` (see :func:`decode_text`); a missing file, a folder
    or an unreadable file raise a one-line :class:`KadError` starting with ``shown`` (default: the
    path)."""
    where = shown or str(path)
    return decode_text(read_bytes(path, f"{what} file", where), where)


def read_bytes(path: PathLike, what: str = "input file", shown: str | None = None,
               limit: int | None = None) -> bytes:
    """The bytes of the file ``path`` (at most ``limit + 1`` of them when ``limit`` is given, so a
    caller can tell a file that is too large); a missing file, a folder or an unreadable file raise
    a one-line :class:`KadError` starting with ``shown`` (default: the path) and naming ``what``."""
    where = shown or str(path)
    try:
        with Path(path).open("rb") as fh:
            return fh.read() if limit is None else fh.read(limit + 1)
    except FileNotFoundError:
        raise KadError(f"{where}: no such {what}; check the path") from None
    except IsADirectoryError:
        raise KadError(f"{where}: is a folder; name the {what}") from None
    except OSError as exc:
        raise KadError(f"{where}: cannot read the {what} ({exc.strerror or exc}); check the "
                       "path and its permissions") from None


def leading_comments(text: str) -> list[str]:
    """The leading lines of ``text`` that start with ``#`` (a note block above a CSV header)."""
    out = []
    for line in text.split("\n"):
        if not line.startswith("#"):
            break
        out.append(line.rstrip("\r"))
    return out


def csv_records(text: str, where: str, comments: int = 0) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Parse CSV text strictly: the header and the ``(row, fields)`` of every non-empty record,
    rows numbered as in a spreadsheet (header = row 1, or the row after the first ``comments``
    lines, which are skipped). The header must name every column once (pandas would silently
    rename a repeated ``DEV`` to ``DEV.1``); every row must have as many fields as the header."""
    if comments:
        lines = text.split("\n")
        text = "\n" * comments + "\n".join(lines[comments:])
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    row = 0
    try:
        for row, record in enumerate(reader, start=1):
            if record:
                records.append((row, record))
    except csv.Error as exc:
        raise KadError(f"{where} row {row + 1}: malformed CSV ({exc}); check the quotes of this "
                       "row") from None
    if not records or records[0][0] != comments + 1:
        raise KadError(f"{where}: no header row; the first row must name the columns")
    header = records[0][1]
    check_header(header, where, comments + 1)
    for row, record in records[1:]:
        if len(record) != len(header):
            raise KadError(f"{where} row {row}: {len(record)} fields, expected {len(header)} (one per "
                           "column of the header); check the commas and quotes of this row")
    return header, records[1:]


def check_header(header: list[str], where: str, row: int = 1) -> None:
    """Every column named, and each name once; positions are 1-based."""
    first: dict[str, int] = {}
    for pos, name in enumerate(header, start=1):
        if not name.strip():
            raise KadError(f"{where} row {row}: column {pos} has no name; name every column in the "
                           "header")
        if name in first:
            raise KadError(f"{where} row {row}: columns {first[name]} and {pos} are both named "
                           f"{excerpt(name)}; give each column its own name")
        first[name] = pos


def checked_csv_text(path: PathLike, where: str, what: str = "data", allow_synthetic: bool = False,
                     opt_in: str | None = "give --allow-synthetic") -> tuple[str, list[str], bool]:
    """The text of a CSV file, its leading ``#`` comment lines and whether it is SYNTHETIC.
    Synthetic data (:func:`kadstudy.survey.io.provenance`) without its ``# SYNTHETIC`` first line
    is refused; with it, unless ``allow_synthetic`` (the refusal names ``opt_in``)."""
    from kadstudy.survey.io import provenance, synthetic_refusal

    text = read_text(path, what, where)
    comments = leading_comments(text)
    body = text.split("\n", len(comments) + 1)
    try:
        header = next(csv.reader([body[len(comments)]]), []) if len(body) > len(comments) else []
    except csv.Error:       # a malformed header: reported by the CSV parser with its row
        header = []
    prov = provenance(str(path), comments, header)
    refusal = synthetic_refusal(where, prov, allow_synthetic, opt_in)
    if refusal:
        raise KadError(refusal)
    return text, comments, prov.synthetic


def read_case_csv(path: PathLike, case_col: str | None = None, shown: str | None = None, *,
                  allow_synthetic: bool = False,
                  opt_in: str | None = "give --allow-synthetic") -> pd.DataFrame:
    """A CSV of cases as text cells indexed by case name (``case_col``, default the first column);
    blank cells become missing; leading ``#`` lines are comments. Problems raise one-line
    :class:`KadError`s that start with ``shown`` (default: the path). SYNTHETIC data is refused
    unless ``allow_synthetic`` (see :func:`checked_csv_text`); the frame's ``attrs["synthetic"]``
    says whether it is."""
    import pandas as pd

    where = shown or str(path)
    text, comments, synthetic = checked_csv_text(path, where, "data", allow_synthetic, opt_in)
    header, records = csv_records(text, where, len(comments))
    if len(header) < 2:
        raise KadError(f"{where}: needs a case-name column and at least one data column")
    if not records:
        raise KadError(f"{where}: the dataset is empty; add at least one case")
    col = case_col or header[0]
    if col not in header:
        raise KadError(f"{where}: no case column {excerpt(col)}; columns are: "
                       f"{excerpt(', '.join(header), 200)}")
    raw = pd.DataFrame([r for _, r in records], columns=header, dtype=str)
    cases = raw[col].astype(str)
    dup = cases.duplicated()
    if dup.any():
        k = int(dup.to_numpy().nonzero()[0][0])
        raise KadError(f"{where} row {records[k][0]}: duplicate case name {excerpt(cases.iloc[k])} in "
                       f"column {excerpt(col)}; make case names unique")
    data = raw.drop(columns=[col])
    data.index = pd.Index(cases, name=col)
    data = data.replace({"": None})
    data.attrs["synthetic"] = synthetic
    return data


# --------------------------------------------------------------------------------------------------
# Writing


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def check_output(path: PathLike, inputs: Iterable[PathLike | None] = (), option: str = "-o") -> Path:
    """Refuse an output path the command must not write: one of its ``inputs`` (same file, also
    through a link), an existing folder or anything but a regular file, a path whose folder does
    not exist (it is not created) or cannot be written. Returns the path."""
    if not str(path):
        raise KadError(f"{option}: an empty file name; name the file to write")
    target = Path(path)
    what = f"{option} {path}"
    if target.is_dir():
        raise KadError(f"{what}: is a folder; name a file to write, e.g. {target / 'out.txt'}")
    if target.exists() and not target.is_file():
        raise KadError(f"{what}: not a regular file (a device or pipe); name a file, or leave out "
                       f"{option} to write to standard output")
    parent = target.parent
    if not parent.is_dir():
        state = "is not a folder" if parent.exists() else "does not exist"
        raise KadError(f"{what}: the folder {parent} {state}; create it first or write elsewhere")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise KadError(f"{what}: the folder {parent} is not writable; write elsewhere")
    if target.exists():
        for inp in inputs:
            if inp is not None and Path(inp).exists() and _same_file(target, Path(inp)):
                raise KadError(f"{what}: is the input file {inp}; write the output to another file")
    return target


def _temp_beside(target: Path) -> tuple[int, Path]:
    """A new, empty temporary file beside ``target``, created with mode 0o666 so that the
    kernel applies the umask (as for any new file); mkstemp would give 0o600."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = target.parent / f".{target.name}.{os.urandom(4).hex()}.tmp"
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {target}")  # pragma: no cover


def _write_error(target: Path, exc: OSError, staged: bool = True) -> KadError:
    done = "; nothing was written" if staged else ""
    return KadError(f"{target}: cannot write ({exc.strerror or exc}){done}; write to a folder you "
                    "can write to")


def atomic_write_files(files: Mapping[PathLike, bytes], *, make_parents: bool = True) -> None:
    """Write several files all or nothing: every one to a temporary file beside it first (any
    failure removes them and raises a one-line :class:`KadError`), then each renamed into place.
    New files follow the umask. ``make_parents`` creates missing folders (internal outputs only;
    a user-named output goes through :func:`check_output` first)."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            target = Path(path)
            try:
                if make_parents:
                    target.parent.mkdir(parents=True, exist_ok=True)
                if target.is_dir():
                    raise IsADirectoryError(21, "is a folder", str(target))
                fd, tmp = _temp_beside(target)
                staged.append((tmp, target))
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
            except OSError as exc:
                raise _write_error(target, exc) from None
        for tmp, target in staged:
            try:
                os.replace(tmp, target)
            except OSError as exc:
                raise _write_error(target, exc, staged=False) from None
    finally:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)


def atomic_write_bytes(path: PathLike, data: bytes, *, make_parents: bool = True) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder, then rename; the file
    gets mode ``0o666 & ~umask``. See :func:`atomic_write_files`."""
    atomic_write_files({path: data}, make_parents=make_parents)


def atomic_write_text(path: PathLike, text: str, *, make_parents: bool = True) -> None:
    """Write UTF-8 text with ``\\n`` line endings atomically."""
    atomic_write_bytes(path, text.encode("utf-8"), make_parents=make_parents)


def write_output(path: PathLike, text: str, inputs: Iterable[PathLike | None] = (),
                 option: str = "-o") -> None:
    """Write a user-named output file: :func:`check_output`, then an atomic write."""
    target = check_output(path, inputs, option)
    try:
        atomic_write_text(target, text, make_parents=False)
    except KadError as exc:
        raise KadError(f"{option} {exc}") from None

