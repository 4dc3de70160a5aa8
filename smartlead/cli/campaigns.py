"""``campaigns`` (the portfolio as a table, CSV or JSON) and ``schema`` (its columns)."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from smartlead import export
from smartlead.cli.common import EXIT_OK, add_portfolio_options, load_frame, write_output
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


def command_campaigns(args: argparse.Namespace, stdout: TextIO) -> int:
    """Print or write the portfolio as a table, CSV or JSON."""
    frame = load_frame(args)
    if args.format == "csv":
        payload: bytes | str = export.to_csv_bytes(frame)
    elif args.format == "json":
        payload = export.to_json_bytes(frame)
    else:
        payload = export.to_text_table(frame, TABLE_COLUMNS)
        payload += f"\n\n{len(frame)} campaign(s)."
    write_output(payload, args.output, stdout)
    if args.output not in (None, "-"):
        print(f"Wrote {len(frame)} campaign(s) to {args.output}.", file=sys.stderr)
    return EXIT_OK


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
    add_portfolio_options(campaigns)
    campaigns.set_defaults(handler=command_campaigns)

    schema = commands.add_parser("schema", help="print the campaign table's columns")
    schema.set_defaults(handler=command_schema)
