"""``ui.history``: what the Changes page gets to draw, or the problem in words, never a raise."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from smartlead import history, settings
from smartlead.connection import Connection
from smartlead.errors import SettingsError
from tests.history_builders import CLIENTS, KEY, campaign, set_payload
from ui import history as ui_history
from ui.data import choose_key


@pytest.fixture
def connection() -> Connection:
    return Connection.to(KEY)


def test_a_connection_reads_the_servers_store_under_its_fingerprint(
    connection: Connection,
) -> None:
    access = ui_history.history_access(connection)
    assert access.store is not None
    assert access.account == connection.fingerprint
    assert access.connection == connection
    assert not access.is_demo
    assert ui_history.history_access(Connection.to(KEY)).account == connection.fingerprint
    assert KEY not in repr(access)

    first = ui_history.save_now(connection, ([campaign(1)], CLIENTS))
    second = ui_history.save_now(connection, ([campaign(1, status="PAUSED")], CLIENTS))
    assert first.startswith("Saved snapshot #1 (1 campaign)")
    assert second.startswith("Saved snapshot #2")
    listed = ui_history.snapshots(access)
    assert listed.problem is None
    assert [info.id for info in listed.value] == [2, 1]

    compared = ui_history.compare(access, 1, 2)
    assert compared.problem is None
    comparison = compared.value
    assert comparison.summary["status"] == 1
    assert comparison.clients == ["Acme"]
    assert comparison.tags == ["Outbound"]
    assert list(comparison.filtered(kinds=["status"])["after"]) == ["PAUSED"]
    assert comparison.filtered(kinds=["added"]).empty
    assert list(comparison.filtered().columns) == list(history.DIFF_COLUMNS)

    over_time = ui_history.timeline(access)
    assert over_time.problem is None
    assert over_time.value["campaigns"].sum() == 2


def test_no_connection_is_the_demo_and_saves_nothing() -> None:
    access = ui_history.history_access(None)
    assert access.is_demo
    assert access.account == history.DEMO_ACCOUNT
    assert len(ui_history.snapshots(access).value) >= 2
    assert ui_history.save_now(None, ([campaign(1)], [])) == "Demo data is never saved to history."


def test_problems_are_words_with_what_to_do(
    connection: Connection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "history.sqlite3"
    ui_history.save_now(connection, ([campaign(1)], []))
    ui_history.save_now(connection, ([campaign(2)], []))
    access = ui_history.history_access(connection)
    set_payload(path, 2, b"garbage")
    damaged = ui_history.compare(access, 1, 2)
    assert damaged.value is None
    assert damaged.problem.startswith("These snapshots cannot be compared: Snapshot #2")
    assert "Whoever runs" not in damaged.problem  # nothing to do but read it (Remedy.NONE)

    path.write_bytes(os.urandom(8192))
    for answer, opening in (
        (ui_history.snapshots(access), "History is unavailable: "),
        (ui_history.timeline(access), "The timeline is unavailable: "),
    ):
        assert answer.value is None
        assert answer.problem.startswith(opening)
        assert "is not a valid history database" in answer.problem
        assert f"point {settings.ENV_HISTORY_PATH} at another file" in answer.problem
    assert ui_history.save_now(connection, ([campaign(3)], [])).startswith(
        "History is unavailable: "
    )

    monkeypatch.setenv(settings.ENV_HISTORY_PATH, "off")
    off = ui_history.history_access(connection)
    assert off.store is None
    assert "turned off" in off.problem
    assert ui_history.snapshots(off).problem == off.problem
    monkeypatch.setenv(settings.ENV_BASE_URL, "ftp://example.com")
    refused = choose_key(KEY)  # no connection, so no history either: the page says why
    assert refused.connection is None
    assert isinstance(refused.problem, SettingsError)
