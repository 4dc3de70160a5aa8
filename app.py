"""The dashboard's router: one sidebar for every page, then the page the URL names.

Run with ``streamlit run app.py``. The page scripts live in ``app_pages/`` (not ``pages/``:
see ``ui/page.py``) and only draw. Every run goes through the steps below, in this order. The
sidebar is drawn here, before ``script.run()``, so its widgets belong to this script and keep
their values (and the filters their URL parameters) on every page: nothing is restored by hand.
"""

from smartlead import perf

# First, before the dashboard's own modules are imported on the first run: the blocks they
# allocate then are mapped on their own too (ten Refreshes at 20,000 campaigns grew the
# server 1.12× set from here, 1.16–1.18× set after the imports; bench/bench_scale.py).
perf.keep_large_blocks_mapped()

import streamlit as st

from smartlead.filters import apply_filters
from ui.history import save_after_fetch
from ui.page import (
    APP_ICON,
    Portfolio,
    campaigns_in_view,
    filters_in_link,
    header,
    load_failed,
    navigation,
    serving,
    warn_ignored_link_filters,
    with_performance,
)
from ui.runway import with_lead_runway
from ui.sidebar import (
    connection_form,
    fetch_line,
    filter_widgets,
    performance_toggle,
    window_control,
)
from ui.window import cost_text, join_window, load_window, status_text

page, script = navigation()
st.set_page_config(
    page_title=f"{page.heading} · SmartLead portfolio", page_icon=APP_ICON, layout="wide"
)
requested_filters = filters_in_link()

with st.sidebar:
    choice, result = connection_form()

# A live fetch is kept in the review history (at most once per interval per account).
history_note = None
if result is not None and result.source == "live" and not result.failed:
    history_note = save_after_fetch(
        choice.connection, result.fetched_at.isoformat(), result.as_fetched
    )

with st.sidebar:
    fetch_line(result, choice, history_note)
# A key that cannot be used (a malformed SMARTLEAD_BASE_URL), or a load that failed.
failure = choice.problem if result is None else result.error
if failure is not None:
    load_failed(page, failure, choice)
    st.stop()
assert result is not None

with st.sidebar:
    window_choice, window_slot = window_control()
    filters = filter_widgets(result.options, window_choice.window.timezone)
    view = apply_filters(result.frame, filters)
    performance_on = performance_toggle(choice, view)

warn_ignored_link_filters(requested_filters)
progress_area = header(page, result)
# The window's figures (on by default): what it costs is said next to the control first.
scope_args = (choice.connection, result.frame, view, filters.clients)
window_slot.caption(cost_text(window_choice, *scope_args))
window_view = load_window(window_choice, choice.connection, result.frame, view, filters.clients)
window_slot.caption(status_text(window_view, *scope_args))
view = join_window(view, window_view)
if performance_on:
    view = with_performance(view, choice, progress_area)
# Lead statistics already kept, and the runway they give (no request: the Schedule page fetches).
view = with_lead_runway(view, choice.connection, window_view)
portfolio = Portfolio(
    frame=result.frame,
    view=view,
    filters=filters,
    options=result.options,
    result=result,
    key=choice,
    window=window_view,
)
try:
    if page.about_campaigns and not campaigns_in_view(portfolio):
        st.stop()
    with serving(portfolio):
        script.run()
finally:
    # What the window cost, once the page (the Overview's comparison) has asked for it.
    window_slot.caption(status_text(window_view, *scope_args))
