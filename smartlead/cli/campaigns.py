"""``campaigns`` (the portfolio as a table, CSV or JSON) and ``schema`` (its columns)."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from smartlead import export
from smartlead.cli.common import (
    EXIT_API_ERROR,
    EXIT_OK,
    add_portfolio_options,
    load_frame,
    write_output,
)
from smartlead.cli.runway import add_pace_option, with_leads
from smartlead.frame import SCHEMA

TABLE_COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "status",
    "client_name",
    "max_leads_per_day",
    "tags",
    "schedule_summary",
)
"""What ``campaigns --format table`` shows; CSV and JSON hold every column."""


LEAD_TABLE_COLUMNS: tuple[str, ...] = ("leads_not_started", "runway_days", "runway_date")
"""What ``campaigns --with-leads --format table`` adds (CSV and JSON hold every column)."""


def command_campaigns(args: argparse.Namespace, stdout: TextIO) -> int:
    """Print or write the portfolio as a table, CSV or JSON (with ``--with-leads``, its lead
    statistics and runway too)."""
    failures: dict[int, str] = {}
    columns = TABLE_COLUMNS
    if args.with_leads:
        frame, failures = with_leads(args)
        frame = frame.assign(runway_days=frame["runway_days"].round(2))
        columns = (*TABLE_COLUMNS[:5], *LEAD_TABLE_COLUMNS, *TABLE_COLUMNS[5:])
    else:
        frame = load_frame(args)
    if args.format == "csv":
        payload: bytes | str = export.to_csv_bytes(frame)
    elif args.format == "json":
        payload = export.to_json_bytes(frame)
    else:
        payload = export.to_text_table(frame, columns)
        payload += f"\n\n{len(frame)} campaign(s)."
    write_output(payload, args.output, stdout)
    if args.output not in (None, "-"):
        print(f"Wrote {len(frame)} campaign(s) to {args.output}.", file=sys.stderr)
    return EXIT_API_ERROR if failures else EXIT_OK


def command_schema(args: argparse.Namespace, stdout: TextIO) -> int:
    """Print the campaign frame's schema as a Markdown table (the README's copy comes from here)."""
    lines = ["| column | dtype | meaning |", "| --- | --- | --- |"]
    for column in SCHEMA:
        lines.append(f"| `{column.name}` | `{column.dtype}` | {column.description} |")
    stdout.write("\n".join(lines) + "\n")
    return EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``campaigns`` and ``schema`` to the command line."""
    campaigns = commands.add_parser(
        "campaigns", help="print the portfolio as a table, or write it as CSV or JSON"
    )
    campaigns.add_argument("--format", choices=("table", "csv", "json"), default="table")
    campaigns.add_argument("--output", "-o", help="file to write (default: standard output)")
    campaigns.add_argument(
        "--with-leads",
        action="store_true",
        help="add lead statistics and the lead runway (leads_not_started, runway_days, "
        "runway_date, …): one request per active or paused campaign whose statistics are "
        "not kept fresh in the history store; the cost is said first",
    )
    add_pace_option(campaigns)
    add_portfolio_options(campaigns)
    campaigns.set_defaults(handler=command_campaigns)

    schema = commands.add_parser("schema", help="print the campaign table's columns")
    schema.set_defaults(handler=command_schema)
