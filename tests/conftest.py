"""Shared pytest fixtures: a running stand-in SmartLead and a client factory bound to it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from smartlead.client import SmartleadClient
from smartlead.connection import Connection
from smartlead.ratelimit import RateLimiter
from smartlead.settings import RateRule
from tests.builders import sample_campaigns, sample_clients

# Fixtures of other modules, for every test: a real PostgreSQL server and both history stores.
from tests.history_backends import history_backend, history_store  # noqa: F401
from tests.postgres import postgres_server, postgres_url  # noqa: F401
from tests.standin import TEST_KEY, StandinSmartlead

UNLIMITED = (RateRule(10_000, 1.0),)
"""A budget no test reaches: tests of other things are not paced by the rate limiter."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the everyday tier: ``python -m pytest -m fast`` runs every test that is neither a
    browser test (tests/e2e) nor marked slow; CI runs everything."""
    for item in items:
        in_browser = "tests/e2e/" in str(item.path).replace("\\", "/")
        if not in_browser and item.get_closest_marker("slow") is None:
            item.add_marker(pytest.mark.fast)


@pytest.fixture
def standin() -> Iterator[StandinSmartlead]:
    """A started stand-in where ``TEST_KEY`` owns ``sample_campaigns()`` and its clients."""
    server = StandinSmartlead(
        portfolios={TEST_KEY: sample_campaigns()},
        clients={TEST_KEY: sample_clients()},
    )
    with server:
        yield server


@pytest.fixture
def make_client(standin: StandinSmartlead) -> Iterator[Callable[..., SmartleadClient]]:
    """Build clients aimed at the stand-in with fast test settings; closes them afterwards.

    Defaults: ``TEST_KEY``, timeout 2 s, 3 retries, backoff 0.01 s, deadline 5 s and a
    limiter no test reaches; ``api_key=...`` and ``base_url=...`` choose the connection and
    every keyword of ``SmartleadClient`` can be overridden (``limiter=...`` included).
    """
    made: list[SmartleadClient] = []

    def build(**overrides: Any) -> SmartleadClient:
        connection = Connection.to(
            overrides.pop("api_key", TEST_KEY), overrides.pop("base_url", standin.base_url)
        )
        options: dict[str, Any] = {
            "timeout": 2.0,
            "retries": 3,
            "backoff": 0.01,
            "deadline": 5.0,
            "limiter": RateLimiter(UNLIMITED),
        }
        options.update(overrides)
        client = SmartleadClient(connection, **options)
        made.append(client)
        return client

    yield build
    for client in made:
        client.close()


@pytest.fixture(autouse=True)
def fresh_dashboard_state(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Every test starts with empty caches, no key or server from the environment, and its
    own history file (never the user's real one).

    AppTest runs pages in this process, so Streamlit's caches would otherwise carry one
    test's portfolio or history store into the next.
    """
    import streamlit as st

    for name in ("SMARTLEAD_API_KEY", "SMARTLEAD_BASE_URL", "SMARTLEAD_DEMO_SIZE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SMARTLEAD_HISTORY_PATH", str(tmp_path / "history.sqlite3"))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()
