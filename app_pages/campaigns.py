"""Campaigns: the filtered table, its exports, and one campaign's full settings."""

from functools import partial

import streamlit as st

from smartlead.export import to_csv_bytes, to_json_bytes
from smartlead.views import campaign_details, sort_campaigns, sort_orders_for
from ui.page import DETAIL_KEY, for_display, portfolio
from ui.tables import campaign_columns
from ui.text import campaign_label, escape_markdown

TABLE_KEY = "campaign_table"
TABLE_IDS = "_campaign_table_ids"

loaded = portfolio()
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
columns = campaign_columns(with_performance="reply_rate" in view.columns, window_words=window_words)
shown = for_display(view[list(columns)], ("created_at", "updated_at"))
st.session_state[TABLE_IDS] = view["id"].tolist()


def open_selected_row() -> None:
    """Table selection callback: show the picked row's campaign below the table."""
    rows = st.session_state[TABLE_KEY]["selection"]["rows"]
    ids = st.session_state.get(TABLE_IDS, [])
    if rows and rows[0] < len(ids):
        st.session_state[DETAIL_KEY] = ids[rows[0]]


st.dataframe(
    shown,
    key=TABLE_KEY,
    on_select=open_selected_row,
    selection_mode="single-row",
    hide_index=True,
    column_config=columns,
    width="stretch",
)

exports = st.columns([1, 1, 4])
exports[0].download_button(
    "Download CSV",
    data=partial(to_csv_bytes, view),
    file_name="smartlead-campaigns.csv",
    mime="text/csv",
    icon=":material/download:",
    on_click="ignore",
    help="Exactly the rows shown, every column; formulas in names are neutralised.",
)
exports[1].download_button(
    "Download JSON",
    data=partial(to_json_bytes, view),
    file_name="smartlead-campaigns.json",
    mime="application/json",
    icon=":material/data_object:",
    on_click="ignore",
)

st.divider()
details = campaign_details(loaded.frame, st.session_state.get(DETAIL_KEY))
if details is None:
    st.caption("Select a row to see the campaign's full settings, its parent and its subsequences.")
    st.stop()

campaign = details.campaign
st.subheader(escape_markdown(campaign_label(campaign["name"], campaign["id"])))
st.dataframe(details.settings, hide_index=True, width="stretch")


def open_campaign(campaign_id: int) -> None:
    st.session_state[DETAIL_KEY] = campaign_id


left, right = st.columns(2)
with left:
    st.markdown("**Parent campaign**")
    if details.parent_id is None:
        st.caption("None: this is a main campaign, not a subsequence.")
    elif details.parent is None:
        st.warning(
            f"Parent #{details.parent_id} is not in this portfolio (deleted, or another account's)."
        )
    else:
        st.button(
            campaign_label(details.parent["name"], details.parent["id"]),
            key="open_parent",
            on_click=open_campaign,
            args=(int(details.parent["id"]),),
            icon=":material/arrow_upward:",
        )
with right:
    st.markdown(f"**Subsequences** ({len(details.children)})")
    if details.children.empty:
        st.caption("None.")
    for child in details.children.itertuples():
        st.button(
            f"{campaign_label(child.name, child.id)} · {child.status}",
            key=f"open_child_{child.id}",
            on_click=open_campaign,
            args=(int(child.id),),
            icon=":material/subdirectory_arrow_right:",
        )
