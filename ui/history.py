"""Review history in the dashboard: the server's snapshot store, automatic and manual saves.

A snapshot is saved after a live fetch (never for demo data), at most once per
``SMARTLEAD_HISTORY_INTERVAL`` per account; the sidebar says what happened. A store that is
missing, locked, read-only or damaged only produces a message: the rest of the dashboard
keeps working. In demo mode the Changes page reads a throwaway store holding a few weeks of
the demo portfolio, so a fresh install shows the whole product.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from smartlead import demo, history, settings
from smartlead.history import HistoryUnavailableError, SnapshotStore

AUTO_SAVE = "_history_auto_save"
"""Session state: whether this session saves a snapshot after each live fetch (default yes)."""

_HANDLED = "_history_handled_fetches"


@dataclass(frozen=True)
class HistoryAccess:
    """The store and account a page reads history from, or why there is none."""

    store: SnapshotStore | None
    account: str | None
    problem: str | None = None
    is_demo: bool = False


@st.cache_resource(show_spinner=False)
def _server_store() -> SnapshotStore | None:
    """The one store of this server (None when history is off). Failures are not cached."""
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
            source="demo",
        )
    return store


def history_access(api_key: str | None) -> HistoryAccess:
    """Where this session's history lives: the demo store, the server's store, or nowhere."""
    if api_key is None:
        return HistoryAccess(_demo_store(settings.demo_size()), history.DEMO_ACCOUNT, is_demo=True)
    if settings.history_path() is None:
        return HistoryAccess(
            None,
            None,
            f"History is turned off on this server ({settings.ENV_HISTORY_PATH}=off).",
        )
    try:
        store = _server_store()
        if store is None:
            return HistoryAccess(None, None, "History is turned off on this server.")
        return HistoryAccess(store, store.fingerprint(api_key))
    except HistoryUnavailableError as error:
        return HistoryAccess(None, None, f"History is unavailable: {error}")


def save_after_fetch(
    api_key: str | None, fetched_at: str, as_fetched: Callable[[], tuple[list, list]]
) -> str | None:
    """After a live fetch, save a snapshot when one is due; what happened, in words.

    Runs once per fetch and session (later reruns reuse the answer), so switching pages or
    changing filters never writes again.
    """
    if api_key is None or not st.session_state.get(AUTO_SAVE, True):
        return None
    handled: dict[str, str] = st.session_state.setdefault(_HANDLED, {})
    if fetched_at in handled:
        return handled[fetched_at]
    access = history_access(api_key)
    if access.store is None or access.account is None:
        message = access.problem or "History is unavailable."
    else:
        records, clients = as_fetched()
        try:
            message = history.maybe_save(
                access.store, records, account=access.account, clients=clients
            ).message
        except HistoryUnavailableError as error:
            message = f"History is unavailable: {error}"
    handled[fetched_at] = message
    return message


def save_now(api_key: str, as_fetched: tuple[list, list]) -> str:
    """Save a snapshot by hand, whatever the interval; what happened, in words."""
    access = history_access(api_key)
    if access.store is None or access.account is None:
        return access.problem or "History is unavailable."
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
        return f"History is unavailable: {error}"
