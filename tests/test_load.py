"""Many sessions at once: one upstream fetch for one key, and no key sees another's data.

Each AppTest is a browser session of its own (its own session state), while Streamlit's data
cache is shared by the whole process, exactly as on a server.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from smartlead.demo import demo_campaigns
from tests.apptest import live_app, metrics
from tests.standin import TEST_KEY, Reply, StandinSmartlead, sample_campaigns

SESSIONS = 20


def test_twenty_sessions_with_one_key_cause_one_upstream_request():
    portfolio = sample_campaigns()
    with StandinSmartlead(portfolios={TEST_KEY: portfolio}) as server:
        # A slow answer makes the sessions overlap while the first fetch is in flight.
        server.always("/campaigns", Reply.json(portfolio, delay=1.0))
        with ThreadPoolExecutor(max_workers=SESSIONS) as pool:
            sessions = list(pool.map(lambda _: live_app(server, typed=False), range(SESSIONS)))
        assert all(not at.exception for at in sessions)
        assert {metrics(at)["Campaigns shown"] for at in sessions} == {"5"}
        assert server.count("/campaigns") == 1


def test_twenty_keys_each_see_only_their_own_portfolio():
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
            sessions = list(pool.map(lambda key: live_app(server, key=key, typed=False), keys))
        for number, (key, at) in enumerate(zip(keys, sessions, strict=True)):
            assert not at.exception
            assert metrics(at)["Campaigns shown"] == str(number + 1)
            at.switch_page("pages/1_Campaigns.py").run()
            names = next(f for f in at.dataframe if f.key == "campaign_table").value["name"]
            assert all(str(name).startswith(key) for name in names), key
        assert server.count("/campaigns") == SESSIONS
