"""Start the dashboard and Debian's Chromium for browser tests, benchmarks and screenshots.

Playwright drives ``/usr/bin/chromium`` (Debian's package); it never downloads a browser of
its own. The dashboard runs as a real ``streamlit run app.py`` subprocess on a free port of
127.0.0.1, its output captured to a file so tests can read the server's log.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, Page, Playwright

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)
"""Flags for a headless Chromium on a machine with no outside network (see design.md)."""

READY = "[data-test-script-state='notRunning']"


def chromium_path() -> str:
    """Debian's Chromium, or a clear failure saying how to install it (never a skip)."""
    if Path(CHROMIUM).exists() or shutil.which("chromium"):
        return CHROMIUM if Path(CHROMIUM).exists() else str(shutil.which("chromium"))
    raise RuntimeError(
        "Chromium is missing: the browser tests need Debian's package "
        "(sudo apt-get install -y chromium). .ci/run installs it."
    )


def launch_browser(playwright: Playwright) -> Browser:
    """Headless Debian Chromium driven by Playwright."""
    return playwright.chromium.launch(
        executable_path=chromium_path(), args=list(CHROMIUM_ARGS), headless=True
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Dashboard:
    """A running ``streamlit run app.py`` and where its output goes."""

    url: str
    process: subprocess.Popen
    log_path: Path
    env: dict[str, str]

    def log(self) -> str:
        """Everything the server printed so far."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def history_bytes(self) -> bytes:
        """The server's history database, with its write-ahead log, as raw bytes."""
        database = Path(self.env.get("SMARTLEAD_HISTORY_PATH", "/nonexistent"))
        parts = [database, database.with_name(database.name + "-wal")]
        return b"".join(part.read_bytes() for part in parts if part.exists())


def _wait_healthy(url: str, process: subprocess.Popen, log_path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early:\n{log_path.read_text()[-2000:]}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer,
        ):
            if answer.status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"streamlit did not become healthy within {timeout:.0f} s")


@contextlib.contextmanager
def running_dashboard(
    env: dict[str, str], log_path: Path, timeout: float = 60
) -> Iterator[Dashboard]:
    """``streamlit run app.py`` on a free port with ``env`` added; stopped on exit."""
    port = free_port()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    full_env = {**os.environ, **env}
    for name in ("SMARTLEAD_API_KEY",):
        if name not in env:
            full_env.pop(name, None)
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(ROOT / "app.py"),
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            env=full_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process, log_path, timeout)
        yield Dashboard(url=url, process=process, log_path=log_path, env=env)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def settle(page: Page, timeout: float = 60_000) -> None:
    """Wait until the page's script run has finished (after a load or an interaction)."""
    page.wait_for_timeout(250)
    page.wait_for_selector(READY, timeout=timeout)
    page.wait_for_timeout(250)
    page.wait_for_selector(READY, timeout=timeout)


def open_page(page: Page, url: str, ready_selector: str = "h1") -> None:
    """Navigate and wait for the script to finish and ``ready_selector`` to show."""
    page.goto(url)
    page.wait_for_selector(ready_selector, timeout=60_000)
    settle(page)
