"""The save rule: at most one automatic snapshot per interval, then pruning by retention (on
both stores: SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from smartlead import history, settings
from smartlead.history import SnapshotStore
from tests.history_builders import (
    T0,
    campaign,
)


@pytest.fixture
def store(history_store: SnapshotStore) -> SnapshotStore:
    """A fresh store, on SQLite and on PostgreSQL (see tests/history_backends.py)."""
    return history_store


def test_maybe_save_applies_the_interval_per_account_and_client_filter(
    store: SnapshotStore,
) -> None:
    records = [campaign(1), campaign(2)]
    first = history.maybe_save(store, records, account="acct-a", interval=3600, now=T0)
    assert first.saved
    assert first.info is not None
    assert first.info.source == history.SOURCE_AUTO
    assert "Saved snapshot #" in first.message
    assert first.next_due == T0 + timedelta(hours=1)

    soon = history.maybe_save(
        store, records, account="acct-a", interval=3600, now=T0 + timedelta(minutes=10)
    )
    assert not soon.saved
    assert soon.info == first.info
    assert "10 min old" in soon.message
    assert soon.next_due == T0 + timedelta(hours=1)

    other_account = history.maybe_save(
        store, records, account="acct-b", interval=3600, now=T0 + timedelta(minutes=10)
    )
    assert other_account.saved
    one_client = history.maybe_save(
        store,
        records,
        account="acct-a",
        client_filter=11,
        interval=3600,
        now=T0 + timedelta(minutes=10),
    )
    assert one_client.saved

    later = history.maybe_save(
        store, records, account="acct-a", interval=3600, now=T0 + timedelta(minutes=61)
    )
    assert later.saved
    assert len(store.list("acct-a")) == 3
    assert len(store.latest("acct-a", 10)) == 2  # the whole-portfolio series only

    always = history.maybe_save(
        store, records, account="acct-a", interval=0, now=T0 + timedelta(minutes=62)
    )
    assert always.saved


def test_the_next_due_time_is_said_in_the_readers_zone(store: SnapshotStore) -> None:
    history.maybe_save(store, [campaign(1)], account="acct-a", interval=3600, now=T0)
    soon = history.not_due(
        store, account="acct-a", interval=3600, now=T0 + timedelta(minutes=10), zone="Asia/Tokyo"
    )
    assert soon is not None
    assert soon.message.endswith("can be saved after 2026-11-20 19:00 Asia/Tokyo.")


def test_interval_comes_from_the_environment(
    store: SnapshotStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(settings.ENV_HISTORY_INTERVAL, "60")
    assert history.maybe_save(store, [], account="a", now=T0).saved
    assert not history.maybe_save(store, [], account="a", now=T0 + timedelta(seconds=59)).saved
    assert history.maybe_save(store, [], account="a", now=T0 + timedelta(seconds=60)).saved


def test_a_manual_save_ignores_the_interval(store: SnapshotStore) -> None:
    history.maybe_save(store, [campaign(1)], account="a", interval=3600, now=T0)
    manual = store.save(
        [campaign(1)], account="a", taken_at=T0 + timedelta(minutes=1), source="manual"
    )
    assert manual is not None
    assert [info.source for info in store.list("a")] == ["manual", "auto"]


def test_concurrent_automatic_saves_keep_to_the_interval(store: SnapshotStore) -> None:
    """The interval check and the insert share one transaction: eight racers, one snapshot."""
    barrier = threading.Barrier(8)
    outcomes: list[history.SaveOutcome] = []

    def racer() -> None:
        barrier.wait()
        outcomes.append(history.maybe_save(store, [campaign(1)], account="a", interval=600))

    threads = [threading.Thread(target=racer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(outcome.saved for outcome in outcomes) == 1
    assert len(store.list()) == 1


def test_maybe_save_prunes_per_retention_setting(
    store: SnapshotStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.save([campaign(1)], account="a", taken_at=T0 - timedelta(days=40))
    store.save([campaign(1)], account="a", taken_at=T0 - timedelta(days=35))
    monkeypatch.setenv(settings.ENV_HISTORY_RETENTION_DAYS, "30")
    outcome = history.maybe_save(store, [campaign(1)], account="a", now=T0, interval=0)
    assert outcome.saved
    assert outcome.pruned == 2
    assert "Removed 2 snapshots older than 30 days" in outcome.message
    assert len(store.list()) == 1

    monkeypatch.setenv(settings.ENV_HISTORY_RETENTION_DAYS, "0")  # keep forever
    store.save([campaign(1)], account="a", taken_at=T0 - timedelta(days=3000))
    assert history.maybe_save(store, [], account="a", now=T0, interval=0).pruned == 0
