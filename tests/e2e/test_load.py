"""Ten people reviewing a 5,000-campaign account at once, each on every page, in Chromium."""

from __future__ import annotations

import time

from playwright.sync_api import Browser

from tests.e2e.conftest import BIG_SIZE, LIVE_KEY
from tests.e2e.harness import Dashboard, settle
from ui.page import PAGES

SESSIONS = 10


def test_ten_concurrent_sessions_keep_every_page_working(
    browser: Browser, big_dashboard: Dashboard
):
    contexts = [
        browser.new_context(viewport={"width": 1400, "height": 1000}) for _ in range(SESSIONS)
    ]
    pages = [context.new_page() for context in contexts]
    try:
        started = time.monotonic()
        for path, label, _ in PAGES:
            url = big_dashboard.url + (
                "/" if path == "app.py" else "/" + path.split("_", 1)[1][:-3]
            )
            for page in pages:  # every session asks at once; the server serves them together
                page.goto(url, wait_until="commit")
            for page in pages:
                page.wait_for_selector("h1", timeout=120_000)
                settle(page, timeout=120_000)
                assert page.locator("[data-testid='stException']").count() == 0, label
                assert page.locator("[data-testid='stAlertContentError']").count() == 0, label
            shown = pages[0].get_by_text(f"of {BIG_SIZE:,} campaigns").count()
            assert shown >= 1 or label == "Changes", label
        elapsed = time.monotonic() - started
        print(
            f"\n{SESSIONS} sessions × {len(PAGES)} pages of {BIG_SIZE:,} campaigns: {elapsed:.1f} s"
        )
    finally:
        for context in contexts:
            context.close()
    assert LIVE_KEY not in big_dashboard.log()
