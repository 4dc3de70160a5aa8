"""Where snapshots are kept: the one :class:`SnapshotStore` interface, the store logic both
databases share (:class:`SQLSnapshotStore`), and the SQLite store.

Why it is built this way:

- **One small interface.** Everything goes through :class:`SnapshotStore` (``account_for``,
  ``save``, ``list``, ``latest``, ``load``, ``prune``, ``delete``, and ``save_figures`` /
  ``load_figures`` for per-campaign figures). The default, :class:`SQLiteSnapshotStore`, is
  an embedded SQLite file; a team running several replicas uses the PostgreSQL store
  (:mod:`smartlead.history.postgres`) behind the same interface, and
  :func:`smartlead.history.open_store` picks one from the settings.
- **One implementation.** Both stores are :class:`SQLSnapshotStore`: every statement and the
  Python around it (the payload format, the save rule, retention, the figures) is written
  once, in SQL both databases accept, on tables written once (:mod:`smartlead.store_tables`).
  Each store adds only what truly differs: its connections and transactions, how saves of
  one account are serialised, its placeholders, its errors in words, how messages name it.
- **Nothing is lost.** Each snapshot is written in one transaction (its summary row and its
  data row together, or neither); SQLite's WAL mode and busy timeout (in PostgreSQL, its own
  locking) let several sessions and processes save at once; every snapshot carries its
  campaign count and a SHA-256 of its data, so a damaged one is reported as damaged instead of
  crashing a page.
- **The key is never stored.** An account is named by its connection's fingerprint
  (:attr:`smartlead.connection.Connection.fingerprint`), the one account name the package uses
  everywhere. Stores written before that named accounts by an HMAC of the key under a salt
  kept in the store; :meth:`SQLiteSnapshotStore.account_for` moves such snapshots to the
  connection's fingerprint the first time the account is seen again, and the salt is deleted
  once no snapshot is left under an old name.
- **Failures are exceptions of the package's one tree.** Every store method raises
  :class:`~smartlead.errors.HistoryUnavailableError` (or its two subclasses) for any failure
  of its database (SQLite or OS errors here, driver errors in PostgreSQL): the message says
  what happened, the remedy says what can be done about it, and the dashboard shows a warning
  and keeps working without history.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sqlite3
import string
import threading
import zlib
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from smartlead.connection import Connection
from smartlead.errors import (
    HistoryUnavailableError,
    Remedy,
    SnapshotDamagedError,
    SnapshotNotFoundError,
)
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
from smartlead.store_tables import (
    RECORD_VERSION,
    SQLITE,
    STORE_TABLES,
    STORE_VERSION,
    VERSION_TABLE,
    store_statements,
)

SCHEMA_VERSION = STORE_VERSION
"""Version of the store's tables (2 added ``campaign_figures``, 3 ``report_runs``); an older
store is migrated on first use, one written by a newer version is refused, not altered."""

PAYLOAD_ENCODING = "zlib+json/1"
"""How snapshot data is stored: zlib-compressed UTF-8 JSON ``{"campaigns": [...], ...}``."""

DEFAULT_BUSY_TIMEOUT = 5.0
"""Seconds a store waits for another writer before reporting it as locked."""


# --------------------------------------------------------------------------- interface


@runtime_checkable
class SnapshotStore(Protocol):
    """The one interface every snapshot store implements (SQLite here; a server DB later).

    Every method raises :class:`~smartlead.errors.HistoryUnavailableError` when the store
    cannot be used. Snapshots are listed newest first. ``client_filter`` None means "all
    clients".
    """

    def account_for(self, connection: Connection) -> str:
        """The account name this connection's snapshots are kept under (its fingerprint)."""
        ...

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
        """Store one snapshot in one transaction and describe it.

        With ``skip_within``, nothing is saved (and None is returned) when the same account
        and client filter already has a snapshot taken less than that long before
        ``taken_at``; the check and the write happen in the same transaction.
        """
        ...

    def list(self, account: str | None = None, *, limit: int | None = None) -> list[SnapshotInfo]:
        """Snapshots (of one account, or all), newest first."""
        ...

    def latest(
        self, account: str, n: int = 2, *, client_filter: int | None = None
    ) -> list[SnapshotInfo]:
        """The ``n`` newest snapshots of one account and client filter, newest first."""
        ...

    def load(self, snapshot_id: int) -> Snapshot:
        """One snapshot with its records; raises SnapshotNotFoundError / SnapshotDamagedError."""
        ...

    def prune(
        self,
        *,
        keep_days: float | None = None,
        keep_count: int | None = None,
        now: datetime | None = None,
    ) -> int:
        """Delete old snapshots; returns how many went. See SQLiteSnapshotStore.prune."""
        ...

    def delete(self, snapshot_id: int) -> bool:
        """Delete one snapshot; False when there was none with that id."""
        ...

    # Per-campaign figures: a small cache shared by every process that uses the store.

    def save_figures(
        self,
        account: str,
        kind: str,
        figures: Mapping[int, Mapping[str, Any]],
        *,
        fetched_at: datetime | None = None,
    ) -> int:
        """Keep figures fetched one campaign at a time, so no other process refetches them.

        ``kind`` names what they are (``"analytics"``, ...; up to 32 characters) and
        ``figures`` maps a campaign id to a JSON object of that campaign's figures, fetched
        at ``fetched_at`` (default now). They replace what was kept for the same account,
        kind and campaign unless what was kept is newer (a slow process never overwrites
        fresher figures). Returns how many campaigns' figures were written. Figures older
        than the retention are removed by :meth:`prune`.
        """
        ...

    def load_figures(
        self, account: str, kind: str, campaign_ids: Iterable[int] | None = None
    ) -> dict[int, StoredFigures]:
        """The figures kept for ``account`` and ``kind`` (of ``campaign_ids`` only, if given),
        by campaign id, each with when it was fetched; the caller decides what is too old."""
        ...

    # Report runs: what the previous report covered, for "new since the last report".

    def remember_report(
        self,
        account: str,
        client_filter: int | None,
        *,
        snapshot_id: int | None,
        findings: Iterable[str],
        made_at: datetime | None = None,
    ) -> None:
        """Remember a delivered report of ``account`` (and ``client_filter``): the snapshot
        saved with it and its findings' fingerprint. Only the newest run per account and
        client filter matters; older ones go with :meth:`prune`."""
        ...

    def last_report(self, account: str, client_filter: int | None) -> ReportRun | None:
        """The newest report remembered for ``account`` and ``client_filter`` (None: none)."""
        ...

    @property
    def kind(self) -> str:
        """What keeps the snapshots, for people: ``"SQLite"`` or ``"PostgreSQL"``."""
        ...

    @property
    def location(self) -> str:
        """Where the snapshots are, for messages: a file path, or a database address without
        its password."""
        ...


# --------------------------------------------------------------------------- figures

FIGURES_KIND_LENGTH = 32
"""The longest name of a kind of figures (``"analytics"``, ...)."""


def figures_rows(
    account: str,
    kind: str,
    figures: Mapping[int, Mapping[str, Any]],
    fetched_at: datetime | None,
) -> list[tuple[str, str, int, str, str]]:
    """``(account, kind, campaign_id, fetched_at, figures JSON)`` rows to write, checked.

    ``ValueError`` for an empty account or kind, a kind longer than
    :data:`FIGURES_KIND_LENGTH`, a campaign id that is not an integer or figures that are not
    an object. The JSON is ASCII (every database takes it, lone surrogates and NUL included).
    """
    if not isinstance(account, str) or not account:
        raise ValueError("account must be an account name (store.account_for)")
    if not isinstance(kind, str) or not kind.strip() or len(kind) > FIGURES_KIND_LENGTH:
        raise ValueError(f"kind must be a name of 1 to {FIGURES_KIND_LENGTH} characters")
    moment = format_time(as_utc(fetched_at))
    rows = []
    for campaign, values in figures.items():
        if isinstance(campaign, bool) or not isinstance(campaign, int):
            raise ValueError(f"campaign ids must be integers, not {type(campaign).__name__}")
        if not -(2**63) <= campaign < 2**63:
            raise ValueError(f"campaign id {campaign} is outside the 64-bit range ids take")
        if not isinstance(values, Mapping):
            raise ValueError(f"the figures of campaign {campaign} must be an object")
        text = json.dumps(dict(values), separators=(",", ":"), default=_json_default)
        rows.append((account, kind, int(campaign), moment, text))
    return rows


def stored_figures(rows: Iterable[Sequence[Any]]) -> dict[int, StoredFigures]:
    """``campaign_id → StoredFigures`` from ``(campaign_id, fetched_at, figures)`` rows.

    A row whose JSON cannot be read is left out (as if never fetched: it is fetched again).
    """
    found: dict[int, StoredFigures] = {}
    for campaign, fetched_at, text in rows:
        try:
            values = json.loads(text)
            moment = parse_time(fetched_at)
        except (TypeError, ValueError):
            continue
        if isinstance(values, dict):
            found[int(campaign)] = StoredFigures(fetched_at=moment, figures=values)
    return found


FIGURES_UPSERT = (
    "INSERT INTO campaign_figures (account, kind, campaign_id, fetched_at, figures) "
    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (account, kind, campaign_id) DO UPDATE SET "
    "fetched_at = excluded.fetched_at, figures = excluded.figures "
    "WHERE excluded.fetched_at >= campaign_figures.fetched_at"
)
"""Newer figures replace older ones, never the other way round (both databases' syntax)."""


# --------------------------------------------------------------------------- legacy accounts

_LEGACY_SALT = "account_salt"
"""The ``history_meta`` row that held the per-store salt of the old account names."""

_LEGACY_FINGERPRINT_LENGTH = 16


def _legacy_fingerprint(api_key: str, salt: str) -> str:
    """The account name stores used to keep for a key: HMAC-SHA256(salt, key), 16 hex digits."""
    digest = hmac.new(salt.encode("utf-8"), api_key.strip().encode("utf-8"), hashlib.sha256)
    return digest.hexdigest()[:_LEGACY_FINGERPRINT_LENGTH]


def _looks_legacy(account: str) -> bool:
    return len(account) == _LEGACY_FINGERPRINT_LENGTH and all(
        c in string.hexdigits.lower() for c in account
    )


# --------------------------------------------------------------------------- payload


def _json_default(value: Any) -> Any:
    """JSON for values the API never sends but a Python caller might (dates, sets, ...)."""
    if isinstance(value, datetime):
        return format_time(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)


def _encode_payload(records: list[Any], clients: list[Any]) -> tuple[bytes, str, int]:
    """(compressed bytes, SHA-256 of the uncompressed JSON, uncompressed size)."""
    text = json.dumps(
        {"campaigns": records, "clients": clients},
        ensure_ascii=False,
        separators=(",", ":"),
        default=_json_default,
    )
    raw = text.encode("utf-8", "surrogatepass")
    return zlib.compress(raw, 6), hashlib.sha256(raw).hexdigest(), len(raw)


def _decode_payload(
    info: SnapshotInfo, encoding: Any, checksum: Any, payload: Any
) -> tuple[list[Any], list[Any]]:
    """The records and clients of a stored snapshot; ValueError says what is wrong."""
    if payload is None:
        raise ValueError("its data is missing")
    if encoding != PAYLOAD_ENCODING:
        raise ValueError(f"unknown data encoding {encoding!r}")
    try:
        raw = zlib.decompress(bytes(payload))
    except zlib.error:
        raise ValueError("its data does not decompress") from None
    if hashlib.sha256(raw).hexdigest() != checksum:
        raise ValueError("its data does not match its checksum")
    try:
        document = json.loads(raw.decode("utf-8", "surrogatepass"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # nested too deeply to read back
        raise ValueError("its data is not valid JSON") from None
    if not isinstance(document, dict) or not isinstance(document.get("campaigns"), list):
        raise ValueError("its data has an unexpected shape")
    records = document["campaigns"]
    if len(records) != info.campaign_count:
        raise ValueError(f"it holds {len(records)} campaigns, not {info.campaign_count}")
    clients = document.get("clients")
    return records, clients if isinstance(clients, list) else []


# --------------------------------------------------------------------------- one SQL store

_INFO_COLUMNS = "id, taken_at, account, client_filter, source, campaign_count, summary"


# --------------------------------------------------------------------------- report runs

REPORT_RUN_INSERT = (
    "INSERT INTO report_runs (made_at, account, client_filter, snapshot_id, findings) "
    "VALUES (?, ?, ?, ?, ?)"
)

REPORT_RUN_LATEST = (
    "SELECT made_at, account, client_filter, snapshot_id, findings FROM report_runs "
    "WHERE account = ? AND {client} ORDER BY made_at DESC LIMIT 1"
)


def report_run_row(
    account: str,
    client_filter: int | None,
    snapshot_id: int | None,
    findings: Iterable[str],
    made_at: datetime | None,
) -> tuple[Any, ...]:
    """The row :data:`REPORT_RUN_INSERT` writes."""
    return (
        format_time(as_utc(made_at)),
        account,
        None if client_filter is None else int(client_filter),
        None if snapshot_id is None else int(snapshot_id),
        json.dumps(sorted({str(key) for key in findings})),
    )


def report_run_from_row(row: Sequence[Any] | None) -> ReportRun | None:
    """A :class:`ReportRun` from ``made_at, account, client_filter, snapshot_id, findings``;
    None for no row (unreadable findings count as none remembered)."""
    if row is None:
        return None
    try:
        keys = json.loads(row[4])
    except (TypeError, ValueError):
        keys = []
    findings = frozenset(str(k) for k in keys) if isinstance(keys, list) else frozenset()
    return ReportRun(
        made_at=parse_time(row[0]),
        account=row[1],
        client_filter=None if row[2] is None else int(row[2]),
        snapshot_id=None if row[3] is None else int(row[3]),
        findings=findings,
    )


def _client_condition(client_filter: int | None) -> tuple[str, tuple[Any, ...]]:
    """``client_filter`` matching that treats None as "all clients" (NULL), portably."""
    if client_filter is None:
        return "client_filter IS NULL", ()
    return "client_filter = ?", (int(client_filter),)


def _info_from_row(row: Sequence[Any]) -> SnapshotInfo:
    snapshot_id, taken_at, account, client_filter, source, count, summary_text = row
    try:
        summary = json.loads(summary_text)
        if not isinstance(summary, dict):
            summary = {}
    except (TypeError, ValueError):
        summary = {}
    return SnapshotInfo(
        id=int(snapshot_id),
        taken_at=parse_time(taken_at),
        account=account,
        client_filter=None if client_filter is None else int(client_filter),
        source=source,
        campaign_count=int(count),
        summary=summary,
    )


class SQLSnapshotStore(ABC):
    """The store itself, once for both databases: every statement and the Python around it.

    :class:`SQLiteSnapshotStore` and :class:`~smartlead.history.postgres.PostgresSnapshotStore`
    are this class with the few things that truly differ between SQLite and PostgreSQL. The
    statements use what both accept: ``?`` placeholders, ``INSERT … RETURNING``, ``ON
    CONFLICT … DO UPDATE`` and window functions; the tables are
    :mod:`smartlead.store_tables`' (where the two column types that differ are filled in).
    Text is stored as ASCII JSON (PostgreSQL's ``TEXT`` refuses NUL characters and lone
    surrogates; snapshot data is compressed bytes, kept exactly).

    A store provides, as small hooks:

    - :meth:`_connection` (one to read on) and :meth:`_transaction` (one write transaction,
      committed whole at the end, rolled back on any error), both raising
      :class:`~smartlead.errors.HistoryUnavailableError`, with a remedy, for any failure of
      the database (each store words its own database's errors);
    - :meth:`_sql`: a statement in its driver's placeholder style;
    - :meth:`_executemany`: one statement for many rows;
    - :meth:`_lock_account`: holding other processes' saves of one account back until the
      transaction ends, so the interval check and the insert cannot interleave;
    - ``path``, :attr:`location` and :attr:`_noun`: how messages name the store;
    - :meth:`account_for` where accounts can have older names (SQLite's).
    """

    _noun = "history store"
    """What messages call the store (``"the history store at <location>"``)."""

    @property
    @abstractmethod
    def kind(self) -> str:
        """What keeps the snapshots, for people: ``"SQLite"`` or ``"PostgreSQL"``."""

    @property
    @abstractmethod
    def location(self) -> str:
        """Where the snapshots are, for messages (never a password)."""

    # ------------------------------------------------------------------ hooks

    @abstractmethod
    def _connection(self) -> AbstractContextManager[Any]:
        """A connection to read on, with the tables in place."""

    @abstractmethod
    def _transaction(self) -> AbstractContextManager[Any]:
        """One write transaction, committed whole at the end, rolled back on any error."""

    def _sql(self, statement: str) -> str:
        """``statement`` (written with ``?`` placeholders) as the driver takes it."""
        return statement

    def _executemany(self, connection: Any, statement: str, rows: list[tuple[Any, ...]]) -> None:
        """Run ``statement`` (``?`` placeholders) once per row, in the current transaction."""
        connection.executemany(self._sql(statement), rows)

    @abstractmethod
    def _lock_account(self, connection: Any, account: str) -> None:
        """Hold back other processes' saves of ``account`` until this transaction ends."""

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
        """Store ``records`` as they came (any JSON values) in one transaction.

        The JSON encoding, compression and summary happen before the transaction starts, so
        the write lock is held only for two inserts. The account's lock is held from the
        interval check to the commit, so at most one automatic snapshot per interval is
        saved across every process. Returns None only when ``skip_within`` is given and a
        snapshot of this account and client filter is more recent than that.
        """
        if not isinstance(account, str) or not account:
            raise ValueError("account must be an account name (store.account_for) or DEMO_ACCOUNT")
        record_list = list(records) if records is not None else []
        client_list = list(clients) if clients is not None else []
        moment = as_utc(taken_at)
        summary = snapshot_summary(record_list, client_list)
        payload, checksum, raw_size = _encode_payload(record_list, client_list)
        summary_text = json.dumps(summary)  # ASCII (see the class notes)
        filter_value = None if client_filter is None else int(client_filter)
        condition, condition_params = _client_condition(filter_value)

        with self._transaction() as connection:
            self._lock_account(connection, account)
            if skip_within is not None:
                row = connection.execute(
                    self._sql(
                        f"SELECT taken_at FROM snapshots WHERE account = ? AND {condition} "  # noqa: S608 - fixed text
                        "ORDER BY taken_at DESC LIMIT 1"
                    ),
                    (account, *condition_params),
                ).fetchone()
                if row is not None and parse_time(row[0]) > moment - skip_within:
                    return None
            (snapshot_id,) = connection.execute(
                self._sql(
                    "INSERT INTO snapshots "
                    "(taken_at, account, client_filter, source, campaign_count, summary) "
                    "VALUES (?, ?, ?, ?, ?, ?) RETURNING id"
                ),
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
            self._sql(
                "INSERT INTO snapshot_data (snapshot_id, encoding, raw_size, checksum, payload) "
                "VALUES (?, ?, ?, ?, ?)"
            ),
            (snapshot_id, PAYLOAD_ENCODING, raw_size, checksum, payload),
        )

    def list(self, account: str | None = None, *, limit: int | None = None) -> list[SnapshotInfo]:
        """Snapshots of ``account`` (all accounts when None), newest first."""
        sql = f"SELECT {_INFO_COLUMNS} FROM snapshots"  # noqa: S608 - fixed text
        params: list[Any] = []
        if account is not None:
            sql += " WHERE account = ?"
            params.append(account)
        sql += " ORDER BY taken_at DESC, id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        with self._connection() as connection:
            rows = connection.execute(self._sql(sql), params).fetchall()
        return [_info_from_row(row) for row in rows]

    def latest(
        self, account: str, n: int = 2, *, client_filter: int | None = None
    ) -> list[SnapshotInfo]:
        """The ``n`` newest snapshots of ``account`` with this client filter, newest first."""
        condition, params = _client_condition(client_filter)
        with self._connection() as connection:
            rows = connection.execute(
                self._sql(
                    f"SELECT {_INFO_COLUMNS} FROM snapshots WHERE account = ? AND {condition} "  # noqa: S608
                    "ORDER BY taken_at DESC, id DESC LIMIT ?"
                ),
                (account, *params, int(n)),
            ).fetchall()
        return [_info_from_row(row) for row in rows]

    def load(self, snapshot_id: int) -> Snapshot:
        """The snapshot with its records, checked against its stored count and checksum."""
        with self._connection() as connection:
            row = connection.execute(
                self._sql(
                    f"SELECT {_INFO_COLUMNS}, d.encoding, d.checksum, d.payload "  # noqa: S608
                    "FROM snapshots LEFT JOIN snapshot_data d ON d.snapshot_id = snapshots.id "
                    "WHERE snapshots.id = ?"
                ),
                (int(snapshot_id),),
            ).fetchone()
        where = f"the {self._noun} at {self.location}"
        if row is None:
            raise SnapshotNotFoundError(
                f"There is no snapshot #{snapshot_id} in {where} (never saved, or pruned since).",
                path=self.path,
            )
        info = _info_from_row(row[:7])
        encoding, checksum, payload = row[7:]
        try:
            records, clients = _decode_payload(info, encoding, checksum, payload)
        except ValueError as problem:
            raise SnapshotDamagedError(
                f"Snapshot #{info.id} in {where} is damaged ({problem}); it cannot be shown or "
                "compared. Other snapshots are not affected.",
                path=self.path,
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
        """Delete snapshots older than ``keep_days`` and/or beyond the newest ``keep_count``.

        Both rules apply per series (one account and client filter). Age never removes the
        newest snapshot of a series, so the next review still has something to compare
        with; figures fetched before ``keep_days`` go too. Returns the number of snapshots
        deleted.
        """
        if keep_count is not None and keep_count < 1:
            raise ValueError("keep_count must be at least 1 (use delete() to remove all)")
        if keep_days is not None and keep_days < 0:
            raise ValueError("keep_days must not be negative")
        conditions: list[str] = []
        params: list[Any] = []
        cutoff = None
        if keep_count is not None:
            conditions.append("position > ?")
            params.append(int(keep_count))
        if keep_days is not None:
            cutoff = format_time(as_utc(now) - timedelta(days=keep_days))
            conditions.append("(taken_at < ? AND position > 1)")
            params.append(cutoff)
        if not conditions:
            return 0
        sql = (
            "SELECT id FROM (SELECT id, taken_at, ROW_NUMBER() OVER ("  # noqa: S608 - fixed text
            "PARTITION BY account, client_filter ORDER BY taken_at DESC, id DESC) AS position "
            "FROM snapshots) ranked WHERE " + " OR ".join(conditions)
        )
        with self._transaction() as connection:
            ids = [(row[0],) for row in connection.execute(self._sql(sql), params).fetchall()]
            self._executemany(connection, "DELETE FROM snapshot_data WHERE snapshot_id = ?", ids)
            self._executemany(connection, "DELETE FROM snapshots WHERE id = ?", ids)
            if cutoff is not None:
                connection.execute(
                    self._sql("DELETE FROM campaign_figures WHERE fetched_at < ?"), (cutoff,)
                )
                connection.execute(
                    self._sql("DELETE FROM report_runs WHERE made_at < ?"), (cutoff,)
                )
        return len(ids)

    def delete(self, snapshot_id: int) -> bool:
        """Delete one snapshot (its data too); False when there was none with that id."""
        with self._transaction() as connection:
            connection.execute(
                self._sql("DELETE FROM snapshot_data WHERE snapshot_id = ?"), (int(snapshot_id),)
            )
            cursor = connection.execute(
                self._sql("DELETE FROM snapshots WHERE id = ?"), (int(snapshot_id),)
            )
            return cursor.rowcount > 0

    def save_figures(
        self,
        account: str,
        kind: str,
        figures: Mapping[int, Mapping[str, Any]],
        *,
        fetched_at: datetime | None = None,
    ) -> int:
        """Keep per-campaign figures for every process using the store (see
        :meth:`SnapshotStore.save_figures`), in one transaction."""
        rows = figures_rows(account, kind, figures, fetched_at)
        if not rows:
            return 0
        with self._transaction() as connection:
            self._executemany(connection, FIGURES_UPSERT, rows)
        return len(rows)

    def load_figures(
        self, account: str, kind: str, campaign_ids: Iterable[int] | None = None
    ) -> dict[int, StoredFigures]:
        """The figures kept for ``account`` and ``kind`` (of ``campaign_ids`` only, if given),
        by campaign id (see :meth:`SnapshotStore.load_figures`)."""
        wanted = None if campaign_ids is None else {int(cid) for cid in campaign_ids}
        with self._connection() as connection:
            rows = self._figure_rows(connection, account, kind)
        found = stored_figures(rows)
        return found if wanted is None else {k: v for k, v in found.items() if k in wanted}

    def _figure_rows(self, connection: Any, account: str, kind: str) -> list[Any]:
        """``(campaign_id, fetched_at, figures)`` of every campaign of ``account`` and ``kind``."""
        return connection.execute(
            self._sql(
                "SELECT campaign_id, fetched_at, figures FROM campaign_figures "
                "WHERE account = ? AND kind = ?"
            ),
            (account, kind),
        ).fetchall()

    def remember_report(
        self,
        account: str,
        client_filter: int | None,
        *,
        snapshot_id: int | None,
        findings: Iterable[str],
        made_at: datetime | None = None,
    ) -> None:
        """Remember a delivered report for every process using the store (see
        :meth:`SnapshotStore.remember_report`)."""
        row = report_run_row(account, client_filter, snapshot_id, findings, made_at)
        with self._transaction() as connection:
            connection.execute(self._sql(REPORT_RUN_INSERT), row)

    def last_report(self, account: str, client_filter: int | None) -> ReportRun | None:
        """The newest report any process remembered for the scope (None: none)."""
        with self._connection() as connection:
            row = self._last_report_row(connection, account, client_filter)
        return report_run_from_row(row)

    def _last_report_row(
        self, connection: Any, account: str, client_filter: int | None
    ) -> Sequence[Any] | None:
        """``made_at, account, client_filter, snapshot_id, findings`` of the newest run."""
        condition, params = _client_condition(client_filter)
        return connection.execute(
            self._sql(REPORT_RUN_LATEST.format(client=condition)), (account, *params)
        ).fetchone()


# --------------------------------------------------------------------------- SQLite store

_MIGRATIONS: tuple[tuple[int, tuple[str, ...]], ...] = tuple(
    (version, store_statements(version, SQLITE)) for version in range(1, SCHEMA_VERSION + 1)
)
"""Every version of the tables, oldest first (:mod:`smartlead.store_tables`): a store is
brought from its version to :data:`SCHEMA_VERSION` by the statements of each later one, in
one transaction."""

# SQLite's primary result codes (the low byte of sqlite_errorcode).
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 5, 6, 8
_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN = 10, 11, 13, 14
_SQLITE_NOTADB = 26


def _is_read_only_error(error: BaseException) -> bool:
    code = (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF
    text = str(error).lower()
    return code == _SQLITE_READONLY or "readonly" in text or "read-only" in text


class SQLiteSnapshotStore(SQLSnapshotStore):
    """The default store: one SQLite file, created (with its directory) on first use.

    Each call opens its own short-lived connection, so one store object may be shared by
    every dashboard session and thread. ``timeout`` is the busy timeout in seconds: how long
    a call waits for another writer before it reports the store as locked. ``read_only``
    opens the file with SQLite's ``mode=ro`` (for a viewer of a shared store): it is never
    created or changed, and every write reports the store as read-only.

    The statements are :class:`SQLSnapshotStore`'s, shared with the PostgreSQL store. What
    is SQLite's own is here: the file (created private, or opened read-only), the connection
    pragmas (WAL, foreign keys), the ``sqlite_master`` check and the migrations, ``BEGIN
    IMMEDIATE`` (which also serialises saves of one account: it takes the file's one write
    lock), SQLite's errors in words, and the account names of earlier versions.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        timeout: float = DEFAULT_BUSY_TIMEOUT,
        read_only: bool = False,
    ) -> None:
        self.path = Path(path).expanduser()
        self.timeout = float(timeout)
        self.read_only = read_only
        self._ready = False
        self._no_legacy_accounts = False
        """True once the file was seen without the old salt: account names need no lookup."""
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        flag = ", read_only=True" if self.read_only else ""
        return f"SQLiteSnapshotStore({str(self.path)!r}{flag})"

    @property
    def kind(self) -> str:
        """``"SQLite"``."""
        return "SQLite"

    @property
    def location(self) -> str:
        """The file's path."""
        return str(self.path)

    # ------------------------------------------------------------------ connections

    def _open(self, *, read_only: bool = False, immutable: bool = False) -> sqlite3.Connection:
        if not read_only:
            connection = sqlite3.connect(str(self.path), timeout=self.timeout, isolation_level=None)
            try:
                connection.execute("PRAGMA foreign_keys = ON")
            except BaseException:
                connection.close()
                raise
            return connection
        uri = self.path.resolve().as_uri() + ("?mode=ro&immutable=1" if immutable else "?mode=ro")
        return sqlite3.connect(uri, uri=True, timeout=self.timeout, isolation_level=None)

    def _open_for_reading(self) -> sqlite3.Connection:
        """A checked read-only connection, also where the file or its folder is read-only.

        SQLite needs a shared-memory file beside a WAL database even to read it; when that
        cannot be created (a read-only folder), the file is read as immutable: right for a
        read-only copy, though a snapshot written by someone else meanwhile may be missed.
        """
        if not self.path.exists():
            raise HistoryUnavailableError(
                f"The history store at {self.path} does not exist (it is opened read-only, "
                "so it is not created).",
                path=self.path,
            )
        for immutable in (False, True):
            connection = self._open(read_only=True, immutable=immutable)
            try:
                self._initialise(connection, writable=False)
            except sqlite3.OperationalError as error:
                connection.close()
                if immutable or not _is_read_only_error(error):
                    raise
                continue
            except BaseException:
                connection.close()
                raise
            return connection
        raise AssertionError("unreachable")  # pragma: no cover

    def _connect(self, *, write: bool) -> sqlite3.Connection:
        if self.read_only:
            if write:
                raise HistoryUnavailableError(
                    f"The history store at {self.path} is read-only (it was opened read-only): "
                    "new snapshots cannot be saved.",
                    path=self.path,
                    remedy=Remedy.NONE,
                )
            return self._open_for_reading()
        try:
            self._ensure_ready()
        except sqlite3.OperationalError as error:
            if write or not _is_read_only_error(error):
                raise
            return self._open_for_reading()  # a file we may read but not write: read it
        return self._open()

    @contextmanager
    def _connection(self, *, write: bool = False) -> Iterator[sqlite3.Connection]:
        """A ready connection; any SQLite or OS error leaves as HistoryUnavailableError."""
        try:
            connection = self._connect(write=write)
            try:
                yield connection
            finally:
                connection.close()
        except (sqlite3.Error, OSError) as error:
            raise self._unavailable(error) from error

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed whole at the end, rolled back on any error."""
        with self._connection(write=True) as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    def _ensure_ready(self) -> None:
        """Create the file, its directory and the tables on first use; check the version."""
        if self._ready and self.path.exists():
            return
        with self._lock:
            if not self.path.exists():
                self._ready = False
                self._no_legacy_accounts = False
                self._create_file()
            if self._ready:
                return
            connection = self._open()
            try:
                self._initialise(connection, writable=True)
            finally:
                connection.close()
            self._ready = True

    def _create_file(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            # Campaign data is business data: only the owner may read the file (SQLite gives
            # its -wal and -shm files the same permissions).
            descriptor = os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600)
            os.close(descriptor)
        except OSError as error:
            blocker = next((p for p in (self.path.parent, *self.path.parents) if p.exists()), None)
            reason = (
                f"{blocker} is a file, not a directory"
                if blocker is not None and not blocker.is_dir()
                else error.strerror or str(error)
            )
            raise HistoryUnavailableError(
                f"The history store at {self.path} could not be created: {reason}.",
                path=self.path,
            ) from error

    def _initialise(self, connection: sqlite3.Connection, *, writable: bool) -> None:
        """Check the file is a history store of a version we read; set it up if writable."""
        tables = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        if "history_schema" not in tables:
            if tables - set(STORE_TABLES):
                raise HistoryUnavailableError(
                    f"The file at {self.path} is a database of something else, not a history "
                    "store.",
                    path=self.path,
                )
            if not writable:
                raise HistoryUnavailableError(
                    f"The history store at {self.path} has no snapshots yet (it is opened "
                    "read-only, so it is not set up).",
                    path=self.path,
                )
        if writable:
            self._use_wal(connection)
            if "history_schema" not in tables or self._version(connection) < SCHEMA_VERSION:
                self._create_tables(connection)
        version = self._version(connection)
        if version is None or version > SCHEMA_VERSION:
            raise HistoryUnavailableError(
                f"The history store at {self.path} was written by a newer version of this "
                f"program (schema {version}; this one reads up to schema {SCHEMA_VERSION}).",
                path=self.path,
            )

    @staticmethod
    def _version(connection: sqlite3.Connection) -> int | None:
        """The store's schema version (None: the version table is empty)."""
        (version,) = connection.execute("SELECT MAX(version) FROM history_schema").fetchone()
        return None if version is None else int(version)

    def _create_tables(self, connection: sqlite3.Connection) -> None:
        """Create the tables, or bring an older store's up to date, in one transaction.

        Two processes creating (or migrating) one store at once are serialised by the write
        lock; the second finds everything in place (IF NOT EXISTS, ON CONFLICT DO NOTHING).
        """
        connection.execute("BEGIN IMMEDIATE")
        try:
            connection.execute(VERSION_TABLE)  # the version table itself, to read the version
            version = self._version(connection) or 0
            for number, statements in _MIGRATIONS:
                if number <= version:
                    continue
                for statement in statements:
                    connection.execute(statement)
                connection.execute(RECORD_VERSION, (number, format_time(as_utc(None))))
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

    @staticmethod
    def _use_wal(connection: sqlite3.Connection) -> None:
        """WAL lets readers go on while one session writes; set once, kept by the file."""
        (mode,) = connection.execute("PRAGMA journal_mode").fetchone()
        if str(mode).lower() == "wal":
            return
        try:
            connection.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError as error:
            # Another process holds the file this instant; it can switch the mode later.
            if (getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF not in (
                _SQLITE_BUSY,
                _SQLITE_LOCKED,
            ):
                raise

    def _unavailable(self, error: BaseException) -> HistoryUnavailableError:
        """Translate a SQLite or OS error into a sentence that names the cause, and a remedy."""
        if isinstance(error, HistoryUnavailableError):
            return error
        where = f"The history store at {self.path}"
        if isinstance(error, OSError):
            return HistoryUnavailableError(
                f"{where} could not be created: {error.strerror or error}.", path=self.path
            )
        code = (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF
        detail = str(error) or type(error).__name__
        lowered = detail.lower()
        remedy = Remedy.CHECK_HISTORY
        if code in (_SQLITE_BUSY, _SQLITE_LOCKED) or "locked" in lowered:
            message = f"{where} is locked by another process (waited {self.timeout:g} s): {detail}."
            remedy = Remedy.TRY_AGAIN
        elif _is_read_only_error(error):
            message = f"{where} is read-only: {detail}. New snapshots cannot be saved there."
        elif (
            code in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
            or "not a database" in lowered
            or "malformed" in lowered
            or "no such table" in lowered
            or "no such column" in lowered
        ):
            message = f"{where} is not a valid history database (damaged?): {detail}."
        elif code == _SQLITE_CANTOPEN:
            message = f"{where} could not be opened or created: {detail}."
        elif code == _SQLITE_FULL:
            message = f"{where} cannot grow: the disk is full ({detail})."
        elif code == _SQLITE_IOERR:
            message = f"{where} could not be read or written (I/O error): {detail}."
        else:
            message = f"{where} could not be used: {detail}."
        return HistoryUnavailableError(message, path=self.path, remedy=remedy)

    def _refused_as_read_only(self, error: HistoryUnavailableError) -> bool:
        """Whether a write failed only because this store may be read but not written."""
        cause = error.__cause__
        return self.read_only or (cause is not None and _is_read_only_error(cause))

    # ------------------------------------------------------------------ interface

    def account_for(self, connection: Connection) -> str:
        """The account name of ``connection``'s snapshots: :attr:`Connection.fingerprint`.

        A store written by an earlier version named the account by an HMAC of the key under a
        salt it kept. Snapshots under that old name are renamed to the fingerprint here, in one
        transaction, so the account's history continues; once no snapshot is left under an
        old name, the salt is deleted too. Where the store may be read but not written, the
        old name is returned instead, so its history can still be read.
        """
        account = connection.fingerprint
        if self._no_legacy_accounts:
            return account
        with self._connection() as db:
            row = db.execute(
                "SELECT value FROM history_meta WHERE name = ?", (_LEGACY_SALT,)
            ).fetchone()
            if row is None:
                self._no_legacy_accounts = True
                return account
            legacy = _legacy_fingerprint(connection.api_key, str(row[0]))
            waiting = (
                db.execute(
                    "SELECT 1 FROM snapshots WHERE account = ? LIMIT 1", (legacy,)
                ).fetchone()
                is not None
            )
            salt_needed = waiting or self._legacy_accounts_remain(db)
        if not waiting:
            if not salt_needed:  # the last old name is gone: drop the salt, now or next time
                with suppress(HistoryUnavailableError):
                    self._continue_legacy(legacy, account)
            return account
        try:
            self._continue_legacy(legacy, account)
        except HistoryUnavailableError as error:
            if self._refused_as_read_only(error):
                return legacy
            raise
        return account

    def _continue_legacy(self, legacy: str, account: str) -> None:
        """Rename ``legacy``'s snapshots to ``account``; drop the salt once no old name is left."""
        with self._transaction() as db:
            db.execute("UPDATE snapshots SET account = ? WHERE account = ?", (account, legacy))
            if not self._legacy_accounts_remain(db):
                db.execute("DELETE FROM history_meta WHERE name = ?", (_LEGACY_SALT,))

    @staticmethod
    def _legacy_accounts_remain(db: sqlite3.Connection) -> bool:
        rows = db.execute(
            "SELECT DISTINCT account FROM snapshots WHERE LENGTH(account) = ?",
            (_LEGACY_FINGERPRINT_LENGTH,),
        ).fetchall()
        return any(_looks_legacy(str(row[0])) for row in rows)

    def _lock_account(self, connection: sqlite3.Connection, account: str) -> None:
        """Nothing to take: ``BEGIN IMMEDIATE`` holds the file's one write lock already."""

    def _figure_rows(self, connection: sqlite3.Connection, account: str, kind: str) -> list[Any]:
        """A store of schema 1 opened read-only has no figures table yet: it holds no figures."""
        try:
            return super()._figure_rows(connection, account, kind)
        except sqlite3.OperationalError as error:
            if "no such table: campaign_figures" not in str(error):
                raise
            return []

    def _last_report_row(
        self, connection: sqlite3.Connection, account: str, client_filter: int | None
    ) -> Sequence[Any] | None:
        """A store of an older schema opened read-only has no report table yet: no run."""
        try:
            return super()._last_report_row(connection, account, client_filter)
        except sqlite3.OperationalError as error:
            if "no such table: report_runs" not in str(error):
                raise
            return None
