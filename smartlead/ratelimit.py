"""The one rate limiter per SmartLead key, owned by the transport.

SmartLead limits requests per key across every endpoint, and publishes two limits: 10
requests every 2 seconds (help centre) and 60 every 60 seconds (API reference), the latter
with ``x-ratelimit-limit``, ``x-ratelimit-remaining`` and ``x-ratelimit-reset`` headers. A
client that keeps only one of them is refused by a server enforcing the other. So:

- **Every rule at once.** :class:`RateLimiter` allows at most ``requests`` grants in *any*
  window of ``per_seconds`` for each of its rules (a sliding window per rule: a classic
  token bucket refilled continuously lets ``2 × requests`` through in one window, which a
  server counting "10 in any 2 seconds" refuses). Each window gets a small margin for the
  jitter between leaving here and arriving there.
- **The server's word wins.** :meth:`RateLimiter.observe` reads the ``x-ratelimit-*``
  headers of every answer: when SmartLead says the budget of its current window is spent,
  every caller waits for that window's reset, whatever the configured rules say; the limit it
  names joins the rules used for pacing and for estimates (:meth:`RateLimiter.seconds_for`:
  "the estimate uses the limit actually in force").
- **A refusal pauses everyone.** :meth:`RateLimiter.pause` holds every caller of the key for
  the wait a 429 named (``Retry-After`` or ``x-ratelimit-reset``), so one refusal does not
  become four.
- **One per key per process.** :func:`limiter_for` hands every client of a connection the
  same limiter (keyed by the account fingerprint and the rules, never by the key).
- **One per key across replicas, when they share a database.** With a ``postgresql://``
  history store, the limiter also asks a :class:`SharedBudget` (``smartlead.sharedlimit``)
  for every grant: the grants of every replica are counted there, in the database's time, so
  replicas together keep every rule, and SmartLead's headers and a 429's pause reach them
  all. Should the database stop answering, each replica paces alone (and says so once in its
  log) until it answers again.
- **Time is injectable.** The limiter reads and waits on a :class:`Clock`; tests give it a
  fake one and check pacing exactly, without sleeping.
"""

from __future__ import annotations

import email.utils
import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from smartlead import settings
from smartlead.errors import PortfolioError
from smartlead.settings import RateRule

__all__ = [
    "SYSTEM_CLOCK",
    "Clock",
    "ManualClock",
    "RateLimiter",
    "RateState",
    "SharedBudget",
    "WaitTooLong",
    "limiter_for",
    "parse_rate_headers",
    "parse_retry_after",
]

_log = logging.getLogger(__name__)

_RECENT_GRANTS = 4096
"""Grant times kept to reconcile the server's ``remaining`` with requests still in flight."""

SHARED_RETRY_SECONDS = 15.0
"""After the shared budget failed, a limiter paces alone this long before asking it again."""


class SharedBudget(Protocol):
    """A request budget shared by processes (dashboard replicas) that use one key.

    Accounts are named by their fingerprint, never the key. Times are the budget's own (a
    database's clock, so replicas with skewed clocks agree); the limiter only hands them
    back. A budget that cannot be used raises an exception, preferably a
    :class:`~smartlead.errors.PortfolioError` whose text is safe to log; the limiter then
    paces alone for a while.
    """

    def take(
        self, account: str, windows: Sequence[tuple[int, float]], after_reset: float
    ) -> tuple[float, object]:
        """Record a grant now, or say how long to wait first.

        ``windows`` are ``(requests, seconds)``: at most that many grants, by every process,
        in any window of that length. Returns ``(0.0, when)`` after recording a grant made at
        ``when``, or ``(seconds, None)`` when a window, a pause or SmartLead's spent budget
        (plus ``after_reset`` seconds) does not allow one yet; nothing is recorded then.
        """
        ...

    def observe(
        self,
        account: str,
        limit: int | None,
        remaining: int,
        reset_seconds: float,
        sent_at: object | None,
    ) -> None:
        """Keep what SmartLead's headers said of the account's budget for every process;
        grants made after ``sent_at`` (a time ``take`` returned) are taken as not yet counted."""
        ...

    def pause(self, account: str, seconds: float) -> None:
        """Hold every process's grants for ``seconds`` from now (never shortens a pause)."""
        ...


class Clock(Protocol):
    """What the limiter needs of time: a monotonic reading and a way to wait on a condition."""

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back."""
        ...

    def wait(self, condition: threading.Condition, timeout: float) -> None:
        """Wait on ``condition`` (held by the caller) for at most ``timeout`` seconds."""
        ...


class _SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def wait(self, condition: threading.Condition, timeout: float) -> None:
        condition.wait(timeout)


SYSTEM_CLOCK: Clock = _SystemClock()
"""Real time: ``time.monotonic`` and ``Condition.wait``."""


def _margin(per_seconds: float) -> float:
    """Slack added to a window: 5 % of it, at least 20 ms and at most 0.5 s."""
    return min(0.5, max(0.02, 0.05 * per_seconds))


@dataclass(frozen=True)
class RateState:
    """What SmartLead's headers said about its current window (seconds on the limiter's clock)."""

    limit: int | None
    remaining: int
    reset_at: float


def parse_retry_after(value: str | None, now_epoch: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (seconds or an HTTP date), or None."""
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    try:
        seconds = float(text)
    except ValueError:
        parsed = email.utils.parsedate_tz(text)
        if parsed is None:
            return None
        seconds = email.utils.mktime_tz(parsed) - (time.time() if now_epoch is None else now_epoch)
    if not math.isfinite(seconds):
        return None
    return max(seconds, 0.0)


def _reset_seconds(value: str, now_epoch: float) -> float | None:
    """``x-ratelimit-reset`` as seconds from now: it is sent as seconds to wait, or as a Unix
    time in seconds or milliseconds (APIs differ; SmartLead's documentation does not say)."""
    try:
        number = float(value.strip())
    except ValueError:
        return None
    if not math.isfinite(number) or number < 0:
        return None
    if number > 1e12:  # a Unix time in milliseconds
        number = number / 1000 - now_epoch
    elif number > 1e9:  # a Unix time in seconds
        number -= now_epoch
    return max(number, 0.0)


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is None:
        lowered = name.lower()
        value = next((v for k, v in headers.items() if k.lower() == lowered), None)
    return value


def parse_rate_headers(
    headers: Mapping[str, str], now_epoch: float | None = None
) -> tuple[int | None, int | None, float | None]:
    """``(limit, remaining, reset_seconds)`` from ``x-ratelimit-*`` headers; None where absent.

    Values that are not numbers are treated as absent: a malformed header never stops a
    request, it only tells us nothing.
    """
    now = time.time() if now_epoch is None else now_epoch

    def whole(name: str) -> int | None:
        raw = _header(headers, name)
        if raw is None:
            return None
        try:
            number = float(raw.strip())
        except ValueError:
            return None
        return int(number) if math.isfinite(number) and 0 <= number < 1e9 else None

    raw_reset = _header(headers, "x-ratelimit-reset")
    reset = _reset_seconds(raw_reset, now) if raw_reset is not None else None
    return whole("x-ratelimit-limit"), whole("x-ratelimit-remaining"), reset


class WaitTooLong(Exception):
    """The next turn is further away than the caller was willing to wait (``seconds`` left)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"the next turn is {seconds:.1f} s away")
        self.seconds = seconds


class RateLimiter:
    """At most ``rule.requests`` grants in any ``rule.per_seconds`` window, for every rule.

    Thread-safe. ``acquire()`` blocks until a request may go out; ``pause(seconds)`` holds
    every ``acquire()`` at least that long; ``observe(...)`` takes what the server's headers
    said. ``clock`` defaults to real time; ``margin`` (default 5 % of each window, 20 ms to
    0.5 s) absorbs network jitter.
    """

    def __init__(
        self,
        rules: Sequence[RateRule],
        *,
        clock: Clock | None = None,
        margin: float | None = None,
        shared: SharedBudget | None = None,
        account: str | None = None,
    ) -> None:
        checked = tuple(rules)
        if not checked:
            raise ValueError("a rate limiter needs at least one rule")
        for rule in checked:
            if isinstance(rule.requests, bool) or int(rule.requests) != rule.requests:
                raise ValueError("requests must be a whole number >= 1")
            if rule.requests < 1:
                raise ValueError("requests must be a whole number >= 1")
            if not (math.isfinite(rule.per_seconds) and rule.per_seconds > 0):
                raise ValueError("per_seconds must be > 0")
        self._rules = checked
        self._margin = margin
        self._clock = clock or SYSTEM_CLOCK
        self._cond = threading.Condition()
        self._grants: dict[RateRule, deque[float]] = {}
        self._learned: RateRule | None = None
        for rule in checked:
            self._grants[rule] = deque(maxlen=rule.requests)
        self._recent: deque[float] = deque(maxlen=_RECENT_GRANTS)
        self._paused_until = 0.0
        self._server: RateState | None = None
        if shared is not None and not account:
            raise ValueError("a shared budget needs the account's name (its fingerprint)")
        self._shared = shared
        self._account = account or ""
        self._shared_not_before = 0.0
        """No grant before this (the shared budget said to wait until then)."""
        self._shared_down_until = 0.0
        self._shared_failing = False
        self._shared_grants: deque[tuple[float, object]] = deque(maxlen=_RECENT_GRANTS)
        """``(local time, shared time)`` of recent grants, to name a request's grant to it."""

    # ------------------------------------------------------------------ reading

    @property
    def rules(self) -> tuple[RateRule, ...]:
        """The configured rules."""
        return self._rules

    @property
    def shared(self) -> SharedBudget | None:
        """The budget shared with other processes, if any (see :class:`SharedBudget`)."""
        return self._shared

    def in_force(self) -> tuple[RateRule, ...]:
        """The rules paced by now: the configured ones and the one SmartLead's headers named."""
        with self._cond:
            return self._rules_in_force()

    def _rules_in_force(self) -> tuple[RateRule, ...]:
        if self._learned is None or self._learned in self._rules:
            return self._rules
        return (*self._rules, self._learned)

    def window(self, rule: RateRule) -> float:
        """The window actually enforced for ``rule``: its seconds plus the margin."""
        margin = _margin(rule.per_seconds) if self._margin is None else max(0.0, self._margin)
        return rule.per_seconds + margin

    def describe(self) -> str:
        """The rules in force in words: '10 requests per 2 s and 60 requests per 60 s'."""
        return " and ".join(rule.describe() for rule in self.in_force())

    # ------------------------------------------------------------------ granting

    def _ready_at(self, now: float) -> float:
        """The earliest time the next grant may happen (lock held)."""
        ready = max(now, self._paused_until, self._shared_not_before)
        for rule in self._rules_in_force():
            grants = self._grants.get(rule)
            if grants is not None and len(grants) >= rule.requests:
                ready = max(ready, grants[0] + self.window(rule))
        server = self._server
        if server is not None:
            if now >= server.reset_at:
                self._server = None  # that window is over; the next answer says more
            elif server.remaining <= 0:
                ready = max(ready, server.reset_at + _margin(1.0))
        return ready

    def _grant(self, now: float, shared_at: object | None = None) -> None:
        for rule in self._rules_in_force():
            self._grants.setdefault(rule, deque(maxlen=rule.requests)).append(now)
        self._recent.append(now)
        if shared_at is not None:
            self._shared_grants.append((now, shared_at))
        server = self._server
        if server is not None and now < server.reset_at:
            self._server = RateState(server.limit, server.remaining - 1, server.reset_at)

    def now(self) -> float:
        """The limiter's clock (what ``observe(sent_at=...)`` expects)."""
        return self._clock.monotonic()

    def acquire(self, max_wait: float | None = None) -> float:
        """Block until a request may go out (and count it); returns the seconds waited.

        With ``max_wait``, a turn further away than that raises :class:`WaitTooLong` at once
        (nothing is counted): a request should not hang for an hour's budget to come back.
        """
        with self._cond:
            started = self._clock.monotonic()
            while True:
                now = self._clock.monotonic()
                ready = self._ready_at(now)
                if ready <= now:
                    wait, shared_at = self._shared_turn(now)
                    if wait <= 0:
                        self._grant(now, shared_at)
                        return now - started
                    ready = self._shared_not_before = now + wait
                if max_wait is not None and ready - started > max_wait:
                    raise WaitTooLong(ready - now)
                self._clock.wait(self._cond, ready - now)

    def pause(self, seconds: float | None) -> None:
        """Hold every ``acquire()`` for ``seconds`` from now (never shortens a pause); with a
        shared budget, every other process's too."""
        if seconds is None or not math.isfinite(seconds) or seconds <= 0:
            return
        with self._cond:
            self._paused_until = max(self._paused_until, self._clock.monotonic() + seconds)
            self._cond.notify_all()
        self._shared_call(lambda budget: budget.pause(self._account, seconds))

    def observe(
        self,
        limit: int | None,
        remaining: int | None,
        reset_seconds: float | None,
        *,
        sent_at: float | None = None,
    ) -> None:
        """Take what SmartLead's ``x-ratelimit-*`` headers said of one answer.

        ``sent_at`` is when that request was granted (on this limiter's clock): grants made
        since then were not yet counted in the server's ``remaining``, so they are deducted
        here. A limit joins the rules in force, with a window as long as the longest reset
        seen. Headers that name no remaining budget and no reset change nothing.
        """
        with self._cond:
            now = self._clock.monotonic()
            if limit is not None and limit >= 1 and reset_seconds is not None:
                seen = self._learned.per_seconds if self._learned is not None else 0.0
                window = float(min(max(math.ceil(reset_seconds), seen, 1.0), 3600.0))
                learned = RateRule(int(limit), window)
                if learned != self._learned and learned not in self._rules:
                    self._learned = learned
                    self._grants.setdefault(learned, deque(self._recent, maxlen=learned.requests))
            if remaining is None or reset_seconds is None:
                return
            shared_sent = self._shared_time_of(sent_at)
            reset_at = now + reset_seconds
            in_flight = 0
            if sent_at is not None:
                in_flight = sum(1 for granted in self._recent if granted > sent_at)
            budget = remaining - in_flight
            server = self._server
            if server is None or reset_at > server.reset_at + 1.0:
                self._server = RateState(limit, budget, reset_at)
            elif abs(reset_at - server.reset_at) <= 1.0:
                self._server = RateState(limit, min(budget, server.remaining), server.reset_at)
            # else: news about a window already over; ignore it
            self._cond.notify_all()
        self._shared_call(
            lambda budget: budget.observe(
                self._account, limit, remaining, reset_seconds, shared_sent
            )
        )

    # ------------------------------------------------------------------ sharing

    def _shared_usable(self, now: float) -> bool:
        return self._shared is not None and now >= self._shared_down_until

    def _shared_turn(self, now: float) -> tuple[float, object | None]:
        """Ask the shared budget for this grant (lock held): ``(0, when)`` granted there too,
        ``(seconds, None)`` to wait; ``(0, None)`` without one, or while it cannot be used."""
        if not self._shared_usable(now):
            return 0.0, None
        windows = [(rule.requests, self.window(rule)) for rule in self._rules_in_force()]
        try:
            assert self._shared is not None
            wait, shared_at = self._shared.take(self._account, windows, _margin(1.0))
        except Exception as problem:  # any failure of the budget: pace alone for a while
            self._shared_failed(problem, now)
            return 0.0, None
        self._shared_answered()
        return max(0.0, float(wait)), shared_at

    def _shared_call(self, action: Callable[[SharedBudget], None]) -> None:
        """Tell the shared budget something (outside the lock); failures mean pacing alone."""
        with self._cond:
            now = self._clock.monotonic()
            if not self._shared_usable(now):
                return
        try:
            assert self._shared is not None
            action(self._shared)
        except Exception as problem:
            with self._cond:
                self._shared_failed(problem, self._clock.monotonic())
            return
        with self._cond:
            self._shared_answered()

    def _shared_time_of(self, sent_at: float | None) -> object | None:
        """The shared time of the grant made at (or last before) local time ``sent_at``."""
        if sent_at is None:
            return None
        for granted, shared_at in reversed(self._shared_grants):
            if granted <= sent_at:
                return shared_at
        return None

    def _shared_failed(self, problem: BaseException, now: float) -> None:
        """Pace alone for :data:`SHARED_RETRY_SECONDS`; say so once per outage (lock held)."""
        self._shared_down_until = now + SHARED_RETRY_SECONDS
        self._shared_not_before = 0.0
        if self._shared_failing:
            return
        self._shared_failing = True
        reason = str(problem) if isinstance(problem, PortfolioError) else type(problem).__name__
        _log.warning(
            "The rate limit shared with other servers cannot be used (%s). Until it can, "
            "this server paces account %s's requests alone, without counting other servers' "
            "requests; it tries again every %g s.",
            reason,
            self._account,
            SHARED_RETRY_SECONDS,
        )

    def _shared_answered(self) -> None:
        """The shared budget answered: say so once if it had not (lock held)."""
        if self._shared_failing:
            self._shared_failing = False
            _log.warning(
                "The rate limit shared with other servers answers again: account %s's "
                "requests are counted with theirs.",
                self._account,
            )

    # ------------------------------------------------------------------ estimating

    def seconds_for(self, count: int) -> float:
        """The least time ``count`` more grants take from now, with the limits in force.

        Worked out on a copy of the limiter's state, so it counts what was recently spent
        and what SmartLead said is left in its window.
        """
        if count <= 0:
            return 0.0
        with self._cond:
            now = self._clock.monotonic()
            twin = RateLimiter(self._rules, clock=ManualClock(now), margin=self._margin)
            twin._learned = self._learned
            twin._grants = {rule: deque(g, maxlen=g.maxlen) for rule, g in self._grants.items()}
            twin._recent = deque(self._recent, maxlen=_RECENT_GRANTS)
            twin._paused_until = max(self._paused_until, self._shared_not_before)
            twin._server = self._server
        clock = twin._clock
        assert isinstance(clock, ManualClock)
        for _ in range(count):
            twin.acquire()
        return clock.now - now

    def __repr__(self) -> str:
        shared = ", shared" if self._shared is not None else ""
        return f"RateLimiter({', '.join(str(rule) for rule in self._rules)}{shared})"


class ManualClock:
    """A clock that only moves when waited on (or when ``now`` is set): for estimates and
    tests, which then check pacing exactly without sleeping. Single-threaded use only."""

    def __init__(self, start: float = 0.0) -> None:
        self.now = start

    def monotonic(self) -> float:
        return self.now

    def wait(self, condition: threading.Condition, timeout: float) -> None:
        self.now += max(timeout, 0.0)


_limiters: dict[tuple[str, tuple[RateRule, ...], settings.DatabaseAddress | None], RateLimiter] = {}
_limiters_lock = threading.Lock()


class _Account(Protocol):
    @property
    def fingerprint(self) -> str: ...

    @property
    def rate_rules(self) -> tuple[RateRule, ...]: ...


def limiter_for(connection: _Account) -> RateLimiter:
    """The process-wide limiter of one account (SmartLead limits per key, across endpoints).

    Every client of the same connection shares it, so two fetches at once (two browser
    tabs, a page's bulk fetch and a refresh) stay within the limit together. Keyed by the
    account fingerprint and the rules, never by the key. When the history store is a
    PostgreSQL database (``SMARTLEAD_HISTORY_PATH=postgresql://...``), the limiter also
    counts every other replica's grants there (:mod:`smartlead.sharedlimit`), so replicas
    need no hand-divided ``SMARTLEAD_RATE_LIMIT``.
    """
    location = settings.history_location()
    database = location if isinstance(location, settings.DatabaseAddress) else None
    slot = (connection.fingerprint, tuple(connection.rate_rules), database)
    with _limiters_lock:
        limiter = _limiters.get(slot)
        if limiter is None:
            shared = None
            if database is not None:
                from smartlead.sharedlimit import budget_for

                shared = budget_for(database)
            limiter = RateLimiter(slot[1], shared=shared, account=connection.fingerprint)
            _limiters[slot] = limiter
        return limiter
