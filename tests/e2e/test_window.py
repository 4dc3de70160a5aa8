"""The date window in Chromium: the Overview opens with its figures, the control writes the
URL, survives a page switch and a deep link, and a live key gets the figures by default."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Page, expect

from smartlead import demo
from smartlead.frame import campaigns_frame
from smartlead.window import Window, today_in, window_kpis, with_window
from smartlead.window_fetch import demo_window_fetch
from tests.e2e.conftest import LIVE_KEY
from tests.e2e.harness import Dashboard, open_page, settle
from tests.e2e.test_dashboard import SIDEBAR, connect, go_to, metric

METRIC = "[data-testid='stMetric']"
WINDOW_KPIS = ["Sent", "Replies", "Reply rate", "Positive replies", "Bounce rate"]

WINDOW_KEY = "sk-WINDOW-CANARY-5d1e07"
"""A key only the default-on window test uses (its requests are counted)."""


def kpi_labels(page: Page) -> list[str]:
    labels = page.locator(f"{METRIC} [data-testid='stMetricLabel']")
    return [labels.nth(i).inner_text().strip() for i in range(labels.count())]


def expected_kpis(days: int, zone: str = "UTC") -> dict[str, str]:
    """The demo's headline figures over the last ``days`` days, as the Overview shows them."""
    today = today_in(zone)
    records = demo.demo_campaigns(300, seed=7)
    frame = campaigns_frame(records, demo.demo_clients())
    window = Window(today - timedelta(days=days - 1), today, zone)
    now = with_window(frame, demo_window_fetch(records, window, today).metrics())
    before = with_window(frame, demo_window_fetch(records, window.previous(), today).metrics())
    return {kpi.label: kpi.value_text() for kpi in window_kpis(now, before)}


def choose(page: Page, label: str, option: str) -> None:
    """Pick ``option`` in the sidebar's select box called ``label``."""
    box = page.locator(SIDEBAR).locator("[data-testid='stSelectbox']").filter(has_text=label)
    box.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    box.click()
    page.get_by_role("option", name=option, exact=True).click()
    settle(page)


def shows(page: Page, label: str, value: str) -> None:
    """The sidebar's select box called ``label`` shows ``value``."""
    expect(page.locator(SIDEBAR).get_by_role("combobox", name=label)).to_have_value(value)


def url_params(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_the_overview_shows_the_window_figures_first(page: Page, dashboard: Dashboard):
    open_page(page, dashboard.url, METRIC)
    labels = kpi_labels(page)
    assert labels[:5] == WINDOW_KPIS, labels
    assert labels.index("Sent") < labels.index("Campaigns shown")
    expected = expected_kpis(30)
    for label in WINDOW_KPIS:
        assert metric(page, label) == expected[label], label
    first_heading = page.locator("[data-testid='stMain'] h3").first
    expect(first_heading).to_contain_text("Performance · Last 30 days")
    deltas = page.locator(f"{METRIC} [data-testid='stMetricDelta']")
    assert deltas.count() >= 4, "changes against the previous 30 days"
    expect(page.get_by_text("Emails sent per day")).to_be_visible()
    expect(page.get_by_text("Reply and bounce rate per client")).to_be_visible()
    page.get_by_role("tab", name="Per tag").click()
    settle(page)
    expect(page.get_by_text("Reply and bounce rate per tag")).to_be_visible()


def test_the_window_is_in_the_url_and_survives_a_page_switch(page: Page, dashboard: Dashboard):
    open_page(page, dashboard.url, METRIC)
    choose(page, "Performance over", "Last 7 days")
    assert url_params(page).get("window") == ["Last 7 days"], page.url
    assert metric(page, "Sent") == expected_kpis(7)["Sent"]
    go_to(page, "Campaigns")
    assert urlsplit(page.url).path == "/campaigns"
    assert url_params(page).get("window") == ["Last 7 days"], "kept on the next page"
    shows(page, "Performance over", "Last 7 days")
    expect(page.get_by_text("Window: Last 7 days")).to_be_visible()
    go_to(page, "Overview")
    assert metric(page, "Sent") == expected_kpis(7)["Sent"]


def test_a_deep_link_opens_with_its_window_and_time_zone(page: Page, dashboard: Dashboard):
    open_page(page, f"{dashboard.url}/schedule?window=Last+90+days&tz=Asia%2FTokyo", "h1")
    shows(page, "Performance over", "Last 90 days")
    shows(page, "Days counted in", "Asia/Tokyo")
    expect(page.get_by_text("Hours in Asia/Tokyo, the time zone chosen")).to_be_visible()
    go_to(page, "Overview")
    assert url_params(page).get("tz") == ["Asia/Tokyo"]
    expect(page.locator("[data-testid='stMain'] h3").first).to_contain_text("Last 90 days")
    assert metric(page, "Sent") == expected_kpis(90, "Asia/Tokyo")["Sent"]


def test_a_custom_window_that_runs_backwards_is_refused_in_words(page: Page, dashboard: Dashboard):
    open_page(page, f"{dashboard.url}/?window=Custom+range&from=2026-10-14&to=2026-10-01", "h1")
    expect(page.locator(SIDEBAR).locator("[data-testid='stAlertContentError']")).to_contain_text(
        "before it starts"
    )
    assert page.locator("[data-testid='stException']").count() == 0
    assert metric(page, "Campaigns shown") == "300", "the rest of the page works"


def test_a_live_key_gets_the_window_by_default_and_never_shows_the_key(
    page: Page, dashboard: Dashboard, e2e_standin
):
    # A key of its own: the server's cache may already hold LIVE_KEY's window from another test.
    e2e_standin.portfolios[WINDOW_KEY] = e2e_standin.portfolios[LIVE_KEY]
    e2e_standin.clients[WINDOW_KEY] = e2e_standin.clients[LIVE_KEY]
    open_page(page, dashboard.url, METRIC)
    connect(page, WINDOW_KEY)
    assert kpi_labels(page)[:5] == WINDOW_KPIS
    assert metric(page, "Sent") not in ("", "—")
    asked = [
        entry
        for entry in e2e_standin.requests
        if entry.path.startswith("/analytics/") and entry.query.get("api_key") == WINDOW_KEY
    ]
    assert asked, "the window was asked for without anyone asking"
    expect(page.locator(SIDEBAR).get_by_text("kept for", exact=False)).to_be_visible()
    go_to(page, "Health")
    expect(page.get_by_text("The bounce and reply rules read the window")).to_be_visible()
    assert WINDOW_KEY not in page.content()
    assert WINDOW_KEY not in page.url
