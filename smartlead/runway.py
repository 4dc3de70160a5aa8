"""Lead runway: when each active campaign runs out of new leads, as a date in its own calendar.

A campaign that has used up its lead list stops sending new leads without a word; the client
notices days later. SmartLead's per-campaign analytics say how many leads have not been
started (``campaign_lead_stats.notStarted``, joined on as ``leads_not_started`` by
:func:`smartlead.rates.with_metrics`); this module turns that into a date. Pure: no network,
no disk, vectorised over the campaign frame.

The formula (:func:`with_runway`):

- ``runway_days = leads_not_started / pace``: sending days of new leads left, a float
  (2.5 means two full sending days and half of a third). ``pace`` is the daily limit
  (``max_leads_per_day``: new leads contacted per day), unless the date window shows the
  campaign sending fewer new leads than that (below).
- ``runway_date``: the ``ceil(runway_days)``-th sending day of the campaign, counted in its
  own time zone from today (or from tomorrow when today's sending window has already
  closed, or from its scheduled first send when that is later), skipping the weekdays it does
  not send on. A campaign that sends Monday to Friday with 3 sending days of leads on a
  Thursday morning sends its last new leads on Monday. It is always today or later, always
  one of the campaign's sending days; a campaign with no leads left has ``runway_days`` 0
  and today's date (it is dry now).
- ``runway_basis``: ``"limit"`` or ``"observed pace"``.

**The observed pace.** The date window's figures (:mod:`smartlead.window`) have no count of
*new* leads contacted per campaign: ``window_leads_contacted`` (SmartLead's
``unique_lead_count``, only with ``full_data``) counts every lead emailed in the window,
follow-ups to leads started earlier included, and ``window_sent`` counts every email. Both
are therefore *upper bounds* on the new leads a campaign started in the window (a new lead
gets at least one email, and is one lead emailed). Divided by the campaign's sending days in
the window (its own weekdays, from its creation or first send, today left out because today
is not over), the first of them that is known gives the most a campaign can have been
starting per sending day. When that bound is below the daily limit, the campaign certainly
starts fewer new leads than its limit, and the runway uses it: since it is an upper bound,
the date it gives is never later than the pace it measures would give, the safe side for a
refill queue. Above the limit it says nothing, and the limit is used. A campaign that sent
nothing in the window (from :data:`MIN_OBSERVED_DAYS` sending days on) has no runway: at a
pace of 0 it never runs dry, which is a different problem (mailboxes, a stuck campaign).
Caveat: a campaign paused for part of the window reads slower than it now sends.

Missing inputs give a missing runway (NA), never 0 or infinity, with the reason in
``runway_note``: not active, no lead statistics, no daily limit, a daily limit of 0, no
usable schedule, or no sending in the window.
"""

from __future__ import annotations

import functools
import math
import zoneinfo
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from smartlead import schedule, vocab
from smartlead.frame import Column, list_array
from smartlead.rates import with_metrics
from smartlead.window import Window, today_in

__all__ = [
    "BASIS_LIMIT",
    "BASIS_OBSERVED",
    "CLIENT_RUNWAY_COLUMNS",
    "FUNNEL_STAGES",
    "LEAD_COLUMNS",
    "MAX_DATED_DAYS",
    "MIN_OBSERVED_DAYS",
    "REFILL_COLUMNS",
    "RUNWAY_COLUMNS",
    "lead_funnel",
    "leads_left_text",
    "nth_sending_day",
    "refill_queue",
    "runway_by_client",
    "runway_text",
    "sending_days_between",
    "with_lead_stats",
    "with_runway",
]

BASIS_LIMIT = "limit"
BASIS_OBSERVED = "observed pace"

MIN_OBSERVED_DAYS = 3
"""Sending days a campaign must have had in the window before its pace is read from it: one
or two days (a campaign started yesterday, a window of one day) say too little."""

MAX_DATED_DAYS = 3660
"""Runways longer than about ten years get no date (only their days): no refill is due, and
a hostile count of leads must not overflow the calendar."""

LEAD_COLUMNS: tuple[str, ...] = (
    "leads_total",
    "leads_not_started",
    "leads_in_progress",
    "leads_completed",
    "leads_paused",
    "leads_stopped",
    "leads_blocked",
    "leads_interested",
)
"""The lead statistics :func:`smartlead.rates.with_metrics` joins on (``campaign_lead_stats``)."""

FUNNEL_STAGES: tuple[tuple[str, str], ...] = (
    ("leads_not_started", "Not started"),
    ("leads_in_progress", "In progress"),
    ("leads_completed", "Completed"),
    ("leads_blocked", "Blocked"),
    ("leads_interested", "Interested"),
)
"""The funnel's stages: column and label. Blocked and interested are counted beside the
three stages a lead moves through, not as a fourth and fifth."""

DATE_DTYPE = pd.ArrowDtype(pa.date32())

RUNWAY_COLUMNS: tuple[Column, ...] = (
    Column(
        "runway_days",
        "Float64",
        "Sending days of new leads left: leads_not_started / pace (a float: 2.5 is two full "
        "sending days and half of a third); 0 when no lead is left; null when an input is "
        "missing (see runway_note). Active campaigns only.",
    ),
    Column(
        "runway_date",
        str(DATE_DTYPE),
        "The day the campaign sends its last new leads, in its own time zone: the "
        "ceil(runway_days)-th of its sending days from today (tomorrow when today's window "
        "has closed); today when no lead is left.",
    ),
    Column(
        "runway_basis",
        "string",
        "What the pace is: 'limit' (max_leads_per_day) or 'observed pace' (fewer new leads a "
        "day in the date window than the limit).",
    ),
    Column("runway_pace", "Float64", "New leads a sending day the runway assumes."),
    Column(
        "runway_note",
        "string",
        "The pace in words, or why there is no runway (not active, no lead statistics, no "
        "daily limit, a limit of 0, no usable schedule, nothing sent in the window).",
    ),
)
"""Every column :func:`with_runway` adds to the campaign frame."""

_RUNWAY_NAMES = tuple(column.name for column in RUNWAY_COLUMNS)
_EPOCH = date(1970, 1, 1).toordinal()
_BITS = np.array([bin(mask).count("1") for mask in range(128)], dtype=np.int64)


# --------------------------------------------------------------------------- calendar


def _weekday(ordinals: np.ndarray) -> np.ndarray:
    """Weekday (0 = Monday) of proleptic Gregorian ordinals (``date.toordinal``)."""
    return (np.asarray(ordinals, dtype=np.int64) - 1) % 7


def _rolled(masks: np.ndarray, first_weekday: np.ndarray) -> np.ndarray:
    """(n × 7) booleans: whether each campaign sends ``o`` days after a day of
    ``first_weekday`` (column ``o``)."""
    offsets = (first_weekday[:, None] + np.arange(7)[None, :]) % 7
    return ((masks[:, None] >> offsets) & 1).astype(bool)


def sending_days_between(start: np.ndarray, end: np.ndarray, masks: np.ndarray) -> np.ndarray:
    """How many days from ``start`` to ``end`` (ordinals, both included) fall on a weekday of
    each campaign's day mask (bit d = weekday d, 0 = Monday); 0 when ``end < start``."""
    start = np.asarray(start, dtype=np.int64)
    masks = np.asarray(masks, dtype=np.int64) & 0x7F
    length = np.maximum(np.asarray(end, dtype=np.int64) - start + 1, 0)
    weeks, rest = np.divmod(length, 7)
    counted = _rolled(masks, _weekday(start)) & (np.arange(7)[None, :] < rest[:, None])
    return weeks * _BITS[masks] + counted.sum(axis=1)


def nth_sending_day(first: np.ndarray, nth: np.ndarray, masks: np.ndarray) -> np.ndarray:
    """The ordinal of the ``nth`` (1 = the first) sending day on or after ``first``, for each
    campaign's day mask (which must hold at least one day)."""
    first = np.asarray(first, dtype=np.int64)
    nth = np.asarray(nth, dtype=np.int64)
    masks = np.asarray(masks, dtype=np.int64) & 0x7F
    per_week = _BITS[masks]
    if np.any(per_week == 0) or np.any(nth < 1):
        raise ValueError("every campaign needs a sending day and a positive count")
    weeks, rest = np.divmod(nth - 1, per_week)
    seen = np.cumsum(_rolled(masks, _weekday(first)), axis=1)
    offset = np.argmax(seen >= (rest + 1)[:, None], axis=1)
    return first + 7 * weeks + offset


# --------------------------------------------------------------------------- inputs


def _numbers(frame: pd.DataFrame, name: str) -> np.ndarray:
    """A column as float64 with NaN where it is missing (or absent from the frame)."""
    if name not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.array(frame[name], dtype="Float64").to_numpy(dtype=np.float64, na_value=np.nan)


def _minutes(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame.columns:
        return np.full(len(frame), -1, dtype=np.int64)
    return pd.array(frame[name], dtype="Int64").to_numpy(dtype=np.int64, na_value=-1)


def _as_utc(now: datetime | pd.Timestamp | None) -> pd.Timestamp:
    moment = pd.Timestamp.now(tz="UTC") if now is None else pd.Timestamp(now)
    return moment.tz_localize("UTC") if moment.tzinfo is None else moment.tz_convert("UTC")


@functools.lru_cache(maxsize=512)
def _zone(name: str) -> zoneinfo.ZoneInfo:
    """The zone of a (checked) IANA name, loaded once: ``ZoneInfo`` keeps only a few."""
    return zoneinfo.ZoneInfo(name)


def _local_days(times: pd.Series, zone: str, rows: np.ndarray) -> np.ndarray:
    """The local date (ordinal) in ``zone`` of the UTC times at ``rows`` (-1 when missing)."""
    values = pd.to_datetime(times.iloc[rows], utc=True).dt.tz_convert(_zone(zone))
    ordinals = np.full(len(rows), -1, dtype=np.int64)
    known = values.notna().to_numpy()
    if known.any():
        days = values[known].dt.tz_localize(None).dt.floor("D")
        ordinals[known] = (days.to_numpy(dtype="datetime64[D]").astype(np.int64)) + _EPOCH
    return ordinals


# --------------------------------------------------------------------------- lead statistics


def with_lead_stats(frame: pd.DataFrame, counters: Mapping[int, Mapping[str, Any]]) -> pd.DataFrame:
    """The frame with the :data:`LEAD_COLUMNS` of ``counters`` (campaign id → the counters of
    its analytics answer) joined on by ``id`` (replaced when present); null where unknown.
    The other analytics columns are left out: only :func:`smartlead.rates.with_metrics`
    adds those (the dashboard's all-time figures)."""
    joined = with_metrics(frame[["id"]], counters)
    return frame.assign(**{name: joined[name] for name in LEAD_COLUMNS})


# --------------------------------------------------------------------------- the runway


def with_runway(
    frame: pd.DataFrame,
    *,
    now: datetime | pd.Timestamp | None = None,
    window: Window | None = None,
    window_today: date | None = None,
    min_observed_days: int = MIN_OBSERVED_DAYS,
) -> pd.DataFrame:
    """The campaign frame with the :data:`RUNWAY_COLUMNS` added (replaced when present).

        Reads ``status``, ``leads_not_started``, ``max_leads_per_day``, ``schedule_days``,
        ``schedule_timezone``, ``schedule_start_minute``/``schedule_end_minute``, and when there,
        ``schedule_start_time`` and ``created_at`` (its day counted in the window's time zone, like
    the window's days). ``window`` is the date window whose figures
        (``window_leads_contacted``, ``window_sent``) are joined on, if any: the observed pace
        comes from it (see the module docstring); ``window_today`` is today in the window's time
        zone (default: from ``now``). ``now`` defaults to the current time. Every row is kept, in
        order, with its index; ``frame`` itself is not changed.
    """
    moment = _as_utc(now)
    out = frame.drop(columns=[name for name in _RUNWAY_NAMES if name in frame.columns])
    size = len(out)
    days = np.full(size, np.nan)
    pace = np.full(size, np.nan)
    dated = np.full(size, -1, dtype=np.int64)
    basis = np.full(size, None, dtype=object)
    notes = np.full(size, None, dtype=object)
    if size == 0:
        return _assemble(out, days, dated, basis, pace, notes)

    status = (
        out["status"].astype("string").fillna(vocab.UNKNOWN_STATUS).to_numpy(dtype=object)
        if "status" in out.columns
        else np.full(size, vocab.UNKNOWN_STATUS, dtype=object)
    )
    active = status == vocab.ACTIVE
    leads = _numbers(out, "leads_not_started")
    limit = _numbers(out, "max_leads_per_day")
    masks = (
        schedule.day_masks(out)
        if "schedule_days" in out.columns
        else np.full(size, -1, dtype=np.int64)
    )
    start_minute = _minutes(out, "schedule_start_minute")
    end_minute = _minutes(out, "schedule_end_minute")
    zones = (
        out["schedule_timezone"].astype("string").to_numpy(dtype=object, na_value=None)
        if "schedule_timezone" in out.columns
        else np.full(size, None, dtype=object)
    )

    # Today, the minute of the day and the first day that can still send, per time zone.
    today = np.full(size, moment.date().toordinal(), dtype=np.int64)
    minute = np.full(size, moment.hour * 60 + moment.minute, dtype=np.int64)
    first_send = np.full(size, -1, dtype=np.int64)
    usable_zone = np.zeros(size, dtype=bool)
    later = (
        np.asarray((out["schedule_start_time"] > moment).fillna(False), dtype=bool)
        if "schedule_start_time" in out.columns
        else np.zeros(size, dtype=bool)
    )
    for zone in pd.unique(zones[active]):
        if zone is None or not schedule.is_valid_timezone(zone):
            continue
        in_zone = active & (zones == zone)
        rows = np.flatnonzero(in_zone)
        local = moment.tz_convert(_zone(zone))
        today[rows] = local.date().toordinal()
        minute[rows] = local.hour * 60 + local.minute
        usable_zone[rows] = True
        starting = np.flatnonzero(in_zone & later)  # a first send still to come (rare)
        if len(starting):
            first_send[starting] = _local_days(out["schedule_start_time"], zone, starting)

    def note(rows: np.ndarray, text: str) -> None:
        """Give ``rows`` that have no note yet this one (the first reason found wins)."""
        notes[rows & pd.isna(notes)] = text

    not_active = ~active
    notes[not_active] = [f"not sending ({value})" for value in status[not_active]]
    no_stats = active & np.isnan(leads)
    note(no_stats, "no lead statistics")
    dry = active & (leads == 0)
    days[dry] = 0.0
    dated[dry] = today[dry]
    note(dry, "no leads left")
    todo = active & (leads > 0)
    note(todo & np.isnan(limit), "no daily limit")
    note(todo & (limit == 0), "a daily limit of 0: no new leads go out")
    window_length = np.where(
        end_minute >= start_minute,
        end_minute - start_minute,
        end_minute - start_minute + schedule.MINUTES_PER_DAY,
    )
    usable_schedule = (
        usable_zone
        & (masks > 0)
        & ((masks & 0x7F) > 0)
        & (start_minute >= 0)
        & (end_minute >= 0)
        & (window_length > 0)
    )
    note(todo & ~usable_schedule, "no usable schedule (days, hours or time zone)")
    todo &= (limit > 0) & usable_schedule
    pace[todo] = limit[todo]
    basis[todo] = BASIS_LIMIT

    if window is not None:
        created = (
            _local_days(out["created_at"], window.timezone, np.arange(size))
            if "created_at" in out.columns
            else np.full(size, -1, dtype=np.int64)
        )
        observed, observed_days, measure = _observed_pace(
            out,
            window,
            window_today or today_in(window.timezone, moment.to_pydatetime()),
            masks,
            created,
            first_send,
        )
        judged = todo & (observed_days >= min_observed_days) & ~np.isnan(observed)
        slower = judged & (observed < limit)
        for row in np.flatnonzero(slower):
            if observed[row] == 0:
                notes[row] = (
                    f"sent nothing in {observed_days[row]} sending days of {window.label()}: "
                    "no pace to date it by"
                )
                todo[row] = False
                basis[row] = None
                pace[row] = np.nan
                continue
            pace[row] = observed[row]
            basis[row] = BASIS_OBSERVED
            notes[row] = (
                f"observed pace: at most {observed[row]:,.1f} {measure[row]} a sending day over "
                f"{observed_days[row]} sending days of {window.label()}, below its limit of "
                f"{limit[row]:,.0f}"
            )
    for row in np.flatnonzero(todo & (basis == BASIS_LIMIT)):
        notes[row] = f"at its daily limit of {limit[row]:,.0f} new leads"

    days[todo] = leads[todo] / pace[todo]
    dateable = todo & (days <= MAX_DATED_DAYS)
    for row in np.flatnonzero(todo & ~dateable):
        notes[row] = f"{notes[row]}; over {MAX_DATED_DAYS:,} sending days of leads: no date"
    if dateable.any():
        # Today counts unless its window has closed (a window past midnight closes tomorrow).
        closed = (end_minute > start_minute) & (minute >= end_minute)
        first = np.where(closed, today + 1, today)
        first = np.maximum(first, first_send)
        rows = np.flatnonzero(dateable)
        count = np.ceil(days[rows] - 1e-9).astype(np.int64)
        dated[rows] = nth_sending_day(first[rows], np.maximum(count, 1), masks[rows])
        beyond = rows[dated[rows] - today[rows] > MAX_DATED_DAYS]
        dated[beyond] = -1
        for row in beyond:
            notes[row] = f"{notes[row]}; more than {MAX_DATED_DAYS:,} days ahead: no date"
    return _assemble(out, days, dated, basis, pace, notes)


def _observed_pace(
    frame: pd.DataFrame,
    window: Window,
    window_today: date,
    masks: np.ndarray,
    created: np.ndarray,
    first_send: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(at most this many new leads a sending day, sending days it is measured over, what
    was counted) per campaign, from the window's figures (NaN where unknown)."""
    contacted = _numbers(frame, "window_leads_contacted")
    sent = _numbers(frame, "window_sent")
    counted = np.where(np.isnan(contacted), sent, contacted)
    measure = np.where(np.isnan(contacted), "emails", "leads emailed").astype(object)
    start = np.maximum.reduce([np.full(len(frame), window.start.toordinal()), created, first_send])
    end = np.minimum(window.end.toordinal(), window_today.toordinal() - 1)
    sending = sending_days_between(start, np.full(len(frame), end), np.maximum(masks, 0))
    with np.errstate(divide="ignore", invalid="ignore"):
        observed = np.where(sending > 0, counted / np.maximum(sending, 1), np.nan)
    return observed, sending, measure


def _assemble(
    out: pd.DataFrame,
    days: np.ndarray,
    dated: np.ndarray,
    basis: np.ndarray,
    pace: np.ndarray,
    notes: np.ndarray,
) -> pd.DataFrame:
    missing_date = dated < 0
    out["runway_days"] = pd.arrays.FloatingArray(np.nan_to_num(days), np.isnan(days))
    out["runway_date"] = pd.array(
        pa.array(
            np.where(missing_date, 0, dated - _EPOCH).astype(np.int32),
            type=pa.date32(),
            mask=missing_date,
        ),
        dtype=DATE_DTYPE,
    )
    out["runway_basis"] = pd.array(basis, dtype="string")
    out["runway_pace"] = pd.arrays.FloatingArray(np.nan_to_num(pace), np.isnan(pace))
    out["runway_note"] = pd.array(notes, dtype="string")
    return out


# --------------------------------------------------------------------------- summaries

REFILL_COLUMNS: tuple[str, ...] = (
    "runway_date",
    "client_name",
    "name",
    "id",
    "leads_not_started",
    "runway_days",
    "runway_pace",
    "runway_basis",
    "max_leads_per_day",
    "runway_note",
)
"""The refill queue's columns, in order."""

CLIENT_RUNWAY_COLUMNS: tuple[str, ...] = (
    "client_name",
    "earliest_dry_date",
    "first_to_run_dry",
    "active_campaigns",
    "dry_now",
    "without_runway",
    "leads_not_started",
    "new_leads_per_day",
    "leads_waiting_paused",
)
""":func:`runway_by_client`'s columns, in order."""


def _client_labels(frame: pd.DataFrame) -> pd.Series:
    if "client_name" not in frame.columns:
        return pd.Series(vocab.NO_CLIENT, index=frame.index, dtype="string")
    return frame["client_name"].astype("string").fillna(vocab.NO_CLIENT)


def _is(frame: pd.DataFrame, status: str) -> np.ndarray:
    if "status" not in frame.columns:
        return np.zeros(len(frame), dtype=bool)
    return np.asarray((frame["status"].astype("string") == status).fillna(False), dtype=bool)


def _require(frame: pd.DataFrame, columns: Sequence[str]) -> None:
    absent = [name for name in columns if name not in frame.columns]
    if absent:
        raise ValueError(
            f"the frame has no {', '.join(absent)} column: join the lead statistics and "
            "with_runway first"
        )


def refill_queue(frame: pd.DataFrame, until: date | None = None) -> pd.DataFrame:
    """Active campaigns with a runway date, the soonest first: what to refill, in order.

    Ordered by ``runway_date``, then ``runway_days`` (the emptier first on the same day),
    then client, name and id, so the order is stable. ``until`` keeps the dates up to that
    day. Columns: :data:`REFILL_COLUMNS` (those the frame has), with the frame's index.
    """
    _require(frame, ("runway_date", "runway_days"))
    dates = frame["runway_date"]
    keep = _is(frame, vocab.ACTIVE) & np.asarray(dates.notna(), dtype=bool)
    if until is not None:
        keep &= np.asarray((dates <= until).fillna(False), dtype=bool)
    chosen = frame.loc[keep, [c for c in REFILL_COLUMNS if c in frame.columns]]
    order = ["runway_date", "runway_days"] + [
        c for c in ("client_name", "name", "id") if c in chosen.columns
    ]
    keys = chosen[order].copy()
    for column in ("client_name", "name"):
        if column in keys.columns:
            keys[column] = keys[column].astype("string").str.lower()
    ranked = keys.sort_values(order, na_position="last", kind="stable").index
    return chosen.loc[ranked]


def runway_by_client(frame: pd.DataFrame) -> pd.DataFrame:
    """Per client: when its first active campaign runs dry, and how many leads it has left.

    One row per client with an active or paused campaign (:data:`CLIENT_RUNWAY_COLUMNS`):
    the earliest ``runway_date`` of its active campaigns and that campaign's name (the
    emptier first on the same day), its
    active campaigns, how many of them are dry now and how many have no runway (missing
    inputs), the leads not started over its active campaigns and the new leads a day they
    start, and the leads waiting in its paused campaigns. Sums of nothing known are null,
    not 0. The earliest date first, clients without one last.
    """
    _require(frame, ("runway_date", "runway_days", "leads_not_started"))
    active = _is(frame, vocab.ACTIVE)
    paused = _is(frame, vocab.PAUSED)
    work = pd.DataFrame(
        {
            "client_name": _client_labels(frame).to_numpy(dtype=object),
            "active": active,
            "date": frame["runway_date"].where(active).to_numpy(dtype=object, na_value=None),
            "name": (
                frame["name"].astype("string").to_numpy(dtype=object, na_value=None)
                if "name" in frame.columns
                else None
            ),
            "days": _numbers(frame, "runway_days"),
            "dry": active & np.asarray((frame["runway_days"] == 0).fillna(False), dtype=bool),
            "unknown": active & np.asarray(frame["runway_days"].isna(), dtype=bool),
            "leads": frame["leads_not_started"].astype("Int64").where(active, pd.NA),
            "waiting": frame["leads_not_started"].astype("Int64").where(paused, pd.NA),
            "pace": pd.Series(_numbers(frame, "runway_pace"), index=frame.index)
            .astype("Float64")
            .where(active, pd.NA),
        }
    )
    work = work[active | paused]
    columns = {
        name: pd.Series(dtype=dtype)
        for name, dtype in (
            ("client_name", "string"),
            ("earliest_dry_date", DATE_DTYPE),
            ("first_to_run_dry", "string"),
            ("active_campaigns", "Int64"),
            ("dry_now", "Int64"),
            ("without_runway", "Int64"),
            ("leads_not_started", "Int64"),
            ("new_leads_per_day", "Float64"),
            ("leads_waiting_paused", "Int64"),
        )
    }
    if work.empty:
        return pd.DataFrame(columns)
    grouped = work.groupby("client_name", sort=False)
    dated = work[work["date"].notna()]
    first = (
        dated.assign(_name=dated["name"].fillna("").astype(str).str.lower())
        .sort_values(["date", "days", "_name"], kind="stable")
        .groupby("client_name", sort=False)
        .head(1)
        .set_index("client_name")
    )
    result = pd.DataFrame({"client_name": pd.array(list(grouped.groups), dtype="string")})
    names = result["client_name"].to_numpy(dtype=object)
    result["earliest_dry_date"] = pd.array(
        [first["date"].get(name) for name in names], dtype=DATE_DTYPE
    )
    result["first_to_run_dry"] = pd.array(
        [first["name"].get(name) for name in names], dtype="string"
    )
    result["active_campaigns"] = pd.array(grouped["active"].sum().reindex(names), dtype="Int64")
    result["dry_now"] = pd.array(grouped["dry"].sum().reindex(names), dtype="Int64")
    result["without_runway"] = pd.array(grouped["unknown"].sum().reindex(names), dtype="Int64")
    result["leads_not_started"] = pd.array(
        grouped["leads"].sum(min_count=1).reindex(names), dtype="Int64"
    )
    result["new_leads_per_day"] = pd.array(
        grouped["pace"].sum(min_count=1).reindex(names), dtype="Float64"
    )
    result["leads_waiting_paused"] = pd.array(
        grouped["waiting"].sum(min_count=1).reindex(names), dtype="Int64"
    )
    order = result.assign(_lower=result["client_name"].str.lower()).sort_values(
        ["earliest_dry_date", "_lower"], na_position="last", kind="stable"
    )
    return order.drop(columns="_lower").reset_index(drop=True)[list(CLIENT_RUNWAY_COLUMNS)]


def _group_rows(frame: pd.DataFrame, by: str) -> tuple[np.ndarray, np.ndarray]:
    """(row positions, group labels): one pair per row, or per tag for ``by="tags"`` (a
    campaign with two tags counts under both; one without under :data:`vocab.UNTAGGED`)."""
    if by != "tags":
        labels = (
            _client_labels(frame)
            if by == "client_name"
            else frame[by].astype("string").fillna(vocab.NO_GROUP)
        )
        return np.arange(len(frame)), labels.to_numpy(dtype=object)
    lists = list_array(frame["tags"], pa.string())
    rows: list[int] = []
    labels: list[str] = []
    for position, tags in enumerate(lists.to_pylist()):
        names = [t for t in dict.fromkeys(tags or []) if t is not None and str(t).strip()]
        for name in names or [vocab.UNTAGGED]:
            rows.append(position)
            labels.append(str(name))
    return np.array(rows, dtype=np.int64), np.array(labels, dtype=object)


def lead_funnel(frame: pd.DataFrame, by: str = "client_name") -> pd.DataFrame:
    """Leads per stage per client (``by="client_name"``) or per tag (``by="tags"``).

    Over the campaigns of ``frame`` whose lead statistics are known (any status): how many,
    their leads in total and in each of :data:`FUNNEL_STAGES` (a stage nobody reported is
    null, not 0), and the share of the total that completed. The most leads first.
    """
    _require(frame, ("leads_total", *(name for name, _ in FUNNEL_STAGES)))
    stats = pd.DataFrame(
        {
            name: pd.array(frame[name], dtype="Int64")
            for name in ("leads_total", *dict(FUNNEL_STAGES))
        },
        index=frame.index,
    )
    known = np.asarray(stats.notna().any(axis=1), dtype=bool)
    rows, labels = _group_rows(frame, by)
    keep = known[rows]
    rows, labels = rows[keep], labels[keep]
    work = stats.iloc[rows].reset_index(drop=True)
    work.insert(0, "group", pd.array(labels, dtype="string"))
    grouped = work.groupby("group", sort=False)
    summed = grouped.sum(min_count=1)
    summed.insert(0, "campaigns", grouped.size().astype("Int64"))
    summed = summed.reset_index().rename(columns={"group": by})
    total = summed["leads_total"].astype("Float64")
    summed["completed_share"] = (
        summed["leads_completed"].astype("Float64") / total.where(total > 0)
    ).astype("Float64")
    summed = summed.assign(_lower=summed[by].str.lower()).sort_values(
        ["leads_total", "_lower"], ascending=[False, True], na_position="last", kind="stable"
    )
    return summed.drop(columns="_lower").reset_index(drop=True)


def leads_left_text(value: Any) -> str:
    """'1,234 leads' or '—'."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{int(value):,} leads"


def runway_text(days: Any, when: Any) -> str:
    """'2.5 sending days, until Mon 23 Nov 2026', 'no leads left', or '—'."""
    if days is None or days is pd.NA or (isinstance(days, float) and math.isnan(days)):
        return "—"
    if days == 0:
        return "no leads left: dry now"
    if when is None or when is pd.NA:
        return f"{days:,.1f} sending days"
    return f"{days:,.1f} sending days, last new leads on {when:%a %d %b %Y}"
