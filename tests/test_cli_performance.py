"""``python -m smartlead performance``: the window's figures per campaign or per day, the same
numbers the dashboard shows, bad windows refused in words, and the 404 fallback."""

from __future__ import annotations

import io
import json
import sys
from datetime import date, timedelta

import pandas as pd
import pytest

from smartlead import cli, demo
from smartlead.frame import campaigns_frame
from smartlead.window import Window, today_in, with_window
from smartlead.window_fetch import demo_window_fetch
from tests.standin import CANARY_KEY, TEST_KEY, StandinSmartlead

TODAY = today_in("UTC")
LAST_30 = Window(TODAY - timedelta(days=29), TODAY)


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = cli.main(list(argv), stdout=out)
    return code, out.getvalue()


@pytest.fixture(autouse=True)
def no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    monkeypatch.setenv("SMARTLEAD_RATE_LIMIT", "1000/1")


@pytest.fixture
def live(monkeypatch: pytest.MonkeyPatch):
    records = demo.demo_campaigns(60, seed=7)
    server = StandinSmartlead(
        portfolios={TEST_KEY: records, CANARY_KEY: records},
        clients={TEST_KEY: demo.demo_clients(), CANARY_KEY: demo.demo_clients()},
    )
    with server:
        monkeypatch.setenv("SMARTLEAD_BASE_URL", server.base_url)
        monkeypatch.setenv("SMARTLEAD_API_KEY", TEST_KEY)
        yield server, records


def expected(records: list, window: Window, **options) -> pd.DataFrame:
    frame = campaigns_frame(records, demo.demo_clients())
    return with_window(frame, demo_window_fetch(records, window, TODAY).metrics())


def test_demo_figures_per_campaign_are_the_dashboards(capsys: pytest.CaptureFixture[str]):
    code, out = run(
        "performance",
        "--demo",
        "--demo-size",
        "80",
        "--start",
        LAST_30.start.isoformat(),
        "--end",
        TODAY.isoformat(),
        "--format",
        "json",
    )
    assert code == cli.EXIT_OK
    rows = json.loads(out)
    want = expected(demo.demo_campaigns(80, seed=7), LAST_30)
    assert [row["id"] for row in rows] == want["id"].tolist()
    assert [row["window_sent"] for row in rows] == want["window_sent"].tolist()
    assert [row["window_reply_rate"] for row in rows] == [
        None if pd.isna(v) else pytest.approx(v) for v in want["window_reply_rate"]
    ]
    assert "80 campaign(s), demo figures." in capsys.readouterr().err


def test_last_is_a_shorthand_and_the_table_shows_rates_in_percent():
    code, out = run("performance", "--demo", "--demo-size", "40", "--last", "7d")
    assert code == cli.EXIT_OK
    lines = out.rstrip("\n").split("\n")
    assert lines[0].split()[:4] == ["id", "name", "client_name", "window_sent"]
    last = Window(TODAY - timedelta(days=6), TODAY)
    assert lines[-1] == f"40 campaign(s), {last.label()} (days in UTC)."
    assert any("%" in line for line in lines[2:-2])


def test_daily_gives_one_row_per_day():
    code, out = run(
        "performance", "--demo", "--last", "14d", "--daily", "--format", "csv", "--demo-size", "50"
    )
    assert code == cli.EXIT_OK
    days = pd.read_csv(io.StringIO(out))
    window = Window(TODAY - timedelta(days=13), TODAY)
    assert days["date"].tolist() == [day.isoformat() for day in window.dates()]
    history = demo.demo_daily_history(
        demo.demo_campaigns(50, seed=7), window.start, window.end, today=TODAY
    )
    assert days["sent"].sum() == history["sent"].sum()


def test_live_figures_are_the_ones_the_demo_computes_for_the_same_portfolio(live, capsys):
    server, records = live
    code, out = run("performance", "--last", "90d", "--format", "json")
    assert code == cli.EXIT_OK
    rows = json.loads(out)
    want = expected(records, Window(TODAY - timedelta(days=89), TODAY))
    assert [row["window_sent"] for row in rows] == want["window_sent"].tolist()
    assert [row["window_positive_replied"] for row in rows] == [
        None if pd.isna(v) else v for v in want["window_positive_replied"]
    ]
    asked = server.count("/analytics/")
    assert asked == 3, "three 30-day pieces, one page each, no days"
    assert f"{asked} request(s) to SmartLead" in capsys.readouterr().err


def test_a_client_id_narrows_the_portfolio_and_the_window(live):
    server, _ = live
    code, out = run("performance", "--client-id", "41002", "--format", "json")
    assert code == cli.EXIT_OK
    rows = json.loads(out)
    assert rows
    assert {row["client_name"] for row in rows} == {"Acme Robotics"}
    asked = {r.query.get("client_ids") for r in server.requests if r.path.startswith("/analytics")}
    assert asked == {"41002"}


def test_an_account_without_window_analytics_falls_back_and_says_what_it_costs(live, capsys):
    server, records = live
    server.analytics.missing = True
    code, out = run("performance", "--last", "30d", "--format", "json")
    assert code == cli.EXIT_OK
    err = capsys.readouterr().err
    assert "Falling back to one request per campaign" in err
    assert f"{len(records)} requests" in err
    rows = json.loads(out)
    want = expected(records, LAST_30)
    assert [row["window_sent"] for row in rows] == want["window_sent"].tolist()
    assert server.count("/campaigns/") >= len(records)


def test_daily_without_window_analytics_is_an_api_error_in_words(live, capsys):
    server, _ = live
    server.analytics.missing = True
    code, _ = run("performance", "--daily")
    assert code == cli.EXIT_API_ERROR
    assert "does not offer these analytics" in capsys.readouterr().err


def test_a_page_that_keeps_failing_is_reported_and_the_rest_written(live, capsys):
    server, _ = live
    server.analytics.failing_offsets = {0}
    code, out = run("performance", "--last", "7d", "--format", "json")
    assert code == cli.EXIT_API_ERROR
    rows = json.loads(out)
    assert all(row["window_sent"] is None for row in rows), "unknown, not 0"
    err = capsys.readouterr().err
    assert "Warning: Campaign figures (rows 1–200" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (("--start", "2026-11-30", "--end", "2026-11-01"), "before it starts"),
        (("--start", (TODAY + timedelta(days=3)).isoformat()), "after today"),
        (("--start", (TODAY - timedelta(days=500)).isoformat()), "the longest supported"),
        (("--last", "thirty"), "not a length of time"),
        (("--last", "7d", "--start", "2026-11-01"), "not both"),
        (("--end", "2026-11-01"), "--end needs --start"),
        (("--start", "2026-13-45"), "is not a date"),
        (("--last", "7d", "--timezone", "Mars/Olympus"), "not a time zone"),
    ],
)
def test_a_window_that_cannot_be_asked_for_is_a_usage_error(argv, words, capsys):
    code, out = run("performance", "--demo", *argv)
    assert code == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert words in err
    assert "Traceback" not in err
    assert out == ""


def test_the_key_never_reaches_the_output(live, monkeypatch, capsys):
    server, _ = live
    monkeypatch.setenv("SMARTLEAD_API_KEY", CANARY_KEY)
    server.analytics.failing_offsets = {0}
    code, out = run("performance", "--last", "7d")
    err = capsys.readouterr().err
    assert code == cli.EXIT_API_ERROR
    assert CANARY_KEY not in out + err


def test_the_command_is_listed():
    assert cli.performance in cli.COMMANDS
    assert date.today() >= TODAY
