"""A synthetic but realistic SmartLead portfolio, in the API's own JSON shape.

The dashboard opens on it when no API key is given, and the tests and benchmarks use it for
portfolios of any size. It is deterministic for a given ``(n, seed)`` and includes the awkward
records a live agency account holds (null tags, no schedule, missing fields, an unknown status),
so the demo exercises the same code paths as real data. The hostile names a live account can
also hold (HTML, spreadsheet formulas, an empty or very long name) are there only when asked
for (``awkward_names=True``: the tests and the stand-in), never in the portfolio a first-time
visitor sees.
"""

from __future__ import annotations

import math
import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

from smartlead import vocab

DEMO_ANCHOR = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
"""The demo portfolio's 'now': fixed so the same seed always gives the same records."""

DEMO_CLIENTS: tuple[tuple[int, str], ...] = (
    (41001, "Northwind Logistics"),
    (41002, "Acme Robotics"),
    (41003, "Bluebird Health"),
    (41004, "Copperline Capital"),
    (41005, "Fjord Software"),
    (41006, "Helios Solar"),
    (41007, "Juniper Legal"),
    (41008, "Kestrel Recruiting"),
)

DEMO_TAGS: tuple[tuple[int, str, str], ...] = (
    (1, "Q1", "#FF5733"),
    (2, "Q2", "#33A1FF"),
    (3, "Outbound", "#2ECC71"),
    (4, "Enterprise", "#8E44AD"),
    (5, "SMB", "#F1C40F"),
    (6, "Webinar", "#E67E22"),
    (7, "Re-engage", "#16A085"),
    (8, "EMEA", "#C0392B"),
    (9, "US", "#2C3E50"),
    (10, "APAC", "#D35400"),
    (11, "Founders", "#7F8C8D"),
    (12, "Test", "#BDC3C7"),
)

_TIMEZONES = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "America/Toronto",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Paris",
    "Europe/Madrid",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Africa/Johannesburg",
    "Asia/Riyadh",
)
_TIMEZONE_WEIGHTS = (18, 8, 3, 10, 2, 3, 12, 8, 4, 2, 5, 3, 2, 3, 1, 2)

_SUNDAY_TO_THURSDAY = [0, 1, 2, 3, 4]
"""SmartLead's day numbers (0 = Sunday) of the working week in Saudi Arabia: the demo's
Riyadh campaigns send then, as a real account's would."""

_WINDOWS = (
    ([1, 2, 3, 4, 5], "09:00", "17:00", 30),
    ([1, 2, 3, 4, 5], "08:00", "18:00", 20),
    ([1, 2, 3, 4, 5], "09:30", "16:30", 10),
    ([1, 2, 3, 4], "10:00", "15:00", 6),
    ([2, 3, 4], "09:00", "12:00", 5),
    ([1, 2, 3, 4, 5, 6], "08:00", "20:00", 6),
    ([0, 1, 2, 3, 4, 5, 6], "07:00", "21:00", 4),
    ([1, 2, 3, 4, 5], "22:00", "06:00", 2),
    ([0, 6], "10:00", "14:00", 2),
    ([], "09:00", "17:00", 1),
)

_STATUS_WEIGHTS = dict(zip(vocab.STATUSES, (40, 14, 8, 14, 18, 6), strict=True))
"""How often each known status occurs, in :data:`smartlead.vocab.STATUSES` order."""

_STOP_SETTINGS = (
    ("REPLY_TO_AN_EMAIL", 80),
    ("OPENED_EMAIL", 6),
    ("CLICKED_LINK", 6),
    ("NEVER", 8),
)
_TRACKING = (
    (["DONT_EMAIL_OPEN", "DONT_LINK_CLICK"], 45),
    (["DONT_LINK_CLICK"], 20),
    ([], 25),
    (["DONT_EMAIL_OPEN"], 10),
)
_UNSUBSCRIBE = (
    ("", 25),
    ("Not interested? Reply 'stop' and I won't email again.", 50),
    ("If this isn't relevant, let me know and I'll close your file.", 25),
)
_DAILY_LIMITS = (10, 15, 20, 25, 30, 40, 50, 60, 75, 80, 100, 120, 150, 200, 250, 300, 400, 500)

_NAME_PARTS = (
    (
        "Cold Outreach",
        "Founder Intro",
        "Webinar Invite",
        "Case Study",
        "Re-engagement",
        "Partner Referral",
        "Product Launch",
        "Event Follow-up",
        "Pilot Offer",
        "Demo Request",
    ),
    (
        "CFOs",
        "VP Sales",
        "Heads of IT",
        "HR Leaders",
        "Clinic Owners",
        "Logistics Managers",
        "CTOs",
        "Procurement",
        "Marketing Directors",
        "Legal Ops",
    ),
    ("US", "UK", "DACH", "Nordics", "APAC", "LATAM", "Canada", "France", "Iberia", "India"),
)

AWKWARD_NAMES: tuple[str, ...] = (
    "<img src=x onerror=alert(1)>",
    '=HYPERLINK("http://example.invalid/","Click me")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "",
    "Q4 push — " + "very long name " * 12,
)
"""Names a live account can hold and the dashboard must show as plain text: in the portfolio
only with ``demo_campaigns(..., awkward_names=True)``."""


def demo_clients() -> list[dict[str, Any]]:
    """The demo agency's clients, shaped like GET /client/."""
    return [
        {"id": client_id, "name": name, "email": f"ops@{name.split()[0].lower()}.example"}
        for client_id, name in DEMO_CLIENTS
    ]


def _pick(rng: random.Random, weighted: tuple[tuple[Any, int], ...]) -> Any:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _iso(moment: datetime) -> str:
    """A UTC time as SmartLead writes it today: ``2025-11-25T10:43:46.826Z``."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _iso_older(moment: datetime) -> str:
    """A UTC time as older records of the same account hold it: ``…T03:47:31.448094+00:00``."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


OLDER_FORMAT_BEFORE = DEMO_ANCHOR - timedelta(days=365)
"""Campaigns created before this carry their timestamps in the older format (both are seen in
one live account), so the demo exercises both."""


def _moment(text: Any) -> datetime | None:
    """A demo timestamp back as a datetime, whichever of the two formats it is in."""
    try:
        return datetime.fromisoformat(str(text))
    except ValueError:
        return None


def demo_campaigns(
    n: int = 300, seed: int = 7, *, distinct_schedules: bool = False, awkward_names: bool = False
) -> list[dict[str, Any]]:
    """``n`` campaigns, newest first (ids descending), as GET /campaigns/?include_tags=true sends.

    The same ``(n, seed)`` always gives the same list. Portfolios of 20 campaigns or more hold
    at least one of each awkward record; larger ones hold them in proportion (about 1 in 60).
    With ``awkward_names=True`` some campaigns are named with :data:`AWKWARD_NAMES` (HTML,
    formulas, empty, very long; every one of them from 20 campaigns on); every other field is
    the same as without.
    Like the live API, about half the drafts have ``unsubscribe_text: null`` (never set), some
    campaigns have ``client_id: null`` (no client), and campaigns created more than a year
    before :data:`DEMO_ANCHOR` carry their timestamps in the older ``+00:00`` format.

    A real portfolio repeats a handful of sending windows; ``distinct_schedules=True`` gives
    every campaign a window of its own instead (the worst case for the frame's schedule
    parsing, used by ``bench/bench_frame.py``). The rest of the portfolio is unchanged.
    """
    rng = random.Random(seed)
    campaign_id = 2_710_262
    records: list[dict[str, Any]] = []
    span_days = 540
    client_weights = [rng.randint(2, 12) for _ in DEMO_CLIENTS]
    for index in range(n):
        campaign_id -= rng.randint(1, 40)
        age = timedelta(days=span_days * (index / max(n, 1)) + rng.random() * 3)
        created = DEMO_ANCHOR - age - timedelta(minutes=rng.randint(0, 600))
        status = rng.choices(list(_STATUS_WEIGHTS), weights=list(_STATUS_WEIGHTS.values()))[0]
        updated = created + timedelta(hours=rng.randint(0, 24 * 60))
        updated = min(updated, DEMO_ANCHOR - timedelta(minutes=rng.randint(1, 600)))
        days, start, end, _ = rng.choices(_WINDOWS, weights=[w[3] for w in _WINDOWS])[0]
        tz = rng.choices(_TIMEZONES, weights=_TIMEZONE_WEIGHTS)[0]
        if tz == "Asia/Riyadh" and len(days) == 5:
            days = _SUNDAY_TO_THURSDAY
        client_id = (
            None if rng.random() < 0.08 else rng.choices(DEMO_CLIENTS, weights=client_weights)[0][0]
        )
        tags = [
            {"tag_id": tag_id, "tag_name": tag_name, "tag_color": tag_color}
            for tag_id, tag_name, tag_color in rng.sample(
                DEMO_TAGS, k=rng.choice((0, 1, 1, 2, 2, 3))
            )
        ]
        limit = rng.choice(_DAILY_LIMITS)
        if rng.random() < 0.03:
            limit = rng.choice((600, 750, 800, 1000))
        name = " · ".join(rng.choice(part) for part in _NAME_PARTS)
        unsubscribe_text = _pick(rng, _UNSUBSCRIBE)
        if status == vocab.DRAFTED and rng.random() < 0.5:
            unsubscribe_text = None  # never set: the live API sends null, not ""
        stamp = _iso_older if created < OLDER_FORMAT_BEFORE else _iso
        record: dict[str, Any] = {
            "id": campaign_id,
            "user_id": 196026,
            "created_at": stamp(created),
            "updated_at": stamp(updated),
            "status": status,
            "name": name,
            "track_settings": list(_pick(rng, _TRACKING)),
            "scheduler_cron_value": {
                "tz": tz,
                "days": list(days),
                "endHour": end,
                "startHour": start,
            },
            "min_time_btwn_emails": rng.choice((3, 5, 8, 10, 12, 15, 20, 24, 30)),
            "max_leads_per_day": limit,
            "stop_lead_settings": _pick(rng, _STOP_SETTINGS),
            "schedule_start_time": (
                stamp(created + timedelta(days=rng.randint(1, 10))) if rng.random() < 0.2 else None
            ),
            "enable_ai_esp_matching": rng.random() < 0.6,
            "send_as_plain_text": rng.random() < 0.55,
            "follow_up_percentage": rng.choice((0, 10, 20, 30, 40, 50)),
            "unsubscribe_text": unsubscribe_text,
            "parent_campaign_id": None,
            "client_id": client_id,
            "tags": tags,
        }
        records.append(record)

    if distinct_schedules:
        _give_each_its_own_schedule(records, random.Random(seed * 7_919 + 1))
    _link_subsequences(records, rng)
    _add_awkward_records(records, rng, awkward_names)
    return records


def _give_each_its_own_schedule(records: list[dict[str, Any]], rng: random.Random) -> None:
    """A different sending window for every campaign: zone, day set and minute-exact times."""
    seen: set[tuple[str, tuple[int, ...], str, str]] = set()
    for record in records:
        while True:
            days = tuple(day for day in range(7) if rng.random() < 0.6) or (rng.randrange(7),)
            start, end = rng.randrange(24 * 60), rng.randrange(24 * 60)
            key = (
                rng.choice(_TIMEZONES),
                days,
                f"{start // 60:02d}:{start % 60:02d}",
                f"{end // 60:02d}:{end % 60:02d}",
            )
            if key not in seen:
                break
        seen.add(key)
        tz, days, start_hour, end_hour = key
        record["scheduler_cron_value"] = {
            "tz": tz,
            "days": list(days),
            "endHour": end_hour,
            "startHour": start_hour,
        }


def _link_subsequences(records: list[dict[str, Any]], rng: random.Random) -> None:
    """About one campaign in nine follows an older one of the same client."""
    for index, record in enumerate(records):
        older = records[index + 1 : index + 40]
        if not older or rng.random() > 0.11:
            continue
        candidates = [r for r in older if r["client_id"] == record["client_id"]] or older
        parent = rng.choice(candidates)
        record["parent_campaign_id"] = parent["id"]
        record["name"] = f"{parent['name']} — follow-up"
        record["tags"] = list(parent["tags"])


def _add_awkward_records(
    records: list[dict[str, Any]], rng: random.Random, awkward_names: bool
) -> None:
    """Spread the oddities of a live account through the portfolio, deterministically (the
    hostile names only when asked for; the random draws are the same either way)."""
    count = len(records)
    if count < 20:
        return
    oddities = max(1, count // 60)
    positions = rng.sample(range(count), k=min(count, oddities * 10))
    chunks = [positions[i::10] for i in range(10)]
    for position in chunks[0]:
        records[position]["tags"] = None
    for position in chunks[1]:
        records[position]["scheduler_cron_value"] = None
    for position in chunks[2]:
        for key in ("unsubscribe_text", "stop_lead_settings", "follow_up_percentage"):
            records[position].pop(key, None)
    for position in chunks[3]:
        records[position]["status"] = "WARMING_UP"
    for position in chunks[4]:
        records[position]["status"] = "DRAFT"
    for number, position in enumerate(chunks[5] if awkward_names else ()):
        records[position]["name"] = AWKWARD_NAMES[number % len(AWKWARD_NAMES)]
    for position in chunks[6]:
        records[position]["track_settings"] = "DONT_EMAIL_OPEN,DONT_LINK_CLICK"
    for position in chunks[7]:
        records[position]["track_settings"] = ["DONT_TRACK_EMAIL_OPEN", "DONT_TRACK_LINK_CLICK"]
    for position in chunks[8]:
        records[position]["parent_campaign_id"] = 99  # a parent that no longer exists
    for position in chunks[9]:
        records[position]["sequence_count"] = rng.randint(1, 6)  # a field the docs don't list
    # The very first oddities make sure a small portfolio holds every awkward name at least once.
    for offset, name in enumerate(AWKWARD_NAMES if awkward_names else ()):
        records[(offset * 7 + 3) % count]["name"] = name


_EARLIER_STATUS = {
    vocab.ACTIVE: vocab.DRAFTED,
    vocab.PAUSED: vocab.ACTIVE,
    vocab.COMPLETED: vocab.ACTIVE,
    vocab.STOPPED: vocab.ACTIVE,
}


def demo_history(
    n: int = 300, seed: int = 7, weeks: int = 6
) -> list[tuple[datetime, list[dict[str, Any]]]]:
    """Weekly snapshots of the demo portfolio, oldest first; the last is ``demo_campaigns``.

    Walking back a week at a time, campaigns created since are absent and a few campaigns had
    another status, daily limit, tag set or sending window, so the Changes page has a
    realistic story to tell in demo mode. Deterministic for a given ``(n, seed, weeks)``.
    """
    rng = random.Random(seed * 1_000 + weeks)
    current = demo_campaigns(n, seed)
    snapshots = [(DEMO_ANCHOR, current)]
    later = current
    for week in range(1, weeks + 1):
        taken_at = DEMO_ANCHOR - timedelta(days=7 * week)
        earlier = []
        for record in later:
            created = _moment(record.get("created_at"))
            if created is not None and created > taken_at:
                continue  # created after this snapshot
            before = dict(record)
            roll = rng.random()
            if roll < 0.03 and before.get("status") in _EARLIER_STATUS:
                before["status"] = _EARLIER_STATUS[before["status"]]
            elif roll < 0.05 and isinstance(before.get("max_leads_per_day"), int):
                before["max_leads_per_day"] = rng.choice(_DAILY_LIMITS)
            elif roll < 0.06 and isinstance(before.get("tags"), list):
                before["tags"] = before["tags"][:-1]
            elif roll < 0.07 and isinstance(before.get("scheduler_cron_value"), dict):
                window = dict(before["scheduler_cron_value"])
                window["startHour"], window["endHour"] = "08:00", "20:00"
                before["scheduler_cron_value"] = window
            earlier.append(before)
        if earlier:  # one campaign a week existed then and was deleted since
            gone = dict(rng.choice(earlier))
            gone["id"] = 2_600_000 + week
            gone["name"] = f"{gone.get('name')} (deleted since)"
            earlier.append(gone)
        snapshots.append((taken_at, earlier))
        later = earlier
    return list(reversed(snapshots))


def demo_analytics(campaign_id: int, record: dict[str, Any] | None = None) -> dict[str, Any]:
    """A campaign's analytics answer, shaped as SmartLead sends it; the same id, the same figures.

    Counters are strings, as SmartLead sends them, with plausible ratios (most campaigns
    reply 2–7 % and bounce under 3 %; about one in twelve barely gets replies and one in
    fifteen bounces 6–15 %). A drafted campaign has sent nothing. About one campaign in ten
    sends some counters as JSON numbers, one in twelve has null click counters and one in
    twenty a malformed ``unsubscribed_count`` (``"N/A"``, ``"-1"`` or ``""``). ``record`` (the
    campaign) supplies the status and the client fields, and for an active or paused campaign
    its daily limit tells how many leads are not started yet (:func:`demo_leads_not_started`),
    so the demo's runways are plausible and tell each of the runway's stories.
    """
    record = record if isinstance(record, dict) else {}
    rng = random.Random(campaign_id * 7919 + 104_729)
    leads = rng.randint(40, 3000)
    status = vocab.canonical_status(record.get("status"))
    sequences = rng.randint(1, 5)
    contacted = 0 if status == vocab.DRAFTED else int(leads * rng.uniform(0.15, 1.0))
    sent = contacted + int(contacted * (sequences - 1) * rng.uniform(0.2, 0.7))
    unique_opens = int(contacted * rng.uniform(0.15, 0.65))
    opens = unique_opens + int(unique_opens * rng.uniform(0.0, 1.5))
    unique_clicks = int(contacted * rng.uniform(0.0, 0.05))
    clicks = unique_clicks + int(unique_clicks * rng.uniform(0.0, 0.8))
    reply_rate = rng.uniform(0.0, 0.003) if rng.random() < 1 / 12 else rng.uniform(0.02, 0.07)
    bounce_rate = rng.uniform(0.06, 0.15) if rng.random() < 1 / 15 else rng.uniform(0.0, 0.03)
    replies = int(contacted * reply_rate)
    bounces = int(contacted * bounce_rate)
    unsubscribed = int(contacted * rng.uniform(0.0, 0.015))
    blocked = int(contacted * rng.uniform(0.0, 0.005))
    completed = int(contacted * rng.uniform(0.0, 0.8))
    paused = rng.randint(0, 3)
    stopped = replies + bounces
    in_progress = max(contacted - completed - stopped - paused, 0)
    counters: dict[str, Any] = {
        "sent_count": sent,
        "unique_sent_count": contacted,
        "open_count": opens,
        "unique_open_count": unique_opens,
        "click_count": clicks,
        "unique_click_count": unique_clicks,
        "reply_count": replies,
        "bounce_count": bounces,
        "block_count": blocked,
        "unsubscribed_count": unsubscribed,
        "total_count": leads,
        "drafted_count": 0,
        "sequence_count": sequences,
    }
    as_numbers = rng.random() < 0.1
    null_clicks = rng.random() < 1 / 12
    malformed = rng.random() < 1 / 20
    body: dict[str, Any] = {
        "id": campaign_id,
        "user_id": record.get("user_id", 4242),
        "created_at": record.get("created_at"),
        "status": record.get("status"),
        "name": record.get("name"),
    }
    for name, value in counters.items():
        body[name] = value if as_numbers and name in ("sent_count", "reply_count") else str(value)
    if null_clicks:
        body["click_count"] = None
        body["unique_click_count"] = None
    if malformed:
        body["unsubscribed_count"] = rng.choice(("N/A", "-1", ""))
    interested = int(replies * rng.uniform(0.1, 0.5))
    not_started = demo_leads_not_started(campaign_id, status, record.get("max_leads_per_day"))
    if not_started is not None:
        leads = contacted + not_started
        body["total_count"] = str(leads)
    body["campaign_lead_stats"] = {
        "total": leads,
        "notStarted": leads - contacted,
        "inprogress": in_progress,
        "completed": completed,
        "paused": paused,
        "stopped": stopped,
        "blocked": blocked,
        "interested": interested,
    }
    client_id = record.get("client_id")
    body.update(
        {
            "client_id": client_id,
            "client_name": None if client_id is None else f"Client {client_id}",
            "client_email": None if client_id is None else f"client{client_id}@example.com",
            "client_company_name": None,
        }
    )
    return body


DEMO_NO_LEADS_SHARE = 0.05
"""Share of active demo campaigns (with a daily limit) whose leads are all started."""
DEMO_RUNNING_DRY_SHARE = 0.10
"""Share of active demo campaigns with at most three days of leads at their limit."""
DEMO_PAUSED_WAITING_SHARE = 0.4
"""Share of paused demo campaigns with many leads waiting (12 to 40 days' worth)."""


def demo_leads_not_started(campaign_id: int, status: str, limit: Any) -> int | None:
    """The leads a demo campaign has not started yet, told by its daily limit: None (keep the
    figure the other counters give) unless it is active or paused with a daily limit.

    Active: about one in twenty has none left, one in ten between half a day and three days
    of its limit, the others 4 to 60 days' worth. Paused: about two in five have 12 to 40
    days' worth waiting (600 at least), the others up to 10 days'. Deterministic per id.
    """
    if not isinstance(limit, int) or isinstance(limit, bool) or limit <= 0:
        return None
    rng = random.Random(campaign_id * 104_729 + 7_919)
    roll = rng.random()
    if status == vocab.ACTIVE:
        if roll < DEMO_NO_LEADS_SHARE:
            return 0
        if roll < DEMO_NO_LEADS_SHARE + DEMO_RUNNING_DRY_SHARE:
            return max(1, int(limit * rng.uniform(0.5, 3.0)))
        return int(limit * rng.uniform(4.0, 60.0))
    if status == vocab.PAUSED:
        if roll < DEMO_PAUSED_WAITING_SHARE:
            return max(600, int(limit * rng.uniform(12.0, 40.0)))
        return int(limit * rng.uniform(0.0, 10.0))
    return None


# --------------------------------------------------------------------------- mailboxes

_MAILBOX_PROVIDERS = (("GMAIL", 45), ("OUTLOOK", 30), ("SMTP", 20), ("ZOHO", 5))
_MAILBOX_HOSTS = {
    "GMAIL": ("smtp.gmail.com", 465, "imap.gmail.com", 993),
    "OUTLOOK": ("smtp.office365.com", 587, "outlook.office365.com", 993),
    "ZOHO": ("smtp.zoho.com", 465, "imap.zoho.com", 993),
}
_MAILBOX_CAPS = ((30, 20), (40, 30), (50, 35), (25, 10), (45, 5))
_SENDER_NAMES = (
    "Alex",
    "Sam",
    "Jordan",
    "Taylor",
    "Morgan",
    "Casey",
    "Jamie",
    "Riley",
    "Drew",
    "Quinn",
    "Avery",
    "Reese",
)
_DOMAIN_ENDINGS = ("", "-mail", "hq", "-team")
_SMTP_FAILURES = (
    "535 5.7.8 Username and Password not accepted. Learn more at https://support.google.com/mail/?p=BadCredentials",
    "Connection timed out while connecting to the SMTP server (port 587)",
    "550 5.7.1 Sending blocked: the account was locked by the provider",
)
_IMAP_FAILURES = (
    "[AUTHENTICATIONFAILED] Invalid credentials (Failure)",
    "IMAP connection closed by the server: OAuth token expired or revoked",
)

DEMO_MAILBOX_FIRST_ID = 880_001
"""The demo's first mailbox id (ids count up from it)."""


def _client_slug(client_id: Any) -> str:
    named = dict(DEMO_CLIENTS).get(client_id)
    if named:
        return named.split()[0].lower()
    return "agency" if client_id is None else f"client{client_id}"


def _mailbox_record(
    rng: random.Random, mailbox_id: int, client_id: Any, domain: str
) -> dict[str, Any]:
    """One mailbox shaped like ``GET /email-accounts/`` sends it, without its passwords (the
    tests' stand-in adds them, as SmartLead's answer holds them)."""
    provider = _pick(rng, _MAILBOX_PROVIDERS)
    name = rng.choice(_SENDER_NAMES)
    address = f"{name.lower()}{mailbox_id % 1000:03d}@{domain}"
    smtp_host, smtp_port, imap_host, imap_port = _MAILBOX_HOSTS.get(
        provider, (f"mail.{domain}", 587, f"mail.{domain}", 993)
    )
    cap = _pick(rng, _MAILBOX_CAPS)
    created = DEMO_ANCHOR - timedelta(days=rng.randint(20, 400), minutes=rng.randint(0, 900))
    warmup_sent = rng.randint(150, 4000)
    reputation = rng.choice((100, 100, 99, 98, 97, 96, 95, 93, 92))
    return {
        "id": mailbox_id,
        "created_at": _iso(created),
        "updated_at": _iso(created + timedelta(days=rng.randint(0, 19))),
        "user_id": 196026,
        "from_name": f"{name} at {_client_slug(client_id).capitalize()}",
        "from_email": address,
        "username": address,
        "smtp_host": smtp_host,
        "smtp_port": smtp_port,
        "imap_host": imap_host,
        "imap_port": imap_port,
        "type": provider,
        "message_per_day": cap,
        "daily_sent_count": 0,
        "is_smtp_success": True,
        "is_imap_success": True,
        "smtp_failure_error": "" if rng.random() < 0.5 else None,
        "imap_failure_error": "" if rng.random() < 0.5 else None,
        "client_id": client_id,
        "campaign_count": 0,
        "warmup_details": {
            "id": mailbox_id + 5_000_000,
            "status": vocab.WARMUP_ON,
            "total_sent_count": warmup_sent,
            "total_spam_count": int(warmup_sent * (100 - reputation) / 100),
            "warmup_reputation": f"{reputation}%",
        },
    }


def _set_failing(record: dict[str, Any], rng: random.Random, *, smtp: bool, imap: bool) -> None:
    if smtp:
        record["is_smtp_success"] = False
        record["smtp_failure_error"] = rng.choice(_SMTP_FAILURES)
    if imap:
        record["is_imap_success"] = False
        record["imap_failure_error"] = rng.choice(_IMAP_FAILURES)


def demo_mailboxes(
    campaigns: list[Any],
    seed: int = 7,
    *,
    size: int | None = None,
    per_campaign: int | None = None,
) -> tuple[list[dict[str, Any]], dict[int, list[int]]]:
    """Mailboxes for a demo portfolio, and the mailbox ids each campaign sends from.

    Returns ``(mailboxes, campaign_mailboxes)``: the records as ``GET /email-accounts/``
    sends them (without passwords) and, for every campaign of ``campaigns``, the ids
    ``GET /campaigns/{id}/email-accounts`` would list (only active and paused campaigns have
    any). Deterministic for the same ``campaigns`` and ``seed``.

    By default each active or paused campaign gets mailboxes of its client sized to its daily
    limit (some too few, a few shared with another campaign), and about 60 % more mailboxes
    sit idle. Every case the Mailboxes page and its health rules know is present: idle,
    over-committed, SMTP and IMAP failures with SmartLead's failure text, warmup off, low
    reputation, a cap above the norm, no client, a cap that is not set, an undocumented type,
    a reputation that is not a percentage, and an active campaign without mailboxes.

    ``size`` and ``per_campaign`` (for benchmarks) give exactly ``size`` mailboxes and
    ``per_campaign`` distinct mailboxes, drawn from all of them, per active or paused campaign.
    """
    rng = random.Random(seed * 104_729 + 17)
    records = [c for c in campaigns if isinstance(c, dict) and isinstance(c.get("id"), int)]
    sending = [c for c in records if vocab.canonical_status(c.get("status")) in vocab.RESUMABLE]
    links: dict[int, list[int]] = {c["id"]: [] for c in records}
    mailboxes: list[dict[str, Any]] = []
    pools: dict[Any, list[int]] = {}

    def new_mailbox(client_id: Any) -> int:
        mailbox_id = DEMO_MAILBOX_FIRST_ID + len(mailboxes)
        domain = f"{_client_slug(client_id)}{rng.choice(_DOMAIN_ENDINGS)}.example"
        mailboxes.append(_mailbox_record(rng, mailbox_id, client_id, domain))
        pools.setdefault(client_id, []).append(mailbox_id)
        return mailbox_id

    if size is not None:
        owners = [c.get("client_id") for c in records] or [None]
        for _ in range(max(0, size)):
            new_mailbox(rng.choice(owners))
        every = [m["id"] for m in mailboxes]
        for campaign in sending:
            links[campaign["id"]] = rng.sample(every, k=min(per_campaign or 3, len(every)))
    short: int | None = None
    if size is None:
        short = _size_to_plans(sending, links, pools, rng, new_mailbox)
        used = len(mailboxes)
        client_ids = sorted({c.get("client_id") for c in records}, key=str) or [None]
        for _ in range(round(used * 0.6)):
            new_mailbox(rng.choice(client_ids))
        active = [
            c["id"] for c in sending if vocab.canonical_status(c.get("status")) == vocab.ACTIVE
        ]
        empty = [cid for cid in active if short not in links[cid]][2:3]
        for campaign_id in empty:
            links[campaign_id] = []  # an active campaign whose mailbox list is empty
    _count_campaigns(mailboxes, links, rng)
    _add_mailbox_cases(mailboxes, links, rng, short)
    return mailboxes, links


def _size_to_plans(
    sending: list[dict[str, Any]],
    links: dict[int, list[int]],
    pools: dict[Any, list[int]],
    rng: random.Random,
    new_mailbox: Any,
) -> int | None:
    """Give each active or paused campaign mailboxes sized to its daily limit; returns the
    one mailbox given to a big active campaign on its own (short, and over-committed)."""
    short: int | None = None
    for campaign in sending:
        limit = campaign.get("max_leads_per_day")
        limit = limit if isinstance(limit, int) and limit > 0 else 20
        follow_ups = campaign.get("follow_up_percentage")
        follow_ups = follow_ups if isinstance(follow_ups, int) and 0 <= follow_ups <= 80 else 0
        # Roughly enough mailboxes of about 30 a day for the plan, with a little room.
        wanted = min(40, max(1, math.ceil(limit / (1 - follow_ups / 100) * 1.15 / 30)))
        if rng.random() < 0.15:
            wanted = max(1, wanted // 3)  # too few mailboxes for its plan
        client_id = campaign.get("client_id")
        chosen: list[int] = []
        is_active = vocab.canonical_status(campaign.get("status")) == vocab.ACTIVE
        if short is None and limit >= 60 and is_active:
            short = new_mailbox(client_id)  # one mailbox for a big plan
            links[campaign["id"]] = [short]
            continue
        pool = [m for m in pools.get(client_id, []) if m != short]
        if pool and rng.random() < 0.12:
            chosen.extend(rng.sample(pool, k=min(len(pool), rng.randint(1, 2))))
        while len(chosen) < wanted:
            chosen.append(new_mailbox(client_id))
        links[campaign["id"]] = chosen[:wanted]
    return short


def _count_campaigns(
    mailboxes: list[dict[str, Any]], links: dict[int, list[int]], rng: random.Random
) -> None:
    """``campaign_count`` as SmartLead reports it: the campaigns listed here, plus, for some
    mailboxes, finished campaigns whose lists nobody fetches."""
    counts: dict[int, int] = {}
    for mailbox_ids in links.values():
        for mailbox_id in mailbox_ids:
            counts[mailbox_id] = counts.get(mailbox_id, 0) + 1
    for record in mailboxes:
        record["campaign_count"] = counts.get(record["id"], 0) + (
            rng.randint(1, 2) if rng.random() < 0.15 else 0
        )
        if counts.get(record["id"]):
            record["daily_sent_count"] = rng.randint(0, record["message_per_day"])


def _add_mailbox_cases(
    mailboxes: list[dict[str, Any]],
    links: dict[int, list[int]],
    rng: random.Random,
    short: int | None,
) -> None:
    """Make sure every case is present, at fixed places, and sprinkle more in proportion."""
    by_id = {record["id"]: record for record in mailboxes}
    in_use = {m for ids in links.values() for m in ids}
    used = sorted(in_use - {short})
    idle = [record["id"] for record in mailboxes if record["id"] not in in_use]
    cases = [by_id[m] for m in used[:9]]
    if len(cases) == 9:
        _set_failing(cases[0], rng, smtp=True, imap=False)
        _set_failing(cases[1], rng, smtp=False, imap=True)
        cases[2]["warmup_details"]["status"] = vocab.WARMUP_OFF
        cases[3]["warmup_details"]["warmup_reputation"] = "71%"
        cases[4]["message_per_day"] = 150
        cases[5]["client_id"] = None
        cases[6]["message_per_day"] = None
        cases[7]["type"] = "YAHOO"
        cases[8]["warmup_details"]["warmup_reputation"] = "N/A"
    if len(idle) >= 2:
        _set_failing(by_id[idle[0]], rng, smtp=True, imap=True)
        by_id[idle[1]]["warmup_details"]["status"] = vocab.WARMUP_OFF
    special = {record["id"] for record in cases} | set(idle[:2]) | {short}
    for record in mailboxes:
        if record["id"] in special:
            continue
        roll = rng.random()
        if roll < 0.02:
            _set_failing(record, rng, smtp=rng.random() < 0.6, imap=True)
        elif roll < 0.06:
            record["warmup_details"]["status"] = vocab.WARMUP_OFF
        elif roll < 0.11:
            reputation = rng.randint(55, 89)
            record["warmup_details"]["warmup_reputation"] = f"{reputation}%"
        elif roll < 0.14:
            record["message_per_day"] = rng.choice((80, 100, 150, 200))
    if short is not None:
        by_id[short]["message_per_day"] = by_id[short]["daily_sent_count"] = 30


# --------------------------------------------------------------------------- window history

DEMO_BOUNCE_START_DAYS = 12
"""The demo's list-quality story: its largest active campaign starts bouncing this many days
before today, so the trend, the window's bounce rate and the Health page all show it."""

DEMO_HISTORY_COLUMNS: tuple[str, ...] = (
    "sent",
    "new_leads",
    "opened",
    "unique_opened",
    "replied",
    "positive_replied",
    "bounced",
    "unsubscribed",
)
"""What :func:`demo_daily_history` counts per campaign and day."""

_NOT_SENDING = frozenset({vocab.DRAFTED})
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_STOPPED_AT_UPDATE = frozenset({vocab.PAUSED, vocab.STOPPED, vocab.COMPLETED, vocab.ARCHIVED})


def _stream(ids: np.ndarray, ordinals: np.ndarray, stream: int) -> np.ndarray:
    """Uniform numbers in [0, 1) per (campaign, day) and stream: a splitmix64 hash of the
    three, so a day's figures are the same whichever window asks for them."""
    with np.errstate(over="ignore"):
        x = (
            ids[:, None].astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
            + ordinals[None, :].astype(np.uint64) * np.uint64(0xD1B54A32D192ED03)
            + np.uint64(stream) * np.uint64(0x94D049BB133111EB)
        )
        x ^= x >> np.uint64(30)
        x *= np.uint64(0xBF58476D1CE4E5B9)
        x ^= x >> np.uint64(27)
        x *= np.uint64(0x94D049BB133111EB)
        x ^= x >> np.uint64(31)
    return (x >> np.uint64(11)).astype(np.float64) * 2.0**-53


def _day_of(text: Any) -> date | None:
    moment = _moment(text) if text else None
    return None if moment is None else moment.astimezone(UTC).date()


def _sending_days(record: dict[str, Any]) -> int:
    """The campaign's sending weekdays as a bit mask (0 = Monday), 0 without a schedule."""
    cron = record.get("scheduler_cron_value")
    days = cron.get("days") if isinstance(cron, dict) else None
    if not isinstance(days, list):
        return 0
    mask = 0
    for day in days:
        if isinstance(day, int) and not isinstance(day, bool) and 0 <= day <= 6:
            mask |= 1 << vocab.from_smartlead_day(day)
    return mask


def _tracks_opens(record: dict[str, Any]) -> bool:
    flags = record.get("track_settings")
    text = ",".join(flags) if isinstance(flags, list) else str(flags or "")
    return "EMAIL_OPEN" not in text


def demo_bouncing_campaign(records: list[Any]) -> int | None:
    """The id of the campaign that starts bouncing in the demo history: the active campaign
    with a schedule and the highest daily limit (the highest id among equals)."""
    active = [
        r
        for r in records
        if isinstance(r, dict)
        and vocab.canonical_status(r.get("status")) == vocab.ACTIVE
        and isinstance(r.get("id"), int)
        and _sending_days(r)
    ]
    if not active:
        return None
    best = max(active, key=lambda r: (r.get("max_leads_per_day") or 0, r["id"]))
    return int(best["id"])


def demo_daily_history(records: list[Any], start: date, end: date, *, today: date) -> pd.DataFrame:
    """What each demo campaign sent, day by day from ``start`` to ``end``: one row per
    campaign and day with sending (``id``, ``date`` and :data:`DEMO_HISTORY_COLUMNS`).

    Deterministic: a (campaign, day) always gives the same figures, whatever window asks for
    it, so pieces of a window add up to the whole. A campaign sends on its schedule's
    weekdays (none at weekends for a Monday-to-Friday schedule, none without a schedule)
    from its first send (``schedule_start_time``, else its creation) until today when active,
    until its last update when paused, stopped, completed or archived, never as a draft or
    with an unknown status; nothing is sent after ``today``. Each campaign has its own fill
    of its daily limit, follow-up volume and reply, bounce, open and unsubscribe rates
    (about one in twelve barely gets replies); the campaign named by
    :func:`demo_bouncing_campaign` bounces about 9 % from :data:`DEMO_BOUNCE_START_DAYS`
    days before ``today``.
    """
    empty = pd.DataFrame(
        {"id": pd.array([], dtype="int64"), "date": pd.Series([], dtype="datetime64[s]")}
        | {name: pd.array([], dtype="int64") for name in DEMO_HISTORY_COLUMNS}
    )
    last = min(end, today)
    if start > last:
        return empty
    usable = [r for r in records if isinstance(r, dict) and isinstance(r.get("id"), int)]
    ids, first, stop, masks, limits, opens = [], [], [], [], [], []
    for record in usable:
        status = vocab.canonical_status(record.get("status"))
        begins = _day_of(record.get("schedule_start_time")) or _day_of(record.get("created_at"))
        if status == vocab.ACTIVE:
            ends = today
        elif status in _STOPPED_AT_UPDATE:
            ends = _day_of(record.get("updated_at"))
        else:
            ends = None
        limit = record.get("max_leads_per_day")
        if status in _NOT_SENDING or begins is None or ends is None or not isinstance(limit, int):
            continue
        ids.append(record["id"])
        first.append(begins.toordinal())
        stop.append(ends.toordinal())
        masks.append(_sending_days(record))
        limits.append(max(limit, 0))
        opens.append(_tracks_opens(record))
    if not ids:
        return empty
    days = np.arange(start.toordinal(), last.toordinal() + 1, dtype=np.int64)
    id_array = np.array(ids, dtype=np.int64)
    weekdays = np.array([date.fromordinal(int(d)).weekday() for d in days], dtype=np.int64)
    sending = (
        (days[None, :] >= np.array(first)[:, None])
        & (days[None, :] <= np.array(stop)[:, None])
        & ((np.array(masks)[:, None] >> weekdays[None, :]) & 1).astype(bool)
    )
    # Per campaign: how full its days are, its follow-ups and its rates (fixed by its id).
    trait = _stream(id_array, np.arange(8, dtype=np.int64), 1)
    fill = 0.55 + 0.45 * trait[:, 0]
    follow_ups = 0.4 + 1.2 * trait[:, 1]
    reply_p = np.where(trait[:, 2] < 1 / 12, 0.001 * trait[:, 3], 0.008 + 0.022 * trait[:, 3])
    bounce_p = 0.002 + 0.018 * trait[:, 4]
    open_p = np.where(np.array(opens), 0.2 + 0.4 * trait[:, 5], 0.0)
    positive_share = 0.2 + 0.3 * trait[:, 6]
    unsubscribe_p = 0.006 * trait[:, 7]
    bouncing = demo_bouncing_campaign(usable)
    bounce_each_day = np.repeat(bounce_p[:, None], len(days), axis=1)
    if bouncing is not None:
        since = (today - timedelta(days=DEMO_BOUNCE_START_DAYS)).toordinal()
        row = ids.index(bouncing)
        bounce_each_day[row, days >= since] = 0.09

    def draw(stream: int) -> np.ndarray:
        return _stream(id_array, days, stream)

    new_leads = np.floor(np.array(limits)[:, None] * fill[:, None] * (0.8 + 0.4 * draw(11))).astype(
        np.int64
    )
    new_leads = np.where(sending, new_leads, 0)
    sent = new_leads + np.floor(new_leads * follow_ups[:, None] * (0.7 + 0.6 * draw(12))).astype(
        np.int64
    )
    replied = np.floor(sent * reply_p[:, None] + draw(13)).astype(np.int64) * (sent > 0)
    positive = np.floor(replied * positive_share[:, None] + draw(14)).astype(np.int64)
    bounced = np.floor(sent * bounce_each_day + draw(15)).astype(np.int64) * (sent > 0)
    opened = np.floor(sent * open_p[:, None] + draw(16)).astype(np.int64) * (sent > 0)
    unique_opened = np.floor(opened * 0.75 + draw(17)).astype(np.int64)
    unsubscribed = np.floor(sent * unsubscribe_p[:, None] + draw(18)).astype(np.int64) * (sent > 0)
    rows, columns = np.nonzero(sent > 0)
    figures = {
        "sent": sent,
        "new_leads": new_leads,
        "opened": opened,
        "unique_opened": np.minimum(unique_opened, opened),
        "replied": replied,
        "positive_replied": np.minimum(positive, replied),
        "bounced": np.minimum(bounced, sent),
        "unsubscribed": unsubscribed,
    }
    return pd.DataFrame(
        {
            "id": id_array[rows],
            "date": (days[columns] - _EPOCH_ORDINAL)
            .astype("datetime64[D]")
            .astype("datetime64[s]"),
        }
        | {name: figures[name][rows, columns] for name in DEMO_HISTORY_COLUMNS}
    )


def _percent(part: float, whole: float) -> str:
    """A rate as SmartLead writes it: ``"26.67%"`` (``"0.00%"`` when the whole is 0)."""
    return f"{(part / whole * 100) if whole else 0.0:.2f}%"


def demo_window_stats(
    records: list[Any], start: date, end: date, *, today: date, full_data: bool = True
) -> list[dict[str, Any]]:
    """The demo's answer rows to ``GET /analytics/campaign/overall-stats`` for ``start`` to
    ``end``: one per campaign that sent in the range (highest id first), with SmartLead's
    ``full_data`` extras when asked for (leads emailed count new leads and about half the
    follow-ups, the rest going to leads emailed twice; rates as percent text, per lead
    emailed, positive replies per reply)."""
    history = demo_daily_history(records, start, end, today=today)
    if history.empty:
        return []
    totals = history.groupby("id", sort=False)[list(DEMO_HISTORY_COLUMNS)].sum()
    totals = totals.sort_index(ascending=False)
    names = {r["id"]: r.get("name") for r in records if isinstance(r, dict) and "id" in r}
    rows = []
    for cid, figure in zip(totals.index.tolist(), totals.to_dict("records"), strict=True):
        row: dict[str, Any] = {
            "id": int(cid),
            "campaign_name": names.get(cid),
            "sent": int(figure["sent"]),
            "opened": int(figure["opened"]),
            "replied": int(figure["replied"]),
            "bounced": int(figure["bounced"]),
        }
        if full_data:
            leads = int(figure["new_leads"] + (figure["sent"] - figure["new_leads"]) // 2)
            row |= {
                "open_rate": _percent(figure["unique_opened"], leads),
                "reply_rate": _percent(figure["replied"], leads),
                "bounce_rate": _percent(figure["bounced"], leads),
                "positive_reply_rate": _percent(figure["positive_replied"], figure["replied"]),
                "positive_replied": int(figure["positive_replied"]),
                "unique_lead_count": leads,
                "unique_open_count": int(figure["unique_opened"]),
                "unsubscribed": int(figure["unsubscribed"]),
            }
        rows.append(row)
    return rows


def demo_day_stats(
    records: list[Any], start: date, end: date, *, today: date
) -> list[dict[str, Any]]:
    """The demo's answer rows to ``GET /analytics/day-wise-overall-stats``: every day from
    ``start`` to ``end``, dated as SmartLead dates them (``"20 Apr"``, no year)."""
    history = demo_daily_history(records, start, end, today=today)
    per_day = history.groupby(history["date"].dt.date)[list(DAY_COUNTERS)].sum()
    rows = []
    day = start
    while day <= end:
        figures = per_day.loc[day] if day in per_day.index else None
        rows.append(
            {
                "date": f"{day.day} {day:%b}",
                "day_name": f"{day:%A}",
                "email_engagement_metrics": {
                    name: 0 if figures is None else int(figures[name]) for name in DAY_COUNTERS
                },
            }
        )
        day += timedelta(days=1)
    return rows


DAY_COUNTERS: tuple[str, ...] = ("sent", "opened", "replied", "bounced", "unsubscribed")
"""The counters of a day in SmartLead's day-wise answer (``email_engagement_metrics``)."""
