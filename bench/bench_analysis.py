"""How the schedule views and the audit scale with the portfolio: 100 against 5,000 campaigns.

Run from the repository root: ``python bench/bench_analysis.py`` (``--sizes 100 5000 20000``
and ``--runs 9`` to choose; ``--distinct-schedules`` gives every campaign a window of its own,
the worst case for the schedule views). For each size it builds
``campaigns_frame(demo_campaigns(n, seed=7))`` once, then prints the median wall time of
several runs of:

- ``weekly_heatmap`` (week of 11 March 2026, seen from Europe/London: a week when the US has
  changed its clocks and the UK has not);
- ``daily_capacity`` (per client);
- ``run_audit`` (every rule in ``RULES``);

and, for each, the ratio of the largest size to the smallest. Work grows with the number of
*distinct* schedules and with pandas' per-column costs, not with campaigns × hours, so 50 times
more campaigns should cost far less than 50 times more time. Goal: the 5,000-campaign heatmap
well under a second.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.timing import median_seconds
from smartlead.audit import run_audit
from smartlead.demo import DEMO_ANCHOR, demo_campaigns
from smartlead.frame import campaigns_frame
from smartlead.schedule import daily_capacity, weekly_heatmap

WEEK = date(2026, 3, 11)
VIEWER_TZ = "Europe/London"


def measure(size: int, runs: int, distinct_schedules: bool = False) -> dict[str, float]:
    """Median seconds of each measured call on a demo portfolio of ``size`` campaigns."""
    frame = campaigns_frame(demo_campaigns(size, seed=7, distinct_schedules=distinct_schedules))
    return {
        "weekly_heatmap": median_seconds(
            lambda: weekly_heatmap(frame, WEEK, VIEWER_TZ), runs, warm_up=True
        ),
        "daily_capacity": median_seconds(lambda: daily_capacity(frame), runs, warm_up=True),
        "run_audit": median_seconds(lambda: run_audit(frame, now=DEMO_ANCHOR), runs, warm_up=True),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 5_000])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--distinct-schedules", action="store_true")
    args = parser.parse_args()
    sizes = sorted(set(args.sizes))

    results = {size: measure(size, args.runs, args.distinct_schedules) for size in sizes}
    smallest, largest = sizes[0], sizes[-1]
    ratio_title = f"{largest}/{smallest}"
    header = (
        f"{'function':<16}"
        + "".join(f"{f'{size:,} ms':>12}" for size in sizes)
        + f"{ratio_title:>12}"
    )
    print(f"median of {args.runs} runs; week of {WEEK.isoformat()} seen from {VIEWER_TZ}")
    print(header)
    print("-" * len(header))
    for name in results[smallest]:
        timings = [results[size][name] for size in sizes]
        ratio = timings[-1] / timings[0] if timings[0] > 0 else float("inf")
        print(
            f"{name:<16}"
            + "".join(f"{seconds * 1000:>12.1f}" for seconds in timings)
            + f"{ratio:>12.1f}"
        )


if __name__ == "__main__":
    main()
