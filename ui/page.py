"""The one call every page starts with: page setup, sidebar, data, filters.

``start_page`` draws the sidebar (navigation, API key, Refresh, filters), loads the portfolio
through the one cached loader, applies the filters and hands the page a :class:`Portfolio`.
Pages stay thin: they draw what ``smartlead`` computes from ``portfolio.view``.

Two Streamlit behaviours shape this module:

- Streamlit forgets a widget's value on a page switch, and in 1.67 drops query parameters
  bound to widgets of another page when navigating. Every filter (and the Performance
  switch) is therefore mirrored in ``st.session_state`` under :data:`SAVED_STATE` and written
  back into its widget whenever the page changes. The key typed in the sidebar is kept in plain
  session state (:data:`SESSION_KEY`), not in a widget.
- Filters are bound to the URL (``bind="query-params"``), so a filtered view is a link. The
  sidebar's own page links carry the current filter parameters, so they survive navigation.
  The API key field is never bound: the key must not reach the URL.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date

import pandas as pd
import pyarrow as pa
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from smartlead import settings
from smartlead.charts import selected_values
from smartlead.filters import UNTAGGED, FilterOptions, Filters, apply_filters
from smartlead.rates import with_metrics
from ui.data import KeyChoice, LoadResult, choose_key, load, refresh
from ui.history import save_after_fetch
from ui.messages import explain
from ui.metrics import (
    METRICS_TOGGLE,
    cost_text,
    demo_metrics,
    live_metrics,
    missing_ids,
    retry_failures,
    wanted_ids,
)
from ui.text import escape_markdown


@dataclass(frozen=True)
class Page:
    """One page of the dashboard: its file, its name in the navigation, its title and icon."""

    path: str
    label: str
    title: str
    icon: str


PAGES: dict[str, Page] = {
    "overview": Page("app.py", "Overview", "Portfolio overview", ":material/dashboard:"),
    "campaigns": Page("pages/1_Campaigns.py", "Campaigns", "Campaigns", ":material/table_rows:"),
    "schedule": Page(
        "pages/2_Schedule_and_capacity.py",
        "Schedule & capacity",
        "Schedule & capacity",
        ":material/calendar_month:",
    ),
    "health": Page(
        "pages/3_Health.py", "Health", "Settings health", ":material/health_and_safety:"
    ),
    "changes": Page("pages/4_Changes.py", "Changes", "Changes", ":material/difference:"),
}
"""Every page, in navigation order. Streamlit's own page list is hidden (config.toml) because
it would call the home page 'app' and drop the filter parameters on every switch."""

KEY_INPUT = "api_key_input"
SESSION_KEY = "_api_key"
"""Where the key typed in the sidebar lives: server-side session state, never a widget."""
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

SAVED_STATE = "_saved_widget_state"
BOUNDS = "_range_filter_bounds"
"""Session state: the data bounds each range filter was last drawn with."""
LAST_PAGE = "_last_page"


@dataclass(frozen=True)
class Portfolio:
    """What a page draws from: the whole portfolio, the filtered view and how it was loaded."""

    frame: pd.DataFrame
    view: pd.DataFrame
    filters: Filters
    options: FilterOptions
    result: LoadResult
    key: KeyChoice

    @property
    def is_demo(self) -> bool:
        return self.result.source == "demo"


def _restore_widgets_after_page_switch(page: str) -> None:
    """Write the saved filter values back into their widgets when the page changed."""
    saved: dict = st.session_state.get(SAVED_STATE, {})
    if st.session_state.get(LAST_PAGE) != page:
        for key, value in saved.items():
            st.session_state[key] = value
    st.session_state[LAST_PAGE] = page


def _save_widgets() -> None:
    st.session_state[SAVED_STATE] = {
        key: st.session_state[key]
        for key in (*FILTER_KEYS, METRICS_TOGGLE)
        if key in st.session_state
    }


def reset_filters() -> None:
    """Put every filter back to 'show everything' (used as a button callback)."""
    for key in FILTER_KEYS:
        st.session_state.pop(key, None)
    saved = st.session_state.get(SAVED_STATE, {})
    st.session_state[SAVED_STATE] = {k: v for k, v in saved.items() if k not in FILTER_KEYS}


def _keep_known(key: str, allowed: tuple[str, ...]) -> None:
    """Drop remembered choices the current portfolio no longer offers (e.g. after a key change)."""
    current = st.session_state.get(key)
    if isinstance(current, list) and any(v not in allowed for v in current):
        st.session_state[key] = [v for v in current if v in allowed]


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


def _filter_widgets(options: FilterOptions) -> Filters:
    """The filter widgets, bound to the URL, turned into a :class:`Filters` value."""
    st.subheader("Filters")
    _keep_known("status", options.statuses)
    statuses = st.multiselect(
        "Status", options.statuses, key="status", bind="query-params", placeholder="All statuses"
    )
    _keep_known("client", options.clients)
    clients = st.multiselect(
        "Client", options.clients, key="client", bind="query-params", placeholder="All clients"
    )
    tag_choices = (*options.tags, UNTAGGED)
    _keep_known("tag", tag_choices)
    tags = st.multiselect(
        "Tags (any of)",
        tag_choices,
        key="tag",
        bind="query-params",
        placeholder="All tags",
        help=f"Campaigns with at least one of the chosen tags; '{UNTAGGED}' picks those with none.",
    )
    name_query = st.text_input(
        "Name contains", key="q", bind="query-params", placeholder="e.g. webinar"
    )
    created = _date_range("Created between (UTC)", "created", options.created)
    updated = _date_range("Last updated between (UTC)", "updated", options.updated)
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
        statuses=tuple(statuses),
        clients=tuple(clients),
        tags=tuple(tags),
        name_contains=name_query or "",
        created=created,
        updated=updated,
        daily_limit=limit,
        include_subsequences=bool(include_subsequences),
    )


def _forget_key() -> None:
    st.session_state.pop(SESSION_KEY, None)


def _connection() -> KeyChoice:
    """The key form and the source line; returns which key to use.

    The typed key moves into session state on submit and the field is cleared, so the key is
    never sent back to the browser (a password field's value would otherwise travel with
    every page switch) and it survives page switches without a widget to keep alive.
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
            st.session_state[SESSION_KEY] = typed.strip()
    choice = choose_key(st.session_state.get(SESSION_KEY))
    if choice.source == "sidebar":
        st.caption("Connected with the key you entered.")
        st.button("Disconnect", on_click=_forget_key, icon=":material/logout:")
    elif choice.source == "environment":
        st.caption(f"Using the key from the environment ({settings.ENV_API_KEY}).")
    elif choice.source == "secrets":
        st.caption("Using the key from the server's secrets.")
    else:
        st.caption("No key: showing the demo portfolio.")
    return choice


def _fetch_line(result: LoadResult | None, choice: KeyChoice) -> None:
    if result is None or result.failed:
        return
    when = result.fetched_at.strftime("%Y-%m-%d %H:%M UTC")
    what = "demo campaigns" if result.source == "demo" else "campaigns fetched"
    st.caption(f"{len(result.frame):,} {what} · {when}")
    if choice.connection is not None:
        st.button(
            "Refresh",
            on_click=refresh,
            args=(choice,),
            icon=":material/refresh:",
            help=f"Fetch again now (otherwise every {settings.cache_ttl_seconds()} s at most).",
        )
    for notice in result.load.notices:
        st.caption(escape_markdown(notice.text))
    if result.source == "live" and choice.connection is not None:
        saved = save_after_fetch(
            choice.connection, result.fetched_at.isoformat(), result.as_fetched
        )
        if saved:
            st.caption(f"History: {saved}")


def _performance_toggle(choice: KeyChoice, view: pd.DataFrame) -> bool:
    """The sidebar switch for performance metrics, saying what turning it on costs."""
    st.subheader("Performance")
    on = st.toggle(
        "Show sent, replies and bounces",
        key=METRICS_TOGGLE,
        help="SmartLead gives performance one campaign at a time, within its rate limit "
        "(SMARTLEAD_RATE_LIMIT). Figures are kept for "
        f"{settings.analytics_ttl_seconds() // 60} min, so reruns and page switches ask for "
        "nothing again.",
    )
    if choice.connection is None:
        st.caption("Demo figures, computed here: no request.")
    elif on:
        minutes = settings.analytics_ttl_seconds() // 60
        st.caption(f"Figures are kept {minutes} min; campaigns new to the view are fetched.")
    else:
        missing = missing_ids(choice.connection, wanted_ids(view))
        st.caption(f"Turning this on costs {cost_text(choice.connection, len(missing))}.")
    return bool(on)


def _with_performance(
    view: pd.DataFrame, choice: KeyChoice, progress_area: DeltaGenerator, top: DeltaGenerator
) -> pd.DataFrame:
    """The view with performance columns joined on; failures listed, never hidden."""
    if choice.connection is None:
        found = demo_metrics(view)
    else:
        found = live_metrics(choice.connection, wanted_ids(view), progress_area)
    if found.failures:
        names = dict(zip(view["id"], view["name"], strict=True))
        with top.expander(
            f"Performance is missing for {len(found.failures)} "
            f"campaign{'s' if len(found.failures) != 1 else ''}",
            icon=":material/warning:",
        ):
            st.dataframe(
                pd.DataFrame(
                    {
                        "id": list(found.failures),
                        "name": [names.get(cid) for cid in found.failures],
                        "reason": list(found.failures.values()),
                    }
                ),
                hide_index=True,
                column_config={"id": "ID", "name": "Campaign", "reason": "Why"},
            )
            st.button(
                "Try these again",
                on_click=retry_failures,
                args=(choice.connection,),
                key="retry_perf",
            )
    return with_metrics(view, found.metrics, found.failures)


def _filter_params() -> dict[str, list[str]]:
    """The filter parameters in the URL, as sent (untrusted text)."""
    return {name: st.query_params.get_all(name) for name in FILTER_KEYS if name in st.query_params}


def _ignored_link_filters(requested: dict[str, list[str]]) -> list[str]:
    """Values a link asked for that the filter widgets refused (malformed or out of range).

    Streamlit validates bound parameters itself and drops what it cannot use; comparing what
    the link held with what stayed in the URL tells the user, instead of failing silently.
    """
    kept = _filter_params()
    ignored = []
    for name, values in requested.items():
        if name not in kept and values == _as_params(st.session_state.get(name)):
            continue  # the link spelled out the default value, which Streamlit leaves out
        dropped = [value for value in values if value not in kept.get(name, [])]
        if dropped:
            ignored.append(f"{name}={', '.join(value[:40] for value in dropped[:5])}")
    return ignored


def _as_params(value: object) -> list[str]:
    """A widget value as URL parameter values, the way Streamlit writes them."""
    if isinstance(value, bool):
        return [str(value).lower()]
    if isinstance(value, (list, tuple)):
        return [v.isoformat() if isinstance(v, date) else str(v) for v in value]
    if isinstance(value, date):
        return [value.isoformat()]
    return [] if value in (None, "") else [str(value)]


def _navigation(container: DeltaGenerator) -> None:
    """Links to every page that carry the current filter parameters along."""
    params = filter_link_params()
    with container:
        for page in PAGES.values():
            st.page_link(page.path, label=page.label, icon=page.icon, query_params=params or None)


def start_page(page: str) -> Portfolio | None:
    """Set up the page (a key of :data:`PAGES`) and its sidebar; None on an error."""
    title = PAGES[page].title
    st.set_page_config(
        page_title=f"{title} · SmartLead portfolio", page_icon=PAGES[page].icon, layout="wide"
    )
    first_run = LAST_PAGE not in st.session_state
    link_filters = _filter_params() if first_run else {}
    _restore_widgets_after_page_switch(page)
    top = st.container()
    with st.sidebar:
        navigation = st.container()
        choice = _connection()
        result = load(choice)
        _fetch_line(result, choice)
        error = choice.problem if result is None else result.error
        if error is not None:
            _save_widgets()
            _navigation(navigation)
            top.title(title)
            told = explain(error, can_refresh=choice.connection is not None)
            top.error(
                f"**{told.title}.** {escape_markdown(told.what)} {escape_markdown(told.action)}",
                icon=":material/error:",
            )
            if choice.connection is not None:
                top.button("Try again", on_click=refresh, args=(choice,), key="retry")
            return None
        assert result is not None
        options = result.options
        filters = _filter_widgets(options)
        view = apply_filters(result.frame, filters)
        metrics_on = _performance_toggle(choice, view)
        _save_widgets()
        _navigation(navigation)
    ignored = _ignored_link_filters(link_filters)
    if ignored:
        top.warning(
            "Some filters in this link do not fit this portfolio and were ignored: "
            + escape_markdown("; ".join(ignored)),
            icon=":material/link_off:",
        )

    with top:
        st.title(title)
        if result.source == "demo":
            st.info(
                "**Demo portfolio.** These campaigns are made up. To review your own account, "
                "paste your SmartLead API key in the sidebar (SmartLead → Settings → API), or "
                f"set {settings.ENV_API_KEY} for the server.",
                icon=":material/science:",
            )
        progress_area = st.empty()
    if metrics_on:
        view = _with_performance(view, choice, progress_area, top)
    return Portfolio(
        frame=result.frame,
        view=view,
        filters=filters,
        options=options,
        result=result,
        key=choice,
    )


def showing_line(portfolio: Portfolio) -> None:
    """'Showing X of Y campaigns' under a page's title."""
    st.caption(f"Showing {len(portfolio.view):,} of {len(portfolio.frame):,} campaigns.")


def empty_state(portfolio: Portfolio) -> bool:
    """Say so when there is nothing to show; True when the page should stop drawing."""
    if portfolio.frame.empty:
        st.info(
            "This account has no campaigns yet. Create one in SmartLead, then press Refresh.",
            icon=":material/inbox:",
        )
        return True
    if portfolio.view.empty:
        st.info("No campaign matches these filters.", icon=":material/filter_alt_off:")
        st.button("Reset filters", on_click=reset_filters, key="reset_empty")
        return True
    return False


def for_display(frame: pd.DataFrame, time_columns: tuple[str, ...] = ()) -> pd.DataFrame:
    """A copy ready for ``st.dataframe``: times in the viewer's timezone, lists as lists.

    Times are converted to the browser's timezone (``st.context.timezone``; UTC when unknown).
    Arrow-backed list columns become plain Python lists: Streamlit serialises them the same
    way, but pandas cannot read its own metadata for nested Arrow types back (AppTest can).
    """
    zone = st.context.timezone or "UTC"
    shown = frame.copy()
    for column in time_columns:
        with contextlib.suppress(KeyError, ValueError, TypeError):
            shown[column] = shown[column].dt.tz_convert(zone)
    for column, dtype in shown.dtypes.items():
        if isinstance(dtype, pd.ArrowDtype) and pa.types.is_list(dtype.pyarrow_dtype):
            shown[column] = pd.Series(
                pa.array(shown[column].array).to_pylist(), index=shown.index, dtype=object
            )
    return shown


def narrow_from_chart(chart_key: str, selection: str, filter_key: str) -> None:
    """Chart click callback: make the clicked status or tag the filter, for every page."""
    picked = selected_values(st.session_state.get(chart_key), selection)
    if picked:
        st.session_state[filter_key] = picked


CAMPAIGNS_PAGE = PAGES["campaigns"].path
DETAIL_KEY = "detail_id"
"""Session state key of the campaign whose settings the Campaigns page shows."""


def filter_link_params() -> list[tuple[str, str]]:
    """The current filter parameters, to carry them to another page."""
    return [(name, value) for name in FILTER_KEYS for value in st.query_params.get_all(name)]


def open_campaign(campaign_id: int) -> None:
    """Show one campaign's settings on the Campaigns page, keeping the filters."""
    st.session_state[DETAIL_KEY] = int(campaign_id)
    st.switch_page(CAMPAIGNS_PAGE, query_params=filter_link_params() or None)


def campaigns_page(page: str) -> Portfolio:
    """``start_page`` for a page about the campaigns in view: 'showing X of Y' under the title,
    and the page stops early (after saying why) on an error, an empty account or a filter that
    matches nothing."""
    portfolio = start_page(page)
    if portfolio is None:
        st.stop()
    showing_line(portfolio)
    if empty_state(portfolio):
        st.stop()
    return portfolio
