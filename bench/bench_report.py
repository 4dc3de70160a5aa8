"""What the weekly report costs to build and render, from 300 to 20,000 campaigns.

Run from the repository root: ``python bench/bench_report.py`` (``--sizes 300 5000 20000``,
``--runs 5`` to choose). On ``demo_campaigns(n)`` with the demo's lead statistics, the
runway, the settings audit, a week of demo history (the diff of its last two snapshots)
and the demo's last 7 days against the 7 before, the median wall time of
``build_report`` (the facts) and of each renderer, and the size of the HTML file. Goal: the
report of 5,000 campaigns in well under a second once its inputs are gathered (the
dashboard builds it when the button is clicked), and an HTML file small enough to email.
"""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.timing import median_seconds
from smartlead import audit, demo
from smartlead.frame import campaigns_frame
from smartlead.history import diff_snapshots
from smartlead.records import parse_analytics
from smartlead.report import build_report
from smartlead.report_render import RENDERERS
from smartlead.runway import with_lead_stats, with_runway
from smartlead.window import Window, with_window
from smartlead.window_fetch import demo_window_fetch


def inputs(size: int) -> dict:
    history = demo.demo_history(size, seed=7, weeks=1)
    (_, before), (_, records) = history[-2], history[-1]
    clients = demo.demo_clients()
    frame = campaigns_frame(records, clients)
    counters = {
        int(r["id"]): parse_analytics(demo.demo_analytics(int(r["id"]), r))
        for r in records
        if isinstance(r, dict) and isinstance(r.get("id"), int)
    }
    frame = with_runway(with_lead_stats(frame, counters))
    today = demo.DEMO_ANCHOR.date()
    current = Window(today - timedelta(days=7), today - timedelta(days=1))
    windows = [
        with_window(frame, demo_window_fetch(records, w, today, daily=False).metrics())
        for w in (current, current.previous())
    ]
    return {
        "frame": frame,
        "changes": diff_snapshots(before, records, clients=clients),
        "findings": audit.run_audit(frame, now=demo.DEMO_ANCHOR),
        "current_window": windows[0],
        "previous_window": windows[1],
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 5_000, 20_000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    print(
        f"{'campaigns':>10} {'facts':>9} " + " ".join(f"{n:>9}" for n in RENDERERS) + "  html size"
    )
    for size in args.sizes:
        given = inputs(size)

        def facts(given: dict = given) -> object:
            return build_report(title="Weekly", generated_at=demo.DEMO_ANCHOR, **given)

        report = facts()
        built = median_seconds(facts, args.runs)
        renders = [
            median_seconds(lambda r=r, report=report: r(report), args.runs)
            for r in RENDERERS.values()
        ]
        html = RENDERERS["html"](report).encode("utf-8")
        cells = " ".join(f"{seconds * 1000:>7.1f}ms" for seconds in renders)
        print(f"{size:>10,} {built * 1000:>7.1f}ms {cells}  {len(html) / 1024:,.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
