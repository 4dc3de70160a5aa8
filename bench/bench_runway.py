"""What the lead runway costs: its computation at 300 to 20,000 campaigns, and the requests
of a morning's review against the day's second review after a restart.

Run from the repository root: ``python bench/bench_runway.py`` (``--sizes 300 5000 20000``,
``--runs 7``, ``--requests-size 300`` to choose). Two parts:

1. **Computing.** On ``demo_campaigns(n)`` with the demo's lead statistics and its last 30
   days (the observed pace), the median wall time of ``with_runway`` (every campaign),
   ``refill_queue``, ``runway_by_client`` and ``lead_funnel`` per client and per tag. Goal:
   the runway of 5,000 campaigns well under a second (it is computed on every rerun).
2. **Fetching.** The stand-in serves the demo portfolio of ``--requests-size`` campaigns (no
   rate limit: this counts requests, it does not wait for them). A morning review fetches
   every active and paused campaign's lead statistics into a fresh SQLite history store; a
   review later the same morning, in a new cache on the same store (a restart), and one 7 hours
   later are counted, with the time a request costs at SmartLead's 10 requests per 2 s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.timing import median_seconds
from smartlead import demo, vocab
from smartlead.analytics_cache import AnalyticsCache
from smartlead.connection import Connection
from smartlead.frame import campaigns_frame
from smartlead.history import SQLiteSnapshotStore
from smartlead.records import parse_analytics
from smartlead.runway import (
    lead_funnel,
    refill_queue,
    runway_by_client,
    with_lead_stats,
    with_runway,
)
from smartlead.settings import RateRule
from smartlead.window import last_days, today_in, with_window
from smartlead.window_fetch import demo_window_fetch


def demo_frame(size: int):
    """The demo portfolio with its lead statistics and last 30 days joined on."""
    records = demo.demo_campaigns(size, seed=7)
    counters = {
        r["id"]: parse_analytics(demo.demo_analytics(r["id"], r))
        for r in records
        if isinstance(r, dict) and isinstance(r.get("id"), int)
    }
    today = today_in("UTC")
    window = last_days(30, today, "UTC")
    metrics = demo_window_fetch(records, window, today, daily=False).metrics()
    frame = with_window(with_lead_stats(campaigns_frame(records), counters), metrics)
    return frame, window, today


def computing(sizes: list[int], runs: int) -> None:
    results: dict[int, dict[str, float]] = {}
    for size in sizes:
        frame, window, today = demo_frame(size)
        runway = with_runway(frame, window=window, window_today=today)
        results[size] = {
            "with_runway": median_seconds(
                lambda f=frame, w=window, t=today: with_runway(f, window=w, window_today=t),
                runs,
                warm_up=True,
            ),
            "refill_queue": median_seconds(lambda r=runway: refill_queue(r), runs, warm_up=True),
            "runway_by_client": median_seconds(
                lambda r=runway: runway_by_client(r), runs, warm_up=True
            ),
            "funnel per client": median_seconds(
                lambda r=runway: lead_funnel(r, "client_name"), runs, warm_up=True
            ),
            "funnel per tag": median_seconds(
                lambda r=runway: lead_funnel(r, "tags"), runs, warm_up=True
            ),
        }
    header = f"{'function':<20}" + "".join(f"{f'{size:,} ms':>12}" for size in sizes)
    print(f"Computing: median of {runs} runs on the demo portfolio with its last 30 days")
    print(header)
    print("-" * len(header))
    for name in results[sizes[0]]:
        print(f"{name:<20}" + "".join(f"{results[s][name] * 1000:>12.1f}" for s in sizes))


def fetching(size: int) -> None:
    from tests.standin import StandinSmartlead

    records = demo.demo_campaigns(size, seed=7)
    statuses = {
        r["id"]: vocab.canonical_status(r.get("status"))
        for r in records
        if isinstance(r, dict) and isinstance(r.get("id"), int)
    }
    wanted = {cid: status for cid, status in statuses.items() if status in vocab.RESUMABLE}
    with StandinSmartlead(portfolios={"bench-key": records}) as standin:
        connection = Connection.to(
            "bench-key", standin.base_url, rate_rules=(RateRule(10_000, 1.0),)
        )

        def asked() -> int:
            return sum(1 for r in standin.requests if r.path.endswith("/analytics"))

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "history.sqlite3"
            rows = []
            for label, now, whole in (
                ("morning review (empty store)", None, False),
                ("restart, same morning", None, False),
                ("7 hours later", datetime.now(UTC) + timedelta(hours=7), False),
                ("every campaign, once (all-time figures on)", None, True),
                ("every campaign, after a restart", None, True),
            ):
                before = asked()
                cache = AnalyticsCache(SQLiteSnapshotStore(path))
                cache.review(connection, statuses if whole else wanted, now=now)
                rows.append((label, asked() - before))
    at_limit = 2 / 10  # seconds a request costs at 10 requests per 2 s
    print()
    print(
        f"Fetching: demo portfolio of {size:,} campaigns, {len(wanted):,} active or paused, "
        f"{sum(s in vocab.FINISHED for s in statuses.values()):,} finished"
    )
    print(f"{'review':<44}{'requests':>10}{'at 10/2':>10}")
    print("-" * 64)
    for label, count in rows:
        print(f"{label:<44}{count:>10,}{count * at_limit:>9.0f}s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 5_000, 20_000])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--requests-size", type=int, default=300)
    args = parser.parse_args()
    computing(sorted(set(args.sizes)), args.runs)
    fetching(args.requests_size)


if __name__ == "__main__":
    main()
