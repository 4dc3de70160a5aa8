"""``report``: the weekly portfolio review (or one client's), written, posted or emailed.

Gathers what the package already computes (the history diff since the previous report's
snapshot, health findings new and resolved since then, the last 7 days against the 7 before,
the lead runway) into :func:`smartlead.report.build_report`, renders it
(:mod:`smartlead.report_render`) and delivers it. Each section the run cannot fill is left
out with one line saying why, so a first report, a store that is off or an account without
window analytics still gets a report.

After the report has been written and every delivery succeeded, the current portfolio is
saved as a snapshot and the run is remembered in the history store (its snapshot and its
findings), so the next report covers exactly what happened since this one. ``--no-remember``
makes a preview that changes nothing.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TextIO

import pandas as pd

from smartlead import audit, delivery, history, settings
from smartlead.cli.common import (
    EXIT_DELIVERY,
    EXIT_OK,
    UsageError,
    add_portfolio_options,
    fetch_records,
    read_api_key,
    write_output,
)
from smartlead.cli.runway import join_leads
from smartlead.connection import Connection
from smartlead.errors import (
    DeliveryError,
    HistoryUnavailableError,
    SettingsError,
    SnapshotNotFoundError,
)
from smartlead.export import terminal_text
from smartlead.frame import campaigns_frame
from smartlead.ledger import build_ledger
from smartlead.mailbox_loader import load_mailboxes
from smartlead.mailboxes import mailboxes_frame
from smartlead.report import (
    Report,
    build_report,
    client_entry,
    in_client,
    scoped_changes,
    since_facts,
)
from smartlead.report_render import RENDERERS, render_html, render_slack, render_text
from smartlead.window import Window, today_in, with_window
from smartlead.window_fetch import demo_window_fetch, fetch_window

PERIOD_DAYS = 7
"""The performance section compares the last 7 whole days with the 7 before."""

AGENCY_TITLE = "SmartLead portfolio report"


def _note(text: str) -> None:
    print(f"Note: {terminal_text(text)}", file=sys.stderr)


@dataclass
class Gathered:
    """What one run gathered: the report and what remembering it needs."""

    report: Report
    account: str | None
    client_filter: int | None
    records: list[Any]
    clients: list[Any]
    store: Any = None


# --------------------------------------------------------------------------- capacity


def _capacity(
    connection: Connection | None, records: list[Any], frame: pd.DataFrame
) -> tuple[pd.DataFrame | None, str]:
    """The capacity ledger's campaigns (the whole account's mailboxes), or why not."""
    loaded = load_mailboxes(connection, frame, demo_records=records)
    if loaded.error is not None:
        return None, f"The mailboxes could not be fetched: {loaded.error}"
    for campaign_id, reason in loaded.failures.items():
        _note(f"the mailboxes of campaign {campaign_id} are unknown: {reason}")
    boxes = mailboxes_frame(loaded.records, [], loaded.links)
    return build_ledger(frame, boxes, loaded.links, loaded.failures).campaigns, ""


# --------------------------------------------------------------------------- history


def _open_store() -> tuple[Any, str]:
    """The history store, or None and the sentence the changes section shows instead."""
    try:
        store = history.open_store()
    except HistoryUnavailableError as error:
        return None, f"{error} Without it there is nothing to compare with."
    if store is None:
        return None, (
            f"History is turned off ({settings.ENV_HISTORY_PATH}=off): there are no earlier "
            "snapshots to compare with."
        )
    return store, ""


def _covers(info: history.SnapshotInfo, client_id: int | None) -> bool:
    return info.client_filter is None or info.client_filter == client_id


def _since_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def base_snapshot(
    store: Any, account: str, client_id: int | None, since: str | None
) -> history.Snapshot | None:
    """The snapshot the report compares with: ``since`` (an id or a date), else the one the
    previous report of this scope saved, else the newest one; None when there is none."""
    if since is not None and since.strip().isdigit():
        snapshot = store.load(int(since))
        if snapshot.info.account != account:
            raise UsageError(f"Snapshot #{int(since)} is not of this account.")
        if not _covers(snapshot.info, client_id):
            raise UsageError(f"Snapshot #{int(since)} holds another client's campaigns only.")
        return snapshot
    candidates = [info for info in store.list(account) if _covers(info, client_id)]
    if client_id is None:
        candidates = [info for info in candidates if info.client_filter is None]
    if since is not None:
        day = _since_day(since.strip())
        if day is None:
            raise UsageError("--since takes a snapshot id or a date (YYYY-MM-DD).")
        end = datetime.combine(day + timedelta(days=1), time(), tzinfo=UTC)
        earlier = [info for info in candidates if info.taken_at < end]
        if not earlier:
            raise UsageError(f"No snapshot of this account was taken on or before {day}.")
        return store.load(earlier[0].id)
    remembered = store.last_report(account, client_id)
    if remembered is not None and remembered.snapshot_id is not None:
        try:
            return store.load(remembered.snapshot_id)
        except SnapshotNotFoundError:
            _note("The previous report's snapshot has been pruned; using the newest one.")
    return store.load(candidates[0].id) if candidates else None


# --------------------------------------------------------------------------- performance


def report_windows(today: date) -> tuple[Window, Window]:
    """The last :data:`PERIOD_DAYS` whole days (UTC) and the same number of days before."""
    current = Window(today - timedelta(days=PERIOD_DAYS), today - timedelta(days=1), "UTC")
    return current, current.previous()


def _windows(
    connection: Connection | None, records: list[Any], frame: pd.DataFrame, client_id: int | None
) -> tuple[pd.DataFrame | None, pd.DataFrame | None, tuple[str, str], str]:
    today = today_in("UTC")
    labels: list[str] = []
    joined: list[pd.DataFrame] = []
    for window in report_windows(today):
        labels.append(window.label())
        if connection is None:
            metrics = demo_window_fetch(records, window, today, daily=False).metrics()
        else:
            fetched = fetch_window(
                connection,
                window,
                client_ids=None if client_id is None else (client_id,),
                daily=False,
            )
            problem = fetched.unavailable or fetched.error
            if problem is not None:
                return None, None, ("", ""), f"The weekly figures are unavailable: {problem}"
            metrics = fetched.metrics()
        if metrics is None:
            return None, None, ("", ""), "SmartLead returned no figures for the last two weeks."
        joined.append(with_window(frame, metrics))
    return joined[0], joined[1], (labels[0], labels[1]), ""


# --------------------------------------------------------------------------- gathering


def gather(args: argparse.Namespace, now: datetime | None = None) -> Gathered:
    """Fetch and compute everything the report needs; the report itself is pure. The
    history store is closed here when gathering fails, else by the caller."""
    key = None if args.demo else read_api_key()
    store, store_reason = _open_store()
    try:
        return _gather(args, now or datetime.now(UTC), key, store, store_reason)
    except BaseException:
        history.close_store(store)
        raise


def _gather(
    args: argparse.Namespace, moment: datetime, key: str | None, store: Any, store_reason: str
) -> Gathered:
    connection = None if key is None else Connection.to(key)
    if store is None and args.since is not None:
        raise HistoryUnavailableError(store_reason)
    account = None
    if store is not None:
        account = history.DEMO_ACCOUNT if connection is None else store.account_for(connection)
    records, clients = fetch_records(args, key)
    client_id = args.client_id
    audience = "agency" if client_id is None else "client"
    scope = "the whole portfolio"
    if client_id is not None:
        entry = client_entry(clients, client_id)
        records = in_client(records, client_id)
        if entry is None and not records:
            raise UsageError(f"There is no client #{client_id} in this account: nothing to report.")
        clients = [entry] if entry is not None else []
        name = entry.get("name") if entry is not None else None
        scope = str(name) if isinstance(name, str) and name.strip() else f"client #{client_id}"
        if not records:
            _note(f"{scope} has no campaigns; the report says so.")
    frame = campaigns_frame(records, clients)

    changes, changes_reason, since = None, store_reason, None
    previous_findings, findings_reason = None, ""
    if store is not None and account is not None:
        base = base_snapshot(store, account, client_id, args.since)
        if base is None:
            changes_reason = (
                "No earlier snapshot of this account: this is the first report, so it shows "
                "the current state only."
            )
        else:
            changes = scoped_changes(base, records, clients, client_id)
            since = since_facts(base, audience)
        remembered = store.last_report(account, client_id)
        if remembered is not None:
            previous_findings = remembered.findings
        else:
            findings_reason = "No earlier report to compare with."
    elif store is None:
        findings_reason = "No earlier report is remembered (no history store)."

    runway_reason = "Lead statistics were not fetched (--no-leads)."
    if args.leads and len(frame):
        frame, failures = join_leads(connection, records, frame, client_id=client_id, pace=False)
        if failures:
            _note(f"{len(failures)} campaigns' lead statistics are unknown; they have no runway.")
    elif not len(frame):
        runway_reason = "There are no campaigns."
    current = previous = None
    labels = ("", "")
    performance_reason = "The weekly figures were not fetched (--no-performance)."
    if args.performance and len(frame):
        current, previous, labels, performance_reason = _windows(
            connection, records, frame, client_id
        )
    elif not len(frame):
        performance_reason = "There are no campaigns."
    findings = audit.run_audit(frame, now=moment) if client_id is None else None
    ledger_campaigns, capacity_reason = (
        None,
        (
            "Mailbox capacity was not fetched (--capacity: one request per 100 mailboxes and one "
            "per active or paused campaign)."
        ),
    )
    if args.capacity and client_id is None:
        ledger_campaigns, capacity_reason = _capacity(connection, records, frame)
    report = build_report(
        frame,
        title=args.title or (AGENCY_TITLE if client_id is None else f"Campaign report: {scope}"),
        generated_at=moment,
        audience=audience,
        scope=scope,
        since=since,
        changes=changes,
        changes_reason=changes_reason,
        findings=findings,
        previous_findings=previous_findings,
        previous_findings_reason=findings_reason,
        current_window=current,
        previous_window=previous,
        window_labels=labels,
        performance_reason=performance_reason,
        runway_reason=runway_reason,
        ledger_campaigns=ledger_campaigns,
        capacity_reason=capacity_reason,
        dashboard_url=settings.dashboard_url(),
    )
    return Gathered(report, account, client_id, records, clients, store)


# --------------------------------------------------------------------------- the command


def deliver(report: Report, args: argparse.Namespace) -> tuple[list[str], list[DeliveryError]]:
    """Post and email the report as asked; where it arrived, and what failed."""
    arrived: list[str] = []
    failed: list[DeliveryError] = []
    if args.webhook is not None:
        url = args.webhook or settings.report_webhook()
        try:
            if url is None:
                raise DeliveryError(
                    f"--webhook was given no URL and {settings.ENV_REPORT_WEBHOOK} is not set; "
                    "nothing was posted.",
                    setting=settings.ENV_REPORT_WEBHOOK,
                )
            arrived.append(delivery.post_webhook(url, render_slack(report)).where)
        except DeliveryError as error:
            failed.append(error)
    if args.email:
        try:
            smtp = settings.smtp_settings()
            message = delivery.report_email(
                subject=f"{report.title}: {', '.join(report.headline())}",
                text=render_text(report),
                html=render_html(report),
                sender=smtp.sender,
                recipients=args.email,
            )
            arrived.append(delivery.send_email(message, args.email, smtp).where)
        except DeliveryError as error:
            failed.append(error)
            if error.delivered:
                arrived.append(f"{', '.join(error.delivered)} by email")
        except SettingsError as error:
            failed.append(
                DeliveryError(f"{error} The report was not emailed.", setting=error.setting)
            )
    return arrived, failed


def remember(gathered: Gathered) -> None:
    """Save the portfolio as a snapshot and remember this report, for the next one."""
    store = gathered.store
    if store is None or gathered.account is None:
        return
    info = store.save(
        gathered.records,
        account=gathered.account,
        client_filter=gathered.client_filter,
        clients=gathered.clients,
        taken_at=gathered.report.generated_at,
        source=history.SOURCE_CLI,
    )
    store.remember_report(
        gathered.account,
        gathered.client_filter,
        snapshot_id=None if info is None else info.id,
        findings=gathered.report.findings_fingerprint,
        made_at=gathered.report.generated_at,
    )


def command_report(args: argparse.Namespace, stdout: TextIO) -> int:
    """Build the report, write it, deliver it; remember it when everything arrived."""
    gathered = gather(args)
    try:
        report = gathered.report
        delivering = args.webhook is not None or bool(args.email)
        if args.output is not None or not delivering:
            write_output(RENDERERS[args.format](report), args.output, stdout)
            if args.output not in (None, "-"):
                print(f"Wrote the report to {args.output}.", file=sys.stderr)
        arrived, failed = deliver(report, args)
        for where in arrived:
            print(f"Sent the report to {terminal_text(where)}.", file=sys.stderr)
        for error in failed:
            print(f"error: {terminal_text(str(error))}", file=sys.stderr)
        if failed:
            print(
                "The report was not remembered: the next run covers the same period again.",
                file=sys.stderr,
            )
            return EXIT_DELIVERY
        if not args.no_remember:
            remember(gathered)
        return EXIT_OK
    finally:
        history.close_store(gathered.store)


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``report`` to the command line."""
    report = commands.add_parser(
        "report",
        help="the weekly review: what changed, health, the last 7 days, runway; "
        "written, posted to a chat webhook or emailed",
        description=(
            "Build the portfolio report (or one client's with --client-id): what changed "
            "since the previous report, health findings new and resolved, the last 7 days "
            "against the 7 before, campaigns running out of leads, top movers. Sections "
            "without data say why. The run is remembered in the history store (a snapshot "
            "and its findings) once it has been written and delivered, so the next report "
            "starts where this one ended. Exit code 9 when a delivery failed (what did "
            f"arrive is said). SMTP settings: {settings.ENV_SMTP_HOST}, "
            f"{settings.ENV_SMTP_PORT}, {settings.ENV_SMTP_USER}, "
            f"{settings.ENV_SMTP_PASSWORD}, {settings.ENV_SMTP_FROM}, {settings.ENV_SMTP_TLS} "
            f"(starttls, tls, none); {settings.ENV_DASHBOARD_URL} adds a link back."
        ),
    )
    report.add_argument("--format", choices=tuple(RENDERERS), default="text")
    report.add_argument("--output", "-o", help="file to write (default: standard output)")
    report.add_argument("--title", help="the report's title (e.g. for a client's version)")
    report.add_argument(
        "--since",
        help="compare with this snapshot id or date (YYYY-MM-DD; default: the previous "
        "report's snapshot, else the newest)",
    )
    report.add_argument(
        "--webhook",
        nargs="?",
        const="",
        metavar="URL",
        help="post a summary to this Slack-compatible incoming webhook; without a URL, to "
        f"{settings.ENV_REPORT_WEBHOOK} (keeps the secret URL out of the process list)",
    )
    report.add_argument(
        "--email",
        action="append",
        metavar="ADDRESS",
        help="email the HTML report to this address (repeatable)",
    )
    report.add_argument(
        "--no-leads",
        dest="leads",
        action="store_false",
        help="leave out the lead runway (saves one request per stale active campaign)",
    )
    report.add_argument(
        "--no-performance",
        dest="performance",
        action="store_false",
        help="leave out the last 7 days against the 7 before (saves a few requests)",
    )
    report.add_argument(
        "--capacity",
        action="store_true",
        help="add the mailbox capacity section (one request per 100 mailboxes and one per "
        "active or paused campaign; the agency's report only)",
    )
    report.add_argument(
        "--no-remember",
        action="store_true",
        help="a preview: save no snapshot and do not remember this report",
    )
    add_portfolio_options(report, what="report on")
    report.set_defaults(handler=command_report)
