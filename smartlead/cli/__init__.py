"""The command line: ``python -m smartlead <command>``, for scripts and cron jobs without the UI.

Each command lives in a module of this package with a ``register(commands)`` function
(:data:`COMMANDS` lists them); they all load the portfolio through the package's one loader,
so they behave as the dashboard does. The API key is read from ``SMARTLEAD_API_KEY`` or asked
for at a hidden prompt, never taken as an argument.

Errors are the package's (:mod:`smartlead.errors`): what happened, in words, plus a
:class:`~smartlead.errors.Remedy` that :func:`remedy_text` phrases for a terminal.

Exit codes: 0 done; 2 usage error; 3 the key was rejected; 4 SmartLead could not be reached
(refused, timed out); 5 any other SmartLead error (rate limit, server error, odd answer);
6 a file could not be written; 7 the history store is unavailable (turned off, missing,
locked, read-only or damaged; for ``health``: it does not answer); 8 a setting cannot be
used (e.g. a malformed ``SMARTLEAD_BASE_URL``); 9 a report could not be delivered (``report``).
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from typing import TextIO

from smartlead import settings
from smartlead.cli import campaigns, health, mailboxes, performance, report, runway, snapshots
from smartlead.cli.campaigns import TABLE_COLUMNS
from smartlead.cli.common import (
    EXIT_API_ERROR,
    EXIT_CODES_TEXT,
    EXIT_DELIVERY,
    EXIT_HISTORY_UNAVAILABLE,
    EXIT_OK,
    EXIT_REJECTED_KEY,
    EXIT_SETTINGS,
    EXIT_UNREACHABLE,
    EXIT_USAGE,
    EXIT_WRITE_FAILED,
    UsageError,
    read_api_key,
)
from smartlead.errors import (
    AuthenticationError,
    ConnectionFailedError,
    DeliveryError,
    HistoryUnavailableError,
    PortfolioError,
    Remedy,
    RequestTimeoutError,
    SettingsError,
    SmartleadError,
    SnapshotNotFoundError,
    WindowError,
)
from smartlead.export import terminal_text

__all__ = [
    "COMMANDS",
    "EXIT_API_ERROR",
    "EXIT_DELIVERY",
    "EXIT_HISTORY_UNAVAILABLE",
    "EXIT_OK",
    "EXIT_REJECTED_KEY",
    "EXIT_SETTINGS",
    "EXIT_UNREACHABLE",
    "EXIT_USAGE",
    "EXIT_WRITE_FAILED",
    "TABLE_COLUMNS",
    "UsageError",
    "build_parser",
    "main",
    "read_api_key",
    "remedy_text",
]

COMMANDS = (campaigns, performance, snapshots, mailboxes, health, runway, report)
"""The command modules, in the order ``--help`` lists them."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; each command's help says where the key comes from."""
    parser = argparse.ArgumentParser(
        prog="python -m smartlead",
        description=(
            "Review a SmartLead.ai campaign portfolio from the command line. The API key comes "
            f"from {settings.ENV_API_KEY} or a hidden prompt, never from an argument; "
            f"{settings.ENV_BASE_URL} points at another server."
        ),
        epilog=EXIT_CODES_TEXT,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMANDS:
        module.register(commands)
    return parser


def remedy_text(error: PortfolioError) -> str:
    """What the user can do about ``error`` at the terminal, as one sentence ("" for none)."""
    remedy = error.remedy
    if remedy is Remedy.ENTER_KEY:
        return (
            f"Set {settings.ENV_API_KEY} to a valid key (in SmartLead under Settings → API), "
            "or run in a terminal to be asked for it."
        )
    if remedy is Remedy.WAIT:
        wait = getattr(error, "retry_after", None)
        when = f"about {max(1, math.ceil(wait))} s" if wait else "a minute"
        return f"Wait {when} and run the command again."
    if remedy is Remedy.CHECK_ADDRESS:
        return f"Check {settings.ENV_BASE_URL}: it should be SmartLead's API address (…/api/v1)."
    if remedy is Remedy.CHECK_NETWORK:
        return "Check the network connection to SmartLead and run the command again."
    if remedy is Remedy.RAISE_SIZE_LIMIT:
        return f"If the account really is that large, raise {settings.ENV_MAX_RESPONSE_MB}."
    if remedy is Remedy.CHECK_CAMPAIGN:
        return "Check the campaign id in SmartLead."
    if remedy is Remedy.FIX_SETTING and error.setting == settings.ENV_HISTORY_PATH:
        return (
            f"Set {settings.ENV_HISTORY_PATH} to a file path, or unset it to use the default file."
        )
    if remedy is Remedy.FIX_SETTING:
        return f"Correct {error.setting or 'the setting'} and run the command again."
    if remedy is Remedy.CHECK_HISTORY:
        return (
            "Move the file aside or fix its permissions, or point "
            f"{settings.ENV_HISTORY_PATH} at another file (unset: the default file)."
        )
    if remedy is Remedy.CHECK_DATABASE:
        return (
            f"Check that the PostgreSQL server named by {settings.ENV_HISTORY_PATH} is running "
            "and reachable from here, and that its user, password and database are right."
        )
    if remedy is Remedy.TRY_AGAIN:
        return "Run the command again in a few minutes."
    if remedy is Remedy.CHOOSE_WINDOW:
        return "Give another window: --start/--end (YYYY-MM-DD) or --last (e.g. 30d)."
    return ""


def _fail(error: PortfolioError, code: int) -> int:
    action = remedy_text(error)
    message = terminal_text(str(error)) + (f" {action}" if action else "")
    print(f"error: {message}", file=sys.stderr)
    return code


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
    except DeliveryError as error:
        return _fail(error, EXIT_DELIVERY)
    except (SnapshotNotFoundError, WindowError) as error:
        return _fail(error, EXIT_USAGE)
    except HistoryUnavailableError as error:
        return _fail(error, EXIT_HISTORY_UNAVAILABLE)
    except SettingsError as error:
        return _fail(error, EXIT_SETTINGS)
    except AuthenticationError as error:
        return _fail(error, EXIT_REJECTED_KEY)
    except (ConnectionFailedError, RequestTimeoutError) as error:
        return _fail(error, EXIT_UNREACHABLE)
    except SmartleadError as error:
        return _fail(error, EXIT_API_ERROR)
    except OSError as error:
        print(f"error: could not write the output: {error.strerror or error}", file=sys.stderr)
        return EXIT_WRITE_FAILED
