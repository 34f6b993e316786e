"""``reports/index.html``: one page linking every analysis report."""

from __future__ import annotations

import html

from kadstudy.pipeline.spec import AnalysisSpec
from kadstudy.report.render import CSS


def index_html(specs: list[AnalysisSpec]) -> str:
    """The index page: each analysis with its kind, dataset and a link to its report."""
    e = html.escape
    rows = "\n".join(
        f'<tr><td><a href="{e(s.name)}/report.html">{e(s.name)}</a></td><td>{e(s.title)}</td>'
        f"<td>{e(s.kind)}</td><td>{e(s.dataset)}</td></tr>" for s in specs)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>kadstudy reports</title><style>{CSS}</style></head><body>\n"
        "<h1>kadstudy reports</h1>\n<p>Every report is rebuilt from the shipped datasets by "
        "<code>kadstudy run</code>; see each page for its parameters and how to reproduce it.</p>\n"
        "<table><thead><tr><th>analysis</th><th>title</th><th>kind</th><th>dataset</th></tr>"
        f"</thead><tbody>\n{rows}\n</tbody></table>\n</body></html>\n"
    )
