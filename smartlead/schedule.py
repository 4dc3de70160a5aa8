"""When the whole portfolio sends, and how much it may send per day: schedules, seen together.

SmartLead shows one campaign's sending window at a time, in that campaign's own time zone. An
agency needs the opposite view: every campaign's window laid on one week, in the time zone of
the person looking, to see when the portfolio sends, how much each client may send per day,
and which campaigns send at night or at weekends.

How the week is built
    A week is seven calendar days, Monday to Sunday (ISO weeks), in the *viewer's* time zone.
    Any date picks the week that contains it (:func:`week_start`). The week is cut into 168
    wall-clock hours of the viewer's zone; each campaign's window (its weekdays, numbered as
    everywhere in the package from 0 = Monday, and its start and end in its own zone) is
    placed on real instants with :mod:`zoneinfo`, so daylight-saving changes on either side
    are handled: a New York 09:00–17:00 window is 14:00–22:00 in London in early March,
    13:00–21:00 between the US change (8 March 2026) and the UK one (29 March 2026), and
    14:00–22:00 again afterwards.

    A window whose end is before its start runs past midnight: it opens on the listed day and
    its part after midnight belongs to the next day. A window whose end equals its start is
    ambiguous (24 h or nothing?): it is treated as *empty* (the campaign never sends) and
    reported by :func:`schedule_problems`.

Half hours: fractional coverage, counted as "any part of the hour"
    The coverage matrix holds, for each schedule and each viewer hour, the *fraction* of that
    hour inside the window (a 09:30 start covers 0.5 of hour 9; an Asia/Kolkata window seen
    from UTC starts and ends on half hours). Everything that *counts campaigns* (the heatmap's
    ``campaigns``, ``daily_limit`` and ``busiest``) counts a campaign in an hour when *any part*
    of the hour is inside its window, so the count, the limit and the tooltip names always
    describe the same campaigns. Everything that *measures time* (the heatmap's
    ``campaign_hours``, :func:`off_hours`' ``weekend_hours`` and ``night_hours``) uses the
    exact fractions.

    On the viewer's own daylight-saving days an hour can be skipped (spring: the cell has no
    length and nothing sends in it) or repeated (autumn: the cell lasts two real hours and the
    fraction is taken over both). On the campaign's side, a start or end time skipped by a
    spring change is read as the moment of the change (the clock jumps past it), and a time
    that happens twice in autumn is read at its first occurrence.

Speed
    Portfolios repeat a few distinct schedules (time zone, days, start, end) thousands of
    times. Each distinct schedule is placed on the week once, giving a (distinct × 168)
    matrix; counts and limits are then summed per distinct schedule with ``np.bincount`` and
    spread over the hours with one matrix product. Wall-clock times become instants with one
    vectorised call per time zone. No Python loop runs per campaign or per campaign-hour, so
    a 5,000-campaign heatmap takes tens of milliseconds.

Nothing is dropped silently: campaigns whose schedule cannot be placed (no schedule, unknown
time zone, no days, an empty window) are left out of the heatmap and listed, with the reason
in words, by :func:`schedule_problems`; active ones that cannot count towards daily capacity
are listed by :func:`unscheduled_active`.
"""

from __future__ import annotations

import functools
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from smartlead import vocab
from smartlead.frame import days_of_mask, describe_days, format_clock, list_array

DEFAULT_STATUSES: tuple[str, ...] = vocab.SENDING
"""Statuses whose campaigns the schedule views count by default: only ACTIVE ones send.

Pass ``statuses=vocab.RESUMABLE`` to see what the portfolio would send if paused campaigns
resumed, or ``statuses=None`` for every campaign whatever its status.
"""

NIGHT_HOURS: tuple[int, int] = (20, 7)
"""The night, in the viewer's time zone: from 20:00 to 07:00 (start hour, end hour).

Cold email that lands in the evening or before breakfast is read on a phone, skimmed and
reported more often than mail that arrives during the working day. A start later than the end
runs past midnight (the default); ``(0, 6)`` would mean 00:00–06:00.
"""

HOURS_PER_WEEK = 168
MINUTES_PER_DAY = 24 * 60

DAILY_LIMIT_CAP = 10**9
"""Daily limits above this are counted as this, so sums stay exact (SmartLead allows far less)."""

BUSIEST_COUNT = 3
"""How many campaign names the heatmap's ``busiest`` tooltip lists per hour."""

BUSIEST_NAME_LENGTH = 48
"""Longer campaign names are cut (with an ellipsis) in the ``busiest`` tooltip text."""

_NA = np.iinfo(np.int64).min
_SCHEDULE_FIELD = "scheduler_cron_value"
# A campaign's window can touch the viewer's week from this many local days before the
# viewer's Monday to this many after: time zones differ by up to 26 h and a window that runs
# past midnight lasts until the following midnight.
_LOCAL_DAYS_BEFORE = 3
_LOCAL_DAYS_AFTER = 9
_HOST_DEPENDENT_ZONES = frozenset({"localtime", "posixrules"})


# --------------------------------------------------------------------------- time zones, weeks


@functools.cache
def _known_zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones()) - _HOST_DEPENDENT_ZONES


@functools.lru_cache(maxsize=1024)
def _zone(name: str) -> zoneinfo.ZoneInfo | None:
    """The zone for an IANA name, or None when the name is not one (names are untrusted)."""
    if name not in _known_zone_names():
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except Exception:  # an untrusted name must never crash a view; it is reported instead
        return None


def is_valid_timezone(name: Any) -> bool:
    """True when ``name`` is an IANA time zone name this machine knows (e.g. 'Europe/London')."""
    return isinstance(name, str) and _zone(name) is not None


def viewer_zone(viewer_tz: str) -> zoneinfo.ZoneInfo:
    """The viewer's zone; a ValueError in words when the name is not an IANA time zone."""
    zone = _zone(viewer_tz) if isinstance(viewer_tz, str) else None
    if zone is None:
        raise ValueError(f"unknown time zone: {viewer_tz!r} (expected an IANA name)")
    return zone


def week_start(week_of: date | datetime | str) -> date:
    """The Monday of the ISO week (Monday–Sunday) that contains ``week_of``.

    ``week_of`` is a calendar date in the viewer's time zone; a datetime gives its own date
    and an ISO string ('2026-03-11') is parsed.
    """
    if isinstance(week_of, str):
        week_of = date.fromisoformat(week_of.strip()[:10])
    if isinstance(week_of, datetime):
        week_of = week_of.date()
    if not isinstance(week_of, date):
        raise TypeError(f"week_of must be a date, got {type(week_of).__name__}")
    return week_of - timedelta(days=week_of.weekday())


def wall_to_instant(naive: np.ndarray, zone: zoneinfo.ZoneInfo) -> np.ndarray:
    """Epoch seconds of wall-clock times (``datetime64[s]``, no zone) read in ``zone``.

    A time skipped by a spring-forward change is moved to the change itself (a 02:30 start
    on that night opens at 03:00, when the clock jumps past 02:30); a time that happens twice
    in autumn is taken at its first occurrence. Vectorised through pandas.
    """
    index = pd.DatetimeIndex(np.asarray(naive, dtype="datetime64[s]"))
    local = index.tz_localize(
        zone, ambiguous=np.ones(len(index), dtype=bool), nonexistent="shift_forward"
    )
    return local.as_unit("s").asi8.astype(np.float64)


# --------------------------------------------------------------------------- distinct schedules


def day_masks(frame: pd.DataFrame) -> np.ndarray:
    """One int per campaign: bit ``d`` set when it sends on weekday ``d`` (0 = Monday … 6).

    ``-1`` marks a campaign whose days are unknown (null); ``0`` one with an empty day list.
    Computed with Arrow on the whole column at once.
    """
    days = list_array(frame["schedule_days"], pa.int64())
    masks = np.zeros(len(days), dtype=np.int64)
    values = pc.list_flatten(days).fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    parents = pc.list_parent_indices(days).to_numpy(zero_copy_only=False).astype(np.int64)
    usable = (values >= 0) & (values <= 6)
    np.bitwise_or.at(masks, parents[usable], np.left_shift(1, values[usable]))
    if days.null_count:
        masks[days.is_null().to_numpy(zero_copy_only=False)] = -1
    return masks


def window_minutes(frame: pd.DataFrame) -> pd.Series:
    """Length of each campaign's daily window in minutes (Float64; NA when start or end is unknown).

    A window ending before it starts runs past midnight (22:00–06:00 is 480 minutes); one
    ending when it starts is empty (0), not 24 h.
    """
    start = _int_or_na(frame["schedule_start_minute"])
    end = _int_or_na(frame["schedule_end_minute"])
    known = (start != _NA) & (end != _NA)
    start, end = np.where(known, start, 0), np.where(known, end, 0)
    length = np.where(end >= start, end - start, end - start + MINUTES_PER_DAY)
    values = pd.array(length.astype(np.float64), dtype="Float64")
    values[~known] = pd.NA
    return pd.Series(values, index=frame.index, name="window_minutes")


def _int_or_na(series: pd.Series) -> np.ndarray:
    """An int64 array with ``_NA`` where the value is missing or not a whole number."""
    numbers = pd.to_numeric(series, errors="coerce").astype("Float64")
    values = numbers.to_numpy(dtype="float64", na_value=np.nan)
    whole = np.isfinite(values) & (np.abs(values) < 2**53) & (values == np.floor(values))
    result = np.full(len(values), _NA, dtype=np.int64)
    result[whole] = values[whole].astype(np.int64)
    return result


@dataclass(frozen=True)
class DistinctSchedules:
    """The portfolio's distinct schedules, and which one each campaign (row) uses.

    Every array but ``codes`` has one entry per distinct schedule; ``codes[row]`` indexes
    them. ``placeable`` schedules can be drawn on a week (known zone, at least one day, a
    window of positive length); ``countable`` ones can count towards daily capacity (as
    placeable, but the zone is not needed: a campaign sends on its own weekdays).
    """

    codes: np.ndarray
    timezone: np.ndarray  # object: the raw zone name, or None
    day_mask: np.ndarray  # int64: bit d = sends on weekday d (0 = Monday); -1 = unknown days
    start_minute: np.ndarray  # int64, _NA when unknown
    end_minute: np.ndarray  # int64, _NA when unknown
    unreadable: np.ndarray  # bool: part of the raw schedule could not be read
    placeable: np.ndarray  # bool
    countable: np.ndarray  # bool
    problems: tuple[tuple[tuple[str, str], ...], ...]  # per schedule: (code, words) pairs

    def __len__(self) -> int:
        return len(self.timezone)

    def weekdays(self) -> np.ndarray:
        """(distinct × 7) booleans, column ``d`` = sends on weekday ``d`` (0 = Monday)."""
        known = np.where(self.day_mask < 0, 0, self.day_mask)
        return ((known[:, None] >> np.arange(7)[None, :]) & 1).astype(bool)


def distinct_schedules(frame: pd.DataFrame) -> DistinctSchedules:
    """Factorise the frame's schedules (zone, days, start, end) and check each distinct one once."""
    zone_series = frame["schedule_timezone"]
    zone_codes, zone_names = pd.factorize(zone_series, use_na_sentinel=True)
    zone_codes = np.asarray(zone_codes, dtype=np.int64)
    zone_labels = [None if pd.isna(name) else str(name) for name in zone_names]
    masks = day_masks(frame)
    start = _int_or_na(frame["schedule_start_minute"])
    end = _int_or_na(frame["schedule_end_minute"])
    unreadable = _unreadable_schedule(frame)
    columns = [zone_codes, masks, start, end, unreadable.astype(np.int64)]
    codes, first_rows = _distinct_rows(columns)
    unique_keys = np.stack([column[first_rows] for column in columns], axis=1).reshape(-1, 5)

    timezone = np.array(
        [zone_labels[code] if code >= 0 else None for code in unique_keys[:, 0]], dtype=object
    )
    problems = tuple(
        _problems_of(tz, int(mask), int(s), int(e), bool(bad))
        for tz, mask, s, e, bad in zip(
            timezone,
            unique_keys[:, 1],
            unique_keys[:, 2],
            unique_keys[:, 3],
            unique_keys[:, 4],
            strict=True,
        )
    )
    blocking_count = {"no_days", "no_hours", "hours_out_of_range", "empty_window", "no_schedule"}
    countable = np.array(
        [not any(code in blocking_count for code, _ in found) for found in problems], dtype=bool
    )
    placeable = countable & np.array(
        [_zone(tz) is not None if tz else False for tz in timezone], dtype=bool
    )
    return DistinctSchedules(
        codes=codes,
        timezone=timezone,
        day_mask=unique_keys[:, 1].copy(),
        start_minute=unique_keys[:, 2].copy(),
        end_minute=unique_keys[:, 3].copy(),
        unreadable=unique_keys[:, 4].astype(bool),
        placeable=placeable,
        countable=countable,
        problems=problems,
    )


def _distinct_rows(columns: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Codes of the distinct rows of equal-length int64 columns, and each code's first row.

    Columns are folded in one at a time (``code × cardinality + column code``, re-factorised),
    so no intermediate key can overflow and no sort of the whole table is needed.
    """
    row_count = len(columns[0])
    codes = np.zeros(row_count, dtype=np.int64)
    for column in columns:
        column_codes, uniques = pd.factorize(column)
        combined = codes * max(len(uniques), 1) + np.asarray(column_codes, dtype=np.int64)
        codes = np.asarray(pd.factorize(combined)[0], dtype=np.int64)
    _, first_rows = np.unique(codes, return_index=True)
    return codes, first_rows


def _unreadable_schedule(frame: pd.DataFrame) -> np.ndarray:
    if "unreadable_fields" not in frame:
        return np.zeros(len(frame), dtype=bool)
    found = frame["unreadable_fields"].astype("string").str.contains(_SCHEDULE_FIELD, regex=False)
    return np.asarray(found.fillna(False), dtype=bool)


def _problems_of(
    tz: str | None, mask: int, start: int, end: int, unreadable: bool
) -> tuple[tuple[str, str], ...]:
    """What stops one distinct schedule from being drawn, as (code, words) pairs."""
    found: list[tuple[str, str]] = []
    if unreadable:
        found.append(
            ("unreadable", "part or all of the schedule could not be read (kept what could be)")
        )
    if tz is None and mask == -1 and start == _NA and end == _NA:
        if not unreadable:
            found.append(("no_schedule", "no schedule set"))
        else:
            found.append(("no_schedule", "no usable schedule"))
        return tuple(found)
    if tz is None:
        found.append(("no_timezone", "no time zone"))
    elif _zone(tz) is None:
        found.append(("unknown_timezone", f"unknown time zone {_quoted(tz)}"))
    if mask == -1:
        found.append(("no_days", "sending days missing"))
    elif mask & 0x7F == 0:
        found.append(("no_days", "no sending days selected"))
    if start == _NA or end == _NA:
        found.append(("no_hours", "start or end time missing"))
    elif not (0 <= start <= MINUTES_PER_DAY and 0 <= end <= MINUTES_PER_DAY):
        found.append(("hours_out_of_range", "start or end time outside 00:00–24:00"))
    elif _window_length(start, end) == 0:
        found.append(
            (
                "empty_window",
                f"window {format_clock(start)}–{format_clock(end)} has no length: "
                "treated as empty, never sends",
            )
        )
    return tuple(found)


def _quoted(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _window_length(start: int, end: int) -> int:
    if end > start:
        return end - start
    if end < start:
        return end - start + MINUTES_PER_DAY
    return 0


# --------------------------------------------------------------------------- the week's coverage


@dataclass(frozen=True)
class WeekCoverage:
    """Which hours of one viewer week each distinct schedule sends in.

    ``matrix[d, c]`` is the fraction (0–1) of viewer hour ``c`` (``c = weekday * 24 + hour``,
    weekday 0 = Monday) inside the windows of distinct schedule ``d``; rows of schedules that
    cannot be placed are all zero. ``cell_start`` holds each hour's start in the viewer's zone
    and ``cell_minutes`` its real length (60, or 0 / 120 on the viewer's DST days).
    """

    week_start: date
    viewer_tz: str
    schedules: DistinctSchedules
    matrix: np.ndarray
    cell_start: pd.DatetimeIndex
    cell_minutes: np.ndarray

    def campaign_matrix(self) -> np.ndarray:
        """(campaigns × 168) fractions, one row per frame row (for small frames and tests)."""
        return self.matrix[self.schedules.codes]


def week_coverage(
    frame: pd.DataFrame, week_of: date | datetime | str, viewer_tz: str
) -> WeekCoverage:
    """Place every distinct schedule of ``frame`` on the viewer's week (see the module notes)."""
    zone = viewer_zone(viewer_tz)
    monday = week_start(week_of)
    hours = np.datetime64(monday, "s") + np.arange(HOURS_PER_WEEK + 1) * np.timedelta64(3600, "s")
    edges = wall_to_instant(hours, zone)
    schedules = distinct_schedules(frame)
    matrix = _coverage_matrix(schedules, monday, edges)
    cell_start = pd.DatetimeIndex(
        pd.to_datetime(edges[:-1].astype(np.int64), unit="s", utc=True)
    ).tz_convert(zone)
    cell_minutes = np.diff(edges) / 60.0
    return WeekCoverage(monday, viewer_tz, schedules, matrix, cell_start, cell_minutes)


def _coverage_matrix(schedules: DistinctSchedules, monday: date, edges: np.ndarray) -> np.ndarray:
    """(distinct × 168) fractions of each viewer hour inside each placeable schedule's windows.

    Every window a placeable schedule opens on the local days around the week becomes a pair
    of wall-clock times, turned into real instants with one vectorised call per time zone;
    all windows are then intersected with the 168 hour cells in one array operation.
    """
    size = len(schedules)
    matrix = np.zeros((size, HOURS_PER_WEEK), dtype=np.float64)
    placeable = np.flatnonzero(schedules.placeable)
    if len(placeable) == 0:
        return matrix
    offsets = np.arange(-_LOCAL_DAYS_BEFORE, _LOCAL_DAYS_AFTER + 1)
    local_midnight = np.datetime64(monday, "s") + offsets * np.timedelta64(86400, "s")
    local_weekday = offsets % 7  # ``monday`` is a Monday, weekday 0
    start = schedules.start_minute[placeable]
    end = schedules.end_minute[placeable]
    close_minute = np.where(end > start, end, end + MINUTES_PER_DAY)  # past midnight: next day
    sends = (schedules.day_mask[placeable][:, None] >> local_weekday[None, :]) & 1 == 1
    which, day = np.nonzero(sends)  # one entry per window: (schedule position, local day)
    owner = placeable[which]
    minute = np.timedelta64(60, "s")
    open_wall = local_midnight[day] + start[which] * minute
    close_wall = local_midnight[day] + close_minute[which] * minute
    open_at = np.empty(len(owner))
    close_at = np.empty(len(owner))
    zones = schedules.timezone[owner].astype(str)
    for name in np.unique(zones):
        chosen = zones == name
        zone = _zone(name)
        if zone is None:  # not reached: placeable schedules have a known zone
            continue
        both = wall_to_instant(np.concatenate([open_wall[chosen], close_wall[chosen]]), zone)
        open_at[chosen], close_at[chosen] = np.split(both, 2)
    overlap = np.minimum(close_at[:, None], edges[None, 1:]) - np.maximum(
        open_at[:, None], edges[None, :-1]
    )
    np.add.at(matrix, owner, np.clip(overlap, 0.0, None))
    cell_seconds = np.diff(edges)
    has_length = cell_seconds > 0
    matrix[:, has_length] /= cell_seconds[has_length]
    matrix[:, ~has_length] = 0.0
    return np.clip(matrix, 0.0, 1.0)


# --------------------------------------------------------------------------- selections, helpers


def status_mask(frame: pd.DataFrame, statuses: Iterable[str] | None) -> np.ndarray:
    """Booleans: the campaign's status is one of ``statuses`` (None selects every campaign)."""
    if statuses is None:
        return np.ones(len(frame), dtype=bool)
    if isinstance(statuses, str):
        statuses = (statuses,)
    wanted = [str(status) for status in statuses]
    return np.asarray(frame["status"].isin(wanted), dtype=bool)


def daily_limits(frame: pd.DataFrame) -> np.ndarray:
    """Daily limits as float64: unknown or negative ones count as 0, absurd ones are capped."""
    limits = pd.to_numeric(frame["max_leads_per_day"], errors="coerce").astype("Float64")
    values = limits.fillna(0).to_numpy(dtype="float64")
    return np.clip(np.nan_to_num(values, nan=0.0, posinf=0.0, neginf=0.0), 0, DAILY_LIMIT_CAP)


def _text_column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name not in frame:
        return pd.Series(pd.array([None] * len(frame), dtype="string"), index=frame.index)
    return frame[name].astype("string")


def _campaign_table(frame: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    """The identifying columns (id, name, client_name, status, schedule_summary) of some rows."""
    part = frame.iloc[rows]
    return pd.DataFrame(
        {
            "id": part["id"].astype("Int64").to_numpy(),
            "name": _text_column(part, "name").to_numpy(),
            "client_name": _text_column(part, "client_name").to_numpy(),
            "status": _text_column(part, "status").to_numpy(),
            "schedule_summary": _text_column(part, "schedule_summary").to_numpy(),
        }
    )


def _label(name: Any, campaign_id: Any, limit: int = BUSIEST_NAME_LENGTH) -> str:
    text = "" if name is None or name is pd.NA else " ".join(str(name).split())
    if not text:
        text = "(unnamed" + ("" if campaign_id is pd.NA else f" #{campaign_id}") + ")"
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------- heatmap


HEATMAP_COLUMNS: tuple[str, ...] = (
    "weekday",
    "weekday_name",
    "hour",
    "hour_start",
    "cell_minutes",
    "campaigns",
    "campaign_hours",
    "daily_limit",
    "busiest",
)


def weekly_heatmap(
    frame: pd.DataFrame,
    week_of: date | datetime | str,
    viewer_tz: str,
    statuses: Iterable[str] | None = DEFAULT_STATUSES,
) -> pd.DataFrame:
    """When the selected campaigns send during one week, hour by hour, in ``viewer_tz``.

    Long form, always 168 rows (Monday 00:00 first):

    - ``weekday`` (0 = Monday … 6 = Sunday), ``weekday_name`` ('Mon' …), ``hour`` (0–23);
    - ``hour_start``: the hour's start, tz-aware in the viewer's zone;
    - ``cell_minutes``: the hour's real length (60; 0 or 120 on the viewer's DST days);
    - ``campaigns``: campaigns sending during any part of the hour;
    - ``campaign_hours``: the same, weighted by the fraction of the hour each one covers;
    - ``daily_limit``: the sum of those campaigns' ``max_leads_per_day``;
    - ``busiest``: up to 3 of those campaigns with the highest daily limit, as plain text
      ('Name (500/day); Other (300/day)') for a tooltip.

    ``week_of`` is any date of the wanted ISO week, in the viewer's zone (see
    :func:`week_start`). Campaigns whose schedule cannot be placed are left out; list them
    with :func:`schedule_problems`.
    """
    coverage = week_coverage(frame, week_of, viewer_tz)
    schedules = coverage.schedules
    chosen = np.flatnonzero(status_mask(frame, statuses) & schedules.placeable[schedules.codes])
    codes = schedules.codes[chosen]
    limits = daily_limits(frame)[chosen]
    size = len(schedules)
    count_per_schedule = np.bincount(codes, minlength=size).astype(np.float64)
    limit_per_schedule = np.bincount(codes, weights=limits, minlength=size)
    sending = coverage.matrix > 0
    campaigns = count_per_schedule @ sending
    campaign_hours = count_per_schedule @ coverage.matrix
    daily_limit = limit_per_schedule @ sending

    weekday = np.repeat(np.arange(7), 24)
    hour = np.tile(np.arange(24), 7)
    return pd.DataFrame(
        {
            "weekday": weekday.astype(np.int64),
            "weekday_name": pd.array([vocab.WEEKDAYS[d] for d in weekday], dtype="str"),
            "hour": hour.astype(np.int64),
            "hour_start": coverage.cell_start,
            "cell_minutes": np.round(coverage.cell_minutes).astype(np.int64),
            "campaigns": np.round(campaigns).astype(np.int64),
            "campaign_hours": np.round(campaign_hours, 6),
            "daily_limit": np.round(daily_limit).astype(np.int64),
            "busiest": pd.array(_busiest(frame, chosen, codes, limits, sending), dtype="str"),
        }
    )


def _busiest(
    frame: pd.DataFrame,
    chosen: np.ndarray,
    codes: np.ndarray,
    limits: np.ndarray,
    sending: np.ndarray,
) -> list[str]:
    """Per hour, the names of the (up to 3) sending campaigns with the highest daily limits.

    Ties go to the lower id. The top 3 of an hour are among the top 3 of each distinct
    schedule sending then, so only those (distinct × 3) candidates are ranked, for all 168
    hours at once.
    """
    size = sending.shape[0]
    if len(chosen) == 0 or size == 0:
        return [""] * HOURS_PER_WEEK
    ids = frame["id"].astype("Int64").to_numpy(dtype="float64", na_value=np.inf)[chosen]
    order = np.lexsort((ids, -limits, codes))  # by schedule, then limit (high first), then id
    sorted_codes = codes[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_codes)) + 1]
    rank_in_schedule = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    kept = order[rank_in_schedule < BUSIEST_COUNT]  # positions into ``chosen``
    slot = rank_in_schedule[rank_in_schedule < BUSIEST_COUNT]
    # One global order of the candidates (limit high first, then id), so ties are stable.
    global_rank = np.empty(len(kept), dtype=np.float64)
    global_rank[np.lexsort((ids[kept], -limits[kept]))] = np.arange(len(kept))
    slot_rank = np.full((size, BUSIEST_COUNT), np.inf)
    slot_rank[codes[kept], slot] = global_rank
    slot_candidate = np.full((size, BUSIEST_COUNT), -1, dtype=np.int64)
    slot_candidate[codes[kept], slot] = np.arange(len(kept))

    ranks = np.where(sending.T[:, :, None], slot_rank[None, :, :], np.inf)
    ranks = ranks.reshape(HOURS_PER_WEEK, -1)
    best = np.argsort(ranks, axis=1, kind="stable")[:, :BUSIEST_COUNT]
    best_found = np.isfinite(np.take_along_axis(ranks, best, axis=1))
    best_candidate = slot_candidate.reshape(-1)[best]

    rows = chosen[kept]
    names = frame["name"].astype("string").to_numpy(dtype=object, na_value=None)[rows]
    campaign_ids = frame["id"].astype("Int64").to_numpy(dtype=object, na_value=pd.NA)[rows]
    labels = [
        f"{_label(name, campaign_id)} ({int(limit)}/day)"
        for name, campaign_id, limit in zip(names, campaign_ids, limits[kept], strict=True)
    ]
    return [
        "; ".join(labels[c] for c, found in zip(candidates, hour_found, strict=True) if found)
        for candidates, hour_found in zip(best_candidate, best_found, strict=True)
    ]


# --------------------------------------------------------------------------- capacity


class WeeklyCapacity(NamedTuple):
    """Weekly send capacity per group, and for the whole selection (each campaign once)."""

    by_group: pd.DataFrame
    total: int


def _group_pairs(
    frame: pd.DataFrame, by: str, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(row, group) pairs for ``rows``: one per row, or one per list item for a list column.

    Returns the pairs' rows, their group codes and the group labels. In a list column (tags)
    a campaign with no items goes to :data:`vocab.UNTAGGED` (:data:`vocab.NO_GROUP` for other
    list columns).
    """
    if by not in frame:
        raise ValueError(f"no column {by!r} to group by")
    series = frame[by]
    is_list = isinstance(series.dtype, pd.ArrowDtype) and pa.types.is_list(
        series.dtype.pyarrow_dtype
    )
    if not is_list:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        labels = np.array([*(str(u) for u in uniques), vocab.NO_GROUP], dtype=object)
        row_labels = labels[np.asarray(codes, dtype=np.int64)[rows]]
        group_codes, group_labels = pd.factorize(row_labels)
        return rows, np.asarray(group_codes, dtype=np.int64), [str(x) for x in group_labels]

    empty_label = vocab.UNTAGGED if by == "tags" else vocab.NO_GROUP
    items = list_array(series, pa.string()).take(pa.array(rows, type=pa.int64()))
    values = pc.list_flatten(items)
    parents = pc.list_parent_indices(items).to_numpy(zero_copy_only=False).astype(np.int64)
    present = np.asarray(values.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    texts = np.asarray(values.to_numpy(zero_copy_only=False), dtype=object)[present]
    parents = parents[present]
    has_item = np.zeros(len(rows), dtype=bool)
    has_item[parents] = True
    lonely = np.flatnonzero(~has_item)
    pair_positions = np.concatenate([parents, lonely])
    pair_labels = np.concatenate([texts, np.full(len(lonely), empty_label, dtype=object)])
    group_codes, group_labels = pd.factorize(pair_labels)
    group_codes = np.asarray(group_codes, dtype=np.int64)
    # A tag listed twice on one campaign counts once.
    unique_pairs = np.unique(np.stack([pair_positions, group_codes], axis=1), axis=0)
    unique_pairs = unique_pairs.reshape(-1, 2)
    return rows[unique_pairs[:, 0]], unique_pairs[:, 1], [str(x) for x in group_labels]


_RESERVED = frozenset({"weekday", "weekday_name", "daily_limit", "weekly_limit", "campaigns"})


def _capacity_parts(
    frame: pd.DataFrame, by: str, statuses: Iterable[str] | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[str], np.ndarray]:
    """Selected countable rows, their limits, their (row, group) pairs and weekday flags."""
    if by in _RESERVED:
        raise ValueError(f"cannot group by {by!r}: it is one of the result's own columns")
    schedules = distinct_schedules(frame)
    rows = np.flatnonzero(status_mask(frame, statuses) & schedules.countable[schedules.codes])
    pair_rows, pair_groups, labels = _group_pairs(frame, by, rows)
    weekdays = schedules.weekdays()  # (distinct × 7), Monday first
    limits = daily_limits(frame)
    return rows, limits, pair_rows, pair_groups, labels, weekdays[schedules.codes]


def daily_capacity(
    frame: pd.DataFrame, by: str = "client_name", statuses: Iterable[str] | None = DEFAULT_STATUSES
) -> pd.DataFrame:
    """How many new leads each group may contact on each weekday: the sum of daily limits.

    Long form, one row per (weekday, group), zeros included: ``weekday`` (0 = Monday),
    ``weekday_name``, the ``by`` column (text), ``daily_limit`` (sum of ``max_leads_per_day``
    of the selected campaigns that send that weekday) and ``campaigns`` (how many).

    A campaign counts on the weekdays listed in its schedule, in its own time zone (a window
    that runs past midnight counts on the day it opens). Campaigns that cannot send (no
    schedule, no days, an empty window) are left out: see :func:`unscheduled_active`. An
    unknown time zone does not stop a campaign from counting here.

    ``by="tags"`` gives one group per tag: a campaign with two tags counts in both, so the
    per-tag sums add up to more than the portfolio's total; campaigns without tags (or whose
    tags were not fetched) form the group :data:`vocab.UNTAGGED`. Any other column is grouped
    by its values as text, empty values forming :data:`vocab.NO_GROUP`.
    """
    _, limits, pair_rows, pair_groups, labels, row_weekdays = _capacity_parts(frame, by, statuses)
    group_count = len(labels)
    weekday_flags = row_weekdays[pair_rows].astype(np.float64)  # (pairs × 7)
    limit_sums = np.zeros((group_count, 7))
    count_sums = np.zeros((group_count, 7))
    for weekday in range(7):
        limit_sums[:, weekday] = np.bincount(
            pair_groups,
            weights=weekday_flags[:, weekday] * limits[pair_rows],
            minlength=group_count,
        )
        count_sums[:, weekday] = np.bincount(
            pair_groups, weights=weekday_flags[:, weekday], minlength=group_count
        )
    group_order = np.argsort(np.array(labels, dtype=object), kind="stable")
    weekday_index = np.repeat(np.arange(7), group_count)
    group_index = np.tile(group_order, 7)
    return pd.DataFrame(
        {
            "weekday": weekday_index.astype(np.int64),
            "weekday_name": pd.array([vocab.WEEKDAYS[d] for d in weekday_index], dtype="str"),
            by: pd.array([labels[g] for g in group_index], dtype="str"),
            "daily_limit": np.round(limit_sums[group_index, weekday_index]).astype(np.int64),
            "campaigns": np.round(count_sums[group_index, weekday_index]).astype(np.int64),
        }
    )


def weekly_capacity(
    frame: pd.DataFrame, by: str = "client_name", statuses: Iterable[str] | None = DEFAULT_STATUSES
) -> WeeklyCapacity:
    """The week's capacity: per group, and the portfolio's total counting each campaign once.

    ``by_group`` has the ``by`` column, ``weekly_limit`` (sum over the week of the daily limits
    of :func:`daily_capacity`) and ``campaigns`` (how many campaigns send at least one day),
    largest first. ``total`` is the selection's weekly limit; with ``by="tags"`` the groups
    add up to more than it, because a campaign with two tags is in two groups.
    """
    rows, limits, pair_rows, pair_groups, labels, row_weekdays = _capacity_parts(
        frame, by, statuses
    )
    sending_days = row_weekdays.sum(axis=1).astype(np.float64)
    group_count = len(labels)
    weekly = np.bincount(
        pair_groups, weights=limits[pair_rows] * sending_days[pair_rows], minlength=group_count
    )
    campaigns = np.bincount(
        pair_groups, weights=(sending_days[pair_rows] > 0).astype(float), minlength=group_count
    )
    table = pd.DataFrame(
        {
            by: pd.array(labels, dtype="str"),
            "weekly_limit": np.round(weekly).astype(np.int64),
            "campaigns": np.round(campaigns).astype(np.int64),
        }
    )
    table = table.sort_values(["weekly_limit", by], ascending=[False, True], kind="stable")
    total = round(float(np.sum(limits[rows] * sending_days[rows])))
    return WeeklyCapacity(table.reset_index(drop=True), total)


# --------------------------------------------------------------------------- problems, off hours


PROBLEM_COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "client_name",
    "status",
    "schedule_summary",
    "problem_code",
    "problem",
    "in_heatmap",
)


def schedule_problems(frame: pd.DataFrame, statuses: Iterable[str] | None = None) -> pd.DataFrame:
    """Campaigns whose schedule is missing, broken or only partly readable, with the reason.

    One row per (campaign, problem), in frame order: ``id, name, client_name, status,
    schedule_summary, problem_code, problem`` (in words) and ``in_heatmap`` (False when the
    heatmap and :func:`off_hours` leave the campaign out because of it). Codes:
    ``no_schedule``, ``unreadable`` (part of the raw schedule was junk; what could be read is
    still used), ``no_timezone``, ``unknown_timezone``, ``no_days``, ``no_hours``,
    ``hours_out_of_range``, ``empty_window`` (start = end). Every status is checked unless
    ``statuses`` is given; pass the heatmap's statuses to list what it leaves out.
    """
    schedules = distinct_schedules(frame)
    counts = np.array([len(found) for found in schedules.problems], dtype=np.int64)
    selected = status_mask(frame, statuses) & (counts[schedules.codes] > 0)
    rows = np.flatnonzero(selected)
    per_row = counts[schedules.codes[rows]]
    repeated = np.repeat(rows, per_row)
    table = _campaign_table(frame, repeated)
    codes_text: list[str] = []
    words: list[str] = []
    for code in schedules.codes[rows]:
        for problem_code, problem in schedules.problems[code]:
            codes_text.append(problem_code)
            words.append(problem)
    table["problem_code"] = pd.array(codes_text, dtype="str")
    table["problem"] = pd.array(words, dtype="str")
    table["in_heatmap"] = schedules.placeable[schedules.codes[repeated]]
    return table.loc[:, list(PROBLEM_COLUMNS)]


def unscheduled_active(
    frame: pd.DataFrame, statuses: Iterable[str] | None = DEFAULT_STATUSES
) -> pd.DataFrame:
    """Selected (by default ACTIVE) campaigns that cannot count towards daily capacity.

    These have no schedule, no sending days, no start or end time, or an empty window; they
    are missing from :func:`daily_capacity`. Columns: ``id, name, client_name, status,
    schedule_summary, max_leads_per_day, problem`` (all the campaign's problems, in words).
    """
    schedules = distinct_schedules(frame)
    rows = np.flatnonzero(status_mask(frame, statuses) & ~schedules.countable[schedules.codes])
    table = _campaign_table(frame, rows)
    table["max_leads_per_day"] = frame["max_leads_per_day"].astype("Int64").to_numpy()[rows]
    reasons = ["; ".join(words for _, words in found) for found in schedules.problems]
    table["problem"] = pd.array([reasons[code] for code in schedules.codes[rows]], dtype="str")
    return table


OFF_HOURS_COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "client_name",
    "status",
    "schedule_summary",
    "weekend_hours",
    "night_hours",
    "reason",
)


def off_hours(
    frame: pd.DataFrame,
    viewer_tz: str,
    week_of: date | datetime | str,
    night: tuple[int, int] = NIGHT_HOURS,
    statuses: Iterable[str] | None = DEFAULT_STATUSES,
) -> pd.DataFrame:
    """Selected campaigns that send at weekends or at night *in the viewer's time zone*.

    One row per such campaign: ``id, name, client_name, status, schedule_summary,
    weekend_hours`` (hours sent on the weekend days of that week where the viewer is:
    Saturday and Sunday in most zones, Friday and Saturday in Asia/Riyadh, see
    :func:`smartlead.vocab.weekend_days`), ``night_hours`` (hours
    sent inside ``night``, default 20:00–07:00) and ``reason`` in words. Hours are exact
    (a 30-minute overlap is 0.5); an hour that is both weekend and night counts in both.
    Most off-hours first. Seen from another zone the same campaign may be fine: this is the
    viewer's (or the audience's) clock, where the audit's weekend rule uses the campaign's own.
    """
    night_start, night_end = _night_hours(night)
    coverage = week_coverage(frame, week_of, viewer_tz)
    schedules = coverage.schedules
    hours_in_cell = coverage.cell_minutes / 60.0
    weekday = np.repeat(np.arange(7), 24)
    hour = np.tile(np.arange(24), 7)
    weekend_cells = np.isin(weekday, sorted(vocab.weekend_days(viewer_tz)))
    if night_start > night_end:
        night_cells = (hour >= night_start) | (hour < night_end)
    else:
        night_cells = (hour >= night_start) & (hour < night_end)
    sent_hours = coverage.matrix * hours_in_cell[None, :]
    weekend_per_schedule = np.round(sent_hours[:, weekend_cells].sum(axis=1), 2)
    night_per_schedule = np.round(sent_hours[:, night_cells].sum(axis=1), 2)

    codes = schedules.codes
    candidates = status_mask(frame, statuses) & schedules.placeable[codes]
    flagged = candidates & ((weekend_per_schedule[codes] > 0) | (night_per_schedule[codes] > 0))
    rows = np.flatnonzero(flagged)
    table = _campaign_table(frame, rows)
    weekend = weekend_per_schedule[codes[rows]]
    night_hours = night_per_schedule[codes[rows]]
    table["weekend_hours"] = weekend
    table["night_hours"] = night_hours
    night_text = f"{night_start:02d}:00–{night_end:02d}:00"
    reason_per_schedule = {
        code: _off_hours_reason(
            weekend_per_schedule[code], night_per_schedule[code], night_text, viewer_tz
        )
        for code in np.unique(codes[rows])
    }
    table["reason"] = pd.array([reason_per_schedule[code] for code in codes[rows]], dtype="str")
    table["_total"] = weekend + night_hours
    table = table.sort_values(["_total", "id"], ascending=[False, True], kind="stable")
    return table.drop(columns="_total").reset_index(drop=True).loc[:, list(OFF_HOURS_COLUMNS)]


def _night_hours(night: tuple[int, int]) -> tuple[int, int]:
    try:
        start, end = (int(value) for value in night)
    except (TypeError, ValueError) as error:
        raise ValueError(f"night must be (start hour, end hour), got {night!r}") from error
    if not (0 <= start <= 24 and 0 <= end <= 24):
        raise ValueError(f"night hours must be between 0 and 24, got {night!r}")
    return start % 24, end % 24


def _hours_text(hours: float) -> str:
    return f"{hours:.1f}".removesuffix(".0") + " h"


def _off_hours_reason(weekend: float, night: float, night_text: str, viewer_tz: str) -> str:
    parts = []
    if weekend > 0:
        parts.append(f"{_hours_text(weekend)} at weekends")
    if night > 0:
        parts.append(f"{_hours_text(night)} at night ({night_text})")
    return "sends " + " and ".join(parts) + f" in {viewer_tz} time"


def days_text(day_mask: int) -> str:
    """Weekdays of a day mask (bit d = weekday d, 0 = Monday) in words: 'Mon–Fri', 'Sun–Thu'."""
    if day_mask < 0:
        return "days unknown"
    return describe_days(days_of_mask(day_mask))


__all__ = [
    "BUSIEST_COUNT",
    "DAILY_LIMIT_CAP",
    "DEFAULT_STATUSES",
    "HEATMAP_COLUMNS",
    "NIGHT_HOURS",
    "OFF_HOURS_COLUMNS",
    "PROBLEM_COLUMNS",
    "DistinctSchedules",
    "WeekCoverage",
    "WeeklyCapacity",
    "daily_capacity",
    "daily_limits",
    "day_masks",
    "days_text",
    "distinct_schedules",
    "is_valid_timezone",
    "off_hours",
    "schedule_problems",
    "status_mask",
    "unscheduled_active",
    "viewer_zone",
    "week_coverage",
    "week_start",
    "weekly_capacity",
    "weekly_heatmap",
    "window_minutes",
]
