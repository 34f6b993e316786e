"""Reports rendered in a real headless Chromium: tables and images are there and load.

Needs Debian's `chromium` and `chromium-driver` (and the `selenium` package from the test extras);
`.ci/run` installs them. Skipped when absent on a user's machine, failed when absent under CI=true.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import run_cli as kad
from tests.pipeline.synthetic import write

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")


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
                 "--disable-sync", "--allow-file-access-from-files"):
        opts.add_argument(flag)
    return webdriver.Chrome(service=Service(executable_path=DRIVER), options=opts)


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> Path:
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    write(tmp_path)
    (tmp_path / "analyses").mkdir()
    (tmp_path / "analyses" / "q.yaml").write_text(
        "kind: qca\ntitle: Synthetic <QCA>\ndataset: synqca\noutcome: y\nconditions: [a, b]\n"
        "incl_cut: 0.8\n", encoding="utf-8")
    (tmp_path / "analyses" / "d.yaml").write_text(
        "kind: descriptive\ntitle: Synthetic counts\ndataset: synqca\nby: [country]\n",
        encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, _, err = kad(["run"], capsys)
    assert code == 0, err
    return tmp_path / "reports"


def test_index_and_report_render(built):
    from selenium.webdriver.common.by import By

    driver = _browser()
    try:
        driver.get((built / "index.html").as_uri())
        links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "td a")]
        assert [Path(h).parent.name for h in links] == ["d", "q"]
        driver.get((built / "q" / "report.html").as_uri())
        assert driver.find_element(By.TAG_NAME, "h1").text == "Synthetic <QCA>"
        tables = driver.find_elements(By.TAG_NAME, "table")
        ids = {f.get_attribute("id") for f in driver.find_elements(By.TAG_NAME, "figure")}
        assert {"table-truth_table", "table-necessity", "table-solution_conservative",
                "figure-xy_conservative_M1"} <= ids
        assert len(tables) >= 4
        truth = driver.find_element(By.CSS_SELECTOR, "#table-truth_table table")
        assert len(truth.find_elements(By.CSS_SELECTOR, "tbody tr")) == 4
        images = driver.find_elements(By.TAG_NAME, "img")
        assert images
        loaded = driver.execute_script(
            "return Array.from(document.images).map(i => i.complete && i.naturalWidth > 100)")
        assert all(loaded), loaded
    finally:
        driver.quit()
