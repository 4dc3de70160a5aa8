"""What only the PostgreSQL store has to get right: its address, its failures in words, a
server that stops and comes back, another program's tables, and a dashboard that keeps
working when the database stops mid-run. The shared contract is in test_history_store.py.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from smartlead import history, settings
from smartlead.connection import Connection
from smartlead.errors import HistoryUnavailableError, Remedy
from smartlead.history.postgres import PostgresSnapshotStore
from smartlead.settings import DatabaseAddress
from tests.apptest import CAMPAIGNS_PAGE, OVERVIEW_PAGE, all_text, caption_texts, live_app, metrics
from tests.apptest import shown as as_read
from tests.history_backends import Backend
from tests.history_builders import KEY, campaign
from tests.postgres import PG_PASSWORD, PG_PASSWORD_IN_URL, PG_USER, PostgresServer
from tests.standin import TEST_KEY, StandinSmartlead
from ui.page import PAGES

CHANGES_PAGE = PAGES["changes"].path


def assert_no_password(text: str) -> None:
    """No form of the canary password is in ``text``."""
    for form in (PG_PASSWORD, PG_PASSWORD_IN_URL, PG_PASSWORD.split("/")[0] + "%2F"):
        assert form not in text


# --------------------------------------------------------------------------- the address


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (
            f"postgresql://{PG_USER}:{PG_PASSWORD_IN_URL}@db.internal:5432/history",
            f"postgresql://{PG_USER}@db.internal:5432/history",
        ),
        (
            "postgres://team@db1:5432,db2:5433/history?password=s3cr3t&sslmode=require",
            "postgres://team@db1:5432,db2:5433/history?sslmode=require",
        ),
        ("postgresql:///history", "postgresql:///history"),
        ("POSTGRESQL://:only-a-password@host/db", "POSTGRESQL://host/db"),
    ],
)
def test_a_database_address_is_shown_without_its_password(
    monkeypatch: pytest.MonkeyPatch, raw: str, shown: str
) -> None:
    monkeypatch.setenv(settings.ENV_HISTORY_PATH, f"  {raw} ")
    location = settings.history_location()
    assert isinstance(location, DatabaseAddress)
    assert location.url == raw
    assert location.shown == shown
    assert str(location) == shown
    assert repr(location) == f"DatabaseAddress({shown!r})"
    assert settings.history_path() is None, "no SQLite file when a database is named"
    assert settings.history_enabled()
    store = history.open_store()
    assert isinstance(store, PostgresSnapshotStore)
    assert repr(store) == f"PostgresSnapshotStore({shown!r})"
    assert (store.kind, store.location) == ("PostgreSQL", shown)
    for secret in location.passwords:
        for text in (shown, repr(store), repr(store.database)):
            assert secret not in text
        assert location.redact(f"it said {secret} twice: {secret}") == "it said *** twice: ***"


def test_file_paths_and_off_are_read_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    for raw in ("/var/lib/history.sqlite3", "postgresql.sqlite3", "mysql://not-ours"):
        monkeypatch.setenv(settings.ENV_HISTORY_PATH, raw)
        assert isinstance(settings.history_location(), Path)
        assert settings.history_path() == Path(raw)
    monkeypatch.setenv(settings.ENV_HISTORY_PATH, "off")
    assert settings.history_location() is None
    assert not settings.history_enabled()


def test_sqlite_users_never_load_the_postgresql_driver(tmp_path: Path) -> None:
    """History, figures, the rate limiter and the CLI on SQLite import no psycopg."""
    code = f"""
import sys
from smartlead import cli, history, ratelimit
from smartlead.connection import Connection
store = history.open_store({str(tmp_path / "h.sqlite3")!r})
history.maybe_save(store, [{{"id": 1}}], account="a", interval=0)
store.save_figures("a", "analytics", {{1: {{"sent_count": 1}}}})
ratelimit.limiter_for(Connection.to("key", "http://127.0.0.1:9/api/v1")).acquire()
assert cli.main(["health"]) == 0
loaded = sorted(name for name in sys.modules if name.split(".")[0] in ("psycopg", "psycopg_pool"))
assert not loaded, loaded
"""
    finished = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[1],
        env={**os.environ, settings.ENV_HISTORY_PATH: str(tmp_path / "h.sqlite3")},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr


# --------------------------------------------------------------------------- failures


def test_each_kind_of_failure_is_a_sentence_without_the_password(
    postgres_server: PostgresServer, postgres_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    port = postgres_server.port
    database = postgres_url.rsplit("/", 1)[1]
    cases = [
        (
            postgres_url.replace(PG_PASSWORD_IN_URL, "wrong-password"),
            f"The history database at postgresql://{PG_USER}@127.0.0.1:{port}/{database} "
            "refused the login",
            Remedy.CHECK_DATABASE,
        ),
        (
            postgres_server.url("no_such_database"),
            "does not exist on that server",
            Remedy.CHECK_DATABASE,
        ),
        (
            postgres_url.replace(f":{port}/", ":1/"),
            f"The history database at postgresql://{PG_USER}@127.0.0.1:1/{database} does not "
            "answer",
            Remedy.CHECK_DATABASE,
        ),
        (
            f"postgresql://{PG_USER}:{PG_PASSWORD_IN_URL}@127.0.0.1:{port}/db?nonsense=1",
            "cannot be used as a PostgreSQL address",
            Remedy.FIX_SETTING,
        ),
    ]
    for url, opening, remedy in cases:
        store = PostgresSnapshotStore(url, timeout=1)
        try:
            started = time.monotonic()
            with pytest.raises(HistoryUnavailableError) as caught:
                store.save([campaign(1)], account="a")
            assert time.monotonic() - started < 8
            assert opening in str(caught.value)
            assert caught.value.remedy is remedy
            assert caught.value.path == DatabaseAddress(url).shown
            assert caught.value.__cause__ is None
            assert caught.value.__context__ is None
            assert_no_password(str(caught.value))
            assert_no_password(repr(caught.value))
        finally:
            store.close()
    assert_no_password(caplog.text)


def test_a_server_that_stops_is_reported_at_once_and_used_again_when_back(
    postgres_server: PostgresServer, postgres_url: str
) -> None:
    store = PostgresSnapshotStore(postgres_url, timeout=2)
    store.database.retry_after = 1.0
    try:
        first = store.save([campaign(1)], account="a")
        postgres_server.stop()
        with pytest.raises(HistoryUnavailableError, match="does not answer") as caught:
            store.list()
        assert caught.value.remedy is Remedy.CHECK_DATABASE
        started = time.monotonic()
        with pytest.raises(HistoryUnavailableError, match="does not answer"):
            store.load(first.id)
        assert time.monotonic() - started < 0.5, "the outage is remembered: no second wait"

        postgres_server.start()
        time.sleep(1.1)
        assert store.list() == [first]
        assert store.save([campaign(2)], account="a") is not None
    finally:
        store.close()


def test_another_programs_tables_are_refused_untouched(postgres_url: str) -> None:
    backend = Backend("postgresql", postgres_url)
    backend.execute("CREATE TABLE snapshots (invoice INTEGER)")
    backend.execute("INSERT INTO snapshots VALUES (7)")
    store = backend.open()
    with pytest.raises(HistoryUnavailableError, match="already holds tables named snapshots"):
        store.list()
    assert backend.tables() == ["snapshots"]
    assert backend.execute("SELECT invoice FROM snapshots") == [(7,)]
    backend.close()


def test_every_table_is_free_of_keys_and_passwords_after_real_use(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """History, figures and the shared rate limit, as the dashboard leaves them."""
    from smartlead.client import SmartleadClient

    monkeypatch.setenv(settings.ENV_HISTORY_PATH, postgres_url)
    connection = Connection.to(KEY, "http://127.0.0.1:9/api/v1")
    store = history.open_store()
    assert store is not None
    try:
        account = store.account_for(connection)
        history.maybe_save(store, [campaign(1), campaign(2)], account=account, interval=0)
        store.save_figures(account, "analytics", {1: {"sent_count": 3}})
        client = SmartleadClient(connection, retries=0, deadline=1)
        client.limiter.acquire()
        client.limiter.pause(0.01)
        client.limiter.observe(60, 59, 60.0, sent_at=client.limiter.now())
        client.close()
    finally:
        store.close()
    backend = Backend("postgresql", postgres_url)
    assert {"snapshots", "snapshot_data", "campaign_figures", "rate_grants", "rate_state"} <= set(
        backend.tables()
    )
    everything = backend.everything()
    for secret in (KEY, PG_PASSWORD, PG_PASSWORD_IN_URL):
        assert secret.encode() not in everything
    assert account.encode() in everything


# --------------------------------------------------------------------------- the dashboard


def test_the_database_stopped_mid_run_leaves_the_dashboard_working(
    standin: StandinSmartlead,
    postgres_server: PostgresServer,
    postgres_url: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv(settings.ENV_HISTORY_PATH, postgres_url)
    caplog.set_level(logging.WARNING)
    at = live_app(standin)
    assert "History: Saved snapshot #1 (5 campaigns) to history." in caption_texts(at)
    at.switch_page(CHANGES_PAGE).run()
    assert any(
        i.value.startswith("History starts now: snapshot #1 of this account was taken")
        for i in at.info
    )

    postgres_server.stop()
    at.switch_page(OVERVIEW_PAGE).run()
    next(b for b in at.button if b.label == "Refresh").click().run()
    assert not at.exception
    assert metrics(at)["Campaigns shown"] == "5"
    shown = DatabaseAddress(postgres_url).shown
    notes = [text for text in caption_texts(at) if text.startswith("History:")]
    assert len(notes) == 1
    assert notes[0].startswith(
        f"History: History is unavailable: The history database at {shown} does not answer"
    )
    assert "can check that the PostgreSQL server named by SMARTLEAD_HISTORY_PATH" in notes[0]

    at.switch_page(CAMPAIGNS_PAGE).run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 5
    at.switch_page(CHANGES_PAGE).run()
    assert not at.exception
    warning = as_read(at.warning[0].value)
    assert warning.startswith(f"History is unavailable: The history database at {shown} does not")

    at.switch_page(OVERVIEW_PAGE).run()
    at.toggle(key="metrics").set_value(True).run()  # five more requests through the limiter
    assert not at.exception
    assert metrics(at)["Reply rate"].endswith("%")
    fallbacks = [r.getMessage() for r in caplog.records if r.name == "smartlead.ratelimit"]
    assert len(fallbacks) == 1, "the limiter says once that it paces alone"
    account = Connection.to(TEST_KEY, standin.base_url).fingerprint
    assert f"this server paces account {account}'s requests alone" in fallbacks[0]
    assert f"The history database at {shown} does not answer" in fallbacks[0]
    assert_no_password(all_text(at))
    assert_no_password(caplog.text)
