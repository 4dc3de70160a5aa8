"""How fast and how small the campaign frame is, against parsing alone and a naive pandas path.

Run from the repository root: ``python bench/bench_frame.py`` (``--sizes 1000 10000`` to choose).
For each portfolio size it prints the median of several runs of:

- parse: ``json.loads`` of the payload bytes alone (the floor any approach pays);
- ours: bytes → frame as the client does it (``smartlead.perf.loads``, i.e. ``json.loads``
  with the garbage collector paused, then ``campaigns_frame``);
- naive: ``json.loads`` + ``pandas.json_normalize`` + a per-row ``apply`` for the tag names;
- flattening alone (records already parsed) for both, since both pay the same parse;
- the frame's deep memory against the payload's size.

Goals at 50k campaigns: ours ≤ 2 × parse, naive ≥ 2 × ours, frame ≤ 0.5 × payload.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd

from bench.timing import median_seconds
from smartlead import perf
from smartlead.demo import demo_campaigns
from smartlead.frame import campaigns_frame


def naive_frame(payload: bytes) -> pd.DataFrame:
    """What a first attempt usually looks like: json_normalize and a row-wise apply."""
    return naive_flatten(json.loads(payload))


def naive_flatten(records: list) -> pd.DataFrame:
    """The naive path after parsing: json_normalize, then a row-wise apply for tag names."""
    frame = pd.json_normalize(records)
    frame["tag_names"] = frame.apply(
        lambda row: [t["tag_name"] for t in row["tags"]] if isinstance(row["tags"], list) else [],
        axis=1,
    )
    return frame


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 50_000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    header = (
        f"{'campaigns':>9} {'payload MB':>10} {'parse s':>8} {'ours s':>8} {'naive s':>8} "
        f"{'ours/parse':>10} {'naive/ours':>10} {'flatten: ours':>13} {'naive':>6} "
        f"{'frame MB':>9} {'frame/payload':>13}"
    )
    print(header)
    print("-" * len(header))
    for size in args.sizes:
        payload = json.dumps(demo_campaigns(size, seed=7)).encode("utf-8")
        runs = args.runs if size <= 10_000 else max(3, args.runs // 2)
        parse = median_seconds(lambda payload=payload: json.loads(payload), runs)
        ours = median_seconds(lambda payload=payload: campaigns_frame(perf.loads(payload)), runs)
        naive = median_seconds(lambda payload=payload: naive_frame(payload), runs)
        records = json.loads(payload)
        flat_ours = median_seconds(lambda records=records: campaigns_frame(records), runs)
        flat_naive = median_seconds(lambda records=records: naive_flatten(records), runs)
        memory = campaigns_frame(records).memory_usage(deep=True).sum()
        print(
            f"{size:>9,} {len(payload) / 1e6:>10.1f} {parse:>8.3f} {ours:>8.3f} {naive:>8.3f} "
            f"{ours / parse:>10.2f} {naive / ours:>10.2f} {flat_ours:>13.3f} {flat_naive:>6.3f} "
            f"{memory / 1e6:>9.1f} {memory / len(payload):>13.2f}"
        )


if __name__ == "__main__":
    main()
