"""The history store's tables, written once for both databases that keep them.

SQLite (one person's file: :mod:`smartlead.history.store`) and PostgreSQL (a team's
replicas: :mod:`smartlead.database`) keep the same tables and migrate them through the same
versions. The statements are written once, in SQL both accept; only two column types differ,
filled in per database by :func:`store_statements`:

- the snapshot id: SQLite's ``INTEGER PRIMARY KEY`` (its row id, numbered by SQLite), a
  ``BIGINT`` identity column in PostgreSQL (and the ``BIGINT`` that refers to it);
- the snapshot data: ``BLOB`` in SQLite, ``BYTEA`` in PostgreSQL.

A leaf module (it imports nothing of the package), so the database module, which the shared
rate limit also uses, does not import the history package to create the tables.
"""

from __future__ import annotations

__all__ = [
    "POSTGRESQL",
    "RECORD_VERSION",
    "SQLITE",
    "STORE_TABLES",
    "STORE_VERSION",
    "VERSION_TABLE",
    "store_statements",
]

SQLITE = "sqlite"
POSTGRESQL = "postgresql"

_TYPES: dict[str, dict[str, str]] = {
    SQLITE: {"snapshot_id": "INTEGER PRIMARY KEY", "snapshot_ref": "INTEGER", "data": "BLOB"},
    POSTGRESQL: {
        "snapshot_id": "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
        "snapshot_ref": "BIGINT",
        "data": "BYTEA",
    },
}
"""The column types that differ, by database."""

VERSION_TABLE = """CREATE TABLE IF NOT EXISTS history_schema (
    version INTEGER PRIMARY KEY,
    applied_at VARCHAR(32) NOT NULL
)"""
"""The table that records each version applied (created first: it says what to apply)."""

_VERSIONS: tuple[tuple[str, ...], ...] = (
    # 1: snapshots.
    (
        VERSION_TABLE,
        """CREATE TABLE IF NOT EXISTS history_meta (
            name VARCHAR(64) PRIMARY KEY,
            value TEXT NOT NULL
        )""",
        """CREATE TABLE IF NOT EXISTS snapshots (
            id {snapshot_id},
            taken_at VARCHAR(32) NOT NULL,
            account VARCHAR(64) NOT NULL,
            client_filter BIGINT,
            source VARCHAR(16) NOT NULL,
            campaign_count INTEGER NOT NULL,
            summary TEXT NOT NULL
        )""",
        """CREATE INDEX IF NOT EXISTS snapshots_by_account_time
            ON snapshots (account, client_filter, taken_at)""",
        """CREATE TABLE IF NOT EXISTS snapshot_data (
            snapshot_id {snapshot_ref} PRIMARY KEY REFERENCES snapshots (id),
            encoding VARCHAR(32) NOT NULL,
            raw_size BIGINT NOT NULL,
            checksum CHAR(64) NOT NULL,
            payload {data} NOT NULL
        )""",
    ),
    # 2: per-campaign figures.
    (
        """CREATE TABLE IF NOT EXISTS campaign_figures (
            account VARCHAR(64) NOT NULL,
            kind VARCHAR(32) NOT NULL,
            campaign_id BIGINT NOT NULL,
            fetched_at VARCHAR(32) NOT NULL,
            figures TEXT NOT NULL,
            PRIMARY KEY (account, kind, campaign_id)
        )""",
    ),
    # 3: report runs (what the previous report covered, for "new since the last report").
    (
        """CREATE TABLE IF NOT EXISTS report_runs (
            made_at VARCHAR(32) NOT NULL,
            account VARCHAR(64) NOT NULL,
            client_filter BIGINT,
            snapshot_id BIGINT,
            findings TEXT NOT NULL
        )""",
        """CREATE INDEX IF NOT EXISTS report_runs_by_scope
            ON report_runs (account, client_filter, made_at)""",
    ),
)

STORE_VERSION = len(_VERSIONS)
"""The newest version of the store's tables."""

STORE_TABLES = (
    "history_schema",
    "history_meta",
    "snapshots",
    "snapshot_data",
    "campaign_figures",
    "report_runs",
)
"""The store's tables: finding some of them without ``history_schema`` means another
program's tables took the names."""

RECORD_VERSION = (
    "INSERT INTO history_schema (version, applied_at) VALUES (?, ?) "
    "ON CONFLICT (version) DO NOTHING"
)
"""Record that a version was applied (a second process applying it at once changes nothing)."""


def store_statements(version: int, database: str) -> tuple[str, ...]:
    """The statements that bring the store's tables from ``version - 1`` to ``version``, in
    the column types of ``database`` (:data:`SQLITE` or :data:`POSTGRESQL`)."""
    if not 1 <= version <= STORE_VERSION:
        raise ValueError(f"the store's tables have versions 1 to {STORE_VERSION}, not {version}")
    types = _TYPES[database]
    return tuple(statement.format(**types) for statement in _VERSIONS[version - 1])
