"""All-time performance in the dashboard: fetched within the rate limit, cached per campaign.

SmartLead gives all-time analytics one campaign at a time, so figures for 300 campaigns cost
300 requests. They are fetched only for the campaigns in view, with a progress bar, and kept
per (account, campaign) for ``SMARTLEAD_ANALYTICS_TTL`` seconds in one server-wide cache: a
rerun, a filter change back and forth or a page switch fetches nothing again. The cache is
keyed by the account fingerprint, never the key.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import streamlit as st

from smartlead import bulk, demo, settings
from smartlead.connection import Connection
from smartlead.ratelimit import limiter_for
from smartlead.records import parse_analytics

METRICS_TOGGLE = "metrics"
"""Widget key of the sidebar toggle that turns performance metrics on."""

CHUNK = 20
"""Campaigns fetched between two cache writes: a rerun that interrupts a long fetch loses at
most this many answers."""


@dataclass
class _Entry:
    stored_at: float
    metrics: dict[str, Any] | None
    failure: str | None


@dataclass
class MetricsCache:
    """Per (account, campaign) analytics shared by every session of this server."""

    entries: dict[tuple[str, int], _Entry] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fresh(self, account: str, ids: Iterable[int], ttl: float) -> dict[int, _Entry]:
        """The entries of ``ids`` younger than ``ttl`` seconds."""
        now = time.monotonic()
        with self.lock:
            found = {cid: self.entries.get((account, cid)) for cid in ids}
        return {cid: e for cid, e in found.items() if e is not None and now - e.stored_at < ttl}

    def store(self, account: str, batch: bulk.Batch) -> None:
        now = time.monotonic()
        with self.lock:
            for cid, counters in batch.results.items():
                self.entries[(account, cid)] = _Entry(now, dict(counters), None)
            for cid, reason in batch.failures.items():
                self.entries[(account, cid)] = _Entry(now, None, reason)

    def forget_failures(self, account: str) -> None:
        """Drop this account's failed entries so the next load asks SmartLead again."""
        with self.lock:
            for slot in [s for s, e in self.entries.items() if s[0] == account and e.failure]:
                del self.entries[slot]


@st.cache_resource(show_spinner=False)
def metrics_cache() -> MetricsCache:
    """The server's one analytics cache."""
    return MetricsCache()


@dataclass(frozen=True)
class MetricsResult:
    """What the page joins onto its campaigns: counters per id, and failures per id."""

    metrics: dict[int, dict[str, Any]]
    failures: dict[int, str]


def wanted_ids(view: pd.DataFrame) -> list[int]:
    """The campaign ids of the rows in view (campaigns without an id cannot be asked for)."""
    return [int(v) for v in view["id"].dropna().unique()]


def demo_metrics(view: pd.DataFrame) -> MetricsResult:
    """The demo portfolio's figures, computed locally: no request, no wait."""
    records = dict(zip(view["id"], view["status"].astype("string"), strict=True))
    metrics = {
        int(cid): parse_analytics(demo.demo_analytics(int(cid), {"status": status}))
        for cid, status in records.items()
        if not pd.isna(cid)
    }
    return MetricsResult(metrics, {})


def missing_ids(connection: Connection, ids: list[int]) -> list[int]:
    """The ids with no fresh cached answer (what turning metrics on would cost)."""
    fresh = metrics_cache().fresh(connection.fingerprint, ids, settings.analytics_ttl_seconds())
    return [cid for cid in ids if cid not in fresh]


def live_metrics(connection: Connection, ids: list[int], progress_area: Any) -> MetricsResult:
    """Cached answers for ``ids``, fetching the missing ones within the rate limit."""
    account = connection.fingerprint
    cache = metrics_cache()
    ttl = settings.analytics_ttl_seconds()
    todo = missing_ids(connection, ids)
    if todo:
        limiter = limiter_for(connection)
        bar = progress_area.progress(0.0, text=f"Fetching performance of {len(todo)} campaigns…")
        for first in range(0, len(todo), CHUNK):
            chunk = todo[first : first + CHUNK]

            def report(
                done: int, total: int, elapsed: float, eta: float, first: int = first
            ) -> None:
                finished = first + done
                left = bulk.estimate_seconds(len(todo) - finished, limiter)
                bar.progress(
                    finished / len(todo),
                    text=f"Fetched performance of {finished} of {len(todo)} campaigns · "
                    f"about {left:.0f} s left",
                )

            batch = bulk.fetch_analytics(connection, chunk, progress=report)
            cache.store(account, batch)
            if batch.aborted:
                break
        bar.empty()
    entries = cache.fresh(account, ids, ttl)
    return MetricsResult(
        {cid: e.metrics for cid, e in entries.items() if e.metrics is not None},
        {cid: e.failure for cid, e in entries.items() if e.failure is not None},
    )


def retry_failures(connection: Connection) -> None:
    """Button callback: forget this account's failed campaigns so they are asked for again."""
    metrics_cache().forget_failures(connection.fingerprint)


def cost_text(connection: Connection, count: int) -> str:
    """'300 requests, about 1 min at 10 requests per 2 s and …' for the toggle's caption,
    with the limits actually in force (SmartLead's headers included)."""
    if count == 0:
        return "no request: every campaign in view is cached"
    limiter = limiter_for(connection)
    seconds = bulk.estimate_seconds(count, limiter)
    duration = f"about {seconds:.0f} s" if seconds < 90 else f"about {seconds / 60:.0f} min"
    return f"{count} requests, {duration} at {limiter.describe()}"
