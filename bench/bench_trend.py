"""What the Health page's score trend costs: one snapshot's score, and the whole trend.

Run from the repository root: ``python bench/bench_trend.py`` (``--sizes 300 5000 20000``,
``--runs 3``). For each size it saves the demo history (``demo_history``: seven weekly
snapshots) into a SQLite store in a temporary folder and prints the median wall time of:

- ``snapshot_score``: load one snapshot, rebuild its frame, apply filters, audit it by the
  settings rules, score it (what the dashboard caches per snapshot and filters);
- ``score_trend``: every point of the trend, nothing cached (a first visit; the page's
  later runs read each snapshot's score from Streamlit's cache).

Goal: the first visit's trend at 20,000 campaigns within a few seconds, which is why the
trend scores at most ``TREND_POINTS`` snapshots plus the one the change compares with.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.timing import median_seconds
from smartlead import history
from smartlead.demo import DEMO_ANCHOR, demo_clients, demo_history
from smartlead.filters import Filters
from smartlead.frame import campaigns_frame


def measure(size: int, runs: int) -> dict[str, float]:
    """Median seconds of one snapshot's score and of the whole trend at ``size`` campaigns."""
    weeks = demo_history(size, seed=7)
    with tempfile.TemporaryDirectory() as folder:
        store = history.SQLiteSnapshotStore(Path(folder) / "bench.sqlite3")
        for taken_at, records in weeks:
            store.save(records, account="bench", clients=demo_clients(), taken_at=taken_at)
        infos = store.list("bench")
        current = campaigns_frame(weeks[-1][1], demo_clients())
        filters = Filters()

        def score_one() -> float:
            return history.snapshot_score(store.load(infos[0].id), filters)

        def whole_trend() -> history.ScoreTrend:
            return history.score_trend(
                infos,
                current,
                lambda info: history.snapshot_score(store.load(info.id), filters),
                now=DEMO_ANCHOR,
            )

        return {
            "snapshot_score": median_seconds(score_one, runs),
            f"score_trend ({len(infos)} snapshots)": median_seconds(whole_trend, runs),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 5_000, 20_000])
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    for size in arguments.sizes:
        for name, seconds in measure(size, arguments.runs).items():
            print(f"{size:>7,} campaigns  {name:<28} {seconds:8.3f} s")


if __name__ == "__main__":
    main()
