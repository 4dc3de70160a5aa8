"""Mailbox health rules: each fires where it should, with its severity and reason."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

from smartlead import vocab
from smartlead.frame import campaigns_frame
from smartlead.ledger import DEFAULT_MAILBOX_SETTINGS, build_ledger
from smartlead.mailbox_health import (
    MAILBOX_FINDING_COLUMNS,
    MAILBOX_RULES,
    mailbox_findings_csv,
    run_mailbox_audit,
    summarize,
)
from smartlead.mailboxes import mailboxes_frame
from tests.builders import campaign, mailbox, sample_campaigns, sample_clients, sample_mailboxes


def sample_findings(settings=DEFAULT_MAILBOX_SETTINGS):
    boxes, links = sample_mailboxes()
    ledger = build_ledger(
        campaigns_frame(sample_campaigns(), sample_clients()),
        mailboxes_frame(boxes, sample_clients(), links),
        links,
        settings=settings,
    )
    return run_mailbox_audit(ledger, settings)


def flagged(findings, rule_id):
    return findings.loc[findings["rule_id"] == rule_id, "id"].tolist()


def test_the_rules_have_the_severities_the_issue_asks_for():
    severities = {rule.id: rule.severity for rule in MAILBOX_RULES}
    assert severities == {
        "disconnected_in_use": "high",
        "campaign_short_of_capacity": "high",
        "over_committed": "medium",
        "low_warmup_reputation": "medium",
        "warmup_off": "medium",
        "cap_above_norm": "low",
    }
    order = [vocab.SEVERITIES.index(rule.severity) for rule in MAILBOX_RULES]
    assert order == sorted(order), "most severe first"


def test_each_rule_fires_on_the_sample_account_and_nowhere_else():
    findings = sample_findings()
    assert tuple(findings.columns) == MAILBOX_FINDING_COLUMNS
    assert flagged(findings, "campaign_short_of_capacity") == [104]
    assert flagged(findings, "over_committed") == [501]
    assert flagged(findings, "low_warmup_reputation") == [506]
    assert flagged(findings, "warmup_off") == [504]
    assert flagged(findings, "cap_above_norm") == [506]
    # 503 cannot send but serves only a paused campaign: not (yet) in an active one.
    assert flagged(findings, "disconnected_in_use") == []
    short = findings[findings["rule_id"] == "campaign_short_of_capacity"].iloc[0]
    assert short["subject"] == "campaign"
    assert short["label"] == "Q4 Founder Outreach – follow-up"
    assert short["detail"] == "plans 83/day, its mailboxes can carry 30/day (36%)"


def test_a_disconnected_mailbox_in_an_active_campaign_is_high_and_quotes_the_failure():
    boxes = [
        mailbox(
            1,
            is_imap_success=False,
            imap_failure_error="[AUTHENTICATIONFAILED]\n  Invalid credentials",
        )
    ]
    ledger = build_ledger(campaigns_frame([campaign(9)]), mailboxes_frame(boxes), {9: [1]})
    finding = run_mailbox_audit(ledger).iloc[0]
    assert finding["rule_id"] == "disconnected_in_use"
    assert finding["severity"] == "high"
    assert finding["detail"] == (
        "IMAP failing (IMAP: [AUTHENTICATIONFAILED] Invalid credentials), in 1 active campaign"
    )


def test_an_active_campaign_without_mailboxes_is_short():
    ledger = build_ledger(campaigns_frame([campaign(9)]), mailboxes_frame([]), {9: []})
    finding = run_mailbox_audit(ledger).iloc[0]
    assert finding["rule_id"] == "campaign_short_of_capacity"
    assert finding["detail"] == "plans 83/day with no mailbox attached"


def test_thresholds_are_settings():
    looser = replace(DEFAULT_MAILBOX_SETTINGS, min_warmup_reputation=80.0, max_daily_cap=150)
    findings = sample_findings(looser)
    assert flagged(findings, "low_warmup_reputation") == []
    assert flagged(findings, "cap_above_norm") == []


def test_the_summary_counts_every_rule_and_the_csv_is_spreadsheet_safe():
    findings = sample_findings()
    summary = summarize(findings).set_index("rule_id")
    assert summary["count"].to_dict() == {
        "disconnected_in_use": 0,
        "campaign_short_of_capacity": 1,
        "over_committed": 1,
        "low_warmup_reputation": 1,
        "warmup_off": 1,
        "cap_above_norm": 1,
    }
    boxes = [mailbox(1, "=cmd|' /C calc'!A0@x.example", message_per_day=500)]
    ledger = build_ledger(campaigns_frame([]), mailboxes_frame(boxes), {})
    rows = list(
        csv.DictReader(
            io.StringIO(mailbox_findings_csv(run_mailbox_audit(ledger)).decode("utf-8-sig"))
        )
    )
    assert rows[0]["label"].startswith("'=")


def test_an_empty_ledger_has_no_findings_but_the_columns():
    ledger = build_ledger(campaigns_frame([]), mailboxes_frame([]), {})
    findings = run_mailbox_audit(ledger)
    assert findings.empty
    assert tuple(findings.columns) == MAILBOX_FINDING_COLUMNS
