"""Reports rendered in a real headless Chromium at 1280 px: every page under ``reports/`` (each
analysis, each replication, the index) is screenshot, no element is wider than the window (a wide
table scrolls inside its own box), every image loads, and the index links every page.

Needs Debian's `chromium` and `chromium-driver` (and the `selenium` package from the test extras);
`.ci/run` installs them. Skipped when absent on a user's machine, failed when absent under CI=true.
Set ``KADSTUDY_SCREENSHOTS=DIR`` to keep the screenshots in DIR.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pandas as pd
import pytest

from tests.conftest import run_cli as kad
from tests.pipeline.synthetic import NECESSITY, QDATA, write

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
WIDTH = 1280

# Elements whose box reaches past the window, unless a scrolling box (.table-wrap, pre) that fits
# holds them; a page that scrolls sideways; images that did not load (naturalWidth 0).
LAYOUT_JS = """
const vw = document.documentElement.clientWidth;
const fits = r => r.right <= vw + 0.5 && r.left >= -0.5;
const bad = [];
if (document.documentElement.scrollWidth > vw) {
  bad.push('the page scrolls sideways: ' + document.documentElement.scrollWidth + ' > ' + vw);
}
for (const el of document.body.querySelectorAll('*')) {
  const r = el.getBoundingClientRect();
  if ((r.width === 0 && r.height === 0) || fits(r)) continue;
  const box = el.parentElement && el.parentElement.closest('.table-wrap, pre');
  if (box && fits(box.getBoundingClientRect())) continue;
  bad.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' spans ' + Math.round(r.left)
           + '..' + Math.round(r.right) + ' px: ' + (el.textContent || '').trim().slice(0, 60));
}
const images = Array.from(document.images)
  .filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.alt || i.src.slice(0, 60));
return {width: vw, bad: bad.slice(0, 10), images: images,
        height: document.documentElement.scrollHeight};
"""


def _browser():
    if not (CHROMIUM and DRIVER):
        reason = "headless Chromium is not installed (Debian packages chromium, chromium-driver)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; .ci/run should have installed it")
        pytest.skip(reason)
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--allow-file-access-from-files", "--hide-scrollbars",
                 f"--window-size={WIDTH},1000", "--force-device-scale-factor=1"):
        opts.add_argument(flag)
    return webdriver.Chrome(service=Service(executable_path=DRIVER), options=opts)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A synthetic project built once: a QCA and a descriptive analysis, one replication."""
    root = tmp_path_factory.mktemp("browser")
    project = root / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text("", encoding="utf-8")
    write(project)
    (project / "analyses" / "replications").mkdir(parents=True)
    (project / "analyses" / "q.yaml").write_text(
        "kind: qca\ntitle: Synthetic <QCA>\ndataset: synqca\noutcome: y\nconditions: [a, b]\n"
        "incl_cut: 0.8\n", encoding="utf-8")
    (project / "analyses" / "d.yaml").write_text(
        "kind: descriptive\ntitle: Synthetic counts\ndataset: synqca\nby: [country]\n",
        encoding="utf-8")
    (project / "analyses" / "replications" / "syn-necessity.yaml").write_text(NECESSITY, encoding="utf-8")
    (root / "shared" / "qca-benchmarks" / "data").mkdir(parents=True)
    (root / "shared" / "qca-benchmarks" / "data" / "syn.csv").write_text(QDATA, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(project)
        capsys = _Capture()
        code, _, err = kad(["run"], capsys)   # type: ignore[arg-type]
    assert code == 0, err
    yield project / "reports"


class _Capture:
    """Enough of pytest's capsys for run_cli in a module-scoped fixture (output not captured)."""

    class _Out:
        out = err = ""

    def readouterr(self) -> _Capture._Out:
        return self._Out()


def _pages(reports: Path) -> list[Path]:
    """Every page under ``reports/``: the HTML files and the replications' Markdown."""
    return sorted([*reports.rglob("*.html"), *(reports / "replications").glob("*.md")])


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def test_index_links_every_page(built: Path):
    links = _Links()
    links.feed((built / "index.html").read_text(encoding="utf-8"))
    linked = {(built / unquote(urlparse(h).path)).resolve() for h in links.hrefs
              if not urlparse(h).scheme and not h.startswith("#")}
    pages = {p.resolve() for p in _pages(built) if p.name != "index.html"}
    assert {p.relative_to(built.resolve()).as_posix() for p in pages} == {
        "d/report.html", "q/report.html", "replications/syn-necessity.html",
        "replications/syn-necessity.md"}
    missing = sorted(p.relative_to(built.resolve()).as_posix() for p in pages - linked)
    assert not missing, f"pages the index does not link: {missing}"
    assert all(p.is_file() for p in linked), "the index links a page that does not exist"


def _stress_page(folder: Path) -> Path:
    """A page with what used to run off the page: a 22 x 22 distance matrix with long case names,
    a table with a long note column, comma-separated case lists, and a figure."""
    from matplotlib.figure import Figure

    from kadstudy.report.render import Report

    names = [f"forum_{i:02d}_komwil_vi_apeksi_adeksi" for i in range(22)]
    r = Report("Layout stress page")
    r.heading("Gower distances")
    r.table("gower", pd.DataFrame([[abs(i - j) / 21 for j in range(22)] for i in range(22)],
                                  index=pd.Index(names, name="case"), columns=names), "distances")
    r.heading("Regression")
    r.table("fit", pd.DataFrame({
        "term": ["commit", "prov_support"], "OR": [2.5, None], "OR_low": [0.1, None],
        "OR_high": [60.2, None], "p": [0.3, None], "N": [12, 12], "events": [9, 9],
        "non_events": [3, 3], "EPV": [3.0, 3.0],
        "note": ["predictor 'commit' is constant among the events: 0.67 in every durable forum, "
                 "so its odds ratio rests on the three non-events and its interval is wide", ""],
    }).set_index("term"), "fits")
    r.heading("Solution")
    r.table("solution", pd.DataFrame({"term": ["A*B"], "inclS": [0.9],
                                      "cases": [",".join(names)]}), "solution")
    fig = Figure(figsize=(6, 4))
    fig.subplots().plot([0, 1], [0, 1])
    r.figure("xy", fig, "an XY plot")
    folder.mkdir()
    r.write(folder)
    return folder / "report.html"


def _check(driver, page: Path, shots: Path) -> dict:
    driver.set_window_size(WIDTH, 1000)
    driver.get(page.as_uri())
    result = driver.execute_script(LAYOUT_JS)
    name = "_".join(page.parts[-2:]).replace(".", "_") + ".png"
    driver.set_window_size(WIDTH, min(max(result["height"], 600), 16000))
    assert driver.save_screenshot(str(shots / name)), name
    assert (shots / name).stat().st_size > 1000
    return result


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    keep = os.environ.get("KADSTUDY_SCREENSHOTS")
    folder = Path(keep) if keep else tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_every_page_fits_1280_px_and_its_images_load(built: Path, shots: Path, tmp_path: Path):
    driver = _browser()
    try:
        pages = [p for p in _pages(built) if p.suffix == ".html"]
        assert len(pages) == 4
        for page in pages:
            result = _check(driver, page, shots)
            where = page.relative_to(built).as_posix()
            assert result["width"] == WIDTH, (where, result["width"])
            assert not result["bad"], (where, result["bad"])
            assert not result["images"], (where, result["images"])
        stress = _stress_page(tmp_path / "stress")
        result = _check(driver, stress, shots)
        assert not result["bad"] and not result["images"], result
        from selenium.webdriver.common.by import By

        gower = driver.find_element(By.CSS_SELECTOR, "#table-gower .table-wrap")
        assert driver.execute_script("return arguments[0].scrollWidth > arguments[0].clientWidth",
                                     gower), "the 22 x 22 matrix should scroll inside its box"
        note = driver.find_elements(By.CSS_SELECTOR, "#table-fit td")[9]
        assert note.text.startswith("predictor 'commit'")
        assert note.rect["x"] + note.rect["width"] <= WIDTH, "the note column is off-screen"
    finally:
        driver.quit()


def test_layout_check_fails_on_a_page_that_runs_off(tmp_path: Path, shots: Path):
    """The check itself: an unwrapped wide table and a broken image are caught."""
    page = tmp_path / "bad.html"
    page.write_text("<!DOCTYPE html><html><body><table><tr>" + "<td>wide_cell_text_</td>" * 120
                    + '</tr></table><img alt="broken" src="missing.png"></body></html>', encoding="utf-8")
    driver = _browser()
    try:
        result = _check(driver, page, shots)
    finally:
        driver.quit()
    assert any("scrolls sideways" in b for b in result["bad"]) and result["images"] == ["broken"]


def test_index_and_report_render(built):
    from selenium.webdriver.common.by import By

    driver = _browser()
    try:
        driver.get((built / "index.html").as_uri())
        links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "td a")]
        assert [Path(h).parent.name for h in links if h.endswith("report.html")] == ["d", "q"]
        assert "kadstudy " in driver.find_element(By.ID, "version").text
        driver.get((built / "q" / "report.html").as_uri())
        assert driver.find_element(By.TAG_NAME, "h1").text == "Synthetic <QCA>"
        toc = driver.find_elements(By.CSS_SELECTOR, "nav.toc a")
        assert len(toc) >= 4
        for a in toc:     # every contents entry leads to a section on the page
            target = a.get_attribute("href").split("#", 1)[1]
            assert driver.find_element(By.ID, target).tag_name == "section"
        tables = driver.find_elements(By.TAG_NAME, "table")
        ids = {f.get_attribute("id") for f in driver.find_elements(By.TAG_NAME, "figure")}
        assert {"table-truth_table", "table-necessity", "table-solution_conservative",
                "figure-xy_conservative_M1"} <= ids
        assert len(tables) >= 4
        truth = driver.find_element(By.CSS_SELECTOR, "#table-truth_table table")
        assert len(truth.find_elements(By.CSS_SELECTOR, "tbody tr")) == 4
        images = driver.find_elements(By.TAG_NAME, "img")
        assert images and all(i.get_attribute("alt") for i in images)
        loaded = driver.execute_script(
            "return Array.from(document.images).map(i => i.complete && i.naturalWidth > 100)")
        assert all(loaded), loaded
    finally:
        driver.quit()
