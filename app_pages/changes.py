"""Changes: what changed in the portfolio between two snapshots, and the portfolio over time."""

import streamlit as st

from smartlead import settings, vocab
from smartlead.charts import timeline_chart
from smartlead.export import to_csv_bytes
from ui import history
from ui.charts import draw_chart
from ui.page import for_display, portfolio
from ui.tables import labelled
from ui.text import escape_markdown
from ui.window import viewer_timezone

loaded = portfolio()
access = history.history_access(loaded.key.connection)
if access.is_demo:
    st.caption(
        "Demo history: weekly snapshots of the demo portfolio. With a key, a snapshot is "
        "saved after each fetch (at most once an hour) and this page compares them."
    )
else:
    left, right = st.columns([1, 2])
    with left:
        st.toggle(
            "Save a snapshot after each fetch",
            value=st.session_state.get(history.AUTO_SAVE, True),
            key="auto_save_toggle",
            on_change=lambda: st.session_state.__setitem__(
                history.AUTO_SAVE, st.session_state["auto_save_toggle"]
            ),
            help="At most once per hour per account (SMARTLEAD_HISTORY_INTERVAL).",
        )
    if right.button("Save a snapshot now", icon=":material/save:", disabled=access.store is None):
        saved = history.save_now(access.connection, loaded.result.as_fetched())
        right.info(escape_markdown(saved))
if access.store is None:
    st.warning(escape_markdown(access.problem), icon=":material/history_toggle_off:")
    st.stop()

listed = history.snapshots(access)
if listed.value is None:
    st.warning(escape_markdown(listed.problem))
    st.stop()
snapshots = listed.value

zone = viewer_timezone()
if len(snapshots) == 1 and not access.is_demo:
    first = snapshots[0]
    st.info(
        history.history_start_text(
            first,
            zone,
            settings.history_interval_seconds(),
            auto_save=st.session_state.get(history.AUTO_SAVE, True),
        ),
        icon=":material/hourglass_top:",
    )
    st.subheader("The snapshot just taken")
    by_status = first.summary.get("by_status", {})
    figures = {
        "Campaigns": first.campaign_count,
        "Active": by_status.get(vocab.ACTIVE, 0),
        "Paused": by_status.get(vocab.PAUSED, 0),
        "Active daily limit": first.summary.get("active_daily_limit", 0),
        "Clients": first.summary.get("clients", 0),
    }
    for column, (label, value) in zip(st.columns(len(figures)), figures.items(), strict=True):
        column.metric(label, f"{int(value):,}")
    st.stop()
if len(snapshots) < 2:
    st.info(
        f"{len(snapshots)} snapshot of this account so far: changes need two. The next one is "
        "saved after a later fetch, or save one now.",
        icon=":material/hourglass_empty:",
    )
    st.stop()

labels = {info.id: history.snapshot_label(info, zone) for info in snapshots}
ids = list(labels)
pick = st.columns(2)
newer = pick[0].selectbox(
    "Compare the snapshot", ids, index=0, format_func=labels.get, key="snap_new"
)
older = pick[1].selectbox(
    "with the earlier snapshot", ids, index=1, format_func=labels.get, key="snap_old"
)
if older == newer:
    st.info("Pick two different snapshots.")
    st.stop()
if labels and ids.index(older) < ids.index(newer):
    older, newer = newer, older  # always read the change from the earlier to the later one

compared = history.compare(access, older, newer)
if compared.value is None:
    st.warning(escape_markdown(compared.problem))
    st.stop()
comparison = compared.value
narrowed = not loaded.filters.is_default()
if narrowed:
    comparison = comparison.within(loaded.view["id"].dropna())

summary = comparison.summary
scope = (
    f" among the {len(loaded.view):,} campaigns the sidebar's filters show (campaigns "
    "removed since are listed with no filter set)"
    if narrowed
    else ""
)
st.caption(
    f"From {labels[older]} to {labels[newer]}: {summary['changes']:,} changes "
    f"to {summary['campaigns_changed']:,} campaigns{scope}."
)
counts = st.columns(len(vocab.CHANGE_KINDS))
for column, (kind, label) in zip(counts, vocab.CHANGE_KINDS.items(), strict=True):
    column.metric(label, f"{summary.get(kind, 0):,}")

filters = st.columns(3)
kinds = filters[0].multiselect(
    "Kind of change",
    list(vocab.CHANGE_KINDS),
    format_func=vocab.CHANGE_KINDS.get,
    key="change_kinds",
)
clients = filters[1].multiselect("Client", comparison.clients, key="change_clients")
tags = filters[2].multiselect("Tag", comparison.tags, key="change_tags")
shown = comparison.filtered(kinds=kinds, clients=clients, tags=tags)
st.dataframe(
    for_display(shown),
    hide_index=True,
    column_config=labelled(
        kind="Change",
        field="Setting",
        before=st.column_config.TextColumn("Before", width="medium"),
        after=st.column_config.TextColumn("After", width="medium"),
        tags=st.column_config.ListColumn("Tags"),
    ),
)
st.download_button(
    "Download these changes (CSV)",
    data=lambda: to_csv_bytes(shown),
    file_name=f"smartlead-changes-{older}-to-{newer}.csv",
    mime="text/csv",
    on_click="ignore",
    icon=":material/download:",
)

st.subheader("The portfolio over time")
if narrowed:
    st.caption("The whole account at each snapshot: the sidebar's filters do not apply here.")
over_time = history.timeline(access)
if over_time.value is None:
    st.warning(escape_markdown(over_time.problem))
else:
    draw_chart(
        timeline_chart(over_time.value, zone),
        empty="No snapshot yet: the timeline starts with the first one.",
    )
