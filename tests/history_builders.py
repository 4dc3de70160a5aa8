"""What the history tests share: a key, a time, clients, their campaigns, and store helpers.

The records themselves come from ``tests.builders`` (the one home of test data builders);
this module only names the history tests' defaults and the helpers that read and damage a
store file.
"""

from __future__ import annotations

import copy
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from tests import builders

KEY = "sk-LIVE-3f9a1c7e-never-store-me"
"""A key that must never reach the history file in any form but its fingerprint."""

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
CLIENTS = [{"id": 11, "name": "Acme"}, {"id": 12, "name": "Globex"}]


ACME_OUTBOUND: dict[str, Any] = {"client_id": 11, "tags": [builders.tag(1, "Outbound")]}
"""What the history tests' campaigns share unless told otherwise: client Acme (``CLIENTS``)
and the Outbound tag, so that client and tag filters on changes have something to match."""


def campaign(campaign_id: Any, **changes: Any) -> dict[str, Any]:
    """``builders.campaign`` of client Acme tagged Outbound, ``changes`` applied."""
    return builders.campaign(campaign_id, **{**copy.deepcopy(ACME_OUTBOUND), **changes})


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
