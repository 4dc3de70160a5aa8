"""How long per-campaign analytics take under each of SmartLead's published rate limits.

Run from the repository root: ``python bench/bench_analytics.py`` (``--campaigns 300`` and
``--errors 0.02`` are the defaults; ``--limits help`` or ``--limits reference`` runs one).
For each limit it serves the demo portfolio from the stand-in SmartLead, failing the first
analytics call of about 2 % of the campaigns with a 500, then loads the campaign list and
every campaign's analytics with the package's default settings (``SMARTLEAD_RATE_LIMIT``
unset: 10 per 2 s, four workers, the client's retries), as the dashboard does.

- ``help``: the help centre's 10 requests per 2 s, a sliding window, 429 with Retry-After,
  no headers. Floor: ten at once, then ten every 2 s.
- ``reference``: the API reference's 60 per 60 s, a fixed window, ``x-ratelimit-*`` headers
  on every answer. Floor: sixty at once, then sixty per minute.

Goal (issue 11): no campaign lost, at most a handful of 429s, within 1.25 × the floor.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from smartlead import bulk
from smartlead.client import SmartleadClient
from smartlead.connection import Connection
from smartlead.demo import demo_campaigns, demo_clients
from smartlead.ratelimit import limiter_for
from tests.standin import StandinSmartlead

KEY = "bench-analytics-key"
LIMITS = {"help": ((10, 2.0), False), "reference": ((60, 60.0), True)}


def run(name: str, campaigns: list[dict], errors: float) -> bool:
    (allowed, seconds), headers = LIMITS[name]
    standin = StandinSmartlead(
        portfolios={KEY: campaigns},
        clients={KEY: demo_clients()},
        rate_limit=(allowed, seconds),
        rate_headers=headers,
        analytics_errors=errors,
    )
    with standin:
        connection = Connection.to(KEY, standin.base_url)
        with SmartleadClient(connection) as client:
            listed = client.list_campaigns()
        ids = [record["id"] for record in listed if isinstance(record, dict)]
        count = len(ids) + 1  # the list itself spent one request of the budget
        floor = (math.ceil(count / allowed) - 1) * seconds
        limiter = limiter_for(connection)
        print(
            f"\n[{name}] {len(ids)} campaigns; stand-in {allowed} per {seconds:g} s"
            f"{' with x-ratelimit-* headers' if headers else ', no headers'}; client "
            f"{limiter.describe()}; first-call 500s on {errors:.0%} of campaigns"
        )
        print(f"estimate before the fetch: {bulk.estimate_seconds(len(ids), limiter):.1f} s")
        reported = 0

        def progress(done: int, total: int, elapsed: float, eta: float) -> None:
            nonlocal reported
            if done == total or done - reported >= 50:
                reported = done
                print(f"  {done:>4}/{total}  {elapsed:6.1f} s elapsed, about {eta:5.1f} s left")

        started = time.monotonic()
        batch = bulk.fetch_analytics(connection, ids, progress=progress)
        wall = time.monotonic() - started
        served_429 = standin.count_status(429)
        served_500 = standin.count_status(500, "/campaigns/")

    goal = floor * 1.25
    print(f"elapsed            {wall:7.1f} s")
    print(f"floor              {floor:7.1f} s   ({count} requests)")
    print(f"goal (1.25 x)      {goal:7.1f} s   ratio {wall / floor if floor else 0:.2f}")
    print(f"fetched            {len(batch.results):7d}")
    print(f"failed campaigns   {len(batch.failures):7d}")
    print(f"requests answered  {batch.requests:7d}   (retries included)")
    print(f"429 answers        {batch.rate_limited:7d}   (the stand-in logged {served_429})")
    print(f"500 answers        {served_500:7d}   (injected, retried)")
    for cid, reason in list(batch.failures.items())[:5]:
        print(f"  failed {cid}: {reason}")
    ok = wall <= goal and not batch.failures and served_429 <= 5
    print("goal met" if ok else "goal NOT met")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--campaigns", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--errors", type=float, default=0.02, help="share of first calls that 500")
    parser.add_argument("--limits", choices=[*LIMITS, "both"], default="both")
    args = parser.parse_args()
    campaigns = demo_campaigns(args.campaigns, seed=args.seed)
    names = list(LIMITS) if args.limits == "both" else [args.limits]
    results = [run(name, campaigns, args.errors) for name in names]
    return 0 if all(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
