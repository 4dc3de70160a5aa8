"""``python -m smartlead runway`` and ``campaigns --with-leads``: the refill order, per client,
the cost said first, and lead statistics kept between runs (new processes, one store)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest

from smartlead import cli
from smartlead.cli import runway as runway_cli
from smartlead.window import today_in
from tests.processes import run_smartlead
from tests.standin import TEST_KEY, Reply, StandinSmartlead

ANALYTICS = re.compile(r"^/campaigns/\d+/analytics$")


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = cli.main(list(argv), stdout=out)
    return code, out.getvalue()


def analytics_requests(standin: StandinSmartlead) -> int:
    return sum(1 for request in standin.requests if ANALYTICS.match(request.path))


@pytest.fixture
def live(standin: StandinSmartlead, monkeypatch: pytest.MonkeyPatch) -> StandinSmartlead:
    monkeypatch.setenv("SMARTLEAD_BASE_URL", standin.base_url)
    monkeypatch.setenv("SMARTLEAD_API_KEY", TEST_KEY)
    return standin


def test_the_demo_runway_is_in_refill_order_and_ends_with_the_campaigns_without_one(capsys):
    code, out = run("runway", "--demo", "--format", "json")
    assert code == cli.EXIT_OK
    rows = json.loads(out)
    assert rows
    dated = [row for row in rows if row["runway_date"] is not None]
    undated = rows[len(dated) :]
    assert all(row["runway_date"] is None for row in undated)
    assert [(r["runway_date"], r["runway_days"]) for r in dated] == sorted(
        (r["runway_date"], r["runway_days"]) for r in dated
    )
    assert all(row["runway_note"] for row in undated), "each says why it has no runway"
    assert dated[0]["runway_days"] == 0, "the demo has dry campaigns"
    assert dated[0]["runway_date"] >= (today_in("UTC") - timedelta(days=1)).isoformat()
    assert {"leads_not_started", "runway_basis", "schedule_timezone"} <= set(rows[0])


def test_days_keep_only_what_runs_dry_by_then_and_the_table_says_how_many(capsys):
    code, out = run("runway", "--demo", "--days", "3")
    assert code == cli.EXIT_OK
    lines = out.rstrip("\n").split("\n")
    assert lines[0].split() == list(runway_cli.TABLE_COLUMNS)
    last = today_in("UTC") + timedelta(days=3)
    days = [date.fromisoformat(line.split()[0]) for line in lines[2:-2]]
    assert days
    assert max(days) <= last
    assert lines[-1] == f"{len(days)} active campaign(s)."


def test_per_client_as_csv(capsys):
    code, out = run("runway", "--demo", "--by-client", "--format", "csv")
    assert code == cli.EXIT_OK
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    assert rows[0].keys() >= {"client_name", "earliest_dry_date", "leads_not_started"}
    firsts = [row["earliest_dry_date"] for row in rows if row["earliest_dry_date"]]
    assert firsts == sorted(firsts)


def test_campaigns_with_leads(capsys):
    code, out = run("campaigns", "--demo", "--demo-size", "60", "--with-leads", "--format", "csv")
    assert code == cli.EXIT_OK
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    assert len(rows) == 60
    assert {"leads_not_started", "runway_days", "runway_date", "leads_total"} <= set(rows[0])
    assert any(row["runway_date"] for row in rows)
    code, table = run("campaigns", "--demo", "--demo-size", "20", "--with-leads")
    header = table.split("\n")[0].split()
    assert header.index("leads_not_started") < header.index("runway_date") < header.index("tags")


def test_live_runs_say_the_cost_first_and_a_second_process_asks_nothing(
    standin: StandinSmartlead, tmp_path: Path
):
    env = {
        **os.environ,
        "SMARTLEAD_BASE_URL": standin.base_url,
        "SMARTLEAD_API_KEY": TEST_KEY,
        "SMARTLEAD_HISTORY_PATH": str(tmp_path / "history.sqlite3"),
    }

    def new_process() -> subprocess.CompletedProcess:
        return run_smartlead("runway", "--no-pace", "--format", "json", env=env, timeout=120)

    first = new_process()
    assert first.returncode == cli.EXIT_OK, first.stderr
    assert analytics_requests(standin) == 3, "the active and paused campaigns"
    assert "0 of 3 campaigns kept" in first.stderr
    assert "3 to fetch: 3 requests" in first.stderr
    assert {row["id"] for row in json.loads(first.stdout)} == {104, 105}, "active ones"

    second = new_process()
    assert second.returncode == cli.EXIT_OK, second.stderr
    assert analytics_requests(standin) == 3, "kept in the history store: nothing asked"
    assert "3 of 3 campaigns kept" in second.stderr
    assert "0 to fetch" in second.stderr
    assert json.loads(second.stdout) == json.loads(first.stdout)
    assert TEST_KEY not in first.stderr + second.stderr + first.stdout


def test_a_campaign_that_fails_is_noted_and_the_exit_code_says_so(live, capsys):
    live.always("/campaigns/105/analytics", Reply.server_error())
    code, out = run("runway", "--no-pace", "--format", "json")
    assert code == cli.EXIT_API_ERROR
    err = capsys.readouterr().err
    assert "campaign 105 are unknown" in err
    rows = {row["id"]: row for row in json.loads(out)}
    assert rows[105]["runway_note"] == "no lead statistics"
    assert rows[104]["leads_not_started"] is not None


def test_with_history_off_every_run_fetches_and_says_so(live, capsys, monkeypatch):
    monkeypatch.setenv("SMARTLEAD_HISTORY_PATH", "off")
    run("runway", "--no-pace")
    run("runway", "--no-pace")
    assert analytics_requests(live) == 6
    assert "History is off" in capsys.readouterr().err


def test_the_pace_window_costs_a_few_requests_and_is_said(live, capsys):
    code, _ = run("runway")
    assert code == cli.EXIT_OK
    assert "Pace: the last 30 days' figures, at most 1 request." in capsys.readouterr().err
    assert 0 < live.count("/analytics/campaign/overall-stats") <= 2
