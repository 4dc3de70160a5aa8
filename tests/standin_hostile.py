"""Hostile SmartLead answers: the adversarial probe of issue 17, kept as stand-in modes.

Whoever can edit a SmartLead account (a client, a colleague, a compromised login) controls
campaign names, tag names and colours and client names; whoever answers for SmartLead's
address (a proxy, a broken upstream) controls error text, timing and the shape of the bytes.
Each function here serves one such attack through the real stand-in server
(:mod:`tests.standin`), so the tests see it arrive over a socket as it would in production.

Everything hostile points at :data:`ATTACKER`, a host outside the dashboard's origin: a browser
test that sees any request to it has found a leak (an image, a stylesheet, a link followed).
"""

from __future__ import annotations

import random
import string
from typing import Any

from tests.standin import Reply, StandinRequest, StandinSmartlead

ATTACKER = "http://attacker.invalid"
"""A host that is not the dashboard's: no page of ours may ever make the browser ask it."""

HOSTILE_KEY = "sk-HOSTILE-CANARY-3e8d1f0a"
"""The key whose account holds :func:`hostile_portfolio` (a canary too: it must not leak)."""

# --------------------------------------------------------------------------- names (1, 2, 10)

FORMULA_AFTER_CR = "Quarterly report\r=cmd|' /C calc'!A0"
"""Finding 1: a lone carriage return that pandas leaves unquoted starts a new CSV row."""

FORMULAS_AFTER_LINE_BREAKS: tuple[str, ...] = (
    FORMULA_AFTER_CR,
    "Notes\n@SUM(1+1)*cmd|' /C calc'!A0",
    'Plan\r\n+HYPERLINK("http://attacker.invalid/","x")',
    "Two\r\r-2+3",
)
"""Every kind of line break followed by a formula trigger."""

TERMINAL_ESCAPES = (
    "\x1b]0;owned title\x07"  # OSC 0: change the terminal's title
    "\x1b[2J\x1b[H"  # CSI: clear the screen, cursor home
    "\x1b]8;;http://attacker.invalid/\x1b\\click here\x1b]8;;\x1b\\"  # OSC 8: a hidden link
    "\x9b31m"  # an 8-bit CSI: red text
)
"""Finding 9: sequences a terminal acts on, as upstream text may hold them."""

ESCAPE_PIECES: tuple[str, ...] = ("\x1b", "\x9b", "\x07", "]0;", "[2J", "]8;;")
"""What must not be left of :data:`TERMINAL_ESCAPES` in anything the CLI prints."""


def markdown_names(attacker: str = ATTACKER) -> dict[str, str]:
    """Names that do something when rendered as Markdown (findings 2, 4 and 10)."""
    return {
        "pixel": f"![pixel]({attacker}/x.png)",
        "link": f"[Open me]({attacker}/phish)",
        "styled": ":red[alarm] :material/warning: **bold** $x^2$",
        "bare_url": f"Visit {attacker}/landing now",
        "www": "See www.attacker.invalid today",
        "email": "Write to boss@attacker.invalid today",
    }


# --------------------------------------------------------------------------- colours (3)


def hostile_colors(attacker: str = ATTACKER) -> tuple[str, ...]:
    """Tag colours that are not colours: a fetched URL, CSS and markup injections, a script."""
    return (
        f"url({attacker}/fill.svg#a)",
        f"red;background:url({attacker}/bg.png)",
        f"</style><img src={attacker}/style.png>",
        "javascript:alert(1)",
        "#12345",  # almost a colour
    )


# --------------------------------------------------------------------------- a portfolio


PARENT_ID = 900
"""The campaign whose subsequences are named in Markdown (finding 2)."""

DUPLICATE_ID = 5
"""The id three campaigns share (finding 11), named "first", "second" and "third"."""

HUGE_LIMITS: tuple[int, ...] = (2**62, 2**62, 2**62, 2**53 + 1, -(2**53) - 1, -7)
"""Daily limits outside any sane range (finding 6): three 2**62 wrap an int64 sum."""


def _campaign(campaign_id: int, name: str, **fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": campaign_id,
        "name": name,
        "status": "ACTIVE",
        "created_at": "2026-01-05T10:00:00.000Z",
        "updated_at": "2026-01-06T10:00:00.000Z",
        "max_leads_per_day": 50,
        "min_time_btwn_emails": 10,
        "client_id": None,
        "parent_campaign_id": None,
        "track_settings": ["DONT_EMAIL_OPEN", "DONT_LINK_CLICK"],
        "stop_lead_settings": "REPLY_TO_AN_EMAIL",
        "unsubscribe_text": "Reply stop",
        "scheduler_cron_value": {
            "tz": "Europe/London",
            "days": [1, 2, 3, 4, 5],
            "startHour": "09:00",
            "endHour": "17:00",
        },
        "tags": [],
    }
    record.update(fields)
    return record


def hostile_portfolio(attacker: str = ATTACKER) -> list[dict[str, Any]]:
    """One account holding every hostile value the probe used, beside ordinary campaigns.

    - a parent (:data:`PARENT_ID`, "Parent of hostile children") whose subsequences carry the
      :func:`markdown_names`; a campaign named with a bare URL stands alone too;
    - campaigns whose names hold a formula after a line break;
    - tags whose colours are :func:`hostile_colors`, and one with a real colour;
    - three campaigns with id :data:`DUPLICATE_ID`;
    - a client named "(no client)" and a tag named "(untagged)" (finding 12);
    - daily limits of :data:`HUGE_LIMITS` on active campaigns, and one of 10**9 (finding 6).
    """
    records = [_campaign(PARENT_ID, "Parent of hostile children", client_id=41)]
    for offset, name in enumerate(markdown_names(attacker).values(), start=1):
        records.append(_campaign(PARENT_ID + offset, name, parent_campaign_id=PARENT_ID))
    records.append(_campaign(800, f"Landing page {attacker}/welcome", client_id=42))
    for offset, name in enumerate(FORMULAS_AFTER_LINE_BREAKS):
        records.append(_campaign(700 + offset, name, client_id=42))
    for offset, color in enumerate(hostile_colors(attacker)):
        tag = {"tag_id": 60 + offset, "tag_name": f"Hostile colour {offset}", "tag_color": color}
        # These also track opens and clicks: two Health rules with findings beside others.
        records.append(_campaign(600 + offset, f"Coloured {offset}", tags=[tag], track_settings=[]))
    records.append(
        _campaign(
            610,
            "Properly coloured",
            tags=[{"tag_id": 70, "tag_name": "Proper", "tag_color": "#1565c0"}],
        )
    )
    for name in ("first", "second", "third"):
        records.append(_campaign(DUPLICATE_ID, name, client_id=42))
    records.append(_campaign(500, "Belongs to the client called (no client)", client_id=41))
    records.append(_campaign(501, "Belongs to no client"))
    records.append(
        _campaign(
            502,
            "Tagged (untagged) for real",
            tags=[{"tag_id": 71, "tag_name": "(untagged)", "tag_color": "#2e7d32"}],
        )
    )
    records.append(_campaign(503, "Not tagged at all"))
    for offset, limit in enumerate(HUGE_LIMITS):
        records.append(_campaign(400 + offset, f"Huge limit {offset}", max_leads_per_day=limit))
    records.append(_campaign(410, "The largest sane limit", max_leads_per_day=10**9))
    return records


def hostile_clients(attacker: str = ATTACKER) -> list[dict[str, Any]]:
    """A client literally named "(no client)" and one whose name is a Markdown image."""
    return [
        {"id": 41, "name": "(no client)", "email": "a@example.com"},
        {"id": 42, "name": f"![logo]({attacker}/client.png) Acme", "email": "b@example.com"},
    ]


def serve_hostile(
    standin: StandinSmartlead, key: str = HOSTILE_KEY, attacker: str = ATTACKER
) -> list[dict[str, Any]]:
    """Give ``key`` the :func:`hostile_portfolio` and :func:`hostile_clients`; returns the
    portfolio."""
    records = hostile_portfolio(attacker)
    standin.portfolios[key] = records
    standin.clients[key] = hostile_clients(attacker)
    return records


# --------------------------------------------------------------------------- error bodies (4, 9)


def markdown_error(attacker: str = ATTACKER, status: int = 500) -> Reply:
    """An error whose text renders as Markdown and LaTeX, and holds a bare URL (findings 4, 10)."""
    return Reply.json(
        {"error": f"![x]({attacker}/err.png) :red[down] $\\sqrt{{2}}$ see {attacker}/status"},
        status=status,
    )


def escape_error(status: int = 500) -> Reply:
    """An error whose text drives a terminal (finding 9)."""
    return Reply.json({"message": f"{TERMINAL_ESCAPES}Upstream failure"}, status=status)


def serve_client_names_failing(standin: StandinSmartlead, key: str, reply: Reply) -> None:
    """``GET /client/`` answers ``reply`` for ``key`` (the rest as before): the campaigns load,
    and the dashboard and CLI show a notice quoting SmartLead's error text."""

    def clients(request: StandinRequest) -> Reply:
        if request.api_key == key:
            return reply
        listed = standin.clients.get(request.api_key or "")
        return Reply.not_an_agency() if listed is None else Reply.json(list(listed))

    standin.add_route("GET", r"/client", clients)


# --------------------------------------------------------------------------- the key echoed (7)


LONG_KEY = "sk-" + "".join(
    random.Random(17).choices(string.ascii_letters + string.digits, k=10_000)
)
"""A 10 kB key, the same in every run (letters and digits, as keys are)."""


def key_echoes(key: str) -> dict[str, Reply]:
    """Ways an upstream echoes the key in an error (finding 7), each refused with a 4xx."""
    spaced = " ".join(key[i : i + 37] for i in range(0, len(key), 37))
    wrapped = "\n".join(key[i : i + 61] for i in range(0, len(key), 61))
    # SmartLead's text is cut at 200 characters: the cut falls in the middle of the key.
    cut = "Rejected: " + "x" * 150 + " " + key
    return {
        "json": Reply.json({"message": f"Invalid API key {key}"}, status=400),
        "html-title": Reply.html(403, title=f"Access denied for {key}"),
        "spaced": Reply.json({"message": f"Invalid key: {spaced}"}, status=400),
        "wrapped": Reply.json({"message": f"Invalid key:\n{wrapped}"}, status=400),
        "cut-at-200": Reply.json({"message": cut}, status=400),
        "plain-text": Reply(400, f"bad key {key}", content_type="text/plain"),
    }


def key_fragments(key: str, size: int = 8) -> set[str]:
    """Every run of ``size`` characters of ``key``: none may appear anywhere a user can look."""
    return {key[i : i + size] for i in range(len(key) - size + 1)}


def leaked_fragment(text: str, key: str, size: int = 8) -> str | None:
    """The first run of ``size`` key characters found in ``text``, or None."""
    fragments = key_fragments(key, size)
    for position in range(len(text) - size + 1):
        if text[position : position + size] in fragments:
            return text[position : position + size]
    return None


# --------------------------------------------------------------------------- bytes (5, 8)


def drip(body: bytes, seconds_per_byte: float) -> Reply:
    """``body`` sent one byte every ``seconds_per_byte``, its length announced (finding 5)."""
    return Reply(body=body, drip=seconds_per_byte)


def deep_json(depth: int = 100_000) -> Reply:
    """``[`` × ``depth``: nesting no parser can follow (finding 8)."""
    return Reply(body=b"[" * depth)


def deep_but_parseable(depth: int = 900) -> Reply:
    """A campaign list whose one record holds a list nested ``depth`` deep: Python's parser
    reads it, and every recursive walk after it (encoding, pickling) may run out of stack."""
    nested = "[" * depth + "]" * depth
    return Reply(body=f'[{{"id": 1, "name": "deep", "notes": {nested}}}]'.encode())
