"""Reports of a replication: ``reports/replications/<id>.md`` and ``.html`` with the published
table, the rebuilt one and every differing cell highlighted; ``status.json`` with the last status
of each spec. Deterministic bytes: no timestamps, no absolute paths, sorted JSON."""

from __future__ import annotations

import html
import json
from typing import Any

from kadstudy import numbers
from kadstudy.reproduce.compare import HEURISTICS, Comparison, column_decimals, show_rebuilt
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
}
STATUS_TEXT = {
    "match": "match",
    "known-differences": "match with documented differences",
    "mismatch": "MISMATCH",
}
CSS = """body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;
color:#222;line-height:1.45}table{border-collapse:collapse;margin:.5rem 0 1.5rem;font-size:.9rem}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}
td.diff{background:#f8c9c4;font-weight:bold}td.known{background:#fde7b0;font-weight:bold}
td.unstated{color:#999}pre{background:#f7f7f7;padding:.75rem;overflow-x:auto}
.status-match{color:#1b6e20}.status-known-differences{color:#8a5a00}.status-mismatch{color:#b3261e}
.note{color:#555;font-size:.9rem}"""


def _summary(comp: Comparison) -> str:
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
    return [(k, str(c[k])) for k in ("author", "year", "title", "table", "page", "lines", "source",
                                     "url", "note", "publication") if k in c]


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


# ---------------------------------------------------------------------------- Markdown


def _md_cell(text: str, cls: str = "") -> str:
    t = text.replace("|", "\\|").replace("\n", " ")
    if cls in ("diff", "known"):
        return f"**{t}** {'≠' if cls == 'diff' else '≠ (documented)'}"
    return t


def _md_table(head: list[str], rows: list[list[tuple[str, str]]]) -> list[str]:
    out = ["| " + " | ".join(_md_cell(h) for h in head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(_md_cell(t, c) for t, c in r) + " |" for r in rows]
    return out


def render_markdown(comp: Comparison) -> str:
    """The Markdown report."""
    spec = comp.spec
    p_head, p_rows, r_head, r_rows = _tables(comp)
    out = [f"# {spec.title}", "",
           f"Replication `{spec.id}` (`{spec.shown}`). Status: **{STATUS_TEXT[comp.status]}**. "
           f"{_summary(comp)}", "", "## Source", ""]
    out += [f"- {k}: {v}" for k, v in _citation_rows(comp)]
    out += ["", "## How it is rebuilt", "", f"Method `{spec.method}`: {METHOD_TEXT[spec.method]}.", "",
            "```yaml", _params(comp), "```", "", "Data used:", ""]
    out += [f"- `{i}`" for i in comp.rebuilt.inputs]
    if comp.rebuilt.warnings:
        out += ["", "Warnings:", ""] + [f"- {w}" for w in comp.rebuilt.warnings]
    out += ["", "## Published table", "",
            "As printed; an empty cell is not printed or not stated in the source and is not compared. "
            "Differing cells are in bold and marked ≠.", ""]
    out += _md_table(p_head, p_rows)
    col_notes = [c for c in spec.published.columns
                 if c.lines or c.note or not (c.compare or c.name in spec.published.key)]
    if col_notes:
        out += ["", "Columns:", ""]
        for c in col_notes:
            bits = ([f"lines {c.lines}"] if c.lines else []) + ([c.note] if c.note else []) + (
                ["transcribed only, not compared"] if not c.compare and c.name not in spec.published.key
                else [])
            out.append(f"- `{c.name}`: " + "; ".join(bits))
    out += ["", "## Rebuilt table", ""]
    out += _md_table(r_head, r_rows)
    out += ["", "## Differences", ""]
    if not comp.differences and not comp.stale_known:
        out.append("None: every compared cell agrees at the published precision.")
    else:
        head = ["row", "column", "published", "rebuilt", "rebuilt − published", "likely reason", "why"]
        rows = [[(d.row_label, ""), (d.column, ""), (d.published, ""), (d.rebuilt, ""),
                 (d.difference, ""), (d.reason, ""),
                 (d.explanation + (f". Documented in the spec: {d.known}" if d.known else "")
                  + (f". Rebuilt from: {d.source}" if d.source else ""), "")]
                for d in comp.differences]
        out += _md_table(head, rows)
        for kd in comp.stale_known:
            out += ["", f"- Documented difference at row {', '.join(kd.row)}, column {kd.column} no "
                    "longer differs: remove it from known_differences."]
    if spec.method in DATASET_METHODS and comp.rebuilt.provenance:
        out += ["", "## Where the rebuilt values come from", ""]
        out += [f"- {', '.join(k)} / {c}: {v}" for (k, c), v in _provenance(comp)]
    if spec.note:
        out += ["", "## Note", "", " ".join(spec.note.split())]
    out += ["", "## How differences are diagnosed", ""]
    out += [f"{i}. **{name}**: {text}." for i, (name, text) in enumerate(HEURISTICS, 1)]
    out += ["", "## How to reproduce", "", "```sh", _command(comp), "```", ""]
    return "\n".join(out)


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


# ---------------------------------------------------------------------------- HTML


def _h(text: Any) -> str:
    return html.escape(str(text))


def _is_num(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _html_table(head: list[str], rows: list[list[tuple[str, str]]]) -> str:
    out = ["<table>", "<thead><tr>" + "".join(f"<th>{_h(c)}</th>" for c in head) + "</tr></thead>",
           "<tbody>"]
    for r in rows:
        cells = []
        for text, cls in r:
            classes = [c for c in (cls, "num" if _is_num(text) else "") if c]
            attr = f' class="{" ".join(classes)}"' if classes else ""
            title = {"diff": ' title="differs"', "known": ' title="documented difference"'}.get(cls, "")
            cells.append(f"<td{attr}{title}>{_h(text)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def render_html(comp: Comparison) -> str:
    """The HTML report: one self-contained page."""
    spec = comp.spec
    p_head, p_rows, r_head, r_rows = _tables(comp)
    parts = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             f"<title>{_h(spec.title)}</title>", f"<style>{CSS}</style>", "</head>", "<body>",
             f"<h1>{_h(spec.title)}</h1>",
             f'<p>Replication <code>{_h(spec.id)}</code> (<code>{_h(spec.shown)}</code>). Status: '
             f'<strong class="status-{comp.status}">{_h(STATUS_TEXT[comp.status])}</strong>. '
             f"{_h(_summary(comp))}</p>",
             "<h2>Source</h2>", "<ul>"]
    parts += [f"<li>{_h(k)}: {_h(v)}</li>" for k, v in _citation_rows(comp)]
    parts += ["</ul>", "<h2>How it is rebuilt</h2>",
              f"<p>Method <code>{_h(spec.method)}</code>: {_h(METHOD_TEXT[spec.method])}.</p>",
              f"<pre>{_h(_params(comp))}</pre>", "<p>Data used:</p>", "<ul>"]
    parts += [f"<li><code>{_h(i)}</code></li>" for i in comp.rebuilt.inputs]
    parts.append("</ul>")
    if comp.rebuilt.warnings:
        parts += ["<p>Warnings:</p>", "<ul>"] + [f"<li>{_h(w)}</li>" for w in comp.rebuilt.warnings]
        parts.append("</ul>")
    parts += ["<h2>Published table</h2>",
              '<p class="note">As printed; an empty cell is not printed or not stated in the source and '
              "is not compared. Differing cells are highlighted (red: unexpected, amber: documented in "
              "the spec).</p>", _html_table(p_head, p_rows)]
    col_notes = [c for c in spec.published.columns
                 if c.lines or c.note or not (c.compare or c.name in spec.published.key)]
    if col_notes:
        parts += ['<p class="note">Columns:</p>', '<ul class="note">']
        for c in col_notes:
            bits = ([f"lines {c.lines}"] if c.lines else []) + ([c.note] if c.note else []) + (
                ["transcribed only, not compared"] if not c.compare and c.name not in spec.published.key
                else [])
            parts.append(f"<li><code>{_h(c.name)}</code>: {_h('; '.join(bits))}</li>")
        parts.append("</ul>")
    parts += ["<h2>Rebuilt table</h2>", _html_table(r_head, r_rows), "<h2>Differences</h2>"]
    if not comp.differences and not comp.stale_known:
        parts.append("<p>None: every compared cell agrees at the published precision.</p>")
    else:
        head = ["row", "column", "published", "rebuilt", "rebuilt − published", "likely reason", "why"]
        rows = [[(d.row_label, ""), (d.column, ""), (d.published, "known" if d.known else "diff"),
                 (d.rebuilt, "known" if d.known else "diff"), (d.difference, ""), (d.reason, ""),
                 (d.explanation + (f". Documented in the spec: {d.known}" if d.known else "")
                  + (f". Rebuilt from: {d.source}" if d.source else ""), "")]
                for d in comp.differences]
        parts.append(_html_table(head, rows))
        for kd in comp.stale_known:
            parts.append(f"<p>Documented difference at row {_h(', '.join(kd.row))}, column "
                         f"{_h(kd.column)} no longer differs: remove it from known_differences.</p>")
    if spec.method in DATASET_METHODS and comp.rebuilt.provenance:
        parts += ["<h2>Where the rebuilt values come from</h2>", '<ul class="note">']
        parts += [f"<li>{_h(', '.join(k))} / {_h(c)}: {_h(v)}</li>" for (k, c), v in _provenance(comp)]
        parts.append("</ul>")
    if spec.note:
        parts += ["<h2>Note</h2>", f"<p>{_h(' '.join(spec.note.split()))}</p>"]
    parts += ["<h2>How differences are diagnosed</h2>", "<ol>"]
    parts += [f"<li><strong>{_h(name)}</strong>: {_h(text)}.</li>" for name, text in HEURISTICS]
    parts += ["</ol>", "<h2>How to reproduce</h2>", f"<pre>{_h(_command(comp))}</pre>",
              "</body>", "</html>", ""]
    return "\n".join(parts)


# ---------------------------------------------------------------------------- status


def status_entry(comp: Comparison) -> dict[str, Any]:
    return {"status": comp.status, "compared": comp.compared, "matched": comp.matched,
            "differences": len(comp.differences),
            "documented": sum(1 for d in comp.differences if d.known)}


def status_text(status: dict[str, dict[str, Any]]) -> str:
    """``status.json`` text: sorted keys, two-space indent, final newline."""
    return json.dumps(status, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


__all__ = ["STATUS_FILE", "norm_key", "render_html", "render_markdown", "status_entry", "status_text"]
