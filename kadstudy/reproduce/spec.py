"""Replication specs ``analyses/replications/<id>.yaml``: read safely, checked key by key.

A spec names a published table (the citation), the data and the method that rebuild it, and the
table itself transcribed as data at the precision the publication printed. Every problem is one
line naming the file, the key and the fix, e.g.
``analyses/replications/x.yaml: key 'publshed': unknown key; did you mean 'published'?``.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from kadstudy.errors import KadError
from kadstudy.schema import read_yaml, validate
from kadstudy.schema.errors import printable
from kadstudy.schema.fields import is_text
from kadstudy.schema.replication import METHODS, PUBLICATION_STATUS, ReplicationDoc

ID_RE = re.compile(r"[a-z0-9][a-z0-9_-]*")
NUMBER_RE = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
EMPTY = "-"  # a cell the publication prints as a dash (an empty value, compared as such)


class ReplicationSpecError(KadError):
    """A problem in a replication spec."""


COLUMN_KEYS = {"name", "decimals", "compare", "lines", "note"}


# ---------------------------------------------------------------------------- the published table


@dataclass(frozen=True)
class Column:
    """A column of the published table. ``decimals`` set: numbers printed with that many decimals
    (cells given as quoted text keep their own). ``compare: false`` marks a column that is only
    transcribed (a label, or something the data cannot rebuild)."""

    name: str
    decimals: int | None = None
    number: bool = False
    compare: bool = True
    lines: str = ""
    note: str = ""


@dataclass(frozen=True)
class Cell:
    """One published cell. ``stated`` is false for ``null`` (not printed or not stated: not
    compared); ``empty`` for a printed dash; ``number``/``decimals`` for numeric cells."""

    text: str
    stated: bool = True
    empty: bool = False
    number: Decimal | None = None
    decimals: int | None = None


@dataclass(frozen=True)
class PublishedTable:
    columns: list[Column]
    key: list[str]
    rows: list[dict[str, Cell]]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def key_of(self, row: dict[str, Cell]) -> tuple[str, ...]:
        return tuple(norm_key(row[k].text) for k in self.key)


@dataclass(frozen=True)
class KnownDifference:
    row: tuple[str, ...]
    column: str
    reason: str


@dataclass(frozen=True)
class PublishedFrom:
    """``published: {from_data: ...}``: the published values are a file under the data root (the
    authors' replication file), read when the spec is run and never copied into the project.
    ``sets`` are the columns compared (default: every calibrated set)."""

    file: str
    sets: list[str] | None = None
    case_col: str | None = None


@dataclass(frozen=True)
class ReplicationSpec:
    """A validated replication spec. ``published`` is None when no publication table was found
    (``publication.status: not_found``) and, until :func:`kadstudy.reproduce.rebuild.load_published`
    reads it, when the published values come from a data file (``published_from``)."""

    id: str
    path: Path
    shown: str
    title: str
    citation: dict[str, Any]
    method: str
    parameters: dict[str, Any]
    published: PublishedTable | None
    dataset: str | None = None
    data: str | None = None
    data_root: str | None = None
    note: str = ""
    known_differences: list[KnownDifference] = field(default_factory=list)
    publication: dict[str, Any] = field(default_factory=lambda: {"status": "transcribed"})
    published_from: PublishedFrom | None = None

    @property
    def reads(self) -> str:
        """``dataset`` (a coded dataset) or ``data`` (a CSV under the data root)."""
        return METHODS[self.method][0]

    @property
    def found(self) -> bool:
        """Whether a published table was found (``publication.status: transcribed``)."""
        return self.publication.get("status", "transcribed") == "transcribed"

    @property
    def searched(self) -> list[str]:
        """What was searched for the publication's table, and where (``publication.searched``)."""
        s = self.publication.get("searched") or []
        return [s] if isinstance(s, str) else list(s)


def norm_key(text: str) -> str:
    """A row-key cell as compared: whitespace collapsed, case ignored."""
    return " ".join(str(text).split()).casefold()


def number_text(value: int | float) -> str:
    """A YAML number as text: integers without a decimal point."""
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def _cell(value: Any, col: Column, where: str) -> tuple[Cell | None, str | None]:
    """Parse one published cell; return (cell, problem)."""
    if value is None:
        return Cell(text="", stated=False), None
    if isinstance(value, bool | dict | list):
        return None, f"{where}: a cell must be text, a number or null (not {value!r})"
    if isinstance(value, str) and value.strip() in ("", EMPTY):
        return Cell(text=value.strip(), empty=True), None
    if not col.number:
        text = number_text(value) if isinstance(value, int | float) else value
        return Cell(text=text), None
    if isinstance(value, str):
        text = value.strip()
        if not NUMBER_RE.fullmatch(text):
            return None, (f"{where}: {value!r} is not a number; write it as printed, e.g. '0.815', "
                          f"or '-' for a dash, or null when not printed")
        decimals = len(text.split(".")[1]) if "." in text else 0
        return Cell(text=text, number=Decimal(text), decimals=decimals), None
    if isinstance(value, float) and col.decimals is None:
        return None, (f"{where}: {value!r} is a decimal number but column '{col.name}' has no "
                      f"'decimals'; give the column decimals: N or quote the number as printed")
    decimals = col.decimals if col.decimals is not None else 0
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    text = f"{number:.{decimals}f}"
    if Decimal(text) != number:
        return None, (f"{where}: {value!r} has more decimals than the column's decimals: {decimals}; "
                      f"transcribe the number as printed")
    return Cell(text=text, number=Decimal(text), decimals=decimals), None


def _columns(raw: Any, shown: str) -> tuple[list[Column], list[str]]:
    problems: list[str] = []
    where = f"{shown}: key 'published.columns'"
    if not isinstance(raw, list) or not raw:
        return [], [f"{where}: expected a list of column names or {{name, decimals, compare, lines}}"]
    cols: list[Column] = []
    for i, c in enumerate(raw, 1):
        if isinstance(c, str) and c:
            cols.append(Column(name=c))
            continue
        if not isinstance(c, dict) or not isinstance(c.get("name"), str) or not c["name"]:
            problems.append(f"{where}, column {i}: expected a name or a mapping with 'name'")
            continue
        unknown = sorted(set(map(str, c)) - COLUMN_KEYS)
        if unknown:
            close = difflib.get_close_matches(unknown[0], sorted(COLUMN_KEYS), n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(sorted(COLUMN_KEYS))}"
            problems.append(f"{where}, column '{c['name']}': unknown key '{unknown[0]}'; {hint}")
            continue
        dec = c.get("decimals")
        if dec is not None and not (isinstance(dec, int) and not isinstance(dec, bool) and 0 <= dec <= 15):
            problems.append(f"{where}, column '{c['name']}': decimals must be a whole number 0-15")
            continue
        if "compare" in c and not isinstance(c["compare"], bool):
            problems.append(f"{where}, column '{c['name']}': compare must be true or false")
            continue
        cols.append(Column(name=c["name"], decimals=dec, compare=c.get("compare", True),
                           lines=str(c.get("lines", "") or ""), note=str(c.get("note", "") or "")))
    names = [c.name for c in cols]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        problems.append(f"{where}: column '{dup[0]}' appears twice; give each column one name")
    return cols, problems


def _published(raw: Any, shown: str) -> tuple[PublishedTable | None, list[str]]:
    """The ``published:`` table: key, columns and rows (lists in column order)."""
    if not isinstance(raw, dict):
        return None, [f"{shown}: key 'published': expected a mapping with key, columns and rows "
                      "(the published table transcribed as data)"]
    problems = []
    for k in raw:
        if k not in ("key", "columns", "rows"):
            close = difflib.get_close_matches(str(k), ["key", "columns", "rows"], n=1)
            hint = f"did you mean '{close[0]}'?" if close else "known keys: key, columns, rows"
            problems.append(f"{shown}: key 'published.{k}': unknown key; {hint}")
    for k in ("key", "columns", "rows"):
        if k not in raw:
            problems.append(f"{shown}: key 'published.{k}': missing; transcribe the published table "
                            "as key (the row-identifying column), columns and rows")
    if problems:
        return None, problems
    cols, problems = _columns(raw["columns"], shown)
    if problems:
        return None, problems
    key = raw["key"] if isinstance(raw["key"], list) else [raw["key"]]
    names = [c.name for c in cols]
    for k in key:
        if k not in names:
            problems.append(f"{shown}: key 'published.key': '{k}' is not one of the columns "
                            f"({', '.join(names)})")
    rows_raw = raw["rows"]
    if not isinstance(rows_raw, list) or not rows_raw:
        problems.append(f"{shown}: key 'published.rows': expected a list of rows, each a list of "
                        f"{len(cols)} cells in column order")
    if problems:
        return None, problems
    # a column is numeric when it declares decimals or every stated cell is a YAML number
    typed = []
    for j, c in enumerate(cols):
        values = [r[j] for r in rows_raw if isinstance(r, list) and len(r) == len(cols)]
        stated = [v for v in values
                  if v is not None and not (isinstance(v, str) and v.strip() in ("", EMPTY))]
        numeric = c.decimals is not None or (
            bool(stated) and all(isinstance(v, int | float) and not isinstance(v, bool) for v in stated))
        typed.append(Column(name=c.name, decimals=c.decimals, number=numeric and c.name not in key,
                            compare=c.compare and c.name not in key, lines=c.lines, note=c.note))
    rows: list[dict[str, Cell]] = []
    seen: dict[tuple[str, ...], int] = {}
    for i, r in enumerate(rows_raw, 1):
        where = f"{shown}: key 'published.rows', row {i}"
        if not isinstance(r, list) or len(r) != len(cols):
            problems.append(f"{where}: expected a list of {len(cols)} cells ({', '.join(names)}), "
                            f"got {r!r}")
            continue
        row = {}
        for c, v in zip(typed, r, strict=True):
            cell, problem = _cell(v, c, f"{where}, column '{c.name}'")
            if problem:
                problems.append(problem)
            else:
                row[c.name] = cell
        if len(row) != len(cols):
            continue
        if any(not row[k].stated or not row[k].text for k in key):
            problems.append(f"{where}: the key column(s) {', '.join(key)} must not be empty")
            continue
        k = tuple(norm_key(row[k].text) for k in key)
        if k in seen:
            problems.append(f"{where}: same key as row {seen[k]} ({', '.join(k)}); keys must be unique")
            continue
        seen[k] = i
        rows.append(row)
    if problems:
        return None, problems
    return PublishedTable(columns=typed, key=key, rows=rows), []


FROM_DATA_KEYS = ("from_data", "sets", "case_col")


def _published_from(raw: dict[str, Any], shown: str, method: str | None) -> tuple[PublishedFrom | None,
                                                                                  list[str]]:
    """``published: {from_data: data/X.csv, sets: [...], case_col: ...}``."""
    from kadstudy.schema.replication import check_data_file

    where = f"{shown}: key 'published"
    problems = []
    for k in raw:
        if k not in FROM_DATA_KEYS:
            close = difflib.get_close_matches(str(k), FROM_DATA_KEYS, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(FROM_DATA_KEYS)}"
            problems.append(f"{where}.{k}': unknown key; {hint}")
    if method != "qca_calibration":
        problems.append(f"{where}.from_data': only method qca_calibration reads its published values "
                        "from a data file; transcribe the table as key, columns and rows")
    from pydantic_core import PydanticCustomError

    try:
        check_data_file(raw["from_data"])
    except PydanticCustomError as exc:
        problems.append(f"{where}.from_data': {exc.message()}")
    sets = raw.get("sets")
    if sets is not None and not (isinstance(sets, list) and sets and all(
            isinstance(x, str) and x for x in sets)):
        problems.append(f"{where}.sets': expected a list of set names (the columns compared)")
    case_col = raw.get("case_col")
    if case_col is not None and is_text(case_col):
        problems.append(f"{where}.case_col': expected the column of case names")
    if problems:
        return None, problems
    return PublishedFrom(file=raw["from_data"], sets=sets, case_col=case_col), []


# ---------------------------------------------------------------------------- the whole spec


def problems_of(path: str | Path, shown: str | None = None,
                root: str | Path | None = None) -> tuple[ReplicationSpec | None, list[str]]:
    """Read and check one spec; return it (or None) and every problem found, one line each.
    Paths it names must stay inside ``root`` (default: the folder above ``analyses/``) or a
    named data root."""
    path = Path(path)
    shown = shown or str(path)
    root = Path(root) if root is not None else path.resolve().parent.parent.parent
    sid = path.stem
    if not ID_RE.fullmatch(sid):
        return None, [f"{shown}: file name: '{sid}' must be lower-case letters, digits, - or _"]
    try:
        doc = read_yaml(path, shown, error=ReplicationSpecError, what="replication spec",
                        keys_hint="keys (title, citation, method, published, ...)")
    except ReplicationSpecError as exc:
        return None, [str(exc)]
    _, problems = validate(ReplicationDoc, doc, shown, context={"root": root})
    method = doc.get("method") if isinstance(doc.get("method"), str) else None
    method = method if method in METHODS else None
    params = doc.get("parameters", {})
    if params is None:
        params = {}
    if not isinstance(params, dict):
        problems.append(f"{shown}: key 'parameters': expected a mapping")
        params = {}
    if method:
        reads, model = METHODS[method]
        problems += validate(model, params, shown, context={"root": root}, prefix="parameters",
                             missing=f"method {method} needs it",
                             unknown_note=f" (for method {method})")[1]
        if reads == "dataset":
            if is_text(doc.get("dataset")):
                problems.append(f"{shown}: key 'dataset': missing; method {method} rebuilds from a "
                                "coded dataset, e.g. dataset: kad_forums")
            for k in ("data", "data_root"):
                if k in doc:
                    problems.append(f"{shown}: key '{k}': method {method} reads the dataset, not a "
                                    "data file; remove it")
        else:
            if "data" not in doc:
                problems.append(f"{shown}: key 'data': missing; method {method} reads a CSV file, "
                                "e.g. data: data/LF.csv (relative to the data root)")
            if "dataset" in doc:
                problems.append(f"{shown}: key 'dataset': method {method} reads a data file; use "
                                "data: (and data_root:) instead")
    publication = doc.get("publication") if isinstance(doc.get("publication"), dict) else {}
    status = publication.get("status", "transcribed")
    found = status != "not_found"
    citation = doc.get("citation") if isinstance(doc.get("citation"), dict) else {}
    published = None
    published_from = None
    if status not in PUBLICATION_STATUS:
        pass  # the schema named the bad status; what else is required depends on it
    elif not found:
        for k in ("published", "known_differences"):
            if k in doc:
                problems.append(f"{shown}: key '{k}': publication.status is not_found, so there is "
                                f"nothing to compare; remove {k} (or set publication.status: "
                                "transcribed)")
    else:
        if "published" not in doc:
            if not any("did you mean 'published'" in p for p in problems):
                problems.append(f"{shown}: key 'published': missing; transcribe the published "
                                "table as key, columns and rows (or, when no table was found, say "
                                "so: publication: {status: not_found, searched: [...]})")
        elif isinstance(doc["published"], dict) and "from_data" in doc["published"]:
            published_from, more = _published_from(doc["published"], shown, method)
            problems += more
        elif method == "qca_calibration":
            problems.append(f"{shown}: key 'published': method qca_calibration compares with the "
                            "authors' memberships in a data file: published: {from_data: "
                            "data/X.csv}")
        else:
            published, more = _published(doc["published"], shown)
            problems += more
        if citation and "table" not in citation:
            problems.append(f"{shown}: key 'citation.table': missing; name the table transcribed "
                            "(or publication: {status: not_found, searched: [...]})")
        if citation and "page" not in citation and "lines" not in citation:
            problems.append(f"{shown}: key 'citation.page': missing; give page or lines, where the "
                            "table is printed")
    known: list[KnownDifference] = []
    if "known_differences" in doc:
        kd = doc["known_differences"]
        if not isinstance(kd, list) or not kd:
            problems.append(f"{shown}: key 'known_differences': expected a list of {{row, column, "
                            "reason}}")
        else:
            for i, d in enumerate(kd, 1):
                where = f"{shown}: key 'known_differences', item {i}"
                if not isinstance(d, dict) or set(d) != {"row", "column", "reason"} or is_text(d["reason"]):
                    problems.append(f"{where}: expected row (the row key), column and reason (why the "
                                    "publication and the data differ)")
                    continue
                row = d["row"] if isinstance(d["row"], list) else [d["row"]]
                key = tuple(norm_key(number_text(x) if isinstance(x, int | float) else str(x))
                            for x in row)
                if published is not None:
                    if key not in {published.key_of(r) for r in published.rows}:
                        problems.append(f"{where}: no published row with key {', '.join(key)}")
                        continue
                    if d["column"] not in [c.name for c in published.columns if c.compare]:
                        problems.append(f"{where}: '{d['column']}' is not a compared column of the "
                                        "published table")
                        continue
                known.append(KnownDifference(row=key, column=str(d["column"]), reason=d["reason"]))
    if problems:
        return None, [printable(p) for p in problems]
    assert method is not None
    spec = ReplicationSpec(
        id=sid, path=path, shown=shown, title=doc["title"], citation=dict(doc["citation"]),
        method=method, parameters=dict(params), published=published, dataset=doc.get("dataset"),
        data=doc.get("data"), data_root=doc.get("data_root"), note=doc.get("note", "") or "",
        known_differences=known, publication=dict(publication) or {"status": "transcribed"},
        published_from=published_from)
    return spec, []


def read_spec(path: str | Path, shown: str | None = None) -> ReplicationSpec:
    """One validated spec; :class:`ReplicationSpecError` with one line per problem otherwise."""
    spec, problems = problems_of(path, shown)
    if problems:
        raise ReplicationSpecError("\n".join(problems))
    assert spec is not None
    return spec


def spec_paths(folder: Path) -> list[Path]:
    """The spec files of a folder, sorted by id."""
    return sorted(folder.glob("*.yaml"))
