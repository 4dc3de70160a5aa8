"""Review history in the dashboard: the server's snapshot store, saves, comparisons, timeline.

A snapshot is saved after a live fetch (never for demo data), at most once per
``SMARTLEAD_HISTORY_INTERVAL`` per account; the sidebar says what happened. A store that is
missing, locked, read-only or damaged only produces a message: the rest of the dashboard
keeps working. In demo mode the Changes page reads a throwaway store holding a few weeks of
the demo portfolio, so a fresh install shows the whole product.

Nothing here draws: every function returns a value, or what went wrong as a sentence the page
shows as it is (the package's message plus what the user can do, from its remedy).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Generic, TypeVar

import pandas as pd
import streamlit as st

from smartlead import demo, history, perf, settings
from smartlead.connection import Connection
from smartlead.errors import HistoryUnavailableError, PortfolioError
from smartlead.history import SnapshotInfo, SnapshotStore
from ui.messages import remedy_text
from ui.window import viewer_time, viewer_timezone

AUTO_SAVE = "_history_auto_save"
"""Session state: whether this session saves a snapshot after each live fetch (default yes)."""

_HANDLED = "_history_handled_fetches"

T = TypeVar("T")


@dataclass(frozen=True)
class Answer(Generic[T]):
    """A value for the page to draw, or (``value`` None) why there is none, in words."""

    value: T | None = None
    problem: str | None = None


@dataclass(frozen=True)
class HistoryAccess:
    """The store and account a page reads history from, or why there is none."""

    store: SnapshotStore | None
    account: str | None
    problem: str | None = None
    is_demo: bool = False
    connection: Connection | None = field(default=None, repr=False)
    """The account's connection (None for the demo), for saving by hand."""


@dataclass(frozen=True)
class Comparison:
    """What changed between two snapshots, and what the Changes page filters it by."""

    changes: pd.DataFrame
    summary: dict[str, int]
    clients: list[str]
    """Client names that occur in the changes, sorted."""
    tags: list[str]
    """Tag names that occur in the changes, sorted."""

    @classmethod
    def of(cls, changes: pd.DataFrame) -> Comparison:
        """The comparison of a diff: its summary and the clients and tags it mentions."""
        return cls(
            changes=changes,
            summary=history.diff_summary(changes),
            clients=sorted(changes["client_name"].dropna().unique().tolist()),
            tags=sorted({tag for tags in changes["tags"].dropna() for tag in tags}),
        )

    def within(self, ids: Iterable[object]) -> Comparison:
        """Only the changes to the campaigns ``ids`` (the sidebar's view), counts included:
        the shared filters narrow this page like every other."""
        return Comparison.of(self.changes[self.changes["id"].isin(set(ids))].reset_index(drop=True))

    def filtered(
        self, kinds: Iterable[str] = (), clients: Iterable[str] = (), tags: Iterable[str] = ()
    ) -> pd.DataFrame:
        """The changes matching every filter given (empty: no filter), in the diff's columns."""
        shown = history.filter_changes(self.changes, kinds=kinds, clients=clients, tags=tags)
        return shown[list(history.DIFF_COLUMNS)]


def problem_text(what: str, error: PortfolioError) -> str:
    """``what: <what happened>`` followed by what the user can do, as one plain sentence."""
    advice = remedy_text(error)
    return f"{what}: {error}" + (f" {advice}" if advice else "")


@st.cache_resource(show_spinner=False, on_release=history.close_store)
def _server_store() -> SnapshotStore | None:
    """The one store of this server (None when history is off). Failures are not cached; a
    released store's connections (PostgreSQL) are closed."""
    return history.open_store()


@st.cache_resource(show_spinner="Preparing the demo history…")
def _demo_store(size: int) -> SnapshotStore:
    """A throwaway store holding weekly snapshots of the demo portfolio."""
    folder = Path(tempfile.mkdtemp(prefix="smartlead-demo-history-"))
    store = history.SQLiteSnapshotStore(folder / "demo-history.sqlite3")
    for taken_at, records in demo.demo_history(size, seed=7):
        store.save(
            records,
            account=history.DEMO_ACCOUNT,
            clients=demo.demo_clients(),
            taken_at=taken_at,
            source=history.SOURCE_DEMO,
        )
    return store


def history_access(connection: Connection | None) -> HistoryAccess:
    """Where this session's history lives: the demo store (no connection), the server's, or none."""
    if connection is None:
        return HistoryAccess(_demo_store(settings.demo_size()), history.DEMO_ACCOUNT, is_demo=True)
    if not settings.history_enabled():
        return HistoryAccess(
            None,
            None,
            f"History is turned off on this server ({settings.ENV_HISTORY_PATH}=off).",
            connection=connection,
        )
    try:
        store = _server_store()
        if store is None:
            return HistoryAccess(
                None, None, "History is turned off on this server.", connection=connection
            )
        return HistoryAccess(store, store.account_for(connection), connection=connection)
    except HistoryUnavailableError as error:
        return HistoryAccess(
            None, None, problem_text("History is unavailable", error), connection=connection
        )


def snapshots(access: HistoryAccess) -> Answer[list[SnapshotInfo]]:
    """The account's snapshots, newest first."""
    if access.store is None or access.account is None:
        return Answer(problem=access.problem or "History is unavailable.")
    try:
        return Answer(access.store.list(access.account))
    except HistoryUnavailableError as error:
        return Answer(problem=problem_text("History is unavailable", error))


@st.cache_data(max_entries=32, show_spinner="Comparing snapshots…")
def _comparison(_store: SnapshotStore, store_name: str, older: int, newer: int) -> Comparison:
    """The diff of two stored snapshots (they never change, so it is cached by their ids)."""
    return Comparison.of(history.diff_stored(_store, older, newer))


def compare(access: HistoryAccess, older: int, newer: int) -> Answer[Comparison]:
    """What changed from snapshot ``older`` to ``newer`` (cached per store and pair of ids)."""
    if access.store is None:
        return Answer(problem=access.problem or "History is unavailable.")
    try:
        # A store's repr names where it keeps its snapshots: the cache key of its diffs.
        return Answer(_comparison(access.store, repr(access.store), older, newer))
    except HistoryUnavailableError as error:
        return Answer(problem=problem_text("These snapshots cannot be compared", error))


def timeline(access: HistoryAccess) -> Answer[pd.DataFrame]:
    """The account's portfolio over time (one row per snapshot and status)."""
    if access.store is None or access.account is None:
        return Answer(problem=access.problem or "History is unavailable.")
    try:
        return Answer(history.portfolio_timeline(access.store, access.account))
    except HistoryUnavailableError as error:
        return Answer(problem=problem_text("The timeline is unavailable", error))


NOT_KEPT = "Not saved: the answers of this fetch are no longer held (a newer fetch replaced them)."


def save_after_fetch(
    connection: Connection | None,
    fetched_at: str,
    as_fetched: Callable[[], tuple[list, list] | None],
) -> str | None:
    """After a live fetch, save a snapshot when one is due; what happened, in words.

    ``connection`` None (demo data) saves nothing. Runs once per fetch and session (later
    reruns reuse the answer), so switching pages or changing filters never writes again.
    The records are read back from the kept answers only when a snapshot is due: a Refresh
    within the interval decodes nothing.
    """
    if connection is None or not st.session_state.get(AUTO_SAVE, True):
        return None
    handled: dict[str, str] = st.session_state.setdefault(_HANDLED, {})
    if fetched_at in handled:
        return handled[fetched_at]
    access = history_access(connection)
    if access.store is None or access.account is None:
        message = access.problem or "History is unavailable."
    else:
        try:
            early = history.not_due(access.store, account=access.account, zone=viewer_timezone())
            fetched = None if early is not None else as_fetched()
            if early is not None:
                message = early.message
            elif fetched is None:
                message = f"{NOT_KEPT} The next fetch is saved when one is due."
            else:
                records, clients = fetched
                message = history.maybe_save(
                    access.store,
                    records,
                    account=access.account,
                    clients=clients,
                    zone=viewer_timezone(),
                ).message
                del records, fetched
                perf.release_freed_memory()  # the decoded records, as after a fetch
        except HistoryUnavailableError as error:
            message = problem_text("History is unavailable", error)
    handled[fetched_at] = message
    return message


def save_now(connection: Connection | None, as_fetched: tuple[list, list] | None) -> str:
    """Save a snapshot by hand, whatever the interval; what happened, in words."""
    if connection is None:
        return "Demo data is never saved to history."
    access = history_access(connection)
    if access.store is None or access.account is None:
        return access.problem or "History is unavailable."
    if as_fetched is None:
        return f"{NOT_KEPT} Press Refresh, then save."
    records, clients = as_fetched
    try:
        return history.maybe_save(
            access.store,
            records,
            account=access.account,
            clients=clients,
            interval=0,
            source=history.SOURCE_MANUAL,
        ).message
    except HistoryUnavailableError as error:
        return problem_text("History is unavailable", error)


# --------------------------------------------------------------------------- words for the page


def snapshot_label(info: SnapshotInfo, zone: str) -> str:
    """A snapshot for the pickers, its time in the viewer's zone: ``#12 · 2026-11-20 10:00
    Europe/Paris · 300 campaigns``."""
    scope = "" if info.client_filter is None else f" · client #{info.client_filter}"
    count = f"{info.campaign_count:,} campaign" + ("" if info.campaign_count == 1 else "s")
    return f"#{info.id} · {viewer_time(info.taken_at, zone)} · {count}{scope}"


def history_start_text(
    info: SnapshotInfo, zone: str, interval_seconds: int, auto_save: bool
) -> str:
    """What the first live visit to Changes says: history starts with the snapshot just
    taken, and when the next one (the first change to compare) will be saved."""
    first = (
        f"History starts now: snapshot #{info.id} of this account was taken "
        f"{viewer_time(info.taken_at, zone)} ({info.campaign_count:,} campaign"
        f"{'' if info.campaign_count == 1 else 's'}). Changes appear once there are two."
    )
    if not auto_save:
        return f"{first} Saving after each fetch is off for this session: save one by hand."
    if interval_seconds <= 0:
        return f"{first} The next snapshot is saved with the next fetch."
    due = info.taken_at + timedelta(seconds=interval_seconds)
    return (
        f"{first} The next snapshot is saved with the first fetch after "
        f"{viewer_time(due, zone)} (one at most every {history.duration_text(interval_seconds)}"
        "), or save one now."
    )
