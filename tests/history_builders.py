"""Campaign records, a key and helpers shared by the history tests (moved from test_history.py)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

KEY = "sk-LIVE-3f9a1c7e-never-store-me"
"""A key that must never reach the history file in any form but its fingerprint."""

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
CLIENTS = [{"id": 11, "name": "Acme"}, {"id": 12, "name": "Globex"}]


def campaign(campaign_id: Any, **changes: Any) -> dict[str, Any]:
    """A campaign record in SmartLead's documented shape, with ``changes`` applied."""
    record: dict[str, Any] = {
        "id": campaign_id,
        "user_id": 7,
        "created_at": "2026-01-05T10:00:00.000Z",
        "updated_at": "2026-01-06T10:00:00.000Z",
        "status": "ACTIVE",
        "name": f"Campaign {campaign_id}",
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
        "unsubscribe_text": "",
        "parent_campaign_id": None,
        "client_id": 11,
        "tags": [{"tag_id": 1, "tag_name": "Outbound", "tag_color": "#1E88E5"}],
    }
    record.update(changes)
    return record


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


def store_bytes(path: Path) -> bytes:
    """The database file and its WAL companions, as bytes."""
    return b"".join(
        candidate.read_bytes()
        for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm"))
        if candidate.exists()
    )


def rows(changes: pd.DataFrame) -> set[tuple[Any, ...]]:
    """The change rows as comparable tuples (kind, id, field, before, after)."""
    out = set()
    for record in changes.astype(object).where(changes.notna(), None).to_dict("records"):
        out.add((record["kind"], record["id"], record["field"], record["before"], record["after"]))
    return out


def set_payload(path: Path, snapshot_id: int, payload: bytes) -> None:
    """Overwrite one snapshot's stored data, as damage would."""
    with sqlite3.connect(path) as connection:
        connection.execute(
            "UPDATE snapshot_data SET payload = ? WHERE snapshot_id = ?", (payload, snapshot_id)
        )
