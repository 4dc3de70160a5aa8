"""The router in a real browser: filters and the key follow every way of moving between pages.

``app.py`` draws the sidebar once, before it runs the page, and Streamlit keeps those widgets
and their URL parameters across page switches; these tests prove it where it matters, in
Chromium: the navigation, deep links, the back and forward buttons, a reload, opening a
campaign from Health, the first run of a new server, and no request leaving the app's origin.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Page, Request, expect

from smartlead.filters import Filters, apply_filters
from tests.e2e.conftest import LIVE_KEY, LIVE_SIZE
from tests.e2e.harness import Dashboard, open_page, settle
from tests.e2e.test_dashboard import (
    DEMO_FRAME,
    SIDEBAR,
    connect,
    go_to,
    metric,
    pick_status,
    table_rows,
)
from ui.page import PAGES

ACTIVE_DEMO = apply_filters(DEMO_FRAME, Filters(statuses=("ACTIVE",), name_contains="Demo"))
"""The demo campaigns the tests' filters (status ACTIVE, name contains "Demo") leave."""
TABLE = "[data-testid='stDataFrame']"


def chosen_statuses(page: Page) -> list[str]:
    """The values picked in the sidebar's Status filter, as the widget shows them."""
    box = page.locator(SIDEBAR).locator("[data-testid='stMultiSelect']").filter(has_text="Status")
    return [tag.get_attribute("aria-label") for tag in box.locator("[data-tag]").all()]


def name_filter(page: Page) -> str:
    return page.locator(SIDEBAR).get_by_label("Name contains", exact=True).input_value()


def type_name_filter(page: Page, text: str) -> None:
    page.locator(SIDEBAR).get_by_label("Name contains", exact=True).fill(text)
    page.keyboard.press("Enter")
    settle(page)


def url_filters(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def path_of(page: Page) -> str:
    return urlsplit(page.url).path


def heading(page: Page) -> str:
    return page.locator("h1").first.inner_text().strip()


def assert_filtered(page: Page, where: str) -> None:
    """The widgets, the URL and what the page shows all hold status ACTIVE + name "Demo"."""
    assert chosen_statuses(page) == ["ACTIVE"], where
    assert name_filter(page) == "Demo", where
    params = url_filters(page)
    assert params.get("status") == ["ACTIVE"], (where, page.url)
    assert params.get("q") == ["Demo"], (where, page.url)


def test_filters_set_on_the_overview_follow_the_navigation_to_every_page(
    page: Page, dashboard: Dashboard
):
    open_page(page, dashboard.url, "[data-testid='stMetric']")
    pick_status(page, "ACTIVE")
    type_name_filter(page, "Demo")
    assert_filtered(page, "overview")
    assert metric(page, "Campaigns shown") == str(len(ACTIVE_DEMO))
    go_to(page, "Campaigns")
    assert path_of(page) == "/campaigns"
    assert_filtered(page, "campaigns")
    assert table_rows(page) == len(ACTIVE_DEMO)
    expect(page.get_by_text(f"Showing {len(ACTIVE_DEMO)} of {len(DEMO_FRAME)}")).to_be_visible()
    go_to(page, "Health")
    assert (path_of(page), heading(page)) == ("/health", "Settings health")
    assert_filtered(page, "health")
    expect(page.get_by_text(f"Showing {len(ACTIVE_DEMO)} of {len(DEMO_FRAME)}")).to_be_visible()
    go_to(page, "Changes")
    assert (path_of(page), heading(page)) == ("/changes", "Changes")
    assert_filtered(page, "changes")
    go_to(page, "Schedule & capacity")
    assert path_of(page) == "/schedule"
    assert_filtered(page, "schedule")
    go_to(page, "Overview")
    assert path_of(page) == "/"
    assert_filtered(page, "back on the overview")
    assert metric(page, "Campaigns shown") == str(len(ACTIVE_DEMO))
    page.reload()
    page.wait_for_selector("[data-testid='stMetric']", timeout=60_000)
    settle(page)
    assert_filtered(page, "after a reload")
    assert metric(page, "Campaigns shown") == str(len(ACTIVE_DEMO))


def test_a_deep_link_opens_its_page_with_its_filters(page: Page, dashboard: Dashboard):
    open_page(page, f"{dashboard.url}/campaigns?status=ACTIVE&q=Demo", TABLE)
    assert heading(page) == "Campaigns"
    assert_filtered(page, "deep link")
    assert table_rows(page) == len(ACTIVE_DEMO)


def test_a_deep_link_works_as_the_first_request_of_a_new_server(
    page: Page, fresh_dashboard: Dashboard
):
    open_page(page, f"{fresh_dashboard.url}/campaigns?status=ACTIVE&q=Demo", TABLE)
    assert page.locator("[data-testid='stException']").count() == 0
    assert heading(page) == "Campaigns"
    assert_filtered(page, "first request")
    assert table_rows(page) == len(ACTIVE_DEMO)


def test_the_first_filter_change_after_load_is_kept(page: Page, fresh_dashboard: Dashboard):
    open_page(page, fresh_dashboard.url, "[data-testid='stMetric']")
    pick_status(page, "ACTIVE")  # the first change in the server's first session
    assert chosen_statuses(page) == ["ACTIVE"]
    active = apply_filters(DEMO_FRAME, Filters(statuses=("ACTIVE",)))
    assert metric(page, "Campaigns shown") == str(len(active))
    type_name_filter(page, "Demo")  # a second change keeps the first
    assert_filtered(page, "second change")
    assert metric(page, "Campaigns shown") == str(len(ACTIVE_DEMO))
    go_to(page, "Campaigns")
    assert_filtered(page, "after a page switch")


def test_the_back_button_returns_to_the_previous_page_with_its_filters(
    page: Page, dashboard: Dashboard
):
    open_page(page, dashboard.url, "[data-testid='stMetric']")
    pick_status(page, "ACTIVE")
    active = apply_filters(DEMO_FRAME, Filters(statuses=("ACTIVE",)))
    go_to(page, "Campaigns")
    type_name_filter(page, "Demo")
    assert_filtered(page, "campaigns")
    go_to(page, "Health")
    assert_filtered(page, "health")

    page.go_back()
    settle(page)
    assert (path_of(page), heading(page)) == ("/campaigns", "Campaigns")
    assert_filtered(page, "back to campaigns")
    assert table_rows(page) == len(ACTIVE_DEMO)

    page.go_back()
    settle(page)
    assert (path_of(page), heading(page)) == ("/", "Portfolio overview")
    assert chosen_statuses(page) == ["ACTIVE"], "the overview's filters when it was left"
    assert name_filter(page) == ""
    assert url_filters(page) == {"status": ["ACTIVE"]}
    assert metric(page, "Campaigns shown") == str(len(active))

    page.go_forward()
    settle(page)
    assert path_of(page) == "/campaigns"
    assert_filtered(page, "forward to campaigns")
    assert table_rows(page) == len(ACTIVE_DEMO)


def test_an_old_link_still_opens_its_page_with_its_filters(page: Page, dashboard: Dashboard):
    open_page(page, f"{dashboard.url}/Campaigns?status=ACTIVE&q=Demo", TABLE)
    assert (path_of(page), heading(page)) == ("/Campaigns", "Campaigns")
    assert_filtered(page, "old link")
    assert table_rows(page) == len(ACTIVE_DEMO)
    go_to(page, "Health")
    assert path_of(page) == "/health"
    assert_filtered(page, "from the old link to health")
    page.go_back()
    settle(page)
    assert (path_of(page), heading(page)) == ("/Campaigns", "Campaigns")
    assert_filtered(page, "back to the old link")
    page.go_back()
    page.wait_for_url("about:blank")  # back leaves the dashboard: no forward traps it
    open_page(page, f"{dashboard.url}/Schedule_and_capacity?q=Demo", "h1")
    assert heading(page) == "Schedule & capacity"
    assert name_filter(page) == "Demo"


def test_opening_a_campaign_from_health_keeps_the_filters(page: Page, dashboard: Dashboard):
    open_page(page, f"{dashboard.url}/health?status=ACTIVE&q=Demo", TABLE)
    findings = page.locator(TABLE).nth(1)
    findings.scroll_into_view_if_needed()
    box = findings.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 18)  # the first finding's selection cell
    settle(page)
    settle(page)
    assert (path_of(page), heading(page)) == ("/campaigns", "Campaigns")
    assert_filtered(page, "campaign opened from health")
    assert table_rows(page) == len(ACTIVE_DEMO)
    detail = page.locator("[data-testid='stMain'] h3").first
    expect(detail).to_contain_text("(#")


def test_a_key_typed_in_the_sidebar_survives_every_page_switch(page: Page, dashboard: Dashboard):
    open_page(page, dashboard.url, "[data-testid='stMetric']")
    connect(page, LIVE_KEY)
    for each in [*PAGES.values(), PAGES["overview"]]:
        go_to(page, each.label)
        expect(page.get_by_text("Connected with the key you entered.")).to_be_visible()
        expect(page.get_by_text(f"{LIVE_SIZE} campaigns fetched")).to_be_visible()
        expect(
            page.locator("[data-testid='stAlertContentInfo']").filter(has_text="Demo")
        ).to_have_count(0)
        assert LIVE_KEY not in page.url
    go_to(page, "Campaigns")
    assert table_rows(page) == LIVE_SIZE
    page.go_back()
    settle(page)
    expect(page.get_by_text("Connected with the key you entered.")).to_be_visible()
    assert metric(page, "Campaigns shown") == str(LIVE_SIZE)


def test_every_request_of_a_tour_of_all_pages_goes_to_the_apps_own_origin(
    page: Page, dashboard: Dashboard
):
    requested: list[str] = []

    def record(request: Request) -> None:
        requested.append(request.url)

    page.on("request", record)
    open_page(page, dashboard.url, "[data-testid='stMetric']")
    pick_status(page, "ACTIVE")
    page.locator(SIDEBAR).get_by_text("Show all-time sent, replies and bounces").click()
    settle(page)
    for each in PAGES.values():
        go_to(page, each.label)
        assert page.locator("[data-testid='stException']").count() == 0, each.label
    origin = dashboard.url + "/"
    foreign = [url for url in requested if not url.startswith((origin, "data:", "blob:"))]
    assert foreign == [], "the browser asked another server for something"
    fonts = [url for url in requested if "MaterialSymbols" in url]
    assert fonts, "the buttons' Material icons come from Streamlit's own bundled font"
    assert all(url.startswith(origin) for url in fonts)
    favicon = page.locator("link[rel='shortcut icon']").get_attribute("href") or ""
    assert favicon.startswith(("data:", "/", origin)), "the favicon is drawn locally"
