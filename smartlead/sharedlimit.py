"""One rate limit per key across every replica, kept in the team's PostgreSQL database.

SmartLead limits requests per key, whoever sends them. Two dashboard replicas that each keep
"10 requests per 2 s" send 20; this budget makes them keep it together. Every limiter of an
account (:class:`smartlead.ratelimit.RateLimiter`, one per key per process) asks
:class:`PostgresSharedBudget` for each grant, and the budget answers in one transaction,
serialised per account by ``pg_advisory_xact_lock``:

- **A shared count of the last window.** ``rate_grants`` holds one row per request granted
  to the account by any replica. A grant is allowed when, for each rule ``N per W s``, the
  ``N``-th most recent grant is older than ``W`` (a sliding window, as the limiter keeps
  locally); otherwise the answer is how long to wait. Rows older than the longest window any
  replica counts are deleted as it goes.
- **The database's clock.** Windows are measured with ``clock_timestamp()``, so replicas
  whose clocks disagree still agree on the windows.
- **SmartLead's word and its refusals are shared.** What the ``x-ratelimit-*`` headers said
  of the account's budget, and the pause after a 429, are kept in ``rate_state``, so every
  replica holds back for them.

Accounts are named by their fingerprint, never the key. Failures raise
:class:`~smartlead.errors.HistoryUnavailableError` (a sentence without the password); the
limiter then paces alone for a while and says so once in the log.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from smartlead.database import LOCK_RATE, Database, lock_key
from smartlead.settings import DatabaseAddress

__all__ = ["BUDGET_TIMEOUT", "PostgresSharedBudget", "budget_for"]

BUDGET_TIMEOUT = 2.0
"""Seconds a limiter waits for the database before pacing alone (it holds requests meanwhile)."""

_SERVER_WINDOW_SLACK = timedelta(seconds=1)
"""Two ``x-ratelimit-reset`` readings this close describe the same window of SmartLead's."""


class PostgresSharedBudget:
    """The :class:`~smartlead.ratelimit.SharedBudget` of every replica using one database.

    Owns a small pool of its own (the limiter asks it for every grant, from any thread).
    """

    def __init__(self, address: DatabaseAddress, *, timeout: float = BUDGET_TIMEOUT) -> None:
        self.database = Database(address, purpose="ratelimit", max_size=3, timeout=timeout)

    def __repr__(self) -> str:
        return f"PostgresSharedBudget({self.database.shown!r})"

    def close(self) -> None:
        """Close the pool (the next call opens a new one)."""
        self.database.close()

    @staticmethod
    def _lock(connection: Any, account: str) -> datetime:
        """Take the account's lock for this transaction; the database's time, after it."""
        connection.execute("SELECT pg_advisory_xact_lock(%s, %s)", (LOCK_RATE, lock_key(account)))
        (now,) = connection.execute("SELECT clock_timestamp()").fetchone()
        return now

    def take(
        self, account: str, windows: Sequence[tuple[int, float]], after_reset: float
    ) -> tuple[float, object]:
        """Record a grant now for ``account`` or say how long to wait (see SharedBudget)."""
        counts = [int(requests) for requests, _ in windows]
        seconds = [float(window) for _, window in windows]
        longest = max(seconds, default=0.0)
        with self.database.transaction() as connection:
            now = self._lock(connection, account)
            state = connection.execute(
                "SELECT paused_until, server_remaining, server_reset_at, horizon_seconds "
                "FROM rate_state WHERE account = %s",
                (account,),
            ).fetchone()
            paused_until, remaining, reset_at, horizon = state or (None, None, None, 0.0)
            ready = now
            if paused_until is not None:
                ready = max(ready, paused_until)
            if reset_at is not None and reset_at > now and remaining is not None and remaining <= 0:
                ready = max(ready, reset_at + timedelta(seconds=after_reset))
            # For each rule N per W: the N-th most recent grant must be older than W.
            for _, window, nth in connection.execute(
                "SELECT r.n, r.w, (SELECT g.granted_at FROM rate_grants g "
                "WHERE g.account = %s ORDER BY g.granted_at DESC OFFSET r.n - 1 LIMIT 1) "
                "FROM unnest(%s::int[], %s::float8[]) AS r (n, w)",
                (account, counts, seconds),
            ).fetchall():
                if nth is not None:
                    ready = max(ready, nth + timedelta(seconds=window))
            if ready > now:
                return (ready - now).total_seconds(), None
            keep = max(float(horizon or 0.0), longest)
            connection.execute(
                "INSERT INTO rate_grants (account, granted_at) VALUES (%s, %s)", (account, now)
            )
            connection.execute(
                "DELETE FROM rate_grants WHERE account = %s AND granted_at < %s",
                (account, now - timedelta(seconds=keep)),
            )
            connection.execute(
                "INSERT INTO rate_state (account, horizon_seconds) VALUES (%s, %s) "
                "ON CONFLICT (account) DO UPDATE SET "
                "horizon_seconds = GREATEST(rate_state.horizon_seconds, excluded.horizon_seconds), "
                "server_remaining = CASE WHEN rate_state.server_reset_at > %s "
                "THEN rate_state.server_remaining - 1 ELSE rate_state.server_remaining END",
                (account, keep, now),
            )
        return 0.0, now

    def observe(
        self,
        account: str,
        limit: int | None,
        remaining: int,
        reset_seconds: float,
        sent_at: object | None,
    ) -> None:
        """Keep what SmartLead said of the account's budget (the limiter's rules for it:
        a later window replaces, the same window keeps the lower count, an older one is
        ignored); grants recorded after ``sent_at`` are taken as not yet counted by it."""
        with self.database.transaction() as connection:
            now = self._lock(connection, account)
            reset_at = now + timedelta(seconds=float(reset_seconds))
            in_flight = 0
            if isinstance(sent_at, datetime):
                (in_flight,) = connection.execute(
                    "SELECT COUNT(*) FROM rate_grants WHERE account = %s AND granted_at > %s",
                    (account, sent_at),
                ).fetchone()
            budget = int(remaining) - int(in_flight)
            row = connection.execute(
                "SELECT server_remaining, server_reset_at FROM rate_state WHERE account = %s",
                (account,),
            ).fetchone()
            known_remaining, known_reset = row if row is not None else (None, None)
            if (
                known_reset is None
                or known_reset <= now
                or reset_at > known_reset + (_SERVER_WINDOW_SLACK)
            ):
                new_remaining, new_reset = budget, reset_at
            elif abs(reset_at - known_reset) <= _SERVER_WINDOW_SLACK:
                lower = budget if known_remaining is None else min(budget, known_remaining)
                new_remaining, new_reset = lower, known_reset
            else:
                return  # news about a window that is already over
            connection.execute(
                "INSERT INTO rate_state (account, server_limit, server_remaining, "
                "server_reset_at) VALUES (%s, %s, %s, %s) ON CONFLICT (account) DO UPDATE SET "
                "server_limit = excluded.server_limit, "
                "server_remaining = excluded.server_remaining, "
                "server_reset_at = excluded.server_reset_at",
                (account, limit, new_remaining, new_reset),
            )

    def pause(self, account: str, seconds: float) -> None:
        """Hold every replica's grants for ``account`` for ``seconds`` (never shortened)."""
        with self.database.transaction() as connection:
            now = self._lock(connection, account)
            until = now + timedelta(seconds=float(seconds))
            connection.execute(
                "INSERT INTO rate_state (account, paused_until) VALUES (%s, %s) "
                "ON CONFLICT (account) DO UPDATE SET paused_until = "
                "GREATEST(rate_state.paused_until, excluded.paused_until)",
                (account, until),
            )


_budgets: dict[DatabaseAddress, PostgresSharedBudget] = {}
_budgets_lock = threading.Lock()


def budget_for(address: DatabaseAddress) -> PostgresSharedBudget:
    """The process's one shared budget for the database at ``address`` (one small pool)."""
    with _budgets_lock:
        budget = _budgets.get(address)
        if budget is None:
            budget = _budgets[address] = PostgresSharedBudget(address)
        return budget
