"""The team database: PostgreSQL behind the history store, the per-campaign figures and the
shared rate limit, reached through psycopg 3 and a small connection pool.

SQLite stays the default for one person on one machine. A team that runs several dashboard
replicas points ``SMARTLEAD_HISTORY_PATH`` at a ``postgresql://`` address instead; every
replica then shares one history, one cache of per-campaign figures and one rate limit per
key. This module is what those three have in common:

- **psycopg is imported lazily** (inside the functions that connect), so SQLite users never
  need it installed.
- **One schema, created and migrated on first use.** :data:`MIGRATIONS` lists every version
  of the tables; the first connection of each :class:`Database` applies the missing ones in
  one transaction, under an advisory lock so two replicas starting together do not race, and
  records each in ``history_schema``. A database written by a newer version is refused, never
  altered.
- **Failures are sentences.** Every driver or pool error leaves as
  :class:`~smartlead.errors.HistoryUnavailableError`: what happened in words and a remedy,
  naming the database by its address without the password (:class:`DatabaseAddress.shown
  <smartlead.settings.DatabaseAddress>`); the driver's own text is cut and has every form of
  the password removed. The driver's exceptions are never chained (they may quote the URL).
- **An outage costs one wait, not one per call.** After the database failed to answer,
  calls fail at once with the same sentence for :data:`RETRY_SECONDS`; then it is tried
  again, and a server that came back is used again without a restart. Nothing is logged
  here: the dashboard shows the sentence, the command line prints it, and the shared rate
  limit logs it once when it falls back to pacing alone.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from smartlead.errors import HistoryUnavailableError, Remedy
from smartlead.settings import DatabaseAddress
from smartlead.store_tables import POSTGRESQL, RECORD_VERSION, STORE_TABLES, store_statements

__all__ = [
    "DEFAULT_TIMEOUT",
    "MIGRATIONS",
    "RETRY_SECONDS",
    "SCHEMA_VERSION",
    "Database",
    "Migration",
    "lock_key",
    "psycopg_sql",
]

_log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 3.0
"""Seconds to wait for a connection (connecting included) before the database is reported
as not answering."""

RETRY_SECONDS = 10.0
"""After the database did not answer, calls fail at once for this long, then try again."""

RECONNECT_SECONDS = 10.0
"""How long the pool keeps trying to replace a lost connection in the background before it
gives up (the next call then starts afresh, so a server that came back is found at once)."""

STATEMENT_TIMEOUT_MS = 30_000
"""No statement of ours runs longer than this on the server (a stuck lock, a huge table)."""

_DETAIL_LIMIT = 240


@dataclass(frozen=True)
class Migration:
    """One version of the schema: the statements that bring the previous one to it."""

    version: int
    what: str
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "snapshots (the SQLite store's first four tables)",
        store_statements(1, POSTGRESQL),
    ),
    Migration(
        2,
        "per-campaign figures, and the rate limit shared by every replica",
        (
            *store_statements(2, POSTGRESQL),
            # One row per request granted to an account, by any replica, in database time.
            """CREATE TABLE IF NOT EXISTS rate_grants (
                account VARCHAR(64) NOT NULL,
                granted_at TIMESTAMPTZ NOT NULL
            )""",
            """CREATE INDEX IF NOT EXISTS rate_grants_by_account_time
                ON rate_grants (account, granted_at)""",
            # What SmartLead said of the account's budget, a pause after a 429, and how far
            # back grants are kept (the longest window any replica counts).
            """CREATE TABLE IF NOT EXISTS rate_state (
                account VARCHAR(64) PRIMARY KEY,
                paused_until TIMESTAMPTZ,
                server_limit INTEGER,
                server_remaining INTEGER,
                server_reset_at TIMESTAMPTZ,
                horizon_seconds DOUBLE PRECISION NOT NULL DEFAULT 0
            )""",
        ),
    ),
    Migration(
        3,
        "report runs: what the previous report covered",
        store_statements(3, POSTGRESQL),
    ),
)
"""Every version of the database's tables, oldest first (applied in order, each once): the
history store's (:mod:`smartlead.store_tables`, the same as the SQLite store's) and, from
version 2, the shared rate limit's."""

SCHEMA_VERSION = MIGRATIONS[-1].version
"""The version this program writes; a database at a higher one is refused."""

LOCK_SCHEMA = 0x534C0001
LOCK_SNAPSHOTS = 0x534C0002
LOCK_RATE = 0x534C0003
"""First key of our two-key advisory locks ("SL" and a purpose), so they never collide with
another program's locks on the same server; the second key is :func:`lock_key`."""


def lock_key(name: str) -> int:
    """A stable signed 32-bit number for ``name`` (an account), the second advisory-lock key.

    Computed here rather than with PostgreSQL's ``hashtext`` (an internal function whose
    values may change between server versions).
    """
    value = int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:4], "big")
    return value - 2**32 if value >= 2**31 else value


def psycopg_sql(statement: str) -> str:
    """A statement written with ``?`` placeholders (the SQLite store's, and the ones shared
    with it) in psycopg's ``%s``; the statements written that way hold no other ``?`` and
    no ``%``."""
    return statement.replace("?", "%s")


def now_text() -> str:
    """The current UTC time in the store's fixed-width text form (see history.model)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# --------------------------------------------------------------------------- logging


class _PasswordFilter(logging.Filter):
    """Removes every known database password from log records (the pool logs the driver's
    connection errors, and a malformed address can be quoted in them)."""

    def __init__(self) -> None:
        super().__init__("smartlead-database-passwords")
        self.addresses: dict[str, DatabaseAddress] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.addresses:
            return True
        text = record.getMessage()
        cleaned = text
        for address in list(self.addresses.values()):
            cleaned = address.redact(cleaned)
        if cleaned != text:
            record.msg, record.args = cleaned, None
        return True


_password_filter = _PasswordFilter()
_filter_lock = threading.Lock()


def _guard_logs(address: DatabaseAddress) -> None:
    """Make the driver's and the pool's loggers drop this address's password.

    Their records still reach any handler the program set up; without one they are not
    printed (a ``NullHandler``, as libraries should have), since every failure they report
    also reaches the user as one of our sentences.
    """
    with _filter_lock:
        _password_filter.addresses[address.url] = address
        for name in ("psycopg", "psycopg.pool"):
            logger = logging.getLogger(name)
            if _password_filter not in logger.filters:
                logger.addFilter(_password_filter)
        driver = logging.getLogger("psycopg")
        if not any(isinstance(handler, logging.NullHandler) for handler in driver.handlers):
            driver.addHandler(logging.NullHandler())


# --------------------------------------------------------------------------- the database


class Database:
    """One PostgreSQL database reached through a small pool, opened on first use.

    Thread-safe; one object per process and purpose (the history store has one, the shared
    rate limit another, each with its own pool). ``timeout`` bounds the wait for a
    connection; ``max_size`` is the most connections kept open.
    """

    def __init__(
        self,
        address: DatabaseAddress,
        *,
        purpose: str = "history",
        max_size: int = 4,
        timeout: float = DEFAULT_TIMEOUT,
        retry_after: float = RETRY_SECONDS,
    ) -> None:
        self.address = address
        self.purpose = purpose
        self.max_size = max(1, int(max_size))
        self.timeout = float(timeout)
        self.retry_after = float(retry_after)
        self._pool: Any = None
        self._lock = threading.Lock()
        self._schema_ready = False
        self._down_until = 0.0
        self._down_error: HistoryUnavailableError | None = None
        _guard_logs(address)

    @property
    def shown(self) -> str:
        """The database's address without its password."""
        return self.address.shown

    def __repr__(self) -> str:
        return f"Database({self.shown!r}, purpose={self.purpose!r})"

    # ------------------------------------------------------------------ connections

    def _open_pool(self) -> Any:
        """The pool, created (without waiting for a connection) on first use."""
        with self._lock:
            if self._pool is not None:
                return self._pool
            try:
                from psycopg.conninfo import conninfo_to_dict
                from psycopg_pool import ConnectionPool
            except ImportError:
                raise HistoryUnavailableError(
                    f"The history database at {self.shown} cannot be used: the PostgreSQL "
                    "driver is not installed (pip install -r requirements.txt installs it).",
                    path=self.shown,
                    remedy=Remedy.NONE,
                ) from None

            given = conninfo_to_dict(self.address.url)
            kwargs: dict[str, Any] = {"autocommit": True}
            if "connect_timeout" not in given:
                kwargs["connect_timeout"] = max(1, round(self.timeout))
            if "application_name" not in given:
                kwargs["application_name"] = f"smartlead-{self.purpose}"
            pool = ConnectionPool(
                self.address.url,
                kwargs=kwargs,
                min_size=1,
                max_size=self.max_size,
                open=False,
                timeout=self.timeout,
                configure=_configure,
                check=ConnectionPool.check_connection,
                reconnect_timeout=RECONNECT_SECONDS,
                num_workers=1,
                name=f"smartlead-{self.purpose}",
            )
            pool.open(wait=False)
            self._pool = pool
            return pool

    @contextmanager
    def connection(self) -> Iterator[Any]:
        """A connection (autocommit; use ``conn.transaction()``) with the schema in place.

        Any driver error, in getting the connection or in the caller's statements, leaves
        as :class:`HistoryUnavailableError`.
        """
        down = self._down_error
        if down is not None and time.monotonic() < self._down_until:
            raise HistoryUnavailableError(str(down), path=down.path, remedy=down.remedy)
        failure: HistoryUnavailableError | None = None
        try:
            pool = self._open_pool()
            with pool.connection() as connection:
                if not self._schema_ready:
                    self._migrate(connection)
                yield connection
        except HistoryUnavailableError:
            raise
        except Exception as error:
            if not _is_driver_error(error):
                raise
            failure = self._translate(error)
        if failure is not None:
            raise failure  # outside the except block: the driver's error is not chained
        self._down_error = None

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        """One transaction: committed whole at the end, rolled back on any error."""
        with self.connection() as connection, connection.transaction():
            yield connection

    def close(self) -> None:
        """Close the pool and its connections (a new call opens them again)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close(timeout=2.0)

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # ------------------------------------------------------------------ schema

    def _migrate(self, connection: Any) -> None:
        with self._lock:
            if self._schema_ready:
                return
            version = migrate(connection, self.shown)
            self._schema_ready = version == SCHEMA_VERSION

    # ------------------------------------------------------------------ failures

    def _translate(self, error: BaseException) -> HistoryUnavailableError:
        """The sentence for a driver error; a database that did not answer is remembered."""
        from psycopg_pool import PoolTimeout

        if isinstance(error, PoolTimeout):
            error = self._why_no_connection(error)
        translated = describe_failure(error, self.address, timeout=self.timeout)
        if translated.remedy is Remedy.CHECK_DATABASE and _is_connection_failure(error):
            self._down_error = translated
            self._down_until = time.monotonic() + self.retry_after
        return translated

    def _why_no_connection(self, timeout: BaseException) -> BaseException:
        """The pool only says it waited in vain; one direct attempt says why (refused, wrong
        password, no such database), or the pool's own timeout when that attempt works."""
        import psycopg

        try:
            probe = psycopg.connect(self.address.url, connect_timeout=max(1, round(self.timeout)))
        except psycopg.Error as reason:
            return reason
        probe.close()
        return timeout


def _configure(connection: Any) -> None:
    """Every new connection: a bound on any one statement of ours."""
    connection.execute(f"SET statement_timeout = {STATEMENT_TIMEOUT_MS}")


def migrate(connection: Any, shown: str) -> int:
    """Bring the schema to :data:`SCHEMA_VERSION` (in one transaction, under an advisory lock
    shared by every replica); returns the version found in the end.

    Raises :class:`HistoryUnavailableError` for a database written by a newer version, and
    for one whose table names are taken by another program.
    """
    with connection.transaction():
        connection.execute("SELECT pg_advisory_xact_lock(%s, 0)", (LOCK_SCHEMA,))
        (exists,) = connection.execute(
            "SELECT to_regclass('history_schema') IS NOT NULL"
        ).fetchone()
        version = 0
        if exists:
            (found,) = connection.execute("SELECT MAX(version) FROM history_schema").fetchone()
            version = int(found or 0)
        else:
            taken = [
                name
                for name in STORE_TABLES  # the rate-limit tables are ours only after these
                if connection.execute("SELECT to_regclass(%s) IS NOT NULL", (name,)).fetchone()[0]
            ]
            if taken:
                raise HistoryUnavailableError(
                    f"The database at {shown} already holds tables named {', '.join(taken)} "
                    "that are not a history store's (another program's?).",
                    path=shown,
                    remedy=Remedy.CHECK_DATABASE,
                )
        if version > SCHEMA_VERSION:
            raise HistoryUnavailableError(
                f"The history database at {shown} was written by a newer version of this "
                f"program (schema {version}; this one reads up to schema {SCHEMA_VERSION}).",
                path=shown,
                remedy=Remedy.CHECK_DATABASE,
            )
        for migration in MIGRATIONS:
            if migration.version <= version:
                continue
            for statement in migration.statements:
                connection.execute(statement)
            connection.execute(psycopg_sql(RECORD_VERSION), (migration.version, now_text()))
            if version:
                _log.info(
                    "History database at %s: schema %s applied (%s).",
                    shown,
                    migration.version,
                    migration.what,
                )
            version = migration.version
    return version


def _is_driver_error(error: BaseException) -> bool:
    import psycopg

    return isinstance(error, psycopg.Error)


def _is_connection_failure(error: BaseException) -> bool:
    """Whether ``error`` means the server could not be reached or dropped the connection."""
    import psycopg
    from psycopg_pool import PoolTimeout

    if isinstance(error, PoolTimeout):
        return True
    if not isinstance(error, psycopg.OperationalError):
        return False
    state = getattr(error, "sqlstate", None) or ""
    return not state or state.startswith("08") or state in ("57P01", "57P02", "57P03")


def _detail(error: BaseException, address: DatabaseAddress) -> str:
    """The driver's text: the password removed first, then flattened and cut."""
    text = address.redact(str(error) or type(error).__name__)
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    text = ""
    for line in lines:  # libpq writes a hint on a line of its own: make it a sentence
        if text:
            text += " " if text.endswith((".", "?", "!", ":")) else ". "
        text += line
    for prefix in ("connection failed: ",):
        text = text.removeprefix(prefix)
    if len(text) > _DETAIL_LIMIT:
        text = text[: _DETAIL_LIMIT - 1].rstrip() + "…"
    return text


def describe_failure(
    error: BaseException, address: DatabaseAddress, *, timeout: float = DEFAULT_TIMEOUT
) -> HistoryUnavailableError:
    """What went wrong with the database, as one sentence and a remedy (never the password)."""
    import psycopg
    from psycopg_pool import PoolTimeout

    shown = address.shown
    where = f"The history database at {shown}"
    detail = _detail(error, address)
    lowered = detail.lower()
    state = getattr(error, "sqlstate", None) or ""
    remedy = Remedy.CHECK_DATABASE
    if isinstance(error, PoolTimeout):
        message = (
            f"{where} gave no free connection within {timeout:g} s (every connection of this "
            "server was busy)."
        )
        remedy = Remedy.TRY_AGAIN
    elif state.startswith("28") or "password authentication failed" in lowered:
        message = f"{where} refused the login: {detail}"
    elif state == "3D000" or ("database" in lowered and "does not exist" in lowered):
        message = f"{where} does not exist on that server: {detail}"
    elif state == "42501":
        message = f"{where} does not let its user do what the history store needs: {detail}"
    elif state == "25006":
        message = (
            f"{where} is read-only (a standby server?): {_end(detail)} Nothing can be saved there."
        )
    elif state == "57014":
        message = f"{where} took too long to answer: {detail}"
        remedy = Remedy.TRY_AGAIN
    elif state in ("42P01", "42703"):
        message = (
            f"{where} lacks a table or column the history store needs (changed by hand?): {detail}"
        )
    elif isinstance(error, psycopg.ProgrammingError) and not state:
        message = f"The address {shown} cannot be used as a PostgreSQL address: {detail}"
        remedy = Remedy.FIX_SETTING
    elif _is_connection_failure(error):
        message = f"{where} does not answer: {detail}"
    else:
        message = f"{where} could not be used: {detail}"
    return HistoryUnavailableError(_end(message), path=shown, remedy=remedy)


def _end(text: str) -> str:
    """``text`` as a sentence: a full stop added unless it already ends with one (or ? !)."""
    return text if text.endswith((".", "?", "!", "…")) else text + "."
