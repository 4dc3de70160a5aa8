"""How the capacity ledger scales: 2,000 to 20,000 mailboxes, one active campaign per four.

Run from the repository root: ``python bench/bench_ledger.py`` (``--sizes 2000 20000`` and
``--runs 9`` to choose). For each size N it builds, from ``smartlead.demo``, N mailboxes and
N / 4 campaigns (all active) sending from 3 mailboxes each: at 20,000 mailboxes that is the
issue's 5,000 active campaigns and 15,000 campaign–mailbox links. It prints the median wall
time of several runs of:

- ``build_ledger`` (the plan, the sharing of every cap, the per-mailbox and per-campaign
  tables and their notes): goal under 1 s at 20,000 mailboxes;
- ``run_mailbox_audit`` (every mailbox health rule on that ledger);
- ``mailboxes_frame`` (reading the mailbox records, passwords dropped first), for context;

and the growth from the smallest size to the largest against the growth in size (goal: about
linear, a ratio near 1 or below, since fixed costs weigh more on small inputs).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.timing import median_seconds
from smartlead.demo import demo_campaigns, demo_clients, demo_mailboxes
from smartlead.frame import campaigns_frame
from smartlead.ledger import build_ledger
from smartlead.mailbox_health import run_mailbox_audit
from smartlead.mailboxes import mailboxes_frame

LINKS_PER_CAMPAIGN = 3
MAILBOXES_PER_CAMPAIGN = 4


def portfolio(size: int) -> tuple:
    """The campaign frame, the mailbox records and the links of a ``size``-mailbox account."""
    campaigns = demo_campaigns(size // MAILBOXES_PER_CAMPAIGN, seed=7)
    for record in campaigns:
        record["status"] = "ACTIVE"
    boxes, links = demo_mailboxes(campaigns, size=size, per_campaign=LINKS_PER_CAMPAIGN)
    return campaigns_frame(campaigns, demo_clients()), boxes, links


def measure(size: int, runs: int) -> dict[str, float]:
    """Median seconds of each measured call at ``size`` mailboxes."""
    frame, boxes, links = portfolio(size)
    mailboxes = mailboxes_frame(boxes, demo_clients(), links)
    ledger = build_ledger(frame, mailboxes, links)
    linked = len(ledger.shares)
    assert linked == len(frame) * LINKS_PER_CAMPAIGN, linked
    return {
        "build_ledger": median_seconds(
            lambda: build_ledger(frame, mailboxes, links), runs, warm_up=True
        ),
        "run_mailbox_audit": median_seconds(lambda: run_mailbox_audit(ledger), runs, warm_up=True),
        "mailboxes_frame": median_seconds(
            lambda: mailboxes_frame(boxes, demo_clients(), links), runs, warm_up=True
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2_000, 5_000, 10_000, 20_000])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    sizes = sorted(set(args.sizes))
    results = {size: measure(size, args.runs) for size in sizes}
    names = list(results[sizes[0]])
    print(
        f"{'mailboxes':>10} {'campaigns':>10} {'links':>7}  "
        + "  ".join(f"{name:>18}" for name in names)
    )
    for size in sizes:
        campaigns = size // MAILBOXES_PER_CAMPAIGN
        cells = "  ".join(f"{results[size][name] * 1000:>15.1f} ms" for name in names)
        print(f"{size:>10,} {campaigns:>10,} {campaigns * LINKS_PER_CAMPAIGN:>7,}  {cells}")
    smallest, largest = sizes[0], sizes[-1]
    if largest > smallest:
        grown = largest / smallest
        print(f"\nsize grew {grown:.0f}x from {smallest:,} to {largest:,} mailboxes:")
        for name in names:
            ratio = results[largest][name] / results[smallest][name]
            print(f"  {name}: time grew {ratio:.1f}x (time per mailbox {ratio / grown:.2f}x)")
    verdict = "met" if results[largest]["build_ledger"] < 1.0 else "NOT met"
    print(f"\nbuild_ledger at {largest:,} mailboxes: goal under 1 s {verdict}.")


if __name__ == "__main__":
    main()
