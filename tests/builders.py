"""The one home of the tests' data builders: SmartLead records in their documented shapes.

Every test file, the stand-in server and the browser tests build records here, so a change
in what SmartLead is known to send (``../shared/smartlead-api.md``) is made once. A test file
may keep a tiny function that names its intent (``clean()`` in the audit tests), but it
delegates to ``campaign()`` with its own changes and never restates the record's shape. The
benchmarks build their data from the package's demo (``smartlead.demo``), never from here.
"""

from __future__ import annotations

import copy
from typing import Any

CAMPAIGN_DEFAULTS: dict[str, Any] = {
    "user_id": 4242,
    "created_at": "2025-11-01T10:43:46.826Z",
    "updated_at": "2025-11-02T08:00:00.000Z",
    "status": "ACTIVE",
    "track_settings": [],
    "scheduler_cron_value": {
        "tz": "America/New_York",
        "days": [1, 2, 3, 4, 5],
        "startHour": "09:00",
        "endHour": "17:00",
    },
    "min_time_btwn_emails": 10,
    "max_leads_per_day": 50,
    "stop_lead_settings": "REPLY_TO_AN_EMAIL",
    "schedule_start_time": None,
    "enable_ai_esp_matching": True,
    "send_as_plain_text": False,
    "follow_up_percentage": 40,
    "unsubscribe_text": "Reply STOP to opt out",
    "parent_campaign_id": None,
    "client_id": None,
    "tags": [],
}
"""A well-set, active campaign (SmartLead's documented 18 fields plus tags): tests change
only what they are about."""


_UNNAMED: Any = object()
"""``campaign()``'s name when none is given, told apart from ``name=None`` (no name)."""


def tag(tag_id: int, name: str, color: str | None = "#1E88E5") -> dict[str, Any]:
    """A tag as ``GET /campaigns/?include_tags=true`` sends it (``color`` may be null)."""
    return {"tag_id": tag_id, "tag_name": name, "tag_color": color}


def campaign(campaign_id: Any, name: str | None = _UNNAMED, **changes: Any) -> dict[str, Any]:
    """A campaign record in SmartLead's documented shape, ``changes`` applied.

    Without ``name`` it is "Campaign <id>"; ``name=None`` or ``name=""`` is sent as given, as
    SmartLead may. The defaults are deep-copied, so a test that edits its record's lists or
    schedule never changes another test's campaign; ``changes`` are used as given.
    """
    record: dict[str, Any] = {
        "id": campaign_id,
        "name": f"Campaign {campaign_id}" if name is _UNNAMED else name,
    }
    record.update(copy.deepcopy(CAMPAIGN_DEFAULTS))
    record.update(changes)
    return record


def sample_campaigns() -> list[dict[str, Any]]:
    """Five campaigns as the live API sends them, newest first (fresh copies each call).

    Two clients (11 and 12) and one campaign without a client (``client_id`` null, as seen
    live); tags, a subsequence, a paused and a drafted campaign (a draft's
    ``unsubscribe_text``, schedule and tracking are null, as seen live), tracking turned off
    on one, and both timestamp formats the live API uses in one account.
    """
    return [
        campaign(
            105,
            "Q4 Founder Outreach",
            client_id=11,
            created_at="2025-11-25T10:43:46.826Z",
            updated_at="2025-11-26T08:00:00.000Z",
            unsubscribe_text="",
            tags=[tag(1, "Outbound", "#1E88E5"), tag(2, "Founders", "#43A047")],
        ),
        campaign(
            104,
            "Q4 Founder Outreach – follow-up",
            client_id=11,
            created_at="2025-11-24T10:43:46.826Z",
            updated_at="2025-11-25T08:00:00.000Z",
            unsubscribe_text="",
            parent_campaign_id=105,
            tags=[tag(1, "Outbound", "#1E88E5")],
        ),
        campaign(
            103,
            "Clinic owners – EU",
            status="PAUSED",
            client_id=12,
            created_at="2025-11-23T10:43:46.826Z",
            updated_at="2025-11-24T08:00:00.000Z",
            unsubscribe_text="",
            track_settings=["DONT_EMAIL_OPEN", "DONT_LINK_CLICK"],
            scheduler_cron_value={
                "tz": "Europe/Berlin",
                "days": [1, 2, 3, 4],
                "startHour": "08:30",
                "endHour": "16:00",
            },
            max_leads_per_day=120,
            tags=[tag(3, "Healthcare", "#E53935")],
        ),
        campaign(
            102,
            "Webinar invite (draft)",
            status="DRAFTED",
            client_id=12,
            created_at="2025-11-22T03:47:31.448094+00:00",
            updated_at="2025-11-23T03:47:31.448094+00:00",
            unsubscribe_text=None,
            scheduler_cron_value=None,
            track_settings=None,
        ),
        campaign(
            101,
            "Legacy list cleanup",
            status="COMPLETED",
            client_id=None,
            created_at="2025-11-21T10:43:46.826Z",
            updated_at="2025-11-22T08:00:00.000Z",
            stop_lead_settings="NEVER",
            unsubscribe_text="Reply STOP to opt out",
            tags=None,
        ),
    ]


def sample_clients() -> list[dict[str, Any]]:
    """The agency clients that own ``sample_campaigns()`` (ids 11 and 12), as ``GET /client/``
    sends them (SmartLead's own misspellings included)."""
    return [
        {
            "id": 11,
            "name": "Acme Corp",
            "email": "ops@acme.example",
            "uuid": "0b0e2f7c-5a51-4d2a-9d3e-6c2f0d1f0a11",
            "created_at": "2024-03-01T09:00:00.000Z",
            "user_id": 4242,
            "logo": "Acme",
            "logo_url": None,
            "client_permision": {"permission": ["reply_master_inbox"], "retricted_category": []},
        },
        {
            "id": 12,
            "name": "Northwind Clinics",
            "email": "it@northwind.example",
            "uuid": "6f1d0c3e-2b7a-4c55-8e0f-1a2b3c4d5e12",
            "created_at": "2024-06-15T09:00:00.000Z",
            "user_id": 4242,
            "logo": "Northwind",
            "logo_url": None,
            "client_permision": {"permission": [], "retricted_category": []},
        },
    ]


ODD_RECORDS: list[Any] = [
    None,
    "just text",
    42,
    [1, "two", None],
    {},
    {"name": "no id at all"},
    {"id": "not-a-number", "status": None},
    {"id": 5, "status": 17, "tags": "Q1", "max_leads_per_day": "lots", "new_field": {"a": [1]}},
    {"id": 6, "name": "Ünïcødé 😀 \ud800 lone surrogate", "scheduler_cron_value": "garbage"},
    {"id": 7, "max_leads_per_day": 1e300, "tags": [None, {"tag_name": ""}, 3]},
]
"""Entries of a campaign list that are not campaigns in the documented shape: not objects,
no id, fields of the wrong type, an unknown field, a lone surrogate, an overflowing limit.
Whatever stores or shows campaigns must keep every one of them (copy before changing)."""


# --------------------------------------------------------------------------- mailboxes

MAILBOX_PASSWORD = "pw-LEAK-CANARY-3e8b1d"
MAILBOX_IMAP_PASSWORD = "imap-LEAK-CANARY-9c2f40"
"""Canary passwords: every mailbox the tests build carries them (with its id appended), as
SmartLead's answers carry real ones, and no page, file, log or cache may ever show them."""

PASSWORD_CANARIES: tuple[str, ...] = (MAILBOX_PASSWORD, MAILBOX_IMAP_PASSWORD)


def with_passwords(record: dict[str, Any]) -> dict[str, Any]:
    """A mailbox record as SmartLead answers it: with its SMTP and IMAP passwords."""
    return {
        **record,
        "password": f"{MAILBOX_PASSWORD}-{record.get('id')}",
        "imap_password": f"{MAILBOX_IMAP_PASSWORD}-{record.get('id')}",
    }


def mailbox(mailbox_id: Any, email: str | None = None, **changes: Any) -> dict[str, Any]:
    """A mailbox as ``GET /email-accounts/`` sends it (passwords included), ``changes`` applied;
    ``warmup=...`` updates ``warmup_details``."""
    address = email or f"sender{mailbox_id}@outbound.example"
    warmup = {
        "id": 90_000 + (mailbox_id if isinstance(mailbox_id, int) else 0),
        "status": "ACTIVE",
        "total_sent_count": 420,
        "total_spam_count": 4,
        "warmup_reputation": "99%",
        **changes.pop("warmup", {}),
    }
    record: dict[str, Any] = {
        "id": mailbox_id,
        "created_at": "2025-06-01T10:00:00.000Z",
        "updated_at": "2025-11-01T10:00:00.000Z",
        "user_id": 4242,
        "from_name": "Sam Sender",
        "from_email": address,
        "username": address,
        "smtp_host": "smtp.gmail.com",
        "smtp_port": 465,
        "imap_host": "imap.gmail.com",
        "imap_port": 993,
        "type": "GMAIL",
        "message_per_day": 50,
        "daily_sent_count": 10,
        "is_smtp_success": True,
        "is_imap_success": True,
        "smtp_failure_error": None,
        "imap_failure_error": "",
        "client_id": None,
        "campaign_count": 1,
        "warmup_details": warmup,
    }
    record.update(changes)
    return with_passwords(record)


def sample_mailboxes() -> tuple[list[dict[str, Any]], dict[int, list[int]]]:
    """Mailboxes for ``sample_campaigns()`` and each campaign's list, covering the cases:

    501 is shared by the two active campaigns (105 and 104) and over-committed; 502 serves
    105 alone; 503 serves the paused 103 and cannot send (SMTP failure); 504 is idle with
    warmup off; 505 is idle, belongs to no client and has no cap set; 506 has a cap above the
    norm and a reputation below the threshold, and serves 105.
    """
    boxes = [
        mailbox(501, "ana@acme-mail.example", client_id=11, message_per_day=40, campaign_count=2),
        mailbox(502, "ben@acme-mail.example", client_id=11, type="OUTLOOK", message_per_day=30),
        mailbox(
            503,
            "cleo@northwind.example",
            client_id=12,
            type="SMTP",
            is_smtp_success=False,
            smtp_failure_error="535 5.7.8 Username and Password not accepted",
        ),
        mailbox(
            504,
            "dan@northwind.example",
            client_id=12,
            campaign_count=0,
            warmup={"status": "INACTIVE"},
        ),
        mailbox(505, "eve@spare.example", message_per_day=None, campaign_count=0),
        mailbox(
            506,
            "fay@acme-mail.example",
            client_id=11,
            message_per_day=120,
            warmup={"warmup_reputation": "82%"},
        ),
    ]
    links = {105: [501, 502, 506], 104: [501], 103: [503], 102: [], 101: []}
    return boxes, links


def campaign_window_row(campaign_id: Any, full_data: bool = True, **counts: Any) -> dict[str, Any]:
    """A row of ``GET /analytics/campaign/overall-stats``'s ``campaign_wise_performance``.

    Without ``full_data`` only SmartLead's six base fields (``id, campaign_name, sent,
    opened, replied, bounced``); with it the documented extras too. ``counts`` replace any
    field (a value of ``...`` leaves the field out, as an answer that lacks it would).
    """
    row: dict[str, Any] = {
        "id": campaign_id,
        "campaign_name": f"Campaign {campaign_id}",
        "sent": 100,
        "opened": 40,
        "replied": 4,
        "bounced": 1,
    }
    if full_data:
        row |= {
            "open_rate": "60.00%",
            "reply_rate": "10.00%",
            "bounce_rate": "2.50%",
            "positive_reply_rate": "50.00%",
            "positive_replied": 2,
            "unique_lead_count": 40,
            "unique_open_count": 24,
            "unsubscribed": 1,
        }
    row |= counts
    return {key: value for key, value in row.items() if value is not ...}


def day_window_row(label: str, **counts: Any) -> dict[str, Any]:
    """A row of ``GET /analytics/day-wise-overall-stats``'s ``day_wise_stats``: the day as
    SmartLead writes it (``"20 Apr"``, no year) and its ``email_engagement_metrics``."""
    metrics: dict[str, Any] = {"sent": 10, "opened": 4, "replied": 1, "bounced": 0}
    metrics["unsubscribed"] = 0
    metrics |= counts
    return {
        "date": label,
        "day_name": "",
        "email_engagement_metrics": {k: v for k, v in metrics.items() if v is not ...},
    }
