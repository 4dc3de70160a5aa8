"""Overview: the whole portfolio at a glance (the dashboard's home page).

Run with ``streamlit run app.py``. Other pages live in ``pages/``.
"""

from functools import partial

import streamlit as st

from smartlead.charts import (
    STATUS_PICK,
    TAG_PICK,
    client_limit_chart,
    daily_limit_histogram,
    status_chart,
    tag_chart,
)
from smartlead.filters import portfolio_kpis
from ui.page import empty_state, narrow_from_chart, showing_line, start_page

portfolio = start_page("Portfolio overview", page="overview", icon=":material/dashboard:")
if portfolio is None:
    st.stop()
showing_line(portfolio)
if empty_state(portfolio):
    st.stop()

view = portfolio.view
kpis = portfolio_kpis(view, total=len(portfolio.frame))
columns = st.columns(6)
columns[0].metric(
    "Campaigns shown", f"{kpis['shown']:,}", help=f"of {kpis['total']:,} in the account"
)
columns[1].metric("Active", f"{kpis['active']:,}")
columns[2].metric("Paused", f"{kpis['paused']:,}")
columns[3].metric("Clients", f"{kpis['clients']:,}")
columns[4].metric("Tags", f"{kpis['tags']:,}")
columns[5].metric(
    "Daily limit of active campaigns",
    f"{kpis['active_daily_limit']:,}",
    help="Sum of max_leads_per_day (new leads contacted per day) over active campaigns.",
)

st.caption(
    "Click a status or a tag in a chart to narrow every page to it; "
    "double-click to clear the highlight."
)
left, right = st.columns(2)
left.altair_chart(
    status_chart(view),
    key="status_chart",
    on_select=partial(narrow_from_chart, "status_chart", STATUS_PICK, "status"),
    selection_mode=STATUS_PICK,
)
right.altair_chart(client_limit_chart(view))
st.altair_chart(
    tag_chart(view, portfolio.options.tag_colors),
    key="tag_chart",
    on_select=partial(narrow_from_chart, "tag_chart", TAG_PICK, "tag"),
    selection_mode=TAG_PICK,
)
st.altair_chart(daily_limit_histogram(view))
