"""The rendered report, checked as a reader sees it: opened in headless Chromium (Debian's
`chromium` + `chromium-driver`, driven by Selenium; never a browser download).

The report of the end-to-end test's tiny run (the whole DAG, every workload, mode and study; the
`tiny_run` fixture in conftest.py) is opened; the page must load without
console errors and without any request to another host, every figure must have loaded and have
axis labels, nothing may run past the page at 1280 px, every table must have a caption and a
header and no index column, the claims ledger must have 13 rows (and the JAX section's 6), and
every in-page link must land on an anchor. A full-page screenshot is saved next to the report
and its path printed (run pytest with -s to see it).
"""

import json
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.e2e

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # a request to any host fails here (and is still logged)
]
LOCAL_SCHEMES = {"file", "data", "about", "blob"}
WHAT_THE_PAGE_SHOWS = """
const links = Array.from(document.querySelectorAll('a[href^="#"]')).map(a => a.getAttribute('href'));
return {
  images: Array.from(document.images).map(
    i => ({src: i.src.slice(0, 60), width: i.naturalWidth, height: i.naturalHeight})),
  ledgerRows: document.querySelectorAll('#claims-ledger tbody tr').length,
  jaxLedgerRows: document.querySelectorAll('#jax-ledger tbody tr').length,
  ledgerVerdicts: Array.from(document.querySelectorAll('#claims-ledger tbody tr td:nth-child(3)'))
    .map(td => td.textContent),
  brokenLinks: links.filter(h => h.length > 1 && !document.getElementById(decodeURIComponent(h.slice(1)))),
  height: document.documentElement.scrollHeight,
  scrollWidth: document.documentElement.scrollWidth,
  windowWidth: window.innerWidth,
  tables: Array.from(document.querySelectorAll('table')).map(t => {
    const cell = t.closest('.jp-Cell');
    const next = cell ? cell.nextElementSibling : null;
    const captioned = !!t.querySelector('caption') || !!(next && next.querySelector('a[id^="tbl-"]'))
      || !!t.closest('[id^="tbl-"]');
    return {
      id: t.id || (next && next.querySelector('a[id^="tbl-"]') ? next.querySelector('a[id^="tbl-"]').id : ''),
      captioned: captioned,
      headers: t.querySelectorAll('thead th').length,
      indexCells: t.querySelectorAll('tbody th, th.blank, th.row_heading, th.index_name').length,
      right: Math.round(t.getBoundingClientRect().right),
    };
  }),
  figures: [  // figures are SVG: inline, or an <img> of an SVG data URI (nbconvert, Quarto)
    ...Array.from(document.querySelectorAll('svg')),
    ...Array.from(document.images).filter(i => i.src.startsWith('data:image/svg+xml;base64,')).map(i =>
      new DOMParser().parseFromString(atob(i.src.split(',')[1]), 'image/svg+xml').documentElement),
  ].filter(s => s.querySelector('g[id^="axes_"]')).map(svg => {
    // matplotlib numbers the axis groups in drawing order: each Axes' x axis (odd), then its y (even)
    const labels = parity => Array.from(svg.querySelectorAll('g[id^="matplotlib.axis_"]'))
      .filter(axis => Number(axis.id.split('_').pop()) % 2 === parity).flatMap(axis =>
        Array.from(axis.querySelectorAll('text'))
          .filter(t => !t.closest('g[id^="xtick_"], g[id^="ytick_"]'))
          .map(t => t.textContent.trim()).filter(text => text.length > 0));
    return {x: labels(1), y: labels(0)};
  }),
};
"""


@pytest.fixture(scope="module")
def tiny_report(tiny_run) -> Path:
    if not CHROMIUM or not CHROMEDRIVER:
        pytest.skip("Debian's chromium and chromium-driver are not installed (.ci/run installs them)")
    return tiny_run / "results/report.html"


def open_in_chromium(html: Path, user_data_dir: Path, screenshot: Path) -> dict:
    """Load `html` in headless Chromium; return what a reader's browser saw."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [*CHROMIUM_FLAGS, f"--user-data-dir={user_data_dir}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        driver.set_window_size(1280, 900)
        driver.get_log("performance")  # reading drains the log: the new-tab page's own requests go
        driver.get(html.resolve().as_uri())
        driver.execute_async_script(  # wait until every image has loaded or failed
            "const done = arguments[arguments.length - 1];"
            "Promise.all(Array.from(document.images).map(i => i.complete ? 0 :"
            " new Promise(r => { i.onload = i.onerror = r; }))).then(() => done());"
        )
        seen = driver.execute_script(WHAT_THE_PAGE_SHOWS)
        requests = [
            json.loads(entry["message"])["message"]["params"]["request"]["url"][:200]
            for entry in driver.get_log("performance")
            if '"Network.requestWillBeSent"' in entry["message"]
        ]
        seen["console_errors"] = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        seen["requests"] = requests
        driver.set_window_size(1280, min(seen["height"], 30000))
        driver.save_screenshot(str(screenshot))
    finally:
        driver.quit()
    return seen


@pytest.fixture(scope="module")
def seen(tiny_report, tmp_path_factory) -> dict:
    screenshot = tiny_report.with_name("report-screenshot.png")
    result = open_in_chromium(tiny_report, tmp_path_factory.mktemp("chromium-profile"), screenshot)
    print(f"\nscreenshot of the rendered report: {screenshot}")
    return result


def test_no_console_errors(seen):
    assert seen["console_errors"] == []


def test_no_request_leaves_the_machine(seen):
    assert seen["requests"], "the performance log recorded no request at all"
    external = [url for url in seen["requests"] if urlparse(url).scheme not in LOCAL_SCHEMES]
    assert external == []


def test_every_figure_loaded_and_has_axis_labels(seen):
    """Figures are inline SVG with their text as text (fwbench.reporting.style.use_svg_figures), so
    each figure's axis labels can be read: some x axis and some y axis of it is labelled."""
    assert len(seen["figures"]) >= 3, seen["figures"]
    assert all(image["width"] > 0 and image["height"] > 0 for image in seen["images"]), seen["images"]
    unlabelled = [figure for figure in seen["figures"] if not (figure["x"] and figure["y"])]
    assert unlabelled == [], unlabelled


def test_nothing_runs_past_the_page_at_1280_px(seen):
    assert 1200 <= seen["windowWidth"] <= 1280  # the window is 1280 px wide (less any scroll bar)
    assert seen["scrollWidth"] <= seen["windowWidth"], seen["scrollWidth"]
    assert [t for t in seen["tables"] if t["right"] > seen["windowWidth"]] == []


def test_every_table_has_a_caption_and_a_header_and_no_index_column(seen):
    assert len(seen["tables"]) >= 10
    assert [t for t in seen["tables"] if not t["captioned"]] == []
    assert [t for t in seen["tables"] if t["headers"] == 0] == []
    assert [t for t in seen["tables"] if t["indexCells"]] == []


def test_the_ledger_has_thirteen_rows_with_verdicts(seen):
    from fwbench.studies.verdict import INCONCLUSIVE, NOT_TESTABLE, REFUTED, SUPPORTED

    assert seen["ledgerRows"] == 13
    assert seen["jaxLedgerRows"] == 6  # Beyond the article: B1 and B2 (CLAIMS.md), speed, memory, accuracy
    assert set(seen["ledgerVerdicts"]) <= {SUPPORTED, REFUTED, INCONCLUSIVE, NOT_TESTABLE}


def test_in_page_links_land_on_anchors(seen):
    assert seen["brokenLinks"] == []


def test_a_screenshot_was_saved(tiny_report, seen):
    screenshot = tiny_report.with_name("report-screenshot.png")
    assert screenshot.stat().st_size > 10_000
