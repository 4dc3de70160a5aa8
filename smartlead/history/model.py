"""What history is made of: snapshots, what a save did, and the summary kept beside each one.

Pure values and pure functions only (no I/O): the store, the save rule, the timeline and the
diff all build on this module, and it builds on none of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from smartlead import vocab

# The frame's own field parsers: summaries read records exactly as campaigns_frame does.
from smartlead.frame import client_names, int_field

SOURCE_AUTO = "auto"
"""Saved by the dashboard after a live fetch (subject to the interval rule)."""
SOURCE_MANUAL = "manual"
"""Saved by a person pressing a button."""
SOURCE_CLI = "cli"
"""Saved by ``python -m smartlead snapshot`` (typically a cron job)."""
SOURCE_DEMO = "demo"
"""Made up by the dashboard's demo history (never saved to a real store)."""

DEMO_ACCOUNT = "demo"
"""The account name of demo snapshots (an account fingerprint is hexadecimal, so never this)."""


# --------------------------------------------------------------------------- time


def as_utc(moment: datetime | None) -> datetime:
    """An aware UTC datetime (now when None; a naive one is taken to be UTC already)."""
    if moment is None:
        return datetime.now(UTC)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def format_time(moment: datetime) -> str:
    """Fixed-width ISO-8601 UTC text, so the text order is the time order (in any SQL DB)."""
    return as_utc(moment).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(text: str) -> datetime:
    """The UTC datetime of a :func:`format_time` text."""
    return datetime.fromisoformat(text).astimezone(UTC)


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
            "taken_at": format_time(self.taken_at),
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
class StoredFigures:
    """Per-campaign figures kept in the store: what they were and when they were fetched.

    See :meth:`~smartlead.history.store.SnapshotStore.save_figures`.
    """

    fetched_at: datetime
    figures: dict[str, Any]


@dataclass(frozen=True)
class ReportRun:
    """A report that was made and delivered: when, for which account and client filter,
    the snapshot saved with it and its findings' fingerprint (``rule_id:campaign_id`` keys),
    so the next report says exactly what changed and which findings are new since."""

    made_at: datetime
    account: str
    client_filter: int | None
    snapshot_id: int | None
    findings: frozenset[str]


@dataclass(frozen=True)
class SaveOutcome:
    """What :func:`~smartlead.history.policy.maybe_save` did, as a sentence to show as it is.

    ``info`` is the snapshot saved, or (when nothing was saved) the recent one that made a
    new one unnecessary. ``next_due`` is when the next automatic snapshot may be saved.
    """

    saved: bool
    info: SnapshotInfo | None
    message: str
    pruned: int = 0
    next_due: datetime | None = None


# --------------------------------------------------------------------------- summary


def field_values(records: Sequence[Any], name: str) -> list[Any]:
    """One field of every record (None for records that are not objects), as the frame reads it."""
    return [record.get(name) if type(record) is dict else None for record in records]


def client_labels(records: Sequence[Any], clients: Iterable[Any] | None) -> pd.Categorical:
    """Every record's ``client_name`` as ``campaigns_frame`` labels it for the whole list."""
    client_list = [c for c in (clients or []) if isinstance(c, Mapping)]
    return client_names(int_field(records, "client_id"), client_list)


def snapshot_summary(
    records: Sequence[Any], clients: Iterable[Any] | None = None
) -> dict[str, Any]:
    """The small per-snapshot summary the timeline reads: counts and daily limits by status.

    Kept beside each snapshot at save time so the timeline never reloads snapshot data.
    Status, daily limit and client are read with the campaign frame's own parsers, so the
    counts match what the dashboard shows for the same records.
    """
    status = pd.Series(
        [vocab.canonical_status(value) for value in field_values(records, "status")],
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
        "active_daily_limit": limit_by_status.get(vocab.ACTIVE, 0),
        "clients": int(pd.Series(client_labels(records, clients)).nunique()),
    }
