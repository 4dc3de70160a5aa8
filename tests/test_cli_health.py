"""``python -m smartlead health`` (a container's health check) and the history commands on a
PostgreSQL store, as a team's replicas and cron jobs use them."""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
from pathlib import Path

import pytest

from smartlead import cli, settings
from smartlead.settings import DatabaseAddress
from tests.history_builders import CLIENTS, KEY, campaign
from tests.postgres import PG_PASSWORD, PG_PASSWORD_IN_URL, PG_USER
from tests.processes import run_smartlead
from tests.standin import StandinSmartlead


def run_cli(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = cli.main(list(argv), stdout=out)
    return code, out.getvalue()


def python_m_smartlead(*argv: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The command as a container's health check runs it: a process of its own."""
    return run_smartlead(*argv, env={**os.environ, **env})


def test_health_says_which_sqlite_file_answers() -> None:
    code, out = run_cli("health")
    path = Path(os.environ[settings.ENV_HISTORY_PATH])
    assert code == cli.EXIT_OK
    assert out.startswith(f"History store: SQLite at {path} answers (")
    assert path.exists(), "a first check creates the store, as the dashboard would"


def test_health_with_history_turned_off_has_nothing_to_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(settings.ENV_HISTORY_PATH, "off")
    assert run_cli("health") == (
        cli.EXIT_OK,
        "History is turned off (SMARTLEAD_HISTORY_PATH=off): there is no store to check.\n",
    )


def test_health_of_a_postgresql_store_names_it_without_the_password(postgres_url: str) -> None:
    finished = python_m_smartlead("health", env={settings.ENV_HISTORY_PATH: postgres_url})
    assert finished.returncode == cli.EXIT_OK, finished.stderr
    shown = DatabaseAddress(postgres_url).shown
    assert finished.stdout.startswith(f"History store: PostgreSQL at {shown} answers (")
    assert "shares the history, the per-campaign figures and one rate limit per key" in (
        finished.stdout
    )
    for text in (finished.stdout, finished.stderr):
        assert PG_PASSWORD not in text
        assert PG_PASSWORD_IN_URL not in text


def test_health_of_a_database_that_does_not_answer_exits_7_in_words() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"postgresql://{PG_USER}:{PG_PASSWORD_IN_URL}@127.0.0.1:{port}/history"
    finished = python_m_smartlead("health", env={settings.ENV_HISTORY_PATH: url})
    assert finished.returncode == cli.EXIT_HISTORY_UNAVAILABLE == 7
    assert finished.stdout == ""
    assert finished.stderr.startswith(
        f"error: The history database at postgresql://{PG_USER}@127.0.0.1:{port}/history does "
        "not answer: "
    )
    assert "Check that the PostgreSQL server named by SMARTLEAD_HISTORY_PATH is running" in (
        finished.stderr
    )
    assert "Traceback" not in finished.stderr
    assert PG_PASSWORD not in finished.stderr
    assert PG_PASSWORD_IN_URL not in finished.stderr


def test_a_snapshot_saved_by_one_process_is_diffed_by_another(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two replicas (here a cron job's process and this one) read one history."""
    server = StandinSmartlead(portfolios={KEY: [campaign(1), campaign(2)]}, clients={KEY: CLIENTS})
    env = {
        settings.ENV_HISTORY_PATH: postgres_url,
        settings.ENV_BASE_URL: "",
        settings.ENV_API_KEY: KEY,
    }
    with server:
        env[settings.ENV_BASE_URL] = server.base_url
        first = python_m_smartlead("snapshot", env=env)
        assert first.returncode == cli.EXIT_OK, first.stderr
        server.portfolios[KEY] = [campaign(1, status="PAUSED"), campaign(2)]
        second = python_m_smartlead("snapshot", "--if-due", env=env)
        assert second.returncode == cli.EXIT_OK, second.stderr
        assert second.stdout.startswith("Not saved to history: the last snapshot")
        third = python_m_smartlead("snapshot", env=env)
        assert third.returncode == cli.EXIT_OK, third.stderr
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    code, out = run_cli("diff", "--format", "json")
    assert code == cli.EXIT_OK
    changes = json.loads(out)["changes"]
    assert [(c["kind"], c["id"], c["before"], c["after"]) for c in changes] == [
        ("status", 1, "ACTIVE", "PAUSED")
    ]
    code, listed = run_cli("snapshot", "--list")
    assert code == cli.EXIT_OK
    assert len(listed.strip().splitlines()) == 2
    assert KEY not in listed
