"""Reports as files: tables (CSV + Markdown), figures (PNG + SVG) and one self-contained HTML page.

Everything is deterministic: no timestamps, fixed matplotlib metadata and SVG hash salt, images
embedded in the page as data URIs, and all text from data escaped.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kadstudy import numbers

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

PNG_META = {"Software": None}
#: resolution of the PNG figures (journals ask for at least 300 dpi)
PNG_DPI = 300
SVG_META = {"Date": None, "Creator": None}
CSS = """body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;
color:#222;line-height:1.45}table{border-collapse:collapse;margin:.5rem 0 1.5rem;font-size:.9rem}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}
img{max-width:100%;height:auto;border:1px solid #eee}pre{background:#f7f7f7;padding:.75rem;
overflow-x:auto}.note{color:#555;font-size:.9rem}.summary{border:2px solid #b58900;background:#fdf6e3;
padding:.25rem 1rem;margin:0 0 1.5rem}.summary p{margin:.4rem 0}"""


def fmt_cell(value: Any, kind: str = "estimate") -> str:
    """A cell as text for people, by its number kind (:mod:`kadstudy.numbers`); missing as empty."""
    return numbers.fmt(value, kind)


def _frame_rows(df: pd.DataFrame, kinds: Mapping[str, str] | None, default: str | None = None,
                ) -> tuple[list[str], list[list[Any]], list[str]]:
    """Header, raw rows and the number kind of each column of ``df`` (index included when named)."""
    frame = df.reset_index() if df.index.name else df
    head = [str(c) for c in frame.columns]
    rows = [list(r) for r in frame.itertuples(index=False)]
    try:
        specs = numbers.column_kinds(head, rows, kinds, default)
    except ValueError as exc:  # a programming error in a report kind, not bad user input
        raise ValueError(f"table with columns {head}: {exc}") from None
    return head, rows, specs


def markdown_table(df: pd.DataFrame, kinds: Mapping[str, str] | None = None,
                   default: str | None = None) -> str:
    """A GitHub-flavoured Markdown table of ``df`` (index included when named); ``kinds`` declares
    the number kind of columns (others are inferred, :func:`kadstudy.numbers.column_kind`)."""
    head, rows, specs = _frame_rows(df, kinds, default)
    body = [[numbers.fmt(v, k).replace("|", "\\|").replace("\n", " ")
             for v, k in zip(row, specs, strict=True)] for row in rows]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in body]
    return "\n".join(lines) + "\n"


def html_table(df: pd.DataFrame, kinds: Mapping[str, str] | None = None,
               default: str | None = None) -> str:
    """An escaped HTML table of ``df`` (index included when named), numbers as in Markdown."""
    head, rows, specs = _frame_rows(df, kinds, default)
    out = ["<table>", "<thead><tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in head)
           + "</tr></thead>", "<tbody>"]
    for row in rows:
        cells = []
        for v, k in zip(row, specs, strict=True):
            cls = ' class="num"' if numbers.is_number(v) else ""
            cells.append(f"<td{cls}>{html.escape(numbers.fmt(v, k))}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def csv_table(df: pd.DataFrame, kinds: Mapping[str, str] | None = None,
              default: str | None = None) -> str:
    """CSV text of ``df`` (index included when named): numbers to the digits they carry
    (:func:`kadstudy.numbers.csv_value`), ``inf`` written out, missing empty, ``\\n`` line ends."""
    import csv

    head, rows, specs = _frame_rows(df, kinds, default)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(head)
    for row in rows:
        w.writerow([numbers.csv_value(v, k) for v, k in zip(row, specs, strict=True)])
    return buf.getvalue()


def figure_bytes(fig: Figure, dpi: int = PNG_DPI) -> tuple[bytes, bytes]:
    """PNG and SVG bytes of a figure, with fixed metadata so the bytes are reproducible.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.
    dpi : int
        Resolution of the PNG (default :data:`PNG_DPI`, 300).

    Returns
    -------
    tuple of bytes
        The PNG and the SVG.
    """
    import matplotlib

    matplotlib.rcParams["svg.hashsalt"] = "kadstudy"
    png, svg = io.BytesIO(), io.BytesIO()
    fig.savefig(png, format="png", dpi=dpi, metadata=PNG_META, bbox_inches="tight")
    fig.savefig(svg, format="svg", metadata=SVG_META, bbox_inches="tight")
    return png.getvalue(), svg.getvalue()


SYNTHETIC_LABEL = "SYNTHETIC"
_SYNTHETIC_FIGURES: ContextVar[bool] = ContextVar("kadstudy_synthetic_figures", default=False)


@contextmanager
def synthetic_figures() -> Iterator[None]:
    """Within this block every :meth:`Report.figure` carries the SYNTHETIC watermark."""
    token = _SYNTHETIC_FIGURES.set(True)
    try:
        yield
    finally:
        _SYNTHETIC_FIGURES.reset(token)


def watermark(fig: Figure) -> None:
    """Draw a visible SYNTHETIC label across ``fig`` (fixed text, place and style: deterministic)."""
    fig.text(0.5, 0.5, SYNTHETIC_LABEL, fontsize=40, color="#cc0000", alpha=0.25, rotation=30,
             ha="center", va="center", weight="bold", zorder=1000, gid="synthetic-watermark")
    fig.text(0.01, 0.99, f"{SYNTHETIC_LABEL} DATA - not real survey responses", fontsize=8,
             color="#cc0000", ha="left", va="top", zorder=1000, gid="synthetic-label")


@dataclass
class Report:
    """A report under construction: sections of text, tables and figures, written by ``write``."""

    title: str
    blocks: list[tuple[str, Any]] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    summary_lines: list[str] = field(default_factory=list)
    summary_data: dict[str, Any] = field(default_factory=dict)

    def summary(self, lines: list[str], data: Mapping[str, Any] | None = None) -> None:
        """The summary box shown right under the title (what a reader must know first: N, case
        groups, outcome known, countries, "not estimable"); ``data`` (JSON-able) is written as
        ``summary.json`` beside ``report.html`` for the index page."""
        self.summary_lines = list(lines)
        self.summary_data = dict(data or {})

    def heading(self, text: str) -> None:
        self.blocks.append(("h2", text))

    def text(self, text: str) -> None:
        self.blocks.append(("p", text))

    def note(self, text: str) -> None:
        self.blocks.append(("note", text))

    def code(self, text: str) -> None:
        self.blocks.append(("pre", text))

    def table(self, name: str, df: pd.DataFrame, caption: str,
              kinds: Mapping[str, str] | None = None, default: str | None = None) -> None:
        """Add a table, saved as ``tables/<name>.csv`` and ``.md``. ``kinds`` declares the number
        kind of columns ("estimate", "measure", "p", "count", "text", optionally ":digits"),
        ``default`` the kind of the others that their name does not settle (else inferred from
        the values, :func:`kadstudy.numbers.column_kind`)."""
        kinds = dict(kinds or {})
        self.files[f"tables/{name}.csv"] = csv_table(df, kinds, default).encode()
        self.files[f"tables/{name}.md"] = markdown_table(df, kinds, default).encode()
        self.blocks.append(("table", (name, df, caption, kinds, default)))

    def figure(self, name: str, fig: Figure, caption: str, synthetic: bool = False) -> None:
        """Add a figure, saved as ``figures/<name>.png`` and ``.svg``; with ``synthetic`` (or
        inside :func:`synthetic_figures`) it carries the SYNTHETIC :func:`watermark`."""
        if synthetic or _SYNTHETIC_FIGURES.get():
            watermark(fig)
        png, svg = figure_bytes(fig)
        self.files[f"figures/{name}.png"] = png
        self.files[f"figures/{name}.svg"] = svg
        self.blocks.append(("figure", (name, png, caption)))

    def html(self) -> str:
        """The whole report as one self-contained HTML page."""
        e = html.escape
        parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
                 f"<title>{e(self.title)}</title><style>{CSS}</style></head><body>",
                 f"<h1>{e(self.title)}</h1>"]
        if self.summary_lines:
            parts.append('<div class="summary" id="summary">'
                         + "".join(f"<p>{e(line)}</p>" for line in self.summary_lines) + "</div>")
        for kind, content in self.blocks:
            if kind == "h2":
                parts.append(f"<h2>{e(content)}</h2>")
            elif kind == "p":
                parts.append(f"<p>{e(content)}</p>")
            elif kind == "note":
                parts.append(f'<p class="note">{e(content)}</p>')
            elif kind == "pre":
                parts.append(f"<pre>{e(content)}</pre>")
            elif kind == "table":
                name, df, caption, kinds, default = content
                parts.append(f'<figure id="table-{e(name)}"><figcaption>{e(caption)} '
                             f'(<a href="tables/{e(name)}.csv">CSV</a>)</figcaption>')
                parts.append(html_table(df, kinds, default) + "</figure>")
            elif kind == "figure":
                name, png, caption = content
                data = base64.b64encode(png).decode()
                parts.append(f'<figure id="figure-{e(name)}"><img alt="{e(caption)}" '
                             f'src="data:image/png;base64,{data}"><figcaption>{e(caption)} '
                             f'(<a href="figures/{e(name)}.svg">SVG</a>)</figcaption></figure>')
        parts.append("</body></html>")
        return "\n".join(parts) + "\n"

    def write(self, folder: Path) -> None:
        """Write every file and ``report.html`` into ``folder`` (which must be new and empty)."""
        for rel, data in sorted(self.files.items()):
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        (folder / "report.html").write_text(self.html(), encoding="utf-8")
        if self.summary_data:
            import json

            text = json.dumps(self.summary_data, indent=2, ensure_ascii=False)
            (folder / "summary.json").write_text(text + "\n", encoding="utf-8")
