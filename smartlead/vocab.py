"""SmartLead's vocabularies (statuses, tracking flags, stop rules) and the colours we give them.

The API is inconsistent in its spelling (``DRAFT`` and ``DRAFTED``, two spellings of the
tracking flags); this module is the one place that knows every spelling. Unknown values are
data, not errors: every function here passes them through.
"""

from __future__ import annotations

STATUSES: tuple[str, ...] = ("ACTIVE", "PAUSED", "STOPPED", "DRAFTED", "COMPLETED", "ARCHIVED")
"""Known campaign statuses, in the order the dashboard lists them."""

STATUS_ALIASES: dict[str, str] = {"DRAFT": "DRAFTED"}
"""Other spellings seen in SmartLead's documentation, mapped to the canonical status."""

UNKNOWN_STATUS = "UNKNOWN"
"""Shown where a campaign has no status at all."""

STATUS_COLORS: dict[str, str] = {
    "ACTIVE": "#2e7d32",
    "PAUSED": "#f9a825",
    "STOPPED": "#c62828",
    "DRAFTED": "#90a4ae",
    "COMPLETED": "#1565c0",
    "ARCHIVED": "#6d4c41",
}
"""One colour per status, used by every chart so a status looks the same everywhere."""

OTHER_STATUS_COLOR = "#8e24aa"
"""Colour for statuses SmartLead may add that we do not know yet."""

DONT_TRACK_OPENS = frozenset({"DONT_EMAIL_OPEN", "DONT_TRACK_EMAIL_OPEN"})
DONT_TRACK_CLICKS = frozenset({"DONT_LINK_CLICK", "DONT_TRACK_LINK_CLICK"})
DONT_TRACK_REPLIES = frozenset({"DONT_TRACK_REPLY_TO_AN_EMAIL", "DONT_REPLY_TO_AN_EMAIL"})
"""Both vocabularies of ``track_settings``: the read API's and the write API's."""

STOP_ON_REPLY = frozenset({"REPLY_TO_AN_EMAIL"})
"""``stop_lead_settings`` values that stop a lead's sequence once they reply."""


def canonical_status(raw: object) -> str:
    """Upper-cased status with known aliases folded; missing becomes ``UNKNOWN``."""
    if raw is None:
        return UNKNOWN_STATUS
    text = str(raw).strip().upper()
    if not text:
        return UNKNOWN_STATUS
    return STATUS_ALIASES.get(text, text)


def status_order(observed: list[str] | tuple[str, ...] = ()) -> list[str]:
    """Known statuses first, in their fixed order, then any others seen, alphabetically."""
    extra = sorted({s for s in observed if s not in STATUSES})
    return [*STATUSES, *extra]


def status_color(status: str) -> str:
    """The fixed colour of a status (unknown ones share one colour)."""
    return STATUS_COLORS.get(status, OTHER_STATUS_COLOR)
