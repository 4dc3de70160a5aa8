"""Ten people reviewing a 5,000-campaign account at once, each on every page, in Chromium."""

from __future__ import annotations

import time

from playwright.sync_api import Browser

from tests.e2e.conftest import BIG_SIZE, LIVE_KEY, LOAD_KEY, live_portfolio
from tests.e2e.harness import Dashboard, settle
from tests.e2e.test_dashboard import connect_without_waiting
from tests.standin import Reply
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
        for each in PAGES.values():
            label, url = each.label, big_dashboard.url + each.address
            for page in pages:  # every session asks at once; the server serves them together
                page.goto(url, wait_until="commit")
            for page in pages:
                page.wait_for_selector("h1", timeout=120_000)
                settle(page, timeout=120_000)
                assert page.locator("[data-testid='stException']").count() == 0, label
                assert page.locator("[data-testid='stAlertContentError']").count() == 0, label
            shown = pages[0].get_by_text(f"of {BIG_SIZE:,} campaigns").count()
            assert shown >= 1 or not each.about_campaigns, label
        elapsed = time.monotonic() - started
        print(
            f"\n{SESSIONS} sessions × {len(PAGES)} pages of {BIG_SIZE:,} campaigns: {elapsed:.1f} s"
        )
    finally:
        for context in contexts:
            context.close()
    assert LIVE_KEY not in big_dashboard.log()


def _fetches_of(standin, key: str) -> int:
    return sum(
        1
        for request in standin.requests
        if request.query.get("api_key") == key and request.path.rstrip("/").endswith("/campaigns")
    )


def test_twenty_browser_sessions_with_one_key_cause_one_upstream_request(
    browser: Browser, load_dashboard: Dashboard, e2e_standin
):
    portfolio = live_portfolio()[:12]
    e2e_standin.script("/campaigns", Reply.json(portfolio, delay=3.0))  # slow: all overlap
    contexts = [browser.new_context() for _ in range(20)]
    pages = [context.new_page() for context in contexts]
    try:
        for page in pages:
            page.goto(load_dashboard.url, wait_until="commit")
        for page in pages:
            page.wait_for_selector("[data-testid='stMetric']", timeout=120_000)
            settle(page, timeout=120_000)
            assert page.get_by_text(f"Showing {len(portfolio)} of {len(portfolio)}").count() == 1
    finally:
        for context in contexts:
            context.close()
    assert _fetches_of(e2e_standin, LOAD_KEY) == 1


def test_ten_browser_sessions_with_ten_keys_each_see_their_own(
    browser: Browser, dashboard: Dashboard, e2e_standin
):
    # Twenty keys at once are checked on the loader itself (tests/test_load.py); ten
    # browsers show the same from the outside without doubling the suite's time.
    keys = [f"sk-TENANT-{n:02d}-canary" for n in range(SESSIONS)]
    for number, key in enumerate(keys):
        e2e_standin.portfolios[key] = [
            {**record, "name": f"{key} campaign {i}"}
            for i, record in enumerate(live_portfolio()[: number + 1])
        ]
    contexts = [browser.new_context() for _ in keys]
    pages = [context.new_page() for context in contexts]
    try:
        for page in pages:
            page.goto(dashboard.url, wait_until="commit")
        for page in pages:
            page.wait_for_selector("[data-testid='stMetric']", timeout=120_000)
        for page, key in zip(pages, keys, strict=True):
            connect_without_waiting(page, key)
        for number, (page, key) in enumerate(zip(pages, keys, strict=True)):
            page.get_by_text(f"{number + 1} campaigns fetched").wait_for(timeout=120_000)
            settle(page, timeout=120_000)
            assert page.get_by_text(f"Showing {number + 1} of {number + 1} campaigns.").count() == 1
            others = [k for k in keys if k != key]
            html = page.content()
            assert not any(other in html for other in others), key
    finally:
        for context in contexts:
            context.close()
