"""The pages of the dashboard and what the router hands them: one :class:`Portfolio` per run.

``app.py`` is the router: it draws the sidebar (``ui.sidebar``), loads and filters the
portfolio, draws the header every page shares (title, demo banner, notices) and then runs the
page script from ``app_pages/`` inside :func:`serving`. A page script asks for the portfolio
with :func:`portfolio` and only draws.

Why ``app_pages/`` and not ``pages/``: Streamlit 1.67 treats a folder named ``pages`` next to
the entrypoint as old-style pages until some session has called ``st.navigation``. The first
run of a server process then runs the requested page script *without* the router (a deep link
as the first request fails), and AppTest, which starts every run afresh, never reaches the
router at all. Any other folder name avoids that.

Why no state is copied around any more: widgets the entrypoint draws before ``page.run()``
belong to the entrypoint script, so Streamlit keeps their values on every page; and a filter
bound to the URL (``bind="query-params"``) keeps its parameter on a page switch, because the
browser carries bound parameters along to the next page and the server only drops those bound
to widgets of *other pages* (``QueryParams.populate_from_query_string`` keeps parameters of
the main script and of the page being opened). Back and forward replay the URL of the history
entry ("history navigation": the URL wins over session state), so they restore the filters of
that moment.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date

import pandas as pd
import pyarrow as pa
import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.navigation.page import StreamlitPage

from smartlead import settings
from smartlead.charts import selected_values
from smartlead.errors import PortfolioError
from smartlead.filters import FilterOptions, Filters
from smartlead.rates import with_metrics
from ui.bound import normalised_values
from ui.data import KeyChoice, LoadResult, refresh
from ui.failures import missing_figures
from ui.messages import explain
from ui.metrics import demo_metrics, live_metrics, retry_failures, statuses_of
from ui.sidebar import LINK_KEYS, LINK_LABELS, clear_filter, reset_filters
from ui.text import escape_markdown
from ui.window import WindowView, viewer_timezone

APP_ICON = "📊"
"""The favicon. An emoji: Streamlit turns it into an inline SVG, so the browser asks no
server for it (a ``:material/…:`` page icon would make it fetch one from Google's fonts)."""


@dataclass(frozen=True)
class Page:
    """One page of the dashboard: its script, its place in the navigation, its heading."""

    path: str
    """The page script, relative to ``app.py``."""
    label: str
    """Its name in the navigation."""
    heading: str
    """Its title on the page and in the browser's tab."""
    icon: str
    """An emoji (see :data:`APP_ICON` for why not a Material icon)."""
    url_path: str
    """Its name in its address (``/campaigns``); the home page is served at ``/``."""
    home: bool = False
    """Whether this is the page served at ``/`` (exactly one is)."""
    about_campaigns: bool = True
    """Whether the page shows the campaigns in view: then the router writes "Showing X of Y"
    under the title and stops the page with a message when there is nothing to show."""
    old_url_path: str | None = None
    """Its address before the router (Streamlit's ``pages/1_Campaigns.py`` naming), which
    links sent earlier still use: the page is served there too, unlisted."""

    @property
    def address(self) -> str:
        """The page's path in the browser's address bar."""
        return "/" if self.home else f"/{self.url_path}"


PAGES: dict[str, Page] = {
    "overview": Page(
        "app_pages/overview.py", "Overview", "Portfolio overview", "📊", "overview", home=True
    ),
    "campaigns": Page(
        "app_pages/campaigns.py",
        "Campaigns",
        "Campaigns",
        "📋",
        "campaigns",
        old_url_path="Campaigns",
    ),
    "schedule": Page(
        "app_pages/schedule.py",
        "Schedule & capacity",
        "Schedule & capacity",
        "🗓️",
        "schedule",
        old_url_path="Schedule_and_capacity",
    ),
    "health": Page(
        "app_pages/health.py", "Health", "Settings health", "🩺", "health", old_url_path="Health"
    ),
    "mailboxes": Page(
        "app_pages/mailboxes.py", "Mailboxes", "Mailboxes", "📮", "mailboxes", about_campaigns=False
    ),
    "changes": Page(
        "app_pages/changes.py",
        "Changes",
        "Changes",
        "🔀",
        "changes",
        about_campaigns=False,
        old_url_path="Changes",
    ),
}
"""Every page, in navigation order."""

DETAIL_KEY = "detail_id"
"""Session state key of the campaign whose settings the Campaigns page shows."""

DETAIL_ROW = "detail_row"
"""Session state key of that campaign's row label in the portfolio's frame: ids can repeat,
so the row (when known) says which of the campaigns with that id was picked."""

_OPENED = "_session_opened"
"""Session state: set after the first run, so a link's filters are checked only when opened."""

_REQUESTED = "_link_filters"
"""Session state: the opening link's filter parameters, until they were checked."""


@dataclass(frozen=True)
class Portfolio:
    """What a page draws from: the whole portfolio, the filtered view and how it was loaded."""

    frame: pd.DataFrame
    view: pd.DataFrame
    filters: Filters
    options: FilterOptions
    result: LoadResult
    key: KeyChoice
    window: WindowView | None = None
    """The date window's figures (joined onto ``view`` when there are some), or why not."""

    @property
    def is_demo(self) -> bool:
        return self.result.source == "demo"


# --------------------------------------------------------------------------- navigation


def _route(page: Page, url_path: str, *, old: bool = False) -> StreamlitPage:
    return st.Page(
        page.path,
        title=page.label,
        icon=page.icon,
        url_path=url_path,
        default=page.home and not old,
        visibility="hidden" if old else "visible",
    )


def navigation() -> tuple[Page, StreamlitPage]:
    """``st.navigation`` over :data:`PAGES`: the page this run shows, and its script to run.

    A page is also served, unlisted, at its old address (``/Campaigns?status=ACTIVE``), so
    links sent before still open it with their filters. It is served there rather than
    forwarded: a forward would add a history entry that forwards again, and the back button
    could never leave the page.
    """
    routes = {_route(page, page.url_path): page for page in PAGES.values()}
    routes |= {
        _route(page, page.old_url_path, old=True): page
        for page in PAGES.values()
        if page.old_url_path
    }
    current = st.navigation(list(routes))
    return routes[current], current


# --------------------------------------------------------------------------- the router's steps


def filters_in_link() -> dict[str, list[str]]:
    """The filter parameters of the link this session was opened with; empty on later runs.

    Read before the filter widgets are drawn: Streamlit drops what a widget cannot use, and
    :func:`warn_ignored_link_filters` compares the two afterwards. Kept until it has (a run
    can start over before then: see :func:`ui.bound.multiselect_filter`).
    """
    if st.session_state.get(_OPENED):
        return st.session_state.get(_REQUESTED, {})
    st.session_state[_OPENED] = True
    st.session_state[_REQUESTED] = _filter_params()
    return st.session_state[_REQUESTED]


def _filter_params() -> dict[str, list[str]]:
    """The sidebar's parameters in the URL (filters and window), as sent (untrusted text)."""
    return {name: st.query_params.get_all(name) for name in LINK_KEYS if name in st.query_params}


def warn_ignored_link_filters(requested: dict[str, list[str]]) -> None:
    """Say which values of the link the filter widgets refused (malformed or out of range).

    Streamlit validates bound parameters itself and drops what it cannot use; comparing what
    the link held with what stayed in the URL tells the user, instead of failing silently.
    """
    st.session_state.pop(_REQUESTED, None)
    kept = _filter_params()
    ignored = []
    for name, values in requested.items():
        current = st.session_state.get(name)
        if isinstance(current, str):
            current = LINK_LABELS.get(name, {}).get(current, current)
        if name not in kept and values == _as_params(current):
            continue  # the link spelled out the default value, which Streamlit leaves out
        read_as_none = normalised_values(name)  # every option: no filter, not ignored
        dropped = [v for v in values if v not in kept.get(name, []) and v not in read_as_none]
        if dropped:
            ignored.append(f"{name}={', '.join(value[:40] for value in dropped[:5])}")
    if ignored:
        st.warning(
            "Some filters or window settings in this link do not fit and were ignored: "
            + escape_markdown("; ".join(ignored)),
            icon=":material/link_off:",
        )


def _as_params(value: object) -> list[str]:
    """A widget value as URL parameter values, the way Streamlit writes them."""
    if isinstance(value, bool):
        return [str(value).lower()]
    if isinstance(value, (list, tuple)):
        return [v.isoformat() if isinstance(v, date) else str(v) for v in value]
    if isinstance(value, date):
        return [value.isoformat()]
    return [] if value in (None, "") else [str(value)]


def load_failed(page: Page, error: PortfolioError, choice: KeyChoice) -> None:
    """The page's title and what went wrong, in words, with what to do and a way to try
    again (the dashboard's own wording of the error's remedy: ``ui.messages``)."""
    st.title(page.heading)
    can_retry = choice.connection is not None
    told = explain(error, again="press Try again below" if can_retry else "reload the page")
    st.error(
        f"**{told.title}.** {escape_markdown(told.what)}",  # the title is ours
        icon=":material/error:",
    )
    if told.action:
        st.caption(escape_markdown(told.action))
    if can_retry:
        st.button("Try again", on_click=refresh, args=(choice,), key="retry")


def header(page: Page, result: LoadResult) -> DeltaGenerator:
    """The page's title and, in demo mode, the banner; returns a place for progress bars."""
    st.title(page.heading)
    if result.source == "demo":
        st.info(
            "**Demo portfolio.** These campaigns are made up. To review your own account, "
            "paste your SmartLead API key in the sidebar (SmartLead → Settings → API), or "
            f"set {settings.ENV_API_KEY} for the server.",
            icon=":material/science:",
        )
    return st.empty()


def with_performance(
    view: pd.DataFrame, choice: KeyChoice, progress_area: DeltaGenerator
) -> pd.DataFrame:
    """The view with performance columns joined on; failures listed, never hidden."""
    if choice.connection is None:
        found = demo_metrics(view)
    else:
        found = live_metrics(choice.connection, statuses_of(view), progress_area)
    missing_figures(
        "Performance is", found.failures, view, retry_failures, choice.connection, "retry_perf"
    )
    return with_metrics(view, found.metrics, found.failures)


def campaigns_in_view(portfolio: Portfolio) -> bool:
    """'Showing X of Y campaigns', or why there is nothing to show; False when there is none."""
    st.caption(f"Showing {len(portfolio.view):,} of {len(portfolio.frame):,} campaigns.")
    if portfolio.frame.empty:
        st.info(
            "This account has no campaigns yet. Create one in SmartLead, then press Refresh.",
            icon=":material/inbox:",
        )
        return False
    if portfolio.view.empty:
        st.info("No campaign matches these filters.", icon=":material/filter_alt_off:")
        st.button("Reset filters", on_click=reset_filters, key="reset_empty")
        return False
    return True


_SERVED: ContextVar[Portfolio | None] = ContextVar("smartlead_portfolio", default=None)
"""The portfolio of the run in progress. A context variable, not session state: it lives
exactly as long as the page's run, in the thread running it, and is never kept between runs."""


@contextlib.contextmanager
def serving(served: Portfolio) -> Iterator[None]:
    """Make ``served`` what :func:`portfolio` returns while the page script runs."""
    token = _SERVED.set(served)
    try:
        yield
    finally:
        _SERVED.reset(token)


def portfolio() -> Portfolio:
    """The portfolio the router loaded and filtered for this run (what a page draws from)."""
    served = _SERVED.get()
    if served is None:
        raise RuntimeError("Page scripts run through app.py, which loads the portfolio first.")
    return served


# --------------------------------------------------------------------------- for the pages


def for_display(frame: pd.DataFrame, time_columns: tuple[str, ...] = ()) -> pd.DataFrame:
    """A copy ready for ``st.dataframe``: times in the viewer's timezone, lists as lists.

    Times are converted to the viewer's time zone, the one chosen next to the window control
    (UTC unless another is picked), so every time on every page is in one zone.
    Arrow-backed list columns become plain Python lists: Streamlit serialises them the same
    way, but pandas cannot read its own metadata for nested Arrow types back (AppTest can).
    """
    zone = viewer_timezone()
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


NARROWED = "_narrowed_by_chart"
"""Session state: filter key → the values a chart click put in it (what a double-click on
that chart takes back out)."""


def narrow_from_chart(chart_key: str, selection: str, filter_key: str) -> None:
    """Chart selection callback: a click makes the clicked status or tag the filter, for
    every page; a double-click (the selection cleared) takes that narrowing back, unless the
    filter was changed by hand since."""
    picked = selected_values(st.session_state.get(chart_key), selection)
    narrowed: dict[str, list[str]] = st.session_state.setdefault(NARROWED, {})
    if picked:
        st.session_state[filter_key] = picked
        narrowed[filter_key] = picked
    elif narrowed.get(filter_key) == list(st.session_state.get(filter_key) or []):
        del narrowed[filter_key]
        clear_filter(filter_key)


def pick_campaign(campaign_id: int, row: object = None) -> None:
    """Make one campaign the one whose settings the Campaigns page shows (``row``: its row
    label in the frame, which tells campaigns sharing an id apart)."""
    st.session_state[DETAIL_KEY] = int(campaign_id)
    if row is None:
        st.session_state.pop(DETAIL_ROW, None)
    else:
        st.session_state[DETAIL_ROW] = int(row)  # type: ignore[call-overload]


def open_campaign(campaign_id: int, row: object = None) -> None:
    """Show one campaign's settings on the Campaigns page, keeping the filters.

    ``st.switch_page`` refuses to set or clear URL parameters that are bound to widgets, so it
    gets an empty set of parameters rather than the filters (or ``None``, which would try to
    clear them). The filters still arrive: the router draws the same filter widgets on the
    Campaigns page, they keep their values, and Streamlit writes their parameters back.
    """
    pick_campaign(campaign_id, row)
    st.switch_page(PAGES["campaigns"].path, query_params={})
