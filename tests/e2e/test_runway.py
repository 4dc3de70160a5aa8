"""The lead runway in Chromium: the Schedule page's section shows, its refill queue holds the
dates the package computes (in order, each a sending day of its campaign), its horizon
control works, and the Campaigns table carries the runway's columns."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, timedelta

import pandas as pd
from playwright.sync_api import Locator, Page, expect

from smartlead import demo
from smartlead.frame import campaigns_frame
from smartlead.records import parse_analytics
from smartlead.runway import refill_queue, with_lead_stats, with_runway
from smartlead.window import last_days, today_in, with_window
from smartlead.window_fetch import demo_window_fetch
from tests.e2e.harness import Dashboard, open_page, settle
from tests.e2e.test_dashboard import download, go_to, metric

METRIC = "[data-testid='stMetric']"
TABLE = "[data-testid='stDataFrame']"


def expected_runway() -> pd.DataFrame:
    """The demo portfolio's runway as the Schedule page computes it (last 30 days, UTC)."""
    records = demo.demo_campaigns(300, seed=7)
    counters = {
        r["id"]: parse_analytics(demo.demo_analytics(r["id"], r))
        for r in records
        if isinstance(r, dict) and isinstance(r.get("id"), int)
    }
    today = today_in("UTC")
    window = last_days(30, today, "UTC")
    frame = campaigns_frame(records, demo.demo_clients())
    metrics = demo_window_fetch(records, window, today, daily=False).metrics()
    joined = with_window(with_lead_stats(frame, counters), metrics)
    return with_runway(joined, now=datetime.now(UTC), window=window, window_today=today)


def table_with(page: Page, header: str) -> Locator:
    """The table that has a column headed ``header``."""
    return (
        page.locator(TABLE).filter(has=page.locator("[role='columnheader']", has_text=header)).first
    )


def rows_of(table: Locator, count: int) -> list[dict[str, str]]:
    """The first ``count`` rows as the grid announces them to screen readers: header → cell,
    for the columns drawn (the grid draws only the columns in sight)."""
    headers = table.locator("[role='columnheader']")
    expect(headers.first).to_be_attached(timeout=30_000)
    names = [headers.nth(i).inner_text().strip() for i in range(headers.count())]
    rows = table.locator("[role='row']:has([role='gridcell'])")
    found = []
    for index in range(min(rows.count(), count)):
        cells = rows.nth(index).locator("[role='gridcell']")
        found.append(
            dict(
                zip(
                    names,
                    (cells.nth(i).inner_text().strip() for i in range(cells.count())),
                    strict=True,
                )
            )
        )
    return found


def row_count(table: Locator) -> int:
    grid = table.locator("[aria-rowcount]").first
    expect(grid).to_be_attached(timeout=30_000)
    return int(grid.get_attribute("aria-rowcount")) - 1


def test_the_lead_runway_section_shows_the_refill_queue_with_the_right_dates(
    page: Page, dashboard: Dashboard
):
    open_page(page, f"{dashboard.url}/schedule", METRIC)
    heading = page.get_by_role("heading", name="Lead runway")
    expect(heading).to_be_attached()
    heading.scroll_into_view_if_needed()
    settle(page)
    runway = expected_runway()
    active = runway[runway["status"] == "ACTIVE"]
    assert metric(page, "Dry now") == f"{int((active['leads_not_started'] == 0).sum()):,}"

    queue = table_with(page, "Last new leads on")
    queue.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    expected = refill_queue(runway, today_in("UTC") + timedelta(days=7))
    assert row_count(queue) == len(expected)
    shown = rows_of(queue, 8)
    assert len(shown) == 8
    dates = [row["Last new leads on"] for row in shown]
    assert dates == [str(d) for d in expected["runway_date"][: len(shown)]]
    assert [int(row["ID"]) for row in shown] == expected["id"][: len(shown)].tolist()
    assert dates == sorted(dates)
    by_id = runway.set_index("id")
    for row in shown:
        if row["Leads not started"] != "0":  # a dry campaign's date is today, any weekday
            sends_on = list(by_id.loc[int(row["ID"]), "schedule_days"])
            assert date.fromisoformat(row["Last new leads on"]).weekday() in sends_on, row

    page.get_by_text("Any date", exact=True).click()
    settle(page)
    queue = table_with(page, "Last new leads on")
    assert row_count(queue) == int(active["runway_date"].notna().sum())
    expect(table_with(page, "First runs dry on")).to_be_visible()
    page.get_by_role("tab", name="Per tag").last.click()  # the funnel's (capacity has one too)
    settle(page)
    funnel = table_with(page, "Share completed").filter(
        has=page.locator("[role='columnheader']", has_text="Tag")
    )
    expect(funnel).to_be_visible()
    assert page.locator("[data-testid='stException']").count() == 0


def test_the_campaigns_table_sorts_by_runway_and_its_download_holds_it(
    page: Page, dashboard: Dashboard
):
    open_page(page, dashboard.url, METRIC)
    go_to(page, "Campaigns")
    box = page.locator("[data-testid='stSelectbox']").filter(has_text="Sort by")
    box.click()
    page.get_by_role("option", name="Runs out of leads soonest", exact=True).click()
    settle(page)
    runway = expected_runway().sort_values(
        ["runway_date", "runway_days", "id"], na_position="last", kind="stable"
    )
    table = page.locator(TABLE).first
    shown = rows_of(table, 5)
    assert [int(row["ID"]) for row in shown] == runway["id"][:5].tolist()
    saved = download(page, "Download CSV")
    with saved.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [int(row["id"]) for row in rows[:5]] == runway["id"][:5].tolist()
    assert rows[0]["runway_date"] == str(runway["runway_date"].iloc[0])
    assert {"leads_not_started", "runway_days", "runway_basis"} <= set(rows[0])
