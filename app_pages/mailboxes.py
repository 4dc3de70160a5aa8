"""Mailboxes: can the portfolio send what it plans? Capacity against demand, and mailbox health."""

import streamlit as st

from smartlead.charts import capacity_demand_chart
from smartlead.ledger import (
    Ledger,
    campaigns_in_view,
    filter_mailboxes,
    group_summary,
    ledger_kpis,
    mailboxes_in_view,
)
from ui.downloads import export_buttons
from ui.mailboxes import (
    back_to_campaign,
    campaign_ledger_columns,
    campaign_option,
    failures_box,
    fetched_caption,
    filter_widgets,
    findings_table,
    follow_pending,
    mailbox_columns,
    mailbox_state,
    refresh_mailboxes,
    reset_mailbox_filters,
)
from ui.page import for_display, portfolio
from ui.text import escape_markdown

loaded = portfolio()
follow_pending(loaded.frame)
state = mailbox_state(loaded, st.empty())
if state is None:
    st.stop()

top = st.columns([4, 1])
top[0].caption(fetched_caption(state, loaded))
if loaded.key.connection is not None:
    top[1].button(
        "Refresh mailboxes",
        on_click=refresh_mailboxes,
        args=(loaded.key.connection,),
        icon=":material/refresh:",
        key="refresh_mailboxes",
    )
for notice in state.ledger.notices:
    st.caption(escape_markdown(notice))
failures_box(state, loaded)

filters = filter_widgets(state, loaded.frame)
every = state.ledger.mailboxes
shown = filter_mailboxes(mailboxes_in_view(every, loaded.view, loaded.filters), filters)
campaigns = campaigns_in_view(state.ledger, loaded.view)
if filters.campaigns:
    campaigns = campaigns[campaigns["id"].isin(filters.campaigns).to_numpy(dtype=bool)]
    if len(filters.campaigns) == 1:
        (only,) = filters.campaigns
        st.button(
            escape_markdown(f"Back to {campaign_option(only, loaded.frame)}"),
            on_click=back_to_campaign,
            args=(only,),
            icon=":material/arrow_back:",
            key="back_to_campaign",
        )
st.caption(f"Showing {len(shown):,} of {len(every):,} mailboxes.")
if shown.empty:
    st.info("No mailbox matches these filters.", icon=":material/filter_alt_off:")
    st.button("Reset mailbox filters", on_click=reset_mailbox_filters, key="reset_mailboxes")
    st.stop()

kpis = ledger_kpis(shown, campaigns)
row = st.columns(6)
row[0].metric("Mailboxes", f"{kpis['mailboxes']:,}")
row[1].metric(
    "Daily capacity",
    f"{kpis['capacity']:,.0f}",
    help="The daily caps (message_per_day) of these mailboxes, added up.",
)
row[2].metric(
    "Planned demand",
    f"{kpis['planned']:,.0f}",
    help="What the active campaigns in view plan to send a day: new leads per day plus the "
    "follow-ups their follow-up share makes room for.",
)
row[3].metric(
    "Shortfall",
    f"{kpis['shortfall']:,.0f}",
    help=f"Emails a day the active campaigns in view plan beyond the capacity they can draw "
    f"({kpis['short_campaigns']:,} campaigns short).",
)
row[4].metric(
    "Idle",
    f"{kpis['idle']:,}",
    help=f"In no active campaign ({kpis['only_paused']:,} of them only in paused ones); "
    f"{kpis['usage_unknown']:,} more whose use is unknown.",
)
row[5].metric(
    "Disconnected", f"{kpis['disconnected']:,}", help="SMTP or IMAP failing (see Connection)."
)

in_view = Ledger(campaigns, shown, state.ledger.shares)
per_client = group_summary(in_view, "client_name")
st.altair_chart(capacity_demand_chart(per_client))
st.caption(
    "Capacity: the caps of each client's mailboxes. Demand: what each client's active "
    "campaigns plan to send a day. A client's campaigns may also use other clients' mailboxes."
)
summary_config = {
    "mailboxes": st.column_config.NumberColumn("Mailboxes", format="%d"),
    "capacity": st.column_config.NumberColumn("Daily capacity", format="%.0f"),
    "demand": st.column_config.NumberColumn(
        "Demand on them", format="%.0f", help="What active campaigns plan to send through them."
    ),
    "utilisation": st.column_config.ProgressColumn(
        "Demand / capacity", format="percent", min_value=0.0, max_value=1.0
    ),
    "idle": st.column_config.NumberColumn("Idle", format="%d"),
    "unhealthy": st.column_config.NumberColumn(
        "Unhealthy",
        format="%d",
        help="Disconnected, warmup off, or reputation under the threshold.",
    ),
    "over_committed": st.column_config.NumberColumn("Over-committed", format="%d"),
    "active_campaigns": st.column_config.NumberColumn("Active campaigns", format="%d"),
    "disconnected": st.column_config.NumberColumn("Disconnected", format="%d"),
    "planned": st.column_config.NumberColumn("Campaigns plan", format="%.0f"),
    "drawable": st.column_config.NumberColumn("Campaigns can send", format="%.0f"),
    "shortfall": st.column_config.NumberColumn("Shortfall", format="%.0f"),
}
by_client, by_domain = st.tabs(["Per client", "Per domain"])
by_client.dataframe(
    per_client,
    hide_index=True,
    column_config={"client_name": "Client", **summary_config},
    key="capacity_per_client",
)
by_domain.dataframe(
    group_summary(in_view, "domain"),
    hide_index=True,
    column_config={"domain": "Domain", **summary_config},
    key="capacity_per_domain",
)

st.subheader("Mailboxes")
columns = mailbox_columns()
st.dataframe(
    for_display(shown[list(columns)]),
    hide_index=True,
    column_config=columns,
    key="mailbox_table",
)
export_buttons(shown, "mailboxes", "mailboxes", key="download_mailboxes")

st.subheader("Campaigns: planned against what their mailboxes can carry")
st.caption(
    "Each mailbox's cap is shared among the active campaigns that use it, in proportion to "
    "what each asks of it (its plan spread evenly over its mailboxes)."
)
ledger_columns = campaign_ledger_columns()
st.dataframe(
    campaigns.sort_values("shortfall", ascending=False, na_position="last")[list(ledger_columns)],
    hide_index=True,
    column_config=ledger_columns,
    key="campaign_ledger_table",
)

st.subheader("Mailbox health")
subject, about = state.findings["subject"], state.findings["id"]
findings = state.findings[
    (
        ((subject == "mailbox") & about.isin(shown["id"].dropna()))
        | ((subject == "campaign") & about.isin(campaigns["id"].dropna()))
    )
    .fillna(False)
    .to_numpy(dtype=bool)
]
if findings.empty:
    st.success("No mailbox finding among these mailboxes and campaigns.")
else:
    findings_table(findings, "mailbox_page_findings", "Download these findings (CSV)")
