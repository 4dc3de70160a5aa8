"""Rerun cost of a page after a filter change, with AppTest, at 100 and 5,000 demo campaigns.

Run from the repository root: ``python bench/bench_app.py``. For each size and page it opens
the app, then toggles the status filter back and forth and reports the median rerun time.
Goal: the 5,000-campaign rerun costs at most 1.5 × the 100-campaign one (the page's cost is
fixed overhead, not the portfolio's size).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from ui.page import PAGES as ALL_PAGES  # noqa: E402

PAGES = (ALL_PAGES["overview"].path, ALL_PAGES["campaigns"].path)


def rerun_median(size: int, page: str, runs: int) -> float:
    """Median seconds of a rerun after changing the status filter, on ``page``."""
    os.environ["SMARTLEAD_DEMO_SIZE"] = str(size)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page(page).run()
    times = []
    for run in range(runs + 1):
        at.multiselect(key="status").set_value(["ACTIVE"] if run % 2 == 0 else [])
        start = time.perf_counter()
        at.run()
        if run:  # the first rerun warms caches; leave it out
            times.append(time.perf_counter() - start)
        if at.exception:
            raise RuntimeError(f"{page} raised: {at.exception[0].value}")
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[100, 5_000])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    small, large = args.sizes
    print(f"{'page':<24} {small:>8,} {large:>8,}   ratio  (median rerun, ms)")
    for page in PAGES:
        first = rerun_median(small, page, args.runs)
        second = rerun_median(large, page, args.runs)
        print(f"{page:<24} {first * 1000:>8.0f} {second * 1000:>8.0f}   {second / first:.2f}")


if __name__ == "__main__":
    main()
