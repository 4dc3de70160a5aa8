"""Campaign analytics: parsing, rates, the metric frame, the rate limiter and the bulk fetch.

The bulk fetch runs against the stand-in SmartLead with its rate limit on, through real
sockets, at small scale (tens of campaigns at 20 requests a second) so the file stays fast;
``bench/bench_analytics.py`` runs the full 300 campaigns at 10 per 2 s.
"""

from __future__ import annotations

import itertools
import logging
import math
import pickle
import re
import threading
import time
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartlead import analytics, settings
from smartlead.analytics import (
    METRIC_COLUMNS,
    NO_TAG,
    RATES,
    AnalyticsBatch,
    RateLimiter,
    estimate_seconds,
    fetch_analytics,
    portfolio_rates,
    rate_outliers,
    rates_by,
    shared_limiter,
    with_metrics,
)
from smartlead.client import (
    ANALYTICS_COUNTERS,
    LEAD_STAT_COUNTERS,
    SmartleadClient,
    parse_analytics,
    parse_counter,
)
from smartlead.demo import demo_campaigns
from smartlead.errors import RateLimitError, UnexpectedResponseError
from smartlead.frame import NO_CLIENT, SCHEMA, campaigns_frame
from tests.standin import (
    CANARY_KEY,
    TEST_KEY,
    Reply,
    StandinSmartlead,
    sample_analytics,
    sample_campaigns,
)

MakeClient = Callable[..., SmartleadClient]
FAST = {"timeout": 2.0, "retries": 3, "backoff": 0.01, "deadline": 10.0}
ALL_NAMES = (*ANALYTICS_COUNTERS, *LEAD_STAT_COUNTERS.values())


# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("30", 30),
        (30, 30),
        (" 30 ", 30),
        ("0", 0),
        (0, 0),
        ("30.0", 30),
        (30.0, 30),
        ("007", 7),
        (None, None),
        ("", None),
        ("   ", None),
        ("abc", None),
        ("N/A", None),
        ("3.5", None),
        (3.5, None),
        ("-1", None),
        (-1, None),
        ("1e3", None),
        ("1,234", None),
        (True, None),
        (False, None),
        (float("nan"), None),
        (float("inf"), None),
        ([30], None),
        ({"value": 30}, None),
        (2**63, None),
        (str(2**63 - 1), 2**63 - 1),
    ],
)
def test_parse_counter(raw: Any, expected: int | None) -> None:
    assert parse_counter(raw) == expected


@given(st.integers(min_value=0, max_value=2**63 - 1))
def test_every_count_reads_back_from_int_and_string(number: int) -> None:
    assert parse_counter(number) == number
    assert parse_counter(str(number)) == number


@given(st.integers(max_value=-1))
def test_negative_counts_are_unknown(number: int) -> None:
    assert parse_counter(number) is None
    assert parse_counter(str(number)) is None


@given(st.text().filter(lambda text: not re.fullmatch(r"\s*[0-9]+(\.0*)?\s*", text)))
def test_text_that_is_not_a_whole_number_is_unknown(text: str) -> None:
    assert parse_counter(text) is None


def test_parse_analytics_reads_strings_numbers_nulls_and_lead_stats() -> None:
    payload = {
        "sent_count": "120",
        "unique_sent_count": 100,
        "reply_count": None,
        "bounce_count": "x",
        "campaign_lead_stats": {"total": "150", "notStarted": 50, "interested": None},
        "client_name": "Acme",
    }
    parsed = parse_analytics(payload)
    assert list(parsed) == list(ALL_NAMES)
    assert parsed["sent_count"] == 120
    assert parsed["unique_sent_count"] == 100
    assert parsed["reply_count"] is None  # null: unknown, not 0
    assert parsed["bounce_count"] is None  # malformed
    assert parsed["open_count"] is None  # missing
    assert parsed["leads_total"] == 150
    assert parsed["leads_not_started"] == 50
    assert parsed["leads_interested"] is None
    assert parsed["leads_completed"] is None
    assert "client_name" not in parsed


@pytest.mark.parametrize("payload", [{}, None, [], "text", {"campaign_lead_stats": None}])
def test_parse_analytics_of_nothing_is_all_unknown(payload: Any) -> None:
    assert parse_analytics(payload) == dict.fromkeys(ALL_NAMES)


# --------------------------------------------------------------------------- the endpoints


def test_campaign_analytics_parses_the_string_counters(
    standin: StandinSmartlead, make_client: MakeClient
) -> None:
    record = sample_campaigns()[0]
    raw = sample_analytics(record["id"], record)
    assert isinstance(raw["unique_sent_count"], str)
    got = make_client().campaign_analytics(record["id"])
    assert got == parse_analytics(raw)
    assert got["unique_sent_count"] == int(raw["unique_sent_count"])
    assert standin.requests[-1].path == f"/campaigns/{record['id']}/analytics"


def test_drafted_campaign_has_sent_nothing(make_client: MakeClient) -> None:
    got = make_client().campaign_analytics(102)  # DRAFTED in sample_campaigns
    assert got["unique_sent_count"] == 0
    assert got["sent_count"] == 0


@pytest.mark.parametrize(
    "reply",
    [Reply.json({}), Reply(200, b""), Reply(404, {"message": "Campaign not found"})],
    ids=["empty-object", "empty-body", "404"],
)
def test_no_analytics_is_an_error_that_says_so(
    standin: StandinSmartlead, make_client: MakeClient, reply: Reply
) -> None:
    standin.script("/campaigns/105/analytics", reply)
    with pytest.raises(UnexpectedResponseError, match="no analytics for campaign 105"):
        make_client().campaign_analytics(105)


def test_a_campaign_of_another_account_has_no_analytics(make_client: MakeClient) -> None:
    with pytest.raises(UnexpectedResponseError, match="no analytics for campaign 999"):
        make_client().campaign_analytics(999)


def test_analytics_wrapped_in_data_are_read(
    standin: StandinSmartlead, make_client: MakeClient
) -> None:
    standin.script("/campaigns/105/analytics", Reply.json({"data": {"reply_count": "4"}}))
    assert make_client().campaign_analytics(105)["reply_count"] == 4


@pytest.mark.parametrize(
    ("body", "described"),
    [([1, 2, 3], "a list of 3 items"), ({"foo": 1}, "an object with key foo"), (7, "a number")],
)
def test_analytics_of_an_unknown_shape_say_what_arrived(
    standin: StandinSmartlead, make_client: MakeClient, body: Any, described: str
) -> None:
    standin.script("/campaigns/105/analytics", Reply.json(body))
    with pytest.raises(UnexpectedResponseError, match=described):
        make_client().campaign_analytics(105)


def test_get_campaign(standin: StandinSmartlead, make_client: MakeClient) -> None:
    client = make_client()
    assert client.get_campaign(103) == sample_campaigns()[2]
    assert client.get_campaign(999) is None  # the live API's 200 with {}
    standin.script("/campaigns/105", Reply(200, b""))
    assert client.get_campaign(105) is None


@pytest.mark.parametrize("bad", [0, -5, True, "105", 10.5, None])
def test_bad_campaign_ids_are_refused_before_any_request(
    standin: StandinSmartlead, make_client: MakeClient, bad: Any
) -> None:
    with pytest.raises(ValueError, match="campaign id"):
        make_client().campaign_analytics(bad)
    assert standin.requests == []


# --------------------------------------------------------------------------- hand-made frame


def _record(cid: int, client_id: int | None, tags: list[str] | None, **extra: Any) -> dict:
    return {
        "id": cid,
        "name": f"Campaign {cid}",
        "status": "ACTIVE",
        "client_id": client_id,
        "track_settings": extra.pop("track_settings", []),
        "tags": None
        if tags is None
        else [{"tag_id": i, "tag_name": t, "tag_color": "#000000"} for i, t in enumerate(tags)],
        **extra,
    }


HAND_RECORDS = [
    _record(1, 11, ["Outbound", "Founders"]),
    _record(2, 11, ["Outbound"], track_settings=["DONT_EMAIL_OPEN"]),
    _record(3, 12, []),
    _record(4, 12, None),
    _record(5, None, ["Founders", "Founders"]),
    _record(6, 12, None),
]
HAND_CLIENTS = [{"id": 11, "name": "Acme"}, {"id": 12, "name": "Northwind"}]


def _counts(sent: Any, reply: Any, bounce: Any, opens: Any, unsub: Any, clicks: Any = 0) -> dict:
    return {
        "unique_sent_count": sent,
        "sent_count": sent,
        "reply_count": reply,
        "bounce_count": bounce,
        "unique_open_count": opens,
        "unsubscribed_count": unsub,
        "unique_click_count": clicks,
    }


HAND_METRICS = {
    1: _counts(100, 10, 2, 50, 1, 5),
    2: _counts(300, 3, 30, 0, 3, 9),  # opens not tracked
    3: _counts(0, 0, 0, 0, 0),  # nothing sent yet
    4: _counts("200", "abc", "4", "80", "2"),  # replies unreadable
    5: _counts(50, 5, 10, 25, 0),
}
HAND_FAILURES = {6: "SmartLead had a server problem (500)."}


@pytest.fixture
def hand() -> pd.DataFrame:
    frame = campaigns_frame(HAND_RECORDS, HAND_CLIENTS)
    return with_metrics(frame, HAND_METRICS, HAND_FAILURES)


def values(series: pd.Series) -> list[Any]:
    """A column as plain values, NA as None, floats rounded for comparison."""
    return [None if pd.isna(v) else (round(v, 9) if isinstance(v, float) else v) for v in series]


def test_rates_per_campaign(hand: pd.DataFrame) -> None:
    assert values(hand["reply_rate"]) == [0.1, 0.01, None, None, 0.1, None]
    assert values(hand["bounce_rate"]) == [0.02, 0.1, None, 0.02, 0.2, None]
    assert values(hand["open_rate"]) == [0.5, None, None, 0.4, 0.5, None]  # 2: not tracked
    assert values(hand["unsubscribe_rate"]) == [0.01, 0.01, None, 0.01, 0.0, None]
    assert values(hand["click_rate"]) == [0.05, 0.03, None, 0.0, 0.0, None]


def test_rates_are_defined_once_and_named_in_the_schema() -> None:
    columns = {column.name: column for column in METRIC_COLUMNS}
    assert len(columns) == len(METRIC_COLUMNS)
    assert {rate.name for rate in RATES} == {
        "reply_rate",
        "bounce_rate",
        "open_rate",
        "unsubscribe_rate",
        "click_rate",
    }
    for rate in RATES:
        assert columns[rate.name].dtype == "Float64"
        assert rate.numerator in columns
        assert rate.denominator == "unique_sent_count"
        assert f"{rate.numerator} / {rate.denominator}" in columns[rate.name].description
    for name in ALL_NAMES:
        assert columns[name].dtype == "Int64"
    assert not set(columns) & {column.name for column in SCHEMA}


def test_with_metrics_keeps_every_row_and_the_schema(hand: pd.DataFrame) -> None:
    frame = campaigns_frame(HAND_RECORDS, HAND_CLIENTS)
    before = frame.copy()
    joined = with_metrics(frame, {1: HAND_METRICS[1]})
    pd.testing.assert_frame_equal(frame, before)  # the input is left alone
    assert len(joined) == len(frame)
    assert joined["id"].tolist() == frame["id"].tolist()
    assert list(joined.columns) == list(frame.columns) + [c.name for c in METRIC_COLUMNS]
    for column in METRIC_COLUMNS:
        assert str(joined[column.name].dtype) == column.dtype, column.name
    assert values(joined["unique_sent_count"]) == [100, None, None, None, None, None]
    assert joined["analytics_error"].isna().all()
    assert values(hand["analytics_error"]) == [None] * 5 + [HAND_FAILURES[6]]
    assert values(hand["reply_count"]) == [10, 3, 0, None, 5, None]


def test_with_metrics_replaces_metrics_and_keeps_the_index(hand: pd.DataFrame) -> None:
    again = with_metrics(hand.set_axis(list("abcdef")), {2: _counts(10, 1, 0, 0, 0)})
    assert list(again.index) == list("abcdef")
    assert values(again["reply_rate"]) == [None, 0.1, None, None, None, None]
    assert again.columns.tolist().count("reply_rate") == 1


def test_with_metrics_accepts_a_batch_and_odd_frames() -> None:
    batch = AnalyticsBatch(metrics={1: HAND_METRICS[1]}, failures={2: "no"})
    joined = with_metrics(campaigns_frame(HAND_RECORDS[:2]), batch)
    assert values(joined["analytics_error"]) == [None, "no"]
    empty = with_metrics(campaigns_frame([]), {})
    assert len(empty) == 0
    assert "reply_rate" in empty.columns
    odd = with_metrics(campaigns_frame([{"id": 1}, "not a campaign", {"id": 1}]), HAND_METRICS)
    assert values(odd["unique_sent_count"]) == [100, None, 100]
    with pytest.raises(ValueError, match="id column"):
        with_metrics(pd.DataFrame({"x": [1]}), {})


def _row(table: pd.DataFrame, column: str, label: str) -> dict[str, Any]:
    match = table[table[column] == label]
    assert len(match) == 1, label
    return {k: (None if pd.isna(v) else v) for k, v in match.iloc[0].items()}


def test_rates_by_client_are_weighted(hand: pd.DataFrame) -> None:
    table = rates_by(hand, "client_name")
    assert table["client_name"].tolist() == ["Acme", "Northwind", NO_CLIENT]  # most sent first
    acme = _row(table, "client_name", "Acme")
    assert acme["campaigns"] == 2
    assert acme["campaigns_measured"] == 2
    assert acme["unique_sent_count"] == 400
    assert acme["reply_rate"] == pytest.approx(13 / 400)  # not the mean of 0.1 and 0.01
    assert acme["bounce_rate"] == pytest.approx(32 / 400)
    assert acme["open_rate"] == pytest.approx(50 / 100)  # campaign 2 does not track opens
    assert acme["unsubscribe_rate"] == pytest.approx(4 / 400)
    north = _row(table, "client_name", "Northwind")
    assert north["campaigns"] == 3
    assert north["campaigns_measured"] == 2
    assert north["reply_rate"] is None  # 0 sent, and the other's replies are unknown
    assert north["bounce_rate"] == pytest.approx(4 / 200)
    assert north["open_rate"] == pytest.approx(80 / 200)
    solo = _row(table, "client_name", NO_CLIENT)
    assert solo["reply_rate"] == pytest.approx(0.1)
    assert solo["bounce_rate"] == pytest.approx(0.2)


def test_rates_by_tag_count_a_campaign_in_each_of_its_tags(hand: pd.DataFrame) -> None:
    table = rates_by(hand, "tags")
    assert table["tag"].tolist() == ["Outbound", NO_TAG, "Founders"]
    outbound = _row(table, "tag", "Outbound")
    assert outbound["campaigns"] == 2
    assert outbound["reply_rate"] == pytest.approx(13 / 400)
    founders = _row(table, "tag", "Founders")
    assert founders["campaigns"] == 2  # campaign 5 lists Founders twice: counted once
    assert founders["reply_rate"] == pytest.approx(15 / 150)
    assert founders["bounce_rate"] == pytest.approx(12 / 150)
    assert founders["open_rate"] == pytest.approx(75 / 150)
    untagged = _row(table, "tag", NO_TAG)
    assert untagged["campaigns"] == 3  # empty list and null tags alike
    assert untagged["bounce_rate"] == pytest.approx(4 / 200)


def test_rates_by_needs_metrics_and_a_known_column(hand: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="with_metrics"):
        rates_by(campaigns_frame(HAND_RECORDS))
    with pytest.raises(ValueError, match="no 'nope' column"):
        rates_by(hand, "nope")
    unmeasured = rates_by(with_metrics(campaigns_frame(HAND_RECORDS), {}))
    assert unmeasured["campaigns_measured"].tolist() == [0, 0, 0]
    assert unmeasured["unique_sent_count"].isna().all()  # nothing known is not 0
    by_status = rates_by(hand, "status")
    assert by_status["status"].tolist() == ["ACTIVE"]
    assert by_status["reply_rate"].iloc[0] == pytest.approx(18 / 450)


def test_portfolio_rates(hand: pd.DataFrame) -> None:
    rates = portfolio_rates(hand)
    assert rates["reply_rate"] == pytest.approx(18 / 450)
    assert rates["bounce_rate"] == pytest.approx(46 / 650)
    assert rates["open_rate"] == pytest.approx(155 / 350)
    assert rates["unsubscribe_rate"] == pytest.approx(6 / 650)
    nothing = with_metrics(campaigns_frame(HAND_RECORDS[:1]), {1: _counts(0, 0, 0, 0, 0)})
    assert portfolio_rates(nothing)["reply_rate"] is None


def test_rate_outliers(hand: pd.DataFrame) -> None:
    flagged = rate_outliers(hand, bounce_factor=1.25)
    assert flagged["id"].tolist() == [2]  # 5 bounces 20 % but contacted only 50 leads
    row = flagged.iloc[0]
    assert bool(row["high_bounce"])
    assert bool(row["low_reply"])
    assert row["client_name"] == "Acme"
    assert "bounce rate 10.0% against 7.1% for the portfolio" in row["reason"]
    assert "reply rate 1.0% against 4.0% for the portfolio" in row["reason"]

    wider = rate_outliers(hand, bounce_factor=1.25, min_sent=50)
    assert wider["id"].tolist() == [5, 2]  # the worst bounce first
    assert wider["low_reply"].tolist() == [False, True]

    default = rate_outliers(hand)  # 2 × the portfolio's bounce rate is 14 %: only low reply
    assert default["id"].tolist() == [2]
    assert default["high_bounce"].tolist() == [False]
    assert "bounce" not in default["reason"].iloc[0]
    assert rate_outliers(hand, reply_factor=0.1).empty
    baseline = {"bounce_rate": 0.01, "reply_rate": 0.2}
    against = rate_outliers(hand, baseline=baseline)
    assert set(against["id"]) == {1, 2}  # 1: reply 10 % <= half of 20 %
    assert bool(against.set_index("id").loc[1, "low_reply"])


# --------------------------------------------------------------------------- the limiter


def test_the_limiter_keeps_every_window_within_the_limit() -> None:
    limiter = RateLimiter(10, 1.0)
    granted: list[float] = []
    lock = threading.Lock()

    def take(count: int) -> None:
        for _ in range(count):
            limiter.acquire()
            with lock:
                granted.append(time.monotonic())

    started = time.monotonic()
    threads = [threading.Thread(target=take, args=(n,)) for n in (7, 6, 6, 6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    assert len(granted) == 25
    assert 1.9 <= elapsed < 4.0  # 10 at once, 10 a window later, 5 a window after that
    granted.sort()
    assert all(
        later - earlier >= 1.0 for earlier, later in zip(granted, granted[10:], strict=False)
    )


def test_pause_holds_every_acquire() -> None:
    limiter = RateLimiter(100, 1.0)
    limiter.acquire()
    limiter.pause(0.4)
    limiter.pause(0.1)  # never shortens the pause
    limiter.pause(None)
    waited = limiter.acquire()
    assert 0.3 <= waited < 1.5


@pytest.mark.parametrize(("requests", "seconds"), [(0, 1.0), (-1, 1.0), (10, 0), (True, 1.0)])
def test_the_limiter_refuses_nonsense(requests: Any, seconds: float) -> None:
    with pytest.raises(ValueError, match="must be"):
        RateLimiter(requests, seconds)


def test_shared_limiter_is_one_per_key_and_address(monkeypatch: pytest.MonkeyPatch) -> None:
    first = shared_limiter(CANARY_KEY, "http://127.0.0.1:1/api/v1")
    assert shared_limiter(CANARY_KEY, "http://127.0.0.1:1/api/v1/") is first
    assert shared_limiter("another-key", "http://127.0.0.1:1/api/v1") is not first
    assert first.rate == (10, 2.0)
    monkeypatch.setenv("SMARTLEAD_RATE_LIMIT", "60/60")
    assert shared_limiter(CANARY_KEY, "http://127.0.0.1:1/api/v1").rate == (60, 60.0)
    assert CANARY_KEY not in repr(analytics._shared)


def test_estimate_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    assert estimate_seconds(0) == 0.0
    assert estimate_seconds(10) == pytest.approx(analytics.ANSWER_SECONDS)
    assert 60 <= estimate_seconds(300) <= 66
    assert estimate_seconds(300, (10, 2.0)) == estimate_seconds(300)
    assert estimate_seconds(400) > estimate_seconds(300)
    monkeypatch.setenv("SMARTLEAD_RATE_LIMIT", "60/60")
    assert 240 <= estimate_seconds(300) <= 260


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("10/2", (10, 2.0)),
        ("60/60", (60, 60.0)),
        (" 5 / 1.5 ", (5, 1.5)),
        ("10/2s", (10, 2.0)),
        ("100 per 60", (100, 60.0)),
        ("", (10, 2.0)),
        ("fast", (10, 2.0)),
        ("0/2", (10, 2.0)),
        ("10/0", (10, 2.0)),
        ("-10/2", (10, 2.0)),
        ("10", (10, 2.0)),
        ("10/2/3", (10, 2.0)),
        ("99999/1", (10, 2.0)),
    ],
)
def test_rate_limit_setting(
    monkeypatch: pytest.MonkeyPatch, raw: str, expected: tuple[int, float]
) -> None:
    monkeypatch.setenv("SMARTLEAD_RATE_LIMIT", raw)
    assert settings.rate_limit() == expected


def test_analytics_ttl_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SMARTLEAD_ANALYTICS_TTL", raising=False)
    assert settings.analytics_ttl_seconds() == 900
    for raw, expected in (("60", 60), ("0", 900), ("-5", 900), ("soon", 900)):
        monkeypatch.setenv("SMARTLEAD_ANALYTICS_TTL", raw)
        assert settings.analytics_ttl_seconds() == expected


# --------------------------------------------------------------------------- the stand-in


def test_the_standin_enforces_its_rate_limit(standin: StandinSmartlead) -> None:
    standin.rate_limit = (3, 1.0)
    client = SmartleadClient(TEST_KEY, standin.base_url, retries=0)
    for campaign_id in (105, 104, 103):
        client.campaign_analytics(campaign_id)
    with pytest.raises(RateLimitError) as caught:
        client.list_campaigns()  # the limit spans every endpoint
    assert caught.value.retry_after == 1.0
    assert "Rate limit exceeded" in str(caught.value)
    assert standin.rate_limited == 1
    assert client.rate_limited_count == 1
    client.close()


def test_the_standin_serves_odd_counters() -> None:
    odd = [sample_analytics(cid, {"status": "ACTIVE"}) for cid in range(1, 400)]
    assert any(a["click_count"] is None for a in odd)
    assert any(isinstance(a["sent_count"], int) for a in odd)
    assert any(parse_counter(a["unsubscribed_count"]) is None for a in odd)
    assert sample_analytics(7) == sample_analytics(7)


# --------------------------------------------------------------------------- bulk fetch


def test_bulk_fetch_within_the_rate_limit() -> None:
    campaigns = demo_campaigns(30, seed=3)
    ids = [record["id"] for record in campaigns]
    server = StandinSmartlead({TEST_KEY: campaigns}, rate_limit=(20, 1.0), analytics_errors=0.1)
    calls: list[tuple[int, int, float, float, str]] = []

    def progress(done: int, total: int, elapsed: float, eta: float) -> None:
        calls.append((done, total, elapsed, eta, threading.current_thread().name))

    with server:
        batch = fetch_analytics(
            TEST_KEY,
            ids,
            base_url=server.base_url,
            limiter=RateLimiter(20, 1.0),
            progress=progress,
            **FAST,
        )
        served = server.count()
        served_500 = server.count_status(500)
    assert batch.failures == {}
    assert list(batch.metrics) == ids  # in the order asked
    by_id = {record["id"]: record for record in campaigns}
    for cid, metrics in batch.metrics.items():
        assert metrics == parse_analytics(sample_analytics(cid, by_id[cid]))
    assert served_500 >= 1  # the flaky first calls were retried
    assert batch.rate_limited <= 3
    assert batch.requests == served == len(ids) + served_500 + batch.rate_limited
    assert batch.elapsed < 8
    assert [call[0] for call in calls] == list(range(len(ids) + 1))
    assert all(call[1] == len(ids) for call in calls)
    assert calls[-1][3] == 0.0
    assert calls[0][3] == pytest.approx(estimate_seconds(30, (20, 1.0)))
    assert all(call[4] == threading.current_thread().name for call in calls)
    assert all(b[2] >= a[2] for a, b in itertools.pairwise(calls))
    assert batch.total == len(ids)


def test_429s_are_honoured_counted_and_slow_everyone_down() -> None:
    campaigns = demo_campaigns(12, seed=5)
    server = StandinSmartlead({TEST_KEY: campaigns}, rate_limit=(5, 1.0))
    with server:
        batch = fetch_analytics(
            TEST_KEY,
            [record["id"] for record in campaigns],
            base_url=server.base_url,
            limiter=RateLimiter(100, 1.0),  # far looser than the server: 429s will come
            **{**FAST, "retries": 6},
        )
        refused = server.rate_limited
        log = server.requests
    assert batch.failures == {}
    assert len(batch.metrics) == 12
    assert batch.rate_limited == refused >= 1
    assert batch.requests == len(log)
    accepted = sorted(entry.time for entry in log if entry.status == 200)
    assert all(
        later - earlier >= 0.99 for earlier, later in zip(accepted, accepted[5:], strict=False)
    )


def test_failures_are_collected_and_the_rest_still_come(
    standin: StandinSmartlead,
) -> None:
    standin.always("/campaigns/103/analytics", Reply.server_error())
    standin.always("/campaigns/101/analytics", Reply.html(502))
    ids = [105, 104, 103, 102, 101, 999]
    batch = fetch_analytics(
        TEST_KEY, ids, base_url=standin.base_url, limiter=RateLimiter(50, 1.0), **FAST
    )
    assert set(batch.metrics) == {105, 104, 102}
    assert list(batch.failures) == [103, 101, 999]
    assert "server problem (500)" in batch.failures[103]
    assert "Internal server error occurred" in batch.failures[103]
    assert "502 Bad Gateway" in batch.failures[101]
    assert "no analytics for campaign 999" in batch.failures[999]
    assert standin.count("/campaigns/103/analytics") == 1 + FAST["retries"]
    joined = with_metrics(campaigns_frame(sample_campaigns()), batch)
    assert joined["analytics_error"].notna().tolist() == [False, False, True, False, True]


def test_a_rejected_key_stops_the_batch(standin: StandinSmartlead) -> None:
    ids = list(range(1, 41))
    batch = fetch_analytics(
        "sk-unknown", ids, base_url=standin.base_url, limiter=RateLimiter(50, 1.0), **FAST
    )
    assert batch.metrics == {}
    assert list(batch.failures) == ids
    assert batch.aborted is not None
    assert "rejected the API key" in batch.aborted
    assert batch.requests == standin.count() <= analytics.DEFAULT_WORKERS
    skipped = [reason for reason in batch.failures.values() if reason.startswith("Not fetched")]
    assert len(skipped) >= len(ids) - analytics.DEFAULT_WORKERS


def test_ids_are_deduplicated_nulls_skipped_and_nonsense_refused(
    standin: StandinSmartlead,
) -> None:
    calls: list[tuple] = []
    empty = fetch_analytics(
        TEST_KEY, [None, pd.NA], base_url=standin.base_url, progress=lambda *a: calls.append(a)
    )
    assert empty.total == 0
    assert calls == [(0, 0, 0.0, 0.0)]
    ids = pd.array([105, 105, None, 104], dtype="Int64")
    batch = fetch_analytics(
        TEST_KEY, ids, base_url=standin.base_url, limiter=RateLimiter(50, 1.0), **FAST
    )
    assert list(batch.metrics) == [105, 104]
    with pytest.raises(ValueError, match="campaign id"):
        fetch_analytics(TEST_KEY, [105, "x"], base_url=standin.base_url)
    assert standin.count("/campaigns/105") == 1


def test_a_failing_progress_callback_abandons_the_batch() -> None:
    campaigns = demo_campaigns(40, seed=11)

    def progress(done: int, total: int, elapsed: float, eta: float) -> None:
        if done == 3:
            raise KeyboardInterrupt  # as a Streamlit rerun interrupts the script

    with StandinSmartlead({TEST_KEY: campaigns}) as server:
        started = time.monotonic()
        with pytest.raises(KeyboardInterrupt):
            fetch_analytics(
                TEST_KEY,
                [record["id"] for record in campaigns],
                base_url=server.base_url,
                limiter=RateLimiter(4, 1.0),
                progress=progress,
                **FAST,
            )
        assert time.monotonic() - started < 1.0
        time.sleep(1.2)
        asked = server.count()
    assert asked <= 4 + 4  # the first window, and at most one more request per worker


def test_the_client_method_uses_its_own_settings(
    standin: StandinSmartlead, make_client: MakeClient
) -> None:
    client = make_client(retries=0)
    standin.script("/campaigns/104/analytics", Reply.server_error())
    batch = client.fetch_analytics([105, 104], limiter=RateLimiter(50, 1.0), workers=1)
    assert list(batch.metrics) == [105]
    assert "server problem" in batch.failures[104]
    assert client.request_count == 0  # the workers have clients of their own


def test_gate_and_rate_limit_hooks_see_every_attempt(standin: StandinSmartlead) -> None:
    standin.script("/campaigns/", Reply.rate_limited(retry_after=1))
    gates: list[float] = []
    limited: list[float | None] = []
    client = SmartleadClient(
        TEST_KEY,
        standin.base_url,
        backoff=0.01,
        gate=lambda: gates.append(time.monotonic()),
        on_rate_limited=limited.append,
    )
    client.list_campaigns()
    client.close()
    assert len(gates) == 2  # the first attempt and the retry
    assert gates[1] - gates[0] >= 0.95  # after Retry-After
    assert limited == [1.0]
    assert client.rate_limited_count == 1
    assert client.request_count == 2


# --------------------------------------------------------------------------- no key leaks


def test_failures_never_hold_the_key(caplog: pytest.LogCaptureFixture) -> None:
    campaigns = sample_campaigns()
    server = StandinSmartlead({CANARY_KEY: campaigns})
    server.always("/campaigns/103/analytics", Reply.server_error())
    server.always("/campaigns/102/analytics", Reply.html(502, title=f"api_key={CANARY_KEY}"))
    server.always("/campaigns/101/analytics", Reply(400, {"message": f"bad key {CANARY_KEY}"}))
    caplog.set_level(logging.DEBUG)
    with server:
        batch = fetch_analytics(
            CANARY_KEY,
            [105, 104, 103, 102, 101, 999],
            base_url=server.base_url,
            limiter=RateLimiter(50, 1.0),
            **{**FAST, "retries": 1},
        )
        with (
            SmartleadClient(CANARY_KEY, server.base_url, retries=0) as client,
            pytest.raises(UnexpectedResponseError) as caught,
        ):
            client.campaign_analytics(101)
    assert len(batch.failures) == 4
    texts = [
        *batch.failures.values(),
        repr(batch),
        str(pickle.dumps(batch)),
        caplog.text,
        str(caught.value),
        repr(caught.value.__cause__),
        repr(caught.value.__context__),
    ]
    for text in texts:
        assert CANARY_KEY not in text
        assert "api_key=" not in text.replace("api_key=***", "")
    assert math.isfinite(batch.elapsed)


def test_a_rejected_canary_key_is_not_quoted(standin: StandinSmartlead) -> None:
    batch = fetch_analytics(
        CANARY_KEY, [105, 104], base_url=standin.base_url, limiter=RateLimiter(50, 1.0), **FAST
    )
    assert batch.aborted is not None
    for text in (*batch.failures.values(), batch.aborted, repr(batch)):
        assert CANARY_KEY not in text
