"""A date window's figures for a large account: the bulk analytics against one request per
campaign, under SmartLead's 10 requests per 2 s.

Run from the repository root: ``python bench/bench_window.py`` (``--campaigns 2000`` and
``--days 90`` are the defaults). It serves the demo portfolio from the stand-in SmartLead,
which enforces 10 requests per 2 s (sliding window, 429 with Retry-After, no headers), and
fetches, with the package's defaults (10 per 2 s, the client's retries):

(``--all-sending`` makes every campaign send: the most pages a window can take.)

1. the window through :func:`smartlead.window_fetch.fetch_window` (30-day pieces, 200
   campaigns a page, the days), as the dashboard does on opening;
2. the previous window of the same length (campaign pages only: the Overview's comparison);
3. the per-campaign path for the same campaigns: one ``GET /campaigns/{id}/analytics`` per
   campaign, as all-time performance did until now (about 400 s for 2,000 campaigns; with
   ``--skip-per-campaign`` only its estimate is printed). The per-campaign *window* path
   (``analytics-by-date``, one request per campaign and 30 days) is estimated too.

Goal (issue 12): at most 35 requests per 90-day window (about 70 with the comparison), at
least 50× faster than the per-campaign path. It prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from smartlead import bulk
from smartlead.connection import Connection
from smartlead.demo import demo_campaigns, demo_clients
from smartlead.ratelimit import RateLimiter
from smartlead.settings import RateRule
from smartlead.window import Window, today_in
from smartlead.window_fetch import (
    estimate_per_campaign_requests,
    estimate_requests,
    fetch_window,
)
from tests.standin import StandinSmartlead

KEY = "bench-window-key"
RULES = (RateRule(10, 2.0),)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--campaigns", type=int, default=2000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--skip-per-campaign", action="store_true")
    parser.add_argument(
        "--all-sending",
        action="store_true",
        help="the worst case: every campaign active, sending Monday to Friday",
    )
    args = parser.parse_args()

    records = demo_campaigns(args.campaigns, seed=7)
    if args.all_sending:
        for record in records:
            record["status"] = "ACTIVE"
            record["max_leads_per_day"] = 50
            record["created_at"] = "2025-01-06T09:00:00.000Z"
            record["schedule_start_time"] = None
            record["scheduler_cron_value"] = {
                "tz": "UTC",
                "days": [1, 2, 3, 4, 5],
                "startHour": "09:00",
                "endHour": "17:00",
            }
    today = today_in("UTC")
    window = Window(today - timedelta(days=args.days - 1), today)
    standin = StandinSmartlead(
        portfolios={KEY: records}, clients={KEY: demo_clients()}, rate_limit=(10, 2.0)
    )
    with standin:
        standin.analytics.today = today
        connection = Connection.to(KEY, standin.base_url, rate_rules=RULES)
        print(
            f"{len(records):,} campaigns, window {window.label()} ({window.days} days, "
            f"{len(window.chunks())} pieces of at most 30); stand-in and client at 10 per 2 s"
        )
        sending = standin.analytics.rows  # warm the stand-in's cache: time the fetch only
        for piece in (*window.chunks(), *window.previous().chunks()):
            sending(records, piece.start, piece.end, f"{KEY}|None|None")

        started = time.monotonic()
        current = fetch_window(connection, window, limiter=RateLimiter(RULES))
        bulk_seconds = time.monotonic() - started
        asked_now = standin.count("/analytics/")
        time.sleep(2.5)
        started = time.monotonic()
        before = fetch_window(
            connection, window.previous(), daily=False, limiter=RateLimiter(RULES)
        )
        previous_seconds = time.monotonic() - started
        asked_before = standin.count("/analytics/") - asked_now
        refused = standin.count_status(429, "/analytics/")
        listed = len(current.metrics().counters)
        print("\nBulk analytics (what the dashboard does)")
        print(f"  window             {asked_now:4d} requests  {bulk_seconds:6.1f} s")
        print(f"  previous window    {asked_before:4d} requests  {previous_seconds:6.1f} s")
        print(
            f"  together           {asked_now + asked_before:4d} requests  "
            f"{bulk_seconds + previous_seconds:6.1f} s"
        )
        print(
            f"  upper bound        {estimate_requests(window, len(records)):4d} requests "
            "per window (every campaign sending)"
        )
        print(f"  campaigns listed   {listed:,} of {len(records):,} sent in the window")
        print(f"  failed pages       {len(current.failures) + len(before.failures)}")
        print(f"  429 answers        {refused}")

        ids = [r["id"] for r in records if isinstance(r, dict)]
        estimate = bulk.estimate_seconds(len(ids), RateLimiter(RULES))
        by_date = estimate_per_campaign_requests(window, len(ids))
        by_date_seconds = bulk.estimate_seconds(by_date, RateLimiter(RULES))
        print("\nPer-campaign path (one request per campaign)")
        print(f"  all-time figures   {len(ids):4d} requests  estimate {estimate:6.1f} s")
        print(f"  window, by date    {by_date:4d} requests  estimate {by_date_seconds:6.1f} s")
        if args.skip_per_campaign:
            per_campaign = estimate
            print("  (not run: --skip-per-campaign; the estimate stands in)")
        else:
            time.sleep(2.5)
            standin.reset_log()
            started = time.monotonic()
            batch = bulk.fetch_analytics(connection, ids, limiter=RateLimiter(RULES))
            per_campaign = time.monotonic() - started
            print(
                f"  measured           {batch.requests:4d} requests  {per_campaign:6.1f} s "
                f"({len(batch.results):,} fetched, {len(batch.failures)} failed, "
                f"{standin.count_status(429)} answered 429)"
            )
        print("\nSpeed-up of the window (bulk) over the per-campaign path")
        print(f"  window alone       {per_campaign / bulk_seconds:6.1f}x")
        print(f"  with comparison    {per_campaign / (bulk_seconds + previous_seconds):6.1f}x")


if __name__ == "__main__":
    main()
