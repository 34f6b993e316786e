"""Validation of codings against their codebook and against the source texts.

Every check returns :class:`Problem` objects; each prints as one line naming the file, the row and
field, what is wrong, and the fix.
"""

from __future__ import annotations

import difflib
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from kadstudy.data.codebook import Codebook
from kadstudy.data.codings import Coding
from kadstudy.io import excerpt

SLUG = re.compile(r"[a-z][a-z0-9_]*")
MAX_QUOTE = 300
DURABLE_YEARS = 5
# Variables that must carry a value (never missing) for a forum to be a case at all.
ALWAYS_CODED = ("name", "country", "scope")


@dataclass(frozen=True)
class Problem:
    """One validation finding, printable as a single line."""

    file: str
    row: int | None
    field: str | None
    message: str
    fix: str

    def __str__(self) -> str:
        where = self.file
        if self.row:
            where += f" row {self.row}"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: {self.message}; {self.fix}"


def normalize(text: str) -> str:
    """Collapse whitespace (line breaks included) and ignore case, for quote matching."""
    return re.sub(r"\s+", " ", text).strip().casefold()


def _suggest(word: str, options: list[str]) -> str:
    close = difflib.get_close_matches(word, options, n=1)
    return f"did you mean '{close[0]}'?" if close else f"use one of {', '.join(options)}"


def check_row(c: Coding, cb: Codebook, file: str) -> list[Problem]:
    """Checks of one coding row on its own."""
    out: list[Problem] = []

    def bad(fld: str, msg: str, fix: str) -> None:
        out.append(Problem(file, c.row, fld, msg, fix))

    if not SLUG.fullmatch(c.forum_id):
        bad("forum_id", f"{excerpt(c.forum_id)} is not a valid forum id",
            "use a lower-case slug of letters, digits and _ starting with a letter")
    if c.variable not in cb:
        bad("variable", f"unknown variable {excerpt(c.variable)}", _suggest(c.variable, cb.ids))
        return out
    var = cb[c.variable]
    if c.history:
        try:
            ok = isinstance(json.loads(c.history), list)
        except json.JSONDecodeError:
            ok = False
        if not ok:
            bad("history", "is not a JSON list of earlier records", "leave history to add-case")
    if c.is_missing:
        if c.missing not in cb.missing_codes:
            bad("missing", f"value is empty and missing code {excerpt(c.missing)} is not known",
                f"give a value, or a missing code: {', '.join(cb.missing_codes)}")
        if not c.note.strip():
            bad("note", "a missing value needs the reason in note",
                "say why the sources do not decide this value")
        if c.variable in ALWAYS_CODED:
            bad("value", f"'{c.variable}' may not be missing", "code it from the source")
        if c.quote and c.line_range() is None:
            bad("lines", f"{excerpt(c.lines)} is not a line range", "write N or N-M")
        return out
    if c.missing:
        bad("missing", f"has both a value and missing code {excerpt(c.missing)}", "clear one of them")
    problem = var.check(c.value)
    if problem and len(c.value) > 40:   # the codebook's message quotes the value: shorten it
        problem = problem.replace(f"'{c.value}'", excerpt(c.value))
    if problem:
        bad("value", f"{problem} for {var.type} variable '{var.id}'", f"use {var.allowed_text()}")
    if not c.source:
        bad("source", "a coded value has no source", f"cite one of {', '.join(cb.sources)}")
    elif c.source not in cb.sources:
        bad("source", f"unknown source {excerpt(c.source)}", _suggest(c.source, list(cb.sources)))
    if c.line_range() is None:
        bad("lines", f"{excerpt(c.lines)} is not a line range", "write N or N-M with N <= M, counting from 1")
    if not c.quote.strip():
        bad("quote", "a coded value needs a verbatim quote", "copy a short passage from the cited lines")
    elif len(c.quote) > MAX_QUOTE:
        bad("quote", f"quote is {len(c.quote)} characters", f"shorten it to {MAX_QUOTE} or fewer")
    if not c.coder.strip():
        bad("coder", "coder is empty", "name who coded the value")
    return out


def _consistency(forum: str, rows: dict[str, Coding], file: str) -> list[Problem]:
    """Cross-variable rules: dates in order and the codebook's rule for ``durable``."""
    out: list[Problem] = []
    val = {k: int(c.value) for k, c in rows.items()
           if not c.is_missing and k in ("active", "status", "durable", "founded", "obs_year", "ended")
           and c.value.isdigit()}

    def bad(var: str, msg: str, fix: str) -> None:
        out.append(Problem(file, rows[var].row, var, f"forum '{forum}': {msg}", fix))

    if val.get("active") == 1 and "ended" in val:
        bad("ended", "has an end year but is coded active", "code ended as missing not_applicable")
    if "status" in val and "active" in val:
        if val["status"] == 0 and val["active"] == 1:
            bad("status", "status 0 (ended) contradicts active = 1", "correct status or active")
        if val["status"] >= 2 and val["active"] == 0:
            bad("status", "status >= 2 (operating) contradicts active = 0", "correct status or active")
    for later in ("obs_year", "ended"):
        if "founded" in val and later in val and val[later] < val["founded"]:
            bad(later, f"{later} {val[later]} is before founded {val['founded']}", "check both years")
    _components(rows, val, bad)
    if "durable" not in val:
        return out
    ended = val.get("active") == 0 or val.get("status", 2) <= 1
    if val["durable"] == 1 and ended:
        bad("durable", "durable = 1 but the forum ended or is dormant (active/status)",
            "by the codebook rule durable is 0 for an ended or dormant forum")
    if "founded" in val and "obs_year" in val and not ended and val.get("active") == 1:
        expected = int(val["obs_year"] - val["founded"] >= DURABLE_YEARS)
        if val["durable"] != expected:
            bad("durable", f"durable = {val['durable']} but it was active {val['obs_year']} after "
                f"founding in {val['founded']}",
                f"by the codebook rule durable is {expected} (active and >= {DURABLE_YEARS} years)")
    return out


# Outcome components (issue 11): obs_status against status and active, and the outcome they derive.
_STATUS_OF = {"active": (2, 3), "stagnant": (1,), "ended": (0,), "replaced": (0,)}
LOWER_BOUND = re.compile(r"^(\[class [^\]]*\] )?\[lower bound\]")


def _components(rows: dict[str, Coding], val: dict[str, int], bad) -> None:
    """obs_status agrees with status and active; an exact obs_age is obs_year - founded; durable is
    what the codebook derives from obs_status and obs_age. Problems go to ``bad``."""
    state = rows["obs_status"].value if "obs_status" in rows else ""
    age_row = rows.get("obs_age")
    age = int(age_row.value) if age_row is not None and age_row.value.isdigit() else None
    lower = age_row is not None and bool(LOWER_BOUND.match(age_row.note))
    if state in _STATUS_OF:
        if "status" in val and val["status"] not in _STATUS_OF[state]:
            bad("obs_status", f"obs_status {state} contradicts status {val['status']}",
                "code both from the same passage (active = 2-3, stagnant = 1, ended/replaced = 0)")
        if "active" in val and val["active"] != int(state in ("active", "stagnant")):
            bad("obs_status", f"obs_status {state} contradicts active {val['active']}",
                "active is 0 exactly when the forum ended or was replaced")
    if age is not None and not lower and "founded" in val and "obs_year" in val \
            and age != val["obs_year"] - val["founded"]:
        bad("obs_age", f"obs_age {age} is not obs_year {val['obs_year']} - founded {val['founded']}",
            "correct the age, or mark a lower bound with '[lower bound]' in its note")
    if "durable" in val and "obs_status" in rows and (not state or (state == "active" and age is None)):
        bad("durable", f"durable = {val['durable']} but the components do not decide it "
            f"(obs_status {state or 'missing'}, obs_age {'missing' if age is None else age})",
            "code durable as missing, or code the components it derives from")
    elif "durable" in val and state:
        expected = None
        if state in ("stagnant", "ended", "replaced"):
            expected = 0
        elif state == "active" and age is not None:
            expected = 1 if age >= DURABLE_YEARS else (None if lower else 0)
        if expected is not None and val["durable"] != expected:
            bad("durable", f"durable = {val['durable']} but obs_status {state}, obs_age {age}"
                f"{' (lower bound)' if lower else ''}",
                f"the codebook derives durable = {expected} from the components")


def check_codings(codings: list[Coding], cb: Codebook, file: str) -> list[Problem]:
    """All checks that need only the codings and the codebook."""
    problems: list[Problem] = []
    by_forum: dict[str, dict[str, Coding]] = defaultdict(dict)
    for c in codings:
        problems.extend(check_row(c, cb, file))
        first = by_forum[c.forum_id].get(c.variable)
        if first is not None:
            problems.append(Problem(file, c.row, "variable",
                                    f"forum '{c.forum_id}' codes '{c.variable}' again (first in row "
                                    f"{first.row})", "keep one row per forum and variable"))
        else:
            by_forum[c.forum_id][c.variable] = c
    for forum, rows in sorted(by_forum.items()):
        absent = [v for v in cb.required if v not in rows]
        if absent:
            problems.append(Problem(file, None, None,
                                    f"forum '{forum}' has no row for {', '.join(absent)}",
                                    "add a coded value or a missing code with its reason for each"))
        problems.extend(_consistency(forum, rows, file))
    return problems


def find_source_file(sources_dir: Path, prefix: str) -> Path | None:
    """The one text file in ``sources_dir`` whose name starts with ``prefix``."""
    matches = sorted(p for p in sources_dir.glob(f"{prefix}*") if p.is_file())
    return matches[0] if len(matches) == 1 else None


def read_sources(cb: Codebook, sources_dir: str | Path) -> dict[str, list[str]]:
    """The lines of every source text the codebook names that is present in ``sources_dir``."""
    folder = Path(sources_dir)
    texts: dict[str, list[str]] = {}
    for sid, spec in cb.sources.items():
        path = find_source_file(folder, spec.get("file_prefix", sid))
        if path is not None:
            texts[sid] = path.read_text(encoding="utf-8").splitlines()
    return texts


def check_quotes(codings: list[Coding], texts: dict[str, list[str]], file: str) -> list[Problem]:
    """Each quote must occur in its cited lines (whitespace collapsed, case ignored)."""
    problems: list[Problem] = []
    for c in codings:
        if not c.quote or c.source not in texts:
            continue
        span = c.line_range()
        if span is None:
            continue
        lines = texts[c.source]
        first, last = span
        if last > len(lines):
            problems.append(Problem(file, c.row, "lines",
                                    f"{c.source} has {len(lines)} lines, cited {c.lines}",
                                    "cite lines inside the text"))
            continue
        if normalize(c.quote) not in normalize(" ".join(lines[first - 1:last])):
            problems.append(Problem(file, c.row, "quote",
                                    f"quote not found in {c.source} lines {c.lines}: "
                                    f"'{c.quote[:50]}'", "copy it verbatim from those lines"))
    return problems


def missing_sources(cb: Codebook, texts: dict[str, list[str]], codings: list[Coding]) -> list[str]:
    """Sources cited by codings whose text was not found."""
    return sorted({c.source for c in codings if c.quote and c.source in cb.sources} - set(texts))
