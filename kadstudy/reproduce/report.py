"""Reports of a replication: ``reports/replications/<id>.md`` and ``.html`` with the published
table, the rebuilt one and every differing cell highlighted; ``status.json`` with the last status
of each spec. Deterministic bytes: no timestamps, no absolute paths, sorted JSON."""

from __future__ import annotations

import json
from typing import Any

from kadstudy import numbers
from kadstudy.report.templating import Cell, render, sections
from kadstudy.reproduce.compare import (
    HEURISTICS,
    NO_PUBLICATION,
    Comparison,
    column_decimals,
    show_rebuilt,
)
from kadstudy.reproduce.rebuild import DATASET_METHODS, as_text
from kadstudy.reproduce.spec import norm_key

STATUS_FILE = "status.json"

METHOD_TEXT = {
    "dataset_table": "a forum x variable table (or counts per group) from the coded dataset",
    "count": "stated counts: a forum's coded number, or the number of forums matching a selection",
    "qca_truth_table": "truth table with kadstudy.sets.truth_table (R QCA truthTable)",
    "qca_solution": "Boolean minimisation with kadstudy.sets.minimize (R QCA minimize)",
    "qca_necessity": "analysis of necessity with kadstudy.sets.necessity (R QCA pof, necessity)",
    "calibration": "direct calibration with kadstudy.sets.calibrate (R QCA calibrate)",
    "qca_calibration": "direct (logistic) fuzzy calibration of each raw column with its stated "
                       "anchors, kadstudy.sets.calibrate (R QCA calibrate), compared with the "
                       "authors' published memberships",
}
STATUS_TEXT = {
    "match": "match",
    "known-differences": "match with documented differences",
    "mismatch": "MISMATCH",
    NO_PUBLICATION: "no published table found (analysis rebuilt, nothing compared)",
}
def not_found_line(comp: Comparison) -> str:
    """The visible line of a spec whose publication table was not found.

    Parameters
    ----------
    comp : Comparison
        The outcome of a spec with ``publication.status: not_found``.

    Returns
    -------
    str
        ``No published table found; searched: ...`` with what was searched, ``;``-separated.
    """
    searched = "; ".join(" ".join(s.split()) for s in comp.spec.searched)
    return f"No published table found; searched: {searched}"


def _summary(comp: Comparison) -> str:
    if comp.status == NO_PUBLICATION:
        return ("The analysis is rebuilt and shown below; nothing is compared, and it does not count "
                "as a reproduced publication.")
    n = len(comp.differences)
    text = (f"{comp.matched} of {comp.compared} compared cells agree at the published precision"
            + (f"; {n} difference{'s' if n != 1 else ''}" if n else "") + ".")
    if comp.status == "known-differences":
        text += " Every difference is documented in the spec (known_differences) with its reason."
    for kd in comp.stale_known:
        text += (f" The documented difference at row {', '.join(kd.row)}, column {kd.column} no "
                 "longer differs: remove it from known_differences.")
    return text


def _citation_rows(comp: Comparison) -> list[tuple[str, str]]:
    c = comp.spec.citation
    rows = [(k, str(c[k])) for k in ("author", "year", "title", "journal", "book", "volume",
                                     "pages", "doi", "table", "page", "lines", "source", "url",
                                     "note") if k in c]
    pub = comp.spec.publication
    rows.append(("publication table", "transcribed" if comp.spec.found else "not found"))
    if pub.get("note"):
        rows.append(("publication note", " ".join(str(pub["note"]).split())))
    return rows


def _params(comp: Comparison) -> str:
    import yaml

    spec = comp.spec
    doc: dict[str, Any] = {"method": spec.method}
    if spec.dataset:
        doc["dataset"] = spec.dataset
    if spec.data:
        doc["data"] = spec.data
    if spec.parameters:
        doc["parameters"] = spec.parameters
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100).rstrip()


def _tables(comp: Comparison) -> tuple[list[str], list[list[tuple[str, str]]], list[str],
                                        list[list[tuple[str, str]]]]:
    """(published header, published rows, rebuilt header, rebuilt rows); each cell is (text, css
    class: '' | 'diff' | 'known' | 'unstated')."""
    spec, rebuilt = comp.spec, comp.rebuilt
    pub = spec.published
    if spec.published_from is not None:
        return _calibration_tables(comp)
    if pub is None:  # no publication table: the rebuilt analysis as it is
        head = list(rebuilt.columns)
        kinds = numbers.column_kinds(head, [[r.get(c) for c in head] for r in rebuilt.rows])
        return [], [], head, [[("-" if r.get(c) is None else numbers.fmt(r.get(c), k)
                                if numbers.is_number(r.get(c)) else as_text(r.get(c)), "")
                               for c, k in zip(head, kinds, strict=True)] for r in rebuilt.rows]
    decimals = {c.name: column_decimals(c, [r[c.name] for r in pub.rows]) for c in pub.columns}

    def mark(key: tuple[str, ...], col: str) -> str:
        d = comp.diff_at(key, col)
        if d is None:
            return ""
        return "known" if d.known else "diff"

    p_head = [c.name for c in pub.columns]
    p_rows = []
    for r in pub.rows:
        key = pub.key_of(r)
        row = []
        for c in pub.columns:
            cell = r[c.name]
            cls = "unstated" if not cell.stated else (mark(key, c.name) if c.compare else "")
            row.append((cell.text, cls))
        p_rows.append(row)
    shown = [c.name for c in pub.columns if c.name in rebuilt.columns and (c.compare or c.name in pub.key)]
    r_head = shown + [c for c in rebuilt.columns if c not in shown]
    order = {pub.key_of(r): i for i, r in enumerate(pub.rows)}
    rows = sorted(rebuilt.rows, key=lambda r: order.get(rebuilt.key_of(r), len(order)))
    # a column the source does not print: its numbers by kind (kadstudy.numbers), not float repr
    kinds = numbers.column_kinds(r_head, [[r.get(c) for c in r_head] for r in rows])
    r_rows = []
    for r in rows:
        key = rebuilt.key_of(r)
        extra = key not in order
        line = []
        for c, kind in zip(r_head, kinds, strict=True):
            v = r.get(c)
            text = show_rebuilt(v, decimals.get(c)) if c in decimals else (
                "-" if v is None else numbers.fmt(v, kind) if numbers.is_number(v) else as_text(v))
            cls = "diff" if extra else (mark(key, c) if c in decimals and pub.column(c).compare else "")
            line.append((text, cls))
        r_rows.append(line)
    return p_head, p_rows, r_head, r_rows


def _calibration_tables(comp: Comparison) -> tuple[list[str], list[list[tuple[str, str]]], list[str],
                                                     list[list[tuple[str, str]]]]:
    """A ``qca_calibration`` spec: the published values stay in the data file, so both tables
    summarise per set (the differing cells are listed under Differences)."""
    spec, pub = comp.spec, comp.spec.published
    assert spec.published_from is not None
    p_head = ["set", "cases", "decimals", "source"]
    r_head = ["set", "raw column", "exclusion", "crossover", "inclusion", "cases compared",
              "cells agreeing", "largest |rebuilt − published|"]
    p_rows: list[list[tuple[str, str]]] = []
    r_rows: list[list[tuple[str, str]]] = []
    pubs = _published_by_set(pub)
    for cv in comp.rebuilt.curves:
        cells = pubs.get(cv.name, {})
        stated = [c for c in cells.values() if c.stated]
        dec = max((c.decimals or 0 for c in stated), default=0)
        p_rows.append([(cv.name, ""), (str(len(stated)), ""), (str(dec), ""),
                       (spec.published_from.file, "")])
        gaps = [abs(v - float(cells[norm_key(case)].number or 0))
                for case, v in zip(cv.cases, cv.rebuilt, strict=True)
                if norm_key(case) in cells and cells[norm_key(case)].stated]
        bad = sum(1 for d in comp.differences if d.row and d.row[-1] == norm_key(cv.name))
        agree = len(gaps) - bad
        r_rows.append([(cv.name, ""), (cv.column, ""), *((f"{t:g}", "") for t in cv.thresholds),
                       (str(len(gaps)), ""), (str(agree), "" if agree == len(gaps) else "diff"),
                       (f"{max(gaps):.4f}" if gaps else "-", "")])
    return p_head, p_rows, r_head, r_rows


def _published_by_set(pub: Any) -> dict[str, dict[str, Any]]:
    """The published membership cells of a ``qca_calibration`` spec: set -> case key -> cell."""
    out: dict[str, dict[str, Any]] = {}
    for r in (pub.rows if pub is not None else []):
        out.setdefault(r["set"].text, {})[norm_key(r["case"].text)] = r["membership"]
    return out


def curve_svgs(comp: Comparison) -> list[tuple[str, bytes]]:
    """One calibration curve per set of a ``qca_calibration`` rebuild, as SVG.

    Each curve (:func:`kadstudy.sets.plot.calibration_curve`) draws the logistic function through
    the anchors and the rebuilt memberships, with the published memberships overlaid (red
    crosses). Matplotlib is imported here, not with the module. The SVGs are deterministic (fixed
    hash salt, no date) and computed once per comparison.

    Parameters
    ----------
    comp : Comparison
        The outcome of a spec; one without calibration curves gives none.

    Returns
    -------
    list of (str, bytes)
        The set's name and its SVG, in the order of ``parameters.calibrations``.
    """
    if not comp.rebuilt.curves:
        return []
    cached = comp.__dict__.get("_curve_svgs")
    if cached is not None:
        return cached
    from matplotlib.figure import Figure

    from kadstudy.report.render import svg_bytes
    from kadstudy.sets.plot import calibration_curve

    pubs = {name: {case: float(cell.number) for case, cell in cells.items()
                   if cell.stated and cell.number is not None}
            for name, cells in _published_by_set(comp.spec.published).items()}
    out = []
    for cv in comp.rebuilt.curves:
        fig = Figure(figsize=(5.5, 3.8))
        ax = fig.subplots()
        calibration_curve(cv.raw, cv.rebuilt, cv.thresholds, name=cv.name, cases=cv.cases,
                          raw_name=f"raw {cv.column}", ax=ax)
        got = pubs.get(cv.name, {})
        xs = [x for case, x in zip(cv.cases, cv.raw, strict=True) if norm_key(case) in got]
        ys = [got[norm_key(case)] for case in cv.cases if norm_key(case) in got]
        if xs:
            ax.scatter(xs, ys, marker="x", color="#c0392b", s=26, zorder=5, label="published")
            ax.legend(fontsize=8, frameon=False, loc="lower right")
        out.append((cv.name, svg_bytes(fig)))
    comp.__dict__["_curve_svgs"] = out
    return out


# ---------------------------------------------------------------------------- pages


def _cells(rows: list[list[tuple[str, str]]]) -> list[list[Cell]]:
    """(text, class) rows as :class:`~kadstudy.report.templating.Cell` rows: numbers get the
    ``num`` class, differing cells a tooltip."""
    out = []
    for r in rows:
        line = []
        for text, cls in r:
            classes = " ".join(c for c in (cls, "num" if _is_num(text) else "") if c)
            title = {"diff": "differs", "known": "documented difference"}.get(cls, "")
            line.append(Cell(text, classes, title))
        out.append(line)
    return out


def _context(comp: Comparison, markdown: bool) -> dict[str, Any]:
    """What both templates of a replication page show."""
    spec = comp.spec
    p_head, p_rows, r_head, r_rows = _tables(comp)
    col_notes = []
    for c in (spec.published.columns if spec.published is not None and spec.published_from is None
              else []):
        if not (c.lines or c.note or not (c.compare or c.name in spec.published.key)):
            continue
        bits = ([f"lines {c.lines}"] if c.lines else []) + ([c.note] if c.note else []) + (
            ["transcribed only, not compared"] if not c.compare and c.name not in spec.published.key
            else [])
        col_notes.append((c.name, "; ".join(bits)))
    diff_rows = []
    for d in comp.differences:
        mark = "" if markdown else ("known" if d.known else "diff")
        diff_rows.append([(d.row_label, ""), (d.column, ""), (d.published, mark), (d.rebuilt, mark),
                          (d.difference, ""), (d.reason, ""),
                          (d.explanation + (f". Documented in the spec: {d.known}" if d.known else "")
                           + (f". Rebuilt from: {d.source}" if d.source else ""), "")])
    provenance = ([(", ".join(k), c, v) for (k, c), v in _provenance(comp)]
                  if spec.method in DATASET_METHODS and comp.rebuilt.provenance else [])
    found = spec.found
    figures = []
    if spec.published_from is not None:
        import base64

        figures = [(name, f"{spec.id}.{name}.svg",
                    "data:image/svg+xml;base64," + base64.b64encode(svg).decode())
                   for name, svg in curve_svgs(comp)]
    heads = ["Source", "How it is rebuilt", "Published table",
             "Rebuilt table" if found else "Rebuilt analysis",
             *(["Calibration curves"] if figures else []), *(["Differences"] if found else []),
             *(["Where the rebuilt values come from"] if provenance else []),
             *(["Note"] if spec.note else []), *(["How differences are diagnosed"] if found else []),
             "How to reproduce"]
    return {
        "spec": spec, "status": comp.status, "status_text": STATUS_TEXT[comp.status],
        "summary": _summary(comp), "citation": _citation_rows(comp),
        "method_text": METHOD_TEXT[spec.method], "params": _params(comp),
        "inputs": list(comp.rebuilt.inputs), "warnings": list(comp.rebuilt.warnings),
        "published": (p_head, _cells(p_rows)), "rebuilt": (r_head, _cells(r_rows)),
        "col_notes": col_notes, "differences": diff_rows and (
            ["row", "column", "published", "rebuilt", "rebuilt − published", "likely reason", "why"],
            _cells(diff_rows)),
        "stale": [(", ".join(kd.row), kd.column) for kd in comp.stale_known],
        "provenance": provenance, "note": " ".join(spec.note.split()) if spec.note else "",
        "heuristics": list(HEURISTICS), "command": _command(comp),
        "toc": sections(heads), "shown_title": spec.title, "synthetic": False, "synthetic_lines": [],
        "found": found, "not_found_line": "" if found else not_found_line(comp),
        "from_data": spec.published_from.file if spec.published_from is not None else "",
        "figures": figures,
    }


def render_markdown(comp: Comparison) -> str:
    """The Markdown report (template ``replication.md.j2``)."""
    return render("replication.md.j2", **_context(comp, markdown=True))


def render_html(comp: Comparison) -> str:
    """The HTML report: one self-contained page (template ``replication.html.j2``)."""
    return render("replication.html.j2", **_context(comp, markdown=False))


def _provenance(comp: Comparison) -> list[tuple[tuple[tuple[str, ...], str], str]]:
    pub = comp.spec.published
    order = {pub.key_of(r): i for i, r in enumerate(pub.rows)}
    cols = {c.name: i for i, c in enumerate(pub.columns)}
    return sorted(comp.rebuilt.provenance.items(),
                  key=lambda kv: (order.get(kv[0][0], len(order)), cols.get(kv[0][1], len(cols)), kv[0]))


def _command(comp: Comparison) -> str:
    if comp.spec.reads == "data":
        return (f"kadstudy reproduce {comp.spec.id} --data-dir DIR   # DIR holds {comp.spec.data}; "
                "default ../shared/qca-benchmarks")
    return f"kadstudy reproduce {comp.spec.id}"


def _is_num(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------------------- status


def status_entry(comp: Comparison) -> dict[str, Any]:
    """A spec's entry in ``status.json``; one without a publication table says so under its own
    status (``no-publication``) and is never a match."""
    if comp.status == NO_PUBLICATION:
        return {"status": NO_PUBLICATION, "compared": 0, "matched": 0, "differences": 0,
                "documented": 0, "publication": "not found", "searched": len(comp.spec.searched)}
    return {"status": comp.status, "compared": comp.compared, "matched": comp.matched,
            "differences": len(comp.differences),
            "documented": sum(1 for d in comp.differences if d.known)}


def status_text(status: dict[str, dict[str, Any]]) -> str:
    """``status.json`` text: sorted keys, two-space indent, final newline."""
    return json.dumps(status, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


__all__ = ["STATUS_FILE", "curve_svgs", "norm_key", "not_found_line", "render_html", "render_markdown",
           "status_entry", "status_text"]
