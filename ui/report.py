"""The Overview's "Download report" buttons: the weekly report of what the page shows.

The report is :mod:`smartlead.report`'s, built from the page's view (every filter applied)
and the dashboard's date window against the window before it; when exactly one client is
selected a second button gives that client's version (:func:`smartlead.report.build_report`
with ``audience="client"``). What Streamlit caches (the history store, the previous window)
is read while the page runs; the report itself is built only when a button is clicked
(``st.download_button`` with a callable), so drawing the page costs nothing more. A download
is a preview: it saves no snapshot and remembers no report run (the weekly job does).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from smartlead import audit
from smartlead.errors import HistoryUnavailableError
from smartlead.filters import apply_filters
from smartlead.frame import campaigns_frame
from smartlead.history import Snapshot
from smartlead.report import (
    Audience,
    Report,
    build_report,
    client_entry,
    scoped_changes,
    since_facts,
)
from smartlead.report_render import render_html
from ui.history import HistoryAccess, history_access
from ui.page import Portfolio
from ui.text import escape_markdown
from ui.window import previous_frame

AGENCY_TITLE = "SmartLead portfolio report"


def selected_client(loaded: Portfolio) -> tuple[int, str] | None:
    """The one client the filters select (its id and name), else None."""
    if len(loaded.filters.clients) != 1:
        return None
    name = loaded.filters.clients[0]
    frame = loaded.frame
    ids = pd.array(frame.loc[(frame["client_name"] == name).fillna(False), "client_id"])
    found = {int(cid) for cid in ids if cid is not pd.NA}
    return (found.pop(), name) if len(found) == 1 else None


def _base(
    access: HistoryAccess, client_id: int | None
) -> tuple[Snapshot, frozenset[str] | None] | None:
    """The snapshot to compare with (the previous report's, else the newest of the scope)
    and the findings remembered with the previous report; None without a snapshot."""
    store, account = access.store, access.account
    if store is None or account is None:
        return None
    remembered = store.last_report(account, client_id)
    if access.is_demo:
        # The demo's history ends with the demo portfolio itself: tell the story of its
        # last week, as the Changes page does.
        newest = store.latest(account, 2)
        return (store.load(newest[-1].id), None) if len(newest) == 2 else None
    if remembered is not None and remembered.snapshot_id is not None:
        try:
            return store.load(remembered.snapshot_id), remembered.findings
        except HistoryUnavailableError:  # pruned or damaged: the newest one instead
            pass
    infos = [
        info
        for info in store.list(account)
        if info.client_filter is None or info.client_filter == client_id
    ]
    if not infos:
        return None
    return store.load(infos[0].id), None if remembered is None else remembered.findings


def _ids(frame: pd.DataFrame) -> set[int]:
    return {int(cid) for cid in pd.array(frame["id"], dtype="Int64") if cid is not pd.NA}


def report_builder(loaded: Portfolio, client: tuple[int, str] | None) -> Callable[[], str]:
    """A function that builds the HTML report of the page (for one client when given)."""
    access = history_access(loaded.key.connection)
    window = loaded.window
    current = loaded.view if window is not None and window.has_figures else None
    previous = None
    if current is not None and window is not None:
        previous = previous_frame(loaded.view, window, loaded.key.connection)
    filtered = not loaded.filters.is_default()

    def build() -> str:
        # Decoded on click only: the answer as SmartLead sent it when history keeps it (live,
        # history on), else the loaded records.
        fetched = loaded.result.as_fetched()
        records, clients = fetched or (
            list(loaded.result.load.records),
            list(loaded.result.load.clients),
        )
        return render_html(
            dashboard_report(loaded, client, access, records, clients, current, previous, filtered)
        )

    return build


def dashboard_report(
    loaded: Portfolio,
    client: tuple[int, str] | None,
    access: HistoryAccess,
    records: list,
    clients: list,
    current: pd.DataFrame | None,
    previous: pd.DataFrame | None,
    filtered: bool,
) -> Report:
    """The report of the page's view (see the module docstring)."""
    now = datetime.now(UTC)
    audience: Audience = "agency" if client is None else "client"
    view = loaded.view
    client_id = None if client is None else client[0]
    if client is not None:
        entry = client_entry(clients, client[0])
        keep = (pd.array(view["client_id"], dtype="Int64") == client[0]).fillna(False)
        view = view[keep.to_numpy(dtype=bool)]
        current = None if current is None else current[keep.to_numpy(dtype=bool)]
        scope = str(entry.get("name")) if entry and entry.get("name") else client[1]
    else:
        scope = "the campaigns shown (filters applied)" if filtered else "the whole portfolio"
    changes, reason, since, remembered = None, access.problem or "", None, None
    base = _base(access, client_id) if access.store is not None else None
    if access.store is not None and base is None:
        reason = "No earlier snapshot of this account: the report shows the current state only."
    if base is not None:
        snapshot, remembered = base
        if access.is_demo and access.store is not None and access.account is not None:
            # The demo's newest snapshot is the demo portfolio the page shows, as fetched.
            newest = access.store.load(access.store.latest(access.account, 1)[0].id)
            records, clients = newest.records, newest.clients
        changes = scoped_changes(snapshot, records, clients, client_id)
        # A change is kept when its campaign passes the filters now (removed ones: then).
        before = apply_filters(campaigns_frame(snapshot.records, snapshot.clients), loaded.filters)
        shown = _ids(view)
        were_shown = _ids(before)
        ids = pd.array(changes["id"], dtype="Int64")
        keep = [
            cid is not pd.NA and int(cid) in (were_shown if kind == "removed" else shown)
            for cid, kind in zip(ids, changes["kind"], strict=True)
        ]
        changes = changes[keep]
        since = since_facts(snapshot, audience)
    window = loaded.window
    labels = ("", "")
    title = "Performance: the window against the one before"
    performance_reason = "The date window has no figures."
    if window is not None:
        labels = (window.window.label(), window.window.previous().label())
        days = window.window.days
        title = f"Performance: these {days} days against the {days} before"
        performance_reason = window.message or performance_reason
    if previous is not None and client is not None:
        keep = (pd.array(previous["client_id"], dtype="Int64") == client[0]).fillna(False)
        previous = previous[keep.to_numpy(dtype=bool)]
    return build_report(
        view,
        title=AGENCY_TITLE if client is None else f"Campaign report: {scope}",
        generated_at=now,
        audience=audience,
        scope=scope,
        since=since,
        changes=changes,
        changes_reason=reason,
        findings=audit.run_audit(view, now=now) if client is None else None,
        previous_findings=remembered,
        current_window=current if previous is not None else None,
        previous_window=previous,
        window_labels=labels,
        performance_reason=performance_reason,
        performance_title=title,
        runway_reason="Lead statistics are not loaded (All-time figures in the sidebar).",
        capacity_reason="Mailbox capacity is on the Mailboxes page (not fetched here).",
    )


def download_buttons(loaded: Portfolio) -> None:
    """The Overview's buttons: the report of what the page shows, and the selected client's."""
    day = datetime.now(UTC).date().isoformat()
    client = selected_client(loaded)
    columns = st.columns(2 if client is not None else 1)
    columns[0].download_button(
        "Download report",
        data=report_builder(loaded, None),
        file_name=f"smartlead-report-{day}.html",
        mime="text/html",
        on_click="ignore",
        icon="📄",
        key="download_report",
        help="The weekly report of the campaigns shown, as one HTML file that opens anywhere "
        "(no network needed): what changed, health, the window against the one before.",
    )
    if client is not None:
        columns[1].download_button(
            f"Download the report for {escape_markdown(client[1])}",
            data=report_builder(loaded, client),
            file_name=f"client-report-{client[0]}-{day}.html",
            mime="text/html",
            on_click="ignore",
            icon="📄",
            key="download_client_report",
            help="The client-facing version: only this client's campaigns, no settings audit, "
            "no other client's name.",
        )
