"""Issue 16 in Chromium: the demo a first-time visitor sees reads like a real agency's
portfolio; the hostile names (HTML, formulas) stay in the tests' and the stand-in's data."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.harness import Dashboard, open_page

MAIN = "[data-testid='stMain']"


@pytest.mark.parametrize("hostile", ["onerror", "<img", "=HYPERLINK", "cmd|", "very long name"])
def test_the_demo_portfolio_holds_no_hostile_names(page: Page, dashboard: Dashboard, hostile: str):
    open_page(page, f"{dashboard.url}/campaigns?q={quote(hostile)}", "[data-testid='stAlert']")
    expect(page.locator(MAIN).get_by_text("No campaign matches these filters.")).to_be_visible()
