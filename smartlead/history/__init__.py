"""Snapshots of the portfolio over time, and what changed between two of them.

Sales ops review a portfolio every week and first ask "what changed?". SmartLead keeps no
history of campaign settings, so this package keeps one: a *snapshot* is the campaign list as
fetched (records exactly as they came, plus the client list that names them), when, for which
account and which client filter. Two snapshots give a *diff*: one row per change.

The modules, each depending only on those before it:

- :mod:`~smartlead.history.model`: the values (:class:`SnapshotInfo`, :class:`Snapshot`,
  :class:`SaveOutcome`), the ``SOURCE_*`` names and the summary kept beside each snapshot;
- :mod:`~smartlead.history.store`: the one :class:`SnapshotStore` interface, the store logic
  both databases share (``SQLSnapshotStore``: one transaction per snapshot, the key never
  stored) and the SQLite store;
- :mod:`~smartlead.history.postgres`: what the same store does differently in PostgreSQL,
  for a team's replicas (imported only when a database is named);
- :mod:`~smartlead.history.backends`: :func:`open_store`, the store the settings name;
- :mod:`~smartlead.history.policy`: :func:`maybe_save`, at most one snapshot per interval;
- :mod:`~smartlead.history.timeline`: :func:`portfolio_timeline`, from the summaries alone;
- :mod:`~smartlead.history.diff`: :func:`diff_snapshots` and what to do with its rows.

Failures are :class:`~smartlead.errors.HistoryUnavailableError` and its two subclasses, from
the package's one exception tree (re-exported here for convenience).
"""

from smartlead.errors import HistoryUnavailableError, SnapshotDamagedError, SnapshotNotFoundError
from smartlead.history.backends import close_store, open_store
from smartlead.history.diff import (
    CHANGE_KINDS,
    DIFF_COLUMNS,
    diff_snapshots,
    diff_stored,
    diff_summary,
    filter_changes,
)
from smartlead.history.model import (
    DEMO_ACCOUNT,
    SOURCE_AUTO,
    SOURCE_CLI,
    SOURCE_DEMO,
    SOURCE_MANUAL,
    ReportRun,
    SaveOutcome,
    Snapshot,
    SnapshotInfo,
    StoredFigures,
    snapshot_summary,
)
from smartlead.history.policy import duration_text, maybe_save, not_due
from smartlead.history.store import (
    DEFAULT_BUSY_TIMEOUT,
    SCHEMA_VERSION,
    SnapshotStore,
    SQLiteSnapshotStore,
)
from smartlead.history.timeline import (
    TIMELINE_COLUMNS,
    TREND_COLUMNS,
    TREND_POINTS,
    ScoreTrend,
    portfolio_timeline,
    score_trend,
    snapshot_score,
    trend_snapshots,
)

__all__ = [
    "CHANGE_KINDS",
    "DEFAULT_BUSY_TIMEOUT",
    "DEMO_ACCOUNT",
    "DIFF_COLUMNS",
    "SCHEMA_VERSION",
    "SOURCE_AUTO",
    "SOURCE_CLI",
    "SOURCE_DEMO",
    "SOURCE_MANUAL",
    "TIMELINE_COLUMNS",
    "TREND_COLUMNS",
    "TREND_POINTS",
    "HistoryUnavailableError",
    "ReportRun",
    "SQLiteSnapshotStore",
    "SaveOutcome",
    "ScoreTrend",
    "Snapshot",
    "SnapshotDamagedError",
    "SnapshotInfo",
    "SnapshotNotFoundError",
    "SnapshotStore",
    "StoredFigures",
    "close_store",
    "diff_snapshots",
    "diff_stored",
    "diff_summary",
    "duration_text",
    "filter_changes",
    "maybe_save",
    "not_due",
    "open_store",
    "portfolio_timeline",
    "score_trend",
    "snapshot_score",
    "snapshot_summary",
    "trend_snapshots",
]
