"""The command line: ``python -m smartlead <command>``, for scripts and cron jobs without the UI.

The API key is read from ``SMARTLEAD_API_KEY`` or asked for at a hidden prompt. It is never
accepted as a command-line argument, because any user of the machine can read another
process's arguments (``ps``, ``/proc/<pid>/cmdline``).

Exit codes: 0 done; 2 usage error; 3 the key was rejected; 4 SmartLead could not be reached
(refused, timed out); 5 any other SmartLead error (rate limit, server error, odd answer);
6 a file could not be written.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

import pandas as pd

from smartlead import demo, export, settings
from smartlead.errors import (
    AuthenticationError,
    ConnectionFailedError,
    RequestTimeoutError,
    SmartleadError,
)
from smartlead.frame import SCHEMA, campaigns_frame

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_REJECTED_KEY = 3
EXIT_UNREACHABLE = 4
EXIT_API_ERROR = 5
EXIT_WRITE_FAILED = 6

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


class UsageError(Exception):
    """Raised for a command line that cannot be carried out as given (exit code 2)."""


def read_api_key(
    environ_key: Callable[[], str | None] = settings.api_key_from_env,
    stdin: TextIO | None = None,
    prompt: Callable[[str], str] = getpass.getpass,
) -> str:
    """The key from the environment, else from a hidden prompt when a person is at the terminal."""
    key = environ_key()
    if key:
        return key
    stream = stdin if stdin is not None else sys.stdin
    if not stream.isatty():
        raise UsageError(
            f"No API key: set {settings.ENV_API_KEY} (the key is never taken as an argument), "
            "or run in a terminal to be asked for it, or use --demo."
        )
    key = prompt("SmartLead API key (input hidden): ").strip()
    if not key:
        raise UsageError("No API key entered.")
    return key


def load_frame(args: argparse.Namespace) -> pd.DataFrame:
    """The portfolio as a frame: the demo one, or the live one fetched with the user's key."""
    if args.demo:
        records = demo.demo_campaigns(args.demo_size, seed=7)
        if args.client_id is not None:
            records = [r for r in records if r.get("client_id") == args.client_id]
        return campaigns_frame(records, demo.demo_clients())

    from smartlead.client import SmartleadClient  # imported here so --demo needs no network code

    with SmartleadClient(read_api_key()) as client:
        records = client.list_campaigns(client_id=args.client_id)
        try:
            clients = client.list_clients()
        except SmartleadError:
            clients = []
            print(
                "Note: client names are unavailable for this key; clients are shown by id.",
                file=sys.stderr,
            )
    return campaigns_frame(records, clients)


def _write(payload: bytes | str, output: str | None, stdout: TextIO) -> None:
    if output is None or output == "-":
        text = payload.decode("utf-8") if isinstance(payload, bytes) else payload
        stdout.write(text.lstrip("\ufeff"))
        if not text.endswith("\n"):
            stdout.write("\n")
        return
    data = payload if isinstance(payload, bytes) else payload.encode("utf-8")
    Path(output).write_bytes(data)


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
    _write(payload, args.output, stdout)
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


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; each command's help says where the key comes from."""
    parser = argparse.ArgumentParser(
        prog="python -m smartlead",
        description=(
            "Review a SmartLead.ai campaign portfolio from the command line. The API key comes "
            f"from {settings.ENV_API_KEY} or a hidden prompt, never from an argument; "
            f"{settings.ENV_BASE_URL} points at another server."
        ),
        epilog="Exit codes: 0 ok, 2 usage, 3 key rejected, 4 unreachable, 5 API error, "
        "6 write failed.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    campaigns = commands.add_parser(
        "campaigns", help="print the portfolio as a table, or write it as CSV or JSON"
    )
    campaigns.add_argument("--format", choices=("table", "csv", "json"), default="table")
    campaigns.add_argument("--output", "-o", help="file to write (default: standard output)")
    campaigns.add_argument("--client-id", type=int, help="only this agency client's campaigns")
    campaigns.add_argument(
        "--demo", action="store_true", help="use the built-in demo portfolio (no key needed)"
    )
    campaigns.add_argument(
        "--demo-size", type=int, default=300, help="campaigns in the demo portfolio (default 300)"
    )
    campaigns.set_defaults(handler=command_campaigns)

    schema = commands.add_parser("schema", help="print the campaign table's columns")
    schema.set_defaults(handler=command_schema)
    return parser


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None) -> int:
    """Run one command; every failure becomes a sentence on stderr and an exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    out = stdout if stdout is not None else sys.stdout
    try:
        return args.handler(args, out)
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except AuthenticationError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_REJECTED_KEY
    except (ConnectionFailedError, RequestTimeoutError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_UNREACHABLE
    except SmartleadError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_API_ERROR
    except OSError as error:
        print(f"error: could not write the output: {error.strerror or error}", file=sys.stderr)
        return EXIT_WRITE_FAILED
