"""Regenerate the README's screenshots: every page at 1400 px wide, in demo mode, in Debian's
Chromium (what a first-time visitor sees), one PNG per page in docs/.

python -m tests.e2e.screenshot               # writes docs/<page>.png for every page
python -m tests.e2e.screenshot out/          # or into another folder
python -m tests.e2e.screenshot docs/ health  # only the pages named (keys of ui.page.PAGES)
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from tests.e2e.harness import ROOT, launch_browser, open_page, running_dashboard
from ui.page import PAGES

WIDTH = 1400
HEIGHT = 1000


def shoot(page: Page, url: str, target: Path) -> None:
    """Open ``url``, wait for the script and the charts' first paint, keep the whole page."""
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    open_page(page, url, "[data-testid='stMain'] h1")
    page.wait_for_timeout(2000)
    # the page scrolls inside Streamlit's main area: make the window as tall as the page
    tall = page.locator("[data-testid='stMain']").evaluate("(main) => main.scrollHeight")
    page.set_viewport_size({"width": WIDTH, "height": max(HEIGHT, int(tall))})
    page.wait_for_timeout(1500)
    page.screenshot(path=str(target), full_page=True)


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else ROOT / "docs"
    wanted = argv[1:] or list(PAGES)
    folder.mkdir(parents=True, exist_ok=True)
    log = Path(tempfile.gettempdir()) / "smartlead-screenshot.log"
    with (
        running_dashboard({"SMARTLEAD_DEMO_SIZE": "300"}, log) as dashboard,
        sync_playwright() as pw,
    ):
        browser = launch_browser(pw)
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        for name in wanted:
            target = folder / f"{name}.png"
            shoot(page, dashboard.url + PAGES[name].address, target)
            print(f"Wrote {target}")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
