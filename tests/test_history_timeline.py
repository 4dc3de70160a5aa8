"""The portfolio over time, from the summaries stored beside each snapshot (both stores)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from smartlead import history
from smartlead.demo import demo_campaigns
from smartlead.history import SnapshotStore
from tests.history_backends import Backend
from tests.history_builders import (
    T0,
    campaign,
)


@pytest.fixture
def store(history_store: SnapshotStore) -> SnapshotStore:
    """A fresh store, on SQLite and on PostgreSQL (see tests/history_backends.py)."""
    return history_store


def test_portfolio_timeline_from_stored_summaries(store: SnapshotStore) -> None:
    store.save(
        [campaign(1), campaign(2, status="PAUSED", max_leads_per_day=30)],
        account="a",
        taken_at=T0,
    )
    store.save(
        [campaign(1, max_leads_per_day=70), campaign(2), campaign(3, status="WARMING_UP")],
        account="a",
        taken_at=T0 + timedelta(days=7),
    )
    store.save([campaign(1)] * 5, account="a", client_filter=11, taken_at=T0)
    store.save([campaign(1)], account="b", taken_at=T0)

    timeline = history.portfolio_timeline(store, "a")
    assert list(timeline.columns) == list(history.TIMELINE_COLUMNS)
    assert str(timeline["taken_at"].dtype) == "datetime64[us, UTC]"
    table = {
        (row.taken_at, row.status): (row.campaigns, row.daily_limit, row.active_daily_limit)
        for row in timeline.itertuples()
    }
    week = T0 + timedelta(days=7)
    assert table == {
        (T0, "ACTIVE"): (1, 50, 50),
        (T0, "PAUSED"): (1, 30, 50),
        (T0, "WARMING_UP"): (0, 0, 50),
        (week, "ACTIVE"): (2, 120, 120),
        (week, "PAUSED"): (0, 0, 120),
        (week, "WARMING_UP"): (1, 50, 120),
    }
    assert timeline["taken_at"].is_monotonic_increasing
    one_client = history.portfolio_timeline(store, "a", client_filter=11)
    assert one_client["campaigns"].sum() == 5
    recent = history.portfolio_timeline(store, "a", since=T0 + timedelta(days=1))
    assert set(recent["taken_at"]) == {week}
    assert history.portfolio_timeline(store, "nobody").empty


def test_timeline_does_not_load_snapshot_data(
    store: SnapshotStore, history_backend: Backend
) -> None:
    info = store.save(demo_campaigns(100), account="a")
    history_backend.set_payload(info.id, b"damaged")
    assert history.portfolio_timeline(store, "a")["campaigns"].sum() == 100
