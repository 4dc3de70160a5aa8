"""The date window in the dashboard: what the shared control chose, the cached fetches, the
demo's figures, and what pages read (:class:`WindowView`).

The control lives in the sidebar every page shares (``ui.sidebar.window_control``) and is
bound to the URL (``window``, ``from``, ``to``, ``tz``). The viewer's time zone (``tz``) is
the one setting for every time the dashboard shows: the window's days, the Schedule page's
hours, the tables' times. It defaults to UTC.

Live figures come from :func:`smartlead.window_fetch.fetch_window` through ``st.cache_data``,
keyed by the :class:`~smartlead.connection.Connection`, the window and the scope asked for,
with the portfolio's TTL; the previous window (the Overview's comparison) is a second cached
call. Refresh forgets them by moving the account's *epoch*, part of every key. In demo mode
the same frames are computed here from :func:`smartlead.demo.demo_window_stats`: no request.
"""

from __future__ import annotations

import hashlib
import threading
import time
import zoneinfo
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import numpy as np
import pandas as pd
import streamlit as st

from smartlead import bulk, demo, settings
from smartlead.connection import Connection
from smartlead.errors import WindowError
from smartlead.loader import DEMO_SEED
from smartlead.ratelimit import limiter_for
from smartlead.vocab import NO_CLIENT
from smartlead.window import (
    DEFAULT_TIMEZONE,
    PRESETS,
    Daily,
    DayChunk,
    Window,
    WindowMetrics,
    daily_figures,
    with_window,
)
from smartlead.window_fetch import (
    PageFailure,
    WindowFigures,
    demo_window_fetch,
    estimate_per_campaign_requests,
    estimate_requests,
    fetch_window,
    fetch_window_per_campaign,
)

WINDOW_KEY = "window"
FROM_KEY = "from"
TO_KEY = "to"
TZ_KEY = "tz"
WINDOW_KEYS: tuple[str, ...] = (WINDOW_KEY, FROM_KEY, TO_KEY, TZ_KEY)
"""Widget keys of the window control; each is also its URL parameter."""
ON_KEY = "window_on"
"""Widget key of the switch that turns window performance off (on by default)."""
PER_CAMPAIGN_KEY = "_window_per_campaign"
"""Session state: the windows the user asked to fetch one campaign at a time (after a 404)."""

MAX_CAMPAIGN_IDS = 100
"""The most campaign ids one analytics request narrows to (SmartLead documents 100)."""

ZONES: list[str] = sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})
"""The time zones offered (IANA names)."""


def viewer_timezone() -> str:
    """The viewer's time zone: the one chosen next to the window control, UTC by default."""
    for zone in (st.session_state.get(TZ_KEY), st.query_params.get(TZ_KEY)):
        # Before the control is drawn in a run (the sidebar's fetch line), the link says it.
        if isinstance(zone, str) and zone in ZONES:
            return zone
    return DEFAULT_TIMEZONE


def viewer_time(moment: datetime, zone: str | None = None) -> str:
    """'2026-12-02 06:01 Europe/Paris': a moment in the viewer's time zone (or ``zone``),
    named, so no time on a page is in UTC only. A naive moment is taken to be UTC."""
    zone = zone or viewer_timezone()
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return f"{aware.astimezone(zoneinfo.ZoneInfo(zone)):%Y-%m-%d %H:%M} {zone}"


# --------------------------------------------------------------------------- what pages read


@dataclass(frozen=True)
class WindowChoice:
    """What the sidebar control chose: the window (checked), whether it is on."""

    window: Window
    preset: str
    problem: WindowError | None
    on: bool
    today: date
    """Today in the viewer's time zone (the demo's sending stops there)."""

    @property
    def short(self) -> str:
        """The window in a few words for labels: 'last 30 days', or its days when custom."""
        if self.preset in PRESETS and self.preset != "custom":
            return PRESETS[self.preset].lower()
        return self.window.label()

    @property
    def title(self) -> str:
        """'Last 30 days (3 Nov – 2 Dec 2026, days in UTC)'."""
        name = PRESETS.get(self.preset, PRESETS["custom"])
        return f"{name} ({self.window.label()}, days in {self.window.timezone})"


@dataclass(frozen=True)
class WindowView:
    """The window's figures for this run, or why there are none, in words."""

    choice: WindowChoice
    source: str
    """``demo``, ``live``, ``per_campaign``, or why there are no figures: ``off``,
    ``invalid``, ``unavailable`` (SmartLead's 404), ``failed``."""
    metrics: WindowMetrics | None = None
    daily: Daily | None = None
    fetch: WindowFigures | None = None
    message: str | None = None
    """Why there are no figures, or what is missing from them."""
    trend_scope: str = "the whole account"
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def window(self) -> Window:
        return self.choice.window

    @property
    def has_figures(self) -> bool:
        return self.metrics is not None

    @property
    def failures(self) -> tuple[PageFailure, ...]:
        return self.fetch.failures if self.fetch is not None else ()


# --------------------------------------------------------------------------- caches


@dataclass
class _Ledger:
    """When each live window was fetched, and each account's refresh epoch (server-wide)."""

    fetched: dict[tuple, float] = field(default_factory=dict)
    epochs: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def epoch(self, account: str) -> int:
        with self.lock:
            return self.epochs.get(account, 0)

    def bump(self, account: str) -> None:
        with self.lock:
            self.epochs[account] = self.epochs.get(account, 0) + 1

    def record(self, slot: tuple) -> None:
        with self.lock:
            self.fetched[slot] = time.monotonic()

    def fresh(self, slot: tuple) -> bool:
        with self.lock:
            at = self.fetched.get(slot)
        return at is not None and time.monotonic() - at < settings.cache_ttl_seconds()


@st.cache_resource(show_spinner=False)
def _ledger() -> _Ledger:
    return _Ledger()


def _slot(
    connection: Connection,
    window: Window,
    client_ids: tuple[int, ...] | None,
    campaign_ids: tuple[int, ...] | None,
    campaigns: bool,
    days: bool,
) -> tuple:
    return (connection.fingerprint, window, client_ids, campaign_ids, campaigns, days)


@st.cache_data(
    ttl=settings.cache_ttl_seconds(),
    max_entries=128,
    show_spinner="Fetching the window's performance from SmartLead…",
)
def fetch_live(
    connection: Connection,
    window: Window,
    client_ids: tuple[int, ...] | None,
    campaign_ids: tuple[int, ...] | None,
    campaigns: bool,
    days: bool,
    epoch: int,
) -> WindowFigures:
    """A live window's figures, fetched once per connection, window, scope and TTL (errors
    included); the cache keeps the figures, not SmartLead's rows."""
    fetched = fetch_window(
        connection,
        window,
        client_ids=client_ids,
        campaign_ids=campaign_ids,
        campaigns=campaigns,
        daily=days,
    )
    _ledger().record(_slot(connection, window, client_ids, campaign_ids, campaigns, days))
    return fetched.figures()


@st.cache_data(
    ttl=settings.cache_ttl_seconds(),
    max_entries=32,
    show_spinner="Fetching the window one campaign at a time…",
)
def fetch_live_per_campaign(
    connection: Connection,
    window: Window,
    ids_digest: str,
    epoch: int,
    _campaign_ids: tuple[int, ...],
) -> WindowFigures:
    """The window one request per campaign and 30-day piece (accounts without the bulk
    endpoints), once per connection, window, campaigns (by digest) and TTL."""
    return fetch_window_per_campaign(connection, window, _campaign_ids).figures()


@st.cache_data(show_spinner=False, max_entries=32)
def demo_fetch(size: int, window: Window, today: date) -> WindowFigures:
    """The demo portfolio's window, made up here as SmartLead would answer (no request)."""
    records = demo.demo_campaigns(size, seed=DEMO_SEED)
    return demo_window_fetch(records, window, today, daily=False).figures()


@st.cache_data(show_spinner=False, max_entries=64)
def demo_trend(
    size: int, window: Window, today: date, ids_digest: str, _campaign_ids: tuple[int, ...]
) -> Daily:
    """The demo trend of exactly the campaigns in view (keyed by a digest of their ids:
    hashing thousands of ids on every rerun would cost more than the chart)."""
    wanted = set(_campaign_ids)
    records = [
        r
        for r in demo.demo_campaigns(size, seed=DEMO_SEED)
        if isinstance(r, dict) and r.get("id") in wanted
    ]
    return daily_figures(
        window,
        [
            DayChunk(
                piece, tuple(demo.demo_day_stats(records, piece.start, piece.end, today=today))
            )
            for piece in window.chunks()
        ],
    )


def forget_window(connection: Connection) -> None:
    """Refresh: the next run fetches this account's windows again (others keep theirs)."""
    _ledger().bump(connection.fingerprint)


def ask_per_campaign(window: Window) -> None:
    """Button callback: fetch this window one campaign at a time (after a 404)."""
    asked = set(st.session_state.get(PER_CAMPAIGN_KEY, ()))
    asked.add(window)
    st.session_state[PER_CAMPAIGN_KEY] = asked


# --------------------------------------------------------------------------- scope


@dataclass(frozen=True)
class Scope:
    """Which campaigns a request covers: client ids and/or campaign ids (None: all)."""

    client_ids: tuple[int, ...] | None
    campaign_ids: tuple[int, ...] | None
    campaigns: int
    words: str


def _ids(values: pd.Series) -> tuple[int, ...]:
    ids = pd.array(values, dtype="Int64").dropna().to_numpy(dtype=np.int64)
    return tuple(np.unique(ids).tolist())


def ids_digest(ids: tuple[int, ...]) -> str:
    """A short, exact name for a set of campaign ids: a cache key that is quick to hash."""
    return hashlib.sha256(np.asarray(ids, dtype=np.int64).tobytes()).hexdigest()


def campaign_scope(frame: pd.DataFrame, chosen_clients: tuple[str, ...]) -> Scope:
    """The campaigns asked for: the chosen clients' (their ids), else the whole account.

    A choice that includes campaigns without a client cannot be named by client ids, so the
    whole account is asked for then (and filtered here).
    """
    if chosen_clients and NO_CLIENT not in chosen_clients:
        mine = frame[frame["client_name"].astype("string").isin(chosen_clients).fillna(False)]
        ids = _ids(mine["client_id"])
        if ids:
            return Scope(ids, None, len(mine), "the campaigns of the clients in view")
    return Scope(None, None, len(frame), "the whole account")


def trend_scope(view: pd.DataFrame, scope: Scope) -> Scope:
    """The campaigns the trend covers: exactly the view when it is narrower than ``scope``
    and at most :data:`MAX_CAMPAIGN_IDS` campaigns; otherwise ``scope``."""
    if len(view) < scope.campaigns and 0 < len(view) <= MAX_CAMPAIGN_IDS:
        return Scope(None, _ids(view["id"]), len(view), "the campaigns in view")
    if len(view) < scope.campaigns:
        return Scope(
            scope.client_ids,
            scope.campaign_ids,
            scope.campaigns,
            f"{scope.words} (SmartLead's daily figures cannot be narrowed to more than "
            f"{MAX_CAMPAIGN_IDS} campaigns)",
        )
    return scope


# --------------------------------------------------------------------------- loading


def _live_fetches(
    connection: Connection, window: Window, scope: Scope, trend: Scope
) -> tuple[WindowFigures, WindowFigures | None]:
    """The campaigns' fetch (with the days when the trend covers the same campaigns) and,
    when the trend is narrower, its own days-only fetch."""
    epoch = _ledger().epoch(connection.fingerprint)
    same = trend == scope
    main = fetch_live(connection, window, scope.client_ids, scope.campaign_ids, True, same, epoch)
    if same or main.metrics is None:
        return main, None
    days = fetch_live(connection, window, trend.client_ids, trend.campaign_ids, False, True, epoch)
    return main, days


def load_window(
    choice: WindowChoice,
    connection: Connection | None,
    frame: pd.DataFrame,
    view: pd.DataFrame,
    chosen_clients: tuple[str, ...],
) -> WindowView:
    """The window's figures for the campaigns in view, or why there are none."""
    if not choice.on:
        return WindowView(choice, "off", message="Window performance is turned off.")
    if choice.problem is not None:
        return WindowView(choice, "invalid", message=str(choice.problem))
    window = choice.window
    if connection is None:
        fetched = demo_fetch(settings.demo_size(), window, choice.today)
        ids = _ids(view["id"])
        trend = demo_trend(settings.demo_size(), window, choice.today, ids_digest(ids), ids)
        return WindowView(
            choice,
            "demo",
            metrics=fetched.metrics,
            daily=trend,
            fetch=fetched,
            trend_scope="the campaigns in view",
        )
    scope = campaign_scope(frame, chosen_clients)
    trend = trend_scope(view, scope)
    main, days = _live_fetches(connection, window, scope, trend)
    if main.unavailable is not None:
        if window in st.session_state.get(PER_CAMPAIGN_KEY, ()):
            ids = _ids(view["id"])
            epoch = _ledger().epoch(connection.fingerprint)
            slow = fetch_live_per_campaign(connection, window, ids_digest(ids), epoch, ids)
            return WindowView(
                choice,
                "per_campaign",
                metrics=slow.metrics,
                fetch=slow,
                message=None if slow.error is None else str(slow.error),
                notes=("Fetched one campaign at a time: no trend and no positive replies.",),
            )
        return WindowView(choice, "unavailable", fetch=main, message=str(main.unavailable))
    if main.error is not None:
        return WindowView(choice, "failed", fetch=main, message=str(main.error))
    daily = main.daily if days is None else days.daily
    notes = []
    if days is not None and days.failures:
        notes += [failure.describe() for failure in days.failures]
    return WindowView(
        choice,
        "live",
        metrics=main.metrics,
        daily=daily,
        fetch=main,
        trend_scope=trend.words,
        notes=tuple(notes),
    )


def join_window(view: pd.DataFrame, window_view: WindowView) -> pd.DataFrame:
    """The view with the window's columns when there are figures (unchanged otherwise, so
    the Health rules fall back to all-time figures)."""
    if window_view.metrics is None:
        return view
    return with_window(view, window_view.metrics)


def previous_frame(
    view: pd.DataFrame, window_view: WindowView, connection: Connection | None
) -> pd.DataFrame | None:
    """The same campaigns over the previous window of the same length (the Overview's
    comparison), or None when there is none to compare with."""
    if window_view.metrics is None or window_view.source not in ("live", "demo"):
        return None
    before = window_view.window.previous()
    if window_view.source == "demo":
        fetched = demo_fetch(settings.demo_size(), before, window_view.choice.today)
    else:
        assert connection is not None
        metrics = window_view.metrics
        fetched = fetch_live(
            connection,
            before,
            metrics.client_ids,
            metrics.campaign_ids,
            True,
            False,
            _ledger().epoch(connection.fingerprint),
        )
    found = fetched.metrics
    return None if found is None else with_window(view, found)


# --------------------------------------------------------------------------- costs in words


def _duration(seconds: float) -> str:
    return f"about {seconds:.0f} s" if seconds < 90 else f"about {seconds / 60:.0f} min"


def pending_requests(
    choice: WindowChoice,
    connection: Connection,
    frame: pd.DataFrame,
    view: pd.DataFrame,
    chosen_clients: tuple[str, ...],
) -> int:
    """Requests the window still costs (at most): its figures, its trend and the Overview's
    comparison with the previous window, leaving out what is cached."""
    scope = campaign_scope(frame, chosen_clients)
    trend = trend_scope(view, scope)
    window = choice.window
    same = trend == scope
    wanted = [
        (window, scope, True, same),
        *([] if same else [(window, trend, False, True)]),
        (window.previous(), scope, True, False),
    ]
    ledger = _ledger()
    count = 0
    for asked_window, asked, campaigns, days in wanted:
        slot = _slot(
            connection, asked_window, asked.client_ids, asked.campaign_ids, campaigns, days
        )
        if not ledger.fresh(slot):
            count += estimate_requests(
                asked_window, asked.campaigns, daily=days, campaigns_too=campaigns
            )
    return count


def cost_text(
    choice: WindowChoice,
    connection: Connection | None,
    frame: pd.DataFrame,
    view: pd.DataFrame,
    chosen_clients: tuple[str, ...],
) -> str:
    """What the window costs, in words, before it is fetched."""
    if connection is None:
        return "Demo window figures, made up here: no request."
    if choice.problem is not None:
        return ""
    count = pending_requests(choice, connection, frame, view, chosen_clients)
    kept = f"kept for {max(1, settings.cache_ttl_seconds() // 60)} min"
    if not choice.on:
        return f"Off. Turning it on costs at most {count} requests."
    if count == 0:
        return f"Fetched and {kept}: no request now."
    limiter = limiter_for(connection)
    seconds = bulk.estimate_seconds(count, limiter)
    return (
        f"At most {count} requests to SmartLead ({_duration(seconds)} at "
        f"{limiter.describe()}), the Overview's comparison with the previous "
        f"{choice.window.days} days included; {kept}."
    )


def status_text(
    window_view: WindowView,
    connection: Connection | None,
    frame: pd.DataFrame,
    view: pd.DataFrame,
    chosen_clients: tuple[str, ...],
) -> str:
    """What the window cost and what is left to fetch, in words, once it is loaded."""
    choice = window_view.choice
    source = window_view.source
    if source in ("demo", "off", "invalid") or connection is None:
        return cost_text(choice, connection, frame, view, chosen_clients)
    if source == "unavailable":
        return "SmartLead has no window analytics for this account (HTTP 404): see the Overview."
    if source == "failed":
        return "The window's figures could not be fetched (see the Overview)."
    fetched = window_view.fetch
    made = f"{fetched.requests} requests, {fetched_at_text(fetched)}" if fetched else ""
    if source == "per_campaign":
        return f"Fetched one campaign at a time: {made}."
    left = pending_requests(choice, connection, frame, view, chosen_clients)
    kept = f"kept for {max(1, settings.cache_ttl_seconds() // 60)} min"
    more = f"; the Overview's comparison costs at most {left} more" if left else ""
    return f"{made}; {kept}{more}."


def per_campaign_cost(connection: Connection, window: Window, campaigns: int) -> str:
    """'300 requests, about 61 s at 10 requests per 2 s' for the per-campaign path."""
    count = estimate_per_campaign_requests(window, campaigns)
    limiter = limiter_for(connection)
    return (
        f"{count:,} requests, {_duration(bulk.estimate_seconds(count, limiter))} at "
        f"{limiter.describe()}"
    )


def fetched_at_text(fetched: WindowFigures | None) -> str:
    """'fetched 2026-12-02 02:23 Europe/Paris' for a live fetch (the viewer's time zone)."""
    if fetched is None or fetched.fetched_at is None:
        return ""
    return f"fetched {viewer_time(fetched.fetched_at)}"
