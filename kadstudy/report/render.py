"""Reports as files: tables (CSV + Markdown), figures (PNG + SVG) and one self-contained HTML page.

Everything is deterministic: no timestamps, fixed matplotlib metadata and SVG hash salt, images
embedded in the page as data URIs, and all text from data escaped. The page and the Markdown tables
are rendered by the Jinja2 templates of :mod:`kadstudy.report.templating`.
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kadstudy import numbers
from kadstudy.report.templating import Cell, render, sections, shown_title, wrap_list

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

PNG_META = {"Software": None}
#: resolution of the PNG figures (journals ask for at least 300 dpi)
PNG_DPI = 300
SVG_META = {"Date": None, "Creator": None}
#: columns whose comma-separated lists are shown with a space after each comma, so they wrap
LIST_COLUMNS = ("cases", "cases covered")
#: a text cell longer than this gets a minimum width, so a long note stays readable
LONG_TEXT = 60
#: figures are shown at this multiple of their natural size (then shrunk to the page width)
FIGURE_SCALE = 1.25
#: a figure is embedded as SVG up to this size; a larger one (thousands of shapes) as PNG
SVG_MAX_BYTES = 250_000


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


def _cells(head: list[str], rows: list[list[Any]], specs: list[str]) -> list[list[Cell]]:
    """The rows as :class:`~kadstudy.report.templating.Cell`: numbers by kind (right-aligned),
    lists in the :data:`LIST_COLUMNS` with spaces after commas, long text marked ``long``."""
    out = []
    for row in rows:
        line = []
        for col, v, k in zip(head, row, specs, strict=True):
            text = numbers.fmt(v, k)
            if numbers.is_number(v):
                line.append(Cell(text, "num"))
                continue
            if col in LIST_COLUMNS:
                text = wrap_list(text)
            line.append(Cell(text, "long" if len(text) > LONG_TEXT else ""))
        out.append(line)
    return out


def markdown_table(df: pd.DataFrame, kinds: Mapping[str, str] | None = None,
                   default: str | None = None) -> str:
    """A GitHub-flavoured Markdown table of ``df`` (index included when named).

    Parameters
    ----------
    df : pandas.DataFrame
        The table.
    kinds : mapping, optional
        The number kind of columns; others are inferred (:func:`kadstudy.numbers.column_kind`).
    default : str, optional
        The kind of columns neither ``kinds`` nor their name settles.

    Returns
    -------
    str
        The table, one line per row, ``|`` in cells escaped.
    """
    head, rows, specs = _frame_rows(df, kinds, default)
    return render("table.md.j2", head=head, rows=_cells(head, rows, specs))


def html_table(df: pd.DataFrame, kinds: Mapping[str, str] | None = None,
               default: str | None = None) -> str:
    """An escaped HTML table of ``df`` (index included when named), numbers as in Markdown, in a
    box that scrolls sideways when the table is wider than the page.

    Parameters
    ----------
    df : pandas.DataFrame
        The table.
    kinds : mapping, optional
        The number kind of columns, as in :func:`markdown_table`.
    default : str, optional
        The kind of columns neither ``kinds`` nor their name settles.

    Returns
    -------
    str
        ``<div class="table-wrap"><table>...</table></div>``.
    """
    head, rows, specs = _frame_rows(df, kinds, default)
    return render("table.html.j2", head=head, rows=_cells(head, rows, specs)).rstrip("\n")


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
    png = io.BytesIO()
    fig.savefig(png, format="png", dpi=dpi, metadata=PNG_META, bbox_inches="tight")
    return png.getvalue(), svg_bytes(fig)


def svg_bytes(fig: Figure) -> bytes:
    """``fig`` as a deterministic SVG (fixed hash salt, no date in the metadata)."""
    import matplotlib

    matplotlib.rcParams["svg.hashsalt"] = "kadstudy"
    svg = io.BytesIO()
    fig.savefig(svg, format="svg", metadata=SVG_META, bbox_inches="tight")
    return svg.getvalue()


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


def svg_size(svg: bytes) -> tuple[int, int] | None:
    """The size in CSS pixels of an SVG from its root ``width``/``height`` (``pt`` or ``px``), or
    None when it does not say."""
    head = svg[:2000].decode("utf-8", "replace")
    root = re.search(r"<svg\b[^>]*>", head)
    if not root:
        return None
    size = []
    for attr in ("width", "height"):
        m = re.search(rf'\s{attr}="([0-9.]+)(pt|px)?"', root.group(0))
        if not m:
            return None
        value = float(m.group(1)) * (4 / 3 if m.group(2) == "pt" else 1)
        size.append(round(value * FIGURE_SCALE))
    return size[0], size[1]


@dataclass
class Report:
    """A report under construction: sections of text, tables and figures, written by ``write``.

    Blocks are added in reading order by :meth:`heading`, :meth:`text`, :meth:`note`,
    :meth:`code`, :meth:`table` and :meth:`figure`; :meth:`summary` sets the box under the title
    and :meth:`mark_synthetic` the explicit synthetic flag, which the page template shows in the
    title area and which names and marks every output file (whatever the order of the blocks).
    """

    title: str
    blocks: list[tuple[str, Any]] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    summary_lines: list[str] = field(default_factory=list)
    summary_data: dict[str, Any] = field(default_factory=dict)
    #: the synthetic data the report is built from (a path or description); None for real data
    synthetic: str | None = None
    #: what the reader must know about the synthetic data, shown in the title area
    synthetic_lines: list[str] = field(default_factory=list)

    def summary(self, lines: list[str], data: Mapping[str, Any] | None = None) -> None:
        """The summary box shown right under the title (what a reader must know first: N, case
        groups, outcome known, countries, "not estimable"); ``data`` (JSON-able) is written as
        ``summary.json`` beside ``report.html`` for the index page."""
        self.summary_lines = list(lines)
        self.summary_data = dict(data or {})

    def mark_synthetic(self, source: str, lines: list[str] | None = None) -> None:
        """Flag the report as built from the synthetic data ``source``.

        Parameters
        ----------
        source : str
            Where the synthetic data come from (a path relative to the project).
        lines : list of str, optional
            Sentences shown in the SYNTHETIC box of the title area.

        Notes
        -----
        The page shows SYNTHETIC in its title and a box under it; every table and figure file
        gets the ``_SYNTHETIC`` suffix, a CSV the first line :func:`kadstudy.survey.io.mark_line`,
        a Markdown table a caption line, and a table caption the ``[SYNTHETIC]`` tag. The summary
        (and ``summary.json``, which keeps its name: the index reads it) says so too.
        """
        self.synthetic = source
        self.synthetic_lines = [*self.synthetic_lines, *(lines or [])]
        if self.summary_data and "synthetic" not in self.summary_data:
            self.summary_data["synthetic"] = source
            self.summary_lines = [f"SYNTHETIC: derived from synthetic survey responses ({source}); "
                                  "not data about real forums", *self.summary_lines]

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

    # -------------------------------------------------------------------- output

    def _name(self, name: str) -> str:
        """A table or figure name as written: with the SYNTHETIC suffix when flagged."""
        from kadstudy.survey.io import SUFFIX

        return f"{name}{SUFFIX}" if self.synthetic and not name.endswith(SUFFIX) else name

    def output_files(self) -> dict[str, bytes]:
        """The table and figure files as written (relative path -> bytes): when flagged synthetic,
        each name carries the suffix, a CSV starts with the mark line and a Markdown table with it
        as a caption."""
        if not self.synthetic:
            return dict(self.files)
        from kadstudy.survey.io import mark_line

        line = mark_line(self.synthetic)
        out = {}
        for rel, data in self.files.items():
            stem, _, ext = rel.rpartition(".")
            if ext == "csv":
                data = f"{line}\n".encode() + data
            elif ext == "md":
                data = f"{line.removeprefix('# ')}\n\n".encode() + data
            out[f"{self._name(stem)}.{ext}"] = data
        return out

    def _groups(self) -> tuple[list[dict[str, Any]], list[Any]]:
        """The blocks as template items, grouped by section (the first group, before any heading,
        has none), and the table of contents (unique anchors)."""
        ids = {f"{kind}-{self._name(content[0])}" for kind, content in self.blocks
               if kind in ("table", "figure")}
        toc = sections([c for k, c in self.blocks if k == "h2"], ids | {"summary", "synthetic",
                                                                       "contents"})
        heads = iter(toc)
        groups: list[dict[str, Any]] = [{"section": None, "items": []}]
        for kind, content in self.blocks:
            if kind == "h2":
                groups.append({"section": next(heads), "items": []})
                continue
            items = groups[-1]["items"]
            if kind in ("p", "note", "pre"):
                items.append({"kind": kind, "text": content})
            elif kind == "table":
                name, df, caption, kinds, default = content
                head, rows, specs = _frame_rows(df, kinds, default)
                if self.synthetic and "SYNTHETIC" not in caption:
                    caption = f"[SYNTHETIC] {caption}"
                items.append({"kind": kind, "name": self._name(name), "caption": caption,
                              "head": head, "rows": _cells(head, rows, specs)})
            elif kind == "figure":
                name, caption = content[0], content[-1]
                svg = self.files.get(f"figures/{name}.svg")
                png = self.files.get(f"figures/{name}.png", content[1])
                if svg is not None and len(svg) <= SVG_MAX_BYTES:
                    src = "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
                    size = svg_size(svg)
                else:
                    src, size = "data:image/png;base64," + base64.b64encode(png).decode(), None
                items.append({"kind": kind, "name": self._name(name), "caption": caption,
                              "src": src, "size": size, "has_svg": svg is not None})
        return groups, toc

    def html(self) -> str:
        """The whole report as one self-contained HTML page (template ``report.html.j2``)."""
        groups, toc = self._groups()
        return render("report.html.j2", shown_title=shown_title(self.title, bool(self.synthetic)),
                      synthetic=bool(self.synthetic), synthetic_lines=self.synthetic_lines,
                      summary_lines=self.summary_lines, groups=groups, toc=toc)

    def write(self, folder: Path) -> None:
        """Write every file and ``report.html`` into ``folder`` (which must be new and empty)."""
        for rel, data in sorted(self.output_files().items()):
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        (folder / "report.html").write_text(self.html(), encoding="utf-8")
        if self.summary_data:
            import json

            text = json.dumps(self.summary_data, indent=2, ensure_ascii=False)
            (folder / "summary.json").write_text(text + "\n", encoding="utf-8")
