"""The snapshot store contract: nothing lost, no key stored, clear failures, on both stores.

The contract tests run twice, on a real SQLite file in ``tmp_path`` and on a real PostgreSQL
server (a fresh database each; ``tests/postgres.py``), through the ``history_backend``
fixture: no in-memory database, no mocks of either driver. Concurrency is tested with real
threads and real processes, damage with real bytes written into the tables. The tests of
what only a file can suffer (locks, modes, a damaged file, stores of earlier versions) stay
SQLite-only.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import multiprocessing
import os
import shutil
import socket
import sqlite3
import stat
import tempfile
import threading
import time
import zlib
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from smartlead import database, history, settings
from smartlead.connection import FINGERPRINT_LENGTH, Connection
from smartlead.demo import demo_campaigns, demo_clients
from smartlead.errors import (
    AuthenticationError,
    HistoryUnavailableError,
)
from smartlead.frame import KNOWN_FIELDS
from smartlead.history import SnapshotStore, SQLiteSnapshotStore
from smartlead.history.postgres import PostgresSnapshotStore
from tests import strategies
from tests.builders import ODD_RECORDS
from tests.history_backends import Backend
from tests.history_builders import (
    KEY,
    T0,
    campaign,
    store_bytes,
)
from tests.postgres import PG_PASSWORD, PG_PASSWORD_IN_URL, PG_USER


@pytest.fixture
def store(history_store: SnapshotStore) -> SnapshotStore:
    """A fresh store, on SQLite and on PostgreSQL (see tests/history_backends.py)."""
    return history_store


# --------------------------------------------------------------------------- round trip


def test_save_and_load_keep_records_exactly_as_they_came(
    store: SnapshotStore, history_backend: Backend
) -> None:
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

    loaded = history_backend.open().load(info.id)  # a second object, as a replica
    assert loaded.records == records
    assert loaded.clients == demo_clients()
    assert loaded.info == info
    assert loaded.info.summary["campaigns"] == len(records)
    assert store.list() == [info]


def test_summary_matches_the_campaign_frame(store: SnapshotStore) -> None:
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
def test_any_json_records_round_trip(store: SnapshotStore, records: list[Any]) -> None:
    info = store.save(records, account="prop")
    assert store.load(info.id).records == records


# --------------------------------------------------------------------------- the key


def test_the_key_is_never_stored_only_its_fingerprint(history_backend: Backend) -> None:
    store = history_backend.open()
    connection = Connection.to(KEY)
    account = store.account_for(connection)
    assert account == connection.fingerprint
    assert len(account) == FINGERPRINT_LENGTH
    assert all(c in "0123456789abcdef" for c in account)
    store.save(demo_campaigns(50), account=account, clients=demo_clients())
    history.maybe_save(store, demo_campaigns(50), account=account, interval=0)

    store.save_figures(account, "analytics", {1: {"sent_count": 5}})
    assert_key_absent(history_backend.everything(), KEY)
    # the fingerprint is what names the account
    assert account.encode() in history_backend.everything()
    assert KEY not in repr(store)
    assert history_backend.execute("SELECT COUNT(*) FROM history_meta") == [(0,)], "no salt"


def assert_key_absent(data: bytes, key: str) -> None:
    """No form of ``key`` (nor an unkeyed hash of it) is in ``data``."""
    for form in (key, key.upper(), key.lower(), key[3:], key[:-3]):
        assert form.encode() not in data
        assert form.encode("utf-16-le") not in data
        assert form.encode("utf-16-be") not in data
    for digest in (hashlib.sha256, hashlib.sha1, hashlib.md5):
        assert digest(key.encode()).hexdigest()[:16].encode() not in data


def test_every_store_names_an_account_by_its_connection_fingerprint(
    tmp_path: Path, history_backend: Backend
) -> None:
    """One account name everywhere: replicas, other stores and the rest of the package agree."""
    first = history_backend.open()
    replica = history_backend.open()
    other = SQLiteSnapshotStore(tmp_path / "two.sqlite3")
    connection = Connection.to(KEY)
    assert (
        first.account_for(connection)
        == replica.account_for(connection)
        == other.account_for(connection)
        == first.account_for(Connection.to(f" {KEY} "))
        == connection.fingerprint
    )
    assert first.account_for(Connection.to(KEY + "x")) != connection.fingerprint
    elsewhere = Connection.to(KEY, "https://eu.example.com/api/v1")
    assert first.account_for(elsewhere) != connection.fingerprint
    assert not hasattr(first, "fingerprint"), "one account name: the connection's"
    with pytest.raises(AuthenticationError):  # no account name without a key
        Connection.to("  ")
    assert "fingerprint" not in dir(history.SnapshotStore)


# --------------------------------------------------------------------------- old stores

OTHER_KEY = "sk-LIVE-0b1d2e-another-account"


def legacy_name(key: str, salt: str) -> str:
    """How stores written before the connection's fingerprint named an account."""
    return hmac.new(salt.encode(), key.strip().encode(), hashlib.sha256).hexdigest()[:16]


def old_store(path: Path) -> tuple[str, dict[str, list[int]]]:
    """A store as earlier versions left it: a salt, and snapshots under salted key hashes.

    Returns the salt and the ids of the snapshots saved for ``KEY``, ``OTHER_KEY`` and the demo.
    """
    store = SQLiteSnapshotStore(path)
    salt = "9f" * 32
    store.list()  # creates the tables
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO history_meta (name, value) VALUES ('account_salt', ?)", (salt,))
    ids: dict[str, list[int]] = {}
    for name, account in (
        ("mine", legacy_name(KEY, salt)),
        ("other", legacy_name(OTHER_KEY, salt)),
        ("demo", history.DEMO_ACCOUNT),
    ):
        ids[name] = [
            store.save([campaign(n)], account=account, taken_at=T0 + timedelta(minutes=n)).id
            for n in (1, 2)
        ]
    return salt, ids


def test_an_old_store_continues_each_account_under_its_connection_fingerprint(
    tmp_path: Path,
) -> None:
    path = tmp_path / "history.sqlite3"
    salt, ids = old_store(path)
    mine, other = Connection.to(KEY), Connection.to(OTHER_KEY)
    store = SQLiteSnapshotStore(path)

    assert store.account_for(mine) == mine.fingerprint
    assert [info.id for info in store.list(mine.fingerprint)] == ids["mine"][::-1]
    assert store.list(legacy_name(KEY, salt)) == []
    assert store.load(ids["mine"][0]).records == [campaign(1)]  # data untouched
    # The other account's snapshots keep their old name until that account is seen again,
    # so the salt that finds them stays.
    assert [i.id for i in store.list(legacy_name(OTHER_KEY, salt))] == ids["other"][::-1]
    assert [i.id for i in store.list(history.DEMO_ACCOUNT)] == ids["demo"][::-1]
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT value FROM history_meta").fetchall() == [(salt,)]

    # The history continues: the interval rule sees the snapshot saved under the old name.
    later = history.maybe_save(
        store, [campaign(1)], account=store.account_for(mine), interval=3600, now=T0
    )
    assert not later.saved
    assert later.info is not None
    assert later.info.id == ids["mine"][1]

    assert SQLiteSnapshotStore(path).account_for(other) == other.fingerprint  # a replica
    assert [i.id for i in store.list(other.fingerprint)] == ids["other"][::-1]
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM history_meta").fetchone() == (0,), (
            "no old name is left, so the salt is gone"
        )
        accounts = {row[0] for row in db.execute("SELECT account FROM snapshots")}
    assert accounts == {mine.fingerprint, other.fingerprint, history.DEMO_ACCOUNT}
    assert store.account_for(mine) == mine.fingerprint  # and asking again changes nothing

    data = store_bytes(path)
    for key in (KEY, OTHER_KEY):
        assert_key_absent(data, key)


def test_an_old_store_is_relabelled_in_one_transaction(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    salt, ids = old_store(path)

    class FailingStore(SQLiteSnapshotStore):
        @staticmethod
        def _legacy_accounts_remain(db: sqlite3.Connection) -> bool:
            if db.in_transaction:  # after the rename, before the commit
                raise sqlite3.OperationalError("disk I/O error")
            return True

    with pytest.raises(HistoryUnavailableError, match="disk I/O error"):
        FailingStore(path).account_for(Connection.to(KEY))
    store = SQLiteSnapshotStore(path)
    assert [i.id for i in store.list(legacy_name(KEY, salt))] == ids["mine"][::-1]
    assert store.list(Connection.to(KEY).fingerprint) == []


def test_a_read_only_old_store_is_read_under_the_old_name(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    salt, ids = old_store(path)
    before = path.read_bytes()
    reader = SQLiteSnapshotStore(path, read_only=True)
    account = reader.account_for(Connection.to(KEY))
    assert account == legacy_name(KEY, salt)
    assert [info.id for info in reader.list(account)] == ids["mine"][::-1]
    assert path.read_bytes() == before
    assert reader.account_for(Connection.to("sk-new-account")) == (
        Connection.to("sk-new-account").fingerprint
    )


# --------------------------------------------------------------------------- saving rules


def test_retention_prunes_old_snapshots_but_keeps_each_series_newest(
    store: SnapshotStore, history_backend: Backend
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
    [(data_rows,)] = history_backend.execute("SELECT COUNT(*) FROM snapshot_data")
    assert data_rows == 3  # the data went with the snapshots
    assert store.prune() == 0
    with pytest.raises(ValueError, match="keep_count"):
        store.prune(keep_count=0)


def test_delete_removes_one_snapshot(store: SnapshotStore) -> None:
    first = store.save([campaign(1)], account="a")
    second = store.save([campaign(2)], account="a")
    assert store.delete(first.id)
    assert not store.delete(first.id)
    assert [info.id for info in store.list()] == [second.id]
    with pytest.raises(history.SnapshotNotFoundError, match=f"no snapshot #{first.id}"):
        store.load(first.id)


def _disk_error(kind: str) -> Exception:
    """The error each driver raises when the disk fails under it."""
    if kind == "sqlite":
        return sqlite3.OperationalError("disk I/O error")
    import psycopg.errors

    return psycopg.errors.IoError("disk I/O error")


def test_a_failure_inside_a_save_leaves_nothing_half_written(history_backend: Backend) -> None:
    error = _disk_error(history_backend.kind)

    class FailingStore(history_backend.store_class):  # type: ignore[name-defined,misc]
        def _insert_data(self, connection: Any, *args: Any) -> None:
            raise error

    kept = history_backend.open().save([campaign(1)], account="a")
    failing = FailingStore(history_backend.location)
    history_backend.opened.append(failing)
    with pytest.raises(HistoryUnavailableError, match="could not be used: disk I/O error"):
        failing.save([campaign(2)], account="a")
    store = history_backend.open()
    assert store.list() == [kept]
    assert history_backend.execute("SELECT COUNT(*) FROM snapshot_data") == [(1,)]


class _DyingSQLiteStore(SQLiteSnapshotStore):
    """Kills its own process between the two inserts of a save: a crash mid-transaction."""

    def _insert_data(self, connection: sqlite3.Connection, *args: Any) -> None:
        os._exit(17)


class _DyingPostgresStore(PostgresSnapshotStore):
    """The same crash, with a PostgreSQL transaction open on the server."""

    def _insert_data(self, connection: Any, *args: Any) -> None:
        os._exit(17)


def _save_and_die(kind: str, location: str) -> None:
    dying = _DyingSQLiteStore if kind == "sqlite" else _DyingPostgresStore
    dying(location).save(demo_campaigns(500), account="crash")


def _store_at(kind: str, location: str, **options: Any) -> Any:
    return (SQLiteSnapshotStore if kind == "sqlite" else PostgresSnapshotStore)(location, **options)


def _save_many(kind: str, location: str, worker: int, count: int, barrier: Any) -> None:
    store = _store_at(kind, location, timeout=30)
    records = demo_campaigns(1500, seed=worker)
    barrier.wait()
    for number in range(count):
        store.save(records, account=f"worker-{worker}", client_filter=number)


def test_a_process_killed_mid_save_leaves_the_store_whole(history_backend: Backend) -> None:
    kept = history_backend.open().save([campaign(1)], account="a")
    process = multiprocessing.get_context("spawn").Process(
        target=_save_and_die, args=(history_backend.kind, history_backend.location)
    )
    process.start()
    process.join(60)
    assert process.exitcode == 17

    store = history_backend.open()
    assert store.list() == [kept]
    if history_backend.kind == "sqlite":
        assert history_backend.execute("PRAGMA integrity_check") == [("ok",)]
    assert history_backend.execute("SELECT COUNT(*) FROM snapshot_data") == [(1,)]
    assert store.save([campaign(2)], account="a") is not None


def test_two_threads_saving_at_once_keep_both_snapshots_whole(store: SnapshotStore) -> None:
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


def test_two_processes_saving_at_once_keep_both_snapshots_whole(
    tmp_path: Path, history_backend: Backend
) -> None:
    """Two processes race on a store that does not exist yet: creation and saves."""
    location = history_backend.location
    if history_backend.kind == "sqlite":
        location = str(tmp_path / "fresh" / "history.sqlite3")
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    processes = [
        context.Process(
            target=_save_many, args=(history_backend.kind, location, worker, 3, barrier)
        )
        for worker in (1, 2)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(120)
    assert [process.exitcode for process in processes] == [0, 0]

    store = _store_at(history_backend.kind, location)
    history_backend.opened.append(store)
    infos = store.list()
    assert len(infos) == 6
    assert {info.account for info in infos} == {"worker-1", "worker-2"}
    for info in infos:
        worker = int(info.account.rsplit("-", 1)[1])
        assert store.load(info.id).records == demo_campaigns(1500, seed=worker)
    history_backend.location = location
    salts = history_backend.execute("SELECT COUNT(*) FROM history_meta")
    assert salts == [(0,)], "accounts are named by their connection: a new store needs no salt"


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
        assert connection.execute("SELECT MAX(version) FROM history_schema").fetchone() == (
            history.SCHEMA_VERSION,
        )


def test_a_store_deleted_while_in_use_is_created_again(tmp_path: Path) -> None:
    store = SQLiteSnapshotStore(tmp_path / "history.sqlite3", timeout=0.5)
    store.save([campaign(1)], account="a")
    old_account = store.account_for(Connection.to(KEY))
    store.path.unlink()
    assert store.list() == []
    store.save([campaign(1)], account="a")
    assert len(store.list()) == 1
    assert store.account_for(Connection.to(KEY)) == old_account == Connection.to(KEY).fingerprint


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
    connection = Connection.to(KEY)
    assert reader.account_for(connection) == writer.account_for(connection)
    assert reader.account_for(connection) == connection.fingerprint
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
        "account_for": lambda: len(store.account_for(Connection.to(KEY))),
        "save": lambda: store.save([campaign(2)], account="a"),
        "maybe_save": lambda: history.maybe_save(store, [campaign(2)], account="a", interval=0),
    }
    for name, action in actions.items():
        try:
            results[name] = ("ok", action())
        except HistoryUnavailableError as error:
            results[name] = ("error", str(error))
    queue.put(results)


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
    assert results["account_for"] == ("ok", FINGERPRINT_LENGTH)
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
        lambda: store.account_for(Connection.to(KEY)),
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


def test_a_store_from_a_newer_version_is_refused(
    store: SnapshotStore, history_backend: Backend
) -> None:
    store.save([campaign(1)], account="a")
    history_backend.execute("INSERT INTO history_schema VALUES (99, '2030-01-01')")
    with pytest.raises(HistoryUnavailableError, match="newer version"):
        history_backend.open().list()


def test_a_damaged_snapshot_is_reported_and_the_others_still_load(
    store: SnapshotStore, history_backend: Backend
) -> None:
    good = store.save([campaign(1)], account="a")
    broken = [store.save([campaign(n)], account="a") for n in (2, 3, 4, 5)]

    history_backend.set_payload(broken[0].id, b"\x00not zlib at all")
    history_backend.set_payload(broken[1].id, zlib.compress(b'{"campaigns": []}'))
    history_backend.execute("UPDATE snapshots SET campaign_count = 9 WHERE id = ?", (broken[2].id,))
    raw = b"[not json"
    history_backend.execute(
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


def _unusable_store(history_backend: Backend, tmp_path: Path) -> SnapshotStore:
    """A store that cannot be used: a damaged file, or a database server that is not there."""
    if history_backend.kind == "sqlite":
        path = tmp_path / "broken.sqlite3"
        path.write_bytes(b"SQLite format 3\x00" + os.urandom(4000))
        return SQLiteSnapshotStore(path)
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    store = PostgresSnapshotStore(
        f"postgresql://{PG_USER}:{PG_PASSWORD_IN_URL}@127.0.0.1:{port}/history", timeout=1
    )
    history_backend.opened.append(store)
    return store


def test_every_store_method_raises_only_history_unavailable(
    tmp_path: Path, history_backend: Backend
) -> None:
    store = _unusable_store(history_backend, tmp_path)
    assert isinstance(store, history.SnapshotStore)
    if history_backend.kind == "postgresql":
        # No older account names to look up in a PostgreSQL store: the name needs no server.
        assert store.account_for(Connection.to(KEY)) == Connection.to(KEY).fingerprint
    calls = [
        *(
            [lambda: store.account_for(Connection.to(KEY))]
            if history_backend.kind == "sqlite"
            else []
        ),
        lambda: store.save([], account="a"),
        lambda: store.list(),
        lambda: store.latest("a"),
        lambda: store.load(1),
        lambda: store.prune(keep_days=1),
        lambda: store.delete(1),
        lambda: history.maybe_save(store, [], account="a"),
        lambda: store.save_figures("a", "analytics", {1: {"sent_count": 1}}),
        lambda: store.load_figures("a", "analytics"),
    ]
    for call in calls:
        with pytest.raises(HistoryUnavailableError) as caught:
            call()
        assert PG_PASSWORD not in str(caught.value)


# --------------------------------------------------------------------------- one per interval


def _save_if_due(kind: str, location: str, barrier: Any, results: Any) -> None:
    store = _store_at(kind, location, timeout=30)
    records = demo_campaigns(800, seed=3)
    barrier.wait()
    outcome = history.maybe_save(store, records, account="same-account", interval=3600)
    results.put(outcome.saved)


def test_processes_snapshotting_one_account_at_once_save_one_snapshot(
    history_backend: Backend,
) -> None:
    """Replicas saving after the same fetch: the interval check and the insert are one
    transaction, serialised per account, so exactly one snapshot is kept."""
    history_backend.open().list()  # the tables exist: the race is on the save itself
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(4)
    results = context.Queue()
    processes = [
        context.Process(
            target=_save_if_due,
            args=(history_backend.kind, history_backend.location, barrier, results),
        )
        for _ in range(4)
    ]
    for process in processes:
        process.start()
    saved = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(60)
    assert [process.exitcode for process in processes] == [0, 0, 0, 0]
    assert sorted(saved) == [False, False, False, True]
    infos = history_backend.open().list()
    assert len(infos) == 1
    assert infos[0].campaign_count == 800


# --------------------------------------------------------------------------- schema versions


_SCHEMA_1 = {
    # What the SQLite store of schema 1 created (the version before per-campaign figures).
    "sqlite": (
        "CREATE TABLE history_schema (version INTEGER PRIMARY KEY, applied_at VARCHAR(32) "
        "NOT NULL)",
        "CREATE TABLE history_meta (name VARCHAR(64) PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE snapshots (id INTEGER PRIMARY KEY, taken_at VARCHAR(32) NOT NULL, "
        "account VARCHAR(64) NOT NULL, client_filter BIGINT, source VARCHAR(16) NOT NULL, "
        "campaign_count INTEGER NOT NULL, summary TEXT NOT NULL)",
        "CREATE INDEX snapshots_by_account_time ON snapshots (account, client_filter, taken_at)",
        "CREATE TABLE snapshot_data (snapshot_id INTEGER PRIMARY KEY REFERENCES snapshots (id), "
        "encoding VARCHAR(32) NOT NULL, raw_size BIGINT NOT NULL, checksum CHAR(64) NOT NULL, "
        "payload BLOB NOT NULL)",
    ),
    # The same four tables in PostgreSQL's types.
    "postgresql": (
        "CREATE TABLE history_schema (version INTEGER PRIMARY KEY, applied_at VARCHAR(32) "
        "NOT NULL)",
        "CREATE TABLE history_meta (name VARCHAR(64) PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE snapshots (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
        "taken_at VARCHAR(32) NOT NULL, account VARCHAR(64) NOT NULL, client_filter BIGINT, "
        "source VARCHAR(16) NOT NULL, campaign_count INTEGER NOT NULL, summary TEXT NOT NULL)",
        "CREATE INDEX snapshots_by_account_time ON snapshots (account, client_filter, taken_at)",
        "CREATE TABLE snapshot_data (snapshot_id BIGINT PRIMARY KEY REFERENCES snapshots (id), "
        "encoding VARCHAR(32) NOT NULL, raw_size BIGINT NOT NULL, checksum CHAR(64) NOT NULL, "
        "payload BYTEA NOT NULL)",
    ),
}


def test_a_store_of_an_older_schema_is_migrated_and_keeps_its_snapshots(
    history_backend: Backend,
) -> None:
    from smartlead.history.store import PAYLOAD_ENCODING, _encode_payload

    for statement in _SCHEMA_1[history_backend.kind]:
        history_backend.execute(statement)
    history_backend.execute("INSERT INTO history_schema VALUES (1, '2026-01-01T00:00:00Z')")
    records = demo_campaigns(40, seed=9)
    payload, checksum, raw_size = _encode_payload(records, demo_clients())
    summary = json.dumps(history.snapshot_summary(records, demo_clients()))
    history_backend.execute(
        "INSERT INTO snapshots (taken_at, account, client_filter, source, campaign_count, "
        "summary) VALUES (?, ?, ?, ?, ?, ?)",
        ("2026-11-20T09:00:00.000000Z", "acct", None, "auto", 40, summary),
    )
    [(snapshot_id,)] = history_backend.execute("SELECT MAX(id) FROM snapshots")
    history_backend.execute(
        "INSERT INTO snapshot_data (snapshot_id, encoding, raw_size, checksum, payload) "
        "VALUES (?, ?, ?, ?, ?)",
        (snapshot_id, PAYLOAD_ENCODING, raw_size, checksum, payload),
    )

    store = history_backend.open()
    assert store.load(snapshot_id).records == records  # reading migrates first
    versions = history_backend.execute("SELECT version FROM history_schema ORDER BY version")
    newest = history.SCHEMA_VERSION if history_backend.kind == "sqlite" else database.SCHEMA_VERSION
    assert [row[0] for row in versions] == list(range(1, newest + 1))
    assert "campaign_figures" in history_backend.tables()
    assert store.save_figures("acct", "analytics", {7: {"sent_count": 3}}) == 1
    assert store.load_figures("acct", "analytics")[7].figures == {"sent_count": 3}
    later = store.save([campaign(1)], account="acct", taken_at=T0 + timedelta(days=1))
    assert [info.id for info in store.list("acct")] == [later.id, snapshot_id]
    history_backend.open().list()  # a second replica finds it up to date: nothing applied twice
    assert len(history_backend.execute("SELECT version FROM history_schema")) == newest


# --------------------------------------------------------------------------- figures


def test_figures_round_trip_per_account_kind_and_campaign(store: SnapshotStore) -> None:
    fetched = T0 + timedelta(minutes=5, microseconds=123456)
    odd = {"name": "nul \x00 and \ud800 surrogate", "n": None, "big": 2**70, "list": [1, "x"]}
    figures = {101: {"sent_count": 10, "reply_count": None}, 102: odd}
    assert store.save_figures("acct", "analytics", figures, fetched_at=fetched) == 2
    store.save_figures("acct", "mailboxes", {101: {"count": 3}}, fetched_at=fetched)
    store.save_figures("other", "analytics", {101: {"sent_count": 99}}, fetched_at=fetched)

    kept = store.load_figures("acct", "analytics")
    assert set(kept) == {101, 102}
    assert kept[101] == history.StoredFigures(fetched_at=fetched, figures=figures[101])
    assert kept[102].figures == odd
    assert store.load_figures("acct", "mailboxes")[101].figures == {"count": 3}
    assert store.load_figures("other", "analytics")[101].figures == {"sent_count": 99}
    assert set(store.load_figures("acct", "analytics", campaign_ids=[102, 555])) == {102}
    assert store.load_figures("acct", "analytics", campaign_ids=[]) == {}
    assert store.load_figures("nobody", "analytics") == {}
    assert store.save_figures("acct", "analytics", {}) == 0


def test_newer_figures_replace_older_ones_never_the_reverse(
    store: SnapshotStore, history_backend: Backend
) -> None:
    replica = history_backend.open()
    store.save_figures("acct", "analytics", {1: {"v": "new"}}, fetched_at=T0 + timedelta(hours=1))
    replica.save_figures("acct", "analytics", {1: {"v": "old"}, 2: {"v": "only"}}, fetched_at=T0)
    kept = replica.load_figures("acct", "analytics")
    assert kept[1] == history.StoredFigures(T0 + timedelta(hours=1), {"v": "new"})
    assert kept[2].figures == {"v": "only"}
    store.save_figures(
        "acct", "analytics", {1: {"v": "newest"}}, fetched_at=T0 + timedelta(hours=2)
    )
    assert replica.load_figures("acct", "analytics")[1].figures == {"v": "newest"}


def test_figures_older_than_the_retention_are_pruned(store: SnapshotStore) -> None:
    store.save([campaign(1)], account="acct", taken_at=T0 - timedelta(days=400))
    store.save_figures("acct", "analytics", {1: {"v": 1}}, fetched_at=T0 - timedelta(days=200))
    store.save_figures("acct", "analytics", {2: {"v": 2}}, fetched_at=T0 - timedelta(days=10))
    store.prune(keep_count=5)  # a count says nothing about figures
    assert set(store.load_figures("acct", "analytics")) == {1, 2}
    store.prune(keep_days=180, now=T0)
    assert set(store.load_figures("acct", "analytics")) == {2}
    assert len(store.list()) == 1  # the newest snapshot of a series is kept whatever its age


@pytest.mark.parametrize(
    ("account", "kind", "figures", "problem"),
    [
        ("", "analytics", {1: {}}, "account"),
        ("acct", "", {1: {}}, "kind"),
        ("acct", "x" * 33, {1: {}}, "kind"),
        ("acct", "analytics", {"1": {}}, "campaign ids must be integers"),
        ("acct", "analytics", {True: {}}, "campaign ids must be integers"),
        ("acct", "analytics", {2**64: {}}, "outside the 64-bit range"),
        ("acct", "analytics", {1: [1, 2]}, "must be an object"),
    ],
)
def test_figures_that_cannot_be_kept_are_refused_before_writing(
    store: SnapshotStore, account: str, kind: str, figures: Any, problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        store.save_figures(account, kind, figures)
    assert store.load_figures("acct", "analytics") == {}


def _save_figures_then_report(
    kind: str, location: str, worker: int, barrier: Any, results: Any
) -> None:
    store = _store_at(kind, location, timeout=30)
    figures = {cid: {"worker": worker, "sent_count": cid * worker} for cid in range(1, 41)}
    barrier.wait()
    store.save_figures("acct", "analytics", figures, fetched_at=T0 + timedelta(seconds=worker))
    barrier.wait()  # both have saved: each now reads what the other kept
    results.put(
        (
            worker,
            {cid: kept.figures for cid, kept in store.load_figures("acct", "analytics").items()},
        )
    )


def test_figures_saved_by_one_process_are_read_by_another(history_backend: Backend) -> None:
    """Two replicas fetch the same campaigns' figures: both then read the newer set, so a
    third never refetches them."""
    history_backend.open().list()
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    results = context.Queue()
    processes = [
        context.Process(
            target=_save_figures_then_report,
            args=(history_backend.kind, history_backend.location, worker, barrier, results),
        )
        for worker in (1, 2)
    ]
    for process in processes:
        process.start()
    seen = dict(results.get(timeout=120) for _ in processes)
    for process in processes:
        process.join(60)
    assert [process.exitcode for process in processes] == [0, 0]
    newer = {cid: {"worker": 2, "sent_count": cid * 2} for cid in range(1, 41)}
    assert seen == {1: newer, 2: newer}
    assert {
        cid: kept.figures
        for cid, kept in history_backend.open().load_figures("acct", "analytics").items()
    } == newer


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
