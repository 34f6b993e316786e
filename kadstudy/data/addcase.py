"""Adding or amending a forum's codings from a YAML file, safely.

The file is validated in full before anything is written; an existing value is only changed with
``replace=True``, and then the old record is kept in the row's ``history``. Writes are atomic.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from kadstudy.data.codings import COLUMNS, Coding, coding_from_mapping, format_codings
from kadstudy.data.dataset import Dataset, wide_csv
from kadstudy.data.validate import (
    Problem,
    check_codings,
    check_quotes,
    check_row,
    missing_sources,
    normalize,
    read_sources,
)
from kadstudy.errors import DataError
from kadstudy.io import atomic_write_text

TOP_KEYS = ("forum_id", "coder", "source", "codings")
ENTRY_KEYS = tuple(c for c in COLUMNS if c not in ("forum_id", "variable", "history"))


class ValidationFailed(DataError):
    """Raised with every problem found; ``str()`` gives one line per problem."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def read_case_file(path: str | Path) -> dict[str, Any]:
    """Read an add-case YAML file (the safe reader of :mod:`kadstudy.schema`: UTF-8 checked,
    duplicate keys refused)."""
    from kadstudy.schema import read_yaml

    return read_yaml(path, str(path), error=DataError, what="add-case file",
                     keys_hint=f"keys {', '.join(TOP_KEYS)}")


def case_codings(doc: dict[str, Any], file: str) -> list[Coding]:
    """Turn a parsed add-case document into codings; structural problems (checked by the
    :class:`~kadstudy.schema.addcase.CaseFile` schema) are raised one line each."""
    from kadstudy.schema import validate
    from kadstudy.schema.addcase import CaseFile

    case, problems = validate(CaseFile, doc, file)
    if problems:
        raise DataError("\n".join(problems))
    assert isinstance(case, CaseFile)
    out = []
    for var, entry in case.codings.items():
        spec = entry.model_dump(exclude_unset=True)
        defaults = {"coder": doc.get("coder", "")}
        if spec.get("value") not in (None, ""):
            defaults["source"] = doc.get("source", "")
        out.append(coding_from_mapping(case.forum_id, str(var), defaults | spec))
    return out


@dataclass(frozen=True)
class AddResult:
    """What an add-case changed."""

    forum_id: str
    added: int
    replaced: int
    unchanged: int
    new_forum: bool


def add_case(ds: Dataset, case_file: str | Path, *, replace_existing: bool = False,
             sources_dir: str | Path | None = None, check_sources: bool = True) -> AddResult:
    """Validate ``case_file`` against the dataset and, if all is well, write it in atomically."""
    file = str(case_file)
    new = case_codings(read_case_file(case_file), file)
    cb = ds.codebook()
    existing = ds.codings()
    codings_file = ds.display(ds.codings_path)
    index = {c.key: c for c in existing}
    forum = new[0].forum_id
    new_forum = not any(c.forum_id == forum for c in existing)
    problems: list[Problem] = []
    for c in new:
        problems.extend(replace(p, file=file, row=None, field=f"codings.{c.variable}.{p.field}")
                        for p in check_row(c, cb, file))
    if new_forum:
        name = next((c.value for c in new if c.variable == "name" and c.value), "")
        for c in existing:
            if c.variable == "name" and name and normalize(c.value) == normalize(name):
                problems.append(Problem(file, None, "forum_id",
                                        f"new forum '{forum}' has the name of existing forum "
                                        f"'{c.forum_id}' ('{c.value}')",
                                        f"amend '{c.forum_id}' instead of adding a duplicate case"))
    if check_sources:
        if sources_dir is None:
            problems.append(Problem(file, None, None, "cannot check the quotes: no source texts",
                                    "pass --sources DIR (or --skip-quote-check)"))
        else:
            texts = read_sources(cb, sources_dir)
            for sid in missing_sources(cb, texts, new):
                problems.append(Problem(file, None, None, f"no text for source '{sid}' in "
                                        f"{sources_dir}", "point --sources at the source texts"))
            problems.extend(replace(p, file=file, row=None, field=f"codings.{c.variable}.quote")
                            for p, c in ((p, c) for c in new for p in check_quotes([c], texts, file)))
    added = replaced = unchanged = 0
    merged = dict(index)
    for c in new:
        old = index.get(c.key)
        if old is None:
            merged[c.key] = c
            added += 1
        elif old.record() == c.record():
            unchanged += 1
        elif not replace_existing:
            shown = old.value if old.value else f"missing ({old.missing})"
            problems.append(Problem(file, None, f"codings.{c.variable}",
                                    f"forum '{forum}' already has '{shown}' for '{c.variable}' "
                                    f"({codings_file} row {old.row})",
                                    "pass --replace to change it (the old value is kept in history)"))
        else:
            merged[c.key] = replace(c, row=old.row).with_history_of(old)
            replaced += 1
    if not problems:
        # Row numbers of new rows are unknown until written; name the case file instead.
        problems.extend(replace(p, file=file if p.row == 0 else p.file)
                        for p in check_codings(list(merged.values()), cb, codings_file))
    if problems:
        raise ValidationFailed(problems)
    rows = list(merged.values())
    if added or replaced:
        atomic_write_text(ds.codings_path, format_codings(rows, cb.ids))
        atomic_write_text(ds.wide_path, wide_csv(rows, cb))
    return AddResult(forum, added, replaced, unchanged, new_forum)
