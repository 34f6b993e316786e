"""The page templates (kadstudy.report.templating): escaping, unique table-of-contents anchors,
the synthetic mark, Markdown tables, the index's version and data hash, lazy Jinja2."""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from kadstudy.report.index import DataHash, Replication, data_hash, index_html
from kadstudy.report.render import Report, html_table, markdown_table, svg_size
from kadstudy.report.templating import TOC_MIN_SECTIONS, Anchors, sections, slug

EVIL = '<script>alert("x")</script> & \'q\''


class Page(HTMLParser):
    """Every id, every in-page link and the text of each tag on a page."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.links: list[str] = []
        self.tags: list[str] = []
        self.scripts = 0
        self.h1 = ""
        self._in_h1 = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "a" and a.get("href", "").startswith("#"):
            self.links.append(a["href"][1:])
        self.scripts += tag == "script"
        self._in_h1 = tag == "h1" or self._in_h1

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._in_h1:
            self.h1 += data


def _report(headings: list[str], title: str = "A report") -> Report:
    r = Report(title)
    r.summary(["N = 3 cases"], {"n": 3})
    for i, h in enumerate(headings):
        r.heading(h)
        r.text(f"text {i}")
        r.table(f"t{i}", pd.DataFrame({"case": ["a", "b"], "x": [1.0, 2.0]}).set_index("case"), f"table {i}")
    return r


def test_text_from_data_is_escaped_everywhere():
    r = Report(EVIL)
    r.summary([EVIL], {"n": 1})
    r.heading(EVIL)
    r.text(EVIL)
    r.note(EVIL)
    r.code(EVIL)
    r.table("t", pd.DataFrame({EVIL: [EVIL], "cases": ["a,b"]}), EVIL)
    page = r.html()
    parsed = Page(page)
    assert parsed.scripts == 0 and "<script>" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;q&#39;" in page
    assert parsed.h1 == EVIL
    index = index_html([], replications=[Replication("r1", EVIL, "match", 2, 2)], version=EVIL,
                       data=DataHash("0" * 64, {EVIL: "1" * 64}))
    assert "<script>" not in index and Page(index).scripts == 0
    assert "<script>" not in html_table(pd.DataFrame({"a": [EVIL]}))


def test_toc_anchors_are_unique_and_resolve():
    """Repeated and non-ASCII headings get distinct anchors that no table or figure id repeats,
    and every contents link points at exactly one element."""
    heads = ["Results", "Results", "Résultats", "Table t0", "!!!", "results"]
    page = _report(heads).html()
    parsed = Page(page)
    assert len(parsed.ids) == len(set(parsed.ids)), parsed.ids
    assert len(parsed.links) == len(heads)
    for target in parsed.links:
        assert parsed.ids.count(target) == 1, target
    assert [s.anchor for s in sections(heads, {"s-results"})] == [
        "s-results-2", "s-results-3", "s-resultats", "s-table-t0", "s-section", "s-results-4"]
    assert slug("Kartamantul × Barlingmascakeb") == "kartamantul-barlingmascakeb"
    anchors = Anchors({"table-x"})
    assert anchors("x", prefix="table-") == "table-x-2"


def test_toc_only_on_pages_with_several_sections():
    few = Page(_report(["a"] * (TOC_MIN_SECTIONS - 1)).html())
    many = Page(_report(["a"] * TOC_MIN_SECTIONS).html())
    assert "nav" not in few.tags and "contents" not in few.ids
    assert "nav" in many.tags and "contents" in many.ids


def test_synthetic_flag_marks_title_files_and_captions_whatever_the_block_order():
    plain = _report(["One", "Two"])
    marked = _report(["One", "Two"])
    marked.mark_synthetic("datasets/survey/responses_SYNTHETIC.csv", ["Invented respondents."])
    marked.heading("Added after marking")     # the mark does not depend on where blocks are
    marked.table("late", pd.DataFrame({"x": [1]}), "a late table")
    page = marked.html()
    head = page.split("</header>")[0]
    assert "<title>A report — SYNTHETIC DATA</title>" in page
    assert Page(page).h1 == "A report — SYNTHETIC DATA"
    assert 'id="synthetic"' in head and "Invented respondents." in head
    assert "SYNTHETIC" in marked.summary_lines[0] and marked.summary_data["synthetic"].endswith(".csv")
    files = marked.output_files()
    assert sorted(files) == sorted(f"{p.rsplit('.', 1)[0]}_SYNTHETIC.{p.rsplit('.', 1)[1]}"
                                   for p in marked.files)
    assert all(files[f].startswith(b"# SYNTHETIC") for f in files if f.endswith(".csv"))
    assert all(files[f].startswith(b"SYNTHETIC") for f in files if f.endswith(".md"))
    assert "[SYNTHETIC] a late table" in page and 'href="tables/late_SYNTHETIC.csv"' in page
    assert 'id="table-late_SYNTHETIC"' in page
    clean = plain.html()
    assert "SYNTHETIC" not in clean and plain.output_files() == plain.files
    # a title that says so already is not marked twice
    said = Report("Survey — SYNTHETIC DATA")
    said.mark_synthetic("x_SYNTHETIC.csv")
    assert Page(said.html()).h1 == "Survey — SYNTHETIC DATA"


def test_markdown_table_escapes_and_wraps_case_lists():
    df = pd.DataFrame({"term": ["A|B"], "cases": ["FI,IE,NL"], "note": ["two\nlines"]})
    assert markdown_table(df).splitlines() == [
        "| term | cases | note |", "|---|---|---|", "| A\\|B | FI, IE, NL | two lines |"]
    assert "<td>FI, IE, NL</td>" in html_table(df)
    assert '<div class="table-wrap">' in html_table(df)


def test_figure_is_svg_with_alt_text_and_size():
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4, 3))
    fig.subplots().plot([1, 2], [1, 2])
    r = Report("f")
    r.figure("fig", fig, 'An "XY" plot')
    page = r.html()
    assert 'alt="An &#34;XY&#34; plot"' in page and 'src="data:image/svg+xml;base64,' in page
    width, height = svg_size(r.files["figures/fig.svg"])
    assert f'width="{width}" height="{height}"' in page and width > 400


def test_data_hash_is_content_not_place_or_time(tmp_path: Path):
    def tree(root: Path, text: str) -> list[Path]:
        (root / "datasets" / "d").mkdir(parents=True)
        (root / "datasets" / "d" / "codings.csv").write_text(text, encoding="utf-8")
        (root / "spec.yaml").write_text("a: 1\n", encoding="utf-8")
        return [root / "spec.yaml", root / "datasets" / "d" / "codings.csv"]

    a = data_hash(tmp_path / "a", tree(tmp_path / "a", "x\n"))
    b = data_hash(tmp_path / "b", tree(tmp_path / "b", "x\n"))
    c = data_hash(tmp_path / "c", tree(tmp_path / "c", "y\n"))
    assert a == b and a.digest != c.digest and len(a.digest) == 64
    assert list(a.files) == ["datasets/d/codings.csv", "spec.yaml"]
    page = index_html([], version="9.9", data=a)
    assert a.digest in page and "kadstudy 9.9" in page and "datasets/d/codings.csv" in page


def test_pages_are_deterministic():
    assert _report(["A", "B", "C", "D"]).html() == _report(["A", "B", "C", "D"]).html()


def test_jinja2_is_not_imported_by_the_command_line_help():
    code = ("import sys\nfrom kadstudy.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n"
            "    pass\nprint('jinja2' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"


@pytest.mark.parametrize("name", ["_base.html.j2", "report.html.j2", "index.html.j2",
                                  "replication.html.j2", "replication.md.j2", "style.css"])
def test_templates_ship_as_package_data(name):
    """The templates are found through the package (as a non-editable install ships them) and
    pyproject.toml lists them as package data."""
    import importlib.resources
    import tomllib

    assert importlib.resources.files("kadstudy").joinpath("templates", name).is_file()
    root = Path(__file__).resolve().parents[2]
    data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = data["tool"]["setuptools"]["package-data"]["kadstudy"]
    assert any(Path("templates", name).match(p) for p in patterns)


def test_a_huge_svg_is_embedded_as_png(monkeypatch):
    from matplotlib.figure import Figure

    import kadstudy.report.render as render

    fig = Figure(figsize=(2, 2))
    fig.subplots().plot([1, 2], [1, 2])
    r = Report("f")
    r.figure("fig", fig, "many shapes")
    monkeypatch.setattr(render, "SVG_MAX_BYTES", 10)
    page = r.html()
    assert 'src="data:image/png;base64,' in page and "svg+xml" not in page
    assert 'href="figures/fig.svg"' in page


def test_long_identifiers_may_wrap_but_stay_escaped():
    page = html_table(pd.DataFrame({"coded_with_outcome": ["<b>_x"], "n_cases": [3]}))
    assert "<th>coded_<wbr>with_<wbr>outcome</th>" in page
    assert "<td>&lt;b&gt;_<wbr>x</td>" in page and '<td class="num">3</td>' in page
