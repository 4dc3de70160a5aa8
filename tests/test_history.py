"""The snapshot history against real SQLite files: nothing lost, no key stored, clear failures.

Every store test runs on a real file in ``tmp_path`` (no in-memory database, no mocks of
sqlite3): concurrency is tested with real threads and real processes, locks with a second
real connection, damage with real bytes written into the file.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import multiprocessing
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from smartlead import cli, history, settings
from smartlead.demo import demo_campaigns, demo_clients
from smartlead.frame import COLUMNS, KNOWN_FIELDS
from smartlead.history import HistoryUnavailableError, SQLiteSnapshotStore
from tests import strategies

KEY = "sk-LIVE-3f9a1c7e-never-store-me"
"""A key that must never reach the history file in any form but its fingerprint."""

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
CLIENTS = [{"id": 11, "name": "Acme"}, {"id": 12, "name": "Globex"}]
REPO_ROOT = Path(__file__).resolve().parent.parent


def campaign(campaign_id: Any, **changes: Any) -> dict[str, Any]:
    """A campaign record in SmartLead's documented shape, with ``changes`` applied."""
    record: dict[str, Any] = {
        "id": campaign_id,
        "user_id": 7,
        "created_at": "2026-01-05T10:00:00.000Z",
        "updated_at": "2026-01-06T10:00:00.000Z",
        "status": "ACTIVE",
        "name": f"Campaign {campaign_id}",
        "track_settings": [],
        "scheduler_cron_value": {
            "tz": "America/New_York",
            "days": [1, 2, 3, 4, 5],
            "startHour": "09:00",
            "endHour": "17:00",
        },
        "min_time_btwn_emails": 10,
        "max_leads_per_day": 50,
        "stop_lead_settings": "REPLY_TO_AN_EMAIL",
        "schedule_start_time": None,
        "enable_ai_esp_matching": True,
        "send_as_plain_text": False,
        "follow_up_percentage": 40,
        "unsubscribe_text": "",
        "parent_campaign_id": None,
        "client_id": 11,
        "tags": [{"tag_id": 1, "tag_name": "Outbound", "tag_color": "#1E88E5"}],
    }
    record.update(changes)
    return record


ODD_RECORDS: list[Any] = [
    None,
    "just text",
    42,
    [1, "two", None],
    {},
    {"name": "no id at all"},
    {"id": "not-a-number", "status": None},
    {"id": 5, "status": 17, "tags": "Q1", "max_leads_per_day": "lots", "new_field": {"a": [1]}},
    {"id": 6, "name": "Ünïcødé 😀 \ud800 lone surrogate", "scheduler_cron_value": "garbage"},
    {"id": 7, "max_leads_per_day": 1e300, "tags": [None, {"tag_name": ""}, 3]},
]


@pytest.fixture
def store(tmp_path: Path) -> SQLiteSnapshotStore:
    """A fresh store in a real file, with a short busy timeout."""
    return SQLiteSnapshotStore(tmp_path / "history.sqlite3", timeout=0.5)


def store_bytes(path: Path) -> bytes:
    """The database file and its WAL companions, as bytes."""
    return b"".join(
        candidate.read_bytes()
        for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm"))
        if candidate.exists()
    )


def rows(changes: pd.DataFrame) -> set[tuple[Any, ...]]:
    """The change rows as comparable tuples (kind, id, field, before, after)."""
    out = set()
    for record in changes.astype(object).where(changes.notna(), None).to_dict("records"):
        out.add((record["kind"], record["id"], record["field"], record["before"], record["after"]))
    return out


# --------------------------------------------------------------------------- round trip


def test_save_and_load_keep_records_exactly_as_they_came(store: SQLiteSnapshotStore) -> None:
    records = demo_campaigns(120, seed=3) + copy.deepcopy(ODD_RECORDS)
    info = store.save(
        records, account="a1", client_filter=41002, clients=demo_clients(), taken_at=T0
    )
    assert info is not None
    assert info.campaign_count == len(records)
    assert info.taken_at == T0
    assert info.client_filter == 41002
    assert info.source == history.SOURCE_MANUAL
    assert info.label == f"#{info.id} · 2026-11-20 09:00 UTC · 130 campaigns · client #41002"

    loaded = SQLiteSnapshotStore(store.path).load(info.id)  # a second object, as a replica
    assert loaded.records == records
    assert loaded.clients == demo_clients()
    assert loaded.info == info
    assert loaded.info.summary["campaigns"] == len(records)
    assert store.list() == [info]


def test_summary_matches_the_campaign_frame(store: SQLiteSnapshotStore) -> None:
    from smartlead.frame import campaigns_frame

    readable = [r for r in ODD_RECORDS if "\ud800" not in json.dumps(r, ensure_ascii=False)]
    records = demo_campaigns(300, seed=5) + copy.deepcopy(readable)
    info = store.save(records, account="a1", clients=demo_clients())
    frame = campaigns_frame(records, demo_clients())
    status = frame["status"].astype(str)
    assert info.summary["by_status"] == status.value_counts().to_dict()
    active = frame.loc[status == "ACTIVE", "max_leads_per_day"].sum()
    assert info.summary["active_daily_limit"] == int(active)
    assert info.summary["clients"] == frame["client_name"].nunique()


json_values = strategies.json_values(nan=False)
campaign_like = st.dictionaries(
    st.sampled_from([*sorted(KNOWN_FIELDS), "sequence_count", "x"]), json_values, max_size=8
)
with_small_id = st.builds(
    lambda record, campaign_id: {**record, "id": campaign_id},
    campaign_like,
    st.integers(1, 4) | st.none() | st.sampled_from(["3", "x", 2.0, True]),
)
any_record = with_small_id | campaign_like | json_values


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(records=st.lists(any_record, max_size=6))
def test_any_json_records_round_trip(store: SQLiteSnapshotStore, records: list[Any]) -> None:
    info = store.save(records, account="prop")
    assert store.load(info.id).records == records


# --------------------------------------------------------------------------- the key


def test_the_key_is_never_stored_only_its_fingerprint(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    store = SQLiteSnapshotStore(path)
    account = store.fingerprint(KEY)
    assert len(account) == history.FINGERPRINT_LENGTH
    assert all(c in "0123456789abcdef" for c in account)
    store.save(demo_campaigns(50), account=account, clients=demo_clients())
    history.maybe_save(store, demo_campaigns(50), account=account, interval=0)

    data = store_bytes(path)
    for form in (KEY, KEY.upper(), KEY.lower(), KEY[3:]):
        assert form.encode() not in data
        assert form.encode("utf-16-le") not in data
    assert hashlib.sha256(KEY.encode()).hexdigest()[:16].encode() not in data
    assert account.encode() in data  # the fingerprint is what identifies the account
    assert KEY not in repr(store)


def test_fingerprints_are_salted_per_store_and_shared_by_replicas(tmp_path: Path) -> None:
    first = SQLiteSnapshotStore(tmp_path / "one.sqlite3")
    replica = SQLiteSnapshotStore(tmp_path / "one.sqlite3")
    other = SQLiteSnapshotStore(tmp_path / "two.sqlite3")
    assert first.fingerprint(KEY) == replica.fingerprint(KEY) == first.fingerprint(f" {KEY} ")
    assert first.fingerprint(KEY) != other.fingerprint(KEY)
    assert first.fingerprint(KEY) != first.fingerprint(KEY + "x")
    assert history.account_fingerprint(KEY, "salt") == history.account_fingerprint(KEY, b"salt")
    with pytest.raises(ValueError, match="API key"):
        history.account_fingerprint("  ", "salt")


# --------------------------------------------------------------------------- saving rules


def test_maybe_save_applies_the_interval_per_account_and_client_filter(
    store: SQLiteSnapshotStore,
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


def test_interval_comes_from_the_environment(
    store: SQLiteSnapshotStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(settings.ENV_HISTORY_INTERVAL, "60")
    assert history.maybe_save(store, [], account="a", now=T0).saved
    assert not history.maybe_save(store, [], account="a", now=T0 + timedelta(seconds=59)).saved
    assert history.maybe_save(store, [], account="a", now=T0 + timedelta(seconds=60)).saved


def test_a_manual_save_ignores_the_interval(store: SQLiteSnapshotStore) -> None:
    history.maybe_save(store, [campaign(1)], account="a", interval=3600, now=T0)
    manual = store.save(
        [campaign(1)], account="a", taken_at=T0 + timedelta(minutes=1), source="manual"
    )
    assert manual is not None
    assert [info.source for info in store.list("a")] == ["manual", "auto"]


def test_concurrent_automatic_saves_keep_to_the_interval(store: SQLiteSnapshotStore) -> None:
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


def test_retention_prunes_old_snapshots_but_keeps_each_series_newest(
    store: SQLiteSnapshotStore,
) -> None:
    def save(account: str, days_ago: float, client: int | None = None) -> int:
        info = store.save(
            [campaign(1)],
            account=account,
            client_filter=client,
            taken_at=T0 - timedelta(days=days_ago),
        )
        return info.id

    a_old, a_mid, a_new = save("a", 200), save("a", 100), save("a", 1)
    b_only = save("b", 400)
    a_client_old, a_client_new = save("a", 300, 11), save("a", 250, 11)

    assert store.prune(keep_days=180, now=T0) == 2
    remaining = {info.id for info in store.list()}
    assert remaining == {a_mid, a_new, b_only, a_client_new}
    assert a_old not in remaining
    assert a_client_old not in remaining

    assert store.prune(keep_count=1) == 1
    assert {info.id for info in store.list()} == {a_new, b_only, a_client_new}
    with sqlite3.connect(store.path) as connection:
        (data_rows,) = connection.execute("SELECT COUNT(*) FROM snapshot_data").fetchone()
    assert data_rows == 3  # the data went with the snapshots
    assert store.prune() == 0
    with pytest.raises(ValueError, match="keep_count"):
        store.prune(keep_count=0)


def test_maybe_save_prunes_per_retention_setting(
    store: SQLiteSnapshotStore, monkeypatch: pytest.MonkeyPatch
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


def test_delete_removes_one_snapshot(store: SQLiteSnapshotStore) -> None:
    first = store.save([campaign(1)], account="a")
    second = store.save([campaign(2)], account="a")
    assert store.delete(first.id)
    assert not store.delete(first.id)
    assert [info.id for info in store.list()] == [second.id]
    with pytest.raises(history.SnapshotNotFoundError, match=f"no snapshot #{first.id}"):
        store.load(first.id)


# --------------------------------------------------------------------------- nothing lost


def test_a_failure_inside_a_save_leaves_nothing_half_written(tmp_path: Path) -> None:
    class FailingStore(SQLiteSnapshotStore):
        def _insert_data(self, connection: sqlite3.Connection, *args: Any) -> None:
            raise sqlite3.OperationalError("disk I/O error")

    path = tmp_path / "history.sqlite3"
    kept = SQLiteSnapshotStore(path).save([campaign(1)], account="a")
    with pytest.raises(HistoryUnavailableError, match="could not be used: disk I/O error"):
        FailingStore(path).save([campaign(2)], account="a")
    store = SQLiteSnapshotStore(path)
    assert store.list() == [kept]
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT COUNT(*) FROM snapshot_data").fetchone() == (1,)


class _DyingStore(SQLiteSnapshotStore):
    """Kills its own process between the two inserts of a save: a crash mid-transaction."""

    def _insert_data(self, connection: sqlite3.Connection, *args: Any) -> None:
        os._exit(17)


def _save_and_die(path: str) -> None:
    _DyingStore(path).save(demo_campaigns(500), account="crash")


def _save_many(path: str, worker: int, count: int, barrier: Any) -> None:
    store = SQLiteSnapshotStore(path, timeout=30)
    records = demo_campaigns(1500, seed=worker)
    barrier.wait()
    for number in range(count):
        store.save(records, account=f"worker-{worker}", client_filter=number)


def test_a_process_killed_mid_save_leaves_the_store_whole(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    kept = SQLiteSnapshotStore(path).save([campaign(1)], account="a")
    process = multiprocessing.get_context("spawn").Process(target=_save_and_die, args=(str(path),))
    process.start()
    process.join(60)
    assert process.exitcode == 17

    store = SQLiteSnapshotStore(path)
    assert store.list() == [kept]
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert store.save([campaign(2)], account="a") is not None


def test_two_threads_saving_at_once_keep_both_snapshots_whole(store: SQLiteSnapshotStore) -> None:
    portfolios = {worker: demo_campaigns(1500, seed=worker) for worker in (1, 2)}
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            barrier.wait()
            for _ in range(4):
                store.save(portfolios[worker], account=f"worker-{worker}")
        except BaseException as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(worker,)) for worker in portfolios]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    infos = store.list()
    assert len(infos) == 8
    for info in infos:
        worker = int(info.account.rsplit("-", 1)[1])
        assert store.load(info.id).records == portfolios[worker]


def test_two_processes_saving_at_once_keep_both_snapshots_whole(tmp_path: Path) -> None:
    """Two processes race on a store that does not exist yet: creation and saves."""
    path = tmp_path / "fresh" / "history.sqlite3"
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    processes = [
        context.Process(target=_save_many, args=(str(path), worker, 3, barrier))
        for worker in (1, 2)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(120)
    assert [process.exitcode for process in processes] == [0, 0]

    store = SQLiteSnapshotStore(path)
    infos = store.list()
    assert len(infos) == 6
    assert {info.account for info in infos} == {"worker-1", "worker-2"}
    for info in infos:
        worker = int(info.account.rsplit("-", 1)[1])
        assert store.load(info.id).records == demo_campaigns(1500, seed=worker)
    with sqlite3.connect(path) as connection:
        salts = connection.execute("SELECT COUNT(*) FROM history_meta").fetchone()
    assert salts == (1,)


# --------------------------------------------------------------------------- failures


def test_a_store_in_a_missing_directory_is_created_private(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "c" / "history.sqlite3"
    store = SQLiteSnapshotStore(path)
    assert not path.exists()  # nothing happens before first use
    store.save([campaign(1)], account="a")
    assert path.is_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert connection.execute("SELECT MAX(version) FROM history_schema").fetchone() == (1,)


def test_a_store_deleted_while_in_use_is_created_again(store: SQLiteSnapshotStore) -> None:
    store.save([campaign(1)], account="a")
    old_fingerprint = store.fingerprint(KEY)
    store.path.unlink()
    assert store.list() == []
    store.save([campaign(1)], account="a")
    assert len(store.list()) == 1
    assert store.fingerprint(KEY) != old_fingerprint  # a new store has a new salt


def test_a_store_that_cannot_be_created_says_so(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    store = SQLiteSnapshotStore(blocker / "history.sqlite3")
    with pytest.raises(HistoryUnavailableError, match=r"could not be created: .* is a file, not"):
        store.save([campaign(1)], account="a")
    with pytest.raises(HistoryUnavailableError, match="could not be created"):
        store.list()


def test_a_locked_store_reports_it_within_the_busy_timeout(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    SQLiteSnapshotStore(path).save([campaign(1)], account="a")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        store = SQLiteSnapshotStore(path, timeout=0.2)
        started = time.monotonic()
        with pytest.raises(HistoryUnavailableError, match="is locked by another process") as info:
            store.save([campaign(2)], account="a")
        assert time.monotonic() - started < 3
        assert str(path) in str(info.value)
        assert len(store.list()) == 1  # WAL: reading goes on while another process writes
        with pytest.raises(HistoryUnavailableError, match="locked"):
            store.prune(keep_count=1)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert store.save([campaign(2)], account="a") is not None


def test_a_read_only_store_can_be_read_but_not_written(tmp_path: Path) -> None:
    """``mode=ro`` is enforced by SQLite itself, so this holds when the tests run as root."""
    path = tmp_path / "history.sqlite3"
    writer = SQLiteSnapshotStore(path)
    first = writer.save([campaign(1)], account="a", taken_at=T0 - timedelta(days=400))
    writer.save([campaign(2)], account="a", taken_at=T0)
    before = path.read_bytes()

    reader = SQLiteSnapshotStore(path, read_only=True)
    assert len(reader.list()) == 2
    assert reader.load(first.id).records == [campaign(1)]
    assert reader.fingerprint(KEY) == writer.fingerprint(KEY)
    with pytest.raises(HistoryUnavailableError, match=r"is read-only \(it was opened read-only"):
        reader.save([campaign(3)], account="a")
    with pytest.raises(HistoryUnavailableError, match="is read-only"):
        reader.prune(keep_days=30, now=T0)
    with pytest.raises(HistoryUnavailableError, match="is read-only"):
        history.maybe_save(reader, [campaign(3)], account="a", interval=0)
    assert path.read_bytes() == before

    missing = SQLiteSnapshotStore(tmp_path / "missing.sqlite3", read_only=True)
    with pytest.raises(HistoryUnavailableError, match="does not exist"):
        missing.list()
    assert not (tmp_path / "missing.sqlite3").exists()


def _try_the_store_as_another_user(path: str, queue: Any) -> None:
    """In a forked child: drop root (which writes through file modes), then use the store."""
    if os.geteuid() == 0:
        os.setgid(65534)  # nobody / nogroup
        os.setuid(65534)
    store = SQLiteSnapshotStore(path, timeout=0.2)
    results: dict[str, tuple[str, Any]] = {}
    actions = {
        "list": lambda: len(store.list()),
        "load": lambda: store.load(1).records,
        "fingerprint": lambda: len(store.fingerprint(KEY)),
        "save": lambda: store.save([campaign(2)], account="a"),
        "maybe_save": lambda: history.maybe_save(store, [campaign(2)], account="a", interval=0),
    }
    for name, action in actions.items():
        try:
            results[name] = ("ok", action())
        except HistoryUnavailableError as error:
            results[name] = ("error", str(error))
    queue.put(results)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="drops privileges in a forked child")
def test_a_write_protected_file_and_folder_are_read_but_not_written() -> None:
    """Real file modes (0444 file in a 0555 folder), checked as an unprivileged user.

    As root, the check runs in a forked child that has switched to ``nobody``; the folder is
    made in the system temp directory because pytest's own is private to root.
    """
    folder = Path(tempfile.mkdtemp(prefix="history-ro-"))
    path = folder / "history.sqlite3"
    try:
        SQLiteSnapshotStore(path).save([campaign(1)], account="a")
        before = path.read_bytes()
        path.chmod(0o444)
        folder.chmod(0o555)
        context = multiprocessing.get_context("fork")
        queue = context.Queue()
        child = context.Process(target=_try_the_store_as_another_user, args=(str(path), queue))
        child.start()
        results = queue.get(timeout=60)
        child.join(60)
    finally:
        folder.chmod(0o700)
        path.chmod(0o600)
    assert results["list"] == ("ok", 1)
    assert results["load"] == ("ok", [campaign(1)])
    assert results["fingerprint"] == ("ok", history.FINGERPRINT_LENGTH)
    for name in ("save", "maybe_save"):
        status, message = results[name]
        assert status == "error"
        assert f"The history store at {path} is read-only" in message
        assert "cannot be saved" in message
    assert path.read_bytes() == before
    shutil.rmtree(folder)


def test_a_corrupt_file_is_reported_not_crashed_on(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    path.write_bytes(os.urandom(64 * 1024))
    store = SQLiteSnapshotStore(path)
    for action in (
        lambda: store.list(),
        lambda: store.save([campaign(1)], account="a"),
        lambda: store.fingerprint(KEY),
        lambda: store.load(1),
        lambda: history.portfolio_timeline(store, "a"),
    ):
        with pytest.raises(
            HistoryUnavailableError, match="is not a valid history database"
        ) as info:
            action()
        assert str(path) in str(info.value)
        assert KEY not in str(info.value)


def test_a_database_with_damaged_pages_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    store = SQLiteSnapshotStore(path)
    for _ in range(3):
        store.save(demo_campaigns(300), account="a")
    data = bytearray(path.read_bytes())
    data[4096:12288] = os.urandom(8192)  # the pages right after the header page
    path.write_bytes(bytes(data))
    fresh = SQLiteSnapshotStore(path)

    def read_everything() -> None:
        for info in fresh.list():
            fresh.load(info.id)

    with pytest.raises(HistoryUnavailableError, match=r"not a valid history database|damaged"):
        read_everything()


def test_another_programs_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE invoices (id INTEGER)")
    before = path.read_bytes()
    with pytest.raises(HistoryUnavailableError, match="database of something else"):
        SQLiteSnapshotStore(path).save([campaign(1)], account="a")
    assert path.read_bytes() == before


def test_a_store_from_a_newer_version_is_refused(store: SQLiteSnapshotStore) -> None:
    store.save([campaign(1)], account="a")
    with sqlite3.connect(store.path) as connection:
        connection.execute("INSERT INTO history_schema VALUES (99, '2030-01-01')")
    with pytest.raises(HistoryUnavailableError, match="newer version"):
        SQLiteSnapshotStore(store.path).list()


def _set_payload(path: Path, snapshot_id: int, payload: bytes) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute(
            "UPDATE snapshot_data SET payload = ? WHERE snapshot_id = ?", (payload, snapshot_id)
        )


def test_a_damaged_snapshot_is_reported_and_the_others_still_load(
    store: SQLiteSnapshotStore,
) -> None:
    good = store.save([campaign(1)], account="a")
    broken = [store.save([campaign(n)], account="a") for n in (2, 3, 4, 5)]

    _set_payload(store.path, broken[0].id, b"\x00not zlib at all")
    _set_payload(store.path, broken[1].id, zlib.compress(b'{"campaigns": []}'))
    with sqlite3.connect(store.path) as connection:
        connection.execute("UPDATE snapshots SET campaign_count = 9 WHERE id = ?", (broken[2].id,))
        raw = b"[not json"
        connection.execute(
            "UPDATE snapshot_data SET payload = ?, checksum = ? WHERE snapshot_id = ?",
            (zlib.compress(raw), hashlib.sha256(raw).hexdigest(), broken[3].id),
        )

    expected = [
        "does not decompress",
        "does not match its checksum",
        "holds 1 campaigns, not 9",
        "is not valid JSON",
    ]
    for info, problem in zip(broken, expected, strict=True):
        with pytest.raises(history.SnapshotDamagedError, match=problem) as caught:
            store.load(info.id)
        assert caught.value.snapshot_id == info.id
        assert isinstance(caught.value, HistoryUnavailableError)
        assert f"Snapshot #{info.id}" in str(caught.value)
    assert store.load(good.id).records == [campaign(1)]
    assert len(store.list()) == 5
    assert len(history.portfolio_timeline(store, "a")) > 0


def test_every_store_method_raises_only_history_unavailable(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"SQLite format 3\x00" + os.urandom(4000))
    store = SQLiteSnapshotStore(path)
    assert isinstance(store, history.SnapshotStore)
    calls = [
        lambda: store.fingerprint(KEY),
        lambda: store.save([], account="a"),
        lambda: store.list(),
        lambda: store.latest("a"),
        lambda: store.load(1),
        lambda: store.prune(keep_days=1),
        lambda: store.delete(1),
        lambda: history.maybe_save(store, [], account="a"),
    ]
    for call in calls:
        with pytest.raises(HistoryUnavailableError):
            call()


# --------------------------------------------------------------------------- diff


def test_diff_reports_each_kind_of_change() -> None:
    before = [
        campaign(1),
        campaign(2),
        campaign(3),
        campaign(4),
        campaign(5),
        campaign(6),
        campaign(7),
        campaign(8, sequence_count=2, legacy=True),
    ]
    after = [
        campaign(9, status="PAUSED"),  # added
        campaign(1, status="paused"),  # status
        campaign(2, max_leads_per_day=120),  # daily limit
        campaign(
            3,
            tags=[
                {"tag_id": 2, "tag_name": "Founders", "tag_color": "#43A047"},
                {"tag_id": 1, "tag_name": "Outbound", "tag_color": "#000000"},
            ],
        ),  # tags (the colour change alone would not count)
        campaign(
            4,
            scheduler_cron_value={
                "tz": "Europe/Berlin",
                "days": [1, 2, 3, 4],
                "startHour": "08:00",
                "endHour": "16:30",
            },
        ),  # schedule: one row
        campaign(5, name="Renamed", client_id=12, track_settings=["DONT_EMAIL_OPEN"]),
        campaign(6, updated_at="2026-11-01T00:00:00.000Z"),  # updated_at only: no change
        campaign(8, sequence_count=3, fresh="yes"),  # unknown fields, one by one
    ]  # 7 removed
    changes = history.diff_snapshots(before, after, clients=CLIENTS)

    assert list(changes.columns) == list(history.DIFF_COLUMNS)
    assert rows(changes) == {
        ("added", 9, None, None, "PAUSED · 50/day · Mon–Fri 09:00–17:00 America/New_York"),
        ("removed", 7, None, "ACTIVE · 50/day · Mon–Fri 09:00–17:00 America/New_York", None),
        ("status", 1, "status", "ACTIVE", "PAUSED"),
        ("daily_limit", 2, "max_leads_per_day", "50", "120"),
        ("tags", 3, "tags", "Outbound", "Founders, Outbound"),
        (
            "schedule",
            4,
            "schedule",
            "Mon–Fri 09:00–17:00 America/New_York",
            "Mon–Thu 08:00–16:30 Europe/Berlin",
        ),
        ("field", 5, "name", "Campaign 5", "Renamed"),
        ("field", 5, "client", "Acme", "Globex"),
        ("field", 5, "track_opens", "true", "false"),
        ("field", 8, "sequence_count", "2", "3"),
        ("field", 8, "legacy", "true", None),
        ("field", 8, "fresh", None, '"yes"'),
    }
    assert list(changes["kind"].drop_duplicates()) == list(history.CHANGE_KINDS)
    renamed = changes[changes["id"] == 5].iloc[0]
    assert renamed["name"] == "Renamed"
    assert renamed["client_name"] == "Globex"
    assert list(changes.loc[changes["id"] == 3, "tags"].iloc[0]) == ["Founders", "Outbound"]

    summary = history.diff_summary(changes)
    assert summary == {
        "added": 1,
        "removed": 1,
        "status": 1,
        "daily_limit": 1,
        "tags": 1,
        "schedule": 1,
        "field": 6,
        "changes": 12,
        "campaigns_changed": 6,
    }


def test_diff_ignores_what_does_not_change_the_campaign() -> None:
    before = [
        campaign(1, status="DRAFT"),
        campaign(2, max_leads_per_day=50),
        campaign(
            3,
            tags=[
                {"tag_id": 1, "tag_name": "A", "tag_color": "#111111"},
                {"tag_id": 2, "tag_name": "B", "tag_color": "#222222"},
            ],
        ),
        campaign(4, tags=[{"tag_id": 1, "tag_name": "A", "tag_color": "#111111"}]),
        campaign(5, track_settings=["DONT_EMAIL_OPEN"]),
    ]
    after = [
        campaign(5, track_settings=["DONT_TRACK_EMAIL_OPEN"]),  # the other vocabulary
        campaign(4, tags=None),  # tags not fetched this time
        campaign(
            3,
            tags=[
                {"tag_id": 2, "tag_name": "B", "tag_color": "#222222"},
                {"tag_id": 1, "tag_name": "A", "tag_color": "#111111"},
            ],
        ),  # reordered
        campaign(2, max_leads_per_day="50", updated_at="2027-01-01T00:00:00Z"),
        campaign(1, status="DRAFTED"),  # the alias
    ]
    assert history.diff_snapshots(before, after).empty
    assert history.diff_snapshots([], []).empty
    assert history.diff_snapshots(before, copy.deepcopy(before)).empty


def test_a_lone_surrogate_is_saved_loaded_and_diffed(store: SQLiteSnapshotStore) -> None:
    """JSON may carry ``"\\ud800"``, which Python decodes to a lone surrogate."""
    odd = campaign(1, name="broken \ud800 name")
    info = store.save([odd], account="a")
    assert info.summary["campaigns"] == 1
    assert store.load(info.id).records == [odd]
    changes = history.diff_snapshots([campaign(1)], [odd])
    assert changes[["kind", "id", "field", "before"]].values.tolist() == [
        ["field", 1, "name", "Campaign 1"]
    ]
    assert changes["after"].iloc[0].startswith("broken ")  # as the frame shows it
    assert history.diff_snapshots([odd], [copy.deepcopy(odd)]).empty


def test_diff_and_save_survive_a_record_the_frame_rejects(
    store: SQLiteSnapshotStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should the frame builder ever fail on a value, only that value is set aside."""
    real_frame = history.campaigns_frame

    def picky_frame(records: list[Any], clients: Any = None) -> pd.DataFrame:
        if any(isinstance(r, dict) and r.get("name") == "boom" for r in records):
            raise ValueError("cannot read this name")
        return real_frame(records, clients)

    monkeypatch.setattr(history, "campaigns_frame", picky_frame)
    changes = history.diff_snapshots([campaign(1), campaign(2)], [campaign(1, name="boom")])
    assert rows(changes) == {
        ("removed", 2, None, "ACTIVE · 50/day · Mon–Fri 09:00–17:00 America/New_York", None),
        ("field", 1, "name", "Campaign 1", None),
        ("field", 1, "name (unreadable)", None, '"\\"boom\\""'),
    }
    info = store.save([campaign(1, name="boom")], account="a")
    assert store.load(info.id).records == [campaign(1, name="boom")]


def test_diff_of_unidentified_and_duplicated_records() -> None:
    before = [None, "text", {"name": "no id"}, campaign(1), campaign(1, name="Twin"), 7]
    after = ["text", {"name": "no id", "status": "PAUSED"}, campaign(1), None, 7]
    changes = history.diff_snapshots(before, after)
    assert rows(changes) == {
        ("removed", 1, None, "ACTIVE · 50/day · Mon–Fri 09:00–17:00 America/New_York", None),
        ("removed", None, None, '{"name": "no id"}', None),
        ("added", None, None, None, '{"name": "no id", "status": "PAUSED"}'),
    }
    removed_twin = changes[(changes["kind"] == "removed") & changes["id"].notna()]
    assert removed_twin["name"].tolist() == ["Twin"]  # duplicates pair in order


def test_diff_takes_client_names_from_each_snapshot(store: SQLiteSnapshotStore) -> None:
    before = store.save([campaign(1)], account="a", clients=CLIENTS)
    renamed = [{"id": 11, "name": "Acme Corp"}, {"id": 12, "name": "Globex"}]
    after = store.save([campaign(1, client_id=12)], account="a", clients=renamed)
    changes = history.diff_stored(store, before.id, after.id)
    assert rows(changes) == {("field", 1, "client", "Acme", "Globex")}


def test_diff_labels_clients_that_share_a_name_as_the_frame_does() -> None:
    clients = [{"id": 11, "name": "Acme"}, {"id": 12, "name": "Acme"}]
    before = [campaign(1, client_id=11), campaign(2, client_id=12)]
    after = [campaign(1, client_id=11), campaign(2, client_id=12, status="PAUSED")]
    changes = history.diff_snapshots(before, after, clients=clients)
    assert changes["client_name"].tolist() == ["Acme (#12)"]


def test_every_frame_column_is_compared_or_deliberately_ignored() -> None:
    groups = [
        history._SCHEDULE_COLUMNS,
        history._FIELD_COLUMNS,
        history._SPECIAL_COLUMNS,
        history._IGNORED_COLUMNS,
    ]
    listed = [column for group in groups for column in group]
    assert sorted(listed) == sorted(COLUMNS)  # each exactly once


def test_filter_changes_by_kind_client_and_tag() -> None:
    before = [campaign(1), campaign(2, client_id=12), campaign(3, tags=[])]
    after = [
        campaign(1, status="PAUSED"),
        campaign(2, client_id=12, max_leads_per_day=10),
        campaign(3, tags=[], status="STOPPED"),
    ]
    changes = history.diff_snapshots(before, after, clients=CLIENTS)
    assert history.filter_changes(changes, kinds=["status"])["id"].tolist() == [3, 1]
    assert history.filter_changes(changes, clients=["Globex"])["id"].tolist() == [2]
    assert history.filter_changes(changes, tags=["Outbound"])["id"].tolist() == [1, 2]
    assert history.filter_changes(changes, kinds=["status"], clients=["Acme"], tags=["Outbound"])[
        "id"
    ].tolist() == [1]
    assert len(history.filter_changes(changes)) == len(changes)
    assert history.filter_changes(changes.iloc[0:0], tags=["x"]).empty


nan_or_json = strategies.json_values()
messy_record = (
    st.builds(
        lambda record, campaign_id: {**record, "id": campaign_id},
        st.dictionaries(
            st.sampled_from([*sorted(KNOWN_FIELDS), "sequence_count"]), nan_or_json, max_size=8
        ),
        st.integers(1, 4) | st.none() | st.sampled_from(["2", "x", 3.0, False, 2**80]),
    )
    | nan_or_json
)


@hypothesis_settings(max_examples=150, deadline=None)
@given(before=st.lists(messy_record, max_size=6), after=st.lists(messy_record, max_size=6))
def test_diff_of_any_json_records_never_raises(before: list[Any], after: list[Any]) -> None:
    changes = history.diff_snapshots(before, after)
    assert list(changes.columns) == list(history.DIFF_COLUMNS)
    assert set(changes["kind"].dropna()) <= set(history.CHANGE_KINDS)
    assert history.diff_summary(changes)["changes"] == len(changes)
    assert history.diff_snapshots(before, before).empty
    assert history.diff_snapshots(after, copy.deepcopy(after)).empty


# --------------------------------------------------------------------------- timeline


def test_portfolio_timeline_from_stored_summaries(store: SQLiteSnapshotStore) -> None:
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


def test_timeline_does_not_load_snapshot_data(store: SQLiteSnapshotStore) -> None:
    info = store.save(demo_campaigns(100), account="a")
    _set_payload(store.path, info.id, b"damaged")
    assert history.portfolio_timeline(store, "a")["campaigns"].sum() == 100


# --------------------------------------------------------------------------- settings


def test_history_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in (
        settings.ENV_HISTORY_PATH,
        settings.ENV_HISTORY_INTERVAL,
        settings.ENV_HISTORY_RETENTION_DAYS,
    ):
        monkeypatch.delenv(name, raising=False)
    assert settings.history_path() == settings.default_history_path()
    assert settings.default_history_path().name == "history.sqlite3"
    assert "smartlead-dashboard" in str(settings.default_history_path())
    assert settings.history_interval_seconds() == 3600
    assert settings.history_retention_days() == 180

    for off in ("off", "OFF", "0", "false", "none", "disabled"):
        monkeypatch.setenv(settings.ENV_HISTORY_PATH, off)
        assert settings.history_path() is None
        assert history.open_store() is None
    monkeypatch.setenv(settings.ENV_HISTORY_PATH, str(tmp_path / "h.sqlite3"))
    assert settings.history_path() == tmp_path / "h.sqlite3"
    assert history.open_store().path == tmp_path / "h.sqlite3"
    monkeypatch.setenv(settings.ENV_HISTORY_PATH, "  ")
    assert settings.history_path() == settings.default_history_path()

    for raw, expected in (("900", 900), ("0", 0), ("-5", 3600), ("soon", 3600), ("inf", 3600)):
        monkeypatch.setenv(settings.ENV_HISTORY_INTERVAL, raw)
        assert settings.history_interval_seconds() == expected
    for raw, expected in (("30", 30), ("0", None), ("-1", 180), ("x", 180)):
        monkeypatch.setenv(settings.ENV_HISTORY_RETENTION_DAYS, raw)
        assert settings.history_retention_days() == expected


# --------------------------------------------------------------------------- command line


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A history file in tmp_path, no key, default interval and retention."""
    path = tmp_path / "history.sqlite3"
    monkeypatch.setenv(settings.ENV_HISTORY_PATH, str(path))
    for name in (
        settings.ENV_API_KEY,
        settings.ENV_HISTORY_INTERVAL,
        settings.ENV_HISTORY_RETENTION_DAYS,
    ):
        monkeypatch.delenv(name, raising=False)
    return path


def run_cli(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = cli.main(list(argv), stdout=out)
    return code, out.getvalue()


def test_cli_snapshot_and_diff_round_trip(
    cli_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = [campaign(1), campaign(2), campaign(3)]
    after = [campaign(4), campaign(1, status="PAUSED"), campaign(2, max_leads_per_day=75)]
    portfolios = iter([(before, CLIENTS), (after, CLIENTS)])
    seen_keys: list[str | None] = []

    def fake_fetch(args: Any, api_key: str | None) -> tuple[list, list]:
        seen_keys.append(api_key)
        return next(portfolios)

    monkeypatch.setattr(cli, "fetch_records", fake_fetch)
    monkeypatch.setenv(settings.ENV_API_KEY, KEY)

    assert run_cli("snapshot")[0] == cli.EXIT_OK
    code, out = run_cli("snapshot", "--format", "json")
    assert code == cli.EXIT_OK
    saved = json.loads(out)
    assert saved["saved"] is True
    assert saved["snapshot"]["campaign_count"] == 3
    assert saved["snapshot"]["source"] == "cli"
    assert seen_keys == [KEY, KEY]

    code, out = run_cli("diff")
    assert code == cli.EXIT_OK
    assert "4 change(s): 1 added, 1 removed, 1 status, 1 daily_limit" in out
    assert "ACTIVE" in out
    assert "PAUSED" in out

    code, out = run_cli("diff", "1", "2", "--format", "json")
    assert code == cli.EXIT_OK
    report = json.loads(out)
    assert report["before"]["id"] == 1
    assert report["after"]["id"] == 2
    assert report["summary"]["changes"] == 4
    assert {change["kind"] for change in report["changes"]} == {
        "added",
        "removed",
        "status",
        "daily_limit",
    }

    monkeypatch.delenv(settings.ENV_API_KEY)  # a cron job without the key: newest series
    code, out = run_cli("diff", "--format", "json")
    assert code == cli.EXIT_OK
    assert json.loads(out)["summary"]["changes"] == 4

    code, out = run_cli("snapshot", "--list")
    assert code == cli.EXIT_OK
    assert out.count("[cli]") == 2
    assert KEY.encode() not in store_bytes(cli_env)
    assert KEY not in out + capsys.readouterr().err


def test_cli_demo_snapshot_prunes_and_diff(cli_env: Path) -> None:
    store = SQLiteSnapshotStore(cli_env)
    old = datetime.now(UTC) - timedelta(days=400)
    for days in (0, 1):
        store.save([campaign(1)], account=history.DEMO_ACCOUNT, taken_at=old - timedelta(days))

    code, out = run_cli("snapshot", "--demo", "--demo-size", "40")
    assert code == cli.EXIT_OK
    assert "Saved snapshot #3" in out
    assert "Pruned 2 snapshot(s) older than 180 days" in out

    assert run_cli("snapshot", "--demo", "--demo-size", "40")[0] == cli.EXIT_OK
    code, out = run_cli("diff", "--demo")
    assert code == cli.EXIT_OK
    assert "0 change(s)" in out

    code, out = run_cli("snapshot", "--demo", "--demo-size", "40", "--if-due")
    assert code == cli.EXIT_OK
    assert out.startswith("Not saved to history")
    assert len(store.list()) == 2


def test_cli_history_exit_codes(
    cli_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli("diff")[0] == cli.EXIT_USAGE  # empty store
    assert "no snapshots" in capsys.readouterr().err

    run_cli("snapshot", "--demo", "--demo-size", "20")
    assert run_cli("diff", "--demo")[0] == cli.EXIT_USAGE  # only one
    assert "A diff needs two snapshots" in capsys.readouterr().err
    assert run_cli("diff", "1", "99")[0] == cli.EXIT_USAGE
    assert "no snapshot #99" in capsys.readouterr().err
    assert run_cli("diff", "1")[0] == cli.EXIT_USAGE

    monkeypatch.setenv(settings.ENV_HISTORY_PATH, "off")
    assert run_cli("snapshot", "--demo")[0] == cli.EXIT_HISTORY_UNAVAILABLE
    assert "History is turned off" in capsys.readouterr().err

    cli_env.write_bytes(os.urandom(8192))
    monkeypatch.setenv(settings.ENV_HISTORY_PATH, str(cli_env))
    assert run_cli("snapshot", "--demo")[0] == cli.EXIT_HISTORY_UNAVAILABLE
    assert run_cli("diff")[0] == cli.EXIT_HISTORY_UNAVAILABLE
    err = capsys.readouterr().err
    assert "is not a valid history database" in err
    assert "Traceback" not in err


def test_cli_snapshot_of_a_live_account_through_the_standin(
    cli_env: Path, monkeypatch: pytest.MonkeyPatch, standin: Any
) -> None:
    from tests.standin import TEST_KEY

    monkeypatch.setenv(settings.ENV_BASE_URL, standin.base_url)
    monkeypatch.setenv(settings.ENV_API_KEY, TEST_KEY)
    code, out = run_cli("snapshot", "--format", "json")
    assert code == cli.EXIT_OK
    saved = json.loads(out)["snapshot"]
    assert saved["campaign_count"] == 5
    store = SQLiteSnapshotStore(cli_env)
    assert saved["account"] == store.fingerprint(TEST_KEY)
    assert store.load(saved["id"]).clients  # client names kept for the diff
    assert TEST_KEY.encode() not in store_bytes(cli_env)


def test_campaigns_command_still_works_after_the_refactor(cli_env: Path) -> None:
    code, out = run_cli("campaigns", "--demo", "--demo-size", "30", "--format", "json")
    assert code == cli.EXIT_OK
    assert len(json.loads(out)) == 30


def test_python_dash_m_smartlead_snapshot_and_diff(cli_env: Path) -> None:
    env = {**os.environ, settings.ENV_HISTORY_PATH: str(cli_env)}
    for argv in (["snapshot", "--demo"], ["snapshot", "--demo"], ["diff", "--demo"]):
        result = subprocess.run(
            [sys.executable, "-m", "smartlead", *argv],
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr
    assert "0 change(s)" in result.stdout
    help_text = subprocess.run(
        [sys.executable, "-m", "smartlead", "--help"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert "7 history store unavailable" in " ".join(help_text.split())
