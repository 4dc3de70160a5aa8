"""Fixtures for the browser tests: a stand-in SmartLead, the dashboard, Debian's Chromium."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Playwright, Request, sync_playwright

from smartlead.demo import AWKWARD_NAMES, demo_campaigns, demo_clients
from tests.e2e.harness import ARTIFACTS, Dashboard, launch_browser, running_dashboard
from tests.standin import CANARY_KEY, StandinSmartlead

LIVE_KEY = CANARY_KEY
"""The key of the live portfolio: a canary every leak check looks for."""

WRONG_KEY = "sk-WRONG-CANARY-0b9d2e"
"""A key the stand-in rejects (401); it must not leak either."""

LIVE_SIZE = 45


def live_portfolio() -> list[dict]:
    """The stand-in's live portfolio: realistic, with every awkward name in it."""
    records = demo_campaigns(LIVE_SIZE, seed=11, awkward_names=True)
    for offset, name in enumerate(AWKWARD_NAMES):
        records[offset]["name"] = name
    return records


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    """Debian's Chromium; a missing browser fails the run (it is never skipped)."""
    try:
        browser = launch_browser(playwright_instance)
    except RuntimeError as error:
        pytest.fail(str(error), pytrace=False)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def e2e_standin() -> Iterator[StandinSmartlead]:
    server = StandinSmartlead(
        portfolios={LIVE_KEY: live_portfolio()},
        clients={LIVE_KEY: demo_clients()},
    )
    with server:
        yield server


@contextlib.contextmanager
def serving(
    name: str, standin: StandinSmartlead, folders: pytest.TempPathFactory, **env: str
) -> Iterator[Dashboard]:
    """A dashboard aimed at ``standin``, with its own history file and its log in artifacts/."""
    settings = {
        "SMARTLEAD_BASE_URL": standin.base_url,
        "SMARTLEAD_HISTORY_PATH": str(folders.mktemp(name) / "history.sqlite3"),
        **env,
    }
    with running_dashboard(settings, ARTIFACTS / "e2e" / f"streamlit-{name}.log") as running:
        yield running


@pytest.fixture(scope="session")
def dashboard(
    e2e_standin: StandinSmartlead, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Dashboard]:
    """The dashboard with no key configured (demo until a key is typed), aimed at the stand-in."""
    with serving("demo", e2e_standin, tmp_path_factory, SMARTLEAD_DEMO_SIZE="300") as running:
        yield running


@pytest.fixture
def fresh_dashboard(
    e2e_standin: StandinSmartlead, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Dashboard]:
    """A dashboard process of its own, so the test's first request is the server's first run.

    Streamlit decides some things on the first run of a process (whether a ``pages/`` folder
    means old-style pages, for one); the shared dashboards have long been past it.
    """
    with serving("fresh", e2e_standin, tmp_path_factory, SMARTLEAD_DEMO_SIZE="300") as running:
        yield running


@pytest.fixture(scope="session")
def team_dashboard(
    e2e_standin: StandinSmartlead, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Dashboard]:
    """A team deployment: the key is configured on the server, so every visitor sees live data."""
    with serving("team", e2e_standin, tmp_path_factory, SMARTLEAD_API_KEY=LIVE_KEY) as running:
        yield running


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh browser context (a new Streamlit session); a screenshot is kept afterwards.

    Any JavaScript dialog (``alert``) is recorded in ``page.dialogs`` and dismissed.
    """
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs  # type: ignore[attr-defined]
    yield page
    shots = ARTIFACTS / "screenshots" / "tests"
    shots.mkdir(parents=True, exist_ok=True)
    try:
        page.screenshot(path=str(shots / f"{request.node.name}.png"), full_page=True)
    finally:
        context.close()


BIG_SIZE = 5_000


@pytest.fixture(scope="session")
def big_dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dashboard]:
    """A team deployment over a 5,000-campaign account, for the concurrent-sessions test."""
    server = StandinSmartlead(
        portfolios={LIVE_KEY: demo_campaigns(BIG_SIZE, seed=21)},
        clients={LIVE_KEY: demo_clients()},
    )
    with server, serving("big", server, tmp_path_factory, SMARTLEAD_API_KEY=LIVE_KEY) as running:
        yield running


LOAD_KEY = "sk-LOAD-CANARY-90ad41"


@pytest.fixture(scope="session")
def load_dashboard(
    e2e_standin: StandinSmartlead, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Dashboard]:
    """A team deployment whose key (``LOAD_KEY``) nobody else uses, for counting its fetches."""
    e2e_standin.portfolios[LOAD_KEY] = live_portfolio()[:12]
    with serving("load", e2e_standin, tmp_path_factory, SMARTLEAD_API_KEY=LOAD_KEY) as running:
        yield running


@pytest.fixture
def requests_made(page: Page) -> list[str]:
    """Every URL the page asks for, from the moment the test starts."""
    made: list[str] = []

    def record(request: Request) -> None:
        made.append(request.url)

    page.on("request", record)
    return made
