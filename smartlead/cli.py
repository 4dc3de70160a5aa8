"""The command line: ``python -m smartlead <command>``, for scripts and cron jobs without the UI.

The API key is read from ``SMARTLEAD_API_KEY`` or asked for at a hidden prompt. It is never
accepted as a command-line argument, because any user of the machine can read another
process's arguments (``ps``, ``/proc/<pid>/cmdline``).

``snapshot`` saves the portfolio to the history store (``SMARTLEAD_HISTORY_PATH``) for a
cron job; ``diff`` prints what changed between two snapshots (see :mod:`smartlead.history`).

Exit codes: 0 done; 2 usage error; 3 the key was rejected; 4 SmartLead could not be reached
(refused, timed out); 5 any other SmartLead error (rate limit, server error, odd answer);
6 a file could not be written; 7 the history store is unavailable (turned off, missing,
locked, read-only or damaged); 8 a setting cannot be used (e.g. a malformed
``SMARTLEAD_BASE_URL``).
"""

from __future__ import annotations

import argparse
import getpass
import json
import math
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

from smartlead import export, history, settings
from smartlead.connection import Connection
from smartlead.errors import (
    AuthenticationError,
    ConnectionFailedError,
    HistoryUnavailableError,
    PortfolioError,
    Remedy,
    RequestTimeoutError,
    SettingsError,
    SmartleadError,
    SnapshotNotFoundError,
)
from smartlead.export import terminal_text
from smartlead.frame import SCHEMA, campaigns_frame
from smartlead.loader import load_portfolio

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_REJECTED_KEY = 3
EXIT_UNREACHABLE = 4
EXIT_API_ERROR = 5
EXIT_WRITE_FAILED = 6
EXIT_HISTORY_UNAVAILABLE = 7
EXIT_SETTINGS = 8

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

DIFF_TABLE_COLUMNS: tuple[str, ...] = tuple(c for c in history.DIFF_COLUMNS if c != "tags")
"""What ``diff --format table`` shows; JSON also holds each campaign's tags."""


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


def open_history() -> history.SQLiteSnapshotStore:
    """The configured history store; HistoryUnavailableError when history is turned off."""
    store = history.open_store()
    if store is None:
        raise HistoryUnavailableError(
            f"History is turned off ({settings.ENV_HISTORY_PATH} says so).",
            remedy=Remedy.FIX_SETTING,
        )
    return store


def account_of_key(store: history.SnapshotStore) -> str:
    """The account name of the user's key in ``store`` (the key's connection fingerprint)."""
    return store.account_for(Connection.to(read_api_key()))


def _scope(client_filter: int | None) -> str:
    return "all clients" if client_filter is None else f"client #{client_filter}"


def _info_line(info: history.SnapshotInfo) -> str:
    summary = info.summary
    by_status = summary.get("by_status") if isinstance(summary, dict) else None
    statuses = ", ".join(f"{count} {status}" for status, count in (by_status or {}).items())
    return (
        f"#{info.id}  {info.taken_at:%Y-%m-%d %H:%M:%S} UTC  account {info.account}  "
        f"{_scope(info.client_filter)}  {info.campaign_count} campaign(s)"
        + (f" ({statuses})" if statuses else "")
        + f"  [{info.source}]"
    )


def command_snapshot(args: argparse.Namespace, stdout: TextIO) -> int:
    """Fetch the portfolio and save it as a snapshot (or list the stored snapshots)."""
    store = open_history()
    if args.list:
        return _list_snapshots(store, args, stdout)

    connection = None if args.demo else Connection.to(read_api_key())
    # The store is opened (and checked) before fetching: a broken store fails fast.
    account = history.DEMO_ACCOUNT if connection is None else store.account_for(connection)
    records, clients = fetch_records(args, None if connection is None else connection.api_key)
    retention = settings.history_retention_days()
    if args.if_due:
        outcome = history.maybe_save(
            store,
            records,
            account=account,
            client_filter=args.client_id,
            clients=clients,
            retention_days=retention or 0,
            source=history.SOURCE_CLI,
        )
        info, pruned, saved = outcome.info, outcome.pruned, outcome.saved
        message = outcome.message
    else:
        info = store.save(
            records,
            account=account,
            client_filter=args.client_id,
            clients=clients,
            source=history.SOURCE_CLI,
        )
        pruned = store.prune(keep_days=retention) if retention else 0
        saved, message = info is not None, ""

    if args.format == "json":
        payload: dict[str, Any] = {
            "saved": saved,
            "snapshot": info.as_dict() if info is not None else None,
            "pruned": pruned,
            "message": message or None,
        }
        stdout.write(json.dumps(payload, ensure_ascii=False, indent=1) + "\n")
    elif saved and info is not None:
        stdout.write(f"Saved snapshot {_info_line(info)}\n")
        if pruned:
            stdout.write(f"Pruned {pruned} snapshot(s) older than {retention} days.\n")
    else:
        stdout.write(f"{message}\n")
    return EXIT_OK


def _list_snapshots(
    store: history.SQLiteSnapshotStore, args: argparse.Namespace, stdout: TextIO
) -> int:
    infos = store.list(history.DEMO_ACCOUNT if args.demo else None)
    if args.format == "json":
        stdout.write(
            json.dumps([info.as_dict() for info in infos], ensure_ascii=False, indent=1) + "\n"
        )
    elif not infos:
        stdout.write(f"No snapshots yet in {store.path}.\n")
    else:
        stdout.write("\n".join(_info_line(info) for info in infos) + "\n")
    return EXIT_OK


def _pick_pair(
    store: history.SQLiteSnapshotStore, args: argparse.Namespace
) -> tuple[history.SnapshotInfo, history.SnapshotInfo]:
    """The two snapshots to compare: the ids given, else the latest two of one series."""
    if args.ids:
        if len(args.ids) != 2:
            raise UsageError("Give two snapshot ids (OLD NEW), or none for the latest two.")
        return store.load(args.ids[0]).info, store.load(args.ids[1]).info

    client_filter = args.client_id
    if args.demo:
        account = history.DEMO_ACCOUNT
    elif args.account_of_key or settings.api_key_from_env():
        account = account_of_key(store)
    else:
        # No key at hand (a cron job, say): the series of the newest snapshot in the store.
        candidates = [
            info
            for info in store.list()
            if client_filter is None or info.client_filter == client_filter
        ]
        if not candidates:
            raise UsageError(
                f"There are no snapshots in {store.path} yet: save one with "
                "`python -m smartlead snapshot`."
            )
        account, client_filter = candidates[0].account, candidates[0].client_filter
    pair = store.latest(account, 2, client_filter=client_filter)
    if len(pair) < 2:
        raise UsageError(
            f"A diff needs two snapshots of account {account} ({_scope(client_filter)}); "
            f"{len(pair)} stored. Save another with `python -m smartlead snapshot`."
        )
    return pair[1], pair[0]


def command_diff(args: argparse.Namespace, stdout: TextIO) -> int:
    """Print what changed between two snapshots, as a table or JSON."""
    store = open_history()
    older, newer = _pick_pair(store, args)
    before, after = store.load(older.id), store.load(newer.id)
    if (older.account, older.client_filter) != (newer.account, newer.client_filter):
        print(
            "Note: the two snapshots are of different accounts or client filters; campaigns "
            "outside either one show as added or removed.",
            file=sys.stderr,
        )
    changes = history.diff_snapshots(before, after)
    summary = history.diff_summary(changes)
    if args.format == "json":
        payload = {
            "before": older.as_dict(),
            "after": newer.as_dict(),
            "summary": summary,
            "changes": export.frame_records(changes),
        }
        stdout.write(json.dumps(payload, ensure_ascii=False, indent=1) + "\n")
        return EXIT_OK
    counts = ", ".join(f"{summary[kind]} {kind}" for kind in history.CHANGE_KINDS)
    lines = [
        f"From {_info_line(older)}",
        f"  to {_info_line(newer)}",
        f"{summary['changes']} change(s): {counts}.",
    ]
    if len(changes):
        lines += ["", export.to_text_table(changes, DIFF_TABLE_COLUMNS)]
    stdout.write("\n".join(lines) + "\n")
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
        "6 write failed, 7 history store unavailable, 8 a setting cannot be used.",
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

    history_help = (
        f"The store is {settings.ENV_HISTORY_PATH} (default: a file in your user data "
        f"directory; 'off' turns history off); {settings.ENV_HISTORY_RETENTION_DAYS} "
        "(default 180) prunes old snapshots after each save."
    )
    snapshot = commands.add_parser(
        "snapshot",
        help="save the portfolio to the history store (for a cron job)",
        description="Fetch the portfolio and save it as a snapshot. " + history_help,
    )
    snapshot.add_argument("--client-id", type=int, help="only this agency client's campaigns")
    snapshot.add_argument(
        "--demo", action="store_true", help="snapshot the built-in demo portfolio (no key)"
    )
    snapshot.add_argument(
        "--demo-size", type=int, default=300, help="campaigns in the demo portfolio (default 300)"
    )
    snapshot.add_argument(
        "--if-due",
        action="store_true",
        help=f"save only if the last snapshot is older than {settings.ENV_HISTORY_INTERVAL} "
        "(default 3600 s)",
    )
    snapshot.add_argument(
        "--list", action="store_true", help="list the stored snapshots instead of saving one"
    )
    snapshot.add_argument("--format", choices=("table", "json"), default="table")
    snapshot.set_defaults(handler=command_snapshot)

    diff = commands.add_parser(
        "diff",
        help="print what changed between two snapshots",
        description="Compare two snapshots: the ids given, else the latest two of the key's "
        "account (of the demo with --demo; of the newest snapshot's account when no key is "
        "set). " + history_help,
    )
    diff.add_argument(
        "ids", nargs="*", type=int, metavar="ID", help="OLD_ID NEW_ID (default: latest two)"
    )
    diff.add_argument("--format", choices=("table", "json"), default="table")
    diff.add_argument("--client-id", type=int, help="compare snapshots taken for this client only")
    diff.add_argument("--demo", action="store_true", help="compare the demo snapshots")
    diff.add_argument(
        "--account-of-key",
        action="store_true",
        help=f"use the account of the key ({settings.ENV_API_KEY} or a hidden prompt)",
    )
    diff.set_defaults(handler=command_diff)
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
    if remedy is Remedy.TRY_AGAIN:
        return "Run the command again in a few minutes."
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
    except SnapshotNotFoundError as error:
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
