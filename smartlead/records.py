"""Reading values out of SmartLead's answers: counters, analytics records, campaign ids.

Pure functions, no I/O: the transport (``smartlead.client``) returns answers as SmartLead
sent them and these functions read them, so the same reading serves the client, the frame,
the demo and the tests. SmartLead sends counters as strings (``"30"``) in some answers and as
numbers in others; an unreadable counter is *unknown* (None), never 0.
"""

from __future__ import annotations

import math
import operator
import re
from typing import Any

__all__ = [
    "ANALYTICS_COUNTERS",
    "LEAD_STAT_COUNTERS",
    "campaign_id",
    "holds_analytics",
    "parse_analytics",
    "parse_counter",
]

ANALYTICS_COUNTERS: tuple[str, ...] = (
    "sent_count",
    "unique_sent_count",
    "open_count",
    "unique_open_count",
    "click_count",
    "unique_click_count",
    "reply_count",
    "bounce_count",
    "block_count",
    "unsubscribed_count",
    "total_count",
    "drafted_count",
    "sequence_count",
)
"""The counters of ``GET /campaigns/{id}/analytics``, under their API names."""

LEAD_STAT_COUNTERS: dict[str, str] = {
    "total": "leads_total",
    "notStarted": "leads_not_started",
    "inprogress": "leads_in_progress",
    "completed": "leads_completed",
    "paused": "leads_paused",
    "stopped": "leads_stopped",
    "blocked": "leads_blocked",
    "interested": "leads_interested",
}
"""``campaign_lead_stats`` keys → the flat names ``parse_analytics`` gives them."""

_INT64_MAX = 2**63 - 1
_DIGITS = re.compile(r"^[0-9]+(?:\.0*)?$")


def parse_counter(value: Any) -> int | None:
    """A SmartLead counter as an int, or None when it is missing or cannot be a count.

    ``"30"``, ``" 30 "``, ``30``, ``30.0`` and ``"30.0"`` give 30. None (null or missing),
    booleans, text that is not a whole number (``"abc"``, ``"3.5"``, ``""``), negative values
    (``-1`` reads as a sentinel for "unknown", not as a number) and values past the 64-bit
    range give None: an unreadable counter is unknown, never 0.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            return None
        number = int(value)
    elif isinstance(value, str):
        text = value.strip()
        if not _DIGITS.match(text):
            return None
        number = int(text.split(".", 1)[0])
    else:
        return None
    return number if 0 <= number <= _INT64_MAX else None


def parse_analytics(payload: Any) -> dict[str, int | None]:
    """The counters of one analytics answer: every name always present, None if unknown.

    Keys: :data:`ANALYTICS_COUNTERS` under their API names, then ``campaign_lead_stats``
    flattened to the names in :data:`LEAD_STAT_COUNTERS` (``leads_total``, ...). Each value
    goes through :func:`parse_counter`. A missing ``campaign_lead_stats`` (older answers) or
    a missing key in it stays None, never 0.
    """
    record = payload if isinstance(payload, dict) else {}
    parsed = {name: parse_counter(record.get(name)) for name in ANALYTICS_COUNTERS}
    stats = record.get("campaign_lead_stats")
    stats = stats if isinstance(stats, dict) else {}
    for api_name, name in LEAD_STAT_COUNTERS.items():
        parsed[name] = parse_counter(stats.get(api_name))
    return parsed


def holds_analytics(payload: dict[str, Any]) -> bool:
    """Whether an object carries any analytics counter or lead statistics."""
    return "campaign_lead_stats" in payload or any(name in payload for name in ANALYTICS_COUNTERS)


def campaign_id(value: Any) -> int:
    """A campaign id as a positive int (numpy integers are fine); ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError("a campaign id is a positive integer, not a boolean")
    try:
        number = operator.index(value)
    except TypeError:
        raise ValueError(
            f"a campaign id is a positive integer, not {type(value).__name__}"
        ) from None
    if number <= 0:
        raise ValueError(f"a campaign id is a positive integer, not {number}")
    return number
