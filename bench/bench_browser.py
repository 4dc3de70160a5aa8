"""Time from navigation to a visible, filled campaigns table in Chromium: 100 vs 5,000 campaigns.

Run from the repository root: ``python bench/bench_browser.py`` (needs Debian's chromium).
For each size it starts the dashboard in demo mode, loads the Campaigns page once to warm the
cache, then measures several fresh navigations until the table shows every row and the script
has finished. Goal: at most 1.5 × between the two sizes.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e.harness import READY, launch_browser, running_dashboard  # noqa: E402
from ui.page import PAGES  # noqa: E402


def time_to_table(size: int, runs: int) -> list[float]:
    """Seconds from ``goto`` to a visible table holding all ``size`` rows, per fresh session."""
    log = Path(tempfile.gettempdir()) / f"smartlead-bench-{size}.log"
    with running_dashboard({"SMARTLEAD_DEMO_SIZE": str(size)}, log) as app, sync_playwright() as pw:
        browser = launch_browser(pw)
        times = []
        for run in range(runs + 1):
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            start = time.perf_counter()
            page.goto(f"{app.url}{PAGES['campaigns'].address}")
            page.wait_for_selector("[data-testid='stDataFrame']", state="visible", timeout=120_000)
            page.wait_for_selector(
                f"[data-testid='stDataFrame'] [aria-rowcount='{size + 1}']",
                state="attached",
                timeout=120_000,
            )
            page.wait_for_selector(READY, timeout=120_000)
            elapsed = time.perf_counter() - start
            if run:  # the first visit fills the server's cache; leave it out
                times.append(elapsed)
            context.close()
        browser.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[100, 5_000])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    medians = []
    for size in args.sizes:
        times = time_to_table(size, args.runs)
        medians.append(statistics.median(times))
        print(
            f"{size:>6,} campaigns: median {medians[-1]:.2f} s "
            f"(min {min(times):.2f}, max {max(times):.2f}, {len(times)} runs)"
        )
    print(f"ratio {args.sizes[1]:,}/{args.sizes[0]:,}: {medians[1] / medians[0]:.2f} (goal ≤ 1.5)")


if __name__ == "__main__":
    main()
