"""One rate limit per key across replicas, through a real PostgreSQL server.

Replicas are played by limiters with budgets of their own (each its own pool, as two
processes would have) and, at the end, by two real processes fetching per-campaign figures
for one key from the stand-in SmartLead, which counts every request it refuses.
"""

from __future__ import annotations

import logging
import multiprocessing
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from smartlead import ratelimit
from smartlead.connection import Connection
from smartlead.demo import demo_campaigns
from smartlead.ratelimit import RateLimiter, limiter_for
from smartlead.settings import DatabaseAddress, RateRule
from smartlead.sharedlimit import PostgresSharedBudget
from tests.history_backends import Backend
from tests.postgres import PG_PASSWORD, PG_PASSWORD_IN_URL, PG_USER
from tests.standin import CANARY_KEY, StandinSmartlead

FIVE_PER_HALF_SECOND = RateRule(5, 0.5)


@pytest.fixture
def budgets(postgres_url: str) -> Iterator[list[PostgresSharedBudget]]:
    """Budgets on one fresh database, as many replicas would hold (closed afterwards)."""
    made: list[PostgresSharedBudget] = []
    yield made
    for budget in made:
        budget.close()


def replica(budgets: list[PostgresSharedBudget], url: str, rule: RateRule) -> RateLimiter:
    """A limiter as another process would have it: its own budget object and pool."""
    budget = PostgresSharedBudget(DatabaseAddress(url))
    budgets.append(budget)
    return RateLimiter([rule], shared=budget, account="acct-fingerprint")


def most_in_any_window(times: list[float], seconds: float) -> int:
    """The largest number of times inside any half-open window of ``seconds``."""
    times = sorted(times)
    return max(sum(1 for t in times if start <= t < start + seconds) for start in times)


def run_together(limiters: list[RateLimiter], each: int) -> list[float]:
    """Every limiter takes ``each`` turns from its own thread; the grant times, together."""
    granted: list[float] = []
    lock = threading.Lock()

    def take(limiter: RateLimiter) -> None:
        for _ in range(each):
            limiter.acquire()
            with lock:
                granted.append(time.monotonic())

    threads = [threading.Thread(target=take, args=(limiter,)) for limiter in limiters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return granted


def test_replicas_keep_one_limit_together(
    budgets: list[PostgresSharedBudget], postgres_url: str
) -> None:
    alone = run_together([RateLimiter([FIVE_PER_HALF_SECOND]) for _ in range(2)], 15)
    assert most_in_any_window(alone, 0.5) == 10, "without sharing, two replicas send twice"

    shared = [replica(budgets, postgres_url, FIVE_PER_HALF_SECOND) for _ in range(2)]
    started = time.monotonic()
    together = run_together(shared, 15)
    assert len(together) == 30
    assert most_in_any_window(together, 0.5) <= 5
    window = shared[0].window(FIVE_PER_HALF_SECOND)
    assert time.monotonic() - started >= 5 * window, "30 turns at 5 a window: five waits"


def test_a_pause_after_a_429_holds_every_replica(
    budgets: list[PostgresSharedBudget], postgres_url: str
) -> None:
    first, second = (replica(budgets, postgres_url, RateRule(100, 1.0)) for _ in range(2))
    first.acquire()
    first.pause(1.2)  # SmartLead refused one of first's requests and named 1.2 s
    started = time.monotonic()
    second.acquire()
    assert 1.0 <= time.monotonic() - started <= 2.5


def test_smartleads_headers_seen_by_one_replica_hold_the_other(
    budgets: list[PostgresSharedBudget], postgres_url: str
) -> None:
    first, second = (replica(budgets, postgres_url, RateRule(100, 1.0)) for _ in range(2))
    first.acquire()
    sent_at = first.now()
    second.acquire()  # granted after first's request left: not yet counted by SmartLead
    first.observe(60, 1, 1.5, sent_at=sent_at)  # "1 left in this window, reset in 1.5 s"
    started = time.monotonic()
    second.acquire()  # the one that second's earlier request already used: wait for the reset
    assert 1.2 <= time.monotonic() - started <= 3.0


def test_grants_are_counted_in_the_databases_time_and_pruned_as_they_go(
    budgets: list[PostgresSharedBudget], postgres_url: str
) -> None:
    limiter = replica(budgets, postgres_url, RateRule(3, 0.2))
    for _ in range(12):
        limiter.acquire()
    backend = Backend("postgresql", postgres_url)
    kept = backend.execute("SELECT COUNT(*) FROM rate_grants")[0][0]
    assert kept <= 6, "grants older than the longest window are deleted as new ones come"
    [(horizon,)] = backend.execute("SELECT horizon_seconds FROM rate_state")
    assert horizon == pytest.approx(limiter.window(RateRule(3, 0.2)))


def test_limiter_for_shares_the_limit_only_with_a_postgresql_store(
    monkeypatch: pytest.MonkeyPatch, postgres_url: str, tmp_path: Any
) -> None:
    connection = Connection.to(CANARY_KEY, "http://127.0.0.1:9/api/v1")
    monkeypatch.setenv("SMARTLEAD_HISTORY_PATH", str(tmp_path / "history.sqlite3"))
    assert limiter_for(connection).shared is None
    monkeypatch.setenv("SMARTLEAD_HISTORY_PATH", postgres_url)
    shared = limiter_for(connection)
    assert isinstance(shared.shared, PostgresSharedBudget)
    assert limiter_for(connection) is shared, "one per key per process"
    shared.acquire()
    for text in (repr(ratelimit._limiters), repr(shared.shared), repr(shared)):
        assert CANARY_KEY not in text
        assert PG_PASSWORD not in text
        assert PG_PASSWORD_IN_URL not in text
    backend = Backend("postgresql", postgres_url)
    assert backend.execute("SELECT DISTINCT account FROM rate_grants") == [
        (connection.fingerprint,)
    ]


def test_an_unreachable_database_means_pacing_alone_with_one_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"postgresql://{PG_USER}:{PG_PASSWORD_IN_URL}@127.0.0.1:{port}/history"
    budget = PostgresSharedBudget(DatabaseAddress(url), timeout=1.0)
    limiter = RateLimiter([RateRule(10, 1.0)], shared=budget, account="acct-fingerprint")
    caplog.set_level(logging.WARNING)
    started = time.monotonic()
    try:
        for _ in range(10):
            limiter.acquire()
        limiter.pause(0.01)
        limiter.observe(60, 30, 10.0, sent_at=limiter.now())
    finally:
        budget.close()
    assert time.monotonic() - started < 3, "one wait for the database, then none"
    warnings = [r for r in caplog.records if r.name == "smartlead.ratelimit"]
    assert len(warnings) == 1, caplog.text
    message = warnings[0].getMessage()
    assert "cannot be used" in message
    assert "paces account acct-fingerprint's requests alone" in message
    assert f"postgresql://{PG_USER}@127.0.0.1:{port}/history does not answer" in message
    assert PG_PASSWORD not in caplog.text
    assert PG_PASSWORD_IN_URL not in caplog.text


# --------------------------------------------------------------------------- two processes


def _fetch_figures(base_url: str, database: str, ids: list[int], barrier: Any, out: Any) -> None:
    """One replica: ``SMARTLEAD_RATE_LIMIT=10/2``, history in the shared database."""
    import os

    os.environ["SMARTLEAD_HISTORY_PATH"] = database
    os.environ["SMARTLEAD_RATE_LIMIT"] = "10/2"
    from smartlead.bulk import fetch_analytics

    connection = Connection.to(CANARY_KEY, base_url)
    barrier.wait()
    batch = fetch_analytics(connection, ids)
    out.put((len(batch.results), dict(batch.failures), batch.rate_limited))


@pytest.mark.slow
def test_two_processes_fetching_for_one_key_stay_within_its_limit(postgres_url: str) -> None:
    """Two replicas, each configured for the whole 10 requests per 2 s, fetch 40 campaigns'
    analytics each for one key, at the same moment, from a stand-in that refuses the 11th
    request in any 2 s. Sharing the limit, they send at most 10 in any 2 s together.

    Allowances: the limiter's windows are 2.1 s (a 5 % margin), so a request would need to
    arrive more than 0.1 s later than the one ten before it (scheduling on a busy two-core
    machine) to land 11 in one 2 s window of arrivals; one such request per window is
    allowed, and at most 3 refusals in all (each is retried after the pause it names, which
    both replicas then keep).
    """
    campaigns = demo_campaigns(80, seed=23)
    ids = [record["id"] for record in campaigns]
    server = StandinSmartlead({CANARY_KEY: campaigns}, rate_limit=(10, 2.0))
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    out = context.Queue()
    with server:
        processes = [
            context.Process(
                target=_fetch_figures,
                args=(server.base_url, postgres_url, part, barrier, out),
            )
            for part in (ids[:40], ids[40:])
        ]
        for process in processes:
            process.start()
        reports = [out.get(timeout=180) for _ in processes]
        for process in processes:
            process.join(60)
        log = server.requests
        account = Connection.to(CANARY_KEY, server.base_url).fingerprint
    assert [process.exitcode for process in processes] == [0, 0]
    assert [report[:2] for report in reports] == [(40, {}), (40, {})], "no campaign lost"
    refused = [entry for entry in log if entry.status == 429]
    arrivals = [entry.time for entry in log]
    print(
        f"\ntwo replicas, 80 requests at 10/2: {max(arrivals) - min(arrivals):.1f} s, "
        f"{len(refused)} x 429, at most {most_in_any_window(arrivals, 2.0)} in any 2 s"
    )
    assert len(refused) <= 3
    assert sum(report[2] for report in reports) == len(refused)
    assert most_in_any_window(arrivals, 2.0) <= 11
    assert max(arrivals) - min(arrivals) >= 7 * 2.0, "80 requests need 7 waits of 2 s"

    everything = Backend("postgresql", postgres_url).everything()
    assert CANARY_KEY.encode() not in everything
    assert PG_PASSWORD.encode() not in everything
    assert account.encode() in everything
