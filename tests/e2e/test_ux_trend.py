"""Issue 16, Health: the score with its trend from history, in Chromium at 1400 × 1000.

A team dashboard whose history already holds two snapshots of its account (ten and four days
ago, with tidier settings than today's); the visit's fetch saves the third. The Health score
shows its change since the snapshot a week back, and a chart draws the settings score of
every kept snapshot and now, with the numbers the audit gives.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest
from playwright.sync_api import Locator, Page, expect

from smartlead import audit, history
from smartlead.charts import SCORE_TREND_TITLE
from smartlead.connection import Connection
from smartlead.frame import campaigns_frame
from tests.builders import sample_campaigns, sample_clients
from tests.e2e.conftest import serving
from tests.e2e.harness import Dashboard, open_page
from tests.history_builders import set_payload
from tests.standin import StandinSmartlead

TREND_KEY = "sk-TREND-CANARY-51c7e0"
QUIET = ["DONT_TRACK_EMAIL_OPEN", "DONT_TRACK_LINK_CLICK"]


def tidy_week() -> list[dict]:
    """Ten days ago: an unsubscribe text everywhere and no tracking."""
    records = sample_campaigns()
    for record in records:
        record["unsubscribe_text"] = "Reply STOP to opt out"
        record["track_settings"] = QUIET
    return records


def half_tidy_week() -> list[dict]:
    """Four days ago: the texts still there, tracking already on."""
    records = sample_campaigns()
    for record in records:
        record["unsubscribe_text"] = "Reply STOP to opt out"
    return records


def settings_score(records: list[dict]) -> float:
    return audit.settings_score(campaigns_frame(records, sample_clients()))


@contextmanager
def seeded_dashboard(
    name: str, tmp_path_factory: pytest.TempPathFactory, damaged: int | None = None, **env: str
) -> Iterator[Dashboard]:
    """A team deployment whose history file holds two snapshots before the server starts;
    the one taken ``damaged`` days ago (10 or 4) is garbled on disk, when given."""
    server = StandinSmartlead(
        portfolios={TREND_KEY: sample_campaigns()}, clients={TREND_KEY: sample_clients()}
    )
    path = tmp_path_factory.mktemp(f"{name}-history") / "history.sqlite3"
    with server:
        store = history.SQLiteSnapshotStore(path)
        account = store.account_for(Connection.to(TREND_KEY, server.base_url))
        now = datetime.now(UTC)
        for days, records in ((10, tidy_week()), (4, half_tidy_week())):
            saved = store.save(
                records,
                account=account,
                clients=sample_clients(),
                taken_at=now - timedelta(days=days),
                source=history.SOURCE_AUTO,
            )
            if days == damaged:
                set_payload(path, saved.id, b"garbled on disk")
        env |= {"SMARTLEAD_API_KEY": TREND_KEY, "SMARTLEAD_HISTORY_PATH": str(path)}
        with serving(name, server, tmp_path_factory, **env) as running:
            yield running


@pytest.fixture(scope="module")
def trend_dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dashboard]:
    with seeded_dashboard("trend", tmp_path_factory) as running:
        yield running


@pytest.fixture(scope="module")
def thrifty_trend_dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dashboard]:
    """The same, with a trend budget smaller than one snapshot."""
    with seeded_dashboard("thrifty-trend", tmp_path_factory, SMARTLEAD_TREND_BUDGET="1") as up:
        yield up


@pytest.fixture(scope="module")
def damaged_trend_dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dashboard]:
    """The same, with the snapshot of four days ago garbled on disk."""
    with seeded_dashboard("damaged-trend", tmp_path_factory, damaged=4) as running:
        yield running


def trend_chart(page: Page) -> Locator:
    found = page.locator(".vega-embed").filter(
        has=page.locator("svg text", has_text=SCORE_TREND_TITLE)
    )
    expect(found.first).to_be_visible(timeout=30_000)
    found.first.scroll_into_view_if_needed()
    return found.first


def test_the_health_score_shows_its_change_and_its_trend(page: Page, trend_dashboard: Dashboard):
    open_page(page, f"{trend_dashboard.url}/health?tz=Europe%2FParis")
    week_ago, days_ago, now = (
        settings_score(tidy_week()),
        settings_score(half_tidy_week()),
        settings_score(sample_campaigns()),
    )
    assert now < days_ago < week_ago, "the premise: the settings got worse twice"

    score = page.locator("[data-testid='stMetric']").filter(has_text="Health score")
    delta = score.locator("[data-testid='stMetricDelta']")
    expect(delta).to_be_visible()
    expect(delta).to_contain_text(f"{abs(now - week_ago):.1f}")
    expect(score).to_contain_text("settings rules since")
    assert delta.locator("svg").count() >= 1, "an arrow says which way it went"

    chart = trend_chart(page)
    labels = chart.locator("svg .role-axis-title text").all_text_contents()
    assert "Taken (Europe/Paris)" in labels, "times in the viewer's time zone"
    assert "Settings score" in labels
    y_ticks = chart.locator("svg .role-axis-label text").all_text_contents()
    assert {"0", "50", "100"} <= set(y_ticks), "the score's whole scale, 0 to 100"
    days = [label for label in y_ticks if not label.isdigit()]
    assert len(days) == len(set(days)), f"one tick per day at most: {days}"
    points = chart.locator("svg .mark-symbol path")
    expect(points).to_have_count(4)  # two seeded snapshots, the visit's own, and now
    described = " ".join(
        points.nth(i).get_attribute("aria-label") or "" for i in range(points.count())
    )
    for expected in (week_ago, days_ago, now):
        assert f"Score: {expected:.1f}" in described, (expected, described)
    expect(page.get_by_text("The trend counts the settings rules only")).to_be_visible()


def test_past_the_budget_a_filtered_trend_is_scored_when_asked(
    page: Page, thrifty_trend_dashboard: Dashboard
):
    client = sample_clients()[0]["name"]
    open_page(page, f"{thrifty_trend_dashboard.url}/health?client={quote(client)}")
    trend_chart(page)
    expect(page.get_by_text("This trend is the whole portfolio's", exact=False)).to_be_visible()
    score = page.locator("[data-testid='stMetric']").filter(has_text="Health score")
    expect(score.locator("[data-testid='stMetricDelta']")).to_have_count(0)

    asked = page.get_by_role("button", name="Score the snapshots under these filters")
    asked.scroll_into_view_if_needed()
    asked.click()
    expect(
        page.get_by_text("The sidebar's filters apply to every snapshot", exact=False)
    ).to_be_visible()
    expect(score.locator("[data-testid='stMetricDelta']")).to_be_visible()
    expect(asked).to_have_count(0)
    assert f"client={quote(client)}" in page.url.replace("+", "%20"), "the filter stays"


def test_a_damaged_snapshot_is_left_out_of_the_trend_and_named(
    page: Page, damaged_trend_dashboard: Dashboard
):
    open_page(page, f"{damaged_trend_dashboard.url}/health")
    chart = trend_chart(page)
    points = chart.locator("svg .mark-symbol path")
    expect(points).to_have_count(3)  # the week-old snapshot, the visit's own, and now
    described = " ".join(
        points.nth(i).get_attribute("aria-label") or "" for i in range(points.count())
    )
    assert f"Score: {settings_score(half_tidy_week()):.1f}" not in described
    expect(page.get_by_text("Snapshot #2 could not be read back", exact=False)).to_be_visible()
    score = page.locator("[data-testid='stMetric']").filter(has_text="Health score")
    delta = score.locator("[data-testid='stMetricDelta']")
    expect(delta).to_contain_text(
        f"{abs(settings_score(sample_campaigns()) - settings_score(tidy_week())):.1f}"
    )
