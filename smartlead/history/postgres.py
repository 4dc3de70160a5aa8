"""The history store in PostgreSQL: one history for every replica of a team's dashboard.

The same store as the SQLite one: :class:`~smartlead.history.store.SQLSnapshotStore` holds
every statement and the rules around them, on the same tables
(:mod:`smartlead.store_tables`, in ``smartlead.database.MIGRATIONS``) with the same payload
format. What is PostgreSQL's own is here:

- **Connections come from a small pool** (``smartlead.database.Database``, psycopg 3),
  opened on first use; the schema is created or migrated then, under an advisory lock, so
  replicas starting together do not race. The pool turns every driver error into a
  sentence that names the database by its address without the password.
- **One automatic snapshot per interval across every replica.** A save takes a
  transaction-scoped advisory lock on its account (``pg_advisory_xact_lock``) before it
  looks for a recent snapshot, so two replicas saving the same account at the same moment
  are serialised: the second sees the first's snapshot and saves nothing.
- **psycopg's placeholders** (``%s``) and its cursors for one statement over many rows.
- **Accounts have no older names here**: stores that named accounts by a salted hash of the
  key predate this one, so :meth:`~SQLSnapshotStore.account_for` is the connection's
  fingerprint, with no lookup.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

from smartlead.database import (
    DEFAULT_TIMEOUT,
    LOCK_SNAPSHOTS,
    Database,
    lock_key,
    psycopg_sql,
)
from smartlead.history.store import SQLSnapshotStore
from smartlead.settings import DatabaseAddress

__all__ = ["PostgresSnapshotStore"]


class PostgresSnapshotStore(SQLSnapshotStore):
    """Snapshots in a PostgreSQL database, shared by every process that names it.

    ``address`` is a :class:`~smartlead.settings.DatabaseAddress` or a ``postgresql://`` URL;
    ``timeout`` bounds the wait for a connection. Nothing connects until the store is first
    used. Thread-safe; call :meth:`close` (or use it as a context manager) to close its pool.
    """

    _noun = "history database"

    def __init__(
        self,
        address: DatabaseAddress | str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_connections: int = 4,
    ) -> None:
        self.address = address if isinstance(address, DatabaseAddress) else DatabaseAddress(address)
        self.timeout = float(timeout)
        self.database = Database(
            self.address, purpose="history", max_size=max_connections, timeout=timeout
        )

    def __repr__(self) -> str:
        return f"PostgresSnapshotStore({self.address.shown!r})"

    @property
    def kind(self) -> str:
        """``"PostgreSQL"``."""
        return "PostgreSQL"

    @property
    def location(self) -> str:
        """The database's address without its password."""
        return self.address.shown

    @property
    def path(self) -> str:
        """The same as :attr:`location` (the name the SQLite store's messages use)."""
        return self.address.shown

    def close(self) -> None:
        """Close the connection pool (the next call opens a new one)."""
        self.database.close()

    def __enter__(self) -> PostgresSnapshotStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # ------------------------------------------------------------------ what differs

    def _connection(self) -> AbstractContextManager[Any]:
        return self.database.connection()

    def _transaction(self) -> AbstractContextManager[Any]:
        return self.database.transaction()

    def _sql(self, statement: str) -> str:
        return psycopg_sql(statement)

    def _executemany(self, connection: Any, statement: str, rows: list[tuple[Any, ...]]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(psycopg_sql(statement), rows)

    def _lock_account(self, connection: Any, account: str) -> None:
        """The account's advisory lock, held to the end of the transaction: replicas saving
        one account at once are serialised from the interval check to the commit."""
        connection.execute(
            "SELECT pg_advisory_xact_lock(%s, %s)", (LOCK_SNAPSHOTS, lock_key(account))
        )
