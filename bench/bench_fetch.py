"""What the dashboard does with a fetched portfolio, against ``json.loads`` of the same bytes.

Run from the repository root: ``python bench/bench_fetch.py`` (``--sizes 100 1000 5000
20000``, ``--runs 5``). For each size, on the demo portfolio and on one where every schedule
differs, it prints the median CPU time of each step of a fetch after the bytes arrive:

- ``loads``: ``json.loads`` of the answer alone (the floor any reader pays, and the unit);
- ``guard``: the depth scan every answer passes before it is parsed
  (:func:`smartlead.client.json_depth`);
- ``frame``: :func:`smartlead.frame.campaigns_frame` on the parsed records;
- ``options``: :func:`smartlead.filters.filter_options` (what the filters offer);
- ``history``: what :func:`ui.data.fetch_portfolio` does for history: with history on, the
  answer's bytes are put on the shelf (no encoding, no compression); with it off, nothing
  (the line proves it: the shelf stays empty);
- ``processing``: guard + loads + frame + options + history, and its ratio to ``loads``
  (each round times every step one after another; the ratio is the median of the rounds'
  ratios, so a machine that slows down for a minute does not skew it).

Then the whole of :func:`ui.data.fetch_portfolio` through the stand-in (HTTP on 127.0.0.1
included), with history on and off, as a check that the steps add up.

Goal (issue 18): processing at most 2 × loads on both portfolios, nothing done for history
when it is off.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import streamlit as st

from bench.timing import cpu_seconds, median_seconds
from smartlead import perf, settings
from smartlead.client import json_depth
from smartlead.connection import Connection
from smartlead.demo import demo_campaigns, demo_clients
from smartlead.filters import filter_options
from smartlead.frame import campaigns_frame
from tests.standin import StandinSmartlead
from ui import data

KEY = "bench-fetch-key"


def steps(payload: bytes, runs: int, history_on: bool) -> dict[str, float]:
    """CPU seconds of each step on one answer, and processing ÷ loads.

    The steps are timed one after another in each of ``runs`` rounds, and the ratio is the
    median of the rounds' ratios: a machine shared with other work speeds up and slows down
    over minutes, which would skew steps timed in separate batches but barely one round.
    """
    clients = demo_clients()
    gc.collect()
    records = perf.loads(payload)  # also a warm-up
    frame = campaigns_frame(records, clients)
    shelf = data.AnswerShelf()

    def keep() -> None:
        if history_on:
            shelf.keep(("account", None, "now"), data.KeptAnswer(payload, tuple(clients)))

    work = {
        "loads": lambda: perf.loads(payload),
        "guard": lambda: json_depth(payload),
        "frame": lambda: campaigns_frame(records, clients),
        "options": lambda: filter_options(frame),
        "history": keep,
    }
    rounds = [{name: cpu_seconds(step) for name, step in work.items()} for _ in range(runs)]
    figures = {name: statistics.median(r[name] for r in rounds) for name in work}
    figures["processing"] = statistics.median(sum(r.values()) for r in rounds)
    figures["ratio"] = statistics.median(sum(r.values()) / r["loads"] for r in rounds)
    figures["held MB"] = shelf.held_bytes() / 1e6
    return figures


def whole_fetch(records: list, runs: int, history_on: bool) -> tuple[float, int]:
    """Median seconds of ``fetch_portfolio`` through the stand-in (cache cleared each time),
    and the bytes it left on the history shelf."""
    os.environ[settings.ENV_HISTORY_PATH] = (
        str(Path(tempfile.mkdtemp()) / "history.sqlite3") if history_on else "off"
    )
    with StandinSmartlead(portfolios={KEY: records}, clients={KEY: demo_clients()}) as standin:
        connection = Connection.to(KEY, standin.base_url, settings.parse_rate_limits("1000/1"))

        def fetch() -> None:
            st.cache_data.clear()
            st.cache_resource.clear()
            data.fetch_portfolio(connection, None)

        seconds = median_seconds(fetch, runs)
        held = data.kept_answers().held_bytes()
    return seconds, held


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1_000, 5_000, 20_000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    perf.keep_large_blocks_mapped()  # as the dashboard's server does (app.py)
    header = (
        f"{'portfolio':<9} {'history':>7} {'campaigns':>9} {'MB':>5} {'loads ms':>9} "
        f"{'guard':>6} {'frame':>6} {'options':>7} {'history':>7} {'processing':>10} "
        f"{'÷ loads':>7} {'held MB':>7} {'fetch_portfolio ms':>18}"
    )
    print(header)
    print("-" * len(header))
    for distinct in (False, True):
        for size in args.sizes:
            records = demo_campaigns(size, seed=21, distinct_schedules=distinct)
            payload = json.dumps(records).encode("utf-8")
            for history_on in (True, False):
                figures = steps(payload, args.runs, history_on)
                fetch_seconds, held = whole_fetch(records, args.runs, history_on)
                loads = figures["loads"]
                print(
                    f"{'distinct' if distinct else 'demo':<9} {'on' if history_on else 'off':>7} "
                    f"{size:>9,} {len(payload) / 1e6:>5.1f} {loads * 1e3:>9.1f} "
                    f"{figures['guard'] / loads:>6.2f} {figures['frame'] / loads:>6.2f} "
                    f"{figures['options'] / loads:>7.2f} {figures['history'] / loads:>7.3f} "
                    f"{figures['processing'] * 1e3:>8.0f}ms {figures['ratio']:>7.2f} "
                    f"{held / 1e6:>7.1f} {fetch_seconds * 1e3:>18.0f}",
                    flush=True,
                )
    print(
        "(guard, frame, options and history: each step's median as a share of loads'; "
        "÷ loads: the median of the rounds' processing ÷ loads)"
    )


if __name__ == "__main__":
    main()
