"""Overview: the whole portfolio at a glance (the dashboard's home page).

It opens with the date window's performance (headline figures against the previous window of
the same length, the trend, per client and per tag), then the portfolio's settings, then the
all-time figures when they are turned on.
"""

from functools import partial

import streamlit as st

from smartlead import audit
from smartlead.charts import (
    STATUS_PICK,
    TAG_PICK,
    client_limit_chart,
    daily_limit_histogram,
    rates_chart,
    status_chart,
    tag_chart,
)
from smartlead.filters import portfolio_kpis
from smartlead.rates import portfolio_rates, rate_outliers, rates_by
from ui.charts import draw_chart
from ui.page import narrow_from_chart, portfolio
from ui.report import download_buttons
from ui.tables import labelled
from ui.window_section import window_section

PERFORMANCE_KPIS = {
    "reply_rate": "Reply rate (all time)",
    "bounce_rate": "Bounce rate (all time)",
    "open_rate": "Open rate (all time)",
}

loaded = portfolio()
view = loaded.view
download_buttons(loaded)
window_section(loaded)

st.subheader("Portfolio")
kpis = portfolio_kpis(view, total=len(loaded.frame))
columns = st.columns(6)
columns[0].metric(
    "Campaigns shown", f"{kpis['shown']:,}", help=f"of {kpis['total']:,} in the account"
)
columns[1].metric("Active", f"{kpis['active']:,}")
columns[2].metric("Paused", f"{kpis['paused']:,}")
columns[3].metric("Clients", f"{kpis['clients']:,}")
columns[4].metric("Tags", f"{kpis['tags']:,}")
columns[5].metric(
    "Active daily limit",
    f"{kpis['active_daily_limit']:,}",
    help="Daily limit of the active campaigns: the sum of their max_leads_per_day (new "
    "leads contacted per day).",
)

st.caption(
    "Click a status or a tag in a chart to narrow every page to it; "
    "double-click the chart to take that narrowing back."
)
NO_ACTIVE = "No active campaign in this view, so no daily limit to chart."
left, right = st.columns(2)
draw_chart(
    status_chart(view),
    empty="No campaign in this view.",
    where=left,
    key="status_chart",
    on_select=partial(narrow_from_chart, "status_chart", STATUS_PICK, "status"),
    selection_mode=STATUS_PICK,
)
draw_chart(client_limit_chart(view), empty=NO_ACTIVE, where=right)
draw_chart(
    tag_chart(view, loaded.options.tag_colors),
    empty="No campaign in this view.",
    key="tag_chart",
    on_select=partial(narrow_from_chart, "tag_chart", TAG_PICK, "tag"),
    selection_mode=TAG_PICK,
)
draw_chart(daily_limit_histogram(view), empty="No campaign in this view.")

if "reply_rate" in view.columns:
    st.subheader("All-time performance")
    rates = portfolio_rates(view)
    contacted = view["unique_sent_count"].sum(skipna=True)
    row = st.columns(4)
    row[0].metric("Leads contacted (all time)", f"{int(contacted):,}")
    for column, (name, label) in zip(row[1:], PERFORMANCE_KPIS.items(), strict=True):
        column.metric(label, "—" if rates[name] is None else f"{rates[name]:.1%}")
    st.caption(
        "Rates are per lead contacted and weighted: a client's reply rate is all its replies "
        "over all its leads contacted, so a small test campaign cannot skew it."
    )
    by_client, by_tag = st.columns(2)
    no_rates = "No campaign in this view has contacted a lead yet."
    limit = audit.DEFAULT_SETTINGS.max_bounce_rate  # where Health flags a bounce rate
    draw_chart(
        rates_chart(rates_by(view, "client_name"), "client_name", "Client", bounce_limit=limit),
        empty=no_rates,
        where=by_client,
    )
    draw_chart(
        rates_chart(rates_by(view, "tags"), "tag", "Tag", bounce_limit=limit),
        empty=no_rates,
        where=by_tag,
    )
    outliers = rate_outliers(view)
    st.markdown(
        f"**Outliers** ({len(outliers)}): bounce rate at least twice the portfolio's, "
        "or reply rate at most half of it, among campaigns with 100+ leads contacted."
    )
    if not outliers.empty:
        st.dataframe(
            outliers[
                [
                    "id",
                    "name",
                    "client_name",
                    "unique_sent_count",
                    "bounce_rate",
                    "reply_rate",
                    "reason",
                ]
            ],
            hide_index=True,
            column_config=labelled(
                unique_sent_count=st.column_config.NumberColumn("Leads contacted", format="%d"),
                bounce_rate=st.column_config.NumberColumn("Bounce rate", format="percent"),
                reply_rate=st.column_config.NumberColumn("Reply rate", format="percent"),
                reason=st.column_config.TextColumn("Why", width="large"),
            ),
        )
else:
    st.caption(
        "All-time totals and lead statistics (one request per campaign) are under All-time "
        "figures in the sidebar."
    )
