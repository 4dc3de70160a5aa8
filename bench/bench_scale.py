"""The dashboard at 100 → 20,000 campaigns, in Chromium, against the stand-in: what grows.

Run from the repository root: ``python bench/bench_scale.py`` (``--sizes 100 1000 5000 20000``,
``--refreshes 10``, ``--portfolio demo|distinct|both``, ``--sessions 1 5 10``, ``--window``).
For each size it serves a portfolio from the stand-in SmartLead (the package's demo, or the
same with every schedule different), starts ``streamlit run app.py`` with that key configured
and history on, and measures in one browser:

- **first load**: seconds from opening the Overview to the page being done;
- **bytes to the browser**: the websocket payload of the Overview view and of one filter click,
  and the part of each that is chart messages (``vega_lite_chart`` elements) and table
  messages (``dataframe``), read from Streamlit's own protobuf messages;
- **filter change**: seconds from a status pick in the sidebar to the page being done (the
  median of three changes);
- **refresh**: seconds from pressing Refresh to the page being done (median), i.e. a fetch;
- **server memory**: the streamlit process's resident memory (VmRSS from /proc) after the
  first load (and a second view), after the first Refresh (the filter changes and a second
  session in between), and after ``--refreshes`` Refreshes; the last against each of the two
  (against the first Refresh, what the Refreshes alone add);
- **memory per session** (largest size only): resident memory with 1, 5 and 10 more browser
  sessions open on the Overview, and the slope in MB per session.

The window's performance is switched off in the browser unless ``--window`` is given: it is
fetched from the stand-in's analytics (issue 12's work, at the rate limit), which would bury
what the portfolio's size costs. Every figure is printed next to its ratio against the
smallest size of the same run. It asserts nothing (the figures are in the README's "How far
one server goes").
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

from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from smartlead.demo import demo_campaigns, demo_clients  # noqa: E402
from tests.e2e.harness import launch_browser, running_dashboard, settle  # noqa: E402
from tests.standin import StandinSmartlead  # noqa: E402

KEY = "bench-scale-key"
SIDEBAR = "[data-testid='stSidebar']"
LONG = 300_000
"""Milliseconds to wait for a page at 20,000 campaigns on a loaded machine."""


def rss_mb(pid: int) -> float:
    """Resident memory of a process, in MB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@dataclass
class Traffic:
    """Websocket bytes the browser receives: all of them, and those of chart and table
    elements, read from Streamlit's ForwardMsg protobufs."""

    total: int = 0
    by_element: dict[str, int] = field(default_factory=dict)

    def reset(self) -> None:
        self.total = 0
        self.by_element = {}

    def add(self, payload: bytes | str) -> None:
        data = payload.encode() if isinstance(payload, str) else payload
        self.total += len(data)
        message = ForwardMsg()
        try:
            message.ParseFromString(data)
        except Exception:  # not a ForwardMsg (never expected): counted in the total only
            return
        if message.WhichOneof("type") != "delta":
            return
        if message.delta.WhichOneof("type") != "new_element":
            return
        kind = message.delta.new_element.WhichOneof("type") or "other"
        self.by_element[kind] = self.by_element.get(kind, 0) + len(data)

    @property
    def charts(self) -> int:
        return self.by_element.get("vega_lite_chart", 0)

    @property
    def tables(self) -> int:
        # ``dataframe`` in Streamlit 1.67's messages (``arrow_data_frame`` in older ones)
        return self.by_element.get("dataframe", 0) + self.by_element.get("arrow_data_frame", 0)


def watch(page: Page) -> Traffic:
    traffic = Traffic()
    page.on("websocket", lambda ws: ws.on("framereceived", traffic.add))
    return traffic


def timed(page: Page, action: object) -> float:
    started = time.perf_counter()
    action()  # type: ignore[operator]
    settle(page, timeout=LONG)
    return time.perf_counter() - started


def open_overview(page: Page, url: str, window: bool = True) -> float:
    """Open the Overview in a new session (a page load is one); switch the window's
    performance off in it unless ``window``, and return the seconds the load took."""

    def go() -> None:
        page.goto(url)
        page.wait_for_selector("[data-testid='stMetric']", timeout=LONG)

    seconds = timed(page, go)
    if not window:
        window_off(page)
    return seconds


def window_off(page: Page) -> None:
    """Switch the window's performance off (a session setting, not part of the URL)."""
    switch = page.locator(SIDEBAR).get_by_text("Show the window's performance", exact=True)
    switch.scroll_into_view_if_needed()
    switch.click()
    settle(page, timeout=LONG)


def pick_status(page: Page, status: str) -> None:
    """Add ``status`` to the sidebar's status filter, as a person would."""
    box = page.locator(SIDEBAR).locator("[data-testid='stMultiSelect']").filter(has_text="Status")
    box.scroll_into_view_if_needed()  # a click that scrolls the sidebar closes the list
    page.wait_for_timeout(300)
    box.locator("input").click()  # not the middle of the box: a chip may sit there
    page.keyboard.type(status)
    page.get_by_role("option", name=status, exact=True).click()
    page.keyboard.press("Escape")


def refresh(page: Page) -> None:
    page.locator(SIDEBAR).get_by_role("button", name="Refresh").click()


def sessions_memory(
    browser: Browser, url: str, pid: int, counts: list[int], window: bool
) -> dict[str, float]:
    """Resident memory with ``counts`` more sessions open on the Overview, and MB per session."""
    before = rss_mb(pid)
    contexts = []
    figures: dict[str, float] = {}
    for count in counts:
        while len(contexts) < count:
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            open_overview(context.new_page(), url, window)
            contexts.append(context)
        figures[f"memory, {count} more sessions MB"] = rss_mb(pid)
    figures["memory per session MB"] = (rss_mb(pid) - before) / max(counts[-1], 1)
    for context in contexts:
        context.close()
    return figures


def measure(
    size: int, distinct: bool, refreshes: int, window: bool, sessions: list[int]
) -> dict[str, float]:
    records = demo_campaigns(size, seed=21, distinct_schedules=distinct)
    payload_mb = len(json.dumps(records).encode()) / 1e6
    standin = StandinSmartlead(portfolios={KEY: records}, clients={KEY: demo_clients()})
    log = Path(tempfile.gettempdir()) / f"smartlead-bench-scale-{size}.log"
    with tempfile.TemporaryDirectory() as folder, standin:
        env = {
            "SMARTLEAD_API_KEY": KEY,
            "SMARTLEAD_BASE_URL": standin.base_url,
            "SMARTLEAD_HISTORY_PATH": str(Path(folder) / "history.sqlite3"),
            "SMARTLEAD_RATE_LIMIT": "1000/1",  # the stand-in sets no limit: time our own work
        }
        with running_dashboard(env, log, timeout=120) as app, sync_playwright() as pw:
            pid = app.process.pid
            browser = launch_browser(pw)
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            traffic = watch(page)
            first_load = open_overview(page, app.url)
            # The Overview as a visitor gets it (the portfolio cached): a fresh page view.
            traffic.reset()
            view_seconds = open_overview(page, app.url, window)
            view = (traffic.total, traffic.charts, traffic.tables)
            memory = [rss_mb(pid)]
            changes = []
            for status in ("ACTIVE", "PAUSED", "STOPPED"):
                traffic.reset()
                changes.append(timed(page, lambda status=status: pick_status(page, status)))
                if status == "ACTIVE":
                    click = (traffic.total, traffic.charts, traffic.tables)
            open_overview(page, app.url, window)  # a new session, no filter
            fetches = []
            for _ in range(refreshes):
                fetches.append(timed(page, lambda: refresh(page)))
                memory.append(rss_mb(pid))
            figures = {
                "payload MB": payload_mb,
                "first load s": first_load,
                "Overview view s": view_seconds,
                "filter change s (median)": statistics.median(changes),
                "refresh s (median)": statistics.median(fetches) if fetches else float("nan"),
                "Overview view KB": view[0] / 1e3,
                "  of which charts KB": view[1] / 1e3,
                "  of which tables KB": view[2] / 1e3,
                "filter click KB": click[0] / 1e3,
                "  of which charts KB ": click[1] / 1e3,
                "  of which tables KB ": click[2] / 1e3,
                "memory after 1st load MB": memory[0],
                "memory after 1st refresh MB": memory[1] if refreshes else float("nan"),
                f"memory after {refreshes} refreshes MB": memory[-1],
                "memory growth × (from 1st load)": memory[-1] / memory[0],
                "memory growth × (from 1st refresh)": memory[-1] / memory[1]
                if refreshes
                else float("nan"),
            }
            context.close()
            if sessions:
                figures |= sessions_memory(browser, app.url, pid, sessions, window)
            browser.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1_000, 5_000, 20_000])
    parser.add_argument("--refreshes", type=int, default=10)
    parser.add_argument("--portfolio", choices=("demo", "distinct", "both"), default="both")
    parser.add_argument("--sessions", type=int, nargs="*", default=[1, 5, 10])
    parser.add_argument("--window", action="store_true", help="keep the window's performance on")
    args = parser.parse_args()
    kinds = ["demo", "distinct"] if args.portfolio == "both" else [args.portfolio]
    for kind in kinds:
        results = {}
        for size in args.sizes:
            # Sessions are counted at the smallest and the largest size: their difference is
            # what a session costs per campaign.
            counted = args.sessions if size in (args.sizes[0], args.sizes[-1]) else []
            results[size] = measure(size, kind == "distinct", args.refreshes, args.window, counted)
        base = results[args.sizes[0]]
        print(f"\n{kind} portfolio (window performance {'on' if args.window else 'off'})")
        print(f"{'':34}" + "".join(f"{size:>18,}" for size in args.sizes))
        for name in {name: None for figures in results.values() for name in figures}:
            cells = []
            for size in args.sizes:
                value = results[size].get(name)
                if value is None:
                    cells.append("")
                    continue
                ratio = value / base[name] if base.get(name) else float("nan")
                cells.append(f"{value:9.2f} ({ratio:5.2f}×)")
            print(f"{name:34}" + "".join(f"{cell:>18}" for cell in cells), flush=True)


if __name__ == "__main__":
    main()
