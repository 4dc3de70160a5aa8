"""The Overview's first section: the date window's performance, or why there is none.

Headline figures (sent, replies, reply rate, positive replies, bounce rate) against the
previous window of the same length, the trend day by day, then per client and per tag, all
weighted by emails sent. What could not be fetched is listed, never hidden.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from smartlead import audit
from smartlead.charts import WINDOW_RATE_LABELS, rates_chart, window_trend_chart
from smartlead.rates import rates_by
from smartlead.window import WINDOW_RATES, campaigns_without_figures, window_kpis
from ui.messages import explain
from ui.page import Portfolio
from ui.tables import labelled
from ui.text import escape_markdown
from ui.window import WindowView, ask_per_campaign, per_campaign_cost, previous_frame

ROLLUP_COLUMNS = {
    "campaigns": st.column_config.NumberColumn("Campaigns", format="%d"),
    "window_sent": st.column_config.NumberColumn("Sent", format="%d"),
    "window_replied": st.column_config.NumberColumn("Replies", format="%d"),
    "window_reply_rate": st.column_config.NumberColumn("Reply rate", format="percent"),
    "window_positive_replied": st.column_config.NumberColumn("Positive replies", format="%d"),
    "window_bounced": st.column_config.NumberColumn("Bounces", format="%d"),
    "window_bounce_rate": st.column_config.NumberColumn("Bounce rate", format="percent"),
}
"""The roll-up tables' columns, in order, with their labels."""


def window_section(loaded: Portfolio) -> None:
    """Draw the window's performance for the campaigns in view."""
    shown = loaded.window
    if shown is None:
        return
    st.subheader(escape_markdown(f"Performance · {shown.choice.title}"))
    if not shown.has_figures:
        _without_figures(loaded, shown)
        return
    view = loaded.view
    before = shown.window.previous()
    previous = previous_frame(view, shown, loaded.key.connection)
    figures = window_kpis(view, previous)
    # no delta description under each figure: it is cut at 1400 px; the caption below says it
    for column, kpi in zip(st.columns(len(figures)), figures, strict=True):
        column.metric(
            kpi.label,
            kpi.value_text(),
            delta=kpi.change_text(),
            delta_color="normal" if kpi.higher_is_better else "inverse",
            help=f"{kpi.help} Previous {before.days} days ({before.label()}): "
            f"{kpi.previous_text()}.",
        )
    said = [
        f"Changes are against the previous {before.days} days ({before.label()}); green is "
        "better, so a falling bounce rate shows green. Rates are per email sent in the "
        "window and weighted: all replies over all emails sent, so a small campaign cannot "
        "skew them. In the charts replies are green and bounces red; the dashed red line is "
        f"where Health flags a bounce rate ({audit.DEFAULT_SETTINGS.max_window_bounce_rate:.0%} "
        "of emails sent)."
    ]
    if previous is None:
        said.append("The previous window's figures are not available, so no change is shown.")
    positive = next(kpi for kpi in figures if kpi.key == "window_positive_replied")
    if positive.value is None:
        said.append(
            "SmartLead sent no positive replies for these campaigns (they come only with its "
            "detailed answers)."
        )
    missing = campaigns_without_figures(view)
    if missing:
        said.append(
            f"{missing:,} campaign{'s' if missing != 1 else ''} in view "
            f"{'have' if missing != 1 else 'has'} no figures for this window (listed below)."
        )
    st.caption(" ".join(said))
    if shown.daily is not None:
        st.altair_chart(window_trend_chart(shown.daily.frame, shown.window.timezone))
        st.caption(
            escape_markdown(
                f"Day by day, {shown.trend_scope}, days counted in {shown.window.timezone}."
            )
        )
    elif shown.source == "per_campaign":
        st.caption("No daily trend: it needs SmartLead's window analytics.")
    # Only the open tab is drawn (``on_change="rerun"``): each costs a grouping and a chart.
    by_client, by_tag = st.tabs(["Per client", "Per tag"], key="window_rollups", on_change="rerun")
    if by_client.open:
        with by_client:
            _rollup(view, "client_name", "Client")
    if by_tag.open:
        with by_tag:
            st.caption("A campaign with two tags counts under both.")
            _rollup(view, "tags", "Tag")
    _what_is_missing(view, shown)


def _rollup(view: pd.DataFrame, by: str, title: str) -> None:
    """Window rates per client or tag: a chart and its table."""
    rollup = rates_by(view, by, rates=WINDOW_RATES)
    group = "tag" if by == "tags" else by
    st.altair_chart(
        rates_chart(
            rollup,
            group,
            title,
            labels=WINDOW_RATE_LABELS,
            weight="window_sent",
            weight_title="Emails sent",
            share_of="emails sent",
            bounce_limit=audit.DEFAULT_SETTINGS.max_window_bounce_rate,
        )
    )
    columns = [group, *(name for name in ROLLUP_COLUMNS if name in rollup.columns)]
    st.dataframe(
        rollup[columns],
        hide_index=True,
        column_config={group: title, **ROLLUP_COLUMNS},
        key=f"window_rollup_{group}",
    )


def _what_is_missing(view: pd.DataFrame, shown: WindowView) -> None:
    """Requests that failed and the campaigns they left without figures, in words."""
    failures = shown.failures
    notes = list(shown.notes)
    unreadable = shown.metrics.unreadable if shown.metrics is not None else 0
    if shown.daily is not None:
        unreadable += shown.daily.unreadable
    if unreadable:
        notes.append(
            f"{unreadable:,} row{'s' if unreadable != 1 else ''} of SmartLead's answers named no "
            "campaign or day that could be read, and could not be counted."
        )
    unknown = view[pd.array(view["window_sent"], dtype="Int64").isna()]
    if not failures and unknown.empty and not notes:
        return
    label = f"Not everything could be fetched for this window ({len(failures)} failed)"
    with st.expander(label, icon=":material/warning:"):
        for failure in failures:
            st.text(failure.describe())
        for note in notes:
            st.text(note)
        if not unknown.empty:
            st.caption("Campaigns in view without figures for this window:")
            st.dataframe(
                unknown[["id", "name", "client_name", "status"]],
                hide_index=True,
                column_config=labelled(),
                key="window_unknown",
            )


def _without_figures(loaded: Portfolio, shown: WindowView) -> None:
    """Why the window has no figures, and what can be done."""
    if shown.source == "off":
        st.info(
            "Window performance is turned off: turn it on under Window in the sidebar.",
            icon=":material/toggle_off:",
        )
        return
    if shown.source == "invalid":
        st.warning(escape_markdown(shown.message or ""), icon=":material/date_range:")
        return
    if shown.source == "unavailable":
        connection = loaded.key.connection
        st.warning(escape_markdown(shown.message or ""), icon=":material/block:")
        if connection is not None:
            cost = per_campaign_cost(connection, shown.window, len(loaded.view))
            st.caption(
                escape_markdown(
                    "SmartLead's per-campaign endpoint gives the same window one campaign at "
                    f"a time: for the {len(loaded.view):,} campaigns in view that is {cost} "
                    "(no daily trend, no positive replies, no comparison)."
                )
            )
            st.button(
                "Fetch the window one campaign at a time",
                on_click=ask_per_campaign,
                args=(shown.window,),
                key="window_per_campaign",
                icon=":material/hourglass_top:",
            )
        return
    fetched = shown.fetch
    error = None if fetched is None else fetched.error
    if error is not None:
        told = explain(error, can_refresh=True)
        st.error(f"**{told.title}.** {escape_markdown(told.what)}", icon=":material/error:")
        if told.action:
            st.caption(escape_markdown(told.action))
    elif shown.message:
        st.warning(escape_markdown(shown.message), icon=":material/warning:")
