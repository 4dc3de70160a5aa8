"""The dashboard in a real browser: what a person sees and can do, end to end."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from playwright.sync_api import Page, expect

from smartlead.demo import demo_campaigns, demo_clients
from smartlead.filters import Filters, apply_filters, portfolio_kpis
from smartlead.frame import campaigns_frame
from smartlead.views import sort_campaigns
from tests.e2e.conftest import LIVE_KEY, LIVE_SIZE, WRONG_KEY, live_portfolio
from tests.e2e.harness import ARTIFACTS, Dashboard, open_page, settle
from ui.page import PAGES

DEMO_FRAME = campaigns_frame(demo_campaigns(300, seed=7), demo_clients())
SIDEBAR = "[data-testid='stSidebar']"


def metric(page: Page, label: str) -> str:
    """The value shown under a KPI label."""
    box = page.locator("[data-testid='stMetric']").filter(has_text=label).first
    return box.locator("[data-testid='stMetricValue']").inner_text().strip()


def connect_without_waiting(page: Page, key: str) -> None:
    """Type the key into the sidebar and press Connect, as a person would."""
    sidebar = page.locator(SIDEBAR)
    sidebar.get_by_label("API key", exact=True).fill(key)
    sidebar.get_by_role("button", name="Connect", exact=True).click()


def connect(page: Page, key: str) -> None:
    """Connect with ``key`` and wait for the page to finish loading that portfolio."""
    connect_without_waiting(page, key)
    settle(page)


def go_to(page: Page, label: str) -> None:
    """Follow the sidebar's link to a page."""
    page.locator(SIDEBAR).get_by_role("link", name=label).click()
    page.wait_for_url(lambda url: True)
    settle(page)
    settle(page)


def table_rows(page: Page) -> int:
    """Rows in the page's first table (the grid announces its size for screen readers)."""
    expect(page.locator("[data-testid='stDataFrame']").first).to_be_visible(timeout=30_000)
    grid = page.locator("[data-testid='stDataFrame'] [aria-rowcount]").first
    expect(grid).to_be_attached()
    return int(grid.get_attribute("aria-rowcount")) - 1  # minus the header row


def drawn_marks(page: Page) -> list[int]:
    """For each of the Overview's settings charts (status, tags, limits), how many bars it
    drew (the window's charts above them are left out)."""
    charts = page.locator(".vega-embed")
    counts = [charts.nth(i).locator("svg .mark-rect path").count() for i in range(charts.count())]
    first = next(
        i
        for i in range(charts.count())
        if charts.nth(i).locator("svg .mark-rect path[aria-label*='Status: ']").count()
    )
    return counts[first:]


def pick_status(page: Page, status: str) -> None:
    box = page.locator(SIDEBAR).locator("[data-testid='stMultiSelect']").filter(has_text="Status")
    # Scrolled to first: a click that scrolls the sidebar closes the list it opens.
    box.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    box.click()
    page.get_by_role("option", name=status, exact=True).click()
    page.keyboard.press("Escape")
    settle(page)


def download(page: Page, label: str) -> Path:
    with page.expect_download() as info:
        page.get_by_role("button", name=label).click()
    target = ARTIFACTS / "downloads" / info.value.suggested_filename
    target.parent.mkdir(parents=True, exist_ok=True)
    info.value.save_as(target)
    return target


def test_demo_mode_shows_banner_kpis_charts_and_table(page: Page, dashboard: Dashboard):
    open_page(page, dashboard.url, "[data-testid='stMetric']")
    expect(page.locator("[data-testid='stAlertContentInfo']")).to_contain_text("Demo portfolio.")
    kpis = portfolio_kpis(DEMO_FRAME, len(DEMO_FRAME))
    assert metric(page, "Campaigns shown") == f"{kpis['shown']:,}"
    assert metric(page, "Active") == f"{kpis['active']:,}"
    assert metric(page, "Active daily limit") == f"{kpis['active_daily_limit']:,}"
    marks = drawn_marks(page)
    assert len(marks) == 4, marks
    assert all(count > 0 for count in marks), marks
    go_to(page, "Campaigns")
    assert table_rows(page) == len(DEMO_FRAME)
    expect(
        page.get_by_text(f"Showing {len(DEMO_FRAME)} of {len(DEMO_FRAME)} campaigns.")
    ).to_be_visible()


def test_a_key_typed_in_the_sidebar_shows_the_live_portfolio(page: Page, dashboard: Dashboard):
    open_page(page, dashboard.url, "[data-testid='stMetric']")
    connect(page, LIVE_KEY)
    expect(page.locator("[data-testid='stAlertContentInfo']")).to_have_count(0)
    assert metric(page, "Campaigns shown") == str(LIVE_SIZE)
    expect(page.get_by_text(f"{LIVE_SIZE} campaigns fetched")).to_be_visible()
    go_to(page, "Campaigns")
    assert table_rows(page) == LIVE_SIZE, "the key is kept across the page switch"


def test_filters_change_table_and_charts_and_survive_navigation(page: Page, dashboard: Dashboard):
    open_page(page, dashboard.url, "[data-testid='stMetric']")
    before = drawn_marks(page)
    pick_status(page, "PAUSED")
    paused = apply_filters(DEMO_FRAME, Filters(statuses=("PAUSED",)))
    assert metric(page, "Campaigns shown") == str(len(paused))
    after = drawn_marks(page)
    assert after[0] == 1, "the status chart shows one bar"
    assert after != before
    assert "status=PAUSED" in page.url
    go_to(page, "Campaigns")
    assert "status=PAUSED" in page.url, "the filter stays in the URL after switching pages"
    assert table_rows(page) == len(paused)
    go_to(page, "Overview")
    assert metric(page, "Campaigns shown") == str(len(paused))


def test_clicking_a_bar_narrows_the_view(page: Page, dashboard: Dashboard):
    open_page(page, dashboard.url, "[data-testid='stMetric']")
    bar = page.locator(".vega-embed svg .mark-rect path[aria-label*='Status: STOPPED']").first
    bar.click()
    settle(page)
    stopped = apply_filters(DEMO_FRAME, Filters(statuses=("STOPPED",)))
    assert metric(page, "Campaigns shown") == str(len(stopped))
    assert "status=STOPPED" in page.url


def test_a_shared_link_opens_the_same_filtered_view(page: Page, team_dashboard: Dashboard, browser):
    open_page(page, team_dashboard.url, "[data-testid='stMetric']")
    pick_status(page, "ACTIVE")
    go_to(page, "Campaigns")
    link = page.url
    assert "status=ACTIVE" in link
    shown = table_rows(page)
    colleague = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    try:
        open_page(colleague, link, "[data-testid='stDataFrame']")
        active = sum(1 for r in live_portfolio() if r.get("status") == "ACTIVE")
        assert table_rows(colleague) == shown == active
        expect(colleague.get_by_text(f"Showing {active} of {LIVE_SIZE} campaigns.")).to_be_visible()
    finally:
        colleague.context.close()


def test_the_csv_download_holds_exactly_the_rows_in_view(page: Page, dashboard: Dashboard):
    open_page(
        page, f"{dashboard.url}/campaigns?status=ACTIVE&tag=EMEA", "[data-testid='stDataFrame']"
    )
    expected = sort_campaigns(
        apply_filters(DEMO_FRAME, Filters(statuses=("ACTIVE",), tags=("EMEA",))), "Newest first"
    )
    assert table_rows(page) == len(expected)
    with download(page, "Download CSV").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [int(row["id"]) for row in rows] == expected["id"].tolist()
    assert all(not row["name"].startswith(("=", "+", "-", "@")) for row in rows)
    records = json.loads(download(page, "Download JSON").read_text(encoding="utf-8"))
    assert [r["id"] for r in records] == expected["id"].tolist()


def test_a_rejected_key_shows_a_message_and_the_sidebar_still_works(
    page: Page, dashboard: Dashboard
):
    open_page(page, dashboard.url, "[data-testid='stMetric']")
    connect(page, WRONG_KEY)
    alert = page.locator("[data-testid='stAlertContentError']")
    expect(alert).to_contain_text("SmartLead rejected the API key")
    expect(alert).to_contain_text("Invalid API Key")
    assert page.locator("[data-testid='stException']").count() == 0
    assert "Traceback" not in page.content()
    connect(page, LIVE_KEY)
    assert metric(page, "Campaigns shown") == str(LIVE_SIZE)


def test_a_hostile_campaign_name_is_shown_as_text(page: Page, dashboard: Dashboard):
    open_page(page, dashboard.url, "[data-testid='stMetric']")
    connect(page, LIVE_KEY)
    go_to(page, "Campaigns")
    page.locator(SIDEBAR).get_by_label("Name contains", exact=True).fill("onerror")
    page.keyboard.press("Enter")
    settle(page)
    hostile = [r for r in live_portfolio() if "onerror" in str(r.get("name")).lower()]
    assert table_rows(page) == len(hostile) >= 1
    grid = page.locator("[data-testid='stDataFrame']").first
    box = grid.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 18)  # the first row's selection cell
    settle(page)
    heading = page.locator("h3").filter(has_text="onerror")
    expect(heading).to_contain_text("<img src=x onerror=alert(1)>")
    assert page.locator("img[src='x']").count() == 0
    assert page.dialogs == []  # type: ignore[attr-defined]


def test_the_api_key_appears_nowhere(page: Page, dashboard: Dashboard, team_dashboard: Dashboard):
    open_page(page, dashboard.url, "[data-testid='stMetric']")
    connect(page, LIVE_KEY)
    seen = [page.url, page.content()]
    for each in PAGES.values():
        go_to(page, each.label)
        seen += [page.url, page.content()]
    go_to(page, "Campaigns")
    files = [download(page, "Download CSV"), download(page, "Download JSON")]
    go_to(page, "Health")
    files.append(download(page, "Download these findings (CSV)"))
    seen += [f.read_text(encoding="utf-8-sig") for f in files]
    seen.append(page.evaluate("JSON.stringify(localStorage) + JSON.stringify(sessionStorage)"))
    seen.append(json.dumps(page.context.cookies()))
    connect(page, WRONG_KEY)
    seen += [page.url, page.content()]
    seen += [dashboard.log(), team_dashboard.log()]
    snapshots = dashboard.history_bytes()
    assert snapshots, "the live fetch saved a snapshot"
    seen += [snapshots.decode("latin-1"), team_dashboard.history_bytes().decode("latin-1")]
    for key in (LIVE_KEY, WRONG_KEY):
        assert not any(key in text for text in seen), f"{key[:6]}… leaked"


def test_every_page_renders_and_is_saved_as_a_screenshot(page: Page, dashboard: Dashboard):
    shots = ARTIFACTS / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    open_page(page, dashboard.url, "[data-testid='stMetric']")
    for key, each in PAGES.items():
        go_to(page, each.label)
        assert page.locator("[data-testid='stException']").count() == 0, each.path
        page.screenshot(path=str(shots / f"{key}.png"), full_page=True)
        assert (shots / f"{key}.png").stat().st_size > 10_000


def test_a_dropped_connection_is_retried_and_the_servers_log_stays_clean(
    page: Page, dashboard: Dashboard, e2e_standin
):
    from tests.standin import Reply

    fault_key = "sk-FAULT-CANARY-51c7"
    e2e_standin.portfolios[fault_key] = live_portfolio()[:5]
    e2e_standin.script("/campaigns", Reply(fault="drop"))
    open_page(page, dashboard.url, "[data-testid='stMetric']")
    connect(page, fault_key)
    assert metric(page, "Campaigns shown") == "5", "the retry succeeded"
    log = dashboard.log()
    assert "Retrying" in log, "urllib3 logged the retry in the server's output"
    assert "api_key=***" in log
    assert fault_key not in log
