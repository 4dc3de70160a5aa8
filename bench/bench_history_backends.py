"""Benchmark both history stores side by side: SQLite and PostgreSQL, 20,000 campaigns.

Why: a team that moves its history to PostgreSQL should know what it costs. The dashboard
saves a snapshot right after a live fetch and the Changes page loads and diffs two of them
while a person waits. The second portfolio is the first with about 5 % of campaigns changed
(``bench_history.changed_copy``). Also timed: the shared rate limit's cost per request (one
transaction in the database for every grant) and the per-campaign figures cache.

    python bench/bench_history_backends.py [--campaigns 20000] [--runs 5] [--postgres URL]

Without ``--postgres`` a throwaway server is started the way the tests start one (Debian's
PostgreSQL binaries, a temporary data directory on 127.0.0.1, ``fsync=off``); pass the
address of a real server to measure that instead (its password is never printed).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_history import changed_copy
from bench.timing import median_time
from smartlead import history
from smartlead.connection import Connection
from smartlead.demo import demo_campaigns, demo_clients
from smartlead.history.postgres import PostgresSnapshotStore
from smartlead.settings import DatabaseAddress, RateRule
from smartlead.sharedlimit import PostgresSharedBudget


@contextlib.contextmanager
def postgres_database(url: str | None) -> Iterator[str]:
    """The given database, or a fresh one on a throwaway local server."""
    if url:
        yield url
        return
    from tests.postgres import running_server

    with running_server() as server:
        yield server.url(server.create_database("bench"))


def store_size(store: Any, directory: Path) -> int:
    """Bytes the store takes: the SQLite file and its WAL, or the PostgreSQL tables."""
    if isinstance(store, PostgresSnapshotStore):
        with store.database.connection() as connection:
            (size,) = connection.execute(
                "SELECT pg_total_relation_size('snapshots') + "
                "pg_total_relation_size('snapshot_data')"
            ).fetchone()
        return int(size)
    return sum(f.stat().st_size for f in directory.iterdir() if f.name.startswith("history"))


def measure(store: Any, before: list[Any], after: list[Any], runs: int) -> dict[str, float]:
    """Median seconds of each step on ``store``, and its size per snapshot."""
    clients = demo_clients()
    account = store.account_for(Connection.to("bench-key"))

    def save(records: list[Any]) -> Callable[[], history.SnapshotInfo | None]:
        return lambda: store.save(records, account=account, clients=clients)

    figures = {
        record["id"]: {"sent_count": index, "reply_count": index // 50}
        for index, record in enumerate(before)
    }
    results: dict[str, float] = {}
    results["save"], info_before = median_time(save(before), runs)
    _, info_after = median_time(save(after), 1)
    results["load"], snapshot_after = median_time(lambda: store.load(info_after.id), runs)
    snapshot_before = store.load(info_before.id)
    results["diff"], _ = median_time(
        lambda: history.diff_snapshots(snapshot_before, snapshot_after), runs
    )
    results["load+diff"], _ = median_time(
        lambda: history.diff_stored(store, info_before.id, info_after.id), runs
    )
    results["timeline"], _ = median_time(lambda: history.portfolio_timeline(store, account), runs)
    results["save figures"], _ = median_time(
        lambda: store.save_figures(account, "analytics", figures), runs
    )
    results["load figures"], _ = median_time(lambda: store.load_figures(account, "analytics"), runs)
    results["snapshots"] = len(store.list())
    results["payload"] = (
        _payload_bytes(store, info_before.id) + _payload_bytes(store, info_after.id)
    ) / 2
    return results


def _payload_bytes(store: Any, snapshot_id: int) -> int:
    """The stored (compressed) data of one snapshot, in bytes."""
    sql = "SELECT LENGTH(payload) FROM snapshot_data WHERE snapshot_id = ?"
    if isinstance(store, PostgresSnapshotStore):
        with store.database.connection() as connection:
            (size,) = connection.execute(sql.replace("?", "%s"), (snapshot_id,)).fetchone()
        return int(size)
    import sqlite3

    with sqlite3.connect(store.path) as connection:
        (size,) = connection.execute(sql, (snapshot_id,)).fetchone()
    return int(size)


def grant_cost(url: str, grants: int = 500) -> float:
    """Median milliseconds the shared rate limit adds to a request (one grant transaction)."""
    budget = PostgresSharedBudget(DatabaseAddress(url))
    rules = [(10_000, RateRule(10_000, 1.0).per_seconds)]
    try:
        budget.take("bench-account", rules, 0.05)  # the pool's first connection
        times = []
        for _ in range(grants):
            started = time.perf_counter()
            budget.take("bench-account", rules, 0.05)
            times.append(time.perf_counter() - started)
    finally:
        budget.close()
    times.sort()
    return times[len(times) // 2] * 1000


def main(argv: list[str] | None = None) -> None:
    """Print both stores' median times side by side, their sizes and the limiter's cost."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--campaigns", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--postgres", help="a postgresql:// address (default: a throwaway)")
    args = parser.parse_args(argv)

    before = demo_campaigns(args.campaigns, seed=7)
    after = changed_copy(before)
    with tempfile.TemporaryDirectory() as folder, postgres_database(args.postgres) as url:
        directory = Path(folder)
        sqlite_store = history.SQLiteSnapshotStore(directory / "history.sqlite3")
        sqlite = measure(sqlite_store, before, after, args.runs)
        sqlite_size = store_size(sqlite_store, directory) / sqlite["snapshots"]
        with PostgresSnapshotStore(url, timeout=30) as postgres_store:
            postgres = measure(postgres_store, before, after, args.runs)
            postgres_size = store_size(postgres_store, directory) / postgres["snapshots"]
        grant_ms = grant_cost(url)
        shown = DatabaseAddress(url).shown

    print(
        f"History stores: {args.campaigns:,} campaigns (~5% changed), median of {args.runs} "
        f"runs; PostgreSQL at {shown}"
    )
    print(f"  {'':34} {'SQLite':>10} {'PostgreSQL':>11}")
    labels = {
        "save": "save a snapshot",
        "load": "load a snapshot (decompress+verify)",
        "diff": "diff two loaded snapshots",
        "load+diff": "load both + diff (diff_stored)",
        "timeline": "timeline from the summaries",
        "save figures": f"save {args.campaigns:,} campaigns' figures",
        "load figures": f"load {args.campaigns:,} campaigns' figures",
    }
    for key, label in labels.items():
        print(f"  {label:34} {sqlite[key] * 1000:8.1f} ms {postgres[key] * 1000:8.1f} ms")
    print(
        f"  {'snapshot data (compressed)':34} {sqlite['payload'] / 1e6:7.2f} MB "
        f"{postgres['payload'] / 1e6:8.2f} MB"
    )
    print(
        f"  {'on disk per snapshot, all tables':34} {sqlite_size / 1e6:7.2f} MB "
        f"{postgres_size / 1e6:8.2f} MB   (SQLite: the file and its write-ahead log)"
    )
    print(f"  shared rate limit: {grant_ms:.2f} ms per request (median of 500 grants)")


if __name__ == "__main__":
    main()
