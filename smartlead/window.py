"""Performance over a date window: the window, its pieces, and what SmartLead's answers say.

Pure: no network, no disk. :mod:`smartlead.window_fetch` asks SmartLead (or
:mod:`smartlead.demo` makes up) the answers; this module reads them into frames:

- :class:`Window`: the first and last day (both included) and the time zone the days are
  counted in; its :meth:`~Window.previous` window of the same length, its
  :meth:`~Window.chunks` of at most :data:`MAX_CHUNK_DAYS` (SmartLead answers at most 30
  days per request), and :meth:`~Window.check`, which refuses a window that runs backwards,
  reaches into the future or is longer than :data:`MAX_WINDOW_DAYS`.
- Presets (:data:`PRESETS`: the last 7, 30 and 90 days, this month, last month) and
  ``--last 30d`` (:func:`parse_last`).
- Reading answers: numbers come as numbers, as text (``"153"``, ``"1,234"``) or as percent
  text (``"26.67%"``) and are coerced once (:func:`read_number`, :func:`read_count`,
  :func:`read_percent`); the day-wise answer's dates carry no year (``"20 Apr"``) and are
  rebuilt from the window asked for (:func:`rebuild_dates`), across a New Year too.
- Summing the chunks (:func:`campaign_metrics`): a field missing from an answer stays unknown
  (never 0); a campaign absent from a complete answer sent nothing in that chunk (0); a
  campaign absent from an answer with a failed page is unknown.
- Frames: :func:`with_window` joins the per-campaign figures onto the campaign frame (the
  columns of :data:`WINDOW_COLUMNS`, rates weighted by :mod:`smartlead.rates`' machinery);
  :func:`daily_figures` is the trend, one row per day.

**The divisor of the window rates is ``window_sent``, the emails sent in the window** (see
:data:`WINDOW_RATES` and the README). The bulk answer always carries ``sent``, with or
without ``full_data``'s extras, so every account gets the same rates; replies and bounces
that happen in a window belong to emails sent around it (a lead contacted last month who
replies this week replies this week), so they are set against that window's emails, not
against the leads first reached in it; and bounces per email sent is how mailbox providers
and SmartLead's own bounce-rate calculator count. It reads lower than a per-lead rate (the
all-time rates in :mod:`smartlead.rates`) by about the number of emails per lead.
"""

from __future__ import annotations

import calendar
import math
import re
import zoneinfo
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

import numpy as np
import pandas as pd

from smartlead.errors import WindowError
from smartlead.frame import Column
from smartlead.rates import Rate, add_rates, portfolio_rates
from smartlead.records import parse_counter

__all__ = [
    "BASE_FIELDS",
    "CAMPAIGN_FIELDS",
    "DAY_FIELDS",
    "DEFAULT_PRESET",
    "DEFAULT_TIMEZONE",
    "MAX_CHUNK_DAYS",
    "MAX_WINDOW_DAYS",
    "PRESETS",
    "WINDOW_COLUMNS",
    "WINDOW_COUNTER_COLUMNS",
    "WINDOW_RATES",
    "CampaignChunk",
    "Daily",
    "DayChunk",
    "Kpi",
    "Window",
    "WindowField",
    "WindowMetrics",
    "campaign_metrics",
    "campaigns_without_figures",
    "check_timezone",
    "daily_figures",
    "last_days",
    "parse_last",
    "preset_window",
    "read_campaign_row",
    "read_count",
    "read_number",
    "read_percent",
    "rebuild_dates",
    "today_in",
    "window_kpis",
    "with_window",
]

MAX_CHUNK_DAYS = 30
"""The most days one request covers. SmartLead refuses longer ranges on its per-campaign
window endpoint ("Date difference should be max of 30days") and the integrations that use the
bulk endpoints split long ranges the same way; 30 days counted with both ends included is the
reading that passes either way."""

MAX_WINDOW_DAYS = 366
"""The longest window asked for: a year (13 requests of 30 days per page of campaigns), which
covers every preset with room for a custom range of a year."""

DEFAULT_TIMEZONE = "UTC"
"""Days are counted in UTC until the viewer picks another time zone."""

PRESETS: dict[str, str] = {
    "7d": "Last 7 days",
    "30d": "Last 30 days",
    "90d": "Last 90 days",
    "this_month": "This month",
    "last_month": "Last month",
    "custom": "Custom range",
}
"""The windows offered, by the value they have in a link (``?window=30d``). "Last N days"
ends today (as far as today has gone), so it includes today."""

DEFAULT_PRESET = "30d"
"""The window the dashboard opens on."""

_LAST_DAYS = {"7d": 7, "30d": 30, "90d": 90}


# --------------------------------------------------------------------------- the window


@dataclass(frozen=True, order=True)
class Window:
    """The days from ``start`` to ``end``, both included, counted in ``timezone`` (IANA)."""

    start: date
    end: date
    timezone: str = DEFAULT_TIMEZONE

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            value = getattr(self, name)
            if isinstance(value, datetime) or not isinstance(value, date):
                raise TypeError(f"a window's {name} is a date, not {type(value).__name__}")

    @property
    def days(self) -> int:
        """How many days the window holds (0 or less when it runs backwards)."""
        return (self.end - self.start).days + 1

    def previous(self) -> Window:
        """The window of the same length that ends the day before this one starts."""
        length = max(self.days, 1)
        end = self.start - timedelta(days=1)
        return Window(end - timedelta(days=length - 1), end, self.timezone)

    def chunks(self, max_days: int = MAX_CHUNK_DAYS) -> tuple[Window, ...]:
        """Consecutive windows of at most ``max_days`` that cover this one exactly, in order
        (empty for a window that runs backwards)."""
        if max_days < 1:
            raise ValueError("a chunk holds at least one day")
        pieces: list[Window] = []
        start = self.start
        while start <= self.end:
            end = min(start + timedelta(days=max_days - 1), self.end)
            pieces.append(Window(start, end, self.timezone))
            start = end + timedelta(days=1)
        return tuple(pieces)

    def dates(self) -> list[date]:
        """Every day of the window, in order."""
        return [self.start + timedelta(days=offset) for offset in range(max(self.days, 0))]

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def label(self) -> str:
        """The days in words: '3 Nov – 2 Dec 2026', '1–30 Nov 2026', '2 Dec 2026'."""
        start, end = self.start, self.end
        if start == end:
            return f"{start.day} {start:%b %Y}"
        if start.year != end.year:
            return f"{start.day} {start:%b %Y} – {end.day} {end:%b %Y}"
        if start.month != end.month:
            return f"{start.day} {start:%b} – {end.day} {end:%b %Y}"
        return f"{start.day}–{end.day} {end:%b %Y}"

    def query(self) -> dict[str, str]:
        """The window as SmartLead's analytics endpoints take it."""
        return {
            "start_date": self.start.isoformat(),
            "end_date": self.end.isoformat(),
            "timezone": self.timezone,
        }

    def check(self, today: date, *, max_days: int = MAX_WINDOW_DAYS) -> Window:
        """This window if it can be asked for; :class:`WindowError` saying why otherwise.

        ``today`` is today in the window's time zone (:func:`today_in`).
        """
        check_timezone(self.timezone)
        if self.start > today:
            raise WindowError(
                f"The window starts on {self.start.isoformat()}, after today "
                f"({today.isoformat()} in {self.timezone}): there are no figures for days "
                "to come."
            )
        if self.start > self.end:
            raise WindowError(
                f"The window starts on {self.start.isoformat()} and ends on "
                f"{self.end.isoformat()}, before it starts."
            )
        if self.end > today:
            raise WindowError(
                f"The window ends on {self.end.isoformat()}, after today "
                f"({today.isoformat()} in {self.timezone}): there are no figures for days "
                "to come."
            )
        if self.days > max_days:
            raise WindowError(
                f"The window is {self.days} days long; the longest supported is {max_days} "
                f"days (SmartLead answers {MAX_CHUNK_DAYS} days per request, so a longer window "
                "costs a request per 30 days and page of campaigns)."
            )
        return self


def check_timezone(name: str) -> str:
    """``name`` if it is an IANA time zone this machine knows; :class:`WindowError` if not."""
    try:
        zoneinfo.ZoneInfo(str(name))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        shown = str(name)[:60]
        raise WindowError(
            f"“{shown}” is not a time zone this machine knows (an IANA name such as "
            "Europe/London or UTC)."
        ) from None
    return str(name)


def today_in(timezone: str, now: datetime | None = None) -> date:
    """Today's date in ``timezone`` (``now`` defaults to the current time)."""
    zone = zoneinfo.ZoneInfo(check_timezone(timezone))
    moment = now if now is not None else datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone).date()


def preset_window(preset: str, today: date, timezone: str = DEFAULT_TIMEZONE) -> Window:
    """The window a preset of :data:`PRESETS` names, as of ``today`` (``custom`` has none)."""
    if preset in _LAST_DAYS:
        return Window(today - timedelta(days=_LAST_DAYS[preset] - 1), today, timezone)
    if preset == "this_month":
        return Window(today.replace(day=1), today, timezone)
    if preset == "last_month":
        end = today.replace(day=1) - timedelta(days=1)
        return Window(end.replace(day=1), end, timezone)
    raise ValueError(f"no fixed window for preset {preset!r}")


_LAST = re.compile(r"^\s*(\d{1,4})\s*(d|days?|w|weeks?)?\s*$", re.IGNORECASE)


def parse_last(text: str) -> int:
    """The days of a ``--last`` value: ``30d``, ``30``, ``2w`` (weeks); WindowError if not."""
    match = _LAST.match(str(text))
    if not match:
        raise WindowError(
            f"“{str(text)[:40]}” is not a length of time: write the days as 30d (or weeks as 4w)."
        )
    days = int(match.group(1)) * (7 if (match.group(2) or "d").lower().startswith("w") else 1)
    if days < 1:
        raise WindowError("The window must hold at least one day.")
    return days


def last_days(days: int, today: date, timezone: str = DEFAULT_TIMEZONE) -> Window:
    """The ``days`` days that end today."""
    return Window(today - timedelta(days=days - 1), today, timezone)


# --------------------------------------------------------------------------- numbers


_PLAIN = re.compile(r"^[+-]?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?$")


def read_number(value: Any) -> float | None:
    """A number from an answer: a JSON number, numeric text (``"153"``, ``"1,234.5"``) or
    percent text (``"26.67%"``, read as the fraction 0.2667). None for anything else
    (null, booleans, empty or other text, infinities)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
        return number if math.isfinite(number) else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    percent = text.endswith("%")
    if percent:
        text = text[:-1].strip()
    if not _PLAIN.match(text):
        return None
    number = float(text.replace(",", ""))
    if not math.isfinite(number):
        return None
    return number / 100 if percent else number


def read_count(value: Any) -> int | None:
    """A counter: a whole, non-negative number (``153``, ``"153"``, ``"1,234"``, ``153.0``);
    None when missing or not a count (percent text, fractions, negatives, text)."""
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("%"):
            return None
        if "," in text and _PLAIN.match(text):
            text = text.replace(",", "")
        return parse_counter(text)
    return parse_counter(value)


def read_percent(value: Any) -> float | None:
    """A rate SmartLead writes in percent (``"9%"``, ``"12.50%"``, or a bare 9 meaning 9 %)
    as a fraction (0.09); None when unreadable or negative."""
    number = read_number(value)
    if number is None:
        return None
    if not (isinstance(value, str) and value.strip().endswith("%")):
        number /= 100
    return number if number >= 0 else None


# --------------------------------------------------------------------------- day labels

_MONTHS: dict[str, int] = {
    **{name.lower(): number for number, name in enumerate(calendar.month_abbr) if name},
    **{name.lower(): number for number, name in enumerate(calendar.month_name) if name},
    "sept": 9,
}
_DAY_MONTH = re.compile(r"^\s*(\d{1,2})[\s\-/.]+([A-Za-z]+)\.?\s*$")
_MONTH_DAY = re.compile(r"^\s*([A-Za-z]+)\.?[\s\-/.]+(\d{1,2})\s*$")
_ISO_DAY = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


def _day_label(text: Any) -> date | tuple[int, int] | None:
    """A day label as a date (it names its year) or (month, day) (it does not)."""
    if not isinstance(text, str):
        return None
    iso = _ISO_DAY.match(text)
    if iso:
        try:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        except ValueError:
            return None
    match = _DAY_MONTH.match(text)
    if match:
        day, month_name = int(match.group(1)), match.group(2)
    else:
        match = _MONTH_DAY.match(text)
        if not match:
            return None
        month_name, day = match.group(1), int(match.group(2))
    month = _MONTHS.get(month_name.lower())
    if month is None or not 1 <= day <= 31:
        return None
    return month, day


def rebuild_dates(labels: Iterable[Any], window: Window) -> list[date | None]:
    """The full date of each day label of an answer about ``window`` (None if unreadable).

    SmartLead's day-wise answer writes days as ``"20 Apr"``: the year is the one that puts
    the day inside the window asked for. Labels come in order, so when a window holds the
    same day and month twice (a window longer than a year) the next one after the previous
    label is taken. A label with its year (``2026-04-20``) is kept when inside the window.
    """
    rebuilt: list[date | None] = []
    cursor = window.start
    years = range(window.start.year, window.end.year + 1)
    for label in labels:
        parsed = _day_label(label)
        if isinstance(parsed, date):
            chosen = parsed if parsed in window else None
        elif parsed is None:
            chosen = None
        else:
            month, day = parsed
            candidates = []
            for year in years:
                try:
                    candidate = date(year, month, day)
                except ValueError:  # 29 Feb of a common year, 31 Apr
                    continue
                if candidate in window:
                    candidates.append(candidate)
            later = [candidate for candidate in candidates if candidate >= cursor]
            chosen = (later or candidates or [None])[0]
        if chosen is not None:
            cursor = chosen
        rebuilt.append(chosen)
    return rebuilt


# --------------------------------------------------------------------------- fields


@dataclass(frozen=True)
class WindowField:
    """One per-campaign counter of a window: its column and the answer's names for it."""

    column: str
    api_names: tuple[str, ...]
    description: str


CAMPAIGN_FIELDS: tuple[WindowField, ...] = (
    WindowField("window_sent", ("sent",), "Emails sent in the window, every step included."),
    WindowField(
        "window_leads_contacted",
        ("unique_lead_count", "unique_sent_count", "unique_sent"),
        "Leads emailed in the window (full_data only). Summed over 30-day pieces for a longer "
        "window, so a lead emailed in two pieces counts twice.",
    ),
    WindowField("window_opened", ("opened",), "Opens in the window."),
    WindowField(
        "window_unique_opened",
        ("unique_open_count", "unique_opened"),
        "Leads who opened in the window (full_data only).",
    ),
    WindowField("window_replied", ("replied",), "Replies received in the window."),
    WindowField(
        "window_positive_replied",
        ("positive_replied",),
        "Replies categorised as positive (full_data only; from positive_reply_rate × replied "
        "when only the rate comes).",
    ),
    WindowField("window_bounced", ("bounced",), "Emails that bounced in the window."),
    WindowField("window_unsubscribed", ("unsubscribed",), "Leads who unsubscribed in the window."),
)
"""The per-campaign window counters, their columns and the answer's names (first found wins)."""

BASE_FIELDS: frozenset[str] = frozenset(
    {"window_sent", "window_opened", "window_replied", "window_bounced"}
)
"""Counters every answer carries, with or without ``full_data``: a campaign missing from a
complete answer sent, opened, got and bounced nothing, even when no campaign is listed."""

DAY_FIELDS: tuple[str, ...] = ("sent", "opened", "replied", "bounced", "unsubscribed")
"""The day-wise answer's ``email_engagement_metrics``, the trend's columns."""

WINDOW_COUNTER_COLUMNS: tuple[Column, ...] = tuple(
    Column(
        spec.column,
        "Int64",
        spec.description + " Null when unknown (not sent, unreadable, or a page failed).",
        "/".join(spec.api_names),
    )
    for spec in CAMPAIGN_FIELDS
)

WINDOW_RATES: tuple[Rate, ...] = (
    Rate(
        "window_reply_rate",
        "window_replied",
        "window_sent",
        "Replies per email sent in the window: window_replied / window_sent.",
    ),
    Rate(
        "window_bounce_rate",
        "window_bounced",
        "window_sent",
        "Bounces per email sent in the window: window_bounced / window_sent (how mailbox "
        "providers and SmartLead's bounce-rate calculator count).",
    ),
    Rate(
        "window_open_rate",
        "window_opened",
        "window_sent",
        "Opens per email sent in the window: window_opened / window_sent; NA when opens are "
        "not tracked (repeated opens may count, so it can pass 100 %).",
        "track_opens",
    ),
    Rate(
        "window_unsubscribe_rate",
        "window_unsubscribed",
        "window_sent",
        "Unsubscribes per email sent in the window: window_unsubscribed / window_sent.",
    ),
    Rate(
        "window_positive_share",
        "window_positive_replied",
        "window_replied",
        "Positive replies per reply in the window: window_positive_replied / window_replied "
        "(SmartLead's positive reply rate).",
    ),
)
"""Every window rate, defined once; weighted per group by :func:`smartlead.rates.rates_by`
(``rates=WINDOW_RATES``): a client's reply rate is all its replies over all its emails sent."""

WINDOW_COLUMNS: tuple[Column, ...] = (
    *WINDOW_COUNTER_COLUMNS,
    *(
        Column(
            rate.name,
            "Float64",
            rate.description + " A fraction; null when the divisor is 0 or unknown.",
        )
        for rate in WINDOW_RATES
    ),
)
"""Every column :func:`with_window` adds to the campaign frame."""

_COUNTER_NAMES = tuple(spec.column for spec in CAMPAIGN_FIELDS)
_WINDOW_NAMES = tuple(column.name for column in WINDOW_COLUMNS)


def _campaign_id(value: Any) -> int | None:
    number = read_count(value)
    return number if number is not None and number > 0 else None


def read_campaign_row(row: Any) -> tuple[int | None, dict[str, int | None]]:
    """One row of ``campaign_wise_performance``: (campaign id or None, counters it holds).

    Only the counters the row carries are returned (a missing one is not 0); one that is
    there but unreadable is None. SmartLead's positive reply rate stands in for
    ``positive_replied`` when only the rate comes (rate × replies, rounded).
    """
    if not isinstance(row, Mapping):
        return None, {}
    cid = _campaign_id(row.get("id", row.get("campaign_id")))
    values: dict[str, int | None] = {}
    for spec in CAMPAIGN_FIELDS:
        name = next((api for api in spec.api_names if api in row), None)
        if name is not None:
            values[spec.column] = read_count(row[name])
    if "window_positive_replied" not in values and "positive_reply_rate" in row:
        share = read_percent(row["positive_reply_rate"])
        replied = values.get("window_replied")
        if share is not None and replied is not None:
            values["window_positive_replied"] = round(share * replied)
    return cid, values


# --------------------------------------------------------------------------- answers


@dataclass(frozen=True)
class CampaignChunk:
    """The campaign rows SmartLead sent for one piece of a window, every page in order.

    ``complete`` is False when a page failed: a campaign absent from the rows is then
    unknown, not silent.
    """

    window: Window
    rows: tuple[Any, ...] = ()
    complete: bool = True


@dataclass(frozen=True)
class DayChunk:
    """The day rows SmartLead sent for one piece of a window (``complete``: it answered)."""

    window: Window
    rows: tuple[Any, ...] = ()
    complete: bool = True


@dataclass(frozen=True)
class WindowMetrics:
    """Per-campaign counters of a whole window, summed over its pieces.

    ``table`` has one row per campaign some answer listed: ``id`` and every counter column
    (nullable integers, null when unknown); it is what the dashboard caches (compact, quick
    to copy). ``known`` names the counters the answers reported; ``complete`` says whether
    every page of every piece answered (then a campaign no answer listed sent nothing);
    ``client_ids``/``campaign_ids`` are the scope asked for (None: the whole account);
    ``unreadable`` counts rows without a usable id.
    """

    window: Window
    table: pd.DataFrame = field(default_factory=lambda: _empty_table())
    known: frozenset[str] = BASE_FIELDS
    complete: bool = True
    client_ids: tuple[int, ...] | None = None
    campaign_ids: tuple[int, ...] | None = None
    unreadable: int = 0

    @property
    def counters(self) -> dict[int, dict[str, int | None]]:
        """The table as {campaign id: {counter: value or None}} (for reading one campaign)."""
        records = self.table.astype(object).where(self.table.notna(), None).to_dict("records")
        return {int(row.pop("id")): row for row in records}

    def silent_value(self, column: str) -> int | None:
        """What a campaign in scope that no answer listed gets for ``column``."""
        return 0 if self.complete and column in self.known else None


def _empty_table() -> pd.DataFrame:
    return pd.DataFrame(
        {"id": pd.array([], dtype="int64")}
        | {name: pd.array([], dtype="Int64") for name in _COUNTER_NAMES}
    )


def campaign_metrics(
    window: Window,
    chunks: Sequence[CampaignChunk],
    *,
    client_ids: Iterable[int] | None = None,
    campaign_ids: Iterable[int] | None = None,
) -> WindowMetrics:
    """The window's per-campaign counters from the answers for its pieces.

    Per campaign and counter: the sum over the pieces, where a piece that listed the campaign
    adds its value (unknown when missing or unreadable), a complete piece that did not list
    it adds 0 (it sent nothing then), and an incomplete one makes the sum unknown. A row
    listed twice in one piece (pages that shifted) counts once.
    """
    read: list[dict[int, dict[str, int | None]]] = []
    known: set[str] = set(BASE_FIELDS)
    unreadable = 0
    for chunk in chunks:
        rows: dict[int, dict[str, int | None]] = {}
        for row in chunk.rows:
            cid, values = read_campaign_row(row)
            if cid is None:
                unreadable += 1
                continue
            known.update(values)
            rows.setdefault(cid, values)
        read.append(rows)
    seen = np.fromiter(dict.fromkeys(cid for rows in read for cid in rows), dtype=np.int64)
    totals = np.zeros((len(seen), len(_COUNTER_NAMES)), dtype=np.int64)
    unknown = np.zeros_like(totals, dtype=bool)
    index = pd.Index(seen)
    for chunk, rows in zip(chunks, read, strict=True):
        listed = np.zeros(len(seen), dtype=bool)
        if rows:
            at = index.get_indexer(np.fromiter(rows, dtype=np.int64, count=len(rows)))
            listed[at] = True
            for column, name in enumerate(_COUNTER_NAMES):
                values = [values.get(name) for values in rows.values()]
                missing = np.array([value is None for value in values], dtype=bool)
                numbers = np.array([value or 0 for value in values], dtype=np.int64)
                totals[at, column] += numbers
                unknown[at, column] |= missing
        for column, name in enumerate(_COUNTER_NAMES):
            if not (chunk.complete and name in known):
                unknown[~listed, column] = True  # not listed, and that does not mean 0
    table = pd.DataFrame({"id": seen})
    for column, name in enumerate(_COUNTER_NAMES):
        table[name] = pd.arrays.IntegerArray(totals[:, column], unknown[:, column])
    return WindowMetrics(
        window=window,
        table=table,
        known=frozenset(known),
        complete=all(chunk.complete for chunk in chunks),
        client_ids=None if client_ids is None else tuple(client_ids),
        campaign_ids=None if campaign_ids is None else tuple(campaign_ids),
        unreadable=unreadable,
    )


def _in_scope(frame: pd.DataFrame, metrics: WindowMetrics) -> np.ndarray:
    """Which campaigns of ``frame`` the answers speak for (a scope asked for, or all)."""
    inside = np.ones(len(frame), dtype=bool)
    if metrics.client_ids is not None:
        clients = pd.array(frame["client_id"], dtype="Int64")
        inside &= np.asarray(clients.isin(list(metrics.client_ids)).fillna(False), dtype=bool)
    if metrics.campaign_ids is not None:
        ids = pd.array(frame["id"], dtype="Int64")
        inside &= np.asarray(ids.isin(list(metrics.campaign_ids)).fillna(False), dtype=bool)
    return inside


def with_window(frame: pd.DataFrame, metrics: WindowMetrics | None) -> pd.DataFrame:
    """The campaign frame with every :data:`WINDOW_COLUMNS` column joined on by ``id``.

    A campaign the answers listed gets its sums; one in scope they did not list sent nothing
    (0 for the counters the answers report, unknown for the others); one outside the scope
    asked for, or when a page failed, is unknown. Rates follow from the counters
    (:data:`WINDOW_RATES`). ``metrics`` None (no figures) gives unknown everywhere. Every
    row is kept, in order; ``frame`` itself is not changed.
    """
    out = frame.drop(columns=[name for name in _WINDOW_NAMES if name in frame.columns])
    size = len(out)
    if metrics is None:
        for name in _COUNTER_NAMES:
            out[name] = pd.arrays.IntegerArray(
                np.zeros(size, dtype=np.int64), np.ones(size, dtype=bool)
            )
        return add_rates(out, WINDOW_RATES)
    ids = pd.array(out["id"], dtype="Int64").to_numpy(dtype=np.int64, na_value=-1)
    table = metrics.table
    position = pd.Index(table["id"].to_numpy(dtype=np.int64)).get_indexer(ids)
    found = position >= 0
    silent_rows = ~found & _in_scope(out, metrics) & (ids > 0)
    take = np.where(found, position, 0)
    for name in _COUNTER_NAMES:
        column = table[name].array
        listed = column.to_numpy(dtype=np.int64, na_value=0)
        listed_unknown = np.asarray(column.isna(), dtype=bool)
        values = np.zeros(size, dtype=np.int64)
        unknown = np.ones(size, dtype=bool)
        if len(table):
            values = np.where(found, listed[take], 0)
            unknown = np.where(found, listed_unknown[take], True)
        if metrics.silent_value(name) is not None:
            unknown &= ~silent_rows
        out[name] = pd.arrays.IntegerArray(values.astype(np.int64), unknown)
    return add_rates(out, WINDOW_RATES)


# --------------------------------------------------------------------------- the trend


@dataclass(frozen=True)
class Daily:
    """The trend: one row per day of the window (``date``, ``day_name`` and
    :data:`DAY_FIELDS`, unknown where a piece failed), and how many rows could not be read."""

    frame: pd.DataFrame
    unreadable: int = 0


def _day_metrics(row: Any) -> Mapping[str, Any]:
    """A day row's counters: ``email_engagement_metrics``, or the row itself when flat."""
    if not isinstance(row, Mapping):
        return {}
    inner = row.get("email_engagement_metrics")
    return inner if isinstance(inner, Mapping) else row


def daily_figures(window: Window, chunks: Sequence[DayChunk]) -> Daily:
    """Every day of ``window`` with what the day-wise answers said about it.

    Dates are rebuilt from each piece's window (:func:`rebuild_dates`). A day a complete
    answer did not list had no sending (0 for the counters the answers report); a counter a
    listed day lacks, or that cannot be read, is unknown; days of a piece that failed are
    unknown. Rows that name the same day are added up; rows whose day cannot be read are
    counted in ``unreadable``.
    """
    days = window.dates()
    index = {day: position for position, day in enumerate(days)}
    values = np.zeros((len(days), len(DAY_FIELDS)), dtype=np.int64)
    unknown = np.zeros((len(days), len(DAY_FIELDS)), dtype=bool)
    reported = {"sent", "opened", "replied", "bounced"} | {
        name
        for chunk in chunks
        for row in chunk.rows
        for name in DAY_FIELDS
        if name in _day_metrics(row)
    }
    for column, name in enumerate(DAY_FIELDS):
        if name not in reported:
            unknown[:, column] = True
    unreadable = 0
    for chunk in chunks:
        covered = [index[day] for day in chunk.window.dates() if day in index]
        if not chunk.complete:
            unknown[covered] = True
            continue
        labels = [row.get("date") if isinstance(row, Mapping) else None for row in chunk.rows]
        for row, day in zip(chunk.rows, rebuild_dates(labels, chunk.window), strict=True):
            if day is None or day not in index:
                unreadable += 1
                continue
            metrics = _day_metrics(row)
            for column, name in enumerate(DAY_FIELDS):
                count = read_count(metrics.get(name))
                if count is None:
                    unknown[index[day], column] = True
                else:
                    values[index[day], column] += count
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(pd.Series([day.isoformat() for day in days], dtype="str")),
            "day_name": pd.array([f"{day:%A}" for day in days], dtype="string"),
        }
    )
    for column, name in enumerate(DAY_FIELDS):
        frame[name] = pd.arrays.IntegerArray(values[:, column], unknown[:, column])
    return Daily(frame, unreadable)


# --------------------------------------------------------------------------- headline figures

KpiKind = Literal["count", "rate"]


@dataclass(frozen=True)
class Kpi:
    """One headline figure of a window against the previous window of the same length."""

    key: str
    label: str
    value: float | None
    previous: float | None
    kind: KpiKind
    higher_is_better: bool
    help: str

    @property
    def change(self) -> float | None:
        """Counts: the relative change (0.12 is +12 %); rates: the difference (in fractions)."""
        if self.value is None or self.previous is None:
            return None
        if self.kind == "rate":
            return self.value - self.previous
        if self.previous == 0:
            return None
        return (self.value - self.previous) / self.previous

    def value_text(self) -> str:
        """The value as shown: '1,234', '3.1%', or '—' when unknown."""
        return _figure_text(self.value, self.kind)

    def change_text(self) -> str | None:
        """'+12.3%' (counts) or '+0.42 pp' (rates, percentage points); None without one."""
        change = self.change
        if change is None:
            return None
        if self.kind == "rate":
            return f"{change * 100:+.2f} pp"
        return f"{change:+.1%}"

    def previous_text(self) -> str:
        """The previous window's value as shown."""
        return _figure_text(self.previous, self.kind)


def _figure_text(value: float | None, kind: KpiKind) -> str:
    if value is None:
        return "—"
    return f"{value:.1%}" if kind == "rate" else f"{value:,.0f}"


_KPI_SPECS: tuple[tuple[str, str, KpiKind, bool, str], ...] = (
    ("window_sent", "Sent", "count", True, "Emails sent in the window, every step included."),
    ("window_replied", "Replies", "count", True, "Replies received in the window."),
    (
        "window_reply_rate",
        "Reply rate",
        "rate",
        True,
        "Replies per email sent in the window, weighted: all replies over all emails sent.",
    ),
    (
        "window_positive_replied",
        "Positive replies",
        "count",
        True,
        "Replies SmartLead categorised as positive (when its answers carry them).",
    ),
    (
        "window_bounce_rate",
        "Bounce rate",
        "rate",
        False,
        "Bounces per email sent in the window, weighted; lower is better.",
    ),
)


def _total(frame: pd.DataFrame | None, column: str) -> float | None:
    if frame is None or column not in frame.columns:
        return None
    values = pd.array(frame[column], dtype="Int64")
    known = values[~values.isna()]
    return float(known.sum()) if len(known) else None


def window_kpis(current: pd.DataFrame, previous: pd.DataFrame | None = None) -> list[Kpi]:
    """Sent, replies, reply rate, positive replies and bounce rate of the campaigns in
    ``current`` (joined with :func:`with_window`), each against ``previous`` (the same
    campaigns over the previous window) when given. Unknown counters are left out of sums;
    a sum with nothing known is None, as is a rate whose divisor sums to 0."""
    rates_now = portfolio_rates(current, rates=WINDOW_RATES)
    rates_before = portfolio_rates(previous, rates=WINDOW_RATES) if previous is not None else {}
    figures = []
    for key, label, kind, higher, help_text in _KPI_SPECS:
        if kind == "rate":
            value, before = rates_now.get(key), rates_before.get(key)
        else:
            value, before = _total(current, key), _total(previous, key)
        figures.append(Kpi(key, label, value, before, kind, higher, help_text))
    return figures


def campaigns_without_figures(frame: pd.DataFrame) -> int:
    """How many campaigns of ``frame`` have no window figures (sent unknown)."""
    if "window_sent" not in frame.columns:
        return len(frame)
    return int(pd.array(frame["window_sent"], dtype="Int64").isna().sum())
