"""The README's mailbox sections stay in step with the code they document."""

from __future__ import annotations

import dataclasses
import io

from smartlead import cli
from smartlead.ledger import MailboxSettings
from smartlead.mailbox_health import MAILBOX_RULES
from tests.apptest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_mailbox_rule_and_threshold_is_documented_with_its_default():
    for rule in MAILBOX_RULES:
        assert f"| `{rule.id}` | {rule.severity} |" in README, rule.id
    for field in dataclasses.fields(MailboxSettings):
        assert f"| `{field.name}` | {field.default} |" in README, field.name


def test_the_mailbox_schema_table_is_the_one_the_code_prints():
    printed = io.StringIO()
    assert cli.main(["mailboxes", "--schema"], stdout=printed) == cli.EXIT_OK
    assert printed.getvalue().strip() in README


def test_the_mailbox_command_and_benchmark_are_documented():
    assert "python -m smartlead mailboxes" in README
    assert "python bench/bench_ledger.py" in README
