"""The command line: ``campaigns`` and ``schema``, exit codes, and where the API key comes from."""

from __future__ import annotations

import argparse
import getpass
import inspect
import io
import json
import os
import sys
from pathlib import Path

import pandas as pd
import pytest

from smartlead import cli
from smartlead.demo import demo_campaigns
from smartlead.export import neutralise_formula
from smartlead.frame import COLUMNS, SCHEMA
from tests.processes import run_smartlead
from tests.standin import CANARY_KEY, TEST_KEY, Reply, StandinSmartlead, sample_campaigns

PROJECT = Path(__file__).resolve().parents[1]
UNREACHABLE = "http://127.0.0.1:9/api/v1"
SAMPLE_IDS = [record["id"] for record in sample_campaigns()]


def run(*argv: str) -> tuple[int, str]:
    """``main`` in this process: exit code and what it wrote to standard output."""
    out = io.StringIO()
    code = cli.main(list(argv), stdout=out)
    return code, out.getvalue()


@pytest.fixture
def no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Standard input is not a terminal (a cron job, a pipe): nobody can be asked for a key."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))


@pytest.fixture
def live(standin: StandinSmartlead, monkeypatch: pytest.MonkeyPatch) -> StandinSmartlead:
    """The stand-in as the API, with its key in the environment."""
    monkeypatch.setenv("SMARTLEAD_BASE_URL", standin.base_url)
    monkeypatch.setenv("SMARTLEAD_API_KEY", TEST_KEY)
    return standin


# --------------------------------------------------------------------------- demo, table


def test_demo_table(no_terminal: None, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run("campaigns", "--demo", "--demo-size", "40")
    assert code == cli.EXIT_OK
    lines = out.rstrip("\n").split("\n")
    assert lines[0].split() == list(cli.TABLE_COLUMNS)
    assert set(lines[1].replace(" ", "")) == {"-"}
    assert lines[-1] == "40 campaign(s)."
    assert lines[-2] == ""
    body = lines[2:-2]
    assert len(body) == 40
    expected_ids = [str(r["id"]) for r in demo_campaigns(40, seed=7)]
    assert [line.split()[0] for line in body] == expected_ids
    assert capsys.readouterr().err == ""


def test_awkward_names_in_the_table_are_plain_text(live: StandinSmartlead) -> None:
    live.portfolios[TEST_KEY] = demo_campaigns(60, seed=7, awkward_names=True)
    _, out = run("campaigns")
    # awkward names (HTML, formulas, 190 characters) arrive as cut, single-line text
    assert "<img src=x onerror=alert(1)>" in out
    assert all(len(line) < 300 for line in out.split("\n"))
    assert "…" in out


def test_empty_demo_portfolio(no_terminal: None) -> None:
    code, out = run("campaigns", "--demo", "--demo-size", "0")
    assert code == cli.EXIT_OK
    assert out.rstrip("\n").split("\n")[-1] == "0 campaign(s)."


def test_the_real_entry_point(tmp_path: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("SMARTLEAD_API_KEY", "SMARTLEAD_BASE_URL")
    }
    env["PYTHONPATH"] = str(PROJECT)
    done = run_smartlead("campaigns", "--demo", "--demo-size", "25", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip("\n").endswith("25 campaign(s).")
    assert done.stdout.split("\n")[0].split() == list(cli.TABLE_COLUMNS)
    # and without a key, with nobody at a terminal: a usage error naming the variable
    done = run_smartlead("campaigns", cwd=tmp_path, env=env)
    assert done.returncode == cli.EXIT_USAGE
    assert "SMARTLEAD_API_KEY" in done.stderr
    assert "Traceback" not in done.stderr


# --------------------------------------------------------------------------- CSV and JSON


def test_demo_csv_to_stdout(no_terminal: None) -> None:
    code, out = run("campaigns", "--demo", "--demo-size", "40", "--format", "csv")
    assert code == cli.EXIT_OK
    assert not out.startswith("\ufeff")  # no byte-order mark in a terminal or a pipe
    back = pd.read_csv(io.StringIO(out), dtype=str, keep_default_na=False)
    records = demo_campaigns(40, seed=7)
    assert list(back.columns) == list(COLUMNS)
    assert [int(i) for i in back["id"]] == [r["id"] for r in records]
    assert back["name"].tolist() == [neutralise_formula(r["name"]) for r in records]


def test_formula_names_arrive_neutralised_in_the_csv(live: StandinSmartlead) -> None:
    records = demo_campaigns(40, seed=7, awkward_names=True)
    live.portfolios[TEST_KEY] = records
    code, out = run("campaigns", "--format", "csv")
    assert code == cli.EXIT_OK
    back = pd.read_csv(io.StringIO(out), dtype=str, keep_default_na=False)
    assert back["name"].tolist() == [neutralise_formula(r["name"]) for r in records]
    assert '\'=HYPERLINK("http://example.invalid/","Click me")' in back["name"].tolist()
    assert "'@SUM(1+1)*cmd|' /C calc'!A0" in back["name"].tolist()


def test_demo_csv_to_a_file(
    no_terminal: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "portfolio.csv"
    code, out = run(
        "campaigns", "--demo", "--demo-size", "30", "--format", "csv", "-o", str(target)
    )
    assert code == cli.EXIT_OK
    assert out == ""
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # so Excel reads accents right
    back = pd.read_csv(target, encoding="utf-8-sig")
    assert back["id"].tolist() == [r["id"] for r in demo_campaigns(30, seed=7)]
    assert f"Wrote 30 campaign(s) to {target}." in capsys.readouterr().err


def test_demo_json_to_stdout(no_terminal: None) -> None:
    code, out = run("campaigns", "--demo", "--demo-size", "40", "--format", "json")
    assert code == cli.EXIT_OK
    rows = json.loads(out)
    records = demo_campaigns(40, seed=7)
    assert [row["id"] for row in rows] == [r["id"] for r in records]
    # JSON keeps names as they are (no apostrophes)
    assert [row["name"] for row in rows] == [r["name"] for r in records]
    assert all(set(row) == set(COLUMNS) for row in rows)


def test_demo_json_to_a_file(no_terminal: None, tmp_path: Path) -> None:
    target = tmp_path / "portfolio.json"
    code, out = run(
        "campaigns", "--demo", "--demo-size", "20", "--format", "json", "--output", str(target)
    )
    assert code == cli.EXIT_OK
    assert out == ""
    rows = json.loads(target.read_text(encoding="utf-8"))
    assert len(rows) == 20


def test_table_to_a_file(no_terminal: None, tmp_path: Path) -> None:
    target = tmp_path / "portfolio.txt"
    code, _ = run("campaigns", "--demo", "--demo-size", "10", "-o", str(target))
    assert code == cli.EXIT_OK
    assert target.read_text(encoding="utf-8").rstrip("\n").endswith("10 campaign(s).")


def test_dash_output_means_stdout(no_terminal: None) -> None:
    code, out = run("campaigns", "--demo", "--demo-size", "5", "--format", "json", "-o", "-")
    assert code == cli.EXIT_OK
    assert len(json.loads(out)) == 5


def test_unwritable_output_is_exit_6(
    no_terminal: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "no such folder" / "portfolio.csv"
    code, _ = run("campaigns", "--demo", "--demo-size", "5", "--format", "csv", "-o", str(target))
    assert code == cli.EXIT_WRITE_FAILED
    err = capsys.readouterr().err
    assert "could not write" in err
    assert "Traceback" not in err


def test_demo_client_filter(no_terminal: None) -> None:
    code, out = run(
        "campaigns", "--demo", "--demo-size", "120", "--client-id", "41002", "--format", "json"
    )
    assert code == cli.EXIT_OK
    rows = json.loads(out)
    expected = [r["id"] for r in demo_campaigns(120, seed=7) if r["client_id"] == 41002]
    assert expected
    assert [row["id"] for row in rows] == expected
    assert {row["client_name"] for row in rows} == {"Acme Robotics"}


# --------------------------------------------------------------------------- live


def test_live_fetch_with_the_key_from_the_environment(
    live: StandinSmartlead, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run("campaigns", "--format", "json")
    assert code == cli.EXIT_OK
    rows = json.loads(out)
    assert [row["id"] for row in rows] == SAMPLE_IDS == [105, 104, 103, 102, 101]
    assert rows[0]["client_name"] == "Acme Corp"
    assert rows[0]["tags"] == ["Outbound", "Founders"]
    assert live.count("/campaigns") == 1
    assert TEST_KEY not in out + capsys.readouterr().err


def test_live_table(live: StandinSmartlead) -> None:
    code, out = run("campaigns")
    assert code == cli.EXIT_OK
    assert "Q4 Founder Outreach" in out
    assert out.rstrip("\n").endswith("5 campaign(s).")


def test_live_client_filter_is_sent_to_smartlead(live: StandinSmartlead) -> None:
    code, out = run("campaigns", "--client-id", "12", "--format", "json")
    assert code == cli.EXIT_OK
    assert [row["id"] for row in json.loads(out)] == [103, 102]
    (request,) = [r for r in live.requests if r.path.startswith("/campaigns")]
    assert request.query.get("client_id") == "12"


def test_live_key_without_agency_access_shows_clients_by_id(
    standin: StandinSmartlead, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    standin.portfolios["sk-solo"] = sample_campaigns()
    standin.clients["sk-solo"] = None
    monkeypatch.setenv("SMARTLEAD_BASE_URL", standin.base_url)
    monkeypatch.setenv("SMARTLEAD_API_KEY", "sk-solo")
    code, out = run("campaigns", "--format", "json")
    assert code == cli.EXIT_OK
    assert json.loads(out)[0]["client_name"] == "Client #11"
    assert "Client names are unavailable for this key" in capsys.readouterr().err


def test_rejected_key_is_exit_3_in_words_without_the_key(
    standin: StandinSmartlead, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SMARTLEAD_BASE_URL", standin.base_url)
    monkeypatch.setenv("SMARTLEAD_API_KEY", CANARY_KEY)
    code, out = run("campaigns")
    assert code == cli.EXIT_REJECTED_KEY
    assert out == ""
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert len(err.split()) > 4
    assert CANARY_KEY not in err
    assert "api_key" not in err
    assert "Traceback" not in err


def test_unreachable_smartlead_is_exit_4(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SMARTLEAD_BASE_URL", UNREACHABLE)
    monkeypatch.setenv("SMARTLEAD_API_KEY", CANARY_KEY)
    code, out = run("campaigns", "--format", "csv")
    assert code == cli.EXIT_UNREACHABLE
    assert out == ""
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert "reached" in err
    assert CANARY_KEY not in err


def test_smartlead_server_error_is_exit_5(
    live: StandinSmartlead, capsys: pytest.CaptureFixture[str]
) -> None:
    live.always("/campaigns/", Reply.invalid_json())
    code, out = run("campaigns")
    assert code == cli.EXIT_API_ERROR
    assert out == ""
    assert "Traceback" not in capsys.readouterr().err


# --------------------------------------------------------------------------- the key


def test_no_key_and_no_terminal_is_a_usage_error(
    standin: StandinSmartlead,
    monkeypatch: pytest.MonkeyPatch,
    no_terminal: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SMARTLEAD_BASE_URL", standin.base_url)
    monkeypatch.setenv("SMARTLEAD_API_KEY", "   ")  # blank counts as unset
    code, out = run("campaigns")
    assert code == cli.EXIT_USAGE
    assert out == ""
    err = capsys.readouterr().err
    assert "SMARTLEAD_API_KEY" in err
    assert "--demo" in err
    assert standin.count("/") == 0  # nothing was sent


def test_no_api_key_option_exists(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (
        ["campaigns", "--api-key", TEST_KEY],
        ["campaigns", f"--api-key={TEST_KEY}"],
        ["campaigns", "--key", TEST_KEY],
        ["--api-key", TEST_KEY, "campaigns"],
    ):
        with pytest.raises(SystemExit) as exit_info:
            cli.main(argv, stdout=io.StringIO())
        assert exit_info.value.code == cli.EXIT_USAGE
    assert "unrecognized arguments" in capsys.readouterr().err


def _options(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    actions = []
    for action in parser._actions:
        actions.append(action)
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                actions.extend(_options(sub))
    return actions


def test_no_option_of_any_command_takes_a_key_value() -> None:
    for action in _options(cli.build_parser()):
        for option in action.option_strings:
            if "key" in option.lower() or "token" in option.lower():
                assert action.nargs == 0, option  # a flag at most, never a value


def test_key_is_asked_for_at_a_hidden_prompt_when_a_person_is_there() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    asked: list[str] = []

    def prompt(text: str) -> str:
        asked.append(text)
        return "  typed-key  "

    assert cli.read_api_key(lambda: None, Terminal(), prompt) == "typed-key"
    assert len(asked) == 1
    assert "hidden" in asked[0]
    # the default prompt does not echo what is typed
    assert inspect.signature(cli.read_api_key).parameters["prompt"].default is getpass.getpass
    with pytest.raises(cli.UsageError):
        cli.read_api_key(lambda: None, Terminal(), lambda _: "   ")


def test_key_from_the_environment_wins_over_the_prompt() -> None:
    def prompt(_: str) -> str:
        raise AssertionError("asked although the environment holds a key")

    assert cli.read_api_key(lambda: "env-key", io.StringIO(), prompt) == "env-key"


def test_demo_needs_no_key(monkeypatch: pytest.MonkeyPatch, no_terminal: None) -> None:
    monkeypatch.setenv("SMARTLEAD_BASE_URL", UNREACHABLE)
    code, _ = run("campaigns", "--demo", "--demo-size", "3")
    assert code == cli.EXIT_OK


# --------------------------------------------------------------------------- schema


def test_schema_prints_one_markdown_row_per_column() -> None:
    code, out = run("schema")
    assert code == cli.EXIT_OK
    lines = out.rstrip("\n").split("\n")
    assert lines[0] == "| column | dtype | meaning |"
    assert lines[1] == "| --- | --- | --- |"
    rows = lines[2:]
    assert len(rows) == len(SCHEMA)
    for row, column in zip(rows, SCHEMA, strict=True):
        cells = [cell.strip() for cell in row.strip("|").split(" | ")]
        assert cells == [f"`{column.name}`", f"`{column.dtype}`", column.description]


def test_usage_errors_from_argparse(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in ([], ["campaigns", "--format", "xlsx"], ["campaigns", "--client-id", "abc"]):
        with pytest.raises(SystemExit) as exit_info:
            cli.main(argv, stdout=io.StringIO())
        assert exit_info.value.code == cli.EXIT_USAGE
    capsys.readouterr()
