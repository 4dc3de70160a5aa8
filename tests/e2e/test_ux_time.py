"""Issue 16 in Chromium, the last points about time: the first live visit to Changes says
history starts now, and every time the dashboard prints is in the viewer's time zone, named."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import LIVE_KEY, LIVE_SIZE, serving
from tests.e2e.harness import Dashboard, open_page
from tests.e2e.test_dashboard import DEMO_FRAME, SIDEBAR, metric
from tests.e2e.test_hostile import HEADING, TABLE, read, select_row
from tests.standin import StandinSmartlead

MAIN = "[data-testid='stMain']"
ZONE = "America/New_York"
TIME = r"(\d{4}-\d{2}-\d{2} \d{2}:\d{2}) " + re.escape(ZONE)


@pytest.fixture
def first_live_dashboard(
    e2e_standin: StandinSmartlead, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Dashboard]:
    """A team deployment with an empty history of its own: the visit is the account's first."""
    with serving(
        "first-history", e2e_standin, tmp_path_factory, SMARTLEAD_API_KEY=LIVE_KEY
    ) as running:
        yield running


def test_the_first_live_visit_to_changes_says_history_starts_now_and_when_the_next_is(
    page: Page, first_live_dashboard: Dashboard
):
    before = datetime.now(UTC)
    open_page(page, f"{first_live_dashboard.url}/changes?tz={ZONE}", "[data-testid='stMetric']")
    note = page.locator(MAIN).get_by_text("History starts now", exact=False).first
    expect(note).to_be_visible()
    text = note.inner_text()
    assert "snapshot #1 of this account was taken" in text
    assert f"({LIVE_SIZE} campaigns)" in text
    taken, due = (
        datetime.strptime(found, "%Y-%m-%d %H:%M").replace(tzinfo=ZoneInfo(ZONE))
        for found in re.findall(TIME, text)
    )
    assert abs(taken - before) < timedelta(minutes=5), "the snapshot just taken, in New York time"
    assert due - taken == timedelta(hours=1), "the next one after the hourly interval"
    assert "one at most every 1 h" in text
    expect(page.get_by_role("heading", name="The snapshot just taken")).to_be_visible()
    assert metric(page, "Campaigns") == str(LIVE_SIZE)


def test_campaign_details_and_the_fetch_line_show_times_in_the_viewers_zone(
    page: Page, dashboard: Dashboard
):
    zone = "Asia/Tokyo"
    open_page(page, f"{dashboard.url}/campaigns?tz={zone}", TABLE)
    fetched = page.locator(SIDEBAR).get_by_text("demo campaigns · ", exact=False).first
    assert re.fullmatch(
        rf"[\d,]+ demo campaigns · \d{{4}}-\d\d-\d\d \d\d:\d\d {zone}", read(fetched)
    )
    select_row(page, 0)
    heading = read(page.locator(HEADING).first)
    campaign_id = int(re.search(r"\(#(\d+)\)$", heading).group(1))
    created = DEMO_FRAME.loc[DEMO_FRAME["id"] == campaign_id, "created_at"].iloc[0]
    cells = [
        text.strip() for text in page.locator(MAIN).locator("[role='gridcell']").all_inner_texts()
    ]
    label = cells.index(f"Created ({zone})")
    assert cells[label + 1] == created.tz_convert(zone).strftime("%Y-%m-%d %H:%M")
    assert not [cell for cell in cells if "(UTC)" in cell], "no time left in UTC only"


def _created_within(first: date, last: date, zone: str) -> int:
    """How many demo campaigns were created from ``first`` to ``last`` as counted in ``zone``."""
    days = DEMO_FRAME["created_at"].dt.tz_convert(zone).dt.date
    return int(((days >= first) & (days <= last)).sum())


def test_the_created_between_filter_counts_days_in_the_viewers_zone(
    page: Page, dashboard: Dashboard
):
    zone = "Asia/Tokyo"
    local_days = set(DEMO_FRAME["created_at"].dt.tz_convert(zone).dt.date)
    utc_days = set(DEMO_FRAME["created_at"].dt.tz_convert("UTC").dt.date)
    inside_both = sorted(local_days & utc_days)[1:-2]  # within both zones' bounds
    first = next(
        d
        for d in inside_both
        if _created_within(d, d + timedelta(days=1), zone)
        != _created_within(d, d + timedelta(days=1), "UTC")
    )
    last = first + timedelta(days=1)  # a one-day range reads as half picked in a link
    link = f"created={first.isoformat()}&created={last.isoformat()}"
    total = len(DEMO_FRAME)

    open_page(page, f"{dashboard.url}/campaigns?tz={zone}&{link}", TABLE)
    expect(page.locator(SIDEBAR).get_by_text(f"Created between ({zone})")).to_be_visible()
    in_tokyo = _created_within(first, last, zone)
    expect(page.get_by_text(f"Showing {in_tokyo} of {total} campaigns.")).to_be_visible()

    open_page(page, f"{dashboard.url}/campaigns?{link}", TABLE)
    expect(page.locator(SIDEBAR).get_by_text("Created between (UTC)")).to_be_visible()
    in_utc = _created_within(first, last, "UTC")
    expect(page.get_by_text(f"Showing {in_utc} of {total} campaigns.")).to_be_visible()
