"""The weekly portfolio report's facts: built once, here, and only formatted elsewhere.

A :class:`Report` is a title, when it was made, what it covers and a tuple of
:class:`Section` values. Each section is either present with plain, JSON-ready data, or
absent with one sentence saying why (no earlier snapshot, figures not fetched, ...). The
renderers (:mod:`smartlead.report_render`) format the same facts as text, Markdown, HTML and
JSON; the JSON *is* :meth:`Report.as_dict`.

The client-facing version (``audience="client"``) is built from that client's campaigns
alone (the caller passes only their records), leaves out the settings audit (its wording is
the agency's internal vocabulary, and some rules compare a campaign with the rest of the
portfolio) and the ``field``/``tags`` changes (internal settings and labels, which may name
other clients), and names no account, snapshot id or file.

Pure: no I/O; the command line (:mod:`smartlead.cli.report`) gathers the inputs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

import pandas as pd

from smartlead import vocab
from smartlead.frame import int_field
from smartlead.history.diff import diff_snapshots
from smartlead.history.model import Snapshot
from smartlead.runway import refill_queue

Audience = Literal["agency", "client"]

TOP_ROWS = 10
"""Rows per list in a section (top movers, refill queue, new findings)."""

CHANGE_ROWS = 50
"""Change rows listed in full; the counts always cover every change."""

CLIENT_CHANGE_KINDS: tuple[str, ...] = ("added", "removed", "status", "daily_limit", "schedule")
"""The kinds of change a client sees: what their campaigns do, not internal settings/labels."""

RUNWAY_HORIZON_DAYS = 14
"""Campaigns running out of new leads within this many days are listed."""

PERFORMANCE_COUNTERS: tuple[tuple[str, str], ...] = (
    ("window_sent", "sent"),
    ("window_replied", "replied"),
    ("window_positive_replied", "positive replies"),
    ("window_bounced", "bounced"),
    ("window_unsubscribed", "unsubscribed"),
)
"""The window counters the performance section sums, with their labels."""


@dataclass(frozen=True)
class Section:
    """One part of the report: its data when available, else one sentence saying why not."""

    key: str
    title: str
    data: Mapping[str, Any] | None = None
    reason: str = ""

    @property
    def present(self) -> bool:
        """Whether the section has data to show (else :attr:`reason` says why)."""
        return self.data is not None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "key": self.key,
            "title": self.title,
            "present": self.present,
            "reason": self.reason or None,
            "data": None if self.data is None else dict(self.data),
        }


@dataclass(frozen=True)
class Report:
    """The report's facts, the same for every format."""

    title: str
    generated_at: datetime
    audience: Audience
    scope: str
    since: Mapping[str, Any] | None
    sections: tuple[Section, ...]
    dashboard_url: str | None = None
    findings_fingerprint: frozenset[str] = field(default_factory=frozenset, compare=False)

    def section(self, key: str) -> Section:
        """The section named ``key`` (KeyError when the report has none of that name)."""
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)

    def has(self, key: str) -> bool:
        """Whether the report holds a section named ``key`` (present or absent)."""
        return any(section.key == key for section in self.sections)

    def headline(self) -> list[str]:
        """The few counts that matter, as short phrases (the chat message and email subject)."""
        parts: list[str] = []
        overview = self.section("overview").data or {}
        parts.append(f"{overview.get('campaigns', 0)} campaigns")
        if self.has("changes") and self.section("changes").present:
            changes = self.section("changes").data or {}
            parts.append(f"{changes.get('total', 0)} changes")
        if self.has("health") and self.section("health").present:
            health = self.section("health").data or {}
            if health.get("compared"):
                parts.append(f"{health.get('new_total', 0)} new findings")
                parts.append(f"{health.get('resolved_total', 0)} resolved")
            else:
                parts.append(f"{health.get('total', 0)} findings")
        if self.has("runway") and self.section("runway").present:
            runway = self.section("runway").data or {}
            parts.append(f"{runway.get('running_dry', 0)} running out of leads")
        if self.has("capacity") and self.section("capacity").present:
            capacity = self.section("capacity").data or {}
            parts.append(f"{capacity.get('short_campaigns', 0)} short of mailbox capacity")
        if self.has("performance") and self.section("performance").present:
            now = (self.section("performance").data or {}).get("current", {})
            parts.append(f"{now.get('replied', 0)} replies in 7 days")
        return parts

    def as_dict(self) -> dict[str, Any]:
        """The facts as JSON-ready data (what ``--format json`` writes)."""
        return {
            "title": self.title,
            "generated_at": self.generated_at.isoformat(),
            "audience": self.audience,
            "scope": self.scope,
            "since": None if self.since is None else dict(self.since),
            "dashboard_url": self.dashboard_url,
            "headline": self.headline(),
            "sections": [section.as_dict() for section in self.sections],
        }


# --------------------------------------------------------------------------- helpers


def _plain(value: Any) -> Any:
    """A JSON-ready scalar: None for missing values, ints and floats as Python's own."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, datetime | date | pd.Timestamp):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value


def _rows(frame: pd.DataFrame, columns: Iterable[str]) -> list[dict[str, Any]]:
    names = [c for c in columns if c in frame.columns]
    return [
        {name: _plain(value) for name, value in zip(names, row, strict=True)}
        for row in frame[names].itertuples(index=False, name=None)
    ]


def findings_fingerprint(findings: pd.DataFrame) -> frozenset[str]:
    """The findings as ``rule_id:campaign_id`` keys, to tell new findings from known ones."""
    if len(findings) == 0:
        return frozenset()
    ids = pd.array(findings["id"], dtype="Int64")
    return frozenset(
        f"{rule}:{'' if cid is pd.NA else int(cid)}"
        for rule, cid in zip(findings["rule_id"], ids, strict=True)
    )


# --------------------------------------------------------------------------- scope


def in_client(records: list[Any], client_id: int) -> list[Any]:
    """The records of ``client_id``'s campaigns (read as the frame reads ``client_id``)."""
    ids = int_field(records, "client_id")
    return [r for r, cid in zip(records, ids, strict=True) if cid is not pd.NA and cid == client_id]


def client_entry(clients: list[Any], client_id: int) -> dict[str, Any] | None:
    """The client list's entry for ``client_id`` (None when SmartLead does not list it)."""
    for client in clients:
        if isinstance(client, dict) and int_field([client], "id")[0] == client_id:
            return client
    return None


def scoped_changes(
    base: Snapshot, records: list[Any], clients: list[Any], client_id: int | None
) -> pd.DataFrame:
    """What changed from ``base`` to ``records``. For one client, both sides hold only that
    client's campaigns and its own client entry, so a campaign that moved to another client
    is "removed", never shown under the other client's name."""
    if client_id is None:
        return diff_snapshots(base, records, clients=clients)
    entry = client_entry(clients, client_id)
    return diff_snapshots(
        in_client(base.records, client_id),
        in_client(records, client_id),
        clients=[entry] if entry is not None else [],
    )


def since_facts(base: Snapshot, audience: Audience) -> dict[str, Any]:
    """What the report says about the snapshot it compares with (no id for a client)."""
    facts: dict[str, Any] = {"taken_at": f"{base.info.taken_at:%Y-%m-%d %H:%M} UTC"}
    if audience == "agency":
        facts["id"] = base.info.id
    return facts


# --------------------------------------------------------------------------- sections


def overview_section(frame: pd.DataFrame) -> Section:
    """The current state: campaigns by status, daily limit of the active ones, clients."""
    status = frame["status"].astype("string").fillna("UNKNOWN") if len(frame) else pd.Series()
    counts = status.value_counts()
    order = vocab.status_order([s for s in counts.index if isinstance(s, str)])
    active = (status == vocab.ACTIVE).to_numpy(dtype=bool) if len(frame) else []
    limits = pd.to_numeric(frame["max_leads_per_day"], errors="coerce") if len(frame) else None
    active_limit = int(limits[active].fillna(0).sum()) if limits is not None else 0
    clients = frame["client_name"].astype("string").dropna().nunique() if len(frame) else 0
    return Section(
        "overview",
        "Portfolio now",
        {
            "campaigns": len(frame),
            "by_status": {s: int(counts[s]) for s in order if s in counts.index},
            "active_daily_limit": active_limit,
            "clients": int(clients),
        },
    )


def changes_section(
    changes: pd.DataFrame | None, reason: str, audience: Audience = "agency"
) -> Section:
    """What changed since the base snapshot: counts per kind and the first rows."""
    title = "Changes since the last report"
    if changes is None:
        return Section("changes", title, reason=reason)
    kinds = vocab.CHANGE_KINDS if audience == "agency" else CLIENT_CHANGE_KINDS
    if len(changes):
        changes = changes[changes["kind"].isin(list(kinds))]
    counts = changes["kind"].value_counts() if len(changes) else pd.Series(dtype="int64")
    columns = ("kind", "name", "client_name", "field", "before", "after")
    if audience == "client":
        columns = ("kind", "name", "before", "after")
    return Section(
        "changes",
        title,
        {
            "total": len(changes),
            "by_kind": {kind: int(counts.get(kind, 0)) for kind in kinds},
            "rows": _rows(changes.head(CHANGE_ROWS), columns),
            "more": max(0, len(changes) - CHANGE_ROWS),
        },
    )


def health_section(
    findings: pd.DataFrame, previous: frozenset[str] | None, previous_reason: str = ""
) -> Section:
    """Health findings now, and those new and resolved since the last report."""
    fingerprint = findings_fingerprint(findings)
    severity = findings["severity"].astype("string") if len(findings) else pd.Series()
    by_severity = {s: int((severity == s).sum()) for s in vocab.SEVERITIES}
    keys = (
        [
            f"{rule}:{'' if cid is pd.NA else int(cid)}"
            for rule, cid in zip(
                findings["rule_id"], pd.array(findings["id"], dtype="Int64"), strict=True
            )
        ]
        if len(findings)
        else []
    )
    columns = ("severity", "title", "name", "client_name", "detail")
    if previous is None:
        new_rows: list[dict[str, Any]] = []
        resolved: list[dict[str, Any]] = []
        new_rows = _rows(findings.head(TOP_ROWS), columns)
        listed = (
            "every finding is listed."
            if len(new_rows) == len(findings)
            else f"the first {len(new_rows)} are listed."
        )
        note = f"{previous_reason or 'No earlier report to compare with.'} Nothing is new or "
        note += f"resolved yet; {listed}"
    else:
        fresh = [key not in previous for key in keys]
        new_rows = _rows(findings[fresh], columns) if len(findings) else []
        resolved = [_split_key(key) for key in sorted(previous - fingerprint)]
        note = ""
    return Section(
        "health",
        "Health findings",
        {
            "total": len(findings),
            "by_severity": by_severity,
            "compared": previous is not None,
            "note": note or None,
            "new_total": len(new_rows) if previous is not None else 0,
            "resolved_total": len(resolved),
            "new": new_rows[: TOP_ROWS * 5],
            "resolved": resolved[: TOP_ROWS * 5],
        },
    )


def _split_key(key: str) -> dict[str, Any]:
    rule, _, cid = key.partition(":")
    return {"rule_id": rule, "id": int(cid) if cid.isdigit() else None}


def _totals(frame: pd.DataFrame) -> dict[str, int]:
    totals: dict[str, int] = {}
    for column, label in PERFORMANCE_COUNTERS:
        values = pd.to_numeric(frame[column], errors="coerce") if column in frame else pd.Series()
        totals[label] = int(values.fillna(0).sum())
    return totals


def _rate(part: int, whole: int) -> float | None:
    return None if whole <= 0 else part / whole


PERFORMANCE_TITLE = "Performance: the last 7 days against the 7 before"


def performance_section(
    current: pd.DataFrame | None,
    previous: pd.DataFrame | None,
    labels: tuple[str, str] = ("", ""),
    reason: str = "",
    title: str = PERFORMANCE_TITLE,
) -> Section:
    """One period against the one before (the last 7 days by default): totals and rates."""
    if current is None or previous is None:
        return Section("performance", title, reason=reason)
    now, before = _totals(current), _totals(previous)
    for totals in (now, before):
        totals["reply_rate"] = _rate(totals["replied"], totals["sent"])  # type: ignore[assignment]
        totals["bounce_rate"] = _rate(totals["bounced"], totals["sent"])  # type: ignore[assignment]
    return Section(
        "performance",
        title,
        {
            "current_label": labels[0],
            "previous_label": labels[1],
            "current": now,
            "previous": before,
        },
    )


def movers_section(
    current: pd.DataFrame | None,
    previous: pd.DataFrame | None,
    audience: Audience = "agency",
    reason: str = "",
) -> Section:
    """The campaigns (and clients) whose sending and replies moved most between the windows."""
    title = "Top movers"
    if current is None or previous is None:
        return Section("movers", title, reason=reason)
    key = ["id", "name", "client_name"]
    joined = current[key].copy()
    for column in ("window_sent", "window_replied"):
        now = pd.to_numeric(current[column], errors="coerce").fillna(0).to_numpy()
        before = (
            pd.to_numeric(previous.set_index("id")[column], errors="coerce")
            .groupby(level=0)
            .sum()
            .reindex(current["id"])
            .fillna(0)
            .to_numpy()
        )
        joined[column.removeprefix("window_")] = now
        joined[column.removeprefix("window_") + "_change"] = now - before
    joined["movement"] = joined["sent_change"].abs() + 10 * joined["replied_change"].abs()
    moved = joined[joined["movement"] > 0].sort_values(["movement", "id"], ascending=[False, True])
    columns = ("name", "client_name", "sent", "sent_change", "replied", "replied_change")
    data: dict[str, Any] = {"campaigns": _rows(moved.head(TOP_ROWS), columns)}
    if audience == "agency":
        per_client = (
            joined.assign(client_name=joined["client_name"].astype("string").fillna("(no client)"))
            .groupby("client_name", sort=True)[["sent", "sent_change", "replied", "replied_change"]]
            .sum()
            .reset_index()
        )
        per_client["movement"] = (
            per_client["sent_change"].abs() + 10 * per_client["replied_change"].abs()
        )
        per_client = per_client[per_client["movement"] > 0].sort_values(
            ["movement", "client_name"], ascending=[False, True]
        )
        data["clients"] = _rows(per_client.head(TOP_ROWS), columns[1:])
    return Section("movers", title, data)


def runway_section(frame: pd.DataFrame, reason: str = "") -> Section:
    """Active campaigns running out of new leads within :data:`RUNWAY_HORIZON_DAYS` days."""
    title = "Lead runway"
    if "runway_date" not in frame.columns or "runway_days" not in frame.columns:
        return Section("runway", title, reason=reason)
    queue = refill_queue(frame)
    days = pd.to_numeric(queue["runway_days"], errors="coerce")
    soon = queue[(days <= RUNWAY_HORIZON_DAYS).fillna(False).to_numpy(dtype=bool)]
    dry = int((days <= 0).fillna(False).sum())
    columns = ("runway_date", "name", "client_name", "leads_not_started", "runway_days")
    return Section(
        "runway",
        title,
        {
            "horizon_days": RUNWAY_HORIZON_DAYS,
            "running_dry": len(soon),
            "dry_now": dry,
            "queue": _rows(soon.head(TOP_ROWS * 2), columns),
        },
    )


def capacity_section(ledger_campaigns: pd.DataFrame | None, reason: str = "") -> Section:
    """Whether the mailboxes can send what the active campaigns plan: totals, and the
    campaigns short of capacity, the largest shortfall first (from
    :func:`smartlead.ledger.build_ledger`'s ``campaigns``, narrowed to the report's)."""
    title = "Mailbox capacity"
    if ledger_campaigns is None:
        return Section("capacity", title, reason=reason)
    status = ledger_campaigns["status"].astype("string")
    active = ledger_campaigns[(status == vocab.ACTIVE).fillna(False).to_numpy(dtype=bool)]
    shortfall = pd.to_numeric(active["shortfall"], errors="coerce")
    short = active[(shortfall > 0.5).fillna(False).to_numpy(dtype=bool)]
    short = short.assign(_order=pd.to_numeric(short["shortfall"], errors="coerce"))
    short = short.sort_values(["_order", "id"], ascending=[False, True])
    columns = ("name", "client_name", "planned", "capacity", "shortfall", "note")
    return Section(
        "capacity",
        title,
        {
            "planned": round(float(pd.to_numeric(active["planned"]).fillna(0).sum())),
            "capacity": round(float(pd.to_numeric(active["capacity"]).fillna(0).sum())),
            "shortfall": round(float(shortfall.fillna(0).sum())),
            "short_campaigns": len(short),
            "unknown": int(pd.to_numeric(active["capacity"]).isna().sum()),
            "rows": _rows(short.head(TOP_ROWS).round(1), columns),
        },
    )


# --------------------------------------------------------------------------- the report


def build_report(
    frame: pd.DataFrame,
    *,
    title: str,
    generated_at: datetime,
    audience: Audience = "agency",
    scope: str = "the whole portfolio",
    since: Mapping[str, Any] | None = None,
    changes: pd.DataFrame | None = None,
    changes_reason: str = "",
    findings: pd.DataFrame | None = None,
    previous_findings: frozenset[str] | None = None,
    previous_findings_reason: str = "",
    current_window: pd.DataFrame | None = None,
    previous_window: pd.DataFrame | None = None,
    window_labels: tuple[str, str] = ("", ""),
    performance_reason: str = "",
    performance_title: str = PERFORMANCE_TITLE,
    runway_reason: str = "",
    ledger_campaigns: pd.DataFrame | None = None,
    capacity_reason: str = "",
    dashboard_url: str | None = None,
) -> Report:
    """The report of ``frame`` (the campaigns in scope, already narrowed to one client for a
    client's report) from what the caller gathered; every input left None gives its section
    absent with the matching ``*_reason``.

    ``current_window``/``previous_window`` are the campaign frame with the window columns of
    the last 7 days and the 7 before joined (:func:`smartlead.window.with_window`);
    ``findings`` are :func:`smartlead.audit.run_audit`'s; ``previous_findings`` the
    fingerprint remembered with the previous report (None: no previous report);
    ``ledger_campaigns`` the capacity ledger's campaigns in scope (agency version only:
    mailboxes are the agency's own operations, shared between clients).
    """
    sections = [overview_section(frame), changes_section(changes, changes_reason, audience)]
    if audience == "agency":
        if findings is None:
            sections.append(Section("health", "Health findings", reason="Not evaluated."))
        else:
            sections.append(health_section(findings, previous_findings, previous_findings_reason))
    sections.append(
        performance_section(
            current_window, previous_window, window_labels, performance_reason, performance_title
        )
    )
    sections.append(runway_section(frame, runway_reason))
    if audience == "agency":
        sections.append(capacity_section(ledger_campaigns, capacity_reason))
    sections.append(movers_section(current_window, previous_window, audience, performance_reason))
    return Report(
        title=title,
        generated_at=generated_at,
        audience=audience,
        scope=scope,
        since=since,
        sections=tuple(sections),
        dashboard_url=dashboard_url if audience == "agency" else None,
        findings_fingerprint=(
            findings_fingerprint(findings) if findings is not None else frozenset()
        ),
    )
