"""The one rate limiter per key: every rule at once, SmartLead's headers, pauses, estimates.

Pacing is checked on a :class:`ManualClock` (time moves only when the limiter waits), so the
figures are exact and no test sleeps; one test runs real threads on the real clock.
"""

from __future__ import annotations

import email.utils
import threading
import time

import pytest

from smartlead import settings
from smartlead.connection import Connection
from smartlead.ratelimit import (
    ManualClock,
    RateLimiter,
    WaitTooLong,
    limiter_for,
    parse_rate_headers,
    parse_retry_after,
)
from smartlead.settings import RateRule
from tests.standin import CANARY_KEY

TEN_PER_2 = RateRule(10, 2.0)
SIXTY_PER_60 = RateRule(60, 60.0)


def grants(limiter: RateLimiter, clock: ManualClock, count: int) -> list[float]:
    """The clock's time at each of ``count`` grants."""
    times = []
    for _ in range(count):
        limiter.acquire()
        times.append(clock.now)
    return times


def most_in_any_window(times: list[float], seconds: float) -> int:
    """The largest number of grants inside any half-open window of ``seconds``."""
    return max(sum(1 for t in times if start <= t < start + seconds) for start in times)


def test_one_rule_holds_in_every_window_and_wastes_none() -> None:
    clock = ManualClock()
    limiter = RateLimiter([TEN_PER_2], clock=clock)
    times = grants(limiter, clock, 25)
    assert most_in_any_window(times, 2.0) == 10
    window = limiter.window(TEN_PER_2)
    assert window == pytest.approx(2.1)  # 5 % margin for jitter
    assert times[:10] == [0.0] * 10  # the first window's requests go at once
    assert times[10] == pytest.approx(window)  # then each waits exactly its turn
    assert times[-1] == pytest.approx(2 * window)


def test_every_rule_holds_at_once() -> None:
    clock = ManualClock()
    limiter = RateLimiter([TEN_PER_2, SIXTY_PER_60], clock=clock)
    times = grants(limiter, clock, 130)
    assert most_in_any_window(times, 2.0) <= 10
    assert most_in_any_window(times, 60.0) <= 60
    assert times[59] < 13  # 60 at ten every 2.1 s
    assert times[60] == pytest.approx(60.5)  # then the minute's budget is waited out
    assert times[120] == pytest.approx(121.0)


def test_pause_holds_every_acquire_and_is_never_shortened() -> None:
    clock = ManualClock()
    limiter = RateLimiter([RateRule(100, 1.0)], clock=clock)
    limiter.acquire()
    limiter.pause(4.0)
    limiter.pause(1.0)  # never shortens the pause
    limiter.pause(None)
    limiter.pause(float("nan"))
    assert limiter.acquire() == pytest.approx(4.0)


def test_real_threads_share_one_limiter() -> None:
    limiter = RateLimiter([RateRule(10, 1.0)])
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
    assert len(granted) == 25
    assert time.monotonic() - started >= 1.9  # 10 at once, 10 a window later, 5 after that
    granted.sort()
    assert all(
        later - earlier >= 1.0 for earlier, later in zip(granted, granted[10:], strict=False)
    )


@pytest.mark.parametrize(
    "rules",
    [
        [],
        [RateRule(0, 1.0)],
        [RateRule(-1, 1.0)],
        [RateRule(10, 0.0)],
        [RateRule(True, 1.0)],  # type: ignore[arg-type]
        [RateRule(10, float("inf"))],
    ],
)
def test_the_limiter_refuses_nonsense(rules: list[RateRule]) -> None:
    with pytest.raises(ValueError, match=r"must be|at least one"):
        RateLimiter(rules)


def test_a_turn_too_far_away_is_refused_at_once() -> None:
    clock = ManualClock()
    limiter = RateLimiter([TEN_PER_2], clock=clock)
    limiter.pause(3600)  # SmartLead said the hour's budget is spent
    with pytest.raises(WaitTooLong) as caught:
        limiter.acquire(max_wait=60)
    assert caught.value.seconds == pytest.approx(3600)
    assert clock.now == 0.0  # nothing waited, nothing counted
    assert limiter.acquire() == pytest.approx(3600)


# --------------------------------------------------------------------------- headers


def test_a_spent_budget_in_the_headers_holds_everyone_until_the_reset() -> None:
    clock = ManualClock()
    limiter = RateLimiter([TEN_PER_2], clock=clock)
    limiter.acquire()
    limiter.observe(60, 0, 42.0, sent_at=0.0)
    assert limiter.acquire() == pytest.approx(42.05)  # the reset, and a little margin


def test_requests_in_flight_are_deducted_from_the_servers_remaining() -> None:
    clock = ManualClock()
    limiter = RateLimiter([RateRule(100, 1.0)], clock=clock)
    limiter.acquire()  # the request whose answer arrives below, sent at 0
    clock.now = 0.5
    limiter.acquire()
    limiter.acquire()  # two more left before it was answered
    limiter.observe(60, 3, 30.0, sent_at=0.0)  # so only one is really left
    assert limiter.acquire() == 0.0
    assert limiter.acquire() == pytest.approx(30.05)


def test_news_of_a_window_that_is_over_changes_nothing() -> None:
    clock = ManualClock()
    limiter = RateLimiter([RateRule(100, 1.0)], clock=clock)
    limiter.observe(60, 5, 50.0)
    limiter.observe(60, 0, 10.0)  # a late answer about an older window
    for _ in range(5):
        assert limiter.acquire() == 0.0
    assert limiter.acquire() == pytest.approx(50.05)


def test_the_limit_in_the_headers_joins_the_rules_and_the_estimate() -> None:
    clock = ManualClock()
    limiter = RateLimiter([TEN_PER_2], clock=clock)
    before = limiter.seconds_for(130)
    assert before == pytest.approx(12 * limiter.window(TEN_PER_2))
    limiter.acquire()
    limiter.observe(60, 59, 60.0, sent_at=0.0)
    assert limiter.in_force() == (TEN_PER_2, SIXTY_PER_60)
    assert limiter.describe() == "10 requests per 2 s and 60 requests per 60 s"
    after = limiter.seconds_for(129)
    assert 120 <= after <= 122  # two more minutes of budget, not 13 s
    assert clock.now == 0.0  # estimating moved no clock and spent no budget
    assert limiter.acquire() == 0.0


def test_headers_without_remaining_or_reset_change_nothing() -> None:
    clock = ManualClock()
    limiter = RateLimiter([TEN_PER_2], clock=clock)
    limiter.observe(None, None, None)
    limiter.observe(60, None, None)
    limiter.observe(None, 0, None)
    assert limiter.in_force() == (TEN_PER_2,)
    assert grants(limiter, clock, 10) == [0.0] * 10


def test_rate_headers_are_read_in_every_known_form() -> None:
    now = 1_800_000_000.0
    seconds = parse_rate_headers(
        {"X-RateLimit-Limit": "60", "x-ratelimit-remaining": "7", "x-ratelimit-reset": "42"}, now
    )
    assert seconds == (60, 7, 42.0)
    epoch = parse_rate_headers({"x-ratelimit-reset": str(int(now + 30))}, now)
    assert epoch == (None, None, 30.0)
    millis = parse_rate_headers({"x-ratelimit-reset": str(int((now + 12.5) * 1000))}, now)
    assert millis[2] == pytest.approx(12.5)
    junk = parse_rate_headers(
        {"x-ratelimit-limit": "lots", "x-ratelimit-remaining": "-3", "x-ratelimit-reset": "x"},
        now,
    )
    assert junk == (None, None, None)
    assert parse_rate_headers({}, now) == (None, None, None)


def test_retry_after_is_read_as_seconds_or_a_date() -> None:
    now = 1_800_000_000.0
    assert parse_retry_after("3", now) == 3.0
    assert parse_retry_after(" 1.5 ", now) == 1.5
    date = email.utils.formatdate(now + 20, usegmt=True)
    assert parse_retry_after(date, now) == pytest.approx(20.0)
    assert parse_retry_after(email.utils.formatdate(now - 20, usegmt=True), now) == 0.0
    for junk in (None, "", "soon", "inf", "nan"):
        assert parse_retry_after(junk, now) is None


# --------------------------------------------------------------------------- one per key


def test_one_limiter_per_account_never_named_by_its_key(monkeypatch: pytest.MonkeyPatch) -> None:
    first = limiter_for(Connection.to(CANARY_KEY, "http://127.0.0.1:1/api/v1"))
    assert limiter_for(Connection.to(CANARY_KEY, "http://127.0.0.1:1/api/v1/")) is first
    assert limiter_for(Connection.to("another-key", "http://127.0.0.1:1/api/v1")) is not first
    assert limiter_for(Connection.to(CANARY_KEY, "http://127.0.0.1:2/api/v1")) is not first
    assert first.rules == settings.DEFAULT_RATE_LIMITS
    monkeypatch.setenv("SMARTLEAD_RATE_LIMIT", "10/2,60/60")
    both = limiter_for(Connection.to(CANARY_KEY, "http://127.0.0.1:1/api/v1"))
    assert both.rules == (TEN_PER_2, SIXTY_PER_60)
    from smartlead import ratelimit

    assert CANARY_KEY not in repr(ratelimit._limiters)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("10/2", (TEN_PER_2,)),
        ("60/60", (SIXTY_PER_60,)),
        ("10/2,60/60", (TEN_PER_2, SIXTY_PER_60)),
        ("60/60; 10/2", (TEN_PER_2, SIXTY_PER_60)),
        (" 5 / 1.5 ", (RateRule(5, 1.5),)),
        ("10/2s", (TEN_PER_2,)),
        ("100 per 60", (RateRule(100, 60.0),)),
        ("10/2,10/2", (TEN_PER_2,)),
        ("", settings.DEFAULT_RATE_LIMITS),
        ("fast", settings.DEFAULT_RATE_LIMITS),
        ("0/2", settings.DEFAULT_RATE_LIMITS),
        ("10/0", settings.DEFAULT_RATE_LIMITS),
        ("-10/2", settings.DEFAULT_RATE_LIMITS),
        ("10", settings.DEFAULT_RATE_LIMITS),
        ("10/2/3", settings.DEFAULT_RATE_LIMITS),
        ("99999/1", settings.DEFAULT_RATE_LIMITS),
        ("10/2,nonsense", settings.DEFAULT_RATE_LIMITS),
    ],
)
def test_rate_limit_setting(
    monkeypatch: pytest.MonkeyPatch, raw: str, expected: tuple[RateRule, ...]
) -> None:
    monkeypatch.setenv("SMARTLEAD_RATE_LIMIT", raw)
    assert settings.rate_limits() == expected


def test_the_default_is_the_help_centres_limit() -> None:
    assert settings.DEFAULT_RATE_LIMITS == (TEN_PER_2,)


def test_analytics_ttl_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SMARTLEAD_ANALYTICS_TTL", raising=False)
    assert settings.analytics_ttl_seconds() == 900
    for raw, expected in (("60", 60), ("0", 900), ("-5", 900), ("soon", 900)):
        monkeypatch.setenv("SMARTLEAD_ANALYTICS_TTL", raw)
        assert settings.analytics_ttl_seconds() == expected
