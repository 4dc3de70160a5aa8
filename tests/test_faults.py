"""The dashboard under a misbehaving SmartLead: every fault ends, in bounded time, in a message
in words, with no traceback and no partial portfolio shown as if it were complete."""

from __future__ import annotations

import json
import time

import pytest

from smartlead.demo import demo_campaigns
from tests.apptest import all_text, caption_texts, live_app, metrics
from tests.standin import CANARY_KEY, TEST_KEY, Reply, StandinSmartlead, sample_campaigns

PORTFOLIO_BYTES = json.dumps(sample_campaigns()).encode()


def assert_failed_cleanly(at, words: str) -> None:
    """An error in words, no exception element, no KPI: nothing pretends to be the portfolio."""
    assert not at.exception
    assert len(at.error) == 1
    assert words in at.error[0].value
    assert not at.metric, "no partial portfolio"
    assert "Traceback" not in all_text(at)
    assert CANARY_KEY not in all_text(at)


@pytest.mark.parametrize(
    ("reply", "words"),
    [
        (Reply(body=PORTFOLIO_BYTES, fault="reset"), "SmartLead"),
        (Reply(body=PORTFOLIO_BYTES, fault="truncate"), "SmartLead"),
        (Reply.invalid_utf8(), "cannot read"),
        (Reply.json({"error": "Internal server error occurred"}), "cannot read"),
        (Reply.json({"success": False, "message": "Account suspended"}), "Account suspended"),
        (Reply.json({"campaigns": "not a list"}), "cannot read"),
        (Reply(body=b"[" + PORTFOLIO_BYTES[1:-20]), "cannot read"),
    ],
    ids=["reset", "truncated", "invalid-utf8", "error-object", "success-false", "odd", "cut-json"],
)
def test_a_broken_answer_is_a_message_not_a_partial_portfolio(standin, reply, words):
    standin.portfolios[CANARY_KEY] = sample_campaigns()
    standin.always("/campaigns", reply)
    at = live_app(standin, key=CANARY_KEY)
    assert_failed_cleanly(at, words)


def test_a_stalled_server_ends_in_a_timeout_message(standin, monkeypatch):
    monkeypatch.setenv("SMARTLEAD_TIMEOUT", "2")
    standin.portfolios[CANARY_KEY] = sample_campaigns()
    standin.always("/campaigns", Reply(body=PORTFOLIO_BYTES, delay=30))
    started = time.monotonic()
    at = live_app(standin, key=CANARY_KEY)
    waited = time.monotonic() - started
    assert_failed_cleanly(at, "did not answer in time")
    assert waited < 15, f"a 30 s stall must not hold the page ({waited:.1f} s)"


def test_a_storm_of_429s_ends_in_a_rate_limit_message(standin):
    standin.portfolios[CANARY_KEY] = sample_campaigns()
    standin.always("/campaigns", Reply.rate_limited(retry_after=1))
    started = time.monotonic()
    at = live_app(standin, key=CANARY_KEY)
    assert_failed_cleanly(at, "rate-limiting")
    assert time.monotonic() - started < 20
    assert standin.count("/campaigns") <= 4, "a bounded number of retries"


def test_an_answer_above_the_size_limit_is_refused_with_a_message(standin, monkeypatch):
    monkeypatch.setenv("SMARTLEAD_MAX_RESPONSE_MB", "5")
    huge = json.dumps(demo_campaigns(8_000, seed=5)).encode()
    assert len(huge) > 5_000_000
    standin.portfolios[CANARY_KEY] = sample_campaigns()
    standin.always("/campaigns", Reply(body=huge))
    at = live_app(standin, key=CANARY_KEY)
    assert_failed_cleanly(at, "larger than 5 MB")


def test_a_50_mb_portfolio_loads_completely():
    records = demo_campaigns(60_000, seed=5)
    payload = json.dumps(records).encode()
    assert len(payload) > 45_000_000
    with StandinSmartlead(portfolios={TEST_KEY: []}) as server:
        server.always("/campaigns", Reply(body=payload))
        at = live_app(server)
        assert not at.exception
        assert metrics(at)["Campaigns shown"] == f"{len(records):,}"
        assert any(
            text.startswith(f"{len(records):,} campaigns fetched") for text in caption_texts(at)
        )
