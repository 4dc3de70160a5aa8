"""``mailboxes``: the account's mailboxes with their capacity and demand, or the per-campaign
ledger (``--ledger``), as a table, CSV or JSON. No output ever holds a password: the client
drops them from SmartLead's answers before anything else sees them."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

import pandas as pd

from smartlead import export
from smartlead.cli.common import EXIT_OK, add_portfolio_options, read_api_key, write_output
from smartlead.connection import Connection
from smartlead.ledger import build_ledger
from smartlead.loader import load_portfolio
from smartlead.mailbox_loader import load_mailboxes
from smartlead.mailboxes import MAILBOX_SCHEMA, mailboxes_frame

MAILBOX_TABLE_COLUMNS: tuple[str, ...] = (
    "id",
    "from_email",
    "client_name",
    "provider",
    "daily_cap",
    "sent_today",
    "demand",
    "usage",
    "connection",
    "warmup_status",
    "warmup_reputation",
)
"""What ``mailboxes --format table`` shows; CSV and JSON hold every column."""

LEDGER_TABLE_COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "client_name",
    "status",
    "planned",
    "mailboxes",
    "capacity",
    "shortfall",
    "note",
)
"""What ``mailboxes --ledger --format table`` shows."""


def _rounded(frame: pd.DataFrame) -> pd.DataFrame:
    """Emails a day as whole numbers and shares to three decimals, for reading."""
    shown = frame.copy()
    for column in ("planned", "capacity", "shortfall", "cap_sum", "demand", "spare"):
        if column in shown:
            shown[column] = shown[column].round(0)
    for column in ("coverage", "utilisation", "sent_today_share"):
        if column in shown:
            shown[column] = shown[column].round(3)
    return shown


def schema_table() -> str:
    """The mailbox frame's schema as a Markdown table (the README's copy comes from here)."""
    lines = ["| column | dtype | meaning |", "| --- | --- | --- |"]
    for column in MAILBOX_SCHEMA:
        lines.append(f"| `{column.name}` | `{column.dtype}` | {column.description} |")
    return "\n".join(lines) + "\n"


def _progress(fraction: float, text: str) -> None:
    """One line of progress on a terminal, rewritten in place."""
    print(f"\r{text}".ljust(80), end="", file=sys.stderr, flush=True)


def command_mailboxes(args: argparse.Namespace, stdout: TextIO) -> int:
    """Fetch the mailboxes and the active and paused campaigns' lists; print or write them."""
    if args.schema:
        stdout.write(schema_table())
        return EXIT_OK
    connection = None if args.demo else Connection.to(read_api_key())
    # The whole portfolio: a mailbox's cap is shared among every client's campaigns on it.
    portfolio = load_portfolio(connection, demo_size=args.demo_size)
    if portfolio.error is not None:
        raise portfolio.error
    loaded = load_mailboxes(
        connection,
        portfolio.frame,
        demo_records=portfolio.records,
        progress=_progress if sys.stderr.isatty() else None,
    )
    if sys.stderr.isatty():
        print(file=sys.stderr)
    if loaded.error is not None:
        raise loaded.error
    for notice in loaded.notices:
        print(f"Note: {export.terminal_text(notice)}", file=sys.stderr)
    for campaign_id, reason in loaded.failures.items():
        print(
            f"Note: the mailboxes of campaign {campaign_id} are unknown: "
            f"{export.terminal_text(reason)}",
            file=sys.stderr,
        )
    boxes = mailboxes_frame(loaded.records, portfolio.clients, loaded.links)
    ledger = build_ledger(portfolio.frame, boxes, loaded.links, loaded.failures)
    if args.ledger:
        table, columns, what = ledger.campaigns, LEDGER_TABLE_COLUMNS, "campaign(s)"
        if args.client_id is not None:
            ids = portfolio.frame.loc[portfolio.frame["client_id"] == args.client_id, "id"]
            table = table[table["id"].isin(ids).fillna(False).to_numpy(dtype=bool)]
    else:
        table, columns, what = ledger.mailboxes, MAILBOX_TABLE_COLUMNS, "mailbox(es)"
        if args.client_id is not None:
            table = table[(table["client_id"] == args.client_id).fillna(False).to_numpy(dtype=bool)]
    table = _rounded(table)
    if args.format == "csv":
        payload: bytes | str = export.to_csv_bytes(table)
    elif args.format == "json":
        payload = export.to_json_bytes(table)
    else:
        payload = export.to_text_table(table, columns) + f"\n\n{len(table)} {what}."
    write_output(payload, args.output, stdout)
    if args.output not in (None, "-"):
        print(f"Wrote {len(table)} {what} to {args.output}.", file=sys.stderr)
    return EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``mailboxes`` to the command line."""
    mailboxes = commands.add_parser(
        "mailboxes",
        help="print the mailboxes with their capacity and demand, or the per-campaign ledger",
        description="Every mailbox with its daily cap, the demand its active campaigns place "
        "on it, its connection and warmup; with --ledger, every active and paused campaign's "
        "planned daily volume against the capacity its mailboxes can give it. Costs one "
        "request per 100 mailboxes and one per active or paused campaign. --client-id narrows "
        "the output to one client (the ledger is worked out on the whole account, since "
        "mailboxes can be shared between clients). Passwords are never printed.",
    )
    mailboxes.add_argument("--format", choices=("table", "csv", "json"), default="table")
    mailboxes.add_argument(
        "--ledger", action="store_true", help="the per-campaign ledger instead of the mailboxes"
    )
    mailboxes.add_argument("--output", "-o", help="file to write (default: standard output)")
    mailboxes.add_argument(
        "--schema", action="store_true", help="print the mailbox table's columns and stop"
    )
    add_portfolio_options(mailboxes)
    mailboxes.set_defaults(handler=command_mailboxes)
