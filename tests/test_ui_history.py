"""``ui.history``: what the Changes page gets to draw, or the problem in words, never a raise."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from smartlead import history, settings
from smartlead.connection import Connection
from smartlead.errors import SettingsError
from smartlead.history import SnapshotInfo
from tests.builders import sample_campaigns, sample_clients
from tests.history_builders import CLIENTS, KEY, campaign, set_payload
from tests.standin import TEST_KEY, StandinSmartlead
from ui import data as ui_data
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


# --------------------------------------------------------------------------- the kept answers


def test_a_fetch_keeps_the_answers_as_sent_and_history_reads_them_back(
    standin: StandinSmartlead,
) -> None:
    connection = Connection.to(TEST_KEY, standin.base_url)
    result = ui_data.fetch_portfolio(connection, None)
    assert result.as_fetched() == (sample_campaigns(), sample_clients())
    message = ui_history.save_after_fetch(
        connection, result.fetched_at.isoformat(), result.as_fetched
    )
    assert message.startswith(f"Saved snapshot #1 ({len(sample_campaigns())} campaigns)")
    # A Refresh replaces the kept answers: the older result no longer holds any.
    ui_data.refresh(ui_data.KeyChoice(connection, "environment"))
    newer = ui_data.fetch_portfolio(connection, None)
    assert newer.as_fetched() == (sample_campaigns(), sample_clients())
    assert result.as_fetched() is None
    assert ui_data.kept_answers().held_bytes() == len(json.dumps(sample_campaigns()))


def test_with_history_off_a_fetch_keeps_nothing_for_history(
    standin: StandinSmartlead, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(settings.ENV_HISTORY_PATH, "off")
    result = ui_data.fetch_portfolio(Connection.to(TEST_KEY, standin.base_url), None)
    assert len(result.frame) == len(sample_campaigns())
    assert result.answer_key is None
    assert result.as_fetched() is None
    assert ui_data.kept_answers().held_bytes() == 0


def test_a_fetch_within_the_interval_reads_no_records_back(connection: Connection) -> None:
    ui_history.save_now(connection, ([campaign(1)], CLIENTS))
    asked: list[str] = []

    def as_fetched() -> tuple[list, list]:
        asked.append("records")
        return [campaign(1)], CLIENTS

    message = ui_history.save_after_fetch(connection, "2026-12-01T10:00:00+00:00", as_fetched)
    assert message.startswith("Not saved to history: the last snapshot of this portfolio (#1)")
    assert asked == []  # decoding 20,000 records for nothing is what a Refresh used to cost


def test_answers_no_longer_kept_are_said_and_nothing_is_saved(connection: Connection) -> None:
    message = ui_history.save_after_fetch(connection, "2026-12-01T11:00:00+00:00", lambda: None)
    assert message.startswith("Not saved: the answers of this fetch are no longer held")
    assert ui_history.save_now(connection, None).endswith("Press Refresh, then save.")
    assert ui_history.snapshots(ui_history.history_access(connection)).value == []


# --------------------------------------------------------------------------- the first visit


def _first_snapshot() -> SnapshotInfo:
    taken = datetime(2026, 12, 2, 5, 1, tzinfo=UTC)
    return SnapshotInfo(
        id=1, taken_at=taken, account="a", client_filter=None, source="auto", campaign_count=45
    )


def test_history_start_text_names_the_snapshot_and_the_next_one_in_the_viewers_zone():
    text = ui_history.history_start_text(_first_snapshot(), "Europe/Paris", 3600, auto_save=True)
    assert text.startswith(
        "History starts now: snapshot #1 of this account was taken "
        "2026-12-02 06:01 Europe/Paris (45 campaigns)."
    )
    assert "first fetch after 2026-12-02 07:01 Europe/Paris (one at most every 1 h)" in text
    assert "UTC" not in text


def test_history_start_text_without_an_interval_or_with_saving_off():
    first = _first_snapshot()
    assert ui_history.history_start_text(first, "UTC", 0, auto_save=True).endswith(
        "The next snapshot is saved with the next fetch."
    )
    assert "save one by hand" in ui_history.history_start_text(first, "UTC", 3600, auto_save=False)


def test_snapshot_labels_are_in_the_viewers_zone():
    assert ui_history.snapshot_label(_first_snapshot(), "Asia/Tokyo") == (
        "#1 · 2026-12-02 14:01 Asia/Tokyo · 45 campaigns"
    )
