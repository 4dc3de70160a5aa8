"""The portfolio over time, read from the small summaries kept beside each snapshot."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import pandas as pd

from smartlead import vocab
from smartlead.frame import UTC_TIMESTAMP
from smartlead.history.model import as_utc
from smartlead.history.store import SnapshotStore

TIMELINE_COLUMNS: tuple[str, ...] = (
    "snapshot_id",
    "taken_at",
    "status",
    "campaigns",
    "daily_limit",
    "active_daily_limit",
)
"""Columns of :func:`portfolio_timeline`'s long frame: one row per snapshot and status."""


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
        if info.client_filter == client_filter and (since is None or info.taken_at >= as_utc(since))
    ]
    infos.sort(key=lambda info: (info.taken_at, info.id))
    seen: set[str] = {vocab.ACTIVE}
    for info in infos:
        seen.update(str(s) for s in _mapping(info.summary.get("by_status")))
    statuses = vocab.status_order(sorted(seen))
    statuses = [s for s in statuses if s in seen]
    columns: dict[str, list[Any]] = {name: [] for name in TIMELINE_COLUMNS}
    for info in infos:
        counts = _mapping(info.summary.get("by_status"))
        limits = _mapping(info.summary.get("daily_limit_by_status"))
        active = _int_or_zero(info.summary.get("active_daily_limit", limits.get(vocab.ACTIVE)))
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
