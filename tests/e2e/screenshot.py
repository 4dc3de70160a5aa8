"""Regenerate the README's screenshot of the Overview, in demo mode, with Debian's Chromium.

python -m tests.e2e.screenshot            # writes docs/overview.png
python -m tests.e2e.screenshot out.png    # or anywhere else
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.e2e.harness import ROOT, launch_browser, open_page, running_dashboard


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else ROOT / "docs" / "overview.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    log = Path(tempfile.gettempdir()) / "smartlead-screenshot.log"
    with (
        running_dashboard({"SMARTLEAD_DEMO_SIZE": "300"}, log) as dashboard,
        sync_playwright() as pw,
    ):
        browser = launch_browser(pw)
        page = browser.new_page(viewport={"width": 1440, "height": 1200})
        open_page(page, dashboard.url, "[data-testid='stMetric']")
        page.wait_for_timeout(1500)  # let the charts finish their first paint
        page.screenshot(path=str(target))
        browser.close()
    print(f"Wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
