"""Reading values out of SmartLead's answers: counters, flags, analytics records, campaign
ids, and the bookkeeping of values that could not be read.

Pure functions, no I/O: the transport (``smartlead.client``) returns answers as SmartLead
sent them and these functions read them, so the same reading serves the client, the campaign
frame, the mailbox frame, the demo and the tests. SmartLead sends counters as strings
(``"30"``) in some answers and as numbers in others; an unreadable counter is *unknown*
(None), never 0, and the frames name the field it came in (:class:`UnreadableFields`).
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

__all__ = [
    "ANALYTICS_COUNTERS",
    "LEAD_STAT_COUNTERS",
    "UnreadableFields",
    "campaign_id",
    "holds_analytics",
    "note_unreadable",
    "parse_analytics",
    "parse_counter",
    "parse_each_distinct",
    "parse_flag",
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


_TRUE_TEXT = frozenset({"true", "1", "yes"})
_FALSE_TEXT = frozenset({"false", "0", "no"})


def parse_flag(value: Any) -> bool | None:
    """A SmartLead yes/no as a bool, or None when it is not one.

    ``true``/``false``, ``1``/``0`` and the texts ``"true"``, ``"1"``, ``"yes"`` /
    ``"false"``, ``"0"``, ``"no"`` (any case, spaces around) read as such; anything else
    (other numbers, other text, null) is None: unknown, never False.
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in _TRUE_TEXT:
            return True
        if lowered in _FALSE_TEXT:
            return False
    return None


# --------------------------------------------------------------------------- whole fields


def parse_each_distinct(
    raw: Sequence[Any], key: Callable[[Any], Any], parse: Callable[[Any], Any]
) -> tuple[np.ndarray, list[Any]]:
    """Parse each distinct value once: row codes into the list of distinct parsed values.

    Values repeat (one broken template copied to many campaigns, one reputation shared by
    many mailboxes), so each is read once. ``key`` gives values that must be read apart
    (``1``, ``1.0``, ``True``, ``"1"``) different keys.
    """
    codes_by_key: dict[Any, int] = {}
    distinct: list[Any] = []
    codes = np.empty(len(raw), dtype=np.intp)
    for row, value in enumerate(raw):
        value_key = key(value)
        code = codes_by_key.get(value_key)
        if code is None:
            code = codes_by_key[value_key] = len(distinct)
            distinct.append(parse(value))
        codes[row] = code
    return codes, distinct


class UnreadableFields:
    """Which fields of which rows held a value that could not be read (a frame's
    ``unreadable_fields`` column, so an unreadable value is visible, never silent).

    One boolean mask per field, so a column marks all its rows in one numpy operation; the
    names are joined per row only for the (few) rows that have any.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._masks: dict[str, np.ndarray] = {}

    def mark(self, field: str, rows: np.ndarray | Sequence[int]) -> None:
        """Mark ``rows`` (indices, or a boolean mask) of ``field`` as unreadable."""
        mask = self._masks.get(field)
        if mask is None:
            mask = self._masks[field] = np.zeros(self.size, dtype=bool)
        mask[rows] = True

    def column(self) -> pd.api.extensions.ExtensionArray:
        """Per row, the unreadable fields in the order they were read, ', '-joined (or null)."""
        if not any(mask.any() for mask in self._masks.values()):
            return pd.array(pa.nulls(self.size, pa.string()), dtype="string")
        texts = np.full(self.size, None, dtype=object)
        fields = list(self._masks)
        flagged = np.stack([self._masks[field] for field in fields])
        for row in np.flatnonzero(flagged.any(axis=0)):
            texts[row] = ", ".join(
                field
                for field, is_flagged in zip(fields, flagged[:, row], strict=True)
                if is_flagged
            )
        return pd.array(pa.array(texts, type=pa.string()), dtype="string")


def note_unreadable(
    field: str, raw: Sequence[Any], parsed_is_na: np.ndarray, unreadable: UnreadableFields
) -> None:
    """Record the rows where a value arrived (not null, not blank) but could not be read."""
    unreadable.mark(
        field,
        [row for row in np.flatnonzero(parsed_is_na) if raw[row] is not None and raw[row] != ""],
    )
