"""``performance``: every campaign's figures over a date window, or the window day by day.

The same numbers the dashboard shows: the window is fetched through
:func:`smartlead.window_fetch.fetch_window` (SmartLead's bulk analytics, in 30-day pieces
and pages, within the rate limit) and joined onto the portfolio with
:func:`smartlead.window.with_window`. An account without those analytics (404) falls back to
one request per campaign, and says so with its cost before it starts.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import TextIO

import pandas as pd

from smartlead import bulk, export
from smartlead.cli.common import (
    EXIT_API_ERROR,
    EXIT_OK,
    UsageError,
    add_portfolio_options,
    add_timezone_option,
    fetch_records,
    read_api_key,
    write_output,
)
from smartlead.connection import Connection
from smartlead.export import terminal_text
from smartlead.frame import campaigns_frame
from smartlead.ratelimit import limiter_for
from smartlead.window import (
    WINDOW_RATES,
    Window,
    check_timezone,
    last_days,
    parse_last,
    today_in,
    with_window,
)
from smartlead.window_fetch import (
    WindowFetch,
    demo_window_fetch,
    estimate_per_campaign_requests,
    fetch_window,
    fetch_window_per_campaign,
)

CAMPAIGN_COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "client_name",
    "status",
    "window_sent",
    "window_leads_contacted",
    "window_opened",
    "window_replied",
    "window_reply_rate",
    "window_positive_replied",
    "window_bounced",
    "window_bounce_rate",
    "window_unsubscribed",
    "window_unsubscribe_rate",
)
"""What CSV and JSON hold per campaign."""

TABLE_COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "client_name",
    "window_sent",
    "window_replied",
    "window_reply_rate",
    "window_positive_replied",
    "window_bounce_rate",
)
"""What ``--format table`` shows per campaign."""

DAILY_COLUMNS: tuple[str, ...] = (
    "date",
    "day_name",
    "sent",
    "opened",
    "replied",
    "bounced",
    "unsubscribed",
)
"""What ``--daily`` writes per day."""

_RATE_NAMES = frozenset(rate.name for rate in WINDOW_RATES)


def _day(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(
            f"{option} {terminal_text(text)[:40]} is not a date (YYYY-MM-DD)."
        ) from None


def window_from(args: argparse.Namespace, today: date | None = None) -> Window:
    """The window the arguments ask for (default: the last 30 days), checked."""
    zone = check_timezone(args.timezone)
    today = today if today is not None else today_in(zone)
    start, end = _day(args.start, "--start"), _day(args.end, "--end")
    if args.last is not None and (start or end):
        raise UsageError("Give either --last or --start/--end, not both.")
    if end is not None and start is None:
        raise UsageError("--end needs --start.")
    if args.last is not None:
        window = last_days(parse_last(args.last), today, zone)
    elif start is not None:
        window = Window(start, end or today, zone)
    else:
        window = last_days(30, today, zone)
    return window.check(today)


def _live(args: argparse.Namespace, window: Window, frame: pd.DataFrame, key: str) -> WindowFetch:
    """The window from SmartLead, falling back to one request per campaign after a 404."""
    connection = Connection.to(key)
    clients = None if args.client_id is None else (args.client_id,)
    fetched = fetch_window(
        connection, window, client_ids=clients, campaigns=not args.daily, daily=args.daily
    )
    if fetched.unavailable is not None:
        if args.daily:
            raise fetched.unavailable
        ids = [int(cid) for cid in frame["id"].dropna()]
        count = estimate_per_campaign_requests(window, len(ids))
        limiter = limiter_for(connection)
        seconds = bulk.estimate_seconds(count, limiter)
        print(
            f"Note: {terminal_text(str(fetched.unavailable))} Falling back to one request per "
            f"campaign and 30 days: {count:,} requests, about {seconds:.0f} s at "
            f"{limiter.describe()} (no positive replies this way).",
            file=sys.stderr,
        )
        fetched = fetch_window_per_campaign(connection, window, ids)
    if fetched.error is not None:
        raise fetched.error
    return fetched


def _percent_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Rates as '3.1%' for a terminal table (CSV and JSON keep fractions)."""
    shown = frame.copy()
    for name in shown.columns:
        if name in _RATE_NAMES:
            shown[name] = [None if pd.isna(v) else f"{v:.1%}" for v in shown[name]]
    return shown


def command_performance(args: argparse.Namespace, stdout: TextIO) -> int:
    """Print or write the window's figures per campaign (or per day with ``--daily``)."""
    window = window_from(args)
    key = None if args.demo else read_api_key()
    records, clients = fetch_records(args, key)
    frame = campaigns_frame(records, clients)
    if key is None:
        fetched = demo_window_fetch(records, window, today_in(window.timezone), daily=args.daily)
    else:
        fetched = _live(args, window, frame, key)
    for failure in fetched.failures:
        print(f"Warning: {terminal_text(failure.describe())}", file=sys.stderr)
    if args.daily:
        daily = fetched.daily()
        table = daily.frame.assign(date=daily.frame["date"].dt.strftime("%Y-%m-%d"))
        columns, table_columns, what = DAILY_COLUMNS, DAILY_COLUMNS, "day"
    else:
        table = with_window(frame, fetched.metrics())
        columns, table_columns, what = CAMPAIGN_COLUMNS, TABLE_COLUMNS, "campaign"
    if args.format == "csv":
        payload: bytes | str = export.to_csv_bytes(table, columns)
    elif args.format == "json":
        payload = export.to_json_bytes(table, columns)
    else:
        payload = export.to_text_table(_percent_text(table), table_columns)
        payload += f"\n\n{len(table)} {what}(s), {window.label()} (days in {window.timezone})."
    write_output(payload, args.output, stdout)
    source = "demo figures" if key is None else f"{fetched.requests} request(s) to SmartLead"
    print(
        f"{window.label()} (days in {window.timezone}): {len(table)} {what}(s), {source}.",
        file=sys.stderr,
    )
    return EXIT_API_ERROR if fetched.failures else EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``performance`` to the command line."""
    performance = commands.add_parser(
        "performance",
        help="every campaign's sent, replies and bounces over a date window (or per day)",
        description=(
            "Per-campaign figures over a date window, the same numbers the dashboard shows: "
            "a handful of requests to SmartLead's analytics, in 30-day pieces. Without "
            "--start/--end or --last, the last 30 days. Exit code 5 when some figures could "
            "not be fetched (what was fetched is still written, the rest is empty)."
        ),
    )
    performance.add_argument("--start", help="first day (YYYY-MM-DD)")
    performance.add_argument("--end", help="last day (YYYY-MM-DD; default today)")
    performance.add_argument("--last", help="the days that end today, e.g. 7d, 30d, 90d, 4w")
    add_timezone_option(performance, what="days are counted in")
    performance.add_argument(
        "--daily", action="store_true", help="one row per day instead of per campaign"
    )
    performance.add_argument("--format", choices=("table", "csv", "json"), default="table")
    performance.add_argument("--output", "-o", help="file to write (default: standard output)")
    add_portfolio_options(performance)
    performance.set_defaults(handler=command_performance)
