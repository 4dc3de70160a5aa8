"""Clicks that change one part of a page, at 100 and 20,000 campaigns, in Chromium.

Run from the repository root: ``python bench/bench_clicks.py`` (``--sizes 100 20000``,
``--clicks 3``). For each size it serves the demo portfolio from the stand-in SmartLead,
starts ``streamlit run app.py`` with that key (history off, the window's performance switched
off in the browser, as ``bench_scale.py`` does) and measures, from the click to the changed
part being on screen (the median of ``--clicks``):

- **row click**: picking a row of the Campaigns table until that campaign's settings show;
- **rule click**: picking a rule on the Health page until the campaigns behind it show.

These clicks rerun only their part of the page (``st.fragment``): the sidebar, the load and
the filters are not run again. Each figure is printed with its ratio to the smallest size.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from bench.bench_scale import LONG, window_off  # noqa: E402
from smartlead.demo import demo_campaigns, demo_clients  # noqa: E402
from tests.e2e.harness import launch_browser, running_dashboard, settle  # noqa: E402
from tests.standin import StandinSmartlead  # noqa: E402

KEY = "bench-clicks-key"
TABLE = "[data-testid='stDataFrame']"
HEADING = "[data-testid='stMain'] h3"
ROW = 35
"""Pixels per table row (Streamlit's default row height)."""

CHANGED = """([selector, before]) => {
    const headings = [...document.querySelectorAll(selector)].map((h) => h.innerText);
    return headings.join("\\n") !== before;
}"""


def heading_text(page: Page) -> str:
    """Every subheading of the page, one per line (what a click changes)."""
    return "\n".join(page.locator(HEADING).all_inner_texts())


def click_row(page: Page, table: int, row: int) -> float:
    """Seconds from ticking ``row`` of the ``table``-th table to the page's subheadings
    changing (the picked campaign's name, or the picked rule's)."""
    before = heading_text(page)
    box = page.locator(TABLE).nth(table).bounding_box()
    assert box is not None
    started = time.perf_counter()
    page.mouse.click(box["x"] + 18, box["y"] + ROW + row * ROW + ROW / 2)
    page.wait_for_function(CHANGED, arg=[HEADING, before], timeout=LONG)
    seconds = time.perf_counter() - started
    settle(page, timeout=LONG)
    return seconds


def measure(size: int, clicks: int) -> dict[str, float]:
    records = demo_campaigns(size, seed=21)
    standin = StandinSmartlead(portfolios={KEY: records}, clients={KEY: demo_clients()})
    log = Path(tempfile.gettempdir()) / f"smartlead-bench-clicks-{size}.log"
    with standin:
        env = {
            "SMARTLEAD_API_KEY": KEY,
            "SMARTLEAD_BASE_URL": standin.base_url,
            "SMARTLEAD_HISTORY": "off",
            "SMARTLEAD_RATE_LIMIT": "1000/1",
        }
        return clicks_against(env, log, clicks)


def clicks_against(env: dict[str, str], log: Path, clicks: int) -> dict[str, float]:
    """The clicks on a dashboard started with ``env``."""
    with running_dashboard(env, log, timeout=120) as app, sync_playwright() as pw:
        browser = launch_browser(pw)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{app.url}/campaigns")
        page.wait_for_selector(TABLE, timeout=LONG)
        window_off(page)
        rows = [click_row(page, 0, row) for row in range(clicks)]
        page.goto(f"{app.url}/health")
        page.wait_for_selector(TABLE, timeout=LONG)
        settle(page, timeout=LONG)
        rules = [click_row(page, 0, row) for row in range(clicks)]
        browser.close()
    return {
        "row click s (median)": statistics.median(rows),
        "rule click s (median)": statistics.median(rules),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 20_000])
    parser.add_argument("--clicks", type=int, default=3)
    args = parser.parse_args()
    results = {size: measure(size, args.clicks) for size in args.sizes}
    base = results[args.sizes[0]]
    print(f"{'':26}" + "".join(f"{size:>18,}" for size in args.sizes))
    for name in base:
        cells = [
            f"{results[s][name]:9.2f} ({results[s][name] / base[name]:5.2f}×)" for s in args.sizes
        ]
        print(f"{name:26}" + "".join(f"{cell:>18}" for cell in cells), flush=True)


if __name__ == "__main__":
    main()
