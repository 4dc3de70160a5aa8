"""Benchmark the snapshot history: save, load and diff two portfolios of 5,000 campaigns.

Why: the dashboard saves a snapshot right after a live fetch and the Changes page diffs two
of them while a person waits, so both must stay well under a second for a large agency.
The second portfolio is a copy of the first with about 5% of campaigns changed (status,
daily limit, tags, schedule, names, unknown fields), some removed and some added.

    python bench/bench_history.py [--campaigns 5000] [--runs 5]
"""

from __future__ import annotations

import argparse
import copy
import random
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.timing import median_time
from smartlead import history, vocab
from smartlead.connection import Connection
from smartlead.demo import demo_campaigns, demo_clients


def changed_copy(records: list[dict[str, Any]], share: float = 0.05, seed: int = 11) -> list[Any]:
    """A copy of ``records`` with about ``share`` of the campaigns changed in one way each."""
    rng = random.Random(seed)
    after = copy.deepcopy(records)
    count = max(1, int(len(after) * share))
    for record in rng.sample(after, k=count):
        change = rng.randrange(6)
        if change == 0:
            record["status"] = rng.choice(
                (vocab.ACTIVE, vocab.PAUSED, vocab.STOPPED, vocab.COMPLETED)
            )
        elif change == 1:
            record["max_leads_per_day"] = rng.choice((25, 50, 100, 200, 400))
        elif change == 2:
            record["tags"] = [{"tag_id": 12, "tag_name": "Test", "tag_color": "#BDC3C7"}]
        elif change == 3:
            record["scheduler_cron_value"] = {
                "tz": "Europe/Paris",
                "days": [1, 2, 3],
                "startHour": "10:00",
                "endHour": "16:00",
            }
        elif change == 4:
            record["name"] = f"{record.get('name')} (v2)"
        else:
            record["sequence_count"] = rng.randint(1, 9)
    removed = max(1, count // 10)
    del after[-removed:]
    top = max(r["id"] for r in after if isinstance(r.get("id"), int))
    for offset in range(removed):
        fresh = copy.deepcopy(after[offset])
        fresh["id"] = top + offset + 1
        fresh["name"] = f"New campaign {offset + 1}"
        after.insert(0, fresh)
    return after


def main(argv: list[str] | None = None) -> None:
    """Print the median times and the store's size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--campaigns", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)

    before = demo_campaigns(args.campaigns, seed=7)
    after = changed_copy(before)
    clients = demo_clients()

    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "history.sqlite3"
        store = history.SQLiteSnapshotStore(path)
        account = store.account_for(Connection.to("bench-key"))

        def save(records: list[Any]) -> Callable[[], history.SnapshotInfo | None]:
            return lambda: store.save(records, account=account, clients=clients)

        save_before, info_before = median_time(save(before), args.runs)
        save_after, info_after = median_time(save(after), args.runs)
        load_time, snapshot_after = median_time(lambda: store.load(info_after.id), args.runs)
        snapshot_before = store.load(info_before.id)
        diff_time, changes = median_time(
            lambda: history.diff_snapshots(snapshot_before, snapshot_after), args.runs
        )
        diff_stored_time, _ = median_time(
            lambda: history.diff_stored(store, info_before.id, info_after.id), args.runs
        )
        timeline_time, timeline = median_time(
            lambda: history.portfolio_timeline(store, account), args.runs
        )
        snapshots = len(store.list())
        size = sum(
            f.stat().st_size for f in Path(directory).iterdir() if f.name.startswith(path.name)
        )

    summary = history.diff_summary(changes)
    print(f"History benchmark: {args.campaigns:,} campaigns, median of {args.runs} runs")
    print(f"  save snapshot 1 (original)          {save_before * 1000:8.1f} ms")
    print(f"  save snapshot 2 (~5% changed)       {save_after * 1000:8.1f} ms")
    print(f"  load snapshot (decompress + verify) {load_time * 1000:8.1f} ms")
    print(f"  diff two loaded snapshots           {diff_time * 1000:8.1f} ms")
    print(f"  load both + diff (diff_stored)      {diff_stored_time * 1000:8.1f} ms")
    print(f"  timeline of {snapshots} snapshots             {timeline_time * 1000:8.1f} ms")
    print(
        f"  store size: {size / 1e6:.2f} MB for {snapshots} snapshots "
        f"({size / snapshots / 1e3:.0f} kB each)"
    )
    counts = ", ".join(f"{kind} {summary[kind]}" for kind in history.CHANGE_KINDS)
    print(f"  changes found: {summary['changes']} ({counts}); timeline rows: {len(timeline)}")


if __name__ == "__main__":
    main()
