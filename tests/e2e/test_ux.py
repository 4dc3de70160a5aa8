"""Issue 16 in Chromium: what got in the way of a new user at 1400 × 1000, each fixed and
proven where it showed, in the browser (AppTest passed Reset while it did nothing here)."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from smartlead import vocab
from smartlead.filters import Filters, apply_filters
from smartlead.views import sort_campaigns
from tests.builders import sample_campaigns, sample_clients
from tests.e2e.conftest import serving
from tests.e2e.harness import Dashboard, open_page, settle
from tests.e2e.test_dashboard import (
    DEMO_FRAME,
    SIDEBAR,
    connect,
    metric,
    pick_status,
    table_rows,
)
from tests.e2e.test_navigation import chosen_statuses, name_filter
from tests.standin import Reply, StandinRequest, StandinSmartlead

MAIN = "[data-testid='stMain']"
TABLE = "[data-testid='stDataFrame']"
EVERYTHING = f"Showing {len(DEMO_FRAME)} of {len(DEMO_FRAME)} campaigns."


def url_params(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def showing(page: Page) -> str:
    """The page's 'Showing X of Y campaigns.' line."""
    return page.locator(MAIN).get_by_text("Showing ", exact=False).first.inner_text().strip()


def showing_count(frame_filters: Filters) -> str:
    shown = apply_filters(DEMO_FRAME, frame_filters)
    return f"Showing {len(shown)} of {len(DEMO_FRAME)} campaigns."


# --------------------------------------------------------------------------- 1: Reset filters


def test_reset_filters_clears_a_linked_filter_in_the_widgets_the_url_and_the_view(
    page: Page, dashboard: Dashboard
):
    open_page(page, f"{dashboard.url}/?status=ACTIVE&q=Demo", "[data-testid='stMetric']")
    assert showing(page) == showing_count(Filters(statuses=("ACTIVE",), name_contains="Demo"))
    page.locator(SIDEBAR).get_by_role("button", name="Reset filters").click()
    settle(page)
    assert showing(page) == EVERYTHING
    assert chosen_statuses(page) == []
    assert name_filter(page) == ""
    assert url_params(page) == {}
    pick_status(page, "PAUSED")  # a filter set during the session is cleared as well
    assert showing(page) == showing_count(Filters(statuses=("PAUSED",)))
    page.locator(SIDEBAR).get_by_role("button", name="Reset filters").click()
    settle(page)
    assert showing(page) == EVERYTHING
    assert url_params(page) == {}
    page.reload()
    page.wait_for_selector("[data-testid='stMetric']", timeout=60_000)
    settle(page)
    assert showing(page) == EVERYTHING, "a reload does not bring the filters back"


def test_reset_on_the_no_match_screen_shows_every_campaign_again(page: Page, dashboard: Dashboard):
    open_page(
        page,
        f"{dashboard.url}/campaigns?status=PAUSED&q=no+such+campaign&limit=20&limit=40",
        "[data-testid='stAlertContentInfo']",
    )
    expect(page.get_by_text("No campaign matches these filters.")).to_be_visible()
    page.locator(MAIN).get_by_role("button", name="Reset filters").click()
    settle(page)
    assert table_rows(page) == len(DEMO_FRAME)
    assert url_params(page) == {}


# --------------------------------------------------------------------------- 7: double-click


def test_a_double_click_takes_back_the_narrowing_a_click_on_a_bar_made(
    page: Page, dashboard: Dashboard
):
    open_page(page, dashboard.url, "[data-testid='stMetric']")
    for label, key, value in (
        ("Status: STOPPED", "status", "STOPPED"),
        ("Tag: EMEA", "tag", "EMEA"),
    ):
        bar = page.locator(f".vega-embed svg .mark-rect path[aria-label*='{label}']").first
        bar.scroll_into_view_if_needed()
        bar.click()
        settle(page)
        assert url_params(page) == {key: [value]}
        assert showing(page) != EVERYTHING
        bar = page.locator(f".vega-embed svg .mark-rect path[aria-label*='{label}']").first
        bar.dblclick()
        settle(page)
        assert url_params(page) == {}, f"the {key} narrowing is gone from the link"
        assert showing(page) == EVERYTHING


# --------------------------------------------------------------------------- 13: select all


def select_all(page: Page, where: str, label: str) -> None:
    """Open the multiselect called ``label`` and pick its "Select all"."""
    box = page.locator(where).locator("[data-testid='stMultiSelect']").filter(has_text=label)
    box.first.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    box.first.click()
    page.get_by_role("option", name="Select all").click()
    page.keyboard.press("Escape")
    settle(page)


def test_select_all_is_no_filter_in_the_widget_and_the_link(page: Page, dashboard: Dashboard):
    open_page(page, f"{dashboard.url}/?q=Demo", "[data-testid='stMetric']")
    select_all(page, SIDEBAR, "Status")
    assert url_params(page) == {"q": ["Demo"]}, "no status is written into the link"
    assert chosen_statuses(page) == []
    assert showing(page) == showing_count(Filters(name_contains="Demo"))
    select_all(page, SIDEBAR, "Tags")
    assert url_params(page) == {"q": ["Demo"]}


def test_a_link_listing_every_status_opens_as_the_link_without_them(
    page: Page, dashboard: Dashboard
):
    statuses = DEMO_FRAME["status"].dropna().astype(str).unique().tolist()
    every = "&".join(f"status={status}" for status in statuses)
    open_page(page, f"{dashboard.url}/campaigns?{every}&q=Demo", TABLE)
    assert url_params(page) == {"q": ["Demo"]}
    assert chosen_statuses(page) == []
    assert showing(page) == showing_count(Filters(name_contains="Demo"))
    expect(page.locator("[data-testid='stAlertContentWarning']")).to_have_count(0)


def test_select_all_in_a_mailbox_filter_is_no_filter_either(page: Page, dashboard: Dashboard):
    open_page(page, f"{dashboard.url}/mailboxes", "[data-testid='stMetric']")
    select_all(page, MAIN, "Provider")
    assert "mb_provider" not in url_params(page)
    box = page.locator(MAIN).locator("[data-testid='stMultiSelect']").filter(has_text="Provider")
    assert box.locator("[data-tag]").count() == 0


# ------------------------------------------------------------------------ 3, 4, 5: the key

GOOD_KEY = "sk-GOOD-CANARY-51aa"
REJECTED_KEY = "sk-REJECTED-CANARY-27bc"
BROKEN_KEY = "sk-BROKEN-CANARY-88de"
"""SmartLead answers this key's campaigns with a 500."""
HTML_KEY = "sk-HTML-CANARY-40fe"
"""SmartLead answers this key's campaigns with a login page (HTML)."""
FAILING = {BROKEN_KEY: Reply.server_error(), HTML_KEY: Reply.html(200, title="Log in")}


@pytest.fixture(scope="module")
def keys_dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dashboard]:
    """A dashboard without a configured key, before a SmartLead that accepts
    :data:`GOOD_KEY`, rejects :data:`REJECTED_KEY` (401) and fails the others' campaigns."""
    server = StandinSmartlead(
        portfolios={GOOD_KEY: sample_campaigns(), **{key: [] for key in FAILING}},
        clients={GOOD_KEY: sample_clients()},
    )
    original = server._campaigns

    def campaigns(request: StandinRequest) -> Reply:
        return FAILING.get(request.api_key or "") or original(request)

    server.add_route("GET", r"/campaigns", campaigns)
    with server, serving("keys", server, tmp_path_factory) as running:
        yield running


def sidebar_text(page: Page) -> str:
    return page.locator(SIDEBAR).inner_text()


def test_the_sidebar_never_says_connected_for_a_key_that_does_not_work(
    page: Page, keys_dashboard: Dashboard
):
    open_page(page, keys_dashboard.url, "[data-testid='stMetric']")
    for key, reason in (
        (REJECTED_KEY, "SmartLead did not accept it"),
        (BROKEN_KEY, "SmartLead is having trouble"),
        (HTML_KEY, "SmartLead sent an answer the dashboard cannot read"),
    ):
        connect(page, key)
        expect(page.locator(MAIN).locator("[data-testid='stAlertContentError']")).to_be_visible()
        said = sidebar_text(page)
        assert "Connected with" not in said, key
        assert f"Not connected with the key you entered: {reason}" in said, said
    connect(page, GOOD_KEY)
    assert "Connected with the key you entered." in sidebar_text(page)


def test_the_error_says_each_thing_once_and_names_only_buttons_on_the_screen(
    page: Page, keys_dashboard: Dashboard
):
    open_page(page, keys_dashboard.url, "[data-testid='stMetric']")
    connect(page, REJECTED_KEY)
    told = page.locator(MAIN).inner_text()
    assert told.count("rejected the API key") == 1, told
    assert "Invalid API Key" in told
    connect(page, BROKEN_KEY)
    told = page.locator(MAIN).inner_text()
    assert "HTTP 500" in told
    assert "API key" not in told.split("HTTP 500")[1], "a 500 is no reason to change the key"
    assert "Refresh" not in told, "no Refresh button is shown next to the error"
    assert "press Try again" in told
    expect(page.locator(MAIN).get_by_role("button", name="Try again")).to_be_visible()


def test_a_new_key_that_fails_leaves_the_working_connection_in_use_and_says_so(
    page: Page, keys_dashboard: Dashboard
):
    open_page(page, keys_dashboard.url, "[data-testid='stMetric']")
    connect(page, GOOD_KEY)
    working = len(sample_campaigns())
    assert metric(page, "Campaigns shown") == str(working)
    for key, why in (
        (REJECTED_KEY, "SmartLead rejected the API key (HTTP 401)"),
        (BROKEN_KEY, "HTTP 500"),
    ):
        connect(page, key)
        assert metric(page, "Campaigns shown") == str(working), "the working key is kept"
        expect(page.locator(MAIN).locator("[data-testid='stAlertContentError']")).to_have_count(0)
        note = page.locator(SIDEBAR).locator("[data-testid='stAlertContentWarning']")
        expect(note).to_contain_text("The new key was not used")
        expect(note).to_contain_text(why)
        expect(note).to_contain_text("Still connected with the key entered before.")
        assert "Connected with the key you entered." in sidebar_text(page)
    page.locator(SIDEBAR).get_by_role("link", name="Campaigns").click()
    settle(page)
    assert table_rows(page) == working, "kept across a page switch"
    page.locator(SIDEBAR).get_by_role("button", name="Disconnect").click()
    settle(page)
    expect(page.get_by_text("No key: showing the demo portfolio.")).to_be_visible()
    assert page.locator(SIDEBAR).locator("[data-testid='stAlertContentWarning']").count() == 0
    for key in (GOOD_KEY, REJECTED_KEY, BROKEN_KEY):
        assert key not in page.content()
        assert key not in page.url


# --------------------------------------------------------------------------- 6: Changes


def changes_count(page: Page) -> int:
    """The N of the Changes page's 'From … to …: N changes to M campaigns' line."""
    line = page.locator(MAIN).get_by_text(" changes to ", exact=False).first.inner_text()
    return int(line.split(": ", 1)[1].split(" changes", 1)[0].replace(",", ""))


def test_changes_follows_the_shared_filters_it_shows(page: Page, dashboard: Dashboard):
    open_page(page, f"{dashboard.url}/changes", "[data-testid='stMetric']")
    everything = changes_count(page)
    assert table_rows(page) == everything
    open_page(page, f"{dashboard.url}/changes?status=ACTIVE", "[data-testid='stMetric']")
    narrowed = changes_count(page)
    assert 0 < narrowed < everything, (narrowed, everything)
    assert table_rows(page) == narrowed
    kinds = sum(int(metric(page, label).replace(",", "")) for label in vocab.CHANGE_KINDS.values())
    assert kinds == narrowed, "the counts per kind are the narrowed ones"
    expect(page.get_by_text("the sidebar's filters show", exact=False)).to_be_visible()
    page.locator(SIDEBAR).get_by_role("button", name="Reset filters").click()
    settle(page)
    assert changes_count(page) == everything


# ------------------------------------------------------------- 10 and tables: using the screen

CUT = """(root) => {
    const pen = document.createElement("canvas").getContext("2d");
    return [...root.querySelectorAll("[data-testid='stMetric'] *")]
        .filter((el) => getComputedStyle(el).textOverflow === "ellipsis")
        .filter((el) => {
            pen.font = getComputedStyle(el).font;
            return pen.measureText(el.textContent.trim()).width > el.clientWidth + 1;
        })
        .map((el) => el.textContent.trim());
}"""
"""The texts of the KPIs that do not fit their box (the browser cuts them with an ellipsis)."""


@pytest.mark.parametrize("path", ["/", "/health", "/schedule", "/changes"])
def test_no_kpi_is_cut_off_at_1400_px(page: Page, dashboard: Dashboard, path: str):
    open_page(page, f"{dashboard.url}{path}", "[data-testid='stMetric']")
    assert page.locator(MAIN).evaluate(CUT) == []


def grid_headers(page: Page) -> list[str]:
    """The column headers the campaigns table draws right now (its accessible header row)."""
    headers = page.locator(f"{TABLE} [role='columnheader']")
    return [text.strip() for text in headers.all_inner_texts()]


def test_the_campaigns_table_fills_the_window_and_keeps_the_name_in_sight(
    page: Page, dashboard: Dashboard
):
    open_page(page, f"{dashboard.url}/campaigns", TABLE)
    tall = page.locator(TABLE).first.bounding_box()["height"]
    assert tall >= 1000 - 340, f"{tall} px of a 1000 px window"
    assert tall / 35 >= 18, "at least 18 rows in sight"
    headers = grid_headers(page)
    assert "Last updated" not in headers, f"the table's right end is out of sight: {headers}"
    assert {"Campaign", "Sent", "Reply rate", "Bounce rate", "Status", "Client"} <= set(headers)
    page.locator(TABLE).first.hover()
    page.mouse.wheel(4000, 0)  # scroll the table to its far right
    page.wait_for_timeout(500)
    assert "Last updated" in grid_headers(page)
    assert "Campaign" in grid_headers(page), "the name column is pinned"
    page.set_viewport_size({"width": 1400, "height": 700})
    page.wait_for_timeout(800)
    shorter = page.locator(TABLE).first.bounding_box()["height"]
    assert 700 - 340 <= shorter < tall, "the table follows the window's height"


# ------------------------------------------------ links to SmartLead's app, Health severity

APP = "https://app.smartlead.ai/app/email-campaign/{id}/analytics"


def test_every_campaign_links_to_its_page_in_smartleads_app(page: Page, dashboard: Dashboard):
    open_page(page, f"{dashboard.url}/campaigns?q=Demo", TABLE)
    assert "SmartLead" in grid_headers(page)
    listed = apply_filters(DEMO_FRAME, Filters(name_contains="Demo"))
    first = int(sort_campaigns(listed, "Newest first")["id"].iloc[0])
    box = page.locator(TABLE).first.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 35 / 2)  # tick the first row
    settle(page)
    link = page.locator(MAIN).get_by_role("link", name="Open in SmartLead")
    expect(link).to_have_attribute("href", APP.format(id=first))
    expect(link).to_have_attribute("target", "_blank")
    open_page(page, f"{dashboard.url}/health", TABLE)
    findings = page.locator(TABLE).nth(1)
    findings.scroll_into_view_if_needed()
    headers = [t.strip() for t in findings.locator("[role='columnheader']").all_inner_texts()]
    assert "SmartLead" in headers


def test_health_severity_reads_by_mark_and_colour(page: Page, dashboard: Dashboard):
    open_page(page, f"{dashboard.url}/health", TABLE)
    cells = page.locator(TABLE).first.locator("[role='gridcell']").all_inner_texts()
    assert any(cell.strip() == "▲ high" for cell in cells), cells[:12]
    assert any(cell.strip() == "◆ medium" for cell in cells)


def test_a_campaigns_details_read_as_a_form_grouped_by_topic(page: Page, dashboard: Dashboard):
    open_page(page, f"{dashboard.url}/campaigns?q=Demo", TABLE)
    box = page.locator(TABLE).first.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 35 / 2)  # tick the first row
    settle(page)
    tables = page.locator(TABLE)
    headers = {}
    for index in range(1, tables.count()):
        first = tables.nth(index).locator("[role='columnheader']").first
        headers[first.inner_text().strip()] = tables.nth(index)
    wanted = {"Campaign", "Sending", "Schedule", "Tracking", "Sequence", "Client and tags"}
    assert wanted <= set(headers), list(headers)
    sending = headers["Sending"]
    assert sending.bounding_box()["width"] < box["width"] / 2, "boxes side by side"
    cells = sending.locator("[role='gridcell']").all_inner_texts()
    assert "Daily limit (new leads per day)" in [cell.strip() for cell in cells]
