"""Snapshots of the portfolio over time, and what changed between two of them.

Sales ops review a portfolio every week and first ask "what changed?". SmartLead keeps no
history of campaign settings, so this module keeps one: a *snapshot* is the campaign list as
fetched (records exactly as they came, plus the client list that names them), when, for which
account and which client filter. Two snapshots give a *diff*: one row per change.

Why it is built this way:

- **One small interface.** Everything goes through :class:`SnapshotStore` (``fingerprint``,
  ``save``, ``list``, ``latest``, ``load``, ``prune``, ``delete``). The default,
  :class:`SQLiteSnapshotStore`, is an embedded SQLite file; a team running several replicas
  can put a server database behind the same interface. The SQL is kept portable (see
  ``_DDL`` and the notes on :class:`SQLiteSnapshotStore`).
- **Nothing is lost.** Each snapshot is written in one ``BEGIN IMMEDIATE`` transaction (its
  summary row and its data row together, or neither); WAL mode and a busy timeout let several
  sessions and processes save at once; every snapshot carries its campaign count and a
  SHA-256 of its data, so a damaged one is reported as damaged instead of crashing a page.
- **The key is never stored.** An account is identified by :func:`account_fingerprint`, an
  HMAC-SHA256 of the API key under a random salt kept in the store (so replicas sharing one
  store agree on fingerprints, and a fingerprint from one store says nothing in another).
- **Failures are sentences.** Every store method raises :class:`HistoryUnavailableError`
  with a plain message ("… is locked by another process …") for any SQLite or OS error, so
  the dashboard can show a warning and keep working without history.
- **Cheap timeline.** A small summary (campaigns per status, daily limits) is stored beside
  each snapshot at save time, so :func:`portfolio_timeline` never reloads snapshot data.

Diff semantics (:func:`diff_snapshots`) are documented on that function.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import os
import secrets
import sqlite3
import threading
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
import pandas as pd
import pyarrow as pa

from smartlead import settings, vocab

# The frame's own field parsers: keys and summaries read records exactly as campaigns_frame.
from smartlead.frame import (
    LIST_OF_STRINGS,
    UTC_TIMESTAMP,
    campaigns_frame,
    client_names,
    int_field,
)

# --------------------------------------------------------------------------- constants

SCHEMA_VERSION = 1
"""Version of the store's tables; a store written by a newer version is refused, not altered."""

PAYLOAD_ENCODING = "zlib+json/1"
"""How snapshot data is stored: zlib-compressed UTF-8 JSON ``{"campaigns": [...], ...}``."""

SOURCE_AUTO = "auto"
"""Saved by the dashboard after a live fetch (subject to the interval rule)."""
SOURCE_MANUAL = "manual"
"""Saved by a person pressing a button."""
SOURCE_CLI = "cli"
"""Saved by ``python -m smartlead snapshot`` (typically a cron job)."""

DEMO_ACCOUNT = "demo"
"""The account name of demo snapshots (a fingerprint is 16 hex digits, so they never clash)."""

FINGERPRINT_LENGTH = 16
DEFAULT_BUSY_TIMEOUT = 5.0
"""Seconds a store waits for another writer before reporting it as locked."""

CHANGE_KINDS: tuple[str, ...] = (
    "added",
    "removed",
    "status",
    "daily_limit",
    "tags",
    "schedule",
    "field",
)
"""Kinds of change a diff reports, in the order the diff table lists them."""

DIFF_COLUMNS: tuple[str, ...] = (
    "kind",
    "id",
    "name",
    "client_name",
    "field",
    "before",
    "after",
    "tags",
)
"""Columns of :func:`diff_snapshots`'s frame."""

TIMELINE_COLUMNS: tuple[str, ...] = (
    "snapshot_id",
    "taken_at",
    "status",
    "campaigns",
    "daily_limit",
    "active_daily_limit",
)
"""Columns of :func:`portfolio_timeline`'s long frame: one row per snapshot and status."""

# Which campaign-frame columns the diff compares, and how. Every column of the frame's
# SCHEMA is in exactly one of these groups (a test checks it, so a new column is noticed).
_SCHEDULE_COLUMNS = (
    "schedule_timezone",
    "schedule_days",
    "schedule_start_minute",
    "schedule_end_minute",
)
_FIELD_COLUMNS = (
    "name",
    "parent_campaign_id",
    "user_id",
    "created_at",
    "schedule_start_time",
    "min_time_btwn_emails",
    "follow_up_percentage",
    "stop_lead_settings",
    "track_opens",
    "track_clicks",
    "track_replies",
    "send_as_plain_text",
    "enable_ai_esp_matching",
    "unsubscribe_text",
)
_SPECIAL_COLUMNS = ("id", "status", "max_leads_per_day", "tags", "client_id", "extra")
_IGNORED_COLUMNS = (
    "updated_at",  # moves with every edit; the changes themselves are what is reported
    "track_settings",  # raw flags: compared through track_opens/clicks/replies instead
    "tag_ids",  # tags are compared by name, as people see them
    "tag_colors",  # a colour belongs to the tag, not the campaign
    "schedule_window_hours",  # derived from the schedule, reported as one schedule change
    "schedule_days_per_week",
    "schedule_summary",
    "client_name",  # follows client_id, reported as the "client" field
    "unreadable_fields",  # a note about parsing, not a campaign setting
)


# --------------------------------------------------------------------------- errors


class HistoryUnavailableError(Exception):
    """The snapshot history cannot be used; ``str(exc)`` is a sentence for the user.

    Raised by every store method for any SQLite or operating-system error. The message may
    name the store's path, never an API key. The dashboard catches it, shows a warning and
    carries on without history.
    """

    def __init__(self, message: str, *, path: Path | str | None = None) -> None:
        super().__init__(message)
        self.path = path


class SnapshotNotFoundError(HistoryUnavailableError):
    """No snapshot has the requested id (it was never saved, or has been pruned)."""


class SnapshotDamagedError(HistoryUnavailableError):
    """A snapshot's stored data cannot be read back intact (bad compression, JSON or checksum).

    Only that snapshot is affected: the store and its other snapshots keep working.
    """

    def __init__(self, message: str, *, path: Path | str | None = None, snapshot_id: int) -> None:
        super().__init__(message, path=path)
        self.snapshot_id = snapshot_id


# --------------------------------------------------------------------------- values


@dataclass(frozen=True)
class SnapshotInfo:
    """What is known about a snapshot without loading its campaigns."""

    id: int
    taken_at: datetime
    account: str
    client_filter: int | None
    source: str
    campaign_count: int
    summary: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def label(self) -> str:
        """A one-line description for pickers: ``#12 · 2026-11-20 09:00 UTC · 300 campaigns``."""
        scope = "" if self.client_filter is None else f" · client #{self.client_filter}"
        count = f"{self.campaign_count} campaign" + ("" if self.campaign_count == 1 else "s")
        return f"#{self.id} · {self.taken_at:%Y-%m-%d %H:%M} UTC · {count}{scope}"

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (time as ISO-8601 UTC)."""
        return {
            "id": self.id,
            "taken_at": _format_time(self.taken_at),
            "account": self.account,
            "client_filter": self.client_filter,
            "source": self.source,
            "campaign_count": self.campaign_count,
            "summary": dict(self.summary),
        }


@dataclass(frozen=True)
class Snapshot:
    """A stored snapshot: its info, the campaign records as fetched and the client list."""

    info: SnapshotInfo
    records: list[Any]
    clients: list[Any] = field(default_factory=list)


@dataclass(frozen=True)
class SaveOutcome:
    """What :func:`maybe_save` did, with a sentence the dashboard can show as it is.

    ``info`` is the snapshot saved, or (when nothing was saved) the recent one that made a
    new one unnecessary. ``next_due`` is when the next automatic snapshot may be saved.
    """

    saved: bool
    info: SnapshotInfo | None
    message: str
    pruned: int = 0
    next_due: datetime | None = None


# --------------------------------------------------------------------------- interface


@runtime_checkable
class SnapshotStore(Protocol):
    """The one interface every snapshot store implements (SQLite here; a server DB later).

    Every method raises :class:`HistoryUnavailableError` when the store cannot be used.
    Snapshots are listed newest first. ``client_filter`` None means "all clients".
    """

    def fingerprint(self, api_key: str) -> str:
        """The account id for a key: an HMAC under this store's salt; the key is not kept."""
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


# --------------------------------------------------------------------------- helpers


def account_fingerprint(api_key: str, salt: str | bytes) -> str:
    """The account id stored for a key: HMAC-SHA256(salt, key), hex, first 16 characters.

    The same key and salt always give the same fingerprint; without the salt it cannot be
    checked against a guessed key, and the key cannot be recovered from it.
    """
    if not isinstance(api_key, str) or not api_key.strip():
        raise ValueError("an API key is needed to compute an account fingerprint")
    salt_bytes = salt.encode("utf-8") if isinstance(salt, str) else bytes(salt)
    digest = hmac.new(salt_bytes, api_key.strip().encode("utf-8"), hashlib.sha256)
    return digest.hexdigest()[:FINGERPRINT_LENGTH]


def _utc(moment: datetime | None) -> datetime:
    """An aware UTC datetime (now when None; a naive one is taken to be UTC already)."""
    if moment is None:
        return datetime.now(UTC)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _format_time(moment: datetime) -> str:
    """Fixed-width ISO-8601 UTC text, so the text order is the time order (in any SQL DB)."""
    return _utc(moment).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def _duration(seconds: float) -> str:
    """Seconds in words: '45 s', '12 min', '1 h 5 min', '3 days'."""
    seconds = max(0.0, seconds)
    if seconds < 60:
        return f"{math.ceil(seconds)} s"
    minutes = math.ceil(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h" + (f" {minutes} min" if minutes else "")
    return f"{round(hours / 24)} days"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _json_default(value: Any) -> Any:
    """JSON for values the API never sends but a Python caller might (dates, sets, ...)."""
    if isinstance(value, datetime):
        return _format_time(value)
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


def _safe_frame(records: Sequence[Any], clients: Iterable[Any] | None) -> pd.DataFrame:
    """``campaigns_frame``, which must never take a diff or a save down with it.

    Should the frame builder ever reject a record, that record's known fields are tried one
    by one and any it cannot read are moved under an unknown name (so they still show in
    ``extra`` and in diffs) instead of failing the whole portfolio.
    """
    client_list = [c for c in (clients or []) if isinstance(c, Mapping)]
    try:
        return campaigns_frame(records, client_list)
    except Exception:  # a defensive fallback; the careful path follows
        cleaned = [_readable_record(record) for record in records]
        return campaigns_frame(cleaned, client_list)


def _frame_accepts(records: list[Any]) -> bool:
    try:
        campaigns_frame(records)
    except Exception:
        return False
    return True


def _readable_record(record: Any) -> Any:
    if _frame_accepts([record]):
        return record
    if not isinstance(record, dict):
        return {"record": json.dumps(record, default=str)}
    kept: dict[str, Any] = {}
    for key, value in record.items():
        if _frame_accepts([{key: value}]):
            kept[key] = value
        else:
            kept[f"{key} (unreadable)"] = json.dumps(value, default=str)
    return kept


def snapshot_summary(
    records: Sequence[Any], clients: Iterable[Any] | None = None
) -> dict[str, Any]:
    """The small per-snapshot summary the timeline reads: counts and daily limits by status.

    Status, daily limit and client are read with the campaign frame's own parsers, so the
    counts match what the dashboard shows for the same records.
    """
    status = pd.Series(
        [vocab.canonical_status(value) for value in _dict_values(records, "status")],
        dtype="string",
    )
    limits = pd.Series(int_field(records, "max_leads_per_day")).fillna(0)
    counts = status.value_counts(dropna=False)
    limit_sums = limits.groupby(status, dropna=False).sum()
    order = vocab.status_order([s for s in counts.index if isinstance(s, str)])
    by_status = {s: int(counts[s]) for s in order if s in counts.index}
    limit_by_status = {s: int(limit_sums[s]) for s in order if s in limit_sums.index}
    return {
        "campaigns": len(status),
        "by_status": by_status,
        "daily_limit_by_status": limit_by_status,
        "active_daily_limit": limit_by_status.get("ACTIVE", 0),
        "clients": int(pd.Series(_client_label_values(records, clients)).nunique()),
    }


# --------------------------------------------------------------------------- SQLite store

_TABLES = ("history_schema", "history_meta", "snapshots", "snapshot_data")

_DDL: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS history_schema (
        version INTEGER PRIMARY KEY,
        applied_at VARCHAR(32) NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS history_meta (
        name VARCHAR(64) PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    # PostgreSQL: id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY
    """CREATE TABLE IF NOT EXISTS snapshots (
        id INTEGER PRIMARY KEY,
        taken_at VARCHAR(32) NOT NULL,
        account VARCHAR(64) NOT NULL,
        client_filter BIGINT,
        source VARCHAR(16) NOT NULL,
        campaign_count INTEGER NOT NULL,
        summary TEXT NOT NULL
    )""",
    """CREATE INDEX IF NOT EXISTS snapshots_by_account_time
        ON snapshots (account, client_filter, taken_at)""",
    # PostgreSQL: payload BYTEA
    """CREATE TABLE IF NOT EXISTS snapshot_data (
        snapshot_id INTEGER PRIMARY KEY REFERENCES snapshots (id),
        encoding VARCHAR(32) NOT NULL,
        raw_size BIGINT NOT NULL,
        checksum CHAR(64) NOT NULL,
        payload BLOB NOT NULL
    )""",
)
"""The tables, in SQL that PostgreSQL also accepts except for the two commented types."""

_INFO_COLUMNS = "id, taken_at, account, client_filter, source, campaign_count, summary"

# SQLite's primary result codes (the low byte of sqlite_errorcode).
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 5, 6, 8
_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN = 10, 11, 13, 14
_SQLITE_NOTADB = 26


def _is_read_only_error(error: BaseException) -> bool:
    code = (getattr(error, "sqlite_errorcode", None) or 0) & 0xFF
    text = str(error).lower()
    return code == _SQLITE_READONLY or "readonly" in text or "read-only" in text


def _client_condition(client_filter: int | None) -> tuple[str, tuple[Any, ...]]:
    """``client_filter`` matching that treats None as "all clients" (NULL), portably."""
    if client_filter is None:
        return "client_filter IS NULL", ()
    return "client_filter = ?", (int(client_filter),)


class SQLiteSnapshotStore:
    """The default store: one SQLite file, created (with its directory) on first use.

    Each call opens its own short-lived connection, so one store object may be shared by
    every dashboard session and thread. ``timeout`` is the busy timeout in seconds: how long
    a call waits for another writer before it reports the store as locked. ``read_only``
    opens the file with SQLite's ``mode=ro`` (for a viewer of a shared store): it is never
    created or changed, and every write reports the store as read-only.

    Portability: statements use ``?`` placeholders (a PostgreSQL driver such as psycopg
    takes ``%s``: the statements contain no literal ``?``, so ``sql.replace("?", "%s")``
    maps them), ``INSERT … RETURNING``, ``ON CONFLICT … DO NOTHING`` and window functions,
    which both accept. SQLite-only are the connection pragmas (WAL, foreign keys), the
    ``sqlite_master`` check, ``BEGIN IMMEDIATE`` (PostgreSQL: ``BEGIN`` plus
    ``SELECT pg_advisory_xact_lock(…)`` around the interval check) and two column types.
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
        self._salt: str | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        flag = ", read_only=True" if self.read_only else ""
        return f"SQLiteSnapshotStore({str(self.path)!r}{flag})"

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
                self._salt = None
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
            if tables - set(_TABLES):
                raise HistoryUnavailableError(
                    f"The file at {self.path} is a database of something else, not a history "
                    "store: choose another path.",
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
            if "history_schema" not in tables:
                self._create_tables(connection)
        (version,) = connection.execute("SELECT MAX(version) FROM history_schema").fetchone()
        if version is None or version > SCHEMA_VERSION:
            raise HistoryUnavailableError(
                f"The history store at {self.path} was written by a newer version of this "
                f"program (schema {version}, this one reads up to {SCHEMA_VERSION}): "
                "upgrade, or choose another path.",
                path=self.path,
            )

    @staticmethod
    def _create_tables(connection: sqlite3.Connection) -> None:
        """Tables, schema version and account salt, in one transaction.

        Two processes creating one store at once are serialised by the write lock; the
        second finds everything in place (IF NOT EXISTS, ON CONFLICT DO NOTHING), so both
        end up with the same salt.
        """
        connection.execute("BEGIN IMMEDIATE")
        try:
            for statement in _DDL:
                connection.execute(statement)
            connection.execute(
                "INSERT INTO history_schema (version, applied_at) VALUES (?, ?) "
                "ON CONFLICT (version) DO NOTHING",
                (SCHEMA_VERSION, _format_time(_utc(None))),
            )
            connection.execute(
                "INSERT INTO history_meta (name, value) VALUES (?, ?) "
                "ON CONFLICT (name) DO NOTHING",
                ("account_salt", secrets.token_hex(32)),
            )
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
        """Translate a SQLite or OS error into a sentence that names the cause."""
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
        if code in (_SQLITE_BUSY, _SQLITE_LOCKED) or "locked" in lowered:
            message = (
                f"{where} is locked by another process (waited {self.timeout:g} s): "
                f"{detail}. Try again in a moment."
            )
        elif _is_read_only_error(error):
            message = (
                f"{where} is read-only: {detail}. New snapshots cannot be saved there; check "
                "the permissions of the file and its folder, or choose another path."
            )
        elif (
            code in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
            or "not a database" in lowered
            or "malformed" in lowered
            or "no such table" in lowered
            or "no such column" in lowered
        ):
            message = (
                f"{where} is not a valid history database (damaged?): {detail}. Move the "
                "file aside to start a new history."
            )
        elif code == _SQLITE_CANTOPEN:
            message = f"{where} could not be opened or created: {detail}."
        elif code == _SQLITE_FULL:
            message = f"{where} cannot grow: the disk is full ({detail})."
        elif code == _SQLITE_IOERR:
            message = f"{where} could not be read or written (I/O error): {detail}."
        else:
            message = f"{where} could not be used: {detail}."
        return HistoryUnavailableError(message, path=self.path)

    # ------------------------------------------------------------------ interface

    def fingerprint(self, api_key: str) -> str:
        """The account id for ``api_key`` under this store's salt (created on first use)."""
        if self._salt is None:
            with self._connection() as connection:
                row = connection.execute(
                    "SELECT value FROM history_meta WHERE name = ?", ("account_salt",)
                ).fetchone()
            if row is None:
                raise HistoryUnavailableError(
                    f"The history store at {self.path} is not a valid history database "
                    "(damaged?): it has no account salt.",
                    path=self.path,
                )
            self._salt = row[0]
        return account_fingerprint(api_key, self._salt)

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
        the write lock is held only for two inserts. Returns None only when ``skip_within``
        is given and a snapshot of this account and client filter is more recent than that.
        """
        if not isinstance(account, str) or not account:
            raise ValueError("account must be a fingerprint (or DEMO_ACCOUNT)")
        record_list = list(records) if records is not None else []
        client_list = list(clients) if clients is not None else []
        moment = _utc(taken_at)
        summary = snapshot_summary(record_list, client_list)
        payload, checksum, raw_size = _encode_payload(record_list, client_list)
        summary_text = json.dumps(summary, ensure_ascii=False)
        filter_value = None if client_filter is None else int(client_filter)
        condition, condition_params = _client_condition(filter_value)

        with self._transaction() as connection:
            if skip_within is not None:
                row = connection.execute(
                    f"SELECT taken_at FROM snapshots WHERE account = ? AND {condition} "  # noqa: S608 - fixed text
                    "ORDER BY taken_at DESC LIMIT 1",
                    (account, *condition_params),
                ).fetchone()
                if row is not None and _parse_time(row[0]) > moment - skip_within:
                    return None
            (snapshot_id,) = connection.execute(
                "INSERT INTO snapshots "
                "(taken_at, account, client_filter, source, campaign_count, summary) "
                "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    _format_time(moment),
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
            taken_at=_parse_time(_format_time(moment)),
            account=account,
            client_filter=filter_value,
            source=source,
            campaign_count=len(record_list),
            summary=summary,
        )

    def _insert_data(
        self,
        connection: sqlite3.Connection,
        snapshot_id: int,
        payload: bytes,
        checksum: str,
        raw_size: int,
    ) -> None:
        """The second half of a save (a separate method so tests can interrupt a save here)."""
        connection.execute(
            "INSERT INTO snapshot_data (snapshot_id, encoding, raw_size, checksum, payload) "
            "VALUES (?, ?, ?, ?, ?)",
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
            rows = connection.execute(sql, params).fetchall()
        return [_info_from_row(row) for row in rows]

    def latest(
        self, account: str, n: int = 2, *, client_filter: int | None = None
    ) -> list[SnapshotInfo]:
        """The ``n`` newest snapshots of ``account`` with this client filter, newest first."""
        condition, params = _client_condition(client_filter)
        with self._connection() as connection:
            rows = connection.execute(
                f"SELECT {_INFO_COLUMNS} FROM snapshots WHERE account = ? AND {condition} "  # noqa: S608
                "ORDER BY taken_at DESC, id DESC LIMIT ?",
                (account, *params, int(n)),
            ).fetchall()
        return [_info_from_row(row) for row in rows]

    def load(self, snapshot_id: int) -> Snapshot:
        """The snapshot with its records, checked against its stored count and checksum."""
        with self._connection() as connection:
            row = connection.execute(
                f"SELECT {_INFO_COLUMNS}, d.encoding, d.checksum, d.payload "  # noqa: S608
                "FROM snapshots LEFT JOIN snapshot_data d ON d.snapshot_id = snapshots.id "
                "WHERE snapshots.id = ?",
                (int(snapshot_id),),
            ).fetchone()
        if row is None:
            raise SnapshotNotFoundError(
                f"There is no snapshot #{snapshot_id} in the history store at {self.path} "
                "(never saved, or pruned since).",
                path=self.path,
            )
        info = _info_from_row(row[:7])
        encoding, checksum, payload = row[7:]
        try:
            records, clients = _decode_payload(info, encoding, checksum, payload)
        except ValueError as problem:
            raise SnapshotDamagedError(
                f"Snapshot #{info.id} in the history store at {self.path} is damaged "
                f"({problem}); it cannot be shown or compared. Other snapshots are not "
                "affected.",
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
        with. Returns the number of snapshots deleted.
        """
        if keep_count is not None and keep_count < 1:
            raise ValueError("keep_count must be at least 1 (use delete() to remove all)")
        if keep_days is not None and keep_days < 0:
            raise ValueError("keep_days must not be negative")
        conditions: list[str] = []
        params: list[Any] = []
        if keep_count is not None:
            conditions.append("position > ?")
            params.append(int(keep_count))
        if keep_days is not None:
            cutoff = _utc(now) - timedelta(days=keep_days)
            conditions.append("(taken_at < ? AND position > 1)")
            params.append(_format_time(cutoff))
        if not conditions:
            return 0
        sql = (
            "SELECT id FROM (SELECT id, taken_at, ROW_NUMBER() OVER ("  # noqa: S608 - fixed text
            "PARTITION BY account, client_filter ORDER BY taken_at DESC, id DESC) AS position "
            "FROM snapshots) ranked WHERE " + " OR ".join(conditions)
        )
        with self._transaction() as connection:
            ids = [(row[0],) for row in connection.execute(sql, params).fetchall()]
            connection.executemany("DELETE FROM snapshot_data WHERE snapshot_id = ?", ids)
            connection.executemany("DELETE FROM snapshots WHERE id = ?", ids)
        return len(ids)

    def delete(self, snapshot_id: int) -> bool:
        """Delete one snapshot (its data too); False when there was none with that id."""
        with self._transaction() as connection:
            connection.execute(
                "DELETE FROM snapshot_data WHERE snapshot_id = ?", (int(snapshot_id),)
            )
            cursor = connection.execute("DELETE FROM snapshots WHERE id = ?", (int(snapshot_id),))
            return cursor.rowcount > 0


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
        taken_at=_parse_time(taken_at),
        account=account,
        client_filter=None if client_filter is None else int(client_filter),
        source=source,
        campaign_count=int(count),
        summary=summary,
    )


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
    except (UnicodeDecodeError, ValueError):
        raise ValueError("its data is not valid JSON") from None
    if not isinstance(document, dict) or not isinstance(document.get("campaigns"), list):
        raise ValueError("its data has an unexpected shape")
    records = document["campaigns"]
    if len(records) != info.campaign_count:
        raise ValueError(f"it holds {len(records)} campaigns, not {info.campaign_count}")
    clients = document.get("clients")
    return records, clients if isinstance(clients, list) else []


def open_store(path: str | os.PathLike[str] | None = None) -> SQLiteSnapshotStore | None:
    """The store the settings name (``SMARTLEAD_HISTORY_PATH``), or None when history is off.

    Nothing is touched on disk until the store is first used.
    """
    chosen = Path(path) if path is not None else settings.history_path()
    return None if chosen is None else SQLiteSnapshotStore(chosen)


# --------------------------------------------------------------------------- saving rule


def maybe_save(
    store: SnapshotStore,
    records: Iterable[Any],
    *,
    account: str,
    client_filter: int | None = None,
    clients: Iterable[Any] | None = None,
    interval: float | None = None,
    retention_days: float | None = None,
    now: datetime | None = None,
    source: str = SOURCE_AUTO,
) -> SaveOutcome:
    """Save a snapshot unless this account and client filter has one younger than ``interval``.

    For the dashboard after a live fetch (never for demo data). ``interval`` is in seconds
    (None: ``SMARTLEAD_HISTORY_INTERVAL``; 0: always save). After a save, snapshots older
    than ``retention_days`` are pruned (None: ``SMARTLEAD_HISTORY_RETENTION_DAYS``; 0: keep
    everything); a failed prune is mentioned in the message, never undoes the save. Raises
    HistoryUnavailableError when the store cannot be used.
    """
    seconds = settings.history_interval_seconds() if interval is None else max(0.0, interval)
    keep_days = settings.history_retention_days() if retention_days is None else retention_days
    moment = _utc(now)
    info = store.save(
        records,
        account=account,
        client_filter=client_filter,
        clients=clients,
        taken_at=moment,
        source=source,
        skip_within=timedelta(seconds=seconds) if seconds > 0 else None,
    )
    if info is None:
        recent = store.latest(account, 1, client_filter=client_filter)
        last = recent[0] if recent else None
        if last is None:  # pruned by someone else in between: nothing more to say
            return SaveOutcome(False, None, "Not saved: a snapshot was saved moments ago.")
        due = last.taken_at + timedelta(seconds=seconds)
        age = _duration((moment - last.taken_at).total_seconds())
        message = (
            f"Not saved to history: the last snapshot of this portfolio (#{last.id}) is only "
            f"{age} old, and one is kept at most every {_duration(seconds)}. The next one "
            f"can be saved after {due:%Y-%m-%d %H:%M} UTC."
        )
        return SaveOutcome(False, last, message, next_due=due)

    message = f"Saved snapshot #{info.id} ({_plural(info.campaign_count, 'campaign')}) to history."
    pruned = 0
    if keep_days:
        try:
            pruned = store.prune(keep_days=keep_days, now=moment)
        except HistoryUnavailableError as error:
            message += f" Old snapshots were not pruned: {error}"
        else:
            if pruned:
                message += f" Removed {_plural(pruned, 'snapshot')} older than {keep_days:g} days."
    next_due = info.taken_at + timedelta(seconds=seconds) if seconds else None
    return SaveOutcome(True, info, message, pruned=pruned, next_due=next_due)


# --------------------------------------------------------------------------- timeline


def portfolio_timeline(
    store: SnapshotStore,
    account: str,
    *,
    client_filter: int | None = None,
    since: datetime | None = None,
) -> pd.DataFrame:
    """The portfolio over time from the stored summaries (no snapshot data is loaded).

    One row per snapshot and status (oldest first; every status seen in the period appears
    for every snapshot, with 0 where it had none, so stacked charts add up): ``campaigns``
    with that status, their ``daily_limit`` total, and the snapshot's ``active_daily_limit``
    (total daily limit of ACTIVE campaigns, repeated on each of its rows).
    """
    infos = [
        info
        for info in store.list(account)
        if info.client_filter == client_filter and (since is None or info.taken_at >= _utc(since))
    ]
    infos.sort(key=lambda info: (info.taken_at, info.id))
    seen: set[str] = {"ACTIVE"}
    for info in infos:
        seen.update(str(s) for s in _mapping(info.summary.get("by_status")))
    statuses = vocab.status_order(sorted(seen))
    statuses = [s for s in statuses if s in seen]
    columns: dict[str, list[Any]] = {name: [] for name in TIMELINE_COLUMNS}
    for info in infos:
        counts = _mapping(info.summary.get("by_status"))
        limits = _mapping(info.summary.get("daily_limit_by_status"))
        active = _int_or_zero(info.summary.get("active_daily_limit", limits.get("ACTIVE")))
        for status in statuses:
            columns["snapshot_id"].append(info.id)
            columns["taken_at"].append(info.taken_at)
            columns["status"].append(status)
            columns["campaigns"].append(_int_or_zero(counts.get(status)))
            columns["daily_limit"].append(_int_or_zero(limits.get(status)))
            columns["active_daily_limit"].append(active)
    return pd.DataFrame(
        {
            "snapshot_id": pd.array(columns["snapshot_id"], dtype="Int64"),
            "taken_at": pd.to_datetime(
                pd.Series(columns["taken_at"], dtype=object), utc=True
            ).astype(UTC_TIMESTAMP),
            "status": pd.Categorical(columns["status"], categories=statuses),
            "campaigns": pd.array(columns["campaigns"], dtype="Int64"),
            "daily_limit": pd.array(columns["daily_limit"], dtype="Int64"),
            "active_daily_limit": pd.array(columns["active_daily_limit"], dtype="Int64"),
        }
    )


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _int_or_zero(value: Any) -> int:
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0


# --------------------------------------------------------------------------- diff


def diff_stored(store: SnapshotStore, before_id: int, after_id: int) -> pd.DataFrame:
    """:func:`diff_snapshots` of two stored snapshots, by id."""
    return diff_snapshots(store.load(before_id), store.load(after_id))


def _side(
    value: Snapshot | Sequence[Any] | None, clients: Iterable[Any] | None
) -> tuple[list[Any], Any]:
    if isinstance(value, Snapshot):
        return list(value.records), value.clients
    if value is None:
        return [], clients
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Sequence):
        return [value], clients  # one odd value is one odd record, not a crash
    return list(value), clients


def diff_snapshots(
    before: Snapshot | Sequence[Any],
    after: Snapshot | Sequence[Any],
    *,
    clients: Iterable[Any] | None = None,
) -> pd.DataFrame:
    """Every change from ``before`` to ``after``, one row per change (long form).

    Columns :data:`DIFF_COLUMNS`: ``kind`` (one of :data:`CHANGE_KINDS`), the campaign's
    ``id``, ``name``, ``client_name`` and ``tags`` (as in ``after``; as in ``before`` for a
    removed one), the ``field`` that changed, and ``before``/``after`` as text (None where a
    value is missing). Snapshots bring their own client lists; plain record lists use
    ``clients``. The rules:

    - Campaigns are matched on ``id`` (a duplicated id is paired in order of appearance).
      Records without a readable id (nulls, non-objects, ``"id": "x"``) are *unidentified*:
      they are matched by their exact content, so one that did not change is no change,
      and one that did shows as removed (old form) and added (new form), with a null id.
    - ``added``/``removed``: ``after``/``before`` describe the campaign (status, daily
      limit, schedule), or hold an unidentified record's JSON; ``field`` is empty.
    - ``status``, ``daily_limit``: old and new value.
    - ``tags``: the tag names (sorted, comma-separated), compared only when both sides
      fetched tags (tags null means "not fetched"); colours and tag ids are not compared.
    - ``schedule``: one row when the time zone, days or window changed, with the readable
      ``schedule_summary`` on each side (not one row per schedule column).
    - ``field``: every other setting, one row each: ``name``, ``client`` (by client name),
      tracking (``track_opens``/``clicks``/``replies``), … and every unknown field by its
      own name. ``updated_at`` is not reported: it moves with every edit, and the edits
      themselves are what the table shows.

    Paired records that are equal as JSON values (Python's ``==``, so ``1``, ``1.0`` and
    ``true`` count as equal) are unchanged by definition and skipped; only the rest are
    turned into campaign frames (``campaigns_frame``, so values are read exactly as the
    dashboard reads them) and compared column by column, vectorised. A weekly diff of a
    5,000-campaign portfolio therefore costs about as much as framing its few hundred
    changed campaigns.
    """
    records_b, clients_b = _side(before, clients)
    records_a, clients_a = _side(after, clients)
    ids_b, ids_a = _id_list(records_b), _id_list(records_a)
    pairs_b, pairs_a, removed, added = _pair_by_id(ids_b, ids_a)
    gone, new = _match_by_content(records_b, records_a, ids_b, ids_a)
    # Records equal as JSON values cannot differ in any column: only the others are framed.
    edited = [
        k
        for k, (i, j) in enumerate(zip(pairs_b, pairs_a, strict=True))
        if records_b[i] != records_a[j]
    ]
    if not (edited or removed or added or gone or new):
        return _empty_diff()
    pairs_b = [pairs_b[k] for k in edited]
    pairs_a = [pairs_a[k] for k in edited]
    # Framed rows, in order: edited pairs, then removed (added), then unidentified ones.
    frame_b = _subset_frame(records_b, clients_b, [*pairs_b, *removed, *gone])
    frame_a = _subset_frame(records_a, clients_a, [*pairs_a, *added, *new])
    labels_b, labels_a = _Labels(frame_b), _Labels(frame_a)

    pieces: list[dict[str, Any]] = []
    count = len(pairs_b)
    if removed:
        rows = range(count, count + len(removed))
        texts = _describe(frame_b.iloc[count : count + len(removed)])
        pieces.append(labels_b.piece("removed", rows, None, texts, None))
    if added:
        rows = range(count, count + len(added))
        texts = _describe(frame_a.iloc[count : count + len(added)])
        pieces.append(labels_a.piece("added", rows, None, None, texts))
    # Unidentified records are shown as they came: their content is all there is to see.
    if gone:
        rows = range(count + len(removed), len(frame_b))
        texts = [_short_json(records_b[i]) for i in gone]
        pieces.append(labels_b.piece("removed", rows, None, texts, None))
    if new:
        rows = range(count + len(added), len(frame_a))
        texts = [_short_json(records_a[i]) for i in new]
        pieces.append(labels_a.piece("added", rows, None, None, texts))
    if count:
        _compare(frame_b.iloc[:count], frame_a.iloc[:count], labels_a, pieces)
    return _assemble(pieces)


class _Labels:
    """What every change row repeats about its campaign (id, name, client, tags), per row."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.ids = _nullable(frame["id"].tolist())
        self.names = _nullable(frame["name"].tolist())
        self.clients = _nullable(frame["client_name"].astype("string").tolist())
        self.tags = _list_values(frame["tags"])

    def piece(
        self,
        kind: str,
        rows: Iterable[int],
        field_name: str | list[str] | None,
        before: list[str | None] | None,
        after: list[str | None] | None,
    ) -> dict[str, Any]:
        """Change rows for the frame rows ``rows`` (``field_name`` one for all, or one each)."""
        rows = list(rows)
        count = len(rows)
        return {
            "kind": [kind] * count,
            "id": [self.ids[row] for row in rows],
            "name": [self.names[row] for row in rows],
            "client_name": [self.clients[row] for row in rows],
            "field": field_name if isinstance(field_name, list) else [field_name] * count,
            "before": before if before is not None else [None] * count,
            "after": after if after is not None else [None] * count,
            "tags": [self.tags[row] for row in rows],
        }


def _dict_values(records: Sequence[Any], name: str) -> list[Any]:
    """One field of every record (None for records that are not objects), as the frame reads it."""
    return [record.get(name) if type(record) is dict else None for record in records]


def _client_label_values(records: Sequence[Any], clients: Iterable[Any] | None) -> pd.Categorical:
    """Every record's ``client_name`` as ``campaigns_frame`` labels it for the whole list."""
    client_list = [c for c in (clients or []) if isinstance(c, Mapping)]
    return client_names(int_field(records, "client_id"), client_list)


def _subset_frame(
    records: list[Any], clients: Iterable[Any] | None, rows: list[int]
) -> pd.DataFrame:
    """The campaign frame of some records only, in the order of ``rows``.

    Only ``client_name`` depends on the other rows (two clients with one name are told
    apart by id), so it is taken from the labels of the whole list.
    """
    frame = _safe_frame([records[i] for i in rows], clients)
    if rows:
        labels = _client_label_values(records, clients)
        frame["client_name"] = labels.take(np.asarray(rows, dtype=np.intp))
    return frame


def _id_list(records: Sequence[Any]) -> list[int | None]:
    """Each record's id as the frame reads it; None where there is no readable id."""
    ids = int_field(records, "id")
    values = ids.to_numpy(dtype="int64", na_value=0).tolist()
    return [None if missing else value for value, missing in zip(values, ids.isna(), strict=True)]


def _pair_by_id(
    ids_b: list[int | None], ids_a: list[int | None]
) -> tuple[list[int], list[int], list[int], list[int]]:
    """Positions of paired records (same id; repeats paired in order), removed and added."""
    waiting: dict[int, list[int]] = {}
    for position, value in enumerate(ids_b):
        if value is not None:
            waiting.setdefault(value, []).append(position)
    taken: dict[int, int] = {}
    pairs_b: list[int] = []
    pairs_a: list[int] = []
    added: list[int] = []
    for position, value in enumerate(ids_a):
        if value is None:
            continue
        queue = waiting.get(value, ())
        used = taken.get(value, 0)
        if used < len(queue):
            pairs_b.append(queue[used])
            pairs_a.append(position)
            taken[value] = used + 1
        else:
            added.append(position)
    removed = sorted(p for value, queue in waiting.items() for p in queue[taken.get(value, 0) :])
    return pairs_b, pairs_a, removed, added


def _short_json(value: Any, limit: int = 200) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _content_key(record: Any) -> str:
    return json.dumps(record, sort_keys=True, default=str, ensure_ascii=True)


def _match_by_content(
    records_b: list[Any],
    records_a: list[Any],
    ids_b: list[int | None],
    ids_a: list[int | None],
) -> tuple[list[int], list[int]]:
    """Unidentified records: equal content cancels out; the rest are removed / added."""
    unknown_b = [i for i, value in enumerate(ids_b) if value is None]
    unknown_a = [i for i, value in enumerate(ids_a) if value is None]
    if not unknown_b and not unknown_a:
        return [], []
    available = Counter(_content_key(records_b[i]) for i in unknown_b)
    new: list[int] = []
    for i in unknown_a:
        key = _content_key(records_a[i])
        if available[key] > 0:
            available[key] -= 1
        else:
            new.append(i)
    gone: list[int] = []
    for i in unknown_b:
        key = _content_key(records_b[i])
        if available[key] > 0:
            available[key] -= 1
            gone.append(i)
    return gone, new


def _describe(rows: pd.DataFrame) -> list[str]:
    """'ACTIVE · 50/day · Mon–Fri 09:00–17:00 America/New_York' for added/removed rows."""
    status = rows["status"].astype("string").fillna("UNKNOWN").tolist()
    limits = rows["max_leads_per_day"].tolist()
    schedules = rows["schedule_summary"].astype("string").fillna("No schedule").tolist()
    return [
        f"{s} · {'?' if limit is pd.NA else limit}/day · {schedule}"
        for s, limit, schedule in zip(status, limits, schedules, strict=True)
    ]


def _list_values(series: pd.Series) -> list[Any]:
    """A list column as Python lists (None for null)."""
    return series.array.__arrow_array__().to_pylist()


def _changed(b: pd.Series, a: pd.Series) -> np.ndarray:
    """Boolean mask of rows whose value differs (two missing values are equal)."""
    if isinstance(b.dtype, pd.ArrowDtype):
        left, right = _list_values(b), _list_values(a)
        return np.fromiter(
            (x != y for x, y in zip(left, right, strict=True)), dtype=bool, count=len(left)
        )
    if isinstance(b.dtype, pd.CategoricalDtype):
        b, a = b.astype("string"), a.astype("string")
    missing_b = np.asarray(b.isna(), dtype=bool)
    missing_a = np.asarray(a.isna(), dtype=bool)
    equal = pd.Series(b.array == a.array).to_numpy(dtype=bool, na_value=False)
    return ~(equal | (missing_b & missing_a))


def _texts(series: pd.Series) -> list[str | None]:
    """Values as display text: times in UTC, booleans true/false, lists comma-joined."""
    dtype = series.dtype
    if isinstance(dtype, pd.ArrowDtype):
        return [None if v is None else ", ".join(str(x) for x in v) for v in _list_values(series)]
    if isinstance(dtype, pd.DatetimeTZDtype):
        texts = series.dt.strftime("%Y-%m-%d %H:%M:%S UTC")
        return [None if pd.isna(t) else str(t) for t in texts]
    if pd.api.types.is_bool_dtype(dtype):
        return [None if v is pd.NA else ("true" if v else "false") for v in series.tolist()]
    return [None if v is pd.NA else v for v in series.astype("string").tolist()]


def _compare(
    b: pd.DataFrame, a: pd.DataFrame, labels: _Labels, pieces: list[dict[str, Any]]
) -> None:
    """Field-level changes of the paired campaigns (row k of ``b`` and of ``a`` are one)."""

    def emit(kind: str, mask: np.ndarray, name: str, before: pd.Series, after: pd.Series) -> None:
        if mask.any():
            rows = np.flatnonzero(mask)
            old, new = _texts(before.iloc[rows]), _texts(after.iloc[rows])
            pieces.append(labels.piece(kind, rows.tolist(), name, old, new))

    def column(kind: str, name: str, label: str | None = None) -> None:
        emit(kind, _changed(b[name], a[name]), label or name, b[name], a[name])

    column("status", "status")
    column("daily_limit", "max_leads_per_day")
    both_tagged = np.asarray(b["tags"].notna() & a["tags"].notna(), dtype=bool)
    sorted_b, sorted_a = _sorted_tags(b["tags"]), _sorted_tags(a["tags"])
    emit("tags", _changed(sorted_b, sorted_a) & both_tagged, "tags", sorted_b, sorted_a)
    schedule_mask = np.zeros(len(b), dtype=bool)
    for name in _SCHEDULE_COLUMNS:
        schedule_mask |= _changed(b[name], a[name])
    emit("schedule", schedule_mask, "schedule", b["schedule_summary"], a["schedule_summary"])
    client_moved = _changed(b["client_id"], a["client_id"])
    emit("field", client_moved, "client", b["client_name"], a["client_name"])
    for name in _FIELD_COLUMNS:
        column("field", name)
    _compare_extra(b, a, labels, pieces)


def _sorted_tags(tags: pd.Series) -> pd.Series:
    """Tag names in a fixed order, so a reordering is not reported as a change."""
    values = [None if v is None else sorted(v) for v in _list_values(tags)]
    return pd.Series(pd.array(pa.array(values, type=pa.list_(pa.string())), dtype=LIST_OF_STRINGS))


_MISSING = object()


def _compare_extra(
    b: pd.DataFrame, a: pd.DataFrame, labels: _Labels, pieces: list[dict[str, Any]]
) -> None:
    """Unknown fields (``extra`` JSON): one field row per key whose value changed."""
    rows = np.flatnonzero(_changed(b["extra"], a["extra"]))
    if not len(rows):
        return
    old_texts, new_texts = b["extra"].iloc[rows].tolist(), a["extra"].iloc[rows].tolist()
    out_rows: list[int] = []
    names: list[str] = []
    befores: list[str | None] = []
    afters: list[str | None] = []
    for row, old_text, new_text in zip(rows.tolist(), old_texts, new_texts, strict=True):
        old, new = _extra_fields(old_text), _extra_fields(new_text)
        for key in sorted(set(old) | set(new)):
            before = _json_text(old.get(key, _MISSING))
            after = _json_text(new.get(key, _MISSING))
            if before != after:
                out_rows.append(row)
                names.append(key)
                befores.append(before)
                afters.append(after)
    if out_rows:
        pieces.append(labels.piece("field", out_rows, names, befores, afters))


def _extra_fields(text: Any) -> dict[str, Any]:
    if text is None or text is pd.NA:
        return {}
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return {"extra": text}
    return value if isinstance(value, dict) else {"extra": value}


def _json_text(value: Any) -> str | None:
    if value is _MISSING:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _empty_diff() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "kind": pd.Categorical([], categories=CHANGE_KINDS, ordered=True),
            "id": pd.array([], dtype="Int64"),
            "name": pd.array([], dtype="string"),
            "client_name": pd.array([], dtype="string"),
            "field": pd.array([], dtype="string"),
            "before": pd.array([], dtype="string"),
            "after": pd.array([], dtype="string"),
            "tags": pd.array(pa.array([], type=pa.list_(pa.string())), dtype=LIST_OF_STRINGS),
        }
    )


def _assemble(pieces: list[dict[str, Any]]) -> pd.DataFrame:
    """One typed frame from the pieces, sorted by kind, then newest campaign first."""
    if not pieces:
        return _empty_diff()
    merged: dict[str, list[Any]] = {name: [] for name in DIFF_COLUMNS}
    for piece in pieces:
        for name in DIFF_COLUMNS:
            merged[name].extend(piece[name])
    ids = [None if v is None or v is pd.NA else int(v) for v in merged["id"]]
    frame = pd.DataFrame(
        {
            "kind": pd.Categorical(merged["kind"], categories=CHANGE_KINDS, ordered=True),
            "id": pd.array(ids, dtype="Int64"),
            "name": pd.array(_nullable(merged["name"]), dtype="string"),
            "client_name": pd.array(_nullable(merged["client_name"]), dtype="string"),
            "field": pd.array(merged["field"], dtype="string"),
            "before": pd.array(merged["before"], dtype="string"),
            "after": pd.array(merged["after"], dtype="string"),
            "tags": pd.array(
                pa.array(merged["tags"], type=pa.list_(pa.string())), dtype=LIST_OF_STRINGS
            ),
        }
    )
    order = np.lexsort(
        (
            frame["field"].fillna("").to_numpy(dtype=object),
            -frame["id"].fillna(-1).to_numpy(dtype="int64"),
            frame["kind"].cat.codes.to_numpy(),
        )
    )
    return frame.iloc[order].reset_index(drop=True)


def _nullable(values: list[Any]) -> list[Any]:
    return [None if v is pd.NA else v for v in values]


def diff_summary(changes: pd.DataFrame) -> dict[str, int]:
    """Counts per kind (every kind, 0 when absent), the total, and campaigns with changes.

    ``campaigns_changed`` counts the distinct identified campaigns with at least one
    status, daily-limit, tags, schedule or field change (added and removed ones excluded).
    """
    counts = changes["kind"].value_counts() if len(changes) else pd.Series(dtype="int64")
    summary = {kind: int(counts.get(kind, 0)) for kind in CHANGE_KINDS}
    summary["changes"] = len(changes)
    edited = changes[~changes["kind"].isin(["added", "removed"])] if len(changes) else changes
    summary["campaigns_changed"] = int(edited["id"].dropna().nunique()) if len(edited) else 0
    return summary


def filter_changes(
    changes: pd.DataFrame,
    *,
    kinds: Iterable[str] | None = None,
    clients: Iterable[str] | None = None,
    tags: Iterable[str] | None = None,
) -> pd.DataFrame:
    """The rows of a diff matching every given filter (None or empty: no filter).

    ``clients`` are client names as in the ``client_name`` column; ``tags`` keeps the rows of
    campaigns carrying at least one of the tags.
    """
    mask = np.ones(len(changes), dtype=bool)
    kind_set = set(kinds or ())
    if kind_set:
        mask &= changes["kind"].isin(kind_set).to_numpy(dtype=bool)
    client_set = set(clients or ())
    if client_set:
        mask &= changes["client_name"].isin(client_set).to_numpy(dtype=bool, na_value=False)
    tag_set = set(tags or ())
    if tag_set:
        mask &= np.fromiter(
            (bool(v) and not tag_set.isdisjoint(v) for v in _list_values(changes["tags"])),
            dtype=bool,
            count=len(changes),
        )
    return changes[mask].reset_index(drop=True)
