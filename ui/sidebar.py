"""The sidebar every page shares: API key, Refresh and the fetch line, the date window and
the viewer's time zone, filters, all-time Performance.

``app.py`` (the router) draws these once per run, before it runs the page, so they belong to
the entrypoint script: Streamlit keeps their widget values, and the URL parameters of the
filters bound with ``bind="query-params"``, across page switches by itself.

The key typed in the sidebar is kept in plain session state (:data:`SESSION_KEY`), not in a
widget, and is never bound to the URL.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from smartlead import settings
from smartlead.errors import AuthenticationError, WindowError
from smartlead.filters import FilterOptions, Filters
from smartlead.vocab import UNTAGGED, UNTAGGED_COLOR
from smartlead.window import (
    DEFAULT_PRESET,
    DEFAULT_TIMEZONE,
    PRESETS,
    Window,
    preset_window,
    today_in,
)
from ui.bound import multiselect_filter, set_filter
from ui.chips import colour_tag_filter
from ui.data import KeyChoice, LoadResult, choose_key, load, refresh
from ui.messages import title_of
from ui.metrics import METRICS_TOGGLE, cost_text, kept_words, missing_ids, statuses_of
from ui.text import escape_markdown
from ui.window import (
    FROM_KEY,
    ON_KEY,
    TO_KEY,
    TZ_KEY,
    WINDOW_KEY,
    WINDOW_KEYS,
    ZONES,
    WindowChoice,
    forget_window,
    viewer_time,
)

KEY_INPUT = "api_key_input"
SESSION_KEY = "_api_key"
"""Where the key typed in the sidebar lives: server-side session state, never a widget."""
CANDIDATE = "_api_key_candidate"
"""Session state: a key just submitted, tried before it replaces the key in use."""
KEPT_NOTE = "_api_key_kept"
"""Session state: why a new key was not used and the working one kept (no key in it)."""
FILTER_KEYS: tuple[str, ...] = (
    "status",
    "client",
    "tag",
    "q",
    "created",
    "updated",
    "limit",
    "subseq",
)
"""Widget keys of the shared filters; each is also the name of its URL query parameter."""

LINK_KEYS: tuple[str, ...] = (*FILTER_KEYS, *WINDOW_KEYS)
"""Every URL parameter of the sidebar: the filters and the window control."""

LINK_LABELS: dict[str, dict[str, str]] = {WINDOW_KEY: PRESETS}
"""Widgets that write a label into the link rather than their value (``window=Last 7 days``
for the preset ``7d``): value → label."""

EARLIEST_DAYS = 5 * 366
"""How far back a custom window may start (SmartLead keeps years of figures)."""

BOUNDS = "_range_filter_bounds"
"""Session state: the data bounds each range filter was last drawn with."""


FILTER_DEFAULTS: dict[str, object] = {
    "status": [],
    "client": [],
    "tag": [],
    "q": "",
    "subseq": True,
}
"""What the filters without bounds show when nothing is filtered (the range filters' 'show
everything' is their current bounds, kept in :data:`BOUNDS`)."""


def clear_filter(key: str) -> None:
    """Put one filter back to 'show everything', in its widget and in the URL (set to its
    default, never deleted: see :mod:`ui.bound`)."""
    if key in FILTER_DEFAULTS:
        default = FILTER_DEFAULTS[key]
        set_filter(key, list(default) if isinstance(default, list) else default)
        return
    bounds = st.session_state.get(BOUNDS, {}).get(key)
    if bounds is not None:
        set_filter(key, bounds)
    else:  # never drawn (no bounds yet): nothing in the widget or the URL to clear
        st.session_state.pop(key, None)


def reset_filters() -> None:
    """Put every filter back to 'show everything' (used as a button callback)."""
    for key in FILTER_KEYS:
        clear_filter(key)


def _follow_bounds(key: str, low: object, high: object) -> None:
    """Keep a range filter meaning what the user meant when the portfolio's bounds move.

    A side of the range left at the old bound follows the new bound (after a Refresh, "up
    to the newest campaign" must include campaigns created since, not silently hide them);
    a side the user moved stays where it was, clamped into the new bounds. A value that is
    not a range of two is dropped, so the widget starts over at the full range.
    """
    known: dict = st.session_state.setdefault(BOUNDS, {})
    previous = known.get(key)
    known[key] = (low, high)
    current = st.session_state.get(key)
    if current is None:
        return
    if not isinstance(current, (list, tuple)) or len(current) != 2:
        st.session_state.pop(key)
        return
    start, end = current
    try:
        if previous is not None and previous != (low, high):
            start = low if start == previous[0] else start
            end = high if end == previous[1] else end
        start, end = min(max(start, low), high), max(min(end, high), low)
    except TypeError:  # a value of another type (a date where a number belongs)
        st.session_state.pop(key)
        return
    if (start, end) != tuple(current):
        st.session_state[key] = (start, end)


def _date_range(
    label: str, key: str, bounds: tuple[date | None, date | None]
) -> tuple[date | None, date | None]:
    """A date range picker; the full range (or a half-picked range) means 'no filter'."""
    low, high = bounds
    if low is None or high is None:
        return None, None
    _follow_bounds(key, low, high)
    picked = st.date_input(
        label,
        value=(low, high),
        min_value=low,
        max_value=high,
        key=key,
        bind="query-params",
        format="YYYY-MM-DD",
    )
    if not isinstance(picked, (list, tuple)) or len(picked) != 2:
        return None, None
    start, end = picked
    return (None if start <= low else start, None if end >= high else end)


def filter_widgets(options: FilterOptions, zone: str) -> Filters:
    """The filter widgets, bound to the URL, turned into a :class:`Filters` value; the date
    filters count days in the viewer's time zone ``zone``."""
    st.subheader("Filters")
    statuses = multiselect_filter(
        "Status", options.statuses, key="status", placeholder="All statuses"
    )
    clients = multiselect_filter("Client", options.clients, key="client", placeholder="All clients")
    tags = multiselect_filter(
        "Tags (any of)",
        (*options.tags, UNTAGGED),
        key="tag",
        placeholder="All tags",
        help=f"Campaigns with at least one of the chosen tags; '{UNTAGGED}' picks those with none.",
    )
    colour_tag_filter(tags, {UNTAGGED: UNTAGGED_COLOR, **options.tag_colors}, key="tag")
    name_query = st.text_input(
        "Name contains", key="q", bind="query-params", placeholder="e.g. webinar"
    )
    created = _date_range(f"Created between ({zone})", "created", options.created_days(zone))
    updated = _date_range(f"Last updated between ({zone})", "updated", options.updated_days(zone))
    low, high = options.daily_limit
    limit: tuple[int | None, int | None] = (None, None)
    if high > low:
        _follow_bounds("limit", low, high)
        picked = st.slider(
            "Daily send limit (leads/day)",
            min_value=low,
            max_value=high,
            value=(low, high),
            key="limit",
            bind="query-params",
        )
        limit = (None if picked[0] <= low else picked[0], None if picked[1] >= high else picked[1])
    include_subsequences = st.toggle(
        "Include subsequences",
        value=True,
        key="subseq",
        bind="query-params",
        help="Subsequences are follow-up campaigns attached to a parent campaign.",
    )
    st.button("Reset filters", on_click=reset_filters, icon=":material/filter_alt_off:")
    return Filters(
        statuses=statuses,
        clients=clients,
        tags=tags,
        name_contains=name_query or "",
        created=created,
        updated=updated,
        daily_limit=limit,
        include_subsequences=bool(include_subsequences),
        zone=zone,
    )


def _forget_key() -> None:
    """Disconnect button callback: back to the configured key, or the demo."""
    st.session_state.pop(SESSION_KEY, None)
    st.session_state.pop(KEPT_NOTE, None)


def _usable(result: LoadResult | None) -> bool:
    return result is not None and not result.failed


def _settle_key() -> tuple[KeyChoice, LoadResult | None]:
    """The key to use this run and its portfolio, after trying a newly typed key.

    A new key replaces the one in use only once SmartLead answers with it. While a key that
    works is in use (typed earlier or configured for the server), a new key that fails is
    set aside and the working one kept, and the sidebar says why (:data:`KEPT_NOTE`). With
    nothing working before, the new key is used and its failure is the page's message.
    """
    candidate = st.session_state.pop(CANDIDATE, None)
    current = choose_key(st.session_state.get(SESSION_KEY))
    if candidate is None:
        return current, load(current)
    st.session_state.pop(KEPT_NOTE, None)
    tried = choose_key(candidate)
    tried_result = load(tried)
    if not _usable(tried_result) and current.connection is not None:
        current_result = load(current)
        if _usable(current_result):
            failure = tried.problem if tried_result is None else tried_result.error
            why = f": {failure}" if failure is not None else "."
            st.session_state[KEPT_NOTE] = (
                f"The new key was not used{why} Still connected with "
                f"{_source_words(current.source)}."
            )
            return current, current_result
    st.session_state[SESSION_KEY] = candidate
    return tried, tried_result


def _source_words(source: str | None) -> str:
    return {
        "sidebar": "the key entered before",
        "environment": f"the key from {settings.ENV_API_KEY}",
        "secrets": "the key from the server's secrets",
    }.get(source or "", "the key in use")


def connection_form() -> tuple[KeyChoice, LoadResult | None]:
    """The key form, the key in use and whether SmartLead accepts it; returns which key is
    used and its portfolio (None when the key cannot be used at all: ``choice.problem``).

    The typed key moves into session state on submit and the field is cleared, so the key is
    never sent back to the browser (a password field's value would otherwise travel with
    every rerun) and it survives page switches without a widget to keep alive. A new key is
    tried before it replaces one that works (:func:`_settle_key`).
    """
    st.subheader("SmartLead account")
    with st.form("connect", clear_on_submit=True, border=False):
        typed = st.text_input(
            "API key",
            type="password",
            key=KEY_INPUT,
            placeholder="Paste your SmartLead API key",
            help="SmartLead → Settings → API. The key stays in this browser session's "
            "memory on the server; it is never put in the URL, a file or a log.",
        )
        if st.form_submit_button("Connect", icon=":material/key:") and typed.strip():
            st.session_state[CANDIDATE] = typed.strip()
    choice, result = _settle_key()
    connection_status(choice, result)
    return choice, result


def connection_status(choice: KeyChoice, result: LoadResult | None) -> None:
    """Where the key in use comes from and whether SmartLead took it, in words: never
    "connected" for a key that was rejected or that SmartLead did not answer for."""
    failure = choice.problem if result is None else result.error
    if choice.source is None:
        st.caption("No key: showing the demo portfolio.")
    else:
        whose = {
            "sidebar": "the key you entered",
            "environment": f"the key from the environment ({settings.ENV_API_KEY})",
            "secrets": "the key from the server's secrets",
        }[choice.source]
        if failure is None:
            st.caption(f"Connected with {whose}.")
        else:
            reason = (
                "SmartLead did not accept it"
                if isinstance(failure, AuthenticationError)
                else title_of(failure)
            )
            st.caption(f"Not connected with {whose}: {reason} (see the page).")
    kept = st.session_state.get(KEPT_NOTE)
    if kept:  # SmartLead's text is in it: shown as text
        st.warning(escape_markdown(kept), icon=":material/key_off:")
    if choice.source == "sidebar":
        st.button("Disconnect", on_click=_forget_key, icon=":material/logout:")


def refresh_all(choice: KeyChoice) -> None:
    """Refresh button callback: fetch the portfolio and this account's windows again."""
    refresh(choice)
    if choice.connection is not None:
        forget_window(choice.connection)


def window_control() -> tuple[WindowChoice, object]:
    """The date window and the viewer's time zone, bound to the URL (``window``, ``from``,
    ``to``, ``tz``); returns the choice and a place for its cost, written once the view is
    known. A window that cannot be asked for is said here, in words."""
    st.subheader("Window")
    preset = st.selectbox(
        "Performance over",
        list(PRESETS),
        index=list(PRESETS).index(DEFAULT_PRESET),
        format_func=PRESETS.__getitem__,
        key=WINDOW_KEY,
        bind="query-params",
    )
    zone = st.selectbox(
        "Days counted in",
        ZONES,
        index=ZONES.index(DEFAULT_TIMEZONE),
        key=TZ_KEY,
        bind="query-params",
        help="The time zone of the window's days, the Schedule page's hours and the tables' "
        "times. UTC unless you pick another.",
    )
    today = today_in(zone)
    if preset == "custom":
        usual = preset_window(DEFAULT_PRESET, today, zone)
        earliest = today - timedelta(days=EARLIEST_DAYS)
        left, right = st.columns(2)
        start = left.date_input(
            "From",
            value=usual.start,
            min_value=earliest,
            max_value=today,
            key=FROM_KEY,
            bind="query-params",
            format="YYYY-MM-DD",
        )
        end = right.date_input(
            "To",
            value=today,
            min_value=earliest,
            max_value=today,
            key=TO_KEY,
            bind="query-params",
            format="YYYY-MM-DD",
        )
        window = Window(start or usual.start, end or today, zone)
    else:
        window = preset_window(preset, today, zone)
    problem: WindowError | None = None
    try:
        window.check(today)
    except WindowError as error:
        problem = error
        st.error(escape_markdown(str(error)), icon=":material/date_range:")
    else:
        st.caption(escape_markdown(f"{window.label()} · days in {zone}"))
    on = st.toggle(
        "Show the window's performance",
        value=True,
        key=ON_KEY,
        help="Sent, replies, bounces and their rates over the window, for every campaign, "
        "from SmartLead's analytics: a few requests per window, kept for "
        f"{max(1, settings.cache_ttl_seconds() // 60)} min.",
    )
    slot = st.empty()
    return WindowChoice(window, str(preset), problem, bool(on), today), slot


def fetch_line(result: LoadResult | None, choice: KeyChoice, history_note: str | None) -> None:
    """How many campaigns came from where and when, Refresh, notices and the history note."""
    if result is None or result.failed:
        return
    when = viewer_time(result.fetched_at)
    what = "demo campaigns" if result.source == "demo" else "campaigns fetched"
    st.caption(f"{len(result.frame):,} {what} · {when}")
    if choice.connection is not None:
        st.button(
            "Refresh",
            on_click=refresh_all,
            args=(choice,),
            icon=":material/refresh:",
            help=f"Fetch again now (otherwise every {settings.cache_ttl_seconds()} s at most).",
        )
    for notice in result.load.notices:  # upstream text: shown as text, never as Markdown
        st.caption(escape_markdown(notice.text))
    if history_note:
        st.caption(escape_markdown(f"History: {history_note}"))


def performance_toggle(choice: KeyChoice, view: pd.DataFrame) -> bool:
    """The switch for all-time per-campaign figures, saying what turning it on costs."""
    st.subheader("All-time figures")
    on = st.toggle(
        "Show all-time sent, replies and bounces",
        key=METRICS_TOGGLE,
        help="All-time totals and lead statistics, which SmartLead gives one campaign at a "
        "time, within its rate limit (SMARTLEAD_RATE_LIMIT); the window's performance does "
        "not need them. Reruns and page switches ask for nothing again.",
    )
    if choice.connection is None:
        st.caption(kept_words(None))
    elif on:
        st.caption(f"{kept_words(choice.connection)} Campaigns new to the view are fetched.")
    else:
        missing = missing_ids(choice.connection, statuses_of(view))
        st.caption(f"Turning this on costs {cost_text(choice.connection, len(missing))}.")
    return bool(on)
