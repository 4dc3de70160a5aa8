"""When figures fetched one campaign at a time are fetched again: the rule, as pure functions.

SmartLead gives all-time totals and lead statistics one campaign at a time, so a portfolio of
300 campaigns costs 300 requests a review. Most of them need not be asked again:

- a **finished** campaign (STOPPED, COMPLETED, ARCHIVED: :data:`smartlead.vocab.FINISHED`)
  sends nothing more, so figures fetched once it had finished are final and are never
  fetched again;
- any other campaign (active, paused, drafted, unknown statuses) is fetched again once its
  figures are older than the maximum age (``SMARTLEAD_LEADS_MAX_AGE`` hours with history on);
- a campaign whose status changed since its figures were fetched (a completed campaign
  reactivated with new leads, an active one that finished) is fetched again whatever their
  age: its figures describe another phase of its life;
- figures fetched before someone asked for a refresh (``refreshed_after``) are fetched again.

So the second review of a day costs only the campaigns whose figures are older than the
maximum age, plus those that changed status. Each figure set carries the campaign's status
when it was fetched under :data:`STATUS_KEY`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from smartlead import vocab
from smartlead.history.model import StoredFigures, as_utc

__all__ = [
    "KIND",
    "STATUS_KEY",
    "RefreshPlan",
    "figures_status",
    "needs_fetch",
    "plan_refresh",
]

KIND = "analytics"
"""The kind the history store keeps these figures under (``save_figures``/``load_figures``)."""

STATUS_KEY = "status_when_fetched"
"""The key in a campaign's stored figures that holds its status when they were fetched."""


def figures_status(figures: StoredFigures | None) -> str | None:
    """The campaign's status when ``figures`` were fetched (None when unknown)."""
    if figures is None:
        return None
    status = figures.figures.get(STATUS_KEY)
    return vocab.canonical_status(status) if isinstance(status, str) else None


def needs_fetch(
    status: Any,
    kept: StoredFigures | None,
    *,
    now: datetime,
    max_age: timedelta,
    refreshed_after: datetime | None = None,
) -> bool:
    """Whether a campaign with ``status`` now, and ``kept`` figures (or none), is fetched again.

    See the module docstring for the rule. ``now`` and ``refreshed_after`` are aware times
    (naive ones are read as UTC).
    """
    if kept is None:
        return True
    current = vocab.canonical_status(status)
    then = figures_status(kept)
    if then != current:
        return True
    if current in vocab.FINISHED:
        return False
    fetched = as_utc(kept.fetched_at)
    if refreshed_after is not None and fetched < as_utc(refreshed_after):
        return True
    return as_utc(now) - fetched >= max_age


@dataclass(frozen=True)
class RefreshPlan:
    """What a set of campaigns costs: ``fresh`` ids use kept figures; ``stale`` ids have
    figures that are too old or from another status (shown until refetched); ``missing`` ids
    have none. ``final`` counts the fresh ones that are finished (never fetched again)."""

    fresh: tuple[int, ...] = ()
    stale: tuple[int, ...] = ()
    missing: tuple[int, ...] = ()
    final: int = 0

    @property
    def to_fetch(self) -> tuple[int, ...]:
        """The ids to ask SmartLead for: the stale ones, then the missing ones."""
        return (*self.stale, *self.missing)


def plan_refresh(
    statuses: Mapping[int, Any],
    kept: Mapping[int, StoredFigures],
    *,
    now: datetime,
    max_age: timedelta,
    refreshed_after: datetime | None = None,
    ids: Iterable[int] | None = None,
) -> RefreshPlan:
    """Sort campaigns into fresh, stale and missing by :func:`needs_fetch`.

    ``statuses`` maps each campaign id to its status now (``ids`` picks and orders the ones
    to plan; default: every id of ``statuses``); ``kept`` holds the figures kept so far.
    """
    fresh: list[int] = []
    stale: list[int] = []
    missing: list[int] = []
    final = 0
    for cid in statuses if ids is None else ids:
        figures = kept.get(cid)
        if figures is None:
            missing.append(cid)
        elif needs_fetch(
            statuses.get(cid),
            figures,
            now=now,
            max_age=max_age,
            refreshed_after=refreshed_after,
        ):
            stale.append(cid)
        else:
            fresh.append(cid)
            final += vocab.canonical_status(statuses.get(cid)) in vocab.FINISHED
    return RefreshPlan(tuple(fresh), tuple(stale), tuple(missing), final)
