"""When a snapshot is saved: at most one per interval per account and client filter.

The dashboard saves after every live fetch and a cron job may save every hour; this rule keeps
the store from filling with near-identical snapshots, and prunes old ones after each save.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from smartlead import settings
from smartlead.errors import HistoryUnavailableError
from smartlead.history.model import SOURCE_AUTO, SaveOutcome, as_utc
from smartlead.history.store import SnapshotStore


def duration_text(seconds: float) -> str:
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
    zone: str = "UTC",
) -> SaveOutcome:
    """Save a snapshot unless this account and client filter has one younger than ``interval``.

    For the dashboard after a live fetch (never for demo data). ``interval`` is in seconds
    (None: ``SMARTLEAD_HISTORY_INTERVAL``; 0: always save). After a save, snapshots older
    than ``retention_days`` are pruned (None: ``SMARTLEAD_HISTORY_RETENTION_DAYS``; 0: keep
    everything); a failed prune is mentioned in the message, never undoes the save. Raises
    HistoryUnavailableError when the store cannot be used. Times in the message are in
    ``zone`` (the reader's), named.
    """
    seconds = settings.history_interval_seconds() if interval is None else max(0.0, interval)
    keep_days = settings.history_retention_days() if retention_days is None else retention_days
    moment = as_utc(now)
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
        return _not_due(store, account, client_filter, seconds, moment, zone) or SaveOutcome(
            False, None, "Not saved: a snapshot was saved moments ago."
        )

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


def not_due(
    store: SnapshotStore,
    *,
    account: str,
    client_filter: int | None = None,
    interval: float | None = None,
    now: datetime | None = None,
    zone: str = "UTC",
) -> SaveOutcome | None:
    """What :func:`maybe_save` would answer because the last snapshot is younger than
    ``interval``, or None when one is due: a caller can skip building the records.

    Only a shortcut: :func:`maybe_save` checks again in the transaction that saves.
    """
    seconds = settings.history_interval_seconds() if interval is None else max(0.0, interval)
    if seconds <= 0:
        return None
    return _not_due(store, account, client_filter, seconds, as_utc(now), zone)


def _not_due(
    store: SnapshotStore,
    account: str,
    client_filter: int | None,
    seconds: float,
    moment: datetime,
    zone: str = "UTC",
) -> SaveOutcome | None:
    recent = store.latest(account, 1, client_filter=client_filter)
    last = recent[0] if recent else None
    if last is None:
        return None
    due = last.taken_at + timedelta(seconds=seconds)
    if due <= moment:
        return None
    age = duration_text((moment - last.taken_at).total_seconds())
    message = (
        f"Not saved to history: the last snapshot of this portfolio (#{last.id}) is only "
        f"{age} old, and one is kept at most every {duration_text(seconds)}. The next one "
        f"can be saved after {due.astimezone(ZoneInfo(zone)):%Y-%m-%d %H:%M} {zone}."
    )
    return SaveOutcome(False, last, message, next_due=due)
