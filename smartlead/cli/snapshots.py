"""``snapshot`` (save the portfolio to the history store, for cron) and ``diff`` (what changed
between two snapshots); see :mod:`smartlead.history`."""

from __future__ import annotations

import argparse
import atexit
import json
import sys
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from smartlead import export, history, settings
from smartlead.cli.common import (
    EXIT_OK,
    UsageError,
    add_portfolio_options,
    add_timezone_option,
    fetch_records,
    read_api_key,
    timezone_of,
    write_output,
)
from smartlead.connection import Connection
from smartlead.errors import HistoryUnavailableError, Remedy
from smartlead.window import DEFAULT_TIMEZONE

DIFF_TABLE_COLUMNS: tuple[str, ...] = tuple(c for c in history.DIFF_COLUMNS if c != "tags")
"""What ``diff --format table`` shows; JSON also holds each campaign's tags."""


def open_history() -> history.SnapshotStore:
    """The configured history store; HistoryUnavailableError when history is turned off.

    Its connections (a PostgreSQL store's pool) are closed when the command's process ends.
    """
    store = history.open_store()
    if store is None:
        raise HistoryUnavailableError(
            f"History is turned off ({settings.ENV_HISTORY_PATH} says so).",
            remedy=Remedy.FIX_SETTING,
        )
    atexit.register(history.close_store, store)
    return store


def account_of_key(store: history.SnapshotStore) -> str:
    """The account name of the user's key in ``store`` (the key's connection fingerprint)."""
    return store.account_for(Connection.to(read_api_key()))


def _scope(client_filter: int | None) -> str:
    return "all clients" if client_filter is None else f"client #{client_filter}"


def _info_line(info: history.SnapshotInfo, zone: str = DEFAULT_TIMEZONE) -> str:
    summary = info.summary
    by_status = summary.get("by_status") if isinstance(summary, dict) else None
    statuses = ", ".join(f"{count} {status}" for status, count in (by_status or {}).items())
    taken = info.taken_at.astimezone(ZoneInfo(zone))
    return (
        f"#{info.id}  {taken:%Y-%m-%d %H:%M:%S} {zone}  account {info.account}  "
        f"{_scope(info.client_filter)}  {info.campaign_count} campaign(s)"
        + (f" ({statuses})" if statuses else "")
        + f"  [{info.source}]"
    )


def command_snapshot(args: argparse.Namespace, stdout: TextIO) -> int:
    """Fetch the portfolio and save it as a snapshot (or list the stored snapshots)."""
    zone = timezone_of(args)  # before anything is fetched: a typo fails fast
    store = open_history()
    if args.list:
        return _list_snapshots(store, args, stdout, zone)

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
        write_output(json.dumps(payload, ensure_ascii=False, indent=1), None, stdout)
    elif saved and info is not None:
        stdout.write(f"Saved snapshot {_info_line(info, zone)}\n")
        if pruned:
            stdout.write(f"Pruned {pruned} snapshot(s) older than {retention} days.\n")
    else:
        stdout.write(f"{message}\n")
    return EXIT_OK


def _list_snapshots(
    store: history.SnapshotStore, args: argparse.Namespace, stdout: TextIO, zone: str
) -> int:
    infos = store.list(history.DEMO_ACCOUNT if args.demo else None)
    if args.format == "json":
        write_output(
            json.dumps([info.as_dict() for info in infos], ensure_ascii=False, indent=1),
            None,
            stdout,
        )
    elif not infos:
        stdout.write(f"No snapshots yet in {store.location}.\n")
    else:
        stdout.write("\n".join(_info_line(info, zone) for info in infos) + "\n")
    return EXIT_OK


def _pick_pair(
    store: history.SnapshotStore, args: argparse.Namespace
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
                f"There are no snapshots in {store.location} yet: save one with "
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
    zone = timezone_of(args)
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
        write_output(json.dumps(payload, ensure_ascii=False, indent=1), None, stdout)
        return EXIT_OK
    counts = ", ".join(f"{summary[kind]} {kind}" for kind in history.CHANGE_KINDS)
    lines = [
        f"From {_info_line(older, zone)}",
        f"  to {_info_line(newer, zone)}",
        f"{summary['changes']} change(s): {counts}.",
    ]
    if len(changes):
        lines += ["", export.to_text_table(changes, DIFF_TABLE_COLUMNS)]
    stdout.write("\n".join(lines) + "\n")
    return EXIT_OK


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``snapshot`` and ``diff`` to the command line."""
    history_help = (
        f"The store is {settings.ENV_HISTORY_PATH} (default: a file in your user data "
        "directory; a postgresql:// address for a team's database; 'off' turns history off); "
        f"{settings.ENV_HISTORY_RETENTION_DAYS} "
        "(default 180) prunes old snapshots after each save."
    )
    snapshot = commands.add_parser(
        "snapshot",
        help="save the portfolio to the history store (for a cron job)",
        description="Fetch the portfolio and save it as a snapshot. " + history_help,
    )
    add_portfolio_options(snapshot, what="snapshot")
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
    add_timezone_option(snapshot, what="snapshot times are printed in (JSON stays in UTC)")
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
    add_timezone_option(diff, what="snapshot times are printed in (JSON stays in UTC)")
    diff.set_defaults(handler=command_diff)
