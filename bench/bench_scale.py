"""The dashboard at 100 → 20,000 campaigns, in Chromium, against the stand-in: what grows.

Run from the repository root: ``python bench/bench_scale.py`` (``--sizes 100 1000 5000 20000``,
``--refreshes 10``, ``--portfolio demo|distinct|both``). For each size it serves a portfolio
from the stand-in SmartLead (the package's demo, or the same with every schedule different),
starts ``streamlit run app.py`` with that key configured, and measures in one browser:

- **fetch**: seconds from pressing Refresh to the page being done, and the server's own
  processing of a fetch (bytes → frame → filter options → history), from ``bench_frame``'s
  reading of the same bytes;
- **bytes to the browser**: the websocket payload of one Overview view, and of one filter
  click, and the part of it that is chart data (Vega datasets), per view;
- **filter change**: seconds from a status click to the page being done;
- **server memory**: the streamlit process's resident memory after the first load and after
  each of ``--refreshes`` Refreshes (VmRSS from /proc), and the growth from the first.

Every figure is printed next to its ratio against the smallest size of the same run. It
asserts nothing (goals are in the README's "How far one server goes").
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from smartlead.demo import demo_campaigns, demo_clients  # noqa: E402
from tests.e2e.harness import launch_browser, running_dashboard, settle  # noqa: E402
from tests.standin import StandinSmartlead  # noqa: E402

KEY = "bench-scale-key"


def rss_mb(pid: int) -> float:
    """Resident memory of a process, in MB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@dataclass
class Traffic:
    """Websocket bytes the browser receives, split into all of it and chart data."""

    total: int = 0
    charts: int = 0
    frames: list[bytes] = field(default_factory=list)

    def reset(self) -> None:
        self.total = self.charts = 0

    def add(self, payload: bytes | str) -> None:
        data = payload.encode() if isinstance(payload, str) else payload
        self.total += len(data)
        # Vega-Lite specs and their Arrow datasets travel inside the protobuf messages.
        if b"vega" in data.lower() or b"ARROW1" in data:
            self.charts += len(data)


def watch(page: Page) -> Traffic:
    traffic = Traffic()
    page.on("websocket", lambda ws: ws.on("framereceived", traffic.add))
    return traffic


def click_refresh(page: Page) -> float:
    started = time.perf_counter()
    page.get_by_role("button", name="Refresh").click()
    settle(page, timeout=300_000)
    return time.perf_counter() - started


def click_status(page: Page) -> float:
    """Narrow to ACTIVE through the sidebar's status filter (one filter change)."""
    started = time.perf_counter()
    box = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first
    box.click()
    page.get_by_role("option", name="ACTIVE").first.click()
    page.keyboard.press("Escape")
    settle(page, timeout=300_000)
    return time.perf_counter() - started


def measure(size: int, distinct: bool, refreshes: int) -> dict[str, float]:
    records = demo_campaigns(size, seed=21, distinct_schedules=distinct)
    payload_mb = len(json.dumps(records).encode()) / 1e6
    standin = StandinSmartlead(portfolios={KEY: records}, clients={KEY: demo_clients()})
    log = Path(tempfile.gettempdir()) / f"smartlead-bench-scale-{size}.log"
    with tempfile.TemporaryDirectory() as folder, standin:
        env = {
            "SMARTLEAD_API_KEY": KEY,
            "SMARTLEAD_BASE_URL": standin.base_url,
            "SMARTLEAD_HISTORY_PATH": str(Path(folder) / "history.sqlite3"),
        }
        with running_dashboard(env, log, timeout=120) as app, sync_playwright() as pw:
            browser = launch_browser(pw)
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            traffic = watch(page)
            started = time.perf_counter()
            page.goto(app.url)
            page.wait_for_selector("h1", timeout=300_000)
            settle(page, timeout=300_000)
            first_load = time.perf_counter() - started
            view_bytes, view_charts = traffic.total, traffic.charts
            memory = [rss_mb(app.process.pid)]
            fetches = []
            for _ in range(refreshes):
                fetches.append(click_refresh(page))
                memory.append(rss_mb(app.process.pid))
            traffic.reset()
            filter_seconds = click_status(page)
            click_bytes, click_charts = traffic.total, traffic.charts
            context.close()
            browser.close()
    return {
        "payload MB": payload_mb,
        "first load s": first_load,
        "refresh s (median)": statistics.median(fetches) if fetches else float("nan"),
        "filter change s": filter_seconds,
        "Overview view KB": view_bytes / 1e3,
        "  of which charts KB": view_charts / 1e3,
        "filter click KB": click_bytes / 1e3,
        "  of which charts KB ": click_charts / 1e3,
        "memory after 1st load MB": memory[0],
        f"memory after {refreshes} refreshes MB": memory[-1],
        "memory growth ×": memory[-1] / memory[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1_000, 5_000, 20_000])
    parser.add_argument("--refreshes", type=int, default=10)
    parser.add_argument("--portfolio", choices=("demo", "distinct", "both"), default="both")
    args = parser.parse_args()
    kinds = ["demo", "distinct"] if args.portfolio == "both" else [args.portfolio]
    for kind in kinds:
        results = {size: measure(size, kind == "distinct", args.refreshes) for size in args.sizes}
        base = results[args.sizes[0]]
        print(f"\n{kind} portfolio")
        print(f"{'':32}" + "".join(f"{size:>16,}" for size in args.sizes))
        for name in base:
            cells = []
            for size in args.sizes:
                value = results[size][name]
                ratio = value / base[name] if base[name] else float("nan")
                cells.append(f"{value:9.2f} ({ratio:4.1f}×)")
            print(f"{name:32}" + "".join(f"{cell:>16}" for cell in cells), flush=True)


if __name__ == "__main__":
    main()
