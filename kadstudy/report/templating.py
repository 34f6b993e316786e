"""The one template system of every page: Jinja2 templates shipped in ``kadstudy/templates/``.

Analysis reports (:mod:`kadstudy.report.render`), the index (:mod:`kadstudy.report.index`) and the
replication reports (:mod:`kadstudy.reproduce.report`) are rendered here, HTML with autoescaping
(every text from data is escaped) and Markdown without (its cells go through :func:`md_cell`).
Jinja2 is imported on first use, not when the command line starts. Rendering is deterministic:
the same context gives the same bytes, with no timestamps and no absolute paths.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    import jinja2

#: a page with at least this many sections gets a table of contents
TOC_MIN_SECTIONS = 4
#: the suffix of HTML templates; they, and only they, are autoescaped
HTML_SUFFIX = ".html.j2"


class Cell(NamedTuple):
    """A table cell ready to show: its text, CSS classes (``num``, ``diff``, ...) and a tooltip."""

    text: str
    classes: str = ""
    title: str = ""


class Section(NamedTuple):
    """An entry of a page's table of contents: the heading text and its unique anchor."""

    anchor: str
    text: str


def slug(text: str) -> str:
    """An anchor made of ASCII letters, digits and ``-`` from ``text`` (``"section"`` if none).

    Parameters
    ----------
    text : str
        Heading text, in any script.

    Returns
    -------
    str
        Lower-case ASCII words joined by ``-``.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "section"


class Anchors:
    """Hands out anchors unique within one page: a repeated slug gets ``-2``, ``-3``, ...

    Parameters
    ----------
    taken : iterable of str
        Ids already used on the page (tables, figures), which no anchor may repeat.
    """

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self.used: set[str] = set(taken)

    def __call__(self, text: str, prefix: str = "s-") -> str:
        """A new anchor for ``text``, ``prefix`` + :func:`slug`, unique on the page."""
        base = prefix + slug(text)
        anchor, k = base, 1
        while anchor in self.used:
            k += 1
            anchor = f"{base}-{k}"
        self.used.add(anchor)
        return anchor


def sections(headings: Sequence[str], taken: Iterable[str] = ()) -> list[Section]:
    """The table of contents of a page with ``headings`` (in order): unique anchors, see
    :class:`Anchors`."""
    anchors = Anchors(taken)
    return [Section(anchors(h), h) for h in headings]


def md_cell(text: Any) -> str:
    """Text made safe for one Markdown table cell: ``|`` escaped, line breaks as spaces."""
    return str(text).replace("|", "\\|").replace("\r\n", " ").replace("\n", " ")


def wrap_list(text: str) -> str:
    """A comma-separated list (``"FI,IE"``) with a space after every comma, so it can wrap."""
    return re.sub(r",(?=\S)", ", ", text)


def breakable(text: Any) -> Any:
    """``text`` escaped, with a line-break opportunity (``<wbr>``) after each ``_``, so a long
    identifier (``coded_with_outcome``) can wrap in a narrow column; returns safe markup."""
    from markupsafe import Markup, escape

    return Markup(str(escape(text)).replace("_", "_<wbr>"))


def shown_title(title: str, synthetic: bool) -> str:
    """The title a page shows: with ``— SYNTHETIC DATA`` when built from synthetic data and the
    title does not say so already."""
    if synthetic and "SYNTHETIC" not in title:
        return f"{title} — SYNTHETIC DATA"
    return title


@cache
def environment() -> jinja2.Environment:
    """The Jinja2 environment of the shipped templates (built once, on first use)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("kadstudy", "templates"),
        autoescape=lambda name: bool(name) and name.endswith(HTML_SUFFIX),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_cell
    env.filters["breakable"] = breakable
    env.globals["TOC_MIN_SECTIONS"] = TOC_MIN_SECTIONS
    return env


def render(name: str, **context: Any) -> str:
    """Render the template ``name`` (e.g. ``"report.html.j2"``) with ``context``.

    Parameters
    ----------
    name : str
        A template in ``kadstudy/templates/``.
    **context
        The template's variables; a missing one is an error, not an empty string.

    Returns
    -------
    str
        The page text, ending with one newline.
    """
    text = environment().get_template(name).render(**context)
    return text.rstrip("\n") + "\n"


__all__ = ["TOC_MIN_SECTIONS", "Anchors", "Cell", "Section", "breakable", "environment", "md_cell", "render",
           "sections", "shown_title", "slug", "wrap_list"]
