"""Performance metrics in the dashboard: opt-in, fetched within the rate limit, cached per campaign.

SmartLead gives analytics one campaign at a time, so metrics for 300 campaigns cost 300
requests and about a minute at 10 requests per 2 s. They are therefore off until the user
turns them on (the toggle says what it will cost), fetched only for the campaigns in view,
with a progress bar, and kept per (key, campaign) for ``SMARTLEAD_ANALYTICS_TTL`` seconds in
one server-wide cache: a rerun, a filter change back and forth or a page switch fetches
nothing again. The cache holds a SHA-256 of the key, never the key.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import streamlit as st

from smartlead import analytics, demo, settings
from smartlead.client import parse_analytics

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

    def store(self, account: str, batch: analytics.AnalyticsBatch) -> None:
        now = time.monotonic()
        with self.lock:
            for cid, counters in batch.metrics.items():
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


def account_of(api_key: str, base_url: str) -> str:
    """The cache's name for a key at an address (a hash: the key is never kept)."""
    return hashlib.sha256(f"{base_url}\n{api_key}".encode()).hexdigest()


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


def missing_ids(api_key: str, ids: list[int]) -> list[int]:
    """The ids with no fresh cached answer (what turning metrics on would cost)."""
    account = account_of(api_key, settings.base_url())
    fresh = metrics_cache().fresh(account, ids, settings.analytics_ttl_seconds())
    return [cid for cid in ids if cid not in fresh]


def live_metrics(api_key: str, ids: list[int], progress_area: Any) -> MetricsResult:
    """Cached answers for ``ids``, fetching the missing ones within the rate limit."""
    base_url = settings.base_url()
    account = account_of(api_key, base_url)
    cache = metrics_cache()
    ttl = settings.analytics_ttl_seconds()
    todo = missing_ids(api_key, ids)
    if todo:
        limiter = analytics.shared_limiter(api_key, base_url)
        bar = progress_area.progress(0.0, text=f"Fetching performance of {len(todo)} campaigns…")
        for first in range(0, len(todo), CHUNK):
            chunk = todo[first : first + CHUNK]

            def report(
                done: int, total: int, elapsed: float, eta: float, first: int = first
            ) -> None:
                finished = first + done
                left = max(0.0, analytics.estimate_seconds(len(todo) - finished))
                bar.progress(
                    finished / len(todo),
                    text=f"Fetched performance of {finished} of {len(todo)} campaigns · "
                    f"about {left:.0f} s left",
                )

            batch = analytics.fetch_analytics(
                api_key, chunk, base_url=base_url, limiter=limiter, progress=report
            )
            cache.store(account, batch)
            if batch.aborted:
                break
        bar.empty()
    entries = cache.fresh(account, ids, ttl)
    return MetricsResult(
        {cid: e.metrics for cid, e in entries.items() if e.metrics is not None},
        {cid: e.failure for cid, e in entries.items() if e.failure is not None},
    )


def retry_failures(api_key: str) -> None:
    """Button callback: forget this key's failed campaigns so they are asked for again."""
    metrics_cache().forget_failures(account_of(api_key, settings.base_url()))


def cost_text(count: int) -> str:
    """'300 requests, about 1 min' for the toggle's help."""
    if count == 0:
        return "no request: every campaign in view is cached"
    seconds = analytics.estimate_seconds(count)
    duration = f"about {seconds:.0f} s" if seconds < 90 else f"about {seconds / 60:.0f} min"
    requests, per = settings.rate_limit()
    return f"{count} requests, {duration} at {requests} requests per {per:g} s"
