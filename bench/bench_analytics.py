"""How long a whole portfolio's analytics take under SmartLead's rate limit, and how cleanly.

Run from the repository root: ``python bench/bench_analytics.py`` (``--campaigns 300`` and
``--errors 0.02`` are the defaults). It serves the demo portfolio from the stand-in SmartLead,
which enforces 10 requests per 2 seconds per key (answering 429 with ``Retry-After`` past it)
and fails the first analytics call of about 2 % of the campaigns with a 500, then loads the
campaign list and every campaign's analytics with the package's default settings
(``SMARTLEAD_RATE_LIMIT``, four workers, the client's retries), as the dashboard does.

One request per campaign at 10 per 2 s sets a floor of ``campaigns / 5`` seconds (60 s for
300). Goal: done within 1.1 × the floor (66 s) with no failed campaign and no more than a
handful of 429s.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from smartlead.analytics import estimate_seconds, fetch_analytics, shared_limiter

from smartlead import settings
from smartlead.client import SmartleadClient
from smartlead.demo import demo_campaigns, demo_clients
from tests.standin import StandinSmartlead

KEY = "bench-analytics-key"
SERVER_LIMIT = (10, 2.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--campaigns", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--errors", type=float, default=0.02, help="share of first analytics calls that 500"
    )
    args = parser.parse_args()

    campaigns = demo_campaigns(args.campaigns, seed=args.seed)
    standin = StandinSmartlead(
        portfolios={KEY: campaigns},
        clients={KEY: demo_clients()},
        rate_limit=SERVER_LIMIT,
        analytics_errors=args.errors,
    )
    with standin:
        base_url = standin.base_url
        limiter = shared_limiter(KEY, base_url)
        with SmartleadClient(KEY, base_url, gate=limiter.acquire) as client:
            listed = client.list_campaigns()
        ids = [record["id"] for record in listed if isinstance(record, dict)]
        n = len(ids)
        floor = n / SERVER_LIMIT[0] * SERVER_LIMIT[1]
        print(
            f"{n} campaigns; stand-in limit {SERVER_LIMIT[0]} requests per "
            f"{SERVER_LIMIT[1]:g} s; client limit {settings.rate_limit()}; "
            f"first-call 500s on {args.errors:.0%} of campaigns"
        )
        print(f"estimate_seconds: {estimate_seconds(n):.1f} s", flush=True)

        reported = 0

        def progress(done: int, total: int, elapsed: float, eta: float) -> None:
            nonlocal reported
            if done == total or done - reported >= 50:
                reported = done
                print(f"  {done:>4}/{total}  {elapsed:5.1f} s elapsed, about {eta:4.1f} s left")

        started = time.monotonic()
        batch = fetch_analytics(KEY, ids, base_url=base_url, progress=progress)
        wall = time.monotonic() - started
        served_429 = standin.count_status(429)
        served_500 = standin.count_status(500, "/campaigns/")

    goal = floor * 1.1
    print()
    print(f"elapsed            {batch.elapsed:6.1f} s   (wall {wall:.1f} s)")
    print(f"floor              {floor:6.1f} s   ({n} requests at 5 per second)")
    print(f"goal               {goal:6.1f} s")
    print(f"fetched            {len(batch.metrics):6d}")
    print(f"failed campaigns   {len(batch.failures):6d}")
    print(f"requests answered  {batch.requests:6d}   (retries included)")
    print(f"429 answers        {batch.rate_limited:6d}   (the stand-in logged {served_429})")
    print(f"500 answers        {served_500:6d}   (injected, retried)")
    for cid, reason in list(batch.failures.items())[:5]:
        print(f"  failed {cid}: {reason}")
    ok = batch.elapsed <= goal and not batch.failures and batch.rate_limited <= 5
    print("goal met" if ok else "goal NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
