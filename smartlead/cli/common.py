"""What every command shares: exit codes, the key, the portfolio, writing the output.

The API key is read from ``SMARTLEAD_API_KEY`` or asked for at a hidden prompt. It is never
accepted as a command-line argument, because any user of the machine can read another
process's arguments (``ps``, ``/proc/<pid>/cmdline``).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

import pandas as pd

from smartlead import settings
from smartlead.connection import Connection
from smartlead.errors import WindowError
from smartlead.export import terminal_lines, terminal_text
from smartlead.frame import campaigns_frame
from smartlead.loader import load_portfolio
from smartlead.window import DEFAULT_TIMEZONE, check_timezone

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_REJECTED_KEY = 3
EXIT_UNREACHABLE = 4
EXIT_API_ERROR = 5
EXIT_WRITE_FAILED = 6
EXIT_HISTORY_UNAVAILABLE = 7
EXIT_SETTINGS = 8
EXIT_DELIVERY = 9

EXIT_CODES_TEXT = (
    "Exit codes: 0 ok, 2 usage, 3 key rejected, 4 unreachable, 5 API error, "
    "6 write failed, 7 history store unavailable, 8 a setting cannot be used, "
    "9 a report could not be delivered."
)


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


def fetch_records(args: argparse.Namespace, api_key: str | None) -> tuple[list, list]:
    """The campaign records and client list as SmartLead sent them (the demo's without a key).

    ``api_key`` None means the demo portfolio (``--demo``); ``campaigns`` and ``snapshot``
    both fetch through the package's one loader, so they behave as the dashboard does.
    """
    load = load_portfolio(
        None if api_key is None else Connection.to(api_key),
        client_id=args.client_id,
        demo_size=args.demo_size,
    )
    if load.error is not None:
        raise load.error
    for notice in load.notices:
        print(f"Note: {terminal_text(notice.text)}", file=sys.stderr)
    return load.records, load.clients


def load_frame(args: argparse.Namespace) -> pd.DataFrame:
    """The portfolio as a frame: the demo one, or the live one fetched with the user's key."""
    records, clients = fetch_records(args, None if args.demo else read_api_key())
    return campaigns_frame(records, clients)


def add_portfolio_options(parser: argparse.ArgumentParser, *, what: str = "use") -> None:
    """``--client-id``, ``--demo`` and ``--demo-size``: which portfolio a command reads."""
    parser.add_argument("--client-id", type=int, help="only this agency client's campaigns")
    parser.add_argument(
        "--demo", action="store_true", help=f"{what} the built-in demo portfolio (no key needed)"
    )
    parser.add_argument(
        "--demo-size", type=int, default=300, help="campaigns in the demo portfolio (default 300)"
    )


def add_timezone_option(parser: argparse.ArgumentParser, *, what: str) -> None:
    """``--timezone``: the IANA zone ``what`` is counted or printed in (UTC by default)."""
    parser.add_argument(
        "--timezone",
        default=DEFAULT_TIMEZONE,
        help=f"the time zone {what} (IANA name; default UTC)",
    )


def timezone_of(args: argparse.Namespace) -> str:
    """The ``--timezone`` asked for, checked: an unknown name is a usage error, in words."""
    try:
        return check_timezone(args.timezone)
    except WindowError as error:
        raise UsageError(str(error)) from None


def write_output(payload: bytes | str, output: str | None, stdout: TextIO) -> None:
    """Write ``payload`` to the file ``output``, or to ``stdout`` (``None`` or ``-``).

    A file gets the bytes exactly. A terminal gets them without escape sequences and control
    characters (names are SmartLead's free text: a title change, a screen clear or a hidden
    hyperlink in one must not reach the screen); a pipe gets them as they are.
    """
    if output is None or output == "-":
        text = payload.decode("utf-8") if isinstance(payload, bytes) else payload
        if _is_terminal(stdout):
            text = terminal_lines(text)
        stdout.write(text.lstrip("\ufeff"))
        if not text.endswith("\n"):
            stdout.write("\n")
        return
    data = payload if isinstance(payload, bytes) else payload.encode("utf-8")
    Path(output).write_bytes(data)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False
