"""Campaigns: the filtered table, its exports, and one campaign's full settings."""

import pandas as pd
import streamlit as st

from smartlead import settings
from smartlead.links import campaign_url
from smartlead.views import (
    SETTING_TOPICS,
    campaign_details,
    settings_by_topic,
    sort_campaigns,
    sort_orders_for,
)
from ui.chips import tag_chips, tag_colors_in, tags_of
from ui.downloads import export_buttons
from ui.mailboxes import campaign_mailboxes, follow_pending
from ui.page import DETAIL_KEY, DETAIL_ROW, for_display, pick_campaign, portfolio
from ui.runway import campaign_runway
from ui.tables import APP_LINK, campaign_columns, fill_the_screen, with_app_links
from ui.text import campaign_label, escape_markdown
from ui.window import viewer_timezone

TABLE_KEY = "campaign_table"
TABLE_IDS = "_campaign_table_ids"
TABLE_ROWS = "_campaign_table_rows"
TAGS_TOPIC = next(topic for topic, columns in SETTING_TOPICS if "tags" in columns)

loaded = portfolio()
follow_pending(loaded.frame)
order = st.selectbox("Sort by", sort_orders_for(loaded.view), key="sort", bind="query-params")
view = sort_campaigns(loaded.view, order)
window = loaded.window
window_words = None
if window is not None and window.has_figures:
    window_words = window.choice.short
    st.caption(
        escape_markdown(
            f"Window: {window.choice.title}. Click a column's header to sort by it; the "
            "downloads hold every column, the window's included."
        )
    )
columns = campaign_columns(
    with_performance="reply_rate" in view.columns,
    window_words=window_words,
    with_runway="runway_days" in view.columns,
    tag_colors=tag_colors_in(view, loaded.options.tag_colors),
)
shown = for_display(view[[c for c in columns if c != APP_LINK]], ("created_at", "updated_at"))
shown = with_app_links(shown, view["id"])
st.session_state[TABLE_IDS] = view["id"].tolist()
st.session_state[TABLE_ROWS] = view.index.tolist()


def open_selected_row() -> None:
    """Table selection callback: show the picked row's campaign below the table (by its row,
    so a campaign whose id repeats is still the one picked)."""
    rows = st.session_state[TABLE_KEY]["selection"]["rows"]
    ids = st.session_state.get(TABLE_IDS, [])
    labels = st.session_state.get(TABLE_ROWS, [])
    if rows and rows[0] < min(len(ids), len(labels)) and ids[rows[0]] is not None:
        pick_campaign(ids[rows[0]], labels[rows[0]])


@st.fragment
def table_and_details() -> None:
    """The table and the picked campaign's settings. Picking a row (or a parent, a
    subsequence) reruns this part only (``st.fragment``): the sidebar, the load and the
    filters are not run again; what leaves the page (the Mailboxes button) reruns the app."""
    fill_the_screen("campaign_table_box").dataframe(
        shown,
        key=TABLE_KEY,
        on_select=open_selected_row,
        selection_mode="single-row",
        hide_index=True,
        column_config=columns,
        width="stretch",
        height="stretch",
    )

    export_buttons(view, "campaigns", "rows")

    repeated = view["id"][view["id"].duplicated(keep=False)].dropna().unique()
    if len(repeated):
        listed = ", ".join(f"#{campaign_id}" for campaign_id in repeated[:5])
        st.caption(
            f"SmartLead sent the same id for more than one campaign ({listed}"
            f"{', …' if len(repeated) > 5 else ''}); each row is still its own campaign, and "
            "selecting a row opens that row's campaign."
        )

    st.divider()
    details = campaign_details(
        loaded.frame,
        st.session_state.get(DETAIL_KEY),
        st.session_state.get(DETAIL_ROW),
        zone=viewer_timezone(),
    )
    if details is None:
        st.caption(
            "Select a row to see the campaign's full settings, its parent and its subsequences."
        )
        return

    campaign = details.campaign
    heading, link = st.columns([5, 1], vertical_alignment="bottom")
    heading.subheader(escape_markdown(campaign_label(campaign["name"], campaign["id"])))
    in_smartlead = campaign_url(campaign["id"], settings.campaign_url_template())
    if in_smartlead is not None:
        link.link_button(
            "Open in SmartLead", in_smartlead, icon=":material/open_in_new:", width="stretch"
        )
    if details.id_repeats:
        st.warning(
            f"{details.same_id} campaigns in this portfolio carry id #{campaign['id']}: these are "
            "the settings of the one selected.",
            icon=":material/content_copy:",
        )
    # The settings as a form grouped by topic: six boxes side by side, then anything else.
    topics = settings_by_topic(details.settings, viewer_timezone())
    grid = st.columns(3)
    for index, (topic, rows) in enumerate(topics):
        where = grid[index % 3] if topic != SETTING_TOPICS[-1][0] else st
        where.dataframe(
            rows,
            hide_index=True,
            width="stretch",
            height="content",
            column_config={
                "Setting": st.column_config.TextColumn(topic, width="medium"),
                "Value": st.column_config.TextColumn(" "),
            },
        )
        if topic == TAGS_TOPIC:  # the campaign's tags again, as chips in their own colours
            tag_chips(tags_of(campaign), loaded.options.tag_colors, where)

    left, right = st.columns(2)
    with left:
        st.markdown("**Parent campaign**")
        if details.parent_id is None:
            st.caption("None: this is a main campaign, not a subsequence.")
        elif details.parent is None:
            st.warning(
                f"Parent #{details.parent_id} is not in this portfolio (deleted, or another "
                "account's)."
            )
        else:
            st.button(  # button labels render Markdown: the name is escaped like every label
                escape_markdown(campaign_label(details.parent["name"], details.parent["id"])),
                key="open_parent",
                on_click=pick_campaign,
                args=(int(details.parent["id"]), details.parent.name),
                icon=":material/arrow_upward:",
            )
            if details.parents_with_id > 1:
                st.caption(
                    f"{details.parents_with_id} campaigns carry the parent's id "
                    f"#{details.parent_id}; the first of them is shown."
                )
    with right:
        st.markdown(f"**Subsequences** ({len(details.children)})")
        if details.children.empty:
            st.caption("None.")
        for child in details.children.itertuples():
            st.button(
                escape_markdown(f"{campaign_label(child.name, child.id)} · {child.status}"),
                key=f"open_child_{child.Index}",
                on_click=pick_campaign,
                args=(child.id, child.Index),
                icon=":material/subdirectory_arrow_right:",
                disabled=pd.isna(child.id),  # a subsequence without an id cannot be opened
            )

    campaign_runway(loaded, campaign)
    campaign_mailboxes(loaded, campaign)


table_and_details()
