"""Files of the survey: the instrument (YAML), the responses (CSV) and the forum ids they must use.

Reading checks everything and raises :class:`~kadstudy.errors.DataError` with one line per problem,
each naming the file, the row (its line in the file) and field, what is wrong and the fix. Writing
is atomic (``kadstudy.io.atomic_write_text``), so nothing is written when a check fails.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from kadstudy.data.validate import Problem
from kadstudy.errors import DataError, KadError
from kadstudy.io import csv_records, excerpt, read_text
from kadstudy.survey.instrument import META_COLUMNS, Instrument, parse_instrument

MAX_PROBLEMS = 50
WHOLE = re.compile(r"[+-]?\d+")


def shown(path: str | Path) -> str:
    """A path as shown in messages: relative to the working directory when possible."""
    p = Path(path)
    try:
        return p.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(p)


def _read_text(path: str | Path, what: str) -> str:
    """UTF-8 text (a UTF-8 byte order mark is dropped; other encodings are refused with the byte
    offset)."""
    try:
        return read_text(path, what, shown(path))
    except KadError as exc:
        raise DataError(str(exc)) from None


def read_instrument(path: str | Path) -> Instrument:
    """Read and check an instrument YAML file."""
    from kadstudy.schema import read_yaml

    doc = read_yaml(path, shown(path), error=DataError, what="instrument file",
                    keys_hint="sections (instrument, response_scales, scales, ...)")
    return parse_instrument(doc, shown(path))


def read_forums(path: str | Path) -> pd.DataFrame:
    """The case table (``forums.csv``: a ``forum_id`` column and others) as text, indexed by
    forum id."""
    text = _read_text(path, "forums")
    try:
        header, records = csv_records(text, shown(path))
    except KadError as exc:
        raise DataError(str(exc)) from None
    frame = pd.DataFrame([r for _, r in records], columns=header, dtype=str)
    if "forum_id" not in frame.columns:
        raise DataError(f"{shown(path)} row 1: no 'forum_id' column; point --forums at the case "
                        "dataset's forums.csv")
    return frame.set_index("forum_id")


@dataclass
class Responses:
    """Checked responses: ``frame`` holds the four meta columns (text) and one float column per
    item (NaN = no answer); ``rows`` the line of each respondent in the file."""

    frame: pd.DataFrame
    file: str
    synthetic: bool
    notes: list[str] = field(default_factory=list)
    rows: np.ndarray | None = None


def _suggest(word: str, options: list[str]) -> str:
    close = difflib.get_close_matches(word, options, n=1)
    return f"did you mean '{close[0]}'?" if close else ""


def _short(text: str) -> str:
    """A short cell as it is, a long one as an escaped excerpt."""
    return text if len(text) <= 20 else excerpt(text)


def _capped(lines: list[str], limit: int, file: str, what: str) -> str:
    """At most ``limit`` problem lines, then one line saying how many more."""
    out = lines[:limit]
    if len(lines) > limit:
        out.append(f"{file}: ... and {len(lines) - limit} more {what}; fix these and check again")
    return "\n".join(out)


def is_synthetic(file: str | Path, notes: list[str]) -> bool:
    """A responses file is synthetic when its name or one of its leading ``#`` notes says SYNTHETIC."""
    return "SYNTHETIC" in Path(file).name.upper() or any("SYNTHETIC" in n.upper() for n in notes)


def leading_notes(path: str | Path) -> list[str]:
    """The ``#`` note lines at the top of a responses file, without reading the rest."""
    notes = []
    with Path(path).open(encoding="utf-8-sig", errors="replace") as fh:
        for line in fh:
            if not line.startswith("#"):
                break
            notes.append(line.lstrip("#").strip())
    return notes


def parse_responses(text: str, file: str, instrument: Instrument, forum_ids: list[str] | None,
                    forums_file: str = "forums.csv", max_problems: int = MAX_PROBLEMS) -> Responses:
    """Check responses CSV text against the instrument and the known forum ids.

    Leading lines starting with ``#`` are notes (a synthetic file says so there). Rows are the
    lines of the file (the header is the first line after the notes)."""
    lines = text.removeprefix("\ufeff").split("\n")
    notes = []
    while lines and lines[0].startswith("#"):
        notes.append(lines.pop(0).lstrip("#").strip())
    offset = len(notes)                        # lines before the header
    body = "\n".join(lines)
    if not body.strip():
        raise DataError(f"{file}: no header row; the first row must be "
                        f"{','.join(instrument.columns[:5])},...")
    hrow = offset + 1
    try:
        header = next(csv.reader([lines[0]]))
    except csv.Error as exc:
        raise DataError(f"{file} row {hrow}: malformed CSV header ({exc}); the first row must be "
                        f"{','.join(instrument.columns[:5])},...") from None
    problems: list[Problem] = []
    first: dict[str, int] = {}
    for pos, col in enumerate(header, start=1):
        plain = col.isprintable() and len(col) <= 40 and "'" not in col
        fld, name = (col, f"'{col}'") if plain else (None, f"column {pos} {excerpt(col)}")
        if col in first:
            problems.append(Problem(file, hrow, fld, f"duplicate column (columns {first[col]} and {pos} "
                                    f"are both named {excerpt(col)})", "keep one column per item"))
            continue
        first[col] = pos
        if col not in META_COLUMNS and col not in instrument.items:
            hint = _suggest(col, instrument.item_ids + list(META_COLUMNS))
            problems.append(Problem(file, hrow, fld, f"unknown item {name}: not in instrument "
                                    f"'{instrument.id}'", hint or "remove the column or add the item "
                                    "to the instrument"))
    for col in instrument.columns:
        if col not in first:
            what = "column" if col in META_COLUMNS else "item column"
            problems.append(Problem(file, hrow, col, f"missing {what} '{col}'",
                                    "add it (leave an item's cells blank for no answer)"))
    if problems:
        raise DataError(_capped([str(p) for p in problems], max_problems, file, "problems in the header"))
    # First pass (csv module): the line each record starts on, and its number of fields. Blank
    # lines are skipped (as pandas does below), so records and frame rows correspond one to one.
    starts, bad_width = [], []
    reader = csv.reader(io.StringIO(body, newline=""))
    last = 0
    try:
        next(reader)
        last = reader.line_num
        for record in reader:
            if record:
                starts.append(last + 1 + offset)
                if len(record) != len(header):
                    bad_width.append(Problem(file, last + 1 + offset, None, f"{len(record)} fields, "
                                             f"expected {len(header)}", "check the commas and quotes of "
                                             "this row"))
            last = reader.line_num
    except csv.Error as exc:
        raise DataError(f"{file} row {last + 1 + offset}: malformed CSV ({exc}); check the quotes of "
                        "this row") from None
    if bad_width:
        raise DataError(_capped([str(p) for p in bad_width], max_problems, file,
                                "rows with the wrong number of fields"))
    try:
        raw = pd.read_csv(io.StringIO(body), dtype=str, keep_default_na=False, skip_blank_lines=True)
    except (pd.errors.ParserError, ValueError) as exc:   # pragma: no cover - the first pass catches them
        raise DataError(f"{file}: cannot read as CSV ({str(exc).strip().splitlines()[-1]}); check the "
                        "quotes") from None
    rows = np.asarray(starts, dtype=np.int64)
    if len(rows) != len(raw):   # pragma: no cover - a disagreement of the two parsers
        raise DataError(f"{file}: cannot read as CSV (rows of the two parsers differ); check the quotes")
    blank = (raw == "").all(axis=1).to_numpy()     # a row of empty cells, e.g. from a spreadsheet
    raw, rows = raw.loc[~blank].reset_index(drop=True), rows[~blank]
    if raw.empty:
        raise DataError(f"{file}: no respondents below the header; add one row per respondent")

    found: list[tuple[int, int, Problem]] = []     # (row, column order, problem)
    order = {c: k for k, c in enumerate(instrument.columns)}

    def flag(mask: np.ndarray, col: str, message, fix) -> None:
        for k in np.flatnonzero(mask)[: max_problems + 1]:
            value = raw.at[k, col]
            msg = message(value) if callable(message) else message
            fx = fix(value) if callable(fix) else fix
            found.append((int(rows[k]), order[col], Problem(file, int(rows[k]), col, msg, fx)))

    meta = {c: raw[c].str.strip() for c in META_COLUMNS}
    rid = meta["respondent_id"]
    flag((rid == "").to_numpy(), "respondent_id", "missing respondent id",
         "give every respondent a unique id")
    dup = (rid != "") & rid.duplicated(keep="first")
    if dup.any():
        firsts = (~rid.duplicated(keep="first")).to_numpy()
        first_row = dict(zip(rid[firsts], rows[firsts], strict=True))
        flag(dup.to_numpy(), "respondent_id", lambda v: f"duplicate respondent {excerpt(v.strip())} (first "
             f"on row {first_row[v.strip()]})", "give each respondent one row and a unique id")
    fid = meta["forum_id"]
    flag((fid == "").to_numpy(), "forum_id", "missing forum id", f"use a forum_id of {forums_file}")
    if forum_ids is not None:
        known = set(forum_ids)
        unknown = (fid != "") & ~fid.isin(known)
        sorted_ids = sorted(known)
        flag(unknown.to_numpy(), "forum_id",
             lambda v: f"unknown forum {excerpt(v.strip())}: not in {forums_file}",
             lambda v: _suggest(v.strip(), sorted_ids) or f"use a forum_id of {forums_file}, or add the "
             "forum to the case dataset first")
    flag((meta["member_government"] == "").to_numpy(), "member_government", "missing member government",
         "name the member government the respondent works for")
    roles = sorted(instrument.roles)
    flag((~meta["role"].isin(set(roles))).to_numpy(), "role",
         lambda v: f"unknown role {excerpt(v.strip())}" if v.strip() else "missing role",
         lambda v: _suggest(v.strip(), roles) or f"use one of {', '.join(roles)}")

    answers = np.empty((len(raw), len(instrument.items)), dtype=float)
    any_given = np.zeros(len(raw), dtype=bool)
    for j, (iid, item) in enumerate(instrument.items.items()):
        cell = raw[iid].str.strip()
        given = (cell != "").to_numpy()
        any_given |= given
        whole = cell.str.fullmatch(WHOLE.pattern).to_numpy(dtype=bool)
        num = pd.to_numeric(cell.where(whole, None), errors="coerce").to_numpy(dtype=float)
        lo, hi = item.response.min, item.response.max
        scale_text = f"{lo}-{hi}"
        flag(given & ~whole, iid, lambda v, s=scale_text: f"answer {excerpt(v.strip())} is not a whole "
             f"number on the {s} scale", f"write a whole number from {lo} to {hi}, or leave it blank for "
             "no answer")
        out = whole & ((num < lo) | (num > hi))
        flag(out, iid, lambda v, s=scale_text, i=iid: f"answer {_short(v.strip())} is outside the {s} "
             f"scale of item '{i}'", f"use a whole number from {lo} to {hi}, or leave it blank for no answer")
        answers[:, j] = np.where(whole & ~out, num, np.nan)
    flag(~any_given, instrument.item_ids[0], "the respondent answered no item",
         "drop the row or enter the answers")

    if found:
        found.sort(key=lambda t: (t[0], t[1]))
        lines_out = [str(p) for _, _, p in found[:max_problems]]
        if len(found) > max_problems:
            lines_out.append(f"{file}: ... and more problems after these {max_problems}; fix these and "
                             "check again")
        raise DataError("\n".join(lines_out))
    frame = pd.DataFrame({c: meta[c].to_numpy(dtype=object) for c in META_COLUMNS})
    frame = pd.concat([frame, pd.DataFrame(answers, columns=instrument.item_ids)], axis=1)
    return Responses(frame, file, is_synthetic(file, notes), notes, rows)


def read_responses(path: str | Path, instrument: Instrument, forum_ids: list[str] | None,
                   forums_file: str = "forums.csv", max_problems: int = MAX_PROBLEMS) -> Responses:
    """Read and check a responses CSV file (see :func:`parse_responses`)."""
    return parse_responses(_read_text(path, "responses"), shown(path), instrument, forum_ids,
                           forums_file, max_problems)


def responses_csv(frame: pd.DataFrame, instrument: Instrument, notes: list[str] | None = None) -> str:
    """Responses as CSV text: optional ``# `` note lines, the header, one row per respondent,
    answers as whole numbers and blank for no answer; ``\\n`` line endings."""
    buf = io.StringIO(newline="")
    for note in notes or []:
        buf.write(f"# {note}\n")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(instrument.columns)
    meta = [frame[c].astype(str).tolist() for c in META_COLUMNS]
    cells = []
    for iid in instrument.items:
        vals = frame[iid].to_numpy(dtype=float)
        text = np.where(np.isnan(vals), "", np.nan_to_num(vals).astype(np.int64).astype(str))
        cells.append(text.tolist())
    writer.writerows(zip(*meta, *cells, strict=True))
    return buf.getvalue()


def write_text(path: str | Path, text: str) -> None:
    """Write a file atomically (all or nothing)."""
    from kadstudy.io import atomic_write_text

    atomic_write_text(path, text)
