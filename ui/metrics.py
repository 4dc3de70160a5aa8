"""All-time per-campaign figures in the dashboard: kept between reviews, fetched within the
rate limit.

SmartLead gives all-time analytics (totals and lead statistics) one campaign at a time, so
figures for 300 campaigns cost 300 requests. They are kept by the server's one
:class:`~smartlead.analytics_cache.AnalyticsCache`: in the history store when history is on
(finished campaigns are never fetched again, others once older than
``SMARTLEAD_LEADS_MAX_AGE`` hours, so a restart or the day's second review costs only what
changed), in this server's memory for ``SMARTLEAD_ANALYTICS_TTL`` seconds when it is off.
Fetching says its cost first and shows a progress bar. Keyed by the account fingerprint,
never the key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pandas as pd
import streamlit as st

from smartlead import bulk, demo, settings
from smartlead.analytics_cache import AnalyticsCache, KeptAnalytics
from smartlead.connection import Connection
from smartlead.freshness import RefreshPlan
from smartlead.history import SnapshotStore
from smartlead.loader import DEMO_SEED
from smartlead.ratelimit import limiter_for
from smartlead.records import parse_analytics
from ui.history import history_access

METRICS_TOGGLE = "metrics"
"""Widget key of the sidebar toggle that turns performance metrics on."""


@dataclass(frozen=True)
class MetricsResult:
    """What the page joins onto its campaigns: counters per id, and failures per id."""

    metrics: dict[int, dict[str, Any]]
    failures: dict[int, str]
    oldest: datetime | None = None
    """When the oldest of these figures was fetched (None: none, or the demo's)."""
    problem: str | None = None
    """Why the history store could not keep or give the figures, in words."""


@st.cache_resource(show_spinner=False)
def _memory_cache() -> AnalyticsCache:
    """The server's figures when history is off (or unavailable): memory only."""
    return AnalyticsCache(None)


@st.cache_resource(show_spinner=False)
def _stored_cache(_store: SnapshotStore, location: str) -> AnalyticsCache:
    """The server's figures, backed by its history store (one per store location)."""
    return AnalyticsCache(_store)


def analytics_cache(connection: Connection) -> tuple[AnalyticsCache, str | None]:
    """The cache this account's figures live in, and why it is memory only (None if not)."""
    access = history_access(connection)
    if access.store is None:
        return _memory_cache(), access.problem
    return _stored_cache(access.store, repr(access.store)), None


def kept_words(connection: Connection | None) -> str:
    """How long figures are kept, in words, for captions and help texts."""
    if connection is None:
        return "Demo figures, computed here: no request."
    cache, _ = analytics_cache(connection)
    if cache.store is None:
        minutes = max(1, settings.analytics_ttl_seconds() // 60)
        why = "history is off" if not settings.history_enabled() else "history is unavailable"
        return f"Kept in this server's memory for {minutes} min ({why}): a restart asks again."
    hours = settings.leads_max_age_hours()
    return (
        f"Kept in the history store: finished campaigns' are never fetched again, the others' "
        f"after {hours:g} h ({settings.ENV_LEADS_MAX_AGE})."
    )


def wanted_ids(view: pd.DataFrame) -> list[int]:
    """The campaign ids of the rows in view (campaigns without an id cannot be asked for)."""
    return [int(v) for v in view["id"].dropna().unique()]


def statuses_of(view: pd.DataFrame) -> dict[int, str]:
    """Each campaign id in view and its status now (the first row of a repeated id)."""
    ids = pd.array(view["id"], dtype="Int64")
    statuses = view["status"].astype("string").fillna("UNKNOWN")
    found: dict[int, str] = {}
    for cid, status in zip(ids.tolist(), statuses.tolist(), strict=True):
        if cid is not None and cid is not pd.NA:
            found.setdefault(int(cid), str(status))
    return found


@st.cache_data(show_spinner=False, max_entries=8)
def _demo_figures(size: int) -> dict[int, dict[str, Any]]:
    """Every demo campaign's figures, computed once per demo size (no request)."""
    return {
        int(record["id"]): parse_analytics(demo.demo_analytics(int(record["id"]), record))
        for record in demo.demo_campaigns(size, seed=DEMO_SEED)
        if isinstance(record, dict) and isinstance(record.get("id"), int)
    }


def demo_metrics(view: pd.DataFrame) -> MetricsResult:
    """The demo portfolio's figures, computed locally: no request, no wait."""
    figures = _demo_figures(settings.demo_size())
    return MetricsResult({cid: figures[cid] for cid in wanted_ids(view) if cid in figures}, {})


def _result(found: KeptAnalytics) -> MetricsResult:
    return MetricsResult(found.counters, found.failures, found.oldest, found.problem)


def pending(connection: Connection, statuses: Mapping[int, str]) -> RefreshPlan:
    """Which of these campaigns' figures are fresh, stale or missing (no request)."""
    cache, _ = analytics_cache(connection)
    return cache.plan(connection.fingerprint, statuses)


def missing_ids(connection: Connection, statuses: Mapping[int, str]) -> list[int]:
    """The campaigns to ask SmartLead for (what turning the figures on would cost)."""
    return list(pending(connection, statuses).to_fetch)


def kept_metrics(connection: Connection, statuses: Mapping[int, str]) -> MetricsResult:
    """The figures kept for these campaigns, fresh or not, without any request."""
    cache, _ = analytics_cache(connection)
    return _result(cache.review(connection, statuses, fetch=False))


def live_metrics(
    connection: Connection, statuses: Mapping[int, str], progress_area: Any
) -> MetricsResult:
    """The figures of these campaigns, fetching the stale and missing ones first within the
    rate limit, with a progress bar in ``progress_area``."""
    cache, _ = analytics_cache(connection)
    todo = len(pending(connection, statuses).to_fetch)
    if not todo:
        return _result(cache.review(connection, statuses, fetch=False))
    bar = progress_area.progress(0.0, text=f"Fetching the figures of {todo} campaigns…")

    def report(done: int, total: int, elapsed: float, eta: float) -> None:
        bar.progress(
            done / max(total, 1),
            text=f"Fetched the figures of {done} of {total} campaigns · about {eta:.0f} s left",
        )

    found = cache.review(connection, statuses, progress=report)
    bar.empty()
    return _result(found)


def retry_failures(connection: Connection) -> None:
    """Button callback: forget this account's failed campaigns so they are asked for again."""
    cache, _ = analytics_cache(connection)
    cache.forget_failures(connection.fingerprint)


def refresh_figures(connection: Connection) -> None:
    """Button callback: fetch this account's unfinished campaigns' figures again, now."""
    cache, _ = analytics_cache(connection)
    cache.refresh_from(connection.fingerprint, datetime.now(UTC))


def cost_text(connection: Connection, count: int) -> str:
    """'300 requests, about 1 min at 10 requests per 2 s and …' for the toggle's caption,
    with the limits actually in force (SmartLead's headers included)."""
    if count == 0:
        return "no request: every campaign in view is kept"
    limiter = limiter_for(connection)
    seconds = bulk.estimate_seconds(count, limiter)
    duration = f"about {seconds:.0f} s" if seconds < 90 else f"about {seconds / 60:.0f} min"
    return f"{count} requests, {duration} at {limiter.describe()}"
