"""Both history stores for the contract tests: SQLite in ``tmp_path``, PostgreSQL on the
session's real server (a fresh database per test).

The ``history_backend`` fixture is parametrised over both; ``history_store`` is a store on it.
A :class:`Backend` also reaches under the interface, as the tests must (to damage a row, to
read every table for secrets), with plain SQL written once with ``?`` placeholders.
"""

from __future__ import annotations

import contextlib
import sqlite3
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from smartlead.history import SnapshotStore, SQLiteSnapshotStore
from smartlead.history.postgres import PostgresSnapshotStore
from tests.history_builders import store_bytes

BACKENDS = ("sqlite", "postgresql")


@dataclass
class Backend:
    """Where one test's history lives, and a way to reach under the store interface."""

    kind: str
    location: str
    """A file path, or a database address with its password."""
    opened: list[SnapshotStore] = field(default_factory=list)

    @property
    def store_class(self) -> type:
        return SQLiteSnapshotStore if self.kind == "sqlite" else PostgresSnapshotStore

    def open(self, **options: Any) -> Any:
        """A new store object on this location (another process or replica would do this).

        ``timeout`` is the SQLite busy timeout or the PostgreSQL connection wait.
        """
        store = self.store_class(self.location, **options)
        self.opened.append(store)
        return store

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Run one statement outside the store (``?`` placeholders); the rows it returned."""
        if self.kind == "sqlite":
            with sqlite3.connect(self.location) as connection:
                return connection.execute(sql, params).fetchall()
        import psycopg

        with psycopg.connect(self.location, autocommit=True) as connection:
            cursor = connection.execute(sql.replace("?", "%s"), params)
            return cursor.fetchall() if cursor.description else []

    def set_payload(self, snapshot_id: int, payload: bytes) -> None:
        """Overwrite one snapshot's stored data, as damage would."""
        self.execute(
            "UPDATE snapshot_data SET payload = ? WHERE snapshot_id = ?", (payload, snapshot_id)
        )

    def tables(self) -> list[str]:
        """Every table in the store's database (or schema)."""
        if self.kind == "sqlite":
            rows = self.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        else:
            rows = self.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema()"
            )
        return sorted(str(row[0]) for row in rows)

    def everything(self) -> bytes:
        """Every value of every row of every table, snapshot data decompressed too, as bytes
        (and, for SQLite, the file and its write-ahead log as they are on disk)."""
        parts: list[bytes] = []
        for table in self.tables():
            for row in self.execute(f'SELECT * FROM "{table}"'):  # noqa: S608 - our names
                for value in row:
                    if isinstance(value, (bytes, bytearray, memoryview)):
                        raw = bytes(value)
                        parts.append(raw)
                        with contextlib.suppress(zlib.error):
                            parts.append(zlib.decompress(raw))
                    else:
                        parts.append(str(value).encode("utf-8", "surrogatepass"))
        if self.kind == "sqlite":
            parts.append(store_bytes(Path(self.location)))
        return b"\n".join(parts)

    def close(self) -> None:
        for store in self.opened:
            close = getattr(store, "close", None)
            if callable(close):
                close()


@pytest.fixture(params=BACKENDS)
def history_backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    """Each history contract test runs twice: on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        backend = Backend("sqlite", str(tmp_path / "history.sqlite3"))
    else:
        backend = Backend("postgresql", request.getfixturevalue("postgres_url"))
    yield backend
    backend.close()


@pytest.fixture
def history_store(history_backend: Backend) -> Any:
    """A fresh store on the test's backend, with a short busy or connection timeout."""
    return history_backend.open(timeout=0.5 if history_backend.kind == "sqlite" else 5.0)
