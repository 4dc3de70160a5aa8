"""The portfolio over time: read from the small summaries kept beside each snapshot
(:func:`portfolio_timeline`), and the settings health score of kept snapshots
(:func:`score_trend`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pandas as pd

from smartlead import audit, vocab
from smartlead.errors import SnapshotDamagedError, SnapshotNotFoundError
from smartlead.filters import Filters, apply_filters
from smartlead.frame import UTC_TIMESTAMP, campaigns_frame
from smartlead.history.model import Snapshot, SnapshotInfo, as_utc
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


# --------------------------------------------------------------------------- the score's trend

TREND_POINTS = 12
"""How many of the newest snapshots the score trend scores (plus the one compared with): each
costs a frame and an audit, about a second at 20,000 campaigns, so the trend stays cheap."""

BASELINE_AGE = timedelta(days=7)
"""The delta compares with the newest snapshot at least this old: "since about a week ago"."""

TREND_COLUMNS: tuple[str, ...] = ("snapshot_id", "taken_at", "score", "point")
"""Columns of :attr:`ScoreTrend.points`: one row per snapshot scored, then the current view
(``snapshot_id`` NA, ``point`` "now")."""


@dataclass(frozen=True)
class ScoreTrend:
    """The settings health score over the kept snapshots and now, and what the delta compares.

    Every score is :func:`smartlead.audit.settings_score` (settings rules only: a snapshot
    keeps no window or lead figures), of the campaigns the same filters select.
    """

    points: pd.DataFrame
    """:data:`TREND_COLUMNS`, oldest first, the current view last."""
    now: float
    """The current view's settings score."""
    baseline: SnapshotInfo | None
    """The snapshot the delta compares with (None: nothing earlier to compare with)."""
    baseline_score: float | None
    week_old: bool
    """Whether the baseline is at least :data:`BASELINE_AGE` old (else the oldest kept)."""
    snapshots: int
    """How many snapshots were scored."""
    unreadable: tuple[SnapshotInfo, ...] = field(default=())
    """Snapshots chosen but not scored: damaged, or deleted since they were listed (pruned by
    another process). They are left out of the points; a damaged baseline means no delta."""

    @property
    def delta(self) -> float | None:
        """Now minus the baseline's score, in points (None without a baseline)."""
        if self.baseline_score is None:
            return None
        return round(self.now - self.baseline_score, 1)


def trend_snapshots(
    infos: Sequence[SnapshotInfo],
    now: datetime,
    *,
    latest: int = TREND_POINTS,
    baseline_age: timedelta = BASELINE_AGE,
) -> tuple[list[SnapshotInfo], SnapshotInfo | None, bool]:
    """Which whole-account snapshots to score: the ``latest`` newest, plus the baseline.

    The baseline is the newest snapshot taken at least ``baseline_age`` before ``now``; when
    history is younger, the oldest kept, if it is not the only one (a lone snapshot was most
    likely just taken: it is the current state, not a past to compare with). Returns the
    snapshots oldest first, the baseline and whether it is ``baseline_age`` old.
    """
    whole = sorted(
        (info for info in infos if info.client_filter is None),
        key=lambda info: (info.taken_at, info.id),
    )
    cutoff = as_utc(now) - baseline_age
    old_enough = [info for info in whole if info.taken_at <= cutoff]
    baseline = old_enough[-1] if old_enough else (whole[0] if len(whole) > 1 else None)
    chosen = whole[-latest:] if latest > 0 else []
    if baseline is not None and baseline not in chosen:
        chosen = [baseline, *chosen]
    return chosen, baseline, bool(old_enough)


def snapshot_score(snapshot: Snapshot, filters: Filters) -> float:
    """The settings score of a stored snapshot's campaigns that ``filters`` select, as of the
    moment it was taken (the frame is rebuilt from its records, as the page's is)."""
    frame = apply_filters(campaigns_frame(snapshot.records, snapshot.clients), filters)
    return audit.settings_score(frame, now=snapshot.info.taken_at)


def score_trend(
    infos: Sequence[SnapshotInfo],
    current: pd.DataFrame,
    score_of: Callable[[SnapshotInfo], float],
    *,
    now: datetime,
    latest: int = TREND_POINTS,
    baseline_age: timedelta = BASELINE_AGE,
) -> ScoreTrend:
    """The settings score of the chosen snapshots (:func:`trend_snapshots`) and of
    ``current`` (the filtered view now), and the baseline the delta compares with.

    ``score_of`` scores one snapshot: :func:`snapshot_score` of it loaded from the store,
    with the same filters as ``current`` (the dashboard caches it per snapshot and filters).
    A snapshot it cannot read (damaged, or deleted meanwhile) is left out and named in
    :attr:`ScoreTrend.unreadable`; the others still make the trend.
    """
    chosen, baseline, week_old = trend_snapshots(
        infos, now, latest=latest, baseline_age=baseline_age
    )
    scores: dict[int, float] = {}
    unreadable: list[SnapshotInfo] = []
    for info in chosen:
        try:
            scores[info.id] = score_of(info)
        except (SnapshotDamagedError, SnapshotNotFoundError):
            unreadable.append(info)  # one bad snapshot costs its own point, not the trend
    scored = [info for info in chosen if info.id in scores]
    current_score = audit.settings_score(current, now=now)
    points = pd.DataFrame(
        {
            "snapshot_id": pd.array([*(info.id for info in scored), None], dtype="Int64"),
            "taken_at": pd.to_datetime(
                pd.Series([*(info.taken_at for info in scored), as_utc(now)], dtype=object),
                utc=True,
            ).astype(UTC_TIMESTAMP),
            "score": pd.array([*(scores[info.id] for info in scored), current_score], "Float64"),
            "point": pd.array([*(f"snapshot #{info.id}" for info in scored), "now"], "str"),
        }
    )
    return ScoreTrend(
        points=points,
        now=current_score,
        baseline=baseline,
        baseline_score=None if baseline is None else scores.get(baseline.id),
        week_old=week_old,
        snapshots=len(scored),
        unreadable=tuple(unreadable),
    )
