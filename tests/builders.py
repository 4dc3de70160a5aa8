"""The one home of the tests' data builders: SmartLead records in their documented shapes.

Every test file, the stand-in server and the browser tests build records here, so a change
in what SmartLead is known to send (``../shared/smartlead-api.md``) is made once. The
benchmarks build their data from the package's demo (``smartlead.demo``), never from here.
"""

from __future__ import annotations

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


def tag(tag_id: int, name: str, color: str = "#1E88E5") -> dict[str, Any]:
    """A tag as ``GET /campaigns/?include_tags=true`` sends it."""
    return {"tag_id": tag_id, "tag_name": name, "tag_color": color}


def campaign(campaign_id: Any, name: str | None = None, **changes: Any) -> dict[str, Any]:
    """A campaign record in SmartLead's documented shape, ``changes`` applied (fresh copy)."""
    record: dict[str, Any] = {"id": campaign_id, "name": name or f"Campaign {campaign_id}"}
    for key, value in CAMPAIGN_DEFAULTS.items():
        record[key] = dict(value) if isinstance(value, dict) else value
    record["scheduler_cron_value"] = {
        **CAMPAIGN_DEFAULTS["scheduler_cron_value"],
        "days": [1, 2, 3, 4, 5],
    }
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
