"""Rebuilding a published table from data, one function per ``method``.

Each rebuilder returns a :class:`Rebuilt` table whose column names are those of the published
table (plus, for information, columns the publication does not print). Dataset methods read
the long-form codings, so every rebuilt cell can cite the coding it comes from; QCA methods read
a CSV file under the data root with :mod:`kadstudy.sets`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kadstudy.errors import KadError
from kadstudy.reproduce.spec import ReplicationSpec, norm_key, number_text

if TYPE_CHECKING:
    import pandas as pd

    from kadstudy.data.codings import Coding

DEFAULT_DATA_ROOT = "qca-benchmarks"  # a named data root (kadstudy.schema.paths.DATA_ROOTS)
QCA_METHODS = ("qca_truth_table", "qca_solution", "qca_necessity", "calibration", "qca_calibration")
DATASET_METHODS = ("dataset_table", "count")


class DataUnavailable(Exception):
    """The data a spec needs is not on this machine (e.g. ../shared/ is absent): skip the spec."""


@dataclass
class Curve:
    """One calibrated set of a ``qca_calibration`` rebuild: its raw column, anchors, and the raw
    values with the rebuilt memberships (in case order), for the calibration curve."""

    name: str
    column: str
    thresholds: list[float]
    cases: list[str]
    raw: list[float]
    rebuilt: list[float]


@dataclass
class Rebuilt:
    """A rebuilt table: ``rows`` of column -> value (text, int, float or None)."""

    columns: list[str]
    key: list[str]
    rows: list[dict[str, Any]]
    provenance: dict[tuple[tuple[str, ...], str], str] = field(default_factory=dict)
    inputs: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    curves: list[Curve] = field(default_factory=list)

    def key_of(self, row: dict[str, Any]) -> tuple[str, ...]:
        return tuple(norm_key(as_text(row[k])) for k in self.key)


def as_text(value: Any) -> str:
    """A rebuilt value as plain text (numbers without trailing zeros)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return number_text(value)
    return str(value)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def _shown_path(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name


# ---------------------------------------------------------------------------- coded datasets


@dataclass
class _Coded:
    name: str
    case_id: str
    codebook: Any
    table: dict[str, dict[str, Coding]]
    inputs: list[str]


def _load_dataset(spec: ReplicationSpec, root: Path) -> _Coded:
    from kadstudy.data.dataset import Dataset
    from kadstudy.data.validate import check_codings

    ds = Dataset.named(spec.dataset or "")
    cb, codings = ds.codebook(), ds.codings()
    problems = check_codings(codings, cb, ds.display(ds.codings_path))
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise KadError(f"{spec.shown}: dataset '{spec.dataset}' does not validate: {problems[0]}{more}")
    table: dict[str, dict[str, Coding]] = {}
    for c in codings:
        table.setdefault(c.forum_id, {})[c.variable] = c
    inputs = [f"{_shown_path(p, root)}  sha256 {_sha(p)}" for p in (ds.codebook_path, ds.codings_path)]
    return _Coded(ds.name, cb.case_id, cb, table, inputs)


def _values(coding: Coding | None, multiple: bool) -> list[str]:
    if coding is None or coding.is_missing:
        return []
    return [v.strip() for v in coding.value.split(";")] if multiple else [coding.value]


def _check_var(coded: _Coded, var: str, spec: ReplicationSpec, key: str) -> None:
    if var != coded.case_id and var not in coded.codebook:
        raise KadError(f"{spec.shown}: key '{key}': unknown variable '{var}' in dataset "
                       f"'{coded.name}'; known: {', '.join(coded.codebook.ids)}")


def _select(coded: _Coded, where: dict[str, Any], spec: ReplicationSpec, key: str) -> list[str]:
    """Forums (sorted) whose values match every ``variable: value(s)`` of ``where``."""
    forums = sorted(coded.table)
    for var, wanted in where.items():
        _check_var(coded, var, spec, key)
        want = {number_text(w) if isinstance(w, int | float) else str(w)
                for w in (wanted if isinstance(wanted, list) else [wanted])}
        if var == coded.case_id:
            unknown = sorted(want - set(coded.table))
            if unknown:
                raise KadError(f"{spec.shown}: key '{key}': no forum '{unknown[0]}' in dataset "
                               f"'{coded.name}'")
            forums = [f for f in forums if f in want]
            continue
        multiple = coded.codebook[var].multiple
        forums = [f for f in forums if want & set(_values(coded.table[f].get(var), multiple))]
    return forums


def _typed(coded: _Coded, var: str, text: str) -> Any:
    kind = coded.codebook[var].type
    if kind in ("binary", "ordinal", "count", "year"):
        return int(text)
    if kind == "fuzzy":
        return float(text)
    return text


def _cite(coding: Coding) -> str:
    if coding.is_missing:
        why = f": {coding.note}" if coding.note else ""
        return f"{coding.variable} missing ({coding.missing}){why}"
    quote = f': "{coding.quote}"' if coding.quote else ""
    return f"{coding.variable} = {coding.value} ({coding.source} L{coding.lines}{quote})"


def _map_key(value: Any) -> str:
    return number_text(value) if isinstance(value, int | float) else str(value)


def dataset_table(spec: ReplicationSpec, root: Path, data_dir: Path | None) -> Rebuilt:
    """A forum x variable table (one row per selected forum, keyed by the case id), or with
    ``group_by`` one row per value of a variable with counts, lists of forums or yes/no."""
    coded = _load_dataset(spec, root)
    p = spec.parameters
    forums = _select(coded, p.get("select") or {}, spec, "parameters.select")
    if not forums:
        raise KadError(f"{spec.shown}: key 'parameters.select': no forum left after selection; "
                       "check the values")
    group_by = p.get("group_by")
    key_col = group_by or coded.case_id
    if spec.published.key != [key_col]:
        raise KadError(f"{spec.shown}: key 'published.key': the rows of this table are keyed by "
                       f"'{key_col}'; name that column as the key")
    out = Rebuilt(columns=[key_col, *p["columns"]], key=[key_col], rows=[], inputs=coded.inputs)
    if group_by is None:
        for name, col in p["columns"].items():
            if "aggregate" in col:
                raise KadError(f"{spec.shown}: key 'parameters.columns.{name}': aggregate needs "
                               "group_by; a forum's column takes variable: <name>")
            _check_var(coded, col["variable"], spec, f"parameters.columns.{name}")
        for forum in forums:
            row: dict[str, Any] = {key_col: forum}
            for name, col in p["columns"].items():
                var = col["variable"]
                coding = coded.table[forum].get(var)
                cell_key = ((norm_key(forum),), name)
                if coding is not None:
                    out.provenance[cell_key] = _cite(coding)
                if coding is None or coding.is_missing:
                    value: Any = ("no" if col.get("present") else col.get("missing"))
                elif col.get("present"):
                    value = "yes"
                elif "map" in col:
                    mapping = {_map_key(k): v for k, v in col["map"].items()}
                    value = mapping.get(coding.value, coding.value)
                else:
                    value = _typed(coded, var, coding.value)
                row[name] = value
            out.rows.append(row)
        return out
    _check_var(coded, group_by, spec, "parameters.group_by")
    var = coded.codebook[group_by]
    if "groups" in p:
        groups = [_map_key(g) for g in p["groups"]]
        if var.values:
            bad = [g for g in groups if g not in var.values]
            if bad:
                raise KadError(f"{spec.shown}: key 'parameters.groups': '{bad[0]}' is not a value of "
                               f"'{group_by}'; allowed: {', '.join(var.values)}")
    else:
        present = {v for f in forums for v in _values(coded.table[f].get(group_by), var.multiple)}
        groups = [v for v in var.values if v in present] or sorted(present)
    for name, col in p["columns"].items():
        if "variable" in col:
            raise KadError(f"{spec.shown}: key 'parameters.columns.{name}': with group_by a column "
                           "takes aggregate: count|list|any|label")
    for g in groups:
        members = [f for f in forums if g in _values(coded.table[f].get(group_by), var.multiple)]
        row = {group_by: g}
        for name, col in p["columns"].items():
            agg = col["aggregate"]
            if agg == "count":
                row[name] = len(members)
            elif agg == "list":
                row[name] = "; ".join(members)
            elif agg == "any":
                row[name] = "yes" if members else "no"
            else:
                row[name] = var.values.get(g, "")
        # one line per group (under the key column): the forums the group's cells are built from
        out.provenance[((norm_key(g),), group_by)] = (
            f"{group_by} = {g}: " + (", ".join(members) if members else "no forum"))
        out.rows.append(row)
    return out


def count(spec: ReplicationSpec, root: Path, data_dir: Path | None) -> Rebuilt:
    """Stated counts: a forum's coded number (``forum`` + ``variable``) or the number of forums
    matching ``where``. Rows are keyed by ``claim``; the value is in ``value``."""
    coded = _load_dataset(spec, root)
    names = [c.name for c in spec.published.columns]
    if spec.published.key != ["claim"] or "value" not in names:
        raise KadError(f"{spec.shown}: key 'published': the count method needs a key column 'claim' "
                       "and a column 'value'")
    claims = spec.parameters["counts"]
    published = [spec.published.key_of(r)[0] for r in spec.published.rows]
    defined = {norm_key(c) for c in claims}
    for c in published:
        if c not in defined:
            raise KadError(f"{spec.shown}: key 'parameters.counts': no definition for published "
                           f"claim '{c}'; add {c}: {{forum: ..., variable: ...}} or {{where: ...}}")
    out = Rebuilt(columns=["claim", "value", "detail"], key=["claim"], rows=[], inputs=coded.inputs)
    for claim, c in claims.items():
        where = f"parameters.counts.{claim}"
        cell = ((norm_key(claim),), "value")
        if "where" in c:
            forums = _select(coded, c["where"], spec, where)
            detail = "; ".join(forums) if forums else "no forum"
            out.rows.append({"claim": claim, "value": len(forums), "detail": detail})
            out.provenance[cell] = f"{len(forums)} forums: {detail}"
            continue
        forum, var = c["forum"], c["variable"]
        if forum not in coded.table:
            raise KadError(f"{spec.shown}: key '{where}.forum': no forum '{forum}' in dataset "
                           f"'{coded.name}'")
        _check_var(coded, var, spec, f"{where}.variable")
        if coded.codebook[var].type not in ("count", "year", "ordinal", "binary", "fuzzy"):
            raise KadError(f"{spec.shown}: key '{where}.variable': '{var}' is not a number "
                           f"(type {coded.codebook[var].type})")
        coding = coded.table[forum].get(var)
        value = None if coding is None or coding.is_missing else _typed(coded, var, coding.value)
        detail = _cite(coding) if coding is not None else f"{var} not coded"
        out.rows.append({"claim": claim, "value": value, "detail": f"{forum}: {detail}"})
        out.provenance[cell] = f"{forum}: {detail}"
    return out


# ---------------------------------------------------------------------------- QCA on a CSV file


def data_root(spec: ReplicationSpec, root: Path, data_dir: Path | None) -> Path:
    """Where the spec's data file lives: ``--data-dir`` (given on the command line) wins, else the
    spec's ``data_root`` (a named data root, or a folder relative to the project root, checked by
    the schema), else the named root ``qca-benchmarks`` (``../shared/qca-benchmarks`` beside the
    checkout)."""
    from kadstudy.schema.paths import DATA_ROOTS

    if data_dir is not None:
        return Path(data_dir)
    name = spec.data_root or DEFAULT_DATA_ROOT
    return root / DATA_ROOTS.get(name, name)


def data_file(spec: ReplicationSpec, root: Path, data_dir: Path | None) -> Path:
    """The spec's data file under :func:`data_root`; one that leaves it (a symlink out of the
    data root) is refused."""
    from kadstudy.schema.paths import within

    base = data_root(spec, root, data_dir)
    path = base / (spec.data or "")
    if path.exists() and not within(path, base):
        raise KadError(f"{spec.shown}: key 'data': {spec.data} resolves outside the data root "
                       f"{base} (a symlink?); keep the data file inside it")
    return path


def _read_csv(spec: ReplicationSpec, path: Path, base: Path) -> pd.DataFrame:
    import os

    from kadstudy.io import read_case_csv

    if not path.is_file():
        raise DataUnavailable(f"data not available (no {spec.data} in {os.path.normpath(base)}; "
                              "give --data-dir)")
    return read_case_csv(path, spec.parameters.get("case_col"), f"{spec.shown}: {spec.data}", opt_in=None)


def _qca(spec: ReplicationSpec, func: Any) -> tuple[Any, list[str]]:
    from kadstudy.sets.errors import QCAInputError, collect_warnings

    try:
        return collect_warnings(func)
    except QCAInputError as exc:
        raise KadError(f"{spec.shown}: {spec.data}: {exc}; check the parameters") from None


def _none(x: Any) -> Any:
    import math

    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) else x


def _tt_args(p: dict[str, Any]) -> dict[str, Any]:
    return {"conditions": p.get("conditions"), "incl_cut": p.get("incl_cut", 1.0),
            "n_cut": p.get("n_cut", 1), "pri_cut": p.get("pri_cut", 0.0)}


def _qca_start(spec: ReplicationSpec, root: Path, data_dir: Path | None) -> tuple[pd.DataFrame, list[str]]:
    path = data_file(spec, root, data_dir)
    frame = _read_csv(spec, path, data_root(spec, root, data_dir))
    return frame, [f"{spec.data} (under the data root)  sha256 {_sha(path)}"]


def qca_truth_table(spec: ReplicationSpec, root: Path, data_dir: Path | None) -> Rebuilt:
    """R QCA's ``truthTable()``: one row per configuration (``row`` = R's row number)."""
    from kadstudy.sets import truth_table

    frame, inputs = _qca_start(spec, root, data_dir)
    p = spec.parameters
    tt, warns = _qca(spec, lambda: truth_table(frame, p["outcome"], **_tt_args(p),
                                               complete=p.get("complete", False)))
    # No case names: the rebuilt tables go into committed reports, and the benchmark data (whose
    # case-by-configuration listing a crisp truth table would reveal) are not part of the project.
    cols = ["row", *tt.conditions, "OUT", "n", "incl", "PRI"]
    rows = []
    for idx, r in tt.rows.iterrows():
        rows.append({"row": int(idx), **{c: int(r[c]) for c in tt.conditions}, "OUT": str(r["OUT"]),
                     "n": int(r["n"]), "incl": _none(r["incl"]), "PRI": _none(r["PRI"])})
    return Rebuilt(columns=cols, key=["row"], rows=rows, inputs=inputs, warnings=warns)


def qca_solution(spec: ReplicationSpec, root: Path, data_dir: Path | None) -> Rebuilt:
    """R QCA's ``minimize()``: per solution type and model, one row per term (inclS, PRI, covS,
    covU) and one row for the model itself (term = the model name, as R prints it)."""
    from kadstudy.sets import minimize, truth_table

    frame, inputs = _qca_start(spec, root, data_dir)
    p = spec.parameters
    tt, warns = _qca(spec, lambda: truth_table(frame, p["outcome"], **_tt_args(p)))
    rows: list[dict[str, Any]] = []
    for kind in p["solutions"]:
        dir_exp = p.get("dir_exp") if kind == "intermediate" else None
        sol, more = _qca(spec, lambda kind=kind, dir_exp=dir_exp: minimize(tt, solution=kind,
                                                                           dir_exp=dir_exp))
        warns += more
        for m in sol.models:
            label = f"{m.key} {m.name}".strip()
            for t in m.term_measures:
                rows.append({"solution": kind, "model": label, "term": t.term, "inclS": _none(t.inclS),
                             "PRI": _none(t.PRI), "covS": _none(t.covS),
                             # R prints no unique coverage for a model of one term
                             "covU": _none(t.covU) if len(m.terms) > 1 else None})
            rows.append({"solution": kind, "model": label, "term": m.name, "inclS": _none(m.inclS),
                         "PRI": _none(m.PRI), "covS": _none(m.covS), "covU": None})
        warns += sol.cap_notes
    return Rebuilt(columns=["solution", "model", "term", "inclS", "PRI", "covS", "covU"],
                   key=["solution", "model", "term"], rows=rows, inputs=inputs, warnings=warns)


def qca_necessity(spec: ReplicationSpec, root: Path, data_dir: Path | None) -> Rebuilt:
    """R QCA's ``pof(..., relation = "necessity")`` of each condition and its negation."""
    from kadstudy.sets import necessity

    frame, inputs = _qca_start(spec, root, data_dir)
    p = spec.parameters
    res, warns = _qca(spec, lambda: necessity(frame, p["outcome"], p.get("conditions")))
    rows = [{"term": r["term"], "inclN": _none(r["inclN"]), "RoN": _none(r["RoN"]),
             "covN": _none(r["covN"])} for r in res.rows]
    return Rebuilt(columns=["term", "inclN", "RoN", "covN"], key=["term"], rows=rows, inputs=inputs,
                   warnings=warns)


def calibration(spec: ReplicationSpec, root: Path, data_dir: Path | None) -> Rebuilt:
    """R QCA's ``calibrate()`` of one column; rows keyed by position (``row`` 1, 2, ...), with
    the case name shown for information. The raw values are not shown (the data stay outside)."""
    from kadstudy.sets import calibrate

    frame, inputs = _qca_start(spec, root, data_dir)
    p = spec.parameters
    col = p["column"]
    if col not in frame.columns:
        raise KadError(f"{spec.shown}: key 'parameters.column': {spec.data} has no column {col!r}; "
                       f"columns are: {', '.join(frame.columns)}")
    kind = p.get("type", "fuzzy")
    values, warns = _qca(spec, lambda: calibrate(frame[col], p["thresholds"], kind, name=col))
    rows = [{"row": i, "case": case, "membership": float(v) if kind == "fuzzy" else int(v)}
            for i, (case, v) in enumerate(zip(frame.index, values, strict=True), 1)]
    return Rebuilt(columns=["row", "case", "membership"], key=["row"], rows=rows, inputs=inputs,
                   warnings=warns)


def qca_calibration(spec: ReplicationSpec, root: Path, data_dir: Path | None) -> Rebuilt:
    """Rebuild the calibration of several raw columns (method ``qca_calibration``).

    Each set of ``parameters.calibrations`` is calibrated from its raw column by the direct
    method (:func:`kadstudy.sets.calibrate`, logistic; R QCA's ``calibrate(type = "fuzzy",
    idm = ...)``) with its anchors ``[exclusion, crossover, inclusion]``; ``parameters.idm``
    (default 0.95) is the membership at the inclusion anchor.

    Parameters
    ----------
    spec : ReplicationSpec
        The spec (method ``qca_calibration``).
    root : Path
        The project root.
    data_dir : Path, optional
        ``--data-dir``: the data root given on the command line.

    Returns
    -------
    Rebuilt
        Rows keyed by ``case`` and ``set`` with the rebuilt ``membership``, and one
        :class:`Curve` per set (raw values, anchors, memberships) for the calibration curves.
    """
    from kadstudy.sets import calibrate

    frame, inputs = _qca_start(spec, root, data_dir)
    rows: list[dict[str, Any]] = []
    curves: list[Curve] = []
    warns: list[str] = []
    idm = float(spec.parameters.get("idm", 0.95))
    for name, cfg in spec.parameters["calibrations"].items():
        col = cfg.get("column", name)
        if col not in frame.columns:
            raise KadError(f"{spec.shown}: key 'parameters.calibrations.{name}.column': {spec.data} "
                           f"has no column {col!r}; columns are: {', '.join(map(str, frame.columns))}")
        th = [float(t) for t in cfg["thresholds"]]
        values, more = _qca(spec, lambda col=col, th=th, name=name: calibrate(
            frame[col], th, "fuzzy", idm=idm, name=name))
        warns += more
        cases = [str(c) for c in frame.index]
        memb = [float(v) for v in values]
        for case, v in zip(cases, memb, strict=True):
            rows.append({"case": case, "set": name, "membership": v})
        curves.append(Curve(name=name, column=str(col), thresholds=th, cases=cases,
                            raw=[float(x) for x in frame[col]], rebuilt=memb))
    return Rebuilt(columns=["case", "set", "membership"], key=["case", "set"], rows=rows,
                   inputs=inputs, warnings=warns, curves=curves)


def load_published(spec: ReplicationSpec, root: Path, data_dir: Path | None = None) -> ReplicationSpec:
    """The spec with its published table read from the data file ``published.from_data``.

    The file is the authors' replication file under the data root; its values are read when the
    spec runs and never copied into the project. The table has one row per case and set; each
    membership is compared at the precision the file carries: the most decimals printed in the
    set's column (CSV writers drop trailing zeros, so ``0.7`` in a column of ``0.41`` is compared
    as ``0.70``).

    Parameters
    ----------
    spec : ReplicationSpec
        A validated spec; one without ``published_from`` (a transcribed table, or none found) is
        returned as it is.
    root : Path
        The project root (a spec's ``data_root`` is relative to it).
    data_dir : Path, optional
        ``--data-dir``: the data root given on the command line.

    Returns
    -------
    ReplicationSpec
        A copy whose ``published`` is the table read (key ``case``, ``set``; column
        ``membership``).

    Raises
    ------
    DataUnavailable
        The file is not under the data root (the spec is skipped).
    KadError
        The file lacks a column, holds a value that is not a number, or leaves the data root.
    """
    import csv
    import dataclasses
    import os
    from decimal import Decimal

    from kadstudy.reproduce.spec import NUMBER_RE, Cell, Column, PublishedTable

    pf = spec.published_from
    if pf is None:
        return spec
    base = data_root(spec, root, data_dir)
    path = base / pf.file
    if not path.is_file():
        raise DataUnavailable(f"published data not available (no {pf.file} in "
                              f"{os.path.normpath(base)}; give --data-dir)")
    from kadstudy.schema.paths import within

    if not within(path, base):
        raise KadError(f"{spec.shown}: key 'published.from_data': {pf.file} resolves outside the "
                       f"data root {base} (a symlink?); keep the file inside it")
    with path.open(newline="", encoding="utf-8") as fh:
        table = list(csv.reader(fh))
    if not table:
        raise KadError(f"{spec.shown}: key 'published.from_data': {pf.file} is empty")
    head, body = table[0], table[1:]
    case_col = pf.case_col or head[0]
    sets = pf.sets or list(spec.parameters.get("calibrations", {}))
    missing = [c for c in [case_col, *sets] if c not in head]
    if missing:
        raise KadError(f"{spec.shown}: key 'published.from_data': {pf.file} has no column "
                       f"{missing[0]!r}; columns are: {', '.join(head)}")
    ci = head.index(case_col)
    rows: list[dict[str, Cell]] = []
    for s in sets:
        j = head.index(s)
        texts = [r[j].strip() for r in body]
        for t in texts:   # as a transcribed cell (spec.NUMBER_RE): no NaN, Infinity or 1e-04
            if t not in ("", "NA") and not NUMBER_RE.fullmatch(t):
                raise KadError(f"{spec.shown}: key 'published.from_data': {pf.file}, column "
                               f"{s!r}: {t!r} is not a number; write it as a plain decimal, or "
                               f"leave the cell empty (or NA) when not stated")
        decimals = max((len(t.split(".")[1]) if "." in t else 0 for t in texts if t not in ("", "NA")),
                       default=0)
        for r, t in zip(body, texts, strict=True):
            if t in ("", "NA"):
                cell = Cell(text="", stated=False)
            else:
                text = f"{Decimal(t):.{decimals}f}"
                cell = Cell(text=text, number=Decimal(text), decimals=decimals)
            rows.append({"case": Cell(text=r[ci]), "set": Cell(text=s), "membership": cell})
    line = f"{pf.file} (under the data root; the published values)  sha256 {_sha(path)}"
    cols = [Column(name="case", compare=False), Column(name="set", compare=False),
            Column(name="membership", number=True, note=line)]
    return dataclasses.replace(spec, published=PublishedTable(columns=cols, key=["case", "set"],
                                                              rows=rows))


REBUILDERS = {
    "dataset_table": dataset_table,
    "count": count,
    "qca_truth_table": qca_truth_table,
    "qca_solution": qca_solution,
    "qca_necessity": qca_necessity,
    "calibration": calibration,
    "qca_calibration": qca_calibration,
}


def rebuild(spec: ReplicationSpec, root: Path, data_dir: Path | None = None) -> Rebuilt:
    """Rebuild the spec's table. Raises :class:`DataUnavailable` when its data file is absent,
    :class:`~kadstudy.errors.KadError` for a problem in the spec or the data."""
    table = REBUILDERS[spec.method](spec, root, data_dir)
    if spec.published is None:  # no publication table found: the analysis is shown, not compared
        return table
    missing = [c.name for c in spec.published.columns
               if (c.compare or c.name in spec.published.key) and c.name not in table.columns]
    if missing:
        raise KadError(f"{spec.shown}: key 'published.columns': method {spec.method} does not rebuild "
                       f"column '{missing[0]}'; it gives {', '.join(table.columns)} (mark a column "
                       "it cannot rebuild with compare: false)")
    return table
