"""What the guards against hostile answers (issue 17) cost on ordinary and on hostile input.

Run from the repository root: ``python bench/bench_guards.py`` (``--sizes 1000 50000`` and
``--runs 5`` to choose). It prints the median of several runs of (the depth scan and its
``json.loads`` in CPU time, which a busy shared machine does not blur):

- ``depth scan``: :func:`smartlead.client.json_depth` on a portfolio's JSON bytes (every answer
  pays it before it is parsed), next to ``json.loads`` of the same bytes and as a share of it;
  also on bytes full of escaped quotes (the slower path) and on ``[`` × 100,000;
- ``redact``: removing a 10 kB key, whole and in pieces, from a 64 kB error body (the most
  an error answer is read), fragments of 8 characters included;
- ``csv``: the formula-safe CSV of the demo portfolio (line breaks quoted and neutralised).

Goals: the depth scan at most half of ``json.loads``; redaction well under a second.
"""

from __future__ import annotations

import argparse
import json
import random
import string
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.timing import median_cpu_seconds, median_seconds
from smartlead import perf
from smartlead.client import json_depth
from smartlead.connection import Connection
from smartlead.demo import demo_campaigns, demo_clients
from smartlead.export import to_csv_bytes
from smartlead.frame import campaigns_frame


def _depth_rows(sizes: list[int], runs: int) -> None:
    print(f"{'campaigns':>10} {'MB':>7} {'depth scan':>11} {'loads':>8} {'share':>6}")
    for size in sizes:
        payload = json.dumps(demo_campaigns(size, seed=5)).encode()
        scan = median_cpu_seconds(lambda payload=payload: json_depth(payload), runs)
        loads = median_cpu_seconds(lambda payload=payload: perf.loads(payload), runs)
        print(
            f"{size:>10,} {len(payload) / 1e6:>7.1f} {scan * 1000:>9.1f}ms "
            f"{loads * 1000:>6.0f}ms {scan / loads:>6.1%}"
        )
    records = demo_campaigns(sizes[-1], seed=5)
    for record in records:
        record["name"] = f'Say \\"hi\\" {record["name"]}'  # every name holds escaped quotes
    quoted = json.dumps(records).encode()
    scan = median_cpu_seconds(lambda: json_depth(quoted), runs)
    loads = median_cpu_seconds(lambda: perf.loads(quoted), runs)
    print(
        f"{'quotes':>10} {len(quoted) / 1e6:>7.1f} {scan * 1000:>9.1f}ms {loads * 1000:>6.0f}ms "
        f"{scan / loads:>6.1%}  (escaped quotes in every name)"
    )
    deep = b"[" * 100_000
    scan = median_cpu_seconds(lambda: json_depth(deep), runs)
    print(f"{'[ x 100k':>10} {len(deep) / 1e6:>7.1f} {scan * 1000:>9.1f}ms")


def _redact_rows(runs: int) -> None:
    key = "sk-" + "".join(random.Random(17).choices(string.ascii_letters + string.digits, k=10_000))
    connection = Connection.to(key, "https://server.smartlead.ai/api/v1")
    filler = "x" * 20_000
    bodies = {
        "whole": f"{filler} {key} {filler}",
        "in pieces": filler + " ".join(key[i : i + 37] for i in range(0, len(key), 37)) + filler,
    }
    for name, body in bodies.items():
        body = body[:64_000]
        seconds = median_seconds(lambda body=body: connection.redact(body), runs)
        print(
            f"redact a 10 kB key {name:<10} from {len(body) / 1000:.0f} kB: {seconds * 1000:.0f} ms"
        )


def _csv_rows(runs: int) -> None:
    frame = campaigns_frame(demo_campaigns(5_000, seed=5), demo_clients())
    seconds = median_seconds(lambda: to_csv_bytes(frame), runs)
    print(f"csv of 5,000 campaigns: {seconds * 1000:.0f} ms")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 50_000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    _depth_rows(args.sizes, args.runs)
    _redact_rows(args.runs)
    _csv_rows(args.runs)


if __name__ == "__main__":
    main()
