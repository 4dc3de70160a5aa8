"""Which store keeps the history: the one ``SMARTLEAD_HISTORY_PATH`` names.

A file path (or nothing: the default file) is a SQLite store, for one person on one
machine; a ``postgresql://`` address is the PostgreSQL store, shared by every replica of a
team's dashboard; ``off`` is no history at all.
"""

from __future__ import annotations

import os
from pathlib import Path

from smartlead import settings
from smartlead.history.store import SnapshotStore, SQLiteSnapshotStore


def open_store(path: str | os.PathLike[str] | None = None) -> SnapshotStore | None:
    """The store the settings name (``SMARTLEAD_HISTORY_PATH``), or None when history is off.

    ``path`` (a file path or a ``postgresql://`` address) overrides the setting. Nothing is
    touched on disk, and no database is connected to, until the store is first used; the
    PostgreSQL driver is imported only when a database is named.
    """
    if path is None:
        chosen = settings.history_location()
    elif settings.is_database_url(os.fspath(path)):
        chosen = settings.DatabaseAddress(os.fspath(path))
    else:
        chosen = Path(path)
    if chosen is None:
        return None
    if isinstance(chosen, settings.DatabaseAddress):
        from smartlead.history.postgres import PostgresSnapshotStore

        return PostgresSnapshotStore(chosen)
    return SQLiteSnapshotStore(chosen)


def close_store(store: object) -> None:
    """Release what ``store`` holds open between calls (the PostgreSQL store's connection
    pool; a SQLite store holds nothing); None and stores without connections are fine."""
    close = getattr(store, "close", None)
    if callable(close):
        close()
