"""SmartLead's window analytics on the stand-in, answered as the record says they answer.

:func:`register` teaches a :class:`~tests.standin.StandinSmartlead` three routes and keeps
their settings in ``standin.analytics`` (an :class:`AnalyticsSettings`):

- ``GET /analytics/campaign/overall-stats`` (``start_date``, ``end_date``, ``timezone``,
  ``client_ids``, ``campaign_ids``, ``limit``, ``offset``, ``full_data``): the campaigns that
  sent in the range, highest id first, paged with ``limit``/``offset`` (all of them without
  ``limit``), in ``{success, message, data: {campaign_wise_performance: [...]}}``. Without
  ``full_data=true`` only ``id, campaign_name, sent, opened, replied, bounced`` come back;
  with it the extras too (``unique_lead_count``, ``unique_open_count``, ``positive_replied``,
  ``unsubscribed`` and rates as percent text), unless ``extras`` is off (the answer a live
  call recorded, extras never sent). Some campaigns' numbers come as text.
- ``GET /analytics/day-wise-overall-stats``: every day of the range, dated ``"20 Apr"``
  (no year), with ``email_engagement_metrics``.
- ``GET /campaigns/{id}/analytics-by-date``: one campaign's counters, as strings.

Ranges longer than 30 days (both ends counted) are refused with 400 and SmartLead's
"Date difference should be max of 30days". The figures come from
:func:`smartlead.demo.demo_daily_history` over the key's portfolio, the history the
dashboard's demo computes, so a stand-in serving the demo portfolio and the demo agree.
``missing=True`` answers 404 (an account or plan without these analytics);
``failing_offsets`` fails those pages with 500 every time. The stand-in's request log counts
every call (``standin.count("/analytics")``).
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from smartlead import demo
from tests.standin import Reply, StandinRequest, StandinSmartlead

MAX_RANGE_DAYS = 30
"""The longest range answered, both ends counted."""

RANGE_REFUSAL = "Date difference should be max of 30days"
"""SmartLead's words when a range is too long."""

BASE_KEYS = ("id", "campaign_name", "sent", "opened", "replied", "bounced")
"""What a campaign row holds without ``full_data`` (a live call's note)."""


@dataclass
class AnalyticsSettings:
    """How the stand-in's window analytics behave; change them on a running stand-in."""

    today: date = field(default_factory=lambda: datetime.now(UTC).date())
    """The last day with sending (nothing is sent after it)."""
    extras: bool = True
    """Send ``full_data``'s extras when asked for them."""
    text_numbers: float = 0.3
    """Share of campaigns (always the same ones) whose numbers come as text."""
    missing: bool = False
    """Answer 404, as for an account or plan without these analytics."""
    failing_offsets: set[int] = field(default_factory=set)
    """Offsets of campaign pages that fail with 500, every time."""
    _cache: dict[tuple[Any, ...], list[dict[str, Any]]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def rows(self, records: list[Any], start: date, end: date, key: str) -> list[dict[str, Any]]:
        """The demo's campaign rows for a range (computed once per key, range and today)."""
        shape = tuple(
            (r.get("id"), r.get("status"), r.get("updated_at"), r.get("client_id"))
            for r in records
            if isinstance(r, dict)
        )
        slot = (key, hash(shape), start, end, self.today)
        with self._lock:
            cached = self._cache.get(slot)
        if cached is None:
            cached = demo.demo_window_stats(records, start, end, today=self.today)
            with self._lock:
                self._cache[slot] = cached
        return cached


def _as_text(campaign_id: int, fraction: float) -> bool:
    return random.Random(campaign_id * 131 + 17).random() < fraction


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        return None


def _ids(text: str | None) -> set[int] | None:
    if text is None or not text.strip():
        return None
    return {int(part) for part in text.split(",") if part.strip().isdigit()}


def _range(request: StandinRequest) -> tuple[date, date] | Reply:
    """The range asked for, or SmartLead's 400 for a missing, backwards or too long one."""
    start = _date(request.query.get("start_date"))
    end = _date(request.query.get("end_date"))
    if start is None or end is None:
        return Reply.json({"message": "start_date and end_date are required"}, status=400)
    if start > end:
        return Reply.json({"message": "start_date should be before end_date"}, status=400)
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        return Reply.json({"message": RANGE_REFUSAL}, status=400)
    return start, end


def _records(request: StandinRequest) -> list[Any]:
    records = request.standin.portfolios.get(request.api_key or "", [])
    clients = _ids(request.query.get("client_ids"))
    campaigns = _ids(request.query.get("campaign_ids"))
    if clients is None and campaigns is None:
        return records
    return [
        record
        for record in records
        if isinstance(record, dict)
        and (clients is None or record.get("client_id") in clients)
        and (campaigns is None or record.get("id") in campaigns)
    ]


def _shaped(row: dict[str, Any], settings: AnalyticsSettings, full: bool) -> dict[str, Any]:
    shaped = dict(row) if full and settings.extras else {k: row[k] for k in BASE_KEYS}
    if _as_text(row["id"], settings.text_numbers):
        shaped = {
            key: str(value) if isinstance(value, int) and key != "id" else value
            for key, value in shaped.items()
        }
    return shaped


def register(standin: StandinSmartlead) -> AnalyticsSettings:
    """Serve the window analytics on ``standin``; returns (and sets) ``standin.analytics``."""
    settings = AnalyticsSettings()
    standin.analytics = settings  # type: ignore[attr-defined]

    def overall(request: StandinRequest) -> Reply:
        if settings.missing:
            return Reply.not_found(request.path)
        asked = _range(request)
        if isinstance(asked, Reply):
            return asked
        offset = int(request.query.get("offset") or 0)
        if offset in settings.failing_offsets:
            return Reply.server_error()
        records = _records(request)
        key = f"{request.api_key}|{request.query.get('client_ids')}|"
        key += str(request.query.get("campaign_ids"))
        rows = settings.rows(records, *asked, key)
        limit = request.query.get("limit")
        page = rows[offset:] if limit is None else rows[offset : offset + int(limit)]
        full = request.flag("full_data")
        return Reply.json(
            {
                "success": True,
                "message": "Campaign wise performance fetched successfully!",
                "data": {"campaign_wise_performance": [_shaped(r, settings, full) for r in page]},
            }
        )

    def day_wise(request: StandinRequest) -> Reply:
        if settings.missing:
            return Reply.not_found(request.path)
        asked = _range(request)
        if isinstance(asked, Reply):
            return asked
        days = demo.demo_day_stats(_records(request), *asked, today=settings.today)
        return Reply.json(
            {
                "success": True,
                "message": "Day wise overall stats fetched successfully",
                "data": {"day_wise_stats": days},
            }
        )

    def by_date(request: StandinRequest) -> Reply:
        record = request.standin._owned(request)
        if record is None:
            return Reply.json({"error": "Invalid campaign id'"}, status=400)
        asked = _range(request)
        if isinstance(asked, Reply):
            return asked
        rows = demo.demo_window_stats([record], *asked, today=settings.today)
        row = rows[0] if rows else {}
        counters = {
            "sent_count": row.get("sent", 0),
            "unique_sent_count": row.get("unique_lead_count", 0),
            "open_count": row.get("opened", 0),
            "unique_open_count": row.get("unique_open_count", 0),
            "click_count": 0,
            "unique_click_count": 0,
            "reply_count": row.get("replied", 0),
            "bounce_count": row.get("bounced", 0),
            "unsubscribed_count": row.get("unsubscribed", 0),
        }
        return Reply.json(
            {"id": record.get("id"), "name": record.get("name")}
            | {name: str(value) for name, value in counters.items()}
        )

    standin.add_route("GET", r"/analytics/campaign/overall-stats", overall)
    standin.add_route("GET", r"/analytics/day-wise-overall-stats", day_wise)
    standin.add_route("GET", r"/campaigns/(?P<campaign_id>\d+)/analytics-by-date", by_date)
    return settings


def analytics_requests(standin: StandinSmartlead) -> int:
    """How many requests reached the bulk window analytics."""
    return standin.count("/analytics/")
