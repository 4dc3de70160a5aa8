"""``python -m smartlead snapshot`` and ``diff``: the command line over the history store."""

from __future__ import annotations

import io
import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from smartlead import cli, history, settings
from smartlead.connection import Connection
from smartlead.history import SQLiteSnapshotStore
from tests.history_builders import (
    CLIENTS,
    KEY,
    campaign,
    store_bytes,
)
from tests.processes import run_smartlead
from tests.standin import StandinSmartlead


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
    server = StandinSmartlead(portfolios={KEY: before}, clients={KEY: CLIENTS}).start()
    monkeypatch.setenv(settings.ENV_BASE_URL, server.base_url)
    monkeypatch.setenv(settings.ENV_API_KEY, KEY)

    assert run_cli("snapshot")[0] == cli.EXIT_OK
    server.portfolios[KEY] = after
    code, out = run_cli("snapshot", "--format", "json")
    base_url = server.base_url
    server.stop()
    assert code == cli.EXIT_OK
    saved = json.loads(out)
    assert saved["saved"] is True
    assert saved["snapshot"]["campaign_count"] == 3
    assert saved["snapshot"]["source"] == "cli"
    assert saved["snapshot"]["account"] == Connection.to(KEY, base_url).fingerprint
    fetched = [entry for entry in server.requests if entry.path == "/campaigns/"]
    assert [entry.query["api_key"] for entry in fetched] == [KEY, KEY]

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
    err = capsys.readouterr().err
    assert "History is turned off" in err
    assert "Set SMARTLEAD_HISTORY_PATH to a file path" in err  # the remedy, in the CLI's words

    cli_env.write_bytes(os.urandom(8192))
    monkeypatch.setenv(settings.ENV_HISTORY_PATH, str(cli_env))
    assert run_cli("snapshot", "--demo")[0] == cli.EXIT_HISTORY_UNAVAILABLE
    assert run_cli("diff")[0] == cli.EXIT_HISTORY_UNAVAILABLE
    err = capsys.readouterr().err
    assert "is not a valid history database" in err
    assert "Move the file aside or fix its permissions" in err
    assert "Traceback" not in err


def test_cli_snapshot_with_a_malformed_address_says_so(
    cli_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(settings.ENV_API_KEY, KEY)
    monkeypatch.setenv(settings.ENV_BASE_URL, "ftp://example.com/api")
    assert run_cli("snapshot")[0] == cli.EXIT_SETTINGS
    err = capsys.readouterr().err
    assert "is not an http(s) address" in err
    assert "Traceback" not in err
    assert KEY not in err


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
    assert saved["account"] == Connection.to(TEST_KEY, standin.base_url).fingerprint
    assert saved["account"] == store.account_for(Connection.to(TEST_KEY))
    assert store.load(saved["id"]).clients  # client names kept for the diff
    assert TEST_KEY.encode() not in store_bytes(cli_env)


def test_campaigns_command_still_works_after_the_refactor(cli_env: Path) -> None:
    code, out = run_cli("campaigns", "--demo", "--demo-size", "30", "--format", "json")
    assert code == cli.EXIT_OK
    assert len(json.loads(out)) == 30


def test_python_dash_m_smartlead_snapshot_and_diff(cli_env: Path) -> None:
    env = {**os.environ, settings.ENV_HISTORY_PATH: str(cli_env)}
    for argv in (["snapshot", "--demo"], ["snapshot", "--demo"], ["diff", "--demo"]):
        result = run_smartlead(*argv, env=env)
        assert result.returncode == 0, result.stderr
    assert "0 change(s)" in result.stdout
    help_text = run_smartlead("--help", check=True).stdout
    assert "7 history store unavailable" in " ".join(help_text.split())


def test_cli_prints_snapshot_times_in_the_time_zone_asked(cli_env: Path) -> None:
    store = SQLiteSnapshotStore(cli_env)
    taken = datetime(2026, 11, 30, 20, 30, tzinfo=UTC)  # already 1 December in Tokyo
    for hours in (0, 1):
        store.save(
            [campaign(1)], account=history.DEMO_ACCOUNT, taken_at=taken + timedelta(hours=hours)
        )
    code, out = run_cli("snapshot", "--demo", "--list", "--timezone", "Asia/Tokyo")
    assert code == cli.EXIT_OK
    assert "2026-12-01 05:30:00 Asia/Tokyo" in out
    assert "UTC" not in out
    code, out = run_cli("snapshot", "--demo", "--list")
    assert "2026-11-30 20:30:00 UTC" in out, "UTC unless asked"
    code, out = run_cli("diff", "--demo", "--timezone", "America/New_York")
    assert code == cli.EXIT_OK
    assert "From #1  2026-11-30 15:30:00 America/New_York" in out
    assert "  to #2  2026-11-30 16:30:00 America/New_York" in out
    code, out = run_cli(
        "snapshot", "--demo", "--list", "--format", "json", "--timezone", "Asia/Tokyo"
    )
    listed = sorted(entry["taken_at"] for entry in json.loads(out))
    assert listed[0].startswith("2026-11-30T20:30:00"), "JSON stays in UTC"
    code, _ = run_cli("snapshot", "--demo", "--list", "--timezone", "Mars/Base")
    assert code == cli.EXIT_USAGE
