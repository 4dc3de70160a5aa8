"""``python -m smartlead mailboxes``: the mailbox table or the ledger, every format, no password."""

from __future__ import annotations

import csv
import io
import json
import sys

import pytest

from smartlead import cli
from smartlead.cli.mailboxes import LEDGER_TABLE_COLUMNS, MAILBOX_TABLE_COLUMNS
from tests.builders import PASSWORD_CANARIES, sample_mailboxes
from tests.standin import TEST_KEY, Reply, StandinSmartlead


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = cli.main(list(argv), stdout=out)
    return code, out.getvalue()


@pytest.fixture
def live(standin: StandinSmartlead, monkeypatch: pytest.MonkeyPatch) -> StandinSmartlead:
    boxes, links = sample_mailboxes()
    standin.mailboxes[TEST_KEY] = boxes
    standin.campaign_mailboxes[TEST_KEY] = links
    monkeypatch.setenv("SMARTLEAD_BASE_URL", standin.base_url)
    monkeypatch.setenv("SMARTLEAD_API_KEY", TEST_KEY)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    return standin


@pytest.mark.parametrize("form", ["table", "csv", "json"])
@pytest.mark.parametrize("ledger", [False, True])
def test_no_format_ever_prints_a_password(live, capsys, form, ledger):
    code, out = run("mailboxes", "--format", form, *(["--ledger"] if ledger else []))
    assert code == cli.EXIT_OK
    printed = out + capsys.readouterr().err
    assert not any(canary in printed for canary in PASSWORD_CANARIES)
    assert TEST_KEY not in printed


def test_the_table_lists_every_mailbox_with_its_demand(live):
    code, out = run("mailboxes")
    assert code == cli.EXIT_OK
    lines = out.rstrip("\n").split("\n")
    assert lines[0].split() == list(MAILBOX_TABLE_COLUMNS)
    assert lines[-1] == "6 mailbox(es)."
    ana = next(line for line in lines if line.startswith("501 "))
    assert "ana@acme-mail.example" in ana
    assert "111.0" in ana, "the demand its two active campaigns place on it"


def test_the_ledger_as_json(live):
    code, out = run("mailboxes", "--ledger", "--format", "json")
    assert code == cli.EXIT_OK
    rows = {row["id"]: row for row in json.loads(out)}
    assert set(rows) == {105, 104, 103}
    assert rows[104]["planned"] == 83
    assert rows[104]["capacity"] == 30
    assert rows[104]["shortfall"] == 53
    assert rows[103]["note"] == "Paused: it draws no capacity until it is resumed."


def test_client_id_narrows_the_output_but_not_the_sharing(live):
    code, out = run("mailboxes", "--client-id", "12", "--format", "csv")
    assert code == cli.EXIT_OK
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    assert [row["id"] for row in rows] == ["503", "504"]
    code, out = run("mailboxes", "--client-id", "11", "--ledger", "--format", "json")
    assert code == cli.EXIT_OK
    ledger = json.loads(out)
    assert [row["id"] for row in ledger] == [105, 104]
    assert ledger[1]["capacity"] == 30, "501 is still shared with 105"
    portfolio = [r for r in live.requests if r.path.rstrip("/") == "/campaigns"]
    assert [r.query.get("client_id") for r in portfolio] == [None, None], "the whole account"


def test_a_campaign_whose_list_fails_is_noted_on_stderr(live, capsys):
    live.always("/campaigns/104/email-accounts", Reply.server_error())
    code, out = run("mailboxes", "--ledger")
    assert code == cli.EXIT_OK
    err = capsys.readouterr().err
    assert "Note: the mailboxes of campaign 104 are unknown: SmartLead had a server problem" in err
    row = next(line for line in out.split("\n") if line.startswith("104 "))
    assert "Its mailboxes are unknown" in row


def test_a_rejected_key_is_exit_3(live, monkeypatch, capsys):
    monkeypatch.setenv("SMARTLEAD_API_KEY", "sk-not-known")
    code, _ = run("mailboxes")
    assert code == cli.EXIT_REJECTED_KEY
    assert "rejected the API key" in capsys.readouterr().err


def test_a_mailbox_list_that_fails_is_exit_5(live, capsys):
    live.always("/email-accounts", Reply.server_error())
    code, _ = run("mailboxes")
    assert code == cli.EXIT_API_ERROR
    assert "SmartLead had a server problem" in capsys.readouterr().err


def test_the_demo_needs_no_key(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code, out = run("mailboxes", "--demo", "--demo-size", "60", "--ledger")
    assert code == cli.EXIT_OK
    assert out.split("\n")[0].split() == list(LEDGER_TABLE_COLUMNS)
