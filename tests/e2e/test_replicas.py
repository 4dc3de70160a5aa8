"""Two real dashboard replicas (``streamlit run``) sharing one PostgreSQL history, in Chromium:
one snapshot per interval between them, the same history on both, and both still working,
with history's problem in words, once the database stops."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from smartlead.demo import demo_campaigns, demo_clients
from tests.e2e.conftest import serving
from tests.e2e.harness import Dashboard, open_page, settle
from tests.e2e.test_dashboard import SIDEBAR, go_to, metric
from tests.postgres import PG_PASSWORD, PG_PASSWORD_IN_URL, PostgresServer
from tests.standin import CANARY_KEY, StandinSmartlead

SIZE = 30


@pytest.fixture
def replicas(
    postgres_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[StandinSmartlead, Dashboard, Dashboard]]:
    """A stand-in SmartLead and two team replicas whose history is one PostgreSQL database."""
    server = StandinSmartlead(
        portfolios={CANARY_KEY: demo_campaigns(SIZE, seed=31)},
        clients={CANARY_KEY: demo_clients()},
    )
    env = {"SMARTLEAD_API_KEY": CANARY_KEY, "SMARTLEAD_HISTORY_PATH": postgres_url}
    with contextlib.ExitStack() as stack:
        stack.enter_context(server)
        first = stack.enter_context(serving("replica-1", server, tmp_path_factory, **env))
        second = stack.enter_context(serving("replica-2", server, tmp_path_factory, **env))
        yield server, first, second


def history_note(page: Page) -> str:
    """The sidebar's line about history after the fetch."""
    note = page.locator(SIDEBAR).get_by_text("History:", exact=False).first
    expect(note).to_be_visible(timeout=30_000)
    return note.inner_text()


def test_two_replicas_keep_one_history(
    replicas: tuple[StandinSmartlead, Dashboard, Dashboard],
    postgres_server: PostgresServer,
    page: Page,
) -> None:
    server, first, second = replicas
    open_page(page, first.url, "[data-testid='stMetric']")
    assert metric(page, "Campaigns shown") == str(SIZE)
    assert history_note(page).startswith(f"History: Saved snapshot #1 ({SIZE} campaigns)")

    other = page.context.new_page()
    open_page(other, second.url, "[data-testid='stMetric']")
    assert history_note(other).startswith(
        "History: Not saved to history: the last snapshot of this portfolio (#1) is only"
    ), "the other replica's snapshot counts: one per interval between them"

    # A campaign is paused in SmartLead; the second replica saves by hand...
    server.portfolios[CANARY_KEY][0]["status"] = "PAUSED"
    other.locator(SIDEBAR).get_by_role("button", name="Refresh").click()
    settle(other)
    go_to(other, "Changes")
    other.get_by_role("button", name="Save a snapshot now").click()
    settle(other)
    expect(other.get_by_text("Saved snapshot #2", exact=False)).to_be_visible()

    # ...and the first replica shows that change: the same history on both.
    go_to(page, "Changes")
    expect(page.get_by_text("From #1", exact=False)).to_be_visible(timeout=30_000)
    status_changes = page.locator("[data-testid='stMetric']").filter(has_text="Status")
    expect(status_changes.locator("[data-testid='stMetricValue']")).to_have_text("1")
    expect(page.locator("[data-testid='stVegaLiteChart'], .vega-embed").first).to_be_visible()

    # The database stops: both replicas go on without history and say why.
    postgres_server.stop()
    go_to(other, "Overview")
    other.locator(SIDEBAR).get_by_role("button", name="Refresh").click()
    settle(other)
    assert metric(other, "Campaigns shown") == str(SIZE)
    assert history_note(other).startswith("History: History is unavailable: The history database")
    assert "does not answer" in history_note(other)
    page.reload()
    settle(page)
    unavailable = page.get_by_text("History is unavailable: The history database", exact=False)
    expect(unavailable.first).to_be_visible(timeout=30_000)

    seen = [page.content(), other.content(), first.log(), second.log()]
    for secret in (CANARY_KEY, PG_PASSWORD, PG_PASSWORD_IN_URL):
        assert not any(secret in text for text in seen)
