"""Changes: what changed in the portfolio between two snapshots, and the portfolio over time."""

import streamlit as st

from smartlead import history
from smartlead.charts import timeline_chart
from smartlead.export import to_csv_bytes
from ui.history import AUTO_SAVE, history_access, save_now
from ui.page import for_display, portfolio
from ui.tables import labelled
from ui.text import escape_markdown

KIND_LABELS = {
    "added": "Added",
    "removed": "Removed",
    "status": "Status",
    "daily_limit": "Daily limit",
    "tags": "Tags",
    "schedule": "Schedule",
    "field": "Other settings",
}

loaded = portfolio()
access = history_access(loaded.key.key)
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
            value=st.session_state.get(AUTO_SAVE, True),
            key="auto_save_toggle",
            on_change=lambda: st.session_state.__setitem__(
                AUTO_SAVE, st.session_state["auto_save_toggle"]
            ),
            help="At most once per hour per account (SMARTLEAD_HISTORY_INTERVAL).",
        )
    if right.button("Save a snapshot now", icon=":material/save:", disabled=access.store is None):
        right.info(escape_markdown(save_now(loaded.key.key, loaded.result.as_fetched())))
if access.store is None:
    st.warning(escape_markdown(access.problem), icon=":material/history_toggle_off:")
    st.stop()

try:
    snapshots = access.store.list(access.account)
except history.HistoryUnavailableError as error:
    st.warning(f"History is unavailable: {escape_markdown(str(error))}")
    st.stop()

if len(snapshots) < 2:
    st.info(
        f"{len(snapshots)} snapshot of this account so far: changes need two. The next one is "
        "saved after a later fetch, or save one now.",
        icon=":material/hourglass_empty:",
    )
    st.stop()

labels = {info.id: info.label for info in snapshots}
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


@st.cache_data(max_entries=32, show_spinner="Comparing snapshots…")
def compare(_store: history.SnapshotStore, store_path: str, before: int, after: int):
    """The diff of two stored snapshots (they never change, so it is cached by their ids)."""
    return history.diff_stored(_store, before, after)


try:
    changes = compare(access.store, str(access.store.path), older, newer)
except history.HistoryUnavailableError as error:
    st.warning(f"These snapshots cannot be compared: {escape_markdown(str(error))}")
    st.stop()

summary = history.diff_summary(changes)
st.caption(
    f"From {labels[older]} to {labels[newer]}: {summary['changes']:,} changes "
    f"to {summary['campaigns_changed']:,} campaigns."
)
counts = st.columns(len(KIND_LABELS))
for column, (kind, label) in zip(counts, KIND_LABELS.items(), strict=True):
    column.metric(label, f"{summary.get(kind, 0):,}")

filters = st.columns(3)
kinds = filters[0].multiselect(
    "Kind of change", list(KIND_LABELS), format_func=KIND_LABELS.get, key="change_kinds"
)
clients = filters[1].multiselect(
    "Client", sorted(changes["client_name"].dropna().unique().tolist()), key="change_clients"
)
tag_names = sorted({t for tags in changes["tags"].dropna() for t in tags})
tags = filters[2].multiselect("Tag", tag_names, key="change_tags")
shown = history.filter_changes(changes, kinds=kinds, clients=clients, tags=tags)
st.dataframe(
    for_display(shown[list(history.DIFF_COLUMNS)]),
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
try:
    timeline = history.portfolio_timeline(access.store, access.account)
except history.HistoryUnavailableError as error:
    st.warning(f"The timeline is unavailable: {escape_markdown(str(error))}")
else:
    st.altair_chart(timeline_chart(timeline))
