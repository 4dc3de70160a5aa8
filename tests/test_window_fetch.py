"""Fetching a window from the stand-in: the client methods, paging, 30-day pieces, odd shapes,
a 404, a page that fails mid-way, and the demo and the stand-in agreeing."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from smartlead import demo
from smartlead.client import SmartleadClient
from smartlead.connection import Connection
from smartlead.errors import AnalyticsUnavailableError, UnexpectedResponseError
from smartlead.frame import campaigns_frame
from smartlead.ratelimit import RateLimiter
from smartlead.window import Window, with_window
from smartlead.window_fetch import (
    PAGE_SIZE,
    demo_window_fetch,
    estimate_per_campaign_requests,
    estimate_requests,
    fetch_window,
    fetch_window_per_campaign,
)
from tests.builders import campaign
from tests.conftest import UNLIMITED
from tests.standin import CANARY_KEY, TEST_KEY, Reply, StandinSmartlead
from tests.standin_analytics import RANGE_REFUSAL

TODAY = date(2026, 12, 2)
LAST_30 = Window(TODAY - timedelta(days=29), TODAY)
LAST_90 = Window(TODAY - timedelta(days=89), TODAY)
FAST = {"timeout": 2.0, "retries": 2, "backoff": 0.01, "deadline": 5.0}


def active(count: int, first_id: int = 1000, **changes) -> list[dict]:
    """``count`` active campaigns sending Monday to Friday since 2025."""
    return [
        campaign(first_id + n, created_at="2025-06-01T09:00:00.000Z", **changes)
        for n in range(count)
    ]


def serve(records: list, key: str = TEST_KEY) -> StandinSmartlead:
    server = StandinSmartlead(portfolios={key: records}, clients={key: []}).start()
    server.analytics.today = TODAY
    return server


def connect(server: StandinSmartlead, key: str = TEST_KEY) -> Connection:
    return Connection.to(key, server.base_url, rate_rules=UNLIMITED)


def fetch(server: StandinSmartlead, window: Window = LAST_30, **options) -> object:
    return fetch_window(connect(server), window, client_options=FAST, **options)


def bulk_requests(server: StandinSmartlead) -> list:
    return [r for r in server.requests if r.path.startswith("/analytics/")]


@pytest.fixture
def demo_server():
    records = demo.demo_campaigns(300, seed=7)
    server = serve(records)
    yield server, records
    server.stop()


# --------------------------------------------------------------------------- the client


def test_the_client_reads_one_page_of_campaign_figures(demo_server):
    server, _records = demo_server
    with SmartleadClient(connect(server), **FAST) as client:
        rows = client.campaign_overall_stats(
            LAST_30.start, LAST_30.end, timezone="UTC", limit=5, offset=0
        )
    assert len(rows) == 5
    assert {"id", "sent", "unique_lead_count", "positive_replied"} <= set(rows[0])
    asked = bulk_requests(server)[0].query
    assert asked["limit"] == "5"
    assert asked["offset"] == "0"
    assert asked["full_data"] == "true"
    assert asked["start_date"] == "2026-11-03"
    assert asked["end_date"] == "2026-12-02"


def test_the_client_reads_the_days_without_a_year(demo_server):
    server, _ = demo_server
    with SmartleadClient(connect(server), **FAST) as client:
        days = client.day_wise_overall_stats(date(2026, 11, 28), TODAY)
    assert [day["date"] for day in days] == ["28 Nov", "29 Nov", "30 Nov", "1 Dec", "2 Dec"]


def test_the_stand_in_refuses_more_than_30_days_as_smartlead_does(demo_server):
    server, _ = demo_server
    with (
        SmartleadClient(connect(server), **FAST) as client,
        pytest.raises(UnexpectedResponseError) as refused,
    ):
        client.campaign_overall_stats(date(2026, 11, 2), TODAY)
    assert refused.value.status == 400
    assert RANGE_REFUSAL in str(refused.value)


def test_a_404_means_the_account_has_no_window_analytics(demo_server):
    server, _ = demo_server
    server.analytics.missing = True
    with (
        SmartleadClient(connect(server), **FAST) as client,
        pytest.raises(AnalyticsUnavailableError) as missing,
    ):
        client.campaign_overall_stats(LAST_30.start, LAST_30.end)
    assert "does not offer these analytics" in str(missing.value)
    assert missing.value.endpoint == "/analytics/campaign/overall-stats"


# --------------------------------------------------------------------------- fetching


def test_a_90_day_window_is_three_pieces_paged_until_a_short_page(demo_server):
    server, records = demo_server
    fetched = fetch(server, LAST_90)
    assert fetched.usable
    assert not fetched.failures
    pieces = [(r.query["start_date"], r.query["end_date"]) for r in bulk_requests(server)]
    assert sorted(set(pieces)) == [
        ("2026-09-04", "2026-10-03"),
        ("2026-10-04", "2026-11-02"),
        ("2026-11-03", "2026-12-02"),
    ]
    sending = [
        len(demo.demo_window_stats(records, p.start, p.end, today=TODAY)) for p in LAST_90.chunks()
    ]
    expected = sum(n // PAGE_SIZE + 1 for n in sending) + 3  # pages, and one day-wise each
    assert fetched.requests == len(bulk_requests(server)) == expected
    assert expected <= estimate_requests(LAST_90, len(records))


def test_the_stand_in_and_the_demo_give_the_same_figures(demo_server):
    server, records = demo_server
    frame = campaigns_frame(records, demo.demo_clients())
    live = fetch(server, LAST_90)
    local = demo_window_fetch(records, LAST_90, TODAY)
    columns = ["id", "window_sent", "window_replied", "window_positive_replied", "window_bounced"]
    pd.testing.assert_frame_equal(
        with_window(frame, live.metrics())[columns], with_window(frame, local.metrics())[columns]
    )
    pd.testing.assert_frame_equal(live.daily().frame, local.daily().frame)
    assert (
        live.daily().frame["sent"].sum() == with_window(frame, live.metrics())["window_sent"].sum()
    )


def test_exactly_one_full_page_costs_one_more_empty_request():
    server = serve(active(PAGE_SIZE))
    try:
        fetched = fetch(server, daily=False)
        offsets = [r.query["offset"] for r in bulk_requests(server)]
        assert offsets == ["0", str(PAGE_SIZE)]
        assert len(fetched.metrics().counters) == PAGE_SIZE
    finally:
        server.stop()


def test_an_answer_with_no_rows_means_no_campaign_sent():
    drafts = active(3, status="DRAFTED")
    server = serve(drafts)
    try:
        fetched = fetch(server)
        assert len(bulk_requests(server)) == 2, "one empty page and the days"
        joined = with_window(campaigns_frame(drafts), fetched.metrics())
        assert joined["window_sent"].tolist() == [0, 0, 0]
        assert joined["window_reply_rate"].isna().all(), "nothing sent: no rate, not 0"
        assert fetched.daily().frame["sent"].sum() == 0
    finally:
        server.stop()


def test_answers_without_the_full_data_extras_leave_them_unknown(demo_server):
    server, records = demo_server
    server.analytics.extras = False
    joined = with_window(campaigns_frame(records), fetch(server).metrics())
    assert joined["window_sent"].notna().all()
    assert joined["window_positive_replied"].isna().all(), "unknown, never 0"
    assert joined["window_unsubscribed"].isna().all()


def test_numbers_sent_as_text_read_the_same(demo_server):
    server, records = demo_server
    frame = campaigns_frame(records)
    server.analytics.text_numbers = 0.0
    as_numbers = with_window(frame, fetch(server).metrics())
    server.analytics.text_numbers = 1.0
    as_text = with_window(frame, fetch(server).metrics())
    pd.testing.assert_frame_equal(as_numbers, as_text)


def test_a_new_year_window_gets_its_days_right():
    records = active(4)
    server = serve(records)
    server.analytics.today = date(2027, 1, 5)
    try:
        window = Window(date(2026, 12, 20), date(2027, 1, 5))
        daily = fetch(server, window).daily().frame
        assert list(daily["date"].dt.date) == window.dates()
        history = demo.demo_daily_history(records, window.start, window.end, today=window.end)
        expected = history.groupby(history["date"].dt.date)["sent"].sum()
        got = daily.set_index(daily["date"].dt.date)["sent"]
        assert got[got > 0].to_dict() == expected.to_dict()
        assert got[date(2026, 12, 26)] == 0, "a Saturday"
        assert got[date(2027, 1, 4)] > 0, "a Monday of the new year"
    finally:
        server.stop()


def test_client_ids_are_passed_through_and_narrow_the_answer():
    records = active(3, client_id=11) + active(2, first_id=2000, client_id=12)
    server = serve(records)
    try:
        fetched = fetch(server, client_ids=[12])
        assert {r.query.get("client_ids") for r in bulk_requests(server)} == {"12"}
        joined = with_window(campaigns_frame(records), fetched.metrics()).set_index("id")
        assert joined.loc[2000, "window_sent"] > 0
        assert pd.isna(joined.loc[1000, "window_sent"]), "client 11 was not asked for"
    finally:
        server.stop()


def test_a_page_that_fails_mid_way_is_retried_then_reported_with_what_it_covered():
    records = active(450)
    server = serve(records)
    server.analytics.failing_offsets = {PAGE_SIZE}
    try:
        fetched = fetch(server, daily=False)
        failed = [r for r in bulk_requests(server) if r.query["offset"] == str(PAGE_SIZE)]
        assert len(failed) == 1 + FAST["retries"], "retried within the limiter first"
        assert [f.offset for f in fetched.failures] == [PAGE_SIZE]
        words = fetched.failures[0].describe()
        assert "rows 201–400" in words
        assert "could not be fetched" in words
        joined = with_window(campaigns_frame(records), fetched.metrics())
        assert joined["window_sent"].notna().sum() == 250, "pages 1 and 3 still count"
        assert joined["window_sent"].isna().sum() == 200, "the failed page's are unknown"
    finally:
        server.stop()


def test_a_404_stops_the_fetch_and_the_per_campaign_path_gives_the_same_figures(demo_server):
    server, records = demo_server
    frame = campaigns_frame(records)
    bulk_figures = with_window(frame, fetch(server, LAST_90).metrics())
    server.analytics.missing = True
    fetched = fetch(server, LAST_90)
    assert fetched.unavailable is not None
    assert fetched.metrics() is None
    server.reset_log()
    ids = [int(i) for i in frame["id"]]
    slow = fetch_window_per_campaign(connect(server), LAST_90, ids, client_options=FAST)
    assert server.count("/campaigns/") == estimate_per_campaign_requests(LAST_90, len(ids))
    per_campaign = with_window(frame, slow.metrics())
    assert per_campaign["window_sent"].tolist() == bulk_figures["window_sent"].tolist()
    assert per_campaign["window_replied"].tolist() == bulk_figures["window_replied"].tolist()
    assert per_campaign["window_positive_replied"].isna().all(), "not on this path"


def test_a_rejected_key_stops_the_fetch_and_never_shows_the_key():
    server = serve(active(3))
    try:
        fetched = fetch_window(
            Connection.to(CANARY_KEY, server.base_url, rate_rules=UNLIMITED),
            LAST_90,
            client_options=FAST,
        )
        assert fetched.error is not None
        assert "rejected the API key" in str(fetched.error)
        assert CANARY_KEY not in repr(fetched)
    finally:
        server.stop()


def test_failures_never_quote_the_key():
    server = serve(active(3), key=CANARY_KEY)
    server.always("/analytics/day-wise-overall-stats", Reply.server_error())
    try:
        fetched = fetch_window(
            Connection.to(CANARY_KEY, server.base_url, rate_rules=UNLIMITED),
            LAST_30,
            client_options=FAST,
        )
        assert [f.what for f in fetched.failures] == ["days"]
        assert fetched.daily().frame["sent"].isna().all()
        assert CANARY_KEY not in fetched.failures[0].describe()
        assert fetched.metrics() is not None, "the campaigns' figures still came"
    finally:
        server.stop()


def test_the_limiter_paces_every_page():
    from smartlead.ratelimit import ManualClock
    from smartlead.settings import RateRule

    server = serve(active(PAGE_SIZE * 2 + 10))
    try:
        clock = ManualClock()
        limiter = RateLimiter((RateRule(10, 2.0),), clock=clock)
        fetch_window(connect(server), LAST_90, limiter=limiter, client_options=FAST, workers=1)
        assert len(bulk_requests(server)) == 3 * (3 + 1)
        assert clock.now >= 2.0, "past ten requests, the limiter made them wait"
    finally:
        server.stop()
