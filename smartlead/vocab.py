"""The package's vocabulary, in one place: statuses and their groups, weekdays, weekends,
placeholders, tag colours, kinds of change, severities, tracking flags and the colours we give
them.

SmartLead's API is inconsistent in its spelling (``DRAFT`` and ``DRAFTED``, two spellings of
the tracking flags) and numbers weekdays from Sunday; this module is the one place that knows
every spelling, and the one place the numbering is converted (:func:`from_smartlead_day`).
Unknown values are data, not errors: every function here passes them through.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable

# --------------------------------------------------------------------------- statuses

ACTIVE = "ACTIVE"
PAUSED = "PAUSED"
STOPPED = "STOPPED"
DRAFTED = "DRAFTED"
COMPLETED = "COMPLETED"
ARCHIVED = "ARCHIVED"

STATUSES: tuple[str, ...] = (ACTIVE, PAUSED, STOPPED, DRAFTED, COMPLETED, ARCHIVED)
"""Known campaign statuses, in the order the dashboard lists them."""

STATUS_ALIASES: dict[str, str] = {"DRAFT": DRAFTED}
"""Other spellings seen in SmartLead's documentation, mapped to the canonical status."""

UNKNOWN_STATUS = "UNKNOWN"
"""Shown where a campaign has no status at all."""

SENDING: tuple[str, ...] = (ACTIVE,)
"""Statuses whose campaigns send today: only active ones."""

RESUMABLE: tuple[str, ...] = (ACTIVE, PAUSED)
"""Statuses of campaigns that send now or will when resumed (their mailboxes stay in use)."""

OTHER_STATUSES = "(other)"
"""In a status group: any status not in :data:`STATUSES` (new ones SmartLead adds, UNKNOWN).

We cannot tell whether those send, so rules that protect recipients audit them rather than
stay silent."""

MAY_SEND: tuple[str, ...] = (ACTIVE, PAUSED, DRAFTED, OTHER_STATUSES)
"""Campaigns that send now or may send later: active, paused, drafts and unknown statuses."""

FINISHED: tuple[str, ...] = (STOPPED, COMPLETED, ARCHIVED)
"""Finished campaigns: changing their settings changes nothing, so settings rules skip them."""

STATUS_COLORS: dict[str, str] = {
    ACTIVE: "#2e7d32",
    PAUSED: "#f9a825",
    STOPPED: "#c62828",
    DRAFTED: "#90a4ae",
    COMPLETED: "#1565c0",
    ARCHIVED: "#6d4c41",
}
"""One colour per status, used by every chart so a status looks the same everywhere."""

OTHER_STATUS_COLOR = "#8e24aa"
"""Colour for statuses SmartLead may add that we do not know yet."""


def canonical_status(raw: object) -> str:
    """Upper-cased status with known aliases folded; missing becomes ``UNKNOWN``."""
    if raw is None:
        return UNKNOWN_STATUS
    text = str(raw).strip().upper()
    if not text:
        return UNKNOWN_STATUS
    return STATUS_ALIASES.get(text, text)


def status_order(observed: Iterable[str] = ()) -> list[str]:
    """Known statuses first, in their fixed order, then any others seen, alphabetically."""
    extra = sorted({s for s in observed if s not in STATUSES})
    return [*STATUSES, *extra]


def status_color(status: str) -> str:
    """The fixed colour of a status (unknown ones share one colour)."""
    return STATUS_COLORS.get(status, OTHER_STATUS_COLOR)


def expand_statuses(group: Iterable[str], observed: Iterable[str]) -> tuple[str, ...]:
    """The statuses a group stands for among those ``observed`` (:data:`OTHER_STATUSES` →
    every observed status that is not a known one)."""
    wanted = set(group)
    known = set(STATUSES)
    return tuple(
        status
        for status in dict.fromkeys(observed)
        if status in wanted or (OTHER_STATUSES in wanted and status not in known)
    )


# --------------------------------------------------------------------------- weekdays

WEEKDAYS: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
"""The package's one weekday numbering: 0 = Monday … 6 = Sunday, as ``date.weekday()``.

SmartLead numbers its sending days from Sunday (0 = Sunday); :func:`from_smartlead_day` converts
them once, when a record is read, and nothing downstream sees SmartLead's numbering."""

WEEKDAY_NAMES_LONG: tuple[str, ...] = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)


def from_smartlead_day(day: int) -> int:
    """SmartLead's weekday (0 = Sunday … 6 = Saturday) in the package's numbering."""
    return (day + 6) % 7


def to_smartlead_day(day: int) -> int:
    """The package's weekday (0 = Monday) in SmartLead's numbering (0 = Sunday)."""
    return (day + 1) % 7


DEFAULT_WEEKEND: frozenset[int] = frozenset({5, 6})
"""Saturday and Sunday: the weekend in most of the world."""

_FRIDAY_SATURDAY = frozenset({4, 5})
WEEKEND_BY_ZONE: dict[str, frozenset[int]] = {
    zone: _FRIDAY_SATURDAY
    for zone in (
        "Africa/Algiers",
        "Africa/Cairo",
        "Africa/Khartoum",
        "Africa/Tripoli",
        "Asia/Aden",
        "Asia/Amman",
        "Asia/Baghdad",
        "Asia/Bahrain",
        "Asia/Damascus",
        "Asia/Dhaka",
        "Asia/Gaza",
        "Asia/Hebron",
        "Asia/Jerusalem",
        "Asia/Kuwait",
        "Asia/Muscat",
        "Asia/Qatar",
        "Asia/Riyadh",
        "Asia/Tel_Aviv",
    )
} | {
    "Asia/Kabul": frozenset({3, 4}),  # Thursday and Friday
    "Asia/Tehran": frozenset({4}),  # Friday
    "Asia/Kathmandu": frozenset({5}),  # Saturday
    "Asia/Katmandu": frozenset({5}),
}
"""Time zones of countries whose weekend is not Saturday and Sunday (0 = Monday numbering).

From the official working weeks of those countries (the UAE moved to Saturday–Sunday in 2022,
so Asia/Dubai keeps the default). A campaign that sends Sunday to Thursday in Riyadh does
not send at the weekend there."""


def weekend_days(zone: str | None) -> frozenset[int]:
    """The weekend where ``zone`` is (0 = Monday numbering); Saturday–Sunday when unknown."""
    if not zone:
        return DEFAULT_WEEKEND
    return WEEKEND_BY_ZONE.get(zone, DEFAULT_WEEKEND)


# --------------------------------------------------------------------------- placeholders

NO_CLIENT = "(no client)"
"""The client group of campaigns that belong to no agency client."""

UNTAGGED = "(untagged)"
"""The tag group of campaigns without a tag (an empty list, or tags not fetched)."""

NO_GROUP = "(none)"
"""The group of campaigns whose grouping column is empty, in every view but tags and clients."""

PLACEHOLDERS: frozenset[str] = frozenset({NO_CLIENT, UNTAGGED, NO_GROUP})
"""Every placeholder group name; a real value spelled like one must be kept apart from it."""


def apart_from_placeholders(name: str, owner_id: object = None) -> str:
    """A real client or tag name that can never be taken for a placeholder.

    Placeholders stay readable words (they are filter values in links, too), so a real name
    that spells one gets its id added, the way two clients sharing a name are told apart:
    a client named "(no client)" becomes "(no client) (#41)"; without an id, the name is
    quoted ("“(untagged)”"). Any other name is returned as it is.
    """
    if name.strip() not in PLACEHOLDERS:
        return name
    return f"{name.strip()} (#{owner_id})" if owner_id is not None else f"“{name.strip()}”"


# --------------------------------------------------------------------------- tag colours

HEX_COLOR = re.compile(r"#(?:[0-9A-Fa-f]{3}){1,2}")
"""The only colours taken from SmartLead: ``#rgb`` and ``#rrggbb``. A tag's colour is free
text that ends up in a chart's SVG ``fill``: ``url(http://…)`` would make every viewer's
browser fetch that address, and anything invalid would hide the tag's bars."""

UNTAGGED_COLOR = "#b0b7bf"
"""The colour of the :data:`UNTAGGED` group in every chart."""

TAG_PALETTE: tuple[str, ...] = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
)
"""Our own colours for tags whose colour is missing or not a plain hex colour."""


def css_color(value: object) -> str | None:
    """``value`` if it is a ``#rgb`` or ``#rrggbb`` colour (see :data:`HEX_COLOR`), else None."""
    return value if isinstance(value, str) and HEX_COLOR.fullmatch(value) else None


def tag_color(name: str, color: object = None) -> str:
    """The colour a tag wears: SmartLead's when it is a plain hex colour, else one of
    :data:`TAG_PALETTE`, chosen by the tag's name (the same on every page and every run)."""
    return css_color(color) or TAG_PALETTE[zlib.crc32(str(name).encode()) % len(TAG_PALETTE)]


# --------------------------------------------------------------------------- changes

CHANGE_KINDS: dict[str, str] = {
    "added": "Added",
    "removed": "Removed",
    "status": "Status",
    "daily_limit": "Daily limit",
    "tags": "Tags",
    "schedule": "Schedule",
    "field": "Other settings",
}
"""Kinds of change between two snapshots, in the order they are listed, with their labels."""

# --------------------------------------------------------------------------- severities

SEVERITIES: tuple[str, ...] = ("high", "medium", "low")
"""Severities of health findings, most severe first."""

# --------------------------------------------------------------------------- tracking

DONT_TRACK_OPENS = frozenset({"DONT_EMAIL_OPEN", "DONT_TRACK_EMAIL_OPEN"})
DONT_TRACK_CLICKS = frozenset({"DONT_LINK_CLICK", "DONT_TRACK_LINK_CLICK"})
DONT_TRACK_REPLIES = frozenset({"DONT_TRACK_REPLY_TO_AN_EMAIL", "DONT_REPLY_TO_AN_EMAIL"})
"""Both vocabularies of ``track_settings``: the read API's and the write API's."""

STOP_ON_REPLY = frozenset({"REPLY_TO_AN_EMAIL"})
"""``stop_lead_settings`` values that stop a lead's sequence once they reply."""

# --------------------------------------------------------------------------- mailboxes

MAILBOX_PROVIDERS: tuple[str, ...] = ("SMTP", "GMAIL", "OUTLOOK", "ZOHO")
"""Mailbox types SmartLead documents (``type`` of ``GET /email-accounts/``); others are kept as
they came, upper-cased, and a missing type is :data:`UNKNOWN_PROVIDER`."""

UNKNOWN_PROVIDER = "UNKNOWN"
"""The provider of a mailbox whose ``type`` is missing or blank."""

CONNECTED = "Connected"
SMTP_FAILING = "SMTP failing"
IMAP_FAILING = "IMAP failing"
BOTH_FAILING = "SMTP and IMAP failing"
NOT_REPORTED = "Not reported"
CONNECTIONS: tuple[str, ...] = (CONNECTED, SMTP_FAILING, IMAP_FAILING, BOTH_FAILING, NOT_REPORTED)
"""A mailbox's connection, from SmartLead's ``is_smtp_success`` and ``is_imap_success``: a
mailbox that cannot send (SMTP) or cannot read replies (IMAP) is disconnected."""

DISCONNECTED: tuple[str, ...] = (SMTP_FAILING, IMAP_FAILING, BOTH_FAILING)
"""Connection states that count as disconnected."""

WARMUP_ON = "ACTIVE"
WARMUP_OFF = "INACTIVE"
NO_WARMUP_DATA = "(no warmup data)"
"""Warmup status of a mailbox whose answer had no ``warmup_details`` (or no status in it)."""

IN_ACTIVE_CAMPAIGN = "In an active campaign"
ONLY_PAUSED = "Only in paused campaigns"
IDLE = "Idle"
USAGE_UNKNOWN = "Usage unknown"
MAILBOX_USES: tuple[str, ...] = (IN_ACTIVE_CAMPAIGN, ONLY_PAUSED, IDLE, USAGE_UNKNOWN)
"""How a mailbox is used: in at least one active campaign; only in paused ones; in no active
or paused campaign (idle); or unknown, because a campaign's mailbox list could not be fetched
and SmartLead counts the mailbox in some campaign."""
