"""Mailbox health: which mailboxes, and which campaigns' mailboxes, put sending at risk.

Rules as data, like :mod:`smartlead.audit`: each :class:`MailboxRule` has an id, a severity,
a title, an explanation in words and a vectorised predicate over the capacity ledger
(:class:`smartlead.ledger.Ledger`): over its mailboxes, or over its campaigns for the rule
about a campaign's plan. :func:`run_mailbox_audit` gives one finding per (rule, mailbox or
campaign); :func:`summarize` counts them per rule. Every threshold is a field of
:class:`smartlead.ledger.MailboxSettings`, with the reason for its default.

Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from smartlead import vocab
from smartlead.audit import SEVERITY_DTYPE, Severity
from smartlead.export import to_csv_bytes
from smartlead.ledger import DEFAULT_MAILBOX_SETTINGS, Ledger, MailboxSettings

__all__ = [
    "MAILBOX_FINDING_COLUMNS",
    "MAILBOX_RULES",
    "MailboxRule",
    "mailbox_findings_csv",
    "run_mailbox_audit",
    "summarize",
]

Subject = Literal["mailbox", "campaign"]
Predicate = Callable[[pd.DataFrame, MailboxSettings], np.ndarray]
Detail = Callable[[pd.DataFrame, MailboxSettings], list[str]]

MAILBOX_FINDING_COLUMNS: tuple[str, ...] = (
    "rule_id",
    "severity",
    "title",
    "subject",
    "id",
    "label",
    "client_name",
    "detail",
)
"""Columns of :func:`run_mailbox_audit`'s findings: ``subject`` says whether ``id`` and
``label`` (the address, or the campaign's name) name a mailbox or a campaign."""

MIN_SHORTFALL = 1.0
"""A campaign is short of capacity when it lacks at least one email a day (less is rounding)."""


@dataclass(frozen=True)
class MailboxRule:
    """One mailbox health check, as data.

    ``predicate(table, settings)`` gets the ledger's mailboxes (``subject="mailbox"``) or
    campaigns (``subject="campaign"``) and returns a boolean array, True where the rule
    fires. ``detail(rows, settings)`` gets only the flagged rows and says, per row, why.
    """

    id: str
    severity: Severity
    title: str
    subject: Subject
    explanation: str = field(repr=False)
    predicate: Predicate = field(repr=False)
    detail: Detail = field(repr=False)

    def __post_init__(self) -> None:
        if self.severity not in vocab.SEVERITIES:
            raise ValueError(f"rule {self.id!r}: severity must be one of {vocab.SEVERITIES}")


def _flag(values: pd.Series) -> np.ndarray:
    return values.astype("boolean").fillna(False).to_numpy(dtype=bool)


def _per_day(value: object) -> str:
    return "?" if pd.isna(value) else f"{float(value):,.0f}/day"


def _campaigns(count: object) -> str:
    number = 0 if pd.isna(count) else int(count)
    return f"{number} active campaign{'s' if number != 1 else ''}"


def _disconnected(rows: pd.DataFrame, settings: MailboxSettings) -> np.ndarray:
    return rows["connection"].isin(vocab.DISCONNECTED).to_numpy(dtype=bool) & (
        rows["active_campaigns"].fillna(0).to_numpy() > 0
    )


def _disconnected_detail(rows: pd.DataFrame, settings: MailboxSettings) -> list[str]:
    texts = []
    for connection, smtp, imap, count in zip(
        rows["connection"],
        rows["smtp_error"],
        rows["imap_error"],
        rows["active_campaigns"],
        strict=True,
    ):
        reasons = [
            f"{kind}: {' '.join(str(text).split())[:160]}"
            for kind, text in (("SMTP", smtp), ("IMAP", imap))
            if not pd.isna(text)
        ]
        texts.append(
            f"{connection} ({'; '.join(reasons) or 'no reason given'}), in {_campaigns(count)}"
        )
    return texts


def _short(rows: pd.DataFrame, settings: MailboxSettings) -> np.ndarray:
    sending = (rows["status"] == vocab.ACTIVE).fillna(False).to_numpy(dtype=bool)
    return sending & _flag(rows["shortfall"] >= MIN_SHORTFALL)


def _short_detail(rows: pd.DataFrame, settings: MailboxSettings) -> list[str]:
    texts = []
    for planned, capacity, mailboxes in zip(
        rows["planned"], rows["capacity"], rows["mailboxes"], strict=True
    ):
        if not pd.isna(mailboxes) and int(mailboxes) == 0:
            texts.append(f"plans {_per_day(planned)} with no mailbox attached")
            continue
        share = (
            f" ({float(capacity) / float(planned):.0%})" if planned and not pd.isna(planned) else ""
        )
        texts.append(
            f"plans {_per_day(planned)}, its mailboxes can carry {_per_day(capacity)}{share}"
        )
    return texts


def _over_committed(rows: pd.DataFrame, settings: MailboxSettings) -> np.ndarray:
    return _flag(rows["over_committed"])


def _over_committed_detail(rows: pd.DataFrame, settings: MailboxSettings) -> list[str]:
    return [
        f"campaigns want {_per_day(demand)} of a cap of {_per_day(cap)} ({_campaigns(count)})"
        for demand, cap, count in zip(
            rows["demand"], rows["daily_cap"], rows["active_campaigns"], strict=True
        )
    ]


def _low_reputation(rows: pd.DataFrame, settings: MailboxSettings) -> np.ndarray:
    return _flag(rows["warmup_reputation"] < settings.min_warmup_reputation)


def _low_reputation_detail(rows: pd.DataFrame, settings: MailboxSettings) -> list[str]:
    return [
        f"warmup reputation {float(value):g} % (threshold {settings.min_warmup_reputation:g} %)"
        for value in rows["warmup_reputation"]
    ]


def _warmup_off(rows: pd.DataFrame, settings: MailboxSettings) -> np.ndarray:
    return (rows["warmup_status"] == vocab.WARMUP_OFF).fillna(False).to_numpy(dtype=bool)


def _warmup_off_detail(rows: pd.DataFrame, settings: MailboxSettings) -> list[str]:
    return [
        f"warmup is off; the mailbox is in {_campaigns(count)}"
        for count in rows["active_campaigns"]
    ]


def _cap_above_norm(rows: pd.DataFrame, settings: MailboxSettings) -> np.ndarray:
    return _flag(rows["daily_cap"] > settings.max_daily_cap)


def _cap_above_norm_detail(rows: pd.DataFrame, settings: MailboxSettings) -> list[str]:
    return [f"cap {_per_day(cap)}, norm {settings.max_daily_cap}/day" for cap in rows["daily_cap"]]


_RULES: tuple[MailboxRule, ...] = (
    MailboxRule(
        "disconnected_in_use",
        "high",
        "Disconnected mailbox in an active campaign",
        "mailbox",
        "SmartLead cannot send through it (SMTP) or read its replies (IMAP), yet active campaigns "
        "count on it: their emails pile onto the other mailboxes or wait, and replies go unseen. "
        "Reconnect it in SmartLead (the failure text says why it dropped) or take it out of "
        "the campaigns.",
        _disconnected,
        _disconnected_detail,
    ),
    MailboxRule(
        "campaign_short_of_capacity",
        "high",
        "Active campaign whose mailboxes cannot carry its plan",
        "campaign",
        "Its planned daily volume (new leads plus the follow-ups its follow-up share makes room "
        "for) is more than its share of its mailboxes' caps, which it shares with every other "
        "active campaign on them. SmartLead sends follow-ups first, so new leads are the ones "
        "that wait. Add mailboxes, move other campaigns off them, or lower the daily limit.",
        _short,
        _short_detail,
    ),
    MailboxRule(
        "over_committed",
        "medium",
        "Over-committed mailbox",
        "mailbox",
        "The active campaigns that use it ask more of it each day than its cap "
        "(message_per_day): some of their emails wait for another day. Spread those campaigns "
        "over more mailboxes.",
        _over_committed,
        _over_committed_detail,
    ),
    MailboxRule(
        "low_warmup_reputation",
        "medium",
        "Low warmup reputation",
        "mailbox",
        "Its warmup emails land in spam more often than the threshold allows "
        "(min_warmup_reputation); its cold emails will fare worse. Lower its cap and let warmup "
        "recover before it sends more.",
        _low_reputation,
        _low_reputation_detail,
    ),
    MailboxRule(
        "warmup_off",
        "medium",
        "Warmup is off",
        "mailbox",
        "Without warmup a mailbox's reputation is built by cold emails alone, and falls with "
        "every spam report. Turn warmup on, also on mailboxes that send campaigns.",
        _warmup_off,
        _warmup_off_detail,
    ),
    MailboxRule(
        "cap_above_norm",
        "low",
        "Daily cap above the sending norm",
        "mailbox",
        "Its cap (message_per_day) is above the norm SmartLead's help centre gives for a mailbox "
        "(max_daily_cap, warmup included): providers throttle or disconnect mailboxes that send "
        "more. Add mailboxes rather than raising caps.",
        _cap_above_norm,
        _cap_above_norm_detail,
    ),
)

MAILBOX_RULES: tuple[MailboxRule, ...] = tuple(
    sorted(_RULES, key=lambda rule: vocab.SEVERITIES.index(rule.severity))
)
"""The mailbox health rules, most severe first. Ids are stable: pages and exports key on them."""


def _empty_findings() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rule_id": pd.Series([], dtype="str"),
            "severity": pd.Series([], dtype=SEVERITY_DTYPE),
            "title": pd.Series([], dtype="str"),
            "subject": pd.Series([], dtype="str"),
            "id": pd.Series([], dtype="Int64"),
            "label": pd.Series([], dtype="string"),
            "client_name": pd.Series([], dtype="string"),
            "detail": pd.Series([], dtype="string"),
        }
    )


def run_mailbox_audit(
    ledger: Ledger,
    settings: MailboxSettings = DEFAULT_MAILBOX_SETTINGS,
    rules: Sequence[MailboxRule] = MAILBOX_RULES,
) -> pd.DataFrame:
    """One finding per (rule, mailbox or campaign) that breaks it, most severe rule first,
    then in the ledger's order. Columns: :data:`MAILBOX_FINDING_COLUMNS`."""
    parts = []
    for rule in rules:
        table = ledger.mailboxes if rule.subject == "mailbox" else ledger.campaigns
        if table.empty:
            continue
        fired = np.asarray(rule.predicate(table, settings), dtype=bool)
        if not fired.any():
            continue
        rows = table[fired]
        label = rows["from_email"] if rule.subject == "mailbox" else rows["name"]
        parts.append(
            pd.DataFrame(
                {
                    "rule_id": rule.id,
                    "severity": rule.severity,
                    "title": rule.title,
                    "subject": rule.subject,
                    "id": rows["id"].astype("Int64").to_numpy(),
                    "label": label.astype("string").to_numpy(),
                    "client_name": rows["client_name"].astype("string").to_numpy(),
                    "detail": rule.detail(rows, settings),
                }
            )
        )
    if not parts:
        return _empty_findings()
    findings = pd.concat(parts, ignore_index=True)
    return findings.astype(
        {
            "rule_id": "str",
            "severity": SEVERITY_DTYPE,
            "title": "str",
            "subject": "str",
            "id": "Int64",
            "label": "string",
            "client_name": "string",
            "detail": "string",
        }
    )


def summarize(findings: pd.DataFrame, rules: Sequence[MailboxRule] = MAILBOX_RULES) -> pd.DataFrame:
    """One row per rule, most severe first: ``rule_id, severity, title, subject, explanation,
    count`` (mailboxes or campaigns flagged, 0 when none)."""
    counts = findings["rule_id"].astype("str").value_counts().to_dict() if len(findings) else {}
    return pd.DataFrame(
        {
            "rule_id": [rule.id for rule in rules],
            "severity": pd.Categorical([rule.severity for rule in rules], dtype=SEVERITY_DTYPE),
            "title": [rule.title for rule in rules],
            "subject": [rule.subject for rule in rules],
            "explanation": [rule.explanation for rule in rules],
            "count": pd.array([int(counts.get(rule.id, 0)) for rule in rules], dtype="int64"),
        }
    )


def mailbox_findings_csv(findings: pd.DataFrame) -> bytes:
    """The findings as a spreadsheet-safe UTF-8 CSV (formulas in names and addresses defused)."""
    return to_csv_bytes(findings, [c for c in MAILBOX_FINDING_COLUMNS if c in findings.columns])
