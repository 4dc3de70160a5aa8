"""Per-campaign analytics kept between reviews: in this process and in the history store.

SmartLead gives all-time totals and lead statistics (``GET /campaigns/{id}/analytics``) one
campaign at a time. :class:`AnalyticsCache` keeps every answer with when it was fetched and
the campaign's status then, per account (the connection's fingerprint):

- **in the history store** when there is one (``save_figures``/``load_figures``, kind
  :data:`smartlead.freshness.KIND`), so a restart, a second replica or the command line
  reads them instead of asking again. :mod:`smartlead.freshness` decides what is fetched
  again: finished campaigns never, others once older than ``SMARTLEAD_LEADS_MAX_AGE`` hours,
  any campaign whose status changed. The store is read at most once per
  ``reread_seconds`` per account; what this process fetches goes to both.
- **in this process only** when history is off: the same rule, with
  ``SMARTLEAD_ANALYTICS_TTL`` seconds as the maximum age (what the dashboard did before
  the store kept them).

Fetching goes through :func:`smartlead.bulk.fetch_analytics` (the account's one rate
limiter), in chunks saved as they arrive, so an interrupted fetch loses at most a chunk.
Failures are kept in memory for ``SMARTLEAD_ANALYTICS_TTL`` (not asked again on every
rerun) until :meth:`AnalyticsCache.forget_failures`. A store that cannot be read or written
costs the figures it would have kept, never the review: the problem is returned in words.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from smartlead import bulk, settings
from smartlead.connection import Connection
from smartlead.errors import HistoryUnavailableError
from smartlead.freshness import KIND, STATUS_KEY, RefreshPlan, plan_refresh
from smartlead.history.model import StoredFigures
from smartlead.history.store import SnapshotStore
from smartlead.ratelimit import limiter_for
from smartlead.vocab import canonical_status

__all__ = ["CHUNK", "AnalyticsCache", "KeptAnalytics", "counters_of"]

CHUNK = 20
"""Campaigns fetched between two saves: an interrupted fetch loses at most this many."""

REREAD_SECONDS = 300.0
"""How often this process reads an account's figures from the store again (another replica,
or the command line, may have fetched some since)."""


def counters_of(figures: StoredFigures) -> dict[str, Any]:
    """The counters of kept figures, without the bookkeeping keys."""
    return {name: value for name, value in figures.figures.items() if name != STATUS_KEY}


@dataclass(frozen=True)
class KeptAnalytics:
    """The figures a review has for its campaigns, and what getting them cost.

    ``figures`` holds every requested campaign that has figures (fresh, or stale ones kept
    until they are fetched again); ``failures`` why others could not be fetched; ``plan``
    what was fresh, stale and missing before fetching; ``requests`` the HTTP requests made
    (retries included) and ``fetched`` the campaigns fetched. ``problem`` says in words why
    the store could not be used, if it could not.
    """

    figures: dict[int, StoredFigures] = field(default_factory=dict)
    failures: dict[int, str] = field(default_factory=dict)
    plan: RefreshPlan = field(default_factory=RefreshPlan)
    requests: int = 0
    fetched: int = 0
    problem: str | None = None

    @property
    def counters(self) -> dict[int, dict[str, Any]]:
        """Counters per campaign id (what :func:`smartlead.rates.with_metrics` joins on)."""
        return {cid: counters_of(kept) for cid, kept in self.figures.items()}

    @property
    def oldest(self) -> datetime | None:
        """When the oldest figures held were fetched (None without figures)."""
        return min((kept.fetched_at for kept in self.figures.values()), default=None)


Progress = Callable[[int, int, float, float], None]


@dataclass
class _Account:
    figures: dict[int, StoredFigures] = field(default_factory=dict)
    failures: dict[int, tuple[str, float]] = field(default_factory=dict)
    read_at: float | None = None
    refreshed_after: datetime | None = None


class AnalyticsCache:
    """Per-campaign analytics of every account this process reviews (thread-safe).

    ``store`` is the history store (None: history off, memory only). ``clock`` is monotonic
    seconds (tests pass their own).
    """

    def __init__(
        self,
        store: SnapshotStore | None,
        *,
        reread_seconds: float = REREAD_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.reread_seconds = reread_seconds
        self._clock = clock
        self._accounts: dict[str, _Account] = {}
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ the rule's inputs

    def max_age(self) -> timedelta:
        """How old an unfinished campaign's figures may be before they are fetched again."""
        if self.store is not None:
            return timedelta(hours=settings.leads_max_age_hours())
        return timedelta(seconds=settings.analytics_ttl_seconds())

    def _account(self, account: str) -> _Account:
        with self._lock:
            return self._accounts.setdefault(account, _Account())

    def _read_store(self, account: str) -> str | None:
        """Merge the store's figures of ``account`` into memory when due; a problem in words."""
        if self.store is None:
            return None
        state = self._account(account)
        now = self._clock()
        if state.read_at is not None and now - state.read_at < self.reread_seconds:
            return None
        try:
            stored = self.store.load_figures(account, KIND)
        except HistoryUnavailableError as error:
            return f"The kept figures could not be read: {error}"
        with self._lock:
            for cid, kept in stored.items():
                mine = state.figures.get(cid)
                if mine is None or mine.fetched_at < kept.fetched_at:
                    state.figures[cid] = kept
            state.read_at = now
        return None

    def kept(self, account: str, ids: Iterable[int]) -> dict[int, StoredFigures]:
        """The figures held for ``ids`` (fresh or not), reading the store when due."""
        self._read_store(account)
        state = self._account(account)
        with self._lock:
            return {cid: state.figures[cid] for cid in ids if cid in state.figures}

    def failures(self, account: str, ids: Iterable[int]) -> dict[int, str]:
        """Why some of ``ids`` could not be fetched lately (kept for the analytics TTL)."""
        state = self._account(account)
        ttl = settings.analytics_ttl_seconds()
        now = self._clock()
        with self._lock:
            return {
                cid: state.failures[cid][0]
                for cid in ids
                if cid in state.failures and now - state.failures[cid][1] < ttl
            }

    def plan(
        self, account: str, statuses: Mapping[int, Any], *, now: datetime | None = None
    ) -> RefreshPlan:
        """Which of the campaigns in ``statuses`` (id → status now) are fresh, stale or
        missing; campaigns that failed lately are left out of what is to fetch."""
        kept = self.kept(account, statuses)
        plan = plan_refresh(
            statuses,
            kept,
            now=now or datetime.now(UTC),
            max_age=self.max_age(),
            refreshed_after=self._account(account).refreshed_after,
        )
        failed = self.failures(account, plan.to_fetch)
        if not failed:
            return plan
        return RefreshPlan(
            plan.fresh,
            tuple(cid for cid in plan.stale if cid not in failed),
            tuple(cid for cid in plan.missing if cid not in failed),
            plan.final,
        )

    # ------------------------------------------------------------------ changing it

    def forget_failures(self, account: str) -> None:
        """Ask SmartLead again for the campaigns that failed lately."""
        state = self._account(account)
        with self._lock:
            state.failures.clear()

    def refresh_from(self, account: str, moment: datetime | None = None) -> None:
        """Treat every unfinished campaign's figures fetched before ``moment`` (default now)
        as stale, in this process (a Refresh asked for by someone)."""
        state = self._account(account)
        with self._lock:
            state.refreshed_after = moment or datetime.now(UTC)
            state.failures.clear()

    def remember(
        self,
        account: str,
        results: Mapping[int, Mapping[str, Any]],
        statuses: Mapping[int, Any],
        fetched_at: datetime,
    ) -> str | None:
        """Keep freshly fetched counters (in memory and the store); a store problem in words."""
        kept = {
            cid: StoredFigures(
                fetched_at=fetched_at,
                figures={**dict(counters), STATUS_KEY: _status_text(statuses.get(cid))},
            )
            for cid, counters in results.items()
        }
        state = self._account(account)
        with self._lock:
            state.figures.update(kept)
            for cid in kept:
                state.failures.pop(cid, None)
        if self.store is None or not kept:
            return None
        try:
            self.store.save_figures(
                account,
                KIND,
                {cid: figures.figures for cid, figures in kept.items()},
                fetched_at=fetched_at,
            )
        except HistoryUnavailableError as error:
            return f"The figures could not be kept for the next review: {error}"
        return None

    def _failed(self, account: str, failures: Mapping[int, str]) -> None:
        state = self._account(account)
        now = self._clock()
        with self._lock:
            for cid, reason in failures.items():
                state.failures[cid] = (reason, now)

    # ------------------------------------------------------------------ a review

    def review(
        self,
        connection: Connection,
        statuses: Mapping[int, Any],
        *,
        fetch: bool = True,
        progress: Progress | None = None,
        chunk: int = CHUNK,
        now: datetime | None = None,
    ) -> KeptAnalytics:
        """The figures of the campaigns in ``statuses`` (id → status now), fetching the stale
        and missing ones first when ``fetch`` (else only what is kept).

        ``progress(done, total, elapsed, eta)`` follows the whole fetch, in this thread.
        """
        account = connection.fingerprint
        problem = self._read_store(account)
        plan = self.plan(account, statuses, now=now)
        todo = list(plan.to_fetch) if fetch else []
        requests = fetched = 0
        started = time.monotonic()
        limiter = limiter_for(connection)
        for first in range(0, len(todo), max(1, chunk)):
            part = todo[first : first + max(1, chunk)]

            def report(
                done: int, total: int, elapsed: float, eta: float, first: int = first
            ) -> None:
                if progress is not None:
                    finished = first + done
                    left = bulk.estimate_seconds(len(todo) - finished, limiter)
                    progress(finished, len(todo), time.monotonic() - started, left)

            batch = bulk.fetch_analytics(connection, part, progress=report)
            requests += batch.requests
            fetched += len(batch.results)
            stamp = datetime.now(UTC)
            problem = self.remember(account, batch.results, statuses, stamp) or problem
            self._failed(account, batch.failures)
            if batch.aborted:
                break
        ids = list(statuses)
        return KeptAnalytics(
            figures=self.kept(account, ids),
            failures=self.failures(account, ids),
            plan=plan,
            requests=requests,
            fetched=fetched,
            problem=problem,
        )


def _status_text(status: Any) -> str | None:
    return None if status is None else canonical_status(status)
