"""Many sessions at once on the one cached loader every page uses: one upstream fetch per key,
and no key ever gets another key's portfolio.

The loader is called from threads, as Streamlit's server calls it for concurrent sessions.
(AppTest itself cannot run in threads: it swaps a process-wide Runtime for every run.) The
browser version of these checks is in ``tests/e2e/test_load.py``.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from smartlead.connection import Connection
from smartlead.demo import demo_campaigns
from tests.standin import TEST_KEY, Reply, StandinSmartlead, sample_campaigns
from ui.data import fetch_portfolio

SESSIONS = 20


def test_twenty_sessions_with_one_key_cause_one_upstream_request():
    portfolio = sample_campaigns()
    with StandinSmartlead(portfolios={TEST_KEY: portfolio}) as server:
        # A slow answer makes every session arrive while the first fetch is in flight.
        server.always("/campaigns", Reply.json(portfolio, delay=1.0))
        with ThreadPoolExecutor(max_workers=SESSIONS) as pool:
            results = list(
                pool.map(
                    lambda _: fetch_portfolio(Connection.to(TEST_KEY, server.base_url)),
                    range(SESSIONS),
                )
            )
        assert all(not result.failed for result in results)
        assert {len(result.frame) for result in results} == {len(portfolio)}
        assert server.count("/campaigns") == 1


def test_twenty_keys_each_get_only_their_own_portfolio():
    keys = [f"sk-account-{n:02d}" for n in range(SESSIONS)]
    portfolios = {
        key: [
            {**record, "name": f"{key} · {record['name']}"}
            for record in demo_campaigns(number + 1, seed=number)
        ]
        for number, key in enumerate(keys)
    }
    with StandinSmartlead(portfolios=portfolios) as server:
        with ThreadPoolExecutor(max_workers=SESSIONS) as pool:
            results = list(
                pool.map(lambda k: fetch_portfolio(Connection.to(k, server.base_url)), keys)
            )
        for number, (key, result) in enumerate(zip(keys, results, strict=True)):
            assert len(result.frame) == number + 1
            assert all(name.startswith(key) for name in result.frame["name"]), key
        assert server.count("/campaigns") == SESSIONS
