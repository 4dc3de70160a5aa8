"""One request per campaign for many campaigns, through the transport's one rate limiter.

Everything runs against the stand-in SmartLead through real sockets. The quick tests use
small portfolios at 20 requests a second; the tests marked ``slow`` fetch 150 and 130
campaigns against the stand-in's two rate-limit behaviours (SmartLead publishes both: the
help centre's 10 requests per 2 s without headers, and the API reference's 60 per 60 s with
``x-ratelimit-*`` headers) and check what issue 11 asks: zero campaigns lost, at most a
handful of 429s, and a total time within 1.25× of the floor the limit allows.
"""

from __future__ import annotations

import itertools
import logging
import math
import pickle
import threading
import time
import urllib.error
import urllib.request

import pandas as pd
import pytest

from smartlead import bulk
from smartlead.bulk import DEFAULT_WORKERS, estimate_seconds, fetch_analytics, fetch_each
from smartlead.client import SmartleadClient
from smartlead.connection import Connection
from smartlead.demo import demo_campaigns
from smartlead.errors import RateLimitError, UnexpectedResponseError
from smartlead.frame import campaigns_frame
from smartlead.ratelimit import RateLimiter, limiter_for, parse_rate_headers
from smartlead.rates import with_metrics
from smartlead.records import parse_analytics, parse_counter
from smartlead.settings import RateRule
from tests.builders import sample_campaigns
from tests.standin import CANARY_KEY, TEST_KEY, Reply, StandinSmartlead, sample_analytics

FAST = {"timeout": 2.0, "retries": 3, "backoff": 0.01, "deadline": 10.0}


def per_second(requests: int) -> RateLimiter:
    return RateLimiter([RateRule(requests, 1.0)])


def connect(server: StandinSmartlead, key: str = TEST_KEY) -> Connection:
    return Connection.to(key, server.base_url)


# --------------------------------------------------------------------------- the stand-in


def test_the_standin_enforces_its_rate_limit(standin: StandinSmartlead) -> None:
    standin.rate_limit = (3, 1.0)
    client = SmartleadClient(connect(standin), retries=0, limiter=per_second(100))
    for campaign_id in (105, 104, 103):
        client.campaign_analytics(campaign_id)
    with pytest.raises(RateLimitError) as caught:
        client.list_campaigns()  # the limit spans every endpoint
    assert caught.value.retry_after == 1.0
    assert "Rate limit exceeded" in str(caught.value)
    assert "rate limit (HTTP 429)" in str(caught.value)
    assert standin.rate_limited == 1
    assert client.rate_limited_count == 1
    client.close()


def _get(url: str) -> tuple[int, dict[str, str]]:
    """Status and headers of a plain GET (no client, no limiter: the server's own answer)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.status, dict(answer.headers)
    except urllib.error.HTTPError as refused:
        return refused.code, dict(refused.headers)


@pytest.mark.parametrize("reset_format", ["seconds", "epoch"])
def test_the_standin_with_headers_counts_down_a_fixed_window(reset_format: str) -> None:
    server = StandinSmartlead(
        {TEST_KEY: sample_campaigns()},
        rate_limit=(3, 30.0),
        rate_headers=True,
        reset_format=reset_format,
    )
    with server:
        url = f"{server.base_url}/campaigns/?api_key={TEST_KEY}"
        answers = [_get(url) for _ in range(4)]
    assert [status for status, _ in answers] == [200, 200, 200, 429]
    remaining = [int(headers["x-ratelimit-remaining"]) for _, headers in answers]
    assert remaining == [2, 1, 0, 0]
    assert all(headers["x-ratelimit-limit"] == "3" for _, headers in answers)
    assert "Retry-After" not in answers[-1][1]  # its wait is only in x-ratelimit-reset
    _, _, reset = parse_rate_headers(answers[-1][1])
    assert reset is not None
    assert 28 <= reset <= 31


def test_a_client_told_the_budget_is_spent_waits_for_the_reset_instead_of_asking() -> None:
    server = StandinSmartlead(
        {TEST_KEY: sample_campaigns()}, rate_limit=(3, 2.0), rate_headers=True
    )
    with server:
        client = SmartleadClient(connect(server), retries=0, limiter=per_second(100))
        started = time.monotonic()
        for _ in range(5):
            client.list_campaigns()
        elapsed = time.monotonic() - started
        client.close()
        refused = server.rate_limited
    assert refused == 0
    assert 1.0 <= elapsed <= 4.5  # three at once; the window's reset (a whole second, rounded up)


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
            connect(server),
            ids,
            limiter=per_second(20),
            progress=progress,
            client_options=FAST,
        )
        served = server.count()
        served_500 = server.count_status(500)
    assert batch.failures == {}
    assert list(batch.results) == ids  # in the order asked
    by_id = {record["id"]: record for record in campaigns}
    for cid, metrics in batch.results.items():
        assert metrics == parse_analytics(sample_analytics(cid, by_id[cid]))
    assert served_500 >= 1  # the flaky first calls were retried
    assert batch.rate_limited <= 3
    assert batch.requests == served == len(ids) + served_500 + batch.rate_limited
    assert batch.elapsed < 8
    assert [call[0] for call in calls] == list(range(len(ids) + 1))
    assert all(call[1] == len(ids) for call in calls)
    assert calls[-1][3] == 0.0
    assert calls[0][3] == pytest.approx(estimate_seconds(30, per_second(20)))
    assert all(call[4] == threading.current_thread().name for call in calls)
    assert all(b[2] >= a[2] for a, b in itertools.pairwise(calls))
    assert batch.total == len(ids)


def test_429s_are_honoured_counted_and_slow_everyone_down() -> None:
    campaigns = demo_campaigns(12, seed=5)
    server = StandinSmartlead({TEST_KEY: campaigns}, rate_limit=(5, 1.0))
    with server:
        batch = fetch_analytics(
            connect(server),
            [record["id"] for record in campaigns],
            limiter=per_second(100),  # far looser than the server: 429s will come
            client_options={**FAST, "retries": 6},
        )
        refused = server.rate_limited
        log = server.requests
    assert batch.failures == {}
    assert len(batch.results) == 12
    assert batch.rate_limited == refused >= 1
    assert batch.requests == len(log)
    accepted = sorted(entry.time for entry in log if entry.status == 200)
    assert all(
        later - earlier >= 0.99 for earlier, later in zip(accepted, accepted[5:], strict=False)
    )


def test_failures_are_collected_and_the_rest_still_come(standin: StandinSmartlead) -> None:
    standin.always("/campaigns/103/analytics", Reply.server_error())
    standin.always("/campaigns/101/analytics", Reply.html(502))
    ids = [105, 104, 103, 102, 101, 999]
    batch = fetch_analytics(connect(standin), ids, limiter=per_second(50), client_options=FAST)
    assert set(batch.results) == {105, 104, 102}
    assert list(batch.failures) == [103, 101, 999]
    assert "server problem (HTTP 500)" in batch.failures[103]
    assert "Internal server error occurred" in batch.failures[103]
    assert "502 Bad Gateway" in batch.failures[101]
    assert "does not know campaign 999" in batch.failures[999]
    assert standin.count("/campaigns/103/analytics") == 1 + FAST["retries"]
    joined = with_metrics(campaigns_frame(sample_campaigns()), batch)
    assert joined["analytics_error"].notna().tolist() == [False, False, True, False, True]


def test_a_rejected_key_stops_the_batch(standin: StandinSmartlead) -> None:
    ids = list(range(1, 41))
    batch = fetch_analytics(
        connect(standin, "sk-unknown"), ids, limiter=per_second(50), client_options=FAST
    )
    assert batch.results == {}
    assert list(batch.failures) == ids
    assert batch.aborted is not None
    assert "rejected the API key" in batch.aborted
    assert batch.requests == standin.count() <= DEFAULT_WORKERS
    skipped = [reason for reason in batch.failures.values() if reason.startswith("Not fetched")]
    assert len(skipped) >= len(ids) - DEFAULT_WORKERS


def test_ids_are_deduplicated_nulls_skipped_and_nonsense_refused(
    standin: StandinSmartlead,
) -> None:
    calls: list[tuple] = []
    empty = fetch_analytics(connect(standin), [None, pd.NA], progress=lambda *a: calls.append(a))
    assert empty.total == 0
    assert calls == [(0, 0, 0.0, 0.0)]
    ids = pd.array([105, 105, None, 104], dtype="Int64")
    batch = fetch_analytics(connect(standin), ids, limiter=per_second(50), client_options=FAST)
    assert list(batch.results) == [105, 104]
    with pytest.raises(ValueError, match="campaign id"):
        fetch_analytics(connect(standin), [105, "x"])
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
                connect(server),
                [record["id"] for record in campaigns],
                limiter=RateLimiter([RateRule(4, 1.0)]),
                progress=progress,
                client_options=FAST,
            )
        assert time.monotonic() - started < 1.0
        time.sleep(1.2)
        asked = server.count()
    assert asked <= 4 + 4  # the first window, and at most one more request per worker


def test_the_workers_use_the_client_options_given(standin: StandinSmartlead) -> None:
    standin.script("/campaigns/104/analytics", Reply.server_error())
    batch = fetch_analytics(
        connect(standin),
        [105, 104],
        limiter=per_second(50),
        workers=1,
        client_options={**FAST, "retries": 0},
    )
    assert list(batch.results) == [105]
    assert "server problem" in batch.failures[104]
    assert standin.count("/campaigns/104/analytics") == 1  # no retry: retries=0 reached it


def test_fetch_each_runs_any_per_campaign_call(standin: StandinSmartlead) -> None:
    batch = fetch_each(
        connect(standin),
        [105, 103, 999],
        lambda client, cid: client.get_campaign(cid),
        limiter=per_second(50),
        client_options=FAST,
    )
    assert batch.results[105]["name"] == "Q4 Founder Outreach"
    assert batch.results[103]["status"] == "PAUSED"
    assert 999 in batch.failures or batch.results.get(999) is None


class _Spy(RateLimiter):
    """A limiter that remembers every turn and every pause."""

    def __init__(self) -> None:
        super().__init__([RateRule(100, 1.0)])
        self.turns: list[float] = []
        self.pauses: list[float | None] = []

    def acquire(self, max_wait: float | None = None) -> float:
        waited = super().acquire(max_wait)
        self.turns.append(time.monotonic())
        return waited

    def pause(self, seconds: float | None) -> None:
        self.pauses.append(seconds)
        super().pause(seconds)


def test_every_attempt_takes_a_turn_and_a_429_pauses_the_whole_key(
    standin: StandinSmartlead,
) -> None:
    standin.script("/campaigns/", Reply.rate_limited(retry_after=1))
    spy = _Spy()
    client = SmartleadClient(connect(standin), backoff=0.01, limiter=spy)
    client.list_campaigns()
    client.close()
    assert len(spy.turns) == 2  # the first attempt and the retry
    assert spy.turns[1] - spy.turns[0] >= 0.95  # after Retry-After
    assert spy.pauses == [1.0]  # every worker of the key holds back, not only this one
    assert client.rate_limited_count == 1
    assert client.request_count == 2


def test_waiting_for_the_limiter_does_not_count_against_the_deadline(
    standin: StandinSmartlead,
) -> None:
    """The bug behind 'still sending after 45 s': requests queued behind the limiter timed
    out although SmartLead answered each at once."""
    limiter = RateLimiter([RateRule(2, 1.0)])
    client = SmartleadClient(connect(standin), deadline=0.5, limiter=limiter)
    started = time.monotonic()
    for _ in range(6):  # 2 a second: the later requests wait about 2 s for their turn
        client.list_campaigns()
    client.close()
    assert time.monotonic() - started >= 1.9
    assert client.request_count == 6


def test_a_turn_further_away_than_a_request_may_wait_is_a_rate_limit_error(
    standin: StandinSmartlead,
) -> None:
    limiter = RateLimiter([RateRule(10, 2.0)])
    limiter.pause(3600)  # SmartLead said the budget is spent for an hour
    client = SmartleadClient(connect(standin), deadline=5.0, limiter=limiter)
    started = time.monotonic()
    with pytest.raises(RateLimitError) as caught:
        client.list_campaigns()
    client.close()
    assert time.monotonic() - started < 1.0
    assert caught.value.retry_after == pytest.approx(3600, abs=2)
    assert "rate limit for this key is used up for about 3600 s" in str(caught.value)
    assert standin.requests == []


# --------------------------------------------------------------------------- both limits


def _fetch_all(server: StandinSmartlead, count: int) -> tuple[bulk.Batch, float, Connection]:
    connection = connect(server)
    ids = [record["id"] for record in server.portfolios[TEST_KEY]][:count]
    started = time.monotonic()
    batch = fetch_analytics(connection, ids)
    return batch, time.monotonic() - started, connection


@pytest.mark.slow
def test_the_help_centres_limit_without_headers_loses_nothing() -> None:
    """10 requests per 2 s, no headers: the default rule paces it exactly."""
    campaigns = demo_campaigns(150, seed=13)
    server = StandinSmartlead({TEST_KEY: campaigns}, rate_limit=(10, 2.0))
    with server:
        batch, elapsed, _ = _fetch_all(server, 150)
        refused = server.rate_limited
    floor = (math.ceil(150 / 10) - 1) * 2.0  # 28 s: ten at once, then ten every 2 s
    print(f"\n10/2 without headers: {elapsed:.1f} s, floor {floor:.0f} s, {refused} x 429")
    assert batch.failures == {}
    assert len(batch.results) == 150
    assert refused <= 3
    assert floor <= elapsed <= 1.25 * floor


@pytest.mark.slow
def test_the_api_references_limit_with_headers_loses_nothing() -> None:
    """60 requests per 60 s with x-ratelimit-* headers, while the client is configured for
    the help centre's 10 per 2 s: the headers make it wait for each window's reset."""
    campaigns = demo_campaigns(130, seed=17)
    server = StandinSmartlead({TEST_KEY: campaigns}, rate_limit=(60, 60.0), rate_headers=True)
    with server:
        batch, elapsed, connection = _fetch_all(server, 130)
        refused = server.rate_limited
    floor = (math.ceil(130 / 60) - 1) * 60.0  # 120 s: two windows waited out, then the rest
    print(f"\n60/60 with headers: {elapsed:.1f} s, floor {floor:.0f} s, {refused} x 429")
    assert batch.failures == {}
    assert len(batch.results) == 130
    assert refused <= 3
    assert floor <= elapsed <= 1.25 * floor
    # The estimate shown before the next long fetch uses the limit now known to be in force.
    limiter = limiter_for(connection)
    assert limiter.in_force()[-1] == RateRule(60, 60.0)
    assert estimate_seconds(130, limiter) >= 100


# --------------------------------------------------------------------------- no key leaks


def test_failures_never_hold_the_key(caplog: pytest.LogCaptureFixture) -> None:
    campaigns = sample_campaigns()
    server = StandinSmartlead({CANARY_KEY: campaigns})
    server.always("/campaigns/103/analytics", Reply.server_error())
    server.always("/campaigns/102/analytics", Reply.html(502, title=f"api_key={CANARY_KEY}"))
    server.always("/campaigns/101/analytics", Reply(400, {"message": f"bad key {CANARY_KEY}"}))
    caplog.set_level(logging.DEBUG)
    with server:
        connection = connect(server, CANARY_KEY)
        batch = fetch_analytics(
            connection,
            [105, 104, 103, 102, 101, 999],
            limiter=per_second(50),
            client_options={**FAST, "retries": 1},
        )
        with (
            SmartleadClient(connection, retries=0, limiter=per_second(50)) as client,
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
        connect(standin, CANARY_KEY), [105, 104], limiter=per_second(50), client_options=FAST
    )
    assert batch.aborted is not None
    for text in (*batch.failures.values(), batch.aborted, repr(batch)):
        assert CANARY_KEY not in text
