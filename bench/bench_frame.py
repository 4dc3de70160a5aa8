"""How fast and how small the campaign frame is, against parsing the same JSON alone.

Run from the repository root: ``python bench/bench_frame.py`` (``--sizes 1000 10000`` and
``--runs 7`` to choose, ``--naive`` to add a json_normalize baseline). For each portfolio
size, on two portfolios, it prints the median of several runs of:

- ``loads``: ``json.loads`` of the payload bytes alone, the floor any approach pays;
- ``bytes→frame``: what the client does, ``json.loads`` then ``campaigns_frame``;
- their ratio, and ``flatten``: ``campaigns_frame`` alone on records already parsed;
- the frame's deep memory against the payload's size.

Every timed run happens with the cyclic garbage collector paused (``smartlead.perf`` pauses
it for the parse and ``campaigns_frame`` for its own work anyway; here it stays paused between
runs too), so the comparison treats the collector the same way on both sides.

The portfolios: ``demo`` (``demo_campaigns``: a few dozen schedules shared by many campaigns,
as in a real account) and ``distinct`` (every campaign with a schedule of its own, the worst
case for the schedule columns).

Goals: bytes→frame at most 2 × loads on both portfolios, frame at most 0.5 × the payload.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd

from bench.timing import median_seconds
from smartlead import perf
from smartlead.demo import demo_campaigns
from smartlead.frame import campaigns_frame

PORTFOLIOS: dict[str, Callable[[int], list[dict[str, Any]]]] = {
    "demo": lambda size: demo_campaigns(size, seed=7),
    "distinct": lambda size: demo_campaigns(size, seed=7, distinct_schedules=True),
}


def naive_flatten(records: list) -> pd.DataFrame:
    """What a first attempt usually looks like: json_normalize, then a row-wise apply."""
    frame = pd.json_normalize(records)
    frame["tag_names"] = frame.apply(
        lambda row: [t["tag_name"] for t in row["tags"]] if isinstance(row["tags"], list) else [],
        axis=1,
    )
    return frame


def bytes_to_frame(payload: bytes) -> tuple[Any, pd.DataFrame]:
    """The client's path. The records are returned too, so that, as with ``loads`` alone,
    freeing them falls outside this run (in the next one, on both sides alike)."""
    records = perf.loads(payload)
    return records, campaigns_frame(records)


def measure(payload: bytes, runs: int, naive: bool) -> dict[str, float]:
    """Median seconds of each path on one payload, and the frame's memory in bytes.

    The collector stays paused over all the runs: a full collection, walking every object
    still alive, would otherwise land in whichever run happens to trigger it.
    """
    gc.collect()
    with perf.collector_paused():
        parse = median_seconds(lambda: perf.loads(payload), runs, warm_up=True)
        ours = median_seconds(lambda: bytes_to_frame(payload), runs, warm_up=True)
        records = perf.loads(payload)
        flatten = median_seconds(lambda: campaigns_frame(records), runs, warm_up=True)
    result = {
        "parse": parse,
        "ours": ours,
        "flatten": flatten,
        "memory": float(campaigns_frame(records).memory_usage(deep=True).sum()),
    }
    if naive:
        result["naive"] = median_seconds(lambda: naive_flatten(perf.loads(payload)), runs)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 50_000])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--naive", action="store_true", help="also time json_normalize")
    args = parser.parse_args()

    header = (
        f"{'portfolio':<9} {'campaigns':>9} {'payload MB':>10} {'loads s':>8} "
        f"{'bytes→frame s':>13} {'ratio':>6} {'flatten s':>9} {'frame MB':>8} "
        f"{'frame/payload':>13}" + (f" {'naive s':>8}" if args.naive else "")
    )
    print(header)
    print("-" * len(header))
    for size in args.sizes:
        for name, portfolio in PORTFOLIOS.items():
            payload = json.dumps(portfolio(size)).encode("utf-8")
            figures = measure(payload, args.runs, args.naive)
            print(
                f"{name:<9} {size:>9,} {len(payload) / 1e6:>10.1f} {figures['parse']:>8.3f} "
                f"{figures['ours']:>13.3f} {figures['ours'] / figures['parse']:>6.2f} "
                f"{figures['flatten']:>9.3f} {figures['memory'] / 1e6:>8.1f} "
                f"{figures['memory'] / len(payload):>13.2f}"
                + (f" {figures['naive']:>8.3f}" if args.naive else "")
            )


if __name__ == "__main__":
    main()
