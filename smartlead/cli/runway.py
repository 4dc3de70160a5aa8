"""``runway``: when each active campaign runs out of new leads, in refill order (or per client).

The lead statistics come from SmartLead's per-campaign analytics, one request per campaign,
kept in the history store like the dashboard keeps them (:mod:`smartlead.analytics_cache`):
finished campaigns are never fetched again, the others once their figures are older than
``SMARTLEAD_LEADS_MAX_AGE`` hours, so a cron job or a second run the same day costs only
what changed. What a run costs is said on standard error before it fetches. The pace comes
from the daily limit, or from the last 30 days' figures (a few requests) when a campaign
starts fewer new leads than its limit (:mod:`smartlead.runway`).

:func:`with_leads` is shared with ``campaigns --with-leads``.
"""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from typing import Any, TextIO

import pandas as pd

from smartlead import bulk, demo, export, history
from smartlead.analytics_cache import AnalyticsCache
from smartlead.cli.common import (
    EXIT_API_ERROR,
    EXIT_OK,
    add_portfolio_options,
    fetch_records,
    read_api_key,
    write_output,
)
from smartlead.connection import Connection
from smartlead.errors import HistoryUnavailableError
from smartlead.frame import campaigns_frame
from smartlead.ratelimit import limiter_for
from smartlead.records import parse_analytics
from smartlead.runway import (
    CLIENT_RUNWAY_COLUMNS,
    REFILL_COLUMNS,
    refill_queue,
    runway_by_client,
    with_lead_stats,
    with_runway,
)
from smartlead.vocab import ACTIVE, RESUMABLE
from smartlead.window import Window, last_days, today_in, with_window
from smartlead.window_fetch import demo_window_fetch, estimate_requests, fetch_window

TABLE_COLUMNS: tuple[str, ...] = (
    "runway_date",
    "client_name",
    "id",
    "name",
    "leads_not_started",
    "runway_days",
    "runway_basis",
    "max_leads_per_day",
)
"""What ``runway --format table`` shows per campaign; CSV and JSON add the rest."""

CAMPAIGN_COLUMNS: tuple[str, ...] = (*REFILL_COLUMNS, "schedule_timezone", "schedule_summary")
"""What ``runway`` writes per campaign as CSV or JSON."""

CLIENT_TABLE_COLUMNS: tuple[str, ...] = (
    "client_name",
    "earliest_dry_date",
    "first_to_run_dry",
    "active_campaigns",
    "dry_now",
    "leads_not_started",
    "leads_waiting_paused",
)
"""What ``runway --by-client --format table`` shows."""

PACE_DAYS = 30
"""The days the observed pace is read over (the dashboard's default window)."""


def _note(text: str) -> None:
    print(f"Note: {export.terminal_text(text)}", file=sys.stderr)


def _progress(done: int, total: int, elapsed: float, eta: float) -> None:
    """One line of progress on a terminal, rewritten in place."""
    line = f"\rFetched the lead statistics of {done:,} of {total:,} campaigns · about {eta:.0f} s"
    print(line.ljust(80), end="", file=sys.stderr, flush=True)


def _statuses(frame: pd.DataFrame, everyone: bool) -> dict[int, str]:
    """Campaign id → status of the campaigns whose figures are wanted (active and paused,
    or every campaign)."""
    statuses = frame["status"].astype("string").fillna("UNKNOWN")
    ids = pd.array(frame["id"], dtype="Int64")
    wanted: dict[int, str] = {}
    for cid, status in zip(ids.tolist(), statuses.tolist(), strict=True):
        if cid is not None and cid is not pd.NA and (everyone or status in RESUMABLE):
            wanted.setdefault(int(cid), str(status))
    return wanted


def _live_counters(
    connection: Connection, frame: pd.DataFrame, statuses: dict[int, str]
) -> tuple[dict[int, dict[str, Any]], dict[int, str]]:
    """Kept figures of every campaign of ``frame``, the wanted ones fetched when stale; the
    cost said first, failures returned."""
    try:
        store = history.open_store()
    except HistoryUnavailableError as error:
        _note(f"{error} Lead statistics are not kept between runs.")
        store = None
    if store is None:
        _note("History is off: lead statistics are fetched on every run (none are kept).")
    cache = AnalyticsCache(store)
    try:
        account = connection.fingerprint
        plan = cache.plan(account, statuses)
        count = len(plan.to_fetch)
        limiter = limiter_for(connection)
        seconds = bulk.estimate_seconds(count, limiter)
        kept = len(plan.fresh)
        print(
            f"Lead statistics: {kept:,} of {len(statuses):,} campaigns kept "
            f"({plan.final:,} finished, never fetched again); {count:,} to fetch: {count:,} "
            f"requests, about {seconds:.0f} s at {limiter.describe()}.",
            file=sys.stderr,
        )
        found = cache.review(
            connection, statuses, progress=_progress if sys.stderr.isatty() and count else None
        )
        if sys.stderr.isatty() and count:
            print(file=sys.stderr)
        if found.problem:
            _note(found.problem)
        everyone = _statuses(frame, everyone=True)
        others = cache.review(connection, everyone, fetch=False)
        return {**others.counters, **found.counters}, found.failures
    finally:
        history.close_store(store)


def _pace_window(
    connection: Connection | None,
    records: list[Any],
    frame: pd.DataFrame,
    client_id: int | None,
) -> tuple[pd.DataFrame, Window | None]:
    """The frame with the last 30 days' figures (the observed pace), or unchanged."""
    today = today_in("UTC")
    window = last_days(PACE_DAYS, today, "UTC")
    if connection is None:
        metrics = demo_window_fetch(records, window, today, daily=False).metrics()
        return with_window(frame, metrics), window
    count = estimate_requests(window, len(frame), daily=False)
    plural = "" if count == 1 else "s"
    print(
        f"Pace: the last {PACE_DAYS} days' figures, at most {count} request{plural}.",
        file=sys.stderr,
    )
    fetched = fetch_window(
        connection,
        window,
        client_ids=None if client_id is None else (client_id,),
        daily=False,
    )
    if fetched.unavailable is not None or fetched.error is not None:
        reason = fetched.unavailable or fetched.error
        _note(f"{reason} The runway uses the daily limits only.")
        return frame, None
    for failure in fetched.failures:
        _note(failure.describe())
    return with_window(frame, fetched.metrics()), window


def with_leads(
    args: argparse.Namespace, *, everyone: bool = False
) -> tuple[pd.DataFrame, dict[int, str]]:
    """The portfolio the arguments name with lead statistics and the runway joined on, and
    the campaigns whose statistics could not be fetched (id → why).

    The statistics of active and paused campaigns (every campaign with ``everyone``) are
    fetched when stale; the others' are used when kept. With ``args.pace`` the observed pace
    is read from the last 30 days.
    """
    key = None if args.demo else read_api_key()
    records, clients = fetch_records(args, key)
    return join_leads(
        None if key is None else Connection.to(key),
        records,
        campaigns_frame(records, clients),
        client_id=args.client_id,
        pace=getattr(args, "pace", True),
        everyone=everyone,
    )


def join_leads(
    connection: Connection | None,
    records: list[Any],
    frame: pd.DataFrame,
    *,
    client_id: int | None = None,
    pace: bool = True,
    everyone: bool = False,
) -> tuple[pd.DataFrame, dict[int, str]]:
    """``frame`` (of ``records``) with lead statistics and the runway joined on, as
    :func:`with_leads` describes; ``connection`` None means the demo portfolio."""
    statuses = _statuses(frame, everyone)
    if connection is None:
        counters = {
            int(record["id"]): parse_analytics(demo.demo_analytics(int(record["id"]), record))
            for record in records
            if isinstance(record, dict) and isinstance(record.get("id"), int)
        }
        failures: dict[int, str] = {}
    else:
        counters, failures = _live_counters(connection, frame, statuses)
    frame = with_lead_stats(frame, counters)
    window = None
    if pace:
        frame, window = _pace_window(connection, records, frame, client_id)
    frame = with_runway(
        frame,
        window=window,
        window_today=None if window is None else today_in(window.timezone),
    )
    for cid, reason in failures.items():
        _note(f"the lead statistics of campaign {cid} are unknown: {reason}")
    return frame, failures


def command_runway(args: argparse.Namespace, stdout: TextIO) -> int:
    """Print or write every active campaign's runway in refill order, or per client."""
    frame, failures = with_leads(args)
    if args.by_client:
        table = runway_by_client(frame)
        columns, table_columns, what = CLIENT_RUNWAY_COLUMNS, CLIENT_TABLE_COLUMNS, "client(s)"
    else:
        dated = refill_queue(frame, None if args.days is None else _until(args.days))
        active = frame[(frame["status"].astype("string") == ACTIVE).fillna(False).to_numpy()]
        undated = active[active["runway_date"].isna()] if args.days is None else active.iloc[:0]
        table = pd.concat([frame.loc[dated.index], undated])
        columns = [c for c in CAMPAIGN_COLUMNS if c in table.columns]
        table_columns, what = TABLE_COLUMNS, "active campaign(s)"
    if args.format == "csv":
        payload: bytes | str = export.to_csv_bytes(table, columns)
    elif args.format == "json":
        payload = export.to_json_bytes(table, columns)
    else:
        shown = table.copy()
        if "runway_days" in shown.columns:
            shown["runway_days"] = shown["runway_days"].round(1)
        payload = export.to_text_table(shown, table_columns) + f"\n\n{len(table)} {what}."
    write_output(payload, args.output, stdout)
    if args.output not in (None, "-"):
        print(f"Wrote {len(table)} {what} to {args.output}.", file=sys.stderr)
    return EXIT_API_ERROR if failures else EXIT_OK


def _until(days: int) -> Any:
    return today_in("UTC") + timedelta(days=days)


def add_pace_option(parser: argparse.ArgumentParser) -> None:
    """``--no-pace``: the runway at the daily limits only (no window request)."""
    parser.add_argument(
        "--no-pace",
        dest="pace",
        action="store_false",
        help=f"use the daily limits only, not the pace of the last {PACE_DAYS} days "
        "(saves the window's few requests)",
    )


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``runway`` to the command line."""
    runway = commands.add_parser(
        "runway",
        help="when each active campaign runs out of new leads, soonest first (or per client)",
        description=(
            "Every active campaign's lead runway: leads not started, sending days left at its "
            "daily limit (or at the slower pace of the last 30 days) and the day it sends its "
            "last new leads, in its own time zone, soonest first; campaigns without a runway "
            "follow, with the reason. Lead statistics cost one request per active or paused "
            "campaign, kept in the history store (finished campaigns never fetched again, "
            "others after SMARTLEAD_LEADS_MAX_AGE hours); the cost is said first. Exit code "
            "5 when some campaigns' statistics could not be fetched."
        ),
    )
    runway.add_argument("--format", choices=("table", "csv", "json"), default="table")
    runway.add_argument("--output", "-o", help="file to write (default: standard output)")
    runway.add_argument(
        "--by-client",
        action="store_true",
        help="one row per client: when its first campaign runs dry, leads left",
    )
    runway.add_argument(
        "--days",
        type=int,
        help="only campaigns that run dry within this many days (the refill queue)",
    )
    add_pace_option(runway)
    add_portfolio_options(runway)
    runway.set_defaults(handler=command_runway)
