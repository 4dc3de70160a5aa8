"""The history store in PostgreSQL: one history for every replica of a team's dashboard.

The same :class:`~smartlead.history.store.SnapshotStore` interface as the SQLite store, with
the same tables (``smartlead.database.MIGRATIONS``), the same payload format, the same rules
and the same statements where the two databases agree; what differs, and why:

- **Connections come from a small pool** (``smartlead.database.Database``, psycopg 3),
  opened on first use; the schema is created or migrated then, under an advisory lock, so
  replicas starting together do not race.
- **One automatic snapshot per interval across every replica.** A save takes a
  transaction-scoped advisory lock on its account (``pg_advisory_xact_lock``) before it
  looks for a recent snapshot, so two replicas saving the same account at the same moment
  are serialised: the second sees the first's snapshot and saves nothing.
- **Text is stored as ASCII JSON** (summaries and figures): PostgreSQL's ``TEXT`` refuses
  NUL characters and lone surrogates, which campaign records may hold (the snapshot data
  itself is compressed bytes, kept exactly).
- **Accounts have no older names here**: stores that named accounts by a salted hash of the
  key predate this one, so :meth:`PostgresSnapshotStore.account_for` is the connection's
  fingerprint, with no lookup.

Failures are :class:`~smartlead.errors.HistoryUnavailableError` with a remedy, naming the
database by its address without the password.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from smartlead.connection import Connection
from smartlead.database import DEFAULT_TIMEOUT, LOCK_SNAPSHOTS, Database, lock_key
from smartlead.errors import SnapshotDamagedError, SnapshotNotFoundError
from smartlead.history.model import (
    SOURCE_MANUAL,
    ReportRun,
    Snapshot,
    SnapshotInfo,
    StoredFigures,
    as_utc,
    format_time,
    parse_time,
    snapshot_summary,
)
from smartlead.history.store import (
    _INFO_COLUMNS,
    FIGURES_UPSERT,
    PAYLOAD_ENCODING,
    REPORT_RUN_INSERT,
    REPORT_RUN_LATEST,
    _client_condition,
    _decode_payload,
    _encode_payload,
    _info_from_row,
    figures_rows,
    report_run_from_row,
    report_run_row,
    stored_figures,
)
from smartlead.settings import DatabaseAddress

__all__ = ["PostgresSnapshotStore"]


def _pg(sql: str) -> str:
    """A statement shared with the SQLite store, with psycopg's placeholders (``?`` → ``%s``;
    the shared statements hold no other ``?`` and no ``%``)."""
    return sql.replace("?", "%s")


class PostgresSnapshotStore:
    """Snapshots in a PostgreSQL database, shared by every process that names it.

    ``address`` is a :class:`~smartlead.settings.DatabaseAddress` or a ``postgresql://`` URL;
    ``timeout`` bounds the wait for a connection. Nothing connects until the store is first
    used. Thread-safe; call :meth:`close` (or use it as a context manager) to close its pool.
    """

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

    # ------------------------------------------------------------------ interface

    def account_for(self, connection: Connection) -> str:
        """The account name of ``connection``'s snapshots: :attr:`Connection.fingerprint`."""
        return connection.fingerprint

    def save(
        self,
        records: Iterable[Any],
        *,
        account: str,
        client_filter: int | None = None,
        clients: Iterable[Any] | None = None,
        taken_at: datetime | None = None,
        source: str = SOURCE_MANUAL,
        skip_within: timedelta | None = None,
    ) -> SnapshotInfo | None:
        """Store ``records`` as they came, in one transaction (see :class:`SnapshotStore`).

        The account's advisory lock is held from the interval check to the commit, so at
        most one automatic snapshot per interval is saved across every replica.
        """
        if not isinstance(account, str) or not account:
            raise ValueError("account must be an account name (store.account_for) or DEMO_ACCOUNT")
        record_list = list(records) if records is not None else []
        client_list = list(clients) if clients is not None else []
        moment = as_utc(taken_at)
        summary = snapshot_summary(record_list, client_list)
        payload, checksum, raw_size = _encode_payload(record_list, client_list)
        summary_text = json.dumps(summary)  # ASCII: TEXT refuses NUL and lone surrogates
        filter_value = None if client_filter is None else int(client_filter)
        condition, condition_params = _client_condition(filter_value)

        with self.database.transaction() as connection:
            connection.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", (LOCK_SNAPSHOTS, lock_key(account))
            )
            if skip_within is not None:
                row = connection.execute(
                    _pg(
                        f"SELECT taken_at FROM snapshots WHERE account = ? AND {condition} "  # noqa: S608 - fixed text
                        "ORDER BY taken_at DESC LIMIT 1"
                    ),
                    (account, *condition_params),
                ).fetchone()
                if row is not None and parse_time(row[0]) > moment - skip_within:
                    return None
            (snapshot_id,) = connection.execute(
                "INSERT INTO snapshots "
                "(taken_at, account, client_filter, source, campaign_count, summary) "
                "VALUES (%s, %s, %s, %s, %s, %s) RETURNING id",
                (
                    format_time(moment),
                    account,
                    filter_value,
                    source,
                    len(record_list),
                    summary_text,
                ),
            ).fetchone()
            self._insert_data(connection, snapshot_id, payload, checksum, raw_size)
        return SnapshotInfo(
            id=int(snapshot_id),
            taken_at=parse_time(format_time(moment)),
            account=account,
            client_filter=filter_value,
            source=source,
            campaign_count=len(record_list),
            summary=summary,
        )

    def _insert_data(
        self, connection: Any, snapshot_id: int, payload: bytes, checksum: str, raw_size: int
    ) -> None:
        """The second half of a save (a separate method so tests can interrupt a save here)."""
        connection.execute(
            "INSERT INTO snapshot_data (snapshot_id, encoding, raw_size, checksum, payload) "
            "VALUES (%s, %s, %s, %s, %s)",
            (snapshot_id, PAYLOAD_ENCODING, raw_size, checksum, payload),
        )

    def list(self, account: str | None = None, *, limit: int | None = None) -> list[SnapshotInfo]:
        """Snapshots of ``account`` (all accounts when None), newest first."""
        sql = f"SELECT {_INFO_COLUMNS} FROM snapshots"  # noqa: S608 - fixed text
        params: list[Any] = []
        if account is not None:
            sql += " WHERE account = %s"
            params.append(account)
        sql += " ORDER BY taken_at DESC, id DESC"
        if limit is not None:
            sql += " LIMIT %s"
            params.append(int(limit))
        with self.database.connection() as connection:
            rows = connection.execute(sql, params).fetchall()
        return [_info_from_row(row) for row in rows]

    def latest(
        self, account: str, n: int = 2, *, client_filter: int | None = None
    ) -> list[SnapshotInfo]:
        """The ``n`` newest snapshots of ``account`` with this client filter, newest first."""
        condition, params = _client_condition(client_filter)
        with self.database.connection() as connection:
            rows = connection.execute(
                _pg(
                    f"SELECT {_INFO_COLUMNS} FROM snapshots WHERE account = ? AND {condition} "  # noqa: S608
                    "ORDER BY taken_at DESC, id DESC LIMIT ?"
                ),
                (account, *params, int(n)),
            ).fetchall()
        return [_info_from_row(row) for row in rows]

    def load(self, snapshot_id: int) -> Snapshot:
        """The snapshot with its records, checked against its stored count and checksum."""
        with self.database.connection() as connection:
            row = connection.execute(
                f"SELECT {_INFO_COLUMNS}, d.encoding, d.checksum, d.payload "  # noqa: S608
                "FROM snapshots LEFT JOIN snapshot_data d ON d.snapshot_id = snapshots.id "
                "WHERE snapshots.id = %s",
                (int(snapshot_id),),
            ).fetchone()
        if row is None:
            raise SnapshotNotFoundError(
                f"There is no snapshot #{snapshot_id} in the history database at "
                f"{self.location} (never saved, or pruned since).",
                path=self.location,
            )
        info = _info_from_row(row[:7])
        encoding, checksum, payload = row[7:]
        try:
            records, clients = _decode_payload(info, encoding, checksum, payload)
        except ValueError as problem:
            raise SnapshotDamagedError(
                f"Snapshot #{info.id} in the history database at {self.location} is damaged "
                f"({problem}); it cannot be shown or compared. Other snapshots are not "
                "affected.",
                path=self.location,
                snapshot_id=info.id,
            ) from None
        return Snapshot(info=info, records=records, clients=clients)

    def prune(
        self,
        *,
        keep_days: float | None = None,
        keep_count: int | None = None,
        now: datetime | None = None,
    ) -> int:
        """Delete old snapshots, by the SQLite store's rules (see its ``prune``); figures
        fetched before ``keep_days`` go too. Returns the number of snapshots deleted."""
        if keep_count is not None and keep_count < 1:
            raise ValueError("keep_count must be at least 1 (use delete() to remove all)")
        if keep_days is not None and keep_days < 0:
            raise ValueError("keep_days must not be negative")
        conditions: list[str] = []
        params: list[Any] = []
        cutoff = None
        if keep_count is not None:
            conditions.append("position > %s")
            params.append(int(keep_count))
        if keep_days is not None:
            cutoff = format_time(as_utc(now) - timedelta(days=keep_days))
            conditions.append("(taken_at < %s AND position > 1)")
            params.append(cutoff)
        if not conditions:
            return 0
        sql = (
            "SELECT id FROM (SELECT id, taken_at, ROW_NUMBER() OVER ("  # noqa: S608 - fixed text
            "PARTITION BY account, client_filter ORDER BY taken_at DESC, id DESC) AS position "
            "FROM snapshots) ranked WHERE " + " OR ".join(conditions)
        )
        with self.database.transaction() as connection:
            ids = [row[0] for row in connection.execute(sql, params).fetchall()]
            if ids:
                connection.execute("DELETE FROM snapshot_data WHERE snapshot_id = ANY(%s)", (ids,))
                connection.execute("DELETE FROM snapshots WHERE id = ANY(%s)", (ids,))
            if cutoff is not None:
                connection.execute("DELETE FROM campaign_figures WHERE fetched_at < %s", (cutoff,))
                connection.execute("DELETE FROM report_runs WHERE made_at < %s", (cutoff,))
        return len(ids)

    def delete(self, snapshot_id: int) -> bool:
        """Delete one snapshot (its data too); False when there was none with that id."""
        with self.database.transaction() as connection:
            connection.execute(
                "DELETE FROM snapshot_data WHERE snapshot_id = %s", (int(snapshot_id),)
            )
            cursor = connection.execute("DELETE FROM snapshots WHERE id = %s", (int(snapshot_id),))
            return cursor.rowcount > 0

    def save_figures(
        self,
        account: str,
        kind: str,
        figures: Mapping[int, Mapping[str, Any]],
        *,
        fetched_at: datetime | None = None,
    ) -> int:
        """Keep per-campaign figures for every replica (see
        :meth:`~smartlead.history.store.SnapshotStore.save_figures`), in one transaction."""
        rows = figures_rows(account, kind, figures, fetched_at)
        if not rows:
            return 0
        with self.database.transaction() as connection, connection.cursor() as cursor:
            cursor.executemany(_pg(FIGURES_UPSERT), rows)
        return len(rows)

    def load_figures(
        self, account: str, kind: str, campaign_ids: Iterable[int] | None = None
    ) -> dict[int, StoredFigures]:
        """The figures any replica kept for ``account`` and ``kind`` (of ``campaign_ids``
        only, if given), by campaign id."""
        sql = (
            "SELECT campaign_id, fetched_at, figures FROM campaign_figures "
            "WHERE account = %s AND kind = %s"
        )
        params: list[Any] = [account, kind]
        if campaign_ids is not None:
            sql += " AND campaign_id = ANY(%s)"
            params.append(sorted({int(cid) for cid in campaign_ids}))
        with self.database.connection() as connection:
            rows = connection.execute(sql, params).fetchall()
        return stored_figures(rows)

    def remember_report(
        self,
        account: str,
        client_filter: int | None,
        *,
        snapshot_id: int | None,
        findings: Iterable[str],
        made_at: datetime | None = None,
    ) -> None:
        """Remember a delivered report for every replica (see
        :meth:`~smartlead.history.store.SnapshotStore.remember_report`)."""
        row = report_run_row(account, client_filter, snapshot_id, findings, made_at)
        with self.database.transaction() as connection:
            connection.execute(_pg(REPORT_RUN_INSERT), row)

    def last_report(self, account: str, client_filter: int | None) -> ReportRun | None:
        """The newest report any replica remembered for the scope (None: none)."""
        condition, params = _client_condition(client_filter)
        sql = _pg(REPORT_RUN_LATEST.format(client=condition))
        with self.database.connection() as connection:
            row = connection.execute(sql, (account, *params)).fetchone()
        return report_run_from_row(row)
